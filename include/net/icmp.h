/*
 * ICMP for IPv4 (Linux's net/ipv4/icmp.c): answering echo and timestamp
 * requests, sending errors about packets we received or could not forward
 * (RFC 1122 3.2.2 / RFC 1812 4.3.2 rules, rate limited per namespace by
 * icmp_msgs_per_sec/icmp_msgs_burst and per destination by icmp_ratelimit
 * for the types in icmp_ratemask), and passing errors we receive up to the
 * transport that sent the offending packet.
 */
#ifndef TN_NET_ICMP_H
#define TN_NET_ICMP_H

#include "net/compiler.h"
#include "net/wire/icmp.h"

struct sk_buff;
struct net;

/* Send an ICMP error about skb_in (network header set; dst set: the input
 * route of a received packet or the output route of one we were sending).
 * info, in host order, is the rest-of-header word as Linux's callers pass
 * it: the next-hop MTU for FRAG_NEEDED, the gateway for redirects, the
 * offending byte's offset << 24 for parameter problem. Never sends about ICMP errors, fragments
 * other than the first, link- or IP-level broadcasts and multicasts, or a
 * source that does not name one host (RFC 1122 3.2.2). Does not consume
 * skb_in. */
void icmp_send(struct sk_buff *skb_in, int type, int code, u32 info);
/* ICMP input (registered in the protocol table): skb->data at the ICMP
 * header, network header and dst set. Consumes skb. */
int icmp_rcv(struct sk_buff *skb);
/* Count one ICMP message of `type` going out (IcmpOutMsgs and
 * IcmpMsgOutTypeN), as Linux's __ip_make_skb does for every ICMP packet. */
void icmp_out_count(struct net *net, u8 type);

/* The namespace-wide token bucket of net.ipv4.icmp_msgs_per_sec and
 * icmp_msgs_burst: may a rate-limited message go now? Each message sent
 * then consumes 0..2 credits at random, as Linux does so that the count of
 * replies does not reveal the bucket's state to an off-path observer. */
bool icmp_global_allow(struct net *net);
void icmp_global_consume(struct net *net);

/*
 * Receivers of echo replies and of ICMP errors about probes sent from a
 * namespace, before ping sockets exist (ping.c's pinger is the user; the
 * ping socket will replace it). A listener is keyed by (protocol, id):
 * IPPROTO_ICMP with the echo identifier, or IPPROTO_UDP with the source
 * port of traceroute-style UDP probes, matched in the header the error
 * quotes. Callbacks run in softirq with the stack lock held; the skb is
 * only lent to them.
 */
struct icmp_echo_listener {
	u16 id;
	u8 protocol;
	struct net *net;
	/* An echo reply: skb->data at its payload, network header set. */
	void (*reply)(struct icmp_echo_listener *l, struct sk_buff *skb,
		      const struct icmp_repr *icmp, u32 from);
	/* An error about one of our probes: skb->data at the quoted IP
	 * header, with at least its header and 8 bytes beyond; info as for
	 * the transports' err_handler (the MTU for FRAG_NEEDED). */
	void (*error)(struct icmp_echo_listener *l, struct sk_buff *skb, u8 type, u8 code,
		      u32 from, u32 info);
	struct icmp_echo_listener *next;
};
/* 0, or -EADDRINUSE if (protocol, id) is taken in the namespace. */
int icmp_echo_listener_add(struct icmp_echo_listener *l);
void icmp_echo_listener_del(struct icmp_echo_listener *l);

#endif
