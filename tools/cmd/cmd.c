/*
 * The command dispatcher behind tn_command() and the `tuxnet` tool: the
 * table of commands, the run context, and the loops that feed it lines
 * (one line, or a script whose first failing line stops the run).
 *
 * It is the user-space end of what Linux splits between a shell, the tools
 * and netlink: commands call the stack's functions directly, under the
 * stack lock, in process context. It is not a shell (see lexer.c) and it
 * never touches the host's network configuration: every command acts on the
 * namespaces of the tuxnet stack it was given.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "tuxnet/tuxnet.h"
#include "net/stack.h"
#include "net/net_namespace.h"
#include "tools/cmd/cmd.h"

/* Every command a line may start with. */
const struct tn_cmd tn_cmd_table[] = {
	{ "ip", do_ip, "ip [ -n NS | -s | -br ] { link | address | route | neigh | netns } ..." },
	{ "tc", do_tc, "tc [ -n NS ] [ -s ] qdisc { add | replace | change | del | show } [ dev DEV ] ..." },
	{ "ping", do_ping, "ping [-c N] [-s SIZE] [-t TTL] [-i S] [-W S] [-w S] [-M do|dont|want] [-q] [-I DEV] ADDR" },
	{ "nc", do_nc, "nc -u [-l] [-k] [-p PORT] [-s ADDR] [-w S] [-q S] [-e TEXT] [HOST] PORT" },
	{ "iperf3", do_iperf3, "iperf3 -s [-p PORT] [-1] | -c HOST [-p PORT] [-t S] [-n BYTES] [-P N] [-R] [-i S] [-l LEN] [--digest]" },
	{ "ss", do_ss, "ss [-t] [-a] [-l] [-n] [-i] [-m] [-o] [-e]   (TCP sockets)" },
	{ "synflood", do_synflood, "synflood [-c N] [-r PPS] [-s SRCNET] ADDR PORT   (spoofed SYNs, inside tuxnet only)" },
	{ "connect-many", do_connect_many, "connect-many [-c N] [-s ADDR] ADDR PORT   (TCP connects until the ports run out)" },
	{ "httpd", do_httpd, "httpd -p PORT -d DIR [-s ADDR] [-v]   (HTTP/1.1 GET/HEAD file server, a job)" },
	{ "curl", do_curl, "curl [-s] [-S] [-f] [-I] [-o FILE]... [-m S] [--connect-timeout S] URL..." },
	{ "traceroute", do_traceroute, "traceroute [-I] [-n] [-m MAXTTL] [-q N] [-w S] ADDR [LEN]" },
	{ "nstat", do_nstat, "nstat [-a] [-z] [-s] [PATTERN...]   (counters changed since the last nstat)" },
	{ "netstat", do_netstat, "netstat -s   (protocol statistics)" },
	{ "sysctl", do_sysctl, "sysctl [-n] [-a | KEY | -w KEY=VALUE]" },
	{ "ethtool", do_ethtool, "ethtool [ -i | -g | -G DEV rx N | -S ] DEV" },
	{ "tcpdump", do_tcpdump, "tcpdump -i DEV -w FILE [-c N]   (a job; without -c it runs until the end)" },
	{ "arping", do_arping, "arping [-c N] [-w S] [-f] [-b] -I DEV ADDR" },
	{ "echo", do_echo, "echo [-n] TEXT..." },
	{ "sleep", do_sleep, "sleep SECONDS   (stack time; jobs keep running)" },
	{ "wait", do_wait, "wait   (for every background job: COMMAND &)" },
};
const unsigned int tn_cmd_table_len = ARRAY_SIZE(tn_cmd_table);

void tn_cmd_ctx_init(struct tn_cmd_ctx *ctx, struct tn_stack *st, FILE *out, FILE *err)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->st = st;
	ctx->net = st->init_net;
	ctx->out = out;
	ctx->err = err ? err : out;
	INIT_LIST_HEAD(&ctx->jobs);
}

void tn_cmd_ctx_exit(struct tn_cmd_ctx *ctx)
{
	/* Messages of jobs that end now name no line of the script. */
	ctx->file = NULL;
	tn_cmd_jobs_finish(ctx);
	tn_nstat_history_free(ctx);
	fflush(ctx->out);
	fflush(ctx->err);
}

void tn_cmd_err(struct tn_cmd_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	/* Keep what was printed so far in order with the diagnostic when both
	 * go to one terminal. */
	fflush(ctx->out);
	if (ctx->file)
		fprintf(ctx->err, "%s:%u: ", ctx->file, ctx->line);
	va_start(ap, fmt);
	vfprintf(ctx->err, fmt, ap);
	va_end(ap);
	fputc('\n', ctx->err);
	fflush(ctx->err);
}

