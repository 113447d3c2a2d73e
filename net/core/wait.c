/*
 * Wait queues and sleeping threads (Linux's kernel/sched/wait.c, with a
 * pthread condition variable in place of the scheduler).
 *
 * A thread that must wait for a socket puts a tn_waiter's entry on the
 * socket's queue and calls tn_waiter_sleep(), which releases the stack lock
 * while it waits. Whoever changes the socket (softirq delivering a packet,
 * another thread closing it) calls __wake_up(), which runs each entry's wake
 * function under the stack lock.
 *
 * The interesting part is time. On a real clock a sleeper waits on the host
 * clock until its deadline. On a virtual clock nothing moves by itself: the
 * clock jumps only when no thread inside a blocking call can make progress,
 * i.e. when every one of them is asleep and no softirq work is pending. The
 * last thread to fall asleep does the jump (to the earlier of the next timer
 * and the earliest sleeper's deadline), runs what became due, wakes the
 * sleepers whose deadline passed, and looks again. A woken sleeper stops
 * counting as asleep at the moment it is woken, not when it gets the lock
 * back, so the clock never runs ahead of a thread that still has work to do.
 *
 * This file does not decide what a socket is ready for; that is the poll
 * masks of sock.c and datagram.c.
 */
#include <errno.h>
#include <sched.h>
#include <time.h>

#include "net/wait.h"
#include "net/stack.h"

/* ---- queues ----------------------------------------------------------- */

void init_waitqueue_func_entry(struct wait_queue_entry *e, wait_queue_func_t func)
{
	e->flags = 0;
	e->private = NULL;
	e->func = func;
	INIT_LIST_HEAD(&e->entry);
}

/* Non-exclusive entries go first so that one __wake_up reaches all of them
 * before it starts counting exclusive ones (Linux's add_wait_queue). */
void add_wait_queue(struct wait_queue_head *q, struct wait_queue_entry *e)
{
	e->flags &= ~WQ_FLAG_EXCLUSIVE;
	list_add(&e->entry, &q->head);
}

void add_wait_queue_exclusive(struct wait_queue_head *q, struct wait_queue_entry *e)
{
	e->flags |= WQ_FLAG_EXCLUSIVE;
	list_add_tail(&e->entry, &q->head);
}

/* Safe on an entry that is on no queue (list_del_init leaves it self-linked). */
void remove_wait_queue(struct wait_queue_head *q, struct wait_queue_entry *e)
{
	(void)q;
	list_del_init(&e->entry);
}

void __wake_up(struct wait_queue_head *q, unsigned int mode, int nr_exclusive, void *key)
{
	struct wait_queue_entry *e, *tmp;

	list_for_each_entry_safe(e, tmp, &q->head, entry) {
		unsigned int flags = e->flags;
		int ret = e->func(e, mode, 0, key);

		if (ret < 0)
			break;
		if (ret && (flags & WQ_FLAG_EXCLUSIVE) && !--nr_exclusive)
			break;
	}
}

/* ---- waiters ---------------------------------------------------------- */

void tn_waiter_init(struct tn_waiter *w, struct tn_stack *st)
{
	pthread_condattr_t ca;

	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&w->cond, &ca);
	pthread_condattr_destroy(&ca);
	init_waitqueue_func_entry(&w->wq, tn_waiter_wake);
	w->wq.private = w;
	w->st = st;
	w->woken = false;
	w->spinning = false;
	w->kicked = 0;
	w->deadline = UINT64_MAX;
	INIT_LIST_HEAD(&w->sleepers);
}

void tn_waiter_destroy(struct tn_waiter *w)
{
	pthread_cond_destroy(&w->cond);
}

/* Take a sleeping waiter off the sleepers' list: from now on virtual time
 * counts it as a thread that can make progress. */
static void waiter_unsleep(struct tn_waiter *w)
{
	if (list_empty(&w->sleepers))
		return;
	list_del_init(&w->sleepers);
	w->st->vt_asleep--;
}

