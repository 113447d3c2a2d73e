/*
 * The tuxnet build's environment: one stack on the real clock in this
 * process, driven by its softirq thread, with the same world run.sh builds
 * for Linux -- namespaces cli and srv joined by a veth pair, 10.77.0.1/24 and
 * 10.77.0.2/24, the MTU asked for -- made with the same commands.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <tuxnet/tuxnet.h>

/* Internal headers, only to report the size of each per-connection
 * structure. */
#include "net/tcp.h"
#include "net/socket.h"

#include "bench.h"

const char *const bench_impl = "tuxnet";

struct tn_stack *bench_st;

static const char *const ns_name[] = { [BENCH_CLI] = "cli", [BENCH_SRV] = "srv" };

int bench_env_init(const struct bench_world *w)
{
	struct tn_stack_config cfg = { .virtual_time = 0, .seed = 1 };
	char world[1024];

	bench_st = tn_stack_create(&cfg);
	if (!bench_st)
		return -1;
	snprintf(world, sizeof(world),
		 "ip netns add cli\n"
		 "ip netns add srv\n"
		 "ip -n cli link add veth0 type veth peer name veth1 netns srv\n"
		 "ip -n cli link set veth0 mtu %d\n"
		 "ip -n srv link set veth1 mtu %d\n"
		 "ip -n cli addr add " BENCH_CLI_ADDR "/24 dev veth0\n"
		 "ip -n srv addr add " BENCH_SRV_ADDR "/24 dev veth1\n"
		 "ip -n cli link set veth0 up\n"
		 "ip -n srv link set veth1 up\n"
		 "ip -n cli link set lo up\n"
		 "ip -n srv link set lo up\n",
		 w->mtu, w->mtu);
	if (tn_command(bench_st, world, stderr) != 0) {
		errno = EINVAL;
		return -1;
	}
	return tn_stack_start_thread(bench_st);
}

void bench_env_fini(void)
{
	tn_stack_destroy(bench_st);
	bench_st = NULL;
}

int bench_enter(enum bench_side side)
{
	return tn_setns(bench_st, ns_name[side]);
}

int bench_sysctl(enum bench_side side, const char *name, const char *value)
{
	char line[256];

	snprintf(line, sizeof(line), "ip netns exec %s sysctl -q -w %s=\"%s\"", ns_name[side],
		 name, value);
	return tn_command(bench_st, line, stderr) == 0 ? 0 : -1;
}

void bench_kmem_begin(void)
{
}

void bench_kmem_end(long nsocks)
{
	(void)nsocks;
}

void bench_print_sizes(void)
{
	bench_result("sizeof_tcp_sock", (double)sizeof(struct tcp_sock), "bytes");
	bench_result("sizeof_request_sock", (double)sizeof(struct request_sock), "bytes");
	bench_result("sizeof_inet_timewait_sock", (double)sizeof(struct inet_timewait_sock),
		     "bytes");
	bench_result("sizeof_socket", (double)sizeof(struct socket), "bytes");
	bench_result("sizeof_tn_file", (double)sizeof(struct tn_file), "bytes");
}
