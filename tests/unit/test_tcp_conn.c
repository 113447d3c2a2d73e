/*
 * Segments without a connection and the end of one (tcp_ipv4.c,
 * tcp_minisocks.c): RFC 9293 resets for a closed port (exact bytes),
 * header and checksum errors and their counters, TIME_WAIT's 60 s, its
 * answer to a retransmitted FIN, and the tcp_max_tw_buckets limit; ICMP
 * errors (hard in SYN_SENT, soft after, path MTU, RFC 6069 RTO revert).
 */
#include <stdlib.h>

#include "tn_tcpconn.h"
#include "net/wire/icmp.h"

#define PEER_ISN 0x11111111u

static struct ip_world *world_new(void)
{
	struct ip_world *w = calloc(1, sizeof(*w));

	assert_non_null(w);
	ip_world_init(w, false);
	/* Start 10 s in: a timestamp taken at 0 reads as "none" (as on a
	 * Linux host in its first second). */
	tn_test_run(w->st, 10000);
	assert_int_equal(tsysctl(w->net, "net.ipv4.tcp_timestamps", "2"), 0);
	return w;
}

static void world_free(struct ip_world *w)
{
	ip_world_free(w);
	free(w);
}

/* RFC 9293 3.10.7.1: a SYN to a closed port gets <SEQ=0><ACK=SEG.SEQ+1>
 * <CTL=RST,ACK>, window 0, no options; DF and IP ID 0 as Linux. */
static void test_closed_port_syn_gets_rst_exact(void **state)
{
	struct ip_world *w = world_new();
	struct tseg s = tseg(PEER_PORT, PEER_ISN, 0, TCPHDR_SYN);
	struct tout o;
	u8 want[40];

	(void)state;
	s.dport = 81;
	inject_tcp(w, &s);
	assert_true(pop_tcp(w, &o));
	tn_test_hex("45 00 00 28 00 00 40 00 40 06 00 00 0a 00 00 01 0a 00 00 02"
		    "00 51 9c 40 00 00 00 00 11 11 11 12 50 14 00 00 00 00 00 00",
		    want, sizeof(want));
	put_be16(want + 10, ip_fast_csum(want, 5));
	put_be16(want + 36, csum_tcpudp_magic(LOCAL_IP, PEER_IP, 20, IPPROTO_TCP,
					      csum_partial(want + 20, 20, 0)));
	assert_int_equal(o.ip_len, 40);
	assert_memory_equal(o.ip, want, 40);
	assert_int_equal(tcp_mib(w, TCP_MIB_OUTRSTS), 1);
	assert_int_equal(tcp_mib(w, TCP_MIB_INSEGS), 1);
	assert_int_equal(w->net->core.drops[SKB_DROP_REASON_NO_SOCKET], 1);
	world_free(w);
}

/* With an ACK: <SEQ=SEG.ACK><CTL=RST>; data counts in the ACK number
 * otherwise (SEG.SEQ + SEG.LEN, FIN included). */
static void test_closed_port_ack_and_data_get_rst(void **state)
{
	struct ip_world *w = world_new();
	struct tseg a = tseg(PEER_PORT, PEER_ISN, 0xabcdef01, TCPHDR_ACK);
	struct tseg d = tseg(PEER_PORT, PEER_ISN, 0, TCPHDR_PSH | TCPHDR_FIN);
	static const u8 data[5] = "hello";
	struct tout o;

	(void)state;
	inject_tcp(w, &a);
	assert_true(pop_tcp(w, &o));
	assert_int_equal(o.th.flags, TCPHDR_RST);
	assert_int_equal(o.th.seq, 0xabcdef01);
	assert_int_equal(o.th.ack_seq, 0);
	assert_int_equal(o.th.window, 0);
	d.data = data;
	d.len = sizeof(data);
	inject_tcp(w, &d);
	assert_true(pop_tcp(w, &o));
	assert_int_equal(o.th.flags, TCPHDR_RST | TCPHDR_ACK);
	assert_int_equal(o.th.seq, 0);
	assert_int_equal(o.th.ack_seq, PEER_ISN + 5 + 1);
	assert_int_equal(tcp_mib(w, TCP_MIB_OUTRSTS), 2);
	world_free(w);
}

