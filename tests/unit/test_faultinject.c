/*
 * Allocation failure (include/net/fault.h) on the receive path and during
 * ARP resolution: every failed skb allocation is a counted drop or a retry,
 * never a crash, and the stack ends with no skb alive. The peer on the wire
 * is the test itself, answering the ARP requests the device sends.
 */
#include <errno.h>
#include <stdio.h>

#include "tn_test.h"
#include "net/testdev.h"
#include "net/etherdevice.h"
#include "net/inetdevice.h"
#include "net/arp.h"
#include "net/wire/arp.h"

#define LOCAL_IP 0x0a000001u   /* 10.0.0.1, on the test device */
#define PEER_IP  0x0a000002u   /* 10.0.0.2, the test playing the peer */
static const u8 peer_mac[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0xaa };

static struct net_device *setup_dev(struct tn_stack *st)
{
	struct net_device *dev = testdev_create(st->init_net, "tt0", true);

	assert_non_null(dev);
	assert_int_equal(inet_addr_add(dev, LOCAL_IP, 24, inet_default_broadcast(LOCAL_IP, 24),
				       RT_SCOPE_UNIVERSE, NULL), 0);
	do_softirq(st);
	testdev_clear_tx(dev);      /* the gratuitous ARP of the new address */
	return dev;
}

/* An Ethernet + ARP frame from sha/spa. */
static size_t arp_frame(u8 *buf, u16 op, const u8 *sha, u32 spa, const u8 *eth_dst,
			const u8 *tha, u32 tpa)
{
	struct eth_repr eth = { .ethertype = ETH_P_ARP };
	struct arp_repr arp = { .op = op, .spa = spa, .tpa = tpa };

	memcpy(eth.dst, eth_dst, ETH_ALEN);
	memcpy(eth.src, sha, ETH_ALEN);
	memcpy(arp.sha, sha, ETH_ALEN);
	memcpy(arp.tha, tha, ETH_ALEN);
	eth_emit(&eth, buf);
	arp_emit(&arp, buf + ETH_HLEN);
	return ETH_HLEN + ARP_ETH_IPV4_LEN;
}

static size_t peer_arp(u8 *buf, u16 op, const u8 *eth_dst, const u8 *tha, u32 tpa)
{
	return arp_frame(buf, op, peer_mac, PEER_IP, eth_dst, tha, tpa);
}

static u64 stat_rx_dropped(struct net_device *dev)
{
	struct rtnl_link_stats64 s;

	memset(&s, 0, sizeof(s));
	dev_get_stats(dev, &s);
	return s.rx_dropped;
}

/* Every allocation fails: each injected frame is refused with -ENOMEM and
 * counted, and once the fault is lifted frames flow again. */
static void rx_flood_every_alloc_fails(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = setup_dev(st);
	static const u8 bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const u8 zero[ETH_ALEN];
	u64 fails0 = st->skb_cache.alloc_fails;
	u64 dropped0 = stat_rx_dropped(dev);
	u8 fr[64];
	size_t len = peer_arp(fr, ARPOP_REQUEST, bcast, zero, LOCAL_IP);

	tn_fault_set(st, TN_FAULT_SKB, 1, -1);
	for (int i = 0; i < 50; i++)
		assert_int_equal(testdev_inject(dev, fr, len), -ENOMEM);
	do_softirq(st);
	assert_int_equal(st->fault.site[TN_FAULT_SKB].injected, 50);
	assert_int_equal(st->skb_cache.alloc_fails - fails0, 50);
	assert_int_equal(stat_rx_dropped(dev) - dropped0, 50);
	assert_int_equal(testdev_tx_count(dev), 0);

	tn_fault_set(st, TN_FAULT_SKB, 0, 0);
	assert_int_equal(testdev_inject(dev, fr, len), 0);
	do_softirq(st);
	assert_int_equal(testdev_tx_count(dev), 1);   /* the ARP reply */
	testdev_clear_tx(dev);
	tn_test_stack_free(st);
}

