/*
 * tcp_output.c: segments byte for byte as Linux sends them (SYN options
 * layout and window, data and ACK options, SACK/D-SACK blocks, SYN-ACK
 * from a request sock), segmentation at the MSS, Nagle / TCP_NODELAY /
 * TCP_CORK, the initial window of 10, the peer's window and the persist
 * timer, window advertisement that never shrinks, MSS from the path MTU,
 * FIN, RST, retransmission counters and restart after idle.
 */
#include "tn_tcp_xmit.h"

static const u8 *seg_opts(const struct seg *s) { return s->opts; }

static void closed_then_connect_sends_linux_syn(void **state)
{
	struct tcp_world t;
	struct seg s;
	u8 want[40];
	u32 tsval;

	tcp_world_init(&t);
	tn_test_run(t.ip.st, 1234);
	tsval = tw_tsnow(&t) + T_TSOFF;
	assert_int_equal(tcp_connect(t.sk), 0);
	assert_true(tcp_pop_seg(&t, &s));
	/* 9c40 0050 | ISS | 0 | a0 02 (40 bytes, SYN) | 64240 | csum | 0,
	 * mss 1460, sackOK + TS, nop wscale 7 (tcp_rmem[2] = 6 MiB). */
	tn_test_hex("9c 40 00 50  01 02 03 04  00 00 00 00  a0 02 fa f0  00 00 00 00"
		    "02 04 05 b4  04 02 08 0a  00 00 00 00  00 00 00 00  01 03 03 07",
		    want, sizeof(want));
	put_be32(want + 28, tsval);
	memcpy(want + 16, s.tcp + 16, 2);
	assert_int_equal(s.tcp_len, 40);
	assert_memory_equal(s.tcp, want, 40);
	assert_true(s.csum_ok);
	assert_int_equal(tw_tp(&t)->snd_nxt, T_ISS + 1);
	assert_int_equal(tw_tp(&t)->rcv_wnd, 64240);
	assert_int_equal(tw_tp(&t)->rx_opt.rcv_wscale, 7);
	assert_int_equal(tw_tp(&t)->window_clamp, 65535u << 7);
	assert_int_equal(tcp_mib(&t, TCP_MIB_ACTIVEOPENS), 1);
	assert_int_equal(tcp_mib(&t, TCP_MIB_OUTSEGS), 1);
	assert_int_equal(inet_csk(t.sk)->icsk_pending, ICSK_TIME_RETRANS);
	assert_int_equal(inet_csk(t.sk)->icsk_timeout, jiffies(t.ip.st) + 1000);
	assert_int_equal(tw_tp(&t)->packets_out, 1);
	tcp_world_free(&t);
}

static void closed_then_connect_without_options_sysctls(void **state)
{
	struct tcp_world t;
	struct seg s;

	tcp_world_init(&t);
	t.ip.net->ipv4.tcp->sysctl_tcp_timestamps = 0;
	t.ip.net->ipv4.tcp->sysctl_tcp_window_scaling = 0;
	assert_int_equal(tcp_connect(t.sk), 0);
	assert_true(tcp_pop_seg(&t, &s));
	/* mss, then nop nop sackOK */
	assert_int_equal(s.doff, 28);
	{
		static const u8 o[] = { 2, 4, 0x05, 0xb4, 1, 1, 4, 2 };

		assert_memory_equal(seg_opts(&s), o, sizeof(o));
	}
	assert_int_equal(s.win, 64240);
	tcp_world_free(&t);
}

