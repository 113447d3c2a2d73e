/*
 * The FIB: the trie against a brute-force longest-prefix reference, the
 * automatic routes that follow addresses (compared with what Linux 6.x's
 * `ip route show` prints), `ip route show` order, add/append/replace/
 * delete semantics, next-hop validation, and what device events do.
 */
#include "tn_test.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "net/skbuff.h"
#include "net/ip_fib.h"
#include "net/inetdevice.h"
#include "net/netdevice.h"
#include "net/testdev.h"

#define IP4(a, b, c, d) ((u32)(a) << 24 | (u32)(b) << 16 | (u32)(c) << 8 | (u32)(d))
#define ADD (NLM_F_CREATE | NLM_F_EXCL)

/* ---- `ip route show` text of a table, built from fib_table_walk --------- */

struct route_text {
	struct net *net;
	char buf[4096];
	size_t len;
};

static const char *const type_names[] = {
	[RTN_UNICAST] = "", [RTN_LOCAL] = "local ", [RTN_BROADCAST] = "broadcast ",
	[RTN_BLACKHOLE] = "blackhole ", [RTN_UNREACHABLE] = "unreachable ",
	[RTN_PROHIBIT] = "prohibit ",
};

static void put(struct route_text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct route_text *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	t->len += (size_t)vsnprintf(t->buf + t->len, sizeof(t->buf) - t->len, fmt, ap);
	va_end(ap);
}

