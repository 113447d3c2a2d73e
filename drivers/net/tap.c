/*
 * The TAP driver: a tuxnet Ethernet device whose "hardware" is a Linux TAP
 * interface (/dev/net/tun). It is what makes tuxnet a real peer of the host
 * kernel: the frames tuxnet sends come out of the host's HOSTNAME, and what
 * the host sends into HOSTNAME is tuxnet's receive. include/net/tap.h is
 * the contract; this comment is how it works.
 *
 * Receive is modelled on a NIC with an RX ring and NAPI. The descriptor is
 * the interrupt line: a tn_fd_hook (net/stack.h) makes whoever sleeps for
 * the stack on the real clock (ksoftirqd or the `tuxnet run` loop) poll it
 * beside the next timer deadline. When it becomes readable, tap_interrupt()
 * runs in hard-irq context: it is the DMA engine, reading up to a ring's
 * worth of frames into skbs on the RX ring (a frame that finds the ring
 * full is dropped and counted, as a NIC does when the host lags), then
 * schedules NAPI. tap_poll() runs in NET_RX softirq with the usual budget
 * and hands frames to eth_type_trans() and netif_receive_skb().
 *
 * Transmit writes one frame per write(2). The kernel takes it at once or
 * refuses it (EAGAIN, ENOBUFS; EIO while the host side is down); a refused
 * frame is dropped and counted, as a NIC whose TX ring is full would.
 *
 * Offloads: with IFF_VNET_HDR every frame carries a virtio_net_hdr. We offer
 * TUN_F_CSUM | TUN_F_TSO4 (TUNSETOFFLOAD), so the host may send frames
 * whose transport checksum holds only the pseudo-header sum
 * (VIRTIO_NET_HDR_F_NEEDS_CSUM: the skb is CHECKSUM_PARTIAL, trusted as
 * Linux trusts it) and TCPv4 frames of up to 64 KiB with a gso_size: a GSO
 * skb marked SKB_GSO_DODGY, whose headers are checked before use (a bad
 * one is a counted drop) and which is cut in software before any driver
 * (net/core/gso.c). On transmit a CHECKSUM_PARTIAL skb goes out with
 * NEEDS_CSUM, and a GSO skb (NETIF_F_TSO) whole with gso_type, gso_size
 * and hdr_len for the kernel to segment. Where the kernel refuses the
 * header or an offload, or `ethtool -K tapX tso off` (tx off) asks, the
 * offload is off and the core segments (checksums) before tap_xmit.
 * Not here: multiqueue, UDP/IPv6 GSO, and following the host side's
 * up/down state (carrier is on while the descriptor is open).
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <unistd.h>

/* skbuff.h before any <linux/...> header: <linux/if_packet.h> defines
 * PACKET_HOST and friends as macros, which would break skbuff.h's enum. */
#include "net/skbuff.h"
#include "net/tap.h"
#include "net/checksum.h"
#include "net/etherdevice.h"
#include "net/ethtool.h"
#include "net/net_namespace.h"
#include "net/stack.h"

#include <linux/if_tun.h>
#include <linux/virtio_net.h>

#define TAP_DEV "/dev/net/tun"
/* The largest frame the host can hand us: a 64 KiB MTU plus its header. */
#define TAP_FRAME_MAX (65536u + ETH_HLEN)
#define TAP_VNET_HLEN sizeof(struct virtio_net_hdr)

/* Driver counters beyond rtnl_link_stats64, shown by ethtool -S. */
struct tap_counters {
	u64 rx_ring_full;      /* frames dropped: the ring was full */
	u64 rx_runts;          /* shorter than an Ethernet header */
	u64 rx_csum_partial;   /* NEEDS_CSUM frames taken with the sum left open */
	u64 rx_csum_bad_hdr;   /* NEEDS_CSUM with offsets outside the frame */
	u64 rx_gso_packets;    /* TCPv4 GSO frames taken as one skb */
	u64 rx_gso_bad;        /* GSO frames whose virtio header does not hold */
	u64 rx_read_errors;    /* read(2) failed other than EAGAIN */
	u64 tx_write_errors;   /* write(2) refused the frame */
	u64 tx_csum_offloaded; /* CHECKSUM_PARTIAL frames left to the kernel */
	u64 tx_gso_packets;    /* GSO frames left to the kernel to segment */
	u64 tx_gso_bad;        /* a GSO skb without its checksum left open */
	u64 interrupts;        /* tap_interrupt() calls */
	u64 napi_polls;
};

