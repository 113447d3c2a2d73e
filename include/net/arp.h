/*
 * ARP (RFC 826) over the neighbour subsystem: arp_rcv() answers requests for
 * local addresses and feeds replies (and requests, as Linux does) into the
 * neighbour cache; arp_send() builds requests, replies and gratuitous ARP.
 */
#ifndef TN_NET_ARP_H
#define TN_NET_ARP_H

#include "net/neighbour.h"

struct net_device;

/* Send one ARP packet. dest_hw NULL means broadcast; target_hw NULL means
 * zero. Addresses in host order. */
void arp_send(int type, u16 ptype, u32 dest_ip, struct net_device *dev, u32 src_ip,
	      const u8 *dest_hw, const u8 *src_hw, const u8 *target_hw);
/* Neighbour for an IPv4 next hop on dev (created if absent). */
struct neighbour *ip_neigh_for_gw(struct net_device *dev, u32 nexthop);
static inline struct neigh_table *arp_tbl(struct net *net);
/* Static entry (`ip neigh add ... lladdr X nud permanent`). */
int arp_neigh_add(struct net_device *dev, u32 ip, const u8 *lladdr, u8 nud_state);

#include "net/net_namespace.h"
static inline struct neigh_table *arp_tbl(struct net *net) { return net->ipv4.arp_tbl; }

#endif
