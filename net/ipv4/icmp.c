/*
 * ICMP for IPv4 (Linux's net/ipv4/icmp.c, RFC 792, RFC 1122 3.2.2, RFC 1812
 * 4.3). Three jobs:
 *
 *   - input: icmp_rcv checks the message and dispatches on its type through
 *     icmp_pointers[], answering echo and timestamp requests, handing echo
 *     replies to the pinger that asked (ping.c) and errors to whoever sent
 *     the packet they quote: the transport's err_handler, the pinger for its
 *     own probes, and the routing code for path MTU;
 *   - output of errors: icmp_send, with the rules of RFC 1122 on what never
 *     gets an error and the rate limits of Linux (a namespace-wide bucket of
 *     icmp_msgs_per_sec and a per-destination inet_peer bucket of
 *     icmp_ratelimit, both only for the types of icmp_ratemask);
 *   - the per-namespace defaults of the net.ipv4.icmp_* sysctls.
 *
 * Not here yet: echoing IP options into replies (__ip_options_echo),
 * raw-socket delivery, acting on redirects (they are passed to the
 * transports, which ignore them as UDP does), extended echo (RFC 8335) and
 * RFC 4884 extensions.
 */
#include <errno.h>
#include <netinet/in.h>

#include "net/skbuff.h"  /* before <linux/...> headers: PACKET_HOST */
#include "net/icmp.h"
#include "net/checksum.h"
#include "net/inetdevice.h"
#include "net/inetpeer.h"
#include "net/ip.h"
#include "net/net_namespace.h"
#include "net/netdevice.h"
#include "net/protocol.h"
#include "net/route.h"
#include "net/stack.h"
#include "net/wire/ipv4.h"

#define NR_ICMP_TYPES_KNOWN (NR_ICMP_TYPES + 1)   /* types 0..18 */
#define ICMP_ADDRESS 17
#define ICMP_ADDRESSREPLY 18
#define IPTOS_TOS_MASK 0x1e
#define IPTOS_PREC_INTERNETCONTROL 0xc0
/* RFC 1122 3.2.2: an error quotes at most what fits in 576 bytes. */
#define ICMP_ERR_MAX_LEN 576
/* INADDR_DUMMY (192.0.0.8, RFC 7600) is the source when no address of ours can be. */
#define HZ 1000

/* What an outgoing message is made of: the ICMP header (plus the 12 bytes
 * of a timestamp reply) and data copied from the packet it answers. */
struct icmp_bxm {
	struct icmp_repr icmph;
	u8 times[12];          /* timestamp reply: originate, receive, transmit */
	unsigned int head_len; /* ICMP_HLEN, or ICMP_HLEN + 12 for timestamps */
	const u8 *data;
	unsigned int data_len;
};

/* ---- counters ------------------------------------------------------------ */

void icmp_out_count(struct net *net, u8 type)
{
	net->mib.icmpmsg[256 + type]++;
	__ICMP_INC_STATS(net, ICMP_MIB_OUTMSGS);
}

static void icmpmsg_in_count(struct net *net, u8 type)
{
	net->mib.icmpmsg[type]++;
}

/* ---- rate limits ------------------------------------------------------------ */

bool icmp_global_allow(struct net *net)
{
	u64 now = jiffies(net->stack);
	u64 stamp = net->ipv4.icmp_global_credit_ts;
	u64 delta;
	int incr;

	/* Credit left: allow. Several messages may drive the bucket below
	 * zero through icmp_global_consume; that is Linux's accepted race. */
	if (net->ipv4.icmp_global_credit > 0)
		return true;
	/* A stamp of "never" counts as a full second ago, as Linux's boot
	 * jiffies (five minutes before zero) make the first refill full. */
	delta = stamp == UINT64_MAX ? HZ : TN_MIN(now - stamp, (u64)HZ);
	if (delta < HZ / 50)
		return false;
	incr = (int)((u64)net->ipv4.sysctl_icmp_msgs_per_sec * delta / HZ);
	if (!incr)
		return false;
	net->ipv4.icmp_global_credit_ts = now;
	net->ipv4.icmp_global_credit = TN_MIN(net->ipv4.icmp_global_credit + incr,
					      net->ipv4.sysctl_icmp_msgs_burst);
	return true;
}

void icmp_global_consume(struct net *net)
{
	net->ipv4.icmp_global_credit -= (int)tn_prandom_below(net->stack, 3);
}

