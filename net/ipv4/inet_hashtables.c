/*
 * TCP's lookup tables and port allocation (Linux's inet_hashtables.c and
 * the bind half of inet_connection_sock.c): the established hash (full
 * socks, request socks, timewait socks by 4-tuple), the listening hash by
 * port with SO_REUSEPORT groups, the bind hash of ports in use, bind()'s
 * conflict rules (inet_csk_get_port) and connect()'s choice of an
 * ephemeral port (inet_hash_connect).
 *
 * Not here: UDP's tables (udp.c), request and timewait sock life cycles
 * (inet_connection_sock.c, tcp_minisocks.c). Lookups return borrowed
 * pointers; the stack lock keeps them valid.
 */
#include <errno.h>
#include <stdlib.h>

#include "net/skbuff.h"
#include "net/inet_hashtables.h"
#include "net/net_namespace.h"
#include "net/stack.h"
#include "net/tcp.h"
#include "net/wire/ipv4.h"
#include "lib/hash.h"

static struct inet_hashinfo *tcp_hashinfo(const struct net *net)
{
	return net->ipv4.tcp->hashinfo;
}

int inet_hashinfo_init(struct net *net)
{
	struct tn_stack *st = net->stack;
	struct inet_hashinfo *h = calloc(1, sizeof(*h));

	if (!h)
		return -ENOMEM;
	h->ehash = calloc(INET_EHASH_MIN, sizeof(*h->ehash));
	if (!h->ehash) {
		free(h);
		return -ENOMEM;
	}
	h->ehash_mask = INET_EHASH_MIN - 1;
	h->ehash_secret = tn_prandom_u32(st);
	for (int i = 0; i < 4; i++)
		h->port_secret[i] = tn_prandom_u32(st);
	/* Linux fills table_perturb with random bytes on first use. */
	for (u32 i = 0; i < INET_TABLE_PERTURB_SIZE; i++)
		h->table_perturb[i] = tn_prandom_u32(st);
	net->ipv4.tcp->hashinfo = h;
	return 0;
}

void inet_hashinfo_free(struct net *net)
{
	struct inet_hashinfo *h = net->ipv4.tcp->hashinfo;

	if (h)
		free(h->ehash);
	free(h);
	net->ipv4.tcp->hashinfo = NULL;
}

/* ---- established hash ------------------------------------------------------ */

u32 inet_ehashfn(const struct net *net, u32 laddr, u16 lport, u32 faddr, u16 fport)
{
	return jhash_3words(laddr, faddr, (u32)lport << 16 | fport,
			    tcp_hashinfo(net)->ehash_secret);
}

static struct hlist_head *inet_ehash_bucket(const struct net *net, u32 hash)
{
	const struct inet_hashinfo *h = tcp_hashinfo(net);

	return &h->ehash[hash & h->ehash_mask];
}

/*
 * Double the established table (load above one entry per bucket). Entries
 * keep their skc_hash, so moving one is a pointer splice; the table is
 * rebuilt at once, under the stack lock, in O(entries) — amortized O(1) per
 * insertion. Allocation failure leaves the old table: chains get longer,
 * nothing fails.
 */
static void inet_ehash_grow(struct inet_hashinfo *h)
{
	u32 nmask = h->ehash_mask * 2 + 1;
	struct hlist_head *nt = calloc((size_t)nmask + 1, sizeof(*nt));

	if (!nt)
		return;
	for (u32 i = 0; i <= h->ehash_mask; i++) {
		struct hlist_node *n;

		while ((n = h->ehash[i].first)) {
			struct sock_common *skc = hlist_entry(n, struct sock_common, skc_node);

			hlist_del_init(n);
			hlist_add_head(n, &nt[skc->skc_hash & nmask]);
		}
	}
	free(h->ehash);
	h->ehash = nt;
	h->ehash_mask = nmask;
}

/* Linux's inet_sk_bound_dev_eq without VRFs: an unbound socket takes
 * segments from any device. */
static bool inet_bound_dev_eq(int bound_dev_if, int dif)
{
	return !bound_dev_if || bound_dev_if == dif;
}

/* Linux's inet_match: the 4-tuple, and the bound device if any. */
static bool inet_match(const struct sock_common *skc, const struct net *net, u32 saddr,
		       u16 sport, u32 daddr, u16 hnum, int dif)
{
	return skc->skc_net == net && skc->skc_daddr == saddr && skc->skc_rcv_saddr == daddr &&
	       skc->skc_dport == sport && skc->skc_num == hnum &&
	       inet_bound_dev_eq(skc->skc_bound_dev_if, dif);
}

