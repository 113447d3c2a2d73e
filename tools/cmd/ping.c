/*
 * ping(8), iputils': echo requests from the current namespace to one
 * address, one per interval, with iputils' output line for line:
 *
 *   PING 10.0.1.2 (10.0.1.2) 56(84) bytes of data.
 *   64 bytes from 10.0.1.2: icmp_seq=1 ttl=63 time=20.0 ms
 *   From 10.0.0.254 icmp_seq=2 Time to live exceeded
 *   ping: local error: message too long, mtu=1400
 *
 *   --- 10.0.1.2 ping statistics ---
 *   2 packets transmitted, 1 received, +1 errors, 50% packet loss, time 1000ms
 *   rtt min/avg/max/mdev = 20.012/20.012/20.012/0.000 ms
 *
 * It is a job (job.c) on the stack's pinger (include/net/ping.h): a timer
 * sends the next request, the pinger's callback reports replies and ICMP
 * errors, and the job ends as iputils' main loop does: when every request
 * was answered (by a reply or an error), at the -w deadline, or after the
 * linger time that follows the last request. Times are the stack's, so in
 * virtual time they are exact and replay identically.
 *
 * Options: -c -s -t -i -W -w -M -q -I (device or address) -Q; -n and -4
 * are accepted (no names are ever resolved). Exit status as iputils: 0 if
 * any reply came (and, with -w, the count was reached), 1 otherwise, 2 for
 * errors before the first request.
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
#include "net/netdevice.h"
#include "net/inetdevice.h"
#include "net/net_namespace.h"
#include "tools/cmd/cmd.h"

#define PING_MAX_PAYLOAD 65507        /* 65535 - IP header - ICMP header */
#define PING_TIMEVAL_LEN 16           /* iputils times only if a timeval fits */
#define PING_DEFAULT_LINGER_MS 10000  /* iputils' MAXWAIT */
#define PING_DUP_BITS 0x10000

struct ping_opts {
	unsigned long count;          /* 0: until the deadline (or forever) */
	unsigned long size;
	unsigned long ttl;            /* 0: default */
	unsigned long tos;
	u64 interval_ms;
	u64 linger_ms;
	u64 deadline_ms;              /* 0: none */
	int pmtudisc;                 /* -1: the kernel's default */
	bool quiet;
	const char *iface;            /* -I DEV or -I ADDR */
	const char *target;
};

struct ping_job {
	struct tn_cmd_job job;
	struct pinger p;
	bool pinger_open;
	struct timer_list send_timer;   /* the next request; after the last, the linger */
	struct timer_list deadline_timer;
	struct ping_opts o;
	FILE *out;
	char host[64];
	u64 start_ns, cur_ns;           /* start, and the last request (iputils' cur_time) */
	unsigned long ntransmitted, nreceived, nerrors, nrepeats;
	bool timing;
	bool lingering;
	long long tmin, tmax, tsum, tsum2;   /* microseconds, as iputils */
	u8 rcvd[PING_DUP_BITS / 8];     /* which sequence numbers were answered */
	/* When each recent request left (the stack's clock starts at 0, so
	 * the pinger's sent_ns cannot tell "unknown" from "at time 0"). */
	struct {
		u16 seq;
		bool valid;
		u64 at_ns;
	} sent[PINGER_HISTORY];
};

static struct tn_stack *ping_stack(const struct ping_job *pj)
{
	return pj->job.ctx->st;
}

static void ping_arm(struct ping_job *pj, struct timer_list *t, u64 at_ns)
{
	tn_mod_timer(ping_stack(pj), t, (at_ns + TN_NSEC_PER_JIFFY - 1) / TN_NSEC_PER_JIFFY);
}

/* ---- the summary -------------------------------------------------------- */

/* Integer square root (Newton), as iputils' mdev is computed. */
static long long ping_isqrt(long long a)
{
	long long x = a, y;

	if (a <= 0)
		return 0;
	y = (x + 1) / 2;
	while (y < x) {
		x = y;
		y = (x + a / x) / 2;
	}
	return x;
}

