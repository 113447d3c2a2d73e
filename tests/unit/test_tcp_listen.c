/*
 * Passive open (inet_connection_sock.c, tcp_minisocks.c, syncookies.c):
 * the SYN-ACK's bytes, the handshake into accept(), SYN cookies when the
 * SYN queue is full, accept queue overflow and its counters, SYN-ACK
 * retransmission timing in virtual time, backlog 0, a cookie meeting a
 * full accept queue, SO_LINGER 0 on an accepted socket, TCP_DEFER_ACCEPT —
 * byte-exact segments through
 * the test device, kernel-side sockets.
 */
#include <stdlib.h>

#include "tn_tcpconn.h"

#define PEER_ISN 0x11111111u
#define PEER_TSVAL 0x01020304u

static struct ip_world *world_new(void)
{
	struct ip_world *w = calloc(1, sizeof(*w));

	assert_non_null(w);
	ip_world_init(w, false);
	/* Start 10 s in: a timestamp taken at 0 reads as "none" (as on a
	 * Linux host in its first second). */
	tn_test_run(w->st, 10000);
	/* TSval without the per-destination offset: the TCP timestamp clock. */
	assert_int_equal(tsysctl(w->net, "net.ipv4.tcp_timestamps", "2"), 0);
	return w;
}

static void world_free(struct ip_world *w)
{
	ip_world_free(w);
	free(w);
}

static void send_syn(struct ip_world *w, u16 sport, u32 seq)
{
	u8 o[20];
	struct tseg s = tseg(sport, seq, 0, TCPHDR_SYN);

	syn_opts(o, PEER_TSVAL);
	s.opts = o;
	s.optlen = sizeof(o);
	inject_tcp(w, &s);
}

/* The ACK completing a handshake whose SYN-ACK was synack. */
static void send_ack_of(struct ip_world *w, const struct tout *synack, u32 peer_seq)
{
	u8 o[12];
	struct tseg s = tseg(synack->th.dest, peer_seq + 1, synack->th.seq + 1, TCPHDR_ACK);
	u32 tsval = get_be32(synack->tcp + 28);   /* TSval after mss, sackOK, kind, len */

	ts_opts(o, PEER_TSVAL + 1, tsval);
	s.opts = o;
	s.optlen = sizeof(o);
	s.window = 502;
	inject_tcp(w, &s);
}

/* Linux's SYN-ACK to a Linux SYN: DF, ID 0, window 65160 (rcvbuf 131072
 * halved, rounded to 1448-byte segments), mss 1460, sackOK, TS, nop, ws 7. */
static void test_listen_syn_gets_synack_exact(void **state)
{
	struct ip_world *w = world_new();
	struct socket *l = tlisten_on(w->net, SRV_PORT, 128);
	struct tout o;
	u8 want[60];
	u32 j;

	(void)state;
	tn_test_run(w->st, 5000);
	j = (u32)jiffies(w->st);
	send_syn(w, PEER_PORT, PEER_ISN);
	assert_true(pop_tcp(w, &o));
	assert_int_equal(syn_qlen(l), 1);
	tn_test_hex("45 00 00 3c 00 00 40 00 40 06 00 00 0a 00 00 01 0a 00 00 02"
		    "00 50 9c 40 00 00 00 00 11 11 11 12 a0 12 fe 88 00 00 00 00"
		    "02 04 05 b4 04 02 08 0a 00 00 00 00 01 02 03 04 01 03 03 07",
		    want, sizeof(want));
	put_be16(want + 10, ip_fast_csum(want, 5));
	put_be32(want + 24, o.th.seq);          /* our ISN: a keyed hash */
	put_be32(want + 48, j + TCP_TS_CLOCK_BASE); /* TSval clock */
	put_be16(want + 36, csum_tcpudp_magic(LOCAL_IP, PEER_IP, 40, IPPROTO_TCP,
					      csum_partial(want + 20, 40, 0)));
	assert_int_equal(o.ip_len, 60);
	assert_memory_equal(o.ip, want, 60);
	assert_false(pop_tcp(w, &o));
	sock_release(l);
	world_free(w);
}

