/*
 * IPv4 reassembly (Linux's net/ipv4/ip_fragment.c, with the queue handling
 * of net/ipv4/inet_fragment.c). ip_defrag() takes one fragment at a time and
 * files it in the queue of its datagram, keyed by (saddr, daddr, id,
 * protocol); when the queue holds every byte from offset 0 to the end that
 * the last fragment announced, the datagram is rebuilt as one linear skb in
 * place of the fragment that completed it, as Linux returns it.
 *
 * The rules are Linux's since 2018 (RFC 5722 applied to IPv4): a fragment
 * that overlaps queued data is either a duplicate (all its bytes are already
 * queued, contiguously) and is dropped alone, or an attack or a corruption,
 * and then the whole datagram is dropped. Fragments that contradict the
 * length the last fragment set, or that reach past 65535 bytes, end the
 * datagram too. Each queue has a timer (net.ipv4.ipfrag_time); on expiry the
 * sender hears ICMP "fragment reassembly time exceeded" if we had its first
 * fragment. Memory is counted by truesize per namespace; above
 * ipfrag_high_thresh the least recently used queues are evicted down to
 * ipfrag_low_thresh (Linux's evictor before 4.17; since then Linux just
 * refuses new fragments, which the last check here still does).
 *
 * It is not fragmentation (ip_frag_output.c) nor the conntrack defrag users:
 * every caller here is local delivery (IP_DEFRAG_LOCAL_DELIVER).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "net/skbuff.h"
#include "net/inet_frag.h"
#include "net/checksum.h"
#include "net/dst.h"
#include "net/icmp.h"
#include "net/ip.h"
#include "net/net_namespace.h"
#include "net/netdevice.h"
#include "net/route.h"
#include "net/stack.h"
#include "lib/hash.h"

/* What inet_frag_queue_insert() decides about a new fragment. */
enum { IPFRAG_OK = 0, IPFRAG_DUP, IPFRAG_OVERLAP };

/* The ECN codepoint of each fragment, as one bit (Linux's IPFRAG_ECN_*). */
#define INET_ECN_MASK 3
#define INET_ECN_CE 3
#define IPFRAG_ECN_NOT_ECT 0x01
#define IPFRAG_ECN_ECT_1 0x02
#define IPFRAG_ECN_ECT_0 0x04
#define IPFRAG_ECN_CE 0x08

static u8 ip4_frag_ecn(u8 tos)
{
	return (u8)(1u << (tos & INET_ECN_MASK));
}

/*
 * RFC 3168 section 5.3 (Linux's ip_frag_ecn_table): CE on any fragment of
 * an ECN-capable datagram marks the whole; a datagram whose fragments
 * disagree on being ECN-capable is invalid (-1). Returns the bits to OR
 * into the rebuilt header's TOS.
 */
static int ip_frag_ecn_combine(u8 ecn)
{
	if ((ecn & IPFRAG_ECN_NOT_ECT) && (ecn & ~IPFRAG_ECN_NOT_ECT))
		return -1;
	if ((ecn & IPFRAG_ECN_CE) && (ecn & (IPFRAG_ECN_ECT_0 | IPFRAG_ECN_ECT_1)))
		return INET_ECN_CE;
	return 0;
}

/* ---- per-source counters (ipfrag_max_dist) --------------------------------- */

static struct ipfrag_peer *ipfrag_peer_get(struct ipq_base *base, u32 saddr)
{
	struct hlist_head *h = &base->peers[jhash_1word(saddr, base->net->stack->hash_seed) &
					    (IPFRAG_PEER_HASHSZ - 1)];
	struct ipfrag_peer *p;

