/*
 * The iperf3 command of `tuxnet run`: iperf3's engine (iperf3.c) as a job
 * on the socket layer of the namespace it was started in.
 *
 *   iperf3 -s [-p PORT] [-1] [--digest]
 *   iperf3 -c HOST [-p PORT] [-t SECS] [-n BYTES] [-P STREAMS] [-R]
 *          [-i INTERVAL] [-l LEN] [--digest]
 *
 * The transport is the kernel-side sockets of sockjob.c; the engine's
 * deadline is one stack timer, so the test runs on the stack's clock (a
 * 10 s test over a 100 ms link takes milliseconds in virtual time) and the
 * job is polled after each step of the stack, as every job is. The cookie
 * comes from the stack's seeded generator: a run with one seed prints the
 * same bytes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "net/skbuff.h"
#include "net/tcp.h"
#include "net/socket.h"
#include "net/stack.h"
#include "net/net_namespace.h"
#include "tools/cmd/cmd.h"
#include "tools/cmd/iperf3.h"

struct iperf_job {
	struct tn_cmd_job job;
	struct iperf_opts o;
	u32 daddr;
	struct socket *lsock;         /* server */
	struct iperf_test *test;
	struct timer_list timer;      /* the engine's next deadline */
};

static struct tn_stack *ij_stack(const struct iperf_job *ij) { return ij->job.ctx->st; }

/* ---- the transport: sockjob sockets ---------------------------------------- */

static u64 ij_now(void *io)
{
	return tn_now(ij_stack(io));
}

static void ij_random(void *io, u8 *buf, size_t n)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = (u8)tn_prandom_below(ij_stack(io), 256);
}

static int ij_connect(void *io, void **conn)
{
	struct iperf_job *ij = io;
	struct socket *sock;
	int err = tn_sockjob_open(ij->job.net, &sock);

	if (err)
		return err;
	err = tn_sockjob_connect(sock, ij->daddr, (u16)ij->o.port);
	if (err) {
		sock_release(sock);
		return err;
	}
	*conn = sock;
	return 0;
}

static int ij_connected(void *io, void *conn)
{
	return tn_sockjob_connected(conn);
}

static void *ij_accept(void *io, int *err)
{
	struct iperf_job *ij = io;

	return tn_sockjob_accept(ij->lsock, err);
}

static ssize_t ij_send(void *io, void *conn, const void *buf, size_t len)
{
	return tn_sockjob_send(conn, buf, len);
}

static ssize_t ij_recv(void *io, void *conn, void *buf, size_t len)
{
	return tn_sockjob_recv(conn, buf, len);
}

static void ij_shutdown(void *io, void *conn)
{
	struct socket *sock = conn;

	sock->ops->shutdown(sock, SHUT_WR);
}

static void ij_close(void *io, void *conn)
{
	sock_release(conn);
}

static u16 ij_name(void *io, void *conn, bool peer, char *addr)
{
	return tn_sockjob_name(conn, peer, addr);
}

static void ij_tcp_info(void *io, void *conn, u32 *retrans, u64 *cwnd)
{
	struct socket *sock = conn;
	struct tn_tcp_info ti;

	tcp_get_info(sock->sk, &ti);
	*retrans = ti.tcpi_total_retrans;
	*cwnd = (u64)ti.tcpi_snd_cwnd * ti.tcpi_snd_mss;
}

static const struct iperf_io_ops ij_io_ops = {
	.now = ij_now,
	.random = ij_random,
	.connect = ij_connect,
	.connected = ij_connected,
	.accept = ij_accept,
	.send = ij_send,
	.recv = ij_recv,
	.shutdown = ij_shutdown,
	.close = ij_close,
	.name = ij_name,
	.tcp_info = ij_tcp_info,
};

/* ---- the job ----------------------------------------------------------------- */

/* Nothing to do here: the poll that follows the step runs the engine. The
 * timer only makes the stack's clock stop at the engine's deadline. */
static void ij_timer_fire(struct timer_list *t)
{
}

static void ij_arm(struct iperf_job *ij)
{
	u64 d = iperf_test_deadline(ij->test);

	if (d == UINT64_MAX) {
		del_timer(&ij->timer);
		return;
	}
	/* Round up to the next jiffy: the engine runs at or after d. */
	tn_mod_timer(ij_stack(ij), &ij->timer, (d + TN_NSEC_PER_JIFFY - 1) / TN_NSEC_PER_JIFFY);
}

static void ij_finish(struct iperf_job *ij, int status)
{
	del_timer(&ij->timer);
	if (ij->lsock) {
		sock_release(ij->lsock);
		ij->lsock = NULL;
	}
	tn_cmd_job_done(&ij->job, status);
}

static void ij_poll(struct tn_cmd_job *job)
{
	struct iperf_job *ij = container_of(job, struct iperf_job, job);
	int status;

	if (job->done)
		return;
	iperf_test_run(ij->test);
	if (iperf_test_done(ij->test, &status)) {
		ij_finish(ij, status);
		return;
	}
	ij_arm(ij);
}

static void ij_stop(struct tn_cmd_job *job)
{
	struct iperf_job *ij = container_of(job, struct iperf_job, job);
	int status;

	iperf_test_stop(ij->test);
	iperf_test_done(ij->test, &status);
	ij_finish(ij, status);
}

static void ij_release(struct tn_cmd_job *job)
{
	struct iperf_job *ij = container_of(job, struct iperf_job, job);

	del_timer(&ij->timer);
	iperf_test_free(ij->test);
	if (ij->lsock)
		sock_release(ij->lsock);
	free(ij);
}

