/*
 * TCP output (Linux's net/ipv4/tcp_output.c): everything that puts a TCP
 * segment on the wire.
 *
 *   tcp_transmit_skb      header, options, window, checksum, to IP
 *   tcp_write_xmit        new data as cwnd (RFC 5681), the peer's window,
 *                         Nagle (RFC 896 / RFC 1122 4.2.3.4) and cork allow
 *   tcp_send_ack, tcp_send_delayed_ack, tcp_send_fin,
 *   tcp_send_active_reset, tcp_connect, tcp_make_synack
 *   tcp_retransmit_skb, tcp_xmit_retransmit_queue   (RFC 6298, RFC 6675)
 *   tcp_send_probe0, tcp_write_wakeup    zero-window and keepalive probes
 *   tcp_sync_mss, tcp_current_mss        PMTU to MSS
 *   tcp_select_window                    what window to advertise (RFC 7323,
 *                                        RFC 1122 receiver SWS avoidance)
 *
 * The write queue (sk_write_queue) holds every skb from snd_una on, in
 * sequence order; tp->send_head is the first one not yet sent. An skb is
 * never sent itself: a clone goes to IP and the original stays for
 * retransmission (pure ACKs, RSTs and probes are not queued and go as is).
 *
 * What this file is not: ACK processing, RTT estimation, loss detection
 * and SACK scoreboard upkeep (tcp_input.c), the timers' decisions
 * (tcp_timer.c), copying user data into skbs (tcp.c).
 *
 * TSO/GSO: on a route whose device has NETIF_F_GSO (veth, lo, a TAP) an
 * skb holds up to tcp_xmit_size_goal bytes, tcp_skb_pcount(skb) segments
 * of tcp_gso_size each, and goes to IP as one GSO packet; the device or the
 * core's software GSO cuts it (net/core/gso.c). Everything that counts
 * packets (cwnd, packets_out, the SACK scoreboard) counts segments. Not
 * here: ECN, TCP Fast Open, MD5, pacing, autocorking, TSO deferral
 * (tcp_tso_should_defer) (docs/deviations.md).
 */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include "net/tcp.h"
#include "net/wire/tcp.h"
#include "net/checksum.h"
#include "net/dst.h"
#include "net/inetdevice.h"
#include "net/ip.h"
#include "net/netdevice.h"
#include "net/route.h"

/* Option kinds and lengths: include/net/wire/tcp.h. */
#define TCPOLEN_SACK_BASE_ALIGNED 4
#define TCPOLEN_MSS_ALIGNED 4
#define MAX_TCP_OPTION_SPACE 40
#define TCP_HDR_LEN 20
#define IPV4_HDR_LEN 20
#define TCP_MSS_DESIRED 1220
#define TCP_MIN_ADVMSS 256      /* net.ipv4.route.min_adv_mss */

#define OPTION_SACK_ADVERTISE 0x01
#define OPTION_TS 0x02
#define OPTION_WSCALE 0x08
#define OPTION_MSS 0x10

struct tcp_out_options {
	u16 options;                          /* OPTION_* */
	u16 mss;
	u8 ws;
	u8 num_sack_blocks;
	u32 tsval, tsecr;
	struct tcp_sack_block sacks[4];       /* D-SACK first when there is one */
};

static struct tn_stack *tcp_stack(const struct sock *sk)
{
	return sock_net(sk)->stack;
}

static u32 tcp_jiffies32(const struct sock *sk)
{
	return (u32)jiffies(tcp_stack(sk));
}

/* Our TSval clock (RFC 7323 5.4: 1 ms ticks, as Linux) plus the offset. */
static u32 tcp_tsval_now(const struct sock *sk, u32 offset)
{
	return tcp_ts_clock_ms(tcp_stack(sk)) + offset;
}

/* ---- options --------------------------------------------------------------- */

/* The SACK blocks to send: a D-SACK (RFC 2883) first, then the most recent
 * blocks (tcp_input keeps selective_acks with the latest first), within
 * the option space left. Returns the bytes used. */
static unsigned int tcp_sack_options(const struct tcp_sock *tp, struct tcp_out_options *opts,
				     unsigned int size)
{
	unsigned int eff = tp->rx_opt.num_sacks + tp->rx_opt.dsack;
	unsigned int remaining = MAX_TCP_OPTION_SPACE - size;
	unsigned int n, k = 0;

	if (!eff || remaining < TCPOLEN_SACK_BASE_ALIGNED + TCPOLEN_SACK_PERBLOCK)
		return 0;
	n = TN_MIN(eff, (remaining - TCPOLEN_SACK_BASE_ALIGNED) / TCPOLEN_SACK_PERBLOCK);
	n = TN_MIN(n, 4u);
	if (tp->rx_opt.dsack)
		opts->sacks[k++] = tp->duplicate_sack[0];
	for (unsigned int i = 0; k < n && i < tp->rx_opt.num_sacks && i < 4; i++)
		opts->sacks[k++] = tp->selective_acks[i];
	opts->num_sack_blocks = (u8)k;
	return TCPOLEN_SACK_BASE_ALIGNED + k * TCPOLEN_SACK_PERBLOCK;
}

/* Options of a segment on a synchronized connection: timestamps when
 * negotiated (RFC 7323 3.2), SACK blocks (RFC 2018 3). */
static unsigned int tcp_established_options(const struct sock *sk, u32 tsval,
					    struct tcp_out_options *opts)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	unsigned int size = 0;

	if (tp->rx_opt.tstamp_ok) {
		opts->options |= OPTION_TS;
		opts->tsval = tsval;
		opts->tsecr = tp->rx_opt.ts_recent;
		size += TCPOLEN_TSTAMP_ALIGNED;
	}
	return size + tcp_sack_options(tp, opts, size);
}

/* Advertised MSS: ours, lowered by what the route allows (RFC 9293
 * 3.7.1: MTU - 40), never below net.ipv4.route.min_adv_mss. */
static u16 tcp_dst_advmss(const struct rtable *rt)
{
	u32 mtu = ipv4_mtu(rt);
	u32 advmss = mtu > IPV4_HDR_LEN + TCP_HDR_LEN + TCP_MIN_ADVMSS
			     ? mtu - IPV4_HDR_LEN - TCP_HDR_LEN : TCP_MIN_ADVMSS;

	return (u16)TN_MIN(advmss, 65535u - IPV4_HDR_LEN - TCP_HDR_LEN);
}

static u16 tcp_advertise_mss(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct rtable *rt = tcp_sk_route(sk);

	if (rt) {
		u16 metric = tcp_dst_advmss(rt);

		if (metric < tp->advmss)
			tp->advmss = metric;
	}
	return tp->advmss;
}

/* Options of our SYN, in Linux's order and layout: MSS, SACK-permitted
 * folded into the timestamp word, window scale (RFC 7323 2.2, 3.2). */
static unsigned int tcp_syn_options(struct sock *sk, u32 tsval, struct tcp_out_options *opts)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcp_net *tn = tcp_net(sk);
	unsigned int size = TCPOLEN_MSS_ALIGNED;

	opts->options |= OPTION_MSS;
	opts->mss = tcp_advertise_mss(sk);
	if (tn->sysctl_tcp_timestamps) {
		opts->options |= OPTION_TS;
		opts->tsval = tsval;
		opts->tsecr = tp->rx_opt.ts_recent;
		size += TCPOLEN_TSTAMP_ALIGNED;
	}
	if (tn->sysctl_tcp_window_scaling) {
		opts->ws = tp->rx_opt.rcv_wscale;
		opts->options |= OPTION_WSCALE;
		size += TCPOLEN_WSCALE_ALIGNED;
	}
	if (tn->sysctl_tcp_sack) {
		opts->options |= OPTION_SACK_ADVERTISE;
		if (!(opts->options & OPTION_TS))
			size += TCPOLEN_SACKPERM_ALIGNED;
	}
	return size;
}

/* A SYN-ACK carries only what the SYN offered (RFC 7323 1.3, RFC 2018 2). */
static unsigned int tcp_synack_options(const struct request_sock *req, u16 mss, u32 tsval,
				       struct tcp_out_options *opts)
{
	unsigned int size = TCPOLEN_MSS_ALIGNED;

	opts->options |= OPTION_MSS;
	opts->mss = mss;
	if (req->wscale_ok) {
		opts->ws = req->rcv_wscale;
		opts->options |= OPTION_WSCALE;
		size += TCPOLEN_WSCALE_ALIGNED;
	}
	if (req->tstamp_ok) {
		opts->options |= OPTION_TS;
		opts->tsval = tsval;
		opts->tsecr = req->ts_recent;
		size += TCPOLEN_TSTAMP_ALIGNED;
	}
	if (req->sack_ok) {
		opts->options |= OPTION_SACK_ADVERTISE;
		if (!req->tstamp_ok)
			size += TCPOLEN_SACKPERM_ALIGNED;
	}
	return size;
}

static u8 *tcp_put_word(u8 *p, u8 a, u8 b, u8 c, u8 d)
{
	p[0] = a;
	p[1] = b;
	p[2] = c;
	p[3] = d;
	return p + 4;
}

/* Write the options as Linux's tcp_options_write lays them out, every
 * option 32-bit aligned with NOPs:
 *   02 04 MSS | 04 02 08 0a TSval TSecr (or 01 01 08 0a ...) |
 *   01 01 04 02 (sackOK without TS) | 01 03 03 WS | 01 01 05 len blocks */
