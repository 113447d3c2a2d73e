/*
 * traceroute(8) (the "modern traceroute for Linux", 2.1): probes with a TTL
 * of 1, 2, 3 ... towards one address; each router where a probe's TTL runs
 * out answers with ICMP time exceeded, which names the hop:
 *
 *   traceroute to 10.0.2.2 (10.0.2.2), 30 hops max, 60 byte packets
 *    1  10.0.0.254 (10.0.0.254)  0.123 ms  0.100 ms  0.098 ms
 *    2  * * *
 *
 * Probes are UDP datagrams to port 33434 and up by default (the destination
 * ends the trace with port unreachable) or, with -I, ICMP echo requests
 * (it ends with an echo reply); both go through the stack's pinger
 * (include/net/ping.h), which matches the ICMP errors to the probe they
 * quote. A job (job.c): a hop's probes leave together, the line is printed
 * when each has an answer or has waited -w seconds, then the next hop
 * starts; it ends at the destination, at an unreachable (!N, !H ...) or at
 * the maximum TTL.
 *
 * Differences from Linux's traceroute (docs/deviations.md): hops are
 * probed one after the other (as `-N QUERIES`), and -w is only the MAX of
 * `-w MAX,HERE,NEAR`. Names are never resolved: without -n an address is
 * printed as "ADDR (ADDR)", which is what traceroute prints for an address
 * without a name.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "net/skbuff.h"
#include "net/ping.h"
#include "net/ip.h"
#include "net/route.h"
#include "net/stack.h"
#include "tools/cmd/cmd.h"

#define TR_MAX_QUERIES 10
#define TR_DEFAULT_PACKETLEN 60
#define TR_UDP_HLEN 8

enum tr_state { TR_PENDING = 0, TR_ANSWERED, TR_TIMEOUT };

struct tr_probe {
	u16 seq;
	enum tr_state state;
	u32 from;
	u64 sent_ns, rtt_ns;
	char note[16];               /* "!N", "!F-1400", ... */
};

struct tr_opts {
	bool icmp, numeric, dont_fragment;
	unsigned long max_ttl, first_ttl, queries, port;
	u64 wait_ms;
	unsigned long packetlen;
	const char *target;
};

struct tr_job {
	struct tn_cmd_job job;
	struct pinger p;
	bool pinger_open;
	struct timer_list timer;     /* the hop's wait, or the start of the next hop */
	struct tr_opts o;
	FILE *out;
	u32 daddr;
	unsigned int ttl;
	bool hop_running;            /* probes out (else: timer starts the next hop) */
	bool reached;                /* a probe of this hop ended the trace */
	u16 next_seq;
	struct tr_probe probes[TR_MAX_QUERIES];
};

static struct tn_stack *tr_stack(const struct tr_job *tr)
{
	return tr->job.ctx->st;
}

/* ---- printing ------------------------------------------------------------ */

static void tr_print_addr(const struct tr_job *tr, u32 addr)
{
	char a[16];

	tn_ipv4_str(addr, a);
	if (tr->o.numeric)
		fprintf(tr->out, " %s", a);
	else
		fprintf(tr->out, " %s (%s)", a, a);
}

/* traceroute's print_probe(): the address when it differs from the
 * previous probe's, the time, and an annotation. */
static void tr_print_hop(const struct tr_job *tr)
{
	fprintf(tr->out, "%2u ", tr->ttl);
	for (unsigned int i = 0; i < tr->o.queries; i++) {
		const struct tr_probe *pr = &tr->probes[i];
		const struct tr_probe *prev = i ? &tr->probes[i - 1] : NULL;

		if (pr->state != TR_ANSWERED) {
			fprintf(tr->out, " *");
			continue;
		}
		if (!prev || prev->state != TR_ANSWERED || prev->from != pr->from)
			tr_print_addr(tr, pr->from);
		fprintf(tr->out, "  %.3f ms", (double)pr->rtt_ns / 1e6);
		if (pr->note[0])
			fprintf(tr->out, " %s", pr->note);
	}
	fputc('\n', tr->out);
	fflush(tr->out);
}