/* Types outside icmp_ratemask, and fragmentation-needed (path MTU
 * discovery must not stall), are never limited. */
static bool icmpv4_mask_allow(struct net *net, int type, int code)
{
	if (type > NR_ICMP_TYPES)
		return true;
	if (type == ICMP_DEST_UNREACH && code == ICMP_FRAG_NEEDED)
		return true;
	return !((1 << type) & net->ipv4.sysctl_icmp_ratemask);
}

/* The namespace bucket. *apply_ratelimit says whether the per-host one
 * must be asked too. */
static bool icmpv4_global_allow(struct net *net, int type, int code, bool *apply_ratelimit)
{
	if (icmpv4_mask_allow(net, type, code))
		return true;
	if (icmp_global_allow(net)) {
		*apply_ratelimit = true;
		return true;
	}
	__ICMP_INC_STATS(net, ICMP_MIB_RATELIMITGLOBAL);
	return false;
}

/* The per-destination bucket (inet_peer): icmp_ratelimit ms of credit per
 * message, a burst of XRLIM_BURST_FACTOR. Nothing is limited on loopback. */
static bool icmpv4_xrlim_allow(struct net *net, struct rtable *rt, u32 daddr,
			       bool apply_ratelimit)
{
	struct inet_peer *peer;
	bool rc = true;

	if (!apply_ratelimit)
		return true;
	if (!(rt->dst.dev && (rt->dst.dev->flags & IFF_LOOPBACK))) {
		peer = net->ipv4.peers ? inet_getpeer_v4(net->ipv4.peers, daddr, true) : NULL;
		rc = inet_peer_xrlim_allow(peer, net->ipv4.sysctl_icmp_ratelimit,
					   jiffies(net->stack));
		if (peer)
			inet_putpeer(peer);
	}
	if (!rc)
		__ICMP_INC_STATS(net, ICMP_MIB_RATELIMITHOST);
	else
		icmp_global_consume(net);
	return rc;
}

/* ---- building and sending ---------------------------------------------------- */

/* Build the message of param and send it on rt (whose reference the
 * packet takes). Linux counts IcmpOutErrors only when the message cannot
 * be built; a later drop (no neighbour, full queue) is the IP layer's. */
static void icmp_push_reply(struct net *net, const struct icmp_bxm *param, struct rtable *rt,
			    u32 saddr, u32 daddr, u8 tos)
{
	unsigned int len = param->head_len + param->data_len;
	struct ip_tx_params p = { .tos = tos, .pmtudisc = IP_PMTUDISC_DONT };
	struct sk_buff *skb = alloc_skb(net->stack, MAX_HEADER + len);
	u8 *h;

	if (!skb) {
		__ICMP_INC_STATS(net, ICMP_MIB_OUTERRORS);
		ip_rt_put(rt);
		return;
	}
	skb_reserve(skb, MAX_HEADER);
	h = skb_put(skb, len);
	icmp_emit(&param->icmph, h);
	memcpy(h + ICMP_HLEN, param->times, param->head_len - ICMP_HLEN);
	if (param->data_len)
		memcpy(h + param->head_len, param->data, param->data_len);
	put_be16(h + 2, csum_fold(csum_partial(h, len, 0)));
	skb_reset_transport_header(skb);
	icmp_out_count(net, param->icmph.type);
	ip_send_routed(net, NULL, skb, rt, saddr, daddr, IPPROTO_ICMP, &p);
}

/* Is addr a broadcast address as seen from dev (Linux's
 * inet_addr_type_dev_table() == RTN_BROADCAST): the limited broadcast, the
 * zero network, or the broadcast address of one of dev's subnets. */
static bool icmp_addr_is_broadcast(const struct net_device *dev, u32 addr)
{
	const struct in_device *in_dev = dev ? __in_dev_get(dev) : NULL;
	const struct in_ifaddr *ifa;

	if (ipv4_is_lbcast(addr) || ipv4_is_zeronet(addr))
		return true;
	if (!in_dev)
		return false;
	in_dev_for_each_ifa(ifa, in_dev)
		if (ifa->ifa_broadcast && ifa->ifa_broadcast == addr)
			return true;
	return false;
}

static int skb_ip_hdr(const struct sk_buff *skb, struct ipv4_repr *iph)
{
	const u8 *nh = skb_network_header(skb);

	if (skb->network_header == SKB_HDR_UNSET || nh > skb_tail_pointer(skb))
		return -EINVAL;
	return ipv4_parse(nh, (size_t)(skb_tail_pointer(skb) - nh), iph) ? -EINVAL : 0;
}

