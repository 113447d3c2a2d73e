/*
 * struct tn_stack: the whole "kernel" of one stack shard: its lock, clock,
 * timer wheel, skb cache, softirq state, packet_type registry and the
 * namespaces it holds.
 *
 * Concurrency model (DESIGN.md): every piece of protocol work of a stack runs
 * under st->lock. Process context (an application's socket call) takes the
 * lock with tn_stack_lock() and, like local_bh_enable(), runs any softirq work
 * it raised before tn_stack_unlock() lets go. Softirq work is otherwise driven
 * by one of: the ksoftirqd thread (tn_stack_start_thread), the application's
 * own tn_stack_poll(), or virtual time (tn_stack_run_until), which jumps the
 * clock to the next timer when nothing else is pending.
 *
 * Time spent is accounted as Linux's top(1) splits CPU time: hardirq (device
 * "interrupts": irq_enter/irq_exit), softirq (do_softirq) and process (time
 * holding the lock outside softirq).
 */
#ifndef TN_NET_STACK_H
#define TN_NET_STACK_H

#include <pthread.h>

#include "net/compiler.h"
#include "net/clock.h"
#include "net/timer.h"
#include "net/skbuff.h"
#include "net/netdevice.h"
#include "net/fault.h"
#include "lib/list.h"

struct net_protocol;
struct net_proto_family;
struct tn_fdtable;
struct sock_cache;

#define PTYPE_HASH_SIZE 16

enum {
	TIMER_SOFTIRQ = 0,
	NET_TX_SOFTIRQ,
	NET_RX_SOFTIRQ,
	NR_SOFTIRQS,
};
#define MAX_SOFTIRQ_RESTART 10

/* Stack-wide (not per-namespace) sysctls, Linux's net.core names; shown and
 * set through the initial namespace only, as on Linux. */
struct tn_core_sysctl {
	int netdev_max_backlog;    /* 1000 */
	int netdev_budget;         /* 300 */
	int netdev_budget_usecs;   /* 2000 (counted on the host clock) */
	int dev_weight;            /* 64 */
};

struct tn_cpu_acct {
	u64 hardirq_ns;
	u64 softirq_ns;
	u64 process_ns;
	u64 softirqs[NR_SOFTIRQS];  /* runs per softirq, as /proc/softirqs */
	u64 hardirqs;
};

enum tn_drive_mode {
	TN_DRIVE_INLINE = 0,   /* the application's tn_stack_poll() / unlock */
	TN_DRIVE_THREAD,       /* ksoftirqd thread */
};

struct tn_stack {
	pthread_mutex_t lock;
	pthread_cond_t ksoftirqd_wait;   /* ksoftirqd sleeps here */
	struct tn_clock clock;
	struct timer_wheel timers;
	struct skb_cache skb_cache;
	struct softnet_data sd;
	unsigned int softirq_pending;    /* bit per *_SOFTIRQ */
	int softirq_depth;               /* > 0 while in do_softirq */
	int irq_depth;
	u64 irq_enter_ns;
	u64 ksoftirqd_sleep_until;       /* stack ns ksoftirqd sleeps until; 0 awake */
	u64 lock_taken_ns;               /* host time the lock was last taken */
	u64 softirq_ns_at_lock;

	struct list_head net_list;
	struct net *init_net;
	unsigned int next_ns_id;

	struct list_head ptype_all;
	struct list_head ptype_base[PTYPE_HASH_SIZE];
	struct notifier_block *netdev_chain;
	const struct net_protocol *inet_protos[256];  /* L3 -> L4 (net/protocol.h) */
	const struct net_proto_family *net_families[46]; /* AF_* -> create (net/socket.h) */
	struct list_head inetsw[4];      /* by socket type: SOCK_STREAM, DGRAM, RAW */
	struct tn_fdtable *fdt;          /* descriptors (net/socket.h) */

	/* Virtual time with threads (net/wait.h): threads inside blocking
	 * calls, those asleep, and the sleepers' deadlines. */
	int vt_inside;
	int vt_asleep;
	int spinners;               /* waiters spinning before they sleep */
	int max_spinners;           /* online CPUs - 1: real clock only */
	u64 spin_ns;                /* how long a waiter spins (0: never) */
	struct list_head vt_sleepers;
	bool dying;                      /* tn_stack_free: sleepers return -EINTR */
	/* Sockets (net/core/sock.c): the per-stack cache of sock objects and
	 * the count of live ones, which teardown reports like live skbs. */
	struct sock_cache *sk_cache;
	u64 socks_live;
	struct inetaddr_notifier *inetaddr_chain;

	struct tn_core_sysctl sysctl;
	struct tn_cpu_acct acct;
	struct tn_fault fault;
	u32 hash_seed;                   /* per-stack secret for table hashes */
	u64 rng;                         /* per-stack PRNG state (xorshift64*) */

	enum tn_drive_mode drive;
	pthread_t ksoftirqd;
	bool ksoftirqd_running;
	bool stopping;

