/*
 * Linux's default loss recovery, byte-exact and in virtual time: the tail
 * loss probe (RFC 8985 7, net.ipv4.tcp_early_retrans 3), RACK loss
 * detection with its reordering window and timer (RFC 8985 6,
 * net.ipv4.tcp_recovery 1), F-RTO (RFC 5682, net.ipv4.tcp_frto 2) and the
 * RTT sample of the handshake on both sides (Linux's tcp_synack_rtt_meas
 * and tcp_init_metrics). The test is the peer (tn_tcprec.h), 100 ms away:
 * the handshake measures SRTT 100 ms, RTTVAR 50 ms (RTO 100 + max(4 x 50,
 * RTO_MIN) = 300 ms) and min_rtt 100 ms, as Linux's estimator does.
 * Connections offer SACK without timestamps (TLP and RACK need SACK);
 * CUBIC, IW 10. Each expectation is what Linux 6.x sends, and when, with
 * the reason above each test; the sysctls' 0 is checked where it makes a
 * visible difference.
 */
#include "tn_tcprec.h"

#define A TCPHDR_ACK
#define AP (TCPHDR_ACK | TCPHDR_PSH)
#define RTT 100u

static void rack_establish(struct rconn *c)
{
	rc_establish_rtt(c, OPT_SACK, NULL, RTT);
	assert_int_equal(rc_tp(c)->srtt_us >> 3, RTT * 1000);
	assert_int_equal(rc_tp(c)->min_rtt_us, RTT * 1000);
	assert_int_equal(inet_csk(c->sk)->icsk_rto, 300);
}

static void send_ten(struct rconn *c, u32 extra)
{
	rc_write(c, 10 + extra);
	for (u32 i = 0; i < 10; i++)
		rc_expect_data(c, i, i == 9 + extra ? AP : A);
	rc_expect_silence(c);
}

static u64 timer_in(const struct rconn *c)
{
	return inet_csk(c->sk)->icsk_timeout - rc_now(c);
}

/*
 * RFC 8985 7.2-7.3, Linux's tcp_schedule_loss_probe: ten segments out and
 * the ACKs stop. PTO = 2 SRTT + 2 ms (more than one segment out) = 202 ms,
 * before the 300 ms RTO: at 202 ms (not 201) the last segment goes again
 * as the probe (no new data to send), TcpExtTCPLossProbes, and the RTO
 * runs from the probe. The ACKs were only late: the ACK of everything
 * covers the probe and cannot yet tell whether it repaired a loss; the
 * D-SACK of the probe that follows proves both copies arrived: the
 * episode ends without a cwnd reduction (tcp_process_tlp_ack), no
 * TcpExtTCPLossProbeRecovery.
 */
static void tlp_probe_last_segment_then_dsack_no_loss(void **state)
{
	struct rconn c;
	u32 ds[2];
	(void)state;

	rack_establish(&c);
	send_ten(&c, 0);
	assert_int_equal(inet_csk(c.sk)->icsk_pending, ICSK_TIME_LOSS_PROBE);
	tn_test_run(c.w.st, 201);
	rc_expect_silence(&c);
	tn_test_run(c.w.st, 1);
	rc_expect_data(&c, 9, AP);
	rc_expect_silence(&c);
	assert_int_equal(rc_ext(&c, LINUX_MIB_TCPLOSSPROBES), 1);
	assert_int_equal(rc_tcp(&c, TCP_MIB_RETRANSSEGS), 1);
	assert_int_equal(rc_tp(&c)->tlp_high_seq, S(&c, 10));
	assert_int_equal(inet_csk(c.sk)->icsk_pending, ICSK_TIME_RETRANS);
	assert_int_equal(timer_in(&c), 300);

	rc_ack(&c, S(&c, 10), NULL, 0, 0);
	assert_int_equal(rc_tp(&c)->tlp_high_seq, S(&c, 10));
	ds[0] = S(&c, 9);
	ds[1] = S(&c, 10);
	rc_ack(&c, S(&c, 10), ds, 1, 0);
	rc_expect_silence(&c);
	assert_int_equal(rc_tp(&c)->tlp_high_seq, 0);
	assert_int_equal(rc_ext(&c, LINUX_MIB_TCPDSACKRECV), 1);
	assert_int_equal(rc_ext(&c, LINUX_MIB_TCPLOSSPROBERECOVERY), 0);
	assert_int_equal(rc_ca_state(&c), TCP_CA_Open);
	assert_int_equal(rc_tp(&c)->snd_ssthresh, TCP_INFINITE_SSTHRESH);
	rc_close(&c);
}

