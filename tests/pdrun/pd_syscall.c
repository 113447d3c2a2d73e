/*
 * System call events: each call of a script made through the shim's
 * table, its result compared with the script's (`= 1000`, `= -1 EAGAIN`),
 * and for calls that fill memory (getsockopt, ioctl, poll, epoll_wait)
 * what they wrote compared with what the script shows.
 *
 * As in packetdrill (run_system_call.c), a call written with an end time
 * (`+0...0.1 accept(3, ..., ...) = 4`) runs on a second thread: the
 * script's thread hands it over, waits until that thread has returned or
 * sleeps in the host kernel (state S in /proc), and goes on with the next
 * event; the return time is checked when the call returns. Every other
 * call runs on the script's thread once the second one is idle.
 *
 * Locking: r->lock is held by whichever thread is doing bookkeeping; the
 * calls into the shim that may block are made with it released.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include "pdrun.h"
#include "packetdrill_interface.h"

#define PD_LIVE_PORT 8080          /* packetdrill's --bind_port / --connect_port */
#define PD_MAX_IO (1 << 20)

enum sys_state { SYS_IDLE, SYS_ENQUEUED, SYS_RUNNING, SYS_EXITING };

struct pd_sys {
	pthread_t thread;
	pthread_cond_t cond;       /* any change of state */
	enum sys_state state;
	struct pd_event *event;
	pid_t tid;
};

static bool on_sys_thread(struct pd_run *r)
{
	struct pd_sys *t = r->sys;

	return t && pthread_equal(pthread_self(), t->thread);
}

/* Around a call that may block: the syscall thread lets go of the lock. */
static void call_begin(struct pd_run *r)
{
	if (on_sys_thread(r))
		pthread_mutex_unlock(&r->lock);
}

static void call_end(struct pd_run *r)
{
	if (on_sys_thread(r))
		pthread_mutex_lock(&r->lock);
}

/* ---- arguments ---------------------------------------------------------- */

struct call {
	struct pd_run *r;
	struct pd_event *ev;
	void *ud;
	struct packetdrill_interface *ifc;
};

static bool bad_arg(struct call *c, int i, const char *what)
{
	return pd_errorf(c->r, c->ev->line, "%s: argument %d: %s", c->ev->name, i + 1, what);
}

static bool nargs(struct call *c, int lo, int hi)
{
	if (c->ev->nargs >= lo && c->ev->nargs <= hi)
		return true;
	return pd_errorf(c->r, c->ev->line, "%s: %d arguments", c->ev->name, c->ev->nargs);
}

static const struct pd_expr *arg(struct call *c, int i)
{
	return c->ev->args[i];
}

static bool int_arg(struct call *c, int i, long long *v)
{
	const struct pd_expr *e = arg(c, i);

	if (e->kind != PD_E_INT)
		return !bad_arg(c, i, "not a number");
	*v = e->num;
	return true;
}

/* [N] as an int. */
static bool bracket_int(struct call *c, int i, long long *v)
{
	const struct pd_expr *e = arg(c, i);

	if (e->kind == PD_E_INT) {
		*v = e->num;
		return true;
	}
	if (e->kind != PD_E_LIST || e->n != 1 || e->items[0]->kind != PD_E_INT)
		return !bad_arg(c, i, "not [number]");
	*v = e->items[0]->num;
	return true;
}

static bool fd_arg(struct call *c, int i, int *live)
{
	long long v = -1;

	if (!int_arg(c, i, &v))
		return false;
	if (pd_to_live_fd(c->r, (int)v, live) < 0)
		return pd_errorf(c->r, c->ev->line, "%s: unknown descriptor %lld", c->ev->name, v);
	return true;
}

/* A field of a struct expression by name, or by position. */
static const struct pd_expr *field(const struct pd_expr *s, const char *name, int pos)
{
	for (int i = 0; i < s->n; i++)
		if (s->items[i]->name && !strcmp(s->items[i]->name, name))
			return s->items[i];
	if (pos >= 0 && pos < s->n && !s->items[pos]->name)
		return s->items[pos];
	return NULL;
}

static bool field_int(const struct pd_expr *s, const char *name, int pos, long long *v)
{
	const struct pd_expr *f = field(s, name, pos);

	if (!f || f->kind != PD_E_INT)
		return false;
	*v = f->num;
	return true;
}

