/*
 * Conformance cases for SOL_SOCKET options (Linux's sk_setsockopt and
 * sk_getsockopt): lengths, unknown options, the read-only identity options,
 * buffer sizes with their doubling and limits, and the receive timeout.
 * Buffer limits come from the environment's own sysctls (net.core.rmem_max
 * and friends), so the cases compare the rule, not the host's tuning.
 */
#include "conf.h"

static int udp_socket(void)
{
	return CALL_FD("socket", socket(AF_INET, SOCK_DGRAM, 0));
}

/* getsockopt of an int, printed with the length the call left. */
static void get_int(const char *step, int fd, int level, int name, socklen_t len)
{
	int v = 0x5a5a5a5a;

	if (CALL(step, getsockopt(fd, level, name, &v, &len)) == 0)
		conf_val(step, "len=%u value=0x%x", (unsigned int)len, (unsigned int)v);
}

static void set_int(const char *step, int fd, int level, int name, int v, socklen_t len)
{
	CALL(step, setsockopt(fd, level, name, &v, len));
}

static void case_identity(void)
{
	int fd = udp_socket();

	get_int("SO_TYPE", fd, SOL_SOCKET, SO_TYPE, sizeof(int));
	get_int("SO_DOMAIN", fd, SOL_SOCKET, SO_DOMAIN, sizeof(int));
	get_int("SO_PROTOCOL", fd, SOL_SOCKET, SO_PROTOCOL, sizeof(int));
	get_int("SO_ERROR", fd, SOL_SOCKET, SO_ERROR, sizeof(int));
	get_int("SO_ACCEPTCONN", fd, SOL_SOCKET, SO_ACCEPTCONN, sizeof(int));
	set_int("set.SO_TYPE", fd, SOL_SOCKET, SO_TYPE, SOCK_STREAM, sizeof(int));
	set_int("set.SO_PROTOCOL", fd, SOL_SOCKET, SO_PROTOCOL, 6, sizeof(int));
	set_int("set.SO_ERROR", fd, SOL_SOCKET, SO_ERROR, 1, sizeof(int));
	close(fd);
}

static void case_lengths(void)
{
	int fd = udp_socket();

	set_int("set.len=0", fd, SOL_SOCKET, SO_REUSEADDR, 1, 0);
	set_int("set.len=2", fd, SOL_SOCKET, SO_REUSEADDR, 1, 2);
	set_int("set.len=8", fd, SOL_SOCKET, SO_REUSEADDR, 1, 8);
	CALL("set.optval=NULL.len=0", setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, NULL, 0));
	/* Truncation: Linux copies min(len, 4) bytes and writes back the length. */
	get_int("get.len=2", fd, SOL_SOCKET, SO_TYPE, 2);
	get_int("get.len=0", fd, SOL_SOCKET, SO_TYPE, 0);
	get_int("get.len=8", fd, SOL_SOCKET, SO_TYPE, 8);
	get_int("get.len=-1", fd, SOL_SOCKET, SO_TYPE, (socklen_t)-1);
	close(fd);
}

static void case_unknown(void)
{
	int fd = udp_socket();

	set_int("set.SOL_SOCKET.9999", fd, SOL_SOCKET, 9999, 1, sizeof(int));
	get_int("get.SOL_SOCKET.9999", fd, SOL_SOCKET, 9999, sizeof(int));
	set_int("set.level=9999", fd, 9999, 1, 1, sizeof(int));
	get_int("get.level=9999", fd, 9999, 1, sizeof(int));
	set_int("set.SOL_IP.9999", fd, SOL_IP, 9999, 1, sizeof(int));
	get_int("get.SOL_IP.9999", fd, SOL_IP, 9999, sizeof(int));
	set_int("set.SOL_UDP.9999", fd, IPPROTO_UDP, 9999, 1, sizeof(int));
	get_int("get.SOL_UDP.9999", fd, IPPROTO_UDP, 9999, sizeof(int));
	set_int("set.SOL_TCP.on-udp", fd, IPPROTO_TCP, 1, 1, sizeof(int));
	close(fd);
}

static void case_flags(void)
{
	int fd = udp_socket();

	get_int("SO_REUSEADDR.default", fd, SOL_SOCKET, SO_REUSEADDR, sizeof(int));
	set_int("SO_REUSEADDR.set=7", fd, SOL_SOCKET, SO_REUSEADDR, 7, sizeof(int));
	get_int("SO_REUSEADDR.after", fd, SOL_SOCKET, SO_REUSEADDR, sizeof(int));
	get_int("SO_REUSEPORT.default", fd, SOL_SOCKET, SO_REUSEPORT, sizeof(int));
	set_int("SO_REUSEPORT.set", fd, SOL_SOCKET, SO_REUSEPORT, 1, sizeof(int));
	get_int("SO_REUSEPORT.after", fd, SOL_SOCKET, SO_REUSEPORT, sizeof(int));
	get_int("SO_BROADCAST.default", fd, SOL_SOCKET, SO_BROADCAST, sizeof(int));
	set_int("SO_BROADCAST.set", fd, SOL_SOCKET, SO_BROADCAST, 1, sizeof(int));
	get_int("SO_BROADCAST.after", fd, SOL_SOCKET, SO_BROADCAST, sizeof(int));
	get_int("SO_KEEPALIVE.default", fd, SOL_SOCKET, SO_KEEPALIVE, sizeof(int));
	get_int("SO_DONTROUTE.default", fd, SOL_SOCKET, SO_DONTROUTE, sizeof(int));
	get_int("SO_RCVLOWAT.default", fd, SOL_SOCKET, SO_RCVLOWAT, sizeof(int));
	get_int("SO_SNDLOWAT.default", fd, SOL_SOCKET, SO_SNDLOWAT, sizeof(int));
	get_int("SO_PRIORITY.default", fd, SOL_SOCKET, SO_PRIORITY, sizeof(int));
	close(fd);
}

