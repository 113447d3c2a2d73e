/*
 * UDP (net/ipv4/udp.c): bind rules, ephemeral ports, receive checks and
 * counters, connect filtering, errors, send, SO_REUSEPORT — through the
 * test device with byte-exact datagrams, on kernel-side sockets.
 */
#include <stdlib.h>
#include <time.h>
#include <sys/ioctl.h>
#include <linux/errqueue.h>
#include <linux/sockios.h>

#include "tn_udp.h"

static const char hello[] = "hello, udp";

static struct ip_world *world_new(void)
{
	struct ip_world *w = calloc(1, sizeof(*w));

	assert_non_null(w);
	ip_world_init(w, false);
	return w;
}

static void world_free(struct ip_world *w)
{
	ip_world_free(w);
	free(w);
}

/* ---- bind ------------------------------------------------------------------ */

static void test_bound_port_then_bind_same_conflicts(void **state)
{
	struct ip_world *w = world_new();
	struct socket *a = usock_new(w->net, IPPROTO_UDP), *b = usock_new(w->net, IPPROTO_UDP);
	struct socket *c = usock_new(w->net, IPPROTO_UDP), *d = usock_new(w->net, IPPROTO_UDP);

	(void)state;
	assert_int_equal(ubind(a, LOCAL_IP, 5000), 0);
	/* wildcard vs specific, specific vs the same specific: conflict */
	assert_int_equal(ubind(b, 0, 5000), -EADDRINUSE);
	assert_int_equal(ubind(c, LOCAL_IP, 5000), -EADDRINUSE);
	/* another address of ours on the same port is fine */
	assert_int_equal(inet_addr_add(w->eth0, LOCAL_IP + 2, 24, inet_default_broadcast(LOCAL_IP, 24),
				       RT_SCOPE_UNIVERSE, NULL), 0);
	assert_int_equal(ubind(d, LOCAL_IP + 2, 5000), 0);
	/* a socket that is bound cannot bind again */
	assert_int_equal(ubind(a, LOCAL_IP, 5001), -EINVAL);
	sock_release(a);
	/* closing frees the port */
	assert_int_equal(ubind(c, LOCAL_IP, 5000), 0);
	sock_release(b);
	sock_release(c);
	sock_release(d);
	world_free(w);
}

static void test_reuseaddr_all_set_then_share(void **state)
{
	struct ip_world *w = world_new();
	struct socket *a = usock_new(w->net, IPPROTO_UDP), *b = usock_new(w->net, IPPROTO_UDP);
	struct socket *c = usock_new(w->net, IPPROTO_UDP);

	(void)state;
	assert_int_equal(usetopt(a, SOL_SOCKET, SO_REUSEADDR, 1), 0);
	assert_int_equal(usetopt(b, SOL_SOCKET, SO_REUSEADDR, 1), 0);
	assert_int_equal(ubind(a, 0, 6000), 0);
	assert_int_equal(ubind(b, LOCAL_IP, 6000), 0);
	/* c did not set SO_REUSEADDR: refused, whatever the others did */
	assert_int_equal(ubind(c, 0, 6000), -EADDRINUSE);
	sock_release(a);
	sock_release(b);
	sock_release(c);
	world_free(w);
}

static void test_reuseport_then_share_only_with_reuseport(void **state)
{
	struct ip_world *w = world_new();
	struct socket *a = usock_new(w->net, IPPROTO_UDP), *b = usock_new(w->net, IPPROTO_UDP);
	struct socket *c = usock_new(w->net, IPPROTO_UDP);

	(void)state;
	assert_int_equal(usetopt(a, SOL_SOCKET, SO_REUSEPORT, 1), 0);
	assert_int_equal(usetopt(b, SOL_SOCKET, SO_REUSEPORT, 1), 0);
	assert_int_equal(ubind(a, 0, 7000), 0);
	assert_int_equal(ubind(b, 0, 7000), 0);
	assert_int_equal(ubind(c, 0, 7000), -EADDRINUSE);
	sock_release(a);
	sock_release(b);
	sock_release(c);
	world_free(w);
}

