/*
 * TCP (RFC 9293 and friends, as Linux does it): the states, the per-segment
 * control block, the tcp_sock, congestion control ops, per-namespace state
 * and the functions each file of the implementation provides, split by
 * concern as BSD and Linux split them:
 *
 *   tcp.c             socket calls: sendmsg, recvmsg, close, shutdown, options,
 *                     TCP_INFO, poll, ioctl, state changes
 *   tcp_input.c       SEGMENT ARRIVES: validation (RFC 5961, PAWS), ACK
 *                     processing, RTT (RFC 6298), SACK scoreboard (RFC 2018,
 *                     6675, D-SACK), recovery (NewReno RFC 6582, limited
 *                     transmit), receive queue and out-of-order queue, window
 *   tcp_output.c      segmentation, options, Nagle/cork/SWS, window
 *                     advertisement, ACK sending, (re)transmission, probes
 *   tcp_timer.c       retransmit (RTO backoff), delayed ACK, persist,
 *                     keepalive, SYN-ACK, FIN_WAIT2 and TIME_WAIT timers
 *   tcp_ipv4.c        tcp_v4_rcv, lookup, connect, RST/ACK without a socket,
 *                     ICMP errors; tcp_prot
 *   inet_hashtables.c ehash/lhash/bhash, bind (inet_csk_get_port) and
 *                     connect-time port selection (inet_hash_connect)
 *   inet_connection_sock.c  listen, accept queue, SYN queue, timers helpers
 *   tcp_minisocks.c   request socks (tcp_check_req), TIME_WAIT socks
 *   syncookies.c      SYN cookies (MSS, and with timestamps wscale/SACK)
 *   tcp_cong.c, tcp_cubic.c  congestion control: Reno, CUBIC (default)
 *
 * Sequence numbers compare with before()/after() (RFC 1982 style). All of
 * it runs under the stack lock. Linux's defaults throughout: initial window
 * 10, 200 ms minimum RTO, 1 s initial RTO, 40 ms delayed ACK, SYN options in
 * the order mss, sackOK, TS, nop, wscale.
 */
#ifndef TN_NET_TCP_H
#define TN_NET_TCP_H

#include "net/inet_connection_sock.h"
#include "net/skbuff.h"
#include "lib/list.h"

struct tcp_sock;   /* added (tcp_ipv4): tcp_slow_start() below uses it before its definition */

/* States, Linux's values: net/tcp_states.h (through sock.h; the copy that
 * stood here clashed with it). */
#include "net/tcp_states.h"
#define TCPF(state) (1 << (state))

/* Header flags (tcp_flags in TCP_SKB_CB), wire bit order. */
#define TCPHDR_FIN 0x01
#define TCPHDR_SYN 0x02
#define TCPHDR_RST 0x04
#define TCPHDR_PSH 0x08
#define TCPHDR_ACK 0x10
#define TCPHDR_URG 0x20
#define TCPHDR_ECE 0x40
#define TCPHDR_CWR 0x80

#define TCP_MSS_DEFAULT 536
#define TCP_MIN_MSS 88
#define TCP_INIT_CWND 10
#define TCP_TIMEOUT_INIT 1000           /* jiffies: RFC 6298 initial RTO */
#define TCP_RTO_MIN 200
#define TCP_RTO_MAX 120000
#define TCP_DELACK_MIN 40
#define TCP_DELACK_MAX 200
#define TCP_ATO_MIN 40
#define TCP_TIMEWAIT_LEN 60000
#define TCP_FIN_TIMEOUT 60000
#define TCP_KEEPALIVE_TIME 7200000
#define TCP_KEEPALIVE_INTVL 75000
#define TCP_KEEPALIVE_PROBES 9
#define TCP_MAX_WSCALE 14
#define TCP_RESOURCE_PROBE_INTERVAL 500
#define TCP_TIMEOUT_MIN_US 2000          /* Linux's: 2 jiffies, the least timeout */

/* net.ipv4.tcp_recovery bits (Linux's). */
#define TCP_RACK_LOSS_DETECTION 0x1      /* RACK loss detection (RFC 8985) */
#define TCP_RACK_STATIC_REO_WND 0x2      /* no D-SACK-driven reo_wnd steps */
#define TCP_RACK_NO_DUPTHRESH 0x4        /* no reo_wnd 0 once dupthresh is met */
#define TCP_RACK_RECOVERY_THRESH 16      /* recoveries a widened reo_wnd persists */

static inline bool before(u32 seq1, u32 seq2) { return (s32)(seq1 - seq2) < 0; }
#define after(seq2, seq1) before(seq1, seq2)
static inline bool between(u32 seq1, u32 seq2, u32 seq3)
{
	return seq3 - seq2 >= seq1 - seq2;
}

/* Per-segment control block, in skb->cb (after IPCB space on input). */
struct tcp_skb_cb {
	u32 seq;                 /* first sequence number */
	u32 end_seq;             /* seq + FIN + SYN + data length */
	u32 ack_seq;             /* input: the ACK field */
	u32 tcp_tw_isn;          /* input: ISN for a SYN that reopens a TIME_WAIT (added by tcp_ipv4) */
	u64 tx_stamp;            /* output: stack ns when (re)sent, for RTT/RACK */
	u32 tsval;               /* output: TSval sent */
	u32 tx_delivered;        /* output: tp->delivered when (re)sent (Linux's tx.delivered) */
	u8 tcp_flags;            /* TCPHDR_* */
	u8 sacked;               /* TCPCB_* scoreboard bits */
	u8 ip_dsfield;
	u8 txstamp_ack : 1, eor : 1, unused : 6;
	u16 tcp_gso_size;
	u16 tcp_gso_segs;
};
#define TCPCB_SACKED_ACKED 0x01
#define TCPCB_SACKED_RETRANS 0x02
#define TCPCB_LOST 0x04
#define TCPCB_TAGBITS 0x07
#define TCPCB_REPAIRED 0x10
#define TCPCB_EVER_RETRANS 0x80
#define TCPCB_RETRANS (TCPCB_SACKED_RETRANS | TCPCB_EVER_RETRANS)

static inline struct tcp_skb_cb *TCP_SKB_CB(const struct sk_buff *skb)
{
	return (struct tcp_skb_cb *)&skb->cb[sizeof(skb->cb) - sizeof(struct tcp_skb_cb)];
}

struct tcp_sack_block {
	u32 start_seq;
	u32 end_seq;
};

/* Options seen in received segments (Linux's tcp_options_received). */
struct tcp_options_received {
	u32 ts_recent;           /* TSval to echo */
	u32 rcv_tsval, rcv_tsecr;
	u64 ts_recent_stamp;     /* jiffies when ts_recent was set (PAWS aging) */
	u16 saw_tstamp : 1, tstamp_ok : 1, dsack : 1, wscale_ok : 1, sack_ok : 3,
	    smc_ok : 1, snd_wscale : 4, rcv_wscale : 4;
	u8 num_sacks;
	u16 user_mss;            /* TCP_MAXSEG */
	u16 mss_clamp;           /* the peer's MSS option, clamped by user_mss */
};

