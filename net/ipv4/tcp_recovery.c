/*
 * TCP loss recovery, the sender's half of what an ACK says about losses:
 * the SACK scoreboard (RFC 2018 blocks tagged onto the retransmit queue,
 * D-SACK detection per RFC 2883, reneging), the classic dupack threshold and
 * RFC 6675 SACK-based recovery (lost segments marked on the scoreboard, so
 * NextSeg is the first LOST and not yet retransmitted skb and pipe is
 * tcp_packets_in_flight), NewReno partial ACKs (RFC 6582) when the peer does
 * not SACK, Proportional Rate Reduction (RFC 6937) while in Recovery, RTO
 * recovery (TCP_CA_Loss) with F-RTO (RFC 5682), the undo of a reduction
 * proved spurious by D-SACKs or timestamps (Eifel, RFC 3522), RACK loss
 * detection by time (RFC 8985 6, Linux's tcp_recovery.c, on with
 * net.ipv4.tcp_recovery 1, the default; 0 falls back to the dupack
 * threshold) and the end of a tail loss probe episode (RFC 8985 7.4), all
 * in the shape of Linux's tcp_input.c and tcp_recovery.c.
 *
 * It is not the transmit side: tcp_xmit_retransmit_queue() (tcp_output.c)
 * sends what is marked lost, within cwnd, counting prr_out. Nor is it
 * congestion avoidance: icsk_ca_ops (tcp_cong.c) owns cwnd growth and the
 * ssthresh after a loss. Everything runs under the stack lock, from
 * tcp_ack() and from the retransmit timer (the reordering timeout).
 *
 * A SACK block that covers part of a multi-segment (GSO) skb cuts it at a
 * segment boundary, as Linux's tcp_match_skb_to_sack. Deviation: min_rtt is
 * the least sample ever, not Linux's 300 s windowed minimum.
 */
#include "net/skbuff.h"
#include "net/ipv4/tcp_input.h"
#include "net/stack.h"
#include "net/net_namespace.h"

#define TCP_SACK_OPT_MAX_BLOCKS 4

static inline struct net *rnet(const struct sock *sk) { return sock_net(sk); }

/* ---- the scoreboard --------------------------------------------------- */

/* The sequence just past the highest SACKed skb: Linux's
 * tcp_highest_sack_seq returns the start of tp->highest_sack, "the skb just
 * after the highest skb with SACKed bit set" (snd_nxt when there is none),
 * which is this end_seq. snd_una when nothing is SACKed. Without SACK the
 * duplicate ACKs stand for segments delivered past snd_una. */
u32 tcp_highest_sack_seq(const struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb, *head = (struct sk_buff *)&sk->sk_write_queue;

	if (!tp->sacked_out)
		return tp->snd_una;
	if (tcp_is_reno(tp))
		return tp->snd_una + tp->sacked_out * tp->mss_cache;
	skb = tp->send_head ? tp->send_head->prev : head->prev;
	for (; skb != head; skb = skb->prev)
		if (TCP_SKB_CB(skb)->sacked & TCPCB_SACKED_ACKED)
			return TCP_SKB_CB(skb)->end_seq;
	return tp->snd_una;
}

/* A SACKed segment below the highest SACK that was never retransmitted
 * means the network reorders: raise dupthresh (tp->reordering) to match. */
void tcp_check_sack_reordering(struct sock *sk, u32 low_seq, int ts)
{
	struct tcp_sock *tp = tcp_sk(sk);
	const u32 mss = tp->mss_cache;
	u32 fack = tcp_highest_sack_seq(sk);
	u32 metric;

	if (!before(low_seq, fack))
		return;
	metric = fack - low_seq;
	if (mss && metric > tp->reordering * mss) {
		u32 max_reo = (u32)tcp_net(sk)->sysctl_tcp_max_reordering;

		tp->reordering = TN_MIN((metric + mss - 1) / mss, max_reo);
	}
	tp->reord_seen++;
	__NET_INC_STATS(rnet(sk), ts ? LINUX_MIB_TCPTSREORDER : LINUX_MIB_TCPSACKREORDER);
}

/*
 * RFC 2883 4: a first block below the cumulative ACK, or inside the second
 * block, reports a duplicate. Counted, and each duplicate of a
 * retransmission is one less reason (undo_retrans) to believe the
 * retransmission was needed.
 */
static u32 tcp_dsack_seen(struct tcp_sock *tp, u32 start_seq, u32 end_seq,
			  struct tcp_sacktag_state *state)
{
	u32 seq_len, dup_segs = 1;

	if (!before(start_seq, end_seq))
		return 0;
	seq_len = end_seq - start_seq;
	if (seq_len > tp->max_window)        /* dubious: larger than any window */
		return 0;
	if (seq_len > tp->mss_cache && tp->mss_cache)
		dup_segs = (seq_len + tp->mss_cache - 1) / tp->mss_cache;
	else if (tp->tlp_high_seq && tp->tlp_high_seq == end_seq)
		state->flag |= FLAG_DSACK_TLP;    /* the probe was a duplicate */
	tp->dsack_dups += dup_segs;
	if (tp->dsack_dups > tp->total_retrans)  /* we never sent that many twice */
		return 0;
	/* RACK widens reo_wnd for D-SACKs that reordering may explain, not
	 * for those of a probe (timer driven, not RACK's doing). */
	if (tp->reord_seen && !(state->flag & FLAG_DSACK_TLP))
		tp->rack.dsack_seen = 1;
	state->flag |= FLAG_DSACKING_ACK;
	state->sack_delivered += dup_segs;
	return dup_segs;
}

static bool tcp_check_dsack(struct sock *sk, const struct sk_buff *ack_skb,
			    const struct tcp_sack_block *sp, int num_sacks, u32 prior_snd_una,
			    struct tcp_sacktag_state *state)
{
	struct tcp_sock *tp = tcp_sk(sk);
	u32 start0 = sp[0].start_seq, end0 = sp[0].end_seq;
	u32 dup_segs;

	if (before(start0, TCP_SKB_CB(ack_skb)->ack_seq)) {
		__NET_INC_STATS(rnet(sk), LINUX_MIB_TCPDSACKRECV);
	} else if (num_sacks > 1) {
		if (after(end0, sp[1].end_seq) || before(start0, sp[1].start_seq))
			return false;
		__NET_INC_STATS(rnet(sk), LINUX_MIB_TCPDSACKOFORECV);
	} else {
		return false;
	}
	dup_segs = tcp_dsack_seen(tp, start0, end0, state);
	if (!dup_segs) {
		__NET_INC_STATS(rnet(sk), LINUX_MIB_TCPDSACKIGNOREDDUBIOUS);
		return false;
	}
	__NET_ADD_STATS(rnet(sk), LINUX_MIB_TCPDSACKRECVSEGS, dup_segs);
	/* D-SACK for data already acked and freed: count it blindly. */
	if (tp->undo_marker && tp->undo_retrans > 0 && !after(end0, prior_snd_una) &&
	    after(end0, tp->undo_marker))
		tp->undo_retrans = TN_MAX(0, tp->undo_retrans - (int)dup_segs);
	return true;
}

