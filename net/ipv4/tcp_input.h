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

/* Timing shared by the two files. */
u64 tcp_clock_us(const struct sock *sk);
/* The timestamp clock (TSval we send, less tsoffset): milliseconds. */
u32 tcp_ts_clock(const struct sock *sk);

#endif
