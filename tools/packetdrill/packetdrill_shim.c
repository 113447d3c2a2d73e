/*
 * libtuxnet-packetdrill.so: tuxnet as a stack under test for packetdrill
 * (`packetdrill --so_filename=build/libtuxnet-packetdrill.so
 * --so_flags=ip=192.168.0.1,peer=192.0.2.1,mtu=1500 script.pkt`).
 *
 * packetdrill_interface_init builds one stack on a virtual clock with one
 * IP-level device, "tun0" (drivers/net/ipdev.c), holding the local address
 * and a route to the peer, and fills the table of packetdrill_interface.h.
 * Everything lives in one struct pd_shim that the table's userdata points
 * to; the shim has no state of its own beyond it.
 *
 * Descriptors. packetdrill keeps its own books of the descriptors a script
 * opens and closes them with close(2) if a script leaves them open, so each
 * tuxnet descriptor is paired with a real host descriptor (an eventfd that
 * nothing reads) and packetdrill only ever sees the host one. The pairing
 * is a table indexed by host descriptor, under its own mutex, since
 * packetdrill calls from two threads.
 *
 * Time. The stack's clock is virtual; packetdrill's clock is the stack's
 * plus a fixed epoch. The virtual clock moves when every thread inside the
 * stack sleeps (net/wait.h). packetdrill's main thread, the one that runs
 * the script, counts as inside the stack from init to free (the shim takes
 * one tn_thread_enter for it), so a system-call thread blocked in accept
 * does not make time run away on its own while the script is between
 * steps. The main thread lets time move only where packetdrill waits:
 * usleep sleeps in the stack until the clock has moved by the asked
 * amount, and netdev_receive sleeps until the device transmits; both are
 * ordinary stack waiters, so the clock jumps to the next timer only when
 * the system-call thread is asleep too. gettimeofday moves the clock by a
 * microsecond per call, so that packetdrill's spin loops end. Blocking
 * socket calls sleep on condition variables, so packetdrill sees its
 * system-call thread asleep (state S) exactly when the call blocks.
 *
 * So usleep, netdev_receive and gettimeofday belong to one thread (the
 * script's), and that thread makes no blocking socket call of its own:
 * it would wait for time that only it can move. packetdrill keeps to
 * both rules.
 *
 * Not here: IPv6 (the stack has none yet), pipe and splice (ENOSYS).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/eventfd.h>

#include "net/skbuff.h"
#include "net/ipdev.h"
#include "net/net_namespace.h"
#include "net/stack.h"
#include "net/wait.h"
#include "tuxnet/tuxnet.h"
#include "packetdrill_interface.h"
#include "script_sysctl.h"

#define PD_EXPORT __attribute__((visibility("default")))

#define PD_DEVICE "tun0"
/* packetdrill's clock at virtual time 0 (2023-11-14), in microseconds. */
#define PD_EPOCH_USECS (1700000000ull * 1000000ull)
/* How long netdev_receive waits for a packet that never comes. */
#define PD_RECEIVE_HORIZON_NS (10ull * 1000000000ull)
#define PD_NSEC_PER_USEC 1000ull
#define PD_DEFAULT_SEED 0x7061636b65746472ull   /* "packetdr" */
/* A descriptor the stack never hands out: poll reports POLLNVAL for it. */
#define PD_FD_NOT_OURS INT_MAX

/* What --so_flags may set; addresses in host order. */
struct pd_config {
	u32 local;        /* ip= / local= (192.168.0.1) */
	u32 peer;         /* peer= / remote= (192.0.2.1) */
	u32 gateway;      /* gateway= (0: the peer is on the link) */
	int prefixlen;    /* netmask= or prefix= (16: packetdrill's 255.255.0.0) */
	unsigned int mtu; /* mtu= (1500) */
	u64 seed;         /* seed= (a fixed default, so runs replay) */
	bool script_sysctls; /* script_sysctls= (1): apply the script's own
			      * sysctl shell commands (script_sysctl.c) */
	/* sysctl=KEY=VALUE, any number: written once the stack is up, as
	 * the shell commands of a script (`sysctl -q ...`) would on Linux */
	char **sysctls;
	int nsysctls;
};

/* Host descriptor -> tuxnet descriptor (-1: not ours). */
struct pd_fdmap {
	pthread_mutex_t lock;
	int *tn_fd;
	size_t size;
};

