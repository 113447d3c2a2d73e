/*
 * The BSD socket layer (Linux's net/socket.c and the parts of fs/file.c and
 * fs/fcntl.c a socket needs): descriptors, files, the family registry,
 * socket creation, and every public socket call of include/tuxnet/tuxnet.h.
 *
 * A public call takes the stack lock, looks the descriptor up (fget, which
 * holds the file for the duration of the call, so a close from another
 * thread cannot free it underneath), dispatches through the family's
 * proto_ops and turns the -errno into libc's -1 + errno. Calls that may
 * sleep are bracketed by tn_thread_enter/exit for virtual time.
 *
 * Each thread has a current namespace per stack (tn_setns), kept in
 * thread-local storage: it is the thread's own state, like Linux's
 * task->nsproxy. What a protocol does is not here: see af_inet.c, udp.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/sockios.h>

#include "net/skbuff.h"
#include "net/socket.h"
#include "net/eventpoll.h"
#include "net/sock.h"
#include "net/inet_sock.h"
#include "net/net_namespace.h"
#include "net/stack.h"
#include "tuxnet/tuxnet.h"

#define SOCK_TYPE_MASK 0xf
#define SOCK_MAX 11            /* SOCK_PACKET + 1 */
#define NPROTO 46              /* AF_MAX */
#ifndef UIO_MAXIOV
#define UIO_MAXIOV 1024
#endif
#define FDT_INITIAL 64
#define NSEC_PER_MSEC 1000000ull
/* F_SETFL may change these (Linux's SETFL_MASK, less O_DIRECT, and O_ASYNC
 * which Linux flips through ->fasync). */
#define SETFL_MASK (O_APPEND | O_NONBLOCK | O_NOATIME | O_ASYNC)

/* ---- descriptor table ------------------------------------------------- */

static size_t fdt_words(unsigned int n)
{
	return (n + 63) / 64;
}

int tn_fdtable_init(struct tn_fdtable *t)
{
	memset(t, 0, sizeof(*t));
	t->fd = calloc(FDT_INITIAL, sizeof(*t->fd));
	t->open_fds = calloc(fdt_words(FDT_INITIAL), sizeof(u64));
	t->close_on_exec = calloc(fdt_words(FDT_INITIAL), sizeof(u64));
	if (!t->fd || !t->open_fds || !t->close_on_exec) {
		tn_fdtable_destroy(t);
		return -ENOMEM;
	}
	t->max_fds = FDT_INITIAL;
	t->next_fd = TN_FD_BASE;
	return 0;
}

void tn_fdtable_destroy(struct tn_fdtable *t)
{
	free(t->fd);
	free(t->open_fds);
	free(t->close_on_exec);
	memset(t, 0, sizeof(*t));
}

static int grow_array(void **p, size_t old_n, size_t new_n, size_t size)
{
	void *n = realloc(*p, new_n * size);

	if (!n)
		return -ENOMEM;
	memset((char *)n + old_n * size, 0, (new_n - old_n) * size);
	*p = n;
	return 0;
}

/* Double the table (Linux's expand_fdtable); -EMFILE at TN_FD_MAX. */
static int expand_fdtable(struct tn_fdtable *t)
{
	unsigned int n = t->max_fds * 2;

	if (t->max_fds >= TN_FD_MAX)
		return -EMFILE;
	if (grow_array((void **)&t->fd, t->max_fds, n, sizeof(*t->fd)) ||
	    grow_array((void **)&t->open_fds, fdt_words(t->max_fds), fdt_words(n), sizeof(u64)) ||
	    grow_array((void **)&t->close_on_exec, fdt_words(t->max_fds), fdt_words(n),
		       sizeof(u64)))
		return -ENOMEM;
	t->max_fds = n;
	return 0;
}

/* The lowest clear bit at or above from, or max if none. */
static unsigned int find_next_zero_fd(const struct tn_fdtable *t, unsigned int from)
{
	for (unsigned int w = from / 64; w < fdt_words(t->max_fds); w++) {
		u64 bits = t->open_fds[w];
		if (w == from / 64)
			bits |= (1ull << (from % 64)) - 1;
		if (bits != UINT64_MAX) {
			unsigned int fd = w * 64 + (unsigned int)__builtin_ctzll(~bits);
			return fd < t->max_fds ? fd : t->max_fds;
		}
	}
	return t->max_fds;
}

static int alloc_fd(struct tn_fdtable *t)
{
	unsigned int fd;
	int err;

	while ((fd = find_next_zero_fd(t, t->next_fd)) >= t->max_fds) {
		err = expand_fdtable(t);
		if (err)
			return err;
	}
	t->open_fds[fd / 64] |= 1ull << (fd % 64);
	t->next_fd = fd + 1;
	t->count++;
	return (int)fd;
}

static void set_close_on_exec(struct tn_fdtable *t, unsigned int fd, bool on)
{
	if (on)
		t->close_on_exec[fd / 64] |= 1ull << (fd % 64);
	else
		t->close_on_exec[fd / 64] &= ~(1ull << (fd % 64));
}

