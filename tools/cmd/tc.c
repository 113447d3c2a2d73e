/*
 * tc(8), the qdisc part: `tc [-s] [-n NS] qdisc { add | replace | change |
 * del | show } [dev DEV] [root] [KIND [ARGS]]` on root qdiscs, with tc's
 * output ("qdisc netem 8001: dev veth1 root refcnt 2 limit 1000 delay
 * 50ms") and its statistics block under -s.
 *
 * The kinds and their arguments belong to net/sched (qdisc_create_root and
 * each Qdisc_ops' init/change/dump); this file only speaks tc's language:
 * the verbs' netlink flags (add is exclusive, replace is not, change needs
 * an existing qdisc) and tc's messages. Not here: classes, filters,
 * non-root qdiscs (parent/handle), JSON.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "net/netdevice.h"
#include "net/net_namespace.h"
#include "net/sch_generic.h"
#include "tools/cmd/cmd.h"

struct tc_opts {
	int stats;                    /* -s */
};

/* The qdisc request after `tc qdisc VERB`. */
struct tc_qdisc_req {
	const char *dev;
	const char *kind;             /* NULL for del/show without a kind */
	int argc;                     /* the kind's own arguments */
	char **argv;
	bool root;
};

static int tc_usage(struct tn_cmd_ctx *ctx)
{
	tn_cmd_err(ctx, "Usage: tc [ OPTIONS ] qdisc { add | del | replace | change | show } "
			"dev STRING root [ QDISC_KIND [ QDISC_OPTIONS ] ]\n"
			"where  OPTIONS := { -s[tatistics] | -n[etns] name }");
	return 255;
}

/* tc's sprint_size(): bytes, or a whole number of Kb/Mb when close. */
static const char *tc_size(u32 sz, char *buf, size_t len)
{
	double d = sz;

	if (sz >= 1024 * 1024 && fabs(1024 * 1024 * rint(d / (1024 * 1024)) - d) < 1024)
		snprintf(buf, len, "%gMb", rint(d / (1024 * 1024)));
	else if (sz >= 1024 && fabs(1024 * rint(d / 1024) - d) < 16)
		snprintf(buf, len, "%gKb", rint(d / 1024));
	else
		snprintf(buf, len, "%ub", sz);
	return buf;
}

/* A root made by tc (handle 8001:), not the one the device got by default:
 * only such a root can be deleted, and `add` refuses to replace it. */
static bool tc_root_is_explicit(const struct net_device *dev)
{
	if (dev->qdisc)
		return dev->qdisc->handle != 0;
	return dev->qdisc_kind[0] && strcmp(dev->qdisc_kind, "noqueue") != 0 &&
	       strcmp(dev->qdisc_kind, "pfifo_fast") != 0;
}

static void tc_print_stats(FILE *out, const struct Qdisc *q)
{
	struct gnet_stats_basic b = { 0 };
	struct gnet_stats_queue s = { 0 };
	char size[32];

	if (q) {
		b = q->bstats;
		s = q->qstats;
	}
	fprintf(out, " Sent %llu bytes %llu pkt (dropped %u, overlimits %u requeues %u) \n",
		(unsigned long long)b.bytes, (unsigned long long)b.packets, s.drops,
		s.overlimits, s.requeues);
	fprintf(out, " backlog %s %up requeues %u\n", tc_size(s.backlog, size, sizeof(size)),
		s.qlen, s.requeues);
}

/* One device's root, as `tc qdisc show` prints it. with_dev: the listing
 * names the device unless one was asked for. */
