/*
 * Allocation fault injection per stack, with the semantics of the kernel's
 * fault_attr (lib/fault-inject.c) reduced to what a deterministic test needs:
 * an interval and a budget of failures, no probability, no task filter. An
 * allocation site asks tn_should_fail() before allocating and treats a true
 * answer exactly like a failed malloc. This is not a general error injector:
 * only allocations consult it.
 */
#include "net/fault.h"
#include "net/stack.h"

/*
 * Arm (or with interval 0, disarm) a site. The call counter and the count of
 * injected failures start again from zero, so a test reads exactly what its
 * own setting caused.
 */
void tn_fault_set(struct tn_stack *st, enum tn_fault_site s, u32 interval, s32 times)
{
	struct tn_fault_attr *a;

	TN_BUG_ON((unsigned)s >= TN_FAULT__MAX || times < -1);
	a = &st->fault.site[s];
	a->interval = interval;
	a->times = times;
	a->calls = 0;
	a->injected = 0;
}

/*
 * As the kernel's should_fail(): an unarmed site or a spent budget never
 * fails; otherwise every interval-th call fails, and each failure uses up
 * one of the remaining times unless they are unlimited (-1).
 */
bool tn_should_fail(struct tn_stack *st, enum tn_fault_site s)
{
	struct tn_fault_attr *a;

	TN_BUG_ON((unsigned)s >= TN_FAULT__MAX);
	if (!st)
		return false;
	a = &st->fault.site[s];
	if (likely(a->interval == 0) || a->times == 0)
		return false;
	a->calls++;
	if (a->interval > 1 && a->calls % a->interval)
		return false;
	a->injected++;
	if (a->times > 0)
		a->times--;
	return true;
}
