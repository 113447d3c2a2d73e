/*
 * I/O model 3b: multiplexing with epoll, level- or edge-triggered.
 *
 * The interest set is handed to the stack once (tn_epoll_ctl ADD), and
 * each socket gets a callback on its wait queue (ep_poll_callback) that
 * puts it on the epoll's ready list when the softirq wakes the socket.
 * tn_epoll_wait only takes that list: its cost follows the number of
 * ready sockets, not the number watched ("scanned" counts what it
 * returned).
 *
 * Level-triggered (lt, the default): a socket that is still readable is
 * reported again by the next wait, so reading once per event is enough.
 * Edge-triggered (et): a socket is reported when it *becomes* readable, so
 * the server must read (and accept) until EAGAIN, with non-blocking
 * sockets, or it will never hear of the rest.
 *
 *   cc epoll.c iomodel.c $(pkg-config --cflags --libs tuxnet) -lpthread
 *   ./a.out lt|et [connections] [bytes per connection]
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <tuxnet/tuxnet.h>

#include "iomodel.h"

#define MAXEV 64

static bool edge;   /* set once by main before any thread starts */

/* Echo what fd has: everything (ET) or one read (LT). 0 when it closed. */
static int echo(struct iom_server *s, int fd)
{
	char buf[4096];
	ssize_t n;

	do {
		n = tn_recv(s->st, fd, buf, sizeof(buf), 0);
		s->cost.calls++;
		if (n > 0 && iom_send_all(s->st, &s->cost, fd, buf, (size_t)n))
			n = 0;
	} while (edge && n > 0);
	if (n < 0 && errno == EAGAIN) {
		s->cost.eagain++;   /* ET: drained, wait for the next edge */
		return 1;
	}
	if (n > 0)
		return 1;
	tn_close(s->st, fd);   /* also leaves the epoll set */
	return 0;
}

/* Accept one connection (LT) or all that are waiting (ET). */
static int accept_some(struct iom_server *s, int ep)
{
	int fd, n = 0;

	do {
		fd = tn_accept4(s->st, s->lfd, NULL, NULL, SOCK_NONBLOCK);
		s->cost.calls++;
		if (fd >= 0) {
			struct epoll_event ev = { .events = EPOLLIN | (edge ? EPOLLET : 0),
						  .data.fd = fd };
			tn_epoll_ctl(s->st, ep, EPOLL_CTL_ADD, fd, &ev);
			n++;
		}
	} while (edge && fd >= 0);
	if (fd < 0 && errno == EAGAIN)
		s->cost.eagain++;
	return n;
}

static int serve(struct iom_server *s)
{
	struct epoll_event ev = { .events = EPOLLIN | (edge ? EPOLLET : 0), .data.fd = s->lfd };
	struct epoll_event events[MAXEV];
	int ep = tn_epoll_create1(s->st, 0), accepted = 0, closed = 0;

	tn_fcntl(s->st, s->lfd, F_SETFL, O_NONBLOCK);
	tn_epoll_ctl(s->st, ep, EPOLL_CTL_ADD, s->lfd, &ev);
	while (closed < s->nconn) {
		int n = tn_epoll_wait(s->st, ep, events, MAXEV, 10000);   /* sleeps here */

		s->cost.waits++;
		if (n <= 0)
			return -1;
		s->cost.wakeups += (unsigned long)n;
		s->cost.scanned += (unsigned long)n;   /* only the ready ones */
		for (int i = 0; i < n; i++) {
			if (events[i].data.fd == s->lfd)
				accepted += accept_some(s, ep);
			else if (!echo(s, events[i].data.fd))
				closed++;
		}
		if (accepted == s->nconn)
			tn_epoll_ctl(s->st, ep, EPOLL_CTL_DEL, s->lfd, NULL);
	}
	tn_close(s->st, ep);
	s->cost.threads = 1;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && (!strcmp(argv[1], "lt") || !strcmp(argv[1], "et"))) {
		edge = !strcmp(argv[1], "et");
		argc--;
		argv++;
	}
	return iom_main(argc, argv, edge ? "epoll-et" : "epoll-lt", serve);
}
