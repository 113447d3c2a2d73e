#!/bin/bash
# Every scenario in examples/ runs with `tuxnet run`, says what it should
# (ping statistics, traceroute hops, the learned path MTU, counters that
# moved) and prints the same bytes twice for one seed. Wall time is not
# asserted here (no timing thresholds in tests); bench/ measures it.
set -u

TN_TOOL=${TN_TOOL:-${TN_BUILD_DIR:-build}/tuxnet}
TN_SOURCE_DIR=${TN_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
if [ ! -x "$TN_TOOL" ]; then
	echo "SKIP: no tuxnet tool at $TN_TOOL"
	exit 77
fi
TN_TOOL=$(cd "$(dirname "$TN_TOOL")" && pwd)/$(basename "$TN_TOOL")
EX=$TN_SOURCE_DIR/examples

tmp=$(mktemp -d /tmp/tn-scenarios.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fails=0

fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}

# expect_line FILE LINE: FILE has LINE as a whole line.
expect_line() {
	grep -qxF -- "$2" "$1" || fail "$(basename "$1") lacks: $2"
}

# expect_re FILE REGEX: some line of FILE matches the extended REGEX.
expect_re() {
	grep -qE -- "$2" "$1" || fail "$(basename "$1") has no line matching: $2"
}

# counter FILE NAME: the value nstat printed for NAME (the first one).
counter() {
	awk -v n="$2" '$1 == n { print $2; exit }' "$1"
}

# expect_counter FILE NAME: nstat printed a non-zero NAME.
expect_counter() {
	local v
	v=$(counter "$1" "$2")
	[ -n "$v" ] && [ "$v" -gt 0 ] || fail "$(basename "$1"): counter $2 is '${v:-absent}'"
}

# run NAME [ARGS...]: run examples/NAME.tn (in $tmp, with ARGS before the
# file) into $tmp/NAME.out (stdout and stderr in order); check status 0.
run() {
	local name=$1
	shift
	(cd "$tmp" && "$TN_TOOL" run "$@" "$EX/$name.tn") > "$tmp/$name.out" 2>&1 ||
		fail "$name.tn: exit status $?: $(tail -3 "$tmp/$name.out")"
}

# --- routed-pmtu: fragments, frag-needed, the learned PMTU, traceroute ----
run routed-pmtu
out=$tmp/routed-pmtu.out
expect_line "$out" "PING 10.0.1.2 (10.0.1.2) 56(84) bytes of data."
expect_re "$out" "^64 bytes from 10\.0\.1\.2: icmp_seq=1 ttl=63 time=[0-9.]+ ms$"
expect_line "$out" "3 packets transmitted, 3 received, 0% packet loss, time 2000ms"
expect_line "$out" "PING 10.0.1.2 (10.0.1.2) 2000(2028) bytes of data."
expect_re "$out" "^2008 bytes from 10\.0\.1\.2: icmp_seq=2 ttl=63 time="
expect_line "$out" "2 packets transmitted, 2 received, 0% packet loss, time 1000ms"
expect_line "$out" "From 10.0.0.254 icmp_seq=1 Frag needed and DF set (mtu = 1400)"
expect_line "$out" "ping: local error: message too long, mtu=1400"
expect_line "$out" "2 packets transmitted, 0 received, +2 errors, 100% packet loss, time 1000ms"
expect_re "$out" "^    cache expires [0-9]+sec mtu 1400 $"
expect_re "$out" "^1380 bytes from 10\.0\.1\.2: icmp_seq=1 ttl=63 time="
expect_line "$out" "traceroute to 10.0.1.2 (10.0.1.2), 30 hops max, 60 byte packets"
expect_re "$out" "^ 1  10\.0\.0\.254 \(10\.0\.0\.254\)  [0-9.]+ ms"
expect_re "$out" "^ 2  10\.0\.1\.2 \(10\.0\.1\.2\)  [0-9.]+ ms  [0-9.]+ ms  [0-9.]+ ms$"
# The counters: host1's, then the router's, then host2's nstat.
awk '/^== The counters/ { on = 1 } on' "$out" > "$tmp/counters"
awk '/^#kernel/ { n++ } n == 1' "$tmp/counters" > "$tmp/c.host1"
awk '/^#kernel/ { n++ } n == 2' "$tmp/counters" > "$tmp/c.router"
awk '/^#kernel/ { n++ } n == 3' "$tmp/counters" > "$tmp/c.host2"
expect_counter "$tmp/c.host1" IpFragCreates
expect_counter "$tmp/c.host1" IpFragOKs
expect_counter "$tmp/c.host1" IcmpInDestUnreachs
expect_counter "$tmp/c.host1" IcmpInEchoReps
expect_counter "$tmp/c.router" IpForwDatagrams
expect_counter "$tmp/c.router" IpFragCreates
expect_counter "$tmp/c.router" IcmpOutDestUnreachs
expect_counter "$tmp/c.router" IcmpOutTimeExcds
expect_counter "$tmp/c.host2" IpReasmOKs
expect_counter "$tmp/c.host2" IcmpOutEchoReps

# --- lossy-link: netem delay and seeded loss ------------------------------
run lossy-link --seed 1
out=$tmp/lossy-link.out
stats=$(grep -E "^20 packets transmitted, " "$out")
rx=$(echo "$stats" | sed -n 's/^20 packets transmitted, \([0-9]*\) received.*/\1/p')
if [ -z "$rx" ] || [ "$rx" -ge 20 ] || [ "$rx" -le 0 ]; then
	fail "lossy-link: expected some but not all of 20 replies: '$stats'"
fi
expect_re "$out" "^rtt min/avg/max/mdev = 1[0-9][0-9]\.[0-9]{3}/"
expect_re "$out" "^qdisc netem 8001: root refcnt 2 limit 1000 delay 50ms loss 10%"
expect_re "$out" "^ Sent [0-9]+ bytes [0-9]+ pkt \(dropped [1-9][0-9]*, overlimits 0 requeues 0\) $"
expect_re "$out" "^5 packets transmitted, [0-9]+ received"

# --- traceroute-two-routers -------------------------------------------------
run traceroute-two-routers
out=$tmp/traceroute-two-routers.out
expect_line "$out" "From 10.0.0.254 icmp_seq=1 Time to live exceeded"
expect_line "$out" "From 10.0.1.2 icmp_seq=1 Time to live exceeded"
expect_re "$out" "^64 bytes from 10\.0\.2\.2: icmp_seq=1 ttl=62 time="
expect_line "$out" "traceroute to 10.0.2.2 (10.0.2.2), 30 hops max, 60 byte packets"
expect_re "$out" "^ 1  10\.0\.0\.254 \(10\.0\.0\.254\)  [0-9.]+ ms  [0-9.]+ ms  [0-9.]+ ms$"
expect_re "$out" "^ 2  10\.0\.1\.2 \(10\.0\.1\.2\)  [0-9.]+ ms  [0-9.]+ ms  [0-9.]+ ms$"
expect_re "$out" "^ 3  10\.0\.2\.2 \(10\.0\.2\.2\)  [0-9.]+ ms  [0-9.]+ ms  [0-9.]+ ms$"
expect_re "$out" "^ 3  10\.0\.2\.2  [0-9.]+ ms$"
expect_re "$out" "^ 1  10\.0\.0\.254  [0-9.]+ ms !N$"

# --- the same seed prints the same bytes -----------------------------------
for name in routed-pmtu lossy-link traceroute-two-routers; do
	cp "$tmp/$name.out" "$tmp/$name.first"
	if [ "$name" = lossy-link ]; then run "$name" --seed 1; else run "$name"; fi
	cmp -s "$tmp/$name.first" "$tmp/$name.out" ||
		fail "$name.tn: two runs with one seed differ: $(diff "$tmp/$name.first" "$tmp/$name.out" | head -5)"
done

# --- the demo is routed-pmtu, told ------------------------------------------
"$TN_TOOL" demo > "$tmp/demo.out" 2>&1 || fail "tuxnet demo: exit status $?"
expect_line "$tmp/demo.out" "\$ ip netns exec host1 traceroute -I 10.0.1.2"
expect_line "$tmp/demo.out" "3 packets transmitted, 3 received, 0% packet loss, time 2000ms"

if [ "$fails" -ne 0 ]; then
	echo "$fails check(s) failed"
	exit 1
fi
echo "ok"
