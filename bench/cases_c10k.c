/*
 * Case 8: epoll against one thread per connection, with 10,000 connections
 * (the C10K question).
 *
 * One client thread in the client namespace opens N connections (default
 * 10,000) to one server port, then drives all of them with epoll
 * (level-triggered): each connection always has one request outstanding,
 * C10K_MSG bytes; when its response (the same bytes, echoed) is complete,
 * the next request goes out. Transactions/s is the number of responses
 * completed in the timed window over its length. The server side is one of
 * two models, the same code in both builds:
 *
 *  - "epoll": one thread, a non-blocking listener and non-blocking
 *    connections in one level-triggered epoll set; per readiness event one
 *    recv() and the echo of what it got. Level-triggered on purpose: one
 *    read per event is enough (a socket still readable is reported again),
 *    which is the plain shape most event loops start from.
 *  - "threads": one blocking thread per connection (blocking recv, send of
 *    what it got, until EOF), each with a C10K_STACK stack
 *    (pthread_attr_setstacksize); the accepting thread spawns them.
 *
 * Memory: the process's peak resident size (getrusage ru_maxrss) over its
 * size before the listener, per connection. In the libc build that process
 * is the server alone (the client runs in a child process, below) and the
 * kernel's socket memory is not in it; in the tuxnet build it is the whole
 * stack, both ends of every connection included. The difference between
 * the two models on one side is what the threads cost.
 *
 * Linux charges every socket a host descriptor, and RLIMIT_NOFILE's hard
 * limit here (20,000) is below the 2N + 2 descriptors of one process
 * holding both ends, so in the libc build the client runs in a child
 * process (forked before any thread exists) and prints its own figures.
 * tuxnet's descriptors are its own: its client is a thread of the process.
 */
#include <sys/resource.h>
#include <sys/wait.h>

#include "posix.h"

#define C10K_PORT 5601
#define C10K_MSG 64                   /* bytes per request and per response */
#define C10K_STACK (64 * 1024)        /* per connection thread */
#define C10K_EVENTS 1024
#define C10K_DEFAULT_CONNS 10000

struct c10k_client {
	long n;
	double seconds;
	uint64_t txns;        /* responses completed in the timed window */
	double secs;          /* the window's length */
	double setup_secs;    /* opening the N connections, one transaction each */
};

static void set_nodelay(int fd)
{
	int one = 1;

	if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) < 0)
		bench_die("TCP_NODELAY");
}

static void set_nonblock(int fd)
{
	if (fcntl(fd, F_SETFL, O_NONBLOCK) < 0)
		bench_die("O_NONBLOCK");
}

/* The request of connection i: C10K_MSG bytes that name it, so that an
 * answer sent to the wrong connection is seen. */
static void c10k_request(long i, char *buf)
{
	for (int k = 0; k < C10K_MSG; k++)
		buf[k] = (char)('A' + (i + k) % 26);
}

/* ---- client ----------------------------------------------------------------- */

/* Send connection i's request; the send buffer is empty at that point
 * (one request outstanding), so all of it goes at once. */
static void c10k_send(int fd, long i)
{
	char req[C10K_MSG];

	c10k_request(i, req);
	if (send(fd, req, C10K_MSG, MSG_NOSIGNAL) != C10K_MSG)
		bench_die("c10k send on connection %ld", i);
}

/* Connection i is readable: take what there is of its response; when the
 * response is complete and right, count it and send the next request. */
static int c10k_on_readable(int fd, long i, int *got)
{
	char buf[C10K_MSG], want[C10K_MSG];
	ssize_t r = recv(fd, buf, (size_t)(C10K_MSG - *got), 0);

	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (r <= 0)
		bench_die("c10k recv on connection %ld (%s)", i, r == 0 ? "EOF" : "error");
	c10k_request(i, want);
	if (memcmp(buf, want + *got, (size_t)r))
		bench_die("c10k: wrong bytes in the response on connection %ld", i);
	*got += (int)r;
	if (*got < C10K_MSG)
		return 0;
	*got = 0;
	c10k_send(fd, i);
	return 1;
}

/* Wait for events on the client's set and handle them; the number of
 * transactions completed, and in warm[] which connections completed one. */
