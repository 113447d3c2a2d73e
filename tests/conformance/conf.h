/*
 * The conformance cases' framework: the case tables, and the printing that
 * turns every call into one comparable line,
 *
 *     case-name step: ret=R errno=NAME [more=values]
 *
 * Both builds print the same lines when tuxnet behaves as Linux does; the
 * runner (run.sh) diffs them. Only what must match is printed: descriptors
 * and ephemeral ports are normalised ("fd>=3", "port!=0"), and errno is
 * printed only for a failed call (a successful call leaves errno stale, and
 * a stale value means nothing).
 *
 * A case is a function that runs in its own process (conf_main.c forks one
 * per case, with a timeout), so a crash, a hang or a leaked socket stays in
 * its case.
 */
#ifndef CONF_CONF_H
#define CONF_CONF_H

#include <stdarg.h>
#include "posix.h"

struct conf_case {
	const char *name;
	void (*run)(void);
};

/* One table per cases_*.c file, ended by { NULL, NULL }. */
extern const struct conf_case conf_cases_socket[];
extern const struct conf_case conf_cases_sockopt[];
extern const struct conf_case conf_cases_udp[];
extern const struct conf_case conf_cases_ip[];
extern const struct conf_case conf_cases_ping[];
extern const struct conf_case conf_cases_poll[];
extern const struct conf_case conf_cases_tcp[];    /* cases_tcp.c */
extern const struct conf_case conf_cases_epoll[];  /* cases_epoll.c */

/* The name of the case running in this process (the prefix of each line). */
extern const char *conf_case_name;

/* The environment around a case: nothing for libc (the namespace is the
 * runner's), a fresh stack with its softirq thread for tuxnet. */
void conf_env_case_begin(void);
void conf_env_case_end(void);
/* Print the API functions the implementation lacks, one a line; how many. */
int conf_env_print_missing(void);

/* ---- one line per call ------------------------------------------------- */

/* Print "step: ret=R errno=E" (errno only when ret is -1); returns ret. */
long conf_ret(const char *step, long ret);
/* The same for calls that return a descriptor: "ret=fd>=3" on success. */
int conf_fd(const char *step, long ret);
/* Print "case-name step: " and the formatted rest, for values a call
 * returned through its arguments. */
void conf_val(const char *step, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* errno is cleared first so that a value left by an earlier call is never
 * taken for this call's. */
#define CALL(step, expr) conf_ret(step, (errno = 0, (long)(expr)))
#define CALL_FD(step, expr) conf_fd(step, (errno = 0, (long)(expr)))

/* ---- names for what the kernel returns ----------------------------------- */

const char *conf_errno_name(int e);
/* "POLLIN|POLLOUT", or "0". Static buffers: at most four per printf. */
const char *conf_poll_name(int revents);
const char *conf_msg_flags_name(int flags);

/* ---- helpers shared by the cases ----------------------------------------- */

/* A sockaddr_in for a dotted address and host-order port. */
struct sockaddr_in conf_sin(const char *addr, unsigned int port);
#define SA(p) ((struct sockaddr *)(p))
/* A UDP socket bound to addr:port (port 0: an ephemeral one), printing its
 * two steps under `step`; the descriptor, or -1. */
int conf_udp_bound(const char *step, const char *addr, unsigned int port);
/* The local port of fd in host order (0 when unbound or on error), read
 * without printing. */
unsigned int conf_local_port(int fd);
/* Print fd's local (peer=0) or peer address as "ret=.. addr=A port=P",
 * P being "=0", "==want" when it equals want, or "!=0". */
void conf_print_name(const char *step, int fd, int peer, unsigned int want);
/* Wait (at most ms) until poll reports one of `events` on fd; prints
 * nothing, returns revents. Waiting is what makes a loopback ICMP error,
 * handled by the kernel before sendto returns but by tuxnet's softirq
 * thread a moment later, observable the same way in both. */
int conf_wait(int fd, int events, int ms);
/* A quiet getsockopt of an int (-1 on error). */
int conf_getint(int fd, int level, int name);

#endif
