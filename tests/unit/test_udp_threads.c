/* tn-test-labels: threads */
/*
 * UDP under threads (net/ipv4/udp.c through the public API): pairs of
 * threads in two namespaces joined by a veth pair do blocking sendto and
 * recvfrom to each other, ping-pong, a bounded number of times; every
 * datagram is checked. Run under TSan by `make test`.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>

#include "tn_test.h"
#include "tuxnet/tuxnet.h"

#define PAIRS 3
#define ROUNDS 200

struct peer {
	struct tn_stack *st;
	pthread_barrier_t *bound;     /* servers have bound: clients may send */
	int pair;
	bool server;
	int failures;
};

static int open_bound(struct tn_stack *st, const char *ns, u16 port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };
	struct timeval tv = { .tv_sec = 5 };
	int fd;

	if (tn_setns(st, ns))
		return -1;
	fd = tn_socket(st, AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || tn_bind(st, fd, (struct sockaddr *)&sin, sizeof(sin)) ||
	    tn_setsockopt(st, fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		return -1;
	return fd;
}

/* The server echoes each datagram to its sender. */
static void serve(struct peer *p, int fd)
{
	char buf[64];
	struct sockaddr_in from;

	for (int i = 0; i < ROUNDS; i++) {
		socklen_t flen = sizeof(from);
		ssize_t n = tn_recvfrom(p->st, fd, buf, sizeof(buf), 0, (struct sockaddr *)&from,
					&flen);

		if (n <= 0 || tn_sendto(p->st, fd, buf, (size_t)n, 0, (struct sockaddr *)&from,
					flen) != n)
			p->failures++;
	}
}

/* The client sends (pair, round) and expects exactly that back. */
static void call(struct peer *p, int fd)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(7000 + p->pair) };
	char msg[64], buf[64];

	to.sin_addr.s_addr = htonl(0x0a090002);
	for (int i = 0; i < ROUNDS; i++) {
		int len = snprintf(msg, sizeof(msg), "pair %d round %d", p->pair, i);
		ssize_t n;

		if (tn_sendto(p->st, fd, msg, (size_t)len, 0, (struct sockaddr *)&to, sizeof(to)) != len) {
			p->failures++;
			continue;
		}
		n = tn_recvfrom(p->st, fd, buf, sizeof(buf), 0, NULL, NULL);
		if (n != len || memcmp(buf, msg, (size_t)len))
			p->failures++;
	}
}

static void *peer_main(void *arg)
{
	struct peer *p = arg;
	int fd = p->server ? open_bound(p->st, "b", (u16)(7000 + p->pair))
			   : open_bound(p->st, "a", 0);

	pthread_barrier_wait(p->bound);
	if (fd < 0) {
		p->failures = ROUNDS;
		return NULL;
	}
	if (p->server)
		serve(p, fd);
	else
		call(p, fd);
	tn_close(p->st, fd);
	return NULL;
}

static void test_threads_in_two_namespaces_then_every_datagram_echoed(void **state)
{
	static const char script[] =
		"ip netns add a\n"
		"ip netns add b\n"
		"ip link add va netns a type veth peer name vb netns b\n"
		"ip -n a addr add 10.9.0.1/24 dev va\n"
		"ip -n b addr add 10.9.0.2/24 dev vb\n"
		"ip -n a link set va up\n"
		"ip -n b link set vb up\n";
	struct tn_stack *st = tn_stack_create(NULL);
	struct peer peers[2 * PAIRS];
	pthread_t th[2 * PAIRS];
	pthread_barrier_t bound;
	FILE *out = fopen("/dev/null", "w");

	(void)state;
	assert_non_null(st);
	assert_int_equal(tn_command(st, script, out), 0);
	assert_int_equal(tn_stack_start_thread(st), 0);
	/* Every socket is bound before anyone sends: a datagram to a
	 * closed port would be answered by ICMP and lost. */
	pthread_barrier_init(&bound, NULL, 2 * PAIRS);
	for (int i = 0; i < 2 * PAIRS; i++) {
		peers[i] = (struct peer){ .st = st, .bound = &bound, .pair = i % PAIRS,
					  .server = i < PAIRS };
		assert_int_equal(pthread_create(&th[i], NULL, peer_main, &peers[i]), 0);
	}
	for (int i = 0; i < 2 * PAIRS; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < 2 * PAIRS; i++)
		assert_int_equal(peers[i].failures, 0);
	pthread_barrier_destroy(&bound);
	tn_stack_destroy(st);
	fclose(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threads_in_two_namespaces_then_every_datagram_echoed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