struct tap_priv {
	struct net_device *dev;
	int fd;                        /* the TAP queue; -1 once closed */
	struct tn_fd_hook hook;        /* fd readable: tap_interrupt() */
	bool hooked;
	bool vnet_hdr;                 /* frames carry a virtio_net_hdr */
	bool csum_offload;             /* TUN_F_CSUM accepted by the kernel */
	bool tso_offload;              /* TUN_F_TSO4 accepted by the kernel */
	char hostdev[IFNAMSIZ];
	struct napi_struct napi;
	struct sk_buff_head rx_ring;   /* read from the fd, not yet polled */
	u32 rx_ring_size;              /* 1..TAP_MAX_RING */
	u8 *rxbuf;                     /* one frame as read(2) returns it */
	struct tap_counters cnt;
};

static struct tap_priv *tap_priv(const struct net_device *dev)
{
	return netdev_priv(dev);
}

/* ---- receive ------------------------------------------------------------ */

/* What the virtio header says about a received frame. */
struct tap_rx_meta {
	u8 ip_summed;
	u16 csum_start, csum_offset;   /* from the frame's first byte */
	u16 gso_size;
	u32 gso_type;
};

/*
 * A GSO frame from the kernel (Linux's virtio_net_hdr_to_skb): TCPv4 only,
 * a segment size, the checksum left open at an offset inside the frame,
 * and an IPv4 frame with more payload than one segment. Anything else is
 * hostile or broken: false (counted).
 */
static bool tap_rx_gso(struct tap_priv *priv, const u8 *frame, size_t len,
		       const struct virtio_net_hdr *vh, struct tap_rx_meta *m)
{
	u8 type = vh->gso_type & (u8)~VIRTIO_NET_HDR_GSO_ECN;
	u16 gso_size = le16toh(vh->gso_size);

	if (type != VIRTIO_NET_HDR_GSO_TCPV4 || !gso_size || !priv->tso_offload ||
	    !(vh->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) || len < ETH_HLEN + 40 ||
	    get_be16(frame + 12) != ETH_P_IP || m->csum_start < ETH_HLEN + 20) {
		priv->cnt.rx_gso_bad++;
		return false;
	}
	/* "Too small packets are not really GSO ones." */
	if (len - m->csum_start <= (size_t)gso_size + 20)
		return true;
	m->gso_size = gso_size;
	m->gso_type = SKB_GSO_TCPV4 | SKB_GSO_DODGY |
		      ((vh->gso_type & VIRTIO_NET_HDR_GSO_ECN) ? SKB_GSO_TCP_ECN : 0);
	priv->cnt.rx_gso_packets++;
	return true;
}

/* Strip and apply the virtio header. false: drop the frame (counted). */
static bool tap_rx_vnet(struct tap_priv *priv, u8 **frame, size_t *len, struct tap_rx_meta *m)
{
	struct virtio_net_hdr vh;

	memset(m, 0, sizeof(*m));
	m->ip_summed = CHECKSUM_NONE;
	if (!priv->vnet_hdr)
		return true;
	if (*len < TAP_VNET_HLEN)
		return false;
	memcpy(&vh, *frame, TAP_VNET_HLEN);
	*frame += TAP_VNET_HLEN;
	*len -= TAP_VNET_HLEN;
	if (vh.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) {
		size_t start = le16toh(vh.csum_start), off = le16toh(vh.csum_offset);

		if (start >= *len || start + off + 2 > *len) {
			priv->cnt.rx_csum_bad_hdr++;
			if (vh.gso_type != VIRTIO_NET_HDR_GSO_NONE)
				priv->cnt.rx_gso_bad++;
			return false;
		}
		m->ip_summed = CHECKSUM_PARTIAL;
		m->csum_start = (u16)start;
		m->csum_offset = (u16)off;
		priv->cnt.rx_csum_partial++;
	} else if (vh.flags & VIRTIO_NET_HDR_F_DATA_VALID) {
		m->ip_summed = CHECKSUM_UNNECESSARY;
	}
	if (vh.gso_type != VIRTIO_NET_HDR_GSO_NONE)
		return tap_rx_gso(priv, *frame, *len, &vh, m);
	return true;
}

