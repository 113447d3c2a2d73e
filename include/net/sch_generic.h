/*
 * Queueing disciplines: the transmit queue between dev_queue_xmit() and the
 * driver. A Qdisc_ops table per kind (pfifo_fast, pfifo, bfifo; netem and
 * others join the same const table in sch_api.c). qdisc_run() dequeues and
 * hands packets to the driver until the queue is empty, the driver is busy,
 * or the quota is spent, in which case the qdisc is put on the stack's
 * output_queue and NET_TX softirq continues later (__netif_schedule). A qdisc
 * that holds packets until a later time (netem) arms its watchdog timer,
 * which schedules it again.
 *
 * "noqueue" is a kind without an enqueue function: choosing it leaves
 * dev->qdisc NULL, and transmit goes straight to the driver.
 *
 * Lifetime: the root qdisc, once built (by the first dev_activate() or by
 * tc), stays with its parameters until the device is unregistered or moves
 * to another namespace (dev_shutdown), as Linux keeps qdisc_sleeping.
 * dev_deactivate() only drops what is queued (counted) and disarms it.
 */
#ifndef TN_NET_SCH_GENERIC_H
#define TN_NET_SCH_GENERIC_H

#include "net/compiler.h"
#include "net/skbuff.h"
#include "net/timer.h"
#include "lib/list.h"

struct net_device;
struct Qdisc;

struct gnet_stats_queue {
	u32 qlen;        /* packets queued, requeued ones (gso_skb) included */
	u32 backlog;     /* bytes queued */
	u32 drops;
	u32 requeues;
	u32 overlimits;
};
struct gnet_stats_basic {
	u64 bytes;       /* handed to the driver */
	u64 packets;
};

struct Qdisc_ops {
	const char *id;                 /* "pfifo_fast", "netem", ... */
	size_t priv_size;
	/* Take skb (NET_XMIT_SUCCESS) or drop it with qdisc_drop() (NET_XMIT_DROP).
	 * NULL only for noqueue: the kind that means "no qdisc". */
	int (*enqueue)(struct sk_buff *skb, struct Qdisc *q);
	struct sk_buff *(*dequeue)(struct Qdisc *q);
	struct sk_buff *(*peek)(struct Qdisc *q);
	/* Parse `tc` arguments (argc/argv after the kind). 0 or -errno; on error
	 * errmsg (TC_ERRMSG_LEN bytes) says why, in tc's words. */
	int (*init)(struct Qdisc *q, int argc, char **argv, char *errmsg);
	int (*change)(struct Qdisc *q, int argc, char **argv, char *errmsg);
	void (*reset)(struct Qdisc *q);   /* drop everything queued (counted) */
	void (*destroy)(struct Qdisc *q); /* free private state (after reset) */
	/* One line of parameters as `tc qdisc show` prints them after the kind;
	 * returns what snprintf would. */
	int (*dump)(struct Qdisc *q, char *buf, size_t len);
};

#define TC_ERRMSG_LEN 128
/* Handle of a root made by `tc qdisc add/replace` without a handle ("8001:");
 * the default root has handle 0 ("0:"). */
#define TN_QDISC_AUTOHANDLE 0x80010000u

struct Qdisc {
	const struct Qdisc_ops *ops;
	struct net_device *dev;
	u32 handle;                   /* major:minor, 0 for the default root */
	u32 limit;                    /* packets (bytes for bfifo) */
	struct gnet_stats_queue qstats;
	struct gnet_stats_basic bstats;
	struct sk_buff_head gso_skb;  /* requeued after NETDEV_TX_BUSY, sent first */
	struct list_head output_list; /* on softnet_data.output_queue when scheduled */
	bool scheduled;               /* on output_queue (Linux's __QDISC_STATE_SCHED) */
	bool running;                 /* inside qdisc_run (__QDISC_STATE_RUNNING) */
	struct timer_list watchdog;   /* for qdiscs that hold packets until a time */
	_Alignas(16) unsigned char priv[];
};

