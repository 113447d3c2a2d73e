/*
 * IPv4 receive through the test device: every drop of ip_rcv's RFC 1122
 * checks with the counter and drop reason Linux uses, padding trimmed,
 * delivery to a registered transport, unknown protocols, options (good,
 * unknown, malformed), and packets that are not for us on a host.
 */
#include "tn_ipv4.h"

#include "net/wire/icmp.h"

static void inject_bytes(struct ip_world *w, const u8 *ip, size_t len)
{
	inject_ip(w, w->eth0, ip, len, true);
}

/* A good header in buf with one byte changed and the checksum made right
 * again (so only the intended check fails). */
static size_t hdr_with(u8 *buf, int off, u8 val, bool fix_csum)
{
	struct ip_pkt p = good_pkt();
	size_t len = build_ipv4(buf, &p);

	buf[off] = val;
	if (fix_csum) {
		put_be16(buf + 10, 0);
		put_be16(buf + 10, ip_fast_csum(buf, 5));
	}
	return len;
}

static void test_good_datagram_then_delivered_to_protocol(void **state)
{
	struct ip_world w;
	struct ip_pkt p = good_pkt();

	(void)state;
	ip_world_init(&w, false);
	inject_pkt(&w, w.eth0, &p);
	assert_int_equal(test_rx_state.count, 1);
	/* Ethernet padding is gone: the transport sees exactly its bytes. */
	assert_int_equal(test_rx_state.len, sizeof(test_payload));
	assert_memory_equal(test_rx_state.data, test_payload, sizeof(test_payload));
	assert_int_equal(test_rx_state.nh_off, 20);
	assert_int_equal(ip_mib(&w, IPSTATS_MIB_INPKTS), 1);
	assert_int_equal(ip_mib(&w, IPSTATS_MIB_INDELIVERS), 1);
	assert_int_equal(ip_mib(&w, IPSTATS_MIB_INOCTETS), 46);   /* padded frame */
	assert_int_equal(ip_mib(&w, IPSTATS_MIB_NOECTPKTS), 1);
	assert_int_equal(ip_mib(&w, IPSTATS_MIB_INHDRERRORS), 0);
	ip_world_free(&w);
}

static void test_frame_for_other_host_then_dropped_before_mib(void **state)
{
	struct ip_world w;
	struct ip_pkt p = good_pkt();
	u8 ip[64], frame[128];
	size_t len, flen;

	(void)state;
	ip_world_init(&w, false);
	len = build_ipv4(ip, &p);
	flen = build_frame(frame, w.eth0, peer_mac, ip, len);
	frame[5] = 0x77;   /* unicast to some other MAC */
	assert_int_equal(testdev_inject(w.eth0, frame, flen), 0);
	tn_test_run(w.st, 0);
	assert_int_equal(drops(&w, SKB_DROP_REASON_OTHERHOST), 1);
	assert_int_equal(ip_mib(&w, IPSTATS_MIB_INPKTS), 0);
	assert_int_equal(test_rx_state.count, 0);
	ip_world_free(&w);
}

static void test_short_header_then_inhdrerrors(void **state)
{
	struct ip_world w;
	u8 ip[64];
	size_t len = hdr_with(ip, 0, 0x45, false);

	(void)state;
	(void)len;
	ip_world_init(&w, false);
	inject_bytes(&w, ip, 19);
	assert_int_equal(ip_mib(&w, IPSTATS_MIB_INPKTS), 1);
	assert_int_equal(ip_mib(&w, IPSTATS_MIB_INHDRERRORS), 1);
	assert_int_equal(drops(&w, SKB_DROP_REASON_IP_INHDR), 1);
	ip_world_free(&w);
}

static void test_bad_version_or_ihl_then_inhdrerrors(void **state)
{
	struct ip_world w;
	u8 ip[64];
	size_t len;

	(void)state;
	ip_world_init(&w, false);
	len = hdr_with(ip, 0, 0x65, true);
	inject_bytes(&w, ip, len);
	len = hdr_with(ip, 0, 0x44, true);
	inject_bytes(&w, ip, len);
	/* ihl 6 but only 20 bytes of header arrived before the end. */
	len = hdr_with(ip, 0, 0x46, true);
	inject_bytes(&w, ip, 22);
	assert_int_equal(ip_mib(&w, IPSTATS_MIB_INHDRERRORS), 3);
	assert_int_equal(drops(&w, SKB_DROP_REASON_IP_INHDR), 3);
	assert_int_equal(ip_mib(&w, IPSTATS_MIB_CSUMERRORS), 0);
	assert_int_equal(test_rx_state.count, 0);
	ip_world_free(&w);
}

