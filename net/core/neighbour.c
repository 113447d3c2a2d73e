/*
 * The generic neighbour cache (Linux's net/core/neighbour.c): a hash table of
 * L3 -> L2 bindings per protocol table (ARP's arp_cache, later IPv6 ND), the
 * NUD state machine that keeps each binding honest with per-entry timers,
 * the unresolved-packet queue, transmit through the device's header_ops,
 * periodic and forced garbage collection, and the net.<family>.neigh.*
 * sysctls with Linux's names and units.
 *
 * It is not a protocol: it never builds a solicitation or reads a reply.
 * The protocol supplies a constructor (pick parms, spot NOARP addresses), a
 * hash, and neigh_ops (solicit, error_report), and feeds what it learns in
 * through neigh_update(). Proxy neighbours (pneigh), hh caches and netlink
 * notifications are not here yet.
 *
 * Everything runs under the stack lock, so Linux's per-entry locks and RCU
 * disappear; the reference counts stay, because an entry may outlive its
 * place in the table (a timer or a caller still holds it).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "net/skbuff.h"  /* before <linux/...> headers: PACKET_HOST */
#include "net/neighbour.h"
#include "net/netdevice.h"
#include "net/net_namespace.h"
#include "net/stack.h"
#include "net/sysctl.h"

#define NEIGH_INIT_HASH_SHIFT 3
/* Timers never fire closer than this to now (Linux's HZ/100). */
#define NEIGH_MIN_TIMER (HZ / 100)
/* reachable_time is re-randomised this often (Linux: 300 s). */
#define NEIGH_RAND_REFRESH (300 * HZ)
/* Forced gc runs at most this often while between gc_thresh2 and 3. */
#define NEIGH_FORCED_GC_INTERVAL (5 * HZ)

static void neigh_timer_handler(struct timer_list *t);

static struct tn_stack *neigh_tbl_stack(const struct neigh_table *tbl)
{
	return tbl->net->stack;
}

static u64 neigh_now(const struct neigh_table *tbl)
{
	return jiffies(neigh_tbl_stack(tbl));
}

/* ---- neigh_parms and their sysctls ----------------------------------- */

/* The variables of a neigh_parms, Linux's NEIGH_VAR_* order; the index is
 * the bit in data_state. */
enum {
	NEIGH_VAR_MCAST_PROBES,
	NEIGH_VAR_UCAST_PROBES,
	NEIGH_VAR_APP_PROBES,
	NEIGH_VAR_MCAST_REPROBES,
	NEIGH_VAR_RETRANS_TIME,
	NEIGH_VAR_BASE_REACHABLE_TIME,
	NEIGH_VAR_DELAY_PROBE_TIME,
	NEIGH_VAR_INTERVAL_PROBE_TIME_MS,
	NEIGH_VAR_GC_STALETIME,
	NEIGH_VAR_QUEUE_LEN_BYTES,
	NEIGH_VAR_PROXY_QLEN,
	NEIGH_VAR_ANYCAST_DELAY,
	NEIGH_VAR_PROXY_DELAY,
	NEIGH_VAR_LOCKTIME,
	NEIGH_VAR_DATA_MAX,
};

static const size_t neigh_var_offset[NEIGH_VAR_DATA_MAX] = {
	[NEIGH_VAR_MCAST_PROBES] = offsetof(struct neigh_parms, mcast_probes),
	[NEIGH_VAR_UCAST_PROBES] = offsetof(struct neigh_parms, ucast_probes),
	[NEIGH_VAR_APP_PROBES] = offsetof(struct neigh_parms, app_probes),
	[NEIGH_VAR_MCAST_REPROBES] = offsetof(struct neigh_parms, mcast_reprobes),
	[NEIGH_VAR_RETRANS_TIME] = offsetof(struct neigh_parms, retrans_time),
	[NEIGH_VAR_BASE_REACHABLE_TIME] = offsetof(struct neigh_parms, base_reachable_time),
	[NEIGH_VAR_DELAY_PROBE_TIME] = offsetof(struct neigh_parms, delay_probe_time),
	[NEIGH_VAR_INTERVAL_PROBE_TIME_MS] = offsetof(struct neigh_parms, interval_probe_time_ms),
	[NEIGH_VAR_GC_STALETIME] = offsetof(struct neigh_parms, gc_staletime),
	[NEIGH_VAR_QUEUE_LEN_BYTES] = offsetof(struct neigh_parms, queue_len_bytes),
	[NEIGH_VAR_PROXY_QLEN] = offsetof(struct neigh_parms, proxy_qlen),
	[NEIGH_VAR_ANYCAST_DELAY] = offsetof(struct neigh_parms, anycast_delay),
	[NEIGH_VAR_PROXY_DELAY] = offsetof(struct neigh_parms, proxy_delay),
	[NEIGH_VAR_LOCKTIME] = offsetof(struct neigh_parms, locktime),
};

static int neigh_proc_dointvec_zero_intmax(const struct ctl_table *t, void *f, bool w,
					   char *buf, size_t len);
static int neigh_proc_dointvec_jiffies(const struct ctl_table *t, void *f, bool w,
				       char *buf, size_t len);
static int neigh_proc_dointvec_ms_jiffies(const struct ctl_table *t, void *f, bool w,
					  char *buf, size_t len);
static int neigh_proc_dointvec_userhz_jiffies(const struct ctl_table *t, void *f, bool w,
					      char *buf, size_t len);
static int neigh_proc_dointvec_unres_qlen(const struct ctl_table *t, void *f, bool w,
					  char *buf, size_t len);
static int neigh_proc_base_reachable_time(const struct ctl_table *t, void *f, bool w,
					  char *buf, size_t len);

/*
 * One template, Linux's neigh_sysctl_template, expanded twice: relative to
 * a device's neigh_parms, and relative to the table for "default" (whose
 * parms are embedded in the table, next to the table-wide gc_* knobs).
 */
