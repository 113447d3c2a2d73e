/*
 * Forwarding between two test devices (eth0 10.0.0.1/24, eth1 10.1.0.1/24)
 * with net.ipv4.ip_forward: the TTL spent and the checksum updated
 * incrementally (checked against a full recomputation), TTL expiry, DF
 * packets too big for the next hop, a host (ip_forward=0) that drops, and
 * the rate of ICMP unreachables for destinations without a route.
 */
#include "tn_ipv4.h"

#include "net/wire/icmp.h"

static void router_init(struct ip_world *w)
{
	ip_world_init(w, true);
	assert_int_equal(tn_sysctl_write(w->net, "net.ipv4.ip_forward", "1"), 0);
}

/* 10.0.0.2 -> 10.1.0.2 through us. */
static struct ip_pkt transit_pkt(void)
{
	struct ip_pkt p = good_pkt();

	p.daddr = PEER2_IP;
	return p;
}

static void test_forward_then_ttl_decremented_checksum_incremental(void **state)
{
	struct ip_world w;
	struct ip_pkt p = transit_pkt();
	u8 sent[64];
	size_t len = build_ipv4(sent, &p);
	struct sk_buff *skb;
	const u8 *iph;

	(void)state;
	router_init(&w);
	inject_pkt(&w, w.eth0, &p);
	assert_int_equal(testdev_tx_count(w.eth1), 1);
	skb = testdev_pop_tx(w.eth1);
	assert_memory_equal(skb->data, peer2_mac, 6);
	assert_memory_equal(skb->data + 6, w.eth1->dev_addr, 6);
	assert_int_equal(get_be16(skb->data + 12), ETH_P_IP);
	iph = skb->data + ETH_HLEN;
	assert_int_equal(skb->len, ETH_HLEN + len);
	assert_int_equal(iph[8], 63);
	assert_int_equal(ip_fast_csum(iph, 5), 0);
	/* Everything but TTL and checksum went through untouched. */
	assert_memory_equal(iph, sent, 8);
	assert_memory_equal(iph + 12, sent + 12, len - 12);
	consume_skb(skb);
	assert_int_equal(ip_mib(&w, IPSTATS_MIB_OUTFORWDATAGRAMS), 1);
	assert_int_equal(ip_mib(&w, IPSTATS_MIB_INDELIVERS), 0);
	assert_int_equal(testdev_tx_count(w.eth0), 0);
	ip_world_free(&w);
}

/* Over many headers the incremental update must equal what summing the
 * header again gives, including the sums near 0x0000/0xffff that RFC 1141's
 * formula got wrong. */
static void test_forward_many_headers_then_incremental_equals_full(void **state)
{
	struct ip_world w;

	(void)state;
	router_init(&w);
	for (unsigned int i = 0; i < 300; i++) {
		struct ip_pkt p = transit_pkt();
		struct sk_buff *skb;
		u8 hdr[20];

		p.id = (u16)(i * 0x0101 + 0xfe00);
		p.ttl = (u8)(2 + i % 250);
		p.tos = (u8)(i & 0xfc);
		inject_pkt(&w, w.eth0, &p);
		skb = testdev_pop_tx(w.eth1);
		assert_non_null(skb);
		memcpy(hdr, skb->data + ETH_HLEN, 20);
		assert_int_equal(hdr[8], p.ttl - 1);
		u16 got = get_be16(hdr + 10);
		put_be16(hdr + 10, 0);
		assert_int_equal(got, ip_fast_csum(hdr, 5));
		consume_skb(skb);
	}
	assert_int_equal(ip_mib(&w, IPSTATS_MIB_OUTFORWDATAGRAMS), 300);
	ip_world_free(&w);
}

