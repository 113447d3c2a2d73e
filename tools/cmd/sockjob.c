/*
 * What the stream commands (nc in TCP mode, iperf3) share: a socket opened
 * from a job on the socket layer's own calls (never the descriptor table:
 * the job is not an application thread), non-blocking connect / accept /
 * send / receive that a job retries each time the stack has run, the
 * address text tools print, and the integrity digest.
 *
 * The digest (a tuxnet extension of nc and iperf3: --digest) is FNV-1a 64
 * over the byte stream. Senders generate data with tn_stream_pattern(), a
 * function of the stream offset, so a receiver's digest matches the
 * sender's only if every byte arrived once, in order and intact.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <string.h>

#include "net/skbuff.h"
#include "net/tcp.h"
#include "net/net_namespace.h"
#include "net/socket.h"
#include "net/stack.h"
#include "tools/cmd/cmd.h"

#define FNV64_OFFSET 0xcbf29ce484222325ull
#define FNV64_PRIME 0x100000001b3ull

void tn_digest_init(struct tn_digest *d)
{
	d->h = FNV64_OFFSET;
	d->bytes = 0;
}

void tn_digest_update(struct tn_digest *d, const void *p, size_t n)
{
	const u8 *b = p;
	u64 h = d->h;

	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= FNV64_PRIME;
	}
	d->h = h;
	d->bytes += n;
}

/* Byte i of every generated stream: not periodic at any segment size. */
void tn_stream_pattern(u64 off, u8 *buf, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		u64 x = off + i;

		buf[i] = (u8)((x * 2654435761u) >> 13 ^ (x >> 16));
	}
}

int tn_sockjob_open(struct net *net, struct socket **sock)
{
	return __sock_create(net, AF_INET, SOCK_STREAM, IPPROTO_TCP, sock, 1);
}

static void sin_fill(struct sockaddr_in *sin, u32 addr, u16 port)
{
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	sin->sin_addr.s_addr = htonl(addr);
}

int tn_sockjob_bind(struct socket *sock, u32 addr, u16 port)
{
	struct sockaddr_in sin;
	int one = 1;

	sin_fill(&sin, addr, port);
	sock_setsockopt(sock->sk, SO_REUSEADDR, &one, sizeof(one));
	return sock->ops->bind(sock, (struct sockaddr *)&sin, sizeof(sin));
}

int tn_sockjob_connect(struct socket *sock, u32 addr, u16 port)
{
	struct sockaddr_in sin;
	int err;

	sin_fill(&sin, addr, port);
	err = sock->ops->connect(sock, (struct sockaddr *)&sin, sizeof(sin), O_NONBLOCK);
	return err == -EINPROGRESS ? 0 : err;
}

int tn_sockjob_listen(struct socket *sock, u32 addr, u16 port, int backlog)
{
	int err = tn_sockjob_bind(sock, addr, port);

	return err ? err : sock->ops->listen(sock, backlog);
}

/* 1 connected, 0 still connecting, < 0 the connection failed. */
int tn_sockjob_connected(struct socket *sock)
{
	struct sock *sk = sock->sk;

	if (sk->sk_err)
		return sock_error(sk);
	if (TCPF(sk->sk_state) & (TCPF(TCP_SYN_SENT) | TCPF(TCP_SYN_RECV)))
		return 0;
	return sk->sk_state == TCP_CLOSE ? -ECONNREFUSED : 1;
}

/* A connection waiting on listener, or NULL (*err -EAGAIN: none yet). */
struct socket *tn_sockjob_accept(struct socket *listener, int *err)
{
	struct socket *ns = sock_alloc(listener->sk->sk_net->stack);

	if (!ns) {
		*err = -ENOMEM;
		return NULL;
	}
	ns->type = listener->type;
	ns->ops = listener->ops;
	*err = listener->ops->accept(listener, ns, O_NONBLOCK);
	if (*err) {
		ns->ops = NULL;
		sock_release(ns);
		return NULL;
	}
	return ns;
}

ssize_t tn_sockjob_send(struct socket *sock, const void *buf, size_t len)
{
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };

	return sock->ops->sendmsg(sock, &msg, len, MSG_DONTWAIT | MSG_NOSIGNAL);
}

ssize_t tn_sockjob_recv(struct socket *sock, void *buf, size_t len)
{
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };

	return sock->ops->recvmsg(sock, &msg, len, MSG_DONTWAIT);
}

/* "10.0.0.1" and the port of either end. */
u16 tn_sockjob_name(struct socket *sock, bool peer, char *addr)
{
	struct sockaddr_in sin = { 0 };

	if (sock->ops->getname(sock, (struct sockaddr *)&sin, peer) < 0) {
		strcpy(addr, "0.0.0.0");
		return 0;
	}
	tn_ipv4_str(ntohl(sin.sin_addr.s_addr), addr);
	return ntohs(sin.sin_port);
}
