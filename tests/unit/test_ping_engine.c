/*
 * The pinger end to end between namespaces of one stack, in virtual time:
 * an echo round trip over a veth pair; through a router namespace, time
 * exceeded for TTL 1 (ICMP and UDP probes, as ping -t 1 and traceroute
 * see it) and a reply for TTL 2; fragmentation-needed with its MTU for a
 * DF probe too large for the router's next link, after which the path MTU
 * is known at the sender; and the sending errors a ping socket reports.
 *
 * Every address lives inside the stack's own namespaces.
 */
#include "tn_test.h"

#include <errno.h>
#include <netinet/in.h>

#include "net/skbuff.h"
#include "net/icmp.h"
#include "net/inetdevice.h"
#include "net/ip.h"
#include "net/ip_fib.h"
#include "net/netdevice.h"
#include "net/ping.h"
#include "net/sysctl.h"
#include "net/veth.h"

#define A_IP   0x0a010001u  /* 10.1.0.1: a's va0 */
#define R0_IP  0x0a0100feu  /* 10.1.0.254: r's vr0 */
#define R1_IP  0x0a0200feu  /* 10.2.0.254: r's vr1 */
#define B_IP   0x0a020001u  /* 10.2.0.1: b's vb0 */
#define MAX_EVENTS 16

struct events {
	unsigned int n;
	struct ping_event ev[MAX_EVENTS];
};

static void record(struct pinger *p, const struct ping_event *ev, void *arg)
{
	struct events *e = arg;

	assert_true(e->n < MAX_EVENTS);
	e->ev[e->n++] = *ev;
}

struct world {
	struct tn_stack *st;
	struct net *a, *r, *b;
	struct net_device *va0, *vr0, *vr1, *vb0;
};

static struct net *ns(struct tn_stack *st, const char *name)
{
	int err = 0;
	struct net *net = net_create(st, name, &err);

	assert_non_null(net);
	return net;
}

static void link_up(struct net *n1, const char *d1, struct net *n2, const char *d2,
		    struct net_device **p1, struct net_device **p2)
{
	assert_int_equal(veth_newlink(n1, d1, n2, d2, p1, p2), 0);
	assert_int_equal(dev_open(*p1), 0);
	assert_int_equal(dev_open(*p2), 0);
}

static void addr(struct net_device *dev, u32 ip)
{
	assert_int_equal(inet_addr_add(dev, ip, 24, inet_default_broadcast(ip, 24),
				       RT_SCOPE_UNIVERSE, NULL), 0);
}

static void default_route(struct net *net, struct net_device *dev, u32 gw)
{
	struct fib_config cfg = {
		.fc_table = RT_TABLE_MAIN,
		.fc_protocol = RTPROT_BOOT,
		.fc_scope = RT_SCOPE_UNIVERSE,
		.fc_type = RTN_UNICAST,
		.fc_gw4 = gw,
		.fc_oif = dev->ifindex,
		.fc_nlflags = NLM_F_CREATE | NLM_F_EXCL,
	};

	assert_int_equal(fib_table_insert(net, &cfg), 0);
}

/* a (10.1.0.1) --- (10.1.0.254) r (10.2.0.254) --- (10.2.0.1) b, r
 * forwarding, a and b with default routes through r. */
static void world_init(struct world *w)
{
	memset(w, 0, sizeof(*w));
	w->st = tn_test_stack_new();
	w->a = ns(w->st, "a");
	w->r = ns(w->st, "r");
	w->b = ns(w->st, "b");
	link_up(w->a, "va0", w->r, "vr0", &w->va0, &w->vr0);
	link_up(w->r, "vr1", w->b, "vb0", &w->vr1, &w->vb0);
	addr(w->va0, A_IP);
	addr(w->vr0, R0_IP);
	addr(w->vr1, R1_IP);
	addr(w->vb0, B_IP);
	default_route(w->a, w->va0, R0_IP);
	default_route(w->b, w->vb0, R1_IP);
	assert_int_equal(tn_sysctl_write(w->r, "net.ipv4.conf.all.forwarding", "1"), 0);
	tn_test_run(w->st, 0);
}

static void world_free(struct world *w)
{
	net_destroy(w->a);
	net_destroy(w->r);
	net_destroy(w->b);
	tn_test_stack_free(w->st);
}

static struct pinger_config icmp_to(u32 daddr)
{
	struct pinger_config c = { 0 };

	c.mode = PINGER_ICMP;
	c.daddr = daddr;
	c.id = 0x5151;
	c.payload_len = PINGER_DEFAULT_PAYLOAD;
	return c;
}

