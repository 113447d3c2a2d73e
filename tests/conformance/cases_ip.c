/*
 * Conformance cases for SOL_IP options on UDP sockets (Linux's
 * ip_sockglue.c): IP_TTL, IP_TOS, IP_MTU_DISCOVER, IP_MTU and the multicast
 * defaults with their ranges; the IP_PKTINFO/IP_TTL/IP_TOS control messages
 * on receive; and the IP_RECVERR error queue after a port unreachable.
 */
#include "conf.h"

static void get_ip(const char *step, int fd, int name, socklen_t len)
{
	int v = 0x5a5a5a5a;

	if (CALL(step, getsockopt(fd, SOL_IP, name, &v, &len)) == 0)
		conf_val(step, "len=%u value=0x%x", (unsigned int)len, (unsigned int)v);
}

static void set_ip(const char *step, int fd, int name, int v)
{
	CALL(step, setsockopt(fd, SOL_IP, name, &v, sizeof(v)));
}

static void case_ttl(void)
{
	int fd = CALL_FD("socket", socket(AF_INET, SOCK_DGRAM, 0));
	unsigned char c = 5;

	get_ip("default", fd, IP_TTL, sizeof(int));
	set_ip("set=1", fd, IP_TTL, 1);
	get_ip("get=1", fd, IP_TTL, sizeof(int));
	set_ip("set=255", fd, IP_TTL, 255);
	set_ip("set=0", fd, IP_TTL, 0);
	set_ip("set=256", fd, IP_TTL, 256);
	set_ip("set=-2", fd, IP_TTL, -2);
	get_ip("get.unchanged", fd, IP_TTL, sizeof(int));
	/* -1 restores the route's (sysctl's) default. */
	set_ip("set=-1", fd, IP_TTL, -1);
	get_ip("get.after-minus-1", fd, IP_TTL, sizeof(int));
	/* A one-byte option value is read as an unsigned char. */
	CALL("set.char", setsockopt(fd, SOL_IP, IP_TTL, &c, 1));
	get_ip("get.after-char", fd, IP_TTL, sizeof(int));
	CALL("set.len=0", setsockopt(fd, SOL_IP, IP_TTL, &c, 0));
	/* A short get of a small value returns one byte. */
	get_ip("get.len=1", fd, IP_TTL, 1);
	get_ip("get.len=2", fd, IP_TTL, 2);
	get_ip("get.len=0", fd, IP_TTL, 0);
	close(fd);
}

static void case_tos(void)
{
	int fd = CALL_FD("socket", socket(AF_INET, SOCK_DGRAM, 0));

	get_ip("default", fd, IP_TOS, sizeof(int));
	set_ip("set=0x10", fd, IP_TOS, 0x10);
	get_ip("get=0x10", fd, IP_TOS, sizeof(int));
	set_ip("set=0xff", fd, IP_TOS, 0xff);
	get_ip("get=0xff", fd, IP_TOS, sizeof(int));
	set_ip("set=0x1fc", fd, IP_TOS, 0x1fc);
	get_ip("get.after-0x1fc", fd, IP_TOS, sizeof(int));
	set_ip("set=-1", fd, IP_TOS, -1);
	get_ip("get.after-minus-1", fd, IP_TOS, sizeof(int));
	close(fd);
}

static void case_mtu_discover(void)
{
	int fd = CALL_FD("socket", socket(AF_INET, SOCK_DGRAM, 0));

	get_ip("default", fd, IP_MTU_DISCOVER, sizeof(int));
	for (int v = IP_PMTUDISC_DONT; v <= IP_PMTUDISC_OMIT; v++) {
		char s[32];
		snprintf(s, sizeof(s), "set=%d", v);
		set_ip(s, fd, IP_MTU_DISCOVER, v);
		snprintf(s, sizeof(s), "get=%d", v);
		get_ip(s, fd, IP_MTU_DISCOVER, sizeof(int));
	}
	set_ip("set=6", fd, IP_MTU_DISCOVER, IP_PMTUDISC_OMIT + 1);
	set_ip("set=-1", fd, IP_MTU_DISCOVER, -1);
	get_ip("IP_MTU.unconnected", fd, IP_MTU, sizeof(int));
	struct sockaddr_in to = conf_sin("127.0.0.1", 9);
	CALL("connect", connect(fd, SA(&to), sizeof(to)));
	get_ip("IP_MTU.connected", fd, IP_MTU, sizeof(int));
	close(fd);
}

