/*
 * The socket layer through the public API, single-threaded: descriptor
 * numbers, creation errors, fcntl and ioctl, SOL_SOCKET and IPPROTO_IP
 * options with Linux's values and errors, bind/getname/shutdown, poll, and
 * namespaces. The transport is the loop-back test protocol of
 * tn_testproto.h; every test ends by checking no sock or skb is left.
 */
#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/time.h>
#include <arpa/inet.h>
#include <linux/sockios.h>
#include "tn_test.h"
#include "tn_testproto.h"

static void expect_errno(long ret, int err)
{
	assert_int_equal(ret, -1);
	assert_int_equal(errno, err);
}

static void stack_free_no_leaks(struct tn_stack *st)
{
	assert_int_equal(tn_stack_free(st), 0);
}

static int run_cmd(struct tn_stack *st, const char *line)
{
	FILE *devnull = fopen("/dev/null", "w");
	int rc = tn_command(st, line, devnull);

	fclose(devnull);
	return rc;
}

static struct sockaddr_in sin_of(const char *ip, u16 port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };

	inet_pton(AF_INET, ip, &sin.sin_addr);
	return sin;
}

/* ---- descriptors ------------------------------------------------------ */

static void fresh_stack_then_socket_gets_lowest_fds(void **state)
{
	struct tn_stack *st = testproto_stack();

	assert_int_equal(testproto_socket(st), 3);
	assert_int_equal(testproto_socket(st), 4);
	assert_int_equal(tn_close(st, 3), 0);
	assert_int_equal(testproto_socket(st), 3);
	assert_int_equal(testproto_socket(st), 5);
	expect_errno(tn_close(st, 3 + 100), EBADF);
	expect_errno(tn_close(st, -1), EBADF);
	assert_int_equal(tn_close(st, 4), 0);
	expect_errno(tn_close(st, 4), EBADF);
	expect_errno(tn_send(st, 4, "x", 1, 0), EBADF);
	stack_free_no_leaks(st);   /* 3 and 5 are closed by teardown */
}

static void many_sockets_then_table_grows(void **state)
{
	struct tn_stack *st = testproto_stack();

	for (int i = 0; i < 300; i++)
		assert_int_equal(testproto_socket(st), 3 + i);
	assert_int_equal(tn_close(st, 150), 0);
	assert_int_equal(testproto_socket(st), 150);
	assert_int_equal(testproto_socket(st), 303);
	stack_free_no_leaks(st);
}

/* ---- creation errors --------------------------------------------------- */

static void bad_arguments_then_socket_fails_as_linux(void **state)
{
	struct tn_stack *st = testproto_stack();

	expect_errno(tn_socket(st, 999, SOCK_DGRAM, 0), EAFNOSUPPORT);
	expect_errno(tn_socket(st, AF_UNIX, SOCK_DGRAM, 0), EAFNOSUPPORT);
	expect_errno(tn_socket(st, AF_INET, SOCK_DGRAM | 0x100000, 0), EINVAL);
	expect_errno(tn_socket(st, AF_INET, 11, 0), EINVAL);
	expect_errno(tn_socket(st, AF_INET, SOCK_SEQPACKET, 0), ESOCKTNOSUPPORT);
	expect_errno(tn_socket(st, AF_INET, SOCK_DGRAM, IPPROTO_TCP), EPROTONOSUPPORT);
	expect_errno(tn_socket(st, AF_INET, SOCK_DGRAM, -1), EINVAL);
	expect_errno(tn_socket(st, AF_INET, SOCK_DGRAM, 263), EINVAL);
	expect_errno(tn_socket(st, AF_INET, SOCK_PACKET, 0), EAFNOSUPPORT);
	stack_free_no_leaks(st);
}

static void sock_fault_then_socket_fails_cleanly(void **state)
{
	struct tn_stack *st = testproto_stack();

	tn_stack_lock(st);
	tn_fault_set(st, TN_FAULT_SOCK, 1, 1);       /* struct socket */
	tn_stack_unlock(st);
	expect_errno(testproto_socket(st), ENFILE);
	tn_stack_lock(st);
	tn_fault_set(st, TN_FAULT_SOCK, 2, 1);       /* struct sock */
	tn_stack_unlock(st);
	expect_errno(testproto_socket(st), ENOBUFS);
	assert_int_equal(testproto_socket(st), 3);
	stack_free_no_leaks(st);
}