/* Congestion avoidance states (icsk_ca_state). */
enum { TCP_CA_Open, TCP_CA_Disorder, TCP_CA_CWR, TCP_CA_Recovery, TCP_CA_Loss };

/* Events for cwnd_event */
enum tcp_ca_event {
	CA_EVENT_TX_START,
	CA_EVENT_CWND_RESTART,
	CA_EVENT_COMPLETE_CWR,
	CA_EVENT_LOSS,
	CA_EVENT_ECN_NO_CE,
	CA_EVENT_ECN_IS_CE,
};

struct tcp_congestion_ops {
	const char *name;                     /* "cubic", "reno" */
	u32 (*ssthresh)(struct sock *sk);     /* new slow start threshold after loss */
	void (*cong_avoid)(struct sock *sk, u32 ack, u32 acked);
	void (*set_state)(struct sock *sk, u8 new_state);
	void (*cwnd_event)(struct sock *sk, enum tcp_ca_event ev);
	void (*pkts_acked)(struct sock *sk, u32 num_acked, s32 rtt_us);
	u32 (*undo_cwnd)(struct sock *sk);
	void (*init)(struct sock *sk);
	void (*release)(struct sock *sk);
};
extern const struct tcp_congestion_ops tcp_reno;
extern const struct tcp_congestion_ops cubictcp;
const struct tcp_congestion_ops *tcp_ca_find(const char *name);
/* TCP_CONGESTION / net.ipv4.tcp_congestion_control. */
int tcp_set_congestion_control(struct sock *sk, const char *name);
void tcp_reno_cong_avoid(struct sock *sk, u32 ack, u32 acked);
u32 tcp_reno_ssthresh(struct sock *sk);
u32 tcp_reno_undo_cwnd(struct sock *sk);
u32 tcp_slow_start(struct tcp_sock *tp, u32 acked);
void tcp_cong_avoid_ai(struct tcp_sock *tp, u32 w, u32 acked);

struct tcp_sock {
	struct inet_connection_sock inet_conn;
	/* Receive side. */
	u32 rcv_nxt;             /* next sequence expected */
	u32 copied_seq;          /* head of unread data */
	u32 rcv_wup;             /* rcv_nxt at the last window update sent */
	u32 rcv_wnd;             /* current receive window */
	u32 rcv_ssthresh;        /* window clamp during slow start of the receiver */
	u32 window_clamp;        /* TCP_WINDOW_CLAMP / largest window to advertise */
	u32 rcv_tstamp;          /* jiffies of the last received ACK (keepalive) */
	/* Send side. */
	u32 snd_una;             /* oldest unacknowledged */
	u32 snd_nxt;             /* next to send */
	u32 snd_wl1;             /* seq of the segment that last updated the window */
	u32 snd_wnd;             /* peer's window */
	u32 max_window;
	u32 write_seq;           /* tail of data queued by the application */
	u32 pushed_seq;
	u32 snd_up;
	u32 mss_cache;           /* current effective MSS */
	u16 advmss;              /* MSS we advertise */
	u16 tcp_header_len;      /* bytes of header incl. timestamps */
	u32 lsndtime;            /* jiffies of the last data sent (idle restart) */
	/* Congestion control and recovery. */
	u32 snd_cwnd;
	u32 snd_cwnd_cnt;
	u32 snd_cwnd_clamp;
	u32 snd_ssthresh;
	u32 prior_cwnd, prior_ssthresh;
	u32 high_seq;            /* snd_nxt at the start of recovery */
	u32 undo_marker;
	int undo_retrans;
	u32 packets_out, retrans_out, sacked_out, lost_out;
	u32 reordering;          /* tcp_reordering: dupthresh */
	u32 delivered;
	u32 total_retrans;
	u32 prr_delivered, prr_out;
	/* RTT (RFC 6298, in microseconds x8 / x4 as Linux keeps them). */
	u32 srtt_us;
	u32 mdev_us, mdev_max_us, rttvar_us;
	u32 rtt_seq;
	u32 min_rtt_us;
	u64 retrans_stamp;       /* ns of the first retransmission, 0: none */
	/* Options. */
	struct tcp_options_received rx_opt;
	u32 tsoffset;
	u32 mtu_info;            /* next-hop MTU of the last ICMP frag needed (added by tcp_ipv4) */
	struct tcp_sack_block duplicate_sack[1];
	struct tcp_sack_block selective_acks[4];   /* what we will SACK */
	struct tcp_sack_block recv_sack_cache[4];
	/* Queues (the write/retransmit queue is sk->sk_write_queue, ordered by
	 * seq; sk_send_head marks the first not yet sent). */
	struct sk_buff *send_head;
	struct sk_buff_head out_of_order_queue;    /* sorted by seq */
	/* Socket options and timers state. */
	u8 nonagle;              /* TCP_NAGLE_OFF (NODELAY), TCP_NAGLE_CORK, _PUSH */
	u8 keepalive_probes;     /* TCP_KEEPCNT, 0: sysctl */
	u8 syn_retries;
	u8 ecn_flags;
	u32 keepalive_time;      /* TCP_KEEPIDLE, ms; 0: sysctl */
	u32 keepalive_intvl;     /* TCP_KEEPINTVL, ms; 0: sysctl */
	int linger2;             /* TCP_LINGER2 */
	u32 notsent_lowat;
	/* Receive buffer auto-tuning (DRS). */
	struct {
		u32 space;
		u32 seq;
		u64 time;            /* ns */
	} rcvq_space;
	/* Counters for TCP_INFO. */
	u64 bytes_acked, bytes_received, bytes_sent, bytes_retrans;
	u32 segs_in, segs_out, data_segs_in, data_segs_out;
	u32 rcv_rtt_us;
	u8 chrono_type;
	u8 thin_lto : 1, repair : 1, is_sack_reneg : 1, fastopen_req : 1, syn_data : 1,
	   save_syn : 1, is_cwnd_limited : 1, unused_bits : 1;
	/* Added for tcp_input.c. */
	u32 last_oow_ack_time;   /* jiffies of the last out-of-window ACK sent (RFC 5961 rate) */
	u32 dsack_dups;          /* D-SACK blocks received (TCP_INFO tcpi_dsack_dups) */
	u32 rcv_ooopack;         /* segments queued out of order (tcpi_rcv_ooopack) */
	struct {                 /* receiver-side RTT estimate for DRS (Linux's rcv_rtt_est) */
		u32 rtt_us;      /* x8 */
		u32 seq;
		u64 time;        /* ns */
	} rcv_rtt_est;
	/* Added for tcp_output.c / tcp_timer.c / tcp_cong.c. */
	u32 snd_cwnd_stamp;      /* jiffies of the last cwnd change or validation */
	u32 snd_cwnd_used;       /* most packets in flight while not cwnd limited */
	u32 snd_sml;             /* end_seq of the last small segment sent (Nagle, Minshall) */
	u32 max_packets_out;     /* most packets_out in the current window (cwnd validation) */
	u32 cwnd_usage_seq;      /* snd_nxt when max_packets_out was reset */
	/* Added (tcp_input/tcp.c fix): Linux's SOCK_NOSPACE, a writer found
	 * the send buffer full; an ACK that frees space may then grow it
	 * (tcp_new_space -> tcp_sndbuf_expand). */
	u8 write_nospace;
	/* Added for RACK-TLP and F-RTO (tcp_recovery.c; RFC 8985, RFC 5682). */
	struct {                 /* Linux's tp->rack */
		u64 mstamp;      /* ns: (re)sent time of the latest sent skb (s)acked */
		u32 rtt_us;      /* its RTT */
		u32 end_seq;     /* its end_seq (ties of mstamp) */
		u32 last_delivered;   /* delivered at the last reo_wnd change */
		u8 reo_wnd_steps;     /* reo_wnd in steps of min_rtt/4, 1..255 */
		u8 reo_wnd_persist : 5, /* recoveries left before steps go back to 1 */
		   dsack_seen : 1,      /* a D-SACK asks for a wider reo_wnd */
		   advanced : 1,        /* mstamp moved: loss detection to run */
		   unused : 1;
	} rack;
	u32 reord_seen;          /* reordering events (tcpi_reord_seen) */
	u32 lost;                /* segments ever marked lost (PRR's newly_lost) */
	u32 tlp_high_seq;        /* snd_nxt at the outstanding loss probe, 0: none */
	u8 tlp_retrans : 1,      /* that probe was a retransmission */
	   frto : 1,             /* F-RTO is on for this loss episode (RFC 5682 3.1) */
	   unused_rec : 6;
};

