/*
 * The stack's clock (include/net/clock.h): one per stack, nanoseconds since
 * the stack was created. A real clock reads the host's CLOCK_MONOTONIC minus
 * the moment of creation; a virtual clock holds a number that only the stack
 * moves, forward, when it decides that time has passed (in virtual time,
 * when every task waits and the next timer is due). It is not a wall clock:
 * nothing here knows the date, and nothing jumps when the host's time is set.
 */
#include <time.h>

#include "net/clock.h"

u64 tn_host_ns(void)
{
	struct timespec ts;

	/* CLOCK_MONOTONIC cannot fail on Linux for a valid timespec. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ull + (u64)ts.tv_nsec;
}

void tn_clock_init(struct tn_clock *c, bool virtual_time)
{
	c->virtual_time = virtual_time;
	c->cached = false;
	c->cache_ns = 0;
	c->virt_ns = 0;
	c->real_base_ns = virtual_time ? 0 : tn_host_ns();
}

u64 tn_clock_now(const struct tn_clock *c)
{
	if (c->virtual_time)
		return c->virt_ns;
	if (c->cached)
		return c->cache_ns;
	return tn_host_ns() - c->real_base_ns;
}

/*
 * Moving a real clock is meaningless and moving any clock backwards would
 * let timers fire twice, so both are ignored rather than treated as bugs:
 * the drivers of time (run_until and friends) call this without first asking
 * which kind of clock they hold.
 */
void tn_clock_advance_to(struct tn_clock *c, u64 t_ns)
{
	if (!c->virtual_time || t_ns <= c->virt_ns)
		return;
	c->virt_ns = t_ns;
}
