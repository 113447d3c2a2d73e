/*
 * Queueing disciplines: pfifo_fast bands, limits and drops, requeue on a busy
 * driver, the NET_TX quota, device down/up (the root sleeps with its
 * parameters), `tc qdisc replace` and its errors, noqueue, and the watchdog
 * (through a test-only qdisc that holds its packets until a given time).
 *
 * Frames are byte-exact Ethernet frames through the test device; each
 * carries an id in its payload so the order on the wire can be read back.
 */
#include <errno.h>
#include "tn_test.h"
#include "net/sch_generic.h"
#include "net/testdev.h"

#define FRAME_LEN 60
#define ETH_P_TEST 0x88b5   /* IEEE local experimental EtherType */

/* ---- fixtures ---------------------------------------------------------- */

static void frame_bytes(const struct net_device *dev, u16 id, u8 *f)
{
	memset(f, 0xff, ETH_ALEN);                 /* broadcast */
	memcpy(f + ETH_ALEN, dev->dev_addr, ETH_ALEN);
	put_be16(f + 12, ETH_P_TEST);
	for (int i = 14; i < FRAME_LEN; i++)
		f[i] = (u8)(i + id);
	put_be16(f + 14, id);
}

static struct sk_buff *test_skb(struct net_device *dev, u16 id, u32 priority)
{
	u8 f[FRAME_LEN];
	struct sk_buff *skb = alloc_skb(dev->stack, NET_SKB_PAD + FRAME_LEN);

	assert_non_null(skb);
	skb_reserve(skb, NET_SKB_PAD);
	frame_bytes(dev, id, f);
	skb_put_data(skb, f, FRAME_LEN);
	skb_reset_mac_header(skb);
	skb->dev = dev;
	skb->protocol = ETH_P_TEST;
	skb->priority = priority;
	return skb;
}

static void xmit(struct net_device *dev, u16 id, u32 priority)
{
	dev_queue_xmit(test_skb(dev, id, priority));
}

/* The next transmitted frame must be exactly frame `id`. */
static void expect_tx(struct net_device *dev, u16 id)
{
	u8 f[FRAME_LEN];
	struct sk_buff *skb = testdev_pop_tx(dev);

	assert_non_null(skb);
	frame_bytes(dev, id, f);
	assert_int_equal(skb->len, FRAME_LEN);
	assert_memory_equal(skb->data, f, FRAME_LEN);
	consume_skb(skb);
}

static u64 qdisc_drops_in_ns(const struct net_device *dev)
{
	return dev_net(dev)->core.drops[SKB_DROP_REASON_QDISC_DROP];
}

static struct net_device *test_dev(struct tn_stack *st, bool up)
{
	struct net_device *dev = testdev_create(st->init_net, "tt0", up);

	assert_non_null(dev);
	return dev;
}

/* tc's argv after the kind. */
#define ARGV(...) ((char *[]){ __VA_ARGS__, NULL })

/* ---- a test-only qdisc: hold every packet until release_ns -------------- */

struct hold_priv {
	u64 release_ns;
	struct sk_buff_head q;
};

static int hold_enqueue(struct sk_buff *skb, struct Qdisc *q)
{
	struct hold_priv *p = qdisc_priv(q);

	return qdisc_enqueue_tail(skb, q, &p->q);
}

static struct sk_buff *hold_dequeue(struct Qdisc *q)
{
	struct hold_priv *p = qdisc_priv(q);

	if (skb_queue_empty(&p->q))
		return NULL;
	if (tn_now(qdisc_dev(q)->stack) < p->release_ns) {
		qdisc_watchdog_schedule(q, p->release_ns);
		return NULL;
	}
	return qdisc_dequeue_head(q, &p->q);
}

static int hold_init(struct Qdisc *q, int argc, char **argv, char *errmsg)
{
	struct hold_priv *p = qdisc_priv(q);

	skb_queue_head_init(&p->q);
	return 0;
}

static void hold_reset(struct Qdisc *q)
{
	struct hold_priv *p = qdisc_priv(q);

	qdisc_reset_queue(q, &p->q);
}

static const struct Qdisc_ops hold_qdisc_ops = {
	.id = "tn_hold",
	.priv_size = sizeof(struct hold_priv),
	.enqueue = hold_enqueue,
	.dequeue = hold_dequeue,
	.init = hold_init,
	.reset = hold_reset,
};