/* The annotation of a destination-unreachable code, as traceroute. */
static void tr_unreach_note(struct tr_probe *pr, u8 code, u32 info)
{
	switch (code) {
	case ICMP_NET_UNREACH: case ICMP_NET_UNKNOWN: case 8: case 11:
		snprintf(pr->note, sizeof(pr->note), "!N");
		break;
	case ICMP_HOST_UNREACH: case ICMP_HOST_UNKNOWN: case 12:
		snprintf(pr->note, sizeof(pr->note), "!H");
		break;
	case 9: case 10: case ICMP_PKT_FILTERED:
		snprintf(pr->note, sizeof(pr->note), "!X");
		break;
	case ICMP_PROT_UNREACH:
		snprintf(pr->note, sizeof(pr->note), "!P");
		break;
	case ICMP_FRAG_NEEDED:
		snprintf(pr->note, sizeof(pr->note), "!F-%u", info);
		break;
	case ICMP_SR_FAILED:
		snprintf(pr->note, sizeof(pr->note), "!S");
		break;
	case 14:
		snprintf(pr->note, sizeof(pr->note), "!V");
		break;
	case 15:
		snprintf(pr->note, sizeof(pr->note), "!C");
		break;
	default:
		snprintf(pr->note, sizeof(pr->note), "!<%u>", code);
	}
}

/* ---- the state machine --------------------------------------------------- */

static void tr_finish(struct tr_job *tr, int status)
{
	del_timer(&tr->timer);
	if (tr->pinger_open) {
		pinger_close(&tr->p);
		tr->pinger_open = false;
	}
	tn_cmd_job_done(&tr->job, status);
}

static void tr_send_hop(struct tr_job *tr)
{
	u64 now = tn_now(tr_stack(tr));

	memset(tr->probes, 0, sizeof(tr->probes));
	tr->reached = false;
	tr->hop_running = true;
	for (unsigned int i = 0; i < tr->o.queries; i++) {
		struct tr_probe *pr = &tr->probes[i];
		pr->seq = tr->next_seq++;
		pr->sent_ns = now;
		/* A probe the stack refused is one that never gets an answer. */
		if (pinger_send(&tr->p, pr->seq, (u8)tr->ttl))
			pr->state = TR_TIMEOUT;
	}
	tn_mod_timer(tr_stack(tr), &tr->timer,
		     (now + tr->o.wait_ms * 1000000ull + TN_NSEC_PER_JIFFY - 1) / TN_NSEC_PER_JIFFY);
}

static bool tr_hop_complete(const struct tr_job *tr)
{
	for (unsigned int i = 0; i < tr->o.queries; i++)
		if (tr->probes[i].state == TR_PENDING)
			return false;
	return true;
}

/* Print the hop; then end, or let the timer start the next hop (never
 * send from inside the pinger's callback). */
static void tr_hop_done(struct tr_job *tr)
{
	tr->hop_running = false;
	tr_print_hop(tr);
	if (tr->reached || tr->ttl >= tr->o.max_ttl) {
		tr_finish(tr, 0);
		return;
	}
	tr->ttl++;
	tn_mod_timer(tr_stack(tr), &tr->timer, jiffies(tr_stack(tr)));
}

static void tr_timer(struct timer_list *t)
{
	struct tr_job *tr = from_timer(tr, t, timer);

	if (tr->job.done)
		return;
	if (!tr->hop_running) {
		tr_send_hop(tr);
		return;
	}
	for (unsigned int i = 0; i < tr->o.queries; i++)
		if (tr->probes[i].state == TR_PENDING)
			tr->probes[i].state = TR_TIMEOUT;
	tr_hop_done(tr);
}

static struct tr_probe *tr_find_probe(struct tr_job *tr, u16 seq)
{
	for (unsigned int i = 0; i < tr->o.queries; i++)
		if (tr->probes[i].seq == seq && tr->probes[i].state == TR_PENDING)
			return &tr->probes[i];
	return NULL;
}

