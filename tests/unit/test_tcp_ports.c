/*
 * TCP ports (inet_hashtables.c): bind()'s conflict rules (SO_REUSEADDR,
 * SO_REUSEPORT, wildcard against specific addresses), bind(0), and the
 * ephemeral ports of connect(): inside ip_local_port_range, unique per
 * 4-tuple, shared across destinations, EADDRNOTAVAIL when exhausted, free
 * again when a TIME_WAIT ends, and taken over from a TIME_WAIT under
 * tcp_tw_reuse (1: any, 2: loopback only).
 */
#include <stdlib.h>

#include "tn_tcpconn.h"

static struct ip_world *world_new(void)
{
	struct ip_world *w = calloc(1, sizeof(*w));

	assert_non_null(w);
	ip_world_init(w, false);
	/* Start 10 s in: a timestamp taken at 0 reads as "none" (as on a
	 * Linux host in its first second). */
	tn_test_run(w->st, 10000);
	return w;
}

static void world_free(struct ip_world *w)
{
	ip_world_free(w);
	free(w);
}

static u16 local_port(struct socket *s) { return s->sk->sk_num; }

/* ---- bind ------------------------------------------------------------------------ */

static void test_bind_same_port_conflicts(void **state)
{
	struct ip_world *w = world_new();
	struct socket *a = tsock_new(w->net), *b = tsock_new(w->net), *c = tsock_new(w->net);

	(void)state;
	assert_int_equal(tbind(a, LOCAL_IP, 5000), 0);
	assert_int_equal(tbind(b, 0, 5000), -EADDRINUSE);         /* wildcard overlaps */
	assert_int_equal(tbind(b, LOCAL_IP, 5000), -EADDRINUSE);
	assert_int_equal(tbind(c, 0, 5001), 0);
	assert_int_equal(tbind(b, LOCAL_IP, 5001), -EADDRINUSE);  /* specific under wildcard */
	sock_release(a);
	assert_int_equal(tbind(b, LOCAL_IP, 5000), 0);            /* free after close */
	sock_release(b);
	sock_release(c);
	world_free(w);
}

/* SO_REUSEADDR on both: shared while neither listens; a listener's port
 * is not shared. */
static void test_bind_reuseaddr_until_listen(void **state)
{
	struct ip_world *w = world_new();
	struct socket *a = tsock_new(w->net), *b = tsock_new(w->net), *c = tsock_new(w->net);

	(void)state;
	assert_int_equal(tsetopt(a, SOL_SOCKET, SO_REUSEADDR, 1), 0);
	assert_int_equal(tsetopt(b, SOL_SOCKET, SO_REUSEADDR, 1), 0);
	assert_int_equal(tsetopt(c, SOL_SOCKET, SO_REUSEADDR, 1), 0);
	assert_int_equal(tbind(a, 0, 6000), 0);
	assert_int_equal(tbind(b, 0, 6000), 0);
	assert_int_equal(a->ops->listen(a, 5), 0);
	assert_int_equal(tbind(c, 0, 6000), -EADDRINUSE);
	sock_release(a);
	sock_release(b);
	sock_release(c);
	world_free(w);
}

/* SO_REUSEPORT on both: a group; both listen, and SYNs spread over them
 * by the flow hash. */
static void test_bind_reuseport_group_listens(void **state)
{
	struct ip_world *w = world_new();
	struct socket *a = tsock_new(w->net), *b = tsock_new(w->net), *c = tsock_new(w->net);
	struct sock *seen[2] = { NULL, NULL };

	(void)state;
	assert_int_equal(tsetopt(a, SOL_SOCKET, SO_REUSEPORT, 1), 0);
	assert_int_equal(tsetopt(b, SOL_SOCKET, SO_REUSEPORT, 1), 0);
	assert_int_equal(tbind(a, 0, 7000), 0);
	assert_int_equal(tbind(b, 0, 7000), 0);
	assert_int_equal(tbind(c, 0, 7000), -EADDRINUSE);         /* not in the group */
	assert_int_equal(a->ops->listen(a, 5), 0);
	assert_int_equal(b->ops->listen(b, 5), 0);
	for (u16 p = 1000; p < 1064; p++) {
		struct sock *sk = __inet_lookup_listener(w->net, PEER_IP, p, LOCAL_IP, 7000,
							 w->eth0->ifindex);

		assert_true(sk == a->sk || sk == b->sk);
		seen[sk == b->sk] = sk;
	}
	assert_non_null(seen[0]);
	assert_non_null(seen[1]);
	sock_release(a);
	sock_release(b);
	sock_release(c);
	world_free(w);
}

