/*
 * net/core/dev.c and dev_rx.c: names, ifindexes and lookups, notifier order
 * for up/down, MTU and address changes, carrier and flags, promiscuity,
 * namespace moves and teardown, the netif_rx backlog, packet_type and tap
 * dispatch, NAPI weight/budget fairness and time_squeeze, transmit on a
 * down or queue-less device, and freeing on unregister.
 */
#include <errno.h>

#include "tn_test.h"
#include "net/skbuff.h"
#include "net/etherdevice.h"
#include "net/testdev.h"

#define ETH_P_TEST  0x88b5   /* IEEE local experimental: no other handler */
#define ETH_P_TEST2 0x88b6

/* ---- helpers ------------------------------------------------------------- */

/* Notifier that records events (and the device) in order. */
struct event_log {
	struct notifier_block nb;
	unsigned int n;
	unsigned long ev[32];
	struct net_device *dev[32];
	char name[32][IFNAMSIZ];
	int veto_event;         /* return notifier_from_errno(veto_err) for it */
	int veto_err;
};

static int event_log_call(struct notifier_block *nb, unsigned long event, void *ptr)
{
	struct event_log *log = container_of(nb, struct event_log, nb);
	struct net_device *dev = ptr;

	if (log->n < 32) {
		log->ev[log->n] = event;
		log->dev[log->n] = dev;
		memcpy(log->name[log->n], dev->name, IFNAMSIZ);
	}
	log->n++;
	if (log->veto_event && (unsigned long)log->veto_event == event)
		return notifier_from_errno(log->veto_err);
	return NOTIFY_DONE;
}

static void event_log_register(struct tn_stack *st, struct event_log *log, int priority)
{
	memset(log, 0, sizeof(*log));
	log->nb.notifier_call = event_log_call;
	log->nb.priority = priority;
	assert_int_equal(register_netdevice_notifier(st, &log->nb), 0);
	log->n = 0;   /* forget the replay of existing devices */
}

/* What a packet_type handler saw. */
struct rx_log {
	struct packet_type pt;
	unsigned int n;
	u8 pkt_type[8];
	struct net_device *dev[8];
};

static int rx_log_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
		      struct net_device *orig_dev)
{
	struct rx_log *log = container_of(pt, struct rx_log, pt);

	if (log->n < 8) {
		log->pkt_type[log->n] = skb->pkt_type;
		log->dev[log->n] = dev;
	}
	log->n++;
	consume_skb(skb);
	return NET_RX_SUCCESS;
}

static void rx_log_add(struct tn_stack *st, struct rx_log *log, u16 type, struct net_device *dev)
{
	memset(log, 0, sizeof(*log));
	log->pt.type = type;
	log->pt.dev = dev;
	log->pt.func = rx_log_rcv;
	dev_add_pack(st, &log->pt);
}

/* Broadcast frame of type `type` with a 4-byte payload. */
static size_t test_frame(u16 type, u8 *buf)
{
	size_t n = tn_test_hex("ff ff ff ff ff ff 02 00 00 00 00 99 00 00 74 75 78 21", buf, 64);

	put_be16(buf + 12, type);
	return n;
}

static struct sk_buff *test_skb(struct net_device *dev, u16 type)
{
	u8 frame[64];
	size_t len = test_frame(type, frame);
	struct sk_buff *skb = netdev_alloc_skb(dev, (unsigned int)len);

	assert_non_null(skb);
	skb_put_data(skb, frame, (unsigned int)len);
	skb->protocol = eth_type_trans(skb, dev);
	return skb;
}

static void inject(struct net_device *dev, u16 type)
{
	u8 frame[64];
	size_t len = test_frame(type, frame);

	assert_int_equal(testdev_inject(dev, frame, len), 0);
}

static u64 drops(struct net *net, enum skb_drop_reason r)
{
	return net->core.drops[r];
}

/* ---- a private device with NAPI instances the test drives ---------------- */

struct fake_napi {
	struct napi_struct napi;
	int pending;          /* work the "hardware" has for this instance */
	int id;
	int *order;           /* shared poll log */
	int *norder;
};

struct napidev_priv {
	struct fake_napi fn[3];
	int order[64];
	int norder;
	bool *destroyed;
};

static int fake_poll(struct napi_struct *n, int budget)
{
	struct fake_napi *f = container_of(n, struct fake_napi, napi);
	int work = TN_MIN(f->pending, budget);

	f->pending -= work;
	if (*f->norder < 64)
		f->order[(*f->norder)++] = f->id;
	if (work < budget)
		napi_complete_done(n, work);
	return work;
}

