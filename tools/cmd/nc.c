/*
 * nc -u (netcat-openbsd, Debian's netcat): UDP datagrams between a
 * namespace's socket and a peer, as a job on the socket layer.
 *
 *   nc -u [-l] [-k] [-p PORT] [-s ADDR] [-w SECS] [-q SECS] [-e TEXT] [HOST] PORT
 *
 * The client connects its socket to HOST PORT, sends what its standard
 * input holds and prints every datagram that comes back. A scenario line
 * has no standard input, so `-e TEXT` (a tuxnet extension) stands for it:
 * TEXT and a newline, as `echo TEXT | nc -u ...` would send. The listener
 * (-l) binds PORT, prints what it receives and, like netcat-openbsd,
 * connects to the first sender so that only that peer is heard from then
 * on and -e's TEXT goes back to it; -k keeps listening to everyone.
 *
 * Ending, as netcat-openbsd: -q SECS quits SECS after standard input ends
 * (with -e, once TEXT is sent; the default waits for ever); -w SECS quits
 * after SECS without traffic; an ICMP error on the connected socket
 * (Connection refused) ends it with status 1. A listener, or a client with
 * neither, runs until the scenario ends (a background job).
 *
 * The job reads its socket without blocking each time the stack has run
 * (the runner's poll), so in virtual time nothing waits.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "net/skbuff.h"
#include "net/inet_sock.h"
#include "net/net_namespace.h"
#include "net/sock.h"
#include "net/socket.h"
#include "net/stack.h"
#include "tools/cmd/cmd.h"

#define NC_BUF 65536

struct nc_opts {
	bool udp, listen, keep;
	unsigned long lport;          /* -p, or the listener's PORT */
	u32 saddr;                    /* -s */
	long wait_ms;                 /* -w: idle timeout, -1 none */
	long quit_ms;                 /* -q: after EOF, -1 for ever */
	const char *text;             /* -e (argv's, valid while the line runs) */
	const char *host;
	unsigned long port;
};

struct nc_job {
	struct tn_cmd_job job;
	struct nc_opts o;
	struct socket *sock;
	struct timer_list quit_timer;   /* -q after EOF */
	struct timer_list idle_timer;   /* -w */
	bool connected;
	char *text;                   /* -e's TEXT, kept for a listener's reply */
	FILE *out;
	u8 buf[NC_BUF];
};

static void nc_arm(struct nc_job *nj, struct timer_list *t, long ms)
{
	struct tn_stack *st = nj->job.ctx->st;

	if (ms >= 0)
		tn_mod_timer(st, t, jiffies(st) + (u64)ms);
}

static void nc_finish(struct nc_job *nj, int status)
{
	if (nj->job.done)
		return;
	del_timer(&nj->quit_timer);
	del_timer(&nj->idle_timer);
	fflush(nj->out);
	tn_cmd_job_done(&nj->job, status);
}

static int nc_send(struct nc_job *nj, const void *data, size_t len)
{
	struct iovec iov = { .iov_base = (void *)data, .iov_len = len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };

	return nj->sock->ops->sendmsg(nj->sock, &msg, len, MSG_DONTWAIT);
}

/* What `echo TEXT |` would have put on standard input. */
static int nc_send_text(struct nc_job *nj)
{
	size_t n = strlen(nj->text);
	char *line = malloc(n + 1);
	int err;

	if (!line)
		return -ENOMEM;
	memcpy(line, nj->text, n);
	line[n] = '\n';
	err = nc_send(nj, line, n + 1);
	free(line);
	return err < 0 ? err : 0;
}

static int nc_connect(struct nc_job *nj, u32 addr, u16 port)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
		.sin_addr.s_addr = htonl(addr),
	};

	return nj->sock->ops->connect(nj->sock, (struct sockaddr *)&sin, sizeof(sin), 0);
}

/* Standard input is done: -e's TEXT went out; -q starts counting. */
static void nc_stdin_eof(struct nc_job *nj)
{
	if (nj->text) {
		int err = nc_send_text(nj);

		if (err && err != -ECONNREFUSED)
			tn_cmd_note(nj->job.ctx, "nc: write failed (%s)", tn_errstr(-err));
	}
	if (nj->o.quit_ms == 0)
		nc_finish(nj, 0);
	else
		nc_arm(nj, &nj->quit_timer, nj->o.quit_ms);
}

/* netcat-openbsd's UDP listener: the first sender becomes the peer. */
static void nc_accept_peer(struct nc_job *nj, const struct sockaddr_in *from)
{
	int err = nc_connect(nj, ntohl(from->sin_addr.s_addr), ntohs(from->sin_port));

	if (err) {
		tn_cmd_note(nj->job.ctx, "nc: connect: %s", tn_errstr(-err));
		nc_finish(nj, 1);
		return;
	}
	nj->connected = true;
	nc_stdin_eof(nj);
}

