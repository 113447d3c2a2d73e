/*
 * TCP over IPv4 (Linux's net/ipv4/tcp_ipv4.c): where segments come in
 * (tcp_v4_rcv: header and checksum checks, TCP_SKB_CB, lookup, dispatch to
 * the state machines), what is answered without a socket (RST and bare
 * ACKs, RFC 9293 3.10.7.1), active open (tcp_v4_connect: route, source
 * address, port, RFC 6528 ISN), SYN-ACKs and children of listeners, ICMP
 * errors (tcp_v4_err, path MTU, RFC 6069's RTO revert), tcp_prot, and the
 * per-namespace set-up of TCP with its net.ipv4.tcp_* sysctls.
 *
 * Not here: the state machine proper (tcp_input.c), segment building for
 * connections (tcp_output.c), timers (tcp_timer.c), socket calls (tcp.c),
 * the tables (inet_hashtables.c), request and timewait socks
 * (tcp_minisocks.c), listen/accept (inet_connection_sock.c).
 */
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/skbuff.h"
#include "net/checksum.h"
#include "net/dst.h"
#include "net/icmp.h"
#include "net/inet_hashtables.h"
#include "net/ip.h"
#include "net/net_namespace.h"
#include "net/netdevice.h"
#include "net/protocol.h"
#include "net/route.h"
#include "net/stack.h"
#include "net/sysctl.h"
#include "net/tcp.h"
#include "net/udp.h"         /* icmp_err_convert */
#include "net/wire/icmp.h"
#include "net/wire/tcp.h"
#include "lib/hash.h"

/* ---- RFC 6528 initial sequence numbers, timestamp offsets ----------------------- */

/*
 * ISN = M + F(localip, localport, remoteip, remoteport, secretkey), M the
 * stack clock in 64 ns units (Linux's seq_scale: ns >> 6), F a keyed hash
 * (jhash here, siphash in Linux).
 */
u32 secure_tcp_seq(const struct net *net, u32 saddr, u32 daddr, u16 sport, u16 dport)
{
	const u32 *k = net->ipv4.tcp->isn_secret;
	u32 h = jhash_3words(saddr ^ k[0], daddr ^ k[1], (u32)sport << 16 | dport, k[2]);

	return h + (u32)(tn_now(net->stack) >> 6);
}

/* RFC 7323 5.4: a per-destination TSval offset, so that timestamps reveal
 * neither uptime nor other connections (tcp_timestamps = 1 only). */
u32 secure_tcp_ts_off(const struct net *net, u32 saddr, u32 daddr)
{
	const u32 *k = net->ipv4.tcp->isn_secret;

	if (net->ipv4.tcp->sysctl_tcp_timestamps != 1)
		return 0;
	return jhash_2words(saddr, daddr, k[3]);
}

/* ---- segments without a socket: RST and ACK ------------------------------------- */

/* A full socket, not a timewait or request sock sharing sock_common. */
static bool sk_fullsock(const struct sock *sk)
{
	return sk->sk_state != TCP_TIME_WAIT && sk->sk_state != TCP_NEW_SYN_RECV;
}

static u8 tcp_ctl_pmtudisc(const struct sock *sk)
{
	/* Linux's control socket and listeners send DF with IP ID 0. */
	if (sk && sk_fullsock(sk) && inet_sk(sk)->pmtudisc == IP_PMTUDISC_DONT)
		return IP_PMTUDISC_DONT;
	return IP_PMTUDISC_DO;
}

/*
 * Build a header-only segment answering skb (addresses and ports swapped)
 * and send it (Linux's ip_send_unicast_reply). opts: optlen bytes.
 */
static void tcp_v4_send_ctl(struct net *net, const struct sock *sk, struct sk_buff *skb,
			    struct tcp_repr *rep, const u8 *opts, u8 optlen, u8 tos)
{
	struct ipv4_repr iph;
	struct ip_tx_params p = { .pmtudisc = tcp_ctl_pmtudisc(sk), .tos = tos };
	struct sk_buff *nskb;
	u8 *th;

	ip_hdr_repr(skb, &iph);
	nskb = alloc_skb(net->stack, MAX_HEADER + TCP_HLEN_MAX);
	if (!nskb)
		return;
	skb_reserve(nskb, MAX_HEADER);
	rep->doff = (u8)(TCP_HLEN_MIN + optlen);
	rep->options = opts;
	th = skb_put(nskb, rep->doff);
	rep->check = 0;
	tcp_hdr_emit(rep, th);
	put_be16(th + 16, csum_tcpudp_magic(iph.daddr, iph.saddr, rep->doff, IPPROTO_TCP,
					    csum_partial(th, rep->doff, 0)));
	if (sk)
		p.oif = sk->sk_bound_dev_if;
	if (sk && sk_fullsock(sk)) {
		p.mark = sk->sk_mark;
		p.priority = sk->sk_priority;
		if (inet_sk(sk)->uc_ttl > 0)
			p.ttl = (u8)inet_sk(sk)->uc_ttl;
	}
	__TCP_INC_STATS(net, TCP_MIB_OUTSEGS);
	ip_build_and_send(net, NULL, nskb, iph.daddr, iph.saddr, IPPROTO_TCP, &p);
}

void tcp_v4_send_reset(const struct sock *sk, struct sk_buff *skb)
{
	struct net *net = sk ? sock_net(sk) : dev_net(skb->dev);
	const struct tcp_skb_cb *cb = TCP_SKB_CB(skb);
	struct tcp_repr th, rep = { 0 };
	struct ipv4_repr iph;

	if (tcp_hdr_parse(skb_transport_header(skb), skb->len, &th) || (th.flags & TCPHDR_RST))
		return;
	/* Only for a segment that was unicast to us. */
	if (!sk && (!skb->dst || skb_rtable(skb)->rt_type != RTN_LOCAL))
		return;
	ip_hdr_repr(skb, &iph);
	rep.source = th.dest;
	rep.dest = th.source;
	rep.flags = TCPHDR_RST;
	/* RFC 9293 3.10.7.1: <SEQ=SEG.ACK><CTL=RST> if the segment has an
	 * ACK, else <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>. */
	if (th.flags & TCPHDR_ACK) {
		rep.seq = th.ack_seq;
	} else {
		rep.flags |= TCPHDR_ACK;
		rep.ack_seq = cb->end_seq;
	}
	tcp_v4_send_ctl(net, sk, skb, &rep, NULL, 0, iph.tos & ~0x3);
	__TCP_INC_STATS(net, TCP_MIB_OUTRSTS);
}