#define TCP_NAGLE_OFF 1
#define TCP_NAGLE_CORK 2
#define TCP_NAGLE_PUSH 4

static inline struct tcp_sock *tcp_sk(const struct sock *sk)
{
	return (struct tcp_sock *)sk;
}
static inline bool tcp_skb_is_last(const struct sock *sk, const struct sk_buff *skb)
{
	return skb->next == (const struct sk_buff *)&sk->sk_write_queue;
}
static inline u32 tcp_packets_in_flight(const struct tcp_sock *tp)
{
	return tp->packets_out - (tp->sacked_out + tp->lost_out) + tp->retrans_out;
}
static inline bool tcp_in_slow_start(const struct tcp_sock *tp)
{
	return tp->snd_cwnd < tp->snd_ssthresh;
}

/* Per-namespace TCP state and sysctls (net->ipv4.tcp), Linux's names and
 * defaults. */
struct inet_hashinfo;
struct tcp_net {
	struct inet_hashinfo *hashinfo;        /* ehash, lhash, bhash */
	u32 tw_count;                          /* TIME_WAIT socks alive */
	u32 orphan_count;
	u32 syncookie_secret[2][16];
	u32 isn_secret[4];
	u32 challenge_timestamp, challenge_count;
	int sysctl_tcp_syn_retries;            /* 6 */
	int sysctl_tcp_synack_retries;         /* 5 */
	int sysctl_tcp_syncookies;             /* 1 */
	int sysctl_tcp_max_syn_backlog;        /* 128..., Linux scales with memory */
	int sysctl_tcp_fin_timeout;            /* 60 s, kept in jiffies */
	int sysctl_tcp_tw_reuse;               /* 2: loopback only */
	int sysctl_tcp_max_tw_buckets;         /* 262144 */
	int sysctl_tcp_keepalive_time;         /* 7200 s, kept in jiffies */
	int sysctl_tcp_keepalive_intvl;        /* 75 s, kept in jiffies */
	int sysctl_tcp_keepalive_probes;       /* 9 */
	int sysctl_tcp_retries1;               /* 3 */
	int sysctl_tcp_retries2;               /* 15 */
	int sysctl_tcp_orphan_retries;         /* 0 (means 8) */
	int sysctl_tcp_sack;                   /* 1 */
	int sysctl_tcp_dsack;                  /* 1 */
	int sysctl_tcp_timestamps;             /* 1 */
	int sysctl_tcp_window_scaling;         /* 1 */
	int sysctl_tcp_rmem[3];                /* 4096 131072 6291456 */
	int sysctl_tcp_wmem[3];                /* 4096 16384 4194304 */
	int sysctl_tcp_moderate_rcvbuf;        /* 1 */
	int sysctl_tcp_slow_start_after_idle;  /* 1 */
	int sysctl_tcp_reordering;             /* 3 */
	int sysctl_tcp_max_reordering;         /* 300 */
	int sysctl_tcp_abort_on_overflow;      /* 0 */
	int sysctl_tcp_rfc1337;                /* 0 */
	int sysctl_tcp_challenge_ack_limit;    /* 1000 */
	int sysctl_tcp_invalid_ratelimit;      /* 500 ms, kept in jiffies */
	int sysctl_tcp_adv_win_scale;          /* 1 */
	int sysctl_tcp_min_snd_mss;            /* 48 */
	int sysctl_tcp_base_mss;               /* 1024 */
	int sysctl_tcp_mtu_probing;            /* 0 */
	int sysctl_tcp_autocorking;            /* 1 */
	int sysctl_tcp_early_retrans;          /* 3 */
	int sysctl_tcp_frto;                   /* 2 */
	int sysctl_tcp_tso_win_divisor;        /* 3 */
	int sysctl_tcp_min_tso_segs;           /* 2 */
	int sysctl_tcp_recovery;               /* 1: TCP_RACK_LOSS_DETECTION */
	int sysctl_tcp_no_metrics_save;        /* 0 */
	int sysctl_tcp_ecn;                    /* 2 */
	char sysctl_tcp_congestion_control[16]; /* "cubic" */
	struct ctl_table_header *sysctl_hdr;   /* net.ipv4.tcp_* (added by tcp_ipv4) */
};


/* ---- connection management: tcp_ipv4.c, inet_hashtables.c,
 * inet_connection_sock.c, tcp_minisocks.c, syncookies.c (added by the
 * tcp_ipv4 engineer). Segments reach state processing with skb->data and
 * the transport header at the TCP header, TCP_SKB_CB filled (IPCB is gone
 * by then: the two share skb->cb). */
struct request_sock;
struct inet_timewait_sock;
struct tcp_repr;
struct tn_subsystem;

extern struct proto tcp_prot;

/* tcp_ipv4.c */
int tcp_v4_rcv(struct sk_buff *skb);
int tcp_v4_err(struct sk_buff *skb, u32 info, u8 type, u8 code);
/* Backlog receive (proto backlog_rcv): ESTABLISHED -> tcp_rcv_established,
 * LISTEN -> cookies/request socks, else tcp_rcv_state_process; a non-zero
 * return of the latter sends a reset. Consumes skb. */
int tcp_v4_do_rcv(struct sock *sk, struct sk_buff *skb);
int tcp_v4_connect(struct sock *sk, const struct sockaddr *uaddr, int addr_len);
/* RST for skb (RFC 9293 3.10.7.1: seq from its ACK, or seq 0 and
 * ACK = SEG.SEQ + SEG.LEN); sk may be NULL. Never answers a RST.
 * TcpOutRsts. Does not consume skb. */
void tcp_v4_send_reset(const struct sock *sk, struct sk_buff *skb);
/* A bare ACK for skb's sender with the given numbers and TS echo (tsval 0
 * and tsecr 0: no timestamp option). Does not consume skb. */
