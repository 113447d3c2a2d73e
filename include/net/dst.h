/*
 * Destination cache entries: the result of a routing decision attached to an
 * skb (skb_dst), saying where it goes next (input: deliver locally, forward,
 * or fail; output: which device and next hop, at what MTU). Entries are
 * cached per next hop by the routing code and reference counted, so the
 * packet path never allocates one.
 */
#ifndef TN_NET_DST_H
#define TN_NET_DST_H

#include "net/compiler.h"
#include "net/skbuff.h"

struct net;
struct sock;
struct net_device;

struct dst_entry {
	struct net_device *dev;
	/* Receive continuation chosen by ip_route_input: ip_local_deliver,
	 * ip_forward, ip_error, dst_discard. Consumes the skb. */
	int (*input)(struct sk_buff *skb);
	/* Transmit continuation: ip_output or dst_discard_out. Consumes skb. */
	int (*output)(struct net *net, struct sock *sk, struct sk_buff *skb);
	void (*destroy)(struct dst_entry *dst);   /* free when refcnt drops to 0 */
	int refcnt;
	int error;              /* -errno that ip_error/ICMP reports for this route */
	u64 expires;            /* jiffies, 0: never (PMTU exceptions expire) */
	bool obsolete;          /* route changed: holders must look up again */
	u64 lastuse;
};

static inline struct dst_entry *dst_hold(struct dst_entry *d)
{
	d->refcnt++;
	return d;
}
void dst_release(struct dst_entry *d);

static inline struct dst_entry *skb_dst(const struct sk_buff *skb) { return skb->dst; }
/* skb takes over the caller's reference. */
static inline void skb_dst_set(struct sk_buff *skb, struct dst_entry *d)
{
	skb->dst = d;
}
static inline void skb_dst_drop(struct sk_buff *skb)
{
	if (skb->dst) {
		dst_release(skb->dst);
		skb->dst = NULL;
	}
}
static inline int dst_input(struct sk_buff *skb) { return skb->dst->input(skb); }
static inline int dst_output(struct net *net, struct sock *sk, struct sk_buff *skb)
{
	return skb->dst->output(net, sk, skb);
}
int dst_discard(struct sk_buff *skb);
int dst_discard_out(struct net *net, struct sock *sk, struct sk_buff *skb);

#endif
