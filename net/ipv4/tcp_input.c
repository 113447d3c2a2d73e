/*
 * TCP input: RFC 9293 3.10.7 "SEGMENT ARRIVES" for a full socket, in the
 * shape of Linux's tcp_input.c. tcp_rcv_established() takes in-order data
 * and pure ACKs on a short path and everything else through the RFC's
 * steps; tcp_rcv_state_process() runs the steps for every other state:
 *
 *   options, PAWS (RFC 7323)   tcp_parse_options, tcp_validate_incoming
 *   1 sequence acceptable?     tcp_sequence (else a rate-limited dupack)
 *   2 RST                      RFC 5961 3: exact match resets, in window
 *                              gets a challenge ACK
 *   4 SYN                      RFC 5961 4: challenge ACK
 *   5 ACK                      tcp_ack: snd_una, window (snd_wl1 rules),
 *                              RTT (RFC 6298, Karn), retransmit queue,
 *                              SACK and recovery (tcp_recovery.c), cwnd
 *   7 text                     tcp_data_queue: receive queue, out-of-order
 *                              queue and the SACK blocks we send
 *   8 FIN                      tcp_fin
 *
 * plus ACK scheduling (quick ACKs, delayed ACKs, "every second full-sized
 * segment") and receive buffer auto-tuning. It is not: the listener's SYN
 * handling and request socks (tcp_conn_request, tcp_minisocks.c), TIME_WAIT
 * (tcp_minisocks.c), segment transmission (tcp_output.c), timers
 * (tcp_timer.c). Urgent data is ignored (the pointer is never acted on).
 *
 * Entry: skb->data and the transport header at the TCP header, checksum and
 * header length checked, TCP_SKB_CB filled (include/net/tcp.h). Received
 * data is queued with skb->data at the payload and TCP_SKB_CB kept, as Linux
 * queues it for tcp_recvmsg. Everything runs under the stack lock; tcp_done()
 * and tcp_time_wait() may release the socket, so the caller holds a
 * reference across the call.
 */
#include "net/skbuff.h"
#include <errno.h>
#include "net/ipv4/tcp_input.h"
#include "net/wire/tcp.h"
#include "net/dst.h"
#include "net/netdevice.h"
#include "net/net_namespace.h"
#include "net/stack.h"

#define TCP_MAX_QUICKACKS 16u
#define TCP_APP_WIN 31           /* Linux's net.ipv4.tcp_app_win default */
#define TCP_HDR_MIN 20
#define TCP_TIMEOUT_MIN 2u       /* jiffies: re-send a SYN that met an old RST */

/* TCP option kinds and lengths: include/net/wire/tcp.h. */

/* ---- the received header ------------------------------------------------
 * Read-only accessors over the header tcp_v4_rcv checked (doff >= 5 and
 * within the packet); byte order converted on read. */

static const u8 *th_bytes(const struct sk_buff *skb) { return skb_transport_header(skb); }
static u32 th_len(const struct sk_buff *skb) { return (u32)(th_bytes(skb)[12] >> 4) * 4; }
static u32 th_window(const struct sk_buff *skb) { return get_be16(th_bytes(skb) + 14); }
static bool th_has(const struct sk_buff *skb, u8 flag) { return TCP_SKB_CB(skb)->tcp_flags & flag; }

static inline struct net *inet_net(const struct sock *sk) { return sock_net(sk); }
static inline struct tn_stack *tcp_st(const struct sock *sk) { return sock_net(sk)->stack; }
static inline u32 tcp_jiffies32(const struct sock *sk) { return (u32)jiffies(tcp_st(sk)); }

u64 tcp_clock_us(const struct sock *sk)
{
	return tn_now(tcp_st(sk)) / 1000u;
}

u32 tcp_ts_clock(const struct sock *sk)
{
	return tcp_ts_clock_ms(tcp_st(sk));
}

static void tcp_drop_reason(struct sock *sk, struct sk_buff *skb, enum skb_drop_reason reason)
{
	sk->sk_drops++;
	kfree_skb_reason(skb, reason);
}

/* ---- options (RFC 9293 3.1, 3.2) ---------------------------------------- */

static void tcp_parse_one_option(const struct sk_buff *skb, struct tcp_options_received *opt_rx,
				 int estab, const struct tcp_net *tn, u8 opcode,
				 const u8 *ptr, int opsize)
{
	bool syn = th_has(skb, TCPHDR_SYN) && !estab;

	switch (opcode) {
	case TCPOPT_MSS:
		if (opsize == TCPOLEN_MSS && syn) {
			u16 in_mss = get_be16(ptr);

			if (in_mss) {
				if (opt_rx->user_mss && opt_rx->user_mss < in_mss)
					in_mss = opt_rx->user_mss;
				opt_rx->mss_clamp = in_mss;
			}
		}
		break;
	case TCPOPT_WINDOW:
		/* RFC 7323 2.3: a shift above 14 is used as 14. */
		if (opsize == TCPOLEN_WINDOW && syn && (!tn || tn->sysctl_tcp_window_scaling)) {
			opt_rx->wscale_ok = 1;
			opt_rx->snd_wscale = TN_MIN(*ptr, TCP_MAX_WSCALE);
		}
		break;
	case TCPOPT_TIMESTAMP:
		if (opsize == TCPOLEN_TIMESTAMP &&
		    ((estab && opt_rx->tstamp_ok) || (!estab && (!tn || tn->sysctl_tcp_timestamps)))) {
			opt_rx->saw_tstamp = 1;
			opt_rx->rcv_tsval = get_be32(ptr);
			opt_rx->rcv_tsecr = get_be32(ptr + 4);
		}
		break;
	case TCPOPT_SACK_PERM:
		if (opsize == TCPOLEN_SACK_PERM && syn && (!tn || tn->sysctl_tcp_sack)) {
			opt_rx->sack_ok = 1;
			opt_rx->dsack = 0;
			opt_rx->num_sacks = 0;
		}
		break;
	case TCPOPT_SACK:
		if (opsize >= TCPOLEN_SACK_BASE + TCPOLEN_SACK_PERBLOCK &&
		    !((opsize - TCPOLEN_SACK_BASE) % TCPOLEN_SACK_PERBLOCK) && opt_rx->sack_ok)
			TCP_SKB_CB(skb)->sacked = (u8)(ptr - 2 - th_bytes(skb));
		break;
	}
}

void tcp_parse_options(const struct sk_buff *skb, struct tcp_options_received *opt_rx, int estab)
{
	const struct tcp_net *tn = skb->dev ? dev_net(skb->dev)->ipv4.tcp : NULL;
	const u8 *ptr = th_bytes(skb) + TCP_HDR_MIN;
	int length = (int)th_len(skb) - TCP_HDR_MIN;

	opt_rx->saw_tstamp = 0;
	TCP_SKB_CB(skb)->sacked = 0;
	while (length > 0) {
		int opcode = *ptr++;
		int opsize;

		if (opcode == TCPOPT_EOL)
			return;
		if (opcode == TCPOPT_NOP) {
			length--;
			continue;
		}
		if (length < 2)
			return;
		opsize = *ptr++;
		if (opsize < 2 || opsize > length)
			return;          /* silly or partial option: stop */
		tcp_parse_one_option(skb, opt_rx, estab, tn, (u8)opcode, ptr, opsize);
		ptr += opsize - 2;
		length -= opsize;
	}
}

/* Options of a segment on a synchronized connection; the echoed TSecr is
 * put back on our clock. False when the header has no options. */
static bool tcp_fast_parse_options(const struct sk_buff *skb, struct tcp_sock *tp)
{
	if (th_len(skb) == TCP_HDR_MIN) {
		tp->rx_opt.saw_tstamp = 0;
		TCP_SKB_CB(skb)->sacked = 0;
		return false;
	}
	tcp_parse_options(skb, &tp->rx_opt, 1);
	if (tp->rx_opt.saw_tstamp && tp->rx_opt.rcv_tsecr)
		tp->rx_opt.rcv_tsecr -= tp->tsoffset;
	return true;
}

/* ---- timestamps and PAWS (RFC 7323 4.3, 5) -------------------------------- */

static void tcp_store_ts_recent(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	tp->rx_opt.ts_recent = tp->rx_opt.rcv_tsval;
	tp->rx_opt.ts_recent_stamp = jiffies(tcp_st(sk));
}

/* RFC 7323 4.3 (2): ts_recent follows segments covering Last.ACK.sent. */
static void tcp_replace_ts_recent(struct sock *sk, u32 seq)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (tp->rx_opt.saw_tstamp && !after(seq, tp->rcv_wup) &&
	    tcp_paws_check(&tp->rx_opt, 0, jiffies(tcp_st(sk))))
		tcp_store_ts_recent(sk);
}

static bool tcp_may_update_window(const struct tcp_sock *tp, u32 ack, u32 ack_seq, u32 nwin)
{
	return after(ack, tp->snd_una) || after(ack_seq, tp->snd_wl1) ||
	       (ack_seq == tp->snd_wl1 && (nwin > tp->snd_wnd || !nwin));
}

/* Linux's tcp_disordered_ack: a pure duplicate ACK whose old timestamp is
 * explained by reordering within an RTO is not a PAWS failure. */
static bool tcp_disordered_ack(const struct sock *sk, const struct sk_buff *skb)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	u32 seq = TCP_SKB_CB(skb)->seq, ack = TCP_SKB_CB(skb)->ack_seq;

	return th_has(skb, TCPHDR_ACK) && seq == TCP_SKB_CB(skb)->end_seq && seq == tp->rcv_nxt &&
	       ack == tp->snd_una &&
	       !tcp_may_update_window(tp, ack, seq, th_window(skb) << tp->rx_opt.snd_wscale) &&
	       (s32)(tp->rx_opt.ts_recent - tp->rx_opt.rcv_tsval) <=
		       (s32)(inet_csk(sk)->icsk_rto * 1024 / HZ);
}

static bool tcp_paws_discard(const struct sock *sk, const struct sk_buff *skb)
{
	const struct tcp_sock *tp = tcp_sk(sk);

	return !tcp_paws_check(&tp->rx_opt, TCP_PAWS_WINDOW, jiffies(tcp_st(sk))) &&
	       !tcp_disordered_ack(sk, skb);
}

/* ---- RTT and RTO (RFC 6298) ---------------------------------------------- */

static u32 tcp_rto_min_us(const struct sock *sk)
{
	u32 rto_min = inet_csk(sk)->icsk_rto_min ? inet_csk(sk)->icsk_rto_min : TCP_RTO_MIN;

	return rto_min * 1000u;
}

/* RFC 6298 2.2-2.3 in Linux's fixed point: srtt_us is 8 x SRTT, mdev_us
 * 4 x the mean deviation, rttvar_us its maximum over the last window, never
 * below the minimum RTO. */
static void tcp_rtt_estimator(struct sock *sk, long mrtt_us)
{
	struct tcp_sock *tp = tcp_sk(sk);
	long m = mrtt_us;
	u32 srtt = tp->srtt_us;

	if (srtt) {
		m -= (long)(srtt >> 3);
		srtt = (u32)((long)srtt + m);
		if (m < 0) {
			m = -m;
			m -= (long)(tp->mdev_us >> 2);
			if (m > 0)
				m >>= 3;
		} else {
			m -= (long)(tp->mdev_us >> 2);
		}
		tp->mdev_us = (u32)((long)tp->mdev_us + m);
		if (tp->mdev_us > tp->mdev_max_us) {
			tp->mdev_max_us = tp->mdev_us;
			if (tp->mdev_max_us > tp->rttvar_us)
				tp->rttvar_us = tp->mdev_max_us;
		}
		if (after(tp->snd_una, tp->rtt_seq)) {
			if (tp->mdev_max_us < tp->rttvar_us)
				tp->rttvar_us -= (tp->rttvar_us - tp->mdev_max_us) >> 2;
			tp->rtt_seq = tp->snd_nxt;
			tp->mdev_max_us = tcp_rto_min_us(sk);
		}
	} else {
		/* RFC 6298 2.2: the first measurement. */
		srtt = (u32)(m << 3);
		tp->mdev_us = (u32)(m << 1);
		tp->rttvar_us = TN_MAX(tp->mdev_us, tcp_rto_min_us(sk));
		tp->mdev_max_us = tp->rttvar_us;
		tp->rtt_seq = tp->snd_nxt;
	}
	tp->srtt_us = TN_MAX(1u, srtt);
}

