/*
 * The counters of a namespace as the Linux tools print them: iproute2's
 * nstat(8) and net-tools' `netstat -s`. Both read the namespace's MIB
 * through tn_snmp_walk() (net/ipv4/proc.c), which names every counter as
 * /proc/net/snmp and /proc/net/netstat do.
 *
 * nstat keeps a history (on Linux a file in /tmp) and by default prints
 * what changed since the last run; here the history lives in the run's
 * context, one per namespace, so a scenario can show the counters each
 * step moved:
 *
 *   #kernel
 *   IpInReceives                    6                  0.0
 *
 * The rate column is always 0.0: nstat's rates are averages over its own
 * sampling, which a scenario does not have (docs/deviations.md).
 *
 * netstat -s prints the groups with net-tools' sentences for the counters
 * it knows ("6 total packets received") and "Name: value" for the others.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "net/snmp.h"
#include "net/net_namespace.h"
#include "tools/cmd/cmd.h"

#define NSTAT_NAME_LEN 64

struct nstat_entry {
	char name[NSTAT_NAME_LEN];    /* "IpInReceives" */
	char group[16];               /* "Ip" */
	u64 value;
};

/* A snapshot of every counter of one namespace. */
struct nstat_snap {
	struct nstat_entry *e;
	size_t n, cap;
};

/* The history: the last snapshot nstat printed, per namespace. */
struct tn_nstat_history {
	struct tn_nstat_history *next;
	unsigned int ns_id;
	struct nstat_snap snap;
};

static void nstat_collect(const char *group, const char *name, u64 value, void *arg)
{
	struct nstat_snap *s = arg;

	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		struct nstat_entry *e = realloc(s->e, cap * sizeof(*e));
		if (!e)
			return;
		s->e = e;
		s->cap = cap;
	}
	snprintf(s->e[s->n].name, NSTAT_NAME_LEN, "%s%s", group, name);
	snprintf(s->e[s->n].group, sizeof(s->e[s->n].group), "%s", group);
	s->e[s->n].value = value;
	s->n++;
}

static void nstat_snapshot(struct net *net, struct nstat_snap *s)
{
	memset(s, 0, sizeof(*s));
	tn_snmp_walk(net, nstat_collect, s);
}

static u64 nstat_old_value(const struct nstat_snap *old, const char *name)
{
	for (size_t i = 0; old && i < old->n; i++)
		if (strcmp(old->e[i].name, name) == 0)
			return old->e[i].value;
	return 0;
}

static struct tn_nstat_history *nstat_history(struct tn_cmd_ctx *ctx, unsigned int ns_id)
{
	struct tn_nstat_history *h;

	for (h = ctx->nstat; h; h = h->next)
		if (h->ns_id == ns_id)
			return h;
	h = calloc(1, sizeof(*h));
	if (h) {
		h->ns_id = ns_id;
		h->next = ctx->nstat;
		ctx->nstat = h;
	}
	return h;
}

void tn_nstat_history_free(struct tn_cmd_ctx *ctx)
{
	while (ctx->nstat) {
		struct tn_nstat_history *h = ctx->nstat;
		ctx->nstat = h->next;
		free(h->snap.e);
		free(h);
	}
}

/* ---- nstat ------------------------------------------------------------- */

struct nstat_opts {
	bool absolute, zeros, no_update, no_output;
	char **patterns;
	int npatterns;
};

/* Constants, not counters: nstat never shows them. */
static bool nstat_useless(const char *name)
{
	static const char *const useless[] = {
		"IpForwarding", "IpDefaultTTL", "TcpRtoAlgorithm", "TcpRtoMin",
		"TcpRtoMax", "TcpMaxConn", "TcpCurrEstab",
	};

	for (size_t i = 0; i < ARRAY_SIZE(useless); i++)
		if (strcmp(name, useless[i]) == 0)
			return true;
	return false;
}

