/*
 * IPv4 routing decisions (Linux's net/ipv4/route.c): a flow or a received
 * packet goes in, an rtable (the IPv4 dst_entry) comes out, saying which
 * device, which next hop, which continuation (ip_local_deliver, ip_forward,
 * ip_output, ip_error) and at what MTU.
 *
 * rtables are cached where Linux caches them: on the next hop that made
 * them (nh_rth_output, nh_rth_input), on a PMTU exception for one
 * destination (fnhe_rth_output), and per namespace for the input routes
 * that have no next hop (limited broadcast, multicast, the ip_error
 * routes). So routing a packet on a settled table allocates nothing. A
 * cached rtable carries the namespace's route generation when it was made;
 * rt_cache_flush() bumps the generation, and the stale entry is replaced
 * on the next lookup (its holders see it through ipv4_dst_check).
 *
 * Not here: multicast routing (a multicast destination is delivered locally
 * only for 224.0.0.1, the group every host is in; IGMP membership is
 * future work), redirects (IPSKB_DOREDIRECT), policy routing marks.
 */
#include <errno.h>
#include <stdlib.h>

#include "net/skbuff.h"
#include "net/route.h"
#include "net/ip.h"
#include "net/ip_fib.h"
#include "net/inetdevice.h"
#include "net/net_namespace.h"
#include "net/netdevice.h"
#include "net/stack.h"
#include "net/ipv4/fib_lookup.h"

/* Linux's IP_MAX_MTU: no IPv4 path MTU is larger (lo's 65536 reports 65535). */
#define IP_MAX_MTU 0xFFFFu
#define INADDR_LOOPBACK_HOST 0x7f000001u
#define INADDR_ALLHOSTS_GROUP 0xe0000001u
/* Linux's defaults when the sysctls are not set up (yet). */
#define IP_RT_MTU_EXPIRES_DEFAULT (600 * 1000)
#define IP_RT_MIN_PMTU_DEFAULT 552u

/* Input routes with no next hop, one per namespace: they depend on nothing
 * but the namespace (their device is lo). */
enum {
	RT_ERR_NETUNREACH, RT_ERR_HOSTUNREACH, RT_ERR_ACCES, RT_ERR_INVAL, RT_ERR_MAX
};
struct rt_net {
	struct rtable *lbcast_input;    /* 255.255.255.255 (and 0.0.0.0 from 0.0.0.0) */
	struct rtable *mc_input;        /* 224.0.0.1 */
	struct rtable *err_input[RT_ERR_MAX];
};

static struct net *rt_net_of(const struct rtable *rt)
{
	return dev_net(rt->dst.dev);
}

/* ---- allocation and the caches ------------------------------------------------ */

static void ipv4_dst_destroy(struct dst_entry *dst)
{
	struct rtable *rt = dst_rtable(dst);

	dev_put(dst->dev);
	free(rt);
}

/* A new rtable on dev with one reference (the caller's); Linux's
 * rt_dst_alloc. Output goes to ip_output, input is refused until set. */
static struct rtable *rt_dst_alloc(struct net_device *dev, u32 flags, u16 type)
{
	struct rtable *rt;

	if (!dev)
		return NULL;
	rt = calloc(1, sizeof(*rt));
	if (!rt)
		return NULL;
	dev_hold(dev);
	rt->dst.dev = dev;
	rt->dst.refcnt = 1;
	rt->dst.destroy = ipv4_dst_destroy;
	rt->dst.input = (flags & RTCF_LOCAL) ? ip_local_deliver : dst_discard;
	rt->dst.output = ip_output;
	rt->dst.lastuse = jiffies(dev->stack);
	rt->rt_type = type;
	rt->rt_flags = flags;
	rt->rt_genid = dev_net(dev)->ipv4.rt_genid;
	return rt;
}

static bool rt_cache_valid(const struct rtable *rt)
{
	return rt && !rt->dst.obsolete && rt->rt_genid == rt_net_of(rt)->ipv4.rt_genid;
}

/* Forget a cached entry: holders will see it obsolete and look again. */
static void rt_cache_drop(struct rtable **slot)
{
	struct rtable *rt = *slot;

	if (!rt)
		return;
	*slot = NULL;
	rt->dst.obsolete = true;
	rt->rt_nh = NULL;
	dst_release(&rt->dst);
}

