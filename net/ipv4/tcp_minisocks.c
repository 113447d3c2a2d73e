/*
 * The compact stand-ins for a full TCP socket (Linux's tcp_minisocks.c,
 * inet_timewait_sock.c and the request half of tcp_input.c):
 *
 *   - a SYN on a listener becomes a request sock (tcp_conn_request) or,
 *     with the SYN queue full, a SYN cookie (syncookies.c);
 *   - the handshake's ACK on a request sock creates the child
 *     (tcp_check_req, tcp_create_openreq_child) for the accept queue,
 *     unless TCP_DEFER_ACCEPT makes the request wait for data;
 *   - a closed connection leaves a timewait sock (tcp_time_wait) that
 *     answers late segments (tcp_timewait_state_process) for 60 s.
 *
 * Not here: the queues and timers of listeners (inet_connection_sock.c),
 * SYN-ACK bytes (tcp_ipv4.c), the state machine of full sockets
 * (tcp_input.c).
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>

#include "net/skbuff.h"
#include "net/inet_hashtables.h"
#include "net/ip.h"
#include "net/net_namespace.h"
#include "net/route.h"
#include "net/stack.h"
#include "net/tcp.h"
#include "net/wire/tcp.h"

/* ---- TIME_WAIT --------------------------------------------------------------------- */

static void tw_timer_handler(struct timer_list *t)
{
	struct inet_timewait_sock *tw = from_timer(tw, t, tw_timer);
	struct net *net = tw->__tw_common.skc_net;

	__NET_INC_STATS(net, tw->tw_kill ? LINUX_MIB_TIMEWAITKILLED : LINUX_MIB_TIMEWAITED);
	inet_twsk_kill(tw);
}

/* Linux's inet_twsk_schedule / reschedule: timeo jiffies from now. */
static void inet_twsk_schedule(struct inet_timewait_sock *tw, int timeo)
{
	struct tn_stack *st = tw->__tw_common.skc_net->stack;

	tw->tw_kill = timeo <= 4 * HZ;
	tn_mod_timer(st, &tw->tw_timer, jiffies(st) + (u64)timeo);
}

/* The stack's timewait sock cache (tw_sock_TCP), set up on first use. */
static struct kmem_cache *twsk_cache(const struct net *net)
{
	struct kmem_cache *c = &net->stack->sk_cache->twsk;

	if (!c->size)
		kmem_cache_init(c, "tw_sock_TCP", sizeof(struct inet_timewait_sock));
	return c;
}

void inet_twsk_kill(struct inet_timewait_sock *tw)
{
	struct net *net = tw->__tw_common.skc_net;

	del_timer(&tw->tw_timer);
	inet_ehash_remove(&tw->__tw_common);
	inet_twsk_bind_unhash(tw);
	net->ipv4.tcp->tw_count--;
	net->stack->socks_live--;
	kmem_cache_free(twsk_cache(net), tw);
}

/* Linux's inet_twsk_alloc: NULL over tcp_max_tw_buckets. */
static struct inet_timewait_sock *inet_twsk_alloc(const struct sock *sk, int state)
{
	struct net *net = sock_net(sk);
	struct inet_timewait_sock *tw;

	if (net->ipv4.tcp->tw_count >= (u32)net->ipv4.tcp->sysctl_tcp_max_tw_buckets)
		return NULL;
	tw = kmem_cache_zalloc(twsk_cache(net));
	if (!tw)
		return NULL;
	tw->__tw_common = sk->__sk_common;
	INIT_HLIST_NODE(&tw->__tw_common.skc_node);
	INIT_HLIST_NODE(&tw->__tw_common.skc_bind_node);
	tw->__tw_common.skc_state = TCP_TIME_WAIT;
	tw->__tw_common.skc_refcnt = 1;
	tw->tw_substate = (u8)state;
	timer_setup(&tw->tw_timer, tw_timer_handler);
	net->ipv4.tcp->tw_count++;
	net->stack->socks_live++;
	return tw;
}

/* Linux's inet_twsk_hashdance: tw takes sk's place in ehash and joins its
 * port's owners, so the 4-tuple and the port stay taken. */
