/*
 * The test device ("tuxtest"): an Ethernet NIC whose wire is the unit test.
 *
 * Receive works like a real NAPI driver: testdev_inject() is the hardware
 * writing a frame into the next RX ring slot and raising the interrupt (the
 * frame is copied into an skb, queued on the ring and NAPI is scheduled); the
 * device's poll() runs later in NET_RX softirq and hands up to `weight`
 * frames per call to eth_type_trans() and netif_receive_skb(). A full ring
 * refuses the frame and counts it (rx_missed_errors, ethtool "rx_ring_full"),
 * as a NIC does when the host does not keep up; the ring size is set with
 * ethtool -G (set_ringparam).
 *
 * Transmit records every skb the stack hands to ndo_start_xmit, in order and
 * time-stamped with the stack clock, for the test to read back; a test can
 * make the device refuse frames with NETDEV_TX_BUSY to exercise the qdisc's
 * requeue path.
 *
 * It is not a model of any real NIC: there is no DMA, no descriptor
 * ownership, no interrupt moderation and no checksum or segmentation offload,
 * and the transmit log has no bound (tests drain it).
 */
#include <errno.h>
#include <stdio.h>

/* skbuff.h before any <linux/...> header: <linux/if_packet.h> defines
 * PACKET_HOST and friends as macros, which would break skbuff.h's enum. */
#include "net/skbuff.h"
#include "net/testdev.h"
#include "net/etherdevice.h"
#include "net/net_namespace.h"
#include "net/stack.h"

/* Driver counters beyond rtnl_link_stats64, shown by ethtool -S. */
struct testdev_counters {
	u64 rx_ring_full;   /* frames refused because the ring was full */
	u64 rx_runts;       /* frames shorter than an Ethernet header */
	u64 tx_busy;        /* NETDEV_TX_BUSY returned */
	u64 napi_polls;     /* poll() calls */
};

struct testdev_priv {
	struct net_device *dev;
	struct napi_struct napi;
	struct sk_buff_head rx_ring;   /* frames "in the NIC", not yet polled */
	u32 rx_ring_size;              /* TESTDEV_DEFAULT_RING..TESTDEV_MAX_RING */
	struct sk_buff_head tx_log;    /* transmitted frames, oldest first */
	unsigned int busy_left;        /* frames still to refuse with TX_BUSY */
	struct testdev_counters cnt;
};

static struct testdev_priv *testdev_priv(const struct net_device *dev)
{
	return netdev_priv(dev);
}

static int testdev_poll(struct napi_struct *napi, int budget)
{
	struct testdev_priv *priv = netdev_priv(napi->dev);

	priv->cnt.napi_polls++;
	return eth_napi_poll_ring(napi, &priv->rx_ring, budget, &priv->cnt.rx_runts);
}

/* Frames left in the ring when the device goes down are lost with it. */
static void testdev_purge_ring(struct testdev_priv *priv)
{
	skb_queue_purge_reason(&priv->rx_ring, SKB_DROP_REASON_TN_LINK_DOWN);
}

static int testdev_open(struct net_device *dev)
{
	napi_enable(&testdev_priv(dev)->napi);
	return 0;
}

static int testdev_stop(struct net_device *dev)
{
	struct testdev_priv *priv = testdev_priv(dev);

	napi_disable(&priv->napi);
	testdev_purge_ring(priv);
	return 0;
}

static netdev_tx_t testdev_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct testdev_priv *priv = testdev_priv(dev);

	if (priv->busy_left) {
		priv->busy_left--;
		priv->cnt.tx_busy++;
		return NETDEV_TX_BUSY;   /* the skb stays the caller's */
	}
	skb->tstamp = tn_now(dev->stack);
	dev->stats.tx_packets++;
	dev->stats.tx_bytes += skb->len;
	__skb_queue_tail(&priv->tx_log, skb);
	return NETDEV_TX_OK;
}

/* Unregistering: the recorded frames were sent, not dropped. The ring is
 * already empty (the device was closed first) but purging again is cheap
 * and covers a device that never opened. */