#define NEIGH_SYSCTL_VARS(ENTRY)                                                   \
	ENTRY("mcast_solicit", mcast_probes, neigh_proc_dointvec_zero_intmax)       \
	ENTRY("ucast_solicit", ucast_probes, neigh_proc_dointvec_zero_intmax)       \
	ENTRY("app_solicit", app_probes, neigh_proc_dointvec_zero_intmax)           \
	ENTRY("mcast_resolicit", mcast_reprobes, neigh_proc_dointvec_zero_intmax)   \
	ENTRY("retrans_time", retrans_time, neigh_proc_dointvec_userhz_jiffies)     \
	ENTRY("base_reachable_time", base_reachable_time, neigh_proc_base_reachable_time) \
	ENTRY("delay_first_probe_time", delay_probe_time, neigh_proc_dointvec_jiffies) \
	ENTRY("interval_probe_time_ms", interval_probe_time_ms,                    \
	      neigh_proc_dointvec_ms_jiffies)                                      \
	ENTRY("gc_stale_time", gc_staletime, neigh_proc_dointvec_jiffies)           \
	ENTRY("unres_qlen_bytes", queue_len_bytes, neigh_proc_dointvec_zero_intmax) \
	ENTRY("proxy_qlen", proxy_qlen, neigh_proc_dointvec_zero_intmax)            \
	ENTRY("anycast_delay", anycast_delay, neigh_proc_dointvec_userhz_jiffies)   \
	ENTRY("proxy_delay", proxy_delay, neigh_proc_dointvec_userhz_jiffies)       \
	ENTRY("locktime", locktime, neigh_proc_dointvec_userhz_jiffies)             \
	ENTRY("unres_qlen", queue_len_bytes, neigh_proc_dointvec_unres_qlen)        \
	ENTRY("retrans_time_ms", retrans_time, neigh_proc_dointvec_ms_jiffies)      \
	ENTRY("base_reachable_time_ms", base_reachable_time, neigh_proc_base_reachable_time)

#define NEIGH_DEV_ENTRY(name, field, handler) \
	{ name, offsetof(struct neigh_parms, field), handler, 0, INT_MAX, 0644 },
#define NEIGH_DFLT_ENTRY(name, field, handler)                                        \
	{ name, offsetof(struct neigh_table, parms) + offsetof(struct neigh_parms, field), \
	  handler, 0, INT_MAX, 0644 },

static const struct ctl_table neigh_dev_sysctl[] = {
	NEIGH_SYSCTL_VARS(NEIGH_DEV_ENTRY)
};

static const struct ctl_table neigh_dflt_sysctl[] = {
	NEIGH_SYSCTL_VARS(NEIGH_DFLT_ENTRY)
	/* Table-wide: only under "default", as on Linux. */
	{ "gc_interval", offsetof(struct neigh_table, gc_interval), proc_dointvec_jiffies,
	  0, 0, 0644 },
	{ "gc_thresh1", offsetof(struct neigh_table, gc_thresh1), proc_dointvec_minmax,
	  0, INT_MAX, 0644 },
	{ "gc_thresh2", offsetof(struct neigh_table, gc_thresh2), proc_dointvec_minmax,
	  0, INT_MAX, 0644 },
	{ "gc_thresh3", offsetof(struct neigh_table, gc_thresh3), proc_dointvec_minmax,
	  0, INT_MAX, 0644 },
};

/* Which variable a sysctl entry names: the handlers get the field, and
 * find the neigh_parms around it from the variable's offset. */
static int neigh_sysctl_var(const struct ctl_table *t)
{
	for (size_t i = 0; i < ARRAY_SIZE(neigh_dev_sysctl); i++)
		if (strcmp(neigh_dev_sysctl[i].procname, t->procname) == 0)
			for (int v = 0; v < NEIGH_VAR_DATA_MAX; v++)
				if (neigh_var_offset[v] == neigh_dev_sysctl[i].offset)
					return v;
	return -1;
}

static int *neigh_var_ptr(struct neigh_parms *p, int var)
{
	return (int *)((char *)p + neigh_var_offset[var]);
}

u64 neigh_rand_reach_time(struct neigh_table *tbl, u64 base)
{
	if (!base)
		return 0;
	return tn_prandom_below(neigh_tbl_stack(tbl), (u32)base) + (base >> 1);
}

/*
 * After a successful write (Linux's neigh_proc_update): the variable is now
 * explicitly set on this parms; a write to "default" is copied to every
 * device that has not set its own value.
 */
static void neigh_proc_update(const struct ctl_table *t, void *field)
{
	int var = neigh_sysctl_var(t);
	struct neigh_parms *p, *dp;

	if (var < 0)
		return;
	p = (struct neigh_parms *)((char *)field - neigh_var_offset[var]);
	p->data_state |= 1u << var;
	if (var == NEIGH_VAR_BASE_REACHABLE_TIME)
		p->reachable_time = neigh_rand_reach_time(p->tbl, (u64)p->base_reachable_time);
	if (p->dev)
		return;
	list_for_each_entry(dp, &p->tbl->parms_list, list) {
		if (!dp->dev || (dp->data_state & (1u << var)))
			continue;
		*neigh_var_ptr(dp, var) = *neigh_var_ptr(p, var);
		if (var == NEIGH_VAR_BASE_REACHABLE_TIME)
			dp->reachable_time = neigh_rand_reach_time(dp->tbl,
								   (u64)dp->base_reachable_time);
	}
}

static int neigh_proc_done(const struct ctl_table *t, void *f, bool w, int err)
{
	if (w && !err)
		neigh_proc_update(t, f);
	return err;
}

static int neigh_proc_dointvec_zero_intmax(const struct ctl_table *t, void *f, bool w,
					   char *buf, size_t len)
{
	return neigh_proc_done(t, f, w, proc_dointvec_minmax(t, f, w, buf, len));
}