/* Linux's tcp_is_sackblock_valid: within what we sent, or a D-SACK at most
 * a window below snd_una and not older than the undo marker. */
static bool tcp_is_sackblock_valid(const struct tcp_sock *tp, bool is_dsack, u32 start_seq,
				   u32 end_seq)
{
	if (after(end_seq, tp->snd_nxt) || !before(start_seq, end_seq))
		return false;
	if (!before(start_seq, tp->snd_nxt))
		return false;
	if (after(start_seq, tp->snd_una))
		return true;
	if (!is_dsack || !tp->undo_marker)
		return false;
	if (after(end_seq, tp->snd_una))
		return false;
	if (!before(start_seq, tp->undo_marker))
		return true;
	if (!after(end_seq, tp->undo_marker))
		return false;
	return !before(start_seq, end_seq - tp->max_window);
}

/* Tag one skb as SACKed (or D-SACKed); returns its new scoreboard bits. */
static u8 tcp_sacktag_one(struct sock *sk, struct tcp_sacktag_state *state, u8 sacked,
			  const struct sk_buff *skb, bool dup_sack)
{
	struct tcp_sock *tp = tcp_sk(sk);
	u32 start_seq = TCP_SKB_CB(skb)->seq, end_seq = TCP_SKB_CB(skb)->end_seq;
	u32 pcount = tcp_skb_pcount(skb);

	if (dup_sack && (sacked & TCPCB_RETRANS)) {
		if (tp->undo_marker && tp->undo_retrans > 0 && after(end_seq, tp->undo_marker))
			tp->undo_retrans = TN_MAX(0, tp->undo_retrans - (int)pcount);
		if ((sacked & TCPCB_SACKED_ACKED) && before(start_seq, state->reord))
			state->reord = start_seq;
	}
	if (!after(end_seq, tp->snd_una))
		return sacked;
	if (!(sacked & TCPCB_SACKED_ACKED)) {
		tcp_rack_advance(sk, sacked, end_seq, TCP_SKB_CB(skb)->tx_stamp);
		state->prior_delivered = TN_MAX(state->prior_delivered,
						TCP_SKB_CB(skb)->tx_delivered);
		if (sacked & TCPCB_SACKED_RETRANS) {
			/* A retransmission not marked lost may still be in
			 * flight: keep counting it. */
			if (sacked & TCPCB_LOST) {
				sacked &= (u8)~(TCPCB_LOST | TCPCB_SACKED_RETRANS);
				tp->lost_out -= pcount;
				tp->retrans_out -= pcount;
			}
		} else {
			if (!(sacked & TCPCB_RETRANS)) {
				/* Filled a hole without a retransmission: reordering. */
				if (before(start_seq, tcp_highest_sack_seq(sk)) &&
				    before(start_seq, state->reord))
					state->reord = start_seq;
				if (!after(end_seq, tp->high_seq))
					state->flag |= FLAG_ORIG_SACK_ACKED;
				if (!state->timed)
					state->first_sackt = TCP_SKB_CB(skb)->tx_stamp;
				state->timed = true;
				state->last_sackt = TCP_SKB_CB(skb)->tx_stamp;
			}
			if (sacked & TCPCB_LOST) {
				sacked &= (u8)~TCPCB_LOST;
				tp->lost_out -= pcount;
			}
		}
		sacked |= TCPCB_SACKED_ACKED;
		state->flag |= FLAG_DATA_SACKED;
		tp->sacked_out += pcount;
		state->sack_delivered += pcount;
	}
	/* A D-SACK proves a retransmission redundant: no longer in flight. */
	if (dup_sack && (sacked & TCPCB_SACKED_RETRANS)) {
		sacked &= (u8)~TCPCB_SACKED_RETRANS;
		tp->retrans_out -= pcount;
	}
	return sacked;
}

/*
 * A multi-segment skb partly inside the block [start, end): cut it at the
 * segment boundary nearest the block's edge, so that the part inside can
 * be tagged (Linux's tcp_match_skb_to_sack). True if skb now lies inside.
 */
static bool tcp_match_skb_to_sack(struct sock *sk, struct sk_buff *skb, u32 start, u32 end)
{
	const struct tcp_skb_cb *scb = TCP_SKB_CB(skb);
	u32 mss = scb->tcp_gso_size, pkt_len;
	bool in_sack = !after(start, scb->seq);

	if (tcp_skb_pcount(skb) <= 1 || !mss)
		return false;
	if (!in_sack) {
		pkt_len = TN_MAX(start - scb->seq, mss);
	} else {
		pkt_len = end - scb->seq;
		if (pkt_len < mss)
			return false;
	}
	if (pkt_len > mss) {
		u32 new_len = pkt_len / mss * mss;

		if (!in_sack && new_len < pkt_len)
			new_len += mss;
		pkt_len = new_len;
	}
	if (pkt_len >= skb->len || tcp_fragment(sk, skb, pkt_len, mss))
		return false;
	return in_sack;
}

/* Tag every sent skb that lies entirely inside [start, end), cutting a
 * multi-segment skb at the block's edges first. */
static void tcp_sacktag_block(struct sock *sk, struct tcp_sacktag_state *state, u32 start,
			      u32 end, bool dup_sack)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb;

	for (skb = skb_peek(&sk->sk_write_queue); skb && skb != tp->send_head;
	     skb = tcp_skb_is_last(sk, skb) ? NULL : skb->next) {
		struct tcp_skb_cb *scb = TCP_SKB_CB(skb);

		if (!after(scb->end_seq, start))
			continue;
		if (!before(scb->seq, end))
			break;
		if ((before(scb->seq, start) || after(scb->end_seq, end)) &&
		    !tcp_match_skb_to_sack(sk, skb, start, end))
			continue;     /* partly covered, and one segment */
		scb->sacked = tcp_sacktag_one(sk, state, scb->sacked, skb, dup_sack);
	}
}

static int tcp_sack_read_blocks(const struct sk_buff *ack_skb, struct tcp_sack_block *sp)
{
	const u8 *ptr = skb_transport_header(ack_skb) + TCP_SKB_CB(ack_skb)->sacked;
	int n = (ptr[1] - 2) >> 3, i;

	n = TN_MIN(n, TCP_SACK_OPT_MAX_BLOCKS);
	for (i = 0; i < n; i++) {
		sp[i].start_seq = get_be32(ptr + 2 + 8 * i);
		sp[i].end_seq = get_be32(ptr + 6 + 8 * i);
	}
	return n;
}

