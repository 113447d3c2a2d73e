/*
 * The stack itself: creation and teardown of a whole "kernel", its lock, the
 * softirq engine (timers, NET_TX, NET_RX) and the three ways of driving it:
 * the ksoftirqd thread, the application's own polling, and virtual time.
 *
 * This file is the only place that decides *when* protocol work runs; what
 * the work is belongs to the layers (net_rx_action in dev.c, net_tx_action in
 * sch_generic.c, timer handlers everywhere). It also keeps the hi/si/process
 * accounting that `top` shows for a Linux CPU.
 */
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "net/stack.h"
#include "net/net_namespace.h"
#include "net/netdevice.h"
#include "net/socket.h"
#include "net/wait.h"
#include "tuxnet/tuxnet.h"

#define TN_DEFAULT_SEED 0x9e3779b97f4a7c15ull

/* ---- pseudo-random numbers ------------------------------------------- */

u64 tn_prandom_u64(struct tn_stack *st)
{
	/* xorshift64*: small, fast, and good enough for IDs and jitter; the
	 * seed makes a virtual-time run replay exactly. */
	u64 x = st->rng;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	st->rng = x;
	return x * 0x2545F4914F6CDD1Dull;
}

u32 tn_prandom_below(struct tn_stack *st, u32 n)
{
	return (u32)(((u64)tn_prandom_u32(st) * n) >> 32);
}

/* ---- lock and accounting --------------------------------------------- */

void tn_stack_lock(struct tn_stack *st)
{
	pthread_mutex_lock(&st->lock);
	st->lock_taken_ns = tn_host_ns();
	tn_clock_cache_set(&st->clock, st->lock_taken_ns);
	st->softirq_ns_at_lock = st->acct.softirq_ns + st->acct.hardirq_ns;
}

/* Wake ksoftirqd wherever it sleeps: on its condition, or in poll() on the
 * outside descriptors (then through the kick eventfd). */
static void ksoftirqd_wake(struct tn_stack *st)
{
	pthread_cond_signal(&st->ksoftirqd_wait);
	if (st->ksoftirqd_polling && st->kick_fd >= 0) {
		u64 one = 1;
		ssize_t n = write(st->kick_fd, &one, sizeof(one));
		(void)n;   /* a full counter is a pending wake-up as well */
	}
}

/* Wake ksoftirqd if it sleeps past a deadline that process context has just
 * brought forward (a timer armed by a socket call), or if work is pending. */
static void ksoftirqd_kick_if_needed(struct tn_stack *st)
{
	if (!st->ksoftirqd_running)
		return;
	if (st->softirq_pending ||
	    (!st->clock.virtual_time && __tn_stack_next_deadline(st) < st->ksoftirqd_sleep_until))
		ksoftirqd_wake(st);
}

void tn_stack_unlock(struct tn_stack *st)
{
	/* local_bh_enable(): work raised by process context runs before the
	 * lock goes, so a send reaches the wire without another thread. */
	if (st->softirq_pending && !st->softirq_depth && !st->irq_depth)
		do_softirq(st);
	ksoftirqd_kick_if_needed(st);
	u64 held = tn_host_ns() - st->lock_taken_ns;
	u64 irq = st->acct.softirq_ns + st->acct.hardirq_ns - st->softirq_ns_at_lock;
	if (held > irq)
		st->acct.process_ns += held - irq;
	tn_clock_cache_drop(&st->clock);
	pthread_mutex_unlock(&st->lock);
}

/* ---- softirq ---------------------------------------------------------- */

void raise_softirq(struct tn_stack *st, unsigned int nr)
{
	st->softirq_pending |= 1u << nr;
}

static bool timers_due(const struct tn_stack *st)
{
	return st->timers.pending && timer_wheel_next_event(&st->timers) <= jiffies(st);
}

