/*
 * ARP for IPv4 over Ethernet (Linux's net/ipv4/arp.c): the protocol half of
 * the neighbour cache. It creates each namespace's arp_cache table, knows
 * which addresses need no resolution (multicast, broadcast, NOARP and
 * loopback devices), sends requests (broadcast while INCOMPLETE, unicast
 * while PROBE) and replies, and turns what arrives into neigh_update() calls
 * with Linux's rules: answer requests for local addresses and cache the
 * asker as STALE; let replies (and gratuitous ARP) refresh only entries we
 * already have unless arp_accept says otherwise.
 *
 * It is not the state machine (net/core/neighbour.c) nor the wire format
 * (wire_arp.c). Proxy ARP and the NF_ARP hooks are not here yet; arp_filter
 * decides without the FIB until routing lands (see arp_filter()).
 */
#include <errno.h>
#include <stdlib.h>

#include "net/skbuff.h"  /* before <linux/...> headers: PACKET_HOST */
#include "net/arp.h"
#include "net/etherdevice.h"
#include "net/inetdevice.h"
#include "net/netdevice.h"
#include "net/net_namespace.h"
#include "net/stack.h"
#include "net/wire/arp.h"
#include "lib/hash.h"

#define ARP_AF_INET 2
#define ARP_SK_WMEM_MAX 212992   /* Linux's SK_WMEM_MAX: default unres_qlen_bytes */

/* ---- the table --------------------------------------------------------- */

static u32 arp_hash(const void *key, const struct net_device *dev, u32 seed)
{
	return jhash_2words(get_be32(key), (u32)dev->ifindex, seed);
}

/* RFC 1112 6.4: the low 23 bits of the group under 01:00:5e. */
static void arp_mc_map(u32 addr, u8 *haddr)
{
	haddr[0] = 0x01;
	haddr[1] = 0x00;
	haddr[2] = 0x5e;
	haddr[3] = (u8)((addr >> 16) & 0x7f);
	haddr[4] = (u8)(addr >> 8);
	haddr[5] = (u8)addr;
}

/* Limited broadcast, or a broadcast address configured on dev (the part of
 * Linux's inet_addr_type that matters for a neighbour). */
static bool arp_addr_is_broadcast(const struct net_device *dev, u32 addr)
{
	const struct in_device *in_dev = __in_dev_get(dev);
	const struct in_ifaddr *ifa;

	if (ipv4_is_lbcast(addr))
		return true;
	if (!in_dev)
		return false;
	in_dev_for_each_ifa(ifa, in_dev)
		if (ifa->ifa_broadcast && ifa->ifa_broadcast == addr)
			return true;
	return false;
}

/* A plain remote address: not ours, not broadcast, multicast or zeronet
 * (Linux: inet_addr_type_dev_table() == RTN_UNICAST). */
static bool arp_addr_is_unicast(struct net *net, const struct net_device *dev, u32 addr)
{
	return !ipv4_is_multicast(addr) && !ipv4_is_zeronet(addr) &&
	       !arp_addr_is_broadcast(dev, addr) && !inet_lookup_ifaddr(net, addr);
}

static void arp_solicit(struct neighbour *n, struct sk_buff *skb);
static void arp_error_report(struct neighbour *n, struct sk_buff *skb);

static const struct neigh_ops arp_generic_ops = {
	.solicit = arp_solicit,
	.error_report = arp_error_report,
};

/* Devices without a link header (tun-like) never resolve. */
static const struct neigh_ops arp_direct_ops = {
	.error_report = arp_error_report,
};

/* Entries that need no resolution start NOARP with their address known. */
static void arp_set_noarp_address(struct neighbour *n, u32 addr)
{
	struct net_device *dev = n->dev;

	if (ipv4_is_multicast(addr)) {
		n->nud_state = NUD_NOARP;
		arp_mc_map(addr, n->ha);
	} else if (dev->flags & (IFF_NOARP | IFF_LOOPBACK)) {
		n->nud_state = NUD_NOARP;
		memcpy(n->ha, dev->dev_addr, dev->addr_len);
	} else if (arp_addr_is_broadcast(dev, addr) || (dev->flags & IFF_POINTOPOINT)) {
		n->nud_state = NUD_NOARP;
		memcpy(n->ha, dev->broadcast, dev->addr_len);
	}
}

