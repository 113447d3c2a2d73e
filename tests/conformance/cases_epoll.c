/*
 * Conformance cases for epoll (Linux's fs/eventpoll.c) and select: the
 * events epoll reports for TCP and UDP sockets in each state, level- and
 * edge-triggered wake-up counts, ONESHOT and its re-arm with
 * EPOLL_CTL_MOD, EPOLLEXCLUSIVE with nobody waiting, close removing an
 * item, nested epoll and its depth limit, and every epoll_ctl error in
 * Linux's order. As in the other files, nothing states an expected value:
 * every line is compared with the kernel's.
 *
 * An event that arrives asynchronously (a FIN, an RST, a datagram) is
 * waited for first with conf_wait, so tuxnet's softirq thread has had the
 * chance the kernel's had before the call returned.
 */
#include "conf.h"

#define ALL_EV (EPOLLIN | EPOLLPRI | EPOLLOUT | EPOLLRDNORM | EPOLLRDBAND | EPOLLWRNORM | \
		EPOLLWRBAND | EPOLLRDHUP)

/* Print what one epoll_wait(timeout 0) on ep returns: count, events, data. */
static void ep_show(const char *step, int ep)
{
	struct epoll_event ev[4];
	int n = (int)CALL(step, epoll_wait(ep, ev, 4, 0));

	for (int i = 0; i < n; i++)
		conf_val(step, "events=%s data=%llu", conf_poll_name((int)(ev[i].events & 0xffff)),
			 (unsigned long long)ev[i].data.u64);
}

/* The events of fd as a fresh epoll set asking for everything sees them. */
static void ep_mask(const char *step, int fd)
{
	struct epoll_event ev = { .events = ALL_EV, .data.u64 = 1 };
	int ep = epoll_create1(0);

	epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
	ep_show(step, ep);
	close(ep);
}

static void ep_add(const char *step, int ep, int fd, unsigned int events, unsigned long long d)
{
	struct epoll_event ev = { .events = events, .data.u64 = d };

	CALL(step, epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev));
}

static void udp_to(int from, int to_fd)
{
	struct sockaddr_in to = conf_sin("127.0.0.1", conf_local_port(to_fd));

	sendto(from, "x", 1, 0, SA(&to), sizeof(to));
}

/* A listener on 127.0.0.1 and a connected, accepted pair, quietly. */
static int tcp_listener(void)
{
	struct sockaddr_in sin = conf_sin("127.0.0.1", 0);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	bind(fd, SA(&sin), sizeof(sin));
	listen(fd, 8);
	return fd;
}

static int tcp_connect(int lfd)
{
	struct sockaddr_in to = conf_sin("127.0.0.1", conf_local_port(lfd));
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	connect(fd, SA(&to), sizeof(to));
	return fd;
}

/* ---- masks ------------------------------------------------------------- */

