/*
 * The device core, packet half: the stack's softnet_data (the one "CPU" of a
 * stack shard), NAPI scheduling and net_rx_action() (the NET_RX softirq),
 * the netif_rx() backlog, and delivery of received frames to the ptype_all
 * taps and the packet_type handler of their protocol. The taps also see
 * outgoing frames, through dev_queue_xmit_nit().
 *
 * It is not the device registry (dev.c), not a driver, and not GRO, RPS or
 * XDP: a frame goes from netif_receive_skb() straight to its handlers. The
 * code follows Linux's net/core/dev.c, function for function.
 *
 * Everything runs under the stack lock; the "interrupt" side (napi_schedule,
 * netif_rx) only queues work and raises NET_RX_SOFTIRQ.
 */
#include "net/stack.h"
#include "net/netdevice.h"
#include "net/net_namespace.h"
#include "net/core/dev.h"

#define PTYPE_HASH_MASK (PTYPE_HASH_SIZE - 1)

/* ---- NAPI ----------------------------------------------------------------- */

static void __napi_schedule(struct napi_struct *n)
{
	list_add_tail(&n->poll_list, &n->stack->sd.poll_list);
	raise_softirq(n->stack, NET_RX_SOFTIRQ);
}

/* May n go on the poll list? Not while disabled; and if it is already
 * scheduled, the poll in progress is told (MISSED) to go round once more. */
static bool napi_schedule_prep(struct napi_struct *n)
{
	if (n->state & NAPIF_STATE_DISABLE)
		return false;
	if (n->state & NAPIF_STATE_SCHED) {
		n->state |= NAPIF_STATE_MISSED;
		return false;
	}
	n->state |= NAPIF_STATE_SCHED;
	return true;
}

void napi_schedule(struct napi_struct *n)
{
	if (napi_schedule_prep(n))
		__napi_schedule(n);
}

/* Leave polling mode; a schedule that came while polling (MISSED) keeps the
 * instance scheduled and back on the list, and the driver must not re-arm
 * its interrupt (false). A disabled instance is the disabler's. */
bool napi_complete_done(struct napi_struct *n, int work_done)
{
	(void)work_done;
	if (n->state & NAPIF_STATE_DISABLE)
		return false;
	list_del_init(&n->poll_list);
	if (n->state & NAPIF_STATE_MISSED) {
		n->state &= ~NAPIF_STATE_MISSED;
		__napi_schedule(n);
		return false;
	}
	n->state &= ~NAPIF_STATE_SCHED;
	return true;
}

/* As in Linux, an instance starts disabled: the driver's ndo_open (and
 * dev_open, before it) enables it. */
void netif_napi_add(struct net_device *dev, struct napi_struct *n,
		    int (*poll)(struct napi_struct *, int), int weight)
{
	INIT_LIST_HEAD(&n->poll_list);
	n->poll = poll;
	n->weight = weight;
	n->dev = dev;
	n->stack = dev->stack;
	n->state = NAPIF_STATE_SCHED | NAPIF_STATE_DISABLE;
	list_add_tail(&n->dev_list, &dev->napi_list);
}

void netif_napi_del(struct napi_struct *n)
{
	napi_disable(n);
	list_del_init(&n->dev_list);
}

/* Linux's napi_disable() waits for a running poll to finish and then owns
 * the SCHED bit; with one thread under the lock there is nothing to wait
 * for, so the instance simply leaves the poll list, and stays "scheduled"
 * so that nothing can schedule it. Both directions are idempotent: the core
 * and the driver may each enable and disable. */
void napi_disable(struct napi_struct *n)
{
	list_del_init(&n->poll_list);
	n->state = NAPIF_STATE_SCHED | NAPIF_STATE_DISABLE;
}

void napi_enable(struct napi_struct *n)
{
	if (!(n->state & NAPIF_STATE_DISABLE))
		return;
	n->state = 0;
}

/*
 * Poll one instance with its weight. An instance that did less than its
 * weight is done (it completed itself). One that used all of it still
 * belongs to this loop and goes on the repoll list, behind the others, so
 * that a busy device cannot starve the rest.
 */