static void inet_twsk_hashdance(struct inet_timewait_sock *tw, struct sock *sk)
{
	if (inet_csk(sk)->icsk_bind_hash)
		inet_twsk_bind_hash(tw, inet_csk(sk)->icsk_bind_hash);
	inet_ehash_insert(&tw->__tw_common, &sk->__sk_common);
}

void tcp_time_wait(struct sock *sk, int state, int timeo)
{
	const struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	struct inet_timewait_sock *tw = inet_twsk_alloc(sk, state);

	if (tw) {
		const int rto = (int)((icsk->icsk_rto << 2) - (icsk->icsk_rto >> 1));

		tw->tw_rcv_wscale = tp->rx_opt.rcv_wscale;
		tw->tw_rcv_nxt = tp->rcv_nxt;
		tw->tw_snd_nxt = tp->snd_nxt;
		tw->tw_rcv_wnd = tcp_receive_window(tp);
		tw->tw_ts_recent = tp->rx_opt.ts_recent;
		tw->tw_ts_recent_stamp = tp->rx_opt.ts_recent_stamp;
		tw->tw_ts_offset = tp->tsoffset;
		if (timeo < rto)
			timeo = rto;
		/* RFC 9293 3.10.7.4: 2 MSL, Linux's fixed 60 s. */
		if (state == TCP_TIME_WAIT)
			timeo = TCP_TIMEWAIT_LEN;
		inet_twsk_schedule(tw, timeo);
		inet_twsk_hashdance(tw, sk);
	} else {
		/* Out of buckets: the connection just closes. */
		__NET_INC_STATS(sock_net(sk), LINUX_MIB_TCPTIMEWAITOVERFLOW);
	}
	tcp_done(sk);
}

/* Linux's tcp_in_window. */
static bool tcp_in_window(u32 seq, u32 end_seq, u32 s_win, u32 e_win)
{
	if (seq == s_win)
		return true;
	if (after(end_seq, s_win) && before(seq, e_win))
		return true;
	return seq == e_win && seq == end_seq;
}

static enum tcp_tw_status tcp_tw_oow_ack(struct inet_timewait_sock *tw, struct sk_buff *skb,
					 int mib)
{
	if (!tcp_oow_rate_limited(tw->__tw_common.skc_net, skb, mib, &tw->tw_last_oow_ack_time))
		return TCP_TW_ACK;
	return TCP_TW_SUCCESS;
}

/* Timestamps of a segment to a timewait sock, PAWS checked (RFC 7323 5). */
static bool tcp_tw_paws(const struct inet_timewait_sock *tw, const struct sk_buff *skb,
			struct tcp_options_received *opt)
{
	u64 now = jiffies(tw->__tw_common.skc_net->stack);

	opt->saw_tstamp = 0;
	if (!tw->tw_ts_recent_stamp)
		return false;
	tcp_parse_options(skb, opt, 0);
	if (!opt->saw_tstamp)
		return false;
	if (opt->rcv_tsecr)
		opt->rcv_tsecr -= tw->tw_ts_offset;
	opt->ts_recent = tw->tw_ts_recent;
	opt->ts_recent_stamp = tw->tw_ts_recent_stamp;
	return tcp_paws_reject(opt, TCP_SKB_CB(skb)->tcp_flags & TCPHDR_RST, now);
}

