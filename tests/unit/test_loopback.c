/*
 * drivers/net/loopback.c: every namespace has its own lo (ifindex 1, down,
 * Linux's settings), and a frame sent on lo comes back in through the
 * backlog as a received frame, counted once as tx and once as rx.
 */
#include <errno.h>

#include "tn_test.h"
#include "net/skbuff.h"
#include "net/etherdevice.h"
#include "net/ethtool.h"

#define ETH_P_TEST 0x88b5

struct rx_seen {
	unsigned int n;
	u8 pkt_type;
	u8 ip_summed;
	u16 proto;
	u32 len;
	u8 data[16];
	struct net_device *dev;
	struct sock *sk;
};

static int rx_seen_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
		       struct net_device *orig_dev)
{
	struct rx_seen *seen = pt->af_packet_priv;

	seen->n++;
	seen->pkt_type = skb->pkt_type;
	seen->ip_summed = skb->ip_summed;
	seen->proto = skb->protocol;
	seen->len = skb->len;
	memcpy(seen->data, skb->data, TN_MIN(skb->len, 16u));
	seen->dev = dev;
	seen->sk = skb->sk;
	consume_skb(skb);
	return NET_RX_SUCCESS;
}

/* An skb as the layer above hands it down: payload, then the link header
 * built by the device's header_ops (zero destination on lo). */
static struct sk_buff *lo_skb(struct net_device *lo, const char *payload)
{
	unsigned int len = (unsigned int)strlen(payload);
	struct sk_buff *skb = alloc_skb(lo->stack, NET_SKB_PAD + len);

	assert_non_null(skb);
	skb_reserve(skb, NET_SKB_PAD);
	skb_put_data(skb, payload, len);
	assert_int_equal(lo->header_ops->create(skb, lo, ETH_P_TEST, NULL, NULL, len),
			 ETH_HLEN);
	skb->dev = lo;
	skb->ip_summed = CHECKSUM_PARTIAL;
	return skb;
}

static void check_lo(struct net *net)
{
	struct net_device *lo = net->loopback_dev;

	assert_non_null(lo);
	assert_ptr_equal(__dev_get_by_name(net, "lo"), lo);
	assert_int_equal(lo->ifindex, 1);
	assert_ptr_equal(dev_net(lo), net);
	assert_int_equal(lo->type, ARPHRD_LOOPBACK);
	assert_int_equal(lo->mtu, 65536);
	assert_true(lo->flags & IFF_LOOPBACK);
	assert_false(lo->flags & IFF_BROADCAST);
	assert_true(lo->priv_flags & IFF_NO_QUEUE);
	assert_true(lo->features & NETIF_F_HW_CSUM);
	assert_int_equal(lo->hard_header_len, ETH_HLEN);
	assert_true(is_zero_ether_addr(lo->dev_addr));
	assert_true(netif_carrier_ok(lo));
}

static void test_new_stack_has_lo_down_with_linux_settings(void **state)
{
	struct tn_stack *st = tn_test_stack_new();

	check_lo(st->init_net);
	assert_false(st->init_net->loopback_dev->flags & IFF_UP);
	tn_test_stack_free(st);
}

static void test_new_namespace_gets_its_own_lo(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	int err = 0;
	struct net *ns = net_create(st, "blue", &err);

	assert_non_null(ns);
	check_lo(ns);
	assert_ptr_not_equal(ns->loopback_dev, st->init_net->loopback_dev);
	assert_false(ns->loopback_dev->flags & IFF_UP);
	net_destroy(ns);
	tn_test_stack_free(st);
}

