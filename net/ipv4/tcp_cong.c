/*
 * TCP congestion control framework (Linux's net/ipv4/tcp_cong.c): the
 * registry of algorithms, each a const tcp_congestion_ops table; choosing
 * one per socket (TCP_CONGESTION) or per namespace
 * (net.ipv4.tcp_congestion_control, "cubic" by default); and Reno, the
 * RFC 5681 algorithm every other one falls back on: slow start and
 * congestion avoidance with Appropriate Byte Counting in packets (RFC 3465,
 * L = unlimited as Linux counts "acked" segments), halving on loss.
 *
 * What this file is not: loss detection and recovery (tcp_input.c decides
 * when to call ssthresh/undo_cwnd and drives the CA states), and the
 * algorithms other than Reno (tcp_cubic.c). The registry is a fixed table:
 * there are no loadable modules, so nothing here is mutable.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "net/tcp.h"

/* Every algorithm the stack knows; the first is the built-in default. */
static const struct tcp_congestion_ops *const tcp_ca_registry[] = {
	&cubictcp,
	&tcp_reno,
};

const struct tcp_congestion_ops *tcp_ca_find(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(tcp_ca_registry); i++)
		if (!strcmp(tcp_ca_registry[i]->name, name))
			return tcp_ca_registry[i];
	return NULL;
}

/* Space-separated list, as /proc/sys/net/ipv4/tcp_available_congestion_control. */
void tcp_get_available_congestion_control(char *buf, size_t len)
{
	size_t off = 0;

	if (!len)
		return;
	buf[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(tcp_ca_registry) && off < len; i++) {
		int n = snprintf(buf + off, len - off, "%s%s", i ? " " : "",
				 tcp_ca_registry[i]->name);

		if (n < 0)
			break;
		off += (size_t)n;
	}
}

int tcp_set_default_congestion_control(struct net *net, const char *name)
{
	struct tcp_net *tn = net->ipv4.tcp;
	const struct tcp_congestion_ops *ca = tcp_ca_find(name);

	if (!ca)
		return -ENOENT;
	snprintf(tn->sysctl_tcp_congestion_control, sizeof(tn->sysctl_tcp_congestion_control),
		 "%s", ca->name);
	return 0;
}

/* The namespace default for a new socket (Linux's
 * tcp_assign_congestion_control, at tcp_init_sock time). */
void tcp_assign_congestion_control(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_net *tn = tcp_net(sk);
	const struct tcp_congestion_ops *ca = tn ? tcp_ca_find(tn->sysctl_tcp_congestion_control)
						 : NULL;

	icsk->icsk_ca_ops = ca ? ca : tcp_ca_registry[0];
	memset(icsk->icsk_ca_priv, 0, sizeof(icsk->icsk_ca_priv));
}

/* The connection is established: let the algorithm set up its state. */
void tcp_init_congestion_control(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);

	if (!icsk->icsk_ca_ops)
		tcp_assign_congestion_control(sk);
	tcp_sk(sk)->prior_ssthresh = 0;
	if (icsk->icsk_ca_ops->init)
		icsk->icsk_ca_ops->init(sk);
}

void tcp_cleanup_congestion_control(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);

	if (icsk->icsk_ca_ops && icsk->icsk_ca_ops->release)
		icsk->icsk_ca_ops->release(sk);
}

/*
 * TCP_CONGESTION. An unknown name is -ENOENT, as Linux answers once module
 * loading failed. A connection already past SYN_SENT starts the new
 * algorithm from a clean state (tcp_reinit_congestion_control).
 */
int tcp_set_congestion_control(struct sock *sk, const char *name)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	const struct tcp_congestion_ops *ca = tcp_ca_find(name);

	if (!ca)
		return -ENOENT;
	if (ca == icsk->icsk_ca_ops)
		return 0;
	tcp_cleanup_congestion_control(sk);
	icsk->icsk_ca_ops = ca;
	memset(icsk->icsk_ca_priv, 0, sizeof(icsk->icsk_ca_priv));
	if (TCPF(sk->sk_state) & ~(TCPF(TCP_CLOSE) | TCPF(TCP_LISTEN) | TCPF(TCP_SYN_SENT)))
		tcp_init_congestion_control(sk);
	return 0;
}

/* ---- Reno (RFC 5681) --------------------------------------------------- */

/*
 * Slow start (RFC 5681 3.1, RFC 3465 byte counting in segments): cwnd
 * grows by what was ACKed, but not past ssthresh. Returns the ACKed
 * segments left over for congestion avoidance.
 */
u32 tcp_slow_start(struct tcp_sock *tp, u32 acked)
{
	u32 cwnd = TN_MIN(tp->snd_cwnd + acked, tp->snd_ssthresh);

	acked -= cwnd - tp->snd_cwnd;
	tp->snd_cwnd = TN_MIN(cwnd, tp->snd_cwnd_clamp);
	return acked;
}

/*
 * Congestion avoidance, additive increase: one segment per w segments
 * ACKed (w = cwnd for Reno: one per RTT). Credits counted at a larger w
 * are spent first, so a shrinking w does not give a burst.
 */
void tcp_cong_avoid_ai(struct tcp_sock *tp, u32 w, u32 acked)
{
	if (tp->snd_cwnd_cnt >= w) {
		tp->snd_cwnd_cnt = 0;
		tp->snd_cwnd++;
	}
	tp->snd_cwnd_cnt += acked;
	if (tp->snd_cwnd_cnt >= w) {
		u32 delta = tp->snd_cwnd_cnt / w;

		tp->snd_cwnd_cnt -= delta * w;
		tp->snd_cwnd += delta;
	}
	tp->snd_cwnd = TN_MIN(tp->snd_cwnd, tp->snd_cwnd_clamp);
}

void tcp_reno_cong_avoid(struct sock *sk, u32 ack, u32 acked)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (!tcp_is_cwnd_limited(sk))
		return;
	if (tcp_in_slow_start(tp)) {
		acked = tcp_slow_start(tp, acked);
		if (!acked)
			return;
	}
	tcp_cong_avoid_ai(tp, tp->snd_cwnd, acked);
}

/* RFC 5681 (4): ssthresh = max(FlightSize / 2, 2 * SMSS), with cwnd for
 * FlightSize as Linux does. */
u32 tcp_reno_ssthresh(struct sock *sk)
{
	return TN_MAX(tcp_sk(sk)->snd_cwnd >> 1, 2u);
}

u32 tcp_reno_undo_cwnd(struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);

	return TN_MAX(tp->snd_cwnd, tp->prior_cwnd);
}

const struct tcp_congestion_ops tcp_reno = {
	.name = "reno",
	.ssthresh = tcp_reno_ssthresh,
	.cong_avoid = tcp_reno_cong_avoid,
	.undo_cwnd = tcp_reno_undo_cwnd,
};
