/*
 * UDP (Linux's net/ipv4/udp.c and include/net/udp.h): udp_prot, the
 * transport behind SOCK_DGRAM/IPPROTO_UDP sockets, and udp_rcv/udp_err, its
 * entries in the IPv4 protocol table.
 *
 * Each namespace has a udp_table with two hashes, as Linux's:
 *   hash   by local port: what bind() checks for conflicts and where the
 *          ephemeral search looks (each slot holds the ports congruent to
 *          it modulo the table size);
 *   hash2  by (local address, port): what a received datagram is looked
 *          up in, first with its destination address, then with INADDR_ANY;
 *          sockets are scored (connected peer, bound device) so that the
 *          most specific one wins, whether it matches 2 or 4 tuple fields.
 * Sockets bound with SO_REUSEPORT to the same address and port form a
 * group; a datagram goes to the member a hash of its 4-tuple (with a
 * per-namespace secret) selects.
 *
 * Everything runs under the stack lock.
 */
#ifndef TN_NET_UDP_H
#define TN_NET_UDP_H

#include "net/inet_sock.h"
#include "net/tcp_states.h"
#include "net/wire/udp.h"

struct net;
struct sk_buff;
struct msghdr;

#define UDP_HTABLE_LOG 8
#define UDP_HTABLE_SIZE (1u << UDP_HTABLE_LOG)

struct udp_hslot {
	struct hlist_head head;
	unsigned int count;
};

struct udp_table {
	struct udp_hslot hash[UDP_HTABLE_SIZE];   /* by port (sk_bind_node) */
	struct udp_hslot hash2[UDP_HTABLE_SIZE];  /* by address and port (sk_node) */
	u32 secret;                               /* reuseport and hash2 hashing */
};

/* A SO_REUSEPORT group (Linux's sock_reuseport): members in bind order; a
 * member that leaves is replaced by the last one, as Linux does. */
struct udp_reuseport {
	unsigned int num, cap;
	struct sock **socks;
};

struct udp_sock {
	struct inet_sock inet;
	u16 udp_port_hash;             /* the bound port (hash key) */
	u32 udp_portaddr_hash;         /* hash2 key: (rcv_saddr, port) */
	struct udp_reuseport *reuseport;  /* sk_reuseport_cb: the group, or NULL */
};

static inline struct udp_sock *udp_sk(const struct sock *sk)
{
	return (struct udp_sock *)sk;
}

extern struct proto udp_prot;

/* Protocol table entries (IPPROTO_UDP). udp_rcv: skb->data at the UDP
 * header, network header and dst set; consumes skb. udp_err: skb->data at
 * the IP header an ICMP error quotes. */
int udp_rcv(struct sk_buff *skb);
int udp_err(struct sk_buff *skb, u32 info, u8 type, u8 code);

/* The socket a datagram from saddr:sport to daddr:dport arriving on dif
 * goes to (Linux's __udp4_lib_lookup), or NULL. hash selects within a
 * SO_REUSEPORT group. */
struct sock *udp4_lib_lookup(struct net *net, u32 saddr, u16 sport, u32 daddr, u16 dport,
			     int dif);

/* proto operations, also usable directly on a sock from sk_alloc. */
int udp_init_sock(struct sock *sk);
int udp_v4_get_port(struct sock *sk, unsigned short snum);
void udp_lib_unhash(struct sock *sk);
/* Move the socket in hash2 after its local address changed (connect). */
void udp_lib_rehash(struct sock *sk);
int udp_sendmsg(struct sock *sk, const struct msghdr *msg, size_t len, int flags);
int udp_recvmsg(struct sock *sk, struct msghdr *msg, size_t len, int flags, int *addr_len);
int udp_disconnect(struct sock *sk, int flags);
int udp_ioctl(struct sock *sk, unsigned long cmd, int *karg);
u32 udp_poll(struct sock *sk);

/* The errno an ICMP error means to a socket (Linux's icmp_err_convert),
 * and whether it is "hard" (reported on a connected socket without
 * IP_RECVERR). icmp_err.c. */
struct icmp_err {
	int errno_;
	bool fatal;
};
extern const struct icmp_err icmp_err_convert[];
/* Parameter problem, unreachables and time exceeded as errno (+ hard or
 * not) for a datagram socket; false: nothing to report. */
bool icmp_err_to_errno(const struct sock *sk, u8 type, u8 code, int *err, bool *harderr);

/* ---- shared with the ping socket (net/ipv4/datagram.c) ------------------ */

/* connect() of a datagram socket (Linux's __ip4_datagram_connect): route
 * to the peer, take the route's source address if unbound (rehash is
 * called after rcv_saddr changed, may be NULL), remember the peer and the
 * route. 0, -EINVAL, -EAFNOSUPPORT, -ENETUNREACH, -EACCES (broadcast
 * without SO_BROADCAST). */
int ip4_datagram_connect_rehash(struct sock *sk, const struct sockaddr *uaddr, int addr_len,
				void (*rehash)(struct sock *sk));
/* The route cached by connect() if still valid (a new reference), else
 * NULL (and the stale one is forgotten). */
struct rtable *ip4_sk_dst_get(struct sock *sk);
/* The route of one datagram to daddr: the connected socket's cached route
 * when it goes to the connected peer, else a lookup (counted
 * IpOutNoRoutes when there is none; -EACCES to a broadcast address without
 * SO_BROADCAST). cache: keep the looked-up route on a connected socket (UDP
 * does, ping does not, as on Linux). The source address in *saddr. */
int ip4_datagram_route(struct sock *sk, u8 proto, u32 daddr, u16 dport, bool connected,
		       bool cache, struct rtable **rtp, u32 *saddr);
/* The destination of sendto(): 0, -EINVAL (short name),
 * -EAFNOSUPPORT; the port is the caller's to check. AF_UNSPEC is taken
 * as AF_INET, as Linux does. */
int ip4_msg_name(const struct msghdr *msg, u32 *daddr, u16 *dport);
/* struct sockaddr_in for a received datagram into msg->msg_name. */
void ip4_fill_msg_name(struct msghdr *msg, u32 addr, u16 port, int *addr_len);

#endif
