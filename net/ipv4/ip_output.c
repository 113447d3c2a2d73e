/*
 * IPv4 transmit (Linux's net/ipv4/ip_output.c), everything but cutting
 * fragments (ip_fragment.c's ip_do_fragment):
 *
 *   ip_build_and_send   route the flow (route.c), then ip_send_routed
 *   ip_send_routed      build the header: source from the route, TTL,
 *                       DF from the PMTU discovery mode, IP ID
 *   ip_local_out        IpOutRequests, LOCAL_OUT, dst_output
 *   ip_output           POSTROUTING
 *   ip_finish_output    fits the MTU, or fragment, or refuse (DF)
 *   ip_finish_output2   the neighbour of the next hop, then dev_queue_xmit
 *
 * Forwarded packets join at dst_output (ip_forward.c). Local and loopback
 * destinations need nothing special here: their route leaves through lo.
 */
#include <errno.h>
#include <stdlib.h>

#include "net/arp.h"
#include "net/checksum.h"
#include "net/dst.h"
#include "net/gso.h"
#include "net/icmp.h"
#include "net/inetdevice.h"
#include "net/inet_sock.h"
#include "net/net_namespace.h"
#include "net/ip.h"
#include "net/neighbour.h"
#include "net/netfilter.h"
#include "net/route.h"
#include "net/stack.h"
#include "net/wire/ethernet.h"
#include "lib/hash.h"

/* ---- IP identification --------------------------------------------------- */

/*
 * Linux's ip_idents: a table of ID generators, a destination (with source
 * and protocol) hashed with a per-namespace secret to one of them, so the
 * IDs one peer sees say nothing about traffic to others. A generator idle
 * for a while jumps ahead by a random amount below the idle jiffies, so an
 * observer cannot count what was sent in between (ip_idents_reserve).
 *
 * Linux gives a connected socket its own counter and leaves the ID of an
 * atomic (DF, never fragmented) datagram sent without one at 0 (RFC 6864
 * 4.1 allows any value there). Sockets do not exist yet, so every datagram
 * takes a generator from this table, except the DF datagrams of
 * IP_PMTUDISC_DO/PROBE senders, which get 0 as Linux's do.
 */
#define IP_IDENTS_SZ 2048u

struct ip_ident_bucket {
	u32 id;
	u32 stamp;        /* jiffies of the last use */
};

int ip_idents_init(struct net *net)
{
	struct tn_stack *st = net->stack;
	struct ip_ident_bucket *b = calloc(IP_IDENTS_SZ, sizeof(*b));

	if (!b)
		return -ENOMEM;
	/* Random starting points, as Linux fills the table at boot. */
	for (u32 i = 0; i < IP_IDENTS_SZ; i++)
		b[i].id = tn_prandom_u32(st);
	net->ipv4.ip_idents = b;
	net->ipv4.ip_id_seed = tn_prandom_u32(st);
	return 0;
}

void ip_idents_exit(struct net *net)
{
	free(net->ipv4.ip_idents);
	net->ipv4.ip_idents = NULL;
}

u16 ip_select_id(struct net *net, u32 saddr, u32 daddr, u8 protocol)
{
	struct tn_stack *st = net->stack;
	u32 hash = jhash_3words(daddr, saddr, protocol, net->ipv4.ip_id_seed);
	u32 now = (u32)jiffies(st);
	struct ip_ident_bucket *b;
	u32 delta = 0;

	if (unlikely(!net->ipv4.ip_idents))
		return (u16)tn_prandom_u32(st);
	b = &net->ipv4.ip_idents[hash & (IP_IDENTS_SZ - 1)];
	if (b->stamp != now) {
		delta = tn_prandom_below(st, now - b->stamp);
		b->stamp = now;
	}
	b->id += 1 + delta;
	return (u16)(b->id - 1);
}

/* ---- MTU ------------------------------------------------------------------ */

/*
 * Linux's ip_dst_mtu_maybe_forward. A router uses the route's MTU metric
 * or the device's MTU and ignores a learned PMTU (which a forged ICMP could
 * have lowered) unless net.ipv4.ip_forward_use_pmtu asks for it or the MTU
 * is locked; our own packets use the PMTU.
 */
u32 ip_dst_mtu_maybe_forward(const struct rtable *rt, bool forwarding)
{
	struct net *net = dev_net(rt->dst.dev);
	u32 mtu;

	if (!forwarding || net->ipv4.sysctl_ip_fwd_use_pmtu || rt->rt_mtu_locked) {
		if (rt->rt_pmtu && (!rt->dst.expires || jiffies(net->stack) < rt->dst.expires))
			return TN_MIN(rt->rt_pmtu, (u32)IP_MAX_PACKET);
	}
	mtu = rt->rt_mtu ? rt->rt_mtu : rt->dst.dev->mtu;
	return TN_MIN(mtu, (u32)IP_MAX_PACKET);
}

