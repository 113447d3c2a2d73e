/*
 * SACK, byte-exact, both ends of it: the sender's scoreboard (RFC 2018
 * blocks, RFC 6675 IsLost and NextSeg, RFC 2883 D-SACK and Linux's undo of
 * a reduction it proves spurious, reneging) and the receiver's blocks (most
 * recent first, D-SACK first). The test is the peer (tn_tcprec.h); Linux
 * 6.x with net.ipv4.tcp_recovery 0 (no RACK: losses from the dupack
 * threshold) is the reference, set on each connection (sack_establish):
 * these worlds have a zero RTT, where RACK's reordering window is 0 and
 * the first SACK would already prove a loss. RACK, the tail loss probe and
 * F-RTO are test_tcp_rack.c's. Connections negotiate SACK
 * without timestamps, so four blocks fit and every segment is 20 bytes of
 * header plus the SACK option. Recovery without SACK is test_tcp_recovery.c.
 */
#include "tn_tcprec.h"

#define A TCPHDR_ACK
#define AP (TCPHDR_ACK | TCPHDR_PSH)

/* A SACK connection with RACK off (net.ipv4.tcp_recovery 0). */
static void sack_establish(struct rconn *c)
{
	rc_establish(c, OPT_SACK, NULL);
	c->w.net->ipv4.tcp->sysctl_tcp_recovery = 0;
}

static void send_ten(struct rconn *c, u32 extra)
{
	rc_write(c, 10 + extra);
	for (u32 i = 0; i < 10; i++)
		rc_expect_data(c, i, i == 9 + extra ? AP : A);
	rc_expect_silence(c);
}

/* A dupack (ACK of S0) SACKing segments [a, b) and, when c2 < d2, [c2, d2). */
static void sack_ack(struct rconn *c, u32 ack, u32 a, u32 b, u32 c2, u32 d2)
{
	u32 sk[4] = { S(c, a), S(c, b), S(c, c2), S(c, d2) };

	rc_ack(c, S(c, ack), sk, c2 < d2 ? 2 : 1, 0);
}

/*
 * RFC 6675 5 with RFC 5681 3.2 (Linux tcp_fastretrans_alert, SACK on): S0
 * and S2 lost. The SACKs of S1, then S3, then S4: the third duplicate ACK
 * enters Recovery (TcpExtTCPSackRecovery), S0 is lost (DupThresh: the
 * head is marked when sacked_out reaches reordering) and goes at once
 * (TcpExtTCPFastRetrans); S2, with two SACKed segments above, is not yet
 * (RFC 6675 IsLost wants DupThresh). ssthresh 7 (CUBIC), cwnd 7 (PRR: pipe
 * 6, + 1). The SACK of S5 puts three SACKed segments above S2: lost, and
 * retransmitted on that ACK (PRR: pipe 5 < ssthresh, one more).
 */
static void established_three_dupacks_fast_retransmit_sack(void **state)
{
	struct rconn c;
	(void)state;

	sack_establish(&c);
	send_ten(&c, 0);
	sack_ack(&c, 0, 1, 2, 0, 0);
	assert_int_equal(rc_ca_state(&c), TCP_CA_Disorder);
	assert_int_equal(rc_tp(&c)->sacked_out, 1);
	sack_ack(&c, 0, 3, 4, 1, 2);
	rc_expect_silence(&c);
	sack_ack(&c, 0, 3, 5, 1, 2);
	rc_expect_data(&c, 0, A);
	rc_expect_silence(&c);
	assert_int_equal(rc_ca_state(&c), TCP_CA_Recovery);
	assert_int_equal(rc_tp(&c)->sacked_out, 3);
	assert_int_equal(rc_tp(&c)->lost_out, 1);
	assert_int_equal(rc_tp(&c)->snd_ssthresh, 7);
	assert_int_equal(rc_tp(&c)->snd_cwnd, 7);
	assert_int_equal(rc_ext(&c, LINUX_MIB_TCPSACKRECOVERY), 1);
	assert_int_equal(rc_ext(&c, LINUX_MIB_TCPRENORECOVERY), 0);
	assert_int_equal(rc_ext(&c, LINUX_MIB_TCPFASTRETRANS), 1);

	sack_ack(&c, 0, 3, 6, 1, 2);
	rc_expect_data(&c, 2, A);
	rc_expect_silence(&c);
	assert_int_equal(rc_tp(&c)->lost_out, 2);
	assert_int_equal(rc_tp(&c)->retrans_out, 2);
	assert_int_equal(rc_tp(&c)->snd_cwnd, 6);
	assert_int_equal(rc_ext(&c, LINUX_MIB_TCPFASTRETRANS), 2);
	assert_int_equal(rc_ext(&c, LINUX_MIB_TCPSACKREORDER), 0);
	rc_close(&c);
}

