/*
 * sk_buff allocation, sharing and the pointer arithmetic every layer uses to
 * add and strip headers (skb_put/push/pull/reserve/trim), in the kernel's
 * shape. See include/net/skbuff.h for the layout and its invariants.
 *
 * Memory comes from the stack's skb_cache: free lists of sk_buff structs and
 * of data buffers in a few size classes, so that the packet path reuses
 * memory instead of calling malloc for every frame. The lists are bounded,
 * so a burst returns its excess memory to the system once it is over; a
 * request larger than the biggest class is malloc'ed at its exact (aligned)
 * size and freed straight back. The cache counts what it hands out (a cache
 * hit is one struct or one buffer taken from a list; an allocation failure
 * is one failed request, injected or real), and the live count is what
 * every test checks at teardown.
 *
 * Every data buffer ends with a struct skb_shared_info at head + end, where
 * clones count their references to the buffer (dataref).
 *
 * This module is not a memory accountant for sockets (truesize is reported
 * here; charging it is the socket layer's work), and it has no paged
 * fragments: all data is linear, so len always equals the headlen.
 */
#include <errno.h>
#include <stdlib.h>

#include "net/skbuff.h"
#include "net/stack.h"
#include "net/netdevice.h"
#include "net/net_namespace.h"
#include "net/fault.h"
#include "net/dst.h"

/*
 * Under AddressSanitizer, memory resting in the cache is poisoned, so a use
 * after kfree_skb() is reported even though the memory was never returned to
 * malloc.
 */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TN_SKB_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define TN_SKB_ASAN 1
#endif
#ifdef TN_SKB_ASAN
#include <sanitizer/asan_interface.h>
#define skb_poison(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define skb_unpoison(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define skb_poison(p, n) ((void)(p), (void)(n))
#define skb_unpoison(p, n) ((void)(p), (void)(n))
#endif

/* Buffer ends are rounded to a cache line, which also aligns the shared
 * info that sits at head + end. */
#define SKB_DATA_ALIGN(x) TN_ALIGN((u64)(x), (u64)64)
#define SKB_SHINFO_SIZE SKB_DATA_ALIGN(sizeof(struct skb_shared_info))
/* No single packet needs more than this; a larger request is a length
 * computed from garbage and fails like an allocation failure. */
#define SKB_MAX_ALLOC (16u << 20)
/* size_class of a buffer that did not come from a class (exact malloc). */
#define SKB_CLASS_NONE SKB_CACHE_CLASSES
#define SKB_CACHE_MAX_FREE_SKBS 4096u

/* Usable bytes (head to end) of each size class: a small control packet, an
 * Ethernet frame with NET_SKB_PAD of headroom, then powers of two for GSO
 * packets of a few segments (so that no buffer is charged more than twice
 * what it holds: a receiver's window depends on it), a jumbo frame, and a
 * 64 KiB GSO packet together with the headers pushed in front of it. */
static const u32 skb_class_end[SKB_CACHE_CLASSES] = {
	512, 2048, 4096, 8192, 16384, 32768, 65536 + 512,
};
/* How many free buffers of each class the cache keeps (about 1-4 MiB per
 * class); the rest go back to the system. */
static const u32 skb_class_max_free[SKB_CACHE_CLASSES] = {
	2048, 1024, 512, 256, 256, 128, 64,
};

_Static_assert(sizeof(skb_class_end) / sizeof(skb_class_end[0]) == SKB_CACHE_CLASSES,
	       "one end per size class");
_Static_assert((sizeof(struct sk_buff) % _Alignof(struct sk_buff)) == 0,
	       "sk_buff size keeps alignment");

/* A data buffer between allocation and attachment to an sk_buff. */
struct skb_data {
	unsigned char *head;
	u32 end;
	u8 cls;
};

static u32 skb_truesize(u32 end)
{
	return (u32)(sizeof(struct sk_buff) + end + SKB_SHINFO_SIZE);
}

/* Smallest class that holds size bytes, SKB_CLASS_NONE if none does. */
static u8 skb_size_class(u64 size)
{
	for (u8 i = 0; i < SKB_CACHE_CLASSES; i++)
		if (size <= skb_class_end[i])
			return i;
	return SKB_CLASS_NONE;
}

/* Invariants of include/net/skbuff.h on the buffer, checked where a whole
 * skb is built, rebuilt or freed (users is checked where it changes). */