/* FIN_WAIT2 substate: repeat tcp_rcv_state_process's checks. */
static enum tcp_tw_status tcp_tw_fin_wait2(struct inet_timewait_sock *tw, struct sk_buff *skb,
					   const struct tcp_options_received *opt, bool paws_reject)
{
	const struct tcp_skb_cb *cb = TCP_SKB_CB(skb);
	u8 flags = cb->tcp_flags;

	if (paws_reject || !tcp_in_window(cb->seq, cb->end_seq, tw->tw_rcv_nxt,
					  tw->tw_rcv_nxt + tw->tw_rcv_wnd))
		return tcp_tw_oow_ack(tw, skb, LINUX_MIB_TCPACKSKIPPEDFINWAIT2);
	if (flags & TCPHDR_RST) {
		inet_twsk_kill(tw);
		return TCP_TW_SUCCESS;
	}
	if ((flags & TCPHDR_SYN) && !before(cb->seq, tw->tw_rcv_nxt))
		return TCP_TW_RST;
	/* A duplicate ACK. */
	if (!(flags & TCPHDR_ACK) || !after(cb->end_seq, tw->tw_rcv_nxt) || cb->end_seq == cb->seq)
		return TCP_TW_SUCCESS;
	/* New data after a half-duplex close: reset. Only the FIN may come. */
	if (!(flags & TCPHDR_FIN) || cb->end_seq != tw->tw_rcv_nxt + 1)
		return TCP_TW_RST;
	tw->tw_substate = TCP_TIME_WAIT;
	tw->tw_rcv_nxt = cb->end_seq;
	if (opt->saw_tstamp) {
		tw->tw_ts_recent_stamp = jiffies(tw->__tw_common.skc_net->stack);
		tw->tw_ts_recent = opt->rcv_tsval;
	}
	inet_twsk_schedule(tw, TCP_TIMEWAIT_LEN);
	return TCP_TW_ACK;
}

enum tcp_tw_status tcp_timewait_state_process(struct inet_timewait_sock *tw, struct sk_buff *skb)
{
	struct net *net = tw->__tw_common.skc_net;
	struct tcp_skb_cb *cb = TCP_SKB_CB(skb);
	struct tcp_options_received opt = { 0 };
	bool paws_reject = tcp_tw_paws(tw, skb, &opt);
	u8 flags = cb->tcp_flags;

	if (tw->tw_substate == TCP_FIN_WAIT2)
		return tcp_tw_fin_wait2(tw, skb, &opt, paws_reject);

	/* In window: only a RST or a bare ACK can be there. */
	if (!paws_reject && cb->seq == tw->tw_rcv_nxt &&
	    (cb->seq == cb->end_seq || (flags & TCPHDR_RST))) {
		if (flags & TCPHDR_RST) {
			/* TIME_WAIT assassination (RFC 1337): obeyed unless
			 * tcp_rfc1337 is set. */
			if (!net->ipv4.tcp->sysctl_tcp_rfc1337) {
				inet_twsk_kill(tw);
				return TCP_TW_SUCCESS;
			}
		} else {
			inet_twsk_schedule(tw, TCP_TIMEWAIT_LEN);
		}
		if (opt.saw_tstamp) {
			tw->tw_ts_recent = opt.rcv_tsval;
			tw->tw_ts_recent_stamp = jiffies(net->stack);
		}
		return TCP_TW_SUCCESS;
	}
	/* RFC 1122 4.2.2.13: a new SYN may reopen the connection when its
	 * sequence number (or timestamp) shows it is not an old duplicate;
	 * our ISN then lies beyond everything the old one used. */
	if ((flags & (TCPHDR_SYN | TCPHDR_RST | TCPHDR_ACK)) == TCPHDR_SYN && !paws_reject &&
	    (after(cb->seq, tw->tw_rcv_nxt) ||
	     (opt.saw_tstamp && (s32)(tw->tw_ts_recent - opt.rcv_tsval) < 0))) {
		u32 isn = tw->tw_snd_nxt + 65535 + 2;

		cb->tcp_tw_isn = isn ? isn : 1;
		return TCP_TW_SYN;
	}
	if (paws_reject)
		__NET_INC_STATS(net, LINUX_MIB_PAWSESTABREJECTED);
	if (flags & TCPHDR_RST)
		return TCP_TW_SUCCESS;
	/* Out of window (a retransmitted FIN among them): ACK it again and
	 * restart the 2 MSL wait, unless it is an ACK-less SYN. */
	if (paws_reject || (flags & TCPHDR_ACK))
		inet_twsk_schedule(tw, TCP_TIMEWAIT_LEN);
	return tcp_tw_oow_ack(tw, skb, LINUX_MIB_TCPACKSKIPPEDTIMEWAIT);
}

