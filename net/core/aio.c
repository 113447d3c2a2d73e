/*
 * Completion-based socket I/O (include/tuxnet/tuxnet_aio.h): the fifth I/O
 * model, built on the same wait queues as blocking calls and epoll.
 *
 * A request is an entry on its socket's wait queue whose wake function,
 * aio_wake, plays the part ep_poll_callback plays for epoll: when the
 * protocol wakes the queue with a mask the request cares about, the request
 * moves from the context's pending list to its ready list and a thread in
 * tn_aio_getevents is woken. The wake function does not do the I/O itself:
 * it runs inside the protocol (tcp_data_queue, the handshake's last ACK),
 * where receiving or accepting would re-enter the socket being worked on.
 * The I/O is done right after, under the same stack lock, by whichever
 * thread next enters the context (getevents or a submit): aio_run_ready
 * tries each ready request once, non-blocking, and either queues its
 * completion or leaves it armed for the next wake-up. That is io_uring's
 * shape (a poll-armed request completed as task work), not a thread that
 * blocks on the caller's behalf: nothing runs while no socket changes.
 *
 *   submit -> try now -> done?  yes: completion queued (inline)
 *                    |  no (EAGAIN): armed on sock->wq, ctx->pending
 *   softirq: sk_data_ready -> __wake_up(sock->wq) -> aio_wake
 *                    -> ctx->ready, wake getevents
 *   getevents -> aio_run_ready -> try -> completion on ctx->done -> reap
 *
 * Closing a descriptor wakes its queue with the file marked closing;
 * aio_wake then completes the request with -ECANCELED at once. A request
 * holds a reference on its file from submit to reap, so the wait queue it
 * sits on cannot be freed under it; the reference is dropped when the
 * completion is reaped, never inside a wake-up.
 *
 * Everything here runs under the stack lock. The context is the caller's
 * handle and holds all of its state; there is no file-scope state.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>

#include "net/socket.h"
#include "net/stack.h"
#include "net/wait.h"
#include "tuxnet/tuxnet_aio.h"

#define AIO_DEFAULT_INFLIGHT 4096u
#define AIO_MAX_INFLIGHT (1u << 20)
#define NSEC_PER_MSEC 1000000ull

/* What wakes a request of each kind (0 from the waker means "anything"). */
#define AIO_READ_EVENTS (EPOLLIN | EPOLLRDNORM | EPOLLRDHUP | EPOLLERR | EPOLLHUP)
#define AIO_WRITE_EVENTS (EPOLLOUT | EPOLLWRNORM | EPOLLERR | EPOLLHUP)
#define AIO_ACCEPT_EVENTS (EPOLLIN | EPOLLERR | EPOLLHUP)

struct tn_aio_ctx {
	struct tn_stack *st;
	struct list_head pending;     /* armed, waiting for a wake-up */
	struct list_head ready;       /* woken, to be tried (in wake-up order) */
	struct list_head done;        /* completed, to be reaped (in order) */
	struct wait_queue_head wq;    /* threads in tn_aio_getevents */
	unsigned int inflight;        /* submitted and not yet reaped */
	unsigned int max_inflight;
	struct tn_aio_stats stats;
};

struct aio_req {
	struct list_head list;        /* on exactly one of pending, ready, done */
	struct wait_queue_entry wait; /* on the socket's queue while not done */
	struct wait_queue_head *whead;
	struct tn_aio_ctx *ctx;
	struct tn_file *file;         /* referenced from submit to reap */
	int fd;
	int opcode;
	u32 events;                   /* AIO_*_EVENTS */
	bool ready;                   /* on ctx->ready */
	bool done;
	char *buf;
	size_t len;
	size_t sent;                  /* write: bytes queued so far */
	void *user_data;
	long res;
};

/* ---- completing ----------------------------------------------------------- */

static void aio_wake_reapers(struct tn_aio_ctx *ctx)
{
	if (waitqueue_active(&ctx->wq))
		__wake_up(&ctx->wq, 1, 1, NULL);
}

/* The request leaves its socket's queue and joins the completions. Safe
 * from inside a wake-up of that queue: __wake_up tolerates the current
 * entry removing itself. */
static void aio_complete(struct aio_req *req, long res)
{
	struct tn_aio_ctx *ctx = req->ctx;

	remove_wait_queue(req->whead, &req->wait);
	req->res = res;
	req->done = true;
	req->ready = false;
	list_move_tail(&req->list, &ctx->done);
	ctx->stats.completed++;
	if (res == -ECANCELED)
		ctx->stats.cancelled++;
	aio_wake_reapers(ctx);
}