static void tcp_options_write(u8 *p, const struct tcp_out_options *opts)
{
	u16 options = opts->options;

	if (options & OPTION_MSS) {
		p = tcp_put_word(p, TCPOPT_MSS, TCPOLEN_MSS, 0, 0);
		put_be16(p - 2, opts->mss);
	}
	if (options & OPTION_TS) {
		if (options & OPTION_SACK_ADVERTISE) {
			p = tcp_put_word(p, TCPOPT_SACK_PERM, TCPOLEN_SACK_PERM, TCPOPT_TIMESTAMP,
					 TCPOLEN_TIMESTAMP);
			options &= (u16)~OPTION_SACK_ADVERTISE;
		} else {
			p = tcp_put_word(p, TCPOPT_NOP, TCPOPT_NOP, TCPOPT_TIMESTAMP,
					 TCPOLEN_TIMESTAMP);
		}
		put_be32(p, opts->tsval);
		put_be32(p + 4, opts->tsecr);
		p += 8;
	}
	if (options & OPTION_SACK_ADVERTISE)
		p = tcp_put_word(p, TCPOPT_NOP, TCPOPT_NOP, TCPOPT_SACK_PERM, TCPOLEN_SACK_PERM);
	if (options & OPTION_WSCALE)
		p = tcp_put_word(p, TCPOPT_NOP, TCPOPT_WINDOW, TCPOLEN_WINDOW, opts->ws);
	if (opts->num_sack_blocks) {
		p = tcp_put_word(p, TCPOPT_NOP, TCPOPT_NOP, TCPOPT_SACK,
				 (u8)(TCPOLEN_SACK_BASE + opts->num_sack_blocks * TCPOLEN_SACK_PERBLOCK));
		for (unsigned int i = 0; i < opts->num_sack_blocks; i++) {
			put_be32(p, opts->sacks[i].start_seq);
			put_be32(p + 4, opts->sacks[i].end_seq);
			p += 8;
		}
	}
}

/* ---- window advertisement ---------------------------------------------------- */

void tcp_select_initial_window(const struct sock *sk, int space_in, u32 mss, u32 *rcv_wnd,
			       u32 *window_clamp_p, int wscale_ok, u8 *rcv_wscale,
			       u32 init_rcv_wnd)
{
	const struct net *net = sock_net(sk);
	u32 space = space_in < 0 ? 0 : (u32)space_in;
	u32 window_clamp = *window_clamp_p;

	if (window_clamp == 0)
		window_clamp = 65535u << TCP_MAX_WSCALE;
	space = TN_MIN(window_clamp, space);
	/* A multiple of the MSS, as the peer will fill it. */
	if (space > mss)
		space = space / mss * mss;
	*rcv_wnd = TN_MIN(space, 65535u);
	if (init_rcv_wnd)
		*rcv_wnd = TN_MIN(*rcv_wnd, init_rcv_wnd * mss);
	*rcv_wscale = 0;
	if (wscale_ok) {
		/* Scale for the largest window the buffer may grow to. */
		u32 big = TN_MAX(space, (u32)net->ipv4.tcp->sysctl_tcp_rmem[2]);
		int log = 0;

		big = TN_MAX(big, (u32)net->core.sysctl_rmem_max);
		big = TN_MIN(big, window_clamp);
		while ((big >> log) > 1)
			log++;
		*rcv_wscale = (u8)TN_MIN(TN_MAX(log - 15, 0), TCP_MAX_WSCALE);
	}
	*window_clamp_p = TN_MIN(65535u << *rcv_wscale, window_clamp);
}

/*
 * The window we would like to offer now (Linux's __tcp_select_window):
 * free buffer space, capped by rcv_ssthresh and the clamp. RFC 1122
 * 4.2.3.3 receiver SWS avoidance: without scaling, offer a multiple of
 * the peer's MSS and leave the offer alone while within one MSS of the
 * free space; with little free space (below MSS, or 1/16 of the buffer)
 * offer nothing.
 */
u32 __tcp_select_window(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	int mss = icsk->icsk_ack.rcv_mss ? icsk->icsk_ack.rcv_mss : (int)tp->advmss;
	int free_space = tcp_space(sk);
	int allowed_space = tcp_full_space(sk);
	int full_space = TN_MIN((int)TN_MIN(tp->window_clamp, 0x7fffffffu), allowed_space);
	int window;

	if (mss > full_space) {
		mss = full_space;
		if (mss <= 0)
			return 0;
	}
	if (free_space < (full_space >> 1)) {
		icsk->icsk_ack.quick = 0;
		free_space &= ~((1 << tp->rx_opt.rcv_wscale) - 1);
		if (free_space < (allowed_space >> 4) || free_space < mss)
			return 0;
	}
	if (free_space > (int)tp->rcv_ssthresh)
		free_space = (int)tp->rcv_ssthresh;
	if (tp->rx_opt.rcv_wscale) {
		/* Round up so that scaling never announces less than this. */
		window = (int)TN_ALIGN((u32)free_space, 1u << tp->rx_opt.rcv_wscale);
	} else {
		window = (int)tp->rcv_wnd;
		if (window <= free_space - mss || window > free_space)
			window = free_space / mss * mss;
		else if (mss == full_space && free_space > window + (full_space >> 1))
			window = free_space;
	}
	return (u32)window;
}

/*
 * The window field of an outgoing segment. RFC 9293 3.8.6.2.2 / RFC 7323
 * 2.4: never shrink what was offered (the right edge never moves left),
 * then scale.
 */
static u16 tcp_select_window(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct net *net = sock_net(sk);
	u32 old_win = tp->rcv_wnd;
	u32 cur_win = tcp_receive_window(tp);
	u32 new_win = __tcp_select_window(sk);

	if (new_win < cur_win) {
		if (new_win == 0)
			__NET_INC_STATS(net, LINUX_MIB_TCPWANTZEROWINDOWADV);
		new_win = TN_ALIGN(cur_win, 1u << tp->rx_opt.rcv_wscale);
	}
	tp->rcv_wnd = new_win;
	tp->rcv_wup = tp->rcv_nxt;
	new_win = TN_MIN(new_win, 65535u << tp->rx_opt.rcv_wscale);
	new_win >>= tp->rx_opt.rcv_wscale;
	if (new_win == 0) {
		if (old_win)
			__NET_INC_STATS(net, LINUX_MIB_TCPTOZEROWINDOWADV);
	} else if (old_win == 0) {
		__NET_INC_STATS(net, LINUX_MIB_TCPFROMZEROWINDOWADV);
	}
	return (u16)new_win;
}

/* ---- route and IP hand-off ----------------------------------------------------- */

struct rtable *tcp_sk_route(struct sock *sk)
{
	struct inet_sock *inet = inet_sk(sk);
	struct rtable *rt;

	if (sk->sk_dst_cache && !ipv4_dst_check(sk->sk_dst_cache))
		sk_dst_reset(sk);
	if (!sk->sk_dst_cache) {
		struct flowi4 fl4 = {
			.flowi4_oif = sk->sk_bound_dev_if,
			.flowi4_mark = sk->sk_mark,
			.flowi4_tos = inet->tos,
			.flowi4_proto = IPPROTO_TCP,
			.saddr = inet->inet_saddr,
			.daddr = sk->sk_daddr,
			.fl4_sport = inet->inet_sport,
			.fl4_dport = sk->sk_dport,
		};

		if (ip_route_output_key(sock_net(sk), &fl4, &rt))
			return NULL;
		sk->sk_dst_cache = &rt->dst;
	}
	return dst_rtable(sk->sk_dst_cache);
}

static u32 tcp_saddr(const struct sock *sk, const struct rtable *rt)
{
	u32 saddr = inet_sk(sk)->inet_saddr;

	return saddr ? saddr : inet_select_addr(rt->dst.dev, sk->sk_daddr, RT_SCOPE_UNIVERSE);
}

/* The TCP checksum (RFC 9293 3.1) over the pseudo-header. Left to the
 * device (CHECKSUM_PARTIAL, the field holding the pseudo-header sum) when
 * it offloads checksums, and always for a GSO packet, whose segments get
 * theirs where it is cut (Linux's __tcp_v4_send_check; the core finishes
 * it for a device that cannot). Else computed here, so a peer without
 * offloads (testdev, the packetdrill tun) sees a complete sum. */
static void tcp_v4_send_check(struct sk_buff *skb, const struct net_device *dev, u32 saddr,
			      u32 daddr)
{
	u8 *th = skb->data;
	u32 len = skb->len;

	put_be16(th + 16, 0);
	if ((dev->features & NETIF_F_CSUM_MASK) || skb_is_gso(skb)) {
		skb->ip_summed = CHECKSUM_PARTIAL;
		skb->csum_start = (u16)(th - skb->head);
		skb->csum_offset = 16;
		put_be16(th + 16, (u16)~csum_tcpudp_magic(saddr, daddr, len, IPPROTO_TCP, 0));
		return;
	}
	skb->ip_summed = CHECKSUM_NONE;
	put_be16(th + 16, csum_tcpudp_magic(saddr, daddr, len, IPPROTO_TCP,
					    csum_partial(th, len, 0)));
}

static int tcp_ip_send(struct sock *sk, struct sk_buff *skb, struct rtable *rt, u32 saddr)
{
	struct inet_sock *inet = inet_sk(sk);
	struct ip_tx_params p = {
		.ttl = inet->uc_ttl > 0 ? (u8)inet->uc_ttl : 0,
		.tos = inet->tos,
		.pmtudisc = inet->pmtudisc,
		.priority = sk->sk_priority,
		.mark = sk->sk_mark,
		.oif = sk->sk_bound_dev_if,
	};
	int err;

	dst_hold(&rt->dst);
	err = ip_send_routed(sock_net(sk), sk, skb, rt, saddr, sk->sk_daddr, IPPROTO_TCP, &p);
	return err == NET_XMIT_CN ? 0 : err;
}

/* ---- tcp_transmit_skb ----------------------------------------------------------- */

/* RFC 9293 3.8.6.3: an ACK went out; the delayed ACK it stood for is done. */
static void tcp_event_ack_sent(struct sock *sk, u32 rcv_nxt)
{
	struct inet_connection_sock *icsk = inet_csk(sk);

	if (rcv_nxt != tcp_sk(sk)->rcv_nxt)
		return;
	/* Quick-ACK mode counts down the ACKs of new data it sends. */
	if (icsk->icsk_ack.quick && inet_csk_ack_scheduled(sk)) {
		if (icsk->icsk_ack.quick <= 1) {
			icsk->icsk_ack.quick = 0;
			icsk->icsk_ack.ato = TCP_ATO_MIN;   /* leaving quick-ACK mode */
		} else {
			icsk->icsk_ack.quick--;
		}
	}
	inet_csk_clear_xmit_timer(sk, ICSK_TIME_DACK);
}

/* Data went out: restart of transmission for congestion control, and the
 * interactive (ping-pong) heuristic of delayed ACKs. */
static void tcp_event_data_sent(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	u32 now = tcp_jiffies32(sk);

	if (tcp_packets_in_flight(tp) == 0)
		tcp_ca_event(sk, CA_EVENT_TX_START);
	tp->lsndtime = now;
	if ((u32)(now - icsk->icsk_ack.lrcvtime) < icsk->icsk_ack.ato &&
	    icsk->icsk_ack.pingpong < 0xff)
		icsk->icsk_ack.pingpong++;
}

