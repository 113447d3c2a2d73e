/*
 * An echo server on tuxnet's public epoll API, reachable from the host's
 * Linux kernel through a TAP device: the shape of a real program that embeds
 * the stack and serves many connections from one thread.
 *
 * main() builds the world with the same `ip` commands as on Linux -- a tap
 * device tn0 whose host side (HOSTDEV, default tap0) appears in the network
 * namespace this process runs in, with ADDR on tuxnet's side -- and starts
 * the stack's softirq thread, which reads the TAP. Then one thread runs the
 * event loop: a level-triggered epoll set (tn_epoll_create1/ctl/wait) with
 * two non-blocking listeners and every connection. Level-triggered: one
 * read per event is enough, because a socket that is still readable is
 * reported again by the next wait.
 *
 *  - PORT (default 8080) echoes: every byte a connection sends comes back
 *    on it, in order. When a reply does not fit in the send buffer the rest
 *    waits in the connection's buffer, and the connection is watched for
 *    EPOLLOUT instead of EPOLLIN until it has gone (no unbounded queue).
 *  - CTLPORT (default 7777) answers one line: `ss ...` or `nstat ...` is
 *    run on the stack (tn_command) and its output sent back, then the
 *    connection is closed -- so a script on the Linux side can ask tuxnet
 *    what it holds (`echo 'ss -t -n' | nc -N 10.77.0.2 7777`). Anything
 *    else is refused.
 *
 * SIGINT/SIGTERM, or SECONDS of running (default 600), end it: every socket
 * is closed and the stack destroyed, which removes the TAP device. It prints
 * one line when it listens and a summary at the end. The host side of the
 * TAP is not configured here (a script gives it an address and brings it
 * up); run it only in a network namespace made for it (docs/interop.md).
 *
 *   tn-epoll-server [-d HOSTDEV] [-a ADDR/PLEN] [-p PORT] [-c CTLPORT]
 *                   [-m MTU] [-t SECONDS]
 *
 * Build against an installed libtuxnet:
 *   cc tap_epoll_server.c $(pkg-config --cflags --libs tuxnet) -lpthread
 */
#if !defined(_GNU_SOURCE) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L   /* open_memstream, sigaction under -std=c11 */
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <tuxnet/tuxnet.h>

#define MAXEV 256
#define BUF_SIZE 16384
#define CTL_LINE 256

/* Everything in the epoll set is one of these, its address in data.ptr. */
enum conn_kind { LISTEN_ECHO, LISTEN_CTL, ECHO, CTL };

struct conn {
	struct conn *prev, *next;   /* on server.conns (listeners too) */
	enum conn_kind kind;
	int fd;
	int out_watched;       /* the set has EPOLLOUT for it, not EPOLLIN */
	char *out;             /* reply bytes the socket has not taken yet */
	size_t outlen, outoff;
	int close_after;       /* close once out is sent (control replies) */
	char line[CTL_LINE];   /* control: the line so far */
	size_t linelen;
};

struct server {
	struct tn_stack *st;
	int ep;
	struct conn conns;     /* list head */
	unsigned long accepted, open, peak, bytes;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = sig;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Put fd in the epoll set as a new conn of kind k (NULL on failure). */
static struct conn *conn_add(struct server *s, int fd, enum conn_kind k)
{
	struct conn *c = calloc(1, sizeof(*c));
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = c };

