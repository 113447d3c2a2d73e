/*
 * Route attributes and next hops (Linux's net/ipv4/fib_semantics.c): what a
 * route says beyond its prefix — type, scope, protocol, preferred source,
 * metric, MTU and the next hop (device, gateway) — validated as Linux
 * validates them, and shared: identical attributes are one fib_info, so
 * the rtables cached on its next hop serve every route that uses it.
 *
 * Validation follows fib_create_info / fib_check_nh: a gateway must be
 * reachable on link (a route to it of wider scope than the new route's,
 * unicast or local) unless `onlink`; a route of host scope (local) has no
 * gateway; a preferred source must be a local address; error types
 * (unreachable, prohibit, blackhole) take neither device nor gateway.
 *
 * Not here yet: multipath (fib_nh is a single hop), nexthop objects,
 * metrics other than mtu.
 */
#include <errno.h>
#include <stdlib.h>

#include "net/skbuff.h"
#include "net/ip_fib.h"
#include "net/inetdevice.h"
#include "net/net_namespace.h"
#include "net/netdevice.h"
#include "net/ipv4/fib_lookup.h"

const struct fib_prop fib_props[__RTN_MAX] = {
	[RTN_UNSPEC] = { 0, RT_SCOPE_NOWHERE },
	[RTN_UNICAST] = { 0, RT_SCOPE_UNIVERSE },
	[RTN_LOCAL] = { 0, RT_SCOPE_HOST },
	[RTN_BROADCAST] = { 0, RT_SCOPE_LINK },
	[RTN_ANYCAST] = { 0, RT_SCOPE_LINK },
	[RTN_MULTICAST] = { 0, RT_SCOPE_UNIVERSE },
	[RTN_BLACKHOLE] = { -EINVAL, RT_SCOPE_UNIVERSE },
	[RTN_UNREACHABLE] = { -EHOSTUNREACH, RT_SCOPE_UNIVERSE },
	[RTN_PROHIBIT] = { -EACCES, RT_SCOPE_UNIVERSE },
	[RTN_THROW] = { -EAGAIN, RT_SCOPE_UNIVERSE },
	[RTN_NAT] = { -EINVAL, RT_SCOPE_NOWHERE },
	[RTN_XRESOLVE] = { -EINVAL, RT_SCOPE_NOWHERE },
};

/* The flags that tell two next hops apart (Linux's RTNH_COMPARE_MASK):
 * state (dead, linkdown) does not. */
#define RTNH_COMPARE_MASK (~(u32)(RTNH_F_DEAD | RTNH_F_LINKDOWN))

/* The scope iproute2 gives a route when none is named. */
u32 fib_choose_scope(const struct fib_config *cfg)
{
	switch (cfg->fc_type) {
	case RTN_LOCAL:
	case RTN_NAT:
		return RT_SCOPE_HOST;
	case RTN_BROADCAST:
	case RTN_MULTICAST:
	case RTN_ANYCAST:
		return RT_SCOPE_LINK;
	case RTN_UNSPEC:
	case RTN_UNICAST:
		return cfg->fc_gw4 ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
	default:
		return RT_SCOPE_UNIVERSE;
	}
}

bool fib_lookup_good_nh(const struct fib_nh *nh, int fib_flags, const struct flowi4 *flp)
{
	if (nh->nh_flags & RTNH_F_DEAD)
		return false;
	/* Linux passes over linkdown hops only with ignore_routes_with_linkdown
	 * (default off), which is not a tuxnet sysctl yet. */
	return !flp->flowi4_oif || flp->flowi4_oif == nh->nh_oif;
}

/* A next hop without gateway: the device itself (Linux's
 * fib_check_nh_nongw). */
static int fib_check_nh_nongw(struct net *net, struct fib_nh *nh)
{
	struct net_device *dev = nh->nh_oif ? __dev_get_by_index(net, nh->nh_oif) : NULL;

	if (!dev || !__in_dev_get(dev))
		return -ENODEV;
	if (!(dev->flags & IFF_UP))
		return -ENETDOWN;  /* "Device for nexthop is not up" */
	nh->nh_dev = dev;
	nh->nh_scope = RT_SCOPE_HOST;
	if (!netif_carrier_ok(dev))
		nh->nh_flags |= RTNH_F_LINKDOWN;
	return 0;
}

