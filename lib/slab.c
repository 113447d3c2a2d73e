/*
 * Object caches (lib/slab.h): exact-size objects carved from chunks, a free
 * list per cache. The kernel's SLUB keeps a free list per slab page and
 * gives empty pages back; this keeps one list per cache and gives memory
 * back at destroy, which is all a stack needs and costs nothing per object.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/slab.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TN_SLAB_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define TN_SLAB_ASAN 1
#endif
#ifdef TN_SLAB_ASAN
#include <sanitizer/asan_interface.h>
#define slab_poison(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define slab_unpoison(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define slab_poison(p, n) ((void)(p), (void)(n))
#define slab_unpoison(p, n) ((void)(p), (void)(n))
#endif

void kmem_cache_init(struct kmem_cache *c, const char *name, size_t obj_size)
{
	memset(c, 0, sizeof(*c));
	c->name = name;
	if (obj_size < sizeof(void *))
		obj_size = sizeof(void *);
	c->size = TN_ALIGN((u64)obj_size, (u64)KMEM_ALIGN);
	c->next_chunk = KMEM_CHUNK_MIN;
}

/* A new chunk to carve from: its first KMEM_ALIGN bytes link the chunk
 * list, the rest holds as many objects as fit. */
static bool kmem_cache_grow(struct kmem_cache *c)
{
	size_t bytes = c->next_chunk;
	char *chunk;

	while (bytes < KMEM_ALIGN + c->size)
		bytes *= 2;
	chunk = malloc(bytes);
	if (!chunk)
		return false;
	*(void **)chunk = c->chunks;
	c->chunks = chunk;
	c->carve = chunk + KMEM_ALIGN;
	c->carve_end = chunk + KMEM_ALIGN + (bytes - KMEM_ALIGN) / c->size * c->size;
	slab_poison(c->carve, (size_t)(c->carve_end - c->carve));
	c->chunk_bytes += bytes;
	if (c->next_chunk < KMEM_CHUNK_MAX)
		c->next_chunk *= 2;
	return true;
}

void *kmem_cache_zalloc(struct kmem_cache *c)
{
	void *obj = c->free;

	if (obj) {
		slab_unpoison(obj, c->size);
		c->free = *(void **)obj;
	} else {
		if (c->carve == c->carve_end && !kmem_cache_grow(c))
			return NULL;
		obj = c->carve;
		c->carve += c->size;
		slab_unpoison(obj, c->size);
	}
	memset(obj, 0, c->size);
	c->active++;
	c->allocs++;
	return obj;
}

void kmem_cache_free(struct kmem_cache *c, void *obj)
{
	if (!obj)
		return;
	*(void **)obj = c->free;
	c->free = obj;
	/* The link word stays readable; the rest is poisoned. */
	slab_poison((char *)obj + sizeof(void *), c->size - sizeof(void *));
	c->active--;
	c->frees++;
}

void kmem_cache_destroy(struct kmem_cache *c)
{
	void *chunk = c->chunks;

	while (chunk) {
		void *next = *(void **)chunk;

		free(chunk);
		chunk = next;
	}
	c->chunks = c->free = NULL;
	c->carve = c->carve_end = NULL;
	c->chunk_bytes = 0;
}