/* Put rt in a cache slot (the slot holds its own reference). */
static void rt_cache_route(struct rtable **slot, struct rtable *rt, struct fib_nh *nh)
{
	rt_cache_drop(slot);
	rt->rt_nh = nh;
	*slot = dst_rtable(dst_hold(&rt->dst));
}

/* Hand a cached entry out: one more reference for the caller. */
static struct rtable *rt_get(struct rtable *rt)
{
	rt->dst.lastuse = jiffies(rt->dst.dev->stack);
	return dst_rtable(dst_hold(&rt->dst));
}

void rt_cache_flush(struct net *net)
{
	net->ipv4.rt_genid++;
}

struct dst_entry *ipv4_dst_check(struct dst_entry *dst)
{
	return rt_cache_valid(dst_rtable(dst)) ? dst : NULL;
}

/* ---- PMTU exceptions ------------------------------------------------------------ */

static u64 ip_rt_mtu_expires(const struct net *net)
{
	int v = net->ipv4.sysctl_route_mtu_expires;

	return v > 0 ? (u64)v : IP_RT_MTU_EXPIRES_DEFAULT;
}

static u32 ip_rt_min_pmtu(const struct net *net)
{
	int v = net->ipv4.sysctl_route_min_pmtu;

	return v > 0 ? (u32)v : IP_RT_MIN_PMTU_DEFAULT;
}

static struct fib_nh_exception **fnhe_bucket(struct fib_nh *nh, u32 daddr)
{
	return &nh->nh_exceptions[(daddr * 0x9e3779b1u) >> (32 - FNHE_HASH_SHIFT)];
}

static void fnhe_free(struct fib_nh_exception *fnhe)
{
	rt_cache_drop(&fnhe->fnhe_rth_output);
	free(fnhe);
}

/* The exception for daddr via nh, if one is alive; an expired one is
 * removed on the way (Linux's find_exception). */
static struct fib_nh_exception *find_exception(struct net *net, struct fib_nh *nh, u32 daddr)
{
	struct fib_nh_exception **pp, *fnhe;

	if (!nh->nh_exceptions)
		return NULL;
	for (pp = fnhe_bucket(nh, daddr); (fnhe = *pp); pp = &fnhe->fnhe_next) {
		if (fnhe->fnhe_daddr != daddr)
			continue;
		if (fnhe->fnhe_expires && jiffies(net->stack) > fnhe->fnhe_expires) {
			*pp = fnhe->fnhe_next;
			fnhe_free(fnhe);
			return NULL;
		}
		return fnhe;
	}
	return NULL;
}

/* A full chain gives up its least recently updated entry. */
static void fnhe_evict_oldest(struct fib_nh_exception **head)
{
	struct fib_nh_exception **pp, **oldest = head, *victim;

	for (pp = head; *pp; pp = &(*pp)->fnhe_next)
		if ((*pp)->fnhe_stamp < (*oldest)->fnhe_stamp)
			oldest = pp;
	victim = *oldest;
	*oldest = victim->fnhe_next;
	fnhe_free(victim);
}

static void fnhe_fill_route(struct rtable *rt, const struct fib_nh_exception *fnhe)
{
	rt->rt_pmtu = fnhe->fnhe_pmtu;
	rt->rt_mtu_locked = fnhe->fnhe_mtu_locked;
	rt->dst.expires = fnhe->fnhe_expires;
}

static struct fib_nh_exception *fnhe_create(struct net *net, struct fib_nh *nh, u32 daddr)
{
	struct fib_nh_exception **head, *fnhe;
	unsigned int depth = 0;

	if (!nh->nh_exceptions) {
		nh->nh_exceptions = calloc(FNHE_HASH_SIZE, sizeof(*nh->nh_exceptions));
		if (!nh->nh_exceptions)
			return NULL;
	}
	head = fnhe_bucket(nh, daddr);
	for (fnhe = *head; fnhe; fnhe = fnhe->fnhe_next)
		depth++;
	if (depth >= FNHE_RECLAIM_DEPTH)
		fnhe_evict_oldest(head);
	fnhe = calloc(1, sizeof(*fnhe));
	if (!fnhe)
		return NULL;
	fnhe->fnhe_daddr = daddr;
	fnhe->fnhe_next = *head;
	*head = fnhe;
	/* Routes cached on the hop do not know the exception: make their
	 * holders look again (Linux marks them DST_OBSOLETE_KILL). */
	rt_cache_drop(&nh->nh_rth_output);
	rt_cache_drop(&nh->nh_rth_input);
	return fnhe;
}