static void tc_print_qdisc(FILE *out, struct net_device *dev, bool with_dev, int stats)
{
	struct Qdisc *q = dev->qdisc;
	const char *kind = dev_qdisc_kind(dev);
	u32 handle = q ? q->handle : (tc_root_is_explicit(dev) ? TN_QDISC_AUTOHANDLE : 0);
	char params[256] = "";

	/* A device that is down has Linux's noop root unless tc gave it one.
	 * noop_qdisc is TCQ_F_BUILTIN, which tc_qdisc_dump_ignore() leaves
	 * out of every dump: tc prints nothing for it. */
	if (!q && !netif_running(dev) && !tc_root_is_explicit(dev))
		return;
	if (q && q->ops->dump)
		q->ops->dump(q, params, sizeof(params));
	fprintf(out, "qdisc %s %x: ", kind, handle >> 16);
	if (with_dev)
		fprintf(out, "dev %s ", dev->name);
	fprintf(out, "root refcnt 2 %s\n", params);
	if (stats)
		tc_print_stats(out, q);
}

static int tc_qdisc_show(struct tn_cmd_ctx *ctx, const struct tc_opts *o,
			 const struct tc_qdisc_req *r, FILE *out)
{
	struct net_device *dev;

	if (r->dev) {
		dev = tn_cmd_dev(ctx, r->dev);
		if (!dev) {
			tn_cmd_err(ctx, "Cannot find device \"%s\"", r->dev);
			return 1;
		}
		tc_print_qdisc(out, dev, false, o->stats);
		return 0;
	}
	list_for_each_entry(dev, &ctx->net->dev_base_head, dev_list)
		tc_print_qdisc(out, dev, true, o->stats);
	return 0;
}

/* A failed change: net/sched's message in tc's words, else netlink's. */
static int tc_fail(struct tn_cmd_ctx *ctx, int err, const char *errmsg)
{
	if (errmsg[0])
		tn_cmd_err(ctx, "%s", errmsg);
	else
		tn_cmd_err(ctx, "RTNETLINK answers: %s", tn_errstr(err));
	return 2;
}

static int tc_qdisc_modify(struct tn_cmd_ctx *ctx, const char *verb, const struct tc_qdisc_req *r)
{
	char errmsg[TC_ERRMSG_LEN] = "";
	struct net_device *dev = tn_cmd_dev(ctx, r->dev);
	int err;

	if (!dev) {
		tn_cmd_err(ctx, "Cannot find device \"%s\"", r->dev);
		return 1;
	}
	if (tn_matches(verb, "delete")) {
		if (!tc_root_is_explicit(dev)) {
			tn_cmd_err(ctx, "Error: Cannot delete qdisc with handle of zero.");
			return 2;
		}
		err = qdisc_create_root(dev, NULL, 0, NULL, errmsg);
	} else if (!r->kind) {
		tn_cmd_err(ctx, "Error: Qdisc kind is required.");  /* tc sends none; the kernel says this */
		return 2;
	} else if (tn_matches(verb, "change")) {
		if (dev->qdisc && strcmp(dev->qdisc->ops->id, r->kind) != 0) {
			tn_cmd_err(ctx, "Error: Invalid qdisc name.");
			return 2;
		}
		err = qdisc_change_root(dev, r->argc, r->argv, errmsg);
	} else {
		/* add: NLM_F_EXCL; replace: NLM_F_REPLACE. */
		if (tn_matches(verb, "add") && tc_root_is_explicit(dev)) {
			tn_cmd_err(ctx, "Error: Exclusivity flag on, cannot modify.");
			return 2;
		}
		err = qdisc_create_root(dev, r->kind, r->argc, r->argv, errmsg);
	}
	return err ? tc_fail(ctx, err, errmsg) : 0;
}

/* Words after the verb: dev DEV, root, then the kind and its arguments. */
static int tc_qdisc_parse(struct tn_cmd_ctx *ctx, int argc, char **argv, struct tc_qdisc_req *r)
{
	int i;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "dev") == 0) {
			if (++i >= argc) {
				tn_cmd_err(ctx, "Command line is not complete. Try option \"help\"");
				return 255;
			}
			if (r->dev) {
				tn_cmd_err(ctx, "Error: either \"dev\" is duplicate, or \"%s\" is a garbage.", argv[i]);
				return 255;
			}
			r->dev = argv[i];
		} else if (strcmp(argv[i], "root") == 0) {
			r->root = true;
		} else if (strcmp(argv[i], "parent") == 0 || strcmp(argv[i], "handle") == 0 ||
			   strcmp(argv[i], "ingress") == 0 || strcmp(argv[i], "clsact") == 0) {
			tn_cmd_err(ctx, "tc: \"%s\": only root qdiscs are supported by tuxnet yet", argv[i]);
			return 255;
		} else {
			break;
		}
	}
	if (i < argc) {
		r->kind = argv[i];
		r->argc = argc - i - 1;
		r->argv = argv + i + 1;
	}
	return 0;
}

