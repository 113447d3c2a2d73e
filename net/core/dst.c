/*
 * Destination cache entries (Linux's net/core/dst.c): the reference count
 * that keeps a routing decision alive while packets and sockets hold it,
 * and the two "do nothing" continuations a dst uses when it must not
 * deliver (dst_discard for input, dst_discard_out for output).
 *
 * What a dst is for and how it is built belongs to the family that made it
 * (net/ipv4/route.c for rtables); this file only knows when one dies.
 */
#include "net/skbuff.h"
#include "net/dst.h"

/* Drop a reference; the last one hands the entry to its owner's destroy. */
void dst_release(struct dst_entry *d)
{
	if (!d)
		return;
	TN_BUG_ON(d->refcnt <= 0);
	if (--d->refcnt == 0 && d->destroy)
		d->destroy(d);
}

int dst_discard(struct sk_buff *skb)
{
	kfree_skb(skb);
	return 0;
}

int dst_discard_out(struct net *net, struct sock *sk, struct sk_buff *skb)
{
	kfree_skb(skb);
	return 0;
}
