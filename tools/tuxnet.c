/*
 * The `tuxnet` command: a whole network in one unprivileged process. Each
 * invocation builds a fresh stack on a virtual clock and feeds it Linux
 * commands through the command layer (tools/cmd):
 *
 *   tuxnet cmd 'LINE'     one command (mostly for tests)
 *   tuxnet exec FILE      a file of commands, stopping at the first failure
 *   tuxnet run FILE       the same; the name the scenario runner will take
 *   tuxnet demo           a guided tour: two namespaces, a veth pair, ARP
 *
 * It never touches the host's network: every namespace, device and address
 * lives inside the stack this process creates. The demo only reads its own
 * capture file back with the host's tshark, if one is installed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "tuxnet/tuxnet.h"
#include "net/stack.h"
#include "tools/cmd/cmd.h"

#define DEMO_PCAP_NAME "arp-veth.pcap"

/*
 * The demo, line for line the same as examples/arp-veth.tn (the test
 * compares them through `tuxnet demo --script`). "@PCAP@" becomes the
 * capture's path.
 */
static const char demo_script[] =
	"# ARP across a veth pair joining two network namespaces, in virtual time.\n"
	"# Run it with: tuxnet exec examples/arp-veth.tn   (or see it as `tuxnet demo`)\n"
	"\n"
	"echo '== Two namespaces: each is a network stack of its own (devices, addresses, ARP cache).'\n"
	"ip netns add ns1\n"
	"ip netns add ns2\n"
	"ip netns list\n"
	"\n"
	"echo\n"
	"echo '== A veth pair is a virtual cable: veth0 goes in ns1, its peer veth1 in ns2.'\n"
	"ip -n ns1 link add veth0 type veth peer name veth1 netns ns2\n"
	"ip -n ns1 link set veth0 address 02:00:00:00:00:01\n"
	"ip -n ns2 link set veth1 address 02:00:00:00:00:02\n"
	"echo '   With only one end up there is NO-CARRIER: a cable needs both ends up.'\n"
	"ip -n ns1 link set veth0 up\n"
	"ip -n ns1 link show veth0\n"
	"ip -n ns2 link set veth1 up\n"
	"ip -n ns1 link show veth0\n"
	"\n"
	"echo\n"
	"echo '== One subnet, one address at each end.'\n"
	"ip -n ns1 addr add 10.0.0.1/24 brd + dev veth0\n"
	"ip -n ns2 addr add 10.0.0.2/24 brd + dev veth1\n"
	"ip -n ns1 addr\n"
	"\n"
	"echo\n"
	"echo '== Record every frame on veth0, as tcpdump -w would (it runs until the end).'\n"
	"ip netns exec ns1 tcpdump -i veth0 -w @PCAP@\n"
	"\n"
	"echo\n"
	"echo '== ns1 asks \"who has 10.0.0.2?\" (broadcast); ns2 answers with its MAC.'\n"
	"echo '   The second probe goes straight to the MAC learned from the first answer.'\n"
	"ip netns exec ns1 arping -c 2 -I veth0 10.0.0.2\n"
	"\n"
	"echo\n"
	"echo '== ns2 learned 10.0.0.1 from the requests (STALE: heard, not yet confirmed).'\n"
	"echo '   ns1 learned nothing: arping reads the replies itself, the kernel did not ask.'\n"
	"ip -n ns2 neigh\n"
	"ip -n ns1 neigh\n"
	"\n"
	"echo\n"
	"echo '== Now the other way round.'\n"
	"ip netns exec ns2 arping -c 1 -I veth1 10.0.0.1\n"
	"echo \"   The reply confirmed ns2's entry (REACHABLE); the request taught ns1 (STALE).\"\n"
	"ip -n ns1 neigh\n"
	"ip -n ns2 neigh\n"
	"\n"
	"echo\n"
	"echo '== Every frame that crossed the cable is counted, in ip -s link and the driver counters.'\n"
	"ip -n ns1 -s link show veth0\n"
	"ip netns exec ns1 ethtool -S veth0\n"
	"\n"
	"echo\n"
	"echo '== How long a neighbour stays REACHABLE is a per-device sysctl, as on Linux.'\n"
	"ip netns exec ns1 sysctl net.ipv4.neigh.veth0.base_reachable_time_ms\n";

/* ---- running ---------------------------------------------------------- */

static struct tn_stack *tool_stack(void)
{
	struct tn_stack_config cfg = { .virtual_time = 1, .seed = 0 };
	struct tn_stack *st = tn_stack_create(&cfg);

	if (!st)
		fprintf(stderr, "tuxnet: cannot create a stack: %s\n", strerror(errno));
	return st;
}

/* Run text as a script in a fresh stack. name: for "FILE:LINE: " messages. */
static int tool_run_text(const char *text, const char *name, bool trace, FILE *err)
{
	struct tn_stack *st = tool_stack();
	struct tn_cmd_ctx ctx;
	int status;

	if (!st)
		return 1;
	tn_stack_lock(st);
	tn_cmd_ctx_init(&ctx, st, stdout, err);
	ctx.trace = trace;
	status = tn_cmd_run_script(&ctx, text, name);
	tn_cmd_ctx_exit(&ctx);
	tn_stack_unlock(st);
	tn_stack_destroy(st);
	return status > 255 ? 255 : status;
}