/* `via G dev D onlink`: G is taken to be on D's link, whatever the tables
 * say, as long as it is a unicast address there. */
static int fib_check_nh_onlink(struct net *net, struct fib_nh *nh, u8 scope)
{
	struct net_device *dev;

	if (scope >= RT_SCOPE_LINK)
		return -EINVAL;    /* "Nexthop has invalid scope" */
	dev = nh->nh_oif ? __dev_get_by_index(net, nh->nh_oif) : NULL;
	if (!dev)
		return -ENODEV;    /* "Nexthop device required for onlink" */
	if (!(dev->flags & IFF_UP))
		return -ENETDOWN;
	if (inet_addr_type_dev_table(net, dev, nh->nh_gw) != RTN_UNICAST)
		return -EINVAL;    /* "Nexthop has invalid gateway" */
	if (!netif_carrier_ok(dev))
		nh->nh_flags |= RTNH_F_LINKDOWN;
	nh->nh_dev = dev;
	nh->nh_scope = RT_SCOPE_LINK;
	return 0;
}

/*
 * A gateway must be reachable by a route of narrower scope than the new
 * route's (at least link): so `via G` needs G on a connected subnet, or a
 * local address (Linux's fib_check_nh_v4_gw). The next hop takes that
 * route's device and scope.
 */
static int fib_check_nh_gw(struct net *net, struct fib_nh *nh, u32 table, u8 scope)
{
	struct flowi4 fl4 = {
		.daddr = nh->nh_gw,
		.flowi4_scope = (u8)TN_MAX(scope + 1, RT_SCOPE_LINK),
		.flowi4_oif = nh->nh_oif,
	};
	struct fib_table *tb = NULL;
	struct fib_result res;
	struct net_device *dev;
	int err = -EAGAIN;

	if (nh->nh_flags & RTNH_F_ONLINK)
		return fib_check_nh_onlink(net, nh, scope);
	if (nh->nh_oif && !__dev_get_by_index(net, nh->nh_oif))
		return -ENODEV;
	if (table && table != RT_TABLE_MAIN)
		tb = fib_get_table(net, table);
	if (tb)
		err = fib_table_lookup(tb, &fl4, &res, FIB_LOOKUP_IGNORE_LINKSTATE);
	if (err)
		err = fib_lookup(net, &fl4, &res);
	if (err)
		return err;        /* "Nexthop has invalid gateway" (-ENETUNREACH) */
	if ((res.type != RTN_UNICAST && res.type != RTN_LOCAL) || !res.fi)
		return -EINVAL;    /* "Nexthop has invalid gateway" */
	dev = res.fi->fib_nh.nh_dev;
	if (!dev)
		return -ENODEV;    /* "No egress device for nexthop gateway" */
	nh->nh_scope = res.scope;
	nh->nh_oif = dev->ifindex;
	nh->nh_dev = dev;
	if (!netif_carrier_ok(dev))
		nh->nh_flags |= RTNH_F_LINKDOWN;
	return (dev->flags & IFF_UP) ? 0 : -ENETDOWN;
}

/* A local address route: the device must exist; nothing is checked of the
 * link, and the hop has scope nowhere so it survives the device going down. */
static int fib_check_nh_host(struct net *net, struct fib_nh *nh)
{
	if (nh->nh_gw)
		return -EINVAL;    /* "Route with host scope can not have a gateway" */
	nh->nh_dev = nh->nh_oif ? __dev_get_by_index(net, nh->nh_oif) : NULL;
	if (!nh->nh_dev)
		return -ENODEV;
	nh->nh_scope = RT_SCOPE_NOWHERE;
	return 0;
}

/* prefsrc must be one of our addresses (Linux's fib_valid_prefsrc); a
 * local route may name its own address before it exists. */
static bool fib_valid_prefsrc(struct net *net, const struct fib_config *cfg, u8 type)
{
	u32 tb_id = cfg->fc_table ? cfg->fc_table : RT_TABLE_MAIN;
	unsigned int rc;

	if (type == RTN_LOCAL && cfg->fc_dst && cfg->fc_prefsrc == cfg->fc_dst)
		return true;
	if (tb_id == RT_TABLE_MAIN)
		tb_id = RT_TABLE_LOCAL;
	rc = inet_addr_type_table(net, cfg->fc_prefsrc, tb_id);
	if (rc != RTN_LOCAL && tb_id != RT_TABLE_LOCAL)
		rc = inet_addr_type_table(net, cfg->fc_prefsrc, RT_TABLE_LOCAL);
	return rc == RTN_LOCAL;
}