/*
 * A flood of ARP requests for our address, every third allocation failing.
 * The frames arrive in bursts of 60 (the "NIC" takes them all before NAPI
 * runs), so the failures hit the driver's skbs first and then the replies.
 * A request costs one allocation on receive and one for the reply, so each
 * failure is either a refused frame (counted as rx_dropped and as the NOMEM
 * drop reason) or a reply that was not sent: replies + failures == requests.
 */
static void rx_flood_arp_requests_every_third_alloc_fails(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = setup_dev(st);
	static const u8 bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const u8 zero[ETH_ALEN];
	u64 fails0 = st->skb_cache.alloc_fails;
	u64 dropped0 = stat_rx_dropped(dev);
	u64 nomem0 = st->init_net->core.drops[SKB_DROP_REASON_NOMEM];
	u64 refused = 0, injected;
	const int bursts = 3, burst = 60;
	u8 fr[64];
	size_t len = peer_arp(fr, ARPOP_REQUEST, bcast, zero, LOCAL_IP);

	tn_fault_set(st, TN_FAULT_SKB, 3, -1);
	for (int b = 0; b < bursts; b++) {
		for (int i = 0; i < burst; i++) {
			int rc = testdev_inject(dev, fr, len);
			assert_true(rc == 0 || rc == -ENOMEM);
			refused += rc == -ENOMEM;
		}
		do_softirq(st);
	}
	injected = st->fault.site[TN_FAULT_SKB].injected;
	tn_fault_set(st, TN_FAULT_SKB, 0, 0);

	assert_true(refused > 0);
	assert_true(injected > refused);            /* some replies failed too */
	assert_int_equal(st->skb_cache.alloc_fails - fails0, injected);
	assert_int_equal(stat_rx_dropped(dev) - dropped0, refused);
	assert_int_equal(st->init_net->core.drops[SKB_DROP_REASON_NOMEM] - nomem0, refused);
	assert_int_equal(testdev_tx_count(dev) + injected, bursts * burst);
	testdev_clear_tx(dev);
	tn_test_run(st, 1000);
	tn_test_stack_free(st);
}

/*
 * The same accounting one request at a time, with the failure placed on
 * purpose: nothing, the driver's allocation, or the reply's, in turn.
 */
static void rx_arp_request_fails_on_receive_or_on_reply(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = setup_dev(st);
	static const u8 bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const u8 zero[ETH_ALEN];
	u64 dropped0 = stat_rx_dropped(dev);
	u64 fails0 = st->skb_cache.alloc_fails;
	int want[3] = { 0 }, refused = 0, unanswered = 0;
	u8 fr[64];
	size_t len = peer_arp(fr, ARPOP_REQUEST, bcast, zero, LOCAL_IP);

	for (int i = 0; i < 90; i++) {
		int phase = i % 3;     /* 0: no failure, 1: receive, 2: reply */
		unsigned int tx0 = testdev_tx_count(dev);

		tn_fault_set(st, TN_FAULT_SKB, phase ? (u32)phase : 0, phase ? 1 : 0);
		refused += testdev_inject(dev, fr, len) == -ENOMEM;
		do_softirq(st);
		unanswered += testdev_tx_count(dev) == tx0;
		assert_int_equal(st->fault.site[TN_FAULT_SKB].injected, phase ? 1 : 0);
		want[phase]++;
	}
	tn_fault_set(st, TN_FAULT_SKB, 0, 0);
	assert_int_equal(refused, want[1]);
	assert_int_equal(unanswered, want[1] + want[2]);
	assert_int_equal(testdev_tx_count(dev), want[0]);
	assert_int_equal(stat_rx_dropped(dev) - dropped0, want[1]);
	assert_int_equal(st->skb_cache.alloc_fails - fails0, want[1] + want[2]);
	testdev_clear_tx(dev);
	tn_test_stack_free(st);
}

/* Answer the ARP requests the device sent, as the peer would; returns the
 * number of requests answered and frees every frame seen. */
