/*
 * CUBIC congestion control (RFC 9438), as Linux's net/ipv4/tcp_cubic.c
 * computes it, the default algorithm of every namespace.
 *
 * After a loss the window is cut to beta = 717/1024 (~0.7) of W_max and then
 * follows W_cubic(t) = C * (t - K)^3 + W_max (RFC 9438 4.2, C = 0.4,
 * K = cbrt(W_max * (1 - beta) / C)): concave up to W_max, then convex past
 * it. Time runs in 1/1024 s units (BICTCP_HZ) from the start of the epoch,
 * plus the minimum RTT, as Linux does; cwnd follows the curve through
 * ca->cnt, "one segment per cnt segments ACKed". Fast convergence (4.7)
 * lowers W_max when a flow loses below its previous W_max; the TCP-friendly
 * region (4.3) keeps CUBIC at least as fast as Reno would be with the same
 * beta. HyStart (Ha and Rhee, Linux's ack-train and delay detection) ends
 * slow start before the first loss when ACKs stretch out or the RTT rises.
 *
 * Differences from Linux: the cube root is exact (floor) where Linux uses
 * a table and one Newton step (0.2 % error), and there is no pacing, so
 * HyStart's ack-train threshold is always delay_min / 2. Per-connection
 * state lives in icsk_ca_priv; the tunables are Linux's module defaults,
 * constants here.
 */
#include <string.h>

#include "net/tcp.h"

#define BICTCP_BETA_SCALE 1024      /* scale of beta */
#define BICTCP_HZ 10                /* time unit 2^-10 s */
#define CUBIC_BETA 717              /* beta = 717/1024 */
#define CUBIC_BIC_SCALE 41          /* C = 41 * 10 / 1024 ~ 0.4 */
#define CUBIC_FAST_CONVERGENCE 1
#define CUBIC_TCP_FRIENDLINESS 1
#define CUBIC_HYSTART 1

#define HYSTART_ACK_TRAIN 0x1
#define HYSTART_DELAY 0x2
#define HYSTART_DETECT (HYSTART_ACK_TRAIN | HYSTART_DELAY)
#define HYSTART_LOW_WINDOW 16
#define HYSTART_ACK_DELTA_US 2000
#define HYSTART_MIN_SAMPLES 8
#define HYSTART_DELAY_MIN 4000u     /* us */
#define HYSTART_DELAY_MAX 16000u

/* Linux's cubictcp_register() values: the Reno-equivalent growth scale
 * 8 * (1 + beta) / 3 / (1 - beta), C / RTT scaled by 2^10, and
 * 2^(10 + 3 * BICTCP_HZ) / (C * 2^10) for K. */
#define CUBIC_BETA_SCALE \
	(8 * (BICTCP_BETA_SCALE + CUBIC_BETA) / 3 / (BICTCP_BETA_SCALE - CUBIC_BETA))
#define CUBIC_CUBE_RTT_SCALE (CUBIC_BIC_SCALE * 10)
#define CUBIC_CUBE_FACTOR ((1ull << (10 + 3 * BICTCP_HZ)) / (CUBIC_BIC_SCALE * 10))

struct bictcp {
	u32 cnt;                 /* increase cwnd by 1 after cnt ACKed segments */
	u32 last_max_cwnd;       /* W_max */
	u32 last_cwnd;           /* cwnd at the last update */
	u32 last_time;           /* jiffies of the last update */
	u32 bic_origin_point;    /* the curve's plateau (W_max, or cwnd) */
	u32 bic_K;               /* time to the plateau, 2^-10 s */
	u32 delay_min;           /* minimum RTT seen, us */
	u32 epoch_start;         /* jiffies the epoch began, 0: none */
	u32 ack_cnt;             /* segments ACKed in the epoch (friendliness) */
	u32 tcp_cwnd;            /* what Reno would have now */
	/* Fields from here on survive bictcp_reset (HyStart's). */
	u8 sample_cnt;           /* RTT samples in this round */
	u8 found;                /* HyStart left slow start */
	u32 round_start;         /* us: start of the round */
	u32 end_seq;             /* snd_nxt at the start of the round */
	u32 last_ack;            /* us: last ACK of a close train */
	u32 curr_rtt;            /* least RTT of the round, us */
};

