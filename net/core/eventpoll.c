/*
 * epoll (Linux's fs/eventpoll.c): the interest set, the ready list, the
 * wait-queue callback that joins them, and the public calls
 * tn_epoll_create1 / tn_epoll_ctl / tn_epoll_wait. include/net/eventpoll.h
 * draws the structure; docs/epoll.md says what a user sees.
 *
 * The one rule everything here follows: epoll_wait never looks at the
 * interest set. Work happens where the events happen: a socket's callback
 * (sk_data_ready and friends) wakes its wait queue, ep_poll_callback runs
 * for every epitem on it and queues the item on its set's ready list. So a
 * set of 10,000 idle connections costs epoll_wait nothing.
 *
 * What Linux does that tuxnet does not: EPOLLWAKEUP is accepted and ignored
 * (there is no suspend to block); max_user_watches is not enforced; there is
 * no reverse-path limit on how many epolls one file may wake. All of this
 * runs under the stack lock, so Linux's ovflist (events that arrive while
 * epoll_wait copies to user space) has no counterpart.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>

#include "net/eventpoll.h"
#include "net/socket.h"
#include "net/stack.h"
#include "tuxnet/tuxnet.h"

#define NSEC_PER_MSEC 1000000ull

static struct eventpoll *ep_of(struct tn_file *f)
{
	return f->private_data;
}

/* ---- the interest set --------------------------------------------------- */

/* Order (file, fd) pairs: by file address, then descriptor, as Linux's
 * ep_cmp_ffd. */
static int ep_cmp_ffd(const struct epoll_filefd *a, const struct epoll_filefd *b)
{
	if (a->file != b->file)
		return a->file > b->file ? 1 : -1;
	return a->fd - b->fd;
}

static struct epitem *ep_find(struct eventpoll *ep, struct tn_file *file, int fd)
{
	struct epoll_filefd key = { .file = file, .fd = fd };
	struct rb_node *n = ep->rbr.rb_node;

	while (n) {
		struct epitem *epi = rb_entry(n, struct epitem, rbn);
		int c = ep_cmp_ffd(&key, &epi->ffd);

		if (c == 0)
			return epi;
		n = c < 0 ? n->rb_left : n->rb_right;
	}
	return NULL;
}

static void ep_rbtree_insert(struct eventpoll *ep, struct epitem *epi)
{
	struct rb_node **p = &ep->rbr.rb_node, *parent = NULL;

	while (*p) {
		struct epitem *cur = rb_entry(*p, struct epitem, rbn);

		parent = *p;
		p = ep_cmp_ffd(&epi->ffd, &cur->ffd) < 0 ? &parent->rb_left : &parent->rb_right;
	}
	rb_link_node(&epi->rbn, parent, p);
	rb_insert_color(&epi->rbn, &ep->rbr);
}

/* ---- readiness ---------------------------------------------------------- */

static bool ep_is_linked(const struct epitem *epi)
{
	return !list_empty(&epi->rdllink);
}

/* The item's file's current mask, filtered by what the item asks for. A
 * ONESHOT item that fired asks for nothing. */
static u32 ep_item_poll(const struct epitem *epi)
{
	struct tn_file *f = epi->ffd.file;
	u32 mask = f->f_op->poll ? f->f_op->poll(f) : 0;

	return mask & epi->event.events;
}

/* Wake one thread in epoll_wait on ep (Linux's wake_up(&ep->wq)). */
static void ep_wake_one(struct eventpoll *ep)
{
	if (waitqueue_active(&ep->wq))
		__wake_up(&ep->wq, 1, 1, NULL);
}

/* Tell whoever polls the epoll file itself (an outer epoll, tn_poll) that
 * it became readable (Linux's ep_poll_safewake). */
static void ep_wake_pollers(struct eventpoll *ep)
{
	if (waitqueue_active(&ep->poll_wait))
		wake_up_interruptible_poll(&ep->poll_wait, EPOLLIN | EPOLLRDNORM);
}

static void ep_make_ready(struct eventpoll *ep, struct epitem *epi)
{
	if (!ep_is_linked(epi))
		list_add_tail(&epi->rdllink, &ep->rdllist);
	ep_wake_one(ep);
	ep_wake_pollers(ep);
}

