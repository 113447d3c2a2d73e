/*
 * IPv4 forwarding (Linux's net/ipv4/ip_forward.c; RFC 1812 section 5.3).
 * ip_route_input chooses ip_forward as the input of a packet that is not
 * ours when net.ipv4.ip_forward (conf.DEV.forwarding) allows it; here the
 * packet is checked, its TTL spent, and it leaves through FORWARD and
 * dst_output like any packet we send.
 *
 * Not here: ICMP redirects (RFC 1812 5.2.7.2) and router-alert delivery to
 * raw sockets.
 */
#include <errno.h>

#include "net/gso.h"
#include "net/checksum.h"
#include "net/dst.h"
#include "net/icmp.h"
#include "net/ip.h"
#include "net/net_namespace.h"
#include "net/netfilter.h"
#include "net/route.h"
#include "net/stack.h"

/* Linux's ip_exceeds_mtu: only a DF packet is too big; one that came in
 * fragments that each fit is not, however large the whole. */
static bool ip_exceeds_mtu(const struct sk_buff *skb, const struct ipv4_repr *iph, u32 mtu)
{
	if (skb->len <= mtu)
		return false;
	/* A GSO packet (from a veth peer or a TAP) is too big only if its
	 * segments are: ip_finish_output_gso cuts it. */
	if (skb_is_gso(skb) && skb_gso_validate_network_len(skb, mtu))
		return false;
	if (!(iph->frag_off & IP_DF))
		return false;
	if (IPCB(skb)->frag_max_size && IPCB(skb)->frag_max_size <= mtu)
		return false;
	return true;
}

/*
 * RFC 1812 5.3.1: decrement the TTL by one and fix the checksum for that
 * change alone (RFC 1624), never summing the header again: a router must
 * not repair a checksum the sender got wrong. TTL and protocol share one
 * 16-bit word of the header.
 */
static void ip_decrease_ttl(u8 *iph)
{
	u16 old = get_be16(iph + 8);
	u16 new = (u16)(old - 0x0100);

	put_be16(iph + 8, new);
	put_be16(iph + 10, csum_replace2(get_be16(iph + 10), old, new));
}

static int ip_forward_finish(struct net *net, struct sock *sk, struct sk_buff *skb)
{
	__IP_INC_STATS(net, IPSTATS_MIB_OUTFORWDATAGRAMS);
	if (unlikely(IPCB(skb)->opt.optlen))
		ip_forward_options(skb);
	skb->tstamp = 0;
	return dst_output(net, sk, skb);
}

/* The TTL ran out here: tell the sender (RFC 1812 5.3.1), count a header
 * error as Linux does. */
static int ip_forward_too_many_hops(struct net *net, struct sk_buff *skb)
{
	__IP_INC_STATS(net, IPSTATS_MIB_INHDRERRORS);
	icmp_send(skb, ICMP_TIME_EXCEEDED, ICMP_EXC_TTL, 0);
	kfree_skb_reason(skb, SKB_DROP_REASON_IP_INHDR);
	return NET_RX_DROP;
}

/* DF and bigger than the next hop takes: RFC 1191's "fragmentation
 * needed" with the next-hop MTU, counted as IpFragFails. */
static int ip_forward_too_big(struct net *net, struct sk_buff *skb, u32 mtu)
{
	__IP_INC_STATS(net, IPSTATS_MIB_FRAGFAILS);
	icmp_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, mtu);
	kfree_skb_reason(skb, SKB_DROP_REASON_PKT_TOO_BIG);
	return NET_RX_DROP;
}

/*
 * A packet that arrived in a link-layer broadcast or multicast, or that a
 * socket owns, is never forwarded (RFC 1812 5.3.4); nor is one whose strict
 * source route would need a gateway, which earns ICMP source route failed.
 * Linux counts neither; we count them as address and header errors.
 */
static int ip_forward_refuse(struct net *net, struct sk_buff *skb, const struct ipv4_repr *iph,
			     const struct rtable *rt)
{
	if (skb->pkt_type != PACKET_HOST || skb->sk) {
		__IP_INC_STATS(net, IPSTATS_MIB_INADDRERRORS);
		kfree_skb_reason(skb, skb->pkt_type == PACKET_BROADCAST ||
					      skb->pkt_type == PACKET_MULTICAST ?
				      SKB_DROP_REASON_UNICAST_IN_L2_MULTICAST :
				      SKB_DROP_REASON_OTHERHOST);
		return -1;
	}
	if (iph->ttl <= 1) {
		ip_forward_too_many_hops(net, skb);
		return -1;
	}
	if (IPCB(skb)->opt.is_strictroute && rt->rt_uses_gateway) {
		__IP_INC_STATS(net, IPSTATS_MIB_INHDRERRORS);
		icmp_send(skb, ICMP_DEST_UNREACH, ICMP_SR_FAILED, 0);
		kfree_skb_reason(skb, SKB_DROP_REASON_IP_INHDR);
		return -1;
	}
	return 0;
}

int ip_forward(struct sk_buff *skb)
{
	struct rtable *rt = skb_rtable(skb);
	struct net *net = dev_net(skb->dev);
	struct net_device *out = rt->dst.dev;
	struct ipv4_repr iph;
	u32 mtu;

	ip_hdr_repr(skb, &iph);
	if (ip_forward_refuse(net, skb, &iph, rt))
		return NET_RX_DROP;

	IPCB(skb)->flags |= IPSKB_FORWARDED;
	mtu = ip_dst_mtu_maybe_forward(rt, true);
	if (ip_exceeds_mtu(skb, &iph, mtu))
		return ip_forward_too_big(net, skb, mtu);

	/* We are about to write into the header: make it ours, with room
	 * for the outgoing link header. */
	if (skb_cow_head(skb, LL_RESERVED_SPACE(out))) {
		__IP_INC_STATS(net, IPSTATS_MIB_OUTDISCARDS);
		kfree_skb_reason(skb, SKB_DROP_REASON_NOMEM);
		return NET_RX_DROP;
	}
	ip_decrease_ttl(skb_network_header(skb));
	return NF_HOOK(NFPROTO_IPV4, NF_INET_FORWARD, net, NULL, skb, skb->dev, out,
		       ip_forward_finish);
}
