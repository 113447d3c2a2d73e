/*
 * The command layer: the Linux commands (ip, sysctl, ethtool, tcpdump,
 * arping, echo, sleep) that tn_command() and the `tuxnet` tool run against a
 * stack's namespaces.
 *
 * A command is a row of tn_cmd_table[]: a name and a handler that gets the
 * tokenised words of one line, as main() would. Handlers run in process
 * context with the stack lock held, print their normal output to `out` and
 * their diagnostics, in the words of the Linux tool, through tn_cmd_err(),
 * and return the exit status the Linux tool would have returned.
 *
 * A tn_cmd_ctx is one run (a tn_command() call, a script file, the demo):
 * it carries the stack, the namespace commands act on (changed by
 * `ip netns exec NS` and `ip -n NS`), where the line came from (for
 * "FILE:LINE: " prefixes), and what outlives a single line: jobs.
 *
 * Commands that take time (ping, traceroute, tcpdump -c, sleep &) are
 * jobs (job.c): state machines driven by the stack's timers and callbacks,
 * never threads. A foreground job makes the runner advance the stack from
 * deadline to deadline until the job is done; `COMMAND &` leaves it running
 * while the next lines run, printing as it goes, as on a terminal.
 */
#ifndef TN_TOOLS_CMD_CMD_H
#define TN_TOOLS_CMD_CMD_H

#include <signal.h>
#include <stdio.h>

#include "net/compiler.h"
#include "lib/list.h"

struct tn_stack;
struct net;
struct net_device;
struct tn_capture;

#define TN_CMD_MAX_ARGS 128
#define TN_CMD_MAX_LINE 4096

struct tn_cmd_ctx;
struct tn_cmd_job;
struct tn_nstat_history;

/* What the runner needs to know about a kind of job. */
struct tn_cmd_job_ops {
	const char *name;
	/* Stop now, as the tool does when interrupted (^C or the end of the
	 * run): print its summary and call tn_cmd_job_done(). */
	void (*stop)(struct tn_cmd_job *job);
	/* Optional: called after each step of the stack, for jobs that notice
	 * the end by looking (a capture that reached its count). */
	void (*poll)(struct tn_cmd_job *job);
	/* Release everything (timers, listeners, the job itself). The job is
	 * done, or stop() has run. */
	void (*release)(struct tn_cmd_job *job);
};

/* One running command; embedded in the command's own state. */
struct tn_cmd_job {
	struct list_head list;        /* on ctx->jobs */
	const struct tn_cmd_job_ops *ops;
	struct tn_cmd_ctx *ctx;
	struct net *net;              /* namespace it was started in */
	const char *file;             /* where it was started, for diagnostics */
	unsigned int line;
	bool endless;                 /* runs until stopped (tcpdump without -c) */
	bool done;
	int status;                   /* exit status once done */
};

struct tn_cmd_ctx {
	struct tn_stack *st;
	struct net *net;              /* namespace commands act on */
	FILE *out;                    /* normal output */
	FILE *err;                    /* diagnostics (== out for tn_command) */
	const char *file;             /* script being run, NULL if none */
	unsigned int line;            /* its current line, 1-based */
	bool trace;                   /* print "$ LINE" before each line (demo) */
	bool background;              /* the line being run ends with `&` */
	struct list_head jobs;        /* running and finished-unreaped jobs */
	/* Set by the program's SIGINT/SIGTERM handler to the signal's number
	 * (tools/tuxnet.c); NULL: nothing interrupts the run. Once set, steps
	 * stop advancing, foreground jobs are stopped as by ^C and the script
	 * ends after the current line with status 128 + the signal. */
	volatile sig_atomic_t *interrupted;
	struct tn_nstat_history *nstat;  /* nstat's "history file", per namespace */
};

typedef int (*tn_cmd_fn)(struct tn_cmd_ctx *ctx, int argc, char **argv, FILE *out);

struct tn_cmd {
	const char *name;
	tn_cmd_fn fn;
	const char *usage;            /* one line for `tuxnet help` */
};

extern const struct tn_cmd tn_cmd_table[];
extern const unsigned int tn_cmd_table_len;

/* Exit status of a line whose command does not exist (as a shell says). */
#define TN_CMD_NOT_FOUND 127

/* ---- running (caller holds the stack lock) ---------------------------- */

