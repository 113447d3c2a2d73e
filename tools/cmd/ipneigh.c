/*
 * `ip neigh`: show, add, replace, change, delete and flush entries of the
 * namespace's ARP cache (the neighbour table), with iproute2's layout
 * ("10.0.0.2 dev veth0 lladdr 02:.. REACHABLE ") and messages.
 *
 * Static entries go in the way Linux's neigh_add() puts them: looked up or
 * created, then neigh_update() with the administrative override. Not here
 * yet: proxy entries, `ip -s neigh` (used/confirmed/updated times), IPv6.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "net/net_namespace.h"
#include "net/netdevice.h"
#include "net/neighbour.h"
#include "net/arp.h"
#include "net/etherdevice.h"
#include "net/inetdevice.h"
#include "tools/cmd/cmd.h"

/* What `ip neigh show` lists without a "nud" filter: all but NOARP. */
#define NEIGH_SHOW_DEFAULT (0xff & ~NUD_NOARP)
/* What flush removes: everything not configured by hand. */
#define NEIGH_FLUSH_DEFAULT (0xff & ~(NUD_PERMANENT | NUD_NOARP))
#define NEIGH_STATE_ALL 0x1ff    /* 0x100 stands for NUD_NONE */

static const struct {
	const char *name;
	u8 state;
} nud_names[] = {
	{ "permanent", NUD_PERMANENT }, { "reachable", NUD_REACHABLE },
	{ "noarp", NUD_NOARP },         { "none", NUD_NONE },
	{ "stale", NUD_STALE },         { "incomplete", NUD_INCOMPLETE },
	{ "delay", NUD_DELAY },         { "probe", NUD_PROBE },
	{ "failed", NUD_FAILED },
};

static bool nud_parse(const char *s, u8 *state)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(nud_names); i++) {
		if (strcasecmp(s, nud_names[i].name) == 0) {
			*state = nud_names[i].state;
			return true;
		}
	}
	return false;
}

/* State as a filter bit; NUD_NONE is 0, so it gets a bit of its own. */
static unsigned int nud_filter_bit(u8 state)
{
	return state ? state : 0x100;
}

/* ---- show / flush ------------------------------------------------------ */

struct neigh_walk {
	FILE *out;
	struct net_device *dev;     /* filter: NULL for all */
	unsigned int states;        /* filter: NUD bits (0x100: NONE) */
	u32 pfx;                    /* filter: [to] PREFIX, host order ... */
	int pfx_len;                /* ... and its length; 0 for any */
	struct neighbour **found;   /* flush: collected entries (referenced) */
	unsigned int nfound, cap;
	bool nomem;
};

static bool neigh_wanted(const struct neigh_walk *w, const struct neighbour *n)
{
	return !n->dead && (!w->dev || n->dev == w->dev) &&
	       (w->states & nud_filter_bit(n->nud_state)) &&
	       ((neigh_key32(n) ^ w->pfx) & inet_make_mask(w->pfx_len)) == 0;
}

static void print_neigh_state(FILE *out, u8 state)
{
	/* Each bit separately, as iproute2's print_nud_state does. */
	for (unsigned int bit = 1; bit <= 0x80; bit <<= 1)
		if (state & bit)
			fprintf(out, "%s ", neigh_state_name((u8)bit));
	if (!state)
		fputs("NONE ", out);
}

static void neigh_show_one(struct neighbour *n, void *arg)
{
	struct neigh_walk *w = arg;
	char a[16], ll[3 * MAX_ADDR_LEN];

	if (!neigh_wanted(w, n))
		return;
	fprintf(w->out, "%s ", tn_ipv4_str(neigh_key32(n), a));
	if (!w->dev)
		fprintf(w->out, "dev %s ", n->dev->name);
	if ((n->nud_state & NUD_VALID) && n->dev->addr_len == ETH_ALEN) {
		tn_format_mac(n->ha, ll);
		fprintf(w->out, "lladdr %s ", ll);
	}
	print_neigh_state(w->out, n->nud_state);
	fputc('\n', w->out);
}

static void neigh_collect_one(struct neighbour *n, void *arg)
{
	struct neigh_walk *w = arg;

	if (!neigh_wanted(w, n))
		return;
	if (w->nfound == w->cap) {
		unsigned int cap = w->cap ? 2 * w->cap : 16;
		struct neighbour **p = realloc(w->found, cap * sizeof(*p));
		if (!p) {
			w->nomem = true;
			return;
		}
		w->found = p;
		w->cap = cap;
	}
	w->found[w->nfound++] = neigh_clone(n);
}