static void ping_print_rtt(const struct ping_job *pj)
{
	long long total = (long long)(pj->nreceived + pj->nrepeats);
	long long avg = pj->tsum / total;
	long long var = (pj->tsum2 - pj->tsum * pj->tsum / total) / total;
	long long mdev = ping_isqrt(var);

	fprintf(pj->out, "rtt min/avg/max/mdev = %lld.%03lld/%lld.%03lld/%lld.%03lld/%lld.%03lld ms",
		pj->tmin / 1000, pj->tmin % 1000, avg / 1000, avg % 1000, pj->tmax / 1000,
		pj->tmax % 1000, mdev / 1000, mdev % 1000);
}

static void ping_summary(const struct ping_job *pj)
{
	FILE *out = pj->out;
	u64 elapsed_ms = (pj->cur_ns - pj->start_ns + 500000) / 1000000;

	fprintf(out, "\n--- %s ping statistics ---\n", pj->host);
	fprintf(out, "%lu packets transmitted, %lu received", pj->ntransmitted, pj->nreceived);
	if (pj->nrepeats)
		fprintf(out, ", +%lu duplicates", pj->nrepeats);
	if (pj->nerrors)
		fprintf(out, ", +%lu errors", pj->nerrors);
	if (pj->ntransmitted) {
		/* iputils computes in double and prints a float with %g. */
		float loss = (float)((double)(pj->ntransmitted - pj->nreceived) * 100.0 /
				     (double)pj->ntransmitted);
		fprintf(out, ", %g%% packet loss, time %llums", (double)loss,
			(unsigned long long)elapsed_ms);
	}
	fputc('\n', out);
	if (pj->nreceived && pj->timing)
		ping_print_rtt(pj);
	fputc('\n', out);
	fflush(out);
}

static int ping_exit_status(const struct ping_job *pj)
{
	return !pj->nreceived || (pj->o.deadline_ms && pj->nreceived < pj->o.count);
}

static void ping_finish(struct ping_job *pj)
{
	if (pj->job.done)
		return;
	del_timer(&pj->send_timer);
	del_timer(&pj->deadline_timer);
	if (pj->pinger_open) {
		pinger_close(&pj->p);
		pj->pinger_open = false;
	}
	ping_summary(pj);
	tn_cmd_job_done(&pj->job, ping_exit_status(pj));
}

/* iputils' main loop checks these before every step. */
static bool ping_should_exit(const struct ping_job *pj)
{
	if (pj->o.count && pj->nreceived + pj->nerrors >= pj->o.count)
		return true;
	return pj->o.deadline_ms && pj->nerrors;
}

/* ---- what comes back ---------------------------------------------------- */

static const char *ping_unreach_text(u8 code)
{
	static const char *const text[] = {
		"Destination Net Unreachable", "Destination Host Unreachable",
		"Destination Protocol Unreachable", "Destination Port Unreachable",
		NULL, "Source Route Failed", "Destination Net Unknown",
		"Destination Host Unknown", "Source Host Isolated",
		"Destination Net Prohibited", "Destination Host Prohibited",
		"Destination Net Unreachable for Type of Service",
		"Destination Host Unreachable for Type of Service", "Packet filtered",
		"Precedence Violation", "Precedence Cutoff",
	};

	return code < ARRAY_SIZE(text) ? text[code] : NULL;
}

/* iputils' pr_icmph() for the errors a ping can get. */
static void ping_print_icmp(FILE *out, u8 type, u8 code, u32 info)
{
	const char *s;

	switch (type) {
	case ICMP_DEST_UNREACH:
		if (code == ICMP_FRAG_NEEDED)
			fprintf(out, "Frag needed and DF set (mtu = %u)\n", info);
		else if ((s = ping_unreach_text(code)) != NULL)
			fprintf(out, "%s\n", s);
		else
			fprintf(out, "Dest Unreachable, Bad Code: %d\n", code);
		break;
	case ICMP_TIME_EXCEEDED:
		if (code == ICMP_EXC_TTL)
			fprintf(out, "Time to live exceeded\n");
		else if (code == ICMP_EXC_FRAGTIME)
			fprintf(out, "Frag reassembly time exceeded\n");
		else
			fprintf(out, "Time exceeded, Bad Code: %d\n", code);
		break;
	case ICMP_PARAMETERPROB:
		fprintf(out, "Parameter problem: pointer = %u\n", info);
		break;
	case ICMP_SOURCE_QUENCH:
		fprintf(out, "Source Quench\n");
		break;
	default:
		fprintf(out, "Bad ICMP type: %d\n", type);
	}
}

