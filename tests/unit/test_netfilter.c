/*
 * Netfilter's core: hooks run in priority order (registration order
 * within one priority), ACCEPT continues to okfn, DROP frees the packet
 * under NETFILTER_DROP and returns -EPERM (or the errno the verdict
 * carries), STOLEN leaves the packet to the hook; and, through ip_rcv,
 * a PREROUTING drop and a LOCAL_IN accept on a real datagram.
 */
#include "tn_ipv4.h"

#include "net/netfilter.h"

struct hook_log {
	int order[8];
	int n;
	int okfn_calls;
	struct sk_buff *stolen;
};

static struct hook_log hook_log;

static unsigned int hook_record(void *priv, struct sk_buff *skb, const struct nf_hook_state *s)
{
	(void)skb;
	(void)s;
	hook_log.order[hook_log.n++] = (int)(intptr_t)priv;
	return NF_ACCEPT;
}

static unsigned int hook_drop(void *priv, struct sk_buff *skb, const struct nf_hook_state *s)
{
	hook_record(priv, skb, s);
	return NF_DROP;
}

static unsigned int hook_drop_err(void *priv, struct sk_buff *skb, const struct nf_hook_state *s)
{
	hook_record(priv, skb, s);
	return NF_DROP_ERR(-EHOSTUNREACH);
}

static unsigned int hook_steal(void *priv, struct sk_buff *skb, const struct nf_hook_state *s)
{
	hook_record(priv, skb, s);
	hook_log.stolen = skb;
	return NF_STOLEN;
}

static int okfn(struct net *net, struct sock *sk, struct sk_buff *skb)
{
	(void)net;
	(void)sk;
	hook_log.okfn_calls++;
	consume_skb(skb);
	return 0;
}

#define OPS(fn, hk, prio) \
	{ .hook = fn, .priv = (void *)(intptr_t)(prio), .pf = NFPROTO_IPV4, \
	  .hooknum = hk, .priority = prio }

static int run_hook(struct tn_stack *st, unsigned int hook)
{
	struct sk_buff *skb = alloc_skb(st, 64);

	assert_non_null(skb);
	return NF_HOOK(NFPROTO_IPV4, hook, st->init_net, NULL, skb, NULL, NULL, okfn);
}

static void test_hooks_registered_out_of_order_then_run_by_priority(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct nf_hook_ops a = OPS(hook_record, NF_INET_LOCAL_IN, 100);
	struct nf_hook_ops b = OPS(hook_record, NF_INET_LOCAL_IN, -150);
	struct nf_hook_ops c = OPS(hook_record, NF_INET_LOCAL_IN, 0);
	struct nf_hook_ops d = OPS(hook_record, NF_INET_LOCAL_IN, 0);

	(void)state;
	memset(&hook_log, 0, sizeof(hook_log));
	d.priv = (void *)(intptr_t)1;   /* same priority as c, registered after */
	assert_int_equal(nf_register_net_hook(st->init_net, &a), 0);
	assert_int_equal(nf_register_net_hook(st->init_net, &b), 0);
	assert_int_equal(nf_register_net_hook(st->init_net, &c), 0);
	assert_int_equal(nf_register_net_hook(st->init_net, &d), 0);
	assert_int_equal(nf_register_net_hook(st->init_net, &d), -EEXIST);

	assert_int_equal(run_hook(st, NF_INET_LOCAL_IN), 0);
	assert_int_equal(hook_log.n, 4);
	assert_int_equal(hook_log.order[0], -150);
	assert_int_equal(hook_log.order[1], 0);
	assert_int_equal(hook_log.order[2], 1);
	assert_int_equal(hook_log.order[3], 100);
	assert_int_equal(hook_log.okfn_calls, 1);

	/* Other hook points are untouched. */
	hook_log.n = 0;
	assert_int_equal(run_hook(st, NF_INET_FORWARD), 0);
	assert_int_equal(hook_log.n, 0);
	assert_int_equal(hook_log.okfn_calls, 2);

	nf_unregister_net_hook(st->init_net, &c);
	hook_log.n = 0;
	run_hook(st, NF_INET_LOCAL_IN);
	assert_int_equal(hook_log.n, 3);
	nf_unregister_net_hook(st->init_net, &a);
	nf_unregister_net_hook(st->init_net, &b);
	nf_unregister_net_hook(st->init_net, &d);
	tn_test_stack_free(st);
}

