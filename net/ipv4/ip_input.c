/*
 * IPv4 receive (Linux's net/ipv4/ip_input.c):
 *
 *   ip_rcv            the packet_type handler for ETH_P_IP: RFC 1122
 *                     3.2.1 header checks, each drop under Linux's counter
 *   -> PREROUTING
 *   ip_rcv_finish     route lookup (route.c), options, then dst_input:
 *     ip_local_deliver   reassembly, LOCAL_IN, the protocol table
 *     ip_forward         (ip_forward.c)
 *     ip_error           no route: count and answer with ICMP unreachable
 *
 * The header is validated once, in ip_rcv; everything after works on
 * ipv4_repr views of a header known to be sound. What the transport does
 * with the payload, and how fragments are put together (ip_fragment.c),
 * are other files' business.
 */
#include <errno.h>

#include "net/checksum.h"
#include "net/dst.h"
#include "net/icmp.h"
#include "net/inetdevice.h"
#include "net/inetpeer.h"
#include "net/ip.h"
#include "net/netfilter.h"
#include "net/protocol.h"
#include "net/route.h"
#include "net/stack.h"

/* ---- ip_rcv: is the datagram acceptable? ---------------------------------- */

/* Count the ECN codepoint of an accepted header (IpExt InNoECTPkts,
 * InECT1Pkts, InECT0Pkts, InCEPkts follow each other in the enum in the
 * order of the two ECN bits). */
static void ip_count_ecn(struct net *net, u8 tos)
{
	__IP_INC_STATS(net, IPSTATS_MIB_NOECTPKTS + (tos & 3));
}

/* A packet the IP layer may write into: a shared skb (a tap holds it too)
 * is cloned first, as Linux's skb_share_check. */
static struct sk_buff *ip_share_check(struct net *net, struct sk_buff *skb)
{
	struct sk_buff *nskb;

	if (!skb_shared(skb))
		return skb;
	nskb = skb_clone(skb);
	if (!nskb) {
		__IP_INC_STATS(net, IPSTATS_MIB_INDISCARDS);
		kfree_skb_reason(skb, SKB_DROP_REASON_NOMEM);
		return NULL;
	}
	consume_skb(skb);
	return nskb;
}

/*
 * The checks of RFC 1122 3.2.1 in Linux's order (ip_rcv_core): the fixed
 * header is there, version 4 and ihl >= 5, the whole header is there, the
 * checksum is right, and tot_len fits both the buffer and the header. A
 * header that fails is an IpInHdrErrors (checksum errors also count
 * IpExtInCsumErrors); a datagram longer than what arrived is
 * IpExtInTruncatedPkts.
 */
static enum skb_drop_reason ip_rcv_check(struct net *net, struct sk_buff *skb,
					 struct ipv4_repr *iph)
{
	int ret = ipv4_parse(skb->data, skb->len, iph);

	if (ret == IPV4_PARSE_TRUNCATED && skb->len >= IPV4_MIN_HLEN &&
	    (skb->data[0] >> 4) == 4)
		ip_count_ecn(net, skb->data[1]);   /* Linux counts before pulling ihl */
	if (ret == IPV4_PARSE_TRUNCATED || ret == IPV4_PARSE_BAD_VERSION ||
	    ret == IPV4_PARSE_BAD_IHL)
		return SKB_DROP_REASON_IP_INHDR;
	ip_count_ecn(net, iph->tos);
	if (unlikely(ip_fast_csum(skb->data, iph->ihl / 4))) {
		__IP_INC_STATS(net, IPSTATS_MIB_CSUMERRORS);
		return SKB_DROP_REASON_IP_CSUM;
	}
	if (skb->len < iph->tot_len) {
		__IP_INC_STATS(net, IPSTATS_MIB_INTRUNCATEDPKTS);
		return SKB_DROP_REASON_PKT_TOO_SMALL;
	}
	if (ret == IPV4_PARSE_BAD_TOTLEN)
		return SKB_DROP_REASON_IP_INHDR;
	return SKB_NOT_DROPPED_YET;
}

static struct sk_buff *ip_rcv_core(struct sk_buff *skb, struct net *net)
{
	enum skb_drop_reason reason;
	struct ipv4_repr iph;