/* RFC 6298 2.4-2.5: RTO = SRTT + max(G, 4 x RTTVAR), at most 120 s. */
static void tcp_set_rto(struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	u64 rto_us = (tp->srtt_us >> 3) + tp->rttvar_us;
	u64 rto = (rto_us + 999) / 1000;

	inet_csk(sk)->icsk_rto = (u32)TN_MIN(rto, (u64)TCP_RTO_MAX);
}

/* The least RTT seen (Linux's rtt_min filter, without its 300 s window):
 * a sample of 0 counts as one jiffy, as Linux's. */
static void tcp_update_rtt_min(struct sock *sk, long rtt_us)
{
	struct tcp_sock *tp = tcp_sk(sk);
	u32 v = rtt_us > 0 ? (u32)rtt_us : 1000u;

	if (rtt_us >= 0 && v < tp->min_rtt_us)
		tp->min_rtt_us = v;
}

/*
 * One RTT sample per ACK. Karn (RFC 6298 3): nothing retransmitted may be
 * timed, which the callers ensure by passing -1; then RFC 7323 4.1: the
 * timestamp echo times an ACK that acknowledges new data.
 */
static bool tcp_ack_update_rtt(struct sock *sk, int flag, long seq_rtt_us, long sack_rtt_us,
			       long ca_rtt_us)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (seq_rtt_us < 0)
		seq_rtt_us = sack_rtt_us;
	if (seq_rtt_us < 0 && tp->rx_opt.saw_tstamp && tp->rx_opt.rcv_tsecr && (flag & FLAG_ACKED)) {
		s32 delta = (s32)(tcp_ts_clock(sk) - tp->rx_opt.rcv_tsecr);

		if (delta >= 0)
			seq_rtt_us = ca_rtt_us = (long)(delta ? delta : 1) * 1000;
	}
	if (seq_rtt_us < 0)
		return false;
	tcp_update_rtt_min(sk, ca_rtt_us);
	tcp_rtt_estimator(sk, seq_rtt_us);
	tcp_set_rto(sk);
	inet_csk(sk)->icsk_backoff = 0;      /* RFC 6298 5.7 */
	return true;
}

s64 tcp_rto_delta_us(const struct sock *sk)
{
	const struct sk_buff *skb = tcp_rtx_queue_head(sk);
	u64 rto_us = (u64)inet_csk(sk)->icsk_rto * 1000u;

	if (!skb)
		return (s64)rto_us;
	return (s64)(TCP_SKB_CB(skb)->tx_stamp / 1000u + rto_us) - (s64)tcp_clock_us(sk);
}

/* RFC 6298 5.1, 5.2: data outstanding keeps the timer running; none stops
 * it. A loss probe or reordering timer gives way to the RTO of the head,
 * counted from when the head was sent (Linux's tcp_rearm_rto). */
void tcp_rearm_rto(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	u64 rto = icsk->icsk_rto;

	if (!tp->packets_out) {
		inet_csk_clear_xmit_timer(sk, ICSK_TIME_RETRANS);
		return;
	}
	if (icsk->icsk_pending == ICSK_TIME_REO_TIMEOUT ||
	    icsk->icsk_pending == ICSK_TIME_LOSS_PROBE) {
		s64 delta_us = TN_MAX(tcp_rto_delta_us(sk), (s64)1);

		rto = ((u64)delta_us + 999) / 1000;   /* usecs_to_jiffies */
	}
	inet_csk_reset_xmit_timer(sk, ICSK_TIME_RETRANS, rto, TCP_RTO_MAX);
}

/* ---- ACK scheduling (RFC 1122 4.2.3.2, RFC 5681 4.2) ---------------------- */

static void tcp_incr_quickack(struct sock *sk, unsigned int max_quickacks)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	unsigned int rcv_mss = icsk->icsk_ack.rcv_mss ? icsk->icsk_ack.rcv_mss : TCP_MSS_DEFAULT;
	unsigned int quickacks = tcp_sk(sk)->rcv_wnd / (2 * rcv_mss);

	if (!quickacks)
		quickacks = 2;
	quickacks = TN_MIN(quickacks, max_quickacks);
	if (quickacks > icsk->icsk_ack.quick)
		icsk->icsk_ack.quick = (u8)quickacks;
}

void tcp_enter_quickack_mode(struct sock *sk, unsigned int max_quickacks)
{
	tcp_incr_quickack(sk, max_quickacks);
	inet_csk_exit_pingpong_mode(sk);
	inet_csk(sk)->icsk_ack.ato = TCP_ATO_MIN;
}

static bool tcp_in_quickack_mode(const struct sock *sk)
{
	return inet_csk(sk)->icsk_ack.quick && !inet_csk_in_pingpong_mode(sk);
}

/* Estimate the peer's MSS from what arrives (Linux's tcp_measure_rcv_mss);
 * a short segment with PSH marks the ACK as "pushed". A large packet from
 * veth, lo or a TAP (GSO) says its segment size in gso_size, as a GRO
 * packet does on Linux. */
static void tcp_measure_rcv_mss(struct sock *sk, const struct sk_buff *skb)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	const unsigned int lss = icsk->icsk_ack.last_seg_size;
	unsigned int len = skb_shinfo(skb)->gso_size ? skb_shinfo(skb)->gso_size : skb->len;

	icsk->icsk_ack.last_seg_size = 0;
	if (len >= icsk->icsk_ack.rcv_mss) {
		icsk->icsk_ack.rcv_mss = (u16)TN_MIN(len, (unsigned int)tcp_sk(sk)->advmss);
		if (th_has(skb, TCPHDR_PSH))
			icsk->icsk_ack.pending |= ICSK_ACK_PUSHED;
		return;
	}
	len += th_len(skb);
	if (len >= TCP_MSS_DEFAULT + TCP_HDR_MIN ||
	    (len >= TCP_MIN_MSS + TCP_HDR_MIN && !th_has(skb, TCPHDR_PSH | TCPHDR_URG))) {
		len -= tcp_sk(sk)->tcp_header_len;
		icsk->icsk_ack.last_seg_size = (u16)len;
		if (len == lss) {
			icsk->icsk_ack.rcv_mss = (u16)len;
			return;
		}
	}
	if (icsk->icsk_ack.pending & ICSK_ACK_PUSHED)
		icsk->icsk_ack.pending |= ICSK_ACK_PUSHED2;
	icsk->icsk_ack.pending |= ICSK_ACK_PUSHED;
}

/* Receiver-side RTT: one window's worth of data per measurement (DRS). */
static void tcp_rcv_rtt_update(struct tcp_sock *tp, u32 sample, int win_dep)
{
	u32 new_sample = tp->rcv_rtt_est.rtt_us;
	long m = sample;

	if (new_sample) {
		if (!win_dep) {
			m -= (long)(new_sample >> 3);
			new_sample = (u32)((long)new_sample + m);
		} else {
			m <<= 3;
			if (m < (long)new_sample)
				new_sample = (u32)m;
		}
	} else {
		new_sample = (u32)(m << 3);
	}
	tp->rcv_rtt_est.rtt_us = new_sample;
}

static void tcp_rcv_rtt_measure(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	u64 now = tcp_clock_us(sk);

	if (tp->rcv_rtt_est.time) {
		u64 delta_us;

		if (before(tp->rcv_nxt, tp->rcv_rtt_est.seq))
			return;
		delta_us = now - tp->rcv_rtt_est.time;
		tcp_rcv_rtt_update(tp, delta_us ? (u32)TN_MIN(delta_us, (u64)UINT32_MAX) : 1, 1);
	}
	tp->rcv_rtt_est.seq = tp->rcv_nxt + tp->rcv_wnd;
	tp->rcv_rtt_est.time = now;
}

/* Linux's __tcp_grow_window: does an skb of this truesize fit the window
 * the buffer allows once rcv_ssthresh grows? */
static int __tcp_grow_window(const struct sock *sk, const struct sk_buff *skb)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	int truesize = tcp_win_from_space(sk, (int)skb->truesize) >> 1;
	int window = tcp_win_from_space(sk, tcp_net(sk)->sysctl_tcp_rmem[2]) >> 1;

	while ((int)tp->rcv_ssthresh <= window) {
		if (truesize <= (int)skb->len)
			return 2 * inet_csk(sk)->icsk_ack.rcv_mss;
		truesize >>= 1;
		window >>= 1;
	}
	return 0;
}

/* Open rcv_ssthresh (the window we offer) while data arrives in segments
 * whose overhead the buffer can carry. */
static void tcp_grow_window(struct sock *sk, const struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);
	int room = TN_MIN((int)tp->window_clamp, tcp_space(sk)) - (int)tp->rcv_ssthresh;
	int incr;

	if (room <= 0)
		return;
	if (tcp_win_from_space(sk, (int)skb->truesize) <= (int)skb->len)
		incr = 2 * tp->advmss;
	else
		incr = __tcp_grow_window(sk, skb);
	if (incr) {
		incr = TN_MAX(incr, 2 * (int)skb->len);
		tp->rcv_ssthresh += (u32)TN_MIN(room, incr);
		inet_csk(sk)->icsk_ack.quick |= 1;
	}
}

/* Data arrived in order: the delayed-ACK timeout follows the inter-arrival
 * time (ato), quick-ACK mode at the start and after a long gap. */
static void tcp_event_data_recv(struct sock *sk, struct sk_buff *skb)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	u32 now = tcp_jiffies32(sk);

	inet_csk_schedule_ack(sk);
	tcp_measure_rcv_mss(sk, skb);
	tcp_rcv_rtt_measure(sk);
	if (!icsk->icsk_ack.ato) {
		/* The first data segment: start the delayed-ACK engine. */
		tcp_incr_quickack(sk, TCP_MAX_QUICKACKS);
		icsk->icsk_ack.ato = TCP_ATO_MIN;
	} else {
		int m = (int)(now - icsk->icsk_ack.lrcvtime);

		if (m <= TCP_ATO_MIN / 2) {
			icsk->icsk_ack.ato = (icsk->icsk_ack.ato >> 1) + TCP_ATO_MIN / 2;
		} else if (m < (int)icsk->icsk_ack.ato) {
			icsk->icsk_ack.ato = (icsk->icsk_ack.ato >> 1) + (u32)m;
			if (icsk->icsk_ack.ato > icsk->icsk_rto)
				icsk->icsk_ack.ato = icsk->icsk_rto;
		} else if (m > (int)icsk->icsk_rto) {
			/* The sender idled: ACK quickly while it restarts. */
			tcp_incr_quickack(sk, TCP_MAX_QUICKACKS);
		}
	}
	icsk->icsk_ack.lrcvtime = now;
	if (skb->len >= 128)
		tcp_grow_window(sk, skb);
}

/* RFC 1122 4.2.3.2 / RFC 5681 4.2: ACK at once for a second full-sized
 * segment (when the window would advance), in quick-ACK mode, when asked
 * (ICSK_ACK_NOW), or with out-of-order data queued; else delay. */
static void __tcp_ack_snd_check(struct sock *sk, int ofo_possible)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (((tp->rcv_nxt - tp->rcv_wup) > inet_csk(sk)->icsk_ack.rcv_mss &&
	     __tcp_select_window(sk) >= tp->rcv_wnd) ||
	    tcp_in_quickack_mode(sk) || (inet_csk(sk)->icsk_ack.pending & ICSK_ACK_NOW) ||
	    (ofo_possible && !skb_queue_empty(&tp->out_of_order_queue))) {
		tcp_send_ack(sk);
		return;
	}
	tcp_send_delayed_ack(sk);
}

static void tcp_ack_snd_check(struct sock *sk)
{
	if (!inet_csk_ack_scheduled(sk))
		return;          /* a data segment carried the ACK already */
	__tcp_ack_snd_check(sk, 1);
}

/* ---- receive buffer (Linux's tcp_try_rmem_schedule, DRS) ------------------ */

/* Grow the send buffer to hold twice the congestion window (cubic needs
 * 1.7x through fast recovery) in skbs of this MSS, within tcp_wmem[2]
 * (Linux's tcp_sndbuf_expand, with tuxnet's skb sizes). */