static void test_listen_handshake_then_accept(void **state)
{
	struct ip_world *w = world_new();
	struct socket *l = tlisten_on(w->net, SRV_PORT, 128), *c;
	struct tout o;
	int err;

	(void)state;
	assert_null(taccept(l, &err));
	assert_int_equal(err, -EAGAIN);
	send_syn(w, PEER_PORT, PEER_ISN);
	assert_true(pop_tcp(w, &o));
	send_ack_of(w, &o, PEER_ISN);
	assert_false(pop_tcp(w, &o));           /* nothing to say to a good ACK */
	assert_int_equal(syn_qlen(l), 0);
	assert_int_equal(l->sk->sk_ack_backlog, 1);
	c = taccept(l, &err);
	assert_non_null(c);
	assert_int_equal(c->sk->sk_state, TCP_ESTABLISHED);
	assert_int_equal(c->sk->sk_daddr, PEER_IP);
	assert_int_equal(c->sk->sk_dport, PEER_PORT);
	assert_int_equal(tcp_sk(c->sk)->rx_opt.snd_wscale, 7);
	assert_int_equal(tcp_sk(c->sk)->rx_opt.mss_clamp, 1460);
	assert_int_equal(tcp_mib(w, TCP_MIB_PASSIVEOPENS), 1);
	assert_int_equal(l->sk->sk_ack_backlog, 0);
	sock_release(c);
	sock_release(l);
	world_free(w);
}

static void test_accept_on_unlistened_socket_einval(void **state)
{
	struct ip_world *w = world_new();
	struct socket *s = tsock_new(w->net);
	int err;

	(void)state;
	assert_null(taccept(s, &err));
	assert_int_equal(err, -EINVAL);
	sock_release(s);
	world_free(w);
}

/* Backlog 1: two requests fit (Linux: full past the backlog); the third
 * SYN finds the SYN queue full and gets a cookie; the ACK carrying it
 * back makes the connection with the options the TSval carried (wscale
 * 7, SACK). */
static void test_listen_syn_queue_full_sends_cookie(void **state)
{
	struct ip_world *w = world_new();
	struct socket *l = tlisten_on(w->net, SRV_PORT, 1), *c;
	struct tout o1, o2;
	int err;

	(void)state;
	tn_test_run(w->st, 100000);
	send_syn(w, PEER_PORT, PEER_ISN);
	assert_true(pop_tcp(w, &o1));
	send_syn(w, PEER_PORT + 2, PEER_ISN + 7000);
	assert_true(pop_tcp(w, &o1));
	assert_int_equal(syn_qlen(l), 2);
	assert_int_equal(ext_mib(w, LINUX_MIB_SYNCOOKIESSENT), 0);
	send_syn(w, PEER_PORT + 1, 0x22222222);
	assert_true(pop_tcp(w, &o2));
	assert_int_equal(o2.th.flags, TCPHDR_SYN | TCPHDR_ACK);
	assert_int_equal(o2.th.ack_seq, 0x22222223);
	assert_int_equal(ext_mib(w, LINUX_MIB_SYNCOOKIESSENT), 1);
	assert_int_equal(ext_mib(w, LINUX_MIB_TCPREQQFULLDOCOOKIES), 1);
	assert_int_equal(syn_qlen(l), 2);       /* the cookie holds no state */
	/* TSval's low 6 bits: wscale 7 | SACK (0x10); never ahead of now. */
	assert_int_equal(get_be32(o2.tcp + 28) & 0x3f, 0x17);
	assert_true(get_be32(o2.tcp + 28) <= tcp_ts_clock_ms(w->st));
	send_ack_of(w, &o2, 0x22222222);
	assert_int_equal(ext_mib(w, LINUX_MIB_SYNCOOKIESRECV), 1);
	assert_int_equal(ext_mib(w, LINUX_MIB_SYNCOOKIESFAILED), 0);
	assert_false(pop_tcp(w, &o2));
	c = taccept(l, &err);
	assert_non_null(c);
	assert_int_equal(c->sk->sk_state, TCP_ESTABLISHED);
	assert_int_equal(c->sk->sk_dport, PEER_PORT + 1);
	assert_int_equal(tcp_sk(c->sk)->rx_opt.snd_wscale, 7);
	assert_true(tcp_sk(c->sk)->rx_opt.sack_ok);
	assert_int_equal(tcp_sk(c->sk)->rx_opt.mss_clamp, 1460);
	sock_release(c);
	sock_release(l);
	world_free(w);
}

/* A forged cookie is counted and answered by the listener with a RST
 * (SEQ = SEG.ACK). */
