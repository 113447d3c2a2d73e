/*
 * Virtual Ethernet pairs (kind "veth"): two devices joined back to back, each
 * possibly in a different namespace; what one sends the other receives.
 * `ip link add A type veth peer name B [netns NS]` calls veth_newlink().
 */
#ifndef TN_NET_VETH_H
#define TN_NET_VETH_H

#include "net/skbuff.h"   /* before <linux/if_packet.h>: see skbuff.h */
#include "net/netdevice.h"

struct net;

/* Create and register the pair: `name` in net, `peer_name` in peer_net (net
 * if NULL). A NULL name takes the first free "veth%d". Both ends start down,
 * without carrier, with random MACs. On success *dev and *peer (either may be
 * NULL) point at the two ends; 0 or -errno (-EEXIST, -EINVAL, -ENOMEM), and
 * on failure nothing is left registered. */
int veth_newlink(struct net *net, const char *name, struct net *peer_net,
		 const char *peer_name, struct net_device **dev, struct net_device **peer);

/* The other end, or NULL once the pair is being torn down. */
struct net_device *veth_peer(const struct net_device *dev);

#endif