	/* A frame for another host (promiscuous mode, a bridge's flood)
	 * is not ours to analyse: dropped before any IP counter. */
	if (skb->pkt_type == PACKET_OTHERHOST) {
		kfree_skb_reason(skb, SKB_DROP_REASON_OTHERHOST);
		return NULL;
	}
	__IP_INC_STATS(net, IPSTATS_MIB_INPKTS);
	__IP_ADD_STATS(net, IPSTATS_MIB_INOCTETS, skb->len);

	skb = ip_share_check(net, skb);
	if (!skb)
		return NULL;
	reason = ip_rcv_check(net, skb, &iph);
	if (reason != SKB_NOT_DROPPED_YET)
		goto drop;

	/* The link may have padded the frame (Ethernet's 60-byte minimum):
	 * from here on skb->len is tot_len. */
	if (skb->len > iph.tot_len) {
		if (skb_unclone(skb)) {
			__IP_INC_STATS(net, IPSTATS_MIB_INDISCARDS);
			kfree_skb_reason(skb, SKB_DROP_REASON_NOMEM);
			return NULL;
		}
		skb_trim(skb, iph.tot_len);
		if (skb->ip_summed == CHECKSUM_COMPLETE)
			skb->ip_summed = CHECKSUM_NONE;
	}
	skb_reset_network_header(skb);
	skb_set_transport_header(skb, iph.ihl);
	/* The control block is ours now: clear what the driver left. */
	memset(IPCB(skb), 0, sizeof(struct inet_skb_parm));
	IPCB(skb)->iif = skb->skb_iif;
	return skb;

drop:
	if (reason != SKB_DROP_REASON_PKT_TOO_SMALL)
		__IP_INC_STATS(net, IPSTATS_MIB_INHDRERRORS);
	kfree_skb_reason(skb, reason);
	return NULL;
}

static int ip_rcv_finish(struct net *net, struct sock *sk, struct sk_buff *skb);

int ip_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
	   struct net_device *orig_dev)
{
	struct net *net = dev_net(dev);

	(void)pt;
	(void)orig_dev;
	skb = ip_rcv_core(skb, net);
	if (!skb)
		return NET_RX_DROP;
	return NF_HOOK(NFPROTO_IPV4, NF_INET_PRE_ROUTING, net, NULL, skb, dev, NULL,
		       ip_rcv_finish);
}

/* ---- ip_rcv_finish: where does it go? ------------------------------------ */

/*
 * No usable route (Linux's ip_error, which route.c installs as the input
 * of RTN_UNREACHABLE routes, and the same accounting for a lookup that
 * fails outright). A host that does not forward says nothing and counts
 * IpInAddrErrors (not for us) or IpExtInNoRoutes; a router answers with
 * ICMP destination unreachable (RFC 1812 5.2.7.1), rate limited per source
 * as Linux's ip_error does (ip_error_allow), and then by icmp_send's own
 * limits.
 */
/* Linux's ip_rt_error_cost and ip_rt_error_burst (net/ipv4/route.c): one
 * unreachable per second per source, five in a burst, in jiffies (ms). They
 * are global sysctls of the initial namespace there; constants here. */
#define IP_RT_ERROR_COST 1000
#define IP_RT_ERROR_BURST (5 * IP_RT_ERROR_COST)

/*
 * ip_error's own token bucket on the sender's inet_peer. It shares
 * rate_tokens and rate_last with the ICMP rate limit: so, as on Linux, a
 * router that has just sent a time-exceeded to a source (which empties the
 * bucket when icmp_ratelimit is 0) stays silent about an unreachable
 * destination for that source until error_cost has passed.
 */
static bool ip_error_allow(struct net *net, u32 saddr)
{
	struct inet_peer *peer;
	bool send = true;
	u64 now = jiffies(net->stack);

	peer = net->ipv4.peers ? inet_getpeer_v4(net->ipv4.peers, saddr, true) : NULL;
	if (!peer)
		return true;
	peer->rate_tokens += now - peer->rate_last;
	if (peer->rate_tokens > IP_RT_ERROR_BURST)
		peer->rate_tokens = IP_RT_ERROR_BURST;
	peer->rate_last = now;
	if (peer->rate_tokens >= IP_RT_ERROR_COST)
		peer->rate_tokens -= IP_RT_ERROR_COST;
	else
		send = false;
	inet_putpeer(peer);
	return send;
}

