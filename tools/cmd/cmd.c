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
#include <time.h>

#include "tuxnet/tuxnet.h"
#include "net/stack.h"
#include "net/net_namespace.h"
#include "net/capture.h"
#include "tools/cmd/cmd.h"

/* Every command a line may start with. The IPv4 work adds ping, tc, ss,
 * traceroute... here. */
const struct tn_cmd tn_cmd_table[] = {
	{ "ip", do_ip, "ip [ -n NS | -s | -br ] { link | address | neigh | netns } ..." },
	{ "sysctl", do_sysctl, "sysctl [-n] [-a | KEY | -w KEY=VALUE]" },
	{ "ethtool", do_ethtool, "ethtool [ -i | -g | -G DEV rx N | -S ] DEV" },
	{ "tcpdump", do_tcpdump, "tcpdump -i DEV -w FILE [-c N]   (runs until the end)" },
	{ "arping", do_arping, "arping [-c N] [-w S] [-f] [-b] -I DEV ADDR" },
	{ "echo", do_echo, "echo [-n] TEXT..." },
	{ "sleep", do_sleep, "sleep SECONDS   (stack time)" },
};
const unsigned int tn_cmd_table_len = ARRAY_SIZE(tn_cmd_table);

void tn_cmd_ctx_init(struct tn_cmd_ctx *ctx, struct tn_stack *st, FILE *out, FILE *err)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->st = st;
	ctx->net = st->init_net;
	ctx->out = out;
	ctx->err = err ? err : out;
}

/* tcpdump prints these three lines to stderr when it stops. */
static void capture_summary(struct tn_cmd_ctx *ctx, const struct tn_cmd_capture *c)
{
	unsigned long long n = tn_capture_packets(c->cap);

	fprintf(ctx->err, "%llu packet%s captured\n", n, n == 1 ? "" : "s");
	fprintf(ctx->err, "%llu packet%s received by filter\n", n, n == 1 ? "" : "s");
	fprintf(ctx->err, "0 packets dropped by kernel\n");
}

void tn_cmd_ctx_exit(struct tn_cmd_ctx *ctx)
{
	for (unsigned int i = 0; i < ctx->ncaptures; i++) {
		capture_summary(ctx, &ctx->captures[i]);
		tn_capture_close(ctx->captures[i].cap);
	}
	ctx->ncaptures = 0;
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

int tn_cmd_run_argv(struct tn_cmd_ctx *ctx, int argc, char **argv)
{
	const struct tn_cmd *cmd;

	/* Commands that run in the background on Linux (`tcpdump ... &`)
	 * already do here: they live in the context until the run ends. */
	if (argc > 1 && strcmp(argv[argc - 1], "&") == 0)
		argv[--argc] = NULL;
	if (argc == 0)
		return 0;
	cmd = tn_cmd_find(argv[0]);
	if (!cmd) {
		tn_cmd_err(ctx, "%s: command not found", argv[0]);
		return TN_CMD_NOT_FOUND;
	}
	return cmd->fn(ctx, argc, argv, ctx->out);
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

void tn_cmd_advance(struct tn_cmd_ctx *ctx, u64 ns)
{
	struct tn_stack *st = ctx->st;
	u64 end = tn_now(st) + ns;

	if (st->clock.virtual_time) {
		tn_stack_run_until_locked(st, end);
		return;
	}
	/* Real time: let the stack (and any other thread) have the lock while
	 * we wait, running what falls due in steps of at most 1 ms. */
	for (;;) {
		tn_stack_run_until_locked(st, tn_now(st));
		u64 now = tn_now(st);
		if (now >= end)
			break;
		u64 wait = TN_MIN(end - now, (u64)1000000);
		struct timespec ts = { .tv_sec = 0, .tv_nsec = (long)wait };
		tn_stack_unlock(st);
		nanosleep(&ts, NULL);
		tn_stack_lock(st);
	}
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