static bool nstat_wanted(const struct nstat_opts *o, const char *name)
{
	if (o->npatterns == 0)
		return true;
	for (int i = 0; i < o->npatterns; i++)
		if (fnmatch(o->patterns[i], name, 0) == 0)
			return true;
	return false;
}

static void nstat_print(FILE *out, const struct nstat_opts *o, const struct nstat_snap *cur,
			const struct nstat_snap *old)
{
	fprintf(out, "#kernel\n");
	for (size_t i = 0; i < cur->n; i++) {
		const struct nstat_entry *e = &cur->e[i];
		u64 v = o->absolute ? e->value : e->value - nstat_old_value(old, e->name);

		if (nstat_useless(e->name) || !nstat_wanted(o, e->name) || (!v && !o->zeros))
			continue;
		fprintf(out, "%-32s%-16llu%6.1f\n", e->name, (unsigned long long)v, 0.0);
	}
}

static int nstat_parse(struct tn_cmd_ctx *ctx, struct nstat_opts *o, int argc, char **argv)
{
	int i;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		for (const char *f = argv[i] + 1; *f; f++) {
			switch (*f) {
			case 'a': o->absolute = true; break;
			case 'z': o->zeros = true; break;
			case 's': o->no_update = true; break;
			case 'n': o->no_output = true; break;
			case 'r': break;   /* reset: the history is per run anyway */
			default:
				tn_cmd_err(ctx, "nstat: invalid option -- '%c'", *f);
				tn_cmd_err(ctx, "Usage: nstat [OPTION] [ PATTERN [ PATTERN ] ]");
				return 255;
			}
		}
	}
	o->patterns = argv + i;
	o->npatterns = argc - i;
	return 0;
}

int do_nstat(struct tn_cmd_ctx *ctx, int argc, char **argv, FILE *out)
{
	struct nstat_opts o = { 0 };
	struct tn_nstat_history *h;
	struct nstat_snap cur;
	int status = nstat_parse(ctx, &o, argc, argv);

	if (status)
		return status;
	h = nstat_history(ctx, ctx->net->ns_id);
	if (!h) {
		tn_cmd_err(ctx, "nstat: %s", tn_errstr(ENOMEM));
		return 1;
	}
	nstat_snapshot(ctx->net, &cur);
	if (!o.no_output)
		nstat_print(out, &o, &cur, &h->snap);
	if (o.no_update) {
		free(cur.e);
		return 0;
	}
	free(h->snap.e);
	h->snap = cur;
	return 0;
}

/* ---- netstat -s -------------------------------------------------------- */

/* How net-tools prints one counter: a sentence always (NUM), a sentence
 * when non-zero (OPT), a line of a histogram (HIST, under a heading), or
 * not at all (HIDE). Counters it does not know are "Name: value" when
 * non-zero. */
enum ns_kind { NS_NUM, NS_OPT, NS_HIST_IN, NS_HIST_OUT, NS_HIDE, NS_PLAIN };

struct ns_fmt {
	const char *name;             /* nstat name */
	enum ns_kind kind;
	const char *text;             /* printf with one %llu, or the histogram label */
};

