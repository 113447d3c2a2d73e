/*
 * IPv4 fragmentation on output (Linux's ip_fragment and the slow path of
 * ip_do_fragment in net/ipv4/ip_output.c). A datagram bigger than the
 * route's MTU is cut into fragments whose payloads are multiples of 8 bytes
 * (except the last), each a fresh linear skb with the original header,
 * its own tot_len, offset, MF bit and checksum, and handed to `output` in
 * order. As RFC 791 says and Linux does, options without the copied flag
 * appear only in the first fragment; later fragments carry NOPs in their
 * place, so every fragment keeps the same header length.
 *
 * It is not the DF decision for forwarded packets (ip_forward checks the
 * MTU before routing on) nor path MTU discovery (route.c); ip_fragment()
 * here only refuses DF datagrams that reach it.
 */
#include <errno.h>
#include <string.h>

#include "net/skbuff.h"
#include "net/checksum.h"
#include "net/dst.h"
#include "net/icmp.h"
#include "net/ip.h"
#include "net/net_namespace.h"
#include "net/netdevice.h"
#include "net/route.h"

#ifndef IPOPT_COPY
#define IPOPT_COPY 0x80
#endif
#ifndef IPOPT_END
#define IPOPT_END 0
#endif
#ifndef IPOPT_NOOP
#define IPOPT_NOOP 1
#endif

/* Linux's struct ip_frag_state: where the cutting stands. */
struct ip_frag_state {
	bool DF;                 /* set DF in every fragment (IPSKB_FRAG_PMTU) */
	bool not_last_frag;      /* the datagram is itself a non-last fragment */
	unsigned int hlen;       /* header length, options included */
	unsigned int ll_rs;      /* link-layer headroom for each fragment */
	unsigned int mtu;        /* payload room per fragment */
	unsigned int left;       /* payload bytes still to send */
	unsigned int ptr;        /* next payload byte, from skb->data */
	unsigned int offset;     /* its offset in the original datagram */
};

/*
 * Linux's ip_options_fragment, applied to each later fragment's own copy
 * of the header instead of once to the original (which may be shared):
 * every option without the copied flag becomes NOPs.
 */
static void ip_options_fragment(u8 *opt, unsigned int l)
{
	unsigned int optlen;

	while (l > 0) {
		if (*opt == IPOPT_END)
			return;
		if (*opt == IPOPT_NOOP) {
			opt++;
			l--;
			continue;
		}
		if (l < 2)
			return;
		optlen = opt[1];
		if (optlen < 2 || optlen > l)
			return;
		if (!(*opt & IPOPT_COPY))
			memset(opt, IPOPT_NOOP, optlen);
		l -= optlen;
		opt += optlen;
	}
}

/* What a fragment inherits from the datagram (Linux's ip_copy_metadata). */
static void ip_copy_metadata(struct sk_buff *to, const struct sk_buff *from)
{
	to->pkt_type = from->pkt_type;
	to->priority = from->priority;
	to->protocol = from->protocol;
	to->mark = from->mark;
	to->hash = from->hash;
	to->tstamp = from->tstamp;
	to->skb_iif = from->skb_iif;
	to->dev = from->dev;
	if (from->dst)
		skb_dst_set(to, dst_hold(from->dst));
	memcpy(IPCB(to), IPCB(from), sizeof(struct inet_skb_parm));
}

/*
 * A transport checksum left for the device (CHECKSUM_PARTIAL) cannot be
 * finished per fragment: finish it now (Linux's skb_checksum_help). The
 * field holds the pseudo-header sum; a result of 0 is sent as 0xffff,
 * which is the same value in one's complement and keeps UDP's "no
 * checksum" meaning out of the way.
 */
static int ip_frag_checksum_help(struct sk_buff *skb)
{
	u8 *start = skb->head + skb->csum_start;
	u32 len = (u32)(skb_tail_pointer(skb) - start);
	u16 check;

	if (skb_unclone(skb))
		return -ENOMEM;
	start = skb->head + skb->csum_start;
	check = csum_fold(csum_partial(start, len, 0));
	put_be16(start + skb->csum_offset, check ? check : 0xffff);
	skb->ip_summed = CHECKSUM_NONE;
	return 0;
}

static void ip_frag_init(const struct sk_buff *skb, const struct ipv4_repr *iph,
			 unsigned int ll_rs, unsigned int mtu, struct ip_frag_state *state)
{
	state->DF = (IPCB(skb)->flags & IPSKB_FRAG_PMTU) != 0;
	state->not_last_frag = (iph->frag_off & IP_MF) != 0;
	state->hlen = iph->ihl;
	state->ll_rs = ll_rs;
	state->mtu = mtu - iph->ihl;
	state->left = skb->len - iph->ihl;
	state->ptr = iph->ihl;
	state->offset = (unsigned int)(iph->frag_off & IP_OFFSET) << 3;
}

/* The header of the fragment being cut: its own length, offset and flags. */
static void ip_frag_header(u8 *iph, const struct ip_frag_state *state, unsigned int len)
{
	u16 frag_off = (u16)(state->offset >> 3);

	if (state->DF)
		frag_off |= IP_DF;
	if (state->left > len || state->not_last_frag)
		frag_off |= IP_MF;
	if (state->offset != 0)
		ip_options_fragment(iph + IPV4_MIN_HLEN, state->hlen - IPV4_MIN_HLEN);
	put_be16(iph + 2, (u16)(len + state->hlen));
	put_be16(iph + 6, frag_off);
	put_be16(iph + 10, 0);
	put_be16(iph + 10, ip_fast_csum(iph, state->hlen / 4));
}

