/*
 * `ip link`: show, add, delete and change devices, with iproute2's output
 * layout to the space (`ip link`, `ip -s link`, `ip -br link`) and its error
 * messages and exit statuses.
 *
 * Adding knows the kinds tuxnet has: veth (a pair, each end possibly in
 * another namespace), tuxtest (the test device) and tap (a host TAP
 * interface, `type tap hostdev HOSTNAME`). Changes go through the
 * device API in the order the kernel's do_setlink applies them: namespace,
 * name, address, mtu, queue length, then flags. -d prints the details of
 * software devices. Not here yet:
 * `ip link set ... arp|multicast|group|master`, VLANs, bridges, bonds.
 */
#include <errno.h>
#include <string.h>

#include "net/stack.h"
#include "net/net_namespace.h"
#include "net/netdevice.h"
#include "net/sch_generic.h"
#include "net/etherdevice.h"
#include "net/tap.h"
#include "net/testdev.h"
#include "net/veth.h"
#include "tools/cmd/cmd.h"

/* ---- show ------------------------------------------------------------- */

/* print_link_flags()'s order, which is not the bit order. */
static const struct {
	unsigned int flag;
	const char *name;
} link_flag_names[] = {
	{ IFF_LOOPBACK, "LOOPBACK" },   { IFF_BROADCAST, "BROADCAST" },
	{ IFF_POINTOPOINT, "POINTOPOINT" }, { IFF_MULTICAST, "MULTICAST" },
	{ IFF_NOARP, "NOARP" },         { IFF_ALLMULTI, "ALLMULTI" },
	{ IFF_PROMISC, "PROMISC" },     { IFF_MASTER, "MASTER" },
	{ IFF_SLAVE, "SLAVE" },         { IFF_DEBUG, "DEBUG" },
	{ IFF_DYNAMIC, "DYNAMIC" },     { IFF_AUTOMEDIA, "AUTOMEDIA" },
	{ IFF_PORTSEL, "PORTSEL" },     { IFF_NOTRAILERS, "NOTRAILERS" },
	{ IFF_UP, "UP" },               { IFF_LOWER_UP, "LOWER_UP" },
	{ IFF_DORMANT, "DORMANT" },     { IFF_ECHO, "ECHO" },
};

static const char *const oper_states[] = {
	"UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN", "TESTING", "DORMANT", "UP",
};

/* The other end of a link (veth), if the device has one: its ifindex as
 * ndo_get_iflink reports it, 0 for "none", or the device's own ifindex. */
static int link_iflink(const struct net_device *dev)
{
	const struct net_device_ops *ops = dev->netdev_ops;

	return ops && ops->ndo_get_iflink ? ops->ndo_get_iflink(dev) : dev->ifindex;
}

static struct net_device *link_peer(struct net_device *dev)
{
	const struct net_device_ops *ops = dev->netdev_ops;

	return ops && ops->ndo_get_peer_dev ? ops->ndo_get_peer_dev(dev) : NULL;
}

/* A peer in the same namespace is shown by name, one elsewhere by index. */
static bool peer_is_local(struct net_device *dev, struct net_device **peer)
{
	*peer = link_peer(dev);
	return *peer && dev_net(*peer) == dev_net(dev);
}

/*
 * Whether `ip` shows a link ("@..."): the kernel reports IFLA_LINK when the
 * link index differs from the device's own, and always when the link is in
 * another namespace (whose indexes may well coincide with ours).
 */
static bool link_shown(struct net_device *dev, int *iflink, struct net_device **peer)
{
	*iflink = link_iflink(dev);
	if (!peer_is_local(dev, peer) && *peer)
		return true;
	return *iflink != dev->ifindex;
}

const char *ip_link_name(struct net_device *dev, char *buf, size_t len)
{
	struct net_device *peer;
	int iflink;

	if (!link_shown(dev, &iflink, &peer))
		snprintf(buf, len, "%s", dev->name);
	else if (iflink == 0)
		snprintf(buf, len, "%s@NONE", dev->name);
	else if (peer && dev_net(peer) == dev_net(dev))
		snprintf(buf, len, "%s@%s", dev->name, peer->name);
	else
		snprintf(buf, len, "%s@if%d", dev->name, iflink);
	return buf;
}