void tn_cmd_ctx_init(struct tn_cmd_ctx *ctx, struct tn_stack *st, FILE *out, FILE *err);
/* Ends the run: waits for the jobs that end by themselves, stops the
 * others (tcpdump prints its summary), frees them. */
void tn_cmd_ctx_exit(struct tn_cmd_ctx *ctx);

/* Split a line into words as a POSIX shell would for simple commands:
 * 'single' and "double" quotes, backslash escapes, a `#` at the start of a
 * word ends the line. Words are written into buf. Returns argc (0 for a
 * blank or comment line) or -1 with *why set. */
int tn_cmd_tokenize(const char *line, char *buf, size_t buflen, char **argv, int max,
		    const char **why);
/* The table row for a command name, or NULL. */
const struct tn_cmd *tn_cmd_find(const char *name);
/* Dispatch argv[0] through the table. */
int tn_cmd_run_argv(struct tn_cmd_ctx *ctx, int argc, char **argv);
/* Tokenise and dispatch one line. */
int tn_cmd_run_line(struct tn_cmd_ctx *ctx, const char *line);
/* Run text (a script: lines, `\` continues a line) line by line, stopping at
 * the first non-zero status, which it returns. name is for diagnostics. */
int tn_cmd_run_script(struct tn_cmd_ctx *ctx, const char *text, const char *name);

/* Let the stack run for ns of its time: virtual time jumps, real time
 * sleeps with the lock released. Background jobs run meanwhile. */
void tn_cmd_advance(struct tn_cmd_ctx *ctx, u64 ns);

/* ---- jobs (job.c) ------------------------------------------------------ */

/* Hand a set-up job to the runner. Foreground: run the stack until the job
 * is done, release it and return its status. Background (`&`): keep it on
 * ctx->jobs and return 0. */
int tn_cmd_job_start(struct tn_cmd_ctx *ctx, struct tn_cmd_job *job,
		     const struct tn_cmd_job_ops *ops);
/* Called by the job itself (from a timer or a packet callback). */
void tn_cmd_job_done(struct tn_cmd_job *job, int status);
/* `wait`: run until every background job that ends by itself has. */
int tn_cmd_jobs_wait(struct tn_cmd_ctx *ctx);
/* The end of a run: wait for jobs that end by themselves, stop the rest. */
void tn_cmd_jobs_finish(struct tn_cmd_ctx *ctx);
/* One step of the stack: up to the next deadline, at most until limit
 * (stack ns). false if nothing will ever happen before limit, or if the
 * run is interrupted. On the real clock with outside devices (a TAP)
 * something can always happen: the step sleeps on their descriptors. */
bool tn_cmd_step(struct tn_cmd_ctx *ctx, u64 limit);
/* The signal that interrupted the run, 0 if none. */
int tn_cmd_interrupted(const struct tn_cmd_ctx *ctx);
/* The end of a `tuxnet run --realtime` scenario with outside devices (a
 * TAP): serve, i.e. keep the stack running while any job, servers
 * included (httpd &, nc -l &, iperf3 -s &), is alive, until interrupted.
 * Returns at once on a virtual clock or without outside devices. */
void tn_cmd_jobs_serve(struct tn_cmd_ctx *ctx);
/* Print an informational line of a tool to the diagnostics stream, in
 * order with the output and without the FILE:LINE prefix (ping's "local
 * error", tcpdump's "listening on"). */
