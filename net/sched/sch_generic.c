/*
 * Generic packet scheduler routines: the machinery every qdisc kind shares.
 *
 * qdisc_run() moves packets from a device's root qdisc to its driver, one at
 * a time (qdisc_restart), until the qdisc is empty, the driver answers
 * NETDEV_TX_BUSY (the packet goes back to q->gso_skb and is sent first next
 * time), or dev_tx_weight packets have gone, in which case the rest is left
 * to the NET_TX softirq (__netif_schedule, net_tx_action) so that one busy
 * device cannot starve the others nor the receive side. A qdisc that holds
 * packets until a later time arms its watchdog, a timer on the stack's wheel
 * that reschedules it.
 *
 * The root qdisc of a device is built by dev_activate() the first time the
 * device comes up (or by tc, at any time) and then stays, with its
 * parameters, for as long as the device exists, as Linux keeps
 * qdisc_sleeping: dev_deactivate() only puts it to sleep (its queue dropped
 * and counted, its watchdog cancelled, taken off NET_TX), dev_activate()
 * wakes it, and dev_shutdown() destroys it when the device is unregistered
 * or leaves its namespace. So `tc qdisc add dev X root netem delay 50ms`
 * survives `ip link set X down; up`.
 *
 * Not here: the kind registry and tc's create/replace/change (sch_api.c), the
 * kinds themselves (sch_fifo.c, ...), the enqueue side of dev_queue_xmit
 * (net/core/dev.c). Everything runs under the stack lock.
 */
#include <errno.h>
#include <stdlib.h>

#include "net/sch_generic.h"
#include "net/gso.h"
#include "net/netdevice.h"
#include "net/net_namespace.h"
#include "net/stack.h"

/* Linux's dev_tx_weight: net.core.dev_weight times dev_weight_tx_bias (1). */
static int dev_tx_weight(const struct tn_stack *st)
{
	return st->sysctl.dev_weight > 0 ? st->sysctl.dev_weight : 64;
}

/* noqueue: the kind that means "no qdisc". It has no enqueue, which is how
 * dev_activate() and qdisc_create_root() recognise it (as Linux's
 * dev_queue_xmit tests q->enqueue). */
const struct Qdisc_ops noqueue_qdisc_ops = {
	.id = "noqueue",
};

/* ---- queue helpers for the kinds --------------------------------------- */

int qdisc_enqueue_tail(struct sk_buff *skb, struct Qdisc *q, struct sk_buff_head *list)
{
	__skb_queue_tail(list, skb);
	qdisc_qstats_backlog_inc(q, skb);
	q->qstats.qlen++;
	return NET_XMIT_SUCCESS;
}

struct sk_buff *qdisc_dequeue_head(struct Qdisc *q, struct sk_buff_head *list)
{
	struct sk_buff *skb = __skb_dequeue(list);

	if (skb) {
		qdisc_qstats_backlog_dec(q, skb);
		q->qstats.qlen--;
	}
	return skb;
}

int qdisc_drop(struct sk_buff *skb, struct Qdisc *q)
{
	q->qstats.drops++;
	kfree_skb_reason(skb, SKB_DROP_REASON_QDISC_DROP);
	return NET_XMIT_DROP;
}

void qdisc_reset_queue(struct Qdisc *q, struct sk_buff_head *list)
{
	struct sk_buff *skb;

	while ((skb = qdisc_dequeue_head(q, list)) != NULL)
		qdisc_drop(skb, q);
}

/* ---- watchdog ---------------------------------------------------------- */

/* The time a held packet was waiting for has come: run the qdisc again. */
static void qdisc_watchdog(struct timer_list *t)
{
	struct Qdisc *q = from_timer(q, t, watchdog);

	__netif_schedule(q);
}

void qdisc_watchdog_schedule(struct Qdisc *q, u64 expires_ns)
{
	/* The wheel counts jiffies; rounding up means a packet never leaves
	 * before its time, at most one jiffy after it. */
	u64 expires = expires_ns / TN_NSEC_PER_JIFFY +
		      (expires_ns % TN_NSEC_PER_JIFFY != 0);

	/* Like Linux, re-arm whenever the time differs: the kind asks for the
	 * time of its head packet, which may be earlier or later than before. */
	if (timer_pending(&q->watchdog) && q->watchdog.expires == expires)
		return;
	tn_mod_timer(qdisc_dev(q)->stack, &q->watchdog, expires);
}

