/*
 * ARP over the test device: byte-exact requests, replies and gratuitous ARP;
 * resolution with queued packets; the NUD timeline in virtual time with
 * Linux's default sysctls and with changed ones; static entries; flushing
 * and garbage collection. Frames are compared whole.
 */
#include "tn_test.h"

#include <errno.h>
#include <stdio.h>

#include "net/skbuff.h"
#include "net/arp.h"
#include "net/inetdevice.h"
#include "net/neighbour.h"
#include "net/netdevice.h"
#include "net/sysctl.h"
#include "net/testdev.h"

#define LOCAL_IP 0x0a000001u  /* 10.0.0.1 on eth0 (02:00:00:00:00:02) */
#define PEER_IP  0x0a000002u  /* 10.0.0.2 at 02:00:00:00:00:aa */

static const u8 peer_mac[6] = { 0x02, 0, 0, 0, 0, 0xaa };
static const u8 other_mac[6] = { 0x02, 0, 0, 0, 0, 0xbb };
static const u8 our_mac[6] = { 0x02, 0, 0, 0, 0, 0x02 };
static const u8 bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const u8 zero_mac[6];

/* What every test starts from: eth0 up with 10.0.0.1/24, nothing sent yet. */
struct arp_world {
	struct tn_stack *st;
	struct net *net;
	struct net_device *dev;
};

static void world_init(struct arp_world *w)
{
	w->st = tn_test_stack_new();
	w->net = w->st->init_net;
	w->dev = testdev_create(w->net, "eth0", true);
	assert_non_null(w->dev);
	assert_memory_equal(w->dev->dev_addr, our_mac, 6);
	assert_int_equal(inet_addr_add(w->dev, LOCAL_IP, 24, inet_default_broadcast(LOCAL_IP, 24),
				       RT_SCOPE_UNIVERSE, NULL), 0);
	tn_test_run(w->st, 0);
	testdev_clear_tx(w->dev);
}

static void world_free(struct arp_world *w)
{
	testdev_clear_tx(w->dev);
	tn_test_stack_free(w->st);
}

static void sysctl_set(struct arp_world *w, const char *key, const char *val)
{
	assert_int_equal(tn_sysctl_write(w->net, key, val), 0);
}

static u64 drops(struct arp_world *w, enum skb_drop_reason r)
{
	return w->net->core.drops[r];
}

/* An Ethernet/IPv4 ARP frame, padded to the 60-byte Ethernet minimum. */
static size_t arp_frame(u8 *buf, const u8 *eth_dst, u16 op, const u8 *sha, u32 spa,
			const u8 *tha, u32 tpa)
{
	memset(buf, 0, 60);
	memcpy(buf, eth_dst, 6);
	memcpy(buf + 6, sha, 6);
	put_be16(buf + 12, ETH_P_ARP);
	put_be16(buf + 14, 1);
	put_be16(buf + 16, ETH_P_IP);
	buf[18] = 6;
	buf[19] = 4;
	put_be16(buf + 20, op);
	memcpy(buf + 22, sha, 6);
	put_be32(buf + 28, spa);
	memcpy(buf + 32, tha, 6);
	put_be32(buf + 38, tpa);
	return 60;
}

static void inject(struct arp_world *w, const u8 *frame, size_t len)
{
	assert_int_equal(testdev_inject(w->dev, frame, len), 0);
	tn_test_run(w->st, 0);
}

static void inject_reply(struct arp_world *w, const u8 *sha)
{
	u8 f[60];

	inject(w, f, arp_frame(f, our_mac, ARPOP_REPLY, sha, PEER_IP, our_mac, LOCAL_IP));
}

/* The oldest transmitted frame must be exactly `hex`. */
static void expect_tx(struct arp_world *w, const char *hex)
{
	u8 want[128];
	size_t n = tn_test_hex(hex, want, sizeof(want));
	struct sk_buff *skb = testdev_pop_tx(w->dev);

	assert_non_null(skb);
	assert_int_equal(skb->len, n);
	assert_memory_equal(skb->data, want, n);
	consume_skb(skb);
}