void tcp_v4_send_ack(const struct sock *sk, struct sk_buff *skb, u32 seq, u32 ack, u32 win,
		     u32 tsval, u32 tsecr, bool ts)
{
	struct net *net = sk ? sock_net(sk) : dev_net(skb->dev);
	struct tcp_repr th, rep = { 0 };
	struct ipv4_repr iph;
	u8 opts[TCPOLEN_TSTAMP_ALIGNED];

	if (tcp_hdr_parse(skb_transport_header(skb), skb->len, &th))
		return;
	ip_hdr_repr(skb, &iph);
	rep.source = th.dest;
	rep.dest = th.source;
	rep.seq = seq;
	rep.ack_seq = ack;
	rep.flags = TCPHDR_ACK;
	rep.window = (u16)TN_MIN(win, 65535u);
	if (ts) {
		opts[0] = TCPOPT_NOP;
		opts[1] = TCPOPT_NOP;
		opts[2] = TCPOPT_TIMESTAMP;
		opts[3] = TCPOLEN_TIMESTAMP;
		put_be32(opts + 4, tsval);
		put_be32(opts + 8, tsecr);
	}
	tcp_v4_send_ctl(net, sk, skb, &rep, ts ? opts : NULL, ts ? sizeof(opts) : 0,
			sk && sk_fullsock(sk) ? inet_sk(sk)->tos : (iph.tos & ~0x3));
}

/* ---- SYN-ACK ------------------------------------------------------------------ */

/*
 * Options of a SYN-ACK in Linux's order (tcp_options_write): MSS, then
 * SACK-permitted folded into the timestamp's padding, or NOP NOP TS, or
 * NOP NOP SACK-permitted; then NOP and window scale.
 */
static u8 tcp_synack_options(const struct request_sock *req, u16 mss, u32 tsval, u8 *p)
{
	u8 *start = p;

	*p++ = TCPOPT_MSS;
	*p++ = TCPOLEN_MSS;
	put_be16(p, mss);
	p += 2;
	if (req->tstamp_ok) {
		if (req->sack_ok) {
			*p++ = TCPOPT_SACK_PERM;
			*p++ = TCPOLEN_SACK_PERM;
		} else {
			*p++ = TCPOPT_NOP;
			*p++ = TCPOPT_NOP;
		}
		*p++ = TCPOPT_TIMESTAMP;
		*p++ = TCPOLEN_TIMESTAMP;
		put_be32(p, tsval);
		put_be32(p + 4, req->ts_recent);
		p += 8;
	} else if (req->sack_ok) {
		*p++ = TCPOPT_NOP;
		*p++ = TCPOPT_NOP;
		*p++ = TCPOPT_SACK_PERM;
		*p++ = TCPOLEN_SACK_PERM;
	}
	if (req->wscale_ok) {
		*p++ = TCPOPT_NOP;
		*p++ = TCPOPT_WINDOW;
		*p++ = TCPOLEN_WINDOW;
		*p++ = req->rcv_wscale;
	}
	return (u8)(p - start);
}

/* The MSS we advertise on a route (Linux's dst_metric_advmss), clamped by
 * the listener's TCP_MAXSEG. */
u16 tcp_v4_advmss(const struct sock *sk, u32 mtu)
{
	u32 mss = mtu > 40 ? mtu - 40 : TCP_MIN_MSS;
	u16 user_mss = sk ? tcp_sk(sk)->rx_opt.user_mss : 0;

	if (mss > 65535 - 40)
		mss = 65535 - 40;
	if (user_mss && user_mss < mss)
		mss = user_mss;
	return (u16)mss;
}

int tcp_v4_send_synack(const struct sock *sk, struct request_sock *req)
{
	struct net *net = sock_net(sk);
	struct flowi4 fl4 = { .flowi4_oif = sk->sk_bound_dev_if, .flowi4_proto = IPPROTO_TCP,
			      .saddr = req->rsk_laddr, .daddr = req->rsk_daddr,
			      .fl4_sport = req->rsk_num, .fl4_dport = req->rsk_rmt_port };
	struct ip_tx_params p = { .pmtudisc = tcp_ctl_pmtudisc(sk), .tos = inet_sk(sk)->tos,
				  .oif = sk->sk_bound_dev_if, .mark = sk->sk_mark };
	struct tcp_repr th = { 0 };
	struct rtable *rt;
	struct sk_buff *skb;
	u8 opts[TCP_HLEN_MAX - TCP_HLEN_MIN];
	u32 tsval = 0;
	int err;
	u8 *h;

	err = ip_route_output_key(net, &fl4, &rt);
	if (err) {
		__IP_INC_STATS(net, IPSTATS_MIB_OUTNOROUTES);
		return err;
	}
	skb = alloc_skb(net->stack, MAX_HEADER + TCP_HLEN_MAX);
	if (!skb) {
		ip_rt_put(rt);
		return -ENOMEM;
	}
	skb_reserve(skb, MAX_HEADER);
	if (req->tstamp_ok)
		tsval = (req->syncookie ? cookie_init_timestamp(req, tcp_ts_clock_ms(net->stack))
					: tcp_ts_clock_ms(net->stack)) + req->ts_off;
	req->snt_synack_ts = tsval;
	/* The first SYN-ACK's send time, for tcp_synack_rtt_meas (+ 1 ns:
	 * a stack clock at 0 must not read as "none"). */
	if (!req->snt_synack)
		req->snt_synack = tn_now(net->stack) + 1;
	th.source = req->rsk_num;
	th.dest = req->rsk_rmt_port;
	th.seq = req->snt_isn;
	th.ack_seq = req->rcv_isn + 1;
	th.flags = TCPHDR_SYN | TCPHDR_ACK;
	if (req->ecn_ok)
		th.flags |= TCPHDR_ECE;
	/* RFC 7323 2.2: the window of a SYN is never scaled. */
	th.window = (u16)TN_MIN(req->rcv_wnd, 65535u);
	th.doff = (u8)(TCP_HLEN_MIN +
		       tcp_synack_options(req, tcp_v4_advmss(sk, ipv4_mtu(rt)), tsval, opts));
	th.options = opts;
	h = skb_put(skb, th.doff);
	tcp_hdr_emit(&th, h);
	put_be16(h + 16, csum_tcpudp_magic(req->rsk_laddr, req->rsk_daddr, th.doff, IPPROTO_TCP,
					   csum_partial(h, th.doff, 0)));
	if (inet_sk(sk)->uc_ttl > 0)
		p.ttl = (u8)inet_sk(sk)->uc_ttl;
	__TCP_INC_STATS(net, TCP_MIB_OUTSEGS);
	return ip_send_routed(net, NULL, skb, rt, req->rsk_laddr, req->rsk_daddr, IPPROTO_TCP, &p);
}

