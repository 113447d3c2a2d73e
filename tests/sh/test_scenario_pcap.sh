#!/bin/bash
# Captures written during a routed scenario (ARP, ICMP echo, IPv4 fragments,
# fragmentation-needed, TTL exceeded, a netem link) decode in tshark
# with no malformed packet, and show what the scenario did: fragments that
# tshark reassembles, the ICMP errors with their codes and next-hop MTU.
set -u

TN_TOOL=${TN_TOOL:-${TN_BUILD_DIR:-build}/tuxnet}
if [ ! -x "$TN_TOOL" ]; then
	echo "SKIP: no tuxnet tool at $TN_TOOL"
	exit 77
fi
if ! command -v tshark >/dev/null 2>&1; then
	echo "SKIP: tshark is not installed (scripts/deps.sh installs it)"
	exit 77
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

cat > "$tmp/pcap.tn" <<'TN'
ip netns add host1
ip netns add router
ip netns add host2
ip -n host1 link add veth0 type veth peer name veth1 netns router
ip -n router link add veth2 type veth peer name veth3 netns host2
ip -n host1 addr add 10.0.0.1/24 dev veth0
ip -n router addr add 10.0.0.254/24 dev veth1
ip -n router addr add 10.0.1.254/24 dev veth2
ip -n host2 addr add 10.0.1.2/24 dev veth3
ip -n host1 link set veth0 up
ip -n router link set veth1 up
ip -n router link set veth2 up
ip -n host2 link set veth3 up
ip -n router link set veth2 mtu 1400
ip -n host2 link set veth3 mtu 1400
ip netns exec router sysctl -w net.ipv4.ip_forward=1
ip -n host1 route add default via 10.0.0.254
ip -n host2 route add default via 10.0.1.254
tc -n router qdisc add dev veth2 root netem delay 5ms
ip netns exec host1 tcpdump -i veth0 -w left.pcap
ip netns exec host2 tcpdump -i veth3 -w right.pcap
ping -c 1 127.0.0.1
ip netns exec host1 ping -c 10 -i 0.2 -s 3000 10.0.1.2
! ip netns exec host1 ping -c 2 -M do -s 1472 10.0.1.2
! ip netns exec host1 ping -c 1 -t 1 10.0.1.2
TN

(cd "$tmp" && "$TN_TOOL" run --seed 3 pcap.tn) > "$tmp/out" 2>&1 ||
	fail "scenario failed: $(tail -5 "$tmp/out")"
for f in left right; do
	[ -s "$tmp/$f.pcap" ] || fail "no $f.pcap written: $(tail -5 "$tmp/out")"
	bad=$(tshark -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE -o tcp.check_checksum:TRUE -r "$tmp/$f.pcap" -Y "_ws.malformed || _ws.expert.severity == error" 2>/dev/null)
	[ -z "$bad" ] || fail "$f.pcap has malformed or erroneous packets:
$bad"
done

count() { tshark -r "$tmp/$1.pcap" -Y "$2" 2>/dev/null | wc -l; }
# ARP both ways on the first link, fragments of the 3000-byte echoes.
[ "$(count left arp.opcode==1)" -ge 1 ] || fail "left: no ARP request"
[ "$(count left arp.opcode==2)" -ge 1 ] || fail "left: no ARP reply"
[ "$(count left 'ip.flags.mf==1')" -ge 10 ] || fail "left: no IPv4 fragments"
[ "$(count left 'icmp.type==8')" -ge 10 ] || fail "left: echo requests not reassembled by tshark"
# Fragmentation needed, with the next-hop MTU of the second link.
[ "$(count left 'icmp.type==3 && icmp.code==4 && icmp.mtu==1400')" -ge 1 ] ||
	fail "left: no ICMP fragmentation-needed with mtu 1400"
# The router re-fragments for 1400 on the right.
[ "$(count right 'ip.flags.mf==1 && frame.len<=1414')" -ge 1 ] || fail "right: no 1400-byte fragments"
[ "$(count right 'icmp.type==0')" -ge 1 ] || fail "right: no echo replies from host2"
# TTL 1 from host1 dies at the router: time exceeded comes back.
[ "$(count left 'icmp.type==11')" -ge 1 ] || fail "left: no ICMP time exceeded"
echo "pcap: $(count left '') frames left, $(count right '') right, none malformed"
