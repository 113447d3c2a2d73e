/*
 * The generic neighbour table, driven through ARP's table without the wire:
 * neigh_update's override rules, hash growth, forced gc and table_fulls,
 * deletion while referenced, NOARP entries, and the state names.
 */
#include "tn_test.h"

#include <errno.h>

#include "net/skbuff.h"
#include "net/arp.h"
#include "net/inetdevice.h"
#include "net/neighbour.h"
#include "net/netdevice.h"
#include "net/sysctl.h"
#include "net/testdev.h"

static const u8 mac_a[6] = { 0x02, 0, 0, 0, 0, 0xaa };
static const u8 mac_b[6] = { 0x02, 0, 0, 0, 0, 0xbb };

static struct neighbour *neigh_get(struct net_device *dev, u32 ip)
{
	u8 key[4];

	put_be32(key, ip);
	return __neigh_lookup(arp_tbl(dev_net(dev)), key, dev, true);
}

static struct net_device *dev_with_addr(struct tn_stack *st)
{
	struct net_device *dev = testdev_create(st->init_net, "eth0", true);

	assert_non_null(dev);
	assert_int_equal(inet_addr_add(dev, 0x0a000001u, 8, 0, RT_SCOPE_UNIVERSE, NULL), 0);
	return dev;
}

static void teardown_stack(struct tn_stack *st, struct net_device *dev)
{
	testdev_clear_tx(dev);
	tn_test_stack_free(st);
}

static void permanent_update_without_admin_refused(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = dev_with_addr(st);
	struct neighbour *n = neigh_get(dev, 0x0a000002u);

	assert_int_equal(neigh_update(n, mac_a, NUD_PERMANENT,
				      NEIGH_UPDATE_F_OVERRIDE | NEIGH_UPDATE_F_ADMIN), 0);
	assert_int_equal(neigh_update(n, mac_b, NUD_REACHABLE, NEIGH_UPDATE_F_OVERRIDE), -EPERM);
	assert_memory_equal(n->ha, mac_a, 6);
	assert_int_equal(neigh_update(n, mac_b, NUD_STALE,
				      NEIGH_UPDATE_F_OVERRIDE | NEIGH_UPDATE_F_ADMIN), 0);
	assert_int_equal(n->nud_state, NUD_STALE);
	assert_memory_equal(n->ha, mac_b, 6);
	neigh_release(n);
	teardown_stack(st, dev);
}

static void valid_new_lladdr_needs_override_weak_override_goes_stale(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = dev_with_addr(st);
	struct neighbour *n = neigh_get(dev, 0x0a000002u);

	assert_int_equal(neigh_update(n, NULL, NUD_REACHABLE, 0), -EINVAL);  /* no address */
	neigh_update(n, mac_a, NUD_REACHABLE, NEIGH_UPDATE_F_OVERRIDE);
	assert_int_equal(n->nud_state, NUD_REACHABLE);
	neigh_update(n, mac_b, NUD_REACHABLE, 0);
	assert_memory_equal(n->ha, mac_a, 6);
	assert_int_equal(n->nud_state, NUD_REACHABLE);
	/* A weak override of a connected entry keeps the address but
	 * doubts it. */
	neigh_update(n, mac_b, NUD_REACHABLE, NEIGH_UPDATE_F_WEAK_OVERRIDE);
	assert_memory_equal(n->ha, mac_a, 6);
	assert_int_equal(n->nud_state, NUD_STALE);
	/* Same address reported STALE again: no change at all. */
	u64 updated = n->updated;
	tn_test_run(st, 10);
	neigh_update(n, mac_a, NUD_STALE, NEIGH_UPDATE_F_OVERRIDE);
	assert_int_equal(n->updated, updated);
	neigh_release(n);
	teardown_stack(st, dev);
}

static void many_entries_grow_the_hash_and_stay_findable(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = dev_with_addr(st);
	struct neigh_table *tbl = arp_tbl(st->init_net);
	unsigned int shift0 = tbl->hash_shift;

	for (u32 i = 0; i < 200; i++)
		neigh_release(neigh_get(dev, 0x0a100000u + i));
	assert_true(tbl->hash_shift > shift0);
	assert_true(tbl->stats.hash_grows > 0);
	assert_int_equal(tbl->entries, 200);
	for (u32 i = 0; i < 200; i++) {
		u8 key[4];
		put_be32(key, 0x0a100000u + i);
		struct neighbour *n = neigh_lookup(tbl, key, dev);
		assert_non_null(n);
		assert_int_equal(neigh_key32(n), 0x0a100000u + i);
		neigh_release(n);
	}
	teardown_stack(st, dev);
}

