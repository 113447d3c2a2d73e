/*
 * `ip address`: add, delete and show IPv4 addresses, with iproute2's
 * layout (the link lines of `ip link`, without "mode", then one
 * "inet A/P [brd B] scope S [secondary] LABEL" and its lifetime line per
 * address) and its messages.
 *
 * Addresses are the in_ifaddr list of each device (devinet), shown in its
 * order: primaries first. Not here yet: IPv6, lifetimes other than forever,
 * peer addresses.
 */
#include <errno.h>
#include <fnmatch.h>
#include <string.h>

#include "net/net_namespace.h"
#include "net/netdevice.h"
#include "net/inetdevice.h"
#include "tools/cmd/cmd.h"

static const char *scope_name(int scope, char *buf, size_t len)
{
	switch (scope) {
	case RT_SCOPE_UNIVERSE: return "global";
	case RT_SCOPE_SITE: return "site";
	case RT_SCOPE_LINK: return "link";
	case RT_SCOPE_HOST: return "host";
	case RT_SCOPE_NOWHERE: return "nowhere";
	}
	snprintf(buf, len, "%d", scope);
	return buf;
}

/* rtnl_rtscope_a2n(): a name or a number. -1 if neither. */
static int scope_parse(const char *s)
{
	static const struct { const char *name; int scope; } names[] = {
		{ "global", RT_SCOPE_UNIVERSE }, { "site", RT_SCOPE_SITE },
		{ "link", RT_SCOPE_LINK },       { "host", RT_SCOPE_HOST },
		{ "nowhere", RT_SCOPE_NOWHERE },
	};
	unsigned long v;

	for (unsigned int i = 0; i < ARRAY_SIZE(names); i++)
		if (strcmp(s, names[i].name) == 0)
			return names[i].scope;
	return tn_parse_uint(s, 255, &v) ? (int)v : -1;
}

/* ---- show ------------------------------------------------------------- */

/* One address in `ip -j addr`: iproute2's print_addrinfo() members. */
static void json_ifa(struct tn_jw *jw, const struct in_ifaddr *ifa)
{
	char a[16], sb[8];

	tn_jw_start_object(jw, NULL);
	tn_jw_string(jw, "family", "inet");
	tn_jw_string(jw, "local", tn_ipv4_str(ifa->ifa_local, a));
	if (ifa->ifa_address && ifa->ifa_address != ifa->ifa_local)
		tn_jw_string(jw, "address", tn_ipv4_str(ifa->ifa_address, a));
	tn_jw_int(jw, "prefixlen", ifa->ifa_prefixlen);
	if (ifa->ifa_broadcast)
		tn_jw_string(jw, "broadcast", tn_ipv4_str(ifa->ifa_broadcast, a));
	tn_jw_string(jw, "scope", scope_name(ifa->ifa_scope, sb, sizeof(sb)));
	if (ifa->ifa_flags & IFA_F_SECONDARY)
		tn_jw_bool(jw, "secondary", true);
	tn_jw_string(jw, "label", ifa->ifa_label[0] ? ifa->ifa_label : ifa->ifa_dev->dev->name);
	/* INFINITY_LIFE_TIME: "forever" in text. */
	tn_jw_uint(jw, "valid_life_time", 4294967295u);
	tn_jw_uint(jw, "preferred_life_time", 4294967295u);
	tn_jw_end_object(jw);
}

static void json_dev_addrs(const struct ip_global_opts *o, struct tn_jw *jw,
			   struct net_device *dev)
{
	struct in_device *in_dev = __in_dev_get(dev);
	struct in_ifaddr *ifa;

	tn_jw_start_object(jw, NULL);
	ip_json_link(jw, dev, false, o->family != 4);
	tn_jw_start_array(jw, "addr_info");
	if (in_dev)
		list_for_each_entry(ifa, &in_dev->ifa_list, ifa_list)
			json_ifa(jw, ifa);
	tn_jw_end_array(jw);
	tn_jw_end_object(jw);
}

static void print_ifa(FILE *out, const struct in_ifaddr *ifa)
{
	char a[16], b[16], sb[8];

	fprintf(out, "    inet %s", tn_ipv4_str(ifa->ifa_local, a));
	if (ifa->ifa_address && ifa->ifa_address != ifa->ifa_local)
		fprintf(out, " peer %s", tn_ipv4_str(ifa->ifa_address, b));
	fprintf(out, "/%d ", ifa->ifa_prefixlen);
	if (ifa->ifa_broadcast)
		fprintf(out, "brd %s ", tn_ipv4_str(ifa->ifa_broadcast, b));
	fprintf(out, "scope %s ", scope_name(ifa->ifa_scope, sb, sizeof(sb)));
	if (ifa->ifa_flags & IFA_F_SECONDARY)
		fputs("secondary ", out);
	fprintf(out, "%s\n", ifa->ifa_label[0] ? ifa->ifa_label : ifa->ifa_dev->dev->name);
	fputs("       valid_lft forever preferred_lft forever\n", out);
}