static int napi_poll(struct napi_struct *n, struct list_head *repoll)
{
	int weight = n->weight;
	int work = 0;

	list_del_init(&n->poll_list);
	if (n->state & NAPIF_STATE_SCHED)
		work = n->poll(n, weight);
	if (work < weight)
		return work;
	if (n->state & NAPIF_STATE_DISABLE)
		return work;
	/* A driver that rescheduled itself while using its whole weight is
	 * already on a list (Linux warns once); leave it there. */
	if (!list_empty(&n->poll_list))
		return work;
	list_add_tail(&n->poll_list, repoll);
	return work;
}

static void napi_list_splice_tail(struct list_head *from, struct list_head *to)
{
	while (!list_empty(from))
		list_move_tail(from->next, to);
}

/*
 * NET_RX softirq. Instances are polled in order, each with its weight, until
 * the list is empty or the budget (net.core.netdev_budget packets, or
 * netdev_budget_usecs of host time) is spent; then time_squeeze counts the
 * cut and NET_RX stays raised for what is left. The order afterwards is:
 * instances not reached, those scheduled meanwhile, those that used their
 * whole weight.
 */
void net_rx_action(struct tn_stack *st)
{
	struct softnet_data *sd = &st->sd;
	u64 time_limit = tn_host_ns() + (u64)st->sysctl.netdev_budget_usecs * 1000u;
	int budget = st->sysctl.netdev_budget;
	LIST_HEAD(list);
	LIST_HEAD(repoll);

	list_splice_init(&sd->poll_list, &list);
	while (!list_empty(&list)) {
		struct napi_struct *n = list_first_entry(&list, struct napi_struct, poll_list);

		budget -= napi_poll(n, &repoll);
		if (unlikely(budget <= 0 || tn_host_ns() >= time_limit)) {
			sd->time_squeeze++;
			break;
		}
	}
	napi_list_splice_tail(&sd->poll_list, &list);
	napi_list_splice_tail(&repoll, &list);
	list_splice_init(&list, &sd->poll_list);
	if (!list_empty(&sd->poll_list))
		raise_softirq(st, NET_RX_SOFTIRQ);
}

/* ---- packet types --------------------------------------------------------- */

static struct list_head *ptype_head(struct tn_stack *st, const struct packet_type *pt)
{
	if (pt->type == ETH_P_ALL)
		return &st->ptype_all;
	return &st->ptype_base[pt->type & PTYPE_HASH_MASK];
}

/* Newest first, as Linux's list_add_rcu at the head. */
void dev_add_pack(struct tn_stack *st, struct packet_type *pt)
{
	list_add(&pt->list, ptype_head(st, pt));
}

void dev_remove_pack(struct tn_stack *st, struct packet_type *pt)
{
	struct list_head *head = ptype_head(st, pt);
	struct packet_type *p;

	list_for_each_entry(p, head, list) {
		if (p == pt) {
			list_del_init(&pt->list);
			return;
		}
	}
}

/* Taps and handlers bound to a device or a namespace see only its frames. */
static bool ptype_matches_dev(const struct packet_type *pt, const struct net_device *dev)
{
	return (!pt->dev || pt->dev == dev) && (!pt->net || pt->net == dev_net(dev));
}

/* Every handler but the last gets its own reference; the last one gets the
 * caller's, so the common case (one handler) costs nothing. */
static int deliver_skb(struct sk_buff *skb, struct packet_type *pt_prev,
		       struct net_device *orig_dev)
{
	return pt_prev->func(skb_get(skb), skb->dev, pt_prev, orig_dev);
}

/* ---- receive -------------------------------------------------------------- */

static void net_timestamp_check(struct sk_buff *skb, const struct net_device *dev)
{
	if (!skb->tstamp)
		skb->tstamp = tn_now(dev->stack);
}