/* The address argument: ... is the live one packetdrill uses. */
static bool addr_arg(struct call *c, int i, bool local, struct sockaddr_in *sa)
{
	const struct pd_expr *e = arg(c, i);
	long long v;

	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons(PD_LIVE_PORT);
	sa->sin_addr.s_addr = local ? c->r->sock.local_ip : c->r->sock.remote_ip;
	if (e->kind == PD_E_ELLIPSIS)
		return true;
	if (e->kind != PD_E_STRUCT)
		return !bad_arg(c, i, "not an address");
	if (field_int(e, "sa_family", -1, &v) || field_int(e, "sin_family", -1, &v))
		sa->sin_family = (sa_family_t)v;
	if (field_int(e, "sin_port", -1, &v))
		sa->sin_port = (in_port_t)v;
	if (field_int(e, "sin_addr", -1, &v))
		sa->sin_addr.s_addr = (in_addr_t)v;
	return true;
}

/* ---- results -------------------------------------------------------------- */

/* Compare a call's result and errno with the script's. fd: any
 * non-negative result stands for the script's descriptor. */
static bool check_result(struct call *c, long long res, int err, bool fd)
{
	struct pd_event *ev = c->ev;

	if (ev->ret == -1) {
		if (res != -1)
			return pd_errorf(c->r, ev->line, "%s returned %lld, expected -1 %s",
					 ev->name, res, pd_errno_name(ev->err));
		if (ev->err && err != ev->err)
			return pd_errorf(c->r, ev->line, "%s: expected errno %s, got %s (%s)",
					 ev->name, pd_errno_name(ev->err), pd_errno_name(err),
					 strerror(err));
		return true;
	}
	if (res == -1)
		return pd_errorf(c->r, ev->line, "%s failed with %s (%s), expected %lld", ev->name,
				 pd_errno_name(err), strerror(err), ev->ret);
	if (fd ? res < 0 : res != ev->ret)
		return pd_errorf(c->r, ev->line, "%s returned %lld, expected %lld", ev->name, res,
				 ev->ret);
	return true;
}

static bool check_value(struct call *c, const char *what, long long want, long long got)
{
	if (want == got)
		return true;
	return pd_errorf(c->r, c->ev->line, "%s: %s is %lld (0x%llx), expected %lld (0x%llx)",
			 c->ev->name, what, got, (unsigned long long)got, want,
			 (unsigned long long)want);
}

/* ---- the calls ------------------------------------------------------------ */

static bool sys_socket(struct call *c)
{
	long long dom = AF_INET, type, proto;
	int res, err;

	if (!nargs(c, 3, 3))
		return false;
	if (arg(c, 0)->kind != PD_E_ELLIPSIS && !int_arg(c, 0, &dom))
		return false;
	if (!int_arg(c, 1, &type) || !int_arg(c, 2, &proto))
		return false;
	res = c->ifc->socket(c->ud, (int)dom, (int)type, (int)proto);
	err = errno;
	if (!check_result(c, res, err, true))
		return false;
	if (res >= 0) {
		pd_add_fd(c->r, (int)c->ev->ret, res);
		if ((type & 0xf) == SOCK_STREAM) {
			/* the new socket is the one under test */
			struct pd_sock *s = &c->r->sock;
			uint32_t lip = s->local_ip, rip = s->remote_ip;

			memset(s, 0, sizeof(*s));
			s->local_ip = lip;
			s->remote_ip = rip;
			s->state = PD_SOCK_NEW;
		}
	}
	return true;
}

static bool sys_bind(struct call *c)
{
	struct sockaddr_in sa;
	long long len;
	int fd, res, err;

	if (!nargs(c, 3, 3) || !fd_arg(c, 0, &fd) || !addr_arg(c, 1, true, &sa))
		return false;
	len = sizeof(sa);
	if (arg(c, 2)->kind != PD_E_ELLIPSIS && !int_arg(c, 2, &len))
		return false;
	res = c->ifc->bind(c->ud, fd, (struct sockaddr *)&sa, (socklen_t)len);
	err = errno;
	if (res == 0)
		c->r->sock.local_port = sa.sin_port;
	return check_result(c, res, err, false);
}

static bool sys_listen(struct call *c)
{
	long long backlog;
	int fd, res, err;

	if (!nargs(c, 2, 2) || !fd_arg(c, 0, &fd) || !int_arg(c, 1, &backlog))
		return false;
	res = c->ifc->listen(c->ud, fd, (int)backlog);
	err = errno;
	if (res == 0)
		c->r->sock.state = PD_SOCK_LISTENING;
	return check_result(c, res, err, false);
}