/* ---- icmp_send ---------------------------------------------------------------- */

/* Which types are errors (icmp_pointers[].error): unknown types count as
 * errors too, so we never answer them with an error. */
static bool icmp_type_is_error(unsigned int type);

/* RFC 1122 3.2.2 and RFC 1812 4.3.2.7: the packets that never get an ICMP
 * error, whatever went wrong with them. */
static bool icmp_send_forbidden(const struct sk_buff *skb_in, const struct rtable *rt,
				const struct ipv4_repr *iph, int type)
{
	const u8 *thdr;
	struct icmp_repr inner;

	if (skb_in->pkt_type != PACKET_HOST)      /* link-layer broadcast/multicast */
		return true;
	if (rt->rt_flags & (RTCF_BROADCAST | RTCF_MULTICAST))
		return true;
	if (iph->frag_off & IP_OFFSET)            /* only the first fragment */
		return true;
	/* A source that does not name one host. Linux leaves this to the
	 * martian checks of input routing; we check it here as well, since
	 * icmp_send is also called on output paths. */
	if (ipv4_is_zeronet(iph->saddr) || ipv4_is_lbcast(iph->saddr) ||
	    ipv4_is_multicast(iph->saddr) || icmp_addr_is_broadcast(skb_in->dev, iph->saddr))
		return true;
	if (!icmp_type_is_error((unsigned int)type) || iph->protocol != IPPROTO_ICMP)
		return false;
	/* We would be an error about an error: a mess would result. */
	thdr = skb_network_header(skb_in) + iph->ihl;
	if (thdr + ICMP_HLEN > skb_tail_pointer(skb_in) ||
	    icmp_parse(thdr, ICMP_HLEN, &inner))
		return true;
	return icmp_type_is_error(inner.type);
}

/* The source of an error: the address the offending packet was sent to
 * when it was for us; otherwise (forwarded) the outgoing interface's,
 * which the route lookup picks from 0, or the incoming interface's with
 * icmp_errors_use_inbound_ifaddr. */
static u32 icmp_error_saddr(struct net *net, const struct sk_buff *skb_in,
			    const struct rtable *rt, const struct ipv4_repr *iph)
{
	struct net_device *dev = NULL;

	if (rt->rt_flags & RTCF_LOCAL)
		return iph->daddr;
	if (rt->rt_iif && net->ipv4.sysctl_icmp_errors_use_inbound_ifaddr)
		dev = __dev_get_by_index(net, skb_in->skb_iif);
	return dev ? inet_select_addr(dev, iph->saddr, RT_SCOPE_LINK) : 0;
}

static void icmp_fill_error_hdr(struct icmp_repr *h, int type, int code, u32 info)
{
	memset(h, 0, sizeof(*h));
	h->type = (u8)type;
	h->code = (u8)code;
	if (type == ICMP_DEST_UNREACH) {
		h->un.frag.unused = (u16)(info >> 16);
		h->un.frag.mtu = (u16)info;
	} else {
		h->un.raw = info;
	}
}

/* RFC 1812 4.3.2.3: as much of the offending packet as fits in 576 bytes
 * (and in the return path's MTU), at least its IP header; 0 if even that
 * does not fit. */
static unsigned int icmp_error_room(const struct sk_buff *skb_in, const struct rtable *rt)
{
	int room = (int)TN_MIN(ipv4_mtu(rt), (u32)ICMP_ERR_MAX_LEN);
	unsigned int avail;

	room -= IPV4_MIN_HLEN + ICMP_HLEN;
	if (room <= IPV4_MIN_HLEN)
		return 0;
	avail = (unsigned int)(skb_tail_pointer(skb_in) - skb_network_header(skb_in));
	return TN_MIN(avail, (unsigned int)room);
}

