/*
 * The test device ("tuxtest"): an Ethernet net_device for unit tests. It
 * records every frame the stack transmits (in order, with the time) and lets
 * a test inject frames as if they arrived from the wire: injected frames go
 * into an RX ring of configurable size (ethtool -G) and are delivered by the
 * device's NAPI poll in NET_RX softirq; a full ring drops and counts
 * (rx_missed_errors, ethtool stat "rx_ring_full").
 */
#ifndef TN_NET_TESTDEV_H
#define TN_NET_TESTDEV_H

#include "net/netdevice.h"

struct net;

#define TESTDEV_DEFAULT_RING 256
#define TESTDEV_MAX_RING 4096

/* Register a test device named `name` ("tt%d" if NULL) in net, with a fixed
 * MAC (02:00:00:00:00:NN, NN = ifindex) and IFF_UP already set unless
 * down is requested. NULL on failure. */
struct net_device *testdev_create(struct net *net, const char *name, bool up);

/* Queue one frame into the RX ring and schedule NAPI ("raise the IRQ").
 * 0, or -ENOBUFS if the ring is full (counted), -ENOMEM if no skb could be
 * allocated (counted as rx_dropped), -ENETDOWN if the device is down or has
 * no carrier (nothing is listening: not counted). A frame shorter than
 * ETH_HLEN is accepted and then dropped by the poll (rx_length_errors,
 * PKT_TOO_SMALL), as a NIC flags a runt. Does not run softirq work itself
 * (tn_stack_unlock or do_softirq does). */
int testdev_inject(struct net_device *dev, const void *frame, size_t len);

/* Transmitted frames, oldest first. Returns the skb (still owned by the
 * device) or NULL. testdev_pop_tx transfers ownership to the caller. */
struct sk_buff *testdev_peek_tx(struct net_device *dev);
struct sk_buff *testdev_pop_tx(struct net_device *dev);
unsigned int testdev_tx_count(struct net_device *dev);
void testdev_clear_tx(struct net_device *dev);
/* Make ndo_start_xmit return NETDEV_TX_BUSY for the next n frames. */
void testdev_set_busy(struct net_device *dev, unsigned int n);

#endif