static void waiter_kick(struct tn_waiter *w)
{
	waiter_unsleep(w);
	__atomic_store_n(&w->kicked, 1, __ATOMIC_RELEASE);
	if (!w->spinning)
		pthread_cond_signal(&w->cond);
}

int tn_waiter_wake(struct wait_queue_entry *e, unsigned int mode, int flags, void *key)
{
	struct tn_waiter *w = e->private;

	(void)mode;
	(void)flags;
	(void)key;
	if (w->woken)
		return 0;
	w->woken = true;
	waiter_kick(w);
	return 1;
}

/* ---- virtual time ----------------------------------------------------- */

static u64 earliest_sleeper_deadline(struct tn_stack *st, u64 own)
{
	struct tn_waiter *s;
	u64 t = own;

	list_for_each_entry(s, &st->vt_sleepers, sleepers)
		if (s->deadline < t)
			t = s->deadline;
	return t;
}

/* Sleepers whose deadline has come wake up to return -ETIMEDOUT. */
void tn_wake_expired_sleepers(struct tn_stack *st)
{
	struct tn_waiter *s, *tmp;
	u64 now = tn_now(st);

	list_for_each_entry_safe(s, tmp, &st->vt_sleepers, sleepers)
		if (s->deadline <= now)
			waiter_kick(s);
}

/* The calling thread is about to sleep: may it move virtual time? Only if
 * every other thread inside the stack sleeps and nothing is pending. */
static bool vt_may_advance(const struct tn_stack *st)
{
	return st->clock.virtual_time && !st->softirq_pending &&
	       st->vt_asleep + 1 >= st->vt_inside;
}

/* Jump to the next event, run it, wake whom it concerns. False if nothing
 * will ever happen (the caller then sleeps until another thread acts). */
static bool vt_advance(struct tn_stack *st, struct tn_waiter *w)
{
	u64 next = __tn_stack_next_deadline(st);
	u64 t = earliest_sleeper_deadline(st, w->deadline);

	if (next < t)
		t = next;
	if (t == UINT64_MAX)
		return false;
	if (t < tn_now(st))
		t = tn_now(st);
	tn_stack_run_until_locked(st, t);
	tn_wake_expired_sleepers(st);
	return true;
}

/* Between two jumps of the clock, let a thread waiting for the lock in
 * (one outside the stack may be about to send what this one waits for);
 * otherwise a wait with periodic timers pending would hold the lock for
 * as long as it jumps. */
static void vt_let_others_in(struct tn_stack *st)
{
	tn_clock_cache_drop(&st->clock);
	pthread_mutex_unlock(&st->lock);
	sched_yield();
	pthread_mutex_lock(&st->lock);
}

/* Someone left the stack or fell asleep: if now every thread inside is
 * asleep, one of them must wake up to move the clock on. */
static void vt_kick_if_stalled(struct tn_stack *st)
{
	if (!st->clock.virtual_time || st->vt_inside == 0 || st->vt_asleep < st->vt_inside)
		return;
	if (!list_empty(&st->vt_sleepers))
		waiter_kick(list_first_entry(&st->vt_sleepers, struct tn_waiter, sleepers));
}

void tn_thread_enter(struct tn_stack *st)
{
	st->vt_inside++;
}

void tn_thread_exit(struct tn_stack *st)
{
	st->vt_inside--;
	if (st->dying && st->vt_inside == 0)
		pthread_cond_broadcast(&st->ksoftirqd_wait);  /* tn_stack_free waits */
	vt_kick_if_stalled(st);
}

/* ---- sleeping --------------------------------------------------------- */

static void ns_to_timespec(u64 ns, struct timespec *ts)
{
	ts->tv_sec = (time_t)(ns / 1000000000ull);
	ts->tv_nsec = (long)(ns % 1000000000ull);
}

/* Until when a real-clock sleeper may sleep: its deadline, or the next
 * timer when no ksoftirqd runs them (the sleeping application then drives
 * the stack itself, like busy polling). */
static u64 real_wake_time(struct tn_stack *st, const struct tn_waiter *w)
{
	u64 t = w->deadline;

	if (!st->ksoftirqd_running && !st->clock.virtual_time) {
		u64 next = __tn_stack_next_deadline(st);
		if (next < t)
			t = next;
	}
	return t;
}

