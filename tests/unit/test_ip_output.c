/*
 * IPv4 output: a locally built datagram leaves byte-exact (source from the
 * route, TTL 64, DF from PMTU discovery, IP ID from the per-destination
 * generator, header checksum) to the static neighbour; per-send TTL/TOS
 * and DF modes; no route is -ENETUNREACH and IpOutNoRoutes; DF and too
 * big is -EMSGSIZE; a datagram to one of our own addresses comes back
 * through lo to the transport.
 */
#include "tn_ipv4.h"

#include "net/netfilter.h"

static struct sk_buff *payload_skb(struct ip_world *w, unsigned int len)
{
	struct sk_buff *skb = alloc_skb(w->st, MAX_HEADER + len);

	assert_non_null(skb);
	skb_reserve(skb, MAX_HEADER);
	for (unsigned int i = 0; i < len; i++)
		*(u8 *)skb_put(skb, 1) = (u8)(i < sizeof(test_payload) ? test_payload[i] : i);
	return skb;
}

static int send_to(struct ip_world *w, u32 daddr, unsigned int len, const struct ip_tx_params *p)
{
	int err = ip_build_and_send(w->net, NULL, payload_skb(w, len), 0, daddr, TEST_PROTO, p);

	tn_test_run(w->st, 0);
	return err;
}

static void test_send_to_neighbour_then_header_byte_exact(void **state)
{
	struct ip_world w;
	struct sk_buff *skb;
	u8 want[14 + 28];
	u16 id;

	(void)state;
	ip_world_init(&w, false);
	assert_int_equal(send_to(&w, PEER_IP, 8, NULL), 0);
	skb = testdev_pop_tx(w.eth0);
	assert_non_null(skb);
	/* DF and no connected socket: ID 0, as Linux's ip_select_ident_segs. */
	id = get_be16(skb->data + ETH_HLEN + 4);
	assert_int_equal(id, 0);
	tn_test_hex("02 00 00 00 00 aa  02 00 00 00 00 02  08 00"
		    "45 00 00 1c  00 00 40 00  40 fd 00 00  0a 00 00 01  0a 00 00 02",
		    want, sizeof(want));
	memcpy(want + 6, w.eth0->dev_addr, 6);
	memcpy(want + 14 + 20, test_payload, 8);
	put_be16(want + 14 + 4, id);
	put_be16(want + 14 + 10, ip_fast_csum(want + 14, 5));
	assert_true(skb->len >= sizeof(want));
	assert_memory_equal(skb->data, want, sizeof(want));
	consume_skb(skb);

	/* Packets that may be fragmented take the destination's generator,
	 * which counts on. */
	struct ip_tx_params dont = { .pmtudisc = IP_PMTUDISC_DONT };
	assert_int_equal(send_to(&w, PEER_IP, 8, &dont), 0);
	skb = testdev_pop_tx(w.eth0);
	id = get_be16(skb->data + ETH_HLEN + 4);
	assert_int_equal(get_be16(skb->data + ETH_HLEN + 6) & IP_DF, 0);
	consume_skb(skb);
	assert_int_equal(send_to(&w, PEER_IP, 8, &dont), 0);
	skb = testdev_pop_tx(w.eth0);
	assert_int_equal(get_be16(skb->data + ETH_HLEN + 4), (u16)(id + 1));
	consume_skb(skb);
	assert_int_equal(ip_mib(&w, IPSTATS_MIB_OUTPKTS), 3);
	assert_int_equal(ip_mib(&w, IPSTATS_MIB_OUTOCTETS), 84);
	ip_world_free(&w);
}

static void test_tx_params_then_ttl_tos_and_no_df(void **state)
{
	struct ip_world w;
	struct ip_tx_params p = { .ttl = 7, .tos = 0x10, .pmtudisc = IP_PMTUDISC_DONT };
	struct sk_buff *skb;
	const u8 *iph;

	(void)state;
	ip_world_init(&w, false);
	assert_int_equal(send_to(&w, PEER_IP, 8, &p), 0);
	skb = testdev_pop_tx(w.eth0);
	iph = skb->data + ETH_HLEN;
	assert_int_equal(iph[1], 0x10);
	assert_int_equal(iph[8], 7);
	assert_int_equal(get_be16(iph + 6), 0);       /* no DF */
	assert_int_equal(ip_fast_csum(iph, 5), 0);
	consume_skb(skb);

	/* DO: DF, and Linux's ID 0 for a datagram that may never be cut. */
	p.pmtudisc = IP_PMTUDISC_DO;
	assert_int_equal(send_to(&w, PEER_IP, 8, &p), 0);
	skb = testdev_pop_tx(w.eth0);
	iph = skb->data + ETH_HLEN;
	assert_int_equal(get_be16(iph + 6), IP_DF);
	assert_int_equal(get_be16(iph + 4), 0);
	consume_skb(skb);

	/* net.ipv4.ip_default_ttl applies when the sender leaves TTL alone. */
	assert_int_equal(tn_sysctl_write(w.net, "net.ipv4.ip_default_ttl", "33"), 0);
	assert_int_equal(send_to(&w, PEER_IP, 8, NULL), 0);
	skb = testdev_pop_tx(w.eth0);
	assert_int_equal(skb->data[ETH_HLEN + 8], 33);
	consume_skb(skb);
	assert_int_equal(tn_sysctl_write(w.net, "net.ipv4.ip_default_ttl", "0"), -EINVAL);
	ip_world_free(&w);
}