static bool dev_has_inet(const struct net_device *dev)
{
	const struct in_device *in_dev = __in_dev_get(dev);

	return in_dev && !list_empty(&in_dev->ifa_list);
}

static void print_dev_addrs(const struct ip_global_opts *o, FILE *out, struct net_device *dev)
{
	struct in_device *in_dev = __in_dev_get(dev);
	struct in_ifaddr *ifa;

	/* `ip -4 addr` lists only devices with IPv4 addresses, and not their
	 * link line's second half. */
	if (o->family == 4 && !dev_has_inet(dev))
		return;
	if (o->family == 6)
		return;
	ip_print_link(out, dev, false, o->family != 4, o->details);
	if (in_dev)
		list_for_each_entry(ifa, &in_dev->ifa_list, ifa_list)
			print_ifa(out, ifa);
	/* The -s block comes after the addresses, as iproute2 prints it. */
	if (o->stats)
		ip_print_link_stats(out, dev, o->stats);
}

static void print_dev_brief(FILE *out, struct net_device *dev)
{
	struct in_device *in_dev = __in_dev_get(dev);
	struct in_ifaddr *ifa;
	char name[2 * IFNAMSIZ + 8], a[16];

	fprintf(out, "%-16s %-14s ", ip_link_name(dev, name, sizeof(name)),
		ip_operstate_name(dev));
	if (in_dev)
		list_for_each_entry(ifa, &in_dev->ifa_list, ifa_list)
			fprintf(out, "%s/%d ", tn_ipv4_str(ifa->ifa_local, a), ifa->ifa_prefixlen);
	fputc('\n', out);
}

struct addr_show_arg {
	const struct ip_global_opts *o;
	FILE *out;
	const char *label;            /* label PATTERN, or NULL */
	struct tn_jw jw;              /* -j: out is NULL until the array opens */
};

static void addr_show_one(struct net_device *dev, void *arg)
{
	struct addr_show_arg *a = arg;

	if (a->o->json) {
		if ((a->o->family == 4 && !dev_has_inet(dev)) || a->o->family == 6)
			return;
		ip_json_open(&a->jw, a->out, a->o);
		json_dev_addrs(a->o, &a->jw, dev);
	} else if (a->o->brief)
		print_dev_brief(a->out, dev);
	else
		print_dev_addrs(a->o, a->out, dev);
}

/* `ip addr show label PATTERN`: the matching addresses (a shell glob on
 * the label), without the link lines, as iproute2 prints them. */
static void addr_show_label(struct net_device *dev, void *arg)
{
	const struct addr_show_arg *a = arg;
	struct in_device *in_dev = __in_dev_get(dev);
	struct in_ifaddr *ifa;

	if (!in_dev)
		return;
	list_for_each_entry(ifa, &in_dev->ifa_list, ifa_list) {
		const char *label = ifa->ifa_label[0] ? ifa->ifa_label : dev->name;
		if (fnmatch(a->label, label, 0) == 0)
			print_ifa(a->out, ifa);
	}
}

static int ipaddr_show(struct tn_cmd_ctx *ctx, const struct ip_global_opts *o, int argc,
		       char **argv, FILE *out)
{
	struct addr_show_arg a = { .o = o, .out = out };
	char *rest[TN_CMD_MAX_ARGS];
	int n = 0, status;

	/* Take "label PATTERN" out; the rest selects devices. */
	for (int i = 0; i < argc && n < TN_CMD_MAX_ARGS; i++) {
		if (strcmp(argv[i], "label") == 0 && i + 1 < argc && !o->json && !o->brief)
			a.label = argv[++i];
		else
			rest[n++] = argv[i];
	}
	status = ip_show_devices(ctx, n, rest, a.label ? addr_show_label : addr_show_one, &a);

	if (!status && o->json)
		ip_json_close(&a.jw, out, o);
	return status;
}

/* ---- add / del ---------------------------------------------------------- */

struct addr_req {
	const char *dev;
	const char *label;
	const char *local_arg;
	u32 local;
	int plen;
	bool has_plen;
	u32 brd;
	int brd_mode;    /* 0 none, 1 given, '+' / '-' computed */
	int scope;       /* -1: default */
};