void tcp_v4_send_ack(const struct sock *sk, struct sk_buff *skb, u32 seq, u32 ack, u32 win,
		     u32 tsval, u32 tsecr, bool ts);
/* Path MTU went down (ICMP fragmentation needed): sync the MSS and
 * retransmit what no longer fits. */
void tcp_v4_mtu_reduced(struct sock *sk);
/* RFC 6528 ISN (keyed hash of the 4-tuple + stack ns / 64) and the
 * per-destination TSval offset. */
u32 secure_tcp_seq(const struct net *net, u32 saddr, u32 daddr, u16 sport, u16 dport);
u32 secure_tcp_ts_off(const struct net *net, u32 saddr, u32 daddr);
/* SYN on a listener (RFC 9293 3.10.7.2): request sock or SYN cookie,
 * SYN-ACK sent. 0 when handled (the caller consume_skb()s the SYN,
 * including one dropped and counted as ListenDrops), < 0 to have the
 * caller reset. tcp_rcv_state_process calls it for LISTEN. */
int tcp_conn_request(struct sock *sk, struct sk_buff *skb);
/* Build and send the SYN-ACK of req (options mss, sackOK, TS, nop, wscale
 * as the SYN allowed). 0 or -errno. */
int tcp_v4_send_synack(const struct sock *sk, struct request_sock *req);
/* The child created from req by the ACK in skb (Linux's
 * tcp_v4_syn_recv_sock): hashed in ehash in place of req, port inherited.
 * NULL on failure (ListenOverflows + ListenDrops when the accept queue is
 * full). */
struct sock *tcp_v4_syn_recv_sock(const struct sock *sk, struct sk_buff *skb,
				  struct request_sock *req);
/* The MSS to advertise for a path MTU (dst_metric_advmss), clamped by
 * TCP_MAXSEG. */
u16 tcp_v4_advmss(const struct sock *sk, u32 mtu);
/* Needed from tcp_output.c: send the SYN of an active open. */
int tcp_connect(struct sock *sk);
/* The TCP timestamp clock: ms since the stack started, plus one. Linux's
 * clock counts from boot and is never 0 near a connection; a tuxnet stack
 * starts at 0, and a TSval of 0 echoed back would read as "no echo" (no RTT
 * sample from a handshake in the first millisecond). A connection's TSval
 * adds its tsoffset. */
#define TCP_TS_CLOCK_BASE 1u
#define tcp_ts_clock_ms(st) ((u32)jiffies(st) + TCP_TS_CLOCK_BASE)
/* A stack-clock time in ns (retrans_stamp) on the timestamp clock. */
#define tcp_ns_to_ts_clock(ns) ((u32)((ns) / 1000000u) + TCP_TS_CLOCK_BASE)

/* inet_connection_sock.c */
/* sk_max_ack_backlog is set by inet_listen; clamped to net.core.somaxconn
 * here. 0 or -EADDRINUSE. */
int inet_csk_listen_start(struct sock *sk);
/* Close a listener: RST children waiting in the accept queue, free the
 * request socks. */
void inet_csk_listen_stop(struct sock *sk);
struct sock *inet_csk_accept(struct sock *sk, int flags, int *err);
bool inet_csk_reqsk_queue_is_full(const struct sock *sk);
static inline bool sk_acceptq_is_full(const struct sock *sk)
{
	return sk->sk_ack_backlog > sk->sk_max_ack_backlog;
}
struct request_sock *reqsk_alloc(const struct sock *listener);
void reqsk_free(struct request_sock *req);
/* Hash req in ehash and arm its SYN-ACK timer (ms). */
void inet_csk_reqsk_queue_hash_add(struct sock *sk, struct request_sock *req, u32 timeout);
/* Unhash req, stop its timer, take it off the SYN queue count and free it. */
void inet_csk_reqsk_queue_drop_and_put(struct sock *sk, struct request_sock *req);
/* Put child on the accept queue (FIFO) and wake the listener. */
void inet_csk_reqsk_queue_add(struct sock *sk, struct request_sock *req, struct sock *child);
/* A new full sock cloned from the listener (state TCP_SYN_RECV). */
struct sock *inet_csk_clone_lock(const struct sock *sk, const struct request_sock *req);
/* Free a dead (orphaned, closed) socket: proto destroy, port, sock_put. */
void inet_csk_destroy_sock(struct sock *sk);

/* tcp_minisocks.c */
enum tcp_tw_status { TCP_TW_SUCCESS = 0, TCP_TW_RST = 1, TCP_TW_ACK = 2, TCP_TW_SYN = 3 };
/* Replace sk by a timewait sock (state TCP_TIME_WAIT, or TCP_FIN_WAIT2
 * with timeo ms of tcp_fin_timeout), then tcp_done(sk). Over
 * tcp_max_tw_buckets: TCPTimeWaitOverflow and the socket just closes. */
void tcp_time_wait(struct sock *sk, int state, int timeo);
enum tcp_tw_status tcp_timewait_state_process(struct inet_timewait_sock *tw,
					      struct sk_buff *skb);
/* Unhash and free a timewait sock now. */
void inet_twsk_kill(struct inet_timewait_sock *tw);
/* May sk (connecting) take over tw's 4-tuple? bound: from a port bound by
 * bind() (timestamps suffice), else tcp_tw_reuse decides. Sets write_seq
 * and ts_recent when yes. */
bool tcp_twsk_unique(struct sock *sk, const struct inet_timewait_sock *tw, bool bound);
/* The ACK (or not) completing req's handshake: the child (accept queue),
 * NULL (dropped or answered), or the listener itself for a segment to
 * process as if no request existed. */
struct sock *tcp_check_req(struct sock *sk, struct sk_buff *skb, struct request_sock *req,
			   enum skb_drop_reason *reason);
struct sock *tcp_create_openreq_child(const struct sock *sk, struct request_sock *req,
				      struct sk_buff *skb);
/* Feed the segment to the new child, wake the listener. Non-zero: reset. */
int tcp_child_process(struct sock *parent, struct sock *child, struct sk_buff *skb);

/* syncookies.c */
u32 cookie_v4_init_sequence(const struct sock *sk, const struct sk_buff *skb, u16 *mssp);
/* Encode wscale, SACK and ECN in the low bits of TSval (with timestamps). */
u32 cookie_init_timestamp(const struct request_sock *req, u64 now_ms);
/* An ACK on a listener that may carry a cookie: the child, the listener
 * (not a cookie ACK: process normally), or NULL (bad cookie: drop). */
struct sock *cookie_v4_check(struct sock *sk, struct sk_buff *skb);

/* ---- tcp_input.c: SEGMENT ARRIVES ----------------------------------------
 * Entry conditions for the receive functions (set by tcp_v4_rcv): skb->data
 * and the transport header at the TCP header, the header length and the
 * checksum checked, TCP_SKB_CB filled (seq, end_seq = seq + SYN + FIN + data
 * length, ack_seq, tcp_flags), skb->dev the arrival device. */

/* ESTABLISHED (fast path then slow path); always consumes skb. */
void tcp_rcv_established(struct sock *sk, struct sk_buff *skb);
/* Every other state but TIME_WAIT and NEW_SYN_RECV. 0: skb consumed.
 * Non-zero: the caller sends a RST for skb (tcp_v4_send_reset) and frees it
 * with that reason, as Linux's tcp_v4_do_rcv does. */
