/*
 * netem: the network emulator qdisc, as Linux's net/sched/sch_netem.c and
 * tc-netem(8). It delays packets (with jitter drawn from a distribution),
 * loses, duplicates, corrupts and reorders them, and can serialise them at
 * a link rate, so that a veth pair inside one process behaves like a long,
 * lossy or slow path.
 *
 * Packets wait in a time-ordered queue (tfifo), each with its time_to_send
 * in skb->cb; dequeue hands out the head once its time has come and
 * otherwise arms the watchdog for that time. Reordered packets skip the
 * delay: they go to the front, into a queue that dequeue serves first, as
 * Linux's sch->q. With `rate`, each packet's time is computed from the time
 * of the last packet queued, so a burst leaves one serialisation time apart.
 *
 * All randomness comes from a generator private to the qdisc, seeded from
 * the stack's generator when the qdisc is configured, or from `seed N`; the
 * seed is shown by `tc qdisc show`, so a run with a fixed stack seed, or a
 * shown seed given back, replays exactly. Correlated draws follow Linux's
 * get_crandom().
 *
 * `tc qdisc change` behaves as Linux's netem_change(): limit, delay, jitter,
 * loss, duplicate and gap are restated by every command (absent: default),
 * while correlations, reorder, corrupt, rate and the distribution stay as
 * they were unless named; the generator is seeded again. Packets already
 * queued keep their times.
 *
 * Differences from Linux, on purpose or for lack of something:
 *  - time has the wheel's granularity: a packet leaves at the first jiffy
 *    (1 ms) at or after its time_to_send; the times themselves are kept in
 *    ns, so rates and jitter stay exact on average;
 *  - distributions need no table files: normal is the inverse normal CDF
 *    (Acklam's rational approximation), pareto and paretonormal use the
 *    formulas iproute2 builds its tables from, all evaluated per packet and
 *    quantised to the s16 table scale, so the shape and range (±4 sigma)
 *    match the tables; "uniform" is the default, as a kernel without a table;
 *  - a bare delay is in milliseconds, as the project asked; tc(8) documents
 *    a bare time as microseconds;
 *  - `tc qdisc show` always ends with the seed, as kernels since 6.3 dump it
 *    (the tc 6.1 of our hosts neither sends nor prints `seed`);
 *  - `limit` takes a plain number of packets;
 *  - `loss state`, `loss gemodel`, `ecn` and `slot` are refused;
 *  - the tfifo is a sorted list, O(n) only for the packets that jitter
 *    moves ahead of others (Linux keeps an rbtree for those).
 *
 * Not here: the qdisc machinery (sch_generic.c) and the kind registry
 * (sch_api.c).
 */
#include "net/skbuff.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "net/sch_generic.h"
#include "net/netdevice.h"
#include "net/stack.h"
#include "net/checksum.h"

#define NSEC_PER_USEC 1000ll
#define NSEC_PER_MSEC 1000000ll
#define NSEC_PER_SEC 1000000000ll
#define NETEM_DIST_SCALE 8192      /* a table entry t stands for t / 8192 sigma */
#define NETEM_DIST_MAX 32767       /* tables hold s16 */
#define NETEM_DEFAULT_LIMIT 1000

enum netem_dist {
	NETEM_DIST_UNIFORM = 0,   /* no table: Linux's default */
	NETEM_DIST_NORMAL,
	NETEM_DIST_PARETO,
	NETEM_DIST_PARETONORMAL,
};

static const char *const netem_dist_names[] = {
	[NETEM_DIST_UNIFORM] = "uniform",
	[NETEM_DIST_NORMAL] = "normal",
	[NETEM_DIST_PARETO] = "pareto",
	[NETEM_DIST_PARETONORMAL] = "paretonormal",
};

/* Everything tc configures. Probabilities and correlations are fractions
 * of U32_MAX, as tc sends them. */
struct netem_opt {
	u32 limit;             /* packets */
	s64 latency;           /* ns */
	s64 jitter;            /* ns, at most INT32_MAX as Linux */
	u32 loss, loss_corr;
	u32 duplicate, dup_corr;
	u32 delay_corr;
	u32 reorder, reorder_corr;
	u32 gap;               /* reorder: one packet in gap goes at once */
	u32 corrupt, corrupt_corr;
	u64 rate;              /* bytes per second; 0: no serialisation */
	s32 packet_overhead;
	u32 cell_size;
	s32 cell_overhead;
	enum netem_dist dist;
	u64 seed;
};

/* Linux's struct crndstate: the previous value of a correlated draw. */
struct crndstate {
	u32 last;
	u32 rho;
};

struct netem_sched_data {
	struct netem_opt opt;
	struct sk_buff_head tfifo;   /* delayed packets, by time_to_send */
	struct sk_buff_head q;       /* reordered packets: sent first, at once */
	u32 counter;                 /* packets delayed since the last reorder */
	u64 prng;                    /* splitmix64 state */
	struct crndstate delay_cor, loss_cor, dup_cor, reorder_cor, corrupt_cor;
};