void fd_set_close_on_exec(struct tn_stack *st, int fd, bool on)
{
	set_close_on_exec(st->fdt, (unsigned int)fd, on);
}

static bool close_on_exec(const struct tn_fdtable *t, unsigned int fd)
{
	return t->close_on_exec[fd / 64] & (1ull << (fd % 64));
}

int fd_install(struct tn_stack *st, struct tn_file *f)
{
	int fd = alloc_fd(st->fdt);

	if (fd >= 0)
		st->fdt->fd[fd] = f;
	return fd;
}

static struct tn_file *fd_file(struct tn_stack *st, int fd)
{
	struct tn_fdtable *t = st->fdt;

	if (!t || fd < 0 || (unsigned int)fd >= t->max_fds)
		return NULL;
	return t->fd[fd];
}

struct tn_file *fget(struct tn_stack *st, int fd)
{
	struct tn_file *f = fd_file(st, fd);

	if (f)
		f->refcnt++;
	return f;
}

void fput(struct tn_file *f)
{
	bool embedded = f->kind == TN_FILE_SOCKET;

	if (--f->refcnt)
		return;
	if (!list_empty(&f->f_ep_links))
		eventpoll_release(f);
	if (f->f_op->release)
		f->f_op->release(f);
	/* A socket's file lives in its socket_alloc and went with it. */
	if (!embedded)
		free(f);
}

int fd_close(struct tn_stack *st, int fd)
{
	struct tn_fdtable *t = st->fdt;
	struct tn_file *f = fd_file(st, fd);
	struct wait_queue_head *wq;

	if (!f)
		return -EBADF;
	t->fd[fd] = NULL;
	t->open_fds[fd / 64] &= ~(1ull << (fd % 64));
	set_close_on_exec(t, (unsigned int)fd, false);
	if ((unsigned int)fd < t->next_fd)
		t->next_fd = (unsigned int)fd;
	t->count--;
	/* Calls still inside on this file learn that it is gone. */
	f->closing = true;
	/* No dup here: this is the file's last close, so it leaves every
	 * epoll set now (Linux's eventpoll_release in __fput). */
	eventpoll_release(f);
	wq = f->f_op->wait_queue ? f->f_op->wait_queue(f) : NULL;
	if (wq)
		wake_up_interruptible_all(wq);
	fput(f);
	return 0;
}

void fd_close_all(struct tn_stack *st)
{
	struct tn_fdtable *t = st->fdt;

	if (!t)
		return;
	for (unsigned int fd = 0; fd < t->max_fds; fd++)
		if (t->fd[fd])
			fd_close(st, (int)fd);
}

/* ---- families --------------------------------------------------------- */

int sock_register(struct tn_stack *st, const struct net_proto_family *ops)
{
	if (ops->family < 0 || ops->family >= NPROTO)
		return -ENOBUFS;
	if (st->net_families[ops->family])
		return -EEXIST;
	st->net_families[ops->family] = ops;
	return 0;
}

void sock_unregister(struct tn_stack *st, int family)
{
	if (family >= 0 && family < NPROTO)
		st->net_families[family] = NULL;
}

/* ---- sockets and their files ------------------------------------------ */

struct socket *sock_alloc(struct tn_stack *st)
{
	struct socket_alloc *sa;
	struct socket *sock;

	if (tn_should_fail(st, TN_FAULT_SOCK))
		return NULL;
	sa = kmem_cache_zalloc(&st->sk_cache->socket);
	if (!sa)
		return NULL;
	sa->file.st = st;
	sock = &sa->socket;
	sock->state = SS_UNCONNECTED;
	init_waitqueue_head(&sock->wq);
	return sock;
}

void sock_release(struct socket *sock)
{
	if (sock->ops && sock->ops->release)
		sock->ops->release(sock);
	sock->ops = NULL;
	/* Anyone still registered (poll) is woken and finds the file gone. */
	wake_up_interruptible_all(&sock->wq);
	kmem_cache_free(&SOCKET_ALLOC(sock)->file.st->sk_cache->socket, SOCKET_ALLOC(sock));
}

static u32 sock_file_poll(struct tn_file *f)
{
	struct socket *sock = f->private_data;

	return sock->ops && sock->ops->poll ? sock->ops->poll(f, sock) : 0;
}

static struct wait_queue_head *sock_file_wait_queue(struct tn_file *f)
{
	struct socket *sock = f->private_data;

	return &sock->wq;
}

static void sock_file_release(struct tn_file *f)
{
	sock_release(f->private_data);
}

static const struct tn_file_ops socket_file_ops = {
	.poll = sock_file_poll,
	.wait_queue = sock_file_wait_queue,
	.release = sock_file_release,
};

/* Linux's send_sigio for F_SETOWN's owner: a negative owner is a process
 * group; the process itself gets a process-directed signal; any other
 * positive owner is taken for one of its threads (a tid, as F_SETOWN_EX's
 * F_OWNER_TID), else for another process. */
