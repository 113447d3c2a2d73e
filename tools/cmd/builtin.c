/*
 * The shell utilities scenario files need besides the network tools: echo
 * (explanations between steps), sleep (let the stack's time pass, which in
 * virtual time is a jump, not a wait; background jobs keep running) and
 * wait (job.c).
 *
 * Only the forms scenarios use are here: `echo [-n] WORDS`, and coreutils'
 * `sleep NUMBER[smhd]...`, the arguments summed. `sleep N &` is a job that
 * ends N seconds later, so that `wait` has something to wait for.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "net/stack.h"
#include "tools/cmd/cmd.h"

struct sleep_job {
	struct tn_cmd_job job;
	struct timer_list timer;
};

int do_echo(struct tn_cmd_ctx *ctx, int argc, char **argv, FILE *out)
{
	bool newline = true;
	int i = 1;

	if (argc > 1 && strcmp(argv[1], "-n") == 0) {
		newline = false;
		i++;
	}
	for (; i < argc; i++)
		fprintf(out, "%s%s", argv[i], i + 1 < argc ? " " : "");
	if (newline)
		fputc('\n', out);
	return 0;
}

/* One coreutils interval: a non-negative number and an optional unit. */
static bool parse_interval(const char *s, double *seconds)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || !isfinite(v) || v < 0)
		return false;
	switch (*end) {
	case '\0':
	case 's': break;
	case 'm': v *= 60; break;
	case 'h': v *= 3600; break;
	case 'd': v *= 86400; break;
	default: return false;
	}
	if (*end && end[1])
		return false;
	*seconds = v;
	return true;
}

static void sleep_expired(struct timer_list *t)
{
	struct sleep_job *s = from_timer(s, t, timer);

	tn_cmd_job_done(&s->job, 0);
}

/* Interrupted, a sleep just ends (with the status of a signal: 130). */
static void sleep_stop(struct tn_cmd_job *job)
{
	tn_cmd_job_done(job, 130);
}

static void sleep_release(struct tn_cmd_job *job)
{
	struct sleep_job *s = container_of(job, struct sleep_job, job);

	del_timer(&s->timer);
	free(s);
}

static const struct tn_cmd_job_ops sleep_job_ops = {
	.name = "sleep",
	.stop = sleep_stop,
	.release = sleep_release,
};

static int sleep_background(struct tn_cmd_ctx *ctx, u64 ns)
{
	struct sleep_job *s = calloc(1, sizeof(*s));
	u64 end = tn_now(ctx->st) + ns;

	if (!s) {
		tn_cmd_err(ctx, "sleep: %s", tn_errstr(ENOMEM));
		return 1;
	}
	timer_setup(&s->timer, sleep_expired);
	/* Timers count jiffies: round up, never wake early. */
	tn_mod_timer(ctx->st, &s->timer, (end + TN_NSEC_PER_JIFFY - 1) / TN_NSEC_PER_JIFFY);
	return tn_cmd_job_start(ctx, &s->job, &sleep_job_ops);
}

int do_sleep(struct tn_cmd_ctx *ctx, int argc, char **argv, FILE *out)
{
	double total = 0;

	if (argc < 2) {
		tn_cmd_err(ctx, "sleep: missing operand");
		return 1;
	}
	for (int i = 1; i < argc; i++) {
		double s;
		if (!parse_interval(argv[i], &s)) {
			tn_cmd_err(ctx, "sleep: invalid time interval '%s'", argv[i]);
			return 1;
		}
		total += s;
	}
	/* Ten years of stack time is the most anyone means. */
	if (total > 315360000.0)
		total = 315360000.0;
	if (ctx->background)
		return sleep_background(ctx, (u64)llround(total * 1e9));
	tn_cmd_advance(ctx, (u64)llround(total * 1e9));
	return 0;
}