/* Linux's netem_skb_cb: the qdisc owns skb->cb while the packet is queued. */
struct netem_skb_cb {
	u64 time_to_send;            /* stack ns */
};
_Static_assert(sizeof(struct netem_skb_cb) <= sizeof(((struct sk_buff *)0)->cb),
	       "netem_skb_cb must fit skb->cb");

static struct netem_skb_cb *netem_skb_cb(struct sk_buff *skb)
{
	return (struct netem_skb_cb *)skb->cb;
}

static void __attribute__((format(printf, 2, 3)))
netem_errmsg(char *errmsg, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(errmsg, TC_ERRMSG_LEN, fmt, ap);
	va_end(ap);
}

/* ---- randomness -------------------------------------------------------- */

/* splitmix64: any seed (0 included) gives a full-period, well-mixed
 * sequence, so a seed typed by a user is as good as a drawn one. */
static u32 netem_prandom_u32(struct netem_sched_data *p)
{
	u64 z = (p->prng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return (u32)((z ^ (z >> 31)) >> 32);
}

/* Uniform in [0, n), n > 0. */
static u32 netem_prandom_below(struct netem_sched_data *p, u32 n)
{
	return (u32)(((u64)netem_prandom_u32(p) * n) >> 32);
}

static void init_crandom(struct crndstate *state, u32 rho, struct netem_sched_data *p)
{
	state->rho = rho;
	state->last = netem_prandom_u32(p);
}

/* Linux's get_crandom(): a uniform value pulled towards the previous one
 * by rho, so that with correlation c a loss tends to follow a loss. */
static u32 get_crandom(struct crndstate *state, struct netem_sched_data *p)
{
	u64 value, rho;
	u32 answer;

	if (state->rho == 0)
		return netem_prandom_u32(p);
	value = netem_prandom_u32(p);
	rho = (u64)state->rho + 1;
	answer = (u32)((value * ((1ull << 32) - rho) + (u64)state->last * rho) >> 32);
	state->last = answer;
	return answer;
}

/* Inverse of the standard normal CDF at u in (0, 1) (Acklam's rational
 * approximation, relative error below 1.2e-9: far finer than the s16 scale
 * the result is quantised to). */
static double normal_quantile(double u)
{
	static const double a[] = { -3.969683028665376e+01, 2.209460984245205e+02,
		-2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01,
		2.506628277459239e+00 };
	static const double b[] = { -5.447609879822406e+01, 1.615858368580409e+02,
		-1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01 };
	static const double c[] = { -7.784894002430293e-03, -3.223964580411365e-01,
		-2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00,
		2.938163982698783e+00 };
	static const double d[] = { 7.784695709041462e-03, 3.224671290700398e-01,
		2.445134137142996e+00, 3.754408661907416e+00 };
	const double u_low = 0.02425;
	double q, r;

	if (u < u_low || u > 1 - u_low) {
		q = sqrt(-2 * log(u < u_low ? u : 1 - u));
		r = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
		    ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
		return u < u_low ? r : -r;
	}
	q = u - 0.5;
	r = q * q;
	return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
	       (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/* iproute2's pareto table at quantile u: shape 3, shifted by its mean. */
static double pareto_quantile(double u)
{
	return (pow(1 - u, -1.0 / 3.0) - 1.5) * (4.0 / 3.0);
}

/* The table entry a distribution would have at rnd: a deviate in units of
 * 1/NETEM_DIST_SCALE sigma, clamped to s16 as the tables are. */
static s64 netem_dist_entry(enum netem_dist dist, u32 rnd)
{
	double u = ((double)rnd + 0.5) / 4294967296.0;   /* (0, 1) */
	double x;

	switch (dist) {
	case NETEM_DIST_NORMAL:
		x = normal_quantile(u);
		break;
	case NETEM_DIST_PARETO:
		x = pareto_quantile(u);
		break;
	default:   /* iproute2's paretonormal: a quarter normal, 3/4 pareto */
		x = (normal_quantile(u) + 3 * pareto_quantile(u)) / 4;
		break;
	}
	x = round(x * NETEM_DIST_SCALE);
	return (s64)TN_MAX(TN_MIN(x, NETEM_DIST_MAX), -NETEM_DIST_MAX - 1);
}

/* Linux's tabledist(): mu plus a deviate of sigma, correlated by state. */
static s64 tabledist(s64 mu, s64 sigma, struct crndstate *state,
		     struct netem_sched_data *p)
{
	s64 t, x;
	u32 rnd;

	if (sigma == 0)
		return mu;
	rnd = get_crandom(state, p);
	if (p->opt.dist == NETEM_DIST_UNIFORM)
		return (s64)(rnd % (2 * (u32)sigma)) + mu - sigma;
	t = netem_dist_entry(p->opt.dist, rnd);
	x = (sigma % NETEM_DIST_SCALE) * t;
	x += x >= 0 ? NETEM_DIST_SCALE / 2 : -NETEM_DIST_SCALE / 2;
	return x / NETEM_DIST_SCALE + (sigma / NETEM_DIST_SCALE) * t + mu;
}

/* ---- time-ordered queue ------------------------------------------------ */

/* Linux's tfifo_enqueue(): keep the queue sorted by time_to_send, packets
 * with equal times in arrival order. Without jitter every packet goes to
 * the tail, found at the first step. */
static void tfifo_enqueue(struct sk_buff *skb, struct Qdisc *q)
{
	struct netem_sched_data *p = qdisc_priv(q);
	u64 tnext = netem_skb_cb(skb)->time_to_send;
	struct sk_buff *prev = (struct sk_buff *)&p->tfifo;

	for (struct sk_buff *it = skb_peek_tail(&p->tfifo); it; ) {
		if (netem_skb_cb(it)->time_to_send <= tnext) {
			prev = it;
			break;
		}
		it = it->prev == (struct sk_buff *)&p->tfifo ? NULL : it->prev;
	}
	__skb_insert(skb, prev, prev->next, &p->tfifo);
	qdisc_qstats_backlog_inc(q, skb);
	q->qstats.qlen++;
}

/* Reordered: to the front of the line, sent at once (Linux counts these as
 * requeues). */
static void netem_enqueue_now(struct sk_buff *skb, struct Qdisc *q, u64 now)
{
	struct netem_sched_data *p = qdisc_priv(q);

	netem_skb_cb(skb)->time_to_send = now;
	__skb_queue_head(&p->q, skb);
	qdisc_qstats_backlog_inc(q, skb);
	q->qstats.qlen++;
	q->qstats.requeues++;
}

/* ---- enqueue ----------------------------------------------------------- */

/* Linux's packet_time_ns(): how long len bytes take on the emulated link,
 * with per-packet overhead and, for cell-based links (ATM), whole cells. */
static u64 packet_time_ns(u64 len, const struct netem_opt *opt)
{
	s64 bytes = (s64)len + opt->packet_overhead;

	if (bytes < 0)
		bytes = 0;
	if (opt->cell_size) {
		u64 cells = ((u64)bytes + opt->cell_size - 1) / opt->cell_size;

		bytes = (s64)(cells * (u64)((s64)opt->cell_size + opt->cell_overhead));
		if (bytes < 0)
			bytes = 0;
	}
	return (u64)bytes * NSEC_PER_SEC / opt->rate;
}

/* The time of the last packet that will leave, the reference a rate-limited
 * packet queues behind (the tfifo is sorted: its tail is the latest). */
static bool netem_last_time(struct netem_sched_data *p, u64 *last)
{
	struct sk_buff *a = skb_peek_tail(&p->q), *b = skb_peek_tail(&p->tfifo);

	if (!a && !b)
		return false;
	*last = TN_MAX(a ? netem_skb_cb(a)->time_to_send : 0,
		       b ? netem_skb_cb(b)->time_to_send : 0);
	return true;
}

/* When skb leaves: now plus the delay, and with a rate, behind the packet
 * queued last plus its own serialisation time (Linux's netem_enqueue). */
static u64 netem_time_to_send(struct sk_buff *skb, struct Qdisc *q, u64 now)
{
	struct netem_sched_data *p = qdisc_priv(q);
	s64 delay = tabledist(p->opt.latency, p->opt.jitter, &p->delay_cor, p);
	u64 last;

	if (p->opt.rate) {
		if (netem_last_time(p, &last) && last > now) {
			/* The wait behind the last packet counts towards
			 * the delay. */
			delay = TN_MAX(delay - (s64)(last - now), 0);
			now = last;
		}
		delay += (s64)packet_time_ns(skb->len, &p->opt);
	}
	if (delay < 0 && (u64)-delay > now)
		return 0;
	return now + (u64)delay;
}

/* Checksum a CHECKSUM_PARTIAL packet in software (Linux's
 * skb_checksum_help()), so that the corruption shows as a bad checksum. The
 * protocol has put its pseudo-header sum in the field already. */
static void netem_checksum_help(struct sk_buff *skb)
{
	u8 *start = skb->head + skb->csum_start;
	u8 *end = skb->data + skb->len;

	if (start >= skb->data && start + skb->csum_offset + 2 <= end)
		put_be16(start + skb->csum_offset,
			 csum_fold(csum_partial(start, (size_t)(end - start), 0)));
	skb->ip_summed = CHECKSUM_NONE;
}

/* Flip one random bit after the link header (anywhere in a packet that has
 * nothing beyond it). 0, or -ENOMEM if the data could not be made private
 * (a duplicate shares it). */
static int netem_corrupt(struct sk_buff *skb, struct Qdisc *q)
{
	struct netem_sched_data *p = qdisc_priv(q);
	unsigned int hh = qdisc_dev(q)->hard_header_len;
	unsigned int off;

	if (skb_unclone(skb))
		return -ENOMEM;
	if (skb->ip_summed == CHECKSUM_PARTIAL)
		netem_checksum_help(skb);
	if (skb->len == 0)
		return 0;
	if (skb->len > hh)
		off = hh + netem_prandom_below(p, skb->len - hh);
	else
		off = netem_prandom_below(p, skb->len);
	skb->data[off] ^= (u8)(1u << netem_prandom_below(p, 8));
	return 0;
}

static bool netem_chance(u32 prob, struct crndstate *state, struct netem_sched_data *p)
{
	return prob && prob >= get_crandom(state, p);
}

/* Delay the packet, or with reorder send it at once: one packet in `gap`
 * may skip the queue, with probability `reorder`. */
static void netem_schedule(struct sk_buff *skb, struct Qdisc *q)
{
	struct netem_sched_data *p = qdisc_priv(q);
	u64 now = tn_now(qdisc_dev(q)->stack);

	if (p->opt.gap == 0 || p->counter < p->opt.gap - 1 ||
	    p->opt.reorder < get_crandom(&p->reorder_cor, p)) {
		netem_skb_cb(skb)->time_to_send = netem_time_to_send(skb, q, now);
		p->counter++;
		tfifo_enqueue(skb, q);
	} else {
		p->counter = 0;
		netem_enqueue_now(skb, q, now);
	}
}

/* Linux's netem_enqueue(), step by step and drawing random numbers in the
 * same order: duplicate, loss, corrupt, then reorder and delay. */
static int netem_enqueue(struct sk_buff *skb, struct Qdisc *q)
{
	struct netem_sched_data *p = qdisc_priv(q);
	struct sk_buff *skb2 = NULL;
	int count = 1;

	if (netem_chance(p->opt.duplicate, &p->dup_cor, p))
		count++;
	if (netem_chance(p->opt.loss, &p->loss_cor, p))
		count--;
	if (count == 0) {
		/* Lost on the "wire": counted, but the sender is not told,
		 * as Linux answers NET_XMIT_SUCCESS | __NET_XMIT_BYPASS. */
		qdisc_drop(skb, q);
		return NET_XMIT_SUCCESS;
	}
	/* Clone before the original may be corrupted. An allocation failure
	 * only costs the duplicate. */
	if (count > 1)
		skb2 = skb_clone(skb);
	if (netem_chance(p->opt.corrupt, &p->corrupt_cor, p) && netem_corrupt(skb, q)) {
		if (skb2)
			kfree_skb_reason(skb2, SKB_DROP_REASON_QDISC_DROP);
		return qdisc_drop(skb, q);
	}
	if (q->qstats.qlen >= q->limit) {
		/* As Linux: the duplicate goes too, counted once. */
		if (skb2)
			kfree_skb_reason(skb2, SKB_DROP_REASON_QDISC_DROP);
		return qdisc_drop(skb, q);
	}
	if (skb2) {
		/* The duplicate goes through the qdisc again (it may be lost,
		 * corrupted or reordered on its own), but is not duplicated. */
		u32 dupsave = p->opt.duplicate;

		p->opt.duplicate = 0;
		netem_enqueue(skb2, q);
		p->opt.duplicate = dupsave;
	}
	netem_schedule(skb, q);
	return NET_XMIT_SUCCESS;
}

/* ---- dequeue ----------------------------------------------------------- */

/* The packet dequeue would return now, without taking it. */
static struct sk_buff *netem_peek(struct Qdisc *q)
{
	struct netem_sched_data *p = qdisc_priv(q);
	struct sk_buff *skb = skb_peek(&p->q);

	if (skb)
		return skb;
	skb = skb_peek(&p->tfifo);
	if (skb && netem_skb_cb(skb)->time_to_send <= tn_now(qdisc_dev(q)->stack))
		return skb;
	return NULL;
}

static struct sk_buff *netem_dequeue(struct Qdisc *q)
{
	struct netem_sched_data *p = qdisc_priv(q);
	struct sk_buff *skb;
	u64 t;

	if (!skb_queue_empty(&p->q))
		return qdisc_dequeue_head(q, &p->q);
	skb = skb_peek(&p->tfifo);
	if (!skb)
		return NULL;
	t = netem_skb_cb(skb)->time_to_send;
	if (t <= tn_now(qdisc_dev(q)->stack))
		return qdisc_dequeue_head(q, &p->tfifo);
	/* Not yet: come back when the head is due. */
	qdisc_watchdog_schedule(q, t);
	return NULL;
}

static void netem_reset(struct Qdisc *q)
{
	struct netem_sched_data *p = qdisc_priv(q);

	qdisc_reset_queue(q, &p->q);
	qdisc_reset_queue(q, &p->tfifo);
	qdisc_watchdog_cancel(q);
}

/* ---- tc's words -------------------------------------------------------- */

/* The argument cursor of one tc command line, with tc's NEXT_ARG(). */
struct netem_parser {
	int argc;
	char **argv;
	int i;            /* the word being looked at */
	char *errmsg;
	bool corr_given;  /* delay, loss or duplicate correlation (TCA_NETEM_CORR) */
	bool reorder_given;
	bool dist_given;
	bool seed_given;
	bool corr_parsed;  /* np_corr() consumed a correlation */
};

/* iproute2's matches(): arg is a non-empty prefix of word. */
static bool tc_matches(const char *arg, const char *word)
{
	size_t n = strlen(arg);

	return n > 0 && strncmp(arg, word, n) == 0;
}

/* iproute2's isnumber(), which decides whether an optional value follows. */
static bool tc_isnumber(const char *arg)
{
	char *end;

	return strtod(arg, &end) != 0 || end != arg;
}

static const char *np_next(struct netem_parser *np)
{
	if (np->i + 1 >= np->argc) {
		netem_errmsg(np->errmsg, "Command line is not complete. Try option \"help\"");
		return NULL;
	}
	return np->argv[++np->i];
}

static bool np_next_is_number(const struct netem_parser *np)
{
	return np->i + 1 < np->argc && tc_isnumber(np->argv[np->i + 1]);
}

static int np_illegal(struct netem_parser *np, const char *what)
{
	netem_errmsg(np->errmsg, "Illegal \"%s\"", what);
	return -EINVAL;
}

/* tc's get_percent(): "12.5%" or "12.5", 0..100, as a fraction of U32_MAX. */
static int tc_get_percent(u32 *val, const char *str)
{
	char *end;
	double per = strtod(str, &end) / 100.0;

	if (end == str || !(per >= 0.0 && per <= 1.0))
		return -1;
	if (*end && strcmp(end, "%") != 0)
		return -1;
	*val = (u32)rint(per * UINT32_MAX);
	return 0;
}

/* A time: s/sec/secs, ms/msec/msecs, us/usec/usecs, ns/nsec/nsecs; a bare
 * number is milliseconds. Into ns. */
static int tc_get_time_ns(s64 *ns, const char *str)
{
	static const struct { const char *unit; double mult; } units[] = {
		{ "", NSEC_PER_USEC },   /* tc's get_time(): a bare number is microseconds */
		{ "s", NSEC_PER_SEC }, { "sec", NSEC_PER_SEC }, { "secs", NSEC_PER_SEC },
		{ "ms", NSEC_PER_MSEC }, { "msec", NSEC_PER_MSEC }, { "msecs", NSEC_PER_MSEC },
		{ "us", NSEC_PER_USEC }, { "usec", NSEC_PER_USEC }, { "usecs", NSEC_PER_USEC },
		{ "ns", 1 }, { "nsec", 1 }, { "nsecs", 1 },
	};
	char *end;
	double t = strtod(str, &end);

	if (end == str || !(t >= 0))
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(units); i++) {
		if (strcasecmp(end, units[i].unit) != 0)
			continue;
		t *= units[i].mult;
		if (t > (double)INT64_MAX / 2)
			return -1;
		*ns = (s64)t;
		return 0;
	}
	return -1;
}

/* tc's get_rate64(): bits per second with tc's suffixes (bit, kbit, mbit,
 * gbit, tbit, the IEC kibit..., and Bps, KBps, ... in bytes); a bare number
 * is bits. Into bytes per second, as the kernel keeps it. */
static int tc_get_rate(u64 *bytes_per_sec, const char *str)
{
	static const struct { const char *unit; double scale; } units[] = {
		{ "", 1 }, { "bit", 1 }, { "kibit", 1024.0 }, { "kbit", 1e3 },
		{ "mibit", 1024.0 * 1024 }, { "mbit", 1e6 },
		{ "gibit", 1024.0 * 1024 * 1024 }, { "gbit", 1e9 },
		{ "tibit", 1024.0 * 1024 * 1024 * 1024 }, { "tbit", 1e12 },
		{ "bps", 8 }, { "kibps", 8 * 1024.0 }, { "kbps", 8e3 },
		{ "mibps", 8 * 1024.0 * 1024 }, { "mbps", 8e6 },
		{ "gibps", 8 * 1024.0 * 1024 * 1024 }, { "gbps", 8e9 },
		{ "tibps", 8 * 1024.0 * 1024 * 1024 * 1024 }, { "tbps", 8e12 },
	};
	char *end;
	double bps = strtod(str, &end);

	if (end == str || !(bps >= 0))
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(units); i++) {
		if (strcasecmp(end, units[i].unit) != 0)
			continue;
		bps = bps * units[i].scale / 8;
		if (bps >= 18446744073709551615.0)
			return -1;
		*bytes_per_sec = (u64)bps;
		return 0;
	}
	return -1;
}

static int tc_get_u32(u32 *val, const char *str)
{
	char *end;
	unsigned long long v;

	if (!isdigit((unsigned char)str[0]))
		return -1;
	v = strtoull(str, &end, 0);
	if (*end || v > UINT32_MAX)
		return -1;
	*val = (u32)v;
	return 0;
}

static int tc_get_s32(s32 *val, const char *str)
{
	char *end;
	long long v = strtoll(str, &end, 0);

	if (end == str || *end || v < INT32_MIN || v > INT32_MAX)
		return -1;
	*val = (s32)v;
	return 0;
}

/* An optional correlation after a probability (or jitter). */
static int np_corr(struct netem_parser *np, u32 *corr, const char *what)
{
	if (!np_next_is_number(np))
		return 0;
	np->corr_parsed = true;
	if (tc_get_percent(corr, np->argv[++np->i]))
		return np_illegal(np, what);
	return 0;
}

static int parse_limit(struct netem_parser *np, struct netem_opt *opt)
{
	const char *arg = np_next(np);

	if (!arg)
		return -EINVAL;
	if (tc_get_u32(&opt->limit, arg))
		return np_illegal(np, "limit");
	return 0;
}

/* delay TIME [JITTER [CORRELATION]] */
static int parse_delay(struct netem_parser *np, struct netem_opt *opt)
{
	const char *arg = np_next(np);

	if (!arg)
		return -EINVAL;
	if (tc_get_time_ns(&opt->latency, arg))
		return np_illegal(np, "latency");
	if (!np_next_is_number(np))
		return 0;
	if (tc_get_time_ns(&opt->jitter, np->argv[++np->i]))
		return np_illegal(np, "latency");
	opt->jitter = TN_MIN(opt->jitter, (s64)INT32_MAX);
	return np_corr(np, &opt->delay_corr, "latency");
}

/* loss [random] PERCENT [CORRELATION]; the state and gemodel models are
 * not emulated. */
static int parse_loss(struct netem_parser *np, struct netem_opt *opt)
{
	const char *arg;

	if (opt->loss) {
		netem_errmsg(np->errmsg, "Illegal \"duplicate loss argument\"");
		return -EINVAL;
	}
	arg = np_next(np);
	if (!arg)
		return -EINVAL;
	if (!isdigit((unsigned char)arg[0])) {
		if (strcmp(arg, "state") == 0 || strcmp(arg, "gemodel") == 0) {
			netem_errmsg(np->errmsg,
				     "Error: netem: loss model \"%s\" is not supported.", arg);
			return -EOPNOTSUPP;
		}
		if (strcmp(arg, "random") != 0) {
			netem_errmsg(np->errmsg, "Unknown loss parameter: %s", arg);
			return -EINVAL;
		}
		arg = np_next(np);
		if (!arg)
			return -EINVAL;
	}
	if (tc_get_percent(&opt->loss, arg))
		return np_illegal(np, "loss percent");
	return np_corr(np, &opt->loss_corr, "loss correlation");
}

/* duplicate|reorder|corrupt PERCENT [CORRELATION] */
static int parse_chance(struct netem_parser *np, u32 *prob, u32 *corr, const char *what)
{
	const char *arg = np_next(np);

	if (!arg)
		return -EINVAL;
	*corr = 0;
	if (tc_get_percent(prob, arg))
		return np_illegal(np, what);
	return np_corr(np, corr, what);
}

static int parse_gap(struct netem_parser *np, struct netem_opt *opt)
{
	const char *arg = np_next(np);

	if (!arg)
		return -EINVAL;
	if (tc_get_u32(&opt->gap, arg))
		return np_illegal(np, "gap");
	return 0;
}

static int parse_distribution(struct netem_parser *np, struct netem_opt *opt)
{
	const char *arg = np_next(np);

	if (!arg)
		return -EINVAL;
	for (size_t i = 0; i < ARRAY_SIZE(netem_dist_names); i++) {
		if (strcmp(arg, netem_dist_names[i]) == 0) {
			opt->dist = (enum netem_dist)i;
			np->dist_given = true;
			return 0;
		}
	}
	netem_errmsg(np->errmsg, "No distribution data for %s", arg);
	return -EINVAL;
}

/* rate RATE [PACKETOVERHEAD [CELLSIZE [CELLOVERHEAD]]] */
static int parse_rate(struct netem_parser *np, struct netem_opt *opt)
{
	const char *arg = np_next(np);

	if (!arg)
		return -EINVAL;
	opt->packet_overhead = 0;
	opt->cell_size = 0;
	opt->cell_overhead = 0;
	if (tc_get_rate(&opt->rate, arg))
		return np_illegal(np, "rate");
	if (np_next_is_number(np) && tc_get_s32(&opt->packet_overhead, np->argv[++np->i]))
		return np_illegal(np, "rate");
	if (np_next_is_number(np) && tc_get_u32(&opt->cell_size, np->argv[++np->i]))
		return np_illegal(np, "rate");
	if (np_next_is_number(np) && tc_get_s32(&opt->cell_overhead, np->argv[++np->i]))
		return np_illegal(np, "rate");
	return 0;
}

static int parse_seed(struct netem_parser *np, struct netem_opt *opt)
{
	const char *arg = np_next(np);
	char *end;

	if (!arg)
		return -EINVAL;
	if (!isdigit((unsigned char)arg[0]))
		return np_illegal(np, "seed");
	errno = 0;
	opt->seed = strtoull(arg, &end, 0);
	if (*end || errno)
		return np_illegal(np, "seed");
	np->seed_given = true;
	return 0;
}

static int netem_usage(struct netem_parser *np)
{
	netem_errmsg(np->errmsg, "Usage: ... netem [ limit PACKETS ] [ delay TIME [ JITTER [CORRELATION]]] ...");
	return -EINVAL;
}

/* One keyword, tested in tc's order (so "d" means delay, as in tc). */
static int netem_parse_word(struct netem_parser *np, struct netem_opt *opt)
{
	const char *arg = np->argv[np->i];

	if (tc_matches(arg, "limit"))
		return parse_limit(np, opt);
	if (tc_matches(arg, "latency") || tc_matches(arg, "delay"))
		return parse_delay(np, opt);
	if (tc_matches(arg, "loss") || tc_matches(arg, "drop"))
		return parse_loss(np, opt);
	if (tc_matches(arg, "ecn") || tc_matches(arg, "slot")) {
		netem_errmsg(np->errmsg, "Error: netem: %s is not supported.", arg);
		return -EOPNOTSUPP;
	}
	if (tc_matches(arg, "reorder")) {
		np->reorder_given = true;
		return parse_chance(np, &opt->reorder, &opt->reorder_corr, "reorder");
	}
	if (tc_matches(arg, "corrupt"))
		return parse_chance(np, &opt->corrupt, &opt->corrupt_corr, "corrupt");
	if (tc_matches(arg, "gap"))
		return parse_gap(np, opt);
	if (tc_matches(arg, "duplicate"))
		return parse_chance(np, &opt->duplicate, &opt->dup_corr, "duplicate");
	if (tc_matches(arg, "distribution"))
		return parse_distribution(np, opt);
	if (tc_matches(arg, "rate"))
		return parse_rate(np, opt);
	if (tc_matches(arg, "seed"))
		return parse_seed(np, opt);
	if (strcmp(arg, "help") == 0)
		return netem_usage(np);
	netem_errmsg(np->errmsg, "What is \"%s\"?", arg);
	return -EINVAL;
}

/* A word and its values. A delay, loss or duplicate correlation means the
 * line carries all three (the others 0). */
static int netem_parse_one(struct netem_parser *np, struct netem_opt *opt)
{
	const char *arg = np->argv[np->i];
	bool corr_attr = tc_matches(arg, "latency") || tc_matches(arg, "delay") ||
			 tc_matches(arg, "loss") || tc_matches(arg, "drop") ||
			 tc_matches(arg, "duplicate");
	int err;

	np->corr_parsed = false;
	err = netem_parse_word(np, opt);
	if (np->corr_parsed && corr_attr)
		np->corr_given = true;
	return err;
}

/* The checks tc makes once the whole line is read. */
static int netem_check(struct netem_parser *np, struct netem_opt *opt)
{
	if (np->reorder_given && opt->reorder) {
		if (opt->latency == 0) {
			netem_errmsg(np->errmsg,
				     "reordering not possible without specifying some delay");
			return -EINVAL;
		}
		if (opt->gap == 0)
			opt->gap = 1;
	} else if (opt->gap > 0) {
		netem_errmsg(np->errmsg, "gap specified without reorder probability");
		return -EINVAL;
	}
	if (np->dist_given && (opt->latency == 0 || opt->jitter == 0)) {
		netem_errmsg(np->errmsg,
			     "distribution specified but no latency and jitter values");
		return -EINVAL;
	}
	return 0;
}

/*
 * Parse a tc line into opt. As Linux's netem_change(), what tc always sends
 * (limit, delay, jitter, loss, duplicate, gap) starts from the defaults,
 * while what it sends only when named (correlations, reorder, corrupt, rate,
 * distribution) keeps the value of `old` (NULL at creation). The seed is
 * drawn afresh unless given, as Linux draws one at every change.
 */
static int netem_parse(struct Qdisc *q, struct netem_opt *opt, const struct netem_opt *old,
		       int argc, char **argv, char *errmsg)
{
	struct netem_parser np = { .argc = argc, .argv = argv, .errmsg = errmsg };
	int err;

	memset(opt, 0, sizeof(*opt));
	if (old)
		*opt = *old;
	opt->limit = NETEM_DEFAULT_LIMIT;
	opt->latency = opt->jitter = 0;
	opt->loss = opt->duplicate = opt->gap = 0;
	/* The three correlations travel together (TCA_NETEM_CORR). */
	opt->delay_corr = opt->loss_corr = opt->dup_corr = 0;
	for (np.i = 0; np.i < argc; np.i++) {
		err = netem_parse_one(&np, opt);
		if (err)
			return err;
	}
	err = netem_check(&np, opt);
	if (err)
		return err;
	if (!np.corr_given && old) {
		opt->delay_corr = old->delay_corr;
		opt->loss_corr = old->loss_corr;
		opt->dup_corr = old->dup_corr;
	}
	if (!np.seed_given)
		opt->seed = tn_prandom_u64(qdisc_dev(q)->stack);
	return 0;
}

/* ---- configuration ----------------------------------------------------- */

/* Make opt the configuration: fresh generator and correlation states, the
 * reorder gap counted from zero. Queued packets keep their times. */
static void netem_apply(struct Qdisc *q, const struct netem_opt *opt)
{
	struct netem_sched_data *p = qdisc_priv(q);

	p->opt = *opt;
	q->limit = opt->limit;
	p->counter = 0;
	p->prng = opt->seed;
	init_crandom(&p->delay_cor, opt->delay_corr, p);
	init_crandom(&p->loss_cor, opt->loss_corr, p);
	init_crandom(&p->dup_cor, opt->dup_corr, p);
	init_crandom(&p->reorder_cor, opt->reorder_corr, p);
	init_crandom(&p->corrupt_cor, opt->corrupt_corr, p);
}

/* `tc qdisc change`: on error nothing changes. */
static int netem_change(struct Qdisc *q, int argc, char **argv, char *errmsg)
{
	struct netem_sched_data *p = qdisc_priv(q);
	struct netem_opt opt;
	int err = netem_parse(q, &opt, &p->opt, argc, argv, errmsg);

	if (err)
		return err;
	netem_apply(q, &opt);
	return 0;
}

static int netem_init(struct Qdisc *q, int argc, char **argv, char *errmsg)
{
	struct netem_sched_data *p = qdisc_priv(q);
	struct netem_opt opt;
	int err;

	skb_queue_head_init(&p->tfifo);
	skb_queue_head_init(&p->q);
	err = netem_parse(q, &opt, NULL, argc, argv, errmsg);
	if (err)
		return err;
	netem_apply(q, &opt);
	return 0;
}

/* ---- dump -------------------------------------------------------------- */

/* snprintf that appends at *n, counting what would have been written. */
static void __attribute__((format(printf, 4, 5)))
dump_add(char *buf, size_t len, int *n, const char *fmt, ...)
{
	size_t off = TN_MIN((size_t)*n, len);
	va_list ap;

	va_start(ap, fmt);
	*n += vsnprintf(buf + off, len - off, fmt, ap);
	va_end(ap);
}

/* tc's print_percent(). */
static void dump_percent(char *buf, size_t len, int *n, const char *label, u32 per)
{
	dump_add(buf, len, n, "%s%g%%", label, 100.0 * per / UINT32_MAX);
}

/* tc's sprint_time64(): three significant digits in the largest unit. */
static void dump_time(char *buf, size_t len, int *n, const char *label, s64 ns)
{
	if (ns >= NSEC_PER_SEC)
		dump_add(buf, len, n, "%s%.3gs", label, (double)ns / NSEC_PER_SEC);
	else if (ns >= NSEC_PER_MSEC)
		dump_add(buf, len, n, "%s%.3gms", label, (double)ns / NSEC_PER_MSEC);
	else if (ns >= NSEC_PER_USEC)
		dump_add(buf, len, n, "%s%.3gus", label, (double)ns / NSEC_PER_USEC);
	else
		dump_add(buf, len, n, "%s%lldns", label, (long long)ns);
}

/* tc's print_rate(): bits per second in the largest SI unit that keeps
 * it whole (or below 1000 of it). */
static void dump_rate(char *buf, size_t len, int *n, u64 bytes_per_sec)
{
	static const char *const units[] = { "", "K", "M", "G", "T" };
	u64 rate = bytes_per_sec * 8;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(units) - 1; i++) {
		if (rate < 1000)
			break;
		if (rate % 1000 != 0 && rate < 1000 * 1000)
			break;
		rate /= 1000;
	}
	dump_add(buf, len, n, " rate %llu%sbit", (unsigned long long)rate, units[i]);
}

