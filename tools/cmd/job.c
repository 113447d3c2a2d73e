/*
 * Jobs: the commands of a run that take time (ping, traceroute, tcpdump
 * -c N, sleep &), and the loop that lets the stack's time pass for them.
 *
 * A job is an event-driven state machine living on the stack: it arms its
 * own timers and registers its own callbacks (an echo listener, a capture),
 * and calls tn_cmd_job_done() when it has finished. Nothing here runs in
 * a thread of its own. What this file does is drive time:
 *
 *   - virtual time: jump the stack's clock from deadline to deadline
 *     (tn_stack_run_until_locked), so a minute of pings costs microseconds;
 *   - real time: sleep on the host clock, with the stack lock released,
 *     until the next deadline, then run what fell due. The sleep also
 *     waits on outside devices' descriptors (a TAP: tn_stack_wait_external),
 *     whose interrupts run before the step ends; with such a device the
 *     end of the run can serve (tn_cmd_jobs_serve) until a signal.
 *
 * A foreground job holds the script until it is done, as a shell waits for
 * its child; a background one (`COMMAND &`) runs while the following lines
 * do, its output interleaved with theirs in the order events happen. `wait`
 * waits for background jobs; the end of the run waits for those that end
 * by themselves and stops the others, as closing a terminal would.
 *
 * The runner never lets a job wait for something that cannot happen: if no
 * timer is pending and the job is not done, it is stopped.
 */
#include <stdarg.h>
#include <time.h>

#include "net/stack.h"
#include "tools/cmd/cmd.h"

/* Longest real sleep in one piece: other threads of an embedding program
 * may add work that the next deadline did not know about. */
#define REALTIME_SLICE_NS 10000000ull

void tn_cmd_note(struct tn_cmd_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	fflush(ctx->out);
	va_start(ap, fmt);
	vfprintf(ctx->err, fmt, ap);
	va_end(ap);
	fputc('\n', ctx->err);
	fflush(ctx->err);
}

static void jobs_poll(struct tn_cmd_ctx *ctx)
{
	struct tn_cmd_job *job;

	list_for_each_entry(job, &ctx->jobs, list)
		if (!job->done && job->ops->poll)
			job->ops->poll(job);
}

int tn_cmd_interrupted(const struct tn_cmd_ctx *ctx)
{
	return ctx->interrupted ? *ctx->interrupted : 0;
}

/* Real time: sleep, lock released, until stack time t or a slice; an
 * outside device's descriptor (a TAP) wakes the sleep and its interrupt
 * runs before this returns (tn_stack_wait_external). */
static void realtime_wait(struct tn_stack *st, u64 t)
{
	u64 now = tn_now(st);

	if (t <= now)
		return;
	tn_stack_wait_external(st, now + TN_MIN(t - now, REALTIME_SLICE_NS));
}

/* The real clock with outside devices: a frame may arrive at any time. */
static bool outside_world(const struct tn_stack *st)
{
	return !st->clock.virtual_time && tn_stack_has_fd_hooks(st);
}

bool tn_cmd_step(struct tn_cmd_ctx *ctx, u64 limit)
{
	struct tn_stack *st = ctx->st;
	u64 next = __tn_stack_next_deadline(st);
	u64 t = TN_MIN(next, limit);

	if (tn_cmd_interrupted(ctx))
		return false;
	if (t == UINT64_MAX && !outside_world(st))
		return false;
	if (st->clock.virtual_time) {
		tn_stack_run_until_locked(st, TN_MAX(t, tn_now(st)));
	} else {
		realtime_wait(st, t);
		tn_stack_run_until_locked(st, tn_now(st));
	}
	jobs_poll(ctx);
	return true;
}

void tn_cmd_advance(struct tn_cmd_ctx *ctx, u64 ns)
{
	u64 end = tn_now(ctx->st) + ns;

	while (tn_now(ctx->st) < end && !tn_cmd_interrupted(ctx))
		tn_cmd_step(ctx, end);
	/* What the last deadline raised runs before the next line. */
	tn_stack_run_until_locked(ctx->st, tn_now(ctx->st));
}

void tn_cmd_job_done(struct tn_cmd_job *job, int status)
{
	if (job->done)
		return;
	job->done = true;
	job->status = status;
}

static void job_stop(struct tn_cmd_job *job)
{
	if (!job->done)
		job->ops->stop(job);
	/* A stop that forgot to say so still ends the job. */
	tn_cmd_job_done(job, job->status);
}

static void job_release(struct tn_cmd_job *job)
{
	list_del(&job->list);
	job->ops->release(job);
}

/* Run the stack until job is done; stop it if it never can be. */
static void job_wait(struct tn_cmd_ctx *ctx, struct tn_cmd_job *job)
{
	while (!job->done)
		if (!tn_cmd_step(ctx, UINT64_MAX))
			job_stop(job);
}

int tn_cmd_job_start(struct tn_cmd_ctx *ctx, struct tn_cmd_job *job,
		     const struct tn_cmd_job_ops *ops)
{
	int status;

	job->ops = ops;
	job->ctx = ctx;
	job->net = ctx->net;
	job->file = ctx->file;
	job->line = ctx->line;
	list_add_tail(&job->list, &ctx->jobs);
	/* An endless job in the foreground would hold the script forever, so
	 * it goes to the background as if started with `&`. */
	if (ctx->background || job->endless)
		return 0;
	job_wait(ctx, job);
	status = job->status;
	job_release(job);
	return status;
}

/* Background jobs that end by themselves and have not yet. */
static struct tn_cmd_job *first_running(struct tn_cmd_ctx *ctx)
{
	struct tn_cmd_job *job;

	list_for_each_entry(job, &ctx->jobs, list)
		if (!job->done && !job->endless)
			return job;
	return NULL;
}

static void jobs_reap(struct tn_cmd_ctx *ctx)
{
	struct tn_cmd_job *job, *tmp;

	list_for_each_entry_safe(job, tmp, &ctx->jobs, list)
		if (job->done)
			job_release(job);
}

int tn_cmd_jobs_wait(struct tn_cmd_ctx *ctx)
{
	struct tn_cmd_job *job;

	while ((job = first_running(ctx)) != NULL)
		job_wait(ctx, job);
	jobs_reap(ctx);
	/* As the shell's `wait` without operands: 0, whatever the jobs
	 * returned (docs/scenarios.md). */
	return 0;
}

/* A job that has not ended, endless ones included. */
static bool any_alive(struct tn_cmd_ctx *ctx)
{
	struct tn_cmd_job *job;

	list_for_each_entry(job, &ctx->jobs, list)
		if (!job->done)
			return true;
	return false;
}

void tn_cmd_jobs_serve(struct tn_cmd_ctx *ctx)
{
	if (!outside_world(ctx->st))
		return;
	while (any_alive(ctx) && !tn_cmd_interrupted(ctx))
		tn_cmd_step(ctx, UINT64_MAX);
}

void tn_cmd_jobs_finish(struct tn_cmd_ctx *ctx)
{
	struct tn_cmd_job *job;

	tn_cmd_jobs_wait(ctx);
	list_for_each_entry(job, &ctx->jobs, list)
		job_stop(job);
	jobs_reap(ctx);
}

int do_wait(struct tn_cmd_ctx *ctx, int argc, char **argv, FILE *out)
{
	if (argc > 1) {
		tn_cmd_err(ctx, "wait: %s: only `wait` without operands is supported", argv[1]);
		return 2;
	}
	return tn_cmd_jobs_wait(ctx);
}