/*
 * RFC 6675 NextSeg: S0, S2 and S4 lost, one ACK SACKs S1, S3 and S5..S9
 * (blocks most recent first, as a receiver sends them). Seven SACKed:
 * every hole has DupThresh SACKed above it, so all three are lost (pipe
 * 0). PRR allows ssthresh (7): rule 1 first, the lost holes in sequence
 * order S0 S2 S4, then rule 2, new data S10..S13 up to cwnd. Not
 * reordering (blocks are walked in sequence order, as Linux sorts them).
 */
static void recovery_sack_nextseg_order(void **state)
{
	struct rconn c;
	u32 sk[6];
	(void)state;

	sack_establish(&c);
	send_ten(&c, 4);
	sk[0] = S(&c, 5), sk[1] = S(&c, 10);
	sk[2] = S(&c, 3), sk[3] = S(&c, 4);
	sk[4] = S(&c, 1), sk[5] = S(&c, 2);
	rc_ack(&c, S(&c, 0), sk, 3, 0);
	rc_expect_data(&c, 0, A);
	rc_expect_data(&c, 2, A);
	rc_expect_data(&c, 4, A);
	rc_expect_data(&c, 10, A);
	rc_expect_data(&c, 11, A);
	rc_expect_data(&c, 12, A);
	rc_expect_data(&c, 13, AP);
	rc_expect_silence(&c);
	assert_int_equal(rc_ca_state(&c), TCP_CA_Recovery);
	assert_int_equal(rc_tp(&c)->snd_ssthresh, 7);
	assert_int_equal(rc_tp(&c)->snd_cwnd, 7);
	assert_int_equal(rc_tp(&c)->sacked_out, 7);
	assert_int_equal(rc_tp(&c)->lost_out, 3);
	assert_int_equal(rc_tp(&c)->reordering, 3);
	assert_int_equal(rc_ext(&c, LINUX_MIB_TCPFASTRETRANS), 3);
	assert_int_equal(rc_ext(&c, LINUX_MIB_TCPSACKREORDER), 0);
	rc_close(&c);
}

/*
 * RFC 2883 (Linux tcp_try_undo_dsack): S0 was only delayed. Three SACKs:
 * Recovery, S0 again, ssthresh 7. The original arrives: the full ACK of
 * S10 ends Recovery (SACK: Open at once, cwnd = ssthresh 7, then 8 by
 * CUBIC on that ACK). Then the
 * retransmission arrives and the peer reports it with a D-SACK [S0, S1)
 * below the cumulative ACK (TcpExtTCPDSACKRecv): every retransmission of
 * the episode was a duplicate (undo_retrans 0), so the reduction is undone:
 * cwnd 10 (CUBIC's max(cwnd, loss_cwnd)), ssthresh back to infinite,
 * TcpExtTCPDSACKUndo.
 */
