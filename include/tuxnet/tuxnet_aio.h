/*
 * tuxnet asynchronous I/O: a small completion interface over tuxnet sockets
 * (the fifth I/O model of docs/io-models.md).
 *
 * Submit a read, a write or an accept on a descriptor and carry on; collect
 * completions later with tn_aio_getevents, each one {user_data, res} where
 * res is what the call would have returned (bytes, a new descriptor, 0 at
 * end of stream) or a negative errno. There is no thread pool behind it:
 * a submitted request sits on its socket's wait queue, next to blocked
 * readers and epoll items, and the socket's own wake-up (the softirq that
 * queued data, freed send space or completed a handshake) moves it to the
 * context's ready list; the I/O itself is then done inside the stack, under
 * its lock, non-blocking, by the next tn_aio_submit_* or tn_aio_getevents
 * of any thread, which is how io_uring runs a poll-armed request as task
 * work. A request that is possible at once (data already queued) completes
 * inside the submit call.
 *
 * Limits, on purpose:
 *  - sockets only (TCP and UDP; a read is recv(2) without flags, a write is
 *    send(2) with MSG_NOSIGNAL, an accept is accept4(fd, NULL, NULL, 0));
 *  - a write completes when every byte is queued or the socket fails: res
 *    is the byte count, short only if an error came after some bytes;
 *  - requests on one socket are tried in the order they were submitted;
 *    completions come in the order the requests became possible;
 *  - at most max_inflight requests (submitted, not yet reaped) per context:
 *    one more is EAGAIN, as io_submit(2);
 *  - closing a descriptor cancels its requests (res -ECANCELED); the socket
 *    itself is released once those completions are reaped (a request holds
 *    the file, as an io_uring request does);
 *  - a context is not a descriptor (it cannot be polled) and must be
 *    destroyed before its stack.
 */
#ifndef TUXNET_TUXNET_AIO_H
#define TUXNET_TUXNET_AIO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <tuxnet/tuxnet.h>

#ifdef __cplusplus
extern "C" {
#endif

struct tn_aio_ctx;

enum tn_aio_opcode {
	TN_AIO_READ = 1,
	TN_AIO_WRITE,
	TN_AIO_ACCEPT,
};

/* One completion. */
struct tn_aio_event {
	void *user_data;   /* as submitted */
	ssize_t res;       /* bytes, new descriptor, 0 (EOF), or -errno */
	int fd;            /* the descriptor the request was made on */
	int opcode;        /* enum tn_aio_opcode */
};

/* What a context has done, for measuring the model (never reset). */
struct tn_aio_stats {
	uint64_t submitted;
	uint64_t completed;   /* completions queued (including cancellations) */
	uint64_t inline_done; /* of those, completed inside the submit call */
	uint64_t wakeups;     /* socket wake-ups that made a request ready */
	uint64_t attempts;    /* non-blocking I/O attempts made in the stack */
	uint64_t eagain;      /* attempts that found nothing to do */
	uint64_t cancelled;
};

/* A context holding up to max_inflight requests (0: 4096). NULL and errno
 * (ENOMEM, EINVAL above 1 << 20) on failure. */
TN_EXPORT_API struct tn_aio_ctx *tn_aio_create(struct tn_stack *st, unsigned int max_inflight);
/* Cancel and free everything still in the context; unreaped completions
 * are dropped. */
TN_EXPORT_API void tn_aio_destroy(struct tn_aio_ctx *ctx);

/* Queue a request; 0, or -1 and errno: EBADF (fd not open), ENOTSOCK,
 * EINVAL (len 0 or NULL buf for read/write), EAGAIN (context full). The
 * buffer must stay valid until the completion is reaped. */
TN_EXPORT_API int tn_aio_submit_read(struct tn_aio_ctx *ctx, int fd, void *buf, size_t len,
				     void *user_data);
TN_EXPORT_API int tn_aio_submit_write(struct tn_aio_ctx *ctx, int fd, const void *buf,
				      size_t len, void *user_data);
TN_EXPORT_API int tn_aio_submit_accept(struct tn_aio_ctx *ctx, int fd, void *user_data);

/* Cancel every request of this context on fd: each completes with
 * -ECANCELED. Returns how many were cancelled. */
TN_EXPORT_API int tn_aio_cancel_fd(struct tn_aio_ctx *ctx, int fd);

/* Wait until at least min_nr completions are available (or timeout_ms on
 * the stack clock passes: -1 forever, 0 never), then return up to max_nr of
 * them, oldest first. Returns the count (possibly below min_nr on timeout),
 * or -1 and errno: EINVAL (min_nr > max_nr, max_nr <= 0, events NULL),
 * EINTR (the stack is being destroyed). */
TN_EXPORT_API int tn_aio_getevents(struct tn_aio_ctx *ctx, int min_nr, int max_nr,
				   struct tn_aio_event *events, int timeout_ms);

TN_EXPORT_API void tn_aio_get_stats(struct tn_aio_ctx *ctx, struct tn_aio_stats *out);

#ifdef __cplusplus
}
#endif
#endif
