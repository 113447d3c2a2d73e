/*
 * IPv4 (Linux's ip_input.c, ip_output.c, ip_forward.c, ip_options.c,
 * ip_fragment.c): the receive path
 *   ip_rcv -> PREROUTING -> ip_rcv_finish (route) -> ip_local_deliver ->
 *   [reassembly] -> LOCAL_IN -> ip_local_deliver_finish -> protocol table
 * or ip_forward -> FORWARD -> ip_forward_finish -> dst_output;
 * and the transmit path
 *   ip_queue_xmit / ip_send_skb -> __ip_local_out -> LOCAL_OUT -> dst_output
 *   = ip_output -> POSTROUTING -> ip_finish_output -> [ip_fragment] ->
 *   ip_finish_output2 -> neighbour -> dev_queue_xmit.
 */
#ifndef TN_NET_IP_H
#define TN_NET_IP_H

#include "net/compiler.h"
#include "net/skbuff.h"
#include "net/route.h"
#include "net/wire/ipv4.h"

struct net;
struct sock;
struct net_device;
struct packet_type;

struct ip_options {
	u8 optlen;
	u8 srr;              /* offsets from the IP header, 0 if absent */
	u8 rr;
	u8 ts;
	u8 router_alert;
	bool is_strictroute;
	bool srr_is_hit;
	bool rr_needaddr;
	bool ts_needtime;
	bool ts_needaddr;
};

/* skb->cb while IPv4 owns the packet (IPCB). */
struct inet_skb_parm {
	int iif;
	struct ip_options opt;
	u16 flags;
	u16 frag_max_size;   /* largest fragment a reassembled packet came in */
};
#define IPSKB_FORWARDED 1
#define IPSKB_FRAG_COMPLETE 2
#define IPSKB_REROUTED 4
#define IPSKB_FRAG_PMTU 8

static inline struct inet_skb_parm *IPCB(const struct sk_buff *skb)
{
	return (struct inet_skb_parm *)skb->cb;
}

/* Per-send parameters the socket layer supplies (ipcm_cookie + inet_sock). */
struct ip_tx_params {
	u8 ttl;              /* 0: net.ipv4.ip_default_ttl (or route hoplimit) */
	u8 tos;
	u8 pmtudisc;         /* IP_PMTUDISC_*: DF set for DO/PROBE/WANT(when PMTU known) */
	u32 priority;
	u32 mark;
	int oif;
};
#define IP_PMTUDISC_DONT 0
#define IP_PMTUDISC_WANT 1
#define IP_PMTUDISC_DO 2
#define IP_PMTUDISC_PROBE 3

/* Receive (registered for ETH_P_IP). */
int ip_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
	   struct net_device *orig_dev);
int ip_local_deliver(struct sk_buff *skb);
int ip_forward(struct sk_buff *skb);
int ip_error(struct sk_buff *skb);

/* Transmit. skb->data at the transport header, payload complete; builds the
 * IP header in front (the skb needs MAX_HEADER headroom), routes, and sends.
 * Consumes skb. Returns 0 or -errno (-ENETUNREACH, -EMSGSIZE for DF and too
 * big, -ENOBUFS ...). */
int ip_build_and_send(struct net *net, struct sock *sk, struct sk_buff *skb, u32 saddr,
		      u32 daddr, u8 protocol, const struct ip_tx_params *p);
/* Same, with a route already chosen (held reference given to the skb). */
int ip_send_routed(struct net *net, struct sock *sk, struct sk_buff *skb, struct rtable *rt,
		   u32 saddr, u32 daddr, u8 protocol, const struct ip_tx_params *p);
int ip_local_out(struct net *net, struct sock *sk, struct sk_buff *skb);
int ip_output(struct net *net, struct sock *sk, struct sk_buff *skb);
/* Fragmentation (ip_frag_output.c). All consume skb (data and network
 * header at the IP header) and send each fragment through output; 0 or the
 * first error. ip_do_fragment cuts to the MTU of skb's route and ignores DF
 * (Linux's); ip_fragment is what ip_finish_output calls for a packet over
 * mtu: DF set -> FragFails, ICMP fragmentation needed, -EMSGSIZE (unless a
 * reassembled DF datagram whose fragments fit: IPCB frag_max_size <= mtu);
 * __ip_do_fragment is the cutting with an explicit mtu. */
int ip_do_fragment(struct net *net, struct sock *sk, struct sk_buff *skb,
		   int (*output)(struct net *, struct sock *, struct sk_buff *));
int ip_fragment(struct net *net, struct sock *sk, struct sk_buff *skb, unsigned int mtu,
		int (*output)(struct net *, struct sock *, struct sk_buff *));
int __ip_do_fragment(struct net *net, struct sock *sk, struct sk_buff *skb, unsigned int mtu,
		     int (*output)(struct net *, struct sock *, struct sk_buff *));
/* Reassembly (ip_fragment.c). skb: a fragment, unshared, data and network
 * header at the IP header, trimmed to tot_len. Returns 0 with skb now the
 * whole datagram (in place of the fragment that completed it, as Linux;
 * IPCB from the first fragment, frag_max_size set) -- also for a packet
 * that is not a fragment, untouched -- or -EINPROGRESS (the queue keeps
 * skb) / -errno (dropped, counted). After a non-zero return the caller no
 * longer owns skb. */
int ip_defrag(struct net *net, struct sk_buff *skb);

/* net.ipv4.* (sysctl_net_ipv4.c): Linux's defaults, and the tables. */
void ipv4_net_defaults(struct net *net);
int ipv4_sysctl_register(struct net *net);
void ipv4_sysctl_unregister(struct net *net);

/* Room to reserve in front of a transport header: link + IP + options. */
#define MAX_HEADER 128

/* IP ID from the namespace's per-destination generators (Linux's
 * ip_idents: buckets hashed by addresses and protocol with a secret). */
u16 ip_select_id(struct net *net, u32 saddr, u32 daddr, u8 protocol);
int ip_idents_init(struct net *net);
void ip_idents_exit(struct net *net);
/* The MTU a packet leaving by rt may have (Linux's
 * ip_dst_mtu_maybe_forward): forwarded packets ignore a learned PMTU
 * unless net.ipv4.ip_forward_use_pmtu is set. */
u32 ip_dst_mtu_maybe_forward(const struct rtable *rt, bool forwarding);
/* Fill record-route and timestamp slots of a packet being forwarded
 * (skb's dst set) and fix the header checksum. */
void ip_forward_options(struct sk_buff *skb);

/* The header of skb (network header set) as a repr; what ipv4_parse
 * returns. Headers that reached the IP layer were checked by ip_rcv or
 * built by us, so callers past ip_rcv may rely on IPV4_PARSE_OK. */
static inline int ip_hdr_repr(const struct sk_buff *skb, struct ipv4_repr *r)
{
	const u8 *nh = skb_network_header(skb);

	return ipv4_parse(nh, (size_t)(skb_tail_pointer(skb) - nh), r);
}
/* Parse options of a received header (skb->network_header); 0 or -EINVAL
 * with *pp_off set to the offending byte for ICMP parameter problem. */
int ip_options_compile(struct net *net, struct ip_options *opt, const u8 *hdr, int *pp_off);

#endif
