/*
 * sk_buff: layout after every pointer operation, clones and copies, header
 * offsets across reallocation, queues, the per-stack cache, drop counting by
 * namespace, and allocation failure under fault injection. Every test ends
 * in tn_test_stack_free(), which fails if an skb is still alive.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>

#include "tn_test.h"
#include "net/skbuff.h"
#include "net/fault.h"
#include "net/dst.h"

#if defined(__SANITIZE_ADDRESS__)
#define TN_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TN_TEST_ASAN 1
#endif
#endif
#ifndef TN_TEST_ASAN
#define TN_TEST_ASAN 0
#endif

/* The invariants of include/net/skbuff.h, checked from the outside. */
static void assert_layout(const struct sk_buff *skb)
{
	assert_true(skb->head <= skb->data);
	assert_true(skb->data <= skb->head + skb->tail);
	assert_true(skb->tail <= skb->end);
	assert_int_equal(skb->len, (u32)(skb->head + skb->tail - skb->data));
	assert_true(skb->users >= 1);
	assert_true(skb_shinfo(skb)->dataref >= 1);
}

static void fill_pattern(u8 *buf, size_t n, u8 seed)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = (u8)(seed + i * 7);
}

static struct skb_cache *cache(struct tn_stack *st)
{
	return &st->skb_cache;
}

/* A packet as IP would leave it: `hdr` bytes of headroom, 20 bytes of
 * network header and 20 of transport header, offsets set. */
static struct sk_buff *ip_tcp_skb(struct tn_stack *st, unsigned int hdr)
{
	u8 bytes[40];
	struct sk_buff *skb = alloc_skb(st, 256);

	assert_non_null(skb);
	skb_reserve(skb, hdr);
	fill_pattern(bytes, sizeof(bytes), 0x40);
	skb_put_data(skb, bytes, sizeof(bytes));
	skb_reset_network_header(skb);
	skb_set_transport_header(skb, 20);
	return skb;
}

/* ---- allocation and layout ---------------------------------------------- */

static void test_fresh_alloc_then_layout_is_empty(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	u64 allocs = cache(st)->allocs, live = cache(st)->live;
	struct sk_buff *skb = alloc_skb(st, 100);

	assert_non_null(skb);
	assert_layout(skb);
	assert_ptr_equal(skb->data, skb->head);
	assert_int_equal(skb->len, 0);
	assert_int_equal(skb->tail, 0);
	assert_true(skb->end >= 100);
	assert_int_equal(skb_headroom(skb), 0);
	assert_int_equal(skb_tailroom(skb), skb->end);
	assert_int_equal(skb->users, 1);
	assert_int_equal(skb_shinfo(skb)->dataref, 1);
	assert_int_equal(skb_shinfo(skb)->gso_size, 0);
	assert_int_equal((uintptr_t)skb_shinfo(skb) % _Alignof(struct skb_shared_info), 0);
	assert_int_equal(skb->mac_header, SKB_HDR_UNSET);
	assert_int_equal(skb->network_header, SKB_HDR_UNSET);
	assert_int_equal(skb->transport_header, SKB_HDR_UNSET);
	assert_false(skb_mac_header_was_set(skb));
	assert_ptr_equal(skb->stack, st);
	assert_null(skb->dev);
	assert_null(skb->next);
	assert_false(skb_cloned(skb));
	assert_false(skb_shared(skb));
	assert_true(skb->truesize >= sizeof(struct sk_buff) + skb->end +
				     sizeof(struct skb_shared_info));
	assert_int_equal(cache(st)->allocs, allocs + 1);
	assert_int_equal(cache(st)->live, live + 1);
	consume_skb(skb);
	assert_int_equal(cache(st)->live, live);
	tn_test_stack_free(st);
}

static void test_reserved_skb_push_pull_then_round_trip(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct sk_buff *skb = alloc_skb(st, 200);
	static const u8 payload[5] = { 'h', 'e', 'l', 'l', 'o' };
	u8 *p;

	skb_reserve(skb, 64);
	assert_int_equal(skb_headroom(skb), 64);
	assert_int_equal(skb->len, 0);
	assert_layout(skb);

	p = skb_put_data(skb, payload, sizeof(payload));
	assert_ptr_equal(p, skb->head + 64);
	assert_int_equal(skb->len, 5);
	assert_int_equal(skb->tail, 69);
	assert_layout(skb);

	p = skb_push(skb, 8);
	memset(p, 0x11, 8);
	skb_reset_transport_header(skb);
	p = skb_push(skb, 14);
	memset(p, 0x22, 14);
	skb_reset_mac_header(skb);
	assert_int_equal(skb_headroom(skb), 64 - 22);
	assert_int_equal(skb->len, 27);
	assert_int_equal(skb->mac_header, 42);
	assert_int_equal(skb->transport_header, 56);
	assert_layout(skb);

	u8 expect[27];
	memset(expect, 0x22, 14);
	memset(expect + 14, 0x11, 8);
	memcpy(expect + 22, payload, 5);
	assert_memory_equal(skb->data, expect, sizeof(expect));

	p = skb_pull(skb, 14);
	assert_ptr_equal(p, skb_transport_header(skb));
	assert_int_equal(skb_transport_offset(skb), 0);
	p = skb_pull(skb, 8);
	assert_memory_equal(p, payload, 5);
	assert_int_equal(skb_headroom(skb), 64);
	assert_int_equal(skb->len, 5);
	assert_int_equal(skb->tail, 69);
	assert_layout(skb);
	kfree_skb(skb);
	tn_test_stack_free(st);
}