const struct tn_cmd *tn_cmd_find(const char *name)
{
	for (unsigned int i = 0; i < tn_cmd_table_len; i++)
		if (strcmp(tn_cmd_table[i].name, name) == 0)
			return &tn_cmd_table[i];
	return NULL;
}

/* `! COMMAND`: the shell's negation, for steps that are meant to fail
 * (a ping that shows an error); `COMMAND &`: a background job. */
static int run_words(struct tn_cmd_ctx *ctx, int argc, char **argv)
{
	const struct tn_cmd *cmd;

	if (argc > 1 && strcmp(argv[0], "!") == 0)
		return !run_words(ctx, argc - 1, argv + 1);
	if (argc == 0)
		return 0;
	cmd = tn_cmd_find(argv[0]);
	if (!cmd) {
		tn_cmd_err(ctx, "%s: command not found", argv[0]);
		return TN_CMD_NOT_FOUND;
	}
	return cmd->fn(ctx, argc, argv, ctx->out);
}

int tn_cmd_run_argv(struct tn_cmd_ctx *ctx, int argc, char **argv)
{
	bool saved = ctx->background;
	int status;

	if (argc > 1 && strcmp(argv[argc - 1], "&") == 0) {
		argv[--argc] = NULL;
		ctx->background = true;
	}
	status = run_words(ctx, argc, argv);
	ctx->background = saved;
	return status;
}

int tn_cmd_run_line(struct tn_cmd_ctx *ctx, const char *line)
{
	char buf[TN_CMD_MAX_LINE];
	char *argv[TN_CMD_MAX_ARGS];
	const char *why = NULL;
	int status, argc = tn_cmd_tokenize(line, buf, sizeof(buf), argv, TN_CMD_MAX_ARGS, &why);

	if (argc < 0) {
		tn_cmd_err(ctx, "syntax error: %s", why);
		return 2;
	}
	/* A traced run shows each command as typed; an echo is narration and
	 * shows only its text. */
	if (argc > 0 && ctx->trace && strcmp(argv[0], "echo")) {
		fprintf(ctx->out, "$ %s\n", line + strspn(line, " \t"));
		fflush(ctx->out);
	}
	status = tn_cmd_run_argv(ctx, argc, argv);
	/* Like a system call returning to user space: the work the command
	 * raised (a frame sent to a peer, a gratuitous ARP) runs now, before
	 * the next line, without letting time pass. */
	tn_stack_run_until_locked(ctx->st, tn_now(ctx->st));
	return status;
}

/*
 * Copy the next logical line of a script into buf: one physical line, or
 * several joined where a line ends with a backslash. Returns the text after
 * it and counts the physical lines consumed in *nlines.
 */
static const char *next_line(const char *p, char *buf, size_t len, unsigned int *nlines)
{
	size_t n = 0;

	*nlines = 0;
	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t seg = eol ? (size_t)(eol - p) : strlen(p);
		bool cont = seg > 0 && p[seg - 1] == '\\';
		size_t take = cont ? seg - 1 : seg;

		if (n + take >= len)
			take = len - n - 1;
		memcpy(buf + n, p, take);
		n += take;
		(*nlines)++;
		p = eol ? eol + 1 : p + seg;
		if (!cont)
			break;
	}
	buf[n] = '\0';
	return p;
}

int tn_cmd_run_script(struct tn_cmd_ctx *ctx, const char *text, const char *name)
{
	char line[TN_CMD_MAX_LINE];
	unsigned int next_lineno = 1, used;
	const char *p = text;

	ctx->file = name;
	while (*p) {
		ctx->line = next_lineno;
		p = next_line(p, line, sizeof(line), &used);
		next_lineno += used;
		int status = tn_cmd_run_line(ctx, line);
		/* SIGINT/SIGTERM: the script ends here, as a shell killed by it. */
		if (tn_cmd_interrupted(ctx)) {
			ctx->file = NULL;
			return 128 + tn_cmd_interrupted(ctx);
		}
		if (status) {
			/* Say where the run stopped even if the command itself
			 * printed nothing (arping without replies). */
			if (name)
				tn_cmd_err(ctx, "stopped: exit status %d", status);
			ctx->file = NULL;
			return status;
		}
	}
	ctx->file = NULL;
	return 0;
}

TN_EXPORT int tn_command(struct tn_stack *st, const char *line, FILE *out)
{
	struct tn_cmd_ctx ctx;
	int status;

	if (!st || !line) {
		errno = EINVAL;
		return -1;
	}
	if (!out)
		out = stdout;
	tn_stack_lock(st);
	tn_cmd_ctx_init(&ctx, st, out, out);
	status = tn_cmd_run_script(&ctx, line, NULL);
	tn_cmd_ctx_exit(&ctx);
	tn_stack_unlock(st);
	return status;
}