/*
 * Before a real-clock waiter blocks on its condition variable, it spins a
 * little with the lock released, as an adaptive mutex does: on a machine
 * with a CPU to spare, the thread that will wake it (the other end of a
 * request/response, the reader that opens the window) usually does so
 * within microseconds, and a futex sleep and wake-up costs more than that
 * (tens of microseconds in a virtual machine). A kick during the spin is
 * an atomic store the spinner sees; no system call on either side. At most
 * one waiter per online CPU spins at once (both ends of a ping-pong may
 * wait in turn), so a thread per connection does not turn into a thousand
 * spinning threads; and the spinner yields its CPU every few dozen turns,
 * so on a machine with more runnable threads than CPUs the thread it waits
 * for gets to run. Returns true if kicked.
 */
static bool waiter_spin(struct tn_waiter *w)
{
	struct tn_stack *st = w->st;
	unsigned int i = 0;
	u64 end;

	if (!st->spin_ns || st->spinners >= st->max_spinners)
		return false;
	w->spinning = true;
	st->spinners++;
	tn_clock_cache_drop(&st->clock);
	pthread_mutex_unlock(&st->lock);
	end = tn_host_ns() + st->spin_ns;
	while (!__atomic_load_n(&w->kicked, __ATOMIC_ACQUIRE)) {
#if defined(__x86_64__) || defined(__i386__)
		__builtin_ia32_pause();
#endif
		if (++i % 64 == 0) {
			if (tn_host_ns() >= end)
				break;
			sched_yield();
		}
	}
	pthread_mutex_lock(&st->lock);
	st->spinners--;
	w->spinning = false;
	return __atomic_load_n(&w->kicked, __ATOMIC_ACQUIRE);
}

static void waiter_block(struct tn_waiter *w)
{
	struct tn_stack *st = w->st;
	u64 until = st->clock.virtual_time ? UINT64_MAX : real_wake_time(st, w);

	/* No kick here: this thread has just found it cannot move the
	 * clock itself, and a kick would only bounce that question around. */
	list_add_tail(&w->sleepers, &st->vt_sleepers);
	st->vt_asleep++;
	__atomic_store_n(&w->kicked, 0, __ATOMIC_RELAXED);
	if (!st->clock.virtual_time && waiter_spin(w))
		return;   /* the kick took it off the sleepers' list */
	tn_clock_cache_drop(&st->clock);
	if (until == UINT64_MAX || until > UINT64_MAX - st->clock.real_base_ns) {
		pthread_cond_wait(&w->cond, &st->lock);
	} else {
		struct timespec ts;
		ns_to_timespec(st->clock.real_base_ns + until, &ts);
		pthread_cond_timedwait(&w->cond, &st->lock, &ts);
	}
	waiter_unsleep(w);
}

int tn_waiter_sleep(struct tn_waiter *w)
{
	struct tn_stack *st = w->st;

	for (;;) {
		do_softirq(st);  /* raised work and due timers first */
		while (st->softirq_pending && !st->softirq_depth)
			do_softirq(st);
		if (w->woken)
			return 0;
		if (st->dying)
			return -EINTR;
		if (tn_now(st) >= w->deadline)
			return -ETIMEDOUT;
		if (vt_may_advance(st) && vt_advance(st, w)) {
			vt_let_others_in(st);
			continue;
		}
		waiter_block(w);
	}
}

/* Stack teardown: every sleeper returns -EINTR; wait until every thread
 * that was inside a blocking call has left (lock held, released meanwhile). */
void tn_wake_all_sleepers(struct tn_stack *st)
{
	struct tn_waiter *s, *tmp;

	st->dying = true;
	list_for_each_entry_safe(s, tmp, &st->vt_sleepers, sleepers)
		waiter_kick(s);
	while (st->vt_inside > 0) {
		tn_clock_cache_drop(&st->clock);
		pthread_cond_wait(&st->ksoftirqd_wait, &st->lock);
	}
}