/* Drop blocks that are invalid or entirely below snd_una; counted as Linux. */
static int tcp_sack_filter_blocks(struct sock *sk, const struct sk_buff *ack_skb,
				  struct tcp_sack_block *sp, int n, bool found_dup,
				  u32 prior_snd_una, bool *dup_first)
{
	struct tcp_sock *tp = tcp_sk(sk);
	int i, used = 0;

	*dup_first = false;
	for (i = 0; i < n; i++) {
		bool dup_sack = !i && found_dup;
		struct tcp_sack_block b = sp[i];

		if (!tcp_is_sackblock_valid(tp, dup_sack, b.start_seq, b.end_seq)) {
			int mib;

			if (dup_sack)
				mib = tp->undo_marker ? LINUX_MIB_TCPDSACKIGNOREDOLD
						      : LINUX_MIB_TCPDSACKIGNOREDNOUNDO;
			else if (TCP_SKB_CB(ack_skb)->ack_seq != tp->snd_una &&
				 !after(b.end_seq, tp->snd_una))
				continue;     /* old block of a reordered ACK */
			else
				mib = LINUX_MIB_TCPSACKDISCARD;
			__NET_INC_STATS(rnet(sk), mib);
			continue;
		}
		if (!dup_sack && !after(b.end_seq, prior_snd_una))
			continue;
		if (dup_sack)
			*dup_first = true;
		sp[used++] = b;
	}
	return used;
}

/* Blocks come most recent first; tag them in sequence order, as Linux
 * does (tcp_sacktag_write_queue sorts them): a block below one tagged in
 * the same ACK is not reordering. Returns where block 0 went. */
static int tcp_sack_sort_blocks(struct tcp_sack_block *sp, int used)
{
	int first = 0;

	for (int i = used - 1; i > 0; i--) {
		for (int j = 0; j < i; j++) {
			if (after(sp[j].start_seq, sp[j + 1].start_seq)) {
				struct tcp_sack_block tmp = sp[j];

				sp[j] = sp[j + 1];
				sp[j + 1] = tmp;
				if (j == first)
					first = j + 1;
				else if (j + 1 == first)
					first = j;
			}
		}
	}
	return first;
}

/*
 * RFC 2018 / RFC 6675 "Update()": record each SACK block of the ACK on the
 * retransmit queue. Returns FLAG_DATA_SACKED / FLAG_DSACKING_ACK /
 * FLAG_ORIG_SACK_ACKED as they apply.
 */
int tcp_sacktag_write_queue(struct sock *sk, const struct sk_buff *ack_skb, u32 prior_snd_una,
			    struct tcp_sacktag_state *state)
{
	struct tcp_sock *tp = tcp_sk(sk);
	/* Zeroed: only the first n are read, but gcc -O2 cannot see that. */
	struct tcp_sack_block sp[TCP_SACK_OPT_MAX_BLOCKS] = { { 0, 0 } };
	bool found_dup, dup_first;
	int n, used, i, first;

	state->flag = 0;
	state->reord = tp->snd_nxt;
	n = tcp_sack_read_blocks(ack_skb, sp);
	if (!n)
		return 0;
	found_dup = tcp_check_dsack(sk, ack_skb, sp, n, prior_snd_una, state);
	/* Far older than a window: ignore, even its SACK information. */
	if (before(TCP_SKB_CB(ack_skb)->ack_seq, prior_snd_una - tp->max_window))
		return 0;
	if (!tp->packets_out)
		return state->flag;
	used = tcp_sack_filter_blocks(sk, ack_skb, sp, n, found_dup, prior_snd_una, &dup_first);
	first = tcp_sack_sort_blocks(sp, used);
	for (i = 0; i < used; i++)
		tcp_sacktag_block(sk, state, sp[i].start_seq, sp[i].end_seq,
				  dup_first && i == first);
	if (before(state->reord, tp->snd_nxt) && tcp_is_sack(tp))
		tcp_check_sack_reordering(sk, state->reord, 0);
	return state->flag;
}

/* ---- marking losses ---------------------------------------------------- */

void tcp_mark_skb_lost(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);
	u8 sacked = TCP_SKB_CB(skb)->sacked;

	if (sacked & TCPCB_SACKED_ACKED)
		return;
	if (sacked & TCPCB_LOST) {
		if (sacked & TCPCB_SACKED_RETRANS) {
			/* The retransmission was lost too. */
			TCP_SKB_CB(skb)->sacked &= (u8)~TCPCB_SACKED_RETRANS;
			tp->retrans_out -= tcp_skb_pcount(skb);
			__NET_ADD_STATS(rnet(sk), LINUX_MIB_TCPLOSTRETRANSMIT, tcp_skb_pcount(skb));
			tp->lost += tcp_skb_pcount(skb);
		}
	} else {
		tp->lost_out += tcp_skb_pcount(skb);
		TCP_SKB_CB(skb)->sacked |= TCPCB_LOST;
		tp->lost += tcp_skb_pcount(skb);
	}
}

/* ---- RACK: loss detection by time (RFC 8985 6, Linux's tcp_recovery.c) -- */

/* Was (t1, seq1) sent after (t2, seq2)? Equal times: the higher sequence
 * went later (Linux's tcp_skb_sent_after). */
static bool tcp_rack_sent_after(u64 t1, u64 t2, u32 seq1, u32 seq2)
{
	return t1 > t2 || (t1 == t2 && after(seq1, seq2));
}

static u32 tcp_us_delta(u64 now_us, u64 then_ns)
{
	u64 then_us = then_ns / 1000u;

	return now_us > then_us ? (u32)(now_us - then_us) : 0;
}

/* RFC 8985 6.2 step 2 (RACK_update): the delivered skb sent last sets
 * RACK.xmit_ts and RACK.rtt. A retransmission SACKed sooner than min_rtt
 * after it was sent may be the original's delivery: not used. */
void tcp_rack_advance(struct sock *sk, u8 sacked, u32 end_seq, u64 xmit_ns)
{
	struct tcp_sock *tp = tcp_sk(sk);
	u32 rtt_us = tcp_us_delta(tcp_clock_us(sk), xmit_ns);

	if (rtt_us < tp->min_rtt_us && (sacked & TCPCB_RETRANS))
		return;
	tp->rack.advanced = 1;
	tp->rack.rtt_us = rtt_us;
	if (tcp_rack_sent_after(xmit_ns, tp->rack.mstamp, end_seq, tp->rack.end_seq)) {
		tp->rack.mstamp = xmit_ns;
		tp->rack.end_seq = end_seq;
	}
}

/* RFC 8985 6.2 step 4 (RACK_update_reo_wnd) as Linux's tcp_rack_reo_wnd:
 * no reordering seen yet, be quick in recovery or once dupthresh SACKs are
 * in (reo_wnd 0); else min_rtt/4 per step, at most SRTT. */
