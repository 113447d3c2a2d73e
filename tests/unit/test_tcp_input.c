/*
 * tcp_input.c, state x event: one client socket (10.0.0.1 -> 10.0.0.2:80)
 * driven by byte-exact segments from the peer, checking exactly what it
 * sends back and the counters Linux would bump.
 */
#include "tn_tcpconn.h"

#define P_ISN 0x10000000u

struct cli {
	struct ip_world w;
	struct socket *sock;
	struct sock *sk;
	u32 iss;       /* our ISN */
	u32 ts0;       /* our TSval in the SYN */
	u16 port;      /* our port */
	bool ts;       /* timestamps negotiated */
};

static struct tseg from_peer(struct cli *c, u8 flags, u32 seq, u32 ack)
{
	struct tseg s = tseg(SRV_PORT, seq, ack, flags);

	s.dport = c->port;
	return s;
}

/* CLOSED -> SYN_SENT: the SYN is on the wire. */
static void cli_connect(struct cli *c)
{
	struct tout o;

	memset(c, 0, sizeof(*c));
	ip_world_init(&c->w, false);
	c->sock = tsock_new(c->w.net);
	c->sk = c->sock->sk;
	tconnect(c->sock, PEER_IP, SRV_PORT);
	tn_test_run(c->w.st, 0);
	assert_true(pop_tcp(&c->w, &o));
	assert_int_equal(o.th.flags, TCPHDR_SYN);
	c->iss = o.th.seq;
	c->port = o.th.source;
	c->ts0 = get_be32(o.tcp + 20 + 8);      /* mss, sackOK, TS val */
	assert_int_equal(c->sk->sk_state, TCP_SYN_SENT);
}

/* SYN-ACK (mss 1460, sackOK, TS, nop, ws 7, or mss only): ESTABLISHED,
 * our ACK checked. */
static void cli_establish(struct cli *c, bool opts)
{
	u8 o[20];
	struct tseg s;
	struct tout out;

	cli_connect(c);
	s = from_peer(c, TCPHDR_SYN | TCPHDR_ACK, P_ISN, c->iss + 1);
	syn_opts(o, 5000);
	put_be32(o + 12, c->ts0);
	s.opts = o;
	s.optlen = opts ? 20 : 4;
	inject_tcp(&c->w, &s);
	assert_int_equal(c->sk->sk_state, TCP_ESTABLISHED);
	assert_true(pop_tcp(&c->w, &out));
	assert_int_equal(out.th.flags, TCPHDR_ACK);
	assert_int_equal(out.th.seq, c->iss + 1);
	assert_int_equal(out.th.ack_seq, P_ISN + 1);
	c->ts = opts;
	assert_int_equal(tcp_sk(c->sk)->rx_opt.tstamp_ok, opts);
	assert_int_equal(tcp_sk(c->sk)->rx_opt.sack_ok, opts);
	assert_int_equal(tcp_sk(c->sk)->rx_opt.snd_wscale, opts ? 7 : 0);
}

static void cli_close(struct cli *c)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };

	if (c->sock) {
		sock_setsockopt(c->sk, SO_LINGER, &lg, sizeof(lg));
		sock_release(c->sock);
	}
	tn_test_run(c->w.st, 0);
	testdev_clear_tx(c->w.eth0);
	ip_world_free(&c->w);
}

/* Peer data with timestamps (when negotiated), window 512 << 7. */
static void peer_data(struct cli *c, u8 flags, u32 seq, u32 ack, const u8 *data, u16 len,
		      u32 tsval)
{
	u8 o[12];
	struct tseg s = from_peer(c, flags, seq, ack);

	s.window = c->ts ? 512 : 64240;
	if (c->ts) {
		ts_opts(o, tsval, tcp_sk(c->sk)->rx_opt.ts_recent ? 0 : 0);
		s.opts = o;
		s.optlen = 12;
	}
	s.data = data;
	s.len = len;
	inject_tcp(&c->w, &s);
}

static const u8 payload[1000];