void icmp_send(struct sk_buff *skb_in, int type, int code, u32 info)
{
	struct rtable *rt = skb_in->dst ? skb_rtable(skb_in) : NULL;
	struct flowi4 fl4 = { 0 };
	struct icmp_bxm param;
	bool apply_ratelimit = false;
	struct ipv4_repr iph;
	struct rtable *ort;
	struct net *net;
	u8 tos;

	if (!rt || !rt->dst.dev || skb_ip_hdr(skb_in, &iph))
		return;
	net = dev_net(rt->dst.dev);
	if (icmp_send_forbidden(skb_in, rt, &iph, type))
		return;
	/* The namespace bucket, except for what came in over loopback. */
	if (!(skb_in->dev && (skb_in->dev->flags & IFF_LOOPBACK)) &&
	    !icmpv4_global_allow(net, type, code, &apply_ratelimit))
		return;

	tos = icmp_type_is_error((unsigned int)type)
		      ? (u8)((iph.tos & IPTOS_TOS_MASK) | IPTOS_PREC_INTERNETCONTROL)
		      : iph.tos;
	fl4.daddr = iph.saddr;
	fl4.saddr = icmp_error_saddr(net, skb_in, rt, &iph);
	fl4.flowi4_tos = tos & IPTOS_TOS_MASK;
	fl4.flowi4_proto = IPPROTO_ICMP;
	fl4.flowi4_mark = skb_in->mark;
	if (ip_route_output_key(net, &fl4, &ort))
		return;
	if (!icmpv4_xrlim_allow(net, ort, fl4.daddr, apply_ratelimit))
		goto out_put;

	icmp_fill_error_hdr(&param.icmph, type, code, info);
	param.head_len = ICMP_HLEN;
	param.data = skb_network_header(skb_in);
	param.data_len = icmp_error_room(skb_in, ort);
	if (!param.data_len)
		goto out_put;
	if (!fl4.saddr)
		fl4.saddr = INADDR_DUMMY;
	icmp_push_reply(net, &param, ort, fl4.saddr, fl4.daddr, tos);
	return;
out_put:
	ip_rt_put(ort);
}

/* ---- answering requests --------------------------------------------------------- */

/* The address a request was sent to, to answer from (Linux's
 * fib_compute_spec_dst): the destination itself for unicast to us;
 * otherwise whatever the return route prefers (0 here). */
static u32 icmp_spec_dst(const struct sk_buff *skb, const struct ipv4_repr *iph)
{
	const struct rtable *rt = skb->dst ? skb_rtable(skb) : NULL;

	if (!rt)
		return inet_lookup_ifaddr(dev_net(skb->dev), iph->daddr) ? iph->daddr : 0;
	if ((rt->rt_flags & (RTCF_BROADCAST | RTCF_MULTICAST | RTCF_LOCAL)) == RTCF_LOCAL)
		return iph->daddr;
	return rt->rt_spec_dst;
}

/* Answer skb (a request) with param, back to its source, with its TOS. */
static void icmp_reply(struct net *net, const struct icmp_bxm *param, struct sk_buff *skb)
{
	bool apply_ratelimit = false;
	struct flowi4 fl4 = { 0 };
	struct ipv4_repr iph;
	struct rtable *rt;

	if (skb_ip_hdr(skb, &iph))
		return;
	if (!icmpv4_global_allow(net, param->icmph.type, param->icmph.code, &apply_ratelimit))
		return;
	fl4.daddr = iph.saddr;
	fl4.saddr = icmp_spec_dst(skb, &iph);
	fl4.flowi4_tos = iph.tos & IPTOS_TOS_MASK;
	fl4.flowi4_proto = IPPROTO_ICMP;
	fl4.flowi4_mark = skb->mark;
	if (ip_route_output_key(net, &fl4, &rt))
		return;
	if (!icmpv4_xrlim_allow(net, rt, fl4.daddr, apply_ratelimit)) {
		ip_rt_put(rt);
		return;
	}
	icmp_push_reply(net, param, rt, fl4.saddr, fl4.daddr, iph.tos);
}

/* RFC 1122 3.2.2.6: echo the identifier, sequence and data. Ignoring all
 * echoes (icmp_echo_ignore_all) is not a drop: the packet was handled. */
static enum skb_drop_reason icmp_echo(struct net *net, struct sk_buff *skb,
				      const struct icmp_repr *icmph)
{
	struct icmp_bxm param;

	if (net->ipv4.sysctl_icmp_echo_ignore_all)
		return SKB_NOT_DROPPED_YET;
	param.icmph = *icmph;
	param.icmph.type = ICMP_ECHOREPLY;
	param.icmph.code = 0;
	param.head_len = ICMP_HLEN;
	param.data = skb->data;
	param.data_len = skb->len;
	icmp_reply(net, &param, skb);
	return SKB_NOT_DROPPED_YET;
}

