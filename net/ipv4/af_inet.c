/*
 * The IPv4 family (Linux's net/ipv4/af_inet.c): per stack, ip_rcv for
 * ETH_P_IP, the AF_INET socket family and inetsw, the table of (type,
 * protocol) -> transport that inet_create() picks from; per namespace, the
 * net.ipv4.* defaults and sysctls, the IP ID generators and the constant
 * rows of the TCP MIB (RFC 2012) that `nstat` shows.
 *
 * The socket half is the generic AF_INET operations behind every inet
 * socket's proto_ops (bind, getname, connect for datagrams, shutdown,
 * ioctl, sendmsg with autobind, recvmsg with the error queue); the
 * transports (UDP, ping, TCP) register their inetsw entries and supply
 * struct proto. IPPROTO_IP options are ip_sockglue.c's.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/sockios.h>

#include "net/skbuff.h"
#include "net/inet_sock.h"
#include "net/ip.h"
#include "net/route.h"
#include "net/tcp_states.h"
#include "net/tcp.h"
#include "net/net_namespace.h"
#include "net/netdevice.h"
#include "net/stack.h"

/* Linux's TCP_RTO_MIN and TCP_RTO_MAX in ms, for the Tcp MIB's constants. */
#define TCP_RTO_MIN_MS 200
#define TCP_RTO_MAX_MS 120000

#define IPPROTO_MAX_LINUX 263   /* IPPROTO_MPTCP + 1 */
#define ENOIOCTLCMD 515          /* Linux's internal "no such ioctl" */

/* ---- inetsw ------------------------------------------------------------- */

int inet_register_protosw(struct tn_stack *st, const struct inet_protosw *p)
{
	struct inet_protosw *answer, *copy;
	struct list_head *last_perm;

	if (p->type >= ARRAY_SIZE(st->inetsw))
		return -EINVAL;
	/* Permanent entries stay in front of the others (Linux's order). */
	last_perm = &st->inetsw[p->type];
	list_for_each_entry(answer, &st->inetsw[p->type], list) {
		if (!(answer->flags & INET_PROTOSW_PERMANENT))
			break;
		if (answer->protocol == p->protocol)
			return -EPERM;
		last_perm = &answer->list;
	}
	copy = malloc(sizeof(*copy));
	if (!copy)
		return -ENOMEM;
	*copy = *p;
	list_add(&copy->list, last_perm);
	return 0;
}

void inet_unregister_protosw(struct tn_stack *st, const struct inet_protosw *p)
{
	struct inet_protosw *answer, *tmp;

	if (p->type >= ARRAY_SIZE(st->inetsw))
		return;
	list_for_each_entry_safe(answer, tmp, &st->inetsw[p->type], list) {
		if (answer->protocol == p->protocol && answer->prot == p->prot) {
			list_del_init(&answer->list);
			free(answer);
		}
	}
}

static void inetsw_free_all(struct tn_stack *st)
{
	struct inet_protosw *answer, *tmp;

	for (unsigned int i = 0; i < ARRAY_SIZE(st->inetsw); i++) {
		if (!st->inetsw[i].next)
			continue;   /* the socket layer never set it up */
		list_for_each_entry_safe(answer, tmp, &st->inetsw[i], list) {
			list_del_init(&answer->list);
			free(answer);
		}
	}
}

/* Linux's lookup in inet_create: an exact (type, protocol) match, or
 * protocol 0 taking the type's first entry, or a wildcard entry; the error
 * says whether the type (-ESOCKTNOSUPPORT) or the protocol
 * (-EPROTONOSUPPORT) was the problem. */
static struct inet_protosw *inetsw_lookup(struct tn_stack *st, int type, int *protocol,
					  int *err)
{
	struct inet_protosw *answer;

	*err = -ESOCKTNOSUPPORT;
	if (type < 0 || (unsigned int)type >= ARRAY_SIZE(st->inetsw))
		return NULL;
	list_for_each_entry(answer, &st->inetsw[type], list) {
		*err = 0;
		if (*protocol == answer->protocol) {
			if (*protocol != IPPROTO_IP)
				return answer;
		} else {
			if (*protocol == IPPROTO_IP) {
				*protocol = answer->protocol;
				return answer;
			}
			if (answer->protocol == IPPROTO_IP)
				return answer;
		}
		*err = -EPROTONOSUPPORT;
	}
	return NULL;
}