static void put_addr(struct route_text *t, u32 a)
{
	put(t, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
}

/* iproute2's print_route, for the attributes the FIB has. */
static void route_to_text(const struct fib_route_info *ri, void *arg)
{
	struct route_text *t = arg;

	put(t, "%s", type_names[ri->type]);
	if (ri->dst_len == 0 && ri->type == RTN_UNICAST)
		put(t, "default");
	else
		put_addr(t, ri->dst);
	if (ri->dst_len != 32 && !(ri->dst_len == 0 && ri->type == RTN_UNICAST))
		put(t, "/%u", ri->dst_len);
	if (ri->tos)
		put(t, " tos 0x%x", ri->tos);
	if (ri->gw) {
		put(t, " via ");
		put_addr(t, ri->gw);
	}
	if (ri->oif)
		put(t, " dev %s", __dev_get_by_index(t->net, ri->oif)->name);
	if (ri->protocol == RTPROT_KERNEL)
		put(t, " proto kernel");
	if (ri->scope == RT_SCOPE_LINK)
		put(t, " scope link");
	else if (ri->scope == RT_SCOPE_HOST)
		put(t, " scope host");
	if (ri->prefsrc) {
		put(t, " src ");
		put_addr(t, ri->prefsrc);
	}
	if (ri->priority)
		put(t, " metric %u", ri->priority);
	if (ri->nh_flags & RTNH_F_ONLINK)
		put(t, " onlink");
	if ((ri->nh_flags & RTNH_F_LINKDOWN) && !(ri->nh_flags & RTNH_F_DEAD))
		put(t, " linkdown");
	put(t, "\n");
}

static const char *routes(struct net *net, u32 table)
{
	static struct route_text t;   /* test helper: one table's text at a time */

	t.net = net;
	t.len = 0;
	t.buf[0] = 0;
	fib_table_walk(net, table, route_to_text, &t);
	return t.buf;
}

static struct net_device *eth_up(struct net *net, const char *name, u32 addr, int plen)
{
	struct net_device *dev = testdev_create(net, name, true);

	assert_non_null(dev);
	if (addr)
		assert_int_equal(inet_addr_add(dev, addr, plen, inet_default_broadcast(addr, plen),
					       RT_SCOPE_UNIVERSE, NULL), 0);
	return dev;
}

static int route_add(struct net *net, u8 type, u32 dst, u8 len, u32 gw, struct net_device *dev,
		     u32 metric, u32 nlflags)
{
	struct fib_config cfg = {
		.fc_dst = dst, .fc_dst_len = len, .fc_type = type, .fc_gw4 = gw,
		.fc_oif = dev ? dev->ifindex : 0, .fc_priority = metric,
		.fc_scope = RT_SCOPE_NOWHERE, .fc_protocol = RTPROT_BOOT, .fc_nlflags = nlflags,
	};
	return fib_table_insert(net, &cfg);
}

static int route_del(struct net *net, u32 dst, u8 len, u32 gw, u32 metric)
{
	struct fib_config cfg = {
		.fc_dst = dst, .fc_dst_len = len, .fc_gw4 = gw, .fc_priority = metric,
		.fc_scope = RT_SCOPE_NOWHERE,
	};
	return fib_table_delete(net, &cfg);
}

/* ---- the trie against a reference ---------------------------------------- */

#define REF_MAX 3000
#define TEST_TABLE 100

struct ref_route {
	u32 key;
	u8 plen;
	u32 metric;
	bool alive;
};

static u32 test_rand(u64 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return (u32)(*s >> 16);
}

/* Random prefixes clustered so that they nest and share keys. */
static void random_prefix(u64 *s, u32 *key, u8 *plen)
{
	static const u8 lens[] = { 0, 1, 4, 8, 12, 16, 17, 20, 23, 24, 25, 28, 30, 31, 32 };
	u32 k = test_rand(s) & 0x0f0f00ffu;

	*plen = lens[test_rand(s) % ARRAY_SIZE(lens)];
	if (test_rand(s) % 3 == 0)
		*plen = (u8)(test_rand(s) % 33);
	*key = k & (*plen ? ~0u << (32 - *plen) : 0);
}

static int ref_find(const struct ref_route *r, int n, u32 key, u8 plen, u32 metric)
{
	for (int i = 0; i < n; i++)
		if (r[i].alive && r[i].key == key && r[i].plen == plen && r[i].metric == metric)
			return i;
	return -1;
}

/* Longest prefix, then the lowest metric: what the FIB must answer. */
static int ref_lookup(const struct ref_route *r, int n, u32 addr)
{
	int best = -1;

	for (int i = 0; i < n; i++) {
		u32 mask = r[i].plen ? ~0u << (32 - r[i].plen) : 0;

		if (!r[i].alive || ((addr ^ r[i].key) & mask))
			continue;
		if (best < 0 || r[i].plen > r[best].plen ||
		    (r[i].plen == r[best].plen && r[i].metric < r[best].metric))
			best = i;
	}
	return best;
}

static int table_route(struct net *net, struct net_device *dev, u32 key, u8 plen, u32 metric,
		       bool add)
{
	struct fib_config cfg = {
		.fc_table = TEST_TABLE, .fc_dst = key, .fc_dst_len = plen, .fc_type = RTN_UNICAST,
		.fc_scope = RT_SCOPE_LINK, .fc_oif = dev->ifindex, .fc_priority = metric,
		.fc_nlflags = ADD,
	};
	return add ? fib_table_insert(net, &cfg) : fib_table_delete(net, &cfg);
}

static void check_lookups(struct net *net, const struct ref_route *ref, int n, u64 *s, int count)
{
	struct fib_table *tb = fib_get_table(net, TEST_TABLE);

	for (int i = 0; i < count; i++) {
		u32 addr = (test_rand(s) & 0x0f0f00ffu) | (test_rand(s) % 4 == 0 ? test_rand(s) : 0);
		struct flowi4 fl4 = { .daddr = addr };
		struct fib_result res;
		int want = ref_lookup(ref, n, addr);
		int err = fib_table_lookup(tb, &fl4, &res, 0);

		if (want < 0) {
			assert_int_equal(err, -EAGAIN);
			continue;
		}
		assert_int_equal(err, 0);
		assert_int_equal(res.prefix, ref[want].key);
		assert_int_equal(res.prefixlen, ref[want].plen);
		assert_int_equal(res.fi->fib_priority, ref[want].metric);
	}
}

struct walk_check {
	const struct ref_route *ref;
	int n, seen;
	u32 last_key;
	int last_len;
	u32 last_metric;
};

/* Walk order: ascending key, longer first at one key, then metric. */
static void walk_checker(const struct fib_route_info *ri, void *arg)
{
	struct walk_check *w = arg;

	assert_true(ref_find(w->ref, w->n, ri->dst, ri->dst_len, ri->priority) >= 0);
	if (w->seen++) {
		assert_true(ri->dst >= w->last_key);
		if (ri->dst == w->last_key) {
			assert_true(ri->dst_len <= w->last_len);
			if (ri->dst_len == w->last_len)
				assert_true(ri->priority > w->last_metric);
		}
	}
	w->last_key = ri->dst;
	w->last_len = ri->dst_len;
	w->last_metric = ri->priority;
}

static void random_routes_match_brute_force_lpm(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net *net = st->init_net;
	struct net_device *dev = eth_up(net, "eth0", 0, 0);
	struct ref_route *ref = calloc(REF_MAX, sizeof(*ref));
	struct walk_check w = { .ref = ref };
	int n = 0, alive = 0;
	u64 s = 0x9e3779b97f4a7c15ull;

	for (int round = 0; round < 6000; round++) {
		u32 key, metric = 1 + test_rand(&s) % 4;   /* 0 would match any on delete */
		u8 plen;
		int i;

		random_prefix(&s, &key, &plen);
		i = ref_find(ref, n, key, plen, metric);
		if (test_rand(&s) % 3 == 0 && alive) {
			/* Delete: an existing route half the time, else a random one. */
			if (test_rand(&s) % 2) {
				do
					i = (int)(test_rand(&s) % (u32)n);
				while (!ref[i].alive);
			}
			if (i < 0) {
				assert_int_equal(table_route(net, dev, key, plen, metric, false), -ESRCH);
				continue;
			}
			assert_int_equal(table_route(net, dev, ref[i].key, ref[i].plen, ref[i].metric,
						     false), 0);
			ref[i].alive = false;
			alive--;
		} else if (i >= 0) {
			assert_int_equal(table_route(net, dev, key, plen, metric, true), -EEXIST);
		} else if (n < REF_MAX) {
			assert_int_equal(table_route(net, dev, key, plen, metric, true), 0);
			ref[n++] = (struct ref_route){ key, plen, metric, true };
			alive++;
		}
		if (round % 500 == 0)
			check_lookups(net, ref, n, &s, 200);
	}
	check_lookups(net, ref, n, &s, 5000);
	w.n = n;
	fib_table_walk(net, TEST_TABLE, walk_checker, &w);
	assert_int_equal(w.seen, alive);
	free(ref);
	tn_test_stack_free(st);
}

/* ---- automatic routes ---------------------------------------------------------- */

static void address_add_then_kernel_routes_as_linux(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net *net = st->init_net;
	struct net_device *eth = eth_up(net, "eth0", IP4(10, 1, 2, 3), 24);

	assert_int_equal(dev_open(net->loopback_dev), 0);
	assert_int_equal(inet_addr_add(eth, IP4(10, 9, 0, 1), 32, 0, RT_SCOPE_UNIVERSE, NULL), 0);
	assert_int_equal(inet_addr_add(eth, IP4(10, 1, 2, 77), 24, 0, RT_SCOPE_UNIVERSE, NULL), 0);
	assert_string_equal(routes(net, RT_TABLE_MAIN),
			    "10.1.2.0/24 dev eth0 proto kernel scope link src 10.1.2.3\n");
	assert_string_equal(routes(net, RT_TABLE_LOCAL),
		"local 10.1.2.3 dev eth0 proto kernel scope host src 10.1.2.3\n"
		"local 10.1.2.77 dev eth0 proto kernel scope host src 10.1.2.3\n"
		"broadcast 10.1.2.255 dev eth0 proto kernel scope link src 10.1.2.3\n"
		"local 10.9.0.1 dev eth0 proto kernel scope host src 10.9.0.1\n"
		"local 127.0.0.0/8 dev lo proto kernel scope host src 127.0.0.1\n"
		"local 127.0.0.1 dev lo proto kernel scope host src 127.0.0.1\n"
		"broadcast 127.255.255.255 dev lo proto kernel scope link src 127.0.0.1\n");

	/* Deleting addresses takes their routes, and only theirs. */
	assert_int_equal(inet_addr_del(eth, IP4(10, 1, 2, 77), 24), 0);
	assert_int_equal(inet_addr_del(eth, IP4(10, 9, 0, 1), 32), 0);
	assert_string_equal(routes(net, RT_TABLE_LOCAL),
		"local 10.1.2.3 dev eth0 proto kernel scope host src 10.1.2.3\n"
		"broadcast 10.1.2.255 dev eth0 proto kernel scope link src 10.1.2.3\n"
		"local 127.0.0.0/8 dev lo proto kernel scope host src 127.0.0.1\n"
		"local 127.0.0.1 dev lo proto kernel scope host src 127.0.0.1\n"
		"broadcast 127.255.255.255 dev lo proto kernel scope link src 127.0.0.1\n");
	assert_int_equal(inet_addr_del(eth, IP4(10, 1, 2, 3), 24), 0);
	assert_string_equal(routes(net, RT_TABLE_MAIN), "");
	assert_string_equal(routes(net, RT_TABLE_LOCAL),
		"local 127.0.0.0/8 dev lo proto kernel scope host src 127.0.0.1\n"
		"local 127.0.0.1 dev lo proto kernel scope host src 127.0.0.1\n"
		"broadcast 127.255.255.255 dev lo proto kernel scope link src 127.0.0.1\n");
	tn_test_stack_free(st);
}

static void address_on_down_device_then_up_adds_subnet_routes(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net *net = st->init_net;
	struct net_device *eth = testdev_create(net, "eth0", false);

	assert_int_equal(inet_addr_add(eth, IP4(192, 168, 5, 5), 16, 0, RT_SCOPE_UNIVERSE, NULL), 0);
	assert_string_equal(routes(net, 0),
		"local 192.168.5.5 dev eth0 proto kernel scope host src 192.168.5.5\n");
	assert_int_equal(dev_open(eth), 0);
	assert_string_equal(routes(net, 0),
		"192.168.0.0/16 dev eth0 proto kernel scope link src 192.168.5.5\n"
		"local 192.168.5.5 dev eth0 proto kernel scope host src 192.168.5.5\n"
		"broadcast 192.168.255.255 dev eth0 proto kernel scope link src 192.168.5.5\n");
	tn_test_stack_free(st);
}

/* The order and text the host's iproute2 6.1 printed for the same routes
 * (kernel 6.18, in a scratch namespace). */
static void routes_added_then_show_order_as_linux(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net *net = st->init_net;
	struct net_device *eth = eth_up(net, "d0", IP4(10, 1, 2, 3), 24);
	struct fib_config prohibit = {
		.fc_dst = IP4(10, 1, 0, 0), .fc_dst_len = 16, .fc_type = RTN_PROHIBIT, .fc_tos = 0x10,
		.fc_scope = RT_SCOPE_NOWHERE, .fc_protocol = RTPROT_BOOT, .fc_nlflags = ADD,
	};

	assert_int_equal(route_add(net, RTN_BLACKHOLE, 0, 1, 0, NULL, 0, ADD), 0);
	assert_int_equal(route_add(net, RTN_UNICAST, IP4(10, 0, 0, 0), 8, IP4(10, 1, 2, 1), NULL, 0, ADD), 0);
	assert_int_equal(route_add(net, RTN_UNICAST, IP4(10, 1, 0, 0), 16, IP4(10, 1, 2, 1), NULL, 5, ADD), 0);
	assert_int_equal(route_add(net, RTN_UNICAST, IP4(10, 1, 0, 0), 16, IP4(10, 1, 2, 2), NULL, 3, ADD), 0);
	assert_int_equal(route_add(net, RTN_UNICAST, 0, 0, IP4(10, 1, 2, 1), NULL, 0, ADD), 0);
	assert_int_equal(route_add(net, RTN_UNICAST, IP4(10, 1, 2, 0), 25, IP4(10, 1, 2, 9), NULL, 0, ADD), 0);
	assert_int_equal(route_add(net, RTN_UNICAST, IP4(10, 1, 2, 0), 24, IP4(10, 1, 2, 9), NULL, 7, ADD), 0);
	assert_int_equal(route_add(net, RTN_UNICAST, IP4(10, 0, 0, 0), 24, 0, eth, 0, ADD), 0);
	assert_int_equal(route_add(net, RTN_UNREACHABLE, IP4(1, 2, 3, 0), 24, 0, NULL, 0, ADD), 0);
	assert_int_equal(route_add(net, RTN_BLACKHOLE, IP4(128, 0, 0, 0), 1, 0, NULL, 0, ADD), 0);
	assert_int_equal(fib_table_insert(net, &prohibit), 0);
	assert_string_equal(routes(net, RT_TABLE_MAIN),
		"blackhole 0.0.0.0/1\n"
		"default via 10.1.2.1 dev d0\n"
		"unreachable 1.2.3.0/24\n"
		"10.0.0.0/24 dev d0 scope link\n"
		"10.0.0.0/8 via 10.1.2.1 dev d0\n"
		"prohibit 10.1.0.0/16 tos 0x10\n"
		"10.1.0.0/16 via 10.1.2.2 dev d0 metric 3\n"
		"10.1.0.0/16 via 10.1.2.1 dev d0 metric 5\n"
		"10.1.2.0/25 via 10.1.2.9 dev d0\n"
		"10.1.2.0/24 dev d0 proto kernel scope link src 10.1.2.3\n"
		"10.1.2.0/24 via 10.1.2.9 dev d0 metric 7\n"
		"blackhole 128.0.0.0/1\n");
	tn_test_stack_free(st);
}

static void same_key_then_excl_append_replace_delete(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net *net = st->init_net;
	u32 p = IP4(10, 7, 0, 0), g1 = IP4(10, 1, 2, 1), g2 = IP4(10, 1, 2, 2);

	eth_up(net, "eth0", IP4(10, 1, 2, 3), 24);
	assert_int_equal(route_add(net, RTN_UNICAST, p, 16, g1, NULL, 0, ADD), 0);
	assert_int_equal(route_add(net, RTN_UNICAST, p, 16, g2, NULL, 0, ADD), -EEXIST);
	assert_int_equal(route_add(net, RTN_UNICAST, p | 1, 16, g2, NULL, 0, ADD), -EINVAL);
	/* append: after the same key; an identical route is refused. */
	assert_int_equal(route_add(net, RTN_UNICAST, p, 16, g2, NULL, 0, NLM_F_CREATE | NLM_F_APPEND), 0);
	assert_int_equal(route_add(net, RTN_UNICAST, p, 16, g2, NULL, 0, NLM_F_CREATE | NLM_F_APPEND), -EEXIST);
	assert_string_equal(routes(net, RT_TABLE_MAIN),
		"10.1.2.0/24 dev eth0 proto kernel scope link src 10.1.2.3\n"
		"10.7.0.0/16 via 10.1.2.1 dev eth0\n"
		"10.7.0.0/16 via 10.1.2.2 dev eth0\n");
	/* replace swaps the first; change (no CREATE) of a missing one fails. */
	assert_int_equal(route_add(net, RTN_UNICAST, p, 16, IP4(10, 1, 2, 5), NULL, 0,
				   NLM_F_CREATE | NLM_F_REPLACE), 0);
	assert_int_equal(route_add(net, RTN_UNICAST, p, 16, g1, NULL, 9, NLM_F_REPLACE), -ENOENT);
	assert_string_equal(routes(net, RT_TABLE_MAIN),
		"10.1.2.0/24 dev eth0 proto kernel scope link src 10.1.2.3\n"
		"10.7.0.0/16 via 10.1.2.5 dev eth0\n"
		"10.7.0.0/16 via 10.1.2.2 dev eth0\n");
	/* Delete matches on what is given. */
	assert_int_equal(route_del(net, p, 16, g1, 0), -ESRCH);
	assert_int_equal(route_del(net, p, 16, 0, 9), -ESRCH);
	assert_int_equal(route_del(net, IP4(10, 8, 0, 0), 16, 0, 0), -ESRCH);
	assert_int_equal(route_del(net, p, 16, g2, 0), 0);
	assert_int_equal(route_del(net, p, 16, 0, 0), 0);
	assert_int_equal(route_del(net, p, 16, 0, 0), -ESRCH);
	assert_string_equal(routes(net, RT_TABLE_MAIN),
		"10.1.2.0/24 dev eth0 proto kernel scope link src 10.1.2.3\n");
	tn_test_stack_free(st);
}

/* The errors the host's kernel gave for the same commands. */
static void bad_next_hops_then_linux_errors(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net *net = st->init_net;
	struct net_device *d0 = eth_up(net, "d0", IP4(10, 1, 2, 3), 24);
	struct net_device *d1 = eth_up(net, "d1", IP4(172, 16, 0, 1), 31);
	struct fib_config cfg = {
		.fc_dst = IP4(6, 0, 0, 0), .fc_dst_len = 8, .fc_gw4 = IP4(10, 1, 2, 1),
		.fc_prefsrc = IP4(1, 1, 1, 1), .fc_scope = RT_SCOPE_NOWHERE, .fc_nlflags = ADD,
	};
	u32 gw_onlink = IP4(8, 8, 8, 8);

	assert_int_equal(route_add(net, RTN_UNICAST, 0, 0, IP4(10, 1, 2, 1), NULL, 0, ADD), 0);
	/* A gateway reachable only through another gateway. */
	assert_int_equal(route_add(net, 0, IP4(5, 0, 0, 0), 8, gw_onlink, NULL, 0, ADD), -ENETUNREACH);
	cfg.fc_flags = 0;
	assert_int_equal(fib_table_insert(net, &cfg), -EINVAL);   /* "Invalid prefsrc address" */
	cfg.fc_prefsrc = IP4(10, 1, 2, 3);
	assert_int_equal(fib_table_insert(net, &cfg), 0);
	/* onlink: needs a device, then takes the gateway at its word. */
	cfg = (struct fib_config){ .fc_dst = IP4(5, 0, 0, 0), .fc_dst_len = 8, .fc_gw4 = gw_onlink,
				   .fc_flags = RTNH_F_ONLINK, .fc_scope = RT_SCOPE_NOWHERE,
				   .fc_nlflags = ADD };
	assert_int_equal(fib_table_insert(net, &cfg), -ENODEV);
	cfg.fc_oif = d0->ifindex;
	assert_int_equal(fib_table_insert(net, &cfg), 0);
	/* Through our own address: fine. To a broadcast address: not unicast. */
	assert_int_equal(route_add(net, 0, IP4(9, 0, 0, 0), 8, IP4(10, 1, 2, 3), NULL, 0, ADD), 0);
	assert_int_equal(route_add(net, 0, IP4(12, 0, 0, 0), 8, IP4(10, 1, 2, 255), NULL, 0, ADD), -EINVAL);
	/* The gateway is not on the named device. */
	assert_int_equal(route_add(net, 0, IP4(8, 0, 0, 0), 8, IP4(10, 1, 2, 1), d1, 0, ADD), -ENETUNREACH);
	assert_int_equal(route_add(net, 0, IP4(11, 0, 0, 0), 8, IP4(172, 16, 0, 0), NULL, 0, ADD), 0);
	/* Host scope takes no gateway; error types take no device. */
	assert_int_equal(route_add(net, RTN_LOCAL, IP4(7, 0, 0, 0), 8, IP4(10, 1, 2, 1), NULL, 0, ADD), -EINVAL);
	assert_int_equal(route_add(net, RTN_UNREACHABLE, IP4(7, 0, 0, 0), 8, 0, d0, 0, ADD), -EINVAL);
	assert_int_equal(route_add(net, 0, IP4(7, 0, 0, 0), 8, 0, NULL, 0, ADD), -ENODEV);
	assert_string_equal(routes(net, RT_TABLE_MAIN),
		"default via 10.1.2.1 dev d0\n"
		"5.0.0.0/8 via 8.8.8.8 dev d0 onlink\n"
		"6.0.0.0/8 via 10.1.2.1 dev d0 src 10.1.2.3\n"
		"9.0.0.0/8 via 10.1.2.3 dev d0\n"
		"10.1.2.0/24 dev d0 proto kernel scope link src 10.1.2.3\n"
		"11.0.0.0/8 via 172.16.0.0 dev d1\n"
		"172.16.0.0/31 dev d1 proto kernel scope link src 172.16.0.1\n");
	tn_test_stack_free(st);
}

/* ---- device events ------------------------------------------------------------ */

static void device_down_then_routes_gone_local_kept_up_restores_kernel(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net *net = st->init_net;
	struct net_device *d0 = eth_up(net, "d0", IP4(10, 1, 2, 3), 24);
	struct net_device *d1 = eth_up(net, "d1", IP4(172, 16, 0, 1), 31);
	struct flowi4 fl4 = { .daddr = IP4(10, 99, 0, 1) };
	struct fib_result res;

	assert_int_equal(route_add(net, 0, 0, 0, IP4(10, 1, 2, 1), NULL, 0, ADD), 0);
	assert_int_equal(route_add(net, 0, IP4(11, 0, 0, 0), 8, IP4(172, 16, 0, 0), NULL, 0, ADD), 0);
	assert_int_equal(fib_lookup(net, &fl4, &res), 0);
	assert_int_equal(dev_close(d0), 0);
	assert_int_equal(fib_lookup(net, &fl4, &res), -ENETUNREACH);
	/* Carrier loss only marks linkdown (the veth peer going down on Linux). */
	netif_carrier_off(d1);
	assert_string_equal(routes(net, RT_TABLE_MAIN),
		"11.0.0.0/8 via 172.16.0.0 dev d1 linkdown\n"
		"172.16.0.0/31 dev d1 proto kernel scope link src 172.16.0.1 linkdown\n");
	assert_string_equal(routes(net, RT_TABLE_LOCAL),
		"local 10.1.2.3 dev d0 proto kernel scope host src 10.1.2.3\n"
		"local 172.16.0.1 dev d1 proto kernel scope host src 172.16.0.1\n");
	netif_carrier_on(d1);
	assert_int_equal(dev_open(d0), 0);
	assert_string_equal(routes(net, 0),
		"10.1.2.0/24 dev d0 proto kernel scope link src 10.1.2.3\n"
		"11.0.0.0/8 via 172.16.0.0 dev d1\n"
		"172.16.0.0/31 dev d1 proto kernel scope link src 172.16.0.1\n"
		"local 10.1.2.3 dev d0 proto kernel scope host src 10.1.2.3\n"
		"broadcast 10.1.2.255 dev d0 proto kernel scope link src 10.1.2.3\n"
		"local 172.16.0.1 dev d1 proto kernel scope host src 172.16.0.1\n");
	/* Unregistering takes everything, local routes too. */
	unregister_netdevice(d1);
	assert_string_equal(routes(net, 0),
		"10.1.2.0/24 dev d0 proto kernel scope link src 10.1.2.3\n"
		"local 10.1.2.3 dev d0 proto kernel scope host src 10.1.2.3\n"
		"broadcast 10.1.2.255 dev d0 proto kernel scope link src 10.1.2.3\n");
	tn_test_stack_free(st);
}

static void namespace_destroyed_with_routes_then_nothing_leaks(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	int err = 0;
	struct net *ns = net_create(st, "fibns", &err);

	assert_non_null(ns);
	eth_up(ns, "eth0", IP4(10, 0, 0, 1), 24);
	assert_int_equal(dev_open(ns->loopback_dev), 0);
	assert_int_equal(route_add(ns, 0, 0, 0, IP4(10, 0, 0, 254), NULL, 0, ADD), 0);
	assert_int_equal(route_add(ns, RTN_PROHIBIT, IP4(1, 0, 0, 0), 8, 0, NULL, 0, ADD), 0);
	net_destroy(ns);
	tn_test_stack_free(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(random_routes_match_brute_force_lpm),
		cmocka_unit_test(address_add_then_kernel_routes_as_linux),
		cmocka_unit_test(address_on_down_device_then_up_adds_subnet_routes),
		cmocka_unit_test(routes_added_then_show_order_as_linux),
		cmocka_unit_test(same_key_then_excl_append_replace_delete),
		cmocka_unit_test(bad_next_hops_then_linux_errors),
		cmocka_unit_test(device_down_then_routes_gone_local_kept_up_restores_kernel),
		cmocka_unit_test(namespace_destroyed_with_routes_then_nothing_leaks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