/* The arguments show and flush share: [dev D] [nud STATE] [[to] PREFIX]
 * (iproute2's do_show_or_flush()). */
static int neigh_parse_filter(struct tn_cmd_ctx *ctx, struct neigh_walk *w, int argc,
			      char **argv)
{
	for (; argc > 0; argc--, argv++) {
		if (strcmp(argv[0], "dev") == 0 && argc > 1) {
			argc--, argv++;
			w->dev = tn_cmd_dev(ctx, argv[0]);
			if (!w->dev)
				return ip_nodev(ctx, argv[0]);
		} else if (strcmp(argv[0], "nud") == 0 && argc > 1) {
			u8 state;
			argc--, argv++;
			if (strcmp(argv[0], "all") == 0) {
				w->states = NEIGH_STATE_ALL;
				continue;
			}
			if (!nud_parse(argv[0], &state))
				return ip_invarg(ctx, "nud state is bad", argv[0]);
			/* The first "nud" replaces the default set; others add. */
			w->states = (w->states & 0x200 ? w->states : 0x200) | nud_filter_bit(state);
		} else if (strcmp(argv[0], "all") == 0) {
			continue;
		} else {
			bool has_plen;
			if (strcmp(argv[0], "to") == 0 && argc > 1)
				argc--, argv++;
			if (w->pfx_len > 0 ||
			    !tn_cmd_parse_prefix(argv[0], &w->pfx, &w->pfx_len, &has_plen))
				return ip_duparg2(ctx, "dev", argv[0]);
			if (!has_plen)
				w->pfx_len = 32;
		}
	}
	w->states &= NEIGH_STATE_ALL;
	return 0;
}

static int ipneigh_show(struct tn_cmd_ctx *ctx, int argc, char **argv, FILE *out)
{
	struct neigh_walk w = { .out = out, .states = NEIGH_SHOW_DEFAULT };
	struct neigh_table *tbl = arp_tbl(ctx->net);
	int status = neigh_parse_filter(ctx, &w, argc, argv);

	if (status || !tbl)
		return status;
	neigh_for_each(tbl, neigh_show_one, &w);
	return 0;
}

static int ipneigh_flush(struct tn_cmd_ctx *ctx, int argc, char **argv)
{
	struct neigh_walk w = { .states = NEIGH_FLUSH_DEFAULT };
	struct neigh_table *tbl = arp_tbl(ctx->net);
	int status;

	if (argc == 0) {
		tn_cmd_err(ctx, "Flush requires arguments.");
		return IP_EXIT_USAGE;
	}
	status = neigh_parse_filter(ctx, &w, argc, argv);
	if (status || !tbl)
		return status;
	/* Collect first: deleting while the table is walked would pull
	 * entries out from under the walk. */
	neigh_for_each(tbl, neigh_collect_one, &w);
	for (unsigned int i = 0; i < w.nfound; i++) {
		neigh_delete(w.found[i]);
		neigh_release(w.found[i]);
	}
	free(w.found);
	return w.nomem ? ip_rtnl_err(ctx, -ENOMEM) : 0;
}

/* ---- add / replace / change / del ------------------------------------- */

enum neigh_op { NEIGH_ADD, NEIGH_REPLACE, NEIGH_CHANGE, NEIGH_DEL };

struct neigh_req {
	const char *dev;
	const char *dst_arg;
	u32 dst;
	u8 lladdr[ETH_ALEN];
	bool has_lladdr;
	u8 state;
};

static int neigh_parse_kw(struct tn_cmd_ctx *ctx, struct neigh_req *r, const char *kw,
			  const char *v)
{
	if (strcmp(kw, "dev") == 0) {
		if (r->dev)
			return ip_duparg2(ctx, "dev", v);
		r->dev = v;
	} else if (strcmp(kw, "lladdr") == 0) {
		if (tn_parse_mac(v, r->lladdr)) {
			tn_cmd_err(ctx, "\"%s\" is invalid lladdr.", v);
			return 1;
		}
		r->has_lladdr = true;
	} else if (!nud_parse(v, &r->state)) {  /* nud */
		return ip_invarg(ctx, "nud state is bad", v);
	}
	return 0;
}

