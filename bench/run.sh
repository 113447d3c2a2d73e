#!/bin/bash
# Benchmarks side by side with the Linux kernel: every case run several times
# by tuxnet (bench-tuxnet: one process, two namespaces over an in-process
# veth) and by Linux (bench-libc, the same C program, and iperf3 for bulk
# throughput, between two network namespaces this script creates over a
# veth pair), once pinned to one core (taskset -c 0) and once across two
# cores; the table compares tuxnet with Linux's better figure.
#
#   bench/run.sh [--quick] [--big] [--cases=1,7,10] [BUILD_DIR]   (BUILD_DIR: build-bench)
#
# Each figure is the median of the runs, with min-max beside it. Nothing
# here judges a figure: it is a program that prints them.
#
# Network safety: Linux's side runs only between the namespaces
# tnbench-PID-cli and tnbench-PID-srv, made fresh for every run (so no
# TIME-WAIT or memory is carried from one run to the next), with addresses
# only inside them (10.77.0.1/24, 10.77.0.2/24), and deleted after each run,
# on exit and on failure (trap). The TAP case (10) runs `tuxnet run
# --realtime` inside tnbench-PID-tap, whose TAP's host side appears there
# only, and slirp4netns inside tnbench-PID-slh with its tap in
# tnbench-PID-slg; every process in them is one this script started, and
# they are killed and the namespaces deleted the same way. Nothing touches
# the root namespace. Every program is bounded in time (its own alarm, and
# timeout(1) here) and count.
set -u

quick=0 big=0 build=build-bench only=""
for a in "$@"; do
	case $a in
	--quick) quick=1 ;;
	--big) big=1 ;;
	--cases=*) only=${a#--cases=} ;;
	-h|--help) sed -n '2,20p' "$0"; exit 0 ;;
	*) build=$a ;;
	esac
done
here=$(cd "$(dirname "$0")" && pwd)
# want N: case N is to run (all of them unless --cases=LIST, e.g. 1,7,10).
want() { [ -z "$only" ] || [[ ",$only," == *",$1,"* ]]; }
tn=$build/bench/bench-tuxnet
libc=$build/bench/bench-libc
tool=$build/tuxnet
for f in "$tn" "$libc" "$tool"; do
	[ -x "$f" ] || { echo "run.sh: $f is missing (make bench builds it)" >&2; exit 1; }
done

# c10k_*: case 8 (runs, seconds, connections); tap_*: case 10 (runs, seconds).
if [ $quick = 1 ]; then
	runs=3 secs=0.5 bulk_secs=1 idle_n=10000 ephem_n=8192 crr_cap=20000
	c10k_runs=1 c10k_secs=0.5 tap_runs=1 tap_secs=1
else
	runs=5 secs=3 bulk_secs=3 idle_n=100000 ephem_n=0 crr_cap=30000
	c10k_runs=5 c10k_secs=3 tap_runs=3 tap_secs=3
fi
c10k_n=10000
[ $big = 1 ] && idle_n=1000000