static inline void *qdisc_priv(struct Qdisc *q) { return q->priv; }
static inline struct net_device *qdisc_dev(const struct Qdisc *q) { return q->dev; }
static inline void qdisc_qstats_backlog_inc(struct Qdisc *q, const struct sk_buff *skb)
{
	q->qstats.backlog += skb->len;
}
static inline void qdisc_qstats_backlog_dec(struct Qdisc *q, const struct sk_buff *skb)
{
	q->qstats.backlog -= skb->len;
}

/* Built-in kinds. The registry is the const table in sch_api.c. */
extern const struct Qdisc_ops pfifo_fast_ops;
extern const struct Qdisc_ops pfifo_qdisc_ops;
extern const struct Qdisc_ops bfifo_qdisc_ops;
extern const struct Qdisc_ops noqueue_qdisc_ops;
extern const struct Qdisc_ops netem_qdisc_ops;
const struct Qdisc_ops *qdisc_lookup_ops(const char *id);

/* Create/replace/remove the root qdisc of dev (`tc qdisc add/replace dev X
 * root KIND args`). kind NULL restores the default. The kind is remembered in
 * dev->qdisc_kind; on a down device the new root sleeps, parameters and all,
 * until the device comes up.
 * -ENOENT for an unknown kind, -EINVAL for bad arguments (errmsg says why). */
int qdisc_create_root(struct net_device *dev, const char *kind, int argc, char **argv,
		      char *errmsg);
/* `tc qdisc change dev X root KIND args` (the caller checks KIND). */
int qdisc_change_root(struct net_device *dev, int argc, char **argv, char *errmsg);
/* Build a qdisc of any ops (registered or not, e.g. a test's) for dev,
 * not attached. NULL with -errno in *errp (errmsg set) on failure. */
struct Qdisc *qdisc_create(struct net_device *dev, const struct Qdisc_ops *ops, u32 handle,
			   int argc, char **argv, char *errmsg, int *errp);
/* A zeroed qdisc of ops for dev (no init run); NULL on allocation failure.
 * Free it with qdisc_destroy(). */
struct Qdisc *qdisc_alloc(struct net_device *dev, const struct Qdisc_ops *ops);
/* Make q (NULL: none) the root of dev; the old root is destroyed, its
 * packets dropped and counted. Does not change dev->qdisc_kind. */
void qdisc_graft_root(struct net_device *dev, struct Qdisc *q);
/* Drop everything queued (counted in qstats.drops and as QDISC_DROP). */
void qdisc_reset(struct Qdisc *q);
void qdisc_destroy(struct Qdisc *q);
/* The kind the root of dev is (or will be when up): "pfifo_fast", "noqueue", ... */
const char *dev_qdisc_kind(const struct net_device *dev);
/* Called by the device layer on open/close: build the root if there is
 * none yet / put it to sleep (queue dropped and counted, watchdog off). */
void dev_activate(struct net_device *dev);
void dev_deactivate(struct net_device *dev);
/* Called at unregister and namespace change: destroy the root (and forget
 * the configured kind, as Linux falls back to the default). */
void dev_shutdown(struct net_device *dev);

/* Queue helpers for qdisc implementations: they keep qstats.qlen/backlog. */
int qdisc_enqueue_tail(struct sk_buff *skb, struct Qdisc *q, struct sk_buff_head *list);
struct sk_buff *qdisc_dequeue_head(struct Qdisc *q, struct sk_buff_head *list);
/* Drop every packet of list (a queue of q), counted as drops. */
void qdisc_reset_queue(struct Qdisc *q, struct sk_buff_head *list);
int qdisc_drop(struct sk_buff *skb, struct Qdisc *q);
/* Schedule q at stack time expires_ns (rounded up to the next jiffy). */
void qdisc_watchdog_schedule(struct Qdisc *q, u64 expires_ns);
void qdisc_watchdog_cancel(struct Qdisc *q);

/* Run q: move packets to the driver (NET_TX continues if work is left). */
void qdisc_run(struct Qdisc *q);
void __netif_schedule(struct Qdisc *q);

#endif
