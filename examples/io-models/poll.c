/*
 * I/O model 3a: multiplexing with poll.
 *
 * One thread sleeps in tn_poll on every descriptor at once and is woken
 * when any of them becomes ready. The price is in the shape of the call:
 * each tn_poll hands over the whole array, and the stack asks every socket
 * for its mask and hangs a wait entry on every socket's queue, whether one
 * connection is active or all of them; the caller then walks the whole
 * array again to find the ready ones. "scanned" in the report counts the
 * descriptors passed over all calls.
 *
 *   cc poll.c iomodel.c $(pkg-config --cflags --libs tuxnet) -lpthread
 */
#include <stdlib.h>
#include <tuxnet/tuxnet.h>

#include "iomodel.h"

/* Read once from a readable connection and echo it: 0 when it closed. */
static int echo(struct iom_server *s, int fd)
{
	char buf[4096];
	ssize_t n = tn_recv(s->st, fd, buf, sizeof(buf), 0);

	s->cost.calls++;
	if (n > 0 && !iom_send_all(s->st, &s->cost, fd, buf, (size_t)n))
		return 1;
	tn_close(s->st, fd);
	return 0;
}

static int serve(struct iom_server *s)
{
	/* fds[0] is the listener, the connections follow. */
	struct pollfd *fds = calloc((size_t)s->nconn + 1, sizeof(*fds));
	nfds_t nfds = 1;
	int accepted = 0, closed = 0;

	fds[0] = (struct pollfd){ .fd = s->lfd, .events = POLLIN };
	while (closed < s->nconn) {
		int ready = tn_poll(s->st, fds, nfds, 10000);   /* sleeps here */

		s->cost.waits++;
		s->cost.scanned += nfds;   /* the stack looked at all of them */
		if (ready <= 0)
			return -1;         /* 10 s with nothing: give up */
		s->cost.wakeups += (unsigned long)ready;
		for (nfds_t i = 1; i < nfds; i++) {   /* so do we */
			if (!fds[i].revents || echo(s, fds[i].fd))
				continue;
			fds[i--] = fds[--nfds];
			closed++;
		}
		if (fds[0].revents & POLLIN) {
			fds[nfds] = (struct pollfd){ .events = POLLIN };
			fds[nfds].fd = tn_accept(s->st, s->lfd, NULL, NULL);
			s->cost.calls++;
			if (fds[nfds].fd >= 0 && ++accepted)
				nfds++;
			if (accepted == s->nconn)
				fds[0].fd = -1;   /* poll ignores negative descriptors */
		}
	}
	s->cost.threads = 1;
	free(fds);
	return 0;
}

int main(int argc, char **argv)
{
	return iom_main(argc, argv, "poll", serve);
}
