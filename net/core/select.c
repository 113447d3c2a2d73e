/*
 * select(2) over tuxnet descriptors (Linux's fs/select.c, core_sys_select
 * and do_select). Like tn_poll it asks each file's f_op->poll for its mask
 * and, to sleep, puts one tn_waiter entry on every file's wait queue, so
 * the same sock_def_* wake-ups that serve blocking calls, poll and epoll
 * end a select. The sets map to masks as in Linux:
 *
 *   readfds   <- EPOLLIN | EPOLLRDNORM | EPOLLRDBAND | EPOLLHUP | EPOLLERR
 *   writefds  <- EPOLLOUT | EPOLLWRNORM | EPOLLWRBAND | EPOLLERR
 *   exceptfds <- EPOLLPRI
 *
 * Descriptors are limited to FD_SETSIZE by the fd_set type itself.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>

#include "net/socket.h"
#include "net/stack.h"
#include "tuxnet/tuxnet.h"

#define POLLIN_SET (EPOLLRDNORM | EPOLLRDBAND | EPOLLIN | EPOLLHUP | EPOLLERR)
#define POLLOUT_SET (EPOLLWRBAND | EPOLLWRNORM | EPOLLOUT | EPOLLERR)
#define POLLEX_SET (EPOLLPRI)
#define NSEC_PER_USEC 1000ull
#define NSEC_PER_SEC 1000000000ull

/* The caller's three sets (any may be NULL) and the results. */
struct select_sets {
	fd_set *in, *out, *ex;
	fd_set res_in, res_out, res_ex;
};

/* The files of one select, held while it sleeps, with one wait entry each. */
struct select_table {
	struct tn_file **files;
	struct wait_queue_entry *entries;
	struct tn_waiter *w;
};

static bool in_set(const fd_set *s, int fd)
{
	return s && FD_ISSET(fd, s);
}

static bool fd_wanted(const struct select_sets *s, int fd)
{
	return in_set(s->in, fd) || in_set(s->out, fd) || in_set(s->ex, fd);
}

/* Linux's max_select_fd: every descriptor in a set must be open. */
static int select_check_fds(struct tn_stack *st, const struct select_sets *s, int n)
{
	for (int fd = 0; fd < n; fd++) {
		struct tn_file *f;

		if (!fd_wanted(s, fd))
			continue;
		f = fget(st, fd);
		if (!f)
			return -EBADF;
		fput(f);
	}
	return 0;
}

/* Mark fd in the result sets its mask earns; the number of bits set. */
static int select_mark(struct select_sets *s, int fd, u32 mask)
{
	int n = 0;

	if ((mask & POLLIN_SET) && in_set(s->in, fd)) {
		FD_SET(fd, &s->res_in);
		n++;
	}
	if ((mask & POLLOUT_SET) && in_set(s->out, fd)) {
		FD_SET(fd, &s->res_out);
		n++;
	}
	if ((mask & POLLEX_SET) && in_set(s->ex, fd)) {
		FD_SET(fd, &s->res_ex);
		n++;
	}
	return n;
}

/* One pass over the descriptors (Linux's do_select loop body). With t, each
 * file also gets a wait entry and stays held until select_unregister. */
static int select_round(struct tn_stack *st, struct select_sets *s, int n,
			struct select_table *t)
{
	int count = 0;

	FD_ZERO(&s->res_in);
	FD_ZERO(&s->res_out);
	FD_ZERO(&s->res_ex);
	for (int fd = 0; fd < n; fd++) {
		struct tn_file *f;
		u32 mask;

		if (!fd_wanted(s, fd))
			continue;
		f = fget(st, fd);
		if (!f)
			continue;   /* closed by another thread since the check */
		mask = f->f_op->poll ? f->f_op->poll(f) : 0;
		count += select_mark(s, fd, mask);
		if (t && f->f_op->wait_queue) {
			init_waitqueue_func_entry(&t->entries[fd], tn_waiter_wake);
			t->entries[fd].private = t->w;
			add_wait_queue(f->f_op->wait_queue(f), &t->entries[fd]);
			t->files[fd] = f;
		} else {
			fput(f);
		}
	}
	return count;
}