static void send_sigio(int owner)
{
	pid_t pid = getpid();
	int saved = errno;

	if (owner < 0 || owner == pid)
		kill(owner, SIGIO);
	else if (syscall(SYS_tgkill, pid, owner, SIGIO) < 0 && errno == ESRCH)
		kill(owner, SIGIO);
	errno = saved;
}

void sock_wake_async(struct socket *sock, int how, int band)
{
	struct tn_file *f = sock->file;

	(void)band;
	if (!f || f->closing || !(f->f_flags & O_ASYNC) || !f->owner_tid)
		return;
	switch (how) {
	case SOCK_WAKE_SPACE:
		if (!(sock->flags & SOCKWQ_ASYNC_NOSPACE))
			return;
		sock->flags &= ~SOCKWQ_ASYNC_NOSPACE;
		break;
	case SOCK_WAKE_URG:
		return;   /* SIGURG: no urgent data in tuxnet */
	default:
		break;
	}
	send_sigio(f->owner_tid);
}

struct socket *sock_from_file(struct tn_file *f)
{
	return f->kind == TN_FILE_SOCKET ? f->private_data : NULL;
}

int sock_map_fd(struct socket *sock, int flags)
{
	struct tn_stack *st = sock_net(sock->sk)->stack;
	struct tn_file *f = &SOCKET_ALLOC(sock)->file;
	int fd;

	f->kind = TN_FILE_SOCKET;
	f->refcnt = 1;
	f->f_flags = O_RDWR | (flags & SOCK_NONBLOCK ? O_NONBLOCK : 0);
	f->f_op = &socket_file_ops;
	f->private_data = sock;
	f->st = st;
	INIT_LIST_HEAD(&f->f_ep_links);
	sock->file = f;
	fd = fd_install(st, f);
	if (fd < 0) {
		fput(f);
		return fd;
	}
	set_close_on_exec(st->fdt, (unsigned int)fd, flags & SOCK_CLOEXEC);
	return fd;
}

int __sock_create(struct net *net, int family, int type, int protocol, struct socket **res,
		  int kern)
{
	struct tn_stack *st = net->stack;
	const struct net_proto_family *pf;
	struct socket *sock;
	int err;

	if (family < 0 || family >= NPROTO)
		return -EAFNOSUPPORT;
	type &= SOCK_TYPE_MASK;
	if (type < 0 || type >= SOCK_MAX)
		return -EINVAL;
	/* Linux turns the obsolete AF_INET/SOCK_PACKET into AF_PACKET. */
	if (family == AF_INET && type == SOCK_PACKET)
		family = AF_PACKET;
	sock = sock_alloc(st);
	if (!sock)
		return -ENFILE;
	sock->type = (short)type;
	pf = st->net_families[family];
	err = -EAFNOSUPPORT;
	if (!pf)
		goto out_release;
	err = pf->create(net, sock, protocol, kern);
	if (err)
		goto out_release;
	*res = sock;
	return 0;

out_release:
	sock->ops = NULL;   /* create failed: nothing of the family's to release */
	sock_release(sock);
	return err;
}

/* ---- the subsystem ---------------------------------------------------- */

static int sock_init(struct tn_stack *st)
{
	int err = sk_cache_init(st);

	if (err)
		return err;
	st->fdt = calloc(1, sizeof(*st->fdt));
	if (!st->fdt || tn_fdtable_init(st->fdt)) {
		free(st->fdt);
		st->fdt = NULL;
		sk_cache_destroy(st);
		return -ENOMEM;
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(st->inetsw); i++)
		INIT_LIST_HEAD(&st->inetsw[i]);
	return 0;
}

static void sock_exit(struct tn_stack *st)
{
	if (st->fdt) {
		fd_close_all(st);
		tn_fdtable_destroy(st->fdt);
		free(st->fdt);
		st->fdt = NULL;
	}
	sk_cache_destroy(st);
}

const struct tn_subsystem sock_subsys = {
	.name = "sock",
	.init = sock_init,
	.exit = sock_exit,
};

/* ---- the calling thread's namespace ----------------------------------- */

/* One slot per stack the thread has called tn_setns on; a stack with no
 * slot means its initial namespace. The namespace is kept by id, so a
 * deleted namespace is noticed rather than used after it is freed. */
#define TN_NS_SLOTS 16
struct tn_thread_ns {
	struct tn_stack *st;
	unsigned int ns_id;
};
static __thread struct tn_thread_ns tn_thread_ns[TN_NS_SLOTS];

static struct tn_thread_ns *thread_ns_slot(struct tn_stack *st, bool create)
{
	struct tn_thread_ns *free_slot = NULL;

	for (int i = 0; i < TN_NS_SLOTS; i++) {
		if (tn_thread_ns[i].st == st)
			return &tn_thread_ns[i];
		if (!tn_thread_ns[i].st && !free_slot)
			free_slot = &tn_thread_ns[i];
	}
	if (create && free_slot)
		free_slot->st = st;
	return create ? free_slot : NULL;
}

/* The calling thread's namespace in st; NULL if it was deleted. */
static struct net *current_net(struct tn_stack *st)
{
	struct tn_thread_ns *slot = thread_ns_slot(st, false);
	struct net *net;