static void case_tcp_states(void)
{
	int lfd = tcp_listener();

	ep_mask("listen.idle", lfd);
	int cli = tcp_connect(lfd);
	conf_wait(lfd, POLLIN, 1000);
	ep_mask("listen.pending", lfd);
	int srv = accept(lfd, NULL, NULL);
	ep_mask("listen.accepted", lfd);
	ep_mask("established", cli);
	send(cli, "data", 4, 0);
	conf_wait(srv, POLLIN, 1000);
	ep_mask("established.data", srv);
	char b[8];
	recv(srv, b, sizeof(b), 0);
	CALL("client.shutdown.WR", shutdown(cli, SHUT_WR));
	conf_wait(srv, POLLRDHUP, 1000);
	ep_mask("peer-fin", srv);
	ep_mask("shut-WR", cli);
	CALL("server.shutdown.RD", shutdown(srv, SHUT_RD));
	ep_mask("peer-fin+shut-RD", srv);
	CALL("server.shutdown.WR", shutdown(srv, SHUT_WR));
	conf_wait(cli, POLLRDHUP, 1000);
	ep_mask("both-shut", srv);
	ep_mask("client.both-fin", cli);
	close(cli);
	close(srv);

	/* Reset by the peer (SO_LINGER 0 close). */
	cli = tcp_connect(lfd);
	srv = accept(lfd, NULL, NULL);
	struct linger l = { .l_onoff = 1, .l_linger = 0 };
	setsockopt(srv, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
	close(srv);
	conf_wait(cli, POLLERR, 1000);
	ep_mask("reset", cli);
	close(cli);
	close(lfd);
}

static void case_tcp_refused(void)
{
	int lfd = tcp_listener();
	struct sockaddr_in to = conf_sin("127.0.0.1", conf_local_port(lfd));
	close(lfd);   /* nothing listens there any more */

	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	ep_mask("fresh", fd);
	CALL("connect", connect(fd, SA(&to), sizeof(to)));
	conf_wait(fd, POLLERR, 1000);
	ep_mask("refused", fd);
	conf_getint(fd, SOL_SOCKET, SO_ERROR);
	ep_mask("refused.error-read", fd);
	close(fd);
}

static void case_udp_states(void)
{
	int rx = conf_udp_bound("rx", "127.0.0.1", 0);
	int tx = conf_udp_bound("tx", "127.0.0.1", 0);

	ep_mask("bound", rx);
	udp_to(tx, rx);
	conf_wait(rx, POLLIN, 1000);
	ep_mask("data", rx);
	char b[4];
	recv(rx, b, sizeof(b), 0);
	ep_mask("drained", rx);
	shutdown(rx, SHUT_RD);
	ep_mask("shut-RD", rx);
	shutdown(rx, SHUT_WR);
	ep_mask("shut-RDWR", rx);
	close(rx);
	close(tx);
}

/* ---- triggering --------------------------------------------------------- */

static void case_lt_et(void)
{
	int rx = conf_udp_bound("rx", "127.0.0.1", 0);
	int tx = conf_udp_bound("tx", "127.0.0.1", 0);
	int lt = CALL_FD("lt", epoll_create1(0));
	int et = CALL_FD("et", epoll_create1(0));

	ep_add("lt.add", lt, rx, EPOLLIN, 1);
	ep_add("et.add", et, rx, EPOLLIN | EPOLLET, 2);
	ep_show("lt.idle", lt);
	ep_show("et.idle", et);
	udp_to(tx, rx);
	conf_wait(rx, POLLIN, 1000);
	for (int i = 0; i < 3; i++) {
		ep_show("lt.after-one", lt);
		ep_show("et.after-one", et);
	}
	udp_to(tx, rx);
	conf_wait(rx, POLLIN, 1000);
	poll(NULL, 0, 20);
	ep_show("et.after-two", et);
	ep_show("et.again", et);
	char b[4];
	recv(rx, b, sizeof(b), 0);
	ep_show("lt.one-left", lt);
	recv(rx, b, sizeof(b), 0);
	ep_show("lt.drained", lt);
	close(lt);
	close(et);
	close(rx);
	close(tx);
}

static void case_oneshot(void)
{
	int rx = conf_udp_bound("rx", "127.0.0.1", 0);
	int tx = conf_udp_bound("tx", "127.0.0.1", 0);
	int ep = CALL_FD("epoll", epoll_create1(0));
	struct epoll_event ev = { .events = EPOLLIN | EPOLLONESHOT, .data.u64 = 7 };

	CALL("add", epoll_ctl(ep, EPOLL_CTL_ADD, rx, &ev));
	udp_to(tx, rx);
	conf_wait(rx, POLLIN, 1000);
	ep_show("fired", ep);
	ep_show("disabled", ep);
	udp_to(tx, rx);
	poll(NULL, 0, 20);
	ep_show("disabled.more-data", ep);
	CALL("add.again", epoll_ctl(ep, EPOLL_CTL_ADD, rx, &ev));
	ev.data.u64 = 8;
	CALL("mod", epoll_ctl(ep, EPOLL_CTL_MOD, rx, &ev));
	ep_show("rearmed", ep);
	ep_show("rearmed.again", ep);
	ev.events = EPOLLOUT;
	CALL("mod.out", epoll_ctl(ep, EPOLL_CTL_MOD, rx, &ev));
	ep_show("mod.out", ep);
	ep_show("mod.out.level", ep);
	close(ep);
	close(rx);
	close(tx);
}

/* Nobody sleeps in epoll_wait: an exclusive wake-up counts only when it
 * woke someone, so both sets receive the event. */
static void case_exclusive(void)
{
	int rx = conf_udp_bound("rx", "127.0.0.1", 0);
	int tx = conf_udp_bound("tx", "127.0.0.1", 0);
	int e1 = CALL_FD("e1", epoll_create1(0)), e2 = CALL_FD("e2", epoll_create1(0));

	ep_add("e1.add", e1, rx, EPOLLIN | EPOLLEXCLUSIVE, 1);
	ep_add("e2.add", e2, rx, EPOLLIN | EPOLLEXCLUSIVE, 2);
	udp_to(tx, rx);
	conf_wait(rx, POLLIN, 1000);
	ep_show("e1", e1);
	ep_show("e2", e2);
	ep_show("e1.level", e1);
	close(e1);
	close(e2);
	close(rx);
	close(tx);
}

/* ---- lifetime and nesting ------------------------------------------------ */

static void case_close_removes(void)
{
	int fd = conf_udp_bound("sock", "127.0.0.1", 0);
	int e1 = CALL_FD("e1", epoll_create1(0)), e2 = CALL_FD("e2", epoll_create1(0));
	struct epoll_event ev = { .events = EPOLLOUT };

	ep_add("e1.add", e1, fd, EPOLLOUT, 1);
	ep_add("e2.add", e2, fd, EPOLLOUT, 2);
	ep_show("e1.ready", e1);
	CALL("close", close(fd));
	ep_show("e1.after-close", e1);
	ep_show("e2.after-close", e2);
	CALL("del.closed", epoll_ctl(e1, EPOLL_CTL_DEL, fd, &ev));
	int again = conf_udp_bound("again", "127.0.0.1", 0);
	CALL("add.same-number", epoll_ctl(e1, EPOLL_CTL_ADD, again, &ev));
	ep_show("e1.new-file", e1);
	close(again);
	close(e1);
	close(e2);
}

static void case_nested(void)
{
	int rx = conf_udp_bound("rx", "127.0.0.1", 0);
	int tx = conf_udp_bound("tx", "127.0.0.1", 0);
	int inner = CALL_FD("inner", epoll_create1(0)), outer = CALL_FD("outer", epoll_create1(0));
	struct pollfd p = { .fd = inner, .events = POLLIN | POLLOUT };

	ep_add("inner.add", inner, rx, EPOLLIN, 1);
	ep_add("outer.add", outer, inner, EPOLLIN | EPOLLOUT, 2);
	ep_mask("inner.mask.idle", inner);
	ep_show("outer.idle", outer);
	udp_to(tx, rx);
	conf_wait(rx, POLLIN, 1000);
	CALL("poll.inner", poll(&p, 1, 0));
	conf_val("poll.inner", "revents=%s", conf_poll_name(p.revents));
	ep_show("outer.ready", outer);
	char b[4];
	recv(rx, b, sizeof(b), 0);
	ep_show("outer.drained", outer);
	CALL("loop", epoll_ctl(inner, EPOLL_CTL_ADD, outer,
			       &(struct epoll_event){ .events = EPOLLIN }));
	close(outer);
	close(inner);
	close(rx);
	close(tx);
}

static void case_depth(void)
{
	int e[8];
	char step[32];
	struct epoll_event ev = { .events = EPOLLIN };

	for (int i = 0; i < 8; i++)
		e[i] = epoll_create1(0);
	for (int i = 0; i < 7; i++) {
		snprintf(step, sizeof(step), "chain.%d->%d", i, i + 1);
		CALL(step, epoll_ctl(e[i], EPOLL_CTL_ADD, e[i + 1], &ev));
	}
	CALL("top-to-bottom", epoll_ctl(e[7], EPOLL_CTL_ADD, e[0], &ev));
	for (int i = 0; i < 8; i++)
		close(e[i]);
}

/* ---- epoll_ctl and friends: errors ------------------------------------------- */

static void ctl(const char *step, int ep, int op, int fd, unsigned int events)
{
	struct epoll_event ev = { .events = events };

	CALL(step, epoll_ctl(ep, op, fd, &ev));
}

static void case_ctl_errors(void)
{
	int ep = CALL_FD("epoll", epoll_create1(0));
	int fd = conf_udp_bound("sock", "127.0.0.1", 0);
	int ep2 = CALL_FD("epoll2", epoll_create1(0));
	struct epoll_event ev;

	ctl("bad-epfd", 999, EPOLL_CTL_ADD, fd, EPOLLIN);
	ctl("bad-fd", ep, EPOLL_CTL_ADD, 999, EPOLLIN);
	ctl("bad-both", 999, EPOLL_CTL_ADD, 998, EPOLLIN);
	ctl("epfd-not-epoll", fd, EPOLL_CTL_ADD, ep, EPOLLIN);
	ctl("self", ep, EPOLL_CTL_ADD, ep, EPOLLIN);
	ctl("bad-op", ep, 42, fd, EPOLLIN);
	ctl("bad-op.bad-fd", ep, 42, 999, EPOLLIN);
	ctl("mod.absent", ep, EPOLL_CTL_MOD, fd, EPOLLIN);
	ctl("del.absent", ep, EPOLL_CTL_DEL, fd, EPOLLIN);
	ctl("add", ep, EPOLL_CTL_ADD, fd, EPOLLIN);
	ctl("add.again", ep, EPOLL_CTL_ADD, fd, EPOLLIN);
	ctl("mod.exclusive", ep, EPOLL_CTL_MOD, fd, EPOLLIN | EPOLLEXCLUSIVE);
	CALL("del.null-event", epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL));
	ctl("add.exclusive+rdhup", ep, EPOLL_CTL_ADD, fd, EPOLLIN | EPOLLRDHUP | EPOLLEXCLUSIVE);
	ctl("add.exclusive+oneshot", ep, EPOLL_CTL_ADD, fd, EPOLLIN | EPOLLONESHOT | EPOLLEXCLUSIVE);
	ctl("add.exclusive+pri", ep, EPOLL_CTL_ADD, fd, EPOLLPRI | EPOLLEXCLUSIVE);
	ctl("add.exclusive-epoll", ep, EPOLL_CTL_ADD, ep2, EPOLLIN | EPOLLEXCLUSIVE);
	ctl("add.exclusive", ep, EPOLL_CTL_ADD, fd, EPOLLIN | EPOLLOUT | EPOLLET | EPOLLEXCLUSIVE);
	ctl("mod.of-exclusive", ep, EPOLL_CTL_MOD, fd, EPOLLIN);
	ctl("del.exclusive", ep, EPOLL_CTL_DEL, fd, 0);
	ctl("add.wakeup", ep, EPOLL_CTL_ADD, fd, EPOLLOUT | EPOLLWAKEUP);
	ep_show("wakeup.events", ep);
	CALL("create.0", epoll_create(0));
	CALL("create.-1", epoll_create(-1));
	int e = CALL_FD("create.1", epoll_create(1));
	close(e);
	CALL("create1.bad-flag", epoll_create1(1));
	e = CALL_FD("create1.cloexec", epoll_create1(EPOLL_CLOEXEC));
	CALL("create1.cloexec.F_GETFD", fcntl(e, F_GETFD));
	close(e);
	CALL("wait.maxevents=0", epoll_wait(ep, &ev, 0, 0));
	volatile int minus_one = -1;   /* hidden from glibc's access attribute */
	CALL("wait.maxevents=-1", epoll_wait(ep, &ev, minus_one, 0));
	CALL("wait.not-epoll", epoll_wait(fd, &ev, 1, 0));
	CALL("wait.bad-fd", epoll_wait(999, &ev, 1, 0));
	CALL("wait.bad-fd.maxevents=0", epoll_wait(999, &ev, 0, 0));
	close(ep2);
	close(ep);
	close(fd);
}

