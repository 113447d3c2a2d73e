/*
 * Conformance cases for UDP sockets (Linux's net/ipv4/udp.c, af_inet.c and
 * datagram.c): binding and port sharing, connect and disconnect, the
 * errors of sending without or with a bad address, receiving (peek,
 * truncation, non-blocking, timeouts), shutdown, the largest datagram, and
 * ICMP port unreachable turned into ECONNREFUSED.
 *
 * All traffic is on 127.0.0.0/8 of the namespace under test.
 */
#include "conf.h"

static void case_bind_errors(void)
{
	int fd = CALL_FD("socket", socket(AF_INET, SOCK_DGRAM, 0));
	struct sockaddr_in sin = conf_sin("127.0.0.1", 0);

	CALL("bind.len=short", bind(fd, SA(&sin), sizeof(sin) - 1));
	CALL("bind.len=0", bind(fd, SA(&sin), 0));
	sin.sin_family = AF_INET6;
	CALL("bind.family=INET6", bind(fd, SA(&sin), sizeof(sin)));
	sin = conf_sin("10.1.2.3", 0);
	CALL("bind.nonlocal", bind(fd, SA(&sin), sizeof(sin)));
	sin = conf_sin("127.0.0.1", 0);
	CALL("bind", bind(fd, SA(&sin), sizeof(sin)));
	conf_print_name("getsockname", fd, 0, 0);
	CALL("bind.twice", bind(fd, SA(&sin), sizeof(sin)));
	close(fd);
}

/* Addresses Linux accepts to bind besides the configured one. */
static void case_bind_special(void)
{
	static const char *const addrs[] = { "127.0.0.2", "127.255.255.254", "0.0.0.0",
					     "224.0.0.1", "255.255.255.255" };
	for (size_t i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
		int fd = conf_udp_bound(addrs[i], addrs[i], 0);
		close(fd);
	}
	/* AF_UNSPEC with INADDR_ANY is accepted for old programs; with any
	 * other address it is the wrong family. */
	int fd = CALL_FD("socket", socket(AF_INET, SOCK_DGRAM, 0));
	struct sockaddr_in sin = conf_sin("127.0.0.1", 0);
	sin.sin_family = AF_UNSPEC;
	CALL("bind.unspec.loopback", bind(fd, SA(&sin), sizeof(sin)));
	sin = conf_sin("0.0.0.0", 0);
	sin.sin_family = AF_UNSPEC;
	CALL("bind.unspec.any", bind(fd, SA(&sin), sizeof(sin)));
	close(fd);
}

/* Bind `second` to the port `first` holds, after setting `opt` on both
 * (when b_opt/a_opt say so). */
static void conflict(const char *step, int opt, int a_opt, int b_opt, const char *b_addr)
{
	char s[128];
	int on = 1;

	snprintf(s, sizeof(s), "%s.a", step);
	int a = CALL_FD(s, socket(AF_INET, SOCK_DGRAM, 0));
	int b = CALL_FD(s, socket(AF_INET, SOCK_DGRAM, 0));
	if (a_opt)
		setsockopt(a, SOL_SOCKET, opt, &on, sizeof(on));
	if (b_opt)
		setsockopt(b, SOL_SOCKET, opt, &on, sizeof(on));
	struct sockaddr_in sin = conf_sin("127.0.0.1", 0);
	snprintf(s, sizeof(s), "%s.bind.a", step);
	CALL(s, bind(a, SA(&sin), sizeof(sin)));
	sin = conf_sin(b_addr, conf_local_port(a));
	snprintf(s, sizeof(s), "%s.bind.b", step);
	CALL(s, bind(b, SA(&sin), sizeof(sin)));
	close(a);
	close(b);
}

static void case_bind_conflicts(void)
{
	conflict("plain", SO_REUSEADDR, 0, 0, "127.0.0.1");
	conflict("plain.wildcard", SO_REUSEADDR, 0, 0, "0.0.0.0");
	conflict("plain.other-addr", SO_REUSEADDR, 0, 0, "127.0.0.2");
	conflict("reuseaddr.both", SO_REUSEADDR, 1, 1, "127.0.0.1");
	conflict("reuseaddr.second-only", SO_REUSEADDR, 0, 1, "127.0.0.1");
	conflict("reuseaddr.first-only", SO_REUSEADDR, 1, 0, "127.0.0.1");
	conflict("reuseport.both", SO_REUSEPORT, 1, 1, "127.0.0.1");
	conflict("reuseport.first-only", SO_REUSEPORT, 1, 0, "127.0.0.1");
	conflict("reuseport.second-only", SO_REUSEPORT, 0, 1, "127.0.0.1");
}