static void tr_event(struct pinger *p, const struct ping_event *ev, void *arg)
{
	struct tr_job *tr = arg;
	struct tr_probe *pr;

	if (tr->job.done || !tr->hop_running || !(pr = tr_find_probe(tr, ev->seq)))
		return;   /* a late answer to a hop already printed */
	pr->state = TR_ANSWERED;
	pr->from = ev->from;
	pr->rtt_ns = ev->now_ns - pr->sent_ns;
	if (ev->kind == PING_EV_REPLY) {
		tr->reached = true;
	} else if (ev->type == ICMP_DEST_UNREACH) {
		/* Port unreachable from the destination is the UDP trace's end;
		 * any other unreachable ends it too, annotated. */
		if (!(ev->code == ICMP_PORT_UNREACH && ev->from == tr->daddr))
			tr_unreach_note(pr, ev->code, ev->info);
		tr->reached = true;
	}
	if (tr_hop_complete(tr))
		tr_hop_done(tr);
}

/* ---- the job ------------------------------------------------------------- */

/* Interrupted: traceroute dies without finishing the line. */
static void tr_stop(struct tn_cmd_job *job)
{
	struct tr_job *tr = container_of(job, struct tr_job, job);

	if (tr->hop_running)
		fputc('\n', tr->out);
	tr_finish(tr, 130);
}

static void tr_release(struct tn_cmd_job *job)
{
	struct tr_job *tr = container_of(job, struct tr_job, job);

	del_timer(&tr->timer);
	if (tr->pinger_open)
		pinger_close(&tr->p);
	free(tr);
}

static const struct tn_cmd_job_ops tr_job_ops = {
	.name = "traceroute",
	.stop = tr_stop,
	.release = tr_release,
};

/* ---- options ------------------------------------------------------------- */

static int tr_bad(struct tn_cmd_ctx *ctx, const char *opt, const char *v)
{
	tn_cmd_err(ctx, "Cannot handle `%s' option with arg `%s' (argc %d)", opt, v, 0);
	return 2;
}

static int tr_opt_value(struct tn_cmd_ctx *ctx, struct tr_opts *o, const char *opt, const char *v)
{
	char *end;
	double w;

	switch (opt[1]) {
	case 'm':
		if (!tn_parse_uint(v, 255, &o->max_ttl) || !o->max_ttl)
			return tr_bad(ctx, opt, v);
		return 0;
	case 'f':
		if (!tn_parse_uint(v, 255, &o->first_ttl) || !o->first_ttl)
			return tr_bad(ctx, opt, v);
		return 0;
	case 'q':
		if (!tn_parse_uint(v, TR_MAX_QUERIES, &o->queries) || !o->queries) {
			tn_cmd_err(ctx, "no more than " "10" " probes per hop");
			return 2;
		}
		return 0;
	case 'p':
		if (!tn_parse_uint(v, 65535, &o->port))
			return tr_bad(ctx, opt, v);
		return 0;
	case 'w':
		w = strtod(v, &end);
		if (end == v || (*end && *end != ',') || !isfinite(w) || w < 0 || w > 86400)
			return tr_bad(ctx, opt, v);
		o->wait_ms = (u64)llround(w * 1000.0);
		return 0;
	}
	return tr_bad(ctx, opt, v);
}

static int tr_parse(struct tn_cmd_ctx *ctx, struct tr_opts *o, int argc, char **argv)
{
	int i;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		const char *a = argv[i];
		if (strcmp(a, "-I") == 0 || strcmp(a, "--icmp") == 0)
			o->icmp = true;
		else if (strcmp(a, "-U") == 0 || strcmp(a, "--udp") == 0)
			o->icmp = false;
		else if (strcmp(a, "-n") == 0)
			o->numeric = true;
		else if (strcmp(a, "-F") == 0 || strcmp(a, "--dont-fragment") == 0)
			o->dont_fragment = true;
		else if (strcmp(a, "-4") == 0)
			;
		else if (strlen(a) == 2 && strchr("mfqpw", a[1])) {
			if (i + 1 >= argc) {
				tn_cmd_err(ctx, "Option `%s' (argc %d) requires an argument: `%s'", a, i,
					   a);
				return 2;
			}
			int status = tr_opt_value(ctx, o, a, argv[++i]);
			if (status)
				return status;
		} else {
			tn_cmd_err(ctx, "Bad option `%s' (argc %d)", a, i);
			return 2;
		}
	}
	if (i >= argc) {
		tn_cmd_err(ctx, "Specify \"host\" missing argument.");
		return 2;
	}
	o->target = argv[i++];
	if (i < argc && !tn_parse_uint(argv[i++], 65000, &o->packetlen)) {
		tn_cmd_err(ctx, "Cannot handle \"packetlen\" cmdline arg `%s' on position %d (argc %d)",
			   argv[i - 1], i - 1, i - 1);
		return 2;
	}
	if (i < argc) {
		tn_cmd_err(ctx, "Extra arg `%s' (position %d, argc %d)", argv[i], i, i);
		return 2;
	}
	return 0;
}