static void tcp_sndbuf_expand(struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	u32 per_mss = TN_MAX((u32)tp->rx_opt.mss_clamp, tp->mss_cache) + MAX_TCP_HEADER +
		      TN_ALIGN((u32)sizeof(struct skb_shared_info), 64u);
	u32 nr_segs = TN_MAX((u32)TCP_INIT_CWND, tp->snd_cwnd);
	u32 pow2 = 1;
	u64 sndmem;

	while (pow2 < per_mss)
		pow2 <<= 1;                 /* roundup_pow_of_two: skb heads come in classes */
	per_mss = pow2 + TN_ALIGN((u32)sizeof(struct sk_buff), 64u);
	nr_segs = TN_MAX(nr_segs, tp->reordering + 1);
	sndmem = 2ull * nr_segs * per_mss;
	if ((u64)sk->sk_sndbuf < sndmem)
		sk->sk_sndbuf = (int)TN_MIN(sndmem, (u64)tcp_net(sk)->sysctl_tcp_wmem[2]);
}

void tcp_init_buffer_space(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	int maxwin;

	if (!(sk->sk_userlocks & SOCK_SNDBUF_LOCK))
		tcp_sndbuf_expand(sk);
	maxwin = tcp_full_space(sk);
	tp->rcvq_space.time = tcp_clock_us(sk);
	tp->rcvq_space.seq = tp->copied_seq;
	if (tp->window_clamp >= (u32)maxwin) {
		tp->window_clamp = (u32)maxwin;
		if (maxwin > 4 * tp->advmss)
			tp->window_clamp = (u32)TN_MAX(maxwin - (maxwin >> TCP_APP_WIN),
						       4 * tp->advmss);
	}
	/* Keep one segment's room. */
	if (tp->window_clamp > 2u * tp->advmss && tp->window_clamp + tp->advmss > (u32)maxwin)
		tp->window_clamp = (u32)TN_MAX(2 * tp->advmss, maxwin - tp->advmss);
	tp->rcv_ssthresh = TN_MIN(tp->rcv_ssthresh, tp->window_clamp);
	tp->rcvq_space.space = TN_MIN(TN_MIN(tp->rcv_ssthresh, tp->rcv_wnd),
				      (u32)TCP_INIT_CWND * tp->advmss);
}

/*
 * Dynamic Right-Sizing (Linux's tcp_rcv_space_adjust): once per receiver
 * RTT, if the application read more than last time, grow sk_rcvbuf to
 * twice that plus the growth rate, within tcp_rmem[2], unless SO_RCVBUF
 * fixed it.
 */
void tcp_rcv_space_adjust(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	u64 now = tcp_clock_us(sk);
	u32 copied;

	if (!tp->rcv_rtt_est.rtt_us || now - tp->rcvq_space.time < (tp->rcv_rtt_est.rtt_us >> 3))
		return;
	copied = tp->copied_seq - tp->rcvq_space.seq;
	if (copied <= tp->rcvq_space.space)
		goto new_measure;
	if (tcp_net(sk)->sysctl_tcp_moderate_rcvbuf && !(sk->sk_userlocks & SOCK_RCVBUF_LOCK)) {
		u64 rcvwin = ((u64)copied << 1) + 16u * tp->advmss;
		u64 grow = rcvwin * (copied - tp->rcvq_space.space) / tp->rcvq_space.space;
		u64 rcvbuf;

		rcvwin += grow << 1;
		rcvbuf = TN_MIN((u64)tcp_space_from_win(sk, (int)TN_MIN(rcvwin, (u64)INT32_MAX / 2)),
				(u64)tcp_net(sk)->sysctl_tcp_rmem[2]);
		if ((int)rcvbuf > sk->sk_rcvbuf) {
			sk->sk_rcvbuf = (int)rcvbuf;
			tp->window_clamp = (u32)tcp_win_from_space(sk, (int)rcvbuf);
		}
	}
	tp->rcvq_space.space = copied;
new_measure:
	tp->rcvq_space.seq = tp->copied_seq;
	tp->rcvq_space.time = now;
}

/* Free out-of-order data from the highest sequence down until the buffer
 * has room (RFC 2018 8 lets a receiver renege on what it SACKed). */
static bool tcp_prune_ofo_queue(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	bool pruned = false;

	while (!skb_queue_empty(&tp->out_of_order_queue) && sk->sk_rmem_alloc > sk->sk_rcvbuf) {
		struct sk_buff *skb = __skb_dequeue_tail(&tp->out_of_order_queue);

		tcp_drop_reason(sk, skb, SKB_DROP_REASON_TCP_OFO_QUEUE_PRUNE);
		pruned = true;
	}
	if (pruned) {
		__NET_INC_STATS(inet_net(sk), LINUX_MIB_OFOPRUNED);
		tp->rx_opt.num_sacks = 0;   /* the blocks describe what is gone */
	}
	return pruned;
}

/* Over sk_rcvbuf: Linux's tcp_prune_queue; 0 when there is room again. */
static int tcp_prune_queue(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	__NET_INC_STATS(inet_net(sk), LINUX_MIB_PRUNECALLED);
	if (sk->sk_rmem_alloc >= sk->sk_rcvbuf)
		tp->rcv_ssthresh = TN_MIN(tp->rcv_ssthresh, 4u * tp->advmss);
	if (sk->sk_rmem_alloc <= sk->sk_rcvbuf)
		return 0;
	tcp_prune_ofo_queue(sk);
	if (sk->sk_rmem_alloc <= sk->sk_rcvbuf)
		return 0;
	__NET_INC_STATS(inet_net(sk), LINUX_MIB_RCVPRUNED);
	return -1;
}

static int tcp_try_rmem_schedule(struct sock *sk, const struct sk_buff *skb)
{
	if (sk->sk_rmem_alloc + (int)skb->truesize <= sk->sk_rcvbuf)
		return 0;
	if (sk->sk_rmem_alloc > sk->sk_rcvbuf && tcp_prune_queue(sk) < 0)
		return -1;
	while (sk->sk_rmem_alloc + (int)skb->truesize > sk->sk_rcvbuf) {
		if (!tcp_prune_ofo_queue(sk))
			return -1;
	}
	return 0;
}

/* ---- the SACK blocks we send (RFC 2018 4, RFC 2883) ------------------------ */

static bool tcp_sack_extend(struct tcp_sack_block *sp, u32 seq, u32 end_seq)
{
	if (!after(seq, sp->end_seq) && !after(sp->start_seq, end_seq)) {
		if (before(seq, sp->start_seq))
			sp->start_seq = seq;
		if (after(end_seq, sp->end_seq))
			sp->end_seq = end_seq;
		return true;
	}
	return false;
}

/* RFC 2883 4: report a duplicate in the first block of the next ACK. */
static void tcp_dsack_set(struct sock *sk, u32 seq, u32 end_seq)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (!tcp_is_sack(tp) || !tcp_net(sk)->sysctl_tcp_dsack)
		return;
	__NET_INC_STATS(inet_net(sk), before(seq, tp->rcv_nxt) ? LINUX_MIB_TCPDSACKOLDSENT
							       : LINUX_MIB_TCPDSACKOFOSENT);
	tp->rx_opt.dsack = 1;
	tp->duplicate_sack[0].start_seq = seq;
	tp->duplicate_sack[0].end_seq = end_seq;
}

static void tcp_dsack_extend(struct sock *sk, u32 seq, u32 end_seq)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (!tp->rx_opt.dsack)
		tcp_dsack_set(sk, seq, end_seq);
	else
		tcp_sack_extend(tp->duplicate_sack, seq, end_seq);
}

/* The first block grew: swallow the blocks it now touches. */
static void tcp_sack_maybe_coalesce(struct tcp_sock *tp)
{
	struct tcp_sack_block *sp = &tp->selective_acks[0];
	int this_sack = 1;

	while (this_sack < tp->rx_opt.num_sacks) {
		if (tcp_sack_extend(sp, sp[this_sack].start_seq, sp[this_sack].end_seq)) {
			int i;

			tp->rx_opt.num_sacks--;
			for (i = this_sack; i < tp->rx_opt.num_sacks; i++)
				sp[i] = sp[i + 1];
			continue;
		}
		this_sack++;
	}
}

/* RFC 2018 4: the block holding the newest segment goes first. */
static void tcp_sack_new_ofo_skb(struct sock *sk, u32 seq, u32 end_seq)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcp_sack_block *sp = &tp->selective_acks[0];
	int cur_sacks = tp->rx_opt.num_sacks;
	int this_sack;

	for (this_sack = 0; this_sack < cur_sacks; this_sack++) {
		if (tcp_sack_extend(&sp[this_sack], seq, end_seq)) {
			struct tcp_sack_block tmp = sp[this_sack];

			for (; this_sack > 0; this_sack--)
				sp[this_sack] = sp[this_sack - 1];
			sp[0] = tmp;
			if (cur_sacks > 1)
				tcp_sack_maybe_coalesce(tp);
			return;
		}
	}
	/* A new block in front; the oldest falls off a full list. */
	if (this_sack >= TCP_NUM_SACKS) {
		this_sack--;
		tp->rx_opt.num_sacks--;
	}
	for (; this_sack > 0; this_sack--)
		sp[this_sack] = sp[this_sack - 1];
	sp[0].start_seq = seq;
	sp[0].end_seq = end_seq;
	tp->rx_opt.num_sacks++;
}

/* rcv_nxt advanced: blocks it covers are gone. */
static void tcp_sack_remove(struct tcp_sock *tp)
{
	struct tcp_sack_block *sp = tp->selective_acks;
	int num_sacks = tp->rx_opt.num_sacks;
	int this_sack = 0;

	if (skb_queue_empty(&tp->out_of_order_queue)) {
		tp->rx_opt.num_sacks = 0;
		return;
	}
	while (this_sack < num_sacks) {
		if (!before(tp->rcv_nxt, sp[this_sack].start_seq)) {
			int i;

			for (i = this_sack + 1; i < num_sacks; i++)
				sp[i - 1] = sp[i];
			num_sacks--;
			continue;
		}
		this_sack++;
	}
	tp->rx_opt.num_sacks = (u8)num_sacks;
}

/* ---- segment text (RFC 9293 3.10.7.4 seventh) ---------------------------- */

static void tcp_rcv_nxt_update(struct tcp_sock *tp, u32 seq)
{
	tp->bytes_received += seq - tp->rcv_nxt;
	tp->rcv_nxt = seq;
}

static void tcp_queue_rcv(struct sock *sk, struct sk_buff *skb)
{
	__skb_queue_tail(&sk->sk_receive_queue, skb);
	skb_set_owner_r(skb, sk);
	tcp_rcv_nxt_update(tcp_sk(sk), TCP_SKB_CB(skb)->end_seq);
}

static void tcp_data_ready(struct sock *sk)
{
	if (!sock_flag(sk, SOCK_DEAD) && sk->sk_data_ready)
		sk->sk_data_ready(sk);
}

/*
 * RFC 9293 3.10.7.4 eighth: the FIN. The receive side is shut; states
 * move as the RFC says (and Linux: SYN_RECV like ESTABLISHED); anything
 * out of order past the FIN is dropped.
 */
static void tcp_fin(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	inet_csk_schedule_ack(sk);
	sk->sk_shutdown |= RCV_SHUTDOWN;
	sock_set_flag(sk, SOCK_DONE);
	switch (sk->sk_state) {
	case TCP_SYN_RECV:
	case TCP_ESTABLISHED:
		tcp_set_state(sk, TCP_CLOSE_WAIT);
		inet_csk(sk)->icsk_ack.pingpong = 1;
		break;
	case TCP_CLOSE_WAIT:
	case TCP_CLOSING:
	case TCP_LAST_ACK:
		break;           /* a retransmitted FIN */
	case TCP_FIN_WAIT1:
		/* Simultaneous close: ACK the FIN, wait for ours to be ACKed. */
		tcp_send_ack(sk);
		tcp_set_state(sk, TCP_CLOSING);
		break;
	case TCP_FIN_WAIT2:
		tcp_send_ack(sk);
		tcp_time_wait(sk, TCP_TIME_WAIT, 0);
		break;
	default:
		break;
	}
	skb_queue_purge_reason(&tp->out_of_order_queue, SKB_DROP_REASON_TCP_OFO_DROP);
	if (tcp_is_sack(tp)) {
		tp->rx_opt.num_sacks = 0;
		tp->rx_opt.dsack = 0;
	}
	if (!sock_flag(sk, SOCK_DEAD) && sk->sk_state_change)
		sk->sk_state_change(sk);
}