static void run_softirq_vector(struct tn_stack *st, unsigned int pending)
{
	if (pending & (1u << TIMER_SOFTIRQ)) {
		st->acct.softirqs[TIMER_SOFTIRQ]++;
		timer_wheel_run(&st->timers, jiffies(st));
	}
	if (pending & (1u << NET_TX_SOFTIRQ)) {
		st->acct.softirqs[NET_TX_SOFTIRQ]++;
		net_tx_action(st);
	}
	if (pending & (1u << NET_RX_SOFTIRQ)) {
		st->acct.softirqs[NET_RX_SOFTIRQ]++;
		net_rx_action(st);
	}
}

bool do_softirq(struct tn_stack *st)
{
	bool ran = false;

	if (st->softirq_depth || st->irq_depth)
		return false;
	st->softirq_depth++;
	u64 t0 = tn_host_ns();
	for (int restart = 0; restart < MAX_SOFTIRQ_RESTART; restart++) {
		tn_clock_cache_set(&st->clock, restart ? tn_host_ns() : t0);
		if (timers_due(st))
			st->softirq_pending |= 1u << TIMER_SOFTIRQ;
		unsigned int pending = st->softirq_pending;
		if (!pending)
			break;
		st->softirq_pending = 0;
		run_softirq_vector(st, pending);
		ran = true;
	}
	st->acct.softirq_ns += tn_host_ns() - t0;
	st->softirq_depth--;
	return ran;
}

void irq_enter(struct tn_stack *st)
{
	if (st->irq_depth++ == 0)
		st->irq_enter_ns = tn_host_ns();
	st->acct.hardirqs++;
}

void irq_exit(struct tn_stack *st)
{
	if (--st->irq_depth == 0) {
		st->acct.hardirq_ns += tn_host_ns() - st->irq_enter_ns;
		if (st->softirq_pending && !st->softirq_depth)
			do_softirq(st);
	}
}

/* ---- time ------------------------------------------------------------- */

u64 __tn_stack_next_deadline(struct tn_stack *st)
{
	if (st->softirq_pending)
		return tn_now(st);
	if (!st->timers.pending)
		return UINT64_MAX;
	u64 j = timer_wheel_next_event(&st->timers);
	if (j == UINT64_MAX || j > UINT64_MAX / TN_NSEC_PER_JIFFY)
		return UINT64_MAX;
	return j * TN_NSEC_PER_JIFFY;
}

void tn_stack_run_until_locked(struct tn_stack *st, u64 t_ns)
{
	for (;;) {
		do_softirq(st);
		if (st->softirq_pending)
			continue;  /* restart limit reached: more work at this instant */
		if (!st->clock.virtual_time)
			return;
		u64 next = __tn_stack_next_deadline(st);
		if (next > t_ns)
			break;
		if (next > tn_now(st))
			tn_clock_advance_to(&st->clock, next);
	}
	if (tn_now(st) < t_ns)
		tn_clock_advance_to(&st->clock, t_ns);
	/* Threads blocked with a timeout learn that it has passed. */
	tn_wake_expired_sleepers(st);
}

/* ---- outside event sources (net/stack.h: tn_fd_hook) ------------------ */

int tn_stack_add_fd_hook(struct tn_stack *st, struct tn_fd_hook *h)
{
	if (st->kick_fd < 0) {
		st->kick_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (st->kick_fd < 0)
			return -errno;
	}
	list_add_tail(&h->list, &st->fd_hooks);
	st->fd_hooks_gen++;
	/* A ksoftirqd asleep on its condition must start polling the fd. */
	if (st->ksoftirqd_running)
		ksoftirqd_wake(st);
	return 0;
}

void tn_stack_del_fd_hook(struct tn_stack *st, struct tn_fd_hook *h)
{
	list_del_init(&h->list);
	st->fd_hooks_gen++;
}

/* The pollfd set of the registered hooks, the kick eventfd last. */
static unsigned int fd_hooks_snapshot(struct tn_stack *st, struct pollfd *pfd,
				      struct tn_fd_hook **hooks)
{
	struct tn_fd_hook *h;
	unsigned int n = 0;

	list_for_each_entry(h, &st->fd_hooks, list) {
		if (n == TN_MAX_FD_HOOKS)
			break;
		hooks[n] = h;
		pfd[n++] = (struct pollfd){ .fd = h->fd, .events = POLLIN };
	}
	if (st->kick_fd >= 0)
		pfd[n++] = (struct pollfd){ .fd = st->kick_fd, .events = POLLIN };
	return n;
}

