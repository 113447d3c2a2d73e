/*
 * The libc build's environment: the Linux kernel between the two network
 * namespaces run.sh created (their names in BENCH_NS_CLI and BENCH_NS_SRV,
 * files under /run/netns). A thread enters one with setns(2), which changes
 * only that thread's namespace, just as tn_setns does in the tuxnet build.
 * Kernel memory per connection is read from the slab caches a TCP socket
 * and its descriptor use (/proc/slabinfo), and from /proc/meminfo's Slab.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

const char *const bench_impl = "libc";

static int ns_fd[2] = { -1, -1 };

static int open_ns(const char *var)
{
	char path[256];
	const char *name = getenv(var);

	if (!name || !*name) {
		fprintf(stderr, "bench-libc: %s is not set (run it through bench/run.sh)\n", var);
		errno = EINVAL;
		return -1;
	}
	snprintf(path, sizeof(path), "/run/netns/%s", name);
	return open(path, O_RDONLY | O_CLOEXEC);
}

int bench_env_init(const struct bench_world *w)
{
	(void)w;      /* run.sh made the veth pair with the MTU asked for */
	ns_fd[BENCH_CLI] = open_ns("BENCH_NS_CLI");
	ns_fd[BENCH_SRV] = open_ns("BENCH_NS_SRV");
	return ns_fd[BENCH_CLI] < 0 || ns_fd[BENCH_SRV] < 0 ? -1 : 0;
}

void bench_env_fini(void)
{
	close(ns_fd[BENCH_CLI]);
	close(ns_fd[BENCH_SRV]);
}

int bench_enter(enum bench_side side)
{
	return setns(ns_fd[side], CLONE_NEWNET);
}

/* /proc/sys/net is the namespace of the thread that opens it. */
int bench_sysctl(enum bench_side side, const char *name, const char *value)
{
	char path[256];

	if (bench_enter(side) < 0)
		return -1;
	snprintf(path, sizeof(path), "/proc/sys/%s", name);
	for (char *p = path + strlen("/proc/sys/"); *p; p++)
		if (*p == '.')
			*p = '/';
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	int ok = fprintf(f, "%s\n", value) > 0;
	return (fclose(f) == 0 && ok) ? 0 : -1;
}

/* ---- slab accounting ------------------------------------------------------ */

static const char *const slab_names[] = {
	"TCP", "request_sock_TCP", "tw_sock_TCP", "sock_inode_cache", "dentry", "filp",
};
#define NSLABS (sizeof(slab_names) / sizeof(slab_names[0]))

struct kmem_snap {
	long objs[NSLABS];    /* active objects */
	long size[NSLABS];    /* object size */
	long slab_kb;         /* /proc/meminfo Slab */
};

static struct kmem_snap kmem_before;

static void kmem_read(struct kmem_snap *k)
{
	char line[512], name[64];
	long active, num, size;

	memset(k, 0, sizeof(*k));
	FILE *f = fopen("/proc/slabinfo", "r");
	if (f) {
		while (fgets(line, sizeof(line), f)) {
			if (sscanf(line, "%63s %ld %ld %ld", name, &active, &num, &size) != 4)
				continue;
			for (size_t i = 0; i < NSLABS; i++)
				if (!strcmp(name, slab_names[i])) {
					k->objs[i] = active;
					k->size[i] = size;
				}
		}
		fclose(f);
	}
	f = fopen("/proc/meminfo", "r");
	if (f) {
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "Slab: %ld kB", &k->slab_kb) == 1)
				break;
		fclose(f);
	}
}

void bench_kmem_begin(void)
{
	kmem_read(&kmem_before);
}

void bench_kmem_end(long nsocks)
{
	struct kmem_snap after;
	char name[64];
	double listed = 0;

	kmem_read(&after);
	for (size_t i = 0; i < NSLABS; i++) {
		double bytes = (double)(after.objs[i] - kmem_before.objs[i]) * (double)after.size[i];
		snprintf(name, sizeof(name), "kmem_%s_per_sock", slab_names[i]);
		bench_result(name, bytes / (double)nsocks, "bytes");
		listed += bytes;
	}
	bench_result("kmem_listed_per_sock", listed / (double)nsocks, "bytes");
	bench_result("kmem_slab_per_sock",
		     (double)(after.slab_kb - kmem_before.slab_kb) * 1024.0 / (double)nsocks, "bytes");
}

void bench_print_sizes(void)
{
	struct kmem_snap k;
	char name[64];

	kmem_read(&k);
	for (size_t i = 0; i < NSLABS; i++) {
		snprintf(name, sizeof(name), "objsize_%s", slab_names[i]);
		bench_result(name, (double)k.size[i], "bytes");
	}
}
