/*
 * The IP-level device ("tuxip"): Linux's tun in IFF_TUN | IFF_NO_PI mode,
 * with the file descriptor replaced by two calls.
 *
 * There is no link layer: the device has no header_ops, no hardware
 * address and IFF_NOARP, so the neighbour layer hands packets straight to
 * ndo_start_xmit (arp_constructor's direct output), and a received packet
 * needs no classification beyond its IP version. It is point-to-point:
 * every destination behind it is "the other end".
 *
 * Transmit stamps the packet with the stack clock, drops the socket's
 * charge on it (as tun's skb_orphan, so TCP never waits on a reader that is
 * slow to read) and queues it for ipdev_pop_tx; a reader sleeping on the
 * device's wait queue is woken. Receive (ipdev_inject) is the reader's
 * write(): the packet goes to netif_rx, as tun_get_user does.
 *
 * It has no qdisc (IFF_NO_QUEUE): the transmit time of a packet is the time
 * TCP sent it, which is what the packetdrill shim reports.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

/* skbuff.h before any <linux/...> header: <linux/if_packet.h> defines
 * PACKET_HOST and friends as macros, which would break skbuff.h's enum. */
#include "net/skbuff.h"
#include "net/gso.h"
#include "net/ipdev.h"
#include "net/net_namespace.h"
#include "net/stack.h"

#define IPDEV_MIN_MTU 68
#define IPDEV_MAX_MTU 65535

struct ipdev_priv {
	struct net_device *dev;
	struct sk_buff_head tx_queue;   /* transmitted, not yet read; oldest first */
	struct wait_queue_head tx_wait; /* readers waiting for a packet */
};

static struct ipdev_priv *ipdev_priv(const struct net_device *dev)
{
	return netdev_priv(dev);
}

/* The sender's socket stops paying for the packet once it is on the wire. */
static void ipdev_orphan(struct sk_buff *skb)
{
	if (skb->destructor)
		skb->destructor(skb);
	skb->destructor = NULL;
	skb->sk = NULL;
}

static netdev_tx_t ipdev_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct ipdev_priv *priv = ipdev_priv(dev);

	if (skb_queue_len(&priv->tx_queue) >= dev->tx_queue_len) {
		dev->stats.tx_dropped++;
		kfree_skb_reason(skb, SKB_DROP_REASON_FULL_RING);
		return NETDEV_TX_OK;
	}
	/* What the reader gets is a whole IP packet, as a packet socket on
	 * Linux's tun0 shows it: a checksum left to the device is filled in
	 * here (the device "offloads" it), a GSO packet stays one packet. */
	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb)) {
		dev->stats.tx_dropped++;
		kfree_skb_reason(skb, SKB_DROP_REASON_NOMEM);
		return NETDEV_TX_OK;
	}
	ipdev_orphan(skb);
	skb->tstamp = tn_now(dev->stack);
	dev->stats.tx_packets++;
	dev->stats.tx_bytes += skb->len;
	__skb_queue_tail(&priv->tx_queue, skb);
	wake_up_interruptible_all(&priv->tx_wait);
	return NETDEV_TX_OK;
}

/* Unregistering: packets nobody read were still sent. */
static void ipdev_uninit(struct net_device *dev)
{
	skb_queue_purge_reason(&ipdev_priv(dev)->tx_queue, SKB_CONSUMED);
}

static int ipdev_change_mtu(struct net_device *dev, int new_mtu)
{
	dev->mtu = (unsigned int)new_mtu;
	return 0;
}

static const struct net_device_ops ipdev_netdev_ops = {
	.ndo_uninit = ipdev_uninit,
	.ndo_start_xmit = ipdev_xmit,
	.ndo_change_mtu = ipdev_change_mtu,
};

static void ipdev_get_drvinfo(struct net_device *dev, struct ethtool_drvinfo *info)
{
	snprintf(info->driver, sizeof(info->driver), "tuxip");
	snprintf(info->version, sizeof(info->version), "1.0");
	info->bus_info[0] = '\0';
}

static u32 ipdev_get_link(struct net_device *dev)
{
	return netif_carrier_ok(dev);
}

static const struct ethtool_ops ipdev_ethtool_ops = {
	.get_drvinfo = ipdev_get_drvinfo,
	.get_link = ipdev_get_link,
};

