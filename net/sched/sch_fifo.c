/*
 * The first-in first-out kinds: pfifo_fast (the default root of a device
 * that can queue), pfifo (a packet limit) and bfifo (a byte limit).
 *
 * pfifo_fast keeps three FIFO bands and always serves the lowest non-empty
 * band first; skb->priority picks the band through Linux's prio2band map, so
 * TC_PRIO_INTERACTIVE (6) and TC_PRIO_CONTROL (7) traffic overtakes bulk
 * traffic. Its limit is the device's txqueuelen, read at every enqueue (Linux
 * resizes its rings when txqueuelen changes). pfifo and bfifo are one queue
 * with the limit `tc ... limit N` gives, txqueuelen (times the link MTU for
 * bfifo) by default.
 *
 * A limit counts everything the qdisc holds, the packet waiting in gso_skb
 * for a busy driver included, as Linux's sch->q.qlen does. Over the limit
 * the new packet is dropped (tail drop).
 *
 * Not here: shaping, delay or any other discipline; option parsing is done
 * with tc's words because tc's argv reaches the kind directly.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <linux/pkt_sched.h>

#include "net/sch_generic.h"
#include "net/netdevice.h"

static void __attribute__((format(printf, 2, 3)))
fifo_errmsg(char *errmsg, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(errmsg, TC_ERRMSG_LEN, fmt, ap);
	va_end(ap);
}

/* ---- pfifo_fast -------------------------------------------------------- */

#define PFIFO_FAST_BANDS 3

/* Linux's prio2band: TC_PRIO_* (skb->priority & TC_PRIO_MAX) -> band. */
static const u8 prio2band[TC_PRIO_MAX + 1] = {
	1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1
};

struct pfifo_fast_priv {
	struct sk_buff_head q[PFIFO_FAST_BANDS];
};

static int pfifo_fast_enqueue(struct sk_buff *skb, struct Qdisc *q)
{
	struct pfifo_fast_priv *priv = qdisc_priv(q);
	unsigned int band = prio2band[skb->priority & TC_PRIO_MAX];

	if (q->qstats.qlen >= qdisc_dev(q)->tx_queue_len)
		return qdisc_drop(skb, q);
	return qdisc_enqueue_tail(skb, q, &priv->q[band]);
}

static struct sk_buff *pfifo_fast_dequeue(struct Qdisc *q)
{
	struct pfifo_fast_priv *priv = qdisc_priv(q);

	for (int band = 0; band < PFIFO_FAST_BANDS; band++)
		if (!skb_queue_empty(&priv->q[band]))
			return qdisc_dequeue_head(q, &priv->q[band]);
	return NULL;
}

static struct sk_buff *pfifo_fast_peek(struct Qdisc *q)
{
	struct pfifo_fast_priv *priv = qdisc_priv(q);

	for (int band = 0; band < PFIFO_FAST_BANDS; band++)
		if (!skb_queue_empty(&priv->q[band]))
			return skb_peek(&priv->q[band]);
	return NULL;
}

static int pfifo_fast_init(struct Qdisc *q, int argc, char **argv, char *errmsg)
{
	struct pfifo_fast_priv *priv = qdisc_priv(q);

	for (int band = 0; band < PFIFO_FAST_BANDS; band++)
		skb_queue_head_init(&priv->q[band]);
	if (argc > 0) {
		fifo_errmsg(errmsg, "qdisc '%s' does not support option parsing", q->ops->id);
		return -EINVAL;
	}
	/* Linux refuses a zero-length ring; a device with txqueuelen 0 gets
	 * noqueue by default instead. */
	if (qdisc_dev(q)->tx_queue_len == 0) {
		fifo_errmsg(errmsg, "Error: %s needs a txqueuelen of at least 1.", q->ops->id);
		return -EINVAL;
	}
	return 0;
}