static int arp_constructor(struct neighbour *n)
{
	struct net_device *dev = n->dev;
	struct in_device *in_dev = __in_dev_get(dev);

	/* One entry serves every destination of a loopback or p2p link. */
	if (dev->flags & (IFF_LOOPBACK | IFF_POINTOPOINT))
		memset(n->primary_key, 0, 4);
	if (!in_dev)
		return -EINVAL;
	if (in_dev->arp_parms)
		neigh_set_parms(n, in_dev->arp_parms);
	if (!dev->header_ops) {
		n->nud_state = NUD_NOARP;
		n->ops = &arp_direct_ops;
		n->output = neigh_direct_output;
		return 0;
	}
	arp_set_noarp_address(n, neigh_key32(n));
	n->ops = &arp_generic_ops;
	n->output = (n->nud_state & NUD_VALID) ? neigh_connected_output : neigh_resolve_output;
	return 0;
}

/* ---- sending ----------------------------------------------------------- */

static struct sk_buff *arp_create(int type, u16 ptype, u32 dest_ip, struct net_device *dev,
				  u32 src_ip, const u8 *dest_hw, const u8 *src_hw,
				  const u8 *target_hw)
{
	unsigned int hlen = LL_RESERVED_SPACE(dev);
	struct sk_buff *skb = alloc_skb(dev->stack, hlen + ARP_ETH_IPV4_LEN);
	struct arp_repr r;
	void *arp;

	if (!skb)
		return NULL;
	skb_reserve(skb, hlen);
	skb_reset_network_header(skb);
	arp = skb_put(skb, ARP_ETH_IPV4_LEN);
	skb->dev = dev;
	skb->protocol = ETH_P_ARP;
	if (!src_hw)
		src_hw = dev->dev_addr;
	if (!dest_hw)
		dest_hw = dev->broadcast;
	if (dev_hard_header(skb, dev, ptype, dest_hw, src_hw, skb->len) < 0) {
		kfree_skb_reason(skb, SKB_DROP_REASON_DEV_HDR);
		return NULL;
	}
	memset(&r, 0, sizeof(r));
	r.op = (u16)type;
	memcpy(r.sha, src_hw, ETH_ALEN);
	r.spa = src_ip;
	if (target_hw)
		memcpy(r.tha, target_hw, ETH_ALEN);
	r.tpa = dest_ip;
	arp_emit(&r, arp);
	return skb;
}

void arp_send(int type, u16 ptype, u32 dest_ip, struct net_device *dev, u32 src_ip,
	      const u8 *dest_hw, const u8 *src_hw, const u8 *target_hw)
{
	struct sk_buff *skb;

	if (dev->flags & IFF_NOARP)
		return;
	skb = arp_create(type, ptype, dest_ip, dev, src_ip, dest_hw, src_hw, target_hw);
	if (skb)
		dev_queue_xmit(skb);
}

/* The IPv4 source address of a queued packet, or 0 if it has none. */
static u32 arp_skb_saddr(const struct sk_buff *skb)
{
	enum { IPV4_OFF_SADDR = 12 };
	const u8 *iph;

	if (!skb || skb->protocol != ETH_P_IP || skb->network_header == SKB_HDR_UNSET)
		return 0;
	iph = skb_network_header(skb);
	if (iph < skb->data || iph + IPV4_MIN_HLEN > skb_tail_pointer(skb))
		return 0;
	return get_be32(iph + IPV4_OFF_SADDR);
}

/* Which of our addresses to announce in a request (arp_announce): 0 any
 * local source of the packet, 1 only one on the target's subnet, 2 always
 * the best primary for the target. */
static u32 arp_solicit_saddr(struct neighbour *n, struct sk_buff *skb, u32 target)
{
	struct net_device *dev = n->dev;
	struct in_device *in_dev = __in_dev_get(dev);
	struct net *net = dev_net(dev);
	u32 saddr = arp_skb_saddr(skb);

	switch (IN_DEV_ARP_ANNOUNCE(in_dev)) {
	case 0:
		if (saddr && !inet_lookup_ifaddr(net, saddr))
			saddr = 0;
		break;
	case 1:
		if (!saddr || !inet_lookup_ifaddr(net, saddr) ||
		    !inet_addr_onlink(in_dev, target, saddr))
			saddr = 0;
		break;
	default:
		saddr = 0;
		break;
	}
	return saddr ? saddr : inet_select_addr(dev, target, RT_SCOPE_LINK);
}

