/*
 * The `tuxnet` command: a whole network in one unprivileged process. Each
 * invocation builds a fresh stack and feeds it Linux commands through the
 * command layer (tools/cmd):
 *
 *   tuxnet run [--realtime] [--seed N] [-x] FILE
 *                         a scenario: one command per line, jobs (`&`,
 *                         `wait`), virtual time unless --realtime
 *   tuxnet exec FILE      the same (the older name)
 *   tuxnet cmd 'LINE'     one command (mostly for tests)
 *   tuxnet demo           examples/routed-pmtu.tn, told step by step
 *
 * A scenario stops at its first failing line, with "FILE:LINE: " in front of
 * the message and the line's exit status as the tool's. It never touches the
 * host's network: every namespace, device and address lives inside the
 * stack this process creates -- except a TAP device (`ip link add NAME type
 * tap hostdev HOST`, --realtime only), whose host side appears in the
 * namespace the process runs in. A scenario with one keeps serving at its
 * end while any job (httpd &, nc -l &, iperf3 -s &) is alive, until SIGINT
 * or SIGTERM; then jobs stop and the stack, TAP included, is torn down.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tuxnet/tuxnet.h"
#include "net/stack.h"
#include "tools/cmd/cmd.h"

/* examples/routed-pmtu.tn, embedded by the build (cmake/embed.cmake). */
extern const char tn_demo_script[];

#define DEMO_NAME "routed-pmtu.tn"

/* The signal that asked the run to end (SIGINT, SIGTERM), 0 until then. The
 * one file-scope variable of the tool: a handler can reach nothing else. */
static volatile sig_atomic_t run_interrupted;

static void on_signal(int sig)
{
	run_interrupted = sig;
}

/* SIGINT/SIGTERM end the run cleanly: the loop notices the flag, stops the
 * jobs and destroys the stack (a TAP's host side goes with it). No
 * SA_RESTART, so a sleep in poll() returns at once. The handler stays: a
 * signal repeated (timeout(1) sends one to the child and one to its
 * process group) must not kill the process halfway through the teardown. */
static void catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = 0;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* How a run is made. */
struct run_opts {
	bool realtime;
	bool trace;                   /* print "$ LINE" before each line */
	unsigned long long seed;
	const char *path;
};

/* ---- running ---------------------------------------------------------- */

static struct tn_stack *tool_stack(const struct run_opts *o)
{
	struct tn_stack_config cfg = { .virtual_time = !o->realtime, .seed = o->seed };
	struct tn_stack *st = tn_stack_create(&cfg);

	if (!st)
		fprintf(stderr, "tuxnet: cannot create a stack: %s\n", strerror(errno));
	return st;
}

/* Run text as a script in a fresh stack. name: for "FILE:LINE: " messages. */
static int tool_run_text(const char *text, const char *name, const struct run_opts *o, FILE *err)
{
	struct tn_stack *st = tool_stack(o);
	struct tn_cmd_ctx ctx;
	int status;

	if (!st)
		return 1;
	tn_stack_lock(st);
	tn_cmd_ctx_init(&ctx, st, stdout, err);
	ctx.trace = o->trace;
	ctx.interrupted = &run_interrupted;
	status = tn_cmd_run_script(&ctx, text, name);
	/* With a TAP the world outside may still talk to the servers. */
	if (!status)
		tn_cmd_jobs_serve(&ctx);
	/* The end of the file: jobs that end by themselves finish, captures
	 * stop (the `wait` a shell script would need is implied). */
	tn_cmd_ctx_exit(&ctx);
	tn_stack_unlock(st);
	tn_stack_destroy(st);
	return status > 255 ? 255 : status;
}

static char *read_all(FILE *f)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);

	while (buf) {
		size_t n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
		if (n == 0)
			break;
		if (len + 1 == cap) {
			char *p = realloc(buf, cap * 2);
			if (!p) {
				free(buf);
				return NULL;
			}
			buf = p;
			cap *= 2;
		}
	}
	if (buf)
		buf[len] = '\0';
	return buf;
}

static int run_usage(const char *verb)
{
	fprintf(stderr, "Usage: tuxnet %s [--realtime] [--seed N] [-x] FILE\n", verb);
	return 2;
}