static void test_bad_checksum_then_csumerrors_and_inhdrerrors(void **state)
{
	struct ip_world w;
	u8 ip[64];
	size_t len;

	(void)state;
	ip_world_init(&w, false);
	len = hdr_with(ip, 8, 63, false);   /* TTL changed, checksum not */
	inject_bytes(&w, ip, len);
	assert_int_equal(ip_mib(&w, IPSTATS_MIB_CSUMERRORS), 1);
	assert_int_equal(ip_mib(&w, IPSTATS_MIB_INHDRERRORS), 1);
	assert_int_equal(drops(&w, SKB_DROP_REASON_IP_CSUM), 1);
	assert_int_equal(test_rx_state.count, 0);
	ip_world_free(&w);
}

static void test_totlen_beyond_data_then_truncated(void **state)
{
	struct ip_world w;
	u8 ip[64];
	size_t len;

	(void)state;
	ip_world_init(&w, false);
	len = hdr_with(ip, 3, 60, true);    /* tot_len 60, 28 bytes sent */
	inject_bytes(&w, ip, len);
	assert_int_equal(ip_mib(&w, IPSTATS_MIB_INTRUNCATEDPKTS), 1);
	assert_int_equal(ip_mib(&w, IPSTATS_MIB_INHDRERRORS), 0);
	assert_int_equal(drops(&w, SKB_DROP_REASON_PKT_TOO_SMALL), 1);
	ip_world_free(&w);
}

static void test_totlen_below_ihl_then_inhdrerrors(void **state)
{
	struct ip_world w;
	u8 ip[64];
	size_t len;

	(void)state;
	ip_world_init(&w, false);
	len = hdr_with(ip, 3, 19, true);
	inject_bytes(&w, ip, len);
	assert_int_equal(ip_mib(&w, IPSTATS_MIB_INHDRERRORS), 1);
	assert_int_equal(drops(&w, SKB_DROP_REASON_IP_INHDR), 1);
	assert_int_equal(ip_mib(&w, IPSTATS_MIB_INTRUNCATEDPKTS), 0);
	ip_world_free(&w);
}

static void test_unknown_protocol_then_counted_and_icmp_sent(void **state)
{
	struct ip_world w;
	struct ip_pkt p = good_pkt();
	struct sk_buff *skb;

	(void)state;
	ip_world_init(&w, false);
	p.protocol = 254;
	inject_pkt(&w, w.eth0, &p);
	assert_int_equal(ip_mib(&w, IPSTATS_MIB_INUNKNOWNPROTOS), 1);
	assert_int_equal(ip_mib(&w, IPSTATS_MIB_INDELIVERS), 0);
	assert_int_equal(drops(&w, SKB_DROP_REASON_IP_NOPROTO), 1);
	/* ICMP protocol unreachable back to the peer. */
	skb = testdev_pop_tx(w.eth0);
	assert_non_null(skb);
	{
		assert_true(skb->len >= ETH_HLEN + 20 + 8);
		assert_int_equal(get_be16(skb->data + 12), ETH_P_IP);
		assert_int_equal(skb->data[ETH_HLEN + 9], 1);
		assert_int_equal(get_be32(skb->data + ETH_HLEN + 16), PEER_IP);
		assert_int_equal(skb->data[ETH_HLEN + 20], ICMP_DEST_UNREACH);
		assert_int_equal(skb->data[ETH_HLEN + 21], ICMP_PROT_UNREACH);
		consume_skb(skb);
	}
	ip_world_free(&w);
}

static void test_good_and_unknown_options_then_delivered(void **state)
{
	struct ip_world w;
	struct ip_pkt p = good_pkt();
	/* RR with a free slot, an unassigned option, NOP padding. */
	const u8 opts[16] = { 7, 7, 4, 0, 0, 0, 0, 0x99, 4, 1, 2, 1, 1, 1, 1, 0 };

	(void)state;
	ip_world_init(&w, false);
	p.opts = opts;
	p.optlen = sizeof(opts);
	inject_pkt(&w, w.eth0, &p);
	assert_int_equal(test_rx_state.count, 1);
	assert_int_equal(test_rx_state.nh_off, 36);
	assert_memory_equal(test_rx_state.data, test_payload, sizeof(test_payload));
	assert_int_equal(ip_mib(&w, IPSTATS_MIB_INHDRERRORS), 0);
	ip_world_free(&w);
}