/* ---- socket creation -------------------------------------------------- */

static void inet_sock_init(struct sock *sk, struct socket *sock, int protocol,
			   const struct inet_protosw *answer)
{
	struct inet_sock *inet = inet_sk(sk);
	struct net *net = sock_net(sk);

	if (answer->flags & INET_PROTOSW_REUSE)
		sk->sk_reuse = 1;
	if (sock->type == SOCK_RAW) {
		inet->inet_num = (u16)protocol;
		if (protocol == IPPROTO_RAW)
			inet->hdrincl = 1;
	}
	inet->pmtudisc = net->ipv4.sysctl_ip_no_pmtu_disc ? IP_PMTUDISC_DONT : IP_PMTUDISC_WANT;
	sock_init_data(sock, sk);
	sk->sk_protocol = (u8)protocol;
	sk->sk_backlog_rcv = sk->sk_prot->backlog_rcv;
	inet->uc_ttl = -1;
	inet->mc_ttl = 1;
	inet->mc_loop = 1;
}

static int inet_create(struct net *net, struct socket *sock, int protocol, int kern)
{
	struct inet_protosw *answer;
	struct sock *sk;
	int err;

	if (protocol < 0 || protocol >= IPPROTO_MAX_LINUX)
		return -EINVAL;
	sock->state = SS_UNCONNECTED;
	answer = inetsw_lookup(net->stack, sock->type, &protocol, &err);
	if (!answer)
		return err;
	sock->ops = answer->ops;
	sk = sk_alloc(net, AF_INET, answer->prot);
	if (!sk) {
		sock->ops = NULL;
		return -ENOBUFS;
	}
	inet_sock_init(sk, sock, protocol, answer);
	if (inet_sk(sk)->inet_num) {
		inet_sk(sk)->inet_sport = inet_sk(sk)->inet_num;
		err = sk->sk_prot->hash ? sk->sk_prot->hash(sk) : 0;
		if (err)
			goto out_release;
	}
	if (sk->sk_prot->init) {
		err = sk->sk_prot->init(sk);
		if (err)
			goto out_release;
	}
	return 0;

out_release:
	/* Linux's sk_common_release path: the socket keeps its ops so that
	 * __sock_create's release does not run them on a half-made sock. */
	sock->sk = NULL;
	sock->ops = NULL;
	sk_common_release(sk);
	return err;
}

static const struct net_proto_family inet_family_ops = {
	.family = AF_INET,
	.create = inet_create,
};

/* ---- the generic AF_INET operations ------------------------------------ */

int inet_release(struct socket *sock)
{
	struct sock *sk = sock->sk;
	s64 timeout = 0;

	if (!sk)
		return 0;
	if (sock_flag(sk, SOCK_LINGER))
		timeout = sk->sk_lingertime;
	sock->sk = NULL;
	if (sk->sk_prot->close)
		sk->sk_prot->close(sk, timeout);
	else
		sk_common_release(sk);
	return 0;
}

/* Linux's inet_addr_valid_or_nonlocal. */
static bool inet_addr_valid_or_nonlocal(struct net *net, const struct inet_sock *inet, u32 addr,
					unsigned int type)
{
	return net->ipv4.sysctl_ip_nonlocal_bind || inet->freebind || inet->transparent ||
	       addr == INADDR_ANY || type == RTN_LOCAL || type == RTN_MULTICAST ||
	       type == RTN_BROADCAST;
}

