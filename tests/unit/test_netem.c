/*
 * netem on the root of the test device, in virtual time: delay and jitter
 * read from the time each frame reaches the driver (its tstamp), loss,
 * duplication, reordering with a gap, corruption of exactly one bit, the
 * serialisation time of `rate`, the limit, live changes, tc's parse errors
 * and `tc qdisc show` text, and a configuration that survives down/up.
 *
 * Randomness is per qdisc and seeded from the stack, so every figure here
 * replays; statistical tests assert a range and, separately, that two runs
 * with the same seed agree packet for packet.
 */
#include <errno.h>
#include "tn_test.h"
#include "net/sch_generic.h"
#include "net/testdev.h"
#include "net/checksum.h"

#define FRAME_LEN 60
#define ETH_P_TEST 0x88b5   /* IEEE local experimental EtherType */
#define MS TN_NSEC_PER_JIFFY

/* ---- fixtures ---------------------------------------------------------- */

static void frame_bytes(const struct net_device *dev, u16 id, u8 *f, unsigned int len)
{
	memset(f, 0xff, ETH_ALEN);
	memcpy(f + ETH_ALEN, dev->dev_addr, ETH_ALEN);
	put_be16(f + 12, ETH_P_TEST);
	for (unsigned int i = 14; i < len; i++)
		f[i] = (u8)(i + id);
	put_be16(f + 14, id);
}

static struct sk_buff *test_skb_len(struct net_device *dev, u16 id, unsigned int len)
{
	struct sk_buff *skb = alloc_skb(dev->stack, NET_SKB_PAD + len);
	u8 f[2048];

	assert_non_null(skb);
	assert_true(len <= sizeof(f));
	skb_reserve(skb, NET_SKB_PAD);
	frame_bytes(dev, id, f, len);
	skb_put_data(skb, f, len);
	skb->dev = dev;
	skb->protocol = ETH_P_TEST;
	return skb;
}

static int xmit(struct net_device *dev, u16 id)
{
	return dev_queue_xmit(test_skb_len(dev, id, FRAME_LEN));
}

static u16 frame_id(const struct sk_buff *skb)
{
	return get_be16(skb->data + 14);
}

/* Pop the next frame: it must be frame id, byte for byte; returns its time. */
static u64 expect_tx(struct net_device *dev, u16 id)
{
	u8 f[FRAME_LEN];
	struct sk_buff *skb = testdev_pop_tx(dev);
	u64 t;

	assert_non_null(skb);
	frame_bytes(dev, id, f, FRAME_LEN);
	assert_int_equal(skb->len, FRAME_LEN);
	assert_memory_equal(skb->data, f, FRAME_LEN);
	t = skb->tstamp;
	consume_skb(skb);
	return t;
}

static struct net_device *test_dev(struct tn_stack *st)
{
	struct net_device *dev = testdev_create(st->init_net, "tt0", true);

	assert_non_null(dev);
	return dev;
}

#define ARGV(...) ((char *[]){ __VA_ARGS__, NULL })
#define NARGS(...) ((int)(sizeof((char *[]){ __VA_ARGS__ }) / sizeof(char *)))
/* argc, argv of a table row. */
#define ARGS(...) NARGS(__VA_ARGS__), ARGV(__VA_ARGS__)
/* `tc qdisc replace dev D root netem ARGS...`, which must succeed. */
#define NETEM(dev, ...) netem_root(dev, NARGS(__VA_ARGS__), ARGV(__VA_ARGS__))

static struct Qdisc *netem_root(struct net_device *dev, int argc, char **argv)
{
	char errmsg[TC_ERRMSG_LEN];
	int err = qdisc_create_root(dev, "netem", argc, argv, errmsg);

	if (err)
		fail_msg("netem: %d %s", err, errmsg);
	assert_ptr_equal(dev->qdisc->ops, &netem_qdisc_ops);
	return dev->qdisc;
}

static const char *dump(struct Qdisc *q, char *buf, size_t len)
{
	int n = q->ops->dump(q, buf, len);

	assert_true(n > 0 && (size_t)n < len);
	return buf;
}

/* ---- delay and jitter -------------------------------------------------- */