enum skb_drop_reason tcp_rcv_state_process(struct sock *sk, struct sk_buff *skb);
/* TCP options of skb (RFC 9293 3.2, RFC 7323, RFC 2018): MSS, window scale
 * (clamped to 14) and SACK-permitted only on a SYN (estab == 0), timestamps
 * (on an established connection only if negotiated), SACK blocks (their
 * offset in TCP_SKB_CB(skb)->sacked). The SYN options honour
 * net.ipv4.tcp_{window_scaling,timestamps,sack} of skb->dev's namespace.
 * Malformed lengths stop the parse. */
void tcp_parse_options(const struct sk_buff *skb, struct tcp_options_received *opt_rx,
		       int estab);
/* On a received skb, TCP_SKB_CB(skb)->sacked holds (as Linux) the offset
 * from the TCP header of the SACK option's kind byte, 0 if none. */
/* RFC 5961 / RFC 7323 rate limit of ACKs answering out-of-window segments
 * (net.ipv4.tcp_invalid_ratelimit); true when this one must be skipped, with
 * mib_idx counted (TIME_WAIT socks pass their own last_oow_ack_time). */
bool tcp_oow_rate_limited(struct net *net, const struct sk_buff *skb, int mib_idx,
			  u32 *last_oow_ack_time);
/* The connection is established (SYN-ACK accepted, or our SYN-ACK ACKed):
 * buffers, congestion control, MTU probing, initial cwnd. */
void tcp_init_transfer(struct sock *sk);
void tcp_init_buffer_space(struct sock *sk);
void tcp_finish_connect(struct sock *sk, struct sk_buff *skb);
/* The passive side's first RTT sample (Linux's tcp_synack_rtt_meas): from
 * the first SYN-ACK's send time when it was not retransmitted (req given),
 * else from the timestamp echo of the segment being processed. */
void tcp_synack_rtt_meas(struct sock *sk, const struct request_sock *req);
void tcp_initialize_rcv_mss(struct sock *sk);
/* A RST was accepted: error by state (ECONNREFUSED / EPIPE / ECONNRESET), done. */
void tcp_reset(struct sock *sk, struct sk_buff *skb);
/* RTO fired (tcp_timer.c): everything outstanding is lost, TCP_CA_Loss. */
void tcp_enter_loss(struct sock *sk);
/* Re-arm (or stop, when nothing is outstanding) the retransmit timer. */
void tcp_rearm_rto(struct sock *sk);
/* How far in the future the RTO of the head would fire (us, may be <= 0;
 * Linux's tcp_rto_delta_us). */
s64 tcp_rto_delta_us(const struct sock *sk);
/* The reordering timer (ICSK_TIME_REO_TIMEOUT) fired: RACK again. */
void tcp_rack_reo_timeout(struct sock *sk);
void tcp_clear_retrans(struct tcp_sock *tp);
/* The path MTU fell (tcp_ipv4.c): mark segments too big as lost, resend. */
void tcp_simple_retransmit(struct sock *sk);
void tcp_mark_skb_lost(struct sock *sk, struct sk_buff *skb);
/* ACK the next max_quickacks segments at once (no delayed ACK). */
void tcp_enter_quickack_mode(struct sock *sk, unsigned int max_quickacks);
/* The reader consumed data (tcp_recvmsg): grow rcvbuf/window to 2x what the
 * peer sends per RTT (Dynamic Right-Sizing), within tcp_rmem[2]. */
void tcp_rcv_space_adjust(struct sock *sk);
/* Send one challenge ACK (RFC 5961 3.2/4.2), rate limited. */
void tcp_send_challenge_ack(struct sock *sk);

static inline u32 tcp_skb_pcount(const struct sk_buff *skb)
{
	return TCP_SKB_CB(skb)->tcp_gso_segs ? TCP_SKB_CB(skb)->tcp_gso_segs : 1;
}
static inline struct net *tcp_sk_net(const struct sock *sk) { return sock_net(sk); }
static inline struct tcp_net *tcp_net(const struct sock *sk) { return sock_net(sk)->ipv4.tcp; }
static inline void tcp_set_ca_state(struct sock *sk, u8 ca_state)
{
	struct inet_connection_sock *icsk = inet_csk(sk);

	if (icsk->icsk_ca_ops && icsk->icsk_ca_ops->set_state)
		icsk->icsk_ca_ops->set_state(sk, ca_state);
	icsk->icsk_ca_state = ca_state;
}
static inline void tcp_ca_event(struct sock *sk, enum tcp_ca_event event)
{
	const struct tcp_congestion_ops *ca = inet_csk(sk)->icsk_ca_ops;

	if (ca && ca->cwnd_event)
		ca->cwnd_event(sk, event);
}
/* FIN_WAIT2 lifetime of an orphan: TCP_LINGER2 or tcp_fin_timeout, at
 * least 3.5 RTO (Linux's tcp_fin_time). */
static inline int tcp_fin_time(const struct sock *sk)
{
	int fin_timeout = tcp_sk(sk)->linger2 ? tcp_sk(sk)->linger2
					      : tcp_net(sk)->sysctl_tcp_fin_timeout;
	const int rto = (int)inet_csk(sk)->icsk_rto;

	if (fin_timeout < (rto << 2) - (rto >> 1))
		fin_timeout = (rto << 2) - (rto >> 1);
	return fin_timeout;
}
/* What is left of the window we advertised (RFC 9293 RCV.WND from RCV.NXT). */
static inline u32 tcp_receive_window(const struct tcp_sock *tp)
{
	s32 win = (s32)(tp->rcv_wup + tp->rcv_wnd - tp->rcv_nxt);

	return win < 0 ? 0 : (u32)win;
}
static inline u32 tcp_wnd_end(const struct tcp_sock *tp) { return tp->snd_una + tp->snd_wnd; }
static inline bool tcp_is_sack(const struct tcp_sock *tp) { return tp->rx_opt.sack_ok; }
static inline bool tcp_is_reno(const struct tcp_sock *tp) { return !tcp_is_sack(tp); }
static inline u32 tcp_left_out(const struct tcp_sock *tp) { return tp->sacked_out + tp->lost_out; }
static inline bool tcp_in_cwnd_reduction(const struct sock *sk)
{
	return (TCPF(TCP_CA_CWR) | TCPF(TCP_CA_Recovery)) & TCPF(inet_csk(sk)->icsk_ca_state);
}
/* Zero-window probe interval: the RTO (at least TCP_RTO_MIN), backed off. */
static inline u64 tcp_probe0_when(const struct sock *sk, u64 max_when)
{
	u64 base = inet_csk(sk)->icsk_rto > TCP_RTO_MIN ? inet_csk(sk)->icsk_rto : TCP_RTO_MIN;
	u64 when = base << (inet_csk(sk)->icsk_backoff < 20 ? inet_csk(sk)->icsk_backoff : 20);

	return when < max_when ? when : max_when;
}
/* Window from buffer space (net.ipv4.tcp_adv_win_scale, Linux before 6.6:
 * 1 means half the buffer is window, half overhead). */
