/*
 * The neighbour subsystem: the generic L3 -> L2 address cache (Linux's
 * net/core/neighbour.c) that ARP (and later IPv6 ND) plug into through a
 * neigh_table and neigh_ops.
 *
 * An entry moves through NUD states: INCOMPLETE (solicits sent, packets
 * queued on arp_queue, bounded by unres_qlen_bytes, overflow dropped and
 * counted), REACHABLE (confirmed within reachable_time), STALE (usable, not
 * confirmed), DELAY (used while STALE: wait delay_first_probe_time for upper
 * layer confirmation), PROBE (unicast probes), FAILED (no answer after
 * ucast/mcast/app solicits; queued packets dropped with an error report),
 * PERMANENT / NOARP (static). Timers and garbage collection come from
 * neigh_parms, Linux's sysctls net.ipv4.neigh.{default,DEV}.*.
 */
#ifndef TN_NET_NEIGHBOUR_H
#define TN_NET_NEIGHBOUR_H

#include "net/compiler.h"
#include "net/skbuff.h"
#include "net/timer.h"
#include "lib/list.h"

struct net;
struct net_device;
struct neigh_table;

/* NUD states, Linux's values (uapi neighbour.h). */
#define NUD_INCOMPLETE 0x01
#define NUD_REACHABLE  0x02
#define NUD_STALE      0x04
#define NUD_DELAY      0x08
#define NUD_PROBE      0x10
#define NUD_FAILED     0x20
#define NUD_NOARP      0x40
#define NUD_PERMANENT  0x80
#define NUD_NONE       0x00
#define NUD_IN_TIMER   (NUD_INCOMPLETE | NUD_REACHABLE | NUD_DELAY | NUD_PROBE)
#define NUD_VALID      (NUD_PERMANENT | NUD_NOARP | NUD_REACHABLE | NUD_PROBE | NUD_STALE | NUD_DELAY)
#define NUD_CONNECTED  (NUD_PERMANENT | NUD_NOARP | NUD_REACHABLE)

/* neigh_update() flags */
#define NEIGH_UPDATE_F_OVERRIDE          0x1
#define NEIGH_UPDATE_F_WEAK_OVERRIDE     0x2
#define NEIGH_UPDATE_F_ADMIN             0x80000000

/* Per-table or per-device tunables, times in jiffies (ms). */
struct neigh_parms {
	struct net_device *dev;          /* NULL for the table default */
	struct list_head list;           /* on the table's parms_list */
	struct ctl_table_header *sysctl;
	int mcast_probes;                /* mcast_solicit: 3 */
	int ucast_probes;                /* ucast_solicit: 3 */
	int app_probes;                  /* app_solicit: 0 */
	int mcast_reprobes;              /* 0 */
	int retrans_time;                /* 1000 */
	int base_reachable_time;         /* 30000 */
	int delay_probe_time;            /* delay_first_probe_time: 5000 */
	int gc_staletime;                /* 60000 */
	int queue_len_bytes;             /* unres_qlen_bytes: 212992 (SK_WMEM_MAX) */
	int proxy_qlen;                  /* 64 */
	int anycast_delay;
	int proxy_delay;
	int locktime;                    /* 1000 */
	int interval_probe_time_ms;      /* 5000 */
	u64 reachable_time;              /* randomised from base_reachable_time */
};

/* Linux's struct neigh_statistics, as /proc/net/stat/arp_cache shows it. */
struct neigh_statistics {
	u64 allocs, destroys, hash_grows, lookups, hits, res_failed;
	u64 rcv_probes_mcast, rcv_probes_ucast, periodic_gc_runs, forced_gc_runs;
	u64 unres_discards, table_fulls;
};

struct neighbour;

struct neigh_ops {
	/* Send a solicitation (ARP request) for n, using skb (the packet that
	 * triggered it, may be NULL) to choose the source address. */
	void (*solicit)(struct neighbour *n, struct sk_buff *skb);
	/* Resolution failed for a queued packet (ICMP host unreachable). */
	void (*error_report)(struct neighbour *n, struct sk_buff *skb);
};

#define NEIGH_MAX_KEY_LEN 16