void qdisc_watchdog_cancel(struct Qdisc *q)
{
	del_timer(&q->watchdog);
}

/* ---- lifetime ---------------------------------------------------------- */

struct Qdisc *qdisc_alloc(struct net_device *dev, const struct Qdisc_ops *ops)
{
	struct Qdisc *q;

	if (tn_should_fail(dev->stack, TN_FAULT_GENERIC))
		return NULL;
	q = calloc(1, sizeof(*q) + ops->priv_size);
	if (!q)
		return NULL;
	q->ops = ops;
	q->dev = dev;
	skb_queue_head_init(&q->gso_skb);
	INIT_LIST_HEAD(&q->output_list);
	timer_setup(&q->watchdog, qdisc_watchdog);
	return q;
}

void qdisc_reset(struct Qdisc *q)
{
	if (q->ops->reset)
		q->ops->reset(q);
	qdisc_reset_queue(q, &q->gso_skb);
	/* Every kind keeps qlen/backlog through the helpers above, so an empty
	 * qdisc that still counts something has a broken accounting. */
	TN_BUG_ON(q->qstats.qlen != 0 || q->qstats.backlog != 0);
}

/* Put q to sleep: nothing queued (counted as drops), nothing armed, not on
 * NET_TX. Its configuration stays. */
static void qdisc_deactivate(struct Qdisc *q)
{
	qdisc_watchdog_cancel(q);
	list_del_init(&q->output_list);
	q->scheduled = false;
	qdisc_reset(q);
}

void qdisc_destroy(struct Qdisc *q)
{
	if (!q)
		return;
	/* Freeing a qdisc from inside its own qdisc_run (a driver closing its
	 * own device in ndo_start_xmit) would be a use after free. */
	TN_BUG_ON(q->running);
	qdisc_deactivate(q);
	if (q->ops->destroy)
		q->ops->destroy(q);
	free(q);
}

/* ---- transmit ---------------------------------------------------------- */

static struct sk_buff *dequeue_skb(struct Qdisc *q)
{
	struct sk_buff *skb = qdisc_dequeue_head(q, &q->gso_skb);

	if (skb)
		return skb;
	return q->ops->dequeue(q);
}

/* The driver could not take skb (and the segments linked behind it): keep
 * them first in line, in order, and try again from NET_TX. A driver that
 * keeps answering BUSY keeps NET_TX busy, as on Linux with a driver that
 * does not stop its queue. */
static void dev_requeue_list(struct sk_buff *rest, struct Qdisc *q)
{
	struct sk_buff *prev = (struct sk_buff *)&q->gso_skb;

	while (rest) {
		struct sk_buff *next = rest->next;

		__skb_insert(rest, prev, ((struct sk_buff_list *)prev)->next, &q->gso_skb);
		qdisc_qstats_backlog_inc(q, rest);
		q->qstats.qlen++;
		prev = rest;
		rest = next;
	}
	q->qstats.requeues++;
	__netif_schedule(q);
}

/*
 * Hand skb to the driver (Linux's sch_direct_xmit): a GSO packet the device
 * cannot take is segmented here, after the qdisc has handled it as one
 * packet (validate_xmit_skb). Returns true if the qdisc may go on.
 */
static bool sch_direct_xmit(struct sk_buff *skb, struct Qdisc *q)
{
	struct net_device *dev = qdisc_dev(q);
	unsigned int len = skb->len;
	u32 segs = skb_is_gso(skb) ? TN_MAX(skb_shinfo(skb)->gso_segs, (u16)1) : 1;
	struct sk_buff *rest;

	skb = validate_xmit_skb(skb, dev);
	if (!skb)
		return true;
	dev_hard_start_xmit(skb, dev, &rest);
	if (rest) {
		dev_requeue_list(rest, q);
		return false;
	}
	q->bstats.bytes += len;
	q->bstats.packets += segs;
	return true;
}

/* Send one packet. Returns false when there is nothing (more) to do now:
 * the qdisc is empty or holding its packets, or the driver is busy. */
static bool qdisc_restart(struct Qdisc *q)
{
	struct sk_buff *skb = dequeue_skb(q);

	if (!skb)
		return false;
	return sch_direct_xmit(skb, q);
}