const char *ip_operstate_name(const struct net_device *dev)
{
	/* An administratively down device is DOWN whatever the driver left
	 * in operstate. */
	if (!(dev->flags & IFF_UP))
		return "DOWN";
	if (dev->operstate < ARRAY_SIZE(oper_states))
		return oper_states[dev->operstate];
	return "UNKNOWN";
}

/* "M-DOWN": the local peer of the link is down (iproute2's m_flag). */
static bool link_master_down(struct net_device *dev)
{
	struct net_device *peer;
	int iflink;

	return link_shown(dev, &iflink, &peer) && iflink && peer &&
	       dev_net(peer) == dev_net(dev) && !(peer->flags & IFF_UP);
}

/* The words between < and >, in iproute2's order; returns how many. */
static unsigned int link_flag_words(struct net_device *dev, const char **w)
{
	unsigned int flags = dev_get_flags(dev), n = 0;

	if ((flags & IFF_UP) && !(flags & IFF_RUNNING))
		w[n++] = "NO-CARRIER";
	for (unsigned int i = 0; i < ARRAY_SIZE(link_flag_names); i++)
		if (flags & link_flag_names[i].flag)
			w[n++] = link_flag_names[i].name;
	if (link_master_down(dev))
		w[n++] = "M-DOWN";
	return n;
}

static void print_link_flags(FILE *out, struct net_device *dev)
{
	const char *w[ARRAY_SIZE(link_flag_names) + 2];
	unsigned int n = link_flag_words(dev, w);

	fputc('<', out);
	for (unsigned int i = 0; i < n; i++)
		fprintf(out, "%s%s", i ? "," : "", w[i]);
	fputs("> ", out);
}

/*
 * The root qdisc as `ip link` names it. A device that is down has none
 * ("noop"); a device that is up has its qdisc, or "noqueue" if it goes
 * without one.
 * XXX: Linux keeps showing the last qdisc of a device taken down after it
 * was up; the device API does not say whether it ever was.
 */
static const char *link_qdisc_name(const struct net_device *dev)
{
	if (dev->qdisc && dev->qdisc->ops)
		return dev->qdisc->ops->id;
	if (!(dev->flags & IFF_UP))
		return "noop";
	if ((dev->priv_flags & IFF_NO_QUEUE) || !dev->qdisc_kind[0])
		return "noqueue";
	return dev->qdisc_kind;
}

static const char *link_type_name(unsigned short type)
{
	switch (type) {
	case ARPHRD_ETHER: return "ether";
	case ARPHRD_LOOPBACK: return "loopback";
	case ARPHRD_NONE: return "none";
	default: return "unknown";
	}
}

static void format_lladdr(const unsigned char *a, unsigned int len, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < len && n + 3 < size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s%02x", i ? ":" : "", a[i]);
}

static void print_link_netns(FILE *out, struct net_device *dev)
{
	struct net_device *peer;

	if (peer_is_local(dev, &peer) || !peer)
		return;
	if (dev_net(peer)->name[0])
		fprintf(out, " link-netns %s", dev_net(peer)->name);
	else
		fprintf(out, " link-netnsid %u", dev_net(peer)->ns_id);
}

/*
 * `ip -d`: iproute2's show_details members. Linux's lo and veth report
 * tso_max_size GSO_MAX_SIZE (524280) and a queue per CPU for veth; tuxnet
 * devices have one queue each (docs/deviations.md). addrgenmode is IPv6's
 * and always eui64 here, as on a Linux device nobody configured.
 */
static void print_link_details(FILE *out, struct net_device *dev)
{
	fprintf(out, " promiscuity %u  allmulti 0 minmtu %u maxmtu %u ", dev->promiscuity,
		dev->min_mtu, dev->max_mtu);
	/* IFLA_LINKINFO: devices made by `ip link add` (lo has none). */
	if (dev->kind && dev->type != ARPHRD_LOOPBACK)
		fprintf(out, "\n    %s ", dev->kind);
	fprintf(out, "addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size %u "
		"gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 ",
		dev->gso_max_size);
}