/* Linux's ip_skb_dst_mtu for a packet with no full socket behind it. */
static u32 ip_skb_dst_mtu(const struct sk_buff *skb)
{
	return ip_dst_mtu_maybe_forward(skb_rtable(skb), IPCB(skb)->flags & IPSKB_FORWARDED);
}

/* ---- the last steps --------------------------------------------------------- */

static void ip_count_out_cast(struct net *net, const struct rtable *rt, u32 len)
{
	if (rt->rt_type == RTN_MULTICAST) {
		__IP_INC_STATS(net, IPSTATS_MIB_OUTMCASTPKTS);
		__IP_ADD_STATS(net, IPSTATS_MIB_OUTMCASTOCTETS, len);
	} else if (rt->rt_type == RTN_BROADCAST) {
		__IP_INC_STATS(net, IPSTATS_MIB_OUTBCASTPKTS);
		__IP_ADD_STATS(net, IPSTATS_MIB_OUTBCASTOCTETS, len);
	}
}

/*
 * Hand the packet to the neighbour of the next hop (the gateway, or the
 * destination itself on a connected route), which adds the link header
 * or queues the packet while ARP resolves. IpExtOutOctets and
 * IpOutTransmits count what leaves, after fragmentation, as Linux does
 * since 6.3.
 */
static int ip_finish_output2(struct net *net, struct sock *sk, struct sk_buff *skb)
{
	struct rtable *rt = skb_rtable(skb);
	struct net_device *dev = rt->dst.dev;
	struct neighbour *neigh;
	struct ipv4_repr iph;

	(void)sk;
	ip_count_out_cast(net, rt, skb->len);
	__IP_ADD_STATS(net, IPSTATS_MIB_OUTOCTETS, skb->len);
	__IP_INC_STATS(net, IPSTATS_MIB_OUTTRANSMITS);

	if (unlikely(skb_headroom(skb) < LL_RESERVED_SPACE(dev) && dev->header_ops)) {
		if (skb_cow_head(skb, LL_RESERVED_SPACE(dev))) {
			__IP_INC_STATS(net, IPSTATS_MIB_OUTDISCARDS);
			kfree_skb_reason(skb, SKB_DROP_REASON_NOMEM);
			return -ENOMEM;
		}
	}
	ip_hdr_repr(skb, &iph);
	neigh = ip_neigh_for_gw(dev, rt_nexthop(rt, iph.daddr));
	if (likely(neigh))
		return neigh_output(neigh, skb);

	__IP_INC_STATS(net, IPSTATS_MIB_OUTDISCARDS);
	kfree_skb_reason(skb, SKB_DROP_REASON_NEIGH_CREATEFAIL);
	return -EINVAL;
}

/*
 * Linux's ip_finish_output_gso: a GSO packet whose segments fit the MTU
 * goes on whole (the device or validate_xmit_skb cuts it). One whose
 * segments do not (a forwarded GSO packet meeting a smaller MTU) is cut
 * here, and each segment then fits or is fragmented (or refused with DF,
 * ICMP fragmentation needed) like any packet.
 */
static int ip_finish_output_gso(struct net *net, struct sock *sk, struct sk_buff *skb,
				u32 mtu)
{
	struct sk_buff *segs;
	int ret = 0, err;

	if (skb_gso_validate_network_len(skb, mtu))
		return ip_finish_output2(net, sk, skb);
	segs = skb_gso_segment(skb, skb_dst(skb)->dev->features & NETIF_F_CSUM_MASK, &err);
	if (!segs) {
		__IP_INC_STATS(net, IPSTATS_MIB_OUTDISCARDS);
		kfree_skb_reason(skb, SKB_DROP_REASON_SKB_GSO_SEG);
		return -ENOMEM;
	}
	consume_skb(skb);
	while (segs) {
		struct sk_buff *nskb = segs->next;

		segs->next = NULL;
		err = segs->len > mtu ? ip_fragment(net, sk, segs, mtu, ip_finish_output2)
				      : ip_finish_output2(net, sk, segs);
		if (err && !ret)
			ret = err;
		segs = nskb;
	}
	return ret;
}

static int ip_finish_output(struct net *net, struct sock *sk, struct sk_buff *skb)
{
	u32 mtu = ip_skb_dst_mtu(skb);

	if (skb_is_gso(skb))
		return ip_finish_output_gso(net, sk, skb, mtu);

	/* Too big: ip_fragment (ip_frag_output.c) cuts it, or refuses a DF
	 * packet with ICMP fragmentation needed. */
	if (skb->len > mtu || IPCB(skb)->frag_max_size)
		return ip_fragment(net, sk, skb, mtu, ip_finish_output2);
	return ip_finish_output2(net, sk, skb);
}

