/*
 * Long-lived state about remote IPv4 hosts (Linux's net/ipv4/inetpeer.c):
 * one inet_peer per destination address a namespace has recently talked to,
 * holding the token bucket that rate-limits the ICMP messages sent to it
 * (inet_peer_xrlim_allow) and the redirect counters of ip_rt_send_redirect.
 *
 * The pool is per namespace (net->ipv4.peers), a hash keyed by address with
 * a least-recently-used list beside it. It is bounded the way Linux bounds
 * it: an entry unused for longer than a time-to-live is reclaimed when a new
 * one is created, and the TTL shrinks from inet_peer_maxttl towards
 * inet_peer_minttl as the pool fills, reaching 0 at inet_peer_threshold, so
 * a flood of sources cannot grow it without limit. Lookups cost O(1).
 *
 * Not here: IPv6 peers, and the IP ID and TCP timestamp state that Linux
 * once kept in peers and has since moved elsewhere.
 */
#ifndef TN_NET_INETPEER_H
#define TN_NET_INETPEER_H

#include "net/compiler.h"
#include "lib/list.h"

struct net;
struct tn_stack;

struct inet_peer {
	struct hlist_node hash;     /* in base->hash[] */
	struct list_head lru;       /* base->lru: least recently used first */
	u32 daddr;                  /* host order */
	int refcnt;                 /* holders (inet_getpeer_v4 .. inet_putpeer); gc skips > 0 */
	u64 dtime;                  /* jiffies of the last lookup: its age for gc */
	/* ICMP rate limit (inet_peer_xrlim_allow): credit in jiffies, refilled
	 * by the time since rate_last and capped at XRLIM_BURST_FACTOR sends. */
	u64 rate_tokens;
	u64 rate_last;
	/* Redirects (ip_rt_send_redirect), kept here for the routing code. */
	u32 n_redirects;
	u64 rate_redirect_last;
};

struct inet_peer_base {
	struct tn_stack *stack;     /* clock and hash seed */
	struct hlist_head *hash;
	u32 hash_size;              /* power of two; doubles as the pool grows */
	u32 total;                  /* peers in the pool */
	struct list_head lru;
	/* Linux's net.ipv4.inet_peer_{threshold,minttl,maxttl} (ttls in jiffies),
	 * per namespace here. */
	u32 threshold;              /* 65536 + 128 */
	u32 minttl;                 /* 120 s */
	u32 maxttl;                 /* 600 s */
	u64 gc_reclaimed;           /* peers reclaimed by gc (for tests and `nstat`) */
};

#define INET_PEER_THRESHOLD (65536 + 128)
#define INET_PEER_MINTTL (120 * 1000)
#define INET_PEER_MAXTTL (600 * 1000)
/* A new peer may send this many rate-limited ICMP messages at once. */
#define XRLIM_BURST_FACTOR 6

/* Create and free a namespace's pool (net->ipv4.peers). 0 or -ENOMEM. */
int inet_peer_base_init(struct net *net);
void inet_peer_base_free(struct net *net);

/* The peer for daddr with a reference held, creating it if create is set
 * (which may reclaim stale peers first). NULL if absent or out of memory. */
struct inet_peer *inet_getpeer_v4(struct inet_peer_base *base, u32 daddr, bool create);
void inet_putpeer(struct inet_peer *p);

/* Token bucket: may one more message go to this peer now (jiffies)? A
 * message costs `timeout` jiffies of credit; credit accrues one per jiffy
 * up to XRLIM_BURST_FACTOR messages' worth. A NULL peer (no memory) is
 * always allowed, as in Linux. Linux reads jiffies itself; here the caller
 * passes the stack's time. */
bool inet_peer_xrlim_allow(struct inet_peer *peer, int timeout, u64 now);

#endif