static const struct ns_fmt netstat_fmts[] = {
	{ "IpForwarding", NS_PLAIN, "Forwarding: %llu" },
	{ "IpDefaultTTL", NS_HIDE, NULL },
	{ "IpInReceives", NS_NUM, "%llu total packets received" },
	{ "IpInHdrErrors", NS_OPT, "%llu with invalid headers" },
	{ "IpInAddrErrors", NS_OPT, "%llu with invalid addresses" },
	{ "IpForwDatagrams", NS_NUM, "%llu forwarded" },
	{ "IpInUnknownProtos", NS_OPT, "%llu with unknown protocol" },
	{ "IpInDiscards", NS_NUM, "%llu incoming packets discarded" },
	{ "IpInDelivers", NS_NUM, "%llu incoming packets delivered" },
	{ "IpOutRequests", NS_NUM, "%llu requests sent out" },
	{ "IpOutDiscards", NS_OPT, "%llu outgoing packets dropped" },
	{ "IpOutNoRoutes", NS_OPT, "%llu dropped because of missing route" },
	{ "IpReasmTimeout", NS_OPT, "%llu fragments dropped after timeout" },
	{ "IpReasmReqds", NS_OPT, "%llu reassemblies required" },
	{ "IpReasmOKs", NS_OPT, "%llu packets reassembled ok" },
	{ "IpReasmFails", NS_OPT, "%llu packet reassemblies failed" },
	{ "IpFragOKs", NS_OPT, "%llu outgoing packets fragmented ok" },
	{ "IpFragFails", NS_OPT, "%llu fragments failed" },
	{ "IpFragCreates", NS_OPT, "%llu fragments created" },
	{ "IcmpInMsgs", NS_NUM, "%llu ICMP messages received" },
	{ "IcmpInErrors", NS_NUM, "%llu input ICMP message failed" },
	{ "IcmpInDestUnreachs", NS_HIST_IN, "destination unreachable" },
	{ "IcmpInTimeExcds", NS_HIST_IN, "timeout in transit" },
	{ "IcmpInParmProbs", NS_HIST_IN, "wrong parameters" },
	{ "IcmpInSrcQuenchs", NS_HIST_IN, "source quenches" },
	{ "IcmpInRedirects", NS_HIST_IN, "redirects" },
	{ "IcmpInEchos", NS_HIST_IN, "echo requests" },
	{ "IcmpInEchoReps", NS_HIST_IN, "echo replies" },
	{ "IcmpInTimestamps", NS_HIST_IN, "timestamp request" },
	{ "IcmpInTimestampReps", NS_HIST_IN, "timestamp reply" },
	{ "IcmpInAddrMasks", NS_HIST_IN, "address mask request" },
	{ "IcmpInAddrMaskReps", NS_HIST_IN, "address mask replies" },
	{ "IcmpOutMsgs", NS_NUM, "%llu ICMP messages sent" },
	{ "IcmpOutErrors", NS_NUM, "%llu ICMP messages failed" },
	{ "IcmpOutDestUnreachs", NS_HIST_OUT, "destination unreachable" },
	{ "IcmpOutTimeExcds", NS_HIST_OUT, "time exceeded" },
	{ "IcmpOutParmProbs", NS_HIST_OUT, "wrong parameters" },
	{ "IcmpOutSrcQuenchs", NS_HIST_OUT, "source quench" },
	{ "IcmpOutRedirects", NS_HIST_OUT, "redirect" },
	{ "IcmpOutEchos", NS_HIST_OUT, "echo requests" },
	{ "IcmpOutEchoReps", NS_HIST_OUT, "echo replies" },
	{ "IcmpOutTimestamps", NS_HIST_OUT, "timestamp requests" },
	{ "IcmpOutTimestampReps", NS_HIST_OUT, "timestamp replies" },
	{ "IcmpOutAddrMasks", NS_HIST_OUT, "address mask requests" },
	{ "IcmpOutAddrMaskReps", NS_HIST_OUT, "address mask replies" },
	{ "TcpRtoAlgorithm", NS_HIDE, NULL },
	{ "TcpRtoMin", NS_HIDE, NULL },
	{ "TcpRtoMax", NS_HIDE, NULL },
	{ "TcpMaxConn", NS_HIDE, NULL },
	{ "TcpActiveOpens", NS_NUM, "%llu active connection openings" },
	{ "TcpPassiveOpens", NS_NUM, "%llu passive connection openings" },
	{ "TcpAttemptFails", NS_NUM, "%llu failed connection attempts" },
	{ "TcpEstabResets", NS_NUM, "%llu connection resets received" },
	{ "TcpCurrEstab", NS_NUM, "%llu connections established" },
	{ "TcpInSegs", NS_NUM, "%llu segments received" },
	{ "TcpOutSegs", NS_NUM, "%llu segments sent out" },
	{ "TcpRetransSegs", NS_NUM, "%llu segments retransmitted" },
	{ "TcpInErrs", NS_NUM, "%llu bad segments received" },
	{ "TcpOutRsts", NS_NUM, "%llu resets sent" },
	{ "UdpInDatagrams", NS_NUM, "%llu packets received" },
	{ "UdpNoPorts", NS_NUM, "%llu packets to unknown port received" },
	{ "UdpInErrors", NS_NUM, "%llu packet receive errors" },
	{ "UdpOutDatagrams", NS_NUM, "%llu packets sent" },
	{ "UdpRcvbufErrors", NS_NUM, "%llu receive buffer errors" },
	{ "UdpSndbufErrors", NS_NUM, "%llu send buffer errors" },
	{ "TcpExtTCPHPHits", NS_NUM, "%llu packet headers predicted" },
};

