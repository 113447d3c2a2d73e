/*
 * TCP timers (Linux's net/ipv4/tcp_timer.c, BSD's tcp_timer.c): what
 * happens when time passes on a connection.
 *
 * A connection has three timer_lists, each with one handler of the same
 * shape, listed in tcp_timer_funcs[] as BSD lists its timers:
 *
 *   retransmit  icsk_retransmit_timer: the event in icsk_pending --
 *               ICSK_TIME_RETRANS (RFC 6298 5.5-5.7: back off, resend the
 *               head, give up after tcp_retries2 / tcp_syn_retries or
 *               TCP_USER_TIMEOUT), ICSK_TIME_PROBE0 (the persist timer,
 *               RFC 9293 3.8.6.1: zero-window probes), ICSK_TIME_LOSS_PROBE
 *               (RFC 8985 7.3 tail loss probe, tcp_send_loss_probe in
 *               tcp_output.c) or ICSK_TIME_REO_TIMEOUT (RFC 8985 6.3 RACK
 *               reordering timeout, tcp_rack_reo_timeout in tcp_recovery.c)
 *   delayed ACK icsk_delack_timer (RFC 9293 3.8.6.3, RFC 1122 4.2.3.2)
 *   keepalive   icsk_keepalive_timer (RFC 1122 4.2.3.6, SO_KEEPALIVE with
 *               TCP_KEEPIDLE/KEEPINTVL/KEEPCNT), which also ends an orphan
 *               left in FIN_WAIT2 (tcp_fin_timeout)
 *
 * Arming is inet_csk_reset_xmit_timer (inet_connection_sock.h) and
 * inet_csk_reset_keepalive_timer here. Timers hold no reference on the
 * socket: tcp_clear_xmit_timers must run before it is freed. Everything
 * runs under the stack lock, so Linux's "socket owned by user, try later"
 * never happens.
 *
 * What this file is not: the RTO value itself (tcp_input's RTT estimator
 * sets icsk_rto), marking segments lost (tcp_enter_loss, tcp_input.c), the
 * SYN-ACK timer of request socks (inet_connection_sock.c) and TIME_WAIT
 * (tcp_minisocks.c).
 */
#include <errno.h>

#include "net/tcp.h"

static struct tn_stack *tcp_timer_stack(const struct sock *sk)
{
	return sock_net(sk)->stack;
}

static u32 tcp_timer_jiffies32(const struct sock *sk)
{
	return (u32)jiffies(tcp_timer_stack(sk));
}

/* ---- giving up ------------------------------------------------------------------ */

void tcp_write_err(struct sock *sk)
{
	bool dead = sock_flag(sk, SOCK_DEAD);

	sk->sk_err = sk->sk_err_soft ? sk->sk_err_soft : ETIMEDOUT;
	__NET_INC_STATS(sock_net(sk), LINUX_MIB_TCPABORTONTIMEOUT);
	tcp_write_queue_purge(sk);
	if (!dead && sk->sk_error_report)
		sk->sk_error_report(sk);
	/* An orphan is freed by tcp_done: touch nothing after it. */
	tcp_done(sk);
}

/* Retries for an orphan (net.ipv4.tcp_orphan_retries; 0 means 8 while the
 * peer seems alive, and none after an ICMP error). */
static int tcp_orphan_retries(const struct sock *sk, bool alive)
{
	int retries = tcp_net(sk)->sysctl_tcp_orphan_retries;

	if (sk->sk_err_soft && !alive)
		retries = 0;
	if (retries == 0 && alive)
		retries = 8;
	return retries;
}

/* How long `boundary` retransmissions take with exponential backoff from
 * rto_base, capped at TCP_RTO_MAX each (ms; Linux's tcp_model_timeout). */