static void test_ttl_one_then_time_exceeded_and_inhdrerrors(void **state)
{
	struct ip_world w;
	struct ip_pkt p = transit_pkt();
	struct sk_buff *skb;

	(void)state;
	router_init(&w);
	p.ttl = 1;
	inject_pkt(&w, w.eth0, &p);
	assert_int_equal(testdev_tx_count(w.eth1), 0);
	assert_int_equal(ip_mib(&w, IPSTATS_MIB_INHDRERRORS), 1);
	assert_int_equal(drops(&w, SKB_DROP_REASON_IP_INHDR), 1);
	assert_int_equal(ip_mib(&w, IPSTATS_MIB_OUTFORWDATAGRAMS), 0);
	skb = testdev_pop_tx(w.eth0);
	assert_non_null(skb);   /* ICMP time exceeded back to the sender */
	{
		assert_int_equal(skb->data[ETH_HLEN + 9], 1);
		assert_int_equal(skb->data[ETH_HLEN + 20], ICMP_TIME_EXCEEDED);
		assert_int_equal(skb->data[ETH_HLEN + 21], ICMP_EXC_TTL);
		consume_skb(skb);
	}
	ip_world_free(&w);
}

static void test_df_too_big_for_next_hop_then_frag_needed(void **state)
{
	struct ip_world w;
	struct ip_pkt p = transit_pkt();
	static u8 big[1000];
	struct sk_buff *skb;

	(void)state;
	router_init(&w);
	assert_int_equal(dev_set_mtu(w.eth1, 576), 0);
	p.payload = big;
	p.paylen = sizeof(big);
	p.frag_off = IP_DF;
	inject_pkt(&w, w.eth0, &p);
	assert_int_equal(testdev_tx_count(w.eth1), 0);
	assert_int_equal(ip_mib(&w, IPSTATS_MIB_FRAGFAILS), 1);
	assert_int_equal(drops(&w, SKB_DROP_REASON_PKT_TOO_BIG), 1);
	skb = testdev_pop_tx(w.eth0);
	assert_non_null(skb);   /* fragmentation needed, next-hop MTU 576 */
	{
		const u8 *icmp = skb->data + ETH_HLEN + 20;

		assert_int_equal(icmp[0], ICMP_DEST_UNREACH);
		assert_int_equal(icmp[1], ICMP_FRAG_NEEDED);
		assert_int_equal(get_be16(icmp + 6), 576);
		consume_skb(skb);
	}
	ip_world_free(&w);
}

static void test_no_df_too_big_then_fragmented_on_next_hop(void **state)
{
	struct ip_world w;
	struct ip_pkt p = transit_pkt();
	static u8 big[1000];

	(void)state;
	router_init(&w);
	assert_int_equal(dev_set_mtu(w.eth1, 576), 0);
	p.payload = big;
	p.paylen = sizeof(big);
	inject_pkt(&w, w.eth0, &p);
	assert_int_equal(testdev_tx_count(w.eth1), 2);
	assert_int_equal(ip_mib(&w, IPSTATS_MIB_FRAGFAILS), 0);
	assert_int_equal(ip_mib(&w, IPSTATS_MIB_OUTFORWDATAGRAMS), 1);
	ip_world_free(&w);
}

