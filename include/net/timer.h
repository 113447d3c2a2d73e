/*
 * Protocol timers on a hierarchical timer wheel, one wheel per stack.
 *
 * Time unit is the jiffy: one millisecond of the stack's clock (HZ = 1000).
 * The wheel is the cascading design of the classic kernel (tv1 of 256 slots,
 * tv2..tv5 of 64 slots each): adding and cancelling a timer are O(1), a tick
 * touches one slot, and timers further out are cascaded into finer levels as
 * their time approaches, so each timer fires exactly at its expiry jiffy.
 * Per-level bitmaps of non-empty slots let timer_wheel_next_event() find the
 * next jiffy with work without scanning timers, which virtual time uses to
 * jump straight to the next deadline.
 *
 * Not thread-safe on its own: all calls are made under the stack lock.
 */
#ifndef TN_NET_TIMER_H
#define TN_NET_TIMER_H

#include "net/compiler.h"
#include "lib/list.h"

#define HZ 1000
#define TN_NSEC_PER_JIFFY 1000000ull
#define MAX_JIFFY_OFFSET ((u64)1 << 62)

#define TVR_BITS 8
#define TVN_BITS 6
#define TVR_SIZE (1 << TVR_BITS)
#define TVN_SIZE (1 << TVN_BITS)
#define TVR_MASK (TVR_SIZE - 1)
#define TVN_MASK (TVN_SIZE - 1)

struct timer_list;
typedef void (*timer_fn_t)(struct timer_list *);

struct timer_list {
	struct hlist_node entry;   /* in a wheel slot while pending */
	u64 expires;               /* absolute jiffy; valid while pending */
	timer_fn_t function;
	struct timer_wheel *base;  /* the wheel it was last added to */
};

struct timer_wheel {
	u64 clk;                   /* next jiffy to process; all earlier ones are done */
	u64 pending;               /* number of timers in the wheel */
	u64 bitmap_tv1[TVR_SIZE / 64];
	u64 bitmap_tvn[4];         /* one 64-bit map per level tv2..tv5 */
	struct hlist_head tv1[TVR_SIZE];
	struct hlist_head tvn[4][TVN_SIZE];
	struct timer_list *running;  /* handler now executing, NULL otherwise */
};

#define from_timer(var, timer_ptr, field) \
	container_of(timer_ptr, __typeof__(*var), field)

void timer_wheel_init(struct timer_wheel *w, u64 now_jiffies);

/* Prepare a timer; it is not pending until mod_timer(). */
void timer_setup(struct timer_list *t, timer_fn_t fn);

/* (Re)arm t to fire at absolute jiffy expires (past values fire on the next
 * run). Returns 1 if it was pending before, 0 otherwise. */
int mod_timer(struct timer_wheel *w, struct timer_list *t, u64 expires);

/* Cancel. Returns 1 if it was pending. Safe on a timer that is not pending. */
int del_timer(struct timer_list *t);

static inline bool timer_pending(const struct timer_list *t)
{
	return !hlist_unhashed(&t->entry);
}

/* Run every timer whose expiry is <= now_jiffies, in expiry order. Handlers
 * may add, re-arm and cancel timers (their own included). Returns how many
 * handlers ran. */
unsigned timer_wheel_run(struct timer_wheel *w, u64 now_jiffies);

/* The earliest jiffy at which timer_wheel_run() has work to do: an expiry, or
 * a cascade point that must be processed before expiries behind it can be
 * known exactly (advance to it and ask again). UINT64_MAX if no timer is
 * pending. Costs a few bitmap scans, never a walk over timers. */
u64 timer_wheel_next_event(const struct timer_wheel *w);

#endif