static bool sys_accept(struct call *c)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	int fd, res, err;

	if (!nargs(c, 3, 3) || !fd_arg(c, 0, &fd))
		return false;
	call_begin(c->r);
	res = c->ifc->accept(c->ud, fd, (struct sockaddr *)&sa, &len);
	err = errno;
	call_end(c->r);
	if (!check_result(c, res, err, true))
		return false;
	if (res >= 0)
		pd_add_fd(c->r, (int)c->ev->ret, res);
	return true;
}

static bool sys_connect(struct call *c)
{
	struct sockaddr_in sa;
	long long len = sizeof(sa);
	int fd, res, err;

	if (!nargs(c, 3, 3) || !fd_arg(c, 0, &fd) || !addr_arg(c, 1, false, &sa))
		return false;
	if (arg(c, 2)->kind != PD_E_ELLIPSIS && !int_arg(c, 2, &len))
		return false;
	if (c->r->sock.state == PD_SOCK_NEW) {
		c->r->sock.state = PD_SOCK_CONNECTING;
		c->r->sock.remote_port = sa.sin_port;
	}
	call_begin(c->r);
	res = c->ifc->connect(c->ud, fd, (struct sockaddr *)&sa, (socklen_t)len);
	err = errno;
	call_end(c->r);
	return check_result(c, res, err, false);
}

/* read/recv/recvfrom and write/send/sendto: a buffer of len zero bytes. */
static bool sys_rw(struct call *c, bool out, int nflags_at, int want_lo, int want_hi)
{
	long long len, flags = 0;
	int fd, err;
	ssize_t res;
	char *buf;

	if (!nargs(c, want_lo, want_hi) || !fd_arg(c, 0, &fd) || !int_arg(c, 2, &len))
		return false;
	if (nflags_at > 0 && !int_arg(c, nflags_at, &flags))
		return false;
	if (len < 0 || len > PD_MAX_IO)
		return bad_arg(c, 2, "length out of range");
	buf = calloc(1, (size_t)len + 1);
	if (!buf)
		abort();
	if (out && arg(c, 1)->kind == PD_E_STRING)
		memcpy(buf, arg(c, 1)->str, strnlen(arg(c, 1)->str, (size_t)len));
	call_begin(c->r);
	if (out && nflags_at < 0)
		res = c->ifc->write(c->ud, fd, buf, (size_t)len);
	else if (out && c->ev->nargs == 6)
		res = c->ifc->sendto(c->ud, fd, buf, (size_t)len, (int)flags, NULL, 0);
	else if (out)
		res = c->ifc->send(c->ud, fd, buf, (size_t)len, (int)flags);
	else if (nflags_at < 0)
		res = c->ifc->read(c->ud, fd, buf, (size_t)len);
	else if (c->ev->nargs == 6)
		res = c->ifc->recvfrom(c->ud, fd, buf, (size_t)len, (int)flags, NULL, NULL);
	else
		res = c->ifc->recv(c->ud, fd, buf, (size_t)len, (int)flags);
	err = errno;
	call_end(c->r);
	free(buf);
	return check_result(c, res, err, false);
}

/* readv/writev(fd, [{..., len}, ...], count) */
static bool sys_rwv(struct call *c, bool out)
{
	const struct pd_expr *l;
	struct iovec iov[16];
	long long cnt;
	int fd, err, n;
	ssize_t res;

	if (!nargs(c, 3, 3) || !fd_arg(c, 0, &fd) || !int_arg(c, 2, &cnt))
		return false;
	l = arg(c, 1);
	if (l->kind != PD_E_LIST || l->n > 16)
		return bad_arg(c, 1, "not a list of up to 16 {..., len}");
	n = l->n;
	for (int i = 0; i < n; i++) {
		long long len;

		if (l->items[i]->kind != PD_E_STRUCT ||
		    !field_int(l->items[i], "iov_len", 1, &len) || len < 0 || len > PD_MAX_IO)
			return bad_arg(c, 1, "bad iovec");
		iov[i].iov_len = (size_t)len;
		iov[i].iov_base = calloc(1, (size_t)len + 1);
		if (!iov[i].iov_base)
			abort();
	}
	call_begin(c->r);
	if (out)
		res = c->ifc->writev(c->ud, fd, iov, (int)cnt);
	else
		res = c->ifc->readv(c->ud, fd, iov, (int)cnt);
	err = errno;
	call_end(c->r);
	for (int i = 0; i < n; i++)
		free(iov[i].iov_base);
	return check_result(c, res, err, false);
}