struct sock_common *__inet_lookup_established(struct net *net, u32 saddr, u16 sport,
					      u32 daddr, u16 hnum, int dif)
{
	u32 hash = inet_ehashfn(net, daddr, hnum, saddr, sport);
	struct sock_common *skc;

	hlist_for_each_entry(skc, inet_ehash_bucket(net, hash), skc_node) {
		if (skc->skc_hash == hash && inet_match(skc, net, saddr, sport, daddr, hnum, dif))
			return skc;
	}
	return NULL;
}

void inet_ehash_insert(struct sock_common *skc, struct sock_common *osk)
{
	struct net *net = skc->skc_net;
	struct inet_hashinfo *h = tcp_hashinfo(net);

	skc->skc_hash = inet_ehashfn(net, skc->skc_rcv_saddr, skc->skc_num, skc->skc_daddr,
				     skc->skc_dport);
	if (osk)
		inet_ehash_remove(osk);
	hlist_add_head(&skc->skc_node, inet_ehash_bucket(net, skc->skc_hash));
	if (++h->ehash_count > h->ehash_mask + 1 && h->ehash_mask + 1 < INET_EHASH_MAX)
		inet_ehash_grow(h);
}

void inet_ehash_remove(struct sock_common *skc)
{
	if (hlist_unhashed(&skc->skc_node))
		return;
	hlist_del_init(&skc->skc_node);
	tcp_hashinfo(skc->skc_net)->ehash_count--;
}

/* ---- listening hash ---------------------------------------------------------- */

static struct hlist_head *inet_lhash_bucket(const struct net *net, u16 hnum)
{
	return &tcp_hashinfo(net)->lhash[hnum & (INET_LHTABLE_SIZE - 1)];
}

/*
 * Linux's compute_score for a listener against a segment to daddr:hnum on
 * device dif; -1 when it cannot take the segment. The caller passes the
 * address the pass is for (the exact one, then INADDR_ANY), so an exact
 * local address always beats a wildcard.
 */
static int compute_score(const struct sock *sk, const struct net *net, u16 hnum, u32 addr,
			 int dif)
{
	int score;

	if (sock_net(sk) != net || sk->sk_num != hnum || sk->sk_rcv_saddr != addr)
		return -1;
	if (!inet_bound_dev_eq(sk->sk_bound_dev_if, dif))
		return -1;
	score = sk->sk_bound_dev_if ? 2 : 1;
	if (sk->sk_family == AF_INET)
		score++;
	return score;
}

/* Same SO_REUSEPORT group: both reuseport, same address, port, device. */
static bool reuseport_same_group(const struct sock *a, const struct sock *b)
{
	return a->sk_reuseport && b->sk_reuseport && a->sk_rcv_saddr == b->sk_rcv_saddr &&
	       a->sk_num == b->sk_num && a->sk_bound_dev_if == b->sk_bound_dev_if;
}

/* Linux's reuseport_select_sock without BPF: member phash % n in the
 * group's order (the order the members started listening). */
static struct sock *lookup_reuseport(struct hlist_head *head, struct sock *first, u32 phash)
{
	struct sock_common *skc;
	u32 n = 0, pick;

	hlist_for_each_entry(skc, head, skc_node)
		if (reuseport_same_group((struct sock *)skc, first))
			n++;
	if (n <= 1)
		return first;
	pick = (u32)(((u64)phash * n) >> 32);   /* reciprocal_scale */
	hlist_for_each_entry(skc, head, skc_node) {
		if (!reuseport_same_group((struct sock *)skc, first))
			continue;
		if (pick-- == 0)
			return (struct sock *)skc;
	}
	return first;
}

static struct sock *inet_lhash_lookup(struct net *net, u32 saddr, u16 sport, u32 addr,
				      u16 hnum, int dif)
{
	struct hlist_head *head = inet_lhash_bucket(net, hnum);
	struct sock *result = NULL;
	struct sock_common *skc;
	int hiscore = 0;

	hlist_for_each_entry(skc, head, skc_node) {
		struct sock *sk = (struct sock *)skc;
		int score = compute_score(sk, net, hnum, addr, dif);

		if (score > hiscore) {
			hiscore = score;
			result = sk;
		}
	}
	if (result && result->sk_reuseport)
		result = lookup_reuseport(head, result,
					  inet_ehashfn(net, addr, hnum, saddr, sport));
	return result;
}