/* RFC 9293 3.10.7.3: SYN-SENT, an ACK for something we never sent (no
 * RST): answer <SEQ=SEG.ACK><CTL=RST>, stay in SYN-SENT. */
static void syn_sent_rst_bad_ack(void **state)
{
	struct cli c;
	struct tout o;
	struct tseg s;
	(void)state;

	cli_connect(&c);
	s = from_peer(&c, TCPHDR_ACK, 777, c.iss + 1000);
	inject_tcp(&c.w, &s);
	assert_true(pop_tcp(&c.w, &o));
	assert_int_equal(o.th.flags, TCPHDR_RST);
	assert_int_equal(o.th.seq, c.iss + 1000);
	assert_int_equal(c.sk->sk_state, TCP_SYN_SENT);
	assert_false(pop_tcp(&c.w, &o));
	cli_close(&c);
}

/* RFC 9293 3.10.7.3: RST with an acceptable ACK: refused. */
static void syn_sent_rst_ack_refused(void **state)
{
	struct cli c;
	struct tout o;
	struct tseg s;
	(void)state;

	cli_connect(&c);
	s = from_peer(&c, TCPHDR_RST | TCPHDR_ACK, 0, c.iss + 1);
	inject_tcp(&c.w, &s);
	assert_false(pop_tcp(&c.w, &o));
	assert_int_equal(c.sk->sk_state, TCP_CLOSE);
	assert_int_equal(c.sk->sk_err, ECONNREFUSED);
	cli_close(&c);
}

/* RFC 2018 / RFC 5681 4.2: a segment past a hole is queued and ACKed at
 * once, with one SACK block for it. */
static void established_ooo_segment_sends_sack(void **state)
{
	struct cli c;
	struct tout o;
	(void)state;

	cli_establish(&c, true);
	peer_data(&c, TCPHDR_ACK, P_ISN + 1 + 1000, c.iss + 1, payload, 1000, 6000);
	assert_true(pop_tcp(&c.w, &o));
	assert_int_equal(o.th.flags, TCPHDR_ACK);
	assert_int_equal(o.th.ack_seq, P_ISN + 1);
	/* nop nop TS(10) nop nop SACK(10) */
	assert_int_equal(o.th.doff, 20 + 12 + 12);
	assert_int_equal(o.tcp[34], 5);
	assert_int_equal(o.tcp[35], 10);
	assert_int_equal(get_be32(o.tcp + 36), P_ISN + 1001);
	assert_int_equal(get_be32(o.tcp + 40), P_ISN + 2001);
	assert_int_equal(ext_mib(&c.w, LINUX_MIB_TCPOFOQUEUE), 1);
	assert_int_equal(skb_queue_len(&tcp_sk(c.sk)->out_of_order_queue), 1);
	/* The hole filled: both delivered, ACK at once, no SACK left. */
	peer_data(&c, TCPHDR_ACK, P_ISN + 1, c.iss + 1, payload, 1000, 6001);
	assert_true(pop_tcp(&c.w, &o));
	assert_int_equal(o.th.ack_seq, P_ISN + 2001);
	assert_int_equal(o.th.doff, 32);
	assert_int_equal(tcp_sk(c.sk)->rcv_nxt, P_ISN + 2001);
	cli_close(&c);
}

/* RFC 5961 3.2: a RST inside the window but not at RCV.NXT: challenge ACK. */
static void established_rst_in_window_challenge_ack(void **state)
{
	struct cli c;
	struct tout o;
	struct tseg s;
	(void)state;

	cli_establish(&c, false);
	s = from_peer(&c, TCPHDR_RST, P_ISN + 1 + 100, 0);
	inject_tcp(&c.w, &s);
	assert_true(pop_tcp(&c.w, &o));
	assert_int_equal(o.th.flags, TCPHDR_ACK);
	assert_int_equal(o.th.seq, c.iss + 1);
	assert_int_equal(o.th.ack_seq, P_ISN + 1);
	assert_int_equal(c.sk->sk_state, TCP_ESTABLISHED);
	assert_int_equal(ext_mib(&c.w, LINUX_MIB_TCPCHALLENGEACK), 1);
	/* The exact one resets. */
	s = from_peer(&c, TCPHDR_RST, P_ISN + 1, 0);
	inject_tcp(&c.w, &s);
	assert_false(pop_tcp(&c.w, &o));
	assert_int_equal(c.sk->sk_state, TCP_CLOSE);
	assert_int_equal(c.sk->sk_err, ECONNRESET);
	cli_close(&c);
}