#define REQ_BCAST_FOR_PEER                                                  \
	"ff ff ff ff ff ff 02 00 00 00 00 02 08 06 00 01 08 00 06 04 00 01" \
	" 02 00 00 00 00 02 0a 00 00 01 00 00 00 00 00 00 0a 00 00 02"
#define REQ_UCAST_FOR_PEER                                                  \
	"02 00 00 00 00 aa 02 00 00 00 00 02 08 06 00 01 08 00 06 04 00 01" \
	" 02 00 00 00 00 02 0a 00 00 01 00 00 00 00 00 00 0a 00 00 02"

/* A 21-byte IPv4 packet 10.0.0.1 -> 10.0.0.2 whose last byte is `mark`. */
static struct sk_buff *ip_packet(struct arp_world *w, u8 mark)
{
	struct sk_buff *skb = alloc_skb(w->st, 128);
	u8 *p;

	assert_non_null(skb);
	skb_reserve(skb, 64);
	skb_reset_network_header(skb);
	p = skb_put_zero(skb, 21);
	p[0] = 0x45;
	put_be16(p + 2, 21);
	p[8] = 64;
	p[9] = 253;
	put_be32(p + 12, LOCAL_IP);
	put_be32(p + 16, PEER_IP);
	p[20] = mark;
	skb->protocol = ETH_P_IP;
	skb->dev = w->dev;
	return skb;
}

static void expect_ip_to_peer(struct arp_world *w, u8 mark)
{
	struct sk_buff *skb = testdev_pop_tx(w->dev);

	assert_non_null(skb);
	assert_int_equal(skb->len, 14 + 21);
	assert_memory_equal(skb->data, peer_mac, 6);
	assert_memory_equal(skb->data + 6, our_mac, 6);
	assert_int_equal(get_be16(skb->data + 12), ETH_P_IP);
	assert_int_equal(skb->data[14 + 20], mark);
	consume_skb(skb);
}

static struct neighbour *peer_neigh(struct arp_world *w, bool creat)
{
	u8 key[4];

	put_be32(key, PEER_IP);
	return __neigh_lookup(arp_tbl(w->net), key, w->dev, creat);
}

/* Resolve the peer: INCOMPLETE, one broadcast request, a unicast reply. */
static struct neighbour *resolve_peer(struct arp_world *w)
{
	struct neighbour *n = peer_neigh(w, true);

	assert_non_null(n);
	assert_int_equal(neigh_event_send(n, NULL), 1);
	assert_int_equal(n->nud_state, NUD_INCOMPLETE);
	expect_tx(w, REQ_BCAST_FOR_PEER);
	inject_reply(w, peer_mac);
	assert_int_equal(n->nud_state, NUD_REACHABLE);
	return n;
}

/* ---- requests ---------------------------------------------------------- */

static void request_for_local_address_replied_and_sender_stale(void **state)
{
	struct arp_world w;
	struct neighbour *n;
	u8 f[60];

	world_init(&w);
	inject(&w, f, arp_frame(f, bcast, ARPOP_REQUEST, peer_mac, PEER_IP, zero_mac, LOCAL_IP));
	expect_tx(&w, "02 00 00 00 00 aa 02 00 00 00 00 02 08 06 00 01 08 00 06 04 00 02"
		      " 02 00 00 00 00 02 0a 00 00 01 02 00 00 00 00 aa 0a 00 00 02");
	assert_int_equal(testdev_tx_count(w.dev), 0);
	n = peer_neigh(&w, false);
	assert_non_null(n);
	assert_int_equal(n->nud_state, NUD_STALE);
	assert_memory_equal(n->ha, peer_mac, 6);
	neigh_release(n);
	world_free(&w);
}