/* The option value: [N], N, {onoff=, linger=}, "string". */
static bool optval(struct call *c, int i, void *buf, socklen_t *len)
{
	const struct pd_expr *e = arg(c, i);
	long long a, b;

	if (e->kind == PD_E_STRUCT) {
		struct linger l;

		if (!field_int(e, "onoff", 0, &a) && !field_int(e, "l_onoff", 0, &a))
			return bad_arg(c, i, "unsupported struct (only linger)");
		if (!field_int(e, "linger", 1, &b) && !field_int(e, "l_linger", 1, &b))
			return bad_arg(c, i, "unsupported struct (only linger)");
		l.l_onoff = (int)a;
		l.l_linger = (int)b;
		memcpy(buf, &l, sizeof(l));
		*len = sizeof(l);
		return true;
	}
	if (e->kind == PD_E_STRING) {
		size_t n = strlen(e->str);

		if (n > 64)
			return bad_arg(c, i, "string too long");
		memcpy(buf, e->str, n);
		*len = (socklen_t)n;
		return true;
	}
	if (!bracket_int(c, i, &a))
		return false;
	{
		int v = (int)a;

		memcpy(buf, &v, sizeof(v));
		*len = sizeof(v);
	}
	return true;
}

static bool sys_setsockopt(struct call *c)
{
	long long level, name, len;
	char buf[128] = { 0 };
	socklen_t vlen;
	int fd, res, err;

	if (!nargs(c, 5, 5) || !fd_arg(c, 0, &fd) || !int_arg(c, 1, &level) ||
	    !int_arg(c, 2, &name) || !optval(c, 3, buf, &vlen))
		return false;
	len = vlen;
	if (arg(c, 4)->kind != PD_E_ELLIPSIS && !int_arg(c, 4, &len))
		return false;
	res = c->ifc->setsockopt(c->ud, fd, (int)level, (int)name, buf, (socklen_t)len);
	err = errno;
	return check_result(c, res, err, false);
}

static bool sys_getsockopt(struct call *c)
{
	long long level, name, want_len = -1;
	char want[128] = { 0 }, got[128] = { 0 };
	socklen_t wlen = sizeof(got), glen;
	const struct pd_expr *v;
	int fd, res, err;

	if (!nargs(c, 5, 5) || !fd_arg(c, 0, &fd) || !int_arg(c, 1, &level) ||
	    !int_arg(c, 2, &name))
		return false;
	v = arg(c, 3);
	if (v->kind != PD_E_ELLIPSIS && !optval(c, 3, want, &wlen))
		return false;
	if (arg(c, 4)->kind != PD_E_ELLIPSIS && !bracket_int(c, 4, &want_len))
		return false;
	glen = want_len >= 0 && want_len < (long long)sizeof(got) ? (socklen_t)want_len :
	       (v->kind == PD_E_ELLIPSIS ? sizeof(got) : wlen);
	res = c->ifc->getsockopt(c->ud, fd, (int)level, (int)name, got, &glen);
	err = errno;
	if (!check_result(c, res, err, false) || res < 0)
		return !c->r->error;
	if (want_len >= 0 && !check_value(c, "option length", want_len, glen))
		return false;
	if (v->kind == PD_E_ELLIPSIS)
		return true;
	if (v->kind == PD_E_STRUCT) {
		struct linger lw, lg;

		memcpy(&lw, want, sizeof(lw));
		memcpy(&lg, got, sizeof(lg));
		return check_value(c, "l_onoff", lw.l_onoff, lg.l_onoff) &&
		       check_value(c, "l_linger", lw.l_linger, lg.l_linger);
	}
	if (v->kind == PD_E_STRING) {
		if (memcmp(want, got, wlen))
			return pd_errorf(c->r, c->ev->line, "getsockopt: value \"%.*s\", expected \"%s\"",
					 (int)glen, got, v->str);
		return true;
	}
	{
		int a, b;

		memcpy(&a, want, sizeof(a));
		memcpy(&b, got, sizeof(b));
		return check_value(c, "option value", a, b);
	}
}