/* ---- pfifo_fast -------------------------------------------------------- */

static void test_pfifo_fast_mixed_priorities_then_run_sends_band0_first(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = test_dev(st, true);
	struct Qdisc *q = dev->qdisc;
	/* priority -> band: 0->1, 1->2, 6->0, 4->1, 7->0, 2->2, 0x10006->0 */
	static const u32 prio[] = { 0, 1, 6, 4, 7, 2, 0x10006 };

	assert_non_null(q);
	assert_ptr_equal(q->ops, &pfifo_fast_ops);
	for (u16 id = 0; id < ARRAY_SIZE(prio); id++)
		assert_int_equal(q->ops->enqueue(test_skb(dev, id, prio[id]), q),
				 NET_XMIT_SUCCESS);
	assert_int_equal(q->qstats.qlen, 7);
	assert_int_equal(q->qstats.backlog, 7 * FRAME_LEN);

	qdisc_run(q);

	assert_int_equal(testdev_tx_count(dev), 7);
	expect_tx(dev, 2);   /* band 0, in arrival order */
	expect_tx(dev, 4);
	expect_tx(dev, 6);
	expect_tx(dev, 0);   /* band 1 */
	expect_tx(dev, 3);
	expect_tx(dev, 1);   /* band 2 */
	expect_tx(dev, 5);
	assert_int_equal(q->qstats.qlen, 0);
	assert_int_equal(q->qstats.backlog, 0);
	assert_int_equal(q->bstats.packets, 7);
	assert_int_equal(q->bstats.bytes, 7 * FRAME_LEN);
	tn_test_stack_free(st);
}

static void test_pfifo_fast_default_root_then_dump_priomap(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = test_dev(st, true);
	char buf[128];

	assert_int_equal(dev->qdisc->handle, 0);
	assert_string_equal(dev_qdisc_kind(dev), "pfifo_fast");
	dev->qdisc->ops->dump(dev->qdisc, buf, sizeof(buf));
	assert_string_equal(buf, "bands 3 priomap 1 2 2 2 1 2 0 0 1 1 1 1 1 1 1 1");
	tn_test_stack_free(st);
}

static void test_pfifo_fast_full_then_xmit_drops_counted(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = test_dev(st, true);
	struct Qdisc *q = dev->qdisc;

	dev->tx_queue_len = 4;
	testdev_set_busy(dev, 1000);
	for (u16 id = 0; id < 6; id++)
		xmit(dev, id, 0);

	/* The first frame waits in gso_skb and counts against the limit. */
	assert_int_equal(q->qstats.qlen, 4);
	assert_int_equal(q->qstats.drops, 2);
	assert_int_equal(qdisc_drops_in_ns(dev), 2);
	assert_int_equal(testdev_tx_count(dev), 0);

	testdev_set_busy(dev, 0);
	do_softirq(st);
	assert_int_equal(testdev_tx_count(dev), 4);
	for (u16 id = 0; id < 4; id++)
		expect_tx(dev, id);
	assert_int_equal(q->qstats.qlen, 0);
	tn_test_stack_free(st);
}

/* ---- busy driver, NET_TX, quota ---------------------------------------- */

static void test_busy_driver_then_requeue_and_net_tx_delivers_in_order(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = test_dev(st, true);
	struct Qdisc *q = dev->qdisc;

	testdev_set_busy(dev, 2);
	xmit(dev, 1, 0);   /* refused: requeued */
	xmit(dev, 2, 0);   /* 1 refused again; 2 waits behind it */

	assert_int_equal(testdev_tx_count(dev), 0);
	assert_int_equal(q->qstats.requeues, 2);
	assert_int_equal(q->qstats.qlen, 2);
	assert_int_equal(q->qstats.backlog, 2 * FRAME_LEN);
	assert_true(q->scheduled);
	assert_true(st->softirq_pending & (1u << NET_TX_SOFTIRQ));

	do_softirq(st);

	expect_tx(dev, 1);
	expect_tx(dev, 2);
	assert_int_equal(q->qstats.qlen, 0);
	assert_int_equal(q->qstats.backlog, 0);
	assert_int_equal(q->qstats.drops, 0);
	assert_int_equal(q->bstats.packets, 2);   /* a requeue is not sent twice */
	assert_false(q->scheduled);
	tn_test_stack_free(st);
}