static void test_short_skb_pull_then_null_and_unchanged(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct sk_buff *skb = alloc_skb(st, 100);

	skb_put_zero(skb, 10);
	unsigned char *data = skb->data;
	assert_null(skb_pull(skb, 11));
	assert_ptr_equal(skb->data, data);
	assert_int_equal(skb->len, 10);
	assert_ptr_equal(skb_pull(skb, 0), data);
	assert_ptr_equal(skb_pull(skb, 10), data + 10);
	assert_int_equal(skb->len, 0);
	assert_null(skb_pull(skb, 1));
	assert_layout(skb);
	consume_skb(skb);
	tn_test_stack_free(st);
}

static void test_skb_trim_then_longer_noop_shorter_moves_tail(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct sk_buff *skb = alloc_skb(st, 100);

	skb_reserve(skb, 10);
	skb_put_zero(skb, 50);
	skb_trim(skb, 60);
	assert_int_equal(skb->len, 50);
	assert_int_equal(skb->tail, 60);
	skb_trim(skb, 50);
	assert_int_equal(skb->len, 50);
	skb_trim(skb, 20);
	assert_int_equal(skb->len, 20);
	assert_int_equal(skb->tail, 30);
	assert_layout(skb);
	skb_trim(skb, 0);
	assert_int_equal(skb->len, 0);
	assert_int_equal(skb->tail, 10);
	assert_layout(skb);
	consume_skb(skb);
	tn_test_stack_free(st);
}

static void test_full_tailroom_put_then_exactly_fits(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct sk_buff *skb = alloc_skb(st, 100);
	unsigned int room = skb_tailroom(skb);

	skb_put(skb, room);
	assert_int_equal(skb_tailroom(skb), 0);
	assert_int_equal(skb->tail, skb->end);
	assert_int_equal(skb->len, room);
	assert_layout(skb);
	assert_ptr_equal(skb_put(skb, 0), skb->head + skb->end);
	consume_skb(skb);
	tn_test_stack_free(st);
}

static void test_netdev_alloc_then_pad_reserved_and_dev_set(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = calloc(1, sizeof(*dev));

	dev->stack = st;
	dev->nd_net = st->init_net;
	struct sk_buff *skb = netdev_alloc_skb(dev, 1514);
	assert_non_null(skb);
	assert_int_equal(skb_headroom(skb), NET_SKB_PAD);
	assert_true(skb_tailroom(skb) >= 1514);
	assert_ptr_equal(skb->dev, dev);
	assert_int_equal(skb->len, 0);
	assert_layout(skb);
	consume_skb(skb);

	u64 fails = cache(st)->alloc_fails;
	tn_fault_set(st, TN_FAULT_SKB, 1, 1);
	assert_null(netdev_alloc_skb(dev, 60));
	assert_null(netdev_alloc_skb(dev, 0xffffffffu - 10));
	assert_int_equal(cache(st)->alloc_fails, fails + 2);
	free(dev);
	tn_test_stack_free(st);
}

/* ---- the cache ---------------------------------------------------------- */

static void test_freed_skb_then_alloc_hits_cache(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct sk_buff *skb = alloc_skb(st, 300);
	struct sk_buff *first = skb;
	unsigned char *head = skb->head;
	u64 hits = cache(st)->cache_hits, frees = cache(st)->frees;

	consume_skb(skb);
	assert_int_equal(cache(st)->frees, frees + 1);
	skb = alloc_skb(st, 300);
	assert_ptr_equal(skb, first);
	assert_ptr_equal(skb->head, head);
	/* One hit for the struct and one for the data buffer. */
	assert_int_equal(cache(st)->cache_hits, hits + 2);
	assert_int_equal(skb->len, 0);
	assert_int_equal(skb->users, 1);
	assert_int_equal(skb_shinfo(skb)->dataref, 1);
	assert_int_equal(skb->network_header, SKB_HDR_UNSET);
	consume_skb(skb);
	tn_test_stack_free(st);
}

static void test_reused_buffer_put_zero_then_old_bytes_cleared(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct sk_buff *skb = alloc_skb(st, 100);
	unsigned int room = skb_tailroom(skb);

	memset(skb_put(skb, room), 0xaa, room);
	consume_skb(skb);
	skb = alloc_skb(st, 100);
	u8 *p = skb_put_zero(skb, room);
	for (unsigned int i = 0; i < room; i++)
		assert_int_equal(p[i], 0);
	consume_skb(skb);
	tn_test_stack_free(st);
}

static void test_large_alloc_then_exact_buffer_not_cached(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	enum { BIG = 200000 };
	u32 nfree[SKB_CACHE_CLASSES];
	u8 *pattern = malloc(BIG);
	struct sk_buff *skb = alloc_skb(st, BIG);

	assert_non_null(skb);
	assert_true(skb->end >= BIG);
	assert_true(skb->end < BIG + 4096);
	assert_true(skb->truesize >= BIG);
	fill_pattern(pattern, BIG, 3);
	skb_put_data(skb, pattern, BIG);
	assert_memory_equal(skb->data, pattern, BIG);
	assert_layout(skb);

	memcpy(nfree, cache(st)->nfree_data, sizeof(nfree));
	consume_skb(skb);
	assert_memory_equal(cache(st)->nfree_data, nfree, sizeof(nfree));
	free(pattern);
	tn_test_stack_free(st);
}

static void test_oversized_alloc_then_null_and_counted(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	u64 fails = cache(st)->alloc_fails, live = cache(st)->live;

	assert_null(alloc_skb(st, 0xffffffffu));
	assert_int_equal(cache(st)->alloc_fails, fails + 1);
	assert_int_equal(cache(st)->live, live);
	tn_test_stack_free(st);
}

