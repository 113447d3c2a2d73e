/*
 * Two load helpers for TCP scenarios (tuxnet's own commands; nothing here
 * ever reaches a host network: they send from a tuxnet namespace):
 *
 *   synflood [-c N] [-r PPS] [-s SRCNET/PLEN] ADDR PORT
 *       N raw SYNs (default 1000) at PPS per second (default 1000), each
 *       from a random source address in SRCNET (default 198.18.0.0/15,
 *       RFC 2544's benchmarking block) and a random port, MSS option 1460:
 *       the spoofed half-open connections of a SYN flood. The SYN-ACKs go
 *       to addresses nobody answers from, so the listener's SYN queue
 *       fills and syncookies (net.ipv4.tcp_syncookies) take over.
 *       Prints "synflood: sent N SYNs to ADDR:PORT" when done.
 *
 *   connect-many [-c N] [-s ADDR] ADDR PORT
 *       Opens up to N (default 100000) TCP connections to ADDR PORT at once,
 *       each on a fresh ephemeral port, until connect() fails; prints how
 *       many it opened and the error (EADDRNOTAVAIL once
 *       net.ipv4.ip_local_port_range is exhausted), waits for the
 *       handshakes, and closes them all (they pass through TIME-WAIT):
 *         connect-many: 28232 connected, then connect: Cannot assign requested address
 *       Exit status 0 if every connect was accepted, 1 otherwise.
 *
 *   connect-many -l PORT
 *       The other end: accepts every connection on PORT and holds it until
 *       the peer closes, then closes too (so the client's side goes to
 *       TIME-WAIT). Runs until the scenario ends.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "net/skbuff.h"
#include "net/tcp.h"
#include "net/ip.h"
#include "net/route.h"
#include "net/checksum.h"
#include "net/wire/tcp.h"
#include "net/socket.h"
#include "net/stack.h"
#include "net/net_namespace.h"
#include "tools/cmd/cmd.h"

/* ---- synflood ----------------------------------------------------------- */

struct flood_job {
	struct tn_cmd_job job;
	u32 daddr, src_net, src_mask;
	u16 dport;
	unsigned long count, pps, sent;
	struct timer_list timer;
	FILE *out;
};

static struct sk_buff *flood_build(struct flood_job *fj, u32 saddr)
{
	static const u8 opts[4] = { TCPOPT_MSS, TCPOLEN_MSS, 0x05, 0xb4 };
	struct tn_stack *st = fj->job.ctx->st;
	struct sk_buff *skb = alloc_skb(st, MAX_HEADER + 24);
	struct tcp_repr r = {
		.source = (u16)(1024 + tn_prandom_below(st, 64512)),
		.dest = fj->dport,
		.seq = tn_prandom_u32(st),
		.doff = 24,
		.flags = TCPHDR_SYN,
		.window = 64240,
		.options = opts,
	};
	u8 *h;

	if (!skb)
		return NULL;
	skb_reserve(skb, MAX_HEADER);
	h = skb_put(skb, 24);
	tcp_hdr_emit(&r, h);
	r.check = csum_tcpudp_magic(saddr, fj->daddr, 24, IPPROTO_TCP, csum_partial(h, 24, 0));
	put_be16(h + 16, r.check);
	skb_reset_transport_header(skb);
	return skb;
}

static void flood_send_one(struct flood_job *fj)
{
	struct tn_stack *st = fj->job.ctx->st;
	u32 saddr = fj->src_net | (tn_prandom_u32(st) & ~fj->src_mask);
	struct sk_buff *skb = flood_build(fj, saddr);

	struct flowi4 fl4 = { .flowi4_proto = IPPROTO_TCP, .daddr = fj->daddr };
	struct rtable *rt;

	/* Routed as from ourselves (a route lookup refuses a source that is
	 * not local), sent with the spoofed one, as a raw IP_HDRINCL socket. */
	if (skb && ip_route_output_key(fj->job.net, &fl4, &rt) == 0)
		ip_send_routed(fj->job.net, NULL, skb, rt, saddr, fj->daddr, IPPROTO_TCP, NULL);
	else if (skb)
		kfree_skb(skb);
	fj->sent++;
}

static void flood_done(struct flood_job *fj)
{
	char a[16];

	del_timer(&fj->timer);
	fprintf(fj->out, "synflood: sent %lu SYNs to %s:%u\n", fj->sent, tn_ipv4_str(fj->daddr, a),
		fj->dport);
	tn_cmd_job_done(&fj->job, 0);
}

/* One tick per ms: the SYNs due by now. */
static void flood_tick(struct timer_list *t)
{
	struct flood_job *fj = from_timer(fj, t, timer);
	struct tn_stack *st = fj->job.ctx->st;
	unsigned long per_ms = fj->pps / 1000 ? fj->pps / 1000 : 1;
	u64 gap = fj->pps >= 1000 ? 1 : 1000 / fj->pps;

	for (unsigned long i = 0; i < per_ms && fj->sent < fj->count; i++)
		flood_send_one(fj);
	if (fj->sent >= fj->count) {
		flood_done(fj);
		return;
	}
	tn_mod_timer(st, &fj->timer, jiffies(st) + gap);
}