struct pd_shim {
	struct tn_stack *st;
	struct net_device *dev;  /* tun0: held by the stack, gone with it */
	struct pd_fdmap fds;
	struct pd_config cfg;
	bool script_inside;      /* the script's thread counts as inside the stack */
};

/* ---- the descriptor table --------------------------------------------- */

static int fdmap_grow(struct pd_fdmap *m, size_t need)
{
	size_t n = m->size ? m->size : 64;
	int *t;

	while (n <= need)
		n *= 2;
	t = realloc(m->tn_fd, n * sizeof(*t));
	if (!t)
		return -1;
	for (size_t i = m->size; i < n; i++)
		t[i] = -1;
	m->tn_fd = t;
	m->size = n;
	return 0;
}

/* Pair tn_fd with a new host descriptor and return that; on failure the
 * tuxnet descriptor is closed and -1 returned with errno set. */
static int fd_install(struct pd_shim *s, int tn_fd)
{
	int host = eventfd(0, EFD_CLOEXEC);
	int err = 0;

	if (host < 0) {
		err = errno;
	} else {
		pthread_mutex_lock(&s->fds.lock);
		if ((size_t)host >= s->fds.size && fdmap_grow(&s->fds, (size_t)host) < 0)
			err = ENOMEM;
		else
			s->fds.tn_fd[host] = tn_fd;
		pthread_mutex_unlock(&s->fds.lock);
	}
	if (err) {
		if (host >= 0)
			close(host);
		tn_close(s->st, tn_fd);
		errno = err;
		return -1;
	}
	return host;
}

/* The tuxnet descriptor behind host, or -1 with errno EBADF. */
static int fd_lookup(struct pd_shim *s, int host)
{
	int tn_fd = -1;

	pthread_mutex_lock(&s->fds.lock);
	if (host >= 0 && (size_t)host < s->fds.size)
		tn_fd = s->fds.tn_fd[host];
	pthread_mutex_unlock(&s->fds.lock);
	if (tn_fd < 0)
		errno = EBADF;
	return tn_fd;
}

/* Forget host's pairing; returns the tuxnet descriptor it had, or -1. */
static int fd_forget(struct pd_shim *s, int host)
{
	int tn_fd = -1;

	pthread_mutex_lock(&s->fds.lock);
	if (host >= 0 && (size_t)host < s->fds.size) {
		tn_fd = s->fds.tn_fd[host];
		s->fds.tn_fd[host] = -1;
	}
	pthread_mutex_unlock(&s->fds.lock);
	return tn_fd;
}

/* A call's result that is a new tuxnet descriptor becomes a host one. */
static int fd_result(struct pd_shim *s, int tn_fd)
{
	return tn_fd < 0 ? -1 : fd_install(s, tn_fd);
}

/* ---- userdata --------------------------------------------------------- */

/* The shim behind userdata; NULL (errno ENODEV) if init failed. */
static struct pd_shim *shim_of(void *userdata)
{
	if (!userdata)
		errno = ENODEV;
	return userdata;
}

/* The shim and the tuxnet descriptor of a call on host descriptor fd. */
static struct pd_shim *shim_fd(void *userdata, int fd, int *tn_fd)
{
	struct pd_shim *s = shim_of(userdata);

	if (!s)
		return NULL;
	*tn_fd = fd_lookup(s, fd);
	return *tn_fd < 0 ? NULL : s;
}

/* ---- socket calls ----------------------------------------------------- */

static int pd_socket(void *userdata, int domain, int type, int protocol)
{
	struct pd_shim *s = shim_of(userdata);

	return s ? fd_result(s, tn_socket(s->st, domain, type, protocol)) : -1;
}

static int pd_bind(void *userdata, int fd, const struct sockaddr *addr, socklen_t len)
{
	int t;
	struct pd_shim *s = shim_fd(userdata, fd, &t);

	return s ? tn_bind(s->st, t, addr, len) : -1;
}

static int pd_listen(void *userdata, int fd, int backlog)
{
	int t;
	struct pd_shim *s = shim_fd(userdata, fd, &t);

	return s ? tn_listen(s->st, t, backlog) : -1;
}

static int pd_accept(void *userdata, int fd, struct sockaddr *addr, socklen_t *len)
{
	int t;
	struct pd_shim *s = shim_fd(userdata, fd, &t);

	return s ? fd_result(s, tn_accept(s->st, t, addr, len)) : -1;
}

