/*
 * TCP's state x event matrix, byte-exact: for each of the eleven states of
 * RFC 9293 section 3.3.2 (CLOSED, LISTEN, SYN-SENT, SYN-RECEIVED,
 * ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2, CLOSE-WAIT, CLOSING, LAST-ACK,
 * TIME-WAIT) the events of section 3.10 (SYN, SYN-ACK, ACK acceptable / old /
 * future, data in and out of the window, FIN, RST exact / in-window /
 * out-of-window, the timeouts, close(), shutdown(SHUT_WR)), and for each the
 * state that follows and the exact segment sent: flags, seq, ack, window and
 * every option byte, as Linux sends them (RFC 5961's challenge ACKs, Linux's
 * windows and option layout, TSval moving with the millisecond clock).
 *
 * The socket side is driven through the public API (tn_socket, tn_connect,
 * tn_listen, ...), so the whole path runs: socket layer, af_inet, tcp.c,
 * tcp_ipv4.c, tcp_input.c, tcp_output.c, tcp_timer.c, tcp_minisocks.c. The
 * peer is the test: it injects frames through the test device eth0
 * (10.0.0.1, peer 10.0.0.2 with a static ARP entry, see tn_ipv4.h) and reads
 * every frame the stack transmits. Time is virtual; each step says how much
 * passes. Sequence numbers are written relative to the two ISNs (ours is
 * read from the first SYN or SYN-ACK we send, the peer's is PEER_ISN).
 *
 * Not here: congestion control, SACK and recovery (tcp_input's own tests),
 * whole transfers (test_tcp_world.c), errno sequences compared with the
 * kernel (tests/conformance/cases_tcp.c).
 */
#include "tn_ipv4.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <linux/sockios.h>

#include "net/tcp.h"
#include "net/socket.h"
#include "tuxnet/tuxnet.h"

#define LPORT 40000              /* our port when we connect */
#define PPORT 80                 /* the peer's port when we connect */
#define SPORT 80                 /* our listening port */
#define CPORT 50000              /* the peer's port when it connects */
#define PEER_ISN 0x10000000u
#define PEER_WIN 65535
#define PEER_TSVAL 777000u

/* Linux's first windows with the default buffers (tcp_rmem[1] 131072,
 * tcp_adv_win_scale 1: 65536 of space, rounded down to a multiple of the
 * 1460-byte MSS) and the scale for tcp_rmem[2] 6291456 (ilog2 - 15). */
#define WIN_INIT 64240
#define WSCALE_INIT 7
/* 64240 aligned up to 1 << 7 and scaled: what the first ACK of a scaled
 * connection advertises (__tcp_select_window). */
#define WIN_INIT_SCALED 502
#define WIN_ANY (-1)             /* a window that depends on skb truesize */
/* After the peer's FIN (one sequence number) Linux offers what is left of
 * the window, 64239: window_clamp and rcv_ssthresh are 64076 (65536 of
 * space minus one advmss, tcp_init_buffer_space), below the 64240 offered,
 * so __tcp_select_window proposes less and never-shrink keeps
 * rcv_wup + rcv_wnd - rcv_nxt. Read off the wire from Linux 6.18 over veth
 * (peer offering MSS only; the ACK of the FIN, the data and FIN sent
 * after it in CLOSE-WAIT, and the ACK in FIN-WAIT-2 all carry 64239). */
#define WIN_AFTER_FIN (WIN_INIT - 1)

/* ---- the peer's side of a connection ----------------------------------- */

struct conn {
	int fd;                      /* our socket (-1 once closed) */
	struct sock *sk;             /* held when the test needs it past close */
	bool held;
	u16 lport, pport;            /* ours, the peer's */
	u32 iss;                     /* our ISN */
	bool ts;                     /* timestamps negotiated */
	u32 ts0;                     /* our first TSval, */
	u64 t0_ms;                   /*   sent at this virtual time */
};

/* A segment as read off the wire. */
struct seg {
	u16 sport, dport;
	u32 seq, ack;
	u8 flags;
	u16 win;
	u8 opt[40];
	u8 optlen;
	u8 data[2048];
	u16 len;
	u8 ttl;
	u16 frag_off;
};

static u64 now_ms(struct ip_world *w)
{
	return jiffies(w->st);
}

/* Our TSval now: the one of the first SYN moved on by the clock (Linux's
 * tcp_time_stamp: milliseconds plus a per-connection offset). */
static u32 our_tsval(struct ip_world *w, const struct conn *c)
{
	return c->ts0 + (u32)(now_ms(w) - c->t0_ms);
}

/* mss 1460, sackOK, TS val ecr, nop, wscale ws: Linux's SYN layout. */
static u8 opt_syn(u8 *o, u32 tsval, u32 tsecr, u8 ws)
{
	static const u8 head[] = { 2, 4, 0x05, 0xb4, 4, 2, 8, 10 };

	memcpy(o, head, sizeof(head));
	put_be32(o + 8, tsval);
	put_be32(o + 12, tsecr);
	o[16] = 1;
	o[17] = 3;
	o[18] = 3;
	o[19] = ws;
	return 20;
}

/* nop, nop, TS val ecr: every segment once timestamps are on. */
static u8 opt_ts(u8 *o, u32 tsval, u32 tsecr)
{
	o[0] = 1;
	o[1] = 1;
	o[2] = 8;
	o[3] = 10;
	put_be32(o + 4, tsval);
	put_be32(o + 8, tsecr);
	return 12;
}

static const u8 opt_mss1460[4] = { 2, 4, 0x05, 0xb4 };

/* Inject one segment from the peer (10.0.0.2:sport -> 10.0.0.1:dport). */
static void peer_send(struct ip_world *w, u16 sport, u16 dport, u8 flags, u32 seq, u32 ack,
		      u16 win, const u8 *opt, u8 optlen, const void *data, u16 len)
{
	u8 tcp[1600];
	u16 hlen = (u16)(20 + optlen);

	assert_true(optlen % 4 == 0 && hlen + len <= sizeof(tcp));
	memset(tcp, 0, hlen);
	put_be16(tcp, sport);
	put_be16(tcp + 2, dport);
	put_be32(tcp + 4, seq);
	put_be32(tcp + 8, ack);
	tcp[12] = (u8)((hlen / 4) << 4);
	tcp[13] = flags;
	put_be16(tcp + 14, win);
	if (optlen)
		memcpy(tcp + 20, opt, optlen);
	if (len)
		memcpy(tcp + hlen, data, len);
	u32 sum = csum_partial(tcp, (size_t)hlen + len, 0);
	put_be16(tcp + 16, csum_tcpudp_magic(PEER_IP, LOCAL_IP, (u32)hlen + len, IPPROTO_TCP, sum));

	struct ip_pkt p = {
		.saddr = PEER_IP, .daddr = LOCAL_IP, .ttl = 64, .protocol = IPPROTO_TCP,
		.id = 0x4242, .frag_off = IP_DF, .payload = tcp, .paylen = (u16)(hlen + len),
	};
	inject_pkt(w, w->eth0, &p);
}

/* The same, on a connection we opened (to PPORT from LPORT). */
static void peer_to(struct ip_world *w, const struct conn *c, u8 flags, u32 seq, u32 ack,
		    const u8 *opt, u8 optlen, const void *data, u16 len)
{
	peer_send(w, c->pport, c->lport, flags, seq, ack, PEER_WIN, opt, optlen, data, len);
}

/* Parse one transmitted frame: Ethernet to the peer, IPv4 with DF and TTL
 * 64 and a correct checksum, TCP with a correct checksum. */
static void parse_frame(struct ip_world *w, struct sk_buff *skb, struct seg *s)
{
	const u8 *f = skb->data;

	assert_true(skb->len >= ETH_HLEN + 40);
	assert_memory_equal(f, peer_mac, 6);
	assert_memory_equal(f + 6, w->eth0->dev_addr, 6);
	assert_int_equal(get_be16(f + 12), ETH_P_IP);
	const u8 *iph = f + ETH_HLEN;
	assert_int_equal(iph[0], 0x45);
	assert_int_equal(ip_fast_csum(iph, 5), 0);
	assert_int_equal(iph[9], IPPROTO_TCP);
	assert_int_equal(get_be32(iph + 12), LOCAL_IP);
	assert_int_equal(get_be32(iph + 16), PEER_IP);
	u16 tot = get_be16(iph + 2);
	assert_true(tot >= 40 && ETH_HLEN + (u32)tot <= skb->len);
	s->ttl = iph[8];
	s->frag_off = get_be16(iph + 6);

	const u8 *th = iph + 20;
	u16 tlen = (u16)(tot - 20);
	u32 sum = csum_partial(th, tlen, 0);
	assert_int_equal(csum_tcpudp_magic(LOCAL_IP, PEER_IP, tlen, IPPROTO_TCP, sum), 0);
	u8 doff = (u8)((th[12] >> 4) * 4);
	assert_true(doff >= 20 && doff <= tlen);
	assert_int_equal(th[12] & 0x0f, 0);   /* reserved bits and AE clear */
	s->sport = get_be16(th);
	s->dport = get_be16(th + 2);
	s->seq = get_be32(th + 4);
	s->ack = get_be32(th + 8);
	s->flags = th[13];
	s->win = get_be16(th + 14);
	assert_int_equal(get_be16(th + 18), 0);  /* urgent pointer */
	s->optlen = (u8)(doff - 20);
	memcpy(s->opt, th + 20, s->optlen);
	s->len = (u16)(tlen - doff);
	memcpy(s->data, th + doff, TN_MIN(s->len, (u16)sizeof(s->data)));
}

