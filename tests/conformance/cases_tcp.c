/*
 * Conformance cases for TCP sockets (Linux's tcp.c, af_inet.c's
 * inet_stream_connect / inet_accept / inet_listen / inet_shutdown,
 * tcp_ipv4.c), all on 127.0.0.1: the errno sequences of connect, accept,
 * listen, shutdown and close in their orders, reads and writes after the
 * peer closed or reset, bind conflicts with a TIME-WAIT sock, the TCP
 * options and their range errors, TCP_INFO's basic fields, MSG_PEEK and
 * MSG_WAITALL, SIOCINQ/SIOCOUTQ, and the poll mask of a TCP socket in each
 * state. The Linux side is the reference; nothing here states an expected
 * value, every line is compared with the kernel's.
 *
 * Where a case has to wait for the peer (a FIN, an RST), it polls for the
 * event first (conf_wait), so the tuxnet side's softirq thread has the
 * same chance to deliver it that the kernel's softirq had before the call
 * returned. Not here: segment-level behaviour (tests/unit/test_tcp_states.c)
 * and transfers under loss (tests/unit/test_tcp_world.c).
 */
#include <netinet/tcp.h>
#include "conf.h"

#define ALL_EVENTS (POLLIN | POLLPRI | POLLOUT | POLLRDNORM | POLLRDBAND | POLLWRNORM | \
		    POLLWRBAND | POLLRDHUP)

static void poll_all(const char *step, int fd)
{
	struct pollfd pfd = { .fd = fd, .events = ALL_EVENTS, .revents = 0x7fff };

	CALL(step, poll(&pfd, 1, 0));
	conf_val(step, "revents=%s", conf_poll_name(pfd.revents));
}

/* Let the peer's segments arrive: nothing to poll for, so a short sleep
 * (poll with no descriptors), the same in both builds. */
static void settle(void)
{
	poll(NULL, 0, 50);
}

/* A TCP listener on 127.0.0.1, ephemeral port, printing its steps. */
static int tcp_listener(const char *tag, int backlog, int reuse)
{
	char s[64];
	struct sockaddr_in sin = conf_sin("127.0.0.1", 0);

	snprintf(s, sizeof(s), "%s.socket", tag);
	int fd = CALL_FD(s, socket(AF_INET, SOCK_STREAM, 0));
	if (reuse) {
		int one = 1;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	}
	snprintf(s, sizeof(s), "%s.bind", tag);
	CALL(s, bind(fd, SA(&sin), sizeof(sin)));
	snprintf(s, sizeof(s), "%s.listen", tag);
	CALL(s, listen(fd, backlog));
	return fd;
}

/* A blocking connection to the listener lfd: the client, and the accepted
 * server side in *srv. */
static int tcp_pair(const char *tag, int lfd, int *srv)
{
	char s[64];
	struct sockaddr_in to = conf_sin("127.0.0.1", conf_local_port(lfd));

	snprintf(s, sizeof(s), "%s.client", tag);
	int cli = CALL_FD(s, socket(AF_INET, SOCK_STREAM, 0));
	snprintf(s, sizeof(s), "%s.connect", tag);
	CALL(s, connect(cli, SA(&to), sizeof(to)));
	snprintf(s, sizeof(s), "%s.accept", tag);
	*srv = CALL_FD(s, accept(lfd, NULL, NULL));
	return cli;
}

static void set_linger0(int fd)
{
	struct linger l = { .l_onoff = 1, .l_linger = 0 };

	CALL("setsockopt.SO_LINGER{1,0}", setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l)));
}

/* A port with nothing listening: bound by a socket that is then closed. */
static unsigned int closed_port(void)
{
	struct sockaddr_in sin = conf_sin("127.0.0.1", 0);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	bind(fd, SA(&sin), sizeof(sin));
	unsigned int port = conf_local_port(fd);
	close(fd);
	return port;
}

/* ---- connect / accept / listen ------------------------------------------- */