static void nonblock_cloexec_flags_then_fcntl_reports_them(void **state)
{
	struct tn_stack *st = testproto_stack();
	int a = testproto_socket(st);
	int b = tn_socket(st, AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, TESTPROTO);

	assert_int_equal(tn_fcntl(st, a, F_GETFL), O_RDWR);
	assert_int_equal(tn_fcntl(st, a, F_GETFD), 0);
	assert_int_equal(tn_fcntl(st, b, F_GETFL), O_RDWR | O_NONBLOCK);
	assert_int_equal(tn_fcntl(st, b, F_GETFD), FD_CLOEXEC);
	stack_free_no_leaks(st);
}

/* ---- fcntl and ioctl ------------------------------------------------- */

static void socket_then_fcntl_setfl_getfl_setown(void **state)
{
	struct tn_stack *st = testproto_stack();
	int fd = testproto_socket(st);
	char buf[8];

	assert_int_equal(tn_fcntl(st, fd, F_SETFL, O_NONBLOCK | O_RDONLY), 0);
	assert_int_equal(tn_fcntl(st, fd, F_GETFL), O_RDWR | O_NONBLOCK);
	expect_errno(tn_recv(st, fd, buf, sizeof(buf), 0), EAGAIN);
	assert_int_equal(tn_fcntl(st, fd, F_SETFL, 0), 0);
	assert_int_equal(tn_fcntl(st, fd, F_GETFL), O_RDWR);
	expect_errno(tn_fcntl(st, fd, F_SETFL, O_DIRECT), EINVAL);
	assert_int_equal(tn_fcntl(st, fd, F_SETFD, FD_CLOEXEC), 0);
	assert_int_equal(tn_fcntl(st, fd, F_GETFD), FD_CLOEXEC);
	assert_int_equal(tn_fcntl(st, fd, F_SETOWN, 1234), 0);
	assert_int_equal(tn_fcntl(st, fd, F_GETOWN), 1234);
	expect_errno(tn_fcntl(st, fd, 9999, 0), EINVAL);
	expect_errno(tn_fcntl(st, 77, F_GETFL), EBADF);
	stack_free_no_leaks(st);
}