/* A RST is never answered. */
static void test_closed_port_rst_not_answered(void **state)
{
	struct ip_world *w = world_new();
	struct tseg r = tseg(PEER_PORT, PEER_ISN, 0, TCPHDR_RST);
	struct tout o;

	(void)state;
	inject_tcp(w, &r);
	assert_false(pop_tcp(w, &o));
	assert_int_equal(tcp_mib(w, TCP_MIB_OUTRSTS), 0);
	world_free(w);
}

static void test_bad_checksum_counted_not_answered(void **state)
{
	struct ip_world *w = world_new();
	struct tseg s = tseg(PEER_PORT, PEER_ISN, 0, TCPHDR_SYN);
	struct tout o;

	(void)state;
	s.bad_csum = true;
	inject_tcp(w, &s);
	assert_false(pop_tcp(w, &o));
	assert_int_equal(tcp_mib(w, TCP_MIB_INERRS), 1);
	assert_int_equal(tcp_mib(w, TCP_MIB_CSUMERRORS), 1);
	assert_int_equal(w->net->core.drops[SKB_DROP_REASON_TCP_CSUM], 1);
	world_free(w);
}

/* A data offset below 5 words: TcpInErrs, PKT_TOO_SMALL. */
static void test_bad_data_offset_counted(void **state)
{
	struct ip_world *w = world_new();
	struct tseg s = tseg(PEER_PORT, PEER_ISN, 0, TCPHDR_SYN);
	u8 ip[100];
	size_t len = build_tcp_ip(ip, &s);
	struct tout o;
	u16 sum;

	(void)state;
	ip[20 + 12] = 4 << 4;
	put_be16(ip + 20 + 16, 0);
	sum = csum_tcpudp_magic(PEER_IP, LOCAL_IP, 20, IPPROTO_TCP, csum_partial(ip + 20, 20, 0));
	put_be16(ip + 20 + 16, sum);
	inject_ip(w, w->eth0, ip, len, false);
	assert_false(pop_tcp(w, &o));
	assert_int_equal(tcp_mib(w, TCP_MIB_INERRS), 1);
	assert_int_equal(w->net->core.drops[SKB_DROP_REASON_PKT_TOO_SMALL], 1);
	world_free(w);
}

/* ---- TIME_WAIT ------------------------------------------------------------------ */

struct conn {
	struct socket *l, *c;
	u32 isn;              /* ours */
	u32 tsval;            /* our TSval in the SYN-ACK */
};

/* Passive open of PEER_PORT -> SRV_PORT, accepted. */
static void establish(struct ip_world *w, struct conn *k)
{
	u8 o[20];
	struct tseg s = tseg(PEER_PORT, PEER_ISN, 0, TCPHDR_SYN);
	struct tout sa;
	int err;

	k->l = tlisten_on(w->net, SRV_PORT, 8);
	syn_opts(o, 1000);
	s.opts = o;
	s.optlen = sizeof(o);
	inject_tcp(w, &s);
	assert_true(pop_tcp(w, &sa));
	k->isn = sa.th.seq;
	k->tsval = get_be32(sa.tcp + 28);
	s = tseg(PEER_PORT, PEER_ISN + 1, k->isn + 1, TCPHDR_ACK);
	ts_opts(o, 1001, k->tsval);
	s.opts = o;
	s.optlen = 12;
	s.window = 502;
	inject_tcp(w, &s);
	k->c = taccept(k->l, &err);
	assert_non_null(k->c);
	assert_int_equal(k->c->sk->sk_state, TCP_ESTABLISHED);
}

static void peer_send(struct ip_world *w, u32 seq, u32 ack, u8 flags, u32 tsval, u32 tsecr)
{
	u8 o[12];
	struct tseg s = tseg(PEER_PORT, seq, ack, flags);

	ts_opts(o, tsval, tsecr);
	s.opts = o;
	s.optlen = sizeof(o);
	s.window = 502;
	inject_tcp(w, &s);
}