ns_cli=tnbench-$$-cli
ns_srv=tnbench-$$-srv
ns_tap=tnbench-$$-tap
ns_slh=tnbench-$$-slh
ns_slg=tnbench-$$-slg
tmp=$(mktemp -d /tmp/tnbench.XXXXXX)
world_down() {
	ip netns del "$ns_cli" 2>/dev/null
	ip netns del "$ns_srv" 2>/dev/null
	return 0
}
# The TAP case's namespaces: every process in them was started here.
tap_down() {
	local ns p
	for ns in "$ns_tap" "$ns_slh" "$ns_slg"; do
		for p in $(ip netns pids "$ns" 2>/dev/null); do
			kill -KILL "$p" 2>/dev/null
		done
		ip netns del "$ns" 2>/dev/null
	done
	return 0
}
cleanup() {
	jobs -p | xargs -r kill 2>/dev/null
	world_down
	tap_down
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

linux=1 linux_why=""
if [ "$(id -u)" -ne 0 ]; then
	linux=0 linux_why="not root: cannot create network namespaces"
elif ! ip netns add "$ns_cli" 2>/dev/null; then
	linux=0 linux_why="ip netns add failed"
fi
world_down

# Two namespaces joined by a veth pair made inside the first; Linux's TCP
# buffer defaults (a namespace may inherit the host's tuning).
world_up() {
	local mtu=$1
	world_down
	ip netns add "$ns_cli" && ip netns add "$ns_srv" &&
	ip -n "$ns_cli" link add veth0 type veth peer name veth1 netns "$ns_srv" &&
	ip -n "$ns_cli" link set veth0 mtu "$mtu" &&
	ip -n "$ns_srv" link set veth1 mtu "$mtu" &&
	ip -n "$ns_cli" addr add 10.77.0.1/24 dev veth0 &&
	ip -n "$ns_srv" addr add 10.77.0.2/24 dev veth1 &&
	ip -n "$ns_cli" link set veth0 up && ip -n "$ns_srv" link set veth1 up &&
	ip -n "$ns_cli" link set lo up && ip -n "$ns_srv" link set lo up || return 1
	local ns
	for ns in "$ns_cli" "$ns_srv"; do
		ip netns exec "$ns" sysctl -q -w net.ipv4.tcp_rmem="4096 131072 6291456" \
			net.ipv4.tcp_wmem="4096 16384 4194304" 2>/dev/null
	done
	return 0
}

# The value of RESULT KEY in a program's output.
result_of() { awk -v k="$1" '$1 == "RESULT" && $2 == k { print $3 }'; }

# Run one program `runs` times (or $2 times); print the values of KEY, one
# per line. A failed run prints nothing (its stderr goes to the log).
#   tn_runs KEY N ARGS...
tn_runs() {
	local key=$1 n=$2 i
	shift 2
	for ((i = 0; i < n; i++)); do
		timeout 1800 "$tn" "$@" 2>>"$tmp/log" | tee -a "$tmp/out" | result_of "$key"
	done
}
#   linux_runs KEY N CPUS MTU ARGS...
linux_runs() {
	local key=$1 n=$2 cpus=$3 mtu=$4 i
	shift 4
	for ((i = 0; i < n; i++)); do
		world_up "$mtu" || { echo "run.sh: could not build the namespaces" >&2; return; }
		BENCH_NS_CLI=$ns_cli BENCH_NS_SRV=$ns_srv timeout 1800 taskset -c "$cpus" \
			"$libc" "$@" 2>>"$tmp/log" | tee -a "$tmp/out" | result_of "$key"
		world_down
	done
}
# iperf3 between the namespaces: Gbit/s received. SPEC is "0" (both on core
# 0) or "0,1" (client on 0, server on 1).
#   iperf_runs N SPEC MTU STREAMS
iperf_runs() {
	local n=$1 spec=$2 mtu=$3 streams=$4 i c s
	c=0 s=0
	[ "$spec" = "0,1" ] && s=1
	for ((i = 0; i < n; i++)); do
		world_up "$mtu" || return
		ip netns exec "$ns_srv" taskset -c $s iperf3 -s -1 -B 10.77.0.2 -p 5299 \
			>/dev/null 2>&1 &
		local pid=$!
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			ip netns exec "$ns_srv" ss -ltn 2>/dev/null | grep -q ':5299 ' && break
			sleep 0.1
		done
		ip netns exec "$ns_cli" timeout $((bulk_secs + 30)) taskset -c $c \
			iperf3 -c 10.77.0.2 -p 5299 -t "$bulk_secs" -P "$streams" -J 2>>"$tmp/log" |
			python3 -c 'import json,sys
try: print(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"] / 1e9)
except Exception: pass'
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		world_down
	done
}

# "median min max" of the numbers on stdin; nothing if there are none.
stats() {
	sort -g | awk '{ a[NR] = $1 } END {
		if (NR == 0) exit
		m = NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
		print m, a[1], a[NR] }'
}
fmt() { awk -v v="$1" 'BEGIN { if (v >= 1000) printf "%.0f", v; else if (v >= 10) printf "%.1f", v; else printf "%.3g", v }'; }
cell() {   # "median (min-max)" from "m lo hi"
	[ -z "$1" ] && { echo "-"; return; }
	set -- $1
	echo "$(fmt "$1") ($(fmt "$2")-$(fmt "$3"))"
}

rows=()
sizes="" objs="" per="" rate="" c10k_mem=() mruns=- eruns=-
# row WORK UNIT BETTER(high|low) TN_STATS LINUX1_STATS LINUX2_STATS [NOTE]
row() {
	local work=$1 unit=$2 better=$3 t=$4 l1=$5 l2=$6 note=${7:-}
	local best="" which="" ratio="n/a"
	if [ -n "$l1" ] || [ -n "$l2" ]; then
		read -r best which < <(awk -v a="${l1%% *}" -v b="${l2%% *}" -v hb="$better" 'BEGIN {
			if (a == "") { print b, "2c"; exit }
			if (b == "") { print a, "1c"; exit }
			if ((hb == "high") == (a + 0 >= b + 0)) print a, "1c"; else print b, "2c" }')
	fi
	local lcell
	if [ "$which" = 1c ]; then lcell="$(cell "$l1") [1 core]"
	elif [ "$which" = 2c ]; then lcell="$(cell "$l2") [2 cores]"
	else lcell=${note:-n/a}; note=""
	fi
	if [ -n "$t" ] && [ -n "$best" ]; then
		ratio=$(awk -v t="${t%% *}" -v l="$best" 'BEGIN { if (l > 0) printf "%.2f", t / l; else print "n/a" }')
	fi
	local tcell
	tcell=$([ -n "$t" ] && cell "$t" || echo "failed (see log)")
	rows+=("$work|$unit ($better)|$tcell|$lcell|$ratio${note:+  $note}")
	printf '  %-34s %-28s %-36s %s\n' "$work" "$tcell" "$lcell" "$ratio" >&2
}
na_row() { rows+=("$1|-|n/a ($2)|n/a|-"); printf '  %-34s n/a (%s)\n' "$1" "$2" >&2; }

# Linux's two placements of one C-program case, N runs each.
#   both_n N KEY MTU ARGS...  -> sets L1 and L2
both_n() {
	local n=$1 key=$2 mtu=$3
	shift 3
	L1="" L2=""
	[ $linux = 1 ] || return
	L1=$(linux_runs "$key" "$n" 0 "$mtu" "$@" | stats)
	L2=$(linux_runs "$key" "$n" 0,1 "$mtu" "$@" | stats)
}
#   both KEY MTU ARGS...  (runs runs)
both() { both_n $runs "$@"; }

start=$(date +%s)
echo "== tuxnet benchmarks beside Linux: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs," \
	"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), kernel $(uname -r)" >&2
echo "== $runs runs per figure, ${secs}s per timed run; mode: $([ $quick = 1 ] && echo quick || echo full)$([ $big = 1 ] && echo ', big')" >&2
[ $linux = 1 ] || echo "== Linux side skipped: $linux_why" >&2

# 1. Bulk throughput.
if want 1; then
for mtu in 1500 65535; do
	for p in 1 4; do
		T=$(tn_runs bulk_gbps $runs bulk -t "$bulk_secs" -P $p -m $mtu | stats)
		L1="" L2=""
		if [ $linux = 1 ] && command -v iperf3 >/dev/null; then
			L1=$(iperf_runs $runs 0 $mtu $p | stats)
			L2=$(iperf_runs $runs 0,1 $mtu $p | stats)
		fi
		row "TCP bulk, $p stream(s), MTU $mtu" "Gbit/s" high "$T" "$L1" "$L2" \
			"$(command -v iperf3 >/dev/null || echo 'n/a (no iperf3: scripts/deps.sh)')"
		if [ $quick = 0 ]; then
			both bulk_gbps $mtu bulk -t "$bulk_secs" -P $p
			row "  same C program on Linux" "Gbit/s" high "$T" "$L1" "$L2"
		fi
	done
done
fi

# 2. Request/response.
# One set of runs gives both figures: the latency is 1/rate of the same runs.
if want 2; then
T=$(tn_runs rr_tps $runs rr -t "$secs" | stats)
both rr_tps 1500 rr -t "$secs"
row "TCP 1-byte request/response" "trans/s" high "$T" "$L1" "$L2"
inv() { [ -n "$1" ] && set -- $1 && awk -v m="$1" -v a="$2" -v b="$3" 'BEGIN { print 1e6 / m, 1e6 / b, 1e6 / a }'; }
row "  mean round-trip latency" "us" low "$(inv "$T")" "$(inv "$L1")" "$(inv "$L2")"
fi

# 3. Connect/request/response/close.
if want 3; then
T=$(tn_runs crr_cps $runs crr -t "$secs" -n $crr_cap | stats)
both crr_cps 1500 crr -t "$secs" -n $crr_cap
row "TCP connect/req/resp/close (CRR)" "conn/s" high "$T" "$L1" "$L2"
fi

# 4. Memory per idle ESTABLISHED socket.
if want 4; then
mruns=$([ $quick = 1 ] && echo 1 || echo 3)
: > "$tmp/out"
T=$(tn_runs idle_rss_per_sock $mruns idle -n $idle_n | stats)
sizes=$(awk '$1 == "RESULT" && $2 ~ /^sizeof_/ { sub(/^sizeof_/, "", $2); if (!seen[$2]++) printf "%s %s, ", $2, $3 }' "$tmp/out")
: > "$tmp/out"
both kmem_listed_per_sock 1500 idle -n $idle_n
row "memory per idle socket, $idle_n conns" "bytes" low "$T" "$L1" "$L2"
objs=$(awk '$1 == "RESULT" && $2 ~ /^objsize_/ { sub(/^objsize_/, "", $2); if (!seen[$2]++) printf "%s %s, ", $2, $3 }' "$tmp/out")
per=$(awk '$1 == "RESULT" && $2 ~ /^kmem_.*_per_sock$/ { k = $2; sub(/^kmem_/, "", k); sub(/_per_sock$/, "", k); s[k] += $3; n[k]++ }
	END { for (k in s) printf "%s %.0f, ", k, s[k] / n[k] }' "$tmp/out")
echo "   tuxnet sizeof: ${sizes%, }" >&2
[ -n "$objs" ] && echo "   Linux slab object sizes: ${objs%, }" >&2
[ -n "$per" ] && echo "   Linux slab growth per socket (mean of runs): ${per%, }" >&2
fi

# 5. Most concurrent connections.
if want 5; then
if [ $big = 1 ]; then
	T=$(tn_runs maxconn_conns 1 maxconn -t 300 | stats)
	L1=""
	[ $linux = 1 ] && L1=$(linux_runs maxconn_conns 1 0,1 1500 maxconn -t 300 | stats)
	row "most concurrent connections" "conns" high "$T" "" "$L1"
else
	na_row "most concurrent connections" "--big only"
fi
fi

# 6. connect() as the ephemeral range fills.
if want 6; then
eruns=$([ $quick = 1 ] && echo 1 || echo 3)
erange=$([ "$ephem_n" = 0 ] && echo 28232 || echo "$ephem_n")
: > "$tmp/out"
tn_runs none $eruns ephemeral -n "$ephem_n" >/dev/null
cp "$tmp/out" "$tmp/ephem-tn"
: > "$tmp/out"
if [ $linux = 1 ]; then
	linux_runs none $eruns 0 1500 ephemeral -n "$ephem_n" >/dev/null
	cp "$tmp/out" "$tmp/ephem-l1"
	: > "$tmp/out"
	linux_runs none $eruns 0,1 1500 ephemeral -n "$ephem_n" >/dev/null
	cp "$tmp/out" "$tmp/ephem-l2"
fi
for pct in 0 50 90 99; do
	k=ephem_connect_us_$pct
	T=$(result_of $k < "$tmp/ephem-tn" | stats)
	L1=$([ -f "$tmp/ephem-l1" ] && result_of $k < "$tmp/ephem-l1" | stats)
	L2=$([ -f "$tmp/ephem-l2" ] && result_of $k < "$tmp/ephem-l2" | stats)
	row "connect(), $pct% of $erange ports used" "us" low "$T" "$L1" "$L2"
done
fi

# 7. UDP.
if want 7; then
T=$(tn_runs udp_rx_pps $runs udp -t "$secs" | stats)
both udp_rx_pps 1500 udp -t "$secs"
row "UDP 64-byte datagrams received" "dgram/s" high "$T" "$L1" "$L2"
fi

# 8. epoll vs one thread per connection: 10,000 connections, one client
# thread driving them all with epoll; the server is one level-triggered
# epoll thread, or one blocking thread per connection (64 KiB stacks).
# Transactions/s from the client; the server's peak resident growth per
# connection from the same runs (printed under the table).
if want 8; then
c10k_mem=()
for model in epoll threads; do
	: > "$tmp/out"
	T=$(tn_runs c10k_tps $c10k_runs c10k-$model -t "$c10k_secs" -n $c10k_n | stats)
	mt=$(result_of c10k_rss_per_conn < "$tmp/out" | stats)
	: > "$tmp/out"
	both_n $c10k_runs c10k_tps 1500 c10k-$model -t "$c10k_secs" -n $c10k_n
	ml=$(result_of c10k_rss_per_conn < "$tmp/out" | stats)
	label=$([ $model = epoll ] && echo "one epoll thread (LT)" || echo "a thread per connection")
	row "$c10k_n conns, $label" "trans/s" high "$T" "$L1" "$L2"
	c10k_mem+=("$model: tuxnet $(cell "$mt"), Linux $(cell "$ml")")
done
echo "   case 8 peak RSS growth per connection (bytes): ${c10k_mem[*]}" >&2
fi

# 9. Virtual time: 60 s of iperf3 over a 100 ms RTT, 1 % loss link.
if want 9; then
vt=()
for ((i = 0; i < runs; i++)); do
	s0=$(date +%s%N)
	timeout 600 "$tool" run "$here/vt-60s.tn" > "$tmp/vt.txt" 2>&1 || continue
	vt+=("$(awk -v a="$s0" -v b="$(date +%s%N)" 'BEGIN { print (b - a) / 1e9 }')")
done
T=$(printf '%s\n' "${vt[@]}" | grep . | stats)
rate=$(awk '/receiver/ { r = $(NF - 2) " " $(NF - 1) } END { print r }' "$tmp/vt.txt")
vtnote="60 s (real time); netem $(modinfo sch_netem >/dev/null 2>&1 || echo 'is not in this kernel, so not run')"
rows+=("virtual time: 60 s at 100 ms RTT, 1% loss|s (low)|$(cell "$T")|$vtnote|$(awk -v t="${T%% *}" 'BEGIN { if (t > 0) printf "%.4f", t / 60 }')")
printf '  %-34s %-28s %s (tuxnet moved %s)\n' "virtual time, 60 s scenario" "$(cell "$T") s" "$vtnote" "$rate" >&2
fi

# 10. The TAP path: Debian's iperf3 against tuxnet's over a TAP device (tuxnet
# run --realtime in namespace ns_tap, whose TAP's host side tap0 is there),
# one stream, both directions, beside slirp4netns doing the same work in the
# same run: slirp4netns runs in ns_slh with its tap in ns_slg; the client in
# ns_slg reaches iperf3 -s in ns_slh through slirp's gateway (10.0.2.2 is
# ns_slh's 127.0.0.1), and the reverse goes through a slirp hostfwd
# (127.0.0.1:5202 in ns_slh to 10.0.2.100:5201 in ns_slg). Unpinned: every
# side may use both cores. Gbit/s received, from Linux's iperf3 -J.
if want 10; then

# "Gbit/s" of end.sum_received in iperf3 -J's output on stdin.
gbps() {
	python3 -c 'import json,sys
try: print(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"] / 1e9)
except Exception: pass'
}
# wait_ns_listen NS PORT: until a Linux TCP socket listens on PORT in NS.
wait_ns_listen() {
	local i
	for i in $(seq 100); do
		ip netns exec "$1" ss -ltnH "sport = :$2" 2>/dev/null | grep -q . && return 0
		sleep 0.05
	done
	return 1
}
# tap_tuxnet MTU LINE...: start tuxnet in ns_tap (made by the caller) with
# tn0 (10.77.0.2) on a TAP whose host side tap0 gets 10.77.0.1, then the
# LINEs; sets tnpid.
tap_tuxnet() {
	local mtu=$1 i
	shift
	printf '%s\n' "ip link add tn0 type tap hostdev tap0" "ip link set tn0 mtu $mtu" \
		"ip addr add 10.77.0.2/24 dev tn0" "ip link set tn0 up" "$@" > "$tmp/tap.tn"
	: > "$tmp/tap.out"
	timeout -s KILL $((tap_secs + 40)) ip netns exec "$ns_tap" stdbuf -oL "$tool" \
		run --realtime "$tmp/tap.tn" > "$tmp/tap.out" 2>>"$tmp/log" &
	tnpid=$!
	for i in $(seq 100); do
		ip -n "$ns_tap" link show tap0 >/dev/null 2>&1 && break
		sleep 0.05
	done
	ip -n "$ns_tap" link set tap0 mtu "$mtu" &&
	ip -n "$ns_tap" addr add 10.77.0.1/24 dev tap0 && ip -n "$ns_tap" link set tap0 up
}
# Linux's iperf3 -c -> tuxnet's iperf3 -s; Gbit/s.
tap_to_tuxnet() {
	local i
	tap_down
	ip netns add "$ns_tap" && ip -n "$ns_tap" link set lo up || return
	tap_tuxnet "$1" "iperf3 -s -1 &" "echo listening" || { tap_down; return; }
	for i in $(seq 100); do
		grep -q '^listening' "$tmp/tap.out" && break
		sleep 0.05
	done
	ip netns exec "$ns_tap" timeout $((tap_secs + 30)) iperf3 -c 10.77.0.2 -t "$tap_secs" -J \
		2>>"$tmp/log" | gbps
	wait "$tnpid" 2>/dev/null
	tap_down
}
# tuxnet's iperf3 -c -> Linux's iperf3 -s; Gbit/s as Linux's server counted.
tap_from_tuxnet() {
	tap_down
	ip netns add "$ns_tap" && ip -n "$ns_tap" link set lo up || return
	ip netns exec "$ns_tap" timeout $((tap_secs + 40)) iperf3 -s -1 -J > "$tmp/srv.json" \
		2>>"$tmp/log" &
	local spid=$!
	wait_ns_listen "$ns_tap" 5201
	if tap_tuxnet "$1" "ping -q -c 1 -w 10 10.77.0.1" "iperf3 -c 10.77.0.1 -t $tap_secs"; then
		wait "$tnpid" 2>/dev/null
		wait "$spid" 2>/dev/null
		gbps < "$tmp/srv.json"
	fi
	tap_down
}
# slirp_up MTU: slirp4netns in ns_slh, its tap0 (10.0.2.100/24) in ns_slg.
slirp_up() {
	local i
	tap_down
	ip netns add "$ns_slh" && ip netns add "$ns_slg" &&
	ip -n "$ns_slh" link set lo up && ip -n "$ns_slg" link set lo up || return 1
	rm -f "$tmp/slirp.sock"
	ip netns exec "$ns_slh" timeout -s KILL $((tap_secs + 40)) slirp4netns --configure \
		--mtu="$1" --api-socket "$tmp/slirp.sock" --netns-type=path "/run/netns/$ns_slg" tap0 \
		>>"$tmp/slirp.log" 2>&1 &
	disown $!    # tap_down kills it: no "Killed" notice
	for i in $(seq 100); do
		[ -S "$tmp/slirp.sock" ] && ip -n "$ns_slg" addr show tap0 2>/dev/null | grep -q 10.0.2.100 &&
			return 0
		sleep 0.05
	done
	echo "run.sh: slirp4netns did not come up" >> "$tmp/log"
	return 1
}
# Linux's iperf3 -c in ns_slg -> slirp4netns -> iperf3 -s in ns_slh; Gbit/s.
slirp_in() {
	if slirp_up "$1"; then
		ip netns exec "$ns_slh" timeout $((tap_secs + 30)) iperf3 -s -1 >/dev/null 2>&1 &
		disown $!
		wait_ns_listen "$ns_slh" 5201
		ip netns exec "$ns_slg" timeout $((tap_secs + 30)) iperf3 -c 10.0.2.2 -t "$tap_secs" -J \
			2>>"$tmp/log" | gbps
	fi
	tap_down
}
# iperf3 -c in ns_slh -> slirp4netns hostfwd -> Linux's iperf3 -s in ns_slg;
# Gbit/s as that server counted.
slirp_out() {
	if slirp_up "$1"; then
		ip netns exec "$ns_slg" timeout $((tap_secs + 30)) iperf3 -s -1 -J > "$tmp/srv.json" \
			2>>"$tmp/log" &
		local spid=$!
		wait_ns_listen "$ns_slg" 5201
		echo '{"execute": "add_hostfwd", "arguments": {"proto": "tcp", "host_addr": "127.0.0.1", "host_port": 5202, "guest_port": 5201}}' |
			ip netns exec "$ns_slh" timeout 10 nc -N -U "$tmp/slirp.sock" >>"$tmp/slirp.log" 2>&1
		ip netns exec "$ns_slh" timeout $((tap_secs + 30)) iperf3 -c 127.0.0.1 -p 5202 \
			-t "$tap_secs" >/dev/null 2>>"$tmp/log"
		wait "$spid" 2>/dev/null
		gbps < "$tmp/srv.json"
	fi
	tap_down
}
# row_vs WORK UNIT BETTER TN_STATS OTHER_STATS LABEL: a row whose comparison
# is another user-space stack, not Linux's own.
row_vs() {
	local ratio="n/a" ocell="n/a"
	[ -n "$5" ] && ocell="$(cell "$5") [$6]"
	if [ -n "$4" ] && [ -n "$5" ]; then
		ratio=$(awk -v t="${4%% *}" -v l="${5%% *}" 'BEGIN { if (l > 0) printf "%.2f", t / l; else print "n/a" }')
	fi
	rows+=("$1|$2 ($3)|$([ -n "$4" ] && cell "$4" || echo "failed (see log)")|$ocell|$ratio")
	printf '  %-34s %-28s %-36s %s\n' "$1" "$([ -n "$4" ] && cell "$4" || echo failed)" "$ocell" "$ratio" >&2
}
runn() {   # runn N FUNCTION ARGS...: the function's figures, one per line
	local n=$1 i
	shift
	for ((i = 0; i < n; i++)); do
		"$@"
	done
}

if [ "$(id -u)" -ne 0 ] || [ ! -c /dev/net/tun ]; then
	na_row "TAP path, iperf3 both ways" "needs root and /dev/net/tun"
else
	slirp=1
	command -v slirp4netns >/dev/null || slirp=0
	for mtu in 1500 65520; do
		T=$(runn $tap_runs tap_to_tuxnet $mtu | stats)
		S=""
		[ $slirp = 1 ] && S=$(runn $tap_runs slirp_in $mtu | stats)
		row_vs "TAP, Linux -c → tuxnet -s, MTU $mtu" "Gbit/s" high "$T" "$S" "slirp4netns"
		T=$(runn $tap_runs tap_from_tuxnet $mtu | stats)
		S=""
		[ $slirp = 1 ] && S=$(runn $tap_runs slirp_out $mtu | stats)
		row_vs "TAP, tuxnet -c → Linux -s, MTU $mtu" "Gbit/s" high "$T" "$S" "slirp4netns"
	done
	[ $slirp = 1 ] || echo "   slirp4netns is not installed (scripts/deps.sh bench): no comparison" >&2
fi
fi

# ---- the table -----------------------------------------------------------
echo
echo "| work | unit (better) | tuxnet median (min-max) | Linux median (min-max) [placement] | tuxnet/Linux |"
echo "|---|---|---|---|---|"
for r in "${rows[@]}"; do
	IFS='|' read -r a b c d e <<<"$r"
	echo "| $a | $b | $c | $d | $e |"
done
echo
[ -n "$sizes" ] && echo "tuxnet sizeof (bytes): ${sizes%, }"
[ -n "$objs" ] && echo "Linux slab object sizes (bytes): ${objs%, }"
[ -n "$per" ] && echo "Linux slab growth per idle socket (bytes): ${per%, }"
[ -n "$rate" ] && echo "Virtual-time scenario: tuxnet's iperf3 receiver line ends in $rate"
[ ${#c10k_mem[@]} -gt 0 ] && echo "Case 8, peak resident growth per connection, bytes (tuxnet: the whole stack, both ends;" \
	"Linux: the server process's user memory only): ${c10k_mem[*]}"
echo "Runs: $runs per figure (memory $mruns, ephemeral $eruns, 10,000 connections $c10k_runs, TAP $tap_runs); total $(( $(date +%s) - start )) s."
if [ -s "$tmp/log" ]; then
	echo "Messages from the runs:"
	sort "$tmp/log" | uniq -c | sed 's/^/  /' | head -20
fi