struct sock *__inet_lookup_listener(struct net *net, u32 saddr, u16 sport, u32 daddr,
				    u16 hnum, int dif)
{
	struct sock *sk = inet_lhash_lookup(net, saddr, sport, daddr, hnum, dif);

	if (sk)
		return sk;
	return inet_lhash_lookup(net, saddr, sport, 0, hnum, dif);
}

struct sock_common *__inet_lookup(struct net *net, u32 saddr, u16 sport, u32 daddr, u16 hnum,
				  int dif)
{
	struct sock_common *skc = __inet_lookup_established(net, saddr, sport, daddr, hnum, dif);

	if (skc)
		return skc;
	return (struct sock_common *)__inet_lookup_listener(net, saddr, sport, daddr, hnum, dif);
}

int inet_hash(struct sock *sk)
{
	if (sk->sk_state == TCP_CLOSE)
		return 0;
	if (sk->sk_state != TCP_LISTEN) {
		inet_ehash_insert(&sk->__sk_common, NULL);
		return 0;
	}
	/* Members of a reuseport group keep the order they joined in:
	 * appended after the last listener of the bucket. */
	struct hlist_head *head = inet_lhash_bucket(sock_net(sk), sk->sk_num);
	struct hlist_node *last = NULL, *n;

	for (n = head->first; n; n = n->next)
		last = n;
	if (!last) {
		hlist_add_head(&sk->sk_node, head);
	} else {
		sk->sk_node.next = NULL;
		sk->sk_node.pprev = &last->next;
		last->next = &sk->sk_node;
	}
	return 0;
}

void inet_unhash(struct sock *sk)
{
	/* A listener sits in lhash, anything else in ehash (the state is
	 * still the one it was hashed in: tcp_set_state unhashes first). */
	if (sk->sk_state != TCP_LISTEN)
		inet_ehash_remove(&sk->__sk_common);
	else if (!hlist_unhashed(&sk->sk_node))
		hlist_del_init(&sk->sk_node);
}

/* ---- bind buckets --------------------------------------------------------------- */

static struct hlist_head *inet_bhash_bucket(const struct net *net, u16 port)
{
	return &tcp_hashinfo(net)->bhash[port & (INET_BHASH_SIZE - 1)];
}

static struct inet_bind_bucket *inet_bind_bucket_find(struct net *net, u16 port)
{
	struct inet_bind_bucket *tb;

	hlist_for_each_entry(tb, inet_bhash_bucket(net, port), node)
		if (tb->net == net && tb->port == port)
			return tb;
	return NULL;
}

static struct inet_bind_bucket *inet_bind_bucket_create(struct net *net, u16 port)
{
	struct inet_bind_bucket *tb = calloc(1, sizeof(*tb));

	if (!tb)
		return NULL;
	tb->net = net;
	tb->port = port;
	tb->fastreuse = -1;
	tb->fastreuseport = -1;
	hlist_add_head(&tb->node, inet_bhash_bucket(net, port));
	tcp_hashinfo(net)->bind_buckets++;
	return tb;
}

/* Free a bucket nobody owns any more. */
static void inet_bind_bucket_destroy(struct inet_bind_bucket *tb)
{
	if (!!tb->owners.first)
		return;
	tcp_hashinfo(tb->net)->bind_buckets--;
	hlist_del_init(&tb->node);
	free(tb);
}

static void inet_bind_hash(struct sock *sk, struct inet_bind_bucket *tb, u16 port)
{
	sk->sk_num = port;
	inet_sk(sk)->inet_sport = port;
	hlist_add_head(&sk->sk_bind_node, &tb->owners);
	tb->num_owners++;
	inet_csk(sk)->icsk_bind_hash = tb;
}

void inet_put_port(struct sock *sk)
{
	struct inet_bind_bucket *tb = inet_csk(sk)->icsk_bind_hash;

	if (!tb)
		return;
	hlist_del_init(&sk->sk_bind_node);
	tb->num_owners--;
	inet_csk(sk)->icsk_bind_hash = NULL;
	/* Linux clears the port number but keeps inet_sport: a RST sent on
	 * the way out (tcp_close with unread data) still names the port. */
	sk->sk_num = 0;
	inet_bind_bucket_destroy(tb);
}

