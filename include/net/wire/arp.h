/*
 * ARP packet view (RFC 826) for Ethernet/IPv4: 28 bytes after the link
 * header. arp_parse() checks the length once (anything shorter than the 28
 * bytes of an Ethernet/IPv4 ARP is truncated, as Linux's arp_rcv pulls
 * arp_hdr_len(dev) before looking at a field) and then reports hardware or
 * protocol types other than Ethernet/IPv4 as unsupported. The opcode is
 * returned as found: what an opcode means is arp_process()'s business.
 */
#ifndef TN_NET_WIRE_ARP_H
#define TN_NET_WIRE_ARP_H

#include "net/compiler.h"

#define ARP_ETH_IPV4_LEN 28
#define ARP_HDR_LEN 8            /* hrd, pro, hln, pln, op */

/* Opcodes and hardware types, Linux's values (uapi if_arp.h). */
#ifndef ARPOP_REQUEST
#define ARPOP_REQUEST 1
#define ARPOP_REPLY 2
#endif
#define ARP_HRD_ETHER 1          /* ARPHRD_ETHER */
#define ARP_HRD_IEEE802 6        /* ARPHRD_IEEE802: accepted on Ethernet, as Linux does */
#define ARP_PRO_IP 0x0800

struct arp_repr {
	u16 op;             /* ARPOP_REQUEST (1) / ARPOP_REPLY (2) / anything else seen */
	u8 sha[6];
	u32 spa;            /* IPv4 in host order */
	u8 tha[6];
	u32 tpa;
};

enum {
	ARP_PARSE_OK = 0,
	ARP_PARSE_TRUNCATED = -1,    /* fewer than ARP_ETH_IPV4_LEN bytes */
	ARP_PARSE_UNSUPPORTED = -2,  /* not htype 1 (or 6) / ptype 0x0800 / hln 6 / pln 4 */
};

int arp_parse(const void *buf, size_t len, struct arp_repr *r);
/* Writes ARP_ETH_IPV4_LEN bytes (htype Ethernet, ptype IPv4). */
void arp_emit(const struct arp_repr *r, void *buf);

#endif
