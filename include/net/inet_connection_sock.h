/*
 * Connection-oriented inet sockets (Linux's inet_connection_sock.h,
 * request_sock.h, inet_timewait_sock.h, inet_hashtables.h): what a TCP
 * socket needs beyond inet_sock — the accept queue and the SYN queue of
 * compact request socks, the retransmit/delayed-ACK/keepalive timers, the
 * congestion-control ops, PMTU state — and the two compact objects that
 * stand in for a full socket: request_sock (a SYN received, SYN-ACK sent)
 * and inet_timewait_sock (TIME_WAIT after close).
 *
 * Lookup (per namespace): an established hash keyed by the 4-tuple (full
 * sockets, request socks and timewait socks all share sock_common so one
 * chain holds them), a listening hash by local port, and a bind hash of
 * ports in use (inet_bind_bucket) that port selection consults.
 */
#ifndef TN_NET_INET_CONNECTION_SOCK_H
#define TN_NET_INET_CONNECTION_SOCK_H

#include "net/inet_sock.h"
#include "net/timer.h"
#include "net/stack.h"          /* jiffies, tn_mod_timer for the timer helpers */
#include "net/net_namespace.h"

struct tcp_congestion_ops;
struct request_sock;

/* ---- request socks: the SYN queue ---------------------------------------- */

struct request_sock {
	struct sock_common __req_common;   /* hashed in ehash as TCP_NEW_SYN_RECV */
#define rsk_daddr __req_common.skc_daddr
#define rsk_laddr __req_common.skc_rcv_saddr
#define rsk_rmt_port __req_common.skc_dport
#define rsk_num __req_common.skc_num
	struct sock *rsk_listener;
	struct timer_list rsk_timer;        /* SYN-ACK retransmission */
	struct request_sock *dl_next;       /* accept queue link once established */
	struct sock *sk;                    /* the child, once created */
	u32 rcv_isn, snt_isn;
	u32 ts_recent;
	u32 snt_synack_ts;                  /* TSval of the last SYN-ACK, for RTT */
	u64 snt_synack;                     /* stack ns + 1 of the first SYN-ACK, 0: none (RTT) */
	u16 mss;
	u8 num_retrans;
	u8 num_timeout;
	u8 snd_wscale : 4, rcv_wscale : 4;
	u8 tstamp_ok : 1, sack_ok : 1, wscale_ok : 1, ecn_ok : 1, acked : 1, syncookie : 1;
	u32 rcv_wnd;
	u32 ts_off;                         /* TSval offset (secure_tcp_ts_off); added for tcp_make_synack */
	u32 rsk_window_clamp;               /* largest window to offer (added by tcp_ipv4) */
	u32 last_oow_ack_time;              /* out-of-window ACK rate limit (added by tcp_ipv4) */
};

struct request_sock_queue {
	struct request_sock *rskq_accept_head;  /* established children, FIFO */
	struct request_sock *rskq_accept_tail;
	u32 qlen;                               /* request socks in the SYN queue */
	u32 young;                              /* not yet retransmitted */
	u32 synflood_warned;
	u8 rskq_defer_accept;                   /* TCP_DEFER_ACCEPT, in SYN-ACK retransmits (tcp.c) */
};

/* ---- timewait socks ------------------------------------------------------- */

struct inet_timewait_sock {
	struct sock_common __tw_common;     /* hashed in ehash as TCP_TIME_WAIT */
#define tw_daddr __tw_common.skc_daddr
#define tw_rcv_saddr __tw_common.skc_rcv_saddr
#define tw_dport __tw_common.skc_dport
#define tw_num __tw_common.skc_num
	u8 tw_substate;                     /* TCP_TIME_WAIT or TCP_FIN_WAIT2 */
	u8 tw_rcv_wscale;
	struct timer_list tw_timer;
	struct hlist_node tw_bind_node;     /* still owns its port */
	struct inet_bind_bucket *tw_tb;
	u32 tw_rcv_nxt, tw_snd_nxt, tw_rcv_wnd;
	u32 tw_ts_recent, tw_ts_offset;
	u64 tw_ts_recent_stamp;             /* jiffies, for PAWS and tcp_tw_reuse */
	u32 tw_last_oow_ack_time;           /* out-of-window ACK rate limit (added by tcp_ipv4) */
	u8 tw_kill;                         /* timeout was short: TimeWaitKilled (added by tcp_ipv4) */
};

/* ---- connection socks ----------------------------------------------------- */

/* icsk_pending values: which event the retransmit timer stands for */
#define ICSK_TIME_RETRANS 1
#define ICSK_TIME_DACK 2
#define ICSK_TIME_PROBE0 3
#define ICSK_TIME_LOSS_PROBE 5
#define ICSK_TIME_REO_TIMEOUT 6

/* icsk_ack.pending bits */
#define ICSK_ACK_SCHED 1
#define ICSK_ACK_TIMER 2
#define ICSK_ACK_PUSHED 4
#define ICSK_ACK_PUSHED2 8
#define ICSK_ACK_NOW 16

struct inet_bind_bucket {
	struct net *net;
	u16 port;
	signed char fastreuse, fastreuseport;
	struct hlist_node node;            /* bhash chain */
	struct hlist_head owners;          /* socks bound here (skc_bind_node) */
	u32 num_owners;
};