static bool fib_nh_equal(const struct fib_nh *a, const struct fib_nh *b)
{
	return a->nh_dev == b->nh_dev && a->nh_oif == b->nh_oif && a->nh_gw == b->nh_gw &&
	       a->nh_scope == b->nh_scope &&
	       !((a->nh_flags ^ b->nh_flags) & RTNH_COMPARE_MASK);
}

/* An existing fib_info with the same attributes (Linux's fib_find_info). */
static struct fib_info *fib_find_info(struct net *net, const struct fib_info *nfi)
{
	struct fib_info *fi;

	list_for_each_entry(fi, &net->ipv4.fib_info_list, fib_list) {
		if (fi->fib_dead || (fi->fib_flags & RTNH_F_DEAD))
			continue;
		if (fi->fib_protocol == nfi->fib_protocol && fi->fib_scope == nfi->fib_scope &&
		    fi->fib_type == nfi->fib_type && fi->fib_prefsrc == nfi->fib_prefsrc &&
		    fi->fib_priority == nfi->fib_priority && fi->fib_mtu == nfi->fib_mtu &&
		    fi->fib_tb_id == nfi->fib_tb_id && fib_nh_equal(&fi->fib_nh, &nfi->fib_nh))
			return fi;
	}
	return NULL;
}

/* Type and scope as given, or chosen; -EINVAL for combinations Linux
 * refuses ("Invalid scope"). */
static int fib_config_type_scope(const struct fib_config *cfg, u8 *type, u8 *scope)
{
	*type = cfg->fc_type ? cfg->fc_type : RTN_UNICAST;
	*scope = cfg->fc_scope == RT_SCOPE_NOWHERE ? (u8)fib_choose_scope(cfg) : cfg->fc_scope;
	if (*type >= __RTN_MAX || fib_props[*type].scope > *scope || *scope > RT_SCOPE_HOST)
		return -EINVAL;
	return 0;
}

static int fib_check_info(struct net *net, const struct fib_config *cfg, struct fib_info *nfi)
{
	int err;

	if (fib_props[nfi->fib_type].error) {
		/* "Gateway, device and multipath can not be specified for this route type" */
		return (cfg->fc_gw4 || cfg->fc_oif) ? -EINVAL : 0;
	}
	if (nfi->fib_scope == RT_SCOPE_HOST)
		err = fib_check_nh_host(net, &nfi->fib_nh);
	else if (nfi->fib_nh.nh_gw)
		err = fib_check_nh_gw(net, &nfi->fib_nh, cfg->fc_table, nfi->fib_scope);
	else
		err = fib_check_nh_nongw(net, &nfi->fib_nh);
	if (err)
		return err;
	if (nfi->fib_prefsrc && !fib_valid_prefsrc(net, cfg, nfi->fib_type))
		return -EINVAL;    /* "Invalid prefsrc address" */
	return 0;
}

struct fib_info *fib_create_info(struct net *net, const struct fib_config *cfg, int *err)
{
	struct fib_info nfi = { 0 }, *fi;

	*err = fib_config_type_scope(cfg, &nfi.fib_type, &nfi.fib_scope);
	if (*err)
		return NULL;
	nfi.fib_net = net;
	nfi.fib_tb_id = cfg->fc_table ? cfg->fc_table : RT_TABLE_MAIN;
	nfi.fib_protocol = cfg->fc_protocol;
	nfi.fib_prefsrc = cfg->fc_prefsrc;
	nfi.fib_priority = cfg->fc_priority;
	nfi.fib_mtu = cfg->fc_mtu;
	nfi.fib_nh.nh_gw = cfg->fc_gw4;
	nfi.fib_nh.nh_oif = cfg->fc_oif;
	nfi.fib_nh.nh_flags = cfg->fc_flags & RTNH_F_ONLINK;
	*err = fib_check_info(net, cfg, &nfi);
	if (*err)
		return NULL;