/* Linux's update_or_create_fnhe for a new path MTU. */
static void update_or_create_fnhe(struct net *net, struct fib_nh *nh, u32 daddr, u32 pmtu,
				  bool lock, u64 expires)
{
	struct fib_nh_exception *fnhe = find_exception(net, nh, daddr);

	if (!fnhe)
		fnhe = fnhe_create(net, nh, daddr);
	if (!fnhe)
		return;
	fnhe->fnhe_pmtu = pmtu;
	fnhe->fnhe_mtu_locked = lock;
	fnhe->fnhe_expires = expires ? expires : 1;
	fnhe->fnhe_stamp = jiffies(net->stack);
	if (fnhe->fnhe_rth_output)
		fnhe_fill_route(fnhe->fnhe_rth_output, fnhe);
}

void fib_nh_release_dsts(struct fib_nh *nh)
{
	rt_cache_drop(&nh->nh_rth_output);
	rt_cache_drop(&nh->nh_rth_input);
	if (!nh->nh_exceptions)
		return;
	for (unsigned int i = 0; i < FNHE_HASH_SIZE; i++) {
		while (nh->nh_exceptions[i]) {
			struct fib_nh_exception *fnhe = nh->nh_exceptions[i];

			nh->nh_exceptions[i] = fnhe->fnhe_next;
			fnhe_free(fnhe);
		}
	}
	free(nh->nh_exceptions);
	nh->nh_exceptions = NULL;
}

u32 ipv4_mtu(const struct rtable *rt)
{
	u32 mtu = rt->rt_pmtu;

	if (!mtu || (rt->dst.expires && jiffies(rt->dst.dev->stack) >= rt->dst.expires))
		mtu = rt->rt_mtu;
	if (!mtu) {
		mtu = rt->dst.dev->mtu;
		/* A locked tiny PMTU through a gateway: RFC 1191's 576 floor. */
		if (rt->rt_mtu_locked && rt->rt_uses_gateway && mtu > 576)
			mtu = 576;
	}
	return TN_MIN(mtu, IP_MAX_MTU);
}

/* Only ever lowers; below min_pmtu the floor is used and locked. */
static void __ip_rt_update_pmtu(struct net *net, struct rtable *rt, const struct fib_result *res,
				u32 daddr, u32 mtu)
{
	u32 old_mtu = ipv4_mtu(rt), min_pmtu = ip_rt_min_pmtu(net);
	u64 expires_in = ip_rt_mtu_expires(net), now = jiffies(net->stack);
	bool lock = false;

	if (old_mtu < mtu || !res->fi)
		return;
	if (mtu < min_pmtu) {
		lock = true;
		mtu = TN_MIN(old_mtu, min_pmtu);
	}
	if (rt->rt_pmtu == mtu && !lock && now + expires_in / 2 < rt->dst.expires)
		return;
	update_or_create_fnhe(net, &res->fi->fib_nh, daddr, mtu, lock, now + expires_in);
}

/* ---- output ---------------------------------------------------------------------- */

/* Gateway, metrics and exception of the route onto rt (Linux's
 * rt_set_nexthop): a gateway is used only when it is on link (scope link);
 * a gateway that is our own address means "deliver to daddr directly". */
static void rt_set_nexthop(struct rtable *rt, const struct fib_info *fi,
			   const struct fib_nh_exception *fnhe)
{
	const struct fib_nh *nh;

	if (!fi)
		return;
	nh = &fi->fib_nh;
	if (nh->nh_gw && nh->nh_scope == RT_SCOPE_LINK) {
		rt->rt_uses_gateway = 1;
		rt->rt_gw4 = nh->nh_gw;
	}
	rt->rt_mtu = fi->fib_mtu;
	if (fnhe)
		fnhe_fill_route(rt, fnhe);
}

/* The cache slot an output route for daddr via fi lives in. */
static struct rtable **rt_output_slot(struct net *net, struct fib_info *fi, u32 daddr,
				      struct fib_nh_exception **fnhep)
{
	struct fib_nh *nh = &fi->fib_nh;

	*fnhep = find_exception(net, nh, daddr);
	return *fnhep ? &(*fnhep)->fnhe_rth_output : &nh->nh_rth_output;
}