static void case_connect_refused(void)
{
	struct sockaddr_in to = conf_sin("127.0.0.1", closed_port());
	int fd = CALL_FD("socket", socket(AF_INET, SOCK_STREAM, 0));

	CALL("connect", connect(fd, SA(&to), sizeof(to)));
	conf_val("so_error", "%d", conf_getint(fd, SOL_SOCKET, SO_ERROR));
	CALL("connect.again", connect(fd, SA(&to), sizeof(to)));
	poll_all("poll.refused", fd);
	char b[4];
	CALL("recv", recv(fd, b, sizeof(b), MSG_DONTWAIT));
	CALL("send", send(fd, "x", 1, MSG_DONTWAIT));
	close(fd);

	/* Non-blocking: EINPROGRESS, then the refusal in SO_ERROR. */
	fd = CALL_FD("nb.socket", socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
	CALL("nb.connect", connect(fd, SA(&to), sizeof(to)));
	conf_wait(fd, POLLERR, 1000);
	poll_all("nb.poll", fd);
	conf_val("nb.so_error", "%s", conf_errno_name(conf_getint(fd, SOL_SOCKET, SO_ERROR)));
	conf_val("nb.so_error.again", "%d", conf_getint(fd, SOL_SOCKET, SO_ERROR));
	close(fd);
}

static void case_connect_twice(void)
{
	int srv, lfd = tcp_listener("l", 8, 0);
	int cli = tcp_pair("p", lfd, &srv);
	struct sockaddr_in to = conf_sin("127.0.0.1", conf_local_port(lfd));
	struct sockaddr_in other = conf_sin("127.0.0.1", closed_port());

	CALL("connect.same", connect(cli, SA(&to), sizeof(to)));
	CALL("connect.other", connect(cli, SA(&other), sizeof(other)));
	struct sockaddr_in unspec = { .sin_family = AF_UNSPEC };
	CALL("connect.AF_UNSPEC", connect(cli, SA(&unspec), sizeof(unspec)));
	poll_all("poll.after-unspec", cli);
	close(cli);
	close(srv);
	close(lfd);
}

/* Non-blocking connect: EINPROGRESS, then once writable a second connect
 * finishes it (0) and a third says EISCONN. A listener whose accept queue
 * is full (backlog 0, one connection waiting) drops the SYN, so a second
 * client stays connecting: EALREADY. */
static void case_connect_nonblocking(void)
{
	int lfd = tcp_listener("l", 0, 0);
	struct sockaddr_in to = conf_sin("127.0.0.1", conf_local_port(lfd));

	int a = CALL_FD("a.socket", socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
	CALL("a.connect", connect(a, SA(&to), sizeof(to)));
	conf_wait(a, POLLOUT, 1000);
	poll_all("a.poll", a);
	conf_val("a.so_error", "%d", conf_getint(a, SOL_SOCKET, SO_ERROR));
	CALL("a.connect.2", connect(a, SA(&to), sizeof(to)));
	CALL("a.connect.3", connect(a, SA(&to), sizeof(to)));

	int b = CALL_FD("b.socket", socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
	CALL("b.connect", connect(b, SA(&to), sizeof(to)));
	settle();
	poll_all("b.poll.connecting", b);
	CALL("b.connect.2", connect(b, SA(&to), sizeof(to)));
	char c;
	CALL("b.recv", recv(b, &c, 1, 0));
	CALL("b.send", send(b, "x", 1, 0));
	conf_val("b.so_error", "%d", conf_getint(b, SOL_SOCKET, SO_ERROR));
	close(b);
	close(a);
	close(lfd);
}

static void case_listen_misuse(void)
{
	int srv, lfd = tcp_listener("l", 8, 0);
	int cli = tcp_pair("p", lfd, &srv);

	CALL("listen.connected", listen(cli, 5));
	CALL("listen.accepted", listen(srv, 5));
	CALL("listen.again", listen(lfd, 16));
	int fresh = CALL_FD("fresh.socket", socket(AF_INET, SOCK_STREAM, 0));
	CALL("fresh.listen.unbound", listen(fresh, 1));
	conf_val("fresh.port", "%s", conf_local_port(fresh) ? "!=0" : "=0");
	CALL("fresh.bind.after-listen", bind(fresh, SA(&(struct sockaddr_in){ .sin_family = AF_INET }),
					     sizeof(struct sockaddr_in)));
	close(fresh);
	close(cli);
	close(srv);
	close(lfd);
}

static void case_accept_misuse(void)
{
	int fd = CALL_FD("socket", socket(AF_INET, SOCK_STREAM, 0));

	CALL("accept.unbound", accept(fd, NULL, NULL));
	struct sockaddr_in sin = conf_sin("127.0.0.1", 0);
	CALL("bind", bind(fd, SA(&sin), sizeof(sin)));
	CALL("accept.bound", accept(fd, NULL, NULL));
	close(fd);

	int srv, lfd = tcp_listener("l", 8, 0);
	int cli = tcp_pair("p", lfd, &srv);
	CALL("accept.connected", accept(cli, NULL, NULL));
	struct sockaddr_in peer;
	socklen_t len = 3;
	/* A short address length: the name is truncated, the length is the
	 * full one. */
	struct sockaddr_in to = conf_sin("127.0.0.1", conf_local_port(lfd));
	int c3 = CALL_FD("c3.socket", socket(AF_INET, SOCK_STREAM, 0));
	CALL("c3.connect", connect(c3, SA(&to), sizeof(to)));
	conf_wait(lfd, POLLIN, 1000);
	int s3 = CALL_FD("accept.short-len", accept(lfd, SA(&peer), &len));
	conf_val("accept.short-len", "len=%u", (unsigned int)len);
	int nb = 1;
	CALL("ioctl.FIONBIO", ioctl(lfd, FIONBIO, &nb));
	CALL("accept.empty.nonblocking", accept(lfd, NULL, NULL));
	close(s3);
	close(c3);
	close(srv);
	close(cli);
	close(lfd);
}

/* ---- closing orders ------------------------------------------------------- */

static void case_read_after_peer_close(void)
{
	int srv, lfd = tcp_listener("l", 8, 0);
	int cli = tcp_pair("p", lfd, &srv);
	char b[16];

	CALL("srv.send", send(srv, "bye", 3, 0));
	CALL("srv.close", close(srv));
	conf_wait(cli, POLLRDHUP, 1000);
	poll_all("cli.poll.peer-fin", cli);
	CALL("cli.recv.data", recv(cli, b, sizeof(b), 0));
	CALL("cli.recv.eof", recv(cli, b, sizeof(b), 0));
	CALL("cli.recv.eof.again", recv(cli, b, sizeof(b), MSG_DONTWAIT));
	CALL("cli.read.eof", read(cli, b, sizeof(b)));
	close(cli);
	close(lfd);
}

/* Writing to a peer that closed: the first write succeeds (the peer's
 * stack answers with RST), then the error sequence as Linux reports it. */
static void case_write_after_peer_close(void)
{
	int srv, lfd = tcp_listener("l", 8, 0);
	int cli = tcp_pair("p", lfd, &srv);
	char b[16];

	CALL("srv.close", close(srv));
	conf_wait(cli, POLLRDHUP, 1000);
	CALL("cli.send.1", send(cli, "one", 3, 0));
	conf_wait(cli, POLLERR, 1000);
	poll_all("cli.poll.reset", cli);
	CALL("cli.send.2", send(cli, "two", 3, 0));
	CALL("cli.send.3", send(cli, "three", 5, 0));
	CALL("cli.recv", recv(cli, b, sizeof(b), 0));
	conf_val("cli.so_error", "%d", conf_getint(cli, SOL_SOCKET, SO_ERROR));
	CALL("cli.shutdown", shutdown(cli, SHUT_RDWR));
	close(cli);
	close(lfd);
}

/* SO_LINGER {1, 0}: close() aborts; the peer reads ECONNRESET once, then
 * end of file; its writes fail with EPIPE. */
static void case_linger0_reset(void)
{
	int srv, lfd = tcp_listener("l", 8, 0);
	int cli = tcp_pair("p", lfd, &srv);
	char b[16];

	set_linger0(srv);
	CALL("srv.close", close(srv));
	conf_wait(cli, POLLERR, 1000);
	poll_all("cli.poll.reset", cli);
	CALL("cli.recv.1", recv(cli, b, sizeof(b), 0));
	CALL("cli.recv.2", recv(cli, b, sizeof(b), 0));
	CALL("cli.send", send(cli, "x", 1, 0));
	conf_val("cli.so_error", "%d", conf_getint(cli, SOL_SOCKET, SO_ERROR));
	CALL("cli.connect.after-reset",
	     connect(cli, SA(&(struct sockaddr_in){ .sin_family = AF_INET }), sizeof(struct sockaddr_in)));
	close(cli);
	close(lfd);
}

static void case_shutdown_orders(void)
{
	int srv, lfd = tcp_listener("l", 8, 0);
	int cli = tcp_pair("p", lfd, &srv);
	char b[16];

	CALL("cli.shutdown.WR", shutdown(cli, SHUT_WR));
	CALL("cli.shutdown.WR.again", shutdown(cli, SHUT_WR));
	CALL("cli.send.after-WR", send(cli, "x", 1, 0));
	conf_wait(srv, POLLRDHUP, 1000);
	poll_all("srv.poll.peer-shut-WR", srv);
	poll_all("cli.poll.shut-WR", cli);
	CALL("srv.recv.eof", recv(srv, b, sizeof(b), 0));
	CALL("srv.send.half-open", send(srv, "still", 5, 0));
	conf_wait(cli, POLLIN, 1000);
	CALL("cli.recv.half-open", recv(cli, b, sizeof(b), 0));
	CALL("cli.shutdown.RD", shutdown(cli, SHUT_RD));
	poll_all("cli.poll.shut-RDWR", cli);
	CALL("cli.recv.after-RD", recv(cli, b, sizeof(b), 0));
	CALL("cli.shutdown.RDWR", shutdown(cli, SHUT_RDWR));
	CALL("cli.shutdown.bad-how", shutdown(cli, 3));
	CALL("srv.shutdown.RD", shutdown(srv, SHUT_RD));
	poll_all("srv.poll.shut-RD", srv);
	CALL("srv.shutdown.WR", shutdown(srv, SHUT_WR));
	settle();
	poll_all("srv.poll.both-closed", srv);
	close(cli);
	close(srv);

	int fresh = CALL_FD("fresh.socket", socket(AF_INET, SOCK_STREAM, 0));
	CALL("fresh.shutdown", shutdown(fresh, SHUT_RDWR));
	poll_all("fresh.poll", fresh);
	close(fresh);
	close(lfd);
}

/* shutdown() on a listener: SHUT_WR changes nothing, SHUT_RD stops it
 * listening (Linux disconnects it). */
static void case_shutdown_listener(void)
{
	int lfd = tcp_listener("l", 8, 0);
	struct sockaddr_in to = conf_sin("127.0.0.1", conf_local_port(lfd));

	CALL("shutdown.WR", shutdown(lfd, SHUT_WR));
	poll_all("poll.after-WR", lfd);
	CALL("shutdown.RD", shutdown(lfd, SHUT_RD));
	poll_all("poll.after-RD", lfd);
	int nb = 1;
	ioctl(lfd, FIONBIO, &nb);
	CALL("accept.after-RD", accept(lfd, NULL, NULL));
	int c = CALL_FD("client.socket", socket(AF_INET, SOCK_STREAM, 0));
	CALL("client.connect", connect(c, SA(&to), sizeof(to)));
	close(c);
	CALL("listen.again", listen(lfd, 8));
	close(lfd);
}

/* A TIME-WAIT sock holds its port against bind without SO_REUSEADDR. */
static void case_bind_time_wait(void)
{
	int srv, lfd = tcp_listener("l", 8, 1);
	unsigned int port = conf_local_port(lfd);
	int cli = tcp_pair("p", lfd, &srv);
	char b[4];

	CALL("srv.close.first", close(srv));
	conf_wait(cli, POLLRDHUP, 1000);
	CALL("cli.recv.eof", recv(cli, b, sizeof(b), 0));
	CALL("cli.close", close(cli));
	CALL("l.close", close(lfd));
	settle();

	struct sockaddr_in sin = conf_sin("127.0.0.1", port);
	int fd = CALL_FD("plain.socket", socket(AF_INET, SOCK_STREAM, 0));
	CALL("plain.bind", bind(fd, SA(&sin), sizeof(sin)));
	close(fd);
	fd = CALL_FD("reuse.socket", socket(AF_INET, SOCK_STREAM, 0));
	int one = 1;
	CALL("reuse.setsockopt", setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)));
	CALL("reuse.bind", bind(fd, SA(&sin), sizeof(sin)));
	CALL("reuse.listen", listen(fd, 8));
	close(fd);
	/* Two live listeners on one port conflict even with SO_REUSEADDR. */
	int l1 = tcp_listener("dup1", 8, 1);
	sin = conf_sin("127.0.0.1", conf_local_port(l1));
	fd = CALL_FD("dup2.socket", socket(AF_INET, SOCK_STREAM, 0));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	CALL("dup2.bind", bind(fd, SA(&sin), sizeof(sin)));
	close(fd);
	close(l1);
}

/* ---- options -------------------------------------------------------------- */

/* Linux's own defaults for what a host may have tuned (a new namespace
 * inherits tcp_rmem and the congestion control from the host's initial
 * one): the window scale and the MSS cap at half the peer's window depend
 * on tcp_rmem[2]. The congestion control cannot be reset the same way. */
static void linux_defaults(void)
{
	conf_sysctl_set("net.ipv4.tcp_rmem", "4096 131072 6291456");
	conf_sysctl_set("net.ipv4.tcp_wmem", "4096 16384 4194304");
}

static void opt_int(const char *step, int fd, int name, int value)
{
	char s[96];

	snprintf(s, sizeof(s), "set.%s=%d", step, value);
	CALL(s, setsockopt(fd, IPPROTO_TCP, name, &value, sizeof(value)));
	int v = -1;
	socklen_t len = sizeof(v);
	snprintf(s, sizeof(s), "get.%s", step);
	if (CALL(s, getsockopt(fd, IPPROTO_TCP, name, &v, &len)) == 0)
		conf_val(s, "value=%d len=%u", v, (unsigned int)len);
}

static void get_opt(const char *step, int fd, int name)
{
	int v = -1;
	socklen_t len = sizeof(v);

	if (CALL(step, getsockopt(fd, IPPROTO_TCP, name, &v, &len)) == 0)
		conf_val(step, "value=%d len=%u", v, (unsigned int)len);
}

static void case_sockopt_ints(void)
{
	linux_defaults();
	int fd = CALL_FD("socket", socket(AF_INET, SOCK_STREAM, 0));

	get_opt("default.TCP_NODELAY", fd, TCP_NODELAY);
	get_opt("default.TCP_MAXSEG", fd, TCP_MAXSEG);
	get_opt("default.TCP_KEEPIDLE", fd, TCP_KEEPIDLE);
	get_opt("default.TCP_KEEPINTVL", fd, TCP_KEEPINTVL);
	get_opt("default.TCP_KEEPCNT", fd, TCP_KEEPCNT);
	get_opt("default.TCP_SYNCNT", fd, TCP_SYNCNT);
	get_opt("default.TCP_CORK", fd, TCP_CORK);
	get_opt("default.TCP_LINGER2", fd, TCP_LINGER2);
	get_opt("default.TCP_USER_TIMEOUT", fd, TCP_USER_TIMEOUT);
	get_opt("default.TCP_WINDOW_CLAMP", fd, TCP_WINDOW_CLAMP);
	get_opt("default.TCP_QUICKACK", fd, TCP_QUICKACK);

	opt_int("TCP_NODELAY", fd, TCP_NODELAY, 1);
	opt_int("TCP_NODELAY", fd, TCP_NODELAY, 7);
	opt_int("TCP_NODELAY", fd, TCP_NODELAY, 0);
	short sh = 1;
	CALL("set.TCP_NODELAY.short", setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &sh, sizeof(sh)));
	opt_int("TCP_MAXSEG", fd, TCP_MAXSEG, 1000);
	opt_int("TCP_MAXSEG", fd, TCP_MAXSEG, 87);
	opt_int("TCP_MAXSEG", fd, TCP_MAXSEG, 88);
	opt_int("TCP_MAXSEG", fd, TCP_MAXSEG, 32767);
	opt_int("TCP_MAXSEG", fd, TCP_MAXSEG, 32768);
	opt_int("TCP_MAXSEG", fd, TCP_MAXSEG, 0);
	opt_int("TCP_KEEPIDLE", fd, TCP_KEEPIDLE, 0);
	opt_int("TCP_KEEPIDLE", fd, TCP_KEEPIDLE, 60);
	opt_int("TCP_KEEPIDLE", fd, TCP_KEEPIDLE, 32767);
	opt_int("TCP_KEEPIDLE", fd, TCP_KEEPIDLE, 32768);
	opt_int("TCP_KEEPINTVL", fd, TCP_KEEPINTVL, 0);
	opt_int("TCP_KEEPINTVL", fd, TCP_KEEPINTVL, 5);
	opt_int("TCP_KEEPINTVL", fd, TCP_KEEPINTVL, 32768);
	opt_int("TCP_KEEPCNT", fd, TCP_KEEPCNT, 0);
	opt_int("TCP_KEEPCNT", fd, TCP_KEEPCNT, 127);
	opt_int("TCP_KEEPCNT", fd, TCP_KEEPCNT, 128);
	opt_int("TCP_SYNCNT", fd, TCP_SYNCNT, 0);
	opt_int("TCP_SYNCNT", fd, TCP_SYNCNT, 127);
	opt_int("TCP_SYNCNT", fd, TCP_SYNCNT, 128);
	opt_int("TCP_USER_TIMEOUT", fd, TCP_USER_TIMEOUT, -1);
	opt_int("TCP_USER_TIMEOUT", fd, TCP_USER_TIMEOUT, 3000);
	opt_int("TCP_LINGER2", fd, TCP_LINGER2, -1);
	opt_int("TCP_LINGER2", fd, TCP_LINGER2, 10);
	opt_int("TCP_LINGER2", fd, TCP_LINGER2, 1000000);
	opt_int("TCP_CORK", fd, TCP_CORK, 1);
	CALL("set.unknown-option", setsockopt(fd, IPPROTO_TCP, 9999, &(int){ 1 }, sizeof(int)));
	int v;
	socklen_t len = 0;
	CALL("get.TCP_NODELAY.len=0", getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &v, &len));
	conf_val("get.TCP_NODELAY.len=0", "len=%u", (unsigned int)len);
	len = (socklen_t)-1;
	CALL("get.TCP_NODELAY.len=-1", getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &v, &len));
	close(fd);

	/* On a connection over lo: the MSS of a 65536-byte MTU with
	 * timestamps. */
	int srv, lfd = tcp_listener("l", 8, 0);
	int cli = tcp_pair("p", lfd, &srv);
	get_opt("connected.TCP_MAXSEG", cli, TCP_MAXSEG);
	get_opt("accepted.TCP_MAXSEG", srv, TCP_MAXSEG);
	get_opt("accepted.TCP_NODELAY", srv, TCP_NODELAY);
	close(cli);
	close(srv);
	close(lfd);
}

