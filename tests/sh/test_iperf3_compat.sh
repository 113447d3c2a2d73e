#!/bin/bash
# tuxnet's iperf3 against Debian's iperf3 (root only; skips with 77 otherwise).
#
# Part 1, the protocol: tn-iperf3-host runs tuxnet's iperf3 engine
# (tools/cmd/iperf3.c, the same code as `tuxnet run`'s iperf3) on the host's
# own sockets. In a network namespace the test creates (tnip-PID, loopback
# only), Debian's `iperf3 -s -1` serves tuxnet's client and Debian's
# `iperf3 -c` uses tuxnet's server, forward, reverse (-R), parallel (-P 2)
# and by bytes (-n). Each case checks both exit statuses and that both ends
# report the same byte counts: Debian's iperf3 -J against tuxnet's totals,
# to the byte.
#
# Part 2, over TAP: `tuxnet run --realtime` with a tap device in that
# namespace (tap0 10.77.0.1 on Linux's side, tuxnet 10.77.0.2). Linux's
# `iperf3 -c` against tuxnet's `iperf3 -s -1` and tuxnet's `iperf3 -c`
# against Linux's `iperf3 -s -1`, both ways, -t 3: both report the same
# transfer on the summary line that both print. Skipped (with a message)
# when this tuxnet has no tap device.
#
# Every test is bounded (-t 2..3, timeouts) and the namespace is removed on
# exit, failure included. docs/interop.md ("iperf3") has the same by hand.
set -u

TN_BUILD_DIR=${TN_BUILD_DIR:-build}
TN_TOOL=${TN_TOOL:-$TN_BUILD_DIR/tuxnet}
HOST=${TN_IPERF3_HOST:-$TN_BUILD_DIR/tests/tn-iperf3-host}
if [ "$(id -u)" != 0 ]; then
	echo "SKIP: needs root (a network namespace for Debian's iperf3)"
	exit 77
fi
for t in ip iperf3 python3 timeout ss; do
	if ! command -v "$t" > /dev/null; then
		echo "SKIP: $t is not installed (scripts/deps.sh installs iperf3)"
		exit 77
	fi
done
if [ ! -x "$HOST" ] || [ ! -x "$TN_TOOL" ]; then
	echo "SKIP: no $HOST or $TN_TOOL (build first)"
	exit 77
fi
HOST=$(cd "$(dirname "$HOST")" && pwd)/$(basename "$HOST")
TN_TOOL=$(cd "$(dirname "$TN_TOOL")" && pwd)/$(basename "$TN_TOOL")

NS=tnip-$$
tmp=$(mktemp -d /tmp/tn-iperf3.XXXXXX)
cleanup() {
	local p
	for p in $(ip netns pids "$NS" 2> /dev/null); do
		kill -KILL "$p" 2> /dev/null
	done
	ip netns del "$NS" 2> /dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
fails=0
fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}
nsx() {
	ip netns exec "$NS" "$@"
}

ip netns add "$NS" || { echo "FAIL: cannot create namespace $NS"; exit 1; }
nsx ip link set lo up

# wait_listen PORT: until something listens on PORT in the namespace.
wait_listen() {
	for _ in $(seq 50); do
		nsx ss -ltnH "sport = :$1" 2> /dev/null | grep -q LISTEN && return 0
		sleep 0.1
	done
	return 1
}

# json_bytes FILE: "SENT RECEIVED" of iperf3 -J's end.sum_sent/sum_received.
json_bytes() {
	python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))["end"]
print(d["sum_sent"]["bytes"], d["sum_received"]["bytes"])' "$1" 2> /dev/null
}

# host_bytes FILE: "SENT RECEIVED" of tn-iperf3-host's last line.
host_bytes() {
	awk '/^tn-iperf3-host: sent/ { print $3, $5 }' "$1"
}

# --- part 1: the engine on host sockets ------------------------------------

# tn_client NAME ARGS...: Debian's server, tuxnet's client.
tn_client() {
	local name=$1 srv cli hb jb
	shift
	srv=$tmp/$name.srv.json cli=$tmp/$name.cli
	nsx timeout 30 iperf3 -s -1 -p 5201 -J > "$srv" 2>&1 &
	local spid=$!
	wait_listen 5201 || { fail "$name: iperf3 -s did not start"; kill $spid; return; }
	nsx timeout 30 "$HOST" -c 127.0.0.1 -p 5201 "$@" > "$cli" 2>&1 ||
		fail "$name: tuxnet client exit status $?: $(tail -3 "$cli")"
	wait $spid || fail "$name: iperf3 -s exit status $?: $(tail -3 "$srv")"
	grep -q '^iperf Done\.$' "$cli" || fail "$name: no 'iperf Done.' from tuxnet's client"
	hb=$(host_bytes "$cli")
	jb=$(json_bytes "$srv")
	# iperf3's server knows its own side: received, or sent with -R.
	case " $* " in
	*" -R "*) [ "${hb% *}" = "${jb% *}" ] ||
			fail "$name: tuxnet says sent ${hb% *}, iperf3 server sent ${jb% *}" ;;
	*) [ -n "$hb" ] && [ "${hb#* }" = "${jb#* }" ] ||
			fail "$name: tuxnet says received '${hb#* }', iperf3 server received '${jb#* }'" ;;
	esac
	echo "ok: $name (tuxnet client: $hb; iperf3 -s: $jb)"
}