/*
 * The wake function on the target's wait queue (Linux's ep_poll_callback):
 * key is the poll mask the waker passes (0: anything may have changed).
 * Queue the item if the mask concerns it and wake one epoll_wait sleeper.
 *
 * The return value is what makes EPOLLEXCLUSIVE work: __wake_up counts an
 * exclusive entry as woken only when its function returns non-zero, and an
 * exclusive item returns non-zero only when it actually woke a thread of
 * its set for an event that thread waits for. A wake-up that reaches a set
 * with nobody in epoll_wait thus goes on to the next exclusive set.
 */
static int ep_poll_callback(struct wait_queue_entry *wait, unsigned int mode, int sync,
			    void *key)
{
	struct epitem *epi = wait->private;
	struct eventpoll *ep = epi->ep;
	u32 pollflags = (u32)(uintptr_t)key;
	int ewake = 0;

	(void)mode;
	(void)sync;
	if (!(epi->event.events & ~EP_PRIVATE_BITS))
		goto out;   /* a ONESHOT item that fired, disabled until MOD */
	if (pollflags && !(pollflags & epi->event.events))
		goto out;
	if (!ep_is_linked(epi))
		list_add_tail(&epi->rdllink, &ep->rdllist);
	if (waitqueue_active(&ep->wq)) {
		if (epi->event.events & EPOLLEXCLUSIVE) {
			switch (pollflags & EPOLLINOUT_BITS) {
			case EPOLLIN:
				ewake = !!(epi->event.events & EPOLLIN);
				break;
			case EPOLLOUT:
				ewake = !!(epi->event.events & EPOLLOUT);
				break;
			case 0:
				ewake = 1;
				break;
			}
		}
		ep_wake_one(ep);
	}
	ep_wake_pollers(ep);
out:
	if (!(epi->event.events & EPOLLEXCLUSIVE))
		ewake = 1;
	return ewake;
}

/* ---- items ------------------------------------------------------------ */

static int ep_insert(struct eventpoll *ep, const struct epoll_event *event, struct tn_file *tfile,
		     int fd)
{
	struct epitem *epi = calloc(1, sizeof(*epi));

	if (!epi)
		return -ENOMEM;
	INIT_LIST_HEAD(&epi->rdllink);
	epi->ffd.file = tfile;
	epi->ffd.fd = fd;
	epi->ep = ep;
	epi->event = *event;
	init_waitqueue_func_entry(&epi->wait, ep_poll_callback);
	epi->wait.private = epi;
	epi->whead = tfile->f_op->wait_queue(tfile);
	if (event->events & EPOLLEXCLUSIVE)
		add_wait_queue_exclusive(epi->whead, &epi->wait);
	else
		add_wait_queue(epi->whead, &epi->wait);
	list_add_tail(&epi->fllink, &tfile->f_ep_links);
	ep_rbtree_insert(ep, epi);
	ep->nitems++;
	/* Already ready: report it without waiting for a change. */
	if (ep_item_poll(epi))
		ep_make_ready(ep, epi);
	return 0;
}

static void ep_remove(struct eventpoll *ep, struct epitem *epi)
{
	remove_wait_queue(epi->whead, &epi->wait);
	list_del_init(&epi->fllink);
	rb_erase(&epi->rbn, &ep->rbr);
	list_del_init(&epi->rdllink);
	ep->nitems--;
	free(epi);
}

/* New events and data; the item is queued if the file is ready for them
 * now (this is how a ONESHOT item is re-armed). */
static int ep_modify(struct eventpoll *ep, struct epitem *epi, const struct epoll_event *event)
{
	epi->event = *event;
	if (ep_item_poll(epi))
		ep_make_ready(ep, epi);
	return 0;
}

void eventpoll_release(struct tn_file *f)
{
	while (!list_empty(&f->f_ep_links)) {
		struct epitem *epi = list_first_entry(&f->f_ep_links, struct epitem, fllink);
		ep_remove(epi->ep, epi);
	}
	if (is_file_epoll(f) && f->private_data)
		__wake_up(&ep_of(f)->wq, 1, 0, NULL);
}

/* ---- the epoll file ------------------------------------------------------ */

/* An epoll file is readable when some item on its ready list really is
 * ready (Linux's __ep_eventpoll_poll); items that are not any more are
 * dropped from the list on the way, their callback will queue them again. */
