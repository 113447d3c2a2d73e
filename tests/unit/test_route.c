/*
 * Routing decisions: output routes (gateway, errors of each route type,
 * oif, source selection, local destinations through lo), input
 * classification of received packets (local, broadcast, forward, martian,
 * no route), PMTU exceptions in virtual time, and the rtable caches.
 */
#include "tn_test.h"

#include <errno.h>

#include "net/skbuff.h"
#include "net/ip.h"
#include "net/ip_fib.h"
#include "net/inetdevice.h"
#include "net/netdevice.h"
#include "net/sysctl.h"
#include "net/testdev.h"

#define IP4(a, b, c, d) ((u32)(a) << 24 | (u32)(b) << 16 | (u32)(c) << 8 | (u32)(d))
#define ADD (NLM_F_CREATE | NLM_F_EXCL)

static struct net_device *eth_up(struct net *net, const char *name, u32 addr, int plen)
{
	struct net_device *dev = testdev_create(net, name, true);

	assert_non_null(dev);
	assert_int_equal(inet_addr_add(dev, addr, plen, inet_default_broadcast(addr, plen),
				       RT_SCOPE_UNIVERSE, NULL), 0);
	return dev;
}

static int route_add(struct net *net, u8 type, u32 dst, u8 len, u32 gw, struct net_device *dev,
		     u32 metric, u32 prefsrc)
{
	struct fib_config cfg = {
		.fc_dst = dst, .fc_dst_len = len, .fc_type = type, .fc_gw4 = gw,
		.fc_oif = dev ? dev->ifindex : 0, .fc_priority = metric, .fc_prefsrc = prefsrc,
		.fc_scope = RT_SCOPE_NOWHERE, .fc_protocol = RTPROT_BOOT, .fc_nlflags = ADD,
	};
	return fib_table_insert(net, &cfg);
}

/* Output route to daddr (from saddr, out oif): 0 and *rt, or -errno. */
static int out(struct net *net, u32 daddr, u32 saddr, int oif, struct rtable **rt, u32 *src)
{
	struct flowi4 fl4 = { .daddr = daddr, .saddr = saddr, .flowi4_oif = oif };
	int err = ip_route_output_key(net, &fl4, rt);

	if (src)
		*src = fl4.saddr;
	return err;
}

/* A host 10.1.2.3/24 on eth0 with a default route via 10.1.2.1. */
static struct tn_stack *host_new(struct net_device **eth)
{
	struct tn_stack *st = tn_test_stack_new();

	assert_int_equal(dev_open(st->init_net->loopback_dev), 0);
	*eth = eth_up(st->init_net, "eth0", IP4(10, 1, 2, 3), 24);
	assert_int_equal(route_add(st->init_net, 0, 0, 0, IP4(10, 1, 2, 1), NULL, 0, 0), 0);
	return st;
}

/* ---- output ---------------------------------------------------------------------- */

static void default_route_then_output_via_gateway_with_source(void **state)
{
	struct net_device *eth;
	struct tn_stack *st = host_new(&eth);
	struct rtable *rt;
	u32 src;

	assert_int_equal(out(st->init_net, IP4(8, 8, 8, 8), 0, 0, &rt, &src), 0);
	assert_ptr_equal(rt->dst.dev, eth);
	assert_int_equal(rt->rt_type, RTN_UNICAST);
	assert_true(rt->rt_uses_gateway);
	assert_int_equal(rt_nexthop(rt, IP4(8, 8, 8, 8)), IP4(10, 1, 2, 1));
	assert_int_equal(src, IP4(10, 1, 2, 3));
	assert_ptr_equal(rt->dst.output, ip_output);
	assert_int_equal(ipv4_mtu(rt), 1500);
	ip_rt_put(rt);
	/* On link: no gateway. */
	assert_int_equal(out(st->init_net, IP4(10, 1, 2, 9), 0, 0, &rt, NULL), 0);
	assert_false(rt->rt_uses_gateway);
	assert_int_equal(rt_nexthop(rt, IP4(10, 1, 2, 9)), IP4(10, 1, 2, 9));
	ip_rt_put(rt);
	tn_test_stack_free(st);
}