int inet_bind(struct socket *sock, const struct sockaddr *uaddr, int addr_len)
{
	const struct sockaddr_in *addr = (const struct sockaddr_in *)uaddr;
	struct sock *sk = sock->sk;
	struct inet_sock *inet = inet_sk(sk);
	struct net *net = sock_net(sk);
	unsigned int type;
	u32 saddr;
	u16 snum;

	if (addr_len < (int)sizeof(struct sockaddr_in))
		return -EINVAL;
	saddr = ntohl(addr->sin_addr.s_addr);
	/* AF_UNSPEC passes for INADDR_ANY only, an old compatibility game. */
	if (addr->sin_family != AF_INET &&
	    (addr->sin_family != AF_UNSPEC || saddr != INADDR_ANY))
		return -EAFNOSUPPORT;
	type = inet_addr_type(net, saddr);
	if (!inet_addr_valid_or_nonlocal(net, inet, saddr, type))
		return -EADDRNOTAVAIL;
	/* Ports below 1024 need CAP_NET_BIND_SERVICE: we act as root. */
	snum = ntohs(addr->sin_port);
	if (sk->sk_state != TCP_CLOSE || inet->inet_num)
		return -EINVAL;
	inet->inet_rcv_saddr = inet->inet_saddr = saddr;
	if (type == RTN_MULTICAST || type == RTN_BROADCAST)
		inet->inet_saddr = 0;   /* the device's address when sending */
	if (sk->sk_prot->get_port(sk, snum)) {
		inet->inet_saddr = inet->inet_rcv_saddr = 0;
		return -EADDRINUSE;
	}
	if (inet->inet_rcv_saddr)
		sk->sk_userlocks |= SOCK_BINDADDR_LOCK;
	if (snum)
		sk->sk_userlocks |= SOCK_BINDPORT_LOCK;
	inet->inet_sport = inet->inet_num;
	inet->inet_daddr = 0;
	inet->inet_dport = 0;
	sk_dst_reset(sk);
	return 0;
}

int inet_autobind(struct sock *sk)
{
	struct inet_sock *inet = inet_sk(sk);

	if (!inet->inet_num) {
		if (sk->sk_prot->get_port(sk, 0))
			return -EAGAIN;
		inet->inet_sport = inet->inet_num;
	}
	return 0;
}

int inet_dgram_connect(struct socket *sock, const struct sockaddr *uaddr, int addr_len,
		       int flags)
{
	struct sock *sk = sock->sk;

	if (addr_len < (int)sizeof(uaddr->sa_family))
		return -EINVAL;
	if (uaddr->sa_family == AF_UNSPEC)
		return sk->sk_prot->disconnect ? sk->sk_prot->disconnect(sk, flags) : 0;
	if (!inet_sk(sk)->inet_num && !sk->sk_prot->no_autobind && inet_autobind(sk))
		return -EAGAIN;
	return sk->sk_prot->connect(sk, uaddr, addr_len);
}

/* Stream sockets: TCP brings connect, listen and accept; until then an
 * inet stream socket (none can be created yet) refuses them. */
/* Still connecting: the handshake has not finished one way or the other. */
static bool inet_connect_done(struct sock *sk)
{
	return !((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV));
}

/* After a failed or reset handshake: report the socket's error (ECONNREFUSED,
 * ETIMEDOUT, EHOSTUNREACH ...) and leave it unconnected, as Linux's
 * __inet_stream_connect does at sock_error. */
static int inet_connect_failed(struct socket *sock, int flags)
{
	struct sock *sk = sock->sk;
	int err = sock_error(sk);

	if (!err)
		err = -ECONNABORTED;
	sock->state = SS_UNCONNECTED;
	if (sk->sk_prot->disconnect && sk->sk_prot->disconnect(sk, flags))
		sock->state = SS_DISCONNECTING;
	return err;
}

/* Start the handshake if the socket is unconnected (-EINPROGRESS); report
 * EALREADY / EISCONN by state otherwise. */
static int inet_connect_start(struct socket *sock, const struct sockaddr *uaddr, int addr_len)
{
	struct sock *sk = sock->sk;
	int err;

	switch (sock->state) {
	case SS_CONNECTED:
		return -EISCONN;
	case SS_CONNECTING:
		return -EALREADY;
	case SS_UNCONNECTED:
		if (sk->sk_state != TCP_CLOSE)
			return -EISCONN;
		if (!sk->sk_prot->connect)
			return -EOPNOTSUPP;
		err = sk->sk_prot->connect(sk, uaddr, addr_len);
		if (err < 0)
			return err;
		sock->state = SS_CONNECTING;
		return -EINPROGRESS;
	default:
		return -EINVAL;
	}
}

/*
 * connect(2) on a stream socket (Linux's __inet_stream_connect): AF_UNSPEC
 * disconnects; otherwise start the handshake, and unless the socket is
 * non-blocking wait (SO_SNDTIMEO) until it completes. A non-blocking or
 * timed-out connect returns EINPROGRESS (EALREADY while one is under way);
 * the outcome is then read from SO_ERROR or a later connect.
 */