static void test_drop_hook_then_counted_eperm_and_later_hooks_skipped(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct nf_hook_ops first = OPS(hook_record, NF_INET_LOCAL_OUT, -10);
	struct nf_hook_ops drop = OPS(hook_drop, NF_INET_LOCAL_OUT, 0);
	struct nf_hook_ops after = OPS(hook_record, NF_INET_LOCAL_OUT, 10);
	u64 before = st->init_net->core.drops[SKB_DROP_REASON_NETFILTER_DROP];

	(void)state;
	memset(&hook_log, 0, sizeof(hook_log));
	nf_register_net_hook(st->init_net, &after);
	nf_register_net_hook(st->init_net, &drop);
	nf_register_net_hook(st->init_net, &first);
	assert_int_equal(run_hook(st, NF_INET_LOCAL_OUT), -EPERM);
	assert_int_equal(hook_log.n, 2);
	assert_int_equal(hook_log.okfn_calls, 0);
	assert_int_equal(st->init_net->core.drops[SKB_DROP_REASON_NETFILTER_DROP], before + 1);

	/* A verdict may carry its own errno. */
	drop.hook = hook_drop_err;
	assert_int_equal(run_hook(st, NF_INET_LOCAL_OUT), -EHOSTUNREACH);
	assert_int_equal(st->init_net->core.drops[SKB_DROP_REASON_NETFILTER_DROP], before + 2);
	nf_unregister_net_hook(st->init_net, &first);
	nf_unregister_net_hook(st->init_net, &drop);
	nf_unregister_net_hook(st->init_net, &after);
	tn_test_stack_free(st);
}

static void test_steal_hook_then_okfn_not_called_and_hook_owns_skb(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct nf_hook_ops steal = OPS(hook_steal, NF_INET_POST_ROUTING, 0);
	struct nf_hook_ops after = OPS(hook_record, NF_INET_POST_ROUTING, 10);

	(void)state;
	memset(&hook_log, 0, sizeof(hook_log));
	nf_register_net_hook(st->init_net, &steal);
	nf_register_net_hook(st->init_net, &after);
	assert_int_equal(run_hook(st, NF_INET_POST_ROUTING), 0);
	assert_int_equal(hook_log.okfn_calls, 0);
	assert_int_equal(hook_log.n, 1);
	assert_non_null(hook_log.stolen);
	consume_skb(hook_log.stolen);   /* the thief's to free */
	nf_unregister_net_hook(st->init_net, &steal);
	nf_unregister_net_hook(st->init_net, &after);
	tn_test_stack_free(st);
}

static void test_bad_registration_then_einval(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct nf_hook_ops bad_hook = OPS(hook_record, NF_INET_NUMHOOKS, 0);
	struct nf_hook_ops bad_pf = OPS(hook_record, NF_INET_LOCAL_IN, 0);

	(void)state;
	bad_pf.pf = NFPROTO_IPV6;
	assert_int_equal(nf_register_net_hook(st->init_net, &bad_hook), -EINVAL);
	assert_int_equal(nf_register_net_hook(st->init_net, &bad_pf), -EINVAL);
	tn_test_stack_free(st);
}

static void test_prerouting_drop_then_datagram_never_delivered(void **state)
{
	struct ip_world w;
	struct nf_hook_ops drop = OPS(hook_drop, NF_INET_PRE_ROUTING, 0);
	struct ip_pkt p = good_pkt();

	(void)state;
	ip_world_init(&w, false);
	memset(&hook_log, 0, sizeof(hook_log));
	nf_register_net_hook(w.net, &drop);
	inject_pkt(&w, w.eth0, &p);
	assert_int_equal(test_rx_state.count, 0);
	assert_int_equal(drops(&w, SKB_DROP_REASON_NETFILTER_DROP), 1);
	assert_int_equal(ip_mib(&w, IPSTATS_MIB_INPKTS), 1);
	assert_int_equal(ip_mib(&w, IPSTATS_MIB_INDELIVERS), 0);
	nf_unregister_net_hook(w.net, &drop);
	inject_pkt(&w, w.eth0, &p);
	assert_int_equal(test_rx_state.count, 1);
	ip_world_free(&w);
}

static void test_local_in_accept_then_delivered_after_hook(void **state)
{
	struct ip_world w;
	struct nf_hook_ops rec = OPS(hook_record, NF_INET_LOCAL_IN, 0);
	struct ip_pkt p = good_pkt();

	(void)state;
	ip_world_init(&w, false);
	memset(&hook_log, 0, sizeof(hook_log));
	nf_register_net_hook(w.net, &rec);
	inject_pkt(&w, w.eth0, &p);
	assert_int_equal(hook_log.n, 1);
	assert_int_equal(test_rx_state.count, 1);
	assert_int_equal(ip_mib(&w, IPSTATS_MIB_INDELIVERS), 1);
	nf_unregister_net_hook(w.net, &rec);
	ip_world_free(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hooks_registered_out_of_order_then_run_by_priority),
		cmocka_unit_test(test_drop_hook_then_counted_eperm_and_later_hooks_skipped),
		cmocka_unit_test(test_steal_hook_then_okfn_not_called_and_hook_owns_skb),
		cmocka_unit_test(test_bad_registration_then_einval),
		cmocka_unit_test(test_prerouting_drop_then_datagram_never_delivered),
		cmocka_unit_test(test_local_in_accept_then_delivered_after_hook),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
