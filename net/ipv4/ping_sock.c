/*
 * Ping sockets (Linux's net/ipv4/ping.c): socket(AF_INET, SOCK_DGRAM,
 * IPPROTO_ICMP). The application writes an ICMP echo request (header
 * included, type ECHO, code 0); the kernel fills in the identifier (the
 * socket's "port") and the checksum. Echo replies carrying the identifier
 * are read back header included; ICMP errors quoting one of the requests
 * are reported as UDP reports them (sk_err for hard errors on a connected
 * socket, IP_RECVERR's queue otherwise).
 *
 * Replies and errors reach us through ICMP's echo listeners (icmp.h): the
 * table of identifiers that the pinger engine also uses, so a ping
 * command and a ping socket never share an identifier. Each identifier in
 * use by sockets has one listener, owned by one of them; the sockets
 * themselves sit in a per-namespace hash, where a reply picks the first
 * one whose bound address and device accept it (Linux's ping_lookup).
 *
 * It is not the IPv6 ping socket, nor raw ICMP.
 */
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "net/skbuff.h"
#include "net/checksum.h"
#include "net/dst.h"
#include "net/ip.h"
#include "net/net_namespace.h"
#include "net/netdevice.h"
#include "net/ping_sock.h"
#include "net/route.h"
#include "net/stack.h"
#include "net/sysctl.h"
#include "net/udp.h"
#include "net/wire/icmp.h"

static struct hlist_head *ping_hashslot(struct ping_table *t, u16 ident)
{
	return &t->hash[ident % PING_HTABLE_SIZE];
}

static struct ping_table *ping_table_of(const struct sock *sk)
{
	return sock_net(sk)->ipv4.ping_table;
}

static bool ping_hashed(const struct sock *sk)
{
	return !hlist_unhashed(&sk->sk_node);
}

/* ---- identifiers ---------------------------------------------------------- */

/* Another socket of ours bound to ident, or NULL. */
static struct sock *ping_find_ident(struct ping_table *t, u16 ident, const struct sock *skip)
{
	struct sock *sk2;

	hlist_for_each_entry(sk2, ping_hashslot(t, ident), sk_node)
		if (sk2 != skip && sk2->sk_num == ident)
			return sk2;
	return NULL;
}

static void ping_reply(struct icmp_echo_listener *l, struct sk_buff *skb,
		       const struct icmp_repr *icmp, u32 from);
static void ping_error(struct icmp_echo_listener *l, struct sk_buff *skb, u8 type, u8 code,
		       u32 from, u32 info);

/* Claim ident in ICMP's listener table for sk; -EADDRINUSE if the pinger
 * (a ping command) holds it. */
static int ping_listen(struct sock *sk, u16 ident)
{
	struct ping_sock *ps = ping_sk(sk);
	int err;

	ps->listener.id = ident;
	ps->listener.protocol = IPPROTO_ICMP;
	ps->listener.net = sock_net(sk);
	ps->listener.reply = ping_reply;
	ps->listener.error = ping_error;
	err = icmp_echo_listener_add(&ps->listener);
	ps->listening = !err;
	return err;
}

/* Linux's ping_get_port: an explicit identifier is refused if another
 * socket has it and they do not both set SO_REUSEADDR; 0 takes the next
 * free one after the namespace's rover. */
static int ping_pick_ident(struct sock *sk, u16 *identp)
{
	struct ping_table *t = ping_table_of(sk);
	u16 ident = *identp;
	struct sock *sk2;

	if (ident) {
		sk2 = ping_find_ident(t, ident, sk);
		if (sk2 && (!sk2->sk_reuse || !sk->sk_reuse))
			return -EADDRINUSE;
		return sk2 ? 0 : ping_listen(sk, ident);
	}
	for (u32 i = 0; i < 65536; i++) {
		ident = (u16)(t->rover + 1 + i);
		if (!ident || ping_find_ident(t, ident, sk))
			continue;
		if (ping_listen(sk, ident))
			continue;
		t->rover = ident;
		*identp = ident;
		return 0;
	}
	return -EAGAIN;
}

int ping_get_port(struct sock *sk, unsigned short ident)
{
	int err;

	if (ping_hashed(sk))
		return -EINVAL;
	err = ping_pick_ident(sk, &ident);
	if (err)
		return err;
	sk->sk_num = ident;
	inet_sk(sk)->inet_sport = ident;
	hlist_add_head(&sk->sk_node, ping_hashslot(ping_table_of(sk), ident));
	sock_hold(sk);
	return 0;
}