	/* Outside event sources (tn_fd_hook: a TAP's descriptor), polled by
	 * whoever sleeps for the stack on the real clock: ksoftirqd, or the
	 * `tuxnet run` loop. fd_hooks_gen changes at every add and delete,
	 * so a sleeper knows its snapshot of the list is stale. kick_fd (an
	 * eventfd, -1 until the first hook) wakes a ksoftirqd asleep in
	 * poll(), as ksoftirqd_wait wakes one asleep on the condition. */
	struct list_head fd_hooks;
	unsigned int fd_hooks_gen;
	int kick_fd;
	bool ksoftirqd_polling;
};

/* A stack with every subsystem initialised and its initial namespace (lo
 * down, as the kernel leaves it; tn_stack_create() brings it up). */
struct tn_stack *tn_stack_alloc(bool virtual_time, u64 seed);
/* Tear everything down and free. Returns the number of skbs and socks still
 * alive after teardown: 0 for a stack that leaked nothing (tests assert it).
 * Every thread must have left the stack's calls first: sleepers are woken
 * with -EINTR and waited for, but a thread that calls in afterwards uses
 * freed memory, as with any handle closed under a user's feet. */
u64 tn_stack_free(struct tn_stack *st);

void tn_stack_lock(struct tn_stack *st);
/* Runs pending softirq work (bottom halves) before releasing the lock. */
void tn_stack_unlock(struct tn_stack *st);

static inline u64 tn_now(const struct tn_stack *st) { return tn_clock_now(&st->clock); }
static inline u64 jiffies(const struct tn_stack *st) { return tn_now(st) / TN_NSEC_PER_JIFFY; }
static inline u64 msecs_to_jiffies(u64 ms) { return ms; }

/* Timers of this stack (wrappers that pass the wheel). */
static inline int tn_mod_timer(struct tn_stack *st, struct timer_list *t, u64 expires)
{
	return mod_timer(&st->timers, t, expires);
}

void raise_softirq(struct tn_stack *st, unsigned int nr);
/* Run pending softirqs (timers due, NET_TX, NET_RX), restarting up to
 * MAX_SOFTIRQ_RESTART times; leftover work stays pending (ksoftirqd or the
 * next poll takes it). Returns true if anything ran. */
bool do_softirq(struct tn_stack *st);
/* Device interrupt context: a driver wraps the code that schedules NAPI or
 * calls netif_rx on behalf of an event from outside the stack. irq_exit
 * runs softirqs if none are running (as Linux's irq_exit does). */
void irq_enter(struct tn_stack *st);
void irq_exit(struct tn_stack *st);

/* Next time (stack ns) something is due: now if softirqs are pending, the
 * next timer event otherwise, UINT64_MAX if nothing will ever happen. */
u64 __tn_stack_next_deadline(struct tn_stack *st);
/* Virtual time: do every piece of work due up to t_ns, jumping the clock from
 * deadline to deadline; ends with the clock at t_ns. Real time: runs what is
 * due now. Caller holds the lock. */
void tn_stack_run_until_locked(struct tn_stack *st, u64 t_ns);

/*
 * An outside event source: a host file descriptor (a TAP device's) whose
 * readability is the device's interrupt line. While registered, a sleeper
 * on the real clock (ksoftirqd, or tn_stack_wait_external from a run loop)
 * polls fd beside its timer deadline and, when fd becomes readable, calls
 * ready() with the stack lock held inside irq_enter()/irq_exit() -- hard
 * interrupt context: ready() reads what it must and schedules NAPI; the
 * protocol work runs in the softirq irq_exit() starts. Level-triggered:
 * ready() should drain what it can; a still-readable fd fires again.
 * At most TN_MAX_FD_HOOKS hooks of a stack are polled.
 */
struct tn_fd_hook {
	struct list_head list;     /* on st->fd_hooks */
	int fd;
	void (*ready)(struct tn_fd_hook *h);
};
#define TN_MAX_FD_HOOKS 16
/* Register / unregister a hook (lock held). add: 0, or -errno if the kick
 * eventfd cannot be made. */
int tn_stack_add_fd_hook(struct tn_stack *st, struct tn_fd_hook *h);
void tn_stack_del_fd_hook(struct tn_stack *st, struct tn_fd_hook *h);
static inline bool tn_stack_has_fd_hooks(const struct tn_stack *st)
{
	return !list_empty(&st->fd_hooks);
}
/* Real clock, lock held: sleep with the lock released until stack time
 * t_ns, a readable hook fd, a kick, or a signal; then run the ready() of
 * every hook whose fd is readable. Returns at once if t_ns has passed. */
void tn_stack_wait_external(struct tn_stack *st, u64 t_ns);

/* Per-stack pseudo-random numbers (IP IDs, jitter, ISN offsets): seeded at
 * creation, so a virtual-time run replays exactly. */
u64 tn_prandom_u64(struct tn_stack *st);
static inline u32 tn_prandom_u32(struct tn_stack *st) { return (u32)(tn_prandom_u64(st) >> 32); }
/* Uniform in [0, n). */
u32 tn_prandom_below(struct tn_stack *st, u32 n);

/* Subsystem set-up run once per stack before the initial namespace exists
 * (the inet_init() of a stack): packet types, notifiers, qdisc kinds. */
int tn_subsys_init(struct tn_stack *st);
void tn_subsys_exit(struct tn_stack *st);

#endif