/* RFC 792 timestamps count milliseconds since midnight UT. A stack has no
 * wall clock (time is injected and may be virtual), so we send its own
 * time of day with the high-order bit set, which RFC 792 reserves for
 * "not relative to midnight UT". */
static u32 inet_current_timestamp(const struct net *net)
{
	return (u32)(jiffies(net->stack) % (24ull * 3600 * 1000)) | 0x80000000u;
}

/* RFC 1122 3.2.2.8: answered, as Linux still does by default. */
static enum skb_drop_reason icmp_timestamp(struct net *net, struct sk_buff *skb,
					   const struct icmp_repr *icmph)
{
	struct icmp_bxm param;
	u32 now = inet_current_timestamp(net);

	if (skb->len < 4) {
		__ICMP_INC_STATS(net, ICMP_MIB_INERRORS);
		return SKB_DROP_REASON_PKT_TOO_SMALL;
	}
	param.icmph = *icmph;
	param.icmph.type = ICMP_TIMESTAMPREPLY;
	param.icmph.code = 0;
	memcpy(param.times, skb->data, 4);      /* originate, as sent */
	put_be32(param.times + 4, now);         /* receive */
	put_be32(param.times + 8, now);         /* transmit */
	param.head_len = ICMP_HLEN + 12;
	param.data = NULL;
	param.data_len = 0;
	icmp_reply(net, &param, skb);
	return SKB_NOT_DROPPED_YET;
}

/* ---- echo listeners (the pinger) ----------------------------------------------- */

static struct icmp_echo_listener *icmp_echo_listener_find(struct net *net, u8 protocol, u16 id)
{
	struct icmp_echo_listener *l;

	for (l = net->ipv4.echo_listeners; l; l = l->next)
		if (l->protocol == protocol && l->id == id)
			return l;
	return NULL;
}

int icmp_echo_listener_add(struct icmp_echo_listener *l)
{
	if (icmp_echo_listener_find(l->net, l->protocol, l->id))
		return -EADDRINUSE;
	l->next = l->net->ipv4.echo_listeners;
	l->net->ipv4.echo_listeners = l;
	return 0;
}

void icmp_echo_listener_del(struct icmp_echo_listener *l)
{
	struct icmp_echo_listener **pp;

	for (pp = &l->net->ipv4.echo_listeners; *pp; pp = &(*pp)->next) {
		if (*pp == l) {
			*pp = l->next;
			l->next = NULL;
			return;
		}
	}
}

/* An echo reply goes to the pinger of its identifier (Linux's ping_rcv);
 * one nobody asked for is dropped as a packet without a socket. */
static enum skb_drop_reason icmp_echoreply(struct net *net, struct sk_buff *skb,
					   const struct icmp_repr *icmph)
{
	struct icmp_echo_listener *l;
	struct ipv4_repr iph;

	l = icmp_echo_listener_find(net, IPPROTO_ICMP, icmph->un.echo.id);
	if (!l || !l->reply || skb_ip_hdr(skb, &iph))
		return SKB_DROP_REASON_NO_SOCKET;
	l->reply(l, skb, icmph, iph.saddr);
	return SKB_NOT_DROPPED_YET;
}

/* Errors quoting one of our probes: an echo request (by identifier) or a
 * UDP probe (by source port). skb->data at the quoted IP header. */
static void icmp_echo_listener_err(struct net *net, struct sk_buff *skb,
				   const struct ipv4_repr *qiph, const struct icmp_repr *icmph,
				   u32 from, u32 info)
{
	const u8 *thdr = skb->data + qiph->ihl;
	struct icmp_echo_listener *l = NULL;
	struct icmp_repr qicmp;

	if (qiph->protocol == IPPROTO_ICMP) {
		if (icmp_parse(thdr, ICMP_HLEN, &qicmp) || qicmp.type != ICMP_ECHO)
			return;
		l = icmp_echo_listener_find(net, IPPROTO_ICMP, qicmp.un.echo.id);
	} else if (qiph->protocol == IPPROTO_UDP) {
		l = icmp_echo_listener_find(net, IPPROTO_UDP, get_be16(thdr));
	}
	if (l && l->error)
		l->error(l, skb, icmph->type, icmph->code, from, info);
}

/* ---- errors we receive --------------------------------------------------------- */

