/*
 * UDP test fixtures: kernel-side sockets (created, bound and read with the
 * stack lock held, as the tests hold it) on top of the IPv4 world of
 * tn_ipv4.h, and byte-exact UDP datagram builders. Header-only, as
 * tn_ipv4.h.
 */
#ifndef TN_TESTS_TN_UDP_H
#define TN_TESTS_TN_UDP_H

#include "tn_ipv4.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include "net/dst.h"
#include "net/icmp.h"
#include "net/inet_sock.h"
#include "net/sock.h"
#include "net/socket.h"
#include "net/udp.h"
#include "net/wire/icmp.h"
#include "net/wire/udp.h"

static inline struct socket *usock_new(struct net *net, int protocol)
{
	struct socket *sock = NULL;

	assert_int_equal(__sock_create(net, AF_INET, SOCK_DGRAM, protocol, &sock, 0), 0);
	assert_non_null(sock);
	return sock;
}

static inline struct sockaddr_in usin(u32 addr, u16 port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };

	sin.sin_addr.s_addr = htonl(addr);
	return sin;
}

static inline int ubind(struct socket *sock, u32 addr, u16 port)
{
	struct sockaddr_in sin = usin(addr, port);

	return sock->ops->bind(sock, (struct sockaddr *)&sin, sizeof(sin));
}

static inline int uconnect(struct socket *sock, u32 addr, u16 port)
{
	struct sockaddr_in sin = usin(addr, port);

	return sock->ops->connect(sock, (struct sockaddr *)&sin, sizeof(sin), 0);
}

/* SOL_SOCKET is the socket layer's (as sys_setsockopt dispatches it). */
static inline int usetopt(struct socket *sock, int level, int name, int val)
{
	if (level == SOL_SOCKET)
		return sock_setsockopt(sock->sk, name, &val, sizeof(val));
	return sock->ops->setsockopt(sock, level, name, &val, sizeof(val));
}

/* sendto (addr 0 and port 0: send on the connected socket). */
static inline int usendto(struct socket *sock, const void *buf, size_t len, u32 addr, u16 port,
			  int flags)
{
	struct sockaddr_in sin = usin(addr, port);
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };

	if (addr || port) {
		msg.msg_name = &sin;
		msg.msg_namelen = sizeof(sin);
	}
	return sock->ops->sendmsg(sock, &msg, len, flags);
}

/* Non-blocking recvfrom; *msg_flags gets what recvmsg reported. */
static inline int urecvfrom(struct socket *sock, void *buf, size_t len, int flags,
			    struct sockaddr_in *from, int *msg_flags)
{
	struct sockaddr_in tmp;
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr msg = {
		.msg_name = from ? from : &tmp, .msg_namelen = sizeof(tmp),
		.msg_iov = &iov, .msg_iovlen = 1,
	};
	int n = sock->ops->recvmsg(sock, &msg, len, flags | MSG_DONTWAIT);

	if (msg_flags)
		*msg_flags = msg.msg_flags;
	return n;
}

/* A UDP datagram inside an IPv4 packet, checksum computed unless
 * check_override >= 0 (then stored as given). Returns the IP length. */
static inline size_t build_udp(u8 *buf, u32 saddr, u16 sport, u32 daddr, u16 dport,
			       const void *payload, u16 paylen, int check_override)
{
	u8 udp[2048];
	struct udp_repr uh = { .source = sport, .dest = dport, .len = (u16)(UDP_HLEN + paylen) };
	struct ip_pkt p = {
		.saddr = saddr, .daddr = daddr, .ttl = 64, .protocol = IPPROTO_UDP, .id = 7,
		.payload = udp, .paylen = uh.len,
	};

	udp_emit(&uh, udp);
	memcpy(udp + UDP_HLEN, payload, paylen);
	if (check_override >= 0) {
		put_be16(udp + 6, (u16)check_override);
	} else {
		u16 c = csum_tcpudp_magic(saddr, daddr, uh.len, IPPROTO_UDP,
					  csum_partial(udp, uh.len, 0));
		put_be16(udp + 6, c ? c : 0xffff);
	}
	return build_ipv4(buf, &p);
}

static inline void inject_udp(struct ip_world *w, u32 saddr, u16 sport, u32 daddr, u16 dport,
			      const void *payload, u16 paylen, int check_override)
{
	u8 ip[2048];
	size_t len = build_udp(ip, saddr, sport, daddr, dport, payload, paylen, check_override);

	inject_ip(w, w->eth0, ip, len, false);
}

static inline u64 udp_mib(struct ip_world *w, int field)
{
	return w->net->mib.udp[field];
}

#endif
