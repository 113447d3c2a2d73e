/*
 * `ip route`: the IPv4 routing tables of a namespace (include/net/ip_fib.h)
 * and the routing decision for one address (`ip route get`, route.h),
 * with iproute2's syntax, output and messages:
 *
 *   default via 10.0.0.254 dev veth0
 *   10.0.0.0/24 dev veth0 proto kernel scope link src 10.0.0.1
 *   10.0.1.2 via 10.0.0.254 dev veth0 src 10.0.0.1 uid 0
 *       cache expires 598sec mtu 1400
 *
 * (every such line ends with a space, as iproute2's do). What the kernel
 * decides — the scope of a new route, whether a gateway is reachable, which
 * source address a lookup picks — is decided by the FIB; this file turns
 * words into a fib_config and errors into iproute2's words.
 *
 * Not here: multipath (nexthop), rules, IPv6, `ip route flush`, `save`.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "net/skbuff.h"
#include "net/ip_fib.h"
#include "net/route.h"
#include "net/netdevice.h"
#include "net/inetdevice.h"
#include "net/net_namespace.h"
#include "tools/cmd/cmd.h"

/* iproute2's names for numbers (rt_tables, rt_protos, rt_scopes, types). */
struct rt_name {
	u32 id;
	const char *name;
};

static const struct rt_name rt_table_names[] = {
	{ RT_TABLE_DEFAULT, "default" }, { RT_TABLE_MAIN, "main" }, { RT_TABLE_LOCAL, "local" },
};
static const struct rt_name rt_proto_names[] = {
	{ 0, "unspec" }, { 1, "redirect" }, { 2, "kernel" }, { 3, "boot" }, { 4, "static" },
	{ 8, "gated" }, { 9, "ra" }, { 10, "mrt" }, { 11, "zebra" }, { 12, "bird" },
	{ 16, "dhcp" },
};
static const struct rt_name rt_scope_names[] = {
	{ RT_SCOPE_UNIVERSE, "global" }, { RT_SCOPE_SITE, "site" }, { RT_SCOPE_LINK, "link" },
	{ RT_SCOPE_HOST, "host" }, { RT_SCOPE_NOWHERE, "nowhere" },
};
static const struct rt_name rt_type_names[] = {
	{ RTN_UNSPEC, "none" }, { RTN_UNICAST, "unicast" }, { RTN_LOCAL, "local" },
	{ RTN_BROADCAST, "broadcast" }, { RTN_ANYCAST, "anycast" },
	{ RTN_MULTICAST, "multicast" }, { RTN_BLACKHOLE, "blackhole" },
	{ RTN_UNREACHABLE, "unreachable" }, { RTN_PROHIBIT, "prohibit" },
	{ RTN_THROW, "throw" }, { RTN_NAT, "nat" }, { RTN_XRESOLVE, "xresolve" },
};

static const char *rt_n2a(const struct rt_name *t, size_t n, u32 id, char *buf, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].id == id)
			return t[i].name;
	snprintf(buf, len, "%u", id);
	return buf;
}

/* A name, or a number up to max. */
static bool rt_a2n(const struct rt_name *t, size_t n, const char *s, unsigned long max, u32 *id)
{
	unsigned long v;

	for (size_t i = 0; i < n; i++)
		if (strcmp(t[i].name, s) == 0) {
			*id = t[i].id;
			return true;
		}
	if (!tn_parse_uint(s, max, &v))
		return false;
	*id = (u32)v;
	return true;
}

#define N2A(tbl, id, buf) rt_n2a(tbl, ARRAY_SIZE(tbl), id, buf, sizeof(buf))
#define A2N(tbl, s, max, id) rt_a2n(tbl, ARRAY_SIZE(tbl), s, max, id)

/* ---- show ------------------------------------------------------------- */

struct rt_show {
	struct tn_cmd_ctx *ctx;
	FILE *out;
	u32 table;                    /* 0: all */
	bool table_given;             /* a table was named: don't print "table X" */
	int oif;                      /* dev filter, 0: none */
	int proto, scope, type;       /* filters, -1: none (then not printed) */
	u32 dst;                      /* prefix filter ... */
	int dst_len;                  /* ... its length, -1: none */
	char how;                     /* 'e'xact (to), 'r'oot, 'm'atch */
	bool flush;                   /* collect for ip route flush */
	struct fib_route_info *found; /* flush: the routes to delete */
	unsigned int nfound, cap;
};

/* iproute2's filter_nlmsg() for the prefix: exact, root (routes inside
 * the prefix) or match (routes that cover it). */