static void get_cc(const char *step, int fd, socklen_t len)
{
	char name[32];

	memset(name, 0, sizeof(name));
	if (CALL(step, getsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, name, &len)) == 0)
		conf_val(step, "name=%.*s len=%u", (int)len, name, (unsigned int)len);
}

static void case_sockopt_congestion(void)
{
	linux_defaults();
	int fd = CALL_FD("socket", socket(AF_INET, SOCK_STREAM, 0));

	/* The default is the host's choice (a namespace cannot change it to
	 * a restricted algorithm): only that there is one is compared. */
	char name[32];
	socklen_t len = sizeof(name);
	CALL("get.default", getsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, name, &len));
	CALL("set.reno", setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, "reno", 4));
	get_cc("get.after-reno", fd, 16);
	get_cc("get.len=3", fd, 3);
	CALL("set.cubic", setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, "cubic", 5));
	get_cc("get.after-cubic", fd, 16);
	CALL("set.nosuch", setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, "nosuch", 6));
	CALL("set.empty", setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, "", 0));
	CALL("set.reno-with-nul", setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, "reno\0xx", 7));
	get_cc("get.final", fd, 16);
	close(fd);
}

static void print_info(const char *step, int fd)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	memset(&ti, 0, sizeof(ti));
	if (CALL(step, getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len)) < 0)
		return;
	conf_val(step, "state=%u ca_state=%u options=0x%x snd_wscale=%u rcv_wscale=%u "
		 "snd_mss=%u rcv_mss=%u retransmits=%u unacked=%u",
		 ti.tcpi_state, ti.tcpi_ca_state, ti.tcpi_options, ti.tcpi_snd_wscale,
		 ti.tcpi_rcv_wscale, ti.tcpi_snd_mss, ti.tcpi_rcv_mss, ti.tcpi_retransmits,
		 ti.tcpi_unacked);
}