/* ---- children of listeners ------------------------------------------------------ */

struct sock *tcp_v4_syn_recv_sock(const struct sock *sk, struct sk_buff *skb,
				  struct request_sock *req)
{
	struct net *net = sock_net(sk);
	struct flowi4 fl4 = { .flowi4_oif = sk->sk_bound_dev_if, .flowi4_proto = IPPROTO_TCP,
			      .saddr = req->rsk_laddr, .daddr = req->rsk_daddr };
	struct rtable *rt;
	struct sock *newsk;

	if (sk_acceptq_is_full(sk)) {
		__NET_INC_STATS(net, LINUX_MIB_LISTENOVERFLOWS);
		goto exit;
	}
	if (ip_route_output_key(net, &fl4, &rt))
		goto exit;
	newsk = tcp_create_openreq_child(sk, req, skb);
	if (!newsk) {
		ip_rt_put(rt);
		goto exit;
	}
	inet_sk(newsk)->inet_saddr = req->rsk_laddr;
	newsk->sk_dst_cache = &rt->dst;
	inet_csk(newsk)->icsk_pmtu_cookie = ipv4_mtu(rt);
	tcp_sk(newsk)->advmss = tcp_v4_advmss(sk, ipv4_mtu(rt));
	tcp_sync_mss(newsk, ipv4_mtu(rt));
	tcp_initialize_rcv_mss(newsk);
	if (__inet_inherit_port(sk, newsk) < 0) {
		newsk->sk_state = TCP_CLOSE;
		sock_set_flag(newsk, SOCK_DEAD);
		tcp_net(newsk)->orphan_count++;
		inet_csk_destroy_sock(newsk);
		goto exit;
	}
	inet_ehash_insert(&newsk->__sk_common, &req->__req_common);
	return newsk;

exit:
	__NET_INC_STATS(net, LINUX_MIB_LISTENDROPS);
	return NULL;
}

/* ---- receive --------------------------------------------------------------------- */

/* RFC 9293 3.1: the checksum covers the pseudo-header, header and data.
 * A packet whose checksum was left to the device (CHECKSUM_PARTIAL, from
 * veth, lo or a TAP's NEEDS_CSUM) never crossed a wire that could corrupt
 * it: trusted, as Linux's skb_csum_unnecessary trusts it. */
static bool tcp_v4_csum_ok(struct sk_buff *skb, const struct ipv4_repr *iph)
{
	if (skb->ip_summed == CHECKSUM_UNNECESSARY || skb->ip_summed == CHECKSUM_PARTIAL)
		return true;
	if (csum_tcpudp_magic(iph->saddr, iph->daddr, skb->len, IPPROTO_TCP,
			      csum_partial(skb->data, skb->len, 0)))
		return false;
	skb->ip_summed = CHECKSUM_UNNECESSARY;
	return true;
}

/* Linux's tcp_v4_fill_cb. IPCB shares skb->cb and is gone afterwards. */
static void tcp_v4_fill_cb(struct sk_buff *skb, const struct ipv4_repr *iph,
			   const struct tcp_repr *th)
{
	struct tcp_skb_cb *cb = TCP_SKB_CB(skb);

	memset(cb, 0, sizeof(*cb));
	cb->seq = th->seq;
	cb->end_seq = th->seq + !!(th->flags & TCPHDR_SYN) + !!(th->flags & TCPHDR_FIN) +
		      skb->len - th->doff;
	cb->ack_seq = th->ack_seq;
	cb->tcp_flags = th->flags;
	cb->ip_dsfield = iph->tos;
	cb->sacked = 0;
}

/* A segment for a request sock (NEW_SYN_RECV): the handshake's ACK. */
static int tcp_v4_rcv_req(struct sk_buff *skb, struct request_sock *req)
{
	struct sock *sk = req->rsk_listener;
	enum skb_drop_reason reason = SKB_CONSUMED;
	struct sock *nsk;

	if (sk->sk_state != TCP_LISTEN) {
		inet_csk_reqsk_queue_drop_and_put(sk, req);
		return -EAGAIN;                     /* look up again */
	}
	nsk = tcp_check_req(sk, skb, req, &reason);
	if (!nsk) {
		kfree_skb_reason(skb, reason);
		return 0;
	}
	if (nsk == sk)
		return tcp_v4_do_rcv(sk, skb);
	if (tcp_child_process(sk, nsk, skb)) {
		tcp_v4_send_reset(nsk, skb);
		kfree_skb_reason(skb, SKB_DROP_REASON_TCP_FLAGS);
	}
	return 0;
}

/* A segment for TIME_WAIT (RFC 9293 3.10.7.4, and Linux's reopening). */
static int tcp_v4_rcv_tw(struct sk_buff *skb, struct inet_timewait_sock *tw,
			 const struct ipv4_repr *iph, const struct tcp_repr *th)
{
	struct net *net = tw->__tw_common.skc_net;
	struct sock *sk2;

	switch (tcp_timewait_state_process(tw, skb)) {
	case TCP_TW_SYN:
		sk2 = __inet_lookup_listener(net, iph->saddr, th->source, iph->daddr, th->dest,
					     skb->skb_iif);
		if (sk2) {
			inet_twsk_kill(tw);
			return tcp_v4_do_rcv(sk2, skb);
		}
		/* no listener: ACK as for an old duplicate */
		/* fall through */
	case TCP_TW_ACK:
		tcp_v4_send_ack((const struct sock *)tw, skb, tw->tw_snd_nxt, tw->tw_rcv_nxt,
				tw->tw_rcv_wnd >> tw->tw_rcv_wscale,
				tcp_ts_clock_ms(net->stack) + tw->tw_ts_offset, tw->tw_ts_recent,
				tw->tw_ts_recent != 0);
		break;
	case TCP_TW_RST:
		tcp_v4_send_reset((const struct sock *)tw, skb);
		inet_twsk_kill(tw);
		break;
	case TCP_TW_SUCCESS:
		break;
	}
	consume_skb(skb);
	return 0;
}