static void test_200_queued_behind_busy_driver_then_net_tx_rounds_of_64(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = test_dev(st, true);
	struct Qdisc *q = dev->qdisc;
	static const unsigned int after_round[] = { 64, 128, 192, 200 };

	testdev_set_busy(dev, 100000);
	for (u16 id = 0; id < 200; id++)
		xmit(dev, id, 0);
	assert_int_equal(q->qstats.qlen, 200);
	assert_int_equal(testdev_tx_count(dev), 0);

	testdev_set_busy(dev, 0);
	for (size_t r = 0; r < ARRAY_SIZE(after_round); r++) {
		assert_true(q->scheduled);
		net_tx_action(st);
		assert_int_equal(testdev_tx_count(dev), after_round[r]);
	}
	assert_false(q->scheduled);
	for (u16 id = 0; id < 200; id++)
		expect_tx(dev, id);
	assert_int_equal(q->bstats.packets, 200);
	assert_int_equal(q->qstats.drops, 0);
	tn_test_stack_free(st);
}

/* ---- device down / up -------------------------------------------------- */

static void test_queue_then_dev_down_drops_counted_and_up_reuses_root(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = test_dev(st, true);
	struct Qdisc *root = dev->qdisc;

	testdev_set_busy(dev, 1000);
	for (u16 id = 0; id < 3; id++)
		xmit(dev, id, 0);
	assert_int_equal(root->qstats.qlen, 3);

	/* Down: the root stays, asleep, its queue dropped and counted. */
	assert_int_equal(dev_close(dev), 0);
	assert_ptr_equal(dev->qdisc, root);
	assert_int_equal(root->qstats.qlen, 0);
	assert_int_equal(root->qstats.drops, 3);
	assert_false(root->scheduled);
	assert_int_equal(qdisc_drops_in_ns(dev), 3);
	assert_string_equal(dev_qdisc_kind(dev), "pfifo_fast");
	assert_true(list_empty(&st->sd.output_queue));

	testdev_set_busy(dev, 0);
	assert_int_equal(dev_open(dev), 0);
	assert_ptr_equal(dev->qdisc, root);
	assert_ptr_equal(dev->qdisc->ops, &pfifo_fast_ops);
	assert_int_equal(dev->qdisc->qstats.qlen, 0);
	xmit(dev, 9, 0);
	expect_tx(dev, 9);
	assert_int_equal(testdev_tx_count(dev), 0);
	tn_test_stack_free(st);
}

/* ---- tc qdisc replace / change / del ----------------------------------- */

static void test_replace_root_pfifo_limit5_then_old_dropped_and_limit_holds(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = test_dev(st, true);
	char errmsg[TC_ERRMSG_LEN], buf[64];
	struct Qdisc *q;

	testdev_set_busy(dev, 1000);
	xmit(dev, 100, 0);
	xmit(dev, 101, 0);

	assert_int_equal(qdisc_create_root(dev, "pfifo", 2, ARGV("limit", "5"), errmsg), 0);
	q = dev->qdisc;
	assert_ptr_equal(q->ops, &pfifo_qdisc_ops);
	assert_int_equal(q->handle, TN_QDISC_AUTOHANDLE);
	assert_int_equal(q->limit, 5);
	q->ops->dump(q, buf, sizeof(buf));
	assert_string_equal(buf, "limit 5p");
	assert_string_equal(dev->qdisc_kind, "pfifo");
	assert_int_equal(qdisc_drops_in_ns(dev), 2);   /* the old root's queue */

	for (u16 id = 0; id < 7; id++)
		xmit(dev, id, 0);
	assert_int_equal(q->qstats.qlen, 5);
	assert_int_equal(q->qstats.drops, 2);
	assert_int_equal(qdisc_drops_in_ns(dev), 4);

	testdev_set_busy(dev, 0);
	do_softirq(st);
	for (u16 id = 0; id < 5; id++)
		expect_tx(dev, id);
	assert_int_equal(testdev_tx_count(dev), 0);
	tn_test_stack_free(st);
}