/* Leave the table; if sk owned the identifier's listener and others
 * still use the identifier, one of them takes it over. */
void ping_unhash(struct sock *sk)
{
	struct ping_sock *ps = ping_sk(sk);
	struct sock *heir;

	if (!ping_hashed(sk))
		return;
	hlist_del_init(&sk->sk_node);
	if (ps->listening) {
		icmp_echo_listener_del(&ps->listener);
		ps->listening = false;
		heir = ping_find_ident(ping_table_of(sk), sk->sk_num, sk);
		if (heir)
			ping_listen(heir, heir->sk_num);
	}
	sk->sk_num = 0;
	inet_sk(sk)->inet_sport = 0;
	sock_put(sk);
}

/* ---- receive -------------------------------------------------------------- */

/* Linux's ping_lookup: the first socket on ident whose bound address and
 * device accept a packet to daddr arriving on dif. */
static struct sock *ping_lookup(struct net *net, u16 ident, u32 daddr, int dif)
{
	struct sock *sk;

	hlist_for_each_entry(sk, ping_hashslot(net->ipv4.ping_table, ident), sk_node) {
		if (sk->sk_num != ident)
			continue;
		if (sk->sk_rcv_saddr && sk->sk_rcv_saddr != daddr)
			continue;
		if (sk->sk_bound_dev_if && sk->sk_bound_dev_if != dif)
			continue;
		return sk;
	}
	return NULL;
}

static void ping_queue_rcv_skb(struct sock *sk, struct sk_buff *skb)
{
	if (sk->sk_rmem_alloc >= sk->sk_rcvbuf) {
		sk->sk_drops++;
		kfree_skb_reason(skb, SKB_DROP_REASON_SOCKET_RCVBUFF);
		return;
	}
	if (!(inet_sk(sk)->cmsg_flags & IP_CMSG_PKTINFO))
		skb_dst_drop(skb);
	skb->dev = NULL;
	sock_queue_rcv_skb(sk, skb);
}

/* An echo reply for an identifier of ours (skb lent, data at the payload):
 * a clone, with the ICMP header in front again, goes to the socket. */
static void ping_reply(struct icmp_echo_listener *l, struct sk_buff *skb,
		       const struct icmp_repr *icmp, u32 from)
{
	struct ipv4_repr iph;
	struct sk_buff *nskb;
	struct sock *sk;

	(void)icmp;
	(void)from;
	ip_hdr_repr(skb, &iph);
	sk = ping_lookup(l->net, l->id, iph.daddr, skb->skb_iif);
	if (!sk)
		return;
	nskb = skb_clone(skb);
	if (!nskb) {
		sk->sk_drops++;
		tn_count_drop(l->net, SKB_DROP_REASON_NOMEM);
		return;
	}
	skb_push(nskb, ICMP_HLEN);
	skb_reset_transport_header(nskb);
	ping_queue_rcv_skb(sk, nskb);
}

/* What an ICMP error means to a ping socket (Linux's ping_err). Source
 * quench and redirects are reported as EREMOTEIO: "not a real error but
 * ping wants to see it". */
static bool ping_icmp_errno(const struct sock *sk, u8 type, u8 code, int *err, bool *harderr)
{
	*harderr = false;
	switch (type) {
	case ICMP_SOURCE_QUENCH:
	case ICMP_REDIRECT:
		*err = EREMOTEIO;
		return true;
	default:
		return icmp_err_to_errno(sk, type, code, err, harderr);
	}
}

/* An ICMP error quoting one of our requests (skb->data at the quoted IP
 * header). */
