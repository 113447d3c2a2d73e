/*
 * Connection-count cases: the memory of idle ESTABLISHED sockets, the most
 * connections one process holds, and the cost of connect() as the
 * ephemeral port range fills.
 *
 * Connections are opened one at a time by one thread: connect() returns
 * once the handshake is done, and the accept() that follows on the matching
 * listener takes the child the server side has queued (or waits for the
 * final ACK to be processed). Each listener takes at most CONN_PER_PORT
 * connections so that the client's 4-tuples stay unique in its port range.
 *
 * CONN_PER_PORT is small on purpose: connect() picks a port as Linux's
 * __inet_hash_connect does, one parity of the range first, advancing a
 * per-destination offset by the probes it took plus up to 14 random ports.
 * About 3,500 connections fill one parity of 1024-65535 towards one
 * destination; past that every connect() to it walks half the range (on
 * Linux as here). Many destination ports keep each below that: 10 M
 * connections use 3,334 listening ports.
 */
#include <limits.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "posix.h"

#define CONN_BASE_PORT 5401
#define CONN_PER_PORT 3000
#define EPHEM_PORT 5501
#define POOL_MAX_KIDS 1024

/*
 * A pool of established connections, both ends held open. Linux charges
 * each end a host descriptor and this process may hold only RLIMIT_NOFILE
 * of them (its hard limit cannot be raised here), so in the libc build the
 * connections beyond this process's share are held by child processes,
 * made one after another (so no two accept() on the shared listeners at
 * once), each told to exit by the closing of a pipe. tuxnet's descriptors
 * are its own, so its pool is always this process alone.
 */
struct conn_pool {
	long total;           /* connections held, here and in children */
	long own_n, own_cap;  /* held by this process */
	int *cli, *srv;       /* this process's descriptors */
	int nports, port_base;
	int *lfd;
	pid_t kids[POOL_MAX_KIDS];
	int nkids;
	int release[2];       /* children exit at EOF on release[0] */
};

/* How many connections one process may hold (two descriptors each). */
static long fd_budget(void)
{
#ifdef BENCH_TUXNET
	return LONG_MAX / 4;
#else
	struct rlimit rl;

	bench_raise_nofile(1L << 20);
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 1000;
	return ((long)rl.rlim_cur - 64) / 2;
#endif
}

/* Listeners for `cap` connections on ports from port_base; arrays for this
 * process's share, faulted in now so that their pages are not counted as
 * socket memory. Leaves the calling thread in the client namespace. */
static void pool_init(struct conn_pool *p, int port_base, long cap, long reserve)
{
	memset(p, 0, sizeof(*p));
	p->port_base = port_base;
	p->nports = (int)((cap + CONN_PER_PORT - 1) / CONN_PER_PORT);
	p->own_cap = fd_budget() - reserve;
	if (p->own_cap > cap)
		p->own_cap = cap;
	p->cli = calloc((size_t)p->own_cap, sizeof(int));
	p->srv = calloc((size_t)p->own_cap, sizeof(int));
	p->lfd = calloc((size_t)p->nports, sizeof(int));
	if (!p->cli || !p->srv || !p->lfd)
		bench_die("calloc");
	memset(p->cli, 0xff, (size_t)p->own_cap * sizeof(int));
	memset(p->srv, 0xff, (size_t)p->own_cap * sizeof(int));
	p->release[0] = p->release[1] = -1;
	if (bench_enter(BENCH_SRV) < 0)
		bench_die("enter server namespace");
	for (int i = 0; i < p->nports; i++)
		p->lfd[i] = bench_listen(port_base + i, 4096);
	if (bench_enter(BENCH_CLI) < 0)
		bench_die("enter client namespace");
}

/* Connection number p->total: connect, then accept the server's end. */
static int pool_open_one(struct conn_pool *p, int *cfd, int *sfd)
{
	int port = (int)(p->total % p->nports);

	*cfd = bench_connect(p->port_base + port);
	if (*cfd < 0)
		return -1;
	*sfd = accept(p->lfd[port], NULL, NULL);
	if (*sfd < 0)
		bench_die("accept connection %ld", p->total);
	p->total++;
	return 0;
}

