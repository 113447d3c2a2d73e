/*
 * The scenario runner (tools/cmd/job.c, cmd.c) and the commands it added:
 * FILE:LINE messages and the stop at the first failing line, `!`, jobs in
 * the background with `&`, `wait` and the end of a run, virtual time, and
 * the exact output and messages of `ip route`, `tc qdisc`, `ping`,
 * `traceroute` and `nstat` where they do not need packets to flow (the
 * examples test those end to end: tests/sh/test_scenario_examples.sh).
 * Every expected string is what the Linux tool prints (iproute2 6.1,
 * iputils 20221126, traceroute 2.1.2) for the same world.
 */
#include <stdlib.h>
#include <string.h>

#include "tn_test.h"
#include "tuxnet/tuxnet.h"
#include "net/stack.h"
#include "tools/cmd/cmd.h"

static int runner_setup(void **state)
{
	struct tn_stack_config cfg = { .virtual_time = 1, .seed = 1 };

	*state = tn_stack_create(&cfg);
	return *state ? 0 : -1;
}

static int runner_teardown(void **state)
{
	return tn_stack_free(*state) == 0 ? 0 : -1;
}

/* Run text as the script `name` (NULL: as tn_command does) in a fresh
 * context, both streams into one buffer; the run's status in *status. */
static char *run_script(struct tn_stack *st, const char *name, const char *text, int *status)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	struct tn_cmd_ctx ctx;

	assert_non_null(out);
	tn_stack_lock(st);
	tn_cmd_ctx_init(&ctx, st, out, out);
	*status = tn_cmd_run_script(&ctx, text, name);
	tn_cmd_ctx_exit(&ctx);
	tn_stack_unlock(st);
	fclose(out);
	return buf;
}

#define expect_script(st, name, text, want_status, want_out)                          \
	do {                                                                          \
		int status_;                                                          \
		char *got_ = run_script(st, name, text, &status_);                    \
		if (strcmp(got_, want_out) != 0)                                      \
			fprintf(stderr, "--- %s\n+++ got:\n%s---\n", text, got_);      \
		assert_string_equal(got_, want_out);                                  \
		assert_int_equal(status_, want_status);                               \
		free(got_);                                                           \
	} while (0)

#define expect(st, text, want_status, want_out) expect_script(st, NULL, text, want_status, want_out)
#define ok(st, text) expect(st, text, 0, "")

/* Two namespaces on one veth pair, addresses up: the world of most tests. */
static const char two_hosts[] =
	"ip netns add a\n"
	"ip netns add b\n"
	"ip -n a link add v0 type veth peer name v1 netns b\n"
	"ip -n a addr add 10.0.0.1/24 dev v0\n"
	"ip -n b addr add 10.0.0.2/24 dev v1\n"
	"ip -n a link set v0 up\n"
	"ip -n b link set v1 up\n";

/* ---- the runner ---------------------------------------------------------- */

static void test_script_stops_at_first_failure_with_file_line(void **state)
{
	struct tn_stack *st = *state;

	expect_script(st, "s.tn", "echo one\n\n# a comment\nfrobnicate now\necho never\n", 127,
		      "one\n"
		      "s.tn:4: frobnicate: command not found\n"
		      "s.tn:4: stopped: exit status 127\n");
	expect_script(st, "s.tn", "ip link set eth9 up\n", 1,
		      "s.tn:1: Cannot find device \"eth9\"\n"
		      "s.tn:1: stopped: exit status 1\n");
	expect_script(st, "s.tn", "ip route add 10.0.0.0/33 dev lo\n", 1,
		      "s.tn:1: Error: any valid prefix is expected rather than \"10.0.0.0/33\".\n"
		      "s.tn:1: stopped: exit status 1\n");
	/* A continued line is reported at its first physical line. */
	expect_script(st, "s.tn", "echo a \\\n b\nip link set \\\n eth9 up\n", 1,
		      "a b\n"
		      "s.tn:3: Cannot find device \"eth9\"\n"
		      "s.tn:3: stopped: exit status 1\n");
}

static void test_bang_inverts_status(void **state)
{
	struct tn_stack *st = *state;

	expect(st, "! ip link set eth9 up\necho went on", 0,
	       "Cannot find device \"eth9\"\nwent on\n");
	expect(st, "! echo fine", 1, "fine\n");
}