static void ping_error(struct icmp_echo_listener *l, struct sk_buff *skb, u8 type, u8 code,
		       u32 from, u32 info)
{
	struct ipv4_repr iph, qiph;
	struct sock *sk;
	bool harderr;
	int err;

	(void)from;
	if (ip_hdr_repr(skb, &iph) != IPV4_PARSE_OK ||
	    ipv4_parse(skb->data, skb->len, &qiph) != IPV4_PARSE_OK)
		return;
	sk = ping_lookup(l->net, l->id, iph.daddr, skb->skb_iif);
	if (!sk)
		return;
	if (type == ICMP_DEST_UNREACH && code == ICMP_FRAG_NEEDED)
		sk_dst_reset(sk);
	if (!ping_icmp_errno(sk, type, code, &err, &harderr))
		return;
	if (!inet_sk(sk)->recverr) {
		if (!harderr || sk->sk_state != TCP_ESTABLISHED)
			return;
	} else {
		/* The error queue returns the quoted request from its ICMP
		 * header on, as Linux's ping_err passes it. */
		skb_pull(skb, qiph.ihl);
		ip_icmp_error(sk, skb, err, type, code, info, qiph.daddr, 0);
		skb_push(skb, qiph.ihl);
	}
	sk->sk_err = err;
	sk->sk_error_report(sk);
}

/* ---- socket calls ------------------------------------------------------------ */

/* net.ipv4.ping_group_range: the caller's effective or a supplementary
 * group must be in it (Linux's ping_init_sock). */
static int ping_init_sock(struct sock *sk)
{
	const int *range = sock_net(sk)->ipv4.sysctl_ping_group_range;
	gid_t groups[64];
	gid_t egid = getegid();
	int n;

	ping_sk(sk)->listening = false;
	if ((long)egid >= range[0] && (long)egid <= range[1])
		return 0;
	n = getgroups(ARRAY_SIZE(groups), groups);
	for (int i = 0; i < n; i++)
		if ((long)groups[i] >= range[0] && (long)groups[i] <= range[1])
			return 0;
	return -EACCES;
}

/* Linux's ping_check_bind_addr: ours, the wildcard, or (as Linux lets it)
 * a broadcast or multicast address; anything else needs
 * ip_nonlocal_bind or IP_FREEBIND. */
static int ping_check_bind_addr(struct sock *sk, const struct sockaddr_in *sin, int addr_len)
{
	struct net *net = sock_net(sk);
	u32 addr;
	unsigned int type;

	if (addr_len < (int)sizeof(*sin))
		return -EINVAL;
	addr = ntohl(sin->sin_addr.s_addr);
	if (sin->sin_family != AF_INET && !(sin->sin_family == AF_UNSPEC && !addr))
		return -EAFNOSUPPORT;
	type = inet_addr_type(net, addr);
	if (!addr || type == RTN_LOCAL || type == RTN_MULTICAST || type == RTN_BROADCAST ||
	    net->ipv4.sysctl_ip_nonlocal_bind || inet_sk(sk)->freebind)
		return 0;
	return -EADDRNOTAVAIL;
}

static int ping_bind(struct sock *sk, const struct sockaddr *uaddr, int addr_len)
{
	const struct sockaddr_in *sin = (const struct sockaddr_in *)uaddr;
	struct inet_sock *inet = inet_sk(sk);
	u32 addr;
	u16 ident;
	int err;

	err = ping_check_bind_addr(sk, sin, addr_len);
	if (err)
		return err;
	if (sk->sk_num)
		return -EINVAL;
	addr = ntohl(sin->sin_addr.s_addr);
	ident = ntohs(sin->sin_port);
	sk->sk_rcv_saddr = addr;
	inet->inet_saddr = ipv4_is_multicast(addr) || inet_addr_type(sock_net(sk), addr) ==
			   RTN_BROADCAST ? 0 : addr;
	if (ping_get_port(sk, ident)) {
		sk->sk_rcv_saddr = inet->inet_saddr = 0;
		return -EADDRINUSE;
	}
	if (addr)
		sk->sk_userlocks |= SOCK_BINDADDR_LOCK;
	if (ident)
		sk->sk_userlocks |= SOCK_BINDPORT_LOCK;
	sk->sk_daddr = 0;
	sk->sk_dport = 0;
	sk_dst_reset(sk);
	return 0;
}

static int ping_connect(struct sock *sk, const struct sockaddr *uaddr, int addr_len)
{
	return ip4_datagram_connect_rehash(sk, uaddr, addr_len, NULL);
}

/* The request's header as the user wrote it: only echo requests, code 0
 * (Linux's ping_v4_sendmsg via ping_common_sendmsg). */
static int ping_user_header(const struct msghdr *msg, struct icmp_repr *h)
{
	u8 raw[ICMP_HLEN];

	if (memcpy_from_msg(raw, msg, 0, ICMP_HLEN) != ICMP_HLEN)
		return -EFAULT;
	icmp_parse(raw, ICMP_HLEN, h);
	if (h->type != ICMP_ECHO || h->code != 0)
		return -EINVAL;
	return 0;
}

