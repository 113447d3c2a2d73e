/*
 * Fixtures for the SACK and loss-recovery tests (test_tcp_sack.c,
 * test_tcp_recovery.c): one client connection 10.0.0.1 -> 10.0.0.2:80 made
 * through the socket layer, the handshake answered by the test with the
 * options a test asks for (SACK, timestamps; never window scaling, so every
 * window is in bytes), data written with sendmsg, and every segment the
 * stack sends read back and compared whole: flags, seq, ack, window, each
 * option byte, payload. Sequence numbers are written as segment indexes
 * (S(i) = our ISN + 1 + i * MSS) or byte offsets of the peer's stream.
 * Header-only, as tn_tcpconn.h.
 */
#ifndef TN_TESTS_TN_TCPREC_H
#define TN_TESTS_TN_TCPREC_H

#include "tn_tcpconn.h"

#define P_ISN 0x10000000u
#define P_WIN 65535u
#define P_TSVAL0 5000u

enum { OPT_SACK = 1, OPT_TS = 2 };

struct rconn {
	struct ip_world w;
	struct socket *sock;
	struct sock *sk;
	u32 iss;          /* our ISN */
	u16 port;         /* our port */
	u32 ts0;          /* our TSval in the SYN, sent at t0 */
	u64 t0;
	u32 p_tsval;      /* the peer's TSval, moved by the test */
	u32 mss;          /* our MSS: 1460, 1448 with timestamps */
	u16 win;          /* the window we advertise (read from our first ACK) */
	int opts;
	u32 sent;         /* bytes written so far */
	u8 data[65536];   /* what we write: data[i] = i * 7 + 3 */
};

static inline u32 S(const struct rconn *c, u32 i) { return c->iss + 1 + i * c->mss; }
static inline u64 rc_now(const struct rconn *c) { return jiffies(c->w.st); }
static inline u32 rc_tsval(const struct rconn *c) { return c->ts0 + (u32)(rc_now(c) - c->t0); }
static inline struct tcp_sock *rc_tp(const struct rconn *c) { return tcp_sk(c->sk); }
static inline u8 rc_ca_state(const struct rconn *c) { return inet_csk(c->sk)->icsk_ca_state; }

/* A segment from the peer: ack, optional SACK blocks (pairs of sequence
 * numbers, first block first), timestamps when negotiated (TSecr given). */
static inline void rc_peer(struct rconn *c, u8 flags, u32 seq, u32 ack, const u32 *sack,
			   int nsack, u32 tsecr, const u8 *data, u16 len)
{
	u8 o[40];
	u8 n = 0;
	struct tseg s = tseg(SRV_PORT, seq, ack, flags);

	s.dport = c->port;
	s.window = P_WIN;
	if (c->opts & OPT_TS) {
		ts_opts(o, c->p_tsval, tsecr);
		n = 12;
	}
	if (nsack) {
		o[n++] = 1;
		o[n++] = 1;
		o[n++] = 5;
		o[n++] = (u8)(2 + 8 * nsack);
		for (int i = 0; i < 2 * nsack; i++, n += 4)
			put_be32(o + n, sack[i]);
	}
	s.opts = o;
	s.optlen = n;
	s.data = data;
	s.len = len;
	inject_tcp(&c->w, &s);
}

/* A pure ACK from the peer echoing TSecr tsecr (ignored without TS). */
static inline void rc_ack(struct rconn *c, u32 ack, const u32 *sack, int nsack, u32 tsecr)
{
	rc_peer(c, TCPHDR_ACK, P_ISN + 1, ack, sack, nsack, tsecr, NULL, 0);
}

/* Connect; the peer answers with MSS 1460 and, as asked, sackOK and TS,
 * rtt_ms after our SYN. */