/* An exact local address beats the wildcard; a listener bound to the
 * arrival device beats an unbound one. */
static void test_listener_lookup_prefers_exact_address(void **state)
{
	struct ip_world *w = world_new();
	struct socket *any = tsock_new(w->net), *exact = tsock_new(w->net);

	(void)state;
	assert_int_equal(tsetopt(any, SOL_SOCKET, SO_REUSEADDR, 1), 0);
	assert_int_equal(tbind(any, 0, 8000), 0);
	assert_int_equal(any->ops->listen(any, 5), 0);
	assert_int_equal(tbind(exact, LOCAL_IP, 8000), -EADDRINUSE);
	sock_release(any);
	any = tsock_new(w->net);
	assert_int_equal(tbind(exact, LOCAL_IP, 8000), 0);
	assert_int_equal(exact->ops->listen(exact, 5), 0);
	assert_int_equal(tbind(any, 0, 8001), 0);
	assert_int_equal(any->ops->listen(any, 5), 0);
	assert_ptr_equal(__inet_lookup_listener(w->net, PEER_IP, 1, LOCAL_IP, 8000,
						w->eth0->ifindex), exact->sk);
	assert_ptr_equal(__inet_lookup_listener(w->net, PEER_IP, 1, LOCAL_IP, 8001,
						w->eth0->ifindex), any->sk);
	assert_null(__inet_lookup_listener(w->net, PEER_IP, 1, LOCAL_IP, 8002,
					   w->eth0->ifindex));
	sock_release(any);
	sock_release(exact);
	world_free(w);
}

/* bind(0): an odd port of ip_local_port_range (connect() takes the even
 * ones first), different each time. */
static void test_bind_zero_picks_odd_port_in_range(void **state)
{
	struct ip_world *w = world_new();
	struct socket *s[8];

	(void)state;
	for (int i = 0; i < 8; i++) {
		s[i] = tsock_new(w->net);
		assert_int_equal(tbind(s[i], 0, 0), 0);
		assert_true(local_port(s[i]) >= 32768 && local_port(s[i]) <= 60999);
		assert_int_equal(local_port(s[i]) & 1, 1);
		for (int j = 0; j < i; j++)
			assert_int_not_equal(local_port(s[i]), local_port(s[j]));
	}
	for (int i = 0; i < 8; i++)
		sock_release(s[i]);
	world_free(w);
}

/* bind(0) with two free ports: both taken, then EADDRINUSE. */
static void test_bind_zero_exhausted_eaddrinuse(void **state)
{
	struct ip_world *w = world_new();
	struct socket *a = tsock_new(w->net), *b = tsock_new(w->net), *c = tsock_new(w->net);

	(void)state;
	assert_int_equal(tsysctl(w->net, "net.ipv4.ip_local_port_range", "50000 50001"), 0);
	assert_int_equal(tbind(a, 0, 0), 0);
	assert_int_equal(tbind(b, 0, 0), 0);
	assert_int_not_equal(local_port(a), local_port(b));
	assert_int_equal(tbind(c, 0, 0), -EADDRINUSE);
	sock_release(a);
	sock_release(b);
	sock_release(c);
	world_free(w);
}

/* ---- connect ---------------------------------------------------------------------- */

/* Four ports, four connections to one destination: each port once;
 * the fifth finds none; another destination may reuse them all. */