static void case_tcp_info(void)
{
	linux_defaults();
	int fd = CALL_FD("socket", socket(AF_INET, SOCK_STREAM, 0));
	print_info("fresh", fd);
	int lfd = tcp_listener("l", 8, 0);
	print_info("listener", lfd);
	int srv;
	int cli = tcp_pair("p", lfd, &srv);
	print_info("client", cli);
	print_info("server", srv);
	CALL("cli.shutdown.WR", shutdown(cli, SHUT_WR));
	conf_wait(srv, POLLRDHUP, 1000);
	settle();
	print_info("client.fin-wait2", cli);
	print_info("server.close-wait", srv);
	struct tcp_info ti;
	socklen_t len = 8;
	CALL("short", getsockopt(cli, IPPROTO_TCP, TCP_INFO, &ti, &len));
	conf_val("short", "len=%u state=%u", (unsigned int)len, ti.tcpi_state);
	close(cli);
	close(srv);
	close(lfd);
	close(fd);
}

/* ---- data ------------------------------------------------------------------ */

static void case_peek_waitall(void)
{
	int srv, lfd = tcp_listener("l", 8, 0);
	int cli = tcp_pair("p", lfd, &srv);
	char b[32];
	ssize_t n;

	CALL("srv.send", send(srv, "hello world", 11, 0));
	conf_wait(cli, POLLIN, 1000);
	memset(b, 0, sizeof(b));
	n = CALL("peek.5", recv(cli, b, 5, MSG_PEEK));
	conf_val("peek.5", "data=%.*s", (int)(n > 0 ? n : 0), b);
	n = CALL("peek.all", recv(cli, b, sizeof(b), MSG_PEEK));
	conf_val("peek.all", "data=%.*s", (int)(n > 0 ? n : 0), b);
	n = CALL("recv.4", recv(cli, b, 4, 0));
	conf_val("recv.4", "data=%.*s", (int)(n > 0 ? n : 0), b);
	n = CALL("waitall.7", recv(cli, b, 7, MSG_WAITALL));
	conf_val("waitall.7", "data=%.*s", (int)(n > 0 ? n : 0), b);
	CALL("recv.empty.dontwait", recv(cli, b, sizeof(b), MSG_DONTWAIT));
	CALL("recv.empty.peek.dontwait", recv(cli, b, sizeof(b), MSG_PEEK | MSG_DONTWAIT));

	/* WAITALL spanning two sends, then cut short by the peer's FIN. */
	CALL("srv.send.abc", send(srv, "abc", 3, 0));
	CALL("srv.send.def", send(srv, "def", 3, 0));
	n = CALL("waitall.6", recv(cli, b, 6, MSG_WAITALL));
	conf_val("waitall.6", "data=%.*s", (int)(n > 0 ? n : 0), b);
	CALL("srv.send.xyz", send(srv, "xyz", 3, 0));
	CALL("srv.shutdown.WR", shutdown(srv, SHUT_WR));
	n = CALL("waitall.10.eof", recv(cli, b, 10, MSG_WAITALL));
	conf_val("waitall.10.eof", "data=%.*s", (int)(n > 0 ? n : 0), b);
	CALL("recv.eof", recv(cli, b, sizeof(b), MSG_WAITALL));
	CALL("recv.len=0", recv(cli, b, 0, 0));
	CALL("recv.MSG_OOB", recv(cli, b, sizeof(b), MSG_OOB));
	close(cli);
	close(srv);
	close(lfd);
}