static u32 ep_eventpoll_poll(struct tn_file *f)
{
	struct eventpoll *ep = ep_of(f);
	struct epitem *epi, *tmp;

	list_for_each_entry_safe(epi, tmp, &ep->rdllist, rdllink) {
		if (ep_item_poll(epi))
			return EPOLLIN | EPOLLRDNORM;
		list_del_init(&epi->rdllink);
	}
	return 0;
}

static struct wait_queue_head *ep_eventpoll_wait_queue(struct tn_file *f)
{
	return &ep_of(f)->poll_wait;
}

/* The last reference is gone: nobody sleeps in epoll_wait any more. */
static void ep_eventpoll_release(struct tn_file *f)
{
	struct eventpoll *ep = ep_of(f);
	struct rb_node *n;

	eventpoll_release(f);
	while ((n = rb_first(&ep->rbr)))
		ep_remove(ep, rb_entry(n, struct epitem, rbn));
	wake_up_interruptible_all(&ep->poll_wait);
	f->private_data = NULL;
	free(ep);
}

static const struct tn_file_ops eventpoll_fops = {
	.poll = ep_eventpoll_poll,
	.wait_queue = ep_eventpoll_wait_queue,
	.release = ep_eventpoll_release,
};

int do_epoll_create(struct tn_stack *st, int flags)
{
	struct eventpoll *ep;
	struct tn_file *f;
	int fd;

	if (flags & ~EPOLL_CLOEXEC)
		return -EINVAL;
	ep = calloc(1, sizeof(*ep));
	f = calloc(1, sizeof(*f));
	if (!ep || !f) {
		free(ep);
		free(f);
		return -ENOMEM;
	}
	init_waitqueue_head(&ep->wq);
	init_waitqueue_head(&ep->poll_wait);
	INIT_LIST_HEAD(&ep->rdllist);
	ep->rbr = RB_ROOT;
	ep->file = f;
	ep->st = st;
	f->kind = TN_FILE_EPOLL;
	f->refcnt = 1;
	f->f_flags = O_RDWR;
	f->f_op = &eventpoll_fops;
	f->private_data = ep;
	f->st = st;
	INIT_LIST_HEAD(&f->f_ep_links);
	fd = fd_install(st, f);
	if (fd < 0) {
		fput(f);
		return fd;
	}
	fd_set_close_on_exec(st, fd, flags & EPOLL_CLOEXEC);
	return fd;
}

/* ---- loops and depth ---------------------------------------------------- */

/* The longest chain of epolls below ep (0: it watches no epoll), or
 * EP_MAX_NESTS + 1 as soon as the chain is too long or reaches target
 * (which would close a loop). The interest set is walked here, on
 * EPOLL_CTL_ADD of an epoll, never on the event path. */
static int ep_depth_down(struct eventpoll *ep, const struct eventpoll *target, int depth)
{
	int deepest = 0;

	for (struct rb_node *n = rb_first(&ep->rbr); n; n = rb_next(n)) {
		struct epitem *epi = rb_entry(n, struct epitem, rbn);
		struct eventpoll *sub;
		int d;

		if (!is_file_epoll(epi->ffd.file))
			continue;
		sub = ep_of(epi->ffd.file);
		if (sub == target || depth >= EP_MAX_NESTS)
			return EP_MAX_NESTS + 1;
		d = 1 + ep_depth_down(sub, target, depth + 1);
		if (d > EP_MAX_NESTS)
			return EP_MAX_NESTS + 1;
		if (d > deepest)
			deepest = d;
	}
	return deepest;
}

/* The longest chain of epolls above ep (epolls watching it, and so on). */
static int ep_depth_up(struct eventpoll *ep, int depth)
{
	struct epitem *epi;
	int deepest = 0;

	if (depth > EP_MAX_NESTS)
		return depth;
	list_for_each_entry(epi, &ep->file->f_ep_links, fllink) {
		int d = 1 + ep_depth_up(epi->ep, depth + 1);
		if (d > deepest)
			deepest = d;
	}
	return deepest;
}

/* Adding epoll `to` to `ep` must neither close a loop nor make a chain of
 * more than EP_MAX_NESTS + 1 epolls (Linux's ep_loop_check). */
static int ep_loop_check(struct eventpoll *ep, struct eventpoll *to)
{
	int down = ep_depth_down(to, ep, 0);

	if (down > EP_MAX_NESTS)
		return -ELOOP;
	if (down + 1 + ep_depth_up(ep, 0) > EP_MAX_NESTS)
		return -ELOOP;
	return 0;
}

