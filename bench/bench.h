/*
 * The benchmark programs: one set of cases written against the POSIX socket
 * calls and built twice, as bench-libc (the Linux kernel, between two network
 * namespaces that bench/run.sh creates over a veth pair) and bench-tuxnet
 * (one tuxnet stack in this process, two namespaces over an in-process veth,
 * real clock, driven by its softirq thread). Both sides do exactly the same
 * work; only the environment (bench_env_*) differs.
 *
 * A case prints its figures as one line per figure,
 *
 *     RESULT <name> <value> <unit>
 *
 * which run.sh collects over several runs into medians and spreads. These
 * are programs, not tests: nothing here compares a figure with a threshold.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

/* The two ends of every case: the client namespace and the server one. */
enum bench_side { BENCH_CLI, BENCH_SRV };

#define BENCH_CLI_ADDR "10.77.0.1"
#define BENCH_SRV_ADDR "10.77.0.2"

/* What the environment needs to know before the case starts. */
struct bench_world {
	int mtu;            /* of both veth ends */
};

/* Which implementation this binary measures: "libc" or "tuxnet". */
extern const char *const bench_impl;

/* Build (tuxnet) or find (libc: BENCH_NS_CLI / BENCH_NS_SRV) the world. */
int bench_env_init(const struct bench_world *w);
void bench_env_fini(void);
/* Put the calling thread into the client or server namespace, as
 * setns(2). Every thread calls this first. */
int bench_enter(enum bench_side side);
/* Set a sysctl inside one namespace ("net.ipv4.ip_local_port_range"). */
int bench_sysctl(enum bench_side side, const char *name, const char *value);
/* The kernel-side memory of a connection (libc: slab deltas) around a
 * phase; the tuxnet build has none (its memory is this process's RSS). */
void bench_kmem_begin(void);
void bench_kmem_end(long nsocks);
/* sizeof each per-connection structure (tuxnet) or the slab object sizes
 * (libc), as RESULT lines. */
void bench_print_sizes(void);

/* ---- helpers (bench_util.c) ------------------------------------------- */

/* Monotonic host time in ns. */
uint64_t bench_now_ns(void);
/* Resident memory of this process, bytes (/proc/self/statm). */
long bench_rss_bytes(void);
/* MemAvailable of /proc/meminfo, bytes. */
long bench_mem_available(void);
void bench_result(const char *name, double value, const char *unit);
/* Print the message with errno's text and exit 1. */
__attribute__((noreturn, format(printf, 1, 2))) void bench_die(const char *fmt, ...);
/* Exit with a message after `seconds`: every case is bounded in time. */
void bench_deadline(unsigned int seconds);
/* A sockaddr_in for addr:port. */
struct sockaddr_in bench_addr(const char *addr, int port);
/* A listening TCP socket on the server address in the calling thread's
 * namespace, SO_REUSEADDR set. */
int bench_listen(int port, int backlog);
/* A blocking TCP connection from the calling thread's namespace. */
int bench_connect(int port);
/* Raise RLIMIT_NOFILE as far as allowed (libc only matters). */
void bench_raise_nofile(long want);

/* ---- cases ------------------------------------------------------------- */

struct bench_opts {
	int streams;        /* -P */
	double seconds;     /* -t */
	long count;         /* -n: connections (idle, maxconn, c10k-*) or a cap (crr) */
};

int bench_case_bulk(const struct bench_opts *o);
int bench_case_rr(const struct bench_opts *o);
int bench_case_crr(const struct bench_opts *o);
int bench_case_udp(const struct bench_opts *o);
int bench_case_idle(const struct bench_opts *o);
int bench_case_maxconn(const struct bench_opts *o);
int bench_case_ephemeral(const struct bench_opts *o);
int bench_case_c10k_epoll(const struct bench_opts *o);
int bench_case_c10k_threads(const struct bench_opts *o);

#endif