static void request_for_other_address_ignored(void **state)
{
	struct arp_world w;
	u8 f[60];

	world_init(&w);
	inject(&w, f, arp_frame(f, bcast, ARPOP_REQUEST, peer_mac, PEER_IP, zero_mac, 0x0a000003u));
	assert_int_equal(testdev_tx_count(w.dev), 0);
	assert_null(peer_neigh(&w, false));
	assert_int_equal(arp_tbl(w.net)->entries, 0);
	world_free(&w);
}

static void request_dad_probe_answered_without_learning(void **state)
{
	struct arp_world w;
	u8 f[60];

	world_init(&w);
	inject(&w, f, arp_frame(f, bcast, ARPOP_REQUEST, peer_mac, 0, zero_mac, LOCAL_IP));
	expect_tx(&w, "02 00 00 00 00 aa 02 00 00 00 00 02 08 06 00 01 08 00 06 04 00 02"
		      " 02 00 00 00 00 02 0a 00 00 01 02 00 00 00 00 aa 00 00 00 00");
	assert_int_equal(arp_tbl(w.net)->entries, 0);
	world_free(&w);
}

/* ---- malformed and unsupported ------------------------------------------ */

static void truncated_arp_dropped_malformed(void **state)
{
	struct arp_world w;
	u8 f[60];

	world_init(&w);
	arp_frame(f, bcast, ARPOP_REQUEST, peer_mac, PEER_IP, zero_mac, LOCAL_IP);
	inject(&w, f, 14 + 27);
	assert_int_equal(drops(&w, SKB_DROP_REASON_TN_ARP_MALFORMED), 1);
	assert_int_equal(testdev_tx_count(w.dev), 0);
	world_free(&w);
}

static void unsupported_types_dropped_unsupported(void **state)
{
	static const struct { int off; u8 val; } bad[] = {
		{ 15, 0x20 },  /* htype 32 (InfiniBand) */
		{ 16, 0x86 },  /* ptype 0x86dd */
		{ 18, 8 },     /* hlen 8 */
		{ 19, 16 },    /* plen 16 */
		{ 21, 3 },     /* opcode 3 (RARP request) */
	};
	struct arp_world w;
	u8 f[60];

	world_init(&w);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		arp_frame(f, bcast, ARPOP_REQUEST, peer_mac, PEER_IP, zero_mac, LOCAL_IP);
		f[bad[i].off] = bad[i].val;
		inject(&w, f, 60);
	}
	assert_int_equal(drops(&w, SKB_DROP_REASON_TN_ARP_UNSUPPORTED), ARRAY_SIZE(bad));
	assert_int_equal(testdev_tx_count(w.dev), 0);
	assert_int_equal(arp_tbl(w.net)->entries, 0);
	world_free(&w);
}

static void garbled_addresses_dropped_malformed(void **state)
{
	static const u8 mcast_mac[6] = { 0x01, 0, 0x5e, 0, 0, 1 };
	struct arp_world w;
	u8 f[60];

	world_init(&w);
	/* multicast sender hardware address */
	inject(&w, f, arp_frame(f, bcast, ARPOP_REQUEST, mcast_mac, PEER_IP, zero_mac, LOCAL_IP));
	/* multicast and loopback sender IPs, multicast target */
	inject(&w, f, arp_frame(f, bcast, ARPOP_REQUEST, peer_mac, 0xe0000001u, zero_mac, LOCAL_IP));
	inject(&w, f, arp_frame(f, bcast, ARPOP_REQUEST, peer_mac, 0x7f000001u, zero_mac, LOCAL_IP));
	inject(&w, f, arp_frame(f, bcast, ARPOP_REQUEST, peer_mac, PEER_IP, zero_mac, 0xe0000001u));
	assert_int_equal(drops(&w, SKB_DROP_REASON_TN_ARP_MALFORMED), 4);
	assert_int_equal(testdev_tx_count(w.dev), 0);
	assert_int_equal(arp_tbl(w.net)->entries, 0);
	world_free(&w);
}

