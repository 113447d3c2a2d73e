/*
 * The stack core: softirq dispatch, virtual time, namespaces, the sysctl
 * registry and its unit conversions, and deterministic randomness.
 */
#include <errno.h>
#include <stdio.h>
#include "tn_test.h"
#include "net/sysctl.h"
#include "tuxnet/tuxnet.h"

struct fired {
	struct timer_list t;
	struct tn_stack *st;
	u64 at_ns[8];
	int n;
	int rearm;       /* re-arm this many more times, 100 ms apart */
};

static void fired_fn(struct timer_list *t)
{
	struct fired *f = from_timer(f, t, t);
	f->at_ns[f->n++] = tn_now(f->st);
	if (f->rearm-- > 0)
		tn_mod_timer(f->st, &f->t, jiffies(f->st) + 100);
}

static void virtual_time_jumps_to_each_timer(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct fired f = { .st = st, .rearm = 2 };

	timer_setup(&f.t, fired_fn);
	tn_mod_timer(st, &f.t, jiffies(st) + 200);
	assert_int_equal(__tn_stack_next_deadline(st), tn_now(st) + 200 * TN_NSEC_PER_JIFFY);
	tn_test_run(st, 10000);
	assert_int_equal(f.n, 3);
	assert_int_equal(f.at_ns[0], 200 * TN_NSEC_PER_JIFFY);
	assert_int_equal(f.at_ns[1], 300 * TN_NSEC_PER_JIFFY);
	assert_int_equal(f.at_ns[2], 400 * TN_NSEC_PER_JIFFY);
	assert_int_equal(tn_now(st), 10000 * TN_NSEC_PER_JIFFY);
	assert_false(timer_pending(&f.t));
	/* What is left are the stack's own periodic timers (neighbour gc). */
	assert_true(__tn_stack_next_deadline(st) > tn_now(st));
	tn_test_stack_free(st);
}

static void virtual_time_timer_past_horizon_waits(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct fired f = { .st = st };

	timer_setup(&f.t, fired_fn);
	tn_mod_timer(st, &f.t, jiffies(st) + 5000);
	tn_test_run(st, 4999);
	assert_int_equal(f.n, 0);
	tn_test_run(st, 1);
	assert_int_equal(f.n, 1);
	tn_test_stack_free(st);
}

static void softirq_pending_makes_deadline_now(void **state)
{
	struct tn_stack *st = tn_test_stack_new();

	tn_test_run(st, 5);
	raise_softirq(st, NET_TX_SOFTIRQ);
	assert_int_equal(__tn_stack_next_deadline(st), tn_now(st));
	assert_true(do_softirq(st));
	assert_int_equal(st->softirq_pending, 0);
	assert_false(do_softirq(st));
	assert_true(st->acct.softirqs[NET_TX_SOFTIRQ] >= 1);
	tn_test_stack_free(st);
}

static void prandom_same_seed_same_sequence(void **state)
{
	struct tn_stack *a = tn_stack_alloc(true, 42), *b = tn_stack_alloc(true, 42);
	struct tn_stack *c = tn_stack_alloc(true, 43);
	bool differs = false;

	for (int i = 0; i < 100; i++) {
		u64 x = tn_prandom_u64(a);
		assert_int_equal(x, tn_prandom_u64(b));
		differs |= x != tn_prandom_u64(c);
		assert_true(tn_prandom_below(a, 7) < 7);
		tn_prandom_below(b, 7);
	}
	assert_true(differs);
	assert_int_equal(tn_stack_free(a), 0);
	assert_int_equal(tn_stack_free(b), 0);
	assert_int_equal(tn_stack_free(c), 0);
}

static void netns_create_duplicate_eexist(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	int err = 0;
	struct net *a = net_create(st, "blue", &err);

	assert_non_null(a);
	assert_null(net_create(st, "blue", &err));
	assert_int_equal(err, -EEXIST);
	assert_ptr_equal(net_get_by_name(st, "blue"), a);
	assert_true(a->ns_id != st->init_net->ns_id);
	net_destroy(a);
	assert_null(net_get_by_name(st, "blue"));
	/* The name is free again. */
	a = net_create(st, "blue", &err);
	assert_non_null(a);
	net_destroy(a);
	tn_test_stack_free(st);
}

static void netns_fault_injected_enomem(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	int err = 0;

	tn_fault_set(st, TN_FAULT_GENERIC, 1, 1);
	assert_null(net_create(st, "red", &err));
	assert_int_equal(err, -ENOMEM);
	assert_null(net_get_by_name(st, "red"));
	tn_test_stack_free(st);
}