/* Linux's ip_frag_next: the next fragment, or NULL when no skb is left. */
static struct sk_buff *ip_frag_next(struct sk_buff *skb, struct ip_frag_state *state)
{
	unsigned int len = TN_MIN(state->left, state->mtu);
	struct sk_buff *skb2;

	/* Every fragment but the last ends on an 8-byte boundary. */
	if (len < state->left)
		len &= ~7u;
	skb2 = alloc_skb(skb->stack, len + state->hlen + state->ll_rs);
	if (!skb2)
		return NULL;
	ip_copy_metadata(skb2, skb);
	skb_reserve(skb2, state->ll_rs);
	skb_put(skb2, len + state->hlen);
	skb_reset_network_header(skb2);
	skb_set_transport_header(skb2, (int)state->hlen);
	memcpy(skb2->data, skb->data, state->hlen);
	memcpy(skb2->data + state->hlen, skb->data + state->ptr, len);
	ip_frag_header(skb2->data, state, len);

	state->left -= len;
	state->ptr += len;
	state->offset += len;
	return skb2;
}

/* Headroom for each fragment's link header, from the device it leaves by. */
static unsigned int ip_frag_ll_rs(const struct sk_buff *skb)
{
	const struct net_device *dev = skb->dst ? skb->dst->dev : skb->dev;

	return dev ? LL_RESERVED_SPACE(dev) : NET_SKB_PAD;
}

/*
 * Cut skb (data at its IP header) to fragments of at most mtu bytes and
 * send each through output; DF is not looked at (ip_fragment does that).
 * Consumes skb. 0, or the first error: -ENOMEM, -EINVAL (an MTU with no
 * room for 8 payload bytes), or what output returned.
 */
int __ip_do_fragment(struct net *net, struct sock *sk, struct sk_buff *skb, unsigned int mtu,
		     int (*output)(struct net *, struct sock *, struct sk_buff *))
{
	enum skb_drop_reason reason = SKB_DROP_REASON_NOMEM;
	struct ip_frag_state state;
	struct ipv4_repr iph;
	struct sk_buff *skb2;
	int err = -ENOMEM;

	TN_BUG_ON(skb_network_offset(skb) != 0);
	if (skb->ip_summed == CHECKSUM_PARTIAL && ip_frag_checksum_help(skb))
		goto fail;
	err = -EINVAL;
	reason = SKB_DROP_REASON_IP_INHDR;
	if (ipv4_parse(skb->data, skb->len, &iph) != IPV4_PARSE_OK)
		goto fail;
	if (IPCB(skb)->frag_max_size && IPCB(skb)->frag_max_size < mtu)
		mtu = IPCB(skb)->frag_max_size;
	reason = SKB_DROP_REASON_PKT_TOO_BIG;
	if (mtu < (unsigned int)iph.ihl + 8)
		goto fail;
	IPCB(skb)->flags |= IPSKB_FRAG_COMPLETE;

	ip_frag_init(skb, &iph, ip_frag_ll_rs(skb), mtu, &state);
	while (state.left > 0) {
		skb2 = ip_frag_next(skb, &state);
		if (!skb2) {
			err = -ENOMEM;
			reason = SKB_DROP_REASON_NOMEM;
			goto fail;
		}
		err = output(net, sk, skb2);
		if (err) {
			/* output dropped (and counted) skb2; the rest of the
			 * datagram is useless without it. */
			reason = SKB_DROP_REASON_NOT_SPECIFIED;
			goto fail;
		}
		__IP_INC_STATS(net, IPSTATS_MIB_FRAGCREATES);
	}
	consume_skb(skb);
	__IP_INC_STATS(net, IPSTATS_MIB_FRAGOKS);
	return 0;

fail:
	kfree_skb_reason(skb, reason);
	__IP_INC_STATS(net, IPSTATS_MIB_FRAGFAILS);
	return err;
}

/*
 * Linux's ip_fragment: called by ip_finish_output when skb is bigger than
 * mtu (or came from reassembly). A datagram with DF cannot be cut: the
 * sender hears ICMP fragmentation needed with our MTU, the caller gets
 * -EMSGSIZE. The exception is a datagram we reassembled whose largest
 * fragment had DF and fits (IPCB frag_max_size <= mtu): it is cut back into
 * DF fragments no bigger than the sender's (Linux's ignore_df for it).
 */
int ip_fragment(struct net *net, struct sock *sk, struct sk_buff *skb, unsigned int mtu,
		int (*output)(struct net *, struct sock *, struct sk_buff *))
{
	u16 frag_max = IPCB(skb)->frag_max_size;
	struct ipv4_repr iph;

	if (ipv4_parse(skb->data, skb->len, &iph) == IPV4_PARSE_OK && (iph.frag_off & IP_DF) &&
	    !(frag_max && frag_max <= mtu)) {
		__IP_INC_STATS(net, IPSTATS_MIB_FRAGFAILS);
		icmp_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, mtu);
		kfree_skb_reason(skb, SKB_DROP_REASON_PKT_TOO_BIG);
		return -EMSGSIZE;
	}
	return __ip_do_fragment(net, sk, skb, mtu, output);
}

/* Fragment to the MTU of the route skb carries (ipv4_mtu: learned PMTU,
 * route metric or device MTU). */
int ip_do_fragment(struct net *net, struct sock *sk, struct sk_buff *skb,
		   int (*output)(struct net *, struct sock *, struct sk_buff *))
{
	return __ip_do_fragment(net, sk, skb, ipv4_mtu(skb_rtable(skb)), output);
}
