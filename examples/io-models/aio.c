/*
 * I/O model 5: asynchronous, completions (include/tuxnet/tuxnet_aio.h).
 *
 * The server never asks whether a socket is ready. It submits the
 * operation it wants (accept, read, write) with a pointer of its own, and
 * later collects completions: "your read on this connection returned 300
 * bytes, already in your buffer". Each request waits on its socket's wait
 * queue; the softirq's wake-up makes it ready and the stack does the I/O,
 * so a completion is one result per finished operation, never an EAGAIN
 * the program has to handle.
 *
 * The server is a small state machine per connection: read -> write the
 * same bytes -> read ... until a read completes with 0.
 *
 *   cc aio.c iomodel.c $(pkg-config --cflags --libs tuxnet) -lpthread
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tuxnet/tuxnet_aio.h>

#include "iomodel.h"

#define MAXEV 64

struct conn {
	int fd;
	char buf[4096];
};

static int on_accept(struct iom_server *s, struct tn_aio_ctx *ctx, const struct tn_aio_event *e)
{
	struct conn *c = calloc(1, sizeof(*c));

	if (e->res < 0) {
		fprintf(stderr, "aio: accept: %s\n", strerror((int)-e->res));
		return -1;
	}
	c->fd = (int)e->res;
	s->cost.calls++;
	return tn_aio_submit_read(ctx, c->fd, c->buf, sizeof(c->buf), c);
}

/* A read or write of connection c finished: 1 still open, 0 closed. */
static int on_io(struct iom_server *s, struct tn_aio_ctx *ctx, const struct tn_aio_event *e)
{
	struct conn *c = e->user_data;

	s->cost.calls++;
	if (e->opcode == TN_AIO_READ && e->res > 0) {
		tn_aio_submit_write(ctx, c->fd, c->buf, (size_t)e->res, c);
		return 1;
	}
	if (e->opcode == TN_AIO_WRITE && e->res > 0) {
		tn_aio_submit_read(ctx, c->fd, c->buf, sizeof(c->buf), c);
		return 1;
	}
	tn_close(s->st, c->fd);   /* end of stream, or an error */
	free(c);
	return 0;
}

static int serve(struct iom_server *s)
{
	struct tn_aio_ctx *ctx = tn_aio_create(s->st, 0);
	struct tn_aio_event ev[MAXEV];
	struct tn_aio_stats st;
	int accepted = 0, closed = 0;

	tn_aio_submit_accept(ctx, s->lfd, NULL);   /* user_data NULL: the listener */
	s->cost.calls++;
	while (closed < s->nconn) {
		int n = tn_aio_getevents(ctx, 1, MAXEV, ev, 10000);   /* sleeps here */

		s->cost.waits++;
		if (n <= 0)
			return -1;
		s->cost.wakeups += (unsigned long)n;
		for (int i = 0; i < n; i++) {
			if (ev[i].user_data)
				closed += !on_io(s, ctx, &ev[i]);
			else if (on_accept(s, ctx, &ev[i]))
				return -1;
			else if (++accepted < s->nconn)
				tn_aio_submit_accept(ctx, s->lfd, NULL);
		}
	}
	/* What the stack did on the server's behalf. */
	tn_aio_get_stats(ctx, &st);
	s->cost.eagain = st.eagain;
	s->cost.scanned = st.attempts;
	s->cost.threads = 1;
	printf("aio: submitted=%llu completed=%llu inline=%llu wakeups=%llu attempts=%llu "
	       "eagain=%llu\n", (unsigned long long)st.submitted,
	       (unsigned long long)st.completed, (unsigned long long)st.inline_done,
	       (unsigned long long)st.wakeups, (unsigned long long)st.attempts,
	       (unsigned long long)st.eagain);
	tn_aio_destroy(ctx);
	return 0;
}

int main(int argc, char **argv)
{
	return iom_main(argc, argv, "aio", serve);
}