/* Header (RFC 9293 3.1) and options into the pushed space at skb->data. */
static void tcp_build_header(struct sock *sk, struct sk_buff *skb, u32 rcv_nxt,
			     const struct tcp_out_options *opts, unsigned int hdr_len)
{
	const struct tcp_skb_cb *tcb = TCP_SKB_CB(skb);
	struct tcp_sock *tp = tcp_sk(sk);
	u8 *th = skb->data;
	u16 window;

	put_be16(th, inet_sk(sk)->inet_sport);
	put_be16(th + 2, sk->sk_dport);
	put_be32(th + 4, tcb->seq);
	put_be32(th + 8, (tcb->tcp_flags & TCPHDR_ACK) ? rcv_nxt : 0);
	put_be16(th + 12, (u16)(((hdr_len >> 2) << 12) | tcb->tcp_flags));
	/* RFC 7323 2.2: the window of a SYN is never scaled. */
	if (tcb->tcp_flags & TCPHDR_SYN)
		window = (u16)TN_MIN(tp->rcv_wnd, 65535u);
	else
		window = tcp_select_window(sk);
	put_be16(th + 14, window);
	put_be32(th + 16, 0);                  /* checksum, urgent pointer */
	tcp_options_write(th + TCP_HDR_LEN, opts);
}

/* Count what went out (TcpOutSegs counts new segments and control
 * segments; retransmissions are TcpRetransSegs). */
static void tcp_count_sent(struct sock *sk, const struct sk_buff *skb, unsigned int hdr_len)
{
	const struct tcp_skb_cb *tcb = TCP_SKB_CB(skb);
	struct tcp_sock *tp = tcp_sk(sk);

	if (tcb->tcp_flags & TCPHDR_ACK)
		tcp_event_ack_sent(sk, tp->rcv_nxt);
	u32 segs = tcp_skb_pcount(skb);

	if (skb->len != hdr_len) {
		tcp_event_data_sent(sk);
		tp->data_segs_out += segs;
		tp->bytes_sent += skb->len - hdr_len;
	}
	if (after(tcb->end_seq, tp->snd_nxt) || tcb->seq == tcb->end_seq)
		__TCP_ADD_STATS(sock_net(sk), TCP_MIB_OUTSEGS, segs);
	tp->segs_out += segs;
}

static int __tcp_transmit_skb(struct sock *sk, struct sk_buff *oskb, int clone_it, u32 rcv_nxt)
{
	struct tcp_out_options opts = { 0 };
	struct sk_buff *skb = oskb;
	unsigned int hdr_len;
	struct rtable *rt;
	u32 tsval, saddr;

	rt = tcp_sk_route(sk);
	if (!rt) {
		__IP_INC_STATS(sock_net(sk), IPSTATS_MIB_OUTNOROUTES);
		if (!clone_it)
			kfree_skb_reason(oskb, SKB_DROP_REASON_IP_OUTNOROUTES);
		return -EHOSTUNREACH;
	}
	if (clone_it) {
		/* A buffer still shared with an earlier transmission (in a
		 * qdisc or a device) gets a private copy: the header about to
		 * be pushed would overwrite the one in flight. */
		skb = skb_cloned(oskb) ? skb_copy(oskb) : skb_clone(oskb);
		if (!skb)
			return -ENOBUFS;
	}
	tsval = tcp_tsval_now(sk, tcp_sk(sk)->tsoffset);
	if (TCP_SKB_CB(skb)->tcp_flags & TCPHDR_SYN)
		hdr_len = TCP_HDR_LEN + tcp_syn_options(sk, tsval, &opts);
	else
		hdr_len = TCP_HDR_LEN + tcp_established_options(sk, tsval, &opts);
	/* A multi-segment skb leaves as one GSO packet (Linux's
	 * __tcp_transmit_skb); the buffer is private or shared only with
	 * the write queue's original, as on Linux. */
	if (tcp_skb_pcount(skb) > 1) {
		skb_shinfo(skb)->gso_type = SKB_GSO_TCPV4;
		skb_shinfo(skb)->gso_size = TCP_SKB_CB(skb)->tcp_gso_size;
		skb_shinfo(skb)->gso_segs = (u16)tcp_skb_pcount(skb);
	} else if (skb_is_gso(skb)) {
		skb_gso_reset(skb);
	}
	skb_push(skb, hdr_len);
	skb_reset_transport_header(skb);
	skb_set_owner_w(skb, sk);
	tcp_build_header(sk, skb, rcv_nxt, &opts, hdr_len);
	if (opts.num_sack_blocks)
		tcp_sk(sk)->rx_opt.dsack = 0;    /* a D-SACK is reported once */
	saddr = tcp_saddr(sk, rt);
	tcp_v4_send_check(skb, rt->dst.dev, saddr, sk->sk_daddr);
	tcp_count_sent(sk, skb, hdr_len);
	TCP_SKB_CB(oskb)->tx_stamp = tn_now(tcp_stack(sk));
	TCP_SKB_CB(oskb)->tsval = tsval;
	TCP_SKB_CB(oskb)->tx_delivered = tcp_sk(sk)->delivered;
	skb->tstamp = tn_now(tcp_stack(sk));
	return tcp_ip_send(sk, skb, rt, saddr);
}

int tcp_transmit_skb(struct sock *sk, struct sk_buff *skb, int clone_it)
{
	return __tcp_transmit_skb(sk, skb, clone_it, tcp_sk(sk)->rcv_nxt);
}

/* ---- the write queue ---------------------------------------------------------- */

/* A segment without data (SYN, FIN, ACK, RST, probe). */
static void tcp_init_nondata_skb(struct sk_buff *skb, u32 seq, u8 flags)
{
	struct tcp_skb_cb *tcb = TCP_SKB_CB(skb);

	memset(tcb, 0, sizeof(*tcb));
	tcb->tcp_flags = flags;
	tcb->seq = seq;
	tcb->end_seq = seq + ((flags & (TCPHDR_SYN | TCPHDR_FIN)) ? 1 : 0);
}

static struct sk_buff *tcp_alloc_ctl_skb(const struct sock *sk)
{
	struct sk_buff *skb = alloc_skb(tcp_stack(sk), MAX_TCP_HEADER);

	if (skb)
		skb_reserve(skb, MAX_TCP_HEADER);
	return skb;
}

/* Append an skb not yet sent (Linux's tcp_queue_skb). */
static void tcp_queue_skb(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);

	tp->write_seq = TCP_SKB_CB(skb)->end_seq;
	sk->sk_wmem_queued += (int)skb->truesize;
	__skb_queue_tail(&sk->sk_write_queue, skb);
	if (!tp->send_head)
		tp->send_head = skb;
}

static void tcp_advance_send_head(struct sock *sk, const struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);

	tp->send_head = tcp_skb_is_last(sk, skb) ? NULL : skb->next;
}

/* New data left (RFC 6298 5.1: start the timer if it is not running). */
static void tcp_event_new_data_sent(struct sock *sk, struct sk_buff *skb)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	u32 prior_packets = tp->packets_out;

	tcp_advance_send_head(sk, skb);
	tp->snd_nxt = TCP_SKB_CB(skb)->end_seq;
	tp->packets_out += tcp_skb_pcount(skb);
	/* A pending loss probe gives way to the RTO of the head; the probe is
	 * scheduled again once the burst is out (tcp_write_xmit). */
	if (!prior_packets || icsk->icsk_pending == ICSK_TIME_LOSS_PROBE ||
	    icsk->icsk_pending == ICSK_TIME_PROBE0)
		tcp_rearm_rto(sk);
	__NET_ADD_STATS(sock_net(sk), LINUX_MIB_TCPORIGDATASENT, tcp_skb_pcount(skb));
}

/* How many MSS-sized segments skb is (Linux's tcp_set_skb_tso_segs). */
void tcp_set_skb_tso_segs(struct sk_buff *skb, unsigned int mss_now)
{
	struct tcp_skb_cb *tcb = TCP_SKB_CB(skb);

	if (skb->len <= mss_now) {
		tcb->tcp_gso_segs = 1;
		tcb->tcp_gso_size = 0;
	} else {
		tcb->tcp_gso_segs = (u16)((skb->len + mss_now - 1) / mss_now);
		tcb->tcp_gso_size = (u16)mss_now;
	}
}

/* Linux's tcp_init_tso_segs: count an skb not counted yet, or counted for
 * another MSS. */
static u32 tcp_init_tso_segs(struct sk_buff *skb, unsigned int mss_now)
{
	const struct tcp_skb_cb *tcb = TCP_SKB_CB(skb);

	if (!tcb->tcp_gso_segs || (tcb->tcp_gso_segs > 1 && tcb->tcp_gso_size != mss_now))
		tcp_set_skb_tso_segs(skb, mss_now);
	return tcp_skb_pcount(skb);
}

/* A sent skb changed its segment count by -decr: the scoreboard counts
 * segments (Linux's tcp_adjust_pcount). */
static void tcp_adjust_pcount(struct sock *sk, const struct sk_buff *skb, int decr)
{
	struct tcp_sock *tp = tcp_sk(sk);
	u8 sacked = TCP_SKB_CB(skb)->sacked;

	tp->packets_out -= (u32)decr;
	if (sacked & TCPCB_SACKED_ACKED)
		tp->sacked_out -= (u32)decr;
	if (sacked & TCPCB_SACKED_RETRANS)
		tp->retrans_out -= (u32)decr;
	if (sacked & TCPCB_LOST)
		tp->lost_out -= (u32)decr;
}

/* Exchange what describes the data buffers of a and b (buffer, data, its
 * layout and memory charge); their control blocks stay. */
static void tcp_skb_swap_buffers(struct sk_buff *a, struct sk_buff *b)
{
	struct sk_buff t;

#define TCP_SWAP(f) do { t.f = a->f; a->f = b->f; b->f = t.f; } while (0)
	TCP_SWAP(head);
	TCP_SWAP(data);
	TCP_SWAP(tail);
	TCP_SWAP(end);
	TCP_SWAP(len);
	TCP_SWAP(truesize);
	TCP_SWAP(size_class);
	TCP_SWAP(cloned);
	TCP_SWAP(mac_header);
	TCP_SWAP(network_header);
	TCP_SWAP(transport_header);
#undef TCP_SWAP
}

