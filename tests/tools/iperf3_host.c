/*
 * tn-iperf3-host: tuxnet's iperf3 engine (tools/cmd/iperf3.c) on the host's
 * own TCP sockets, so that its protocol can be checked against Debian's
 * iperf3 without a tuxnet stack (and without TAP) in between:
 *
 *   tn-iperf3-host -s [-p PORT] [-1]
 *   tn-iperf3-host -c ADDR [-p PORT] [-t SECS] [-n BYTES] [-P N] [-R]
 *                  [-i SECS] [-l LEN] [--digest]
 *
 * The engine is the very code `tuxnet run` uses; only the transport
 * differs: non-blocking Linux sockets, poll() until the engine's deadline.
 * At the end it prints one line for the test to compare with iperf3 -J:
 *
 *   tn-iperf3-host: sent BYTES received BYTES
 *
 * tests/sh/test_iperf3_compat.sh runs it in a network namespace of its
 * own; it is a test tool, never installed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "tools/cmd/iperf3.h"

#define HOST_MAX_CONNS 256

struct hconn {
	int fd;
	bool connecting;              /* waiting for the handshake */
	bool blocked;                 /* the last send found no room */
};

struct hio {
	int lfd;                      /* server's listener, -1 for a client */
	struct sockaddr_in dst;       /* client's server */
	struct hconn *conns[HOST_MAX_CONNS];
};

static u64 h_now(void *io)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ull + (u64)ts.tv_nsec;
}

static void h_random(void *io, u8 *buf, size_t n)
{
	if (getrandom(buf, n, 0) != (ssize_t)n)
		for (size_t i = 0; i < n; i++)
			buf[i] = (u8)rand();
}

static struct hconn *h_track(struct hio *h, int fd)
{
	for (unsigned int i = 0; i < HOST_MAX_CONNS; i++) {
		if (h->conns[i])
			continue;
		h->conns[i] = calloc(1, sizeof(struct hconn));
		if (!h->conns[i])
			break;
		h->conns[i]->fd = fd;
		return h->conns[i];
	}
	close(fd);
	return NULL;
}

static int h_connect(void *io, void **conn)
{
	struct hio *h = io;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	struct hconn *c;

	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&h->dst, sizeof(h->dst)) < 0 && errno != EINPROGRESS) {
		int err = errno;

		close(fd);
		return -err;
	}
	c = h_track(h, fd);
	if (!c)
		return -EMFILE;
	c->connecting = true;
	*conn = c;
	return 0;
}

static int h_connected(void *io, void *conn)
{
	struct hconn *c = conn;
	struct pollfd p = { .fd = c->fd, .events = POLLOUT };
	int err = 0;
	socklen_t len = sizeof(err);

	if (poll(&p, 1, 0) <= 0)
		return 0;
	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		return -errno;
	if (err)
		return -err;
	c->connecting = false;
	return 1;
}

static void *h_accept(void *io, int *err)
{
	struct hio *h = io;
	int fd = accept4(h->lfd, NULL, NULL, SOCK_NONBLOCK);

	if (fd < 0) {
		*err = errno == EWOULDBLOCK ? -EAGAIN : -errno;
		return NULL;
	}
	*err = 0;
	return h_track(h, fd);
}

static ssize_t h_send(void *io, void *conn, const void *buf, size_t len)
{
	struct hconn *c = conn;
	ssize_t n = send(c->fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT);

	c->blocked = n < 0 && errno == EAGAIN;
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	return n;
}

static ssize_t h_recv(void *io, void *conn, void *buf, size_t len)
{
	struct hconn *c = conn;
	ssize_t n = recv(c->fd, buf, len, MSG_DONTWAIT);

	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	return n;
}

static void h_shutdown(void *io, void *conn)
{
	struct hconn *c = conn;

	shutdown(c->fd, SHUT_WR);
}

static void h_close(void *io, void *conn)
{
	struct hio *h = io;

	for (unsigned int i = 0; i < HOST_MAX_CONNS; i++)
		if (h->conns[i] == conn)
			h->conns[i] = NULL;
	close(((struct hconn *)conn)->fd);
	free(conn);
}

static u16 h_name(void *io, void *conn, bool peer, char *addr)
{
	struct hconn *c = conn;
	struct sockaddr_in sin = { 0 };
	socklen_t len = sizeof(sin);
	int r = peer ? getpeername(c->fd, (struct sockaddr *)&sin, &len)
		     : getsockname(c->fd, (struct sockaddr *)&sin, &len);

	if (r < 0 || !inet_ntop(AF_INET, &sin.sin_addr, addr, 16)) {
		strcpy(addr, "0.0.0.0");
		return 0;
	}
	return ntohs(sin.sin_port);
}

static void h_tcp_info(void *io, void *conn, u32 *retrans, u64 *cwnd)
{
	struct hconn *c = conn;
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	memset(&ti, 0, sizeof(ti));
	getsockopt(c->fd, IPPROTO_TCP, TCP_INFO, &ti, &len);
	*retrans = ti.tcpi_total_retrans;
	*cwnd = (u64)ti.tcpi_snd_cwnd * ti.tcpi_snd_mss;
}