static void full_table_forced_gc_then_table_fulls(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = dev_with_addr(st);
	struct neigh_table *tbl = arp_tbl(st->init_net);
	struct neighbour *held[4];

	assert_int_equal(tn_sysctl_write(st->init_net, "net.ipv4.neigh.default.gc_thresh2", "2"), 0);
	assert_int_equal(tn_sysctl_write(st->init_net, "net.ipv4.neigh.default.gc_thresh3", "4"), 0);
	/* Four FAILED entries nobody holds: forced gc makes room. */
	for (u32 i = 0; i < 4; i++) {
		struct neighbour *n = neigh_get(dev, 0x0a200000u + i);
		assert_non_null(n);
		neigh_update(n, NULL, NUD_FAILED, NEIGH_UPDATE_F_ADMIN);
		neigh_release(n);
	}
	struct neighbour *n = neigh_get(dev, 0x0a300000u);
	assert_non_null(n);
	assert_true(tbl->stats.forced_gc_runs > 0);
	assert_true(tbl->gc_entries <= 4);
	neigh_release(n);
	/* Entries held by someone cannot go: the table is full. */
	tn_test_run(st, 6000);
	neigh_ifdown(tbl, dev);
	for (u32 i = 0; i < 4; i++) {
		held[i] = neigh_get(dev, 0x0a400000u + i);
		assert_non_null(held[i]);
	}
	assert_null(neigh_get(dev, 0x0a500000u));
	assert_true(tbl->stats.table_fulls > 0);
	/* Permanent entries are exempt from the limit. */
	assert_int_equal(arp_neigh_add(dev, 0x0a600000u, mac_a, NUD_PERMANENT), 0);
	for (u32 i = 0; i < 4; i++)
		neigh_release(held[i]);
	teardown_stack(st, dev);
}

static void referenced_entry_deleted_is_dead_and_drops(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = dev_with_addr(st);
	struct neighbour *n = neigh_get(dev, 0x0a000002u);
	struct sk_buff *skb;

	neigh_event_send(n, NULL);
	assert_int_equal(n->nud_state, NUD_INCOMPLETE);
	assert_int_equal(neigh_delete(n), 0);
	assert_int_equal(neigh_delete(n), -ENOENT);
	assert_true(n->dead);
	skb = alloc_skb(st, 64);
	skb->dev = dev;
	assert_int_equal(neigh_event_send(n, skb), 1);  /* dropped: dead */
	assert_int_equal(st->init_net->core.drops[SKB_DROP_REASON_NEIGH_DEAD], 1);
	tn_test_run(st, 5000);  /* no timer runs on it */
	neigh_release(n);
	assert_int_equal(arp_tbl(st->init_net)->entries, 0);
	teardown_stack(st, dev);
}

static void loopback_and_multicast_need_no_resolution(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = dev_with_addr(st);
	struct net_device *lo = st->init_net->loopback_dev;
	static const u8 mc[6] = { 0x01, 0x00, 0x5e, 0x01, 0x02, 0x03 };
	struct neighbour *n;

	dev_open(lo);
	n = neigh_get(dev, 0xe0810203u);  /* 224.129.2.3 */
	assert_int_equal(n->nud_state, NUD_NOARP);
	assert_memory_equal(n->ha, mc, 6);
	neigh_release(n);
	n = neigh_get(dev, 0x0affffffu);  /* eth0 has no broadcast address set */
	assert_int_equal(n->nud_state, NUD_NONE);
	neigh_release(n);
	n = ip_neigh_for_gw(lo, 0x7f000001u);
	assert_non_null(n);
	assert_int_equal(n->nud_state, NUD_NOARP);
	assert_int_equal(neigh_key32(n), 0);  /* one entry for all of lo */
	assert_ptr_equal(ip_neigh_for_gw(lo, 0x7f000002u), n);
	teardown_stack(st, dev);
}

static void state_names_as_ip_neigh_prints_them(void **state)
{
	assert_string_equal(neigh_state_name(NUD_INCOMPLETE), "INCOMPLETE");
	assert_string_equal(neigh_state_name(NUD_REACHABLE), "REACHABLE");
	assert_string_equal(neigh_state_name(NUD_STALE), "STALE");
	assert_string_equal(neigh_state_name(NUD_DELAY), "DELAY");
	assert_string_equal(neigh_state_name(NUD_PROBE), "PROBE");
	assert_string_equal(neigh_state_name(NUD_FAILED), "FAILED");
	assert_string_equal(neigh_state_name(NUD_NOARP), "NOARP");
	assert_string_equal(neigh_state_name(NUD_PERMANENT), "PERMANENT");
	assert_string_equal(neigh_state_name(NUD_NONE), "NONE");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(permanent_update_without_admin_refused),
		cmocka_unit_test(valid_new_lladdr_needs_override_weak_override_goes_stale),
		cmocka_unit_test(many_entries_grow_the_hash_and_stay_findable),
		cmocka_unit_test(full_table_forced_gc_then_table_fulls),
		cmocka_unit_test(referenced_entry_deleted_is_dead_and_drops),
		cmocka_unit_test(loopback_and_multicast_need_no_resolution),
		cmocka_unit_test(state_names_as_ip_neigh_prints_them),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