/* Move what the out-of-order queue holds at rcv_nxt to the receive queue. */
static void tcp_ofo_queue(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	u32 dsack_high = tp->rcv_nxt;
	struct sk_buff *skb;

	while ((skb = skb_peek(&tp->out_of_order_queue)) != NULL) {
		if (after(TCP_SKB_CB(skb)->seq, tp->rcv_nxt))
			break;
		/* The duplicate part of a queued segment is what lies below
		 * rcv_nxt, up to its own end: Linux's tcp_ofo_queue() since
		 * the fix for non-contiguous ranges (2025), which reports
		 * 1001:3001, not 1001:rcv_nxt, when 4001:5001 was queued too. */
		if (before(TCP_SKB_CB(skb)->seq, dsack_high)) {
			u32 dsack = dsack_high;

			if (before(TCP_SKB_CB(skb)->end_seq, dsack_high))
				dsack = TCP_SKB_CB(skb)->end_seq;
			tcp_dsack_extend(sk, TCP_SKB_CB(skb)->seq, dsack);
		}
		__skb_unlink(skb, &tp->out_of_order_queue);
		if (!after(TCP_SKB_CB(skb)->end_seq, tp->rcv_nxt)) {
			tcp_drop_reason(sk, skb, SKB_DROP_REASON_TCP_OFO_DROP);
			continue;
		}
		/* Already charged to the socket when it went out of order. */
		__skb_queue_tail(&sk->sk_receive_queue, skb);
		tcp_rcv_nxt_update(tp, TCP_SKB_CB(skb)->end_seq);
		if (TCP_SKB_CB(skb)->tcp_flags & TCPHDR_FIN) {
			tcp_fin(sk);     /* purges the rest */
			break;
		}
	}
}

/* Insert skb into the sorted out-of-order queue, dropping what it makes
 * redundant; D-SACK what was duplicate. false: skb itself was redundant
 * (freed). */
static bool tcp_ofo_insert(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff_head *q = &tp->out_of_order_queue;
	u32 seq = TCP_SKB_CB(skb)->seq, end_seq = TCP_SKB_CB(skb)->end_seq;
	struct sk_buff *prev = q->prev, *next;

	while (prev != (struct sk_buff *)q && after(TCP_SKB_CB(prev)->seq, seq))
		prev = prev->prev;
	if (prev != (struct sk_buff *)q && before(seq, TCP_SKB_CB(prev)->end_seq)) {
		if (!after(end_seq, TCP_SKB_CB(prev)->end_seq)) {
			/* All of it is here already. */
			__NET_INC_STATS(inet_net(sk), LINUX_MIB_TCPOFOMERGE);
			tcp_drop_reason(sk, skb, SKB_DROP_REASON_TCP_OFOMERGE);
			tcp_dsack_set(sk, seq, end_seq);
			return false;
		}
		if (after(seq, TCP_SKB_CB(prev)->seq)) {
			tcp_dsack_set(sk, seq, TCP_SKB_CB(prev)->end_seq);
		} else {
			/* Same start, covers prev: replace it. */
			struct sk_buff *old = prev;

			prev = prev->prev;
			__skb_unlink(old, q);
			tcp_dsack_extend(sk, TCP_SKB_CB(old)->seq, TCP_SKB_CB(old)->end_seq);
			__NET_INC_STATS(inet_net(sk), LINUX_MIB_TCPOFOMERGE);
			tcp_drop_reason(sk, old, SKB_DROP_REASON_TCP_OFOMERGE);
		}
	}
	__skb_insert(skb, prev, prev->next, q);
	/* Remove the segments skb covers. */
	while ((next = skb->next) != (struct sk_buff *)q) {
		if (!after(end_seq, TCP_SKB_CB(next)->seq))
			break;
		if (before(end_seq, TCP_SKB_CB(next)->end_seq)) {
			tcp_dsack_extend(sk, TCP_SKB_CB(next)->seq, end_seq);
			break;
		}
		__skb_unlink(next, q);
		tcp_dsack_extend(sk, TCP_SKB_CB(next)->seq, TCP_SKB_CB(next)->end_seq);
		__NET_INC_STATS(inet_net(sk), LINUX_MIB_TCPOFOMERGE);
		tcp_drop_reason(sk, next, SKB_DROP_REASON_TCP_OFOMERGE);
	}
	return true;
}

/* RFC 9293 3.10.7.4 / RFC 5681 4.2: data beyond a hole is kept (within the
 * buffer) and ACKed at once with the SACK blocks describing it. */
static void tcp_data_queue_ofo(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);
	u32 seq = TCP_SKB_CB(skb)->seq, end_seq = TCP_SKB_CB(skb)->end_seq;
	bool first = skb_queue_empty(&tp->out_of_order_queue);

	if (tcp_try_rmem_schedule(sk, skb)) {
		__NET_INC_STATS(inet_net(sk), LINUX_MIB_TCPOFODROP);
		tcp_data_ready(sk);
		tcp_drop_reason(sk, skb, SKB_DROP_REASON_TCP_OFO_DROP);
		return;
	}
	inet_csk_schedule_ack(sk);
	tp->rcv_ooopack++;
	__NET_INC_STATS(inet_net(sk), LINUX_MIB_TCPOFOQUEUE);
	if (first) {
		__skb_queue_tail(&tp->out_of_order_queue, skb);
		if (tcp_is_sack(tp)) {
			tp->rx_opt.num_sacks = 1;
			tp->selective_acks[0].start_seq = seq;
			tp->selective_acks[0].end_seq = end_seq;
		}
	} else {
		bool kept = tcp_ofo_insert(sk, skb);

		if (tcp_is_sack(tp))
			tcp_sack_new_ofo_skb(sk, seq, end_seq);
		if (!kept)
			return;
	}
	tcp_grow_window(sk, skb);
	skb_set_owner_r(skb, sk);
}

/* In order and in window: to the receive queue (or dropped when the
 * buffer cannot take it and the queue already has data to read). */
static void tcp_data_queue_in_order(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (tcp_try_rmem_schedule(sk, skb)) {
		inet_csk(sk)->icsk_ack.pending |= ICSK_ACK_NOW;
		inet_csk_schedule_ack(sk);
		tcp_data_ready(sk);
		if (skb_queue_len(&sk->sk_receive_queue) && skb->len) {
			__NET_INC_STATS(inet_net(sk), LINUX_MIB_TCPRCVQDROP);
			tcp_drop_reason(sk, skb, SKB_DROP_REASON_PROTO_MEM);
			return;
		}
	}
	tcp_queue_rcv(sk, skb);
	if (skb->len)
		tcp_event_data_recv(sk, skb);
	if (TCP_SKB_CB(skb)->tcp_flags & TCPHDR_FIN)
		tcp_fin(sk);
	if (!skb_queue_empty(&tp->out_of_order_queue)) {
		tcp_ofo_queue(sk);
		/* RFC 5681 4.2: ACK at once when a hole is filled. */
		if (skb_queue_empty(&tp->out_of_order_queue))
			inet_csk(sk)->icsk_ack.pending |= ICSK_ACK_NOW;
	}
	if (tp->rx_opt.num_sacks)
		tcp_sack_remove(tp);
	tcp_data_ready(sk);
}

static void tcp_data_queue_drop(struct sock *sk, struct sk_buff *skb, enum skb_drop_reason r)
{
	tcp_enter_quickack_mode(sk, TCP_MAX_QUICKACKS);
	inet_csk_schedule_ack(sk);
	tcp_drop_reason(sk, skb, r);
}

static void tcp_data_queue_zero_window(struct sock *sk, struct sk_buff *skb)
{
	__NET_INC_STATS(inet_net(sk), LINUX_MIB_TCPZEROWINDOWDROP);
	tcp_data_queue_drop(sk, skb, SKB_DROP_REASON_TCP_ZEROWINDOW);
}

/* RFC 9293 3.10.7.4 seventh: where does the text of this segment go? */
static void tcp_data_queue(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);
	u32 seq = TCP_SKB_CB(skb)->seq, end_seq = TCP_SKB_CB(skb)->end_seq;

	if (seq == end_seq) {
		consume_skb(skb);        /* nothing but the ACK */
		return;
	}
	skb_dst_drop(skb);
	skb_pull(skb, th_len(skb));
	tp->rx_opt.dsack = 0;
	if (seq == tp->rcv_nxt) {
		/* A bare FIN is accepted even into a zero window. */
		if (!tcp_receive_window(tp) && (skb->len || !th_has(skb, TCPHDR_FIN))) {
			tcp_data_queue_zero_window(sk, skb);
			return;
		}
		tcp_data_queue_in_order(sk, skb);
		return;
	}
	if (!after(end_seq, tp->rcv_nxt)) {
		/* A retransmission of what we have: D-SACK it, ACK now. */
		__NET_INC_STATS(inet_net(sk), LINUX_MIB_DELAYEDACKLOST);
		tcp_dsack_set(sk, seq, end_seq);
		tcp_data_queue_drop(sk, skb, SKB_DROP_REASON_TCP_OLD_DATA);
		return;
	}
	if (!before(seq, tp->rcv_nxt + tcp_receive_window(tp))) {
		/* Out of window, e.g. a zero-window probe. */
		tcp_data_queue_drop(sk, skb, SKB_DROP_REASON_TCP_OVERWINDOW);
		return;
	}
	if (before(seq, tp->rcv_nxt)) {
		/* Partly old: D-SACK the old part, queue the rest. */
		tcp_dsack_set(sk, seq, tp->rcv_nxt);
		if (!tcp_receive_window(tp)) {
			tcp_data_queue_zero_window(sk, skb);
			return;
		}
		tcp_data_queue_in_order(sk, skb);
		return;
	}
	tcp_data_queue_ofo(sk, skb);
}

/* ---- sending side effects of an ACK -------------------------------------- */

static void tcp_data_snd_check(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (tcp_send_head(sk))
		__tcp_push_pending_frames(sk, tcp_current_mss(sk), tp->nonagle);
}

/* Linux's tcp_should_expand_sndbuf: not when SO_SNDBUF fixed it, nor when
 * the congestion window is full anyway. */
static bool tcp_should_expand_sndbuf(const struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);

	if (sk->sk_userlocks & SOCK_SNDBUF_LOCK)
		return false;
	return tcp_packets_in_flight(tp) < tp->snd_cwnd;
}

/* Write-queue space was freed by an ACK (Linux's tcp_check_space and
 * tcp_new_space): a writer that found the buffer full gets a larger one,
 * then sk_write_space (sk_stream_write_space) decides whether it wakes. */
static void tcp_check_space(struct sock *sk)
{
	if (!sk->sk_socket || sock_flag(sk, SOCK_DEAD) || !tcp_sk(sk)->write_nospace)
		return;
	if (tcp_should_expand_sndbuf(sk)) {
		tcp_sndbuf_expand(sk);
		tcp_sk(sk)->snd_cwnd_stamp = tcp_jiffies32(sk);
	}
	if (sk->sk_write_space)
		sk->sk_write_space(sk);
}

/* ---- validation (RFC 9293 3.10.7.4 first to fourth, RFC 5961) ------------ */

static bool __tcp_oow_rate_limited(struct net *net, int mib_idx, u32 *last_oow_ack_time)
{
	u32 now = (u32)jiffies(net->stack);
	u32 val = *last_oow_ack_time;

	if (val) {
		s32 elapsed = (s32)(now - val);

		if (elapsed >= 0 && elapsed < net->ipv4.tcp->sysctl_tcp_invalid_ratelimit) {
			__NET_INC_STATS(net, mib_idx);
			return true;
		}
	}
	*last_oow_ack_time = now ? now : 1;
	return false;
}

bool tcp_oow_rate_limited(struct net *net, const struct sk_buff *skb, int mib_idx,
			  u32 *last_oow_ack_time)
{
	/* Data without SYN is unlikely to be part of an ACK loop. */
	if (TCP_SKB_CB(skb)->seq != TCP_SKB_CB(skb)->end_seq && !th_has(skb, TCPHDR_SYN))
		return false;
	return __tcp_oow_rate_limited(net, mib_idx, last_oow_ack_time);
}