/* iputils' time= field: fewer decimals as the time grows. */
static void ping_print_time(FILE *out, long long us)
{
	if (us >= 100000 - 50)
		fprintf(out, " time=%lld ms", (us + 500) / 1000);
	else if (us >= 10000 - 5)
		fprintf(out, " time=%lld.%01lld ms", (us + 50) / 1000, ((us + 50) % 1000) / 100);
	else if (us >= 1000)
		fprintf(out, " time=%lld.%02lld ms", (us + 5) / 1000, ((us + 5) % 1000) / 10);
	else
		fprintf(out, " time=%lld.%03lld ms", us / 1000, us % 1000);
}

static bool ping_seen(struct ping_job *pj, u16 seq)
{
	bool seen = pj->rcvd[seq / 8] & (1u << (seq % 8));

	pj->rcvd[seq / 8] |= (u8)(1u << (seq % 8));
	return seen;
}

static void ping_account_rtt(struct ping_job *pj, long long us)
{
	pj->tsum += us;
	pj->tsum2 += us * us;
	if (pj->nreceived + pj->nrepeats == 1 || us < pj->tmin)
		pj->tmin = us;
	if (us > pj->tmax)
		pj->tmax = us;
}

static bool ping_sent_at(const struct ping_job *pj, u16 seq, u64 *at)
{
	unsigned int i = seq % PINGER_HISTORY;

	if (!pj->sent[i].valid || pj->sent[i].seq != seq)
		return false;
	*at = pj->sent[i].at_ns;
	return true;
}

static void ping_on_reply(struct ping_job *pj, const struct ping_event *ev)
{
	char from[16];
	bool dup = ping_seen(pj, ev->seq);
	u64 at = 0;
	bool timed = pj->timing && ping_sent_at(pj, ev->seq, &at);
	long long us = timed ? (long long)((ev->now_ns - at) / 1000) : 0;

	if (dup)
		pj->nrepeats++;
	else
		pj->nreceived++;
	if (timed)
		ping_account_rtt(pj, us);
	if (pj->o.quiet)
		return;
	fprintf(pj->out, "%u bytes from %s: icmp_seq=%u ttl=%u", ev->len + ICMP_HLEN,
		tn_ipv4_str(ev->from, from), ev->seq, ev->ttl);
	if (timed)
		ping_print_time(pj->out, us);
	fprintf(pj->out, "%s\n", dup ? " (DUP!)" : "");
}

static void ping_on_error(struct ping_job *pj, const struct ping_event *ev)
{
	char from[16];

	ping_seen(pj, ev->seq);
	pj->nerrors++;
	if (pj->o.quiet)
		return;
	fprintf(pj->out, "From %s icmp_seq=%u ", tn_ipv4_str(ev->from, from), ev->seq);
	ping_print_icmp(pj->out, ev->type, ev->code, ev->info);
}

static void ping_event_cb(struct pinger *p, const struct ping_event *ev, void *arg)
{
	struct ping_job *pj = arg;

	if (pj->job.done)
		return;
	if (ev->kind == PING_EV_REPLY)
		ping_on_reply(pj, ev);
	else
		ping_on_error(pj, ev);
	fflush(pj->out);
	if (ping_should_exit(pj))
		ping_finish(pj);
}

/* ---- sending ------------------------------------------------------------ */

/* The MTU a DF request was refused at: the path's, else the device's. */
static u32 ping_path_mtu(struct ping_job *pj)
{
	struct rt_get_result res;
	struct net_device *dev;

	if (ip_route_get(pj->job.net, pj->p.cfg.daddr, pj->p.cfg.saddr, pj->p.cfg.oif, 0, 0, &res))
		return 0;
	if (res.mtu)
		return res.mtu;
	dev = __dev_get_by_index(pj->job.net, res.oif);
	return dev ? dev->mtu : 0;
}

/* A request the stack refused: iputils' "hard local error", counted as
 * sent; EMSGSIZE comes back through the error queue and counts as an
 * error too. */