static const struct ns_fmt *netstat_fmt(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(netstat_fmts); i++)
		if (strcmp(netstat_fmts[i].name, name) == 0)
			return &netstat_fmts[i];
	return NULL;
}

/* Where netstat is inside one group: which histogram heading was printed. */
struct ns_group_state {
	const char *group;
	bool hist_in, hist_out;
};

static void netstat_line(FILE *out, struct ns_group_state *gs, const struct nstat_entry *e)
{
	const struct ns_fmt *f = netstat_fmt(e->name);
	unsigned long long v = (unsigned long long)e->value;
	const char *short_name = e->name + strlen(e->group);

	if (!f) {
		/* IcmpMsg is only histograms; the rest "Name: value". */
		if (v)
			fprintf(out, "%s%s: %llu\n", strcmp(e->group, "IcmpMsg") ? "    " : "        ",
				short_name, v);
		return;
	}
	switch (f->kind) {
	case NS_HIDE:
		return;
	case NS_OPT:
		if (!v)
			return;
		/* fall through */
	case NS_NUM:
	case NS_PLAIN:
		fputs("    ", out);
		fprintf(out, f->text, v);
		fputc('\n', out);
		return;
	case NS_HIST_IN:
	case NS_HIST_OUT:
		if (!v)
			return;
		if (f->kind == NS_HIST_IN && !gs->hist_in) {
			fprintf(out, "    ICMP input histogram:\n");
			gs->hist_in = true;
		}
		if (f->kind == NS_HIST_OUT && !gs->hist_out) {
			fprintf(out, "    ICMP output histogram:\n");
			gs->hist_out = true;
		}
		fprintf(out, "        %s: %llu\n", f->text, v);
		return;
	}
}

int do_netstat(struct tn_cmd_ctx *ctx, int argc, char **argv, FILE *out)
{
	struct ns_group_state gs = { 0 };
	struct nstat_snap cur;

	if (argc != 2 || (strcmp(argv[1], "-s") != 0 && strcmp(argv[1], "--statistics") != 0)) {
		tn_cmd_err(ctx, "netstat: only `netstat -s` (protocol statistics) is supported");
		return 1;
	}
	nstat_snapshot(ctx->net, &cur);
	for (size_t i = 0; i < cur.n; i++) {
		const struct nstat_entry *e = &cur.e[i];
		if (!gs.group || strcmp(gs.group, e->group) != 0) {
			/* net-tools heads every group of /proc/net/snmp and
			 * /proc/net/netstat; UdpLite (the last of snmp) has no
			 * counters in tuxnet, so its heading stands alone. */
			if (strcmp(e->group, "TcpExt") == 0)
				fputs("UdpLite:\n", out);
			gs = (struct ns_group_state){ .group = e->group };
			fprintf(out, "%s:\n", e->group);
		}
		netstat_line(out, &gs, e);
	}
	/* ... and MPTcpExt, the last of /proc/net/netstat (no MPTCP here). */
	fputs("MPTcpExt:\n", out);
	free(cur.e);
	return 0;
}