/* RFC 5961 3.2, 4.2, 5.2: a challenge ACK, limited per socket
 * (tcp_invalid_ratelimit) and per namespace (tcp_challenge_ack_limit a
 * second, randomised as Linux does against side channels). */
void tcp_send_challenge_ack(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct net *net = inet_net(sk);
	struct tcp_net *tn = net->ipv4.tcp;
	u32 now, ack_limit = (u32)tn->sysctl_tcp_challenge_ack_limit;

	if (__tcp_oow_rate_limited(net, LINUX_MIB_TCPACKSKIPPEDCHALLENGE, &tp->last_oow_ack_time))
		return;
	if (ack_limit != INT32_MAX) {
		/* The second, plus one: 0 stands for "never" at time zero. */
		now = (u32)(jiffies(net->stack) / HZ) + 1;
		if (now != tn->challenge_timestamp) {
			u32 half = (ack_limit + 1) >> 1;

			tn->challenge_timestamp = now;
			tn->challenge_count = half + tn_prandom_below(net->stack, ack_limit);
		}
		if (!tn->challenge_count)
			return;
		tn->challenge_count--;
	}
	__NET_INC_STATS(net, LINUX_MIB_TCPCHALLENGEACK);
	tcp_send_ack(sk);
}

/* A duplicate of data we have: ACK now, with a D-SACK for it. */
static void tcp_send_dupack(struct sock *sk, const struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (TCP_SKB_CB(skb)->end_seq != TCP_SKB_CB(skb)->seq &&
	    before(TCP_SKB_CB(skb)->seq, tp->rcv_nxt)) {
		__NET_INC_STATS(inet_net(sk), LINUX_MIB_DELAYEDACKLOST);
		tcp_enter_quickack_mode(sk, TCP_MAX_QUICKACKS);
		if (tcp_is_sack(tp) && tcp_net(sk)->sysctl_tcp_dsack) {
			u32 end_seq = TCP_SKB_CB(skb)->end_seq;

			if (after(end_seq, tp->rcv_nxt))
				end_seq = tp->rcv_nxt;
			tcp_dsack_set(sk, TCP_SKB_CB(skb)->seq, end_seq);
		}
	}
	tcp_send_ack(sk);
}

/* RFC 9293 3.10.7.4 first: is any of the segment inside the window? */
static enum skb_drop_reason tcp_sequence(const struct tcp_sock *tp, u32 seq, u32 end_seq)
{
	if (before(end_seq, tp->rcv_wup))
		return SKB_DROP_REASON_TCP_OLD_SEQUENCE;
	if (after(seq, tp->rcv_nxt + tcp_receive_window(tp)))
		return SKB_DROP_REASON_TCP_INVALID_SEQUENCE;
	return SKB_NOT_DROPPED_YET;
}

/* A RST accepted: the error the application sees depends on the state. */
void tcp_reset(struct sock *sk, struct sk_buff *skb)
{
	bool dead = sock_flag(sk, SOCK_DEAD);
	int err;

	switch (sk->sk_state) {
	case TCP_SYN_SENT:
		err = ECONNREFUSED;
		break;
	case TCP_CLOSE_WAIT:
		err = EPIPE;
		break;
	case TCP_CLOSE:
		return;
	default:
		err = ECONNRESET;
	}
	sk->sk_err = err;
	tcp_write_queue_purge(sk);
	tcp_done(sk);
	if (!dead && sk->sk_error_report)
		sk->sk_error_report(sk);
}

/* RFC 5961 3.2 extended as Linux does: a RST at rcv_nxt - 1 after a FIN. */
static bool tcp_reset_check(const struct sock *sk, const struct sk_buff *skb)
{
	const struct tcp_sock *tp = tcp_sk(sk);

	return TCP_SKB_CB(skb)->seq == tp->rcv_nxt - 1 &&
	       (TCPF(sk->sk_state) & (TCPF(TCP_CLOSE_WAIT) | TCPF(TCP_LAST_ACK) | TCPF(TCP_CLOSING)));
}

/* RFC 5961 3.2: the RST resets only at rcv_nxt (or the highest SACK edge
 * we advertised); anywhere else in the window it earns a challenge ACK. */
static bool tcp_rst_exact(const struct sock *sk, const struct sk_buff *skb)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	u32 seq = TCP_SKB_CB(skb)->seq;

	if (seq == tp->rcv_nxt || tcp_reset_check(sk, skb))
		return true;
	if (tcp_is_sack(tp) && tp->rx_opt.num_sacks > 0) {
		u32 max_sack = tp->selective_acks[0].end_seq;
		int i;

		for (i = 1; i < tp->rx_opt.num_sacks; i++)
			if (after(tp->selective_acks[i].end_seq, max_sack))
				max_sack = tp->selective_acks[i].end_seq;
		if (seq == max_sack)
			return true;
	}
	return false;
}

/* A segment that failed PAWS (RFC 7323 5.3): dupack (rate limited), drop. */
static void tcp_paws_reject_segment(struct sock *sk, struct sk_buff *skb)
{
	__NET_INC_STATS(inet_net(sk), LINUX_MIB_PAWSESTABREJECTED);
	if (!tcp_oow_rate_limited(inet_net(sk), skb, LINUX_MIB_TCPACKSKIPPEDPAWS,
				  &tcp_sk(sk)->last_oow_ack_time))
		tcp_send_dupack(sk, skb);
	tcp_drop_reason(sk, skb, SKB_DROP_REASON_TCP_RFC7323_PAWS);
}

static void tcp_syn_challenge(struct sock *sk, struct sk_buff *skb, int syn_inerr)
{
	if (syn_inerr)
		__TCP_INC_STATS(inet_net(sk), TCP_MIB_INERRS);
	__NET_INC_STATS(inet_net(sk), LINUX_MIB_TCPSYNCHALLENGE);
	tcp_send_challenge_ack(sk);
	tcp_drop_reason(sk, skb, SKB_DROP_REASON_TCP_INVALID_SYN);
}

/*
 * RFC 9293 3.10.7.4 first to fourth, with RFC 7323 PAWS ahead of them and
 * RFC 5961's answers to RSTs and SYNs. false: skb was consumed (dropped,
 * or the connection reset).
 */
static bool tcp_validate_incoming(struct sock *sk, struct sk_buff *skb, int syn_inerr)
{
	struct tcp_sock *tp = tcp_sk(sk);
	bool rst = th_has(skb, TCPHDR_RST), syn = th_has(skb, TCPHDR_SYN);
	enum skb_drop_reason reason;

	if (tcp_fast_parse_options(skb, tp) && tp->rx_opt.saw_tstamp && !rst &&
	    tcp_paws_discard(sk, skb)) {
		if (syn) {
			tcp_syn_challenge(sk, skb, syn_inerr);
			return false;
		}
		tcp_paws_reject_segment(sk, skb);
		return false;
	}
	reason = tcp_sequence(tp, TCP_SKB_CB(skb)->seq, TCP_SKB_CB(skb)->end_seq);
	if (reason) {
		if (syn && !rst) {
			tcp_syn_challenge(sk, skb, syn_inerr);
			return false;
		}
		if (!rst) {
			if (!tcp_oow_rate_limited(inet_net(sk), skb, LINUX_MIB_TCPACKSKIPPEDSEQ,
						  &tp->last_oow_ack_time))
				tcp_send_dupack(sk, skb);
		} else if (tcp_reset_check(sk, skb)) {
			goto reset;
		}
		tcp_drop_reason(sk, skb, reason);
		return false;
	}
	if (rst) {
		if (tcp_rst_exact(sk, skb))
			goto reset;
		tcp_send_challenge_ack(sk);
		tcp_drop_reason(sk, skb, SKB_DROP_REASON_TCP_RESET);
		return false;
	}
	/* Fourth: a SYN on a synchronized connection (RFC 5961 4.2), but a
	 * retransmitted SYN-ACK's twin in SYN_RECV passes as Linux lets it. */
	if (syn && !(sk->sk_state == TCP_SYN_RECV && sk->sk_socket && th_has(skb, TCPHDR_ACK) &&
		     TCP_SKB_CB(skb)->seq + 1 == TCP_SKB_CB(skb)->end_seq &&
		     TCP_SKB_CB(skb)->seq + 1 == tp->rcv_nxt &&
		     TCP_SKB_CB(skb)->ack_seq == tp->snd_nxt)) {
		tcp_syn_challenge(sk, skb, syn_inerr);
		return false;
	}
	return true;
reset:
	tcp_reset(sk, skb);
	consume_skb(skb);
	return false;
}

/* ---- ACK processing (RFC 9293 3.10.7.4 fifth) ---------------------------- */

static void tcp_snd_una_update(struct tcp_sock *tp, u32 ack)
{
	tp->bytes_acked += ack - tp->snd_una;
	tp->snd_una = ack;
}

/* RFC 9293 3.10.7.4 fifth: SND.WND from a segment newer than the last
 * update (SND.WL1 / SND.WL2 = snd_una rules), scaled except on a SYN. */
static int tcp_ack_update_window(struct sock *sk, const struct sk_buff *skb, u32 ack,
				 u32 ack_seq)
{
	struct tcp_sock *tp = tcp_sk(sk);
	u32 nwin = th_window(skb);
	int flag = 0;

	if (!th_has(skb, TCPHDR_SYN))
		nwin <<= tp->rx_opt.snd_wscale;
	if (tcp_may_update_window(tp, ack, ack_seq, nwin)) {
		flag |= FLAG_WIN_UPDATE;
		tp->snd_wl1 = ack_seq;
		if (tp->snd_wnd != nwin) {
			tp->snd_wnd = nwin;
			if (nwin > tp->max_window) {
				tp->max_window = nwin;
				tcp_sync_mss(sk, inet_csk(sk)->icsk_pmtu_cookie);
			}
		}
	}
	tcp_snd_una_update(tp, ack);
	return flag;
}

/* A window opened or is still closed: stop or re-arm the persist timer. */
static void tcp_ack_probe(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct sk_buff *head = tcp_send_head(sk);

	if (!head)
		return;
	if (!after(TCP_SKB_CB(head)->end_seq, tcp_wnd_end(tcp_sk(sk)))) {
		icsk->icsk_backoff = 0;
		icsk->icsk_probes_out = 0;
		if (icsk->icsk_pending == ICSK_TIME_PROBE0)
			inet_csk_clear_xmit_timer(sk, ICSK_TIME_PROBE0);
	} else {
		inet_csk_reset_xmit_timer(sk, ICSK_TIME_PROBE0, tcp_probe0_when(sk, TCP_RTO_MAX),
					  TCP_RTO_MAX);
	}
}

/* Remove the acknowledged part of a partly acknowledged skb. */
static u32 tcp_trim_head(struct sock *sk, struct sk_buff *skb, u32 len)
{
	struct tcp_skb_cb *scb = TCP_SKB_CB(skb);
	u32 old_pcount = tcp_skb_pcount(skb), new_pcount = 1;

	if (scb->tcp_flags & TCPHDR_SYN)
		len--;               /* the SYN takes a number, not a byte */
	scb->tcp_flags &= (u8)~TCPHDR_SYN;
	skb_pull(skb, TN_MIN(len, skb->len));
	scb->seq = tcp_sk(sk)->snd_una;
	if (scb->tcp_gso_size && skb->len > scb->tcp_gso_size)
		new_pcount = (skb->len + scb->tcp_gso_size - 1) / scb->tcp_gso_size;
	scb->tcp_gso_segs = (u16)new_pcount;
	return old_pcount > new_pcount ? old_pcount - new_pcount : 0;
}

static void tcp_rtx_queue_unlink_and_free(struct sk_buff *skb, struct sock *sk)
{
	__skb_unlink(skb, &sk->sk_write_queue);
	tcp_wmem_free_skb(sk, skb);
}

struct tcp_clean_state {
	u64 first_ackt, last_ackt;   /* tx_stamp of the first / last skb timed */
	u32 prior_delivered;         /* most recent tx_delivered acked (Linux's rs) */
	u32 pkts_acked;
	u32 reord;
	bool fully_acked;
	bool timed;                  /* first_ackt is set (a stamp may be 0) */
};