static void flood_stop(struct tn_cmd_job *job)
{
	flood_done(container_of(job, struct flood_job, job));
}

static void flood_release(struct tn_cmd_job *job)
{
	struct flood_job *fj = container_of(job, struct flood_job, job);

	del_timer(&fj->timer);
	free(fj);
}

static const struct tn_cmd_job_ops flood_ops = {
	.name = "synflood", .stop = flood_stop, .release = flood_release,
};

static int flood_usage(struct tn_cmd_ctx *ctx)
{
	tn_cmd_err(ctx, "usage: synflood [-c N] [-r PPS] [-s SRCNET/PLEN] ADDR PORT");
	return 2;
}

static int flood_parse(struct tn_cmd_ctx *ctx, struct flood_job *fj, int argc, char **argv)
{
	int i, plen = 15;
	bool has;
	unsigned long port;

	for (i = 1; i + 1 < argc && argv[i][0] == '-'; i += 2) {
		if (!strcmp(argv[i], "-c") && tn_parse_uint(argv[i + 1], 10000000, &fj->count))
			continue;
		if (!strcmp(argv[i], "-r") && tn_parse_uint(argv[i + 1], 10000000, &fj->pps) && fj->pps)
			continue;
		if (!strcmp(argv[i], "-s") && tn_cmd_parse_prefix(argv[i + 1], &fj->src_net, &plen, &has))
			continue;
		return flood_usage(ctx);
	}
	if (argc - i != 2 || !tn_cmd_parse_ipv4(argv[i], &fj->daddr) ||
	    !tn_parse_uint(argv[i + 1], 65535, &port) || !port)
		return flood_usage(ctx);
	fj->dport = (u16)port;
	fj->src_mask = plen ? ~0u << (32 - plen) : 0;
	fj->src_net &= fj->src_mask;
	return 0;
}

int do_synflood(struct tn_cmd_ctx *ctx, int argc, char **argv, FILE *out)
{
	struct flood_job *fj = calloc(1, sizeof(*fj));
	int status;

	if (!fj)
		return 1;
	fj->count = 1000;
	fj->pps = 1000;
	fj->src_net = 0xc6120000;   /* 198.18.0.0/15 */
	fj->out = out;
	fj->job.ctx = ctx;
	fj->job.net = ctx->net;
	timer_setup(&fj->timer, flood_tick);
	status = flood_parse(ctx, fj, argc, argv);
	if (status) {
		free(fj);
		return status;
	}
	tn_mod_timer(ctx->st, &fj->timer, jiffies(ctx->st));
	return tn_cmd_job_start(ctx, &fj->job, &flood_ops);
}

/* ---- connect-many ------------------------------------------------------- */

struct many_job {
	struct tn_cmd_job job;
	struct socket **socks;
	unsigned long n, connected;
	int err;
	struct timer_list timer;     /* the handshakes' deadline */
	FILE *out;
};

static void many_close_all(struct many_job *mj)
{
	for (unsigned long i = 0; i < mj->n; i++)
		if (mj->socks[i])
			sock_release(mj->socks[i]);
	mj->n = 0;
}

static void many_report(struct many_job *mj)
{
	unsigned long up = 0;

	for (unsigned long i = 0; i < mj->n; i++)
		up += tn_sockjob_connected(mj->socks[i]) > 0;
	if (mj->err)
		fprintf(mj->out, "connect-many: %lu connected, then connect: %s\n", up,
			tn_errstr(-mj->err));
	else
		fprintf(mj->out, "connect-many: %lu connected\n", up);
	fflush(mj->out);
	del_timer(&mj->timer);
	many_close_all(mj);
	tn_cmd_job_done(&mj->job, mj->err ? 1 : 0);
}

static void many_poll(struct tn_cmd_job *job)
{
	struct many_job *mj = container_of(job, struct many_job, job);

	if (job->done)
		return;
	for (unsigned long i = 0; i < mj->n; i++)
		if (tn_sockjob_connected(mj->socks[i]) == 0)
			return;
	many_report(mj);
}

static void many_deadline(struct timer_list *t)
{
	struct many_job *mj = from_timer(mj, t, timer);

	many_report(mj);
}

static void many_stop(struct tn_cmd_job *job)
{
	many_report(container_of(job, struct many_job, job));
}

static void many_release(struct tn_cmd_job *job)
{
	struct many_job *mj = container_of(job, struct many_job, job);

	del_timer(&mj->timer);
	many_close_all(mj);
	free(mj->socks);
	free(mj);
}

static const struct tn_cmd_job_ops many_ops = {
	.name = "connect-many", .stop = many_stop, .poll = many_poll, .release = many_release,
};