/* One frame as read from the fd: onto the ring, or dropped and counted. */
static void tap_rx_frame(struct tap_priv *priv, u8 *frame, size_t len)
{
	struct net_device *dev = priv->dev;
	struct tap_rx_meta m;
	struct sk_buff *skb;

	if (!tap_rx_vnet(priv, &frame, &len, &m)) {
		dev->stats.rx_errors++;
		tn_count_drop(dev_net(dev), SKB_DROP_REASON_NOT_SPECIFIED);
		return;
	}
	if (skb_queue_len(&priv->rx_ring) >= priv->rx_ring_size) {
		dev->stats.rx_missed_errors++;
		priv->cnt.rx_ring_full++;
		tn_count_drop(dev_net(dev), SKB_DROP_REASON_FULL_RING);
		return;
	}
	skb = netdev_alloc_skb(dev, (unsigned int)len);
	if (!skb) {
		dev->stats.rx_dropped++;
		tn_count_drop(dev_net(dev), SKB_DROP_REASON_NOMEM);
		return;
	}
	skb_put_data(skb, frame, (unsigned int)len);
	skb->ip_summed = m.ip_summed;
	if (m.ip_summed == CHECKSUM_PARTIAL) {
		skb->csum_start = (u16)(skb_headroom(skb) + m.csum_start);
		skb->csum_offset = m.csum_offset;
	}
	if (m.gso_size) {
		skb_shinfo(skb)->gso_size = m.gso_size;
		skb_shinfo(skb)->gso_type = m.gso_type;
		skb_shinfo(skb)->gso_segs = 0;      /* DODGY: counted where cut */
	}
	skb->tstamp = tn_now(dev->stack);
	__skb_queue_tail(&priv->rx_ring, skb);
}

/*
 * The interrupt: the fd is readable. Read up to a ring's worth of frames
 * (a bound, so one busy host cannot hold the stack here), then let NAPI
 * deliver them. What is left in the kernel's queue fires the next one.
 */
static void tap_interrupt(struct tn_fd_hook *hook)
{
	struct tap_priv *priv = container_of(hook, struct tap_priv, hook);
	struct net_device *dev = priv->dev;

	priv->cnt.interrupts++;
	for (u32 n = 0; n < priv->rx_ring_size && priv->fd >= 0; n++) {
		ssize_t r = read(priv->fd, priv->rxbuf, TAP_VNET_HLEN + TAP_FRAME_MAX);

		if (r < 0) {
			if (errno != EAGAIN && errno != EINTR)
				priv->cnt.rx_read_errors++;
			break;
		}
		/* A device that is down is not listening: the frame is lost. */
		if (!netif_running(dev))
			continue;
		tap_rx_frame(priv, priv->rxbuf, (size_t)r);
	}
	if (skb_queue_len(&priv->rx_ring))
		napi_schedule(&priv->napi);
}

static int tap_poll(struct napi_struct *napi, int budget)
{
	struct tap_priv *priv = netdev_priv(napi->dev);

	priv->cnt.napi_polls++;
	return eth_napi_poll_ring(napi, &priv->rx_ring, budget, &priv->cnt.rx_runts);
}

/* ---- transmit ----------------------------------------------------------- */

/* The end of the headers of a GSO skb (link, IP, TCP), for hdr_len. */
static u16 tap_gso_hdr_len(const struct sk_buff *skb)
{
	const u8 *th = skb->head + skb->csum_start;

	return (u16)(th - skb->data + (th[12] >> 4) * 4);
}

/* The virtio header of an outgoing skb: a checksum left to the device goes
 * to the kernel as NEEDS_CSUM, a GSO skb with its segment size; without the
 * header the checksum is filled in here. false: drop (counted). */
