/*
 * tcpdump(8), the writing half: `tcpdump -i DEV -w FILE [-c N] [-s LEN]`
 * opens a capture (net/core/capture.c) on a device of the current
 * namespace. It is a job (job.c) that always runs in the background, as
 * `tcpdump ... &` does on Linux (a capture in the foreground would hold a
 * script until it is interrupted): it ends by itself once -c N frames are
 * written, or when the run ends, with tcpdump's "N packets captured"
 * summary. `wait` does not wait for it: on a quiet link it might never end.
 *
 * Not here yet: printing decoded packets (without -w), filters (BPF
 * expressions), -r. Flags that only change decoding (-n, -e, -v, -q, -U,
 * -p) are accepted and have no effect.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net/netdevice.h"
#include "net/capture.h"
#include "tools/cmd/cmd.h"

struct tcpdump_job {
	struct tn_cmd_job job;
	struct tn_capture *cap;
};

struct tcpdump_opts {
	const char *dev;
	const char *file;
	unsigned long count;
	unsigned long snaplen;
};

static int tcpdump_usage(struct tn_cmd_ctx *ctx, const char *why)
{
	tn_cmd_err(ctx, "tcpdump: %s", why);
	tn_cmd_err(ctx, "Usage: tcpdump -i interface -w file [ -c count ] [ -s snaplen ]");
	return 1;
}

/* Option words: 0, or the exit status after a message. */
static int tcpdump_parse(struct tn_cmd_ctx *ctx, struct tcpdump_opts *o, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (a[0] != '-' || !a[1])
			return tcpdump_usage(ctx, "filter expressions are not supported yet");
		if (strchr("icws", a[1]) && !a[2]) {
			if (i + 1 >= argc)
				return tcpdump_usage(ctx, "option requires an argument");
			const char *v = argv[++i];
			if (a[1] == 'i') {
				o->dev = v;
			} else if (a[1] == 'w') {
				o->file = v;
			} else if (!tn_parse_uint(v, a[1] == 'c' ? ~0ul : 262144,
						  a[1] == 'c' ? &o->count : &o->snaplen)) {
				tn_cmd_err(ctx, "tcpdump: invalid %s %s",
					   a[1] == 'c' ? "packet count" : "snaplen", v);
				return 1;
			}
		} else if (!a[strspn(a + 1, "nevqUplSt") + 1]) {
			continue;   /* decoding flags, no effect on a written capture */
		} else {
			return tcpdump_usage(ctx, "unknown option");
		}
	}
	return 0;
}

/* The capture only says -EIO when the file cannot be written; tcpdump
 * names the reason, which the directory usually tells. */
static int file_errno(const char *path, int err)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');

	if (err != -EIO)
		return err;
	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".");
	if (access(dir[0] ? dir : "/", W_OK) != 0)
		return -errno;
	return err;
}

static int tcpdump_open_error(struct tn_cmd_ctx *ctx, const struct tcpdump_opts *o, int err)
{
	if (err == -ENODEV)
		tn_cmd_err(ctx, "tcpdump: %s: No such device exists\n(No such device exists)", o->dev);
	else
		tn_cmd_err(ctx, "tcpdump: %s: %s", o->file, tn_errstr(file_errno(o->file, err)));
	return 1;
}

/* tcpdump prints these three lines to stderr when it stops. */
static void tcpdump_summary(struct tcpdump_job *t)
{
	unsigned long long n = tn_capture_packets(t->cap);
	struct tn_cmd_ctx *ctx = t->job.ctx;

	tn_cmd_note(ctx, "%llu packet%s captured", n, n == 1 ? "" : "s");
	tn_cmd_note(ctx, "%llu packet%s received by filter", n, n == 1 ? "" : "s");
	tn_cmd_note(ctx, "0 packets dropped by kernel");
}

static void tcpdump_stop(struct tn_cmd_job *job)
{
	tcpdump_summary(container_of(job, struct tcpdump_job, job));
	tn_cmd_job_done(job, 0);
}

static void tcpdump_poll(struct tn_cmd_job *job)
{
	struct tcpdump_job *t = container_of(job, struct tcpdump_job, job);

	if (tn_capture_done(t->cap))
		tcpdump_stop(job);
}

static void tcpdump_release(struct tn_cmd_job *job)
{
	struct tcpdump_job *t = container_of(job, struct tcpdump_job, job);

	tn_capture_close(t->cap);
	free(t);
}

static const struct tn_cmd_job_ops tcpdump_job_ops = {
	.name = "tcpdump",
	.stop = tcpdump_stop,
	.poll = tcpdump_poll,
	.release = tcpdump_release,
};

int do_tcpdump(struct tn_cmd_ctx *ctx, int argc, char **argv, FILE *out)
{
	struct tcpdump_opts o = { .dev = "any" };
	struct net_device *dev;
	struct tcpdump_job *t;
	int err, status = tcpdump_parse(ctx, &o, argc, argv);

	if (status)
		return status;
	if (!o.file)
		return tcpdump_usage(ctx, "tuxnet's tcpdump only writes files yet: use -w FILE");
	dev = strcmp(o.dev, "any") ? tn_cmd_dev(ctx, o.dev) : NULL;
	if (dev && !(dev->flags & IFF_UP)) {
		tn_cmd_err(ctx, "tcpdump: %s: That device is not up", o.dev);
		return 1;
	}
	t = calloc(1, sizeof(*t));
	if (!t) {
		tn_cmd_err(ctx, "tcpdump: %s", tn_errstr(ENOMEM));
		return 1;
	}
	t->cap = tn_capture_open(ctx->net, o.dev, o.file, (unsigned int)o.snaplen, o.count, &err);
	if (!t->cap) {
		free(t);
		return tcpdump_open_error(ctx, &o, err);
	}
	t->job.endless = true;
	/* Information, not an error: no FILE:LINE prefix. */
	tn_cmd_note(ctx, "tcpdump: listening on %s, link-type EN10MB (Ethernet), "
			 "snapshot length %lu bytes", o.dev, o.snaplen ? o.snaplen : 262144ul);
	return tn_cmd_job_start(ctx, &t->job, &tcpdump_job_ops);
}
