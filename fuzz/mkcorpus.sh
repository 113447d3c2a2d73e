#!/usr/bin/env bash
# Write the seed corpus of the fuzz targets (fuzz/corpus/<target>/) from the
# hex below: real frames as a peer 02:00:00:00:00:aa / 10.0.0.2 would send
# them to fuzz_rx's device (10.0.0.1, 02:00:00:00:00:02), plus truncated and
# odd ones. The files are committed; run this only to change them.
set -euo pipefail
cd "$(dirname "$0")/corpus"

# hex TARGET NAME HEX...: write the bytes to TARGET/NAME.
hex() {
	local dir=$1 name=$2; shift 2
	local h; h=$(echo "$*" | tr -d ' \n')
	mkdir -p "$dir"
	printf '%b' "$(echo "$h" | sed 's/../\\x&/g')" > "$dir/$name"
}
# seq TARGET NAME FRAME-HEX...: fuzz_rx's "TNSQ" sequence of frames.
seq_frames() {
	local dir=$1 name=$2; shift 2
	local out="54 4e 53 51" f len
	for f in "$@"; do
		f=$(echo "$f" | tr -d ' ')
		len=$(( ${#f} / 2 ))
		out="$out $(printf '%04x' "$len") $f"
	done
	hex "$dir" "$name" "$out"
}

BCAST="ffffffffffff"; US="020000000002"; PEER="0200000000aa"
ARP_HDR="0001 0800 06 04"
ARP_REQ="$BCAST $PEER 0806 $ARP_HDR 0001 $PEER 0a000002 000000000000 0a000001"
ARP_REPLY="$US $PEER 0806 $ARP_HDR 0002 $PEER 0a000002 $US 0a000001"
ARP_GARP="$BCAST $PEER 0806 $ARP_HDR 0001 $PEER 0a000002 000000000000 0a000002"
ARP_OTHER="$BCAST $PEER 0806 $ARP_HDR 0001 $PEER 0a000002 000000000000 0a000003"
ICMP_ECHO="$US $PEER 0800 4500002c00014000400126ce0a0000020a0000010800bc9c123400017475786e65742d70696e672d73656564"

hex fuzz_rx arp_request "$ARP_REQ"
hex fuzz_rx arp_reply "$ARP_REPLY"
hex fuzz_rx arp_gratuitous "$ARP_GARP"
hex fuzz_rx arp_request_other_host "$ARP_OTHER"
hex fuzz_rx arp_request_padded "$ARP_REQ 000000000000000000000000000000000000"
hex fuzz_rx eth_broadcast_unknown "$BCAST $PEER 88b5 74757820736565642066726f6d2070656572"
hex fuzz_rx eth_8023_llc "$BCAST $PEER 0026 424203 0000000000000000"
hex fuzz_rx eth_vlan "$US $PEER 8100 0064 0806 $ARP_HDR 0001 $PEER 0a000002 000000000000 0a000001"
hex fuzz_rx ipv4_icmp_echo "$ICMP_ECHO"
hex fuzz_rx truncated_10 "ffffffffffff02000000"
hex fuzz_rx truncated_hdr_only "$BCAST $PEER 0806"
hex fuzz_rx truncated_arp "$BCAST $PEER 0806 $ARP_HDR 0001 $PEER 0a00"
seq_frames fuzz_rx seq_request_reply "$ARP_REQ" "$ARP_REPLY"
seq_frames fuzz_rx seq_reply_garp_icmp "$ARP_REPLY" "$ARP_GARP" "$ICMP_ECHO"

hex fuzz_arp request "$ARP_HDR 0001 $PEER 0a000002 000000000000 0a000001"
hex fuzz_arp reply "$ARP_HDR 0002 $PEER 0a000002 $US 0a000001"
hex fuzz_arp ieee802_htype "0006 0800 06 04 0001 $PEER 0a000002 000000000000 0a000001"
hex fuzz_arp long_hln "0001 0800 08 04 0001 ${PEER}0000 0a000002 0000000000000000 0a000001"
hex fuzz_arp truncated "$ARP_HDR 0001 $PEER"

hex fuzz_eth broadcast_arp "$BCAST $PEER 0806"
hex fuzz_eth unicast_ipv4 "$US $PEER 0800 45"
hex fuzz_eth multicast "01005e000001 $PEER 0800"
hex fuzz_eth short "$US $PEER 08"