/*
 * neigh_ops->solicit. n->probes counts solicits so far; INCOMPLETE starts
 * at ucast_probes, so while probes < ucast_probes we are in PROBE and ask
 * the known address directly, and otherwise broadcast.
 */
static void arp_solicit(struct neighbour *n, struct sk_buff *skb)
{
	struct net_device *dev = n->dev;
	u32 target = neigh_key32(n);
	const u8 *dst_hw = NULL;
	u8 dst_ha[MAX_ADDR_LEN];
	int probes = n->probes;
	u32 saddr;

	if (!__in_dev_get(dev))
		return;
	saddr = arp_solicit_saddr(n, skb, target);
	probes -= n->parms->ucast_probes;
	if (probes < 0) {
		memcpy(dst_ha, n->ha, dev->addr_len);
		dst_hw = dst_ha;
	} else if (probes - n->parms->app_probes < 0) {
		return;  /* app_solicit: a user-space daemon would ask (none here) */
	}
	arp_send(ARPOP_REQUEST, ETH_P_ARP, target, dev, saddr, dst_hw, dev->dev_addr, NULL);
}

/*
 * neigh_ops->error_report: a packet that waited for a resolution that
 * failed. Linux sends ICMP host unreachable to its source here
 * (dst_link_failure -> icmp_send(ICMP_DEST_UNREACH, ICMP_HOST_UNREACH));
 * XXX: that call joins when the IPv4 output path (icmp.c, dst) lands. Until
 * then the packet is dropped and counted, as Linux also does after the ICMP.
 */
static void arp_error_report(struct neighbour *n, struct sk_buff *skb)
{
	kfree_skb_reason(skb, SKB_DROP_REASON_NEIGH_FAILED);
}

/* ---- receiving ----------------------------------------------------------- */

/* arp_ignore: may we answer a request for tip from sip on this device? */
static bool arp_ignore(struct in_device *in_dev, u32 sip, u32 tip)
{
	struct net *net = dev_net(in_dev->dev);
	int scope;

	switch (IN_DEV_ARP_IGNORE(in_dev)) {
	case 0:  /* any local address: tip was validated already */
		return false;
	case 1:  /* only if tip is configured on the incoming interface */
		sip = 0;
		scope = RT_SCOPE_HOST;
		break;
	case 2:  /* ... and sip is on the same subnet */
		scope = RT_SCOPE_HOST;
		break;
	case 3:  /* not for scope host addresses */
		sip = 0;
		scope = RT_SCOPE_LINK;
		in_dev = NULL;
		break;
	case 8:  /* never */
		return true;
	default:
		return false;
	}
	return !inet_confirm_addr(net, in_dev, sip, tip, scope);
}

/*
 * arp_filter: answer only if our reply to sip would leave by this device.
 * Linux asks the FIB (ip_route_output(sip, tip)); XXX: until routing lands,
 * a device "routes" sip if sip is on one of its subnets, and a sip no
 * device has on-link is not filtered (it would follow the default route).
 */
static bool arp_filter(struct net *net, u32 sip, struct net_device *dev)
{
	struct net_device *d;
	bool other = false;

	if (__in_dev_get(dev) && inet_addr_onlink(__in_dev_get(dev), sip, 0))
		return false;
	list_for_each_entry(d, &net->dev_base_head, dev_list)
		if (d != dev && __in_dev_get(d) && inet_addr_onlink(__in_dev_get(d), sip, 0))
			other = true;
	if (other)
		__NET_INC_STATS(net, LINUX_MIB_ARPFILTER);
	return other;
}

/* arp_accept: may unsolicited ARP from sip create an entry? */
static bool arp_accept(struct in_device *in_dev, u32 sip)
{
	switch (IN_DEV_ARP_ACCEPT(in_dev)) {
	case 1:
		return true;
	case 2:  /* only if sip is on a subnet of the receiving interface */
		return inet_confirm_addr(dev_net(in_dev->dev), in_dev, sip, 0, RT_SCOPE_LINK) != 0;
	default:
		return false;
	}
}

