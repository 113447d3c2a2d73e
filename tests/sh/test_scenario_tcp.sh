#!/bin/bash
# TCP end to end in virtual time, through `tuxnet run`: bulk transfers
# under netem loss (0, 1, 5 %), reordering, duplication, corruption and
# jitter, each checked by digest (iperf3 --digest: the hash of what was
# sent equals the hash of what was received); a 100 ms RTT path filled to
# its bandwidth-delay product with window scaling in ss -i; a SYN flood
# answered with SYN cookies while connections keep working; listen queue
# overflow in nstat; the ephemeral port range exhausted and recovered
# after TIME-WAIT. Every case says what failed and why; all cases run even
# when one fails.
set -u

TN_TOOL=${TN_TOOL:-${TN_BUILD_DIR:-build}/tuxnet}
TN_SOURCE_DIR=${TN_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
if [ ! -x "$TN_TOOL" ]; then
	echo "SKIP: no tuxnet tool at $TN_TOOL"
	exit 77
fi
TN_TOOL=$(cd "$(dirname "$TN_TOOL")" && pwd)/$(basename "$TN_TOOL")
EX=$TN_SOURCE_DIR/examples
TPL=$TN_SOURCE_DIR/tests/scenario/tcp-bulk.tn.in

tmp=$(mktemp -d /tmp/tn-tcp.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fails=0

fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}

expect_re() {
	grep -qE -- "$2" "$1" || fail "$(basename "$1") has no line matching: $2"
}

# counter FILE NAME: the value nstat printed for NAME (the first one).
counter() {
	awk -v n="$2" '$1 == n { print $2; exit }' "$1"
}

expect_counter() {
	local v
	v=$(counter "$1" "$2")
	[ -n "$v" ] && [ "$v" -gt 0 ] || fail "$(basename "$1"): counter $2 is '${v:-absent}'"
}

# digests_ok FILE: at least one digest line, and every one says ok.
digests_ok() {
	grep -qE '^\[ *[0-9]+\] digest sender [0-9a-f]{16} receiver [0-9a-f]{16} ok$' "$1" ||
		fail "$(basename "$1"): no matching digest line"
	! grep -q 'MISMATCH' "$1" || fail "$(basename "$1"): digest mismatch"
}

# run_file NAME FILE: tuxnet run FILE into $tmp/NAME.out; status 0 expected.
run_file() {
	(cd "$tmp" && timeout 300 "$TN_TOOL" run "$2") > "$tmp/$1.out" 2>&1 ||
		fail "$1: exit status $?: $(tail -5 "$tmp/$1.out")"
}

# --- bulk transfers under impairment ------------------------------------
bulk() {
	local name=$1 netem=$2
	sed "s/@NETEM@/$netem/g" "$TPL" > "$tmp/$name.tn"
	run_file "$name" "$tmp/$name.tn"
	digests_ok "$tmp/$name.out"
	expect_re "$tmp/$name.out" 'sender$'
	expect_re "$tmp/$name.out" 'receiver$'
	expect_re "$tmp/$name.out" '^iperf Done\.$'
}

bulk loss0 "delay 5ms"
bulk loss1 "delay 5ms loss 1%"
bulk loss5 "delay 5ms loss 5%"
expect_counter "$tmp/loss5.out" TcpRetransSegs
bulk reorder "delay 10ms reorder 25% 50%"
bulk duplicate "delay 5ms duplicate 5%"
bulk corrupt "delay 5ms corrupt 2%"
expect_counter "$tmp/corrupt.out" TcpInCsumErrors
bulk jitter "delay 20ms 10ms"

# --- the long fat pipe ---------------------------------------------------
run_file bdp "$EX/tcp-bdp.tn"
digests_ok "$tmp/bdp.out"
expect_re "$tmp/bdp.out" 'wscale:[0-9]+,[0-9]+'
# 20 s at 100 Mbit/s: the window must reach the BDP for more than 60 Mbit/s.
rate=$(awk '/sender$/ && $8 == "Mbits/sec" { print int($7); exit }' "$tmp/bdp.out")
[ -n "$rate" ] && [ "$rate" -gt 60 ] || fail "bdp: sender rate '${rate:-none}' Mbits/sec, want > 60"

# --- SYN flood -----------------------------------------------------------
run_file synflood "$EX/tcp-synflood.tn"
digests_ok "$tmp/synflood.out"
expect_re "$tmp/synflood.out" '^synflood: sent 3000 SYNs to 10\.0\.0\.1:5201$'
expect_counter "$tmp/synflood.out" TcpExtSyncookiesSent
expect_re "$tmp/synflood.out" '^nc: received 100000 bytes digest'

# --- listen queue overflow ----------------------------------------------
run_file overflow "$EX/tcp-listen-overflow.tn"
expect_counter "$tmp/overflow.out" TcpExtListenOverflows
expect_counter "$tmp/overflow.out" TcpExtListenDrops
expect_re "$tmp/overflow.out" '^LISTEN +[0-9]+ +1 '

# --- ephemeral ports ------------------------------------------------------
run_file ephemeral "$EX/tcp-ephemeral.tn"
expect_re "$tmp/ephemeral.out" '^connect-many: 100 connected, then connect: Cannot assign requested address$'
expect_re "$tmp/ephemeral.out" '^TIME-WAIT '
expect_re "$tmp/ephemeral.out" '^connect-many: 100 connected$'
expect_counter "$tmp/ephemeral.out" TcpExtTW

# --- nc and iperf3 examples ----------------------------------------------
run_file nc "$EX/tcp-nc.tn"
expect_re "$tmp/nc.out" '^hello over TCP$'
expect_re "$tmp/nc.out" '^nc: connect to 10\.0\.0\.1 port 7002 \(tcp\) failed: Connection refused$'
s=$(grep -m1 '^nc: sent 1000000 bytes' "$tmp/nc.out" | awk '{print $6}')
r=$(grep '^nc: received 1000000 bytes' "$tmp/nc.out" | awk '{print $6}' | head -1)
[ -n "$s" ] && [ "$s" = "$r" ] || fail "nc: digest sent '$s' received '$r'"
run_file iperf3 "$EX/tcp-iperf3.tn"
digests_ok "$tmp/iperf3.out"
expect_re "$tmp/iperf3.out" '^Connecting to host 10\.0\.0\.1, port 5201$'
expect_re "$tmp/iperf3.out" '^\[  5\] local 10\.0\.0\.2 port [0-9]+ connected to 10\.0\.0\.1 port 5201$'
expect_re "$tmp/iperf3.out" '^ESTAB '

if [ "$fails" -ne 0 ]; then
	echo "$fails check(s) failed"
	exit 1
fi
echo "PASS: TCP scenarios"