/* Linux's __mkroute_output: the route's type from the destination, its
 * flags, then the cached rtable or a new one. */
static int __mkroute_output(struct net *net, const struct fib_result *res,
			    const struct flowi4 *fl4, struct net_device *dev_out, u32 flags,
			    struct rtable **rtp)
{
	struct fib_info *fi = res->fi;
	struct fib_nh_exception *fnhe = NULL;
	struct rtable **slot = NULL, *rth;
	u16 type = res->type;

	if (ipv4_is_loopback(fl4->saddr) && !(dev_out->flags & IFF_LOOPBACK))
		return -EINVAL;
	if (ipv4_is_lbcast(fl4->daddr))
		type = RTN_BROADCAST;
	else if (ipv4_is_multicast(fl4->daddr))
		type = RTN_MULTICAST;
	else if (ipv4_is_zeronet(fl4->daddr))
		return -EINVAL;
	if (dev_out->flags & IFF_LOOPBACK)
		flags |= RTCF_LOCAL;
	if (type == RTN_BROADCAST) {
		flags |= RTCF_BROADCAST | RTCF_LOCAL;
		if (ipv4_is_lbcast(fl4->daddr))
			fi = NULL;     /* not the route's: per device, uncached */
	} else if (type == RTN_MULTICAST) {
		flags |= RTCF_MULTICAST;
		fi = NULL;
	}
	if (fi) {
		slot = rt_output_slot(net, fi, fl4->daddr, &fnhe);
		if (rt_cache_valid(*slot)) {
			*rtp = rt_get(*slot);
			return 0;
		}
	}
	rth = rt_dst_alloc(dev_out, flags, type);
	if (!rth)
		return -ENOBUFS;
	rt_set_nexthop(rth, fi, fnhe);
	if (slot)
		rt_cache_route(slot, rth, &fi->fib_nh);
	else
		rth->rt_iif = fl4->flowi4_oif;
	*rtp = rth;
	return 0;
}

/* A given source must be ours (unless the sender may use any) and a
 * plausible unicast address (the saddr block of Linux's
 * ip_route_output_key_hash_rcu). */
static int ip_route_output_check_saddr(struct net *net, const struct flowi4 *fl4)
{
	if (ipv4_is_multicast(fl4->saddr) || ipv4_is_lbcast(fl4->saddr) ||
	    ipv4_is_zeronet(fl4->saddr))
		return -EINVAL;
	if (!(fl4->flowi4_flags & FLOWI_FLAG_ANYSRC) && !inet_lookup_ifaddr(net, fl4->saddr))
		return -ENETUNREACH;
	return 0;
}

/* The caller named a device: it must be up with IPv4, and link-local
 * destinations go out there whatever the tables say. Returns 1 when the
 * route is decided (res->type set), 0 to go on to the FIB, or -errno. */
static int ip_route_output_oif(struct net *net, struct flowi4 *fl4, struct fib_result *res,
			       struct net_device **dev_out)
{
	struct net_device *dev = __dev_get_by_index(net, fl4->flowi4_oif);

	if (!dev)
		return -ENODEV;
	if (!(dev->flags & IFF_UP) || !__in_dev_get(dev))
		return -ENETUNREACH;
	*dev_out = dev;
	if (ipv4_is_local_multicast(fl4->daddr) || ipv4_is_lbcast(fl4->daddr)) {
		if (!fl4->saddr)
			fl4->saddr = inet_select_addr(dev, 0, RT_SCOPE_LINK);
		res->type = RTN_UNICAST;  /* made broadcast/multicast by the daddr */
		return 1;
	}
	if (!fl4->saddr) {
		if (ipv4_is_multicast(fl4->daddr))
			fl4->saddr = inet_select_addr(dev, 0, fl4->flowi4_scope);
		else if (!fl4->daddr)
			fl4->saddr = inet_select_addr(dev, 0, RT_SCOPE_HOST);
	}
	return 0;
}

/* No route, but the caller named a device: Linux assumes the destination
 * is on that link ("routing tables are wrong"). */
static int ip_route_output_assume_onlink(struct flowi4 *fl4, struct fib_result *res,
					 struct net_device *dev_out)
{
	res->fi = NULL;
	res->tableid = 0;
	res->type = RTN_UNICAST;
	if (!fl4->saddr)
		fl4->saddr = inet_select_addr(dev_out, 0, RT_SCOPE_LINK);
	return 0;
}

