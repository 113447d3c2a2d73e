/*
 * Private to tcp_input.c and tcp_recovery.c: the flags one ACK collects on
 * its way through tcp_ack() (Linux's FLAG_*), the SACK tagging state, and
 * the recovery entry points tcp_ack() calls. Nothing here is for other files;
 * the public side is the tcp_input.c section of include/net/tcp.h.
 */
#ifndef TN_NET_IPV4_TCP_INPUT_H
#define TN_NET_IPV4_TCP_INPUT_H

#include "net/tcp.h"

#define FLAG_DATA 0x01                  /* incoming frame contained data */
#define FLAG_WIN_UPDATE 0x02            /* incoming ACK was a window update */
#define FLAG_DATA_ACKED 0x04            /* this ACK acknowledged new data */
#define FLAG_RETRANS_DATA_ACKED 0x08    /* ... some of which was retransmitted */
#define FLAG_SYN_ACKED 0x10             /* this ACK acknowledged SYN */
#define FLAG_DATA_SACKED 0x20           /* new SACK */
#define FLAG_ECE 0x40                   /* ECE in this ACK */
#define FLAG_LOST_RETRANS 0x80          /* a retransmission was lost again */
#define FLAG_SLOWPATH 0x100             /* not the header-predicted path */
#define FLAG_ORIG_SACK_ACKED 0x200      /* never retransmitted data was (s)acked */
#define FLAG_SND_UNA_ADVANCED 0x400     /* snd_una moved */
#define FLAG_DSACKING_ACK 0x800         /* carries a D-SACK block */
#define FLAG_SET_XMIT_TIMER 0x1000      /* re-arm the retransmit timer */
#define FLAG_SACK_RENEGING 0x2000       /* the peer dropped data it SACKed */
#define FLAG_UPDATE_TS_RECENT 0x4000    /* tcp_replace_ts_recent() */
#define FLAG_NO_CHALLENGE_ACK 0x8000    /* do not send a challenge ACK */
#define FLAG_ACK_MAYBE_DELAYED 0x10000  /* likely a delayed ACK */
#define FLAG_DSACK_TLP 0x20000         /* D-SACK of the loss probe (tlp_high_seq) */

#define FLAG_ACKED (FLAG_DATA_ACKED | FLAG_SYN_ACKED)
#define FLAG_NOT_DUP (FLAG_DATA | FLAG_WIN_UPDATE | FLAG_ACKED)
#define FLAG_CA_ALERT (FLAG_DATA_SACKED | FLAG_ECE | FLAG_DSACKING_ACK)
#define FLAG_FORWARD_PROGRESS (FLAG_ACKED | FLAG_DATA_SACKED)

/* What tcp_fastretrans_alert asks tcp_ack to (re)transmit. */
enum { REXMIT_NONE, REXMIT_LOST, REXMIT_NEW };

#define TCP_NUM_SACKS 4
#define TCPOLEN_TSTAMP_ALIGNED 12

struct tcp_sacktag_state {
	u64 first_sackt;      /* tx_stamp (ns) of the first / last newly SACKed skb */
	u64 last_sackt;
	u32 reord;            /* lowest never-retransmitted seq SACKed past a hole */
	u32 sack_delivered;   /* segments newly delivered per this SACK */
	u32 prior_delivered;  /* most recent tx_delivered newly (s)acked (Linux's rs) */
	int flag;
	bool timed;           /* first_sackt is set (a stamp may be 0) */
};

/* SACK scoreboard (tcp_recovery.c). */
int tcp_sacktag_write_queue(struct sock *sk, const struct sk_buff *ack_skb, u32 prior_snd_una,
			    struct tcp_sacktag_state *state);
u32 tcp_highest_sack_seq(const struct sock *sk);
void tcp_check_sack_reordering(struct sock *sk, u32 low_seq, int ts);

/* Loss recovery (tcp_recovery.c). */
void tcp_fastretrans_alert(struct sock *sk, u32 prior_snd_una, int num_dupack, int *ack_flag,
			   int *rexmit);
void tcp_remove_reno_sacks(struct sock *sk, int acked);
void tcp_cwnd_reduction(struct sock *sk, int newly_acked_sacked, int newly_lost, int flag);
void tcp_xmit_recovery(struct sock *sk, int rexmit);

/* RACK (RFC 8985 6) and the tail loss probe's ACK (RFC 8985 7.4), in
 * tcp_recovery.c. net.ipv4.tcp_recovery bit 0 turns RACK on. */
static inline bool tcp_is_rack(const struct sock *sk)
{
	return tcp_net(sk)->sysctl_tcp_recovery & TCP_RACK_LOSS_DETECTION;
}
/* An skb sent at xmit_ns (ending at end_seq, scoreboard bits sacked) was
 * delivered: RACK.xmit_ts / RACK.rtt move to it when it is the latest. */
void tcp_rack_advance(struct sock *sk, u8 sacked, u32 end_seq, u64 xmit_ns);
/* After the ACK: widen reo_wnd by one step per round with a D-SACK. */
void tcp_rack_update_reo_wnd(struct sock *sk, u32 prior_delivered);
void tcp_process_tlp_ack(struct sock *sk, u32 ack, int flag);
/* The skb's original was (s)acked although it was retransmitted
 * (Linux's tcp_skb_spurious_retrans: the echo predates the resend). */
static inline bool tcp_skb_spurious_retrans(const struct tcp_sock *tp, const struct sk_buff *skb)
{
	return (TCP_SKB_CB(skb)->sacked & TCPCB_RETRANS) && tp->rx_opt.saw_tstamp &&
	       tp->rx_opt.rcv_tsecr &&
	       before(tp->rx_opt.rcv_tsecr, TCP_SKB_CB(skb)->tsval - tp->tsoffset);
}

/* Timing shared by the two files. */
u64 tcp_clock_us(const struct sock *sk);
/* The timestamp clock (TSval we send, less tsoffset): milliseconds. */
u32 tcp_ts_clock(const struct sock *sk);

#endif