static void test_connect_ephemeral_unique_then_exhausted(void **state)
{
	struct ip_world *w = world_new();
	struct socket *s[6];

	(void)state;
	assert_int_equal(tsysctl(w->net, "net.ipv4.ip_local_port_range", "40000 40003"), 0);
	for (int i = 0; i < 4; i++) {
		s[i] = tsock_new(w->net);
		assert_int_equal(tconnect(s[i], PEER_IP, 80), -EINPROGRESS);
		assert_int_equal(s[i]->sk->sk_state, TCP_SYN_SENT);
		assert_true(local_port(s[i]) >= 40000 && local_port(s[i]) <= 40003);
		for (int j = 0; j < i; j++)
			assert_int_not_equal(local_port(s[i]), local_port(s[j]));
	}
	s[4] = tsock_new(w->net);
	assert_int_equal(tconnect(s[4], PEER_IP, 80), -EADDRNOTAVAIL);
	assert_int_equal(s[4]->sk->sk_state, TCP_CLOSE);
	s[5] = tsock_new(w->net);
	assert_int_equal(tconnect(s[5], PEER_IP, 81), -EINPROGRESS);
	/* A port bound by bind() is never shared with connect(). */
	sock_release(s[0]);
	{
		struct socket *b = tsock_new(w->net);
		struct socket *d = tsock_new(w->net);
		u16 freed;

		assert_int_equal(tbind(b, 0, 0), 0);
		freed = local_port(b);
		assert_true(freed >= 40000 && freed <= 40003);
		assert_int_equal(tconnect(d, PEER_IP, 82), -EINPROGRESS);
		assert_int_not_equal(local_port(d), freed);
		sock_release(b);
		sock_release(d);
	}
	for (int i = 1; i < 6; i++)
		sock_release(s[i]);
	world_free(w);
}

/* The established table doubles as it fills (4096 buckets to start) and
 * every socket stays reachable by its 4-tuple across the resizes; closing
 * them all empties it. 100 destinations x 100 connections each. */
static void test_connect_many_ehash_grows(void **state)
{
	enum { N = 10000 };
	struct ip_world *w = world_new();
	struct inet_hashinfo *h = w->net->ipv4.tcp->hashinfo;
	struct socket **s = calloc(N, sizeof(*s));

	(void)state;
	assert_non_null(s);
	assert_int_equal(h->ehash_mask + 1, INET_EHASH_MIN);
	for (int i = 0; i < N; i++) {
		s[i] = tsock_new(w->net);
		assert_int_equal(tconnect(s[i], PEER_IP, (u16)(1000 + i % 100)), -EINPROGRESS);
	}
	assert_int_equal(h->ehash_count, N);
	assert_true(h->ehash_mask + 1 >= N);
	for (int i = 0; i < N; i++) {
		struct sock *sk = s[i]->sk;

		assert_ptr_equal(__inet_lookup_established(w->net, sk->sk_daddr, sk->sk_dport,
							   sk->sk_rcv_saddr, sk->sk_num, 0),
				 &sk->__sk_common);
	}
	for (int i = 0; i < N; i++)
		sock_release(s[i]);
	assert_int_equal(h->ehash_count, 0);
	free(s);
	world_free(w);
}

/* Make s (connecting) a TIME_WAIT holding its 4-tuple, with timestamps
 * seen (tcp_tw_reuse needs them). */
static void to_time_wait(struct ip_world *w, struct socket *s)
{
	tcp_sk(s->sk)->rx_opt.ts_recent_stamp = jiffies(w->st);
	tcp_sk(s->sk)->rx_opt.ts_recent = 12345;
	tcp_time_wait(s->sk, TCP_TIME_WAIT, 0);
	assert_int_equal(w->net->ipv4.tcp->tw_count, 1);
}

/* One port, held by a TIME_WAIT towards the same destination: not
 * reusable over a device (tcp_tw_reuse 2), free once TIME_WAIT ends. */
