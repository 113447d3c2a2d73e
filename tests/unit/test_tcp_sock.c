/*
 * The socket side of TCP (net/ipv4/tcp.c) through the public API, in
 * virtual time: two namespaces a (10.0.0.1, server) and b (10.0.0.2,
 * client) on a veth pair. Each test checks one user-visible rule of
 * Linux's tcp.c — an errno, a poll bit, an ioctl value, an option's
 * round trip, what close() puts on the wire — and ends with tn_stack_free
 * reporting no skb and no sock left alive.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/ioctl.h>
#include <linux/sockios.h>

#include "tn_test.h"
#include "tuxnet/tuxnet.h"

#define NS_PER_MS 1000000ull
#define A_IP "10.0.0.1"
#define B_IP "10.0.0.2"
#define PORT 7000

static const char two_hosts[] =
	"ip netns add a\n"
	"ip netns add b\n"
	"ip -n a link add v0 type veth peer name v1 netns b\n"
	"ip -n a addr add 10.0.0.1/24 dev v0\n"
	"ip -n b addr add 10.0.0.2/24 dev v1\n"
	"ip -n a link set v0 up\n"
	"ip -n b link set v1 up\n";

struct pair {
	struct tn_stack *st;
	int lfd, srv, cli;
};

static struct tn_stack *world_new(void)
{
	struct tn_stack_config cfg = { .virtual_time = 1, .seed = 3 };
	struct tn_stack *st = tn_stack_create(&cfg);

	assert_non_null(st);
	assert_int_equal(tn_command(st, two_hosts, stderr), 0);
	return st;
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

static int ns_socket(struct tn_stack *st, const char *ns)
{
	int fd;

	assert_int_equal(tn_setns(st, ns), 0);
	fd = tn_socket(st, AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_true(fd >= 3);
	assert_int_equal(tn_setns(st, NULL), 0);
	return fd;
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

static short revents(struct tn_stack *st, int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN | POLLOUT | POLLRDHUP };

	assert_true(tn_poll(st, &p, 1, 0) >= 0);
	return p.revents;
}

static void run_ms(struct tn_stack *st, unsigned int ms)
{
	tn_stack_advance(st, ms * NS_PER_MS);
}

static int ioctl_int(struct tn_stack *st, int fd, unsigned long req)
{
	int v = -1;

	assert_int_equal(tn_ioctl(st, fd, req, &v), 0);
	return v;
}

/* Server listening in a, client in b connected, the child accepted. */
static void pair_open(struct pair *p)
{
	struct sockaddr_in sin = sin_of(A_IP, PORT);

	p->st = world_new();
	p->lfd = ns_socket(p->st, "a");
	set_int(p->st, p->lfd, SOL_SOCKET, SO_REUSEADDR, 1);
	assert_int_equal(tn_bind(p->st, p->lfd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(tn_listen(p->st, p->lfd, 8), 0);
	p->cli = ns_socket(p->st, "b");
	assert_int_equal(tn_connect(p->st, p->cli, (struct sockaddr *)&sin, sizeof(sin)), -1);
	assert_int_equal(errno, EINPROGRESS);
	run_ms(p->st, 50);
	assert_int_equal(get_int(p->st, p->cli, SOL_SOCKET, SO_ERROR), 0);
	p->srv = tn_accept4(p->st, p->lfd, NULL, NULL, SOCK_NONBLOCK);
	assert_true(p->srv >= 3);
}

static void pair_close(struct pair *p)
{
	tn_close(p->st, p->cli);
	tn_close(p->st, p->srv);
	tn_close(p->st, p->lfd);
	run_ms(p->st, 130000);   /* FIN exchange, TIME-WAIT */
	assert_int_equal(tn_stack_free(p->st), 0);
}

static unsigned long long counter(struct tn_stack *st, const char *ns, const char *name)
{
	char line[128], *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	unsigned long long v = 0;
	const char *p;

	snprintf(line, sizeof(line), "ip netns exec %s nstat -asz %s", ns, name);
	assert_int_equal(tn_command(st, line, f), 0);
	fclose(f);
	p = strstr(buf, name);
	if (p)
		v = strtoull(p + strlen(name), NULL, 10);
	free(buf);
	return v;
}

/* ---- before a connection ------------------------------------------------ */

static void close_recv_enotconn(void **state)
{
	struct tn_stack *st = world_new();
	int fd = ns_socket(st, "b");
	char c;

	(void)state;
	assert_int_equal(tn_recv(st, fd, &c, 1, 0), -1);
	assert_int_equal(errno, ENOTCONN);
	/* Linux: sending on a TCP socket never connected is EPIPE
	 * (sk_stream_wait_connect), with SIGPIPE unless MSG_NOSIGNAL. */
	assert_int_equal(tn_send(st, fd, "x", 1, MSG_NOSIGNAL), -1);
	assert_int_equal(errno, EPIPE);
	/* A closed socket polls as HUP and writable (Linux's tcp_poll). */
	assert_int_equal(revents(st, fd) & POLLHUP, POLLHUP);
	tn_close(st, fd);
	assert_int_equal(tn_stack_free(st), 0);
}

static void listen_poll_then_ioctl_einval(void **state)
{
	struct tn_stack *st = world_new();
	struct sockaddr_in sin = sin_of(A_IP, PORT);
	int fd = ns_socket(st, "a");
	int v;

	(void)state;
	assert_int_equal(tn_bind(st, fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(tn_listen(st, fd, 4), 0);
	assert_int_equal(revents(st, fd), 0);
	assert_int_equal(tn_ioctl(st, fd, SIOCINQ, &v), -1);
	assert_int_equal(errno, EINVAL);
	tn_close(st, fd);
	assert_int_equal(tn_stack_free(st), 0);
}

static void syn_sent_poll_nothing(void **state)
{
	struct tn_stack *st = world_new();
	struct sockaddr_in sin = sin_of("10.0.0.9", PORT);   /* nobody answers ARP */
	int fd = ns_socket(st, "b");

	(void)state;
	assert_int_equal(tn_connect(st, fd, (struct sockaddr *)&sin, sizeof(sin)), -1);
	assert_int_equal(errno, EINPROGRESS);
	run_ms(st, 100);
	assert_int_equal(revents(st, fd), 0);
	assert_int_equal(tn_send(st, fd, "x", 1, MSG_NOSIGNAL), -1);
	assert_int_equal(errno, EAGAIN);
	tn_close(st, fd);
	run_ms(st, 1000);
	assert_int_equal(tn_stack_free(st), 0);
}

/* ---- established -------------------------------------------------------- */

static void established_idle_queues_empty(void **state)
{
	struct pair p;

	(void)state;
	pair_open(&p);
	assert_int_equal(revents(p.st, p.cli), POLLOUT);
	assert_int_equal(ioctl_int(p.st, p.cli, SIOCINQ), 0);
	assert_int_equal(ioctl_int(p.st, p.cli, SIOCOUTQ), 0);
	assert_int_equal(ioctl_int(p.st, p.cli, SIOCOUTQNSD), 0);
	pair_close(&p);
}

static void established_data_siocinq_peek_read(void **state)
{
	struct pair p;
	char buf[16];

	(void)state;
	pair_open(&p);
	assert_int_equal(tn_send(p.st, p.cli, "hello", 5, 0), 5);
	run_ms(p.st, 50);
	assert_int_equal(ioctl_int(p.st, p.srv, SIOCINQ), 5);
	assert_int_equal(revents(p.st, p.srv) & POLLIN, POLLIN);
	assert_int_equal(tn_recv(p.st, p.srv, buf, 3, MSG_PEEK), 3);
	assert_memory_equal(buf, "hel", 3);
	assert_int_equal(tn_recv(p.st, p.srv, buf, sizeof(buf), 0), 5);
	assert_memory_equal(buf, "hello", 5);
	assert_int_equal(tn_recv(p.st, p.srv, buf, sizeof(buf), 0), -1);
	assert_int_equal(errno, EAGAIN);
	assert_int_equal(ioctl_int(p.st, p.cli, SIOCOUTQ), 0);
	pair_close(&p);
}

static void established_shutdown_wr_peer_eof_rdhup(void **state)
{
	struct pair p;
	char buf[8];

	(void)state;
	pair_open(&p);
	assert_int_equal(tn_send(p.st, p.cli, "ab", 2, 0), 2);
	assert_int_equal(tn_shutdown(p.st, p.cli, SHUT_WR), 0);
	run_ms(p.st, 50);
	/* Data, then EOF; RDHUP once the FIN is in. */
	assert_int_equal(revents(p.st, p.srv) & (POLLIN | POLLRDHUP), POLLIN | POLLRDHUP);
	assert_int_equal(ioctl_int(p.st, p.srv, SIOCINQ), 2);
	assert_int_equal(tn_recv(p.st, p.srv, buf, sizeof(buf), 0), 2);
	assert_int_equal(tn_recv(p.st, p.srv, buf, sizeof(buf), 0), 0);
	/* The client can no longer send; the server still can. */
	assert_int_equal(tn_send(p.st, p.cli, "x", 1, MSG_NOSIGNAL), -1);
	assert_int_equal(errno, EPIPE);
	assert_int_equal(tn_send(p.st, p.srv, "yz", 2, 0), 2);
	run_ms(p.st, 50);
	assert_int_equal(tn_recv(p.st, p.cli, buf, sizeof(buf), 0), 2);
	pair_close(&p);
}

static void established_close_unread_sends_rst(void **state)
{
	struct pair p;
	char buf[8];

	(void)state;
	pair_open(&p);
	assert_int_equal(tn_send(p.st, p.cli, "lost", 4, 0), 4);
	run_ms(p.st, 50);
	tn_close(p.st, p.srv);
	p.srv = -1;
	run_ms(p.st, 50);
	assert_int_equal(counter(p.st, "a", "TcpExtTCPAbortOnClose"), 1);
	assert_int_equal(tn_recv(p.st, p.cli, buf, sizeof(buf), 0), -1);
	assert_int_equal(errno, ECONNRESET);
	/* After the reset is reported: EOF for readers, EPIPE for writers. */
	assert_int_equal(tn_recv(p.st, p.cli, buf, sizeof(buf), 0), 0);
	assert_int_equal(tn_send(p.st, p.cli, "x", 1, MSG_NOSIGNAL), -1);
	assert_int_equal(errno, EPIPE);
	assert_true(revents(p.st, p.cli) & POLLHUP);
	pair_close(&p);
}

static void established_linger_zero_resets(void **state)
{
	struct pair p;
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	char c;

	(void)state;
	pair_open(&p);
	assert_int_equal(tn_setsockopt(p.st, p.cli, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)), 0);
	tn_close(p.st, p.cli);
	p.cli = -1;
	run_ms(p.st, 50);
	assert_int_equal(tn_recv(p.st, p.srv, &c, 1, 0), -1);
	assert_int_equal(errno, ECONNRESET);
	pair_close(&p);
}

static void established_sndbuf_full_eagain(void **state)
{
	struct pair p;
	static char chunk[65536];
	long total = 0;
	ssize_t n;

	(void)state;
	pair_open(&p);
	/* The server never reads: its window closes, then our buffer fills. */
	for (int i = 0; i < 1000; i++) {
		n = tn_send(p.st, p.cli, chunk, sizeof(chunk), 0);
		if (n < 0)
			break;
		total += n;
		run_ms(p.st, 5);
	}
	assert_int_equal(n, -1);
	assert_int_equal(errno, EAGAIN);
	assert_true(total > 0);
	assert_int_equal(revents(p.st, p.cli) & POLLOUT, 0);
	assert_true(ioctl_int(p.st, p.cli, SIOCOUTQ) > 0);
	pair_close(&p);
}

/* ---- options ------------------------------------------------------------ */

static void closed_options_round_trip(void **state)
{
	struct tn_stack *st = world_new();
	int fd = ns_socket(st, "b");
	char name[16] = { 0 };
	socklen_t len = sizeof(name);
	int zero = 0, small = 50;

	(void)state;
	assert_int_equal(get_int(st, fd, IPPROTO_TCP, TCP_NODELAY), 0);
	set_int(st, fd, IPPROTO_TCP, TCP_NODELAY, 1);
	assert_int_equal(get_int(st, fd, IPPROTO_TCP, TCP_NODELAY), 1);
	set_int(st, fd, IPPROTO_TCP, TCP_CORK, 1);
	assert_int_equal(get_int(st, fd, IPPROTO_TCP, TCP_CORK), 1);
	assert_int_equal(get_int(st, fd, IPPROTO_TCP, TCP_KEEPIDLE), 7200);
	set_int(st, fd, IPPROTO_TCP, TCP_KEEPIDLE, 30);
	assert_int_equal(get_int(st, fd, IPPROTO_TCP, TCP_KEEPIDLE), 30);
	assert_int_equal(tn_setsockopt(st, fd, IPPROTO_TCP, TCP_KEEPIDLE, &zero, sizeof(zero)), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(get_int(st, fd, IPPROTO_TCP, TCP_KEEPINTVL), 75);
	assert_int_equal(get_int(st, fd, IPPROTO_TCP, TCP_KEEPCNT), 9);
	assert_int_equal(get_int(st, fd, IPPROTO_TCP, TCP_SYNCNT), 6);
	assert_int_equal(get_int(st, fd, IPPROTO_TCP, TCP_LINGER2), 60);
	assert_int_equal(get_int(st, fd, IPPROTO_TCP, TCP_MAXSEG), 536);
	assert_int_equal(tn_setsockopt(st, fd, IPPROTO_TCP, TCP_MAXSEG, &small, sizeof(small)), -1);
	assert_int_equal(errno, EINVAL);
	set_int(st, fd, IPPROTO_TCP, TCP_MAXSEG, 1000);
	assert_int_equal(get_int(st, fd, IPPROTO_TCP, TCP_MAXSEG), 1000);
	/* Linux stores TCP_DEFER_ACCEPT as SYN-ACK retransmits: 5 s -> 7 s. */
	set_int(st, fd, IPPROTO_TCP, TCP_DEFER_ACCEPT, 5);
	assert_int_equal(get_int(st, fd, IPPROTO_TCP, TCP_DEFER_ACCEPT), 7);
	set_int(st, fd, IPPROTO_TCP, TCP_WINDOW_CLAMP, 100);
	assert_int_equal(get_int(st, fd, IPPROTO_TCP, TCP_WINDOW_CLAMP), 1152);
	set_int(st, fd, IPPROTO_TCP, TCP_USER_TIMEOUT, 5000);
	assert_int_equal(get_int(st, fd, IPPROTO_TCP, TCP_USER_TIMEOUT), 5000);
	assert_int_equal(tn_getsockopt(st, fd, IPPROTO_TCP, TCP_CONGESTION, name, &len), 0);
	assert_string_equal(name, "cubic");
	assert_int_equal(tn_setsockopt(st, fd, IPPROTO_TCP, TCP_CONGESTION, "reno", 4), 0);
	len = sizeof(name);
	assert_int_equal(tn_getsockopt(st, fd, IPPROTO_TCP, TCP_CONGESTION, name, &len), 0);
	assert_string_equal(name, "reno");
	assert_int_equal(get_int(st, fd, SOL_SOCKET, SO_SNDBUF), 16384);
	assert_int_equal(get_int(st, fd, SOL_SOCKET, SO_RCVBUF), 131072);
	tn_close(st, fd);
	assert_int_equal(tn_stack_free(st), 0);
}

static void established_tcp_info(void **state)
{
	struct pair p;
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	(void)state;
	pair_open(&p);
	assert_int_equal(tn_send(p.st, p.cli, "0123456789", 10, 0), 10);
	run_ms(p.st, 50);
	memset(&ti, 0, sizeof(ti));
	assert_int_equal(tn_getsockopt(p.st, p.cli, IPPROTO_TCP, TCP_INFO, &ti, &len), 0);
	assert_int_equal(len, sizeof(ti));
	assert_int_equal(ti.tcpi_state, 1);   /* TCP_ESTABLISHED */
	assert_int_equal(ti.tcpi_ca_state, 0);
	assert_int_equal(ti.tcpi_snd_mss, 1448);   /* 1500 - 20 - 20 - 12 (timestamps) */
	assert_int_equal(ti.tcpi_snd_cwnd, 10);
	assert_true(ti.tcpi_rto >= 200000);
	assert_true(ti.tcpi_options & TCPI_OPT_TIMESTAMPS);
	assert_true(ti.tcpi_options & TCPI_OPT_SACK);
	assert_true(ti.tcpi_options & TCPI_OPT_WSCALE);
	assert_int_equal(ti.tcpi_rcv_wscale, 7);
	assert_int_equal(ti.tcpi_unacked, 0);
	assert_int_equal(ti.tcpi_total_retrans, 0);
	pair_close(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(close_recv_enotconn),
		cmocka_unit_test(listen_poll_then_ioctl_einval),
		cmocka_unit_test(syn_sent_poll_nothing),
		cmocka_unit_test(established_idle_queues_empty),
		cmocka_unit_test(established_data_siocinq_peek_read),
		cmocka_unit_test(established_shutdown_wr_peer_eof_rdhup),
		cmocka_unit_test(established_close_unread_sends_rst),
		cmocka_unit_test(established_linger_zero_resets),
		cmocka_unit_test(established_sndbuf_full_eagain),
		cmocka_unit_test(closed_options_round_trip),
		cmocka_unit_test(established_tcp_info),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
