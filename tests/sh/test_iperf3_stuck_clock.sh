#!/bin/bash
# In virtual time a link without delay or rate is infinitely fast, so a timed
# iperf3 over it could never reach its end: the tool must stop with a clear
# error (and a non-zero status) instead of spinning, and the same test over a
# link with a delay must finish.
set -u

TN_TOOL=${TN_TOOL:-${TN_BUILD_DIR:-build}/tuxnet}
if [ ! -x "$TN_TOOL" ]; then
	echo "SKIP: no tuxnet tool at $TN_TOOL"
	exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

world() {
	cat <<'TN'
ip netns add a
ip netns add b
ip -n a link add veth0 type veth peer name veth1 netns b
ip -n a addr add 10.0.0.1/24 dev veth0
ip -n b addr add 10.0.0.2/24 dev veth1
ip -n a link set veth0 up
ip -n b link set veth1 up
TN
}

{ world; echo 'ip netns exec a iperf3 -s -1 &'; echo 'ip netns exec b iperf3 -c 10.0.0.1 -t 1'; } > "$tmp/stuck.tn"
timeout 300 "$TN_TOOL" run "$tmp/stuck.tn" > "$tmp/stuck.out" 2>&1
rc=$?
[ $rc -ne 0 ] && [ $rc -ne 124 ] || fail "expected a failing status, got $rc"
grep -q "no time passes on this path" "$tmp/stuck.out" || fail "no explanation: $(tail -3 "$tmp/stuck.out")"

{ world
  echo 'tc -n a qdisc add dev veth0 root netem delay 1ms'
  echo 'tc -n b qdisc add dev veth1 root netem delay 1ms'
  echo 'ip netns exec a iperf3 -s -1 &'
  echo 'ip netns exec b iperf3 -c 10.0.0.1 -t 1'; } > "$tmp/delay.tn"
timeout 300 "$TN_TOOL" run "$tmp/delay.tn" > "$tmp/delay.out" 2>&1 || fail "delayed link failed: $(tail -3 "$tmp/delay.out")"
grep -q " sender$" "$tmp/delay.out" || fail "no sender summary"
echo "iperf3: a stuck clock is an error; a delayed link completes"