/*
 * Linux's tcp_twsk_unique. A connect() from a port bound by bind()
 * (bound) takes the 4-tuple over whenever timestamps were in use (PAWS
 * protects the new connection); a port chosen by connect() only under
 * tcp_tw_reuse (1: always, 2: when the old connection was over loopback)
 * and once the last timestamp seen is more than a second old. The new
 * connection starts beyond the old sequence space.
 */
bool tcp_twsk_unique(struct sock *sk, const struct inet_timewait_sock *tw, bool bound)
{
	struct tn_stack *st = sock_net(sk)->stack;
	int reuse = sock_net(sk)->ipv4.tcp->sysctl_tcp_tw_reuse;
	struct tcp_sock *tp = tcp_sk(sk);
	u32 seq;

	if (reuse == 2) {
		const struct net_device *lo = sock_net(sk)->loopback_dev;
		bool loopback = (lo && tw->__tw_common.skc_bound_dev_if == lo->ifindex) ||
				ipv4_is_loopback(tw->tw_daddr) || ipv4_is_loopback(tw->tw_rcv_saddr);

		if (!loopback)
			reuse = 0;
	}
	if (!tw->tw_ts_recent_stamp)
		return false;
	if (!bound && (!reuse || jiffies(st) / HZ <= tw->tw_ts_recent_stamp / HZ))
		return false;
	seq = tw->tw_snd_nxt + 65535 + 2;
	tp->write_seq = seq ? seq : 1;
	tp->rx_opt.ts_recent = tw->tw_ts_recent;
	tp->rx_opt.ts_recent_stamp = tw->tw_ts_recent_stamp;
	return true;
}

/* ---- SYN on a listener ------------------------------------------------------------------ */

/* Linux's tcp_openreq_init_rwin: the window the SYN-ACK offers. */
static void tcp_openreq_init_rwin(struct request_sock *req, const struct sock *sk, u32 mtu)
{
	int full_space = tcp_full_space(sk);
	u32 mss = tcp_v4_advmss(sk, mtu);
	u8 rcv_wscale;

	req->rsk_window_clamp = tcp_sk(sk)->window_clamp;
	if ((sk->sk_userlocks & SOCK_RCVBUF_LOCK) &&
	    (req->rsk_window_clamp > (u32)full_space || !req->rsk_window_clamp))
		req->rsk_window_clamp = (u32)full_space;
	tcp_select_initial_window(sk, full_space, mss - (req->tstamp_ok ? TCPOLEN_TSTAMP_ALIGNED : 0),
				  &req->rcv_wnd, &req->rsk_window_clamp, req->wscale_ok,
				  &rcv_wscale, 0);
	req->rcv_wscale = rcv_wscale;
}

/* Options of the SYN, as far as the namespace's sysctls allow them. */
static void tcp_conn_request_options(const struct sock *sk, struct sk_buff *skb,
				     struct tcp_options_received *opt)
{
	const struct tcp_net *t = tcp_net(sk);

	memset(opt, 0, sizeof(*opt));
	opt->mss_clamp = TCP_MSS_DEFAULT;
	opt->user_mss = tcp_sk(sk)->rx_opt.user_mss;
	tcp_parse_options(skb, opt, 0);
	if (!t->sysctl_tcp_timestamps)
		opt->saw_tstamp = 0;
	if (!t->sysctl_tcp_sack)
		opt->sack_ok = 0;
	if (!t->sysctl_tcp_window_scaling) {
		opt->wscale_ok = 0;
		opt->snd_wscale = 0;
	}
	opt->tstamp_ok = opt->saw_tstamp;
}

/* Linux's tcp_openreq_init. */
static void tcp_openreq_init(struct request_sock *req, const struct tcp_options_received *opt,
			     struct sk_buff *skb)
{
	struct ipv4_repr iph;
	struct tcp_repr th;

