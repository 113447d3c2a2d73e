/*
 * The stack clock (net/core/clock.c) in both modes and allocation fault
 * injection (net/core/fault.c) with the kernel's fault_attr rules: interval
 * 0 is off, interval N fails every N-th call, times bounds the failures.
 * And tn_bug(), which must say where and stop the process.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "tn_test.h"
#include "net/clock.h"
#include "net/fault.h"

static void virtual_clock_then_starts_at_zero_and_moves_only_forward(void **state)
{
	struct tn_clock c;

	tn_clock_init(&c, true);
	assert_int_equal(tn_clock_now(&c), 0);
	tn_clock_advance_to(&c, 5000);
	assert_int_equal(tn_clock_now(&c), 5000);
	tn_clock_advance_to(&c, 4000);
	assert_int_equal(tn_clock_now(&c), 5000);
	tn_clock_advance_to(&c, 60ull * 1000000000ull);
	assert_int_equal(tn_clock_now(&c), 60ull * 1000000000ull);
}

static void real_clock_then_follows_host_from_zero(void **state)
{
	struct timespec nap = { 0, 2000000 };
	struct tn_clock c;
	u64 t0, t1;

	tn_clock_init(&c, false);
	t0 = tn_clock_now(&c);
	assert_true(t0 < 1000000000ull);
	nanosleep(&nap, NULL);
	t1 = tn_clock_now(&c);
	assert_true(t1 >= t0 + 2000000);
	/* Moving a real clock is ignored, not obeyed. */
	tn_clock_advance_to(&c, t1 + 3600ull * 1000000000ull);
	assert_true(tn_clock_now(&c) < t1 + 1000000000ull);
}

static void host_clock_then_monotonic(void **state)
{
	u64 prev = tn_host_ns();

	for (int i = 0; i < 1000; i++) {
		u64 now = tn_host_ns();

		assert_true(now >= prev);
		prev = now;
	}
}

/* Fault tests need only st->fault: a zeroed stack struct will do. */
static struct tn_stack *zeroed_stack(void)
{
	struct tn_stack *st = calloc(1, sizeof(*st));

	assert_non_null(st);
	return st;
}

static void unarmed_site_then_never_fails(void **state)
{
	struct tn_stack *st = zeroed_stack();

	for (int i = 0; i < 1000; i++)
		for (int s = 0; s < TN_FAULT__MAX; s++)
			assert_false(tn_should_fail(st, (enum tn_fault_site)s));
	assert_int_equal(st->fault.site[TN_FAULT_SKB].injected, 0);
	assert_false(tn_should_fail(NULL, TN_FAULT_SKB));
	free(st);
}

static void interval_one_unlimited_then_every_call_fails(void **state)
{
	struct tn_stack *st = zeroed_stack();

	tn_fault_set(st, TN_FAULT_SOCK, 1, -1);
	for (int i = 0; i < 100; i++)
		assert_true(tn_should_fail(st, TN_FAULT_SOCK));
	assert_int_equal(st->fault.site[TN_FAULT_SOCK].injected, 100);
	assert_int_equal(st->fault.site[TN_FAULT_SOCK].times, -1);
	/* Other sites are untouched. */
	assert_false(tn_should_fail(st, TN_FAULT_SKB));
	free(st);
}

static void interval_three_times_two_then_third_and_sixth_fail(void **state)
{
	struct tn_stack *st = zeroed_stack();
	int failed_at[4], n = 0;

	tn_fault_set(st, TN_FAULT_SKB, 3, 2);
	for (int call = 1; call <= 20; call++)
		if (tn_should_fail(st, TN_FAULT_SKB))
			failed_at[n++] = call;
	assert_int_equal(n, 2);
	assert_int_equal(failed_at[0], 3);
	assert_int_equal(failed_at[1], 6);
	assert_int_equal(st->fault.site[TN_FAULT_SKB].times, 0);
	assert_int_equal(st->fault.site[TN_FAULT_SKB].injected, 2);
	free(st);
}

static void times_zero_then_never_fails(void **state)
{
	struct tn_stack *st = zeroed_stack();

	tn_fault_set(st, TN_FAULT_NEIGH, 1, 0);
	for (int i = 0; i < 10; i++)
		assert_false(tn_should_fail(st, TN_FAULT_NEIGH));
	assert_int_equal(st->fault.site[TN_FAULT_NEIGH].injected, 0);
	free(st);
}

static void armed_site_then_interval_zero_disarms_and_resets(void **state)
{
	struct tn_stack *st = zeroed_stack();

	tn_fault_set(st, TN_FAULT_GENERIC, 2, -1);
	assert_false(tn_should_fail(st, TN_FAULT_GENERIC));
	assert_true(tn_should_fail(st, TN_FAULT_GENERIC));
	tn_fault_set(st, TN_FAULT_GENERIC, 0, -1);
	for (int i = 0; i < 10; i++)
		assert_false(tn_should_fail(st, TN_FAULT_GENERIC));
	assert_int_equal(st->fault.site[TN_FAULT_GENERIC].injected, 0);
	/* Re-arming counts calls from the start again. */
	tn_fault_set(st, TN_FAULT_GENERIC, 2, 1);
	assert_false(tn_should_fail(st, TN_FAULT_GENERIC));
	assert_true(tn_should_fail(st, TN_FAULT_GENERIC));
	assert_false(tn_should_fail(st, TN_FAULT_GENERIC));
	assert_false(tn_should_fail(st, TN_FAULT_GENERIC));
	free(st);
}

static void new_stack_then_no_site_armed(void **state)
{
	struct tn_stack *st = tn_test_stack_new();

	for (int s = 0; s < TN_FAULT__MAX; s++)
		assert_int_equal(st->fault.site[s].interval, 0);
	assert_true(st->clock.virtual_time);
	tn_test_stack_free(st);
}

/* Run tn_bug() in a child with stderr on a pipe: it must print the site and
 * die of SIGABRT. */
static void broken_invariant_then_bug_reports_and_aborts(void **state)
{
	char msg[256] = { 0 };
	int fds[2], status;
	ssize_t n, got = 0;
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct rlimit nocore = { 0, 0 };

		setrlimit(RLIMIT_CORE, &nocore);
		dup2(fds[1], STDERR_FILENO);
		TN_BUG_ON(1 + 1 == 2);
		_exit(0);
	}
	close(fds[1]);
	while ((n = read(fds[0], msg + got, sizeof(msg) - 1 - (size_t)got)) > 0)
		got += n;
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
	assert_non_null(strstr(msg, "tuxnet: BUG at "));
	assert_non_null(strstr(msg, "test_clock_fault.c:"));
	assert_non_null(strstr(msg, ": 1 + 1 == 2\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(virtual_clock_then_starts_at_zero_and_moves_only_forward),
		cmocka_unit_test(real_clock_then_follows_host_from_zero),
		cmocka_unit_test(host_clock_then_monotonic),
		cmocka_unit_test(unarmed_site_then_never_fails),
		cmocka_unit_test(interval_one_unlimited_then_every_call_fails),
		cmocka_unit_test(interval_three_times_two_then_third_and_sixth_fail),
		cmocka_unit_test(times_zero_then_never_fails),
		cmocka_unit_test(armed_site_then_interval_zero_disarms_and_resets),
		cmocka_unit_test(new_stack_then_no_site_armed),
		cmocka_unit_test(broken_invariant_then_bug_reports_and_aborts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
