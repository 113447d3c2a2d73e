/*
 * Conformance cases for the generic socket layer (Linux's net/socket.c and
 * the fd table): descriptors that are not open, families, types and
 * protocols socket() refuses, descriptor numbering, fcntl and ioctl.
 * Nothing here depends on a transport beyond a UDP socket to act on.
 */
#include "conf.h"

/* A descriptor number nobody opened in either implementation. */
#define CONF_BADFD 1000

/* Every call on a descriptor that is not open fails with EBADF before it
 * looks at any other argument; poll instead reports POLLNVAL for it. */
static void bad_fd_every_call(int fd, const char *tag)
{
	char s[64];
	char buf[8] = { 0 };
	struct sockaddr_in sin = conf_sin("127.0.0.1", 9);
	socklen_t len = sizeof(sin);
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	int v = 1;

#define BAD(name, expr) (snprintf(s, sizeof(s), "%s." name, tag), CALL(s, expr))
	BAD("bind", bind(fd, SA(&sin), sizeof(sin)));
	BAD("connect", connect(fd, SA(&sin), sizeof(sin)));
	BAD("listen", listen(fd, 1));
	BAD("accept", accept(fd, SA(&sin), &len));
	BAD("accept4", accept4(fd, NULL, NULL, SOCK_NONBLOCK));
	BAD("send", send(fd, buf, 1, 0));
	BAD("sendto", sendto(fd, buf, 1, 0, SA(&sin), sizeof(sin)));
	BAD("sendmsg", sendmsg(fd, &msg, 0));
	BAD("recv", recv(fd, buf, sizeof(buf), MSG_DONTWAIT));
	BAD("recvfrom", recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT, SA(&sin), &len));
	BAD("recvmsg", recvmsg(fd, &msg, MSG_DONTWAIT));
	BAD("read", read(fd, buf, sizeof(buf)));
	BAD("write", write(fd, buf, 1));
	BAD("readv", readv(fd, &iov, 1));
	BAD("writev", writev(fd, &iov, 1));
	BAD("shutdown", shutdown(fd, SHUT_RDWR));
	BAD("getsockname", getsockname(fd, SA(&sin), &len));
	BAD("getpeername", getpeername(fd, SA(&sin), &len));
	BAD("setsockopt", setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &v, sizeof(v)));
	len = sizeof(v);
	BAD("getsockopt", getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &len));
	BAD("fcntl.getfl", fcntl(fd, F_GETFL));
	BAD("ioctl.fionread", ioctl(fd, FIONREAD, &v));
	BAD("close", close(fd));
#undef BAD

	struct pollfd pfd = { .fd = fd, .events = POLLIN | POLLOUT };
	snprintf(s, sizeof(s), "%s.poll", tag);
	CALL(s, poll(&pfd, 1, 0));
	conf_val(s, "revents=%s", conf_poll_name(pfd.revents));
}

static void case_bad_fd(void)
{
	bad_fd_every_call(-1, "fd=-1");
	bad_fd_every_call(CONF_BADFD, "fd=unopened");
	/* A descriptor that was open and is closed is as bad as any. */
	int fd = CALL_FD("socket", socket(AF_INET, SOCK_DGRAM, 0));
	CALL("close", close(fd));
	bad_fd_every_call(fd, "fd=closed");
}

static void case_socket_family(void)
{
	CALL_FD("family=12345", socket(12345, SOCK_DGRAM, 0));
	CALL_FD("family=-1", socket(-1, SOCK_DGRAM, 0));
	CALL_FD("family=AF_MAX", socket(AF_MAX, SOCK_DGRAM, 0));
	CALL_FD("family=AF_UNSPEC", socket(AF_UNSPEC, SOCK_DGRAM, 0));
}

static void case_socket_type_protocol(void)
{
	int fd;

	CALL_FD("type=12345", socket(AF_INET, 12345, 0));
	CALL_FD("type=-1", socket(AF_INET, -1, 0));
	CALL_FD("type=SEQPACKET", socket(AF_INET, SOCK_SEQPACKET, 0));
	CALL_FD("type=DGRAM|badflag", socket(AF_INET, SOCK_DGRAM | 0x40000000, 0));
	CALL_FD("dgram.proto=TCP", socket(AF_INET, SOCK_DGRAM, IPPROTO_TCP));
	CALL_FD("stream.proto=UDP", socket(AF_INET, SOCK_STREAM, IPPROTO_UDP));
	CALL_FD("dgram.proto=-1", socket(AF_INET, SOCK_DGRAM, -1));
	CALL_FD("dgram.proto=300", socket(AF_INET, SOCK_DGRAM, 300));
	CALL_FD("dgram.proto=SCTP", socket(AF_INET, SOCK_DGRAM, 132));
	fd = CALL_FD("dgram.proto=0", socket(AF_INET, SOCK_DGRAM, 0));
	close(fd);
	fd = CALL_FD("dgram.proto=UDP", socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP));
	close(fd);
}