static netdev_tx_t napidev_xmit(struct sk_buff *skb, struct net_device *dev)
{
	consume_skb(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops napidev_ops = {
	.ndo_start_xmit = napidev_xmit,
};

static void napidev_destructor(struct net_device *dev)
{
	struct napidev_priv *p = netdev_priv(dev);

	if (p->destroyed)
		*p->destroyed = true;
}

static void napidev_setup(struct net_device *dev)
{
	struct napidev_priv *p = netdev_priv(dev);

	dev->netdev_ops = &napidev_ops;
	dev->priv_flags |= IFF_NO_QUEUE;
	dev->priv_destructor = napidev_destructor;
	for (int i = 0; i < 3; i++) {
		p->fn[i].id = i;
		p->fn[i].order = p->order;
		p->fn[i].norder = &p->norder;
	}
}

static struct net_device *napidev_create(struct net *net, int weight)
{
	struct net_device *dev = alloc_netdev(net->stack, sizeof(struct napidev_priv), "napi%d",
					      napidev_setup);
	struct napidev_priv *p;

	assert_non_null(dev);
	p = netdev_priv(dev);
	for (int i = 0; i < 3; i++)
		netif_napi_add(dev, &p->fn[i].napi, fake_poll, weight);
	assert_int_equal(register_netdevice(net, dev), 0);
	assert_int_equal(dev_open(dev), 0);
	return dev;
}

/* ---- names, indexes, lookups --------------------------------------------- */

static void test_template_names_take_lowest_free_number(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net *net = st->init_net;
	struct net_device *a = testdev_create(net, "tt%d", false);
	struct net_device *b = testdev_create(net, "tt%d", false);
	struct net_device *c = testdev_create(net, "tt%d", false);

	assert_string_equal(a->name, "tt0");
	assert_string_equal(b->name, "tt1");
	assert_string_equal(c->name, "tt2");
	/* lo is 1 in every namespace; ifindexes climb and are not reused. */
	assert_int_equal(net->loopback_dev->ifindex, 1);
	assert_int_equal(a->ifindex, 2);
	assert_int_equal(c->ifindex, 4);
	unregister_netdevice(b);
	b = testdev_create(net, "tt%d", false);
	assert_string_equal(b->name, "tt1");
	assert_int_equal(b->ifindex, 5);
	tn_test_stack_free(st);
}

static void test_taken_or_invalid_name_is_refused(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net *net = st->init_net;
	static const char *const bad[] = {
		"", ".", "..", "a/b", "a:b", "a b", "tab\tx", "sixteen-chars-xx", "a%d%d", "a%s",
	};

	assert_non_null(testdev_create(net, "eth0", false));
	assert_null(testdev_create(net, "eth0", false));
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct net_device *dev = alloc_netdev(st, 0, bad[i], ether_setup);

		assert_non_null(dev);
		assert_int_equal(register_netdevice(net, dev), -EINVAL);
		free_netdev(dev);
	}
	struct net_device *dup = alloc_netdev(st, 0, "lo", ether_setup);
	assert_int_equal(register_netdevice(net, dup), -EEXIST);
	free_netdev(dup);
	assert_true(dev_valid_name("fifteen-chars-x"));
	tn_test_stack_free(st);
}

static void test_registered_device_found_by_name_and_index(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net *net = st->init_net;
	struct net_device *dev = testdev_create(net, "tt7", false);

	assert_ptr_equal(__dev_get_by_name(net, "tt7"), dev);
	assert_ptr_equal(__dev_get_by_index(net, dev->ifindex), dev);
	assert_null(__dev_get_by_name(net, "tt8"));
	assert_null(__dev_get_by_index(net, 99));
	assert_int_equal(dev_change_name(dev, "renamed"), 0);
	assert_null(__dev_get_by_name(net, "tt7"));
	assert_ptr_equal(__dev_get_by_name(net, "renamed"), dev);
	dev_open(dev);
	assert_int_equal(dev_change_name(dev, "busy"), -EBUSY);
	tn_test_stack_free(st);
}

/* ---- administrative state ------------------------------------------------- */

static void test_up_down_notifiers_in_order_and_priority(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct event_log lo_prio, hi_prio;
	struct net_device *dev = testdev_create(st->init_net, NULL, false);

	event_log_register(st, &lo_prio, 0);
	event_log_register(st, &hi_prio, 10);
	assert_int_equal(dev_open(dev), 0);
	assert_int_equal(dev_close(dev), 0);
	assert_int_equal(lo_prio.n, 4);
	assert_int_equal(lo_prio.ev[0], NETDEV_PRE_UP);
	assert_int_equal(lo_prio.ev[1], NETDEV_UP);
	assert_int_equal(lo_prio.ev[2], NETDEV_GOING_DOWN);
	assert_int_equal(lo_prio.ev[3], NETDEV_DOWN);
	assert_false(dev->flags & IFF_UP);
	assert_non_null(dev->qdisc);   /* the root sleeps while down */

	/* A veto on PRE_UP keeps the device down; the higher priority
	 * notifier runs first and stops the chain. */
	hi_prio.veto_event = NETDEV_PRE_UP;
	hi_prio.veto_err = -EPERM;
	lo_prio.n = 0;
	assert_int_equal(dev_open(dev), -EPERM);
	assert_false(dev->flags & IFF_UP);
	assert_int_equal(lo_prio.n, 0);

	unregister_netdevice_notifier(st, &hi_prio.nb);
	unregister_netdevice_notifier(st, &lo_prio.nb);
	tn_test_stack_free(st);
}

static void test_mtu_outside_range_is_einval(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct event_log log;
	struct net_device *dev = testdev_create(st->init_net, NULL, true);

	event_log_register(st, &log, 0);
	assert_int_equal(dev_set_mtu(dev, 67), -EINVAL);
	assert_int_equal(dev_set_mtu(dev, 1501), -EINVAL);
	assert_int_equal(log.n, 0);
	assert_int_equal(dev_set_mtu(dev, 1280), 0);
	assert_int_equal(dev->mtu, 1280);
	assert_int_equal(log.n, 1);
	assert_int_equal(log.ev[0], NETDEV_CHANGEMTU);

	/* A vetoed change is undone and announced again. */
	log.veto_event = NETDEV_CHANGEMTU;
	log.veto_err = -EINVAL;
	assert_int_equal(dev_set_mtu(dev, 1400), -EINVAL);
	assert_int_equal(dev->mtu, 1280);
	unregister_netdevice_notifier(st, &log.nb);
	tn_test_stack_free(st);
}

static void test_mac_change_rejects_multicast_and_notifies(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct event_log log;
	struct net_device *dev = testdev_create(st->init_net, NULL, true);
	const u8 mcast[ETH_ALEN] = { 0x01, 0, 0x5e, 0, 0, 1 };
	const u8 zero[ETH_ALEN] = { 0 };
	const u8 good[ETH_ALEN] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };

	event_log_register(st, &log, 0);
	assert_int_equal(dev_set_mac_address(dev, mcast), -EADDRNOTAVAIL);
	assert_int_equal(dev_set_mac_address(dev, zero), -EADDRNOTAVAIL);
	assert_int_equal(log.n, 0);
	assert_int_equal(dev_set_mac_address(dev, good), 0);
	assert_memory_equal(dev->dev_addr, good, ETH_ALEN);
	assert_int_equal(log.n, 1);
	assert_int_equal(log.ev[0], NETDEV_CHANGEADDR);
	assert_int_equal(dev_set_mac_address(st->init_net->loopback_dev, good), -EOPNOTSUPP);
	unregister_netdevice_notifier(st, &log.nb);
	tn_test_stack_free(st);
}