static void established_then_data_segmented_at_mss(void **state)
{
	struct tcp_world t;
	struct seg s;
	u32 seq = T_ISS + 1;
	const u32 sizes[] = { T_MSS, T_MSS, 104 };

	tcp_world_init(&t);
	tcp_world_establish(&t);
	assert_int_equal(tw_tp(&t)->mss_cache, T_MSS);
	tcp_queue_data(t.sk, 3000);
	tcp_push_pending_frames(t.sk);
	for (int i = 0; i < 3; i++) {
		assert_true(tcp_pop_seg(&t, &s));
		assert_int_equal(s.seq, seq);
		assert_int_equal(s.ack, T_IRS + 1);
		assert_int_equal(s.flags, TCPHDR_ACK);
		assert_int_equal(s.len, sizes[i]);
		assert_int_equal(s.doff, 32);
		/* nop nop TS, TSecr = ts_recent */
		assert_int_equal(get_be32(s.opts), 0x0101080a);
		assert_int_equal(get_be32(s.opts + 4), tw_tsnow(&t) + T_TSOFF);
		assert_int_equal(get_be32(s.opts + 8), 0x11223344);
		/* 64240 >> 7 rounded up to the scale: 502 */
		assert_int_equal(s.win, 502);
		assert_int_equal(s.tcp[s.doff], (u8)seq);
		assert_true(s.csum_ok);
		seq += sizes[i];
	}
	assert_false(tcp_pop_seg(&t, &s));
	assert_int_equal(tw_tp(&t)->snd_nxt, seq);
	assert_int_equal(tw_tp(&t)->packets_out, 3);
	assert_int_equal(tcp_mib(&t, TCP_MIB_OUTSEGS), 3);
	assert_int_equal(ext_mib(&t, LINUX_MIB_TCPORIGDATASENT), 3);
	/* SACK on, state Open: the timer waits for Linux's tail loss probe
	 * (RFC 8985 7.2: PTO 1 s without an RTT sample, capped at the RTO). */
	assert_int_equal(inet_csk(t.sk)->icsk_pending, ICSK_TIME_LOSS_PROBE);
	assert_int_equal(inet_csk(t.sk)->icsk_timeout - jiffies(t.ip.st),
			 inet_csk(t.sk)->icsk_rto);
	tcp_world_free(&t);
}

static void established_then_nagle_holds_small_segment(void **state)
{
	struct tcp_world t;
	struct seg s;

	tcp_world_init(&t);
	tcp_world_establish(&t);
	tcp_queue_data(t.sk, 100);
	tcp_push_pending_frames(t.sk);
	assert_true(tcp_pop_seg(&t, &s));
	assert_int_equal(s.len, 100);
	/* A second small write waits while the first is unacknowledged. */
	tcp_queue_data(t.sk, 100);
	tcp_push_pending_frames(t.sk);
	assert_false(tcp_pop_seg(&t, &s));
	/* Its ACK releases it (tcp_input pushes after an ACK). */
	tcp_ack_upto(t.sk, T_ISS + 1 + 100);
	tcp_push_pending_frames(t.sk);
	assert_true(tcp_pop_seg(&t, &s));
	assert_int_equal(s.seq, T_ISS + 101);
	assert_int_equal(s.len, 100);
	tcp_world_free(&t);
}

static void established_nodelay_then_small_segments_go_now(void **state)
{
	struct tcp_world t;
	struct seg s;

	tcp_world_init(&t);
	tcp_world_establish(&t);
	tw_tp(&t)->nonagle = TCP_NAGLE_OFF;
	tcp_queue_data(t.sk, 100);
	tcp_push_pending_frames(t.sk);
	tcp_queue_data(t.sk, 100);
	tcp_push_pending_frames(t.sk);
	assert_true(tcp_pop_seg(&t, &s));
	assert_true(tcp_pop_seg(&t, &s));
	assert_int_equal(s.seq, T_ISS + 101);
	tcp_world_free(&t);
}