static inline int tcp_win_from_space(const struct sock *sk, int space)
{
	int scale = tcp_net(sk)->sysctl_tcp_adv_win_scale;

	return scale <= 0 ? space >> -scale : space - (space >> scale);
}
static inline int tcp_space_from_win(const struct sock *sk, int win)
{
	int scale = tcp_net(sk)->sysctl_tcp_adv_win_scale;

	if (scale <= 0)
		return win << -scale;
	return (int)(((s64)win << scale) / ((1 << scale) - 1));
}
/* Window the free receive buffer allows, and the whole buffer's worth. */
static inline int tcp_space(const struct sock *sk)
{
	return tcp_win_from_space(sk, sk->sk_rcvbuf - sk->sk_rmem_alloc);
}
static inline int tcp_full_space(const struct sock *sk)
{
	return tcp_win_from_space(sk, sk->sk_rcvbuf);
}
/* The first skb not yet sent, and the head of the retransmit queue. */
static inline struct sk_buff *tcp_send_head(const struct sock *sk)
{
	return tcp_sk(sk)->send_head;
}
static inline struct sk_buff *tcp_rtx_queue_head(const struct sock *sk)
{
	struct sk_buff *skb = skb_peek(&sk->sk_write_queue);

	return skb == tcp_sk(sk)->send_head ? NULL : skb;
}
/* RFC 7323 5.5: ts_recent older than 24 days is no base for PAWS. */
#define TCP_PAWS_24DAYS (60 * 60 * 24 * 24)
#define TCP_PAWS_WINDOW 1
static inline bool tcp_paws_check(const struct tcp_options_received *rx_opt, int paws_win,
				  u64 now_jiffies)
{
	if ((s32)(rx_opt->ts_recent - rx_opt->rcv_tsval) <= paws_win)
		return true;
	if (now_jiffies >= rx_opt->ts_recent_stamp + (u64)TCP_PAWS_24DAYS * HZ)
		return true;
	/* A peer that rebooted sends TSval 0 (Linux: RFC 7323 allows it). */
	if (!rx_opt->ts_recent)
		return true;
	return false;
}
static inline bool tcp_paws_reject(const struct tcp_options_received *rx_opt, int rst,
				   u64 now_jiffies)
{
	if (tcp_paws_check(rx_opt, 0, now_jiffies))
		return false;
	/* RFC 7323 5.2 allows a RST that fails PAWS if ts_recent is stale
	 * (older than an MSL): Linux's TCP_PAWS_MSL, 60 s. */
	if (rst && now_jiffies >= rx_opt->ts_recent_stamp + 60 * HZ)
		return false;
	return true;
}

/* Needed by tcp_input.c from the other files (Linux's names and shapes):
 * tcp.c */
void tcp_set_state(struct sock *sk, int state);
void tcp_done(struct sock *sk);
void tcp_write_queue_purge(struct sock *sk);
/* tcp_output.c */
void tcp_send_ack(struct sock *sk);
void __tcp_send_ack(struct sock *sk, u32 rcv_nxt);
void tcp_send_delayed_ack(struct sock *sk);
int tcp_retransmit_skb(struct sock *sk, struct sk_buff *skb, int segs);
void tcp_xmit_retransmit_queue(struct sock *sk);
int tcp_send_synack(struct sock *sk);     /* simultaneous open: SYN_SENT -> SYN_RECV */
void __tcp_push_pending_frames(struct sock *sk, unsigned int cur_mss, int nonagle);
unsigned int tcp_current_mss(struct sock *sk);
unsigned int tcp_sync_mss(struct sock *sk, u32 pmtu);
void tcp_mtup_init(struct sock *sk);
u32 __tcp_select_window(struct sock *sk);
/* tcp_cong.c */
void tcp_init_congestion_control(struct sock *sk);
/* tcp_minisocks.c: replace sk by a TIME_WAIT sock (state TCP_TIME_WAIT, or
 * TCP_FIN_WAIT2 for an orphan waiting for the peer's FIN), timeo jiffies. */
void tcp_time_wait(struct sock *sk, int state, int timeo);
/* tcp_ipv4.c / tcp_minisocks.c: a SYN to a listener (Linux's
 * icsk_af_ops->conn_request = tcp_v4_conn_request): queue a request sock
 * and send the SYN-ACK, or drop and count. Does not free skb; < 0: answer
 * with a RST. */
int tcp_conn_request(struct sock *sk, struct sk_buff *skb);

/* ---- tcp.c: the socket side (added by the tcp.c engineer) -----------------
 * Contracts with the other files:
 *  - sk_receive_queue holds in-order segments with skb->data at the payload
 *    (TCP header pulled, as Linux's tcp_queue_rcv), TCP_SKB_CB seq, end_seq
 *    and tcp_flags kept (a SYN counts one sequence number, a FIN stays in
 *    tcp_flags), charged with skb_set_owner_r. tcp_input.c advances rcv_nxt
 *    and calls sk_data_ready; on FIN it sets RCV_SHUTDOWN and SOCK_DONE.
 *  - sk_write_queue holds what tcp_sendmsg built: MAX_TCP_HEADER headroom,
 *    at most mss_cache bytes of payload, seq/end_seq, TCPHDR_ACK (PSH when
 *    pushed), charged by truesize to sk_wmem_queued and not owned
 *    (skb->sk NULL: tcp_transmit_skb charges its clones). tp->send_head is
 *    the first not yet sent. Free what is ACKed with tcp_wmem_free_skb and
 *    then call sk->sk_write_space (sk_stream_write_space) so writers wake.
 *  - tcp_set_state counts TcpCurrEstab and TcpEstabResets, and unhashes and
 *    releases the port on TCP_CLOSE. TcpActiveOpens is counted by
 *    tcp_connect (tcp_output.c), TcpPassiveOpens by
 *    tcp_create_openreq_child, TcpAttemptFails by tcp_done (SYN_SENT or
 *    SYN_RECV) and by whoever resets a SYN_RECV child — as Linux does.
 *  - tcp_close makes the socket an orphan (SOCK_DEAD, tcp_net orphan_count
 *    + 1); inet_csk_destroy_sock undoes the count and drops the last
 *    reference.
 *  - tcp_prot's init calls tcp_init_sock; its .close/.sendmsg/.recvmsg/
 *    .shutdown/.disconnect/.setsockopt/.getsockopt/.ioctl/.poll/.keepalive
 *    are tcp_close, tcp_sendmsg, ... tcp_poll, tcp_set_keepalive.
 */
#define MAX_TCP_HEADER 256       /* 128 of TCP + MAX_HEADER (128) below it */
#define TCP_INFINITE_SSTHRESH 0x7fffffff
#define MAX_TCP_KEEPIDLE 32767
#define MAX_TCP_KEEPINTVL 32767
#define MAX_TCP_KEEPCNT 127
#define MAX_TCP_SYNCNT 127
#define TCP_FIN_TIMEOUT_MAX 120000   /* ms: TCP_LINGER2's ceiling */
#define TCP_CA_NAME_MAX 16
#define MAX_TCP_WINDOW 32767U