/* RFC 1191 section 5: routers that predate path MTU discovery send
 * fragmentation-needed with a zero MTU; guess the next plateau below the
 * length of the packet they could not forward (Linux's old guess_mtu). */
static const u16 mtu_plateau[] = { 32000, 17914, 8166, 4352, 2002, 1492, 576, 296, 216, 128 };

static u32 guess_mtu(u32 old_mtu)
{
	for (size_t i = 0; i < ARRAY_SIZE(mtu_plateau); i++)
		if (old_mtu > mtu_plateau[i])
			return mtu_plateau[i];
	return 68;
}

/* The next-hop MTU of a fragmentation-needed message, as Linux's
 * ip_rt_frag_needed() read it: a value below 68 or not below the quoted
 * packet's length is a router's mistake, answered with the plateau guess.
 * (Linux also had a "BSD 4.2" adjustment that needed the route's MTU; it
 * is left out, which keeps the guess RFC 1191's: 1500 -> 1492.) */
static u32 icmp_frag_mtu(const struct ipv4_repr *qiph, u32 mtu)
{
	if (mtu >= 68 && mtu < qiph->tot_len)
		return mtu;
	return guess_mtu(qiph->tot_len);
}

/* net.ipv4.ip_no_pmtu_disc decides what a fragmentation-needed is worth:
 * 0 learn the MTU, 1 pass the error on without one, 2 ignore it, 3 learn
 * only for transports that validate the quoted header. Returns false to
 * ignore the message; *info gets the MTU to learn (or 0). */
static bool icmp_frag_needed(struct net *net, const struct tn_stack *st,
			     const struct ipv4_repr *qiph, const struct icmp_repr *icmph, u32 *info)
{
	const struct net_protocol *prot = st->inet_protos[qiph->protocol];

	switch (net->ipv4.sysctl_ip_no_pmtu_disc) {
	case 2:
		return false;
	case 3:
		if (!prot || !prot->icmp_strict_tag_validation)
			return false;
		/* fall through */
	case 0:
		*info = icmp_frag_mtu(qiph, icmph->un.frag.mtu);
		return true;
	default:
		*info = 0;
		return true;
	}
}

/* Pass an error to everyone with a stake in the quoted packet (Linux's
 * icmp_socket_deliver): our own probes, then the transport. */
static void icmp_socket_deliver(struct net *net, struct sk_buff *skb,
				const struct ipv4_repr *qiph, const struct icmp_repr *icmph,
				u32 from, u32 info)
{
	const struct net_protocol *prot = net->stack->inet_protos[qiph->protocol];

	icmp_echo_listener_err(net, skb, qiph, icmph, from, info);
	if (prot && prot->err_handler)
		prot->err_handler(skb, info, icmph->type, icmph->code);
}

/* Destination unreachable, time exceeded, parameter problem (Linux's
 * icmp_unreach). skb->data at the quoted IP header. */
static enum skb_drop_reason icmp_unreach(struct net *net, struct sk_buff *skb,
					 const struct icmp_repr *icmph)
{
	struct ipv4_repr qiph, iph;
	u32 info = 0;

	if (skb->len < IPV4_MIN_HLEN)
		goto out_err;
	if (ipv4_parse(skb->data, skb->len, &qiph) != IPV4_PARSE_OK) {
		__ICMP_INC_STATS(net, ICMP_MIB_INERRORS);
		return SKB_DROP_REASON_IP_INHDR;
	}
	switch (icmph->type) {
	case ICMP_DEST_UNREACH:
		if (icmph->code > NR_ICMP_UNREACH)
			return SKB_NOT_DROPPED_YET;
		if (icmph->code == ICMP_FRAG_NEEDED &&
		    !icmp_frag_needed(net, net->stack, &qiph, icmph, &info))
			return SKB_NOT_DROPPED_YET;
		break;
	case ICMP_PARAMETERPROB:
		info = icmph->un.raw >> 24;
		break;
	case ICMP_TIME_EXCEEDED:
		__ICMP_INC_STATS(net, ICMP_MIB_INTIMEEXCDS);
		/* Reassembly timeouts concern nobody's state. */
		if (icmph->code == ICMP_EXC_FRAGTIME)
			return SKB_NOT_DROPPED_YET;
		break;
	}
	/* Linux's check, kept as Linux has it: with the sysctl at 0, an error
	 * about a packet we sent to a broadcast address (some routers answer
	 * those, against RFC 1122) is dropped with a warning; at 1, the
	 * default, it is passed on without one. */
	if (!net->ipv4.sysctl_icmp_ignore_bogus_error_responses &&
	    icmp_addr_is_broadcast(skb->dev, qiph.daddr))
		return SKB_NOT_DROPPED_YET;
	/* RFC 1122 3.2.2: the transport needs its ports, i.e. 8 bytes. */
	if (skb->len < (u32)qiph.ihl + 8u || skb_ip_hdr(skb, &iph))
		goto out_err;
	/* Linux learns the path MTU in each transport's err_handler; it is
	 * learned here once for all of them, which also covers our probes
	 * and transports that have no socket for the quoted packet. */
	if (icmph->type == ICMP_DEST_UNREACH && icmph->code == ICMP_FRAG_NEEDED && info)
		ipv4_update_pmtu(net, qiph.daddr, info);
	icmp_socket_deliver(net, skb, &qiph, icmph, iph.saddr, info);
	return SKB_NOT_DROPPED_YET;
out_err:
	__ICMP_INC_STATS(net, ICMP_MIB_INERRORS);
	return SKB_DROP_REASON_PKT_TOO_SMALL;
}

