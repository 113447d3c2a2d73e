/*
 * IPv4 fragmentation and reassembly, driven directly: datagrams built byte
 * by byte are cut by __ip_do_fragment / ip_fragment into a capture list,
 * and fragments are fed to ip_defrag in chosen orders. Checks exact
 * fragment headers, byte-exact round trips over random sizes, MTUs and
 * arrival orders, Linux's duplicate and overlap rules, the length rules,
 * the timeout in virtual time, memory eviction, ipfrag_max_dist, and
 * allocation failures; every test ends with no skb alive.
 */
#include "tn_test.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "net/skbuff.h"
#include "net/inet_frag.h"
#include "net/ip.h"

#define SADDR 0x0a000001u
#define DADDR 0x0a000002u
#define MAX_FRAGS 2048

/* What the output function saw, in order (the test is the only thread). */
static struct sk_buff_head captured;

static int capture_output(struct net *net, struct sock *sk, struct sk_buff *skb)
{
	__skb_queue_tail(&captured, skb);
	return 0;
}

static int failing_output(struct net *net, struct sock *sk, struct sk_buff *skb)
{
	kfree_skb_reason(skb, SKB_DROP_REASON_QDISC_DROP);
	return -ENOBUFS;
}

/* RFC 1071, written out independently of lib/checksum.c. */
static u16 ref_csum(const u8 *p, size_t len)
{
	u32 sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (u32)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (u32)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (u16)~sum;
}

/* An IPv4 header (options appended) with a correct checksum. */
static void build_header(u8 *h, const u8 *opts, unsigned int optlen, unsigned int tot_len,
			 u16 id, u16 frag_off, u8 tos)
{
	unsigned int ihl = IPV4_MIN_HLEN + optlen;

	memset(h, 0, ihl);
	h[0] = (u8)(0x40 | ihl / 4);
	h[1] = tos;
	put_be16(h + 2, (u16)tot_len);
	put_be16(h + 4, id);
	put_be16(h + 6, frag_off);
	h[8] = 64;
	h[9] = 17;
	put_be32(h + 12, SADDR);
	put_be32(h + 16, DADDR);
	if (optlen)
		memcpy(h + IPV4_MIN_HLEN, opts, optlen);
	put_be16(h + 10, ref_csum(h, ihl));
}

static struct sk_buff *skb_from_bytes(struct tn_stack *st, const u8 *bytes, unsigned int len)
{
	struct sk_buff *skb = alloc_skb(st, len + NET_SKB_PAD);

	assert_non_null(skb);
	skb_reserve(skb, NET_SKB_PAD);
	skb_put_data(skb, bytes, len);
	skb_reset_network_header(skb);
	skb->protocol = 0x0800;
	return skb;
}

/* A whole datagram: header (and options) then a payload pattern. */
static unsigned int datagram_bytes(u8 *buf, const u8 *opts, unsigned int optlen,
				   unsigned int payload, u16 id, u16 frag_off)
{
	unsigned int ihl = IPV4_MIN_HLEN + optlen;

	for (unsigned int i = 0; i < payload; i++)
		buf[ihl + i] = (u8)(i * 7 + id + (i >> 8));
	build_header(buf, opts, optlen, ihl + payload, id, frag_off, 0);
	return ihl + payload;
}

/* One fragment as a sender would make it: header plus payload bytes
 * [offset, offset + len) of the pattern of datagram_bytes. */
static struct sk_buff *make_frag(struct tn_stack *st, u16 id, unsigned int offset,
				 unsigned int len, bool mf)
{
	static u8 buf[IP_MAX_PACKET + 64];
	u16 frag_off = (u16)((offset >> 3) | (mf ? IP_MF : 0));

	for (unsigned int i = 0; i < len; i++) {
		unsigned int j = offset + i;
		buf[IPV4_MIN_HLEN + i] = (u8)(j * 7 + id + (j >> 8));
	}
	build_header(buf, NULL, 0, IPV4_MIN_HLEN + len, id, frag_off, 0);
	return skb_from_bytes(st, buf, IPV4_MIN_HLEN + len);
}

/* Feed a fragment as ip_rcv would hand it over: a fresh IPCB. */
static int feed(struct net *net, struct sk_buff *skb)
{
	memset(skb->cb, 0, sizeof(skb->cb));
	return ip_defrag(net, skb);
}

static u64 ipstat(struct net *net, int field)
{
	return net->mib.ip[field];
}