static u16 sock_port(struct socket *s)
{
	return s->sk->sk_num;
}

static void test_small_range_then_autobind_within_and_exhaust(void **state)
{
	struct ip_world *w = world_new();
	struct socket *s[5];
	bool seen[4] = { false };

	(void)state;
	w->net->ipv4.sysctl_ip_local_port_range[0] = 40000;
	w->net->ipv4.sysctl_ip_local_port_range[1] = 40003;
	for (int i = 0; i < 5; i++)
		s[i] = usock_new(w->net, IPPROTO_UDP);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(ubind(s[i], 0, 0), 0);
		u16 p = sock_port(s[i]);
		assert_true(p >= 40000 && p <= 40003);
		assert_false(seen[p - 40000]);
		seen[p - 40000] = true;
	}
	/* Linux's UDP autobind reports a full range as EAGAIN. */
	assert_int_equal(ubind(s[4], 0, 0), -EADDRINUSE);
	assert_int_equal(usendto(s[4], hello, 5, PEER_IP, 9, 0), -EAGAIN);
	for (int i = 0; i < 5; i++)
		sock_release(s[i]);
	world_free(w);
}

/* ---- receive --------------------------------------------------------------- */

static void test_bound_then_datagram_received_with_address(void **state)
{
	struct ip_world *w = world_new();
	struct socket *s = usock_new(w->net, IPPROTO_UDP);
	struct sockaddr_in from;
	char buf[64];
	int flags, inq = -1;

	(void)state;
	assert_int_equal(ubind(s, 0, 9000), 0);
	inject_udp(w, PEER_IP, 1234, LOCAL_IP, 9000, hello, sizeof(hello), -1);
	assert_int_equal(s->sk->sk_prot->ioctl(s->sk, SIOCINQ, &inq), 0);
	assert_int_equal(inq, sizeof(hello));
	/* MSG_PEEK leaves it; a short buffer truncates; MSG_TRUNC gives the
	 * real length. */
	assert_int_equal(urecvfrom(s, buf, 5, MSG_PEEK, &from, &flags), 5);
	assert_true(flags & MSG_TRUNC);
	assert_int_equal(udp_mib(w, UDP_MIB_INDATAGRAMS), 0);
	assert_int_equal(urecvfrom(s, buf, 5, MSG_TRUNC, &from, &flags), sizeof(hello));
	assert_memory_equal(buf, hello, 5);
	assert_int_equal(ntohl(from.sin_addr.s_addr), PEER_IP);
	assert_int_equal(ntohs(from.sin_port), 1234);
	assert_int_equal(udp_mib(w, UDP_MIB_INDATAGRAMS), 1);
	assert_int_equal(urecvfrom(s, buf, sizeof(buf), 0, NULL, NULL), -EAGAIN);
	sock_release(s);
	world_free(w);
}

static void test_checksums_then_zero_good_accepted_bad_counted(void **state)
{
	struct ip_world *w = world_new();
	struct socket *s = usock_new(w->net, IPPROTO_UDP);
	char buf[64];

	(void)state;
	assert_int_equal(ubind(s, 0, 9000), 0);
	inject_udp(w, PEER_IP, 1, LOCAL_IP, 9000, hello, sizeof(hello), 0);       /* none */
	inject_udp(w, PEER_IP, 2, LOCAL_IP, 9000, hello, sizeof(hello), -1);      /* good */
	inject_udp(w, PEER_IP, 3, LOCAL_IP, 9000, hello, sizeof(hello), 0x1234);  /* bad */
	assert_int_equal(urecvfrom(s, buf, sizeof(buf), 0, NULL, NULL), sizeof(hello));
	assert_int_equal(urecvfrom(s, buf, sizeof(buf), 0, NULL, NULL), sizeof(hello));
	assert_int_equal(urecvfrom(s, buf, sizeof(buf), 0, NULL, NULL), -EAGAIN);
	assert_int_equal(udp_mib(w, UDP_MIB_CSUMERRORS), 1);
	assert_int_equal(udp_mib(w, UDP_MIB_INERRORS), 1);
	assert_int_equal(drops(w, SKB_DROP_REASON_UDP_CSUM), 1);
	sock_release(s);
	world_free(w);
}