static void test_burst_freed_then_cache_is_bounded(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	enum { BURST = 5000 };
	struct sk_buff **v = calloc(BURST, sizeof(*v));
	u64 live = cache(st)->live;

	for (int i = 0; i < BURST; i++) {
		v[i] = alloc_skb(st, 100);
		assert_non_null(v[i]);
	}
	assert_int_equal(cache(st)->live, live + BURST);
	for (int i = 0; i < BURST; i++)
		consume_skb(v[i]);
	assert_int_equal(cache(st)->live, live);
	assert_true(cache(st)->nfree_skbs > 0);
	assert_true(cache(st)->nfree_skbs < BURST);
	assert_true(cache(st)->nfree_data[0] > 0);
	assert_true(cache(st)->nfree_data[0] < BURST);
	free(v);
	tn_test_stack_free(st);
}

/* ---- fault injection ---------------------------------------------------- */

static void test_fault_injected_then_alloc_null_and_nothing_leaked(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	u64 fails = cache(st)->alloc_fails, live = cache(st)->live;
	u64 allocs = cache(st)->allocs;

	tn_fault_set(st, TN_FAULT_SKB, 1, 1);
	assert_null(alloc_skb(st, 100));
	assert_int_equal(cache(st)->alloc_fails, fails + 1);
	assert_int_equal(cache(st)->live, live);
	assert_int_equal(cache(st)->allocs, allocs);

	/* The fault was good for one failure only. */
	struct sk_buff *skb = alloc_skb(st, 100);
	assert_non_null(skb);
	consume_skb(skb);
	tn_test_stack_free(st);
}

static void test_fault_injected_then_clone_null_and_skb_untouched(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct sk_buff *skb = ip_tcp_skb(st, 16);
	u64 fails = cache(st)->alloc_fails, live = cache(st)->live;

	tn_fault_set(st, TN_FAULT_SKB, 1, 1);
	assert_null(skb_clone(skb));
	assert_int_equal(cache(st)->alloc_fails, fails + 1);
	assert_int_equal(cache(st)->live, live);
	assert_int_equal(skb->cloned, 0);
	assert_int_equal(skb_shinfo(skb)->dataref, 1);
	assert_false(skb_cloned(skb));
	kfree_skb(skb);
	tn_test_stack_free(st);
}

static void test_fault_injected_then_copy_null(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct sk_buff *skb = ip_tcp_skb(st, 16);
	u64 fails = cache(st)->alloc_fails, live = cache(st)->live;

	tn_fault_set(st, TN_FAULT_SKB, 1, 1);
	assert_null(skb_copy(skb));
	assert_int_equal(cache(st)->alloc_fails, fails + 1);
	assert_int_equal(cache(st)->live, live);
	kfree_skb(skb);
	tn_test_stack_free(st);
}

static void test_fault_injected_then_unclone_enomem_and_still_cloned(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct sk_buff *skb = ip_tcp_skb(st, 16);
	struct sk_buff *clone = skb_clone(skb);
	unsigned char *head = skb->head, *data = skb->data;

	tn_fault_set(st, TN_FAULT_SKB, 1, 1);
	assert_int_equal(skb_unclone(skb), -ENOMEM);
	assert_ptr_equal(skb->head, head);
	assert_ptr_equal(skb->data, data);
	assert_true(skb_cloned(skb));
	assert_int_equal(skb_shinfo(skb)->dataref, 2);
	assert_int_equal(skb_unclone(skb), 0);
	assert_false(skb_cloned(skb));
	kfree_skb(clone);
	kfree_skb(skb);
	tn_test_stack_free(st);
}

static void test_fault_injected_then_cow_head_enomem_and_unchanged(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct sk_buff *skb = ip_tcp_skb(st, 16);
	unsigned char *head = skb->head, *data = skb->data;
	u32 nh = skb->network_header, th = skb->transport_header, truesize = skb->truesize;
	u64 fails = cache(st)->alloc_fails;

	tn_fault_set(st, TN_FAULT_SKB, 1, 1);
	assert_int_equal(skb_cow_head(skb, 100), -ENOMEM);
	assert_int_equal(cache(st)->alloc_fails, fails + 1);
	assert_ptr_equal(skb->head, head);
	assert_ptr_equal(skb->data, data);
	assert_int_equal(skb->network_header, nh);
	assert_int_equal(skb->transport_header, th);
	assert_int_equal(skb->truesize, truesize);
	assert_int_equal(skb_headroom(skb), 16);
	assert_layout(skb);
	kfree_skb(skb);
	tn_test_stack_free(st);
}

/* ---- clones and copies -------------------------------------------------- */