/* A hook's interrupt: ready() in hard-irq context; irq_exit runs the
 * softirqs it raised (the NAPI poll). */
static void fd_hook_interrupt(struct tn_stack *st, struct tn_fd_hook *h)
{
	irq_enter(st);
	h->ready(h);
	irq_exit(st);
}

/* process: the caller took the lock with tn_stack_lock() (a run loop), so
 * the sleep is accounted as tn_stack_unlock() does; ksoftirqd holds it raw. */
static void wait_external(struct tn_stack *st, u64 t_ns, bool process)
{
	struct pollfd pfd[TN_MAX_FD_HOOKS + 1];
	struct tn_fd_hook *hooks[TN_MAX_FD_HOOKS];
	unsigned int n = fd_hooks_snapshot(st, pfd, hooks);
	unsigned int gen = st->fd_hooks_gen;
	u64 now = tn_now(st);
	u64 wait = t_ns > now ? t_ns - now : 0;
	struct timespec ts = { .tv_sec = (time_t)(wait / 1000000000ull),
			       .tv_nsec = (long)(wait % 1000000000ull) };

	if (process) {
		tn_stack_unlock(st);
	} else {
		tn_clock_cache_drop(&st->clock);
		pthread_mutex_unlock(&st->lock);
	}
	int r = ppoll(pfd, n, t_ns == UINT64_MAX ? NULL : &ts, NULL);
	if (process)
		tn_stack_lock(st);
	else
		pthread_mutex_lock(&st->lock);
	if (r <= 0)
		return;
	if (st->kick_fd >= 0 && (pfd[n - 1].revents & POLLIN)) {
		u64 cnt;
		ssize_t rd = read(st->kick_fd, &cnt, sizeof(cnt));
		(void)rd;
	}
	/* A hook deleted while the lock was free must not be called; a
	 * still-readable fd fires again on the next wait. */
	if (gen != st->fd_hooks_gen)
		return;
	for (unsigned int i = 0; i < n && pfd[i].fd != st->kick_fd; i++)
		if (pfd[i].revents & (POLLIN | POLLERR | POLLHUP))
			fd_hook_interrupt(st, hooks[i]);
}

void tn_stack_wait_external(struct tn_stack *st, u64 t_ns)
{
	wait_external(st, t_ns, true);
}

/* ---- ksoftirqd -------------------------------------------------------- */

/* Real clock with outside sources: poll them until the next deadline. */
static void ksoftirqd_poll_sleep(struct tn_stack *st, u64 next)
{
	st->ksoftirqd_sleep_until = next;
	st->ksoftirqd_polling = true;
	wait_external(st, next, false);
	st->ksoftirqd_polling = false;
	st->ksoftirqd_sleep_until = 0;
}

static void ksoftirqd_sleep(struct tn_stack *st)
{
	u64 next = __tn_stack_next_deadline(st);

	if (next <= tn_now(st))
		return;
	if (!st->clock.virtual_time && tn_stack_has_fd_hooks(st)) {
		ksoftirqd_poll_sleep(st, next);
		return;
	}
	/* A virtual clock never moves by itself: sleep until kicked. */
	if (st->clock.virtual_time || next == UINT64_MAX) {
		st->ksoftirqd_sleep_until = UINT64_MAX;
		tn_clock_cache_drop(&st->clock);
		pthread_cond_wait(&st->ksoftirqd_wait, &st->lock);
	} else {
		u64 host = st->clock.real_base_ns + next;
		struct timespec ts = { .tv_sec = (time_t)(host / 1000000000ull),
				       .tv_nsec = (long)(host % 1000000000ull) };
		st->ksoftirqd_sleep_until = next;
		tn_clock_cache_drop(&st->clock);
		pthread_cond_timedwait(&st->ksoftirqd_wait, &st->lock, &ts);
	}
	st->ksoftirqd_sleep_until = 0;
}