static u64 drops(struct net *net, enum skb_drop_reason r)
{
	return net->core.drops[r];
}

static unsigned int capture_to_array(struct sk_buff **frags)
{
	unsigned int n = 0;
	struct sk_buff *skb;

	while ((skb = __skb_dequeue(&captured)) != NULL) {
		assert_true(n < MAX_FRAGS);
		frags[n++] = skb;
	}
	return n;
}

static int setup(void **state)
{
	skb_queue_head_init(&captured);
	*state = tn_test_stack_new();
	return 0;
}

static int teardown(void **state)
{
	skb_queue_purge(&captured);
	tn_test_stack_free(*state);
	return 0;
}

/* ---- fragmentation ---------------------------------------------------------- */

static void datagram_4000_mtu_1500_exact_fragments(void **state)
{
	struct tn_stack *st = *state;
	struct net *net = st->init_net;
	static u8 dg[4000], want[IPV4_MIN_HLEN];
	struct sk_buff *frags[MAX_FRAGS];
	static const struct { u16 tot_len, frag_off; unsigned int from; } exp[] = {
		{ 1500, IP_MF | 0, 0 }, { 1500, IP_MF | 185, 1480 }, { 1040, 370, 2960 },
	};

	datagram_bytes(dg, NULL, 0, 3980, 0x1234, IP_CE);
	assert_int_equal(ip_fragment(net, NULL, skb_from_bytes(st, dg, 4000), 1500,
				     capture_output), 0);
	assert_int_equal(capture_to_array(frags), 3);
	for (int i = 0; i < 3; i++) {
		/* The CE ("evil") bit is not carried over, as in Linux. */
		build_header(want, NULL, 0, exp[i].tot_len, 0x1234, exp[i].frag_off, 0);
		assert_int_equal(frags[i]->len, exp[i].tot_len);
		assert_memory_equal(frags[i]->data, want, IPV4_MIN_HLEN);
		assert_memory_equal(frags[i]->data + IPV4_MIN_HLEN, dg + IPV4_MIN_HLEN + exp[i].from,
				    exp[i].tot_len - IPV4_MIN_HLEN);
		assert_ptr_equal(skb_network_header(frags[i]), frags[i]->data);
		assert_int_equal(skb_transport_offset(frags[i]), IPV4_MIN_HLEN);
		consume_skb(frags[i]);
	}
	assert_int_equal(ipstat(net, IPSTATS_MIB_FRAGCREATES), 3);
	assert_int_equal(ipstat(net, IPSTATS_MIB_FRAGOKS), 1);
	assert_int_equal(ipstat(net, IPSTATS_MIB_FRAGFAILS), 0);
}

static void options_not_copied_become_nops_after_first(void **state)
{
	struct tn_stack *st = *state;
	struct net *net = st->init_net;
	/* Router alert (copied) then record route (not copied), 3 bytes
	 * of room for it, then end of list. */
	static const u8 opts[12] = { 0x94, 4, 0, 0, 0x07, 7, 4, 0, 0, 0, 0, 0x00 };
	static const u8 later[12] = { 0x94, 4, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0x00 };
	static u8 dg[2000];
	struct sk_buff *frags[MAX_FRAGS];
	unsigned int len = datagram_bytes(dg, opts, sizeof(opts), 1500, 7, 0);

	assert_int_equal(ip_fragment(net, NULL, skb_from_bytes(st, dg, len), 1000,
				     capture_output), 0);
	assert_int_equal(capture_to_array(frags), 2);
	assert_memory_equal(frags[0]->data + IPV4_MIN_HLEN, opts, sizeof(opts));
	assert_memory_equal(frags[1]->data + IPV4_MIN_HLEN, later, sizeof(later));
	for (int i = 0; i < 2; i++) {
		assert_int_equal(frags[i]->data[0], 0x48);
		assert_int_equal(ref_csum(frags[i]->data, 32), 0);
	}
	/* 1000 - 32 = 968 bytes of payload per fragment (a multiple of 8). */
	assert_int_equal(frags[0]->len, 1000);
	assert_int_equal(get_be16(frags[1]->data + 6), 968 / 8);
	assert_int_equal(frags[1]->len, 32 + 1500 - 968);

	/* Reassembly hands back the first fragment's header: the original. */
	assert_int_equal(feed(net, frags[1]), -EINPROGRESS);
	assert_int_equal(feed(net, frags[0]), 0);
	assert_int_equal(frags[0]->len, len);
	assert_memory_equal(frags[0]->data, dg, len);
	consume_skb(frags[0]);
}