static int pd_connect(void *userdata, int fd, const struct sockaddr *addr, socklen_t len)
{
	int t;
	struct pd_shim *s = shim_fd(userdata, fd, &t);

	return s ? tn_connect(s->st, t, addr, len) : -1;
}

static ssize_t pd_read(void *userdata, int fd, void *buf, size_t count)
{
	int t;
	struct pd_shim *s = shim_fd(userdata, fd, &t);

	return s ? tn_read(s->st, t, buf, count) : -1;
}

static ssize_t pd_readv(void *userdata, int fd, const struct iovec *iov, int iovcnt)
{
	int t;
	struct pd_shim *s = shim_fd(userdata, fd, &t);

	return s ? tn_readv(s->st, t, iov, iovcnt) : -1;
}

static ssize_t pd_recv(void *userdata, int fd, void *buf, size_t len, int flags)
{
	int t;
	struct pd_shim *s = shim_fd(userdata, fd, &t);

	return s ? tn_recv(s->st, t, buf, len, flags) : -1;
}

static ssize_t pd_recvfrom(void *userdata, int fd, void *buf, size_t len, int flags,
			   struct sockaddr *src, socklen_t *srclen)
{
	int t;
	struct pd_shim *s = shim_fd(userdata, fd, &t);

	return s ? tn_recvfrom(s->st, t, buf, len, flags, src, srclen) : -1;
}

static ssize_t pd_recvmsg(void *userdata, int fd, struct msghdr *msg, int flags)
{
	int t;
	struct pd_shim *s = shim_fd(userdata, fd, &t);

	return s ? tn_recvmsg(s->st, t, msg, flags) : -1;
}

static ssize_t pd_write(void *userdata, int fd, const void *buf, size_t count)
{
	int t;
	struct pd_shim *s = shim_fd(userdata, fd, &t);

	return s ? tn_write(s->st, t, buf, count) : -1;
}

static ssize_t pd_writev(void *userdata, int fd, const struct iovec *iov, int iovcnt)
{
	int t;
	struct pd_shim *s = shim_fd(userdata, fd, &t);

	return s ? tn_writev(s->st, t, iov, iovcnt) : -1;
}

static ssize_t pd_send(void *userdata, int fd, const void *buf, size_t len, int flags)
{
	int t;
	struct pd_shim *s = shim_fd(userdata, fd, &t);

	return s ? tn_send(s->st, t, buf, len, flags) : -1;
}

static ssize_t pd_sendto(void *userdata, int fd, const void *buf, size_t len, int flags,
			 const struct sockaddr *dst, socklen_t dstlen)
{
	int t;
	struct pd_shim *s = shim_fd(userdata, fd, &t);

	return s ? tn_sendto(s->st, t, buf, len, flags, dst, dstlen) : -1;
}

static ssize_t pd_sendmsg(void *userdata, int fd, const struct msghdr *msg, int flags)
{
	int t;
	struct pd_shim *s = shim_fd(userdata, fd, &t);

	return s ? tn_sendmsg(s->st, t, msg, flags) : -1;
}

/* The commands that take no argument; every other one takes an int or a
 * pointer, which travel alike as a long on every ABI we build for. */
static bool fcntl_has_arg(int cmd)
{
	return cmd != F_GETFD && cmd != F_GETFL && cmd != F_GETOWN;
}

static int pd_fcntl(void *userdata, int fd, int cmd, ...)
{
	int t;
	struct pd_shim *s = shim_fd(userdata, fd, &t);
	long arg = 0;
	va_list ap;

	if (!s)
		return -1;
	if (fcntl_has_arg(cmd)) {
		va_start(ap, cmd);
		arg = va_arg(ap, long);
		va_end(ap);
	}
	return tn_fcntl(s->st, t, cmd, arg);
}

static int pd_ioctl(void *userdata, int fd, unsigned long request, ...)
{
	int t;
	struct pd_shim *s = shim_fd(userdata, fd, &t);
	void *argp;
	va_list ap;

	if (!s)
		return -1;
	va_start(ap, request);
	argp = va_arg(ap, void *);
	va_end(ap);
	return tn_ioctl(s->st, t, request, argp);
}