static int peer_answer(struct net_device *dev)
{
	struct sk_buff *skb;
	int answered = 0;
	u8 fr[64];

	while ((skb = testdev_pop_tx(dev))) {
		struct eth_repr eth;
		struct arp_repr arp;

		if (eth_parse(skb->data, skb->len, &eth) == 0 && eth.ethertype == ETH_P_ARP &&
		    arp_parse(skb->data + ETH_HLEN, skb->len - ETH_HLEN, &arp) == ARP_PARSE_OK &&
		    arp.op == ARPOP_REQUEST && arp.tpa == PEER_IP) {
			size_t len = peer_arp(fr, ARPOP_REPLY, eth.src, arp.sha, arp.spa);
			assert_int_equal(testdev_inject(dev, fr, len), 0);
			answered++;
		}
		consume_skb(skb);
	}
	return answered;
}

/*
 * The first two solicitations cannot be built (no skb): resolution does not
 * give up or crash, the retransmit timer tries again, the third request goes
 * out, and the peer's reply makes the entry REACHABLE.
 */
static void arp_resolution_retries_after_alloc_failure(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = setup_dev(st);
	u8 key[4];
	struct neighbour *n;
	int answered = 0;

	put_be32(key, PEER_IP);
	n = __neigh_lookup(arp_tbl(st->init_net), key, dev, true);
	assert_non_null(n);
	tn_fault_set(st, TN_FAULT_SKB, 1, 2);
	neigh_event_send(n, NULL);
	for (int ms = 0; ms < 5000 && !(n->nud_state & NUD_REACHABLE); ms += 100) {
		tn_test_run(st, 100);
		answered += peer_answer(dev);
		do_softirq(st);
	}
	assert_int_equal(st->fault.site[TN_FAULT_SKB].injected, 2);
	assert_int_equal(answered, 1);
	assert_int_equal(n->nud_state, NUD_REACHABLE);
	assert_memory_equal(n->ha, peer_mac, ETH_ALEN);
	neigh_release(n);
	tn_test_stack_free(st);
}

/* A packet for the peer (an IPv4 payload; nobody parses it here). */
static struct sk_buff *peer_packet(struct net_device *dev)
{
	struct sk_buff *skb = alloc_skb(dev->stack, 128);

	assert_non_null(skb);
	skb_reserve(skb, 64);
	memset(skb_put(skb, 40), 0x45, 40);
	skb_reset_network_header(skb);
	skb->protocol = ETH_P_IP;
	skb->dev = dev;
	return skb;
}

/*
 * A packet waits on the entry while the first solicitation fails; the
 * second goes out, the reply comes, and the waiting packet leaves with the
 * peer's address.
 */
static void arp_queued_packet_leaves_after_failed_solicit(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = setup_dev(st);
	struct sk_buff *skb = peer_packet(dev);
	struct neighbour *n;
	struct eth_repr eth;
	u8 key[4];
	int answered = 0;

	put_be32(key, PEER_IP);
	n = __neigh_lookup(arp_tbl(st->init_net), key, dev, true);
	assert_non_null(n);
	tn_fault_set(st, TN_FAULT_SKB, 1, 1);
	assert_int_equal(neigh_event_send(n, skb), 1);   /* queued */
	assert_int_equal(st->fault.site[TN_FAULT_SKB].injected, 1);
	assert_int_equal(testdev_tx_count(dev), 0);
	for (int ms = 0; ms < 5000 && !answered; ms += 100) {
		tn_test_run(st, 100);
		answered += peer_answer(dev);
	}
	assert_int_equal(answered, 1);
	do_softirq(st);
	assert_int_equal(n->nud_state, NUD_REACHABLE);
	assert_int_equal(testdev_tx_count(dev), 1);
	skb = testdev_pop_tx(dev);
	assert_int_equal(eth_parse(skb->data, skb->len, &eth), 0);
	assert_memory_equal(eth.dst, peer_mac, ETH_ALEN);
	assert_int_equal(eth.ethertype, ETH_P_IP);
	consume_skb(skb);
	neigh_release(n);
	tn_test_stack_free(st);
}