void tn_cmd_note(struct tn_cmd_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- helpers for handlers -------------------------------------------- */

/* Print a diagnostic line (a newline is added), prefixed "FILE:LINE: "
 * when running a script. */
void tn_cmd_err(struct tn_cmd_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* iproute2's matches(): arg is a non-empty prefix of word. */
bool tn_matches(const char *arg, const char *word);
/* Unsigned decimal (or 0x hex) that fits in max; false otherwise. */
bool tn_parse_uint(const char *s, unsigned long max, unsigned long *v);
/* Dotted quad -> host order. */
bool tn_cmd_parse_ipv4(const char *s, u32 *addr);
/* "A" or "A/P": host-order address and prefix (32 when absent). */
bool tn_cmd_parse_prefix(const char *s, u32 *addr, int *plen, bool *has_plen);
/* Host order -> dotted quad (16 bytes). */
const char *tn_ipv4_str(u32 addr, char *buf);
/* Linux-visible name of an errno value, like strerror. */
const char *tn_errstr(int err);

struct net_device *tn_cmd_dev(struct tn_cmd_ctx *ctx, const char *name);
/* Namespace by `ip netns` name; NULL if none. */
struct net *tn_cmd_netns(struct tn_cmd_ctx *ctx, const char *name);

/* ---- the commands ----------------------------------------------------- */

int do_ip(struct tn_cmd_ctx *ctx, int argc, char **argv, FILE *out);
int do_sysctl(struct tn_cmd_ctx *ctx, int argc, char **argv, FILE *out);
int do_ethtool(struct tn_cmd_ctx *ctx, int argc, char **argv, FILE *out);
int do_tcpdump(struct tn_cmd_ctx *ctx, int argc, char **argv, FILE *out);
int do_arping(struct tn_cmd_ctx *ctx, int argc, char **argv, FILE *out);
int do_echo(struct tn_cmd_ctx *ctx, int argc, char **argv, FILE *out);
int do_sleep(struct tn_cmd_ctx *ctx, int argc, char **argv, FILE *out);
int do_wait(struct tn_cmd_ctx *ctx, int argc, char **argv, FILE *out);
int do_tc(struct tn_cmd_ctx *ctx, int argc, char **argv, FILE *out);
int do_ping(struct tn_cmd_ctx *ctx, int argc, char **argv, FILE *out);
int do_traceroute(struct tn_cmd_ctx *ctx, int argc, char **argv, FILE *out);
int do_nc(struct tn_cmd_ctx *ctx, int argc, char **argv, FILE *out);
int do_nstat(struct tn_cmd_ctx *ctx, int argc, char **argv, FILE *out);
int do_netstat(struct tn_cmd_ctx *ctx, int argc, char **argv, FILE *out);
/* nstat's per-run history (nstat.c). */
void tn_nstat_history_free(struct tn_cmd_ctx *ctx);

/* ---- TCP tools (sockjob.c, nc_tcp.c, iperf3.c, ss.c, synflood.c) ------ */

struct socket;

/* Stream integrity digest: FNV-1a 64 of the bytes and their count. */
struct tn_digest {
	u64 h;
	u64 bytes;
};
void tn_digest_init(struct tn_digest *d);
void tn_digest_update(struct tn_digest *d, const void *p, size_t n);
/* The bytes a sender generates at stream offset off (deterministic). */
void tn_stream_pattern(u64 off, u8 *buf, size_t n);
/* Kernel-side TCP sockets for jobs: non-blocking, retried from job polls. */
int tn_sockjob_open(struct net *net, struct socket **sock);
int tn_sockjob_bind(struct socket *sock, u32 addr, u16 port);
int tn_sockjob_connect(struct socket *sock, u32 addr, u16 port);
int tn_sockjob_listen(struct socket *sock, u32 addr, u16 port, int backlog);
int tn_sockjob_connected(struct socket *sock);
struct socket *tn_sockjob_accept(struct socket *listener, int *err);
ssize_t tn_sockjob_send(struct socket *sock, const void *buf, size_t len);
ssize_t tn_sockjob_recv(struct socket *sock, void *buf, size_t len);
u16 tn_sockjob_name(struct socket *sock, bool peer, char *addr);

/* nc without -u (nc.c dispatches here). */
int do_nc_tcp(struct tn_cmd_ctx *ctx, int argc, char **argv, FILE *out);
int do_iperf3(struct tn_cmd_ctx *ctx, int argc, char **argv, FILE *out);
int do_ss(struct tn_cmd_ctx *ctx, int argc, char **argv, FILE *out);
int do_synflood(struct tn_cmd_ctx *ctx, int argc, char **argv, FILE *out);
int do_connect_many(struct tn_cmd_ctx *ctx, int argc, char **argv, FILE *out);
/* HTTP/1.1 file server and client (httpd.c, curl.c). */
int do_httpd(struct tn_cmd_ctx *ctx, int argc, char **argv, FILE *out);
int do_curl(struct tn_cmd_ctx *ctx, int argc, char **argv, FILE *out);

/* ---- ip(8) objects (tools/cmd/ip*.c) ---------------------------------- */

/* Global options of `ip`, before the object. */
struct ip_global_opts {
	int stats;                    /* -s, repeated for more */
	bool brief;                   /* -br */
	bool details;                 /* -d */
	int family;                   /* -4 / -6 / -0, 0 if none */
	bool json;                    /* -j */
	bool pretty;                  /* -p (with -j) */
};

/* iproute2's JSON writer (json.c), for `ip -j [-p]`. */
struct tn_jw {
	FILE *out;
	bool pretty;
	int depth;
	char sep;                     /* ',' once a member was written, else 0 */
};

void tn_jw_init(struct tn_jw *jw, FILE *out, bool pretty);
void tn_jw_name(struct tn_jw *jw, const char *name);
/* name: NULL inside an array. */
void tn_jw_start_object(struct tn_jw *jw, const char *name);
void tn_jw_end_object(struct tn_jw *jw);
void tn_jw_start_array(struct tn_jw *jw, const char *name);
void tn_jw_end_array(struct tn_jw *jw);
void tn_jw_string(struct tn_jw *jw, const char *name, const char *v);
void tn_jw_uint(struct tn_jw *jw, const char *name, unsigned long long v);
void tn_jw_int(struct tn_jw *jw, const char *name, long long v);
void tn_jw_bool(struct tn_jw *jw, const char *name, bool v);
void tn_jw_finish(struct tn_jw *jw);
/* The members of one device in `ip -j link` (with_mode) / `ip -j addr`. */
void ip_json_link(struct tn_jw *jw, struct net_device *dev, bool with_mode, bool show_ll);
/* The outer array, opened at the first device (jw zeroed before) and
 * closed with the document's newline. */
void ip_json_open(struct tn_jw *jw, FILE *out, const struct ip_global_opts *o);
void ip_json_close(struct tn_jw *jw, FILE *out, const struct ip_global_opts *o);

int do_iplink(struct tn_cmd_ctx *ctx, const struct ip_global_opts *o, int argc,
		char **argv, FILE *out);
int do_ipaddr(struct tn_cmd_ctx *ctx, const struct ip_global_opts *o, int argc,
		char **argv, FILE *out);
int do_ipneigh(struct tn_cmd_ctx *ctx, const struct ip_global_opts *o, int argc,
		char **argv, FILE *out);
int do_ipnetns(struct tn_cmd_ctx *ctx, const struct ip_global_opts *o, int argc,
		char **argv, FILE *out);
int do_iproute(struct tn_cmd_ctx *ctx, const struct ip_global_opts *o, int argc,
		char **argv, FILE *out);

/* The first line(s) of `ip link` / `ip addr` for one device (iplink.c):
 * "N: NAME@PEER: <FLAGS> mtu ... qlen N" and, with show_ll, the link/ether
 * line. with_mode adds "mode DEFAULT" (ip link, not ip addr). */
void ip_print_link(FILE *out, struct net_device *dev, bool with_mode, bool show_ll,
		   bool details);
/* The RX/TX block of `ip -s link`. */
void ip_print_link_stats(FILE *out, struct net_device *dev, int level);
/* "NAME@PEER" as ip prints a device name (buf IFNAMSIZ * 2 + 8). */
const char *ip_link_name(struct net_device *dev, char *buf, size_t len);
/* "UP", "DOWN", "UNKNOWN", ... */
const char *ip_operstate_name(const struct net_device *dev);
/* The device selection `ip link show` and `ip addr show` share: `[dev] NAME`
 * and `up`. Calls show() for each matching device in ifindex order; 0, or
 * the status of the error it printed. */
int ip_show_devices(struct tn_cmd_ctx *ctx, int argc, char **argv,
		    void (*show)(struct net_device *dev, void *arg), void *arg);

/* iproute2's usage-error conventions (they exit with 255, i.e. -1). */
#define IP_EXIT_USAGE 255
int ip_invarg(struct tn_cmd_ctx *ctx, const char *msg, const char *arg);
int ip_duparg2(struct tn_cmd_ctx *ctx, const char *key, const char *arg);
int ip_incomplete(struct tn_cmd_ctx *ctx, const char *key);
/* "RTNETLINK answers: <strerror>", status 2. */
int ip_rtnl_err(struct tn_cmd_ctx *ctx, int err);
int ip_nodev(struct tn_cmd_ctx *ctx, const char *name);

#endif
