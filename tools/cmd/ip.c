/*
 * ip(8): global options (-n NS, -s, -br, -d, -4/-6), the choice of object
 * by unique prefix in iproute2's own order (so `ip a`, `ip n`, `ip l` mean
 * what they mean on Linux), and the error forms every object shares.
 *
 * The objects live in iplink.c, ipaddress.c, iproute.c, ipneigh.c and
 * ipnetns.c. Not here yet: rule, tunnel, monitor, JSON output (-j).
 */
#include <errno.h>
#include <string.h>

#include "net/net_namespace.h"
#include "tools/cmd/cmd.h"

typedef int (*ip_obj_fn)(struct tn_cmd_ctx *ctx, const struct ip_global_opts *o, int argc,
			 char **argv, FILE *out);

/* iproute2's table order decides what a short prefix means: "a" is address,
 * "n" neighbour, "l" link. Objects not written yet still take their place
 * so that a prefix never silently picks a later one. */
static const struct {
	const char *name;
	ip_obj_fn fn;
} ip_objects[] = {
	{ "address", do_ipaddr },
	{ "addrlabel", NULL },
	{ "maddress", NULL },
	{ "route", do_iproute },
	{ "rule", NULL },
	{ "neighbor", do_ipneigh },
	{ "neighbour", do_ipneigh },
	{ "ntable", NULL },
	{ "link", do_iplink },
	{ "tunnel", NULL },
	{ "monitor", NULL },
	{ "netns", do_ipnetns },
	{ "netconf", NULL },
};

int ip_invarg(struct tn_cmd_ctx *ctx, const char *msg, const char *arg)
{
	tn_cmd_err(ctx, "Error: argument \"%s\" is wrong: %s", arg, msg);
	return IP_EXIT_USAGE;
}

int ip_duparg2(struct tn_cmd_ctx *ctx, const char *key, const char *arg)
{
	tn_cmd_err(ctx, "Error: either \"%s\" is duplicate, or \"%s\" is a garbage.", key, arg);
	return IP_EXIT_USAGE;
}

int ip_incomplete(struct tn_cmd_ctx *ctx, const char *key)
{
	tn_cmd_err(ctx, "Not enough information: \"%s\" argument is required.", key);
	return IP_EXIT_USAGE;
}

int ip_rtnl_err(struct tn_cmd_ctx *ctx, int err)
{
	tn_cmd_err(ctx, "RTNETLINK answers: %s", tn_errstr(err));
	return 2;
}

int ip_nodev(struct tn_cmd_ctx *ctx, const char *name)
{
	tn_cmd_err(ctx, "Cannot find device \"%s\"", name);
	return 1;
}

static int ip_usage(struct tn_cmd_ctx *ctx)
{
	tn_cmd_err(ctx, "Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\n"
			"where  OBJECT := { address | link | route | neighbour | netns }\n"
			"       OPTIONS := { -s[tatistics] | -d[etails] | -br[ief] |\n"
			"                    -n[etns] name | -4 | -6 | -0 }");
	return IP_EXIT_USAGE;
}

/* One option word (and its argument, for -n): how many words it used, or
 * -1 with the status in *status. */
static int ip_parse_opt(struct tn_cmd_ctx *ctx, struct ip_global_opts *o, int argc, char **argv,
			int *status)
{
	const char *opt = argv[0] + (argv[0][1] == '-' ? 2 : 1);

	if (tn_matches(opt, "netns") || strcmp(opt, "n") == 0) {
		struct net *net = argc > 1 ? tn_cmd_netns(ctx, argv[1]) : NULL;
		if (argc < 2) {
			tn_cmd_err(ctx, "Command line is not complete. Try option \"help\"");
			*status = IP_EXIT_USAGE;
			return -1;
		}
		if (!net) {
			tn_cmd_err(ctx, "Cannot open network namespace \"%s\": %s", argv[1],
				   tn_errstr(ENOENT));
			*status = IP_EXIT_USAGE;
			return -1;
		}
		ctx->net = net;
		return 2;
	}
	if (strcmp(opt, "br") == 0 || tn_matches(opt, "brief"))
		o->brief = true;
	else if (tn_matches(opt, "statistics") || tn_matches(opt, "stats"))
		o->stats++;
	else if (tn_matches(opt, "details"))
		o->details = true;
	else if (strcmp(opt, "4") == 0)
		o->family = 4;
	else if (strcmp(opt, "6") == 0)
		o->family = 6;
	else if (strcmp(opt, "0") == 0)
		o->family = -1;
	else if (strcmp(opt, "j") == 0 || tn_matches(opt, "json"))
		o->json = true;
	else if (strcmp(opt, "p") == 0 || tn_matches(opt, "pretty"))
		o->pretty = true;
	else if (tn_matches(opt, "color") || tn_matches(opt, "human-readable"))
		;  /* accepted, no effect: output is plain and exact */
	else {
		tn_cmd_err(ctx, "Option \"%s\" is unknown, try \"ip -help\".", argv[0]);
		*status = IP_EXIT_USAGE;
		return -1;
	}
	return 1;
}

static int ip_dispatch(struct tn_cmd_ctx *ctx, const struct ip_global_opts *o, int argc,
		       char **argv)
{
	if (argc == 0 || tn_matches(argv[0], "help"))
		return ip_usage(ctx);
	for (unsigned int i = 0; i < ARRAY_SIZE(ip_objects); i++) {
		if (!tn_matches(argv[0], ip_objects[i].name))
			continue;
		if (!ip_objects[i].fn) {
			tn_cmd_err(ctx, "Object \"%s\" is not supported by tuxnet yet.", argv[0]);
			return IP_EXIT_USAGE;
		}
		return ip_objects[i].fn(ctx, o, argc - 1, argv + 1, ctx->out);
	}
	tn_cmd_err(ctx, "Object \"%s\" is unknown, try \"ip help\".", argv[0]);
	return IP_EXIT_USAGE;
}

int do_ip(struct tn_cmd_ctx *ctx, int argc, char **argv, FILE *out)
{
	struct ip_global_opts o = { 0 };
	struct net *saved = ctx->net;
	int status = 0;

	argc--;
	argv++;
	while (argc > 0 && argv[0][0] == '-' && argv[0][1]) {
		int used = ip_parse_opt(ctx, &o, argc, argv, &status);
		if (used < 0)
			goto out;
		argc -= used;
		argv += used;
	}
	status = ip_dispatch(ctx, &o, argc, argv);
out:
	/* -n NS lasts for this command only. */
	ctx->net = saved;
	return status;
}