static void sysctl_core_read_write_range(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	char buf[64];
	int err = 0;

	assert_int_equal(tn_sysctl_read(st->init_net, "net.core.netdev_max_backlog", buf, sizeof buf), 0);
	assert_string_equal(buf, "1000");
	assert_int_equal(tn_sysctl_write(st->init_net, "net.core.netdev_max_backlog", "16"), 0);
	assert_int_equal(st->sysctl.netdev_max_backlog, 16);
	assert_int_equal(tn_sysctl_write(st->init_net, "net/core/dev_weight", "0"), -EINVAL);
	assert_int_equal(tn_sysctl_write(st->init_net, "net.core.dev_weight", "12x"), -EINVAL);
	assert_int_equal(tn_sysctl_write(st->init_net, "net.core.dev_weight", ""), -EINVAL);
	assert_int_equal(tn_sysctl_write(st->init_net, "net.core.nosuch", "1"), -ENOENT);
	assert_int_equal(tn_sysctl_read(st->init_net, "net.core", buf, sizeof buf), -ENOENT);
	/* Stack-wide knobs are not visible from a child namespace, as on Linux;
	 * per-namespace ones are, with their own value. */
	struct net *child = net_create(st, "child", &err);
	assert_int_equal(tn_sysctl_read(child, "net.core.netdev_max_backlog", buf, sizeof buf), -ENOENT);
	assert_int_equal(tn_sysctl_write(child, "net.core.somaxconn", "128"), 0);
	assert_int_equal(tn_sysctl_read(st->init_net, "net.core.somaxconn", buf, sizeof buf), 0);
	assert_string_equal(buf, "4096");
	net_destroy(child);
	tn_test_stack_free(st);
}

struct unit_fields {
	int secs, ms, userhz, pair[2], ro;
};

static const struct ctl_table unit_table[] = {
	{ "secs", offsetof(struct unit_fields, secs), proc_dointvec_jiffies, 0, 0, 0644 },
	{ "ms", offsetof(struct unit_fields, ms), proc_dointvec_ms_jiffies, 0, 0, 0644 },
	{ "userhz", offsetof(struct unit_fields, userhz), proc_dointvec_userhz_jiffies, 0, 0, 0644 },
	{ "pair", offsetof(struct unit_fields, pair), proc_dointvec_pair, 1, 65535, 0644 },
	{ "ro", offsetof(struct unit_fields, ro), proc_dointvec, 0, 0, 0444 },
};

static void sysctl_units_convert_to_jiffies(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct unit_fields f = { 0 };
	struct ctl_table_header *h =
		register_net_sysctl(st->init_net, "net/test", unit_table, ARRAY_SIZE(unit_table), &f);
	char buf[64];

	assert_int_equal(tn_sysctl_write(st->init_net, "net.test.secs", "30"), 0);
	assert_int_equal(f.secs, 30000);
	assert_int_equal(tn_sysctl_write(st->init_net, "net.test.ms", "250"), 0);
	assert_int_equal(f.ms, 250);
	assert_int_equal(tn_sysctl_write(st->init_net, "net.test.userhz", "100"), 0);
	assert_int_equal(f.userhz, 1000);
	tn_sysctl_read(st->init_net, "net.test.userhz", buf, sizeof buf);
	assert_string_equal(buf, "100");
	assert_int_equal(tn_sysctl_write(st->init_net, "net.test.pair", "32768 60999"), 0);
	tn_sysctl_read(st->init_net, "net.test.pair", buf, sizeof buf);
	assert_string_equal(buf, "32768\t60999");
	assert_int_equal(tn_sysctl_write(st->init_net, "net.test.pair", "9 8"), -EINVAL);
	assert_int_equal(tn_sysctl_write(st->init_net, "net.test.pair", "0 8"), -EINVAL);
	assert_int_equal(tn_sysctl_write(st->init_net, "net.test.secs", "99999999999"), -EINVAL);
	assert_int_equal(tn_sysctl_write(st->init_net, "net.test.ro", "1"), -EPERM);
	unregister_net_sysctl_table(h);
	assert_int_equal(tn_sysctl_read(st->init_net, "net.test.ms", buf, sizeof buf), -ENOENT);
	tn_test_stack_free(st);
}

static void count_keys(const char *key, const char *value, void *arg)
{
	static char last[160];
	int *n = arg;
	if (*n)
		assert_true(strcmp(last, key) < 0);
	snprintf(last, sizeof last, "%s", key);
	assert_non_null(value);
	(*n)++;
}

static void sysctl_walk_sorted(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	int n = 0;

	tn_sysctl_walk(st->init_net, count_keys, &n);
	assert_true(n >= 5);
	tn_test_stack_free(st);
}

static void public_create_poll_destroy(void **state)
{
	struct tn_stack_config cfg = { .virtual_time = 1, .seed = 7 };
	struct tn_stack *st = tn_stack_create(&cfg);

	assert_non_null(st);
	assert_int_equal(tn_stack_now(st), 0);
	tn_stack_advance(st, 1500000);
	assert_int_equal(tn_stack_now(st), 1500000);
	tn_stack_poll(st);
	assert_non_null(tn_version());
	tn_stack_destroy(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(virtual_time_jumps_to_each_timer),
		cmocka_unit_test(virtual_time_timer_past_horizon_waits),
		cmocka_unit_test(softirq_pending_makes_deadline_now),
		cmocka_unit_test(prandom_same_seed_same_sequence),
		cmocka_unit_test(netns_create_duplicate_eexist),
		cmocka_unit_test(netns_fault_injected_enomem),
		cmocka_unit_test(sysctl_core_read_write_range),
		cmocka_unit_test(sysctl_units_convert_to_jiffies),
		cmocka_unit_test(sysctl_walk_sorted),
		cmocka_unit_test(public_create_poll_destroy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