	hlist_for_each_entry(p, h, node) {
		if (p->saddr == saddr) {
			p->refcnt++;
			return p;
		}
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->saddr = saddr;
	p->refcnt = 1;
	hlist_add_head(&p->node, h);
	return p;
}

static void ipfrag_peer_put(struct ipfrag_peer *p)
{
	if (p && --p->refcnt == 0) {
		hlist_del_init(&p->node);
		free(p);
	}
}

/* ---- queues ---------------------------------------------------------------- */

static unsigned int ipq_hashfn(const struct ipq_base *base, u32 saddr, u32 daddr, u16 id,
			       u8 protocol)
{
	return jhash_3words(((u32)id << 16) | protocol, saddr, daddr,
			    base->net->stack->hash_seed) & (IPQ_HASHSZ - 1);
}

/*
 * A fragment leaves its queue other than by becoming the datagram: it took
 * a reference on its device when it was queued (a device may be
 * unregistered in the up to ipfrag_time it waits here), and that reference
 * goes only after the drop is counted in the device's namespace.
 */
static void ipq_drop_frag(struct sk_buff *skb, enum skb_drop_reason reason)
{
	struct net_device *dev = skb->dev;

	kfree_skb_reason(skb, reason);
	if (dev)
		dev_put(dev);
}

/* Drop every queued fragment and give their memory back. */
static void ipq_purge(struct ipq *qp, enum skb_drop_reason reason)
{
	struct sk_buff *skb;

	while ((skb = __skb_dequeue(&qp->fragments)) != NULL)
		ipq_drop_frag(skb, reason);
	qp->base->mem -= qp->mem;
	qp->mem = 0;
}

/*
 * Linux's inet_frag_kill plus inet_frag_destroy: there is no other holder
 * to wait for (one lock, one thread), so a queue is unhashed and freed at
 * once; fragments still queued are dropped under `reason`.
 */
static void ipq_destroy(struct ipq *qp, enum skb_drop_reason reason)
{
	struct ipq_base *base = qp->base;

	qp->flags |= INET_FRAG_COMPLETE;
	del_timer(&qp->timer);
	hlist_del_init(&qp->node);
	list_del(&qp->lru);
	ipq_purge(qp, reason);
	ipfrag_peer_put(qp->peer);
	base->nqueues--;
	free(qp);
}

static void ip_expire(struct timer_list *t);

static struct ipq *ipq_create(struct ipq_base *base, const struct ipv4_repr *iph,
			      unsigned int hash)
{
	struct net *net = base->net;
	struct ipq *qp;

	if (tn_should_fail(net->stack, TN_FAULT_GENERIC))
		return NULL;
	qp = calloc(1, sizeof(*qp));
	if (!qp)
		return NULL;
	if (net->ipv4.sysctl_ipfrag_max_dist > 0) {
		qp->peer = ipfrag_peer_get(base, iph->saddr);
		if (!qp->peer) {
			free(qp);
			return NULL;
		}
	}
	qp->base = base;
	qp->saddr = iph->saddr;
	qp->daddr = iph->daddr;
	qp->id = iph->id;
	qp->protocol = iph->protocol;
	skb_queue_head_init(&qp->fragments);
	timer_setup(&qp->timer, ip_expire);
	tn_mod_timer(net->stack, &qp->timer,
		     jiffies(net->stack) + (u64)net->ipv4.sysctl_ipfrag_time);
	hlist_add_head(&qp->node, &base->hash[hash]);
	list_add_tail(&qp->lru, &base->lru_list);
	base->nqueues++;
	return qp;
}

/* The queue of this fragment's datagram, created if it is the first seen. */
static struct ipq *ip_find(struct ipq_base *base, const struct ipv4_repr *iph)
{
	unsigned int hash = ipq_hashfn(base, iph->saddr, iph->daddr, iph->id, iph->protocol);
	struct ipq *qp;

