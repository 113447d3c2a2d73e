/*
 * The driver of the I/O-model examples (iomodel.h): the world, the client,
 * the byte check and the report. Not itself one of the models: the client
 * uses plain blocking calls, one connection after another, with all N
 * connections open at once, so that every server sees N concurrent
 * connections doing the same work.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "iomodel.h"

#define SERVER_ADDR "10.9.0.1"
#define PORT 7000
#define CHUNK 1024

static const char *const world =
	"ip netns add srv\n"
	"ip netns add cli\n"
	"ip -n srv link add veth0 type veth peer name veth1 netns cli\n"
	"ip -n srv addr add 10.9.0.1/24 dev veth0\n"
	"ip -n cli addr add 10.9.0.2/24 dev veth1\n"
	"ip -n srv link set veth0 up\n"
	"ip -n cli link set veth1 up\n";

/* The byte at offset off of connection i: different on every connection,
 * so an echo sent back on the wrong connection is caught. */
static unsigned char pattern(int i, size_t off)
{
	return (unsigned char)(i * 131 + off * 7 + (off >> 8));
}

int iom_send_all(struct tn_stack *st, struct iom_cost *cost, int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = tn_send(st, fd, buf, len, MSG_NOSIGNAL);

		cost->calls++;
		if (n > 0) {
			buf += n;
			len -= (size_t)n;
		} else if (n < 0 && errno == EAGAIN) {
			struct pollfd p = { .fd = fd, .events = POLLOUT };

			cost->eagain++;
			tn_poll(st, &p, 1, 10000);
		} else {
			return -1;
		}
	}
	return 0;
}

struct client {
	struct tn_stack *st;
	int nconn;
	size_t bytes;
	int *fd;
	unsigned long checked;
	int failed;
};

static int client_connect_all(struct client *c)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(PORT) };
	struct timeval tv = { .tv_sec = 10 };   /* a lost echo must not hang */

	inet_pton(AF_INET, SERVER_ADDR, &to.sin_addr);
	for (int i = 0; i < c->nconn; i++) {
		c->fd[i] = tn_socket(c->st, AF_INET, SOCK_STREAM, 0);
		if (c->fd[i] < 0 || tn_connect(c->st, c->fd[i], (struct sockaddr *)&to, sizeof(to))) {
			perror("client: connect");
			return -1;
		}
		tn_setsockopt(c->st, c->fd[i], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	}
	return 0;
}

/* Read exactly len bytes of connection i's echo and check each one. */
static int client_check(struct client *c, int i, size_t off, size_t len)
{
	unsigned char buf[CHUNK];
	size_t got = 0;

	while (got < len) {
		ssize_t n = tn_recv(c->st, c->fd[i], buf + got, len - got, 0);
		if (n <= 0) {
			fprintf(stderr, "client: conn %d: recv %zd (%s)\n", i, n,
				n < 0 ? strerror(errno) : "EOF");
			return -1;
		}
		got += (size_t)n;
	}
	for (size_t k = 0; k < len; k++) {
		if (buf[k] != pattern(i, off + k)) {
			fprintf(stderr, "client: conn %d: byte %zu wrong\n", i, off + k);
			return -1;
		}
	}
	c->checked += len;
	return 0;
}

/* Round after round: a chunk out on every connection, then every echo
 * back. The server thus has N connections with data at once. */
static int client_run(struct client *c)
{
	unsigned char buf[CHUNK];

	if (client_connect_all(c))
		return -1;
	for (size_t off = 0; off < c->bytes; off += CHUNK) {
		size_t len = c->bytes - off < CHUNK ? c->bytes - off : CHUNK;

		for (int i = 0; i < c->nconn; i++) {
			for (size_t k = 0; k < len; k++)
				buf[k] = pattern(i, off + k);
			if (tn_send(c->st, c->fd[i], buf, len, 0) != (ssize_t)len) {
				perror("client: send");
				return -1;
			}
		}
		for (int i = 0; i < c->nconn; i++)
			if (client_check(c, i, off, len))
				return -1;
	}
	for (int i = 0; i < c->nconn; i++)
		tn_close(c->st, c->fd[i]);
	return 0;
}

struct server_thread {
	struct iom_server s;
	iom_serve_fn serve;
	int rc;
};

static void *server_main(void *arg)
{
	struct server_thread *t = arg;

	t->rc = t->serve(&t->s);
	return NULL;
}

static int listen_socket(struct tn_stack *st, int backlog)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(PORT) };
	int one = 1, fd;

	inet_pton(AF_INET, SERVER_ADDR, &a.sin_addr);
	fd = tn_socket(st, AF_INET, SOCK_STREAM, 0);
	tn_setsockopt(st, fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (fd < 0 || tn_bind(st, fd, (struct sockaddr *)&a, sizeof(a)) ||
	    tn_listen(st, fd, backlog)) {
		perror("listen_socket");
		exit(1);
	}
	return fd;
}

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

static void report(const char *model, const struct client *c, const struct iom_cost *k,
		   double wall_ms)
{
	printf("model=%s conns=%d bytes=%lu wall_ms=%.1f calls=%lu eagain=%lu waits=%lu "
	       "wakeups=%lu scanned=%lu threads=%lu\n",
	       model, c->nconn, c->checked, wall_ms, k->calls, k->eagain, k->waits, k->wakeups,
	       k->scanned, k->threads);
}

int iom_main(int argc, char **argv, const char *model, iom_serve_fn serve)
{
	struct client c = { .nconn = argc > 1 ? atoi(argv[1]) : 50,
			    .bytes = argc > 2 ? (size_t)atol(argv[2]) : 8192 };
	struct server_thread t = { .serve = serve };
	struct timespec t0;
	sigset_t sigio;
	pthread_t tid;

	/* SIGIO is for the signal-driven server, which waits for it with
	 * sigwaitinfo: blocked in every thread, before any is created. */
	sigemptyset(&sigio);
	sigaddset(&sigio, SIGIO);
	pthread_sigmask(SIG_BLOCK, &sigio, NULL);

	c.st = tn_stack_create(NULL);   /* real clock */
	c.fd = calloc((size_t)c.nconn, sizeof(int));
	if (!c.st || !c.fd || c.nconn <= 0 || tn_command(c.st, world, stderr)) {
		fprintf(stderr, "%s: cannot build the world\n", model);
		return 1;
	}
	tn_stack_start_thread(c.st);
	tn_setns(c.st, "srv");
	t.s.st = c.st;
	t.s.nconn = c.nconn;
	t.s.lfd = listen_socket(c.st, c.nconn);
	tn_setns(c.st, "cli");

	clock_gettime(CLOCK_MONOTONIC, &t0);
	pthread_create(&tid, NULL, server_main, &t);
	c.failed = client_run(&c);
	pthread_join(tid, NULL);
	report(model, &c, &t.s.cost, ms_since(&t0));

	tn_close(c.st, t.s.lfd);
	tn_stack_destroy(c.st);
	free(c.fd);
	if (c.failed || t.rc || c.checked != (unsigned long)c.nconn * c.bytes) {
		printf("%s: FAILED\n", model);
		return 1;
	}
	printf("%s: ok, %d connections, every byte checked\n", model, c.nconn);
	return 0;
}