static void established_cork_then_held_until_full_or_uncorked(void **state)
{
	struct tcp_world t;
	struct seg s;

	tcp_world_init(&t);
	tcp_world_establish(&t);
	tw_tp(&t)->nonagle = TCP_NAGLE_CORK;
	tcp_queue_data(t.sk, 100);
	tcp_push_pending_frames(t.sk);
	assert_false(tcp_pop_seg(&t, &s));
	/* Filling a segment sends it; the remainder waits. */
	tcp_queue_data(t.sk, 1400);
	tcp_push_pending_frames(t.sk);
	assert_true(tcp_pop_seg(&t, &s));
	assert_int_equal(s.len, T_MSS);
	assert_false(tcp_pop_seg(&t, &s));
	/* Uncork: TCP_CORK off pushes what is left. */
	tw_tp(&t)->nonagle = 0;
	__tcp_push_pending_frames(t.sk, tcp_current_mss(t.sk), TCP_NAGLE_PUSH);
	assert_true(tcp_pop_seg(&t, &s));
	assert_int_equal(s.len, 1500 - T_MSS);
	tcp_world_free(&t);
}

static void established_then_initial_window_is_ten_segments(void **state)
{
	struct tcp_world t;
	struct seg s;
	int n = 0;

	tcp_world_init(&t);
	tcp_world_establish(&t);
	assert_int_equal(tw_tp(&t)->snd_cwnd, TCP_INIT_CWND);
	tcp_queue_data(t.sk, 20 * T_MSS);
	tcp_push_pending_frames(t.sk);
	while (tcp_pop_seg(&t, &s))
		n++;
	assert_int_equal(n, 10);
	assert_int_equal(tw_tp(&t)->packets_out, 10);
	assert_true(tw_tp(&t)->is_cwnd_limited);
	/* Two ACKed: two more may go. */
	tcp_ack_upto(t.sk, T_ISS + 1 + 2 * T_MSS);
	tcp_push_pending_frames(t.sk);
	n = 0;
	while (tcp_pop_seg(&t, &s))
		n++;
	assert_int_equal(n, 2);
	tcp_world_free(&t);
}

static void established_small_window_then_sends_what_fits_and_probes(void **state)
{
	struct tcp_world t;
	struct seg s;
	int n = 0;

	tcp_world_init(&t);
	tcp_world_establish(&t);
	tw_tp(&t)->snd_wnd = 3 * T_MSS;
	tcp_queue_data(t.sk, 5 * T_MSS);
	tcp_push_pending_frames(t.sk);
	while (tcp_pop_seg(&t, &s))
		n++;
	assert_int_equal(n, 3);
	/* All ACKed with a zero window: the persist timer takes over. */
	tw_tp(&t)->snd_wnd = 0;
	tcp_ack_upto(t.sk, T_ISS + 1 + 3 * T_MSS);
	tcp_push_pending_frames(t.sk);
	assert_false(tcp_pop_seg(&t, &s));
	assert_int_equal(inet_csk(t.sk)->icsk_pending, ICSK_TIME_PROBE0);
	tcp_world_free(&t);
}

static void established_then_ack_carries_window_and_sack_blocks(void **state)
{
	struct tcp_world t;
	struct tcp_sock *tp;
	struct seg s;
	u8 want[32];

	tcp_world_init(&t);
	tcp_world_establish(&t);
	tp = tw_tp(&t);
	tp->rx_opt.dsack = 1;
	tp->duplicate_sack[0] = (struct tcp_sack_block){ T_IRS - 99, T_IRS + 1 };
	tp->rx_opt.num_sacks = 1;
	tp->selective_acks[0] = (struct tcp_sack_block){ T_IRS + 1001, T_IRS + 2001 };
	inet_csk_schedule_ack(t.sk);
	tcp_send_ack(t.sk);
	assert_true(tcp_pop_seg(&t, &s));
	assert_int_equal(s.flags, TCPHDR_ACK);
	assert_int_equal(s.len, 0);
	assert_int_equal(s.seq, T_ISS + 1);
	assert_int_equal(s.doff, 20 + 12 + 20);
	tn_test_hex("01 01 08 0a 00 00 00 00 11 22 33 44  01 01 05 12"
		    "0a 0b 0b aa 0a 0b 0c 0e  0a 0b 0f f6 0a 0b 13 de", want, sizeof(want));
	put_be32(want + 4, tw_tsnow(&t) + T_TSOFF);
	assert_memory_equal(s.opts, want, 32);
	/* A D-SACK is reported once; the ACK clears the pending ACK. */
	assert_int_equal(tp->rx_opt.dsack, 0);
	assert_false(inet_csk_ack_scheduled(t.sk));
	assert_int_equal(tcp_mib(&t, TCP_MIB_OUTSEGS), 1);
	tcp_world_free(&t);
}

