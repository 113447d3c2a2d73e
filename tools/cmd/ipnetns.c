/*
 * `ip netns`: named network namespaces of the stack. add, delete and list
 * create and destroy struct net; exec runs a command with the context's
 * current namespace switched for its duration, which is what `setns()`
 * before `execvp()` amounts to here.
 *
 * Messages name the /run/netns files iproute2 would have used, so output
 * reads as on Linux, but nothing on the host is created: a tuxnet namespace
 * lives only in its stack. Not here: identify, pids, set (nsid), monitor.
 */
#include <errno.h>
#include <string.h>

#include "net/stack.h"
#include "net/net_namespace.h"
#include "tools/cmd/cmd.h"

#define NETNS_RUN_DIR "/run/netns"

static bool netns_name_valid(const char *name)
{
	return *name && !strchr(name, '/') && strcmp(name, ".") && strcmp(name, "..");
}

static int netns_list(struct tn_cmd_ctx *ctx, FILE *out)
{
	struct list_head *pos;

	/* Newest first, the order readdir() gives on /run/netns (tmpfs). */
	for (pos = ctx->st->net_list.prev; pos != &ctx->st->net_list; pos = pos->prev) {
		struct net *net = list_entry(pos, struct net, list);
		if (net->name[0])
			fprintf(out, "%s\n", net->name);
	}
	return 0;
}

static int netns_add(struct tn_cmd_ctx *ctx, int argc, char **argv)
{
	int err = 0;

	if (argc < 1) {
		tn_cmd_err(ctx, "No netns name specified");
		return IP_EXIT_USAGE;
	}
	if (!netns_name_valid(argv[0])) {
		tn_cmd_err(ctx, "Invalid netns name \"%s\"", argv[0]);
		return IP_EXIT_USAGE;
	}
	if (net_create(ctx->st, argv[0], &err))
		return 0;
	tn_cmd_err(ctx, "Cannot create namespace file \"" NETNS_RUN_DIR "/%s\": %s", argv[0],
		   tn_errstr(err));
	return 1;
}

static int netns_del(struct tn_cmd_ctx *ctx, int argc, char **argv)
{
	struct net *net;

	if (argc < 1) {
		tn_cmd_err(ctx, "No netns name specified");
		return IP_EXIT_USAGE;
	}
	net = tn_cmd_netns(ctx, argv[0]);
	if (!net) {
		tn_cmd_err(ctx, "Cannot remove namespace file \"" NETNS_RUN_DIR "/%s\": %s",
			   argv[0], tn_errstr(ENOENT));
		return 1;
	}
	/* A command cannot pull the namespace it runs in from under itself
	 * (`ip netns exec ns1 ip netns del ns1`). */
	if (net == ctx->net) {
		tn_cmd_err(ctx, "Cannot remove namespace file \"" NETNS_RUN_DIR "/%s\": %s",
			   argv[0], tn_errstr(EBUSY));
		return 1;
	}
	net_destroy(net);
	return 0;
}

static int netns_exec(struct tn_cmd_ctx *ctx, int argc, char **argv)
{
	struct net *net, *saved = ctx->net;
	int status;

	if (argc < 1) {
		tn_cmd_err(ctx, "No netns name specified");
		return IP_EXIT_USAGE;
	}
	if (argc < 2) {
		tn_cmd_err(ctx, "No command specified");
		return IP_EXIT_USAGE;
	}
	net = tn_cmd_netns(ctx, argv[0]);
	if (!net) {
		tn_cmd_err(ctx, "Cannot open network namespace \"%s\": No such file or directory",
			   argv[0]);
		return IP_EXIT_USAGE;
	}
	if (!tn_cmd_find(argv[1])) {
		tn_cmd_err(ctx, "exec of \"%s\" failed: No such file or directory", argv[1]);
		return 1;
	}
	ctx->net = net;
	status = tn_cmd_run_argv(ctx, argc - 1, argv + 1);
	ctx->net = saved;
	return status;
}

int do_ipnetns(struct tn_cmd_ctx *ctx, const struct ip_global_opts *o, int argc, char **argv,
	       FILE *out)
{
	if (argc == 0)
		return netns_list(ctx, out);
	if (tn_matches(argv[0], "list") || tn_matches(argv[0], "show") ||
	    strcmp(argv[0], "lst") == 0)
		return netns_list(ctx, out);
	if (tn_matches(argv[0], "add"))
		return netns_add(ctx, argc - 1, argv + 1);
	if (tn_matches(argv[0], "delete"))
		return netns_del(ctx, argc - 1, argv + 1);
	if (tn_matches(argv[0], "exec"))
		return netns_exec(ctx, argc - 1, argv + 1);
	tn_cmd_err(ctx, "Command \"%s\" is unknown, try \"ip netns help\".", argv[0]);
	return IP_EXIT_USAGE;
}