/* One datagram, if any: printed as it came. false when nothing is left. */
static bool nc_read_one(struct nc_job *nj)
{
	struct sockaddr_in from;
	struct iovec iov = { .iov_base = nj->buf, .iov_len = sizeof(nj->buf) };
	struct msghdr msg = {
		.msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &iov, .msg_iovlen = 1,
	};
	int n = nj->sock->ops->recvmsg(nj->sock, &msg, sizeof(nj->buf), MSG_DONTWAIT);

	if (n == -EAGAIN)
		return false;
	if (n < 0) {
		/* An ICMP error on the connected socket (refused,
		 * unreachable) ends the session, as read(2) failing does. */
		nc_finish(nj, 1);
		return false;
	}
	fwrite(nj->buf, 1, (size_t)n, nj->out);
	fflush(nj->out);
	del_timer(&nj->idle_timer);
	nc_arm(nj, &nj->idle_timer, nj->o.wait_ms);
	if (nj->o.listen && !nj->o.keep && !nj->connected)
		nc_accept_peer(nj, &from);
	return !nj->job.done;
}

static void nc_poll(struct tn_cmd_job *job)
{
	struct nc_job *nj = container_of(job, struct nc_job, job);

	while (!job->done && nc_read_one(nj))
		;
}

static void nc_timeout(struct timer_list *t)
{
	struct nc_job *nj = from_timer(nj, t, quit_timer);

	nc_poll(&nj->job);
	nc_finish(nj, 0);
}

static void nc_idle(struct timer_list *t)
{
	struct nc_job *nj = from_timer(nj, t, idle_timer);

	nc_poll(&nj->job);
	nc_finish(nj, 0);
}

static void nc_stop(struct tn_cmd_job *job)
{
	struct nc_job *nj = container_of(job, struct nc_job, job);

	nc_poll(job);
	nc_finish(nj, job->done ? job->status : 0);
}

static void nc_release(struct tn_cmd_job *job)
{
	struct nc_job *nj = container_of(job, struct nc_job, job);

	del_timer(&nj->quit_timer);
	del_timer(&nj->idle_timer);
	if (nj->sock)
		sock_release(nj->sock);
	free(nj->text);
	free(nj);
}

static const struct tn_cmd_job_ops nc_job_ops = {
	.name = "nc",
	.stop = nc_stop,
	.poll = nc_poll,
	.release = nc_release,
};

/* ---- options ------------------------------------------------------------ */

static int nc_usage(struct tn_cmd_ctx *ctx, const char *why)
{
	tn_cmd_err(ctx, "nc: %s", why);
	tn_cmd_err(ctx, "usage: nc -u [-lk] [-p port] [-s source] [-w timeout] [-q seconds] "
		   "[-e text] [destination] [port]");
	return 1;
}

static bool nc_parse_secs(const char *v, long *ms)
{
	char *end;
	long s = strtol(v, &end, 10);

	if (*end || end == v)
		return false;
	*ms = s < 0 ? -1 : s * 1000;
	return true;
}

static int nc_opt_value(struct tn_cmd_ctx *ctx, struct nc_opts *o, char opt, const char *v)
{
	switch (opt) {
	case 'p':
		if (!tn_parse_uint(v, 65535, &o->lport))
			return nc_usage(ctx, "port number invalid");
		return 0;
	case 's':
		return tn_cmd_parse_ipv4(v, &o->saddr) ? 0 : nc_usage(ctx, "invalid source address");
	case 'w':
		return nc_parse_secs(v, &o->wait_ms) ? 0 : nc_usage(ctx, "timeout invalid");
	case 'q':
		return nc_parse_secs(v, &o->quit_ms) ? 0 : nc_usage(ctx, "quit timeout invalid");
	case 'e':
		o->text = v;
		return 0;
	}
	return nc_usage(ctx, "invalid option");
}

static int nc_positional(struct tn_cmd_ctx *ctx, struct nc_opts *o, int n, char **pos)
{
	const char *port = n ? pos[n - 1] : NULL;

	if (n > 2 || (!o->listen && n != 2) || (o->listen && !n && !o->lport))
		return nc_usage(ctx, "missing destination or port");
	if (n == 2)
		o->host = pos[0];
	if (port && !tn_parse_uint(port, 65535, &o->port))
		return nc_usage(ctx, "port number invalid");
	if (o->listen && n == 1)
		o->lport = o->port;
	if (o->host && !tn_cmd_parse_ipv4(o->host, &(u32){ 0 }))
		return nc_usage(ctx, "getaddrinfo: Name or service not known");
	if (!o->udp)
		return nc_usage(ctx, "only UDP (-u) is supported");
	return 0;
}

