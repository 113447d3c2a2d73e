#!/bin/bash
# TCP transfers both ways between Linux's nc and tuxnet's nc over a TAP,
# with netem on the Linux side of the TAP (`tc qdisc add dev tap0 root netem
# ...` in the test's namespace): 2 % loss, 50 ms delay, reordering (root
# only). The loss case puts netem loss 2% on both sides (tuxnet's own on
# tn0 too), so each sender loses data: the digests match and both nstats
# show retransmissions. Skips (77) with a message where the kernel has no
# sch_netem (`tc qdisc add ... netem`: "Specified qdisc kind is unknown").
# docs/interop.md ("netem") has the same by hand.
TN_CASE=netemlx
. "$(dirname "$0")/common.sh"
. "$(dirname "$0")/netem.sh"
need tc
command -v modprobe > /dev/null && modprobe -q sch_netem 2> /dev/null
if ! nsx tc qdisc add dev lo root netem delay 0ms 2> "$tmp/netem.err"; then
	skip "no netem in this kernel (sch_netem): $(head -1 "$tmp/netem.err")"
fi
nsx tc qdisc del dev lo root
netem_prepare

netem_case lx-loss "netem loss 2%" "netem loss 2%" both
netem_case lx-loss-linux-only "netem loss 2%" - linux
netem_case lx-delay "netem delay 50ms" - none
netem_case lx-reorder "netem delay 10ms reorder 25% 50%" - none
finish "transfers with Linux-side netem loss 2%, delay 50ms, reordering ($SIZE bytes each way) in $NS"