static const struct tn_cmd_job_ops ij_job_ops = {
	.name = "iperf3",
	.stop = ij_stop,
	.poll = ij_poll,
	.release = ij_release,
};

/* ---- options ------------------------------------------------------------------- */

static int ip_usage(struct tn_cmd_ctx *ctx, const char *why)
{
	tn_cmd_err(ctx, "iperf3: parameter error - %s", why);
	tn_cmd_err(ctx, "Usage: iperf3 [-s|-c host] [-p port] [-t secs] [-n bytes] [-P streams] "
		   "[-R] [-i interval] [-l len] [-1] [--digest]");
	return 1;
}

/* "10", "1.5", "100K", "2M" (iperf3 suffixes: K/M/G, 1024-based). */
static bool ip_num(const char *s, double *v)
{
	char *end;
	double x = strtod(s, &end);

	if (end == s || x < 0)
		return false;
	switch (*end) {
	case 'k': case 'K': x *= 1024; end++; break;
	case 'm': case 'M': x *= 1024 * 1024; end++; break;
	case 'g': case 'G': x *= 1024.0 * 1024 * 1024; end++; break;
	}
	*v = x;
	return *end == '\0';
}

static int ip_opt(struct tn_cmd_ctx *ctx, struct iperf_job *ij, const char *o, const char *v)
{
	struct iperf_opts *p = &ij->o;
	double x;

	if (!strcmp(o, "-c")) {
		p->host = v;
		return tn_cmd_parse_ipv4(v, &ij->daddr) ? 0 : ip_usage(ctx, "bad host");
	}
	if (!ip_num(v, &x))
		return ip_usage(ctx, "bad number");
	if (!strcmp(o, "-p") && x >= 1 && x <= 65535)
		p->port = (unsigned long)x;
	else if (!strcmp(o, "-t"))
		p->time_ms = (u64)(x * 1000);
	else if (!strcmp(o, "-n"))
		p->bytes = (u64)x;
	else if (!strcmp(o, "-P") && x >= 1 && x <= IPERF_MAX_STREAMS)
		p->streams = (unsigned int)x;
	else if (!strcmp(o, "-i"))
		p->interval_ms = (u64)(x * 1000);
	else if (!strcmp(o, "-l") && x >= 1 && x <= IPERF_DEFAULT_LEN)
		p->len = (u64)x;
	else
		return ip_usage(ctx, "bad option value");
	return 0;
}

static int ip_parse(struct tn_cmd_ctx *ctx, struct iperf_job *ij, int argc, char **argv)
{
	struct iperf_opts *p = &ij->o;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-s"))
			p->server = true;
		else if (!strcmp(a, "-1") || !strcmp(a, "--one-off"))
			p->one_off = true;
		else if (!strcmp(a, "-R") || !strcmp(a, "--reverse"))
			p->reverse = true;
		else if (!strcmp(a, "--digest"))
			p->digest = true;
		else if (strchr("cptnPil", a[1]) && a[0] == '-' && a[1] && !a[2]) {
			if (i + 1 >= argc)
				return ip_usage(ctx, "option requires an argument");
			int status = ip_opt(ctx, ij, a, argv[++i]);
			if (status)
				return status;
		} else {
			return ip_usage(ctx, "unknown option");
		}
	}
	if (p->server == !!p->host)
		return ip_usage(ctx, "must either be a client (-c) or server (-s)");
	return 0;
}

static int ip_start(struct tn_cmd_ctx *ctx, struct iperf_job *ij, FILE *out)
{
	int err;

	ij->test = iperf_test_new(&ij->o, &ij_io_ops, ij, out, ctx->err);
	if (!ij->test) {
		tn_cmd_err(ctx, "iperf3: %s", tn_errstr(ENOMEM));
		return 1;
	}
	if (ij->o.server) {
		err = tn_sockjob_open(ctx->net, &ij->lsock);
		if (!err)
			err = tn_sockjob_listen(ij->lsock, 0, (u16)ij->o.port, 128);
		if (err) {
			tn_cmd_err(ctx, "iperf3: error - unable to start listener for connections: %s",
				   tn_errstr(-err));
			return 1;
		}
	}
	err = iperf_test_start(ij->test);
	if (err) {
		tn_cmd_err(ctx, "iperf3: error - unable to connect to server: %s", tn_errstr(-err));
		return 1;
	}
	return 0;
}

int do_iperf3(struct tn_cmd_ctx *ctx, int argc, char **argv, FILE *out)
{
	struct iperf_job *ij = calloc(1, sizeof(*ij));
	int status;

	if (!ij) {
		tn_cmd_err(ctx, "iperf3: %s", tn_errstr(ENOMEM));
		return 1;
	}
	ij->job.ctx = ctx;
	ij->job.net = ctx->net;
	ij->o = (struct iperf_opts){ .port = IPERF_PORT, .time_ms = 10000, .streams = 1,
				     .len = IPERF_DEFAULT_LEN, .interval_ms = 1000 };
	timer_setup(&ij->timer, ij_timer_fire);
	status = ip_parse(ctx, ij, argc, argv);
	if (!status)
		status = ip_start(ctx, ij, out);
	if (status) {
		ij_release(&ij->job);
		return status;
	}
	/* A server without -1 serves until the scenario ends. */
	ij->job.endless = ij->o.server && !ij->o.one_off;
	return tn_cmd_job_start(ctx, &ij->job, &ij_job_ops);
}
