/*
 * IPv4 device configuration: 127.0.0.1 on lo up, primary and secondary
 * addresses, deletion and promotion, source address selection, address
 * listeners, and the net.ipv4.conf / net.ipv4.neigh sysctls each device gets.
 */
#include "tn_test.h"

#include <errno.h>

#include "net/skbuff.h"
#include "net/inetdevice.h"
#include "net/neighbour.h"
#include "net/netdevice.h"
#include "net/sysctl.h"
#include "net/testdev.h"

#define A_10_0_0_1 0x0a000001u
#define A_10_0_0_2 0x0a000002u
#define A_10_0_0_3 0x0a000003u
#define A_10_1_0_1 0x0a010001u

static struct in_ifaddr *ifa_nth(struct net_device *dev, int nth)
{
	struct in_ifaddr *ifa;

	in_dev_for_each_ifa(ifa, __in_dev_get(dev))
		if (nth-- == 0)
			return ifa;
	return NULL;
}

static void sysctl_expect(struct net *net, const char *key, const char *want)
{
	char buf[64];

	assert_int_equal(tn_sysctl_read(net, key, buf, sizeof(buf)), 0);
	assert_string_equal(buf, want);
}

static void loopback_up_gets_127_0_0_1_scope_host(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net *net = st->init_net;
	struct net_device *lo = net->loopback_dev;
	struct in_ifaddr *ifa;

	assert_non_null(lo);
	assert_null(inet_lookup_ifaddr(net, 0x7f000001u));
	assert_int_equal(dev_open(lo), 0);
	ifa = inet_lookup_ifaddr(net, 0x7f000001u);
	assert_non_null(ifa);
	assert_ptr_equal(ifa->ifa_dev->dev, lo);
	assert_int_equal(ifa->ifa_prefixlen, 8);
	assert_int_equal(ifa->ifa_mask, 0xff000000u);
	assert_int_equal(ifa->ifa_scope, RT_SCOPE_HOST);
	assert_int_equal(ifa->ifa_broadcast, 0);
	assert_string_equal(ifa->ifa_label, "lo");
	/* Down and up again: still exactly one. */
	assert_int_equal(dev_close(lo), 0);
	assert_int_equal(dev_open(lo), 0);
	assert_ptr_equal(ifa_nth(lo, 0), ifa);
	assert_null(ifa_nth(lo, 1));
	tn_test_stack_free(st);
}

static void same_subnet_second_address_secondary_duplicate_eexist(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = testdev_create(st->init_net, "eth0", false);

	assert_int_equal(inet_addr_add(dev, A_10_0_0_1, 24, inet_default_broadcast(A_10_0_0_1, 24),
				       RT_SCOPE_UNIVERSE, NULL), 0);
	assert_int_equal(inet_addr_add(dev, A_10_0_0_2, 24, 0, RT_SCOPE_UNIVERSE, "eth0:1"), 0);
	assert_int_equal(inet_addr_add(dev, A_10_1_0_1, 16, 0, RT_SCOPE_UNIVERSE, NULL), 0);
	assert_int_equal(inet_addr_add(dev, A_10_0_0_1, 24, 0, RT_SCOPE_UNIVERSE, NULL), -EEXIST);
	assert_int_equal(inet_addr_add(dev, A_10_0_0_3, 24, 0, RT_SCOPE_LINK, NULL), -EINVAL);
	assert_int_equal(inet_addr_add(dev, A_10_0_0_3, 33, 0, RT_SCOPE_UNIVERSE, NULL), -EINVAL);

	/* Primaries first, in insertion order; the secondary last. */
	assert_int_equal(ifa_nth(dev, 0)->ifa_local, A_10_0_0_1);
	assert_int_equal(ifa_nth(dev, 0)->ifa_flags & IFA_F_SECONDARY, 0);
	assert_int_equal(ifa_nth(dev, 0)->ifa_broadcast, 0x0a0000ffu);
	assert_int_equal(ifa_nth(dev, 1)->ifa_local, A_10_1_0_1);
	assert_int_equal(ifa_nth(dev, 1)->ifa_flags & IFA_F_SECONDARY, 0);
	assert_int_equal(ifa_nth(dev, 2)->ifa_local, A_10_0_0_2);
	assert_int_equal(ifa_nth(dev, 2)->ifa_flags & IFA_F_SECONDARY, IFA_F_SECONDARY);
	assert_string_equal(ifa_nth(dev, 2)->ifa_label, "eth0:1");
	assert_non_null(inet_lookup_ifaddr(st->init_net, A_10_0_0_2));
	tn_test_stack_free(st);
}

