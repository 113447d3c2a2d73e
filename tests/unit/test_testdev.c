/*
 * drivers/net/testdev.c: injection is an interrupt (nothing runs until
 * softirq), NAPI delivers to taps and packet types, a full ring and runts are
 * counted drops, transmit is recorded and BUSY is honoured, ethtool works,
 * and unregistering frees whatever the device still holds.
 */
#include <errno.h>

#include "tn_test.h"
#include "net/skbuff.h"
#include "net/etherdevice.h"
#include "net/ethtool.h"
#include "net/testdev.h"

#define ETH_P_TEST 0x88b5   /* IEEE local experimental: no other handler */

/* What a packet_type handler saw. */
struct rx_log {
	unsigned int n;
	u8 pkt_type[8];
	u16 proto[8];
	u32 len[8];
	u8 data[8][64];
	struct net_device *dev[8];
};

static int rx_log_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
		      struct net_device *orig_dev)
{
	struct rx_log *log = pt->af_packet_priv;

	if (log->n < 8) {
		log->pkt_type[log->n] = skb->pkt_type;
		log->proto[log->n] = skb->protocol;
		log->len[log->n] = skb->len;
		memcpy(log->data[log->n], skb->data, TN_MIN(skb->len, 64u));
		log->dev[log->n] = dev;
	}
	log->n++;
	consume_skb(skb);
	return NET_RX_SUCCESS;
}

static void rx_log_add(struct tn_stack *st, struct packet_type *pt, struct rx_log *log,
		       u16 type, struct net_device *dev)
{
	memset(pt, 0, sizeof(*pt));
	memset(log, 0, sizeof(*log));
	pt->type = type;
	pt->dev = dev;
	pt->func = rx_log_rcv;
	pt->af_packet_priv = log;
	dev_add_pack(st, pt);
}

/* dst = the device, src 02:00:00:00:00:99, ETH_P_TEST, payload "tux!". */
static size_t test_frame(const struct net_device *dev, u8 *buf)
{
	size_t n = tn_test_hex("ff ff ff ff ff ff 02 00 00 00 00 99 88 b5 74 75 78 21",
			       buf, 64);
	memcpy(buf, dev->dev_addr, ETH_ALEN);
	return n;
}

static u64 ethtool_stat(struct net_device *dev, const char *name)
{
	u64 v = ~0ull;

	assert_int_equal(tn_ethtool_get_stat(dev, name, &v), 0);
	return v;
}

static void test_created_has_fixed_mac_and_kind(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = testdev_create(st->init_net, NULL, true);
	struct net_device *named = testdev_create(st->init_net, "eth7", false);

	assert_non_null(dev);
	assert_string_equal(dev->name, "tt0");
	assert_string_equal(dev->kind, "tuxtest");
	assert_memory_equal(dev->dev_addr, "\x02\x00\x00\x00\x00\x02", ETH_ALEN);
	assert_true(dev->flags & IFF_UP);
	assert_true(netif_carrier_ok(dev));

	assert_non_null(named);
	assert_string_equal(named->name, "eth7");
	assert_memory_equal(named->dev_addr, "\x02\x00\x00\x00\x00\x03", ETH_ALEN);
	assert_false(named->flags & IFF_UP);
	tn_test_stack_free(st);
}

static void test_up_inject_then_softirq_delivers_to_tap_and_ptype(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = testdev_create(st->init_net, NULL, true);
	struct packet_type pt, tap;
	struct rx_log log, tap_log;
	u8 frame[64];
	size_t len = test_frame(dev, frame);

	rx_log_add(st, &pt, &log, ETH_P_TEST, NULL);
	rx_log_add(st, &tap, &tap_log, ETH_P_ALL, dev);

	assert_int_equal(testdev_inject(dev, frame, len), 0);
	assert_int_equal(log.n, 0);          /* the "IRQ" did no protocol work */
	assert_int_equal(tap_log.n, 0);
	do_softirq(st);

	assert_int_equal(tap_log.n, 1);
	assert_int_equal(log.n, 1);
	assert_int_equal(log.pkt_type[0], PACKET_HOST);
	assert_int_equal(log.proto[0], ETH_P_TEST);
	assert_ptr_equal(log.dev[0], dev);
	assert_int_equal(log.len[0], 4);
	assert_memory_equal(log.data[0], "tux!", 4);
	assert_int_equal(dev->stats.rx_packets, 1);
	assert_int_equal(dev->stats.rx_bytes, len);
	assert_int_equal(ethtool_stat(dev, "rx_ring_len"), 0);

	dev_remove_pack(st, &tap);
	dev_remove_pack(st, &pt);
	tn_test_stack_free(st);
}