static const char *flag_str(u8 f, char *buf)
{
	static const char names[] = "FSRPAUEC";
	int n = 0;

	for (int i = 0; i < 8; i++)
		if (f & (1 << i))
			buf[n++] = names[i];
	buf[n] = 0;
	return buf;
}

static void print_seg(const char *what, const struct seg *s, u32 seq_base, u32 ack_base)
{
	char fb[9];

	print_message("%s: %u > %u [%s] seq %u (rel %u) ack %u (rel %u) win %u optlen %u len %u\n",
		      what, s->sport, s->dport, flag_str(s->flags, fb), s->seq, s->seq - seq_base,
		      s->ack, s->ack - ack_base, s->win, s->optlen, s->len);
}

/* Run the stack, then take the next transmitted segment (the test fails
 * when there is none). */
static void pop_seg(struct ip_world *w, struct seg *s)
{
	tn_test_run(w->st, 0);
	struct sk_buff *skb = testdev_pop_tx(w->eth0);
	if (!skb)
		print_message("expected a segment at %llu ms, the stack sent nothing\n",
			      (unsigned long long)now_ms(w));
	assert_non_null(skb);
	parse_frame(w, skb, s);
	consume_skb(skb);
}

/* The next segment must be exactly this one. win WIN_ANY: not compared. */
static void expect_seg(struct ip_world *w, u16 sport, u16 dport, u8 flags, u32 seq, u32 ack,
		       int win, const u8 *opt, u8 optlen, const void *data, u16 len)
{
	struct seg s;

	pop_seg(w, &s);
	bool same = s.sport == sport && s.dport == dport && s.flags == flags && s.seq == seq &&
		    s.ack == ack && (win == WIN_ANY || s.win == win) && s.optlen == optlen &&
		    (!optlen || memcmp(s.opt, opt, optlen) == 0) && s.len == len &&
		    (!len || memcmp(s.data, data, len) == 0);
	if (!same) {
		struct seg want = { .sport = sport, .dport = dport, .seq = seq, .ack = ack,
				    .flags = flags, .win = (u16)(win < 0 ? 0 : win),
				    .optlen = optlen, .len = len };
		print_seg("want", &want, 0, 0);
		print_seg("got ", &s, 0, 0);
		for (int i = 0; i < s.optlen; i++)
			print_message("%02x%s", s.opt[i], i + 1 == s.optlen ? "\n" : " ");
	}
	assert_int_equal(s.sport, sport);
	assert_int_equal(s.dport, dport);
	assert_int_equal(s.flags, flags);
	assert_int_equal(s.seq, seq);
	assert_int_equal(s.ack, ack);
	if (win != WIN_ANY)
		assert_int_equal(s.win, win);
	assert_int_equal(s.optlen, optlen);
	if (optlen)
		assert_memory_equal(s.opt, opt, optlen);
	assert_int_equal(s.len, len);
	if (len)
		assert_memory_equal(s.data, data, len);
	assert_int_equal(s.ttl, 64);
	assert_true(s.frag_off & IP_DF);
}

/* A segment on a connection we opened. */
static void expect_on(struct ip_world *w, const struct conn *c, u8 flags, u32 seq, u32 ack,
		      int win, const u8 *opt, u8 optlen, const void *data, u16 len)
{
	expect_seg(w, c->lport, c->pport, flags, seq, ack, win, opt, optlen, data, len);
}

/* Nothing was transmitted. */
static void expect_silence(struct ip_world *w)
{
	tn_test_run(w->st, 0);
	if (testdev_tx_count(w->eth0)) {
		struct seg s;
		struct sk_buff *skb = testdev_pop_tx(w->eth0);
		parse_frame(w, skb, &s);
		consume_skb(skb);
		print_seg("expected silence, got", &s, 0, 0);
		fail();
	}
}

/* ---- the API with the lock released (the test is process context) ------ */

static int t_socket(struct ip_world *w)
{
	tn_stack_unlock(w->st);
	int fd = tn_socket(w->st, AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	tn_stack_lock(w->st);
	assert_true(fd >= 3);
	return fd;
}

static int t_bind(struct ip_world *w, int fd, u32 addr, u16 port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port),
				   .sin_addr.s_addr = htonl(addr) };
	tn_stack_unlock(w->st);
	int rc = tn_bind(w->st, fd, (struct sockaddr *)&sin, sizeof(sin));
	int e = errno;
	tn_stack_lock(w->st);
	errno = e;
	return rc;
}

static int t_connect(struct ip_world *w, int fd, u32 addr, u16 port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port),
				   .sin_addr.s_addr = htonl(addr) };
	tn_stack_unlock(w->st);
	int rc = tn_connect(w->st, fd, (struct sockaddr *)&sin, sizeof(sin));
	int e = errno;
	tn_stack_lock(w->st);
	errno = e;
	return rc;
}

static int t_listen(struct ip_world *w, int fd, int backlog)
{
	tn_stack_unlock(w->st);
	int rc = tn_listen(w->st, fd, backlog);
	tn_stack_lock(w->st);
	return rc;
}

static int t_accept(struct ip_world *w, int fd)
{
	tn_stack_unlock(w->st);
	int rc = tn_accept4(w->st, fd, NULL, NULL, SOCK_NONBLOCK);
	int e = errno;
	tn_stack_lock(w->st);
	errno = e;
	return rc;
}

static ssize_t t_send(struct ip_world *w, int fd, const void *buf, size_t len)
{
	tn_stack_unlock(w->st);
	ssize_t rc = tn_send(w->st, fd, buf, len, MSG_DONTWAIT);
	int e = errno;
	tn_stack_lock(w->st);
	errno = e;
	return rc;
}

static ssize_t t_recv(struct ip_world *w, int fd, void *buf, size_t len)
{
	tn_stack_unlock(w->st);
	ssize_t rc = tn_recv(w->st, fd, buf, len, MSG_DONTWAIT);
	int e = errno;
	tn_stack_lock(w->st);
	errno = e;
	return rc;
}

static int t_shutdown(struct ip_world *w, int fd, int how)
{
	tn_stack_unlock(w->st);
	int rc = tn_shutdown(w->st, fd, how);
	tn_stack_lock(w->st);
	return rc;
}

static int t_close(struct ip_world *w, int fd)
{
	tn_stack_unlock(w->st);
	int rc = tn_close(w->st, fd);
	tn_stack_lock(w->st);
	return rc;
}

static int t_getint(struct ip_world *w, int fd, int level, int name)
{
	int v = -12345;
	socklen_t len = sizeof(v);

	tn_stack_unlock(w->st);
	int rc = tn_getsockopt(w->st, fd, level, name, &v, &len);
	tn_stack_lock(w->st);
	assert_int_equal(rc, 0);
	return v;
}

static int t_ioctl(struct ip_world *w, int fd, unsigned long req)
{
	int v = -12345;

	tn_stack_unlock(w->st);
	int rc = tn_ioctl(w->st, fd, req, &v);
	tn_stack_lock(w->st);
	assert_int_equal(rc, 0);
	return v;
}