static int ip_route_output_res(struct net *net, struct flowi4 *fl4, struct fib_result *res,
			       struct rtable **rtp)
{
	struct net_device *dev_out = NULL;
	u32 flags = 0;
	int err;

	memset(res, 0, sizeof(*res));
	if (fl4->saddr && (err = ip_route_output_check_saddr(net, fl4)))
		return err;
	if (fl4->flowi4_oif) {
		err = ip_route_output_oif(net, fl4, res, &dev_out);
		if (err < 0)
			return err;
		if (err > 0)
			goto make_route;
	}
	if (!fl4->daddr) {
		/* To nowhere: to ourselves. */
		fl4->daddr = fl4->saddr ? fl4->saddr : (fl4->saddr = INADDR_LOOPBACK_HOST);
		dev_out = net->loopback_dev;
		fl4->flowi4_oif = dev_out->ifindex;
		res->type = RTN_LOCAL;
		flags |= RTCF_LOCAL;
		goto make_route;
	}
	err = fib_lookup(net, fl4, res);
	if (err) {
		if (!fl4->flowi4_oif)
			return err;
		ip_route_output_assume_onlink(fl4, res, dev_out);
		goto make_route;
	}
	if (res->type == RTN_LOCAL) {
		if (!fl4->saddr)
			fl4->saddr = res->fi->fib_prefsrc ? res->fi->fib_prefsrc : fl4->daddr;
		dev_out = net->loopback_dev;   /* local traffic loops through lo */
		fl4->flowi4_oif = dev_out->ifindex;
		flags |= RTCF_LOCAL;
		goto make_route;
	}
	if (!fl4->saddr)
		fl4->saddr = fib_result_prefsrc(net, res);
	dev_out = res->fi->fib_nh.nh_dev;
	fl4->flowi4_oif = dev_out->ifindex;
make_route:
	return __mkroute_output(net, res, fl4, dev_out, flags, rtp);
}

int ip_route_output_key(struct net *net, struct flowi4 *fl4, struct rtable **rtp)
{
	struct fib_result res;

	*rtp = NULL;
	return ip_route_output_res(net, fl4, &res, rtp);
}

void ipv4_update_pmtu(struct net *net, u32 daddr, u32 mtu)
{
	struct flowi4 fl4 = { .daddr = daddr };
	struct fib_result res;
	struct rtable *rt;

	if (ip_route_output_res(net, &fl4, &res, &rt))
		return;
	__ip_rt_update_pmtu(net, rt, &res, daddr, mtu);
	ip_rt_put(rt);
}

/* ---- input ----------------------------------------------------------------------- */

/* Give the skb a reference to a cached route. */
static void skb_dst_set_cached(struct sk_buff *skb, struct rtable *rt)
{
	skb_dst_set(skb, &rt_get(rt)->dst);
}

static int rt_err_index(int err)
{
	switch (err) {
	case -ENETUNREACH:
		return RT_ERR_NETUNREACH;
	case -EHOSTUNREACH:
		return RT_ERR_HOSTUNREACH;
	case -EACCES:
		return RT_ERR_ACCES;
	default:
		return RT_ERR_INVAL;
	}
}

/* Nowhere to go: a route whose input is ip_error, reporting err (Linux's
 * no_route: label, whose rtable is made with res->type RTN_UNREACHABLE). */
static int ip_route_input_error(struct sk_buff *skb, struct net *net, int err)
{
	struct rtable **slot = &net->ipv4.rt->err_input[rt_err_index(err)];
	struct rtable *rth = *slot;

	if (!rth) {
		rth = rt_dst_alloc(net->loopback_dev, 0, RTN_UNREACHABLE);
		if (!rth)
			return -ENOBUFS;
		rth->dst.input = ip_error;
		rth->dst.output = dst_discard_out;
		rth->dst.error = err;
		rth->rt_is_input = 1;
		*slot = rth;  /* the slot keeps the allocation's reference */
	}
	skb_dst_set_cached(skb, rth);
	return 0;
}

/* For us: deliver locally. Cached on the matching route's next hop, or per
 * namespace when no route matched (limited broadcast). */
