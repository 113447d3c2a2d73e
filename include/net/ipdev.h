/*
 * The IP-level device ("tuxip"): a point-to-point device with no link
 * header and no ARP (ARPHRD_NONE, IFF_NOARP), like a Linux tun device in
 * IFF_TUN | IFF_NO_PI mode. What the stack transmits is a bare IP packet,
 * queued for a reader (the packetdrill shim) to take; what the reader
 * injects is a bare IP packet, received through netif_rx.
 *
 * The transmit queue is bounded by the device's txqueuelen (500, as tun);
 * a packet beyond it is dropped and counted as tx_dropped. Readers sleep on
 * ipdev_tx_wait_queue(), which is woken on every transmitted packet.
 */
#ifndef TN_NET_IPDEV_H
#define TN_NET_IPDEV_H

#include "net/netdevice.h"
#include "net/wait.h"

struct net;

#define IPDEV_TX_QUEUE_LEN 500

/* Register an IP-level device in net named `name` ("tip%d" if NULL) with
 * the given MTU (68..65535), up unless down is asked for. NULL on failure
 * (an MTU out of range included). */
struct net_device *ipdev_create(struct net *net, const char *name, unsigned int mtu, bool up);

/* The "wire" side, under the stack lock. ipdev_inject queues one IP packet
 * (IPv4 or IPv6 by its version nibble) through netif_rx and returns 0;
 * -ENETDOWN if the device is down, -EINVAL for an empty packet or an
 * unknown version (counted as rx_errors), -EMSGSIZE above 65535 bytes,
 * -ENOMEM. The packet is processed when the caller's softirq work runs
 * (tn_stack_unlock). */
int ipdev_inject(struct net_device *dev, const void *pkt, size_t len);
/* The oldest transmitted packet (skb->data is the IP header, skb->tstamp
 * its transmit time), now owned by the caller; NULL if none. */
struct sk_buff *ipdev_pop_tx(struct net_device *dev);
unsigned int ipdev_tx_count(struct net_device *dev);
struct wait_queue_head *ipdev_tx_wait_queue(struct net_device *dev);

#endif
