/*
 * The BSD socket layer (Linux's net/socket.c and include/linux/net.h):
 * struct socket, the user-visible half of a socket, with its proto_ops (the
 * family's operations: inet_stream_ops, inet_dgram_ops); the family registry
 * (net_proto_family, sock_register); and the per-stack descriptor table that
 * maps the ints an application holds to files (sock_map_fd / fd_install).
 *
 *   tn_socket() -> __sock_create() -> net_families[AF_INET]->create
 *     = inet_create(): inetsw[type] picks proto + proto_ops, sk_alloc()
 *   -> sock_map_fd(): the lowest free descriptor in the stack's table
 *
 * A file is what a descriptor refers to: a socket or an epoll instance, with
 * its f_flags (O_NONBLOCK) and a poll operation shared by poll, select and
 * epoll.
 */
#ifndef TN_NET_SOCKET_H
#define TN_NET_SOCKET_H

#include <sys/socket.h>
#include "net/compiler.h"
#include "net/wait.h"

struct sock;
struct socket;
struct net;
struct tn_stack;
struct tn_file;
struct poll_table_struct;

/* socket->state, Linux's socket_state */
typedef enum {
	SS_FREE = 0,
	SS_UNCONNECTED,
	SS_CONNECTING,
	SS_CONNECTED,
	SS_DISCONNECTING,
} socket_state;

/* The family's operations: what the socket calls do with a struct socket.
 * All run with the stack lock held; results are 0 / counts or -errno. */
struct proto_ops {
	int family;
	int (*release)(struct socket *sock);
	int (*bind)(struct socket *sock, const struct sockaddr *addr, int addrlen);
	int (*connect)(struct socket *sock, const struct sockaddr *addr, int addrlen, int flags);
	int (*accept)(struct socket *sock, struct socket *newsock, int flags);
	int (*getname)(struct socket *sock, struct sockaddr *addr, int peer);
	u32 (*poll)(struct tn_file *file, struct socket *sock);
	int (*ioctl)(struct socket *sock, unsigned long cmd, void *arg);
	int (*listen)(struct socket *sock, int backlog);
	int (*shutdown)(struct socket *sock, int how);
	int (*setsockopt)(struct socket *sock, int level, int optname, const void *optval,
			  socklen_t optlen);
	int (*getsockopt)(struct socket *sock, int level, int optname, void *optval,
			  socklen_t *optlen);
	int (*sendmsg)(struct socket *sock, const struct msghdr *m, size_t len, int flags);
	int (*recvmsg)(struct socket *sock, struct msghdr *m, size_t len, int flags);
};

/* socket->flags (Linux's socket_wq flags) */
#define SOCKWQ_ASYNC_NOSPACE 0x1   /* a send found no room: SIGIO when there is */

/* sock_wake_async's how (Linux's SOCK_WAKE_*) */
enum { SOCK_WAKE_IO, SOCK_WAKE_WAITD, SOCK_WAKE_SPACE, SOCK_WAKE_URG };

struct socket {
	socket_state state;
	unsigned long flags;          /* SOCKWQ_ASYNC_* */
	short type;                   /* SOCK_STREAM, SOCK_DGRAM, ... */
	struct tn_file *file;
	struct sock *sk;
	const struct proto_ops *ops;
	struct wait_queue_head wq;    /* readers, writers, poll and epoll wait here */
};

struct net_proto_family {
	int family;
	int (*create)(struct net *net, struct socket *sock, int protocol, int kern);
};
int sock_register(struct tn_stack *st, const struct net_proto_family *ops);
void sock_unregister(struct tn_stack *st, int family);

/* ---- files and descriptors --------------------------------------------- */

enum tn_file_kind { TN_FILE_SOCKET = 1, TN_FILE_EPOLL };

struct tn_file_ops {
	/* Current poll mask (EPOLLIN...), for poll/select/epoll. */
	u32 (*poll)(struct tn_file *f);
	/* The wait queue that is woken when the mask may have changed. */
	struct wait_queue_head *(*wait_queue)(struct tn_file *f);
	void (*release)(struct tn_file *f);
};