/*
 * Linux's __netif_receive_skb_core(), without GRO, VLAN or rx_handler: the
 * taps first, then the handlers of skb->protocol. With no handler the frame
 * is dropped and counted as the device's rx_dropped, as Linux does for an
 * unknown EtherType (rx_nohandler is for frames arriving on an inactive
 * bond slave, which nothing here produces).
 *
 * Deviation: Linux hands the caller's reference to the last tap when no
 * handler follows, so an unknown frame stops counting as a drop while
 * tcpdump runs. Here taps always take a reference of their own: opening a
 * capture does not change what the counters say.
 */
static int __netif_receive_skb(struct sk_buff *skb)
{
	struct net_device *orig_dev = skb->dev;
	struct tn_stack *st = orig_dev->stack;
	struct packet_type *ptype, *pt_prev = NULL;

	st->sd.processed++;
	skb->skb_iif = orig_dev->ifindex;
	skb_reset_network_header(skb);
	if (skb->transport_header == SKB_HDR_UNSET)
		skb_reset_transport_header(skb);
	if (skb_mac_header_was_set(skb))
		skb->mac_len = (u16)(skb->network_header - skb->mac_header);

	list_for_each_entry(ptype, &st->ptype_all, list)
		if (ptype_matches_dev(ptype, orig_dev))
			deliver_skb(skb, ptype, orig_dev);
	list_for_each_entry(ptype, &st->ptype_base[skb->protocol & PTYPE_HASH_MASK], list) {
		if (ptype->type != skb->protocol || !ptype_matches_dev(ptype, orig_dev))
			continue;
		if (pt_prev)
			deliver_skb(skb, pt_prev, orig_dev);
		pt_prev = ptype;
	}
	if (pt_prev)
		return pt_prev->func(skb, skb->dev, pt_prev, orig_dev);

	orig_dev->core_stats.rx_dropped++;
	kfree_skb_reason(skb, SKB_DROP_REASON_UNHANDLED_PROTO);
	return NET_RX_DROP;
}

int netif_receive_skb(struct sk_buff *skb)
{
	net_timestamp_check(skb, skb->dev);
	return __netif_receive_skb(skb);
}

/*
 * The backlog: frames handed over by netif_rx() (loopback, veth, anything
 * that is not a NAPI driver) wait here for the backlog instance. It reads
 * its weight from net.core.dev_weight on every run, as Linux does, so the
 * sysctl takes effect at once.
 */
static int process_backlog(struct napi_struct *napi, int quota)
{
	struct softnet_data *sd = &napi->stack->sd;
	int weight = napi->stack->sysctl.dev_weight;
	int work = 0;

	napi->weight = weight > 0 ? weight : NAPI_POLL_WEIGHT;
	while (work < quota) {
		struct sk_buff *skb = __skb_dequeue(&sd->input_pkt_queue);

		if (!skb) {
			napi->state &= ~(NAPIF_STATE_SCHED | NAPIF_STATE_MISSED);
			break;
		}
		__netif_receive_skb(skb);
		work++;
	}
	return work;
}

/*
 * Queue a frame for the NET_RX softirq (Linux's enqueue_to_backlog). A
 * device that is not up takes nothing. A full backlog (netdev_max_backlog
 * frames) drops: softnet_stat's dropped column and the device's rx_dropped.
 */
int netif_rx(struct sk_buff *skb)
{
	struct net_device *dev = skb->dev;
	struct tn_stack *st = dev->stack;
	struct softnet_data *sd = &st->sd;
	enum skb_drop_reason reason = SKB_DROP_REASON_DEV_READY;

	net_timestamp_check(skb, dev);
	if (!netif_running(dev))
		goto bad_dev;
	reason = SKB_DROP_REASON_CPU_BACKLOG;
	if (skb_queue_len(&sd->input_pkt_queue) >= (u32)TN_MAX(st->sysctl.netdev_max_backlog, 0))
		goto cpu_backlog_drop;
	__skb_queue_tail(&sd->input_pkt_queue, skb);
	if (!(sd->backlog.state & NAPIF_STATE_SCHED)) {
		sd->backlog.state |= NAPIF_STATE_SCHED;
		__napi_schedule(&sd->backlog);
	}
	return NET_RX_SUCCESS;

cpu_backlog_drop:
	sd->dropped++;
bad_dev:
	dev->core_stats.rx_dropped++;
	kfree_skb_reason(skb, reason);
	return NET_RX_DROP;
}

