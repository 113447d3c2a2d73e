/*
 * The IPv4 forwarding information base (Linux's fib_trie.c, fib_semantics.c,
 * fib_frontend.c): per-namespace tables (local 255, main 254, others by id)
 * of prefixes, each a trie with longest-prefix match (never a list scan);
 * route entries (fib_alias) share next-hop descriptions (fib_info/fib_nh).
 * Local, broadcast and subnet routes follow addresses automatically, as
 * Linux's fib_add_ifaddr does; `ip route` edits the rest.
 */
#ifndef TN_NET_IP_FIB_H
#define TN_NET_IP_FIB_H

#include "net/compiler.h"
#include "net/route.h"
#include "lib/list.h"

#define RT_TABLE_UNSPEC 0
#define RT_TABLE_DEFAULT 253
#define RT_TABLE_MAIN 254
#define RT_TABLE_LOCAL 255

/* Route protocols (`proto`), Linux's RTPROT_* */
#define RTPROT_UNSPEC 0
#define RTPROT_REDIRECT 1
#define RTPROT_KERNEL 2
#define RTPROT_BOOT 3
#define RTPROT_STATIC 4

/* nlflags, as netlink's NLM_F_* for route changes */
#define NLM_F_REPLACE 0x100
#define NLM_F_EXCL    0x200
#define NLM_F_CREATE  0x400
#define NLM_F_APPEND  0x800

/* Next-hop flags RTNH_F_* */
#define RTNH_F_DEAD    1
#define RTNH_F_ONLINK  4
#define RTNH_F_LINKDOWN 16

/*
 * A route change, as rtnetlink's RTM_NEWROUTE / RTM_DELROUTE carry it.
 * `ip route add` is NLM_F_CREATE|NLM_F_EXCL, `append` CREATE|APPEND,
 * `prepend` CREATE, `replace` CREATE|REPLACE, `change` REPLACE.
 */
struct fib_config {
	u32 fc_table;        /* 0: main */
	u32 fc_dst;          /* host order; no bits beyond fc_dst_len (-EINVAL) */
	u8 fc_dst_len;
	u8 fc_tos;
	u8 fc_protocol;
	u8 fc_scope;         /* RT_SCOPE_*. Add: RT_SCOPE_NOWHERE = choose as
			      * iproute2 does (host for local, link for
			      * broadcast and for unicast without gateway,
			      * else universe). Delete: NOWHERE = any. */
	u8 fc_type;          /* RTN_*; add: RTN_UNSPEC = unicast (iproute2's
			      * default); delete: RTN_UNSPEC = any */
	u32 fc_gw4;
	int fc_oif;
	u32 fc_prefsrc;
	u32 fc_priority;     /* metric */
	u32 fc_mtu;          /* metric mtu, 0 none */
	u32 fc_flags;        /* RTNH_F_ONLINK ... */
	u32 fc_nlflags;      /* NLM_F_* */
};

/* A learned exception for one destination via a next hop (Linux's
 * fib_nh_exception): today the path MTU from ICMP frag-needed. */
struct fib_nh_exception {
	struct fib_nh_exception *fnhe_next;  /* hash chain */
	u32 fnhe_daddr;
	u32 fnhe_pmtu;
	bool fnhe_mtu_locked;
	u64 fnhe_expires;                    /* jiffies */
	u64 fnhe_stamp;                      /* last update: the oldest is evicted */
	struct rtable *fnhe_rth_output;      /* cached output route carrying the PMTU */
};
#define FNHE_HASH_SHIFT 6
#define FNHE_HASH_SIZE (1 << FNHE_HASH_SHIFT)
#define FNHE_RECLAIM_DEPTH 5                 /* a longer chain evicts its oldest */

struct fib_nh {
	struct net_device *nh_dev;    /* held (dev_hold) while the fib_info lives */
	int nh_oif;
	u32 nh_gw;
	u8 nh_scope;                  /* host: no gateway; link: gateway on link;
				       * nowhere: a host-scope (local) route */
	u32 nh_flags;                 /* RTNH_F_* */
	struct rtable *nh_rth_output; /* cached output route via this hop */
	struct rtable *nh_rth_input;  /* cached input route (local or forward) */
	struct fib_nh_exception **nh_exceptions;  /* FNHE_HASH_SIZE chains, on demand */
	struct fib_info *nh_parent;
};