static void error_routes_then_output_errno_as_linux(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net *net = st->init_net;
	struct rtable *rt;

	eth_up(net, "eth0", IP4(10, 1, 2, 3), 24);
	assert_int_equal(out(net, IP4(8, 8, 8, 8), 0, 0, &rt, NULL), -ENETUNREACH);
	assert_null(rt);
	assert_int_equal(route_add(net, RTN_UNREACHABLE, IP4(1, 0, 0, 0), 8, 0, NULL, 0, 0), 0);
	assert_int_equal(route_add(net, RTN_PROHIBIT, IP4(2, 0, 0, 0), 8, 0, NULL, 0, 0), 0);
	assert_int_equal(route_add(net, RTN_BLACKHOLE, IP4(3, 0, 0, 0), 8, 0, NULL, 0, 0), 0);
	assert_int_equal(out(net, IP4(1, 2, 3, 4), 0, 0, &rt, NULL), -EHOSTUNREACH);
	assert_int_equal(out(net, IP4(2, 2, 3, 4), 0, 0, &rt, NULL), -EACCES);
	assert_int_equal(out(net, IP4(3, 2, 3, 4), 0, 0, &rt, NULL), -EINVAL);
	/* A source that is not ours. */
	assert_int_equal(out(net, IP4(10, 1, 2, 9), IP4(10, 1, 2, 4), 0, &rt, NULL), -ENETUNREACH);
	tn_test_stack_free(st);
}

static void oif_given_then_route_through_that_device(void **state)
{
	struct net_device *eth0;
	struct tn_stack *st = host_new(&eth0);
	struct net *net = st->init_net;
	struct net_device *eth1 = eth_up(net, "eth1", IP4(192, 168, 1, 2), 24);
	struct rtable *rt;
	u32 src;

	assert_int_equal(route_add(net, 0, IP4(10, 5, 0, 0), 16, IP4(10, 1, 2, 1), NULL, 1, 0), 0);
	assert_int_equal(route_add(net, 0, IP4(10, 5, 0, 0), 16, IP4(192, 168, 1, 1), NULL, 2, 0), 0);
	assert_int_equal(out(net, IP4(10, 5, 0, 1), 0, 0, &rt, &src), 0);
	assert_ptr_equal(rt->dst.dev, eth0);
	ip_rt_put(rt);
	assert_int_equal(out(net, IP4(10, 5, 0, 1), 0, eth1->ifindex, &rt, &src), 0);
	assert_ptr_equal(rt->dst.dev, eth1);
	assert_int_equal(rt->rt_gw4, IP4(192, 168, 1, 1));
	assert_int_equal(src, IP4(192, 168, 1, 2));
	ip_rt_put(rt);
	/* Nothing through eth1 for 8.8.8.8: Linux assumes it is on link. */
	assert_int_equal(out(net, IP4(8, 8, 8, 8), 0, eth1->ifindex, &rt, &src), 0);
	assert_ptr_equal(rt->dst.dev, eth1);
	assert_false(rt->rt_uses_gateway);
	assert_int_equal(src, IP4(192, 168, 1, 2));
	ip_rt_put(rt);
	assert_int_equal(out(net, IP4(8, 8, 8, 8), 0, 99, &rt, NULL), -ENODEV);
	tn_test_stack_free(st);
}

