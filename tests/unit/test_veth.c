/*
 * drivers/net/veth.c: a pair across two namespaces carries frames from one
 * end to the other, classified against the receiving end; carrier follows
 * both ends' admin state; a frame to a down peer is a drop on both ends;
 * deleting either end (or its namespace) deletes the pair.
 */
#include <errno.h>

#include "tn_test.h"
#include "net/skbuff.h"
#include "net/etherdevice.h"
#include "net/ethtool.h"
#include "net/veth.h"

#define ETH_P_TEST 0x88b5

struct rx_log {
	unsigned int n;
	u8 pkt_type[8];
	u16 proto[8];
	u32 mark[8];
	u32 len[8];
	struct net_device *dev[8];
};

static int rx_log_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
		      struct net_device *orig_dev)
{
	struct rx_log *log = pt->af_packet_priv;

	if (log->n < 8) {
		log->pkt_type[log->n] = skb->pkt_type;
		log->proto[log->n] = skb->protocol;
		log->mark[log->n] = skb->mark;
		log->len[log->n] = skb->len;
		log->dev[log->n] = dev;
	}
	log->n++;
	consume_skb(skb);
	return NET_RX_SUCCESS;
}

struct pair_world {
	struct tn_stack *st;
	struct net *a, *b;
	struct net_device *va, *vb;   /* veth0 in a, veth1 in b */
	struct packet_type pt;
	struct rx_log log;
};

static void world_setup(struct pair_world *w)
{
	int err = 0;

	memset(w, 0, sizeof(*w));
	w->st = tn_test_stack_new();
	w->a = net_create(w->st, "a", &err);
	w->b = net_create(w->st, "b", &err);
	assert_non_null(w->a);
	assert_non_null(w->b);
	assert_int_equal(veth_newlink(w->a, "veth0", w->b, "veth1", &w->va, &w->vb), 0);
	w->pt.type = ETH_P_TEST;
	w->pt.func = rx_log_rcv;
	w->pt.af_packet_priv = &w->log;
	dev_add_pack(w->st, &w->pt);
}

static void world_teardown(struct pair_world *w)
{
	dev_remove_pack(w->st, &w->pt);
	if (w->b)
		net_destroy(w->b);
	if (w->a)
		net_destroy(w->a);
	tn_test_stack_free(w->st);
}

static void world_up(struct pair_world *w)
{
	assert_int_equal(dev_open(w->va), 0);
	assert_int_equal(dev_open(w->vb), 0);
}

/* Send an ETH_P_TEST frame to dst out of dev, with a mark set. */
static int send_frame(struct net_device *dev, const u8 *dst)
{
	struct sk_buff *skb = alloc_skb(dev->stack, NET_SKB_PAD + 64);

	assert_non_null(skb);
	skb_reserve(skb, NET_SKB_PAD);
	skb_put_data(skb, "veth payload", 12);
	assert_int_equal(dev->header_ops->create(skb, dev, ETH_P_TEST, dst, NULL, skb->len),
			 ETH_HLEN);
	skb->dev = dev;
	skb->mark = 0x42;
	return dev_queue_xmit(skb);
}

static void test_newlink_across_namespaces_sets_up_pair(void **state)
{
	struct pair_world w;

	world_setup(&w);
	assert_ptr_equal(dev_net(w.va), w.a);
	assert_ptr_equal(dev_net(w.vb), w.b);
	assert_ptr_equal(__dev_get_by_name(w.a, "veth0"), w.va);
	assert_ptr_equal(__dev_get_by_name(w.b, "veth1"), w.vb);
	assert_null(__dev_get_by_name(w.a, "veth1"));
	assert_string_equal(w.va->kind, "veth");
	assert_true(w.va->priv_flags & IFF_NO_QUEUE);
	assert_ptr_equal(veth_peer(w.va), w.vb);
	assert_ptr_equal(w.va->netdev_ops->ndo_get_peer_dev(w.va), w.vb);
	/* `ip link` in a: veth0@ifN with N the peer's index in b */
	assert_int_equal(w.va->netdev_ops->ndo_get_iflink(w.va), w.vb->ifindex);
	assert_int_equal(w.vb->netdev_ops->ndo_get_iflink(w.vb), w.va->ifindex);

	assert_true(is_valid_ether_addr(w.va->dev_addr));
	assert_true(w.va->dev_addr[0] & 0x02);
	assert_false(ether_addr_equal(w.va->dev_addr, w.vb->dev_addr));
	assert_false(w.va->flags & IFF_UP);
	assert_false(netif_carrier_ok(w.va));
	assert_false(netif_carrier_ok(w.vb));
	world_teardown(&w);
}