_Static_assert(sizeof(struct bictcp) <= sizeof(((struct inet_connection_sock *)0)->icsk_ca_priv),
	       "CUBIC state must fit icsk_ca_priv");

static struct bictcp *cubic_ca(const struct sock *sk)
{
	return inet_csk_ca(sk);
}

static u32 cubic_jiffies(const struct sock *sk)
{
	return (u32)jiffies(sock_net(sk)->stack);
}

static u32 cubic_clock_us(const struct sock *sk)
{
	return (u32)(tn_now(sock_net(sk)->stack) / 1000);
}

static void bictcp_reset(struct bictcp *ca)
{
	memset(ca, 0, offsetof(struct bictcp, sample_cnt));
	ca->found = 0;
}

static void bictcp_hystart_reset(struct sock *sk)
{
	struct bictcp *ca = cubic_ca(sk);

	ca->round_start = ca->last_ack = cubic_clock_us(sk);
	ca->end_seq = tcp_sk(sk)->snd_nxt;
	ca->curr_rtt = ~0u;
	ca->sample_cnt = 0;
}

static void cubictcp_init(struct sock *sk)
{
	bictcp_reset(cubic_ca(sk));
	if (CUBIC_HYSTART)
		bictcp_hystart_reset(sk);
}

/* Sending restarts after the application left the connection idle: move
 * the epoch so the curve does not count the idle time (Linux 4.6+). */
static void cubictcp_cwnd_event(struct sock *sk, enum tcp_ca_event event)
{
	struct bictcp *ca = cubic_ca(sk);
	u32 now = cubic_jiffies(sk);
	s32 delta;

	if (event != CA_EVENT_TX_START)
		return;
	delta = (s32)(now - tcp_sk(sk)->lsndtime);
	if (ca->epoch_start && delta > 0) {
		ca->epoch_start += (u32)delta;
		if (after(ca->epoch_start, now))
			ca->epoch_start = now;
	}
}

/* floor(cbrt(a)), bit by bit. */
static u32 cubic_root(u64 a)
{
	u64 y = 0;

	for (int s = 63; s >= 0; s -= 3) {
		u64 b;

		y <<= 1;
		b = 3 * y * (y + 1) + 1;
		if ((a >> s) >= b) {
			a -= b << s;
			y++;
		}
	}
	return (u32)y;
}

/* Start of an epoch (first ACK after a reduction): K and the plateau. */
static void bictcp_epoch_start(struct bictcp *ca, u32 cwnd, u32 acked, u32 now)
{
	ca->epoch_start = now;
	ca->ack_cnt = acked;
	ca->tcp_cwnd = cwnd;
	if (ca->last_max_cwnd <= cwnd) {
		ca->bic_K = 0;
		ca->bic_origin_point = cwnd;
	} else {
		/* K = cbrt((W_max - cwnd) / C), in 2^-10 s */
		ca->bic_K = cubic_root(CUBIC_CUBE_FACTOR * (ca->last_max_cwnd - cwnd));
		ca->bic_origin_point = ca->last_max_cwnd;
	}
}

/* RFC 9438 4.2: the target W_cubic(t + RTT) and the cnt that reaches it
 * within the next RTT. */
