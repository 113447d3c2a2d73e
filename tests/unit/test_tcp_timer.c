/*
 * tcp_timer.c in virtual time: SYN retransmissions at 1, 2, 4 s and
 * ETIMEDOUT after tcp_syn_retries; data RTO from the 200 ms floor doubling,
 * with TCP_CA_Loss and cwnd 1; the 40 ms delayed ACK; zero-window probes
 * with backoff; keepalive probe timing and count, then RST and ETIMEDOUT.
 */
#include "tn_tcp_xmit.h"

static void syn_sent_then_backoff_and_etimedout(void **state)
{
	struct tcp_world t;
	struct seg s;
	u64 t0;
	const u64 at[] = { 0, 1000, 3000, 7000 };

	tcp_world_init(&t);
	inet_csk(t.sk)->icsk_syn_retries = 3;
	t.sk->sk_state = TCP_SYN_SENT;
	t0 = jiffies(t.ip.st);
	assert_int_equal(tcp_connect(t.sk), 0);
	tn_test_run(t.ip.st, 14999);
	for (unsigned int i = 0; i < ARRAY_SIZE(at); i++) {
		assert_true(tcp_pop_seg(&t, &s));
		assert_int_equal(s.flags, TCPHDR_SYN);
		assert_int_equal(s.seq, T_ISS);
		assert_int_equal(s.t_ms - t0, at[i]);
	}
	assert_false(tcp_pop_seg(&t, &s));
	assert_int_equal(t.sk->sk_state, TCP_SYN_SENT);
	assert_int_equal(inet_csk(t.sk)->icsk_rto, 8000);
	/* The fourth timeout finds tcp_syn_retries used up. */
	tn_test_run(t.ip.st, 1);
	assert_false(tcp_pop_seg(&t, &s));
	assert_int_equal(t.sk->sk_state, TCP_CLOSE);
	assert_int_equal(t.sk->sk_err, ETIMEDOUT);
	assert_int_equal(ext_mib(&t, LINUX_MIB_TCPTIMEOUTS), 4);
	assert_int_equal(ext_mib(&t, LINUX_MIB_TCPSYNRETRANS), 3);
	assert_int_equal(tcp_mib(&t, TCP_MIB_RETRANSSEGS), 3);
	assert_int_equal(tcp_mib(&t, TCP_MIB_OUTSEGS), 1);
	assert_int_equal(ext_mib(&t, LINUX_MIB_TCPABORTONTIMEOUT), 1);
	tcp_world_free(&t);
}

static void established_then_rto_doubles_from_200ms(void **state)
{
	struct tcp_world t;
	struct seg s;
	u64 t0;
	/* The first timer is Linux's tail loss probe (SACK on: PTO 1 s
	 * without an RTT sample, capped at the 200 ms RTO); the RTO then
	 * runs from the probe and doubles: 400, 800, (1600). */
	const u64 at[] = { 0, 200, 400, 800 };

	tcp_world_init(&t);
	tcp_world_establish(&t);
	inet_csk(t.sk)->icsk_rto = TCP_RTO_MIN;   /* tcp_set_rto's floor after samples */
	t0 = jiffies(t.ip.st);
	tcp_queue_data(t.sk, 500);
	tcp_push_pending_frames(t.sk);
	tn_test_run(t.ip.st, 1500);
	for (unsigned int i = 0; i < ARRAY_SIZE(at); i++) {
		assert_true(tcp_pop_seg(&t, &s));
		assert_int_equal(s.seq, T_ISS + 1);
		assert_int_equal(s.len, 500);
		assert_int_equal(s.t_ms - t0, at[i]);
	}
	assert_false(tcp_pop_seg(&t, &s));
	/* RFC 5681 (4) with CUBIC's beta, cwnd one segment. */
	assert_int_equal(inet_csk(t.sk)->icsk_ca_state, TCP_CA_Loss);
	assert_int_equal(tw_tp(&t)->snd_ssthresh, 7);
	assert_int_equal(tw_tp(&t)->snd_cwnd, 1);
	assert_int_equal(inet_csk(t.sk)->icsk_rto, 800);
	assert_int_equal(inet_csk(t.sk)->icsk_retransmits, 2);
	assert_int_equal(ext_mib(&t, LINUX_MIB_TCPTIMEOUTS), 2);
	assert_int_equal(ext_mib(&t, LINUX_MIB_TCPLOSSPROBES), 1);
	assert_int_equal(tcp_mib(&t, TCP_MIB_RETRANSSEGS), 3);
	tcp_world_free(&t);
}

static void established_then_delayed_ack_after_40ms(void **state)
{
	struct tcp_world t;
	struct seg s;

	tcp_world_init(&t);
	tcp_world_establish(&t);
	inet_csk(t.sk)->icsk_ack.ato = TCP_ATO_MIN;
	tcp_send_delayed_ack(t.sk);
	tn_test_run(t.ip.st, 39);
	assert_false(tcp_pop_seg(&t, &s));
	tn_test_run(t.ip.st, 1);
	assert_true(tcp_pop_seg(&t, &s));
	assert_int_equal(s.flags, TCPHDR_ACK);
	assert_int_equal(s.ack, T_IRS + 1);
	assert_int_equal(s.len, 0);
	assert_int_equal(ext_mib(&t, LINUX_MIB_DELAYEDACKS), 1);
	assert_false(inet_csk_ack_scheduled(t.sk));
	/* A missed delayed ACK in bulk mode doubles ato. */
	assert_int_equal(inet_csk(t.sk)->icsk_ack.ato, 2 * TCP_ATO_MIN);
	tcp_world_free(&t);
}