/* RFC 6633: source quench is deprecated and hosts MUST silently discard
 * it. Linux passes it up and every transport ignores it; we stop here. */
static enum skb_drop_reason icmp_discard(struct net *net, struct sk_buff *skb,
					 const struct icmp_repr *icmph)
{
	return SKB_NOT_DROPPED_YET;
}

/* Redirects are passed to the transports as Linux does (it then updates
 * the route in their err_handlers); acting on them is the routing code's
 * job once it has ipv4_redirect. */
static enum skb_drop_reason icmp_redirect(struct net *net, struct sk_buff *skb,
					  const struct icmp_repr *icmph)
{
	struct ipv4_repr qiph, iph;

	if (ipv4_parse(skb->data, skb->len, &qiph) != IPV4_PARSE_OK ||
	    skb->len < (u32)qiph.ihl + 8u || skb_ip_hdr(skb, &iph)) {
		__ICMP_INC_STATS(net, ICMP_MIB_INERRORS);
		return SKB_DROP_REASON_PKT_TOO_SMALL;
	}
	icmp_socket_deliver(net, skb, &qiph, icmph, iph.saddr, icmph->un.gateway);
	return SKB_NOT_DROPPED_YET;
}

/* ---- input ---------------------------------------------------------------------- */

struct icmp_control {
	enum skb_drop_reason (*handler)(struct net *net, struct sk_buff *skb,
					const struct icmp_repr *icmph);
	bool error;   /* an ICMP error message: never answered with one */
};

static const struct icmp_control icmp_pointers[NR_ICMP_TYPES_KNOWN] = {
	[ICMP_ECHOREPLY] = { icmp_echoreply, false },
	[1] = { icmp_discard, true },
	[2] = { icmp_discard, true },
	[ICMP_DEST_UNREACH] = { icmp_unreach, true },
	[ICMP_SOURCE_QUENCH] = { icmp_discard, true },
	[ICMP_REDIRECT] = { icmp_redirect, true },
	[6] = { icmp_discard, true },
	[7] = { icmp_discard, true },
	[ICMP_ECHO] = { icmp_echo, false },
	[9] = { icmp_discard, true },
	[10] = { icmp_discard, true },
	[ICMP_TIME_EXCEEDED] = { icmp_unreach, true },
	[ICMP_PARAMETERPROB] = { icmp_unreach, true },
	[ICMP_TIMESTAMP] = { icmp_timestamp, false },
	[ICMP_TIMESTAMPREPLY] = { icmp_discard, false },
	[15] = { icmp_discard, false },         /* information request */
	[16] = { icmp_discard, false },         /* information reply */
	[ICMP_ADDRESS] = { icmp_discard, false },
	[ICMP_ADDRESSREPLY] = { icmp_discard, false },
};

static bool icmp_type_is_error(unsigned int type)
{
	/* Unknown types are assumed to be errors (Linux's reasoning: the RFC
	 * does not say, but think about it). */
	return type >= NR_ICMP_TYPES_KNOWN || icmp_pointers[type].error;
}

static bool icmp_csum_ok(const struct sk_buff *skb)
{
	if (skb->ip_summed == CHECKSUM_UNNECESSARY)
		return true;
	return csum_fold(csum_partial(skb->data, skb->len, 0)) == 0;
}

