/*
 * Ethernet devices: the link-layer half of the Ethernet driver glue. Drivers
 * call ether_setup() from their setup function, eth_type_trans() on every
 * received frame, and get eth_header_ops for transmit.
 */
#ifndef TN_NET_ETHERDEVICE_H
#define TN_NET_ETHERDEVICE_H

#include "net/netdevice.h"
#include "net/wire/ethernet.h"

extern const struct header_ops eth_header_ops;

/* Defaults of an Ethernet device: ARPHRD_ETHER, MTU 1500, broadcast
 * ff:ff:ff:ff:ff:ff, IFF_BROADCAST|IFF_MULTICAST, txqueuelen 1000. */
void ether_setup(struct net_device *dev);

/* Classify a received frame (skb->data at the Ethernet header): set
 * pkt_type (HOST, BROADCAST, MULTICAST, OTHERHOST against dev's address),
 * the mac header, pull the header and return the EtherType in host order
 * (ETH_P_802_2 or ETH_P_802_3 for 802.3 length frames). The caller has
 * checked skb->len >= ETH_HLEN. */
u16 eth_type_trans(struct sk_buff *skb, struct net_device *dev);

/* NAPI poll for a driver that keeps received frames in a software ring:
 * up to budget frames go up (eth_type_trans, netif_receive_skb, rx stats);
 * runts are dropped as length errors and counted in *runts. */
int eth_napi_poll_ring(struct napi_struct *napi, struct sk_buff_head *ring, int budget,
		       u64 *runts);

/* A random locally administered unicast address (from the stack's PRNG). */
void eth_random_addr(struct tn_stack *st, u8 *addr);
void eth_hw_addr_random(struct net_device *dev);

/* "aa:bb:cc:dd:ee:ff" <-> bytes. Parsing returns 0 or -EINVAL. */
int tn_parse_mac(const char *s, u8 *mac);
void tn_format_mac(const u8 *mac, char *buf /* 18 bytes */);

#endif