static void case_ioctl_queues(void)
{
	int srv, lfd = tcp_listener("l", 8, 0);
	int cli = tcp_pair("p", lfd, &srv);
	char buf[1000];
	int v;

	memset(buf, 'q', sizeof(buf));
	v = -1;
	CALL("listener.SIOCINQ", ioctl(lfd, SIOCINQ, &v));
	v = -1;
	CALL("listener.SIOCOUTQ", ioctl(lfd, SIOCOUTQ, &v));
	CALL("cli.send", send(cli, buf, sizeof(buf), 0));
	conf_wait(srv, POLLIN, 1000);
	settle();
	v = -1;
	CALL("srv.SIOCINQ", ioctl(srv, SIOCINQ, &v));
	conf_val("srv.SIOCINQ", "value=%d", v);
	v = -1;
	CALL("cli.SIOCOUTQ.acked", ioctl(cli, SIOCOUTQ, &v));
	conf_val("cli.SIOCOUTQ.acked", "value=%d", v);
	v = -1;
	CALL("cli.SIOCOUTQNSD", ioctl(cli, SIOCOUTQNSD, &v));
	conf_val("cli.SIOCOUTQNSD", "value=%d", v);
	char b[300];
	recv(srv, b, sizeof(b), 0);
	v = -1;
	CALL("srv.SIOCINQ.after-300", ioctl(srv, SIOCINQ, &v));
	conf_val("srv.SIOCINQ.after-300", "value=%d", v);
	CALL("cli.shutdown.WR", shutdown(cli, SHUT_WR));
	conf_wait(srv, POLLRDHUP, 1000);
	v = -1;
	CALL("srv.SIOCINQ.with-fin", ioctl(srv, SIOCINQ, &v));
	conf_val("srv.SIOCINQ.with-fin", "value=%d", v);
	close(cli);
	close(srv);
	close(lfd);
}