static struct sock_common *tw_lookup(struct ip_world *w)
{
	return __inet_lookup_established(w->net, PEER_IP, PEER_PORT, LOCAL_IP, SRV_PORT,
					 w->eth0->ifindex);
}

/* We close first: FIN, its ACK, the peer's FIN, our ACK: TIME_WAIT. */
static void active_close_to_time_wait(struct ip_world *w, struct conn *k, struct tout *fin)
{
	struct tout a;

	sock_release(k->c);
	k->c = NULL;
	assert_true(pop_tcp(w, fin));
	assert_int_equal(fin->th.flags, TCPHDR_FIN | TCPHDR_ACK);
	assert_int_equal(fin->th.seq, k->isn + 1);
	peer_send(w, PEER_ISN + 1, k->isn + 2, TCPHDR_ACK, 1002, get_be32(fin->tcp + 24));
	peer_send(w, PEER_ISN + 1, k->isn + 2, TCPHDR_FIN | TCPHDR_ACK, 1003,
		  get_be32(fin->tcp + 24));
	assert_true(pop_tcp(w, &a));
	assert_int_equal(a.th.flags, TCPHDR_ACK);
	assert_int_equal(a.th.ack_seq, PEER_ISN + 2);
}

static void test_time_wait_lasts_exactly_60s(void **state)
{
	struct ip_world *w = world_new();
	struct conn k;
	struct tout fin;
	struct sock_common *tw;
	u64 t0;

	(void)state;
	establish(w, &k);
	active_close_to_time_wait(w, &k, &fin);
	t0 = jiffies(w->st);
	tw = tw_lookup(w);
	assert_non_null(tw);
	assert_int_equal(tw->skc_state, TCP_TIME_WAIT);
	assert_int_equal(w->net->ipv4.tcp->tw_count, 1);
	tn_test_run(w->st, t0 + TCP_TIMEWAIT_LEN - 1 - jiffies(w->st));
	assert_non_null(tw_lookup(w));
	tn_test_run(w->st, 1);
	assert_null(tw_lookup(w));
	assert_int_equal(w->net->ipv4.tcp->tw_count, 0);
	assert_int_equal(ext_mib(w, LINUX_MIB_TIMEWAITED), 1);
	sock_release(k.l);
	world_free(w);
}

/* The peer lost our last ACK and sends its FIN again: ACK it again
 * (exact: SEQ our FIN + 1, ACK its FIN + 1, TS echoing its TSval) and
 * wait 60 s from now. */
static void test_time_wait_retransmitted_fin_reacked(void **state)
{
	struct ip_world *w = world_new();
	struct conn k;
	struct tout fin, a;
	u64 t1;

	(void)state;
	establish(w, &k);
	active_close_to_time_wait(w, &k, &fin);
	tn_test_run(w->st, 10000);
	peer_send(w, PEER_ISN + 1, k.isn + 2, TCPHDR_FIN | TCPHDR_ACK, 1500,
		  get_be32(fin.tcp + 24));
	t1 = jiffies(w->st);
	assert_true(pop_tcp(w, &a));
	assert_int_equal(a.th.flags, TCPHDR_ACK);
	assert_int_equal(a.th.seq, k.isn + 2);
	assert_int_equal(a.th.ack_seq, PEER_ISN + 2);
	assert_int_equal(a.th.doff, 32);
	assert_memory_equal(a.tcp + 20, "\x01\x01\x08\x0a", 4);
	assert_int_equal(get_be32(a.tcp + 24), (u32)t1 + TCP_TS_CLOCK_BASE); /* TSval clock */
	assert_int_equal(get_be32(a.tcp + 28), 1003);         /* ts_recent */
	tn_test_run(w->st, TCP_TIMEWAIT_LEN - 1);
	assert_non_null(tw_lookup(w));
	tn_test_run(w->st, 1);
	assert_null(tw_lookup(w));
	sock_release(k.l);
	world_free(w);
}