/*
 * An unshared skb holding less than half of its buffer (what is left of a
 * GSO-sized buffer after cuts) moves into one its size: its clone is what
 * the receiver of a veth or lo charges to its buffer (truesize), and a
 * 64 KiB charge for a few segments would close the window.
 */
void tcp_skb_compact(struct sock *sk, struct sk_buff *skb)
{
	struct sk_buff *n;

	if (skb_cloned(skb) || (u64)skb->len * 2 + MAX_TCP_HEADER >= skb->end)
		return;
	n = alloc_skb(tcp_stack(sk), MAX_TCP_HEADER + skb->len);
	if (!n || n->end >= skb->end) {
		kfree_skb_reason(n, SKB_CONSUMED);
		return;
	}
	skb_reserve(n, MAX_TCP_HEADER);
	skb_put_data(n, skb->data, skb->len);
	sk->sk_wmem_queued += (int)n->truesize - (int)skb->truesize;
	tcp_skb_swap_buffers(skb, n);
	consume_skb(n);
}

/*
 * The unsent tail skb's buffer ends before size bytes: move its data into a
 * buffer that takes size (Linux would add a page frag). Appending to it then
 * keeps every segment but the last one full (a short buffer would end a GSO
 * skb in mid-segment, and that short segment would go out mid-stream).
 * 0 on success.
 */
int tcp_skb_grow(struct sock *sk, struct sk_buff *skb, unsigned int size)
{
	struct sk_buff *n;

	if (skb_cloned(skb))
		return -1;
	n = alloc_skb(tcp_stack(sk), MAX_TCP_HEADER + size);
	if (!n)
		return -1;
	skb_reserve(n, MAX_TCP_HEADER);
	skb_put_data(n, skb->data, skb->len);
	sk->sk_wmem_queued += (int)n->truesize - (int)skb->truesize;
	tcp_skb_swap_buffers(skb, n);
	consume_skb(n);
	return 0;
}

/*
 * Cut skb after len bytes; the second part becomes a new skb after it
 * (Linux's tcp_fragment / tso_fragment). Every buffer is linear, so one
 * part is copied: the smaller one. When that is the first part (a GSO skb
 * cut to what cwnd allows now), it goes into the new buffer and the two
 * skbs exchange buffers, so skb stays the first part and the large buffer
 * stays with the data still to send.
 */
int tcp_fragment(struct sock *sk, struct sk_buff *skb, u32 len, unsigned int mss_now)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcp_skb_cb *tcb = TCP_SKB_CB(skb), *ncb;
	u32 old_factor = tcp_skb_pcount(skb);
	u32 nsize, copy;
	struct sk_buff *buff;

	if (!len || len >= skb->len)
		return -EINVAL;
	nsize = skb->len - len;
	copy = len < nsize ? len : nsize;
	buff = alloc_skb(tcp_stack(sk), MAX_TCP_HEADER + copy);
	if (!buff)
		return -ENOMEM;
	skb_reserve(buff, MAX_TCP_HEADER);
	sk->sk_wmem_queued += (int)buff->truesize;
	if (copy == len) {
		skb_put_data(buff, skb->data, len);
		skb_pull(skb, len);
		tcp_skb_swap_buffers(skb, buff);
		tcp_skb_compact(sk, buff);
	} else {
		skb_put_data(buff, skb->data + len, nsize);
		skb_trim(skb, len);
		tcp_skb_compact(sk, skb);
	}
	ncb = TCP_SKB_CB(buff);
	*ncb = *tcb;
	ncb->seq = tcb->seq + len;
	tcb->end_seq = ncb->seq;
	/* FIN and PSH belong to the last byte. */
	tcb->tcp_flags &= (u8)~(TCPHDR_FIN | TCPHDR_PSH);
	tcp_set_skb_tso_segs(skb, mss_now);
	tcp_set_skb_tso_segs(buff, mss_now);
	/* Both halves were sent: the scoreboard counts their segments now. */
	if (!before(tp->snd_nxt, ncb->end_seq)) {
		int diff = (int)old_factor - (int)tcp_skb_pcount(skb) - (int)tcp_skb_pcount(buff);

		if (diff)
			tcp_adjust_pcount(sk, skb, diff);
	}
	__skb_insert(buff, skb, skb->next, &sk->sk_write_queue);
	return 0;
}

/* Drop len bytes already ACKed from the front of a partly ACKed skb. */
static void tcp_trim_head(struct sk_buff *skb, u32 len)
{
	skb_pull(skb, TN_MIN(len, skb->len));
	TCP_SKB_CB(skb)->seq += len;
}

/* ---- MSS ------------------------------------------------------------------------ */

/* RFC 9293 3.7.1: the segment size for a path MTU: minus IP and TCP
 * headers, the peer's MSS and TCP_MAXSEG, the option space
 * tcp_header_len assumes (timestamps), at least tcp_min_snd_mss. */
int tcp_mtu_to_mss(struct sock *sk, int pmtu)
{
	struct tcp_sock *tp = tcp_sk(sk);
	int mss = pmtu - IPV4_HDR_LEN - TCP_HDR_LEN;
	int min_snd = tcp_net(sk)->sysctl_tcp_min_snd_mss;

	if (tp->rx_opt.mss_clamp && mss > tp->rx_opt.mss_clamp)
		mss = tp->rx_opt.mss_clamp;
	mss -= inet_csk(sk)->icsk_ext_hdr_len;
	mss = TN_MAX(mss, min_snd);
	return mss - (tp->tcp_header_len - TCP_HDR_LEN);
}

int tcp_mss_to_mtu(struct sock *sk, int mss)
{
	return mss + tcp_sk(sk)->tcp_header_len + inet_csk(sk)->icsk_ext_hdr_len + IPV4_HDR_LEN;
}

void tcp_mtup_init(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_net *tn = tcp_net(sk);

	icsk->icsk_mtup.enabled = tn->sysctl_tcp_mtu_probing > 1;
	icsk->icsk_mtup.search_high = tcp_sk(sk)->rx_opt.mss_clamp + TCP_HDR_LEN + IPV4_HDR_LEN;
	icsk->icsk_mtup.search_low = tcp_mss_to_mtu(sk, tn->sysctl_tcp_base_mss);
	icsk->icsk_mtup.probe_size = 0;
}

/* Never more than half the largest window the peer offered (Linux's
 * tcp_bound_to_half_wnd), so that a small window still takes two
 * segments. */
static int tcp_bound_to_half_wnd(const struct tcp_sock *tp, int pktsize)
{
	u32 cutoff = tp->max_window > TCP_MSS_DESIRED ? tp->max_window >> 1 : tp->max_window;

	if (cutoff && (u32)pktsize > cutoff)
		return TN_MAX((int)cutoff, 68 - (int)tp->tcp_header_len);
	return pktsize;
}

unsigned int tcp_sync_mss(struct sock *sk, u32 pmtu)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	int mss_now;

	if (icsk->icsk_mtup.search_high > (int)pmtu)
		icsk->icsk_mtup.search_high = (int)pmtu;
	mss_now = tcp_mtu_to_mss(sk, (int)pmtu);
	mss_now = tcp_bound_to_half_wnd(tp, mss_now);
	icsk->icsk_pmtu_cookie = pmtu;
	if (icsk->icsk_mtup.enabled)
		mss_now = TN_MIN(mss_now, tcp_mtu_to_mss(sk, icsk->icsk_mtup.search_low));
	tp->mss_cache = (u32)mss_now;
	return (unsigned int)mss_now;
}

/* The MSS for the next segment: follows the route's MTU, minus the option
 * bytes this segment carries beyond what tcp_header_len assumes (SACK). */
unsigned int tcp_current_mss(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcp_out_options opts = { 0 };
	struct rtable *rt = sk->sk_dst_cache ? tcp_sk_route(sk) : NULL;
	u32 mss_now = tp->mss_cache;
	unsigned int header_len;

	if (rt) {
		u32 mtu = ipv4_mtu(rt);

		if (mtu != inet_csk(sk)->icsk_pmtu_cookie)
			mss_now = tcp_sync_mss(sk, mtu);
	}
	header_len = tcp_established_options(sk, 0, &opts) + TCP_HDR_LEN;
	if (header_len != tp->tcp_header_len)
		mss_now -= header_len - tp->tcp_header_len;
	return mss_now;
}

/* ---- sending new data ---------------------------------------------------------- */

/* Room left in the congestion window, in segments (RFC 5681 3.1). */
static u32 tcp_cwnd_test(const struct tcp_sock *tp)
{
	u32 in_flight = tcp_packets_in_flight(tp);

	return in_flight >= tp->snd_cwnd ? 0 : tp->snd_cwnd - in_flight;
}

/* The segment fits the peer's window (RFC 9293 3.8.6.2.1). */
static bool tcp_snd_wnd_test(const struct tcp_sock *tp, const struct sk_buff *skb,
			     unsigned int cur_mss)
{
	u32 end_seq = TCP_SKB_CB(skb)->end_seq;

	if (skb->len > cur_mss)
		end_seq = TCP_SKB_CB(skb)->seq + cur_mss;
	return !after(end_seq, tcp_wnd_end(tp));
}

/* Minshall's variant of Nagle: a small segment waits only while an
 * earlier small segment is unacknowledged. */
static bool tcp_minshall_check(const struct tcp_sock *tp)
{
	return after(tp->snd_sml, tp->snd_una) && !after(tp->snd_sml, tp->snd_nxt);
}

static void tcp_minshall_update(struct tcp_sock *tp, unsigned int mss_now,
				const struct sk_buff *skb)
{
	if (skb->len < tcp_skb_pcount(skb) * mss_now)
		tp->snd_sml = TCP_SKB_CB(skb)->end_seq;
}

/*
 * RFC 896 / RFC 1122 4.2.3.4 as Linux applies them: a segment goes now if
 * it is full sized, carries FIN, or is pushed (TCP_NODELAY, or not last
 * in the queue); with TCP_CORK (or MSG_MORE) a partial segment always
 * waits; otherwise it waits while a small segment is unacknowledged.
 */