static void test_carrier_off_clears_running_and_lower_up(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct event_log log;
	struct net_device *dev = testdev_create(st->init_net, NULL, false);

	/* No carrier event yet: UNKNOWN, as Linux's lo and dummy stay. */
	assert_int_equal(dev->operstate, IF_OPER_UNKNOWN);
	assert_false(dev_get_flags(dev) & (IFF_RUNNING | IFF_LOWER_UP));
	dev_open(dev);
	assert_int_equal(dev->operstate, IF_OPER_UNKNOWN);
	assert_true((dev_get_flags(dev) & (IFF_UP | IFF_RUNNING | IFF_LOWER_UP)) ==
		    (IFF_UP | IFF_RUNNING | IFF_LOWER_UP));

	event_log_register(st, &log, 0);
	netif_carrier_off(dev);
	assert_int_equal(log.n, 1);
	assert_int_equal(log.ev[0], NETDEV_CHANGE);
	assert_int_equal(dev->operstate, IF_OPER_DOWN);   /* a NIC: no lower layer */
	assert_int_equal(dev_get_flags(dev) & (IFF_UP | IFF_RUNNING | IFF_LOWER_UP), IFF_UP);
	netif_carrier_off(dev);
	assert_int_equal(log.n, 1);                         /* no change, no event */
	netif_carrier_on(dev);
	assert_int_equal(log.n, 2);
	assert_int_equal(dev->operstate, IF_OPER_UP);
	assert_true(dev_get_flags(dev) & IFF_RUNNING);
	unregister_netdevice_notifier(st, &log.nb);
	tn_test_stack_free(st);
}