/* A RST kills TIME_WAIT (RFC 1337's hazard, Linux's default); with
 * tcp_rfc1337 = 1 it is ignored. */
static void test_time_wait_rst_kills_unless_rfc1337(void **state)
{
	struct ip_world *w = world_new();
	struct conn k;
	struct tout fin;

	(void)state;
	establish(w, &k);
	active_close_to_time_wait(w, &k, &fin);
	assert_int_equal(tsysctl(w->net, "net.ipv4.tcp_rfc1337", "1"), 0);
	peer_send(w, PEER_ISN + 2, 0, TCPHDR_RST, 1600, 0);
	assert_non_null(tw_lookup(w));
	assert_int_equal(tsysctl(w->net, "net.ipv4.tcp_rfc1337", "0"), 0);
	peer_send(w, PEER_ISN + 2, 0, TCPHDR_RST, 1601, 0);
	assert_null(tw_lookup(w));
	assert_int_equal(w->net->ipv4.tcp->tw_count, 0);
	sock_release(k.l);
	world_free(w);
}

/* Out of buckets (tcp_max_tw_buckets 0): the orphan that would wait in
 * FIN_WAIT2 as a timewait sock closes at once (TCPTimeWaitOverflow), and
 * the peer's FIN then meets no socket: RST. */
static void test_time_wait_bucket_limit_overflows(void **state)
{
	struct ip_world *w = world_new();
	struct conn k;
	struct tout fin, r;

	(void)state;
	assert_int_equal(tsysctl(w->net, "net.ipv4.tcp_max_tw_buckets", "0"), 0);
	establish(w, &k);
	sock_release(k.c);
	assert_true(pop_tcp(w, &fin));
	assert_int_equal(fin.th.flags, TCPHDR_FIN | TCPHDR_ACK);
	peer_send(w, PEER_ISN + 1, k.isn + 2, TCPHDR_ACK, 1002, get_be32(fin.tcp + 24));
	assert_int_equal(ext_mib(w, LINUX_MIB_TCPTIMEWAITOVERFLOW), 1);
	assert_null(tw_lookup(w));
	assert_int_equal(w->net->ipv4.tcp->tw_count, 0);
	peer_send(w, PEER_ISN + 1, k.isn + 2, TCPHDR_FIN | TCPHDR_ACK, 1003, 0);
	assert_true(pop_tcp(w, &r));
	assert_int_equal(r.th.flags, TCPHDR_RST);
	assert_int_equal(r.th.seq, k.isn + 2);
	sock_release(k.l);
	world_free(w);
}

/* The timewait sock keeps the port: the listener's bind bucket lives on
 * after the listener closes, until TIME_WAIT ends. */
static void test_time_wait_holds_port_until_it_ends(void **state)
{
	struct ip_world *w = world_new();
	struct conn k;
	struct tout fin;
	struct socket *s;

	(void)state;
	establish(w, &k);
	active_close_to_time_wait(w, &k, &fin);
	sock_release(k.l);
	s = tsock_new(w->net);
	assert_int_equal(tbind(s, 0, SRV_PORT), -EADDRINUSE);
	assert_int_equal(tsetopt(s, SOL_SOCKET, SO_REUSEADDR, 1), 0);
	/* SO_REUSEADDR binds over a TIME_WAIT only if it had it too. */
	assert_int_equal(tbind(s, 0, SRV_PORT), -EADDRINUSE);
	tn_test_run(w->st, TCP_TIMEWAIT_LEN);
	assert_int_equal(tbind(s, 0, SRV_PORT), 0);
	sock_release(s);
	world_free(w);
}

/* ---- ICMP errors ------------------------------------------------------------------ */

/* An ICMP error from the peer quoting the IP header and first 8 bytes of
 * a segment we sent (o). */
