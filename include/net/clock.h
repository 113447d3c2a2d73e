/*
 * The stack's clock: monotonic nanoseconds since the stack was created,
 * either the host's CLOCK_MONOTONIC or a virtual clock that only moves when
 * the stack tells it to (deterministic runs; a 60 s transfer in milliseconds
 * of wall time). Every protocol reads time from here, never from the host.
 */
#ifndef TN_NET_CLOCK_H
#define TN_NET_CLOCK_H

#include "net/compiler.h"

struct tn_clock {
	bool virtual_time;
	bool cached;        /* real: cache_ns stands for "now" */
	u64 virt_ns;        /* virtual: the current time */
	u64 real_base_ns;   /* real: CLOCK_MONOTONIC at creation */
	u64 cache_ns;       /* real: the time read when the lock was taken or
			     * the current softirq round began */
};

void tn_clock_init(struct tn_clock *c, bool virtual_time);
u64 tn_clock_now(const struct tn_clock *c);
/*
 * A real clock read once per lock hold and per softirq round, as Linux's TCP
 * reads its clock once per segment processed (tcp_mstamp_refresh) rather
 * than at every use: reading the host clock is a few tens of nanoseconds in
 * a virtual machine, and a packet used to read it a dozen times. The stack
 * lock covers the cache: tn_clock_cache_set() after taking it or at the start
 * of a round of work, tn_clock_cache_drop() before every release (unlock or
 * condition wait), so a time read under the lock is never older than the
 * current hold or round. Without a cache the clock reads the host. Virtual
 * clocks ignore both.
 */
static inline void tn_clock_cache_set(struct tn_clock *c, u64 host_ns)
{
	if (!c->virtual_time) {
		c->cache_ns = host_ns - c->real_base_ns;
		c->cached = true;
	}
}

static inline void tn_clock_cache_drop(struct tn_clock *c)
{
	c->cached = false;
}

/* Virtual clocks only: move forward to t (never backward). */
void tn_clock_advance_to(struct tn_clock *c, u64 t_ns);
/* Host monotonic time in ns, for accounting work done (not protocol time). */
u64 tn_host_ns(void);

#endif