static void test_short_length_field_then_dropped(void **state)
{
	struct ip_world *w = world_new();
	u8 ip[256];
	size_t len = build_udp(ip, PEER_IP, 1, LOCAL_IP, 9000, hello, sizeof(hello), 0);

	(void)state;
	put_be16(ip + IPV4_MIN_HLEN + 4, 200);   /* longer than the datagram */
	inject_ip(w, w->eth0, ip, len, false);
	assert_int_equal(udp_mib(w, UDP_MIB_INERRORS), 1);
	assert_int_equal(drops(w, SKB_DROP_REASON_PKT_TOO_SMALL), 1);
	world_free(w);
}

static void test_no_socket_then_port_unreachable(void **state)
{
	struct ip_world *w = world_new();
	struct sk_buff *skb;
	struct icmp_repr ic;

	(void)state;
	inject_udp(w, PEER_IP, 1234, LOCAL_IP, 9999, hello, sizeof(hello), -1);
	assert_int_equal(udp_mib(w, UDP_MIB_NOPORTS), 1);
	assert_int_equal(udp_mib(w, UDP_MIB_INERRORS), 0);
	assert_int_equal(testdev_tx_count(w->eth0), 1);
	skb = testdev_pop_tx(w->eth0);
	assert_int_equal(skb->data[ETH_HLEN + 9], IPPROTO_ICMP);
	icmp_parse(skb->data + ETH_HLEN + IPV4_MIN_HLEN, ICMP_HLEN, &ic);
	assert_int_equal(ic.type, ICMP_DEST_UNREACH);
	assert_int_equal(ic.code, ICMP_PORT_UNREACH);
	/* the quoted UDP header: our port 9999 as destination */
	assert_int_equal(get_be16(skb->data + ETH_HLEN + IPV4_MIN_HLEN + ICMP_HLEN +
				  IPV4_MIN_HLEN + 2), 9999);
	kfree_skb(skb);
	world_free(w);
}

static void test_broadcast_no_socket_then_ignored_without_icmp(void **state)
{
	struct ip_world *w = world_new();
	struct socket *s = usock_new(w->net, IPPROTO_UDP);
	char buf[64];

	(void)state;
	inject_udp(w, PEER_IP, 1234, 0x0a0000ff, 9999, hello, sizeof(hello), -1);
	assert_int_equal(udp_mib(w, UDP_MIB_IGNOREDMULTI), 1);
	assert_int_equal(udp_mib(w, UDP_MIB_NOPORTS), 0);
	assert_int_equal(testdev_tx_count(w->eth0), 0);
	/* a wildcard socket on the port hears broadcasts */
	assert_int_equal(ubind(s, 0, 9999), 0);
	inject_udp(w, PEER_IP, 1234, 0x0a0000ff, 9999, hello, sizeof(hello), -1);
	assert_int_equal(urecvfrom(s, buf, sizeof(buf), 0, NULL, NULL), sizeof(hello));
	sock_release(s);
	world_free(w);
}

static void test_small_rcvbuf_then_overflow_counted(void **state)
{
	struct ip_world *w = world_new();
	struct socket *s = usock_new(w->net, IPPROTO_UDP);
	char buf[64];
	int got = 0;

	(void)state;
	assert_int_equal(ubind(s, 0, 9000), 0);
	s->sk->sk_rcvbuf = 2048;   /* below what SO_RCVBUF may set: a few skbs */
	for (int i = 0; i < 20; i++)
		inject_udp(w, PEER_IP, 1, LOCAL_IP, 9000, hello, sizeof(hello), -1);
	while (urecvfrom(s, buf, sizeof(buf), 0, NULL, NULL) > 0)
		got++;
	assert_true(got > 0 && got < 20);
	assert_int_equal(udp_mib(w, UDP_MIB_RCVBUFERRORS), (u64)(20 - got));
	assert_int_equal(udp_mib(w, UDP_MIB_INERRORS), (u64)(20 - got));
	assert_int_equal(drops(w, SKB_DROP_REASON_SOCKET_RCVBUFF), (u64)(20 - got));
	sock_release(s);
	world_free(w);
}