static void test_delay_100ms_then_each_frame_leaves_exactly_100ms_later(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = test_dev(st);
	struct Qdisc *q = NETEM(dev, "delay", "100ms");
	u64 t0 = tn_now(st);

	assert_int_equal(xmit(dev, 0), NET_XMIT_SUCCESS);
	tn_test_run(st, 30);
	assert_int_equal(xmit(dev, 1), NET_XMIT_SUCCESS);
	assert_int_equal(q->qstats.qlen, 2);
	assert_true(timer_pending(&q->watchdog));

	tn_test_run(st, 69);
	assert_int_equal(testdev_tx_count(dev), 0);
	tn_test_run(st, 1);
	assert_int_equal(expect_tx(dev, 0), t0 + 100 * MS);
	tn_test_run(st, 29);
	assert_int_equal(testdev_tx_count(dev), 0);
	tn_test_run(st, 1);
	assert_int_equal(expect_tx(dev, 1), t0 + 130 * MS);
	assert_int_equal(q->qstats.qlen, 0);
	assert_int_equal(q->bstats.packets, 2);
	assert_false(timer_pending(&q->watchdog));
	tn_test_stack_free(st);
}

#define JITTER_FRAMES 64

/* One run of delay 50ms 10ms [distribution d] on a stack seeded `seed`:
 * each frame's time in the qdisc, by id. */
static void jitter_run(u64 seed, const char *dist, u64 delay[JITTER_FRAMES])
{
	struct tn_stack *st = tn_stack_alloc(true, seed);
	struct net_device *dev;
	u64 sent[JITTER_FRAMES];
	struct sk_buff *skb;

	assert_non_null(st);
	tn_stack_lock(st);
	dev = test_dev(st);
	if (dist)
		NETEM(dev, "delay", "50ms", "10ms", "distribution", (char *)dist);
	else
		NETEM(dev, "delay", "50ms", "10ms");
	for (u16 id = 0; id < JITTER_FRAMES; id++) {
		sent[id] = tn_now(st);
		xmit(dev, id);
		tn_test_run(st, 1);
	}
	tn_test_run(st, 200);
	assert_int_equal(testdev_tx_count(dev), JITTER_FRAMES);
	while ((skb = testdev_pop_tx(dev)) != NULL) {
		delay[frame_id(skb)] = skb->tstamp - sent[frame_id(skb)];
		consume_skb(skb);
	}
	tn_test_stack_free(st);
}

static void test_jitter_then_bounded_and_same_seed_replays(void **state)
{
	u64 a[JITTER_FRAMES], b[JITTER_FRAMES], c[JITTER_FRAMES];
	bool spread = false;

	jitter_run(1, NULL, a);
	jitter_run(1, NULL, b);
	jitter_run(2, NULL, c);
	for (int i = 0; i < JITTER_FRAMES; i++) {
		/* Uniform in [40ms, 60ms), then up to the next jiffy. */
		assert_in_range(a[i], 40 * MS, 60 * MS);
		spread |= a[i] != a[0];
	}
	assert_true(spread);
	assert_memory_equal(a, b, sizeof(a));
	assert_memory_not_equal(a, c, sizeof(a));
}

static void test_normal_and_pareto_jitter_then_within_table_range_and_replay(void **state)
{
	static const char *const dists[] = { "normal", "pareto", "paretonormal", "uniform" };
	u64 a[JITTER_FRAMES], b[JITTER_FRAMES];

	for (size_t d = 0; d < ARRAY_SIZE(dists); d++) {
		jitter_run(3, dists[d], a);
		jitter_run(3, dists[d], b);
		assert_memory_equal(a, b, sizeof(a));
		/* The tables stop at +-4 sigma (s16 / 8192). */
		for (int i = 0; i < JITTER_FRAMES; i++)
			assert_in_range(a[i], 10 * MS, 91 * MS);
	}
}

/* ---- loss -------------------------------------------------------------- */

static void test_loss_100_then_nothing_leaves_and_drops_counted(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = test_dev(st);
	struct Qdisc *q = NETEM(dev, "loss", "100%");

	for (u16 id = 0; id < 100; id++)
		assert_int_equal(xmit(dev, id), NET_XMIT_SUCCESS);   /* as Linux: not told */
	tn_test_run(st, 10);
	assert_int_equal(testdev_tx_count(dev), 0);
	assert_int_equal(q->qstats.drops, 100);
	assert_int_equal(dev_net(dev)->core.drops[SKB_DROP_REASON_QDISC_DROP], 100);
	assert_int_equal(q->qstats.qlen, 0);
	tn_test_stack_free(st);
}

