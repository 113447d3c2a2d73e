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
	u64 virt_ns;        /* virtual: the current time */
	u64 real_base_ns;   /* real: CLOCK_MONOTONIC at creation */
};

void tn_clock_init(struct tn_clock *c, bool virtual_time);
u64 tn_clock_now(const struct tn_clock *c);
/* Virtual clocks only: move forward to t (never backward). */
void tn_clock_advance_to(struct tn_clock *c, u64 t_ns);
/* Host monotonic time in ns, for accounting work done (not protocol time). */
u64 tn_host_ns(void);

#endif
