/*
 * The TCP lookup tables of a namespace (Linux's inet_hashtables.h):
 *
 *   ehash  by 4-tuple (jhash with a per-namespace secret): full sockets
 *          past LISTEN, request socks (TCP_NEW_SYN_RECV) and timewait
 *          socks, all chained through sock_common.skc_node;
 *   lhash  listeners by local port, chained through skc_node;
 *   bhash  inet_bind_bucket per local port in use, each with its owners
 *          (full socks and timewait socks) chained through skc_bind_node.
 *
 * Lookups return borrowed pointers: everything runs under the stack lock,
 * so an entry stays valid until the caller itself frees or unhashes it.
 */
#ifndef TN_NET_INET_HASHTABLES_H
#define TN_NET_INET_HASHTABLES_H

#include "net/inet_connection_sock.h"

/* ehash starts at INET_EHASH_MIN buckets and doubles whenever it holds
 * more entries than buckets, up to INET_EHASH_MAX (16 M buckets, 128 MiB:
 * 10 M connections are 20 M entries when both ends live in one process).
 * Linux sizes its table once, from memory, at boot; a tuxnet process holds
 * many namespaces, most with a handful of sockets, so each table grows with
 * its own load instead (docs/deviations.md). */
#define INET_EHASH_MIN 4096
#define INET_EHASH_MAX (1u << 24)
#define INET_LHTABLE_SIZE 64          /* listening buckets by port */
#define INET_BHASH_SIZE 4096          /* bind buckets by port */
/* Linux's table_perturb has 1 << 16 entries; 1 << 12 keeps a namespace at
 * 16 KiB and still spreads destinations over 4096 independent offsets. */
#define INET_TABLE_PERTURB_SIZE (1u << 12)

struct inet_hashinfo {
	struct hlist_head *ehash;         /* ehash_mask + 1 buckets */
	u32 ehash_mask;
	u32 ehash_count;                  /* entries: full, request and timewait socks */
	struct hlist_head lhash[INET_LHTABLE_SIZE];
	struct hlist_head bhash[INET_BHASH_SIZE];
	u32 ehash_secret;                 /* jhash seed of the 4-tuple hash */
	u32 port_secret[4];               /* secure_ipv4_port_ephemeral key */
	u32 table_perturb[INET_TABLE_PERTURB_SIZE];
	u32 bind_buckets;                 /* inet_bind_bucket objects alive */
};

struct sk_buff;

int inet_hashinfo_init(struct net *net);
/* Frees the tables; every socket must be gone (request and timewait socks
 * are killed by tcp_net_exit before). */
void inet_hashinfo_free(struct net *net);

u32 inet_ehashfn(const struct net *net, u32 laddr, u16 lport, u32 faddr, u16 fport);

/* Established table: a full sock, request sock or timewait sock whose
 * 4-tuple matches (sock_common: look at skc_state), or NULL. dif is the
 * device the segment came in on. */
struct sock_common *__inet_lookup_established(struct net *net, u32 saddr, u16 sport,
					      u32 daddr, u16 hnum, int dif);
/* The listener that best matches (Linux's compute_score: an exact local
 * address beats the wildcard, a matching bound device scores higher, a
 * SO_REUSEPORT group picks one member by the flow hash), or NULL. */
struct sock *__inet_lookup_listener(struct net *net, u32 saddr, u16 sport, u32 daddr,
				    u16 hnum, int dif);
/* Established first, then listeners. */
struct sock_common *__inet_lookup(struct net *net, u32 saddr, u16 sport, u32 daddr, u16 hnum,
				  int dif);

/* Insert a socket into ehash (Linux's inet_ehash_nolisten); osk, when
 * given, is the entry it replaces (a request sock becoming a full sock). */
void inet_ehash_insert(struct sock_common *skc, struct sock_common *osk);
void inet_ehash_remove(struct sock_common *skc);

/* proto hash/unhash: listeners go to lhash, others to ehash. */
int inet_hash(struct sock *sk);
void inet_unhash(struct sock *sk);

/* Bind (proto get_port): snum 0 picks a free port (odd offsets first, as
 * Linux's inet_csk_find_open_port). 0 or -EADDRINUSE (taken, or no free
 * port for bind(0)), -ENOMEM. */
int inet_csk_get_port(struct sock *sk, unsigned short snum);
/* Release the port (Linux's inet_put_port). */
void inet_put_port(struct sock *sk);
/* A child created from a listener shares the listener's bind bucket. */
int __inet_inherit_port(const struct sock *sk, struct sock *child);
/* Bind buckets for timewait socks (tcp_minisocks.c). */
void inet_twsk_bind_hash(struct inet_timewait_sock *tw, struct inet_bind_bucket *tb);
void inet_twsk_bind_unhash(struct inet_timewait_sock *tw);

/*
 * Connect-time port selection (Linux's inet_hash_connect): an already
 * bound port is checked for 4-tuple uniqueness; otherwise a port from
 * net.ipv4.ip_local_port_range is chosen starting at a per-destination
 * offset (a keyed hash of saddr, daddr, dport plus a per-bucket
 * perturbation), stepping by 2. The socket ends up in ehash. A TIME_WAIT
 * holding the same 4-tuple is taken over when tcp_twsk_unique allows.
 * 0 or -EADDRNOTAVAIL (range exhausted, or the bound port's 4-tuple taken).
 */
int inet_hash_connect(struct sock *sk);
u64 secure_ipv4_port_ephemeral(const struct net *net, u32 saddr, u32 daddr, u16 dport);

#endif
