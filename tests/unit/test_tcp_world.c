/*
 * Whole-world TCP tests in virtual time: two namespaces, a (10.0.0.1) and
 * b (10.0.0.2), joined by a veth pair, impaired with netem exactly as on
 * Linux (`tc -n a qdisc add dev v0 root netem loss 1%`), and driven only
 * through the public API: tn_command for the world, tn_setns + tn_socket
 * and the socket calls for the programs, tn_stack_advance for time. Every
 * transfer is checked end to end (length and a 64-bit digest of the byte
 * stream sent == received), and every test ends with tn_stack_free
 * reporting no skb and no sock left alive.
 *
 * What is checked: bulk transfer under 0, 1 and 5 % loss and under
 * reordering; a 100 ms RTT path, where only window scaling lets 4 MB go
 * through in the time allowed; keepalive declaring a silent peer dead
 * (ETIMEDOUT after the probes); the retransmission timer giving up after
 * tcp_retries2 (ETIMEDOUT); the orphaned FIN-WAIT-2 timeout
 * (tcp_fin_timeout); port reuse while a TIME-WAIT sock holds the port
 * (SO_REUSEADDR, tcp_tw_reuse); a SYN flood answered with SYN cookies while
 * an established flow carries on and a new connection still gets in.
 *
 * Deadlines below are virtual time, so they are exact and repeatable, not
 * timing thresholds: a run takes the same virtual time on any machine.
 * Byte-level behaviour of each state is test_tcp_states.c's job.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include "tn_test.h"
#include "tuxnet/tuxnet.h"

#define NS_PER_MS 1000000ull
#define NS_PER_S 1000000000ull
#define A_IP "10.0.0.1"
#define B_IP "10.0.0.2"
#define C_IP "10.0.1.2"          /* the attacker of the SYN flood test */
#define A_C_IP "10.0.1.1"        /* a's address on the attacker's link */

/* Two namespaces on one veth pair (as test_runner.c builds them). */
static const char two_hosts[] =
	"ip netns add a\n"
	"ip netns add b\n"
	"ip -n a link add v0 type veth peer name v1 netns b\n"
	"ip -n a addr add 10.0.0.1/24 dev v0\n"
	"ip -n b addr add 10.0.0.2/24 dev v1\n"
	"ip -n a link set v0 up\n"
	"ip -n b link set v1 up\n";

static struct tn_stack *world_new(const char *extra)
{
	struct tn_stack_config cfg = { .virtual_time = 1, .seed = 7 };
	struct tn_stack *st = tn_stack_create(&cfg);

	assert_non_null(st);
	assert_int_equal(tn_command(st, two_hosts, stderr), 0);
	if (extra)
		assert_int_equal(tn_command(st, extra, stderr), 0);
	return st;
}

static void world_free(struct tn_stack *st)
{
	assert_int_equal(tn_stack_free(st), 0);
}

static void cmd(struct tn_stack *st, const char *line)
{
	assert_int_equal(tn_command(st, line, stderr), 0);
}

static struct sockaddr_in sin_of(const char *ip, unsigned int port)
{
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	assert_int_equal(inet_pton(AF_INET, ip, &sin.sin_addr), 1);
	return sin;
}

static void set_int(struct tn_stack *st, int fd, int level, int name, int v)
{
	assert_int_equal(tn_setsockopt(st, fd, level, name, &v, sizeof(v)), 0);
}

static int get_int(struct tn_stack *st, int fd, int level, int name)
{
	int v = -1;
	socklen_t len = sizeof(v);

	assert_int_equal(tn_getsockopt(st, fd, level, name, &v, &len), 0);
	return v;
}

static int tcp_state(struct tn_stack *st, int fd)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	memset(&ti, 0, sizeof(ti));
	assert_int_equal(tn_getsockopt(st, fd, IPPROTO_TCP, TCP_INFO, &ti, &len), 0);
	return ti.tcpi_state;
}