static void pfifo_fast_reset(struct Qdisc *q)
{
	struct pfifo_fast_priv *priv = qdisc_priv(q);

	for (int band = 0; band < PFIFO_FAST_BANDS; band++)
		qdisc_reset_queue(q, &priv->q[band]);
}

static int pfifo_fast_dump(struct Qdisc *q, char *buf, size_t len)
{
	int n = snprintf(buf, len, "bands %d priomap", PFIFO_FAST_BANDS);

	for (size_t i = 0; i < ARRAY_SIZE(prio2band); i++)
		n += snprintf(buf + TN_MIN((size_t)n, len), len - TN_MIN((size_t)n, len),
			      " %u", prio2band[i]);
	return n;
}

const struct Qdisc_ops pfifo_fast_ops = {
	.id = "pfifo_fast",
	.priv_size = sizeof(struct pfifo_fast_priv),
	.enqueue = pfifo_fast_enqueue,
	.dequeue = pfifo_fast_dequeue,
	.peek = pfifo_fast_peek,
	.init = pfifo_fast_init,
	.reset = pfifo_fast_reset,
	.dump = pfifo_fast_dump,
};

/* ---- pfifo / bfifo ----------------------------------------------------- */

struct fifo_sched_data {
	struct sk_buff_head q;
};

static bool is_bfifo(const struct Qdisc *q)
{
	return q->ops == &bfifo_qdisc_ops;
}

static int pfifo_enqueue(struct sk_buff *skb, struct Qdisc *q)
{
	struct fifo_sched_data *priv = qdisc_priv(q);

	if (q->qstats.qlen >= q->limit)
		return qdisc_drop(skb, q);
	return qdisc_enqueue_tail(skb, q, &priv->q);
}

static int bfifo_enqueue(struct sk_buff *skb, struct Qdisc *q)
{
	struct fifo_sched_data *priv = qdisc_priv(q);

	if ((u64)q->qstats.backlog + skb->len > q->limit)
		return qdisc_drop(skb, q);
	return qdisc_enqueue_tail(skb, q, &priv->q);
}

static struct sk_buff *fifo_dequeue(struct Qdisc *q)
{
	struct fifo_sched_data *priv = qdisc_priv(q);

	return qdisc_dequeue_head(q, &priv->q);
}

static struct sk_buff *fifo_peek(struct Qdisc *q)
{
	struct fifo_sched_data *priv = qdisc_priv(q);

	return skb_peek(&priv->q);
}

static void fifo_reset(struct Qdisc *q)
{
	struct fifo_sched_data *priv = qdisc_priv(q);

	qdisc_reset_queue(q, &priv->q);
}

/* tc's get_size(): a number with an optional unit, in bytes; "k", "m", "g"
 * (with or without "b") are powers of 1024, "kbit" and friends are bits. */
static int tc_get_size(u32 *size, const char *str)
{
	static const struct { const char *unit; double mult; } units[] = {
		{ "", 1 }, { "b", 1 },
		{ "k", 1024 }, { "kb", 1024 }, { "kbit", 1024 / 8 },
		{ "m", 1024 * 1024 }, { "mb", 1024 * 1024 }, { "mbit", 1024 * 1024 / 8 },
		{ "g", 1024.0 * 1024 * 1024 }, { "gb", 1024.0 * 1024 * 1024 },
		{ "gbit", 1024.0 * 1024 * 1024 / 8 },
	};
	char *end;
	double sz = strtod(str, &end);

	if (end == str || !(sz >= 0))
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(units); i++) {
		if (strcasecmp(end, units[i].unit) != 0)
			continue;
		sz *= units[i].mult;
		if (sz > UINT32_MAX)
			return -1;
		*size = (u32)sz;
		return 0;
	}
	return -1;
}

/* tc's print_size(): "1Mb" and "64Kb" when the size is (nearly) round.
 * Integer arithmetic; tc's rint() only differs at exact halves, which are
 * never near enough to round. */
