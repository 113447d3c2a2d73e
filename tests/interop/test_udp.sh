#!/bin/bash
# UDP both ways with nc -u between Linux (netcat-openbsd) and tuxnet over a
# TAP (root only; 77 otherwise).
#
#   tuxnet nc -u -e TEXT      -> Linux nc -u -l          Linux prints TEXT
#   Linux  nc -u (stdin TEXT) -> tuxnet nc -u -l -e PONG  tuxnet prints TEXT,
#                                                         Linux prints PONG
#   3000-byte datagrams both ways (fragmented at MTU 1500), byte for byte.
# docs/interop.md ("UDP") has the same by hand.
TN_CASE=udp
. "$(dirname "$0")/common.sh"
need nc python3

# A 3000-byte line (2999 characters and the newline).
big=$(python3 -c 'print(("udp-interop-" * 300)[:2999])')

# Linux listeners first: one datagram each, printed to a file.
ip netns exec "$NS" timeout 30 nc -u -l 9100 < /dev/null > "$tmp/lx-small.got" 2>&1 &
ip netns exec "$NS" timeout 30 nc -u -l 9102 < /dev/null > "$tmp/lx-big.got" 2>&1 &
wait_listen 9100 udp && wait_listen 9102 udp || fail "Linux nc -u -l did not start"

tn_start udp -t 60 \
	"nc -u -l -p 9101 -e pong-from-tuxnet &" \
	"nc -u -l -k -p 9103 &" \
	"$TN_GATE" \
	"nc -u -q 1 -e hello-from-tuxnet $LX 9100" \
	"nc -u -q 1 -e $big $LX 9102" \
	"echo sent" || finish
tn_await udp '^sent$' 20 || fail "tuxnet's clients did not finish"

# tuxnet -> Linux.
for _ in $(seq 40); do
	[ -s "$tmp/lx-big.got" ] && break
	sleep 0.05
done
grep -qx 'hello-from-tuxnet' "$tmp/lx-small.got" && ok "tuxnet nc -u -> Linux nc -u -l" ||
	fail "Linux nc -u -l got '$(head -c 100 "$tmp/lx-small.got")', not hello-from-tuxnet"
[ "$(cat "$tmp/lx-big.got")" = "$big" ] && ok "tuxnet nc -u -> Linux: 3000-byte datagram" ||
	fail "Linux nc -u -l: the 3000-byte datagram differs ($(wc -c < "$tmp/lx-big.got") bytes)"

# Linux -> tuxnet, and tuxnet's answer back.
# netcat-openbsd stops reading the network once its standard input ends
# (UDP has no half-close), so the input stays open for a second.
(echo ping-from-linux; sleep 1) | nsx timeout 10 nc -u -w 2 $TN 9101 > "$tmp/lx-pong.got" 2>&1
grep -qx 'pong-from-tuxnet' "$tmp/lx-pong.got" && ok "tuxnet nc -u -l -e -> Linux nc -u" ||
	fail "Linux nc -u got '$(head -c 100 "$tmp/lx-pong.got")', not pong-from-tuxnet"
tn_await udp '^ping-from-linux$' 5 && ok "Linux nc -u -> tuxnet nc -u -l" ||
	fail "tuxnet nc -u -l did not print ping-from-linux"
echo "$big" | nsx timeout 10 nc -u -q 0 $TN 9103
tn_await udp "^$big\$" 5 && ok "Linux nc -u -> tuxnet: 3000-byte datagram" ||
	fail "tuxnet nc -u -l -k did not print the 3000-byte datagram"
nsx nstat -az IpFragCreates IpReasmOKs > "$tmp/lx.nstat"
grep -qE '^IpReasmOKs +[1-9]' "$tmp/lx.nstat" || fail "Linux reassembled nothing"

tn_stop
st=$?
[ "$st" = 0 ] || fail "tuxnet: exit status $st after SIGTERM, not 0"
[ "$fails" -gt 0 ] && tn_show udp
finish "UDP both ways with nc -u, 18 and 3000 bytes, in $NS"