static void prefsrc_or_local_destination_then_source_chosen(void **state)
{
	struct net_device *eth;
	struct tn_stack *st = host_new(&eth);
	struct net *net = st->init_net;
	struct rtable *rt;
	u32 src;

	assert_int_equal(inet_addr_add(eth, IP4(10, 9, 9, 9), 32, 0, RT_SCOPE_UNIVERSE, NULL), 0);
	assert_int_equal(route_add(net, 0, IP4(20, 0, 0, 0), 8, IP4(10, 1, 2, 1), NULL, 0,
				   IP4(10, 9, 9, 9)), 0);
	assert_int_equal(out(net, IP4(20, 1, 1, 1), 0, 0, &rt, &src), 0);
	assert_int_equal(src, IP4(10, 9, 9, 9));
	ip_rt_put(rt);
	/* To ourselves: through lo, from the address itself. */
	assert_int_equal(out(net, IP4(10, 1, 2, 3), 0, 0, &rt, &src), 0);
	assert_ptr_equal(rt->dst.dev, net->loopback_dev);
	assert_int_equal(rt->rt_type, RTN_LOCAL);
	assert_true(rt->rt_flags & RTCF_LOCAL);
	assert_ptr_equal(rt->dst.input, ip_local_deliver);
	assert_int_equal(src, IP4(10, 1, 2, 3));
	ip_rt_put(rt);
	assert_int_equal(out(net, IP4(127, 0, 0, 5), 0, 0, &rt, &src), 0);
	assert_ptr_equal(rt->dst.dev, net->loopback_dev);
	assert_int_equal(src, IP4(127, 0, 0, 1));
	ip_rt_put(rt);
	/* Broadcast on the subnet. */
	assert_int_equal(out(net, IP4(10, 1, 2, 255), 0, 0, &rt, &src), 0);
	assert_int_equal(rt->rt_type, RTN_BROADCAST);
	assert_true(rt->rt_flags & RTCF_BROADCAST);
	assert_ptr_equal(rt->dst.dev, eth);
	ip_rt_put(rt);
	tn_test_stack_free(st);
}

/* ---- input ---------------------------------------------------------------------- */

/* Route a packet as if received on dev: its dst, or NULL and *err. */
static struct sk_buff *in(struct net_device *dev, u32 daddr, u32 saddr, int *err)
{
	struct sk_buff *skb = alloc_skb(dev->stack, 64);

	assert_non_null(skb);
	skb->protocol = ETH_P_IP;
	skb->dev = dev;
	*err = ip_route_input(skb, daddr, saddr, 0, dev);
	return skb;
}

static int in_expect(struct net_device *dev, u32 daddr, u32 saddr, int (*input)(struct sk_buff *),
		     int dst_error, u32 flags)
{
	int err;
	struct sk_buff *skb = in(dev, daddr, saddr, &err);

	if (!err) {
		assert_non_null(skb_dst(skb));
		assert_ptr_equal(skb_dst(skb)->input, input);
		assert_int_equal(skb_dst(skb)->error, dst_error);
		assert_int_equal(skb_rtable(skb)->rt_flags & (RTCF_LOCAL | RTCF_BROADCAST), flags);
	} else {
		assert_null(skb_dst(skb));
	}
	kfree_skb(skb);
	return err;
}

static void received_packets_then_classified_as_linux(void **state)
{
	struct net_device *eth;
	struct tn_stack *st = host_new(&eth);
	struct net *net = st->init_net;
	u32 peer = IP4(10, 1, 2, 9), far = IP4(8, 8, 8, 8);

	/* For us, to our broadcasts, from 0.0.0.0 to the limited broadcast. */
	assert_int_equal(in_expect(eth, IP4(10, 1, 2, 3), peer, ip_local_deliver, 0, RTCF_LOCAL), 0);
	assert_int_equal(in_expect(eth, IP4(10, 1, 2, 255), peer, ip_local_deliver, 0,
				   RTCF_LOCAL | RTCF_BROADCAST), 0);
	assert_int_equal(in_expect(eth, 0xffffffffu, 0, ip_local_deliver, 0,
				   RTCF_LOCAL | RTCF_BROADCAST), 0);
	/* Not for us, forwarding off: ip_error says host unreachable. */
	assert_int_equal(in_expect(eth, far, peer, ip_error, -EHOSTUNREACH, 0), 0);
	/* Martians: no dst at all. */
	assert_int_equal(in_expect(eth, IP4(10, 1, 2, 3), 0, NULL, 0, 0), -EINVAL);
	assert_int_equal(in_expect(eth, IP4(10, 1, 2, 3), IP4(127, 0, 0, 1), NULL, 0, 0), -EINVAL);
	assert_int_equal(in_expect(eth, IP4(127, 0, 0, 1), peer, NULL, 0, 0), -EINVAL);
	assert_int_equal(in_expect(eth, IP4(10, 1, 2, 3), IP4(224, 0, 0, 5), NULL, 0, 0), -EINVAL);
	assert_int_equal(in_expect(eth, IP4(10, 1, 2, 3), IP4(10, 1, 2, 3), NULL, 0, 0), -EINVAL);
	assert_int_equal(in_expect(eth, IP4(0, 1, 2, 3), peer, NULL, 0, 0), -EINVAL);

	/* Forwarding on: forwarded; with no route at all, net unreachable. */
	assert_int_equal(tn_sysctl_write(net, "net.ipv4.conf.all.forwarding", "1"), 0);
	assert_int_equal(in_expect(eth, far, peer, ip_forward, 0, 0), 0);
	assert_int_equal(route_add(net, RTN_PROHIBIT, IP4(9, 0, 0, 0), 8, 0, NULL, 0, 0), 0);
	assert_int_equal(in_expect(eth, IP4(9, 1, 1, 1), peer, ip_error, -EACCES, 0), 0);
	{
		struct fib_config del = { .fc_dst_len = 0, .fc_scope = RT_SCOPE_NOWHERE };

		assert_int_equal(fib_table_delete(net, &del), 0);
	}
	assert_int_equal(in_expect(eth, far, peer, ip_error, -ENETUNREACH, 0), 0);
	tn_test_stack_free(st);
}

