/*
 * I/O model 4: signal-driven, F_SETOWN + O_ASYNC.
 *
 * The server thread names itself the owner of each socket (F_SETOWN with
 * its thread id) and turns on O_ASYNC. From then on the socket's callbacks
 * (sock_def_readable, sock_def_wakeup: data, a new connection, FIN) call
 * sock_wake_async, which sends a real SIGIO to that thread with tgkill.
 * The thread keeps SIGIO blocked and takes it with sigtimedwait, so no
 * handler runs at an awkward moment.
 *
 * What a signal does not say: which socket. SIGIO is a standard signal, so
 * several that arrive while one is pending merge into one, and without
 * Linux's F_SETSIG there is no si_fd either. After each signal the server
 * must therefore try every socket until EAGAIN: the cost of poll, paid
 * after the wake-up instead of inside it ("scanned" in the report).
 *
 *   cc sigio.c iomodel.c $(pkg-config --cflags --libs tuxnet) -lpthread
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <tuxnet/tuxnet.h>

#include "iomodel.h"

/* Send SIGIO for fd to this thread, and never block on it. */
static void own(struct iom_server *s, int fd)
{
	tn_fcntl(s->st, fd, F_SETOWN, (int)syscall(SYS_gettid));
	tn_fcntl(s->st, fd, F_SETFL, O_NONBLOCK | O_ASYNC);
}

/* Read fd until EAGAIN, echoing: 0 when it closed. */
static int drain(struct iom_server *s, int fd)
{
	char buf[4096];
	ssize_t n;

	s->cost.scanned++;
	while ((n = tn_recv(s->st, fd, buf, sizeof(buf), 0)) > 0) {
		s->cost.calls++;
		if (iom_send_all(s->st, &s->cost, fd, buf, (size_t)n))
			break;
	}
	s->cost.calls++;
	if (n < 0 && errno == EAGAIN) {
		s->cost.eagain++;
		return 1;
	}
	tn_close(s->st, fd);
	return 0;
}

static int serve(struct iom_server *s)
{
	int *fds = calloc((size_t)s->nconn, sizeof(int));
	int open = 0, accepted = 0, closed = 0, fd;
	struct timespec limit = { .tv_sec = 10 };
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGIO);   /* blocked in this thread by iom_main */
	own(s, s->lfd);
	while (closed < s->nconn) {
		/* Whatever happened since the last look, on any socket. */
		while (accepted < s->nconn &&
		       (fd = tn_accept4(s->st, s->lfd, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
			s->cost.calls++;
			own(s, fd);
			fds[open++] = fd;
			accepted++;
		}
		s->cost.calls++;
		for (int i = 0; i < open; i++) {
			if (drain(s, fds[i]))
				continue;
			fds[i--] = fds[--open];
			closed++;
		}
		if (closed == s->nconn)
			break;
		/* Sleep until the stack signals. A signal that came during the
		 * scan is still pending, so nothing is lost. */
		s->cost.waits++;
		if (sigtimedwait(&set, NULL, &limit) != SIGIO)
			return -1;
		s->cost.wakeups++;
	}
	s->cost.threads = 1;
	free(fds);
	return 0;
}

int main(int argc, char **argv)
{
	return iom_main(argc, argv, "sigio", serve);
}