static void listen_then_make_synack_with_negotiated_options(void **state)
{
	struct tcp_world t;
	struct request_sock req;
	struct sk_buff *skb;
	u8 want[40];

	tcp_world_init(&t);
	memset(&req, 0, sizeof(req));
	req.rsk_laddr = LOCAL_IP;
	req.rsk_daddr = PEER_IP;
	req.rsk_num = T_DPORT;
	req.rsk_rmt_port = T_SPORT;
	req.snt_isn = T_ISS;
	req.rcv_isn = T_IRS;
	req.ts_recent = 0x55667788;
	req.ts_off = 7;
	req.rcv_wnd = 65160;
	req.rcv_wscale = 7;
	req.wscale_ok = req.tstamp_ok = req.sack_ok = 1;
	tcp_sk_route(t.sk);
	skb = tcp_make_synack(t.sk, t.sk->sk_dst_cache, &req);
	assert_non_null(skb);
	tn_test_hex("00 50 9c 40  01 02 03 04  0a 0b 0c 0e  a0 12 fe 88  00 00 00 00"
		    "02 04 05 b4  04 02 08 0a  00 00 00 00  55 66 77 88  01 03 03 07",
		    want, sizeof(want));
	put_be32(want + 28, tw_tsnow(&t) + 7);
	memcpy(want + 16, skb->data + 16, 2);
	assert_int_equal(skb->len, 40);
	assert_memory_equal(skb->data, want, 40);
	assert_int_equal(csum_tcpudp_magic(LOCAL_IP, PEER_IP, 40, IPPROTO_TCP,
					   csum_partial(skb->data, 40, 0)), 0);
	/* Without timestamps: mss, nop nop sackOK (no wscale either). */
	consume_skb(skb);
	req.tstamp_ok = req.wscale_ok = 0;
	skb = tcp_make_synack(t.sk, t.sk->sk_dst_cache, &req);
	assert_int_equal(skb->len, 28);
	{
		static const u8 o[] = { 2, 4, 0x05, 0xb4, 1, 1, 4, 2 };

		assert_memory_equal(skb->data + 20, o, sizeof(o));
	}
	consume_skb(skb);
	tcp_world_free(&t);
}

static void established_then_fin_and_reset(void **state)
{
	struct tcp_world t;
	struct seg s;

	tcp_world_init(&t);
	tcp_world_establish(&t);
	tcp_send_fin(t.sk);
	assert_true(tcp_pop_seg(&t, &s));
	assert_int_equal(s.flags, TCPHDR_FIN | TCPHDR_ACK);
	assert_int_equal(s.seq, T_ISS + 1);
	assert_int_equal(tw_tp(&t)->snd_nxt, T_ISS + 2);
	tcp_send_active_reset(t.sk);
	assert_true(tcp_pop_seg(&t, &s));
	assert_int_equal(s.flags, TCPHDR_RST | TCPHDR_ACK);
	assert_int_equal(s.seq, T_ISS + 2);
	assert_int_equal(tcp_mib(&t, TCP_MIB_OUTRSTS), 1);
	tcp_world_free(&t);
}