static void print_lladdr_line(FILE *out, struct net_device *dev, bool details)
{
	char addr[3 * MAX_ADDR_LEN], brd[3 * MAX_ADDR_LEN];

	fprintf(out, "    link/%s ", link_type_name(dev->type));
	if (dev->addr_len) {
		format_lladdr(dev->dev_addr, dev->addr_len, addr, sizeof(addr));
		format_lladdr(dev->broadcast, dev->addr_len, brd, sizeof(brd));
		fprintf(out, "%s %s %s", addr,
			(dev->flags & IFF_POINTOPOINT) ? "peer" : "brd", brd);
	}
	print_link_netns(out, dev);
	if (details)
		print_link_details(out, dev);
	fputc('\n', out);
}

/*
 * `ip -j`: iproute2's print_linkinfo() in JSON, the same members in the
 * same order: "link" names a peer in this namespace, "link_index" and
 * "link_netnsid" one elsewhere.
 */
void ip_json_link(struct tn_jw *jw, struct net_device *dev, bool with_mode, bool show_ll)
{
	const char *w[ARRAY_SIZE(link_flag_names) + 2];
	unsigned int n = link_flag_words(dev, w);
	char addr[3 * MAX_ADDR_LEN];
	struct net_device *peer;
	int iflink;

	tn_jw_int(jw, "ifindex", dev->ifindex);
	if (link_shown(dev, &iflink, &peer) && iflink) {
		if (peer && dev_net(peer) == dev_net(dev))
			tn_jw_string(jw, "link", peer->name);
		else
			tn_jw_int(jw, "link_index", iflink);
	}
	tn_jw_string(jw, "ifname", dev->name);
	tn_jw_start_array(jw, "flags");
	for (unsigned int i = 0; i < n; i++)
		tn_jw_string(jw, NULL, w[i]);
	tn_jw_end_array(jw);
	tn_jw_uint(jw, "mtu", dev->mtu);
	tn_jw_string(jw, "qdisc", link_qdisc_name(dev));
	tn_jw_string(jw, "operstate", ip_operstate_name(dev));
	if (with_mode)
		tn_jw_string(jw, "linkmode", "DEFAULT");
	tn_jw_string(jw, "group", "default");
	tn_jw_uint(jw, "txqlen", dev->tx_queue_len);
	if (!show_ll)
		return;
	tn_jw_string(jw, "link_type", link_type_name(dev->type));
	if (dev->addr_len) {
		format_lladdr(dev->dev_addr, dev->addr_len, addr, sizeof(addr));
		tn_jw_string(jw, "address", addr);
		format_lladdr(dev->broadcast, dev->addr_len, addr, sizeof(addr));
		tn_jw_string(jw, (dev->flags & IFF_POINTOPOINT) ? "peer" : "broadcast", addr);
	}
	/* JSON gives the id, never the name. XXX: tuxnet's ns_id is one
	 * number per namespace in the stack; Linux's nsid is what the
	 * observing namespace assigned to the peer's (docs/deviations.md). */
	if (!peer_is_local(dev, &peer) && peer)
		tn_jw_int(jw, "link_netnsid", dev_net(peer)->ns_id);
}