static void df_set_then_emsgsize_and_fragfails(void **state)
{
	struct tn_stack *st = *state;
	struct net *net = st->init_net;
	static u8 dg[3000];

	datagram_bytes(dg, NULL, 0, 2980, 1, IP_DF);
	assert_int_equal(ip_fragment(net, NULL, skb_from_bytes(st, dg, 3000), 1500,
				     capture_output), -EMSGSIZE);
	assert_true(skb_queue_empty(&captured));
	assert_int_equal(ipstat(net, IPSTATS_MIB_FRAGFAILS), 1);
	assert_int_equal(ipstat(net, IPSTATS_MIB_FRAGCREATES), 0);
	assert_int_equal(drops(net, SKB_DROP_REASON_PKT_TOO_BIG), 1);
}

static void mtu_too_small_then_fragfails(void **state)
{
	struct tn_stack *st = *state;
	struct net *net = st->init_net;
	static u8 dg[100];

	datagram_bytes(dg, NULL, 0, 80, 1, 0);
	assert_int_equal(__ip_do_fragment(net, NULL, skb_from_bytes(st, dg, 100), 27,
					  capture_output), -EINVAL);
	assert_int_equal(ipstat(net, IPSTATS_MIB_FRAGFAILS), 1);
}

static void alloc_fails_mid_datagram_then_fragfails_no_leak(void **state)
{
	struct tn_stack *st = *state;
	struct net *net = st->init_net;
	static u8 dg[4000];
	struct sk_buff *skb;

	datagram_bytes(dg, NULL, 0, 3980, 9, 0);
	skb = skb_from_bytes(st, dg, 4000);
	tn_fault_set(st, TN_FAULT_SKB, 2, 1);    /* the second fragment */
	assert_int_equal(ip_fragment(net, NULL, skb, 1500, capture_output), -ENOMEM);
	tn_fault_set(st, TN_FAULT_SKB, 0, 0);
	assert_int_equal(skb_queue_len(&captured), 1);
	assert_int_equal(ipstat(net, IPSTATS_MIB_FRAGCREATES), 1);
	assert_int_equal(ipstat(net, IPSTATS_MIB_FRAGFAILS), 1);
	assert_int_equal(ipstat(net, IPSTATS_MIB_FRAGOKS), 0);
	assert_int_equal(drops(net, SKB_DROP_REASON_NOMEM), 1);
}

static void output_fails_then_rest_dropped(void **state)
{
	struct tn_stack *st = *state;
	struct net *net = st->init_net;
	static u8 dg[4000];

	datagram_bytes(dg, NULL, 0, 3980, 9, 0);
	assert_int_equal(ip_fragment(net, NULL, skb_from_bytes(st, dg, 4000), 1500,
				     failing_output), -ENOBUFS);
	assert_int_equal(ipstat(net, IPSTATS_MIB_FRAGFAILS), 1);
	assert_int_equal(drops(net, SKB_DROP_REASON_QDISC_DROP), 1);
}

/* ---- round trips ------------------------------------------------------------ */

static void shuffle(struct sk_buff **a, unsigned int n, unsigned int *seed)
{
	for (unsigned int i = n; i > 1; i--) {
		unsigned int j = (unsigned int)rand_r(seed) % i;
		struct sk_buff *t = a[i - 1];

		a[i - 1] = a[j];
		a[j] = t;
	}
}

/* Fragment dg at mtu, deliver the fragments in a random order, and check
 * the datagram comes back byte for byte. */
static void round_trip_one(struct tn_stack *st, const u8 *dg, unsigned int len,
			   unsigned int mtu, unsigned int *seed)
{
	struct net *net = st->init_net;
	struct sk_buff *frags[MAX_FRAGS];
	unsigned int n, i;
	int rc = -1;

	assert_int_equal(__ip_do_fragment(net, NULL, skb_from_bytes(st, dg, len), mtu,
					  capture_output), 0);
	n = capture_to_array(frags);
	assert_true(n >= 1);
	shuffle(frags, n, seed);
	for (i = 0; i < n; i++) {
		assert_true(frags[i]->len <= mtu);
		rc = feed(net, frags[i]);
		if (n == 1)
			break;   /* one piece: not a fragment, handed back untouched */
		assert_int_equal(rc, i + 1 < n ? -EINPROGRESS : 0);
	}
	assert_int_equal(rc, 0);
	assert_int_equal(frags[n - 1]->len, len);
	assert_memory_equal(frags[n - 1]->data, dg, len);
	assert_int_equal(ref_csum(frags[n - 1]->data, IPV4_MIN_HLEN), 0);
	if (n > 1)
		assert_true(IPCB(frags[n - 1])->frag_max_size <= mtu);
	consume_skb(frags[n - 1]);
	assert_int_equal(ip_frag_nqueues(net), 0);
	assert_int_equal(ip_frag_mem(net), 0);
}