/*
 * The same ten segments as one GSO skb (GSO on the test device, which
 * segments in software, so the wire is the same ten MSS segments): the
 * probe is still only the last MSS, as Linux's tcp_send_loss_probe cuts a
 * multi-segment skb with tcp_fragment before retransmitting it.
 */
static void tlp_probe_cuts_gso_skb_to_last_mss(void **state)
{
	struct rconn c;
	(void)state;

	rack_establish(&c);
	c.w.eth0->features |= NETIF_F_GSO;
	send_ten(&c, 0);
	u32 skbs = skb_queue_len(&c.sk->sk_write_queue);
	assert_true(skbs < 10);
	assert_true(tcp_skb_pcount(skb_peek_tail(&c.sk->sk_write_queue)) > 1);
	tn_test_run(c.w.st, 202);
	rc_expect_data(&c, 9, AP);
	rc_expect_silence(&c);
	assert_int_equal(rc_ext(&c, LINUX_MIB_TCPLOSSPROBES), 1);
	assert_int_equal(rc_tcp(&c, TCP_MIB_RETRANSSEGS), 1);
	assert_int_equal(skb_queue_len(&c.sk->sk_write_queue), skbs + 1);
	assert_int_equal(tcp_skb_pcount(skb_peek_tail(&c.sk->sk_write_queue)), 1);
	assert_int_equal(rc_tp(&c)->packets_out, 10);
	rc_ack(&c, S(&c, 10), NULL, 0, 0);
	assert_int_equal(rc_tp(&c)->packets_out, 0);
	rc_close(&c);
}

/*
 * RFC 8985 7.4.2: S9 was lost and the probe repaired it. The ACK of S10
 * covers the probe; the ACK of the next segment goes beyond it with no
 * D-SACK in between, so there was a loss: one reduction (CWR, then Open):
 * ssthresh from CUBIC of the cwnd of 20 (slow start: 10 + the 10 ACKed),
 * 20 * 717 / 1024 = 14, cwnd = ssthresh (tcp_end_cwnd_reduction),
 * TcpExtTCPLossProbeRecovery. With tcp_early_retrans 0 nothing is sent at
 * the PTO, the RTO does it at 300 ms.
 */