static void test_background_sleep_and_wait(void **state)
{
	struct tn_stack *st = *state;
	u64 t0 = tn_stack_now(st);

	/* `sleep 5 &` does not hold the script; `wait` waits for it. */
	ok(st, "sleep 5 &\nsleep 1");
	/* The end of the run waited for the background sleep. */
	assert_int_equal(tn_stack_now(st) - t0, 5000000000ull);
	t0 = tn_stack_now(st);
	expect(st, "sleep 2 &\nsleep 3 &\nwait\necho done", 0, "done\n");
	assert_int_equal(tn_stack_now(st) - t0, 3000000000ull);
	/* A minute of virtual time costs no wall time. */
	t0 = tn_stack_now(st);
	ok(st, "sleep 1m");
	assert_int_equal(tn_stack_now(st) - t0, 60000000000ull);
	expect(st, "wait %1", 2, "wait: %1: only `wait` without operands is supported\n");
}

/* ---- ip route ------------------------------------------------------------ */

static void test_route_add_show_get_del(void **state)
{
	struct tn_stack *st = *state;

	ok(st, two_hosts);
	ok(st, "ip -n a route add default via 10.0.0.2\n"
	       "ip -n a route add 10.1.0.0/16 via 10.0.0.2 metric 100 mtu 1300 proto static\n"
	       "ip -n a route add unreachable 10.7.0.0/16\n"
	       "ip -n a route add blackhole 10.5.0.0/16\n"
	       "ip -n a route add 10.3.0.0/16 dev v0 table 100");
	expect(st, "ip -n a route", 0,
	       "default via 10.0.0.2 dev v0 \n"
	       "10.0.0.0/24 dev v0 proto kernel scope link src 10.0.0.1 \n"
	       "10.1.0.0/16 via 10.0.0.2 dev v0 proto static metric 100 mtu 1300 \n"
	       "blackhole 10.5.0.0/16 \n"
	       "unreachable 10.7.0.0/16 \n");
	expect(st, "ip -n a route show table 100", 0, "10.3.0.0/16 dev v0 scope link \n");
	expect(st, "ip -n a route show dev v0", 0,
	       "default via 10.0.0.2 \n"
	       "10.0.0.0/24 proto kernel scope link src 10.0.0.1 \n"
	       "10.1.0.0/16 via 10.0.0.2 proto static metric 100 mtu 1300 \n");
	expect(st, "ip -n a route show table local", 0,
	       "local 10.0.0.1 dev v0 proto kernel scope host src 10.0.0.1 \n"
	       "broadcast 10.0.0.255 dev v0 proto kernel scope link src 10.0.0.1 \n");
	expect(st, "ip -n a route get 10.9.9.9", 0,
	       "10.9.9.9 via 10.0.0.2 dev v0 src 10.0.0.1 uid 0 \n    cache \n");
	expect(st, "ip -n a route get 10.0.0.2", 0,
	       "10.0.0.2 dev v0 src 10.0.0.1 uid 0 \n    cache \n");
	expect(st, "ip -n a route get 10.7.1.1", 2, "RTNETLINK answers: No route to host\n");
	expect(st, "ip -n a route get 10.5.1.1", 2, "RTNETLINK answers: Invalid argument\n");
	ok(st, "ip -n a route del default\nip -n a route del 10.3.0.0/16 table 100");
	expect(st, "ip -n a route get 10.9.9.9", 2, "RTNETLINK answers: Network is unreachable\n");
	expect(st, "ip -n a route show table 100", 0, "");
}

static void test_route_errors(void **state)
{
	struct tn_stack *st = *state;

	ok(st, two_hosts);
	ok(st, "ip -n a route add 10.9.0.0/16 via 10.0.0.2");
	expect(st, "ip -n a route add 10.9.0.0/16 via 10.0.0.2", 2,
	       "RTNETLINK answers: File exists\n");
	ok(st, "ip -n a route replace 10.9.0.0/16 via 10.0.0.2 metric 5");
	expect(st, "ip -n a route add 10.8.0.0/16 via 10.5.5.5", 2,
	       "Error: Nexthop has invalid gateway.\n");
	expect(st, "ip -n a route del 10.6.0.0/16", 2, "RTNETLINK answers: No such process\n");
	expect(st, "ip -n a route add 10.9.0.5/16 dev v0", 2,
	       "Error: Invalid prefix for given prefix length.\n");
	expect(st, "ip -n a route add bogus via 10.0.0.2", 1,
	       "Error: any valid prefix is expected rather than \"bogus\".\n");
	expect(st, "ip -n a route add 10.8.0.0/16 via bogus", 1,
	       "Error: inet address is expected rather than \"bogus\".\n");
	expect(st, "ip -n a route add 10.8.0.0/16 via 10.0.0.2 dev nodev", 1,
	       "Cannot find device \"nodev\"\n");
	expect(st, "ip -n a route add 10.8.0.0/16 dev v0 metric x", 255,
	       "Error: argument \"x\" is wrong: \"metric\" value is invalid\n\n");
	expect(st, "ip -n a route frob", 255,
	       "Command \"frob\" is unknown, try \"ip route help\".\n");
}