static int neigh_proc_dointvec_jiffies(const struct ctl_table *t, void *f, bool w,
				       char *buf, size_t len)
{
	return neigh_proc_done(t, f, w, proc_dointvec_jiffies(t, f, w, buf, len));
}

static int neigh_proc_dointvec_ms_jiffies(const struct ctl_table *t, void *f, bool w,
					  char *buf, size_t len)
{
	return neigh_proc_done(t, f, w, proc_dointvec_ms_jiffies(t, f, w, buf, len));
}

static int neigh_proc_dointvec_userhz_jiffies(const struct ctl_table *t, void *f, bool w,
					      char *buf, size_t len)
{
	return neigh_proc_done(t, f, w, proc_dointvec_userhz_jiffies(t, f, w, buf, len));
}

/* unres_qlen is a view of unres_qlen_bytes in packets of Linux's
 * SKB_TRUESIZE(ETH_FRAME_LEN); both name one variable. */
static int neigh_proc_dointvec_unres_qlen(const struct ctl_table *t, void *f, bool w,
					  char *buf, size_t len)
{
	int *bytes = f;
	int pkts = *bytes / NEIGH_UNRES_QLEN_TRUESIZE;
	struct ctl_table tmp = *t;
	int err;

	tmp.min = 0;
	tmp.max = INT_MAX / NEIGH_UNRES_QLEN_TRUESIZE;
	err = proc_dointvec_minmax(&tmp, &pkts, w, buf, len);
	if (w && !err)
		*bytes = pkts * NEIGH_UNRES_QLEN_TRUESIZE;
	return neigh_proc_done(t, f, w, err);
}

/* base_reachable_time (s) and base_reachable_time_ms: a write re-draws
 * reachable_time at once, as Linux does. */
static int neigh_proc_base_reachable_time(const struct ctl_table *t, void *f, bool w,
					  char *buf, size_t len)
{
	int err;

	if (strcmp(t->procname, "base_reachable_time") == 0)
		err = proc_dointvec_jiffies(t, f, w, buf, len);
	else
		err = proc_dointvec_ms_jiffies(t, f, w, buf, len);
	return neigh_proc_done(t, f, w, err);
}

static const char *neigh_family_dir(const struct neigh_table *tbl)
{
	return tbl->family == 10 /* AF_INET6 */ ? "net/ipv6/neigh" : "net/ipv4/neigh";
}

int neigh_sysctl_register(struct net_device *dev, struct neigh_parms *p)
{
	char path[64];

	if (!dev)
		return -EINVAL;
	snprintf(path, sizeof(path), "%s/%s", neigh_family_dir(p->tbl), dev->name);
	p->sysctl = register_net_sysctl(p->tbl->net, path, neigh_dev_sysctl,
					ARRAY_SIZE(neigh_dev_sysctl), p);
	return p->sysctl ? 0 : -ENOMEM;
}

void neigh_sysctl_unregister(struct neigh_parms *p)
{
	unregister_net_sysctl_table(p->sysctl);
	p->sysctl = NULL;
}

static void neigh_parms_put(struct neigh_parms *p)
{
	TN_BUG_ON(p->refcnt <= 0);
	if (--p->refcnt == 0) {
		TN_BUG_ON(!p->dead);
		free(p);
	}
}

struct neigh_parms *neigh_parms_alloc(struct net_device *dev, struct neigh_table *tbl)
{
	struct neigh_parms *p = malloc(sizeof(*p));

	if (!p)
		return NULL;
	*p = tbl->parms;
	p->dev = dev;
	p->tbl = tbl;
	p->sysctl = NULL;
	p->refcnt = 1;
	p->dead = false;
	p->data_state = 0;
	p->reachable_time = neigh_rand_reach_time(tbl, (u64)p->base_reachable_time);
	list_add_tail(&p->list, &tbl->parms_list);
	return p;
}

/* Entries keep using a released parms (it is freed with the last one), but
 * it no longer follows writes to "default" and has no sysctls. */
void neigh_parms_release(struct neigh_table *tbl, struct neigh_parms *p)
{
	if (!p || p == &tbl->parms)
		return;
	list_del(&p->list);
	neigh_sysctl_unregister(p);
	p->dead = true;
	neigh_parms_put(p);
}

/* ---- entries: allocation, hashing, lookup ------------------------------- */

static struct hlist_head *neigh_hash_alloc(unsigned int shift)
{
	return calloc((size_t)1 << shift, sizeof(struct hlist_head));
}

static unsigned int neigh_bucket(const struct neigh_table *tbl, const void *pkey,
				 const struct net_device *dev)
{
	return tbl->hash(pkey, dev, tbl->hash_rnd) >> (32 - tbl->hash_shift);
}

/* Double the bucket array with a fresh seed (Linux's neigh_hash_grow). */
static void neigh_hash_grow(struct neigh_table *tbl)
{
	unsigned int old_shift = tbl->hash_shift;
	struct hlist_head *old = tbl->hash_buckets;
	struct hlist_head *nb = neigh_hash_alloc(old_shift + 1);
	struct neighbour *n;
	struct hlist_node *tmp;

	if (!nb)
		return;  /* keep the smaller table: longer chains, still correct */
	tbl->stats.hash_grows++;
	tbl->hash_buckets = nb;
	tbl->hash_shift = old_shift + 1;
	tbl->hash_rnd = tn_prandom_u32(neigh_tbl_stack(tbl)) | 1;
	for (size_t i = 0; i < ((size_t)1 << old_shift); i++) {
		hlist_for_each_entry_safe(n, tmp, &old[i], hash) {
			hlist_del_init(&n->hash);
			hlist_add_head(&n->hash, &nb[neigh_bucket(tbl, n->primary_key, n->dev)]);
		}
	}
	free(old);
}

static struct neighbour *__neigh_lookup_noref(struct neigh_table *tbl, const void *pkey,
					      const struct net_device *dev)
{
	struct neighbour *n;

	hlist_for_each_entry(n, &tbl->hash_buckets[neigh_bucket(tbl, pkey, dev)], hash)
		if (n->dev == dev && memcmp(n->primary_key, pkey, tbl->key_len) == 0)
			return n;
	return NULL;
}

