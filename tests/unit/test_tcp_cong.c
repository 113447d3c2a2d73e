/*
 * Congestion control: the registry and TCP_CONGESTION, Reno's slow start
 * and additive increase (RFC 5681), CUBIC's multiplicative decrease, fast
 * convergence and window curve against W_cubic(t) = C (t - K)^3 + W_max
 * (RFC 9438 4.2), and HyStart's delay-based exit from slow start.
 */
#include <math.h>

#include "tn_tcp_xmit.h"

static void registry_then_find_and_set(void **state)
{
	struct tcp_world t;
	char buf[64];

	tcp_world_init(&t);
	assert_ptr_equal(tcp_ca_find("cubic"), &cubictcp);
	assert_ptr_equal(tcp_ca_find("reno"), &tcp_reno);
	assert_null(tcp_ca_find("bbr"));
	/* The namespace default, CUBIC. */
	assert_string_equal(t.ip.net->ipv4.tcp->sysctl_tcp_congestion_control, "cubic");
	assert_ptr_equal(inet_csk(t.sk)->icsk_ca_ops, &cubictcp);
	assert_int_equal(tcp_set_congestion_control(t.sk, "reno"), 0);
	assert_ptr_equal(inet_csk(t.sk)->icsk_ca_ops, &tcp_reno);
	assert_int_equal(tcp_set_congestion_control(t.sk, "vegas"), -ENOENT);
	assert_ptr_equal(inet_csk(t.sk)->icsk_ca_ops, &tcp_reno);
	assert_int_equal(tcp_set_default_congestion_control(t.ip.net, "reno"), 0);
	assert_int_equal(tcp_set_default_congestion_control(t.ip.net, "x"), -ENOENT);
	assert_string_equal(t.ip.net->ipv4.tcp->sysctl_tcp_congestion_control, "reno");
	tcp_get_available_congestion_control(buf, sizeof(buf));
	assert_string_equal(buf, "cubic reno");
	tcp_world_free(&t);
}

static void reno_slow_start_then_additive_increase(void **state)
{
	struct tcp_world t;
	struct tcp_sock *tp;

	tcp_world_init(&t);
	tp = tw_tp(&t);
	tcp_set_congestion_control(t.sk, "reno");
	tp->is_cwnd_limited = 1;
	tp->snd_cwnd = 10;
	tp->snd_ssthresh = 20;
	/* Slow start: one segment per segment ACKed. */
	tcp_reno_cong_avoid(t.sk, 0, 4);
	assert_int_equal(tp->snd_cwnd, 14);
	/* Crossing ssthresh: the rest counts toward avoidance. */
	tcp_reno_cong_avoid(t.sk, 0, 10);
	assert_int_equal(tp->snd_cwnd, 20);
	assert_int_equal(tp->snd_cwnd_cnt, 4);
	/* Avoidance: one segment per cwnd ACKed. */
	for (int i = 0; i < 15; i++)
		tcp_reno_cong_avoid(t.sk, 0, 1);
	assert_int_equal(tp->snd_cwnd, 20);
	tcp_reno_cong_avoid(t.sk, 0, 1);
	assert_int_equal(tp->snd_cwnd, 21);
	assert_int_equal(tp->snd_cwnd_cnt, 0);
	/* Not limited by cwnd: no growth (RFC 7661). */
	tp->is_cwnd_limited = 0;
	tp->max_packets_out = 3;
	tcp_reno_cong_avoid(t.sk, 0, 100);
	assert_int_equal(tp->snd_cwnd, 21);
	/* Loss: half, at least 2. */
	assert_int_equal(tcp_reno_ssthresh(t.sk), 10);
	tp->snd_cwnd = 3;
	assert_int_equal(tcp_reno_ssthresh(t.sk), 2);
	tp->prior_cwnd = 21;
	assert_int_equal(tcp_reno_undo_cwnd(t.sk), 21);
	tcp_world_free(&t);
}

static void cubic_loss_then_beta_and_fast_convergence(void **state)
{
	struct tcp_world t;
	struct tcp_sock *tp;

	tcp_world_init(&t);
	tp = tw_tp(&t);
	cubictcp.init(t.sk);
	tp->snd_cwnd = 100;
	assert_int_equal(cubictcp.ssthresh(t.sk), 100 * 717 / 1024);
	/* A second loss below W_max: W_max = cwnd (1 + beta) / 2. */
	tp->snd_cwnd = 80;
	assert_int_equal(cubictcp.ssthresh(t.sk), 80 * 717 / 1024);
	tp->snd_cwnd = 2;
	assert_int_equal(cubictcp.ssthresh(t.sk), 2);
	tcp_world_free(&t);
}