static void random_sizes_mtus_orders_then_byte_exact_round_trip(void **state)
{
	struct tn_stack *st = *state;
	struct net *net = st->init_net;
	static u8 dg[IP_MAX_PACKET];
	unsigned int seed = 42, oks = 0;

	for (int iter = 0; iter < 300; iter++) {
		unsigned int payload = 1 + (unsigned int)rand_r(&seed) % (iter % 10 ? 9000 : 65000);
		unsigned int mtu = 68 + (unsigned int)rand_r(&seed) % 1500;
		unsigned int len = datagram_bytes(dg, NULL, 0, TN_MIN(payload, 65515u),
						  (u16)iter, 0);

		round_trip_one(st, dg, len, mtu, &seed);
		oks += len > mtu;
	}
	assert_int_equal(ipstat(net, IPSTATS_MIB_REASMOKS), oks);
	/* Cutting a datagram that fits makes one piece: still a FragOK. */
	assert_int_equal(ipstat(net, IPSTATS_MIB_FRAGOKS), 300);
	assert_int_equal(ipstat(net, IPSTATS_MIB_REASMFAILS), 0);
}

static void max_size_datagram_then_round_trip(void **state)
{
	struct tn_stack *st = *state;
	static u8 dg[IP_MAX_PACKET];
	unsigned int seed = 7;
	unsigned int len = datagram_bytes(dg, NULL, 0, IP_MAX_PACKET - IPV4_MIN_HLEN, 3, 0);

	round_trip_one(st, dg, len, 576, &seed);
}

/* ---- duplicates and overlaps ------------------------------------------------ */

static void duplicate_fragment_then_dropped_alone(void **state)
{
	struct tn_stack *st = *state;
	struct net *net = st->init_net;
	struct sk_buff *last = make_frag(st, 5, 1480, 520, false);

	assert_int_equal(feed(net, make_frag(st, 5, 0, 1480, true)), -EINPROGRESS);
	assert_int_equal(feed(net, make_frag(st, 5, 0, 1480, true)), -EINVAL);
	/* Wholly inside data already queued: a duplicate too (Linux). */
	assert_int_equal(feed(net, make_frag(st, 5, 8, 16, true)), -EINVAL);
	assert_int_equal(drops(net, SKB_DROP_REASON_DUP_FRAG), 2);
	assert_int_equal(ip_frag_nqueues(net), 1);

	assert_int_equal(feed(net, last), 0);
	assert_int_equal(last->len, 2020);
	assert_int_equal(ipstat(net, IPSTATS_MIB_REASMOKS), 1);
	assert_int_equal(ipstat(net, IPSTATS_MIB_REASMFAILS), 0);
	assert_int_equal(ipstat(net, IPSTATS_MIB_REASMREQDS), 4);
	consume_skb(last);
}

static void partial_overlap_then_datagram_dropped(void **state)
{
	struct tn_stack *st = *state;
	struct net *net = st->init_net;

	assert_int_equal(feed(net, make_frag(st, 6, 0, 1480, true)), -EINPROGRESS);
	assert_int_equal(feed(net, make_frag(st, 6, 1472, 600, false)), -EINVAL);
	assert_int_equal(ip_frag_nqueues(net), 0);
	assert_int_equal(ip_frag_mem(net), 0);
	assert_int_equal(ipstat(net, IPSTATS_MIB_REASMFAILS), 1);
	assert_int_equal(ipstat(net, IPSTATS_MIB_REASM_OVERLAPS), 1);
	assert_int_equal(drops(net, SKB_DROP_REASON_TN_FRAG_INVALID), 2);

	/* A later fragment of the same datagram starts a new queue. */
	assert_int_equal(feed(net, make_frag(st, 6, 1480, 600, false)), -EINPROGRESS);
	assert_int_equal(ip_frag_nqueues(net), 1);
}