/* RFC 1122 3.2.2.6 and 3.2.2.8: echo and timestamp to a broadcast or
 * multicast address may be ignored (icmp_echo_ignore_broadcasts); other
 * types have no business being sent there, except address mask ones. */
static bool icmp_broadcast_refused(struct net *net, const struct sk_buff *skb, u8 type)
{
	const struct rtable *rt = skb->dst ? skb_rtable(skb) : NULL;
	bool bcast = rt ? (rt->rt_flags & (RTCF_BROADCAST | RTCF_MULTICAST)) != 0
			: skb->pkt_type == PACKET_BROADCAST || skb->pkt_type == PACKET_MULTICAST;

	if (!bcast)
		return false;
	if (type == ICMP_ECHO || type == ICMP_TIMESTAMP)
		return net->ipv4.sysctl_icmp_echo_ignore_broadcasts != 0;
	return type != ICMP_ADDRESS && type != ICMP_ADDRESSREPLY;
}

int icmp_rcv(struct sk_buff *skb)
{
	struct net *net = dev_net(skb->dev);
	enum skb_drop_reason reason;
	struct icmp_repr icmph;

	__ICMP_INC_STATS(net, ICMP_MIB_INMSGS);
	if (!icmp_csum_ok(skb)) {
		reason = SKB_DROP_REASON_ICMP_CSUM;
		__ICMP_INC_STATS(net, ICMP_MIB_CSUMERRORS);
		goto error;
	}
	if (icmp_parse(skb->data, skb->len, &icmph)) {
		reason = SKB_DROP_REASON_PKT_TOO_SMALL;
		goto error;
	}
	skb_pull(skb, ICMP_HLEN);
	icmpmsg_in_count(net, icmph.type);
	/* RFC 1122 3.2.2: unknown types MUST be silently discarded. */
	if (icmph.type >= NR_ICMP_TYPES_KNOWN) {
		reason = SKB_DROP_REASON_UNHANDLED_PROTO;
		goto error;
	}
	if (icmp_broadcast_refused(net, skb, icmph.type)) {
		reason = SKB_DROP_REASON_INVALID_PROTO;
		goto error;
	}
	reason = icmp_pointers[icmph.type].handler(net, skb, &icmph);
	if (reason == SKB_NOT_DROPPED_YET) {
		consume_skb(skb);
		return 0;
	}
	kfree_skb_reason(skb, reason);
	return 0;
error:
	__ICMP_INC_STATS(net, ICMP_MIB_INERRORS);
	kfree_skb_reason(skb, reason);
	return 0;
}

/* ---- subsystem ------------------------------------------------------------------- */

static const struct net_protocol icmp_protocol = {
	.handler = icmp_rcv,
};

static int icmp_init(struct tn_stack *st)
{
	return inet_add_protocol(st, &icmp_protocol, IPPROTO_ICMP);
}

static void icmp_exit(struct tn_stack *st)
{
	inet_del_protocol(st, &icmp_protocol, IPPROTO_ICMP);
}

/* Linux's icmp_sk_init defaults. */
static void icmp_sysctl_defaults(struct net *net)
{
	net->ipv4.sysctl_icmp_echo_ignore_all = 0;
	net->ipv4.sysctl_icmp_echo_ignore_broadcasts = 1;
	net->ipv4.sysctl_icmp_ignore_bogus_error_responses = 1;
	net->ipv4.sysctl_icmp_ratelimit = 1 * HZ;
	net->ipv4.sysctl_icmp_ratemask = 0x1818;
	net->ipv4.sysctl_icmp_msgs_per_sec = 1000;
	net->ipv4.sysctl_icmp_msgs_burst = 50;
	net->ipv4.sysctl_icmp_errors_use_inbound_ifaddr = 0;
}

static int icmp_net_init(struct net *net)
{
	icmp_sysctl_defaults(net);
	net->ipv4.icmp_global_credit = 0;
	net->ipv4.icmp_global_credit_ts = UINT64_MAX;   /* never refilled */
	net->ipv4.echo_listeners = NULL;
	return inet_peer_base_init(net);
}

static void icmp_net_exit(struct net *net)
{
	inet_peer_base_free(net);
}

const struct tn_subsystem icmp_subsys = {
	.name = "icmp",
	.init = icmp_init,
	.exit = icmp_exit,
	.net_init = icmp_net_init,
	.net_exit = icmp_net_exit,
};
