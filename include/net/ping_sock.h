/*
 * The ping socket (Linux's net/ipv4/ping.c): SOCK_DGRAM/IPPROTO_ICMP, an
 * unprivileged socket that sends ICMP echo requests and receives the
 * matching replies. The echo identifier plays the part of a port: bind()
 * chooses it (0: the next free one), the kernel writes it into every
 * request and delivers the replies that carry it.
 *
 * Who may create one is net.ipv4.ping_group_range (a group range, as
 * Linux); tuxnet's default lets everyone ("0 2147483647", where Linux has
 * "1 0", nobody), see docs/deviations.md.
 *
 * Ping sockets share the (protocol, id) space of ICMP's echo listeners
 * with the pinger engine that the ping command uses (include/net/ping.h):
 * one listener per identifier in use, owned by one of the sockets bound to
 * it, delivers replies and errors to them.
 */
#ifndef TN_NET_PING_SOCK_H
#define TN_NET_PING_SOCK_H

#include "net/icmp.h"
#include "net/inet_sock.h"

#define PING_HTABLE_SIZE 64

struct ping_table {
	struct hlist_head hash[PING_HTABLE_SIZE];   /* by identifier (sk_node) */
	u16 rover;                                  /* last identifier handed out */
	struct ctl_table_header *sysctl;            /* net.ipv4.ping_group_range */
};

struct ping_sock {
	struct inet_sock inet;
	struct icmp_echo_listener listener;
	bool listening;               /* listener registered for inet_num */
};

static inline struct ping_sock *ping_sk(const struct sock *sk)
{
	return (struct ping_sock *)sk;
}

extern struct proto ping_prot;

int ping_get_port(struct sock *sk, unsigned short ident);
void ping_unhash(struct sock *sk);

#endif