static int addr_parse_brd(struct tn_cmd_ctx *ctx, struct addr_req *r, const char *v)
{
	if (strcmp(v, "+") == 0 || strcmp(v, "-") == 0) {
		r->brd_mode = v[0];
		return 0;
	}
	if (!tn_cmd_parse_ipv4(v, &r->brd)) {
		tn_cmd_err(ctx, "Error: an inet address is expected rather than \"%s\".", v);
		return 1;
	}
	r->brd_mode = 1;
	return 0;
}

/* One keyword and its value: words used, or -status. */
static int addr_parse_kw(struct tn_cmd_ctx *ctx, struct addr_req *r, int argc, char **argv)
{
	const char *kw = argv[0];
	const char *v = argv[1];

	if (argc < 2) {
		tn_cmd_err(ctx, "Command line is not complete. Try option \"help\"");
		return -IP_EXIT_USAGE;
	}
	if (strcmp(kw, "dev") == 0) {
		if (r->dev)
			return -ip_duparg2(ctx, "dev", v);
		r->dev = v;
	} else if (strcmp(kw, "label") == 0) {
		r->label = v;
	} else if (strcmp(kw, "scope") == 0) {
		r->scope = scope_parse(v);
		if (r->scope < 0)
			return -ip_invarg(ctx, "invalid scope value.", v);
	} else {  /* brd, broadcast */
		int st = addr_parse_brd(ctx, r, v);
		if (st)
			return -st;
	}
	return 2;
}

static bool is_addr_kw(const char *s)
{
	return !strcmp(s, "dev") || !strcmp(s, "label") || !strcmp(s, "scope") ||
	       !strcmp(s, "brd") || tn_matches(s, "broadcast");
}

static int addr_parse(struct tn_cmd_ctx *ctx, struct addr_req *r, int argc, char **argv)
{
	memset(r, 0, sizeof(*r));
	r->scope = -1;
	while (argc > 0) {
		int used;
		if (is_addr_kw(argv[0])) {
			used = addr_parse_kw(ctx, r, argc, argv);
			if (used < 0)
				return -used;
		} else {
			const char *s = strcmp(argv[0], "local") == 0 && argc > 1 ? argv[1] : argv[0];
			used = s == argv[0] ? 1 : 2;
			if (r->local_arg)
				return ip_duparg2(ctx, "local", s);
			if (!tn_cmd_parse_prefix(s, &r->local, &r->plen, &r->has_plen)) {
				tn_cmd_err(ctx, "Error: any valid prefix is expected rather than \"%s\".", s);
				return 1;
			}
			r->local_arg = s;
		}
		argc -= used;
		argv += used;
	}
	if (!r->dev)
		return ip_incomplete(ctx, "dev");
	return 0;
}

/* A label is any name that fits IFNAMSIZ: Linux 6.18 with iproute2 6.1
 * accepts `label foo` on any device (checked in tests/linux/link-more.tn). */
static int addr_check_label(struct tn_cmd_ctx *ctx, const struct addr_req *r)
{
	if (!r->label || strlen(r->label) < IFNAMSIZ)
		return 0;
	tn_cmd_err(ctx, "\"%s\" is too long", r->label);
	return IP_EXIT_USAGE;
}

static u32 addr_broadcast(const struct addr_req *r)
{
	u32 mask = inet_make_mask(r->plen);

	switch (r->brd_mode) {
	case 1: return r->brd;
	case '+': return inet_default_broadcast(r->local, r->plen);
	case '-': return r->plen >= 31 ? 0 : (r->local & mask);
	default: return 0;
	}
}

static int ipaddr_add(struct tn_cmd_ctx *ctx, int argc, char **argv, bool replace)
{
	struct addr_req r;
	struct net_device *dev;
	int status = addr_parse(ctx, &r, argc, argv);
	int err, scope;

	if (status)
		return status;
	if (!r.local_arg)
		return ip_incomplete(ctx, "local");
	if ((status = addr_check_label(ctx, &r)))
		return status;
	dev = tn_cmd_dev(ctx, r.dev);
	if (!dev)
		return ip_nodev(ctx, r.dev);
	/* iproute2's default_scope(): host for 127/8, global otherwise. */
	scope = r.scope >= 0 ? r.scope : ((r.local >> 24) == 127 ? RT_SCOPE_HOST : RT_SCOPE_UNIVERSE);
	err = inet_addr_add(dev, r.local, r.plen, addr_broadcast(&r), scope,
			    r.label ? r.label : dev->name);
	if (err == -EEXIST && replace)
		return 0;
	if (err == -EEXIST) {
		tn_cmd_err(ctx, "Error: ipv4: Address already assigned.");
		return 2;
	}
	return err ? ip_rtnl_err(ctx, err) : 0;
}

