/*
 * net.ipv4.*: the per-namespace IPv4 tunables of struct netns_ipv4, with
 * Linux's names, defaults, units and ranges (Linux's sysctl_net_ipv4.c,
 * plus the ipfrag_* table of ip_fragment.c and the route.* one of
 * route.c, gathered here so that one file says what IPv4 can be tuned).
 * Times are kept in jiffies (ms) and shown in the unit Linux shows.
 *
 * The per-device net.ipv4.conf.* and net.ipv4.neigh.* tables belong to
 * devinet.c and the neighbour code.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>

#include "net/ip.h"
#include "net/net_namespace.h"
#include "net/sysctl.h"

#define IPV4_FIELD(f) offsetof(struct net, ipv4.f)
#define ENTRY(name, field, handler, lo, hi) \
	{ name, IPV4_FIELD(field), handler, lo, hi, 0644 }

static int ipv4_sysctl_forward(const struct ctl_table *t, void *f, bool w, char *buf,
			       size_t len);

static const struct ctl_table ipv4_table[] = {
	ENTRY("ip_default_ttl", sysctl_ip_default_ttl, proc_dointvec_minmax, 1, 255),
	ENTRY("ip_forward", sysctl_ip_forward, ipv4_sysctl_forward, 0, 0),
	ENTRY("ip_no_pmtu_disc", sysctl_ip_no_pmtu_disc, proc_dointvec, 0, 0),
	ENTRY("ip_forward_use_pmtu", sysctl_ip_fwd_use_pmtu, proc_dointvec_minmax, 0, 255),
	ENTRY("ip_nonlocal_bind", sysctl_ip_nonlocal_bind, proc_dointvec_minmax, 0, 255),
	ENTRY("ip_local_port_range", sysctl_ip_local_port_range, proc_dointvec_pair, 1, 65535),
	ENTRY("icmp_echo_ignore_all", sysctl_icmp_echo_ignore_all, proc_dointvec_minmax, 0, 1),
	ENTRY("icmp_echo_ignore_broadcasts", sysctl_icmp_echo_ignore_broadcasts,
	      proc_dointvec_minmax, 0, 1),
	ENTRY("icmp_ignore_bogus_error_responses", sysctl_icmp_ignore_bogus_error_responses,
	      proc_dointvec_minmax, 0, 1),
	ENTRY("icmp_ratelimit", sysctl_icmp_ratelimit, proc_dointvec_ms_jiffies, 0, 0),
	ENTRY("icmp_ratemask", sysctl_icmp_ratemask, proc_dointvec, 0, 0),
	ENTRY("icmp_msgs_per_sec", sysctl_icmp_msgs_per_sec, proc_dointvec_minmax, 0, INT_MAX),
	ENTRY("icmp_msgs_burst", sysctl_icmp_msgs_burst, proc_dointvec_minmax, 0, INT_MAX),
	ENTRY("icmp_errors_use_inbound_ifaddr", sysctl_icmp_errors_use_inbound_ifaddr,
	      proc_dointvec_minmax, 0, 1),
	ENTRY("ipfrag_high_thresh", sysctl_ipfrag_high_thresh, proc_dointvec_minmax, 0, INT_MAX),
	ENTRY("ipfrag_low_thresh", sysctl_ipfrag_low_thresh, proc_dointvec_minmax, 0, INT_MAX),
	ENTRY("ipfrag_time", sysctl_ipfrag_time, proc_dointvec_jiffies, 0, 0),
	ENTRY("ipfrag_max_dist", sysctl_ipfrag_max_dist, proc_dointvec_minmax, 0, INT_MAX),
};

static const struct ctl_table ipv4_route_table[] = {
	ENTRY("mtu_expires", sysctl_route_mtu_expires, proc_dointvec_jiffies, 0, 0),
	ENTRY("min_pmtu", sysctl_route_min_pmtu, proc_dointvec_minmax, 68, 65535),
};

/*
 * net.ipv4.ip_forward is Linux's alias of conf.all.forwarding: writing it
 * goes through devinet's handler, which switches every device (and the
 * default) and keeps this field in step (inet_forward_change).
 */
static int ipv4_sysctl_forward(const struct ctl_table *t, void *f, bool w, char *buf,
			       size_t len)
{
	struct net *net = (struct net *)((char *)f - t->offset);
	int val = *(int *)f;
	int err;

	if (!w)
		return proc_dointvec(t, f, false, buf, len);
	err = proc_dointvec(t, &val, true, buf, len);
	if (err)
		return err;
	snprintf(buf, len, "%d", val);
	err = tn_sysctl_write(net, "net.ipv4.conf.all.forwarding", buf);
	if (err == -ENOENT)    /* no devinet (never in a full stack) */
		*(int *)f = val;
	return err == -ENOENT ? 0 : err;
}

/* Linux's defaults (ipv4_sysctl_init_net, inet_init_net, ipv4_frags_init_net,
 * ip_rt_do_proc_init). */
void ipv4_net_defaults(struct net *net)
{
	struct netns_ipv4 *n = &net->ipv4;

	n->sysctl_ip_default_ttl = 64;
	n->sysctl_ip_no_pmtu_disc = 0;
	n->sysctl_ip_fwd_use_pmtu = 0;
	n->sysctl_ip_nonlocal_bind = 0;
	n->sysctl_ip_local_port_range[0] = 32768;
	n->sysctl_ip_local_port_range[1] = 60999;
	n->sysctl_icmp_echo_ignore_all = 0;
	n->sysctl_icmp_echo_ignore_broadcasts = 1;
	n->sysctl_icmp_ignore_bogus_error_responses = 1;
	n->sysctl_icmp_ratelimit = 1000;               /* 1 s in jiffies */
	n->sysctl_icmp_ratemask = 0x1818;              /* unreach, source quench, time exceeded, param problem */
	n->sysctl_icmp_msgs_per_sec = 1000;
	n->sysctl_icmp_msgs_burst = 50;
	n->sysctl_icmp_errors_use_inbound_ifaddr = 0;
	n->sysctl_ipfrag_high_thresh = 4 * 1024 * 1024;
	n->sysctl_ipfrag_low_thresh = 3 * 1024 * 1024;
	n->sysctl_ipfrag_time = 30 * 1000;             /* 30 s */
	n->sysctl_ipfrag_max_dist = 64;
	n->sysctl_route_mtu_expires = 600 * 1000;      /* 10 min */
	n->sysctl_route_min_pmtu = 512 + 20 + 20;      /* 552 */
}

int ipv4_sysctl_register(struct net *net)
{
	struct ctl_table_header *h;

	h = register_net_sysctl(net, "net/ipv4", ipv4_table, ARRAY_SIZE(ipv4_table), net);
	if (!h)
		return -ENOMEM;
	if (!register_net_sysctl(net, "net/ipv4/route", ipv4_route_table,
				 ARRAY_SIZE(ipv4_route_table), net)) {
		unregister_net_sysctl_table(h);
		return -ENOMEM;
	}
	return 0;
}

void ipv4_sysctl_unregister(struct net *net)
{
	struct ctl_table_header *h, *tmp;

	list_for_each_entry_safe(h, tmp, &net->sysctls, list)
		if (h->table == ipv4_table || h->table == ipv4_route_table)
			unregister_net_sysctl_table(h);
}