static void established_then_fin_rides_on_unsent_data(void **state)
{
	struct tcp_world t;
	struct seg s;

	tcp_world_init(&t);
	tcp_world_establish(&t);
	tw_tp(&t)->snd_wnd = 0;          /* hold the data */
	tcp_queue_data(t.sk, 10);
	tcp_push_pending_frames(t.sk);
	tw_tp(&t)->snd_wnd = 65535;
	tcp_send_fin(t.sk);
	assert_true(tcp_pop_seg(&t, &s));
	assert_int_equal(s.flags, TCPHDR_FIN | TCPHDR_ACK);
	assert_int_equal(s.len, 10);
	assert_false(tcp_pop_seg(&t, &s));
	tcp_world_free(&t);
}

static void established_then_retransmit_counts_and_marks(void **state)
{
	struct tcp_world t;
	struct sk_buff *head;
	struct seg s;

	tcp_world_init(&t);
	tcp_world_establish(&t);
	tcp_queue_data(t.sk, 500);
	tcp_push_pending_frames(t.sk);
	assert_true(tcp_pop_seg(&t, &s));
	head = tcp_rtx_queue_head(t.sk);
	assert_int_equal(tcp_retransmit_skb(t.sk, head, 1), 0);
	assert_true(tcp_pop_seg(&t, &s));
	assert_int_equal(s.seq, T_ISS + 1);
	assert_int_equal(s.len, 500);
	assert_true(TCP_SKB_CB(head)->sacked & TCPCB_EVER_RETRANS);
	assert_int_equal(tw_tp(&t)->retrans_out, 1);
	assert_int_equal(tw_tp(&t)->total_retrans, 1);
	assert_int_equal(tcp_mib(&t, TCP_MIB_RETRANSSEGS), 1);
	assert_int_equal(tcp_mib(&t, TCP_MIB_OUTSEGS), 1);   /* only the original */
	/* Partly ACKed: only the rest goes again. */
	tw_tp(&t)->snd_una = T_ISS + 201;
	assert_int_equal(tcp_retransmit_skb(t.sk, head, 1), 0);
	assert_true(tcp_pop_seg(&t, &s));
	assert_int_equal(s.seq, T_ISS + 201);
	assert_int_equal(s.len, 300);
	tcp_world_free(&t);
}

static void established_then_lost_segments_retransmitted_first(void **state)
{
	struct tcp_world t;
	struct sk_buff *skb;
	struct seg s;
	int i = 0;

	tcp_world_init(&t);
	tcp_world_establish(&t);
	tcp_queue_data(t.sk, 4 * T_MSS);
	tcp_push_pending_frames(t.sk);
	while (tcp_pop_seg(&t, &s))
		;
	/* Segments 1 and 3 lost (RFC 6675 scoreboard by tcp_input). */
	skb_queue_walk(&t.sk->sk_write_queue, skb) {
		if (i == 1 || i == 3) {
			TCP_SKB_CB(skb)->sacked |= TCPCB_LOST;
			tw_tp(&t)->lost_out++;
		}
		i++;
	}
	tcp_xmit_retransmit_queue(t.sk);
	assert_true(tcp_pop_seg(&t, &s));
	assert_int_equal(s.seq, T_ISS + 1 + T_MSS);
	assert_true(tcp_pop_seg(&t, &s));
	assert_int_equal(s.seq, T_ISS + 1 + 3 * T_MSS);
	assert_false(tcp_pop_seg(&t, &s));
	assert_int_equal(ext_mib(&t, LINUX_MIB_TCPFASTRETRANS), 2);
	tcp_world_free(&t);
}