static void inject_icmp_about(struct ip_world *w, const struct tout *o, u8 type, u8 code,
			      u32 info)
{
	u8 msg[8 + 28];
	struct icmp_repr r = { .type = type, .code = code };
	struct ip_pkt p = { .saddr = PEER_IP, .daddr = LOCAL_IP, .ttl = 64,
			    .protocol = IPPROTO_ICMP, .id = 7, .payload = msg,
			    .paylen = sizeof(msg) };
	u8 ip[100];
	size_t len;

	if (code == ICMP_FRAG_NEEDED)
		r.un.frag.mtu = (u16)info;
	else
		r.un.raw = info;
	icmp_emit(&r, msg);
	memcpy(msg + 8, o->ip, 28);
	put_be16(msg + 2, csum_fold(csum_partial(msg, sizeof(msg), 0)));
	len = build_ipv4(ip, &p);
	inject_ip(w, w->eth0, ip, len, false);
}

/* SYN_SENT: an unreachable ends the attempt at once (Linux's tcp_v4_err:
 * nobody holds the socket, so the error is hard): EHOSTUNREACH, CLOSE. */
static void test_syn_sent_icmp_unreach_fails_connect(void **state)
{
	struct ip_world *w = world_new();
	struct socket *s = tsock_new(w->net);
	struct tout syn;

	(void)state;
	assert_int_equal(tconnect(s, PEER_IP, 80), -EINPROGRESS);
	assert_true(pop_tcp(w, &syn));
	assert_int_equal(syn.th.flags, TCPHDR_SYN);
	/* An ICMP quoting a sequence number we never sent is ignored. */
	put_be32(syn.ip + 24, syn.th.seq + 100000);
	inject_icmp_about(w, &syn, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, 0);
	assert_int_equal(s->sk->sk_state, TCP_SYN_SENT);
	assert_int_equal(ext_mib(w, LINUX_MIB_OUTOFWINDOWICMPS), 1);
	put_be32(syn.ip + 24, syn.th.seq);
	inject_icmp_about(w, &syn, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, 0);
	assert_int_equal(s->sk->sk_state, TCP_CLOSE);
	assert_int_equal(s->sk->sk_err, EHOSTUNREACH);
	sock_release(s);
	world_free(w);
}

/* ESTABLISHED: RFC 1122 4.2.3.9, the connection keeps trying; the error
 * is only remembered (sk_err_soft) without IP_RECVERR. */
static void test_established_icmp_unreach_is_soft(void **state)
{
	struct ip_world *w = world_new();
	struct conn k;
	struct tout fake;

	(void)state;
	establish(w, &k);
	/* Quote a segment of ours: SEQ = SND.UNA. */
	memset(&fake, 0, sizeof(fake));
	tn_test_hex("45 00 00 28 00 00 40 00 40 06 00 00 0a 00 00 01 0a 00 00 02"
		    "00 50 9c 40 00 00 00 00", fake.ip, sizeof(fake.ip));
	put_be32(fake.ip + 24, k.isn + 1);
	inject_icmp_about(w, &fake, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, 0);
	assert_int_equal(k.c->sk->sk_state, TCP_ESTABLISHED);
	assert_int_equal(k.c->sk->sk_err, 0);
	assert_int_equal(k.c->sk->sk_err_soft, EHOSTUNREACH);
	sock_release(k.c);
	sock_release(k.l);
	world_free(w);
}

static void conn_send(struct conn *k, const char *data)
{
	struct iovec iov = { .iov_base = (void *)data, .iov_len = strlen(data) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };

	assert_int_equal(k->c->ops->sendmsg(k->c, &msg, iov.iov_len, MSG_DONTWAIT),
			 (int)iov.iov_len);
}

/* RFC 6069 (Linux's tcp_ld_RTO_revert): data probed at the PTO, then
 * retransmitted after one RTO (RTO_MIN + the handshake's SRTT, timed in
 * microseconds from the SYN-ACK's send time as Linux's
 * tcp_synack_rtt_meas: 0 here, so 200 ms) and
 * then after two is lost; a host unreachable about SND.UNA undoes one
 * backoff: the next retransmission comes 2 RTOs after the last one, not
 * 4. A second one arriving after the reverted RTO has passed retransmits
 * at once. Another sequence number (not SND.UNA) reverts nothing. */