/* What routes share: everything but the prefix, tos and table position.
 * Identical route attributes share one fib_info (Linux's fib_find_info),
 * so a next hop's cached rtables serve every route using it. */
struct fib_info {
	struct list_head fib_list;    /* on the namespace's fib_info list */
	struct net *fib_net;
	int fib_treeref;              /* aliases using it */
	bool fib_dead;                /* released: no longer in any table */
	u32 fib_flags;                /* RTNH_F_DEAD / RTNH_F_LINKDOWN: every hop is */
	u32 fib_tb_id;
	u8 fib_protocol;
	u8 fib_scope;
	u8 fib_type;
	u32 fib_prefsrc;
	u32 fib_priority;
	u32 fib_mtu;
	struct fib_nh fib_nh;         /* one next hop (multipath later) */
};

struct fib_table;

struct fib_result {
	u32 prefix;
	u8 prefixlen;
	u8 type;
	u8 scope;
	u32 tableid;
	struct fib_info *fi;          /* NULL for error routes and synthesized results */
};

struct fib_table *fib_get_table(struct net *net, u32 id);
/* The table with this id, created if missing (NULL: out of memory). */
struct fib_table *fib_new_table(struct net *net, u32 id);
/* 0, -EEXIST (EXCL, or an identical route), -ENOENT (no NLM_F_CREATE and
 * nothing to replace), -ESRCH (delete: no such route), -ENODEV (bad oif),
 * -ENETDOWN (device down), -ENETUNREACH (gateway not reachable: "Nexthop
 * has invalid gateway"), -EINVAL (bad prefix, scope, type or prefsrc, a
 * gateway that is not unicast, an onlink gateway that is not unicast),
 * -ENOMEM. */
int fib_table_insert(struct net *net, const struct fib_config *cfg);
int fib_table_delete(struct net *net, const struct fib_config *cfg);
/* Longest-prefix match over local then main then default. Routes with a
 * scope narrower than flp->flowi4_scope, dead next hops, and next hops not
 * on flp->flowi4_oif (if set) are passed over for shorter prefixes. 0,
 * -ENETUNREACH (nothing), or the route type's error: unreachable
 * -EHOSTUNREACH, prohibit -EACCES, blackhole -EINVAL. */
int fib_lookup(struct net *net, const struct flowi4 *flp, struct fib_result *res);
/* Same in one table; -EAGAIN when nothing matches (Linux's fib_rules: try
 * the next table). fib_flags: FIB_LOOKUP_* */
int fib_table_lookup(struct fib_table *tb, const struct flowi4 *flp, struct fib_result *res,
		     int fib_flags);
#define FIB_LOOKUP_IGNORE_LINKSTATE 0x02
/* The source address a route implies (prefsrc, else chosen on its device). */
u32 fib_result_prefsrc(struct net *net, const struct fib_result *res);
/* Our address to answer a received packet from (ICMP replies and errors):
 * Linux's fib_compute_spec_dst. */
u32 fib_compute_spec_dst(struct sk_buff *skb);
/* Remove every route whose next hop died (device down, address gone). */
int fib_flush(struct net *net);

/* One route as `ip route show` needs it. */
struct fib_route_info {
	u32 table;
	u32 dst;
	u8 dst_len;
	u8 type, scope, protocol, tos;
	u32 gw, prefsrc, priority, mtu;
	int oif;
	u32 nh_flags;
};
/* Walk table id (0: all, by ascending id) in `ip route show` order:
 * ascending prefix address, a longer prefix before a shorter one at the
 * same address, then by tos (descending) and metric (ascending). The
 * callback must not change routes. */
void fib_table_walk(struct net *net, u32 id,
		    void (*cb)(const struct fib_route_info *ri, void *arg), void *arg);

/* Device events (fib_frontend's netdevice notifier). fib_sync_down_dev
 * marks dev's next hops dead (NETDEV_DOWN, NETDEV_UNREGISTER) or linkdown
 * (NETDEV_CHANGE without carrier); host-scope (local) routes survive a down
 * device unless force. Returns how many routes lost every next hop.
 * fib_sync_up clears nh_flags (RTNH_F_DEAD, RTNH_F_LINKDOWN) on dev. */
int fib_sync_down_dev(struct net_device *dev, unsigned long event, bool force);
int fib_sync_up(struct net_device *dev, u32 nh_flags);

#endif
