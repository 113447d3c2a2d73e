/*
 * epoll (Linux's fs/eventpoll.c): an epoll instance is a file in the
 * stack's descriptor table (TN_FILE_EPOLL) holding
 *
 *   - the interest set: one epitem per watched (file, fd), in a red-black
 *     tree keyed by that pair (lib/rbtree.h), so epoll_ctl is O(log n);
 *   - the ready list: the items whose file signalled a change since the
 *     last epoll_wait looked;
 *   - two wait queues: wq, where threads sleep in epoll_wait, and
 *     poll_wait, where whoever polls the epoll file itself waits (tn_poll,
 *     tn_select, or an outer epoll: nested epoll).
 *
 * Each epitem puts a wait_queue_entry with func = ep_poll_callback on its
 * target file's wait queue (f_op->wait_queue); the socket's sk_data_ready /
 * sk_write_space / sk_state_change wake that queue with a poll mask, and
 * the callback moves the item to the ready list and wakes one epoll_wait
 * sleeper. epoll_wait therefore never scans the interest set: it takes the
 * ready list, re-checks each item's current mask with f_op->poll, reports
 * the ones that match, and puts level-triggered ones back.
 *
 * Each epitem is also linked on its target's f_ep_links, so closing the
 * descriptor removes it from every epoll set (eventpoll_release).
 *
 * Everything runs under the stack lock.
 */
#ifndef TN_NET_EVENTPOLL_H
#define TN_NET_EVENTPOLL_H

#include <sys/epoll.h>
#include "net/compiler.h"
#include "net/wait.h"
#include "lib/list.h"
#include "lib/rbtree.h"
#include "net/socket.h"

struct tn_stack;

/* Bits that steer epoll rather than name an event (Linux's EP_PRIVATE_BITS);
 * a ONESHOT item that fired keeps only these until EPOLL_CTL_MOD. */
#define EP_PRIVATE_BITS (EPOLLWAKEUP | EPOLLONESHOT | EPOLLET | EPOLLEXCLUSIVE)
/* What an EPOLLEXCLUSIVE item may ask for (Linux's EPOLLEXCLUSIVE_OK_BITS). */
#define EPOLLINOUT_BITS (EPOLLIN | EPOLLOUT)
#define EPOLLEXCLUSIVE_OK_BITS (EPOLLINOUT_BITS | EPOLLERR | EPOLLHUP | EPOLLWAKEUP | \
				EPOLLET | EPOLLEXCLUSIVE)
/* Longest chain of epolls watching epolls (Linux's EP_MAX_NESTS). */
#define EP_MAX_NESTS 4
/* Largest maxevents epoll_wait accepts (Linux's EP_MAX_EVENTS). */
#define EP_MAX_EVENTS (INT32_MAX / (int)sizeof(struct epoll_event))

/* The key of the interest set: a file and the descriptor it was added by. */
struct epoll_filefd {
	struct tn_file *file;
	int fd;
};

struct eventpoll;

/* One watched (file, fd) in one epoll set. */
struct epitem {
	struct rb_node rbn;            /* in ep->rbr, keyed by ffd */
	struct list_head rdllink;      /* on ep->rdllist, or self-linked: not ready */
	struct epoll_filefd ffd;
	struct eventpoll *ep;
	struct list_head fllink;       /* on ffd.file->f_ep_links */
	struct wait_queue_entry wait;  /* on the target's wait queue; func =
					* ep_poll_callback, private = this item */
	struct wait_queue_head *whead; /* that queue */
	struct epoll_event event;      /* what the caller asked for (EPOLLERR and
					* EPOLLHUP always added) and its data */
};

struct eventpoll {
	struct wait_queue_head wq;        /* threads in epoll_wait (exclusive) */
	struct wait_queue_head poll_wait; /* pollers of the epoll file itself */
	struct list_head rdllist;         /* ready epitems, in the order they fired */
	struct rb_root rbr;               /* the interest set */
	unsigned int nitems;
	struct tn_file *file;
	struct tn_stack *st;
};

/* Remove f from every epoll set that watches it; if f is itself an epoll,
 * also wake its epoll_wait sleepers (they find it closed). Called when the
 * descriptor is closed (tuxnet has no dup, so that is its last close) and,
 * as a safety net, when the file is freed. */
void eventpoll_release(struct tn_file *f);

static inline bool is_file_epoll(const struct tn_file *f)
{
	return f->kind == TN_FILE_EPOLL;
}

/* The calls behind the public API, stack lock held; a descriptor or -errno. */
int do_epoll_create(struct tn_stack *st, int flags);
int do_epoll_ctl(struct tn_stack *st, int epfd, int op, int fd, const struct epoll_event *ev);
/* timeout_ms < 0: forever, 0: do not sleep. */
int do_epoll_wait(struct tn_stack *st, int epfd, struct epoll_event *events, int maxevents,
		  int timeout_ms);

#endif
