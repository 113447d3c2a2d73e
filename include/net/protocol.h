/*
 * The L3 -> L4 boundary: the table of transport protocols IPv4 delivers to
 * (inet_add_protocol), indexed by IP protocol number, per stack. A handler
 * consumes the skb (skb->data at its header); err_handler receives ICMP
 * errors about packets the transport sent (the quoted header is at
 * skb->data, info is the next-hop MTU for fragmentation-needed).
 */
#ifndef TN_NET_PROTOCOL_H
#define TN_NET_PROTOCOL_H

#include "net/compiler.h"

struct sk_buff;
struct tn_stack;

#define MAX_INET_PROTOS 256

struct net_protocol {
	int (*handler)(struct sk_buff *skb);
	/* type/code of the ICMP error; skb->data at the offending packet's IP
	 * header as quoted by the ICMP message. Return 0. */
	int (*err_handler)(struct sk_buff *skb, u32 info, u8 type, u8 code);
	/* net.ipv4.ip_no_pmtu_disc = 3: accept fragmentation-needed only for
	 * transports that can check the quoted header is theirs (TCP). */
	bool icmp_strict_tag_validation;
};

int inet_add_protocol(struct tn_stack *st, const struct net_protocol *prot, u8 protocol);
int inet_del_protocol(struct tn_stack *st, const struct net_protocol *prot, u8 protocol);

#endif