static void skb_check_layout(const struct sk_buff *skb)
{
	TN_BUG_ON(skb->data < skb->head);
	TN_BUG_ON(skb->tail > skb->end);
	TN_BUG_ON(skb->data > skb->head + skb->tail);
	TN_BUG_ON(skb->len != (u32)(skb->head + skb->tail - skb->data));
	TN_BUG_ON(skb_shinfo(skb)->dataref < 1);
}

/* ---- the cache ---------------------------------------------------------- */

void skb_cache_init(struct skb_cache *c)
{
	memset(c, 0, sizeof(*c));
}

/* Resting data buffers are linked through their first word; the rest stays
 * poisoned until the caller unpoisons the whole buffer. */
static void *skb_cache_pop(void **list)
{
	void *p = *list;

	*list = *(void **)p;
	return p;
}

static void skb_cache_push(void **list, void *p, size_t size)
{
	*(void **)p = *list;
	*list = p;
	skb_poison((char *)p + sizeof(void *), size - sizeof(void *));
}

/* Resting structs are linked through ->next (their first member), and
 * everything after the link is poisoned. */
static struct sk_buff *skb_struct_pop(struct skb_cache *c)
{
	struct sk_buff *skb = c->free_skbs;

	c->free_skbs = skb->next;
	c->nfree_skbs--;
	skb_unpoison(skb, sizeof(*skb));
	return skb;
}

static void skb_struct_push(struct skb_cache *c, struct sk_buff *skb)
{
	_Static_assert(offsetof(struct sk_buff, next) == 0, "link first");
	skb->next = c->free_skbs;
	c->free_skbs = skb;
	c->nfree_skbs++;
	skb_poison((char *)skb + sizeof(skb->next), sizeof(*skb) - sizeof(skb->next));
}

/*
 * Frees everything resting in the cache. Skbs still alive are not touched:
 * tn_stack_free() reports them as a leak, and they must not be freed after
 * the stack is gone.
 */
void skb_cache_destroy(struct skb_cache *c)
{
	while (c->free_skbs)
		free(skb_struct_pop(c));
	for (unsigned int i = 0; i < SKB_CACHE_CLASSES; i++) {
		while (c->free_data[i]) {
			void *p = skb_cache_pop(&c->free_data[i]);
			skb_unpoison(p, skb_class_end[i] + SKB_SHINFO_SIZE);
			free(p);
		}
		c->nfree_data[i] = 0;
	}
}

/* A data buffer for at least size bytes: from the class free list if there
 * is one, else from malloc. Counts a cache hit, not a failure. */
static int skb_data_get(struct skb_cache *c, u64 size, struct skb_data *d)
{
	d->cls = skb_size_class(size);
	d->end = d->cls == SKB_CLASS_NONE ? (u32)SKB_DATA_ALIGN(size) : skb_class_end[d->cls];
	if (d->cls != SKB_CLASS_NONE && c->free_data[d->cls]) {
		d->head = skb_cache_pop(&c->free_data[d->cls]);
		skb_unpoison(d->head, d->end + SKB_SHINFO_SIZE);
		c->nfree_data[d->cls]--;
		c->cache_hits++;
		return 0;
	}
	d->head = malloc(d->end + SKB_SHINFO_SIZE);
	return d->head ? 0 : -ENOMEM;
}

static void skb_data_put(struct skb_cache *c, unsigned char *head, u8 cls)
{
	if (cls == SKB_CLASS_NONE || c->nfree_data[cls] >= skb_class_max_free[cls]) {
		free(head);
		return;
	}
	skb_cache_push(&c->free_data[cls], head, skb_class_end[cls] + SKB_SHINFO_SIZE);
	c->nfree_data[cls]++;
}

/* A zeroed sk_buff struct, not yet counted as allocated. */
static struct sk_buff *skb_struct_get(struct skb_cache *c)
{
	struct sk_buff *skb;

	if (c->free_skbs) {
		skb = skb_struct_pop(c);
		c->cache_hits++;
	} else {
		skb = malloc(sizeof(*skb));
		if (!skb)
			return NULL;
	}
	memset(skb, 0, sizeof(*skb));
	return skb;
}