static void ping_local_error(struct ping_job *pj, int err)
{
	struct tn_cmd_ctx *ctx = pj->job.ctx;

	if (err == -EMSGSIZE) {
		pj->nerrors++;
		if (!pj->o.quiet)
			tn_cmd_note(ctx, "ping: local error: message too long, mtu=%u", ping_path_mtu(pj));
		return;
	}
	if (!pj->o.quiet)
		tn_cmd_note(ctx, "ping: sendmsg: %s", tn_errstr(err));
}

static bool ping_more_to_send(const struct ping_job *pj)
{
	return !pj->o.count || pj->ntransmitted < pj->o.count || pj->o.deadline_ms;
}

/* After the last request, iputils waits this long for late answers. */
static u64 ping_linger_ns(const struct ping_job *pj)
{
	u64 ms = pj->o.linger_ms;

	if (pj->nreceived) {
		ms = (u64)(2 * pj->tmax) / 1000;
		ms = TN_MAX(ms, pj->o.interval_ms);
	}
	return ms * 1000000ull;
}

static void ping_send_one(struct ping_job *pj)
{
	u16 seq = (u16)(pj->ntransmitted + 1);
	int err;

	pj->rcvd[seq / 8] &= (u8)~(1u << (seq % 8));
	pj->cur_ns = tn_now(ping_stack(pj));
	pj->sent[seq % PINGER_HISTORY].seq = seq;
	pj->sent[seq % PINGER_HISTORY].valid = true;
	pj->sent[seq % PINGER_HISTORY].at_ns = pj->cur_ns;
	err = pinger_send(&pj->p, seq, 0);
	pj->ntransmitted++;
	if (err)
		ping_local_error(pj, err);
}

static void ping_tick(struct timer_list *t)
{
	struct ping_job *pj = from_timer(pj, t, send_timer);
	u64 now = tn_now(ping_stack(pj));

	if (pj->job.done)
		return;
	if (pj->lingering || ping_should_exit(pj)) {
		ping_finish(pj);
		return;
	}
	if (!ping_more_to_send(pj)) {
		/* One interval after the last request: wait for stragglers. */
		pj->lingering = true;
		ping_arm(pj, &pj->send_timer, now + ping_linger_ns(pj));
		return;
	}
	ping_send_one(pj);
	fflush(pj->out);
	if (ping_should_exit(pj)) {
		ping_finish(pj);
		return;
	}
	ping_arm(pj, &pj->send_timer, now + pj->o.interval_ms * 1000000ull);
}

static void ping_deadline(struct timer_list *t)
{
	struct ping_job *pj = from_timer(pj, t, deadline_timer);

	ping_finish(pj);
}

/* ---- the job ------------------------------------------------------------ */

static void ping_stop(struct tn_cmd_job *job)
{
	ping_finish(container_of(job, struct ping_job, job));
}

static void ping_release(struct tn_cmd_job *job)
{
	struct ping_job *pj = container_of(job, struct ping_job, job);

	del_timer(&pj->send_timer);
	del_timer(&pj->deadline_timer);
	if (pj->pinger_open)
		pinger_close(&pj->p);
	free(pj);
}

static const struct tn_cmd_job_ops ping_job_ops = {
	.name = "ping",
	.stop = ping_stop,
	.release = ping_release,
};

/* ---- options ------------------------------------------------------------ */

/* A number of seconds with a fraction, as iputils takes for -i -W -w. */
static bool ping_parse_seconds(const char *s, u64 *ms)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end || !isfinite(v) || v < 0 || v > 2147483.0)
		return false;
	*ms = (u64)llround(v * 1000.0);
	return true;
}

static int ping_bad_arg(struct tn_cmd_ctx *ctx, const char *v)
{
	tn_cmd_err(ctx, "ping: invalid argument: '%s'", v);
	return 2;
}

static int ping_range(struct tn_cmd_ctx *ctx, const char *v, unsigned long lo, unsigned long hi)
{
	tn_cmd_err(ctx, "ping: invalid argument: '%s': out of range: %lu <= value <= %lu", v, lo, hi);
	return 2;
}