static bool rt_prefix_wanted(const struct rt_show *s, const struct fib_route_info *ri)
{
	u32 m;

	if (s->dst_len < 0)
		return true;
	switch (s->how) {
	case 'r':
		m = inet_make_mask(s->dst_len);
		return ri->dst_len >= s->dst_len && (ri->dst & m) == s->dst;
	case 'm':
		m = inet_make_mask(ri->dst_len);
		return ri->dst_len <= s->dst_len && (s->dst & m) == ri->dst;
	default:
		return ri->dst_len == s->dst_len && ri->dst == s->dst;
	}
}

static bool rt_wanted(const struct rt_show *s, const struct fib_route_info *ri)
{
	return (!s->oif || ri->oif == s->oif) && (s->proto < 0 || ri->protocol == s->proto) &&
	       (s->scope < 0 || ri->scope == s->scope) && (s->type < 0 || ri->type == s->type) &&
	       rt_prefix_wanted(s, ri);
}

static void rt_print_dst(FILE *out, u32 dst, u8 len)
{
	char a[16];

	if (len == 0 && dst == 0)
		fprintf(out, "default ");
	else if (len == 32)
		fprintf(out, "%s ", tn_ipv4_str(dst, a));
	else
		fprintf(out, "%s/%u ", tn_ipv4_str(dst, a), len);
}

static void rt_print_flags(FILE *out, u32 flags)
{
	if (flags & RTNH_F_DEAD)
		fprintf(out, "dead ");
	if (flags & RTNH_F_ONLINK)
		fprintf(out, "onlink ");
	if (flags & RTNH_F_LINKDOWN)
		fprintf(out, "linkdown ");
}

/* iproute2's print_route() for one IPv4 route. */
static void rt_show_one(const struct fib_route_info *ri, void *arg)
{
	struct rt_show *s = arg;
	FILE *out = s->out;
	struct net_device *dev = ri->oif ? __dev_get_by_index(s->ctx->net, ri->oif) : NULL;
	char a[16], n[16];

	if (!rt_wanted(s, ri))
		return;
	if (s->flush) {
		if (s->nfound == s->cap) {
			unsigned int cap = s->cap ? 2 * s->cap : 16;
			struct fib_route_info *f = realloc(s->found, cap * sizeof(*f));
			if (!f)
				return;
			s->found = f;
			s->cap = cap;
		}
		s->found[s->nfound++] = *ri;
		return;
	}
	if (ri->type != RTN_UNICAST)
		fprintf(out, "%s ", N2A(rt_type_names, ri->type, n));
	rt_print_dst(out, ri->dst, ri->dst_len);
	if (ri->tos)
		fprintf(out, "tos 0x%02x ", ri->tos);
	if (ri->gw)
		fprintf(out, "via %s ", tn_ipv4_str(ri->gw, a));
	if (dev && !s->oif)
		fprintf(out, "dev %s ", dev->name);
	if (!s->table_given && ri->table != RT_TABLE_MAIN)
		fprintf(out, "table %s ", N2A(rt_table_names, ri->table, n));
	/* A field the filter fixed is not printed (iproute2's masks). */
	if (ri->protocol != RTPROT_BOOT && s->proto < 0)
		fprintf(out, "proto %s ", N2A(rt_proto_names, ri->protocol, n));
	if (ri->scope != RT_SCOPE_UNIVERSE && s->scope < 0)
		fprintf(out, "scope %s ", N2A(rt_scope_names, ri->scope, n));
	if (ri->prefsrc)
		fprintf(out, "src %s ", tn_ipv4_str(ri->prefsrc, a));
	if (ri->priority)
		fprintf(out, "metric %u ", ri->priority);
	rt_print_flags(out, ri->nh_flags);
	if (ri->mtu)
		fprintf(out, "mtu %u ", ri->mtu);
	fputc('\n', out);
}

static int rt_bad_table(struct tn_cmd_ctx *ctx, const char *s)
{
	return ip_invarg(ctx, "\"table\" value is invalid\n", s);
}

/*
 * `ip route flush SELECTOR`: iproute2 dumps what matches and deletes each
 * route. Like iproute2, it asks for a selector; `table all` alone is one.
 */