	if (!slot)
		return st->init_net;
	list_for_each_entry(net, &st->net_list, list)
		if (net->ns_id == slot->ns_id)
			return net;
	return NULL;
}

/* ---- the public edge -------------------------------------------------- */

static long tn_ret(long r)
{
	if (r < 0) {
		errno = (int)-r;
		return -1;
	}
	return r;
}

/* One public call on a socket descriptor: lock, count the thread in for
 * virtual time if the call may sleep, hold the file. */
struct sock_call {
	struct tn_stack *st;
	struct socket *sock;
	bool may_block;
};

static int sock_call_begin(struct sock_call *c, struct tn_stack *st, int fd, bool may_block)
{
	struct tn_file *f;

	c->st = st;
	c->sock = NULL;
	c->may_block = may_block;
	tn_stack_lock(st);
	if (may_block)
		tn_thread_enter(st);
	f = fget(st, fd);
	if (!f)
		return -EBADF;
	c->sock = sock_from_file(f);
	if (!c->sock) {
		fput(f);
		return -ENOTSOCK;
	}
	return 0;
}

/* Finish the call; errno is set last, after everything that might touch it. */
static long sock_call_end(struct sock_call *c, long ret)
{
	if (c->sock)
		fput(c->sock->file);
	if (c->may_block)
		tn_thread_exit(c->st);
	tn_stack_unlock(c->st);
	return tn_ret(ret);
}

static bool sock_nonblock(const struct socket *sock)
{
	return sock->file->f_flags & O_NONBLOCK;
}

/* Linux's move_addr_to_kernel: a length checked against sockaddr_storage. */
static int move_addr_to_kernel(const struct sockaddr *uaddr, socklen_t ulen,
			       struct sockaddr_storage *kaddr)
{
	if ((int)ulen < 0 || ulen > sizeof(*kaddr))
		return -EINVAL;
	if (ulen == 0)
		return 0;
	if (!uaddr)
		return -EFAULT;
	memcpy(kaddr, uaddr, ulen);
	return 0;
}

/* Linux's move_addr_to_user: copy what fits, report the real length. */
static int move_addr_to_user(const struct sockaddr_storage *kaddr, int klen,
			     struct sockaddr *uaddr, socklen_t *ulen)
{
	int len;

	if (!ulen)
		return -EFAULT;
	len = (int)*ulen;
	if (len > klen)
		len = klen;
	if (len < 0)
		return -EINVAL;
	if (len) {
		if (!uaddr)
			return -EFAULT;
		memcpy(uaddr, kaddr, (size_t)len);
	}
	*ulen = (socklen_t)klen;
	return 0;
}

TN_EXPORT int tn_socket(struct tn_stack *st, int domain, int type, int protocol)
{
	struct socket *sock;
	struct net *net;
	int flags = type & ~SOCK_TYPE_MASK;
	int ret;

	if (flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK))
		return (int)tn_ret(-EINVAL);
	tn_stack_lock(st);
	net = current_net(st);
	if (!net)
		ret = -ENOENT;   /* the thread's namespace was deleted */
	else
		ret = __sock_create(net, domain, type & SOCK_TYPE_MASK, protocol, &sock, 0);
	if (!ret)
		ret = sock_map_fd(sock, flags);
	tn_stack_unlock(st);
	return (int)tn_ret(ret);
}

TN_EXPORT int tn_bind(struct tn_stack *st, int fd, const struct sockaddr *addr, socklen_t len)
{
	struct sockaddr_storage a;
	struct sock_call c;
	int err = sock_call_begin(&c, st, fd, false);

	if (!err)
		err = move_addr_to_kernel(addr, len, &a);
	if (!err)
		err = c.sock->ops->bind(c.sock, (struct sockaddr *)&a, (int)len);
	return (int)sock_call_end(&c, err);
}

TN_EXPORT int tn_connect(struct tn_stack *st, int fd, const struct sockaddr *addr, socklen_t len)
{
	struct sockaddr_storage a;
	struct sock_call c;
	int err = sock_call_begin(&c, st, fd, true);

	if (!err)
		err = move_addr_to_kernel(addr, len, &a);
	if (!err)
		err = c.sock->ops->connect(c.sock, (struct sockaddr *)&a, (int)len,
					   (int)c.sock->file->f_flags);
	return (int)sock_call_end(&c, err);
}

TN_EXPORT int tn_listen(struct tn_stack *st, int fd, int backlog)
{
	struct sock_call c;
	int err = sock_call_begin(&c, st, fd, false);

	if (!err) {
		int somaxconn = sock_net(c.sock->sk)->core.sysctl_somaxconn;
		if ((unsigned int)backlog > (unsigned int)somaxconn)
			backlog = somaxconn;
		err = c.sock->ops->listen ? c.sock->ops->listen(c.sock, backlog) : -EOPNOTSUPP;
	}
	return (int)sock_call_end(&c, err);
}