static void test_established_icmp_unreach_reverts_rto_backoff(void **state)
{
	struct ip_world *w = world_new();
	struct conn k;
	struct tout d, r;
	u32 rto;

	(void)state;
	establish(w, &k);
	rto = inet_csk(k.c->sk)->icsk_rto;
	assert_int_equal(rto, 200);
	conn_send(&k, "hello");
	assert_true(pop_tcp(w, &d));
	assert_int_equal(d.th.seq, k.isn + 1);
	/* SACK is on: the first timer is Linux's tail loss probe (PTO
	 * 2 SRTT + RTO_MIN for one segment out, capped at the RTO), which
	 * re-arms the RTO from its own send time. */
	tn_test_run(w->st, rto);
	assert_true(pop_tcp(w, &r));
	assert_int_equal(r.th.seq, k.isn + 1);
	assert_int_equal(w->net->mib.linux_mib[LINUX_MIB_TCPLOSSPROBES], 1);
	assert_int_equal(inet_csk(k.c->sk)->icsk_backoff, 0);
	tn_test_run(w->st, rto);
	assert_true(pop_tcp(w, &r));
	tn_test_run(w->st, 2 * rto);
	assert_true(pop_tcp(w, &r));
	assert_int_equal(inet_csk(k.c->sk)->icsk_backoff, 2);
	assert_int_equal(inet_csk(k.c->sk)->icsk_rto, 4 * rto);
	/* Quoting SND.UNA + 1: not ours to revert. */
	put_be32(d.ip + 24, k.isn + 2);
	inject_icmp_about(w, &d, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, 0);
	assert_int_equal(inet_csk(k.c->sk)->icsk_backoff, 2);
	put_be32(d.ip + 24, k.isn + 1);
	inject_icmp_about(w, &d, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, 0);
	assert_int_equal(inet_csk(k.c->sk)->icsk_backoff, 1);
	assert_int_equal(inet_csk(k.c->sk)->icsk_rto, 2 * rto);
	assert_int_equal(k.c->sk->sk_err_soft, EHOSTUNREACH);
	tn_test_run(w->st, 2 * rto - 1);
	assert_false(pop_tcp(w, &r));
	tn_test_run(w->st, 1);
	assert_true(pop_tcp(w, &r));
	assert_int_equal(r.th.seq, k.isn + 1);
	/* Backoff 2 again (4 RTOs); 3 RTOs later the revert to 2 is
	 * already overdue: the segment goes at once, backing off again. */
	assert_int_equal(inet_csk(k.c->sk)->icsk_backoff, 2);
	tn_test_run(w->st, 3 * rto);
	assert_false(pop_tcp(w, &r));
	inject_icmp_about(w, &d, ICMP_DEST_UNREACH, ICMP_NET_UNREACH, 0);
	assert_true(pop_tcp(w, &r));
	assert_int_equal(r.th.seq, k.isn + 1);
	assert_int_equal(inet_csk(k.c->sk)->icsk_backoff, 2);
	assert_int_equal(inet_csk(k.c->sk)->icsk_rto, 4 * rto);
	sock_release(k.c);
	sock_release(k.l);
	while (pop_tcp(w, &r))
		;
	world_free(w);
}

/* Fragmentation needed on a connection: the MSS follows the new MTU. */
static void test_established_frag_needed_lowers_mss(void **state)
{
	struct ip_world *w = world_new();
	struct conn k;
	struct tout fake;

	(void)state;
	establish(w, &k);
	assert_int_equal(tcp_sk(k.c->sk)->mss_cache, 1448);
	memset(&fake, 0, sizeof(fake));
	tn_test_hex("45 00 05 dc 00 00 40 00 40 06 00 00 0a 00 00 01 0a 00 00 02"
		    "00 50 9c 40 00 00 00 00", fake.ip, sizeof(fake.ip));
	put_be32(fake.ip + 24, k.isn + 1);
	inject_icmp_about(w, &fake, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, 1200);
	assert_int_equal(inet_csk(k.c->sk)->icsk_pmtu_cookie, 1200);
	assert_int_equal(tcp_sk(k.c->sk)->mss_cache, 1200 - 40 - 12);
	sock_release(k.c);
	sock_release(k.l);
	world_free(w);
}