/* ---- resolution ------------------------------------------------------------ */

static void incomplete_queued_packets_released_in_order_by_reply(void **state)
{
	struct arp_world w;
	struct neighbour *n;

	world_init(&w);
	n = peer_neigh(&w, true);
	for (u8 i = 1; i <= 3; i++)
		assert_int_equal(neigh_output(n, ip_packet(&w, i)), 0);
	assert_int_equal(n->nud_state, NUD_INCOMPLETE);
	assert_int_equal(skb_queue_len(&n->arp_queue), 3);
	expect_tx(&w, REQ_BCAST_FOR_PEER);  /* one request, not one per packet */
	assert_int_equal(testdev_tx_count(w.dev), 0);

	inject_reply(&w, peer_mac);
	assert_int_equal(n->nud_state, NUD_REACHABLE);
	assert_memory_equal(n->ha, peer_mac, 6);
	for (u8 i = 1; i <= 3; i++)
		expect_ip_to_peer(&w, i);
	assert_int_equal(n->arp_queue_len_bytes, 0);
	/* Connected now: the next packet goes straight out. */
	assert_int_equal(neigh_output(n, ip_packet(&w, 4)), 0);
	expect_ip_to_peer(&w, 4);
	neigh_release(n);
	world_free(&w);
}

static void incomplete_no_reply_mcast_solicit_requests_then_failed(void **state)
{
	struct arp_world w;
	struct neighbour *n;

	world_init(&w);
	n = peer_neigh(&w, true);
	neigh_output(n, ip_packet(&w, 1));
	neigh_output(n, ip_packet(&w, 2));
	expect_tx(&w, REQ_BCAST_FOR_PEER);
	for (int i = 0; i < 2; i++) {
		tn_test_run(w.st, 999);
		assert_int_equal(testdev_tx_count(w.dev), 0);
		tn_test_run(w.st, 1);  /* retrans_time (1 s) later: the next one */
		expect_tx(&w, REQ_BCAST_FOR_PEER);
	}
	tn_test_run(w.st, 999);
	assert_int_equal(n->nud_state, NUD_INCOMPLETE);
	tn_test_run(w.st, 1);
	assert_int_equal(n->nud_state, NUD_FAILED);
	assert_int_equal(testdev_tx_count(w.dev), 0);  /* exactly mcast_solicit = 3 */
	assert_int_equal(arp_tbl(w.net)->stats.res_failed, 1);
	assert_int_equal(drops(&w, SKB_DROP_REASON_NEIGH_FAILED), 2);
	assert_int_equal(skb_queue_len(&n->arp_queue), 0);
	neigh_release(n);
	world_free(&w);
}

static void incomplete_queue_over_unres_qlen_bytes_drops_oldest(void **state)
{
	struct arp_world w;
	struct neighbour *n;
	struct sk_buff *skb;
	char val[32];

	world_init(&w);
	skb = ip_packet(&w, 1);
	snprintf(val, sizeof(val), "%u", 2 * skb->truesize);
	sysctl_set(&w, "net.ipv4.neigh.eth0.unres_qlen_bytes", val);
	n = peer_neigh(&w, true);
	neigh_output(n, skb);
	neigh_output(n, ip_packet(&w, 2));
	neigh_output(n, ip_packet(&w, 3));
	assert_int_equal(skb_queue_len(&n->arp_queue), 2);
	assert_int_equal(drops(&w, SKB_DROP_REASON_NEIGH_QUEUEFULL), 1);
	assert_int_equal(arp_tbl(w.net)->stats.unres_discards, 1);
	expect_tx(&w, REQ_BCAST_FOR_PEER);
	inject_reply(&w, peer_mac);
	expect_ip_to_peer(&w, 2);  /* the oldest (1) went */
	expect_ip_to_peer(&w, 3);
	neigh_release(n);
	world_free(&w);
}

/* ---- the NUD timeline ---------------------------------------------------------- */