# tn_server NAME ARGS...: tuxnet's server, Debian's client.
tn_server() {
	local name=$1 srv cli hb jb
	shift
	srv=$tmp/$name.srv cli=$tmp/$name.cli.json
	nsx timeout 30 "$HOST" -s -1 -p 5201 > "$srv" 2>&1 &
	local spid=$!
	wait_listen 5201 || { fail "$name: tuxnet server did not start"; kill $spid; return; }
	nsx timeout 30 iperf3 -c 127.0.0.1 -p 5201 -J "$@" > "$cli" 2>&1 ||
		fail "$name: iperf3 -c exit status $?: $(tail -3 "$cli")"
	wait $spid || fail "$name: tuxnet server exit status $?: $(tail -3 "$srv")"
	hb=$(host_bytes "$srv")
	jb=$(json_bytes "$cli")
	[ -n "$hb" ] && [ "$hb" = "$jb" ] ||
		fail "$name: tuxnet server says '$hb' (sent received), iperf3 client '$jb'"
	echo "ok: $name (tuxnet -s: $hb; iperf3 -c: $jb)"
}

tn_client client-forward -t 2
tn_client client-reverse -t 2 -R
tn_client client-parallel -t 2 -P 2
tn_client client-bytes-reverse -n 50M -R
tn_server server-forward -t 2
tn_server server-reverse -t 2 -R
tn_server server-parallel -t 2 -P 2
tn_server server-bytes -n 50M

# --- part 2: over TAP ---------------------------------------------------------

# transfer FILE WHICH: the Transfer column of the first summary line ending
# in WHICH (sender / receiver), "1.13 GBytes".
transfer() {
	grep -E "$2\$" "$1" | head -1 | grep -oE 'sec +[0-9.]+ [KMGT]?Bytes' | sed 's/^sec *//'
}

# tap_up NAME LINE...: tuxnet runs the LINEs (after the tap lines) in the
# namespace; tap0 gets 10.77.0.1. Returns 1 when there is no tap device.
tnpid=
tap_up() {
	local name=$1
	shift
	{
		echo "ip link add tn0 type tap hostdev tap0"
		echo "ip addr add 10.77.0.2/24 dev tn0"
		echo "ip link set tn0 up"
		printf '%s\n' "$@"
	} > "$tmp/$name.tn"
	(cd "$tmp" && exec timeout -s KILL 40 ip netns exec "$NS" "$TN_TOOL" run --realtime \
		"$name.tn") > "$tmp/$name.tuxnet" 2>&1 &
	tnpid=$!
	for _ in $(seq 50); do
		nsx ip link show tap0 > /dev/null 2>&1 && break
		kill -0 $tnpid 2> /dev/null || break
		sleep 0.1
	done
	nsx ip link show tap0 > /dev/null 2>&1 || return 1
	nsx ip addr add 10.77.0.1/24 dev tap0
	nsx ip link set tap0 up
}

tap_down() {
	wait $tnpid || fail "$1: tuxnet exit status $?: $(tail -3 "$tmp/$1.tuxnet")"
}

# tap_linux_client NAME SIDE ARGS...: tuxnet -s -1, Linux -c; SIDE is the
# summary line both print (the server's own side).
tap_linux_client() {
	local name=$1 side=$2 a b
	shift 2
	tap_up "$name" "iperf3 -s -1" || return 1
	wait_listen_tn "$name"
	nsx timeout 30 iperf3 -c 10.77.0.2 "$@" > "$tmp/$name.linux" 2>&1 ||
		fail "$name: iperf3 -c exit status $?: $(tail -3 "$tmp/$name.linux")"
	tap_down "$name"
	a=$(transfer "$tmp/$name.linux" "$side")
	b=$(transfer "$tmp/$name.tuxnet" "$side")
	if [ -n "$a" ] && [ "$a" = "$b" ]; then
		echo "ok: $name ($side: Linux $a, tuxnet $b)"
	else
		fail "$name: $side: Linux '$a', tuxnet '$b'"
	fi
}

# Until tuxnet's server has printed its banner (a probe connection would
# be taken for a client).
wait_listen_tn() {
	for _ in $(seq 50); do
		grep -q '^Server listening' "$tmp/$1.tuxnet" && return 0
		sleep 0.1
	done
}

# tap_tuxnet_client NAME SIDE ARGS...: Linux -s -1, tuxnet -c.
tap_tuxnet_client() {
	local name=$1 side=$2 a b
	shift 2
	nsx timeout 40 iperf3 -s -1 > "$tmp/$name.linux" 2>&1 &
	local spid=$!
	tap_up "$name" "sleep 1" "iperf3 -c 10.77.0.1 $*" || return 1
	tap_down "$name"
	wait $spid || fail "$name: iperf3 -s exit status $?: $(tail -3 "$tmp/$name.linux")"
	grep -q '^iperf Done\.$' "$tmp/$name.tuxnet" || fail "$name: no 'iperf Done.' from tuxnet"
	a=$(transfer "$tmp/$name.linux" "$side")
	b=$(transfer "$tmp/$name.tuxnet" "$side")
	if [ -n "$a" ] && [ "$a" = "$b" ]; then
		echo "ok: $name ($side: Linux $a, tuxnet $b)"
	else
		fail "$name: $side: Linux '$a', tuxnet '$b'"
	fi
}

if [ ! -c /dev/net/tun ]; then
	echo "SKIP (part 2): /dev/net/tun is missing"
elif ! tap_linux_client tap-linux-client receiver -t 3; then
	echo "SKIP (part 2): this tuxnet has no tap device: $(head -3 "$tmp/tap-linux-client.tuxnet")"
	wait 2> /dev/null
else
	tap_linux_client tap-linux-client-reverse sender -t 3 -R
	tap_tuxnet_client tap-tuxnet-client receiver -t 3
	tap_tuxnet_client tap-tuxnet-client-reverse sender -t 3 -R
fi

if [ "$fails" -ne 0 ]; then
	echo "$fails check(s) failed"
	exit 1
fi
echo "PASS: iperf3 compatibility"