/* The request with our identifier and the checksum over the whole
 * message (Linux's ping_v4_push_pending_frames). */
static void ping_fill_header(struct sock *sk, struct sk_buff *skb, const struct icmp_repr *user)
{
	struct icmp_repr h = *user;

	h.un.echo.id = inet_sk(sk)->inet_sport;
	icmp_emit(&h, skb->data);
	put_be16(skb->data + 2, csum_fold(csum_partial(skb->data, skb->len, 0)));
	skb->ip_summed = CHECKSUM_NONE;
}

static int ping_dest(struct sock *sk, const struct msghdr *msg, u32 *daddr)
{
	u16 unused;

	if (msg->msg_name)
		return ip4_msg_name(msg, daddr, &unused);
	if (sk->sk_state != TCP_ESTABLISHED)
		return -EDESTADDRREQ;
	*daddr = sk->sk_daddr;
	return 0;
}

static int ping_sendmsg(struct sock *sk, const struct msghdr *msg, size_t len, int flags)
{
	struct net *net = sock_net(sk);
	struct icmp_repr user;
	struct ip_tx_params p;
	struct sk_buff *skb;
	struct rtable *rt;
	u32 daddr, saddr;
	int err;

	if (len > 0xffff || len + IPV4_MIN_HLEN > 0xffff)
		return -EMSGSIZE;
	if (len < ICMP_HLEN)
		return -EINVAL;
	if (flags & MSG_OOB)
		return -EOPNOTSUPP;
	err = ping_dest(sk, msg, &daddr);
	if (!err)
		err = ping_user_header(msg, &user);
	if (!err && !sk->sk_num)
		err = ping_get_port(sk, 0);
	if (!err)
		err = ip4_datagram_route(sk, IPPROTO_ICMP, daddr, 0, !msg->msg_name, false, &rt,
					 &saddr);
	if (err)
		return err;
	skb = sock_alloc_send_skb(sk, MAX_HEADER + (unsigned int)len, flags & MSG_DONTWAIT, &err);
	if (!skb) {
		ip_rt_put(rt);
		return err;
	}
	skb_reserve(skb, MAX_HEADER);
	if (memcpy_from_msg(skb_put(skb, (unsigned int)len), msg, 0, len) != (ssize_t)len) {
		kfree_skb(skb);
		ip_rt_put(rt);
		return -EFAULT;
	}
	ping_fill_header(sk, skb, &user);
	icmp_out_count(net, ICMP_ECHO);
	p = (struct ip_tx_params){
		.ttl = inet_sk(sk)->uc_ttl > 0 ? (u8)inet_sk(sk)->uc_ttl : 0,
		.tos = inet_sk(sk)->tos,
		.pmtudisc = inet_sk(sk)->pmtudisc,
		.priority = sk->sk_priority,
		.mark = sk->sk_mark,
		.oif = sk->sk_bound_dev_if,
	};
	err = ip_send_routed(net, sk, skb, rt, saddr, daddr, IPPROTO_ICMP, &p);
	if (err > 0)
		err = err == NET_XMIT_CN ? 0 : -ENOBUFS;
	if (err) {
		__ICMP_INC_STATS(net, ICMP_MIB_OUTERRORS);
		return err;
	}
	return (int)len;
}