/* Descriptors are the lowest free numbers, and a closed one is reused. */
static void case_fd_numbering(void)
{
	int a = CALL_FD("a", socket(AF_INET, SOCK_DGRAM, 0));
	int b = CALL_FD("b", socket(AF_INET, SOCK_DGRAM, 0));
	int c = CALL_FD("c", socket(AF_INET, SOCK_DGRAM, 0));

	conf_val("order", "b==a+1:%d c==b+1:%d", b == a + 1, c == b + 1);
	CALL("close.b", close(b));
	int d = CALL_FD("d", socket(AF_INET, SOCK_DGRAM, 0));
	conf_val("reuse", "d==b:%d", d == b);
	CALL("close.b.again", close(b == d ? -1 : b));
	CALL("close.d", close(d));
	CALL("close.d.twice", close(d));
	close(a);
	close(c);
}

static void case_socket_flags(void)
{
	int fd = CALL_FD("socket.NONBLOCK|CLOEXEC",
			 socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
	CALL("F_GETFL", fcntl(fd, F_GETFL));
	CALL("F_GETFD", fcntl(fd, F_GETFD));
	char b;
	CALL("recv", recv(fd, &b, 1, 0));
	close(fd);
}

static void case_fcntl(void)
{
	int fd = CALL_FD("socket", socket(AF_INET, SOCK_DGRAM, 0));

	CALL("F_GETFL", fcntl(fd, F_GETFL));
	CALL("F_GETFL.is_O_RDWR", fcntl(fd, F_GETFL) == O_RDWR);
	CALL("F_SETFL.O_NONBLOCK", fcntl(fd, F_SETFL, O_NONBLOCK));
	CALL("F_GETFL.nonblock", fcntl(fd, F_GETFL));
	CALL("F_SETFL.0", fcntl(fd, F_SETFL, 0));
	CALL("F_GETFL.blocking", fcntl(fd, F_GETFL));
	/* Linux keeps O_APPEND in the file flags of any file, sockets too. */
	CALL("F_SETFL.O_APPEND|O_NONBLOCK", fcntl(fd, F_SETFL, O_APPEND | O_NONBLOCK));
	CALL("F_GETFL.append", fcntl(fd, F_GETFL));
	CALL("F_SETFL.O_RDONLY-ignored", fcntl(fd, F_SETFL, O_RDONLY));
	CALL("F_GETFL.rdwr-kept", fcntl(fd, F_GETFL));
	CALL("F_GETFD", fcntl(fd, F_GETFD));
	CALL("F_SETFD.CLOEXEC", fcntl(fd, F_SETFD, FD_CLOEXEC));
	CALL("F_GETFD.cloexec", fcntl(fd, F_GETFD));
	CALL("F_GETOWN", fcntl(fd, F_GETOWN));
	CALL("cmd=9999", fcntl(fd, 9999));
	close(fd);
}

static void case_ioctl(void)
{
	int fd = conf_udp_bound("rx", "127.0.0.1", 0);
	int tx = CALL_FD("tx", socket(AF_INET, SOCK_DGRAM, 0));
	struct sockaddr_in to = conf_sin("127.0.0.1", conf_local_port(fd));
	int v = -1, on = 1, off = 0;
	char buf[64] = { 0 };

	CALL("FIONREAD.empty", ioctl(fd, FIONREAD, &v));
	conf_val("FIONREAD.empty", "value=%d", v);
	CALL("SIOCOUTQ.empty", ioctl(fd, SIOCOUTQ, &v));
	conf_val("SIOCOUTQ.empty", "value=%d", v);
	CALL("FIONBIO.on", ioctl(fd, FIONBIO, &on));
	CALL("F_GETFL.after-FIONBIO", fcntl(fd, F_GETFL));
	CALL("recv.nonblocking", recv(fd, buf, sizeof(buf), 0));
	CALL("FIONBIO.off", ioctl(fd, FIONBIO, &off));
	CALL("F_GETFL.after-FIONBIO-off", fcntl(fd, F_GETFL));

	/* FIONREAD on UDP is the length of the first datagram, not the sum. */
	CALL("sendto.10", sendto(tx, buf, 10, 0, SA(&to), sizeof(to)));
	CALL("sendto.20", sendto(tx, buf, 20, 0, SA(&to), sizeof(to)));
	conf_val("wait", "revents=%s", conf_poll_name(conf_wait(fd, POLLIN, 1000)));
	CALL("FIONREAD.two", ioctl(fd, FIONREAD, &v));
	conf_val("FIONREAD.two", "value=%d", v);
	CALL("SIOCINQ.two", ioctl(fd, SIOCINQ, &v));
	conf_val("SIOCINQ.two", "value=%d", v);
	CALL("recv.first", recv(fd, buf, sizeof(buf), 0));
	CALL("recv.second", recv(fd, buf, sizeof(buf), 0));
	CALL("FIONREAD.drained", ioctl(fd, FIONREAD, &v));
	conf_val("FIONREAD.drained", "value=%d", v);
	CALL("unknown", ioctl(fd, 0x89ff00, &v));
	close(tx);
	close(fd);
}

const struct conf_case conf_cases_socket[] = {
	{ "socket-bad-fd", case_bad_fd },
	{ "socket-family", case_socket_family },
	{ "socket-type-protocol", case_socket_type_protocol },
	{ "socket-fd-numbering", case_fd_numbering },
	{ "socket-type-flags", case_socket_flags },
	{ "socket-fcntl", case_fcntl },
	{ "socket-ioctl", case_ioctl },
	{ NULL, NULL },
};