/* ---- connect ---------------------------------------------------------------- */

static void test_connected_then_only_peer_heard_until_unspec(void **state)
{
	struct ip_world *w = world_new();
	struct socket *s = usock_new(w->net, IPPROTO_UDP);
	struct sockaddr unspec = { .sa_family = AF_UNSPEC };
	char buf[64];
	u16 port;

	(void)state;
	assert_int_equal(uconnect(s, PEER_IP, 53), 0);
	port = sock_port(s);
	assert_true(port != 0);
	assert_int_equal(s->sk->sk_rcv_saddr, LOCAL_IP);   /* chosen by the route */
	inject_udp(w, PEER_IP, 54, LOCAL_IP, port, hello, sizeof(hello), -1);  /* wrong port */
	inject_udp(w, PEER_IP, 53, LOCAL_IP, port, hello, 3, -1);
	assert_int_equal(urecvfrom(s, buf, sizeof(buf), 0, NULL, NULL), 3);
	assert_int_equal(urecvfrom(s, buf, sizeof(buf), 0, NULL, NULL), -EAGAIN);
	assert_int_equal(udp_mib(w, UDP_MIB_NOPORTS), 1);
	/* AF_UNSPEC dissolves the association and the autobound port */
	assert_int_equal(s->ops->connect(s, &unspec, sizeof(unspec), 0), 0);
	assert_int_equal(sock_port(s), 0);
	assert_int_equal(usendto(s, hello, 3, 0, 0, 0), -EDESTADDRREQ);
	sock_release(s);
	world_free(w);
}

/* ---- send ------------------------------------------------------------------- */

static void test_sendto_then_frame_byte_exact(void **state)
{
	struct ip_world *w = world_new();
	struct socket *s = usock_new(w->net, IPPROTO_UDP);
	u8 want[256];
	size_t len;
	struct sk_buff *skb;

	(void)state;
	assert_int_equal(ubind(s, 0, 4444), 0);
	assert_int_equal(usendto(s, hello, sizeof(hello), PEER_IP, 5555, 0), sizeof(hello));
	tn_test_run(w->st, 0);
	assert_int_equal(testdev_tx_count(w->eth0), 1);
	skb = testdev_pop_tx(w->eth0);
	len = build_udp(want, LOCAL_IP, 4444, PEER_IP, 5555, hello, sizeof(hello), -1);
	/* UDP header and payload exactly; the IP header's own fields are
	 * ip_output's business. */
	assert_int_equal(skb->len, ETH_HLEN + len);
	assert_memory_equal(skb->data + ETH_HLEN + IPV4_MIN_HLEN, want + IPV4_MIN_HLEN,
			    len - IPV4_MIN_HLEN);
	assert_int_equal(udp_mib(w, UDP_MIB_OUTDATAGRAMS), 1);
	kfree_skb(skb);
	sock_release(s);
	world_free(w);
}