static void testdev_uninit(struct net_device *dev)
{
	struct testdev_priv *priv = testdev_priv(dev);

	testdev_purge_ring(priv);
	skb_queue_purge_reason(&priv->tx_log, SKB_CONSUMED);
	netif_napi_del(&priv->napi);
}

static int testdev_set_mac_address(struct net_device *dev, const u8 *addr)
{
	if (!is_valid_ether_addr(addr))
		return -EADDRNOTAVAIL;
	memcpy(dev->dev_addr, addr, ETH_ALEN);
	return 0;
}

static const struct net_device_ops testdev_netdev_ops = {
	.ndo_uninit = testdev_uninit,
	.ndo_open = testdev_open,
	.ndo_stop = testdev_stop,
	.ndo_start_xmit = testdev_xmit,
	.ndo_set_mac_address = testdev_set_mac_address,
};

/* ethtool -i */
static void testdev_get_drvinfo(struct net_device *dev, struct ethtool_drvinfo *info)
{
	snprintf(info->driver, sizeof(info->driver), "tuxtest");
	snprintf(info->version, sizeof(info->version), "1.0");
	info->bus_info[0] = '\0';
}

static u32 testdev_get_link(struct net_device *dev)
{
	return netif_carrier_ok(dev);
}

/* ethtool -g: only an RX ring; there is no TX ring to size. */
static void testdev_get_ringparam(struct net_device *dev, struct ethtool_ringparam *ring)
{
	memset(ring, 0, sizeof(*ring));
	ring->rx_max_pending = TESTDEV_MAX_RING;
	ring->rx_pending = testdev_priv(dev)->rx_ring_size;
}

/* ethtool -G. The core has checked every value against the maxima; a ring
 * needs at least one slot. Frames already queued stay: a smaller ring only
 * refuses new frames until the poll has drained below the new size. */
static int testdev_set_ringparam(struct net_device *dev, const struct ethtool_ringparam *ring)
{
	if (ring->rx_pending == 0 || ring->rx_pending > TESTDEV_MAX_RING)
		return -EINVAL;
	testdev_priv(dev)->rx_ring_size = ring->rx_pending;
	return 0;
}

/* ethtool -S, in this order. */
static const char testdev_gstrings[][ETH_GSTRING_LEN] = {
	"rx_packets", "rx_bytes", "tx_packets", "tx_bytes",
	"rx_ring_full", "rx_length_errors", "tx_busy", "napi_polls",
	"rx_ring_len", "tx_log_len",
};

static int testdev_get_sset_count(struct net_device *dev, int sset)
{
	return sset == ETH_SS_STATS ? (int)ARRAY_SIZE(testdev_gstrings) : -EOPNOTSUPP;
}

static void testdev_get_strings(struct net_device *dev, u32 sset, char (*names)[ETH_GSTRING_LEN])
{
	if (sset == ETH_SS_STATS)
		memcpy(names, testdev_gstrings, sizeof(testdev_gstrings));
}

static void testdev_get_ethtool_stats(struct net_device *dev, u64 *data)
{
	const struct testdev_priv *priv = testdev_priv(dev);
	unsigned int i = 0;

	data[i++] = dev->stats.rx_packets;
	data[i++] = dev->stats.rx_bytes;
	data[i++] = dev->stats.tx_packets;
	data[i++] = dev->stats.tx_bytes;
	data[i++] = priv->cnt.rx_ring_full;
	data[i++] = dev->stats.rx_length_errors;
	data[i++] = priv->cnt.tx_busy;
	data[i++] = priv->cnt.napi_polls;
	data[i++] = skb_queue_len(&priv->rx_ring);
	data[i++] = skb_queue_len(&priv->tx_log);
	TN_BUG_ON(i != ARRAY_SIZE(testdev_gstrings));
}

static const struct ethtool_ops testdev_ethtool_ops = {
	.get_drvinfo = testdev_get_drvinfo,
	.get_link = testdev_get_link,
	.get_ringparam = testdev_get_ringparam,
	.set_ringparam = testdev_set_ringparam,
	.get_sset_count = testdev_get_sset_count,
	.get_strings = testdev_get_strings,
	.get_ethtool_stats = testdev_get_ethtool_stats,
};