static int rt_flush(struct tn_cmd_ctx *ctx, struct rt_show *s)
{
	for (unsigned int i = 0; i < s->nfound; i++) {
		const struct fib_route_info *ri = &s->found[i];
		struct fib_config cfg = {
			.fc_table = ri->table, .fc_dst = ri->dst, .fc_dst_len = ri->dst_len,
			.fc_tos = ri->tos, .fc_protocol = ri->protocol, .fc_scope = ri->scope,
			.fc_type = ri->type, .fc_gw4 = ri->gw, .fc_oif = ri->oif,
			.fc_priority = ri->priority,
		};
		fib_table_delete(ctx->net, &cfg);
	}
	free(s->found);
	return 0;
}

static int iproute_show(struct tn_cmd_ctx *ctx, int argc, char **argv, FILE *out, bool flush)
{
	struct rt_show s = { .ctx = ctx, .out = out, .table = RT_TABLE_MAIN, .proto = -1,
			     .scope = -1, .type = -1, .dst_len = -1, .flush = flush };

	if (flush && argc == 0) {
		tn_cmd_err(ctx, "\"ip route flush\" requires arguments.");
		return IP_EXIT_USAGE;
	}
	for (int i = 0; i < argc; i++) {
		u32 v;
		if (strcmp(argv[i], "table") == 0 && i + 1 < argc) {
			const char *t = argv[++i];
			s.table_given = true;
			if (strcmp(t, "all") == 0) {
				s.table = 0;
				s.table_given = false;
			} else if (strcmp(t, "cache") == 0) {
				return 0;   /* IPv4 has had no route cache to list since 3.6 */
			} else if (!A2N(rt_table_names, t, 0xffffffff, &s.table)) {
				return rt_bad_table(ctx, t);
			}
		} else if ((strcmp(argv[i], "dev") == 0 || strcmp(argv[i], "oif") == 0) &&
			   i + 1 < argc) {
			struct net_device *dev = tn_cmd_dev(ctx, argv[++i]);
			if (!dev)
				return ip_nodev(ctx, argv[i]);
			s.oif = dev->ifindex;
		} else if (strcmp(argv[i], "proto") == 0 && i + 1 < argc) {
			if (!A2N(rt_proto_names, argv[++i], 255, &v))
				return ip_invarg(ctx, "invalid \"protocol\"", argv[i]);
			s.proto = (int)v;
		} else if (strcmp(argv[i], "scope") == 0 && i + 1 < argc) {
			if (!A2N(rt_scope_names, argv[++i], 255, &v))
				return ip_invarg(ctx, "invalid \"scope\"", argv[i]);
			s.scope = (int)v;
		} else if (strcmp(argv[i], "type") == 0 && i + 1 < argc) {
			if (!A2N(rt_type_names, argv[++i], 255, &v))
				return ip_invarg(ctx, "node type value is invalid", argv[i]);
			s.type = (int)v;
		} else {
			const char *p = argv[i];
			bool has;
			s.how = 'e';
			if ((strcmp(p, "root") == 0 || strcmp(p, "match") == 0 ||
			     strcmp(p, "exact") == 0 || strcmp(p, "to") == 0) && i + 1 < argc) {
				s.how = p[0] == 't' ? 'e' : p[0];
				p = argv[++i];
			}
			if (strcmp(p, "default") == 0 || strcmp(p, "all") == 0) {
				s.dst = 0;
				s.dst_len = strcmp(p, "all") == 0 ? -1 : 0;
			} else if (!tn_cmd_parse_prefix(p, &s.dst, &s.dst_len, &has)) {
				tn_cmd_err(ctx, "Error: any valid prefix is expected rather than \"%s\".", p);
				return 1;
			} else if (!has) {
				s.dst_len = 32;
			}
		}
	}
	fib_table_walk(ctx->net, s.table, rt_show_one, &s);
	return flush ? rt_flush(ctx, &s) : 0;
}

/* ---- add / del -------------------------------------------------------- */

static int rt_prefix(struct tn_cmd_ctx *ctx, const char *s, struct fib_config *cfg)
{
	u32 addr;
	int plen;

	if (strcmp(s, "default") == 0 || strcmp(s, "all") == 0 || strcmp(s, "any") == 0) {
		cfg->fc_dst = 0;
		cfg->fc_dst_len = 0;
		return 0;
	}
	if (!tn_cmd_parse_prefix(s, &addr, &plen, NULL)) {
		tn_cmd_err(ctx, "Error: any valid prefix is expected rather than \"%s\".", s);
		return 1;
	}
	cfg->fc_dst = addr;
	cfg->fc_dst_len = (u8)plen;
	return 0;
}