static bool tcp_nagle_test(const struct tcp_sock *tp, const struct sk_buff *skb,
			   unsigned int cur_mss, int nonagle)
{
	bool partial = skb->len < cur_mss;

	if (nonagle & TCP_NAGLE_PUSH)
		return true;
	if (TCP_SKB_CB(skb)->tcp_flags & TCPHDR_FIN)
		return true;
	if (!partial)
		return true;
	if (nonagle & TCP_NAGLE_CORK)
		return false;
	return nonagle || !tp->packets_out || !tcp_minshall_check(tp);
}

/* RFC 2861 / RFC 7661 cwnd validation: an application-limited flow
 * does not grow cwnd, and one idle for an RTO shrinks it toward what it
 * used (Linux's tcp_cwnd_application_limited). */
static void tcp_cwnd_application_limited(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (inet_csk(sk)->icsk_ca_state == TCP_CA_Open && sk->sk_socket) {
		u32 win_used = TN_MAX(tp->snd_cwnd_used, (u32)TCP_INIT_CWND);

		if (win_used < tp->snd_cwnd) {
			tp->snd_ssthresh = tcp_current_ssthresh(sk);
			tp->snd_cwnd = (tp->snd_cwnd + win_used) >> 1;
		}
		tp->snd_cwnd_used = 0;
	}
	tp->snd_cwnd_stamp = tcp_jiffies32(sk);
}

static void tcp_cwnd_validate(struct sock *sk, bool is_cwnd_limited)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (!before(tp->snd_una, tp->cwnd_usage_seq) || is_cwnd_limited ||
	    (!tp->is_cwnd_limited && tp->packets_out > tp->max_packets_out)) {
		tp->is_cwnd_limited = is_cwnd_limited;
		tp->max_packets_out = tp->packets_out;
		tp->cwnd_usage_seq = tp->snd_nxt;
	}
	if (tcp_is_cwnd_limited(sk)) {
		tp->snd_cwnd_used = 0;
		tp->snd_cwnd_stamp = tcp_jiffies32(sk);
		return;
	}
	if (tp->packets_out > tp->snd_cwnd_used)
		tp->snd_cwnd_used = tp->packets_out;
	if (tcp_net(sk)->sysctl_tcp_slow_start_after_idle &&
	    (s32)(tcp_jiffies32(sk) - tp->snd_cwnd_stamp) >= (s32)inet_csk(sk)->icsk_rto)
		tcp_cwnd_application_limited(sk);
}

/* RFC 5681 4.1: after an idle period longer than an RTO, cwnd is halved
 * for every RTO idle, down to the restart window (min(IW, cwnd)). */
void tcp_cwnd_restart(struct sock *sk, s32 delta)
{
	struct tcp_sock *tp = tcp_sk(sk);
	u32 restart_cwnd = TN_MIN((u32)TCP_INIT_CWND, tp->snd_cwnd);
	u32 cwnd = tp->snd_cwnd;

	tcp_ca_event(sk, CA_EVENT_CWND_RESTART);
	tp->snd_ssthresh = tcp_current_ssthresh(sk);
	while ((delta -= (s32)inet_csk(sk)->icsk_rto) > 0 && cwnd > restart_cwnd)
		cwnd >>= 1;
	tp->snd_cwnd = TN_MAX(cwnd, restart_cwnd);
	tp->snd_cwnd_stamp = tcp_jiffies32(sk);
	tp->snd_cwnd_used = 0;
}

void tcp_slow_start_after_idle_check(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	s32 delta;

	if (!tcp_net(sk)->sysctl_tcp_slow_start_after_idle || tp->packets_out)
		return;
	delta = (s32)(tcp_jiffies32(sk) - tp->lsndtime);
	if (delta > (s32)inet_csk(sk)->icsk_rto)
		tcp_cwnd_restart(sk, delta);
}

/* May the send head go now? 0: yes; else why not (for the caller). A
 * multi-segment skb is not held by Nagle: its split point keeps a partial
 * last segment back instead (tcp_mss_split_point). */
enum tcp_xmit_verdict { TCP_XMIT_OK, TCP_XMIT_CWND, TCP_XMIT_RWND, TCP_XMIT_NAGLE };

static enum tcp_xmit_verdict tcp_xmit_allowed(struct sock *sk, const struct sk_buff *skb,
					      unsigned int mss_now, int nonagle, int push_one,
					      u32 tso_segs)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (!tcp_cwnd_test(tp) && push_one != 2)
		return TCP_XMIT_CWND;
	if (!tcp_snd_wnd_test(tp, skb, mss_now))
		return TCP_XMIT_RWND;
	if (tso_segs == 1 &&
	    !tcp_nagle_test(tp, skb, mss_now, tcp_skb_is_last(sk, skb) ? nonagle : TCP_NAGLE_PUSH))
		return TCP_XMIT_NAGLE;
	return TCP_XMIT_OK;
}

/* Linux's tcp_nagle_check: a partial last segment waits (cork, or Nagle
 * with a small segment unacknowledged). */
static bool tcp_nagle_check(bool partial, const struct tcp_sock *tp, int nonagle)
{
	return partial && ((nonagle & TCP_NAGLE_CORK) ||
			   (!nonagle && tp->packets_out && tcp_minshall_check(tp)));
}

/*
 * How much of a multi-segment skb may go now (Linux's tcp_mss_split_point):
 * max_segs segments, within the peer's window; at the tail of the queue a
 * partial last segment stays behind if Nagle would hold it.
 */
static u32 tcp_mss_split_point(const struct sock *sk, const struct sk_buff *skb,
			       unsigned int mss_now, u32 max_segs, int nonagle)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	u32 window = tcp_wnd_end(tp) - TCP_SKB_CB(skb)->seq;
	u32 max_len = mss_now * max_segs, needed, partial;

	if (max_len <= window && !tcp_skb_is_last(sk, skb))
		return max_len;
	needed = TN_MIN(skb->len, window);
	if (max_len <= needed)
		return max_len;
	partial = needed % mss_now;
	if (tcp_nagle_check(partial != 0, tp, nonagle))
		return needed - partial;
	return needed;
}

/* The largest GSO packet the route's device takes, 0 if it takes none
 * (Linux's sk_can_gso after sk_setup_caps; see docs/deviations.md for a
 * device without NETIF_F_GSO). */
static u32 tcp_gso_max_size(struct sock *sk)
{
	struct rtable *rt = sk->sk_dst_cache ? tcp_sk_route(sk) : NULL;
	const struct net_device *dev = rt ? rt->dst.dev : NULL;

	if (!dev || !(dev->features & NETIF_F_GSO))
		return 0;
	return dev->gso_max_size;
}

/*
 * Linux's tcp_tso_autosize: about a millisecond of data at the pacing rate
 * Linux would compute (tcp_update_pacing_rate: cwnd * mss / srtt, doubled in
 * slow start, 1.2x after), at least net.ipv4.tcp_min_tso_segs (2), at most what the
 * device takes.
 */
static u32 tcp_tso_segs(struct sock *sk, unsigned int mss_now)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	u32 gso_max = tcp_gso_max_size(sk);
	u32 max_segs = gso_max > MAX_TCP_HEADER + mss_now ?
			       (gso_max - 1 - MAX_TCP_HEADER) / mss_now : 1;
	u64 rate, bytes;
	u32 segs;

	if (max_segs <= 1)
		return 1;
	if (!tp->srtt_us)
		return max_segs;
	rate = (u64)mss_now * TN_MAX(tp->snd_cwnd, tp->packets_out) * 1000000ull * 8 /
	       (tp->srtt_us ? tp->srtt_us : 1);
	rate = tp->snd_cwnd < tp->snd_ssthresh / 2 ? rate * 2 : rate * 12 / 10;
	bytes = rate >> 10;            /* sk_pacing_shift 10: ~1 ms of data */
	segs = (u32)TN_MIN(bytes / mss_now, (u64)max_segs);
	return TN_MAX(segs, TN_MIN((u32)tcp_net(sk)->sysctl_tcp_min_tso_segs, max_segs));
}

u32 tcp_xmit_size_goal(struct sock *sk, unsigned int mss_now)
{
	u32 gso_max = tcp_gso_max_size(sk), goal, segs;

	if (!gso_max || gso_max <= MAX_TCP_HEADER + mss_now)
		return mss_now;
	/* Linux's tcp_xmit_size_goal: what the device takes, bounded by half
	 * the peer's largest window. */
	goal = (u32)tcp_bound_to_half_wnd(tcp_sk(sk), (int)(gso_max - 1 - MAX_TCP_HEADER));
	segs = TN_MIN(goal / mss_now, GSO_MAX_SEGS);
	return TN_MAX(segs * mss_now, mss_now);
}

/*
 * Linux's tcp_tso_should_defer: a multi-segment skb of which the windows
 * allow only part may wait for the next ACK to open them further, so that
 * it goes as one larger GSO packet, if an ACK is due soon: not in
 * recovery, only within 1 ms of the last transmission, not when a full
 * TSO packet or a third of the window (net.ipv4.tcp_tso_win_divisor)
 * could go now, not when the oldest packet in flight was sent long enough
 * ago that its ACK is more than min(srtt/2, 1 ms) away, and not for a skb
 * that will get no more data (FIN, MSG_EOR) unless a window limits it.
 */