/* ---- set-up -------------------------------------------------------------- */

static int tr_start(struct tn_cmd_ctx *ctx, struct tr_job *tr)
{
	struct pinger_config cfg = { 0 };
	struct rt_get_result res;
	unsigned long hdr = 20 + (tr->o.icmp ? ICMP_HLEN : TR_UDP_HLEN);
	char d[16];
	int err;

	if (!tn_cmd_parse_ipv4(tr->o.target, &tr->daddr)) {
		tn_cmd_err(ctx, "%s: Name or service not known", tr->o.target);
		tn_cmd_err(ctx, "Cannot handle \"host\" cmdline arg `%s' on position 1 (argc 1)",
			   tr->o.target);
		return 2;
	}
	if (tr->o.first_ttl > tr->o.max_ttl) {
		tn_cmd_err(ctx, "first hop out of range");
		return 2;
	}
	err = ip_route_get(ctx->net, tr->daddr, 0, 0, 0, 0, &res);
	if (err) {
		tn_cmd_err(ctx, "connect: %s", tn_errstr(err));
		return 1;
	}
	tr->o.packetlen = TN_MAX(tr->o.packetlen, hdr);
	cfg.mode = tr->o.icmp ? PINGER_ICMP : PINGER_UDP;
	cfg.daddr = tr->daddr;
	cfg.base_port = (u16)tr->o.port;
	cfg.payload_len = (u16)(tr->o.packetlen - hdr);
	cfg.pmtudisc = tr->o.dont_fragment ? IP_PMTUDISC_DO : IP_PMTUDISC_DONT;
	err = pinger_init(&tr->p, ctx->net, &cfg, tr_event, tr);
	if (err) {
		tn_cmd_err(ctx, "socket: %s", tn_errstr(err));
		return 2;
	}
	tr->pinger_open = true;
	fprintf(tr->out, "traceroute to %s (%s), %lu hops max, %lu byte packets\n", tr->o.target,
		tn_ipv4_str(tr->daddr, d), tr->o.max_ttl, tr->o.packetlen);
	fflush(tr->out);
	return 0;
}

int do_traceroute(struct tn_cmd_ctx *ctx, int argc, char **argv, FILE *out)
{
	struct tr_job *tr = calloc(1, sizeof(*tr));
	int status;

	if (!tr) {
		tn_cmd_err(ctx, "traceroute: %s", tn_errstr(ENOMEM));
		return 2;
	}
	tr->o = (struct tr_opts){ .max_ttl = 30, .first_ttl = 1, .queries = 3,
				  .port = PINGER_UDP_BASE_PORT, .wait_ms = 5000,
				  .packetlen = TR_DEFAULT_PACKETLEN };
	tr->out = out;
	tr->job.ctx = ctx;
	timer_setup(&tr->timer, tr_timer);
	status = tr_parse(ctx, &tr->o, argc, argv);
	if (!status)
		status = tr_start(ctx, tr);
	if (status) {
		free(tr);
		return status;
	}
	/* traceroute's UDP probes count from the base port; ICMP ones from 1. */
	tr->next_seq = tr->o.icmp ? 1 : 0;
	tr->ttl = (unsigned int)tr->o.first_ttl;
	tr_send_hop(tr);
	return tn_cmd_job_start(ctx, &tr->job, &tr_job_ops);
}