static void test_promiscuity_counts_taps_and_user_separately(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = testdev_create(st->init_net, NULL, true);

	/* Two taps: the device is promiscuous, the user did not ask for it. */
	assert_int_equal(dev_set_promiscuity(dev, 1), 0);
	assert_int_equal(dev_set_promiscuity(dev, 1), 0);
	assert_int_equal(dev->promiscuity, 2);
	assert_true(dev->flags & IFF_PROMISC);
	assert_false(dev_get_flags(dev) & IFF_PROMISC);

	/* `ip link set promisc on`, twice: counted once. */
	assert_int_equal(dev_change_flags(dev, dev_get_flags(dev) | IFF_PROMISC), 0);
	assert_int_equal(dev_change_flags(dev, dev_get_flags(dev) | IFF_PROMISC), 0);
	assert_int_equal(dev->promiscuity, 3);
	assert_true(dev_get_flags(dev) & IFF_PROMISC);

	assert_int_equal(dev_set_promiscuity(dev, -1), 0);
	assert_int_equal(dev_set_promiscuity(dev, -1), 0);
	assert_true(dev->flags & IFF_PROMISC);
	assert_int_equal(dev_change_flags(dev, dev_get_flags(dev) & ~IFF_PROMISC), 0);
	assert_int_equal(dev->promiscuity, 0);
	assert_false(dev->flags & IFF_PROMISC);
	assert_int_equal(dev_set_promiscuity(dev, -1), -EINVAL);
	tn_test_stack_free(st);
}

static void test_change_flags_up_down_and_noarp_notify(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct event_log log;
	struct net_device *dev = testdev_create(st->init_net, NULL, false);

	event_log_register(st, &log, 0);
	assert_int_equal(dev_change_flags(dev, dev_get_flags(dev) | IFF_UP), 0);
	assert_true(netif_running(dev));
	assert_int_equal(log.ev[log.n - 1], NETDEV_UP);
	log.n = 0;
	assert_int_equal(dev_change_flags(dev, dev_get_flags(dev) | IFF_NOARP), 0);
	assert_int_equal(log.n, 1);
	assert_int_equal(log.ev[0], NETDEV_CHANGE);
	/* IFF_LOOPBACK is not the user's to set. */
	assert_int_equal(dev_change_flags(dev, dev_get_flags(dev) | IFF_LOOPBACK), 0);
	assert_false(dev->flags & IFF_LOOPBACK);
	log.n = 0;
	assert_int_equal(dev_change_flags(dev, dev_get_flags(dev) & ~IFF_UP), 0);
	assert_false(netif_running(dev));
	assert_int_equal(log.ev[log.n - 1], NETDEV_DOWN);
	unregister_netdevice_notifier(st, &log.nb);
	tn_test_stack_free(st);
}

/* ---- namespaces ----------------------------------------------------------- */