static int ping_parse_pmtu(struct tn_cmd_ctx *ctx, struct ping_opts *o, const char *v)
{
	if (strcmp(v, "do") == 0)
		o->pmtudisc = IP_PMTUDISC_DO;
	else if (strcmp(v, "dont") == 0)
		o->pmtudisc = IP_PMTUDISC_DONT;
	else if (strcmp(v, "want") == 0)
		o->pmtudisc = IP_PMTUDISC_WANT;
	else if (strcmp(v, "probe") == 0)
		o->pmtudisc = IP_PMTUDISC_PROBE;
	else {
		tn_cmd_err(ctx, "ping: invalid -M argument: %s", v);
		return 2;
	}
	return 0;
}

/* One option that takes a value. */
static int ping_opt_value(struct tn_cmd_ctx *ctx, struct ping_opts *o, char opt, const char *v)
{
	switch (opt) {
	case 'c':
		if (!tn_parse_uint(v, 0x7fffffff, &o->count))
			return ping_bad_arg(ctx, v);
		if (o->count == 0)
			return ping_range(ctx, v, 1, 0x7fffffff);
		return 0;
	case 's':
		if (!tn_parse_uint(v, 0x7fffffff, &o->size))
			return ping_bad_arg(ctx, v);
		return 0;
	case 't':
		if (!tn_parse_uint(v, ~0ul, &o->ttl))
			return ping_bad_arg(ctx, v);
		return o->ttl > 255 ? ping_range(ctx, v, 0, 255) : 0;
	case 'Q':
		if (!tn_parse_uint(v, 255, &o->tos))
			return ping_bad_arg(ctx, v);
		return 0;
	case 'i':
	case 'W':
	case 'w':
		if (!ping_parse_seconds(v, opt == 'i' ? &o->interval_ms :
					   opt == 'W' ? &o->linger_ms : &o->deadline_ms))
			return ping_bad_arg(ctx, v);
		return 0;
	case 'M':
		return ping_parse_pmtu(ctx, o, v);
	case 'I':
		o->iface = v;
		return 0;
	}
	return -1;
}

static int ping_usage(struct tn_cmd_ctx *ctx, const char *why)
{
	tn_cmd_err(ctx, "ping: %s", why);
	return 2;
}

static int ping_parse(struct tn_cmd_ctx *ctx, struct ping_opts *o, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (a[0] != '-' || !a[1]) {
			if (o->target)
				return ping_usage(ctx, "usage error: only one destination");
			o->target = a;
			continue;
		}
		/* Flags may be grouped (-qn); a value may be attached (-c3). */
		for (const char *f = a + 1; *f; f++) {
			if (strchr("qn4", *f)) {
				o->quiet |= *f == 'q';
				continue;
			}
			if (!strchr("cstQiWwMI", *f))
				return ping_usage(ctx, "invalid option -- see docs/scenarios.md");
			const char *v = f[1] ? f + 1 : (i + 1 < argc ? argv[++i] : NULL);
			if (!v)
				return ping_usage(ctx, "option requires an argument");
			int status = ping_opt_value(ctx, o, *f, v);
			if (status)
				return status;
			break;
		}
	}
	if (!o->target)
		return ping_usage(ctx, "usage error: Destination address required");
	return 0;
}

/* ---- set-up ------------------------------------------------------------- */

/* -I DEV or -I ADDR: what the pinger binds to. */
static int ping_setup_iface(struct tn_cmd_ctx *ctx, struct pinger_config *cfg,
			    const char *iface, struct net_device **devp)
{
	struct net_device *dev;

	*devp = NULL;
	if (!iface)
		return 0;
	if (tn_cmd_parse_ipv4(iface, &cfg->saddr))
		return 0;
	dev = tn_cmd_dev(ctx, iface);
	if (!dev) {
		tn_cmd_err(ctx, "ping: SO_BINDTODEVICE %s: No such device", iface);
		return 2;
	}
	cfg->oif = dev->ifindex;
	*devp = dev;
	return 0;
}

/* What iputils learns by connecting a probe socket: the source address,
 * or that there is no route at all. */
static int ping_probe_route(struct tn_cmd_ctx *ctx, struct pinger_config *cfg, u32 *src)
{
	struct rt_get_result res;
	int err = ip_route_get(ctx->net, cfg->daddr, cfg->saddr, cfg->oif, 0, 0, &res);

	if (err) {
		tn_cmd_err(ctx, "ping: connect: %s", tn_errstr(err));
		return 2;
	}
	*src = cfg->saddr ? cfg->saddr : res.saddr;
	return 0;
}