#ifndef BENCH_TUXNET
/* A child that opens up to `n` connections and holds them until the pool is
 * released. Returns how many it opened (fewer when connect failed, with
 * errno set). */
static long pool_spawn(struct conn_pool *p, long n)
{
	int ready[2];
	long got = 0;

	if (p->nkids == POOL_MAX_KIDS || pipe(ready) < 0)
		return 0;
	if (p->release[1] < 0 && pipe(p->release) < 0)
		return 0;
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		bench_die("fork");
	if (pid == 0) {
		int c, s, err = 0;
		char byte;

		close(ready[0]);
		close(p->release[1]);
		/* The parent's share stays open in the parent. */
		for (long i = 0; i < p->own_n; i++) {
			close(p->cli[i]);
			close(p->srv[i]);
		}
		for (long i = 0; i < n; i++)
			if (pool_open_one(p, &c, &s) < 0) {
				err = errno;
				break;
			} else {
				got++;
			}
		long msg[2] = { got, err };
		if (write(ready[1], msg, sizeof(msg)) != (ssize_t)sizeof(msg))
			_exit(1);
		while (read(p->release[0], &byte, 1) > 0)
			;
		_exit(0);
	}
	long msg[2] = { 0, EIO };
	close(ready[1]);
	if (read(ready[0], msg, sizeof(msg)) != (ssize_t)sizeof(msg))
		msg[0] = 0;
	close(ready[0]);
	p->kids[p->nkids++] = pid;
	p->total += msg[0];
	errno = (int)msg[1];
	return msg[0];
}
#endif

/* Grow the pool to `target` connections (0 and errno when connect fails). */
static int pool_fill(struct conn_pool *p, long target)
{
	while (p->total < target) {
		if (p->own_n < p->own_cap) {
			if (pool_open_one(p, &p->cli[p->own_n], &p->srv[p->own_n]) < 0)
				return -1;
			p->own_n++;
			continue;
		}
#ifdef BENCH_TUXNET
		errno = EMFILE;
		return -1;
#else
		long want = target - p->total;
		long per_kid = fd_budget();
		if (pool_spawn(p, want < per_kid ? want : per_kid) < (want < per_kid ? want : per_kid))
			return -1;
#endif
	}
	return 0;
}

/* Close with an RST, so the port is free at once (no TIME-WAIT). */
static void close_abort(int fd)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };

	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(fd);
}

static void pool_release(struct conn_pool *p)
{
#ifndef BENCH_TUXNET
	if (p->release[1] >= 0) {
		close(p->release[1]);
		close(p->release[0]);
	}
	for (int i = 0; i < p->nkids; i++)
		waitpid(p->kids[i], NULL, 0);
#endif
	for (long i = 0; i < p->own_n; i++) {
		close_abort(p->cli[i]);
		close(p->srv[i]);
	}
	for (int i = 0; i < p->nports; i++)
		close(p->lfd[i]);
	free(p->cli);
	free(p->srv);
	free(p->lfd);
}

static int widen_port_range(void)
{
	return bench_sysctl(BENCH_CLI, "net.ipv4.ip_local_port_range", "1024 65535");
}

/* Open o->count connections and leave them idle: resident memory growth of
 * this process per socket (both ends of each connection are sockets here),
 * and for Linux its slab growth per socket. */