static int rt_addr_arg(struct tn_cmd_ctx *ctx, const char *s, u32 *addr)
{
	if (tn_cmd_parse_ipv4(s, addr))
		return 0;
	tn_cmd_err(ctx, "Error: inet address is expected rather than \"%s\".", s);
	return 1;
}

static int rt_uint_arg(struct tn_cmd_ctx *ctx, const char *key, const char *s, u32 *v)
{
	unsigned long x;
	char msg[64];

	if (tn_parse_uint(s, 0xffffffff, &x)) {
		*v = (u32)x;
		return 0;
	}
	snprintf(msg, sizeof(msg), "\"%s\" value is invalid\n", key);
	return ip_invarg(ctx, msg, s);
}

/* One keyword with its value; returns words used or -1 with *status. */
static int rt_keyword(struct tn_cmd_ctx *ctx, struct fib_config *cfg, int argc, char **argv,
		      int *status)
{
	const char *k = argv[0], *v = argc > 1 ? argv[1] : NULL;
	struct net_device *dev;
	u32 x = 0;

	if (strcmp(k, "onlink") == 0) {
		cfg->fc_flags |= RTNH_F_ONLINK;
		return 1;
	}
	if (!v) {
		tn_cmd_err(ctx, "Command line is not complete. Try option \"help\"");
		*status = IP_EXIT_USAGE;
		return -1;
	}
	if (strcmp(k, "via") == 0) {
		*status = rt_addr_arg(ctx, strcmp(v, "inet") == 0 && argc > 2 ? argv[2] : v,
				      &cfg->fc_gw4);
		return *status ? -1 : (strcmp(v, "inet") == 0 ? 3 : 2);
	}
	if (strcmp(k, "dev") == 0 || strcmp(k, "oif") == 0) {
		dev = tn_cmd_dev(ctx, v);
		if (!dev) {
			*status = ip_nodev(ctx, v);
			return -1;
		}
		cfg->fc_oif = dev->ifindex;
	} else if (strcmp(k, "src") == 0) {
		*status = rt_addr_arg(ctx, v, &cfg->fc_prefsrc);
	} else if (strcmp(k, "metric") == 0 || strcmp(k, "priority") == 0 ||
		   strcmp(k, "preference") == 0) {
		*status = rt_uint_arg(ctx, "metric", v, &cfg->fc_priority);
	} else if (strcmp(k, "mtu") == 0) {
		if (strcmp(v, "lock") == 0 && argc > 2)
			v = argv[2];   /* the lock is accepted, not kept */
		*status = rt_uint_arg(ctx, "mtu", v, &cfg->fc_mtu);
		if (!*status && v != argv[1])
			return 3;
	} else if (strcmp(k, "proto") == 0 || strcmp(k, "protocol") == 0) {
		if (!A2N(rt_proto_names, v, 255, &x))
			*status = ip_invarg(ctx, "\"protocol\" value is invalid\n", v);
		cfg->fc_protocol = (u8)x;
	} else if (strcmp(k, "scope") == 0) {
		if (!A2N(rt_scope_names, v, 255, &x))
			*status = ip_invarg(ctx, "invalid \"scope\" value\n", v);
		cfg->fc_scope = (u8)x;
	} else if (strcmp(k, "table") == 0) {
		if (!A2N(rt_table_names, v, 0xffffffff, &cfg->fc_table))
			*status = rt_bad_table(ctx, v);
	} else if (strcmp(k, "tos") == 0 || strcmp(k, "dsfield") == 0) {
		*status = rt_uint_arg(ctx, "tos", v, &x);
		cfg->fc_tos = (u8)x;
	} else {
		*status = ip_duparg2(ctx, "to", k);
		return -1;
	}
	return *status ? -1 : 2;
}

static bool rt_is_type(const char *w, u32 *type)
{
	for (size_t i = 0; i < ARRAY_SIZE(rt_type_names); i++)
		if (strcmp(rt_type_names[i].name, w) == 0) {
			*type = rt_type_names[i].id;
			return true;
		}
	return false;
}

static bool rt_is_keyword(const char *w)
{
	static const char *const keywords[] = {
		"via", "dev", "oif", "src", "metric", "priority", "preference", "mtu",
		"proto", "protocol", "scope", "table", "tos", "dsfield", "onlink",
	};

	for (size_t i = 0; i < ARRAY_SIZE(keywords); i++)
		if (strcmp(keywords[i], w) == 0)
			return true;
	return false;
}