/* Open until max or the first failure (the error is what the test wants). */
static void many_open(struct tn_cmd_ctx *ctx, struct many_job *mj, unsigned long max, u32 saddr,
		      u32 daddr, u16 port)
{
	while (mj->n < max) {
		struct socket *s = NULL;
		int err = tn_sockjob_open(ctx->net, &s);

		if (!err && saddr)
			err = tn_sockjob_bind(s, saddr, 0);
		if (!err)
			err = tn_sockjob_connect(s, daddr, port);
		if (err) {
			if (s)
				sock_release(s);
			mj->err = err;
			return;
		}
		mj->socks[mj->n++] = s;
	}
}

/* ---- connect-many -l: accept and hold ---------------------------------- */

struct hold_job {
	struct tn_cmd_job job;
	struct socket *lsock;
	struct socket **conns;
	unsigned long n, cap;
};

static void hold_poll(struct tn_cmd_job *job)
{
	struct hold_job *hj = container_of(job, struct hold_job, job);
	struct socket *s;
	int err;
	char c[512];

	while ((s = tn_sockjob_accept(hj->lsock, &err)) != NULL) {
		if (hj->n == hj->cap) {
			unsigned long cap = hj->cap ? hj->cap * 2 : 64;
			struct socket **v = realloc(hj->conns, cap * sizeof(*v));
			if (!v) {
				sock_release(s);
				continue;
			}
			hj->conns = v;
			hj->cap = cap;
		}
		hj->conns[hj->n++] = s;
	}
	for (unsigned long i = 0; i < hj->n; i++) {
		ssize_t r;

		while ((r = tn_sockjob_recv(hj->conns[i], c, sizeof(c))) > 0)
			;
		if (r == -EAGAIN)
			continue;
		sock_release(hj->conns[i]);   /* the peer closed: close too */
		hj->conns[i--] = hj->conns[--hj->n];
	}
}

static void hold_stop(struct tn_cmd_job *job)
{
	tn_cmd_job_done(job, 0);
}

static void hold_release(struct tn_cmd_job *job)
{
	struct hold_job *hj = container_of(job, struct hold_job, job);

	for (unsigned long i = 0; i < hj->n; i++)
		sock_release(hj->conns[i]);
	if (hj->lsock)
		sock_release(hj->lsock);
	free(hj->conns);
	free(hj);
}

static const struct tn_cmd_job_ops hold_ops = {
	.name = "connect-many", .stop = hold_stop, .poll = hold_poll, .release = hold_release,
};

static int connect_many_listen(struct tn_cmd_ctx *ctx, const char *port_s)
{
	struct hold_job *hj;
	unsigned long port;
	int err;

	if (!tn_parse_uint(port_s, 65535, &port) || !port) {
		tn_cmd_err(ctx, "usage: connect-many -l PORT");
		return 2;
	}
	hj = calloc(1, sizeof(*hj));
	if (!hj)
		return 1;
	hj->job.ctx = ctx;
	err = tn_sockjob_open(ctx->net, &hj->lsock);
	if (!err)
		err = tn_sockjob_listen(hj->lsock, 0, (u16)port, 4096);
	if (err) {
		tn_cmd_err(ctx, "connect-many: %s", tn_errstr(-err));
		hold_release(&hj->job);
		return 1;
	}
	hj->job.endless = true;
	return tn_cmd_job_start(ctx, &hj->job, &hold_ops);
}

int do_connect_many(struct tn_cmd_ctx *ctx, int argc, char **argv, FILE *out)
{
	unsigned long max = 100000, port;
	u32 saddr = 0, daddr;
	struct many_job *mj;
	int i;

	if (argc == 3 && !strcmp(argv[1], "-l"))
		return connect_many_listen(ctx, argv[2]);
	for (i = 1; i + 1 < argc && argv[i][0] == '-'; i += 2) {
		if (!strcmp(argv[i], "-c") && tn_parse_uint(argv[i + 1], 1000000, &max))
			continue;
		if (!strcmp(argv[i], "-s") && tn_cmd_parse_ipv4(argv[i + 1], &saddr))
			continue;
		break;
	}
	if (argc - i != 2 || !tn_cmd_parse_ipv4(argv[i], &daddr) ||
	    !tn_parse_uint(argv[i + 1], 65535, &port) || !port) {
		tn_cmd_err(ctx, "usage: connect-many [-c N] [-s ADDR] ADDR PORT");
		return 2;
	}
	mj = calloc(1, sizeof(*mj));
	if (mj)
		mj->socks = calloc(max ? max : 1, sizeof(*mj->socks));
	if (!mj || !mj->socks) {
		free(mj);
		return 1;
	}
	mj->out = out;
	mj->job.ctx = ctx;
	timer_setup(&mj->timer, many_deadline);
	many_open(ctx, mj, max, saddr, daddr, (u16)port);
	/* The handshakes get the SYN retries' worth of time at most. */
	tn_mod_timer(ctx->st, &mj->timer, jiffies(ctx->st) + 130000);
	return tn_cmd_job_start(ctx, &mj->job, &many_ops);
}