static u64 tcp_model_timeout(u32 boundary, u32 rto_base)
{
	u32 thresh = 0;

	while ((TCP_RTO_MAX / rto_base) >> (thresh + 1))
		thresh++;                          /* ilog2(TCP_RTO_MAX / rto_base) */
	if (boundary <= thresh)
		return ((2ull << boundary) - 1) * rto_base;
	return ((2ull << thresh) - 1) * rto_base + (u64)(boundary - thresh) * TCP_RTO_MAX;
}

/* Has retransmission gone on longer than `boundary` backoffs would take,
 * or than `timeout` ms (TCP_USER_TIMEOUT) when given? */
static bool retransmits_timed_out(const struct sock *sk, u32 boundary, u32 timeout)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	u64 elapsed_ms;

	if (!inet_csk(sk)->icsk_retransmits || !tp->retrans_stamp)
		return false;
	if (!timeout) {
		/* While connecting the backoff starts from the initial RTO. */
		u32 rto_base = (TCPF(sk->sk_state) & (TCPF(TCP_SYN_SENT) | TCPF(TCP_SYN_RECV)))
				       ? TCP_TIMEOUT_INIT : TCP_RTO_MIN;

		timeout = (u32)tcp_model_timeout(boundary, rto_base);
	}
	elapsed_ms = (tn_now(tcp_timer_stack(sk)) - tp->retrans_stamp) / TN_NSEC_PER_JIFFY;
	return elapsed_ms >= timeout;
}

/*
 * RFC 9293 3.8.3 R2 / RFC 1122 4.2.3.5: after enough retransmissions the
 * connection is given up (tcp_syn_retries / TCP_SYNCNT while connecting,
 * tcp_retries2 or TCP_USER_TIMEOUT once synchronized; an orphan gets
 * tcp_orphan_retries). Past tcp_retries1 the route is looked up again
 * (R1: "pass negative advice to IP"). Returns 1 when the socket is done.
 */
static int tcp_write_timeout(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_net *tn = tcp_net(sk);
	bool expired = false;
	u32 retry_until;

	if (TCPF(sk->sk_state) & (TCPF(TCP_SYN_SENT) | TCPF(TCP_SYN_RECV))) {
		if (icsk->icsk_retransmits)
			sk_dst_reset(sk);
		retry_until = icsk->icsk_syn_retries ? icsk->icsk_syn_retries
						     : (u32)tn->sysctl_tcp_syn_retries;
		expired = icsk->icsk_retransmits >= retry_until;
	} else {
		if (retransmits_timed_out(sk, (u32)tn->sysctl_tcp_retries1, 0))
			sk_dst_reset(sk);
		retry_until = (u32)tn->sysctl_tcp_retries2;
		if (sock_flag(sk, SOCK_DEAD)) {
			bool alive = icsk->icsk_rto < TCP_RTO_MAX;

			retry_until = (u32)tcp_orphan_retries(sk, alive);
		}
	}
	if (!expired)
		expired = retransmits_timed_out(sk, retry_until, icsk->icsk_user_timeout);
	if (expired) {
		tcp_write_err(sk);
		return 1;
	}
	return 0;
}

/* ---- retransmission timeout ------------------------------------------------------ */

/* The RTO, no longer than what TCP_USER_TIMEOUT leaves. */
static u32 tcp_clamp_rto_to_user_timeout(const struct sock *sk)
{
	const struct inet_connection_sock *icsk = inet_csk(sk);
	const struct tcp_sock *tp = tcp_sk(sk);
	s64 elapsed, remaining;

	if (!icsk->icsk_user_timeout || !tp->retrans_stamp)
		return icsk->icsk_rto;
	elapsed = (s64)((tn_now(tcp_timer_stack(sk)) - tp->retrans_stamp) / TN_NSEC_PER_JIFFY);
	remaining = (s64)icsk->icsk_user_timeout - elapsed;
	if (remaining <= 0)
		return 1;
	return (u32)TN_MIN((s64)icsk->icsk_rto, remaining);
}

/* A peer holding a zero window while our retransmissions go unanswered:
 * give up after twice TCP_RTO_MAX without hearing from it, or at
 * TCP_USER_TIMEOUT (Linux's tcp_rtx_probe0_timed_out). */