static void case_multicast_defaults(void)
{
	int fd = CALL_FD("socket", socket(AF_INET, SOCK_DGRAM, 0));

	get_ip("IP_MULTICAST_TTL", fd, IP_MULTICAST_TTL, sizeof(int));
	get_ip("IP_MULTICAST_LOOP", fd, IP_MULTICAST_LOOP, sizeof(int));
	get_ip("IP_PKTINFO", fd, IP_PKTINFO, sizeof(int));
	get_ip("IP_RECVERR", fd, IP_RECVERR, sizeof(int));
	get_ip("IP_RECVTTL", fd, IP_RECVTTL, sizeof(int));
	get_ip("IP_HDRINCL", fd, IP_HDRINCL, sizeof(int));
	set_ip("IP_MULTICAST_TTL.set=256", fd, IP_MULTICAST_TTL, 256);
	set_ip("IP_MULTICAST_TTL.set=-1", fd, IP_MULTICAST_TTL, -1);
	get_ip("IP_MULTICAST_TTL.after-minus-1", fd, IP_MULTICAST_TTL, sizeof(int));
	close(fd);
}

/* Print every control message of msg that this suite knows. */
static void print_cmsgs(const char *step, struct msghdr *msg)
{
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];

	for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR(msg, c)) {
		unsigned char *d = CMSG_DATA(c);
		if (c->cmsg_level == SOL_IP && c->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo pi;
			memcpy(&pi, d, sizeof(pi));
			inet_ntop(AF_INET, &pi.ipi_spec_dst, a, sizeof(a));
			inet_ntop(AF_INET, &pi.ipi_addr, b, sizeof(b));
			conf_val(step, "cmsg IP_PKTINFO len=%zu ifindex=%d spec_dst=%s addr=%s",
				 (size_t)c->cmsg_len, pi.ipi_ifindex, a, b);
		} else if (c->cmsg_level == SOL_IP &&
			   (c->cmsg_type == IP_TTL || c->cmsg_type == IP_TOS)) {
			int v = c->cmsg_type == IP_TTL ? *(int *)(void *)d : *d;
			conf_val(step, "cmsg %s len=%zu value=%d",
				 c->cmsg_type == IP_TTL ? "IP_TTL" : "IP_TOS", (size_t)c->cmsg_len,
				 v);
		} else {
			conf_val(step, "cmsg level=%d type=%d len=%zu", c->cmsg_level,
				 c->cmsg_type, (size_t)c->cmsg_len);
		}
	}
}

/* Receive one datagram with a control buffer of `clen` bytes. */
static void recv_with_cmsg(const char *step, int fd, size_t clen)
{
	char buf[16];
	union {
		char b[256];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.b,
			      .msg_controllen = clen };

	memset(&ctl, 0, sizeof(ctl));
	conf_wait(fd, POLLIN, 1000);
	if (CALL(step, recvmsg(fd, &msg, MSG_DONTWAIT)) < 0)
		return;
	conf_val(step, "msg_flags=%s controllen=%zu", conf_msg_flags_name(msg.msg_flags),
		 (size_t)msg.msg_controllen);
	print_cmsgs(step, &msg);
}

static void case_pktinfo(void)
{
	int rx = conf_udp_bound("rx", "0.0.0.0", 0);
	int tx = CALL_FD("tx", socket(AF_INET, SOCK_DGRAM, 0));
	unsigned int port = conf_local_port(rx);
	struct sockaddr_in to = conf_sin("127.0.0.5", port);

	set_ip("IP_PKTINFO", rx, IP_PKTINFO, 1);
	CALL("sendto.127.0.0.5", sendto(tx, "a", 1, 0, SA(&to), sizeof(to)));
	recv_with_cmsg("recvmsg.127.0.0.5", rx, 256);
	to = conf_sin("127.0.0.1", port);
	CALL("sendto.127.0.0.1", sendto(tx, "b", 1, 0, SA(&to), sizeof(to)));
	recv_with_cmsg("recvmsg.127.0.0.1", rx, 256);
	/* Too little room for the message: MSG_CTRUNC. */
	CALL("sendto.ctrunc", sendto(tx, "c", 1, 0, SA(&to), sizeof(to)));
	recv_with_cmsg("recvmsg.ctrunc", rx, 4);
	set_ip("IP_RECVTTL", rx, IP_RECVTTL, 1);
	set_ip("IP_RECVTOS", rx, IP_RECVTOS, 1);
	set_ip("tx.IP_TOS", tx, IP_TOS, 0x20);
	set_ip("tx.IP_TTL", tx, IP_TTL, 9);
	CALL("sendto.ttl-tos", sendto(tx, "d", 1, 0, SA(&to), sizeof(to)));
	recv_with_cmsg("recvmsg.ttl-tos", rx, 256);
	close(rx);
	close(tx);
}