static void ping_header(struct ping_job *pj, const struct net_device *dev, u32 src)
{
	char d[16], s[16];

	fprintf(pj->out, "PING %s (%s) ", pj->host, tn_ipv4_str(pj->p.cfg.daddr, d));
	if (pj->o.iface)
		fprintf(pj->out, "from %s %s: ", tn_ipv4_str(src, s), dev ? dev->name : pj->o.iface);
	fprintf(pj->out, "%lu(%lu) bytes of data.\n", pj->o.size, pj->o.size + ICMP_HLEN + 20);
	fflush(pj->out);
}

static void ping_config(const struct ping_opts *o, u32 daddr, struct pinger_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->mode = PINGER_ICMP;
	cfg->daddr = daddr;
	cfg->payload_len = (u16)o->size;
	cfg->ttl = (u8)o->ttl;
	cfg->tos = (u8)o->tos;
	/* A ping socket starts with the namespace's default: "want" (DF on,
	 * fragment locally only down to a learned path MTU). */
	cfg->pmtudisc = (u8)(o->pmtudisc >= 0 ? o->pmtudisc : IP_PMTUDISC_WANT);
}

static int ping_start(struct tn_cmd_ctx *ctx, struct ping_job *pj)
{
	struct pinger_config cfg;
	struct net_device *dev;
	u32 daddr, src = 0;
	int status, err;

	if (!tn_cmd_parse_ipv4(pj->o.target, &daddr)) {
		tn_cmd_err(ctx, "ping: %s: Name or service not known", pj->o.target);
		return 2;
	}
	if (pj->o.size > PING_MAX_PAYLOAD) {
		tn_cmd_err(ctx, "ping: invalid argument: '%lu': out of range: 0 <= value <= %d",
			   pj->o.size, PING_MAX_PAYLOAD);
		return 2;
	}
	ping_config(&pj->o, daddr, &cfg);
	status = ping_setup_iface(ctx, &cfg, pj->o.iface, &dev);
	if (!status)
		status = ping_probe_route(ctx, &cfg, &src);
	if (status)
		return status;
	err = pinger_init(&pj->p, ctx->net, &cfg, ping_event_cb, pj);
	if (err) {
		tn_cmd_err(ctx, "ping: socket: %s", tn_errstr(err));
		return 2;
	}
	pj->pinger_open = true;
	snprintf(pj->host, sizeof(pj->host), "%s", pj->o.target);
	ping_header(pj, dev, src);
	return 0;
}

int do_ping(struct tn_cmd_ctx *ctx, int argc, char **argv, FILE *out)
{
	struct ping_job *pj = calloc(1, sizeof(*pj));
	u64 now = tn_now(ctx->st);
	int status;

	if (!pj) {
		tn_cmd_err(ctx, "ping: %s", tn_errstr(ENOMEM));
		return 2;
	}
	pj->o = (struct ping_opts){ .size = PINGER_DEFAULT_PAYLOAD, .interval_ms = 1000,
				    .linger_ms = PING_DEFAULT_LINGER_MS, .pmtudisc = -1 };
	pj->out = out;
	timer_setup(&pj->send_timer, ping_tick);
	timer_setup(&pj->deadline_timer, ping_deadline);
	pj->job.ctx = ctx;
	pj->job.net = ctx->net;
	status = ping_parse(ctx, &pj->o, argc, argv);
	if (!status && pj->o.interval_ms < 2) {
		tn_cmd_err(ctx, "ping: cannot flood; minimal interval allowed for user is 2ms");
		status = 2;
	}
	if (!status)
		status = ping_start(ctx, pj);
	if (status) {
		free(pj);
		return status;
	}
	pj->timing = pj->o.size >= PING_TIMEVAL_LEN;
	pj->start_ns = pj->cur_ns = now;
	if (pj->o.deadline_ms)
		ping_arm(pj, &pj->deadline_timer, now + pj->o.deadline_ms * 1000000ull);
	/* The first request leaves now; the timer keeps the rhythm. */
	ping_tick(&pj->send_timer);
	return tn_cmd_job_start(ctx, &pj->job, &ping_job_ops);
}