static void skb_struct_put(struct skb_cache *c, struct sk_buff *skb)
{
	if (c->nfree_skbs >= SKB_CACHE_MAX_FREE_SKBS) {
		free(skb);
		return;
	}
	skb_struct_push(c, skb);
}

static void skb_count_alloc(struct skb_cache *c)
{
	c->allocs++;
	c->live++;
}

/* Attach a fresh buffer to a fresh struct: an empty skb, the first and only
 * user of both. */
static void skb_attach_data(struct sk_buff *skb, struct tn_stack *st,
			    const struct skb_data *d)
{
	struct skb_shared_info *shinfo;

	skb->stack = st;
	skb->users = 1;
	skb->head = d->head;
	skb->data = d->head;
	skb->tail = 0;
	skb->end = d->end;
	skb->size_class = d->cls;
	skb->truesize = skb_truesize(d->end);
	skb->mac_header = SKB_HDR_UNSET;
	skb->network_header = SKB_HDR_UNSET;
	skb->transport_header = SKB_HDR_UNSET;
	shinfo = skb_shinfo(skb);
	memset(shinfo, 0, sizeof(*shinfo));
	shinfo->dataref = 1;
}

/* ---- allocation --------------------------------------------------------- */

/*
 * The fault hook is consulted once per allocation request, before any memory
 * is taken, so "fail the N-th skb allocation" means the N-th request whatever
 * it is made of.
 */
static struct sk_buff *__alloc_skb(struct tn_stack *st, u64 size)
{
	struct skb_cache *c = &st->skb_cache;
	struct sk_buff *skb;
	struct skb_data d;

	if (tn_should_fail(st, TN_FAULT_SKB) || size > SKB_MAX_ALLOC)
		goto fail;
	if (skb_data_get(c, size, &d))
		goto fail;
	skb = skb_struct_get(c);
	if (!skb)
		goto fail_data;
	skb_attach_data(skb, st, &d);
	skb_count_alloc(c);
	return skb;

fail_data:
	skb_data_put(c, d.head, d.cls);
fail:
	c->alloc_fails++;
	return NULL;
}

struct sk_buff *alloc_skb(struct tn_stack *st, unsigned int size)
{
	return __alloc_skb(st, size);
}

/* The size is widened before the pad is added, so a huge request fails in
 * __alloc_skb instead of wrapping around to a small one. */
struct sk_buff *netdev_alloc_skb(struct net_device *dev, unsigned int size)
{
	struct sk_buff *skb = __alloc_skb(dev->stack, (u64)size + NET_SKB_PAD);

	if (!skb)
		return NULL;
	skb_reserve(skb, NET_SKB_PAD);
	skb->dev = dev;
	return skb;
}

/* ---- freeing ------------------------------------------------------------ */

/* Drop this skb's reference to its buffer; the last one frees it. */
static void skb_release_data(struct sk_buff *skb)
{
	struct skb_shared_info *shinfo = skb_shinfo(skb);

	TN_BUG_ON(shinfo->dataref < 1);
	TN_BUG_ON(!skb->cloned && shinfo->dataref != 1);
	if (--shinfo->dataref)
		return;
	skb_data_put(&skb->stack->skb_cache, skb->head, skb->size_class);
}

/* The last user is gone: let go of the route, run the owner's destructor
 * (a socket uncharging truesize), then free. */
static void __kfree_skb(struct sk_buff *skb)
{
	struct skb_cache *c = &skb->stack->skb_cache;

	skb_check_layout(skb);
	skb_dst_drop(skb);
	if (skb->destructor)
		skb->destructor(skb);
	skb_release_data(skb);
	TN_BUG_ON(c->live == 0);
	c->live--;
	c->frees++;
	skb_struct_put(c, skb);
}

void tn_count_drop(struct net *net, enum skb_drop_reason reason)
{
	TN_BUG_ON((unsigned int)reason >= SKB_DROP_REASON_MAX);
	if (net)
		net->core.drops[reason]++;
}

/* A drop counts in the namespace the packet was in: its device's, or, for
 * a packet that never met a device, the stack's initial namespace (NULL
 * while the stack is being torn down, when nothing is counted). */
static void skb_count_drop(const struct sk_buff *skb, enum skb_drop_reason reason)
{
	struct net *net = skb->dev ? dev_net(skb->dev) : skb->stack->init_net;

	tn_count_drop(net, reason);
}

