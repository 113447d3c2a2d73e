/*
 * Conformance cases for ping sockets (SOCK_DGRAM + IPPROTO_ICMP, Linux's
 * net/ipv4/ping.c): who may open one (net.ipv4.ping_group_range), what a
 * request must look like, and the echo reply from 127.0.0.1 with the
 * identifier the kernel puts in place of the application's.
 *
 * The environment opens ping_group_range to every group ("0 2147483647"):
 * run.sh in the namespace for the kernel, env_tuxnet.c for each stack. The
 * permission case closes it for a moment and opens it again.
 */
#include "conf.h"

#define PING_GROUPS_OPEN "0 2147483647"

static int ping_socket(const char *step)
{
	return CALL_FD(step, socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP));
}

/* An echo request: type, code, checksum left to the kernel, id, seq, data. */
static size_t echo_request(unsigned char *p, unsigned int type, unsigned int seq)
{
	memset(p, 0, 8);
	p[0] = (unsigned char)type;
	p[4] = 0x12; /* identifier: replaced by the socket's */
	p[5] = 0x34;
	p[6] = (unsigned char)(seq >> 8);
	p[7] = (unsigned char)seq;
	memcpy(p + 8, "tuxnet", 6);
	return 14;
}

static void case_permission(void)
{
	conf_sysctl_set("net.ipv4.ping_group_range", "1 0");
	CALL_FD("socket.closed-range", socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP));
	conf_sysctl_set("net.ipv4.ping_group_range", PING_GROUPS_OPEN);
	int fd = ping_socket("socket.open-range");
	close(fd);
	CALL_FD("stream.ICMP", socket(AF_INET, SOCK_STREAM, IPPROTO_ICMP));
}

static void case_identity(void)
{
	int fd = ping_socket("socket");
	int v;
	socklen_t len = sizeof(v);

	v = -1;
	CALL("SO_TYPE", getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &len));
	conf_val("SO_TYPE", "value=%d", v);
	len = sizeof(v);
	CALL("SO_PROTOCOL", getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &v, &len));
	conf_val("SO_PROTOCOL", "value=%d", v);
	conf_print_name("getsockname.unbound", fd, 0, 0);
	close(fd);
}

static void case_echo(void)
{
	int fd = ping_socket("socket");
	struct sockaddr_in to = conf_sin("127.0.0.1", 0), from, self = conf_sin("127.0.0.1", 4321);
	unsigned char req[64], rep[64];
	socklen_t len = sizeof(from);
	char a[INET_ADDRSTRLEN];

	/* The "port" of a ping socket is its echo identifier. */
	CALL("bind.id=4321", bind(fd, SA(&self), sizeof(self)));
	conf_print_name("getsockname", fd, 0, 4321);
	size_t n = echo_request(req, ICMP_ECHO, 1);
	CALL("sendto", sendto(fd, req, n, 0, SA(&to), sizeof(to)));
	conf_val("wait", "revents=%s", conf_poll_name(conf_wait(fd, POLLIN, 1000)));
	memset(&from, 0, sizeof(from));
	memset(rep, 0, sizeof(rep));
	if (CALL("recvfrom", recvfrom(fd, rep, sizeof(rep), MSG_DONTWAIT, SA(&from), &len)) < 0)
		goto out;
	inet_ntop(AF_INET, &from.sin_addr, a, sizeof(a));
	conf_val("recvfrom", "from=%s port=%u len=%u type=%u code=%u id=%u seq=%u data=%.6s",
		 a, ntohs(from.sin_port), (unsigned int)len, rep[0], rep[1],
		 (unsigned int)(rep[4] << 8 | rep[5]), (unsigned int)(rep[6] << 8 | rep[7]),
		 rep + 8);
out:
	close(fd);
}

static void case_bad_requests(void)
{
	int fd = ping_socket("socket");
	struct sockaddr_in to = conf_sin("127.0.0.1", 0);
	unsigned char req[64];

	size_t n = echo_request(req, ICMP_ECHOREPLY, 1);
	CALL("type=reply", sendto(fd, req, n, 0, SA(&to), sizeof(to)));
	n = echo_request(req, ICMP_ECHO, 1);
	req[1] = 1;
	CALL("code=1", sendto(fd, req, n, 0, SA(&to), sizeof(to)));
	n = echo_request(req, ICMP_ECHO, 1);
	CALL("len=7", sendto(fd, req, 7, 0, SA(&to), sizeof(to)));
	CALL("no-address", send(fd, req, n, 0));
	CALL("addrlen=short", sendto(fd, req, n, 0, SA(&to), sizeof(to) - 1));
	to.sin_family = AF_INET6;
	CALL("family=INET6", sendto(fd, req, n, 0, SA(&to), sizeof(to)));
	close(fd);
}

/* An automatic identifier is nonzero, and replies carry it. */
static void case_autobind(void)
{
	int fd = ping_socket("socket");
	struct sockaddr_in to = conf_sin("127.0.0.1", 0);
	unsigned char req[64], rep[64];

	size_t n = echo_request(req, ICMP_ECHO, 7);
	CALL("sendto", sendto(fd, req, n, 0, SA(&to), sizeof(to)));
	unsigned int id = conf_local_port(fd);
	conf_print_name("getsockname", fd, 0, 0);
	conf_wait(fd, POLLIN, 1000);
	if (CALL("recv", recv(fd, rep, sizeof(rep), MSG_DONTWAIT)) >= 0)
		conf_val("recv", "type=%u id==bound:%d seq=%u", rep[0],
			 (unsigned int)(rep[4] << 8 | rep[5]) == id,
			 (unsigned int)(rep[6] << 8 | rep[7]));
	close(fd);
}

const struct conf_case conf_cases_ping[] = {
	{ "ping-permission", case_permission },
	{ "ping-identity", case_identity },
	{ "ping-echo", case_echo },
	{ "ping-bad-requests", case_bad_requests },
	{ "ping-autobind", case_autobind },
	{ NULL, NULL },
};
