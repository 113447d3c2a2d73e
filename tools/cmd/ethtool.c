/*
 * ethtool(8): driver information (-i), ring sizes (-g, -G), driver
 * statistics (-S), offload features (-k, -K) and the link state (plain
 * `ethtool DEV`), printed in
 * ethtool 6.1's layout (netlink era, before the later realignment of
 * -g), through the core's checks in net/core/ethtool.c.
 *
 * It is only the command: what a driver supports and which values it takes
 * are decided by the core and the driver. Not here: -k/-K offloads, -s link
 * settings, -l/-L channels, -c/-C coalescing, --json.
 */
#include <errno.h>
#include <string.h>

#include "net/skbuff.h"   /* before any <linux/...> header: see skbuff.h */
#include "net/ethtool.h"
#include "tools/cmd/cmd.h"

static const char *yes_no(bool v)
{
	return v ? "yes" : "no";
}

/* What ethtool says when the kernel answers a netlink request with errno. */
static int ethtool_nl_err(struct tn_cmd_ctx *ctx, int err)
{
	if (err == -ENODEV)
		tn_cmd_err(ctx, "netlink error: no device matches name");
	tn_cmd_err(ctx, "netlink error: %s", tn_errstr(err));
	return 1;
}

static int ethtool_drvinfo(struct tn_cmd_ctx *ctx, struct net_device *dev, FILE *out)
{
	struct ethtool_drvinfo info;
	int err = tn_ethtool_get_drvinfo(dev, &info);

	if (err) {
		tn_cmd_err(ctx, "Cannot get driver information: %s", tn_errstr(err));
		return 71;
	}
	fprintf(out, "driver: %.32s\n", info.driver);
	fprintf(out, "version: %.32s\n", info.version);
	fprintf(out, "firmware-version: %.32s\n", info.fw_version);
	fprintf(out, "expansion-rom-version: %.32s\n", info.erom_version);
	fprintf(out, "bus-info: %.32s\n", info.bus_info);
	fprintf(out, "supports-statistics: %s\n", yes_no(info.n_stats > 0));
	fprintf(out, "supports-test: %s\n", yes_no(info.testinfo_len > 0));
	fprintf(out, "supports-eeprom-access: %s\n", yes_no(info.eedump_len > 0));
	fprintf(out, "supports-register-dump: %s\n", yes_no(info.regdump_len > 0));
	fprintf(out, "supports-priv-flags: %s\n", yes_no(info.n_priv_flags > 0));
	return 0;
}

/* A ring the driver does not have (maximum 0) is "n/a", as the kernel
 * leaves its netlink attribute out. */
static void ring_line(FILE *out, const char *label, u32 max, u32 value)
{
	if (max)
		fprintf(out, "%s%u\n", label, value);
	else
		fprintf(out, "%sn/a\n", label);
}

static int ethtool_show_ring(struct tn_cmd_ctx *ctx, struct net_device *dev, FILE *out)
{
	struct ethtool_ringparam r;
	int err = tn_ethtool_get_ringparam(dev, &r);

	if (err)
		return ethtool_nl_err(ctx, err);
	fprintf(out, "Ring parameters for %s:\n", dev->name);
	fprintf(out, "Pre-set maximums:\n");
	ring_line(out, "RX:\t\t", r.rx_max_pending, r.rx_max_pending);
	ring_line(out, "RX Mini:\t", r.rx_mini_max_pending, r.rx_mini_max_pending);
	ring_line(out, "RX Jumbo:\t", r.rx_jumbo_max_pending, r.rx_jumbo_max_pending);
	ring_line(out, "TX:\t\t", r.tx_max_pending, r.tx_max_pending);
	fprintf(out, "Current hardware settings:\n");
	ring_line(out, "RX:\t\t", r.rx_max_pending, r.rx_pending);
	ring_line(out, "RX Mini:\t", r.rx_mini_max_pending, r.rx_mini_pending);
	ring_line(out, "RX Jumbo:\t", r.rx_jumbo_max_pending, r.rx_jumbo_pending);
	ring_line(out, "TX:\t\t", r.tx_max_pending, r.tx_pending);
	fprintf(out, "RX Buf Len:\tn/a\n");
	fprintf(out, "CQE Size:\tn/a\n");
	fprintf(out, "TX Push:\toff\n");
	fprintf(out, "TCP data split:\tn/a\n");
	return 0;
}