struct neighbour *neigh_lookup(struct neigh_table *tbl, const void *pkey,
			       struct net_device *dev)
{
	struct neighbour *n;

	tbl->stats.lookups++;
	n = __neigh_lookup_noref(tbl, pkey, dev);
	if (n) {
		neigh_clone(n);
		tbl->stats.hits++;
	}
	return n;
}

/* Blackhole output of an entry that is not (or no longer) usable. */
static int neigh_blackhole(struct neighbour *n, struct sk_buff *skb)
{
	kfree_skb_reason(skb, SKB_DROP_REASON_NEIGH_DEAD);
	return -ENETDOWN;
}

static void neigh_mark_dead(struct neighbour *n)
{
	n->dead = true;
	if (!list_empty(&n->gc_list)) {
		list_del_init(&n->gc_list);
		n->tbl->gc_entries--;
	}
}

/* Keep gc_list and the PERMANENT state in step (Linux's neigh_update_gc_list). */
static void neigh_update_gc_list(struct neighbour *n)
{
	bool exempt = n->nud_state & NUD_PERMANENT;
	bool on_list = !list_empty(&n->gc_list);

	if (n->dead)
		return;
	if (exempt && on_list) {
		list_del_init(&n->gc_list);
		n->tbl->gc_entries--;
	} else if (!exempt && !on_list) {
		list_add_tail(&n->gc_list, &n->tbl->gc_list);
		n->tbl->gc_entries++;
	}
}

static void neigh_destroy(struct neighbour *n)
{
	struct neigh_table *tbl = n->tbl;

	TN_BUG_ON(!n->dead);
	TN_BUG_ON(timer_pending(&n->timer));
	skb_queue_purge_reason(&n->arp_queue, SKB_DROP_REASON_NEIGH_DEAD);
	n->arp_queue_len_bytes = 0;
	dev_put(n->dev);
	neigh_parms_put(n->parms);
	tbl->stats.destroys++;
	tbl->entries--;
	free(n);
}

void neigh_release(struct neighbour *n)
{
	if (!n)
		return;
	TN_BUG_ON(n->refcnt <= 0);
	if (--n->refcnt == 0)
		neigh_destroy(n);
}

static int neigh_forced_gc(struct neigh_table *tbl);

/*
 * Room for one more entry? Linux's rule: at gc_thresh3, or past gc_thresh2
 * and no forced gc for 5 s, run one; full if it freed nothing at gc_thresh3.
 */
static bool neigh_table_has_room(struct neigh_table *tbl)
{
	unsigned int entries = tbl->gc_entries;
	u64 now = neigh_now(tbl);

	if (entries >= (unsigned int)tbl->gc_thresh3 ||
	    (entries >= (unsigned int)tbl->gc_thresh2 &&
	     now > tbl->last_flush + NEIGH_FORCED_GC_INTERVAL)) {
		if (!neigh_forced_gc(tbl) && entries >= (unsigned int)tbl->gc_thresh3) {
			tbl->stats.table_fulls++;
			return false;
		}
	}
	return true;
}

static struct neighbour *neigh_alloc(struct neigh_table *tbl, struct net_device *dev,
				     bool exempt_from_gc)
{
	struct tn_stack *st = neigh_tbl_stack(tbl);
	struct neighbour *n;
	u64 now = jiffies(st);

	if (!exempt_from_gc && !neigh_table_has_room(tbl))
		return NULL;
	if (tn_should_fail(st, TN_FAULT_NEIGH) || !(n = calloc(1, sizeof(*n))))
		return NULL;
	INIT_HLIST_NODE(&n->hash);
	INIT_LIST_HEAD(&n->gc_list);
	skb_queue_head_init(&n->arp_queue);
	timer_setup(&n->timer, neigh_timer_handler);
	n->tbl = tbl;
	n->dev = dev;
	dev_hold(dev);
	n->parms = &tbl->parms;
	n->parms->refcnt++;
	n->updated = n->used = now;
	n->nud_state = NUD_NONE;
	n->output = neigh_blackhole;
	n->refcnt = 1;
	n->dead = true;  /* until it is in the table */
	tbl->stats.allocs++;
	tbl->entries++;
	return n;
}

/* The constructor may move the entry to its device's parms. */
void neigh_set_parms(struct neighbour *n, struct neigh_parms *p)
{
	p->refcnt++;
	neigh_parms_put(n->parms);
	n->parms = p;
}

static void neigh_hash_insert(struct neigh_table *tbl, struct neighbour *n, bool exempt_from_gc)
{
	if (tbl->entries > (1u << tbl->hash_shift))
		neigh_hash_grow(tbl);
	if (!exempt_from_gc) {
		list_add_tail(&n->gc_list, &tbl->gc_list);
		tbl->gc_entries++;
	}
	n->dead = false;
	hlist_add_head(&n->hash, &tbl->hash_buckets[neigh_bucket(tbl, n->primary_key, n->dev)]);
}

struct neighbour *__neigh_create(struct neigh_table *tbl, const void *pkey,
				 struct net_device *dev, bool exempt_from_gc)
{
	struct neighbour *n = __neigh_lookup_noref(tbl, pkey, dev);

	if (n)
		return neigh_clone(n);
	n = neigh_alloc(tbl, dev, exempt_from_gc);
	if (!n)
		return NULL;
	memcpy(n->primary_key, pkey, tbl->key_len);
	if (tbl->constructor && tbl->constructor(n) < 0)
		goto release;
	if (n->parms->dead)
		goto release;
	n->confirmed = neigh_now(tbl) - ((u64)n->parms->base_reachable_time << 1);
	/* The constructor may have rewritten the key (Linux keys every
	 * loopback neighbour as 0.0.0.0): the entry may exist after all. */
	struct neighbour *old = __neigh_lookup_noref(tbl, n->primary_key, dev);
	if (old) {
		neigh_release(n);
		return neigh_clone(old);
	}
	neigh_hash_insert(tbl, n, exempt_from_gc);
	return neigh_clone(n);  /* the table keeps the first reference */

release:
	neigh_release(n);
	return NULL;
}