static void test_pfifo_root_then_change_limit_and_down_up_keeps_kind_and_limit(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = test_dev(st, true);
	char errmsg[TC_ERRMSG_LEN];

	assert_int_equal(qdisc_create_root(dev, "pfifo", 0, NULL, errmsg), 0);
	assert_int_equal(dev->qdisc->limit, 1000);
	assert_int_equal(qdisc_change_root(dev, 2, ARGV("limit", "3"), errmsg), 0);
	assert_int_equal(dev->qdisc->limit, 3);
	assert_int_equal(qdisc_change_root(dev, 2, ARGV("limit", "x"), errmsg), -EINVAL);
	assert_string_equal(errmsg, "pfifo: Illegal value for \"limit\": \"x\"");
	assert_int_equal(dev->qdisc->limit, 3);

	/* The root survives down/up with its parameters, as on Linux. */
	assert_int_equal(dev_close(dev), 0);
	assert_int_equal(dev_open(dev), 0);
	assert_ptr_equal(dev->qdisc->ops, &pfifo_qdisc_ops);
	assert_int_equal(dev->qdisc->limit, 3);
	assert_int_equal(dev->qdisc->handle, TN_QDISC_AUTOHANDLE);
	tn_test_stack_free(st);
}

static void test_bad_args_then_einval_and_root_unchanged(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = test_dev(st, true);
	struct Qdisc *root = dev->qdisc;
	char errmsg[TC_ERRMSG_LEN];

	assert_int_equal(qdisc_create_root(dev, "pfifo", 2, ARGV("limit", "many"), errmsg),
			 -EINVAL);
	assert_string_equal(errmsg, "pfifo: Illegal value for \"limit\": \"many\"");
	assert_int_equal(qdisc_create_root(dev, "bfifo", 1, ARGV("limit"), errmsg),
			 -EINVAL);
	assert_string_equal(errmsg, "Command line is not complete. Try option \"help\"");
	assert_int_equal(qdisc_create_root(dev, "pfifo", 1, ARGV("burst"), errmsg),
			 -EINVAL);
	assert_string_equal(errmsg, "pfifo: unknown parameter \"burst\"");
	assert_int_equal(qdisc_create_root(dev, "pfifo_fast", 2, ARGV("limit", "5"), errmsg),
			 -EINVAL);
	assert_string_equal(errmsg, "qdisc 'pfifo_fast' does not support option parsing");
	assert_int_equal(qdisc_create_root(dev, "noqueue", 2, ARGV("limit", "5"), errmsg),
			 -EINVAL);

	assert_ptr_equal(dev->qdisc, root);
	assert_string_equal(dev_qdisc_kind(dev), "pfifo_fast");
	tn_test_stack_free(st);
}

static void test_unknown_kind_then_enoent(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = test_dev(st, true);
	struct Qdisc *root = dev->qdisc;
	char errmsg[TC_ERRMSG_LEN];

	assert_int_equal(qdisc_create_root(dev, "nosuchq", 0, NULL, errmsg), -ENOENT);
	assert_string_equal(errmsg, "Error: Specified qdisc kind is unknown.");
	assert_ptr_equal(dev->qdisc, root);
	assert_null(qdisc_lookup_ops("nosuchq"));
	assert_ptr_equal(qdisc_lookup_ops("bfifo"), &bfifo_qdisc_ops);
	tn_test_stack_free(st);
}

static void test_pfifo_root_then_delete_restores_default(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = test_dev(st, true);
	char errmsg[TC_ERRMSG_LEN];

	assert_int_equal(qdisc_create_root(dev, "pfifo", 0, NULL, errmsg), 0);
	assert_int_equal(qdisc_create_root(dev, NULL, 0, NULL, errmsg), 0);
	assert_ptr_equal(dev->qdisc->ops, &pfifo_fast_ops);
	assert_int_equal(dev->qdisc->handle, 0);
	assert_string_equal(dev->qdisc_kind, "");
	tn_test_stack_free(st);
}

static void test_down_device_replace_then_up_runs_it_with_its_parameters(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = test_dev(st, false);
	char errmsg[TC_ERRMSG_LEN], buf[64];

	assert_null(dev->qdisc);
	assert_int_equal(qdisc_create_root(dev, "bfifo", 2, ARGV("limit", "bad"), errmsg),
			 -EINVAL);
	assert_null(dev->qdisc);
	assert_int_equal(qdisc_create_root(dev, "bfifo", 2, ARGV("limit", "64kb"), errmsg), 0);
	assert_non_null(dev->qdisc);   /* asleep until up */
	assert_string_equal(dev_qdisc_kind(dev), "bfifo");
	xmit(dev, 1, 0);               /* down: refused before the qdisc */
	assert_int_equal(dev->qdisc->qstats.qlen, 0);

	assert_int_equal(dev_open(dev), 0);
	assert_ptr_equal(dev->qdisc->ops, &bfifo_qdisc_ops);
	dev->qdisc->ops->dump(dev->qdisc, buf, sizeof(buf));
	assert_string_equal(buf, "limit 64Kb");

	assert_int_equal(qdisc_change_root(dev, 0, NULL, errmsg), 0);
	dev->qdisc->ops->dump(dev->qdisc, buf, sizeof(buf));
	assert_string_equal(buf, "limit 1514000b");   /* txqueuelen * (mtu + 14) */
	tn_test_stack_free(st);
}