static void primary_deleted_takes_secondaries_unless_promoted(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net *net = st->init_net;
	struct net_device *dev = testdev_create(net, "eth0", false);

	assert_int_equal(inet_addr_del(dev, A_10_0_0_1, 24), -EADDRNOTAVAIL);
	inet_addr_add(dev, A_10_0_0_1, 24, 0, RT_SCOPE_UNIVERSE, NULL);
	inet_addr_add(dev, A_10_0_0_2, 24, 0, RT_SCOPE_UNIVERSE, NULL);
	assert_int_equal(inet_addr_del(dev, A_10_0_0_1, 16), -EADDRNOTAVAIL);
	assert_int_equal(inet_addr_del(dev, A_10_0_0_1, 24), 0);
	assert_null(ifa_nth(dev, 0));
	assert_null(inet_lookup_ifaddr(net, A_10_0_0_2));

	assert_int_equal(tn_sysctl_write(net, "net.ipv4.conf.eth0.promote_secondaries", "1"), 0);
	inet_addr_add(dev, A_10_0_0_1, 24, 0, RT_SCOPE_UNIVERSE, NULL);
	inet_addr_add(dev, A_10_0_0_2, 24, 0, RT_SCOPE_UNIVERSE, NULL);
	inet_addr_add(dev, A_10_0_0_3, 24, 0, RT_SCOPE_UNIVERSE, NULL);
	assert_int_equal(inet_addr_del(dev, A_10_0_0_1, -1), 0);
	assert_int_equal(ifa_nth(dev, 0)->ifa_local, A_10_0_0_2);
	assert_int_equal(ifa_nth(dev, 0)->ifa_flags & IFA_F_SECONDARY, 0);
	assert_int_equal(ifa_nth(dev, 1)->ifa_local, A_10_0_0_3);
	assert_int_equal(ifa_nth(dev, 1)->ifa_flags & IFA_F_SECONDARY, IFA_F_SECONDARY);
	tn_test_stack_free(st);
}

static void select_addr_prefers_subnet_then_primary_then_other_devices(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net *net = st->init_net;
	struct net_device *eth0 = testdev_create(net, "eth0", false);
	struct net_device *eth1 = testdev_create(net, "eth1", false);

	dev_open(net->loopback_dev);  /* 127.0.0.1, scope host */
	inet_addr_add(eth0, A_10_0_0_1, 24, 0, RT_SCOPE_UNIVERSE, NULL);
	inet_addr_add(eth0, A_10_0_0_2, 24, 0, RT_SCOPE_UNIVERSE, NULL);
	inet_addr_add(eth0, A_10_1_0_1, 16, 0, RT_SCOPE_UNIVERSE, NULL);
	assert_int_equal(inet_select_addr(eth0, 0x0a01ff01u, RT_SCOPE_UNIVERSE), A_10_1_0_1);
	assert_int_equal(inet_select_addr(eth0, 0x0a000063u, RT_SCOPE_UNIVERSE), A_10_0_0_1);
	assert_int_equal(inet_select_addr(eth0, 0x08080808u, RT_SCOPE_UNIVERSE), A_10_0_0_1);
	/* Nothing on eth1: lo's host-scope address is too narrow for a link
	 * scope request, so eth0's first primary answers. */
	assert_int_equal(inet_select_addr(eth1, 0x0a020001u, RT_SCOPE_LINK), A_10_0_0_1);
	assert_int_equal(inet_select_addr(eth1, 0, RT_SCOPE_HOST), 0x7f000001u);
	assert_true(inet_addr_onlink(__in_dev_get(eth0), 0x0a000063u, A_10_0_0_1));
	assert_false(inet_addr_onlink(__in_dev_get(eth0), 0x0a000063u, 0x0a020001u));
	assert_int_equal(inet_confirm_addr(net, __in_dev_get(eth0), 0x0a000063u, A_10_0_0_1,
					   RT_SCOPE_HOST), A_10_0_0_1);
	assert_int_equal(inet_confirm_addr(net, __in_dev_get(eth1), 0, A_10_0_0_1,
					   RT_SCOPE_HOST), 0);
	tn_test_stack_free(st);
}