struct neighbour *__neigh_lookup(struct neigh_table *tbl, const void *pkey,
				 struct net_device *dev, bool creat)
{
	struct neighbour *n = neigh_lookup(tbl, pkey, dev);

	if (n || !creat)
		return n;
	return __neigh_create(tbl, pkey, dev, false);
}

/* Take n out of the hash and drop the table's reference. */
static void neigh_unlink(struct neighbour *n)
{
	hlist_del_init(&n->hash);
	neigh_mark_dead(n);
	neigh_release(n);
}

/* ---- timers ------------------------------------------------------------ */

/* A pending timer holds a reference, so a handler never runs on freed memory. */
static void neigh_add_timer(struct neighbour *n, u64 when)
{
	neigh_clone(n);
	if (tn_mod_timer(neigh_tbl_stack(n->tbl), &n->timer, when))
		n->refcnt--;  /* was already pending: keep one reference for it */
}

/* Callers hold their own reference, so dropping the timer's never frees n. */
static void neigh_del_timer(struct neighbour *n)
{
	if (del_timer(&n->timer)) {
		n->refcnt--;
		TN_BUG_ON(n->refcnt <= 0);
	}
}

static void neigh_connect(struct neighbour *n)
{
	if (n->output != neigh_direct_output)
		n->output = neigh_connected_output;
}

static void neigh_suspect(struct neighbour *n)
{
	if (n->output != neigh_direct_output)
		n->output = neigh_resolve_output;
}

/* Solicits allowed in the current state before FAILED. INCOMPLETE starts
 * its count at ucast_probes, so it sends mcast (+ app) solicits; PROBE
 * starts at 0 and sends ucast (+ app + mcast_resolicit) ones. */
static int neigh_max_probes(const struct neighbour *n)
{
	const struct neigh_parms *p = n->parms;

	return p->ucast_probes + p->app_probes +
	       ((n->nud_state & NUD_PROBE) ? p->mcast_reprobes : p->mcast_probes);
}

static u64 neigh_retrans(const struct neighbour *n)
{
	return (u64)TN_MAX(n->parms->retrans_time, NEIGH_MIN_TIMER);
}

/* Ask again. The newest queued packet tells the protocol which source
 * address the peer should see; solicit must not free it. */
static void neigh_probe(struct neighbour *n)
{
	struct sk_buff *skb = skb_peek_tail(&n->arp_queue);

	if (n->ops && n->ops->solicit)
		n->ops->solicit(n, skb);
	n->probes++;
}

/* Resolution failed: every queued packet gets its error report (ICMP host
 * unreachable), which consumes it. */
static void neigh_invalidate(struct neighbour *n)
{
	struct sk_buff *skb;

	n->tbl->stats.res_failed++;
	n->updated = neigh_now(n->tbl);
	while (n->nud_state == NUD_FAILED && (skb = __skb_dequeue(&n->arp_queue))) {
		n->arp_queue_len_bytes -= skb->truesize;
		if (n->ops && n->ops->error_report)
			n->ops->error_report(n, skb);
		else
			kfree_skb_reason(skb, SKB_DROP_REASON_NEIGH_FAILED);
	}
	skb_queue_purge_reason(&n->arp_queue, SKB_DROP_REASON_NEIGH_FAILED);
	n->arp_queue_len_bytes = 0;
}

/* REACHABLE timer: still confirmed, recently used (DELAY), or STALE. */
static u64 neigh_timer_reachable(struct neighbour *n, u64 now)
{
	if (now <= n->confirmed + n->parms->reachable_time)
		return n->confirmed + n->parms->reachable_time;
	n->updated = now;
	neigh_suspect(n);
	if (now <= n->used + (u64)n->parms->delay_probe_time) {
		n->nud_state = NUD_DELAY;
		return now + (u64)n->parms->delay_probe_time;
	}
	n->nud_state = NUD_STALE;
	return now + HZ;  /* unused: STALE has no timer */
}

/* DELAY timer: confirmed meanwhile (REACHABLE again) or start unicast PROBE. */
static u64 neigh_timer_delay(struct neighbour *n, u64 now)
{
	n->updated = now;
	if (now <= n->confirmed + (u64)n->parms->delay_probe_time) {
		n->nud_state = NUD_REACHABLE;
		neigh_connect(n);
		return n->confirmed + n->parms->reachable_time;
	}
	n->nud_state = NUD_PROBE;
	n->probes = 0;
	return now + neigh_retrans(n);
}

static void neigh_timer_handler(struct timer_list *t)
{
	struct neighbour *n = from_timer(n, t, timer);
	u64 now = neigh_now(n->tbl);
	u64 next = now + HZ;
	u8 state = n->nud_state;

	if (!(state & NUD_IN_TIMER))
		goto out;
	if (state & NUD_REACHABLE)
		next = neigh_timer_reachable(n, now);
	else if (state & NUD_DELAY)
		next = neigh_timer_delay(n, now);
	else  /* INCOMPLETE or PROBE: the next solicit */
		next = now + neigh_retrans(n);

	if ((n->nud_state & (NUD_INCOMPLETE | NUD_PROBE)) && n->probes >= neigh_max_probes(n)) {
		n->nud_state = NUD_FAILED;
		neigh_invalidate(n);
		goto out;
	}
	if (n->nud_state & NUD_IN_TIMER) {
		if (next < now + NEIGH_MIN_TIMER)
			next = now + NEIGH_MIN_TIMER;
		neigh_add_timer(n, next);
	}
	if (n->nud_state & (NUD_INCOMPLETE | NUD_PROBE))
		neigh_probe(n);
out:
	neigh_release(n);  /* the reference of the timer that just fired */
}