static void test_forwarding_off_then_host_drops_silently(void **state)
{
	struct ip_world w;
	struct ip_pkt p = transit_pkt();
	char buf[16];

	(void)state;
	ip_world_init(&w, true);
	assert_int_equal(tn_sysctl_read(w.net, "net.ipv4.ip_forward", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "0");
	inject_pkt(&w, w.eth0, &p);
	assert_int_equal(testdev_tx_count(w.eth1), 0);
	assert_int_equal(testdev_tx_count(w.eth0), 0);
	assert_int_equal(ip_mib(&w, IPSTATS_MIB_OUTFORWDATAGRAMS), 0);
	assert_int_equal(ip_mib(&w, IPSTATS_MIB_INADDRERRORS), 1);

	/* Switching it on and off again follows through to conf.all. */
	assert_int_equal(tn_sysctl_write(w.net, "net.ipv4.ip_forward", "1"), 0);
	assert_int_equal(tn_sysctl_read(w.net, "net.ipv4.conf.all.forwarding", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "1");
	assert_int_equal(tn_sysctl_write(w.net, "net.ipv4.ip_forward", "0"), 0);
	inject_pkt(&w, w.eth0, &p);
	assert_int_equal(testdev_tx_count(w.eth1), 0);
	ip_world_free(&w);
}

/* The first ICMP of a frame that tuxnet sent back on eth0, or -1. */
static int pop_icmp_type(struct ip_world *w)
{
	struct sk_buff *skb = testdev_pop_tx(w->eth0);
	int type;

	if (!skb)
		return -1;
	type = skb->data[ETH_HLEN + 9] == 1 ? skb->data[ETH_HLEN + 20] : -2;
	consume_skb(skb);
	return type;
}

/*
 * Linux's ip_error bucket on the source's inet_peer (1 s a message, 5 in a
 * burst) shares the peer with the ICMP rate limit. With icmp_ratelimit=0 a
 * time exceeded empties it, so an unreachable for the same source right
 * after is not sent; a second later it is.
 */
static void test_time_exceeded_then_unreachable_waits_error_cost(void **state)
{
	struct ip_world w;
	struct ip_pkt p = transit_pkt();

	(void)state;
	router_init(&w);
	assert_int_equal(tn_sysctl_write(w.net, "net.ipv4.icmp_ratelimit", "0"), 0);
	p.ttl = 1;
	inject_pkt(&w, w.eth0, &p);
	assert_int_equal(pop_icmp_type(&w), ICMP_TIME_EXCEEDED);

	p = transit_pkt();
	p.daddr = 0xc0000201;   /* 192.0.2.1: no route */
	inject_pkt(&w, w.eth0, &p);
	assert_int_equal(pop_icmp_type(&w), -1);
	assert_int_equal(ip_mib(&w, IPSTATS_MIB_INNOROUTES), 1);

	tn_test_run(w.st, 999);
	inject_pkt(&w, w.eth0, &p);
	assert_int_equal(pop_icmp_type(&w), -1);
	tn_test_run(w.st, 1000);
	inject_pkt(&w, w.eth0, &p);
	assert_int_equal(pop_icmp_type(&w), ICMP_DEST_UNREACH);
	assert_int_equal(ip_mib(&w, IPSTATS_MIB_INNOROUTES), 3);
	ip_world_free(&w);
}

/* A source the router never answered starts with a full bucket: five
 * unreachables at once, then one a second. */
static void test_unreachable_burst_then_error_cost(void **state)
{
	struct ip_world w;
	struct ip_pkt p = transit_pkt();
	int sent = 0;

	(void)state;
	router_init(&w);
	assert_int_equal(tn_sysctl_write(w.net, "net.ipv4.icmp_ratelimit", "0"), 0);
	p.daddr = 0xc0000201;
	for (int i = 0; i < 8; i++) {
		inject_pkt(&w, w.eth0, &p);
		sent += pop_icmp_type(&w) == ICMP_DEST_UNREACH;
	}
	assert_int_equal(sent, 5);
	tn_test_run(w.st, 1000);
	inject_pkt(&w, w.eth0, &p);
	assert_int_equal(pop_icmp_type(&w), ICMP_DEST_UNREACH);
	ip_world_free(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forward_then_ttl_decremented_checksum_incremental),
		cmocka_unit_test(test_forward_many_headers_then_incremental_equals_full),
		cmocka_unit_test(test_ttl_one_then_time_exceeded_and_inhdrerrors),
		cmocka_unit_test(test_df_too_big_for_next_hop_then_frag_needed),
		cmocka_unit_test(test_no_df_too_big_then_fragmented_on_next_hop),
		cmocka_unit_test(test_forwarding_off_then_host_drops_silently),
		cmocka_unit_test(test_time_exceeded_then_unreachable_waits_error_cost),
		cmocka_unit_test(test_unreachable_burst_then_error_cost),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
