/*
 * ARP packet view (RFC 826) for Ethernet/IPv4: 28 bytes after the link
 * header. arp_parse() rejects anything shorter, and reports hardware or
 * protocol types other than Ethernet/IPv4 as unsupported.
 */
#ifndef TN_NET_WIRE_ARP_H
#define TN_NET_WIRE_ARP_H

#include "net/compiler.h"

#define ARP_ETH_IPV4_LEN 28

struct arp_repr {
	u16 op;             /* ARPOP_REQUEST (1) / ARPOP_REPLY (2) */
	u8 sha[6];
	u32 spa;            /* IPv4 in host order */
	u8 tha[6];
	u32 tpa;
};

enum {
	ARP_PARSE_OK = 0,
	ARP_PARSE_TRUNCATED = -1,    /* fewer than 8 bytes, or than 8 + 2*(hln+pln) */
	ARP_PARSE_UNSUPPORTED = -2,  /* not htype 1 / ptype 0x0800 / hln 6 / pln 4 */
};

int arp_parse(const void *buf, size_t len, struct arp_repr *r);
/* Writes ARP_ETH_IPV4_LEN bytes. */
void arp_emit(const struct arp_repr *r, void *buf);

#endif