static void covering_overlap_then_datagram_dropped(void **state)
{
	struct tn_stack *st = *state;
	struct net *net = st->init_net;

	assert_int_equal(feed(net, make_frag(st, 8, 1000, 8, true)), -EINPROGRESS);
	assert_int_equal(feed(net, make_frag(st, 8, 2000, 100, false)), -EINPROGRESS);
	assert_int_equal(feed(net, make_frag(st, 8, 0, 1480, true)), -EINVAL);
	assert_int_equal(ip_frag_nqueues(net), 0);
	assert_int_equal(ipstat(net, IPSTATS_MIB_REASM_OVERLAPS), 1);
	assert_int_equal(drops(net, SKB_DROP_REASON_TN_FRAG_INVALID), 3);
}

/* Two runs [0,8) and [16,24) queued; [0,24) is not inside one run. */
static void overlap_across_two_runs_then_datagram_dropped(void **state)
{
	struct tn_stack *st = *state;
	struct net *net = st->init_net;

	assert_int_equal(feed(net, make_frag(st, 9, 0, 8, true)), -EINPROGRESS);
	assert_int_equal(feed(net, make_frag(st, 9, 16, 8, true)), -EINPROGRESS);
	assert_int_equal(feed(net, make_frag(st, 9, 0, 24, true)), -EINVAL);
	assert_int_equal(ipstat(net, IPSTATS_MIB_REASM_OVERLAPS), 1);
}

/* ---- length rules ------------------------------------------------------------ */

static void fragment_beyond_65535_then_dropped(void **state)
{
	struct tn_stack *st = *state;
	struct net *net = st->init_net;

	assert_int_equal(feed(net, make_frag(st, 10, 0, 1480, true)), -EINPROGRESS);
	assert_int_equal(feed(net, make_frag(st, 10, 65528, 16, false)), -EINVAL);
	assert_int_equal(ip_frag_nqueues(net), 0);
	assert_int_equal(ipstat(net, IPSTATS_MIB_REASMFAILS), 1);
	assert_int_equal(drops(net, SKB_DROP_REASON_PKT_TOO_BIG), 2);
}

static void last_fragment_contradicts_length_then_dropped(void **state)
{
	struct tn_stack *st = *state;
	struct net *net = st->init_net;

	assert_int_equal(feed(net, make_frag(st, 11, 1480, 520, false)), -EINPROGRESS);
	/* A second "last" fragment with another end. */
	assert_int_equal(feed(net, make_frag(st, 11, 2000, 8, false)), -EINVAL);
	assert_int_equal(ip_frag_nqueues(net), 0);

	/* Data past a known end. */
	assert_int_equal(feed(net, make_frag(st, 12, 1480, 520, false)), -EINPROGRESS);
	assert_int_equal(feed(net, make_frag(st, 12, 2000, 8, true)), -EINVAL);
	assert_int_equal(ipstat(net, IPSTATS_MIB_REASMFAILS), 2);
	assert_int_equal(drops(net, SKB_DROP_REASON_TN_FRAG_INVALID), 4);
}

/*
 * Linux's rule: a non-last fragment is cut down to a multiple of 8 bytes
 * (the byte past it is lost, as the next fragment must start on 8).
 */
static void odd_length_middle_fragment_then_trimmed_to_8(void **state)
{
	struct tn_stack *st = *state;
	struct net *net = st->init_net;
	struct sk_buff *last = make_frag(st, 13, 1000, 500, false);
	struct sk_buff *first = make_frag(st, 13, 0, 1001, true);
	static u8 dg[2000];

	assert_int_equal(feed(net, first), -EINPROGRESS);
	assert_int_equal(feed(net, last), 0);
	assert_int_equal(last->len, 1520);
	datagram_bytes(dg, NULL, 0, 1500, 13, 0);
	assert_memory_equal(last->data, dg, 1520);
	consume_skb(last);
}

static void odd_length_middle_fragment_then_hole_times_out(void **state)
{
	struct tn_stack *st = *state;
	struct net *net = st->init_net;

	assert_int_equal(feed(net, make_frag(st, 14, 0, 1480, true)), -EINPROGRESS);
	assert_int_equal(feed(net, make_frag(st, 14, 1480, 13, true)), -EINPROGRESS);
	assert_int_equal(feed(net, make_frag(st, 14, 1496, 100, false)), -EINPROGRESS);
	assert_int_equal(ip_frag_nqueues(net), 1);
	tn_test_run(st, 30000);
	assert_int_equal(ip_frag_nqueues(net), 0);
	assert_int_equal(ipstat(net, IPSTATS_MIB_REASMTIMEOUT), 1);
}