static bool tcp_rtx_probe0_timed_out(const struct sock *sk, u32 rtx_delta)
{
	const struct inet_connection_sock *icsk = inet_csk(sk);
	const struct tcp_sock *tp = tcp_sk(sk);
	u32 user_timeout = icsk->icsk_user_timeout;
	s32 timeout = TCP_RTO_MAX * 2;
	s32 rcv_delta;

	if (user_timeout) {
		if (rtx_delta > user_timeout)
			return true;
		timeout = TN_MIN(timeout, (s32)user_timeout);
	}
	rcv_delta = (s32)((u32)icsk->icsk_timeout - tp->rcv_tstamp);
	if (rcv_delta <= timeout)
		return false;
	return (s32)rtx_delta > timeout;
}

/* RFC 6298 5.5-5.6: double the RTO (to TCP_RTO_MAX) and restart the timer. */
static void tcp_rto_backoff_rearm(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_net *tn = tcp_net(sk);

	icsk->icsk_backoff++;
	icsk->icsk_rto = TN_MIN(icsk->icsk_rto << 1, (u32)TCP_RTO_MAX);
	inet_csk_reset_xmit_timer(sk, ICSK_TIME_RETRANS, tcp_clamp_rto_to_user_timeout(sk),
				  TCP_RTO_MAX);
	if (retransmits_timed_out(sk, (u32)tn->sysctl_tcp_retries1 + 1, 0))
		sk_dst_reset(sk);
}

/* The peer's window is zero and our retransmission became a probe: keep
 * probing without counting toward tcp_retries2 (RFC 1122 4.2.2.17). */
static void tcp_retransmit_zero_window(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);
	u64 since = tp->retrans_stamp ? tp->retrans_stamp : TCP_SKB_CB(skb)->tx_stamp;
	u32 rtx_delta = (u32)((tn_now(tcp_timer_stack(sk)) - since) / TN_NSEC_PER_JIFFY);

	if (tcp_rtx_probe0_timed_out(sk, rtx_delta)) {
		tcp_write_err(sk);
		return;
	}
	tcp_enter_loss(sk);
	tcp_retransmit_skb(sk, skb, 1);
	sk_dst_reset(sk);
	tcp_rto_backoff_rearm(sk);
}

/* Which recovery failed, for netstat (TcpExt*Failures). */
static void tcp_count_recovery_failure(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	const struct tcp_sock *tp = tcp_sk(sk);
	int mib = 0;

	if (icsk->icsk_retransmits)
		return;
	if (icsk->icsk_ca_state == TCP_CA_Recovery)
		mib = tcp_is_sack(tp) ? LINUX_MIB_TCPSACKRECOVERYFAIL : LINUX_MIB_TCPRENORECOVERYFAIL;
	else if (icsk->icsk_ca_state == TCP_CA_Loss)
		mib = LINUX_MIB_TCPLOSSFAILURES;
	else if (icsk->icsk_ca_state == TCP_CA_Disorder || tp->sacked_out)
		mib = tcp_is_sack(tp) ? LINUX_MIB_TCPSACKFAILURES : LINUX_MIB_TCPRENOFAILURES;
	if (mib)
		__NET_INC_STATS(sock_net(sk), mib);
}

/*
 * The retransmission timer expired (RFC 6298 5.4-5.7, RFC 5681 3.1 eq. 4):
 * everything outstanding is presumed lost (TCP_CA_Loss, ssthresh from the
 * congestion control, cwnd to one segment), the first unacknowledged
 * segment goes again, the RTO doubles. TcpExtTCPTimeouts.
 */