static void test_headers_set_then_clone_shares_data_and_metadata(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct sk_buff *skb = ip_tcp_skb(st, 30);
	int sock_stand_in;

	skb_reset_mac_header(skb);
	skb->protocol = 0x0800;
	skb->pkt_type = PACKET_BROADCAST;
	skb->ip_summed = CHECKSUM_UNNECESSARY;
	skb->priority = 6;
	skb->mark = 0x1234;
	skb->hash = 0xdeadbeef;
	skb->tstamp = 42;
	skb->skb_iif = 3;
	memset(skb->cb, 0x5a, sizeof(skb->cb));
	skb->sk = (struct sock *)&sock_stand_in;

	struct sk_buff *clone = skb_clone(skb);
	assert_non_null(clone);
	assert_ptr_not_equal(clone, skb);
	assert_ptr_equal(clone->head, skb->head);
	assert_ptr_equal(clone->data, skb->data);
	assert_int_equal(clone->len, skb->len);
	assert_int_equal(clone->tail, skb->tail);
	assert_int_equal(clone->end, skb->end);
	assert_int_equal(clone->mac_header, skb->mac_header);
	assert_int_equal(clone->network_header, skb->network_header);
	assert_int_equal(clone->transport_header, skb->transport_header);
	assert_ptr_equal(skb_network_header(clone), skb_network_header(skb));
	assert_int_equal(clone->protocol, 0x0800);
	assert_int_equal(clone->pkt_type, PACKET_BROADCAST);
	assert_int_equal(clone->ip_summed, CHECKSUM_UNNECESSARY);
	assert_int_equal(clone->priority, 6);
	assert_int_equal(clone->mark, 0x1234);
	assert_int_equal(clone->hash, 0xdeadbeef);
	assert_int_equal(clone->tstamp, 42);
	assert_int_equal(clone->skb_iif, 3);
	assert_memory_equal(clone->cb, skb->cb, sizeof(skb->cb));
	assert_int_equal(clone->truesize, skb->truesize);
	/* The socket's charge stays with the original. */
	assert_null(clone->sk);
	assert_null(clone->destructor);
	assert_null(clone->next);
	assert_int_equal(clone->users, 1);
	assert_true(skb_cloned(skb));
	assert_true(skb_cloned(clone));
	assert_int_equal(skb_shinfo(skb)->dataref, 2);
	assert_layout(clone);
	assert_layout(skb);

	skb->sk = NULL;
	kfree_skb(clone);
	assert_int_equal(skb_shinfo(skb)->dataref, 1);
	assert_false(skb_cloned(skb));
	kfree_skb(skb);
	tn_test_stack_free(st);
}

static void test_original_freed_first_then_clone_still_reads_data(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct sk_buff *skb = ip_tcp_skb(st, 16);
	u8 expect[40];
	struct sk_buff *clone = skb_clone(skb);
	struct sk_buff *clone2 = skb_clone(clone);

	memcpy(expect, skb->data, sizeof(expect));
	assert_int_equal(skb_shinfo(skb)->dataref, 3);
	kfree_skb(skb);
	assert_int_equal(skb_shinfo(clone)->dataref, 2);
	kfree_skb(clone2);
	assert_int_equal(skb_shinfo(clone)->dataref, 1);
	assert_memory_equal(clone->data, expect, sizeof(expect));
	kfree_skb(clone);
	tn_test_stack_free(st);
}

static void test_cloned_skb_unclone_then_writes_are_private(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct sk_buff *skb = ip_tcp_skb(st, 16);
	struct sk_buff *clone = skb_clone(skb);
	u8 before[40];

	memcpy(before, clone->data, sizeof(before));
	assert_int_equal(skb_unclone(skb), 0);
	assert_ptr_not_equal(skb->head, clone->head);
	assert_false(skb_cloned(skb));
	assert_int_equal(skb->cloned, 0);
	assert_int_equal(skb_shinfo(skb)->dataref, 1);
	assert_int_equal(skb_shinfo(clone)->dataref, 1);
	assert_false(skb_cloned(clone));
	assert_int_equal(skb_headroom(skb), 16);
	assert_int_equal(skb->network_header, clone->network_header);
	assert_int_equal(skb->transport_header, clone->transport_header);
	assert_memory_equal(skb->data, before, sizeof(before));
	assert_layout(skb);

	memset(skb->data, 0xee, skb->len);
	assert_memory_equal(clone->data, before, sizeof(before));
	kfree_skb(clone);
	kfree_skb(skb);
	tn_test_stack_free(st);
}

static void test_private_skb_unclone_then_nothing_changes(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct sk_buff *skb = ip_tcp_skb(st, 16);
	unsigned char *head = skb->head;
	u64 allocs = cache(st)->allocs;

	assert_int_equal(skb_unclone(skb), 0);
	assert_ptr_equal(skb->head, head);

	/* A clone that has gone leaves the original private again. */
	kfree_skb(skb_clone(skb));
	assert_int_equal(skb->cloned, 1);
	assert_int_equal(skb_unclone(skb), 0);
	assert_ptr_equal(skb->head, head);
	assert_int_equal(cache(st)->allocs, allocs + 1);
	kfree_skb(skb);
	tn_test_stack_free(st);
}

static void test_skb_copy_then_private_identical_bytes_and_metadata(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct sk_buff *skb = ip_tcp_skb(st, 24);
	int sock_stand_in;

	memset(skb->head, 0x77, 24);   /* headroom bytes travel too */
	skb->protocol = 0x86dd;
	skb->mark = 9;
	memset(skb->cb, 0x3c, sizeof(skb->cb));
	skb_shinfo(skb)->gso_size = 1448;
	skb_shinfo(skb)->gso_segs = 3;
	skb->sk = (struct sock *)&sock_stand_in;

	struct sk_buff *n = skb_copy(skb);
	assert_non_null(n);
	assert_ptr_not_equal(n->head, skb->head);
	assert_int_equal(skb_headroom(n), 24);
	assert_int_equal(n->len, skb->len);
	assert_int_equal(n->tail, skb->tail);
	assert_int_equal(n->end, skb->end);
	assert_memory_equal(n->head, skb->head, skb->tail);
	assert_int_equal(n->network_header, skb->network_header);
	assert_int_equal(n->transport_header, skb->transport_header);
	assert_int_equal(n->mac_header, SKB_HDR_UNSET);
	assert_int_equal(n->protocol, 0x86dd);
	assert_int_equal(n->mark, 9);
	assert_memory_equal(n->cb, skb->cb, sizeof(skb->cb));
	assert_int_equal(skb_shinfo(n)->gso_size, 1448);
	assert_int_equal(skb_shinfo(n)->gso_segs, 3);
	assert_int_equal(skb_shinfo(n)->dataref, 1);
	assert_null(n->sk);
	assert_false(skb_cloned(n));
	assert_false(skb_cloned(skb));
	assert_layout(n);

	memset(n->data, 0, n->len);
	assert_int_equal(skb->data[0], 0x40);
	skb->sk = NULL;
	kfree_skb(n);
	kfree_skb(skb);
	tn_test_stack_free(st);
}