/* A non-blocking TCP socket in namespace ns. */
static int ns_socket(struct tn_stack *st, const char *ns)
{
	assert_int_equal(tn_setns(st, ns), 0);
	int fd = tn_socket(st, AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_true(fd >= 3);
	assert_int_equal(tn_setns(st, NULL), 0);
	return fd;
}

static int ns_listener(struct tn_stack *st, const char *ns, const char *ip, unsigned int port,
		       int backlog, bool reuse)
{
	int fd = ns_socket(st, ns);
	struct sockaddr_in sin = sin_of(ip, port);

	if (reuse)
		set_int(st, fd, SOL_SOCKET, SO_REUSEADDR, 1);
	assert_int_equal(tn_bind(st, fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(tn_listen(st, fd, backlog), 0);
	return fd;
}

/* Wait (in virtual time, at most ms) for poll events on fd. */
static int wait_for(struct tn_stack *st, int fd, short events, unsigned int ms)
{
	for (unsigned int t = 0; t <= ms; t++) {
		struct pollfd p = { .fd = fd, .events = events };
		int n = tn_poll(st, &p, 1, 0);
		assert_true(n >= 0);
		if (n > 0 && (p.revents & (events | POLLERR | POLLHUP | POLLNVAL)))
			return p.revents;
		tn_stack_advance(st, NS_PER_MS);
	}
	return 0;
}

/* Connect fd (in whatever namespace it was made) to ip:port and wait for
 * the handshake; returns SO_ERROR (0: connected). */
static int connect_wait(struct tn_stack *st, int fd, const char *ip, unsigned int port,
			unsigned int ms)
{
	struct sockaddr_in sin = sin_of(ip, port);
	int rc = tn_connect(st, fd, (struct sockaddr *)&sin, sizeof(sin));

	if (rc == 0)
		return 0;
	assert_int_equal(errno, EINPROGRESS);
	wait_for(st, fd, POLLOUT, ms);
	return get_int(st, fd, SOL_SOCKET, SO_ERROR);
}

static int accept_wait(struct tn_stack *st, int lfd, unsigned int ms)
{
	assert_true(wait_for(st, lfd, POLLIN, ms) & POLLIN);
	int fd = tn_accept4(st, lfd, NULL, NULL, SOCK_NONBLOCK);
	assert_true(fd >= 3);
	return fd;
}

/* A connected pair: server in a (port), client in b. */
struct pair {
	int lfd, srv, cli;
};

static void pair_open(struct tn_stack *st, struct pair *p, unsigned int port)
{
	p->lfd = ns_listener(st, "a", A_IP, port, 16, true);
	p->cli = ns_socket(st, "b");
	assert_int_equal(connect_wait(st, p->cli, A_IP, port, 5000), 0);
	p->srv = accept_wait(st, p->lfd, 5000);
}

static void pair_close(struct tn_stack *st, struct pair *p)
{
	if (p->cli >= 0)
		tn_close(st, p->cli);
	if (p->srv >= 0)
		tn_close(st, p->srv);
	if (p->lfd >= 0)
		tn_close(st, p->lfd);
	p->cli = p->srv = p->lfd = -1;
}

/* ---- a byte stream with a digest --------------------------------------- */

/* The stream's bytes come from a seeded generator; both ends fold what
 * they see into an FNV-1a 64 digest. */
struct stream {
	uint64_t rng;
	uint64_t digest;
	size_t bytes;
};

static void stream_init(struct stream *s, uint64_t seed)
{
	s->rng = seed | 1;
	s->digest = 0xcbf29ce484222325ull;
	s->bytes = 0;
}

static void stream_fill(struct stream *s, uint8_t *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		s->rng ^= s->rng << 13;
		s->rng ^= s->rng >> 7;
		s->rng ^= s->rng << 17;
		buf[i] = (uint8_t)(s->rng >> 24);
	}
}

static void stream_digest(struct stream *s, const uint8_t *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		s->digest ^= buf[i];
		s->digest *= 0x100000001b3ull;
	}
	s->bytes += len;
}

/* One direction of a transfer in progress. */
struct xfer {
	int tx, rx;
	size_t total;
	struct stream out, in;
	uint8_t pend[16384];     /* generated, not yet accepted by send */
	size_t pend_len, pend_off;
	bool tx_closed;
};

static void xfer_init(struct xfer *x, int tx, int rx, size_t total)
{
	memset(x, 0, sizeof(*x));
	x->tx = tx;
	x->rx = rx;
	x->total = total;
	stream_init(&x->out, 0x1234);
	stream_init(&x->in, 0);
}

/* Move what can move without blocking; true when all bytes arrived. */
static bool xfer_pump(struct tn_stack *st, struct xfer *x)
{
	uint8_t buf[65536];

	while (x->out.bytes < x->total || x->pend_off < x->pend_len) {
		if (x->pend_off == x->pend_len) {
			size_t n = x->total - x->out.bytes;
			if (n > sizeof(x->pend))
				n = sizeof(x->pend);
			stream_fill(&x->out, x->pend, n);
			stream_digest(&x->out, x->pend, n);
			x->pend_len = n;
			x->pend_off = 0;
		}
		ssize_t n = tn_send(st, x->tx, x->pend + x->pend_off, x->pend_len - x->pend_off,
				    MSG_DONTWAIT);
		if (n < 0) {
			assert_int_equal(errno, EAGAIN);
			break;
		}
		x->pend_off += (size_t)n;
	}
	if (!x->tx_closed && x->out.bytes == x->total && x->pend_off == x->pend_len) {
		assert_int_equal(tn_shutdown(st, x->tx, SHUT_WR), 0);
		x->tx_closed = true;
	}
	for (;;) {
		ssize_t n = tn_recv(st, x->rx, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0) {
			assert_int_equal(errno, EAGAIN);
			break;
		}
		if (n == 0)
			return true;      /* EOF: the sender's FIN */
		stream_digest(&x->in, buf, (size_t)n);
	}
	return false;
}

/* Run a transfer to its end (EOF at the receiver) within limit_ms of
 * virtual time; returns the virtual ms it took. */
static uint64_t xfer_run(struct tn_stack *st, struct xfer *x, uint64_t limit_ms)
{
	uint64_t t0 = tn_stack_now(st);

	while (!xfer_pump(st, x)) {
		uint64_t took = (tn_stack_now(st) - t0) / NS_PER_MS;
		if (took > limit_ms) {
			print_message("transfer stalled: %zu of %zu bytes after %llu ms\n",
				      x->in.bytes, x->total, (unsigned long long)took);
			fail();
		}
		tn_stack_advance(st, NS_PER_MS);
	}
	assert_int_equal(x->in.bytes, x->total);
	assert_true(x->in.digest == x->out.digest);
	return (tn_stack_now(st) - t0) / NS_PER_MS;
}

/* A counter of namespace ns as nstat prints it (TcpExtSyncookiesSent). */
static unsigned long long ns_counter(struct tn_stack *st, const char *ns, const char *name)
{
	char line[256], *out = NULL;
	size_t size = 0;
	unsigned long long v = 0;

	FILE *f = open_memstream(&out, &size);
	assert_non_null(f);
	snprintf(line, sizeof(line), "ip netns exec %s nstat -az %s", ns, name);
	assert_int_equal(tn_command(st, line, f), 0);
	fclose(f);
	char *p = out ? strstr(out, name) : NULL;
	if (p)
		sscanf(p + strlen(name), "%llu", &v);
	free(out);
	return v;
}

/* ---- bulk transfers --------------------------------------------------------- */

static void bulk(const char *netem, size_t bytes, uint64_t limit_ms)
{
	char line[256];
	struct tn_stack *st = world_new(NULL);
	struct pair p;
	struct xfer x;

	if (netem) {
		snprintf(line, sizeof(line), "tc -n a qdisc add dev v0 root netem %s", netem);
		cmd(st, line);
		snprintf(line, sizeof(line), "tc -n b qdisc add dev v1 root netem %s", netem);
		cmd(st, line);
	}
	pair_open(st, &p, 5001);
	xfer_init(&x, p.cli, p.srv, bytes);
	uint64_t took = xfer_run(st, &x, limit_ms);
	print_message("%s: %zu bytes in %llu virtual ms\n", netem ? netem : "clean", bytes,
		      (unsigned long long)took);
	pair_close(st, &p);
	tn_stack_advance(st, 200 * NS_PER_S);
	world_free(st);
}

static void bulk_no_loss_digest_equal(void **state)
{
	(void)state;
	bulk(NULL, 4 << 20, 60000);
}

static void bulk_loss_1pct_digest_equal(void **state)
{
	(void)state;
	bulk("loss 1%", 2 << 20, 600000);
}

static void bulk_loss_5pct_digest_equal(void **state)
{
	(void)state;
	bulk("loss 5%", 1 << 20, 600000);
}

static void bulk_reordering_digest_equal(void **state)
{
	(void)state;
	bulk("delay 10ms reorder 25% 50%", 2 << 20, 600000);
}

/* 100 ms RTT (50 ms each way). Without window scaling the window is at
 * most 64 KB a round trip: 4 MB would need at least 6.4 s. With scaling
 * (wscale 7 both ways) and receive buffer auto-tuning it must take less
 * than half of that. */
static void rtt100_window_scaling_fills_pipe(void **state)
{
	struct tn_stack *st = world_new("tc -n a qdisc add dev v0 root netem delay 50ms limit 10000\n"
					"tc -n b qdisc add dev v1 root netem delay 50ms limit 10000\n");
	struct pair p;
	struct xfer x;
	struct tcp_info ti;
	socklen_t len = sizeof(ti);
	(void)state;

	pair_open(st, &p, 5001);
	memset(&ti, 0, sizeof(ti));
	assert_int_equal(tn_getsockopt(st, p.cli, IPPROTO_TCP, TCP_INFO, &ti, &len), 0);
	assert_int_equal(ti.tcpi_snd_wscale, 7);
	assert_int_equal(ti.tcpi_rcv_wscale, 7);
	assert_true(ti.tcpi_options & TCPI_OPT_WSCALE);
	assert_true(ti.tcpi_options & TCPI_OPT_TIMESTAMPS);
	assert_true(ti.tcpi_options & TCPI_OPT_SACK);
	xfer_init(&x, p.cli, p.srv, 4 << 20);
	uint64_t took = xfer_run(st, &x, 3200);
	print_message("4 MB over 100 ms RTT in %llu virtual ms\n", (unsigned long long)took);
	len = sizeof(ti);
	assert_int_equal(tn_getsockopt(st, p.cli, IPPROTO_TCP, TCP_INFO, &ti, &len), 0);
	assert_true(ti.tcpi_rtt >= 100000 && ti.tcpi_rtt < 150000);
	pair_close(st, &p);
	tn_stack_advance(st, 200 * NS_PER_S);
	world_free(st);
}

/* ---- peers that die ----------------------------------------------------------- */

/* Keepalive: idle 10 s, probes every 5 s, 3 of them. The peer goes silent
 * (netem drops everything b sends), so the probes go unanswered: at
 * idle + 3 x interval = 25 s the connection fails with ETIMEDOUT. */
static void keepalive_dead_peer_etimedout(void **state)
{
	struct tn_stack *st = world_new(NULL);
	struct pair p;
	char buf[8];
	(void)state;

	pair_open(st, &p, 5002);
	set_int(st, p.srv, IPPROTO_TCP, TCP_KEEPIDLE, 10);
	set_int(st, p.srv, IPPROTO_TCP, TCP_KEEPINTVL, 5);
	set_int(st, p.srv, IPPROTO_TCP, TCP_KEEPCNT, 3);
	set_int(st, p.srv, SOL_SOCKET, SO_KEEPALIVE, 1);
	cmd(st, "tc -n b qdisc add dev v1 root netem loss 100%");
	tn_stack_advance(st, 24 * NS_PER_S);
	assert_int_equal(tcp_state(st, p.srv), TCP_ESTABLISHED);
	assert_int_equal(tn_recv(st, p.srv, buf, sizeof(buf), MSG_DONTWAIT), -1);
	assert_int_equal(errno, EAGAIN);
	tn_stack_advance(st, 2 * NS_PER_S);
	assert_int_equal(tn_recv(st, p.srv, buf, sizeof(buf), MSG_DONTWAIT), -1);
	assert_int_equal(errno, ETIMEDOUT);
	assert_int_equal(tcp_state(st, p.srv), TCP_CLOSE);
	pair_close(st, &p);
	tn_stack_advance(st, 200 * NS_PER_S);
	world_free(st);
}

/* The retransmission timer gives up after tcp_retries2 (15) backoffs:
 * tcp_model_timeout with RTO 200 ms is 1023 x 0.2 s + 6 x 120 s = 924.6 s
 * after the first transmission; then ETIMEDOUT. */
static void rto_gives_up_after_retries2_etimedout(void **state)
{
	struct tn_stack *st = world_new(NULL);
	struct pair p;
	char buf[8];
	(void)state;

	/* A path with some delay, as every real one has: the RTT sample makes
	 * the RTO srtt + 200 ms, so the 15th backoff ends past Linux's
	 * modelled timeout (924.6 s for tcp_retries2 15) instead of on it. */
	cmd(st, "tc -n a qdisc add dev v0 root netem delay 1ms\n"
		"tc -n b qdisc add dev v1 root netem delay 1ms");
	pair_open(st, &p, 5003);
	cmd(st, "tc -n a qdisc replace dev v0 root netem delay 1ms loss 100%\n"
		"tc -n b qdisc replace dev v1 root netem delay 1ms loss 100%");
	assert_int_equal(tn_send(st, p.cli, "lost", 4, MSG_DONTWAIT), 4);
	tn_stack_advance(st, 920 * NS_PER_S);
	assert_int_equal(tcp_state(st, p.cli), TCP_ESTABLISHED);
	assert_true(ns_counter(st, "b", "TcpRetransSegs") >= 14);
	/* 15 RTO retransmissions after Linux's tail loss probe (SACK is on;
	 * the PTO of one segment, 2 SRTT + RTO_MIN, is capped at the RTO, so
	 * the probe takes the first RTO's place and the RTOs follow it). */
	tn_stack_advance(st, 10 * NS_PER_S);
	assert_int_equal(tcp_state(st, p.cli), TCP_CLOSE);
	assert_int_equal(tn_recv(st, p.cli, buf, sizeof(buf), MSG_DONTWAIT), -1);
	assert_int_equal(errno, ETIMEDOUT);
	assert_int_equal(ns_counter(st, "b", "TcpExtTCPLossProbes"), 1);
	assert_int_equal(ns_counter(st, "b", "TcpExtTCPTimeouts"), 16);
	assert_int_equal(ns_counter(st, "b", "TcpRetransSegs"), 16);
	pair_close(st, &p);
	tn_stack_advance(st, 200 * NS_PER_S);
	world_free(st);
}

/* An orphaned FIN-WAIT-2 lives net.ipv4.tcp_fin_timeout (5 s here): the
 * peer's FIN at 4 s is ACKed (clean close, no error), the one at 6 s
 * finds nothing and gets RST (ECONNRESET at the peer). */
static void fin_wait2_timeout_then_rst(void **state)
{
	struct tn_stack *st = world_new("ip netns exec a sysctl -w net.ipv4.tcp_fin_timeout=5");
	struct pair p1, p2;
	char buf[8];
	(void)state;

	pair_open(st, &p1, 5004);
	p2.lfd = -1;
	p2.cli = ns_socket(st, "b");
	assert_int_equal(connect_wait(st, p2.cli, A_IP, 5004, 5000), 0);
	p2.srv = accept_wait(st, p1.lfd, 5000);

	assert_int_equal(tn_close(st, p1.srv), 0);
	assert_int_equal(tn_close(st, p2.srv), 0);
	p1.srv = p2.srv = -1;
	tn_stack_advance(st, 100 * NS_PER_MS);
	assert_int_equal(tn_recv(st, p1.cli, buf, sizeof(buf), MSG_DONTWAIT), 0);
	assert_int_equal(tn_recv(st, p2.cli, buf, sizeof(buf), MSG_DONTWAIT), 0);
	assert_int_equal(tcp_state(st, p1.cli), TCP_CLOSE_WAIT);

	tn_stack_advance(st, 3900 * NS_PER_MS);                 /* 4 s */
	assert_int_equal(tn_shutdown(st, p1.cli, SHUT_WR), 0);
	tn_stack_advance(st, 100 * NS_PER_MS);
	assert_int_equal(tcp_state(st, p1.cli), TCP_CLOSE);
	assert_int_equal(get_int(st, p1.cli, SOL_SOCKET, SO_ERROR), 0);

	tn_stack_advance(st, 2 * NS_PER_S);                     /* 6.1 s */
	assert_int_equal(tn_shutdown(st, p2.cli, SHUT_WR), 0);
	tn_stack_advance(st, 100 * NS_PER_MS);
	assert_int_equal(tcp_state(st, p2.cli), TCP_CLOSE);
	assert_int_equal(get_int(st, p2.cli, SOL_SOCKET, SO_ERROR), ECONNRESET);
	pair_close(st, &p1);
	pair_close(st, &p2);
	tn_stack_advance(st, 200 * NS_PER_S);
	world_free(st);
}

/* ---- TIME-WAIT ---------------------------------------------------------------- */

/* The server closes first, so its side of the connection sits in
 * TIME-WAIT on port 5005. A new listener cannot bind the port without
 * SO_REUSEADDR (EADDRINUSE) and can with it (both it and the timewait sock,
 * which inherited the old listener's flag, have it: inet_bind_conflict with
 * relax). Then the client closes first on a connection from a fixed port
 * (40000): a new socket bound to the same port (SO_REUSEADDR) connects the
 * same 4-tuple at once, taking over the TIME-WAIT sock because timestamps
 * were on (tcp_twsk_unique with twp == NULL: Linux's bound-port path does
 * not consult tcp_tw_reuse), and carries data. */
static void time_wait_port_reuse(void **state)
{
	struct tn_stack *st = world_new(NULL);
	struct pair p;
	char buf[8];
	(void)state;

	pair_open(st, &p, 5005);
	assert_int_equal(tn_close(st, p.srv), 0);
	p.srv = -1;
	tn_stack_advance(st, 100 * NS_PER_MS);
	assert_int_equal(tn_recv(st, p.cli, buf, sizeof(buf), MSG_DONTWAIT), 0);
	assert_int_equal(tn_close(st, p.cli), 0);
	p.cli = -1;
	tn_stack_advance(st, 100 * NS_PER_MS);
	assert_int_equal(tn_close(st, p.lfd), 0);
	p.lfd = -1;

	struct sockaddr_in sa = sin_of(A_IP, 5005);
	int l2 = ns_socket(st, "a");
	assert_int_equal(tn_bind(st, l2, (struct sockaddr *)&sa, sizeof(sa)), -1);
	assert_int_equal(errno, EADDRINUSE);
	tn_close(st, l2);
	l2 = ns_listener(st, "a", A_IP, 5005, 16, true);

	/* The client side: b closes first from port 40000. */
	struct sockaddr_in sb = sin_of(B_IP, 40000);
	int c1 = ns_socket(st, "b");
	set_int(st, c1, SOL_SOCKET, SO_REUSEADDR, 1);
	assert_int_equal(tn_bind(st, c1, (struct sockaddr *)&sb, sizeof(sb)), 0);
	assert_int_equal(connect_wait(st, c1, A_IP, 5005, 5000), 0);
	int s1 = accept_wait(st, l2, 5000);
	assert_int_equal(tn_close(st, c1), 0);
	tn_stack_advance(st, 100 * NS_PER_MS);
	assert_int_equal(tn_recv(st, s1, buf, sizeof(buf), MSG_DONTWAIT), 0);
	assert_int_equal(tn_close(st, s1), 0);
	tn_stack_advance(st, 100 * NS_PER_MS);

	int c2 = ns_socket(st, "b");
	set_int(st, c2, SOL_SOCKET, SO_REUSEADDR, 1);
	assert_int_equal(tn_bind(st, c2, (struct sockaddr *)&sb, sizeof(sb)), 0);
	assert_int_equal(connect_wait(st, c2, A_IP, 5005, 5000), 0);
	int s2 = accept_wait(st, l2, 5000);
	assert_int_equal(tn_send(st, c2, "again", 5, MSG_DONTWAIT), 5);
	assert_true(wait_for(st, s2, POLLIN, 1000) & POLLIN);
	assert_int_equal(tn_recv(st, s2, buf, sizeof(buf), MSG_DONTWAIT), 5);
	tn_close(st, c2);
	tn_close(st, s2);
	tn_close(st, l2);
	tn_stack_advance(st, 200 * NS_PER_S);
	world_free(st);
}

/* ---- SYN flood ---------------------------------------------------------------- */

/* A third namespace c floods a's listener (backlog 8) with SYNs whose
 * SYN-ACKs never come back (netem drops everything a sends to c), so the
 * SYN queue fills and a answers with SYN cookies (SyncookiesSent). Both
 * ends of the attacker's link have static ARP entries: netem also drops
 * a's ARP replies and requests, and without them c's SYNs would never
 * leave c (and a would never get as far as sending a SYN-ACK). All the
 * while a bulk transfer from b to a on an established connection goes on
 * untouched, and a new connection from b during the flood completes
 * through a cookie (SyncookiesRecv) and carries data. */
static void syn_flood_syncookies_flow_continues(void **state)
{
	struct tn_stack *st = world_new("ip netns add c\n"
					"ip -n a link add v2 type veth peer name v3 netns c\n"
					"ip -n a link set v2 address 02:00:00:00:01:01\n"
					"ip -n c link set v3 address 02:00:00:00:01:02\n"
					"ip -n a addr add 10.0.1.1/24 dev v2\n"
					"ip -n c addr add 10.0.1.2/24 dev v3\n"
					"ip -n a link set v2 up\n"
					"ip -n c link set v3 up\n"
					"ip -n a neigh add 10.0.1.2 lladdr 02:00:00:00:01:02 dev v2 nud permanent\n"
					"ip -n c neigh add 10.0.1.1 lladdr 02:00:00:00:01:01 dev v3 nud permanent\n"
					"tc -n a qdisc add dev v2 root netem loss 100%\n");
	struct xfer x;
	int flood[64];
	char buf[8];
	(void)state;

	int lfd = ns_listener(st, "a", "0.0.0.0", 80, 8, true);
	int cli = ns_socket(st, "b");
	assert_int_equal(connect_wait(st, cli, A_IP, 80, 5000), 0);
	int srv = accept_wait(st, lfd, 5000);
	xfer_init(&x, cli, srv, 2 << 20);

	for (int i = 0; i < 64; i++) {
		flood[i] = ns_socket(st, "c");
		struct sockaddr_in sa = sin_of(A_C_IP, 80);
		assert_int_equal(tn_connect(st, flood[i], (struct sockaddr *)&sa, sizeof(sa)), -1);
		assert_int_equal(errno, EINPROGRESS);
		xfer_pump(st, &x);
		tn_stack_advance(st, NS_PER_MS);
	}
	assert_true(ns_counter(st, "a", "TcpExtSyncookiesSent") > 0);

	int late = ns_socket(st, "b");
	assert_int_equal(connect_wait(st, late, A_IP, 80, 5000), 0);
	int late_srv = accept_wait(st, lfd, 5000);
	assert_true(ns_counter(st, "a", "TcpExtSyncookiesRecv") >= 1);
	assert_int_equal(tn_send(st, late, "cookie", 6, MSG_DONTWAIT), 6);
	assert_true(wait_for(st, late_srv, POLLIN, 1000) & POLLIN);
	assert_int_equal(tn_recv(st, late_srv, buf, sizeof(buf), MSG_DONTWAIT), 6);
	assert_memory_equal(buf, "cookie", 6);

	xfer_run(st, &x, 60000);
	/* Only the SYN-ACKs were lost: the attacker's sockets never connected. */
	assert_int_equal(tcp_state(st, flood[0]), TCP_SYN_SENT);
	assert_int_equal(tcp_state(st, flood[63]), TCP_SYN_SENT);
	for (int i = 0; i < 64; i++)
		tn_close(st, flood[i]);
	tn_close(st, late);
	tn_close(st, late_srv);
	tn_close(st, cli);
	tn_close(st, srv);
	tn_close(st, lfd);
	tn_stack_advance(st, 200 * NS_PER_S);
	world_free(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bulk_no_loss_digest_equal),
		cmocka_unit_test(bulk_loss_1pct_digest_equal),
		cmocka_unit_test(bulk_loss_5pct_digest_equal),
		cmocka_unit_test(bulk_reordering_digest_equal),
		cmocka_unit_test(rtt100_window_scaling_fills_pipe),
		cmocka_unit_test(keepalive_dead_peer_etimedout),
		cmocka_unit_test(rto_gives_up_after_retries2_etimedout),
		cmocka_unit_test(fin_wait2_timeout_then_rst),
		cmocka_unit_test(time_wait_port_reuse),
		cmocka_unit_test(syn_flood_syncookies_flow_continues),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
