/*
 * Loss recovery on the sender, byte-exact: fast retransmit on the third
 * duplicate ACK (RFC 5681 3.2), limited transmit (RFC 3042), NewReno partial
 * ACKs (RFC 6582), the Eifel timestamp undo (RFC 3522), the retransmission
 * timeout and the slow start through what it marked lost (RFC 6298 5.4-5.7,
 * RFC 5681 3.1), and the FIN-WAIT-1 FIN+ACK shortcut into TIME-WAIT. The test
 * is the peer (tn_tcprec.h); Linux 6.x with its defaults is the reference.
 * Without SACK neither RACK nor the tail loss probe applies (both need
 * SACK), and F-RTO does what conventional recovery does when there is
 * nothing new to send. SACK scoreboard tests are in test_tcp_sack.c, RACK,
 * TLP and F-RTO in test_tcp_rack.c.
 *
 * Every connection starts with IW 10 and a handshake measured at 0 ms (RTO
 * 200 ms); CUBIC unless the test asks for Reno.
 */
#include "tn_tcprec.h"

#define A TCPHDR_ACK
#define AP (TCPHDR_ACK | TCPHDR_PSH)

/* Ten segments out at once (IW 10); the last one of the write is pushed. */
static void send_ten(struct rconn *c, u32 extra)
{
	rc_write(c, 10 + extra);
	for (u32 i = 0; i < 10; i++)
		rc_expect_data(c, i, i == 9 + extra ? AP : A);
	rc_expect_silence(c);
}

/*
 * RFC 5681 3.2, without SACK: the first two duplicate ACKs change nothing
 * (no new data to send here), the third retransmits the first unacknowledged
 * segment at once and enters Recovery (TcpExtTCPRenoRecovery,
 * TcpExtTCPFastRetrans). ssthresh from the congestion control of the cwnd of
 * 10: CUBIC's beta 717/1024 gives 7, Reno's max(cwnd/2, 2) gives 5. cwnd is
 * PRR's (RFC 6937): pipe 10 - 3 dupacks - 1 lost = 6, so 7 for both.
 */
static void established_three_dupacks_fast_retransmit(void **state)
{
	static const char *const ccs[] = { NULL, "reno" };
	(void)state;

	for (int k = 0; k < 2; k++) {
		struct rconn c;

		rc_establish(&c, 0, ccs[k]);
		send_ten(&c, 0);
		rc_ack(&c, S(&c, 0), NULL, 0, 0);
		rc_ack(&c, S(&c, 0), NULL, 0, 0);
		rc_expect_silence(&c);
		assert_int_equal(rc_ca_state(&c), TCP_CA_Disorder);
		assert_int_equal(rc_tp(&c)->snd_cwnd, 10);
		rc_ack(&c, S(&c, 0), NULL, 0, 0);
		rc_expect_data(&c, 0, A);
		rc_expect_silence(&c);
		assert_int_equal(rc_ca_state(&c), TCP_CA_Recovery);
		assert_int_equal(rc_tp(&c)->snd_ssthresh, k ? 5 : 7);
		assert_int_equal(rc_tp(&c)->snd_cwnd, 7);
		assert_int_equal(rc_tp(&c)->high_seq, S(&c, 10));
		assert_int_equal(rc_ext(&c, LINUX_MIB_TCPRENORECOVERY), 1);
		assert_int_equal(rc_ext(&c, LINUX_MIB_TCPSACKRECOVERY), 0);
		assert_int_equal(rc_ext(&c, LINUX_MIB_TCPFASTRETRANS), 1);
		assert_int_equal(rc_tcp(&c, TCP_MIB_RETRANSSEGS), 1);
		assert_int_equal(rc_ext(&c, LINUX_MIB_TCPLOSSPROBES), 0);
		rc_close(&c);
	}
}

/*
 * RFC 3042: the first and second duplicate ACKs each send one new segment,
 * cwnd unchanged (Linux: each dupack counts one segment as delivered, so
 * pipe drops below cwnd); the third is the fast retransmit. ssthresh 7
 * (CUBIC of cwnd 10, the limited-transmit segments not counted, RFC 5681
 * 3.2 step 2); PRR: pipe 12 - 3 - 1 = 8 > ssthresh, so cwnd = pipe +
 * ceil(7 * 1 / 10) = 9.
 */