static void testdev_setup(struct net_device *dev)
{
	struct testdev_priv *priv = testdev_priv(dev);

	ether_setup(dev);
	dev->netdev_ops = &testdev_netdev_ops;
	dev->ethtool_ops = &testdev_ethtool_ops;
	dev->kind = "tuxtest";
	dev->carrier = true;   /* the cable is always in */

	priv->dev = dev;
	priv->rx_ring_size = TESTDEV_DEFAULT_RING;
	skb_queue_head_init(&priv->rx_ring);
	skb_queue_head_init(&priv->tx_log);
	netif_napi_add(dev, &priv->napi, testdev_poll, NAPI_POLL_WEIGHT);
}

/* 02:00:ii:ii:ii:ii with the ifindex big-endian: 02:00:00:00:00:NN for the
 * first 255 devices of a namespace, and still unique beyond. */
static void testdev_fixed_addr(struct net_device *dev)
{
	dev->dev_addr[0] = 0x02;
	dev->dev_addr[1] = 0x00;
	put_be32(dev->dev_addr + 2, (u32)dev->ifindex);
}

struct net_device *testdev_create(struct net *net, const char *name, bool up)
{
	struct net_device *dev;

	dev = alloc_netdev(net->stack, sizeof(struct testdev_priv), name ? name : "tt%d",
			   testdev_setup);
	if (!dev)
		return NULL;
	if (register_netdevice(net, dev) < 0) {
		free_netdev(dev);
		return NULL;
	}
	/* The address depends on the ifindex, known only once registered;
	 * nothing has used the device yet, so no CHANGEADDR is owed. */
	testdev_fixed_addr(dev);
	if (up && dev_open(dev) < 0) {
		unregister_netdevice(dev);
		return NULL;
	}
	return dev;
}

/*
 * The "hardware" side: the frame lands in the ring and the interrupt
 * schedules NAPI. Like a hard IRQ handler it does no protocol work; the poll
 * runs when the lock holder next runs softirqs. A device that is down or has
 * no carrier receives nothing, as a NIC that is not listening.
 */
int testdev_inject(struct net_device *dev, const void *frame, size_t len)
{
	struct testdev_priv *priv = testdev_priv(dev);
	struct sk_buff *skb;

	if (!netif_running(dev) || !netif_carrier_ok(dev))
		return -ENETDOWN;
	if (len > 0xffff)
		return -EMSGSIZE;
	if (skb_queue_len(&priv->rx_ring) >= priv->rx_ring_size) {
		dev->stats.rx_missed_errors++;
		priv->cnt.rx_ring_full++;
		tn_count_drop(dev_net(dev), SKB_DROP_REASON_FULL_RING);
		return -ENOBUFS;
	}
	skb = netdev_alloc_skb(dev, (unsigned int)len);
	if (!skb) {
		dev->stats.rx_dropped++;
		tn_count_drop(dev_net(dev), SKB_DROP_REASON_NOMEM);
		return -ENOMEM;
	}
	skb_put_data(skb, frame, (unsigned int)len);
	skb->tstamp = tn_now(dev->stack);
	__skb_queue_tail(&priv->rx_ring, skb);
	napi_schedule(&priv->napi);
	return 0;
}

struct sk_buff *testdev_peek_tx(struct net_device *dev)
{
	return skb_peek(&testdev_priv(dev)->tx_log);
}

struct sk_buff *testdev_pop_tx(struct net_device *dev)
{
	return __skb_dequeue(&testdev_priv(dev)->tx_log);
}

unsigned int testdev_tx_count(struct net_device *dev)
{
	return skb_queue_len(&testdev_priv(dev)->tx_log);
}

void testdev_clear_tx(struct net_device *dev)
{
	skb_queue_purge_reason(&testdev_priv(dev)->tx_log, SKB_CONSUMED);
}

void testdev_set_busy(struct net_device *dev, unsigned int n)
{
	testdev_priv(dev)->busy_left = n;
}