static u32 tcp_rack_reo_wnd(const struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	u64 wnd;

	if (!tp->reord_seen) {
		if (inet_csk(sk)->icsk_ca_state >= TCP_CA_Recovery)
			return 0;
		if (tp->sacked_out >= tp->reordering &&
		    !(tcp_net(sk)->sysctl_tcp_recovery & TCP_RACK_NO_DUPTHRESH))
			return 0;
	}
	if (tp->min_rtt_us == ~0u)
		return 0;
	wnd = (u64)(tp->min_rtt_us >> 2) * tp->rack.reo_wnd_steps;
	return (u32)TN_MIN(wnd, (u64)(tp->srtt_us >> 3));
}

/* How long skb may still be waited for (us), <= 0: lost (RFC 8985 6.2
 * step 5: RACK.rtt + reo_wnd past its send time). */
static s32 tcp_rack_skb_timeout(const struct sock *sk, const struct sk_buff *skb, u32 reo_wnd)
{
	const struct tcp_sock *tp = tcp_sk(sk);

	return (s32)(tp->rack.rtt_us + reo_wnd -
		     tcp_us_delta(tcp_clock_us(sk), TCP_SKB_CB(skb)->tx_stamp));
}

/* RFC 8985 6.2 step 5 (RACK_detect_loss): every skb sent before the one
 * that set RACK.xmit_ts and outstanding for longer than RACK.rtt + reo_wnd
 * is lost; *reo_timeout is the longest wait left for the others (us).
 * Linux walks its time-sorted list and stops at the first skb sent later;
 * the write queue is in sequence order, so it is walked whole. */
static void tcp_rack_detect_loss(struct sock *sk, u32 *reo_timeout)
{
	struct tcp_sock *tp = tcp_sk(sk);
	u32 reo_wnd = tcp_rack_reo_wnd(sk);
	struct sk_buff *skb;

	*reo_timeout = 0;
	for (skb = tcp_rtx_queue_head(sk); skb && skb != tp->send_head;
	     skb = tcp_skb_is_last(sk, skb) ? NULL : skb->next) {
		struct tcp_skb_cb *scb = TCP_SKB_CB(skb);
		s32 remaining;

		if (scb->sacked & TCPCB_SACKED_ACKED)
			continue;
		/* Marked lost and not yet retransmitted: nothing to decide. */
		if ((scb->sacked & TCPCB_LOST) && !(scb->sacked & TCPCB_SACKED_RETRANS))
			continue;
		if (!tcp_rack_sent_after(tp->rack.mstamp, scb->tx_stamp, tp->rack.end_seq,
					 scb->end_seq))
			continue;
		remaining = tcp_rack_skb_timeout(sk, skb, reo_wnd);
		if (remaining <= 0)
			tcp_mark_skb_lost(sk, skb);
		else
			*reo_timeout = TN_MAX(*reo_timeout, (u32)remaining);
	}
}

/* After an ACK that advanced RACK: mark what is lost, and arm the
 * reordering timer (RFC 8985 6.3, ICSK_TIME_REO_TIMEOUT, at most an RTO
 * away) for what may still arrive. True when that timer was armed. */
static bool tcp_rack_mark_lost(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	u32 timeout;

	if (!tp->rack.advanced)
		return false;
	tp->rack.advanced = 0;
	tcp_rack_detect_loss(sk, &timeout);
	if (!timeout)
		return false;
	/* usecs_to_jiffies rounds up; 1 jiffy = 1 ms. */
	timeout = (timeout + TCP_TIMEOUT_MIN_US + 999) / 1000;
	inet_csk_reset_xmit_timer(sk, ICSK_TIME_REO_TIMEOUT, timeout, inet_csk(sk)->icsk_rto);
	return true;
}

/* Linux's tcp_rack_update_reo_wnd (RFC 8985 6.2 step 4): a D-SACK in a
 * round after the last change widens reo_wnd by one min_rtt/4 step, kept
 * for TCP_RACK_RECOVERY_THRESH recoveries; then back to one step. */
void tcp_rack_update_reo_wnd(struct sock *sk, u32 prior_delivered)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if ((tcp_net(sk)->sysctl_tcp_recovery & TCP_RACK_STATIC_REO_WND) || !prior_delivered)
		return;
	if (before(prior_delivered, tp->rack.last_delivered))
		tp->rack.dsack_seen = 0;
	if (tp->rack.dsack_seen) {
		tp->rack.reo_wnd_steps = (u8)TN_MIN(0xffu, tp->rack.reo_wnd_steps + 1u);
		tp->rack.dsack_seen = 0;
		tp->rack.last_delivered = tp->delivered;
		tp->rack.reo_wnd_persist = TCP_RACK_RECOVERY_THRESH;
	} else if (!tp->rack.reo_wnd_persist) {
		tp->rack.reo_wnd_steps = 1;
	}
}

/* RFC 6675 IsLost() as Linux approximates it: walking from the head, mark
 * un-SACKed skbs lost until more than `packets` SACKed segments lie above;
 * with mark_head only the head. */
static void tcp_mark_head_lost(struct sock *sk, int packets, int mark_head)
{
	struct tcp_sock *tp = tcp_sk(sk);
	const u32 loss_high = tp->snd_nxt;
	struct sk_buff *skb;
	int cnt = 0;

	for (skb = tcp_rtx_queue_head(sk); skb && skb != tp->send_head;
	     skb = tcp_skb_is_last(sk, skb) ? NULL : skb->next) {
		if (after(TCP_SKB_CB(skb)->end_seq, loss_high))
			break;
		if (TCP_SKB_CB(skb)->sacked & TCPCB_SACKED_ACKED)
			cnt += (int)tcp_skb_pcount(skb);
		if (cnt > packets)
			break;
		if (!(TCP_SKB_CB(skb)->sacked & TCPCB_LOST))
			tcp_mark_skb_lost(sk, skb);
		if (mark_head)
			break;
	}
}

static void tcp_update_scoreboard(struct sock *sk, int fast_rexmit)
{
	struct tcp_sock *tp = tcp_sk(sk);
	int sacked_upto;

	if (!tcp_is_sack(tp))
		return;
	sacked_upto = (int)tp->sacked_out - (int)tp->reordering;
	if (sacked_upto >= 0)
		tcp_mark_head_lost(sk, sacked_upto, 0);
	else if (fast_rexmit)
		tcp_mark_head_lost(sk, 1, 1);
}

/* RFC 6582 (NewReno): on entering recovery, and on each partial ACK in it,
 * the first unacknowledged segment is lost. */
static void tcp_newreno_mark_lost(struct sock *sk, bool snd_una_advanced)
{
	struct tcp_sock *tp = tcp_sk(sk);
	u8 state = inet_csk(sk)->icsk_ca_state;
	struct sk_buff *skb;

	if ((state < TCP_CA_Recovery && tp->sacked_out >= tp->reordering) ||
	    (state == TCP_CA_Recovery && snd_una_advanced)) {
		skb = tcp_rtx_queue_head(sk);
		if (skb && !(TCP_SKB_CB(skb)->sacked & TCPCB_LOST))
			tcp_mark_skb_lost(sk, skb);
	}
}