#define LOSS_FRAMES 10000

/* 10,000 frames through `netem ARGS` on a stack seeded 1: how many were
 * lost, and in how many runs of consecutive losses. */
static u32 loss_run(int argc, char **argv, u32 *bursts)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = test_dev(st);
	struct Qdisc *q = netem_root(dev, argc, argv);
	bool prev_lost = false;
	u32 drops;

	*bursts = 0;
	for (u16 id = 0; id < LOSS_FRAMES; id++) {
		u32 before = q->qstats.drops;
		bool lost;

		xmit(dev, id);
		lost = q->qstats.drops != before;
		if (lost && !prev_lost)
			(*bursts)++;
		prev_lost = lost;
		testdev_clear_tx(dev);
	}
	drops = q->qstats.drops;
	tn_test_stack_free(st);
	return drops;
}

static void test_loss_30_over_10000_then_near_30_percent_and_replays(void **state)
{
	u32 b1, b2, b3;
	u32 d1 = loss_run(2, ARGV("loss", "30%"), &b1);
	u32 d2 = loss_run(2, ARGV("loss", "30%"), &b2);
	u32 d3 = loss_run(3, ARGV("loss", "30%", "25%"), &b3);

	/* 30% of 10,000: sigma is 46, so 2,800..3,200 is more than 4 sigma. */
	assert_in_range(d1, 2800, 3200);
	assert_int_equal(d1, d2);
	assert_int_equal(b1, b2);
	/* Correlated losses come in longer runs. As on Linux, get_crandom()
	 * also narrows the spread of the draws, which lowers the loss rate
	 * (2,382 with this seed): that is netem's known behaviour, kept. */
	assert_in_range(d3, 2000, 2800);
	assert_true((double)d3 / b3 > (double)d1 / b1);
}

/* ---- duplicate, reorder, corrupt --------------------------------------- */

static void test_duplicate_100_then_every_frame_twice(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = test_dev(st);
	struct Qdisc *q = NETEM(dev, "duplicate", "100%");

	for (u16 id = 0; id < 5; id++)
		xmit(dev, id);
	do_softirq(st);
	assert_int_equal(testdev_tx_count(dev), 10);
	for (u16 id = 0; id < 5; id++) {
		expect_tx(dev, id);
		expect_tx(dev, id);
	}
	assert_int_equal(q->bstats.packets, 10);
	assert_int_equal(q->qstats.drops, 0);
	tn_test_stack_free(st);
}

static void test_reorder_100_gap_5_then_every_fifth_goes_first(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = test_dev(st);
	struct Qdisc *q = NETEM(dev, "delay", "10ms", "reorder", "100%", "gap", "5");
	static const u16 late[] = { 0, 1, 2, 3, 5, 6, 7, 8 };
	u64 t0 = tn_now(st);

	for (u16 id = 0; id < 10; id++)
		xmit(dev, id);
	/* The 5th and 10th skip the delay. */
	assert_int_equal(testdev_tx_count(dev), 2);
	assert_int_equal(expect_tx(dev, 4), t0);
	assert_int_equal(expect_tx(dev, 9), t0);
	assert_int_equal(q->qstats.requeues, 2);
	tn_test_run(st, 10);
	for (size_t i = 0; i < ARRAY_SIZE(late); i++)
		assert_int_equal(expect_tx(dev, late[i]), t0 + 10 * MS);
	tn_test_stack_free(st);
}

/* Bits in which a and b differ. */
static int bits_differ(const u8 *a, const u8 *b, unsigned int len, unsigned int *first)
{
	int n = 0;

	for (unsigned int i = 0; i < len; i++) {
		if (a[i] != b[i] && n == 0)
			*first = i;
		n += __builtin_popcount(a[i] ^ b[i]);
	}
	return n;
}