	fi = fib_find_info(net, &nfi);
	if (fi) {
		fi->fib_treeref++;
		return fi;
	}
	fi = malloc(sizeof(*fi));
	if (!fi) {
		*err = -ENOMEM;
		return NULL;
	}
	*fi = nfi;
	fi->fib_treeref = 1;
	fi->fib_nh.nh_parent = fi;
	fi->fib_flags = fi->fib_nh.nh_flags & RTNH_F_LINKDOWN;
	if (fi->fib_nh.nh_dev)
		dev_hold(fi->fib_nh.nh_dev);
	list_add_tail(&fi->fib_list, &net->ipv4.fib_info_list);
	return fi;
}

static void fib_free_info(struct fib_info *fi)
{
	list_del(&fi->fib_list);
	fi->fib_dead = true;
	fib_nh_release_dsts(&fi->fib_nh);
	if (fi->fib_nh.nh_dev)
		dev_put(fi->fib_nh.nh_dev);
	free(fi);
}

void fib_release_info(struct fib_info *fi)
{
	TN_BUG_ON(fi->fib_treeref <= 0);
	if (--fi->fib_treeref == 0)
		fib_free_info(fi);
}

void fib_info_free_all(struct net *net)
{
	while (!list_empty(&net->ipv4.fib_info_list))
		fib_free_info(list_first_entry(&net->ipv4.fib_info_list, struct fib_info, fib_list));
}

bool fib_nh_match(const struct fib_config *cfg, const struct fib_info *fi)
{
	if (cfg->fc_priority && cfg->fc_priority != fi->fib_priority)
		return false;
	if (cfg->fc_oif && cfg->fc_oif != fi->fib_nh.nh_oif)
		return false;
	return !cfg->fc_gw4 || cfg->fc_gw4 == fi->fib_nh.nh_gw;
}

/* ---- device and address events -------------------------------------------- */

/* The per-event state a dying next hop takes (Linux's switch in
 * fib_sync_down_dev): down and unregister kill, carrier loss only marks. */
static u32 fib_sync_down_flags(unsigned long event)
{
	switch (event) {
	case NETDEV_DOWN:
	case NETDEV_UNREGISTER:
		return RTNH_F_DEAD | RTNH_F_LINKDOWN;
	case NETDEV_CHANGE:
		return RTNH_F_LINKDOWN;
	default:
		return 0;
	}
}

int fib_sync_down_dev(struct net_device *dev, unsigned long event, bool force)
{
	int scope = force ? -1 : RT_SCOPE_NOWHERE;
	u32 flags = fib_sync_down_flags(event);
	struct fib_info *fi;
	int ret = 0;

	list_for_each_entry(fi, &dev_net(dev)->ipv4.fib_info_list, fib_list) {
		struct fib_nh *nh = &fi->fib_nh;

		if (nh->nh_dev != dev)
			continue;
		if (!(nh->nh_flags & RTNH_F_DEAD)) {
			/* Host-scope (local) hops outlive a down device. */
			if (nh->nh_scope == scope)
				continue;
			nh->nh_flags |= flags;
		}
		fi->fib_flags |= flags;
		ret++;
	}
	return ret;
}

int fib_sync_up(struct net_device *dev, u32 nh_flags)
{
	struct fib_info *fi;
	int ret = 0;

	if (!(dev->flags & IFF_UP))
		return 0;
	if ((nh_flags & RTNH_F_DEAD) && netif_carrier_ok(dev))
		nh_flags |= RTNH_F_LINKDOWN;
	list_for_each_entry(fi, &dev_net(dev)->ipv4.fib_info_list, fib_list) {
		struct fib_nh *nh = &fi->fib_nh;

		if (nh->nh_dev != dev || !(nh->nh_flags & nh_flags))
			continue;
		nh->nh_flags &= ~nh_flags;
		fi->fib_flags &= ~nh_flags;
		ret++;
	}
	return ret;
}

int fib_sync_down_addr(struct net_device *dev, u32 local)
{
	struct fib_info *fi;
	int ret = 0;

	list_for_each_entry(fi, &dev_net(dev)->ipv4.fib_info_list, fib_list) {
		if (fi->fib_tb_id != RT_TABLE_MAIN || fi->fib_prefsrc != local)
			continue;
		fi->fib_flags |= RTNH_F_DEAD;
		ret++;
	}
	return ret;
}
