/*
 * The FIB of a namespace (Linux's net/ipv4/fib_frontend.c): its tables
 * (local 255 and main 254 from the start, others on first use), lookup over
 * them in the order of Linux's default rules (local, main, default), what
 * an address is to us (inet_addr_type), and the routes that follow
 * addresses and devices:
 *
 *   address A/P on D (primary):  local A          table local, scope host
 *                                P/len            table main,  scope link
 *                                broadcast P|~M   table local, scope link
 *   secondary:                   local A src <its primary>
 *
 * all proto kernel with src the primary address, as fib_add_ifaddr makes
 * them (Linux >= 5.x adds no network-address broadcast route; lo's prefix
 * route is `local 127.0.0.0/8` in table local). A device going down kills
 * every route through it except its local addresses; losing carrier only
 * marks them linkdown; unregistering removes everything.
 *
 * Policy rules (`ip rule`) are not here: the three default rules are.
 */
#include <errno.h>
#include <stdlib.h>

#include "net/skbuff.h"
#include "net/ip_fib.h"
#include "net/inetdevice.h"
#include "net/net_namespace.h"
#include "net/netdevice.h"
#include "net/stack.h"
#include "net/ipv4/fib_lookup.h"

/* ---- tables ------------------------------------------------------------------ */

struct fib_table *fib_get_table(struct net *net, u32 id)
{
	struct fib_table *tb;

	if (!id)
		id = RT_TABLE_MAIN;
	list_for_each_entry(tb, &net->ipv4.fib_tables, tb_list)
		if (tb->tb_id == id)
			return tb;
	return NULL;
}

struct fib_table *fib_new_table(struct net *net, u32 id)
{
	struct fib_table *tb, *pos;

	if (!id)
		id = RT_TABLE_MAIN;
	tb = fib_get_table(net, id);
	if (tb)
		return tb;
	tb = fib_trie_table(id);
	if (!tb)
		return NULL;
	/* Keep the list by ascending id: `ip route show table all` order. */
	list_for_each_entry(pos, &net->ipv4.fib_tables, tb_list)
		if (pos->tb_id > id)
			break;
	list_add_tail(&tb->tb_list, &pos->tb_list);
	return tb;
}

int fib_table_insert(struct net *net, const struct fib_config *cfg)
{
	struct fib_table *tb = fib_new_table(net, cfg->fc_table);

	return tb ? __fib_table_insert(net, tb, cfg) : -ENOMEM;
}

int fib_table_delete(struct net *net, const struct fib_config *cfg)
{
	struct fib_table *tb = fib_get_table(net, cfg->fc_table);

	return tb ? __fib_table_delete(net, tb, cfg) : -ESRCH;
}

/* The default rules: local, main, default. A table with no match (or a
 * throw route) passes the flow on to the next. */
int fib_lookup(struct net *net, const struct flowi4 *flp, struct fib_result *res)
{
	static const u32 rule_tables[] = { RT_TABLE_LOCAL, RT_TABLE_MAIN, RT_TABLE_DEFAULT };

	for (size_t i = 0; i < ARRAY_SIZE(rule_tables); i++) {
		struct fib_table *tb = fib_get_table(net, rule_tables[i]);
		int err;

		if (!tb)
			continue;
		err = fib_table_lookup(tb, flp, res, 0);
		if (err != -EAGAIN)
			return err;
	}
	return -ENETUNREACH;
}

void fib_table_walk(struct net *net, u32 id,
		    void (*cb)(const struct fib_route_info *ri, void *arg), void *arg)
{
	struct fib_table *tb;

	list_for_each_entry(tb, &net->ipv4.fib_tables, tb_list)
		if (!id || tb->tb_id == id)
			fib_table_walk_one(tb, cb, arg);
}

int fib_flush(struct net *net)
{
	struct fib_table *tb;
	int flushed = 0;

	list_for_each_entry(tb, &net->ipv4.fib_tables, tb_list)
		flushed += fib_table_flush(net, tb, false);
	if (flushed)
		rt_cache_flush(net);
	return flushed;
}

/* ---- what an address is ------------------------------------------------------ */

static unsigned int __inet_dev_addr_type(struct net *net, const struct net_device *dev,
					 u32 addr, u32 tb_id)
{
	struct flowi4 fl4 = { .daddr = addr };
	struct fib_result res;
	struct fib_table *tb;

	if (ipv4_is_zeronet(addr) || ipv4_is_lbcast(addr))
		return RTN_BROADCAST;
	if (ipv4_is_multicast(addr))
		return RTN_MULTICAST;
	tb = fib_get_table(net, tb_id);
	if (!tb || fib_table_lookup(tb, &fl4, &res, 0) || !res.fi)
		return RTN_UNICAST;
	if (dev && dev != res.fi->fib_nh.nh_dev)
		return RTN_UNICAST;
	return res.type;
}

