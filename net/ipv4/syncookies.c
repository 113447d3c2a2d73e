/*
 * SYN cookies (Linux's net/ipv4/syncookies.c, D. J. Bernstein's idea):
 * when a listener's SYN queue is full, the SYN-ACK's sequence number
 * itself carries what the request sock would have held, so nothing is
 * kept until the ACK comes back:
 *
 *   ISN = H0(4-tuple) + SEG.SEQ + (minute << 24) + ((H1(4-tuple, minute)
 *         + mss index) mod 2^24)
 *
 * The MSS is one of four values (msstab). With timestamps, the low 6 bits
 * of our TSval carry the peer's window scale, SACK-permitted and ECN, and
 * come back in the ACK's TSecr (cookie_init_timestamp). A cookie is
 * valid for two minutes.
 *
 * Not here: deciding to send one (tcp_conn_request), the SYN-ACK itself
 * (tcp_v4_send_synack).
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
#include "lib/hash.h"

#define COOKIEBITS 24                       /* upper bits hold the minute */
#define COOKIEMASK (((u32)1 << COOKIEBITS) - 1)
#define MAX_SYNCOOKIE_AGE 2                 /* minutes */
#define TCP_SYNCOOKIE_PERIOD (60 * HZ)
#define TCP_SYNCOOKIE_VALID (MAX_SYNCOOKIE_AGE * TCP_SYNCOOKIE_PERIOD)
#define TSBITS 6
#define TS_OPT_WSCALE_MASK 0xf
#define TS_OPT_SACK (1u << 4)
#define TS_OPT_ECN (1u << 5)

/* MSS values (Alcock and Nelson, 2011): what most peers send. */
static const u16 msstab[] = { 536, 1300, 1440, 1460 };

/* Linux's siphash_4u32 with syncookie_secret[c]; jhash here. */
static u32 cookie_hash(const struct net *net, u32 saddr, u32 daddr, u16 sport, u16 dport,
		       u32 count, int c)
{
	const u32 *k = net->ipv4.tcp->syncookie_secret[c];
	u32 h = jhash_3words(saddr ^ k[0], daddr ^ k[1], (u32)sport << 16 | dport, k[2]);

	return jhash_2words(h, count, k[3]);
}

static u32 tcp_cookie_time(const struct net *net)
{
	return (u32)(jiffies(net->stack) / TCP_SYNCOOKIE_PERIOD);
}

static u32 secure_tcp_syn_cookie(const struct net *net, u32 saddr, u32 daddr, u16 sport,
				 u16 dport, u32 sseq, u32 data)
{
	u32 count = tcp_cookie_time(net);

	return cookie_hash(net, saddr, daddr, sport, dport, 0, 0) + sseq + (count << COOKIEBITS) +
	       ((cookie_hash(net, saddr, daddr, sport, dport, count, 1) + data) & COOKIEMASK);
}

/* The data (mss index) of a cookie, or (u32)-1 when it is too old; a
 * forged cookie decodes to an out-of-range value. */
static u32 check_tcp_syn_cookie(const struct net *net, u32 cookie, u32 saddr, u32 daddr,
				u16 sport, u16 dport, u32 sseq)
{
	u32 diff, count = tcp_cookie_time(net);

	cookie -= cookie_hash(net, saddr, daddr, sport, dport, 0, 0) + sseq;
	diff = (count - (cookie >> COOKIEBITS)) & ((u32)-1 >> COOKIEBITS);
	if (diff >= MAX_SYNCOOKIE_AGE)
		return (u32)-1;
	return (cookie - cookie_hash(net, saddr, daddr, sport, dport, count - diff, 1)) &
	       COOKIEMASK;
}

/* Linux's tcp_synq_overflow: remember when cookies were last sent (in the
 * listener's ts_recent_stamp, which a listener does not otherwise use),
 * plus one so that 0 keeps meaning "never". */
static void tcp_synq_overflow(const struct sock *sk)
{
	tcp_sk(sk)->rx_opt.ts_recent_stamp = jiffies(sock_net(sk)->stack) + 1;
}