/*
 * The wake function on the socket's queue. key is the poll mask the waker
 * passes. A closing file cancels the request here and now; otherwise a
 * wake-up it cares about queues it for aio_run_ready. Never returns
 * "woken": the entry is non-exclusive, it must not use up an exclusive
 * wake-up meant for a blocked accept or recv.
 */
static int aio_wake(struct wait_queue_entry *wait, unsigned int mode, int sync, void *key)
{
	struct aio_req *req = wait->private;
	struct tn_aio_ctx *ctx = req->ctx;
	u32 mask = (u32)(uintptr_t)key;

	(void)mode;
	(void)sync;
	if (req->file->closing) {
		aio_complete(req, -ECANCELED);
		return 0;
	}
	if (mask && !(mask & req->events))
		return 0;
	if (!req->ready) {
		req->ready = true;
		list_move_tail(&req->list, &ctx->ready);
		ctx->stats.wakeups++;
		aio_wake_reapers(ctx);
	}
	return 0;
}

/* Like add_wait_queue, but after the other non-exclusive entries rather
 * than before them, so that requests on one socket are woken (and tried)
 * in the order they were submitted. Still ahead of every exclusive entry,
 * which a wake-up may stop at. */
static void aio_add_wait_queue(struct wait_queue_head *q, struct wait_queue_entry *e)
{
	struct wait_queue_entry *pos;

	e->flags &= ~WQ_FLAG_EXCLUSIVE;
	list_for_each_entry(pos, &q->head, entry)
		if (pos->flags & WQ_FLAG_EXCLUSIVE)
			break;
	list_add_tail(&e->entry, &pos->entry);
}

/* ---- the operations, non-blocking, in the stack ----------------------------- */

static long aio_do_read(struct aio_req *req, struct socket *sock)
{
	struct iovec iov = { .iov_base = req->buf, .iov_len = req->len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_flags = MSG_DONTWAIT };

	return sock->ops->recvmsg(sock, &msg, req->len, MSG_DONTWAIT);
}

/* Queue as much as the socket takes; done when all of it is queued, or
 * when the socket fails (with the count so far if there is one). */
static long aio_do_write(struct aio_req *req, struct socket *sock)
{
	const int flags = MSG_DONTWAIT | MSG_NOSIGNAL;

	while (req->sent < req->len) {
		size_t left = req->len - req->sent;
		struct iovec iov = { .iov_base = req->buf + req->sent, .iov_len = left };
		struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_flags = flags };
		long ret = sock->ops->sendmsg(sock, &msg, left, flags);

		if (ret == -EAGAIN)
			return -EAGAIN;
		if (ret < 0)
			return req->sent ? (long)req->sent : ret;
		req->sent += (size_t)ret;
	}
	return (long)req->sent;
}

/* accept4(fd, NULL, NULL, 0) without sleeping. The listener is asked
 * first, so an empty accept queue costs no socket allocation. */
static long aio_do_accept(struct aio_req *req, struct socket *sock)
{
	struct socket *newsock;
	int err;

	if (!sock->ops->accept)
		return -EOPNOTSUPP;
	if (!(req->file->f_op->poll(req->file) & AIO_ACCEPT_EVENTS))
		return -EAGAIN;
	newsock = sock_alloc(req->ctx->st);
	if (!newsock)
		return -ENFILE;
	newsock->type = sock->type;
	newsock->ops = sock->ops;
	err = sock->ops->accept(sock, newsock, O_NONBLOCK);
	if (err < 0) {
		if (!newsock->sk)
			newsock->ops = NULL;   /* nothing for release to undo */
		sock_release(newsock);
		return err;
	}
	return sock_map_fd(newsock, 0);
}

/* One attempt; a request that cannot go on stays armed on its queue. */
static void aio_try(struct aio_req *req)
{
	struct tn_aio_ctx *ctx = req->ctx;
	struct socket *sock = sock_from_file(req->file);
	long ret;

	if (req->file->closing) {
		aio_complete(req, -ECANCELED);
		return;
	}
	ctx->stats.attempts++;
	switch (req->opcode) {
	case TN_AIO_READ:
		ret = aio_do_read(req, sock);
		break;
	case TN_AIO_WRITE:
		ret = aio_do_write(req, sock);
		break;
	default:
		ret = aio_do_accept(req, sock);
		break;
	}
	if (ret == -EAGAIN) {
		ctx->stats.eagain++;
		return;
	}
	aio_complete(req, ret);
}

/* Try every request a wake-up made ready, in wake-up order. Wake-ups that
 * happen meanwhile queue on ctx->ready again, for the next round. */