static void bictcp_cubic_cnt(struct bictcp *ca, u32 cwnd, u32 now)
{
	u64 t, offs;
	u32 delta, bic_target;

	t = (u64)(s32)(now - ca->epoch_start);
	t += (ca->delay_min + 999) / 1000;       /* usecs_to_jiffies */
	t = (t << BICTCP_HZ) / HZ;
	offs = t < ca->bic_K ? ca->bic_K - t : t - ca->bic_K;
	/* C/rtt * (t - K)^3, safe for cwnd below a million segments */
	delta = (u32)((CUBIC_CUBE_RTT_SCALE * offs * offs * offs) >> (10 + 3 * BICTCP_HZ));
	bic_target = t < ca->bic_K ? ca->bic_origin_point - delta : ca->bic_origin_point + delta;
	if (bic_target > cwnd)
		ca->cnt = cwnd / (bic_target - cwnd);
	else
		ca->cnt = 100 * cwnd;            /* very small increment */
	/* No W_max yet: grow at least 5 % per RTT. */
	if (ca->last_max_cwnd == 0 && ca->cnt > 20)
		ca->cnt = 20;
}

/* RFC 9438 4.3: never slower than Reno with CUBIC's beta would be. */
static void bictcp_friendliness(struct bictcp *ca, u32 cwnd)
{
	u32 delta = (cwnd * CUBIC_BETA_SCALE) >> 3;

	if (!CUBIC_TCP_FRIENDLINESS)
		return;
	while (delta && ca->ack_cnt > delta) {
		ca->ack_cnt -= delta;
		ca->tcp_cwnd++;
	}
	if (ca->tcp_cwnd > cwnd) {
		u32 max_cnt = cwnd / (ca->tcp_cwnd - cwnd);

		if (ca->cnt > max_cnt)
			ca->cnt = max_cnt;
	}
}

static void bictcp_update(struct bictcp *ca, u32 cwnd, u32 acked, u32 now)
{
	ca->ack_cnt += acked;
	if (ca->last_cwnd == cwnd && (s32)(now - ca->last_time) <= HZ / 32)
		return;
	/* The curve moves at most once a jiffy; a reduction clears
	 * epoch_start, which forces a new computation. */
	if (!(ca->epoch_start && now == ca->last_time)) {
		ca->last_cwnd = cwnd;
		ca->last_time = now;
		if (ca->epoch_start == 0)
			bictcp_epoch_start(ca, cwnd, acked, now);
		bictcp_cubic_cnt(ca, cwnd, now);
	}
	bictcp_friendliness(ca, cwnd);
	/* At most 1.5x per RTT: one segment per two ACKed. */
	ca->cnt = TN_MAX(ca->cnt, 2u);
}

static void cubictcp_cong_avoid(struct sock *sk, u32 ack, u32 acked)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct bictcp *ca = cubic_ca(sk);

	if (!tcp_is_cwnd_limited(sk))
		return;
	if (tcp_in_slow_start(tp)) {
		acked = tcp_slow_start(tp, acked);
		if (!acked)
			return;
	}
	bictcp_update(ca, tp->snd_cwnd, acked, cubic_jiffies(sk));
	tcp_cong_avoid_ai(tp, ca->cnt, acked);
}

/* RFC 9438 4.6 and 4.7: multiplicative decrease by beta, W_max with fast
 * convergence. */
static u32 cubictcp_recalc_ssthresh(struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	struct bictcp *ca = cubic_ca(sk);

	ca->epoch_start = 0;
	if (tp->snd_cwnd < ca->last_max_cwnd && CUBIC_FAST_CONVERGENCE)
		ca->last_max_cwnd = (tp->snd_cwnd * (BICTCP_BETA_SCALE + CUBIC_BETA)) /
				    (2 * BICTCP_BETA_SCALE);
	else
		ca->last_max_cwnd = tp->snd_cwnd;
	return TN_MAX((tp->snd_cwnd * CUBIC_BETA) / BICTCP_BETA_SCALE, 2u);
}

/* RFC 9438 4.8: a timeout forgets the curve. */
static void cubictcp_state(struct sock *sk, u8 new_state)
{
	if (new_state == TCP_CA_Loss) {
		bictcp_reset(cubic_ca(sk));
		bictcp_hystart_reset(sk);
	}
}

