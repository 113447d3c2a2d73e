#!/bin/bash
# The `tuxnet` tool end to end: the demo runs and tells its story (it is
# examples/routed-pmtu.tn, line for line), the ARP example runs as a file,
# and a failing script stops at its first failing line with FILE:LINE.
set -u

TN_TOOL=${TN_TOOL:-${TN_BUILD_DIR:-build}/tuxnet}
TN_SOURCE_DIR=${TN_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
if [ ! -x "$TN_TOOL" ]; then
	echo "SKIP: no tuxnet tool at $TN_TOOL"
	exit 77
fi
TN_TOOL=$(cd "$(dirname "$TN_TOOL")" && pwd)/$(basename "$TN_TOOL")

tmp=$(mktemp -d /tmp/tn-cli-demo.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fails=0

fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}

# expect_line FILE LINE: FILE has LINE as a whole line.
expect_line() {
	grep -qxF -- "$2" "$1" || fail "$1 lacks: $2"
}

# --- tuxnet version / help / cmd ---------------------------------------
"$TN_TOOL" version | grep -q '^tuxnet [0-9]' || fail "tuxnet version"
"$TN_TOOL" help | grep -q 'demo' || fail "tuxnet help"
"$TN_TOOL" cmd 'ip link show lo' > "$tmp/lo.out" || fail "tuxnet cmd exit status"
# (the exact layout is the unit test's business: tests/unit/test_commands.c)
grep -q '^1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state ' "$tmp/lo.out" ||
	fail "tuxnet cmd 'ip link show lo': $(cat "$tmp/lo.out")"
if "$TN_TOOL" cmd 'ip link set eth9 up' 2> "$tmp/err.out"; then
	fail "tuxnet cmd on a missing device succeeded"
fi
expect_line "$tmp/err.out" 'Cannot find device "eth9"'

# --- the example scenario, run from a file -------------------------------
(cd "$tmp" && "$TN_TOOL" exec "$TN_SOURCE_DIR/examples/arp-veth.tn") > "$tmp/exec.out" 2> "$tmp/exec.err" ||
	fail "exec examples/arp-veth.tn: status $?: $(cat "$tmp/exec.err")"
expect_line "$tmp/exec.out" "ARPING 10.0.0.2 from 10.0.0.1 veth0"
expect_line "$tmp/exec.out" "Unicast reply from 10.0.0.2 [02:00:00:00:00:02]  0.000ms"
expect_line "$tmp/exec.out" "Sent 2 probes (1 broadcast(s))"
expect_line "$tmp/exec.out" "Received 2 response(s)"
expect_line "$tmp/exec.out" "    inet 10.0.0.1/24 brd 10.0.0.255 scope global veth0"
expect_line "$tmp/exec.out" "10.0.0.1 dev veth1 lladdr 02:00:00:00:00:01 REACHABLE "
expect_line "$tmp/exec.out" "10.0.0.2 dev veth0 lladdr 02:00:00:00:00:02 STALE "
expect_line "$tmp/exec.out" "    link/ether 02:00:00:00:00:01 brd ff:ff:ff:ff:ff:ff link-netns ns2"
expect_line "$tmp/exec.err" "tcpdump: listening on veth0, link-type EN10MB (Ethernet), snapshot length 262144 bytes"
[ -s "$tmp/arp-veth.pcap" ] || fail "no capture written by the example"
# A pcap file: the libpcap magic, either byte order.
magic=$(od -An -tx1 -N4 "$tmp/arp-veth.pcap" 2>/dev/null | tr -d ' \n')
case "$magic" in
	d4c3b2a1 | a1b2c3d4) ;;
	*) fail "capture is not a pcap file (magic $magic)" ;;
esac

# --- the demo: examples/routed-pmtu.tn, told ------------------------------
# (its output is checked line by line in test_scenario_examples.sh)
"$TN_TOOL" demo --script > "$tmp/demo.tn"
cmp -s "$tmp/demo.tn" "$TN_SOURCE_DIR/examples/routed-pmtu.tn" ||
	fail "examples/routed-pmtu.tn differs from the demo's script (tuxnet demo --script)"
"$TN_TOOL" demo > "$tmp/demo.out" 2>&1 || fail "tuxnet demo: status $?"
expect_line "$tmp/demo.out" "\$ ip netns exec host1 ping -c 3 10.0.1.2"
expect_line "$tmp/demo.out" "PING 10.0.1.2 (10.0.1.2) 56(84) bytes of data."

# --- a failing script stops at its line -----------------------------------
printf 'echo first\nip link set eth9 up\necho never\n' > "$tmp/bad.tn"
if "$TN_TOOL" exec "$tmp/bad.tn" > "$tmp/bad.out" 2> "$tmp/bad.err"; then
	fail "a failing script exited 0"
fi
expect_line "$tmp/bad.out" "first"
grep -q never "$tmp/bad.out" && fail "the script went on after its failure"
expect_line "$tmp/bad.err" "$tmp/bad.tn:2: Cannot find device \"eth9\""
expect_line "$tmp/bad.err" "$tmp/bad.tn:2: stopped: exit status 1"

if [ "$fails" -ne 0 ]; then
	echo "$fails check(s) failed"
	exit 1
fi
echo "ok"
