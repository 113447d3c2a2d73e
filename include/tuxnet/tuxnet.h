/*
 * tuxnet public API: the Linux network stack as a library.
 *
 * A tn_stack is one whole "kernel": its namespaces, devices and sockets. Any
 * thread may call any function; calls on one stack are serialised by that
 * stack's lock. Errors follow libc: -1 and errno set to Linux's value.
 *
 * Only the names declared in this header are exported from libtuxnet.so.
 */
#ifndef TUXNET_TUXNET_H
#define TUXNET_TUXNET_H

#include <stdint.h>
#include <stdio.h>
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TN_EXPORT_API __attribute__((visibility("default")))

struct tn_stack;

struct tn_stack_config {
	int virtual_time;     /* 1: a virtual clock that only moves when driven */
	uint64_t seed;        /* PRNG seed (0: a fixed default, runs replay) */
};

/* Create a stack with its initial namespace (whose lo is up, 127.0.0.1/8,
 * as after boot). NULL and errno on failure. cfg may be NULL. */
TN_EXPORT_API struct tn_stack *tn_stack_create(const struct tn_stack_config *cfg);
/* Stop the softirq thread if running, close everything, free. */
TN_EXPORT_API void tn_stack_destroy(struct tn_stack *st);

/* Driving. Exactly one of: a softirq thread, the application's own polling,
 * or virtual time. */
TN_EXPORT_API int tn_stack_start_thread(struct tn_stack *st);   /* ksoftirqd */
TN_EXPORT_API void tn_stack_stop_thread(struct tn_stack *st);
/* Run pending work and due timers now; returns 1 if anything ran. */
TN_EXPORT_API int tn_stack_poll(struct tn_stack *st);
/* Virtual time: run everything due up to now + ns, jumping between deadlines. */
TN_EXPORT_API void tn_stack_advance(struct tn_stack *st, uint64_t ns);
/* The stack clock, ns since creation. */
TN_EXPORT_API uint64_t tn_stack_now(struct tn_stack *st);
/* Next time anything is due (ns, stack clock), UINT64_MAX if never. */
TN_EXPORT_API uint64_t tn_stack_next_deadline(struct tn_stack *st);

/* Run one command line as a person types it on Linux ("ip link add ...",
 * "sysctl -w ...", "ip netns exec NS ..."), printing to out. Returns the
 * command's exit status (0 success). Several lines (separated by '\n') run
 * as one script: in order, stopping at the first failure, and what a line
 * starts (a tcpdump capture) lasts until the last line is done. */
TN_EXPORT_API int tn_command(struct tn_stack *st, const char *line, FILE *out);

TN_EXPORT_API const char *tn_version(void);

/* ---- namespaces ---------------------------------------------------------
 * Each thread has a current namespace per stack (initially the stack's
 * initial namespace); tn_socket creates sockets there, as socket(2) does in
 * the calling thread's network namespace. */

/* Make the namespace `name` ("" or NULL: the initial one) current for the
 * calling thread, as setns(2). -1/ENOENT if there is no such namespace. */
TN_EXPORT_API int tn_setns(struct tn_stack *st, const char *name);
/* Create / delete a named namespace (as `ip netns add|del`). */
TN_EXPORT_API int tn_netns_add(struct tn_stack *st, const char *name);
TN_EXPORT_API int tn_netns_del(struct tn_stack *st, const char *name);

/* ---- sockets ------------------------------------------------------------
 * The POSIX calls on tuxnet descriptors, with libc's types and constants.
 * Every call returns what the libc call returns: -1 and errno set to
 * Linux's value on failure. Blocking calls sleep with the stack lock
 * released, honour SO_RCVTIMEO/SO_SNDTIMEO on the stack clock (so they also
 * work in virtual time) and wake on data, errors, shutdown, or a close from
 * another thread. Descriptors are the stack's own (the lowest free one from
 * 3 up), not host descriptors. */
TN_EXPORT_API int tn_socket(struct tn_stack *st, int domain, int type, int protocol);
TN_EXPORT_API int tn_bind(struct tn_stack *st, int fd, const struct sockaddr *addr, socklen_t len);
TN_EXPORT_API int tn_connect(struct tn_stack *st, int fd, const struct sockaddr *addr, socklen_t len);
TN_EXPORT_API int tn_listen(struct tn_stack *st, int fd, int backlog);
TN_EXPORT_API int tn_accept(struct tn_stack *st, int fd, struct sockaddr *addr, socklen_t *len);
TN_EXPORT_API int tn_accept4(struct tn_stack *st, int fd, struct sockaddr *addr, socklen_t *len,
			     int flags);