static void *ksoftirqd_main(void *arg)
{
	struct tn_stack *st = arg;

	pthread_mutex_lock(&st->lock);
	while (!st->stopping) {
		do_softirq(st);
		if (!st->stopping)
			ksoftirqd_sleep(st);
	}
	tn_clock_cache_drop(&st->clock);
	pthread_mutex_unlock(&st->lock);
	return NULL;
}

/* ---- creation and teardown ------------------------------------------- */

static void core_sysctl_defaults(struct tn_core_sysctl *s)
{
	s->netdev_max_backlog = 1000;
	s->netdev_budget = 300;
	s->netdev_budget_usecs = 2000;
	s->dev_weight = 64;
}

static int subsystems_init(struct tn_stack *st)
{
	for (unsigned int i = 0; i < tn_subsystems_count; i++) {
		const struct tn_subsystem *s = tn_subsystems[i];
		if (!s || !s->init)
			continue;
		int err = s->init(st);
		if (err) {
			while (i-- > 0)
				if (tn_subsystems[i] && tn_subsystems[i]->exit)
					tn_subsystems[i]->exit(st);
			return err;
		}
	}
	return 0;
}

static void subsystems_exit(struct tn_stack *st)
{
	for (unsigned int i = tn_subsystems_count; i-- > 0;)
		if (tn_subsystems[i] && tn_subsystems[i]->exit)
			tn_subsystems[i]->exit(st);
}

static int stack_sync_init(struct tn_stack *st, bool virtual_time)
{
	pthread_condattr_t ca;

	if (pthread_mutex_init(&st->lock, NULL))
		return -ENOMEM;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	int err = pthread_cond_init(&st->ksoftirqd_wait, &ca);
	pthread_condattr_destroy(&ca);
	if (err) {
		pthread_mutex_destroy(&st->lock);
		return -ENOMEM;
	}
	tn_clock_init(&st->clock, virtual_time);
	/* Spin before sleeping (wait.c, waiter_spin) only with more than
	 * one CPU, at most one spinner per CPU. TN_SPIN_US overrides the
	 * 50 us default (0 turns spinning off). */
	/* The CPUs this process may run on (taskset), not all online. */
	cpu_set_t set;
	long cpus = sched_getaffinity(0, sizeof(set), &set) == 0 ? CPU_COUNT(&set)
								    : sysconf(_SC_NPROCESSORS_ONLN);
	const char *env = getenv("TN_SPIN_US");
	st->max_spinners = cpus > 1 ? (int)cpus : 0;
	st->spin_ns = env ? strtoull(env, NULL, 10) * 1000ull : 50000ull;
	return 0;
}

struct tn_stack *tn_stack_alloc(bool virtual_time, u64 seed)
{
	struct tn_stack *st = calloc(1, sizeof(*st));
	int err;

	if (!st)
		return NULL;
	if (stack_sync_init(st, virtual_time))
		goto out_free;
	timer_wheel_init(&st->timers, jiffies(st));
	skb_cache_init(&st->skb_cache);
	INIT_LIST_HEAD(&st->net_list);
	INIT_LIST_HEAD(&st->vt_sleepers);
	INIT_LIST_HEAD(&st->fd_hooks);
	st->kick_fd = -1;
	core_sysctl_defaults(&st->sysctl);
	st->rng = seed ? seed : TN_DEFAULT_SEED;
	st->hash_seed = tn_prandom_u32(st);

	tn_stack_lock(st);
	if (subsystems_init(st))
		goto out_unlock;
	st->init_net = net_create(st, "", &err);
	if (!st->init_net)
		goto out_subsys;
	tn_stack_unlock(st);
	return st;

out_subsys:
	subsystems_exit(st);
out_unlock:
	tn_stack_unlock(st);
	skb_cache_destroy(&st->skb_cache);
	pthread_cond_destroy(&st->ksoftirqd_wait);
	pthread_mutex_destroy(&st->lock);
out_free:
	free(st);
	return NULL;
}

/* Namespaces other than the initial one go first, newest first; the
 * initial namespace last, since devices may return to it while it lives. */