static void reachable_times_out_to_stale_then_delay_probe_reachable(void **state)
{
	struct arp_world w;
	struct neighbour *n;
	u64 rt;

	world_init(&w);
	n = resolve_peer(&w);
	rt = n->parms->reachable_time;
	assert_true(rt >= 15000 && rt < 45000);  /* base 30 s, randomised */
	tn_test_run(w.st, rt - 1);
	assert_int_equal(n->nud_state, NUD_REACHABLE);
	/* At expiry "still alive" reschedules HZ/100 later, as Linux does. */
	tn_test_run(w.st, 11);
	assert_int_equal(n->nud_state, NUD_STALE);
	assert_int_equal(testdev_tx_count(w.dev), 0);

	/* Used while STALE: the packet goes at once, DELAY for 5 s. */
	neigh_output(n, ip_packet(&w, 7));
	expect_ip_to_peer(&w, 7);
	assert_int_equal(n->nud_state, NUD_DELAY);
	tn_test_run(w.st, 4999);
	assert_int_equal(n->nud_state, NUD_DELAY);
	tn_test_run(w.st, 1);
	assert_int_equal(n->nud_state, NUD_PROBE);
	expect_tx(&w, REQ_UCAST_FOR_PEER);  /* unicast to the address we know */

	inject_reply(&w, peer_mac);
	assert_int_equal(n->nud_state, NUD_REACHABLE);
	tn_test_run(w.st, 5000);
	assert_int_equal(testdev_tx_count(w.dev), 0);
	neigh_release(n);
	world_free(&w);
}

static void probe_no_reply_ucast_solicit_probes_then_failed(void **state)
{
	struct arp_world w;
	struct neighbour *n;

	world_init(&w);
	n = resolve_peer(&w);
	tn_test_run(w.st, n->parms->reachable_time + 10);
	assert_int_equal(n->nud_state, NUD_STALE);
	neigh_event_send(n, NULL);
	tn_test_run(w.st, 5000);
	assert_int_equal(n->nud_state, NUD_PROBE);
	for (int i = 0; i < 3; i++) {
		expect_tx(&w, REQ_UCAST_FOR_PEER);
		tn_test_run(w.st, 1000);
	}
	assert_int_equal(n->nud_state, NUD_FAILED);
	assert_int_equal(testdev_tx_count(w.dev), 0);
	assert_int_equal(arp_tbl(w.net)->stats.res_failed, 1);
	neigh_release(n);
	world_free(&w);
}

static void changed_sysctls_change_the_timeline(void **state)
{
	struct arp_world w;
	struct neighbour *n;

	world_init(&w);
	sysctl_set(&w, "net.ipv4.neigh.eth0.delay_first_probe_time", "2");
	sysctl_set(&w, "net.ipv4.neigh.eth0.retrans_time_ms", "300");
	sysctl_set(&w, "net.ipv4.neigh.eth0.ucast_solicit", "1");
	sysctl_set(&w, "net.ipv4.neigh.eth0.base_reachable_time_ms", "2000");
	/* A write to default reaches devices that did not set their own. */
	sysctl_set(&w, "net.ipv4.neigh.default.mcast_solicit", "2");
	sysctl_set(&w, "net.ipv4.neigh.default.retrans_time_ms", "700");

	n = resolve_peer(&w);
	assert_int_equal(n->parms->mcast_probes, 2);
	assert_int_equal(n->parms->retrans_time, 300);
	assert_true(n->parms->reachable_time >= 1000 && n->parms->reachable_time < 3000);
	tn_test_run(w.st, n->parms->reachable_time + 10);
	assert_int_equal(n->nud_state, NUD_STALE);
	neigh_event_send(n, NULL);
	tn_test_run(w.st, 1999);
	assert_int_equal(n->nud_state, NUD_DELAY);
	tn_test_run(w.st, 1);
	assert_int_equal(n->nud_state, NUD_PROBE);
	expect_tx(&w, REQ_UCAST_FOR_PEER);
	tn_test_run(w.st, 299);
	assert_int_equal(n->nud_state, NUD_PROBE);
	tn_test_run(w.st, 1);
	assert_int_equal(n->nud_state, NUD_FAILED);  /* one ucast probe only */
	assert_int_equal(testdev_tx_count(w.dev), 0);

	/* FAILED and used again: INCOMPLETE, mcast_solicit = 2 broadcasts. */
	neigh_event_send(n, NULL);
	expect_tx(&w, REQ_BCAST_FOR_PEER);
	tn_test_run(w.st, 300);
	expect_tx(&w, REQ_BCAST_FOR_PEER);
	tn_test_run(w.st, 300);
	assert_int_equal(n->nud_state, NUD_FAILED);
	assert_int_equal(testdev_tx_count(w.dev), 0);
	neigh_release(n);
	world_free(&w);
}