/* ---- epoll_ctl ------------------------------------------------------------ */

static bool ep_op_has_event(int op)
{
	return op != EPOLL_CTL_DEL;
}

/* The EINVAL cases of Linux's do_epoll_ctl, in its order. */
static int ep_ctl_check(struct tn_file *f, struct tn_file *tf, int op,
			const struct epoll_event *epds)
{
	if (f == tf || !is_file_epoll(f))
		return -EINVAL;
	if (ep_op_has_event(op) && (epds->events & EPOLLEXCLUSIVE)) {
		if (op == EPOLL_CTL_MOD)
			return -EINVAL;
		if (op == EPOLL_CTL_ADD &&
		    (is_file_epoll(tf) || (epds->events & ~EPOLLEXCLUSIVE_OK_BITS)))
			return -EINVAL;
	}
	return 0;
}

static int ep_ctl_locked(struct tn_file *f, struct tn_file *tf, int op, int fd,
			 struct epoll_event *epds)
{
	struct eventpoll *ep;
	struct epitem *epi;
	int err;

	if (!tf->f_op->poll || !tf->f_op->wait_queue)
		return -EPERM;   /* every tuxnet file can be polled; kept for Linux's order */
	if (ep_op_has_event(op))
		epds->events &= ~EPOLLWAKEUP;   /* no suspend here to hold off */
	err = ep_ctl_check(f, tf, op, epds);
	if (err)
		return err;
	ep = ep_of(f);
	if (op == EPOLL_CTL_ADD && is_file_epoll(tf)) {
		err = ep_loop_check(ep, ep_of(tf));
		if (err)
			return err;
	}
	epi = ep_find(ep, tf, fd);
	switch (op) {
	case EPOLL_CTL_ADD:
		if (epi)
			return -EEXIST;
		epds->events |= EPOLLERR | EPOLLHUP;
		return ep_insert(ep, epds, tf, fd);
	case EPOLL_CTL_DEL:
		if (!epi)
			return -ENOENT;
		ep_remove(ep, epi);
		return 0;
	case EPOLL_CTL_MOD:
		if (!epi)
			return -ENOENT;
		if (epi->event.events & EPOLLEXCLUSIVE)
			return -EINVAL;
		epds->events |= EPOLLERR | EPOLLHUP;
		return ep_modify(ep, epi, epds);
	default:
		return -EINVAL;
	}
}

int do_epoll_ctl(struct tn_stack *st, int epfd, int op, int fd, const struct epoll_event *event)
{
	struct epoll_event epds = { 0 };
	struct tn_file *f, *tf;
	int err;

	if (ep_op_has_event(op)) {
		if (!event)
			return -EFAULT;
		epds = *event;
	}
	f = fget(st, epfd);
	if (!f)
		return -EBADF;
	tf = fget(st, fd);
	if (!tf) {
		fput(f);
		return -EBADF;
	}
	err = ep_ctl_locked(f, tf, op, fd, &epds);
	fput(tf);
	fput(f);
	return err;
}

/* ---- epoll_wait --------------------------------------------------------- */

/*
 * Report up to maxevents ready items (Linux's ep_send_events): each one is
 * polled again, because the event that queued it may be gone (data read
 * meanwhile). Reported level-triggered items go back on the ready list,
 * edge-triggered ones wait for their next callback, ONESHOT ones are
 * disabled. If items remain ready, another sleeper is woken to take them.
 */
static int ep_send_events(struct eventpoll *ep, struct epoll_event *events, int maxevents)
{
	struct list_head txlist;
	int res = 0;

	INIT_LIST_HEAD(&txlist);
	list_splice_init(&ep->rdllist, &txlist);
	while (!list_empty(&txlist) && res < maxevents) {
		struct epitem *epi = list_first_entry(&txlist, struct epitem, rdllink);
		u32 revents;

		list_del_init(&epi->rdllink);
		revents = ep_item_poll(epi);
		if (!revents)
			continue;
		events[res].events = revents;
		events[res].data = epi->event.data;
		res++;
		if (epi->event.events & EPOLLONESHOT)
			epi->event.events &= EP_PRIVATE_BITS;
		else if (!(epi->event.events & EPOLLET))
			list_add_tail(&epi->rdllink, &ep->rdllist);
	}
	list_splice_init(&txlist, &ep->rdllist);
	if (!list_empty(&ep->rdllist))
		ep_wake_one(ep);
	return res;
}