int bench_case_idle(const struct bench_opts *o)
{
	struct conn_pool p;
	long n = o->count > 0 ? o->count : 100000;

	if (widen_port_range() < 0)
		bench_die("ip_local_port_range");
	pool_init(&p, CONN_BASE_PORT, n, 0);
	long rss0 = bench_rss_bytes();
	bench_kmem_begin();
	uint64_t t0 = bench_now_ns();
	if (pool_fill(&p, n) < 0)
		bench_die("connect %ld of %ld", p.total, n);
	uint64_t t1 = bench_now_ns();
	long rss1 = bench_rss_bytes();
	bench_kmem_end(2 * n);
	bench_result("idle_conns", (double)n, "connections");
	bench_result("idle_rss_per_sock", (double)(rss1 - rss0) / (double)(2 * p.own_n), "bytes");
	bench_result("idle_open_rate", (double)n / ((double)(t1 - t0) / 1e9), "conn/s");
	bench_result("idle_processes", (double)(p.nkids + 1), "processes");
	bench_print_sizes();
	pool_release(&p);
	return 0;
}

/* Open connections until connect() fails, o->count is reached, the machine
 * has less than half the memory it had available at the start, or
 * o->seconds have passed. */
int bench_case_maxconn(const struct bench_opts *o)
{
	struct conn_pool p;
	long cap = o->count > 0 ? o->count : 10000000;
	long avail0 = bench_mem_available();
	const char *why = "count reached";

	if (widen_port_range() < 0)
		bench_die("ip_local_port_range");
	pool_init(&p, CONN_BASE_PORT, cap, 0);
	long rss0 = bench_rss_bytes();
	uint64_t t0 = bench_now_ns();
	uint64_t deadline = t0 + (uint64_t)(o->seconds * 1e9);
	while (p.total < cap) {
		long step = p.total + 8192 < cap ? p.total + 8192 : cap;
		if (pool_fill(&p, step) < 0) {
			why = strerror(errno);
			break;
		}
		if (bench_now_ns() > deadline) {
			why = "time limit";
			break;
		}
		if (bench_mem_available() < avail0 / 2) {
			why = "half of the available memory used";
			break;
		}
	}
	long rss1 = bench_rss_bytes();
	fprintf(stderr, "bench-%s maxconn: stopped at %ld connections: %s\n", bench_impl, p.total,
		why);
	bench_result("maxconn_conns", (double)p.total, "connections");
	bench_result("maxconn_rss_mb", (double)(rss1 - rss0) / 1048576.0, "MiB");
	bench_result("maxconn_mem_used_mb", (double)(avail0 - bench_mem_available()) / 1048576.0,
		     "MiB");
	pool_release(&p);
	return 0;
}

/* The mean time of a blocking connect() (port choice and handshake) to one
 * destination when 0, 50, 90 and 99 % of the ephemeral range is held by
 * connections to that same destination. The range is Linux's default
 * (32768-60999) or, with -n, its first o->count ports. */
int bench_case_ephemeral(const struct bench_opts *o)
{
	static const int pct[] = { 0, 50, 90, 99 };
	const long range = o->count > 0 && o->count < 28232 ? o->count : 28232;
	struct conn_pool p;
	char ports[32];

	snprintf(ports, sizeof(ports), "32768 %ld", 32768 + range - 1);
	if (bench_sysctl(BENCH_CLI, "net.ipv4.ip_local_port_range", ports) < 0)
		bench_die("ip_local_port_range");
	pool_init(&p, EPHEM_PORT, range, 16);
	for (size_t l = 0; l < sizeof(pct) / sizeof(pct[0]); l++) {
		if (pool_fill(&p, range * pct[l] / 100) < 0)
			bench_die("fill to %d %%", pct[l]);
		long m = (range - p.total) / 2;
		m = m > 200 ? 200 : m;
		uint64_t total = 0;
		for (long i = 0; i < m; i++) {
			uint64_t t0 = bench_now_ns();
			int fd = bench_connect(EPHEM_PORT);
			total += bench_now_ns() - t0;
			if (fd < 0)
				bench_die("connect at %d %%", pct[l]);
			int s = accept(p.lfd[0], NULL, NULL);
			if (s < 0)
				bench_die("accept");
			close_abort(fd);
			close(s);
		}
		char name[32];
		snprintf(name, sizeof(name), "ephem_connect_us_%d", pct[l]);
		bench_result(name, (double)total / 1e3 / (double)m, "us");
	}
	pool_release(&p);
	return 0;
}