struct tn_file {
	enum tn_file_kind kind;
	int refcnt;                   /* descriptors and in-flight calls */
	unsigned int f_flags;         /* O_NONBLOCK, O_ASYNC; O_RDWR is implied */
	const struct tn_file_ops *f_op;
	void *private_data;           /* struct socket *, struct eventpoll * */
	struct list_head f_ep_links;  /* epoll items watching this file */
	struct tn_stack *st;
	int owner_tid;                /* F_SETOWN (SIGIO target), 0 none */
	bool closing;                 /* its last descriptor is gone; calls still
				       * in flight return -EBADF */
};

/* A socket and its file in one object from the stack's socket cache, as
 * Linux's socket_alloc holds the socket and its inode: a socket costs one
 * allocation, and the file goes when the socket is released. file.st is
 * set from the start, so a socket that never got a descriptor still knows
 * its stack. */
struct socket_alloc {
	struct socket socket;
	struct tn_file file;
};

static inline struct socket_alloc *SOCKET_ALLOC(struct socket *sock)
{
	return container_of(sock, struct socket_alloc, socket);
}

/* Per-stack descriptor table: the lowest free descriptor first (POSIX),
 * starting at TN_FD_BASE so that tuxnet descriptors look like a fresh
 * process's (0, 1 and 2 are stdio). Grows on demand; a bitmap of used slots
 * and a next-free hint make allocation cheap at millions of descriptors. */
#define TN_FD_BASE 3
#define TN_FD_MAX (1 << 26)
struct tn_fdtable {
	struct tn_file **fd;
	u64 *open_fds;                /* bitmap */
	unsigned int max_fds;
	u64 *close_on_exec;           /* bitmap: FD_CLOEXEC is per descriptor */
	unsigned int next_fd;         /* no free slot below this */
	unsigned int count;
};

int tn_fdtable_init(struct tn_fdtable *t);
void tn_fdtable_destroy(struct tn_fdtable *t);  /* closes whatever is open */
/* Install f at the lowest free descriptor; -EMFILE / -ENOMEM. */
int fd_install(struct tn_stack *st, struct tn_file *f);
/* Set or clear FD_CLOEXEC on an open descriptor. */
void fd_set_close_on_exec(struct tn_stack *st, int fd, bool on);
/* The file at fd with a reference taken (fput to drop), or NULL (-EBADF). */
struct tn_file *fget(struct tn_stack *st, int fd);
void fput(struct tn_file *f);
/* Remove fd from the table and drop its reference; -EBADF if not open.
 * Threads blocked in a call on the same file are woken and fail with
 * -EBADF (Linux leaves them blocked until data or shutdown; waking them is
 * the only way their caller gets the descriptor's memory back). */
int fd_close(struct tn_stack *st, int fd);
/* Stack teardown: close every descriptor (lock held). */
void fd_close_all(struct tn_stack *st);

static inline bool sock_file_closing(const struct socket *sock)
{
	return sock->file && sock->file->closing;
}

struct socket *sock_alloc(struct tn_stack *st);
void sock_release(struct socket *sock);
/* Create a socket of family/type/protocol in net (type may carry
 * SOCK_NONBLOCK | SOCK_CLOEXEC). */
int __sock_create(struct net *net, int family, int type, int protocol,
		  struct socket **res, int kern);
/* A socket's file and descriptor (flags: SOCK_NONBLOCK, SOCK_CLOEXEC); on
 * failure the socket is released. */
int sock_map_fd(struct socket *sock, int flags);
struct socket *sock_from_file(struct tn_file *f);
/* Signal-driven I/O (Linux's sock_wake_async / kill_fasync): if the file
 * has O_ASYNC and an owner (F_SETOWN), send it SIGIO. band is POLL_IN,
 * POLL_OUT, POLL_ERR, POLL_HUP (carried by F_SETSIG in Linux; unused
 * here). SOCK_WAKE_SPACE only signals after a send found no room. */
void sock_wake_async(struct socket *sock, int how, int band);

#endif