static void recovery_dsack_undo(void **state)
{
	struct rconn c;
	u32 ds[2];
	(void)state;

	sack_establish(&c);
	send_ten(&c, 0);
	sack_ack(&c, 0, 1, 2, 0, 0);
	sack_ack(&c, 0, 1, 3, 0, 0);
	sack_ack(&c, 0, 1, 4, 0, 0);
	rc_expect_data(&c, 0, A);
	rc_expect_silence(&c);
	assert_int_equal(rc_tp(&c)->snd_ssthresh, 7);

	/* tcp_end_cwnd_reduction sets cwnd to ssthresh (7); CUBIC's
	 * congestion avoidance on the same ACK (7 segments delivered, one
	 * delay_min into a new epoch toward W_max 10: cnt 7) adds one. */
	rc_ack(&c, S(&c, 10), NULL, 0, 0);
	rc_expect_silence(&c);
	assert_int_equal(rc_ca_state(&c), TCP_CA_Open);
	assert_int_equal(rc_tp(&c)->snd_ssthresh, 7);
	assert_int_equal(rc_tp(&c)->snd_cwnd, 8);
	assert_int_equal(rc_ext(&c, LINUX_MIB_TCPFULLUNDO), 0);

	ds[0] = S(&c, 0);
	ds[1] = S(&c, 1);
	rc_ack(&c, S(&c, 10), ds, 1, 0);
	rc_expect_silence(&c);
	assert_int_equal(rc_ext(&c, LINUX_MIB_TCPDSACKRECV), 1);
	assert_int_equal(rc_ext(&c, LINUX_MIB_TCPDSACKUNDO), 1);
	assert_int_equal(rc_tp(&c)->snd_cwnd, 10);
	assert_int_equal(rc_tp(&c)->snd_ssthresh, TCP_INFINITE_SSTHRESH);
	assert_int_equal(rc_tp(&c)->dsack_dups, 1);
	assert_int_equal(rc_ca_state(&c), TCP_CA_Open);
	rc_close(&c);
}

/*
 * RFC 2018 8 / Linux tcp_check_sack_reneging: S1 and S2 were SACKed, then
 * the cumulative ACK moves to S1 and stops there: the receiver dropped
 * what it SACKed. Linux waits max(SRTT/2, 10 ms) for the ACK that would
 * cover them, then handles it as a retransmission timeout: the SACK marks
 * are cleared (TcpExtTCPSACKReneging), everything is lost, cwnd 1, S1 again.
 */
static void sack_reneging(void **state)
{
	struct rconn c;
	(void)state;

	sack_establish(&c);
	send_ten(&c, 0);
	sack_ack(&c, 0, 1, 3, 0, 0);
	assert_int_equal(rc_tp(&c)->sacked_out, 2);
	rc_ack(&c, S(&c, 1), NULL, 0, 0);
	rc_expect_silence(&c);
	tn_test_run(c.w.st, 9);
	rc_expect_silence(&c);
	tn_test_run(c.w.st, 1);
	rc_expect_data(&c, 1, A);
	rc_expect_silence(&c);
	assert_int_equal(rc_ext(&c, LINUX_MIB_TCPSACKRENEGING), 1);
	assert_int_equal(rc_ext(&c, LINUX_MIB_TCPTIMEOUTS), 1);
	assert_int_equal(rc_ca_state(&c), TCP_CA_Loss);
	assert_int_equal(rc_tp(&c)->sacked_out, 0);
	assert_int_equal(rc_tp(&c)->lost_out, 9);
	assert_int_equal(rc_tp(&c)->snd_cwnd, 1);
	rc_close(&c);
}

/* ---- the receiver --------------------------------------------------------- */

static u32 D(u32 i) { return P_ISN + 1 + 100 * i; }

static void peer_seg(struct rconn *c, u32 i)
{
	rc_peer(c, TCPHDR_ACK, D(i), c->iss + 1, NULL, 0, 0, c->data + 100 * i, 100);
}

