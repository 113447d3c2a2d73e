/*
 * The core side of ethtool, after Linux's net/ethtool/ioctl.c: the checks
 * the kernel makes between the ethtool(8) command and a driver's
 * ethtool_ops (is the op there, is the request within the driver's maxima),
 * and the assembly of answers that need several ops (statistics are a count,
 * a string set and a value array).
 *
 * It is not the command: parsing "-G tt0 rx 512" and printing belong to
 * tools/cmd. It holds no state; answers are built per call.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

/* skbuff.h before any <linux/...> header: <linux/if_packet.h> defines
 * PACKET_HOST and friends as macros, which would break skbuff.h's enum. */
#include "net/skbuff.h"
#include <string.h>
#include "net/ethtool.h"

static const struct ethtool_ops *dev_ethtool_ops(const struct net_device *dev)
{
	static const struct ethtool_ops none;

	return dev->ethtool_ops ? dev->ethtool_ops : &none;
}

/*
 * Like Linux: the driver's get_drvinfo, else the rtnl link kind as the
 * driver name for virtual devices, else -EOPNOTSUPP. Linux's lo has no
 * rtnl_link_ops and so no driver information; ours has a kind (for `ip -d
 * link`), so loopback devices are excluded by flag.
 */
int tn_ethtool_get_drvinfo(struct net_device *dev, struct ethtool_drvinfo *info)
{
	const struct ethtool_ops *ops = dev_ethtool_ops(dev);

	memset(info, 0, sizeof(*info));
	info->cmd = ETHTOOL_GDRVINFO;
	if (ops->get_drvinfo)
		ops->get_drvinfo(dev, info);
	else if (dev->kind && !(dev->flags & IFF_LOOPBACK))
		snprintf(info->driver, sizeof(info->driver), "%s", dev->kind);
	else
		return -EOPNOTSUPP;

	if (ops->get_sset_count) {
		int n = ops->get_sset_count(dev, ETH_SS_STATS);

		info->n_stats = n > 0 ? (u32)n : 0;
	}
	return 0;
}

/* __ethtool_get_link(): a device that is down has no link to report. */
int tn_ethtool_get_link(struct net_device *dev)
{
	const struct ethtool_ops *ops = dev_ethtool_ops(dev);

	if (!ops->get_link)
		return -EOPNOTSUPP;
	return netif_running(dev) && ops->get_link(dev);
}

int tn_ethtool_get_link_ksettings(struct net_device *dev, struct ethtool_link_settings *s)
{
	const struct ethtool_ops *ops = dev_ethtool_ops(dev);

	if (!ops->get_link_ksettings)
		return -EOPNOTSUPP;
	memset(s, 0, sizeof(*s));
	return ops->get_link_ksettings(dev, s);
}

int ethtool_virtual_link_ksettings(struct net_device *dev, struct ethtool_link_settings *s)
{
	(void)dev;
	s->speed = SPEED_10000;
	s->duplex = DUPLEX_FULL;
	s->port = PORT_TP;
	s->autoneg = AUTONEG_DISABLE;
	s->transceiver = XCVR_INTERNAL;
	return 0;
}

int tn_ethtool_get_ringparam(struct net_device *dev, struct ethtool_ringparam *ring)
{
	const struct ethtool_ops *ops = dev_ethtool_ops(dev);

	if (!ops->get_ringparam)
		return -EOPNOTSUPP;
	memset(ring, 0, sizeof(*ring));
	ops->get_ringparam(dev, ring);
	ring->cmd = ETHTOOL_GRINGPARAM;
	return 0;
}

/* ethtool_set_ringparam(): every requested size is bounded by the maximum
 * the driver reports; a zero maximum means the ring does not exist, so any
 * non-zero request for it is out of range too. */
int tn_ethtool_set_ringparam(struct net_device *dev, const struct ethtool_ringparam *ring)
{
	const struct ethtool_ops *ops = dev_ethtool_ops(dev);
	struct ethtool_ringparam max;

	if (!ops->set_ringparam || !ops->get_ringparam)
		return -EOPNOTSUPP;
	memset(&max, 0, sizeof(max));
	ops->get_ringparam(dev, &max);

	if (ring->rx_pending > max.rx_max_pending ||
	    ring->rx_mini_pending > max.rx_mini_max_pending ||
	    ring->rx_jumbo_pending > max.rx_jumbo_max_pending ||
	    ring->tx_pending > max.tx_max_pending)
		return -EINVAL;
	return ops->set_ringparam(dev, ring);
}

static int ethtool_stats_count(struct net_device *dev)
{
	const struct ethtool_ops *ops = dev_ethtool_ops(dev);

	if (!ops->get_sset_count || !ops->get_strings || !ops->get_ethtool_stats)
		return -EOPNOTSUPP;
	return ops->get_sset_count(dev, ETH_SS_STATS);
}

/* ETHTOOL_GSSET_INFO + ETHTOOL_GSTRINGS + ETHTOOL_GSTATS in one call. The
 * names are zeroed first and terminated after, so a driver that fills a
 * name to the full 32 bytes cannot make us read past it. */
int tn_ethtool_get_stats(struct net_device *dev, struct tn_ethtool_stats *s)
{
	const struct ethtool_ops *ops = dev_ethtool_ops(dev);
	int n = ethtool_stats_count(dev);

	memset(s, 0, sizeof(*s));
	if (n < 0)
		return n;
	if (n == 0)
		return 0;
	s->names = calloc((size_t)n, ETH_GSTRING_LEN);
	s->values = calloc((size_t)n, sizeof(u64));
	if (!s->names || !s->values) {
		tn_ethtool_stats_release(s);
		return -ENOMEM;
	}
	s->n = (unsigned int)n;
	ops->get_strings(dev, ETH_SS_STATS, s->names);
	ops->get_ethtool_stats(dev, s->values);
	for (unsigned int i = 0; i < s->n; i++)
		s->names[i][ETH_GSTRING_LEN - 1] = '\0';
	return 0;
}

void tn_ethtool_stats_release(struct tn_ethtool_stats *s)
{
	free(s->names);
	free(s->values);
	memset(s, 0, sizeof(*s));
}

int tn_ethtool_get_stat(struct net_device *dev, const char *name, u64 *value)
{
	struct tn_ethtool_stats s;
	int err = tn_ethtool_get_stats(dev, &s);

	if (err < 0)
		return err;
	err = -ENOENT;
	for (unsigned int i = 0; i < s.n; i++) {
		if (strcmp(s.names[i], name) == 0) {
			*value = s.values[i];
			err = 0;
			break;
		}
	}
	tn_ethtool_stats_release(&s);
	return err;
}