/* Print a buffer size relative to the limits: "2*max", "min" or the value. */
static void get_buf(const char *step, int fd, int name, long max)
{
	int v = -1;
	socklen_t len = sizeof(v);

	if (CALL(step, getsockopt(fd, SOL_SOCKET, name, &v, &len)) < 0)
		return;
	if (max > 0 && v == 2 * max)
		conf_val(step, "value=2*max");
	else
		conf_val(step, "value=%d", v);
}

/* SO_RCVBUF / SO_SNDBUF: the value is doubled (bookkeeping overhead),
 * capped at the sysctl maximum, floored at a per-kind minimum; the
 * default is the sysctl default. */
static void buf_case(int name, const char *max_sysctl, const char *def_sysctl)
{
	int fd = udp_socket();
	long max = conf_sysctl_get(max_sysctl);
	long def = conf_sysctl_get(def_sysctl);
	int v = -1;
	socklen_t len = sizeof(v);

	getsockopt(fd, SOL_SOCKET, name, &v, &len);
	conf_val("default", "equals-sysctl-default=%d", def > 0 && v == def);
	set_int("set=10000", fd, SOL_SOCKET, name, 10000, sizeof(int));
	get_buf("get=10000", fd, name, max);
	set_int("set=0", fd, SOL_SOCKET, name, 0, sizeof(int));
	get_buf("get.min", fd, name, max);
	set_int("set=1", fd, SOL_SOCKET, name, 1, sizeof(int));
	get_buf("get.1", fd, name, max);
	set_int("set=1<<30", fd, SOL_SOCKET, name, 1 << 30, sizeof(int));
	get_buf("get.huge", fd, name, max);
	set_int("set=-1", fd, SOL_SOCKET, name, -1, sizeof(int));
	get_buf("get.-1", fd, name, max);
	set_int("set.len=2", fd, SOL_SOCKET, name, 4096, 2);
	close(fd);
}

static void case_rcvbuf(void)
{
	buf_case(SO_RCVBUF, "net.core.rmem_max", "net.core.rmem_default");
}

static void case_sndbuf(void)
{
	buf_case(SO_SNDBUF, "net.core.wmem_max", "net.core.wmem_default");
}

static void set_tv(const char *step, int fd, int name, long sec, long usec)
{
	struct timeval tv = { .tv_sec = sec, .tv_usec = usec };
	CALL(step, setsockopt(fd, SOL_SOCKET, name, &tv, sizeof(tv)));
}

static void get_tv(const char *step, int fd, int name, socklen_t len)
{
	struct timeval tv = { -7, -7 };

	if (CALL(step, getsockopt(fd, SOL_SOCKET, name, &tv, &len)) == 0)
		conf_val(step, "len=%u sec=%ld usec=%ld", (unsigned int)len, (long)tv.tv_sec,
			 (long)tv.tv_usec);
}

static void timeo_case(int name)
{
	int fd = udp_socket();
	struct timeval tv = { 1, 0 };

	get_tv("default", fd, name, sizeof(struct timeval));
	set_tv("set.100ms", fd, name, 0, 100000);
	get_tv("get.100ms", fd, name, sizeof(struct timeval));
	set_tv("set.1.5s", fd, name, 1, 500000);
	get_tv("get.1.5s", fd, name, sizeof(struct timeval));
	set_tv("set.usec=1000000", fd, name, 0, 1000000);
	set_tv("set.usec=-1", fd, name, 0, -1);
	get_tv("get.unchanged", fd, name, sizeof(struct timeval));
	/* A negative time means "no timeout" (Linux logs a warning). */
	set_tv("set.sec=-1", fd, name, -1, 0);
	get_tv("get.after-negative", fd, name, sizeof(struct timeval));
	CALL("set.len=8", setsockopt(fd, SOL_SOCKET, name, &tv, 8));
	get_tv("get.len=8", fd, name, 8);
	set_tv("set.0", fd, name, 0, 0);
	get_tv("get.0", fd, name, sizeof(struct timeval));
	close(fd);
}

static void case_rcvtimeo(void)
{
	timeo_case(SO_RCVTIMEO);
}

static void case_sndtimeo(void)
{
	timeo_case(SO_SNDTIMEO);
}

const struct conf_case conf_cases_sockopt[] = {
	{ "sockopt-identity", case_identity },
	{ "sockopt-lengths", case_lengths },
	{ "sockopt-unknown", case_unknown },
	{ "sockopt-flags", case_flags },
	{ "sockopt-rcvbuf", case_rcvbuf },
	{ "sockopt-sndbuf", case_sndbuf },
	{ "sockopt-rcvtimeo", case_rcvtimeo },
	{ "sockopt-sndtimeo", case_sndtimeo },
	{ NULL, NULL },
};