void flush_backlog(struct net_device *dev)
{
	struct sk_buff_head *q = &dev->stack->sd.input_pkt_queue;
	struct sk_buff *skb, *tmp;

	skb_queue_walk_safe(q, skb, tmp) {
		if (skb->dev != dev)
			continue;
		__skb_unlink(skb, q);
		kfree_skb_reason(skb, SKB_DROP_REASON_DEV_READY);
	}
}

/* ---- taps on transmit ----------------------------------------------------- */

/* Linux's skb_loop_sk(): a packet socket does not see its own packets. */
static bool skb_loop_sk(struct packet_type *pt, struct sk_buff *skb)
{
	if (!pt->af_packet_priv || !skb->sk)
		return false;
	if (pt->id_match)
		return pt->id_match(pt, skb);
	return pt->af_packet_priv == (void *)skb->sk;
}

/* The tap's copy: a clone marked outgoing, with sane header offsets even if
 * the sender left the network header unset. */
static struct sk_buff *dev_nit_clone(struct sk_buff *skb)
{
	struct sk_buff *skb2 = skb_clone(skb);
	u32 data_off;

	if (!skb2)
		return NULL;
	net_timestamp_check(skb2, skb->dev);
	skb_reset_mac_header(skb2);
	data_off = (u32)(skb2->data - skb2->head);
	if (skb2->network_header < data_off || skb2->network_header > skb2->tail)
		skb_reset_network_header(skb2);
	skb2->pkt_type = PACKET_OUTGOING;
	return skb2;
}

void dev_queue_xmit_nit(struct sk_buff *skb, struct net_device *dev)
{
	struct tn_stack *st = dev->stack;
	struct packet_type *ptype, *pt_prev = NULL;
	struct sk_buff *skb2 = NULL;

	list_for_each_entry(ptype, &st->ptype_all, list) {
		if (ptype->ignore_outgoing || !ptype_matches_dev(ptype, dev))
			continue;
		if (skb_loop_sk(ptype, skb))
			continue;
		if (pt_prev) {
			deliver_skb(skb2, pt_prev, dev);
			pt_prev = ptype;
			continue;
		}
		/* One clone, shared by every tap. */
		skb2 = dev_nit_clone(skb);
		if (!skb2)
			return;
		pt_prev = ptype;
	}
	if (pt_prev)
		pt_prev->func(skb2, dev, pt_prev, dev);
}

/* ---- set-up --------------------------------------------------------------- */

void softnet_init(struct tn_stack *st)
{
	struct softnet_data *sd = &st->sd;
	struct napi_struct *backlog = &sd->backlog;

	memset(sd, 0, sizeof(*sd));
	INIT_LIST_HEAD(&sd->poll_list);
	skb_queue_head_init(&sd->input_pkt_queue);
	INIT_LIST_HEAD(&sd->output_queue);
	INIT_LIST_HEAD(&backlog->poll_list);
	INIT_LIST_HEAD(&backlog->dev_list);
	backlog->poll = process_backlog;
	backlog->weight = st->sysctl.dev_weight > 0 ? st->sysctl.dev_weight : NAPI_POLL_WEIGHT;
	backlog->stack = st;

	INIT_LIST_HEAD(&st->ptype_all);
	for (unsigned int i = 0; i < PTYPE_HASH_SIZE; i++)
		INIT_LIST_HEAD(&st->ptype_base[i]);
}

/* Every device is gone by now and took its frames with it (flush_backlog),
 * so the backlog is empty; the poll list may still hold the backlog
 * instance, which has nothing left to do. */
void softnet_exit(struct tn_stack *st)
{
	struct softnet_data *sd = &st->sd;

	TN_BUG_ON(!skb_queue_empty(&sd->input_pkt_queue));
	INIT_LIST_HEAD(&sd->poll_list);
	sd->backlog.state = 0;
}
