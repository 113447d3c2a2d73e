/*
 * Virtual Ethernet pairs, after Linux's drivers/net/veth.c: two Ethernet
 * devices wired back to back. veth_xmit() on one end is the other end's
 * receive: the skb is scrubbed of its sending-side state, classified by
 * eth_type_trans() against the peer's address, and handed to netif_rx() as
 * the peer's frame, in the peer's namespace. This is how namespaces in one
 * stack are joined (the container's eth0 and the host's vethXXXX).
 *
 * As on Linux: no queue (IFF_NO_QUEUE), random MACs, carrier on both ends
 * only while both are up, a frame sent while the peer is down is dropped and
 * counted on both ends (tx_dropped here, rx_dropped there), and deleting
 * either end deletes the pair.
 *
 * Offloads as Linux's veth: a GSO packet and a checksum left to the device
 * (CHECKSUM_PARTIAL) cross unchanged, and the receiver trusts the
 * checksum; with `ethtool -K vethX tso off` (or tx off) the core segments
 * (or checksums) before veth_xmit, as it would for any device.
 *
 * It is not Linux's XDP/NAPI veth: there are no per-queue rings, no GRO and
 * no XDP programs; frames go through the peer's backlog queue.
 */
#include <errno.h>
#include <stdio.h>

/* skbuff.h before any <linux/...> header: <linux/if_packet.h> defines
 * PACKET_HOST and friends as macros, which would break skbuff.h's enum. */
#include "net/skbuff.h"
#include "net/dst.h"
#include "net/veth.h"
#include "net/etherdevice.h"
#include "net/ethtool.h"
#include "net/net_namespace.h"
#include "net/stack.h"

/* Linux's VETH_FEATURES: any checksum and any GSO packet go to the peer
 * as they are (TSO with nothing to segment), all of it toggled by ethtool. */
#define VETH_FEATURES (NETIF_F_HW_CSUM | NETIF_F_SG | NETIF_F_GSO | NETIF_F_TSO | \
		       NETIF_F_RXCSUM)
#define VLAN_HLEN 4

struct veth_priv {
	struct net_device *peer;   /* NULL while unpaired (creation, teardown) */
};

struct net_device *veth_peer(const struct net_device *dev)
{
	const struct veth_priv *priv = netdev_priv(dev);

	return priv->peer;
}

/* Drop the sender's socket charge: the frame now belongs to the peer's
 * receive path, which may be another namespace and charges its own socket. */
static void veth_orphan(struct sk_buff *skb)
{
	if (skb->destructor)
		skb->destructor(skb);
	skb->destructor = NULL;
	skb->sk = NULL;
}

/*
 * skb_scrub_packet(): forget what only meant something on the sending side.
 * Crossing into another namespace also forgets the mark and timestamp, which
 * belong to the sender's netfilter rules and clock readers.
 */
static void veth_scrub(struct sk_buff *skb, bool xnet)
{
	veth_orphan(skb);
	/* The route was the sender's decision; the receiver routes again. */
	skb_dst_drop(skb);
	skb->pkt_type = PACKET_HOST;
	skb->skb_iif = 0;
	skb->priority = 0;
	if (!xnet)
		return;
	skb->mark = 0;
	skb->tstamp = 0;
}

/* __is_skb_forwardable(): the peer must be up, and the frame must fit its
 * MTU (plus link header and a VLAN tag) unless it is a GSO packet that will
 * be cut to size later. */
static bool veth_skb_forwardable(const struct net_device *rcv, const struct sk_buff *skb)
{
	unsigned int len;

	if (!(rcv->flags & IFF_UP))
		return false;
	len = rcv->mtu + rcv->hard_header_len + VLAN_HLEN;
	return skb->len <= len || skb_shinfo(skb)->gso_size;
}

/*
 * Linux's veth_xmit + __dev_forward_skb. A drop is charged to both ends: the
 * peer's core rx_dropped (it would have received the frame) and this end's
 * tx_dropped (veth_priv.dropped on Linux).
 */
