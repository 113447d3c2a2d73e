/*
 * The core side of ethtool (Linux's net/ethtool/): what the `ethtool`
 * command calls. Each call checks what the core checks on Linux (an op is
 * there, values are within the driver's maxima) before asking the driver
 * through dev->ethtool_ops, and returns Linux's errno for the same misuse.
 * Caller holds the stack lock.
 */
#ifndef TN_NET_ETHTOOL_H
#define TN_NET_ETHTOOL_H

#include "net/skbuff.h"   /* before <linux/if_packet.h>: see skbuff.h */
#include "net/netdevice.h"

/* ethtool -i. The driver's answer, with n_stats filled in; without
 * get_drvinfo the link kind stands in as the driver name (virtual devices),
 * else -EOPNOTSUPP (lo, as on Linux). */
int tn_ethtool_get_drvinfo(struct net_device *dev, struct ethtool_drvinfo *info);

/* "Link detected": 1 or 0 (always 0 while the device is down), or
 * -EOPNOTSUPP if the driver cannot tell. */
int tn_ethtool_get_link(struct net_device *dev);

/* Plain `ethtool DEV`: the driver's link settings (zeroed first), or
 * -EOPNOTSUPP (lo, the test device). */
int tn_ethtool_get_link_ksettings(struct net_device *dev, struct ethtool_link_settings *s);
/* get_link_ksettings of a virtual link (Linux's veth and tun report the
 * same): 10 Gb/s, full duplex, twisted pair, no autonegotiation. */
int ethtool_virtual_link_ksettings(struct net_device *dev, struct ethtool_link_settings *s);

/* ethtool -g / -G. -EOPNOTSUPP without the driver op. Setting: fields the
 * caller leaves as they were read are kept; any value above the driver's
 * maximum is -EINVAL, and the driver may refuse others (-EINVAL). Callers
 * read, modify, then set, as ethtool(8) does. */
int tn_ethtool_get_ringparam(struct net_device *dev, struct ethtool_ringparam *ring);
int tn_ethtool_set_ringparam(struct net_device *dev, const struct ethtool_ringparam *ring);

/* ethtool -S: the driver's named counters, in the driver's order. */
struct tn_ethtool_stats {
	unsigned int n;
	char (*names)[ETH_GSTRING_LEN];   /* n names, NUL-terminated */
	u64 *values;                      /* n values */
};
/* 0 and a filled *s (release with tn_ethtool_stats_release), -EOPNOTSUPP if
 * the driver has no statistics, -ENOMEM. */
int tn_ethtool_get_stats(struct net_device *dev, struct tn_ethtool_stats *s);
void tn_ethtool_stats_release(struct tn_ethtool_stats *s);
/* The value of one named counter, or -ENOENT / -EOPNOTSUPP. */
int tn_ethtool_get_stat(struct net_device *dev, const char *name, u64 *value);

#endif