/* ---- sending through an entry ------------------------------------------ */

/*
 * Queue skb on an unresolved entry. Overflow drops the OLDEST packets, as
 * Linux does: the newest is the one the application is waiting on now.
 */
static void neigh_queue_unresolved(struct neighbour *n, struct sk_buff *skb)
{
	struct sk_buff *old;

	while (n->arp_queue_len_bytes + skb->truesize > (u32)n->parms->queue_len_bytes) {
		old = __skb_dequeue(&n->arp_queue);
		if (!old)
			break;
		n->arp_queue_len_bytes -= old->truesize;
		kfree_skb_reason(old, SKB_DROP_REASON_NEIGH_QUEUEFULL);
		n->tbl->stats.unres_discards++;
	}
	__skb_queue_tail(&n->arp_queue, skb);
	n->arp_queue_len_bytes += skb->truesize;
}

/* NONE or FAILED: start resolving (INCOMPLETE, first solicit now), or fail
 * at once if this table may not solicit at all. Returns true if skb is
 * still ours to queue. */
static bool neigh_start_resolution(struct neighbour *n, struct sk_buff *skb, bool *probe_now)
{
	u64 now = neigh_now(n->tbl);

	if (!(n->parms->mcast_probes + n->parms->app_probes)) {
		n->nud_state = NUD_FAILED;
		n->updated = now;
		kfree_skb_reason(skb, SKB_DROP_REASON_NEIGH_FAILED);
		return false;
	}
	n->probes = n->parms->ucast_probes;
	neigh_del_timer(n);
	n->nud_state = NUD_INCOMPLETE;
	n->updated = now;
	neigh_add_timer(n, now + neigh_retrans(n));
	*probe_now = true;
	return true;
}

/* STALE and used: give upper layers delay_first_probe_time to confirm. */
static void neigh_start_delay(struct neighbour *n)
{
	u64 now = neigh_now(n->tbl);

	neigh_del_timer(n);
	n->nud_state = NUD_DELAY;
	n->updated = now;
	neigh_add_timer(n, now + (u64)n->parms->delay_probe_time);
}

static int __neigh_event_send(struct neighbour *n, struct sk_buff *skb)
{
	bool probe_now = false;
	int rc = 0;

	if (n->dead) {
		if (n->nud_state & NUD_STALE)
			return 0;
		kfree_skb_reason(skb, SKB_DROP_REASON_NEIGH_DEAD);
		return 1;
	}
	if (!(n->nud_state & (NUD_STALE | NUD_INCOMPLETE))) {
		if (!neigh_start_resolution(n, skb, &probe_now))
			return 1;
	} else if (n->nud_state & NUD_STALE) {
		neigh_start_delay(n);
	}
	if (n->nud_state == NUD_INCOMPLETE) {
		if (skb)
			neigh_queue_unresolved(n, skb);
		rc = 1;
	}
	if (probe_now)
		neigh_probe(n);
	return rc;
}

int neigh_event_send(struct neighbour *n, struct sk_buff *skb)
{
	n->used = neigh_now(n->tbl);
	if (n->nud_state & (NUD_CONNECTED | NUD_DELAY | NUD_PROBE))
		return 0;
	return __neigh_event_send(n, skb);
}

/* Put the link header in front of the network header and transmit. */
static int neigh_xmit_with_header(struct neighbour *n, struct sk_buff *skb)
{
	struct net_device *dev = n->dev;
	int off;

	/* A packet sent before (requeued, or a retried header) may carry an
	 * old link header: start again from the network header. */
	if (skb->network_header != SKB_HDR_UNSET && (off = skb_network_offset(skb)) > 0)
		skb_pull(skb, (unsigned int)off);
	if (skb_cow_head(skb, LL_RESERVED_SPACE(dev))) {
		kfree_skb_reason(skb, SKB_DROP_REASON_NOMEM);
		return -ENOMEM;
	}
	if (dev_hard_header(skb, dev, skb->protocol, n->ha, NULL, skb->len) < 0) {
		kfree_skb_reason(skb, SKB_DROP_REASON_DEV_HDR);
		return -EINVAL;
	}
	return dev_queue_xmit(skb);
}

int neigh_resolve_output(struct neighbour *n, struct sk_buff *skb)
{
	if (neigh_event_send(n, skb))
		return 0;  /* queued for resolution, or dropped and counted */
	return neigh_xmit_with_header(n, skb);
}

int neigh_connected_output(struct neighbour *n, struct sk_buff *skb)
{
	return neigh_xmit_with_header(n, skb);
}

int neigh_direct_output(struct neighbour *n, struct sk_buff *skb)
{
	return dev_queue_xmit(skb);
}

void neigh_confirm(struct neighbour *n)
{
	if (n)
		n->confirmed = neigh_now(n->tbl);
}

/* ---- neigh_update: the state machine's input ----------------------------- */

/* Entry just became valid: send what waited for it, in order. */
static void neigh_flush_queue_resolved(struct neighbour *n)
{
	struct sk_buff *skb;

	while ((n->nud_state & NUD_VALID) && (skb = __skb_dequeue(&n->arp_queue))) {
		n->arp_queue_len_bytes -= skb->truesize;
		n->output(n, skb);
	}
	skb_queue_purge_reason(&n->arp_queue, SKB_DROP_REASON_NEIGH_DEAD);
	n->arp_queue_len_bytes = 0;
}

/* Update to an invalid state (NONE, INCOMPLETE, FAILED). */
static int neigh_update_invalid(struct neighbour *n, u8 old, u8 new_state)
{
	neigh_del_timer(n);
	if (old & NUD_CONNECTED)
		neigh_suspect(n);
	n->nud_state = new_state;
	if ((old & (NUD_INCOMPLETE | NUD_PROBE)) && (new_state & NUD_FAILED))
		neigh_invalidate(n);
	return 0;
}

