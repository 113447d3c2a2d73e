/*
 * The neighbour subsystem: the generic L3 -> L2 address cache (Linux's
 * net/core/neighbour.c) that ARP (and later IPv6 ND) plug into through a
 * neigh_table and neigh_ops. Keys are opaque bytes of tbl->key_len.
 *
 * An entry moves through NUD states: INCOMPLETE (solicits sent, packets
 * queued on arp_queue, bounded by unres_qlen_bytes, overflow drops the
 * oldest and counts unres_discards), REACHABLE (confirmed within
 * reachable_time), STALE (usable, not confirmed), DELAY (used while STALE:
 * wait delay_first_probe_time for upper layer confirmation), PROBE (unicast
 * probes), FAILED (no answer after ucast/mcast/app solicits; queued packets
 * go to error_report), PERMANENT / NOARP (static). Timers and garbage
 * collection come from neigh_parms, Linux's sysctls net.ipv4.neigh.{default,DEV}.*.
 *
 * References: the table holds one reference on every hashed entry, a pending
 * entry timer holds one, and neigh_lookup()/__neigh_lookup()/__neigh_create()
 * return one that the caller drops with neigh_release(). An entry is freed
 * when the last reference goes; one removed from the table while still
 * referenced is "dead" (output drops, state NONE or NOARP).
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
struct ctl_table_header;

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

/* Linux's SKB_TRUESIZE(ETH_FRAME_LEN) on x86_64: the packet size the
 * unres_qlen sysctl (packets) is converted with to unres_qlen_bytes, so that
 * the derived value reads as on Linux (212992 bytes -> 101 packets). */
#define NEIGH_UNRES_QLEN_TRUESIZE 2090

/* Per-table or per-device tunables, times in jiffies (ms). */
struct neigh_parms {
	struct net_device *dev;          /* NULL for the table default */
	struct neigh_table *tbl;
	struct list_head list;           /* on the table's parms_list (default too) */
	struct ctl_table_header *sysctl;
	int refcnt;                      /* the owner's plus one per entry using it */
	bool dead;                       /* released by its owner */
	u32 data_state;                  /* bit per NEIGH_VAR_*: set explicitly, so a
					  * write to "default" no longer propagates */
	int mcast_probes;                /* mcast_solicit: 3 */
	int ucast_probes;                /* ucast_solicit: 3 */
	int app_probes;                  /* app_solicit: 0 */
	int mcast_reprobes;              /* mcast_resolicit: 0 */
	int retrans_time;                /* 1000 */
	int base_reachable_time;         /* 30000 */
	int delay_probe_time;            /* delay_first_probe_time: 5000 */
	int gc_staletime;                /* 60000 */
	int queue_len_bytes;             /* unres_qlen_bytes: 212992 (SK_WMEM_MAX) */
	int proxy_qlen;                  /* 64 */
	int anycast_delay;               /* 1000 */
	int proxy_delay;                 /* 800 */
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
	/* Send a solicitation (ARP request) for n, using skb (the newest queued
	 * packet, may be NULL) to choose the source address. Must not free skb. */
	void (*solicit)(struct neighbour *n, struct sk_buff *skb);
	/* Resolution failed for a queued packet (ICMP host unreachable).
	 * Consumes skb. */
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
	bool dead;                           /* not (any more) in the table */
	u8 ha[32];                           /* L2 address when valid */
	int probes;
	u64 updated, confirmed, used;        /* jiffies */
	int refcnt;
	struct sk_buff_head arp_queue;
	u32 arp_queue_len_bytes;             /* sum of queued skb->truesize */
	struct timer_list timer;
	struct list_head gc_list;            /* on tbl->gc_list unless PERMANENT */
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
	u32 hash_rnd;                        /* seed of the current bucket array */
	unsigned int entries;                /* allocated, dead ones included */
	unsigned int gc_entries;             /* entries on gc_list */
	struct neigh_parms parms;            /* "default" */
	struct list_head parms_list;
	int gc_interval;                     /* 30000 */
	int gc_thresh1, gc_thresh2, gc_thresh3;  /* 128, 512, 1024 */
	u64 last_flush;                      /* last forced gc */
	u64 last_rand;                       /* last reachable_time re-randomisation */
	struct timer_list gc_work;
	struct list_head gc_list;
	struct ctl_table_header *sysctl;     /* net.<family>.neigh.default */
	struct neigh_statistics stats;
	int (*constructor)(struct neighbour *n);
	u32 (*hash)(const void *key, const struct net_device *dev, u32 seed);
};

static inline u32 neigh_key32(const struct neighbour *n) { return get_be32(n->primary_key); }