static void test_bfifo_byte_limit_then_third_frame_dropped(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = test_dev(st, true);
	char errmsg[TC_ERRMSG_LEN];

	assert_int_equal(qdisc_create_root(dev, "bfifo", 2, ARGV("limit", "150"), errmsg), 0);
	testdev_set_busy(dev, 1000);
	for (u16 id = 0; id < 3; id++)
		xmit(dev, id, 0);
	assert_int_equal(dev->qdisc->qstats.backlog, 2 * FRAME_LEN);
	assert_int_equal(dev->qdisc->qstats.drops, 1);
	testdev_set_busy(dev, 0);
	do_softirq(st);
	expect_tx(dev, 0);
	expect_tx(dev, 1);
	tn_test_stack_free(st);
}

static void test_alloc_fails_then_replace_enomem_and_up_without_qdisc(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = test_dev(st, true);
	struct Qdisc *root = dev->qdisc;
	char errmsg[TC_ERRMSG_LEN];

	tn_fault_set(st, TN_FAULT_GENERIC, 1, 1);
	assert_int_equal(qdisc_create_root(dev, "pfifo", 0, NULL, errmsg), -ENOMEM);
	assert_ptr_equal(dev->qdisc, root);
	assert_string_equal(dev_qdisc_kind(dev), "pfifo_fast");

	/* No memory at dev_open for a device without a root (deleted while
	 * down): the device still transmits, unqueued. */
	assert_int_equal(dev_close(dev), 0);
	assert_int_equal(qdisc_create_root(dev, NULL, 0, NULL, errmsg), 0);
	assert_null(dev->qdisc);
	tn_fault_set(st, TN_FAULT_GENERIC, 1, 1);
	assert_int_equal(dev_open(dev), 0);
	assert_null(dev->qdisc);
	xmit(dev, 3, 0);
	expect_tx(dev, 3);
	tn_test_stack_free(st);
}

/* ---- noqueue ----------------------------------------------------------- */

static void test_noqueue_root_then_xmit_goes_straight_to_driver(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = test_dev(st, true);
	char errmsg[TC_ERRMSG_LEN];

	assert_int_equal(qdisc_create_root(dev, "noqueue", 0, NULL, errmsg), 0);
	assert_null(dev->qdisc);
	assert_string_equal(dev_qdisc_kind(dev), "noqueue");
	xmit(dev, 7, 0);
	assert_int_equal(testdev_tx_count(dev), 1);
	expect_tx(dev, 7);

	/* Kept across down/up. */
	assert_int_equal(dev_close(dev), 0);
	assert_int_equal(dev_open(dev), 0);
	assert_null(dev->qdisc);
	tn_test_stack_free(st);
}

static void test_no_queue_flag_or_zero_txqlen_then_up_has_no_qdisc(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = test_dev(st, false);
	char errmsg[TC_ERRMSG_LEN];

	dev->priv_flags |= IFF_NO_QUEUE;
	assert_string_equal(dev_qdisc_kind(dev), "noqueue");
	assert_int_equal(dev_open(dev), 0);
	assert_null(dev->qdisc);
	xmit(dev, 1, 0);
	expect_tx(dev, 1);

	/* An explicit kind is honoured on such a device (netem on veth). */
	assert_int_equal(qdisc_create_root(dev, "pfifo", 0, NULL, errmsg), 0);
	assert_ptr_equal(dev->qdisc->ops, &pfifo_qdisc_ops);

	assert_int_equal(dev_close(dev), 0);
	dev->priv_flags &= ~IFF_NO_QUEUE;
	dev->tx_queue_len = 0;
	assert_int_equal(qdisc_create_root(dev, NULL, 0, NULL, errmsg), 0);
	assert_int_equal(dev_open(dev), 0);
	assert_null(dev->qdisc);
	assert_string_equal(dev_qdisc_kind(dev), "noqueue");
	tn_test_stack_free(st);
}

