/*
 * tuxnet public API: the Linux network stack as a library.
 *
 * A tn_stack is one whole "kernel": its namespaces, devices and sockets. Any
 * thread may call any function; calls on one stack are serialised by that
 * stack's lock. Errors follow libc: -1 and errno set to Linux's value.
 *
 * Only the names declared in this header are exported from libtuxnet.so.
 */
#ifndef TUXNET_TUXNET_H
#define TUXNET_TUXNET_H

#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TN_EXPORT_API __attribute__((visibility("default")))

struct tn_stack;

struct tn_stack_config {
	int virtual_time;     /* 1: a virtual clock that only moves when driven */
	uint64_t seed;        /* PRNG seed (0: a fixed default, runs replay) */
};

/* Create a stack with its initial namespace (whose lo is up, 127.0.0.1/8,
 * as after boot). NULL and errno on failure. cfg may be NULL. */
TN_EXPORT_API struct tn_stack *tn_stack_create(const struct tn_stack_config *cfg);
/* Stop the softirq thread if running, close everything, free. */
TN_EXPORT_API void tn_stack_destroy(struct tn_stack *st);

/* Driving. Exactly one of: a softirq thread, the application's own polling,
 * or virtual time. */
TN_EXPORT_API int tn_stack_start_thread(struct tn_stack *st);   /* ksoftirqd */
TN_EXPORT_API void tn_stack_stop_thread(struct tn_stack *st);
/* Run pending work and due timers now; returns 1 if anything ran. */
TN_EXPORT_API int tn_stack_poll(struct tn_stack *st);
/* Virtual time: run everything due up to now + ns, jumping between deadlines. */
TN_EXPORT_API void tn_stack_advance(struct tn_stack *st, uint64_t ns);
/* The stack clock, ns since creation. */
TN_EXPORT_API uint64_t tn_stack_now(struct tn_stack *st);
/* Next time anything is due (ns, stack clock), UINT64_MAX if never. */
TN_EXPORT_API uint64_t tn_stack_next_deadline(struct tn_stack *st);

/* Run one command line as a person types it on Linux ("ip link add ...",
 * "sysctl -w ...", "ip netns exec NS ..."), printing to out. Returns the
 * command's exit status (0 success). Several lines (separated by '\n') run
 * as one script: in order, stopping at the first failure, and what a line
 * starts (a tcpdump capture) lasts until the last line is done. */
TN_EXPORT_API int tn_command(struct tn_stack *st, const char *line, FILE *out);

TN_EXPORT_API const char *tn_version(void);

#ifdef __cplusplus
}
#endif
#endif
