/*
 * Fixtures for the TCP connection-management tests (listen, accept,
 * ports, TIME_WAIT): kernel-side TCP sockets used with the stack lock
 * held, byte-exact segments from the peer of tn_ipv4.h's world
 * (10.0.0.2 -> 10.0.0.1 on eth0), and a reader for what the stack sends.
 * Header-only, as tn_ipv4.h.
 */
#ifndef TN_TESTS_TN_TCPCONN_H
#define TN_TESTS_TN_TCPCONN_H

#include "tn_ipv4.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "net/inet_hashtables.h"
#include "net/inet_sock.h"
#include "net/sock.h"
#include "net/socket.h"
#include "net/tcp.h"
#include "net/wire/tcp.h"

#define PEER_PORT 40000
#define SRV_PORT 80

static inline struct socket *tsock_new(struct net *net)
{
	struct socket *sock = NULL;

	assert_int_equal(__sock_create(net, AF_INET, SOCK_STREAM, IPPROTO_TCP, &sock, 0), 0);
	assert_non_null(sock);
	return sock;
}

static inline struct sockaddr_in tsin(u32 addr, u16 port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };

	sin.sin_addr.s_addr = htonl(addr);
	return sin;
}

static inline int tbind(struct socket *sock, u32 addr, u16 port)
{
	struct sockaddr_in sin = tsin(addr, port);

	return sock->ops->bind(sock, (struct sockaddr *)&sin, sizeof(sin));
}

static inline int tconnect(struct socket *sock, u32 addr, u16 port)
{
	struct sockaddr_in sin = tsin(addr, port);

	return sock->ops->connect(sock, (struct sockaddr *)&sin, sizeof(sin), O_NONBLOCK);
}

static inline int tsetopt(struct socket *sock, int level, int name, int val)
{
	if (level == SOL_SOCKET)
		return sock_setsockopt(sock->sk, name, &val, sizeof(val));
	return sock->ops->setsockopt(sock, level, name, &val, sizeof(val));
}

/* Non-blocking accept: the new socket, or NULL with *err. */
static inline struct socket *taccept(struct socket *lsock, int *err)
{
	struct socket *nsock = sock_alloc(lsock->sk->sk_net->stack);

	assert_non_null(nsock);
	nsock->type = lsock->type;
	nsock->ops = lsock->ops;
	*err = lsock->ops->accept(lsock, nsock, O_NONBLOCK);
	if (*err) {
		nsock->ops = NULL;
		sock_release(nsock);
		return NULL;
	}
	return nsock;
}

static inline struct socket *tlisten_on(struct net *net, u16 port, int backlog)
{
	struct socket *sock = tsock_new(net);

	assert_int_equal(tbind(sock, 0, port), 0);
	assert_int_equal(sock->ops->listen(sock, backlog), 0);
	return sock;
}

static inline int tsysctl(struct net *net, const char *key, const char *val)
{
	return tn_sysctl_write(net, key, val);
}

/* ---- segments from the peer ---------------------------------------------- */

struct tseg {
	u32 saddr, daddr;
	u16 sport, dport;
	u32 seq, ack;
	u8 flags;
	u16 window;
	const u8 *opts;
	u8 optlen;            /* multiple of 4 */
	const u8 *data;
	u16 len;
	bool bad_csum;
};

/* A peer segment with defaults: PEER_IP:PEER_PORT -> LOCAL_IP:SRV_PORT. */
static inline struct tseg tseg(u16 sport, u32 seq, u32 ack, u8 flags)
{
	return (struct tseg){ .saddr = PEER_IP, .daddr = LOCAL_IP, .sport = sport,
			      .dport = SRV_PORT, .seq = seq, .ack = ack, .flags = flags,
			      .window = 64240 };
}