static void test_connect_port_free_after_time_wait(void **state)
{
	struct ip_world *w = world_new();
	struct socket *a = tsock_new(w->net), *b = tsock_new(w->net);

	(void)state;
	assert_int_equal(tsysctl(w->net, "net.ipv4.ip_local_port_range", "40000 40000"), 0);
	assert_int_equal(tconnect(a, PEER_IP, 80), -EINPROGRESS);
	to_time_wait(w, a);
	tn_test_run(w->st, 5000);
	assert_int_equal(tconnect(b, PEER_IP, 80), -EADDRNOTAVAIL);
	tn_test_run(w->st, TCP_TIMEWAIT_LEN);
	assert_int_equal(w->net->ipv4.tcp->tw_count, 0);
	assert_int_equal(tconnect(b, PEER_IP, 80), -EINPROGRESS);
	assert_int_equal(local_port(b), 40000);
	sock_release(a);
	sock_release(b);
	world_free(w);
}

/* tcp_tw_reuse 1: the TIME_WAIT's 4-tuple is taken over once its last
 * timestamp is more than a second old; the new ISN lies beyond the old
 * sequence space. */
static void test_connect_tw_reuse_after_one_second(void **state)
{
	struct ip_world *w = world_new();
	struct socket *a = tsock_new(w->net), *b = tsock_new(w->net);
	u32 snd_nxt;

	(void)state;
	assert_int_equal(tsysctl(w->net, "net.ipv4.ip_local_port_range", "40000 40000"), 0);
	assert_int_equal(tsysctl(w->net, "net.ipv4.tcp_tw_reuse", "1"), 0);
	tn_test_run(w->st, 1500);
	assert_int_equal(tconnect(a, PEER_IP, 80), -EINPROGRESS);
	snd_nxt = tcp_sk(a->sk)->snd_nxt;
	to_time_wait(w, a);
	assert_int_equal(tconnect(b, PEER_IP, 80), -EADDRNOTAVAIL);    /* same second */
	tn_test_run(w->st, 1000);
	assert_int_equal(tconnect(b, PEER_IP, 80), -EINPROGRESS);
	assert_int_equal(ext_mib(w, LINUX_MIB_TIMEWAITRECYCLED), 1);
	assert_int_equal(w->net->ipv4.tcp->tw_count, 0);
	assert_int_equal(tcp_sk(b->sk)->rx_opt.ts_recent, 12345);
	assert_true(after(tcp_sk(b->sk)->snd_una, snd_nxt + 65535));
	sock_release(a);
	sock_release(b);
	world_free(w);
}

/* tcp_tw_reuse 2 (the default): over loopback only. */
static void test_connect_tw_reuse_loopback_only(void **state)
{
	struct ip_world *w = world_new();
	struct socket *a = tsock_new(w->net), *b = tsock_new(w->net);

	(void)state;
	assert_int_equal(dev_open(w->net->loopback_dev), 0);
	/* The RST our SYN gets from nobody must not kill the TIME_WAIT. */
	assert_int_equal(tsysctl(w->net, "net.ipv4.tcp_rfc1337", "1"), 0);
	assert_int_equal(tsysctl(w->net, "net.ipv4.ip_local_port_range", "40000 40000"), 0);
	assert_int_equal(tconnect(a, 0x7f000001, 80), -EINPROGRESS);
	to_time_wait(w, a);
	tn_test_run(w->st, 2000);
	assert_int_equal(w->net->ipv4.tcp->tw_count, 1);
	assert_int_equal(tconnect(b, 0x7f000001, 80), -EINPROGRESS);
	assert_int_equal(ext_mib(w, LINUX_MIB_TIMEWAITRECYCLED), 1);
	sock_release(a);
	sock_release(b);
	tn_test_run(w->st, 0);
	world_free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bind_same_port_conflicts),
		cmocka_unit_test(test_bind_reuseaddr_until_listen),
		cmocka_unit_test(test_bind_reuseport_group_listens),
		cmocka_unit_test(test_listener_lookup_prefers_exact_address),
		cmocka_unit_test(test_bind_zero_picks_odd_port_in_range),
		cmocka_unit_test(test_bind_zero_exhausted_eaddrinuse),
		cmocka_unit_test(test_connect_ephemeral_unique_then_exhausted),
		cmocka_unit_test(test_connect_many_ehash_grows),
		cmocka_unit_test(test_connect_port_free_after_time_wait),
		cmocka_unit_test(test_connect_tw_reuse_after_one_second),
		cmocka_unit_test(test_connect_tw_reuse_loopback_only),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