int __inet_inherit_port(const struct sock *sk, struct sock *child)
{
	struct inet_bind_bucket *tb = inet_csk(sk)->icsk_bind_hash;

	if (!tb)
		return -ENOENT;
	inet_bind_hash(child, tb, sk->sk_num);
	return 0;
}

void inet_twsk_bind_hash(struct inet_timewait_sock *tw, struct inet_bind_bucket *tb)
{
	tw->tw_tb = tb;
	hlist_add_head(&tw->__tw_common.skc_bind_node, &tb->owners);
	tb->num_owners++;
}

void inet_twsk_bind_unhash(struct inet_timewait_sock *tw)
{
	struct inet_bind_bucket *tb = tw->tw_tb;

	if (!tb)
		return;
	hlist_del_init(&tw->__tw_common.skc_bind_node);
	tb->num_owners--;
	tw->tw_tb = NULL;
	inet_bind_bucket_destroy(tb);
}

/* ---- bind(): conflicts and free ports ---------------------------------------------- */

/*
 * Linux's inet_bind_conflict for TCP (one user, so the uid tests always
 * pass). relax: bind() of a given port, where two SO_REUSEADDR sockets may
 * share it while the other is not listening; without relax (choosing a
 * port for bind(0)) they may not. reuseport_ok: SO_REUSEPORT sockets may
 * share.
 */
static bool inet_bind_conflict(const struct sock *sk, const struct sock_common *sk2, bool relax,
			       bool reuseport_ok)
{
	if (&sk->__sk_common == sk2)
		return false;
	if (sk->sk_bound_dev_if && sk2->skc_bound_dev_if &&
	    sk->sk_bound_dev_if != sk2->skc_bound_dev_if)
		return false;
	if (sk->sk_reuse && sk2->skc_reuse && sk2->skc_state != TCP_LISTEN)
		return !relax;
	return !reuseport_ok || !sk->sk_reuseport || !sk2->skc_reuseport;
}

/* Linux's inet_rcv_saddr_equal with match_wildcard: the wildcard
 * overlaps every address. */
static bool inet_rcv_saddr_overlap(const struct sock *sk, const struct sock_common *sk2)
{
	return !sk->sk_rcv_saddr || !sk2->skc_rcv_saddr || sk->sk_rcv_saddr == sk2->skc_rcv_saddr;
}

static bool inet_csk_bind_conflict(const struct sock *sk, const struct inet_bind_bucket *tb,
				   bool relax, bool reuseport_ok)
{
	struct sock_common *sk2;

	hlist_for_each_entry(sk2, &tb->owners, skc_bind_node) {
		if (inet_bind_conflict(sk, sk2, relax, reuseport_ok) &&
		    inet_rcv_saddr_overlap(sk, sk2))
			return true;
	}
	return false;
}

static void inet_sk_get_local_port_range(const struct net *net, int *low, int *high)
{
	*low = net->ipv4.sysctl_ip_local_port_range[0];
	*high = net->ipv4.sysctl_ip_local_port_range[1];
}

/* One parity pass of inet_csk_find_open_port over [low, high). */
static int inet_csk_scan_ports(struct sock *sk, u32 low, u32 remaining, u32 offset, bool relax,
			       struct inet_bind_bucket **tbp)
{
	struct net *net = sock_net(sk);
	u32 port = low + offset;

	for (u32 i = 0; i < remaining; i += 2, port += 2) {
		struct inet_bind_bucket *tb;

		if (port >= low + remaining)
			port -= remaining;
		tb = inet_bind_bucket_find(net, (u16)port);
		if (!tb || !inet_csk_bind_conflict(sk, tb, relax, false)) {
			*tbp = tb;
			return (int)port;
		}
	}
	return 0;
}

/*
 * Linux's inet_csk_find_open_port: a random odd offset (connect() favours
 * the other parity), both parities, and with SO_REUSEADDR the lower half
 * of the range first so that the upper half stays for connect(). Costs one
 * bucket probe per port in use in the worst case.
 */