static bool tcp_synq_no_recent_overflow(const struct sock *sk)
{
	u64 last = tcp_sk(sk)->rx_opt.ts_recent_stamp;

	return !last || jiffies(sock_net(sk)->stack) + 1 > last + TCP_SYNCOOKIE_VALID;
}

u32 cookie_v4_init_sequence(const struct sock *sk, const struct sk_buff *skb, u16 *mssp)
{
	struct net *net = sock_net(sk);
	struct ipv4_repr iph;
	struct tcp_repr th;
	int mssind;

	ip_hdr_repr(skb, &iph);
	tcp_hdr_parse_valid(skb_transport_header(skb), skb->len, &th);
	for (mssind = (int)ARRAY_SIZE(msstab) - 1; mssind; mssind--)
		if (*mssp >= msstab[mssind])
			break;
	*mssp = msstab[mssind];
	tcp_synq_overflow(sk);
	__NET_INC_STATS(net, LINUX_MIB_SYNCOOKIESSENT);
	return secure_tcp_syn_cookie(net, iph.saddr, iph.daddr, th.source, th.dest, th.seq,
				     (u32)mssind);
}

/* Our TSval (ms) with the options in its low bits, never ahead of now. */
u32 cookie_init_timestamp(const struct request_sock *req, u64 now_ms)
{
	u32 options = req->wscale_ok ? req->snd_wscale : TS_OPT_WSCALE_MASK;
	u64 ts;

	if (req->sack_ok)
		options |= TS_OPT_SACK;
	if (req->ecn_ok)
		options |= TS_OPT_ECN;
	ts = (now_ms >> TSBITS) << TSBITS;
	ts |= options;
	if (ts > now_ms)
		ts -= 1u << TSBITS;
	return (u32)ts;
}

/* Linux's cookie_timestamp_decode: the options back from TSecr. */
static bool cookie_timestamp_decode(const struct net *net, struct tcp_options_received *opt)
{
	u32 options = opt->rcv_tsecr;

	if (!opt->saw_tstamp) {
		opt->sack_ok = opt->wscale_ok = opt->snd_wscale = 0;
		opt->tstamp_ok = 0;
		return true;
	}
	if (!net->ipv4.tcp->sysctl_tcp_timestamps)
		return false;
	opt->sack_ok = (options & TS_OPT_SACK) ? 1 : 0;
	if (opt->sack_ok && !net->ipv4.tcp->sysctl_tcp_sack)
		return false;
	if ((options & TS_OPT_WSCALE_MASK) == TS_OPT_WSCALE_MASK)
		return true;            /* no window scaling */
	opt->wscale_ok = 1;
	opt->snd_wscale = options & TS_OPT_WSCALE_MASK;
	return net->ipv4.tcp->sysctl_tcp_window_scaling != 0;
}

/* The request sock the SYN would have made, rebuilt from the ACK. */
static struct request_sock *cookie_tcp_reqsk_alloc(struct sock *sk, struct sk_buff *skb,
						   const struct tcp_options_received *opt,
						   u16 mss, u32 tsoff)
{
	const struct tcp_skb_cb *cb = TCP_SKB_CB(skb);
	struct request_sock *req = reqsk_alloc(sk);
	struct ipv4_repr iph;
	struct tcp_repr th;

	if (!req)
		return NULL;
	ip_hdr_repr(skb, &iph);
	tcp_hdr_parse_valid(skb->data, skb->len, &th);
	req->syncookie = 1;
	req->rsk_daddr = iph.saddr;
	req->rsk_laddr = iph.daddr;
	req->rsk_rmt_port = th.source;
	req->rsk_num = th.dest;
	req->rcv_isn = cb->seq - 1;
	req->snt_isn = cb->ack_seq - 1;
	req->mss = mss;
	req->snd_wscale = opt->snd_wscale;
	req->sack_ok = opt->sack_ok;
	req->wscale_ok = opt->wscale_ok;
	req->tstamp_ok = opt->saw_tstamp;
	req->ts_recent = opt->saw_tstamp ? opt->rcv_tsval : 0;
	req->ts_off = tsoff;
	req->ecn_ok = (opt->rcv_tsecr & TS_OPT_ECN) && opt->saw_tstamp &&
		      tcp_net(sk)->sysctl_tcp_ecn;
	return req;
}