/* No socket (RFC 9293 3.10.7.1, CLOSED): RST unless the segment is one. */
static int tcp_v4_no_socket(struct sk_buff *skb)
{
	tcp_v4_send_reset(NULL, skb);
	kfree_skb_reason(skb, SKB_DROP_REASON_NO_SOCKET);
	return 0;
}

/* A full socket's segment, with the socket held over its processing as
 * Linux's refcounted lookup (__inet_lookup_skb) holds it: a FIN in
 * FIN_WAIT2 replaces the socket by a TIME_WAIT and drops its last
 * reference (tcp_time_wait) while tcp_fin still has work to do on it. */
static int tcp_v4_rcv_sk(struct sock *sk, struct sk_buff *skb)
{
	int ret;

	sock_hold(sk);
	ret = tcp_v4_do_rcv(sk, skb);
	sock_put(sk);
	return ret;
}

int tcp_v4_rcv(struct sk_buff *skb)
{
	struct net *net = dev_net(skb->dev);
	enum skb_drop_reason reason;
	struct sock_common *skc;
	struct ipv4_repr iph;
	struct tcp_repr th;

	if (skb->pkt_type != PACKET_HOST) {
		kfree_skb_reason(skb, SKB_DROP_REASON_OTHERHOST);
		return 0;
	}
	__TCP_INC_STATS(net, TCP_MIB_INSEGS);
	if (skb->len < TCP_HLEN_MIN) {
		kfree_skb_reason(skb, SKB_DROP_REASON_PKT_TOO_SMALL);
		return 0;
	}
	/* A data offset below 5 words is an error (TcpInErrs); one past the
	 * segment's end is just dropped, as Linux's failed pskb_may_pull. */
	if ((skb->data[12] >> 4) < TCP_HLEN_MIN / 4) {
		reason = SKB_DROP_REASON_PKT_TOO_SMALL;
		goto bad_packet;
	}
	if (tcp_hdr_parse(skb->data, skb->len, &th)) {
		kfree_skb_reason(skb, SKB_DROP_REASON_PKT_TOO_SMALL);
		return 0;
	}
	ip_hdr_repr(skb, &iph);
	if (!tcp_v4_csum_ok(skb, &iph)) {
		__TCP_INC_STATS(net, TCP_MIB_CSUMERRORS);
		reason = SKB_DROP_REASON_TCP_CSUM;
		goto bad_packet;
	}
	skb_reset_transport_header(skb);
	tcp_v4_fill_cb(skb, &iph, &th);
lookup:
	skc = __inet_lookup(net, iph.saddr, th.source, iph.daddr, th.dest, skb->skb_iif);
	if (!skc)
		return tcp_v4_no_socket(skb);
	switch (skc->skc_state) {
	case TCP_TIME_WAIT:
		return tcp_v4_rcv_tw(skb, (struct inet_timewait_sock *)skc, &iph, &th);
	case TCP_NEW_SYN_RECV:
		if (tcp_v4_rcv_req(skb, (struct request_sock *)skc) == -EAGAIN)
			goto lookup;
		return 0;
	default:
		/* No backlog: everything runs under the stack lock, so the
		 * socket is never owned by a user at this point. */
		return tcp_v4_rcv_sk((struct sock *)skc, skb);
	}

bad_packet:
	__TCP_INC_STATS(net, TCP_MIB_INERRS);
	kfree_skb_reason(skb, reason);
	return 0;
}

/* Linux's tcp_v4_cookie_check: an ACK on a listener may carry a cookie. */
static struct sock *tcp_v4_cookie_check(struct sock *sk, struct sk_buff *skb)
{
	if (!(TCP_SKB_CB(skb)->tcp_flags & TCPHDR_SYN))
		return cookie_v4_check(sk, skb);
	return sk;
}

int tcp_v4_do_rcv(struct sock *sk, struct sk_buff *skb)
{
	enum skb_drop_reason reason;
	struct sock *rsk = sk;

	if (sk->sk_state == TCP_ESTABLISHED) {
		tcp_rcv_established(sk, skb);
		return 0;
	}
	if (sk->sk_state == TCP_LISTEN) {
		struct sock *nsk = tcp_v4_cookie_check(sk, skb);

		if (!nsk) {
			kfree_skb_reason(skb, SKB_DROP_REASON_TCP_FLAGS);
			return 0;
		}
		if (nsk != sk) {
			if (!tcp_child_process(sk, nsk, skb))
				return 0;
			rsk = nsk;
			reason = SKB_DROP_REASON_TCP_FLAGS;
			goto reset;
		}
	}
	reason = tcp_rcv_state_process(sk, skb);
	if (!reason)
		return 0;
reset:
	tcp_v4_send_reset(rsk, skb);
	kfree_skb_reason(skb, reason);
	return 0;
}

/* ---- connect ---------------------------------------------------------------------- */

/* Undo a failed connect (Linux's failure: label): unhash, release the
 * port unless bind() fixed it. */
static void tcp_v4_connect_failed(struct sock *sk)
{
	tcp_set_state(sk, TCP_CLOSE);
	if (!(sk->sk_userlocks & SOCK_BINDADDR_LOCK))
		inet_sk(sk)->inet_saddr = sk->sk_rcv_saddr = 0;
	sk_dst_reset(sk);
	sk->sk_dport = 0;
}