struct addr_log {
	struct inetaddr_notifier nb;
	int up, down;
	u32 last;
};

static void addr_log_fn(struct inetaddr_notifier *nb, int event, struct in_ifaddr *ifa)
{
	struct addr_log *log = container_of(nb, struct addr_log, nb);

	if (event == INETADDR_UP)
		log->up++;
	else
		log->down++;
	log->last = ifa->ifa_local;
}

static void address_changes_reach_listeners_and_unregister_cleans_up(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net *net = st->init_net;
	struct net_device *dev = testdev_create(net, "eth0", false);
	struct addr_log log = { .nb.fn = addr_log_fn };
	char buf[32];

	register_inetaddr_notifier(st, &log.nb);
	inet_addr_add(dev, A_10_0_0_1, 24, 0, RT_SCOPE_UNIVERSE, NULL);
	inet_addr_add(dev, A_10_0_0_2, 24, 0, RT_SCOPE_UNIVERSE, NULL);
	assert_int_equal(log.up, 2);
	assert_int_equal(log.last, A_10_0_0_2);
	unregister_netdevice(dev);
	assert_int_equal(log.down, 2);
	assert_null(inet_lookup_ifaddr(net, A_10_0_0_1));
	assert_int_equal(tn_sysctl_read(net, "net.ipv4.conf.eth0.arp_ignore", buf, sizeof(buf)),
			 -ENOENT);
	assert_int_equal(tn_sysctl_read(net, "net.ipv4.neigh.eth0.retrans_time", buf, sizeof(buf)),
			 -ENOENT);
	unregister_inetaddr_notifier(st, &log.nb);
	tn_test_stack_free(st);
}

static void conf_default_write_reaches_devices_that_did_not_set_their_own(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net *net = st->init_net;
	struct net_device *eth0 = testdev_create(net, "eth0", false);
	struct net_device *eth1 = testdev_create(net, "eth1", false);

	sysctl_expect(net, "net.ipv4.conf.all.accept_source_route", "0");
	sysctl_expect(net, "net.ipv4.conf.default.accept_source_route", "1");
	sysctl_expect(net, "net.ipv4.conf.eth0.accept_redirects", "1");
	sysctl_expect(net, "net.ipv4.conf.eth0.arp_ignore", "0");
	assert_int_equal(tn_sysctl_write(net, "net.ipv4.conf.eth1.arp_ignore", "2"), 0);
	assert_int_equal(tn_sysctl_write(net, "net.ipv4.conf.default.arp_ignore", "1"), 0);
	assert_int_equal(__in_dev_get(eth0)->cnf.arp_ignore, 1);
	assert_int_equal(__in_dev_get(eth1)->cnf.arp_ignore, 2);
	/* conf.all raises the effective value everywhere. */
	assert_int_equal(tn_sysctl_write(net, "net.ipv4.conf.all.arp_ignore", "3"), 0);
	assert_int_equal(IN_DEV_ARP_IGNORE(__in_dev_get(eth1)), 3);
	/* all.forwarding switches every device. */
	assert_int_equal(tn_sysctl_write(net, "net.ipv4.conf.all.forwarding", "1"), 0);
	assert_int_equal(__in_dev_get(eth0)->cnf.forwarding, 1);
	assert_int_equal(net->ipv4.sysctl_ip_forward, 1);
	tn_test_stack_free(st);
}

