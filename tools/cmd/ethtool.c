/*
 * ethtool(8): driver information (-i), ring sizes (-g, -G), driver
 * statistics (-S) and the link state (plain `ethtool DEV`), printed in
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

/* Plain `ethtool DEV`. With no link settings to report (no
 * get_link_ksettings in tuxnet drivers) only the link line is left, as
 * Linux prints it for lo. */
static int ethtool_settings(struct tn_cmd_ctx *ctx, struct net_device *dev, FILE *out)
{
	int link = tn_ethtool_get_link(dev);

	fprintf(out, "Settings for %s:\n", dev->name);
	if (link < 0) {
		tn_cmd_err(ctx, "No data available");
		return 75;
	}
	fprintf(out, "\tLink detected: %s\n", yes_no(link));
	return 0;
}

enum ethtool_mode { ETHTOOL_SETTINGS, ETHTOOL_DRVINFO, ETHTOOL_RING, ETHTOOL_SET_RING,
		    ETHTOOL_STATS };

static const struct {
	const char *short_opt, *long_opt;
	enum ethtool_mode mode;
} ethtool_modes[] = {
	{ "-i", "--driver", ETHTOOL_DRVINFO },
	{ "-g", "--show-ring", ETHTOOL_RING },
	{ "-G", "--set-ring", ETHTOOL_SET_RING },
	{ "-S", "--statistics", ETHTOOL_STATS },
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
	if (i >= argc || (mode != ETHTOOL_SET_RING && i + 1 != argc))
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
	default: return ethtool_settings(ctx, dev, out);
	}
bad_args:
	tn_cmd_err(ctx, "ethtool: bad command line argument(s)\n"
			"For more information run ethtool -h");
	return 1;
}