static void zero_length_fragment_then_dropped(void **state)
{
	struct tn_stack *st = *state;
	struct net *net = st->init_net;

	assert_int_equal(feed(net, make_frag(st, 15, 8, 4, true)), -EINVAL);
	assert_int_equal(ip_frag_nqueues(net), 0);
	assert_int_equal(ipstat(net, IPSTATS_MIB_REASMFAILS), 1);
}

static void not_a_fragment_then_returned_untouched(void **state)
{
	struct tn_stack *st = *state;
	struct net *net = st->init_net;
	struct sk_buff *skb = make_frag(st, 16, 0, 100, false);

	assert_int_equal(feed(net, skb), 0);
	assert_int_equal(skb->len, 120);
	assert_int_equal(ipstat(net, IPSTATS_MIB_REASMREQDS), 0);
	consume_skb(skb);
}

/* ---- timeout, memory, disorder ----------------------------------------------- */

static void first_fragment_only_then_timeout_after_30s(void **state)
{
	struct tn_stack *st = *state;
	struct net *net = st->init_net;

	assert_int_equal(feed(net, make_frag(st, 20, 0, 1480, true)), -EINPROGRESS);
	assert_int_equal(feed(net, make_frag(st, 20, 2960, 100, false)), -EINPROGRESS);
	tn_test_run(st, 29999);
	assert_int_equal(ip_frag_nqueues(net), 1);
	assert_int_equal(ipstat(net, IPSTATS_MIB_REASMTIMEOUT), 0);
	tn_test_run(st, 1);
	assert_int_equal(ip_frag_nqueues(net), 0);
	assert_int_equal(ip_frag_mem(net), 0);
	assert_int_equal(ipstat(net, IPSTATS_MIB_REASMTIMEOUT), 1);
	assert_int_equal(ipstat(net, IPSTATS_MIB_REASMFAILS), 1);
	assert_int_equal(drops(net, SKB_DROP_REASON_FRAG_REASM_TIMEOUT), 2);
}

static void ipfrag_time_changed_then_timeout_follows(void **state)
{
	struct tn_stack *st = *state;
	struct net *net = st->init_net;

	assert_int_equal(net->ipv4.sysctl_ipfrag_time, 30000);
	net->ipv4.sysctl_ipfrag_time = 5 * HZ;
	assert_int_equal(feed(net, make_frag(st, 21, 8, 8, true)), -EINPROGRESS);
	tn_test_run(st, 5000);
	assert_int_equal(ip_frag_nqueues(net), 0);
	assert_int_equal(ipstat(net, IPSTATS_MIB_REASMTIMEOUT), 1);
}

static void over_high_thresh_then_oldest_evicted_to_low(void **state)
{
	struct tn_stack *st = *state;
	struct net *net = st->init_net;
	struct sk_buff *probe = make_frag(st, 30, 0, 1000, true);
	u32 ts = probe->truesize;

	assert_int_equal(net->ipv4.sysctl_ipfrag_high_thresh, 4194304);
	assert_int_equal(net->ipv4.sysctl_ipfrag_low_thresh, 3145728);
	net->ipv4.sysctl_ipfrag_high_thresh = (int)(3 * ts);
	net->ipv4.sysctl_ipfrag_low_thresh = (int)(1 * ts);
	assert_int_equal(feed(net, probe), -EINPROGRESS);
	assert_int_equal(feed(net, make_frag(st, 31, 0, 1000, true)), -EINPROGRESS);
	assert_int_equal(feed(net, make_frag(st, 32, 0, 1000, true)), -EINPROGRESS);
	assert_int_equal(ip_frag_mem(net), 3 * (u64)ts);
	/* The fourth does not fit: 30 and 31 go (down to one queue). */
	assert_int_equal(feed(net, make_frag(st, 33, 0, 1000, true)), -EINPROGRESS);
	assert_int_equal(ip_frag_nqueues(net), 2);
	assert_int_equal(ipstat(net, IPSTATS_MIB_REASMFAILS), 2);
	assert_int_equal(drops(net, SKB_DROP_REASON_NOMEM), 2);
	/* 32 is still there: its last fragment completes it. */
	struct sk_buff *last = make_frag(st, 32, 1000, 8, false);
	assert_int_equal(feed(net, last), 0);
	consume_skb(last);

	/* A fragment bigger than the whole budget is refused. */
	net->ipv4.sysctl_ipfrag_high_thresh = (int)(ts / 2);
	net->ipv4.sysctl_ipfrag_low_thresh = 0;
	assert_int_equal(feed(net, make_frag(st, 34, 0, 1000, true)), -ENOMEM);
	assert_int_equal(ip_frag_nqueues(net), 0);
	assert_int_equal(ipstat(net, IPSTATS_MIB_REASMFAILS), 4);
}

