/*
 * The Internet checksum (RFC 1071) and its incremental update (RFC 1624).
 *
 * Every value here is in host order. A partial sum (u32, as skb->csum holds
 * it) is the one's complement sum of the bytes read as big-endian 16-bit
 * words, kept unfolded so that sums of pieces can be added together; a final
 * checksum (u16) is that sum folded to 16 bits and complemented, ready to be
 * stored in a header with put_be16(). A header whose checksum field is
 * correct sums, checksum included, to a final value of 0.
 *
 * Partial sums are only meaningful modulo 0xffff: two different u32 values
 * may stand for the same sum, so compare folded results, never partial sums.
 */
#ifndef TN_NET_CHECKSUM_H
#define TN_NET_CHECKSUM_H

#include "net/compiler.h"

/* Add len bytes at buf (any alignment, any length) to the partial sum. */
u32 csum_partial(const void *buf, size_t len, u32 sum);

/* Fold a partial sum to 16 bits and complement it: the checksum to store. */
static inline u16 csum_fold(u32 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (u16)~sum;
}

/* One's complement addition of two partial sums (end-around carry). */
static inline u32 csum_add(u32 a, u32 b)
{
	u32 s = a + b;
	return s + (s < b);
}

/* One's complement subtraction: the sum without b's contribution. */
static inline u32 csum_sub(u32 a, u32 b)
{
	return csum_add(a, ~b);
}

/* A stored checksum as a partial sum: the complement of the covered data's
 * sum (RFC 1624's ~HC is the covered sum itself). */
static inline u32 csum_unfold(u16 check)
{
	return check;
}

/* Add csum2, the partial sum of a block that starts offset bytes into the
 * data csum covers: a block at an odd offset has its bytes in the other
 * halves of the 16-bit words, which rotating the sum by 8 bits accounts for. */
static inline u32 csum_block_add(u32 csum, u32 csum2, size_t offset)
{
	if (offset & 1)
		csum2 = (csum2 >> 8) | (csum2 << 24);
	return csum_add(csum, csum2);
}

/* The checksum of an IPv4 header of ihl 32-bit words: 0 if the header's own
 * checksum field is right, the value to store if that field is zero. */
u16 ip_fast_csum(const void *iph, unsigned int ihl);

/* Add the IPv4 pseudo-header (addresses, protocol, transport length; all in
 * host order) to sum, the partial sum of the transport header and data. */
u32 csum_tcpudp_nofold(u32 saddr, u32 daddr, u32 len, u8 proto, u32 sum);

/* The same, folded: the TCP or UDP checksum to store (UDP sends a computed
 * 0 as 0xffff; that is the caller's rule, not this function's). */
static inline u16 csum_tcpudp_magic(u32 saddr, u32 daddr, u32 len, u8 proto, u32 sum)
{
	return csum_fold(csum_tcpudp_nofold(saddr, daddr, len, proto, sum));
}

/* The IPv6 pseudo-header (RFC 8200 section 8.1) for 16-byte addresses in
 * network order, folded like csum_tcpudp_magic(). */
u16 csum_ipv6_magic(const u8 saddr[16], const u8 daddr[16], u32 len, u8 proto, u32 sum);

/* Update a stored checksum after a 16-bit (or 32-bit) field of the covered
 * data changed from old to new, without touching the rest of the data.
 * RFC 1624 eqn. 3, HC' = ~(~HC + ~m + m'), which stays right where the
 * older formula of RFC 1141 produced 0xffff for 0x0000. */
u16 csum_replace2(u16 check, u16 old, u16 new);
u16 csum_replace4(u16 check, u32 old, u32 new);

#endif