/* SOL_TCP option names (Linux's <linux/tcp.h>, which cannot be included next
 * to this header: its TCP_MSS_DEFAULT and TCP_CA_* collide). */
#ifndef TCP_NODELAY
#define TCP_NODELAY 1
#define TCP_MAXSEG 2
#define TCP_CORK 3
#define TCP_KEEPIDLE 4
#define TCP_KEEPINTVL 5
#define TCP_KEEPCNT 6
#define TCP_SYNCNT 7
#define TCP_LINGER2 8
#define TCP_DEFER_ACCEPT 9
#define TCP_WINDOW_CLAMP 10
#define TCP_INFO 11
#define TCP_QUICKACK 12
#define TCP_CONGESTION 13
#define TCP_USER_TIMEOUT 18
#define TCP_NOTSENT_LOWAT 25
#endif
#ifndef SOL_TCP
#define SOL_TCP 6
#endif
#ifndef TCPI_OPT_TIMESTAMPS
#define TCPI_OPT_TIMESTAMPS 1
#define TCPI_OPT_SACK 2
#define TCPI_OPT_WSCALE 4
#define TCPI_OPT_ECN 8
#define TCPI_OPT_ECN_SEEN 16
#define TCPI_OPT_SYN_DATA 32
#endif

/* Linux 6.1's struct tcp_info, field for field (TCP_INFO copies the first
 * optlen bytes of it, so programs built with an older or newer
 * <linux/tcp.h> read what they know). Times in microseconds unless said. */
struct tn_tcp_info {
	u8 tcpi_state, tcpi_ca_state, tcpi_retransmits, tcpi_probes, tcpi_backoff, tcpi_options;
	u8 tcpi_snd_wscale : 4, tcpi_rcv_wscale : 4;
	u8 tcpi_delivery_rate_app_limited : 1, tcpi_fastopen_client_fail : 2;
	u32 tcpi_rto, tcpi_ato, tcpi_snd_mss, tcpi_rcv_mss;
	u32 tcpi_unacked, tcpi_sacked, tcpi_lost, tcpi_retrans, tcpi_fackets;
	u32 tcpi_last_data_sent, tcpi_last_ack_sent, tcpi_last_data_recv, tcpi_last_ack_recv; /* ms */
	u32 tcpi_pmtu, tcpi_rcv_ssthresh, tcpi_rtt, tcpi_rttvar, tcpi_snd_ssthresh, tcpi_snd_cwnd;
	u32 tcpi_advmss, tcpi_reordering;
	u32 tcpi_rcv_rtt, tcpi_rcv_space;
	u32 tcpi_total_retrans;
	u64 tcpi_pacing_rate, tcpi_max_pacing_rate;
	u64 tcpi_bytes_acked, tcpi_bytes_received;
	u32 tcpi_segs_out, tcpi_segs_in;
	u32 tcpi_notsent_bytes, tcpi_min_rtt, tcpi_data_segs_in, tcpi_data_segs_out;
	u64 tcpi_delivery_rate;
	u64 tcpi_busy_time, tcpi_rwnd_limited, tcpi_sndbuf_limited;
	u32 tcpi_delivered, tcpi_delivered_ce;
	u64 tcpi_bytes_sent, tcpi_bytes_retrans;
	u32 tcpi_dsack_dups, tcpi_reord_seen;
	u32 tcpi_rcv_ooopack;
	u32 tcpi_snd_wnd;
	u32 tcpi_rcv_wnd;
	u32 tcpi_rehash;
};

/* Set-up of a new socket with Linux's defaults (tcp_prot.init calls it). */
void tcp_init_sock(struct sock *sk);
int tcp_sendmsg(struct sock *sk, const struct msghdr *msg, size_t size, int flags);
int tcp_recvmsg(struct sock *sk, struct msghdr *msg, size_t len, int flags, int *addr_len);
/* RFC 9293 3.10.4 CLOSE; timeout: SO_LINGER time in ns (0: do not wait). */
void tcp_close(struct sock *sk, s64 timeout);
void tcp_shutdown(struct sock *sk, int how);
int tcp_disconnect(struct sock *sk, int flags);
int tcp_setsockopt(struct sock *sk, int level, int optname, const void *optval,
		   socklen_t optlen);
int tcp_getsockopt(struct sock *sk, int level, int optname, void *optval, socklen_t *optlen);
int tcp_ioctl(struct sock *sk, unsigned long cmd, int *karg);
u32 tcp_poll(struct sock *sk);
/* SO_KEEPALIVE (proto.keepalive). */
void tcp_set_keepalive(struct sock *sk, int val);
void tcp_get_info(struct sock *sk, struct tn_tcp_info *info);
/* Send a window update when the reader freed enough (RFC 9293 3.8.6.2.2). */
void tcp_cleanup_rbuf(struct sock *sk, int copied);
void tcp_push(struct sock *sk, int flags, unsigned int mss_now, int nonagle);
/* Unread bytes (SIOCINQ), FIN excluded. */
int tcp_inq(const struct sock *sk);
/* Writers wake when a third of the send buffer is free (net/core/stream.c). */
void sk_stream_write_space(struct sock *sk);
/* Keepalive timing (Linux's keepalive_*_when), in jiffies / probes. */
u32 keepalive_time_when(const struct tcp_sock *tp);
u32 keepalive_intvl_when(const struct tcp_sock *tp);
int keepalive_probes(const struct tcp_sock *tp);

static inline bool sk_stream_memory_free(const struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);

	if (sk->sk_wmem_queued >= sk->sk_sndbuf)
		return false;
	return tp->write_seq - tp->snd_nxt < (tp->notsent_lowat ? tp->notsent_lowat : ~0u);
}
static inline bool sk_stream_is_writeable(const struct sock *sk)
{
	return sk->sk_sndbuf - sk->sk_wmem_queued >= (sk->sk_wmem_queued >> 1) &&
	       sk_stream_memory_free(sk);
}
/* Free an skb of the write queue (already unlinked) and uncharge it. */
static inline void tcp_wmem_free_skb(struct sock *sk, struct sk_buff *skb)
{
	sk->sk_wmem_queued -= (int)skb->truesize;
	consume_skb(skb);
}

/* Needed by tcp.c from the other files (Linux's names): tcp_timer.c /
 * inet_connection_sock.c — the keepalive timer, len jiffies from now. */
void tcp_init_xmit_timers(struct sock *sk);
void tcp_clear_xmit_timers(struct sock *sk);
void inet_csk_reset_keepalive_timer(struct sock *sk, u32 len);
void inet_csk_delete_keepalive_timer(struct sock *sk);
/* tcp_output.c */
void tcp_send_fin(struct sock *sk);
void tcp_send_active_reset(struct sock *sk);

/* ---- tcp_output.c, tcp_timer.c, tcp_cong.c, tcp_cubic.c (added by the
 * transmit/timers engineer) ----------------------------------------------
 * Contracts:
 *  - tcp_transmit_skb sends a clone (clone_it) of a write-queue skb, or the
 *    skb itself (a pure ACK, RST, probe: consumed). The clone is charged to
 *    sk_wmem_alloc; TCP_SKB_CB(orig) tx_stamp / tsval record the send.
 *  - A route is cached in sk->sk_dst_cache (revalidated with
 *    ipv4_dst_check); inet_saddr is the source (0: the route's).
 *  - Timers hold no socket reference (as inet_csk_reset_xmit_timer): whoever
 *    frees a tcp_sock calls tcp_clear_xmit_timers first.
 *  - Window scale and initial window come from tcp_select_initial_window
 *    (tcp_connect for active opens; the listener for request socks).
 */