static bool sys_fcntl(struct call *c)
{
	long long cmd, a = 0;
	int fd, res, err;

	if (!nargs(c, 2, 3) || !fd_arg(c, 0, &fd) || !int_arg(c, 1, &cmd))
		return false;
	if (c->ev->nargs == 3 && !int_arg(c, 2, &a))
		return false;
	if (c->ev->nargs == 3)
		res = c->ifc->fcntl(c->ud, fd, (int)cmd, (long)a);
	else
		res = c->ifc->fcntl(c->ud, fd, (int)cmd);
	err = errno;
	return check_result(c, res, err, false);
}

static bool sys_ioctl(struct call *c)
{
	long long req, want = 0;
	int fd, res, err, v = 0;

	if (!nargs(c, 3, 3) || !fd_arg(c, 0, &fd) || !int_arg(c, 1, &req))
		return false;
	if (arg(c, 2)->kind != PD_E_ELLIPSIS && !bracket_int(c, 2, &want))
		return false;
	if (req == FIONBIO)
		v = (int)want;
	res = c->ifc->ioctl(c->ud, fd, (unsigned long)req, &v);
	err = errno;
	if (!check_result(c, res, err, false))
		return false;
	if (res == 0 && req != FIONBIO && arg(c, 2)->kind != PD_E_ELLIPSIS)
		return check_value(c, "ioctl value", want, v);
	return true;
}

static bool sys_close(struct call *c)
{
	long long sfd;
	int fd, res, err;

	if (!nargs(c, 1, 1) || !int_arg(c, 0, &sfd) || !fd_arg(c, 0, &fd))
		return false;
	res = c->ifc->close(c->ud, fd);
	err = errno;
	if (res == 0)
		pd_forget_fd(c->r, (int)sfd);
	return check_result(c, res, err, false);
}

static bool sys_shutdown(struct call *c)
{
	long long how;
	int fd, res, err;

	if (!nargs(c, 2, 2) || !fd_arg(c, 0, &fd) || !int_arg(c, 1, &how))
		return false;
	res = c->ifc->shutdown(c->ud, fd, (int)how);
	err = errno;
	return check_result(c, res, err, false);
}

/* poll([{fd=N, events=E, revents=R}, ...], n, timeout) */
static bool sys_poll(struct call *c)
{
	struct pollfd pfd[16];
	long long want[16], nfds, timeout, v;
	const struct pd_expr *l = arg(c, 0);
	int n, res, err;

	if (!nargs(c, 3, 3) || !int_arg(c, 1, &nfds) || !int_arg(c, 2, &timeout))
		return false;
	if (l->kind != PD_E_LIST || l->n > 16)
		return bad_arg(c, 0, "not a list of up to 16 pollfds");
	n = l->n;
	for (int i = 0; i < n; i++) {
		const struct pd_expr *s = l->items[i];
		int fd;

		if (s->kind != PD_E_STRUCT || !field_int(s, "fd", 0, &v))
			return bad_arg(c, 0, "bad pollfd");
		if (pd_to_live_fd(c->r, (int)v, &fd) < 0)
			fd = (int)v;
		pfd[i].fd = fd;
		pfd[i].events = field_int(s, "events", 1, &v) ? (short)v : 0;
		want[i] = field_int(s, "revents", 2, &v) ? v : -1;
		pfd[i].revents = 0;
	}
	call_begin(c->r);
	res = c->ifc->poll(c->ud, pfd, (nfds_t)nfds, (int)timeout);
	err = errno;
	call_end(c->r);
	if (!check_result(c, res, err, false))
		return false;
	for (int i = 0; i < n && res >= 0; i++)
		if (want[i] >= 0 && !check_value(c, "revents", want[i], pfd[i].revents))
			return false;
	return true;
}

static bool sys_epoll_create(struct call *c)
{
	long long size;
	int res, err;

	if (!nargs(c, 1, 1) || !int_arg(c, 0, &size))
		return false;
	res = c->ifc->epoll_create(c->ud, (int)size);
	err = errno;
	if (!check_result(c, res, err, true))
		return false;
	if (res >= 0)
		pd_add_fd(c->r, (int)c->ev->ret, res);
	return true;
}