int tcp_v4_connect(struct sock *sk, const struct sockaddr *uaddr, int addr_len)
{
	const struct sockaddr_in *usin = (const struct sockaddr_in *)uaddr;
	struct inet_sock *inet = inet_sk(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	struct net *net = sock_net(sk);
	struct flowi4 fl4 = { 0 };
	struct rtable *rt;
	u32 daddr;
	int err;

	if (addr_len < (int)sizeof(struct sockaddr_in))
		return -EINVAL;
	if (usin->sin_family != AF_INET)
		return -EAFNOSUPPORT;
	daddr = ntohl(usin->sin_addr.s_addr);
	fl4.daddr = daddr;
	fl4.saddr = inet->inet_saddr;
	fl4.flowi4_oif = sk->sk_bound_dev_if;
	fl4.flowi4_proto = IPPROTO_TCP;
	fl4.flowi4_tos = inet->tos;
	fl4.flowi4_mark = sk->sk_mark;
	err = ip_route_output_key(net, &fl4, &rt);
	if (err) {
		if (err == -ENETUNREACH)
			__IP_INC_STATS(net, IPSTATS_MIB_OUTNOROUTES);
		return err;
	}
	if (rt->rt_flags & (RTCF_MULTICAST | RTCF_BROADCAST)) {
		ip_rt_put(rt);
		return -ENETUNREACH;
	}
	if (!inet->inet_saddr)
		inet->inet_saddr = fl4.saddr;
	sk->sk_rcv_saddr = inet->inet_saddr;
	if (tp->rx_opt.ts_recent_stamp && sk->sk_daddr != daddr) {
		/* Reset state inherited from an earlier peer. */
		tp->rx_opt.ts_recent = 0;
		tp->rx_opt.ts_recent_stamp = 0;
		tp->write_seq = 0;
	}
	sk->sk_dport = ntohs(usin->sin_port);
	sk->sk_daddr = daddr;
	inet_csk(sk)->icsk_ext_hdr_len = 0;
	tp->rx_opt.mss_clamp = TCP_MSS_DEFAULT;
	/* SYN-SENT before the port is chosen, so that the socket is hashed
	 * with its state (Linux's order). */
	tcp_set_state(sk, TCP_SYN_SENT);
	err = inet_hash_connect(sk);
	if (err)
		goto failure;
	sk_dst_reset(sk);
	sk->sk_dst_cache = &rt->dst;
	rt = NULL;
	if (!tp->write_seq)
		tp->write_seq = secure_tcp_seq(net, inet->inet_saddr, sk->sk_daddr, inet->inet_sport,
					       sk->sk_dport);
	tp->tsoffset = secure_tcp_ts_off(net, inet->inet_saddr, sk->sk_daddr);
	inet->inet_id = (u16)tn_prandom_u32(net->stack);
	err = tcp_connect(sk);
	if (err)
		goto failure;
	return 0;

failure:
	ip_rt_put(rt);
	tcp_v4_connect_failed(sk);
	return err;
}

/* ---- ICMP errors ------------------------------------------------------------------- */

void tcp_v4_mtu_reduced(struct sock *sk)
{
	struct inet_sock *inet = inet_sk(sk);
	struct dst_entry *dst;
	u32 mtu = tcp_sk(sk)->mtu_info;

	if ((1 << sk->sk_state) & (TCPF(TCP_LISTEN) | TCPF(TCP_CLOSE)))
		return;
	dst = sk->sk_dst_cache ? ipv4_dst_check(sk->sk_dst_cache) : NULL;
	if (!dst) {
		struct flowi4 fl4 = { .flowi4_oif = sk->sk_bound_dev_if,
				      .flowi4_proto = IPPROTO_TCP, .saddr = inet->inet_saddr,
				      .daddr = sk->sk_daddr };
		struct rtable *rt;

		sk_dst_reset(sk);
		if (ip_route_output_key(sock_net(sk), &fl4, &rt))
			return;
		sk->sk_dst_cache = &rt->dst;
		dst = &rt->dst;
	}
	/* Remember a soft error in case the connection cannot recover. */
	if (mtu < ipv4_mtu(dst_rtable(dst)) && inet->pmtudisc != IP_PMTUDISC_DONT)
		sk->sk_err_soft = EMSGSIZE;
	mtu = ipv4_mtu(dst_rtable(dst));
	if (inet->pmtudisc != IP_PMTUDISC_DONT && inet_csk(sk)->icsk_pmtu_cookie > mtu) {
		tcp_sync_mss(sk, mtu);
		/* The old segment was surely dropped: resend now (RFC 1191's
		 * "fast" path MTU discovery). */
		tcp_simple_retransmit(sk);
	}
}

/* The errno an ICMP error means, 0 to ignore it (Linux's first switch). */
static int tcp_v4_icmp_errno(struct sock *sk, u8 type, u8 code, u32 info, bool *done)
{
	*done = false;
	switch (type) {
	case ICMP_PARAMETERPROB:
		return EPROTO;
	case ICMP_DEST_UNREACH:
		if (code > NR_ICMP_UNREACH)
			return 0;
		if (code == ICMP_FRAG_NEEDED) {
			/* RFC 1191 path MTU discovery; SYN-ACKs of a
			 * listener are small enough not to care. */
			*done = true;
			if (sk->sk_state != TCP_LISTEN) {
				tcp_sk(sk)->mtu_info = info;
				tcp_v4_mtu_reduced(sk);
			}
			return 0;
		}
		return icmp_err_convert[code].errno_;
	case ICMP_TIME_EXCEEDED:
		return EHOSTUNREACH;
	default:                /* redirects and source quench: ignored */
		return 0;
	}
}

/* An ICMP error about a request sock's SYN-ACK (Linux's tcp_req_err):
 * only fatal ones abort the embryonic connection. */
static void tcp_req_err(struct request_sock *req, u32 seq, bool abort)
{
	struct net *net = req->__req_common.skc_net;

	if (seq != req->snt_isn) {
		__NET_INC_STATS(net, LINUX_MIB_OUTOFWINDOWICMPS);
		return;
	}
	if (abort)
		inet_csk_reqsk_queue_drop_and_put(req->rsk_listener, req);
}

/*
 * RFC 6069 (Linux's tcp_ld_RTO_revert): an ICMP net or host unreachable
 * about the first unacknowledged segment, during RTO backoff, shows that
 * the path, not congestion, lost it. Undo one backoff step: the timer
 * runs from when the segment was last sent with the RTO it had before
 * (RFC 6298's SRTT + 4 x RTTVAR, shifted by the backoff left), or fires
 * now when that time is already past.
 */
static void tcp_ld_RTO_revert(struct sock *sk, u32 seq)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb;
	u64 rto, elapsed;

	if (seq != tp->snd_una || !icsk->icsk_retransmits || !icsk->icsk_backoff)
		return;
	skb = tcp_rtx_queue_head(sk);
	if (!skb)
		return;
	icsk->icsk_backoff--;
	rto = tp->srtt_us ? ((tp->srtt_us >> 3) + tp->rttvar_us + 999) / 1000 : TCP_TIMEOUT_INIT;
	rto = TN_MIN(rto << icsk->icsk_backoff, (u64)TCP_RTO_MAX);
	icsk->icsk_rto = (u32)rto;
	elapsed = (tn_now(sock_net(sk)->stack) - TCP_SKB_CB(skb)->tx_stamp) / TN_NSEC_PER_JIFFY;
	if (elapsed < rto)
		inet_csk_reset_xmit_timer(sk, ICSK_TIME_RETRANS, rto - elapsed, TCP_RTO_MAX);
	else
		tcp_retransmit_timer(sk);       /* the revert clocked it out */
}