static void test_corrupt_100_then_exactly_one_bit_beyond_link_header(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = test_dev(st);
	u8 f[FRAME_LEN];
	unsigned int at = 0;

	NETEM(dev, "corrupt", "100%", "duplicate", "100%");
	for (u16 id = 0; id < 20; id++) {
		xmit(dev, id);
		frame_bytes(dev, id, f, FRAME_LEN);
		/* The original and its duplicate (which shared its data when
		 * cloned) are each one bit off the frame sent. */
		for (int copy = 0; copy < 2; copy++) {
			struct sk_buff *skb = testdev_pop_tx(dev);

			assert_non_null(skb);
			assert_int_equal(skb->len, FRAME_LEN);
			assert_int_equal(bits_differ(skb->data, f, FRAME_LEN, &at), 1);
			assert_true(at >= ETH_HLEN);
			consume_skb(skb);
		}
	}
	tn_test_stack_free(st);
}

static void test_corrupt_checksum_partial_then_checksummed_before_flip(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = test_dev(st);
	struct sk_buff *skb = test_skb_len(dev, 7, FRAME_LEN);
	unsigned int start = 20, field = 6, at = 0;
	u8 want[FRAME_LEN];

	NETEM(dev, "corrupt", "100%");
	/* A transport header at 20 with its checksum field at +6, zero. */
	put_be16(skb->data + start + field, 0);
	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum_start = (u16)(skb->data - skb->head + start);
	skb->csum_offset = (u16)field;
	memcpy(want, skb->data, FRAME_LEN);
	put_be16(want + start + field,
		 csum_fold(csum_partial(want + start, FRAME_LEN - start, 0)));

	dev_queue_xmit(skb);
	skb = testdev_pop_tx(dev);
	assert_non_null(skb);
	assert_int_equal(skb->ip_summed, CHECKSUM_NONE);
	assert_int_equal(bits_differ(skb->data, want, FRAME_LEN, &at), 1);
	consume_skb(skb);
	tn_test_stack_free(st);
}

/* ---- rate and limit ---------------------------------------------------- */

static void test_rate_1mbit_then_1250_byte_frames_leave_10ms_apart(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = test_dev(st);
	struct sk_buff *skb;
	u64 t0 = tn_now(st);

	NETEM(dev, "rate", "1mbit");
	for (u16 id = 0; id < 10; id++)
		dev_queue_xmit(test_skb_len(dev, id, 1250));
	tn_test_run(st, 200);
	assert_int_equal(testdev_tx_count(dev), 10);
	for (u16 id = 0; id < 10; id++) {
		skb = testdev_pop_tx(dev);
		assert_int_equal(frame_id(skb), id);
		/* 1250 bytes are 10,000 bits: 10 ms at 1 Mbit/s each. */
		assert_int_equal(skb->tstamp, t0 + (id + 1) * 10 * MS);
		consume_skb(skb);
	}
	tn_test_stack_free(st);
}

static void test_limit_5_then_three_of_eight_dropped(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = test_dev(st);
	struct Qdisc *q = NETEM(dev, "delay", "100ms", "limit", "5");

	for (u16 id = 0; id < 8; id++)
		assert_int_equal(xmit(dev, id), id < 5 ? NET_XMIT_SUCCESS : NET_XMIT_DROP);
	assert_int_equal(q->qstats.qlen, 5);
	assert_int_equal(q->qstats.drops, 3);
	tn_test_run(st, 100);
	for (u16 id = 0; id < 5; id++)
		expect_tx(dev, id);
	assert_int_equal(testdev_tx_count(dev), 0);
	tn_test_stack_free(st);
}

/* ---- change, errors, dump ---------------------------------------------- */