static bool tap_tx_vnet(struct tap_priv *priv, struct sk_buff *skb, struct virtio_net_hdr *vh)
{
	memset(vh, 0, sizeof(*vh));
	if (skb_is_gso(skb)) {
		const u8 *start = skb->head + skb->csum_start;

		/* validate_xmit_skb let it through: TSO is on, and TCP left
		 * its checksum open. Anything else is not ours to send. */
		if (skb->ip_summed != CHECKSUM_PARTIAL || start < skb->data ||
		    start + 20 > skb->data + skb->len) {
			priv->cnt.tx_gso_bad++;
			return false;
		}
		vh->gso_type = VIRTIO_NET_HDR_GSO_TCPV4;
		if (skb_shinfo(skb)->gso_type & SKB_GSO_TCP_ECN)
			vh->gso_type |= VIRTIO_NET_HDR_GSO_ECN;
		vh->gso_size = htole16(skb_shinfo(skb)->gso_size);
		vh->hdr_len = htole16(tap_gso_hdr_len(skb));
		priv->cnt.tx_gso_packets++;
	}
	if (skb->ip_summed != CHECKSUM_PARTIAL)
		return true;
	u8 *start = skb->head + skb->csum_start;
	u8 *end = skb->data + skb->len;

	if (priv->vnet_hdr && start >= skb->data) {
		vh->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
		vh->csum_start = htole16((u16)(start - skb->data));
		vh->csum_offset = htole16(skb->csum_offset);
		priv->cnt.tx_csum_offloaded++;
		return true;
	}
	if (start >= skb->data && start + skb->csum_offset + 2 <= end)
		put_be16(start + skb->csum_offset,
			 csum_fold(csum_partial(start, (size_t)(end - start), 0)));
	skb->ip_summed = CHECKSUM_NONE;
	return true;
}

static netdev_tx_t tap_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct tap_priv *priv = tap_priv(dev);
	struct virtio_net_hdr vh;
	struct iovec iov[2];
	int n = 0;
	unsigned int len = skb->len;

	if (!tap_tx_vnet(priv, skb, &vh)) {
		dev->stats.tx_dropped++;
		kfree_skb_reason(skb, SKB_DROP_REASON_SKB_GSO_SEG);
		return NETDEV_TX_OK;
	}
	if (priv->vnet_hdr)
		iov[n++] = (struct iovec){ .iov_base = &vh, .iov_len = TAP_VNET_HLEN };
	iov[n++] = (struct iovec){ .iov_base = skb->data, .iov_len = len };
	if (priv->fd < 0 || writev(priv->fd, iov, n) < 0) {
		priv->cnt.tx_write_errors++;
		dev->stats.tx_dropped++;
		kfree_skb_reason(skb, SKB_DROP_REASON_DEV_READY);
		return NETDEV_TX_OK;
	}
	dev->stats.tx_packets++;
	dev->stats.tx_bytes += len;
	consume_skb(skb);
	return NETDEV_TX_OK;
}

/* ---- open, stop, teardown ----------------------------------------------- */

static void tap_purge_ring(struct tap_priv *priv)
{
	skb_queue_purge_reason(&priv->rx_ring, SKB_DROP_REASON_TN_LINK_DOWN);
}

static int tap_open(struct net_device *dev)
{
	napi_enable(&tap_priv(dev)->napi);
	return 0;
}

static int tap_stop(struct net_device *dev)
{
	struct tap_priv *priv = tap_priv(dev);

	napi_disable(&priv->napi);
	tap_purge_ring(priv);
	return 0;
}

/* Closing the descriptor makes the kernel remove the host interface. */
static void tap_close_fd(struct tap_priv *priv)
{
	if (priv->hooked) {
		tn_stack_del_fd_hook(priv->dev->stack, &priv->hook);
		priv->hooked = false;
	}
	if (priv->fd >= 0) {
		close(priv->fd);
		priv->fd = -1;
	}
	netif_carrier_off(priv->dev);
}