/* RFC 7323 5.3: TSval older than ts_recent: dropped, dupack, PAWSEstab. */
static void established_paws_reject(void **state)
{
	struct cli c;
	struct tout o;
	(void)state;

	cli_establish(&c, true);
	assert_int_equal(tcp_sk(c.sk)->rx_opt.ts_recent, 5000);
	peer_data(&c, TCPHDR_ACK, P_ISN + 1, c.iss + 1, payload, 100, 4000);
	assert_true(pop_tcp(&c.w, &o));
	assert_int_equal(o.th.flags, TCPHDR_ACK);
	assert_int_equal(o.th.ack_seq, P_ISN + 1);
	assert_int_equal(ext_mib(&c.w, LINUX_MIB_PAWSESTABREJECTED), 1);
	assert_int_equal(tcp_sk(c.sk)->rcv_nxt, P_ISN + 1);
	assert_int_equal(c.w.net->core.drops[SKB_DROP_REASON_TCP_RFC7323_PAWS], 1);
	cli_close(&c);
}

/* A closed receive window: in-order data is dropped (TCPZeroWindowDrop)
 * and an ACK goes back at once. */
static void established_zero_window_drop(void **state)
{
	struct cli c;
	struct tout o;
	struct tcp_sock *tp;
	(void)state;

	cli_establish(&c, false);
	tp = tcp_sk(c.sk);
	tp->rcv_wup = tp->rcv_nxt;
	tp->rcv_wnd = 0;
	peer_data(&c, TCPHDR_ACK, P_ISN + 1, c.iss + 1, payload, 100, 0);
	assert_true(pop_tcp(&c.w, &o));
	assert_int_equal(o.th.ack_seq, P_ISN + 1);
	assert_int_equal(ext_mib(&c.w, LINUX_MIB_TCPZEROWINDOWDROP), 1);
	assert_int_equal(c.w.net->core.drops[SKB_DROP_REASON_TCP_ZEROWINDOW], 1);
	assert_int_equal(skb_queue_len(&c.sk->sk_receive_queue), 0);
	cli_close(&c);
}

/* CLOSE_WAIT: the peer's FIN again (our ACK was lost): ACK it again. */
static void close_wait_fin_retransmitted_reack(void **state)
{
	struct cli c;
	struct tout o;
	(void)state;

	cli_establish(&c, false);
	peer_data(&c, TCPHDR_FIN | TCPHDR_ACK, P_ISN + 1, c.iss + 1, NULL, 0, 0);
	/* No data yet, so ato is still 0 (Linux sets it on the first data,
	 * tcp_event_data_recv): the delayed ACK is due at this very tick, as
	 * Linux's selftest tcp_close_close-remote-fin-then-close.pkt shows. */
	assert_true(pop_tcp(&c.w, &o));
	assert_int_equal(ext_mib(&c.w, LINUX_MIB_DELAYEDACKS), 1);
	assert_int_equal(o.th.ack_seq, P_ISN + 2);
	assert_int_equal(c.sk->sk_state, TCP_CLOSE_WAIT);
	peer_data(&c, TCPHDR_FIN | TCPHDR_ACK, P_ISN + 1, c.iss + 1, NULL, 0, 0);
	assert_true(pop_tcp(&c.w, &o));
	assert_int_equal(o.th.flags, TCPHDR_ACK);
	assert_int_equal(o.th.ack_seq, P_ISN + 2);
	assert_int_equal(c.sk->sk_state, TCP_CLOSE_WAIT);
	assert_int_equal(ext_mib(&c.w, LINUX_MIB_DELAYEDACKLOST), 1);
	cli_close(&c);
}

