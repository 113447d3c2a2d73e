/*
 * Ethernet II header view. eth_parse() checks the length once and fills a
 * host-order representation; eth_emit() writes one. Protocol code works on
 * the repr, never on raw header bytes.
 */
#ifndef TN_NET_WIRE_ETHERNET_H
#define TN_NET_WIRE_ETHERNET_H

#include "net/compiler.h"

#define ETH_ALEN 6
#define ETH_HLEN 14
#define ETH_ZLEN 60         /* minimum frame without FCS */
#define ETH_DATA_LEN 1500
#define ETH_FRAME_LEN 1514
#define ETH_P_802_3_MIN 0x0600

struct eth_repr {
	u8 dst[ETH_ALEN];
	u8 src[ETH_ALEN];
	u16 ethertype;      /* host order; < 0x0600 means an 802.3 length */
};

/* 0, or -EINVAL if len < ETH_HLEN. */
static inline int eth_parse(const void *buf, size_t len, struct eth_repr *r)
{
	const u8 *p = buf;
	if (len < ETH_HLEN)
		return -22;
	memcpy(r->dst, p, ETH_ALEN);
	memcpy(r->src, p + ETH_ALEN, ETH_ALEN);
	r->ethertype = get_be16(p + 2 * ETH_ALEN);
	return 0;
}

/* Writes ETH_HLEN bytes. */
static inline void eth_emit(const struct eth_repr *r, void *buf)
{
	u8 *p = buf;
	memcpy(p, r->dst, ETH_ALEN);
	memcpy(p + ETH_ALEN, r->src, ETH_ALEN);
	put_be16(p + 2 * ETH_ALEN, r->ethertype);
}

static inline bool is_multicast_ether_addr(const u8 *a) { return a[0] & 1; }
static inline bool is_broadcast_ether_addr(const u8 *a)
{
	return (a[0] & a[1] & a[2] & a[3] & a[4] & a[5]) == 0xff;
}
static inline bool is_zero_ether_addr(const u8 *a)
{
	return !(a[0] | a[1] | a[2] | a[3] | a[4] | a[5]);
}
static inline bool is_valid_ether_addr(const u8 *a)
{
	return !is_multicast_ether_addr(a) && !is_zero_ether_addr(a);
}
static inline bool ether_addr_equal(const u8 *a, const u8 *b)
{
	return memcmp(a, b, ETH_ALEN) == 0;
}

#endif