int tcp_v4_err(struct sk_buff *skb, u32 info, u8 type, u8 code)
{
	struct ipv4_repr iph;
	struct net *net = dev_net(skb->dev);
	struct sock_common *skc;
	struct tcp_repr th;
	struct sock *sk;
	bool done;
	u32 seq;
	int err;

	/* RFC 1122 3.2.2: the quote holds the IP header and 8 bytes: ports
	 * and sequence number, all we look at. */
	if (ipv4_parse(skb->data, skb->len, &iph) || skb->len < (u32)iph.ihl + 8u)
		return 0;
	th.source = get_be16(skb->data + iph.ihl);
	th.dest = get_be16(skb->data + iph.ihl + 2);
	seq = get_be32(skb->data + iph.ihl + 4);
	skc = __inet_lookup_established(net, iph.daddr, th.dest, iph.saddr, th.source,
					skb->skb_iif);
	if (!skc) {
		__ICMP_INC_STATS(net, ICMP_MIB_INERRORS);
		return 0;
	}
	if (skc->skc_state == TCP_TIME_WAIT)
		return 0;
	if (skc->skc_state == TCP_NEW_SYN_RECV) {
		tcp_req_err((struct request_sock *)skc, seq,
			    type == ICMP_PARAMETERPROB || type == ICMP_TIME_EXCEEDED ||
			    (type == ICMP_DEST_UNREACH &&
			     (code == ICMP_NET_UNREACH || code == ICMP_HOST_UNREACH)));
		return 0;
	}
	sk = (struct sock *)skc;
	if (sk->sk_state == TCP_CLOSE)
		return 0;
	if (sk->sk_state != TCP_LISTEN &&
	    !between(seq, tcp_sk(sk)->snd_una, tcp_sk(sk)->snd_nxt)) {
		__NET_INC_STATS(net, LINUX_MIB_OUTOFWINDOWICMPS);
		return 0;
	}
	err = tcp_v4_icmp_errno(sk, type, code, info, &done);
	if (!err || done)
		return 0;
	if (sk->sk_state == TCP_SYN_SENT || sk->sk_state == TCP_SYN_RECV) {
		/* The connection attempt fails at once: nobody holds the
		 * socket locked here, so Linux's hard error path applies. */
		if (inet_sk(sk)->recverr)
			ip_icmp_error(sk, skb, err, type, code, info, iph.daddr, th.dest);
		sk->sk_err = err;
		sk->sk_error_report(sk);
		tcp_done(sk);
		return 0;
	}
	if (type == ICMP_DEST_UNREACH && (code == ICMP_NET_UNREACH || code == ICMP_HOST_UNREACH))
		tcp_ld_RTO_revert(sk, seq);
	/* RFC 1122 4.2.3.9: an established connection keeps trying; the
	 * error is reported at once only with IP_RECVERR. */
	if (inet_sk(sk)->recverr) {
		ip_icmp_error(sk, skb, err, type, code, info, iph.daddr, th.dest);
		sk->sk_err = err;
		sk->sk_error_report(sk);
	} else {
		sk->sk_err_soft = err;
	}
	return 0;
}

/* ---- proto ------------------------------------------------------------------------- */

static int tcp_v4_init_sock(struct sock *sk)
{
	tcp_init_sock(sk);
	return 0;
}

/* Linux's tcp_v4_destroy_sock: what a socket holds beyond struct sock. */
static void tcp_v4_destroy_sock(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);

	tcp_clear_xmit_timers(sk);
	if (icsk->icsk_ca_ops && icsk->icsk_ca_ops->release)
		icsk->icsk_ca_ops->release(sk);
	icsk->icsk_ca_ops = NULL;
	tcp_write_queue_purge(sk);
	skb_queue_purge(&tcp_sk(sk)->out_of_order_queue);
	if (icsk->icsk_bind_hash)
		inet_put_port(sk);
}

struct proto tcp_prot = {
	.name = "TCP",
	.obj_size = sizeof(struct tcp_sock),
	.init = tcp_v4_init_sock,
	.destroy = tcp_v4_destroy_sock,
	.close = tcp_close,
	.connect = tcp_v4_connect,
	.disconnect = tcp_disconnect,
	.accept = inet_csk_accept,
	.ioctl = tcp_ioctl,
	.shutdown = tcp_shutdown,
	.setsockopt = tcp_setsockopt,
	.getsockopt = tcp_getsockopt,
	.sendmsg = tcp_sendmsg,
	.recvmsg = tcp_recvmsg,
	.backlog_rcv = tcp_v4_do_rcv,
	.hash = inet_hash,
	.unhash = inet_unhash,
	.get_port = inet_csk_get_port,
	.poll = tcp_poll,
	.keepalive = tcp_set_keepalive,
	.no_autobind = true,
};

/* ---- net.ipv4.tcp_* ------------------------------------------------------------------ */

/* tcp_rmem / tcp_wmem: three ints "min default max", each at least 1. */
static int proc_dointvec_vec3(const struct ctl_table *t, void *f, bool w, char *buf, size_t len)
{
	int *v = f;
	long r[3];
	char *p = buf, *end;

	if (!w) {
		snprintf(buf, len, "%d\t%d\t%d", v[0], v[1], v[2]);
		return 0;
	}
	for (int i = 0; i < 3; i++) {
		errno = 0;
		r[i] = strtol(p, &end, 10);
		if (errno || end == p || r[i] < t->min || r[i] > t->max)
			return -EINVAL;
		p = end;
	}
	while (isspace((unsigned char)*p))
		p++;
	if (*p)
		return -EINVAL;
	for (int i = 0; i < 3; i++)
		v[i] = (int)r[i];
	return 0;
}