/* ---- watchdog ---------------------------------------------------------- */

static void test_hold_qdisc_then_watchdog_sends_at_next_jiffy(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = test_dev(st, true);
	u64 t0 = tn_now(st), release = t0 + 10 * TN_NSEC_PER_JIFFY + 500000;
	u64 release_jiffy = release / TN_NSEC_PER_JIFFY + 1;
	char errmsg[TC_ERRMSG_LEN];
	struct hold_priv *p;
	struct Qdisc *q;
	int err = 0;

	q = qdisc_create(dev, &hold_qdisc_ops, 0x10000, 0, NULL, errmsg, &err);
	assert_non_null(q);
	p = qdisc_priv(q);
	p->release_ns = release;
	qdisc_graft_root(dev, q);

	xmit(dev, 1, 0);
	xmit(dev, 2, 0);
	assert_int_equal(testdev_tx_count(dev), 0);
	assert_true(timer_pending(&q->watchdog));
	assert_int_equal(q->watchdog.expires, release_jiffy);

	tn_test_run(st, 10);
	assert_int_equal(testdev_tx_count(dev), 0);
	tn_test_run(st, 1);
	assert_int_equal(testdev_tx_count(dev), 2);
	assert_int_equal(testdev_peek_tx(dev)->tstamp, release_jiffy * TN_NSEC_PER_JIFFY);
	expect_tx(dev, 1);
	expect_tx(dev, 2);
	assert_false(timer_pending(&q->watchdog));
	tn_test_stack_free(st);
}

static void test_watchdog_armed_then_dev_down_cancels_it(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = test_dev(st, true);
	char errmsg[TC_ERRMSG_LEN];
	struct Qdisc *q;
	u64 timers;
	int err = 0;

	q = qdisc_create(dev, &hold_qdisc_ops, 0x10000, 0, NULL, errmsg, &err);
	assert_non_null(q);
	((struct hold_priv *)qdisc_priv(q))->release_ns = tn_now(st) + 5 * TN_NSEC_PER_JIFFY;
	qdisc_graft_root(dev, q);
	timers = st->timers.pending;
	xmit(dev, 1, 0);
	assert_true(timer_pending(&q->watchdog));
	assert_int_equal(st->timers.pending, timers + 1);

	assert_int_equal(dev_close(dev), 0);
	assert_int_equal(st->timers.pending, timers);
	assert_int_equal(qdisc_drops_in_ns(dev), 1);
	tn_test_run(st, 10);
	assert_int_equal(testdev_tx_count(dev), 0);
	tn_test_stack_free(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pfifo_fast_mixed_priorities_then_run_sends_band0_first),
		cmocka_unit_test(test_pfifo_fast_default_root_then_dump_priomap),
		cmocka_unit_test(test_pfifo_fast_full_then_xmit_drops_counted),
		cmocka_unit_test(test_busy_driver_then_requeue_and_net_tx_delivers_in_order),
		cmocka_unit_test(test_200_queued_behind_busy_driver_then_net_tx_rounds_of_64),
		cmocka_unit_test(test_queue_then_dev_down_drops_counted_and_up_reuses_root),
		cmocka_unit_test(test_replace_root_pfifo_limit5_then_old_dropped_and_limit_holds),
		cmocka_unit_test(test_pfifo_root_then_change_limit_and_down_up_keeps_kind_and_limit),
		cmocka_unit_test(test_bad_args_then_einval_and_root_unchanged),
		cmocka_unit_test(test_unknown_kind_then_enoent),
		cmocka_unit_test(test_pfifo_root_then_delete_restores_default),
		cmocka_unit_test(test_down_device_replace_then_up_runs_it_with_its_parameters),
		cmocka_unit_test(test_bfifo_byte_limit_then_third_frame_dropped),
		cmocka_unit_test(test_alloc_fails_then_replace_enomem_and_up_without_qdisc),
		cmocka_unit_test(test_noqueue_root_then_xmit_goes_straight_to_driver),
		cmocka_unit_test(test_no_queue_flag_or_zero_txqlen_then_up_has_no_qdisc),
		cmocka_unit_test(test_hold_qdisc_then_watchdog_sends_at_next_jiffy),
		cmocka_unit_test(test_watchdog_armed_then_dev_down_cancels_it),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