static void dump_chance(char *buf, size_t len, int *n, const char *label, u32 prob, u32 corr)
{
	if (!prob)
		return;
	dump_percent(buf, len, n, label, prob);
	if (corr)
		dump_percent(buf, len, n, " ", corr);
}

/* `tc qdisc show`, in tc's order and words. */
static int netem_dump(struct Qdisc *q, char *buf, size_t len)
{
	const struct netem_opt *opt = &((struct netem_sched_data *)qdisc_priv(q))->opt;
	int n = 0;

	dump_add(buf, len, &n, "limit %u", q->limit);
	if (opt->latency) {
		dump_time(buf, len, &n, " delay ", opt->latency);
		if (opt->jitter) {
			dump_time(buf, len, &n, "  ", opt->jitter);
			if (opt->delay_corr)
				dump_percent(buf, len, &n, " ", opt->delay_corr);
		}
	}
	dump_chance(buf, len, &n, " loss ", opt->loss, opt->loss_corr);
	dump_chance(buf, len, &n, " duplicate ", opt->duplicate, opt->dup_corr);
	dump_chance(buf, len, &n, " reorder ", opt->reorder, opt->reorder_corr);
	dump_chance(buf, len, &n, " corrupt ", opt->corrupt, opt->corrupt_corr);
	if (opt->rate) {
		dump_rate(buf, len, &n, opt->rate);
		if (opt->packet_overhead)
			dump_add(buf, len, &n, " packetoverhead %d", opt->packet_overhead);
		if (opt->cell_size)
			dump_add(buf, len, &n, " cellsize %u", opt->cell_size);
		if (opt->cell_overhead)
			dump_add(buf, len, &n, " celloverhead %d", opt->cell_overhead);
	}
	dump_add(buf, len, &n, " seed %llu", (unsigned long long)opt->seed);
	if (opt->gap)
		dump_add(buf, len, &n, " gap %u", opt->gap);
	return n;
}

const struct Qdisc_ops netem_qdisc_ops = {
	.id = "netem",
	.priv_size = sizeof(struct netem_sched_data),
	.enqueue = netem_enqueue,
	.dequeue = netem_dequeue,
	.peek = netem_peek,
	.init = netem_init,
	.change = netem_change,
	.reset = netem_reset,
	.dump = netem_dump,
};