static void test_more_than_weight_frames_take_two_polls_in_order(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = testdev_create(st->init_net, NULL, true);
	struct packet_type pt;
	struct rx_log log;
	u8 frame[64];
	size_t len = test_frame(dev, frame);

	rx_log_add(st, &pt, &log, ETH_P_TEST, NULL);
	for (int i = 0; i < 100; i++) {
		frame[len - 1] = (u8)i;
		assert_int_equal(testdev_inject(dev, frame, len), 0);
	}
	tn_test_run(st, 1);
	assert_int_equal(log.n, 100);
	assert_int_equal(log.data[7][3], 7);
	assert_true(ethtool_stat(dev, "napi_polls") >= 2);
	dev_remove_pack(st, &pt);
	tn_test_stack_free(st);
}

static void test_ring_full_inject_is_enobufs_and_counted(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = testdev_create(st->init_net, NULL, true);
	struct ethtool_ringparam ring;
	struct packet_type pt;
	struct rx_log log;
	u8 frame[64];
	size_t len = test_frame(dev, frame);

	rx_log_add(st, &pt, &log, ETH_P_TEST, NULL);
	assert_int_equal(tn_ethtool_get_ringparam(dev, &ring), 0);
	ring.rx_pending = 4;
	assert_int_equal(tn_ethtool_set_ringparam(dev, &ring), 0);

	for (int i = 0; i < 4; i++)
		assert_int_equal(testdev_inject(dev, frame, len), 0);
	assert_int_equal(testdev_inject(dev, frame, len), -ENOBUFS);

	struct rtnl_link_stats64 s;
	dev_get_stats(dev, &s);
	assert_int_equal(s.rx_missed_errors, 1);
	assert_int_equal(ethtool_stat(dev, "rx_ring_full"), 1);
	assert_int_equal(st->init_net->core.drops[SKB_DROP_REASON_FULL_RING], 1);

	do_softirq(st);
	assert_int_equal(log.n, 4);
	/* drained: room again */
	assert_int_equal(testdev_inject(dev, frame, len), 0);
	do_softirq(st);
	assert_int_equal(log.n, 5);
	dev_remove_pack(st, &pt);
	tn_test_stack_free(st);
}

static void test_runt_frame_is_length_error(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = testdev_create(st->init_net, NULL, true);
	struct packet_type tap;
	struct rx_log log;
	u8 frame[64];

	rx_log_add(st, &tap, &log, ETH_P_ALL, dev);
	test_frame(dev, frame);
	assert_int_equal(testdev_inject(dev, frame, ETH_HLEN - 1), 0);
	do_softirq(st);

	assert_int_equal(log.n, 0);
	assert_int_equal(dev->stats.rx_length_errors, 1);
	assert_int_equal(dev->stats.rx_packets, 0);
	assert_int_equal(st->init_net->core.drops[SKB_DROP_REASON_PKT_TOO_SMALL], 1);
	dev_remove_pack(st, &tap);
	tn_test_stack_free(st);
}

static void test_down_device_inject_is_enetdown(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = testdev_create(st->init_net, NULL, false);
	u8 frame[64];
	size_t len = test_frame(dev, frame);

	assert_int_equal(testdev_inject(dev, frame, len), -ENETDOWN);
	assert_int_equal(dev_open(dev), 0);
	assert_int_equal(testdev_inject(dev, frame, len), 0);
	/* closing loses what the ring held, as a NIC reset does */
	assert_int_equal(dev_close(dev), 0);
	assert_int_equal(st->skb_cache.live, 0);
	assert_int_equal(st->init_net->core.drops[SKB_DROP_REASON_TN_LINK_DOWN], 1);
	tn_test_stack_free(st);
}

static void test_skb_alloc_failure_inject_is_enomem(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = testdev_create(st->init_net, NULL, true);
	u8 frame[64];
	size_t len = test_frame(dev, frame);

	tn_fault_set(st, TN_FAULT_SKB, 1, 1);
	assert_int_equal(testdev_inject(dev, frame, len), -ENOMEM);
	assert_int_equal(dev->stats.rx_dropped, 1);
	assert_int_equal(testdev_inject(dev, frame, len), 0);
	tn_test_stack_free(st);
}

static struct sk_buff *tx_skb(struct net_device *dev, const u8 *frame, size_t len)
{
	struct sk_buff *skb = alloc_skb(dev->stack, NET_SKB_PAD + (unsigned int)len);

	assert_non_null(skb);
	skb_reserve(skb, NET_SKB_PAD);
	skb_put_data(skb, frame, (unsigned int)len);
	skb->dev = dev;
	return skb;
}

static void test_xmit_is_recorded_with_time(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = testdev_create(st->init_net, NULL, true);
	u8 frame[64];
	size_t len = test_frame(dev, frame);

	tn_test_run(st, 5);
	u64 now = tn_now(st);
	dev_queue_xmit(tx_skb(dev, frame, len));
	frame[len - 1] = '?';
	dev_queue_xmit(tx_skb(dev, frame, len));
	do_softirq(st);

	assert_int_equal(testdev_tx_count(dev), 2);
	struct sk_buff *skb = testdev_peek_tx(dev);
	assert_int_equal(skb->len, len);
	assert_memory_equal(skb->data + ETH_HLEN, "tux!", 4);
	assert_int_equal(skb->tstamp, now);
	skb = testdev_pop_tx(dev);
	assert_int_equal(testdev_tx_count(dev), 1);
	assert_int_equal(testdev_peek_tx(dev)->data[len - 1], '?');
	consume_skb(skb);
	assert_int_equal(dev->stats.tx_packets, 2);
	assert_int_equal(dev->stats.tx_bytes, 2 * len);
	testdev_clear_tx(dev);
	assert_null(testdev_pop_tx(dev));
	tn_test_stack_free(st);
}