TN_EXPORT_API ssize_t tn_send(struct tn_stack *st, int fd, const void *buf, size_t len, int flags);
TN_EXPORT_API ssize_t tn_sendto(struct tn_stack *st, int fd, const void *buf, size_t len, int flags,
				const struct sockaddr *to, socklen_t tolen);
TN_EXPORT_API ssize_t tn_sendmsg(struct tn_stack *st, int fd, const struct msghdr *msg, int flags);
TN_EXPORT_API ssize_t tn_recv(struct tn_stack *st, int fd, void *buf, size_t len, int flags);
TN_EXPORT_API ssize_t tn_recvfrom(struct tn_stack *st, int fd, void *buf, size_t len, int flags,
				  struct sockaddr *from, socklen_t *fromlen);
TN_EXPORT_API ssize_t tn_recvmsg(struct tn_stack *st, int fd, struct msghdr *msg, int flags);
TN_EXPORT_API ssize_t tn_read(struct tn_stack *st, int fd, void *buf, size_t len);
TN_EXPORT_API ssize_t tn_write(struct tn_stack *st, int fd, const void *buf, size_t len);
TN_EXPORT_API ssize_t tn_readv(struct tn_stack *st, int fd, const struct iovec *iov, int iovcnt);
TN_EXPORT_API ssize_t tn_writev(struct tn_stack *st, int fd, const struct iovec *iov, int iovcnt);
TN_EXPORT_API int tn_shutdown(struct tn_stack *st, int fd, int how);
TN_EXPORT_API int tn_close(struct tn_stack *st, int fd);
TN_EXPORT_API int tn_getsockname(struct tn_stack *st, int fd, struct sockaddr *addr, socklen_t *len);
TN_EXPORT_API int tn_getpeername(struct tn_stack *st, int fd, struct sockaddr *addr, socklen_t *len);
TN_EXPORT_API int tn_setsockopt(struct tn_stack *st, int fd, int level, int optname,
				const void *optval, socklen_t optlen);
TN_EXPORT_API int tn_getsockopt(struct tn_stack *st, int fd, int level, int optname, void *optval,
				socklen_t *optlen);
/* F_GETFL (reports O_RDWR plus O_NONBLOCK), F_SETFL (O_NONBLOCK, O_ASYNC),
 * F_GETFD/F_SETFD (FD_CLOEXEC), F_GETOWN/F_SETOWN. */
TN_EXPORT_API int tn_fcntl(struct tn_stack *st, int fd, int cmd, ...);
/* FIONREAD/SIOCINQ, SIOCOUTQ, FIONBIO. */
TN_EXPORT_API int tn_ioctl(struct tn_stack *st, int fd, unsigned long request, ...);
/* poll(2) over tuxnet descriptors; timeout in ms on the stack clock. */
TN_EXPORT_API int tn_poll(struct tn_stack *st, struct pollfd *fds, nfds_t nfds, int timeout);
/* select(2) over tuxnet descriptors (below FD_SETSIZE); the timeout runs on
 * the stack clock and, as on Linux, is updated to the time not slept. */
TN_EXPORT_API int tn_select(struct tn_stack *st, int nfds, fd_set *readfds, fd_set *writefds,
			    fd_set *exceptfds, struct timeval *timeout);

/* epoll(7) over tuxnet descriptors, with Linux's semantics and errnos
 * (docs/epoll.md). An epoll descriptor is itself pollable: it may be
 * watched by another epoll, tn_poll or tn_select. */
TN_EXPORT_API int tn_epoll_create1(struct tn_stack *st, int flags);   /* EPOLL_CLOEXEC */
TN_EXPORT_API int tn_epoll_create(struct tn_stack *st, int size);     /* size > 0, unused */
TN_EXPORT_API int tn_epoll_ctl(struct tn_stack *st, int epfd, int op, int fd,
			       struct epoll_event *event);
/* timeout in ms on the stack clock; -1 forever, 0 do not wait. */
TN_EXPORT_API int tn_epoll_wait(struct tn_stack *st, int epfd, struct epoll_event *events,
				int maxevents, int timeout);
TN_EXPORT_API int tn_epoll_pwait(struct tn_stack *st, int epfd, struct epoll_event *events,
				 int maxevents, int timeout, const sigset_t *sigmask);

#ifdef __cplusplus
}
#endif
#endif