static void queued_datagram_then_ioctl_reports_sizes(void **state)
{
	struct tn_stack *st = testproto_stack();
	int fd = testproto_socket(st);
	int on = 1, n = -1;
	char buf[8];

	assert_int_equal(tn_ioctl(st, fd, FIONREAD, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(tn_send(st, fd, "hello", 5, 0), 5);
	assert_int_equal(tn_ioctl(st, fd, FIONREAD, &n), 0);
	assert_int_equal(n, 5);
	assert_int_equal(tn_ioctl(st, fd, SIOCOUTQ, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(tn_ioctl(st, fd, FIONBIO, &on), 0);
	assert_int_equal(tn_fcntl(st, fd, F_GETFL), O_RDWR | O_NONBLOCK);
	assert_int_equal(tn_recv(st, fd, buf, sizeof(buf), 0), 5);
	expect_errno(tn_recv(st, fd, buf, sizeof(buf), 0), EAGAIN);
	expect_errno(tn_ioctl(st, fd, FIONREAD, NULL), EFAULT);
	expect_errno(tn_ioctl(st, fd, 0x89ff, &n), ENOTTY);
	expect_errno(tn_ioctl(st, 99, FIONREAD, &n), EBADF);
	stack_free_no_leaks(st);
}

/* ---- SOL_SOCKET options ------------------------------------------------ */

static int getint(struct tn_stack *st, int fd, int level, int opt)
{
	int v = -12345;
	socklen_t len = sizeof(v);

	assert_int_equal(tn_getsockopt(st, fd, level, opt, &v, &len), 0);
	assert_int_equal(len, sizeof(int));
	return v;
}

static int setint(struct tn_stack *st, int fd, int level, int opt, int v)
{
	return tn_setsockopt(st, fd, level, opt, &v, sizeof(v));
}

static void socket_then_identity_options_read_back(void **state)
{
	struct tn_stack *st = testproto_stack();
	int fd = testproto_socket(st);

	assert_int_equal(getint(st, fd, SOL_SOCKET, SO_TYPE), SOCK_DGRAM);
	assert_int_equal(getint(st, fd, SOL_SOCKET, SO_DOMAIN), AF_INET);
	assert_int_equal(getint(st, fd, SOL_SOCKET, SO_PROTOCOL), TESTPROTO);
	assert_int_equal(getint(st, fd, SOL_SOCKET, SO_ACCEPTCONN), 0);
	assert_int_equal(getint(st, fd, SOL_SOCKET, SO_ERROR), 0);
	assert_int_equal(getint(st, fd, SOL_SOCKET, SO_RCVBUF), 212992);
	assert_int_equal(getint(st, fd, SOL_SOCKET, SO_SNDBUF), 212992);
	assert_int_equal(getint(st, fd, SOL_SOCKET, SO_RCVLOWAT), 1);
	expect_errno(setint(st, fd, SOL_SOCKET, SO_TYPE, 1), ENOPROTOOPT);
	expect_errno(setint(st, fd, SOL_SOCKET, SO_ACCEPTCONN, 1), ENOPROTOOPT);
	expect_errno(setint(st, fd, SOL_SOCKET, 9999, 1), ENOPROTOOPT);
	stack_free_no_leaks(st);
}

static void buffer_sizes_then_doubled_and_clamped(void **state)
{
	struct tn_stack *st = testproto_stack();
	int fd = testproto_socket(st);

	assert_int_equal(setint(st, fd, SOL_SOCKET, SO_RCVBUF, 10000), 0);
	assert_int_equal(getint(st, fd, SOL_SOCKET, SO_RCVBUF), 20000);
	assert_int_equal(setint(st, fd, SOL_SOCKET, SO_RCVBUF, 1), 0);
	assert_int_equal(getint(st, fd, SOL_SOCKET, SO_RCVBUF), 2304);
	assert_int_equal(setint(st, fd, SOL_SOCKET, SO_RCVBUF, 1 << 30), 0);
	assert_int_equal(getint(st, fd, SOL_SOCKET, SO_RCVBUF), 2 * 212992);
	assert_int_equal(setint(st, fd, SOL_SOCKET, SO_RCVBUF, -1), 0);
	assert_int_equal(getint(st, fd, SOL_SOCKET, SO_RCVBUF), 2 * 212992);
	assert_int_equal(setint(st, fd, SOL_SOCKET, SO_SNDBUF, 1), 0);
	assert_int_equal(getint(st, fd, SOL_SOCKET, SO_SNDBUF), 4608);
	assert_int_equal(setint(st, fd, SOL_SOCKET, SO_RCVBUFFORCE, 1 << 20), 0);
	assert_int_equal(getint(st, fd, SOL_SOCKET, SO_RCVBUF), 2 << 20);
	/* The ceiling is the namespace's net.core.rmem_max. */
	assert_int_equal(run_cmd(st, "sysctl -w net.core.rmem_max=100000"), 0);
	assert_int_equal(setint(st, fd, SOL_SOCKET, SO_RCVBUF, 1 << 30), 0);
	assert_int_equal(getint(st, fd, SOL_SOCKET, SO_RCVBUF), 200000);
	stack_free_no_leaks(st);
}

static void short_or_odd_lengths_then_linux_errors(void **state)
{
	struct tn_stack *st = testproto_stack();
	int fd = testproto_socket(st);
	int v = 1;
	socklen_t len = 2;
	short s = 0;

	expect_errno(tn_setsockopt(st, fd, SOL_SOCKET, SO_REUSEADDR, &v, 2), EINVAL);
	expect_errno(tn_setsockopt(st, fd, SOL_SOCKET, SO_REUSEADDR, NULL, 4), EFAULT);
	assert_int_equal(setint(st, fd, SOL_SOCKET, SO_REUSEADDR, 7), 0);
	assert_int_equal(getint(st, fd, SOL_SOCKET, SO_REUSEADDR), 1);
	/* A short getsockopt buffer is truncated, not an error. */
	assert_int_equal(tn_getsockopt(st, fd, SOL_SOCKET, SO_TYPE, &s, &len), 0);
	assert_int_equal(len, 2);
	assert_int_equal(s, SOCK_DGRAM);
	len = (socklen_t)-1;
	expect_errno(tn_getsockopt(st, fd, SOL_SOCKET, SO_TYPE, &v, &len), EINVAL);
	expect_errno(tn_getsockopt(st, fd, SOL_SOCKET, SO_TYPE, &v, NULL), EFAULT);
	/* Unknown levels: set says ENOPROTOOPT, get EOPNOTSUPP (ip_getsockopt). */
	expect_errno(setint(st, fd, 999, 1, 1), ENOPROTOOPT);
	len = sizeof(v);
	expect_errno(tn_getsockopt(st, fd, 999, 1, &v, &len), EOPNOTSUPP);
	stack_free_no_leaks(st);
}

static void timeouts_linger_priority_then_round_trip(void **state)
{
	struct tn_stack *st = testproto_stack();
	int fd = testproto_socket(st);
	struct timeval tv = { .tv_sec = 1, .tv_usec = 500000 }, out;
	struct linger l = { .l_onoff = 1, .l_linger = 7 }, lo;
	socklen_t len = sizeof(out);

	assert_int_equal(tn_setsockopt(st, fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), 0);
	assert_int_equal(tn_getsockopt(st, fd, SOL_SOCKET, SO_RCVTIMEO, &out, &len), 0);
	assert_int_equal(len, sizeof(out));
	assert_int_equal(out.tv_sec, 1);
	assert_int_equal(out.tv_usec, 500000);
	tv.tv_usec = 1000000;
	expect_errno(tn_setsockopt(st, fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)), EDOM);
	expect_errno(tn_setsockopt(st, fd, SOL_SOCKET, SO_SNDTIMEO, &tv, 4), EINVAL);
	/* Never set: zero (forever). */
	len = sizeof(out);
	assert_int_equal(tn_getsockopt(st, fd, SOL_SOCKET, SO_SNDTIMEO, &out, &len), 0);
	assert_int_equal(out.tv_sec, 0);
	assert_int_equal(out.tv_usec, 0);

	assert_int_equal(tn_setsockopt(st, fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l)), 0);
	len = sizeof(lo);
	assert_int_equal(tn_getsockopt(st, fd, SOL_SOCKET, SO_LINGER, &lo, &len), 0);
	assert_int_equal(len, sizeof(lo));
	assert_int_equal(lo.l_onoff, 1);
	assert_int_equal(lo.l_linger, 7);
	expect_errno(tn_setsockopt(st, fd, SOL_SOCKET, SO_LINGER, &l, 4), EINVAL);

	assert_int_equal(setint(st, fd, SOL_SOCKET, SO_PRIORITY, 7), 0);
	assert_int_equal(getint(st, fd, SOL_SOCKET, SO_PRIORITY), 7);
	assert_int_equal(setint(st, fd, SOL_SOCKET, SO_BROADCAST, 1), 0);
	assert_int_equal(getint(st, fd, SOL_SOCKET, SO_BROADCAST), 1);
	assert_int_equal(setint(st, fd, SOL_SOCKET, SO_KEEPALIVE, 1), 0);
	assert_int_equal(getint(st, fd, SOL_SOCKET, SO_KEEPALIVE), 1);
	assert_int_equal(setint(st, fd, SOL_SOCKET, SO_RCVLOWAT, 0), 0);
	assert_int_equal(getint(st, fd, SOL_SOCKET, SO_RCVLOWAT), 1);
	assert_int_equal(setint(st, fd, SOL_SOCKET, SO_REUSEPORT, 1), 0);
	assert_int_equal(getint(st, fd, SOL_SOCKET, SO_REUSEPORT), 1);
	stack_free_no_leaks(st);
}

static void bindtodevice_then_name_reads_back(void **state)
{
	struct tn_stack *st = testproto_stack();
	int fd = testproto_socket(st);
	char name[IFNAMSIZ] = "x";
	socklen_t len = sizeof(name);

	assert_int_equal(tn_getsockopt(st, fd, SOL_SOCKET, SO_BINDTODEVICE, name, &len), 0);
	assert_int_equal(len, 0);
	assert_int_equal(tn_setsockopt(st, fd, SOL_SOCKET, SO_BINDTODEVICE, "lo", 2), 0);
	len = sizeof(name);
	assert_int_equal(tn_getsockopt(st, fd, SOL_SOCKET, SO_BINDTODEVICE, name, &len), 0);
	assert_int_equal(len, 3);
	assert_string_equal(name, "lo");
	len = 4;
	expect_errno(tn_getsockopt(st, fd, SOL_SOCKET, SO_BINDTODEVICE, name, &len), EINVAL);
	expect_errno(tn_setsockopt(st, fd, SOL_SOCKET, SO_BINDTODEVICE, "nope0", 5), ENODEV);
	assert_int_equal(tn_setsockopt(st, fd, SOL_SOCKET, SO_BINDTODEVICE, "", 0), 0);
	assert_int_equal(getint(st, fd, SOL_SOCKET, SO_BINDTOIFINDEX), 0);
	stack_free_no_leaks(st);
}

/* ---- IPPROTO_IP options ---------------------------------------------- */

static void ip_options_then_linux_ranges(void **state)
{
	struct tn_stack *st = testproto_stack();
	int fd = testproto_socket(st);
	unsigned char c = 0;
	socklen_t len = 1;
	int v;

	assert_int_equal(getint(st, fd, IPPROTO_IP, IP_TTL), 64);
	expect_errno(setint(st, fd, IPPROTO_IP, IP_TTL, 0), EINVAL);
	expect_errno(setint(st, fd, IPPROTO_IP, IP_TTL, 256), EINVAL);
	assert_int_equal(setint(st, fd, IPPROTO_IP, IP_TTL, 255), 0);
	assert_int_equal(getint(st, fd, IPPROTO_IP, IP_TTL), 255);
	assert_int_equal(setint(st, fd, IPPROTO_IP, IP_TTL, -1), 0);
	assert_int_equal(getint(st, fd, IPPROTO_IP, IP_TTL), 64);
	/* One byte in, one byte out. */
	c = 9;
	assert_int_equal(tn_setsockopt(st, fd, IPPROTO_IP, IP_TTL, &c, 1), 0);
	c = 0;
	assert_int_equal(tn_getsockopt(st, fd, IPPROTO_IP, IP_TTL, &c, &len), 0);
	assert_int_equal(len, 1);
	assert_int_equal(c, 9);

	assert_int_equal(setint(st, fd, IPPROTO_IP, IP_TOS, 0x10), 0);
	assert_int_equal(getint(st, fd, IPPROTO_IP, IP_TOS), 0x10);
	assert_int_equal(getint(st, fd, SOL_SOCKET, SO_PRIORITY), 6);   /* interactive */
	assert_int_equal(getint(st, fd, IPPROTO_IP, IP_MTU_DISCOVER), IP_PMTUDISC_WANT);
	assert_int_equal(setint(st, fd, IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_DO), 0);
	expect_errno(setint(st, fd, IPPROTO_IP, IP_MTU_DISCOVER, 6), EINVAL);
	assert_int_equal(setint(st, fd, IPPROTO_IP, IP_RECVERR, 1), 0);
	assert_int_equal(getint(st, fd, IPPROTO_IP, IP_RECVERR), 1);
	assert_int_equal(setint(st, fd, IPPROTO_IP, IP_PKTINFO, 1), 0);
	assert_int_equal(getint(st, fd, IPPROTO_IP, IP_PKTINFO), 1);
	assert_int_equal(setint(st, fd, IPPROTO_IP, IP_RECVTTL, 1), 0);
	assert_int_equal(getint(st, fd, IPPROTO_IP, IP_RECVTTL), 1);
	len = sizeof(v);
	expect_errno(tn_getsockopt(st, fd, IPPROTO_IP, IP_MTU, &v, &len), ENOTCONN);
	expect_errno(setint(st, fd, IPPROTO_IP, IP_HDRINCL, 1), ENOPROTOOPT);
	expect_errno(setint(st, fd, IPPROTO_IP, 9999, 1), ENOPROTOOPT);
	stack_free_no_leaks(st);
}

/* ---- addresses ---------------------------------------------------------- */

static void bind_then_getsockname_and_errors(void **state)
{
	struct tn_stack *st = testproto_stack();
	int fd = testproto_socket(st);
	struct sockaddr_in sin = sin_of("127.0.0.1", 5000), out;
	struct sockaddr_in far = sin_of("10.9.9.9", 1);
	socklen_t len = sizeof(out);

	expect_errno(tn_bind(st, fd, (struct sockaddr *)&sin, sizeof(sin) - 1), EINVAL);
	sin.sin_family = AF_INET6;
	expect_errno(tn_bind(st, fd, (struct sockaddr *)&sin, sizeof(sin)), EAFNOSUPPORT);
	sin.sin_family = AF_INET;
	expect_errno(tn_bind(st, fd, (struct sockaddr *)&far, sizeof(far)), EADDRNOTAVAIL);
	expect_errno(tn_bind(st, fd, NULL, sizeof(sin)), EFAULT);
	assert_int_equal(tn_bind(st, fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	expect_errno(tn_bind(st, fd, (struct sockaddr *)&sin, sizeof(sin)), EINVAL);
	assert_int_equal(tn_getsockname(st, fd, (struct sockaddr *)&out, &len), 0);
	assert_int_equal(len, sizeof(out));
	assert_int_equal(out.sin_family, AF_INET);
	assert_int_equal(ntohs(out.sin_port), 5000);
	assert_int_equal(ntohl(out.sin_addr.s_addr), INADDR_LOOPBACK);
	/* A short buffer gets what fits and the real length. */
	len = 4;
	memset(&out, 0, sizeof(out));
	assert_int_equal(tn_getsockname(st, fd, (struct sockaddr *)&out, &len), 0);
	assert_int_equal(len, sizeof(out));
	assert_int_equal(out.sin_addr.s_addr, 0);
	len = sizeof(out);
	expect_errno(tn_getpeername(st, fd, (struct sockaddr *)&out, &len), ENOTCONN);
	expect_errno(tn_getsockname(st, fd, (struct sockaddr *)&out, NULL), EFAULT);
	/* net.ipv4.ip_nonlocal_bind lets a foreign address through. */
	int fd2 = testproto_socket(st);
	assert_int_equal(run_cmd(st, "sysctl -w net.ipv4.ip_nonlocal_bind=1"), 0);
	assert_int_equal(tn_bind(st, fd2, (struct sockaddr *)&far, sizeof(far)), 0);
	stack_free_no_leaks(st);
}

static void connect_then_peername_and_unspec_disconnects(void **state)
{
	struct tn_stack *st = testproto_stack();
	int fd = testproto_socket(st);
	struct sockaddr_in peer = sin_of("127.0.0.2", 99), out;
	struct sockaddr unspec = { .sa_family = AF_UNSPEC };
	socklen_t len = sizeof(out);

	assert_int_equal(tn_connect(st, fd, (struct sockaddr *)&peer, sizeof(peer)), 0);
	assert_int_equal(tn_getpeername(st, fd, (struct sockaddr *)&out, &len), 0);
	assert_int_equal(ntohs(out.sin_port), 99);
	len = sizeof(out);
	assert_int_equal(tn_getsockname(st, fd, (struct sockaddr *)&out, &len), 0);
	assert_int_equal(ntohs(out.sin_port), 40000);   /* autobind */
	assert_int_equal(tn_connect(st, fd, &unspec, sizeof(unspec)), 0);
	len = sizeof(out);
	expect_errno(tn_getpeername(st, fd, (struct sockaddr *)&out, &len), ENOTCONN);
	expect_errno(tn_connect(st, fd, &unspec, 1), EINVAL);
	stack_free_no_leaks(st);
}

static void unconnected_shutdown_then_enotconn_and_eof(void **state)
{
	struct tn_stack *st = testproto_stack();
	int fd = testproto_socket(st);
	char buf[4];

	expect_errno(tn_shutdown(st, fd, 3), EINVAL);
	expect_errno(tn_shutdown(st, fd, SHUT_RD), ENOTCONN);
	/* The bits are set anyway: reads see end of file, without waiting. */
	assert_int_equal(tn_recv(st, fd, buf, sizeof(buf), 0), 0);
	assert_int_equal(tn_read(st, fd, buf, 0), 0);
	/* ... but one that may not wait gets EAGAIN, as Linux's UDP does. */
	expect_errno(tn_recv(st, fd, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);
	expect_errno(tn_shutdown(st, fd, SHUT_WR), ENOTCONN);
	expect_errno(tn_send(st, fd, "x", 1, MSG_NOSIGNAL), EPIPE);
	stack_free_no_leaks(st);
}

/* ---- data --------------------------------------------------------------- */

static void datagram_then_peek_trunc_and_name(void **state)
{
	struct tn_stack *st = testproto_stack();
	int fd = testproto_socket(st);
	struct sockaddr_in from;
	socklen_t flen = sizeof(from);
	char buf[16] = { 0 };
	struct iovec iov[2] = { { buf, 3 }, { buf + 8, 8 } };

	assert_int_equal(tn_send(st, fd, "abcdef", 6, 0), 6);
	assert_int_equal(tn_recv(st, fd, buf, 2, MSG_PEEK), 2);
	assert_memory_equal(buf, "ab", 2);
	assert_int_equal(tn_recv(st, fd, buf, 2, MSG_PEEK | MSG_TRUNC), 6);
	assert_int_equal(tn_recvfrom(st, fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen),
			 6);
	assert_int_equal(flen, sizeof(from));
	assert_int_equal(ntohl(from.sin_addr.s_addr), INADDR_LOOPBACK);
	assert_int_equal(tn_writev(st, fd, iov, 2), 11);
	memset(buf, 0, sizeof(buf));
	struct msghdr msg = { .msg_iov = iov, .msg_iovlen = 2 };
	assert_int_equal(tn_recvmsg(st, fd, &msg, MSG_DONTWAIT), 11);
	assert_int_equal(msg.msg_flags, 0);
	assert_int_equal(msg.msg_controllen, 0);
	assert_int_equal(tn_send(st, fd, "0123456789", 10, 0), 10);
	assert_int_equal(tn_recvmsg(st, fd, &msg, 0), 10);   /* 3 + 8 > 10: fits */
	iov[1].iov_len = 2;
	assert_int_equal(tn_send(st, fd, "0123456789", 10, 0), 10);
	assert_int_equal(tn_recvmsg(st, fd, &msg, 0), 5);
	assert_int_equal(msg.msg_flags, MSG_TRUNC);
	msg.msg_iovlen = 2000;
	expect_errno(tn_recvmsg(st, fd, &msg, 0), EMSGSIZE);
	expect_errno(tn_recvmsg(st, fd, NULL, 0), EFAULT);
	expect_errno(tn_readv(st, fd, iov, -1), EINVAL);
	stack_free_no_leaks(st);
}

static void rcvbuf_full_then_datagram_dropped_enomem(void **state)
{
	struct tn_stack *st = testproto_stack();
	int fd = testproto_socket(st);
	char big[1500] = { 0 };
	int sent = 0;

	assert_int_equal(setint(st, fd, SOL_SOCKET, SO_RCVBUF, 1), 0);   /* 2304 */
	for (int i = 0; i < 10; i++)
		if (tn_send(st, fd, big, sizeof(big), 0) == (ssize_t)sizeof(big))
			sent++;
		else
			assert_int_equal(errno, ENOMEM);
	assert_true(sent >= 1 && sent < 10);
	stack_free_no_leaks(st);
}

/* ---- poll -------------------------------------------------------------- */

static void empty_socket_then_poll_times_out_on_stack_clock(void **state)
{
	struct tn_stack *st = testproto_stack();
	int fd = testproto_socket(st);
	struct pollfd p[3] = { { .fd = fd, .events = POLLIN }, { .fd = -1, .events = POLLIN },
			       { .fd = 77, .events = POLLIN } };
	u64 t0 = tn_stack_now(st);

	assert_int_equal(tn_poll(st, p, 1, 0), 0);
	assert_int_equal(tn_poll(st, p, 1, 100), 0);
	assert_int_equal(tn_stack_now(st) - t0, 100 * 1000000ull);
	assert_int_equal(tn_poll(st, p, 3, 100), 1);
	assert_int_equal(p[1].revents, 0);
	assert_int_equal(p[2].revents, POLLNVAL);
	expect_errno(tn_poll(st, NULL, 1, 0), EFAULT);
	stack_free_no_leaks(st);
}

static void queued_datagram_then_poll_reports_in_out(void **state)
{
	struct tn_stack *st = testproto_stack();
	int fd = testproto_socket(st);
	struct pollfd p = { .fd = fd, .events = POLLIN | POLLOUT };

	assert_int_equal(tn_poll(st, &p, 1, -1), 1);
	assert_int_equal(p.revents, POLLOUT);
	assert_int_equal(tn_send(st, fd, "x", 1, 0), 1);
	assert_int_equal(tn_poll(st, &p, 1, -1), 1);
	assert_int_equal(p.revents, POLLIN | POLLOUT);
	tn_shutdown(st, fd, SHUT_RDWR);
	p.events = POLLIN | POLLRDHUP;
	assert_int_equal(tn_poll(st, &p, 1, 0), 1);
	assert_int_equal(p.revents, POLLIN | POLLRDHUP | POLLHUP);
	stack_free_no_leaks(st);
}

/* ---- namespaces -------------------------------------------------------- */

static void setns_then_sockets_live_in_that_namespace(void **state)
{
	struct tn_stack *st = testproto_stack();
	struct sockaddr_in lo = sin_of("127.0.0.1", 7);
	int a, b;

	assert_int_equal(tn_netns_add(st, "blue"), 0);
	expect_errno(tn_netns_add(st, "blue"), EEXIST);
	expect_errno(tn_setns(st, "red"), ENOENT);
	assert_int_equal(tn_setns(st, "blue"), 0);
	/* A new namespace's lo is down and has no 127.0.0.1 yet. */
	a = testproto_socket(st);
	expect_errno(tn_bind(st, a, (struct sockaddr *)&lo, sizeof(lo)), EADDRNOTAVAIL);
	expect_errno(tn_netns_del(st, "blue"), EBUSY);
	assert_int_equal(tn_setns(st, NULL), 0);
	b = testproto_socket(st);
	assert_int_equal(tn_bind(st, b, (struct sockaddr *)&lo, sizeof(lo)), 0);
	assert_int_equal(tn_close(st, a), 0);
	assert_int_equal(tn_netns_del(st, "blue"), 0);
	expect_errno(tn_netns_del(st, "blue"), ENOENT);
	stack_free_no_leaks(st);
}

static void deleted_namespace_then_socket_fails(void **state)
{
	struct tn_stack *st = testproto_stack();

	assert_int_equal(tn_netns_add(st, "gone"), 0);
	assert_int_equal(tn_setns(st, "gone"), 0);
	assert_int_equal(tn_netns_del(st, "gone"), 0);
	expect_errno(testproto_socket(st), ENOENT);
	assert_int_equal(tn_setns(st, ""), 0);
	assert_int_equal(testproto_socket(st), 3);
	stack_free_no_leaks(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fresh_stack_then_socket_gets_lowest_fds),
		cmocka_unit_test(many_sockets_then_table_grows),
		cmocka_unit_test(bad_arguments_then_socket_fails_as_linux),
		cmocka_unit_test(sock_fault_then_socket_fails_cleanly),
		cmocka_unit_test(nonblock_cloexec_flags_then_fcntl_reports_them),
		cmocka_unit_test(socket_then_fcntl_setfl_getfl_setown),
		cmocka_unit_test(queued_datagram_then_ioctl_reports_sizes),
		cmocka_unit_test(socket_then_identity_options_read_back),
		cmocka_unit_test(buffer_sizes_then_doubled_and_clamped),
		cmocka_unit_test(short_or_odd_lengths_then_linux_errors),
		cmocka_unit_test(timeouts_linger_priority_then_round_trip),
		cmocka_unit_test(bindtodevice_then_name_reads_back),
		cmocka_unit_test(ip_options_then_linux_ranges),
		cmocka_unit_test(bind_then_getsockname_and_errors),
		cmocka_unit_test(connect_then_peername_and_unspec_disconnects),
		cmocka_unit_test(unconnected_shutdown_then_enotconn_and_eof),
		cmocka_unit_test(datagram_then_peek_trunc_and_name),
		cmocka_unit_test(rcvbuf_full_then_datagram_dropped_enomem),
		cmocka_unit_test(empty_socket_then_poll_times_out_on_stack_clock),
		cmocka_unit_test(queued_datagram_then_poll_reports_in_out),
		cmocka_unit_test(setns_then_sockets_live_in_that_namespace),
		cmocka_unit_test(deleted_namespace_then_socket_fails),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