static int ip_route_input_local(struct sk_buff *skb, struct net *net,
				const struct fib_result *res, u32 flags, u32 spec_dst)
{
	struct fib_nh *nh = res->fi ? &res->fi->fib_nh : NULL;
	struct rtable **slot = nh ? &nh->nh_rth_input : &net->ipv4.rt->lbcast_input;
	struct rtable *rth = *slot;

	if (rt_cache_valid(rth)) {
		skb_dst_set_cached(skb, rth);
		return 0;
	}
	rth = rt_dst_alloc(nh && nh->nh_dev ? nh->nh_dev : net->loopback_dev,
			   flags | RTCF_LOCAL, res->type);
	if (!rth)
		return -ENOBUFS;
	rth->dst.output = dst_discard_out;
	rth->rt_is_input = 1;
	rth->rt_spec_dst = spec_dst;
	rt_cache_route(slot, rth, nh);
	skb_dst_set(skb, &rth->dst);
	return 0;
}

/*
 * Reverse-path check of a source (Linux's __fib_validate_source): the route
 * back to src must be unicast; with rp_filter 1 it must leave by the device
 * the packet came in on (else -EXDEV), with 2 any route back will do.
 */
static int __fib_validate_source(struct net *net, u32 src, u32 dst, u8 tos,
				 struct net_device *dev, int rpf)
{
	struct flowi4 fl4 = { .daddr = src, .saddr = dst, .flowi4_tos = tos };
	struct fib_result res;
	bool dev_match;

	if (fib_lookup(net, &fl4, &res) || !res.fi)
		return (rpf ? -EXDEV : 0);
	if (res.type != RTN_UNICAST)
		return -EINVAL;
	dev_match = res.fi->fib_nh.nh_dev == dev;
	if (dev_match)
		return res.fi->fib_nh.nh_scope >= RT_SCOPE_HOST;
	if (list_empty(&__in_dev_get(dev)->ifa_list))
		return rpf ? -EXDEV : 0;
	if (rpf == 1)
		return -EXDEV;
	fl4.flowi4_oif = dev->ifindex;
	if (!fib_lookup(net, &fl4, &res) && res.type == RTN_UNICAST && res.fi)
		return res.fi->fib_nh.nh_scope >= RT_SCOPE_HOST;
	return 0;
}

/* Without rp_filter the only check is that the source is not one of our
 * own addresses (a packet from ourselves cannot come from outside). A
 * packet on lo did come from us. */
static int fib_validate_source(struct net *net, u32 src, u32 dst, u8 tos,
			       struct net_device *dev, struct in_device *in_dev)
{
	int rpf = IN_DEV_RPFILTER(in_dev);

	if (dev->flags & IFF_LOOPBACK)
		return 0;
	if (!rpf)
		return inet_lookup_ifaddr(net, src) ? -EINVAL : 0;
	return __fib_validate_source(net, src, dst, tos, dev, rpf);
}

/* Not for us: forward through the route's next hop (Linux's
 * __mkroute_input). The route is cached on the hop unless a PMTU
 * exception applies to daddr. */
static int ip_route_input_forward(struct sk_buff *skb, struct net *net,
				  const struct fib_result *res, u32 daddr, u32 saddr, u8 tos,
				  struct in_device *in_dev)
{
	struct fib_nh *nh = &res->fi->fib_nh;
	struct fib_nh_exception *fnhe;
	struct rtable *rth;
	int err;

	if (!nh->nh_dev || !__in_dev_get(nh->nh_dev))
		return -EINVAL;
	err = fib_validate_source(net, saddr, daddr, tos, in_dev->dev, in_dev);
	if (err < 0)
		return err;
	fnhe = find_exception(net, nh, daddr);
	if (!fnhe && rt_cache_valid(nh->nh_rth_input)) {
		skb_dst_set_cached(skb, nh->nh_rth_input);
		return 0;
	}
	rth = rt_dst_alloc(nh->nh_dev, 0, res->type);
	if (!rth)
		return -ENOBUFS;
	rth->dst.input = ip_forward;
	rth->rt_is_input = 1;
	rt_set_nexthop(rth, res->fi, fnhe);
	if (!fnhe)
		rt_cache_route(&nh->nh_rth_input, rth, nh);
	else
		rth->rt_iif = in_dev->dev->ifindex;
	skb_dst_set(skb, &rth->dst);
	return 0;
}