static void test_listen_bad_cookie_ack_gets_rst(void **state)
{
	struct ip_world *w = world_new();
	struct socket *l = tlisten_on(w->net, SRV_PORT, 0);
	struct tout o1, o2, r;

	(void)state;
	send_syn(w, PEER_PORT, PEER_ISN);
	assert_true(pop_tcp(w, &o1));
	send_syn(w, PEER_PORT + 1, 0x22222222);
	assert_true(pop_tcp(w, &o2));
	assert_int_equal(ext_mib(w, LINUX_MIB_SYNCOOKIESSENT), 1);
	o2.th.seq += 12345;
	send_ack_of(w, &o2, 0x22222222);
	assert_int_equal(ext_mib(w, LINUX_MIB_SYNCOOKIESFAILED), 1);
	assert_true(pop_tcp(w, &r));
	assert_int_equal(r.th.flags, TCPHDR_RST);
	assert_int_equal(r.th.seq, o2.th.seq + 1);
	assert_int_equal(l->sk->sk_ack_backlog, 0);
	sock_release(l);
	world_free(w);
}

/* Backlog 1 allows two children (Linux: full when backlog > max); the
 * third SYN is dropped: ListenOverflows and ListenDrops. */
static void test_listen_accept_queue_full_drops_syn(void **state)
{
	struct ip_world *w = world_new();
	struct socket *l = tlisten_on(w->net, SRV_PORT, 1);
	struct tout o;

	(void)state;
	assert_int_equal(tsysctl(w->net, "net.ipv4.tcp_syncookies", "0"), 0);
	for (u16 i = 0; i < 2; i++) {
		send_syn(w, (u16)(PEER_PORT + i), PEER_ISN + i * 1000);
		assert_true(pop_tcp(w, &o));
		send_ack_of(w, &o, PEER_ISN + i * 1000);
	}
	assert_int_equal(l->sk->sk_ack_backlog, 2);
	send_syn(w, PEER_PORT + 2, PEER_ISN + 2000);
	assert_false(pop_tcp(w, &o));
	assert_int_equal(ext_mib(w, LINUX_MIB_LISTENOVERFLOWS), 1);
	assert_int_equal(ext_mib(w, LINUX_MIB_LISTENDROPS), 1);
	assert_int_equal(syn_qlen(l), 0);
	sock_release(l);
	world_free(w);
}

/* Backlog 0 still queues one child (sk_ack_backlog > sk_max_ack_backlog
 * is strict); the next SYN is dropped without a word, no RST, so the
 * peer's connect() stays in progress (tcp-connect-nonblocking). */
static void test_listen_backlog0_second_syn_dropped_silently(void **state)
{
	struct ip_world *w = world_new();
	struct socket *l = tlisten_on(w->net, SRV_PORT, 0);
	struct tout o;

	(void)state;
	send_syn(w, PEER_PORT, PEER_ISN);
	assert_true(pop_tcp(w, &o));
	send_ack_of(w, &o, PEER_ISN);
	assert_int_equal(l->sk->sk_ack_backlog, 1);
	send_syn(w, PEER_PORT + 1, PEER_ISN + 5000);
	assert_false(pop_tcp(w, &o));
	assert_int_equal(syn_qlen(l), 0);
	assert_int_equal(ext_mib(w, LINUX_MIB_LISTENOVERFLOWS), 1);
	assert_int_equal(ext_mib(w, LINUX_MIB_LISTENDROPS), 1);
	assert_int_equal(ext_mib(w, LINUX_MIB_SYNCOOKIESSENT), 0);
	assert_int_equal(tcp_mib(w, TCP_MIB_OUTRSTS), 0);
	/* The retransmitted SYN meets the same full queue. */
	tn_test_run(w->st, 1000);
	send_syn(w, PEER_PORT + 1, PEER_ISN + 5000);
	assert_false(pop_tcp(w, &o));
	assert_int_equal(ext_mib(w, LINUX_MIB_LISTENDROPS), 2);
	sock_release(l);
	assert_true(pop_tcp(w, &o));            /* the unaccepted child's RST */
	assert_int_equal(o.th.dest, PEER_PORT);
	world_free(w);
}

/* A valid cookie whose ACK finds the accept queue full: the child cannot
 * be queued, so the ACK is dropped silently (Linux's tcp_v4_syn_recv_sock
 * exit_overflow: ListenOverflows and ListenDrops; no RST, the peer's
 * data or retransmission tries again). */