/* ---- learning rules --------------------------------------------------------- */

static void static_entry_not_overridden_by_arp(void **state)
{
	struct arp_world w;
	struct neighbour *n;
	u8 f[60];

	world_init(&w);
	assert_int_equal(arp_neigh_add(w.dev, PEER_IP, peer_mac, NUD_PERMANENT), 0);
	tn_test_run(w.st, 2000);
	inject_reply(&w, other_mac);
	inject(&w, f, arp_frame(f, bcast, ARPOP_REQUEST, other_mac, PEER_IP, zero_mac, PEER_IP));
	inject(&w, f, arp_frame(f, bcast, ARPOP_REQUEST, other_mac, PEER_IP, zero_mac, LOCAL_IP));
	testdev_clear_tx(w.dev);  /* the last one was answered */
	n = peer_neigh(&w, false);
	assert_int_equal(n->nud_state, NUD_PERMANENT);
	assert_memory_equal(n->ha, peer_mac, 6);
	/* Permanent entries never time out and are exempt from gc. */
	tn_test_run(w.st, 300000);
	assert_int_equal(n->nud_state, NUD_PERMANENT);
	assert_int_equal(arp_tbl(w.net)->gc_entries, 0);
	neigh_release(n);
	world_free(&w);
}

static void unknown_sender_reply_not_learnt_unless_arp_accept(void **state)
{
	struct arp_world w;
	struct neighbour *n;

	world_init(&w);
	inject_reply(&w, peer_mac);
	assert_null(peer_neigh(&w, false));
	sysctl_set(&w, "net.ipv4.conf.eth0.arp_accept", "1");
	inject_reply(&w, peer_mac);
	n = peer_neigh(&w, false);
	assert_non_null(n);
	assert_int_equal(n->nud_state, NUD_REACHABLE);
	neigh_release(n);
	world_free(&w);
}

static void reachable_gratuitous_arp_overrides_address_within_locktime(void **state)
{
	struct arp_world w;
	struct neighbour *n;
	u8 f[60];

	world_init(&w);
	n = resolve_peer(&w);
	/* A second reply with another address inside locktime: first wins. */
	inject_reply(&w, other_mac);
	assert_memory_equal(n->ha, peer_mac, 6);
	/* Gratuitous ARP always overrides (as STALE: it is a broadcast). */
	inject(&w, f, arp_frame(f, bcast, ARPOP_REQUEST, other_mac, PEER_IP, zero_mac, PEER_IP));
	assert_memory_equal(n->ha, other_mac, 6);
	assert_int_equal(n->nud_state, NUD_STALE);
	neigh_release(n);
	world_free(&w);
}