static void rp_filter_strict_then_wrong_interface_source_exdev(void **state)
{
	struct net_device *eth0;
	struct tn_stack *st = host_new(&eth0);
	struct net *net = st->init_net;
	struct net_device *eth1 = eth_up(net, "eth1", IP4(192, 168, 1, 2), 24);

	assert_int_equal(tn_sysctl_write(net, "net.ipv4.conf.eth1.rp_filter", "1"), 0);
	/* 10.1.2.9 lives behind eth0: from eth1 it is spoofed. */
	assert_int_equal(in_expect(eth1, IP4(192, 168, 1, 2), IP4(10, 1, 2, 9), NULL, 0, 0), -EXDEV);
	assert_int_equal(in_expect(eth1, IP4(192, 168, 1, 2), IP4(192, 168, 1, 7), ip_local_deliver,
				   0, RTCF_LOCAL), 0);
	tn_test_stack_free(st);
}

/* ---- PMTU and caching ------------------------------------------------------------- */

static void frag_needed_then_pmtu_used_floored_and_expired(void **state)
{
	struct net_device *eth;
	struct tn_stack *st = host_new(&eth);
	struct net *net = st->init_net;
	u32 dst = IP4(8, 8, 8, 8), other = IP4(8, 8, 4, 4);
	struct rt_get_result g;
	struct rtable *rt, *rt2;

	assert_int_equal(out(net, dst, 0, 0, &rt, NULL), 0);
	ipv4_update_pmtu(net, dst, 1400);
	/* The route held before learns it is stale; a new lookup carries the PMTU. */
	assert_null(ipv4_dst_check(&rt->dst));
	ip_rt_put(rt);
	assert_int_equal(out(net, dst, 0, 0, &rt, NULL), 0);
	assert_int_equal(ipv4_mtu(rt), 1400);
	assert_int_equal(out(net, other, 0, 0, &rt2, NULL), 0);
	assert_int_equal(ipv4_mtu(rt2), 1500);
	ip_rt_put(rt2);
	/* A larger value is ignored; a tiny one is floored at min_pmtu. */
	ipv4_update_pmtu(net, dst, 1450);
	assert_int_equal(ipv4_mtu(rt), 1400);
	ipv4_update_pmtu(net, dst, 300);
	assert_int_equal(ipv4_mtu(rt), 552);
	assert_true(rt->rt_mtu_locked);
	assert_int_equal(ip_route_get(net, dst, 0, 0, 0, 0, &g), 0);
	assert_int_equal(g.mtu, 552);
	assert_int_equal(g.expires_ms, 600 * 1000);
	ip_rt_put(rt);

	/* net.ipv4.route.mtu_expires (600 s) later it is gone. */
	tn_test_run(st, 600 * 1000 + 1);
	assert_int_equal(out(net, dst, 0, 0, &rt, NULL), 0);
	assert_int_equal(ipv4_mtu(rt), 1500);
	ip_rt_put(rt);
	assert_int_equal(ip_route_get(net, dst, 0, 0, 0, 0, &g), 0);
	assert_int_equal(g.mtu, 0);
	tn_test_stack_free(st);
}