static void test_listen_cookie_ack_with_full_accept_queue_dropped(void **state)
{
	struct ip_world *w = world_new();
	struct socket *l = tlisten_on(w->net, SRV_PORT, 0), *c;
	struct tout o1, o2;
	int err;

	(void)state;
	send_syn(w, PEER_PORT, PEER_ISN);
	assert_true(pop_tcp(w, &o1));
	send_syn(w, PEER_PORT + 1, 0x22222222);   /* SYN queue "full": a cookie */
	assert_true(pop_tcp(w, &o2));
	assert_int_equal(ext_mib(w, LINUX_MIB_SYNCOOKIESSENT), 1);
	send_ack_of(w, &o1, PEER_ISN);
	assert_int_equal(l->sk->sk_ack_backlog, 1);
	send_ack_of(w, &o2, 0x22222222);
	assert_false(pop_tcp(w, &o2));
	assert_int_equal(ext_mib(w, LINUX_MIB_SYNCOOKIESRECV), 1);
	assert_int_equal(ext_mib(w, LINUX_MIB_SYNCOOKIESFAILED), 0);
	assert_int_equal(ext_mib(w, LINUX_MIB_LISTENOVERFLOWS), 1);
	assert_int_equal(ext_mib(w, LINUX_MIB_LISTENDROPS), 1);
	assert_int_equal(tcp_mib(w, TCP_MIB_OUTRSTS), 0);
	assert_int_equal(l->sk->sk_ack_backlog, 1);
	/* Room again: the peer's next segment with the cookie (here the
	 * same ACK again) now makes the child. */
	c = taccept(l, &err);
	assert_non_null(c);
	send_ack_of(w, &o2, 0x22222222);
	assert_int_equal(l->sk->sk_ack_backlog, 1);
	assert_int_equal(ext_mib(w, LINUX_MIB_SYNCOOKIESRECV), 2);
	sock_release(c);
	assert_true(pop_tcp(w, &o1));            /* c closes: FIN */
	sock_release(l);
	while (pop_tcp(w, &o1))
		;
	world_free(w);
}

/* SO_LINGER {1, 0} on an accepted socket: close() aborts with
 * <SEQ=SND.NXT><CTL=RST,ACK> (Linux's tcp_disconnect via tcp_close),
 * exactly as on the connecting side. */
static void test_accepted_close_linger0_sends_rst(void **state)
{
	struct ip_world *w = world_new();
	struct socket *l = tlisten_on(w->net, SRV_PORT, 8), *c;
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	struct tout o, r;
	int err;

	(void)state;
	send_syn(w, PEER_PORT, PEER_ISN);
	assert_true(pop_tcp(w, &o));
	send_ack_of(w, &o, PEER_ISN);
	c = taccept(l, &err);
	assert_non_null(c);
	assert_int_equal(sock_setsockopt(c->sk, SO_LINGER, &lg, sizeof(lg)), 0);
	sock_release(c);
	assert_true(pop_tcp(w, &r));
	assert_int_equal(r.th.flags, TCPHDR_RST | TCPHDR_ACK);
	assert_int_equal(r.th.seq, o.th.seq + 1);
	assert_int_equal(r.th.ack_seq, PEER_ISN + 1);
	assert_int_equal(ext_mib(w, LINUX_MIB_TCPABORTONDATA), 1);
	assert_false(pop_tcp(w, &r));
	sock_release(l);
	world_free(w);
}

/* The peer's first data, with the ACK of synack and a timestamp. */
static void send_data_of(struct ip_world *w, const struct tout *synack, u32 peer_seq,
			 const char *data)
{
	u8 o[12];
	struct tseg s = tseg(synack->th.dest, peer_seq + 1, synack->th.seq + 1,
			     TCPHDR_ACK | TCPHDR_PSH);

	ts_opts(o, PEER_TSVAL + 2, get_be32(synack->tcp + 28));
	s.opts = o;
	s.optlen = sizeof(o);
	s.window = 502;
	s.data = (const u8 *)data;
	s.len = (u16)strlen(data);
	inject_tcp(w, &s);
}

/* TCP_DEFER_ACCEPT 5 s (3 SYN-ACK timeouts: 1 + 2 + 4 s): the bare ACK
 * is swallowed (TCPDeferAcceptDrop) and makes no child; the request,
 * acked, sends no SYN-ACK at 1 s and 3 s, one last one at 7 s; the first
 * data then makes the child, which accept() returns with the data. */