int inet_stream_connect(struct socket *sock, const struct sockaddr *uaddr, int addr_len,
			int flags)
{
	struct sock *sk = sock->sk;
	int err;

	if (addr_len < (int)sizeof(uaddr->sa_family))
		return -EINVAL;
	if (uaddr->sa_family == AF_UNSPEC) {
		err = sk->sk_prot->disconnect ? sk->sk_prot->disconnect(sk, flags) : 0;
		sock->state = err ? SS_DISCONNECTING : SS_UNCONNECTED;
		return err;
	}
	err = inet_connect_start(sock, uaddr, addr_len);
	if (err != -EINPROGRESS && err != -EALREADY)
		return err;
	if (!inet_connect_done(sk)) {
		s64 timeo = sock_sndtimeo(sk, flags & O_NONBLOCK);

		if (!timeo)
			return err;
		int w = sk_wait_event(sk, &timeo, inet_connect_done, false);
		if (w == -EBADF || w == -EINTR)
			return w;
		if (!inet_connect_done(sk))
			return err;   /* SO_SNDTIMEO ran out: still in progress */
	}
	/* Closed by RST, timeout, ICMP error, or disconnected under us. */
	if (sk->sk_state == TCP_CLOSE)
		return inet_connect_failed(sock, flags);
	sock->state = SS_CONNECTED;
	return 0;
}

/* listen(2): only an unconnected stream socket in CLOSE or LISTEN; a second
 * listen just changes the backlog (already clamped to somaxconn). */
int inet_listen(struct socket *sock, int backlog)
{
	struct sock *sk = sock->sk;
	u8 old_state = sk->sk_state;
	int err;

	if (sock->state != SS_UNCONNECTED || sock->type != SOCK_STREAM)
		return -EINVAL;
	if (!((1 << old_state) & (TCPF_CLOSE | TCPF_LISTEN)))
		return -EINVAL;
	sk->sk_max_ack_backlog = backlog < 0 ? 0 : (u32)backlog;
	if (old_state != TCP_LISTEN) {
		err = inet_csk_listen_start(sk);
		if (err)
			return err;
	}
	return 0;
}

int inet_accept(struct socket *sock, struct socket *newsock, int flags)
{
	struct sock *sk = sock->sk;
	struct sock *sk2;
	int err = -EINVAL;

	if (!sk->sk_prot->accept)
		return -EOPNOTSUPP;
	sk2 = sk->sk_prot->accept(sk, flags, &err);
	if (!sk2)
		return err;
	sk2->sk_socket = newsock;
	sk2->sk_wq = &newsock->wq;
	newsock->sk = sk2;
	newsock->state = SS_CONNECTED;
	return 0;
}

int inet_getname(struct socket *sock, struct sockaddr *uaddr, int peer)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)uaddr;
	struct sock *sk = sock->sk;
	struct inet_sock *inet = inet_sk(sk);

	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	if (peer) {
		if (!inet->inet_dport ||
		    (((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_SYN_SENT)) && peer == 1))
			return -ENOTCONN;
		sin->sin_port = htons(inet->inet_dport);
		sin->sin_addr.s_addr = htonl(inet->inet_daddr);
	} else {
		u32 addr = inet->inet_rcv_saddr ? inet->inet_rcv_saddr : inet->inet_saddr;
		sin->sin_port = htons(inet->inet_sport);
		sin->sin_addr.s_addr = htonl(addr);
	}
	return sizeof(*sin);
}

