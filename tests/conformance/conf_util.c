/*
 * The printing and small helpers behind conf.h. Compiled into both builds,
 * so the helpers that call socket functions go through posix.h like the
 * cases do.
 */
#include <stdlib.h>
#include "conf.h"

const char *conf_case_name = "?";

long conf_ret(const char *step, long ret)
{
	int e = errno;

	if (ret == -1)
		printf("%s %s: ret=-1 errno=%s\n", conf_case_name, step, conf_errno_name(e));
	else
		printf("%s %s: ret=%ld errno=0\n", conf_case_name, step, ret);
	fflush(stdout);
	errno = e;
	return ret;
}

int conf_fd(const char *step, long ret)
{
	int e = errno;

	if (ret >= 3)
		printf("%s %s: ret=fd>=3 errno=0\n", conf_case_name, step);
	else if (ret == -1)
		printf("%s %s: ret=-1 errno=%s\n", conf_case_name, step, conf_errno_name(e));
	else
		printf("%s %s: ret=%ld (below 3) errno=0\n", conf_case_name, step, ret);
	fflush(stdout);
	errno = e;
	return (int)ret;
}

void conf_val(const char *step, const char *fmt, ...)
{
	va_list ap;

	printf("%s %s: ", conf_case_name, step);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

/* ---- names ---------------------------------------------------------------- */

#define E(x) { x, #x }
static const struct {
	int val;
	const char *name;
} errnos[] = {
	E(EPERM), E(ENOENT), E(EINTR), E(EIO), E(EBADF), E(EAGAIN), E(ENOMEM),
	E(EACCES), E(EFAULT), E(EBUSY), E(EEXIST), E(ENODEV), E(EINVAL), E(ENFILE),
	E(EMFILE), E(ENOTTY), E(EPIPE), E(EDOM), E(ERANGE), E(ENOSYS), E(ENOTSOCK),
	E(EDESTADDRREQ), E(EMSGSIZE), E(EPROTOTYPE), E(ENOPROTOOPT), E(EPROTONOSUPPORT),
	E(ESOCKTNOSUPPORT), E(EOPNOTSUPP), E(EPFNOSUPPORT), E(EAFNOSUPPORT),
	E(EADDRINUSE), E(EADDRNOTAVAIL), E(ENETDOWN), E(ENETUNREACH), E(ECONNABORTED),
	E(ECONNRESET), E(ENOBUFS), E(EISCONN), E(ENOTCONN), E(ESHUTDOWN),
	E(ETIMEDOUT), E(ECONNREFUSED), E(EHOSTDOWN), E(EHOSTUNREACH), E(EALREADY),
	E(EINPROGRESS), E(ENOMSG), E(ENODATA),
};
#undef E

const char *conf_errno_name(int e)
{
	static char buf[32];

	for (size_t i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
		if (errnos[i].val == e)
			return errnos[i].name;
	snprintf(buf, sizeof(buf), "%d", e);
	return buf;
}

struct flag_name {
	int bit;
	const char *name;
};

/* "A|B" for the bits of v named in tbl, any rest in hex; "0" for none.
 * Four buffers in turn, so that one printf may hold four names. */
static const char *flags_name(int v, const struct flag_name *tbl, size_t n)
{
	static char bufs[4][256];
	static unsigned int turn;
	char *buf = bufs[turn++ % 4];
	size_t len = 0;

	buf[0] = 0;
	for (size_t i = 0; i < n; i++) {
		if (!(v & tbl[i].bit))
			continue;
		len += (size_t)snprintf(buf + len, 256 - len, "%s%s", len ? "|" : "",
					tbl[i].name);
		v &= ~tbl[i].bit;
	}
	if (v)
		snprintf(buf + len, 256 - len, "%s0x%x", len ? "|" : "", (unsigned int)v);
	return buf[0] ? buf : "0";
}

#define F(x) { x, #x }
const char *conf_poll_name(int revents)
{
	static const struct flag_name tbl[] = {
		F(POLLIN), F(POLLPRI), F(POLLOUT), F(POLLERR), F(POLLHUP), F(POLLNVAL),
		F(POLLRDNORM), F(POLLRDBAND), F(POLLWRNORM), F(POLLWRBAND), F(POLLRDHUP),
	};
	return flags_name(revents, tbl, sizeof(tbl) / sizeof(tbl[0]));
}

const char *conf_msg_flags_name(int flags)
{
	static const struct flag_name tbl[] = {
		F(MSG_OOB), F(MSG_PEEK), F(MSG_DONTROUTE), F(MSG_CTRUNC), F(MSG_TRUNC),
		F(MSG_DONTWAIT), F(MSG_EOR), F(MSG_WAITALL), F(MSG_ERRQUEUE), F(MSG_NOSIGNAL),
		F(MSG_CONFIRM),
	};
	return flags_name(flags, tbl, sizeof(tbl) / sizeof(tbl[0]));
}
#undef F

/* ---- helpers --------------------------------------------------------------- */

struct sockaddr_in conf_sin(const char *addr, unsigned int port)
{
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	inet_pton(AF_INET, addr, &sin.sin_addr);
	return sin;
}

int conf_udp_bound(const char *step, const char *addr, unsigned int port)
{
	char s[128];
	struct sockaddr_in sin = conf_sin(addr, port);

	snprintf(s, sizeof(s), "%s.socket", step);
	int fd = CALL_FD(s, socket(AF_INET, SOCK_DGRAM, 0));
	if (fd < 0)
		return -1;
	snprintf(s, sizeof(s), "%s.bind", step);
	if (CALL(s, bind(fd, SA(&sin), sizeof(sin))) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

unsigned int conf_local_port(int fd)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);

	memset(&sin, 0, sizeof(sin));
	if (getsockname(fd, SA(&sin), &len) < 0)
		return 0;
	return ntohs(sin.sin_port);
}

void conf_print_name(const char *step, int fd, int peer, unsigned int want)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	char a[INET_ADDRSTRLEN], p[32];

	memset(&sin, 0, sizeof(sin));
	errno = 0;
	long ret = peer ? getpeername(fd, SA(&sin), &len) : getsockname(fd, SA(&sin), &len);
	if (ret < 0) {
		conf_ret(step, ret);
		return;
	}
	unsigned int port = ntohs(sin.sin_port);
	if (port == 0)
		snprintf(p, sizeof(p), "=0");
	else if (want && port == want)
		snprintf(p, sizeof(p), "==want");
	else
		snprintf(p, sizeof(p), "!=0");
	inet_ntop(AF_INET, &sin.sin_addr, a, sizeof(a));
	conf_val(step, "ret=0 errno=0 len=%u family=%d addr=%s port%s", (unsigned int)len,
		 sin.sin_family, a, p);
}

int conf_wait(int fd, int events, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = (short)events };
	int step = 10;

	/* Poll in short slices so a wake-up tuxnet might miss does not turn
	 * into a hang; the total is bounded by ms either way. */
	for (int waited = 0; waited <= ms; waited += step) {
		pfd.revents = 0;
		if (poll(&pfd, 1, step) > 0 && (pfd.revents & (events | POLLNVAL)))
			return pfd.revents;
	}
	return pfd.revents;
}

int conf_getint(int fd, int level, int name)
{
	int v = -1;
	socklen_t len = sizeof(v);

	if (getsockopt(fd, level, name, &v, &len) < 0)
		return -1;
	return v;
}