static void test_listen_defer_accept_waits_for_data(void **state)
{
	struct ip_world *w = world_new();
	struct socket *l = tlisten_on(w->net, SRV_PORT, 8), *c;
	struct tout o, r;
	int err;

	(void)state;
	assert_int_equal(tsetopt(l, IPPROTO_TCP, TCP_DEFER_ACCEPT, 5), 0);
	assert_int_equal(inet_csk(l->sk)->icsk_accept_queue.rskq_defer_accept, 3);
	send_syn(w, PEER_PORT, PEER_ISN);
	assert_true(pop_tcp(w, &o));
	send_ack_of(w, &o, PEER_ISN);
	assert_false(pop_tcp(w, &r));
	assert_int_equal(ext_mib(w, LINUX_MIB_TCPDEFERACCEPTDROP), 1);
	assert_int_equal(l->sk->sk_ack_backlog, 0);
	assert_int_equal(syn_qlen(l), 1);
	assert_null(taccept(l, &err));
	assert_int_equal(err, -EAGAIN);
	tn_test_run(w->st, 6999);
	assert_false(pop_tcp(w, &r));           /* no SYN-ACK at 1 s, 3 s */
	tn_test_run(w->st, 1);
	assert_true(pop_tcp(w, &r));            /* the last chance, at 7 s */
	assert_int_equal(r.th.flags, TCPHDR_SYN | TCPHDR_ACK);
	assert_int_equal(r.th.seq, o.th.seq);
	assert_int_equal(tcp_mib(w, TCP_MIB_RETRANSSEGS), 1);
	send_data_of(w, &o, PEER_ISN, "hello");
	assert_int_equal(l->sk->sk_ack_backlog, 1);
	assert_int_equal(syn_qlen(l), 0);
	c = taccept(l, &err);
	assert_non_null(c);
	assert_int_equal(c->sk->sk_state, TCP_ESTABLISHED);
	assert_int_equal(tcp_sk(c->sk)->rcv_nxt, PEER_ISN + 1 + 5);
	assert_false(skb_queue_empty(&c->sk->sk_receive_queue));
	assert_int_equal(ext_mib(w, LINUX_MIB_TCPDEFERACCEPTDROP), 1);
	sock_release(c);
	sock_release(l);
	while (pop_tcp(w, &r))
		;
	world_free(w);
}

/* With TCP_DEFER_ACCEPT, data in the handshake's ACK makes the child at
 * once; and once the defer period is over, a bare ACK is enough again
 * (Linux: req->num_timeout >= rskq_defer_accept). */
static void test_listen_defer_accept_data_or_period_over(void **state)
{
	struct ip_world *w = world_new();
	struct socket *l = tlisten_on(w->net, SRV_PORT, 8), *c;
	struct tout o, o2, r;
	int err;

	(void)state;
	assert_int_equal(tsetopt(l, IPPROTO_TCP, TCP_DEFER_ACCEPT, 1), 0);
	assert_int_equal(inet_csk(l->sk)->icsk_accept_queue.rskq_defer_accept, 1);
	send_syn(w, PEER_PORT, PEER_ISN);
	assert_true(pop_tcp(w, &o));
	send_data_of(w, &o, PEER_ISN, "GET /");
	c = taccept(l, &err);
	assert_non_null(c);
	assert_int_equal(tcp_sk(c->sk)->rcv_nxt, PEER_ISN + 1 + 5);
	sock_release(c);
	while (pop_tcp(w, &r))
		;
	send_syn(w, PEER_PORT + 1, PEER_ISN + 9000);
	assert_true(pop_tcp(w, &o2));
	send_ack_of(w, &o2, PEER_ISN + 9000);
	assert_int_equal(ext_mib(w, LINUX_MIB_TCPDEFERACCEPTDROP), 1);
	assert_int_equal(l->sk->sk_ack_backlog, 0);
	tn_test_run(w->st, 1000);               /* defer 1: the last chance at 1 s */
	assert_true(pop_tcp(w, &r));
	assert_int_equal(r.th.flags, TCPHDR_SYN | TCPHDR_ACK);
	send_ack_of(w, &o2, PEER_ISN + 9000);
	assert_int_equal(l->sk->sk_ack_backlog, 1);
	assert_int_equal(ext_mib(w, LINUX_MIB_TCPDEFERACCEPTDROP), 1);
	c = taccept(l, &err);
	assert_non_null(c);
	assert_int_equal(c->sk->sk_state, TCP_ESTABLISHED);
	sock_release(c);
	sock_release(l);
	while (pop_tcp(w, &r))
		;
	world_free(w);
}