static inline size_t build_tcp_ip(u8 *ip, const struct tseg *s)
{
	u8 tcp[1600];
	struct tcp_repr th = { .source = s->sport, .dest = s->dport, .seq = s->seq,
			       .ack_seq = s->ack, .doff = (u8)(TCP_HLEN_MIN + s->optlen),
			       .flags = s->flags, .window = s->window, .options = s->opts };
	u16 len = (u16)(th.doff + s->len);
	u16 sum;
	struct ip_pkt p = { .saddr = s->saddr, .daddr = s->daddr, .ttl = 64,
			    .protocol = IPPROTO_TCP, .id = 0x4242, .payload = tcp, .paylen = len };

	tcp_hdr_emit(&th, tcp);
	if (s->len)
		memcpy(tcp + th.doff, s->data, s->len);
	sum = csum_tcpudp_magic(s->saddr, s->daddr, len, IPPROTO_TCP, csum_partial(tcp, len, 0));
	put_be16(tcp + 16, s->bad_csum ? (u16)(sum ^ 0x5a5a) : sum);
	return build_ipv4(ip, &p);
}

static inline void inject_tcp(struct ip_world *w, const struct tseg *s)
{
	u8 ip[1700];
	size_t len = build_tcp_ip(ip, s);

	inject_ip(w, w->eth0, ip, len, false);
}

/* The options of a Linux SYN: mss 1460, sackOK, TS(tsval, 0), nop, ws 7. */
static inline void syn_opts(u8 *o, u32 tsval)
{
	static const u8 head[] = { 2, 4, 0x05, 0xb4, 4, 2, 8, 10 };

	memcpy(o, head, sizeof(head));
	put_be32(o + 8, tsval);
	put_be32(o + 12, 0);
	o[16] = 1;
	o[17] = 3;
	o[18] = 3;
	o[19] = 7;
}

/* NOP NOP TS(tsval, tsecr). */
static inline void ts_opts(u8 *o, u32 tsval, u32 tsecr)
{
	o[0] = 1;
	o[1] = 1;
	o[2] = 8;
	o[3] = 10;
	put_be32(o + 4, tsval);
	put_be32(o + 8, tsecr);
}

/* ---- what the stack sent ---------------------------------------------------- */

struct tout {
	u8 ip[1600];          /* the IP datagram */
	u32 ip_len;
	struct ipv4_repr iph;
	struct tcp_repr th;
	const u8 *tcp;        /* into ip */
	u32 tcp_len;
};

/* Pop the next frame sent on eth0 and parse it; false when none. */
static inline bool pop_tcp(struct ip_world *w, struct tout *o)
{
	struct sk_buff *skb = testdev_pop_tx(w->eth0);

	if (!skb)
		return false;
	assert_true(skb->len > ETH_HLEN + IPV4_MIN_HLEN);
	o->ip_len = TN_MIN(skb->len - ETH_HLEN, (u32)sizeof(o->ip));
	memcpy(o->ip, skb->data + ETH_HLEN, o->ip_len);
	kfree_skb(skb);
	assert_int_equal(ipv4_parse(o->ip, o->ip_len, &o->iph), IPV4_PARSE_OK);
	assert_int_equal(o->iph.protocol, IPPROTO_TCP);
	o->ip_len = o->iph.tot_len;
	o->tcp = o->ip + o->iph.ihl;
	o->tcp_len = o->ip_len - o->iph.ihl;
	assert_int_equal(tcp_hdr_parse(o->tcp, o->tcp_len, &o->th), 0);
	/* Every segment we send carries a correct checksum. */
	assert_int_equal(csum_tcpudp_magic(o->iph.saddr, o->iph.daddr, o->tcp_len, IPPROTO_TCP,
					   csum_partial(o->tcp, o->tcp_len, 0)), 0);
	return true;
}

static inline u64 tcp_mib(struct ip_world *w, int f) { return w->net->mib.tcp[f]; }
static inline u64 ext_mib(struct ip_world *w, int f) { return w->net->mib.linux_mib[f]; }

/* The listener's SYN queue length and accept backlog. */
static inline u32 syn_qlen(struct socket *l) { return inet_csk(l->sk)->icsk_accept_queue.qlen; }

#endif