	ip_hdr_repr(skb, &iph);
	tcp_hdr_parse_valid(skb->data, skb->len, &th);
	req->rcv_isn = TCP_SKB_CB(skb)->seq;
	req->mss = opt->mss_clamp;
	req->ts_recent = opt->saw_tstamp ? opt->rcv_tsval : 0;
	req->tstamp_ok = opt->tstamp_ok;
	req->sack_ok = opt->sack_ok ? 1 : 0;
	req->snd_wscale = opt->snd_wscale;
	req->wscale_ok = opt->wscale_ok;
	req->rsk_daddr = iph.saddr;
	req->rsk_laddr = iph.daddr;
	req->rsk_rmt_port = th.source;
	req->rsk_num = th.dest;
	/* RFC 3168 6.1.1: an ECN-setup SYN has ECE and CWR. */
	req->ecn_ok = (th.flags & (TCPHDR_ECE | TCPHDR_CWR)) == (TCPHDR_ECE | TCPHDR_CWR) &&
		      tcp_net(req->rsk_listener)->sysctl_tcp_ecn;
}

/* Linux's tcp_syn_flood_action: cookies when allowed, else drop. */
static bool tcp_syn_flood_action(const struct sock *sk)
{
	struct net *net = sock_net(sk);

	if (net->ipv4.tcp->sysctl_tcp_syncookies) {
		__NET_INC_STATS(net, LINUX_MIB_TCPREQQFULLDOCOOKIES);
		return true;
	}
	__NET_INC_STATS(net, LINUX_MIB_TCPREQQFULLDROP);
	return false;
}

/* The route for the reply: its MTU decides MSS and window. 0: none. */
static u32 tcp_v4_route_req_mtu(const struct sock *sk, const struct request_sock *req)
{
	struct flowi4 fl4 = { .flowi4_oif = sk->sk_bound_dev_if, .flowi4_proto = IPPROTO_TCP,
			      .saddr = req->rsk_laddr, .daddr = req->rsk_daddr };
	struct rtable *rt;
	u32 mtu;

	if (ip_route_output_key(sock_net(sk), &fl4, &rt))
		return 0;
	mtu = ipv4_mtu(rt);
	ip_rt_put(rt);
	return mtu;
}

static int tcp_conn_request_drop(struct sock *sk, struct request_sock *req)
{
	if (req)
		reqsk_free(req);
	__NET_INC_STATS(sock_net(sk), LINUX_MIB_LISTENDROPS);
	return 0;
}

int tcp_conn_request(struct sock *sk, struct sk_buff *skb)
{
	struct net *net = sock_net(sk);
	struct tcp_net *t = net->ipv4.tcp;
	u32 isn = TCP_SKB_CB(skb)->tcp_tw_isn;
	struct tcp_options_received opt;
	bool want_cookie = false;
	struct request_sock *req;
	u32 mtu;

	if ((t->sysctl_tcp_syncookies == 2 || inet_csk_reqsk_queue_is_full(sk)) && !isn) {
		want_cookie = tcp_syn_flood_action(sk);
		if (!want_cookie)
			return tcp_conn_request_drop(sk, NULL);
	}
	if (sk_acceptq_is_full(sk)) {
		__NET_INC_STATS(net, LINUX_MIB_LISTENOVERFLOWS);
		return tcp_conn_request_drop(sk, NULL);
	}
	req = reqsk_alloc(sk);
	if (!req)
		return tcp_conn_request_drop(sk, NULL);
	req->syncookie = want_cookie;
	tcp_conn_request_options(sk, skb, &opt);
	/* A cookie without timestamps cannot carry the options. */
	if (want_cookie && !opt.saw_tstamp) {
		opt.sack_ok = 0;
		opt.wscale_ok = 0;
		opt.snd_wscale = 0;
		opt.tstamp_ok = 0;
	}
	tcp_openreq_init(req, &opt, skb);
	mtu = tcp_v4_route_req_mtu(sk, req);
	if (!mtu)
		return tcp_conn_request_drop(sk, req);
	if (req->tstamp_ok)
		req->ts_off = secure_tcp_ts_off(net, req->rsk_laddr, req->rsk_daddr);
	if (!want_cookie && !isn) {
		/* Without cookies, the last quarter of the queue is kept
		 * (Linux keeps it for peers proven alive; we remember none). */
		if (!t->sysctl_tcp_syncookies &&
		    t->sysctl_tcp_max_syn_backlog - (int)inet_csk(sk)->icsk_accept_queue.qlen <
			    (t->sysctl_tcp_max_syn_backlog >> 2))
			return tcp_conn_request_drop(sk, req);
		isn = secure_tcp_seq(net, req->rsk_laddr, req->rsk_daddr, req->rsk_num,
				     req->rsk_rmt_port);
	}
	if (want_cookie) {
		isn = cookie_v4_init_sequence(sk, skb, &req->mss);
		if (!req->tstamp_ok)
			req->ecn_ok = 0;
	}
	req->snt_isn = isn;
	tcp_openreq_init_rwin(req, sk, mtu);
	if (!want_cookie)
		inet_csk_reqsk_queue_hash_add(sk, req, TCP_TIMEOUT_INIT);
	tcp_v4_send_synack(sk, req);
	if (want_cookie)
		reqsk_free(req);
	return 0;
}