static uint64_t c10k_client_step(int ep, int *fd, int *got, char *warm, long *nwarm)
{
	struct epoll_event ev[C10K_EVENTS];
	uint64_t done = 0;
	int k = epoll_wait(ep, ev, C10K_EVENTS, 100);

	if (k < 0 && errno != EINTR)
		bench_die("epoll_wait");
	for (int j = 0; j < k; j++) {
		long i = (long)ev[j].data.u64;
		if (!c10k_on_readable(fd[i], i, &got[i]))
			continue;
		done++;
		if (!warm[i]) {
			warm[i] = 1;
			(*nwarm)++;
		}
	}
	return done;
}

/* Open c->n connections one after another (blocking connect), put them all
 * in one epoll set, and start a request on each. The timed window opens once
 * every connection has completed one transaction (so the server has taken
 * every connection and, in the thread model, started every thread), and
 * lasts c->seconds. Then close them all. */
static void c10k_client_run(struct c10k_client *c)
{
	int *fd = calloc((size_t)c->n, sizeof(int));
	int *got = calloc((size_t)c->n, sizeof(int));
	char *warm = calloc((size_t)c->n, 1);
	long nwarm = 0;

	if (!fd || !got || !warm)
		bench_die("calloc");
	if (bench_enter(BENCH_CLI) < 0)
		bench_die("enter client namespace");
	int ep = epoll_create1(0);
	if (ep < 0)
		bench_die("epoll_create1");
	uint64_t t0 = bench_now_ns();
	for (long i = 0; i < c->n; i++) {
		fd[i] = bench_connect(C10K_PORT);
		if (fd[i] < 0)
			bench_die("c10k connect %ld of %ld", i, c->n);
		set_nodelay(fd[i]);
		set_nonblock(fd[i]);
		struct epoll_event e = { .events = EPOLLIN, .data.u64 = (uint64_t)i };
		if (epoll_ctl(ep, EPOLL_CTL_ADD, fd[i], &e) < 0)
			bench_die("epoll_ctl ADD");
	}
	for (long i = 0; i < c->n; i++)
		c10k_send(fd[i], i);
	while (nwarm < c->n)
		c10k_client_step(ep, fd, got, warm, &nwarm);
	uint64_t t1 = bench_now_ns(), now = t1;
	uint64_t deadline = t1 + (uint64_t)(c->seconds * 1e9);
	while (now < deadline) {
		c->txns += c10k_client_step(ep, fd, got, warm, &nwarm);
		now = bench_now_ns();
	}
	c->secs = (double)(now - t1) / 1e9;
	c->setup_secs = (double)(t1 - t0) / 1e9;
	for (long i = 0; i < c->n; i++)
		close(fd[i]);
	close(ep);
	free(fd);
	free(got);
	free(warm);
}

static void c10k_client_print(const struct c10k_client *c)
{
	bench_result("c10k_tps", (double)c->txns / c->secs, "trans/s");
	bench_result("c10k_conns", (double)c->n, "connections");
	bench_result("c10k_setup_s", c->setup_secs, "s");
}

#ifdef BENCH_TUXNET
struct c10k_task {
	struct c10k_client c;
	pthread_t tid;
};

static void *c10k_client_thread(void *arg)
{
	c10k_client_run(&((struct c10k_task *)arg)->c);
	return NULL;
}

static void c10k_client_start(struct c10k_task *t)
{
	if (pthread_create(&t->tid, NULL, c10k_client_thread, t))
		bench_die("pthread_create");
}

static void c10k_client_finish(struct c10k_task *t)
{
	pthread_join(t->tid, NULL);
	c10k_client_print(&t->c);
}
#else
struct c10k_task {
	struct c10k_client c;
	pid_t pid;
};

/* The client in a child process with descriptors of its own; it prints
 * its figures itself. */
static void c10k_client_start(struct c10k_task *t)
{
	fflush(NULL);
	t->pid = fork();
	if (t->pid < 0)
		bench_die("fork");
	if (t->pid == 0) {
		bench_deadline((unsigned int)t->c.seconds + 120);
		c10k_client_run(&t->c);
		c10k_client_print(&t->c);
		fflush(NULL);
		_exit(0);
	}
}