/* ---- select -------------------------------------------------------------- */

static void case_select(void)
{
	int rx = conf_udp_bound("rx", "127.0.0.1", 0);
	int tx = conf_udp_bound("tx", "127.0.0.1", 0);
	struct timeval tv = { .tv_sec = 0, .tv_usec = 50000 };
	fd_set r, w, x;

	FD_ZERO(&r);
	FD_SET(rx, &r);
	CALL("timeout", select(rx + 1, &r, NULL, NULL, &tv));
	conf_val("timeout", "r=%d tv=%ld.%06ld", FD_ISSET(rx, &r), (long)tv.tv_sec,
		 (long)tv.tv_usec);
	udp_to(tx, rx);
	conf_wait(rx, POLLIN, 1000);
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_ZERO(&x);
	FD_SET(rx, &r);
	FD_SET(tx, &r);
	FD_SET(rx, &w);
	FD_SET(rx, &x);
	CALL("ready", select(tx > rx ? tx + 1 : rx + 1, &r, &w, &x, NULL));
	conf_val("ready", "r.rx=%d r.tx=%d w.rx=%d x.rx=%d", FD_ISSET(rx, &r), FD_ISSET(tx, &r),
		 FD_ISSET(rx, &w), FD_ISSET(rx, &x));
	FD_ZERO(&r);
	FD_SET(40, &r);
	CALL("closed-fd", select(41, &r, NULL, NULL, NULL));
	CALL("closed-fd.above-nfds", select(40, &r, NULL, NULL, &tv));
	tv.tv_sec = -1;
	CALL("negative-timeout", select(0, NULL, NULL, NULL, &tv));
	CALL("negative-nfds", select(-1, NULL, NULL, NULL, NULL));
	close(rx);
	close(tx);
}

const struct conf_case conf_cases_epoll[] = {
	{ "epoll-tcp-states", case_tcp_states },
	{ "epoll-tcp-refused", case_tcp_refused },
	{ "epoll-udp-states", case_udp_states },
	{ "epoll-lt-et", case_lt_et },
	{ "epoll-oneshot", case_oneshot },
	{ "epoll-exclusive", case_exclusive },
	{ "epoll-close-removes", case_close_removes },
	{ "epoll-nested", case_nested },
	{ "epoll-depth", case_depth },
	{ "epoll-ctl-errors", case_ctl_errors },
	{ "select-udp", case_select },
	{ NULL, NULL },
};