static void test_netns_move_keeps_free_ifindex_renumbers_taken(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net *init = st->init_net;
	int err;
	struct net *ns = net_create(st, "blue", &err);
	struct event_log log;

	assert_non_null(ns);
	struct net_device *a = testdev_create(init, "tt0", true);   /* ifindex 2 */
	struct net_device *b = testdev_create(init, "tt1", false);  /* ifindex 3 */
	struct net_device *other = testdev_create(ns, "tt0", false); /* ifindex 2 in ns */
	assert_int_equal(b->ifindex, 3);
	assert_int_equal(other->ifindex, 2);

	event_log_register(st, &log, 0);
	/* b: name and ifindex free in ns, kept. */
	assert_int_equal(dev_change_net_namespace(b, ns, NULL), 0);
	assert_ptr_equal(dev_net(b), ns);
	assert_int_equal(b->ifindex, 3);
	assert_ptr_equal(__dev_get_by_name(ns, "tt1"), b);
	assert_null(__dev_get_by_name(init, "tt1"));
	assert_null(__dev_get_by_index(init, 3));
	assert_int_equal(log.n, 2);
	assert_int_equal(log.ev[0], NETDEV_UNREGISTER);
	assert_int_equal(log.ev[1], NETDEV_REGISTER);

	/* a: name taken without a pattern is EEXIST; with one, renamed; its
	 * ifindex 2 is taken in ns, so it is renumbered; it arrives down. */
	assert_int_equal(dev_change_net_namespace(a, ns, NULL), -EEXIST);
	assert_int_equal(dev_change_net_namespace(a, ns, "moved%d"), 0);
	assert_string_equal(a->name, "moved0");
	assert_int_equal(a->ifindex, 4);
	assert_false(netif_running(a));
	assert_ptr_equal(__dev_get_by_index(ns, 4), a);
	assert_null(__dev_get_by_index(init, 2));

	/* lo stays where it is. */
	assert_int_equal(dev_change_net_namespace(init->loopback_dev, ns, "lo%d"), -EINVAL);
	unregister_netdevice_notifier(st, &log.nb);
	tn_test_stack_free(st);
}

static void test_netns_teardown_unregisters_devices_lo_last(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct event_log log;
	int err;
	struct net *ns = net_create(st, "red", &err);
	struct net_device *lo = ns->loopback_dev;
	struct net_device *a = testdev_create(ns, NULL, true);
	struct net_device *b = testdev_create(ns, NULL, false);
	unsigned int unreg = 0;

	event_log_register(st, &log, 0);
	net_destroy(ns);
	for (unsigned int i = 0; i < log.n; i++) {
		if (log.ev[i] != NETDEV_UNREGISTER)
			continue;
		unreg++;
		if (unreg == 3)
			assert_ptr_equal(log.dev[i], lo);
		else
			assert_true(log.dev[i] == a || log.dev[i] == b);
	}
	assert_int_equal(unreg, 3);
	/* a was up: it went down before it went away. */
	assert_int_equal(log.ev[0], NETDEV_GOING_DOWN);
	assert_int_equal(log.ev[1], NETDEV_DOWN);
	unregister_netdevice_notifier(st, &log.nb);
	tn_test_stack_free(st);
}

/* ---- receive -------------------------------------------------------------- */

static void test_backlog_full_drops_and_counts(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = testdev_create(st->init_net, NULL, true);
	struct rx_log h;
	struct rtnl_link_stats64 s;

	rx_log_add(st, &h, ETH_P_TEST, NULL);
	st->sysctl.netdev_max_backlog = 3;
	for (int i = 0; i < 3; i++)
		assert_int_equal(netif_rx(test_skb(dev, ETH_P_TEST)), NET_RX_SUCCESS);
	assert_int_equal(netif_rx(test_skb(dev, ETH_P_TEST)), NET_RX_DROP);
	assert_int_equal(netif_rx(test_skb(dev, ETH_P_TEST)), NET_RX_DROP);
	assert_int_equal(h.n, 0);            /* nothing runs before softirq */
	assert_int_equal(st->sd.dropped, 2);
	dev_get_stats(dev, &s);
	assert_int_equal(s.rx_dropped, 2);
	assert_int_equal(drops(st->init_net, SKB_DROP_REASON_CPU_BACKLOG), 2);

	do_softirq(st);
	assert_int_equal(h.n, 3);
	assert_int_equal(st->sd.processed, 3);
	assert_int_equal(h.pkt_type[0], PACKET_BROADCAST);
	dev_remove_pack(st, &h.pt);
	tn_test_stack_free(st);
}

static void test_netif_rx_on_down_device_drops(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = testdev_create(st->init_net, NULL, false);

	assert_int_equal(netif_rx(test_skb(dev, ETH_P_TEST)), NET_RX_DROP);
	assert_int_equal(dev->core_stats.rx_dropped, 1);
	assert_int_equal(st->sd.dropped, 0);
	assert_int_equal(drops(st->init_net, SKB_DROP_REASON_DEV_READY), 1);
	tn_test_stack_free(st);
}