int inet_shutdown(struct socket *sock, int how)
{
	struct sock *sk = sock->sk;
	int err = 0;

	/* 0, 1, 2 -> RCV_SHUTDOWN, SEND_SHUTDOWN, both. */
	how++;
	if ((how & ~SHUTDOWN_MASK) || !how)
		return -EINVAL;
	if (sock->state == SS_CONNECTING) {
		if ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV | TCPF_CLOSE))
			sock->state = SS_DISCONNECTING;
		else
			sock->state = SS_CONNECTED;
	}
	switch (sk->sk_state) {
	case TCP_CLOSE:
		/* ENOTCONN, but the bits are set anyway so that a reader
		 * blocked on an unconnected UDP socket wakes (Linux's hack). */
		err = -ENOTCONN;
		/* fall through */
	default:
		sk->sk_shutdown |= (u8)how;
		if (sk->sk_prot->shutdown)
			sk->sk_prot->shutdown(sk, how);
		break;
	case TCP_LISTEN:
		if (!(how & RCV_SHUTDOWN))
			break;
		/* fall through */
	case TCP_SYN_SENT:
		err = sk->sk_prot->disconnect ? sk->sk_prot->disconnect(sk, O_NONBLOCK) : 0;
		sock->state = err ? SS_DISCONNECTING : SS_UNCONNECTED;
		break;
	}
	sk->sk_state_change(sk);
	return err;
}

/* What a transport without an ioctl of its own answers: the next
 * datagram's length and the unsent bytes (Linux's raw_ioctl). */
static int inet_generic_ioctl(struct sock *sk, unsigned long cmd, int *karg)
{
	struct sk_buff *skb;

	switch (cmd) {
	case SIOCINQ:
		skb = skb_peek(&sk->sk_receive_queue);
		*karg = skb ? (int)skb->len : 0;
		return 0;
	case SIOCOUTQ:
		*karg = sk_wmem_alloc_get(sk);
		return 0;
	default:
		return -ENOTTY;
	}
}

int inet_ioctl(struct socket *sock, unsigned long cmd, void *arg)
{
	struct sock *sk = sock->sk;
	int karg = 0, err;

	if (sk->sk_prot->ioctl)
		err = sk->sk_prot->ioctl(sk, cmd, &karg);
	else
		err = inet_generic_ioctl(sk, cmd, &karg);
	if (err == -ENOIOCTLCMD)
		err = -ENOTTY;   /* the kernel-internal "not mine" never reaches users */
	if (err)
		return err;
	if (!arg)
		return -EFAULT;
	memcpy(arg, &karg, sizeof(karg));
	return 0;
}

int inet_sendmsg(struct socket *sock, const struct msghdr *msg, size_t size, int flags)
{
	struct sock *sk = sock->sk;

	if (!inet_sk(sk)->inet_num && !sk->sk_prot->no_autobind && inet_autobind(sk))
		return -EAGAIN;
	return sk->sk_prot->sendmsg(sk, msg, size, flags);
}

int inet_recvmsg(struct socket *sock, struct msghdr *msg, size_t size, int flags)
{
	struct sock *sk = sock->sk;
	int addr_len = 0;
	int err;

	if (flags & MSG_ERRQUEUE)
		return ip_recv_error(sk, msg, size);
	err = sk->sk_prot->recvmsg(sk, msg, size, flags, &addr_len);
	if (err >= 0)
		msg->msg_namelen = (socklen_t)addr_len;
	return err;
}

u32 inet_poll(struct tn_file *file, struct socket *sock)
{
	struct sock *sk = sock->sk;

	(void)file;
	return sk->sk_prot->poll ? sk->sk_prot->poll(sk) : datagram_poll(sk);
}

int sock_common_setsockopt(struct socket *sock, int level, int optname, const void *optval,
			   socklen_t optlen)
{
	struct sock *sk = sock->sk;

	if (sk->sk_prot->setsockopt)
		return sk->sk_prot->setsockopt(sk, level, optname, optval, optlen);
	return ip_setsockopt(sk, level, optname, optval, optlen);
}

int sock_common_getsockopt(struct socket *sock, int level, int optname, void *optval,
			   socklen_t *optlen)
{
	struct sock *sk = sock->sk;

	if (sk->sk_prot->getsockopt)
		return sk->sk_prot->getsockopt(sk, level, optname, optval, optlen);
	return ip_getsockopt(sk, level, optname, optval, optlen);
}

static int sock_no_listen(struct socket *sock, int backlog)
{
	return -EOPNOTSUPP;
}

static int sock_no_accept(struct socket *sock, struct socket *newsock, int flags)
{
	return -EOPNOTSUPP;
}