static bool tcp_tso_should_defer(struct sock *sk, struct sk_buff *skb, bool *is_cwnd_limited,
				 u32 max_segs)
{
	struct tcp_sock *tp = tcp_sk(sk);
	u32 in_flight = tcp_packets_in_flight(tp);
	u32 send_win, cong_win, limit;
	u64 now = tn_now(sock_net(sk)->stack), srtt_ns, expected_ack, threshold;
	struct sk_buff *head, *last_sent;
	int win_divisor = tcp_net(sk)->sysctl_tcp_tso_win_divisor;

	if (inet_csk(sk)->icsk_ca_state >= TCP_CA_Recovery || tp->snd_cwnd <= in_flight)
		return false;
	head = tcp_rtx_queue_head(sk);
	if (!head)
		return false;
	/* tcp_wstamp_ns: the last data sent is the skb before the send head. */
	last_sent = skb->prev;
	if (last_sent == (struct sk_buff *)&sk->sk_write_queue ||
	    now > TCP_SKB_CB(last_sent)->tx_stamp + 1000000ull)
		return false;
	send_win = tcp_wnd_end(tp) - TCP_SKB_CB(skb)->seq;
	cong_win = (tp->snd_cwnd - in_flight) * tp->mss_cache;
	limit = TN_MIN(send_win, cong_win);
	if (limit >= max_segs * tp->mss_cache)
		return false;
	if (!tcp_skb_is_last(sk, skb) && limit >= skb->len)
		return false;
	if (win_divisor) {
		u32 chunk = TN_MIN(tp->snd_wnd, tp->snd_cwnd * tp->mss_cache) / (u32)win_divisor;

		if (limit >= chunk)
			return false;
	} else if (limit > 3 * tp->mss_cache) {   /* tcp_max_tso_deferred_mss */
		return false;
	}
	srtt_ns = (u64)tp->srtt_us * (1000 / 8);
	expected_ack = TCP_SKB_CB(head)->tx_stamp + srtt_ns;
	threshold = TN_MIN(srtt_ns >> 1, (u64)1000000ull);
	/* Linux also waits for an ACK that is already overdue; here an
	 * overdue ACK (a delayed or lost one) ends the wait at once rather
	 * than at the next timer (docs/deviations.md). */
	if ((s64)(expected_ack - now - threshold) > 0 || expected_ack < now)
		return false;
	if (cong_win < send_win) {
		if (cong_win <= skb->len) {
			*is_cwnd_limited = true;
			return true;
		}
	} else if (send_win <= skb->len) {
		return true;
	}
	if ((TCP_SKB_CB(skb)->tcp_flags & TCPHDR_FIN) || TCP_SKB_CB(skb)->eor)
		return false;
	return true;
}

/*
 * Send new data from the send head while the congestion window, the
 * peer's window and Nagle allow (Linux's tcp_write_xmit). A multi-segment
 * skb goes as one GSO packet of as many segments as cwnd, the window and
 * tcp_tso_segs allow; the rest is cut off (tso_fragment) and waits. An
 * skb larger than the MSS (the MSS fell since it was queued) on a device
 * without GSO is cut at the MSS. Returns true when nothing is in flight
 * and data is still waiting: the caller arms the persist timer (RFC 9293
 * 3.8.6.1).
 */
static bool tcp_write_xmit(struct sock *sk, unsigned int mss_now, int nonagle, int push_one)
{
	struct tcp_sock *tp = tcp_sk(sk);
	bool is_cwnd_limited = false;
	u32 max_segs = tcp_tso_segs(sk, mss_now);
	struct sk_buff *skb;
	u32 sent_pkts = 0;

	tcp_slow_start_after_idle_check(sk);
	while ((skb = tcp_send_head(sk))) {
		u32 tso_segs = tcp_init_tso_segs(skb, mss_now), limit = mss_now;
		enum tcp_xmit_verdict v;

		v = tcp_xmit_allowed(sk, skb, mss_now, nonagle, push_one, tso_segs);
		if (v == TCP_XMIT_CWND)
			is_cwnd_limited = true;
		if (v != TCP_XMIT_OK)
			break;
		if (tso_segs > 1 && !push_one &&
		    tcp_tso_should_defer(sk, skb, &is_cwnd_limited, max_segs))
			break;
		if (tso_segs > 1 && max_segs > 1)
			limit = tcp_mss_split_point(sk, skb, mss_now,
						    TN_MIN(TN_MAX(tcp_cwnd_test(tp), 1u), max_segs),
						    nonagle);
		if (skb->len > limit && tcp_fragment(sk, skb, limit, mss_now))
			break;
		if (tcp_transmit_skb(sk, skb, 1))
			break;
		tcp_event_new_data_sent(sk, skb);
		tcp_minshall_update(tp, mss_now, skb);
		sent_pkts += tcp_skb_pcount(skb);
		if (push_one)
			break;
	}
	is_cwnd_limited |= tcp_packets_in_flight(tp) >= tp->snd_cwnd;
	if (sent_pkts || is_cwnd_limited)
		tcp_cwnd_validate(sk, is_cwnd_limited);
	if (sent_pkts) {
		if (tcp_in_cwnd_reduction(sk))
			tp->prr_out += sent_pkts;
		/* One loss probe per tail loss episode (RFC 8985 7.2). */
		if (push_one != 2)
			tcp_schedule_loss_probe(sk, false);
		return false;
	}
	return !tp->packets_out && tcp_send_head(sk);
}

/* RFC 9293 3.8.6.1: nothing in flight, data waiting for the window: probe. */
static void tcp_check_probe_timer(struct sock *sk)
{
	if (!tcp_sk(sk)->packets_out && !inet_csk(sk)->icsk_pending)
		inet_csk_reset_xmit_timer(sk, ICSK_TIME_PROBE0, tcp_probe0_when(sk, TCP_RTO_MAX),
					  TCP_RTO_MAX);
}

void __tcp_push_pending_frames(struct sock *sk, unsigned int cur_mss, int nonagle)
{
	if (sk->sk_state == TCP_CLOSE)
		return;
	if (tcp_write_xmit(sk, cur_mss, nonagle, 0))
		tcp_check_probe_timer(sk);
}

void tcp_push_one(struct sock *sk, unsigned int mss_now)
{
	tcp_write_xmit(sk, mss_now, TCP_NAGLE_PUSH, 1);
}

/* ---- ACKs ------------------------------------------------------------------------ */

/* The sequence number for a segment without data: snd_nxt, unless the
 * peer shrank its window below it (RFC 9293 3.8.6.2.1 "the sender ... should
 * not send new data", Linux's tcp_acceptable_seq). */
static u32 tcp_acceptable_seq(const struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);

	if (!before(tcp_wnd_end(tp), tp->snd_nxt) ||
	    (tp->rx_opt.wscale_ok &&
	     tp->snd_nxt - tcp_wnd_end(tp) < (1u << tp->rx_opt.rcv_wscale)))
		return tp->snd_nxt;
	return tcp_wnd_end(tp);
}

/* A pure ACK with the current window; this clears the delayed ACK. An skb
 * that cannot be allocated leaves the ACK to the delayed-ACK timer, backed
 * off as Linux does. */
void __tcp_send_ack(struct sock *sk, u32 rcv_nxt)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct sk_buff *buff;

	if (sk->sk_state == TCP_CLOSE)
		return;
	buff = tcp_alloc_ctl_skb(sk);
	if (!buff) {
		u32 delay = TCP_DELACK_MAX << icsk->icsk_ack.retry;

		if (delay < TCP_RTO_MAX)
			icsk->icsk_ack.retry++;
		inet_csk_schedule_ack(sk);
		icsk->icsk_ack.ato = TCP_ATO_MIN;
		inet_csk_reset_xmit_timer(sk, ICSK_TIME_DACK, delay, TCP_RTO_MAX);
		return;
	}
	tcp_init_nondata_skb(buff, tcp_acceptable_seq(sk), TCPHDR_ACK);
	__tcp_transmit_skb(sk, buff, 0, rcv_nxt);
}

void tcp_send_ack(struct sock *sk)
{
	__tcp_send_ack(sk, tcp_sk(sk)->rcv_nxt);
}

/*
 * RFC 9293 3.8.6.3 / RFC 1122 4.2.3.2: delay the ACK by ato (40 ms at
 * least, 200 ms at most in interactive mode or when the peer pushed, else
 * 500 ms, and within one RTT), keeping an earlier deadline; if that
 * deadline is about to pass anyway, ACK now.
 */
void tcp_send_delayed_ack(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	const struct tcp_sock *tp = tcp_sk(sk);
	u64 now = jiffies(tcp_stack(sk));
	/* As Linux's: ato is 0 until the first data segment
	 * (tcp_event_data_recv), so a FIN or a window probe on a
	 * connection that never received data is ACKed at the next tick. */
	u32 ato = icsk->icsk_ack.ato;
	u64 timeout;

	if (ato > TCP_DELACK_MIN) {
		u32 max_ato = HZ / 2;

		if (inet_csk_in_pingpong_mode(sk) || (icsk->icsk_ack.pending & ICSK_ACK_PUSHED))
			max_ato = TCP_DELACK_MAX;
		if (tp->srtt_us) {
			u32 rtt = TN_MAX((tp->srtt_us >> 3) / 1000, (u32)TCP_DELACK_MIN);

			if (rtt < max_ato)
				max_ato = rtt;
		}
		ato = TN_MIN(ato, max_ato);
	}
	ato = TN_MIN(ato, (u32)TCP_DELACK_MAX);
	timeout = now + ato;
	if (icsk->icsk_ack.pending & ICSK_ACK_TIMER) {
		if (icsk->icsk_ack.timeout <= now + (ato >> 2)) {
			tcp_send_ack(sk);
			return;
		}
		if (timeout >= icsk->icsk_ack.timeout)
			timeout = icsk->icsk_ack.timeout;
	}
	icsk->icsk_ack.pending |= ICSK_ACK_SCHED | ICSK_ACK_TIMER;
	icsk->icsk_ack.timeout = timeout;
	tn_mod_timer(tcp_stack(sk), &icsk->icsk_delack_timer, timeout);
}

/* ---- FIN and RST --------------------------------------------------------------- */

/* RFC 9293 3.10.4 CLOSE: queue a FIN after the data; it rides on the last
 * queued segment when that has not been sent yet. */
void tcp_send_fin(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *tail = tcp_send_head(sk) ? skb_peek_tail(&sk->sk_write_queue) : NULL;

	if (tail) {
		TCP_SKB_CB(tail)->tcp_flags |= TCPHDR_FIN;
		TCP_SKB_CB(tail)->end_seq++;
		tp->write_seq++;
	} else {
		struct sk_buff *skb = tcp_alloc_ctl_skb(sk);

		/* XXX Linux forces the allocation; without memory the FIN
		 * waits for the next call (tcp_close retries through
		 * the timers). */
		if (!skb)
			return;
		tcp_init_nondata_skb(skb, tp->write_seq, TCPHDR_ACK | TCPHDR_FIN);
		tcp_queue_skb(sk, skb);
	}
	__tcp_push_pending_frames(sk, tcp_current_mss(sk), TCP_NAGLE_OFF);
}

/* RFC 9293 3.10.4 ABORT / 3.10.7: a RST (with ACK) from a connection; not
 * queued, never retransmitted. TcpOutRsts. */