unsigned int inet_addr_type_table(struct net *net, u32 addr, u32 tb_id)
{
	return __inet_dev_addr_type(net, NULL, addr, tb_id);
}

unsigned int inet_addr_type(struct net *net, u32 addr)
{
	return __inet_dev_addr_type(net, NULL, addr, RT_TABLE_LOCAL);
}

unsigned int inet_addr_type_dev_table(struct net *net, const struct net_device *dev, u32 addr)
{
	return __inet_dev_addr_type(net, dev, addr, RT_TABLE_LOCAL);
}

u32 fib_result_prefsrc(struct net *net, const struct fib_result *res)
{
	const struct fib_nh *nh = &res->fi->fib_nh;

	if (res->fi->fib_prefsrc)
		return res->fi->fib_prefsrc;
	return nh->nh_dev ? inet_select_addr(nh->nh_dev, nh->nh_gw, res->scope) : 0;
}

/* Our address to answer a received packet from: its destination if that is
 * one of ours, else the address we would use to reach its source (Linux's
 * fib_compute_spec_dst). */
u32 fib_compute_spec_dst(struct sk_buff *skb)
{
	struct rtable *rt = skb_rtable(skb);
	const u8 *iph = skb->head + skb->network_header;
	u32 saddr = get_be32(iph + 12), daddr = get_be32(iph + 16);
	struct net_device *dev = skb->dev;
	struct fib_result res;
	int scope = RT_SCOPE_UNIVERSE;

	if ((rt->rt_flags & (RTCF_BROADCAST | RTCF_MULTICAST | RTCF_LOCAL)) == RTCF_LOCAL)
		return daddr;
	if (!ipv4_is_zeronet(saddr)) {
		struct flowi4 fl4 = { .daddr = saddr, .flowi4_scope = RT_SCOPE_UNIVERSE };

		if (!fib_lookup(dev_net(dev), &fl4, &res) && res.fi)
			return fib_result_prefsrc(dev_net(dev), &res);
	} else {
		scope = RT_SCOPE_LINK;
	}
	return inet_select_addr(dev, saddr, scope);
}

/* ---- routes that follow addresses ----------------------------------------- */

enum { FIB_MAGIC_ADD, FIB_MAGIC_DEL };

/* Add or delete one kernel route for ifa (Linux's fib_magic): unicast in
 * main, the rest in local; src is the primary address prim. */
static void fib_magic(int cmd, u8 type, u32 dst, u8 dst_len, const struct in_ifaddr *prim)
{
	struct net_device *dev = prim->ifa_dev->dev;
	struct fib_config cfg = {
		.fc_table = type == RTN_UNICAST ? RT_TABLE_MAIN : RT_TABLE_LOCAL,
		.fc_dst = dst,
		.fc_dst_len = dst_len,
		.fc_protocol = RTPROT_KERNEL,
		.fc_scope = type == RTN_LOCAL ? RT_SCOPE_HOST : RT_SCOPE_LINK,
		.fc_type = type,
		.fc_oif = dev->ifindex,
		.fc_prefsrc = prim->ifa_local,
		.fc_nlflags = NLM_F_CREATE | NLM_F_APPEND,
	};

	/* Errors are Linux's too: an identical route is already there
	 * (-EEXIST), or the route is gone already (-ESRCH). */
	if (cmd == FIB_MAGIC_ADD)
		fib_table_insert(dev_net(dev), &cfg);
	else
		fib_table_delete(dev_net(dev), &cfg);
}

/* The primary address of in_dev on prefix/mask. */
static struct in_ifaddr *inet_ifa_byprefix(struct in_device *in_dev, u32 prefix, u32 mask)
{
	struct in_ifaddr *ifa;

	in_dev_for_each_ifa(ifa, in_dev)
		if (!(ifa->ifa_flags & IFA_F_SECONDARY) && ifa->ifa_mask == mask &&
		    inet_ifa_match(prefix, ifa))
			return ifa;
	return NULL;
}

static struct in_ifaddr *fib_ifa_primary(struct in_ifaddr *ifa)
{
	if (!(ifa->ifa_flags & IFA_F_SECONDARY))
		return ifa;
	return inet_ifa_byprefix(ifa->ifa_dev, ifa->ifa_address & ifa->ifa_mask, ifa->ifa_mask);
}

/* Does the address give its subnet a prefix route (and broadcast)? */
static bool fib_ifa_has_subnet(const struct in_ifaddr *ifa)
{
	u32 prefix = ifa->ifa_address & ifa->ifa_mask;

	return !ipv4_is_zeronet(prefix) && !(ifa->ifa_flags & IFA_F_SECONDARY) &&
	       (prefix != ifa->ifa_local || ifa->ifa_prefixlen < 32);
}