/* tcp_congestion_control: a registered algorithm's name. */
static int proc_tcp_congestion_control(const struct ctl_table *t, void *f, bool w, char *buf,
				       size_t len)
{
	char *name = f, tmp[TCP_CA_NAME_MAX];
	size_t n;

	(void)t;
	if (!w) {
		snprintf(buf, len, "%s", name);
		return 0;
	}
	while (isspace((unsigned char)*buf))
		buf++;
	n = strlen(buf);
	while (n && isspace((unsigned char)buf[n - 1]))
		n--;
	if (!n || n >= sizeof(tmp))
		return -EINVAL;
	memcpy(tmp, buf, n);
	tmp[n] = '\0';
	if (!tcp_ca_find(tmp))
		return -ENOENT;
	memcpy(name, tmp, n + 1);
	return 0;
}

#define TCP_FIELD(f) offsetof(struct tcp_net, f)
#define TENTRY(name, field, handler, lo, hi) \
	{ name, TCP_FIELD(field), handler, lo, hi, 0644 }

static const struct ctl_table tcp_sysctl_table[] = {
	TENTRY("tcp_syn_retries", sysctl_tcp_syn_retries, proc_dointvec_minmax, 1, MAX_TCP_SYNCNT),
	TENTRY("tcp_synack_retries", sysctl_tcp_synack_retries, proc_dointvec_minmax, 0, 255),
	TENTRY("tcp_syncookies", sysctl_tcp_syncookies, proc_dointvec_minmax, 0, 2),
	TENTRY("tcp_max_syn_backlog", sysctl_tcp_max_syn_backlog, proc_dointvec, 0, 0),
	TENTRY("tcp_fin_timeout", sysctl_tcp_fin_timeout, proc_dointvec_jiffies, 0, 0),
	TENTRY("tcp_tw_reuse", sysctl_tcp_tw_reuse, proc_dointvec_minmax, 0, 2),
	TENTRY("tcp_max_tw_buckets", sysctl_tcp_max_tw_buckets, proc_dointvec, 0, 0),
	TENTRY("tcp_keepalive_time", sysctl_tcp_keepalive_time, proc_dointvec_jiffies, 0, 0),
	TENTRY("tcp_keepalive_intvl", sysctl_tcp_keepalive_intvl, proc_dointvec_jiffies, 0, 0),
	TENTRY("tcp_keepalive_probes", sysctl_tcp_keepalive_probes, proc_dointvec_minmax, 0, 255),
	TENTRY("tcp_retries1", sysctl_tcp_retries1, proc_dointvec_minmax, 0, 255),
	TENTRY("tcp_retries2", sysctl_tcp_retries2, proc_dointvec_minmax, 0, 255),
	TENTRY("tcp_orphan_retries", sysctl_tcp_orphan_retries, proc_dointvec_minmax, 0, 255),
	TENTRY("tcp_sack", sysctl_tcp_sack, proc_dointvec_minmax, 0, 255),
	TENTRY("tcp_dsack", sysctl_tcp_dsack, proc_dointvec_minmax, 0, 255),
	TENTRY("tcp_timestamps", sysctl_tcp_timestamps, proc_dointvec_minmax, 0, 255),
	TENTRY("tcp_window_scaling", sysctl_tcp_window_scaling, proc_dointvec_minmax, 0, 255),
	TENTRY("tcp_rmem", sysctl_tcp_rmem, proc_dointvec_vec3, 1, INT32_MAX),
	TENTRY("tcp_wmem", sysctl_tcp_wmem, proc_dointvec_vec3, 1, INT32_MAX),
	TENTRY("tcp_moderate_rcvbuf", sysctl_tcp_moderate_rcvbuf, proc_dointvec_minmax, 0, 255),
	TENTRY("tcp_slow_start_after_idle", sysctl_tcp_slow_start_after_idle,
	       proc_dointvec_minmax, 0, 255),
	TENTRY("tcp_reordering", sysctl_tcp_reordering, proc_dointvec, 0, 0),
	TENTRY("tcp_max_reordering", sysctl_tcp_max_reordering, proc_dointvec, 0, 0),
	TENTRY("tcp_abort_on_overflow", sysctl_tcp_abort_on_overflow, proc_dointvec_minmax, 0, 255),
	TENTRY("tcp_rfc1337", sysctl_tcp_rfc1337, proc_dointvec_minmax, 0, 255),
	TENTRY("tcp_challenge_ack_limit", sysctl_tcp_challenge_ack_limit, proc_dointvec, 0, 0),
	TENTRY("tcp_invalid_ratelimit", sysctl_tcp_invalid_ratelimit, proc_dointvec_ms_jiffies, 0,
	       0),
	TENTRY("tcp_adv_win_scale", sysctl_tcp_adv_win_scale, proc_dointvec_minmax, -31, 31),
	TENTRY("tcp_min_snd_mss", sysctl_tcp_min_snd_mss, proc_dointvec_minmax, TCP_MIN_MSS / 2,
	       65535 - 40),
	TENTRY("tcp_base_mss", sysctl_tcp_base_mss, proc_dointvec, 0, 0),
	TENTRY("tcp_mtu_probing", sysctl_tcp_mtu_probing, proc_dointvec_minmax, 0, 2),
	TENTRY("tcp_autocorking", sysctl_tcp_autocorking, proc_dointvec_minmax, 0, 1),
	TENTRY("tcp_early_retrans", sysctl_tcp_early_retrans, proc_dointvec_minmax, 0, 4),
	TENTRY("tcp_frto", sysctl_tcp_frto, proc_dointvec, 0, 0),
	TENTRY("tcp_tso_win_divisor", sysctl_tcp_tso_win_divisor, proc_dointvec_minmax, 0, 255),
	TENTRY("tcp_min_tso_segs", sysctl_tcp_min_tso_segs, proc_dointvec_minmax, 1, 255),
	TENTRY("tcp_recovery", sysctl_tcp_recovery, proc_dointvec, 0, 0),
	TENTRY("tcp_no_metrics_save", sysctl_tcp_no_metrics_save, proc_dointvec, 0, 0),
	TENTRY("tcp_ecn", sysctl_tcp_ecn, proc_dointvec_minmax, 0, 2),
	TENTRY("tcp_congestion_control", sysctl_tcp_congestion_control,
	       proc_tcp_congestion_control, 0, 0),
};