/* The accepted socket's descriptor (Linux's do_accept). */
static int do_accept(struct socket *sock, struct sockaddr *addr, socklen_t *len, int flags)
{
	struct sockaddr_storage a;
	struct socket *newsock;
	int fd, err, alen;

	if (!sock->ops->accept)
		return -EOPNOTSUPP;
	newsock = sock_alloc(sock->file->st);
	if (!newsock)
		return -ENFILE;
	newsock->type = sock->type;
	newsock->ops = sock->ops;
	err = sock->ops->accept(sock, newsock, (int)sock->file->f_flags);
	if (err < 0)
		goto out_release;
	if (addr) {
		alen = newsock->ops->getname(newsock, (struct sockaddr *)&a, 2);
		err = alen < 0 ? -ECONNABORTED : move_addr_to_user(&a, alen, addr, len);
		if (err)
			goto out_release;
	}
	fd = sock_map_fd(newsock, flags);
	return fd;

out_release:
	if (err < 0 && !newsock->sk)
		newsock->ops = NULL;
	sock_release(newsock);
	return err;
}

TN_EXPORT int tn_accept4(struct tn_stack *st, int fd, struct sockaddr *addr, socklen_t *len,
			 int flags)
{
	struct sock_call c;
	int err;

	if (flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK))
		return (int)tn_ret(-EINVAL);
	err = sock_call_begin(&c, st, fd, true);
	if (!err)
		err = do_accept(c.sock, addr, len, flags);
	return (int)sock_call_end(&c, err);
}

TN_EXPORT int tn_accept(struct tn_stack *st, int fd, struct sockaddr *addr, socklen_t *len)
{
	return tn_accept4(st, fd, addr, len, 0);
}

/* send(2) on a stream socket that is shut down raises SIGPIPE in the
 * caller unless MSG_NOSIGNAL (Linux's sk_stream_error; datagram sockets
 * only get EPIPE). */
static void maybe_sigpipe(const struct socket *sock, long ret, int flags)
{
	if (ret == -EPIPE && sock->type == SOCK_STREAM && !(flags & MSG_NOSIGNAL))
		pthread_kill(pthread_self(), SIGPIPE);
}

static long sock_sendmsg(struct socket *sock, struct msghdr *msg, int flags)
{
	long ret;

	if (sock_nonblock(sock))
		flags |= MSG_DONTWAIT;
	msg->msg_flags = flags;
	ret = sock->ops->sendmsg(sock, msg, iov_length(msg->msg_iov, msg->msg_iovlen), flags);
	maybe_sigpipe(sock, ret, flags);
	return ret;
}

TN_EXPORT ssize_t tn_sendto(struct tn_stack *st, int fd, const void *buf, size_t len, int flags,
			    const struct sockaddr *to, socklen_t tolen)
{
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct sockaddr_storage a;
	struct sock_call c;
	long ret = sock_call_begin(&c, st, fd, true);

	if (!ret && to) {
		ret = move_addr_to_kernel(to, tolen, &a);
		msg.msg_name = &a;
		msg.msg_namelen = tolen;
	}
	if (!ret)
		ret = sock_sendmsg(c.sock, &msg, flags);
	return sock_call_end(&c, ret);
}

TN_EXPORT ssize_t tn_send(struct tn_stack *st, int fd, const void *buf, size_t len, int flags)
{
	return tn_sendto(st, fd, buf, len, flags, NULL, 0);
}

/* Linux's copy_msghdr_from_user checks, for sendmsg and recvmsg. */
static int check_user_msghdr(const struct msghdr *msg)
{
	if (!msg)
		return -EFAULT;
	if ((int)msg->msg_namelen < 0)
		return -EINVAL;
	if (msg->msg_iovlen > UIO_MAXIOV)
		return -EMSGSIZE;
	if (msg->msg_iovlen && !msg->msg_iov)
		return -EFAULT;
	return 0;
}

TN_EXPORT ssize_t tn_sendmsg(struct tn_stack *st, int fd, const struct msghdr *umsg, int flags)
{
	struct sockaddr_storage a;
	struct msghdr msg;
	struct sock_call c;
	long ret = sock_call_begin(&c, st, fd, true);

	if (!ret)
		ret = check_user_msghdr(umsg);
	if (!ret) {
		msg = *umsg;
		if (msg.msg_name) {
			socklen_t n = TN_MIN(msg.msg_namelen, (socklen_t)sizeof(a));
			ret = move_addr_to_kernel(msg.msg_name, n, &a);
			msg.msg_name = &a;
			msg.msg_namelen = n;
		} else {
			msg.msg_namelen = 0;
		}
	}
	if (!ret)
		ret = sock_sendmsg(c.sock, &msg, flags);
	return sock_call_end(&c, ret);
}

/* The receive half shared by recv, recvfrom, recvmsg, read and readv:
 * the name is collected in a sockaddr_storage and copied out afterwards;
 * ancillary data goes straight to the caller's buffer (put_cmsg). */