/* ---- sysctls ------------------------------------------------------------------------ */

static void expect_sysctl(struct net *net, const char *key, const char *want)
{
	char buf[128];

	assert_int_equal(tn_sysctl_read(net, key, buf, sizeof(buf)), 0);
	assert_string_equal(buf, want);
}

/* net.ipv4.tcp_*: Linux's names, units and defaults; vectors and the
 * congestion control name checked on write. */
static void test_sysctls_linux_names_and_defaults(void **state)
{
	struct ip_world *w = world_new();

	(void)state;
	expect_sysctl(w->net, "net.ipv4.tcp_rmem", "4096\t131072\t6291456");
	expect_sysctl(w->net, "net.ipv4.tcp_wmem", "4096\t16384\t4194304");
	expect_sysctl(w->net, "net.ipv4.tcp_fin_timeout", "60");
	expect_sysctl(w->net, "net.ipv4.tcp_keepalive_time", "7200");
	expect_sysctl(w->net, "net.ipv4.tcp_syn_retries", "6");
	expect_sysctl(w->net, "net.ipv4.tcp_synack_retries", "5");
	expect_sysctl(w->net, "net.ipv4.tcp_syncookies", "1");
	expect_sysctl(w->net, "net.ipv4.tcp_tw_reuse", "2");
	expect_sysctl(w->net, "net.ipv4.tcp_max_tw_buckets", "262144");
	expect_sysctl(w->net, "net.ipv4.tcp_congestion_control", "cubic");
	assert_int_equal(tsysctl(w->net, "net.ipv4.tcp_rmem", "8192 65536 1048576"), 0);
	expect_sysctl(w->net, "net.ipv4.tcp_rmem", "8192\t65536\t1048576");
	assert_int_equal(tsysctl(w->net, "net.ipv4.tcp_rmem", "8192 65536"), -EINVAL);
	assert_int_equal(tsysctl(w->net, "net.ipv4.tcp_tw_reuse", "3"), -EINVAL);
	assert_int_equal(tsysctl(w->net, "net.ipv4.tcp_congestion_control", "reno"), 0);
	expect_sysctl(w->net, "net.ipv4.tcp_congestion_control", "reno");
	assert_int_equal(tsysctl(w->net, "net.ipv4.tcp_congestion_control", "bogus"), -ENOENT);
	assert_int_equal(tsysctl(w->net, "net.ipv4.tcp_fin_timeout", "30"), 0);
	assert_int_equal(w->net->ipv4.tcp->sysctl_tcp_fin_timeout, 30000);
	world_free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_closed_port_syn_gets_rst_exact),
		cmocka_unit_test(test_closed_port_ack_and_data_get_rst),
		cmocka_unit_test(test_closed_port_rst_not_answered),
		cmocka_unit_test(test_bad_checksum_counted_not_answered),
		cmocka_unit_test(test_bad_data_offset_counted),
		cmocka_unit_test(test_time_wait_lasts_exactly_60s),
		cmocka_unit_test(test_time_wait_retransmitted_fin_reacked),
		cmocka_unit_test(test_time_wait_rst_kills_unless_rfc1337),
		cmocka_unit_test(test_time_wait_bucket_limit_overflows),
		cmocka_unit_test(test_time_wait_holds_port_until_it_ends),
		cmocka_unit_test(test_syn_sent_icmp_unreach_fails_connect),
		cmocka_unit_test(test_established_icmp_unreach_is_soft),
		cmocka_unit_test(test_established_icmp_unreach_reverts_rto_backoff),
		cmocka_unit_test(test_established_frag_needed_lowers_mss),
		cmocka_unit_test(test_sysctls_linux_names_and_defaults),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