static void test_up_lo_xmit_returns_frame_as_received(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *lo = st->init_net->loopback_dev;
	struct packet_type pt = { .type = ETH_P_TEST, .func = rx_seen_rcv };
	struct rx_seen seen = { 0 };

	pt.af_packet_priv = &seen;
	dev_add_pack(st, &pt);
	assert_int_equal(dev_open(lo), 0);

	assert_int_equal(dev_queue_xmit(lo_skb(lo, "hello, lo")), NET_XMIT_SUCCESS);
	assert_int_equal(seen.n, 0);         /* back through the backlog, in softirq */
	do_softirq(st);

	assert_int_equal(seen.n, 1);
	assert_ptr_equal(seen.dev, lo);
	assert_int_equal(seen.pkt_type, PACKET_HOST);
	assert_int_equal(seen.proto, ETH_P_TEST);
	assert_int_equal(seen.ip_summed, CHECKSUM_UNNECESSARY);
	assert_int_equal(seen.len, 9);
	assert_memory_equal(seen.data, "hello, lo", 9);

	/* Linux counts the bytes after eth_type_trans, once each way */
	struct rtnl_link_stats64 s;
	dev_get_stats(lo, &s);
	assert_int_equal(s.tx_packets, 1);
	assert_int_equal(s.rx_packets, 1);
	assert_int_equal(s.tx_bytes, 9);
	assert_int_equal(s.rx_bytes, 9);
	assert_int_equal(s.rx_dropped + s.tx_dropped, 0);

	dev_remove_pack(st, &pt);
	tn_test_stack_free(st);
}

static void test_down_lo_xmit_is_refused(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *lo = st->init_net->loopback_dev;

	assert_true(dev_queue_xmit(lo_skb(lo, "nobody home")) < 0);
	do_softirq(st);
	assert_int_equal(lo->stats.tx_packets, 0);
	assert_int_equal(st->skb_cache.live, 0);
	tn_test_stack_free(st);
}

static void test_lo_ethtool_has_link_but_no_drvinfo(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *lo = st->init_net->loopback_dev;
	struct ethtool_drvinfo info;
	struct ethtool_ringparam ring;
	struct tn_ethtool_stats s;

	assert_int_equal(tn_ethtool_get_drvinfo(lo, &info), -EOPNOTSUPP);
	assert_int_equal(tn_ethtool_get_ringparam(lo, &ring), -EOPNOTSUPP);
	assert_int_equal(tn_ethtool_set_ringparam(lo, &ring), -EOPNOTSUPP);
	assert_int_equal(tn_ethtool_get_stats(lo, &s), -EOPNOTSUPP);
	assert_int_equal(tn_ethtool_get_link(lo), 0);   /* down */
	assert_int_equal(dev_open(lo), 0);
	assert_int_equal(tn_ethtool_get_link(lo), 1);
	tn_test_stack_free(st);
}

static void test_destroyed_namespace_releases_lo(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	int err = 0;
	struct net *ns = net_create(st, "red", &err);
	struct packet_type pt = { .type = ETH_P_TEST, .func = rx_seen_rcv };
	struct rx_seen seen = { 0 };

	assert_non_null(ns);
	pt.af_packet_priv = &seen;
	dev_add_pack(st, &pt);
	assert_int_equal(dev_open(ns->loopback_dev), 0);
	/* a frame still in the backlog when the namespace goes */
	assert_int_equal(dev_queue_xmit(lo_skb(ns->loopback_dev, "late")), NET_XMIT_SUCCESS);
	net_destroy(ns);
	do_softirq(st);
	assert_int_equal(seen.n, 0);
	assert_int_equal(st->skb_cache.live, 0);
	assert_null(net_get_by_name(st, "red"));
	dev_remove_pack(st, &pt);
	tn_test_stack_free(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_stack_has_lo_down_with_linux_settings),
		cmocka_unit_test(test_new_namespace_gets_its_own_lo),
		cmocka_unit_test(test_up_lo_xmit_returns_frame_as_received),
		cmocka_unit_test(test_down_lo_xmit_is_refused),
		cmocka_unit_test(test_lo_ethtool_has_link_but_no_drvinfo),
		cmocka_unit_test(test_destroyed_namespace_releases_lo),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