static long sock_recvmsg(struct socket *sock, struct msghdr *msg, struct sockaddr *uaddr,
			 socklen_t *ulen, int flags)
{
	struct sockaddr_storage a;
	void *control = msg->msg_control;
	long ret;
	int err;

	memset(&a, 0, sizeof(a));
	msg->msg_name = &a;
	msg->msg_namelen = 0;
	msg->msg_flags = flags & MSG_CMSG_CLOEXEC;
	if (sock_nonblock(sock))
		flags |= MSG_DONTWAIT;
	ret = sock->ops->recvmsg(sock, msg, iov_length(msg->msg_iov, msg->msg_iovlen), flags);
	if (control)
		msg->msg_controllen = (size_t)((char *)msg->msg_control - (char *)control);
	msg->msg_control = control;
	if (ret >= 0 && uaddr) {
		err = move_addr_to_user(&a, (int)msg->msg_namelen, uaddr, ulen);
		if (err)
			ret = err;
	}
	return ret;
}

TN_EXPORT ssize_t tn_recvfrom(struct tn_stack *st, int fd, void *buf, size_t len, int flags,
			      struct sockaddr *from, socklen_t *fromlen)
{
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct sock_call c;
	long ret = sock_call_begin(&c, st, fd, true);

	if (!ret)
		ret = sock_recvmsg(c.sock, &msg, from, fromlen, flags);
	return sock_call_end(&c, ret);
}

TN_EXPORT ssize_t tn_recv(struct tn_stack *st, int fd, void *buf, size_t len, int flags)
{
	return tn_recvfrom(st, fd, buf, len, flags, NULL, NULL);
}

TN_EXPORT ssize_t tn_recvmsg(struct tn_stack *st, int fd, struct msghdr *umsg, int flags)
{
	struct msghdr msg;
	struct sock_call c;
	long ret = sock_call_begin(&c, st, fd, true);

	if (!ret)
		ret = check_user_msghdr(umsg);
	if (!ret) {
		msg = *umsg;
		if (!msg.msg_control)
			msg.msg_controllen = 0;
		ret = sock_recvmsg(c.sock, &msg, umsg->msg_name,
				   umsg->msg_name ? &umsg->msg_namelen : NULL, flags);
	}
	/* Linux writes the flags and the control length back on success only. */
	if (ret >= 0) {
		umsg->msg_flags = msg.msg_flags;
		umsg->msg_controllen = msg.msg_controllen;
	}
	return sock_call_end(&c, ret);
}

/* readv/writev's vector as Linux checks it: a count in [0, UIO_MAXIOV]
 * (EINVAL) and a vector to read when there is one (EFAULT). */
static long iov_check(const struct iovec *iov, int iovcnt)
{
	if (iovcnt < 0 || iovcnt > UIO_MAXIOV)
		return -EINVAL;
	if (iovcnt && !iov)
		return -EFAULT;
	return 0;
}

/* read(2)/readv(2) on a socket: recvmsg without flags, except that an empty
 * request returns 0 without touching the socket (Linux's sock_read_iter). */
TN_EXPORT ssize_t tn_readv(struct tn_stack *st, int fd, const struct iovec *iov, int iovcnt)
{
	struct msghdr msg = { .msg_iov = (struct iovec *)iov, .msg_iovlen = (size_t)iovcnt };
	struct sock_call c;
	long ret = sock_call_begin(&c, st, fd, true);

	if (!ret)
		ret = iov_check(iov, iovcnt);
	if (!ret && iov_length(iov, (size_t)iovcnt))
		ret = sock_recvmsg(c.sock, &msg, NULL, NULL, 0);
	return sock_call_end(&c, ret);
}

TN_EXPORT ssize_t tn_read(struct tn_stack *st, int fd, void *buf, size_t len)
{
	struct iovec iov = { .iov_base = buf, .iov_len = len };

	return tn_readv(st, fd, &iov, 1);
}

TN_EXPORT ssize_t tn_writev(struct tn_stack *st, int fd, const struct iovec *iov, int iovcnt)
{
	struct msghdr msg = { .msg_iov = (struct iovec *)iov, .msg_iovlen = (size_t)iovcnt };
	struct sock_call c;
	long ret = sock_call_begin(&c, st, fd, true);

	if (!ret)
		ret = iov_check(iov, iovcnt);
	if (!ret)
		ret = sock_sendmsg(c.sock, &msg, 0);
	return sock_call_end(&c, ret);
}

TN_EXPORT ssize_t tn_write(struct tn_stack *st, int fd, const void *buf, size_t len)
{
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };

	return tn_writev(st, fd, &iov, 1);
}

TN_EXPORT int tn_shutdown(struct tn_stack *st, int fd, int how)
{
	struct sock_call c;
	int err = sock_call_begin(&c, st, fd, false);

	if (!err)
		err = c.sock->ops->shutdown(c.sock, how);
	return (int)sock_call_end(&c, err);
}

TN_EXPORT int tn_close(struct tn_stack *st, int fd)
{
	int err;

	tn_stack_lock(st);
	err = fd_close(st, fd);
	tn_stack_unlock(st);
	return (int)tn_ret(err);
}

