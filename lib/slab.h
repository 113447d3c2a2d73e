/*
 * Object caches in the shape of the kernel's kmem_cache: every object of a
 * cache has one exact size, objects are carved one after another from large
 * chunks (no malloc header, no size-class rounding beyond 16 bytes), and a
 * freed object goes on the cache's free list for the next allocation. This
 * is what a million idle sockets cost in memory: the object and nothing
 * around it.
 *
 * Chunks start small (a stack with two sockets commits 8 KiB) and double up
 * to 1 MiB. Memory comes back to the system when the cache is destroyed
 * (with its stack), not when a chunk empties: Linux gives empty slabs back,
 * tuxnet keeps them for the next burst. Under AddressSanitizer free objects
 * and uncarved space are poisoned, so a use after free is still reported.
 *
 * Not thread-safe on its own: the owner's lock (the stack lock) is held.
 */
#ifndef TN_LIB_SLAB_H
#define TN_LIB_SLAB_H

#include <stddef.h>
#include "net/compiler.h"

#define KMEM_ALIGN 16u                /* objects and chunk payloads, as malloc */
#define KMEM_CHUNK_MIN (8u << 10)
#define KMEM_CHUNK_MAX (1u << 20)

struct kmem_cache {
	const char *name;
	size_t size;                  /* object size, a multiple of KMEM_ALIGN */
	void *free;                   /* free objects, linked through their first word */
	void *chunks;                 /* chunks, linked through their first word */
	char *carve;                  /* next never-used object of the newest chunk */
	char *carve_end;
	size_t next_chunk;            /* bytes of the next chunk */
	u64 active;                   /* objects handed out and not freed */
	u64 allocs, frees;
	u64 chunk_bytes;              /* memory the cache holds */
};

/* A cache of objects of obj_size bytes (rounded up to KMEM_ALIGN). */
void kmem_cache_init(struct kmem_cache *c, const char *name, size_t obj_size);
/* A zeroed object, or NULL when memory runs out. */
void *kmem_cache_zalloc(struct kmem_cache *c);
void kmem_cache_free(struct kmem_cache *c, void *obj);
/* Give every chunk back; objects still active are gone with them (the
 * owner checks its own live counts first). */
void kmem_cache_destroy(struct kmem_cache *c);

#endif
