/*
 * The IPv4 family's set-up (Linux's inet_init and the per-namespace parts
 * of af_inet.c): per stack, ip_rcv registered for ETH_P_IP; per
 * namespace, the net.ipv4.* defaults and sysctls, the IP ID generators and
 * the constant rows of the TCP MIB (RFC 2012) that `nstat` shows.
 *
 * The transports (ICMP, UDP, TCP) register in the protocol table from
 * their own subsystems; socket families (inet_create, proto_ops) come with
 * the socket layer.
 */
#include <errno.h>
#include <stdlib.h>

#include "net/ip.h"
#include "net/net_namespace.h"
#include "net/netdevice.h"
#include "net/stack.h"

/* Linux's TCP_RTO_MIN and TCP_RTO_MAX in ms, for the Tcp MIB's constants. */
#define TCP_RTO_MIN_MS 200
#define TCP_RTO_MAX_MS 120000

static int inet_init(struct tn_stack *st)
{
	struct packet_type *pt = calloc(1, sizeof(*pt));

	if (!pt)
		return -ENOMEM;
	pt->type = ETH_P_IP;
	pt->func = ip_rcv;
	dev_add_pack(st, pt);
	return 0;
}

/* The stack's ip_rcv entry, found again in the packet type table. */
static struct packet_type *inet_find_pack(struct tn_stack *st)
{
	struct packet_type *pt;

	for (unsigned int i = 0; i < PTYPE_HASH_SIZE; i++)
		list_for_each_entry(pt, &st->ptype_base[i], list)
			if (pt->type == ETH_P_IP && pt->func == ip_rcv)
				return pt;
	return NULL;
}

static void inet_exit(struct tn_stack *st)
{
	struct packet_type *pt = inet_find_pack(st);

	if (!pt)
		return;
	dev_remove_pack(st, pt);
	free(pt);
}

/* Linux's tcp_mib_init: values that never change but are part of the MIB
 * (MaxConn -1: "dynamic", shown signed). */
static void tcp_mib_init(struct net *net)
{
	net->mib.tcp[TCP_MIB_RTOALGORITHM] = 1;   /* other(1): Van Jacobson's */
	net->mib.tcp[TCP_MIB_RTOMIN] = TCP_RTO_MIN_MS;
	net->mib.tcp[TCP_MIB_RTOMAX] = TCP_RTO_MAX_MS;
	net->mib.tcp[TCP_MIB_MAXCONN] = (u64)-1;
}

static int inet_net_init(struct net *net)
{
	int err;

	ipv4_net_defaults(net);
	tcp_mib_init(net);
	err = ip_idents_init(net);
	if (err)
		return err;
	err = ipv4_sysctl_register(net);
	if (err)
		goto out_idents;
	return 0;

out_idents:
	ip_idents_exit(net);
	return err;
}

static void inet_net_exit(struct net *net)
{
	ipv4_sysctl_unregister(net);
	ip_idents_exit(net);
}

const struct tn_subsystem inet_subsys = {
	.name = "inet",
	.init = inet_init,
	.exit = inet_exit,
	.net_init = inet_net_init,
	.net_exit = inet_net_exit,
};
