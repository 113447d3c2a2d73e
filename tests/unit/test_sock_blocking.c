/*
 * Blocking socket calls on one thread: receive timeouts measured on the
 * stack clock (virtual: exactly the timeout; real: at least it), the
 * non-blocking forms, and sk_wait_event's own contract.
 */
#include <fcntl.h>
#include <poll.h>
#include <sys/time.h>
#include "tn_test.h"
#include "tn_testproto.h"

static void set_rcvtimeo(struct tn_stack *st, int fd, long sec, long usec)
{
	struct timeval tv = { .tv_sec = sec, .tv_usec = usec };

	assert_int_equal(tn_setsockopt(st, fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), 0);
}

static void rcvtimeo_virtual_then_eagain_after_exactly_the_timeout(void **state)
{
	struct tn_stack *st = testproto_stack();
	int fd = testproto_socket(st);
	char buf[4];
	u64 t0;

	set_rcvtimeo(st, fd, 0, 250000);
	t0 = tn_stack_now(st);
	assert_int_equal(tn_recv(st, fd, buf, sizeof(buf), 0), -1);
	assert_int_equal(errno, EAGAIN);
	assert_int_equal(tn_stack_now(st) - t0, 250 * 1000000ull);
	/* A datagram already there is returned at once. */
	assert_int_equal(tn_send(st, fd, "ab", 2, 0), 2);
	t0 = tn_stack_now(st);
	assert_int_equal(tn_recv(st, fd, buf, sizeof(buf), 0), 2);
	assert_int_equal(tn_stack_now(st), t0);
	assert_int_equal(tn_stack_free(st), 0);
}

static void rcvtimeo_rounds_up_to_a_jiffy(void **state)
{
	struct tn_stack *st = testproto_stack();
	int fd = testproto_socket(st);
	char buf[4];
	u64 t0;

	set_rcvtimeo(st, fd, 0, 1);   /* 1 us: one jiffy, as Linux with HZ=1000 */
	t0 = tn_stack_now(st);
	assert_int_equal(tn_recv(st, fd, buf, sizeof(buf), 0), -1);
	assert_int_equal(errno, EAGAIN);
	assert_int_equal(tn_stack_now(st) - t0, 1000000ull);
	assert_int_equal(tn_stack_free(st), 0);
}

static void negative_rcvtimeo_then_does_not_wait(void **state)
{
	struct tn_stack *st = testproto_stack();
	int fd = testproto_socket(st);
	char buf[4];
	u64 t0 = tn_stack_now(st);

	set_rcvtimeo(st, fd, -1, 0);
	assert_int_equal(tn_recv(st, fd, buf, sizeof(buf), 0), -1);
	assert_int_equal(errno, EAGAIN);
	assert_int_equal(tn_stack_now(st), t0);
	assert_int_equal(tn_stack_free(st), 0);
}

static void dontwait_or_nonblock_then_eagain_without_time_passing(void **state)
{
	struct tn_stack *st = testproto_stack();
	int fd = testproto_socket(st);
	char buf[4];
	u64 t0 = tn_stack_now(st);

	assert_int_equal(tn_recv(st, fd, buf, sizeof(buf), MSG_DONTWAIT), -1);
	assert_int_equal(errno, EAGAIN);
	assert_int_equal(tn_fcntl(st, fd, F_SETFL, O_NONBLOCK), 0);
	assert_int_equal(tn_recv(st, fd, buf, sizeof(buf), 0), -1);
	assert_int_equal(errno, EAGAIN);
	assert_int_equal(tn_stack_now(st), t0);
	assert_int_equal(tn_stack_free(st), 0);
}

static void real_clock_rcvtimeo_then_waits_at_least_the_timeout(void **state)
{
	struct tn_stack *st = tn_stack_create(NULL);
	int fd;
	char buf[4];
	u64 t0;

	tn_stack_lock(st);
	inet_register_protosw(st, &testproto_protosw);
	tn_stack_unlock(st);
	fd = testproto_socket(st);
	set_rcvtimeo(st, fd, 0, 30000);
	t0 = tn_stack_now(st);
	assert_int_equal(tn_recv(st, fd, buf, sizeof(buf), 0), -1);
	assert_int_equal(errno, EAGAIN);
	assert_true(tn_stack_now(st) - t0 >= 30 * 1000000ull);
	assert_int_equal(tn_stack_free(st), 0);
}

static bool has_data(struct sock *sk)
{
	return !skb_queue_empty(&sk->sk_receive_queue);
}

static void sk_wait_event_then_timeout_left_is_updated(void **state)
{
	struct tn_stack *st = testproto_stack();
	int fd = testproto_socket(st);
	struct tn_file *f;
	struct sock *sk;
	s64 timeo = 5 * 1000000;

	tn_stack_lock(st);
	f = fget(st, fd);
	sk = sock_from_file(f)->sk;
	tn_thread_enter(st);
	assert_int_equal(sk_wait_event(sk, &timeo, has_data, true), -EAGAIN);
	assert_int_equal(timeo, 0);
	timeo = 0;
	assert_int_equal(sk_wait_event(sk, &timeo, has_data, true), -EAGAIN);
	/* An error to report ends the wait with 0: the caller looks. */
	sk->sk_err = ECONNREFUSED;
	timeo = -1;
	assert_int_equal(sk_wait_event(sk, &timeo, has_data, false), 0);
	assert_int_equal(sock_error(sk), -ECONNREFUSED);
	assert_int_equal(sock_error(sk), 0);
	tn_thread_exit(st);
	fput(f);
	tn_stack_unlock(st);
	assert_int_equal(tn_stack_free(st), 0);
}

static void pending_error_then_recv_and_so_error_report_it_once(void **state)
{
	struct tn_stack *st = testproto_stack();
	int fd = testproto_socket(st);
	struct tn_file *f;
	char buf[4];
	int v;
	socklen_t len = sizeof(v);

	tn_stack_lock(st);
	f = fget(st, fd);
	sock_from_file(f)->sk->sk_err = EHOSTUNREACH;
	fput(f);
	tn_stack_unlock(st);
	assert_int_equal(tn_recv(st, fd, buf, sizeof(buf), 0), -1);
	assert_int_equal(errno, EHOSTUNREACH);
	assert_int_equal(tn_getsockopt(st, fd, SOL_SOCKET, SO_ERROR, &v, &len), 0);
	assert_int_equal(v, 0);
	assert_int_equal(tn_stack_free(st), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rcvtimeo_virtual_then_eagain_after_exactly_the_timeout),
		cmocka_unit_test(rcvtimeo_rounds_up_to_a_jiffy),
		cmocka_unit_test(negative_rcvtimeo_then_does_not_wait),
		cmocka_unit_test(dontwait_or_nonblock_then_eagain_without_time_passing),
		cmocka_unit_test(real_clock_rcvtimeo_then_waits_at_least_the_timeout),
		cmocka_unit_test(sk_wait_event_then_timeout_left_is_updated),
		cmocka_unit_test(pending_error_then_recv_and_so_error_report_it_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