/* ---- the handshake's ACK ------------------------------------------------------------------ */

struct sock *tcp_create_openreq_child(const struct sock *sk, struct request_sock *req,
				      struct sk_buff *skb)
{
	struct sock *newsk = inet_csk_clone_lock(sk, req);
	struct tn_stack *st = sock_net(sk)->stack;
	struct tcp_sock *newtp;
	struct tcp_repr th;

	if (!newsk)
		return NULL;
	newtp = tcp_sk(newsk);
	tcp_hdr_parse_valid(skb->data, skb->len, &th);
	newtp->rcv_wup = newtp->copied_seq = newtp->rcv_nxt = req->rcv_isn + 1;
	newtp->segs_in = 1;
	newtp->snd_una = newtp->snd_nxt = newtp->snd_up = req->snt_isn + 1;
	newtp->snd_wl1 = req->rcv_isn;
	newtp->write_seq = newtp->pushed_seq = req->snt_isn + 1;
	newtp->lsndtime = (u32)jiffies(st);
	inet_csk(newsk)->icsk_ack.lrcvtime = (u32)jiffies(st);
	newtp->total_retrans = req->num_retrans;
	newtp->rx_opt.tstamp_ok = req->tstamp_ok;
	newtp->rx_opt.sack_ok = req->sack_ok;
	newtp->window_clamp = req->rsk_window_clamp;
	newtp->rcv_ssthresh = newtp->rcv_wnd = req->rcv_wnd;
	newtp->rx_opt.wscale_ok = req->wscale_ok;
	if (req->wscale_ok) {
		newtp->rx_opt.snd_wscale = req->snd_wscale;
		newtp->rx_opt.rcv_wscale = req->rcv_wscale;
	} else {
		newtp->rx_opt.snd_wscale = newtp->rx_opt.rcv_wscale = 0;
		newtp->window_clamp = TN_MIN(newtp->window_clamp, 65535u);
	}
	newtp->snd_wnd = (u32)th.window << newtp->rx_opt.snd_wscale;
	newtp->max_window = newtp->snd_wnd;
	if (req->tstamp_ok) {
		newtp->rx_opt.ts_recent = req->ts_recent;
		newtp->rx_opt.ts_recent_stamp = jiffies(st);
		newtp->tcp_header_len = TCP_HLEN_MIN + TCPOLEN_TSTAMP_ALIGNED;
	} else {
		newtp->rx_opt.ts_recent_stamp = 0;
		newtp->tcp_header_len = TCP_HLEN_MIN;
	}
	newtp->tsoffset = req->ts_off;
	newtp->rx_opt.mss_clamp = req->mss;
	newtp->rx_opt.user_mss = tcp_sk(sk)->rx_opt.user_mss;
	newtp->nonagle = tcp_sk(sk)->nonagle;
	newtp->keepalive_time = tcp_sk(sk)->keepalive_time;
	newtp->keepalive_intvl = tcp_sk(sk)->keepalive_intvl;
	newtp->keepalive_probes = tcp_sk(sk)->keepalive_probes;
	newtp->linger2 = tcp_sk(sk)->linger2;
	newtp->notsent_lowat = tcp_sk(sk)->notsent_lowat;
	inet_csk(newsk)->icsk_user_timeout = inet_csk(sk)->icsk_user_timeout;
	inet_csk(newsk)->icsk_syn_retries = inet_csk(sk)->icsk_syn_retries;
	if (inet_csk(sk)->icsk_ca_ops)
		inet_csk(newsk)->icsk_ca_ops = inet_csk(sk)->icsk_ca_ops;
	if (req->ecn_ok)
		newtp->ecn_flags = 1;   /* TCP_ECN_OK */
	__TCP_INC_STATS(sock_net(sk), TCP_MIB_PASSIVEOPENS);
	return newsk;
}