static void limited_transmit_two_new_segments(void **state)
{
	struct rconn c;
	(void)state;

	rc_establish(&c, 0, NULL);
	send_ten(&c, 4);
	rc_ack(&c, S(&c, 0), NULL, 0, 0);
	rc_expect_data(&c, 10, A);
	rc_expect_silence(&c);
	assert_int_equal(rc_tp(&c)->snd_cwnd, 10);
	rc_ack(&c, S(&c, 0), NULL, 0, 0);
	rc_expect_data(&c, 11, A);
	rc_expect_silence(&c);
	assert_int_equal(rc_tp(&c)->snd_cwnd, 10);
	rc_ack(&c, S(&c, 0), NULL, 0, 0);
	rc_expect_data(&c, 0, A);
	rc_expect_silence(&c);
	assert_int_equal(rc_ca_state(&c), TCP_CA_Recovery);
	assert_int_equal(rc_tp(&c)->snd_ssthresh, 7);
	assert_int_equal(rc_tp(&c)->snd_cwnd, 9);
	assert_int_equal(rc_tp(&c)->high_seq, S(&c, 12));
	rc_close(&c);
}

/*
 * RFC 6582 3.2: S0 and S5 lost. Three dupacks: S0 again. Five more dupacks
 * (S4, S6..S9 arrived): nothing (the retransmission fills pipe). The ACK of
 * S5 is partial (below high_seq S10): S5 goes at once, still Recovery. The
 * full ACK of S10: Linux holds Recovery while snd_una == high_seq without
 * SACK (RFC 6582 4, "hold old state until something above high_seq is
 * ACKed"); the ACK of one more segment sent after it exits with
 * cwnd = ssthresh (RFC 6582 3.2 step 3, full acknowledgment).
 */
static void recovery_partial_ack_newreno(void **state)
{
	struct rconn c;
	(void)state;

	rc_establish(&c, 0, NULL);
	send_ten(&c, 0);
	for (int i = 0; i < 3; i++)
		rc_ack(&c, S(&c, 0), NULL, 0, 0);
	rc_expect_data(&c, 0, A);
	rc_expect_silence(&c);
	for (int i = 0; i < 5; i++)
		rc_ack(&c, S(&c, 0), NULL, 0, 0);
	rc_expect_silence(&c);
	assert_int_equal(rc_ca_state(&c), TCP_CA_Recovery);

	rc_ack(&c, S(&c, 5), NULL, 0, 0);
	rc_expect_data(&c, 5, A);
	rc_expect_silence(&c);
	assert_int_equal(rc_ca_state(&c), TCP_CA_Recovery);
	assert_int_equal(rc_tp(&c)->snd_una, S(&c, 5));
	assert_int_equal(rc_ext(&c, LINUX_MIB_TCPFASTRETRANS), 2);
	assert_int_equal(rc_ext(&c, LINUX_MIB_TCPRENORECOVERY), 1);

	rc_ack(&c, S(&c, 10), NULL, 0, 0);
	rc_expect_silence(&c);
	assert_int_equal(rc_ca_state(&c), TCP_CA_Recovery);
	rc_write(&c, 1);
	rc_expect_data(&c, 10, AP);
	rc_ack(&c, S(&c, 11), NULL, 0, 0);
	assert_int_equal(rc_ca_state(&c), TCP_CA_Open);
	assert_int_equal(rc_tp(&c)->snd_cwnd, rc_tp(&c)->snd_ssthresh);
	assert_int_equal(rc_tp(&c)->snd_ssthresh, 7);
	assert_int_equal(rc_ext(&c, LINUX_MIB_TCPFULLUNDO), 0);
	rc_close(&c);
}

/*
 * RFC 3522 (Eifel) as Linux's tcp_packet_delayed: SACK and timestamps on,
 * four segments sent at 0 ms. SACK is on, so Linux's tail loss probe goes
 * first: PTO = 2 SRTT (0 after the 0 ms handshake) + 2 ms, S3 again at
 * 2 ms (TcpExtTCPLossProbes). Three SACKs at 10 ms: RACK's reordering
 * window (min_rtt/4 = 250 us) holds S0 for the first two; the third
 * brings sacked_out to dupthresh, reo_wnd 0: S0 is lost, Recovery, S0
 * retransmitted with TSval + 10. The original S0 was only delayed: the
 * full ACK echoes the TSval of 0 ms, older than the retransmission, so the
 * reduction was spurious: cwnd 10 and ssthresh back (CUBIC's undo_cwnd:
 * max(cwnd, loss_cwnd)), TcpExtTCPFullUndo, Open.
 */