/* Both halves go; the tuxnet result (and errno) is the call's. */
static int pd_close(void *userdata, int fd)
{
	struct pd_shim *s = shim_of(userdata);
	int t, ret, err;

	if (!s)
		return -1;
	t = fd_forget(s, fd);
	if (t < 0) {
		errno = EBADF;
		return -1;
	}
	ret = tn_close(s->st, t);
	err = errno;
	close(fd);
	errno = err;
	return ret;
}

static int pd_shutdown(void *userdata, int fd, int how)
{
	int t;
	struct pd_shim *s = shim_fd(userdata, fd, &t);

	return s ? tn_shutdown(s->st, t, how) : -1;
}

static int pd_getsockopt(void *userdata, int fd, int level, int optname, void *optval,
			 socklen_t *optlen)
{
	int t;
	struct pd_shim *s = shim_fd(userdata, fd, &t);

	return s ? tn_getsockopt(s->st, t, level, optname, optval, optlen) : -1;
}

static int pd_setsockopt(void *userdata, int fd, int level, int optname, const void *optval,
			 socklen_t optlen)
{
	int t;
	struct pd_shim *s = shim_fd(userdata, fd, &t);

	return s ? tn_setsockopt(s->st, t, level, optname, optval, optlen) : -1;
}

/* poll over a copy whose descriptors are the tuxnet ones; a host
 * descriptor that is not ours maps to one the stack reports POLLNVAL for,
 * as the kernel does for a closed descriptor. */
static int pd_poll(void *userdata, struct pollfd *fds, nfds_t nfds, int timeout)
{
	struct pd_shim *s = shim_of(userdata);
	struct pollfd *tfds;
	int ret;

	if (!s)
		return -1;
	tfds = calloc(nfds ? nfds : 1, sizeof(*tfds));
	if (!tfds) {
		errno = ENOMEM;
		return -1;
	}
	for (nfds_t i = 0; i < nfds; i++) {
		tfds[i] = fds[i];
		if (fds[i].fd >= 0) {
			int t = fd_lookup(s, fds[i].fd);
			tfds[i].fd = t < 0 ? PD_FD_NOT_OURS : t;
		}
	}
	ret = tn_poll(s->st, tfds, nfds, timeout);
	for (nfds_t i = 0; ret >= 0 && i < nfds; i++)
		fds[i].revents = tfds[i].revents;
	free(tfds);
	return ret;
}

/* ---- epoll, pipe, splice ---------------------------------------------- */

/* An epoll descriptor is paired like a socket; the events' data words
 * are the caller's and pass through untouched. */
static int pd_epoll_create(void *userdata, int size)
{
	struct pd_shim *s = shim_of(userdata);

	return s ? fd_result(s, tn_epoll_create(s->st, size)) : -1;
}

static int pd_epoll_ctl(void *userdata, int epfd, int op, int fd, struct epoll_event *event)
{
	int tep, t;
	struct pd_shim *s = shim_fd(userdata, epfd, &tep);

	if (!s || (t = fd_lookup(s, fd)) < 0)
		return -1;
	return tn_epoll_ctl(s->st, tep, op, t, event);
}

static int pd_epoll_wait(void *userdata, int epfd, struct epoll_event *events, int maxevents,
			 int timeout)
{
	int t;
	struct pd_shim *s = shim_fd(userdata, epfd, &t);

	return s ? tn_epoll_wait(s->st, t, events, maxevents, timeout) : -1;
}

static int pd_pipe(void *userdata, int pipefd[2])
{
	(void)userdata;
	(void)pipefd;
	errno = ENOSYS;
	return -1;
}

static int pd_splice(void *userdata, int fd_in, loff_t *off_in, int fd_out, loff_t *off_out,
		     size_t len, unsigned int flags)
{
	(void)userdata;
	(void)fd_in;
	(void)off_in;
	(void)fd_out;
	(void)off_out;
	(void)len;
	(void)flags;
	errno = ENOSYS;
	return -1;
}

/* ---- the wire --------------------------------------------------------- */

static int pd_netdev_send(void *userdata, const void *buf, size_t count)
{
	struct pd_shim *s = shim_of(userdata);
	int err;

	if (!s)
		return -1;
	tn_stack_lock(s->st);
	err = ipdev_inject(s->dev, buf, count);
	tn_stack_unlock(s->st);   /* the packet is processed here */
	if (err) {
		errno = -err;
		return -1;
	}
	return 0;
}