static void fib_add_ifaddr(struct in_ifaddr *ifa)
{
	struct net_device *dev = ifa->ifa_dev->dev;
	struct in_ifaddr *prim = fib_ifa_primary(ifa);
	u32 prefix = ifa->ifa_address & ifa->ifa_mask;

	if (!prim)
		return;
	fib_magic(FIB_MAGIC_ADD, RTN_LOCAL, ifa->ifa_local, 32, prim);
	if (!(dev->flags & IFF_UP))
		return;
	/* A broadcast address given explicitly. */
	if (ifa->ifa_broadcast && ifa->ifa_broadcast != 0xffffffffu)
		fib_magic(FIB_MAGIC_ADD, RTN_BROADCAST, ifa->ifa_broadcast, 32, prim);
	if (!fib_ifa_has_subnet(ifa))
		return;
	fib_magic(FIB_MAGIC_ADD, (dev->flags & IFF_LOOPBACK) ? RTN_LOCAL : RTN_UNICAST, prefix,
		  ifa->ifa_prefixlen, prim);
	if (ifa->ifa_prefixlen < 31)
		fib_magic(FIB_MAGIC_ADD, RTN_BROADCAST, prefix | ~ifa->ifa_mask, 32, prim);
}

/* Which of ifa's routes another address of the device, using the same
 * primary (so the same src), still needs (part of Linux's fib_del_ifaddr). */
enum { LOCAL_OK = 1, BRD_OK = 2, BRD0_OK = 4, BRD1_OK = 8 };

static unsigned int fib_ifa_still_needed(const struct in_ifaddr *ifa,
					 const struct in_ifaddr *prim)
{
	u32 brd = ifa->ifa_address | ~ifa->ifa_mask, any = ifa->ifa_address & ifa->ifa_mask;
	struct in_ifaddr *ifa1;
	unsigned int ok = 0;

	in_dev_for_each_ifa(ifa1, ifa->ifa_dev) {
		const struct in_ifaddr *prim1 = fib_ifa_primary(ifa1);

		if (ifa1 == ifa || !prim1 || prim1->ifa_local != prim->ifa_local)
			continue;
		if (ifa->ifa_local == ifa1->ifa_local)
			ok |= LOCAL_OK;
		if (ifa->ifa_broadcast == ifa1->ifa_broadcast)
			ok |= BRD_OK;
		if (brd == ifa1->ifa_broadcast)
			ok |= BRD1_OK;
		if (any == ifa1->ifa_broadcast)
			ok |= BRD0_OK;
		if (prim1 == ifa1 && ifa1->ifa_prefixlen < 31) {
			u32 brd1 = ifa1->ifa_address | ~ifa1->ifa_mask;

			if (ifa->ifa_broadcast == brd1)
				ok |= BRD_OK;
			if (brd == brd1)
				ok |= BRD1_OK;
		}
	}
	return ok;
}

/*
 * ifa is gone (already off its device's list). Delete its routes unless
 * another address still needs them; if the address is no longer local at
 * all, routes using it as source die with it (Linux's fib_del_ifaddr).
 */
static void fib_del_ifaddr(struct in_ifaddr *ifa)
{
	struct net_device *dev = ifa->ifa_dev->dev;
	struct net *net = dev_net(dev);
	u32 any = ifa->ifa_address & ifa->ifa_mask, brd = ifa->ifa_address | ~ifa->ifa_mask;
	struct in_ifaddr *prim = fib_ifa_primary(ifa);
	bool subnet = false;
	unsigned int ok;

	if (!prim)
		return;
	if (fib_ifa_has_subnet(ifa)) {
		fib_magic(FIB_MAGIC_DEL, (dev->flags & IFF_LOOPBACK) ? RTN_LOCAL : RTN_UNICAST, any,
			  ifa->ifa_prefixlen, prim);
		subnet = true;
	}
	ok = fib_ifa_still_needed(ifa, prim);
	if (!(ok & BRD_OK) && ifa->ifa_broadcast)
		fib_magic(FIB_MAGIC_DEL, RTN_BROADCAST, ifa->ifa_broadcast, 32, prim);
	if (subnet && ifa->ifa_prefixlen < 31) {
		if (!(ok & BRD1_OK))
			fib_magic(FIB_MAGIC_DEL, RTN_BROADCAST, brd, 32, prim);
		if (!(ok & BRD0_OK))
			fib_magic(FIB_MAGIC_DEL, RTN_BROADCAST, any, 32, prim);
	}
	if (ok & LOCAL_OK)
		return;
	fib_magic(FIB_MAGIC_DEL, RTN_LOCAL, ifa->ifa_local, 32, prim);
	if (inet_addr_type_dev_table(net, dev, ifa->ifa_local) != RTN_LOCAL &&
	    fib_sync_down_addr(dev, ifa->ifa_local))
		fib_flush(net);
}