/* Broadcast to us: from a valid source or from 0.0.0.0 (DHCP). */
static int ip_route_input_brd(struct sk_buff *skb, struct net *net, struct fib_result *res,
			      u32 saddr, u8 tos, struct in_device *in_dev)
{
	u32 spec_dst = res->fi ? res->fi->fib_prefsrc : 0;

	if (skb->protocol != ETH_P_IP)
		return -EINVAL;
	if (!ipv4_is_zeronet(saddr)) {
		int err = fib_validate_source(net, saddr, 0, tos, in_dev->dev, in_dev);

		if (err < 0)
			return err;
	}
	res->type = RTN_BROADCAST;
	return ip_route_input_local(skb, net, res, RTCF_BROADCAST, spec_dst);
}

/* Addresses no packet from outside may carry (the checks of Linux's
 * ip_route_input_slow before the FIB is asked). -EINVAL for a martian. */
static int ip_route_input_martian(u32 daddr, u32 saddr, struct net_device *dev,
				  struct in_device *in_dev)
{
	bool localnet = IN_DEV_ROUTE_LOCALNET(in_dev) || (dev->flags & IFF_LOOPBACK);

	if (ipv4_is_multicast(saddr) || ipv4_is_lbcast(saddr))
		return -EINVAL;   /* martian source */
	if (ipv4_is_lbcast(daddr) || (!saddr && !daddr))
		return 0;
	if (ipv4_is_zeronet(saddr) || ipv4_is_zeronet(daddr))
		return -EINVAL;
	if (ipv4_is_loopback(daddr) || ipv4_is_loopback(saddr))
		return localnet ? 0 : -EINVAL;
	return 0;
}

/* Linux's ip_route_input_slow, after the martian checks. */
static int ip_route_input_fib(struct sk_buff *skb, u32 daddr, u32 saddr, u8 tos,
			      struct in_device *in_dev, struct fib_result *res)
{
	struct net_device *dev = in_dev->dev;
	struct net *net = dev_net(dev);
	struct flowi4 fl4 = {
		.flowi4_iif = dev->ifindex,
		.flowi4_mark = skb->mark,
		.flowi4_tos = tos,
		.flowi4_scope = RT_SCOPE_UNIVERSE,
		.daddr = daddr,
		.saddr = saddr,
	};
	int err;

	err = fib_lookup(net, &fl4, res);
	if (err) {
		res->fi = NULL;
		return ip_route_input_error(skb, net, IN_DEV_FORWARD(in_dev) ? err : -EHOSTUNREACH);
	}
	if (res->type == RTN_BROADCAST)
		return ip_route_input_brd(skb, net, res, saddr, tos, in_dev);
	if (res->type == RTN_LOCAL) {
		err = fib_validate_source(net, saddr, daddr, tos, dev, in_dev);
		if (err < 0)
			return err;
		return ip_route_input_local(skb, net, res, 0, res->prefixlen == 32 ? daddr : 0);
	}
	if (!IN_DEV_FORWARD(in_dev)) {
		res->fi = NULL;
		return ip_route_input_error(skb, net, -EHOSTUNREACH);
	}
	if (res->type != RTN_UNICAST)
		return -EINVAL;   /* martian destination */
	return ip_route_input_forward(skb, net, res, daddr, saddr, tos, in_dev);
}

/* Multicast: delivered if we are in the group; without IGMP membership
 * that is 224.0.0.1 only (Linux's ip_check_mc_rcu + ip_route_input_mc). */
static int ip_route_input_mc(struct sk_buff *skb, u32 daddr, u32 saddr, u8 tos,
			     struct in_device *in_dev)
{
	struct net *net = dev_net(in_dev->dev);
	struct fib_result res = { .type = RTN_MULTICAST };
	struct rtable *rth = net->ipv4.rt->mc_input;
	int err;

	if (daddr != INADDR_ALLHOSTS_GROUP || ipv4_is_multicast(saddr) || ipv4_is_lbcast(saddr))
		return -EINVAL;
	if (ipv4_is_loopback(saddr) && !IN_DEV_ROUTE_LOCALNET(in_dev))
		return -EINVAL;
	if (!ipv4_is_zeronet(saddr)) {
		err = fib_validate_source(net, saddr, 0, tos, in_dev->dev, in_dev);
		if (err < 0)
			return err;
	}
	if (!rth) {
		rth = rt_dst_alloc(net->loopback_dev, RTCF_MULTICAST | RTCF_LOCAL, res.type);
		if (!rth)
			return -ENOBUFS;
		rth->dst.output = dst_discard_out;
		rth->rt_is_input = 1;
		net->ipv4.rt->mc_input = rth;
	}
	skb_dst_set_cached(skb, rth);
	return 0;
}