static inline void rc_establish_rtt(struct rconn *c, int opts, const char *cc, u32 rtt_ms)
{
	struct tout o;
	u8 so[20];
	u8 n = 0;
	struct tseg s;
	int sndbuf = 1 << 20;

	memset(c, 0, sizeof(*c));
	for (u32 i = 0; i < sizeof(c->data); i++)
		c->data[i] = (u8)(i * 7 + 3);
	ip_world_init(&c->w, false);
	c->opts = opts;
	c->sock = tsock_new(c->w.net);
	c->sk = c->sock->sk;
	assert_int_equal(sock_setsockopt(c->sk, SO_SNDBUF, &sndbuf, sizeof(sndbuf)), 0);
	if (cc)
		assert_int_equal(c->sock->ops->setsockopt(c->sock, SOL_TCP, TCP_CONGESTION, cc,
							  (socklen_t)strlen(cc)), 0);
	tconnect(c->sock, PEER_IP, SRV_PORT);
	tn_test_run(c->w.st, 0);
	assert_true(pop_tcp(&c->w, &o));
	assert_int_equal(o.th.flags, TCPHDR_SYN);
	c->iss = o.th.seq;
	c->port = o.th.source;
	c->ts0 = get_be32(o.tcp + 20 + 8);
	c->t0 = rc_now(c);
	c->p_tsval = P_TSVAL0;
	if (rtt_ms)
		tn_test_run(c->w.st, rtt_ms);

	s = tseg(SRV_PORT, P_ISN, c->iss + 1, TCPHDR_SYN | TCPHDR_ACK);
	s.dport = c->port;
	s.window = P_WIN;
	so[n++] = 2; so[n++] = 4; so[n++] = 0x05; so[n++] = 0xb4;
	if (opts & OPT_SACK) {
		so[n++] = 1; so[n++] = 1; so[n++] = 4; so[n++] = 2;
	}
	if (opts & OPT_TS) {
		ts_opts(so + n, c->p_tsval, c->ts0);
		n += 12;
	}
	s.opts = so;
	s.optlen = n;
	inject_tcp(&c->w, &s);
	assert_int_equal(c->sk->sk_state, TCP_ESTABLISHED);
	assert_true(pop_tcp(&c->w, &o));
	assert_int_equal(o.th.flags, TCPHDR_ACK);
	c->win = o.th.window;
	c->mss = (opts & OPT_TS) ? 1448 : 1460;
	assert_int_equal(rc_tp(c)->mss_cache, c->mss);
	assert_int_equal(rc_tp(c)->rx_opt.sack_ok != 0, !!(opts & OPT_SACK));
	assert_int_equal(rc_tp(c)->rx_opt.tstamp_ok, !!(opts & OPT_TS));
	/* Linux keeps SND.WL1 at the SYN-ACK's sequence number, so the
	 * peer's first segment after it (SEG.SEQ = ISN + 1) is a window update
	 * in tcp_may_update_window, never a duplicate ACK. Send that one now,
	 * as a peer that ACKed our handshake ACK would, so that the ACKs of a
	 * test count as duplicates from the first. */
	rc_ack(c, c->iss + 1, NULL, 0, c->ts0);
	assert_int_equal(rc_tp(c)->snd_wl1, P_ISN + 1);
	assert_false(pop_tcp(&c->w, &o));
	/* Count from here, as tn_tcp_xmit.h does. */
	memset(&c->w.net->mib, 0, sizeof(c->w.net->mib));
}

static inline void rc_establish(struct rconn *c, int opts, const char *cc)
{
	rc_establish_rtt(c, opts, cc, 0);
}

static inline void rc_close(struct rconn *c)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };

	if (c->sock) {
		sock_setsockopt(c->sk, SO_LINGER, &lg, sizeof(lg));
		sock_release(c->sock);
	}
	tn_test_run(c->w.st, 0);
	testdev_clear_tx(c->w.eth0);
	ip_world_free(&c->w);
}

/* Write nseg full segments' worth (one sendmsg). */
static inline void rc_write(struct rconn *c, u32 nseg)
{
	u32 len = nseg * c->mss;
	struct iovec iov = { .iov_base = c->data + c->sent, .iov_len = len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };

	assert_true(c->sent + len <= sizeof(c->data));
	assert_int_equal(c->sock->ops->sendmsg(c->sock, &msg, len, MSG_DONTWAIT), (int)len);
	c->sent += len;
	tn_test_run(c->w.st, 0);
}

/* The options we put on a segment: nop nop TS(now, the peer's TSval). */
static inline u8 rc_our_opts(const struct rconn *c, u8 *o)
{
	if (!(c->opts & OPT_TS))
		return 0;
	ts_opts(o, rc_tsval(c), c->p_tsval);
	return 12;
}

/* The next segment we sent is data segment i (full MSS), flags as given,
 * byte for byte. */
static inline void rc_expect_data(struct rconn *c, u32 i, u8 flags)
{
	struct tout o;
	u8 opt[40];
	u8 olen = rc_our_opts(c, opt);

	if (!pop_tcp(&c->w, &o))
		fail_msg("segment %u not sent (cwnd %u ssthresh %u ca %u packets_out %u sacked %u lost %u retrans %u)",
			 i, rc_tp(c)->snd_cwnd, rc_tp(c)->snd_ssthresh, rc_ca_state(c),
			 rc_tp(c)->packets_out, rc_tp(c)->sacked_out, rc_tp(c)->lost_out,
			 rc_tp(c)->retrans_out);
	if (o.th.seq != S(c, i))
		fail_msg("expected segment %u, got seq S%d + %d", i, (int)((o.th.seq - S(c, 0)) / c->mss),
			 (int)((o.th.seq - S(c, 0)) % c->mss));
	assert_int_equal(o.th.flags, flags);
	assert_int_equal(o.th.seq, S(c, i));
	assert_int_equal(o.th.ack_seq, P_ISN + 1);
	assert_int_equal(o.th.window, c->win);
	assert_int_equal(o.th.doff, 20 + olen);
	assert_memory_equal(o.tcp + 20, opt, olen);
	assert_int_equal(o.tcp_len - o.th.doff, c->mss);
	assert_memory_equal(o.tcp + o.th.doff, c->data + i * c->mss, c->mss);
	assert_int_equal(o.iph.ttl, 64);
}

static inline void rc_expect_silence(struct rconn *c)
{
	struct tout o;

	assert_false(pop_tcp(&c->w, &o));
}

static inline u64 rc_ext(const struct rconn *c, int f) { return c->w.net->mib.linux_mib[f]; }
static inline u64 rc_tcp(const struct rconn *c, int f) { return c->w.net->mib.tcp[f]; }

#endif
