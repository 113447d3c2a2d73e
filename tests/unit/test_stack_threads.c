/* tn-test-labels: threads
 *
 * The stack under several threads: a ksoftirqd thread on the real clock runs
 * timers armed by other threads, and process-context callers raise softirqs
 * concurrently. Run under TSan by `make test`.
 */
#include <stdatomic.h>
#include <time.h>
#include "tn_test.h"
#include "tuxnet/tuxnet.h"

struct shot {
	struct timer_list t;
	atomic_int *count;
};

static void shot_fn(struct timer_list *t)
{
	struct shot *s = from_timer(s, t, t);
	atomic_fetch_add(s->count, 1);
}

struct worker {
	struct tn_stack *st;
	struct shot shots[50];
	atomic_int *count;
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	for (int i = 0; i < 50; i++) {
		tn_stack_lock(w->st);
		w->shots[i].count = w->count;
		timer_setup(&w->shots[i].t, shot_fn);
		tn_mod_timer(w->st, &w->shots[i].t, jiffies(w->st) + 1 + i % 5);
		raise_softirq(w->st, NET_TX_SOFTIRQ);
		tn_stack_unlock(w->st);
	}
	return NULL;
}

static void ksoftirqd_runs_timers_armed_by_other_threads(void **state)
{
	struct tn_stack *st = tn_stack_create(NULL);
	atomic_int count = 0;
	struct worker w[4];
	pthread_t th[4];

	assert_non_null(st);
	assert_int_equal(tn_stack_start_thread(st), 0);
	assert_int_equal(tn_stack_start_thread(st), -1);
	for (int i = 0; i < 4; i++) {
		w[i] = (struct worker){ .st = st, .count = &count };
		pthread_create(&th[i], NULL, worker_main, &w[i]);
	}
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	/* Bounded wait on the real clock: 200 timers due within ~6 ms. */
	for (int i = 0; i < 2000 && atomic_load(&count) < 200; i++)
		nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
	assert_int_equal(atomic_load(&count), 200);
	tn_stack_stop_thread(st);
	tn_stack_lock(st);
	u64 si = st->acct.softirqs[TIMER_SOFTIRQ];
	tn_stack_unlock(st);
	assert_true(si >= 1);
	tn_stack_destroy(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ksoftirqd_runs_timers_armed_by_other_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