static void c10k_client_finish(struct c10k_task *t)
{
	int status;

	if (waitpid(t->pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
		bench_die("c10k client process failed");
}
#endif

/* ---- servers ---------------------------------------------------------------- */

/* One thread, one level-triggered epoll set; returns when every connection
 * it accepted has been closed by the client. */
static void c10k_serve_epoll(int lfd, long n)
{
	struct epoll_event ev[C10K_EVENTS];
	char buf[4096];
	long accepted = 0, closed = 0;
	int ep = epoll_create1(0);

	if (ep < 0)
		bench_die("epoll_create1");
	set_nonblock(lfd);
	struct epoll_event le = { .events = EPOLLIN, .data.fd = lfd };
	if (epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &le) < 0)
		bench_die("epoll_ctl ADD listener");
	while (closed < n) {
		int k = epoll_wait(ep, ev, C10K_EVENTS, 1000);
		if (k < 0 && errno != EINTR)
			bench_die("epoll_wait");
		for (int j = 0; j < k; j++) {
			int fd = ev[j].data.fd;
			if (fd == lfd) {
				int c = accept4(lfd, NULL, NULL, SOCK_NONBLOCK);
				if (c < 0) {
					if (errno != EAGAIN && errno != EINTR)
						bench_die("c10k accept");
					continue;
				}
				set_nodelay(c);
				struct epoll_event e = { .events = EPOLLIN, .data.fd = c };
				if (epoll_ctl(ep, EPOLL_CTL_ADD, c, &e) < 0)
					bench_die("epoll_ctl ADD");
				if (++accepted == n)
					epoll_ctl(ep, EPOLL_CTL_DEL, lfd, NULL);
				continue;
			}
			ssize_t r = recv(fd, buf, sizeof(buf), 0);
			if (r < 0 && (errno == EAGAIN || errno == EINTR))
				continue;
			/* EOF, or a reset when the client closed with a response
			 * unread: the connection is over. */
			if (r <= 0 || send(fd, buf, (size_t)r, MSG_NOSIGNAL) != r) {
				close(fd);   /* also leaves the epoll set */
				closed++;
			}
		}
	}
	close(ep);
}

/* One connection's thread: echo until EOF or an error. */
static void *c10k_conn_thread(void *arg)
{
	int fd = (int)(intptr_t)arg;
	char buf[C10K_MSG * 4];
	ssize_t r;

	while ((r = recv(fd, buf, sizeof(buf), 0)) > 0)
		if (send(fd, buf, (size_t)r, MSG_NOSIGNAL) != r)
			break;
	close(fd);
	return NULL;
}

/* Accept n connections, each handed to a new thread; join them all. */
static void c10k_serve_threads(int lfd, long n)
{
	pthread_t *tid = calloc((size_t)n, sizeof(pthread_t));
	pthread_attr_t attr;

	if (!tid)
		bench_die("calloc");
	pthread_attr_init(&attr);
	if (pthread_attr_setstacksize(&attr, C10K_STACK))
		bench_die("pthread_attr_setstacksize");
	for (long i = 0; i < n; i++) {
		int c;
		do
			c = accept(lfd, NULL, NULL);
		while (c < 0 && errno == EINTR);
		if (c < 0)
			bench_die("c10k accept");
		set_nodelay(c);
		int err = pthread_create(&tid[i], &attr, c10k_conn_thread, (void *)(intptr_t)c);
		if (err) {
			errno = err;
			bench_die("pthread_create for connection %ld", i);
		}
	}
	pthread_attr_destroy(&attr);
	for (long i = 0; i < n; i++)
		pthread_join(tid[i], NULL);
	free(tid);
}

/* ---- the case ------------------------------------------------------------------ */

static long rss_peak_bytes(void)
{
	struct rusage ru;

	return getrusage(RUSAGE_SELF, &ru) < 0 ? -1 : ru.ru_maxrss * 1024L;
}

static int c10k_case(const struct bench_opts *o, void (*serve)(int lfd, long n))
{
	struct c10k_task t;
	long n = o->count > 0 ? o->count : C10K_DEFAULT_CONNS;

	memset(&t, 0, sizeof(t));
	t.c.n = n;
	t.c.seconds = o->seconds;
	long rss0 = bench_rss_bytes();
	if (bench_enter(BENCH_SRV) < 0)
		bench_die("enter server namespace");
	int lfd = bench_listen(C10K_PORT, 4096);
	c10k_client_start(&t);
	serve(lfd, n);
	c10k_client_finish(&t);
	close(lfd);
	bench_result("c10k_rss_per_conn", (double)(rss_peak_bytes() - rss0) / (double)n, "bytes");
	return 0;
}

int bench_case_c10k_epoll(const struct bench_opts *o)
{
	return c10k_case(o, c10k_serve_epoll);
}

int bench_case_c10k_threads(const struct bench_opts *o)
{
	return c10k_case(o, c10k_serve_threads);
}