static int __ip_error(struct sk_buff *skb, int err)
{
	struct in_device *in_dev = skb->dev ? __in_dev_get(skb->dev) : NULL;
	enum skb_drop_reason reason = SKB_DROP_REASON_NOT_SPECIFIED;
	struct net *net = dev_net(skb->dev);
	int code = -1;

	if (err == -EHOSTUNREACH) {
		reason = SKB_DROP_REASON_IP_INADDRERRORS;
		__IP_INC_STATS(net, IPSTATS_MIB_INADDRERRORS);
		code = ICMP_HOST_UNREACH;
	} else if (err == -ENETUNREACH) {
		reason = SKB_DROP_REASON_IP_INNOROUTES;
		__IP_INC_STATS(net, IPSTATS_MIB_INNOROUTES);
		code = ICMP_NET_UNREACH;
	} else if (err == -EACCES) {
		reason = SKB_DROP_REASON_IP_INADDRERRORS;
		__IP_INC_STATS(net, IPSTATS_MIB_INADDRERRORS);
		code = ICMP_PKT_FILTERED;
	} else {
		reason = SKB_DROP_REASON_IP_INADDRERRORS;
		__IP_INC_STATS(net, IPSTATS_MIB_INADDRERRORS);
	}
	if (in_dev && IN_DEV_FORWARD(in_dev) && code >= 0) {
		struct ipv4_repr iph;

		ip_hdr_repr(skb, &iph);
		if (ip_error_allow(net, iph.saddr))
			icmp_send(skb, ICMP_DEST_UNREACH, code, 0);
	}
	kfree_skb_reason(skb, reason);
	return 0;
}

int ip_error(struct sk_buff *skb)
{
	int err = skb_dst(skb) ? skb_dst(skb)->error : -EHOSTUNREACH;

	/* Linux keeps dst.error positive; accept either sign. */
	return __ip_error(skb, err > 0 ? -err : err);
}

/*
 * ip_route_input refused the packet. -EXDEV is the reverse-path filter
 * (TcpExtIPReversePathFilter); -EINVAL a martian source or destination,
 * counted as IpInAddrErrors (RFC 4293's "invalid address", where Linux
 * only bumps the in_martian_* route-cache statistics); no route at all is
 * ip_error's accounting; anything else is a resource failure.
 */
static int ip_rcv_route_error(struct net *net, struct sk_buff *skb, int err)
{
	switch (err) {
	case -EXDEV:
		__NET_INC_STATS(net, LINUX_MIB_IPRPFILTER);
		kfree_skb_reason(skb, SKB_DROP_REASON_IP_RPFILTER);
		return NET_RX_DROP;
	case -EINVAL:
		__IP_INC_STATS(net, IPSTATS_MIB_INADDRERRORS);
		kfree_skb_reason(skb, SKB_DROP_REASON_IP_INADDRERRORS);
		return NET_RX_DROP;
	case -ENETUNREACH:
	case -EHOSTUNREACH:
	case -EACCES:
		__ip_error(skb, err);
		return NET_RX_DROP;
	default:
		__IP_INC_STATS(net, IPSTATS_MIB_INDISCARDS);
		kfree_skb_reason(skb, SKB_DROP_REASON_NOMEM);
		return NET_RX_DROP;
	}
}

/*
 * Linux's ip_rcv_options: parse the options; a malformed one earns the
 * sender an ICMP parameter problem pointing at the bad byte (RFC 1122
 * 3.2.2.5) and counts IpInHdrErrors. Source-routed packets are refused
 * unless net.ipv4.conf.{all,DEV}.accept_source_route both allow them, as
 * Linux's IN_DEV_SOURCE_ROUTE does.
 */
static bool ip_rcv_options(struct net *net, struct sk_buff *skb, struct net_device *dev)
{
	struct ip_options *opt = &IPCB(skb)->opt;
	struct in_device *in_dev;
	int pp = 0;

	if (ip_options_compile(net, opt, skb_network_header(skb), &pp)) {
		__IP_INC_STATS(net, IPSTATS_MIB_INHDRERRORS);
		icmp_send(skb, ICMP_PARAMETERPROB, 0, (u32)pp << 24);
		kfree_skb_reason(skb, SKB_DROP_REASON_IP_INHDR);
		return true;
	}
	in_dev = __in_dev_get(dev);
	if (opt->srr && in_dev &&
	    !(in_devconf_all(&in_dev->cnf)->accept_source_route && in_dev->cnf.accept_source_route)) {
		__IP_INC_STATS(net, IPSTATS_MIB_INDISCARDS);
		kfree_skb_reason(skb, SKB_DROP_REASON_TN_IP_SOURCE_ROUTE);
		return true;
	}
	return false;
}