static void test_ptype_dispatch_by_type_and_device(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *a = testdev_create(st->init_net, NULL, true);
	struct net_device *b = testdev_create(st->init_net, NULL, true);
	struct rx_log any, only_a, other_type;

	rx_log_add(st, &any, ETH_P_TEST, NULL);
	rx_log_add(st, &only_a, ETH_P_TEST, a);
	rx_log_add(st, &other_type, ETH_P_TEST2, NULL);
	inject(a, ETH_P_TEST);
	inject(b, ETH_P_TEST);
	do_softirq(st);
	assert_int_equal(any.n, 2);
	assert_int_equal(only_a.n, 1);
	assert_ptr_equal(only_a.dev[0], a);
	assert_int_equal(other_type.n, 0);
	dev_remove_pack(st, &any.pt);
	dev_remove_pack(st, &only_a.pt);
	dev_remove_pack(st, &other_type.pt);
	tn_test_stack_free(st);
}

static void test_frame_without_handler_counts_rx_dropped(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = testdev_create(st->init_net, NULL, true);
	struct rtnl_link_stats64 s;
	struct rx_log tap;

	inject(dev, ETH_P_TEST);
	do_softirq(st);
	dev_get_stats(dev, &s);
	assert_int_equal(s.rx_dropped, 1);
	assert_int_equal(s.rx_nohandler, 0);
	assert_int_equal(drops(st->init_net, SKB_DROP_REASON_UNHANDLED_PROTO), 1);

	/* A tap watching changes nothing: still a drop (Linux would let the
	 * tap keep it uncounted; see __netif_receive_skb). */
	rx_log_add(st, &tap, ETH_P_ALL, NULL);
	inject(dev, ETH_P_TEST);
	do_softirq(st);
	assert_int_equal(tap.n, 1);
	assert_int_equal(dev->core_stats.rx_dropped, 2);
	assert_int_equal(drops(st->init_net, SKB_DROP_REASON_UNHANDLED_PROTO), 2);
	dev_remove_pack(st, &tap.pt);
	tn_test_stack_free(st);
}

static void test_taps_see_in_and_out_frames(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *a = testdev_create(st->init_net, NULL, true);
	struct net_device *b = testdev_create(st->init_net, NULL, true);
	struct rx_log all, on_b, in_only, handler;
	int err;
	struct net *ns = net_create(st, "green", &err);
	struct rx_log other_ns;

	rx_log_add(st, &all, ETH_P_ALL, NULL);
	rx_log_add(st, &on_b, ETH_P_ALL, b);
	rx_log_add(st, &in_only, ETH_P_ALL, NULL);
	in_only.pt.ignore_outgoing = true;
	rx_log_add(st, &other_ns, ETH_P_ALL, NULL);
	other_ns.pt.net = ns;
	rx_log_add(st, &handler, ETH_P_TEST, NULL);

	inject(a, ETH_P_TEST);
	do_softirq(st);
	assert_int_equal(all.n, 1);
	assert_int_equal(all.pkt_type[0], PACKET_BROADCAST);
	assert_int_equal(in_only.n, 1);
	assert_int_equal(on_b.n, 0);
	assert_int_equal(other_ns.n, 0);
	assert_int_equal(handler.n, 1);

	struct sk_buff *skb = test_skb(b, ETH_P_TEST);
	skb_push(skb, ETH_HLEN);
	skb->pkt_type = PACKET_HOST;
	assert_int_equal(dev_queue_xmit(skb), NET_XMIT_SUCCESS);
	do_softirq(st);
	assert_int_equal(all.n, 2);
	assert_int_equal(all.pkt_type[1], PACKET_OUTGOING);
	assert_int_equal(on_b.n, 1);
	assert_int_equal(on_b.pkt_type[0], PACKET_OUTGOING);
	assert_int_equal(in_only.n, 1);
	assert_int_equal(testdev_tx_count(b), 1);
	/* The driver's own skb is untouched by the taps' clone. */
	assert_int_equal(testdev_peek_tx(b)->pkt_type, PACKET_HOST);

	dev_remove_pack(st, &all.pt);
	dev_remove_pack(st, &on_b.pt);
	dev_remove_pack(st, &in_only.pt);
	dev_remove_pack(st, &other_ns.pt);
	dev_remove_pack(st, &handler.pt);
	tn_test_stack_free(st);
}

/* ---- NAPI ----------------------------------------------------------------- */

