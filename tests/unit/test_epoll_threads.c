/* tn-test-labels: threads
 *
 * epoll across threads, on the real clock with the stack's softirq thread:
 * several threads blocked in epoll_wait on one set (the ONESHOT + MOD
 * pattern of multi-threaded servers) and on sets of their own, woken by
 * other threads sending; EPOLLEXCLUSIVE waking one set of two; closing an
 * epoll descriptor waking its sleepers. Run under TSan by `make test`.
 */
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>

#include "tn_test.h"
#include "tuxnet/tuxnet.h"

#define WAITERS 4
#define PER_SENDER 200

static struct tn_stack *rt_stack(void)
{
	struct tn_stack_config cfg = { .virtual_time = 0, .seed = 11 };
	struct tn_stack *st = tn_stack_create(&cfg);

	assert_non_null(st);
	assert_int_equal(tn_stack_start_thread(st), 0);
	return st;
}

static int udp_bound(struct tn_stack *st, unsigned int *port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof(sin);
	int fd = tn_socket(st, AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	int big = 1 << 20;

	assert_true(fd >= 3);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(tn_bind(st, fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(tn_getsockname(st, fd, (struct sockaddr *)&sin, &len), 0);
	tn_setsockopt(st, fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	*port = ntohs(sin.sin_port);
	return fd;
}

static void send_to(struct tn_stack *st, int fd, unsigned int port, const char *what)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };

	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	while (tn_sendto(st, fd, what, strlen(what), 0, (struct sockaddr *)&to, sizeof(to)) < 0)
		sched_yield();   /* EAGAIN: let the softirq thread drain */
}

/* Until n threads are inside a blocking tuxnet call. */
static void wait_inside(struct tn_stack *st, int n)
{
	for (;;) {
		tn_stack_lock(st);
		int inside = st->vt_inside;
		tn_stack_unlock(st);
		if (inside >= n)
			return;
		sched_yield();
	}
}

/* ---- one set, many sleepers ----------------------------------------------- */

struct shared_set {
	struct tn_stack *st;
	int ep;
	int socks[WAITERS];
	int received;              /* under mu */
	pthread_mutex_t mu;
};

/* Take an event, drain that socket, re-arm it; until the set is closed. */
static void *shared_waiter(void *arg)
{
	struct shared_set *s = arg;
	struct epoll_event ev;
	char buf[32];

	for (;;) {
		int n = tn_epoll_wait(s->st, s->ep, &ev, 1, -1);
		int fd, got = 0;

		if (n < 0) {
			assert_int_equal(errno, EBADF);
			return NULL;
		}
		fd = s->socks[ev.data.u32];
		while (tn_recv(s->st, fd, buf, sizeof(buf), 0) > 0)
			got++;
		pthread_mutex_lock(&s->mu);
		s->received += got;
		pthread_mutex_unlock(&s->mu);
		ev.events = EPOLLIN | EPOLLONESHOT;
		tn_epoll_ctl(s->st, s->ep, EPOLL_CTL_MOD, fd, &ev);
	}
}

static int shared_received(struct shared_set *s)
{
	pthread_mutex_lock(&s->mu);
	int r = s->received;
	pthread_mutex_unlock(&s->mu);
	return r;
}

static void many_waiters_on_one_set_oneshot_rearm(void **state)
{
	struct shared_set s = { .st = rt_stack() };
	unsigned int ports[WAITERS];
	pthread_t th[WAITERS];
	int tx;
	unsigned int txport;

	(void)state;
	pthread_mutex_init(&s.mu, NULL);
	s.ep = tn_epoll_create1(s.st, 0);
	tx = udp_bound(s.st, &txport);
	for (int i = 0; i < WAITERS; i++) {
		struct epoll_event ev = { .events = EPOLLIN | EPOLLONESHOT, .data.u32 = (u32)i };
		s.socks[i] = udp_bound(s.st, &ports[i]);
		assert_int_equal(tn_epoll_ctl(s.st, s.ep, EPOLL_CTL_ADD, s.socks[i], &ev), 0);
	}
	for (int i = 0; i < WAITERS; i++)
		assert_int_equal(pthread_create(&th[i], NULL, shared_waiter, &s), 0);
	wait_inside(s.st, WAITERS);
	for (int k = 0; k < PER_SENDER; k++)
		send_to(s.st, tx, ports[k % WAITERS], "ping");
	while (shared_received(&s) < PER_SENDER)
		sched_yield();
	tn_close(s.st, s.ep);   /* the sleepers wake with EBADF */
	for (int i = 0; i < WAITERS; i++)
		pthread_join(th[i], NULL);
	assert_int_equal(shared_received(&s), PER_SENDER);
	for (int i = 0; i < WAITERS; i++)
		tn_close(s.st, s.socks[i]);
	tn_close(s.st, tx);
	pthread_mutex_destroy(&s.mu);
	assert_int_equal(tn_stack_free(s.st), 0);
}

/* ---- a set per thread ----------------------------------------------------- */

struct own_set {
	struct tn_stack *st;
	int ep, fd;
	int received;   /* the thread's own, read after join */
};

static void *own_waiter(void *arg)
{
	struct own_set *o = arg;
	struct epoll_event ev;
	char buf[32];

	while (o->received < PER_SENDER) {
		int n = tn_epoll_wait(o->st, o->ep, &ev, 1, 5000);
		assert_int_equal(n, 1);
		while (tn_recv(o->st, o->fd, buf, sizeof(buf), 0) > 0)
			o->received++;
	}
	return NULL;
}

struct sender {
	struct tn_stack *st;
	int fd;
	unsigned int port;
};

static void *sender_main(void *arg)
{
	struct sender *s = arg;

	for (int k = 0; k < PER_SENDER; k++)
		send_to(s->st, s->fd, s->port, "data");
	return NULL;
}

static void threads_on_own_sets_woken_by_sender_threads(void **state)
{
	struct tn_stack *st = rt_stack();
	struct own_set o[WAITERS];
	struct sender snd[WAITERS];
	pthread_t tw[WAITERS], ts[WAITERS];
	unsigned int port, txport;

	(void)state;
	for (int i = 0; i < WAITERS; i++) {
		struct epoll_event ev = { .events = EPOLLIN | EPOLLET };
		o[i] = (struct own_set){ .st = st, .ep = tn_epoll_create1(st, 0) };
		o[i].fd = udp_bound(st, &port);
		assert_int_equal(tn_epoll_ctl(st, o[i].ep, EPOLL_CTL_ADD, o[i].fd, &ev), 0);
		snd[i] = (struct sender){ .st = st, .fd = udp_bound(st, &txport), .port = port };
	}
	for (int i = 0; i < WAITERS; i++)
		assert_int_equal(pthread_create(&tw[i], NULL, own_waiter, &o[i]), 0);
	wait_inside(st, WAITERS);
	for (int i = 0; i < WAITERS; i++)
		assert_int_equal(pthread_create(&ts[i], NULL, sender_main, &snd[i]), 0);
	for (int i = 0; i < WAITERS; i++) {
		pthread_join(ts[i], NULL);
		pthread_join(tw[i], NULL);
		assert_int_equal(o[i].received, PER_SENDER);
		tn_close(st, o[i].ep);
		tn_close(st, o[i].fd);
		tn_close(st, snd[i].fd);
	}
	assert_int_equal(tn_stack_free(st), 0);
}

/* ---- EPOLLEXCLUSIVE ------------------------------------------------------- */

struct excl_waiter {
	struct tn_stack *st;
	int ep;
	int n;
};

static void *excl_main(void *arg)
{
	struct excl_waiter *w = arg;
	struct epoll_event ev;

	w->n = tn_epoll_wait(w->st, w->ep, &ev, 1, 300);
	return NULL;
}

/* Two sets watch one socket with EPOLLEXCLUSIVE, a thread asleep in each:
 * one datagram wakes exactly one of them; the other times out. */
static void exclusive_wakes_one_of_two_sleeping_sets(void **state)
{
	struct tn_stack *st = rt_stack();
	struct excl_waiter w[2];
	pthread_t th[2];
	unsigned int port, txport;
	int rx = udp_bound(st, &port), tx = udp_bound(st, &txport);

	(void)state;
	for (int i = 0; i < 2; i++) {
		struct epoll_event ev = { .events = EPOLLIN | EPOLLEXCLUSIVE };
		w[i] = (struct excl_waiter){ .st = st, .ep = tn_epoll_create1(st, 0) };
		assert_int_equal(tn_epoll_ctl(st, w[i].ep, EPOLL_CTL_ADD, rx, &ev), 0);
		assert_int_equal(pthread_create(&th[i], NULL, excl_main, &w[i]), 0);
	}
	wait_inside(st, 2);
	send_to(st, tx, port, "one");
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	assert_int_equal(w[0].n + w[1].n, 1);
	for (int i = 0; i < 2; i++)
		tn_close(st, w[i].ep);
	tn_close(st, rx);
	tn_close(st, tx);
	assert_int_equal(tn_stack_free(st), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(many_waiters_on_one_set_oneshot_rearm),
		cmocka_unit_test(threads_on_own_sets_woken_by_sender_threads),
		cmocka_unit_test(exclusive_wakes_one_of_two_sleeping_sets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