/* Lookup only; returns a reference. */
struct neighbour *neigh_lookup(struct neigh_table *tbl, const void *pkey,
			       struct net_device *dev);
/* Create (exempt_from_gc for PERMANENT entries); returns the existing entry
 * if there is one. A reference, or NULL: allocation failure, constructor
 * refusal, or a full table (gc_thresh3 reached after forced gc). */
struct neighbour *__neigh_create(struct neigh_table *tbl, const void *pkey,
				 struct net_device *dev, bool exempt_from_gc);
/* Lookup or (creat) create in NUD_NONE; returns a reference or NULL. */
struct neighbour *__neigh_lookup(struct neigh_table *tbl, const void *pkey,
				 struct net_device *dev, bool creat);
/* A solicitation from saddr arrived: create/update its entry as STALE
 * (Linux's neigh_event_ns). Returns a reference or NULL. */
struct neighbour *neigh_event_ns(struct neigh_table *tbl, const u8 *lladdr,
				 const void *saddr, struct net_device *dev);
/* Apply new link address and state (the NUD state machine's input from ARP
 * and `ip neigh`). 0 or -errno (-EPERM to override PERMANENT/NOARP without
 * ADMIN or on a dead entry, -EINVAL for a valid state without address). */
int neigh_update(struct neighbour *n, const u8 *lladdr, u8 new_state, u32 flags);
/* Start resolution if needed; queue skb while INCOMPLETE. Returns 0 if the
 * caller may transmit now, 1 if skb was queued or dropped (owned here). */
int neigh_event_send(struct neighbour *n, struct sk_buff *skb);
int neigh_resolve_output(struct neighbour *n, struct sk_buff *skb);
int neigh_connected_output(struct neighbour *n, struct sk_buff *skb);
/* Devices without a link header (header_ops NULL): straight to the device. */
int neigh_direct_output(struct neighbour *n, struct sk_buff *skb);
static inline int neigh_output(struct neighbour *n, struct sk_buff *skb)
{
	return n->output(n, skb);
}
/* Upper-layer proof of reachability (a TCP ACK): confirmed = now. */
void neigh_confirm(struct neighbour *n);
void neigh_release(struct neighbour *n);
static inline struct neighbour *neigh_clone(struct neighbour *n) { n->refcnt++; return n; }
/* `ip neigh del`: FAILED, out of the table, queue dropped. The caller
 * still drops its own reference. 0 or -ENOENT if already gone. */
int neigh_delete(struct neighbour *n);
/* Device down / unregister: drop every entry on dev (all if dev NULL),
 * permanent ones too, as Linux does. */
void neigh_ifdown(struct neigh_table *tbl, struct net_device *dev);
/* Carrier lost: drop dev's entries except permanent ones. */
void neigh_carrier_down(struct neigh_table *tbl, struct net_device *dev);
/* Link address changed: every entry on dev is stale knowledge. */
void neigh_changeaddr(struct neigh_table *tbl, struct net_device *dev);
/* Iterate for `ip neigh show` (hash order). cb must not add or remove. */
void neigh_for_each(struct neigh_table *tbl, void (*cb)(struct neighbour *, void *), void *arg);
/* "REACHABLE", "STALE", ... as `ip neigh` prints a state. */
const char *neigh_state_name(u8 nud_state);
/* Uniform in [base/2, 3*base/2) from the stack PRNG; 0 for base 0. */
u64 neigh_rand_reach_time(struct neigh_table *tbl, u64 base);

/* Table life (a protocol's per-namespace init/exit). tbl's identity fields
 * (family, key_len, protocol, id, constructor, hash) and its defaults
 * (parms, gc_*) are filled by the caller; init registers
 * net.<family>.neigh.default.* and starts periodic gc. 0 or -errno. */
int neigh_table_init(struct net *net, struct neigh_table *tbl);
void neigh_table_clear(struct neigh_table *tbl);
/* A device's parms, copied from the table default (owner's reference). */
struct neigh_parms *neigh_parms_alloc(struct net_device *dev, struct neigh_table *tbl);
void neigh_parms_release(struct neigh_table *tbl, struct neigh_parms *p);
/* Constructors: make n use p (a device's parms) instead of the default. */
void neigh_set_parms(struct neighbour *n, struct neigh_parms *p);
/* net.<family>.neigh.DEV.* for a device's parms (again after a rename).
 * 0 or -errno. */
int neigh_sysctl_register(struct net_device *dev, struct neigh_parms *p);
void neigh_sysctl_unregister(struct neigh_parms *p);

#endif