	if (!c || tn_epoll_ctl(s->st, s->ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
		free(c);
		return NULL;
	}
	c->kind = k;
	c->fd = fd;
	c->next = s->conns.next;
	c->prev = &s->conns;
	c->next->prev = c;
	s->conns.next = c;
	return c;
}

static void conn_close(struct server *s, struct conn *c)
{
	tn_close(s->st, c->fd);   /* also leaves the epoll set */
	if (c->kind == ECHO)
		s->open--;
	c->prev->next = c->next;
	c->next->prev = c->prev;
	free(c->out);
	free(c);
}

/* A non-blocking listener on addr:port in the epoll set. */
static void listen_on(struct server *s, const char *addr, int port, enum conn_kind k)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int one = 1;
	int fd = tn_socket(s->st, AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

	inet_pton(AF_INET, addr, &sin.sin_addr);
	if (fd < 0 || tn_setsockopt(s->st, fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    tn_bind(s->st, fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
	    tn_listen(s->st, fd, SOMAXCONN) < 0 || !conn_add(s, fd, k)) {
		fprintf(stderr, "tn-epoll-server: listen on %s:%d: %s\n", addr, port, strerror(errno));
		tn_stack_destroy(s->st);
		exit(1);
	}
}

/* Watch c for reading, or for room to write while it has output queued. */
static int conn_watch(struct server *s, struct conn *c)
{
	int want_out = c->outlen > 0;
	struct epoll_event ev = { .events = want_out ? EPOLLOUT : EPOLLIN, .data.ptr = c };

	if (want_out == c->out_watched)
		return 0;
	c->out_watched = want_out;
	return tn_epoll_ctl(s->st, s->ep, EPOLL_CTL_MOD, c->fd, &ev);
}

/* Send what is queued, then buf; keep what the socket does not take. 0, or
 * -1 when the connection is to be closed. */
static int conn_send(struct server *s, struct conn *c, const char *buf, size_t len)
{
	while (c->outoff < c->outlen) {
		ssize_t n = tn_send(s->st, c->fd, c->out + c->outoff, c->outlen - c->outoff,
				    MSG_NOSIGNAL);
		if (n < 0)
			return errno == EAGAIN ? 0 : -1;
		c->outoff += (size_t)n;
	}
	c->outlen = c->outoff = 0;
	while (len) {
		ssize_t n = tn_send(s->st, c->fd, buf, len, MSG_NOSIGNAL);
		if (n < 0 && errno != EAGAIN)
			return -1;
		if (n < 0) {
			char *p = realloc(c->out, len);
			if (!p)
				return -1;
			memcpy(p, buf, len);
			c->out = p;
			c->outlen = len;
			return 0;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Run a control line on the stack and queue its output as the reply. */
static int ctl_run(struct server *s, struct conn *c)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return -1;
	c->line[c->linelen] = 0;
	size_t w = strcspn(c->line, " \t");
	if ((w == 2 && !strncmp(c->line, "ss", 2)) || (w == 5 && !strncmp(c->line, "nstat", 5))) {
		/* The stack's lock is taken by tn_command itself. */
		tn_command(s->st, c->line, f);
	} else {
		fprintf(f, "refused: only ss and nstat\n");
	}
	fclose(f);
	c->close_after = 1;
	int rc = conn_send(s, c, text, len);
	free(text);
	return rc;
}

/* The control connection sent bytes: gather one line, then answer it. */
static int ctl_input(struct server *s, struct conn *c, const char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (buf[i] == '\n' || buf[i] == '\r')
			return ctl_run(s, c);
		if (c->linelen == CTL_LINE - 1)
			return -1;
		c->line[c->linelen++] = buf[i];
	}
	return 0;
}

/* A connection is readable (or writable with output queued). */
static void conn_event(struct server *s, struct conn *c, uint32_t events)
{
	char buf[BUF_SIZE];
	int rc = 0;

	if (c->outlen) {
		rc = conn_send(s, c, NULL, 0);
	} else if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
		ssize_t n = tn_recv(s->st, c->fd, buf, sizeof(buf), 0);
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0) {
			rc = -1;      /* EOF or an error: the peer is done */
		} else if (c->kind == CTL) {
			rc = ctl_input(s, c, buf, (size_t)n);
		} else {
			s->bytes += (unsigned long)n;
			rc = conn_send(s, c, buf, (size_t)n);
		}
	}
	if (rc == 0 && c->close_after && !c->outlen)
		rc = -1;
	if (rc < 0 || conn_watch(s, c) < 0)
		conn_close(s, c);
}

/* Take every connection waiting on a listener. */
static void accept_all(struct server *s, struct conn *l)
{
	for (;;) {
		int fd = tn_accept4(s->st, l->fd, NULL, NULL, SOCK_NONBLOCK);
		if (fd < 0) {
			if (errno != EAGAIN && errno != ECONNABORTED)
				perror("tn-epoll-server: accept");
			return;
		}
		if (!conn_add(s, fd, l->kind == LISTEN_ECHO ? ECHO : CTL)) {
			tn_close(s->st, fd);
			continue;
		}
		if (l->kind == LISTEN_ECHO) {
			s->accepted++;
			if (++s->open > s->peak)
				s->peak = s->open;
		}
	}
}

static void serve(struct server *s, double seconds)
{
	struct epoll_event ev[MAXEV];
	double end = now_s() + seconds;

	while (!stop && now_s() < end) {
		int n = tn_epoll_wait(s->st, s->ep, ev, MAXEV, 200);
		if (n < 0) {
			perror("tn-epoll-server: epoll_wait");
			return;
		}
		for (int i = 0; i < n; i++) {
			struct conn *c = ev[i].data.ptr;
			if (c->kind == LISTEN_ECHO || c->kind == LISTEN_CTL)
				accept_all(s, c);
			else
				conn_event(s, c, ev[i].events);
		}
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: tn-epoll-server [-d HOSTDEV] [-a ADDR/PLEN] [-p PORT] "
			"[-c CTLPORT] [-m MTU] [-t SECONDS]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *hostdev = "tap0", *prefix = "10.77.0.2/24";
	int port = 8080, ctlport = 7777, mtu = 1500, opt;
	double seconds = 600;
	struct server s = { .ep = -1 };

	while ((opt = getopt(argc, argv, "d:a:p:c:m:t:")) != -1) {
		switch (opt) {
		case 'd': hostdev = optarg; break;
		case 'a': prefix = optarg; break;
		case 'p': port = atoi(optarg); break;
		case 'c': ctlport = atoi(optarg); break;
		case 'm': mtu = atoi(optarg); break;
		case 't': seconds = atof(optarg); break;
		default: usage();
		}
	}
	char addr[INET_ADDRSTRLEN];
	snprintf(addr, sizeof(addr), "%.*s", (int)strcspn(prefix, "/"), prefix);

	struct sigaction sa = { .sa_handler = on_signal };
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	s.st = tn_stack_create(NULL);   /* real clock: a TAP needs it */
	if (!s.st) {
		perror("tn_stack_create");
		return 1;
	}
	char world[512];
	snprintf(world, sizeof(world),
		 "ip link add tn0 type tap hostdev %s\n"
		 "ip link set tn0 mtu %d\n"
		 "ip addr add %s dev tn0\n"
		 "ip link set tn0 up\n", hostdev, mtu, prefix);
	if (tn_command(s.st, world, stderr) != 0 || tn_stack_start_thread(s.st) < 0) {
		tn_stack_destroy(s.st);
		return 1;
	}
	s.conns.next = s.conns.prev = &s.conns;
	s.ep = tn_epoll_create1(s.st, 0);
	listen_on(&s, addr, port, LISTEN_ECHO);
	listen_on(&s, addr, ctlport, LISTEN_CTL);
	printf("tn-epoll-server: listening on %s:%d (control %d), host side %s\n", addr, port,
	       ctlport, hostdev);
	fflush(stdout);

	serve(&s, seconds);

	printf("tn-epoll-server: %s; %lu connections, at most %lu at once, %lu bytes echoed\n",
	       stop ? "stopped by a signal" : "time limit", s.accepted, s.peak, s.bytes);
	fflush(stdout);
	while (s.conns.next != &s.conns)
		conn_close(&s, s.conns.next);
	tn_close(s.st, s.ep);
	tn_stack_destroy(s.st);   /* the TAP device goes with the stack */
	return 0;
}