static int nc_parse(struct tn_cmd_ctx *ctx, struct nc_opts *o, int argc, char **argv)
{
	char *pos[TN_CMD_MAX_ARGS];
	int npos = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (a[0] != '-' || !a[1]) {
			pos[npos++] = argv[i];
			continue;
		}
		for (const char *f = a + 1; *f; f++) {
			if (strchr("ulkvn4", *f)) {
				o->udp |= *f == 'u';
				o->listen |= *f == 'l';
				o->keep |= *f == 'k';
				continue;
			}
			const char *v = f[1] ? f + 1 : (i + 1 < argc ? argv[++i] : NULL);
			if (!v)
				return nc_usage(ctx, "option requires an argument");
			int status = nc_opt_value(ctx, o, *f, v);
			if (status)
				return status;
			break;
		}
	}
	return nc_positional(ctx, o, npos, pos);
}

/* ---- set-up ------------------------------------------------------------- */

static int nc_bind(struct nc_job *nj)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons((u16)nj->o.lport),
		.sin_addr.s_addr = htonl(nj->o.saddr),
	};

	if (!nj->o.lport && !nj->o.saddr)
		return 0;
	return nj->sock->ops->bind(nj->sock, (struct sockaddr *)&sin, sizeof(sin));
}

static int nc_start(struct tn_cmd_ctx *ctx, struct nc_job *nj)
{
	u32 daddr = 0;
	int err;

	err = __sock_create(ctx->net, AF_INET, SOCK_DGRAM, IPPROTO_UDP, &nj->sock, 1);
	if (err) {
		tn_cmd_err(ctx, "nc: socket: %s", tn_errstr(-err));
		return 1;
	}
	err = nc_bind(nj);
	if (err) {
		tn_cmd_err(ctx, "nc: %s", tn_errstr(-err));
		return 1;
	}
	if (nj->o.listen)
		return 0;
	tn_cmd_parse_ipv4(nj->o.host, &daddr);
	err = nc_connect(nj, daddr, (u16)nj->o.port);
	if (err) {
		tn_cmd_err(ctx, "nc: connect to %s port %lu (udp) failed: %s", nj->o.host,
			   nj->o.port, tn_errstr(-err));
		return 1;
	}
	nj->connected = true;
	return 0;
}

/* TCP unless -u is among the flags (nc_tcp.c takes the TCP mode, added by
 * the tcp.c engineer). Values of -p -s -w -q -e are skipped. */
static bool nc_wants_udp(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (a[0] != '-' || !a[1] || a[1] == '-')
			continue;
		for (const char *f = a + 1; *f; f++) {
			if (*f == 'u')
				return true;
			if (strchr("pswqe", *f)) {
				if (!f[1])
					i++;
				break;
			}
		}
	}
	return false;
}

int do_nc(struct tn_cmd_ctx *ctx, int argc, char **argv, FILE *out)
{
	struct nc_job *nj;
	int status;

	if (!nc_wants_udp(argc, argv))
		return do_nc_tcp(ctx, argc, argv, out);
	nj = calloc(1, sizeof(*nj));

	if (!nj) {
		tn_cmd_err(ctx, "nc: %s", tn_errstr(ENOMEM));
		return 1;
	}
	nj->o = (struct nc_opts){ .wait_ms = -1, .quit_ms = -1 };
	nj->out = out;
	nj->job.ctx = ctx;
	timer_setup(&nj->quit_timer, nc_timeout);
	timer_setup(&nj->idle_timer, nc_idle);
	status = nc_parse(ctx, &nj->o, argc, argv);
	if (nj->o.listen)
		nj->o.wait_ms = -1;   /* "-w has no effect on -l" (nc(1)) */
	if (!status && nj->o.text && !(nj->text = strdup(nj->o.text)))
		status = 1;
	if (!status)
		status = nc_start(ctx, nj);
	if (status) {
		if (nj->sock)
			sock_release(nj->sock);
		free(nj->text);
		free(nj);
		return status;
	}
	/* Without an end in sight it runs until the scenario does. */
	nj->job.endless = nj->o.listen || (nj->o.quit_ms < 0 && nj->o.wait_ms < 0);
	if (!nj->o.listen)
		nc_stdin_eof(nj);
	nc_arm(nj, &nj->idle_timer, nj->o.wait_ms);
	if (nj->job.done) {
		status = nj->job.status;
		nc_release(&nj->job);
		return status;
	}
	return tn_cmd_job_start(ctx, &nj->job, &nc_job_ops);
}