static void destroy_namespaces(struct tn_stack *st)
{
	struct net *net, *tmp;

	list_for_each_entry_safe(net, tmp, &st->net_list, list) {
		if (net != st->init_net) {
			net_destroy(net);
			do_softirq(st);
		}
	}
	if (st->init_net) {
		net_destroy(st->init_net);
		do_softirq(st);
	}
	st->init_net = NULL;
}

u64 tn_stack_free(struct tn_stack *st)
{
	if (!st)
		return 0;
	tn_stack_stop_thread(st);
	tn_stack_lock(st);
	tn_wake_all_sleepers(st);
	/* Sockets go before their namespaces: closing one may still need
	 * its namespace's tables (unhash) and send (a TCP RST). */
	fd_close_all(st);
	do_softirq(st);
	destroy_namespaces(st);
	subsystems_exit(st);
	u64 live = st->skb_cache.live + st->socks_live;
	tn_stack_unlock(st);
	if (st->kick_fd >= 0)
		close(st->kick_fd);
	skb_cache_destroy(&st->skb_cache);
	pthread_cond_destroy(&st->ksoftirqd_wait);
	pthread_mutex_destroy(&st->lock);
	free(st);
	return live;
}

/* ---- public API ------------------------------------------------------- */

TN_EXPORT struct tn_stack *tn_stack_create(const struct tn_stack_config *cfg)
{
	struct tn_stack *st = tn_stack_alloc(cfg && cfg->virtual_time, cfg ? cfg->seed : 0);

	if (!st) {
		errno = ENOMEM;
		return NULL;
	}
	/* The initial namespace starts as a booted host's does: lo up. */
	tn_stack_lock(st);
	if (st->init_net->loopback_dev)
		dev_open(st->init_net->loopback_dev);
	tn_stack_unlock(st);
	return st;
}

TN_EXPORT void tn_stack_destroy(struct tn_stack *st)
{
	tn_stack_free(st);
}

TN_EXPORT int tn_stack_start_thread(struct tn_stack *st)
{
	tn_stack_lock(st);
	if (st->ksoftirqd_running) {
		tn_stack_unlock(st);
		errno = EBUSY;
		return -1;
	}
	st->stopping = false;
	int err = pthread_create(&st->ksoftirqd, NULL, ksoftirqd_main, st);
	if (!err) {
		st->ksoftirqd_running = true;
		st->drive = TN_DRIVE_THREAD;
	}
	tn_stack_unlock(st);
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

TN_EXPORT void tn_stack_stop_thread(struct tn_stack *st)
{
	pthread_mutex_lock(&st->lock);
	bool running = st->ksoftirqd_running;
	st->stopping = true;
	ksoftirqd_wake(st);
	tn_clock_cache_drop(&st->clock);
	pthread_mutex_unlock(&st->lock);
	if (!running)
		return;
	pthread_join(st->ksoftirqd, NULL);
	pthread_mutex_lock(&st->lock);
	st->ksoftirqd_running = false;
	st->drive = TN_DRIVE_INLINE;
	tn_clock_cache_drop(&st->clock);
	pthread_mutex_unlock(&st->lock);
}

TN_EXPORT int tn_stack_poll(struct tn_stack *st)
{
	tn_stack_lock(st);
	bool ran = do_softirq(st);
	tn_stack_unlock(st);
	return ran;
}

TN_EXPORT void tn_stack_advance(struct tn_stack *st, uint64_t ns)
{
	tn_stack_lock(st);
	tn_stack_run_until_locked(st, tn_now(st) + ns);
	tn_stack_unlock(st);
}

TN_EXPORT uint64_t tn_stack_now(struct tn_stack *st)
{
	tn_stack_lock(st);
	u64 now = tn_now(st);
	tn_stack_unlock(st);
	return now;
}

TN_EXPORT uint64_t tn_stack_next_deadline(struct tn_stack *st)
{
	tn_stack_lock(st);
	u64 next = __tn_stack_next_deadline(st);
	tn_stack_unlock(st);
	return next;
}

TN_EXPORT const char *tn_version(void)
{
	return TN_VERSION_STRING;
}