/* The output of every unicast route: POSTROUTING (skipped for a packet
 * that a netfilter target already rerouted and sent through it). */
int ip_output(struct net *net, struct sock *sk, struct sk_buff *skb)
{
	struct net_device *in = skb->dev, *out = skb_dst(skb)->dev;

	skb->dev = out;
	skb->protocol = ETH_P_IP;
	return NF_HOOK_COND(NFPROTO_IPV4, NF_INET_POST_ROUTING, net, sk, skb, in, out,
			    ip_finish_output, !(IPCB(skb)->flags & IPSKB_REROUTED));
}

/* ---- local output ---------------------------------------------------------- */

/*
 * Linux's __ip_local_out: the header gets its final length and checksum
 * here (a caller or a hook may have built or changed it), the datagram is
 * counted as IpOutRequests, and LOCAL_OUT sees it. 1 means "continue with
 * dst_output", as nf_hook's return.
 */
static int __ip_local_out(struct net *net, struct sock *sk, struct sk_buff *skb)
{
	u8 *iph = skb_network_header(skb);

	__IP_INC_STATS(net, IPSTATS_MIB_OUTPKTS);
	put_be16(iph + 2, (u16)skb->len);
	put_be16(iph + 10, 0);
	put_be16(iph + 10, ip_fast_csum(iph, (unsigned int)(iph[0] & 0x0f)));
	skb->protocol = ETH_P_IP;
	return nf_hook(NFPROTO_IPV4, NF_INET_LOCAL_OUT, net, sk, skb, NULL, skb_dst(skb)->dev,
		       dst_output);
}

int ip_local_out(struct net *net, struct sock *sk, struct sk_buff *skb)
{
	int err = __ip_local_out(net, sk, skb);

	if (likely(err == 1))
		err = dst_output(net, sk, skb);
	return err;
}

/* The defaults of a socket nobody configured: TTL from the route (the
 * sysctl), PMTU discovery on unless net.ipv4.ip_no_pmtu_disc. */
static struct ip_tx_params ip_tx_defaults(const struct net *net)
{
	return (struct ip_tx_params){
		.pmtudisc = net->ipv4.sysctl_ip_no_pmtu_disc ? IP_PMTUDISC_DONT : IP_PMTUDISC_WANT,
	};
}

/*
 * Whether the datagram carries DF (Linux's __ip_make_skb): always for DO
 * and PROBE; for WANT only when it fits the path MTU and that MTU is not
 * locked, so that a datagram larger than the path is fragmented rather
 * than lost.
 */
static bool ip_want_df(const struct ip_tx_params *p, const struct rtable *rt, u32 len, u32 mtu)
{
	if (p->pmtudisc == IP_PMTUDISC_DO || p->pmtudisc == IP_PMTUDISC_PROBE)
		return true;
	return p->pmtudisc == IP_PMTUDISC_WANT && len <= mtu && !rt->rt_mtu_locked;
}

static u8 ip_select_ttl(struct net *net, const struct ip_tx_params *p, u32 daddr)
{
	if (p->ttl)
		return p->ttl;
	/* Multicast stays on the link unless asked otherwise (IP_MULTICAST_TTL
	 * defaults to 1). */
	if (ipv4_is_multicast(daddr))
		return 1;
	return (u8)net->ipv4.sysctl_ip_default_ttl;
}

/*
 * The IP ID (Linux's ip_select_ident_segs): a connected socket numbers its
 * own packets from inet_id (random at connect/accept; TCP takes the value
 * then steps, UDP steps then takes); other DF packets carry 0, and only
 * packets that may be fragmented need the per-destination generator.
 */
static u16 ip_select_ident(struct net *net, struct sock *sk, u32 saddr, u32 daddr,
			   u8 protocol, bool df, u16 segs)
{
	if (sk && inet_sk(sk)->inet_daddr) {
		struct inet_sock *inet = inet_sk(sk);
		u16 id;

		if (sk->sk_type != SOCK_STREAM)
			return ++inet->inet_id;
		/* A GSO packet takes one ID per segment: the segmenter gives
		 * them out in order (ip_select_ident_segs). */
		id = inet->inet_id;
		inet->inet_id = (u16)(inet->inet_id + segs);
		return id;
	}
	if (df)
		return 0;
	return ip_select_id(net, saddr, daddr, protocol);
}