static int do_getname(struct tn_stack *st, int fd, struct sockaddr *addr, socklen_t *len,
		      int peer)
{
	struct sockaddr_storage a;
	struct sock_call c;
	int err = sock_call_begin(&c, st, fd, false);

	if (!err) {
		memset(&a, 0, sizeof(a));
		err = c.sock->ops->getname(c.sock, (struct sockaddr *)&a, peer);
		if (err >= 0)
			err = move_addr_to_user(&a, err, addr, len);
	}
	return (int)sock_call_end(&c, err);
}

TN_EXPORT int tn_getsockname(struct tn_stack *st, int fd, struct sockaddr *addr, socklen_t *len)
{
	return do_getname(st, fd, addr, len, 0);
}

TN_EXPORT int tn_getpeername(struct tn_stack *st, int fd, struct sockaddr *addr, socklen_t *len)
{
	return do_getname(st, fd, addr, len, 1);
}

TN_EXPORT int tn_setsockopt(struct tn_stack *st, int fd, int level, int optname,
			    const void *optval, socklen_t optlen)
{
	struct sock_call c;
	int err = sock_call_begin(&c, st, fd, false);

	if (!err && (int)optlen < 0)
		err = -EINVAL;
	if (!err) {
		if (level == SOL_SOCKET)
			err = sock_setsockopt(c.sock->sk, optname, optval, optlen);
		else if (c.sock->ops->setsockopt)
			err = c.sock->ops->setsockopt(c.sock, level, optname, optval, optlen);
		else
			err = -EOPNOTSUPP;
	}
	return (int)sock_call_end(&c, err);
}

TN_EXPORT int tn_getsockopt(struct tn_stack *st, int fd, int level, int optname, void *optval,
			    socklen_t *optlen)
{
	struct sock_call c;
	int err = sock_call_begin(&c, st, fd, false);

	if (!err && !optlen)
		err = -EFAULT;
	if (!err) {
		if (level == SOL_SOCKET)
			err = sock_getsockopt(c.sock->sk, optname, optval, optlen);
		else if (c.sock->ops->getsockopt)
			err = c.sock->ops->getsockopt(c.sock, level, optname, optval, optlen);
		else
			err = -EOPNOTSUPP;
	}
	return (int)sock_call_end(&c, err);
}

/* ---- fcntl and ioctl -------------------------------------------------- */

static int do_fcntl(struct tn_stack *st, int fd, struct tn_file *f, int cmd, long arg)
{
	switch (cmd) {
	case F_GETFD:
		return close_on_exec(st->fdt, (unsigned int)fd) ? FD_CLOEXEC : 0;
	case F_SETFD:
		set_close_on_exec(st->fdt, (unsigned int)fd, arg & FD_CLOEXEC);
		return 0;
	case F_GETFL:
		return (int)f->f_flags;
	case F_SETFL:
		if (arg & O_DIRECT)
			return -EINVAL;   /* sockets cannot do direct I/O */
		f->f_flags = ((unsigned int)arg & SETFL_MASK) | (f->f_flags & ~SETFL_MASK);
		return 0;
	case F_GETOWN:
		return f->owner_tid;
	case F_SETOWN:
		f->owner_tid = (int)arg;
		return 0;
	default:
		return -EINVAL;
	}
}

TN_EXPORT int tn_fcntl(struct tn_stack *st, int fd, int cmd, ...)
{
	struct tn_file *f;
	va_list ap;
	long arg;
	int ret;

	va_start(ap, cmd);
	arg = va_arg(ap, long);   /* read even when unused: fcntl's ABI passes one */
	va_end(ap);
	tn_stack_lock(st);
	f = fget(st, fd);
	ret = f ? do_fcntl(st, fd, f, cmd, arg) : -EBADF;
	if (f)
		fput(f);
	tn_stack_unlock(st);
	return (int)tn_ret(ret);
}

/* FIONBIO is the file's, not the socket's (Linux's do_vfs_ioctl). */
static int do_ioctl(struct socket *sock, unsigned long request, void *argp)
{
	int val;

	switch (request) {
	case FIONBIO:
		if (!argp)
			return -EFAULT;
		memcpy(&val, argp, sizeof(val));
		if (val)
			sock->file->f_flags |= O_NONBLOCK;
		else
			sock->file->f_flags &= ~O_NONBLOCK;
		return 0;
	case FIOASYNC:
		if (!argp)
			return -EFAULT;
		memcpy(&val, argp, sizeof(val));
		if (val)
			sock->file->f_flags |= O_ASYNC;
		else
			sock->file->f_flags &= ~O_ASYNC;
		return 0;
	}
	if (!sock->ops->ioctl)
		return -ENOTTY;
	return sock->ops->ioctl(sock, request, argp);
}

TN_EXPORT int tn_ioctl(struct tn_stack *st, int fd, unsigned long request, ...)
{
	struct sock_call c;
	va_list ap;
	void *argp;
	int err;

	va_start(ap, request);
	argp = va_arg(ap, void *);
	va_end(ap);
	err = sock_call_begin(&c, st, fd, false);
	if (!err)
		err = do_ioctl(c.sock, request, argp);
	return (int)sock_call_end(&c, err);
}

/* ---- poll ------------------------------------------------------------- */