static int tc_print_size(char *buf, size_t len, u32 sz)
{
	u64 mb = ((u64)sz + 512 * 1024) / (1024 * 1024);
	u64 kb = ((u64)sz + 512) / 1024;

	if (sz >= 1024 * 1024 && (s64)(mb * 1024 * 1024 - sz) < 1024 &&
	    (s64)(mb * 1024 * 1024 - sz) > -1024)
		return snprintf(buf, len, "%lluMb", (unsigned long long)mb);
	if (sz >= 1024 && (s64)(kb * 1024 - sz) < 16 && (s64)(kb * 1024 - sz) > -16)
		return snprintf(buf, len, "%lluKb", (unsigned long long)kb);
	return snprintf(buf, len, "%ub", sz);
}

/* Linux's psched_mtu(): the largest frame the device sends, link header
 * included. */
static u32 psched_mtu(const struct net_device *dev)
{
	return dev->mtu + dev->hard_header_len;
}

static u32 fifo_default_limit(const struct Qdisc *q)
{
	const struct net_device *dev = qdisc_dev(q);
	u32 limit = dev->tx_queue_len ? dev->tx_queue_len : 1;

	return is_bfifo(q) ? limit * psched_mtu(dev) : limit;
}

static int fifo_usage(const struct Qdisc *q, char *errmsg)
{
	fifo_errmsg(errmsg, "Usage: ... %s [ limit NUMBER ]", q->ops->id);
	return -EINVAL;
}

/* `limit N`, or nothing for the default. Change takes the same arguments
 * and, as on Linux, none put the default back; on error nothing changes. */
static int fifo_change(struct Qdisc *q, int argc, char **argv, char *errmsg)
{
	u32 limit = fifo_default_limit(q);

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "help") == 0)
			return fifo_usage(q, errmsg);
		if (strcmp(argv[i], "limit") != 0) {
			fifo_errmsg(errmsg, "%s: unknown parameter \"%s\"", q->ops->id, argv[i]);
			return -EINVAL;
		}
		if (++i == argc) {
			fifo_errmsg(errmsg, "Command line is not complete. Try option \"help\"");
			return -EINVAL;
		}
		if (tc_get_size(&limit, argv[i]) < 0) {
			fifo_errmsg(errmsg, "%s: Illegal value for \"limit\": \"%s\"",
				    q->ops->id, argv[i]);
			return -EINVAL;
		}
	}
	q->limit = limit;
	return 0;
}

static int fifo_init(struct Qdisc *q, int argc, char **argv, char *errmsg)
{
	struct fifo_sched_data *priv = qdisc_priv(q);

	skb_queue_head_init(&priv->q);
	return fifo_change(q, argc, argv, errmsg);
}

static int pfifo_dump(struct Qdisc *q, char *buf, size_t len)
{
	return snprintf(buf, len, "limit %up", q->limit);
}

static int bfifo_dump(struct Qdisc *q, char *buf, size_t len)
{
	char size[32];

	tc_print_size(size, sizeof(size), q->limit);
	return snprintf(buf, len, "limit %s", size);
}

const struct Qdisc_ops pfifo_qdisc_ops = {
	.id = "pfifo",
	.priv_size = sizeof(struct fifo_sched_data),
	.enqueue = pfifo_enqueue,
	.dequeue = fifo_dequeue,
	.peek = fifo_peek,
	.init = fifo_init,
	.change = fifo_change,
	.reset = fifo_reset,
	.dump = pfifo_dump,
};

const struct Qdisc_ops bfifo_qdisc_ops = {
	.id = "bfifo",
	.priv_size = sizeof(struct fifo_sched_data),
	.enqueue = bfifo_enqueue,
	.dequeue = fifo_dequeue,
	.peek = fifo_peek,
	.init = fifo_init,
	.change = fifo_change,
	.reset = fifo_reset,
	.dump = bfifo_dump,
};