static int tc_qdisc(struct tn_cmd_ctx *ctx, const struct tc_opts *o, int argc, char **argv,
		    FILE *out)
{
	struct tc_qdisc_req r = { 0 };
	const char *verb = argc > 0 ? argv[0] : "show";
	int status = tc_qdisc_parse(ctx, argc - 1, argv + 1, &r);

	if (argc == 0 || tn_matches(verb, "show") || tn_matches(verb, "list") ||
	    strcmp(verb, "ls") == 0)
		return status ? status : tc_qdisc_show(ctx, o, &r, out);
	if (!tn_matches(verb, "add") && !tn_matches(verb, "replace") &&
	    !tn_matches(verb, "change") && !tn_matches(verb, "delete")) {
		tn_cmd_err(ctx, "Command \"%s\" is unknown, try \"tc qdisc help\".", verb);
		return 255;
	}
	if (status)
		return status;
	if (!r.dev) {
		tn_cmd_err(ctx, "Cannot find device \"\"");
		return 1;
	}
	if (!r.root) {
		tn_cmd_err(ctx, "Error: only root qdiscs are supported by tuxnet yet (say \"root\").");
		return 2;
	}
	return tc_qdisc_modify(ctx, verb, &r);
}

/* Global options; returns words used, or -1 with *status set. */
static int tc_parse_opt(struct tn_cmd_ctx *ctx, struct tc_opts *o, int argc, char **argv,
			int *status)
{
	const char *opt = argv[0] + (argv[0][1] == '-' ? 2 : 1);

	if (strcmp(opt, "n") == 0 || tn_matches(opt, "netns")) {
		struct net *net = argc > 1 ? tn_cmd_netns(ctx, argv[1]) : NULL;
		if (!net) {
			tn_cmd_err(ctx, argc > 1 ? "Cannot open network namespace \"%s\": %s"
					       : "Command line is not complete. Try option \"help\"",
				   argc > 1 ? argv[1] : "", tn_errstr(ENOENT));
			*status = 255;
			return -1;
		}
		ctx->net = net;
		return 2;
	}
	if (tn_matches(opt, "statistics") || tn_matches(opt, "stats"))
		o->stats++;
	else if (!tn_matches(opt, "details") && !tn_matches(opt, "pretty") &&
		 !tn_matches(opt, "raw")) {
		tn_cmd_err(ctx, "Option \"%s\" is unknown, try \"tc -help\".", argv[0]);
		*status = 255;
		return -1;
	}
	return 1;
}

int do_tc(struct tn_cmd_ctx *ctx, int argc, char **argv, FILE *out)
{
	struct tc_opts o = { 0 };
	struct net *saved = ctx->net;
	int status = 0;

	argc--;
	argv++;
	while (argc > 0 && argv[0][0] == '-' && argv[0][1]) {
		int used = tc_parse_opt(ctx, &o, argc, argv, &status);
		if (used < 0)
			goto out;
		argc -= used;
		argv += used;
	}
	if (argc == 0 || tn_matches(argv[0], "help"))
		status = tc_usage(ctx);
	else if (tn_matches(argv[0], "qdisc"))
		status = tc_qdisc(ctx, &o, argc - 1, argv + 1, out);
	else {
		tn_cmd_err(ctx, "Object \"%s\" is unknown, try \"tc help\".", argv[0]);
		status = 1;
	}
out:
	/* -n NS lasts for this command only. */
	ctx->net = saved;
	return status;
}