/* `-G DEV rx N tx N rx-mini N rx-jumbo N`: read, change, write back. */
static int ethtool_set_ring(struct tn_cmd_ctx *ctx, struct net_device *dev, int argc,
			    char **argv)
{
	struct ethtool_ringparam r;
	int err = tn_ethtool_get_ringparam(dev, &r);

	if (err)
		return ethtool_nl_err(ctx, err);
	for (; argc > 0; argc -= 2, argv += 2) {
		unsigned long v;
		u32 *field = !strcmp(argv[0], "rx") ? &r.rx_pending :
			     !strcmp(argv[0], "tx") ? &r.tx_pending :
			     !strcmp(argv[0], "rx-mini") ? &r.rx_mini_pending :
			     !strcmp(argv[0], "rx-jumbo") ? &r.rx_jumbo_pending : NULL;
		if (!field || argc < 2 || !tn_parse_uint(argv[1], 0xffffffff, &v)) {
			tn_cmd_err(ctx, "ethtool: bad command line argument(s)\n"
					"For more information run ethtool -h");
			return 1;
		}
		*field = (u32)v;
	}
	err = tn_ethtool_set_ringparam(dev, &r);
	if (err == -EINVAL)
		tn_cmd_err(ctx, "netlink error: requested ring size exceeds maximum");
	return err ? ethtool_nl_err(ctx, err) : 0;
}

static int ethtool_stats(struct tn_cmd_ctx *ctx, struct net_device *dev, FILE *out)
{
	struct tn_ethtool_stats s;
	int err = tn_ethtool_get_stats(dev, &s);

	if (err == -EOPNOTSUPP || (!err && s.n == 0)) {
		if (!err)
			tn_ethtool_stats_release(&s);
		tn_cmd_err(ctx, "no stats available");
		return 94;
	}
	if (err) {
		tn_cmd_err(ctx, "Cannot get stats information: %s", tn_errstr(err));
		return 96;
	}
	fprintf(out, "NIC statistics:\n");
	for (unsigned int i = 0; i < s.n; i++)
		fprintf(out, "     %.*s: %llu\n", ETH_GSTRING_LEN, s.names[i],
			(unsigned long long)s.values[i]);
	tn_ethtool_stats_release(&s);
	return 0;
}

/* Plain `ethtool DEV`, as ethtool(8) prints it: for a device with link
 * settings (veth, tap: no link modes to report, 10 Gb/s full duplex) the
 * whole block; without (lo) only the link line. */
static const char *port_name(u8 port)
{
	switch (port) {
	case PORT_TP: return "Twisted Pair";
	case PORT_AUI: return "AUI";
	case PORT_MII: return "MII";
	case PORT_FIBRE: return "FIBRE";
	case PORT_BNC: return "BNC";
	case PORT_DA: return "Direct Attach Copper";
	case PORT_NONE: return "None";
	default: return "Other";
	}
}

static int ethtool_settings(struct tn_cmd_ctx *ctx, struct net_device *dev, FILE *out)
{
	struct ethtool_link_settings ks;
	int link = tn_ethtool_get_link(dev);

	fprintf(out, "Settings for %s:\n", dev->name);
	if (tn_ethtool_get_link_ksettings(dev, &ks) == 0) {
		fprintf(out, "\tSupported ports: [  ]\n"
			     "\tSupported link modes:   Not reported\n"
			     "\tSupported pause frame use: No\n"
			     "\tSupports auto-negotiation: No\n"
			     "\tSupported FEC modes: Not reported\n"
			     "\tAdvertised link modes:  Not reported\n"
			     "\tAdvertised pause frame use: No\n"
			     "\tAdvertised auto-negotiation: No\n"
			     "\tAdvertised FEC modes: Not reported\n");
		if (ks.speed == 0 || ks.speed == (u32)SPEED_UNKNOWN)
			fprintf(out, "\tSpeed: Unknown!\n");
		else
			fprintf(out, "\tSpeed: %uMb/s\n", ks.speed);
		fprintf(out, "\tDuplex: %s\n", ks.duplex == DUPLEX_FULL ? "Full" :
			ks.duplex == DUPLEX_HALF ? "Half" : "Unknown! (255)");
		fprintf(out, "\tAuto-negotiation: %s\n", ks.autoneg ? "on" : "off");
		fprintf(out, "\tPort: %s\n", port_name(ks.port));
		fprintf(out, "\tPHYAD: %u\n", ks.phy_address);
		fprintf(out, "\tTransceiver: %s\n", ks.transceiver == XCVR_EXTERNAL ? "external" : "internal");
		fprintf(out, "\tMDI-X: Unknown\n");
	}
	if (link < 0) {
		tn_cmd_err(ctx, "No data available");
		return 75;
	}
	fprintf(out, "\tLink detected: %s\n", yes_no(link));
	return 0;
}