static void test_busy_device_frame_is_requeued_then_sent(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = testdev_create(st->init_net, NULL, true);
	u8 frame[64];
	size_t len = test_frame(dev, frame);

	testdev_set_busy(dev, 1);
	dev_queue_xmit(tx_skb(dev, frame, len));
	tn_test_run(st, 10);
	assert_int_equal(ethtool_stat(dev, "tx_busy"), 1);
	assert_int_equal(testdev_tx_count(dev), 1);
	assert_int_equal(dev->stats.tx_packets, 1);
	tn_test_stack_free(st);
}

static void test_ethtool_drvinfo_link_and_ring_limits(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = testdev_create(st->init_net, NULL, true);
	struct ethtool_drvinfo info;
	struct ethtool_ringparam ring, want;

	assert_int_equal(tn_ethtool_get_drvinfo(dev, &info), 0);
	assert_string_equal(info.driver, "tuxtest");
	assert_string_equal(info.bus_info, "");
	assert_true(info.n_stats >= 4);
	assert_int_equal(tn_ethtool_get_link(dev), 1);

	assert_int_equal(tn_ethtool_get_ringparam(dev, &ring), 0);
	assert_int_equal(ring.rx_pending, TESTDEV_DEFAULT_RING);
	assert_int_equal(ring.rx_max_pending, TESTDEV_MAX_RING);

	want = ring;
	want.rx_pending = TESTDEV_MAX_RING + 1;
	assert_int_equal(tn_ethtool_set_ringparam(dev, &want), -EINVAL);
	want.rx_pending = 0;
	assert_int_equal(tn_ethtool_set_ringparam(dev, &want), -EINVAL);
	want = ring;
	want.tx_pending = 1;   /* there is no TX ring */
	assert_int_equal(tn_ethtool_set_ringparam(dev, &want), -EINVAL);
	want = ring;
	want.rx_pending = TESTDEV_MAX_RING;
	assert_int_equal(tn_ethtool_set_ringparam(dev, &want), 0);
	assert_int_equal(tn_ethtool_get_ringparam(dev, &ring), 0);
	assert_int_equal(ring.rx_pending, TESTDEV_MAX_RING);

	assert_int_equal(dev_close(dev), 0);
	assert_int_equal(tn_ethtool_get_link(dev), 0);   /* down: no link to report */
	tn_test_stack_free(st);
}

static void test_ethtool_stats_names_and_values(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = testdev_create(st->init_net, NULL, true);
	struct tn_ethtool_stats s;
	u8 frame[64];
	size_t len = test_frame(dev, frame);
	u64 v;

	assert_int_equal(testdev_inject(dev, frame, len), 0);
	do_softirq(st);
	assert_int_equal(tn_ethtool_get_stats(dev, &s), 0);
	assert_string_equal(s.names[0], "rx_packets");
	assert_int_equal(s.values[0], 1);
	tn_ethtool_stats_release(&s);
	assert_int_equal(tn_ethtool_get_stat(dev, "no_such_stat", &v), -ENOENT);
	tn_test_stack_free(st);
}

static void test_unregister_with_frames_held_frees_them(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = testdev_create(st->init_net, NULL, true);
	u8 frame[64];
	size_t len = test_frame(dev, frame);

	for (int i = 0; i < 3; i++)
		assert_int_equal(testdev_inject(dev, frame, len), 0);
	dev_queue_xmit(tx_skb(dev, frame, len));
	assert_true(st->skb_cache.live > 0);

	unregister_netdevice(dev);
	do_softirq(st);
	assert_int_equal(st->skb_cache.live, 0);
	assert_null(__dev_get_by_name(st->init_net, "tt0"));
	tn_test_stack_free(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_created_has_fixed_mac_and_kind),
		cmocka_unit_test(test_up_inject_then_softirq_delivers_to_tap_and_ptype),
		cmocka_unit_test(test_more_than_weight_frames_take_two_polls_in_order),
		cmocka_unit_test(test_ring_full_inject_is_enobufs_and_counted),
		cmocka_unit_test(test_runt_frame_is_length_error),
		cmocka_unit_test(test_down_device_inject_is_enetdown),
		cmocka_unit_test(test_skb_alloc_failure_inject_is_enomem),
		cmocka_unit_test(test_xmit_is_recorded_with_time),
		cmocka_unit_test(test_busy_device_frame_is_requeued_then_sent),
		cmocka_unit_test(test_ethtool_drvinfo_link_and_ring_limits),
		cmocka_unit_test(test_ethtool_stats_names_and_values),
		cmocka_unit_test(test_unregister_with_frames_held_frees_them),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