static bool tcp_rack_mark_lost(struct sock *sk);

/* Linux's tcp_identify_packet_loss: NewReno without SACK, RACK with it.
 * RACK armed its own timer: the ACK must not re-arm the RTO over it. */
static void tcp_identify_packet_loss(struct sock *sk, int *ack_flag)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (!tcp_rtx_queue_head(sk))
		return;
	if (tcp_is_reno(tp)) {
		tcp_newreno_mark_lost(sk, *ack_flag & FLAG_SND_UNA_ADVANCED);
	} else if (tcp_is_rack(sk)) {
		u32 prior_retrans = tp->retrans_out;

		if (tcp_rack_mark_lost(sk))
			*ack_flag &= ~FLAG_SET_XMIT_TIMER;
		if (prior_retrans > tp->retrans_out)
			*ack_flag |= FLAG_LOST_RETRANS;
	}
}

/* ---- duplicate ACKs without SACK (Reno "sacks") ------------------------ */

/* sacked_out + lost_out may not exceed packets_out: a peer that sends more
 * dupacks than segments reorders, so raise dupthresh. */
static bool tcp_limit_reno_sacked(struct tcp_sock *tp)
{
	u32 holes = TN_MAX(tp->lost_out, 1u);

	holes = TN_MIN(holes, tp->packets_out);
	if (tp->sacked_out + holes > tp->packets_out) {
		tp->sacked_out = tp->packets_out - holes;
		return true;
	}
	return false;
}

static void tcp_check_reno_reordering(struct sock *sk, int addend)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (!tcp_limit_reno_sacked(tp))
		return;
	tp->reordering = TN_MIN(tp->packets_out + (u32)addend,
				(u32)tcp_net(sk)->sysctl_tcp_max_reordering);
	tp->reord_seen++;
	__NET_INC_STATS(rnet(sk), LINUX_MIB_TCPRENOREORDER);
}

static void tcp_add_reno_sack(struct sock *sk, int num_dupack)
{
	struct tcp_sock *tp = tcp_sk(sk);
	u32 prior_sacked = tp->sacked_out;

	if (!num_dupack)
		return;
	tp->sacked_out += (u32)num_dupack;
	tcp_check_reno_reordering(sk, 0);
	if (tp->sacked_out > prior_sacked)
		tp->delivered += tp->sacked_out - prior_sacked;
}

/* A cumulative ACK: one segment filled the hole, the rest ate dupacks. */
void tcp_remove_reno_sacks(struct sock *sk, int acked)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (acked > 0) {
		tp->delivered += (u32)TN_MAX(acked - (int)tp->sacked_out, 1);
		if (acked - 1 >= (int)tp->sacked_out)
			tp->sacked_out = 0;
		else
			tp->sacked_out -= (u32)(acked - 1);
	}
	tcp_check_reno_reordering(sk, acked);
}

static void tcp_reset_reno_sack(struct tcp_sock *tp)
{
	tp->sacked_out = 0;
}

/* ---- cwnd reduction and undo ------------------------------------------ */

static u32 tcp_ca_ssthresh(struct sock *sk)
{
	const struct tcp_congestion_ops *ca = inet_csk(sk)->icsk_ca_ops;

	if (ca && ca->ssthresh)
		return ca->ssthresh(sk);
	return TN_MAX(tcp_sk(sk)->snd_cwnd >> 1, 2u);
}

/* Remember where recovery starts so that it can be undone (Eifel). */
static void tcp_init_undo(struct tcp_sock *tp)
{
	tp->undo_marker = tp->snd_una;
	tp->undo_retrans = tp->retrans_out ? (int)tp->retrans_out : -1;
}

static bool tcp_any_retrans_done(const struct sock *sk)
{
	struct sk_buff *skb;

	if (tcp_sk(sk)->retrans_out)
		return true;
	skb = tcp_rtx_queue_head(sk);
	return skb && (TCP_SKB_CB(skb)->sacked & TCPCB_EVER_RETRANS);
}

/* RFC 6937 PRR: the reduction starts; ssthresh from the CA module. */
static void tcp_init_cwnd_reduction(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	tp->high_seq = tp->snd_nxt;
	tp->tlp_high_seq = 0;
	tp->snd_cwnd_cnt = 0;
	tp->prior_cwnd = tp->snd_cwnd;
	tp->prr_delivered = 0;
	tp->prr_out = 0;
	tp->snd_ssthresh = tcp_ca_ssthresh(sk);
}

/* RFC 6937 3: send in proportion to what is delivered while pipe is above
 * ssthresh, then slow start back up to it (PRR-SSRB). */
void tcp_cwnd_reduction(struct sock *sk, int newly_acked_sacked, int newly_lost, int flag)
{
	struct tcp_sock *tp = tcp_sk(sk);
	int delta = (int)tp->snd_ssthresh - (int)tcp_packets_in_flight(tp);
	int sndcnt;

	if (newly_acked_sacked <= 0 || !tp->prior_cwnd)
		return;
	tp->prr_delivered += (u32)newly_acked_sacked;
	if (delta < 0) {
		u64 dividend = (u64)tp->snd_ssthresh * tp->prr_delivered + tp->prior_cwnd - 1;

		sndcnt = (int)(dividend / tp->prior_cwnd) - (int)tp->prr_out;
	} else {
		sndcnt = TN_MAX((int)tp->prr_delivered - (int)tp->prr_out, newly_acked_sacked);
		if ((flag & FLAG_SND_UNA_ADVANCED) && !newly_lost)
			sndcnt++;
		sndcnt = TN_MIN(delta, sndcnt);
	}
	/* The fast retransmit itself goes out whatever PRR says. */
	sndcnt = TN_MAX(sndcnt, tp->prr_out ? 0 : 1);
	tp->snd_cwnd = tcp_packets_in_flight(tp) + (u32)sndcnt;
}

static void tcp_end_cwnd_reduction(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (tp->snd_ssthresh < TCP_INFINITE_SSTHRESH &&
	    (inet_csk(sk)->icsk_ca_state == TCP_CA_CWR || tp->undo_marker))
		tp->snd_cwnd = tp->snd_ssthresh;
	tcp_ca_event(sk, CA_EVENT_COMPLETE_CWR);
}

/* The timestamp echoed predates our first retransmission: the original
 * got through (RFC 3522 Eifel detection). */
static bool tcp_packet_delayed(const struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);

	if (tp->retrans_stamp && tp->rx_opt.saw_tstamp && tp->rx_opt.rcv_tsecr &&
	    before(tp->rx_opt.rcv_tsecr, tcp_ns_to_ts_clock(tp->retrans_stamp)))
		return true;
	return !tp->retrans_stamp && sk->sk_state != TCP_SYN_SENT;
}