/* RFC 9438 (1) and (2) with C = 0.4, beta = 0.7. */
static double w_cubic(double t_s, double w_max)
{
	double k = cbrt(w_max * (1 - 0.7) / 0.4);

	return 0.4 * pow(t_s - k, 3) + w_max;
}

/* ACK one RTT's worth (cwnd segments), an RTT of 100 ms apart. */
static void cubic_one_rtt(struct tcp_world *t)
{
	struct tcp_sock *tp = tw_tp(t);
	u32 cwnd = tp->snd_cwnd;

	tn_test_run(t->ip.st, 100);
	for (u32 i = 0; i < cwnd; i++) {
		cubictcp.pkts_acked(t->sk, 1, 100000);
		cubictcp.cong_avoid(t->sk, 0, 1);
	}
}

static void cubic_after_loss_then_cwnd_follows_w_cubic(void **state)
{
	struct tcp_world t;
	struct tcp_sock *tp;
	int checked = 0;

	tcp_world_init(&t);
	tcp_world_establish(&t);
	tp = tw_tp(&t);
	tp->is_cwnd_limited = 1;
	tp->snd_cwnd = 100;
	tp->snd_ssthresh = cubictcp.ssthresh(t.sk);   /* W_max 100 */
	tp->snd_cwnd = tp->snd_ssthresh;               /* 70 */
	/* Past the 1 s after the reduction in which RTT samples are skipped,
	 * the curve runs from the first ACK. */
	for (int rtt = 1; rtt <= 80; rtt++) {
		double t_s = rtt * 0.1, want;

		cubic_one_rtt(&t);
		/* cwnd aims one RTT ahead: compare with W(t + RTT), within
		 * one segment and a half per 100 (integer steps, ACK-clocked). */
		want = w_cubic(t_s + 0.1, 100);
		if (rtt % 10 == 0) {
			assert_true(fabs((double)tp->snd_cwnd - want) <= 1.5 + want * 0.015);
			checked++;
		}
	}
	assert_int_equal(checked, 8);
	/* Past K (4.2 s) the plateau is left: convex growth. */
	assert_true(tp->snd_cwnd > 110);
	tcp_world_free(&t);
}

static void cubic_slow_start_then_hystart_delay_exit(void **state)
{
	struct tcp_world t;
	struct tcp_sock *tp;

	tcp_world_init(&t);
	tcp_world_establish(&t);
	tp = tw_tp(&t);
	tp->snd_cwnd = 20;
	tp->snd_ssthresh = TCP_INFINITE_SSTHRESH;
	cubictcp.init(t.sk);
	/* First round: delay_min 100 ms. */
	for (int i = 0; i < 9; i++)
		cubictcp.pkts_acked(t.sk, 1, 100000);
	assert_int_equal(tp->snd_ssthresh, TCP_INFINITE_SSTHRESH);
	/* Next round (snd_una past the round's end): every sample 13 ms
	 * slower, past delay_min + max(4 ms, min(delay_min / 8, 16 ms)). */
	tp->snd_nxt += 1000;
	tp->snd_una = tp->snd_nxt;
	tn_test_run(t.ip.st, 1);
	for (int i = 0; i < 8; i++)
		cubictcp.pkts_acked(t.sk, 1, 113000);
	assert_int_equal(tp->snd_ssthresh, TCP_INFINITE_SSTHRESH);
	cubictcp.pkts_acked(t.sk, 1, 113000);
	assert_int_equal(tp->snd_ssthresh, 20);
	assert_int_equal(ext_mib(&t, LINUX_MIB_TCPHYSTARTDELAYDETECT), 1);
	assert_int_equal(ext_mib(&t, LINUX_MIB_TCPHYSTARTDELAYCWND), 20);
	tcp_world_free(&t);
}

static void cubic_timeout_then_state_forgotten(void **state)
{
	struct tcp_world t;
	struct tcp_sock *tp;

	tcp_world_init(&t);
	tcp_world_establish(&t);
	tp = tw_tp(&t);
	tp->snd_cwnd = 100;
	cubictcp.ssthresh(t.sk);
	cubictcp.set_state(t.sk, TCP_CA_Loss);
	/* W_max forgotten: the next loss at 50 sets W_max 50, not 50*0.85. */
	tp->snd_cwnd = 50;
	assert_int_equal(cubictcp.ssthresh(t.sk), 50 * 717 / 1024);
	tcp_world_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(registry_then_find_and_set),
		cmocka_unit_test(reno_slow_start_then_additive_increase),
		cmocka_unit_test(cubic_loss_then_beta_and_fast_convergence),
		cmocka_unit_test(cubic_after_loss_then_cwnd_follows_w_cubic),
		cmocka_unit_test(cubic_slow_start_then_hystart_delay_exit),
		cmocka_unit_test(cubic_timeout_then_state_forgotten),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