static void test_large_skb_copy_then_same_end(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct sk_buff *skb = alloc_skb(st, 100000);

	skb_reserve(skb, 128);
	memset(skb_put(skb, 90000), 0x19, 90000);
	struct sk_buff *n = skb_copy(skb);
	assert_non_null(n);
	assert_int_equal(n->end, skb->end);
	assert_int_equal(skb_headroom(n), 128);
	assert_memory_equal(n->data, skb->data, 90000);
	kfree_skb(n);
	kfree_skb(skb);
	tn_test_stack_free(st);
}

/* A clone and a copy each hold their own reference to the route. The
 * release on free belongs to dst.c, so the test takes the routes back by
 * hand before freeing. */
static void test_routed_skb_clone_and_copy_then_dst_held(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct dst_entry dst = { .refcnt = 1 };
	struct sk_buff *skb = ip_tcp_skb(st, 16);

	skb_dst_set(skb, &dst);
	struct sk_buff *clone = skb_clone(skb);
	assert_ptr_equal(skb_dst(clone), &dst);
	assert_int_equal(dst.refcnt, 2);
	struct sk_buff *copy = skb_copy(skb);
	assert_ptr_equal(skb_dst(copy), &dst);
	assert_int_equal(dst.refcnt, 3);
	skb->dst = clone->dst = copy->dst = NULL;
	kfree_skb(copy);
	kfree_skb(clone);
	kfree_skb(skb);
	tn_test_stack_free(st);
}

/* ---- reallocation of the head ------------------------------------------- */

static void test_short_headroom_cow_head_then_headers_follow_bytes(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct sk_buff *skb = ip_tcp_skb(st, 16);
	u8 net[40], trans[20];
	unsigned char *old_head = skb->head;
	u32 truesize = skb->truesize;

	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum_start = (u16)skb->transport_header;
	skb->csum_offset = 16;
	memcpy(net, skb_network_header(skb), sizeof(net));
	memcpy(trans, skb_transport_header(skb), sizeof(trans));

	assert_int_equal(skb_cow_head(skb, 100), 0);
	assert_ptr_not_equal(skb->head, old_head);
	/* 84 missing bytes, grown in NET_SKB_PAD steps. */
	assert_int_equal(skb_headroom(skb), 16 + 128);
	assert_int_equal(skb->len, 40);
	assert_memory_equal(skb_network_header(skb), net, sizeof(net));
	assert_memory_equal(skb_transport_header(skb), trans, sizeof(trans));
	assert_int_equal(skb_network_offset(skb), 0);
	assert_int_equal(skb_transport_offset(skb), 20);
	assert_int_equal(skb->csum_start, skb->transport_header);
	assert_int_equal(skb->mac_header, SKB_HDR_UNSET);
	assert_true(skb->truesize > truesize);
	assert_true(skb->truesize >= sizeof(struct sk_buff) + skb->end);
	assert_int_equal(skb_shinfo(skb)->dataref, 1);
	assert_layout(skb);

	memcpy(skb_push(skb, 100), net, 40);
	assert_layout(skb);
	kfree_skb(skb);
	tn_test_stack_free(st);
}

static void test_enough_headroom_private_cow_head_then_no_realloc(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct sk_buff *skb = ip_tcp_skb(st, 64);
	unsigned char *head = skb->head;
	u64 fails = cache(st)->alloc_fails;

	assert_int_equal(skb_cow_head(skb, 64), 0);
	assert_ptr_equal(skb->head, head);
	assert_int_equal(skb_headroom(skb), 64);
	/* No allocation was attempted: a fault armed now stays armed. */
	tn_fault_set(st, TN_FAULT_SKB, 1, 1);
	assert_int_equal(skb_cow_head(skb, 10), 0);
	assert_int_equal(cache(st)->alloc_fails, fails);
	assert_null(alloc_skb(st, 10));
	kfree_skb(skb);
	tn_test_stack_free(st);
}

static void test_cloned_cow_head_then_clone_unaffected(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct sk_buff *skb = ip_tcp_skb(st, 64);
	struct sk_buff *clone = skb_clone(skb);
	u8 before[40];

	memcpy(before, clone->data, sizeof(before));
	assert_int_equal(skb_cow_head(skb, 14), 0);
	assert_ptr_not_equal(skb->head, clone->head);
	assert_int_equal(skb_headroom(skb), 64);
	assert_false(skb_cloned(skb));
	memset(skb_push(skb, 14), 0xff, 14);
	memset(skb->data + 14, 0, 40);
	assert_memory_equal(clone->data, before, sizeof(before));
	assert_int_equal(skb_headroom(clone), 64);
	assert_layout(clone);
	kfree_skb(skb);
	kfree_skb(clone);
	tn_test_stack_free(st);
}

static void test_socket_charged_expand_head_then_truesize_kept(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct sk_buff *skb = ip_tcp_skb(st, 16);
	int sock_stand_in;
	u32 truesize = skb->truesize;

	skb->sk = (struct sock *)&sock_stand_in;
	assert_int_equal(pskb_expand_head(skb, 4096, 0), 0);
	assert_int_equal(skb->truesize, truesize);
	skb->sk = NULL;
	assert_int_equal(pskb_expand_head(skb, 0, 0), 0);
	assert_true(skb->truesize > truesize);
	kfree_skb(skb);
	tn_test_stack_free(st);
}