static void test_napi_full_weight_goes_to_tail_until_budget(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = napidev_create(st->init_net, 10);
	struct napidev_priv *p = netdev_priv(dev);
	int rounds = 0;

	st->sysctl.netdev_budget = 15;
	p->fn[0].pending = 100;
	p->fn[1].pending = 100;
	p->fn[2].pending = 3;
	for (int i = 0; i < 3; i++)
		napi_schedule(&p->fn[i].napi);
	/* Scheduling a scheduled instance only marks it MISSED. */
	napi_schedule(&p->fn[0].napi);

	/* 0 and 1 use their whole weight (10 each): 20 >= 15, cut before 2. */
	net_rx_action(st);
	assert_int_equal(p->norder, 2);
	assert_int_equal(p->order[0], 0);
	assert_int_equal(p->order[1], 1);
	assert_int_equal(st->sd.time_squeeze, 1);
	assert_int_equal(p->fn[0].pending, 90);
	assert_int_equal(p->fn[1].pending, 90);
	assert_int_equal(p->fn[2].pending, 3);
	assert_true(st->softirq_pending & (1u << NET_RX_SOFTIRQ));

	/* Next run: the one not reached first, then the repolled ones. */
	p->norder = 0;
	net_rx_action(st);
	assert_int_equal(p->norder, 3);
	assert_int_equal(p->order[0], 2);
	assert_int_equal(p->order[1], 0);
	assert_int_equal(p->order[2], 1);
	assert_int_equal(st->sd.time_squeeze, 2);

	/* With the default budget both drain, one weight per run each. */
	st->sysctl.netdev_budget = 300;
	while (!list_empty(&st->sd.poll_list) && rounds++ < 50)
		net_rx_action(st);
	assert_int_equal(p->fn[0].pending, 0);
	assert_int_equal(p->fn[1].pending, 0);
	assert_true(list_empty(&st->sd.poll_list));
	tn_test_stack_free(st);
}

static void test_napi_time_limit_squeezes_after_one_poll(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = napidev_create(st->init_net, 10);
	struct napidev_priv *p = netdev_priv(dev);

	st->sysctl.netdev_budget_usecs = 0;
	p->fn[0].pending = 5;
	p->fn[1].pending = 5;
	napi_schedule(&p->fn[0].napi);
	napi_schedule(&p->fn[1].napi);
	net_rx_action(st);
	assert_int_equal(p->norder, 1);
	assert_int_equal(st->sd.time_squeeze, 1);
	assert_int_equal(p->fn[1].pending, 5);
	st->sysctl.netdev_budget_usecs = 2000;
	net_rx_action(st);
	assert_int_equal(p->fn[1].pending, 0);
	tn_test_stack_free(st);
}

static void test_napi_disabled_is_not_polled(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = napidev_create(st->init_net, 10);
	struct napidev_priv *p = netdev_priv(dev);

	p->fn[0].pending = 5;
	napi_schedule(&p->fn[0].napi);
	dev_close(dev);                      /* disables every instance */
	assert_true(list_empty(&st->sd.poll_list));
	napi_schedule(&p->fn[0].napi);
	net_rx_action(st);
	assert_int_equal(p->norder, 0);
	dev_open(dev);
	napi_schedule(&p->fn[0].napi);
	net_rx_action(st);
	assert_int_equal(p->fn[0].pending, 0);
	tn_test_stack_free(st);
}

/* ---- transmit and unregistration ----------------------------------------- */

static void test_xmit_on_down_device_is_enetdown(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = testdev_create(st->init_net, NULL, false);
	struct rtnl_link_stats64 s;

	assert_int_equal(dev_queue_xmit(test_skb(dev, ETH_P_TEST)), -ENETDOWN);
	dev_get_stats(dev, &s);
	assert_int_equal(s.tx_dropped, 1);
	assert_int_equal(drops(st->init_net, SKB_DROP_REASON_DEV_READY), 1);
	assert_int_equal(testdev_tx_count(dev), 0);
	tn_test_stack_free(st);
}

static void test_noqueue_device_busy_is_a_drop(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = testdev_create(st->init_net, NULL, false);

	dev->priv_flags |= IFF_NO_QUEUE;
	dev_open(dev);
	assert_null(dev->qdisc);
	testdev_set_busy(dev, 1);
	assert_int_equal(dev_queue_xmit(test_skb(dev, ETH_P_TEST)), -ENETDOWN);
	assert_int_equal(dev->core_stats.tx_dropped, 1);
	assert_int_equal(dev_queue_xmit(test_skb(dev, ETH_P_TEST)), NET_XMIT_SUCCESS);
	assert_int_equal(testdev_tx_count(dev), 1);
	tn_test_stack_free(st);
}