/* Account one acknowledged (or partly acknowledged) skb. */
static int tcp_clean_one(struct sock *sk, struct sk_buff *skb, u32 acked_pcount,
			 struct tcp_clean_state *cs)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcp_skb_cb *scb = TCP_SKB_CB(skb);
	u8 sacked = scb->sacked;
	int flag = 0;

	if (sacked & TCPCB_RETRANS) {
		if (sacked & TCPCB_SACKED_RETRANS)
			tp->retrans_out -= acked_pcount;
		flag |= FLAG_RETRANS_DATA_ACKED;
	} else if (!(sacked & TCPCB_SACKED_ACKED)) {
		/* Karn: only never-retransmitted segments are timed. */
		cs->last_ackt = scb->tx_stamp;
		if (!cs->timed)
			cs->first_ackt = cs->last_ackt;
		cs->timed = true;
		if (before(scb->seq, cs->reord))
			cs->reord = scb->seq;
		if (!after(scb->end_seq, tp->high_seq))
			flag |= FLAG_ORIG_SACK_ACKED;
	}
	if (sacked & TCPCB_SACKED_ACKED) {
		tp->sacked_out -= acked_pcount;
	} else {
		cs->prior_delivered = TN_MAX(cs->prior_delivered, scb->tx_delivered);
		if (tcp_is_sack(tp)) {
			tp->delivered += acked_pcount;
			if (!tcp_skb_spurious_retrans(tp, skb))
				tcp_rack_advance(sk, sacked, scb->end_seq, scb->tx_stamp);
		}
	}
	if (sacked & TCPCB_LOST)
		tp->lost_out -= acked_pcount;
	tp->packets_out -= acked_pcount;
	cs->pkts_acked += acked_pcount;
	if (!(scb->tcp_flags & TCPHDR_SYN)) {
		flag |= FLAG_DATA_ACKED;
	} else {
		flag |= FLAG_SYN_ACKED;
		tp->retrans_stamp = 0;
	}
	return flag;
}

static long tcp_us_since(const struct sock *sk, u64 stamp_ns)
{
	u64 now = tn_now(tcp_st(sk));

	return now > stamp_ns ? (long)((now - stamp_ns) / 1000u) : 0;
}

/* RTT samples, timer and Reno/SACK bookkeeping after the queue walk. */
static int tcp_clean_finish(struct sock *sk, struct tcp_clean_state *cs, u32 prior_fack,
			    u32 prior_sacked, struct tcp_sacktag_state *sack, int flag)
{
	struct tcp_sock *tp = tcp_sk(sk);
	const struct tcp_congestion_ops *ca = inet_csk(sk)->icsk_ca_ops;
	long seq_rtt_us = -1, sack_rtt_us = -1, ca_rtt_us = -1;
	struct sk_buff *head;
	bool rtt_update;

	if (cs->timed && !(flag & FLAG_RETRANS_DATA_ACKED)) {
		seq_rtt_us = tcp_us_since(sk, cs->first_ackt);
		ca_rtt_us = tcp_us_since(sk, cs->last_ackt);
	}
	if (sack->timed) {
		sack_rtt_us = tcp_us_since(sk, sack->first_sackt);
		ca_rtt_us = tcp_us_since(sk, sack->last_sackt);
	}
	rtt_update = tcp_ack_update_rtt(sk, flag, seq_rtt_us, sack_rtt_us, ca_rtt_us);
	sack->prior_delivered = TN_MAX(sack->prior_delivered, cs->prior_delivered);
	head = tcp_rtx_queue_head(sk);
	if (!(flag & FLAG_ACKED) && head && rtt_update && sack_rtt_us >= 0 &&
	    sack_rtt_us > tcp_us_since(sk, TCP_SKB_CB(head)->tx_stamp))
		flag |= FLAG_SET_XMIT_TIMER;   /* the SACKed data went after the head */
	if (flag & FLAG_ACKED) {
		flag |= FLAG_SET_XMIT_TIMER;
		if (tcp_is_reno(tp)) {
			tcp_remove_reno_sacks(sk, (int)cs->pkts_acked);
			/* Without SACK a cumulative ACK over retransmitted data
			 * cannot prove the originals arrived. */
			if (flag & FLAG_RETRANS_DATA_ACKED)
				flag &= ~FLAG_ORIG_SACK_ACKED;
		} else if (before(cs->reord, prior_fack)) {
			tcp_check_sack_reordering(sk, cs->reord, 0);
		}
	}
	(void)prior_sacked;
	if (ca && ca->pkts_acked && cs->pkts_acked)
		ca->pkts_acked(sk, cs->pkts_acked, (s32)ca_rtt_us);
	return flag;
}

/*
 * Free what the cumulative ACK covers (Linux's tcp_clean_rtx_queue): the
 * scoreboard counters follow, RTT is sampled from never-retransmitted
 * segments (Karn) or SACKs, a partly covered skb is trimmed.
 */
static int tcp_clean_rtx_queue(struct sock *sk, u32 prior_fack, u32 prior_snd_una,
			       struct tcp_sacktag_state *sack)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcp_clean_state cs = { .reord = tp->snd_nxt, .fully_acked = true };
	u32 prior_sacked = tp->sacked_out;
	struct sk_buff *skb;
	int flag = 0;

	while ((skb = tcp_rtx_queue_head(sk)) != NULL) {
		struct tcp_skb_cb *scb = TCP_SKB_CB(skb);
		u32 acked_pcount;

		if (after(scb->end_seq, tp->snd_una)) {
			if (!after(tp->snd_una, scb->seq))
				break;
			acked_pcount = tcp_trim_head(sk, skb, tp->snd_una - scb->seq);
			cs.fully_acked = false;
			if (!acked_pcount) {
				flag |= FLAG_DATA_ACKED;
				break;
			}
		} else {
			acked_pcount = tcp_skb_pcount(skb);
		}
		flag |= tcp_clean_one(sk, skb, acked_pcount, &cs);
		if (!cs.fully_acked)
			break;
		tcp_rtx_queue_unlink_and_free(skb, sk);
	}
	if (between(tp->snd_up, prior_snd_una, tp->snd_una))
		tp->snd_up = tp->snd_una;
	skb = tcp_rtx_queue_head(sk);
	if (skb && (TCP_SKB_CB(skb)->sacked & TCPCB_SACKED_ACKED))
		flag |= FLAG_SACK_RENEGING;
	return tcp_clean_finish(sk, &cs, prior_fack, prior_sacked, sack, flag);
}

static bool tcp_ack_is_dubious(const struct sock *sk, int flag)
{
	return !(flag & FLAG_NOT_DUP) || (flag & FLAG_CA_ALERT) ||
	       inet_csk(sk)->icsk_ca_state != TCP_CA_Open;
}

/* RFC 5681 3.1: grow cwnd only on in-order delivery (any delivery when
 * the path is known to reorder a lot). */
static bool tcp_may_raise_cwnd(const struct sock *sk, int flag)
{
	if (tcp_sk(sk)->reordering > (u32)tcp_net(sk)->sysctl_tcp_reordering)
		return flag & FLAG_FORWARD_PROGRESS;
	return flag & FLAG_DATA_ACKED;
}

static void tcp_cong_control(struct sock *sk, u32 ack, u32 acked_sacked, u32 newly_lost,
			     int flag)
{
	const struct tcp_congestion_ops *ca = inet_csk(sk)->icsk_ca_ops;

	if (tcp_in_cwnd_reduction(sk))
		tcp_cwnd_reduction(sk, (int)acked_sacked, (int)newly_lost, flag);
	else if (tcp_may_raise_cwnd(sk, flag) && ca && ca->cong_avoid)
		ca->cong_avoid(sk, ack, acked_sacked);
}

/* The retransmit timer after an ACK that acknowledged something: a tail
 * loss probe when one may go, else the RTO (Linux's tcp_set_xmit_timer). */
static void tcp_set_xmit_timer(struct sock *sk)
{
	if (!tcp_schedule_loss_probe(sk, true))
		tcp_rearm_rto(sk);
}

/* Everything an ACK that advanced (or SACKed) does once the queue is
 * cleaned: recovery state machine, timer, cwnd, retransmissions. */
static void tcp_ack_process_queue(struct sock *sk, int *flag, u32 prior_snd_una,
				  u32 prior_fack, u32 delivered, struct tcp_sacktag_state *ss,
				  u32 ack)
{
	struct tcp_sock *tp = tcp_sk(sk);
	int rexmit = REXMIT_NONE;
	int num_dupack = 0;
	u32 lost = tp->lost;

	*flag |= tcp_clean_rtx_queue(sk, prior_fack, prior_snd_una, ss);
	tcp_rack_update_reo_wnd(sk, ss->prior_delivered);
	if (tp->tlp_high_seq)
		tcp_process_tlp_ack(sk, ack, *flag);
	if (tcp_ack_is_dubious(sk, *flag)) {
		if (!(*flag & (FLAG_SND_UNA_ADVANCED | FLAG_NOT_DUP | FLAG_DSACKING_ACK)))
			num_dupack = 1;
		tcp_fastretrans_alert(sk, prior_snd_una, num_dupack, flag, &rexmit);
	}
	if (*flag & FLAG_SET_XMIT_TIMER)
		tcp_set_xmit_timer(sk);
	tcp_cong_control(sk, ack, tp->delivered - delivered, tp->lost - lost, *flag);
	tcp_xmit_recovery(sk, rexmit);
}

/* An ACK below snd_una may still carry SACK news. */
static int tcp_ack_old(struct sock *sk, const struct sk_buff *skb, u32 prior_snd_una, int flag,
		       struct tcp_sacktag_state *ss)
{
	int rexmit = REXMIT_NONE;

	if (TCP_SKB_CB(skb)->sacked) {
		flag |= tcp_sacktag_write_queue(sk, skb, prior_snd_una, ss);
		tcp_fastretrans_alert(sk, prior_snd_una, 0, &flag, &rexmit);
		tcp_xmit_recovery(sk, rexmit);
	}
	return 0;
}

/*
 * RFC 9293 3.10.7.4 fifth, the ACK field, as Linux's tcp_ack: 1 when the
 * ACK was new or a duplicate, 0 for an old ACK, -reason for an ACK of
 * data never sent or far below the window (RFC 5961 5.2).
 */
static int tcp_ack(struct sock *sk, const struct sk_buff *skb, int flag)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcp_sacktag_state ss = { 0 };
	u32 prior_snd_una = tp->snd_una, prior_fack, delivered = tp->delivered;
	u32 ack_seq = TCP_SKB_CB(skb)->seq, ack = TCP_SKB_CB(skb)->ack_seq;
	u32 prior_packets = tp->packets_out;

	if (before(ack, prior_snd_una)) {
		u32 max_window = (u32)TN_MIN((u64)tp->max_window, tp->bytes_acked);

		/* RFC 5961 5.2: blind data injection mitigation. */
		if (before(ack, prior_snd_una - max_window)) {
			if (!(flag & FLAG_NO_CHALLENGE_ACK))
				tcp_send_challenge_ack(sk);
			return -SKB_DROP_REASON_TCP_TOO_OLD_ACK;
		}
		return tcp_ack_old(sk, skb, prior_snd_una, flag, &ss);
	}
	if (after(ack, tp->snd_nxt))
		return -SKB_DROP_REASON_TCP_ACK_UNSENT_DATA;
	if (after(ack, prior_snd_una)) {
		flag |= FLAG_SND_UNA_ADVANCED;
		inet_csk(sk)->icsk_retransmits = 0;
	}
	prior_fack = tcp_is_sack(tp) ? tcp_highest_sack_seq(sk) : tp->snd_una;
	if (flag & FLAG_UPDATE_TS_RECENT)
		tcp_replace_ts_recent(sk, TCP_SKB_CB(skb)->seq);

	if ((flag & (FLAG_SLOWPATH | FLAG_SND_UNA_ADVANCED)) == FLAG_SND_UNA_ADVANCED) {
		/* Header predicted: the window is unchanged. */
		tp->snd_wl1 = ack_seq;
		tcp_snd_una_update(tp, ack);
		flag |= FLAG_WIN_UPDATE;
		__NET_INC_STATS(inet_net(sk), LINUX_MIB_TCPHPACKS);
	} else {
		if (ack_seq != TCP_SKB_CB(skb)->end_seq)
			flag |= FLAG_DATA;
		else
			__NET_INC_STATS(inet_net(sk), LINUX_MIB_TCPPUREACKS);
		flag |= tcp_ack_update_window(sk, skb, ack, ack_seq);
		if (TCP_SKB_CB(skb)->sacked)
			flag |= tcp_sacktag_write_queue(sk, skb, prior_snd_una, &ss);
		tp->delivered += ss.sack_delivered;
	}
	sk->sk_err_soft = 0;
	inet_csk(sk)->icsk_probes_out = 0;
	tp->rcv_tstamp = tcp_jiffies32(sk);
	if (!prior_packets) {
		if (flag & FLAG_DSACKING_ACK) {
			int rexmit = REXMIT_NONE;

			tcp_fastretrans_alert(sk, prior_snd_una, 0, &flag, &rexmit);
		}
		tcp_ack_probe(sk);
		if (tp->tlp_high_seq)
			tcp_process_tlp_ack(sk, ack, flag);
		return 1;
	}
	tcp_ack_process_queue(sk, &flag, prior_snd_una, prior_fack, delivered, &ss, ack);
	if (flag & FLAG_ACKED)
		tcp_check_space(sk);
	return 1;
}

