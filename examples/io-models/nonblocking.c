/*
 * I/O model 2: non-blocking, one thread, a busy loop.
 *
 * With O_NONBLOCK a call never sleeps: when there is nothing to accept or
 * read it fails at once with EAGAIN. One thread can then serve every
 * connection by asking each in turn, again and again. It never waits, so
 * it never misses anything, and it burns a CPU asking: count the EAGAINs
 * in the report (each one a trip into the stack and its lock for nothing).
 *
 *   cc nonblocking.c iomodel.c $(pkg-config --cflags --libs tuxnet) -lpthread
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <tuxnet/tuxnet.h>

#include "iomodel.h"

/* Try to accept one connection; -1 when none is waiting. */
static int try_accept(struct iom_server *s)
{
	int fd = tn_accept4(s->st, s->lfd, NULL, NULL, SOCK_NONBLOCK);

	s->cost.calls++;
	if (fd < 0 && errno == EAGAIN)
		s->cost.eagain++;
	return fd;
}

/* Try one read on fd and echo it: 1 still open, 0 closed. */
static int try_echo(struct iom_server *s, int fd)
{
	char buf[4096];
	ssize_t n = tn_recv(s->st, fd, buf, sizeof(buf), 0);

	s->cost.calls++;
	s->cost.scanned++;
	if (n < 0 && errno == EAGAIN) {
		s->cost.eagain++;   /* nothing yet: ask again next time round */
		return 1;
	}
	if (n > 0 && !iom_send_all(s->st, &s->cost, fd, buf, (size_t)n))
		return 1;
	tn_close(s->st, fd);
	return 0;
}

static int serve(struct iom_server *s)
{
	int *fds = calloc((size_t)s->nconn, sizeof(int));
	int open = 0, accepted = 0, closed = 0;

	tn_fcntl(s->st, s->lfd, F_SETFL, O_NONBLOCK);
	while (closed < s->nconn) {
		int fd;

		if (accepted < s->nconn && (fd = try_accept(s)) >= 0) {
			fds[open++] = fd;
			accepted++;
		}
		for (int i = 0; i < open; i++) {
			if (try_echo(s, fds[i]))
				continue;
			fds[i--] = fds[--open];   /* closed: take the last one's place */
			closed++;
		}
	}
	s->cost.threads = 1;
	free(fds);
	return 0;
}

int main(int argc, char **argv)
{
	return iom_main(argc, argv, "nonblocking", serve);
}