static void test_send_errors_then_linux_errno(void **state)
{
	struct ip_world *w = world_new();
	struct socket *s = usock_new(w->net, IPPROTO_UDP);
	static char big[65536];
	struct sockaddr_in6 six = { .sin6_family = AF_INET6 };
	struct iovec iov = { .iov_base = big, .iov_len = 4 };
	struct msghdr msg = { .msg_name = &six, .msg_namelen = sizeof(six), .msg_iov = &iov,
			      .msg_iovlen = 1 };

	(void)state;
	assert_int_equal(usendto(s, hello, 3, 0, 0, 0), -EDESTADDRREQ);
	assert_int_equal(usendto(s, big, 65508, PEER_IP, 9, 0), -EMSGSIZE);
	assert_int_equal(usendto(s, hello, 3, 0x0b000001, 9, 0), -ENETUNREACH);
	assert_int_equal(usendto(s, hello, 3, PEER_IP, 0, 0), -EINVAL);
	assert_int_equal(s->ops->sendmsg(s, &msg, 4, 0), -EAFNOSUPPORT);
	msg.msg_namelen = 4;
	assert_int_equal(s->ops->sendmsg(s, &msg, 4, 0), -EINVAL);
	/* broadcast needs SO_BROADCAST */
	assert_int_equal(usendto(s, hello, 3, 0x0a0000ff, 9, 0), -EACCES);
	/* 255.255.255.255 has no route here (no default route, no oif):
	 * ENETUNREACH first, as on Linux. */
	assert_int_equal(usendto(s, hello, 3, 0xffffffff, 9, 0), -ENETUNREACH);
	assert_int_equal(usetopt(s, SOL_SOCKET, SO_BROADCAST, 1), 0);
	assert_int_equal(usendto(s, hello, 3, 0x0a0000ff, 9, 0), 3);
	/* the largest datagram IPv4 carries goes (fragmented) */
	assert_int_equal(usendto(s, big, 65507, PEER_IP, 9, 0), 65507);
	tn_test_run(w->st, 0);
	testdev_clear_tx(w->eth0);
	sock_release(s);
	world_free(w);
}

/* ---- errors ----------------------------------------------------------------- */

/* The peer answers the last frame we sent with ICMP port unreachable. */
static void peer_port_unreachable(struct ip_world *w)
{
	struct sk_buff *sent = testdev_pop_tx(w->eth0);
	u8 icmp[ICMP_HLEN + IPV4_MIN_HLEN + 8 + 3];   /* quotes all of a 3-byte datagram */
	struct icmp_repr ic = { .type = ICMP_DEST_UNREACH, .code = ICMP_PORT_UNREACH };
	struct ip_pkt p = {
		.saddr = PEER_IP, .daddr = LOCAL_IP, .ttl = 64, .protocol = IPPROTO_ICMP,
		.payload = icmp, .paylen = sizeof(icmp),
	};

	assert_non_null(sent);
	icmp_emit(&ic, icmp);
	memcpy(icmp + ICMP_HLEN, sent->data + ETH_HLEN, IPV4_MIN_HLEN + 8 + 3);
	put_be16(icmp + 2, csum_fold(csum_partial(icmp, sizeof(icmp), 0)));
	kfree_skb(sent);
	inject_pkt(w, w->eth0, &p);
}

static void test_connected_port_unreachable_then_econnrefused(void **state)
{
	struct ip_world *w = world_new();
	struct socket *c = usock_new(w->net, IPPROTO_UDP), *u = usock_new(w->net, IPPROTO_UDP);
	char buf[16];

	(void)state;
	assert_int_equal(uconnect(c, PEER_IP, 7), 0);
	assert_int_equal(usendto(c, hello, 3, 0, 0, 0), 3);
	tn_test_run(w->st, 0);
	peer_port_unreachable(w);
	assert_int_equal(urecvfrom(c, buf, sizeof(buf), 0, NULL, NULL), -ECONNREFUSED);
	assert_int_equal(urecvfrom(c, buf, sizeof(buf), 0, NULL, NULL), -EAGAIN);
	/* an unconnected socket is not told */
	assert_int_equal(usendto(u, hello, 3, PEER_IP, 7, 0), 3);
	tn_test_run(w->st, 0);
	peer_port_unreachable(w);
	assert_int_equal(urecvfrom(u, buf, sizeof(buf), 0, NULL, NULL), -EAGAIN);
	assert_int_equal(u->sk->sk_err, 0);
	sock_release(c);
	sock_release(u);
	world_free(w);
}