/* Gratuitous ARP: sip == tip, and a gratuitous reply also repeats its own
 * hardware address as target; the sender must be a plain unicast address. */
static bool arp_is_garp(struct net *net, struct net_device *dev, const struct arp_repr *arp)
{
	bool is_garp = arp->spa == arp->tpa;

	if (is_garp && arp->op == ARPOP_REPLY)
		is_garp = memcmp(arp->tha, arp->sha, ETH_ALEN) == 0;
	return is_garp && arp_addr_is_unicast(net, dev, arp->spa);
}

/* A request for one of our addresses: answer, and cache the asker as STALE
 * (it is probably about to talk to us). */
static void arp_reply_local(struct net *net, struct in_device *in_dev, const struct arp_repr *arp)
{
	struct net_device *dev = in_dev->dev;
	struct neighbour *n;
	u8 key[4];

	if (arp_ignore(in_dev, arp->spa, arp->tpa))
		return;
	if (IN_DEV_ARPFILTER(in_dev) && arp_filter(net, arp->spa, dev))
		return;
	put_be32(key, arp->spa);
	n = neigh_event_ns(arp_tbl(net), arp->sha, key, dev);
	if (!n)
		return;
	arp_send(ARPOP_REPLY, ETH_P_ARP, arp->spa, dev, arp->tpa, arp->sha, dev->dev_addr, arp->sha);
	neigh_release(n);
}

/* RFC 2131 duplicate address detection probe (sip 0): answer for our
 * address, learn nothing. */
static void arp_reply_dad(struct net *net, struct in_device *in_dev, const struct arp_repr *arp)
{
	struct net_device *dev = in_dev->dev;

	if (arp->op == ARPOP_REQUEST && inet_lookup_ifaddr(net, arp->tpa) &&
	    !arp_ignore(in_dev, arp->spa, arp->tpa))
		arp_send(ARPOP_REPLY, ETH_P_ARP, arp->spa, dev, arp->tpa, arp->sha,
			 dev->dev_addr, arp->sha);
}

/*
 * Everything else updates the cache: entries we have (the first reply of a
 * burst wins within locktime, gratuitous ARP always overrides), new ones
 * only when arp_accept allows. Only a unicast reply proves reachability.
 */
static void arp_update_cache(struct net *net, struct in_device *in_dev, struct sk_buff *skb,
			     const struct arp_repr *arp)
{
	struct net_device *dev = in_dev->dev;
	struct neigh_table *tbl = arp_tbl(net);
	bool accept = arp_accept(in_dev, arp->spa);
	bool is_garp = false, override;
	struct neighbour *n;
	u8 key[4], state = NUD_REACHABLE;

	put_be32(key, arp->spa);
	n = __neigh_lookup(tbl, key, dev, false);
	if (n || accept)
		is_garp = arp_is_garp(net, dev, arp);
	if (!n && accept && (is_garp || (arp->op == ARPOP_REPLY &&
					 arp_addr_is_unicast(net, dev, arp->spa))))
		n = __neigh_lookup(tbl, key, dev, true);
	if (!n)
		return;
	override = jiffies(dev->stack) > n->updated + (u64)n->parms->locktime || is_garp;
	if (arp->op != ARPOP_REPLY || skb->pkt_type != PACKET_HOST)
		state = NUD_STALE;
	neigh_update(n, arp->sha, state, override ? NEIGH_UPDATE_F_OVERRIDE : 0);
	neigh_release(n);
}

/* Addresses no sane ARP carries: we neither answer nor learn from them. */
static bool arp_addresses_bogus(const struct in_device *in_dev, const struct arp_repr *arp)
{
	if (ipv4_is_multicast(arp->tpa) ||
	    (!IN_DEV_ROUTE_LOCALNET(in_dev) && ipv4_is_loopback(arp->tpa)))
		return true;
	if (ipv4_is_multicast(arp->spa) || ipv4_is_loopback(arp->spa))
		return true;
	return is_multicast_ether_addr(arp->sha);
}