static void test_xmit_without_carrier_is_dropped(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = testdev_create(st->init_net, NULL, true);

	netif_carrier_off(dev);
	assert_int_equal(dev_queue_xmit(test_skb(dev, ETH_P_TEST)), NET_XMIT_CN);
	assert_int_equal(drops(st->init_net, SKB_DROP_REASON_TN_LINK_DOWN), 1);
	assert_int_equal(testdev_tx_count(dev), 0);
	tn_test_stack_free(st);
}

static void test_unregister_frees_at_last_reference(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = napidev_create(st->init_net, 10);
	struct napidev_priv *p = netdev_priv(dev);
	bool destroyed = false;
	struct rx_log h;

	/* Frames of the device still in the backlog go with it. */
	rx_log_add(st, &h, ETH_P_TEST, NULL);
	struct sk_buff *skb = alloc_skb(st, 64);
	skb_put_zero(skb, 20);
	skb->dev = dev;
	skb->protocol = ETH_P_TEST;
	assert_int_equal(netif_rx(skb), NET_RX_SUCCESS);
	p->fn[0].pending = 5;
	napi_schedule(&p->fn[0].napi);

	p->destroyed = &destroyed;
	dev_hold(dev);
	unregister_netdevice(dev);
	assert_false(destroyed);
	assert_null(__dev_get_by_name(st->init_net, "napi0"));
	assert_int_equal(dev->reg_state, NETREG_UNREGISTERED);
	assert_int_equal(skb_queue_len(&st->sd.input_pkt_queue), 0);
	dev_put(dev);
	assert_true(destroyed);
	do_softirq(st);
	assert_int_equal(h.n, 0);
	dev_remove_pack(st, &h.pt);
	tn_test_stack_free(st);
}

static void test_late_notifier_sees_existing_devices(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = testdev_create(st->init_net, NULL, true);
	struct event_log log;

	memset(&log, 0, sizeof(log));
	log.nb.notifier_call = event_log_call;
	assert_int_equal(register_netdevice_notifier(st, &log.nb), 0);
	/* lo (down): REGISTER; tt0 (up): REGISTER, UP. */
	assert_int_equal(log.n, 3);
	assert_int_equal(log.ev[1], NETDEV_REGISTER);
	assert_ptr_equal(log.dev[1], dev);
	assert_int_equal(log.ev[2], NETDEV_UP);
	log.n = 0;
	assert_int_equal(unregister_netdevice_notifier(st, &log.nb), 0);
	assert_int_equal(log.n, 4);
	assert_int_equal(log.ev[3], NETDEV_UNREGISTER);
	assert_int_equal(unregister_netdevice_notifier(st, &log.nb), -ENOENT);
	tn_test_stack_free(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_template_names_take_lowest_free_number),
		cmocka_unit_test(test_taken_or_invalid_name_is_refused),
		cmocka_unit_test(test_registered_device_found_by_name_and_index),
		cmocka_unit_test(test_up_down_notifiers_in_order_and_priority),
		cmocka_unit_test(test_mtu_outside_range_is_einval),
		cmocka_unit_test(test_mac_change_rejects_multicast_and_notifies),
		cmocka_unit_test(test_carrier_off_clears_running_and_lower_up),
		cmocka_unit_test(test_promiscuity_counts_taps_and_user_separately),
		cmocka_unit_test(test_change_flags_up_down_and_noarp_notify),
		cmocka_unit_test(test_netns_move_keeps_free_ifindex_renumbers_taken),
		cmocka_unit_test(test_netns_teardown_unregisters_devices_lo_last),
		cmocka_unit_test(test_backlog_full_drops_and_counts),
		cmocka_unit_test(test_netif_rx_on_down_device_drops),
		cmocka_unit_test(test_ptype_dispatch_by_type_and_device),
		cmocka_unit_test(test_frame_without_handler_counts_rx_dropped),
		cmocka_unit_test(test_taps_see_in_and_out_frames),
		cmocka_unit_test(test_napi_full_weight_goes_to_tail_until_budget),
		cmocka_unit_test(test_napi_time_limit_squeezes_after_one_poll),
		cmocka_unit_test(test_napi_disabled_is_not_polled),
		cmocka_unit_test(test_xmit_on_down_device_is_enetdown),
		cmocka_unit_test(test_noqueue_device_busy_is_a_drop),
		cmocka_unit_test(test_xmit_without_carrier_is_dropped),
		cmocka_unit_test(test_unregister_frees_at_last_reference),
		cmocka_unit_test(test_late_notifier_sees_existing_devices),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