/* Options of run/exec; 0 or the exit status of a usage error. */
static int parse_run_opts(int argc, char **argv, struct run_opts *o)
{
	int i;

	for (i = 2; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		char *end;
		if (strcmp(argv[i], "--realtime") == 0) {
			o->realtime = true;
		} else if (strcmp(argv[i], "-x") == 0) {
			o->trace = true;
		} else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
			errno = 0;
			o->seed = strtoull(argv[++i], &end, 0);
			if (errno || *end || !*argv[i] || argv[i][0] == '-') {
				fprintf(stderr, "tuxnet: bad seed \"%s\"\n", argv[i]);
				return 2;
			}
		} else {
			return run_usage(argv[1]);
		}
	}
	if (i + 1 != argc)
		return run_usage(argv[1]);
	o->path = argv[i];
	return 0;
}

static int cmd_run(int argc, char **argv)
{
	struct run_opts o = { 0 };
	FILE *f;
	char *text;
	int status = parse_run_opts(argc, argv, &o);

	if (status)
		return status;
	f = strcmp(o.path, "-") ? fopen(o.path, "r") : stdin;
	if (!f) {
		fprintf(stderr, "tuxnet: %s: %s\n", o.path, strerror(errno));
		return 2;
	}
	text = read_all(f);
	if (f != stdin)
		fclose(f);
	if (!text) {
		fprintf(stderr, "tuxnet: %s: cannot read\n", o.path);
		return 2;
	}
	status = tool_run_text(text, o.path, &o, stderr);
	free(text);
	return status;
}

/* `tuxnet cmd 'LINE'`, or the words of a line given separately. */
static int cmd_cmd(int argc, char **argv)
{
	struct run_opts o = { 0 };
	char line[TN_CMD_MAX_LINE] = "";
	size_t n = 0;

	if (argc < 3) {
		fprintf(stderr, "Usage: tuxnet cmd 'COMMAND LINE'\n");
		return 2;
	}
	for (int i = 2; i < argc && n < sizeof(line); i++)
		n += (size_t)snprintf(line + n, sizeof(line) - n, "%s%s", i > 2 ? " " : "", argv[i]);
	return tool_run_text(line, NULL, &o, stderr);
}

/* ---- demo ------------------------------------------------------------- */

static int cmd_demo(int argc, char **argv)
{
	struct run_opts o = { .trace = true };

	if (argc > 2 && strcmp(argv[2], "--script") == 0) {
		fputs(tn_demo_script, stdout);
		return 0;
	}
	if (argc > 2) {
		fprintf(stderr, "Usage: tuxnet demo [--script]\n");
		return 2;
	}
	printf("tuxnet %s demo: every command below runs inside this one process, on a\n"
	       "virtual clock; nothing on this machine's own network is touched.\n"
	       "(This is examples/" DEMO_NAME "; `tuxnet demo --script` prints it.)\n\n",
	       tn_version());
	/* One transcript: diagnostics in order with the output. */
	return tool_run_text(tn_demo_script, DEMO_NAME, &o, stdout);
}

/* ---- main ------------------------------------------------------------- */

static void usage(FILE *f)
{
	fprintf(f, "Usage: tuxnet COMMAND [ARGS]\n"
		   "  version            print the version\n"
		   "  help               this text\n"
		   "  cmd 'LINE'         run one command line in a fresh stack\n"
		   "  run [--realtime] [--seed N] [-x] FILE\n"
		   "                     run a scenario ('-' for stdin): one command per line,\n"
		   "                     'COMMAND &' and 'wait' for jobs, '! COMMAND' for a step\n"
		   "                     meant to fail; it stops at the first failing line.\n"
		   "                     Virtual time unless --realtime; -x shows each line\n"
		   "  exec FILE          the same as run\n"
		   "  demo [--script]    a routed path with a smaller MTU: ping, fragments,\n"
		   "                     path MTU discovery, traceroute and the counters\n"
		   "\nCommand lines (as on Linux, on tuxnet's own namespaces; docs/scenarios.md):\n");
	for (unsigned int i = 0; i < tn_cmd_table_len; i++)
		fprintf(f, "  %s\n", tn_cmd_table[i].usage);
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "help";

	catch_signals();
	if (!strcmp(cmd, "version") || !strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
		printf("tuxnet %s\n", tn_version());
		return 0;
	}
	if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(cmd, "cmd"))
		return cmd_cmd(argc, argv);
	if (!strcmp(cmd, "exec") || !strcmp(cmd, "run"))
		return cmd_run(argc, argv);
	if (!strcmp(cmd, "demo"))
		return cmd_demo(argc, argv);
	fprintf(stderr, "tuxnet: unknown command \"%s\"\n", cmd);
	usage(stderr);
	return 2;
}