void tcp_retransmit_timer(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb;

	if (!tp->packets_out)
		return;
	skb = tcp_rtx_queue_head(sk);
	if (!skb)
		return;
	if (!tp->snd_wnd && !sock_flag(sk, SOCK_DEAD) &&
	    !(TCPF(sk->sk_state) & (TCPF(TCP_SYN_SENT) | TCPF(TCP_SYN_RECV)))) {
		tcp_retransmit_zero_window(sk, skb);
		return;
	}
	__NET_INC_STATS(sock_net(sk), LINUX_MIB_TCPTIMEOUTS);
	if (tcp_write_timeout(sk))
		return;
	tcp_count_recovery_failure(sk);
	tcp_enter_loss(sk);
	icsk->icsk_retransmits++;
	if (tcp_retransmit_skb(sk, tcp_rtx_queue_head(sk), 1) > 0) {
		/* Local congestion: retry soon, without backing off. */
		inet_csk_reset_xmit_timer(sk, ICSK_TIME_RETRANS, TCP_RESOURCE_PROBE_INTERVAL,
					  TCP_RTO_MAX);
		return;
	}
	tcp_rto_backoff_rearm(sk);
}

/* ---- persist timer ---------------------------------------------------------------- */

/*
 * RFC 9293 3.8.6.1 / RFC 1122 4.2.2.17: keep probing a zero window for as
 * long as the peer answers (tcp_input clears icsk_probes_out on each ACK);
 * give up after tcp_retries2 unanswered probes, at TCP_USER_TIMEOUT, or
 * sooner for an orphan.
 */
static void tcp_probe_timer(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	u32 now = tcp_timer_jiffies32(sk);
	int max_probes;

	if (tp->packets_out || !tcp_send_head(sk)) {
		icsk->icsk_probes_out = 0;
		icsk->icsk_probes_tstamp = 0;
		return;
	}
	if (!icsk->icsk_probes_tstamp) {
		icsk->icsk_probes_tstamp = now ? now : 1;
	} else if (icsk->icsk_user_timeout &&
		   (s32)(now - icsk->icsk_probes_tstamp) >= (s32)icsk->icsk_user_timeout) {
		tcp_write_err(sk);
		return;
	}
	max_probes = tcp_net(sk)->sysctl_tcp_retries2;
	if (sock_flag(sk, SOCK_DEAD)) {
		bool alive = tcp_probe0_when(sk, TCP_RTO_MAX) < TCP_RTO_MAX;

		max_probes = tcp_orphan_retries(sk, alive);
		if (!alive && icsk->icsk_backoff >= max_probes) {
			tcp_write_err(sk);
			return;
		}
	}
	if (icsk->icsk_probes_out >= max_probes)
		tcp_write_err(sk);
	else
		tcp_send_probe0(sk);
}

/* ---- the handlers ------------------------------------------------------------------ */

/* The retransmit timer stands for the event in icsk_pending. */
static void (*const tcp_xmit_event_funcs[])(struct sock *sk) = {
	[ICSK_TIME_RETRANS] = tcp_retransmit_timer,
	[ICSK_TIME_PROBE0] = tcp_probe_timer,
	[ICSK_TIME_LOSS_PROBE] = tcp_send_loss_probe,
	[ICSK_TIME_REO_TIMEOUT] = tcp_rack_reo_timeout,
};

void tcp_write_timer_handler(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	u8 event = icsk->icsk_pending;

	if ((TCPF(sk->sk_state) & (TCPF(TCP_CLOSE) | TCPF(TCP_LISTEN))) || !event)
		return;
	if (icsk->icsk_timeout > jiffies(tcp_timer_stack(sk))) {
		tn_mod_timer(tcp_timer_stack(sk), &icsk->icsk_retransmit_timer, icsk->icsk_timeout);
		return;
	}
	/* A loss probe or reordering timeout keeps icsk_pending until it has
	 * decided: tcp_rearm_rto then counts the RTO from the head's send
	 * time (Linux's tcp_write_timer_handler). */
	if (event == ICSK_TIME_RETRANS || event == ICSK_TIME_PROBE0)
		icsk->icsk_pending = 0;
	if (event < ARRAY_SIZE(tcp_xmit_event_funcs) && tcp_xmit_event_funcs[event])
		tcp_xmit_event_funcs[event](sk);
}

