/*
 * Queueing disciplines: the transmit queue between dev_queue_xmit() and the
 * driver. A Qdisc_ops table per kind (pfifo_fast here; netem and others join
 * the same registry). qdisc_run() dequeues and hands packets to the driver
 * until the queue is empty, the driver is busy, or the quota is spent, in
 * which case the qdisc is put on the stack's output_queue and NET_TX softirq
 * continues later (__netif_schedule). A qdisc that holds packets until a later
 * time (netem) arms its watchdog timer, which schedules it again.
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
	u32 qlen;
	u32 backlog;     /* bytes queued */
	u32 drops;
	u32 requeues;
	u32 overlimits;
};
struct gnet_stats_basic {
	u64 bytes;
	u64 packets;
};

struct Qdisc_ops {
	const char *id;                 /* "pfifo_fast", "netem", ... */
	size_t priv_size;
	/* Take skb (NET_XMIT_SUCCESS) or drop it with qdisc_drop() (NET_XMIT_DROP). */
	int (*enqueue)(struct sk_buff *skb, struct Qdisc *q);
	struct sk_buff *(*dequeue)(struct Qdisc *q);
	struct sk_buff *(*peek)(struct Qdisc *q);
	/* Parse `tc` arguments (argc/argv after the kind). 0 or -errno; on error
	 * errmsg (128 bytes) says why, in tc's words. */
	int (*init)(struct Qdisc *q, int argc, char **argv, char *errmsg);
	int (*change)(struct Qdisc *q, int argc, char **argv, char *errmsg);
	void (*reset)(struct Qdisc *q);   /* drop everything queued */
	void (*destroy)(struct Qdisc *q); /* free private state (after reset) */
	/* One line of parameters as `tc qdisc show` prints them after the kind. */
	int (*dump)(struct Qdisc *q, char *buf, size_t len);
	struct Qdisc_ops *next;
};

struct Qdisc {
	const struct Qdisc_ops *ops;
	struct net_device *dev;
	u32 handle;                   /* major:minor, 0 for the default root */
	u32 limit;                    /* packets */
	struct gnet_stats_queue qstats;
	struct gnet_stats_basic bstats;
	struct sk_buff_head gso_skb;  /* requeued after NETDEV_TX_BUSY */
	struct list_head output_list; /* on softnet_data.output_queue when scheduled */
	bool scheduled;
	bool running;
	struct timer_list watchdog;   /* for qdiscs that hold packets until a time */
	_Alignas(16) unsigned char priv[];
};

static inline void *qdisc_priv(struct Qdisc *q) { return q->priv; }

void register_qdisc(struct Qdisc_ops *ops);   /* built-ins register at stack init */
const struct Qdisc_ops *qdisc_lookup_ops(const char *id);

/* Create/replace/remove the root qdisc of dev. kind NULL restores the default. */
int qdisc_create_root(struct net_device *dev, const char *kind, int argc, char **argv,
		      char *errmsg);
int qdisc_change_root(struct net_device *dev, int argc, char **argv, char *errmsg);
void qdisc_destroy(struct Qdisc *q);
/* Called by the device layer on open/close. */
void dev_activate(struct net_device *dev);
void dev_deactivate(struct net_device *dev);

/* Enqueue helpers for qdisc implementations. */
int qdisc_enqueue_tail(struct sk_buff *skb, struct Qdisc *q, struct sk_buff_head *list);
int qdisc_drop(struct sk_buff *skb, struct Qdisc *q);
void qdisc_watchdog_schedule(struct Qdisc *q, u64 expires_ns);
void qdisc_watchdog_cancel(struct Qdisc *q);

/* Run q: move packets to the driver (NET_TX continues if work is left). */
void qdisc_run(struct Qdisc *q);
void __netif_schedule(struct Qdisc *q);

#endif