/* [TYPE] PREFIX KEYWORDS... into cfg. */
static int rt_parse(struct tn_cmd_ctx *ctx, int argc, char **argv, struct fib_config *cfg)
{
	bool have_dst = false;
	int status = 0;
	u32 type;

	while (argc > 0) {
		const char *w = argv[0];
		int used = 1;

		if (!have_dst && rt_is_type(w, &type)) {
			cfg->fc_type = (u8)type;
		} else if (!have_dst && strcmp(w, "to") == 0 && argc > 1) {
			status = rt_prefix(ctx, argv[1], cfg);
			have_dst = true;
			used = 2;
		} else if (!have_dst && !rt_is_keyword(w)) {
			status = rt_prefix(ctx, w, cfg);
			have_dst = true;
		} else {
			used = rt_keyword(ctx, cfg, argc, argv, &status);
		}
		if (status)
			return status;
		argc -= used;
		argv += used;
	}
	if (!have_dst) {
		tn_cmd_err(ctx, "Error: either \"to\" is duplicate, or \"\" is a garbage.");
		return IP_EXIT_USAGE;
	}
	return 0;
}

/* The kernel's extack for a refused change, else the errno as netlink
 * reports it. */
static int rt_modify_err(struct tn_cmd_ctx *ctx, const struct fib_config *cfg, int err)
{
	const char *msg = NULL;

	if (err == -ENETUNREACH)
		msg = "Nexthop has invalid gateway.";
	else if (err == -ENETDOWN)
		msg = cfg->fc_gw4 ? "Nexthop device is not up." : "Device for nexthop is not up.";
	else if (err == -ENODEV && (cfg->fc_flags & RTNH_F_ONLINK) && !cfg->fc_oif)
		msg = "Nexthop device required for onlink.";
	else if (err == -EINVAL && cfg->fc_gw4 && cfg->fc_type == RTN_LOCAL)
		msg = "Route with host scope can not have a gateway.";
	if (msg) {
		tn_cmd_err(ctx, "Error: %s", msg);
		return 2;
	}
	return ip_rtnl_err(ctx, err);
}

static bool rt_host_bits_set(const struct fib_config *cfg)
{
	u32 mask = cfg->fc_dst_len ? ~0u << (32 - cfg->fc_dst_len) : 0;

	return (cfg->fc_dst & ~mask) != 0;
}

static int iproute_modify(struct tn_cmd_ctx *ctx, const char *verb, int argc, char **argv)
{
	struct fib_config cfg = { .fc_table = RT_TABLE_MAIN, .fc_scope = RT_SCOPE_NOWHERE };
	bool del = tn_matches(verb, "delete");
	int status, err;

	/* `ip route add` says proto boot unless told otherwise; delete
	 * matches any protocol. */
	cfg.fc_protocol = del ? RTPROT_UNSPEC : RTPROT_BOOT;
	if (strcmp(verb, "add") == 0)
		cfg.fc_nlflags = NLM_F_CREATE | NLM_F_EXCL;
	else if (tn_matches(verb, "replace"))
		cfg.fc_nlflags = NLM_F_CREATE | NLM_F_REPLACE;
	else if (tn_matches(verb, "append"))
		cfg.fc_nlflags = NLM_F_CREATE | NLM_F_APPEND;
	else if (tn_matches(verb, "prepend"))
		cfg.fc_nlflags = NLM_F_CREATE;
	else if (tn_matches(verb, "change"))
		cfg.fc_nlflags = NLM_F_REPLACE;
	status = rt_parse(ctx, argc, argv, &cfg);
	if (status)
		return status;
	if (rt_host_bits_set(&cfg)) {
		tn_cmd_err(ctx, "Error: Invalid prefix for given prefix length.");
		return 2;
	}
	err = del ? fib_table_delete(ctx->net, &cfg) : fib_table_insert(ctx->net, &cfg);
	return err ? rt_modify_err(ctx, &cfg, err) : 0;
}

/* ---- get -------------------------------------------------------------- */