/*
 * Decide which link address the update carries (Linux's "compare new lladdr
 * with cached one"): n->ha itself when unchanged, so that pointer equality
 * means "same address". NULL: refuse (-EINVAL).
 */
static const u8 *neigh_update_lladdr(struct neighbour *n, const u8 *lladdr, u8 old)
{
	unsigned int alen = n->dev->addr_len;

	if (!alen)
		return n->ha;
	if (lladdr) {
		if ((old & NUD_VALID) && memcmp(lladdr, n->ha, alen) == 0)
			return n->ha;
		return lladdr;
	}
	return (old & NUD_VALID) ? n->ha : NULL;
}

int neigh_update(struct neighbour *n, const u8 *lladdr, u8 new_state, u32 flags)
{
	u8 old = n->nud_state;
	u64 now = neigh_now(n->tbl);
	int err = 0;

	if (n->dead)
		return -EPERM;
	if (!(flags & NEIGH_UPDATE_F_ADMIN) && (old & (NUD_NOARP | NUD_PERMANENT)))
		return -EPERM;
	if (!(new_state & NUD_VALID)) {
		err = neigh_update_invalid(n, old, new_state);
		goto out;
	}
	lladdr = neigh_update_lladdr(n, lladdr, old);
	if (!lladdr)
		return -EINVAL;
	if (new_state & NUD_CONNECTED)
		n->confirmed = now;

	/* A valid entry keeps its address unless the caller may override; a
	 * STALE report of the same address changes nothing. */
	if (old & NUD_VALID) {
		if (lladdr != n->ha && !(flags & NEIGH_UPDATE_F_OVERRIDE)) {
			if (!((flags & NEIGH_UPDATE_F_WEAK_OVERRIDE) && (old & NUD_CONNECTED)))
				goto out;
			lladdr = n->ha;
			new_state = NUD_STALE;
		} else if (lladdr == n->ha && new_state == NUD_STALE &&
			   !(flags & NEIGH_UPDATE_F_ADMIN)) {
			new_state = old;
		}
	}
	if (new_state != old || lladdr != n->ha)
		n->updated = now;
	if (new_state != old) {
		neigh_del_timer(n);
		if (new_state & NUD_PROBE)
			n->probes = 0;
		if (new_state & NUD_IN_TIMER)
			neigh_add_timer(n, now + ((new_state & NUD_REACHABLE) ?
						  n->parms->reachable_time : 0));
		n->nud_state = new_state;
	}
	if (lladdr != n->ha) {
		memcpy(n->ha, lladdr, n->dev->addr_len);
		/* A new address is not confirmed by its arrival alone. */
		if (!(new_state & NUD_CONNECTED))
			n->confirmed = now - ((u64)n->parms->base_reachable_time << 1);
	}
	if (new_state == old)
		goto out;
	if (new_state & NUD_CONNECTED)
		neigh_connect(n);
	else
		neigh_suspect(n);
	if (!(old & NUD_VALID))
		neigh_flush_queue_resolved(n);
out:
	if ((new_state ^ old) & NUD_PERMANENT)
		neigh_update_gc_list(n);
	return err;
}

struct neighbour *neigh_event_ns(struct neigh_table *tbl, const u8 *lladdr,
				 const void *saddr, struct net_device *dev)
{
	struct neighbour *n = __neigh_lookup(tbl, saddr, dev, lladdr || !dev->addr_len);

	if (n)
		neigh_update(n, lladdr, NUD_STALE, NEIGH_UPDATE_F_OVERRIDE);
	return n;
}

int neigh_delete(struct neighbour *n)
{
	if (n->dead)
		return -ENOENT;
	neigh_update(n, NULL, NUD_FAILED, NEIGH_UPDATE_F_OVERRIDE | NEIGH_UPDATE_F_ADMIN);
	neigh_unlink(n);
	return 0;
}

/* ---- flushing and garbage collection ------------------------------------ */

/*
 * Remove every entry on dev (all when dev is NULL). One still referenced
 * elsewhere stays allocated but harmless: no timer, no queue, output drops.
 */
static void neigh_flush_dev(struct neigh_table *tbl, struct net_device *dev, bool skip_perm)
{
	struct neighbour *n;
	struct hlist_node *tmp;

	for (size_t i = 0; i < ((size_t)1 << tbl->hash_shift); i++) {
		hlist_for_each_entry_safe(n, tmp, &tbl->hash_buckets[i], hash) {
			if (dev && n->dev != dev)
				continue;
			if (skip_perm && (n->nud_state & NUD_PERMANENT))
				continue;
			neigh_del_timer(n);
			if (n->refcnt != 1) {
				skb_queue_purge_reason(&n->arp_queue, SKB_DROP_REASON_NEIGH_DEAD);
				n->arp_queue_len_bytes = 0;
				n->output = neigh_blackhole;
				n->nud_state = (n->nud_state & NUD_VALID) ? NUD_NOARP : NUD_NONE;
			}
			neigh_unlink(n);
		}
	}
}

void neigh_ifdown(struct neigh_table *tbl, struct net_device *dev)
{
	neigh_flush_dev(tbl, dev, false);
}

void neigh_carrier_down(struct neigh_table *tbl, struct net_device *dev)
{
	neigh_flush_dev(tbl, dev, true);
}

void neigh_changeaddr(struct neigh_table *tbl, struct net_device *dev)
{
	neigh_flush_dev(tbl, dev, false);
}

/*
 * Forced gc (Linux's neigh_forced_gc): oldest first, remove unreferenced
 * entries that are FAILED, NOARP, or not updated for 5 s, down to
 * gc_thresh2. Returns how many went.
 */