static void settled_table_then_same_rtable_until_route_change(void **state)
{
	struct net_device *eth;
	struct tn_stack *st = host_new(&eth);
	struct net *net = st->init_net;
	struct rtable *a, *b, *c;
	int err;
	struct sk_buff *s1, *s2;

	assert_int_equal(out(net, IP4(8, 8, 8, 8), 0, 0, &a, NULL), 0);
	assert_int_equal(out(net, IP4(9, 9, 9, 9), 0, 0, &b, NULL), 0);
	assert_ptr_equal(a, b);   /* one next hop, one rtable */
	ip_rt_put(b);
	s1 = in(eth, IP4(10, 1, 2, 3), IP4(10, 1, 2, 9), &err);
	s2 = in(eth, IP4(10, 1, 2, 3), IP4(10, 1, 2, 10), &err);
	assert_ptr_equal(skb_dst(s1), skb_dst(s2));
	kfree_skb(s2);
	/* Any route change: cached entries are stale, holders see it. */
	assert_int_equal(route_add(net, 0, IP4(30, 0, 0, 0), 8, IP4(10, 1, 2, 1), NULL, 0, 0), 0);
	assert_null(ipv4_dst_check(&a->dst));
	assert_int_equal(out(net, IP4(8, 8, 8, 8), 0, 0, &c, NULL), 0);
	assert_ptr_not_equal(a, c);
	assert_ptr_equal(ipv4_dst_check(&c->dst), &c->dst);
	s2 = in(eth, IP4(10, 1, 2, 3), IP4(10, 1, 2, 10), &err);
	assert_ptr_not_equal(skb_dst(s1), skb_dst(s2));
	kfree_skb(s1);
	kfree_skb(s2);
	ip_rt_put(a);
	ip_rt_put(c);
	tn_test_stack_free(st);
}

static void route_get_then_what_ip_route_get_prints(void **state)
{
	struct net_device *eth;
	struct tn_stack *st = host_new(&eth);
	struct net *net = st->init_net;
	struct rt_get_result g;

	assert_int_equal(ip_route_get(net, IP4(8, 8, 8, 8), 0, 0, 0, 0, &g), 0);
	assert_int_equal(g.type, RTN_UNICAST);
	assert_int_equal(g.gw, IP4(10, 1, 2, 1));
	assert_int_equal(g.oif, eth->ifindex);
	assert_int_equal(g.saddr, IP4(10, 1, 2, 3));
	assert_int_equal(g.table, RT_TABLE_MAIN);
	assert_int_equal(ip_route_get(net, IP4(10, 1, 2, 3), 0, 0, 0, 0, &g), 0);
	assert_int_equal(g.type, RTN_LOCAL);
	assert_int_equal(g.oif, net->loopback_dev->ifindex);
	assert_int_equal(g.table, RT_TABLE_LOCAL);
	/* As received on eth0: not for us, and forwarding is off. */
	assert_int_equal(ip_route_get(net, IP4(8, 8, 8, 8), IP4(10, 1, 2, 9), 0, eth->ifindex, 0, &g),
			 -EHOSTUNREACH);
	assert_int_equal(ip_route_get(net, IP4(10, 1, 2, 3), IP4(10, 1, 2, 9), 0, eth->ifindex, 0, &g), 0);
	assert_int_equal(g.type, RTN_LOCAL);
	assert_int_equal(g.iif, eth->ifindex);
	tn_test_stack_free(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(default_route_then_output_via_gateway_with_source),
		cmocka_unit_test(error_routes_then_output_errno_as_linux),
		cmocka_unit_test(oif_given_then_route_through_that_device),
		cmocka_unit_test(prefsrc_or_local_destination_then_source_chosen),
		cmocka_unit_test(received_packets_then_classified_as_linux),
		cmocka_unit_test(rp_filter_strict_then_wrong_interface_source_exdev),
		cmocka_unit_test(frag_needed_then_pmtu_used_floored_and_expired),
		cmocka_unit_test(settled_table_then_same_rtable_until_route_change),
		cmocka_unit_test(route_get_then_what_ip_route_get_prints),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
