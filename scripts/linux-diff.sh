#!/bin/bash
# linux-diff.sh: run a scenario file in tuxnet and the same commands on Linux,
# normalize what must differ and diff the two outputs line by line.
#
#   scripts/linux-diff.sh [-t TUXNET] [-m tuxnet|linux|diff|record] FILE.tn...
#
#   -m diff    (default) run both, print a unified diff per scenario that differs
#   -m tuxnet  print tuxnet's normalized output
#   -m linux   print Linux's normalized output (root)
#   -m record  write Linux's normalized output to FILE.linux beside FILE.tn (root)
#   -m relinux compare Linux's output now with the recorded FILE.linux (root):
#              are the recordings still what Linux prints?
#   -m golden  compare tuxnet with the recorded FILE.linux (no root needed);
#              where they differ on purpose, FILE.known holds the exact diff
#              (a deviation docs/deviations.md explains) and is accepted
#
# Exit status: 0 if every scenario was equal, 1 if one differed, 77 if the Linux
# side cannot run here (not root, no unshare) in a mode that needs it.
#
# Network safety: the Linux side runs in a private mount namespace and a new,
# unnamed network namespace (unshare --mount --net) that stands for tuxnet's
# initial namespace. A tmpfs is mounted on /run/netns inside that mount
# namespace, so `ip netns add` there creates names nobody else sees, and the
# root namespace's devices, addresses and routes are never touched: every
# command of the scenario runs inside namespaces this script made. An EXIT
# trap kills the scenario's background jobs and deletes its namespaces, on
# failure too; whatever is left dies with the unshared process.
#
# What the Linux side adds so that a fresh Linux namespace looks like a
# tuxnet one (docs/deviations.md, "Tools"): IPv6 is disabled in every
# namespace (tuxnet has no IPv6, and Linux would send router solicitations and
# show fe80:: addresses), and `lo` of the initial namespace is up.
#
# A scenario may say, in comment lines of its own:
#   # linux-needs: TOOL|qdisc:KIND ...   skip the Linux side where one is missing
#   # linux-skip: REASON                 never run on Linux (tuxnet-only lines)
#   # linux-racy: REASON                 -m relinux skips it: on Linux a line
#                                        races a background job (recorded by hand)
set -u

here=$(cd "$(dirname "$0")" && pwd)
TN_TOOL=${TN_TOOL:-$here/../build/tuxnet}
mode=diff
while getopts "t:m:" o; do
	case $o in
	t) TN_TOOL=$OPTARG ;;
	m) mode=$OPTARG ;;
	*) echo "usage: $0 [-t TUXNET] [-m diff|tuxnet|linux|record|golden] FILE.tn..." >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
