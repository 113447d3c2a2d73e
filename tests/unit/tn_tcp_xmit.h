/*
 * Fixtures for the transmit/timer unit tests: a tcp_sock made with
 * sk_alloc(net, AF_INET, &tcp_prot) and tcp_prot.init, put in a state by
 * hand (no handshake: these tests drive tcp_output.c and tcp_timer.c
 * directly), data queued the way tcp_sendmsg queues it, ACKs applied the
 * way tcp_input cleans the retransmit queue, and the segments the test
 * device sent, parsed. Header-only so each test program stays one file.
 */
#ifndef TN_TESTS_TN_TCP_XMIT_H
#define TN_TESTS_TN_TCP_XMIT_H

#include <netinet/in.h>

#include "tn_ipv4.h"

#include "net/tcp.h"

#define T_SPORT 40000
#define T_DPORT 80
#define T_ISS 0x01020304u
#define T_IRS 0x0a0b0c0du
#define T_TSOFF 0x1000u
#define T_MSS 1448u            /* 1500 - 40 - 12 (timestamps) */

struct tcp_world {
	struct ip_world ip;
	struct sock *sk;
};

static inline struct tcp_sock *tw_tp(struct tcp_world *t) { return tcp_sk(t->sk); }

/* A socket bound to 10.0.0.1:40000 for 10.0.0.2:80, CLOSED. */
static inline void tcp_world_init(struct tcp_world *t)
{
	struct sock *sk;

	ip_world_init(&t->ip, false);
	sk = sk_alloc(t->ip.net, AF_INET, &tcp_prot);
	assert_non_null(sk);
	sock_init_data(NULL, sk);
	assert_int_equal(tcp_prot.init(sk), 0);
	inet_sk(sk)->inet_saddr = LOCAL_IP;
	inet_sk(sk)->inet_rcv_saddr = LOCAL_IP;
	inet_sk(sk)->inet_sport = T_SPORT;
	inet_sk(sk)->inet_num = T_SPORT;
	inet_sk(sk)->pmtudisc = IP_PMTUDISC_WANT;
	inet_sk(sk)->uc_ttl = -1;
	sk->sk_daddr = PEER_IP;
	sk->sk_dport = T_DPORT;
	tcp_sk(sk)->tsoffset = T_TSOFF;
	tcp_sk(sk)->write_seq = T_ISS;
	t->sk = sk;
}

/* As if the handshake with timestamps, SACK and wscale 7 both ways had
 * completed: snd_wnd 64 KiB (unscaled 512 << 7), mss 1448. */
static inline void tcp_world_establish(struct tcp_world *t)
{
	struct sock *sk = t->sk;
	struct tcp_sock *tp = tcp_sk(sk);

	assert_int_equal(tcp_connect(sk), 0);
	testdev_clear_tx(t->ip.eth0);
	/* The SYN was ACKed. */
	tcp_clear_xmit_timers(sk);
	tcp_write_queue_purge(sk);
	tp->snd_una = tp->snd_nxt;
	tp->retrans_stamp = 0;
	tp->rcv_nxt = tp->rcv_wup = tp->copied_seq = T_IRS + 1;
	tp->rx_opt.tstamp_ok = 1;
	tp->rx_opt.sack_ok = 1;
	tp->rx_opt.wscale_ok = 1;
	tp->rx_opt.snd_wscale = 7;
	tp->rx_opt.ts_recent = 0x11223344;
	tp->rx_opt.mss_clamp = 1460;
	tp->snd_wnd = 512u << 7;
	tp->max_window = tp->snd_wnd;
	tp->snd_wl1 = T_IRS;
	tp->tcp_header_len = 32;
	tcp_sync_mss(sk, 1500);
	inet_csk(sk)->icsk_ack.rcv_mss = 1448;
	sk->sk_state = TCP_ESTABLISHED;
	tcp_init_congestion_control(sk);
	tp->lsndtime = (u32)jiffies(t->ip.st);
	tp->rcv_tstamp = (u32)jiffies(t->ip.st);
	inet_csk(sk)->icsk_ack.lrcvtime = (u32)jiffies(t->ip.st);
	/* Count from here: the tests look at what the connection does next. */
	memset(&t->ip.net->mib, 0, sizeof(t->ip.net->mib));
}

static inline void tcp_world_free(struct tcp_world *t)
{
	struct sock *sk = t->sk;

	tcp_clear_xmit_timers(sk);
	if (sk->sk_prot->destroy)
		sk->sk_prot->destroy(sk);
	sock_put(sk);
	ip_world_free(&t->ip);
}

/* Queue len bytes as tcp_sendmsg does: fill the unsent tail skb up to the
 * MSS, then new skbs (pattern bytes: the low byte of the sequence). */
