/*
 * Network namespaces: creation runs every subsystem's net_init in the order
 * of tn_subsystems[] (unwinding on failure), destruction runs their net_exit
 * in reverse. A namespace is freed when its last reference goes; until then
 * a dying namespace is out of the stack's list and owns no devices.
 */
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>

#include "net/net_namespace.h"
#include "net/stack.h"
#include "net/sysctl.h"

static void net_defaults(struct net *net)
{
	net->core.sysctl_somaxconn = 4096;
	net->ipv4.sysctl_ip_default_ttl = 64;
	net->ipv4.sysctl_ip_forward = 0;
}

static void net_exit_from(struct net *net, unsigned int n)
{
	while (n-- > 0) {
		const struct tn_subsystem *s = tn_subsystems[n];
		if (s && s->net_exit)
			s->net_exit(net);
	}
}

static int net_init_all(struct net *net)
{
	for (unsigned int i = 0; i < tn_subsystems_count; i++) {
		const struct tn_subsystem *s = tn_subsystems[i];
		if (!s || !s->net_init)
			continue;
		int err = s->net_init(net);
		if (err) {
			net_exit_from(net, i);
			return err;
		}
	}
	return 0;
}

struct net *net_create(struct tn_stack *st, const char *name, int *err)
{
	struct net *net;

	if (name && strlen(name) >= sizeof(net->name)) {
		*err = -ENAMETOOLONG;
		return NULL;
	}
	if (name && *name && net_get_by_name(st, name)) {
		*err = -EEXIST;
		return NULL;
	}
	net = calloc(1, sizeof(*net));
	if (!net || tn_should_fail(st, TN_FAULT_GENERIC)) {
		free(net);
		*err = -ENOMEM;
		return NULL;
	}
	net->stack = st;
	snprintf(net->name, sizeof(net->name), "%s", name ? name : "");
	net->ns_id = st->next_ns_id++;
	net->refcnt = 1;
	INIT_LIST_HEAD(&net->list);
	INIT_LIST_HEAD(&net->dev_base_head);
	INIT_LIST_HEAD(&net->sysctls);
	net_defaults(net);

	*err = net_init_all(net);
	if (*err) {
		free(net);
		return NULL;
	}
	list_add_tail(&net->list, &st->net_list);
	return net;
}

static void net_free(struct net *net)
{
	/* Subsystems unregister their own sysctl tables; anything left is a
	 * bug, but free it rather than leak. */
	struct ctl_table_header *h, *tmp;
	list_for_each_entry_safe(h, tmp, &net->sysctls, list)
		unregister_net_sysctl_table(h);
	free(net);
}

void net_destroy(struct net *net)
{
	if (net->dying)
		return;
	net->dying = true;
	list_del_init(&net->list);
	net_exit_from(net, tn_subsystems_count);
	put_net(net);
}

void put_net(struct net *net)
{
	if (--net->refcnt == 0)
		net_free(net);
}

struct net *net_get_by_name(struct tn_stack *st, const char *name)
{
	struct net *net;

	list_for_each_entry(net, &st->net_list, list)
		if (net->name[0] && strcmp(net->name, name) == 0)
			return net;
	return NULL;
}