static void test_change_delay_live_then_queued_keep_their_time(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = test_dev(st);
	struct Qdisc *q = NETEM(dev, "delay", "100ms", "rate", "1mbit", "seed", "5");
	char errmsg[TC_ERRMSG_LEN], before[256], buf[256];
	u64 t0 = tn_now(st);

	xmit(dev, 0);   /* 60 bytes at 1 Mbit/s: 0.48 ms more */
	assert_int_equal(qdisc_change_root(dev, 4, ARGV("delay", "10ms", "seed", "5"), errmsg), 0);
	assert_ptr_equal(dev->qdisc, q);
	/* Rate was not named: kept, as Linux keeps what tc does not send. */
	assert_string_equal(dump(q, buf, sizeof(buf)), "limit 1000 delay 10ms rate 1Mbit seed 5");
	dump(q, before, sizeof(before));
	assert_int_equal(qdisc_change_root(dev, 2, ARGV("delay", "x"), errmsg), -EINVAL);
	assert_string_equal(errmsg, "Illegal \"latency\"");
	assert_string_equal(dump(q, buf, sizeof(buf)), before);

	/* Frame 1 waits behind frame 0 (time 100.48 ms) for the rate only. */
	tn_stack_run_until_locked(st, t0 + 1 * MS);
	xmit(dev, 1);
	assert_int_equal(qdisc_change_root(dev, 2, ARGV("delay", "10ms"), errmsg), 0);
	xmit(dev, 2);
	tn_test_run(st, 200);
	assert_int_equal(expect_tx(dev, 0), t0 + 101 * MS);
	assert_int_equal(expect_tx(dev, 1), t0 + 101 * MS);
	assert_int_equal(expect_tx(dev, 2), t0 + 102 * MS);
	tn_test_stack_free(st);
}

struct parse_case {
	int argc;
	char **argv;
	int err;
	const char *msg;
};

static void test_bad_arguments_then_tc_messages_and_root_unchanged(void **state)
{
	const struct parse_case cases[] = {
		{ ARGS("delay"), -EINVAL, "Command line is not complete. Try option \"help\"" },
		{ ARGS("delay", "foo"), -EINVAL, "Illegal \"latency\"" },
		{ ARGS("delay", "1ms", "2parsecs"), -EINVAL, "Illegal \"latency\"" },
		{ ARGS("loss", "foo"), -EINVAL, "Unknown loss parameter: foo" },
		{ ARGS("loss", "101%"), -EINVAL, "Illegal \"loss percent\"" },
		{ ARGS("loss", "1%", "loss", "2%"), -EINVAL,
		  "Illegal \"duplicate loss argument\"" },
		{ ARGS("loss", "state", "1%"), -EOPNOTSUPP,
		  "Error: netem: loss model \"state\" is not supported." },
		{ ARGS("loss", "gemodel", "1%"), -EOPNOTSUPP,
		  "Error: netem: loss model \"gemodel\" is not supported." },
		{ ARGS("limit", "foo"), -EINVAL, "Illegal \"limit\"" },
		{ ARGS("duplicate", "x"), -EINVAL, "Illegal \"duplicate\"" },
		{ ARGS("corrupt", "-1"), -EINVAL, "Illegal \"corrupt\"" },
		{ ARGS("rate", "foo"), -EINVAL, "Illegal \"rate\"" },
		{ ARGS("rate", "10furlongs"), -EINVAL, "Illegal \"rate\"" },
		{ ARGS("bogus"), -EINVAL, "What is \"bogus\"?" },
		{ ARGS("reorder", "25%"), -EINVAL,
		  "reordering not possible without specifying some delay" },
		{ ARGS("delay", "10ms", "gap", "5"), -EINVAL,
		  "gap specified without reorder probability" },
		{ ARGS("distribution", "normal"), -EINVAL,
		  "distribution specified but no latency and jitter values" },
		{ ARGS("delay", "10ms", "distribution", "foo"), -EINVAL,
		  "No distribution data for foo" },
		{ ARGS("delay", "10ms", "slot", "1ms"), -EOPNOTSUPP,
		  "Error: netem: slot is not supported." },
	};
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = test_dev(st);
	struct Qdisc *root = dev->qdisc;
	char errmsg[TC_ERRMSG_LEN];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		int err = qdisc_create_root(dev, "netem", cases[i].argc, cases[i].argv, errmsg);

		if (err != cases[i].err || strcmp(errmsg, cases[i].msg) != 0)
			fail_msg("case %zu (%s): %d \"%s\"", i, cases[i].argv[0], err, errmsg);
	}
	assert_ptr_equal(dev->qdisc, root);
	assert_string_equal(dev_qdisc_kind(dev), "pfifo_fast");
	tn_test_stack_free(st);
}

struct dump_case {
	int argc;
	char **argv;
	const char *text;
};