static int ping_recvmsg(struct sock *sk, struct msghdr *msg, size_t len, int flags, int *addr_len)
{
	struct ipv4_repr iph;
	struct sk_buff *skb;
	size_t copied;
	int err;

	if (flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (flags & MSG_ERRQUEUE)
		return ip_recv_error(sk, msg, len);
	skb = skb_recv_datagram(sk, flags, &err);
	if (!skb)
		return err;
	copied = skb->len;
	if (copied > len) {
		msg->msg_flags |= MSG_TRUNC;
		copied = len;
	}
	err = skb_copy_datagram_msg(skb, 0, msg, (int)copied);
	if (!err) {
		ip_hdr_repr(skb, &iph);
		ip4_fill_msg_name(msg, iph.saddr, 0, addr_len);
		if (inet_sk(sk)->cmsg_flags)
			ip_cmsg_recv(msg, skb);
	}
	skb_free_datagram(sk, skb);
	return err ? err : (int)copied;
}

static int ping_setsockopt(struct sock *sk, int level, int optname, const void *optval,
			   socklen_t optlen)
{
	return ip_setsockopt(sk, level, optname, optval, optlen);
}

static int ping_getsockopt(struct sock *sk, int level, int optname, void *optval,
			   socklen_t *optlen)
{
	return ip_getsockopt(sk, level, optname, optval, optlen);
}

/* Replies nobody read are drops of the socket's namespace. */
static void ping_destroy(struct sock *sk)
{
	sk_drop_queues(sk);
	sk_dst_reset(sk);
}

static void ping_close(struct sock *sk, s64 timeout)
{
	(void)timeout;
	sk_common_release(sk);
}

struct proto ping_prot = {
	.name = "PING",
	.obj_size = sizeof(struct ping_sock),
	.init = ping_init_sock,
	.destroy = ping_destroy,
	.close = ping_close,
	.connect = ping_connect,
	.disconnect = udp_disconnect,
	.setsockopt = ping_setsockopt,
	.getsockopt = ping_getsockopt,
	.sendmsg = ping_sendmsg,
	.recvmsg = ping_recvmsg,
	.bind = ping_bind,
	.unhash = ping_unhash,
	.get_port = ping_get_port,
};

/* ---- net.ipv4.ping_group_range ------------------------------------------------ */

/* Two gids; a range whose ends are reversed means nobody, stored as
 * Linux stores it ("1 0"). */
static int ping_group_range_handler(const struct ctl_table *t, void *f, bool w, char *buf,
				    size_t len)
{
	int *range = f;
	long lo, hi;
	char *end, *p;

	(void)t;
	if (!w) {
		snprintf(buf, len, "%d\t%d", range[0], range[1]);
		return 0;
	}
	errno = 0;
	lo = strtol(buf, &end, 10);
	p = end;
	hi = strtol(p, &end, 10);
	if (errno || end == p || lo < 0 || hi < 0 || lo > INT_MAX || hi > INT_MAX)
		return -EINVAL;
	while (*end == ' ' || *end == '\t' || *end == '\n')
		end++;
	if (*end)
		return -EINVAL;
	if (hi < lo) {
		lo = 1;
		hi = 0;
	}
	range[0] = (int)lo;
	range[1] = (int)hi;
	return 0;
}

static const struct ctl_table ping_sysctl_table[] = {
	{ "ping_group_range", offsetof(struct net, ipv4.sysctl_ping_group_range),
	  ping_group_range_handler, 0, 0, 0644 },
};

/* ---- subsystem ---------------------------------------------------------------- */

static const struct inet_protosw ping_protosw = {
	.type = SOCK_DGRAM,
	.protocol = IPPROTO_ICMP,
	.prot = &ping_prot,
	.ops = &inet_sockraw_ops,
	.flags = INET_PROTOSW_REUSE,
};

static int ping_sock_init(struct tn_stack *st)
{
	return inet_register_protosw(st, &ping_protosw);
}

static void ping_sock_exit(struct tn_stack *st)
{
	inet_unregister_protosw(st, &ping_protosw);
}

static int ping_sock_net_init(struct net *net)
{
	struct ping_table *t = calloc(1, sizeof(*t));

	if (!t)
		return -ENOMEM;
	/* Linux's default is "1 0"; see docs/deviations.md. */
	net->ipv4.sysctl_ping_group_range[0] = 0;
	net->ipv4.sysctl_ping_group_range[1] = INT_MAX;
	t->sysctl = register_net_sysctl(net, "net/ipv4", ping_sysctl_table,
					ARRAY_SIZE(ping_sysctl_table), net);
	if (!t->sysctl) {
		free(t);
		return -ENOMEM;
	}
	net->ipv4.ping_table = t;
	return 0;
}

static void ping_sock_net_exit(struct net *net)
{
	struct ping_table *t = net->ipv4.ping_table;

	if (!t)
		return;
	unregister_net_sysctl_table(t->sysctl);
	free(t);
	net->ipv4.ping_table = NULL;
}

const struct tn_subsystem ping_sock_subsys = {
	.name = "ping_sock",
	.init = ping_sock_init,
	.exit = ping_sock_exit,
	.net_init = ping_sock_net_init,
	.net_exit = ping_sock_net_exit,
};