/* Sleep in the stack until tun0 has transmitted or the horizon passed.
 * Caller holds the lock; it is the script's thread, counted inside. */
static struct sk_buff *wait_for_tx(struct pd_shim *s)
{
	struct tn_waiter w;
	struct sk_buff *skb;

	tn_waiter_init(&w, s->st);
	w.deadline = tn_now(s->st) + PD_RECEIVE_HORIZON_NS;
	add_wait_queue(ipdev_tx_wait_queue(s->dev), &w.wq);
	while (!(skb = ipdev_pop_tx(s->dev))) {
		int err = tn_waiter_sleep(&w);

		w.woken = false;
		if (err)
			break;
	}
	remove_wait_queue(ipdev_tx_wait_queue(s->dev), &w.wq);
	tn_waiter_destroy(&w);
	return skb;
}

static int pd_netdev_receive(void *userdata, void *buf, size_t *count, long long *time_usecs)
{
	struct pd_shim *s = shim_of(userdata);
	struct sk_buff *skb;
	size_t len = 0;

	if (!s) {
		*count = 0;    /* a -1 would make packetdrill ask again forever */
		return 0;
	}
	tn_stack_lock(s->st);
	skb = wait_for_tx(s);
	if (skb) {
		len = skb->len < *count ? skb->len : *count;
		memcpy(buf, skb->data, len);
		*time_usecs = (long long)(PD_EPOCH_USECS + skb->tstamp / PD_NSEC_PER_USEC);
		consume_skb(skb);
	} else {
		*time_usecs = (long long)(PD_EPOCH_USECS + tn_now(s->st) / PD_NSEC_PER_USEC);
	}
	tn_stack_unlock(s->st);
	*count = len;
	return 0;
}

/* ---- the clock -------------------------------------------------------- */

/* A waiter on no queue with a deadline: it returns when virtual time has
 * reached the deadline, which happens once every other thread inside the
 * stack sleeps too. The script's thread is counted inside already. */
static int pd_usleep(void *userdata, useconds_t usec)
{
	struct pd_shim *s = shim_of(userdata);
	struct tn_waiter w;
	int err;

	if (!s)
		return -1;
	tn_stack_lock(s->st);
	tn_waiter_init(&w, s->st);
	w.deadline = tn_now(s->st) + (u64)usec * PD_NSEC_PER_USEC;
	err = tn_waiter_sleep(&w);
	tn_waiter_destroy(&w);
	tn_stack_unlock(s->st);
	if (err == -EINTR) {
		errno = EINTR;
		return -1;
	}
	return 0;
}

/* Each reading moves the clock by a microsecond, running what falls due,
 * so that a loop reading the clock sees time pass. */
static int pd_gettimeofday(void *userdata, struct timeval *tv, struct timezone *tz)
{
	struct pd_shim *s = shim_of(userdata);
	u64 usecs;

	if (!s)
		return -1;
	tn_stack_lock(s->st);
	tn_stack_run_until_locked(s->st, tn_now(s->st) + PD_NSEC_PER_USEC);
	usecs = PD_EPOCH_USECS + tn_now(s->st) / PD_NSEC_PER_USEC;
	tn_stack_unlock(s->st);
	if (tv) {
		tv->tv_sec = (time_t)(usecs / 1000000ull);
		tv->tv_usec = (suseconds_t)(usecs % 1000000ull);
	}
	if (tz)
		memset(tz, 0, sizeof(*tz));
	return 0;
}

/* ---- --so_flags ------------------------------------------------------- */

static void config_defaults(struct pd_config *c)
{
	c->local = 0xc0a80001;     /* 192.168.0.1 */
	c->peer = 0xc0000201;      /* 192.0.2.1 */
	c->gateway = 0;
	c->prefixlen = 16;
	c->mtu = 1500;
	c->seed = PD_DEFAULT_SEED;
	c->script_sysctls = true;
}

static int parse_addr(const char *v, u32 *out)
{
	struct in_addr a;

	if (inet_pton(AF_INET, v, &a) != 1)
		return -1;
	*out = ntohl(a.s_addr);
	return 0;
}

static int parse_ulong(const char *v, unsigned long max, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(v, &end, 0);
	return (errno || end == v || *end || *out > max) ? -1 : 0;
}

