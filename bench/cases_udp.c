/*
 * UDP: 64-byte datagrams from the client namespace to the server namespace
 * as fast as one sender can make them; the receiver counts what arrives.
 */
#include "posix.h"

#define UDP_PORT 5301
#define UDP_SIZE 64

struct udp_rx {
	int fd;
	int stop;             /* set (atomically) by the sender when it is done */
	uint64_t received;
};

/* Count datagrams until the sender is done and the queue has stayed empty
 * for one receive timeout. */
static void *udp_receiver(void *arg)
{
	struct udp_rx *r = arg;
	char buf[2048];

	for (;;) {
		ssize_t n = recv(r->fd, buf, sizeof(buf), 0);
		if (n >= 0) {
			r->received++;
			continue;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			bench_die("udp recv");
		if (__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE))
			break;
	}
	return NULL;
}

int bench_case_udp(const struct bench_opts *o)
{
	struct udp_rx r = { .fd = -1 };
	struct timeval tv = { .tv_sec = 0, .tv_usec = 200000 };
	struct sockaddr_in srv = bench_addr(BENCH_SRV_ADDR, UDP_PORT);
	char payload[UDP_SIZE];
	uint64_t sent = 0, failed = 0;
	pthread_t tid;

	memset(payload, 'u', sizeof(payload));
	if (bench_enter(BENCH_SRV) < 0)
		bench_die("enter server namespace");
	r.fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (r.fd < 0 || bind(r.fd, (struct sockaddr *)&srv, sizeof(srv)) < 0)
		bench_die("udp server socket");
	if (setsockopt(r.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0)
		bench_die("SO_RCVTIMEO");
	if (pthread_create(&tid, NULL, udp_receiver, &r))
		bench_die("pthread_create");

	if (bench_enter(BENCH_CLI) < 0)
		bench_die("enter client namespace");
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&srv, sizeof(srv)) < 0)
		bench_die("udp client socket");
	uint64_t t0 = bench_now_ns(), now = t0;
	uint64_t deadline = t0 + (uint64_t)(o->seconds * 1e9);
	while (now < deadline) {
		for (int i = 0; i < 64; i++) {
			if (send(fd, payload, sizeof(payload), 0) == (ssize_t)sizeof(payload))
				sent++;
			else
				failed++;
		}
		now = bench_now_ns();
	}
	__atomic_store_n(&r.stop, 1, __ATOMIC_RELEASE);
	pthread_join(tid, NULL);
	close(fd);
	close(r.fd);
	double secs = (double)(now - t0) / 1e9;
	bench_result("udp_rx_pps", (double)r.received / secs, "dgram/s");
	bench_result("udp_tx_pps", (double)sent / secs, "dgram/s");
	bench_result("udp_tx_failed", (double)failed, "calls");
	return 0;
}
