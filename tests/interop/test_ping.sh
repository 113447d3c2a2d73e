#!/bin/bash
# ping between Linux and tuxnet over a TAP device (root only; 77 otherwise).
#
# Linux's ping (iputils) to tuxnet and tuxnet's ping to Linux, with the
# default size and with -s 3000 over MTU 1500 on both sides, so that each
# direction's requests and replies are fragmented by the sender and
# reassembled by the receiver: 3 of 3 replies each time, and the fragment
# counters move on both sides (Linux's nstat in the namespace, tuxnet's
# nstat in the scenario). docs/interop.md ("ping") has the same by hand.
TN_CASE=ping
. "$(dirname "$0")/common.sh"
need ping nstat

tn_start ping -t 60 \
	"$TN_GATE" \
	"ping -c 3 -i 0.2 -W 2 $LX" \
	"ping -c 3 -i 0.2 -W 2 -s 3000 $LX" \
	"nstat -a IpFragCreates IpFragOKs IpReasmOKs IpReasmReqds" \
	"sleep 1d" || finish

# Linux -> tuxnet, while the scenario waits or pings in turn.
nsx timeout 20 ping -c 3 -i 0.2 -W 2 $TN > "$tmp/lx.out" 2>&1 ||
	fail "Linux ping: $(tail -2 "$tmp/lx.out")"
grep -q '3 packets transmitted, 3 received' "$tmp/lx.out" || fail "Linux ping: not 3 of 3"
nsx timeout 20 ping -c 3 -i 0.2 -W 2 -s 3000 $TN > "$tmp/lx3000.out" 2>&1 ||
	fail "Linux ping -s 3000: $(tail -2 "$tmp/lx3000.out")"
grep -q '3 packets transmitted, 3 received' "$tmp/lx3000.out" ||
	fail "Linux ping -s 3000: not 3 of 3"
grep -q '3008 bytes from' "$tmp/lx3000.out" || fail "Linux ping -s 3000: no 3008-byte replies"

# tuxnet -> Linux: the scenario's pings are done when it prints its counters.
tn_await ping 'IpFragCreates' 30 || fail "tuxnet: no counters after its pings"
out=$tmp/ping.out
[ "$(grep -c '3 packets transmitted, 3 received' "$out")" = 2 ] ||
	fail "tuxnet ping: not 3 of 3 twice"
grep -q '^3008 bytes from' "$out" || fail "tuxnet ping -s 3000: no 3008-byte replies"
for c in IpFragCreates IpReasmOKs; do
	grep -qE "^$c +[1-9]" "$out" || fail "tuxnet: $c did not move"
done
nsx nstat -as IpFragCreates IpReasmOKs > "$tmp/lx.nstat"	# a fresh namespace
for c in IpFragCreates IpReasmOKs; do
	grep -qE "^$c +[1-9]" "$tmp/lx.nstat" || fail "Linux: $c did not move"
done

# SIGTERM during `sleep 1d`, the middle of the script: 143, as a shell.
tn_stop
st=$?
[ "$st" = 143 ] || fail "tuxnet: exit status $st after SIGTERM, not 143"
if [ "$fails" -gt 0 ]; then
	tn_show ping
	cat "$tmp/lx.nstat"
fi
finish "ping both ways, 56 and 3000 bytes (fragmented) in $NS"
