#!/bin/bash
# TCP transfers both ways between Linux's nc and tuxnet's nc over a TAP, with
# netem in tuxnet on its side of the TAP (`tc qdisc add dev tn0 root netem
# ...` in the scenario): 2 % loss, 50 ms delay, reordering (root only).
# Data intact both ways (digests); with loss, tuxnet's retransmissions show
# in its nstat. Runs wherever the TAP runs: it needs nothing of the host's
# sch_netem. test_netem_linux.sh is the same with netem on Linux's side.
# docs/interop.md ("netem") has the same by hand.
TN_CASE=netemtn
. "$(dirname "$0")/common.sh"
. "$(dirname "$0")/netem.sh"
netem_prepare

netem_case tn-loss - "netem loss 2%" tuxnet
netem_case tn-delay - "netem delay 50ms" none
netem_case tn-reorder - "netem delay 10ms reorder 25% 50%" none
finish "transfers with tuxnet-side netem loss 2%, delay 50ms, reordering ($SIZE bytes each way) in $NS"