static void tap_uninit(struct net_device *dev)
{
	struct tap_priv *priv = tap_priv(dev);

	tap_close_fd(priv);
	tap_purge_ring(priv);
	netif_napi_del(&priv->napi);
}

/* Memory outlives unregistering (the last dev_put frees the device). */
static void tap_destructor(struct net_device *dev)
{
	struct tap_priv *priv = tap_priv(dev);

	free(priv->rxbuf);
	priv->rxbuf = NULL;
}

static int tap_set_mac_address(struct net_device *dev, const u8 *addr)
{
	if (!is_valid_ether_addr(addr))
		return -EADDRNOTAVAIL;
	memcpy(dev->dev_addr, addr, ETH_ALEN);
	return 0;
}

static int tap_set_features(struct net_device *dev, unsigned int features);

static const struct net_device_ops tap_netdev_ops = {
	.ndo_uninit = tap_uninit,
	.ndo_open = tap_open,
	.ndo_stop = tap_stop,
	.ndo_start_xmit = tap_xmit,
	.ndo_set_mac_address = tap_set_mac_address,
	.ndo_set_features = tap_set_features,
};

/* ---- ethtool ------------------------------------------------------------ */

/* ethtool -i: bus-info names the host side, as Linux's tun says "tap". */
static void tap_get_drvinfo(struct net_device *dev, struct ethtool_drvinfo *info)
{
	const struct tap_priv *priv = tap_priv(dev);

	snprintf(info->driver, sizeof(info->driver), "tap");
	snprintf(info->version, sizeof(info->version), "1.0");
	snprintf(info->bus_info, sizeof(info->bus_info), "host:%s", priv->hostdev);
}

static u32 tap_get_link(struct net_device *dev)
{
	return netif_carrier_ok(dev);
}

static void tap_get_ringparam(struct net_device *dev, struct ethtool_ringparam *ring)
{
	memset(ring, 0, sizeof(*ring));
	ring->rx_max_pending = TAP_MAX_RING;
	ring->rx_pending = tap_priv(dev)->rx_ring_size;
}

/* A smaller ring keeps what it holds and refuses new frames until drained. */
static int tap_set_ringparam(struct net_device *dev, const struct ethtool_ringparam *ring)
{
	if (ring->rx_pending == 0 || ring->rx_pending > TAP_MAX_RING)
		return -EINVAL;
	tap_priv(dev)->rx_ring_size = ring->rx_pending;
	return 0;
}

/* ethtool -S, in this order. */
static const char tap_gstrings[][ETH_GSTRING_LEN] = {
	"rx_packets", "rx_bytes", "tx_packets", "tx_bytes",
	"rx_ring_full", "rx_length_errors", "rx_errors", "rx_csum_partial",
	"rx_csum_bad_hdr", "rx_gso_packets", "rx_gso_bad", "rx_read_errors", "tx_dropped",
	"tx_write_errors", "tx_csum_offloaded", "tx_gso_packets", "tx_gso_bad", "interrupts",
	"napi_polls", "rx_ring_len", "vnet_hdr", "csum_offload", "tso_offload",
};

static int tap_get_sset_count(struct net_device *dev, int sset)
{
	return sset == ETH_SS_STATS ? (int)ARRAY_SIZE(tap_gstrings) : -EOPNOTSUPP;
}

static void tap_get_strings(struct net_device *dev, u32 sset, char (*names)[ETH_GSTRING_LEN])
{
	if (sset == ETH_SS_STATS)
		memcpy(names, tap_gstrings, sizeof(tap_gstrings));
}

