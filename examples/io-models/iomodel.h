/*
 * The shared half of the I/O-model examples (docs/io-models.md): the world
 * (two namespaces joined by a veth pair, inside one tuxnet stack), the
 * client that drives N connections and checks every echoed byte, and the
 * cost counters each server fills in and the driver prints.
 *
 * Each model is one file with one function, serve(), that echoes what
 * every connection sends until the connection closes, and returns once it
 * has served s->nconn of them. Everything else is here.
 */
#ifndef TN_EXAMPLES_IOMODEL_H
#define TN_EXAMPLES_IOMODEL_H

#include <stddef.h>
#include <tuxnet/tuxnet.h>

/* What a model spent serving the connections. Printed, never asserted:
 * the point is to compare the models on the same work. */
struct iom_cost {
	unsigned long calls;     /* socket calls: accept, recv, send, submit */
	unsigned long eagain;    /* of which found nothing to do (EAGAIN) */
	unsigned long waits;     /* calls made to wait: poll, epoll_wait, sigwait, getevents */
	unsigned long wakeups;   /* what the waits returned: ready fds, signals, completions */
	unsigned long scanned;   /* descriptors looked at because of a wait (poll: all of them) */
	unsigned long threads;   /* threads the server used */
};

struct iom_server {
	struct tn_stack *st;
	int lfd;                 /* listening, blocking, in namespace "srv" */
	int nconn;               /* serve this many connections, then return */
	struct iom_cost cost;
};

typedef int (*iom_serve_fn)(struct iom_server *s);

/* Build the world, run serve() in a thread of its own against a client
 * that opens argv[1] connections (default 50) and echoes argv[2] bytes on
 * each (default 8192), check every byte, print the costs. Exit status 0
 * when every byte came back right. */
int iom_main(int argc, char **argv, const char *model, iom_serve_fn serve);

/* Send all of buf on fd, blocking or not: on EAGAIN wait (tn_poll) for room
 * on this one socket. A real server keeps the rest and asks for POLLOUT;
 * the replies here are small enough that this never waits. */
int iom_send_all(struct tn_stack *st, struct iom_cost *cost, int fd, const char *buf, size_t len);

#endif