static void rt_get_print(struct tn_cmd_ctx *ctx, const struct rt_get_result *r, u32 from,
			 FILE *out)
{
	struct net_device *dev = __dev_get_by_index(ctx->net, r->oif);
	struct net_device *idev = r->iif ? __dev_get_by_index(ctx->net, r->iif) : NULL;
	char a[16], n[16];

	if (r->type != RTN_UNICAST)
		fprintf(out, "%s ", N2A(rt_type_names, r->type, n));
	fprintf(out, "%s ", tn_ipv4_str(r->daddr, a));
	if (from)
		fprintf(out, "from %s ", tn_ipv4_str(from, a));
	if (r->uses_gateway)
		fprintf(out, "via %s ", tn_ipv4_str(r->gw, a));
	if (dev)
		fprintf(out, "dev %s ", dev->name);
	if (r->table && r->table != RT_TABLE_MAIN && r->table != RT_TABLE_LOCAL)
		fprintf(out, "table %s ", N2A(rt_table_names, r->table, n));
	if (!from && r->saddr)
		fprintf(out, "src %s ", tn_ipv4_str(r->saddr, a));
	if (!idev)
		fprintf(out, "uid 0 ");
	fprintf(out, "\n    cache ");
	if (r->flags & (RTCF_LOCAL | RTCF_BROADCAST))
		fprintf(out, "<%s%s%s> ", r->flags & RTCF_LOCAL ? "local" : "",
			(r->flags & RTCF_LOCAL) && (r->flags & RTCF_BROADCAST) ? "," : "",
			r->flags & RTCF_BROADCAST ? "brd" : "");
	if (r->mtu && r->expires_ms)
		fprintf(out, "expires %llusec ", (unsigned long long)(r->expires_ms / 1000));
	if (r->mtu)
		fprintf(out, "mtu %u ", r->mtu);
	if (idev)
		fprintf(out, "iif %s ", idev->name);
	fputc('\n', out);
}

static int rt_get_dev(struct tn_cmd_ctx *ctx, const char *name, int *ifindex)
{
	struct net_device *dev = tn_cmd_dev(ctx, name);

	if (!dev)
		return ip_nodev(ctx, name);
	*ifindex = dev->ifindex;
	return 0;
}

static int iproute_get(struct tn_cmd_ctx *ctx, int argc, char **argv, FILE *out)
{
	struct rt_get_result r;
	u32 daddr = 0, saddr = 0, mark = 0;
	int oif = 0, iif = 0, status = 0, err;
	bool have_dst = false;

	for (int i = 0; i < argc && !status; i++) {
		const char *k = argv[i];
		bool has_v = i + 1 < argc;
		if (strcmp(k, "from") == 0 && has_v)
			status = rt_addr_arg(ctx, argv[++i], &saddr);
		else if ((strcmp(k, "oif") == 0 || strcmp(k, "dev") == 0) && has_v)
			status = rt_get_dev(ctx, argv[++i], &oif);
		else if (strcmp(k, "iif") == 0 && has_v)
			status = rt_get_dev(ctx, argv[++i], &iif);
		else if (strcmp(k, "mark") == 0 && has_v)
			status = rt_uint_arg(ctx, "mark", argv[++i], &mark);
		else if (strcmp(k, "to") == 0 && has_v && !have_dst)
			status = rt_addr_arg(ctx, argv[++i], &daddr), have_dst = true;
		else if (!have_dst)
			status = rt_addr_arg(ctx, k, &daddr), have_dst = true;
		else
			status = ip_duparg2(ctx, "to", k);
	}
	if (status)
		return status;
	if (!have_dst) {
		tn_cmd_err(ctx, "need at least a destination address");
		return 1;
	}
	err = ip_route_get(ctx->net, daddr, saddr, oif, iif, mark, &r);
	if (err)
		return ip_rtnl_err(ctx, err);
	rt_get_print(ctx, &r, saddr, out);
	return 0;
}

/* ---- dispatch --------------------------------------------------------- */

int do_iproute(struct tn_cmd_ctx *ctx, const struct ip_global_opts *o, int argc, char **argv,
	       FILE *out)
{
	const char *verb = argc > 0 ? argv[0] : "show";

	if (o->family == 6)
		return 0;   /* no IPv6 routes yet: an empty table */
	if (argc == 0 || tn_matches(verb, "show") || tn_matches(verb, "list") ||
	    strcmp(verb, "lst") == 0)
		return iproute_show(ctx, argc ? argc - 1 : 0, argv + 1, out, false);
	if (tn_matches(verb, "flush"))
		return iproute_show(ctx, argc - 1, argv + 1, out, true);
	if (tn_matches(verb, "get"))
		return iproute_get(ctx, argc - 1, argv + 1, out);
	if (strcmp(verb, "add") == 0 || tn_matches(verb, "delete") || tn_matches(verb, "replace") ||
	    tn_matches(verb, "append") || tn_matches(verb, "prepend") || tn_matches(verb, "change"))
		return iproute_modify(ctx, verb, argc - 1, argv + 1);
	tn_cmd_err(ctx, "Command \"%s\" is unknown, try \"ip route help\".", verb);
	return IP_EXIT_USAGE;
}
