/*
 * Fault injection, in the spirit of the kernel's fault_attr: make the N-th
 * (then every interval-th) allocation at a site fail, a bounded number of
 * times. Tests use it to show that a failed allocation is a counted drop or a
 * clean error, never a crash or a leak.
 */
#ifndef TN_NET_FAULT_H
#define TN_NET_FAULT_H

#include "net/compiler.h"

struct tn_stack;

enum tn_fault_site {
	TN_FAULT_SKB,        /* sk_buff struct or data buffer */
	TN_FAULT_SOCK,       /* socket structures */
	TN_FAULT_NEIGH,      /* neighbour entries */
	TN_FAULT_GENERIC,    /* other control-plane allocations */
	TN_FAULT__MAX,
};

struct tn_fault_attr {
	u32 interval;   /* 0: off; 1: every call fails; N: every N-th call */
	s32 times;      /* failures left; -1 for no limit */
	u32 calls;
	u64 injected;   /* failures injected so far */
};

struct tn_fault {
	struct tn_fault_attr site[TN_FAULT__MAX];
};

void tn_fault_set(struct tn_stack *st, enum tn_fault_site s, u32 interval, s32 times);
bool tn_should_fail(struct tn_stack *st, enum tn_fault_site s);

#endif