static netdev_tx_t veth_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct veth_priv *priv = netdev_priv(dev);
	struct net_device *rcv = priv->peer;
	unsigned int len = skb->len;

	if (unlikely(!rcv || !pskb_may_pull(skb, ETH_HLEN))) {
		kfree_skb_reason(skb, SKB_DROP_REASON_DEV_READY);
		goto drop;
	}
	if (unlikely(!veth_skb_forwardable(rcv, skb))) {
		rcv->core_stats.rx_dropped++;
		kfree_skb_reason(skb, (rcv->flags & IFF_UP) ? SKB_DROP_REASON_PKT_TOO_BIG
							     : SKB_DROP_REASON_DEV_READY);
		goto drop;
	}

	veth_scrub(skb, dev_net(dev) != dev_net(rcv));
	skb->protocol = eth_type_trans(skb, rcv);
	if (unlikely(netif_rx(skb) != NET_RX_SUCCESS))
		goto drop;   /* netif_rx counted it (backlog full) */

	dev->stats.tx_packets++;
	dev->stats.tx_bytes += len;
	rcv->stats.rx_packets++;
	rcv->stats.rx_bytes += len;
	return NETDEV_TX_OK;

drop:
	dev->stats.tx_dropped++;
	return NETDEV_TX_OK;
}

/* Carrier needs both ends up: opening the second end lights both. */
static int veth_open(struct net_device *dev)
{
	struct net_device *peer = veth_peer(dev);

	if (!peer)
		return -ENOTCONN;
	if (peer->flags & IFF_UP) {
		netif_carrier_on(dev);
		netif_carrier_on(peer);
	}
	return 0;
}

static int veth_close(struct net_device *dev)
{
	struct net_device *peer = veth_peer(dev);

	netif_carrier_off(dev);
	if (peer)
		netif_carrier_off(peer);
	return 0;
}

/*
 * Deleting one end deletes the pair (Linux's veth_dellink). The pair is
 * unlinked first so that the peer's own uninit finds nothing to do. A dying
 * namespace's device teardown looks for its next device afresh after each
 * unregister, so taking a peer from the same namespace along is safe.
 */
static void veth_uninit(struct net_device *dev)
{
	struct veth_priv *priv = netdev_priv(dev);
	struct net_device *peer = priv->peer;
	struct veth_priv *peer_priv;

	if (!peer)
		return;
	peer_priv = netdev_priv(peer);
	priv->peer = NULL;
	peer_priv->peer = NULL;
	netif_carrier_off(peer);
	if (peer->reg_state == NETREG_REGISTERED)
		unregister_netdevice(peer);
}

/* `ip link` shows "veth0@if7": the peer's ifindex (in its own namespace). */
static int veth_get_iflink(const struct net_device *dev)
{
	struct net_device *peer = veth_peer(dev);

	return peer ? peer->ifindex : 0;
}

static struct net_device *veth_peer_dev(struct net_device *dev)
{
	return veth_peer(dev);
}

static int veth_set_mac_address(struct net_device *dev, const u8 *addr)
{
	if (!is_valid_ether_addr(addr))
		return -EADDRNOTAVAIL;
	memcpy(dev->dev_addr, addr, ETH_ALEN);
	return 0;
}

static const struct net_device_ops veth_netdev_ops = {
	.ndo_uninit = veth_uninit,
	.ndo_open = veth_open,
	.ndo_stop = veth_close,
	.ndo_start_xmit = veth_xmit,
	.ndo_set_mac_address = veth_set_mac_address,
	.ndo_get_iflink = veth_get_iflink,
	.ndo_get_peer_dev = veth_peer_dev,
};

static void veth_get_drvinfo(struct net_device *dev, struct ethtool_drvinfo *info)
{
	snprintf(info->driver, sizeof(info->driver), "veth");
	snprintf(info->version, sizeof(info->version), "1.0");
}

static u32 veth_get_link(struct net_device *dev)
{
	return netif_carrier_ok(dev);
}

