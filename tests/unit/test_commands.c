/*
 * The command layer through its public entry, tn_command(): every output is
 * compared byte for byte with what the Linux tool prints for the same
 * world (iproute2 6.1, procps-ng 4, ethtool 6.1, iputils arping), and so is
 * every error message and exit status. Each test builds its own stack on a
 * virtual clock and ends by checking that no skb was leaked.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tn_test.h"
#include "tuxnet/tuxnet.h"
#include "tools/cmd/cmd.h"

/* Every test gets a fresh stack in *state; teardown frees it even when the
 * test failed, and fails if an skb was leaked. */
static int cmd_setup(void **state)
{
	struct tn_stack_config cfg = { .virtual_time = 1, .seed = 1 };

	*state = tn_stack_create(&cfg);
	return *state ? 0 : -1;
}

static int cmd_teardown(void **state)
{
	return tn_stack_free(*state) == 0 ? 0 : -1;
}

/* Run lines (newline separated) and return what they printed. */
static char *run(struct tn_stack *st, const char *lines, int *status)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_non_null(out);
	*status = tn_command(st, lines, out);
	fclose(out);
	return buf;
}

#define expect(st, lines, want_status, want_out)                                   \
	do {                                                                       \
		int status_;                                                       \
		char *got_ = run(st, lines, &status_);                             \
		if (strcmp(got_, want_out) != 0)                                   \
			fprintf(stderr, "--- %s\n+++ got:\n%s---\n", lines, got_); \
		assert_string_equal(got_, want_out);                               \
		assert_int_equal(status_, want_status);                            \
		free(got_);                                                        \
	} while (0)

#define ok(st, lines) expect(st, lines, 0, "")

static const char lo_up[] =
	"1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT "
	"group default qlen 1000\n"
	"    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n";

/* ---- dispatcher and tokenizer ------------------------------------------ */

static void test_tokenize_quotes_and_comments(void **state)
{
	char buf[256];
	char *argv[16];
	const char *why = NULL;
	int argc = tn_cmd_tokenize("echo 'a  b' \"c \\\"d\\\"\" e\\ f g#h # rest", buf,
				   sizeof(buf), argv, 16, &why);

	assert_int_equal(argc, 5);
	assert_string_equal(argv[0], "echo");
	assert_string_equal(argv[1], "a  b");
	assert_string_equal(argv[2], "c \"d\"");
	assert_string_equal(argv[3], "e f");
	assert_string_equal(argv[4], "g#h");
	assert_int_equal(tn_cmd_tokenize("   # only a comment", buf, sizeof(buf), argv, 16, &why), 0);
	assert_int_equal(tn_cmd_tokenize("echo 'open", buf, sizeof(buf), argv, 16, &why), -1);
	assert_string_equal(why, "unterminated quoted string");
}

static void test_echo_and_unknown_command(void **state)
{
	struct tn_stack *st = *state;

	expect(st, "echo 'hello,   world' # comment", 0, "hello,   world\n");
	expect(st, "echo", 0, "\n");
	expect(st, "frobnicate now", 127, "frobnicate: command not found\n");
	expect(st, "echo 'unterminated", 2, "syntax error: unterminated quoted string\n");
	/* Several lines share one run and stop at the first failure. */
	expect(st, "echo one\nnosuch\necho three", 127, "one\nnosuch: command not found\n");
	/* A backslash at the end of a line continues it. */
	expect(st, "echo one \\\n   two", 0, "one two\n");
}

static void test_sleep_advances_virtual_time(void **state)
{
	struct tn_stack *st = *state;
	uint64_t t0 = tn_stack_now(st);

	ok(st, "sleep 1.5");
	assert_int_equal(tn_stack_now(st) - t0, 1500000000ull);
	expect(st, "sleep soon", 1, "sleep: invalid time interval 'soon'\n");
}

/* ---- ip link ------------------------------------------------------------ */

/* lo as a booted Linux shows it: its carrier never changed, so its
 * operstate is still UNKNOWN. */