/*
 * As in Linux, only the last reference frees, and only the free is a drop:
 * an skb held by a tap and dropped by IP is one drop, when the tap lets go.
 */
void kfree_skb_reason(struct sk_buff *skb, enum skb_drop_reason reason)
{
	if (!skb)
		return;
	TN_BUG_ON((unsigned int)reason >= SKB_DROP_REASON_MAX);
	TN_BUG_ON(skb->users < 1);
	if (--skb->users)
		return;
	if (reason != SKB_NOT_DROPPED_YET && reason != SKB_CONSUMED)
		skb_count_drop(skb, reason);
	__kfree_skb(skb);
}

void kfree_skb(struct sk_buff *skb)
{
	kfree_skb_reason(skb, SKB_DROP_REASON_NOT_SPECIFIED);
}

void consume_skb(struct sk_buff *skb)
{
	kfree_skb_reason(skb, SKB_CONSUMED);
}

void skb_queue_purge_reason(struct sk_buff_head *q, enum skb_drop_reason reason)
{
	struct sk_buff *skb;

	while ((skb = __skb_dequeue(q)) != NULL)
		kfree_skb_reason(skb, reason);
}

/* ---- clones and copies -------------------------------------------------- */

/*
 * Give n every metadata field of old (header offsets, cb, marks, checksum
 * state, device) but n's own buffer d. Copying the whole struct and then
 * putting back what belongs to n means a field added to sk_buff is copied
 * without anyone remembering to list it here. Socket ownership is not
 * copied: the socket charged old's truesize and would be uncharged twice.
 * The route is shared, so the copy takes its own reference.
 */
static void skb_copy_header(struct sk_buff *n, const struct sk_buff *old,
			    const struct skb_data *d)
{
	memcpy(n, old, sizeof(*n));
	n->next = n->prev = NULL;
	n->sk = NULL;
	n->destructor = NULL;
	n->users = 1;
	n->cloned = 0;
	n->head = d->head;
	n->data = d->head + skb_headroom(old);
	n->end = d->end;
	n->size_class = d->cls;
	n->truesize = skb_truesize(d->end);
	memcpy(skb_shinfo(n), skb_shinfo(old), sizeof(struct skb_shared_info));
	skb_shinfo(n)->dataref = 1;
	if (n->dst)
		dst_hold(n->dst);
}

struct sk_buff *skb_clone(struct sk_buff *skb)
{
	struct skb_cache *c = &skb->stack->skb_cache;
	struct sk_buff *n;

	TN_BUG_ON(skb->users < 1);
	skb_check_layout(skb);
	if (tn_should_fail(skb->stack, TN_FAULT_SKB))
		goto fail;
	n = skb_struct_get(c);
	if (!n)
		goto fail;
	memcpy(n, skb, sizeof(*n));
	n->next = n->prev = NULL;
	n->sk = NULL;
	n->destructor = NULL;
	n->users = 1;
	n->cloned = 1;
	if (n->dst)
		dst_hold(n->dst);
	skb->cloned = 1;
	skb_shinfo(skb)->dataref++;
	skb_count_alloc(c);
	return n;

fail:
	c->alloc_fails++;
	return NULL;
}

/* The copy gets a buffer of the same size with the same headroom, so every
 * header offset (kept from head) stays valid unchanged. */
struct sk_buff *skb_copy(const struct sk_buff *skb)
{
	struct skb_cache *c = &skb->stack->skb_cache;
	struct sk_buff *n;
	struct skb_data d;

	skb_check_layout(skb);
	if (tn_should_fail(skb->stack, TN_FAULT_SKB))
		goto fail;
	if (skb_data_get(c, skb->end, &d))
		goto fail;
	n = skb_struct_get(c);
	if (!n)
		goto fail_data;
	skb_copy_header(n, skb, &d);
	memcpy(n->head, skb->head, skb->tail);
	skb_count_alloc(c);
	return n;

fail_data:
	skb_data_put(c, d.head, d.cls);
fail:
	c->alloc_fails++;
	return NULL;
}

/* Header offsets count from head: nhead new bytes in front move them all. */
static void skb_headers_shift(struct sk_buff *skb, u32 off)
{
	if (skb->mac_header != SKB_HDR_UNSET)
		skb->mac_header += off;
	if (skb->network_header != SKB_HDR_UNSET)
		skb->network_header += off;
	if (skb->transport_header != SKB_HDR_UNSET)
		skb->transport_header += off;
	if (skb->ip_summed == CHECKSUM_PARTIAL)
		skb->csum_start = (u16)(skb->csum_start + off);
}

