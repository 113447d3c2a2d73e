/*
 * I/O model 1: blocking, one thread per connection.
 *
 * Every call waits until it can finish: tn_accept until a connection is
 * established, tn_recv until data arrives. While it waits the thread sleeps
 * on the socket's wait queue with the stack lock released; the softirq that
 * queues the segment (tcp_data_queue -> sk_data_ready) wakes it. Simple,
 * and one sleeping thread (with its stack) per connection.
 *
 *   cc blocking.c iomodel.c $(pkg-config --cflags --libs tuxnet) -lpthread
 *   ./a.out [connections] [bytes per connection]
 */
#include <pthread.h>
#include <stdlib.h>
#include <tuxnet/tuxnet.h>

#include "iomodel.h"

struct conn {
	struct tn_stack *st;
	int fd;
	pthread_t tid;
	struct iom_cost cost;   /* this thread's own: no sharing, no locks */
};

/* One connection's thread: read, write back, until the peer closes. */
static void *serve_conn(void *arg)
{
	struct conn *c = arg;
	char buf[4096];
	ssize_t n;

	for (;;) {
		n = tn_recv(c->st, c->fd, buf, sizeof(buf), 0);   /* sleeps here */
		c->cost.calls++;
		c->cost.waits++;
		if (n <= 0)
			break;
		if (iom_send_all(c->st, &c->cost, c->fd, buf, (size_t)n))
			break;
	}
	tn_close(c->st, c->fd);
	return NULL;
}

static int serve(struct iom_server *s)
{
	struct conn *conns = calloc((size_t)s->nconn, sizeof(*conns));

	for (int i = 0; i < s->nconn; i++) {
		conns[i].st = s->st;
		conns[i].fd = tn_accept(s->st, s->lfd, NULL, NULL);   /* sleeps here */
		s->cost.calls++;
		s->cost.waits++;
		if (conns[i].fd < 0)
			return -1;
		pthread_create(&conns[i].tid, NULL, serve_conn, &conns[i]);
	}
	for (int i = 0; i < s->nconn; i++) {
		pthread_join(conns[i].tid, NULL);
		s->cost.calls += conns[i].cost.calls;
		s->cost.waits += conns[i].cost.waits;
		s->cost.eagain += conns[i].cost.eagain;
	}
	s->cost.wakeups = s->cost.waits;   /* every blocking call returns once */
	s->cost.threads = (unsigned long)s->nconn + 1;
	free(conns);
	return 0;
}

int main(int argc, char **argv)
{
	return iom_main(argc, argv, "blocking", serve);
}