static void tlp_retransmission_repairs_tail_loss(void **state)
{
	struct rconn c;
	(void)state;

	rack_establish(&c);
	send_ten(&c, 0);
	tn_test_run(c.w.st, 202);
	rc_expect_data(&c, 9, AP);
	rc_ack(&c, S(&c, 10), NULL, 0, 0);
	rc_expect_silence(&c);
	assert_int_equal(rc_tp(&c)->snd_cwnd, 20);
	assert_int_equal(rc_tp(&c)->tlp_high_seq, S(&c, 10));
	rc_write(&c, 1);
	rc_expect_data(&c, 10, AP);
	tn_test_run(c.w.st, RTT);
	rc_ack(&c, S(&c, 11), NULL, 0, 0);
	rc_expect_silence(&c);
	assert_int_equal(rc_ext(&c, LINUX_MIB_TCPLOSSPROBERECOVERY), 1);
	assert_int_equal(rc_tp(&c)->tlp_high_seq, 0);
	assert_int_equal(rc_ca_state(&c), TCP_CA_Open);
	assert_int_equal(rc_tp(&c)->snd_ssthresh, 14);
	assert_int_equal(rc_tp(&c)->snd_cwnd, 14);
	rc_close(&c);

	rack_establish(&c);
	assert_int_equal(tsysctl(c.w.net, "net.ipv4.tcp_early_retrans", "0"), 0);
	send_ten(&c, 0);
	assert_int_equal(inet_csk(c.sk)->icsk_pending, ICSK_TIME_RETRANS);
	tn_test_run(c.w.st, 299);
	rc_expect_silence(&c);
	tn_test_run(c.w.st, 1);
	rc_expect_data(&c, 0, A);
	assert_int_equal(rc_ext(&c, LINUX_MIB_TCPLOSSPROBES), 0);
	assert_int_equal(rc_ext(&c, LINUX_MIB_TCPTIMEOUTS), 1);
	rc_close(&c);
}

/*
 * RFC 8985 7.3: with new data waiting and the peer's window open, the probe
 * is the next new segment, sent beyond cwnd (S10 of twelve written, cwnd
 * 10): a probe of new data, not a retransmission (no TcpRetransSegs). Its
 * ACK ends the episode (tlp_high_seq 0) with no reduction.
 */
static void tlp_sends_new_data(void **state)
{
	struct rconn c;
	(void)state;

	rack_establish(&c);
	send_ten(&c, 2);
	tn_test_run(c.w.st, 202);
	rc_expect_data(&c, 10, A);
	rc_expect_silence(&c);
	assert_int_equal(rc_ext(&c, LINUX_MIB_TCPLOSSPROBES), 1);
	assert_int_equal(rc_tcp(&c, TCP_MIB_RETRANSSEGS), 0);
	assert_int_equal(rc_tp(&c)->tlp_high_seq, S(&c, 11));
	assert_int_equal(rc_tp(&c)->tlp_retrans, 0);
	rc_ack(&c, S(&c, 11), NULL, 0, 0);
	assert_int_equal(rc_tp(&c)->tlp_high_seq, 0);
	assert_int_equal(rc_ca_state(&c), TCP_CA_Open);
	assert_int_equal(rc_tp(&c)->snd_ssthresh, TCP_INFINITE_SSTHRESH);
	rc_expect_data(&c, 11, AP);
	rc_close(&c);
}

/*
 * RFC 8985 6.2-6.3: S2 lost. At 100 ms the peer ACKs S2 and SACKs S3: one
 * duplicate, far from three. RACK: S2 was sent before the SACKed S3, and
 * may still be reordered for RACK.rtt + reo_wnd, reo_wnd = min_rtt / 4 =
 * 25 ms (no reordering seen, fewer SACKs than dupthresh): the reordering
 * timer is armed for 25 ms + 2 ms (Linux's TCP_TIMEOUT_MIN_US). At 127 ms
 * (not 126) S2 is lost: Recovery (TcpExtTCPSackRecovery), ssthresh from
 * CUBIC of cwnd 13 (slow start: 10 + the 2 ACKed + the 1 SACKed, Linux
 * counts both as delivered) = 13 * 717 / 1024 = 9, PRR's first step:
 * pipe 6 + 1 = cwnd 7, S2 retransmitted (TcpExtTCPFastRetrans). With tcp_recovery 0
 * (the dupack threshold of RFC 6675) the single SACK proves nothing and
 * 127 ms passes in silence.
 */