/*
 * The delayed ACK is due (RFC 1122 4.2.3.2: at most 500 ms, Linux 40-200
 * ms). A missed delayed ACK in bulk mode grows ato (up to the RTO); in
 * interactive mode it leaves ping-pong mode. TcpExtDelayedACKs.
 */
void tcp_delack_timer_handler(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);

	if (TCPF(sk->sk_state) & (TCPF(TCP_CLOSE) | TCPF(TCP_LISTEN)))
		return;
	if (!(icsk->icsk_ack.pending & ICSK_ACK_TIMER))
		return;
	if (icsk->icsk_ack.timeout > jiffies(tcp_timer_stack(sk))) {
		tn_mod_timer(tcp_timer_stack(sk), &icsk->icsk_delack_timer, icsk->icsk_ack.timeout);
		return;
	}
	icsk->icsk_ack.pending &= (u8)~ICSK_ACK_TIMER;
	if (!inet_csk_ack_scheduled(sk))
		return;
	if (!inet_csk_in_pingpong_mode(sk)) {
		icsk->icsk_ack.ato = TN_MIN(icsk->icsk_ack.ato << 1, icsk->icsk_rto);
	} else {
		inet_csk_exit_pingpong_mode(sk);
		icsk->icsk_ack.ato = TCP_ATO_MIN;
	}
	tcp_send_ack(sk);
	__NET_INC_STATS(sock_net(sk), LINUX_MIB_DELAYEDACKS);
}

/* Keepalive settings: the socket's (TCP_KEEPIDLE, ...) or the namespace's. */
static u32 tcp_ka_time(const struct tcp_sock *tp, const struct tcp_net *tn)
{
	return tp->keepalive_time ? tp->keepalive_time : (u32)tn->sysctl_tcp_keepalive_time;
}

static u32 tcp_ka_intvl(const struct tcp_sock *tp, const struct tcp_net *tn)
{
	return tp->keepalive_intvl ? tp->keepalive_intvl : (u32)tn->sysctl_tcp_keepalive_intvl;
}

static u32 tcp_ka_probes(const struct tcp_sock *tp, const struct tcp_net *tn)
{
	return tp->keepalive_probes ? tp->keepalive_probes : (u32)tn->sysctl_tcp_keepalive_probes;
}

/* An orphan in FIN_WAIT2 ran out of tcp_fin_timeout (TCP_LINGER2): the
 * rest of it is spent as a timewait sock, or a negative TCP_LINGER2 (or
 * nothing left) ends it with a RST. */
static void tcp_fin_wait2_timeout(struct sock *sk)
{
	if (tcp_sk(sk)->linger2 >= 0) {
		int tmo = tcp_fin_time(sk) - TCP_TIMEWAIT_LEN;

		if (tmo > 0) {
			tcp_time_wait(sk, TCP_FIN_WAIT2, tmo);
			return;
		}
	}
	tcp_send_active_reset(sk);
	tcp_done(sk);
}

/* Time since we last heard from the peer (data or ACK), jiffies. */
static u32 tcp_keepalive_elapsed(const struct sock *sk)
{
	u32 now = tcp_timer_jiffies32(sk);

	return TN_MIN(now - inet_csk(sk)->icsk_ack.lrcvtime, now - tcp_sk(sk)->rcv_tstamp);
}

/*
 * RFC 1122 4.2.3.6 keepalive as Linux does it: after keepalive_time of
 * silence, a probe (an ACK one byte below snd_una) every keepalive_intvl;
 * after keepalive_probes unanswered probes (or TCP_USER_TIMEOUT), RST and
 * ETIMEDOUT. A connection with data in flight is alive by other means.
 */