/* The neighbour entry itself cannot be allocated: lookup says so (NULL),
 * a request from the peer during the failure neither crashes nor leaks,
 * and the next lookup works. */
static void neigh_alloc_failure_is_clean(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = setup_dev(st);
	static const u8 bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const u8 zero[ETH_ALEN];
	struct neighbour *n;
	u8 key[4], fr[64];
	size_t len = peer_arp(fr, ARPOP_REQUEST, bcast, zero, LOCAL_IP);

	put_be32(key, PEER_IP);
	tn_fault_set(st, TN_FAULT_NEIGH, 1, 2);
	assert_null(__neigh_lookup(arp_tbl(st->init_net), key, dev, true));
	assert_int_equal(testdev_inject(dev, fr, len), 0);
	do_softirq(st);
	assert_int_equal(st->fault.site[TN_FAULT_NEIGH].injected, 2);
	assert_true(testdev_tx_count(dev) <= 1);
	testdev_clear_tx(dev);
	n = __neigh_lookup(arp_tbl(st->init_net), key, dev, true);
	assert_non_null(n);
	neigh_release(n);
	tn_fault_set(st, TN_FAULT_NEIGH, 0, 0);
	tn_test_stack_free(st);
}

/* Failures while answering and while receiving, during a resolution with
 * a flood of unrelated broadcast frames arriving at the same time. */
static void arp_resolution_under_flood_with_failures(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = setup_dev(st);
	static const u8 bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const u8 other_mac[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0xbb };
	static const u8 zero[ETH_ALEN];
	u8 key[4], noise[64];
	struct neighbour *n;
	u64 dropped0 = stat_rx_dropped(dev);
	u64 refused = 0;
	/* Noise that the stack handles without a drop of its own: 10.0.0.4
	 * asking for 10.0.0.3, which is nobody here. */
	size_t noise_len = arp_frame(noise, ARPOP_REQUEST, other_mac, 0x0a000004u, bcast,
				     zero, 0x0a000003u);

	put_be32(key, PEER_IP);
	n = __neigh_lookup(arp_tbl(st->init_net), key, dev, true);
	assert_non_null(n);
	tn_fault_set(st, TN_FAULT_SKB, 4, -1);
	neigh_event_send(n, NULL);
	for (int ms = 0; ms < 10000 && !(n->nud_state & NUD_REACHABLE); ms += 50) {
		for (int i = 0; i < 20; i++)
			refused += testdev_inject(dev, noise, noise_len) == -ENOMEM;
		tn_test_run(st, 50);
		/* The reply itself may be refused by the "NIC": then the next
		 * request gets another answer. */
		for (struct sk_buff *skb; (skb = testdev_pop_tx(dev));) {
			struct arp_repr arp;
			u8 fr[64];

			if (arp_parse(skb->data + ETH_HLEN, skb->len - ETH_HLEN, &arp) == ARP_PARSE_OK &&
			    arp.op == ARPOP_REQUEST) {
				size_t len = peer_arp(fr, ARPOP_REPLY, skb->data + ETH_ALEN, arp.sha, arp.spa);
				refused += testdev_inject(dev, fr, len) == -ENOMEM;
			}
			consume_skb(skb);
		}
		do_softirq(st);
	}
	tn_fault_set(st, TN_FAULT_SKB, 0, 0);
	assert_int_equal(n->nud_state, NUD_REACHABLE);
	assert_true(refused > 0);
	assert_int_equal(stat_rx_dropped(dev) - dropped0, refused);
	neigh_release(n);
	testdev_clear_tx(dev);
	tn_test_stack_free(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rx_flood_every_alloc_fails),
		cmocka_unit_test(rx_flood_arp_requests_every_third_alloc_fails),
		cmocka_unit_test(rx_arp_request_fails_on_receive_or_on_reply),
		cmocka_unit_test(arp_resolution_retries_after_alloc_failure),
		cmocka_unit_test(arp_resolution_under_flood_with_failures),
		cmocka_unit_test(arp_queued_packet_leaves_after_failed_solicit),
		cmocka_unit_test(neigh_alloc_failure_is_clean),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