/* Multicast and broadcast receptions, IpExt In{Mcast,Bcast}{Pkts,Octets}. */
static void ip_rcv_count_cast(struct net *net, const struct rtable *rt, u32 len)
{
	if (rt->rt_type == RTN_MULTICAST) {
		__IP_INC_STATS(net, IPSTATS_MIB_INMCASTPKTS);
		__IP_ADD_STATS(net, IPSTATS_MIB_INMCASTOCTETS, len);
	} else if (rt->rt_type == RTN_BROADCAST) {
		__IP_INC_STATS(net, IPSTATS_MIB_INBCASTPKTS);
		__IP_ADD_STATS(net, IPSTATS_MIB_INBCASTOCTETS, len);
	}
}

/* Linux's ip_rcv_finish_core: the route first, then the options (which
 * need to know whether the packet is ours). */
static int ip_rcv_finish_core(struct net *net, struct sk_buff *skb, struct net_device *dev)
{
	struct ipv4_repr iph;
	int err;

	ip_hdr_repr(skb, &iph);
	if (!skb_dst(skb)) {
		err = ip_route_input(skb, iph.daddr, iph.saddr, iph.tos, dev);
		if (unlikely(err))
			return ip_rcv_route_error(net, skb, err);
	}
	if (iph.ihl > IPV4_MIN_HLEN && ip_rcv_options(net, skb, dev))
		return NET_RX_DROP;
	ip_rcv_count_cast(net, skb_rtable(skb), skb->len);
	return NET_RX_SUCCESS;
}

static int ip_rcv_finish(struct net *net, struct sock *sk, struct sk_buff *skb)
{
	int ret;

	(void)sk;
	ret = ip_rcv_finish_core(net, skb, skb->dev);
	if (ret != NET_RX_DROP)
		ret = dst_input(skb);
	return ret;
}

/* ---- local delivery ---------------------------------------------------- */

/*
 * Linux's ip_protocol_deliver_rcu without raw sockets or IPsec: the
 * transport registered for the protocol takes the datagram (IpInDelivers);
 * with none, the sender learns it from ICMP protocol unreachable (RFC 1122
 * 3.2.2.1) and IpInUnknownProtos counts it.
 */
static void ip_protocol_deliver(struct net *net, struct sk_buff *skb, u8 protocol)
{
	const struct net_protocol *ipprot = net->stack->inet_protos[protocol];

	if (ipprot && ipprot->handler) {
		ipprot->handler(skb);
		__IP_INC_STATS(net, IPSTATS_MIB_INDELIVERS);
		return;
	}
	__IP_INC_STATS(net, IPSTATS_MIB_INUNKNOWNPROTOS);
	icmp_send(skb, ICMP_DEST_UNREACH, ICMP_PROT_UNREACH, 0);
	kfree_skb_reason(skb, SKB_DROP_REASON_IP_NOPROTO);
}

static int ip_local_deliver_finish(struct net *net, struct sock *sk, struct sk_buff *skb)
{
	struct ipv4_repr iph;

	(void)sk;
	ip_hdr_repr(skb, &iph);
	/* The transport sees its own header at skb->data. */
	skb_pull(skb, (unsigned int)(skb_network_header(skb) - skb->data) + iph.ihl);
	skb_reset_transport_header(skb);
	ip_protocol_deliver(net, skb, iph.protocol);
	return 0;
}

/* A datagram for this host: put fragments together first (RFC 1122
 * 3.3.2), then pass LOCAL_IN. */
int ip_local_deliver(struct sk_buff *skb)
{
	struct net *net = dev_net(skb->dev);
	struct ipv4_repr iph;

	ip_hdr_repr(skb, &iph);
	if (ipv4_is_fragment(&iph)) {
		/* -EINPROGRESS: held for the rest; another error: dropped
		 * and counted by the reassembler. */
		if (ip_defrag(net, skb))
			return 0;
	}
	return NF_HOOK(NFPROTO_IPV4, NF_INET_LOCAL_IN, net, NULL, skb, skb->dev, NULL,
		       ip_local_deliver_finish);
}