static void established_then_window_never_shrinks(void **state)
{
	struct tcp_world t;
	struct tcp_sock *tp;
	struct seg s;

	tcp_world_init(&t);
	tcp_world_establish(&t);
	tp = tw_tp(&t);
	tcp_send_ack(t.sk);
	assert_true(tcp_pop_seg(&t, &s));
	assert_int_equal(s.win, 502);
	/* The reader stops: most of the buffer is taken. The right edge
	 * stays where it was (RFC 9293 3.8.6.2.2). */
	t.sk->sk_rmem_alloc = t.sk->sk_rcvbuf - 4096;
	tp->rcv_nxt += 1000;
	tcp_send_ack(t.sk);
	assert_true(tcp_pop_seg(&t, &s));
	assert_int_equal(s.ack, T_IRS + 1 + 1000);
	assert_int_equal(s.win, (64256 - 1000 + 127) >> 7);
	assert_int_equal(ext_mib(&t, LINUX_MIB_TCPWANTZEROWINDOWADV), 1);
	t.sk->sk_rmem_alloc = 0;
	tcp_world_free(&t);
}

static void mss_follows_pmtu_and_maxseg(void **state)
{
	struct tcp_world t;

	tcp_world_init(&t);
	tcp_world_establish(&t);
	assert_int_equal(tcp_sync_mss(t.sk, 1500), 1448);
	assert_int_equal(tcp_sync_mss(t.sk, 1400), 1348);
	assert_int_equal(tcp_mtu_to_mss(t.sk, 576), 524);
	assert_int_equal(tcp_mss_to_mtu(t.sk, 1448), 1500);
	tw_tp(&t)->rx_opt.mss_clamp = 1000;
	assert_int_equal(tcp_sync_mss(t.sk, 1500), 988);
	/* SACK blocks on the next segment take room from it. */
	tw_tp(&t)->rx_opt.mss_clamp = 1460;
	assert_int_equal(tcp_sync_mss(t.sk, 1500), 1448);
	tw_tp(&t)->rx_opt.num_sacks = 1;
	assert_int_equal(tcp_current_mss(t.sk), 1448 - 12);
	tw_tp(&t)->rx_opt.num_sacks = 0;
	tcp_world_free(&t);
}

static void established_idle_then_cwnd_restarts(void **state)
{
	struct tcp_world t;
	struct tcp_sock *tp;
	struct seg s;

	tcp_world_init(&t);
	tcp_world_establish(&t);
	tp = tw_tp(&t);
	tp->snd_cwnd = 80;
	tp->snd_ssthresh = 100;
	inet_csk(t.sk)->icsk_rto = 200;
	tp->lsndtime = tw_now(&t);
	tn_test_run(t.ip.st, 650);          /* three RTOs and a bit: 80 -> 10 */
	tcp_queue_data(t.sk, 100);
	tcp_push_pending_frames(t.sk);
	assert_true(tcp_pop_seg(&t, &s));
	assert_int_equal(tp->snd_cwnd, 10);
	assert_int_equal(tp->snd_ssthresh, 100);
	t.ip.net->ipv4.tcp->sysctl_tcp_slow_start_after_idle = 0;
	tcp_world_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(closed_then_connect_sends_linux_syn),
		cmocka_unit_test(closed_then_connect_without_options_sysctls),
		cmocka_unit_test(established_then_data_segmented_at_mss),
		cmocka_unit_test(established_then_nagle_holds_small_segment),
		cmocka_unit_test(established_nodelay_then_small_segments_go_now),
		cmocka_unit_test(established_cork_then_held_until_full_or_uncorked),
		cmocka_unit_test(established_then_initial_window_is_ten_segments),
		cmocka_unit_test(established_small_window_then_sends_what_fits_and_probes),
		cmocka_unit_test(established_then_ack_carries_window_and_sack_blocks),
		cmocka_unit_test(listen_then_make_synack_with_negotiated_options),
		cmocka_unit_test(established_then_fin_and_reset),
		cmocka_unit_test(established_then_fin_rides_on_unsent_data),
		cmocka_unit_test(established_then_retransmit_counts_and_marks),
		cmocka_unit_test(established_then_lost_segments_retransmitted_first),
		cmocka_unit_test(established_then_window_never_shrinks),
		cmocka_unit_test(mss_follows_pmtu_and_maxseg),
		cmocka_unit_test(established_idle_then_cwnd_restarts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
