/*
 * struct net: one network namespace. Everything a namespace owns hangs off it
 * (devices, addresses, neighbour and routing tables, counters, sysctls), so
 * namespaces in one stack share nothing but the stack's lock, clock and
 * caches. Subsystems initialise and tear down their part through
 * pernet_operations, run in the order of the table in net_namespace.c on
 * creation and in reverse on destruction.
 */
#ifndef TN_NET_NET_NAMESPACE_H
#define TN_NET_NET_NAMESPACE_H

#include "net/compiler.h"
#include "net/snmp.h"
#include "net/dropreason.h"
#include "lib/list.h"

struct tn_stack;
struct net_device;
struct neigh_table;
struct ipv4_devconf;
struct in_ifaddr;
struct fib_table;
struct fib_info;
struct ipq_base;
struct inet_peer_base;
struct nf_hook_ops;
struct icmp_echo_listener;
struct tcp_net;
struct ip_ident_bucket;
struct rt_net;
struct udp_table;
struct ping_table;

#define NETDEV_HASHBITS 8
#define NETDEV_HASHENTRIES (1 << NETDEV_HASHBITS)
#define IN4_ADDR_HSIZE_SHIFT 8
#define IN4_ADDR_HSIZE (1 << IN4_ADDR_HSIZE_SHIFT)

struct netns_core {
	int sysctl_somaxconn;
	/* Socket buffer limits (net.core.[rw]mem_{default,max}): global on
	 * Linux, per namespace here so that worlds in one process differ. */
	int sysctl_rmem_default;
	int sysctl_wmem_default;
	int sysctl_rmem_max;
	int sysctl_wmem_max;
	u64 drops[SKB_DROP_REASON_MAX];   /* every kfree_skb_reason, by reason */
};

struct netns_ipv4 {
	struct ipv4_devconf *devconf_all;   /* net.ipv4.conf.all */
	struct ipv4_devconf *devconf_dflt;  /* net.ipv4.conf.default: copied to new devices */
	struct neigh_table *arp_tbl;
	struct hlist_head inet_addr_lst[IN4_ADDR_HSIZE];  /* local addresses, by address */
	/* Routing (ip_fib.h, route.h). */
	struct fib_table *fib_local;
	struct fib_table *fib_main;
	struct list_head fib_tables;          /* every table, by id */
	struct list_head fib_info_list;
	u64 rt_genid;                         /* bumped to invalidate cached routes */
	struct rt_net *rt;                    /* route.c: input routes with no next hop */
	struct ipq_base *frags;               /* reassembly queues (ip_fragment.c) */
	struct inet_peer_base *peers;         /* per-destination state: ICMP rate, IP IDs */
	struct icmp_echo_listener *echo_listeners;
	u64 icmp_global_credit_ts;            /* icmp_msgs_per_sec token bucket: last refill */
	int icmp_global_credit;               /* may go below 0 (icmp_global_consume) */
	u32 ip_id_seed;                      /* secret of the IP ID hash */
	struct ip_ident_bucket *ip_idents;    /* IP ID generators (ip_output.c) */
	struct udp_table *udp_table;          /* UDP sockets by port and address (udp.c) */
	struct ping_table *ping_table;        /* ping sockets by identifier (ping_sock.c) */

	struct tcp_net *tcp;                  /* TCP state and sysctls (net/tcp.h) */

	/* net.ipv4.* sysctls, Linux's names and defaults. */
	int sysctl_ip_default_ttl;            /* 64 */
	int sysctl_ip_forward;                /* 0 */
	int sysctl_ip_no_pmtu_disc;           /* 0 */
	int sysctl_ip_fwd_use_pmtu;           /* 0 */
	int sysctl_ip_nonlocal_bind;          /* 0 */
	int sysctl_ip_local_port_range[2];    /* 32768 60999 */
	int sysctl_icmp_echo_ignore_all;      /* 0 */
	int sysctl_icmp_echo_ignore_broadcasts; /* 1 */
	int sysctl_icmp_ignore_bogus_error_responses; /* 1 */
	int sysctl_icmp_ratelimit;            /* 1000 (ms) */
	int sysctl_icmp_ratemask;             /* 0x1818 */
	int sysctl_icmp_msgs_per_sec;         /* 1000 */
	int sysctl_icmp_msgs_burst;           /* 50 */
	int sysctl_icmp_errors_use_inbound_ifaddr; /* 0 */
	int sysctl_ipfrag_high_thresh;        /* 4 MiB */
	int sysctl_ipfrag_low_thresh;         /* 3 MiB */
	int sysctl_ipfrag_time;               /* 30 s (kept in jiffies) */
	int sysctl_ipfrag_max_dist;           /* 64 */
	int sysctl_route_mtu_expires;         /* 600 s (jiffies) */
	int sysctl_route_min_pmtu;            /* 552 */
	int sysctl_ping_group_range[2];       /* 0 2147483647 (Linux: 1 0), ping_sock.c */
};

/* Netfilter hook chains of a namespace, sorted by priority. */
struct netns_nf {
	struct nf_hook_ops *hooks_ipv4[5];    /* NF_INET_NUMHOOKS */
};

struct net {
	struct tn_stack *stack;
	struct list_head list;          /* on stack->net_list */
	char name[64];                  /* `ip netns` name; "" for the initial namespace */
	unsigned int ns_id;             /* unique in the stack, never reused */
	int refcnt;                     /* get_net/put_net: sockets and devices in transit */
	bool dying;

	int ifindex;                    /* last ifindex handed out */
	unsigned int dev_count;
	struct list_head dev_base_head;
	struct hlist_head dev_name_head[NETDEV_HASHENTRIES];
	struct hlist_head dev_index_head[NETDEV_HASHENTRIES];
	struct net_device *loopback_dev;

	struct list_head sysctls;       /* ctl_table_header list */
	struct netns_core core;
	struct netns_ipv4 ipv4;
	struct netns_nf nf;
	struct netns_mib mib;
};

/*
 * A subsystem of the stack: set-up once per stack (packet types, notifiers,
 * qdisc kinds) and per namespace (its part of struct net). The ordered table
 * tn_subsystems[] in net/core/subsys.c is the table of contents of the stack:
 * init runs top to bottom, exit bottom to top.
 */
struct tn_subsystem {
	const char *name;
	int (*init)(struct tn_stack *st);
	void (*exit)(struct tn_stack *st);
	int (*net_init)(struct net *net);
	void (*net_exit)(struct net *net);
};
extern const struct tn_subsystem *const tn_subsystems[];
extern const unsigned int tn_subsystems_count;

/* Create a namespace with every subsystem initialised and its own lo (down,
 * as in a new Linux namespace). NULL with errno-style code in *err. */
struct net *net_create(struct tn_stack *st, const char *name, int *err);
/* Tear down: virtual devices are destroyed, others return to the initial
 * namespace, then every subsystem's exit runs. Frees the net when no
 * references are left. */
void net_destroy(struct net *net);
struct net *net_get_by_name(struct tn_stack *st, const char *name);
static inline struct net *get_net(struct net *net) { net->refcnt++; return net; }
void put_net(struct net *net);

#endif