/* Linux's tcp_sk_init defaults. */
static void tcp_net_defaults(struct tcp_net *t)
{
	t->sysctl_tcp_syn_retries = 6;
	t->sysctl_tcp_synack_retries = 5;
	t->sysctl_tcp_syncookies = 1;
	t->sysctl_tcp_max_syn_backlog = 128;     /* max(128, ehash buckets / 128) */
	t->sysctl_tcp_fin_timeout = TCP_FIN_TIMEOUT;
	t->sysctl_tcp_tw_reuse = 2;
	t->sysctl_tcp_max_tw_buckets = 262144;
	t->sysctl_tcp_keepalive_time = TCP_KEEPALIVE_TIME;
	t->sysctl_tcp_keepalive_intvl = TCP_KEEPALIVE_INTVL;
	t->sysctl_tcp_keepalive_probes = TCP_KEEPALIVE_PROBES;
	t->sysctl_tcp_retries1 = 3;
	t->sysctl_tcp_retries2 = 15;
	t->sysctl_tcp_orphan_retries = 0;
	t->sysctl_tcp_sack = 1;
	t->sysctl_tcp_dsack = 1;
	t->sysctl_tcp_timestamps = 1;
	t->sysctl_tcp_window_scaling = 1;
	t->sysctl_tcp_rmem[0] = 4096;
	t->sysctl_tcp_rmem[1] = 131072;
	t->sysctl_tcp_rmem[2] = 6291456;
	t->sysctl_tcp_wmem[0] = 4096;
	t->sysctl_tcp_wmem[1] = 16384;
	t->sysctl_tcp_wmem[2] = 4194304;
	t->sysctl_tcp_moderate_rcvbuf = 1;
	t->sysctl_tcp_slow_start_after_idle = 1;
	t->sysctl_tcp_reordering = 3;
	t->sysctl_tcp_max_reordering = 300;
	t->sysctl_tcp_abort_on_overflow = 0;
	t->sysctl_tcp_rfc1337 = 0;
	t->sysctl_tcp_challenge_ack_limit = 1000;
	t->sysctl_tcp_invalid_ratelimit = 500;
	t->sysctl_tcp_adv_win_scale = 1;
	t->sysctl_tcp_min_snd_mss = 48;
	t->sysctl_tcp_base_mss = 1024;
	t->sysctl_tcp_mtu_probing = 0;
	t->sysctl_tcp_autocorking = 1;
	t->sysctl_tcp_early_retrans = 3;
	t->sysctl_tcp_frto = 2;
	t->sysctl_tcp_tso_win_divisor = 3;
	t->sysctl_tcp_min_tso_segs = 2;
	t->sysctl_tcp_recovery = TCP_RACK_LOSS_DETECTION;
	t->sysctl_tcp_no_metrics_save = 0;
	t->sysctl_tcp_ecn = 2;
	snprintf(t->sysctl_tcp_congestion_control, sizeof(t->sysctl_tcp_congestion_control),
		 "cubic");
}

/* ---- subsystem ----------------------------------------------------------------------- */

static const struct net_protocol tcp_protocol = {
	.handler = tcp_v4_rcv,
	.err_handler = tcp_v4_err,
	.icmp_strict_tag_validation = true,
};

static const struct inet_protosw tcp_protosw = {
	.type = SOCK_STREAM,
	.protocol = IPPROTO_TCP,
	.prot = &tcp_prot,
	.ops = &inet_stream_ops,
	.flags = INET_PROTOSW_PERMANENT | INET_PROTOSW_ICSK,
};

static int tcp_init(struct tn_stack *st)
{
	int err = inet_add_protocol(st, &tcp_protocol, IPPROTO_TCP);

	if (err)
		return err;
	err = inet_register_protosw(st, &tcp_protosw);
	if (err)
		inet_del_protocol(st, &tcp_protocol, IPPROTO_TCP);
	return err;
}

static void tcp_exit(struct tn_stack *st)
{
	inet_unregister_protosw(st, &tcp_protosw);
	inet_del_protocol(st, &tcp_protocol, IPPROTO_TCP);
}

static int tcp_net_init(struct net *net)
{
	struct tcp_net *t = calloc(1, sizeof(*t));
	int err;

	if (!t)
		return -ENOMEM;
	tcp_net_defaults(t);
	for (int i = 0; i < 4; i++)
		t->isn_secret[i] = tn_prandom_u32(net->stack);
	for (int i = 0; i < 2; i++)
		for (int j = 0; j < 16; j++)
			t->syncookie_secret[i][j] = tn_prandom_u32(net->stack);
	net->ipv4.tcp = t;
	err = inet_hashinfo_init(net);
	if (err)
		goto out_free;
	t->sysctl_hdr = register_net_sysctl(net, "net/ipv4", tcp_sysctl_table,
					    ARRAY_SIZE(tcp_sysctl_table), t);
	if (!t->sysctl_hdr) {
		err = -ENOMEM;
		goto out_hashinfo;
	}
	return 0;

out_hashinfo:
	inet_hashinfo_free(net);
out_free:
	net->ipv4.tcp = NULL;
	free(t);
	return err;
}

/* Whatever TCP still holds in the namespace: timewait and request socks,
 * and orphaned connections (closed by their owners, still finishing). */
static void tcp_net_purge(struct net *net)
{
	struct inet_hashinfo *h = net->ipv4.tcp->hashinfo;

	for (u32 i = 0; i <= h->ehash_mask; i++) {
		struct sock_common *skc;
		struct hlist_node *tmp;

		hlist_for_each_entry_safe(skc, tmp, &h->ehash[i], skc_node) {
			if (skc->skc_state == TCP_TIME_WAIT) {
				inet_twsk_kill((struct inet_timewait_sock *)skc);
			} else if (skc->skc_state == TCP_NEW_SYN_RECV) {
				struct request_sock *req = (struct request_sock *)skc;

				inet_csk_reqsk_queue_drop_and_put(req->rsk_listener, req);
			} else if (sock_flag((struct sock *)skc, SOCK_DEAD)) {
				tcp_set_state((struct sock *)skc, TCP_CLOSE);
				inet_csk_destroy_sock((struct sock *)skc);
			}
		}
	}
}

static void tcp_net_exit(struct net *net)
{
	struct tcp_net *t = net->ipv4.tcp;

	if (!t)
		return;
	tcp_net_purge(net);
	unregister_net_sysctl_table(t->sysctl_hdr);
	inet_hashinfo_free(net);
	net->ipv4.tcp = NULL;
	free(t);
}

const struct tn_subsystem tcp_subsys = {
	.name = "tcp",
	.init = tcp_init,
	.exit = tcp_exit,
	.net_init = tcp_net_init,
	.net_exit = tcp_net_exit,
};