static void rack_reo_timeout_retransmits_before_three_dupacks(void **state)
{
	(void)state;

	for (int recovery = 1; recovery >= 0; recovery--) {
		struct rconn c;
		u32 sk[2];

		rack_establish(&c);
		if (!recovery)
			assert_int_equal(tsysctl(c.w.net, "net.ipv4.tcp_recovery", "0"), 0);
		send_ten(&c, 0);
		tn_test_run(c.w.st, RTT);
		sk[0] = S(&c, 3);
		sk[1] = S(&c, 4);
		rc_ack(&c, S(&c, 2), sk, 1, 0);
		rc_expect_silence(&c);
		assert_int_equal(rc_ca_state(&c), TCP_CA_Disorder);
		assert_int_equal(rc_tp(&c)->snd_cwnd, 13);
		tn_test_run(c.w.st, 26);
		rc_expect_silence(&c);
		tn_test_run(c.w.st, 1);
		if (!recovery) {
			rc_expect_silence(&c);
			assert_int_equal(rc_ca_state(&c), TCP_CA_Disorder);
			rc_close(&c);
			continue;
		}
		rc_expect_data(&c, 2, A);
		rc_expect_silence(&c);
		assert_int_equal(rc_ca_state(&c), TCP_CA_Recovery);
		assert_int_equal(rc_tp(&c)->snd_ssthresh, 9);
		assert_int_equal(rc_tp(&c)->snd_cwnd, 7);
		assert_int_equal(rc_tp(&c)->lost_out, 1);
		assert_int_equal(rc_ext(&c, LINUX_MIB_TCPSACKRECOVERY), 1);
		assert_int_equal(rc_ext(&c, LINUX_MIB_TCPFASTRETRANS), 1);
		/* The RTO of the retransmitted head takes the timer back. */
		assert_int_equal(inet_csk(c.sk)->icsk_pending, ICSK_TIME_RETRANS);
		assert_int_equal(timer_in(&c), 300);
		rc_close(&c);
	}
}

/*
 * RFC 8985 6.2: reordering inside the window. S2 is only late: the SACK of
 * S3 at 100 ms arms the reordering timer; S2 arrives at 110 ms, the ACK of
 * S4 fills the hole with a never-retransmitted segment: reordering
 * (TcpExtTCPSACKReorder, tcpi_reord_seen 1), Open again, nothing
 * retransmitted, no recovery.
 */
static void rack_reordering_within_window_no_retransmit(void **state)
{
	struct rconn c;
	u32 sk[2];
	(void)state;

	rack_establish(&c);
	send_ten(&c, 0);
	tn_test_run(c.w.st, RTT);
	sk[0] = S(&c, 3);
	sk[1] = S(&c, 4);
	rc_ack(&c, S(&c, 2), sk, 1, 0);
	tn_test_run(c.w.st, 10);
	rc_ack(&c, S(&c, 4), NULL, 0, 0);
	tn_test_run(c.w.st, 30);
	rc_expect_silence(&c);
	assert_int_equal(rc_ca_state(&c), TCP_CA_Open);
	assert_int_equal(rc_tp(&c)->reord_seen, 1);
	assert_int_equal(rc_ext(&c, LINUX_MIB_TCPSACKREORDER), 1);
	assert_int_equal(rc_ext(&c, LINUX_MIB_TCPSACKRECOVERY), 0);
	assert_int_equal(rc_tcp(&c, TCP_MIB_RETRANSSEGS), 0);
	rc_close(&c);
}

/*
 * RFC 5682 3.1 with Linux's SACK-enhanced F-RTO: the ACKs of ten segments
 * are held up. The probe (S9 at 202 ms) and the RTO 300 ms after it
 * (502 ms: Loss, ssthresh 7, cwnd 1, S0 again) go unanswered; then at
 * 510 ms a delayed ACK of the originals S0 and S1 arrives. S1 was never
 * retransmitted: the timeout was spurious (step 3.b): everything undone
 * (TcpExtTCPLossUndo, TcpExtTCPSpuriousRTOs), Open, cwnd back to 10 and
 * ssthresh to infinity, then slow start on the 2 delivered: 12; nothing
 * is retransmitted. With tcp_frto 0 the same ACK is the conventional RTO
 * recovery's: still Loss, cwnd 1 + 2, and S2 S3 S4 go again.
 */