static void fib_disable_ip(struct net_device *dev, unsigned long event, bool force)
{
	if (fib_sync_down_dev(dev, event, force))
		fib_flush(dev_net(dev));
	else
		rt_cache_flush(dev_net(dev));
}

static void fib_inetaddr_event(struct inetaddr_notifier *nb, int event, struct in_ifaddr *ifa)
{
	struct net_device *dev = ifa->ifa_dev->dev;

	switch (event) {
	case INETADDR_UP:
		fib_add_ifaddr(ifa);
		fib_sync_up(dev, RTNH_F_DEAD);
		rt_cache_flush(dev_net(dev));
		break;
	case INETADDR_DOWN:
		fib_del_ifaddr(ifa);
		/* The last address went: IP is off on this device. */
		if (list_empty(&ifa->ifa_dev->ifa_list))
			fib_disable_ip(dev, NETDEV_DOWN, true);
		else
			rt_cache_flush(dev_net(dev));
		break;
	default:
		break;
	}
}

static int fib_netdev_event(struct notifier_block *nb, unsigned long event, void *ptr)
{
	struct net_device *dev = ptr;
	struct in_device *in_dev = __in_dev_get(dev);
	struct in_ifaddr *ifa;

	switch (event) {
	case NETDEV_UP:
		if (!in_dev)
			break;
		in_dev_for_each_ifa(ifa, in_dev)
			fib_add_ifaddr(ifa);
		fib_sync_up(dev, RTNH_F_DEAD);
		rt_cache_flush(dev_net(dev));
		break;
	case NETDEV_DOWN:
		fib_disable_ip(dev, event, false);
		break;
	case NETDEV_UNREGISTER:
		fib_disable_ip(dev, event, true);
		break;
	case NETDEV_CHANGE:
		if (netif_running(dev) && netif_carrier_ok(dev))
			fib_sync_up(dev, RTNH_F_LINKDOWN);
		else
			fib_sync_down_dev(dev, event, false);
		rt_cache_flush(dev_net(dev));
		break;
	case NETDEV_CHANGEMTU:
		rt_cache_flush(dev_net(dev));
		break;
	default:
		break;
	}
	return NOTIFY_DONE;
}

/* ---- subsystem -------------------------------------------------------------- */

static int fib_init(struct tn_stack *st)
{
	struct notifier_block *nb = calloc(1, sizeof(*nb));
	struct inetaddr_notifier *in = calloc(1, sizeof(*in));
	int err;

	if (!nb || !in)
		goto nomem;
	nb->notifier_call = fib_netdev_event;
	in->fn = fib_inetaddr_event;
	err = register_netdevice_notifier(st, nb);
	if (err) {
		free(nb);
		free(in);
		return err;
	}
	register_inetaddr_notifier(st, in);
	return 0;

nomem:
	free(nb);
	free(in);
	return -ENOMEM;
}

/* Our blocks are the ones calling our handlers: one of each per stack. */
static void fib_exit(struct tn_stack *st)
{
	struct notifier_block *nb;
	struct inetaddr_notifier *in;

	for (in = st->inetaddr_chain; in; in = in->next)
		if (in->fn == fib_inetaddr_event)
			break;
	if (in) {
		unregister_inetaddr_notifier(st, in);
		free(in);
	}
	for (nb = st->netdev_chain; nb; nb = nb->next)
		if (nb->notifier_call == fib_netdev_event)
			break;
	if (nb) {
		unregister_netdevice_notifier(st, nb);
		free(nb);
	}
}

static void fib_net_exit(struct net *net)
{
	struct netns_ipv4 *ipv4 = &net->ipv4;

	ip_rt_net_exit(net);
	while (!list_empty(&ipv4->fib_tables)) {
		struct fib_table *tb = list_first_entry(&ipv4->fib_tables, struct fib_table, tb_list);

		list_del(&tb->tb_list);
		fib_free_table(tb);
	}
	fib_info_free_all(net);
	ipv4->fib_local = ipv4->fib_main = NULL;
}

static int fib_net_init(struct net *net)
{
	struct netns_ipv4 *ipv4 = &net->ipv4;

	INIT_LIST_HEAD(&ipv4->fib_tables);
	INIT_LIST_HEAD(&ipv4->fib_info_list);
	ipv4->fib_main = fib_new_table(net, RT_TABLE_MAIN);
	ipv4->fib_local = fib_new_table(net, RT_TABLE_LOCAL);
	if (!ipv4->fib_main || !ipv4->fib_local || ip_rt_net_init(net)) {
		fib_net_exit(net);
		return -ENOMEM;
	}
	return 0;
}

const struct tn_subsystem fib_subsys = {
	.name = "fib",
	.init = fib_init,
	.exit = fib_exit,
	.net_init = fib_net_init,
	.net_exit = fib_net_exit,
};