static void tap_get_ethtool_stats(struct net_device *dev, u64 *data)
{
	const struct tap_priv *priv = tap_priv(dev);
	const struct tap_counters *c = &priv->cnt;
	unsigned int i = 0;

	data[i++] = dev->stats.rx_packets;
	data[i++] = dev->stats.rx_bytes;
	data[i++] = dev->stats.tx_packets;
	data[i++] = dev->stats.tx_bytes;
	data[i++] = c->rx_ring_full;
	data[i++] = dev->stats.rx_length_errors;
	data[i++] = dev->stats.rx_errors;
	data[i++] = c->rx_csum_partial;
	data[i++] = c->rx_csum_bad_hdr;
	data[i++] = c->rx_gso_packets;
	data[i++] = c->rx_gso_bad;
	data[i++] = c->rx_read_errors;
	data[i++] = dev->stats.tx_dropped;
	data[i++] = c->tx_write_errors;
	data[i++] = c->tx_csum_offloaded;
	data[i++] = c->tx_gso_packets;
	data[i++] = c->tx_gso_bad;
	data[i++] = c->interrupts;
	data[i++] = c->napi_polls;
	data[i++] = skb_queue_len(&priv->rx_ring);
	data[i++] = priv->vnet_hdr;
	data[i++] = priv->csum_offload;
	data[i++] = priv->tso_offload;
	TN_BUG_ON(i != ARRAY_SIZE(tap_gstrings));
}

static const struct ethtool_ops tap_ethtool_ops = {
	.get_drvinfo = tap_get_drvinfo,
	.get_link = tap_get_link,
	.get_ringparam = tap_get_ringparam,
	.set_ringparam = tap_set_ringparam,
	.get_sset_count = tap_get_sset_count,
	.get_strings = tap_get_strings,
	.get_ethtool_stats = tap_get_ethtool_stats,
	.get_link_ksettings = ethtool_virtual_link_ksettings,   /* as Linux's */
};

/* ---- creation ----------------------------------------------------------- */

static void tap_setup(struct net_device *dev)
{
	struct tap_priv *priv = tap_priv(dev);

	ether_setup(dev);
	dev->netdev_ops = &tap_netdev_ops;
	dev->ethtool_ops = &tap_ethtool_ops;
	dev->priv_destructor = tap_destructor;
	dev->max_mtu = TAP_FRAME_MAX - ETH_HLEN;
	dev->gso_max_size = GSO_MAX_SIZE;
	dev->kind = "tap";
	dev->carrier = false;   /* on once the descriptor is open */

	priv->dev = dev;
	priv->fd = -1;
	priv->rx_ring_size = TAP_DEFAULT_RING;
	skb_queue_head_init(&priv->rx_ring);
	netif_napi_add(dev, &priv->napi, tap_poll, NAPI_POLL_WEIGHT);
}

/*
 * TUNSETOFFLOAD: what we take from the kernel. Checksums left open with
 * the header, and TCPv4 GSO frames only with checksums. A kernel that
 * refuses TSO4 may still take CSUM alone.
 */
static void tap_set_offload(struct tap_priv *priv, bool csum, bool tso)
{
	unsigned int offload = (csum ? TUN_F_CSUM : 0) | (csum && tso ? TUN_F_TSO4 : 0);

	priv->csum_offload = priv->tso_offload = false;
	if (!priv->vnet_hdr || priv->fd < 0)
		return;
	if (ioctl(priv->fd, TUNSETOFFLOAD, offload) < 0 && (offload & TUN_F_TSO4)) {
		offload = TUN_F_CSUM;
		if (ioctl(priv->fd, TUNSETOFFLOAD, offload) < 0)
			offload = 0;
	} else if (offload && ioctl(priv->fd, TUNSETOFFLOAD, offload) < 0) {
		offload = 0;
	}
	priv->csum_offload = offload & TUN_F_CSUM;
	priv->tso_offload = offload & TUN_F_TSO4;
}

/* The device's features follow what the kernel accepted: checksum offload
 * and TSO need the virtio header; GSO (software) is always possible. */
static void tap_update_features(struct net_device *dev)
{
	const struct tap_priv *priv = tap_priv(dev);
	unsigned int f = NETIF_F_GSO;

	if (priv->csum_offload)
		f |= NETIF_F_HW_CSUM | NETIF_F_SG | NETIF_F_RXCSUM;
	if (priv->tso_offload)
		f |= NETIF_F_TSO;
	dev->features = f;
	dev->hw_features = NETIF_F_GSO;
	if (priv->vnet_hdr)
		dev->hw_features |= NETIF_F_HW_CSUM | NETIF_F_SG | NETIF_F_RXCSUM | NETIF_F_TSO;
}

