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
 * TUN_F_CSUM, so the host may send frames whose transport checksum holds
 * only the pseudo-header sum (VIRTIO_NET_HDR_F_NEEDS_CSUM); the driver
 * completes it (a NIC that does checksum offload on receive would verify
 * it instead) and marks the frame CHECKSUM_UNNECESSARY. On transmit a
 * CHECKSUM_PARTIAL skb goes out with NEEDS_CSUM for the kernel to finish.
 * Where the kernel refuses the header or the offload, plain frames are used.
 * Not here: TSO/GSO (we never offer TUN_F_TSO*, so the kernel segments
 * before we read, and we send nothing above the MTU), multiqueue, and
 * following the host side's up/down state (carrier is on while the
 * descriptor is open).
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
	u64 rx_csum_completed; /* NEEDS_CSUM frames whose checksum we filled in */
	u64 rx_csum_bad_hdr;   /* NEEDS_CSUM with offsets outside the frame */
	u64 rx_gso_dropped;    /* a GSO frame we never asked for */
	u64 rx_read_errors;    /* read(2) failed other than EAGAIN */
	u64 tx_write_errors;   /* write(2) refused the frame */
	u64 tx_csum_offloaded; /* CHECKSUM_PARTIAL frames left to the kernel */
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

/* VIRTIO_NET_HDR_F_NEEDS_CSUM: the field at csum_start + csum_offset holds
 * the pseudo-header sum; the rest of the sum is ours to add. */
static bool tap_complete_csum(struct tap_priv *priv, u8 *frame, size_t len,
			      const struct virtio_net_hdr *vh)
{
	size_t start = le16toh(vh->csum_start), off = le16toh(vh->csum_offset);

	if (start >= len || start + off + 2 > len) {
		priv->cnt.rx_csum_bad_hdr++;
		return false;
	}
	put_be16(frame + start + off, csum_fold(csum_partial(frame + start, len - start, 0)));
	priv->cnt.rx_csum_completed++;
	return true;
}

/* Strip and apply the virtio header. false: drop the frame (counted). */
static bool tap_rx_vnet(struct tap_priv *priv, u8 **frame, size_t *len, u8 *ip_summed)
{
	struct virtio_net_hdr vh;

	*ip_summed = CHECKSUM_NONE;
	if (!priv->vnet_hdr)
		return true;
	if (*len < TAP_VNET_HLEN)
		return false;
	memcpy(&vh, *frame, TAP_VNET_HLEN);
	*frame += TAP_VNET_HLEN;
	*len -= TAP_VNET_HLEN;
	if (vh.gso_type != VIRTIO_NET_HDR_GSO_NONE) {
		priv->cnt.rx_gso_dropped++;
		return false;
	}
	if (vh.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) {
		if (!tap_complete_csum(priv, *frame, *len, &vh))
			return false;
		*ip_summed = CHECKSUM_UNNECESSARY;
	} else if (vh.flags & VIRTIO_NET_HDR_F_DATA_VALID) {
		*ip_summed = CHECKSUM_UNNECESSARY;
	}
	return true;
}

/* One frame as read from the fd: onto the ring, or dropped and counted. */
static void tap_rx_frame(struct tap_priv *priv, u8 *frame, size_t len)
{
	struct net_device *dev = priv->dev;
	struct sk_buff *skb;
	u8 ip_summed;

	if (!tap_rx_vnet(priv, &frame, &len, &ip_summed)) {
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
	skb->ip_summed = ip_summed;
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

/* The virtio header of an outgoing skb: a checksum left to the device goes
 * to the kernel as NEEDS_CSUM; without the header it is filled in here. */
static void tap_tx_vnet(struct tap_priv *priv, struct sk_buff *skb, struct virtio_net_hdr *vh)
{
	memset(vh, 0, sizeof(*vh));
	if (skb->ip_summed != CHECKSUM_PARTIAL)
		return;
	u8 *start = skb->head + skb->csum_start;
	u8 *end = skb->data + skb->len;

	if (priv->vnet_hdr && start >= skb->data) {
		vh->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
		vh->csum_start = htole16((u16)(start - skb->data));
		vh->csum_offset = htole16(skb->csum_offset);
		priv->cnt.tx_csum_offloaded++;
		return;
	}
	if (start >= skb->data && start + skb->csum_offset + 2 <= end)
		put_be16(start + skb->csum_offset,
			 csum_fold(csum_partial(start, (size_t)(end - start), 0)));
	skb->ip_summed = CHECKSUM_NONE;
}

static netdev_tx_t tap_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct tap_priv *priv = tap_priv(dev);
	struct virtio_net_hdr vh;
	struct iovec iov[2];
	int n = 0;
	unsigned int len = skb->len;

	tap_tx_vnet(priv, skb, &vh);
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

static const struct net_device_ops tap_netdev_ops = {
	.ndo_uninit = tap_uninit,
	.ndo_open = tap_open,
	.ndo_stop = tap_stop,
	.ndo_start_xmit = tap_xmit,
	.ndo_set_mac_address = tap_set_mac_address,
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
	"rx_ring_full", "rx_length_errors", "rx_errors", "rx_csum_completed",
	"rx_csum_bad_hdr", "rx_gso_dropped", "rx_read_errors", "tx_dropped",
	"tx_write_errors", "tx_csum_offloaded", "interrupts", "napi_polls",
	"rx_ring_len", "vnet_hdr", "csum_offload",
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
	data[i++] = c->rx_csum_completed;
	data[i++] = c->rx_csum_bad_hdr;
	data[i++] = c->rx_gso_dropped;
	data[i++] = c->rx_read_errors;
	data[i++] = dev->stats.tx_dropped;
	data[i++] = c->tx_write_errors;
	data[i++] = c->tx_csum_offloaded;
	data[i++] = c->interrupts;
	data[i++] = c->napi_polls;
	data[i++] = skb_queue_len(&priv->rx_ring);
	data[i++] = priv->vnet_hdr;
	data[i++] = priv->csum_offload;
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
	dev->kind = "tap";
	dev->carrier = false;   /* on once the descriptor is open */

	priv->dev = dev;
	priv->fd = -1;
	priv->rx_ring_size = TAP_DEFAULT_RING;
	skb_queue_head_init(&priv->rx_ring);
	netif_napi_add(dev, &priv->napi, tap_poll, NAPI_POLL_WEIGHT);
}

/* IFF_VNET_HDR first; a kernel that refuses it gets plain frames. */
static int tap_attach(struct tap_priv *priv, int fd)
{
	struct ifreq ifr;
	unsigned int offload = TUN_F_CSUM;

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
	/* Without the header the kernel checksums everything itself. */
	priv->csum_offload = priv->vnet_hdr && ioctl(fd, TUNSETOFFLOAD, offload) == 0;
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