static void recovery_timestamp_undo(void **state)
{
	struct rconn c;
	u32 ts_sent, sack[2];
	(void)state;

	rc_establish(&c, OPT_SACK | OPT_TS, NULL);
	rc_write(&c, 4);
	ts_sent = rc_tsval(&c);
	for (u32 i = 0; i < 4; i++)
		rc_expect_data(&c, i, i == 3 ? AP : A);
	tn_test_run(c.w.st, 1);
	rc_expect_silence(&c);
	tn_test_run(c.w.st, 1);
	rc_expect_data(&c, 3, AP);
	rc_expect_silence(&c);
	assert_int_equal(rc_ext(&c, LINUX_MIB_TCPLOSSPROBES), 1);
	tn_test_run(c.w.st, 8);
	for (u32 i = 1; i <= 3; i++) {
		sack[0] = S(&c, 1);
		sack[1] = S(&c, i + 1);
		c.p_tsval++;
		rc_ack(&c, S(&c, 0), sack, 1, ts_sent);
		if (i < 3) {
			rc_expect_silence(&c);
			assert_int_equal(rc_ca_state(&c), TCP_CA_Disorder);
		}
	}
	rc_expect_data(&c, 0, A);
	rc_expect_silence(&c);
	assert_int_equal(rc_ca_state(&c), TCP_CA_Recovery);
	assert_int_equal(rc_tp(&c)->snd_ssthresh, 7);
	assert_int_equal(rc_ext(&c, LINUX_MIB_TCPSACKRECOVERY), 1);

	tn_test_run(c.w.st, 5);
	c.p_tsval++;
	rc_ack(&c, S(&c, 4), NULL, 0, ts_sent);
	rc_expect_silence(&c);
	assert_int_equal(rc_ext(&c, LINUX_MIB_TCPFULLUNDO), 1);
	assert_int_equal(rc_ca_state(&c), TCP_CA_Open);
	assert_int_equal(rc_tp(&c)->snd_cwnd, 10);
	assert_int_equal(rc_tp(&c)->snd_ssthresh, TCP_INFINITE_SSTHRESH);
	rc_close(&c);
}

/*
 * RFC 6298 5.4-5.7 with RFC 5681 3.1: nothing ACKed, the timer fires at
 * 200 ms (not at 199): Loss, ssthresh 7 (CUBIC), cwnd 1 (Linux's loss
 * window: pipe 0 + 1), S0 again (TcpExtTCPTimeouts, TcpRetransSegs). Each
 * ACK then slow-starts through the segments marked lost, lowest first
 * (TcpExtTCPSlowStartRetrans): ACK S1 -> cwnd 2: S1 S2; ACK S3 -> 4:
 * S3..S6; ACK S7 -> 7 (ssthresh): S7..S9; ACK S10 (= high_seq) keeps
 * Loss without SACK, the ACK of one new segment opens. No tail loss
 * probe: Linux probes only with SACK (TcpExtTCPLossProbes 0). F-RTO
 * (Linux's tcp_frto 2) has no new data to try here, so Linux recovers
 * conventionally too.
 */
