/*
 * The table of contents of a stack: every subsystem, in the order it is set
 * up (per stack, then per namespace). Teardown runs the table backwards, so
 * a subsystem can rely on everything above it while it starts and stops.
 */
#include "net/net_namespace.h"

extern const struct tn_subsystem net_core_subsys;      /* net/core/sysctl_net_core.c */
extern const struct tn_subsystem netdev_subsys;        /* net/core/dev.c */
extern const struct tn_subsystem pktsched_subsys;      /* net/sched/sch_api.c */
extern const struct tn_subsystem devinet_subsys;       /* net/ipv4/devinet.c */
extern const struct tn_subsystem arp_subsys;           /* net/ipv4/arp.c */
extern const struct tn_subsystem fib_subsys;           /* net/ipv4/fib_frontend.c */
extern const struct tn_subsystem sock_subsys;          /* net/socket.c */
extern const struct tn_subsystem inet_subsys;          /* net/ipv4/af_inet.c */
extern const struct tn_subsystem ipfrag_subsys;        /* net/ipv4/ip_fragment.c */
extern const struct tn_subsystem icmp_subsys;          /* net/ipv4/icmp.c */
extern const struct tn_subsystem udp_subsys;           /* net/ipv4/udp.c */
extern const struct tn_subsystem ping_sock_subsys;     /* net/ipv4/ping_sock.c */
extern const struct tn_subsystem tcp_subsys;           /* net/ipv4/tcp_ipv4.c */
extern const struct tn_subsystem loopback_subsys;      /* drivers/net/loopback.c */
extern const struct tn_subsystem default_device_subsys; /* net/core/dev.c */

const struct tn_subsystem *const tn_subsystems[] = {
	&net_core_subsys,        /* net.core sysctls, drop counters */
	&netdev_subsys,          /* device tables, softnet, packet types */
	&pktsched_subsys,        /* qdisc kinds: pfifo_fast, noqueue */
	&devinet_subsys,         /* IPv4 addresses and net.ipv4.conf */
	&arp_subsys,             /* ARP and the neighbour table */
	&fib_subsys,             /* routing tables; routes follow addresses */
	&sock_subsys,            /* descriptors, socket families, the sock cache */
	&inet_subsys,            /* ETH_P_IP -> ip_rcv, net.ipv4.* sysctls, IP IDs */
	&ipfrag_subsys,          /* IPv4 reassembly queues, net.ipv4.ipfrag_* defaults */
	&icmp_subsys,            /* ICMP in the protocol table, icmp_* defaults, inet_peer */
	&udp_subsys,             /* IPPROTO_UDP, udp_prot in inetsw, per-namespace UDP tables */
	&ping_sock_subsys,       /* ping sockets (SOCK_DGRAM/IPPROTO_ICMP), ping_group_range */
	&tcp_subsys,             /* IPPROTO_TCP, tcp_prot in inetsw, per-namespace TCP tables and sysctls */
	&loopback_subsys,        /* each namespace's lo */
	&default_device_subsys,  /* namespace exit: devices go first */
};
const unsigned int tn_subsystems_count = ARRAY_SIZE(tn_subsystems);