void tcp_send_active_reset(struct sock *sk)
{
	struct sk_buff *skb;

	__TCP_INC_STATS(sock_net(sk), TCP_MIB_OUTRSTS);
	skb = tcp_alloc_ctl_skb(sk);
	if (!skb) {
		__NET_INC_STATS(sock_net(sk), LINUX_MIB_TCPABORTFAILED);
		return;
	}
	tcp_init_nondata_skb(skb, tcp_acceptable_seq(sk), TCPHDR_ACK | TCPHDR_RST);
	if (tcp_transmit_skb(sk, skb, 0))
		__NET_INC_STATS(sock_net(sk), LINUX_MIB_TCPABORTFAILED);
}

/* ---- connection set-up ---------------------------------------------------------- */

/* Linux's tcp_connect_init: MSS, window and scale from the route and the
 * buffers, sequence state from the ISN in write_seq. */
static void tcp_connect_init(struct sock *sk, struct rtable *rt)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcp_net *tn = tcp_net(sk);
	u8 rcv_wscale;

	tp->tcp_header_len = TCP_HDR_LEN + (tn->sysctl_tcp_timestamps ? TCPOLEN_TSTAMP_ALIGNED : 0);
	if (!tp->rx_opt.mss_clamp)
		tp->rx_opt.mss_clamp = TCP_MSS_DEFAULT;
	if (tp->rx_opt.user_mss)
		tp->rx_opt.mss_clamp = tp->rx_opt.user_mss;
	tp->max_window = 0;
	tcp_mtup_init(sk);
	tcp_sync_mss(sk, ipv4_mtu(rt));
	tp->advmss = tcp_mss_clamp(tp, tcp_dst_advmss(rt));
	/* Our guess of the peer's MSS until it sends (tcp_initialize_rcv_mss). */
	inet_csk(sk)->icsk_ack.rcv_mss =
		(u16)TN_MAX(TN_MIN(TN_MIN((u32)tp->advmss, tp->mss_cache), (u32)TCP_MSS_DEFAULT),
			    (u32)TCP_MIN_MSS);
	if ((sk->sk_userlocks & SOCK_RCVBUF_LOCK) &&
	    (tp->window_clamp > (u32)tcp_full_space(sk) || tp->window_clamp == 0))
		tp->window_clamp = (u32)tcp_full_space(sk);
	tcp_select_initial_window(sk, tcp_full_space(sk),
				  tp->advmss - (tp->rx_opt.ts_recent_stamp ?
						tp->tcp_header_len - TCP_HDR_LEN : 0),
				  &tp->rcv_wnd, &tp->window_clamp, tn->sysctl_tcp_window_scaling,
				  &rcv_wscale, 0);
	tp->rx_opt.rcv_wscale = rcv_wscale & 0xf;
	tp->rcv_ssthresh = tp->rcv_wnd;
	sk->sk_err = 0;
	sock_reset_flag(sk, SOCK_DONE);
	tp->snd_wnd = 0;
	tp->snd_wl1 = 0;
	tp->snd_una = tp->write_seq;
	tp->snd_sml = tp->write_seq;
	tp->snd_up = tp->write_seq;
	tp->snd_nxt = tp->write_seq;
	tp->rcv_nxt = 0;
	tp->rcv_wup = 0;
	tp->copied_seq = 0;
	inet_csk(sk)->icsk_rto = TCP_TIMEOUT_INIT;
	inet_csk(sk)->icsk_retransmits = 0;
	tp->retrans_out = tp->lost_out = tp->sacked_out = 0;
	tp->undo_marker = 0;
	tp->undo_retrans = -1;
	tp->total_retrans = 0;
}

/* 0 stands for "none" in retrans_stamp; a clock at 0 ns stores 1. */
static u64 tcp_stamp_ns(const struct sock *sk)
{
	u64 now = tn_now(tcp_stack(sk));

	return now ? now : 1;
}

int tcp_connect(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *buff;
	struct rtable *rt;
	int err;

	rt = tcp_sk_route(sk);
	if (!rt)
		return -EHOSTUNREACH;
	tcp_connect_init(sk, rt);
	buff = tcp_alloc_ctl_skb(sk);
	if (!buff)
		return -ENOBUFS;
	tcp_init_nondata_skb(buff, tp->write_seq, TCPHDR_SYN);
	tp->retrans_stamp = tcp_stamp_ns(sk);
	/* The SYN is queued as sent: it is retransmitted like data. */
	tp->write_seq = TCP_SKB_CB(buff)->end_seq;
	sk->sk_wmem_queued += (int)buff->truesize;
	__skb_queue_tail(&sk->sk_write_queue, buff);
	tp->packets_out += tcp_skb_pcount(buff);
	err = tcp_transmit_skb(sk, buff, 1);
	if (err == -ECONNREFUSED)
		return err;
	/* snd_nxt moves after the send, so the SYN counts in TcpOutSegs. */
	tp->snd_nxt = tp->write_seq;
	tp->pushed_seq = tp->write_seq;
	__TCP_INC_STATS(sock_net(sk), TCP_MIB_ACTIVEOPENS);
	inet_csk_reset_xmit_timer(sk, ICSK_TIME_RETRANS, inet_csk(sk)->icsk_rto, TCP_RTO_MAX);
	return 0;
}

/* Simultaneous open (RFC 9293 3.10.7.3): our SYN again, now with ACK. */
int tcp_send_synack(struct sock *sk)
{
	struct sk_buff *skb = skb_peek(&sk->sk_write_queue);

	if (!skb || !(TCP_SKB_CB(skb)->tcp_flags & TCPHDR_SYN))
		return -EFAULT;
	TCP_SKB_CB(skb)->tcp_flags |= TCPHDR_ACK;
	return tcp_transmit_skb(sk, skb, 1);
}

struct sk_buff *tcp_make_synack(const struct sock *sk, struct dst_entry *dst,
				struct request_sock *req)
{
	struct tcp_out_options opts = { 0 };
	struct sk_buff *skb = tcp_alloc_ctl_skb(sk);
	struct rtable *rt = dst ? dst_rtable(dst) : NULL;
	u16 mss = tcp_mss_clamp(tcp_sk(sk), rt ? tcp_dst_advmss(rt) : 1460);
	u32 tsval = tcp_tsval_now(sk, req->ts_off);
	unsigned int hdr_len;
	u8 *th;

	if (!skb)
		return NULL;
	hdr_len = TCP_HDR_LEN + tcp_synack_options(req, mss, tsval, &opts);
	th = skb_push(skb, hdr_len);
	skb_reset_transport_header(skb);
	put_be16(th, req->rsk_num);
	put_be16(th + 2, req->rsk_rmt_port);
	put_be32(th + 4, req->snt_isn);
	put_be32(th + 8, req->rcv_isn + 1);
	put_be16(th + 12, (u16)(((hdr_len >> 2) << 12) | TCPHDR_SYN | TCPHDR_ACK));
	put_be16(th + 14, (u16)TN_MIN(req->rcv_wnd, 65535u));   /* RFC 7323 2.2: unscaled */
	put_be32(th + 16, 0);
	tcp_options_write(th + TCP_HDR_LEN, &opts);
	put_be16(th + 16, csum_tcpudp_magic(req->rsk_laddr, req->rsk_daddr, skb->len, IPPROTO_TCP,
					    csum_partial(th, skb->len, 0)));
	skb->ip_summed = CHECKSUM_NONE;
	if (req->tstamp_ok)
		req->snt_synack_ts = tsval;
	__TCP_INC_STATS(sock_net(sk), TCP_MIB_OUTSEGS);
	return skb;
}

/* ---- retransmission -------------------------------------------------------------- */

/* How much of skb may go again: the peer's window (a window shrunk to zero
 * still lets the head go as a probe), at most segs MSS. */
static int tcp_retrans_len(struct sock *sk, const struct sk_buff *skb, int segs, u32 *lenp)
{
	struct tcp_sock *tp = tcp_sk(sk);
	u32 cur_mss = tcp_current_mss(sk);
	s32 avail_wnd = (s32)(tcp_wnd_end(tp) - TCP_SKB_CB(skb)->seq);
	u32 len;

	if (avail_wnd <= 0) {
		if (TCP_SKB_CB(skb)->seq != tp->snd_una)
			return -EAGAIN;
		avail_wnd = (s32)cur_mss;
	}
	len = cur_mss * (u32)segs;
	if (len > (u32)avail_wnd) {
		len = (u32)avail_wnd / cur_mss * cur_mss;
		if (!len)
			len = (u32)avail_wnd;
	}
	*lenp = len;
	return 0;
}

/*
 * Send skb again (RFC 9293 3.8.1, RFC 6298 5.4): what the peer already
 * ACKed is trimmed off (a SYN that was ACKed loses its SYN), the rest cut
 * to the window and MSS. TcpRetransSegs, TCPSynRetrans, total_retrans;
 * EVER_RETRANS so that its later ACK gives no RTT sample (Karn).
 */
int __tcp_retransmit_skb(struct sock *sk, struct sk_buff *skb, int segs)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct net *net = sock_net(sk);
	struct tcp_skb_cb *tcb = TCP_SKB_CB(skb);
	u32 len;
	int err;

	inet_csk(sk)->icsk_mtup.probe_size = 0;
	if (before(tcb->seq, tp->snd_una)) {
		if (tcb->tcp_flags & TCPHDR_SYN) {
			tcb->tcp_flags &= (u8)~TCPHDR_SYN;
			tcb->seq++;
		}
		if (before(tcb->end_seq, tp->snd_una))
			return -EINVAL;
		if (before(tcb->seq, tp->snd_una))
			tcp_trim_head(skb, tp->snd_una - tcb->seq);
	}
	if (!tcp_sk_route(sk))
		return -EHOSTUNREACH;
	err = tcp_retrans_len(sk, skb, segs, &len);
	if (err)
		return err;
	if (skb->len > len && tcp_fragment(sk, skb, len, tcp_current_mss(sk)))
		return -ENOMEM;
	__TCP_INC_STATS(net, TCP_MIB_RETRANSSEGS);
	if (tcb->tcp_flags & TCPHDR_SYN)
		__NET_INC_STATS(net, LINUX_MIB_TCPSYNRETRANS);
	tp->total_retrans++;
	tp->bytes_retrans += skb->len;
	err = tcp_transmit_skb(sk, skb, 1);
	if (err && err != -EBUSY)
		__NET_INC_STATS(net, LINUX_MIB_TCPRETRANSFAIL);
	tcb->sacked |= TCPCB_EVER_RETRANS;
	return err;
}