static const struct iperf_io_ops h_ops = {
	.now = h_now,
	.random = h_random,
	.connect = h_connect,
	.connected = h_connected,
	.accept = h_accept,
	.send = h_send,
	.recv = h_recv,
	.shutdown = h_shutdown,
	.close = h_close,
	.name = h_name,
	.tcp_info = h_tcp_info,
};

/* Sleep until a connection has something, or the engine's deadline. */
static void h_wait(struct hio *h, struct iperf_test *t)
{
	struct pollfd p[HOST_MAX_CONNS + 1];
	u64 d = iperf_test_deadline(t), now = h_now(h);
	int timeout = 200;
	nfds_t n = 0;

	if (d != UINT64_MAX)
		timeout = d <= now ? 0 : (int)TN_MIN((d - now + 999999) / 1000000, 200ull);
	if (h->lfd >= 0)
		p[n++] = (struct pollfd){ .fd = h->lfd, .events = POLLIN };
	for (unsigned int i = 0; i < HOST_MAX_CONNS; i++) {
		struct hconn *c = h->conns[i];

		if (!c)
			continue;
		p[n] = (struct pollfd){ .fd = c->fd, .events = POLLIN };
		/* While sending, any room is worth a run: a busy loop, as
		 * iperf3's own. */
		if (c->connecting || c->blocked || iperf_test_sending(t))
			p[n].events |= POLLOUT;
		n++;
	}
	poll(p, n, timeout);
}

static int h_listen(struct hio *h, unsigned long port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons((u16)port) };
	int one = 1;

	h->lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (h->lfd < 0)
		return -1;
	setsockopt(h->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(h->lfd, (struct sockaddr *)&sin, sizeof(sin)) < 0 || listen(h->lfd, 128) < 0)
		return -1;
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: tn-iperf3-host -s [-p PORT] [-1] | -c ADDR [-p PORT] [-t SECS] "
		"[-n BYTES] [-P N] [-R] [-i SECS] [-l LEN] [--digest]\n");
	return 2;
}

/* "100", "50M" (iperf3's suffixes, 1024-based). */
static u64 host_size(const char *s)
{
	char *end;
	double x = strtod(s, &end);

	switch (*end) {
	case 'k': case 'K': x *= 1024; break;
	case 'm': case 'M': x *= 1024 * 1024; break;
	case 'g': case 'G': x *= 1024.0 * 1024 * 1024; break;
	}
	return (u64)x;
}

static int parse(int argc, char **argv, struct iperf_opts *o)
{
	static const struct option longopts[] = {
		{ "digest", no_argument, NULL, 'D' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*o = (struct iperf_opts){ .port = IPERF_PORT, .time_ms = 10000, .streams = 1,
				  .len = IPERF_DEFAULT_LEN, .interval_ms = 1000 };
	while ((c = getopt_long(argc, argv, "sc:p:t:n:P:Ri:l:1", longopts, NULL)) != -1) {
		switch (c) {
		case 's': o->server = true; break;
		case 'c': o->host = optarg; break;
		case 'p': o->port = strtoul(optarg, NULL, 10); break;
		case 't': o->time_ms = (u64)(strtod(optarg, NULL) * 1000); break;
		case 'n': o->bytes = host_size(optarg); break;
		case 'P': o->streams = (unsigned int)strtoul(optarg, NULL, 10); break;
		case 'R': o->reverse = true; break;
		case 'i': o->interval_ms = (u64)(strtod(optarg, NULL) * 1000); break;
		case 'l': o->len = strtoull(optarg, NULL, 10); break;
		case '1': o->one_off = true; break;
		case 'D': o->digest = true; break;
		default: return -1;
		}
	}
	if (o->server == !!o->host || !o->streams || o->streams > IPERF_MAX_STREAMS ||
	    !o->len || o->len > IPERF_DEFAULT_LEN)
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	struct hio h = { .lfd = -1 };
	struct iperf_opts o;
	struct iperf_test *t;
	int status = 0;
	u64 sent, received;

	if (parse(argc, argv, &o) < 0)
		return usage();
	if (o.server && h_listen(&h, o.port) < 0) {
		perror("tn-iperf3-host: listen");
		return 1;
	}
	h.dst = (struct sockaddr_in){ .sin_family = AF_INET, .sin_port = htons((u16)o.port) };
	if (o.host && inet_pton(AF_INET, o.host, &h.dst.sin_addr) != 1)
		return usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	t = iperf_test_new(&o, &h_ops, &h, stdout, stderr);
	if (!t || iperf_test_start(t) < 0) {
		fprintf(stderr, "tn-iperf3-host: cannot start\n");
		return 1;
	}
	for (;;) {
		iperf_test_run(t);
		if (iperf_test_done(t, &status))
			break;
		h_wait(&h, t);
	}
	iperf_test_totals(t, &sent, &received);
	printf("tn-iperf3-host: sent %llu received %llu\n", (unsigned long long)sent,
	       (unsigned long long)received);
	iperf_test_free(t);
	if (h.lfd >= 0)
		close(h.lfd);
	return status;
}