struct neighbour {
	struct hlist_node hash;
	struct neigh_table *tbl;
	struct net_device *dev;
	struct neigh_parms *parms;
	u8 primary_key[NEIGH_MAX_KEY_LEN];  /* L3 address, network order bytes */
	u8 nud_state;
	u8 flags;                            /* NTF_ROUTER, ... */
	bool dead;
	u8 ha[32];                           /* L2 address when valid */
	int probes;
	u64 updated, confirmed, used;        /* jiffies */
	int refcnt;
	struct sk_buff_head arp_queue;
	u32 arp_queue_len_bytes;
	struct timer_list timer;
	struct list_head gc_list;
	const struct neigh_ops *ops;
	/* Current transmit path: neigh_resolve_output until connected, then
	 * neigh_connected_output. Consumes skb; returns 0 or -errno. */
	int (*output)(struct neighbour *n, struct sk_buff *skb);
};

struct neigh_table {
	int family;                          /* AF_INET */
	unsigned int key_len;                /* 4 */
	u16 protocol;                        /* ETH_P_IP */
	const char *id;                      /* "arp_cache" */
	struct net *net;
	struct hlist_head *hash_buckets;
	unsigned int hash_shift;
	unsigned int entries;
	struct neigh_parms parms;            /* "default" */
	struct list_head parms_list;
	int gc_interval;                     /* 30000 */
	int gc_thresh1, gc_thresh2, gc_thresh3;  /* 128, 512, 1024 */
	u64 last_flush;
	struct timer_list gc_work;
	struct list_head gc_list;
	struct neigh_statistics stats;
	int (*constructor)(struct neighbour *n);
	u32 (*hash)(const void *key, const struct net_device *dev, u32 seed);
};

static inline u32 neigh_key32(const struct neighbour *n) { return get_be32(n->primary_key); }

/* Lookup only. */
struct neighbour *neigh_lookup(struct neigh_table *tbl, const void *pkey,
			       struct net_device *dev);
/* Lookup or create in NUD_NONE. NULL on allocation failure or when the
 * table is full (gc_thresh3, after forced gc). */
struct neighbour *__neigh_lookup(struct neigh_table *tbl, const void *pkey,
				 struct net_device *dev, bool creat);
/* Apply new link address and state (the NUD state machine's input from ARP
 * and `ip neigh`). 0 or -errno (-EPERM to override PERMANENT w/o ADMIN). */
int neigh_update(struct neighbour *n, const u8 *lladdr, u8 new_state, u32 flags);
/* Start resolution if needed; queue skb while INCOMPLETE. Returns 0 if the
 * caller may transmit now, 1 if skb was queued or dropped (owned here). */
int neigh_event_send(struct neighbour *n, struct sk_buff *skb);
int neigh_resolve_output(struct neighbour *n, struct sk_buff *skb);
int neigh_connected_output(struct neighbour *n, struct sk_buff *skb);
static inline int neigh_output(struct neighbour *n, struct sk_buff *skb)
{
	return n->output(n, skb);
}
/* Upper-layer proof of reachability (a TCP ACK): confirmed = now. */
void neigh_confirm(struct neighbour *n);
void neigh_release(struct neighbour *n);
static inline struct neighbour *neigh_clone(struct neighbour *n) { n->refcnt++; return n; }
/* `ip neigh del`: remove (marks dead, drops queue). */
int neigh_delete(struct neighbour *n);
/* Device down / unregister: drop every entry on dev (all if dev NULL). */
void neigh_ifdown(struct neigh_table *tbl, struct net_device *dev);
/* Iterate for `ip neigh show`. */
void neigh_for_each(struct neigh_table *tbl, void (*cb)(struct neighbour *, void *), void *arg);
/* "REACHABLE", "STALE", ... as `ip neigh` prints a state. */
const char *neigh_state_name(u8 nud_state);

int neigh_table_init(struct net *net, struct neigh_table *tbl);
void neigh_table_clear(struct neigh_table *tbl);
struct neigh_parms *neigh_parms_alloc(struct net_device *dev, struct neigh_table *tbl);
void neigh_parms_release(struct neigh_table *tbl, struct neigh_parms *p);

#endif