static void test_dump_then_tc_qdisc_show_text(void **state)
{
	const struct dump_case cases[] = {
		{ ARGS("seed", "7"), "limit 1000 seed 7" },
		{ ARGS("delay", "100ms", "10ms", "loss", "1%", "duplicate", "2%",
			   "reorder", "25%", "50%", "corrupt", "0.5%", "rate", "1mbit",
			   "gap", "5", "seed", "7", "limit", "1000"),
		  "limit 1000 delay 100ms  10ms loss 1% duplicate 2% reorder 25% 50% "
		  "corrupt 0.5% rate 1Mbit seed 7 gap 5" },
		{ ARGS("lim", "20", "del", "10ms", "seed", "1"), "limit 20 delay 10ms seed 1" },
		{ ARGS("delay", "10ms", "1ms", "25%", "seed", "1" ),
		  "limit 1000 delay 10ms  1ms 25% seed 1" },
		{ ARGS("delay", "1.5ms", "seed", "1"), "limit 1000 delay 1.5ms seed 1" },
		{ ARGS("delay", "1234567us", "seed", "1"), "limit 1000 delay 1.23s seed 1" },
		{ ARGS("delay", "250", "seed", "1"), "limit 1000 delay 250us seed 1" },  /* bare: us */
		{ ARGS("delay", "500us", "20us", "seed", "1"),
		  "limit 1000 delay 500us  20us seed 1" },
		{ ARGS("delay", "10ms", "reorder", "25%", "seed"),
		  NULL /* incomplete: checked below */ },
		{ ARGS("delay", "10ms", "reorder", "25%", "seed", "1"),
		  "limit 1000 delay 10ms reorder 25% seed 1 gap 1" },
		/* tc's rounding through U32_MAX shows, as on Linux. */
		{ ARGS("loss", "random", "0.001%", "seed", "1"),
		  "limit 1000 loss 0.00100001% seed 1" },
		{ ARGS("loss", "30%", "25", "seed", "1"), "limit 1000 loss 30% 25% seed 1" },
		{ ARGS("corrupt", "1%", "25%", "seed", "1"),
		  "limit 1000 corrupt 1% 25% seed 1" },
		{ ARGS("rate", "1500kbit", "seed", "1"), "limit 1000 rate 1500Kbit seed 1" },
		{ ARGS("rate", "100kbps", "seed", "1"), "limit 1000 rate 800Kbit seed 1" },
		{ ARGS("rate", "8bit", "seed", "1"), "limit 1000 rate 8bit seed 1" },
		{ ARGS("rate", "2.5gbit", "seed", "1"), "limit 1000 rate 2500Mbit seed 1" },
		{ ARGS("rate", "1mbit", "20", "100", "-5", "seed", "1"),
		  "limit 1000 rate 1Mbit packetoverhead 20 cellsize 100 celloverhead -5 seed 1" },
	};
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = test_dev(st);
	char errmsg[TC_ERRMSG_LEN], buf[256];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		int err = qdisc_create_root(dev, "netem", cases[i].argc, cases[i].argv, errmsg);

		if (!cases[i].text) {
			assert_int_equal(err, -EINVAL);
			continue;
		}
		if (err)
			fail_msg("case %zu: %d %s", i, err, errmsg);
		dump(dev->qdisc, buf, sizeof(buf));
		if (strcmp(buf, cases[i].text) != 0)
			fail_msg("case %zu: \"%s\"", i, buf);
	}
	tn_test_stack_free(st);
}

static void test_seed_option_then_same_losses_on_any_stack(void **state)
{
	u64 seeds[] = { 1, 99 };
	u32 lost[2][64];

	for (int r = 0; r < 2; r++) {
		struct tn_stack *st = tn_stack_alloc(true, seeds[r]);
		struct net_device *dev;
		struct Qdisc *q;

		tn_stack_lock(st);
		dev = test_dev(st);
		q = NETEM(dev, "loss", "50%", "seed", "12345");
		for (u16 id = 0; id < 64; id++) {
			xmit(dev, id);
			lost[r][id] = q->qstats.drops;
		}
		testdev_clear_tx(dev);
		tn_test_stack_free(st);
	}
	assert_memory_equal(lost[0], lost[1], sizeof(lost[0]));
}

/* ---- down / up --------------------------------------------------------- */

