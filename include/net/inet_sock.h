/*
 * AF_INET sockets (Linux's include/net/inet_sock.h and af_inet.c): the IPv4
 * part of every inet socket (addresses, ports, TTL, TOS, PMTU discovery, the
 * cmsg flags), and inetsw, the table that maps (type, protocol) to the
 * transport's proto and the family's proto_ops:
 *   SOCK_STREAM/IPPROTO_TCP  -> tcp_prot,  inet_stream_ops
 *   SOCK_DGRAM/IPPROTO_UDP   -> udp_prot,  inet_dgram_ops
 *   SOCK_DGRAM/IPPROTO_ICMP  -> ping_prot, inet_sockraw_ops (ping socket)
 */
#ifndef TN_NET_INET_SOCK_H
#define TN_NET_INET_SOCK_H

#include "net/sock.h"
#include "net/socket.h"
#include "lib/list.h"

/* cmsg flags (inet->cmsg_flags), Linux's IP_CMSG_* */
#define IP_CMSG_PKTINFO 1
#define IP_CMSG_TTL 2
#define IP_CMSG_TOS 4
#define IP_CMSG_RECVOPTS 8
#define IP_CMSG_RETOPTS 16

struct inet_sock {
	struct sock sk;
#define inet_daddr sk.__sk_common.skc_daddr
#define inet_rcv_saddr sk.__sk_common.skc_rcv_saddr
#define inet_dport sk.__sk_common.skc_dport
#define inet_num sk.__sk_common.skc_num
	u32 inet_saddr;               /* source used for sending (host order) */
	u16 inet_sport;               /* host order */
	s16 uc_ttl;                   /* IP_TTL, -1: default */
	u16 inet_id;
	u8 tos;                       /* IP_TOS */
	u8 pmtudisc;                  /* IP_MTU_DISCOVER: IP_PMTUDISC_* (default WANT) */
	u8 recverr : 1;               /* IP_RECVERR */
	u8 freebind : 1;
	u8 hdrincl : 1;
	u8 transparent : 1;
	u8 cmsg_flags;
	u8 mc_ttl;                    /* IP_MULTICAST_TTL (default 1) */
	u8 mc_loop : 1;               /* IP_MULTICAST_LOOP (default on) */
};

static inline struct inet_sock *inet_sk(const struct sock *sk)
{
	return (struct inet_sock *)sk;
}

struct inet_protosw {
	struct list_head list;
	unsigned short type;          /* SOCK_STREAM, SOCK_DGRAM, SOCK_RAW */
	unsigned short protocol;      /* IPPROTO_* (IPPROTO_IP: wildcard) */
	struct proto *prot;
	const struct proto_ops *ops;
	unsigned char flags;          /* INET_PROTOSW_PERMANENT, _ICSK */
};
#define INET_PROTOSW_REUSE 0x01
#define INET_PROTOSW_PERMANENT 0x02
#define INET_PROTOSW_ICSK 0x04

/* Register p in st's inetsw (a copy is kept: one static protosw serves
 * every stack). 0, -EINVAL (bad type), -EPERM (a permanent entry already
 * owns the pair), -ENOMEM. Entries left at teardown are freed. */
int inet_register_protosw(struct tn_stack *st, const struct inet_protosw *p);
void inet_unregister_protosw(struct tn_stack *st, const struct inet_protosw *p);

extern const struct proto_ops inet_stream_ops;
extern const struct proto_ops inet_dgram_ops;
extern const struct proto_ops inet_sockraw_ops;

/* The generic AF_INET operations that the proto_ops tables point at. */
int inet_release(struct socket *sock);
int inet_bind(struct socket *sock, const struct sockaddr *uaddr, int addr_len);
int inet_dgram_connect(struct socket *sock, const struct sockaddr *uaddr, int addr_len,
		       int flags);
int inet_stream_connect(struct socket *sock, const struct sockaddr *uaddr, int addr_len,
			int flags);
int inet_accept(struct socket *sock, struct socket *newsock, int flags);
int inet_getname(struct socket *sock, struct sockaddr *uaddr, int peer);
int inet_listen(struct socket *sock, int backlog);
int inet_shutdown(struct socket *sock, int how);
int inet_ioctl(struct socket *sock, unsigned long cmd, void *arg);
int inet_sendmsg(struct socket *sock, const struct msghdr *msg, size_t size, int flags);
int inet_recvmsg(struct socket *sock, struct msghdr *msg, size_t size, int flags);
/* proto_ops.poll of inet sockets: the transport's poll, else datagram_poll. */
u32 inet_poll(struct tn_file *file, struct socket *sock);
/* Bind to an ephemeral port if not bound yet (send, connect); -EAGAIN. */
int inet_autobind(struct sock *sk);
/* Options of other levels go to the transport (it passes SOL_IP on to
 * ip_setsockopt); a transport without the hook gets SOL_IP only. */
int sock_common_setsockopt(struct socket *sock, int level, int optname, const void *optval,
			   socklen_t optlen);
int sock_common_getsockopt(struct socket *sock, int level, int optname, void *optval,
			   socklen_t *optlen);
/* IPPROTO_IP options (ip_sockglue.c): IP_TTL, IP_TOS, IP_MTU_DISCOVER,
 * IP_RECVERR, IP_PKTINFO, IP_MTU ... */
int ip_setsockopt(struct sock *sk, int level, int optname, const void *optval,
		  socklen_t optlen);
int ip_getsockopt(struct sock *sk, int level, int optname, void *optval, socklen_t *optlen);
/* Fill ancillary data for a received datagram (IP_PKTINFO, IP_TTL, ...)
 * from its IP header (the network header offset must still be valid) and
 * skb->skb_iif; ipi_spec_dst comes from the input route when the skb still
 * holds it, else the destination address. */
void ip_cmsg_recv(struct msghdr *msg, struct sk_buff *skb);
/* IP_RECVERR: queue an ICMP error for the socket's error queue. */
void ip_icmp_error(struct sock *sk, struct sk_buff *skb, int err, u8 type, u8 code,
		   u32 info, u32 dst, u16 port);
/* MSG_ERRQUEUE: one queued error as data (the quoted payload), its
 * origin address as msg_name and an IP_RECVERR cmsg (struct
 * sock_extended_err + offender). Returns the bytes copied, or -EAGAIN when
 * the queue is empty. inet_recvmsg calls it, so transports never see
 * MSG_ERRQUEUE. */
int ip_recv_error(struct sock *sk, struct msghdr *msg, size_t len);

#endif
