/*
 * ICMP header view (RFC 792): type, code, checksum and the 4-byte rest of
 * header (echo id/sequence, next-hop MTU for fragmentation-needed, gateway
 * for redirects).
 */
#ifndef TN_NET_WIRE_ICMP_H
#define TN_NET_WIRE_ICMP_H

#include "net/compiler.h"

#define ICMP_HLEN 8

/* Types and codes, Linux's <linux/icmp.h> names. */
#define ICMP_ECHOREPLY 0
#define ICMP_DEST_UNREACH 3
#define ICMP_SOURCE_QUENCH 4
#define ICMP_REDIRECT 5
#define ICMP_ECHO 8
#define ICMP_TIME_EXCEEDED 11
#define ICMP_PARAMETERPROB 12
#define ICMP_TIMESTAMP 13
#define ICMP_TIMESTAMPREPLY 14
#define NR_ICMP_TYPES 18

#define ICMP_NET_UNREACH 0
#define ICMP_HOST_UNREACH 1
#define ICMP_PROT_UNREACH 2
#define ICMP_PORT_UNREACH 3
#define ICMP_FRAG_NEEDED 4
#define ICMP_SR_FAILED 5
#define ICMP_NET_UNKNOWN 6
#define ICMP_HOST_UNKNOWN 7
#define ICMP_PKT_FILTERED 13
#define NR_ICMP_UNREACH 15
#define ICMP_EXC_TTL 0
#define ICMP_EXC_FRAGTIME 1

struct icmp_repr {
	u8 type;
	u8 code;
	u16 checksum;
	union {
		struct { u16 id, sequence; } echo;
		struct { u16 unused, mtu; } frag;
		u32 gateway;
		u32 raw;
	} un;
};

/* 0 or -EINVAL if len < ICMP_HLEN. Does not verify the checksum. */
int icmp_parse(const void *buf, size_t len, struct icmp_repr *r);
/* Writes ICMP_HLEN bytes with checksum 0; the caller sums the message. */
void icmp_emit(const struct icmp_repr *r, void *buf);

#endif
