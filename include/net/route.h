/*
 * IPv4 routing decisions (Linux's net/ipv4/route.c): turn a flow (flowi4)
 * into an rtable, the IPv4 dst_entry, using the FIB (ip_fib.h). Output
 * routes also pick the source address; input routes classify a received
 * packet as local, broadcast, forward or martian. rtables are cached per
 * next hop (and per destination for PMTU exceptions), so lookups on the
 * packet path allocate nothing.
 */
#ifndef TN_NET_ROUTE_H
#define TN_NET_ROUTE_H

#include "net/compiler.h"
#include "net/dst.h"

struct net;
struct net_device;
struct sk_buff;

/* Route types, Linux's RTN_* values. */
enum {
	RTN_UNSPEC, RTN_UNICAST, RTN_LOCAL, RTN_BROADCAST, RTN_ANYCAST, RTN_MULTICAST,
	RTN_BLACKHOLE, RTN_UNREACHABLE, RTN_PROHIBIT, RTN_THROW, RTN_NAT, RTN_XRESOLVE,
	__RTN_MAX
};

/* rt_flags, Linux's RTCF_* */
#define RTCF_BROADCAST 0x10000000
#define RTCF_MULTICAST 0x20000000
#define RTCF_LOCAL     0x80000000

struct flowi4 {
	int flowi4_oif;          /* ifindex the caller insists on (SO_BINDTODEVICE), 0: any */
	int flowi4_iif;
	u32 flowi4_mark;
	u8 flowi4_tos;
	u8 flowi4_scope;
	u8 flowi4_proto;
	u8 flowi4_flags;         /* FLOWI_FLAG_* */
	u32 saddr;               /* host order; 0: choose (filled in by the lookup) */
	u32 daddr;
	u16 fl4_sport, fl4_dport;
};

/* flowi4_flags: the sender may use a source address that is not ours
 * (IP_TRANSPARENT, raw sockets with IP_HDRINCL). */
#define FLOWI_FLAG_ANYSRC 0x01

struct fib_nh;

struct rtable {
	struct dst_entry dst;
	u16 rt_type;             /* RTN_* */
	u8 rt_uses_gateway;
	u8 rt_mtu_locked;
	u32 rt_flags;            /* RTCF_* */
	u32 rt_gw4;              /* next hop (host order) when rt_uses_gateway */
	u32 rt_pmtu;             /* learned path MTU, 0: use the device's/route's */
	u32 rt_mtu;              /* route metric mtu (`ip route ... mtu N`), 0: none */
	int rt_iif;
	u32 rt_spec_dst;         /* input routes: our address to answer from, when
				  * the route fixes it (local, broadcast); 0:
				  * ask fib_compute_spec_dst() */
	u8 rt_is_input;
	u64 rt_genid;            /* net->ipv4.rt_genid when made: older is stale */
	struct fib_nh *rt_nh;    /* the next hop this entry is cached on; NULL
				  * once that next hop is gone or if uncached */
};

static inline struct rtable *dst_rtable(struct dst_entry *d)
{
	return container_of(d, struct rtable, dst);
}
static inline struct rtable *skb_rtable(const struct sk_buff *skb)
{
	return dst_rtable(skb->dst);
}
static inline void ip_rt_put(struct rtable *rt)
{
	if (rt)
		dst_release(&rt->dst);
}
/* The next hop address for daddr on this route. */
static inline u32 rt_nexthop(const struct rtable *rt, u32 daddr)
{
	return rt->rt_uses_gateway ? rt->rt_gw4 : daddr;
}
/* Effective MTU: learned PMTU, else route mtu metric, else device MTU. */
u32 ipv4_mtu(const struct rtable *rt);

/* Output route for fl4 (fills fl4->saddr when 0). 0 and *rtp (a held
 * reference) or -ENETUNREACH / -EHOSTUNREACH / -EINVAL / -EACCES (prohibit). */
int ip_route_output_key(struct net *net, struct flowi4 *fl4, struct rtable **rtp);
/* Input route for a received packet (Linux's ip_route_input_noref): sets
 * skb's dst and returns 0, or returns -errno and leaves no dst.
 *  - for us (local, broadcast, limited broadcast): input = ip_local_deliver;
 *  - to forward: input = ip_forward (net.ipv4.conf.DEV.forwarding on);
 *  - undeliverable, as Linux does it: 0 with a dst whose input = ip_error
 *    and whose error says what to report: -ENETUNREACH (no route),
 *    -EHOSTUNREACH (not for us and forwarding off, or an unreachable
 *    route), -EACCES (prohibit), -EINVAL (blackhole: drop silently). So the
 *    caller always just calls dst_input(skb).
 *  - martians (zeronet, loopback from outside, multicast or broadcast
 *    source, our own address as source, a source that fails rp_filter):
 *    -EINVAL (-EXDEV for rp_filter), no dst: drop. */
int ip_route_input(struct sk_buff *skb, u32 daddr, u32 saddr, u8 tos, struct net_device *dev);
/* A held dst is still the right one (Linux's ipv4_dst_check): dst, or NULL
 * when routes changed since (look up again). */
struct dst_entry *ipv4_dst_check(struct dst_entry *dst);
/* What the FIB says addr is to this namespace: RTN_LOCAL, RTN_BROADCAST,
 * RTN_MULTICAST, RTN_UNICAST (anything else, routed or not). The _dev_
 * variant answers RTN_LOCAL only for addresses on dev (dev NULL: any). */
unsigned int inet_addr_type(struct net *net, u32 addr);
unsigned int inet_addr_type_table(struct net *net, u32 addr, u32 tb_id);
unsigned int inet_addr_type_dev_table(struct net *net, const struct net_device *dev, u32 addr);
/* Path MTU learned from ICMP fragmentation-needed for daddr (a next-hop
 * exception that expires after net.ipv4.route.mtu_expires). Only lowers
 * the MTU; below net.ipv4.route.min_pmtu it is floored there and locked
 * (DF no longer set, as Linux's rt_mtu_locked). */
void ipv4_update_pmtu(struct net *net, u32 daddr, u32 mtu);
/* Drop every cached route (route or address change). */
void rt_cache_flush(struct net *net);

/* What `ip route get` prints, computed the way a packet would be routed. */
struct rt_get_result {
	u16 type;
	u32 daddr, saddr, gw;
	int oif, iif;
	u32 mtu;            /* PMTU exception if any, else 0 */
	u64 expires_ms;     /* of the exception */
	u32 table;
	u8 uses_gateway;
	u32 flags;          /* RTCF_* */
};
int ip_route_get(struct net *net, u32 daddr, u32 saddr, int oif, int iif, u32 mark,
		 struct rt_get_result *res);

#endif