static void address_add_sends_gratuitous_arp(void **state)
{
	struct arp_world w;

	world_init(&w);
	assert_int_equal(inet_addr_add(w.dev, 0x0a000005u, 24, 0, RT_SCOPE_UNIVERSE, NULL), 0);
	expect_tx(&w, "ff ff ff ff ff ff 02 00 00 00 00 02 08 06 00 01 08 00 06 04 00 01"
		      " 02 00 00 00 00 02 0a 00 00 05 00 00 00 00 00 00 0a 00 00 05");
	assert_int_equal(testdev_tx_count(w.dev), 0);
	/* Up again: every address is announced. */
	assert_int_equal(dev_close(w.dev), 0);
	assert_int_equal(dev_open(w.dev), 0);
	tn_test_run(w.st, 0);
	assert_int_equal(testdev_tx_count(w.dev), 2);
	world_free(&w);
}

/* ---- flushing and gc ----------------------------------------------------------- */

static void entries_flushed_when_device_goes_down(void **state)
{
	struct arp_world w;
	struct neighbour *n;

	world_init(&w);
	n = resolve_peer(&w);
	neigh_output(n, ip_packet(&w, 1));
	expect_ip_to_peer(&w, 1);
	assert_int_equal(arp_neigh_add(w.dev, 0x0a000009u, other_mac, NUD_PERMANENT), 0);
	assert_int_equal(dev_close(w.dev), 0);
	assert_null(peer_neigh(&w, false));
	assert_true(n->dead);
	/* Our reference keeps it allocated, harmless: output drops. */
	assert_int_equal(neigh_output(n, ip_packet(&w, 2)), -ENETDOWN);
	assert_int_equal(drops(&w, SKB_DROP_REASON_NEIGH_DEAD), 1);
	neigh_release(n);
	assert_int_equal(arp_tbl(w.net)->entries, 0);
	world_free(&w);
}

static void stale_entry_collected_after_gc_stale_time(void **state)
{
	struct arp_world w;
	struct neighbour *n;
	u8 f[60];

	world_init(&w);
	/* Linux collects nothing below gc_thresh1 entries (128 by default). */
	sysctl_set(&w, "net.ipv4.neigh.default.gc_thresh1", "0");
	inject(&w, f, arp_frame(f, bcast, ARPOP_REQUEST, peer_mac, PEER_IP, zero_mac, LOCAL_IP));
	testdev_clear_tx(w.dev);
	n = peer_neigh(&w, false);
	assert_int_equal(n->nud_state, NUD_STALE);
	tn_test_run(w.st, 120000);
	assert_false(n->dead);  /* referenced: never collected */
	neigh_release(n);
	tn_test_run(w.st, 30000);
	assert_null(peer_neigh(&w, false));
	assert_int_equal(arp_tbl(w.net)->entries, 0);
	assert_true(arp_tbl(w.net)->stats.periodic_gc_runs > 0);
	world_free(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(request_for_local_address_replied_and_sender_stale),
		cmocka_unit_test(request_for_other_address_ignored),
		cmocka_unit_test(request_dad_probe_answered_without_learning),
		cmocka_unit_test(truncated_arp_dropped_malformed),
		cmocka_unit_test(unsupported_types_dropped_unsupported),
		cmocka_unit_test(garbled_addresses_dropped_malformed),
		cmocka_unit_test(incomplete_queued_packets_released_in_order_by_reply),
		cmocka_unit_test(incomplete_no_reply_mcast_solicit_requests_then_failed),
		cmocka_unit_test(incomplete_queue_over_unres_qlen_bytes_drops_oldest),
		cmocka_unit_test(reachable_times_out_to_stale_then_delay_probe_reachable),
		cmocka_unit_test(probe_no_reply_ucast_solicit_probes_then_failed),
		cmocka_unit_test(changed_sysctls_change_the_timeline),
		cmocka_unit_test(static_entry_not_overridden_by_arp),
		cmocka_unit_test(unknown_sender_reply_not_learnt_unless_arp_accept),
		cmocka_unit_test(reachable_gratuitous_arp_overrides_address_within_locktime),
		cmocka_unit_test(address_add_sends_gratuitous_arp),
		cmocka_unit_test(entries_flushed_when_device_goes_down),
		cmocka_unit_test(stale_entry_collected_after_gc_stale_time),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