static void select_unregister(struct select_table *t, int n)
{
	for (int fd = 0; fd < n; fd++) {
		struct tn_file *f = t->files[fd];

		if (!f)
			continue;
		remove_wait_queue(f->f_op->wait_queue(f), &t->entries[fd]);
		fput(f);
		t->files[fd] = NULL;
	}
}

/* Poll, and if nothing is ready and there is time, sleep and poll again. */
static int do_select(struct tn_stack *st, struct select_sets *s, int n, u64 deadline)
{
	struct select_table t;
	struct tn_waiter w;
	int count, err = 0;

	count = select_round(st, s, n, NULL);
	if (count || deadline <= tn_now(st))
		return count;
	t.files = calloc(n ? (size_t)n : 1, sizeof(*t.files));
	t.entries = calloc(n ? (size_t)n : 1, sizeof(*t.entries));
	if (!t.files || !t.entries) {
		free(t.files);
		free(t.entries);
		return -ENOMEM;
	}
	tn_waiter_init(&w, st);
	w.deadline = deadline;
	t.w = &w;
	for (;;) {
		count = select_round(st, s, n, &t);
		if (count)
			break;
		err = tn_waiter_sleep(&w);
		w.woken = false;
		select_unregister(&t, n);
		if (err)
			break;
	}
	select_unregister(&t, n);
	tn_waiter_destroy(&w);
	free(t.files);
	free(t.entries);
	if (err == -ETIMEDOUT)
		return 0;
	return err ? err : count;
}

/* The timeout as a deadline on the stack clock (Linux's
 * poll_select_set_timeout: a negative time is EINVAL, tv_usec >= 10^6
 * carries into seconds). */
static int select_deadline(struct tn_stack *st, const struct timeval *tv, u64 *deadline)
{
	u64 ns;

	*deadline = UINT64_MAX;
	if (!tv)
		return 0;
	if (tv->tv_sec < 0 || tv->tv_usec < 0)
		return -EINVAL;
	ns = (u64)tv->tv_sec * NSEC_PER_SEC + (u64)tv->tv_usec * NSEC_PER_USEC;
	*deadline = tn_now(st) + ns;
	return 0;
}

/* Linux writes the time not slept back into the caller's timeval. */
static void select_time_left(struct tn_stack *st, struct timeval *tv, u64 deadline)
{
	u64 now = tn_now(st), left = deadline > now ? deadline - now : 0;

	tv->tv_sec = (time_t)(left / NSEC_PER_SEC);
	tv->tv_usec = (suseconds_t)((left % NSEC_PER_SEC) / NSEC_PER_USEC);
}

static void select_copy_out(struct select_sets *s)
{
	if (s->in)
		*s->in = s->res_in;
	if (s->out)
		*s->out = s->res_out;
	if (s->ex)
		*s->ex = s->res_ex;
}

TN_EXPORT int tn_select(struct tn_stack *st, int nfds, fd_set *readfds, fd_set *writefds,
			fd_set *exceptfds, struct timeval *timeout)
{
	struct select_sets s = { .in = readfds, .out = writefds, .ex = exceptfds };
	u64 deadline;
	int ret;

	if (nfds < 0)
		return errno = EINVAL, -1;
	if (nfds > FD_SETSIZE)
		nfds = FD_SETSIZE;
	tn_stack_lock(st);
	tn_thread_enter(st);
	ret = select_deadline(st, timeout, &deadline);
	if (!ret)
		ret = select_check_fds(st, &s, nfds);
	if (!ret)
		ret = do_select(st, &s, nfds, deadline);
	if (ret >= 0)
		select_copy_out(&s);
	if (ret >= 0 && timeout)
		select_time_left(st, timeout, deadline);
	tn_thread_exit(st);
	tn_stack_unlock(st);
	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	return ret;
}
