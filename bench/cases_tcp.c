/*
 * TCP data cases: bulk throughput (one or several streams), 1-byte
 * request/response (netperf's TCP_RR shape) and connect/request/response/
 * close (TCP_CRR). The client runs in the client namespace, the server in
 * the server namespace, each in its own threads with blocking calls.
 */
#include "posix.h"

#define BULK_PORT 5201
#define RR_PORT 5202
#define CRR_PORT 5203
#define BULK_BUF (128 * 1024)
#define BULK_MAX_STREAMS 16

static void set_nodelay(int fd)
{
	int one = 1;

	if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) < 0)
		bench_die("TCP_NODELAY");
}

/* Send exactly one byte, receive exactly one byte. */
static int send_byte(int fd, char c)
{
	ssize_t n;

	do
		n = send(fd, &c, 1, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	return n == 1 ? 0 : -1;
}

static int recv_byte(int fd, char *c)
{
	ssize_t n;

	do
		n = recv(fd, c, 1, 0);
	while (n < 0 && errno == EINTR);
	return n == 1 ? 0 : (n == 0 ? 1 : -1);
}

/* ---- bulk ----------------------------------------------------------------- */

struct bulk_stream {
	int fd;
	uint64_t bytes;       /* received */
	uint64_t end_ns;      /* when the peer's FIN arrived */
	pthread_t tid;
};

/* One sending stream: connect, write 128 KiB buffers until the deadline,
 * close (the FIN follows the queued data). */
static void *bulk_sender(void *arg)
{
	const uint64_t *deadline = arg;
	char *buf = calloc(1, BULK_BUF);

	if (!buf || bench_enter(BENCH_CLI) < 0)
		bench_die("bulk sender setup");
	int fd = bench_connect(BULK_PORT);
	if (fd < 0)
		bench_die("bulk connect");
	while (bench_now_ns() < *deadline) {
		ssize_t n = send(fd, buf, BULK_BUF, MSG_NOSIGNAL);
		if (n < 0 && errno != EINTR)
			bench_die("bulk send");
	}
	close(fd);
	free(buf);
	return NULL;
}

static void *bulk_receiver(void *arg)
{
	struct bulk_stream *s = arg;
	char *buf = malloc(BULK_BUF);

	if (!buf)
		bench_die("malloc");
	for (;;) {
		ssize_t n = recv(s->fd, buf, BULK_BUF, 0);
		if (n > 0)
			s->bytes += (uint64_t)n;
		else if (n == 0)
			break;
		else if (errno != EINTR)
			bench_die("bulk recv");
	}
	s->end_ns = bench_now_ns();
	close(s->fd);
	free(buf);
	return NULL;
}

/* Throughput is what the receivers got, over the time from the start to the
 * last stream's end of file. */
int bench_case_bulk(const struct bench_opts *o)
{
	struct bulk_stream rx[BULK_MAX_STREAMS];
	pthread_t tx[BULK_MAX_STREAMS];
	int n = o->streams < 1 ? 1 : (o->streams > BULK_MAX_STREAMS ? BULK_MAX_STREAMS : o->streams);

	if (bench_enter(BENCH_SRV) < 0)
		bench_die("enter server namespace");
	int lfd = bench_listen(BULK_PORT, 64);
	uint64_t t0 = bench_now_ns();
	uint64_t deadline = t0 + (uint64_t)(o->seconds * 1e9);

	for (int i = 0; i < n; i++)
		if (pthread_create(&tx[i], NULL, bulk_sender, &deadline))
			bench_die("pthread_create");
	for (int i = 0; i < n; i++) {
		memset(&rx[i], 0, sizeof(rx[i]));
		rx[i].fd = accept(lfd, NULL, NULL);
		if (rx[i].fd < 0)
			bench_die("bulk accept");
		if (pthread_create(&rx[i].tid, NULL, bulk_receiver, &rx[i]))
			bench_die("pthread_create");
	}
	uint64_t bytes = 0, end = t0;
	for (int i = 0; i < n; i++) {
		pthread_join(tx[i], NULL);
		pthread_join(rx[i].tid, NULL);
		bytes += rx[i].bytes;
		if (rx[i].end_ns > end)
			end = rx[i].end_ns;
	}
	close(lfd);
	double secs = (double)(end - t0) / 1e9;
	bench_result("bulk_gbps", (double)bytes * 8 / secs / 1e9, "Gbit/s");
	bench_result("bulk_bytes", (double)bytes, "bytes");
	return 0;
}

/* ---- request/response ------------------------------------------------------ */

/* Echo one byte per request until the client closes. */
static void *rr_server(void *arg)
{
	int lfd = *(int *)arg;
	int fd = accept(lfd, NULL, NULL);
	char c;

	if (fd < 0)
		bench_die("rr accept");
	set_nodelay(fd);
	while (recv_byte(fd, &c) == 0)
		if (send_byte(fd, c) < 0)
			break;
	close(fd);
	return NULL;
}

int bench_case_rr(const struct bench_opts *o)
{
	pthread_t tid;
	uint64_t n = 0;
	char c = 'x';

	if (bench_enter(BENCH_SRV) < 0)
		bench_die("enter server namespace");
	int lfd = bench_listen(RR_PORT, 16);
	if (pthread_create(&tid, NULL, rr_server, &lfd))
		bench_die("pthread_create");
	if (bench_enter(BENCH_CLI) < 0)
		bench_die("enter client namespace");
	int fd = bench_connect(RR_PORT);
	if (fd < 0)
		bench_die("rr connect");
	set_nodelay(fd);

	uint64_t t0 = bench_now_ns(), now = t0;
	uint64_t deadline = t0 + (uint64_t)(o->seconds * 1e9);
	while (now < deadline) {
		for (int i = 0; i < 32; i++, n++)
			if (send_byte(fd, c) < 0 || recv_byte(fd, &c) != 0)
				bench_die("rr transaction %llu", (unsigned long long)n);
		now = bench_now_ns();
	}
	close(fd);
	pthread_join(tid, NULL);
	close(lfd);
	double secs = (double)(now - t0) / 1e9;
	bench_result("rr_tps", (double)n / secs, "trans/s");
	bench_result("rr_latency_us", secs * 1e6 / (double)n, "us");
	return 0;
}

/* ---- connect/request/response/close ---------------------------------------- */

/* Per connection: accept, one byte in, one byte out, wait for the client's
 * FIN, close. A 'q' request is the last. */
static void *crr_server(void *arg)
{
	int lfd = *(int *)arg;
	char c = 0, sink;

	while (c != 'q') {
		int fd = accept(lfd, NULL, NULL);
		if (fd < 0)
			bench_die("crr accept");
		if (recv_byte(fd, &c) != 0 || send_byte(fd, c) < 0)
			bench_die("crr server exchange");
		while (recv_byte(fd, &sink) == 0)
			;
		close(fd);
	}
	return NULL;
}

static int crr_one(char request)
{
	char c;
	int fd = bench_connect(CRR_PORT);

	if (fd < 0)
		return -1;
	set_nodelay(fd);
	if (send_byte(fd, request) < 0 || recv_byte(fd, &c) != 0) {
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* The client closes first, as netperf's TCP_CRR does, so TIME-WAIT sits on
 * its side: the port range is widened and the run is capped at o->count
 * connections so that it never runs out of ports. */
int bench_case_crr(const struct bench_opts *o)
{
	pthread_t tid;
	long n = 0;
	long cap = o->count > 0 ? o->count : 30000;

	if (bench_sysctl(BENCH_CLI, "net.ipv4.ip_local_port_range", "1024 65535") < 0)
		bench_die("ip_local_port_range");
	if (bench_enter(BENCH_SRV) < 0)
		bench_die("enter server namespace");
	int lfd = bench_listen(CRR_PORT, 1024);
	if (pthread_create(&tid, NULL, crr_server, &lfd))
		bench_die("pthread_create");
	if (bench_enter(BENCH_CLI) < 0)
		bench_die("enter client namespace");

	uint64_t t0 = bench_now_ns(), now = t0;
	uint64_t deadline = t0 + (uint64_t)(o->seconds * 1e9);
	while (now < deadline && n < cap) {
		if (crr_one('x') < 0)
			bench_die("crr connection %ld", n);
		n++;
		now = bench_now_ns();
	}
	if (crr_one('q') < 0)
		bench_die("crr last connection");
	pthread_join(tid, NULL);
	close(lfd);
	double secs = (double)(now - t0) / 1e9;
	bench_result("crr_cps", (double)n / secs, "conn/s");
	bench_result("crr_latency_us", secs * 1e6 / (double)n, "us");
	return 0;
}