/* ---- features (-k, -K) --------------------------------------------------- */

/* The netdev feature strings ethtool prints, Linux's names, and the group
 * names (-k's top lines, -K's short forms) that stand for several. */
static const struct {
	const char *name;
	unsigned int bit;
} ethtool_leaf_features[] = {
	{ "tx-checksum-ipv4", NETIF_F_IP_CSUM },
	{ "tx-checksum-ip-generic", NETIF_F_HW_CSUM },
	{ "tx-scatter-gather", NETIF_F_SG },
	{ "tx-tcp-segmentation", NETIF_F_TSO },
	{ "generic-segmentation-offload", NETIF_F_GSO },
	{ "rx-checksumming", NETIF_F_RXCSUM },
};

static const struct {
	const char *name, *short_name;
	unsigned int mask;
} ethtool_feature_groups[] = {
	{ "rx-checksumming", "rx", NETIF_F_RXCSUM },
	{ "tx-checksumming", "tx", NETIF_F_CSUM_MASK },
	{ "scatter-gather", "sg", NETIF_F_SG },
	{ "tcp-segmentation-offload", "tso", NETIF_F_TSO },
	{ "generic-segmentation-offload", "gso", NETIF_F_GSO },
};

static void feature_line(FILE *out, const char *indent, const char *name,
			 const struct net_device *dev, unsigned int bit)
{
	fprintf(out, "%s%s: %s%s\n", indent, name, (dev->features & bit) ? "on" : "off",
		(dev->hw_features & bit) ? "" : " [fixed]");
}

/* -k: each group, on if any of its bits is, then its bits indented. */
static int ethtool_show_features(struct net_device *dev, FILE *out)
{
	fprintf(out, "Features for %s:\n", dev->name);
	for (unsigned int g = 0; g < ARRAY_SIZE(ethtool_feature_groups); g++) {
		unsigned int mask = ethtool_feature_groups[g].mask;
		bool single = !(mask & (mask - 1));

		if (single && (mask == NETIF_F_RXCSUM || mask == NETIF_F_GSO)) {
			feature_line(out, "", ethtool_feature_groups[g].name, dev, mask);
			continue;
		}
		fprintf(out, "%s: %s\n", ethtool_feature_groups[g].name,
			(dev->features & mask) ? "on" : "off");
		for (unsigned int l = 0; l < ARRAY_SIZE(ethtool_leaf_features); l++)
			if (ethtool_leaf_features[l].bit & mask)
				feature_line(out, "\t", ethtool_leaf_features[l].name, dev,
					     ethtool_leaf_features[l].bit);
	}
	return 0;
}

static bool feature_lookup(const char *name, unsigned int *mask)
{
	for (unsigned int g = 0; g < ARRAY_SIZE(ethtool_feature_groups); g++)
		if (!strcmp(name, ethtool_feature_groups[g].name) ||
		    !strcmp(name, ethtool_feature_groups[g].short_name)) {
			*mask = ethtool_feature_groups[g].mask;
			return true;
		}
	for (unsigned int l = 0; l < ARRAY_SIZE(ethtool_leaf_features); l++)
		if (!strcmp(name, ethtool_leaf_features[l].name)) {
			*mask = ethtool_leaf_features[l].bit;
			return true;
		}
	return false;
}

/* What changed beyond the request (TSO going with checksumming), as
 * ethtool's "Actual changes:" lists it. */
static void feature_report_changes(FILE *out, const struct net_device *dev, unsigned int old,
				   unsigned int mask)
{
	bool header = false;

	for (unsigned int l = 0; l < ARRAY_SIZE(ethtool_leaf_features); l++) {
		unsigned int bit = ethtool_leaf_features[l].bit;

		if (!((old ^ dev->features) & bit) || (mask & bit))
			continue;
		if (!header)
			fprintf(out, "Actual changes:\n");
		header = true;
		fprintf(out, "%s: %s [not requested]\n", ethtool_leaf_features[l].name,
			(dev->features & bit) ? "on" : "off");
	}
}