static void hystart_found(struct sock *sk, int detect_mib, int cwnd_mib)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct net *net = sock_net(sk);

	cubic_ca(sk)->found = 1;
	__NET_INC_STATS(net, detect_mib);
	__NET_ADD_STATS(net, cwnd_mib, tp->snd_cwnd);
	tp->snd_ssthresh = tp->snd_cwnd;
}

/* HyStart's ack train: ACKs still arriving closely spaced after half the
 * minimum RTT mean the pipe is full. */
static void hystart_ack_train(struct sock *sk)
{
	struct bictcp *ca = cubic_ca(sk);
	u32 now = cubic_clock_us(sk);
	u32 threshold;

	if ((s32)(now - ca->last_ack) > HYSTART_ACK_DELTA_US)
		return;
	ca->last_ack = now;
	threshold = ca->delay_min >> 1;          /* no pacing */
	if ((s32)(now - ca->round_start) > (s32)threshold)
		hystart_found(sk, LINUX_MIB_TCPHYSTARTTRAINDETECT, LINUX_MIB_TCPHYSTARTTRAINCWND);
}

/* HyStart's delay increase: the least RTT of this round's first samples
 * exceeds delay_min by delay_min / 8 (clamped to 4..16 ms). */
static void hystart_delay(struct sock *sk, u32 delay)
{
	struct bictcp *ca = cubic_ca(sk);
	u32 thresh = TN_MIN(TN_MAX(ca->delay_min >> 3, HYSTART_DELAY_MIN), HYSTART_DELAY_MAX);

	if (ca->curr_rtt > delay)
		ca->curr_rtt = delay;
	if (ca->sample_cnt < HYSTART_MIN_SAMPLES) {
		ca->sample_cnt++;
		return;
	}
	if (ca->curr_rtt > ca->delay_min + thresh)
		hystart_found(sk, LINUX_MIB_TCPHYSTARTDELAYDETECT, LINUX_MIB_TCPHYSTARTDELAYCWND);
}

static void hystart_update(struct sock *sk, u32 delay)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct bictcp *ca = cubic_ca(sk);

	if (after(tp->snd_una, ca->end_seq))
		bictcp_hystart_reset(sk);
	if (tp->snd_cwnd < HYSTART_LOW_WINDOW)
		return;
	/* HYSTART_DETECT is Linux's hystart_detect module parameter (both
	 * methods on). */
	if (HYSTART_DETECT & HYSTART_ACK_TRAIN)
		hystart_ack_train(sk);
	if ((HYSTART_DETECT & HYSTART_DELAY) && !ca->found)
		hystart_delay(sk, delay);
}

static void cubictcp_acked(struct sock *sk, u32 num_acked, s32 rtt_us)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	struct bictcp *ca = cubic_ca(sk);
	u32 delay;

	if (rtt_us < 0)
		return;
	/* Samples right after a reduction are skewed by the recovery. */
	if (ca->epoch_start && (s32)(cubic_jiffies(sk) - ca->epoch_start) < HZ)
		return;
	delay = rtt_us ? (u32)rtt_us : 1;
	if (ca->delay_min == 0 || ca->delay_min > delay)
		ca->delay_min = delay;
	if (CUBIC_HYSTART && !ca->found && tcp_in_slow_start(tp))
		hystart_update(sk, delay);
}

const struct tcp_congestion_ops cubictcp = {
	.name = "cubic",
	.init = cubictcp_init,
	.ssthresh = cubictcp_recalc_ssthresh,
	.cong_avoid = cubictcp_cong_avoid,
	.set_state = cubictcp_state,
	.undo_cwnd = tcp_reno_undo_cwnd,
	.cwnd_event = cubictcp_cwnd_event,
	.pkts_acked = cubictcp_acked,
};