static void established_zero_window_then_probes_back_off(void **state)
{
	struct tcp_world t;
	struct seg s;
	u64 t0;
	const u64 at[] = { 200, 600, 1400, 3000 };

	tcp_world_init(&t);
	tcp_world_establish(&t);
	inet_csk(t.sk)->icsk_rto = TCP_RTO_MIN;
	tw_tp(&t)->snd_wnd = 0;
	t0 = jiffies(t.ip.st);
	tcp_queue_data(t.sk, 100);
	tcp_push_pending_frames(t.sk);
	tn_test_run(t.ip.st, 3100);
	for (unsigned int i = 0; i < ARRAY_SIZE(at); i++) {
		assert_true(tcp_pop_seg(&t, &s));
		/* An ACK one below snd_una that the peer must answer. */
		assert_int_equal(s.seq, T_ISS);
		assert_int_equal(s.flags, TCPHDR_ACK);
		assert_int_equal(s.len, 0);
		assert_int_equal(s.t_ms - t0, at[i]);
	}
	assert_false(tcp_pop_seg(&t, &s));
	assert_int_equal(inet_csk(t.sk)->icsk_probes_out, 4);
	assert_int_equal(ext_mib(&t, LINUX_MIB_TCPWINPROBE), 4);
	/* The window opens: the next probe carries the data. */
	tw_tp(&t)->snd_wnd = 65535;
	tn_test_run(t.ip.st, 3200);
	assert_true(tcp_pop_seg(&t, &s));
	assert_int_equal(s.seq, T_ISS + 1);
	assert_int_equal(s.len, 100);
	tcp_world_free(&t);
}

static void established_idle_then_keepalive_probes_and_timeout(void **state)
{
	struct tcp_world t;
	struct tcp_sock *tp;
	struct seg s;
	u64 t0;
	const u64 at[] = { 10000, 12000, 14000 };

	tcp_world_init(&t);
	tcp_world_establish(&t);
	tp = tw_tp(&t);
	tp->keepalive_time = 10000;
	tp->keepalive_intvl = 2000;
	tp->keepalive_probes = 3;
	sock_set_flag(t.sk, SOCK_KEEPOPEN);
	t0 = jiffies(t.ip.st);
	inet_csk_reset_keepalive_timer(t.sk, tp->keepalive_time);
	tn_test_run(t.ip.st, 15999);
	for (unsigned int i = 0; i < ARRAY_SIZE(at); i++) {
		assert_true(tcp_pop_seg(&t, &s));
		assert_int_equal(s.seq, T_ISS);
		assert_int_equal(s.flags, TCPHDR_ACK);
		assert_int_equal(s.len, 0);
		assert_int_equal(s.t_ms - t0, at[i]);
	}
	assert_false(tcp_pop_seg(&t, &s));
	assert_int_equal(t.sk->sk_state, TCP_ESTABLISHED);
	tn_test_run(t.ip.st, 1);
	assert_true(tcp_pop_seg(&t, &s));
	assert_int_equal(s.flags, TCPHDR_RST | TCPHDR_ACK);
	assert_int_equal(s.t_ms - t0, 16000);
	assert_int_equal(t.sk->sk_state, TCP_CLOSE);
	assert_int_equal(t.sk->sk_err, ETIMEDOUT);
	assert_int_equal(ext_mib(&t, LINUX_MIB_TCPKEEPALIVE), 3);
	tcp_world_free(&t);
}

static void established_then_keepalive_answered_restarts_idle(void **state)
{
	struct tcp_world t;
	struct tcp_sock *tp;
	struct seg s;

	tcp_world_init(&t);
	tcp_world_establish(&t);
	tp = tw_tp(&t);
	tp->keepalive_time = 10000;
	tp->keepalive_intvl = 2000;
	sock_set_flag(t.sk, SOCK_KEEPOPEN);
	inet_csk_reset_keepalive_timer(t.sk, tp->keepalive_time);
	tn_test_run(t.ip.st, 10000);
	assert_true(tcp_pop_seg(&t, &s));
	/* The peer answers (tcp_input: rcv_tstamp, probes_out = 0). */
	tp->rcv_tstamp = tw_now(&t);
	inet_csk(t.sk)->icsk_probes_out = 0;
	tn_test_run(t.ip.st, 9999);
	assert_false(tcp_pop_seg(&t, &s));
	tn_test_run(t.ip.st, 1);
	assert_true(tcp_pop_seg(&t, &s));
	tcp_world_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(syn_sent_then_backoff_and_etimedout),
		cmocka_unit_test(established_then_rto_doubles_from_200ms),
		cmocka_unit_test(established_then_delayed_ack_after_40ms),
		cmocka_unit_test(established_zero_window_then_probes_back_off),
		cmocka_unit_test(established_idle_then_keepalive_probes_and_timeout),
		cmocka_unit_test(established_then_keepalive_answered_restarts_idle),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