/* Karn + RFC 6298: the SYN-ACK times the SYN, the RTO follows. */
static void syn_sent_synack_rtt_sample(void **state)
{
	struct cli c;
	struct tcp_sock *tp;
	(void)state;

	cli_connect(&c);
	tn_test_run(c.w.st, 0);
	{
		u8 o[20];
		struct tseg s = from_peer(&c, TCPHDR_SYN | TCPHDR_ACK, P_ISN, c.iss + 1);
		struct tout out;

		tn_stack_run_until_locked(c.w.st, tn_now(c.w.st) + 50 * 1000000ull);
		syn_opts(o, 5000);
		put_be32(o + 12, c.ts0);
		s.opts = o;
		s.optlen = 20;
		inject_tcp(&c.w, &s);
		assert_true(pop_tcp(&c.w, &out));
	}
	tp = tcp_sk(c.sk);
	assert_int_equal(tp->srtt_us >> 3, 50000);
	/* RTO = SRTT + max(G, 4 RTTVAR) with Linux's 200 ms floor on rttvar. */
	assert_int_equal(inet_csk(c.sk)->icsk_rto, 250);
	cli_close(&c);
}


/*
 * The inputs of __tcp_select_window after the handshake, as Linux 6.18
 * has them (read with TCP_INFO and TCP_WINDOW_CLAMP from a real
 * connection over veth, default sysctls, tcp_rmem[1] 131072):
 *   with timestamps    advmss 1448, rcv_mss 536, window_clamp = rcv_ssthresh
 *                      64088 (65536 of space minus one advmss:
 *                      tcp_init_buffer_space's reservation), rcv_space 14480
 *   without            advmss 1460, rcv_mss 536, 64076, rcv_space 14600
 * and the ACK of a FIN then advertises rcv_wnd - 1 (64239: the offer is
 * above rcv_ssthresh, so never-shrink keeps what is left of it).
 */
static void established_window_inputs_match_linux(void **state)
{
	for (int ts = 0; ts <= 1; ts++) {
		struct cli c;
		struct tcp_sock *tp;
		struct tout o;

		cli_establish(&c, ts);
		tp = tcp_sk(c.sk);
		assert_int_equal(tp->advmss, ts ? 1448 : 1460);
		assert_int_equal(inet_csk(c.sk)->icsk_ack.rcv_mss, 536);
		assert_int_equal(tp->window_clamp, ts ? 64088 : 64076);
		assert_int_equal(tp->rcv_ssthresh, ts ? 64088 : 64076);
		assert_int_equal(tp->rcvq_space.space, ts ? 14480 : 14600);
		assert_int_equal(c.sk->sk_rcvbuf, 131072);
		peer_data(&c, TCPHDR_FIN | TCPHDR_ACK, P_ISN + 1, c.iss + 1, NULL, 0, 6000);
		tn_test_run(c.w.st, TCP_DELACK_MAX);
		assert_true(pop_tcp(&c.w, &o));
		assert_int_equal(o.th.ack_seq, P_ISN + 2);
		/* Scaled (ws 7): ALIGN(64239, 128) >> 7; unscaled: 64239. */
		assert_int_equal(o.th.window, ts ? 502 : 64239);
		cli_close(&c);
	}
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(syn_sent_rst_bad_ack),
		cmocka_unit_test(syn_sent_rst_ack_refused),
		cmocka_unit_test(syn_sent_synack_rtt_sample),
		cmocka_unit_test(established_window_inputs_match_linux),
		cmocka_unit_test(established_ooo_segment_sends_sack),
		cmocka_unit_test(established_rst_in_window_challenge_ack),
		cmocka_unit_test(established_paws_reject),
		cmocka_unit_test(established_zero_window_drop),
		cmocka_unit_test(close_wait_fin_retransmitted_reack),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