/* (tcp_win_from_space, tcp_space, tcp_full_space: see tcp_input.c's part.) */
/* TCP_MAXSEG clamps what we advertise. */
static inline u16 tcp_mss_clamp(const struct tcp_sock *tp, u16 mss)
{
	u16 user_mss = tp->rx_opt.user_mss;

	return (user_mss && user_mss < mss) ? user_mss : mss;
}
/* Congestion control may grow cwnd only when cwnd is what limits sending
 * (RFC 7661; Linux's tcp_is_cwnd_limited): in slow start, until cwnd is
 * twice what was in flight. */
static inline bool tcp_is_cwnd_limited(const struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);

	if (tp->is_cwnd_limited)
		return true;
	if (tcp_in_slow_start(tp))
		return tp->snd_cwnd < 2 * tp->max_packets_out;
	return false;
}
/* ssthresh to keep when cwnd is reduced for another reason (idle restart). */
static inline u32 tcp_current_ssthresh(const struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);

	if (tcp_in_cwnd_reduction(sk))
		return tp->snd_ssthresh;
	return TN_MAX(tp->snd_ssthresh, (tp->snd_cwnd >> 1) + (tp->snd_cwnd >> 2));
}

struct rtable;
struct dst_entry;

/* tcp_output.c */
/* Build the TCP header (options by segment kind), select the window,
 * checksum and hand to IP. clone_it: skb stays queued, a clone goes out.
 * 0 or -errno (the original stays queued either way). */
int tcp_transmit_skb(struct sock *sk, struct sk_buff *skb, int clone_it);
/* Linux's tcp_select_initial_window: rcv_wnd (a multiple of mss, at most
 * 65535 unscaled), rcv_wscale from the largest buffer (tcp_rmem[2],
 * rmem_max), window_clamp capped at 65535 << wscale. */
void tcp_select_initial_window(const struct sock *sk, int space, u32 mss, u32 *rcv_wnd,
			       u32 *window_clamp, int wscale_ok, u8 *rcv_wscale,
			       u32 init_rcv_wnd);
/* Active open (RFC 9293 3.10.1): connection parameters from the route
 * (sk_dst_cache must hold it, tcp_v4_connect sets it; write_seq = ISN,
 * tsoffset set), the SYN queued and sent, retransmit timer armed,
 * TcpActiveOpens. 0 or -errno. */
int tcp_connect(struct sock *sk);
/* The SYN-ACK for req (the listener sk, dst the route to the peer or NULL):
 * header with MSS, [sackOK,] [TS,] [nop, wscale] as req negotiated, window
 * min(req->rcv_wnd, 65535), checksum complete. The caller sends it with
 * ip_send_routed / ip_build_and_send. NULL on allocation failure. */
struct sk_buff *tcp_make_synack(const struct sock *sk, struct dst_entry *dst,
				struct request_sock *req);
/* Send what cwnd, the peer's window and Nagle allow (tcp_write_xmit). */
static inline void tcp_push_pending_frames(struct sock *sk)
{
	if (tcp_send_head(sk))
		__tcp_push_pending_frames(sk, tcp_current_mss(sk), tcp_sk(sk)->nonagle);
}
/* Send the first unsent skb only (tcp_sendmsg's first segment). */
void tcp_push_one(struct sock *sk, unsigned int mss_now);
int __tcp_retransmit_skb(struct sock *sk, struct sk_buff *skb, int segs);
/* Split a queued skb at len bytes of payload (the tail becomes a new skb
 * after it); packet counts follow when it was already sent. 0 or -ENOMEM. */
int tcp_fragment(struct sock *sk, struct sk_buff *skb, u32 len, unsigned int mss_now);
/* Move an unshared skb holding less than half its buffer into one its size
 * (its truesize, charged to sk_wmem_queued, shrinks with it). */
void tcp_skb_compact(struct sock *sk, struct sk_buff *skb);
/* Give the unsent tail skb a buffer that takes size bytes of data. */
int tcp_skb_grow(struct sock *sk, struct sk_buff *skb, unsigned int size);
/* Count skb's MSS-sized segments into tcp_gso_segs / tcp_gso_size. */
void tcp_set_skb_tso_segs(struct sk_buff *skb, unsigned int mss_now);
/* How many bytes tcp_sendmsg puts in one skb: mss_now, or a multiple of it
 * up to what the route's device takes as one GSO packet (Linux's
 * tcp_xmit_size_goal). */
u32 tcp_xmit_size_goal(struct sock *sk, unsigned int mss_now);
int tcp_mtu_to_mss(struct sock *sk, int pmtu);
int tcp_mss_to_mtu(struct sock *sk, int mss);
/* Tail loss probe (RFC 8985 7, net.ipv4.tcp_early_retrans 3 or 4): arm
 * ICSK_TIME_LOSS_PROBE at the PTO when SACK is on and the state is Open or
 * CWR (advancing_rto: an ACK just moved the RTO); false when no probe was
 * armed. The timer sends new data, else the last segment again. */
bool tcp_schedule_loss_probe(struct sock *sk, bool advancing_rto);
void tcp_send_loss_probe(struct sock *sk);
/* Zero-window probe (persist timer) and keepalive/window probe. */
void tcp_send_probe0(struct sock *sk);
int tcp_write_wakeup(struct sock *sk, int mib);
/* Slow start after idle (RFC 5681 4.1, net.ipv4.tcp_slow_start_after_idle). */
void tcp_cwnd_restart(struct sock *sk, s32 delta);
void tcp_slow_start_after_idle_check(struct sock *sk);
/* The route of the connection (sk_dst_cache, revalidated; looked up again
 * when stale). NULL: no route. */
struct rtable *tcp_sk_route(struct sock *sk);

/* tcp_timer.c */
/* What the retransmit timer does for each icsk_pending event, and the
 * delayed-ACK and keepalive timers (one handler shape, BSD's
 * tcp_timer_funcs[]). */
void tcp_write_timer_handler(struct sock *sk);
void tcp_delack_timer_handler(struct sock *sk);
void tcp_keepalive_timer_handler(struct sock *sk);
void tcp_retransmit_timer(struct sock *sk);
/* Fail the connection with the soft error or ETIMEDOUT; TcpExtTCPAbortOnTimeout. */
void tcp_write_err(struct sock *sk);

/* tcp_cong.c */
/* Give a new socket the namespace default (net.ipv4.tcp_congestion_control). */
void tcp_assign_congestion_control(struct sock *sk);
void tcp_cleanup_congestion_control(struct sock *sk);
/* Validate and set the namespace default; 0 or -ENOENT. */
int tcp_set_default_congestion_control(struct net *net, const char *name);
/* The registered algorithms, space-separated (tcp_available_congestion_control). */
void tcp_get_available_congestion_control(char *buf, size_t len);

#endif
