#!/bin/bash
# TSO/GSO over the TAP (root only; 77 otherwise or without tshark): with
# IFF_VNET_HDR and TUNSETOFFLOAD(TUN_F_CSUM|TUN_F_TSO4) both sides hand each
# other TCP frames larger than the 1500-byte MTU, and a transfer each way is
# intact (FNV digests compared on both ends).
#
#   tuxnet nc --send --digest -> Linux nc -l    tuxnet's GSO frames, cut by Linux
#   Linux nc -> tuxnet nc -l --digest           Linux's TSO frames, read whole
#
# The capture on the host side of the TAP shows the large frames in both
# directions (as tcpdump on a Linux veth or virtio guest would); tuxnet's
# ethtool -S counts them (tx_gso_packets, rx_gso_packets). Then
# `ethtool -K tn0 tso off` makes tuxnet segment in software: no frame above
# the MTU leaves tuxnet, and the data is still intact. docs/interop.md
# ("TSO/GSO") has the same by hand.
TN_CASE=tso
. "$(dirname "$0")/common.sh"
need nc tshark
need_stream

SIZE=$((16 * 1024 * 1024))
gen_fnv=$("$TN_STREAM" gen "$SIZE" | "$TN_STREAM" digest)
"$TN_STREAM" gen "$SIZE" > "$tmp/file"

ip netns exec "$NS" timeout 120 nc -l -p 9001 < /dev/null > "$tmp/lx1.got" 2> "$tmp/lx1.err" &
lx1=$!
wait_listen 9001 || fail "Linux nc -l did not start"

tn_start tso -t 120 \
	"nc -l -p 9000 --digest &" \
	"$TN_GATE" \
	"echo ready" \
	"nc -N -w 30 --send $SIZE --digest $LX 9001" \
	"echo sent with tso" \
	"wait" \
	"ethtool -S tn0" \
	"ethtool -K tn0 tso off" \
	"ethtool -k tn0" \
	"nc -N -w 30 --send $SIZE --digest $LX 9002" \
	"echo sent without tso" || finish

# The capture: headers only, every TCP segment on tap0.
ip netns exec "$NS" timeout 110 tshark -i tap0 -s 128 -f tcp -w "$tmp/cap.pcapng" \
	> "$tmp/tshark.out" 2>&1 &
tspid=$!
for _ in $(seq 100); do
	grep -q 'Capturing on' "$tmp/tshark.out" && break
	sleep 0.05
done
ip netns exec "$NS" timeout 120 nc -l -p 9002 < /dev/null > "$tmp/lx2.got" 2> "$tmp/lx2.err" &
lx2=$!
wait_listen 9002 || fail "Linux nc -l 9002 did not start"
tn_await tso '^ready$' 15 || fail "tuxnet: never ready"

# Linux -> tuxnet while tuxnet sends to Linux.
nsx timeout 60 nc -N $TN 9000 < "$tmp/file" > /dev/null 2> "$tmp/lxc.err" ||
	fail "Linux nc -> tuxnet: exit status $?: $(cat "$tmp/lxc.err")"
tn_await tso '^sent without tso$' 90 || fail "tuxnet's senders did not finish"
wait "$lx1" || fail "Linux nc -l 9001: exit status $?"
wait "$lx2" || fail "Linux nc -l 9002: exit status $?"
tn_stop
kill -INT "$tspid" 2> /dev/null
wait "$tspid" 2> /dev/null

got=$(sed -n 's/^nc: received \([0-9]*\) bytes digest \([0-9a-f]*\)$/\1 \2/p' "$tmp/tso.out" |
	grep -v '^0 ' | head -1)
[ "$got" = "$gen_fnv" ] && ok "Linux nc -> tuxnet: $got" ||
	fail "Linux nc -> tuxnet: received '$got', expected '$gen_fnv'"
for f in lx1 lx2; do
	lxgot=$("$TN_STREAM" digest < "$tmp/$f.got")
	[ "$lxgot" = "$gen_fnv" ] && ok "tuxnet -> Linux ($f): $lxgot" ||
		fail "tuxnet -> Linux ($f): received '$lxgot', expected '$gen_fnv'"
done

# big SRC PORT: frames from SRC on PORT whose IP packet is above the MTU.
big() {
	tshark -r "$tmp/cap.pcapng" -Y "ip.src == $1 && tcp.port == $2 && ip.len > 1500" \
		2> /dev/null | wc -l
}
n=$(big $TN 9001)
[ "$n" -gt 0 ] && ok "tuxnet sent $n frames above the MTU (TSO)" ||
	fail "no frame above the MTU from tuxnet with TSO on"
n=$(big $LX 9000)
[ "$n" -gt 0 ] && ok "Linux sent $n frames above the MTU into the TAP" ||
	fail "no frame above the MTU from Linux (TUN_F_TSO4 not taken?)"
n=$(big $TN 9002)
[ "$n" = 0 ] && ok "tso off: tuxnet segmented in software (no frame above the MTU)" ||
	fail "tso off: $n frames above the MTU from tuxnet"

stat() {
	sed -n "s/^ *$1: \([0-9]*\)$/\1/p" "$tmp/tso.out" | head -1
}
[ "$(stat tx_gso_packets)" -gt 0 ] 2> /dev/null && ok "ethtool -S: tx_gso_packets $(stat tx_gso_packets)" ||
	fail "ethtool -S: tx_gso_packets '$(stat tx_gso_packets)'"
[ "$(stat rx_gso_packets)" -gt 0 ] 2> /dev/null && ok "ethtool -S: rx_gso_packets $(stat rx_gso_packets)" ||
	fail "ethtool -S: rx_gso_packets '$(stat rx_gso_packets)'"
[ "$(stat rx_gso_bad)" = 0 ] || fail "ethtool -S: rx_gso_bad $(stat rx_gso_bad)"
grep -q "^tcp-segmentation-offload: off" "$tmp/tso.out" || fail "ethtool -k: TSO still on"

[ "$fails" -gt 0 ] && tn_show tso
finish "TSO/GSO both ways over the TAP ($SIZE bytes each way)"
