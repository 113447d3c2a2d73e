#!/bin/bash
# TCP transfers both ways between Linux's nc and tuxnet's nc over a TAP,
# with netem on the Linux side of the TAP (`tc qdisc add dev tap0 root netem
# ...` in the test's namespace): 2 % loss, 50 ms delay, reordering (root
# only). The loss case puts netem loss 2% on both sides (tuxnet's own on
# tn0 too), so each sender loses data: the digests match and both nstats
# show retransmissions. Where the kernel has no sch_netem (`tc qdisc add ...
# netem`: "Specified qdisc kind is unknown") the loss case runs with Linux-side
# loss from nftables instead (2 % each way at tap0's netdev hooks, netem.sh
# nft_loss_add) plus tuxnet's netem loss 2%: data intact, tuxnet's
# retransmissions visible (Linux resends what its own egress hook drops as
# new data, so its counter need not move); the delay and reordering cases,
# which only netem can do in Linux, are reported as not run (tuxnet's own
# netem covers them in test_netem_tuxnet.sh); with neither netem nor nft it
# skips (77). docs/interop.md ("netem") has the same by hand.
TN_CASE=netemlx
. "$(dirname "$0")/common.sh"
. "$(dirname "$0")/netem.sh"
need tc
command -v modprobe > /dev/null && modprobe -q sch_netem 2> /dev/null
if nsx tc qdisc add dev lo root netem delay 0ms 2> "$tmp/netem.err"; then
	nsx tc qdisc del dev lo root
	netem_prepare
	netem_case lx-loss "netem loss 2%" "netem loss 2%" both
	netem_case lx-loss-linux-only "netem loss 2%" - linux
	netem_case lx-delay "netem delay 50ms" - none
	netem_case lx-reorder "netem delay 10ms reorder 25% 50%" - none
	finish "transfers with Linux-side netem loss 2%, delay 50ms, reordering ($SIZE bytes each way) in $NS"
fi
why=$(head -1 "$tmp/netem.err")
command -v nft > /dev/null || skip "no netem in this kernel (sch_netem: $why) and no nft for Linux-side loss"
nsx nft add table netdev tnprobe 2> "$tmp/nft.err" && nsx nft delete table netdev tnprobe ||
	skip "no netem in this kernel (sch_netem: $why) and nft fails: $(head -1 "$tmp/nft.err")"
echo "no netem in this kernel (sch_netem: $why): Linux-side loss from nftables;"
echo "not run: Linux-side delay 50ms and reordering (only netem does them in Linux;"
echo "test_netem_tuxnet.sh runs both with tuxnet's netem on the other side of the TAP)"
netem_prepare
netem_case lx-loss "nft-loss 2" "netem loss 2%" tuxnet
netem_case lx-loss-linux-only "nft-loss 2" - tuxnet
finish "transfers with Linux-side loss 2% (nftables; this kernel has no netem) ($SIZE bytes each way) in $NS"