static void aio_run_ready(struct tn_aio_ctx *ctx)
{
	LIST_HEAD(batch);

	list_splice_init(&ctx->ready, &batch);
	while (!list_empty(&batch)) {
		struct aio_req *req = list_first_entry(&batch, struct aio_req, list);

		req->ready = false;
		list_move_tail(&req->list, &ctx->pending);
		aio_try(req);
	}
}

/* ---- submitting ---------------------------------------------------------- */

static int aio_check(struct tn_aio_ctx *ctx, int opcode, const void *buf, size_t len)
{
	if (!ctx)
		return -EINVAL;
	if (opcode != TN_AIO_ACCEPT && (!buf || !len))
		return -EINVAL;
	if (ctx->inflight >= ctx->max_inflight)
		return -EAGAIN;
	return 0;
}

static u32 aio_events(int opcode)
{
	switch (opcode) {
	case TN_AIO_READ:
		return AIO_READ_EVENTS;
	case TN_AIO_WRITE:
		return AIO_WRITE_EVENTS;
	default:
		return AIO_ACCEPT_EVENTS;
	}
}

static int aio_submit_locked(struct tn_aio_ctx *ctx, int fd, int opcode, void *buf, size_t len,
			     void *user_data)
{
	struct tn_file *f;
	struct aio_req *req;

	f = fget(ctx->st, fd);
	if (!f)
		return -EBADF;
	if (!sock_from_file(f)) {
		fput(f);
		return -ENOTSOCK;
	}
	req = calloc(1, sizeof(*req));
	if (!req) {
		fput(f);
		return -ENOMEM;
	}
	req->ctx = ctx;
	req->file = f;
	req->fd = fd;
	req->opcode = opcode;
	req->events = aio_events(opcode);
	req->buf = buf;
	req->len = len;
	req->user_data = user_data;
	init_waitqueue_func_entry(&req->wait, aio_wake);
	req->wait.private = req;
	req->whead = f->f_op->wait_queue(f);
	aio_add_wait_queue(req->whead, &req->wait);
	list_add_tail(&req->list, &ctx->pending);
	ctx->inflight++;
	ctx->stats.submitted++;
	/* Earlier requests that are ready go first: one socket's requests
	 * are tried in submission order. */
	aio_run_ready(ctx);
	aio_try(req);
	if (req->done)
		ctx->stats.inline_done++;
	return 0;
}

static int aio_ret(int r)
{
	if (r < 0) {
		errno = -r;
		return -1;
	}
	return r;
}

static int aio_submit(struct tn_aio_ctx *ctx, int fd, int opcode, void *buf, size_t len,
		      void *user_data)
{
	int err = aio_check(ctx, opcode, buf, len);

	if (err && err != -EAGAIN)
		return aio_ret(err);
	tn_stack_lock(ctx->st);
	err = aio_check(ctx, opcode, buf, len);
	if (!err)
		err = aio_submit_locked(ctx, fd, opcode, buf, len, user_data);
	tn_stack_unlock(ctx->st);
	return aio_ret(err);
}

TN_EXPORT int tn_aio_submit_read(struct tn_aio_ctx *ctx, int fd, void *buf, size_t len,
				 void *user_data)
{
	return aio_submit(ctx, fd, TN_AIO_READ, buf, len, user_data);
}

TN_EXPORT int tn_aio_submit_write(struct tn_aio_ctx *ctx, int fd, const void *buf, size_t len,
				  void *user_data)
{
	return aio_submit(ctx, fd, TN_AIO_WRITE, (void *)buf, len, user_data);
}

TN_EXPORT int tn_aio_submit_accept(struct tn_aio_ctx *ctx, int fd, void *user_data)
{
	return aio_submit(ctx, fd, TN_AIO_ACCEPT, NULL, 0, user_data);
}

/* ---- cancelling ------------------------------------------------------------ */

static int aio_cancel_list(struct list_head *list, const struct tn_file *f)
{
	struct aio_req *req, *tmp;
	int n = 0;

	list_for_each_entry_safe(req, tmp, list, list) {
		if (req->file != f)
			continue;
		aio_complete(req, -ECANCELED);
		n++;
	}
	return n;
}

TN_EXPORT int tn_aio_cancel_fd(struct tn_aio_ctx *ctx, int fd)
{
	struct tn_file *f;
	int n;

	if (!ctx)
		return aio_ret(-EINVAL);
	tn_stack_lock(ctx->st);
	f = fget(ctx->st, fd);
	if (!f) {
		tn_stack_unlock(ctx->st);
		return aio_ret(-EBADF);
	}
	n = aio_cancel_list(&ctx->ready, f);
	n += aio_cancel_list(&ctx->pending, f);
	fput(f);
	tn_stack_unlock(ctx->st);
	return n;
}