/* Redo what the SYN-ACK offered: the window from the route's MSS. */
static bool cookie_init_rwin(struct sock *sk, struct request_sock *req)
{
	struct flowi4 fl4 = { .flowi4_oif = sk->sk_bound_dev_if, .flowi4_proto = IPPROTO_TCP,
			      .saddr = req->rsk_laddr, .daddr = req->rsk_daddr };
	int full_space = tcp_full_space(sk);
	struct rtable *rt;
	u8 rcv_wscale;

	if (ip_route_output_key(sock_net(sk), &fl4, &rt))
		return false;
	ip_rt_put(rt);
	req->rsk_window_clamp = tcp_sk(sk)->window_clamp;
	if ((sk->sk_userlocks & SOCK_RCVBUF_LOCK) &&
	    (req->rsk_window_clamp > (u32)full_space || !req->rsk_window_clamp))
		req->rsk_window_clamp = (u32)full_space;
	tcp_select_initial_window(sk, full_space, req->mss, &req->rcv_wnd, &req->rsk_window_clamp,
				  req->wscale_ok, &rcv_wscale, 0);
	req->rcv_wscale = rcv_wscale;
	return true;
}

/* Linux's tcp_get_cookie_sock: the child, straight onto the accept queue. */
static struct sock *tcp_get_cookie_sock(struct sock *sk, struct sk_buff *skb,
					struct request_sock *req)
{
	struct sock *child = tcp_v4_syn_recv_sock(sk, skb, req);

	if (!child) {
		reqsk_free(req);
		return NULL;
	}
	inet_csk_reqsk_queue_add(sk, req, child);
	return child;
}

struct sock *cookie_v4_check(struct sock *sk, struct sk_buff *skb)
{
	const struct tcp_skb_cb *cb = TCP_SKB_CB(skb);
	struct net *net = sock_net(sk);
	struct tcp_options_received opt = { 0 };
	struct request_sock *req;
	struct ipv4_repr iph;
	struct tcp_repr th;
	u32 mssind, tsoff = 0;

	if (!net->ipv4.tcp->sysctl_tcp_syncookies || !(cb->tcp_flags & TCPHDR_ACK) ||
	    (cb->tcp_flags & TCPHDR_RST))
		return sk;
	if (tcp_synq_no_recent_overflow(sk))
		return sk;
	ip_hdr_repr(skb, &iph);
	tcp_hdr_parse_valid(skb->data, skb->len, &th);
	mssind = check_tcp_syn_cookie(net, cb->ack_seq - 1, iph.saddr, iph.daddr, th.source,
				      th.dest, cb->seq - 1);
	if (mssind >= ARRAY_SIZE(msstab)) {
		__NET_INC_STATS(net, LINUX_MIB_SYNCOOKIESFAILED);
		return sk;              /* the listener resets it */
	}
	__NET_INC_STATS(net, LINUX_MIB_SYNCOOKIESRECV);
	tcp_parse_options(skb, &opt, 0);
	if (opt.saw_tstamp && opt.rcv_tsecr) {
		tsoff = secure_tcp_ts_off(net, iph.daddr, iph.saddr);
		opt.rcv_tsecr -= tsoff;
	}
	if (!cookie_timestamp_decode(net, &opt))
		return sk;
	req = cookie_tcp_reqsk_alloc(sk, skb, &opt, msstab[mssind], tsoff);
	if (!req)
		return NULL;
	if (!cookie_init_rwin(sk, req)) {
		reqsk_free(req);
		return NULL;
	}
	return tcp_get_cookie_sock(sk, skb, req);
}