/* ethtool -K: ask the kernel again for what is wanted; what it refuses
 * stays off (the core then segments or checksums in software). */
static int tap_set_features(struct net_device *dev, unsigned int features)
{
	struct tap_priv *priv = tap_priv(dev);
	bool want_csum = features & NETIF_F_HW_CSUM, want_tso = features & NETIF_F_TSO;

	tap_set_offload(priv, want_csum, want_tso);
	if (want_csum != priv->csum_offload || want_tso != priv->tso_offload) {
		/* Keep what the kernel still takes, refuse the request. */
		tap_update_features(dev);
		return -EOPNOTSUPP;
	}
	return 0;
}

/* IFF_VNET_HDR first; a kernel that refuses it gets plain frames. */
static int tap_attach(struct tap_priv *priv, int fd)
{
	struct ifreq ifr;
	int hdrsz = (int)TAP_VNET_HLEN;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", priv->hostdev);
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		if (errno != EINVAL)
			return -errno;
		ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
		if (ioctl(fd, TUNSETIFF, &ifr) < 0)
			return -errno;
	}
	priv->vnet_hdr = ifr.ifr_flags & IFF_VNET_HDR;
	/* The header we speak: struct virtio_net_hdr (no num_buffers). */
	if (priv->vnet_hdr && ioctl(fd, TUNSETVNETHDRSZ, &hdrsz) < 0)
		priv->vnet_hdr = false;
	priv->fd = fd;
	/* Without the header the kernel checksums and segments everything. */
	tap_set_offload(priv, true, true);
	priv->fd = -1;
	return 0;
}

static int tap_open_fd(struct tap_priv *priv)
{
	int fd = open(TAP_DEV, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	int err;

	if (fd < 0)
		return -errno;
	err = tap_attach(priv, fd);
	if (err) {
		close(fd);
		return err;
	}
	priv->fd = fd;
	return 0;
}

static bool tap_valid_hostdev(const char *hostdev)
{
	size_t len = strlen(hostdev);

	return len > 0 && len < IFNAMSIZ && !strchr(hostdev, '/') && !strchr(hostdev, ' ') &&
	       strcmp(hostdev, ".") && strcmp(hostdev, "..");
}

/* The host side: descriptor, scratch buffer, interrupt line, carrier. */
static int tap_connect_host(struct tap_priv *priv)
{
	int err;

	priv->rxbuf = malloc(TAP_VNET_HLEN + TAP_FRAME_MAX);
	if (!priv->rxbuf)
		return -ENOMEM;
	err = tap_open_fd(priv);
	if (err)
		return err;
	priv->hook.fd = priv->fd;
	priv->hook.ready = tap_interrupt;
	err = tn_stack_add_fd_hook(priv->dev->stack, &priv->hook);
	if (err)
		return err;
	priv->hooked = true;
	tap_update_features(priv->dev);
	netif_carrier_on(priv->dev);
	return 0;
}

int tap_newlink(struct net *net, const char *name, const char *hostdev,
		struct net_device **devp)
{
	struct net_device *dev;
	struct tap_priv *priv;
	int err;

	if (net->stack->clock.virtual_time)
		return -EOPNOTSUPP;
	if (!hostdev || !tap_valid_hostdev(hostdev))
		return -EINVAL;
	dev = alloc_netdev(net->stack, sizeof(struct tap_priv), name ? name : "tap%d", tap_setup);
	if (!dev)
		return -ENOMEM;
	priv = tap_priv(dev);
	snprintf(priv->hostdev, sizeof(priv->hostdev), "%s", hostdev);
	eth_hw_addr_random(dev);
	err = register_netdevice(net, dev);
	if (err < 0) {
		free_netdev(dev);
		return err;
	}
	/* Registered first, so that a failure unwinds through uninit. */
	err = tap_connect_host(priv);
	if (err) {
		unregister_netdevice(dev);
		return err;
	}
	if (devp)
		*devp = dev;
	return 0;
}

const char *tap_hostdev(const struct net_device *dev)
{
	if (!dev->kind || strcmp(dev->kind, "tap"))
		return NULL;
	return tap_priv(dev)->hostdev;
}