TN_TOOL=$(cd "$(dirname "$TN_TOOL")" && pwd)/$(basename "$TN_TOOL")
[ $# -gt 0 ] || { echo "usage: $0 [-t TUXNET] [-m MODE] FILE.tn..." >&2; exit 2; }

# normalize SCENARIO: stdin to stdout with what legitimately differs replaced.
normalize() {
	perl -e '
		my %keep = ("00:00:00:00:00:00" => 1, "ff:ff:ff:ff:ff:ff" => 1);
		open(my $f, "<", $ARGV[0]) or die;
		while (<$f>) { $keep{lc $1} = 1 while /\b((?:[0-9a-f]{2}:){5}[0-9a-f]{2})\b/gi; }
		close $f;
		while (<STDIN>) {
			# bash reaping the jobs its EXIT trap killed.
			next if /^Terminated$/;
			# "FILE:LINE: " before tuxnet diagnostics (a shell prints none).
			s/^\S+\.tn:\d+: //;
			# MAC addresses the scenario did not set: random on both sides.
			s/\b((?:[0-9a-f]{2}:){5}[0-9a-f]{2})\b/$keep{lc $1} ? $1 : "MAC"/gie;
			# The peer index of a veth in another namespace.
			s/\@if\d+\b/\@ifN/g;
			s/("link_index": )\d+/${1}N/g;
			# Timing figures: virtual time against the host clock.
			s/\btime=[0-9.]+ ms/time=T ms/g;
			s/, time \d+ms$/, time Tms/;
			s/^(rtt|round-trip) min\/avg\/max\/mdev = \S+ ms/rtt min\/avg\/max\/mdev = T ms/;
			s/(\s)\d+\.\d+ ms\b/${1}T ms/g;
			s/ \d+\.\d+ms\b/ Tms/g;
			s/\bcache expires \d+sec/cache expires Nsec/;
			# Automatic qdisc handles (a global counter on Linux).
			s/^(qdisc \S+ )[0-9a-f]+:/${1}H:/ unless /^qdisc \S+ 0:/;
			s/("handle": ")[0-9a-f]+:/${1}H:/g;
			# netem draws its seed at random unless told one.
			s/^(qdisc netem .* seed )\d+/${1}S/;
			# The reference count of a qdisc: 1 + the transmit queues of the device,
			# which on Linux follow the number of CPUs of the host (veth).
			s/ root refcnt \d+/ root refcnt N/;
			s/ numtxqueues \d+ numrxqueues \d+ / numtxqueues N numrxqueues N /;
			# ss -p: tuxnet has no processes; rows lose their padding.
			if (/^(Netid\s+)?(\w+\s+)?(LISTEN|ESTAB|UNCONN|SYN-SENT|SYN-RECV|FIN-WAIT-[12]|TIME-WAIT|CLOSE-WAIT|LAST-ACK|CLOSING)\s/) {
				s/\s*users:\(\(.*\)\)//;
				s/[ \t]+$//;
			}
			# nstat rate column.
			s/^(\w+\s+\d+\s+)\d+\.\d+$/${1}R/;
			print;
		}' "$1"
}

# tuxnet SCENARIO: run it with `tuxnet run`, stdout and stderr in order.
run_tuxnet() {
	(cd "$(dirname "$1")" && "$TN_TOOL" run "$(basename "$1")") 2>&1
	echo "[exit $?]"
}

# to_bash SCENARIO: the scenario as a bash script that, like `tuxnet run`,
# stops at the first failing line and says so.
to_bash() {
	cat <<'EOF'
set +e
__ns=()
ip() {
	command ip "$@"
	local s=$?
	if [ $s -eq 0 ] && [ "${1-}" = netns ] && [ "${2-}" = add ]; then
		__ns+=("$3")
		command ip netns exec "$3" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
			net.ipv6.conf.default.disable_ipv6=1 net.ipv6.conf.lo.disable_ipv6=1
	fi
	return $s
}
__cleanup() {
	local j n
	# Killed jobs are reaped quietly (bash would say "Terminated").
	exec 2> /dev/null
	# The scenario's processes: its jobs and whatever runs inside its
	# namespaces (`ip netns exec` forks the command it runs).
	for n in $(command ip netns list | awk '{ print $1 }'); do
		for j in $(command ip netns pids "$n"); do kill "$j" 2>/dev/null; done
	done
	for j in $(jobs -p); do kill "$j" 2>/dev/null; done
	wait 2>/dev/null
	for n in $(command ip netns list | awk '{ print $1 }'); do command ip netns del "$n"; done
	rm -f "$NSTAT_HISTORY"
}
trap __cleanup EXIT
sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 \
	net.ipv6.conf.lo.disable_ipv6=1
command ip link set lo up
# nstat's history file, per run (tuxnet keeps it per namespace in the run).
export NSTAT_HISTORY=$(mktemp /tmp/tn-linux-diff-nstat.XXXXXX)
EOF
	awk -v f="$(basename "$1")" '
		function flush() {
			if (cmd == "") return
			print cmd
			printf "__s=$?; if [ $__s -ne 0 ]; then echo \"%s:%d: stopped: exit status $__s\" >&2; rm -f \"$NSTAT_HISTORY\"; exit $__s; fi\n", f, first
			cmd = ""
		}
		{
			line = $0
			if (cmd == "") first = NR
			if (line ~ /\\$/) { cmd = cmd substr(line, 1, length(line) - 1); next }
			cmd = cmd line
			if (cmd ~ /^[ \t]*(#|$)/) { cmd = ""; next }
			flush()
		}
		END { flush() }'  "$1"
	# tuxnet stops the jobs that do not end by themselves (nc -l, tcpdump)
	# at the end of the file; here the EXIT trap kills every job left, so a
	# scenario waits (`wait`) for the jobs it means to see end.
	echo 'rm -f "$NSTAT_HISTORY"'
}

# linux SCENARIO: the same lines on Linux, in namespaces of its own.
run_linux() {
	local script
	script=$(mktemp /tmp/tn-linux-diff.XXXXXX)
	to_bash "$1" > "$script"
	(cd "$(dirname "$1")" && unshare --mount --net --propagation private bash -c '
		mkdir -p /run/netns && mount -t tmpfs tn-linux-diff /run/netns || exit 99
		exec bash "$0"' "$script") 2>&1
	echo "[exit $?]"
	rm -f "$script"
}

linux_ok() {
	[ "$(id -u)" = 0 ] && command -v unshare > /dev/null &&
		unshare --mount --net true 2> /dev/null
}

# linux_missing SCENARIO: what the scenario needs that this host lacks.
linux_missing() {
	local need
	grep -q '^# linux-skip:' "$1" && { sed -n 's/^# linux-skip: *//p' "$1"; return; }
	for need in $(sed -n 's/^# linux-needs://p' "$1"); do
		case $need in
		qdisc:*)
			unshare --net tc qdisc add dev lo root "${need#qdisc:}" 2> /dev/null ||
				echo -n "qdisc ${need#qdisc:} " ;;
		*) command -v "$need" > /dev/null || echo -n "$need " ;;
		esac
	done
}

tmp=$(mktemp -d /tmp/tn-linux-diff.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
status=0
for sc in "$@"; do
	sc=$(cd "$(dirname "$sc")" && pwd)/$(basename "$sc")
	name=$(basename "$sc" .tn)
	case $mode in
	tuxnet) run_tuxnet "$sc" | normalize "$sc"; continue ;;
	linux|record|diff|relinux)
		if ! linux_ok; then
			echo "SKIP: the Linux side needs root and unshare (--mount --net)"
			exit 77
		fi
		if [ "$mode" = relinux ] && grep -q '^# linux-racy:' "$sc"; then
			echo "SKIP: $name: $(sed -n 's/^# linux-racy: *//p' "$sc")"
			continue
		fi
		miss=$(linux_missing "$sc")
		if [ -n "$miss" ]; then
			echo "SKIP: $name: this Linux lacks: $miss"
			continue
		fi ;;
	golden) ;;
	*) echo "$0: unknown mode $mode" >&2; exit 2 ;;
	esac
	case $mode in
	linux) run_linux "$sc" | normalize "$sc"; continue ;;
	record) run_linux "$sc" | normalize "$sc" > "${sc%.tn}.linux"; continue ;;
	relinux)
		[ -f "${sc%.tn}.linux" ] || { echo "SKIP: $name: no ${name}.linux"; continue; }
		run_linux "$sc" | normalize "$sc" > "$tmp/$name.now"
		if diff -u --label "recorded/$name" --label "linux-now/$name" \
			"${sc%.tn}.linux" "$tmp/$name.now"; then
			echo "same: $name"
		else
			echo "DIFFERS: $name (Linux here no longer prints the recording)"
			status=1
		fi
		continue ;;
	golden)
		[ -f "${sc%.tn}.linux" ] || { echo "SKIP: $name: no ${name}.linux"; continue; }
		cp "${sc%.tn}.linux" "$tmp/$name.linux" ;;
	diff) run_linux "$sc" | normalize "$sc" > "$tmp/$name.linux" ;;
	esac
	run_tuxnet "$sc" | normalize "$sc" > "$tmp/$name.tuxnet"
	# Both runs must have got to the end (a broken harness must not
	# compare two equal error messages).
	if ! tail -1 "$tmp/$name.linux" | grep -q '^\[exit [0-9]*\]$' ||
		! tail -1 "$tmp/$name.tuxnet" | grep -q '^\[exit [0-9]*\]$'; then
		echo "BROKEN: $name: a run did not complete"
		tail -3 "$tmp/$name.linux" "$tmp/$name.tuxnet"
		status=1
		continue
	fi
	if diff -u --label "linux/$name" --label "tuxnet/$name" \
		"$tmp/$name.linux" "$tmp/$name.tuxnet" > "$tmp/$name.diff"; then
		echo "same: $name"
	elif [ "$mode" = golden ] && [ -f "${sc%.tn}.known" ] &&
		cmp -s "${sc%.tn}.known" "$tmp/$name.diff"; then
		# The difference is a documented deviation (docs/deviations.md),
		# exactly as recorded in NAME.known; anything else fails.
		echo "same but the known difference: $name"
	else
		echo "DIFFERS: $name"
		cat "$tmp/$name.diff"
		status=1
	fi
done
exit $status