/* tun_net_init for IFF_TUN: no header, no address, point-to-point. */
static void ipdev_setup(struct net_device *dev)
{
	struct ipdev_priv *priv = ipdev_priv(dev);

	dev->type = ARPHRD_NONE;
	dev->flags = IFF_POINTOPOINT | IFF_NOARP | IFF_MULTICAST;
	dev->priv_flags |= IFF_NO_QUEUE;
	dev->hard_header_len = 0;
	dev->addr_len = 0;
	dev->mtu = 1500;
	dev->min_mtu = IPDEV_MIN_MTU;
	dev->max_mtu = IPDEV_MAX_MTU;
	dev->tx_queue_len = IPDEV_TX_QUEUE_LEN;
	dev->carrier = true;
	dev->kind = "tuxip";
	/* packetdrill's tun0: TUNSETOFFLOAD(TUN_F_CSUM | TUN_F_TSO4 | ...),
	 * "like a typical ethernet device" (its netdev.c), so TCP hands it
	 * GSO packets and the script sees them whole. */
	dev->features |= NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_GSO | NETIF_F_TSO;
	dev->hw_features |= NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_GSO | NETIF_F_TSO;
	dev->netdev_ops = &ipdev_netdev_ops;
	dev->ethtool_ops = &ipdev_ethtool_ops;
	dev->header_ops = NULL;

	priv->dev = dev;
	skb_queue_head_init(&priv->tx_queue);
	init_waitqueue_head(&priv->tx_wait);
}

struct net_device *ipdev_create(struct net *net, const char *name, unsigned int mtu, bool up)
{
	struct net_device *dev;

	if (mtu < IPDEV_MIN_MTU || mtu > IPDEV_MAX_MTU)
		return NULL;
	dev = alloc_netdev(net->stack, sizeof(struct ipdev_priv), name ? name : "tip%d",
			   ipdev_setup);
	if (!dev)
		return NULL;
	dev->mtu = mtu;
	if (register_netdevice(net, dev) < 0) {
		free_netdev(dev);
		return NULL;
	}
	if (up && dev_open(dev) < 0) {
		unregister_netdevice(dev);
		return NULL;
	}
	return dev;
}

/* The protocol of a bare IP packet, from its version nibble (tun_get_user
 * without IFF_NO_PI information does the same); 0 if it is neither. */
static u16 ipdev_protocol(const u8 *pkt)
{
	switch (pkt[0] >> 4) {
	case 4:
		return ETH_P_IP;
	case 6:
		return ETH_P_IPV6;
	default:
		return 0;
	}
}

int ipdev_inject(struct net_device *dev, const void *pkt, size_t len)
{
	struct sk_buff *skb;
	u16 proto;

	if (!netif_running(dev) || !netif_carrier_ok(dev))
		return -ENETDOWN;
	if (len > IPDEV_MAX_MTU)
		return -EMSGSIZE;
	proto = len ? ipdev_protocol(pkt) : 0;
	if (!proto) {
		dev->stats.rx_errors++;
		return -EINVAL;
	}
	skb = netdev_alloc_skb(dev, (unsigned int)len);
	if (!skb) {
		dev->stats.rx_dropped++;
		tn_count_drop(dev_net(dev), SKB_DROP_REASON_NOMEM);
		return -ENOMEM;
	}
	skb_put_data(skb, pkt, (unsigned int)len);
	skb->dev = dev;
	skb->protocol = proto;
	skb->pkt_type = PACKET_HOST;
	skb_reset_mac_header(skb);
	skb_reset_network_header(skb);
	dev->stats.rx_packets++;
	dev->stats.rx_bytes += len;
	netif_rx(skb);
	return 0;
}

struct sk_buff *ipdev_pop_tx(struct net_device *dev)
{
	return __skb_dequeue(&ipdev_priv(dev)->tx_queue);
}

unsigned int ipdev_tx_count(struct net_device *dev)
{
	return skb_queue_len(&ipdev_priv(dev)->tx_queue);
}

struct wait_queue_head *ipdev_tx_wait_queue(struct net_device *dev)
{
	return &ipdev_priv(dev)->tx_wait;
}