static void rto_then_loss_state_retransmits_all(void **state)
{
	struct rconn c;
	(void)state;

	rc_establish(&c, 0, NULL);
	send_ten(&c, 0);
	tn_test_run(c.w.st, 199);
	rc_expect_silence(&c);
	tn_test_run(c.w.st, 1);
	rc_expect_data(&c, 0, A);
	rc_expect_silence(&c);
	assert_int_equal(rc_ca_state(&c), TCP_CA_Loss);
	assert_int_equal(rc_tp(&c)->snd_cwnd, 1);
	assert_int_equal(rc_tp(&c)->snd_ssthresh, 7);
	assert_int_equal(rc_ext(&c, LINUX_MIB_TCPTIMEOUTS), 1);
	assert_int_equal(rc_tcp(&c, TCP_MIB_RETRANSSEGS), 1);

	rc_ack(&c, S(&c, 1), NULL, 0, 0);
	rc_expect_data(&c, 1, A);
	rc_expect_data(&c, 2, A);
	rc_expect_silence(&c);
	assert_int_equal(rc_tp(&c)->snd_cwnd, 2);
	rc_ack(&c, S(&c, 3), NULL, 0, 0);
	for (u32 i = 3; i <= 6; i++)
		rc_expect_data(&c, i, A);
	rc_expect_silence(&c);
	assert_int_equal(rc_tp(&c)->snd_cwnd, 4);
	rc_ack(&c, S(&c, 7), NULL, 0, 0);
	rc_expect_data(&c, 7, A);
	rc_expect_data(&c, 8, A);
	rc_expect_data(&c, 9, AP);
	rc_expect_silence(&c);
	assert_int_equal(rc_tp(&c)->snd_cwnd, 7);
	assert_int_equal(rc_ca_state(&c), TCP_CA_Loss);
	/* Without SACK, Linux holds the state while snd_una == high_seq
	 * (tcp_try_undo_recovery, RFC 6582 4); the next ACK above it opens. */
	rc_ack(&c, S(&c, 10), NULL, 0, 0);
	rc_expect_silence(&c);
	assert_int_equal(rc_ca_state(&c), TCP_CA_Loss);
	rc_write(&c, 1);
	rc_expect_data(&c, 10, AP);
	rc_ack(&c, S(&c, 11), NULL, 0, 0);
	rc_expect_silence(&c);
	assert_int_equal(rc_ca_state(&c), TCP_CA_Open);
	assert_int_equal(rc_ext(&c, LINUX_MIB_TCPSLOWSTARTRETRANS), 9);
	assert_int_equal(rc_tcp(&c, TCP_MIB_RETRANSSEGS), 10);
	assert_int_equal(rc_ext(&c, LINUX_MIB_TCPTIMEOUTS), 1);
	assert_int_equal(rc_ext(&c, LINUX_MIB_TCPLOSSPROBES), 0);
	assert_int_equal(rc_ext(&c, LINUX_MIB_TCPLOSSUNDO), 0);
	rc_close(&c);
}

/*
 * RFC 9293 3.10.7.4 (FIN-WAIT-1, then FIN-WAIT-2's FIN processing): the
 * peer ACKs our FIN and sends its own in one segment. Linux moves to
 * FIN-WAIT-2 on the ACK and, on the FIN, ACKs it at once
 * (<SEQ=ISS+2><ACK=PISN+2>) and becomes a TIME-WAIT sock (TcpExtTW after
 * its 60 s).
 */
static void fin_wait1_fin_ack_time_wait(void **state)
{
	struct rconn c;
	struct tout o;
	(void)state;

	rc_establish(&c, 0, NULL);
	sock_hold(c.sk);
	sock_release(c.sock);
	c.sock = NULL;
	tn_test_run(c.w.st, 0);
	assert_true(pop_tcp(&c.w, &o));
	assert_int_equal(o.th.flags, TCPHDR_FIN | TCPHDR_ACK);
	assert_int_equal(o.th.seq, c.iss + 1);
	assert_int_equal(o.th.ack_seq, P_ISN + 1);
	assert_int_equal(o.th.window, c.win);
	assert_int_equal(o.th.doff, 20);
	assert_int_equal(c.sk->sk_state, TCP_FIN_WAIT1);

	rc_peer(&c, TCPHDR_FIN | TCPHDR_ACK, P_ISN + 1, c.iss + 2, NULL, 0, 0, NULL, 0);
	assert_true(pop_tcp(&c.w, &o));
	assert_int_equal(o.th.flags, TCPHDR_ACK);
	assert_int_equal(o.th.seq, c.iss + 2);
	assert_int_equal(o.th.ack_seq, P_ISN + 2);
	assert_int_equal(o.th.doff, 20);
	rc_expect_silence(&c);
	assert_int_equal(c.w.net->ipv4.tcp->tw_count, 1);
	assert_int_equal(c.sk->sk_state, TCP_CLOSE);
	sock_put(c.sk);
	tn_test_run(c.w.st, TCP_TIMEWAIT_LEN);
	assert_int_equal(c.w.net->ipv4.tcp->tw_count, 0);
	assert_int_equal(rc_ext(&c, LINUX_MIB_TIMEWAITED), 1);
	rc_close(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(established_three_dupacks_fast_retransmit),
		cmocka_unit_test(limited_transmit_two_new_segments),
		cmocka_unit_test(recovery_partial_ack_newreno),
		cmocka_unit_test(recovery_timestamp_undo),
		cmocka_unit_test(rto_then_loss_state_retransmits_all),
		cmocka_unit_test(fin_wait1_fin_ack_time_wait),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