static inline void tcp_queue_data(struct sock *sk, u32 len)
{
	struct tcp_sock *tp = tcp_sk(sk);

	while (len) {
		struct sk_buff *skb = tcp_send_head(sk) ? skb_peek_tail(&sk->sk_write_queue) : NULL;
		u32 room, n;
		u8 *p;

		if (!skb || skb->len >= tp->mss_cache ||
		    (TCP_SKB_CB(skb)->tcp_flags & TCPHDR_FIN)) {
			skb = alloc_skb(sk->sk_net->stack, MAX_TCP_HEADER + tp->mss_cache);
			assert_non_null(skb);
			skb_reserve(skb, MAX_TCP_HEADER);
			memset(TCP_SKB_CB(skb), 0, sizeof(struct tcp_skb_cb));
			TCP_SKB_CB(skb)->seq = TCP_SKB_CB(skb)->end_seq = tp->write_seq;
			TCP_SKB_CB(skb)->tcp_flags = TCPHDR_ACK;
			sk->sk_wmem_queued += (int)skb->truesize;
			__skb_queue_tail(&sk->sk_write_queue, skb);
			if (!tp->send_head)
				tp->send_head = skb;
		}
		room = tp->mss_cache - skb->len;
		n = TN_MIN(room, len);
		p = skb_put(skb, n);
		for (u32 i = 0; i < n; i++)
			p[i] = (u8)(tp->write_seq + i);
		TCP_SKB_CB(skb)->end_seq += n;
		tp->write_seq += n;
		len -= n;
	}
}

/* The peer ACKed up to seq: free what is covered (tcp_clean_rtx_queue). */
static inline void tcp_ack_upto(struct sock *sk, u32 seq)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb;

	while ((skb = tcp_rtx_queue_head(sk)) && !after(TCP_SKB_CB(skb)->end_seq, seq)) {
		__skb_unlink(skb, &sk->sk_write_queue);
		tp->packets_out--;
		if (TCP_SKB_CB(skb)->sacked & TCPCB_LOST)
			tp->lost_out--;
		if (TCP_SKB_CB(skb)->sacked & TCPCB_SACKED_RETRANS)
			tp->retrans_out--;
		tcp_wmem_free_skb(sk, skb);
	}
	tp->snd_una = seq;
	if (!tp->packets_out)
		inet_csk_clear_xmit_timer(sk, ICSK_TIME_RETRANS);
}

/* A transmitted segment, parsed. */
struct seg {
	u32 seq, ack;
	u8 doff, flags;
	u16 win;
	u32 len;               /* payload bytes */
	u8 opts[40];
	u8 tcp[2048];          /* the whole TCP segment */
	u32 tcp_len;
	bool csum_ok;
	u64 t_ms;              /* stack time it left the device */
};

static inline bool tcp_pop_seg(struct tcp_world *t, struct seg *s)
{
	struct sk_buff *skb = testdev_pop_tx(t->ip.eth0);
	const u8 *ip, *th;
	u32 tot;

	if (!skb)
		return false;
	memset(s, 0, sizeof(*s));
	ip = skb->data + ETH_HLEN;
	assert_int_equal(ip[9], IPPROTO_TCP);
	tot = get_be16(ip + 2);
	th = ip + (ip[0] & 0xf) * 4;
	s->tcp_len = tot - (u32)(th - ip);
	assert_true(s->tcp_len <= sizeof(s->tcp));
	memcpy(s->tcp, th, s->tcp_len);
	s->seq = get_be32(th + 4);
	s->ack = get_be32(th + 8);
	s->doff = (u8)((th[12] >> 4) * 4);
	s->flags = th[13];
	s->win = get_be16(th + 14);
	s->t_ms = skb->tstamp / TN_NSEC_PER_JIFFY;
	s->len = s->tcp_len - s->doff;
	memcpy(s->opts, th + 20, s->doff - 20u);
	s->csum_ok = csum_tcpudp_magic(get_be32(ip + 12), get_be32(ip + 16), s->tcp_len,
				       IPPROTO_TCP, csum_partial(th, s->tcp_len, 0)) == 0;
	consume_skb(skb);
	return true;
}

static inline u64 tcp_mib(struct tcp_world *t, int f) { return t->ip.net->mib.tcp[f]; }
static inline u64 ext_mib(struct tcp_world *t, int f) { return t->ip.net->mib.linux_mib[f]; }
static inline u32 tw_now(struct tcp_world *t) { return (u32)jiffies(t->ip.st); }
/* The TCP timestamp clock (tcp_ts_clock_ms), what a TSval is built from. */
static inline u32 tw_tsnow(struct tcp_world *t) { return tcp_ts_clock_ms(t->ip.st); }

#endif
