/* tn-test-labels: threads
 *
 * Blocking socket calls across threads: a receiver woken by data another
 * thread sends, by shutdown, by close (EBADF), by stack teardown (EINTR);
 * poll woken by data; two sleepers with timeouts in virtual time; the
 * current namespace being per thread. Run under TSan by `make test`.
 */
#include <poll.h>
#include <sched.h>
#include <sys/time.h>
#include "tn_test.h"
#include "tn_testproto.h"

struct receiver {
	struct tn_stack *st;
	int fd;
	long timeout_ms;          /* 0: none */
	bool use_poll;
	ssize_t ret;
	int err;
	char buf[16];
};

static void *receiver_main(void *arg)
{
	struct receiver *r = arg;

	if (r->timeout_ms) {
		struct timeval tv = { .tv_sec = r->timeout_ms / 1000,
				      .tv_usec = (r->timeout_ms % 1000) * 1000 };
		tn_setsockopt(r->st, r->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	}
	if (r->use_poll) {
		struct pollfd p = { .fd = r->fd, .events = POLLIN };
		r->ret = tn_poll(r->st, &p, 1, -1);
		r->err = r->ret < 0 ? errno : p.revents;
		return NULL;
	}
	r->ret = tn_recv(r->st, r->fd, r->buf, sizeof(r->buf), 0);
	r->err = r->ret < 0 ? errno : 0;
	return NULL;
}

/* Wait (on the host) until n threads are inside a blocking call. In
 * virtual time a thread blocked without a deadline does not sleep for
 * long: as the only thread inside, it keeps jumping the clock from timer
 * to timer (the stack's periodic housekeeping), letting others in between
 * jumps, which is what this test relies on. */
static void wait_asleep(struct tn_stack *st, int n)
{
	for (;;) {
		tn_stack_lock(st);
		int asleep = st->vt_inside;
		tn_stack_unlock(st);
		if (asleep >= n)
			return;
		sched_yield();
	}
}

static void start(pthread_t *th, struct receiver *r)
{
	assert_int_equal(pthread_create(th, NULL, receiver_main, r), 0);
}

static void blocked_recv_then_data_from_another_thread_wakes_it(void **state)
{
	struct tn_stack *st = testproto_stack();
	struct receiver r = { .st = st, .fd = testproto_socket(st) };
	pthread_t th;

	start(&th, &r);
	wait_asleep(st, 1);
	assert_int_equal(tn_send(st, r.fd, "wake", 4, 0), 4);
	pthread_join(th, NULL);
	assert_int_equal(r.ret, 4);
	assert_memory_equal(r.buf, "wake", 4);
	assert_int_equal(tn_stack_free(st), 0);
}

static void blocked_recv_then_shutdown_wakes_it_with_eof(void **state)
{
	struct tn_stack *st = testproto_stack();
	struct receiver r = { .st = st, .fd = testproto_socket(st) };
	pthread_t th;

	start(&th, &r);
	wait_asleep(st, 1);
	assert_int_equal(tn_shutdown(st, r.fd, SHUT_RD), -1);   /* ENOTCONN, still shut */
	pthread_join(th, NULL);
	assert_int_equal(r.ret, 0);
	assert_int_equal(tn_stack_free(st), 0);
}

static void blocked_recv_then_close_wakes_it_with_ebadf(void **state)
{
	struct tn_stack *st = testproto_stack();
	struct receiver r = { .st = st, .fd = testproto_socket(st) };
	pthread_t th;

	start(&th, &r);
	wait_asleep(st, 1);
	assert_int_equal(tn_close(st, r.fd), 0);
	pthread_join(th, NULL);
	assert_int_equal(r.ret, -1);
	assert_int_equal(r.err, EBADF);
	/* The descriptor is free again and the socket is gone (leak check). */
	assert_int_equal(testproto_socket(st), 3);
	assert_int_equal(tn_stack_free(st), 0);
}

static void blocked_poll_then_data_wakes_it(void **state)
{
	struct tn_stack *st = testproto_stack();
	struct receiver r = { .st = st, .fd = testproto_socket(st), .use_poll = true };
	pthread_t th;

	start(&th, &r);
	wait_asleep(st, 1);
	assert_int_equal(tn_send(st, r.fd, "x", 1, 0), 1);
	pthread_join(th, NULL);
	assert_int_equal(r.ret, 1);
	assert_int_equal(r.err, POLLIN);
	assert_int_equal(tn_stack_free(st), 0);
}

static void two_sleepers_with_timeouts_then_virtual_clock_stops_at_the_last(void **state)
{
	struct tn_stack *st = testproto_stack();
	struct receiver a = { .st = st, .fd = testproto_socket(st), .timeout_ms = 100 };
	struct receiver b = { .st = st, .fd = testproto_socket(st), .timeout_ms = 300 };
	u64 t0 = tn_stack_now(st);
	pthread_t ta, tb;

	start(&ta, &a);
	start(&tb, &b);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	assert_int_equal(a.err, EAGAIN);
	assert_int_equal(b.err, EAGAIN);
	/* Both timeouts were measured from (virtual) time t0 or later, and the
	 * clock moved no further than the later deadline needed. */
	u64 dt = tn_stack_now(st) - t0;
	assert_true(dt >= 300 * 1000000ull && dt <= 400 * 1000000ull);
	assert_int_equal(tn_stack_free(st), 0);
}

static void blocked_recv_then_stack_teardown_wakes_it_with_eintr(void **state)
{
	struct tn_stack *st = testproto_stack();
	struct receiver r = { .st = st, .fd = testproto_socket(st) };
	pthread_t th;

	start(&th, &r);
	wait_asleep(st, 1);
	assert_int_equal(tn_stack_free(st), 0);
	pthread_join(th, NULL);
	assert_int_equal(r.ret, -1);
	assert_int_equal(r.err, EINTR);
}

struct ns_thread {
	struct tn_stack *st;
	const char *ns;
	int bind_err;
};

static void *ns_thread_main(void *arg)
{
	struct ns_thread *t = arg;
	struct sockaddr_in lo = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd;

	if (t->ns)
		tn_setns(t->st, t->ns);
	fd = testproto_socket(t->st);
	t->bind_err = tn_bind(t->st, fd, (struct sockaddr *)&lo, sizeof(lo)) ? errno : 0;
	tn_close(t->st, fd);
	return NULL;
}

static void setns_in_one_thread_then_others_keep_theirs(void **state)
{
	struct tn_stack *st = testproto_stack();
	struct ns_thread in_ns = { .st = st, .ns = "other" }, plain = { .st = st };
	pthread_t a, b;

	assert_int_equal(tn_netns_add(st, "other"), 0);
	pthread_create(&a, NULL, ns_thread_main, &in_ns);
	pthread_join(a, NULL);
	pthread_create(&b, NULL, ns_thread_main, &plain);
	pthread_join(b, NULL);
	assert_int_equal(in_ns.bind_err, EADDRNOTAVAIL);   /* its lo has no address */
	assert_int_equal(plain.bind_err, 0);
	assert_int_equal(tn_stack_free(st), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(blocked_recv_then_data_from_another_thread_wakes_it),
		cmocka_unit_test(blocked_recv_then_shutdown_wakes_it_with_eof),
		cmocka_unit_test(blocked_recv_then_close_wakes_it_with_ebadf),
		cmocka_unit_test(blocked_poll_then_data_wakes_it),
		cmocka_unit_test(two_sleepers_with_timeouts_then_virtual_clock_stops_at_the_last),
		cmocka_unit_test(blocked_recv_then_stack_teardown_wakes_it_with_eintr),
		cmocka_unit_test(setns_in_one_thread_then_others_keep_theirs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
