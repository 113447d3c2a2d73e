/*
 * What every IPv4 datagram socket (UDP, ping) shares (Linux's
 * net/ipv4/datagram.c and the datagram helpers of net/core): connect() as a
 * route lookup that fixes the peer and the source address, the route cached
 * on a connected socket, and the sockaddr_in of sendto() and recvfrom().
 *
 * Nothing here knows a transport's header or tables; the rehash callback
 * lets UDP move the socket in its address hash when connect() chose the
 * local address.
 */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include "net/skbuff.h"
#include "net/dst.h"
#include "net/ip.h"
#include "net/net_namespace.h"
#include "net/route.h"
#include "net/stack.h"
#include "net/udp.h"

struct rtable *ip4_sk_dst_get(struct sock *sk)
{
	struct dst_entry *dst = sk->sk_dst_cache;

	if (!dst)
		return NULL;
	/* Routes changed since connect(): look up again, as __sk_dst_check. */
	if (!ipv4_dst_check(dst)) {
		sk_dst_reset(sk);
		return NULL;
	}
	return dst_rtable(dst_hold(dst));
}

int ip4_datagram_connect_rehash(struct sock *sk, const struct sockaddr *uaddr, int addr_len,
				void (*rehash)(struct sock *sk))
{
	const struct sockaddr_in *usin = (const struct sockaddr_in *)uaddr;
	struct inet_sock *inet = inet_sk(sk);
	struct net *net = sock_net(sk);
	struct flowi4 fl4 = { 0 };
	struct rtable *rt;
	int err;

	if (addr_len < (int)sizeof(*usin))
		return -EINVAL;
	if (usin->sin_family != AF_INET)
		return -EAFNOSUPPORT;
	sk_dst_reset(sk);
	fl4.flowi4_oif = sk->sk_bound_dev_if;
	fl4.flowi4_tos = inet->tos;
	fl4.flowi4_mark = sk->sk_mark;
	fl4.flowi4_proto = sk->sk_protocol;
	fl4.saddr = inet->inet_saddr;
	fl4.daddr = ntohl(usin->sin_addr.s_addr);
	fl4.fl4_sport = inet->inet_sport;
	fl4.fl4_dport = ntohs(usin->sin_port);
	err = ip_route_output_key(net, &fl4, &rt);
	if (err) {
		if (err == -ENETUNREACH)
			__IP_INC_STATS(net, IPSTATS_MIB_OUTNOROUTES);
		return err;
	}
	if ((rt->rt_flags & RTCF_BROADCAST) && !sock_flag(sk, SOCK_BROADCAST)) {
		ip_rt_put(rt);
		return -EACCES;
	}
	if (!inet->inet_saddr)
		inet->inet_saddr = fl4.saddr;
	if (!inet->inet_rcv_saddr) {
		inet->inet_rcv_saddr = fl4.saddr;
		if (rehash)
			rehash(sk);
	}
	inet->inet_daddr = fl4.daddr;
	inet->inet_dport = ntohs(usin->sin_port);
	sk->sk_state = TCP_ESTABLISHED;
	inet->inet_id = (u16)tn_prandom_u32(net->stack);
	sk->sk_dst_cache = &rt->dst;
	return 0;
}

/* ---- addresses -------------------------------------------------------------- */

int ip4_msg_name(const struct msghdr *msg, u32 *daddr, u16 *dport)
{
	const struct sockaddr_in *usin = msg->msg_name;

	if (msg->msg_namelen < sizeof(*usin))
		return -EINVAL;
	if (usin->sin_family != AF_INET && usin->sin_family != AF_UNSPEC)
		return -EAFNOSUPPORT;
	*daddr = ntohl(usin->sin_addr.s_addr);
	*dport = ntohs(usin->sin_port);
	return 0;
}

void ip4_fill_msg_name(struct msghdr *msg, u32 addr, u16 port, int *addr_len)
{
	struct sockaddr_in *sin = msg->msg_name;

	if (!sin)
		return;
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	sin->sin_addr.s_addr = htonl(addr);
	if (addr_len)
		*addr_len = sizeof(*sin);
}

int ip4_datagram_route(struct sock *sk, u8 proto, u32 daddr, u16 dport, bool connected,
		       bool cache, struct rtable **rtp, u32 *saddr)
{
	struct inet_sock *inet = inet_sk(sk);
	struct net *net = sock_net(sk);
	struct flowi4 fl4 = {
		.flowi4_oif = sk->sk_bound_dev_if,
		.flowi4_mark = sk->sk_mark,
		.flowi4_tos = inet->tos,
		.flowi4_proto = proto,
		.saddr = inet->inet_saddr,
		.daddr = daddr,
		.fl4_sport = inet->inet_sport,
		.fl4_dport = dport,
	};
	int err;

	if (connected && (*rtp = ip4_sk_dst_get(sk)) != NULL) {
		*saddr = inet->inet_saddr;
		return 0;
	}
	err = ip_route_output_key(net, &fl4, rtp);
	if (err) {
		if (err == -ENETUNREACH)
			__IP_INC_STATS(net, IPSTATS_MIB_OUTNOROUTES);
		return err;
	}
	if (((*rtp)->rt_flags & RTCF_BROADCAST) && !sock_flag(sk, SOCK_BROADCAST)) {
		ip_rt_put(*rtp);
		return -EACCES;
	}
	if (cache && connected && !sk->sk_dst_cache)
		sk->sk_dst_cache = dst_hold(&(*rtp)->dst);
	*saddr = fl4.saddr;
	return 0;
}