/* ---- tc ------------------------------------------------------------------ */

static void test_tc_qdisc(void **state)
{
	struct tn_stack *st = *state;

	ok(st, two_hosts);
	/* lo is down: its noop root is built in, and tc never dumps it. */
	expect(st, "tc -n a qdisc show", 0, "qdisc noqueue 0: dev v0 root refcnt 2 \n");
	expect(st, "tc -n a qdisc show dev lo", 0, "");
	ok(st, "tc -n a qdisc add dev v0 root pfifo limit 100");
	expect(st, "tc -n a qdisc show dev v0", 0, "qdisc pfifo 8001: root refcnt 2 limit 100p\n");
	expect(st, "tc -n a -s qdisc show dev v0", 0,
	       "qdisc pfifo 8001: root refcnt 2 limit 100p\n"
	       " Sent 0 bytes 0 pkt (dropped 0, overlimits 0 requeues 0) \n"
	       " backlog 0b 0p requeues 0\n");
	expect(st, "tc -n a qdisc add dev v0 root pfifo", 2,
	       "Error: Exclusivity flag on, cannot modify.\n");
	ok(st, "tc -n a qdisc change dev v0 root pfifo limit 50");
	expect(st, "tc -n a qdisc show dev v0", 0, "qdisc pfifo 8001: root refcnt 2 limit 50p\n");
	ok(st, "tc -n a qdisc del dev v0 root");
	expect(st, "tc -n a qdisc show dev v0", 0, "qdisc noqueue 0: root refcnt 2 \n");
	expect(st, "tc -n a qdisc del dev v0 root", 2,
	       "Error: Cannot delete qdisc with handle of zero.\n");
	expect(st, "tc -n a qdisc add dev v0 root foo", 2,
	       "Error: Specified qdisc kind is unknown.\n");
	expect(st, "tc -n a qdisc add dev v9 root pfifo", 1, "Cannot find device \"v9\"\n");
}

/* ---- ping, traceroute, nstat: what needs no packet ---------------------- */

static void test_ping_errors(void **state)
{
	struct tn_stack *st = *state;

	ok(st, two_hosts);
	expect(st, "ping", 2, "ping: usage error: Destination address required\n");
	expect(st, "ping -c 1 -M foo 10.0.0.2", 2, "ping: invalid -M argument: foo\n");
	expect(st, "ping -c 1 -t 300 10.0.0.2", 2,
	       "ping: invalid argument: '300': out of range: 0 <= value <= 255\n");
	expect(st, "ping -c x 10.0.0.2", 2, "ping: invalid argument: 'x'\n");
	expect(st, "ping -c 1 bogus", 2, "ping: bogus: Name or service not known\n");
	expect(st, "ip netns exec a ping -c 1 192.168.9.9", 2,
	       "ping: connect: Network is unreachable\n");
	expect(st, "ip netns exec a traceroute -I 192.168.9.9", 1,
	       "connect: Network is unreachable\n");
}

static void test_nstat_format_and_history(void **state)
{
	struct tn_stack *st = *state;

	ok(st, two_hosts);
	expect(st, "ip netns exec a nstat -a -z IpInReceives IpFragCreates", 0,
	       "#kernel\n"
	       "IpInReceives                    0                  0.0\n"
	       "IpFragCreates                   0                  0.0\n");
	/* Without -z, counters that did not move are not printed. */
	expect(st, "ip netns exec a nstat IpInReceives", 0, "#kernel\n");
	expect(st, "ip netns exec a netstat -x", 1,
	       "netstat: only `netstat -s` (protocol statistics) is supported\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_script_stops_at_first_failure_with_file_line,
						runner_setup, runner_teardown),
		cmocka_unit_test_setup_teardown(test_bang_inverts_status, runner_setup, runner_teardown),
		cmocka_unit_test_setup_teardown(test_background_sleep_and_wait, runner_setup,
						runner_teardown),
		cmocka_unit_test_setup_teardown(test_route_add_show_get_del, runner_setup,
						runner_teardown),
		cmocka_unit_test_setup_teardown(test_route_errors, runner_setup, runner_teardown),
		cmocka_unit_test_setup_teardown(test_tc_qdisc, runner_setup, runner_teardown),
		cmocka_unit_test_setup_teardown(test_ping_errors, runner_setup, runner_teardown),
		cmocka_unit_test_setup_teardown(test_nstat_format_and_history, runner_setup,
						runner_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