/* -K DEV NAME on|off ...: every name known, then one change. */
static int ethtool_set_features(struct tn_cmd_ctx *ctx, struct net_device *dev, int argc,
				char **argv, FILE *out)
{
	unsigned int mask = 0, wanted = 0, old = dev->features;
	int err;

	if (argc <= 0 || argc % 2)
		goto bad_args;
	for (; argc > 0; argc -= 2, argv += 2) {
		unsigned int m;

		if (!feature_lookup(argv[0], &m) || (strcmp(argv[1], "on") && strcmp(argv[1], "off")))
			goto bad_args;
		mask |= m;
		if (!strcmp(argv[1], "on"))
			wanted |= m;
		else
			wanted &= ~m;
	}
	/* A group changes only the bits that are not fixed; a request that
	 * can change nothing at all is refused, as ethtool says. */
	if (!(mask & dev->hw_features) && ((dev->features ^ wanted) & mask)) {
		tn_cmd_err(ctx, "Could not change any device features");
		return 1;
	}
	err = netdev_set_features(dev, mask & dev->hw_features, wanted);
	if (err == -EOPNOTSUPP) {
		tn_cmd_err(ctx, "Could not change any device features");
		return 1;
	}
	if (err)
		return ethtool_nl_err(ctx, err);
	feature_report_changes(out, dev, old, mask);
	return 0;
bad_args:
	tn_cmd_err(ctx, "ethtool: bad command line argument(s)\n"
			"For more information run ethtool -h");
	return 1;
}

enum ethtool_mode { ETHTOOL_SETTINGS, ETHTOOL_DRVINFO, ETHTOOL_RING, ETHTOOL_SET_RING,
		    ETHTOOL_STATS, ETHTOOL_FEATURES, ETHTOOL_SET_FEATURES };

static const struct {
	const char *short_opt, *long_opt;
	enum ethtool_mode mode;
} ethtool_modes[] = {
	{ "-i", "--driver", ETHTOOL_DRVINFO },
	{ "-g", "--show-ring", ETHTOOL_RING },
	{ "-G", "--set-ring", ETHTOOL_SET_RING },
	{ "-S", "--statistics", ETHTOOL_STATS },
	{ "-k", "--show-features", ETHTOOL_FEATURES },
	{ "-K", "--features", ETHTOOL_SET_FEATURES },
	{ "-K", "--offload", ETHTOOL_SET_FEATURES },
};

int do_ethtool(struct tn_cmd_ctx *ctx, int argc, char **argv, FILE *out)
{
	enum ethtool_mode mode = ETHTOOL_SETTINGS;
	struct net_device *dev;
	int i = 1;

	if (argc > 1 && argv[1][0] == '-') {
		unsigned int m;
		for (m = 0; m < ARRAY_SIZE(ethtool_modes); m++)
			if (!strcmp(argv[1], ethtool_modes[m].short_opt) ||
			    !strcmp(argv[1], ethtool_modes[m].long_opt))
				break;
		if (m == ARRAY_SIZE(ethtool_modes))
			goto bad_args;
		mode = ethtool_modes[m].mode;
		i++;
	}
	if (i >= argc ||
	    (mode != ETHTOOL_SET_RING && mode != ETHTOOL_SET_FEATURES && i + 1 != argc))
		goto bad_args;
	dev = tn_cmd_dev(ctx, argv[i]);
	if (!dev) {
		if (mode == ETHTOOL_DRVINFO) {
			tn_cmd_err(ctx, "Cannot get driver information: No such device");
			return 71;
		}
		return ethtool_nl_err(ctx, -ENODEV);
	}
	switch (mode) {
	case ETHTOOL_DRVINFO: return ethtool_drvinfo(ctx, dev, out);
	case ETHTOOL_RING: return ethtool_show_ring(ctx, dev, out);
	case ETHTOOL_SET_RING: return ethtool_set_ring(ctx, dev, argc - i - 1, argv + i + 1);
	case ETHTOOL_STATS: return ethtool_stats(ctx, dev, out);
	case ETHTOOL_FEATURES: return ethtool_show_features(dev, out);
	case ETHTOOL_SET_FEATURES:
		return ethtool_set_features(ctx, dev, argc - i - 1, argv + i + 1, out);
	default: return ethtool_settings(ctx, dev, out);
	}
bad_args:
	tn_cmd_err(ctx, "ethtool: bad command line argument(s)\n"
			"For more information run ethtool -h");
	return 1;
}