/* A dotted netmask must be contiguous ones. */
static int parse_netmask(const char *v, int *prefixlen)
{
	u32 m;
	int n;

	if (parse_addr(v, &m) < 0)
		return -1;
	n = m ? __builtin_popcount(m) : 0;
	if (m != (n ? ~0u << (32 - n) : 0))
		return -1;
	*prefixlen = n;
	return 0;
}

/* One key=value pair; -1 for an unknown key or a bad value. */
static int config_set(struct pd_config *c, const char *key, const char *v)
{
	unsigned long n;

	if (!strcmp(key, "ip") || !strcmp(key, "local") || !strcmp(key, "local_ip"))
		return parse_addr(v, &c->local);
	if (!strcmp(key, "peer") || !strcmp(key, "remote") || !strcmp(key, "remote_ip"))
		return parse_addr(v, &c->peer);
	if (!strcmp(key, "gateway") || !strcmp(key, "gateway_ip"))
		return parse_addr(v, &c->gateway);
	if (!strcmp(key, "netmask") || !strcmp(key, "netmask_ip"))
		return parse_netmask(v, &c->prefixlen);
	if (!strcmp(key, "prefix")) {
		if (parse_ulong(v, 32, &n) < 0)
			return -1;
		c->prefixlen = (int)n;
		return 0;
	}
	if (!strcmp(key, "mtu")) {
		if (parse_ulong(v, 65535, &n) < 0 || n < 68)
			return -1;
		c->mtu = (unsigned int)n;
		return 0;
	}
	if (!strcmp(key, "sysctl")) {
		char **t;

		if (!strchr(v, '=') || strchr(v, '\''))
			return -1;
		t = realloc(c->sysctls, sizeof(*t) * (size_t)(c->nsysctls + 1));
		if (!t)
			return -1;
		c->sysctls = t;
		t[c->nsysctls] = strdup(v);
		return t[c->nsysctls++] ? 0 : -1;
	}
	if (!strcmp(key, "seed")) {
		if (parse_ulong(v, ~0ul, &n) < 0)
			return -1;
		c->seed = n;
		return 0;
	}
	if (!strcmp(key, "script_sysctls")) {
		if (parse_ulong(v, 1, &n) < 0)
			return -1;
		c->script_sysctls = n;
		return 0;
	}
	return -1;
}

/* "k=v,k=v,...": every pair must be known and valid. Prints what is wrong. */
static int config_parse(struct pd_config *c, const char *flags)
{
	char *copy, *pair, *save = NULL;
	int ret = 0;

	config_defaults(c);
	if (!flags || !*flags)
		return 0;
	copy = strdup(flags);
	if (!copy)
		return -1;
	for (pair = strtok_r(copy, ",", &save); pair; pair = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(pair, '=');

		if (eq)
			*eq = '\0';
		if (!eq || config_set(c, pair, eq + 1) < 0) {
			fprintf(stderr, "tuxnet-packetdrill: bad --so_flags entry '%s%s%s'\n",
				pair, eq ? "=" : "", eq ? eq + 1 : "");
			ret = -1;
			break;
		}
	}
	free(copy);
	return ret;
}

/* ---- the stack -------------------------------------------------------- */

static void addr_str(u32 a, char *buf, size_t len)
{
	struct in_addr in = { .s_addr = htonl(a) };

	inet_ntop(AF_INET, &in, buf, (socklen_t)len);
}

/* tun0's address and the route to the peer, as a script of ip commands. */
static int configure_addresses(struct pd_shim *s)
{
	char local[INET_ADDRSTRLEN], peer[INET_ADDRSTRLEN], gw[INET_ADDRSTRLEN];
	char script[256];

	addr_str(s->cfg.local, local, sizeof(local));
	addr_str(s->cfg.peer, peer, sizeof(peer));
	addr_str(s->cfg.gateway, gw, sizeof(gw));
	if (s->cfg.gateway)
		snprintf(script, sizeof(script),
			 "ip addr add %s/%d dev " PD_DEVICE "\n"
			 "ip route add %s/32 via %s dev " PD_DEVICE,
			 local, s->cfg.prefixlen, peer, gw);
	else
		snprintf(script, sizeof(script),
			 "ip addr add %s/%d dev " PD_DEVICE "\n"
			 "ip route add %s/32 dev " PD_DEVICE,
			 local, s->cfg.prefixlen, peer);
	return tn_command(s->st, script, stderr) ? -1 : 0;
}