	hlist_for_each_entry(qp, &base->hash[hash], node) {
		if (qp->saddr == iph->saddr && qp->daddr == iph->daddr && qp->id == iph->id &&
		    qp->protocol == iph->protocol)
			return qp;
	}
	return ipq_create(base, iph, hash);
}

/*
 * Memory pressure: evict whole datagrams, least recently fed first, until
 * the namespace is back under ipfrag_low_thresh. Each evicted datagram is a
 * reassembly failure.
 */
static void ip_evictor(struct ipq_base *base, u32 incoming)
{
	struct net *net = base->net;
	u64 high = (u64)TN_MAX(net->ipv4.sysctl_ipfrag_high_thresh, 0);
	u64 low = (u64)TN_MAX(net->ipv4.sysctl_ipfrag_low_thresh, 0);

	if (base->mem + incoming <= high)
		return;
	while (!list_empty(&base->lru_list) && base->mem > low) {
		ipq_destroy(list_first_entry(&base->lru_list, struct ipq, lru),
			    SKB_DROP_REASON_NOMEM);
		__IP_INC_STATS(net, IPSTATS_MIB_REASMFAILS);
	}
}

/* ---- the disorder check (ipfrag_max_dist) --------------------------------- */

/*
 * Linux's ip_frag_too_far: if more than ipfrag_max_dist fragments from the
 * same source arrived since this queue's last one, its fragments are likely
 * from an older datagram whose ID has wrapped; better to start over than to
 * glue two datagrams together.
 */
static bool ip_frag_too_far(struct ipq *qp)
{
	struct net *net = qp->base->net;
	u32 max = (u32)TN_MAX(net->ipv4.sysctl_ipfrag_max_dist, 0);
	u32 start, end;

	if (!qp->peer || !max)
		return false;
	start = qp->rid;
	end = ++qp->peer->rid;
	qp->rid = end;
	if (skb_queue_empty(&qp->fragments) || end - start <= max)
		return false;
	__IP_INC_STATS(net, IPSTATS_MIB_REASMFAILS);
	return true;
}

/* Linux's ip_frag_reinit: forget what was queued, keep the (re-armed) queue. */
static void ip_frag_reinit(struct ipq *qp)
{
	struct tn_stack *st = qp->base->net->stack;

	ipq_purge(qp, SKB_DROP_REASON_FRAG_TOO_FAR);
	qp->flags = 0;
	qp->len = 0;
	qp->meat = 0;
	qp->ecn = 0;
	qp->max_size = 0;
	qp->max_df_size = 0;
	tn_mod_timer(st, &qp->timer, jiffies(st) + (u64)qp->base->net->ipv4.sysctl_ipfrag_time);
}

/* ---- inserting a fragment --------------------------------------------------- */

/* An overlap of the queued fragment cur: a duplicate if [offset, end) lies
 * within the contiguous run of queued data that contains cur. */
static int ipq_overlap_kind(const struct ipq *qp, const struct sk_buff *cur, int run_start,
			    int offset, int end)
{
	const struct sk_buff *n;
	int run_end = FRAG_CB(cur)->end;

	for (n = cur->next; n != (const struct sk_buff *)&qp->fragments; n = n->next) {
		if (FRAG_CB(n)->offset != run_end)
			break;
		run_end = FRAG_CB(n)->end;
	}
	return offset >= run_start && end <= run_end ? IPFRAG_DUP : IPFRAG_OVERLAP;
}

/*
 * Linux's inet_frag_queue_insert on a list kept sorted by offset (a
 * datagram has at most 8192 fragments, and real ones a few dozen): files
 * skb at [offset, end) or reports a duplicate or an overlap.
 */
static int ipq_insert(struct ipq *qp, struct sk_buff *skb, int offset, int end)
{
	struct sk_buff *cur, *next = (struct sk_buff *)&qp->fragments;
	int run_start = 0, run_end = -1;

	skb_queue_walk(&qp->fragments, cur) {
		const struct ipfrag_skb_cb *c = FRAG_CB(cur);

		if (c->offset != run_end)
			run_start = c->offset;
		run_end = c->end;
		if (c->end <= offset)
			continue;
		if (c->offset >= end) {
			next = cur;
			break;
		}
		return ipq_overlap_kind(qp, cur, run_start, offset, end);
	}
	FRAG_CB(skb)->offset = offset;
	FRAG_CB(skb)->end = end;
	__skb_insert(skb, next->prev, next, &qp->fragments);
	return IPFRAG_OK;
}

/*
 * Where the fragment ends in the datagram, with Linux's length rules: the
 * last fragment fixes the length and may not contradict data already seen;
 * others may not reach past a known length, and are cut down to a multiple
 * of 8 (the next fragment cannot start anywhere else). Returns the end, or
 * -1 when the fragment makes the datagram invalid.
 */
static int ip_frag_end(struct ipq *qp, struct sk_buff *skb, const struct ipv4_repr *iph,
		       int offset)
{
	int end = offset + (int)skb->len - iph->ihl;

	if (!(iph->frag_off & IP_MF)) {
		if (end < qp->len || ((qp->flags & INET_FRAG_LAST_IN) && end != qp->len))
			return -1;
		qp->flags |= INET_FRAG_LAST_IN;
		qp->len = end;
	} else {
		if (end & 7) {
			end &= ~7;
			if (skb->ip_summed != CHECKSUM_UNNECESSARY)
				skb->ip_summed = CHECKSUM_NONE;
		}
		if (end > qp->len) {
			if (qp->flags & INET_FRAG_LAST_IN)
				return -1;
			qp->len = end;
		}
	}
	return end == offset ? -1 : end;
}

/* Account a fragment that was just filed. */
static void ipq_account(struct ipq *qp, struct sk_buff *skb, const struct ipv4_repr *iph,
			int offset)
{
	u16 fragsize = (u16)skb->len;

	if (skb->dev)
		dev_hold(skb->dev);
	FRAG_CB(skb)->ihl = iph->ihl;
	qp->meat += FRAG_CB(skb)->end - offset;
	qp->ecn |= ip4_frag_ecn(iph->tos);
	qp->mem += skb->truesize;
	qp->base->mem += skb->truesize;
	if (offset == 0)
		qp->flags |= INET_FRAG_FIRST_IN;
	if (fragsize > qp->max_size)
		qp->max_size = fragsize;
	if ((iph->frag_off & IP_DF) && fragsize > qp->max_df_size)
		qp->max_df_size = fragsize;
}

static int ip_frag_reasm(struct ipq *qp, struct sk_buff *skb);

/* Linux's ip_frag_queue. Consumes skb unless it returns 0 (the datagram). */
static int ip_frag_queue(struct ipq *qp, struct sk_buff *skb, const struct ipv4_repr *iph)
{
	struct net *net = qp->base->net;
	enum skb_drop_reason reason = SKB_DROP_REASON_TN_FRAG_INVALID;
	int offset = (iph->frag_off & IP_OFFSET) << 3;
	int end;

	if (!(IPCB(skb)->flags & IPSKB_FRAG_COMPLETE) && ip_frag_too_far(qp))
		ip_frag_reinit(qp);

	end = ip_frag_end(qp, skb, iph, offset);
	if (end < 0)
		goto discard_qp;
	/* Checked now rather than at reassembly (as Linux does): no memory
	 * is spent on a datagram that can never be delivered. */
	if (IPV4_MIN_HLEN + end > IP_MAX_PACKET) {
		reason = SKB_DROP_REASON_PKT_TOO_BIG;
		goto discard_qp;
	}
	skb_trim(skb, (unsigned int)(iph->ihl + end - offset));

	switch (ipq_insert(qp, skb, offset, end)) {
	case IPFRAG_DUP:
		kfree_skb_reason(skb, SKB_DROP_REASON_DUP_FRAG);
		return -EINVAL;
	case IPFRAG_OVERLAP:
		__IP_INC_STATS(net, IPSTATS_MIB_REASM_OVERLAPS);
		goto discard_qp;
	}
	ipq_account(qp, skb, iph, offset);

	if (qp->flags == (INET_FRAG_FIRST_IN | INET_FRAG_LAST_IN) && qp->meat == qp->len)
		return ip_frag_reasm(qp, skb);

	/* Only the first fragment keeps its route, for the ICMP on timeout. */
	if (offset != 0)
		skb_dst_drop(skb);
	return -EINPROGRESS;

discard_qp:
	ipq_destroy(qp, reason);
	__IP_INC_STATS(net, IPSTATS_MIB_REASMFAILS);
	kfree_skb_reason(skb, reason);
	return -EINVAL;
}

/* ---- rebuilding the datagram ------------------------------------------------ */

/*
 * Make skb (the fragment that completed the datagram, still on the queue)
 * the whole datagram of len bytes: room first, then its own payload moved
 * to where it belongs (before anything can be written over it), then the
 * first fragment's header and every other fragment's payload.
 */
static int ip_frag_linearize(struct ipq *qp, struct sk_buff *skb, const struct sk_buff *head,
			     unsigned int len)
{
	const struct ipfrag_skb_cb *own = FRAG_CB(skb);
	unsigned int hlen = (unsigned int)FRAG_CB(head)->ihl;
	unsigned int own_len = (unsigned int)(own->end - own->offset);
	unsigned int room = skb->len + skb_tailroom(skb);
	const struct sk_buff *frag;

	if (skb_cloned(skb) || room < len) {
		if (pskb_expand_head(skb, 0, room < len ? len - room : 0))
			return -ENOMEM;
	}
	if (len > skb->len)
		skb_put(skb, len - skb->len);
	memmove(skb->data + hlen + own->offset, skb->data + own->ihl, own_len);
	if (head != skb)
		memcpy(skb->data, head->data, hlen);
	skb_queue_walk(&qp->fragments, frag) {
		const struct ipfrag_skb_cb *c = FRAG_CB(frag);

		if (frag != skb)
			memcpy(skb->data + hlen + c->offset, frag->data + c->ihl,
			       (size_t)(c->end - c->offset));
	}
	skb_trim(skb, len);
	return 0;
}

/*
 * The rebuilt header: the first fragment's, with the datagram's length, no
 * fragment bits, and DF only if the largest fragment had it (Linux's rule:
 * forwarding must not turn a datagram that came in small DF fragments into
 * one too big for the path, nor send tiny DF fragments because one small
 * fragment had DF; IPSKB_FRAG_PMTU tells ip_fragment to refragment).
 */
static void ip_frag_fix_header(struct ipq *qp, struct sk_buff *skb, unsigned int hlen, u8 ecn)
{
	u8 *iph = skb->data;
	bool df = qp->max_df_size == qp->max_size;

	iph[1] |= ecn;
	put_be16(iph + 2, (u16)skb->len);
	put_be16(iph + 6, df ? IP_DF : 0);
	put_be16(iph + 10, 0);
	put_be16(iph + 10, ip_fast_csum(iph, hlen / 4));

	skb_reset_network_header(skb);
	skb_set_transport_header(skb, (int)hlen);
	skb->ip_summed = CHECKSUM_NONE;
	IPCB(skb)->frag_max_size = qp->max_size;
	if (df)
		IPCB(skb)->flags |= IPSKB_FRAG_PMTU;
}

/* Linux's ip_frag_reasm. On failure the queue dies with skb in it. */
static int ip_frag_reasm(struct ipq *qp, struct sk_buff *skb)
{
	struct net *net = qp->base->net;
	const struct sk_buff *head = skb_peek(&qp->fragments);
	unsigned int hlen = (unsigned int)FRAG_CB(head)->ihl;
	unsigned int len = hlen + (unsigned int)qp->len;
	enum skb_drop_reason reason;
	int ecn = ip_frag_ecn_combine(qp->ecn);
	int err;

	if (len > IP_MAX_PACKET) {
		reason = SKB_DROP_REASON_PKT_TOO_BIG;
		err = -E2BIG;
		goto out_fail;
	}
	if (ecn < 0) {
		reason = SKB_DROP_REASON_TN_FRAG_INVALID;
		err = -EINVAL;
		goto out_fail;
	}
	if (ip_frag_linearize(qp, skb, head, len)) {
		reason = SKB_DROP_REASON_NOMEM;
		err = -ENOMEM;
		goto out_fail;
	}
	if (head != skb)
		memcpy(IPCB(skb), IPCB(head), sizeof(struct inet_skb_parm));
	ip_frag_fix_header(qp, skb, hlen, (u8)ecn);

	/* skb leaves the queue as the datagram; the others were used up. */
	__skb_unlink(skb, &qp->fragments);
	if (skb->dev)
		dev_put(skb->dev);
	ipq_destroy(qp, SKB_CONSUMED);
	__IP_INC_STATS(net, IPSTATS_MIB_REASMOKS);
	return 0;

out_fail:
	ipq_destroy(qp, reason);
	__IP_INC_STATS(net, IPSTATS_MIB_REASMFAILS);
	return err;
}

/* ---- timeout ---------------------------------------------------------------- */

/*
 * RFC 792 / RFC 1122 3.3.2: only the end host reports the timeout, and
 * only if it has the first fragment (the ICMP quotes its header). With no
 * route kept (a fragment handed to ip_defrag directly), the caller was
 * local delivery, the only user of ip_defrag here.
 */
static void ip_expire_icmp(struct sk_buff *head)
{
	const struct dst_entry *dst = skb_dst(head);

	if (!head->dev || head->dev->reg_state != NETREG_REGISTERED)
		return;
	if (dst && skb_rtable(head)->rt_type != RTN_LOCAL)
		return;
	icmp_send(head, ICMP_TIME_EXCEEDED, ICMP_EXC_FRAGTIME, 0);
}

/* Linux's ip_expire: the datagram did not complete within ipfrag_time. */
static void ip_expire(struct timer_list *t)
{
	struct ipq *qp = from_timer(qp, t, timer);
	struct net *net = qp->base->net;
	struct sk_buff *head = NULL;

	__IP_INC_STATS(net, IPSTATS_MIB_REASMFAILS);
	__IP_INC_STATS(net, IPSTATS_MIB_REASMTIMEOUT);
	/* Sorted by offset: with FIRST_IN, the first on the list is it. */
	if (qp->flags & INET_FRAG_FIRST_IN)
		head = __skb_dequeue(&qp->fragments);
	ipq_destroy(qp, SKB_DROP_REASON_FRAG_REASM_TIMEOUT);
	if (head) {
		ip_expire_icmp(head);
		ipq_drop_frag(head, SKB_DROP_REASON_FRAG_REASM_TIMEOUT);
	}
}

/* ---- entry point ------------------------------------------------------------ */

/*
 * skb: one received fragment, unshared (ip_rcv's skb_share_check), data and
 * network header at its IP header, trimmed to tot_len. Returns 0 with skb
 * now the whole datagram (header checksum recomputed, IPCB(skb)->
 * frag_max_size set), -EINPROGRESS when the queue keeps it, or -errno when
 * it was dropped (counted).
 */
int ip_defrag(struct net *net, struct sk_buff *skb)
{
	struct ipq_base *base = net->ipv4.frags;
	struct ipv4_repr iph;
	struct ipq *qp;

	TN_BUG_ON(skb_network_offset(skb) != 0);
	TN_BUG_ON(skb_shared(skb));
	if (ipv4_parse(skb->data, skb->len, &iph) != IPV4_PARSE_OK || iph.tot_len != skb->len) {
		kfree_skb_reason(skb, SKB_DROP_REASON_IP_INHDR);
		return -EINVAL;
	}
	if (!ipv4_is_fragment(&iph))
		return 0;
	__IP_INC_STATS(net, IPSTATS_MIB_REASMREQDS);

	ip_evictor(base, skb->truesize);
	if (base->mem + skb->truesize > (u64)TN_MAX(net->ipv4.sysctl_ipfrag_high_thresh, 0))
		goto fail;
	qp = ip_find(base, &iph);
	if (!qp)
		goto fail;
	list_move_tail(&qp->lru, &base->lru_list);
	return ip_frag_queue(qp, skb, &iph);

fail:
	__IP_INC_STATS(net, IPSTATS_MIB_REASMFAILS);
	kfree_skb_reason(skb, SKB_DROP_REASON_NOMEM);
	return -ENOMEM;
}

unsigned int ip_frag_nqueues(const struct net *net)
{
	return net->ipv4.frags ? net->ipv4.frags->nqueues : 0;
}

u64 ip_frag_mem(const struct net *net)
{
	return net->ipv4.frags ? net->ipv4.frags->mem : 0;
}

/* ---- subsystem -------------------------------------------------------------- */

static int ipfrag_net_init(struct net *net)
{
	struct ipq_base *base = calloc(1, sizeof(*base));

	if (!base)
		return -ENOMEM;
	base->net = net;
	INIT_LIST_HEAD(&base->lru_list);
	net->ipv4.frags = base;
	net->ipv4.sysctl_ipfrag_high_thresh = IPFRAG_HIGH_THRESH_DEFAULT;
	net->ipv4.sysctl_ipfrag_low_thresh = IPFRAG_LOW_THRESH_DEFAULT;
	net->ipv4.sysctl_ipfrag_time = IPFRAG_TIME_DEFAULT;
	net->ipv4.sysctl_ipfrag_max_dist = IPFRAG_MAX_DIST_DEFAULT;
	return 0;
}

static void ipfrag_net_exit(struct net *net)
{
	struct ipq_base *base = net->ipv4.frags;

	if (!base)
		return;
	while (!list_empty(&base->lru_list))
		ipq_destroy(list_first_entry(&base->lru_list, struct ipq, lru),
			    SKB_DROP_REASON_TN_STACK_TEARDOWN);
	free(base);
	net->ipv4.frags = NULL;
}

const struct tn_subsystem ipfrag_subsys = {
	.name = "ipfrag",
	.net_init = ipfrag_net_init,
	.net_exit = ipfrag_net_exit,
};