static void test_malformed_option_then_parameter_problem(void **state)
{
	struct ip_world w;
	struct ip_pkt p = good_pkt();
	const u8 opts[4] = { 1, 7, 1, 0 };   /* RR with length 1 at offset 21 */
	struct sk_buff *skb;

	(void)state;
	ip_world_init(&w, false);
	p.opts = opts;
	p.optlen = sizeof(opts);
	inject_pkt(&w, w.eth0, &p);
	assert_int_equal(test_rx_state.count, 0);
	assert_int_equal(ip_mib(&w, IPSTATS_MIB_INHDRERRORS), 1);
	assert_int_equal(drops(&w, SKB_DROP_REASON_IP_INHDR), 1);
	skb = testdev_pop_tx(w.eth0);
	assert_non_null(skb);
	{
		const u8 *icmp = skb->data + ETH_HLEN + 20;

		assert_int_equal(icmp[0], ICMP_PARAMETERPROB);
		assert_int_equal(icmp[4], 21);   /* pointer at the bad byte */
		consume_skb(skb);
	}
	ip_world_free(&w);
}

static void test_source_route_refused_by_default_then_dropped(void **state)
{
	struct ip_world w;
	struct ip_pkt p = good_pkt();
	const u8 opts[8] = { 131, 7, 4, 10, 0, 0, 9, 0 };

	(void)state;
	ip_world_init(&w, false);
	p.opts = opts;
	p.optlen = sizeof(opts);
	inject_pkt(&w, w.eth0, &p);
	assert_int_equal(test_rx_state.count, 0);
	assert_int_equal(drops(&w, SKB_DROP_REASON_TN_IP_SOURCE_ROUTE), 1);
	assert_int_equal(ip_mib(&w, IPSTATS_MIB_INDISCARDS), 1);
	ip_world_free(&w);
}

static void test_host_gets_packet_for_another_then_inaddrerrors(void **state)
{
	struct ip_world w;
	struct ip_pkt p = good_pkt();

	(void)state;
	ip_world_init(&w, false);
	p.daddr = 0x0a000063;   /* 10.0.0.99: on our link, not ours */
	inject_pkt(&w, w.eth0, &p);
	assert_int_equal(test_rx_state.count, 0);
	assert_int_equal(ip_mib(&w, IPSTATS_MIB_INADDRERRORS), 1);
	assert_int_equal(drops(&w, SKB_DROP_REASON_IP_INADDRERRORS), 1);
	assert_int_equal(testdev_tx_count(w.eth0), 0);   /* a host stays silent */
	ip_world_free(&w);
}

static void test_protocol_table_then_one_owner_per_slot(void **state)
{
	struct ip_world w;
	const struct net_protocol other = { .handler = test_proto_rcv };

	(void)state;
	ip_world_init(&w, false);
	assert_int_equal(inet_add_protocol(w.st, &other, TEST_PROTO), -EEXIST);
	assert_int_equal(inet_del_protocol(w.st, &other, TEST_PROTO), -ENOENT);
	ip_world_free(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_datagram_then_delivered_to_protocol),
		cmocka_unit_test(test_frame_for_other_host_then_dropped_before_mib),
		cmocka_unit_test(test_short_header_then_inhdrerrors),
		cmocka_unit_test(test_bad_version_or_ihl_then_inhdrerrors),
		cmocka_unit_test(test_bad_checksum_then_csumerrors_and_inhdrerrors),
		cmocka_unit_test(test_totlen_beyond_data_then_truncated),
		cmocka_unit_test(test_totlen_below_ihl_then_inhdrerrors),
		cmocka_unit_test(test_unknown_protocol_then_counted_and_icmp_sent),
		cmocka_unit_test(test_good_and_unknown_options_then_delivered),
		cmocka_unit_test(test_malformed_option_then_parameter_problem),
		cmocka_unit_test(test_source_route_refused_by_default_then_dropped),
		cmocka_unit_test(test_host_gets_packet_for_another_then_inaddrerrors),
		cmocka_unit_test(test_protocol_table_then_one_owner_per_slot),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