static bool tcp_may_undo(const struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);

	return tp->undo_marker && (!tp->undo_retrans || tcp_packet_delayed(sk));
}

static void tcp_undo_cwnd_reduction(struct sock *sk, bool unmark_loss)
{
	struct tcp_sock *tp = tcp_sk(sk);
	const struct tcp_congestion_ops *ca = inet_csk(sk)->icsk_ca_ops;

	if (unmark_loss) {
		struct sk_buff *skb;

		for (skb = tcp_rtx_queue_head(sk); skb && skb != tp->send_head;
		     skb = tcp_skb_is_last(sk, skb) ? NULL : skb->next)
			TCP_SKB_CB(skb)->sacked &= (u8)~TCPCB_LOST;
		tp->lost_out = 0;
	}
	if (tp->prior_ssthresh) {
		if (ca && ca->undo_cwnd)
			tp->snd_cwnd = ca->undo_cwnd(sk);
		else
			tp->snd_cwnd = TN_MAX(tp->snd_cwnd, tp->prior_cwnd);
		if (tp->prior_ssthresh > tp->snd_ssthresh)
			tp->snd_ssthresh = tp->prior_ssthresh;
	}
	tp->undo_marker = 0;
	tp->rack.advanced = 1;      /* RACK looks at the losses again */
}

static void tcp_try_keep_open(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	u8 state = TCP_CA_Open;

	if (tcp_left_out(tp) || tcp_any_retrans_done(sk))
		state = TCP_CA_Disorder;
	if (inet_csk(sk)->icsk_ca_state != state) {
		tcp_set_ca_state(sk, state);
		tp->high_seq = tp->snd_nxt;
	}
}

static void tcp_try_to_open(struct sock *sk, int flag)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (!tcp_any_retrans_done(sk))
		tp->retrans_stamp = 0;
	if (inet_csk(sk)->icsk_ca_state != TCP_CA_CWR)
		tcp_try_keep_open(sk);
}

/* Recovery ended at high_seq: undo if it was spurious, else back to Open. */
static bool tcp_try_undo_recovery(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (tcp_may_undo(sk)) {
		int mib = inet_csk(sk)->icsk_ca_state == TCP_CA_Loss ? LINUX_MIB_TCPLOSSUNDO
								     : LINUX_MIB_TCPFULLUNDO;

		tcp_undo_cwnd_reduction(sk, false);
		__NET_INC_STATS(rnet(sk), mib);
	}
	if (tp->snd_una == tp->high_seq && tcp_is_reno(tp)) {
		/* RFC 6582 4: hold the state until something above high_seq
		 * is ACKed, against false fast retransmits. retrans_stamp
		 * stays: zeroed here, the next ACK would find "nothing was
		 * retransmitted" (tcp_packet_delayed) and undo a real
		 * reduction (the non-SACK spurious-undo bug Linux fixed in
		 * 2025: "tcp: fix tcp_packet_delayed() for
		 * tcp_is_non_sack_preventing_reopen() behavior"). */
		return true;
	}
	tcp_set_ca_state(sk, TCP_CA_Open);
	tp->is_sack_reneg = 0;
	return false;
}

/* RFC 2883 / Linux: D-SACKs covered every retransmission: undo. */
static bool tcp_try_undo_dsack(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (tp->undo_marker && !tp->undo_retrans) {
		tcp_undo_cwnd_reduction(sk, false);
		__NET_INC_STATS(rnet(sk), LINUX_MIB_TCPDSACKUNDO);
		return true;
	}
	return false;
}

/* The RTO was spurious (Eifel, or F-RTO when frto_undo): undo it all,
 * TcpExtTCPLossUndo (and TcpExtTCPSpuriousRTOs for F-RTO). */
static bool tcp_try_undo_loss(struct sock *sk, bool frto_undo)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (!frto_undo && !tcp_may_undo(sk))
		return false;
	tcp_undo_cwnd_reduction(sk, true);
	__NET_INC_STATS(rnet(sk), LINUX_MIB_TCPLOSSUNDO);
	if (frto_undo)
		__NET_INC_STATS(rnet(sk), LINUX_MIB_TCPSPURIOUSRTOS);
	inet_csk(sk)->icsk_retransmits = 0;
	/* Without SACK, hold Loss until something above high_seq is ACKed
	 * (Linux's tcp_is_non_sack_preventing_reopen). */
	if (tp->snd_una == tp->high_seq && tcp_is_reno(tp))
		return true;
	if (frto_undo || tcp_is_sack(tp)) {
		tcp_set_ca_state(sk, TCP_CA_Open);
		tp->is_sack_reneg = 0;
	}
	return true;
}

static bool tcp_force_fast_retransmit(const struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);

	return after(tcp_highest_sack_seq(sk), tp->snd_una + tp->reordering * tp->mss_cache);
}

/* A partial ACK in Recovery: the hole was filled by a delayed original
 * (timestamps say so) → undo; otherwise keep retransmitting. */
static bool tcp_try_undo_partial(struct sock *sk, u32 prior_snd_una, bool *do_lost)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (tp->undo_marker && tcp_packet_delayed(sk)) {
		tcp_check_sack_reordering(sk, prior_snd_una, 1);
		if (tp->retrans_out)
			return true;
		if (!tcp_any_retrans_done(sk))
			tp->retrans_stamp = 0;
		tcp_undo_cwnd_reduction(sk, true);
		__NET_INC_STATS(rnet(sk), LINUX_MIB_TCPPARTIALUNDO);
		tcp_try_keep_open(sk);
	} else {
		*do_lost = tcp_force_fast_retransmit(sk);
	}
	return false;
}

/* RFC 6675 5 / RFC 5681 3.2: dupthresh reached (or a loss proven):
 * ssthresh from the CA module, PRR starts. */
static void tcp_enter_recovery(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	__NET_INC_STATS(rnet(sk), tcp_is_reno(tp) ? LINUX_MIB_TCPRENORECOVERY
						  : LINUX_MIB_TCPSACKRECOVERY);
	tp->prior_ssthresh = 0;
	tcp_init_undo(tp);
	if (!tcp_in_cwnd_reduction(sk)) {
		tp->prior_ssthresh = tcp_current_ssthresh(sk);
		tcp_init_cwnd_reduction(sk);
	}
	tcp_set_ca_state(sk, TCP_CA_Recovery);
}

static bool tcp_time_to_recover(const struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);

	/* A loss is proven (by RACK, NewReno or the scoreboard). */
	if (tp->lost_out)
		return true;
	/* The classic rule, without RACK: dupthresh duplicate ACKs
	 * (sacked_out + 1). RACK stands for it (reo_wnd 0 once sacked_out
	 * reaches tp->reordering). */
	return !tcp_is_rack(sk) && tp->sacked_out + 1 > tp->reordering;
}