static void test_no_route_then_enetunreach_and_outnoroutes(void **state)
{
	struct ip_world w;

	(void)state;
	ip_world_init(&w, false);
	assert_int_equal(send_to(&w, 0xc0a80505, 8, NULL), -ENETUNREACH);
	assert_int_equal(ip_mib(&w, IPSTATS_MIB_OUTNOROUTES), 1);
	assert_int_equal(drops(&w, SKB_DROP_REASON_IP_OUTNOROUTES), 1);
	assert_int_equal(ip_mib(&w, IPSTATS_MIB_OUTPKTS), 0);
	assert_int_equal(testdev_tx_count(w.eth0), 0);
	ip_world_free(&w);
}

static void test_df_do_too_big_then_emsgsize(void **state)
{
	struct ip_world w;
	struct ip_tx_params p = { .pmtudisc = IP_PMTUDISC_DO };

	(void)state;
	ip_world_init(&w, false);
	assert_int_equal(send_to(&w, PEER_IP, 1481, &p), -EMSGSIZE);
	assert_int_equal(ip_mib(&w, IPSTATS_MIB_FRAGFAILS), 1);
	assert_int_equal(drops(&w, SKB_DROP_REASON_PKT_TOO_BIG), 1);
	assert_int_equal(testdev_tx_count(w.eth0), 0);
	/* Exactly the MTU fits. */
	assert_int_equal(send_to(&w, PEER_IP, 1480, &p), 0);
	assert_int_equal(testdev_tx_count(w.eth0), 1);
	ip_world_free(&w);
}

static void test_want_too_big_then_fragmented_without_df(void **state)
{
	struct ip_world w;
	struct sk_buff *skb;

	(void)state;
	ip_world_init(&w, false);
	assert_int_equal(send_to(&w, PEER_IP, 2000, NULL), 0);
	assert_int_equal(testdev_tx_count(w.eth0), 2);
	skb = testdev_pop_tx(w.eth0);
	assert_int_equal(get_be16(skb->data + ETH_HLEN + 6) & IP_DF, 0);
	consume_skb(skb);
	ip_world_free(&w);
}

static void test_send_to_own_address_then_delivered_through_lo(void **state)
{
	struct ip_world w;

	(void)state;
	ip_world_init(&w, false);
	assert_int_equal(dev_open(w.net->loopback_dev), 0);
	assert_int_equal(send_to(&w, LOCAL_IP, 8, NULL), 0);
	assert_int_equal(test_rx_state.count, 1);
	assert_memory_equal(test_rx_state.data, test_payload, 8);
	assert_int_equal(testdev_tx_count(w.eth0), 0);
	assert_int_equal(ip_mib(&w, IPSTATS_MIB_OUTPKTS), 1);
	assert_int_equal(ip_mib(&w, IPSTATS_MIB_INDELIVERS), 1);
	ip_world_free(&w);
}

static unsigned int drop_all(void *priv, struct sk_buff *skb, const struct nf_hook_state *s)
{
	(void)priv;
	(void)skb;
	(void)s;
	return NF_DROP;
}

static void test_local_out_drop_then_eperm(void **state)
{
	struct ip_world w;
	struct nf_hook_ops ops = { .hook = drop_all, .pf = NFPROTO_IPV4,
				   .hooknum = NF_INET_LOCAL_OUT, .priority = 0 };

	(void)state;
	ip_world_init(&w, false);
	assert_int_equal(nf_register_net_hook(w.net, &ops), 0);
	assert_int_equal(send_to(&w, PEER_IP, 8, NULL), -EPERM);
	assert_int_equal(drops(&w, SKB_DROP_REASON_NETFILTER_DROP), 1);
	assert_int_equal(testdev_tx_count(w.eth0), 0);
	nf_unregister_net_hook(w.net, &ops);
	ip_world_free(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_send_to_neighbour_then_header_byte_exact),
		cmocka_unit_test(test_tx_params_then_ttl_tos_and_no_df),
		cmocka_unit_test(test_no_route_then_enetunreach_and_outnoroutes),
		cmocka_unit_test(test_df_do_too_big_then_emsgsize),
		cmocka_unit_test(test_want_too_big_then_fragmented_without_df),
		cmocka_unit_test(test_send_to_own_address_then_delivered_through_lo),
		cmocka_unit_test(test_local_out_drop_then_eperm),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