static int arp_process(struct net *net, struct sk_buff *skb, const struct arp_repr *arp)
{
	struct in_device *in_dev = __in_dev_get(skb->dev);
	enum skb_drop_reason reason;

	if (!in_dev) {
		reason = SKB_DROP_REASON_UNHANDLED_PROTO;  /* no IPv4 on this device */
		goto drop;
	}
	if (arp->op != ARPOP_REQUEST && arp->op != ARPOP_REPLY) {
		reason = SKB_DROP_REASON_TN_ARP_UNSUPPORTED;
		goto drop;
	}
	if (arp_addresses_bogus(in_dev, arp)) {
		reason = SKB_DROP_REASON_TN_ARP_MALFORMED;
		goto drop;
	}
	if (arp->spa == arp->tpa && IN_DEV_ORCONF(in_dev, drop_gratuitous_arp)) {
		consume_skb(skb);  /* policy, not damage: ignored quietly */
		return NET_RX_SUCCESS;
	}
	if (arp->spa == 0)
		arp_reply_dad(net, in_dev, arp);
	else if (arp->op == ARPOP_REQUEST && inet_lookup_ifaddr(net, arp->tpa))
		arp_reply_local(net, in_dev, arp);
	else
		arp_update_cache(net, in_dev, skb, arp);
	consume_skb(skb);
	return NET_RX_SUCCESS;

drop:
	kfree_skb_reason(skb, reason);
	return NET_RX_DROP;
}

/* packet_type handler for ETH_P_ARP; skb->data at the ARP header. */
static int arp_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
		   struct net_device *orig_dev)
{
	enum skb_drop_reason reason;
	struct arp_repr arp;

	/* ARP we will ignore is not a drop: Linux keeps dropwatch quiet for
	 * NOARP devices and frames meant for someone else or our own echo. */
	if ((dev->flags & IFF_NOARP) || skb->pkt_type == PACKET_OTHERHOST ||
	    skb->pkt_type == PACKET_LOOPBACK) {
		consume_skb(skb);
		return NET_RX_SUCCESS;
	}
	switch (arp_parse(skb->data, skb->len, &arp)) {
	case ARP_PARSE_OK:
		if (dev->addr_len != ETH_ALEN) {
			reason = SKB_DROP_REASON_TN_ARP_UNSUPPORTED;
			goto drop;
		}
		return arp_process(dev_net(dev), skb, &arp);
	case ARP_PARSE_TRUNCATED:
		reason = SKB_DROP_REASON_TN_ARP_MALFORMED;
		goto drop;
	default:
		reason = SKB_DROP_REASON_TN_ARP_UNSUPPORTED;
		goto drop;
	}
drop:
	kfree_skb_reason(skb, reason);
	return NET_RX_DROP;
}

/* ---- API for the layers above -------------------------------------------- */

struct neighbour *ip_neigh_for_gw(struct net_device *dev, u32 nexthop)
{
	struct neigh_table *tbl = arp_tbl(dev_net(dev));
	struct neighbour *n;
	u8 key[4];

	if (!tbl)
		return NULL;
	put_be32(key, (dev->flags & (IFF_LOOPBACK | IFF_POINTOPOINT)) ? 0 : nexthop);
	n = __neigh_lookup(tbl, key, dev, true);
	/* The table keeps the entry; the caller uses it under the lock now. */
	neigh_release(n);
	return n;
}

int arp_neigh_add(struct net_device *dev, u32 ip, const u8 *lladdr, u8 nud_state)
{
	struct neigh_table *tbl = arp_tbl(dev_net(dev));
	struct neighbour *n;
	u8 key[4];
	int err;

	if (!tbl)
		return -EAFNOSUPPORT;
	put_be32(key, ip);
	n = __neigh_create(tbl, key, dev, nud_state & NUD_PERMANENT);
	if (!n)
		return -ENOBUFS;
	err = neigh_update(n, lladdr, nud_state, NEIGH_UPDATE_F_OVERRIDE | NEIGH_UPDATE_F_ADMIN);
	neigh_release(n);
	return err;
}

void arp_ifdown(struct net_device *dev)
{
	struct neigh_table *tbl = arp_tbl(dev_net(dev));

	if (tbl)
		neigh_ifdown(tbl, dev);
}