/* ---- ESTABLISHED ----------------------------------------------------------- */

/* Van Jacobson's header prediction, recomputed per segment: the next
 * in-order segment with only ACK (and PSH), the expected header length,
 * the window unchanged and nothing out of order. */
static bool tcp_header_predicted(const struct sock *sk, const struct sk_buff *skb)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	u8 flags = TCP_SKB_CB(skb)->tcp_flags & (u8)~TCPHDR_PSH;

	return flags == TCPHDR_ACK && th_len(skb) == tp->tcp_header_len &&
	       TCP_SKB_CB(skb)->seq == tp->rcv_nxt && !after(TCP_SKB_CB(skb)->ack_seq, tp->snd_nxt) &&
	       tp->snd_wnd && (th_window(skb) << tp->rx_opt.snd_wscale) == tp->snd_wnd &&
	       skb_queue_empty(&tp->out_of_order_queue) && tcp_receive_window(tp) &&
	       !tp->rx_opt.num_sacks && inet_csk(sk)->icsk_ca_state == TCP_CA_Open;
}

/* Timestamps on the fast path: present when negotiated, and not older. */
static bool tcp_fast_path_ts_ok(struct sock *sk, const struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (!tp->rx_opt.tstamp_ok) {
		tp->rx_opt.saw_tstamp = 0;
		return true;
	}
	tcp_fast_parse_options(skb, tp);
	if (!tp->rx_opt.saw_tstamp || TCP_SKB_CB(skb)->sacked)
		return false;
	return (s32)(tp->rx_opt.rcv_tsval - tp->rx_opt.ts_recent) >= 0;
}

static bool tcp_rcv_established_fast(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);
	u32 len = skb->len - th_len(skb);

	if (!tcp_header_predicted(sk, skb) || !tcp_fast_path_ts_ok(sk, skb))
		return false;
	if (tp->rx_opt.saw_tstamp && TCP_SKB_CB(skb)->seq == tp->rcv_wup)
		tcp_store_ts_recent(sk);
	if (!len) {
		/* A pure ACK. */
		tcp_ack(sk, skb, 0);
		consume_skb(skb);
		tcp_data_snd_check(sk);
		return true;
	}
	if (len > tcp_receive_window(tp) ||
	    sk->sk_rmem_alloc + (int)skb->truesize > sk->sk_rcvbuf)
		return false;
	__NET_INC_STATS(inet_net(sk), LINUX_MIB_TCPHPHITS);
	skb_dst_drop(skb);
	skb_pull(skb, th_len(skb));
	tcp_queue_rcv(sk, skb);
	tcp_event_data_recv(sk, skb);
	if (TCP_SKB_CB(skb)->ack_seq != tp->snd_una) {
		tcp_ack(sk, skb, FLAG_DATA);
		tcp_data_snd_check(sk);
	} else {
		tp->snd_wl1 = TCP_SKB_CB(skb)->seq;
	}
	if (inet_csk_ack_scheduled(sk))
		__tcp_ack_snd_check(sk, 0);
	tcp_data_ready(sk);
	return true;
}

void tcp_rcv_established(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);
	int ret;

	/* Linux's tcp_segs_in: a GSO packet counts as its segments. */
	u32 segs = TN_MAX((u32)skb_shinfo(skb)->gso_segs, 1u);

	tp->segs_in += segs;
	if (TCP_SKB_CB(skb)->seq != TCP_SKB_CB(skb)->end_seq)
		tp->data_segs_in += segs;
	tp->rx_opt.saw_tstamp = 0;
	if (tcp_rcv_established_fast(sk, skb))
		return;
	if (!th_has(skb, TCPHDR_ACK | TCPHDR_RST | TCPHDR_SYN)) {
		tcp_drop_reason(sk, skb, SKB_DROP_REASON_TCP_FLAGS);
		return;
	}
	if (!tcp_validate_incoming(sk, skb, 1))
		return;
	ret = tcp_ack(sk, skb, FLAG_SLOWPATH | FLAG_UPDATE_TS_RECENT);
	if (ret < 0) {
		tcp_drop_reason(sk, skb, (enum skb_drop_reason)-ret);
		return;
	}
	tcp_data_queue(sk, skb);
	tcp_data_snd_check(sk);
	tcp_ack_snd_check(sk);
}

/* ---- connection set-up ------------------------------------------------------ */

void tcp_initialize_rcv_mss(struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	unsigned int hint = TN_MIN((unsigned int)tp->advmss, tp->mss_cache);

	hint = TN_MIN(hint, tp->rcv_wnd / 2);
	hint = TN_MIN(hint, (unsigned int)TCP_MSS_DEFAULT);
	hint = TN_MAX(hint, (unsigned int)TCP_MIN_MSS);
	inet_csk(sk)->icsk_ack.rcv_mss = (u16)hint;
}

#define TCP_TIMEOUT_FALLBACK 3000u   /* jiffies: RFC 6298 5.7's 3 s */

/* Linux's tcp_init_metrics without a metrics cache: no RTT sample from the
 * handshake (it was retransmitted, without timestamps) means the RTO falls
 * back to 3 s (RFC 6298 5.7); ssthresh starts infinite. */
static void tcp_init_metrics(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	tp->snd_ssthresh = TCP_INFINITE_SSTHRESH;
	if (tp->srtt_us)
		return;
	tp->rttvar_us = TCP_TIMEOUT_FALLBACK * 1000u;
	tp->mdev_us = tp->mdev_max_us = tp->rttvar_us;
	inet_csk(sk)->icsk_rto = TCP_TIMEOUT_FALLBACK;
}

void tcp_init_transfer(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	tcp_mtup_init(sk);
	tcp_init_metrics(sk);
	/* RFC 5681 3.1: a retransmitted SYN or SYN-ACK means cwnd 1. */
	if (tp->total_retrans > 1 && tp->undo_marker)
		tp->snd_cwnd = 1;
	else
		tp->snd_cwnd = TCP_INIT_CWND;
	tcp_init_congestion_control(sk);
	tcp_init_buffer_space(sk);
}

void tcp_finish_connect(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);

	tcp_set_state(sk, TCP_ESTABLISHED);
	inet_csk(sk)->icsk_ack.lrcvtime = tcp_jiffies32(sk);
	tcp_init_transfer(sk);
	tp->lsndtime = tcp_jiffies32(sk);
	(void)skb;
}

/* The SYN-ACK's options settle what both sides use (RFC 7323 2.2, 3.2). */
static void tcp_synack_options(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (!tp->rx_opt.wscale_ok) {
		tp->rx_opt.snd_wscale = 0;
		tp->rx_opt.rcv_wscale = 0;
		tp->window_clamp = TN_MIN(tp->window_clamp, 65535u);
	}
	if (tp->rx_opt.saw_tstamp) {
		tp->rx_opt.tstamp_ok = 1;
		tp->tcp_header_len = TCP_HDR_MIN + TCPOLEN_TSTAMP_ALIGNED;
		tp->advmss -= TCPOLEN_TSTAMP_ALIGNED;
		tcp_store_ts_recent(sk);
	} else {
		tp->rx_opt.tstamp_ok = 0;
		tp->tcp_header_len = TCP_HDR_MIN;
	}
}

/* RFC 9293 3.10.7.3, SYN-SENT with an acceptable ACK and SYN: established. */
static void tcp_synsent_established(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);

	tp->snd_wl1 = TCP_SKB_CB(skb)->seq;
	tcp_ack(sk, skb, FLAG_SLOWPATH);
	tp->rcv_nxt = TCP_SKB_CB(skb)->seq + 1;
	tp->rcv_wup = tp->rcv_nxt;
	tp->snd_wnd = th_window(skb);      /* RFC 7323 2.2: never scaled on a SYN */
	tp->max_window = TN_MAX(tp->max_window, tp->snd_wnd);
	tcp_synack_options(sk);
	tcp_sync_mss(sk, inet_csk(sk)->icsk_pmtu_cookie);
	tcp_initialize_rcv_mss(sk);
	tp->copied_seq = tp->rcv_nxt;
	tcp_finish_connect(sk, skb);
	if (!sock_flag(sk, SOCK_DEAD) && sk->sk_state_change)
		sk->sk_state_change(sk);
	if (inet_csk_in_pingpong_mode(sk)) {
		/* Save an ACK: data will follow. */
		inet_csk_schedule_ack(sk);
		tcp_enter_quickack_mode(sk, TCP_MAX_QUICKACKS);
		inet_csk_reset_xmit_timer(sk, ICSK_TIME_DACK, TCP_DELACK_MAX, TCP_RTO_MAX);
		return;
	}
	tcp_send_ack(sk);
}

/* Crossed SYNs (RFC 9293 3.5 figure 7): SYN_RECV, answer with SYN-ACK. */
static void tcp_synsent_simultaneous(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);

	tcp_set_state(sk, TCP_SYN_RECV);
	if (tp->rx_opt.saw_tstamp) {
		tp->rx_opt.tstamp_ok = 1;
		tcp_store_ts_recent(sk);
		tp->tcp_header_len = TCP_HDR_MIN + TCPOLEN_TSTAMP_ALIGNED;
	} else {
		tp->tcp_header_len = TCP_HDR_MIN;
	}
	tp->rcv_nxt = TCP_SKB_CB(skb)->seq + 1;
	tp->copied_seq = tp->rcv_nxt;
	tp->rcv_wup = tp->rcv_nxt;
	tp->snd_wnd = th_window(skb);
	tp->snd_wl1 = TCP_SKB_CB(skb)->seq;
	tp->max_window = tp->snd_wnd;
	tcp_mtup_init(sk);
	tcp_sync_mss(sk, inet_csk(sk)->icsk_pmtu_cookie);
	tcp_initialize_rcv_mss(sk);
	tcp_send_synack(sk);
}

/* The option state a refused segment in SYN-SENT leaves behind is undone. */
static void tcp_synsent_undo_options(struct tcp_sock *tp, u16 saved_clamp)
{
	tp->rx_opt.saw_tstamp = 0;
	tp->rx_opt.tstamp_ok = 0;
	tp->rx_opt.wscale_ok = 0;
	tp->rx_opt.snd_wscale = 0;
	tp->rx_opt.sack_ok = 0;
	tp->rx_opt.mss_clamp = saved_clamp;
}

/*
 * RFC 9293 3.10.7.3, SEGMENT ARRIVES in SYN-SENT. Returns -1 when the
 * connection is established and the caller goes on to "step 6", 0 when skb
 * was consumed, else a reason: send a RST for skb.
 */
