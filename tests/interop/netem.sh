# tests/interop/netem.sh: transfers under netem, shared by test_netem_linux.sh
# (netem on the Linux side of the TAP) and test_netem_tuxnet.sh (netem on
# tuxnet's side, tuxnet's own qdisc). Sourced after common.sh.
#
# netem_case NAME LINUX_QDISC TUXNET_QDISC EXPECT: one tuxnet run in which
#   Linux nc -> tuxnet nc -l --digest  and  tuxnet nc --send --digest -> Linux nc -l
# move $SIZE bytes each, at the same time, with `tc qdisc add dev tap0 root
# LINUX_QDISC` on Linux (unless "-") and `tc qdisc add dev tn0 root
# TUXNET_QDISC` in tuxnet (unless "-"). Both digests must match. EXPECT says
# whose retransmissions must be visible: "linux", "tuxnet", "both", "none";
# the counters are printed in any case (tuxnet's nstat TcpRetransSegs, Linux's
# nstat TcpRetransSegs, Linux's ss -ti retrans while the transfer runs).

SIZE=$((BIG / 8))

netem_case() {
	local name=$1 lq=$2 tq=$3 expect=$4 tnq="" lxnc got sent lxgot tr lr
	[ "$tq" != - ] && tnq="tc qdisc add dev tn0 root $tq"
	ip netns exec "$NS" timeout "$T_BIG" nc -l -p 9001 < /dev/null > "$tmp/$name.lx.got" 2>&1 &
	lxnc=$!
	wait_listen 9001 || fail "$name: Linux nc -l did not start"
	nsx nstat -n > /dev/null 2>&1
	tn_start "$name" -t "$((T_BIG + 60))" \
		${tnq:+"$tnq"} \
		"nc -l -p 9000 --digest &" \
		"$TN_GATE" \
		"echo ready" \
		"nc -N -w 30 --send $SIZE --digest $LX 9001" \
		"nc -l -p 7777" \
		"nstat TcpRetransSegs TcpExtTCPSACKRecovery TcpExtTCPLostRetransmit TcpExtTCPTimeouts" \
		"echo done" || return
	case $lq in
	-) ;;
	nft-loss\ *) nft_loss_add "${lq#nft-loss }" || fail "$name: nft loss rule on tap0" ;;
	*) nsx tc qdisc add dev tap0 root $lq || fail "$name: tc qdisc add dev tap0 root $lq" ;;
	esac
	tn_await "$name" '^ready$' 20 || fail "$name: tuxnet never ready"
	nsx timeout "$T_BIG" nc -N $TN 9000 < "$tmp/src" > /dev/null 2> "$tmp/$name.lxc.err" ||
		fail "$name: Linux nc -> tuxnet: exit status $?: $(cat "$tmp/$name.lxc.err")"
	nsx ss -tiH "dport = :9001" > "$tmp/$name.ss" 2>&1
	wait "$lxnc" || fail "$name: Linux nc -l: exit status $?"
	tn_await "$name" '^nc: received [1-9]' 30 || fail "$name: tuxnet nc -l printed no digest"
	echo go | nsx timeout 5 nc -N $TN 7777
	tn_await "$name" '^done$' 20 || fail "$name: tuxnet did not finish"
	case $lq in
	-) ;;
	nft-loss\ *) nsx nft list table netdev tnloss | sed -n 's/^.*hook \([a-z]*\).*$/\1/p;s/^.*counter/dropped/p' |
			paste -sd' ' | sed 's/^/  Linux nft random drop (tap0 hooks): /'
		nsx nft delete table netdev tnloss ;;
	*) nsx tc -s qdisc show dev tap0 | sed -n 's/^ *Sent/  Linux netem: Sent/p' ;;
	esac
	nsx nstat TcpRetransSegs TcpExtTCPSACKRecovery TcpExtTCPLostRetransmit TcpExtTCPTimeouts \
		> "$tmp/$name.lx.nstat" 2>&1
	tn_stop

	got=$(sed -n 's/^nc: received \([0-9]*\) bytes digest \([0-9a-f]*\)$/\1 \2/p' "$tmp/$name.out" |
		grep -v '^0 ' | head -1)
	[ "$got" = "$src_fnv" ] && ok "$name: Linux nc -> tuxnet intact ($got)" ||
		fail "$name: Linux nc -> tuxnet: tuxnet received '$got', Linux sent '$src_fnv'"
	sent=$(sed -n 's/^nc: sent \([0-9]*\) bytes digest \([0-9a-f]*\)$/\1 \2/p' "$tmp/$name.out" |
		grep -v '^0 ' | head -1)
	lxgot=$("$TN_STREAM" digest < "$tmp/$name.lx.got")
	[ "$sent" = "$gen_fnv" ] && [ "$lxgot" = "$gen_fnv" ] &&
		ok "$name: tuxnet nc -> Linux intact ($lxgot)" ||
		fail "$name: tuxnet nc -> Linux: sent '$sent', Linux received '$lxgot', want '$gen_fnv'"

	tr=$(awk '$1 == "TcpRetransSegs" { print $2 }' "$tmp/$name.out")
	lr=$(awk '$1 == "TcpRetransSegs" { print $2 }' "$tmp/$name.lx.nstat")
	echo "  $name: TcpRetransSegs tuxnet ${tr:-0}, Linux ${lr:-0}"
	grep -E '^Tcp' "$tmp/$name.out" | sed "s/^/  $name tuxnet: /"
	sed "s/^/  $name Linux: /" "$tmp/$name.lx.nstat" | grep -v '#kernel'
	grep -o 'retrans:[0-9/]*' "$tmp/$name.ss" | head -1 | sed "s/^/  $name Linux ss -ti (tuxnet's sender, seen by Linux): /"
	case $expect in
	tuxnet | both) [ "${tr:-0}" -gt 0 ] || fail "$name: no retransmissions in tuxnet's nstat" ;;
	esac
	case $expect in
	linux | both) [ "${lr:-0}" -gt 0 ] || fail "$name: no retransmissions in Linux's nstat" ;;
	esac
	[ "$fails" -gt 0 ] && tn_show "$name"
	return 0
}

# nft_loss_add PCT: where the kernel has no sch_netem, Linux-side random loss
# from nftables instead, PCT % each way on tap0: frames tuxnet sends are
# dropped at tap0's netdev ingress hook (a loss tuxnet's TCP must repair),
# frames Linux sends at its egress hook. The egress drop is not netem's
# silent loss: the kernel reports it to the sending TCP (NET_XMIT_DROP, as
# for any local qdisc drop), which sends the segment again as new data, so
# Linux counts no retransmissions for it. Removed by netem_case.
nft_loss_add() {
	nsx nft -f - << EOF
table netdev tnloss {
	chain in {
		type filter hook ingress device "tap0" priority 0; policy accept;
		numgen random mod 100 < $1 counter drop
	}
	chain out {
		type filter hook egress device "tap0" priority 0; policy accept;
		numgen random mod 100 < $1 counter drop
	}
}
EOF
}

# netem_prepare: the source file Linux sends and the digests to expect.
netem_prepare() {
	need nc nstat ss tc
	need_stream
	head -c "$SIZE" /dev/urandom > "$tmp/src"
	src_fnv=$("$TN_STREAM" digest < "$tmp/src")
	gen_fnv=$("$TN_STREAM" gen "$SIZE" | "$TN_STREAM" digest)
}