/* The peer discarded data it had SACKed: wait a little, then RTO. */
static bool tcp_check_sack_reneging(struct sock *sk, int *ack_flag)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if ((*ack_flag & FLAG_SACK_RENEGING) && (*ack_flag & FLAG_SND_UNA_ADVANCED)) {
		u64 delay = TN_MAX((u64)(tp->srtt_us >> 4) / 1000, (u64)10);

		inet_csk_reset_xmit_timer(sk, ICSK_TIME_RETRANS, delay, TCP_RTO_MAX);
		*ack_flag &= ~FLAG_SET_XMIT_TIMER;
		return true;
	}
	return false;
}

/* F-RTO (RFC 5682 3.1, SACK-enhanced as Linux): the first ACK after the
 * RTO that advances sends new data instead of more retransmissions (step
 * 2.b); the next ACK then tells: never retransmitted data (s)acked means
 * the timeout was spurious (3.b, undo), a dupack or SACK means the loss
 * was real (3.a). True when the ACK is done with. */
static bool tcp_frto_process(struct sock *sk, int flag, int num_dupack, bool recovered,
			     int *rexmit)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if ((flag & FLAG_ORIG_SACK_ACKED) && tcp_try_undo_loss(sk, true))
		return true;
	if (after(tp->snd_nxt, tp->high_seq)) {
		if ((flag & FLAG_DATA_SACKED) || num_dupack)
			tp->frto = 0;
	} else if ((flag & FLAG_SND_UNA_ADVANCED) && !recovered) {
		tp->high_seq = tp->snd_nxt;
		/* Step 2.b, deferred until tcp_ack has updated cwnd. */
		if (tcp_send_head(sk) && after(tcp_wnd_end(tp), tp->snd_nxt)) {
			*rexmit = REXMIT_NEW;
			return true;
		}
		tp->frto = 0;
	}
	return false;
}

/* TCP_CA_Loss after an RTO (RFC 6298 5.4-5.7 with Linux's undo). */
static void tcp_process_loss(struct sock *sk, int flag, int num_dupack, int *rexmit)
{
	struct tcp_sock *tp = tcp_sk(sk);
	bool recovered = !before(tp->snd_una, tp->high_seq);

	if ((flag & FLAG_SND_UNA_ADVANCED) && tcp_try_undo_loss(sk, false))
		return;
	if (tp->frto && tcp_frto_process(sk, flag, num_dupack, recovered, rexmit))
		return;
	if (recovered) {
		tcp_try_undo_recovery(sk);
		return;
	}
	if (tcp_is_reno(tp)) {
		if (after(tp->snd_nxt, tp->high_seq) && num_dupack)
			tcp_add_reno_sack(sk, num_dupack);
		else if (flag & FLAG_SND_UNA_ADVANCED)
			tcp_reset_reno_sack(tp);
	}
	*rexmit = REXMIT_LOST;
}

/* Exit conditions once high_seq is ACKed; true when the ACK is done with. */
static bool tcp_fastretrans_exit(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (inet_csk(sk)->icsk_ca_state == TCP_CA_Open) {
		tp->retrans_stamp = 0;
		return false;
	}
	if (before(tp->snd_una, tp->high_seq))
		return false;
	switch (inet_csk(sk)->icsk_ca_state) {
	case TCP_CA_CWR:
		if (tp->snd_una != tp->high_seq) {
			tcp_end_cwnd_reduction(sk);
			tcp_set_ca_state(sk, TCP_CA_Open);
		}
		break;
	case TCP_CA_Recovery:
		if (tcp_is_reno(tp))
			tcp_reset_reno_sack(tp);
		if (tcp_try_undo_recovery(sk))
			return true;
		tcp_end_cwnd_reduction(sk);
		break;
	}
	return false;
}

/*
 * Linux's tcp_fastretrans_alert: the state machine of Open, Disorder, CWR,
 * Recovery and Loss, run for every dubious ACK (a dupack, new SACK or
 * D-SACK, or any ACK while not Open). Sets *rexmit when tcp_ack should call
 * tcp_xmit_recovery.
 */
void tcp_fastretrans_alert(struct sock *sk, u32 prior_snd_una, int num_dupack, int *ack_flag,
			   int *rexmit)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	int fast_rexmit = 0, flag = *ack_flag;
	bool do_lost = num_dupack || ((flag & FLAG_DATA_SACKED) && tcp_force_fast_retransmit(sk));

	if (!tp->packets_out && tp->sacked_out)
		tp->sacked_out = 0;
	if (tcp_check_sack_reneging(sk, ack_flag))
		return;
	if (tcp_fastretrans_exit(sk))
		return;

	switch (icsk->icsk_ca_state) {
	case TCP_CA_Recovery:
		if (!(flag & FLAG_SND_UNA_ADVANCED)) {
			if (tcp_is_reno(tp))
				tcp_add_reno_sack(sk, num_dupack);
		} else if (tcp_try_undo_partial(sk, prior_snd_una, &do_lost)) {
			return;
		}
		if (tcp_try_undo_dsack(sk))
			tcp_try_to_open(sk, flag);
		tcp_identify_packet_loss(sk, ack_flag);
		if (icsk->icsk_ca_state != TCP_CA_Recovery) {
			if (!tcp_time_to_recover(sk))
				return;
			tcp_enter_recovery(sk);
		}
		break;
	case TCP_CA_Loss:
		tcp_process_loss(sk, flag, num_dupack, rexmit);
		tcp_identify_packet_loss(sk, ack_flag);
		if (!(icsk->icsk_ca_state == TCP_CA_Open || (*ack_flag & FLAG_LOST_RETRANS)))
			return;
		/* Undone, or the retransmissions were lost: fall through. */
		/* fallthrough */
	default:
		if (tcp_is_reno(tp)) {
			if (flag & FLAG_SND_UNA_ADVANCED)
				tcp_reset_reno_sack(tp);
			tcp_add_reno_sack(sk, num_dupack);
		}
		if (icsk->icsk_ca_state <= TCP_CA_Disorder)
			tcp_try_undo_dsack(sk);
		tcp_identify_packet_loss(sk, ack_flag);
		if (!tcp_time_to_recover(sk)) {
			tcp_try_to_open(sk, flag);
			return;
		}
		tcp_enter_recovery(sk);
		fast_rexmit = 1;
	}
	if (!tcp_is_rack(sk) && do_lost)
		tcp_update_scoreboard(sk, fast_rexmit);
	*rexmit = REXMIT_LOST;
}

/* Send what recovery decided: the lost segments (NextSeg), or new data. */
void tcp_xmit_recovery(struct sock *sk, int rexmit)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (rexmit == REXMIT_NONE || sk->sk_state == TCP_SYN_SENT)
		return;
	if (rexmit == REXMIT_NEW) {
		__tcp_push_pending_frames(sk, tcp_current_mss(sk), TCP_NAGLE_OFF);
		if (after(tp->snd_nxt, tp->high_seq))
			return;
		tp->frto = 0;         /* F-RTO could send nothing new */
	}
	tcp_xmit_retransmit_queue(sk);
}