/* ---- reaping ------------------------------------------------------------- */

static void aio_free_req(struct aio_req *req)
{
	remove_wait_queue(req->whead, &req->wait);
	list_del_init(&req->list);
	req->ctx->inflight--;
	fput(req->file);   /* maybe the last reference of a closed socket */
	free(req);
}

static int aio_reap(struct tn_aio_ctx *ctx, struct tn_aio_event *ev, int max_nr)
{
	int n = 0;

	while (n < max_nr && !list_empty(&ctx->done)) {
		struct aio_req *req = list_first_entry(&ctx->done, struct aio_req, list);

		ev[n].user_data = req->user_data;
		ev[n].res = req->res;
		ev[n].fd = req->fd;
		ev[n].opcode = req->opcode;
		n++;
		aio_free_req(req);
	}
	return n;
}

static u64 aio_deadline(struct tn_stack *st, int timeout_ms)
{
	if (timeout_ms < 0)
		return UINT64_MAX;
	return tn_now(st) + (u64)timeout_ms * NSEC_PER_MSEC;
}

/* Collect completions until there are min_nr, sleeping on ctx->wq between
 * rounds (the shape of ep_poll). Each round first does the I/O that
 * wake-ups made possible. */
static int aio_wait(struct tn_aio_ctx *ctx, int min_nr, int max_nr, struct tn_aio_event *ev,
		    int timeout_ms)
{
	struct tn_waiter w;
	int n, err = 0;

	aio_run_ready(ctx);
	n = aio_reap(ctx, ev, max_nr);
	if (n >= min_nr || timeout_ms == 0)
		return n;
	tn_waiter_init(&w, ctx->st);
	w.deadline = aio_deadline(ctx->st, timeout_ms);
	while (n < min_nr && !err) {
		add_wait_queue_exclusive(&ctx->wq, &w.wq);
		err = tn_waiter_sleep(&w);
		remove_wait_queue(&ctx->wq, &w.wq);
		w.woken = false;
		aio_run_ready(ctx);
		n += aio_reap(ctx, ev + n, max_nr - n);
	}
	tn_waiter_destroy(&w);
	if (err == -EINTR && !n)
		return -EINTR;
	return n;
}

TN_EXPORT int tn_aio_getevents(struct tn_aio_ctx *ctx, int min_nr, int max_nr,
			       struct tn_aio_event *events, int timeout_ms)
{
	int ret;

	if (!ctx || !events || max_nr <= 0 || min_nr < 0 || min_nr > max_nr)
		return aio_ret(-EINVAL);
	tn_stack_lock(ctx->st);
	tn_thread_enter(ctx->st);
	ret = aio_wait(ctx, min_nr, max_nr, events, timeout_ms);
	tn_thread_exit(ctx->st);
	tn_stack_unlock(ctx->st);
	return aio_ret(ret);
}

/* ---- the context ------------------------------------------------------------ */

TN_EXPORT struct tn_aio_ctx *tn_aio_create(struct tn_stack *st, unsigned int max_inflight)
{
	struct tn_aio_ctx *ctx;

	if (!st || max_inflight > AIO_MAX_INFLIGHT) {
		errno = EINVAL;
		return NULL;
	}
	ctx = calloc(1, sizeof(*ctx));
	if (!ctx) {
		errno = ENOMEM;
		return NULL;
	}
	ctx->st = st;
	ctx->max_inflight = max_inflight ? max_inflight : AIO_DEFAULT_INFLIGHT;
	INIT_LIST_HEAD(&ctx->pending);
	INIT_LIST_HEAD(&ctx->ready);
	INIT_LIST_HEAD(&ctx->done);
	init_waitqueue_head(&ctx->wq);
	return ctx;
}

static void aio_free_list(struct list_head *list)
{
	while (!list_empty(list))
		aio_free_req(list_first_entry(list, struct aio_req, list));
}

TN_EXPORT void tn_aio_destroy(struct tn_aio_ctx *ctx)
{
	if (!ctx)
		return;
	tn_stack_lock(ctx->st);
	aio_free_list(&ctx->pending);
	aio_free_list(&ctx->ready);
	aio_free_list(&ctx->done);
	tn_stack_unlock(ctx->st);
	free(ctx);
}

TN_EXPORT void tn_aio_get_stats(struct tn_aio_ctx *ctx, struct tn_aio_stats *out)
{
	tn_stack_lock(ctx->st);
	*out = ctx->stats;
	tn_stack_unlock(ctx->st);
}