struct inet_connection_sock {
	struct inet_sock icsk_inet;
	struct request_sock_queue icsk_accept_queue;
	struct inet_bind_bucket *icsk_bind_hash;
	u64 icsk_timeout;                  /* jiffies of the pending retransmit event */
	struct timer_list icsk_retransmit_timer;
	struct timer_list icsk_delack_timer;
	u32 icsk_rto;                      /* jiffies */
	u32 icsk_rto_min;
	u32 icsk_pmtu_cookie;              /* last PMTU seen */
	const struct tcp_congestion_ops *icsk_ca_ops;
	u8 icsk_ca_state;                  /* TCP_CA_Open, Disorder, CWR, Recovery, Loss */
	u8 icsk_retransmits;
	u8 icsk_pending;                   /* ICSK_TIME_* */
	u8 icsk_backoff;
	u8 icsk_syn_retries;               /* TCP_SYNCNT, 0: sysctl */
	u8 icsk_probes_out;
	u16 icsk_ext_hdr_len;
	struct {
		u8 pending;                /* ICSK_ACK_* */
		u8 quick;                  /* quick ACKs left */
		u8 pingpong;               /* interactive session */
		u8 retry;
		u32 ato;                   /* delayed ACK timeout, jiffies */
		u64 timeout;
		u32 lrcvtime;
		u16 last_seg_size;
		u16 rcv_mss;
	} icsk_ack;
	struct {
		int search_high, search_low;
		u32 probe_size : 31, enabled : 1;
	} icsk_mtup;
	u32 icsk_user_timeout;             /* TCP_USER_TIMEOUT, ms */
	/* Added by tcp_timer.c: Linux's sk->sk_timer (keepalive, and the
	 * FIN_WAIT2 timer of an orphan), and when zero-window probing began
	 * (TCP_USER_TIMEOUT applies to it). */
	struct timer_list icsk_keepalive_timer;
	u32 icsk_probes_tstamp;            /* jiffies, 0: not probing */
	u64 icsk_ca_priv[13];              /* congestion control private state */
};

static inline struct inet_connection_sock *inet_csk(const struct sock *sk)
{
	return (struct inet_connection_sock *)sk;
}
static inline void *inet_csk_ca(const struct sock *sk)
{
	return (void *)inet_csk(sk)->icsk_ca_priv;
}

/* ---- timer and ACK-scheduling helpers (Linux's inline ones) --------------
 * Added by tcp_input.c; shared by tcp_output.c and tcp_timer.c. The timers'
 * handlers are set up by tcp_timer.c (tcp_init_xmit_timers); these only arm
 * and cancel them. `when` is in jiffies, relative to now. */
static inline struct tn_stack *inet_csk_stack(const struct sock *sk)
{
	return sock_net(sk)->stack;
}

/* Arm the retransmit timer for a retransmit, probe, loss probe or
 * reordering event (ICSK_TIME_*), or the delayed-ACK timer (ICSK_TIME_DACK). */
static inline void inet_csk_reset_xmit_timer(struct sock *sk, int what, u64 when, u64 max_when)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tn_stack *st = inet_csk_stack(sk);

	if (when > max_when)
		when = max_when;
	if (what == ICSK_TIME_DACK) {
		icsk->icsk_ack.pending |= ICSK_ACK_TIMER;
		icsk->icsk_ack.timeout = jiffies(st) + when;
		tn_mod_timer(st, &icsk->icsk_delack_timer, icsk->icsk_ack.timeout);
		return;
	}
	icsk->icsk_pending = (u8)what;
	icsk->icsk_timeout = jiffies(st) + when;
	tn_mod_timer(st, &icsk->icsk_retransmit_timer, icsk->icsk_timeout);
}

static inline void inet_csk_clear_xmit_timer(struct sock *sk, int what)
{
	struct inet_connection_sock *icsk = inet_csk(sk);

	if (what == ICSK_TIME_DACK) {
		icsk->icsk_ack.pending = 0;
		icsk->icsk_ack.retry = 0;
		del_timer(&icsk->icsk_delack_timer);
		return;
	}
	icsk->icsk_pending = 0;
	del_timer(&icsk->icsk_retransmit_timer);
}

static inline void inet_csk_schedule_ack(struct sock *sk)
{
	inet_csk(sk)->icsk_ack.pending |= ICSK_ACK_SCHED;
}
static inline bool inet_csk_ack_scheduled(const struct sock *sk)
{
	return inet_csk(sk)->icsk_ack.pending & ICSK_ACK_SCHED;
}
/* Forget all delayed-ACK state (connection set-up and disconnect). */
static inline void inet_csk_delack_init(struct sock *sk)
{
	memset(&inet_csk(sk)->icsk_ack, 0, sizeof(inet_csk(sk)->icsk_ack));
}
static inline bool inet_csk_in_pingpong_mode(const struct sock *sk)
{
	return inet_csk(sk)->icsk_ack.pingpong >= 1;
}
static inline void inet_csk_exit_pingpong_mode(struct sock *sk)
{
	inet_csk(sk)->icsk_ack.pingpong = 0;
}

#endif