static void test_carrier_needs_both_ends_up(void **state)
{
	struct pair_world w;

	world_setup(&w);
	assert_int_equal(dev_open(w.va), 0);
	assert_false(netif_carrier_ok(w.va));
	assert_false(netif_carrier_ok(w.vb));
	assert_int_equal(dev_open(w.vb), 0);
	assert_true(netif_carrier_ok(w.va));
	assert_true(netif_carrier_ok(w.vb));
	assert_int_equal(tn_ethtool_get_link(w.va), 1);

	assert_int_equal(dev_close(w.va), 0);
	assert_false(netif_carrier_ok(w.va));
	assert_false(netif_carrier_ok(w.vb));
	assert_int_equal(tn_ethtool_get_link(w.vb), 0);
	assert_int_equal(dev_open(w.va), 0);
	assert_true(netif_carrier_ok(w.va));
	assert_true(netif_carrier_ok(w.vb));
	world_teardown(&w);
}

static void test_both_up_frames_arrive_on_peer_classified(void **state)
{
	static const u8 bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const u8 mcast[ETH_ALEN] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
	static const u8 other[ETH_ALEN] = { 0x02, 0x12, 0x34, 0x56, 0x78, 0x9a };
	struct pair_world w;

	world_setup(&w);
	world_up(&w);
	assert_int_equal(send_frame(w.va, w.vb->dev_addr), NET_XMIT_SUCCESS);
	assert_int_equal(send_frame(w.va, bcast), NET_XMIT_SUCCESS);
	assert_int_equal(send_frame(w.va, mcast), NET_XMIT_SUCCESS);
	assert_int_equal(send_frame(w.va, other), NET_XMIT_SUCCESS);
	assert_int_equal(w.log.n, 0);   /* the peer receives in softirq */
	do_softirq(w.st);

	assert_int_equal(w.log.n, 4);
	assert_int_equal(w.log.pkt_type[0], PACKET_HOST);
	assert_int_equal(w.log.pkt_type[1], PACKET_BROADCAST);
	assert_int_equal(w.log.pkt_type[2], PACKET_MULTICAST);
	assert_int_equal(w.log.pkt_type[3], PACKET_OTHERHOST);
	for (int i = 0; i < 4; i++) {
		assert_ptr_equal(w.log.dev[i], w.vb);
		assert_int_equal(w.log.proto[i], ETH_P_TEST);
		assert_int_equal(w.log.len[i], 12);
		assert_int_equal(w.log.mark[i], 0);   /* scrubbed crossing namespaces */
	}

	struct rtnl_link_stats64 sa, sb;
	dev_get_stats(w.va, &sa);
	dev_get_stats(w.vb, &sb);
	assert_int_equal(sa.tx_packets, 4);
	assert_int_equal(sa.tx_bytes, 4 * (ETH_HLEN + 12));
	assert_int_equal(sb.rx_packets, 4);
	assert_int_equal(sb.rx_bytes, 4 * (ETH_HLEN + 12));
	assert_int_equal(sa.tx_dropped + sb.rx_dropped, 0);
	world_teardown(&w);
}

static void test_same_namespace_keeps_mark(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *x, *y;
	struct packet_type pt = { .type = ETH_P_TEST, .func = rx_log_rcv };
	struct rx_log log = { 0 };

	pt.af_packet_priv = &log;
	dev_add_pack(st, &pt);
	assert_int_equal(veth_newlink(st->init_net, NULL, NULL, NULL, &x, &y), 0);
	assert_string_equal(y->name, "veth0");   /* the peer registers first */
	assert_string_equal(x->name, "veth1");
	assert_int_equal(dev_open(x), 0);
	assert_int_equal(dev_open(y), 0);
	assert_int_equal(send_frame(x, y->dev_addr), NET_XMIT_SUCCESS);
	do_softirq(st);
	assert_int_equal(log.n, 1);
	assert_int_equal(log.mark[0], 0x42);
	assert_ptr_equal(log.dev[0], y);
	unregister_netdevice(x);
	dev_remove_pack(st, &pt);
	tn_test_stack_free(st);
}

static void test_peer_down_drop_counted_on_both_ends(void **state)
{
	struct pair_world w;

	world_setup(&w);
	assert_int_equal(dev_open(w.va), 0);

	/* The driver itself, as dev_hard_start_xmit would call it: a frame to
	 * a peer that is down never reaches it. */
	struct sk_buff *skb = alloc_skb(w.st, NET_SKB_PAD + 64);
	skb_reserve(skb, NET_SKB_PAD);
	skb_put_zero(skb, 12);
	eth_header_ops.create(skb, w.va, ETH_P_TEST, w.vb->dev_addr, NULL, 12);
	skb->dev = w.va;
	assert_int_equal(w.va->netdev_ops->ndo_start_xmit(skb, w.va), NETDEV_TX_OK);
	do_softirq(w.st);

	struct rtnl_link_stats64 sa, sb;
	dev_get_stats(w.va, &sa);
	dev_get_stats(w.vb, &sb);
	assert_int_equal(w.log.n, 0);
	assert_int_equal(sa.tx_dropped, 1);
	assert_int_equal(sa.tx_packets, 0);
	assert_int_equal(sb.rx_dropped, 1);
	assert_int_equal(sb.rx_packets, 0);
	assert_int_equal(w.a->core.drops[SKB_DROP_REASON_DEV_READY], 1);
	assert_int_equal(w.st->skb_cache.live, 0);

	u64 v = 0;
	assert_int_equal(tn_ethtool_get_stat(w.va, "tx_queue_0_drops", &v), 0);
	assert_int_equal(v, 1);
	world_teardown(&w);
}