static void frto_spurious_rto_undone(void **state)
{
	(void)state;

	for (int frto = 2; frto >= 0; frto -= 2) {
		struct rconn c;

		rack_establish(&c);
		if (!frto)
			assert_int_equal(tsysctl(c.w.net, "net.ipv4.tcp_frto", "0"), 0);
		send_ten(&c, 0);
		tn_test_run(c.w.st, 202);
		rc_expect_data(&c, 9, AP);
		tn_test_run(c.w.st, 299);
		rc_expect_silence(&c);
		tn_test_run(c.w.st, 1);
		rc_expect_data(&c, 0, A);
		rc_expect_silence(&c);
		assert_int_equal(rc_ca_state(&c), TCP_CA_Loss);
		assert_int_equal(rc_tp(&c)->snd_cwnd, 1);
		assert_int_equal(rc_tp(&c)->snd_ssthresh, 7);
		assert_int_equal(rc_tp(&c)->frto, !!frto);
		tn_test_run(c.w.st, 8);
		rc_ack(&c, S(&c, 2), NULL, 0, 0);
		if (frto) {
			rc_expect_silence(&c);
			assert_int_equal(rc_ca_state(&c), TCP_CA_Open);
			assert_int_equal(rc_ext(&c, LINUX_MIB_TCPSPURIOUSRTOS), 1);
			assert_int_equal(rc_ext(&c, LINUX_MIB_TCPLOSSUNDO), 1);
			assert_int_equal(rc_tp(&c)->lost_out, 0);
			assert_int_equal(rc_tp(&c)->snd_ssthresh, TCP_INFINITE_SSTHRESH);
			assert_int_equal(rc_tp(&c)->snd_cwnd, 12);
		} else {
			for (u32 i = 2; i <= 4; i++)
				rc_expect_data(&c, i, A);
			rc_expect_silence(&c);
			assert_int_equal(rc_ca_state(&c), TCP_CA_Loss);
			assert_int_equal(rc_ext(&c, LINUX_MIB_TCPSPURIOUSRTOS), 0);
			assert_int_equal(rc_tp(&c)->snd_cwnd, 3);
		}
		rc_close(&c);
	}
}

/* ---- the handshake's RTT on the passive side ------------------------------ */

/* A listener on :80; the peer's SYN offers MSS 1460 only (no SACK, so no
 * probe: the first timer is the RTO). */
static struct socket *passive_open(struct ip_world *w, struct socket **l, u32 *isn,
				   u32 synack_wait_ms, u32 ack_after_ms)
{
	static const u8 mss[4] = { 2, 4, 0x05, 0xb4 };
	struct tseg s = tseg(PEER_PORT, P_ISN, 0, TCPHDR_SYN);
	struct tout o;
	struct socket *c;
	int err;

	ip_world_init(w, false);
	*l = tlisten_on(w->net, SRV_PORT, 8);
	s.opts = mss;
	s.optlen = sizeof(mss);
	inject_tcp(w, &s);
	assert_true(pop_tcp(w, &o));
	assert_int_equal(o.th.flags, TCPHDR_SYN | TCPHDR_ACK);
	*isn = o.th.seq;
	if (synack_wait_ms) {
		tn_test_run(w->st, synack_wait_ms);
		assert_true(pop_tcp(w, &o));
		assert_int_equal(o.th.flags, TCPHDR_SYN | TCPHDR_ACK);
	}
	tn_test_run(w->st, ack_after_ms);
	s = tseg(PEER_PORT, P_ISN + 1, *isn + 1, TCPHDR_ACK);
	inject_tcp(w, &s);
	c = taccept(*l, &err);
	assert_non_null(c);
	assert_int_equal(c->sk->sk_state, TCP_ESTABLISHED);
	return c;
}