static char *read_all(FILE *f)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);

	while (buf) {
		size_t n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
		if (n == 0)
			break;
		if (len + 1 == cap) {
			char *p = realloc(buf, cap * 2);
			if (!p) {
				free(buf);
				return NULL;
			}
			buf = p;
			cap *= 2;
		}
	}
	if (buf)
		buf[len] = '\0';
	return buf;
}

static int cmd_exec(int argc, char **argv)
{
	bool trace = argc > 2 && strcmp(argv[2], "-x") == 0;
	const char *path = argv[trace ? 3 : 2];
	FILE *f;
	char *text;
	int status;

	if (argc != (trace ? 4 : 3)) {
		fprintf(stderr, "Usage: tuxnet %s [-x] FILE\n", argv[1]);
		return 2;
	}
	f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	if (!f) {
		fprintf(stderr, "tuxnet: %s: %s\n", path, strerror(errno));
		return 2;
	}
	text = read_all(f);
	if (f != stdin)
		fclose(f);
	if (!text) {
		fprintf(stderr, "tuxnet: %s: cannot read\n", path);
		return 2;
	}
	status = tool_run_text(text, path, trace, stderr);
	free(text);
	return status;
}

/* `tuxnet cmd 'LINE'`, or the words of a line given separately. */
static int cmd_cmd(int argc, char **argv)
{
	char line[TN_CMD_MAX_LINE] = "";
	size_t n = 0;

	if (argc < 3) {
		fprintf(stderr, "Usage: tuxnet cmd 'COMMAND LINE'\n");
		return 2;
	}
	for (int i = 2; i < argc && n < sizeof(line); i++)
		n += (size_t)snprintf(line + n, sizeof(line) - n, "%s%s", i > 2 ? " " : "", argv[i]);
	return tool_run_text(line, NULL, false, stderr);
}

/* ---- demo ------------------------------------------------------------- */

/* The demo script with "@PCAP@" replaced by path. */
static char *demo_text(const char *path)
{
	const char *at = strstr(demo_script, "@PCAP@");
	size_t head = (size_t)(at - demo_script);
	size_t len = sizeof(demo_script) + strlen(path);
	char *text = malloc(len);

	if (text)
		snprintf(text, len, "%.*s%s%s", (int)head, demo_script, path, at + strlen("@PCAP@"));
	return text;
}

/* Show the capture as Wireshark's tshark decodes it, if the host has it. */
static void demo_tshark(const char *path)
{
	pid_t pid;
	int wstatus;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		if (null >= 0)
			dup2(null, STDERR_FILENO);   /* tshark's warnings about root */
		execlp("tshark", "tshark", "-r", path, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &wstatus, 0) < 0 || !WIFEXITED(wstatus) ||
	    WEXITSTATUS(wstatus) == 127)
		printf("   (tshark is not installed here: open %s in Wireshark to see it)\n", path);
}

static int cmd_demo(int argc, char **argv)
{
	char dir[] = "/tmp/tuxnet-demo.XXXXXX";
	char path[sizeof(dir) + sizeof(DEMO_PCAP_NAME) + 1];
	char *text;
	int status;

	if (argc > 2 && strcmp(argv[2], "--script") == 0) {
		text = demo_text(DEMO_PCAP_NAME);
		if (text)
			fputs(text, stdout);
		free(text);
		return text ? 0 : 1;
	}
	if (!mkdtemp(dir)) {
		fprintf(stderr, "tuxnet: cannot make a directory for the capture: %s\n", strerror(errno));
		return 1;
	}
	snprintf(path, sizeof(path), "%s/%s", dir, DEMO_PCAP_NAME);
	text = demo_text(path);
	if (!text)
		return 1;
	printf("tuxnet %s demo: every command below runs inside this one process, on a\n"
	       "virtual clock; nothing on this machine's own network is touched.\n\n",
	       tn_version());
	/* One transcript: diagnostics in order with the output. */
	status = tool_run_text(text, "demo", true, stdout);
	free(text);
	if (status)
		return status;
	printf("\n== The capture, %s, as tshark reads it:\n", path);
	demo_tshark(path);
	return 0;
}

/* ---- main ------------------------------------------------------------- */

static void usage(FILE *f)
{
	fprintf(f, "Usage: tuxnet COMMAND [ARGS]\n"
		   "  version            print the version\n"
		   "  help               this text\n"
		   "  cmd 'LINE'         run one command line in a fresh stack\n"
		   "  exec [-x] FILE     run a file of command lines ('-' for stdin), stop at the\n"
		   "                     first failure; -x prints each line first\n"
		   "  run [-x] FILE      the same (scenarios grow jobs and time here)\n"
		   "  demo [--script]    two namespaces, a veth pair and ARP, explained\n"
		   "\nCommand lines (as on Linux, on tuxnet's own namespaces, in virtual time):\n");
	for (unsigned int i = 0; i < tn_cmd_table_len; i++)
		fprintf(f, "  %s\n", tn_cmd_table[i].usage);
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "help";

	if (!strcmp(cmd, "version") || !strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
		printf("tuxnet %s\n", tn_version());
		return 0;
	}
	if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(cmd, "cmd"))
		return cmd_cmd(argc, argv);
	if (!strcmp(cmd, "exec") || !strcmp(cmd, "run"))
		return cmd_exec(argc, argv);
	if (!strcmp(cmd, "demo"))
		return cmd_demo(argc, argv);
	fprintf(stderr, "tuxnet: unknown command \"%s\"\n", cmd);
	usage(stderr);
	return 2;
}