static int neigh_forced_gc(struct neigh_table *tbl)
{
	int max_clean = (int)tbl->gc_entries - tbl->gc_thresh2;
	u64 now = neigh_now(tbl);
	u64 tref = now > NEIGH_FORCED_GC_INTERVAL ? now - NEIGH_FORCED_GC_INTERVAL : 0;
	struct neighbour *n, *tmp;
	int shrunk = 0;

	tbl->stats.forced_gc_runs++;
	list_for_each_entry_safe(n, tmp, &tbl->gc_list, gc_list) {
		if (shrunk >= max_clean)
			break;
		if (n->refcnt != 1)
			continue;
		if (n->nud_state == NUD_FAILED || n->nud_state == NUD_NOARP ||
		    n->updated < tref || n->updated > now) {
			neigh_unlink(n);
			shrunk++;
		}
	}
	tbl->last_flush = now;
	return shrunk;
}

/* Should periodic gc take this entry: unreferenced, not in a timer state
 * or permanent, and FAILED or unused for gc_staletime. */
static bool neigh_gc_stale(struct neighbour *n, u64 now)
{
	if ((n->nud_state & (NUD_PERMANENT | NUD_IN_TIMER)) || n->refcnt != 1)
		return false;
	if (n->used < n->confirmed && n->confirmed <= now)
		n->used = n->confirmed;
	return n->nud_state == NUD_FAILED || now >= n->used + (u64)n->parms->gc_staletime;
}

static void neigh_refresh_reachable_times(struct neigh_table *tbl, u64 now)
{
	struct neigh_parms *p;

	tbl->last_rand = now;
	list_for_each_entry(p, &tbl->parms_list, list)
		p->reachable_time = neigh_rand_reach_time(tbl, (u64)p->base_reachable_time);
}

/*
 * Periodic gc (Linux's neigh_periodic_work): every base_reachable_time/2;
 * nothing is collected while the table holds fewer than gc_thresh1
 * entries. gc_interval is kept as a sysctl but, as on Linux, unused.
 */
static void neigh_periodic_work(struct timer_list *t)
{
	struct neigh_table *tbl = from_timer(tbl, t, gc_work);
	u64 now = neigh_now(tbl);
	struct neighbour *n;
	struct hlist_node *tmp;

	tbl->stats.periodic_gc_runs++;
	if (now > tbl->last_rand + NEIGH_RAND_REFRESH)
		neigh_refresh_reachable_times(tbl, now);
	if (tbl->gc_entries >= (unsigned int)tbl->gc_thresh1) {
		for (size_t i = 0; i < ((size_t)1 << tbl->hash_shift); i++)
			hlist_for_each_entry_safe(n, tmp, &tbl->hash_buckets[i], hash)
				if (neigh_gc_stale(n, now))
					neigh_unlink(n);
	}
	tn_mod_timer(neigh_tbl_stack(tbl), &tbl->gc_work,
		     now + TN_MAX((u64)tbl->parms.base_reachable_time >> 1, (u64)HZ));
}

/* ---- iteration and names -------------------------------------------------- */

void neigh_for_each(struct neigh_table *tbl, void (*cb)(struct neighbour *, void *), void *arg)
{
	struct neighbour *n;

	for (size_t i = 0; i < ((size_t)1 << tbl->hash_shift); i++)
		hlist_for_each_entry(n, &tbl->hash_buckets[i], hash)
			cb(n, arg);
}

const char *neigh_state_name(u8 nud_state)
{
	switch (nud_state) {
	case NUD_NONE: return "NONE";
	case NUD_INCOMPLETE: return "INCOMPLETE";
	case NUD_REACHABLE: return "REACHABLE";
	case NUD_STALE: return "STALE";
	case NUD_DELAY: return "DELAY";
	case NUD_PROBE: return "PROBE";
	case NUD_FAILED: return "FAILED";
	case NUD_NOARP: return "NOARP";
	case NUD_PERMANENT: return "PERMANENT";
	default: return "UNKNOWN";
	}
}

/* ---- table life -------------------------------------------------------- */

int neigh_table_init(struct net *net, struct neigh_table *tbl)
{
	char path[64];
	u64 now;

	tbl->net = net;
	now = jiffies(net->stack);
	tbl->hash_shift = NEIGH_INIT_HASH_SHIFT;
	tbl->hash_buckets = neigh_hash_alloc(tbl->hash_shift);
	if (!tbl->hash_buckets)
		return -ENOMEM;
	tbl->hash_rnd = tn_prandom_u32(net->stack) | 1;
	INIT_LIST_HEAD(&tbl->parms_list);
	INIT_LIST_HEAD(&tbl->gc_list);
	tbl->parms.dev = NULL;
	tbl->parms.tbl = tbl;
	tbl->parms.refcnt = 1;  /* the table's own, never dropped */
	tbl->parms.reachable_time = neigh_rand_reach_time(tbl, (u64)tbl->parms.base_reachable_time);
	list_add(&tbl->parms.list, &tbl->parms_list);
	tbl->last_flush = tbl->last_rand = now;

	snprintf(path, sizeof(path), "%s/default", neigh_family_dir(tbl));
	tbl->sysctl = register_net_sysctl(net, path, neigh_dflt_sysctl,
					  ARRAY_SIZE(neigh_dflt_sysctl), tbl);
	if (!tbl->sysctl) {
		free(tbl->hash_buckets);
		tbl->hash_buckets = NULL;
		return -ENOMEM;
	}
	timer_setup(&tbl->gc_work, neigh_periodic_work);
	tn_mod_timer(net->stack, &tbl->gc_work, now + tbl->parms.reachable_time);
	return 0;
}

void neigh_table_clear(struct neigh_table *tbl)
{
	if (!tbl->hash_buckets)
		return;
	del_timer(&tbl->gc_work);
	neigh_ifdown(tbl, NULL);
	if (tbl->entries)
		fprintf(stderr, "neighbour: %s: %u entries still referenced at table clear\n",
			tbl->id, tbl->entries);
	unregister_net_sysctl_table(tbl->sysctl);
	tbl->sysctl = NULL;
	free(tbl->hash_buckets);
	tbl->hash_buckets = NULL;
}
