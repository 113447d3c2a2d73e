/*
 * Shared fixtures for the unit tests (cmocka). Every test builds its own
 * stack and ends with tn_test_stack_free(), which fails the test if any skb
 * is still alive (the lwIP habit: a leak is a failure, not a warning).
 */
#ifndef TN_TESTS_TN_TEST_H
#define TN_TESTS_TN_TEST_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "net/stack.h"
#include "net/net_namespace.h"

/* A stack on a virtual clock, lock held by the caller thread for the whole
 * test (tests are process context). */
struct tn_stack *tn_test_stack_new(void);
/* Asserts no skb is alive, then frees the stack (and releases the lock). */
void tn_test_stack_free(struct tn_stack *st);
/* Run softirq work until nothing is pending, then advance virtual time by
 * ms milliseconds, running everything due on the way. */
void tn_test_run(struct tn_stack *st, u64 ms);
/* Parse "aa bb cc ..." hex into buf; returns the length. */
size_t tn_test_hex(const char *hex, u8 *buf, size_t cap);

#endif