static void test_expand_head_with_tail_then_tailroom_grows(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct sk_buff *skb = ip_tcp_skb(st, 16);
	unsigned int tailroom = skb_tailroom(skb);
	u8 bytes[40];

	memcpy(bytes, skb->data, sizeof(bytes));
	memset(skb_push(skb, 14), 0xab, 14);
	skb_reset_mac_header(skb);
	skb_pull(skb, 14);
	skb_shinfo(skb)->gso_size = 536;
	assert_int_equal(pskb_expand_head(skb, 64, 1000), 0);
	assert_true(skb_tailroom(skb) >= tailroom + 1000);
	assert_int_equal(skb_headroom(skb), 16 + 64);
	assert_int_equal(skb->mac_header, 2 + 64);
	for (int i = 0; i < 14; i++)
		assert_int_equal(skb_mac_header(skb)[i], 0xab);
	assert_int_equal(skb_network_offset(skb), 0);
	assert_int_equal(skb_transport_offset(skb), 20);
	assert_int_equal(skb_shinfo(skb)->gso_size, 536);
	assert_memory_equal(skb->data, bytes, sizeof(bytes));
	assert_layout(skb);
	kfree_skb(skb);
	tn_test_stack_free(st);
}

/* ---- queues ------------------------------------------------------------- */

static void test_queue_ops_then_order_and_counts(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct sk_buff_head q;
	struct sk_buff *a = alloc_skb(st, 10), *b = alloc_skb(st, 10), *c = alloc_skb(st, 10);
	struct sk_buff *it;
	u32 n = 0;

	skb_queue_head_init(&q);
	assert_true(skb_queue_empty(&q));
	assert_null(skb_peek(&q));
	assert_null(skb_peek_tail(&q));
	assert_null(__skb_dequeue(&q));
	assert_null(__skb_dequeue_tail(&q));

	__skb_queue_tail(&q, a);
	__skb_queue_tail(&q, b);
	__skb_queue_head(&q, c);        /* c a b */
	assert_int_equal(skb_queue_len(&q), 3);
	assert_ptr_equal(skb_peek(&q), c);
	assert_ptr_equal(skb_peek_tail(&q), b);
	struct sk_buff *order[3] = { c, a, b };
	skb_queue_walk(&q, it)
		assert_ptr_equal(it, order[n++]);
	assert_int_equal(n, 3);

	__skb_unlink(a, &q);            /* c b */
	assert_null(a->next);
	assert_null(a->prev);
	assert_int_equal(skb_queue_len(&q), 2);
	assert_ptr_equal(c->next, b);
	assert_ptr_equal(b->prev, c);
	assert_ptr_equal(__skb_dequeue_tail(&q), b);
	assert_ptr_equal(__skb_dequeue(&q), c);
	assert_true(skb_queue_empty(&q));
	assert_int_equal(skb_queue_len(&q), 0);

	consume_skb(a);
	consume_skb(b);
	consume_skb(c);
	tn_test_stack_free(st);
}

static void test_full_queue_purge_then_drops_counted_and_freed(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct sk_buff_head q;
	u64 *drops = st->init_net->core.drops;
	u64 qdrop = drops[SKB_DROP_REASON_QDISC_DROP], live = cache(st)->live;

	skb_queue_head_init(&q);
	for (int i = 0; i < 3; i++)
		__skb_queue_tail(&q, alloc_skb(st, 64));
	skb_queue_purge_reason(&q, SKB_DROP_REASON_QDISC_DROP);
	assert_true(skb_queue_empty(&q));
	assert_int_equal(skb_queue_len(&q), 0);
	assert_int_equal(drops[SKB_DROP_REASON_QDISC_DROP], qdrop + 3);
	assert_int_equal(cache(st)->live, live);

	u64 unspec = drops[SKB_DROP_REASON_NOT_SPECIFIED];
	__skb_queue_tail(&q, alloc_skb(st, 64));
	__skb_queue_tail(&q, alloc_skb(st, 64));
	skb_queue_purge(&q);
	assert_int_equal(drops[SKB_DROP_REASON_NOT_SPECIFIED], unspec + 2);

	u64 before[SKB_DROP_REASON_MAX];
	memcpy(before, drops, sizeof(before));
	__skb_queue_tail(&q, alloc_skb(st, 64));
	skb_queue_purge_reason(&q, SKB_CONSUMED);
	assert_memory_equal(drops, before, sizeof(before));
	assert_int_equal(cache(st)->live, live);

	skb_queue_purge(&q);            /* empty: nothing happens */
	tn_test_stack_free(st);
}

/* ---- drops -------------------------------------------------------------- */

static void test_deviceless_skb_dropped_then_counted_in_init_net(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	u64 *drops = st->init_net->core.drops;
	u64 before[SKB_DROP_REASON_MAX];

	memcpy(before, drops, sizeof(before));
	kfree_skb_reason(alloc_skb(st, 10), SKB_DROP_REASON_NO_SOCKET);
	kfree_skb(alloc_skb(st, 10));
	consume_skb(alloc_skb(st, 10));
	kfree_skb_reason(alloc_skb(st, 10), SKB_NOT_DROPPED_YET);
	before[SKB_DROP_REASON_NO_SOCKET]++;
	before[SKB_DROP_REASON_NOT_SPECIFIED]++;
	assert_memory_equal(drops, before, sizeof(before));
	tn_test_stack_free(st);
}

/* The destructor finds its counter through the cb, since a test keeps no
 * file-scope state either. */
static void count_destructor(struct sk_buff *skb)
{
	int *calls;

	memcpy(&calls, skb->cb, sizeof(calls));
	(*calls)++;
}

