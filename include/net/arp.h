/*
 * ARP (RFC 826) over the neighbour subsystem: arp_rcv() answers requests for
 * local addresses and feeds replies (and requests, as Linux does) into the
 * neighbour cache; arp_send() builds requests, replies and gratuitous ARP.
 * Each namespace has its own table, net->ipv4.arp_tbl ("arp_cache").
 */
#ifndef TN_NET_ARP_H
#define TN_NET_ARP_H

#include "net/neighbour.h"
#include "net/net_namespace.h"

struct net_device;

/* Send one ARP packet (op ARPOP_REQUEST/REPLY, ptype ETH_P_ARP) with the
 * link header built by dev_hard_header. dest_hw NULL means broadcast,
 * src_hw NULL the device's address, target_hw NULL zero. Addresses in host
 * order. Allocation failure sends nothing (the skb cache counts it). */
void arp_send(int type, u16 ptype, u32 dest_ip, struct net_device *dev, u32 src_ip,
	      const u8 *dest_hw, const u8 *src_hw, const u8 *target_hw);
/* Neighbour for an IPv4 next hop on dev, created if absent (Linux's
 * ip_neigh_gw4). No reference is taken: use it at once, under the stack
 * lock, as ip_finish_output2 does. NULL if it cannot be created. */
struct neighbour *ip_neigh_for_gw(struct net_device *dev, u32 nexthop);
static inline struct neigh_table *arp_tbl(struct net *net) { return net->ipv4.arp_tbl; }
/* Static entry (`ip neigh replace ... lladdr X nud permanent|noarp|...`):
 * created or overridden administratively. 0 or -errno. */
int arp_neigh_add(struct net_device *dev, u32 ip, const u8 *lladdr, u8 nud_state);
/* Forget every entry on dev (Linux calls this from fib_disable_ip). */
void arp_ifdown(struct net_device *dev);

#endif
