/*
 * MIB counters per namespace, indexed by Linux's own enums from
 * <linux/snmp.h> (IPSTATS_MIB_*, ICMP_MIB_*, TCP_MIB_*, UDP_MIB_*,
 * LINUX_MIB_*), so a counter has exactly the name `nstat` and `netstat -s`
 * print for it. The name tables live with the code that prints them.
 */
#ifndef TN_NET_SNMP_H
#define TN_NET_SNMP_H

#include <linux/snmp.h>
#include "net/compiler.h"

#define ICMPMSG_MIB_MAX 512   /* [0,255] in by type, [256,511] out by type */

/* Ip's OutTransmits (Linux 6.3+): every packet ip_finish_output2 hands on,
 * forwarded ones and each fragment included, where OutRequests counts what
 * was sent locally. The <linux/snmp.h> of the build host may predate it, so
 * it gets the index after that enum's end. */
#define IPSTATS_MIB_OUTTRANSMITS __IPSTATS_MIB_MAX
#define TN_IPSTATS_MIB_MAX (__IPSTATS_MIB_MAX + 1)

struct netns_mib {
	u64 ip[TN_IPSTATS_MIB_MAX];
	u64 icmp[__ICMP_MIB_MAX];
	u64 icmpmsg[ICMPMSG_MIB_MAX];
	u64 tcp[__TCP_MIB_MAX];
	u64 udp[__UDP_MIB_MAX];
	u64 linux_mib[__LINUX_MIB_MAX];   /* TcpExt and friends */
};

#define __IP_INC_STATS(net, field)      ((net)->mib.ip[field]++)
#define __IP_ADD_STATS(net, field, val) ((net)->mib.ip[field] += (val))
#define __ICMP_INC_STATS(net, field)    ((net)->mib.icmp[field]++)
#define __TCP_INC_STATS(net, field)     ((net)->mib.tcp[field]++)
#define __TCP_ADD_STATS(net, field, v)  ((net)->mib.tcp[field] += (v))
#define __UDP_INC_STATS(net, field)     ((net)->mib.udp[field]++)
#define __NET_INC_STATS(net, field)     ((net)->mib.linux_mib[field]++)
#define __NET_ADD_STATS(net, field, v)  ((net)->mib.linux_mib[field] += (v))

struct net;

/* Every counter of net as `nstat -a` names and orders them: the Ip, Icmp,
 * IcmpMsg (non-zero types only, as /proc/net/snmp), Tcp and Udp groups of
 * /proc/net/snmp, then TcpExt and IpExt of /proc/net/netstat. cb gets the
 * group ("Ip"), the name within it ("InReceives") and the value; the
 * nstat name is the two joined ("IpInReceives"). Ip's Forwarding and
 * DefaultTTL and Tcp's constant rows are included as /proc shows them
 * (TcpMaxConn is (u64)-1: print it signed). net/ipv4/proc.c. */
void tn_snmp_walk(struct net *net,
		  void (*cb)(const char *group, const char *name, u64 value, void *arg),
		  void *arg);

#endif