/* ---- over one link ------------------------------------------------------------ */

static void neighbour_echo_then_reply_with_virtual_times(void **state)
{
	struct world w;
	struct pinger p;
	struct events e = { 0 };
	struct pinger_config c = icmp_to(R0_IP);

	world_init(&w);
	assert_int_equal(pinger_init(&p, w.a, &c, record, &e), 0);
	tn_test_run(w.st, 1000);
	assert_int_equal(pinger_send(&p, 1, 0), 0);
	tn_test_run(w.st, 0);
	assert_int_equal(e.n, 1);
	assert_int_equal(e.ev[0].kind, PING_EV_REPLY);
	assert_int_equal(e.ev[0].type, ICMP_ECHOREPLY);
	assert_int_equal(e.ev[0].seq, 1);
	assert_int_equal(e.ev[0].from, R0_IP);
	assert_int_equal(e.ev[0].ttl, 64);
	assert_int_equal(e.ev[0].len, PINGER_DEFAULT_PAYLOAD);
	assert_int_equal(e.ev[0].sent_ns, 1000 * TN_NSEC_PER_JIFFY);
	assert_true(e.ev[0].now_ns >= e.ev[0].sent_ns);
	/* A second later, with the neighbour known. */
	tn_test_run(w.st, 1000);
	assert_int_equal(pinger_send(&p, 2, 0), 0);
	tn_test_run(w.st, 0);
	assert_int_equal(e.n, 2);
	assert_int_equal(e.ev[1].seq, 2);
	assert_int_equal(e.ev[1].sent_ns, 2000 * TN_NSEC_PER_JIFFY);
	assert_int_equal(e.ev[1].now_ns, e.ev[1].sent_ns);
	assert_int_equal(p.transmitted, 2);
	assert_int_equal(p.received, 2);
	assert_int_equal(w.a->mib.icmpmsg[256 + ICMP_ECHO], 2);
	assert_int_equal(w.a->mib.icmpmsg[ICMP_ECHOREPLY], 2);
	assert_int_equal(w.r->mib.icmpmsg[ICMP_ECHO], 2);
	pinger_close(&p);
	world_free(&w);
}

static void peer_ignores_echo_then_no_event(void **state)
{
	struct world w;
	struct pinger p;
	struct events e = { 0 };
	struct pinger_config c = icmp_to(R0_IP);

	world_init(&w);
	assert_int_equal(tn_sysctl_write(w.r, "net.ipv4.icmp_echo_ignore_all", "1"), 0);
	assert_int_equal(pinger_init(&p, w.a, &c, record, &e), 0);
	assert_int_equal(pinger_send(&p, 1, 0), 0);
	tn_test_run(w.st, 1000);
	assert_int_equal(e.n, 0);
	assert_int_equal(w.r->mib.icmp[ICMP_MIB_INMSGS], 1);
	pinger_close(&p);
	world_free(&w);
}

/* ---- through the router ---------------------------------------------------------- */

static void ttl_one_then_time_exceeded_from_router(void **state)
{
	struct world w;
	struct pinger p;
	struct events e = { 0 };
	struct pinger_config c = icmp_to(B_IP);

	world_init(&w);
	assert_int_equal(pinger_init(&p, w.a, &c, record, &e), 0);
	assert_int_equal(pinger_send(&p, 1, 1), 0);
	tn_test_run(w.st, 0);
	assert_int_equal(e.n, 1);
	assert_int_equal(e.ev[0].kind, PING_EV_ERROR);
	assert_int_equal(e.ev[0].type, ICMP_TIME_EXCEEDED);
	assert_int_equal(e.ev[0].code, ICMP_EXC_TTL);
	assert_int_equal(e.ev[0].from, R0_IP);
	assert_int_equal(e.ev[0].seq, 1);
	assert_int_equal(w.r->mib.icmpmsg[256 + ICMP_TIME_EXCEEDED], 1);
	/* TTL 2 gets there; the reply crossed the router once. */
	assert_int_equal(pinger_send(&p, 2, 2), 0);
	tn_test_run(w.st, 0);
	assert_int_equal(e.n, 2);
	assert_int_equal(e.ev[1].kind, PING_EV_REPLY);
	assert_int_equal(e.ev[1].from, B_IP);
	assert_int_equal(e.ev[1].ttl, 63);
	assert_int_equal(p.errors, 1);
	pinger_close(&p);
	world_free(&w);
}

