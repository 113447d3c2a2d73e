/*
 * The ARP wire format for Ethernet/IPv4 (RFC 826): parse bytes into a
 * host-order arp_repr and emit one back. This file knows the layout and
 * nothing else: no device, no neighbour table, no policy about which
 * packets deserve an answer (that is arp.c).
 */
#include "net/wire/arp.h"

/* Offsets inside the 28-byte Ethernet/IPv4 ARP payload. */
enum {
	ARP_OFF_HRD = 0,
	ARP_OFF_PRO = 2,
	ARP_OFF_HLN = 4,
	ARP_OFF_PLN = 5,
	ARP_OFF_OP = 6,
	ARP_OFF_SHA = 8,
	ARP_OFF_SPA = 14,
	ARP_OFF_THA = 18,
	ARP_OFF_TPA = 24,
};

static bool arp_types_supported(const u8 *p)
{
	u16 hrd = get_be16(p + ARP_OFF_HRD);

	return (hrd == ARP_HRD_ETHER || hrd == ARP_HRD_IEEE802) &&
	       get_be16(p + ARP_OFF_PRO) == ARP_PRO_IP &&
	       p[ARP_OFF_HLN] == 6 && p[ARP_OFF_PLN] == 4;
}

int arp_parse(const void *buf, size_t len, struct arp_repr *r)
{
	const u8 *p = buf;

	/* Length first: no field is read before the whole header is known
	 * to be there (trailing Ethernet padding is allowed and ignored). */
	if (len < ARP_ETH_IPV4_LEN)
		return ARP_PARSE_TRUNCATED;
	if (!arp_types_supported(p))
		return ARP_PARSE_UNSUPPORTED;

	r->op = get_be16(p + ARP_OFF_OP);
	memcpy(r->sha, p + ARP_OFF_SHA, 6);
	r->spa = get_be32(p + ARP_OFF_SPA);
	memcpy(r->tha, p + ARP_OFF_THA, 6);
	r->tpa = get_be32(p + ARP_OFF_TPA);
	return ARP_PARSE_OK;
}

void arp_emit(const struct arp_repr *r, void *buf)
{
	u8 *p = buf;

	put_be16(p + ARP_OFF_HRD, ARP_HRD_ETHER);
	put_be16(p + ARP_OFF_PRO, ARP_PRO_IP);
	p[ARP_OFF_HLN] = 6;
	p[ARP_OFF_PLN] = 4;
	put_be16(p + ARP_OFF_OP, r->op);
	memcpy(p + ARP_OFF_SHA, r->sha, 6);
	put_be32(p + ARP_OFF_SPA, r->spa);
	memcpy(p + ARP_OFF_THA, r->tha, 6);
	put_be32(p + ARP_OFF_TPA, r->tpa);
}