static int ip_route_input_res(struct sk_buff *skb, u32 daddr, u32 saddr, u8 tos,
			      struct net_device *dev, struct fib_result *res)
{
	struct in_device *in_dev = __in_dev_get(dev);
	int err;

	memset(res, 0, sizeof(*res));
	if (!in_dev)
		return -EINVAL;   /* IP is off on this device */
	if (ipv4_is_multicast(daddr))
		return ip_route_input_mc(skb, daddr, saddr, tos, in_dev);
	err = ip_route_input_martian(daddr, saddr, dev, in_dev);
	if (err)
		return err;
	if (ipv4_is_lbcast(daddr) || (!saddr && !daddr))
		return ip_route_input_brd(skb, dev_net(dev), res, saddr, tos, in_dev);
	return ip_route_input_fib(skb, daddr, saddr, tos, in_dev, res);
}

int ip_route_input(struct sk_buff *skb, u32 daddr, u32 saddr, u8 tos, struct net_device *dev)
{
	struct fib_result res;

	return ip_route_input_res(skb, daddr, saddr, tos, dev, &res);
}

/* ---- ip route get ------------------------------------------------------------------ */

static void rt_get_fill(struct rt_get_result *r, const struct rtable *rt,
			const struct fib_result *res)
{
	u64 now = jiffies(rt->dst.dev->stack);

	r->type = rt->rt_type;
	r->gw = rt->rt_uses_gateway ? rt->rt_gw4 : 0;
	r->uses_gateway = rt->rt_uses_gateway;
	r->oif = rt->dst.dev->ifindex;
	r->flags = rt->rt_flags;
	r->table = res->tableid;
	if (rt->rt_pmtu && rt->dst.expires > now) {
		r->mtu = rt->rt_pmtu;
		r->expires_ms = rt->dst.expires - now;
	}
}

/* `ip route get ... iif D`: route a fake packet as if received on D. */
static int ip_route_get_input(struct net *net, struct rt_get_result *r, int iif, u32 mark)
{
	struct net_device *dev = __dev_get_by_index(net, iif);
	struct fib_result res;
	struct sk_buff *skb;
	int err;

	if (!dev)
		return -ENODEV;
	skb = alloc_skb(net->stack, 64);
	if (!skb)
		return -ENOBUFS;
	skb->protocol = ETH_P_IP;
	skb->dev = dev;
	skb->skb_iif = iif;
	skb->mark = mark;
	err = ip_route_input_res(skb, r->daddr, r->saddr, 0, dev, &res);
	if (!err && skb_dst(skb)->error)
		err = skb_dst(skb)->error;
	if (!err)
		rt_get_fill(r, skb_rtable(skb), &res);
	r->iif = iif;
	consume_skb(skb);
	return err;
}

int ip_route_get(struct net *net, u32 daddr, u32 saddr, int oif, int iif, u32 mark,
		 struct rt_get_result *r)
{
	struct flowi4 fl4 = { .daddr = daddr, .saddr = saddr, .flowi4_oif = oif,
			      .flowi4_mark = mark };
	struct fib_result res;
	struct rtable *rt;
	int err;

	memset(r, 0, sizeof(*r));
	r->daddr = daddr;
	r->saddr = saddr;
	if (iif)
		return ip_route_get_input(net, r, iif, mark);
	err = ip_route_output_res(net, &fl4, &res, &rt);
	if (err)
		return err;
	r->saddr = fl4.saddr;
	rt_get_fill(r, rt, &res);
	ip_rt_put(rt);
	return 0;
}

/* ---- namespace -------------------------------------------------------------------- */

int ip_rt_net_init(struct net *net)
{
	net->ipv4.rt = calloc(1, sizeof(*net->ipv4.rt));
	return net->ipv4.rt ? 0 : -ENOMEM;
}

void ip_rt_net_exit(struct net *net)
{
	struct rt_net *rn = net->ipv4.rt;

	if (!rn)
		return;
	rt_cache_drop(&rn->lbcast_input);
	rt_cache_drop(&rn->mc_input);
	for (int i = 0; i < RT_ERR_MAX; i++)
		rt_cache_drop(&rn->err_input[i]);
	free(rn);
	net->ipv4.rt = NULL;
}