const struct proto_ops inet_stream_ops = {
	.family = AF_INET,
	.release = inet_release,
	.bind = inet_bind,
	.connect = inet_stream_connect,
	.accept = inet_accept,
	.getname = inet_getname,
	.poll = inet_poll,
	.ioctl = inet_ioctl,
	.listen = inet_listen,
	.shutdown = inet_shutdown,
	.setsockopt = sock_common_setsockopt,
	.getsockopt = sock_common_getsockopt,
	.sendmsg = inet_sendmsg,
	.recvmsg = inet_recvmsg,
};

const struct proto_ops inet_dgram_ops = {
	.family = AF_INET,
	.release = inet_release,
	.bind = inet_bind,
	.connect = inet_dgram_connect,
	.accept = sock_no_accept,
	.getname = inet_getname,
	.poll = inet_poll,
	.ioctl = inet_ioctl,
	.listen = sock_no_listen,
	.shutdown = inet_shutdown,
	.setsockopt = sock_common_setsockopt,
	.getsockopt = sock_common_getsockopt,
	.sendmsg = inet_sendmsg,
	.recvmsg = inet_recvmsg,
};

/* Raw and ping sockets: datagram semantics, poll is always datagram_poll. */
static u32 inet_sockraw_poll(struct tn_file *file, struct socket *sock)
{
	(void)file;
	return datagram_poll(sock->sk);
}

const struct proto_ops inet_sockraw_ops = {
	.family = AF_INET,
	.release = inet_release,
	.bind = inet_bind,
	.connect = inet_dgram_connect,
	.accept = sock_no_accept,
	.getname = inet_getname,
	.poll = inet_sockraw_poll,
	.ioctl = inet_ioctl,
	.listen = sock_no_listen,
	.shutdown = inet_shutdown,
	.setsockopt = sock_common_setsockopt,
	.getsockopt = sock_common_getsockopt,
	.sendmsg = inet_sendmsg,
	.recvmsg = inet_recvmsg,
};

/* ---- the subsystem ---------------------------------------------------- */

static int inet_init(struct tn_stack *st)
{
	struct packet_type *pt = calloc(1, sizeof(*pt));
	int err;

	if (!pt)
		return -ENOMEM;
	err = sock_register(st, &inet_family_ops);
	if (err) {
		free(pt);
		return err;
	}
	pt->type = ETH_P_IP;
	pt->func = ip_rcv;
	dev_add_pack(st, pt);
	return 0;
}

/* The stack's ip_rcv entry, found again in the packet type table. */
static struct packet_type *inet_find_pack(struct tn_stack *st)
{
	struct packet_type *pt;

	for (unsigned int i = 0; i < PTYPE_HASH_SIZE; i++)
		list_for_each_entry(pt, &st->ptype_base[i], list)
			if (pt->type == ETH_P_IP && pt->func == ip_rcv)
				return pt;
	return NULL;
}

static void inet_exit(struct tn_stack *st)
{
	struct packet_type *pt = inet_find_pack(st);

	inetsw_free_all(st);
	sock_unregister(st, AF_INET);
	if (!pt)
		return;
	dev_remove_pack(st, pt);
	free(pt);
}

/* Linux's tcp_mib_init: values that never change but are part of the MIB
 * (MaxConn -1: "dynamic", shown signed). */
static void tcp_mib_init(struct net *net)
{
	net->mib.tcp[TCP_MIB_RTOALGORITHM] = 1;   /* other(1): Van Jacobson's */
	net->mib.tcp[TCP_MIB_RTOMIN] = TCP_RTO_MIN_MS;
	net->mib.tcp[TCP_MIB_RTOMAX] = TCP_RTO_MAX_MS;
	net->mib.tcp[TCP_MIB_MAXCONN] = (u64)-1;
}

static int inet_net_init(struct net *net)
{
	int err;

	ipv4_net_defaults(net);
	tcp_mib_init(net);
	err = ip_idents_init(net);
	if (err)
		return err;
	err = ipv4_sysctl_register(net);
	if (err)
		goto out_idents;
	return 0;

out_idents:
	ip_idents_exit(net);
	return err;
}

static void inet_net_exit(struct net *net)
{
	ipv4_sysctl_unregister(net);
	ip_idents_exit(net);
}

const struct tn_subsystem inet_subsys = {
	.name = "inet",
	.init = inet_init,
	.exit = inet_exit,
	.net_init = inet_net_init,
	.net_exit = inet_net_exit,
};