static void test_shared_skb_dropped_then_counted_once_at_last_ref(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	u64 *drops = st->init_net->core.drops;
	u64 tcsum = drops[SKB_DROP_REASON_TCP_CSUM], live = cache(st)->live;
	int calls = 0, *pcalls = &calls;
	struct sk_buff *skb = alloc_skb(st, 10);

	memcpy(skb->cb, &pcalls, sizeof(pcalls));
	skb->destructor = count_destructor;
	assert_ptr_equal(skb_get(skb), skb);
	assert_true(skb_shared(skb));
	kfree_skb_reason(skb, SKB_DROP_REASON_TCP_CSUM);
	assert_int_equal(drops[SKB_DROP_REASON_TCP_CSUM], tcsum);
	assert_int_equal(calls, 0);
	assert_int_equal(cache(st)->live, live + 1);
	assert_false(skb_shared(skb));
	kfree_skb_reason(skb, SKB_DROP_REASON_TCP_CSUM);
	assert_int_equal(drops[SKB_DROP_REASON_TCP_CSUM], tcsum + 1);
	assert_int_equal(calls, 1);
	assert_int_equal(cache(st)->live, live);
	tn_test_stack_free(st);
}

static void test_dev_skb_dropped_then_counted_in_dev_namespace(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	/* A stand-in namespace and device: only dev_net() is consulted. */
	struct net *other = calloc(1, sizeof(*other));
	struct net_device *dev = calloc(1, sizeof(*dev));
	u64 init_before = st->init_net->core.drops[SKB_DROP_REASON_OTHERHOST];

	dev->stack = st;
	dev->nd_net = other;
	kfree_skb_reason(netdev_alloc_skb(dev, 60), SKB_DROP_REASON_OTHERHOST);
	assert_int_equal(other->core.drops[SKB_DROP_REASON_OTHERHOST], 1);
	assert_int_equal(st->init_net->core.drops[SKB_DROP_REASON_OTHERHOST], init_before);
	consume_skb(netdev_alloc_skb(dev, 60));
	assert_int_equal(other->core.drops[SKB_CONSUMED], 0);
	free(dev);
	free(other);
	tn_test_stack_free(st);
}

static void test_no_init_net_then_drop_freed_uncounted(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net *init_net = st->init_net;
	u64 before = init_net->core.drops[SKB_DROP_REASON_TN_STACK_TEARDOWN];
	u64 live = cache(st)->live;

	st->init_net = NULL;    /* as during stack teardown */
	kfree_skb_reason(alloc_skb(st, 10), SKB_DROP_REASON_TN_STACK_TEARDOWN);
	st->init_net = init_net;
	assert_int_equal(init_net->core.drops[SKB_DROP_REASON_TN_STACK_TEARDOWN], before);
	assert_int_equal(cache(st)->live, live);
	tn_test_stack_free(st);
}

static void test_null_skb_then_frees_are_noops(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	u64 frees = cache(st)->frees;

	kfree_skb(NULL);
	consume_skb(NULL);
	kfree_skb_reason(NULL, SKB_DROP_REASON_NOMEM);
	assert_int_equal(cache(st)->frees, frees);
	tn_test_stack_free(st);
}

static void test_tn_count_drop_then_counts_without_skb(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	u64 before = st->init_net->core.drops[SKB_DROP_REASON_NEIGH_QUEUEFULL];

	tn_count_drop(st->init_net, SKB_DROP_REASON_NEIGH_QUEUEFULL);
	tn_count_drop(NULL, SKB_DROP_REASON_NEIGH_QUEUEFULL);
	assert_int_equal(st->init_net->core.drops[SKB_DROP_REASON_NEIGH_QUEUEFULL], before + 1);
	tn_test_stack_free(st);
}

static void test_drop_reason_names_then_match_enum(void **state)
{
	assert_string_equal(skb_drop_reason_name(SKB_DROP_REASON_NOT_SPECIFIED), "NOT_SPECIFIED");
	assert_string_equal(skb_drop_reason_name(SKB_DROP_REASON_NO_SOCKET), "NO_SOCKET");
	assert_string_equal(skb_drop_reason_name(SKB_DROP_REASON_QDISC_DROP), "QDISC_DROP");
	assert_string_equal(skb_drop_reason_name(SKB_DROP_REASON_TN_STACK_TEARDOWN),
			    "TN_STACK_TEARDOWN");
	assert_string_equal(skb_drop_reason_name(SKB_NOT_DROPPED_YET), "");
	assert_string_equal(skb_drop_reason_name(SKB_CONSUMED), "");
	assert_string_equal(skb_drop_reason_name(SKB_DROP_REASON_MAX), "");
	for (int r = SKB_DROP_REASON_NOT_SPECIFIED; r < SKB_DROP_REASON_MAX; r++)
		assert_true(strlen(skb_drop_reason_name((enum skb_drop_reason)r)) > 0);
}

/* ---- programming errors ------------------------------------------------- */

/*
 * Run fn in a child process: it must die (in TN_BUG_ON, or in ASan's report)
 * rather than return, and say `expect` on stderr, which shows it died of the
 * check meant and not of something else.
 */
static void assert_dies_saying(struct tn_stack *st, void (*fn)(struct tn_stack *st),
			       const char *expect)
{
	char out[8192];
	size_t n = 0;
	ssize_t r;
	int status, fds[2];
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		dup2(fds[1], STDERR_FILENO);
		fn(st);
		_exit(0);
	}
	close(fds[1]);
	while (n < sizeof(out) - 1 && (r = read(fds[0], out + n, sizeof(out) - 1 - n)) > 0)
		n += (size_t)r;
	out[n] = '\0';
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_false(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	if (!strstr(out, expect))
		fail_msg("child said \"%s\", expected \"%s\"", out, expect);
}