/* ethtool -S: Linux prints peer_ifindex, then per-queue counters; with one
 * software queue each way ours are the device's own counters. */
static const char veth_gstrings[][ETH_GSTRING_LEN] = {
	"peer_ifindex",
	"rx_queue_0_packets", "rx_queue_0_bytes", "rx_queue_0_drops",
	"tx_queue_0_packets", "tx_queue_0_bytes", "tx_queue_0_drops",
};

static int veth_get_sset_count(struct net_device *dev, int sset)
{
	return sset == ETH_SS_STATS ? (int)ARRAY_SIZE(veth_gstrings) : -EOPNOTSUPP;
}

static void veth_get_strings(struct net_device *dev, u32 sset, char (*names)[ETH_GSTRING_LEN])
{
	if (sset == ETH_SS_STATS)
		memcpy(names, veth_gstrings, sizeof(veth_gstrings));
}

static void veth_get_ethtool_stats(struct net_device *dev, u64 *data)
{
	unsigned int i = 0;

	data[i++] = (u64)veth_get_iflink(dev);
	data[i++] = dev->stats.rx_packets;
	data[i++] = dev->stats.rx_bytes;
	data[i++] = dev->core_stats.rx_dropped;
	data[i++] = dev->stats.tx_packets;
	data[i++] = dev->stats.tx_bytes;
	data[i++] = dev->stats.tx_dropped;
	TN_BUG_ON(i != ARRAY_SIZE(veth_gstrings));
}

static const struct ethtool_ops veth_ethtool_ops = {
	.get_drvinfo = veth_get_drvinfo,
	.get_link = veth_get_link,
	.get_sset_count = veth_get_sset_count,
	.get_strings = veth_get_strings,
	.get_ethtool_stats = veth_get_ethtool_stats,
	.get_link_ksettings = ethtool_virtual_link_ksettings,   /* as Linux's */
};

static void veth_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->priv_flags |= IFF_NO_QUEUE | IFF_TN_VETH;
	dev->netdev_ops = &veth_netdev_ops;
	dev->ethtool_ops = &veth_ethtool_ops;
	dev->features |= VETH_FEATURES | NETIF_F_LLTX;
	dev->hw_features = VETH_FEATURES;
	dev->max_mtu = ETH_MAX_MTU;
	dev->gso_max_size = GSO_MAX_SIZE;
	dev->kind = "veth";
	/* Linux's veth_newlink: no carrier until both ends are up. */
	dev->carrier = false;
}

static struct net_device *veth_alloc(struct net *net, const char *name)
{
	struct net_device *dev;

	dev = alloc_netdev(net->stack, sizeof(struct veth_priv), name ? name : "veth%d",
			   veth_setup);
	if (dev)
		eth_hw_addr_random(dev);
	return dev;
}

/*
 * Linux registers the peer first, then the named end. The two are linked
 * only when both are registered, so a failure in between unregisters a
 * lone peer whose uninit has no partner to take with it.
 */
int veth_newlink(struct net *net, const char *name, struct net *peer_net,
		 const char *peer_name, struct net_device **devp, struct net_device **peerp)
{
	struct net_device *dev, *peer;
	int err;

	if (!peer_net)
		peer_net = net;
	peer = veth_alloc(peer_net, peer_name);
	if (!peer)
		return -ENOMEM;
	err = register_netdevice(peer_net, peer);
	if (err < 0)
		goto err_free_peer;

	dev = veth_alloc(net, name);
	if (!dev) {
		err = -ENOMEM;
		goto err_unregister_peer;
	}
	err = register_netdevice(net, dev);
	if (err < 0)
		goto err_free_dev;

	((struct veth_priv *)netdev_priv(dev))->peer = peer;
	((struct veth_priv *)netdev_priv(peer))->peer = dev;
	if (devp)
		*devp = dev;
	if (peerp)
		*peerp = peer;
	return 0;

err_free_dev:
	free_netdev(dev);
err_unregister_peer:
	unregister_netdevice(peer);
	return err;
err_free_peer:
	free_netdev(peer);
	return err;
}
