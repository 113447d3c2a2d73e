/*
 * Conformance cases for poll(2) on UDP sockets (Linux's datagram_poll and
 * udp_poll): the readiness mask in each state a datagram socket can be in,
 * what poll does with events=0, negative descriptors and timeouts.
 * The epoll cases will sit beside these in cases_epoll.c.
 */
#include "conf.h"

/* Everything a caller may ask for; the kernel adds ERR/HUP/NVAL itself. */
#define ALL_EVENTS (POLLIN | POLLPRI | POLLOUT | POLLRDNORM | POLLRDBAND | POLLWRNORM | \
		    POLLWRBAND | POLLRDHUP)

static void poll_one(const char *step, int fd, int events, int timeout)
{
	struct pollfd pfd = { .fd = fd, .events = (short)events, .revents = 0x7fff };

	CALL(step, poll(&pfd, 1, timeout));
	conf_val(step, "revents=%s", conf_poll_name(pfd.revents));
}

static void case_states(void)
{
	int rx = CALL_FD("rx", socket(AF_INET, SOCK_DGRAM, 0));

	poll_one("fresh", rx, ALL_EVENTS, 0);
	struct sockaddr_in sin = conf_sin("127.0.0.1", 0);
	CALL("bind", bind(rx, SA(&sin), sizeof(sin)));
	poll_one("bound", rx, ALL_EVENTS, 0);
	poll_one("bound.events=0", rx, 0, 0);
	poll_one("bound.events=POLLIN", rx, POLLIN, 0);

	int tx = CALL_FD("tx", socket(AF_INET, SOCK_DGRAM, 0));
	struct sockaddr_in to = conf_sin("127.0.0.1", conf_local_port(rx));
	CALL("tx.connect", connect(tx, SA(&to), sizeof(to)));
	poll_one("tx.connected", tx, ALL_EVENTS, 0);
	CALL("tx.send", send(tx, "x", 1, 0));
	conf_wait(rx, POLLIN, 1000);
	poll_one("rx.data", rx, ALL_EVENTS, 0);
	poll_one("rx.data.events=POLLOUT", rx, POLLOUT, 0);
	char b[4];
	recv(rx, b, sizeof(b), 0);
	poll_one("rx.drained", rx, ALL_EVENTS, 0);

	CALL("rx.shutdown.RD", shutdown(rx, SHUT_RD));
	poll_one("rx.shut-RD", rx, ALL_EVENTS, 0);
	poll_one("rx.shut-RD.events=0", rx, 0, 0);
	CALL("rx.shutdown.WR", shutdown(rx, SHUT_WR));
	poll_one("rx.shut-RDWR", rx, ALL_EVENTS, 0);
	poll_one("rx.shut-RDWR.events=0", rx, 0, 0);
	CALL("tx.shutdown.WR", shutdown(tx, SHUT_WR));
	poll_one("tx.shut-WR", tx, ALL_EVENTS, 0);
	close(rx);
	close(tx);
}

static void case_error(void)
{
	int gone = conf_udp_bound("closed", "127.0.0.1", 0);
	struct sockaddr_in to = conf_sin("127.0.0.1", conf_local_port(gone));
	close(gone);

	int fd = CALL_FD("socket", socket(AF_INET, SOCK_DGRAM, 0));
	CALL("connect", connect(fd, SA(&to), sizeof(to)));
	CALL("send", send(fd, "x", 1, 0));
	conf_wait(fd, POLLERR, 1000);
	poll_one("pending-error", fd, ALL_EVENTS, 0);
	poll_one("pending-error.events=0", fd, 0, 0);
	conf_getint(fd, SOL_SOCKET, SO_ERROR);
	poll_one("error-read", fd, ALL_EVENTS, 0);
	close(fd);
}

static void case_fds(void)
{
	int fd = CALL_FD("socket", socket(AF_INET, SOCK_DGRAM, 0));
	struct pollfd p[3] = {
		{ .fd = -1, .events = POLLIN, .revents = 0x7fff },
		{ .fd = fd, .events = POLLOUT, .revents = 0x7fff },
		{ .fd = 1000, .events = POLLIN, .revents = 0x7fff },
	};

	CALL("three", poll(p, 3, 0));
	conf_val("three", "revents=%s,%s,%s", conf_poll_name(p[0].revents),
		 conf_poll_name(p[1].revents), conf_poll_name(p[2].revents));
	CALL("nfds=0", poll(NULL, 0, 10));
	p[1].events = POLLIN;
	CALL("timeout.100ms", poll(&p[1], 1, 100));
	conf_val("timeout.100ms", "revents=%s", conf_poll_name(p[1].revents));
	close(fd);
}

const struct conf_case conf_cases_poll[] = {
	{ "poll-udp-states", case_states },
	{ "poll-udp-error", case_error },
	{ "poll-fds", case_fds },
	{ NULL, NULL },
};