/* Request-sock answers: an ACK from the SYN_RECV point of view. */
static void tcp_v4_reqsk_send_ack(const struct sock *sk, struct sk_buff *skb,
				  const struct request_sock *req)
{
	tcp_v4_send_ack(sk, skb, req->snt_isn + 1, req->rcv_isn + 1,
			req->rcv_wnd >> req->rcv_wscale,
			tcp_ts_clock_ms(sock_net(sk)->stack) + req->ts_off, req->ts_recent,
			req->tstamp_ok && req->ts_recent);
}

/* Timestamps of a segment to a request sock, PAWS checked. */
static bool tcp_req_paws(const struct request_sock *req, struct sk_buff *skb,
			 struct tcp_options_received *opt)
{
	u64 now = jiffies(req->__req_common.skc_net->stack);
	u64 age = (u64)TCP_TIMEOUT_INIT << req->num_timeout;

	memset(opt, 0, sizeof(*opt));
	tcp_parse_options(skb, opt, 0);
	if (!opt->saw_tstamp)
		return false;
	opt->ts_recent = req->ts_recent;
	if (opt->rcv_tsecr)
		opt->rcv_tsecr -= req->ts_off;
	/* Linux estimates when ts_recent was taken from the timeouts. */
	opt->ts_recent_stamp = now - TN_MIN(age, (u64)TCP_RTO_MAX);
	return tcp_paws_reject(opt, TCP_SKB_CB(skb)->tcp_flags & TCPHDR_RST, now);
}

/* The child is made: take req off the SYN queue, child onto the accept
 * queue (Linux's inet_csk_complete_hashdance). */
static struct sock *tcp_req_complete(struct sock *sk, struct request_sock *req,
				     struct sock *child)
{
	inet_csk_reqsk_queue_add(sk, req, child);
	return child;
}

/* A bad segment in SYN_RECV (RST or SYN): reset and forget the request. */
static struct sock *tcp_req_embryonic_reset(struct sock *sk, struct sk_buff *skb,
					    struct request_sock *req, u8 flags,
					    enum skb_drop_reason *reason)
{
	if (!(flags & TCPHDR_RST))
		tcp_v4_send_reset(sk, skb);
	inet_csk_reqsk_queue_drop_and_put(sk, req);
	__NET_INC_STATS(sock_net(sk), LINUX_MIB_EMBRYONICRSTS);
	*reason = (flags & TCPHDR_RST) ? SKB_DROP_REASON_TCP_RESET
				       : SKB_DROP_REASON_TCP_INVALID_SYN;
	return NULL;
}

struct sock *tcp_check_req(struct sock *sk, struct sk_buff *skb, struct request_sock *req,
			   enum skb_drop_reason *reason)
{
	const struct tcp_skb_cb *cb = TCP_SKB_CB(skb);
	u8 flags = cb->tcp_flags & (TCPHDR_RST | TCPHDR_SYN | TCPHDR_ACK);
	struct net *net = sock_net(sk);
	struct tcp_options_received opt;
	bool paws_reject = tcp_req_paws(req, skb, &opt);
	struct sock *child;