/* Digits of v, for iproute2's size_columns(). */
static unsigned int num_width(u64 v)
{
	unsigned int n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

static void size_columns(unsigned int *cols, const u64 *vals, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		if (num_width(vals[i]) > cols[i])
			cols[i] = num_width(vals[i]);
}

static void print_stats_row(FILE *out, const unsigned int *cols, const u64 *v, bool compressed)
{
	fputs("    ", out);
	for (unsigned int i = 0; i < 6; i++)
		fprintf(out, "%*llu ", (int)cols[i], (unsigned long long)v[i]);
	if (compressed)
		fprintf(out, "%*llu", (int)cols[6], (unsigned long long)v[6]);
	fputc('\n', out);
}

/* iproute2's print_link_stats64(): two header lines and two value lines
 * whose columns widen to the largest number. */
/* `-s -s`: the error line under each, iproute2 6.1's layout (the value row
 * starts under the first error column). transns is the carrier transition
 * count, which tuxnet does not keep yet (0; docs/deviations.md). */
static void print_error_stats(FILE *out, const unsigned int *cols, const char *dir,
			      const char *const *names, const u64 *v)
{
	fprintf(out, "    %s errors:%*s", dir, (int)cols[0] - 10, "");
	for (unsigned int i = 1; i < 6; i++)
		fprintf(out, " %*s", (int)cols[i], names[i]);
	fprintf(out, "\n%*s", (int)cols[0] + 5, "");
	for (unsigned int i = 1; i < 6; i++)
		fprintf(out, "%*llu ", (int)cols[i], (unsigned long long)v[i]);
	fputc('\n', out);
}

void ip_print_link_stats(FILE *out, struct net_device *dev, int level)
{
	static const char *const rxe_names[6] = { "", "length", "crc", "frame", "fifo", "overrun" };
	static const char *const txe_names[6] = { "", "aborted", "fifo", "window", "heartbt",
						   "transns" };
	struct rtnl_link_stats64 s;
	unsigned int cols[7] = { 10, 7, 6, 7, 7, 7, 10 };  /* "*X errors:", ... "compressed" */

	memset(&s, 0, sizeof(s));
	dev_get_stats(dev, &s);
	const u64 rxe[6] = { 0, s.rx_length_errors, s.rx_crc_errors, s.rx_frame_errors,
			     s.rx_fifo_errors, s.rx_over_errors };
	const u64 txe[6] = { 0, s.tx_aborted_errors, s.tx_fifo_errors, s.tx_window_errors,
			     s.tx_heartbeat_errors, 0 };
	const u64 rx[7] = { s.rx_bytes, s.rx_packets, s.rx_errors, s.rx_dropped,
			    s.rx_missed_errors, s.multicast, s.rx_compressed };
	const u64 tx[7] = { s.tx_bytes, s.tx_packets, s.tx_errors, s.tx_dropped,
			    s.tx_carrier_errors, s.collisions, s.tx_compressed };
	size_columns(cols, rx, 7);
	size_columns(cols, tx, 7);
	if (level > 1) {
		size_columns(cols, rxe, 6);
		size_columns(cols, txe, 6);
	}

	fprintf(out, "    RX: %*s %*s %*s %*s %*s %*s %*s\n", (int)cols[0] - 4, "bytes",
		(int)cols[1], "packets", (int)cols[2], "errors", (int)cols[3], "dropped",
		(int)cols[4], "missed", (int)cols[5], "mcast", (int)cols[6],
		s.rx_compressed ? "compressed" : "");
	print_stats_row(out, cols, rx, s.rx_compressed != 0);
	if (level > 1)
		print_error_stats(out, cols, "RX", rxe_names, rxe);
	fprintf(out, "    TX: %*s %*s %*s %*s %*s %*s %*s\n", (int)cols[0] - 4, "bytes",
		(int)cols[1], "packets", (int)cols[2], "errors", (int)cols[3], "dropped",
		(int)cols[4], "carrier", (int)cols[5], "collsns", (int)cols[6],
		s.tx_compressed ? "compressed" : "");
	print_stats_row(out, cols, tx, s.tx_compressed != 0);
	if (level > 1)
		print_error_stats(out, cols, "TX", txe_names, txe);
}

void ip_print_link(FILE *out, struct net_device *dev, bool with_mode, bool show_ll,
		   bool details)
{
	char name[2 * IFNAMSIZ + 8];

	fprintf(out, "%d: %s: ", dev->ifindex, ip_link_name(dev, name, sizeof(name)));
	print_link_flags(out, dev);
	fprintf(out, "mtu %u qdisc %s state %s %sgroup default qlen %u\n", dev->mtu,
		link_qdisc_name(dev), ip_operstate_name(dev), with_mode ? "mode DEFAULT " : "",
		dev->tx_queue_len);
	if (show_ll)
		print_lladdr_line(out, dev, details);
}

static void print_link_brief(FILE *out, struct net_device *dev)
{
	char name[2 * IFNAMSIZ + 8], addr[3 * MAX_ADDR_LEN];

	fprintf(out, "%-16s %-14s ", ip_link_name(dev, name, sizeof(name)),
		ip_operstate_name(dev));
	if (dev->addr_len) {
		format_lladdr(dev->dev_addr, dev->addr_len, addr, sizeof(addr));
		fprintf(out, "%s ", addr);
	}
	print_link_flags(out, dev);
	fputc('\n', out);
}

int ip_show_devices(struct tn_cmd_ctx *ctx, int argc, char **argv,
		    void (*show)(struct net_device *dev, void *arg), void *arg)
{
	const char *name = NULL;
	bool only_up = false;
	struct net_device *dev;

	for (; argc > 0; argc--, argv++) {
		if (strcmp(argv[0], "up") == 0) {
			only_up = true;
		} else if (strcmp(argv[0], "dev") == 0 && argc > 1) {
			argc--, argv++;
			name = argv[0];
		} else if (!name) {
			name = argv[0];
		} else {
			return ip_duparg2(ctx, "dev", argv[0]);
		}
	}
	if (name && !tn_cmd_dev(ctx, name)) {
		tn_cmd_err(ctx, "Device \"%s\" does not exist.", name);
		return 1;
	}
	list_for_each_entry(dev, &ctx->net->dev_base_head, dev_list) {
		if ((name && strcmp(dev->name, name)) || (only_up && !(dev->flags & IFF_UP)))
			continue;
		show(dev, arg);
	}
	return 0;
}

struct link_show_arg {
	const struct ip_global_opts *o;
	FILE *out;
	struct tn_jw jw;              /* -j: out is NULL until the array opens */
};

static void link_show_one(struct net_device *dev, void *arg)
{
	struct link_show_arg *a = arg;

	if (a->o->json) {
		ip_json_open(&a->jw, a->out, a->o);
		tn_jw_start_object(&a->jw, NULL);
		ip_json_link(&a->jw, dev, true, true);
		tn_jw_end_object(&a->jw);
		return;
	}
	if (a->o->brief) {
		print_link_brief(a->out, dev);
		return;
	}
	ip_print_link(a->out, dev, true, true, a->o->details);
	if (a->o->stats)
		ip_print_link_stats(a->out, dev, a->o->stats);
}

static int iplink_show(struct tn_cmd_ctx *ctx, const struct ip_global_opts *o, int argc,
		       char **argv, FILE *out)
{
	struct link_show_arg a = { .o = o, .out = out };
	int status = ip_show_devices(ctx, argc, argv, link_show_one, &a);

	if (!status && o->json)
		ip_json_close(&a.jw, out, o);
	return status;
}

/* The array `ip -j` prints around the devices, started by the first (an
 * unknown device prints only its error). */
void ip_json_open(struct tn_jw *jw, FILE *out, const struct ip_global_opts *o)
{
	if (jw->out)
		return;
	tn_jw_init(jw, out, o->pretty);
	tn_jw_start_array(jw, NULL);
}

void ip_json_close(struct tn_jw *jw, FILE *out, const struct ip_global_opts *o)
{
	ip_json_open(jw, out, o);
	tn_jw_end_array(jw);
	tn_jw_finish(jw);
}

/* ---- add / delete ------------------------------------------------------ */

/* The settings `ip link add` and `ip link set` share. */
struct link_req {
	const char *dev;
	const char *newname;
	const char *kind;
	struct net *netns;
	bool has_mtu, has_addr, has_qlen;
	unsigned long mtu, qlen;
	u8 addr[ETH_ALEN];
	int up;          /* 1 up, 0 down, -1 unchanged */
	int promisc;     /* 1 on, 0 off, -1 unchanged */
};

static void link_req_init(struct link_req *r)
{
	memset(r, 0, sizeof(*r));
	r->up = -1;
	r->promisc = -1;
}

/*
 * One keyword (with its value) of the common link syntax. Returns the words
 * used, 0 if the word is not one of these, or -status after printing the
 * error.
 */
static int link_parse_common(struct tn_cmd_ctx *ctx, struct link_req *r, int argc, char **argv)
{
	const char *kw = argv[0];
	const char *val = argc > 1 ? argv[1] : NULL;

	if (strcmp(kw, "up") == 0 || strcmp(kw, "down") == 0) {
		r->up = kw[0] == 'u';
		return 1;
	}
	if (!strcmp(kw, "mtu") || !strcmp(kw, "address") || !strcmp(kw, "netns") ||
	    !strcmp(kw, "txqueuelen") || !strcmp(kw, "qlen") || !strcmp(kw, "txqlen") ||
	    !strcmp(kw, "promisc") || !strcmp(kw, "name")) {
		if (!val) {
			tn_cmd_err(ctx, "Command line is not complete. Try option \"help\"");
			return -IP_EXIT_USAGE;
		}
	} else {
		return 0;
	}
	if (strcmp(kw, "mtu") == 0) {
		if (r->has_mtu || !tn_parse_uint(val, 0x7fffffff, &r->mtu))
			return -ip_invarg(ctx, "Invalid \"mtu\" value\n", val);
		r->has_mtu = true;
	} else if (strcmp(kw, "address") == 0) {
		if (tn_parse_mac(val, r->addr)) {
			tn_cmd_err(ctx, "\"%s\" is invalid lladdr.", val);
			return -1;
		}
		r->has_addr = true;
	} else if (strcmp(kw, "netns") == 0) {
		r->netns = tn_cmd_netns(ctx, val);
		if (!r->netns)
			return -ip_invarg(ctx, "Invalid \"netns\" value\n", val);
	} else if (strcmp(kw, "promisc") == 0) {
		if (strcmp(val, "on") && strcmp(val, "off")) {
			tn_cmd_err(ctx, "Error: argument of \"promisc\" must be \"on\" or \"off\", not \"%s\"",
				   val);
			return -IP_EXIT_USAGE;
		}
		r->promisc = val[1] == 'n';
	} else if (strcmp(kw, "name") == 0) {
		if (!dev_valid_name(val))
			return -ip_invarg(ctx, "\"name\" not a valid ifname", val);
		r->newname = val;
	} else {
		if (r->has_qlen || !tn_parse_uint(val, 0xffffffff, &r->qlen))
			return -ip_invarg(ctx, "Invalid \"txqueuelen\" value\n", val);
		r->has_qlen = true;
	}
	return 2;
}

static int link_set_mtu(struct tn_cmd_ctx *ctx, struct net_device *dev, unsigned long mtu)
{
	int err;

	/* The kernel's extack words, checked here since dev_set_mtu only
	 * says -EINVAL. */
	if (dev->max_mtu && mtu > dev->max_mtu) {
		tn_cmd_err(ctx, "Error: mtu greater than device maximum.");
		return 2;
	}
	if (mtu < dev->min_mtu) {
		tn_cmd_err(ctx, "Error: mtu less than device minimum.");
		return 2;
	}
	err = dev_set_mtu(dev, (int)mtu);
	return err ? ip_rtnl_err(ctx, err) : 0;
}

/* Linux's dev_qdisc_change_tx_queue_len(): only pfifo_fast follows
 * txqueuelen, and it reads it at every enqueue; other qdiscs (netem, pfifo
 * with a limit) keep the limit they were given. */
static void link_set_qlen(struct net_device *dev, unsigned long qlen)
{
	dev->tx_queue_len = (unsigned int)qlen;
}

/* `promisc on|off` is the user's flag (gflags), one reference however
 * often it is set, and what `ip link` shows: dev_change_flags(), as
 * do_setlink() does. */
static int link_set_promisc(struct net_device *dev, bool on)
{
	unsigned int flags = dev_get_flags(dev);

	flags = on ? (flags | IFF_PROMISC) : (flags & ~IFF_PROMISC);
	return dev_change_flags(dev, flags);
}

/* Apply r to dev in do_setlink()'s order. */
static int link_apply(struct tn_cmd_ctx *ctx, struct net_device *dev, const struct link_req *r)
{
	int err = 0;

	if (r->netns && r->netns != dev_net(dev)) {
		err = dev_change_net_namespace(dev, r->netns, NULL);
		if (err)
			return ip_rtnl_err(ctx, err);
	}
	if (r->newname && strcmp(r->newname, dev->name)) {
		err = dev_change_name(dev, r->newname);
		if (err)
			return ip_rtnl_err(ctx, err);
	}
	if (r->has_addr && (err = dev_set_mac_address(dev, r->addr)))
		return ip_rtnl_err(ctx, err);
	if (r->has_mtu && dev->mtu != r->mtu && (err = link_set_mtu(ctx, dev, r->mtu)))
		return err;
	if (r->has_qlen)
		link_set_qlen(dev, r->qlen);
	if (r->promisc >= 0 && (err = link_set_promisc(dev, r->promisc)))
		return ip_rtnl_err(ctx, err);
	if (r->up == 1 && !(dev->flags & IFF_UP))
		err = dev_open(dev);
	else if (r->up == 0 && (dev->flags & IFF_UP))
		err = dev_close(dev);
	return err ? ip_rtnl_err(ctx, err) : 0;
}

/* veth's own arguments: `peer [name] NAME [netns NS] [mtu N] ...`. */
static int veth_parse_peer(struct tn_cmd_ctx *ctx, struct link_req *peer, int argc, char **argv)
{
	if (argc == 0)
		return 0;
	if (strcmp(argv[0], "peer"))
		return ip_duparg2(ctx, "type", argv[0]);
	for (argc--, argv++; argc > 0;) {
		int used = link_parse_common(ctx, peer, argc, argv);
		if (used < 0)
			return -used;
		if (used == 0) {
			if (peer->newname)
				return ip_duparg2(ctx, "name", argv[0]);
			if (!dev_valid_name(argv[0]))
				return ip_invarg(ctx, "\"name\" not a valid ifname", argv[0]);
			peer->newname = argv[0];
			used = 1;
		}
		argc -= used;
		argv += used;
	}
	return 0;
}

static int link_add_veth(struct tn_cmd_ctx *ctx, const struct link_req *r, int argc,
			 char **argv)
{
	struct link_req peer;
	struct net_device *dev = NULL, *pdev = NULL;
	struct net *net = r->netns ? r->netns : ctx->net;
	int status, err;

	link_req_init(&peer);
	status = veth_parse_peer(ctx, &peer, argc, argv);
	if (status)
		return status;
	/* The peer is created where the command runs unless told otherwise
	 * (Linux uses the caller's namespace, not the first end's). */
	err = veth_newlink(net, r->dev, peer.netns ? peer.netns : ctx->net, peer.newname,
			   &dev, &pdev);
	if (err)
		return ip_rtnl_err(ctx, err);
	peer.netns = NULL;
	peer.newname = NULL;
	status = link_apply(ctx, pdev, &peer);
	if (!status) {
		struct link_req self = *r;
		self.netns = NULL;
		status = link_apply(ctx, dev, &self);
	}
	return status;
}

static int link_add_tuxtest(struct tn_cmd_ctx *ctx, const struct link_req *r, int argc,
			    char **argv)
{
	struct link_req self = *r;
	struct net_device *dev;

	if (argc > 0)
		return ip_duparg2(ctx, "type", argv[0]);
	dev = testdev_create(r->netns ? r->netns : ctx->net, r->dev, false);
	if (!dev)
		return ip_rtnl_err(ctx, -ENOMEM);
	self.netns = NULL;
	return link_apply(ctx, dev, &self);
}

/* `type tap hostdev HOSTNAME` (include/net/tap.h): the host side appears
 * as HOSTNAME in the namespace the tuxnet process runs in. */
static int link_add_tap(struct tn_cmd_ctx *ctx, const struct link_req *r, int argc,
			char **argv)
{
	struct link_req self = *r;
	struct net_device *dev;
	const char *hostdev = NULL;
	int err;

	if (argc >= 2 && strcmp(argv[0], "hostdev") == 0) {
		hostdev = argv[1];
		argc -= 2;
		argv += 2;
	}
	if (argc > 0)
		return ip_duparg2(ctx, "type", argv[0]);
	if (!hostdev) {
		tn_cmd_err(ctx, "Error: tap needs \"hostdev HOSTNAME\": the interface's name on the host.");
		return IP_EXIT_USAGE;
	}
	err = tap_newlink(r->netns ? r->netns : ctx->net, r->dev, hostdev, &dev);
	if (err == -EOPNOTSUPP) {
		tn_cmd_err(ctx, "Error: a tap device needs the real clock (tuxnet run --realtime).");
		return 2;
	}
	if (err == -EPERM || err == -EACCES || err == -ENOENT) {
		tn_cmd_err(ctx, "Error: cannot open /dev/net/tun for \"%s\": %s (needs CAP_NET_ADMIN).",
			   hostdev, tn_errstr(-err));
		return 2;
	}
	if (err)
		return ip_rtnl_err(ctx, err);
	self.netns = NULL;
	return link_apply(ctx, dev, &self);
}

static int iplink_add(struct tn_cmd_ctx *ctx, int argc, char **argv)
{
	struct link_req r;

	link_req_init(&r);
	while (argc > 0 && strcmp(argv[0], "type")) {
		int used = link_parse_common(ctx, &r, argc, argv);
		if (used < 0)
			return -used;
		if (used == 0) {
			if (r.dev)
				return ip_duparg2(ctx, "dev", argv[0]);
			if (strcmp(argv[0], "dev") == 0 && argc > 1)
				argc--, argv++;
			if (!dev_valid_name(argv[0]))
				return ip_invarg(ctx, "\"name\" not a valid ifname", argv[0]);
			r.dev = argv[0];
			used = 1;
		}
		argc -= used;
		argv += used;
	}
	/* `ip link add name X` is the same as `ip link add X`. */
	if (r.newname && !r.dev)
		r.dev = r.newname;
	r.newname = NULL;
	if (argc < 2) {
		tn_cmd_err(ctx, "Not enough information: \"type\" argument is required");
		return IP_EXIT_USAGE;
	}
	if (r.dev && __dev_get_by_name(r.netns ? r.netns : ctx->net, r.dev))
		return ip_rtnl_err(ctx, -EEXIST);
	if (strcmp(argv[1], "veth") == 0)
		return link_add_veth(ctx, &r, argc - 2, argv + 2);
	if (strcmp(argv[1], "tuxtest") == 0)
		return link_add_tuxtest(ctx, &r, argc - 2, argv + 2);
	if (strcmp(argv[1], "tap") == 0)
		return link_add_tap(ctx, &r, argc - 2, argv + 2);
	tn_cmd_err(ctx, "Error: Unknown device type.");
	return 2;
}

static int iplink_del(struct tn_cmd_ctx *ctx, int argc, char **argv)
{
	const char *name = NULL;
	struct net_device *dev;

	for (; argc > 0; argc--, argv++) {
		if (strcmp(argv[0], "type") == 0 && argc > 1) {
			argc--, argv++;   /* `ip link del X type veth`: the kind is implied */
		} else if (strcmp(argv[0], "dev") == 0 && argc > 1) {
			argc--, argv++;
			name = argv[0];
		} else if (!name) {
			name = argv[0];
		} else {
			return ip_duparg2(ctx, "dev", argv[0]);
		}
	}
	if (!name)
		return ip_incomplete(ctx, "dev");
	dev = tn_cmd_dev(ctx, name);
	if (!dev)
		return ip_nodev(ctx, name);
	/* Only devices made by `ip link add` can be deleted (rtnl_link_ops). */
	if (!dev->kind || strcmp(dev->kind, "loopback") == 0)
		return ip_rtnl_err(ctx, -EOPNOTSUPP);
	unregister_netdevice(dev);
	return 0;
}

/* ---- set ---------------------------------------------------------------- */

static int iplink_set(struct tn_cmd_ctx *ctx, int argc, char **argv)
{
	struct link_req r;
	struct net_device *dev;

	link_req_init(&r);
	while (argc > 0) {
		int used = link_parse_common(ctx, &r, argc, argv);
		if (used < 0)
			return -used;
		if (used == 0) {
			if (strcmp(argv[0], "dev") == 0 && argc > 1)
				argc--, argv++;
			if (r.dev)
				return ip_duparg2(ctx, "dev", argv[0]);
			r.dev = argv[0];
			used = 1;
		}
		argc -= used;
		argv += used;
	}
	if (!r.dev)
		return ip_incomplete(ctx, "dev");
	dev = tn_cmd_dev(ctx, r.dev);
	if (!dev)
		return ip_nodev(ctx, r.dev);
	return link_apply(ctx, dev, &r);
}

int do_iplink(struct tn_cmd_ctx *ctx, const struct ip_global_opts *o, int argc, char **argv,
	      FILE *out)
{
	if (argc == 0)
		return iplink_show(ctx, o, 0, argv, out);
	if (tn_matches(argv[0], "add"))
		return iplink_add(ctx, argc - 1, argv + 1);
	if (tn_matches(argv[0], "set") || tn_matches(argv[0], "change"))
		return iplink_set(ctx, argc - 1, argv + 1);
	if (tn_matches(argv[0], "delete"))
		return iplink_del(ctx, argc - 1, argv + 1);
	if (tn_matches(argv[0], "show") || tn_matches(argv[0], "list") ||
	    tn_matches(argv[0], "lst"))
		return iplink_show(ctx, o, argc - 1, argv + 1, out);
	tn_cmd_err(ctx, "Command \"%s\" is unknown, try \"ip link help\".", argv[0]);
	return IP_EXIT_USAGE;
}