static int inet_csk_find_open_port(struct sock *sk, struct inet_bind_bucket **tbp)
{
	struct tn_stack *st = sock_net(sk)->stack;
	int attempt_half = sk->sk_reuse ? 1 : 0;
	int lo, hi;

	inet_sk_get_local_port_range(sock_net(sk), &lo, &hi);
	hi++;
	if (hi - lo < 4)
		attempt_half = 0;
	for (;;) {
		u32 low = (u32)lo, high = (u32)hi, remaining, offset;

		if (attempt_half) {
			u32 half = low + (((high - low) >> 2) << 1);

			if (attempt_half == 1)
				high = half;
			else
				low = half;
		}
		remaining = high - low;
		if (remaining > 1)
			remaining &= ~1u;
		offset = tn_prandom_below(st, remaining) | 1u;
		for (int pass = 0; pass < 2; pass++, offset--) {
			int port = inet_csk_scan_ports(sk, low, remaining, offset, false, tbp);

			if (port)
				return port;
			if (remaining < 2)
				break;
		}
		if (attempt_half != 1)
			return 0;
		attempt_half = 2;
	}
}

/* Linux's inet_csk_update_fastreuse: remember whether the port was taken
 * by bind() (>= 0), which connect() never shares. */
static void inet_csk_update_fastreuse(struct inet_bind_bucket *tb, const struct sock *sk)
{
	bool reuse = sk->sk_reuse && sk->sk_state != TCP_LISTEN;

	if (!tb->owners.first) {
		tb->fastreuse = reuse;
		tb->fastreuseport = sk->sk_reuseport;
		return;
	}
	if (!reuse)
		tb->fastreuse = 0;
	if (!sk->sk_reuseport)
		tb->fastreuseport = 0;
}

int inet_csk_get_port(struct sock *sk, unsigned short snum)
{
	struct net *net = sock_net(sk);
	struct inet_bind_bucket *tb = NULL;
	int port = snum;

	if (!port) {
		port = inet_csk_find_open_port(sk, &tb);
		if (!port)
			return -EADDRINUSE;
	} else {
		tb = inet_bind_bucket_find(net, (u16)port);
		if (tb && !!tb->owners.first && inet_csk_bind_conflict(sk, tb, true, true))
			return -EADDRINUSE;
	}
	if (!tb) {
		tb = inet_bind_bucket_create(net, (u16)port);
		if (!tb)
			return -ENOMEM;
	}
	inet_csk_update_fastreuse(tb, sk);
	if (!inet_csk(sk)->icsk_bind_hash)
		inet_bind_hash(sk, tb, (u16)port);
	return 0;
}

/* ---- connect(): ephemeral ports ------------------------------------------------------- */

/* Linux's secure_ipv4_port_ephemeral (siphash there): a keyed 64-bit hash
 * of the destination, so that each destination walks the port range from
 * its own unpredictable place (RFC 6056 algorithm 3). */
u64 secure_ipv4_port_ephemeral(const struct net *net, u32 saddr, u32 daddr, u16 dport)
{
	const u32 *k = tcp_hashinfo(net)->port_secret;
	u32 hi = jhash_3words(saddr, daddr, dport, k[0]);
	u32 lo = jhash_3words(saddr ^ k[2], daddr ^ k[3], (u32)dport << 16 | (hi & 0xffff), k[1]);

	return (u64)hi << 32 | lo;
}

/*
 * Linux's __inet_check_established: is the 4-tuple of sk with local port
 * lport unused? A TIME_WAIT holding it may be taken over (tcp_twsk_unique);
 * *twp then returns it, already out of ehash. On success sk is in ehash.
 */
static int __inet_check_established(struct sock *sk, u16 lport, struct inet_timewait_sock **twp,
				    bool bound)
{
	struct net *net = sock_net(sk);
	u32 hash = inet_ehashfn(net, sk->sk_rcv_saddr, lport, sk->sk_daddr, sk->sk_dport);
	struct inet_timewait_sock *tw = NULL;
	struct sock_common *sk2;

	hlist_for_each_entry(sk2, inet_ehash_bucket(net, hash), skc_node) {
		if (sk2->skc_hash != hash ||
		    !inet_match(sk2, net, sk->sk_daddr, sk->sk_dport, sk->sk_rcv_saddr, lport,
				sk->sk_bound_dev_if))
			continue;
		if (sk2->skc_state == TCP_TIME_WAIT &&
		    tcp_twsk_unique(sk, (struct inet_timewait_sock *)sk2, bound)) {
			tw = (struct inet_timewait_sock *)sk2;
			break;
		}
		return -EADDRNOTAVAIL;
	}
	sk->sk_num = lport;
	inet_sk(sk)->inet_sport = lport;
	inet_ehash_insert(&sk->__sk_common, tw ? &tw->__tw_common : NULL);
	if (tw)
		__NET_INC_STATS(net, LINUX_MIB_TIMEWAITRECYCLED);
	*twp = tw;
	return 0;
}