/* Data from the accepted socket; it is retransmitted after exactly rto
 * ms. */
static void expect_first_rto(struct ip_world *w, struct socket *c, u32 isn, u32 rto)
{
	struct iovec iov = { .iov_base = (void *)"hello", .iov_len = 5 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct tout o;

	assert_int_equal(c->ops->sendmsg(c, &msg, 5, MSG_DONTWAIT), 5);
	assert_true(pop_tcp(w, &o));
	assert_int_equal(o.th.seq, isn + 1);
	tn_test_run(w->st, rto - 1);
	assert_false(pop_tcp(w, &o));
	tn_test_run(w->st, 1);
	assert_true(pop_tcp(w, &o));
	assert_int_equal(o.th.seq, isn + 1);
	assert_int_equal(o.tcp_len - o.th.doff, 5);
}

static void passive_close(struct ip_world *w, struct socket *c, struct socket *l)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };

	sock_setsockopt(c->sk, SO_LINGER, &lg, sizeof(lg));
	sock_release(c);
	sock_release(l);
	tn_test_run(w->st, 0);
	testdev_clear_tx(w->eth0);
	ip_world_free(w);
}

/*
 * Linux's tcp_synack_rtt_meas: the ACK of our SYN-ACK 100 ms after it was
 * sent is an RTT sample (without timestamps too): SRTT 100 ms, min_rtt
 * 100 ms (TCP_INFO), and the first RTO of the accepted connection is 300
 * ms (RFC 6298 2.2), not the 1 s initial RTO.
 */
static void syn_recv_ack_after_100ms_rtt_sample(void **state)
{
	struct ip_world w;
	struct socket *c, *l;
	struct tn_tcp_info info;
	socklen_t len = sizeof(info);
	u32 isn;
	(void)state;

	c = passive_open(&w, &l, &isn, 0, RTT);
	assert_int_equal(tcp_sk(c->sk)->srtt_us >> 3, RTT * 1000);
	assert_int_equal(inet_csk(c->sk)->icsk_rto, 300);
	assert_int_equal(c->ops->getsockopt(c, SOL_TCP, TCP_INFO, (char *)&info, &len), 0);
	assert_int_equal(info.tcpi_rtt, RTT * 1000);
	assert_int_equal(info.tcpi_min_rtt, RTT * 1000);
	assert_int_equal(info.tcpi_rto, 300000);
	expect_first_rto(&w, c, isn, 300);
	passive_close(&w, c, l);
}

/*
 * RFC 6298 5.7 as Linux's tcp_init_metrics: the SYN-ACK had to be sent
 * again (at 1 s), so its ACK is ambiguous (Karn) and, without timestamps,
 * there is no RTT sample: the RTO falls back to 3 s.
 */
static void syn_recv_synack_retransmitted_rto_3s(void **state)
{
	struct ip_world w;
	struct socket *c, *l;
	u32 isn;
	(void)state;

	c = passive_open(&w, &l, &isn, 1000, RTT);
	assert_int_equal(tcp_sk(c->sk)->srtt_us, 0);
	assert_int_equal(inet_csk(c->sk)->icsk_rto, 3000);
	expect_first_rto(&w, c, isn, 3000);
	passive_close(&w, c, l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tlp_probe_last_segment_then_dsack_no_loss),
		cmocka_unit_test(tlp_probe_cuts_gso_skb_to_last_mss),
		cmocka_unit_test(tlp_retransmission_repairs_tail_loss),
		cmocka_unit_test(tlp_sends_new_data),
		cmocka_unit_test(rack_reo_timeout_retransmits_before_three_dupacks),
		cmocka_unit_test(rack_reordering_within_window_no_retransmit),
		cmocka_unit_test(frto_spurious_rto_undone),
		cmocka_unit_test(syn_recv_ack_after_100ms_rtt_sample),
		cmocka_unit_test(syn_recv_synack_retransmitted_rto_3s),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