void tcp_keepalive_timer_handler(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcp_net *tn = tcp_net(sk);
	u32 elapsed, when;

	if (sk->sk_state == TCP_LISTEN)
		return;
	if (sk->sk_state == TCP_FIN_WAIT2 && sock_flag(sk, SOCK_DEAD)) {
		tcp_fin_wait2_timeout(sk);
		return;
	}
	if (!sock_flag(sk, SOCK_KEEPOPEN) ||
	    (TCPF(sk->sk_state) & (TCPF(TCP_CLOSE) | TCPF(TCP_SYN_SENT))))
		return;
	when = tcp_ka_time(tp, tn);
	if (tp->packets_out || tcp_send_head(sk)) {
		inet_csk_reset_keepalive_timer(sk, when);
		return;
	}
	elapsed = tcp_keepalive_elapsed(sk);
	if (elapsed < when) {
		inet_csk_reset_keepalive_timer(sk, when - elapsed);
		return;
	}
	if ((icsk->icsk_user_timeout && elapsed >= icsk->icsk_user_timeout &&
	     icsk->icsk_probes_out > 0) ||
	    (!icsk->icsk_user_timeout && icsk->icsk_probes_out >= tcp_ka_probes(tp, tn))) {
		tcp_send_active_reset(sk);
		tcp_write_err(sk);
		return;
	}
	if (tcp_write_wakeup(sk, LINUX_MIB_TCPKEEPALIVE) <= 0) {
		icsk->icsk_probes_out++;
		when = tcp_ka_intvl(tp, tn);
	} else {
		when = TCP_RESOURCE_PROBE_INTERVAL;   /* local congestion: try harder */
	}
	inet_csk_reset_keepalive_timer(sk, when);
}

/* BSD's tcp_timer_funcs[]: every timer_list of a connection runs its
 * handler the same way. */
enum { TCP_TIMER_REXMT, TCP_TIMER_DELACK, TCP_TIMER_KEEP, TCP_NTIMERS };

static void (*const tcp_timer_funcs[TCP_NTIMERS])(struct sock *sk) = {
	[TCP_TIMER_REXMT] = tcp_write_timer_handler,
	[TCP_TIMER_DELACK] = tcp_delack_timer_handler,
	[TCP_TIMER_KEEP] = tcp_keepalive_timer_handler,
};

static void tcp_timer_run(struct inet_connection_sock *icsk, int which)
{
	tcp_timer_funcs[which](&icsk->icsk_inet.sk);
}

static void tcp_write_timer(struct timer_list *t)
{
	struct inet_connection_sock *icsk = from_timer(icsk, t, icsk_retransmit_timer);

	tcp_timer_run(icsk, TCP_TIMER_REXMT);
}

static void tcp_delack_timer(struct timer_list *t)
{
	struct inet_connection_sock *icsk = from_timer(icsk, t, icsk_delack_timer);

	tcp_timer_run(icsk, TCP_TIMER_DELACK);
}

static void tcp_keepalive_timer(struct timer_list *t)
{
	struct inet_connection_sock *icsk = from_timer(icsk, t, icsk_keepalive_timer);

	tcp_timer_run(icsk, TCP_TIMER_KEEP);
}

void tcp_init_xmit_timers(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);

	timer_setup(&icsk->icsk_retransmit_timer, tcp_write_timer);
	timer_setup(&icsk->icsk_delack_timer, tcp_delack_timer);
	timer_setup(&icsk->icsk_keepalive_timer, tcp_keepalive_timer);
	icsk->icsk_pending = 0;
	icsk->icsk_ack.pending = 0;
}

void tcp_clear_xmit_timers(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);

	icsk->icsk_pending = 0;
	icsk->icsk_ack.pending = 0;
	del_timer(&icsk->icsk_retransmit_timer);
	del_timer(&icsk->icsk_delack_timer);
	del_timer(&icsk->icsk_keepalive_timer);
}

void inet_csk_reset_keepalive_timer(struct sock *sk, u32 len)
{
	struct tn_stack *st = tcp_timer_stack(sk);

	tn_mod_timer(st, &inet_csk(sk)->icsk_keepalive_timer, jiffies(st) + len);
}

void inet_csk_delete_keepalive_timer(struct sock *sk)
{
	del_timer(&inet_csk(sk)->icsk_keepalive_timer);
}