/* The port is free again once its socket is closed. */
static void case_bind_after_close(void)
{
	int a = conf_udp_bound("a", "127.0.0.1", 0);
	unsigned int port = conf_local_port(a);
	CALL("close.a", close(a));
	int b = conf_udp_bound("b", "127.0.0.1", port);
	conf_print_name("getsockname.b", b, 0, port);
	close(b);
}

static void case_send_no_address(void)
{
	int fd = CALL_FD("socket", socket(AF_INET, SOCK_DGRAM, 0));
	char buf[4] = "abc";
	struct iovec iov = { .iov_base = buf, .iov_len = 3 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct sockaddr_in to = conf_sin("127.0.0.1", 9);

	CALL("send", send(fd, buf, 3, 0));
	CALL("write", write(fd, buf, 3));
	CALL("sendmsg", sendmsg(fd, &msg, 0));
	CALL("sendto.NULL", sendto(fd, buf, 3, 0, NULL, 0));
	CALL("sendto.len=short", sendto(fd, buf, 3, 0, SA(&to), sizeof(to) - 1));
	CALL("sendto.len=0", sendto(fd, buf, 3, 0, SA(&to), 0));
	CALL("sendto.len=huge", sendto(fd, buf, 3, 0, SA(&to), 200));
	to.sin_family = AF_INET6;
	CALL("sendto.family=INET6", sendto(fd, buf, 3, 0, SA(&to), sizeof(to)));
	to = conf_sin("127.0.0.1", 0);
	CALL("sendto.port=0", sendto(fd, buf, 3, 0, SA(&to), sizeof(to)));
	/* inet_sendmsg binds a port before the protocol checks anything, so
	 * even the failed sends above left the socket bound. */
	conf_print_name("getsockname.after-failed-sends", fd, 0, 0);
	to = conf_sin("127.0.0.1", 9);
	CALL("sendto.ok", sendto(fd, buf, 3, 0, SA(&to), sizeof(to)));
	conf_print_name("getsockname.autobound", fd, 0, 0);
	close(fd);
}

static void case_connect(void)
{
	int fd = CALL_FD("socket", socket(AF_INET, SOCK_DGRAM, 0));
	int peer = conf_udp_bound("peer", "127.0.0.1", 0);
	unsigned int pport = conf_local_port(peer);
	struct sockaddr_in to = conf_sin("127.0.0.1", pport);
	struct sockaddr_in unspec = { .sin_family = AF_UNSPEC };

	conf_print_name("getpeername.unconnected", fd, 1, 0);
	CALL("connect.len=short", connect(fd, SA(&to), sizeof(to) - 1));
	to.sin_family = AF_INET6;
	CALL("connect.family=INET6", connect(fd, SA(&to), sizeof(to)));
	to.sin_family = AF_INET;
	CALL("connect", connect(fd, SA(&to), sizeof(to)));
	conf_print_name("getpeername", fd, 1, pport);
	conf_print_name("getsockname", fd, 0, 0);
	CALL("send", send(fd, "x", 1, 0));
	CALL("recv.peer", recv(peer, (char[4]){ 0 }, 4, MSG_DONTWAIT));
	/* Reconnecting elsewhere is allowed for datagram sockets. */
	struct sockaddr_in other = conf_sin("127.0.0.2", 9);
	CALL("connect.again", connect(fd, SA(&other), sizeof(other)));
	conf_print_name("getpeername.again", fd, 1, 9);
	/* AF_UNSPEC dissolves the association; an autobound port goes too. */
	CALL("connect.unspec.len=1", connect(fd, SA(&unspec), 1));
	CALL("connect.unspec", connect(fd, SA(&unspec), sizeof(sa_family_t)));
	conf_print_name("getpeername.after-unspec", fd, 1, 0);
	conf_print_name("getsockname.after-unspec", fd, 0, 0);
	CALL("send.after-unspec", send(fd, "x", 1, 0));
	CALL("connect.unspec.twice", connect(fd, SA(&unspec), sizeof(unspec)));
	close(fd);
	close(peer);
}

/* A bound port survives disconnect; only an automatic one is released. */
static void case_connect_bound_unspec(void)
{
	int fd = conf_udp_bound("fd", "127.0.0.1", 0);
	unsigned int port = conf_local_port(fd);
	struct sockaddr_in to = conf_sin("127.0.0.1", 9);
	struct sockaddr_in unspec = { .sin_family = AF_UNSPEC };

	CALL("connect", connect(fd, SA(&to), sizeof(to)));
	CALL("connect.unspec", connect(fd, SA(&unspec), sizeof(unspec)));
	conf_print_name("getsockname", fd, 0, port);
	close(fd);
}

/* A connected pair on loopback: rx bound, tx connected to it. */
static void pair(int *rx, int *tx)
{
	*rx = conf_udp_bound("rx", "127.0.0.1", 0);
	*tx = CALL_FD("tx", socket(AF_INET, SOCK_DGRAM, 0));
	struct sockaddr_in to = conf_sin("127.0.0.1", conf_local_port(*rx));
	CALL("tx.connect", connect(*tx, SA(&to), sizeof(to)));
}

static void case_recv_nonblocking(void)
{
	int rx, tx;
	char buf[16];

	pair(&rx, &tx);
	CALL("recv.DONTWAIT", recv(rx, buf, sizeof(buf), MSG_DONTWAIT));
	fcntl(rx, F_SETFL, O_NONBLOCK);
	CALL("recv.O_NONBLOCK", recv(rx, buf, sizeof(buf), 0));
	CALL("read.O_NONBLOCK", read(rx, buf, sizeof(buf)));
	CALL("recvfrom.O_NONBLOCK", recvfrom(rx, buf, sizeof(buf), 0, NULL, NULL));
	close(rx);
	close(tx);
}

static void case_recv_peek_trunc(void)
{
	int rx, tx;
	char buf[16] = { 0 };
	struct iovec iov = { .iov_base = buf, .iov_len = 2 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };

	pair(&rx, &tx);
	CALL("send.hello", send(tx, "hello", 5, 0));
	CALL("send.world!", send(tx, "world!", 6, 0));
	conf_wait(rx, POLLIN, 1000);
	CALL("recv.PEEK.3", recv(rx, buf, 3, MSG_PEEK));
	conf_val("recv.PEEK.3", "data=%.3s", buf);
	CALL("recv.PEEK|TRUNC.2", recv(rx, buf, 2, MSG_PEEK | MSG_TRUNC));
	CALL("recv.all", recv(rx, buf, sizeof(buf), 0));
	conf_val("recv.all", "data=%.5s", buf);
	CALL("recvmsg.2", recvmsg(rx, &msg, 0));
	conf_val("recvmsg.2", "msg_flags=%s data=%.2s", conf_msg_flags_name(msg.msg_flags), buf);
	CALL("send.again", send(tx, "abcdef", 6, 0));
	conf_wait(rx, POLLIN, 1000);
	CALL("recv.TRUNC.2", recv(rx, buf, 2, MSG_TRUNC));
	CALL("recv.empty", recv(rx, buf, sizeof(buf), MSG_DONTWAIT));
	/* A zero-length datagram is a datagram: readable, and recv returns 0. */
	CALL("send.empty", send(tx, "", 0, 0));
	conf_val("wait.empty", "revents=%s", conf_poll_name(conf_wait(rx, POLLIN, 1000)));
	CALL("recv.zero-length", recv(rx, buf, sizeof(buf), MSG_DONTWAIT));
	CALL("recv.after-zero", recv(rx, buf, sizeof(buf), MSG_DONTWAIT));
	close(rx);
	close(tx);
}

static void case_recvfrom_address(void)
{
	int rx, tx;
	char buf[8];
	struct sockaddr_in from;
	socklen_t len = sizeof(from);
	char a[INET_ADDRSTRLEN];

	pair(&rx, &tx);
	unsigned int txport = conf_local_port(tx);
	CALL("send", send(tx, "ab", 2, 0));
	conf_wait(rx, POLLIN, 1000);
	memset(&from, 0, sizeof(from));
	CALL("recvfrom", recvfrom(rx, buf, sizeof(buf), 0, SA(&from), &len));
	inet_ntop(AF_INET, &from.sin_addr, a, sizeof(a));
	conf_val("recvfrom", "len=%u family=%d addr=%s port==tx:%d", (unsigned int)len,
		 from.sin_family, a, ntohs(from.sin_port) == txport);
	/* A short address buffer gets a truncated address and the full length. */
	CALL("send.2", send(tx, "cd", 2, 0));
	conf_wait(rx, POLLIN, 1000);
	len = 4;
	memset(&from, 0, sizeof(from));
	CALL("recvfrom.len=4", recvfrom(rx, buf, sizeof(buf), 0, SA(&from), &len));
	conf_val("recvfrom.len=4", "len=%u family=%d port==tx:%d addr=0x%x", (unsigned int)len,
		 from.sin_family, ntohs(from.sin_port) == txport, (unsigned int)from.sin_addr.s_addr);
	close(rx);
	close(tx);
}

static void case_msgsize(void)
{
	static char big[65536];
	int rx, tx;

	pair(&rx, &tx);
	int sz = 1 << 20;
	setsockopt(rx, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	CALL("send.65508", send(tx, big, 65508, 0));
	CALL("send.65536", send(tx, big, 65536, 0));
	CALL("send.65507", send(tx, big, 65507, 0));
	conf_wait(rx, POLLIN, 1000);
	CALL("recv.65507", recv(rx, big, sizeof(big), MSG_DONTWAIT));
	CALL("recv.empty", recv(rx, big, sizeof(big), MSG_DONTWAIT));
	close(rx);
	close(tx);
}

/* A port nobody listens on: bind one, note it, close it. */
static unsigned int closed_port(void)
{
	int fd = conf_udp_bound("closed", "127.0.0.1", 0);
	unsigned int port = conf_local_port(fd);
	close(fd);
	return port;
}

static void connected_to_closed(int *fd)
{
	struct sockaddr_in to = conf_sin("127.0.0.1", closed_port());

	*fd = CALL_FD("socket", socket(AF_INET, SOCK_DGRAM, 0));
	CALL("connect", connect(*fd, SA(&to), sizeof(to)));
	CALL("send", send(*fd, "ping", 4, 0));
	conf_val("wait", "revents=%s", conf_poll_name(conf_wait(*fd, POLLERR, 1000)));
}

/* The error is reported once, by whichever call comes next. */
static void case_refused_recv(void)
{
	int fd;
	char buf[8];

	connected_to_closed(&fd);
	CALL("recv", recv(fd, buf, sizeof(buf), MSG_DONTWAIT));
	CALL("recv.again", recv(fd, buf, sizeof(buf), MSG_DONTWAIT));
	close(fd);
}

static void case_refused_send(void)
{
	int fd;

	connected_to_closed(&fd);
	CALL("send.next", send(fd, "x", 1, 0));
	CALL("send.after", send(fd, "x", 1, 0));
	close(fd);
}

static void case_refused_so_error(void)
{
	int fd;

	connected_to_closed(&fd);
	int e = conf_getint(fd, SOL_SOCKET, SO_ERROR);
	conf_val("SO_ERROR", "value=%s", conf_errno_name(e));
	e = conf_getint(fd, SOL_SOCKET, SO_ERROR);
	conf_val("SO_ERROR.again", "value=%s", conf_errno_name(e));
	close(fd);
}

/* Without IP_RECVERR an unconnected socket hears nothing of the error. */
static void case_refused_unconnected(void)
{
	int fd = CALL_FD("socket", socket(AF_INET, SOCK_DGRAM, 0));
	struct sockaddr_in to = conf_sin("127.0.0.1", closed_port());
	char buf[8];

	CALL("sendto", sendto(fd, "ping", 4, 0, SA(&to), sizeof(to)));
	conf_val("wait", "revents=%s", conf_poll_name(conf_wait(fd, POLLERR, 200)));
	CALL("recv", recv(fd, buf, sizeof(buf), MSG_DONTWAIT));
	conf_val("SO_ERROR", "value=%d", conf_getint(fd, SOL_SOCKET, SO_ERROR));
	close(fd);
}

static void case_shutdown(void)
{
	int rx, tx;

	int u = CALL_FD("unconnected", socket(AF_INET, SOCK_DGRAM, 0));
	CALL("unconnected.shutdown", shutdown(u, SHUT_RDWR));
	CALL("unconnected.shutdown.how=5", shutdown(u, 5));
	CALL("unconnected.shutdown.how=-1", shutdown(u, -1));
	close(u);

	pair(&rx, &tx);
	CALL("tx.shutdown.WR", shutdown(tx, SHUT_WR));
	CALL("tx.send.after-WR", send(tx, "x", 1, 0));
	CALL("tx.send.after-WR.NOSIGNAL", send(tx, "x", 1, MSG_NOSIGNAL));
	CALL("tx.shutdown.WR.twice", shutdown(tx, SHUT_WR));
	close(tx);
	close(rx);
}

/* What a receiver gets after SHUT_RD: what is queued, then end of file. */
static void case_recv_after_shutdown(void)
{
	int rx, tx;
	char buf[8];
	struct timeval tv = { 0, 100000 };

	pair(&rx, &tx);
	/* A safety net: a blocking call that should return 0 at once must not
	 * hang the case if it does not. */
	setsockopt(rx, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	CALL("send", send(tx, "abc", 3, 0));
	conf_wait(rx, POLLIN, 1000);
	struct sockaddr_in peer = conf_sin("127.0.0.1", conf_local_port(tx));
	CALL("rx.connect", connect(rx, SA(&peer), sizeof(peer)));
	CALL("rx.shutdown.RD", shutdown(rx, SHUT_RD));
	CALL("recv.queued", recv(rx, buf, sizeof(buf), 0));
	CALL("recv.blocking", recv(rx, buf, sizeof(buf), 0));
	CALL("recv.DONTWAIT", recv(rx, buf, sizeof(buf), MSG_DONTWAIT));
	CALL("send.after-RD", send(tx, "def", 3, 0));
	conf_wait(rx, POLLIN, 200);
	CALL("recv.after-RD-send", recv(rx, buf, sizeof(buf), MSG_DONTWAIT));
	close(rx);
	close(tx);
}

/* Unconnected UDP: shutdown fails with ENOTCONN, yet Linux records it. */
static void case_recv_after_unconnected_shutdown(void)
{
	int fd = conf_udp_bound("fd", "127.0.0.1", 0);
	char buf[8];
	struct timeval tv = { 0, 100000 };

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	CALL("shutdown.RD", shutdown(fd, SHUT_RD));
	CALL("recv.blocking", recv(fd, buf, sizeof(buf), 0));
	CALL("recv.DONTWAIT", recv(fd, buf, sizeof(buf), MSG_DONTWAIT));
	close(fd);
}

static void case_rcvtimeo_blocking(void)
{
	int fd = conf_udp_bound("fd", "127.0.0.1", 0);
	struct timeval tv = { 0, 100000 };
	char buf[8];

	CALL("SO_RCVTIMEO", setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	CALL("recv", recv(fd, buf, sizeof(buf), 0));
	CALL("recvfrom", recvfrom(fd, buf, sizeof(buf), 0, NULL, NULL));
	CALL("read", read(fd, buf, sizeof(buf)));
	close(fd);
}

static void case_vectors(void)
{
	int rx, tx;
	char a[3] = "ab", b[4] = "cde", out[8] = { 0 }, out2[8] = { 0 };
	struct iovec wv[2] = { { a, 2 }, { b, 3 } };
	struct iovec rv[2] = { { out, 1 }, { out2, 8 } };

	pair(&rx, &tx);
	CALL("writev", writev(tx, wv, 2));
	/* volatile: the compiler would refuse a constant negative count. */
	volatile int negative = -1;
	CALL("writev.iovcnt=-1", writev(tx, wv, negative));
	conf_wait(rx, POLLIN, 1000);
	CALL("readv", readv(rx, rv, 2));
	conf_val("readv", "first=%.1s second=%.4s", out, out2);
	CALL("write", write(tx, "xyz", 3));
	conf_wait(rx, POLLIN, 1000);
	CALL("read", read(rx, out, sizeof(out)));
	CALL("write.0", write(tx, "", 0));
	close(rx);
	close(tx);
}

/* Stream-only calls on a datagram socket. */
static void case_stream_calls(void)
{
	int fd = conf_udp_bound("fd", "127.0.0.1", 0);

	CALL("listen", listen(fd, 5));
	CALL("accept", accept(fd, NULL, NULL));
	CALL("accept4", accept4(fd, NULL, NULL, SOCK_NONBLOCK));
	CALL("send.MSG_OOB", send(fd, "x", 1, MSG_OOB));
	close(fd);
}

const struct conf_case conf_cases_udp[] = {
	{ "udp-stream-calls", case_stream_calls },
	{ "udp-bind-errors", case_bind_errors },
	{ "udp-bind-special", case_bind_special },
	{ "udp-bind-conflicts", case_bind_conflicts },
	{ "udp-bind-after-close", case_bind_after_close },
	{ "udp-send-no-address", case_send_no_address },
	{ "udp-connect", case_connect },
	{ "udp-connect-bound-unspec", case_connect_bound_unspec },
	{ "udp-recv-nonblocking", case_recv_nonblocking },
	{ "udp-recv-peek-trunc", case_recv_peek_trunc },
	{ "udp-recvfrom-address", case_recvfrom_address },
	{ "udp-msgsize", case_msgsize },
	{ "udp-refused-recv", case_refused_recv },
	{ "udp-refused-send", case_refused_send },
	{ "udp-refused-so-error", case_refused_so_error },
	{ "udp-refused-unconnected", case_refused_unconnected },
	{ "udp-shutdown", case_shutdown },
	{ "udp-recv-after-shutdown", case_recv_after_shutdown },
	{ "udp-recv-after-unconnected-shutdown", case_recv_after_unconnected_shutdown },
	{ "udp-rcvtimeo-blocking", case_rcvtimeo_blocking },
	{ "udp-vectors", case_vectors },
	{ NULL, NULL },
};