/* {events=E, fd=N} / {events=E, u32=N} / {events=E, u64=N} / {events=E, ptr=N} */
static bool epoll_event_of(const struct pd_expr *s, struct epoll_event *ev)
{
	long long v;

	if (s->kind != PD_E_STRUCT || !field_int(s, "events", 0, &v))
		return false;
	ev->events = (uint32_t)v;
	ev->data.u64 = 0;
	if (field_int(s, "fd", 1, &v) || field_int(s, "u32", -1, &v) ||
	    field_int(s, "u64", -1, &v) || field_int(s, "ptr", -1, &v))
		ev->data.u64 = (uint64_t)v;
	return true;
}

static bool sys_epoll_ctl(struct call *c)
{
	struct epoll_event ev = { 0 };
	long long op;
	int ep, fd, res, err;

	if (!nargs(c, 4, 4) || !fd_arg(c, 0, &ep) || !int_arg(c, 1, &op) || !fd_arg(c, 2, &fd))
		return false;
	if (arg(c, 3)->kind != PD_E_ELLIPSIS && !epoll_event_of(arg(c, 3), &ev))
		return bad_arg(c, 3, "bad epoll_event");
	res = c->ifc->epoll_ctl(c->ud, ep, (int)op, fd, &ev);
	err = errno;
	return check_result(c, res, err, false);
}

static bool sys_epoll_wait(struct call *c)
{
	struct epoll_event got[16], want;
	long long maxev, timeout;
	const struct pd_expr *w = arg(c, 1);
	bool check;
	int ep, res, err;

	if (!nargs(c, 4, 4) || !fd_arg(c, 0, &ep) || !int_arg(c, 2, &maxev) ||
	    !int_arg(c, 3, &timeout))
		return false;
	if (w->kind == PD_E_LIST && w->n == 1)
		w = w->items[0];
	check = w->kind != PD_E_ELLIPSIS;
	if (check && !epoll_event_of(w, &want))
		return bad_arg(c, 1, "bad epoll_event");
	if (maxev > 16)
		maxev = 16;
	call_begin(c->r);
	res = c->ifc->epoll_wait(c->ud, ep, got, (int)maxev, (int)timeout);
	err = errno;
	call_end(c->r);
	if (!check_result(c, res, err, false))
		return false;
	if (check && res > 0)
		return check_value(c, "events", want.events, got[0].events) &&
		       check_value(c, "data", (long long)want.data.u64, (long long)got[0].data.u64);
	return true;
}

bool pd_syscall_run(struct pd_run *r, struct pd_event *ev)
{
	struct call c = { .r = r, .ev = ev, .ifc = r->ifc, .ud = r->ifc->userdata };
	const char *n = ev->name;

	if (!strcmp(n, "socket"))
		return sys_socket(&c);
	if (!strcmp(n, "bind"))
		return sys_bind(&c);
	if (!strcmp(n, "listen"))
		return sys_listen(&c);
	if (!strcmp(n, "accept"))
		return sys_accept(&c);
	if (!strcmp(n, "connect"))
		return sys_connect(&c);
	if (!strcmp(n, "read"))
		return sys_rw(&c, false, -1, 3, 3);
	if (!strcmp(n, "recv"))
		return sys_rw(&c, false, 3, 4, 4);
	if (!strcmp(n, "recvfrom"))
		return sys_rw(&c, false, 3, 6, 6);
	if (!strcmp(n, "write"))
		return sys_rw(&c, true, -1, 3, 3);
	if (!strcmp(n, "send"))
		return sys_rw(&c, true, 3, 4, 4);
	if (!strcmp(n, "sendto"))
		return sys_rw(&c, true, 3, 6, 6);
	if (!strcmp(n, "readv"))
		return sys_rwv(&c, false);
	if (!strcmp(n, "writev"))
		return sys_rwv(&c, true);
	if (!strcmp(n, "setsockopt"))
		return sys_setsockopt(&c);
	if (!strcmp(n, "getsockopt"))
		return sys_getsockopt(&c);
	if (!strcmp(n, "fcntl"))
		return sys_fcntl(&c);
	if (!strcmp(n, "ioctl"))
		return sys_ioctl(&c);
	if (!strcmp(n, "close"))
		return sys_close(&c);
	if (!strcmp(n, "shutdown"))
		return sys_shutdown(&c);
	if (!strcmp(n, "poll"))
		return sys_poll(&c);
	if (!strcmp(n, "epoll_create"))
		return sys_epoll_create(&c);
	if (!strcmp(n, "epoll_ctl"))
		return sys_epoll_ctl(&c);
	if (!strcmp(n, "epoll_wait"))
		return sys_epoll_wait(&c);
	return pd_errorf(r, ev->line, "unsupported system call %s", n);
}