/* The handshake's ACK meets a full accept queue: ignored (no RST, the
 * request stays, acked), counted; once accept() makes room the peer's
 * retransmitted ACK completes it. */
static void test_syn_recv_ack_with_full_accept_queue_ignored(void **state)
{
	struct ip_world *w = world_new();
	struct socket *l = tlisten_on(w->net, SRV_PORT, 2), *c;
	struct tout o[4];
	int err;

	(void)state;
	assert_int_equal(tsysctl(w->net, "net.ipv4.tcp_syncookies", "0"), 0);
	for (u16 i = 0; i < 2; i++) {
		send_syn(w, (u16)(PEER_PORT + i), PEER_ISN + i * 1000);
		assert_true(pop_tcp(w, &o[i]));
	}
	for (u16 i = 0; i < 2; i++)
		send_ack_of(w, &o[i], PEER_ISN + i * 1000);
	for (u16 i = 2; i < 4; i++) {
		send_syn(w, (u16)(PEER_PORT + i), PEER_ISN + i * 1000);
		assert_true(pop_tcp(w, &o[i]));
	}
	send_ack_of(w, &o[2], PEER_ISN + 2000);
	assert_int_equal(l->sk->sk_ack_backlog, 3);
	send_ack_of(w, &o[3], PEER_ISN + 3000);
	assert_false(pop_tcp(w, &o[0]));
	assert_int_equal(l->sk->sk_ack_backlog, 3);
	assert_int_equal(syn_qlen(l), 1);
	assert_int_equal(ext_mib(w, LINUX_MIB_LISTENOVERFLOWS), 1);
	assert_int_equal(ext_mib(w, LINUX_MIB_LISTENDROPS), 1);
	assert_int_equal(w->net->core.drops[SKB_DROP_REASON_TCP_LISTEN_OVERFLOW], 1);
	c = taccept(l, &err);
	assert_non_null(c);
	send_ack_of(w, &o[3], PEER_ISN + 3000);
	assert_int_equal(l->sk->sk_ack_backlog, 3);
	assert_int_equal(syn_qlen(l), 0);
	sock_release(c);
	sock_release(l);
	world_free(w);
}

/* Unanswered SYN-ACKs: resent after 1, 3, 7, 15 and 31 s (1 s doubling,
 * tcp_synack_retries 5), the request dropped at 63 s. */
static void test_syn_recv_synack_retransmits_then_expires(void **state)
{
	static const u32 when[] = { 1000, 3000, 7000, 15000, 31000 };
	struct ip_world *w = world_new();
	struct socket *l = tlisten_on(w->net, SRV_PORT, 128);
	u64 t0;
	struct tout o, first;

	(void)state;
	send_syn(w, PEER_PORT, PEER_ISN);
	t0 = jiffies(w->st);
	assert_true(pop_tcp(w, &first));
	for (unsigned int i = 0; i < ARRAY_SIZE(when); i++) {
		tn_test_run(w->st, t0 + when[i] - 1 - jiffies(w->st));
		assert_false(pop_tcp(w, &o));
		tn_test_run(w->st, 1);
		assert_true(pop_tcp(w, &o));
		assert_int_equal(o.th.flags, TCPHDR_SYN | TCPHDR_ACK);
		assert_int_equal(o.th.seq, first.th.seq);
		assert_int_equal(syn_qlen(l), 1);
	}
	tn_test_run(w->st, t0 + 63000 - 1 - jiffies(w->st));
	assert_int_equal(syn_qlen(l), 1);
	tn_test_run(w->st, 1);
	assert_int_equal(syn_qlen(l), 0);
	assert_false(pop_tcp(w, &o));
	assert_int_equal(tcp_mib(w, TCP_MIB_RETRANSSEGS), 5);
	assert_int_equal(ext_mib(w, LINUX_MIB_TCPSYNRETRANS), 5);
	assert_int_equal(ext_mib(w, LINUX_MIB_TCPTIMEOUTS), 6);
	sock_release(l);
	world_free(w);
}