/*
 * Device events. Linux flushes on down from fib_disable_ip (arp_ifdown);
 * without a FIB yet, the flush on NETDEV_DOWN lives here.
 */
static int arp_netdev_event(struct notifier_block *nb, unsigned long event, void *ptr)
{
	struct net_device *dev = ptr;
	struct neigh_table *tbl = arp_tbl(dev_net(dev));
	struct in_device *in_dev = __in_dev_get(dev);

	if (!tbl)
		return NOTIFY_DONE;
	switch (event) {
	case NETDEV_CHANGEADDR:
		neigh_changeaddr(tbl, dev);
		break;
	case NETDEV_CHANGE:
		if (!netif_carrier_ok(dev) && in_dev && IN_DEV_ARP_EVICT_NOCARRIER(in_dev))
			neigh_carrier_down(tbl, dev);
		break;
	case NETDEV_DOWN:
	case NETDEV_UNREGISTER:
		neigh_ifdown(tbl, dev);
		break;
	default:
		break;
	}
	return NOTIFY_DONE;
}

/* ---- subsystem ------------------------------------------------------------- */

/* What arp registers once per stack: both live in one allocation, found
 * again at exit through the notifier chain. */
struct arp_stack {
	struct packet_type pt;
	struct notifier_block nb;
};

static int arp_init(struct tn_stack *st)
{
	struct arp_stack *as = calloc(1, sizeof(*as));
	int err;

	if (!as)
		return -ENOMEM;
	as->pt.type = ETH_P_ARP;
	as->pt.func = arp_rcv;
	as->nb.notifier_call = arp_netdev_event;
	err = register_netdevice_notifier(st, &as->nb);
	if (err) {
		free(as);
		return err;
	}
	dev_add_pack(st, &as->pt);
	return 0;
}

static void arp_exit(struct tn_stack *st)
{
	struct notifier_block *nb;
	struct arp_stack *as;

	for (nb = st->netdev_chain; nb; nb = nb->next)
		if (nb->notifier_call == arp_netdev_event)
			break;
	if (!nb)
		return;
	as = container_of(nb, struct arp_stack, nb);
	dev_remove_pack(st, &as->pt);
	unregister_netdevice_notifier(st, &as->nb);
	free(as);
}

/* Linux's arp_tbl defaults. */
static void arp_tbl_defaults(struct neigh_table *tbl)
{
	struct neigh_parms *p = &tbl->parms;

	tbl->family = ARP_AF_INET;
	tbl->key_len = 4;
	tbl->protocol = ETH_P_IP;
	tbl->id = "arp_cache";
	tbl->hash = arp_hash;
	tbl->constructor = arp_constructor;
	tbl->gc_interval = 30 * HZ;
	tbl->gc_thresh1 = 128;
	tbl->gc_thresh2 = 512;
	tbl->gc_thresh3 = 1024;
	p->mcast_probes = 3;
	p->ucast_probes = 3;
	p->retrans_time = 1 * HZ;
	p->base_reachable_time = 30 * HZ;
	p->delay_probe_time = 5 * HZ;
	p->interval_probe_time_ms = 5 * HZ;
	p->gc_staletime = 60 * HZ;
	p->queue_len_bytes = ARP_SK_WMEM_MAX;
	p->proxy_qlen = 64;
	p->anycast_delay = 1 * HZ;
	p->proxy_delay = (8 * HZ) / 10;
	p->locktime = 1 * HZ;
}

static int arp_net_init(struct net *net)
{
	struct neigh_table *tbl = calloc(1, sizeof(*tbl));
	int err;

	if (!tbl)
		return -ENOMEM;
	arp_tbl_defaults(tbl);
	err = neigh_table_init(net, tbl);
	if (err) {
		free(tbl);
		return err;
	}
	net->ipv4.arp_tbl = tbl;
	return 0;
}

static void arp_net_exit(struct net *net)
{
	struct neigh_table *tbl = net->ipv4.arp_tbl;

	if (!tbl)
		return;
	neigh_table_clear(tbl);
	net->ipv4.arp_tbl = NULL;
	free(tbl);
}

const struct tn_subsystem arp_subsys = {
	.name = "arp",
	.init = arp_init,
	.exit = arp_exit,
	.net_init = arp_net_init,
	.net_exit = arp_net_exit,
};
