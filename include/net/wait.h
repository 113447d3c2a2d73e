/*
 * Wait queues, and how a thread sleeps in the stack.
 *
 * A wait_queue_head lists entries; waking it calls each entry's func with a
 * poll mask (the key), so the same queue serves a thread blocked in recv
 * (autoremove_wake_function: signal its condition variable) and an epoll
 * item (ep_poll_callback: move to the ready list). WQ_FLAG_EXCLUSIVE
 * entries are woken one at a time, as Linux's accept() and EPOLLEXCLUSIVE.
 *
 * A sleeping thread releases the stack lock (pthread_cond_wait on its own
 * condition variable with st->lock), so everything else goes on while it
 * waits. On a real clock it sleeps until woken or its timeout passes. On a
 * virtual clock time only moves when nothing else can: when every thread
 * inside a blocking tuxnet call is asleep and no softirq work is pending,
 * the last one to go to sleep advances the clock to the earliest deadline
 * (a timer, or a sleeper's timeout), runs what became due and wakes whoever
 * it concerns. Threads outside the stack do not hold virtual time back.
 */
#ifndef TN_NET_WAIT_H
#define TN_NET_WAIT_H

#include <pthread.h>
#include "net/compiler.h"
#include "lib/list.h"

struct tn_stack;
struct wait_queue_entry;

typedef int (*wait_queue_func_t)(struct wait_queue_entry *wq, unsigned int mode, int flags,
				 void *key);

#define WQ_FLAG_EXCLUSIVE 0x01

struct wait_queue_entry {
	unsigned int flags;
	void *private;               /* the waiter, or the epoll item */
	wait_queue_func_t func;
	struct list_head entry;
};

struct wait_queue_head {
	struct list_head head;
};

static inline void init_waitqueue_head(struct wait_queue_head *q)
{
	INIT_LIST_HEAD(&q->head);
}
static inline bool waitqueue_active(const struct wait_queue_head *q)
{
	return !list_empty(&q->head);
}
void init_waitqueue_func_entry(struct wait_queue_entry *e, wait_queue_func_t func);
void add_wait_queue(struct wait_queue_head *q, struct wait_queue_entry *e);
void add_wait_queue_exclusive(struct wait_queue_head *q, struct wait_queue_entry *e);
void remove_wait_queue(struct wait_queue_head *q, struct wait_queue_entry *e);
/* Call entries with key (a poll mask as uintptr_t, 0: everything); at most
 * nr_exclusive exclusive entries are woken (0: all). */
void __wake_up(struct wait_queue_head *q, unsigned int mode, int nr_exclusive, void *key);
static inline void wake_up_interruptible_poll(struct wait_queue_head *q, u32 mask)
{
	__wake_up(q, 1, 1, (void *)(uintptr_t)mask);
}
static inline void wake_up_interruptible_all(struct wait_queue_head *q)
{
	__wake_up(q, 1, 0, NULL);
}

/* A thread sleeping in the stack. */
struct tn_waiter {
	struct wait_queue_entry wq;
	pthread_cond_t cond;
	struct tn_stack *st;
	bool woken;
	bool spinning;               /* spinning with the lock released: a
				      * kick sets `kicked` and needs no signal */
	int kicked;                  /* set (atomically) by every kick */
	u64 deadline;                /* stack ns; UINT64_MAX: none */
	struct list_head sleepers;   /* on st->vt_sleepers while asleep and not
				      * yet woken: whoever wakes it takes it off
				      * and un-counts st->vt_asleep, so virtual
				      * time never runs ahead of a woken thread */
};

/* Wake function for a tn_waiter (e->private): marks it woken and signals
 * it. Returns 0 for a waiter already woken, so that an exclusive wake-up
 * passes on to the next exclusive waiter instead of being lost. An entry
 * of its own with private = the waiter can sit on several queues (poll). */
int tn_waiter_wake(struct wait_queue_entry *e, unsigned int mode, int flags, void *key);
void tn_waiter_init(struct tn_waiter *w, struct tn_stack *st);
void tn_waiter_destroy(struct tn_waiter *w);

/* Sleep (stack lock held on entry and on return) until woken or until the
 * stack clock reaches w->deadline. Returns 0 when woken, -ETIMEDOUT when the
 * deadline passed first, -EINTR when the stack is being destroyed. Softirq
 * work raised before sleeping runs first. */
int tn_waiter_sleep(struct tn_waiter *w);

/* Bracket every public call that may block: it tells virtual time that this
 * thread is inside the stack (and so may still make progress) until it
 * either returns or sleeps. */
void tn_thread_enter(struct tn_stack *st);
void tn_thread_exit(struct tn_stack *st);

/* For the stack's clock driver: wake the sleepers whose deadline the clock
 * has reached (tn_stack_run_until_locked calls it after a jump). */
void tn_wake_expired_sleepers(struct tn_stack *st);
/* Stack teardown: mark the stack dying, wake every sleeper (-EINTR) and
 * wait, releasing the lock, until no thread is inside a blocking call. */
void tn_wake_all_sleepers(struct tn_stack *st);

#endif