static void test_recverr_unconnected_then_error_queue(void **state)
{
	struct ip_world *w = world_new();
	struct socket *u = usock_new(w->net, IPPROTO_UDP);
	char buf[16], cbuf[256];
	struct sockaddr_in from;
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr msg = { .msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &iov,
			      .msg_iovlen = 1, .msg_control = cbuf,
			      .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm;
	struct sock_extended_err ee;

	(void)state;
	assert_int_equal(usetopt(u, IPPROTO_IP, IP_RECVERR, 1), 0);
	assert_int_equal(usendto(u, hello, 3, PEER_IP, 7, 0), 3);
	tn_test_run(w->st, 0);
	peer_port_unreachable(w);
	/* sk_err is set too: the next call reports it once */
	assert_int_equal(urecvfrom(u, buf, sizeof(buf), 0, NULL, NULL), -ECONNREFUSED);
	assert_int_equal(u->ops->recvmsg(u, &msg, sizeof(buf), MSG_ERRQUEUE | MSG_DONTWAIT), 3);
	assert_memory_equal(buf, hello, 3);        /* what followed our UDP header */
	assert_int_equal(ntohl(from.sin_addr.s_addr), PEER_IP);
	assert_int_equal(ntohs(from.sin_port), 7);
	/* put_cmsg advanced msg_control; the socket layer would restore it */
	cm = (struct cmsghdr *)cbuf;
	assert_true((char *)msg.msg_control > cbuf);
	assert_int_equal(cm->cmsg_level, SOL_IP);
	assert_int_equal(cm->cmsg_type, IP_RECVERR);
	memcpy(&ee, CMSG_DATA(cm), sizeof(ee));
	assert_int_equal(ee.ee_errno, ECONNREFUSED);
	assert_int_equal(ee.ee_origin, SO_EE_ORIGIN_ICMP);
	assert_int_equal(ee.ee_type, ICMP_DEST_UNREACH);
	assert_int_equal(ee.ee_code, ICMP_PORT_UNREACH);
	sock_release(u);
	world_free(w);
}

/* ---- SO_REUSEPORT ------------------------------------------------------------ */

static void reuseport_counts(unsigned int counts[4])
{
	struct ip_world *w = world_new();
	struct socket *s[4];
	char buf[64];

	for (int i = 0; i < 4; i++) {
		s[i] = usock_new(w->net, IPPROTO_UDP);
		assert_int_equal(usetopt(s[i], SOL_SOCKET, SO_REUSEPORT, 1), 0);
		assert_int_equal(ubind(s[i], 0, 8000), 0);
	}
	for (u16 sport = 1000; sport < 1200; sport++)
		inject_udp(w, PEER_IP, sport, LOCAL_IP, 8000, hello, 4, -1);
	for (int i = 0; i < 4; i++) {
		counts[i] = 0;
		while (urecvfrom(s[i], buf, sizeof(buf), 0, NULL, NULL) == 4)
			counts[i]++;
		sock_release(s[i]);
	}
	world_free(w);
}

static void test_reuseport_group_then_every_member_receives_deterministically(void **state)
{
	unsigned int a[4], b[4], total = 0;

	(void)state;
	reuseport_counts(a);
	reuseport_counts(b);
	for (int i = 0; i < 4; i++) {
		assert_true(a[i] > 0);
		assert_int_equal(a[i], b[i]);   /* same seed, same choice */
		total += a[i];
	}
	assert_int_equal(total, 200);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bound_port_then_bind_same_conflicts),
		cmocka_unit_test(test_reuseaddr_all_set_then_share),
		cmocka_unit_test(test_reuseport_then_share_only_with_reuseport),
		cmocka_unit_test(test_small_range_then_autobind_within_and_exhaust),
		cmocka_unit_test(test_bound_then_datagram_received_with_address),
		cmocka_unit_test(test_checksums_then_zero_good_accepted_bad_counted),
		cmocka_unit_test(test_short_length_field_then_dropped),
		cmocka_unit_test(test_no_socket_then_port_unreachable),
		cmocka_unit_test(test_broadcast_no_socket_then_ignored_without_icmp),
		cmocka_unit_test(test_small_rcvbuf_then_overflow_counted),
		cmocka_unit_test(test_connected_then_only_peer_heard_until_unspec),
		cmocka_unit_test(test_sendto_then_frame_byte_exact),
		cmocka_unit_test(test_send_errors_then_linux_errno),
		cmocka_unit_test(test_connected_port_unreachable_then_econnrefused),
		cmocka_unit_test(test_recverr_unconnected_then_error_queue),
		cmocka_unit_test(test_reuseport_group_then_every_member_receives_deterministically),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
