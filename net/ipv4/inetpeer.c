/*
 * The per-namespace pool of remote peers (Linux's net/ipv4/inetpeer.c): see
 * include/net/inetpeer.h for what a peer holds and how the pool stays
 * bounded.
 *
 * Linux keeps peers in an RCU-protected rbtree and collects stale ones it
 * meets on the lookup path. A stack here is single-threaded under its lock,
 * so a seeded hash (remote hosts cannot aim at one chain) with an LRU list
 * does the same job: gc looks at the oldest peers first, and stops at the
 * first one still young enough to keep.
 */
#include <errno.h>
#include <stdlib.h>

#include "net/inetpeer.h"
#include "net/net_namespace.h"
#include "net/stack.h"
#include "lib/hash.h"

#define INET_PEER_HASH_MIN 16
/* At most this many stale peers are reclaimed per creation (PEER_MAX_GC). */
#define PEER_MAX_GC 32

static struct hlist_head *peer_bucket(const struct inet_peer_base *base, u32 daddr)
{
	u32 h = jhash_1word(daddr, base->stack->hash_seed);

	return &base->hash[h & (base->hash_size - 1)];
}

int inet_peer_base_init(struct net *net)
{
	struct inet_peer_base *base = calloc(1, sizeof(*base));

	if (!base)
		return -ENOMEM;
	base->hash = calloc(INET_PEER_HASH_MIN, sizeof(*base->hash));
	if (!base->hash) {
		free(base);
		return -ENOMEM;
	}
	base->stack = net->stack;
	base->hash_size = INET_PEER_HASH_MIN;
	INIT_LIST_HEAD(&base->lru);
	base->threshold = INET_PEER_THRESHOLD;
	base->minttl = INET_PEER_MINTTL;
	base->maxttl = INET_PEER_MAXTTL;
	net->ipv4.peers = base;
	return 0;
}

static void inet_peer_free(struct inet_peer_base *base, struct inet_peer *p)
{
	hlist_del_init(&p->hash);
	list_del(&p->lru);
	base->total--;
	free(p);
}

void inet_peer_base_free(struct net *net)
{
	struct inet_peer_base *base = net->ipv4.peers;
	struct inet_peer *p, *tmp;

	if (!base)
		return;
	/* Every user puts its peer before its namespace goes; a peer still
	 * held here would be a use after free waiting to happen. */
	list_for_each_entry_safe(p, tmp, &base->lru, lru) {
		TN_BUG_ON(p->refcnt);
		inet_peer_free(base, p);
	}
	free(base->hash);
	free(base);
	net->ipv4.peers = NULL;
}

static struct inet_peer *lookup(struct inet_peer_base *base, u32 daddr)
{
	struct inet_peer *p;

	hlist_for_each_entry(p, peer_bucket(base, daddr), hash)
		if (p->daddr == daddr)
			return p;
	return NULL;
}

/* Double the buckets once the pool outgrows them, keeping chains short.
 * Failing to grow is harmless: chains just get longer. */
static void inet_peer_grow(struct inet_peer_base *base)
{
	u32 old_size = base->hash_size;
	struct hlist_head *old = base->hash;
	struct hlist_head *nh = calloc((size_t)old_size * 2, sizeof(*nh));
	struct inet_peer *p;

	if (!nh)
		return;
	base->hash = nh;
	base->hash_size = old_size * 2;
	/* Every peer is on the LRU list, so rehash from there. */
	list_for_each_entry(p, &base->lru, lru) {
		INIT_HLIST_NODE(&p->hash);
		hlist_add_head(&p->hash, peer_bucket(base, p->daddr));
	}
	free(old);
}

/* Linux's inet_peer_gc TTL: maxttl for an empty pool, falling linearly
 * towards minttl as it fills, and 0 (reclaim anything unused) once it
 * reaches the threshold. */
static u64 inet_peer_gc_ttl(const struct inet_peer_base *base)
{
	if (base->total >= base->threshold)
		return 0;
	return base->maxttl -
	       (u64)(base->maxttl - base->minttl) * base->total / base->threshold;
}

static void inet_peer_gc(struct inet_peer_base *base, u64 now)
{
	u64 ttl = inet_peer_gc_ttl(base);
	struct inet_peer *p, *tmp;
	int n = 0;

	list_for_each_entry_safe(p, tmp, &base->lru, lru) {
		if (n++ >= PEER_MAX_GC || now - p->dtime < ttl)
			break;
		if (p->refcnt)
			continue;
		inet_peer_free(base, p);
		base->gc_reclaimed++;
	}
}

static struct inet_peer *inet_peer_create(struct inet_peer_base *base, u32 daddr, u64 now)
{
	struct inet_peer *p;

	inet_peer_gc(base, now);
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->daddr = daddr;
	/* As Linux: a new peer behaves as if last limited a minute ago, so
	 * it starts with a full bucket. Unsigned arithmetic wraps back in
	 * inet_peer_xrlim_allow, so this holds at jiffies 0 too. */
	p->rate_last = now - (u64)60 * 1000;
	p->rate_tokens = 0;
	hlist_add_head(&p->hash, peer_bucket(base, daddr));
	list_add_tail(&p->lru, &base->lru);
	base->total++;
	if (base->total > base->hash_size)
		inet_peer_grow(base);
	return p;
}

struct inet_peer *inet_getpeer_v4(struct inet_peer_base *base, u32 daddr, bool create)
{
	u64 now = jiffies(base->stack);
	struct inet_peer *p = lookup(base, daddr);

	if (p)
		list_move_tail(&p->lru, &base->lru);
	else if (create)
		p = inet_peer_create(base, daddr, now);
	if (!p)
		return NULL;
	p->dtime = now;
	p->refcnt++;
	return p;
}

void inet_putpeer(struct inet_peer *p)
{
	TN_BUG_ON(p->refcnt <= 0);
	p->refcnt--;
}

bool inet_peer_xrlim_allow(struct inet_peer *peer, int timeout, u64 now)
{
	u64 token;
	bool rc = false;

	if (!peer)
		return true;
	if (timeout < 0)
		return true;
	/* Linux 6.12's lockless form: the bucket is refilled, capped and
	 * stamped only when time has passed. So icmp_ratelimit=0 empties a
	 * bucket that has waited (a time exceeded to a new peer), and leaves
	 * alone one that ip_error has just drawn from in the same jiffy; the
	 * two share the bucket (ip_error_allow in ip_input.c). */
	token = peer->rate_tokens;
	if (now != peer->rate_last) {
		token += now - peer->rate_last;
		peer->rate_last = now;
		if (token > (u64)XRLIM_BURST_FACTOR * timeout)
			token = (u64)XRLIM_BURST_FACTOR * timeout;
	}
	if (token >= (u64)timeout) {
		token -= timeout;
		rc = true;
	}
	peer->rate_tokens = token;
	return rc;
}