static void more_than_max_dist_others_then_queue_restarted(void **state)
{
	struct tn_stack *st = *state;
	struct net *net = st->init_net;
	struct sk_buff *last = make_frag(st, 40, 1480, 100, false);

	assert_int_equal(net->ipv4.sysctl_ipfrag_max_dist, 64);
	net->ipv4.sysctl_ipfrag_max_dist = 2;
	assert_int_equal(feed(net, make_frag(st, 40, 0, 1480, true)), -EINPROGRESS);
	for (u16 id = 41; id < 44; id++)
		assert_int_equal(feed(net, make_frag(st, id, 0, 8, true)), -EINPROGRESS);
	/* Three of the peer's fragments went by: datagram 40 starts over,
	 * so its last fragment alone does not complete it. */
	assert_int_equal(feed(net, last), -EINPROGRESS);
	assert_int_equal(drops(net, SKB_DROP_REASON_FRAG_TOO_FAR), 1);
	assert_int_equal(ipstat(net, IPSTATS_MIB_REASMFAILS), 1);
	assert_int_equal(ip_frag_nqueues(net), 4);
}

static void max_dist_zero_then_no_disorder_check(void **state)
{
	struct tn_stack *st = *state;
	struct net *net = st->init_net;
	struct sk_buff *last = make_frag(st, 50, 1480, 100, false);

	net->ipv4.sysctl_ipfrag_max_dist = 0;
	assert_int_equal(feed(net, make_frag(st, 50, 0, 1480, true)), -EINPROGRESS);
	for (u16 id = 51; id < 200; id++)
		assert_int_equal(feed(net, make_frag(st, id, 0, 8, true)), -EINPROGRESS);
	assert_int_equal(feed(net, last), 0);
	consume_skb(last);
}

/* ---- reassembly details and failures ------------------------------------------ */

static void df_fragments_then_datagram_keeps_df_and_frag_pmtu(void **state)
{
	struct tn_stack *st = *state;
	struct net *net = st->init_net;
	struct sk_buff *a = make_frag(st, 60, 0, 1480, true);
	struct sk_buff *b = make_frag(st, 60, 1480, 100, false);

	/* DF on the big one only (a sender doing PMTU discovery after the
	 * fragments were cut further on the path). */
	put_be16(a->data + 6, IP_MF | IP_DF);
	put_be16(a->data + 10, 0);
	put_be16(a->data + 10, ref_csum(a->data, 20));
	assert_int_equal(feed(net, b), -EINPROGRESS);
	assert_int_equal(feed(net, a), 0);
	assert_int_equal(get_be16(a->data + 6), IP_DF);
	assert_int_equal(IPCB(a)->frag_max_size, 1500);
	assert_true(IPCB(a)->flags & IPSKB_FRAG_PMTU);
	assert_int_equal(ref_csum(a->data, 20), 0);

	/* Refragmented to the same size on the way out: allowed, DF kept. */
	assert_int_equal(ip_fragment(net, NULL, a, 1500, capture_output), 0);
	assert_int_equal(skb_queue_len(&captured), 2);
	assert_int_equal(get_be16(skb_peek(&captured)->data + 6), IP_DF | IP_MF);
}

static void ecn_not_ect_mixed_with_ect_then_dropped(void **state)
{
	struct tn_stack *st = *state;
	struct net *net = st->init_net;
	struct sk_buff *a = make_frag(st, 61, 0, 8, true);
	struct sk_buff *b = make_frag(st, 61, 8, 8, false);

	a->data[1] = 2;   /* ECT(0) */
	put_be16(a->data + 10, 0);
	put_be16(a->data + 10, ref_csum(a->data, 20));
	assert_int_equal(feed(net, a), -EINPROGRESS);
	assert_int_equal(feed(net, b), -EINVAL);
	assert_int_equal(ipstat(net, IPSTATS_MIB_REASMFAILS), 1);
	assert_int_equal(ip_frag_nqueues(net), 0);
}