static void t_linger0(struct ip_world *w, int fd)
{
	struct linger l = { .l_onoff = 1, .l_linger = 0 };

	tn_stack_unlock(w->st);
	int rc = tn_setsockopt(w->st, fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
	tn_stack_lock(w->st);
	assert_int_equal(rc, 0);
}

/* The sock behind a descriptor. */
static struct sock *fd_sk(struct ip_world *w, int fd)
{
	struct tn_file *f = fget(w->st, fd);

	assert_non_null(f);
	struct socket *sock = sock_from_file(f);
	assert_non_null(sock);
	struct sock *sk = sock->sk;
	fput(f);
	assert_non_null(sk);
	return sk;
}

static int fd_state(struct ip_world *w, int fd)
{
	return fd_sk(w, fd)->sk_state;
}

/* Keep the sock alive past close() so its state stays observable. */
static void conn_hold(struct ip_world *w, struct conn *c)
{
	c->sk = fd_sk(w, c->fd);
	sock_hold(c->sk);
	c->held = true;
}

static u64 tcp_mib(struct ip_world *w, int f)
{
	return w->net->mib.tcp[f];
}

static u64 ext_mib(struct ip_world *w, int f)
{
	return w->net->mib.linux_mib[f];
}

static u32 tw_count(struct ip_world *w)
{
	return w->net->ipv4.tcp->tw_count;
}

/* ---- getting to a state ---------------------------------------------------- */

static void world_up(struct ip_world *w)
{
	ip_world_init(w, false);
}

/* Close what the test left open (with a RST, so nothing lingers), drop a
 * held reference, and check the stack leaked nothing. */
static void world_down(struct ip_world *w, struct conn *c)
{
	if (c && c->fd >= 0) {
		t_linger0(w, c->fd);
		assert_int_equal(t_close(w, c->fd), 0);
		c->fd = -1;
	}
	tn_test_run(w->st, 0);
	if (c && c->held) {
		sock_put(c->sk);
		c->held = false;
	}
	ip_world_free(w);
}

/* CLOSED -> SYN-SENT: bind 10.0.0.1:LPORT, connect to 10.0.0.2:PPORT and
 * check the SYN (RFC 9293 3.10.1; Linux: window 64240, options mss 1460,
 * sackOK, TS val X ecr 0, nop, wscale 7). */
static void active_open(struct ip_world *w, struct conn *c)
{
	struct seg s;
	u8 o[40];

	memset(c, 0, sizeof(*c));
	c->lport = LPORT;
	c->pport = PPORT;
	c->fd = t_socket(w);
	assert_int_equal(t_bind(w, c->fd, LOCAL_IP, LPORT), 0);
	assert_int_equal(t_connect(w, c->fd, PEER_IP, PPORT), -1);
	assert_int_equal(errno, EINPROGRESS);
	c->t0_ms = now_ms(w);
	pop_seg(w, &s);
	c->iss = s.seq;
	assert_int_equal(s.optlen, 20);
	c->ts0 = get_be32(s.opt + 8);
	u8 n = opt_syn(o, c->ts0, 0, WSCALE_INIT);
	assert_int_equal(s.sport, LPORT);
	assert_int_equal(s.dport, PPORT);
	assert_int_equal(s.flags, TCPHDR_SYN);
	assert_int_equal(s.ack, 0);
	assert_int_equal(s.win, WIN_INIT);
	assert_memory_equal(s.opt, o, n);
	assert_int_equal(s.len, 0);
	assert_int_equal(fd_state(w, c->fd), TCP_SYN_SENT);
}

/* SYN-SENT -> ESTABLISHED with a peer that offers only MSS 1460: no
 * timestamps, no scaling, so every later segment is a bare 20-byte header
 * with the window in bytes. */
static void establish(struct ip_world *w, struct conn *c)
{
	active_open(w, c);
	peer_to(w, c, TCPHDR_SYN | TCPHDR_ACK, PEER_ISN, c->iss + 1, opt_mss1460, 4, NULL, 0);
	expect_on(w, c, TCPHDR_ACK, c->iss + 1, PEER_ISN + 1, WIN_INIT, NULL, 0, NULL, 0);
	assert_int_equal(fd_state(w, c->fd), TCP_ESTABLISHED);
}

/* ESTABLISHED -> FIN-WAIT-1 by shutdown(SHUT_WR): FIN sent at once. */
static void to_fin_wait1(struct ip_world *w, struct conn *c)
{
	establish(w, c);
	assert_int_equal(t_shutdown(w, c->fd, SHUT_WR), 0);
	expect_on(w, c, TCPHDR_FIN | TCPHDR_ACK, c->iss + 1, PEER_ISN + 1, WIN_INIT, NULL, 0,
		  NULL, 0);
	assert_int_equal(fd_state(w, c->fd), TCP_FIN_WAIT1);
}

static void to_fin_wait2(struct ip_world *w, struct conn *c)
{
	to_fin_wait1(w, c);
	peer_to(w, c, TCPHDR_ACK, PEER_ISN + 1, c->iss + 2, NULL, 0, NULL, 0);
	expect_silence(w);
	assert_int_equal(fd_state(w, c->fd), TCP_FIN_WAIT2);
}

/* FIN-WAIT-2 -> TIME-WAIT: the peer's FIN is ACKed at once. The user's
 * sock is done (TCP_CLOSE); a timewait sock carries on. */
static void to_time_wait(struct ip_world *w, struct conn *c)
{
	to_fin_wait2(w, c);
	conn_hold(w, c);
	peer_to(w, c, TCPHDR_FIN | TCPHDR_ACK, PEER_ISN + 1, c->iss + 2, NULL, 0, NULL, 0);
	expect_on(w, c, TCPHDR_ACK, c->iss + 2, PEER_ISN + 2, WIN_AFTER_FIN, NULL, 0, NULL, 0);
	assert_int_equal(c->sk->sk_state, TCP_CLOSE);
	assert_int_equal(tw_count(w), 1);
}

/* ESTABLISHED -> CLOSE-WAIT: the peer's FIN, ACKed within the delayed-ACK
 * minimum (Linux schedules it: tcp_fin). */
static void to_close_wait(struct ip_world *w, struct conn *c)
{
	establish(w, c);
	peer_to(w, c, TCPHDR_FIN | TCPHDR_ACK, PEER_ISN + 1, c->iss + 1, NULL, 0, NULL, 0);
	assert_int_equal(fd_state(w, c->fd), TCP_CLOSE_WAIT);
	tn_test_run(w->st, TCP_DELACK_MIN);
	expect_on(w, c, TCPHDR_ACK, c->iss + 1, PEER_ISN + 2, WIN_AFTER_FIN, NULL, 0, NULL, 0);
}

static void to_last_ack(struct ip_world *w, struct conn *c)
{
	to_close_wait(w, c);
	assert_int_equal(t_shutdown(w, c->fd, SHUT_WR), 0);
	expect_on(w, c, TCPHDR_FIN | TCPHDR_ACK, c->iss + 1, PEER_ISN + 2, WIN_AFTER_FIN, NULL, 0,
		  NULL, 0);
	assert_int_equal(fd_state(w, c->fd), TCP_LAST_ACK);
}

/* A listener on 10.0.0.1:SPORT. */
static int listener(struct ip_world *w)
{
	int fd = t_socket(w);
	assert_int_equal(t_bind(w, fd, LOCAL_IP, SPORT), 0);
	assert_int_equal(t_listen(w, fd, 8), 0);
	assert_int_equal(fd_state(w, fd), TCP_LISTEN);
	return fd;
}

/* LISTEN + SYN (MSS 1460 only) -> SYN-ACK (RFC 9293 3.10.7.2; Linux's
 * tcp_make_synack: the options the SYN offered, here MSS alone; window
 * 64240). Returns our ISN. */
static u32 passive_syn(struct ip_world *w)
{
	struct seg s;

	peer_send(w, CPORT, SPORT, TCPHDR_SYN, PEER_ISN, 0, PEER_WIN, opt_mss1460, 4, NULL, 0);
	pop_seg(w, &s);
	assert_int_equal(s.sport, SPORT);
	assert_int_equal(s.dport, CPORT);
	assert_int_equal(s.flags, TCPHDR_SYN | TCPHDR_ACK);
	assert_int_equal(s.ack, PEER_ISN + 1);
	assert_int_equal(s.win, WIN_INIT);
	assert_int_equal(s.optlen, 4);
	assert_memory_equal(s.opt, opt_mss1460, 4);
	assert_int_equal(s.len, 0);
	return s.seq;
}

/* ======================================================================== */
/* CLOSED                                                                   */
/* ======================================================================== */

/* RFC 9293 3.10.7.1: a SYN to a port nobody listens on gets RST+ACK with
 * seq 0 and ack SEG.SEQ + SEG.LEN (SYN counts one), window 0. */
static void closed_syn_rst_ack(void **state)
{
	struct ip_world w;
	(void)state;

	world_up(&w);
	peer_send(&w, CPORT, 81, TCPHDR_SYN, PEER_ISN, 0, PEER_WIN, opt_mss1460, 4, NULL, 0);
	expect_seg(&w, 81, CPORT, TCPHDR_RST | TCPHDR_ACK, 0, PEER_ISN + 1, 0, NULL, 0, NULL, 0);
	assert_int_equal(tcp_mib(&w, TCP_MIB_OUTRSTS), 1);
	world_down(&w, NULL);
}

/* With the ACK bit on, the RST takes its seq from SEG.ACK and has no ACK. */
static void closed_ack_rst(void **state)
{
	struct ip_world w;
	(void)state;

	world_up(&w);
	peer_send(&w, CPORT, 81, TCPHDR_ACK | TCPHDR_PSH, PEER_ISN, 0x55667788, PEER_WIN, NULL, 0,
		  "abc", 3);
	expect_seg(&w, 81, CPORT, TCPHDR_RST, 0x55667788, 0, 0, NULL, 0, NULL, 0);
	world_down(&w, NULL);
}

/* An RST to a closed port is dropped without a reply. */
static void closed_rst_ignored(void **state)
{
	struct ip_world w;
	(void)state;

	world_up(&w);
	peer_send(&w, CPORT, 81, TCPHDR_RST | TCPHDR_ACK, PEER_ISN, 1, 0, NULL, 0, NULL, 0);
	expect_silence(&w);
	world_down(&w, NULL);
}

/* connect(): SYN with Linux's options; ActiveOpens counted. */
static void closed_connect_syn_sent(void **state)
{
	struct ip_world w;
	struct conn c;
	(void)state;

	world_up(&w);
	active_open(&w, &c);
	assert_int_equal(tcp_mib(&w, TCP_MIB_ACTIVEOPENS), 1);
	world_down(&w, &c);
}

/* ======================================================================== */
/* LISTEN                                                                   */
/* ======================================================================== */

static void listen_syn_synack(void **state)
{
	struct ip_world w;
	(void)state;

	world_up(&w);
	int lfd = listener(&w);
	passive_syn(&w);
	assert_int_equal(inet_csk(fd_sk(&w, lfd))->icsk_accept_queue.qlen, 1);
	assert_int_equal(fd_state(&w, lfd), TCP_LISTEN);
	assert_int_equal(t_close(&w, lfd), 0);
	world_down(&w, NULL);
}

/* RFC 9293 3.10.7.2: any ACK in LISTEN gets <SEQ=SEG.ACK><CTL=RST>. */
static void listen_ack_rst(void **state)
{
	struct ip_world w;
	(void)state;

	world_up(&w);
	int lfd = listener(&w);
	peer_send(&w, CPORT, SPORT, TCPHDR_ACK, PEER_ISN, 0xabcdef01, PEER_WIN, NULL, 0, NULL, 0);
	expect_seg(&w, SPORT, CPORT, TCPHDR_RST, 0xabcdef01, 0, 0, NULL, 0, NULL, 0);
	assert_int_equal(fd_state(&w, lfd), TCP_LISTEN);
	assert_int_equal(t_close(&w, lfd), 0);
	world_down(&w, NULL);
}

/* A SYN-ACK in LISTEN is an ACK: RST with its ack as seq. */
static void listen_synack_rst(void **state)
{
	struct ip_world w;
	(void)state;

	world_up(&w);
	int lfd = listener(&w);
	peer_send(&w, CPORT, SPORT, TCPHDR_SYN | TCPHDR_ACK, PEER_ISN, 0x01020304, PEER_WIN,
		  opt_mss1460, 4, NULL, 0);
	expect_seg(&w, SPORT, CPORT, TCPHDR_RST, 0x01020304, 0, 0, NULL, 0, NULL, 0);
	assert_int_equal(fd_state(&w, lfd), TCP_LISTEN);
	assert_int_equal(t_close(&w, lfd), 0);
	world_down(&w, NULL);
}

/* An RST in LISTEN is ignored. */
static void listen_rst_ignored(void **state)
{
	struct ip_world w;
	(void)state;

	world_up(&w);
	int lfd = listener(&w);
	peer_send(&w, CPORT, SPORT, TCPHDR_RST, PEER_ISN, 0, 0, NULL, 0, NULL, 0);
	expect_silence(&w);
	assert_int_equal(fd_state(&w, lfd), TCP_LISTEN);
	assert_int_equal(t_close(&w, lfd), 0);
	world_down(&w, NULL);
}

/* ======================================================================== */
/* SYN-SENT                                                                 */
/* ======================================================================== */

static void syn_sent_synack_established(void **state)
{
	struct ip_world w;
	struct conn c;
	(void)state;

	world_up(&w);
	establish(&w, &c);
	world_down(&w, &c);
}

/* A peer with every option: the ACK carries nop, nop, TS (echoing the
 * peer's TSval) and the window in units of 2^7. */
static void syn_sent_synack_options_established(void **state)
{
	struct ip_world w;
	struct conn c;
	u8 po[40], o[40];
	(void)state;

	world_up(&w);
	active_open(&w, &c);
	tn_test_run(w.st, 5);
	u8 pn = opt_syn(po, PEER_TSVAL, c.ts0, 7);
	peer_to(&w, &c, TCPHDR_SYN | TCPHDR_ACK, PEER_ISN, c.iss + 1, po, pn, NULL, 0);
	u8 n = opt_ts(o, our_tsval(&w, &c), PEER_TSVAL);
	expect_on(&w, &c, TCPHDR_ACK, c.iss + 1, PEER_ISN + 1, WIN_INIT_SCALED, o, n, NULL, 0);
	assert_int_equal(fd_state(&w, c.fd), TCP_ESTABLISHED);
	world_down(&w, &c);
}

/* RFC 9293 3.10.7.3 first check: RST with an unacceptable ACK is dropped
 * (nothing is sent back to an RST); Linux then re-arms the SYN timer to
 * TCP_TIMEOUT_MIN (2 jiffies) in case a FIN/ACK or RST/ACK was lost, so the
 * SYN goes again 2 ms later. */
static void syn_sent_rst_bad_ack_ignored(void **state)
{
	struct ip_world w;
	struct conn c;
	u8 o[40];
	(void)state;

	world_up(&w);
	active_open(&w, &c);
	peer_to(&w, &c, TCPHDR_RST | TCPHDR_ACK, 0, c.iss + 2, NULL, 0, NULL, 0);
	expect_silence(&w);
	assert_int_equal(fd_state(&w, c.fd), TCP_SYN_SENT);
	tn_test_run(w.st, 2);
	u8 n = opt_syn(o, our_tsval(&w, &c), 0, WSCALE_INIT);
	expect_on(&w, &c, TCPHDR_SYN, c.iss, 0, WIN_INIT, o, n, NULL, 0);
	world_down(&w, &c);
}

/* RST+ACK acknowledging the SYN: connection refused. */
static void syn_sent_rst_ack_refused(void **state)
{
	struct ip_world w;
	struct conn c;
	(void)state;

	world_up(&w);
	active_open(&w, &c);
	peer_to(&w, &c, TCPHDR_RST | TCPHDR_ACK, 0, c.iss + 1, NULL, 0, NULL, 0);
	expect_silence(&w);
	assert_int_equal(fd_state(&w, c.fd), TCP_CLOSE);
	assert_int_equal(t_getint(&w, c.fd, SOL_SOCKET, SO_ERROR), ECONNREFUSED);
	assert_int_equal(tcp_mib(&w, TCP_MIB_ATTEMPTFAILS), 1);
	world_down(&w, &c);
}

/* An RST without ACK in SYN-SENT is dropped. */
static void syn_sent_rst_no_ack_ignored(void **state)
{
	struct ip_world w;
	struct conn c;
	(void)state;

	world_up(&w);
	active_open(&w, &c);
	peer_to(&w, &c, TCPHDR_RST, 0, 0, NULL, 0, NULL, 0);
	expect_silence(&w);
	assert_int_equal(fd_state(&w, c.fd), TCP_SYN_SENT);
	world_down(&w, &c);
}

/* A SYN-ACK acknowledging something we never sent: <SEQ=SEG.ACK><CTL=RST>,
 * and we stay in SYN-SENT. */
static void syn_sent_synack_bad_ack_rst(void **state)
{
	struct ip_world w;
	struct conn c;
	(void)state;

	world_up(&w);
	active_open(&w, &c);
	peer_to(&w, &c, TCPHDR_SYN | TCPHDR_ACK, PEER_ISN, c.iss + 5, opt_mss1460, 4, NULL, 0);
	expect_on(&w, &c, TCPHDR_RST, c.iss + 5, 0, 0, NULL, 0, NULL, 0);
	assert_int_equal(fd_state(&w, c.fd), TCP_SYN_SENT);
	world_down(&w, &c);
}

/* Simultaneous open (RFC 9293 figure 7): a SYN without ACK in SYN-SENT ->
 * SYN-RECEIVED, our SYN goes again with the ACK bit (same ISN, Linux's
 * SYN options with the peer's TSval echoed); the peer's ACK of it ->
 * ESTABLISHED with nothing more sent. */
static void syn_sent_syn_simultaneous_open(void **state)
{
	struct ip_world w;
	struct conn c;
	u8 po[40], o[40], n;
	(void)state;

	world_up(&w);
	active_open(&w, &c);
	tn_test_run(w.st, 3);
	n = opt_syn(po, PEER_TSVAL, 0, 7);
	peer_to(&w, &c, TCPHDR_SYN, PEER_ISN, 0, po, n, NULL, 0);
	assert_int_equal(fd_state(&w, c.fd), TCP_SYN_RECV);
	n = opt_syn(o, our_tsval(&w, &c), PEER_TSVAL, WSCALE_INIT);
	expect_on(&w, &c, TCPHDR_SYN | TCPHDR_ACK, c.iss, PEER_ISN + 1, WIN_INIT, o, n, NULL, 0);
	n = opt_ts(po, PEER_TSVAL + 1, our_tsval(&w, &c));
	peer_to(&w, &c, TCPHDR_ACK, PEER_ISN + 1, c.iss + 1, po, n, NULL, 0);
	expect_silence(&w);
	assert_int_equal(fd_state(&w, c.fd), TCP_ESTABLISHED);
	world_down(&w, &c);
}

/* RFC 6298 5.5/5.7: the SYN is sent again after the initial RTO of 1 s,
 * then after 2 s more (exponential backoff), same ISN, new TSval. */
static void syn_sent_timeout_syn_retransmitted(void **state)
{
	struct ip_world w;
	struct conn c;
	u8 o[40], n;
	(void)state;

	world_up(&w);
	active_open(&w, &c);
	tn_test_run(w.st, TCP_TIMEOUT_INIT - 1);
	expect_silence(&w);
	tn_test_run(w.st, 1);
	n = opt_syn(o, our_tsval(&w, &c), 0, WSCALE_INIT);
	expect_on(&w, &c, TCPHDR_SYN, c.iss, 0, WIN_INIT, o, n, NULL, 0);
	tn_test_run(w.st, 2 * TCP_TIMEOUT_INIT - 1);
	expect_silence(&w);
	tn_test_run(w.st, 1);
	n = opt_syn(o, our_tsval(&w, &c), 0, WSCALE_INIT);
	expect_on(&w, &c, TCPHDR_SYN, c.iss, 0, WIN_INIT, o, n, NULL, 0);
	assert_int_equal(tcp_mib(&w, TCP_MIB_RETRANSSEGS), 2);
	/* Linux 6.x counts TCPTimeouts on every RTO expiry
	 * (tcp_retransmit_timer, before tcp_write_timeout). */
	assert_int_equal(ext_mib(&w, LINUX_MIB_TCPTIMEOUTS), 2);
	world_down(&w, &c);
}

/* tcp_syn_retries 6: SYNs at 0, 1, 3, 7, 15, 31, 63 s, and the connection
 * fails with ETIMEDOUT at 127 s (tcp_model_timeout: (2^7 - 1) * 1 s). */
static void syn_sent_timeout_etimedout(void **state)
{
	struct ip_world w;
	struct conn c;
	(void)state;

	world_up(&w);
	active_open(&w, &c);
	tn_test_run(w.st, 127000 - 1);
	assert_int_equal(testdev_tx_count(w.eth0), 6);
	testdev_clear_tx(w.eth0);
	assert_int_equal(fd_state(&w, c.fd), TCP_SYN_SENT);
	tn_test_run(w.st, 1);
	expect_silence(&w);
	assert_int_equal(fd_state(&w, c.fd), TCP_CLOSE);
	assert_int_equal(t_getint(&w, c.fd, SOL_SOCKET, SO_ERROR), ETIMEDOUT);
	world_down(&w, &c);
}

/* ======================================================================== */
/* SYN-RECEIVED (a request sock of a listener)                              */
/* ======================================================================== */

/* The third ACK creates the child: ESTABLISHED, accepted, PassiveOpens. */
static void syn_recv_ack_established(void **state)
{
	struct ip_world w;
	(void)state;

	world_up(&w);
	int lfd = listener(&w);
	u32 iss = passive_syn(&w);
	assert_int_equal(t_accept(&w, lfd), -1);
	assert_int_equal(errno, EAGAIN);
	peer_send(&w, CPORT, SPORT, TCPHDR_ACK, PEER_ISN + 1, iss + 1, PEER_WIN, NULL, 0, NULL, 0);
	expect_silence(&w);
	int cfd = t_accept(&w, lfd);
	assert_true(cfd >= 3);
	assert_int_equal(fd_state(&w, cfd), TCP_ESTABLISHED);
	assert_int_equal(tcp_mib(&w, TCP_MIB_PASSIVEOPENS), 1);
	assert_int_equal(inet_csk(fd_sk(&w, lfd))->icsk_accept_queue.qlen, 0);
	/* The child sends with the ISN of the SYN-ACK. */
	assert_int_equal(t_send(&w, cfd, "hi", 2), 2);
	expect_seg(&w, SPORT, CPORT, TCPHDR_PSH | TCPHDR_ACK, iss + 1, PEER_ISN + 1, WIN_INIT,
		   NULL, 0, "hi", 2);
	t_linger0(&w, cfd);
	assert_int_equal(t_close(&w, cfd), 0);
	assert_int_equal(t_close(&w, lfd), 0);
	world_down(&w, NULL);
}

/* RFC 9293 3.10.7.4 (passive open): an RST in the window sends the
 * connection back to LISTEN: the request is dropped, nothing is sent, no
 * SYN-ACK is retransmitted later (EmbryonicRsts, AttemptFails). */
static void syn_recv_rst_back_to_listen(void **state)
{
	struct ip_world w;
	(void)state;

	world_up(&w);
	int lfd = listener(&w);
	passive_syn(&w);
	peer_send(&w, CPORT, SPORT, TCPHDR_RST, PEER_ISN + 1, 0, 0, NULL, 0, NULL, 0);
	expect_silence(&w);
	assert_int_equal(inet_csk(fd_sk(&w, lfd))->icsk_accept_queue.qlen, 0);
	assert_int_equal(fd_state(&w, lfd), TCP_LISTEN);
	assert_int_equal(ext_mib(&w, LINUX_MIB_EMBRYONICRSTS), 1);
	assert_int_equal(tcp_mib(&w, TCP_MIB_ATTEMPTFAILS), 1);
	tn_test_run(w.st, 3000);
	expect_silence(&w);
	assert_int_equal(t_accept(&w, lfd), -1);
	assert_int_equal(errno, EAGAIN);
	assert_int_equal(t_close(&w, lfd), 0);
	world_down(&w, NULL);
}

/* An ACK that does not acknowledge our SYN-ACK: the listener answers with
 * <SEQ=SEG.ACK><CTL=RST>; the request stays. */
static void syn_recv_bad_ack_rst(void **state)
{
	struct ip_world w;
	(void)state;

	world_up(&w);
	int lfd = listener(&w);
	u32 iss = passive_syn(&w);
	peer_send(&w, CPORT, SPORT, TCPHDR_ACK, PEER_ISN + 1, iss + 7, PEER_WIN, NULL, 0, NULL, 0);
	expect_seg(&w, SPORT, CPORT, TCPHDR_RST, iss + 7, 0, 0, NULL, 0, NULL, 0);
	assert_int_equal(inet_csk(fd_sk(&w, lfd))->icsk_accept_queue.qlen, 1);
	assert_int_equal(t_close(&w, lfd), 0);
	world_down(&w, NULL);
}

/* The SYN-ACK goes again, identical, after 1 s and 2 s more. */
static void syn_recv_timeout_synack_retransmitted(void **state)
{
	struct ip_world w;
	(void)state;

	world_up(&w);
	int lfd = listener(&w);
	u32 iss = passive_syn(&w);
	tn_test_run(w.st, TCP_TIMEOUT_INIT - 1);
	expect_silence(&w);
	tn_test_run(w.st, 1);
	expect_seg(&w, SPORT, CPORT, TCPHDR_SYN | TCPHDR_ACK, iss, PEER_ISN + 1, WIN_INIT,
		   opt_mss1460, 4, NULL, 0);
	tn_test_run(w.st, 2 * TCP_TIMEOUT_INIT);
	expect_seg(&w, SPORT, CPORT, TCPHDR_SYN | TCPHDR_ACK, iss, PEER_ISN + 1, WIN_INIT,
		   opt_mss1460, 4, NULL, 0);
	assert_int_equal(t_close(&w, lfd), 0);
	world_down(&w, NULL);
}

/* A retransmitted SYN in SYN-RECEIVED gets the same SYN-ACK again. */
static void syn_recv_syn_synack_again(void **state)
{
	struct ip_world w;
	(void)state;

	world_up(&w);
	int lfd = listener(&w);
	u32 iss = passive_syn(&w);
	tn_test_run(w.st, 100);
	peer_send(&w, CPORT, SPORT, TCPHDR_SYN, PEER_ISN, 0, PEER_WIN, opt_mss1460, 4, NULL, 0);
	expect_seg(&w, SPORT, CPORT, TCPHDR_SYN | TCPHDR_ACK, iss, PEER_ISN + 1, WIN_INIT,
		   opt_mss1460, 4, NULL, 0);
	assert_int_equal(inet_csk(fd_sk(&w, lfd))->icsk_accept_queue.qlen, 1);
	assert_int_equal(t_close(&w, lfd), 0);
	world_down(&w, NULL);
}

/* ======================================================================== */
/* ESTABLISHED                                                              */
/* ======================================================================== */

static const char data100[100] =
	"0123456789abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	"0123456789!@#$%^&*()-=+_[]";

/* In-window data: the first data of a connection is ACKed at once (quick
 * ACK mode, tcp_event_data_recv) and readable. */
static void established_data_in_window_ack(void **state)
{
	struct ip_world w;
	struct conn c;
	char buf[200];
	(void)state;

	world_up(&w);
	establish(&w, &c);
	peer_to(&w, &c, TCPHDR_PSH | TCPHDR_ACK, PEER_ISN + 1, c.iss + 1, NULL, 0, data100, 100);
	expect_on(&w, &c, TCPHDR_ACK, c.iss + 1, PEER_ISN + 101, WIN_ANY, NULL, 0, NULL, 0);
	assert_int_equal(t_ioctl(&w, c.fd, SIOCINQ), 100);
	assert_int_equal(t_recv(&w, c.fd, buf, sizeof(buf)), 100);
	assert_memory_equal(buf, data100, 100);
	world_down(&w, &c);
}

/* RFC 9293 3.10.7.4 first check: data beyond the window is not accepted;
 * an ACK <SEQ=SND.NXT><ACK=RCV.NXT> goes back at once. */
static void established_data_out_of_window_dupack(void **state)
{
	struct ip_world w;
	struct conn c;
	(void)state;

	world_up(&w);
	establish(&w, &c);
	peer_to(&w, &c, TCPHDR_PSH | TCPHDR_ACK, PEER_ISN + 1 + 200000, c.iss + 1, NULL, 0,
		data100, 100);
	expect_on(&w, &c, TCPHDR_ACK, c.iss + 1, PEER_ISN + 1, WIN_INIT, NULL, 0, NULL, 0);
	assert_int_equal(t_ioctl(&w, c.fd, SIOCINQ), 0);
	assert_int_equal(fd_state(&w, c.fd), TCP_ESTABLISHED);
	world_down(&w, &c);
}

/* Old (already received) data: dropped and ACKed at once (Linux: quick ACK
 * mode, DelayedACKLost). */
static void established_data_old_dupack(void **state)
{
	struct ip_world w;
	struct conn c;
	(void)state;

	world_up(&w);
	establish(&w, &c);
	peer_to(&w, &c, TCPHDR_PSH | TCPHDR_ACK, PEER_ISN + 1, c.iss + 1, NULL, 0, data100, 100);
	expect_on(&w, &c, TCPHDR_ACK, c.iss + 1, PEER_ISN + 101, WIN_ANY, NULL, 0, NULL, 0);
	peer_to(&w, &c, TCPHDR_PSH | TCPHDR_ACK, PEER_ISN + 1, c.iss + 1, NULL, 0, data100, 100);
	expect_on(&w, &c, TCPHDR_ACK, c.iss + 1, PEER_ISN + 101, WIN_ANY, NULL, 0, NULL, 0);
	assert_int_equal(t_ioctl(&w, c.fd, SIOCINQ), 100);
	assert_int_equal(ext_mib(&w, LINUX_MIB_DELAYEDACKLOST), 1);
	world_down(&w, &c);
}

/* Data out: one segment, PSH on the last of a write. */
static void established_send_data_segment(void **state)
{
	struct ip_world w;
	struct conn c;
	(void)state;

	world_up(&w);
	establish(&w, &c);
	assert_int_equal(t_send(&w, c.fd, "hello", 5), 5);
	expect_on(&w, &c, TCPHDR_PSH | TCPHDR_ACK, c.iss + 1, PEER_ISN + 1, WIN_INIT, NULL, 0,
		  "hello", 5);
	assert_int_equal(t_ioctl(&w, c.fd, SIOCOUTQ), 5);
	world_down(&w, &c);
}

/* An acceptable ACK (SND.UNA < SEG.ACK =< SND.NXT) advances SND.UNA:
 * nothing left in flight, nothing sent. */
static void established_ack_acceptable_advances(void **state)
{
	struct ip_world w;
	struct conn c;
	(void)state;

	world_up(&w);
	establish(&w, &c);
	assert_int_equal(t_send(&w, c.fd, "hello", 5), 5);
	expect_on(&w, &c, TCPHDR_PSH | TCPHDR_ACK, c.iss + 1, PEER_ISN + 1, WIN_INIT, NULL, 0,
		  "hello", 5);
	peer_to(&w, &c, TCPHDR_ACK, PEER_ISN + 1, c.iss + 6, NULL, 0, NULL, 0);
	expect_silence(&w);
	assert_int_equal(t_ioctl(&w, c.fd, SIOCOUTQ), 0);
	assert_int_equal(tcp_sk(fd_sk(&w, c.fd))->snd_una, c.iss + 6);
	/* Nothing is retransmitted later. */
	tn_test_run(w.st, 5000);
	expect_silence(&w);
	world_down(&w, &c);
}

/* An ACK for data not yet sent (SEG.ACK > SND.NXT): Linux's tcp_ack drops
 * the segment (data and all) in ESTABLISHED without a reply. */
static void established_ack_future_dropped(void **state)
{
	struct ip_world w;
	struct conn c;
	(void)state;

	world_up(&w);
	establish(&w, &c);
	peer_to(&w, &c, TCPHDR_PSH | TCPHDR_ACK, PEER_ISN + 1, c.iss + 1000, NULL, 0, "xyz", 3);
	expect_silence(&w);
	assert_int_equal(t_ioctl(&w, c.fd, SIOCINQ), 0);
	assert_int_equal(fd_state(&w, c.fd), TCP_ESTABLISHED);
	world_down(&w, &c);
}

/* An old ACK within the window of what may still be in flight (SEG.ACK <
 * SND.UNA, RFC 5961 5.2 acceptable range) is ignored, its data kept. */
static void established_ack_old_ignored(void **state)
{
	struct ip_world w;
	struct conn c;
	(void)state;

	world_up(&w);
	establish(&w, &c);
	peer_to(&w, &c, TCPHDR_ACK, PEER_ISN + 1, c.iss, NULL, 0, NULL, 0);
	expect_silence(&w);
	assert_int_equal(tcp_sk(fd_sk(&w, c.fd))->snd_una, c.iss + 1);
	assert_int_equal(fd_state(&w, c.fd), TCP_ESTABLISHED);
	world_down(&w, &c);
}

/* RFC 5961 5.2: an ACK older than SND.UNA - MAX.SND.WND gets a challenge
 * ACK and the segment is dropped. */
static void established_ack_too_old_challenge(void **state)
{
	struct ip_world w;
	struct conn c;
	(void)state;

	world_up(&w);
	establish(&w, &c);
	peer_to(&w, &c, TCPHDR_ACK, PEER_ISN + 1, c.iss + 1 - 70000, NULL, 0, NULL, 0);
	expect_on(&w, &c, TCPHDR_ACK, c.iss + 1, PEER_ISN + 1, WIN_INIT, NULL, 0, NULL, 0);
	assert_int_equal(ext_mib(&w, LINUX_MIB_TCPCHALLENGEACK), 1);
	world_down(&w, &c);
}

/* RFC 5961 3.2: an RST exactly at RCV.NXT resets: CLOSED, ECONNRESET,
 * nothing sent (EstabResets). */
static void established_rst_exact_closed(void **state)
{
	struct ip_world w;
	struct conn c;
	char buf[8];
	(void)state;

	world_up(&w);
	establish(&w, &c);
	peer_to(&w, &c, TCPHDR_RST, PEER_ISN + 1, 0, NULL, 0, NULL, 0);
	expect_silence(&w);
	assert_int_equal(fd_state(&w, c.fd), TCP_CLOSE);
	assert_int_equal(t_recv(&w, c.fd, buf, sizeof(buf)), -1);
	assert_int_equal(errno, ECONNRESET);
	assert_int_equal(tcp_mib(&w, TCP_MIB_ESTABRESETS), 1);
	world_down(&w, &c);
}

/* RFC 5961 3.2: an RST inside the window but not at RCV.NXT gets a
 * challenge ACK; the connection stays. */
static void established_rst_in_window_challenge(void **state)
{
	struct ip_world w;
	struct conn c;
	(void)state;

	world_up(&w);
	establish(&w, &c);
	peer_to(&w, &c, TCPHDR_RST, PEER_ISN + 1 + 10, 0, NULL, 0, NULL, 0);
	expect_on(&w, &c, TCPHDR_ACK, c.iss + 1, PEER_ISN + 1, WIN_INIT, NULL, 0, NULL, 0);
	assert_int_equal(fd_state(&w, c.fd), TCP_ESTABLISHED);
	assert_int_equal(ext_mib(&w, LINUX_MIB_TCPCHALLENGEACK), 1);
	world_down(&w, &c);
}

/* An RST outside the window is dropped silently. */
static void established_rst_out_of_window_ignored(void **state)
{
	struct ip_world w;
	struct conn c;
	(void)state;

	world_up(&w);
	establish(&w, &c);
	peer_to(&w, &c, TCPHDR_RST, PEER_ISN + 1 + 200000, 0, NULL, 0, NULL, 0);
	expect_silence(&w);
	peer_to(&w, &c, TCPHDR_RST, PEER_ISN - 5, 0, NULL, 0, NULL, 0);
	expect_silence(&w);
	assert_int_equal(fd_state(&w, c.fd), TCP_ESTABLISHED);
	world_down(&w, &c);
}

/* RFC 5961 4.2: any SYN in a synchronized state gets a challenge ACK. */
static void established_syn_challenge_ack(void **state)
{
	struct ip_world w;
	struct conn c;
	(void)state;

	world_up(&w);
	establish(&w, &c);
	peer_to(&w, &c, TCPHDR_SYN, PEER_ISN + 1 + 50, 0, opt_mss1460, 4, NULL, 0);
	expect_on(&w, &c, TCPHDR_ACK, c.iss + 1, PEER_ISN + 1, WIN_INIT, NULL, 0, NULL, 0);
	assert_int_equal(fd_state(&w, c.fd), TCP_ESTABLISHED);
	assert_int_equal(ext_mib(&w, LINUX_MIB_TCPCHALLENGEACK), 1);
	world_down(&w, &c);
}

static void established_fin_close_wait(void **state)
{
	struct ip_world w;
	struct conn c;
	char buf[8];
	(void)state;

	world_up(&w);
	to_close_wait(&w, &c);
	assert_int_equal(t_recv(&w, c.fd, buf, sizeof(buf)), 0);
	world_down(&w, &c);
}

/* A FIN beyond RCV.NXT (a hole before it) is queued out of order, not
 * acted on: still ESTABLISHED, a duplicate ACK at once. */
static void established_fin_out_of_order_dupack(void **state)
{
	struct ip_world w;
	struct conn c;
	(void)state;

	world_up(&w);
	establish(&w, &c);
	peer_to(&w, &c, TCPHDR_FIN | TCPHDR_ACK, PEER_ISN + 11, c.iss + 1, NULL, 0, NULL, 0);
	expect_on(&w, &c, TCPHDR_ACK, c.iss + 1, PEER_ISN + 1, WIN_ANY, NULL, 0, NULL, 0);
	assert_int_equal(fd_state(&w, c.fd), TCP_ESTABLISHED);
	world_down(&w, &c);
}

static void established_shutdown_wr_fin_wait1(void **state)
{
	struct ip_world w;
	struct conn c;
	(void)state;

	world_up(&w);
	to_fin_wait1(&w, &c);
	world_down(&w, &c);
}

/* close() with nothing unread: FIN, FIN-WAIT-1 (the sock lives on as an
 * orphan). */
static void established_close_fin_wait1(void **state)
{
	struct ip_world w;
	struct conn c;
	(void)state;

	world_up(&w);
	establish(&w, &c);
	conn_hold(&w, &c);
	assert_int_equal(t_close(&w, c.fd), 0);
	c.fd = -1;
	expect_on(&w, &c, TCPHDR_FIN | TCPHDR_ACK, c.iss + 1, PEER_ISN + 1, WIN_INIT, NULL, 0,
		  NULL, 0);
	assert_int_equal(c.sk->sk_state, TCP_FIN_WAIT1);
	world_down(&w, &c);
}

/* SO_LINGER {1, 0}: close() aborts with RST+ACK <SEQ=SND.NXT>. */
static void established_close_linger0_rst(void **state)
{
	struct ip_world w;
	struct conn c;
	(void)state;

	world_up(&w);
	establish(&w, &c);
	conn_hold(&w, &c);
	t_linger0(&w, c.fd);
	assert_int_equal(t_close(&w, c.fd), 0);
	c.fd = -1;
	expect_on(&w, &c, TCPHDR_RST | TCPHDR_ACK, c.iss + 1, PEER_ISN + 1, WIN_INIT, NULL, 0,
		  NULL, 0);
	assert_int_equal(c.sk->sk_state, TCP_CLOSE);
	assert_int_equal(tcp_mib(&w, TCP_MIB_OUTRSTS), 1);
	world_down(&w, &c);
}

/* RFC 2525 2.17: close() with unread data sends RST, not FIN. */
static void established_close_unread_data_rst(void **state)
{
	struct ip_world w;
	struct conn c;
	(void)state;

	world_up(&w);
	establish(&w, &c);
	peer_to(&w, &c, TCPHDR_PSH | TCPHDR_ACK, PEER_ISN + 1, c.iss + 1, NULL, 0, data100, 100);
	expect_on(&w, &c, TCPHDR_ACK, c.iss + 1, PEER_ISN + 101, WIN_ANY, NULL, 0, NULL, 0);
	conn_hold(&w, &c);
	assert_int_equal(t_close(&w, c.fd), 0);
	c.fd = -1;
	expect_on(&w, &c, TCPHDR_RST | TCPHDR_ACK, c.iss + 1, PEER_ISN + 101, WIN_ANY, NULL, 0,
		  NULL, 0);
	assert_int_equal(c.sk->sk_state, TCP_CLOSE);
	assert_int_equal(ext_mib(&w, LINUX_MIB_TCPABORTONCLOSE), 1);
	world_down(&w, &c);
}

/* Unacknowledged data goes again at the RTO: 200 ms (RTO_MIN) after a
 * handshake measured at 0 ms in virtual time. */
static void established_timeout_data_retransmitted(void **state)
{
	struct ip_world w;
	struct conn c;
	(void)state;

	world_up(&w);
	establish(&w, &c);
	assert_int_equal(t_send(&w, c.fd, "hello", 5), 5);
	expect_on(&w, &c, TCPHDR_PSH | TCPHDR_ACK, c.iss + 1, PEER_ISN + 1, WIN_INIT, NULL, 0,
		  "hello", 5);
	tn_test_run(w.st, TCP_RTO_MIN - 1);
	expect_silence(&w);
	tn_test_run(w.st, 2);
	expect_on(&w, &c, TCPHDR_PSH | TCPHDR_ACK, c.iss + 1, PEER_ISN + 1, WIN_INIT, NULL, 0,
		  "hello", 5);
	assert_int_equal(tcp_mib(&w, TCP_MIB_RETRANSSEGS), 1);
	assert_int_equal(ext_mib(&w, LINUX_MIB_TCPTIMEOUTS), 1);
	world_down(&w, &c);
}

/* ======================================================================== */
/* CLOSE-WAIT and LAST-ACK                                                  */
/* ======================================================================== */

/* Data can still go out in CLOSE-WAIT. */
static void close_wait_send_data(void **state)
{
	struct ip_world w;
	struct conn c;
	(void)state;

	world_up(&w);
	to_close_wait(&w, &c);
	assert_int_equal(t_send(&w, c.fd, "late", 4), 4);
	expect_on(&w, &c, TCPHDR_PSH | TCPHDR_ACK, c.iss + 1, PEER_ISN + 2, WIN_AFTER_FIN, NULL, 0,
		  "late", 4);
	assert_int_equal(fd_state(&w, c.fd), TCP_CLOSE_WAIT);
	world_down(&w, &c);
}

static void close_wait_shutdown_last_ack(void **state)
{
	struct ip_world w;
	struct conn c;
	(void)state;

	world_up(&w);
	to_last_ack(&w, &c);
	world_down(&w, &c);
}

/* A retransmitted FIN in CLOSE-WAIT is ACKed again. */
static void close_wait_fin_reack(void **state)
{
	struct ip_world w;
	struct conn c;
	(void)state;

	world_up(&w);
	to_close_wait(&w, &c);
	peer_to(&w, &c, TCPHDR_FIN | TCPHDR_ACK, PEER_ISN + 1, c.iss + 1, NULL, 0, NULL, 0);
	expect_on(&w, &c, TCPHDR_ACK, c.iss + 1, PEER_ISN + 2, WIN_AFTER_FIN, NULL, 0, NULL, 0);
	assert_int_equal(fd_state(&w, c.fd), TCP_CLOSE_WAIT);
	world_down(&w, &c);
}

static void last_ack_ack_closed(void **state)
{
	struct ip_world w;
	struct conn c;
	(void)state;

	world_up(&w);
	to_last_ack(&w, &c);
	peer_to(&w, &c, TCPHDR_ACK, PEER_ISN + 2, c.iss + 2, NULL, 0, NULL, 0);
	expect_silence(&w);
	assert_int_equal(fd_state(&w, c.fd), TCP_CLOSE);
	world_down(&w, &c);
}

/* No ACK for our FIN: it goes again at the RTO. */
static void last_ack_timeout_fin_retransmitted(void **state)
{
	struct ip_world w;
	struct conn c;
	(void)state;

	world_up(&w);
	to_last_ack(&w, &c);
	tn_test_run(w.st, TCP_RTO_MIN - 1);
	expect_silence(&w);
	tn_test_run(w.st, 2);
	expect_on(&w, &c, TCPHDR_FIN | TCPHDR_ACK, c.iss + 1, PEER_ISN + 2, WIN_AFTER_FIN, NULL, 0,
		  NULL, 0);
	assert_int_equal(fd_state(&w, c.fd), TCP_LAST_ACK);
	world_down(&w, &c);
}

/* ======================================================================== */
/* FIN-WAIT-1, FIN-WAIT-2, CLOSING                                          */
/* ======================================================================== */

static void fin_wait1_ack_fin_wait2(void **state)
{
	struct ip_world w;
	struct conn c;
	(void)state;

	world_up(&w);
	to_fin_wait2(&w, &c);
	world_down(&w, &c);
}

/* Simultaneous close (RFC 9293 figure 13): the peer's FIN before the ACK
 * of ours -> ACK at once, CLOSING; then its ACK -> TIME-WAIT. */
static void fin_wait1_fin_closing(void **state)
{
	struct ip_world w;
	struct conn c;
	(void)state;

	world_up(&w);
	to_fin_wait1(&w, &c);
	peer_to(&w, &c, TCPHDR_FIN | TCPHDR_ACK, PEER_ISN + 1, c.iss + 1, NULL, 0, NULL, 0);
	expect_on(&w, &c, TCPHDR_ACK, c.iss + 2, PEER_ISN + 2, WIN_AFTER_FIN, NULL, 0, NULL, 0);
	assert_int_equal(fd_state(&w, c.fd), TCP_CLOSING);
	world_down(&w, &c);
}

static void closing_ack_time_wait(void **state)
{
	struct ip_world w;
	struct conn c;
	(void)state;

	world_up(&w);
	to_fin_wait1(&w, &c);
	conn_hold(&w, &c);
	peer_to(&w, &c, TCPHDR_FIN | TCPHDR_ACK, PEER_ISN + 1, c.iss + 1, NULL, 0, NULL, 0);
	expect_on(&w, &c, TCPHDR_ACK, c.iss + 2, PEER_ISN + 2, WIN_AFTER_FIN, NULL, 0, NULL, 0);
	peer_to(&w, &c, TCPHDR_ACK, PEER_ISN + 2, c.iss + 2, NULL, 0, NULL, 0);
	expect_silence(&w);
	assert_int_equal(c.sk->sk_state, TCP_CLOSE);
	assert_int_equal(tw_count(&w), 1);
	world_down(&w, &c);
}

/* FIN+ACK acknowledging our FIN in FIN-WAIT-1: straight to TIME-WAIT with
 * one ACK. */
static void fin_wait1_finack_time_wait(void **state)
{
	struct ip_world w;
	struct conn c;
	(void)state;

	world_up(&w);
	to_fin_wait1(&w, &c);
	conn_hold(&w, &c);
	peer_to(&w, &c, TCPHDR_FIN | TCPHDR_ACK, PEER_ISN + 1, c.iss + 2, NULL, 0, NULL, 0);
	expect_on(&w, &c, TCPHDR_ACK, c.iss + 2, PEER_ISN + 2, WIN_AFTER_FIN, NULL, 0, NULL, 0);
	expect_silence(&w);
	assert_int_equal(c.sk->sk_state, TCP_CLOSE);
	assert_int_equal(tw_count(&w), 1);
	world_down(&w, &c);
}

/* Our FIN unacknowledged: retransmitted at the RTO. */
static void fin_wait1_timeout_fin_retransmitted(void **state)
{
	struct ip_world w;
	struct conn c;
	(void)state;

	world_up(&w);
	to_fin_wait1(&w, &c);
	tn_test_run(w.st, TCP_RTO_MIN - 1);
	expect_silence(&w);
	tn_test_run(w.st, 2);
	expect_on(&w, &c, TCPHDR_FIN | TCPHDR_ACK, c.iss + 1, PEER_ISN + 1, WIN_INIT, NULL, 0,
		  NULL, 0);
	world_down(&w, &c);
}

/* Data still arrives in FIN-WAIT-2 (half close) and is ACKed. */
static void fin_wait2_data_ack(void **state)
{
	struct ip_world w;
	struct conn c;
	char buf[200];
	(void)state;

	world_up(&w);
	to_fin_wait2(&w, &c);
	peer_to(&w, &c, TCPHDR_PSH | TCPHDR_ACK, PEER_ISN + 1, c.iss + 2, NULL, 0, data100, 100);
	expect_on(&w, &c, TCPHDR_ACK, c.iss + 2, PEER_ISN + 101, WIN_ANY, NULL, 0, NULL, 0);
	assert_int_equal(t_recv(&w, c.fd, buf, sizeof(buf)), 100);
	assert_int_equal(fd_state(&w, c.fd), TCP_FIN_WAIT2);
	world_down(&w, &c);
}

static void fin_wait2_fin_time_wait(void **state)
{
	struct ip_world w;
	struct conn c;
	(void)state;

	world_up(&w);
	to_time_wait(&w, &c);
	world_down(&w, &c);
}

/* An orphaned FIN-WAIT-2 (close(), not shutdown) lasts tcp_fin_timeout
 * (60 s) as a timewait sock in FIN-WAIT-2, then goes without a word; a FIN
 * after that finds no socket and gets RST. */
static void fin_wait2_orphan_timeout_gone(void **state)
{
	struct ip_world w;
	struct conn c;
	(void)state;

	world_up(&w);
	establish(&w, &c);
	conn_hold(&w, &c);
	assert_int_equal(t_close(&w, c.fd), 0);
	c.fd = -1;
	expect_on(&w, &c, TCPHDR_FIN | TCPHDR_ACK, c.iss + 1, PEER_ISN + 1, WIN_INIT, NULL, 0,
		  NULL, 0);
	peer_to(&w, &c, TCPHDR_ACK, PEER_ISN + 1, c.iss + 2, NULL, 0, NULL, 0);
	expect_silence(&w);
	tn_test_run(w.st, TCP_FIN_TIMEOUT - 1);
	expect_silence(&w);
	tn_test_run(w.st, 2);
	expect_silence(&w);
	assert_int_equal(tw_count(&w), 0);
	peer_to(&w, &c, TCPHDR_FIN | TCPHDR_ACK, PEER_ISN + 1, c.iss + 2, NULL, 0, NULL, 0);
	expect_on(&w, &c, TCPHDR_RST, c.iss + 2, 0, 0, NULL, 0, NULL, 0);
	world_down(&w, &c);
}

/* ======================================================================== */
/* TIME-WAIT                                                                */
/* ======================================================================== */

/* RFC 9293 3.10.7.4 eighth step: a retransmitted FIN in TIME-WAIT is
 * ACKed again and restarts the 2 MSL timer. */
static void time_wait_fin_reack(void **state)
{
	struct ip_world w;
	struct conn c;
	(void)state;

	world_up(&w);
	to_time_wait(&w, &c);
	tn_test_run(w.st, 30000);
	peer_to(&w, &c, TCPHDR_FIN | TCPHDR_ACK, PEER_ISN + 1, c.iss + 2, NULL, 0, NULL, 0);
	expect_on(&w, &c, TCPHDR_ACK, c.iss + 2, PEER_ISN + 2, WIN_AFTER_FIN, NULL, 0, NULL, 0);
	/* Restarted: still there 59 s after the second FIN. */
	tn_test_run(w.st, TCP_TIMEWAIT_LEN - 1000);
	assert_int_equal(tw_count(&w), 1);
	world_down(&w, &c);
}

/* A plain ACK in TIME-WAIT is ignored. */
static void time_wait_ack_ignored(void **state)
{
	struct ip_world w;
	struct conn c;
	(void)state;

	world_up(&w);
	to_time_wait(&w, &c);
	peer_to(&w, &c, TCPHDR_ACK, PEER_ISN + 2, c.iss + 2, NULL, 0, NULL, 0);
	expect_silence(&w);
	assert_int_equal(tw_count(&w), 1);
	world_down(&w, &c);
}

/* An in-window RST in TIME-WAIT kills it (Linux: tcp_rfc1337 = 0). */
static void time_wait_rst_killed(void **state)
{
	struct ip_world w;
	struct conn c;
	(void)state;

	world_up(&w);
	to_time_wait(&w, &c);
	peer_to(&w, &c, TCPHDR_RST, PEER_ISN + 2, 0, NULL, 0, NULL, 0);
	expect_silence(&w);
	assert_int_equal(tw_count(&w), 0);
	world_down(&w, &c);
}

/* After 2 MSL (TCP_TIMEWAIT_LEN, 60 s) the timewait sock is gone
 * (TimeWaited); a segment then gets RST. */
static void time_wait_timeout_gone(void **state)
{
	struct ip_world w;
	struct conn c;
	(void)state;

	world_up(&w);
	to_time_wait(&w, &c);
	tn_test_run(w.st, TCP_TIMEWAIT_LEN - 1);
	assert_int_equal(tw_count(&w), 1);
	tn_test_run(w.st, 2);
	assert_int_equal(tw_count(&w), 0);
	assert_int_equal(ext_mib(&w, LINUX_MIB_TIMEWAITED), 1);
	expect_silence(&w);
	peer_to(&w, &c, TCPHDR_ACK, PEER_ISN + 2, c.iss + 2, NULL, 0, NULL, 0);
	expect_on(&w, &c, TCPHDR_RST, c.iss + 2, 0, 0, NULL, 0, NULL, 0);
	world_down(&w, &c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(closed_syn_rst_ack),
		cmocka_unit_test(closed_ack_rst),
		cmocka_unit_test(closed_rst_ignored),
		cmocka_unit_test(closed_connect_syn_sent),
		cmocka_unit_test(listen_syn_synack),
		cmocka_unit_test(listen_ack_rst),
		cmocka_unit_test(listen_synack_rst),
		cmocka_unit_test(listen_rst_ignored),
		cmocka_unit_test(syn_sent_synack_established),
		cmocka_unit_test(syn_sent_synack_options_established),
		cmocka_unit_test(syn_sent_rst_bad_ack_ignored),
		cmocka_unit_test(syn_sent_rst_ack_refused),
		cmocka_unit_test(syn_sent_rst_no_ack_ignored),
		cmocka_unit_test(syn_sent_synack_bad_ack_rst),
		cmocka_unit_test(syn_sent_syn_simultaneous_open),
		cmocka_unit_test(syn_sent_timeout_syn_retransmitted),
		cmocka_unit_test(syn_sent_timeout_etimedout),
		cmocka_unit_test(syn_recv_ack_established),
		cmocka_unit_test(syn_recv_rst_back_to_listen),
		cmocka_unit_test(syn_recv_bad_ack_rst),
		cmocka_unit_test(syn_recv_timeout_synack_retransmitted),
		cmocka_unit_test(syn_recv_syn_synack_again),
		cmocka_unit_test(established_data_in_window_ack),
		cmocka_unit_test(established_data_out_of_window_dupack),
		cmocka_unit_test(established_data_old_dupack),
		cmocka_unit_test(established_send_data_segment),
		cmocka_unit_test(established_ack_acceptable_advances),
		cmocka_unit_test(established_ack_future_dropped),
		cmocka_unit_test(established_ack_old_ignored),
		cmocka_unit_test(established_ack_too_old_challenge),
		cmocka_unit_test(established_rst_exact_closed),
		cmocka_unit_test(established_rst_in_window_challenge),
		cmocka_unit_test(established_rst_out_of_window_ignored),
		cmocka_unit_test(established_syn_challenge_ack),
		cmocka_unit_test(established_fin_close_wait),
		cmocka_unit_test(established_fin_out_of_order_dupack),
		cmocka_unit_test(established_shutdown_wr_fin_wait1),
		cmocka_unit_test(established_close_fin_wait1),
		cmocka_unit_test(established_close_linger0_rst),
		cmocka_unit_test(established_close_unread_data_rst),
		cmocka_unit_test(established_timeout_data_retransmitted),
		cmocka_unit_test(close_wait_send_data),
		cmocka_unit_test(close_wait_shutdown_last_ack),
		cmocka_unit_test(close_wait_fin_reack),
		cmocka_unit_test(last_ack_ack_closed),
		cmocka_unit_test(last_ack_timeout_fin_retransmitted),
		cmocka_unit_test(fin_wait1_ack_fin_wait2),
		cmocka_unit_test(fin_wait1_fin_closing),
		cmocka_unit_test(closing_ack_time_wait),
		cmocka_unit_test(fin_wait1_finack_time_wait),
		cmocka_unit_test(fin_wait1_timeout_fin_retransmitted),
		cmocka_unit_test(fin_wait2_data_ack),
		cmocka_unit_test(fin_wait2_fin_time_wait),
		cmocka_unit_test(fin_wait2_orphan_timeout_gone),
		cmocka_unit_test(time_wait_fin_reack),
		cmocka_unit_test(time_wait_ack_ignored),
		cmocka_unit_test(time_wait_rst_killed),
		cmocka_unit_test(time_wait_timeout_gone),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