static void assert_bug(struct tn_stack *st, void (*fn)(struct tn_stack *st),
		       const char *cond)
{
	assert_dies_saying(st, fn, cond);
}

static void put_past_end(struct tn_stack *st)
{
	struct sk_buff *skb = alloc_skb(st, 100);

	skb_put(skb, skb_tailroom(skb) + 1);
}

static void push_past_head(struct tn_stack *st)
{
	struct sk_buff *skb = alloc_skb(st, 100);

	skb_reserve(skb, 8);
	skb_push(skb, 9);
}

static void reserve_nonempty(struct tn_stack *st)
{
	struct sk_buff *skb = alloc_skb(st, 100);

	skb_put(skb, 1);
	skb_reserve(skb, 8);
}

static void expand_shared(struct tn_stack *st)
{
	struct sk_buff *skb = alloc_skb(st, 100);

	skb_get(skb);
	pskb_expand_head(skb, 64, 0);
}

static void reserve_past_end(struct tn_stack *st)
{
	struct sk_buff *skb = alloc_skb(st, 100);

	skb_reserve(skb, skb_tailroom(skb) + 1);
}

static void touch_freed_skb(struct tn_stack *st)
{
	struct sk_buff *skb = alloc_skb(st, 100);
	volatile unsigned char *head = skb->head;

	consume_skb(skb);
	(void)head[8];
}

/* Memory resting in the cache is poisoned, so ASan sees a use after free
 * even though malloc never got the memory back. */
static void test_cached_skb_used_after_free_then_asan_reports(void **state)
{
	if (!TN_TEST_ASAN) {
		(void)touch_freed_skb;
		skip();
	}
	struct tn_stack *st = tn_test_stack_new();

	assert_dies_saying(st, touch_freed_skb, "use-after-poison");
	tn_test_stack_free(st);
}

static void test_overrun_then_bug(void **state)
{
	struct tn_stack *st = tn_test_stack_new();

	assert_bug(st, put_past_end, "len > skb_tailroom(skb)");
	assert_bug(st, push_past_head, "len > skb_headroom(skb)");
	assert_bug(st, reserve_nonempty, "skb->len != 0");
	assert_bug(st, reserve_past_end, "len > skb_tailroom(skb)");
	assert_bug(st, expand_shared, "skb->users != 1");
	tn_test_stack_free(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fresh_alloc_then_layout_is_empty),
		cmocka_unit_test(test_reserved_skb_push_pull_then_round_trip),
		cmocka_unit_test(test_short_skb_pull_then_null_and_unchanged),
		cmocka_unit_test(test_skb_trim_then_longer_noop_shorter_moves_tail),
		cmocka_unit_test(test_full_tailroom_put_then_exactly_fits),
		cmocka_unit_test(test_netdev_alloc_then_pad_reserved_and_dev_set),
		cmocka_unit_test(test_freed_skb_then_alloc_hits_cache),
		cmocka_unit_test(test_reused_buffer_put_zero_then_old_bytes_cleared),
		cmocka_unit_test(test_large_alloc_then_exact_buffer_not_cached),
		cmocka_unit_test(test_oversized_alloc_then_null_and_counted),
		cmocka_unit_test(test_burst_freed_then_cache_is_bounded),
		cmocka_unit_test(test_fault_injected_then_alloc_null_and_nothing_leaked),
		cmocka_unit_test(test_fault_injected_then_clone_null_and_skb_untouched),
		cmocka_unit_test(test_fault_injected_then_copy_null),
		cmocka_unit_test(test_fault_injected_then_unclone_enomem_and_still_cloned),
		cmocka_unit_test(test_fault_injected_then_cow_head_enomem_and_unchanged),
		cmocka_unit_test(test_headers_set_then_clone_shares_data_and_metadata),
		cmocka_unit_test(test_original_freed_first_then_clone_still_reads_data),
		cmocka_unit_test(test_cloned_skb_unclone_then_writes_are_private),
		cmocka_unit_test(test_private_skb_unclone_then_nothing_changes),
		cmocka_unit_test(test_skb_copy_then_private_identical_bytes_and_metadata),
		cmocka_unit_test(test_large_skb_copy_then_same_end),
		cmocka_unit_test(test_routed_skb_clone_and_copy_then_dst_held),
		cmocka_unit_test(test_short_headroom_cow_head_then_headers_follow_bytes),
		cmocka_unit_test(test_enough_headroom_private_cow_head_then_no_realloc),
		cmocka_unit_test(test_cloned_cow_head_then_clone_unaffected),
		cmocka_unit_test(test_socket_charged_expand_head_then_truesize_kept),
		cmocka_unit_test(test_expand_head_with_tail_then_tailroom_grows),
		cmocka_unit_test(test_queue_ops_then_order_and_counts),
		cmocka_unit_test(test_full_queue_purge_then_drops_counted_and_freed),
		cmocka_unit_test(test_deviceless_skb_dropped_then_counted_in_init_net),
		cmocka_unit_test(test_shared_skb_dropped_then_counted_once_at_last_ref),
		cmocka_unit_test(test_dev_skb_dropped_then_counted_in_dev_namespace),
		cmocka_unit_test(test_no_init_net_then_drop_freed_uncounted),
		cmocka_unit_test(test_null_skb_then_frees_are_noops),
		cmocka_unit_test(test_tn_count_drop_then_counts_without_skb),
		cmocka_unit_test(test_drop_reason_names_then_match_enum),
		cmocka_unit_test(test_overrun_then_bug),
		cmocka_unit_test(test_cached_skb_used_after_free_then_asan_reports),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