static void queue_alloc_fails_then_nomem(void **state)
{
	struct tn_stack *st = *state;
	struct net *net = st->init_net;

	tn_fault_set(st, TN_FAULT_GENERIC, 1, 1);
	assert_int_equal(feed(net, make_frag(st, 70, 0, 8, true)), -ENOMEM);
	assert_int_equal(ipstat(net, IPSTATS_MIB_REASMFAILS), 1);
	assert_int_equal(drops(net, SKB_DROP_REASON_NOMEM), 1);
	assert_int_equal(ip_frag_nqueues(net), 0);
}

static void rebuild_alloc_fails_then_datagram_dropped_no_leak(void **state)
{
	struct tn_stack *st = *state;
	struct net *net = st->init_net;
	/* The completing fragment is small: rebuilding needs a bigger buffer. */
	struct sk_buff *last = make_frag(st, 71, 1480, 8, false);

	assert_int_equal(feed(net, make_frag(st, 71, 0, 1480, true)), -EINPROGRESS);
	tn_fault_set(st, TN_FAULT_SKB, 1, 1);
	assert_int_equal(feed(net, last), -ENOMEM);
	tn_fault_set(st, TN_FAULT_SKB, 0, 0);
	assert_int_equal(ip_frag_nqueues(net), 0);
	assert_int_equal(ipstat(net, IPSTATS_MIB_REASMFAILS), 1);
	assert_int_equal(ipstat(net, IPSTATS_MIB_REASMOKS), 0);
	assert_int_equal(drops(net, SKB_DROP_REASON_NOMEM), 2);
}

static void cloned_fragment_then_rebuilt_privately(void **state)
{
	struct tn_stack *st = *state;
	struct net *net = st->init_net;
	struct sk_buff *last = make_frag(st, 72, 1480, 8, false);
	struct sk_buff *tap = skb_clone(last);
	u8 before[28];

	memcpy(before, last->data, sizeof(before));
	assert_int_equal(feed(net, make_frag(st, 72, 0, 1480, true)), -EINPROGRESS);
	assert_int_equal(feed(net, last), 0);
	assert_int_equal(last->len, 1508);
	/* The tap's view of the fragment is not written over. */
	assert_memory_equal(tap->data, before, sizeof(before));
	consume_skb(tap);
	consume_skb(last);
}

static void namespace_destroyed_with_queues_then_nothing_leaks(void **state)
{
	struct tn_stack *st = *state;
	int err = 0;
	struct net *ns = net_create(st, "fragns", &err);

	assert_non_null(ns);
	assert_int_equal(ns->ipv4.sysctl_ipfrag_time, 30000);
	assert_int_equal(feed(ns, make_frag(st, 80, 0, 1480, true)), -EINPROGRESS);
	assert_int_equal(feed(ns, make_frag(st, 81, 8, 8, false)), -EINPROGRESS);
	assert_int_equal(ip_frag_nqueues(ns), 2);
	assert_int_equal(ip_frag_nqueues(st->init_net), 0);
	net_destroy(ns);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(datagram_4000_mtu_1500_exact_fragments),
		T(options_not_copied_become_nops_after_first),
		T(df_set_then_emsgsize_and_fragfails),
		T(mtu_too_small_then_fragfails),
		T(alloc_fails_mid_datagram_then_fragfails_no_leak),
		T(output_fails_then_rest_dropped),
		T(random_sizes_mtus_orders_then_byte_exact_round_trip),
		T(max_size_datagram_then_round_trip),
		T(duplicate_fragment_then_dropped_alone),
		T(partial_overlap_then_datagram_dropped),
		T(covering_overlap_then_datagram_dropped),
		T(overlap_across_two_runs_then_datagram_dropped),
		T(fragment_beyond_65535_then_dropped),
		T(last_fragment_contradicts_length_then_dropped),
		T(odd_length_middle_fragment_then_trimmed_to_8),
		T(odd_length_middle_fragment_then_hole_times_out),
		T(zero_length_fragment_then_dropped),
		T(not_a_fragment_then_returned_untouched),
		T(first_fragment_only_then_timeout_after_30s),
		T(ipfrag_time_changed_then_timeout_follows),
		T(over_high_thresh_then_oldest_evicted_to_low),
		T(more_than_max_dist_others_then_queue_restarted),
		T(max_dist_zero_then_no_disorder_check),
		T(df_fragments_then_datagram_keeps_df_and_frag_pmtu),
		T(ecn_not_ect_mixed_with_ect_then_dropped),
		T(queue_alloc_fails_then_nomem),
		T(rebuild_alloc_fails_then_datagram_dropped_no_leak),
		T(cloned_fragment_then_rebuilt_privately),
		T(namespace_destroyed_with_queues_then_nothing_leaks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
