/* Fixtures shared by the unit tests; see tn_test.h. */
#include <ctype.h>
#include <stdlib.h>
#include "tn_test.h"

struct tn_stack *tn_test_stack_new(void)
{
	struct tn_stack *st = tn_stack_alloc(true, 1);
	assert_non_null(st);
	tn_stack_lock(st);
	return st;
}

void tn_test_stack_free(struct tn_stack *st)
{
	do_softirq(st);
	tn_stack_unlock(st);
	assert_int_equal(tn_stack_free(st), 0);
}

void tn_test_run(struct tn_stack *st, u64 ms)
{
	tn_stack_run_until_locked(st, tn_now(st) + ms * TN_NSEC_PER_JIFFY);
}

size_t tn_test_hex(const char *hex, u8 *buf, size_t cap)
{
	size_t n = 0;
	while (*hex && n < cap) {
		while (*hex && !isxdigit((unsigned char)*hex))
			hex++;
		if (!hex[0] || !hex[1])
			break;
		char b[3] = { hex[0], hex[1], 0 };
		buf[n++] = (u8)strtoul(b, NULL, 16);
		hex += 2;
	}
	return n;
}