/* ---- poll in each state ------------------------------------------------------ */

static void case_poll_states(void)
{
	int fresh = CALL_FD("fresh.socket", socket(AF_INET, SOCK_STREAM, 0));
	poll_all("fresh", fresh);
	close(fresh);

	int lfd = tcp_listener("l", 8, 0);
	poll_all("listen.empty", lfd);
	struct sockaddr_in to = conf_sin("127.0.0.1", conf_local_port(lfd));
	int cli = CALL_FD("cli.socket", socket(AF_INET, SOCK_STREAM, 0));
	CALL("cli.connect", connect(cli, SA(&to), sizeof(to)));
	conf_wait(lfd, POLLIN, 1000);
	poll_all("listen.pending", lfd);
	int srv = CALL_FD("accept", accept(lfd, NULL, NULL));
	poll_all("listen.drained", lfd);
	poll_all("established.client", cli);
	poll_all("established.server", srv);

	CALL("srv.send", send(srv, "x", 1, 0));
	conf_wait(cli, POLLIN, 1000);
	poll_all("established.data", cli);
	char b[8];
	recv(cli, b, sizeof(b), 0);

	CALL("cli.shutdown.WR", shutdown(cli, SHUT_WR));
	conf_wait(srv, POLLRDHUP, 1000);
	poll_all("cli.shut-WR", cli);
	poll_all("srv.peer-fin", srv);
	CALL("srv.shutdown.WR", shutdown(srv, SHUT_WR));
	conf_wait(cli, POLLRDHUP, 1000);
	settle();
	poll_all("cli.both-fin", cli);
	poll_all("srv.both-fin", srv);
	close(cli);
	close(srv);

	/* Reset by the peer. */
	int c2 = CALL_FD("c2.socket", socket(AF_INET, SOCK_STREAM, 0));
	CALL("c2.connect", connect(c2, SA(&to), sizeof(to)));
	int s2 = CALL_FD("c2.accept", accept(lfd, NULL, NULL));
	set_linger0(s2);
	close(s2);
	conf_wait(c2, POLLERR, 1000);
	poll_all("reset", c2);
	conf_getint(c2, SOL_SOCKET, SO_ERROR);
	poll_all("reset.error-read", c2);
	close(c2);

	/* Shut down for reading only. */
	int c3 = CALL_FD("c3.socket", socket(AF_INET, SOCK_STREAM, 0));
	CALL("c3.connect", connect(c3, SA(&to), sizeof(to)));
	int s3 = CALL_FD("c3.accept", accept(lfd, NULL, NULL));
	CALL("c3.shutdown.RD", shutdown(c3, SHUT_RD));
	poll_all("c3.shut-RD", c3);
	close(c3);
	close(s3);
	close(lfd);

	/* Refused. */
	struct sockaddr_in gone = conf_sin("127.0.0.1", closed_port());
	int c4 = CALL_FD("c4.socket", socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
	CALL("c4.connect", connect(c4, SA(&gone), sizeof(gone)));
	conf_wait(c4, POLLERR, 1000);
	poll_all("refused", c4);
	close(c4);
}

const struct conf_case conf_cases_tcp[] = {
	{ "tcp-connect-refused", case_connect_refused },
	{ "tcp-connect-twice", case_connect_twice },
	{ "tcp-connect-nonblocking", case_connect_nonblocking },
	{ "tcp-listen-misuse", case_listen_misuse },
	{ "tcp-accept-misuse", case_accept_misuse },
	{ "tcp-read-after-peer-close", case_read_after_peer_close },
	{ "tcp-write-after-peer-close", case_write_after_peer_close },
	{ "tcp-linger0-reset", case_linger0_reset },
	{ "tcp-shutdown-orders", case_shutdown_orders },
	{ "tcp-shutdown-listener", case_shutdown_listener },
	{ "tcp-bind-time-wait", case_bind_time_wait },
	{ "tcp-sockopt-ints", case_sockopt_ints },
	{ "tcp-sockopt-congestion", case_sockopt_congestion },
	{ "tcp-info", case_tcp_info },
	{ "tcp-peek-waitall", case_peek_waitall },
	{ "tcp-ioctl-queues", case_ioctl_queues },
	{ "tcp-poll-states", case_poll_states },
	{ NULL, NULL },
};