static void __qdisc_run(struct Qdisc *q)
{
	int quota = dev_tx_weight(q->dev->stack);

	while (qdisc_restart(q)) {
		/* Out of quota: let NET_TX continue, after the other qdiscs and
		 * the receive side have had their turn. */
		if (--quota <= 0) {
			__netif_schedule(q);
			break;
		}
	}
}

void qdisc_run(struct Qdisc *q)
{
	/* Already running further up the call chain (the driver transmitted
	 * again from ndo_start_xmit): that loop will see the new packet. */
	if (q->running)
		return;
	/* A sleeping root (device down) sends nothing. */
	if (!netif_running(qdisc_dev(q)))
		return;
	q->running = true;
	__qdisc_run(q);
	q->running = false;
	/* The driver took its own device down from ndo_start_xmit: what it
	 * refused meanwhile must not wait for the next up. */
	if (unlikely(!netif_running(qdisc_dev(q))))
		qdisc_deactivate(q);
}

void __netif_schedule(struct Qdisc *q)
{
	struct tn_stack *st = qdisc_dev(q)->stack;

	if (q->scheduled)
		return;
	q->scheduled = true;
	list_add_tail(&q->output_list, &st->sd.output_queue);
	raise_softirq(st, NET_TX_SOFTIRQ);
}

/* NET_TX softirq: run every qdisc scheduled so far. The list is taken whole
 * first, so a qdisc that reschedules itself (quota spent) waits for the next
 * round instead of looping here. */
void net_tx_action(struct tn_stack *st)
{
	struct list_head head;

	INIT_LIST_HEAD(&head);
	list_splice_init(&st->sd.output_queue, &head);
	while (!list_empty(&head)) {
		struct Qdisc *q = list_first_entry(&head, struct Qdisc, output_list);

		/* Unlinking before running lets the qdisc reschedule itself,
		 * and a qdisc destroyed meanwhile has already left this list. */
		list_del_init(&q->output_list);
		q->scheduled = false;
		qdisc_run(q);
	}
}

/* ---- device up / down -------------------------------------------------- */

const char *dev_qdisc_kind(const struct net_device *dev)
{
	if (dev->qdisc)
		return dev->qdisc->ops->id;
	/* An explicit kind other than the default is honoured on any device
	 * (netem on a veth is the common case). XXX: an explicit pfifo_fast
	 * cannot be told from the default, so on an IFF_NO_QUEUE device it
	 * becomes noqueue again at the next up. */
	if (dev->qdisc_kind[0] && strcmp(dev->qdisc_kind, pfifo_fast_ops.id) != 0)
		return dev->qdisc_kind;
	/* Linux's attach_one_default_qdisc(): devices that cannot queue, or
	 * whose txqueuelen is 0, get noqueue rather than pfifo_fast. */
	if ((dev->priv_flags & IFF_NO_QUEUE) || dev->tx_queue_len == 0)
		return noqueue_qdisc_ops.id;
	return pfifo_fast_ops.id;
}

/* Linux's attach_default_qdiscs(): a device without a root (never up, or
 * its root deleted by tc) gets the remembered kind or the default. A root
 * that slept through a down/up has nothing to do: its queue is empty. */
void dev_activate(struct net_device *dev)
{
	const struct Qdisc_ops *ops;
	char errmsg[TC_ERRMSG_LEN];
	u32 handle;
	int err;

	if (dev->qdisc)
		return;
	ops = qdisc_lookup_ops(dev_qdisc_kind(dev));
	if (!ops || !ops->enqueue)
		return;
	handle = dev->qdisc_kind[0] ? TN_QDISC_AUTOHANDLE : 0;
	/* XXX: dev_open() has no way to fail on our account; without memory
	 * for a qdisc the device transmits without one, as with noqueue. */
	dev->qdisc = qdisc_create(dev, ops, handle, 0, NULL, errmsg, &err);
}

void dev_deactivate(struct net_device *dev)
{
	if (dev->qdisc)
		qdisc_deactivate(dev->qdisc);
}

/* Linux's dev_shutdown(): the device is going away (or to another
 * namespace, where it starts again with the default qdisc, as on Linux). */
void dev_shutdown(struct net_device *dev)
{
	struct Qdisc *q = dev->qdisc;

	dev->qdisc = NULL;
	dev->qdisc_kind[0] = '\0';
	qdisc_destroy(q);
}
