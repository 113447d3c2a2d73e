/*
 * Netfilter hook points (Linux's net/netfilter/core.c): per namespace, per
 * family and hook, a list of nf_hook_ops sorted by priority. NF_HOOK() runs
 * them in order; if all accept, okfn continues the packet's path (the
 * `_finish` functions: ip_rcv_finish, ip_local_deliver_finish, ...). A hook
 * may drop (counted), steal or accept. The iptables tables come later and
 * register here like any other hook.
 */
#ifndef TN_NET_NETFILTER_H
#define TN_NET_NETFILTER_H

#include "net/compiler.h"

struct net;
struct sock;
struct sk_buff;
struct net_device;

enum nf_inet_hooks {
	NF_INET_PRE_ROUTING,
	NF_INET_LOCAL_IN,
	NF_INET_FORWARD,
	NF_INET_LOCAL_OUT,
	NF_INET_POST_ROUTING,
	NF_INET_NUMHOOKS
};

/* Verdicts, Linux's values. */
#define NF_DROP 0
#define NF_ACCEPT 1
#define NF_STOLEN 2
#define NF_QUEUE 3
#define NF_REPEAT 4
/* A verdict may carry an errno for NF_DROP in its upper bits (Linux's
 * NF_DROP_ERR); NF_HOOK returns it instead of -EPERM. */
#define NF_VERDICT_MASK 0x000000ff
#define NF_VERDICT_BITS 16
#define NF_DROP_ERR(x) (((-(x)) << NF_VERDICT_BITS) | NF_DROP)
#define NF_DROP_GETERR(verdict) (-((int)((unsigned int)(verdict) >> NF_VERDICT_BITS)))

/* Priorities, Linux's enum nf_ip_hook_priorities (a few). */
enum {
	NF_IP_PRI_FIRST = -2147483647 - 1,
	NF_IP_PRI_RAW = -300,
	NF_IP_PRI_CONNTRACK = -200,
	NF_IP_PRI_MANGLE = -150,
	NF_IP_PRI_NAT_DST = -100,
	NF_IP_PRI_FILTER = 0,
	NF_IP_PRI_SECURITY = 50,
	NF_IP_PRI_NAT_SRC = 100,
	NF_IP_PRI_LAST = 2147483647,
};

#define NFPROTO_IPV4 2
#define NFPROTO_IPV6 10
#define NFPROTO_NUMPROTO 13

struct nf_hook_state {
	u8 hook;
	u8 pf;
	struct net_device *in;
	struct net_device *out;
	struct sock *sk;
	struct net *net;
	int (*okfn)(struct net *, struct sock *, struct sk_buff *);
};

typedef unsigned int nf_hookfn(void *priv, struct sk_buff *skb, const struct nf_hook_state *state);

struct nf_hook_ops {
	nf_hookfn *hook;
	void *priv;
	u8 pf;
	unsigned int hooknum;
	int priority;
	struct nf_hook_ops *next;   /* in the namespace's sorted chain */
};

int nf_register_net_hook(struct net *net, struct nf_hook_ops *ops);
void nf_unregister_net_hook(struct net *net, struct nf_hook_ops *ops);

/* Run the hooks; returns 1 if okfn should be called by the caller (every
 * hook accepted), else the packet was dropped (counted) or stolen and the
 * return is 0 or -EPERM. */
int nf_hook(u8 pf, unsigned int hook, struct net *net, struct sock *sk, struct sk_buff *skb,
	    struct net_device *in, struct net_device *out,
	    int (*okfn)(struct net *, struct sock *, struct sk_buff *));

static inline int NF_HOOK(u8 pf, unsigned int hook, struct net *net, struct sock *sk,
			  struct sk_buff *skb, struct net_device *in, struct net_device *out,
			  int (*okfn)(struct net *, struct sock *, struct sk_buff *))
{
	int ret = nf_hook(pf, hook, net, sk, skb, in, out, okfn);
	if (ret == 1)
		ret = okfn(net, sk, skb);
	return ret;
}

/* Like NF_HOOK, but only when cond (Linux's NF_HOOK_COND for POSTROUTING
 * of rerouted packets). */
static inline int NF_HOOK_COND(u8 pf, unsigned int hook, struct net *net, struct sock *sk,
			       struct sk_buff *skb, struct net_device *in,
			       struct net_device *out,
			       int (*okfn)(struct net *, struct sock *, struct sk_buff *),
			       bool cond)
{
	int ret = 1;
	if (cond)
		ret = nf_hook(pf, hook, net, sk, skb, in, out, okfn);
	if (ret == 1)
		ret = okfn(net, sk, skb);
	return ret;
}

#endif