static void test_netem_root_then_down_up_keeps_it_and_its_delay(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = test_dev(st);
	struct Qdisc *q = NETEM(dev, "delay", "50ms", "seed", "3");
	char before[256], buf[256];
	u64 timers = st->timers.pending, t1;

	dump(q, before, sizeof(before));
	xmit(dev, 0);
	assert_int_equal(st->timers.pending, timers + 1);

	/* Down: the held frame is dropped and counted, the watchdog off. */
	assert_int_equal(dev_close(dev), 0);
	assert_ptr_equal(dev->qdisc, q);
	assert_int_equal(q->qstats.qlen, 0);
	assert_int_equal(q->qstats.drops, 1);
	assert_int_equal(st->timers.pending, timers);
	tn_test_run(st, 100);
	assert_int_equal(testdev_tx_count(dev), 0);

	/* Up: the same qdisc, the same parameters. */
	assert_int_equal(dev_open(dev), 0);
	assert_ptr_equal(dev->qdisc, q);
	assert_string_equal(dump(q, buf, sizeof(buf)), before);
	t1 = tn_now(st);
	xmit(dev, 1);
	tn_test_run(st, 50);
	assert_int_equal(expect_tx(dev, 1), t1 + 50 * MS);
	tn_test_stack_free(st);
}

static void test_netem_added_while_down_then_up_runs_with_its_parameters(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = testdev_create(st->init_net, "tt0", false);
	char buf[256];
	u64 t0;

	assert_non_null(dev);
	NETEM(dev, "delay", "20ms", "seed", "9");
	assert_int_equal(dev_open(dev), 0);
	assert_string_equal(dump(dev->qdisc, buf, sizeof(buf)), "limit 1000 delay 20ms seed 9");
	t0 = tn_now(st);
	xmit(dev, 4);
	tn_test_run(st, 20);
	assert_int_equal(expect_tx(dev, 4), t0 + 20 * MS);
	tn_test_stack_free(st);
}

static void test_netem_root_then_unregister_frees_it_and_its_packets(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = test_dev(st);
	struct net *net = dev_net(dev);
	u64 timers = st->timers.pending;

	NETEM(dev, "delay", "1s");
	xmit(dev, 0);
	xmit(dev, 1);
	unregister_netdevice(dev);
	/* The frames held were dropped and counted; nothing stays armed. The
	 * teardown checks that no skb is left, ASan that no qdisc is. */
	assert_int_equal(net->core.drops[SKB_DROP_REASON_QDISC_DROP], 2);
	assert_int_equal(st->timers.pending, timers);
	tn_test_run(st, 2000);
	tn_test_stack_free(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_delay_100ms_then_each_frame_leaves_exactly_100ms_later),
		cmocka_unit_test(test_jitter_then_bounded_and_same_seed_replays),
		cmocka_unit_test(test_normal_and_pareto_jitter_then_within_table_range_and_replay),
		cmocka_unit_test(test_loss_100_then_nothing_leaves_and_drops_counted),
		cmocka_unit_test(test_loss_30_over_10000_then_near_30_percent_and_replays),
		cmocka_unit_test(test_duplicate_100_then_every_frame_twice),
		cmocka_unit_test(test_reorder_100_gap_5_then_every_fifth_goes_first),
		cmocka_unit_test(test_corrupt_100_then_exactly_one_bit_beyond_link_header),
		cmocka_unit_test(test_corrupt_checksum_partial_then_checksummed_before_flip),
		cmocka_unit_test(test_rate_1mbit_then_1250_byte_frames_leave_10ms_apart),
		cmocka_unit_test(test_limit_5_then_three_of_eight_dropped),
		cmocka_unit_test(test_change_delay_live_then_queued_keep_their_time),
		cmocka_unit_test(test_bad_arguments_then_tc_messages_and_root_unchanged),
		cmocka_unit_test(test_dump_then_tc_qdisc_show_text),
		cmocka_unit_test(test_seed_option_then_same_losses_on_any_stack),
		cmocka_unit_test(test_netem_root_then_down_up_keeps_it_and_its_delay),
		cmocka_unit_test(test_netem_added_while_down_then_up_runs_with_its_parameters),
		cmocka_unit_test(test_netem_root_then_unregister_frees_it_and_its_packets),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
