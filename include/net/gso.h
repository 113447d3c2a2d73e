/*
 * Generic segmentation offload (Linux's include/net/gso.h and the GSO parts
 * of net/core/dev.c): a large TCPv4 packet (skb_is_gso) travels the stack
 * as one skb and is cut into MSS-sized segments only where a device cannot
 * take it whole, after the qdisc (validate_xmit_skb), or where IP must
 * fragment or refuse it (ip_finish_output_gso). The segmentation itself is
 * Linux's inet_gso_segment + tcp4_gso_segment for IPv4 with TCP: the one
 * kind of GSO packet tuxnet builds or accepts.
 *
 * Every function runs under the stack lock.
 */
#ifndef TN_NET_GSO_H
#define TN_NET_GSO_H

#include "net/skbuff.h"

struct net_device;

/*
 * Cut a GSO skb into its segments: a list linked through ->next and ended
 * by NULL, each a private copy of the headers (from skb->data, which may be
 * a link header, to the end of the TCP header) and its share of the
 * payload, with its own IP total length, IP ID (the first segment's plus
 * its index), checksum, TCP sequence number, and flags (FIN and PSH only on
 * the last segment, CWR only on the first). The TCP checksum is left to
 * the device (CHECKSUM_PARTIAL) when `features` has NETIF_F_CSUM_MASK,
 * else computed. skb itself is not changed and stays the caller's.
 * NULL with *err set: -EINVAL for a packet whose headers do not hold
 * together (a hostile SKB_GSO_DODGY packet), -ENOMEM.
 */
struct sk_buff *skb_gso_segment(struct sk_buff *skb, unsigned int features, int *err);

/* True if dev (with `features`) cannot take skb as one packet. */
bool netif_needs_gso(const struct sk_buff *skb, unsigned int features);

/*
 * Linux's validate_xmit_skb, for a packet on its way into a driver: a GSO
 * packet the device cannot take is segmented, a CHECKSUM_PARTIAL packet to
 * a device without checksum offload gets its checksum (skb_checksum_help).
 * Returns the list to hand to the driver (skb itself when nothing had to
 * change), or NULL after dropping and counting skb (tx_dropped).
 */
struct sk_buff *validate_xmit_skb(struct sk_buff *skb, struct net_device *dev);

/* Finish a CHECKSUM_PARTIAL transport checksum in software: the field at
 * csum_start + csum_offset holds the pseudo-header sum. 0 or -ENOMEM
 * (a shared buffer is copied first), -EINVAL for offsets outside the data. */
int skb_checksum_help(struct sk_buff *skb);

/* The length of the largest IP packet the segments of a GSO skb will be
 * (headers from the network header on, plus gso_size): Linux's
 * skb_gso_network_seglen. */
unsigned int skb_gso_network_seglen(const struct sk_buff *skb);
/* Linux's skb_gso_validate_network_len: every segment fits mtu. */
bool skb_gso_validate_network_len(const struct sk_buff *skb, unsigned int mtu);

#endif