/* ---- RTO recovery and helpers for other files --------------------------- */

/* Everything outstanding and not SACKed is lost (a receiver that reneged
 * loses its SACKs too). */
static void tcp_timeout_mark_lost(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb, *head = tcp_rtx_queue_head(sk);
	bool is_reneg = head && (TCP_SKB_CB(head)->sacked & TCPCB_SACKED_ACKED);

	if (is_reneg) {
		__NET_INC_STATS(rnet(sk), LINUX_MIB_TCPSACKRENEGING);
		tp->sacked_out = 0;
		tp->is_sack_reneg = 1;
	} else if (tcp_is_reno(tp)) {
		tcp_reset_reno_sack(tp);
	}
	for (skb = head; skb && skb != tp->send_head;
	     skb = tcp_skb_is_last(sk, skb) ? NULL : skb->next) {
		if (is_reneg)
			TCP_SKB_CB(skb)->sacked &= (u8)~TCPCB_SACKED_ACKED;
		else if (tcp_is_rack(sk) && skb != head && tcp_rack_skb_timeout(sk, skb, 0) > 0)
			continue;     /* sent too recently to call lost yet */
		tcp_mark_skb_lost(sk, skb);
	}
}

/* RFC 6298 5.5-5.6 / RFC 5681 3.1 (4): the retransmit timer fired. */
void tcp_enter_loss(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	u32 reordering = (u32)tcp_net(sk)->sysctl_tcp_reordering;
	bool new_recovery = icsk->icsk_ca_state < TCP_CA_Recovery;

	tcp_timeout_mark_lost(sk);
	/* Reduce ssthresh once per window of data. */
	if (icsk->icsk_ca_state <= TCP_CA_Disorder || !after(tp->high_seq, tp->snd_una) ||
	    (icsk->icsk_ca_state == TCP_CA_Loss && !icsk->icsk_retransmits)) {
		tp->prior_ssthresh = tcp_current_ssthresh(sk);
		tp->prior_cwnd = tp->snd_cwnd;
		tp->snd_ssthresh = tcp_ca_ssthresh(sk);
		tcp_ca_event(sk, CA_EVENT_LOSS);
		tcp_init_undo(tp);
	}
	tp->snd_cwnd = tcp_packets_in_flight(tp) + 1;
	tp->snd_cwnd_cnt = 0;
	if (icsk->icsk_ca_state <= TCP_CA_Disorder && tp->sacked_out >= reordering)
		tp->reordering = TN_MIN(tp->reordering, reordering);
	tcp_set_ca_state(sk, TCP_CA_Loss);
	tp->high_seq = tp->snd_nxt;
	tp->tlp_high_seq = 0;
	/* F-RTO (RFC 5682 3.1 step 1) unless another recovery is under way,
	 * except for timeouts recurring on the same snd_una (3.2); not while
	 * probing the path MTU. */
	tp->frto = tcp_net(sk)->sysctl_tcp_frto && (new_recovery || icsk->icsk_retransmits) &&
		   !icsk->icsk_mtup.probe_size;
}

void tcp_clear_retrans(struct tcp_sock *tp)
{
	tp->retrans_out = 0;
	tp->lost_out = 0;
	tp->undo_marker = 0;
	tp->undo_retrans = -1;
	tp->sacked_out = 0;
}

static u32 tcp_skb_seglen(const struct sk_buff *skb)
{
	return tcp_skb_pcount(skb) == 1 ? skb->len : TCP_SKB_CB(skb)->tcp_gso_size;
}

/* The path MTU fell below what some queued segments need (tcp_ipv4.c):
 * those are lost; resend them at the new size without touching cwnd. */
void tcp_simple_retransmit(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	u32 mss = tcp_current_mss(sk);
	struct sk_buff *skb;

	for (skb = tcp_rtx_queue_head(sk); skb && skb != tp->send_head;
	     skb = tcp_skb_is_last(sk, skb) ? NULL : skb->next)
		if (tcp_skb_seglen(skb) > mss)
			tcp_mark_skb_lost(sk, skb);
	if (!tp->lost_out)
		return;
	if (tcp_is_reno(tp))
		tcp_limit_reno_sacked(tp);
	if (inet_csk(sk)->icsk_ca_state != TCP_CA_Loss) {
		tp->high_seq = tp->snd_nxt;
		tp->snd_ssthresh = tcp_current_ssthresh(sk);
		tp->prior_ssthresh = 0;
		tp->undo_marker = 0;
		tcp_set_ca_state(sk, TCP_CA_Loss);
	}
	tcp_xmit_retransmit_queue(sk);
}

/*
 * The reordering timer fired (RFC 8985 6.3, Linux's tcp_rack_reo_timeout):
 * what RACK now calls lost starts Recovery (PRR's first step) and is
 * retransmitted; the RTO takes the timer back.
 */
void tcp_rack_reo_timeout(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	u32 timeout, prior_inflight = tcp_packets_in_flight(tp), lost = tp->lost;

	tcp_rack_detect_loss(sk, &timeout);
	if (prior_inflight != tcp_packets_in_flight(tp)) {
		if (inet_csk(sk)->icsk_ca_state != TCP_CA_Recovery) {
			tcp_enter_recovery(sk);
			tcp_cwnd_reduction(sk, 1, (int)(tp->lost - lost), 0);
		}
		tcp_xmit_retransmit_queue(sk);
	}
	if (inet_csk(sk)->icsk_pending != ICSK_TIME_RETRANS)
		tcp_rearm_rto(sk);
}

/*
 * An ACK during a tail loss probe episode (RFC 8985 7.4, Linux's
 * tcp_process_tlp_ack). The episode ends when the ACK covers the probe:
 * a probe of new data, or one whose D-SACK or plain dupack shows the
 * original arrived too, meant no loss; a retransmitted probe ACKed beyond
 * it repaired a loss: reduce cwnd once (CWR), TcpExtTCPLossProbeRecovery.
 */
void tcp_process_tlp_ack(struct sock *sk, u32 ack, int flag)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (before(ack, tp->tlp_high_seq))
		return;
	if (!tp->tlp_retrans || (flag & FLAG_DSACK_TLP)) {
		tp->tlp_high_seq = 0;
	} else if (after(ack, tp->tlp_high_seq)) {
		tcp_init_cwnd_reduction(sk);      /* clears tlp_high_seq */
		tcp_set_ca_state(sk, TCP_CA_CWR);
		tcp_end_cwnd_reduction(sk);
		tcp_try_keep_open(sk);
		__NET_INC_STATS(rnet(sk), LINUX_MIB_TCPLOSSPROBERECOVERY);
	} else if (!(flag & (FLAG_SND_UNA_ADVANCED | FLAG_NOT_DUP | FLAG_DATA_SACKED))) {
		tp->tlp_high_seq = 0;
	}
}