static void neigh_sysctls_read_in_linux_units(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net *net = st->init_net;

	testdev_create(net, "eth0", false);
	sysctl_expect(net, "net.ipv4.neigh.eth0.mcast_solicit", "3");
	sysctl_expect(net, "net.ipv4.neigh.eth0.ucast_solicit", "3");
	sysctl_expect(net, "net.ipv4.neigh.eth0.app_solicit", "0");
	sysctl_expect(net, "net.ipv4.neigh.eth0.mcast_resolicit", "0");
	sysctl_expect(net, "net.ipv4.neigh.eth0.retrans_time", "100");
	sysctl_expect(net, "net.ipv4.neigh.eth0.retrans_time_ms", "1000");
	sysctl_expect(net, "net.ipv4.neigh.eth0.base_reachable_time", "30");
	sysctl_expect(net, "net.ipv4.neigh.eth0.base_reachable_time_ms", "30000");
	sysctl_expect(net, "net.ipv4.neigh.eth0.delay_first_probe_time", "5");
	sysctl_expect(net, "net.ipv4.neigh.eth0.gc_stale_time", "60");
	sysctl_expect(net, "net.ipv4.neigh.eth0.unres_qlen_bytes", "212992");
	sysctl_expect(net, "net.ipv4.neigh.eth0.unres_qlen", "101");
	sysctl_expect(net, "net.ipv4.neigh.eth0.proxy_qlen", "64");
	sysctl_expect(net, "net.ipv4.neigh.eth0.locktime", "100");
	sysctl_expect(net, "net.ipv4.neigh.default.gc_interval", "30");
	sysctl_expect(net, "net.ipv4.neigh.default.gc_thresh1", "128");
	sysctl_expect(net, "net.ipv4.neigh.default.gc_thresh2", "512");
	sysctl_expect(net, "net.ipv4.neigh.default.gc_thresh3", "1024");
	/* unres_qlen is a view of unres_qlen_bytes. */
	assert_int_equal(tn_sysctl_write(net, "net.ipv4.neigh.eth0.unres_qlen", "3"), 0);
	sysctl_expect(net, "net.ipv4.neigh.eth0.unres_qlen_bytes", "6270");
	assert_int_equal(tn_sysctl_write(net, "net.ipv4.neigh.eth0.mcast_solicit", "-1"), -EINVAL);
	tn_test_stack_free(st);
}

static void renamed_device_moves_sysctls_and_labels(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net *net = st->init_net;
	struct net_device *dev = testdev_create(net, "eth0", false);
	char buf[32];

	inet_addr_add(dev, A_10_0_0_1, 24, 0, RT_SCOPE_UNIVERSE, NULL);
	inet_addr_add(dev, A_10_0_0_2, 24, 0, RT_SCOPE_UNIVERSE, "eth0:web");
	assert_int_equal(dev_change_name(dev, "wan0"), 0);
	assert_string_equal(ifa_nth(dev, 0)->ifa_label, "wan0");
	assert_string_equal(ifa_nth(dev, 1)->ifa_label, "wan0:web");
	sysctl_expect(net, "net.ipv4.conf.wan0.arp_ignore", "0");
	sysctl_expect(net, "net.ipv4.neigh.wan0.ucast_solicit", "3");
	assert_int_equal(tn_sysctl_read(net, "net.ipv4.conf.eth0.arp_ignore", buf, sizeof(buf)),
			 -ENOENT);
	tn_test_stack_free(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(loopback_up_gets_127_0_0_1_scope_host),
		cmocka_unit_test(same_subnet_second_address_secondary_duplicate_eexist),
		cmocka_unit_test(primary_deleted_takes_secondaries_unless_promoted),
		cmocka_unit_test(select_addr_prefers_subnet_then_primary_then_other_devices),
		cmocka_unit_test(address_changes_reach_listeners_and_unregister_cleans_up),
		cmocka_unit_test(conf_default_write_reaches_devices_that_did_not_set_their_own),
		cmocka_unit_test(neigh_sysctls_read_in_linux_units),
		cmocka_unit_test(renamed_device_moves_sysctls_and_labels),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