/* The port is ours: hash sk, and retire the TIME_WAIT it replaces. */
static void inet_hash_connect_finish(struct sock *sk, struct inet_bind_bucket *tb, u16 port,
				    struct inet_timewait_sock *tw, u32 index, u32 i)
{
	struct inet_hashinfo *h = tcp_hashinfo(sock_net(sk));
	u32 r = tn_prandom_below(sock_net(sk)->stack, 8) * 2;

	/* A little randomness in where the next search for this destination
	 * starts: maximal under low contention, none under high. */
	h->table_perturb[index] += TN_MAX(i, r) + 2;
	inet_bind_hash(sk, tb, port);
	if (tw) {
		inet_twsk_bind_unhash(tw);
		inet_twsk_kill(tw);
	}
}

/* A port already bound (bind() before connect()): only the 4-tuple. */
static int inet_hash_connect_bound(struct sock *sk)
{
	struct inet_timewait_sock *tw = NULL;
	int err = __inet_check_established(sk, sk->sk_num, &tw, true);

	if (!err && tw) {
		inet_twsk_bind_unhash(tw);
		inet_twsk_kill(tw);
	}
	return err;
}

/*
 * Try one port for connect(): a port bound by bind() is never shared, a
 * port other connect()s use is shared when the 4-tuple differs. 1: sk got
 * the port; 0: try the next; -errno.
 */
static int inet_hash_connect_try(struct sock *sk, u16 port, u32 index, u32 i)
{
	struct net *net = sock_net(sk);
	struct inet_bind_bucket *tb = inet_bind_bucket_find(net, port);
	struct inet_timewait_sock *tw = NULL;

	if (tb) {
		if (tb->fastreuse >= 0 || tb->fastreuseport >= 0)
			return 0;
		if (__inet_check_established(sk, port, &tw, false))
			return 0;
	} else {
		tb = inet_bind_bucket_create(net, port);
		if (!tb)
			return -ENOMEM;
		sk->sk_num = port;
		inet_sk(sk)->inet_sport = port;
		inet_ehash_insert(&sk->__sk_common, NULL);
	}
	inet_hash_connect_finish(sk, tb, port, tw, index, i);
	return 1;
}

/*
 * Linux's __inet_hash_connect. Cost: one bind-bucket probe (and, for a
 * port that other connections use, one ehash chain walk) per port tried.
 * The start offset comes from the destination's hash plus a perturbation
 * that advances past the ports just taken, so under light use a port is
 * found in O(1) probes whatever the number of ports in use elsewhere; the
 * worst case (a range nearly exhausted towards this destination) walks the
 * whole range before -EADDRNOTAVAIL.
 */
int inet_hash_connect(struct sock *sk)
{
	struct net *net = sock_net(sk);
	struct inet_hashinfo *h = tcp_hashinfo(net);
	u64 port_offset;
	u32 index, offset, remaining;
	int lo, hi;

	if (sk->sk_num)
		return inet_hash_connect_bound(sk);
	port_offset = secure_ipv4_port_ephemeral(net, sk->sk_rcv_saddr, sk->sk_daddr,
						 sk->sk_dport);
	inet_sk_get_local_port_range(net, &lo, &hi);
	hi++;                               /* [32768, 60999] -> [32768, 61000[ */
	remaining = (u32)(hi - lo);
	if (remaining > 1)
		remaining &= ~1u;
	index = (u32)port_offset & (INET_TABLE_PERTURB_SIZE - 1);
	offset = (h->table_perturb[index] + (u32)(port_offset >> 32)) % remaining;
	offset &= ~1u;                      /* first pass: ports of low's parity */
	for (int pass = 0; pass < 2; pass++, offset++) {
		u32 port = (u32)lo + offset;

		for (u32 i = 0; i < remaining; i += 2, port += 2) {
			int ret;

			if (port >= (u32)lo + remaining)
				port -= remaining;
			ret = inet_hash_connect_try(sk, (u16)port, index, i);
			if (ret)
				return ret < 0 ? ret : 0;
		}
		if (remaining < 2)
			break;
	}
	return -EADDRNOTAVAIL;
}