/* The prefix of dev's address local, for `ip addr del A dev D` without
 * one (iproute2 then deletes whatever prefix it has). */
static int addr_find_plen(struct net_device *dev, u32 local)
{
	struct in_device *in_dev = __in_dev_get(dev);
	struct in_ifaddr *ifa;

	if (in_dev)
		list_for_each_entry(ifa, &in_dev->ifa_list, ifa_list)
			if (ifa->ifa_local == local)
				return ifa->ifa_prefixlen;
	return -1;
}

static int ipaddr_del(struct tn_cmd_ctx *ctx, int argc, char **argv)
{
	struct addr_req r;
	struct net_device *dev;
	int status = addr_parse(ctx, &r, argc, argv);
	int err;

	if (status)
		return status;
	dev = tn_cmd_dev(ctx, r.dev);
	if (!dev)
		return ip_nodev(ctx, r.dev);
	if (!r.local_arg) {
		tn_cmd_err(ctx, "RTNETLINK answers: Operation not supported");
		return 2;
	}
	if (!r.has_plen && addr_find_plen(dev, r.local) >= 0)
		r.plen = addr_find_plen(dev, r.local);
	err = inet_addr_del(dev, r.local, r.plen);
	if (err == -EADDRNOTAVAIL || err == -ENOENT || err == -ESRCH) {
		tn_cmd_err(ctx, "Error: ipv4: Address not found.");
		return 2;
	}
	return err ? ip_rtnl_err(ctx, err) : 0;
}

/*
 * `ip addr flush dev D [scope S]`: delete every address of D (of that
 * scope), as iproute2's ipaddr_flush() does with one RTM_DELADDR per address
 * of its dump. Deleting a primary also takes its secondaries
 * (inet_del_ifa() without promote_secondaries), so the list is walked
 * again from its head after each deletion.
 */
static int ipaddr_flush(struct tn_cmd_ctx *ctx, int argc, char **argv)
{
	const char *name = NULL;
	struct net_device *dev;
	struct in_device *in_dev;
	int scope = -1;

	if (argc == 0) {
		tn_cmd_err(ctx, "Flush requires arguments.");
		return 1;
	}
	for (; argc > 0; argc--, argv++) {
		if (strcmp(argv[0], "dev") == 0 && argc > 1) {
			name = *++argv;
			argc--;
		} else if (strcmp(argv[0], "scope") == 0 && argc > 1) {
			scope = scope_parse(*++argv);
			argc--;
			if (scope < 0) {
				tn_cmd_err(ctx, "Error: argument \"%s\" is wrong: invalid \"scope\"", argv[0]);
				return 1;
			}
		} else if (!name) {
			name = argv[0];
		} else {
			return ip_duparg2(ctx, "dev", argv[0]);
		}
	}
	dev = name ? tn_cmd_dev(ctx, name) : NULL;
	if (!dev) {
		tn_cmd_err(ctx, "Device \"%s\" does not exist.", name ? name : "");
		return 1;
	}
	in_dev = __in_dev_get(dev);
	for (bool again = in_dev != NULL; again;) {
		struct in_ifaddr *ifa;

		again = false;
		in_dev_for_each_ifa(ifa, in_dev) {
			if (scope >= 0 && ifa->ifa_scope != scope)
				continue;
			if (inet_addr_del(dev, ifa->ifa_local, ifa->ifa_prefixlen) == 0)
				again = true;
			break;
		}
	}
	return 0;
}

int do_ipaddr(struct tn_cmd_ctx *ctx, const struct ip_global_opts *o, int argc, char **argv,
	      FILE *out)
{
	if (argc == 0)
		return ipaddr_show(ctx, o, 0, argv, out);
	if (tn_matches(argv[0], "add"))
		return ipaddr_add(ctx, argc - 1, argv + 1, false);
	if (tn_matches(argv[0], "replace"))
		return ipaddr_add(ctx, argc - 1, argv + 1, true);
	if (tn_matches(argv[0], "delete"))
		return ipaddr_del(ctx, argc - 1, argv + 1);
	if (tn_matches(argv[0], "show") || tn_matches(argv[0], "list") ||
	    tn_matches(argv[0], "lst"))
		return ipaddr_show(ctx, o, argc - 1, argv + 1, out);
	if (tn_matches(argv[0], "flush"))
		return ipaddr_flush(ctx, argc - 1, argv + 1);
	tn_cmd_err(ctx, "Command \"%s\" is unknown, try \"ip address help\".", argv[0]);
	return IP_EXIT_USAGE;
}