/* ss -s: iproute2's summary. Empty, then a TCP listener and a bound UDP
 * socket of the initial namespace: two sockets, one TCP sock alive and
 * hashed (not established, not closed), one UDP. */
static const char ss_rows_fmt[] =
	"\n"
	"Transport Total     IP        IPv6\n"
	"RAW\t  0         0         0        \n"
	"UDP\t  %-9d %-9d 0        \n"
	"TCP\t  %-9d %-9d 0        \n"
	"INET\t  %-9d %-9d 0        \n"
	"FRAG\t  0         0         0        \n"
	"\n";

static void test_ss_summary(void **state)
{
	struct tn_stack *st = *state;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(80) };
	char want[1024];
	int n;

	n = snprintf(want, sizeof(want), "Total: 0\nTCP:   0 (estab 0, closed 0, orphaned 0, timewait 0)\n");
	snprintf(want + n, sizeof(want) - (size_t)n, ss_rows_fmt, 0, 0, 0, 0, 0, 0);
	expect(st, "ss -s", 0, want);

	int l = tn_socket(st, AF_INET, SOCK_STREAM, 0);
	int u = tn_socket(st, AF_INET, SOCK_DGRAM, 0);
	assert_true(l >= 0 && u >= 0);
	assert_int_equal(tn_bind(st, l, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(tn_listen(st, l, 5), 0);
	assert_int_equal(tn_bind(st, u, (struct sockaddr *)&a, sizeof(a)), 0);
	n = snprintf(want, sizeof(want), "Total: 2\nTCP:   1 (estab 0, closed 0, orphaned 0, timewait 0)\n");
	snprintf(want + n, sizeof(want) - (size_t)n, ss_rows_fmt, 1, 1, 1, 1, 2, 2);
	expect(st, "ss -s", 0, want);
	assert_int_equal(tn_close(st, l), 0);
	assert_int_equal(tn_close(st, u), 0);
}

static void test_link_show_lo(void **state)
{
	struct tn_stack *st = *state;

	expect(st, "ip link show lo", 0, lo_up);
	expect(st, "ip link", 0, lo_up);
	expect(st, "ip l sh dev lo", 0, lo_up);
	expect(st, "ip a s lo", 0,
	       "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default "
	       "qlen 1000\n"
	       "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n"
	       "    inet 127.0.0.1/8 scope host lo\n"
	       "       valid_lft forever preferred_lft forever\n");
	expect(st, "ip -br link", 0,
	       "lo               UNKNOWN        00:00:00:00:00:00 <LOOPBACK,UP,LOWER_UP> \n");
}

static void test_link_veth_pair_same_namespace(void **state)
{
	struct tn_stack *st = *state;

	ok(st, "ip link add veth0 type veth peer name veth1\n"
	       "ip link set veth0 address 02:00:00:00:00:aa\n"
	       "ip link set veth1 address 02:00:00:00:00:bb");
	/* Linux registers the peer first: it gets the lower ifindex. */
	expect(st, "ip link show veth0", 0,
	       "3: veth0@veth1: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 qdisc noop state DOWN "
	       "mode DEFAULT group default qlen 1000\n"
	       "    link/ether 02:00:00:00:00:aa brd ff:ff:ff:ff:ff:ff\n");
	ok(st, "ip link set veth0 up");
	expect(st, "ip link show veth0", 0,
	       "3: veth0@veth1: <NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN> mtu 1500 qdisc noqueue "
	       "state LOWERLAYERDOWN mode DEFAULT group default qlen 1000\n"
	       "    link/ether 02:00:00:00:00:aa brd ff:ff:ff:ff:ff:ff\n");
	ok(st, "ip link set dev veth1 up");
	expect(st, "ip link show veth1", 0,
	       "2: veth1@veth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP "
	       "mode DEFAULT group default qlen 1000\n"
	       "    link/ether 02:00:00:00:00:bb brd ff:ff:ff:ff:ff:ff\n");
	/* Deleting one end deletes the pair. */
	ok(st, "ip link del veth0");
	expect(st, "ip link show veth1", 1, "Device \"veth1\" does not exist.\n");
}

static void test_link_veth_across_namespaces(void **state)
{
	struct tn_stack *st = *state;

	ok(st, "ip netns add ns1\n"
	       "ip netns add ns2\n"
	       "ip -n ns1 link add veth0 type veth peer name veth1 netns ns2\n"
	       "ip -n ns1 link set veth0 address 02:00:00:00:00:01 mtu 9000 txqueuelen 500\n"
	       "ip -n ns2 link set veth1 address 02:00:00:00:00:02");
	expect(st, "ip netns list", 0, "ns2\nns1\n");
	expect(st, "ip -n ns1 link show veth0", 0,
	       "2: veth0@if2: <BROADCAST,MULTICAST> mtu 9000 qdisc noop state DOWN mode DEFAULT "
	       "group default qlen 500\n"
	       "    link/ether 02:00:00:00:00:01 brd ff:ff:ff:ff:ff:ff link-netns ns2\n");
	/* A new namespace's lo is down, as on Linux. */
	expect(st, "ip netns exec ns2 ip link show lo", 0,
	       "1: lo: <LOOPBACK> mtu 65536 qdisc noop state DOWN mode DEFAULT group default "
	       "qlen 1000\n"
	       "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n");
	/* Moving and renaming. */
	ok(st, "ip -n ns2 link set veth1 netns ns1\nip -n ns1 link set veth1 name peer0");
	expect(st, "ip -n ns1 -br link", 0,
	       "lo               DOWN           00:00:00:00:00:00 <LOOPBACK> \n"
	       "veth0@peer0      DOWN           02:00:00:00:00:01 <BROADCAST,MULTICAST,M-DOWN> \n"
	       "peer0@veth0      DOWN           02:00:00:00:00:02 <BROADCAST,MULTICAST,M-DOWN> \n");
}

static void test_link_stats(void **state)
{
	struct tn_stack *st = *state;

	ok(st, "ip link add tt0 type tuxtest");
	expect(st, "ip -s link show tt0", 0,
	       "2: tt0: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT "
	       "group default qlen 1000\n"
	       "    link/ether 02:00:00:00:00:02 brd ff:ff:ff:ff:ff:ff\n"
	       "    RX:  bytes packets errors dropped  missed   mcast           \n"
	       "             0       0      0       0       0       0 \n"
	       "    TX:  bytes packets errors dropped carrier collsns           \n"
	       "             0       0      0       0       0       0 \n");
}

static void test_link_errors(void **state)
{
	struct tn_stack *st = *state;

	ok(st, "ip link add veth0 type veth peer name veth1");
	expect(st, "ip link set eth9 up", 1, "Cannot find device \"eth9\"\n");
	expect(st, "ip link show eth9", 1, "Device \"eth9\" does not exist.\n");
	expect(st, "ip link del eth9", 1, "Cannot find device \"eth9\"\n");
	expect(st, "ip link add veth0 type veth peer name veth2", 2,
	       "RTNETLINK answers: File exists\n");
	expect(st, "ip link set veth0 foo", 255,
	       "Error: either \"dev\" is duplicate, or \"foo\" is a garbage.\n");
	expect(st, "ip link set veth0 mtu abc", 255,
	       "Error: argument \"abc\" is wrong: Invalid \"mtu\" value\n\n");
	expect(st, "ip link set veth0 mtu 70000", 2, "Error: mtu greater than device maximum.\n");
	expect(st, "ip link set veth0 address zz", 1, "\"zz\" is invalid lladdr.\n");
	expect(st, "ip link set veth0 netns nosuch", 255,
	       "Error: argument \"nosuch\" is wrong: Invalid \"netns\" value\n\n");
	expect(st, "ip link add x type frob", 2, "Error: Unknown device type.\n");
	expect(st, "ip link del lo", 2, "RTNETLINK answers: Operation not supported\n");
	expect(st, "ip link frob", 255, "Command \"frob\" is unknown, try \"ip link help\".\n");
	expect(st, "ip frob", 255, "Object \"frob\" is unknown, try \"ip help\".\n");
	expect(st, "ip -n nosuch link", 255,
	       "Cannot open network namespace \"nosuch\": No such file or directory\n");
}

/* ---- ip netns ----------------------------------------------------------- */

static void test_netns_errors(void **state)
{
	struct tn_stack *st = *state;

	ok(st, "ip netns add blue");
	expect(st, "ip netns add blue", 1,
	       "Cannot create namespace file \"/run/netns/blue\": File exists\n");
	expect(st, "ip netns del red", 1,
	       "Cannot remove namespace file \"/run/netns/red\": No such file or directory\n");
	expect(st, "ip netns exec red ip link", 255,
	       "Cannot open network namespace \"red\": No such file or directory\n");
	expect(st, "ip netns exec blue frob", 1, "exec of \"frob\" failed: No such file or directory\n");
	ok(st, "ip netns del blue");
	expect(st, "ip netns", 0, "");
}

/* ---- ip addr ------------------------------------------------------------ */

static void test_addr_add_show_del(void **state)
{
	struct tn_stack *st = *state;

	/* A primary of narrower scope goes before the wider ones (Linux's
	 * __inet_insert_ifa); secondaries go last. tt0's carrier never
	 * changed, so like a dummy device its operstate stays UNKNOWN. */
	ok(st, "ip link add tt0 type tuxtest\n"
	       "ip link set tt0 up\n"
	       "ip addr add 10.0.0.1/24 brd + dev tt0\n"
	       "ip addr add 10.0.0.9/24 dev tt0 label tt0:x\n"
	       "ip addr add 192.168.7.1/16 dev tt0 scope link");
	expect(st, "ip addr show dev tt0", 0,
	       "2: tt0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast state UNKNOWN "
	       "group default qlen 1000\n"
	       "    link/ether 02:00:00:00:00:02 brd ff:ff:ff:ff:ff:ff\n"
	       "    inet 192.168.7.1/16 scope link tt0\n"
	       "       valid_lft forever preferred_lft forever\n"
	       "    inet 10.0.0.1/24 brd 10.0.0.255 scope global tt0\n"
	       "       valid_lft forever preferred_lft forever\n"
	       "    inet 10.0.0.9/24 scope global secondary tt0:x\n"
	       "       valid_lft forever preferred_lft forever\n");
	expect(st, "ip -4 addr show tt0", 0,
	       "2: tt0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast state UNKNOWN "
	       "group default qlen 1000\n"
	       "    inet 192.168.7.1/16 scope link tt0\n"
	       "       valid_lft forever preferred_lft forever\n"
	       "    inet 10.0.0.1/24 brd 10.0.0.255 scope global tt0\n"
	       "       valid_lft forever preferred_lft forever\n"
	       "    inet 10.0.0.9/24 scope global secondary tt0:x\n"
	       "       valid_lft forever preferred_lft forever\n");
	ok(st, "ip addr del 10.0.0.9/24 dev tt0\nip addr del 192.168.7.1/16 dev tt0");
	expect(st, "ip -br a show tt0", 0, "tt0              UNKNOWN        10.0.0.1/24 \n");
}

static void test_addr_errors(void **state)
{
	struct tn_stack *st = *state;

	ok(st, "ip link add tt0 type tuxtest\nip addr add 10.0.0.1/24 dev tt0");
	expect(st, "ip addr add 10.0.0.1/24 dev tt0", 2, "Error: ipv4: Address already assigned.\n");
	expect(st, "ip addr del 10.0.0.7/24 dev tt0", 2, "Error: ipv4: Address not found.\n");
	expect(st, "ip addr add 10.0.0.2/24 dev eth9", 1, "Cannot find device \"eth9\"\n");
	expect(st, "ip addr add 1.2.3.4/33 dev tt0", 1,
	       "Error: any valid prefix is expected rather than \"1.2.3.4/33\".\n");
	expect(st, "ip addr add 10.0.0.2/24", 255,
	       "Not enough information: \"dev\" argument is required.\n");
	expect(st, "ip addr add 10.0.0.2/24 dev tt0 scope galaxy", 255,
	       "Error: argument \"galaxy\" is wrong: invalid scope value.\n");
	expect(st, "ip addr show dev eth9", 1, "Device \"eth9\" does not exist.\n");
}

/* ---- ip neigh ----------------------------------------------------------- */

static void test_neigh_add_show_flush(void **state)
{
	struct tn_stack *st = *state;

	ok(st, "ip link add tt0 type tuxtest\n"
	       "ip link set tt0 up\n"
	       "ip neigh add 10.0.0.7 lladdr 02:00:00:00:00:07 dev tt0\n"
	       "ip neigh add 10.0.0.9 lladdr 02:00:00:00:00:09 dev tt0 nud stale\n"
	       "ip neigh add 10.0.0.10 lladdr 02:00:00:00:00:0a dev tt0 nud noarp");
	expect(st, "ip neigh show dev tt0 nud permanent", 0,
	       "10.0.0.7 lladdr 02:00:00:00:00:07 PERMANENT \n");
	expect(st, "ip neigh show nud stale", 0, "10.0.0.9 dev tt0 lladdr 02:00:00:00:00:09 STALE \n");
	expect(st, "ip neigh add 10.0.0.7 lladdr 02:00:00:00:00:17 dev tt0", 2,
	       "RTNETLINK answers: File exists\n");
	ok(st, "ip neigh replace 10.0.0.7 lladdr 02:00:00:00:00:17 dev tt0 nud reachable");
	expect(st, "ip neigh show nud reachable", 0,
	       "10.0.0.7 dev tt0 lladdr 02:00:00:00:00:17 REACHABLE \n");
	/* Flush keeps what was configured permanent or noarp; NOARP entries
	 * are only listed when asked for, as on Linux. */
	ok(st, "ip neigh replace 10.0.0.8 lladdr 02:00:00:00:00:08 dev tt0 nud permanent\n"
	       "ip neigh flush dev tt0");
	expect(st, "ip neigh", 0, "10.0.0.8 dev tt0 lladdr 02:00:00:00:00:08 PERMANENT \n");
	ok(st, "ip neigh del 10.0.0.8 dev tt0");
	expect(st, "ip neigh show nud all", 0, "10.0.0.10 dev tt0 lladdr 02:00:00:00:00:0a NOARP \n");
}

static void test_neigh_errors(void **state)
{
	struct tn_stack *st = *state;

	ok(st, "ip link add tt0 type tuxtest");
	expect(st, "ip neigh del 10.0.0.99 dev tt0", 2,
	       "RTNETLINK answers: No such file or directory\n");
	expect(st, "ip neigh del 10.0.0.99", 255, "Device and destination are required arguments.\n");
	expect(st, "ip neigh add 10.0.0.99 lladdr zz dev tt0", 1, "\"zz\" is invalid lladdr.\n");
	expect(st, "ip neigh add 10.0.0.99 lladdr 02:00:00:00:00:01 dev eth9", 1,
	       "Cannot find device \"eth9\"\n");
	expect(st, "ip neigh add 10.0.0.99 lladdr 02:00:00:00:00:01 dev tt0 nud foo", 255,
	       "Error: argument \"foo\" is wrong: nud state is bad\n");
	expect(st, "ip neigh flush", 255, "Flush requires arguments.\n");
}

/* ---- sysctl ------------------------------------------------------------- */

static void test_sysctl(void **state)
{
	struct tn_stack *st = *state;

	expect(st, "sysctl net.ipv4.neigh.default.retrans_time_ms", 0,
	       "net.ipv4.neigh.default.retrans_time_ms = 1000\n");
	expect(st, "sysctl -w net.ipv4.conf.all.forwarding=1", 0,
	       "net.ipv4.conf.all.forwarding = 1\n");
	expect(st, "sysctl -n net/ipv4/conf/all/forwarding", 0, "1\n");
	expect(st, "sysctl net.ipv4.foo", 1,
	       "sysctl: cannot stat /proc/sys/net/ipv4/foo: No such file or directory\n");
	expect(st, "sysctl -w net.ipv4.conf.all.forwarding=abc", 1,
	       "sysctl: setting key \"net.ipv4.conf.all.forwarding\": Invalid argument\n");
	/* Namespaces have their own values. */
	ok(st, "ip netns add ns1");
	expect(st, "ip netns exec ns1 sysctl net.ipv4.conf.all.forwarding", 0,
	       "net.ipv4.conf.all.forwarding = 0\n");
}

static void test_sysctl_all_lists_neigh_defaults(void **state)
{
	struct tn_stack *st = *state;
	int status;
	char *out = run(st, "sysctl -a", &status);

	assert_int_equal(status, 0);
	assert_non_null(strstr(out, "\nnet.ipv4.neigh.default.retrans_time_ms = 1000\n"));
	assert_non_null(strstr(out, "\nnet.ipv4.conf.all.forwarding = 0\n"));
	free(out);
}

/* ---- ethtool ------------------------------------------------------------ */

static void test_ethtool_testdev(void **state)
{
	struct tn_stack *st = *state;

	ok(st, "ip link add tt0 type tuxtest");
	expect(st, "ethtool -i tt0", 0,
	       "driver: tuxtest\n"
	       "version: 1.0\n"
	       "firmware-version: \n"
	       "expansion-rom-version: \n"
	       "bus-info: \n"
	       "supports-statistics: yes\n"
	       "supports-test: no\n"
	       "supports-eeprom-access: no\n"
	       "supports-register-dump: no\n"
	       "supports-priv-flags: no\n");
	ok(st, "ethtool -G tt0 rx 512");
	expect(st, "ethtool -g tt0", 0,
	       "Ring parameters for tt0:\n"
	       "Pre-set maximums:\n"
	       "RX:\t\t4096\n"
	       "RX Mini:\tn/a\n"
	       "RX Jumbo:\tn/a\n"
	       "TX:\t\tn/a\n"
	       "Current hardware settings:\n"
	       "RX:\t\t512\n"
	       "RX Mini:\tn/a\n"
	       "RX Jumbo:\tn/a\n"
	       "TX:\t\tn/a\n"
	       "RX Buf Len:\tn/a\n"
	       "CQE Size:\tn/a\n"
	       "TX Push:\toff\n"
	       "TCP data split:\tn/a\n");
	expect(st, "ethtool -G tt0 rx 5000", 1,
	       "netlink error: requested ring size exceeds maximum\n"
	       "netlink error: Invalid argument\n");
	expect(st, "ethtool tt0", 0, "Settings for tt0:\n\tLink detected: no\n");
	ok(st, "ip link set tt0 up");
	expect(st, "ethtool tt0", 0, "Settings for tt0:\n\tLink detected: yes\n");
	expect(st, "ethtool -i lo", 71, "Cannot get driver information: Operation not supported\n");
	expect(st, "ethtool -i eth9", 71, "Cannot get driver information: No such device\n");
}

static void test_ethtool_stats(void **state)
{
	struct tn_stack *st = *state;
	int status;
	char *out;

	ok(st, "ip link add tt0 type tuxtest");
	out = run(st, "ethtool -S tt0", &status);
	assert_int_equal(status, 0);
	assert_memory_equal(out, "NIC statistics:\n     rx_packets: 0\n", 35);
	assert_non_null(strstr(out, "\n     rx_ring_full: 0\n"));
	free(out);
}

/* ---- arping and tcpdump over a veth pair ------------------------------- */

static void test_arping_over_veth(void **state)
{
	struct tn_stack *st = *state;
	char path[] = "/tmp/tn-test-commands-XXXXXX";
	char line[128];
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	close(fd);
	ok(st, "ip netns add a\nip netns add b\n"
	       "ip -n a link add v0 type veth peer name v1 netns b\n"
	       "ip -n a link set v0 address 02:00:00:00:00:01 up\n"
	       "ip -n b link set v1 address 02:00:00:00:00:02 up\n"
	       "ip -n a addr add 10.0.0.1/24 dev v0\n"
	       "ip -n b addr add 10.0.0.2/24 dev v1");
	snprintf(line, sizeof(line), "ip netns exec a tcpdump -i v0 -w %s -c 100\n"
		 "ip netns exec a arping -c 2 -I v0 10.0.0.2", path);
	expect(st, line, 0,
	       "tcpdump: listening on v0, link-type EN10MB (Ethernet), snapshot length 262144 bytes\n"
	       "ARPING 10.0.0.2 from 10.0.0.1 v0\n"
	       "Unicast reply from 10.0.0.2 [02:00:00:00:00:02]  0.000ms\n"
	       "Unicast reply from 10.0.0.2 [02:00:00:00:00:02]  0.000ms\n"
	       "Sent 2 probes (1 broadcast(s))\n"
	       "Received 2 response(s)\n"
	       "4 packets captured\n"
	       "4 packets received by filter\n"
	       "0 packets dropped by kernel\n");
	/* b learned a from the requests. */
	expect(st, "ip -n b neigh", 0, "10.0.0.1 dev v1 lladdr 02:00:00:00:00:01 STALE \n");
	expect(st, "ip netns exec a arping -c 1 -I v0 10.0.0.3", 1,
	       "ARPING 10.0.0.3 from 10.0.0.1 v0\n"
	       "Sent 1 probes (1 broadcast(s))\n"
	       "Received 0 response(s)\n");
	expect(st, "ip netns exec a arping -I lo 10.0.0.3", 2,
	       "arping: Interface \"lo\" is down\n");
	expect(st, "ip netns exec a tcpdump -i v9 -w /tmp/never.pcap", 1,
	       "tcpdump: v9: No such device exists\n(No such device exists)\n");
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_tokenize_quotes_and_comments, cmd_setup, cmd_teardown),
		cmocka_unit_test_setup_teardown(test_echo_and_unknown_command, cmd_setup, cmd_teardown),
		cmocka_unit_test_setup_teardown(test_sleep_advances_virtual_time, cmd_setup, cmd_teardown),
		cmocka_unit_test_setup_teardown(test_ss_summary, cmd_setup, cmd_teardown),
		cmocka_unit_test_setup_teardown(test_link_show_lo, cmd_setup, cmd_teardown),
		cmocka_unit_test_setup_teardown(test_link_veth_pair_same_namespace, cmd_setup, cmd_teardown),
		cmocka_unit_test_setup_teardown(test_link_veth_across_namespaces, cmd_setup, cmd_teardown),
		cmocka_unit_test_setup_teardown(test_link_stats, cmd_setup, cmd_teardown),
		cmocka_unit_test_setup_teardown(test_link_errors, cmd_setup, cmd_teardown),
		cmocka_unit_test_setup_teardown(test_netns_errors, cmd_setup, cmd_teardown),
		cmocka_unit_test_setup_teardown(test_addr_add_show_del, cmd_setup, cmd_teardown),
		cmocka_unit_test_setup_teardown(test_addr_errors, cmd_setup, cmd_teardown),
		cmocka_unit_test_setup_teardown(test_neigh_add_show_flush, cmd_setup, cmd_teardown),
		cmocka_unit_test_setup_teardown(test_neigh_errors, cmd_setup, cmd_teardown),
		cmocka_unit_test_setup_teardown(test_sysctl, cmd_setup, cmd_teardown),
		cmocka_unit_test_setup_teardown(test_sysctl_all_lists_neigh_defaults, cmd_setup, cmd_teardown),
		cmocka_unit_test_setup_teardown(test_ethtool_testdev, cmd_setup, cmd_teardown),
		cmocka_unit_test_setup_teardown(test_ethtool_stats, cmd_setup, cmd_teardown),
		cmocka_unit_test_setup_teardown(test_arping_over_veth, cmd_setup, cmd_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