	*reason = SKB_CONSUMED;
	/* A retransmitted SYN: the SYN-ACK went missing, send it again. */
	if (cb->seq == req->rcv_isn && flags == TCPHDR_SYN && !paws_reject) {
		if (!tcp_oow_rate_limited(net, skb, LINUX_MIB_TCPACKSKIPPEDSYNRECV,
					  &req->last_oow_ack_time) &&
		    !tcp_v4_send_synack(sk, req)) {
			req->num_retrans++;
			__TCP_INC_STATS(net, TCP_MIB_RETRANSSEGS);
			__NET_INC_STATS(net, LINUX_MIB_TCPSYNRETRANS);
			tn_mod_timer(net->stack, &req->rsk_timer,
				     jiffies(net->stack) +
					     TN_MIN((u64)TCP_TIMEOUT_INIT << req->num_timeout,
						    (u64)TCP_RTO_MAX));
		}
		return NULL;
	}
	/* RFC 9293 3.10.7.4: an unacceptable ACK in SYN-RECEIVED gets a
	 * reset, which the listener sends. */
	if ((flags & TCPHDR_ACK) && cb->ack_seq != req->snt_isn + 1)
		return sk;
	/* First, check the sequence number. */
	if (paws_reject || !tcp_in_window(cb->seq, cb->end_seq, req->rcv_isn + 1,
					  req->rcv_isn + 1 + TN_MIN(req->rcv_wnd, 65535u))) {
		if (!(flags & TCPHDR_RST) &&
		    !tcp_oow_rate_limited(net, skb, LINUX_MIB_TCPACKSKIPPEDSYNRECV,
					  &req->last_oow_ack_time))
			tcp_v4_reqsk_send_ack(sk, skb, req);
		if (paws_reject)
			__NET_INC_STATS(net, LINUX_MIB_PAWSESTABREJECTED);
		*reason = paws_reject ? SKB_DROP_REASON_TCP_RFC7323_PAWS
				      : SKB_DROP_REASON_TCP_INVALID_SEQUENCE;
		return NULL;
	}
	if (opt.saw_tstamp && !after(cb->seq, req->rcv_isn + 1))
		req->ts_recent = opt.rcv_tsval;
	/* The SYN itself again, truncated to the window. */
	if (cb->seq == req->rcv_isn)
		flags &= (u8)~TCPHDR_SYN;
	/* Second, the RST bit; fourth, the SYN bit. */
	if (flags & (TCPHDR_RST | TCPHDR_SYN)) {
		__TCP_INC_STATS(net, TCP_MIB_ATTEMPTFAILS);
		return tcp_req_embryonic_reset(sk, skb, req, flags, reason);
	}
	if (!(flags & TCPHDR_ACK)) {
		*reason = SKB_DROP_REASON_TCP_FLAGS;
		return NULL;
	}
	/* TCP_DEFER_ACCEPT: a bare ACK makes no child while the defer
	 * period (counted in SYN-ACK timeouts) lasts; the request waits,
	 * acked, for the first data (Linux's TCPDeferAcceptDrop). */
	if (req->num_timeout < inet_csk(sk)->icsk_accept_queue.rskq_defer_accept &&
	    cb->end_seq == req->rcv_isn + 1) {
		req->acked = 1;
		__NET_INC_STATS(net, LINUX_MIB_TCPDEFERACCEPTDROP);
		return NULL;
	}
	child = tcp_v4_syn_recv_sock(sk, skb, req);
	if (child) {
		/* RFC 6298 2.2 from the handshake, as Linux's tcp_check_req. */
		tcp_synack_rtt_meas(child, req);
		return tcp_req_complete(sk, req, child);
	}
	/* Accept queue full: ignore the ACK (the peer retransmits it once
	 * our SYN-ACK does), or reset with tcp_abort_on_overflow. */
	*reason = SKB_DROP_REASON_TCP_LISTEN_OVERFLOW;
	if (!net->ipv4.tcp->sysctl_tcp_abort_on_overflow) {
		req->acked = 1;
		return NULL;
	}
	return tcp_req_embryonic_reset(sk, skb, req, flags, reason);
}

int tcp_child_process(struct sock *parent, struct sock *child, struct sk_buff *skb)
{
	int state = child->sk_state;
	enum skb_drop_reason ret;

	ret = tcp_rcv_state_process(child, skb);
	/* The child left SYN_RECV: wake accept(). */
	if (state == TCP_SYN_RECV && child->sk_state != state)
		parent->sk_data_ready(parent);
	return ret;
}