/* One round over the descriptors: revents for each and how many are ready.
 * With entries (sleeping next), each file's queue also gets one, and the
 * file is held in files[] until poll_unregister. */
static int poll_round(struct tn_stack *st, struct pollfd *fds, nfds_t nfds,
		      struct wait_queue_entry *entries, struct tn_file **files,
		      struct tn_waiter *w)
{
	int count = 0;

	for (nfds_t i = 0; i < nfds; i++) {
		struct tn_file *f;
		u32 mask;

		fds[i].revents = 0;
		if (fds[i].fd < 0)
			continue;
		f = fget(st, fds[i].fd);
		if (!f) {
			fds[i].revents = POLLNVAL;
			count++;
			continue;
		}
		mask = f->f_op->poll ? f->f_op->poll(f) : 0;
		fds[i].revents = (short)(mask & ((u16)fds[i].events | POLLERR | POLLHUP));
		if (fds[i].revents)
			count++;
		if (entries && f->f_op->wait_queue) {
			init_waitqueue_func_entry(&entries[i], tn_waiter_wake);
			entries[i].private = w;
			add_wait_queue(f->f_op->wait_queue(f), &entries[i]);
			files[i] = f;
		} else {
			fput(f);
		}
	}
	return count;
}

static void poll_unregister(struct wait_queue_entry *entries, struct tn_file **files,
			    nfds_t nfds)
{
	for (nfds_t i = 0; i < nfds; i++) {
		if (!files[i])
			continue;
		remove_wait_queue(files[i]->f_op->wait_queue(files[i]), &entries[i]);
		fput(files[i]);
		files[i] = NULL;
	}
}

static int do_poll(struct tn_stack *st, struct pollfd *fds, nfds_t nfds, int timeout)
{
	struct wait_queue_entry *entries;
	struct tn_file **files;
	struct tn_waiter w;
	int count, err = 0;

	count = poll_round(st, fds, nfds, NULL, NULL, NULL);
	if (count || timeout == 0)
		return count;
	entries = calloc(nfds ? nfds : 1, sizeof(*entries));
	files = calloc(nfds ? nfds : 1, sizeof(*files));
	if (!entries || !files) {
		free(entries);
		free(files);
		return -ENOMEM;
	}
	tn_waiter_init(&w, st);
	if (timeout > 0)
		w.deadline = tn_now(st) + (u64)timeout * NSEC_PER_MSEC;
	for (;;) {
		count = poll_round(st, fds, nfds, entries, files, &w);
		if (count)
			break;
		err = tn_waiter_sleep(&w);
		w.woken = false;
		poll_unregister(entries, files, nfds);
		if (err)
			break;
	}
	poll_unregister(entries, files, nfds);
	tn_waiter_destroy(&w);
	free(entries);
	free(files);
	if (err == -ETIMEDOUT)
		return 0;
	return err ? err : count;
}

TN_EXPORT int tn_poll(struct tn_stack *st, struct pollfd *fds, nfds_t nfds, int timeout)
{
	int ret;

	if (nfds > TN_FD_MAX)
		return (int)tn_ret(-EINVAL);
	if (nfds && !fds)
		return (int)tn_ret(-EFAULT);
	tn_stack_lock(st);
	tn_thread_enter(st);
	ret = do_poll(st, fds, nfds, timeout);
	tn_thread_exit(st);
	tn_stack_unlock(st);
	return (int)tn_ret(ret);
}

/* ---- namespaces ------------------------------------------------------- */

TN_EXPORT int tn_setns(struct tn_stack *st, const char *name)
{
	struct tn_thread_ns *slot;
	struct net *net;
	int err = 0;

	tn_stack_lock(st);
	if (!name || !*name) {
		slot = thread_ns_slot(st, false);
		if (slot)
			slot->st = NULL;
	} else if (!(net = net_get_by_name(st, name))) {
		err = -ENOENT;
	} else if (!(slot = thread_ns_slot(st, true))) {
		err = -ENOMEM;
	} else {
		slot->ns_id = net->ns_id;
	}
	tn_stack_unlock(st);
	return (int)tn_ret(err);
}

TN_EXPORT int tn_netns_add(struct tn_stack *st, const char *name)
{
	int err = 0;

	if (!name || !*name || strchr(name, '/'))
		return (int)tn_ret(-EINVAL);
	tn_stack_lock(st);
	net_create(st, name, &err);
	tn_stack_unlock(st);
	return (int)tn_ret(err);
}

/* Linux keeps a namespace alive while sockets use it after `ip netns del`;
 * here a namespace goes at once, so deleting one that still holds sockets
 * (each holds a reference) is refused with EBUSY. */
TN_EXPORT int tn_netns_del(struct tn_stack *st, const char *name)
{
	struct net *net;
	int err = 0;

	if (!name || !*name)
		return (int)tn_ret(-EINVAL);
	tn_stack_lock(st);
	net = net_get_by_name(st, name);
	if (!net)
		err = -ENOENT;
	else if (net->refcnt > 1)
		err = -EBUSY;
	else
		net_destroy(net);
	tn_stack_unlock(st);
	return (int)tn_ret(err);
}
