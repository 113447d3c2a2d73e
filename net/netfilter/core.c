/*
 * Netfilter's core (Linux's net/netfilter/core.c): per namespace and hook
 * point, a chain of nf_hook_ops sorted by priority, and nf_hook(), which
 * runs a packet through the chain. This is the machinery only: iptables
 * tables, conntrack and NAT come later and register here like any other
 * hook. An empty chain costs one pointer test, so the packet path pays
 * nothing until somebody hooks in.
 *
 * Only NFPROTO_IPV4 has chains so far; struct netns_nf grows a family when
 * IPv6 arrives.
 */
#include <errno.h>

#include "net/netfilter.h"
#include "net/net_namespace.h"
#include "net/skbuff.h"

static struct nf_hook_ops **nf_hook_chain(struct net *net, u8 pf, unsigned int hooknum)
{
	if (pf != NFPROTO_IPV4 || hooknum >= NF_INET_NUMHOOKS)
		return NULL;
	return &net->nf.hooks_ipv4[hooknum];
}

/*
 * Insert after every hook of lower or equal priority: hooks of one
 * priority run in registration order, as Linux's nf_hook_entries_grow
 * places them.
 */
int nf_register_net_hook(struct net *net, struct nf_hook_ops *ops)
{
	struct nf_hook_ops **pp = nf_hook_chain(net, ops->pf, ops->hooknum);

	if (!pp || !ops->hook)
		return -EINVAL;
	for (struct nf_hook_ops *p = *pp; p; p = p->next)
		if (p == ops)
			return -EEXIST;
	while (*pp && (*pp)->priority <= ops->priority)
		pp = &(*pp)->next;
	ops->next = *pp;
	*pp = ops;
	return 0;
}

void nf_unregister_net_hook(struct net *net, struct nf_hook_ops *ops)
{
	struct nf_hook_ops **pp = nf_hook_chain(net, ops->pf, ops->hooknum);

	if (!pp)
		return;
	for (; *pp; pp = &(*pp)->next) {
		if (*pp == ops) {
			*pp = ops->next;
			ops->next = NULL;
			return;
		}
	}
}

/*
 * Linux's nf_hook_slow. ACCEPT moves to the next hook; DROP frees the
 * packet under NETFILTER_DROP and returns the errno the verdict carries
 * (-EPERM by default, which is what a sender blocked by OUTPUT sees);
 * STOLEN means the hook took the packet over. There is no queue handler
 * (nfnetlink_queue), so NF_QUEUE drops as Linux does when nobody listens
 * on the queue. NF_REPEAT calls the same hook again.
 */
static int nf_hook_slow(struct sk_buff *skb, const struct nf_hook_state *state,
			struct nf_hook_ops *ops)
{
	while (ops) {
		unsigned int verdict = ops->hook(ops->priv, skb, state);
		int ret;

		switch (verdict & NF_VERDICT_MASK) {
		case NF_ACCEPT:
			ops = ops->next;
			break;
		case NF_DROP:
			kfree_skb_reason(skb, SKB_DROP_REASON_NETFILTER_DROP);
			ret = NF_DROP_GETERR(verdict);
			return ret ? ret : -EPERM;
		case NF_STOLEN:
			return 0;
		case NF_REPEAT:
			break;
		case NF_QUEUE:
		default:
			kfree_skb_reason(skb, SKB_DROP_REASON_NETFILTER_DROP);
			return 0;
		}
	}
	return 1;
}

int nf_hook(u8 pf, unsigned int hook, struct net *net, struct sock *sk, struct sk_buff *skb,
	    struct net_device *in, struct net_device *out,
	    int (*okfn)(struct net *, struct sock *, struct sk_buff *))
{
	struct nf_hook_ops **chain = nf_hook_chain(net, pf, hook);
	struct nf_hook_state state;

	if (!chain || !*chain)
		return 1;
	state = (struct nf_hook_state){
		.hook = (u8)hook, .pf = pf, .in = in, .out = out, .sk = sk, .net = net, .okfn = okfn,
	};
	return nf_hook_slow(skb, &state, *chain);
}