/* Write the header in front of the transport header at skb->data. */
static void ip_push_header(struct net *net, struct sock *sk, struct sk_buff *skb,
			   const struct ip_tx_params *p, u32 saddr, u32 daddr, u8 protocol,
			   bool df)
{
	struct ipv4_repr iph = {
		.ihl = IPV4_MIN_HLEN,
		.tos = p->tos,
		.tot_len = (u16)(skb->len + IPV4_MIN_HLEN),
		.frag_off = df ? IP_DF : 0,
		.ttl = ip_select_ttl(net, p, daddr),
		.protocol = protocol,
		.saddr = saddr,
		.daddr = daddr,
	};

	iph.id = ip_select_ident(net, sk, saddr, daddr, protocol, df,
				 skb_is_gso(skb) ? TN_MAX(skb_shinfo(skb)->gso_segs, (u16)1) : 1);
	skb_push(skb, IPV4_MIN_HLEN);
	skb_reset_network_header(skb);
	ipv4_emit(&iph, skb->data);
}

int ip_send_routed(struct net *net, struct sock *sk, struct sk_buff *skb, struct rtable *rt,
		   u32 saddr, u32 daddr, u8 protocol, const struct ip_tx_params *p)
{
	struct ip_tx_params dflt = ip_tx_defaults(net);
	struct net_device *dev = rt->dst.dev;
	u32 len = skb->len + IPV4_MIN_HLEN;
	u32 mtu;
	bool df;

	/* The segments of a GSO packet (TCP's: skb->data is its header) are
	 * what has to fit the path. */
	if (skb_is_gso(skb) && skb->len >= 20)
		len = TN_MIN(len, IPV4_MIN_HLEN + (u32)(skb->data[12] >> 4) * 4 +
					  skb_shinfo(skb)->gso_size);

	skb_dst_set(skb, &rt->dst);
	if (!p)
		p = &dflt;
	/* PROBE ignores what was learned and sends at the device MTU. */
	mtu = p->pmtudisc == IP_PMTUDISC_PROBE ? dev->mtu : ip_dst_mtu_maybe_forward(rt, false);
	df = ip_want_df(p, rt, len, mtu);
	if (len > IP_MAX_PACKET || (df && len > mtu && p->pmtudisc >= IP_PMTUDISC_DO)) {
		/* The sender asked us not to fragment (or cannot be): it
		 * learns -EMSGSIZE and the path MTU from its socket. */
		__IP_INC_STATS(net, IPSTATS_MIB_FRAGFAILS);
		kfree_skb_reason(skb, SKB_DROP_REASON_PKT_TOO_BIG);
		return -EMSGSIZE;
	}
	if (skb_headroom(skb) < IPV4_MIN_HLEN + LL_RESERVED_SPACE(dev) &&
	    skb_cow_head(skb, IPV4_MIN_HLEN + LL_RESERVED_SPACE(dev))) {
		__IP_INC_STATS(net, IPSTATS_MIB_OUTDISCARDS);
		kfree_skb_reason(skb, SKB_DROP_REASON_NOMEM);
		return -ENOBUFS;
	}
	skb_set_transport_header(skb, 0);
	ip_push_header(net, sk, skb, p, saddr ? saddr : inet_select_addr(dev, daddr, RT_SCOPE_UNIVERSE), daddr, protocol, df);
	memset(IPCB(skb), 0, sizeof(struct inet_skb_parm));
	skb->priority = p->priority;
	skb->mark = p->mark;
	skb->sk = sk;
	return ip_local_out(net, sk, skb);
}

/*
 * Route the flow, then send. The route chooses the source address when the
 * caller leaves it 0 (fl4.saddr). No route is IpOutNoRoutes and the
 * routing error (-ENETUNREACH for "Network is unreachable").
 */
int ip_build_and_send(struct net *net, struct sock *sk, struct sk_buff *skb, u32 saddr,
		      u32 daddr, u8 protocol, const struct ip_tx_params *p)
{
	struct flowi4 fl4 = {
		.flowi4_oif = p ? p->oif : 0,
		.flowi4_mark = p ? p->mark : 0,
		.flowi4_tos = p ? p->tos : 0,
		.flowi4_proto = protocol,
		.saddr = saddr,
		.daddr = daddr,
	};
	struct rtable *rt;
	int err;

	err = ip_route_output_key(net, &fl4, &rt);
	if (err) {
		__IP_INC_STATS(net, IPSTATS_MIB_OUTNOROUTES);
		kfree_skb_reason(skb, SKB_DROP_REASON_IP_OUTNOROUTES);
		return err;
	}
	return ip_send_routed(net, sk, skb, rt, fl4.saddr, daddr, protocol, p);
}