static u64 ep_deadline(struct tn_stack *st, int timeout_ms)
{
	if (timeout_ms < 0)
		return UINT64_MAX;
	return tn_now(st) + (u64)timeout_ms * NSEC_PER_MSEC;
}

/* Sleep on ep->wq until a callback queues something, the deadline passes
 * or the epoll descriptor is closed (Linux's ep_poll). */
static int ep_poll(struct eventpoll *ep, struct tn_file *f, struct epoll_event *events,
		   int maxevents, int timeout_ms)
{
	struct tn_waiter w;
	int res, err = 0;

	res = ep_send_events(ep, events, maxevents);
	if (res || timeout_ms == 0)
		return res;
	tn_waiter_init(&w, ep->st);
	w.deadline = ep_deadline(ep->st, timeout_ms);
	for (;;) {
		add_wait_queue_exclusive(&ep->wq, &w.wq);
		err = tn_waiter_sleep(&w);
		remove_wait_queue(&ep->wq, &w.wq);
		w.woken = false;
		if (f->closing)
			err = -EBADF;
		if (err)
			break;
		res = ep_send_events(ep, events, maxevents);
		if (res)
			break;
	}
	tn_waiter_destroy(&w);
	if (err == -ETIMEDOUT)
		return 0;
	return err ? err : res;
}

int do_epoll_wait(struct tn_stack *st, int epfd, struct epoll_event *events, int maxevents,
		  int timeout_ms)
{
	struct tn_file *f;
	int ret;

	/* The descriptor first: Linux 6.x answers EBADF for a bad epfd even
	 * with maxevents 0 (checked against the kernel by the suite). */
	f = fget(st, epfd);
	if (!f)
		return -EBADF;
	if (maxevents <= 0 || maxevents > EP_MAX_EVENTS || !is_file_epoll(f))
		ret = -EINVAL;
	else if (!events)
		ret = -EFAULT;
	else
		ret = ep_poll(ep_of(f), f, events, maxevents, timeout_ms);
	fput(f);
	return ret;
}

/* ---- the public calls ------------------------------------------------------ */

static int ep_ret(int r)
{
	if (r < 0) {
		errno = -r;
		return -1;
	}
	return r;
}

TN_EXPORT int tn_epoll_create1(struct tn_stack *st, int flags)
{
	int ret;

	tn_stack_lock(st);
	ret = do_epoll_create(st, flags);
	tn_stack_unlock(st);
	return ep_ret(ret);
}

TN_EXPORT int tn_epoll_create(struct tn_stack *st, int size)
{
	if (size <= 0)
		return ep_ret(-EINVAL);
	return tn_epoll_create1(st, 0);
}

TN_EXPORT int tn_epoll_ctl(struct tn_stack *st, int epfd, int op, int fd,
			   struct epoll_event *event)
{
	int ret;

	tn_stack_lock(st);
	ret = do_epoll_ctl(st, epfd, op, fd, event);
	tn_stack_unlock(st);
	return ep_ret(ret);
}

TN_EXPORT int tn_epoll_wait(struct tn_stack *st, int epfd, struct epoll_event *events,
			    int maxevents, int timeout)
{
	int ret;

	tn_stack_lock(st);
	tn_thread_enter(st);
	ret = do_epoll_wait(st, epfd, events, maxevents, timeout);
	tn_thread_exit(st);
	tn_stack_unlock(st);
	return ep_ret(ret);
}

/* epoll_pwait: the signal mask is swapped in for the wait. Linux does it
 * atomically with the sleep; here a signal arriving between the swap and
 * the sleep is handled before the sleep instead of ending it. */
TN_EXPORT int tn_epoll_pwait(struct tn_stack *st, int epfd, struct epoll_event *events,
			     int maxevents, int timeout, const sigset_t *sigmask)
{
	sigset_t old;
	int ret, err;

	if (sigmask)
		pthread_sigmask(SIG_SETMASK, sigmask, &old);
	ret = tn_epoll_wait(st, epfd, events, maxevents, timeout);
	err = errno;
	if (sigmask)
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	errno = err;
	return ret;
}