static void test_frame_over_peer_mtu_is_dropped(void **state)
{
	struct pair_world w;

	world_setup(&w);
	world_up(&w);
	assert_int_equal(dev_set_mtu(w.vb, 1000), 0);
	struct sk_buff *skb = alloc_skb(w.st, NET_SKB_PAD + 1600);
	skb_reserve(skb, NET_SKB_PAD);
	skb_put_zero(skb, 1400);
	eth_header_ops.create(skb, w.va, ETH_P_TEST, w.vb->dev_addr, NULL, 1400);
	skb->dev = w.va;
	assert_int_equal(w.va->netdev_ops->ndo_start_xmit(skb, w.va), NETDEV_TX_OK);
	do_softirq(w.st);
	assert_int_equal(w.log.n, 0);
	assert_int_equal(w.va->stats.tx_dropped, 1);
	assert_int_equal(w.vb->core_stats.rx_dropped, 1);
	world_teardown(&w);
}

static void test_deleting_one_end_deletes_both(void **state)
{
	struct pair_world w;

	world_setup(&w);
	world_up(&w);
	unregister_netdevice(w.vb);
	assert_null(__dev_get_by_name(w.b, "veth1"));
	assert_null(__dev_get_by_name(w.a, "veth0"));
	world_teardown(&w);
}

static void test_destroying_peer_namespace_deletes_pair(void **state)
{
	struct pair_world w;

	world_setup(&w);
	world_up(&w);
	assert_int_equal(send_frame(w.va, w.vb->dev_addr), NET_XMIT_SUCCESS);
	net_destroy(w.b);    /* the frame is still in the backlog */
	w.b = NULL;
	do_softirq(w.st);
	assert_int_equal(w.log.n, 0);
	assert_null(__dev_get_by_name(w.a, "veth0"));
	assert_int_equal(w.st->skb_cache.live, 0);
	world_teardown(&w);
}

static void test_destroying_namespace_holding_both_ends(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	int err = 0;
	struct net *ns = net_create(st, "both", &err);
	struct net_device *x, *y;

	assert_non_null(ns);
	assert_int_equal(veth_newlink(ns, "x0", ns, "y0", &x, &y), 0);
	assert_int_equal(veth_newlink(ns, "x1", ns, "y1", NULL, NULL), 0);
	assert_int_equal(dev_open(x), 0);
	net_destroy(ns);
	tn_test_stack_free(st);
}

static void test_newlink_name_taken_leaves_nothing(void **state)
{
	struct pair_world w;
	struct net_device *x = NULL, *y = NULL;

	world_setup(&w);
	/* the peer name is free, the end's name is not: the peer must go too */
	assert_int_equal(veth_newlink(w.a, "veth0", w.a, "fresh", &x, &y), -EEXIST);
	assert_null(x);
	assert_null(y);
	assert_null(__dev_get_by_name(w.a, "fresh"));
	assert_int_equal(veth_newlink(w.a, "ok0", w.b, "veth1", NULL, NULL), -EEXIST);
	assert_null(__dev_get_by_name(w.a, "ok0"));
	world_teardown(&w);
}

static void test_ethtool_reports_driver_and_peer(void **state)
{
	struct pair_world w;
	struct ethtool_drvinfo info;
	struct ethtool_ringparam ring;
	u64 v = 0;

	world_setup(&w);
	assert_int_equal(tn_ethtool_get_drvinfo(w.va, &info), 0);
	assert_string_equal(info.driver, "veth");
	assert_int_equal(info.n_stats, 7);
	assert_int_equal(tn_ethtool_get_stat(w.va, "peer_ifindex", &v), 0);
	assert_int_equal(v, (u64)w.vb->ifindex);
	assert_int_equal(tn_ethtool_get_ringparam(w.va, &ring), -EOPNOTSUPP);
	world_teardown(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_newlink_across_namespaces_sets_up_pair),
		cmocka_unit_test(test_carrier_needs_both_ends_up),
		cmocka_unit_test(test_both_up_frames_arrive_on_peer_classified),
		cmocka_unit_test(test_same_namespace_keeps_mark),
		cmocka_unit_test(test_peer_down_drop_counted_on_both_ends),
		cmocka_unit_test(test_frame_over_peer_mtu_is_dropped),
		cmocka_unit_test(test_deleting_one_end_deletes_both),
		cmocka_unit_test(test_destroying_peer_namespace_deletes_pair),
		cmocka_unit_test(test_destroying_namespace_holding_both_ends),
		cmocka_unit_test(test_newlink_name_taken_leaves_nothing),
		cmocka_unit_test(test_ethtool_reports_driver_and_peer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
