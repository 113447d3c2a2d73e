/*
 * net.core.*: the stack-wide knobs of the receive path (backlog length, NAPI
 * budget), which Linux keeps global and shows in the initial namespace only,
 * and the per-namespace somaxconn.
 */
#include <errno.h>
#include <limits.h>

#include "net/net_namespace.h"
#include "net/sock.h"
#include "net/stack.h"
#include "net/sysctl.h"

#define CORE_ENTRY(name, field, lo, hi) \
	{ name, offsetof(struct tn_core_sysctl, field), proc_dointvec_minmax, lo, hi, 0644 }

static const struct ctl_table net_core_stack_table[] = {
	CORE_ENTRY("netdev_max_backlog", netdev_max_backlog, 0, INT_MAX),
	CORE_ENTRY("netdev_budget", netdev_budget, 0, INT_MAX),
	CORE_ENTRY("netdev_budget_usecs", netdev_budget_usecs, 0, INT_MAX),
	CORE_ENTRY("dev_weight", dev_weight, 1, INT_MAX),
};

/* Linux's SOCK_MIN_SNDBUF and SOCK_MIN_RCVBUF bound the buffer sysctls. */
#define NS_ENTRY(name, field, lo) \
	{ name, offsetof(struct net, core.field), proc_dointvec_minmax, lo, INT_MAX, 0644 }

static const struct ctl_table net_core_ns_table[] = {
	NS_ENTRY("somaxconn", sysctl_somaxconn, 0),
	NS_ENTRY("rmem_default", sysctl_rmem_default, SOCK_MIN_RCVBUF),
	NS_ENTRY("wmem_default", sysctl_wmem_default, SOCK_MIN_SNDBUF),
	NS_ENTRY("rmem_max", sysctl_rmem_max, SOCK_MIN_RCVBUF),
	NS_ENTRY("wmem_max", sysctl_wmem_max, SOCK_MIN_SNDBUF),
};

/* Linux's defaults: SK_RMEM_MAX / SK_WMEM_MAX, 212992 on 64-bit. */
static void net_core_sock_defaults(struct net *net)
{
	net->core.sysctl_rmem_default = SK_RMEM_MAX;
	net->core.sysctl_wmem_default = SK_WMEM_MAX;
	net->core.sysctl_rmem_max = SK_RMEM_MAX;
	net->core.sysctl_wmem_max = SK_WMEM_MAX;
}

static int net_core_net_init(struct net *net)
{
	struct tn_stack *st = net->stack;
	struct ctl_table_header *h;

	net_core_sock_defaults(net);
	h = register_net_sysctl(net, "net/core", net_core_ns_table,
				ARRAY_SIZE(net_core_ns_table), net);
	if (!h)
		return -ENOMEM;
	/* The first namespace of a stack is its initial namespace. */
	if (!st->init_net &&
	    !register_net_sysctl(net, "net/core", net_core_stack_table,
				 ARRAY_SIZE(net_core_stack_table), &st->sysctl)) {
		unregister_net_sysctl_table(h);
		return -ENOMEM;
	}
	return 0;
}

static void net_core_net_exit(struct net *net)
{
	struct ctl_table_header *h, *tmp;

	list_for_each_entry_safe(h, tmp, &net->sysctls, list)
		if (h->table == net_core_ns_table || h->table == net_core_stack_table)
			unregister_net_sysctl_table(h);
}

const struct tn_subsystem net_core_subsys = {
	.name = "net_core",
	.net_init = net_core_net_init,
	.net_exit = net_core_net_exit,
};