int tcp_retransmit_skb(struct sock *sk, struct sk_buff *skb, int segs)
{
	struct tcp_sock *tp = tcp_sk(sk);
	int err = __tcp_retransmit_skb(sk, skb, segs);

	if (err == 0) {
		TCP_SKB_CB(skb)->sacked |= TCPCB_RETRANS;
		tp->retrans_out += tcp_skb_pcount(skb);
	}
	if (!tp->retrans_stamp)
		tp->retrans_stamp = tcp_stamp_ns(sk);
	if (tp->undo_retrans < 0)
		tp->undo_retrans = 0;
	tp->undo_retrans += (int)tcp_skb_pcount(skb);
	return err;
}

/*
 * Retransmit what the scoreboard marked LOST, lowest sequence first, as
 * cwnd allows (RFC 6675 NextSeg rule 1; rules 2-4, new data and rescue
 * retransmissions, are tcp_write_xmit's and tcp_input's). The head going
 * again restarts the timer (RFC 6298 5.3).
 */
void tcp_xmit_retransmit_queue(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb, *head = tcp_rtx_queue_head(sk);
	bool rearm = false;

	if (!tp->packets_out || !head)
		return;
	for (skb = head; skb && skb != tp->send_head;
	     skb = tcp_skb_is_last(sk, skb) ? NULL : skb->next) {
		u8 sacked = TCP_SKB_CB(skb)->sacked;
		int mib;

		if ((s32)(tp->snd_cwnd - tcp_packets_in_flight(tp)) <= 0)
			break;
		if (tp->retrans_out >= tp->lost_out)
			break;
		if (!(sacked & TCPCB_LOST) || (sacked & (TCPCB_SACKED_ACKED | TCPCB_SACKED_RETRANS)))
			continue;
		mib = icsk->icsk_ca_state != TCP_CA_Loss ? LINUX_MIB_TCPFASTRETRANS
							  : LINUX_MIB_TCPSLOWSTARTRETRANS;
		if (tcp_retransmit_skb(sk, skb, 1))
			break;
		__NET_INC_STATS(sock_net(sk), mib);
		if (tcp_in_cwnd_reduction(sk))
			tp->prr_out += tcp_skb_pcount(skb);
		if (skb == head && icsk->icsk_pending != ICSK_TIME_REO_TIMEOUT)
			rearm = true;
	}
	if (rearm)
		inet_csk_reset_xmit_timer(sk, ICSK_TIME_RETRANS, icsk->icsk_rto, TCP_RTO_MAX);
}

/* ---- tail loss probe (RFC 8985 7, Linux's tcp_schedule_loss_probe) ---------------- */

/*
 * RFC 8985 7.2 with Linux's numbers: PTO = 2 SRTT, plus TCP_RTO_MIN when
 * one segment is out (the peer may be holding a delayed ACK for it), else
 * plus 2 ms; 1 s without an RTT sample; never later than the RTO would
 * fire. Only with SACK, in Open or CWR, with net.ipv4.tcp_early_retrans 3
 * or 4.
 */
bool tcp_schedule_loss_probe(struct sock *sk, bool advancing_rto)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	int early_retrans = tcp_net(sk)->sysctl_tcp_early_retrans;
	u64 timeout;
	s64 rto_delta_us;

	if ((early_retrans != 3 && early_retrans != 4) || !tp->packets_out || !tcp_is_sack(tp) ||
	    (icsk->icsk_ca_state != TCP_CA_Open && icsk->icsk_ca_state != TCP_CA_CWR))
		return false;
	if (tp->srtt_us) {
		u64 timeout_us = tp->srtt_us >> 2;
		u32 rto_min = icsk->icsk_rto_min ? icsk->icsk_rto_min : TCP_RTO_MIN;

		timeout_us += tp->packets_out == 1 ? (u64)rto_min * 1000u : TCP_TIMEOUT_MIN_US;
		timeout = (timeout_us + 999) / 1000;        /* usecs_to_jiffies */
	} else {
		timeout = TCP_TIMEOUT_INIT;
	}
	rto_delta_us = advancing_rto ? (s64)icsk->icsk_rto * 1000 : tcp_rto_delta_us(sk);
	if (rto_delta_us > 0)
		timeout = TN_MIN(timeout, ((u64)rto_delta_us + 999) / 1000);
	inet_csk_reset_xmit_timer(sk, ICSK_TIME_LOSS_PROBE, timeout, TCP_RTO_MAX);
	return true;
}

/*
 * The probe timer fired (RFC 8985 7.3, Linux's tcp_send_loss_probe): one
 * probe at a time, new data when the window allows, else the last segment
 * sent goes again (its last MSS, if it is a multi-segment skb; not counted
 * as a retransmission in flight, as Linux's __tcp_retransmit_skb).
 * TcpExtTCPLossProbes; the RTO is re-armed from now.
 */
void tcp_send_loss_probe(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb;
	unsigned int mss = tcp_current_mss(sk);

	if (tp->tlp_high_seq)
		goto rearm_timer;
	tp->tlp_retrans = 0;
	skb = tcp_send_head(sk);
	if (skb && tcp_snd_wnd_test(tp, skb, mss)) {
		u32 pcount = tp->packets_out;

		tcp_write_xmit(sk, mss, TCP_NAGLE_OFF, 2);
		if (tp->packets_out > pcount)
			goto probe_sent;
		goto rearm_timer;
	}
	skb = tp->send_head ? tp->send_head->prev : skb_peek_tail(&sk->sk_write_queue);
	if (!skb || skb == (struct sk_buff *)&sk->sk_write_queue) {
		inet_csk(sk)->icsk_pending = 0;
		return;
	}
	/* A multi-segment (GSO) skb: probe with its last MSS only, as Linux
	 * cuts it with tcp_fragment before retransmitting. */
	u32 pcount = tcp_skb_pcount(skb);
	if (pcount > 1 && skb->len > (pcount - 1) * mss) {
		if (tcp_fragment(sk, skb, (pcount - 1) * mss, mss))
			goto rearm_timer;
		skb = skb->next;
	}
	if (__tcp_retransmit_skb(sk, skb, 1))
		goto rearm_timer;
	tp->tlp_retrans = 1;
probe_sent:
	tp->tlp_high_seq = tp->snd_nxt;
	__NET_INC_STATS(sock_net(sk), LINUX_MIB_TCPLOSSPROBES);
	inet_csk(sk)->icsk_pending = 0;        /* tcp_rearm_rto: from now */
rearm_timer:
	tcp_rearm_rto(sk);
}

/* ---- probes ---------------------------------------------------------------------- */

/* An ACK with an old sequence number, which the peer must answer (RFC 9293
 * 3.8.6.1 zero-window probe without data, RFC 1122 4.2.3.6 keepalive). */
static int tcp_xmit_probe_skb(struct sock *sk, int urgent, int mib)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb = tcp_alloc_ctl_skb(sk);

	if (!skb)
		return -1;
	tcp_init_nondata_skb(skb, tp->snd_una - !urgent, TCPHDR_ACK);
	__NET_INC_STATS(sock_net(sk), mib);
	return tcp_transmit_skb(sk, skb, 0);
}

/* Probe: send what fits of the send head into an opening window, or a
 * bare ACK below snd_una (Linux's tcp_write_wakeup). <= 0: sent (or
 * nothing to do), > 0: local congestion. */
int tcp_write_wakeup(struct sock *sk, int mib)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb = tcp_send_head(sk);

	if (sk->sk_state == TCP_CLOSE)
		return -1;
	if (skb && before(TCP_SKB_CB(skb)->seq, tcp_wnd_end(tp))) {
		unsigned int mss = tcp_current_mss(sk);
		u32 seg_size = tcp_wnd_end(tp) - TCP_SKB_CB(skb)->seq;
		int err;

		if (before(tp->pushed_seq, TCP_SKB_CB(skb)->end_seq))
			tp->pushed_seq = TCP_SKB_CB(skb)->end_seq;
		/* The window opened less than the segment: SWS avoidance held
		 * it; send what fits. */
		if (seg_size < TCP_SKB_CB(skb)->end_seq - TCP_SKB_CB(skb)->seq || skb->len > mss) {
			seg_size = TN_MIN(seg_size, mss);
			TCP_SKB_CB(skb)->tcp_flags |= TCPHDR_PSH;
			if (seg_size < skb->len && tcp_fragment(sk, skb, seg_size, mss))
				return -1;
		}
		TCP_SKB_CB(skb)->tcp_flags |= TCPHDR_PSH;
		err = tcp_transmit_skb(sk, skb, 1);
		if (!err)
			tcp_event_new_data_sent(sk, skb);
		return err;
	}
	if (between(tp->snd_up, tp->snd_una + 1, tp->snd_una + 0xffff))
		tcp_xmit_probe_skb(sk, 1, mib);
	return tcp_xmit_probe_skb(sk, 0, mib);
}

/*
 * The persist timer fired (RFC 9293 3.8.6.1, RFC 1122 4.2.2.17): probe the
 * zero window and back off like the RTO, as long as nothing is in flight
 * and data waits.
 */
void tcp_send_probe0(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	u64 timeout;
	int err;

	err = tcp_write_wakeup(sk, LINUX_MIB_TCPWINPROBE);
	if (tp->packets_out || !tcp_send_head(sk)) {
		icsk->icsk_probes_out = 0;
		icsk->icsk_backoff = 0;
		icsk->icsk_probes_tstamp = 0;
		return;
	}
	icsk->icsk_probes_out++;
	if (err <= 0) {
		if (icsk->icsk_backoff < tcp_net(sk)->sysctl_tcp_retries2)
			icsk->icsk_backoff++;
		timeout = tcp_probe0_when(sk, TCP_RTO_MAX);
	} else {
		timeout = TCP_RESOURCE_PROBE_INTERVAL;
	}
	if (icsk->icsk_user_timeout && icsk->icsk_probes_tstamp) {
		s32 elapsed = (s32)(tcp_jiffies32(sk) - icsk->icsk_probes_tstamp);
		s32 remaining = (s32)icsk->icsk_user_timeout - elapsed;

		timeout = remaining <= 0 ? 1 : TN_MIN(timeout, (u64)remaining);
	}
	inet_csk_reset_xmit_timer(sk, ICSK_TIME_PROBE0, timeout, TCP_RTO_MAX);
}