static void udp_probes_then_router_then_destination_unreachable(void **state)
{
	struct world w;
	struct pinger p;
	struct events e = { 0 };
	struct pinger_config c = { 0 };

	c.mode = PINGER_UDP;
	c.daddr = B_IP;
	c.id = 40000;
	c.payload_len = 32;
	world_init(&w);
	assert_int_equal(pinger_init(&p, w.a, &c, record, &e), 0);
	assert_int_equal(pinger_send(&p, 0, 1), 0);
	tn_test_run(w.st, 0);
	assert_int_equal(pinger_send(&p, 1, 2), 0);
	tn_test_run(w.st, 0);
	assert_int_equal(e.n, 2);
	assert_int_equal(e.ev[0].type, ICMP_TIME_EXCEEDED);
	assert_int_equal(e.ev[0].from, R0_IP);
	assert_int_equal(e.ev[0].seq, 0);
	/* b has no UDP port 33435 open (nor, before the UDP layer, UDP). */
	assert_int_equal(e.ev[1].type, ICMP_DEST_UNREACH);
	assert_true(e.ev[1].code == ICMP_PORT_UNREACH || e.ev[1].code == ICMP_PROT_UNREACH);
	assert_int_equal(e.ev[1].from, B_IP);
	assert_int_equal(e.ev[1].seq, 1);
	pinger_close(&p);
	world_free(&w);
}

static void df_probe_over_small_link_then_frag_needed_and_pmtu(void **state)
{
	struct world w;
	struct pinger p;
	struct events e = { 0 };
	struct pinger_config c = icmp_to(B_IP);

	c.pmtudisc = IP_PMTUDISC_DO;
	c.payload_len = 1400;         /* 1428-byte datagrams */
	world_init(&w);
	assert_int_equal(dev_set_mtu(w.vr1, 1400), 0);
	assert_int_equal(dev_set_mtu(w.vb0, 1400), 0);
	assert_int_equal(pinger_init(&p, w.a, &c, record, &e), 0);
	assert_int_equal(pinger_send(&p, 1, 0), 0);
	tn_test_run(w.st, 0);
	assert_int_equal(e.n, 1);
	assert_int_equal(e.ev[0].type, ICMP_DEST_UNREACH);
	assert_int_equal(e.ev[0].code, ICMP_FRAG_NEEDED);
	assert_int_equal(e.ev[0].info, 1400);
	assert_int_equal(e.ev[0].from, R0_IP);
	/* The sender now knows: the same probe fails locally, as ping's
	 * "message too long". */
	assert_int_equal(pinger_send(&p, 2, 0), -EMSGSIZE);
	pinger_close(&p);
	world_free(&w);
}

/* ---- set-up and sending errors ---------------------------------------------------- */

static void id_in_use_then_refused_and_zero_picks_free(void **state)
{
	struct world w;
	struct pinger p1, p2, p3;
	struct pinger_config c = icmp_to(R0_IP);

	world_init(&w);
	assert_int_equal(pinger_init(&p1, w.a, &c, NULL, NULL), 0);
	assert_int_equal(pinger_init(&p2, w.a, &c, NULL, NULL), -EADDRINUSE);
	/* Another namespace has its own identifiers. */
	assert_int_equal(pinger_init(&p2, w.b, &c, NULL, NULL), 0);
	c.id = 0;
	assert_int_equal(pinger_init(&p3, w.a, &c, NULL, NULL), 0);
	assert_true(p3.listener.id != 0 && p3.listener.id != 0x5151);
	pinger_close(&p1);
	pinger_close(&p2);
	pinger_close(&p3);
	world_free(&w);
}

static void no_route_then_send_fails_network_unreachable(void **state)
{
	struct world w;
	struct pinger p;
	struct pinger_config c = icmp_to(0x0a090909u);

	world_init(&w);
	assert_int_equal(pinger_init(&p, w.r, &c, NULL, NULL), 0);
	assert_int_equal(pinger_send(&p, 1, 0), -ENETUNREACH);
	assert_int_equal(p.transmitted, 0);
	pinger_close(&p);
	world_free(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(neighbour_echo_then_reply_with_virtual_times),
		cmocka_unit_test(peer_ignores_echo_then_no_event),
		cmocka_unit_test(ttl_one_then_time_exceeded_from_router),
		cmocka_unit_test(udp_probes_then_router_then_destination_unreachable),
		cmocka_unit_test(df_probe_over_small_link_then_frag_needed_and_pmtu),
		cmocka_unit_test(id_in_use_then_refused_and_zero_picks_free),
		cmocka_unit_test(no_route_then_send_fails_network_unreachable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
