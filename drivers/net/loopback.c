/*
 * The loopback device "lo", after Linux's drivers/net/loopback.c: every frame
 * it is given to send comes straight back in as a received frame, through
 * netif_rx() and the backlog queue, so a packet to a local address makes the
 * full trip down and up the stack in NET_RX softirq.
 *
 * Each namespace gets its own lo (ifindex 1) from this subsystem's net_init,
 * created down as in a new Linux namespace; its carrier is always on. It has
 * no queue (IFF_NO_QUEUE: transmit goes straight to loopback_xmit), an
 * all-zero Ethernet header and a 64 KiB MTU, and it trusts the checksums of
 * what it loops (it claims HW_CSUM, so nothing is ever computed for it).
 *
 * It is not a general "hairpin" facility: frames only ever return on the
 * same device, in the same namespace.
 */
#include <errno.h>

/* skbuff.h before any <linux/...> header: <linux/if_packet.h> defines
 * PACKET_HOST and friends as macros, which would break skbuff.h's enum. */
#include "net/skbuff.h"
#include "net/etherdevice.h"
#include "net/net_namespace.h"
#include "net/stack.h"

#define LOOPBACK_IFINDEX 1

/* Drop the socket charge before the skb changes direction: the sender's
 * send buffer is freed now, and the receive side charges its own socket. */
static void loopback_orphan(struct sk_buff *skb)
{
	if (skb->destructor)
		skb->destructor(skb);
	skb->destructor = NULL;
	skb->sk = NULL;
}

/*
 * Linux counts what netif_rx accepted, once, as both tx and rx (lo's
 * get_stats64 reports one counter twice), and counts bytes after
 * eth_type_trans has pulled the header. A backlog overflow is netif_rx's
 * drop, counted by it (softnet dropped, CPU_BACKLOG), not lo's.
 */
static netdev_tx_t loopback_xmit(struct sk_buff *skb, struct net_device *dev)
{
	unsigned int len;

	/* Receive time is stamped again on the way in. */
	skb->tstamp = 0;
	loopback_orphan(skb);

	skb->protocol = eth_type_trans(skb, dev);
	/* Nothing can corrupt a packet that never left memory. */
	skb->ip_summed = CHECKSUM_UNNECESSARY;

	len = skb->len;
	if (likely(netif_rx(skb) == NET_RX_SUCCESS)) {
		dev->stats.tx_packets++;
		dev->stats.tx_bytes += len;
		dev->stats.rx_packets++;
		dev->stats.rx_bytes += len;
	}
	return NETDEV_TX_OK;
}

/* The namespace forgets its lo as soon as lo is being torn down, so nobody
 * routes through a device on its way out. */
static void loopback_dev_uninit(struct net_device *dev)
{
	struct net *net = dev_net(dev);

	if (net && net->loopback_dev == dev)
		net->loopback_dev = NULL;
}

static const struct net_device_ops loopback_ops = {
	.ndo_uninit = loopback_dev_uninit,
	.ndo_start_xmit = loopback_xmit,
};

/* ethtool: only the link, which is always there. No get_drvinfo: `ethtool
 * -i lo` says "Operation not supported", as on Linux. */
static u32 always_on(struct net_device *dev)
{
	return 1;
}

static const struct ethtool_ops loopback_ethtool_ops = {
	.get_link = always_on,
};

static void loopback_setup(struct net_device *dev)
{
	dev->mtu = 64 * 1024;
	/* No MTU bounds, as Linux's lo: max_mtu 0 is not checked. */
	dev->min_mtu = 0;
	dev->max_mtu = 0;
	dev->hard_header_len = ETH_HLEN;
	dev->addr_len = ETH_ALEN;
	dev->type = ARPHRD_LOOPBACK;
	dev->flags = IFF_LOOPBACK;
	dev->priv_flags |= IFF_NO_QUEUE;
	dev->tx_queue_len = 1000;
	/* Linux's loopback_setup: every offload, only segmentation toggled. */
	dev->features = NETIF_F_SG | NETIF_F_GSO | NETIF_F_TSO | NETIF_F_HW_CSUM |
			NETIF_F_RXCSUM | NETIF_F_LLTX;
	dev->hw_features = NETIF_F_GSO | NETIF_F_TSO;
	dev->gso_max_size = GSO_MAX_SIZE;
	dev->carrier = true;
	dev->kind = "loopback";
	dev->ethtool_ops = &loopback_ethtool_ops;
	dev->header_ops = &eth_header_ops;
	dev->netdev_ops = &loopback_ops;
	/* dev_addr and broadcast stay all zero: link/loopback 00:00:00:00:00:00 */
}

/* Every namespace's first device. Linux BUG()s if lo does not get ifindex 1;
 * so do we: code elsewhere (routes, ip_mc) assumes it. */
static int loopback_net_init(struct net *net)
{
	struct net_device *dev;
	int err;

	dev = alloc_netdev(net->stack, 0, "lo", loopback_setup);
	if (!dev)
		return -ENOMEM;
	err = register_netdevice(net, dev);
	if (err < 0) {
		free_netdev(dev);
		return err;
	}
	TN_BUG_ON(dev->ifindex != LOOPBACK_IFINDEX);
	net->loopback_dev = dev;
	return 0;
}

/* Usually the namespace's device teardown has taken lo already (uninit
 * cleared the pointer); this covers a namespace whose teardown did not. */
static void loopback_net_exit(struct net *net)
{
	if (net->loopback_dev)
		unregister_netdevice(net->loopback_dev);
}

const struct tn_subsystem loopback_subsys = {
	.name = "loopback",
	.net_init = loopback_net_init,
	.net_exit = loopback_net_exit,
};