/* ---- the blocking-call thread --------------------------------------------- */

/* Runs calls written with an end time; checks the return time. */
static void *sys_main(void *arg)
{
	struct pd_run *r = arg;
	struct pd_sys *t = r->sys;

	pthread_mutex_lock(&r->lock);
	t->tid = (pid_t)syscall(SYS_gettid);
	for (;;) {
		struct pd_event *ev;
		char *err = NULL;

		while (t->state == SYS_IDLE)
			pthread_cond_wait(&t->cond, &r->lock);
		if (t->state == SYS_EXITING)
			break;
		ev = t->event;
		t->state = SYS_RUNNING;
		pthread_cond_broadcast(&t->cond);
		/* as packetdrill's invoke_system_call: on time, on this thread */
		if (pd_wait_for_event(r, ev) && pd_syscall_run(r, ev)) {
			s64 end = pd_now(r);

			if (pd_verify_time(r, ev->ttype, ev->end, 0, end, "system call return", &err))
				pd_errorf(r, ev->line, "%s", err);
			free(err);
		}
		t->state = SYS_IDLE;
		t->event = NULL;
		pthread_cond_broadcast(&t->cond);
	}
	pthread_mutex_unlock(&r->lock);
	return NULL;
}

int pd_sys_start(struct pd_run *r)
{
	struct pd_sys *t = calloc(1, sizeof(*t));

	if (!t)
		return -1;
	pthread_cond_init(&t->cond, NULL);
	r->sys = t;
	if (pthread_create(&t->thread, NULL, sys_main, r)) {
		r->sys = NULL;
		free(t);
		return -1;
	}
	return 0;
}

/* The host's view of a thread: its state letter (R, S, ...). */
static char thread_state(pid_t tid)
{
	char path[64], buf[512], *paren;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", (int)tid);
	f = fopen(path, "r");
	if (!f)
		return '?';
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	paren = strrchr(buf, ')');
	return paren && paren[1] == ' ' ? paren[2] : '?';
}

/* Wait (in real time, at most 1 s as packetdrill) for the thread to be
 * idle. Caller holds r->lock. */
bool pd_sys_await_idle(struct pd_run *r)
{
	struct pd_sys *t = r->sys;
	struct timespec end;

	clock_gettime(CLOCK_REALTIME, &end);
	end.tv_sec += 1;
	while (t->state != SYS_IDLE)
		if (pthread_cond_timedwait(&t->cond, &r->lock, &end) == ETIMEDOUT)
			return false;
	return true;
}

/* Hand ev to the thread; return once it sleeps in the call or is done.
 * Caller holds r->lock. */
bool pd_sys_enqueue(struct pd_run *r, struct pd_event *ev)
{
	struct pd_sys *t = r->sys;

	if (!pd_sys_await_idle(r))
		return pd_errorf(r, ev->line, "blocking system call while another blocking "
				 "system call is already in progress");
	t->event = ev;
	t->state = SYS_ENQUEUED;
	pthread_cond_broadcast(&t->cond);
	while (t->state == SYS_ENQUEUED)
		pthread_cond_wait(&t->cond, &r->lock);
	for (;;) {
		bool sleeping;

		pthread_mutex_unlock(&r->lock);
		sched_yield();
		sleeping = thread_state(t->tid) == 'S';
		pthread_mutex_lock(&r->lock);
		if (sleeping || t->state == SYS_IDLE)
			return true;
	}
}

/* Caller holds r->lock. */
void pd_sys_stop(struct pd_run *r)
{
	struct pd_sys *t = r->sys;

	if (!t)
		return;
	if (!pd_sys_await_idle(r))
		pd_errorf(r, t->event ? t->event->line : 0,
			  "exiting while a blocking system call is in progress");
	if (t->state != SYS_IDLE) {
		/* A call that never returns: leave the thread; the process ends. */
		return;
	}
	t->state = SYS_EXITING;
	pthread_cond_broadcast(&t->cond);
	pthread_mutex_unlock(&r->lock);
	pthread_join(t->thread, NULL);
	pthread_mutex_lock(&r->lock);
	pthread_cond_destroy(&t->cond);
	free(t);
	r->sys = NULL;
}