static int neigh_parse(struct tn_cmd_ctx *ctx, struct neigh_req *r, int argc, char **argv)
{
	memset(r, 0, sizeof(*r));
	r->state = NUD_PERMANENT;
	for (; argc > 0; argc--, argv++) {
		const char *kw = argv[0];
		if (!strcmp(kw, "dev") || !strcmp(kw, "lladdr") || !strcmp(kw, "nud")) {
			if (argc < 2) {
				tn_cmd_err(ctx, "Command line is not complete. Try option \"help\"");
				return IP_EXIT_USAGE;
			}
			int st = neigh_parse_kw(ctx, r, kw, argv[1]);
			if (st)
				return st;
			argc--, argv++;
			continue;
		}
		const char *s = strcmp(kw, "to") == 0 && argc > 1 ? (argc--, *++argv) : kw;
		if (r->dst_arg)
			return ip_duparg2(ctx, "to", s);
		if (!tn_cmd_parse_ipv4(s, &r->dst)) {
			tn_cmd_err(ctx, "Error: an inet address is expected rather than \"%s\".", s);
			return 1;
		}
		r->dst_arg = s;
	}
	if (!r->dev || !r->dst_arg) {
		tn_cmd_err(ctx, "Device and destination are required arguments.");
		return IP_EXIT_USAGE;
	}
	return 0;
}

/* Linux's neigh_add(): EEXIST for add, ENOENT for change, then an
 * administrative update that overrides whatever the entry was. */
static int neigh_modify(struct neigh_table *tbl, struct net_device *dev,
			const struct neigh_req *r, enum neigh_op op)
{
	u8 key[4];
	struct neighbour *n;
	int err;

	put_be32(key, r->dst);
	n = neigh_lookup(tbl, key, dev);
	if (n && op == NEIGH_ADD) {
		neigh_release(n);
		return -EEXIST;
	}
	if (!n && (op == NEIGH_CHANGE || op == NEIGH_DEL))
		return -ENOENT;
	if (op == NEIGH_DEL) {
		err = neigh_delete(n);
		neigh_release(n);
		return err;
	}
	if (!n)
		n = __neigh_lookup(tbl, key, dev, true);
	if (!n)
		return -ENOBUFS;
	err = neigh_update(n, r->has_lladdr ? r->lladdr : NULL, r->state,
			   NEIGH_UPDATE_F_OVERRIDE | NEIGH_UPDATE_F_ADMIN);
	neigh_release(n);
	return err;
}

static int ipneigh_modify(struct tn_cmd_ctx *ctx, int argc, char **argv, enum neigh_op op)
{
	struct neigh_req r;
	struct net_device *dev;
	struct neigh_table *tbl = arp_tbl(ctx->net);
	int status = neigh_parse(ctx, &r, argc, argv);
	int err;

	if (status)
		return status;
	dev = tn_cmd_dev(ctx, r.dev);
	if (!dev)
		return ip_nodev(ctx, r.dev);
	if (!tbl)
		return ip_rtnl_err(ctx, -EOPNOTSUPP);
	err = neigh_modify(tbl, dev, &r, op);
	return err ? ip_rtnl_err(ctx, err) : 0;
}

int do_ipneigh(struct tn_cmd_ctx *ctx, const struct ip_global_opts *o, int argc, char **argv,
	       FILE *out)
{
	if (argc == 0)
		return ipneigh_show(ctx, 0, argv, out);
	if (tn_matches(argv[0], "add"))
		return ipneigh_modify(ctx, argc - 1, argv + 1, NEIGH_ADD);
	if (tn_matches(argv[0], "change") || strcmp(argv[0], "chg") == 0)
		return ipneigh_modify(ctx, argc - 1, argv + 1, NEIGH_CHANGE);
	if (tn_matches(argv[0], "replace"))
		return ipneigh_modify(ctx, argc - 1, argv + 1, NEIGH_REPLACE);
	if (tn_matches(argv[0], "delete"))
		return ipneigh_modify(ctx, argc - 1, argv + 1, NEIGH_DEL);
	if (tn_matches(argv[0], "show") || tn_matches(argv[0], "list") ||
	    tn_matches(argv[0], "lst"))
		return ipneigh_show(ctx, argc - 1, argv + 1, out);
	if (tn_matches(argv[0], "flush"))
		return ipneigh_flush(ctx, argc - 1, argv + 1);
	tn_cmd_err(ctx, "Command \"%s\" is unknown, try \"ip neigh help\".", argv[0]);
	return IP_EXIT_USAGE;
}