/* Each sysctl=KEY=VALUE as `sysctl -q -w 'KEY=VALUE'`; an unknown key or
 * a refused value fails the init, as a bad flag does. */
static int apply_sysctls(struct pd_shim *s)
{
	for (int i = 0; i < s->cfg.nsysctls; i++) {
		char cmd[512];

		snprintf(cmd, sizeof(cmd), "sysctl -q -w '%s'", s->cfg.sysctls[i]);
		if (tn_command(s->st, cmd, stderr)) {
			fprintf(stderr, "tuxnet-packetdrill: --so_flags sysctl=%s refused\n",
				s->cfg.sysctls[i]);
			return -1;
		}
	}
	return 0;
}

static int stack_build(struct pd_shim *s)
{
	struct tn_stack_config cfg = { .virtual_time = 1, .seed = s->cfg.seed };

	s->st = tn_stack_create(&cfg);
	if (!s->st)
		return -1;
	tn_stack_lock(s->st);
	s->dev = ipdev_create(s->st->init_net, PD_DEVICE, s->cfg.mtu, true);
	tn_thread_enter(s->st);   /* the script's thread, until pd_free */
	s->script_inside = true;
	tn_stack_unlock(s->st);
	if (!s->dev) {
		fprintf(stderr, "tuxnet-packetdrill: cannot create " PD_DEVICE "\n");
		return -1;
	}
	if (configure_addresses(s) < 0)
		return -1;
	if (s->cfg.script_sysctls)
		pd_script_sysctls(s->st, NULL);
	return apply_sysctls(s);
}

static void pd_free(void *userdata)
{
	struct pd_shim *s = userdata;

	if (!s)
		return;
	if (s->script_inside) {
		tn_stack_lock(s->st);
		tn_thread_exit(s->st);
		tn_stack_unlock(s->st);
	}
	/* Like every unit test's teardown, say if anything was left alive. */
	if (s->st) {
		u64 live = tn_stack_free(s->st);

		if (live)
			fprintf(stderr, "tuxnet-packetdrill: %llu skbs/socks leaked\n",
				(unsigned long long)live);
	}
	for (size_t i = 0; i < s->fds.size; i++)
		if (s->fds.tn_fd[i] >= 0)
			close((int)i);
	free(s->fds.tn_fd);
	for (int i = 0; i < s->cfg.nsysctls; i++)
		free(s->cfg.sysctls[i]);
	free(s->cfg.sysctls);
	pthread_mutex_destroy(&s->fds.lock);
	free(s);
}

static struct pd_shim *shim_create(const char *flags)
{
	struct pd_shim *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	pthread_mutex_init(&s->fds.lock, NULL);
	if (config_parse(&s->cfg, flags) < 0 || stack_build(s) < 0) {
		pd_free(s);
		return NULL;
	}
	return s;
}

static const struct packetdrill_interface pd_ops = {
	.free = pd_free,
	.socket = pd_socket,
	.bind = pd_bind,
	.listen = pd_listen,
	.accept = pd_accept,
	.connect = pd_connect,
	.read = pd_read,
	.readv = pd_readv,
	.recv = pd_recv,
	.recvfrom = pd_recvfrom,
	.recvmsg = pd_recvmsg,
	.write = pd_write,
	.writev = pd_writev,
	.send = pd_send,
	.sendto = pd_sendto,
	.sendmsg = pd_sendmsg,
	.fcntl = pd_fcntl,
	.ioctl = pd_ioctl,
	.close = pd_close,
	.shutdown = pd_shutdown,
	.getsockopt = pd_getsockopt,
	.setsockopt = pd_setsockopt,
	.poll = pd_poll,
	.netdev_send = pd_netdev_send,
	.netdev_receive = pd_netdev_receive,
	.usleep = pd_usleep,
	.gettimeofday = pd_gettimeofday,
	.epoll_create = pd_epoll_create,
	.epoll_ctl = pd_epoll_ctl,
	.epoll_wait = pd_epoll_wait,
	.pipe = pd_pipe,
	.splice = pd_splice,
};

/* Every member is filled even when the stack could not be built: then
 * userdata is NULL, every call fails with ENODEV and netdev_receive
 * reports nothing sent, so packetdrill stops at its first check. */
PD_EXPORT void packetdrill_interface_init(const char *flags, struct packetdrill_interface *ifc)
{
	*ifc = pd_ops;
	ifc->userdata = shim_create(flags);
}