static int tcp_rcv_synsent_state_process(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);
	u16 saved_clamp = tp->rx_opt.mss_clamp;
	u32 ack = TCP_SKB_CB(skb)->ack_seq;
	enum skb_drop_reason reason;

	tcp_parse_options(skb, &tp->rx_opt, 0);
	if (tp->rx_opt.saw_tstamp && tp->rx_opt.rcv_tsecr)
		tp->rx_opt.rcv_tsecr -= tp->tsoffset;
	if (th_has(skb, TCPHDR_ACK)) {
		/* First: SEG.ACK =< ISS or > SND.NXT is a RST (unless RST). */
		if (!after(ack, tp->snd_una) || after(ack, tp->snd_nxt)) {
			/* Our SYN may have met an old FIN/ACK or RST/ACK: send
			 * it again soon (Linux's TCP_TIMEOUT_MIN, 2 jiffies). */
			if (!inet_csk(sk)->icsk_retransmits)
				inet_csk_reset_xmit_timer(sk, ICSK_TIME_RETRANS, TCP_TIMEOUT_MIN,
							  TCP_RTO_MAX);
			tcp_synsent_undo_options(tp, saved_clamp);
			if (th_has(skb, TCPHDR_RST)) {
				tcp_drop_reason(sk, skb, SKB_DROP_REASON_TCP_RESET);
				return 0;
			}
			return SKB_DROP_REASON_TCP_ACK_UNSENT_DATA;
		}
		if (tp->rx_opt.saw_tstamp && tp->rx_opt.rcv_tsecr && tp->retrans_stamp &&
		    !between(tp->rx_opt.rcv_tsecr, tcp_ns_to_ts_clock(tp->retrans_stamp),
			     tcp_ts_clock(sk))) {
			__NET_INC_STATS(inet_net(sk), LINUX_MIB_PAWSACTIVEREJECTED);
			tcp_synsent_undo_options(tp, saved_clamp);
			return SKB_DROP_REASON_TCP_RFC7323_PAWS;
		}
		/* Second: a RST with an acceptable ACK refuses the connection. */
		if (th_has(skb, TCPHDR_RST)) {
			tcp_reset(sk, skb);
			consume_skb(skb);
			return 0;
		}
		if (!th_has(skb, TCPHDR_SYN)) {
			reason = SKB_DROP_REASON_TCP_FLAGS;
			goto discard_and_undo;
		}
		tcp_synsent_established(sk, skb);
		return -1;
	}
	if (th_has(skb, TCPHDR_RST)) {
		reason = SKB_DROP_REASON_TCP_RESET;   /* no ACK: drop */
		goto discard_and_undo;
	}
	if (tp->rx_opt.ts_recent_stamp && tp->rx_opt.saw_tstamp &&
	    tcp_paws_reject(&tp->rx_opt, 0, jiffies(tcp_st(sk)))) {
		reason = SKB_DROP_REASON_TCP_RFC7323_PAWS;
		goto discard_and_undo;
	}
	if (th_has(skb, TCPHDR_SYN)) {
		tcp_synsent_simultaneous(sk, skb);
		/* Data on the SYN is not taken (Linux drops it too). */
		consume_skb(skb);
		return 0;
	}
	reason = SKB_DROP_REASON_TCP_FLAGS;
discard_and_undo:
	tcp_synsent_undo_options(tp, saved_clamp);
	tcp_drop_reason(sk, skb, reason);
	return 0;
}

/* LISTEN (RFC 9293 3.10.7.2): RST ignored, ACK answered with RST, SYN to
 * the request-sock machinery. */
static enum skb_drop_reason tcp_rcv_listen(struct sock *sk, struct sk_buff *skb)
{
	if (th_has(skb, TCPHDR_ACK))
		return SKB_DROP_REASON_TCP_FLAGS;
	if (th_has(skb, TCPHDR_RST)) {
		tcp_drop_reason(sk, skb, SKB_DROP_REASON_TCP_RESET);
		return SKB_NOT_DROPPED_YET;
	}
	if (th_has(skb, TCPHDR_SYN) && !th_has(skb, TCPHDR_FIN)) {
		if (tcp_conn_request(sk, skb) < 0)
			return SKB_DROP_REASON_TCP_CONNREQNOTACCEPTABLE;
		consume_skb(skb);
		return SKB_NOT_DROPPED_YET;
	}
	tcp_drop_reason(sk, skb, SKB_DROP_REASON_TCP_FLAGS);
	return SKB_NOT_DROPPED_YET;
}

void tcp_synack_rtt_meas(struct sock *sk, const struct request_sock *req)
{
	long rtt_us = -1;

	if (req && !req->num_retrans && req->snt_synack) {
		u64 now = tn_now(tcp_st(sk)) + 1;    /* snt_synack is ns + 1 */

		rtt_us = now > req->snt_synack ? (long)((now - req->snt_synack) / 1000u) : 0;
	}
	tcp_ack_update_rtt(sk, FLAG_SYN_ACKED, rtt_us, -1, rtt_us);
}

/* Our SYN-ACK was acknowledged: ESTABLISHED. */
static void tcp_synrecv_established(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);

	tp->delivered++;
	if (!tp->srtt_us)
		tcp_synack_rtt_meas(sk, NULL);
	tp->retrans_stamp = 0;
	/* Before tcp_init_buffer_space sizes window_clamp from it (Linux
	 * 6.16's "fix initial rcvq_space.space for passive TS flows": the
	 * passive side then has the active side's 64088 with timestamps). */
	if (tp->rx_opt.tstamp_ok)
		tp->advmss -= TCPOLEN_TSTAMP_ALIGNED;
	tcp_init_transfer(sk);
	tp->copied_seq = tp->rcv_nxt;
	tcp_set_state(sk, TCP_ESTABLISHED);
	if (sk->sk_state_change)
		sk->sk_state_change(sk);
	tp->snd_una = TCP_SKB_CB(skb)->ack_seq;
	tp->snd_wnd = th_window(skb) << tp->rx_opt.snd_wscale;
	tp->snd_wl1 = TCP_SKB_CB(skb)->seq;
	tp->max_window = TN_MAX(tp->max_window, tp->snd_wnd);
	tp->lsndtime = tcp_jiffies32(sk);
	tcp_initialize_rcv_mss(sk);
}

/*
 * FIN_WAIT1 and our FIN is acknowledged: FIN_WAIT2. An orphan waits only
 * tcp_fin_time for the peer's FIN, in a TIME_WAIT sock unless this segment
 * carries the FIN (then TIME_WAIT follows at once). 1: sk handed to
 * tcp_time_wait (skb to consume), -1: aborted (send RST), 0: go on.
 */
static int tcp_fin_wait1_acked(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);
	int tmo;

	if (tp->snd_una != tp->write_seq)
		return 0;
	tcp_set_state(sk, TCP_FIN_WAIT2);
	sk->sk_shutdown |= SEND_SHUTDOWN;
	if (!sock_flag(sk, SOCK_DEAD)) {
		if (sk->sk_state_change)
			sk->sk_state_change(sk);
		return 0;
	}
	if (tp->linger2 < 0 ||
	    (TCP_SKB_CB(skb)->end_seq != TCP_SKB_CB(skb)->seq &&
	     after(TCP_SKB_CB(skb)->end_seq - th_has(skb, TCPHDR_FIN), tp->rcv_nxt))) {
		/* RFC 1122 4.2.2.13 spirit: data after close() aborts. */
		tcp_done(sk);
		__NET_INC_STATS(inet_net(sk), LINUX_MIB_TCPABORTONDATA);
		return -1;
	}
	tmo = tcp_fin_time(sk);
	if (th_has(skb, TCPHDR_FIN))
		return 0;
	/* Linux keeps the full sock for tmo - TIMEWAIT_LEN first when tmo is
	 * longer; a FIN_WAIT2 timewait sock for the whole tmo is equivalent. */
	tcp_time_wait(sk, TCP_FIN_WAIT2, tmo);
	return 1;
}

/* Step 5 continued: what an acceptable ACK does to each state. 1: skb
 * consumed by a state change, -reason: send a RST, 0: go on. */
static int tcp_rcv_state_ack(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);
	int ret;

	switch (sk->sk_state) {
	case TCP_SYN_RECV:
		tcp_synrecv_established(sk, skb);
		break;
	case TCP_FIN_WAIT1:
		ret = tcp_fin_wait1_acked(sk, skb);
		if (ret < 0)
			return -SKB_DROP_REASON_TCP_ABORT_ON_DATA;
		return ret;
	case TCP_CLOSING:
		if (tp->snd_una == tp->write_seq) {
			tcp_time_wait(sk, TCP_TIME_WAIT, 0);
			return 1;
		}
		break;
	case TCP_LAST_ACK:
		if (tp->snd_una == tp->write_seq) {
			tcp_done(sk);
			return 1;
		}
		break;
	}
	return 0;
}

/* Step 7 for the closing states: after their FIN, or ours when we will
 * read no more, new data is a protocol error (RFC 9293 3.10.7.4 and RFC
 * 1122 4.2.2.13: RST). Non-zero: reset the connection, skb not consumed. */
static enum skb_drop_reason tcp_rcv_state_text(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);

	switch (sk->sk_state) {
	case TCP_CLOSE_WAIT:
	case TCP_CLOSING:
	case TCP_LAST_ACK:
		if (!before(TCP_SKB_CB(skb)->seq, tp->rcv_nxt)) {
			tcp_drop_reason(sk, skb, SKB_DROP_REASON_TCP_CLOSE);
			return SKB_NOT_DROPPED_YET;
		}
		/* fallthrough */
	case TCP_FIN_WAIT1:
	case TCP_FIN_WAIT2:
		if ((sk->sk_shutdown & RCV_SHUTDOWN) &&
		    TCP_SKB_CB(skb)->end_seq != TCP_SKB_CB(skb)->seq &&
		    after(TCP_SKB_CB(skb)->end_seq - th_has(skb, TCPHDR_FIN), tp->rcv_nxt)) {
			__NET_INC_STATS(inet_net(sk), LINUX_MIB_TCPABORTONDATA);
			tcp_reset(sk, skb);
			return SKB_DROP_REASON_TCP_ABORT_ON_DATA;
		}
		/* fallthrough */
	case TCP_ESTABLISHED:
		tcp_data_queue(sk, skb);
		return SKB_NOT_DROPPED_YET;
	}
	tcp_drop_reason(sk, skb, SKB_DROP_REASON_TCP_CLOSE);
	return SKB_NOT_DROPPED_YET;
}

enum skb_drop_reason tcp_rcv_state_process(struct sock *sk, struct sk_buff *skb)
{
	enum skb_drop_reason reset = SKB_NOT_DROPPED_YET;
	int ret;

	switch (sk->sk_state) {
	case TCP_CLOSE:
		tcp_drop_reason(sk, skb, SKB_DROP_REASON_TCP_CLOSE);
		return SKB_NOT_DROPPED_YET;
	case TCP_LISTEN:
		return tcp_rcv_listen(sk, skb);
	case TCP_SYN_SENT:
		tcp_sk(sk)->rx_opt.saw_tstamp = 0;
		ret = tcp_rcv_synsent_state_process(sk, skb);
		if (ret >= 0)
			return (enum skb_drop_reason)ret;
		/* Established: step 6 onwards by hand. */
		consume_skb(skb);
		tcp_data_snd_check(sk);
		return SKB_NOT_DROPPED_YET;
	}
	tcp_sk(sk)->rx_opt.saw_tstamp = 0;
	if (!th_has(skb, TCPHDR_ACK | TCPHDR_RST | TCPHDR_SYN)) {
		tcp_drop_reason(sk, skb, SKB_DROP_REASON_TCP_FLAGS);
		return SKB_NOT_DROPPED_YET;
	}
	if (!tcp_validate_incoming(sk, skb, 0))
		return SKB_NOT_DROPPED_YET;
	/* Step 5: the ACK field. */
	ret = tcp_ack(sk, skb, FLAG_SLOWPATH | FLAG_UPDATE_TS_RECENT | FLAG_NO_CHALLENGE_ACK);
	if (ret <= 0) {
		if (sk->sk_state == TCP_SYN_RECV)
			return ret ? (enum skb_drop_reason)-ret : SKB_DROP_REASON_TCP_OLD_ACK;
		if (ret < 0) {
			tcp_send_challenge_ack(sk);
			tcp_drop_reason(sk, skb, (enum skb_drop_reason)-ret);
			return SKB_NOT_DROPPED_YET;
		}
	}
	ret = tcp_rcv_state_ack(sk, skb);
	if (ret < 0)
		return (enum skb_drop_reason)-ret;
	if (ret > 0) {
		consume_skb(skb);
		return SKB_NOT_DROPPED_YET;
	}
	/* Step 6 (URG) is ignored; step 7, the text. */
	reset = tcp_rcv_state_text(sk, skb);
	if (reset)
		return reset;
	if (sk->sk_state != TCP_CLOSE) {
		tcp_data_snd_check(sk);
		tcp_ack_snd_check(sk);
	}
	return SKB_NOT_DROPPED_YET;
}