/* Our ACK: ack, then nop nop SACK with the blocks (segment index pairs). */
static void expect_sack_ack(struct rconn *c, u32 ack, const u32 *blk, int n)
{
	struct tout o;

	assert_true(pop_tcp(&c->w, &o));
	assert_int_equal(o.th.flags, TCPHDR_ACK);
	assert_int_equal(o.th.seq, c->iss + 1);
	assert_int_equal(o.th.ack_seq, D(ack));
	assert_int_equal(o.th.doff, 20 + (n ? 4 + 8 * n : 0));
	if (!n)
		return;
	assert_int_equal(o.tcp[20], 1);
	assert_int_equal(o.tcp[21], 1);
	assert_int_equal(o.tcp[22], 5);
	assert_int_equal(o.tcp[23], 2 + 8 * n);
	for (int i = 0; i < n; i++) {
		assert_int_equal(get_be32(o.tcp + 24 + 8 * i), D(blk[2 * i]));
		assert_int_equal(get_be32(o.tcp + 28 + 8 * i), D(blk[2 * i + 1]));
	}
}

/*
 * RFC 2018 4 and RFC 2883 4, as Linux sends them: each out-of-order
 * segment is ACKed at once with its block first and the older blocks after
 * it (D1, D3, D5, D7: four blocks, the most that fit). D0 fills the first
 * hole: the ACK moves to D2 and the block below it goes, the others keep
 * their order. D0 again: a D-SACK for it first (TcpExtTCPDSACKOldSent,
 * TcpExtDelayedACKLost), then the SACK blocks; the next ACK has no D-SACK.
 * D2, D4, D6 fill the rest; the last ACK carries no SACK.
 */
static void ooo_then_fill_cumulative_ack_and_dsack(void **state)
{
	struct rconn c;
	(void)state;

	sack_establish(&c);
	peer_seg(&c, 1);
	expect_sack_ack(&c, 0, (const u32[]){ 1, 2 }, 1);
	peer_seg(&c, 3);
	expect_sack_ack(&c, 0, (const u32[]){ 3, 4, 1, 2 }, 2);
	peer_seg(&c, 5);
	expect_sack_ack(&c, 0, (const u32[]){ 5, 6, 3, 4, 1, 2 }, 3);
	peer_seg(&c, 7);
	expect_sack_ack(&c, 0, (const u32[]){ 7, 8, 5, 6, 3, 4, 1, 2 }, 4);
	rc_expect_silence(&c);
	assert_int_equal(rc_ext(&c, LINUX_MIB_TCPOFOQUEUE), 4);

	peer_seg(&c, 0);
	expect_sack_ack(&c, 2, (const u32[]){ 7, 8, 5, 6, 3, 4 }, 3);
	rc_expect_silence(&c);

	peer_seg(&c, 0);
	expect_sack_ack(&c, 2, (const u32[]){ 0, 1, 7, 8, 5, 6, 3, 4 }, 4);
	rc_expect_silence(&c);
	assert_int_equal(rc_ext(&c, LINUX_MIB_TCPDSACKOLDSENT), 1);
	assert_int_equal(rc_ext(&c, LINUX_MIB_DELAYEDACKLOST), 1);

	peer_seg(&c, 2);
	expect_sack_ack(&c, 4, (const u32[]){ 7, 8, 5, 6 }, 2);
	peer_seg(&c, 4);
	expect_sack_ack(&c, 6, (const u32[]){ 7, 8 }, 1);
	peer_seg(&c, 6);
	expect_sack_ack(&c, 8, NULL, 0);
	rc_expect_silence(&c);
	assert_int_equal(rc_tp(&c)->rcv_nxt, D(8));
	rc_close(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(established_three_dupacks_fast_retransmit_sack),
		cmocka_unit_test(recovery_sack_nextseg_order),
		cmocka_unit_test(recovery_dsack_undo),
		cmocka_unit_test(sack_reneging),
		cmocka_unit_test(ooo_then_fill_cumulative_ack_and_dsack),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