/*
 * Move the packet to a new private buffer with nhead more bytes of headroom
 * and ntail more of tailroom, as Linux's pskb_expand_head(): the old buffer
 * loses one reference, every offset and pointer follows the bytes, and the
 * skb is no longer cloned. The struct must not be shared (its other users
 * would see the buffer change under them). On failure nothing changes.
 *
 * truesize follows the new buffer only while no socket is charged for it:
 * the socket uncharges exactly what it charged.
 */
int pskb_expand_head(struct sk_buff *skb, unsigned int nhead, unsigned int ntail)
{
	struct skb_cache *c = &skb->stack->skb_cache;
	u64 size = (u64)nhead + skb->end + ntail;
	u32 data_off = skb_headroom(skb);
	struct skb_shared_info shinfo;
	struct skb_data d;

	TN_BUG_ON(skb->users != 1);
	skb_check_layout(skb);
	if (tn_should_fail(skb->stack, TN_FAULT_SKB) || size > SKB_MAX_ALLOC)
		goto fail;
	if (skb_data_get(c, size, &d))
		goto fail;
	memcpy(d.head + nhead, skb->head, skb->tail);
	shinfo = *skb_shinfo(skb);
	skb_release_data(skb);

	skb->head = d.head;
	skb->data = d.head + nhead + data_off;
	skb->tail += nhead;
	skb->end = d.end;
	skb->size_class = d.cls;
	skb->cloned = 0;
	skb_headers_shift(skb, nhead);
	if (!skb->sk)
		skb->truesize = skb_truesize(d.end);
	*skb_shinfo(skb) = shinfo;
	skb_shinfo(skb)->dataref = 1;
	return 0;

fail:
	c->alloc_fails++;
	return -ENOMEM;
}

int skb_unclone(struct sk_buff *skb)
{
	if (!skb_cloned(skb))
		return 0;
	return pskb_expand_head(skb, 0, 0);
}

/*
 * Grow the headroom in steps of NET_SKB_PAD, as Linux's __skb_cow() does, so
 * a packet that is about to be encapsulated twice reallocates once.
 */
int skb_cow_head(struct sk_buff *skb, unsigned int headroom)
{
	unsigned int delta = 0;

	if (headroom > skb_headroom(skb))
		delta = headroom - skb_headroom(skb);
	if (!delta && !skb_cloned(skb))
		return 0;
	return pskb_expand_head(skb, TN_ALIGN(delta, NET_SKB_PAD), 0);
}

/* ---- moving data and tail ----------------------------------------------- */

void skb_reserve(struct sk_buff *skb, unsigned int len)
{
	TN_BUG_ON(skb->len != 0);
	TN_BUG_ON(len > skb_tailroom(skb));
	skb->data += len;
	skb->tail += len;
}

void *skb_put(struct sk_buff *skb, unsigned int len)
{
	unsigned char *tmp = skb_tail_pointer(skb);

	TN_BUG_ON(len > skb_tailroom(skb));
	skb->tail += len;
	skb->len += len;
	return tmp;
}

void *skb_put_data(struct sk_buff *skb, const void *data, unsigned int len)
{
	void *tmp = skb_put(skb, len);

	if (len)
		memcpy(tmp, data, len);
	return tmp;
}

void *skb_put_zero(struct sk_buff *skb, unsigned int len)
{
	void *tmp = skb_put(skb, len);

	memset(tmp, 0, len);
	return tmp;
}

void *skb_push(struct sk_buff *skb, unsigned int len)
{
	TN_BUG_ON(len > skb_headroom(skb));
	skb->data -= len;
	skb->len += len;
	return skb->data;
}

/* Short data is a malformed packet, not a bug: the caller drops it. */
void *skb_pull(struct sk_buff *skb, unsigned int len)
{
	if (len > skb->len)
		return NULL;
	skb->data += len;
	skb->len -= len;
	return skb->data;
}

void skb_trim(struct sk_buff *skb, unsigned int len)
{
	if (skb->len <= len)
		return;
	skb->len = len;
	skb->tail = (u32)(skb->data - skb->head) + len;
}
