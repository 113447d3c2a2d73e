/*
 * Object caches (lib/slab.c) on their own: objects have the exact rounded
 * size and are packed back to back in a chunk, come zeroed, are reused
 * last-freed-first, chunks grow by doubling up to their cap, and the
 * counters a stack's leak check relies on (active) follow allocs and frees.
 */
#include <stdlib.h>
#include <string.h>

#include "tn_test.h"
#include "lib/slab.h"

/* 100 bytes round up to 112; consecutive objects of one chunk are 112
 * bytes apart (no header between them). */
static void alloc_then_objects_packed_at_rounded_size(void **state)
{
	struct kmem_cache c;
	char *a, *b;

	(void)state;
	kmem_cache_init(&c, "t", 100);
	assert_int_equal(c.size, 112);
	a = kmem_cache_zalloc(&c);
	b = kmem_cache_zalloc(&c);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(b - a, 112);
	assert_int_equal((uintptr_t)a % KMEM_ALIGN, 0);
	assert_int_equal(c.active, 2);
	kmem_cache_free(&c, a);
	kmem_cache_free(&c, b);
	assert_int_equal(c.active, 0);
	kmem_cache_destroy(&c);
}

/* A freed object is the next one handed out, zeroed again. */
static void free_then_reused_zeroed(void **state)
{
	struct kmem_cache c;
	unsigned char *a, *b;

	(void)state;
	kmem_cache_init(&c, "t", 64);
	a = kmem_cache_zalloc(&c);
	memset(a, 0xab, 64);
	kmem_cache_free(&c, a);
	b = kmem_cache_zalloc(&c);
	assert_ptr_equal(a, b);
	for (int i = 0; i < 64; i++)
		assert_int_equal(b[i], 0);
	kmem_cache_free(&c, b);
	kmem_cache_destroy(&c);
}

/* 100,000 objects of 1168 bytes: every one distinct and writable, chunks
 * doubling from 8 KiB to 1 MiB, and the memory held within a chunk's worth
 * of the objects' own size. */
static void many_objects_then_chunks_grow_to_cap(void **state)
{
	enum { N = 100000, SZ = 1168 };
	struct kmem_cache c;
	char **o = calloc(N, sizeof(*o));

	(void)state;
	assert_non_null(o);
	kmem_cache_init(&c, "t", SZ);
	for (int i = 0; i < N; i++) {
		o[i] = kmem_cache_zalloc(&c);
		assert_non_null(o[i]);
		memcpy(o[i], &i, sizeof(i));
	}
	for (int i = 0; i < N; i++)
		assert_memory_equal(o[i], &i, sizeof(i));
	assert_int_equal(c.next_chunk, KMEM_CHUNK_MAX);
	assert_true(c.chunk_bytes >= (u64)N * SZ);
	assert_true(c.chunk_bytes < (u64)N * SZ + 2 * KMEM_CHUNK_MAX);
	for (int i = 0; i < N; i++)
		kmem_cache_free(&c, o[i]);
	assert_int_equal(c.active, 0);
	assert_int_equal(c.allocs, N);
	assert_int_equal(c.frees, N);
	kmem_cache_destroy(&c);
	assert_int_equal(c.chunk_bytes, 0);
	free(o);
}

/* An object larger than the first chunk still gets one of its own. */
static void object_larger_than_first_chunk_then_fits(void **state)
{
	struct kmem_cache c;
	char *a;

	(void)state;
	kmem_cache_init(&c, "t", 3 * KMEM_CHUNK_MIN);
	a = kmem_cache_zalloc(&c);
	assert_non_null(a);
	memset(a, 1, 3 * KMEM_CHUNK_MIN);
	kmem_cache_free(&c, a);
	kmem_cache_destroy(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(alloc_then_objects_packed_at_rounded_size),
		cmocka_unit_test(free_then_reused_zeroed),
		cmocka_unit_test(many_objects_then_chunks_grow_to_cap),
		cmocka_unit_test(object_larger_than_first_chunk_then_fits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