/* A retransmitted SYN gets the same SYN-ACK again at once. */
static void test_syn_recv_dup_syn_resends_synack(void **state)
{
	struct ip_world *w = world_new();
	struct socket *l = tlisten_on(w->net, SRV_PORT, 128);
	struct tout a, b;

	(void)state;
	send_syn(w, PEER_PORT, PEER_ISN);
	assert_true(pop_tcp(w, &a));
	send_syn(w, PEER_PORT, PEER_ISN);
	assert_true(pop_tcp(w, &b));
	assert_int_equal(b.th.seq, a.th.seq);
	assert_int_equal(b.th.ack_seq, PEER_ISN + 1);
	assert_int_equal(syn_qlen(l), 1);
	assert_int_equal(ext_mib(w, LINUX_MIB_TCPSYNRETRANS), 1);
	sock_release(l);
	world_free(w);
}

/* listen() on a port another socket listens on: EADDRINUSE, even with
 * SO_REUSEADDR on both. */
static void test_listen_second_listener_same_port_eaddrinuse(void **state)
{
	struct ip_world *w = world_new();
	struct socket *a = tsock_new(w->net), *b = tsock_new(w->net);

	(void)state;
	assert_int_equal(tsetopt(a, SOL_SOCKET, SO_REUSEADDR, 1), 0);
	assert_int_equal(tsetopt(b, SOL_SOCKET, SO_REUSEADDR, 1), 0);
	assert_int_equal(tbind(a, 0, SRV_PORT), 0);
	assert_int_equal(tbind(b, 0, SRV_PORT), 0);
	assert_int_equal(a->ops->listen(a, 10), 0);
	assert_int_equal(b->ops->listen(b, 10), -EADDRINUSE);
	assert_int_equal(b->sk->sk_state, TCP_CLOSE);
	sock_release(a);
	sock_release(b);
	world_free(w);
}

/* Closing a listener resets the children nobody accepted (Linux's
 * inet_child_forget) and frees its pending requests. */
static void test_listen_close_resets_unaccepted_child(void **state)
{
	struct ip_world *w = world_new();
	struct socket *l = tlisten_on(w->net, SRV_PORT, 8);
	struct tout o, r;

	(void)state;
	send_syn(w, PEER_PORT, PEER_ISN);
	assert_true(pop_tcp(w, &o));
	send_ack_of(w, &o, PEER_ISN);
	send_syn(w, PEER_PORT + 1, PEER_ISN + 5000);
	assert_true(pop_tcp(w, &r));
	assert_int_equal(l->sk->sk_ack_backlog, 1);
	assert_int_equal(syn_qlen(l), 1);
	sock_release(l);
	assert_true(pop_tcp(w, &r));
	assert_int_equal(r.th.flags & TCPHDR_RST, TCPHDR_RST);
	assert_int_equal(r.th.dest, PEER_PORT);
	assert_int_equal(r.th.seq, o.th.seq + 1);
	/* The request left behind dies at its next SYN-ACK timeout. */
	tn_test_run(w->st, 1000);
	assert_false(pop_tcp(w, &r));
	world_free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_listen_syn_gets_synack_exact),
		cmocka_unit_test(test_listen_handshake_then_accept),
		cmocka_unit_test(test_accept_on_unlistened_socket_einval),
		cmocka_unit_test(test_listen_syn_queue_full_sends_cookie),
		cmocka_unit_test(test_listen_bad_cookie_ack_gets_rst),
		cmocka_unit_test(test_listen_accept_queue_full_drops_syn),
		cmocka_unit_test(test_listen_backlog0_second_syn_dropped_silently),
		cmocka_unit_test(test_listen_cookie_ack_with_full_accept_queue_dropped),
		cmocka_unit_test(test_accepted_close_linger0_sends_rst),
		cmocka_unit_test(test_listen_defer_accept_waits_for_data),
		cmocka_unit_test(test_listen_defer_accept_data_or_period_over),
		cmocka_unit_test(test_syn_recv_ack_with_full_accept_queue_ignored),
		cmocka_unit_test(test_syn_recv_synack_retransmits_then_expires),
		cmocka_unit_test(test_syn_recv_dup_syn_resends_synack),
		cmocka_unit_test(test_listen_second_listener_same_port_eaddrinuse),
		cmocka_unit_test(test_listen_close_resets_unaccepted_child),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