/* The extended error an errqueue read returns, field by field. */
static void print_errqueue(const char *step, struct msghdr *msg, unsigned int dport)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR(msg, c)) {
		if (c->cmsg_level != SOL_IP || c->cmsg_type != IP_RECVERR) {
			conf_val(step, "cmsg level=%d type=%d", c->cmsg_level, c->cmsg_type);
			continue;
		}
		struct sock_extended_err ee;
		struct sockaddr_in off;
		char a[INET_ADDRSTRLEN];
		memcpy(&ee, CMSG_DATA(c), sizeof(ee));
		memcpy(&off, CMSG_DATA(c) + sizeof(ee), sizeof(off));
		inet_ntop(AF_INET, &off.sin_addr, a, sizeof(a));
		conf_val(step,
			 "cmsg IP_RECVERR len=%zu ee_errno=%s ee_origin=%u ee_type=%u ee_code=%u "
			 "ee_info=%u ee_data=%u offender=%d/%s",
			 (size_t)c->cmsg_len, conf_errno_name((int)ee.ee_errno), ee.ee_origin,
			 ee.ee_type, ee.ee_code, ee.ee_info, ee.ee_data, off.sin_family, a);
	}
	struct sockaddr_in *to = msg->msg_name;
	char a[INET_ADDRSTRLEN];
	inet_ntop(AF_INET, &to->sin_addr, a, sizeof(a));
	conf_val(step, "name len=%u addr=%s port==dst:%d", (unsigned int)msg->msg_namelen, a,
		 ntohs(to->sin_port) == dport);
}

static void case_recverr(void)
{
	int fd = conf_udp_bound("fd", "127.0.0.1", 0);
	int gone = conf_udp_bound("closed", "127.0.0.1", 0);
	unsigned int dport = conf_local_port(gone);
	struct sockaddr_in to = conf_sin("127.0.0.1", dport), name;
	char buf[64], ctl[256];
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_name = &name,
			      .msg_namelen = sizeof(name), .msg_control = ctl,
			      .msg_controllen = sizeof(ctl) };

	close(gone);
	set_ip("IP_RECVERR", fd, IP_RECVERR, 1);
	CALL("recvmsg.ERRQUEUE.empty", recvmsg(fd, &msg, MSG_ERRQUEUE));
	CALL("sendto", sendto(fd, "0123456789", 10, 0, SA(&to), sizeof(to)));
	conf_val("wait", "revents=%s", conf_poll_name(conf_wait(fd, POLLERR, 1000)));
	memset(&name, 0, sizeof(name));
	if (CALL("recvmsg.ERRQUEUE", recvmsg(fd, &msg, MSG_ERRQUEUE)) >= 0) {
		conf_val("recvmsg.ERRQUEUE", "msg_flags=%s data=%.10s",
			 conf_msg_flags_name(msg.msg_flags), buf);
		print_errqueue("recvmsg.ERRQUEUE", &msg, dport);
	}
	conf_val("SO_ERROR.after", "value=%s",
		 conf_errno_name(conf_getint(fd, SOL_SOCKET, SO_ERROR)));
	msg.msg_controllen = sizeof(ctl);
	CALL("recvmsg.ERRQUEUE.again", recvmsg(fd, &msg, MSG_ERRQUEUE));
	conf_val("poll.after", "revents=%s", conf_poll_name(conf_wait(fd, POLLIN, 0)));
	close(fd);
}

/* With IP_RECVERR the plain call reports the error first, then the queue
 * still holds it. */
static void case_recverr_then_recv(void)
{
	int fd = conf_udp_bound("fd", "127.0.0.1", 0);
	int gone = conf_udp_bound("closed", "127.0.0.1", 0);
	struct sockaddr_in to = conf_sin("127.0.0.1", conf_local_port(gone));
	char buf[16];

	close(gone);
	set_ip("IP_RECVERR", fd, IP_RECVERR, 1);
	CALL("sendto", sendto(fd, "x", 1, 0, SA(&to), sizeof(to)));
	conf_wait(fd, POLLERR, 1000);
	CALL("recv", recv(fd, buf, sizeof(buf), MSG_DONTWAIT));
	CALL("recv.again", recv(fd, buf, sizeof(buf), MSG_DONTWAIT));
	conf_val("poll", "revents=%s", conf_poll_name(conf_wait(fd, POLLIN, 0)));
	close(fd);
}

const struct conf_case conf_cases_ip[] = {
	{ "ip-ttl", case_ttl },
	{ "ip-tos", case_tos },
	{ "ip-mtu-discover", case_mtu_discover },
	{ "ip-multicast-defaults", case_multicast_defaults },
	{ "ip-pktinfo", case_pktinfo },
	{ "ip-recverr", case_recverr },
	{ "ip-recverr-then-recv", case_recverr_then_recv },
	{ NULL, NULL },
};
