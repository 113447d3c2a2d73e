/*
 * The Internet checksum: the one's complement sum of RFC 1071 over byte
 * buffers, the pseudo-header sums TCP and UDP add to it, and the incremental
 * update of RFC 1624 that NAT and TTL decrements use.
 *
 * The bulk loop reads native 64-bit words and adds them with end-around
 * carry. RFC 1071 section 2(B) shows that the one's complement sum does not
 * care about byte order except for one final byte swap, so the loop never
 * converts anything; and since the loads go through memcpy, the buffer may
 * start at any address. This is the only file that knows the host's byte
 * order. It is not a CRC or any other integrity code (Ethernet FCS, SCTP's
 * CRC32c live with their users).
 */
#include "net/checksum.h"

/* 64-bit one's complement addition: a carry out of bit 63 comes back in at
 * bit 0. The incremented value cannot overflow again. */
static inline u64 add64_carry(u64 a, u64 b)
{
	u64 s;

	if (__builtin_add_overflow(a, b, &s))
		s++;
	return s;
}

static inline u64 load64(const u8 *p)
{
	u64 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* Fold a 64-bit one's complement sum to 16 bits without complementing. */
static u16 fold64(u64 s)
{
	s = (s & 0xffffffffu) + (s >> 32);
	s = (s & 0xffffffffu) + (s >> 32);
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (u16)s;
}

/* Sum native 64-bit words, four at a time on long buffers so that the adds
 * of separate accumulators can overlap. Returns the unswapped native sum. */
static u64 sum_words(const u8 *p, size_t len)
{
	u64 s0 = 0, s1 = 0, s2 = 0, s3 = 0;

	for (; len >= 32; p += 32, len -= 32) {
		s0 = add64_carry(s0, load64(p));
		s1 = add64_carry(s1, load64(p + 8));
		s2 = add64_carry(s2, load64(p + 16));
		s3 = add64_carry(s3, load64(p + 24));
	}
	for (; len >= 8; p += 8, len -= 8)
		s0 = add64_carry(s0, load64(p));
	if (len) {
		/* The tail, zero-padded at its end: an odd last byte lands in
		 * the high half of a big-endian word, as RFC 1071 pads it. */
		u8 tail[8] = { 0 };

		memcpy(tail, p, len);
		s0 = add64_carry(s0, load64(tail));
	}
	return add64_carry(add64_carry(s0, s1), add64_carry(s2, s3));
}

u32 csum_partial(const void *buf, size_t len, u32 sum)
{
	u16 folded;

	if (!len)
		return sum;
	folded = fold64(sum_words(buf, len));
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	folded = __builtin_bswap16(folded);
#endif
	return csum_add(sum, folded);
}

u16 ip_fast_csum(const void *iph, unsigned int ihl)
{
	return csum_fold(csum_partial(iph, (size_t)ihl * 4, 0));
}

/* Add the two 16-bit halves of a host-order 32-bit value. */
static inline u64 halves(u32 v)
{
	return (u64)(v >> 16) + (v & 0xffff);
}

u32 csum_tcpudp_nofold(u32 saddr, u32 daddr, u32 len, u8 proto, u32 sum)
{
	u64 s = halves(saddr) + halves(daddr) + halves(len) + proto + sum;

	s = (s & 0xffffffffu) + (s >> 32);
	s = (s & 0xffffffffu) + (s >> 32);
	return (u32)s;
}

u16 csum_ipv6_magic(const u8 saddr[16], const u8 daddr[16], u32 len, u8 proto, u32 sum)
{
	u32 s = csum_partial(saddr, 16, sum);

	s = csum_partial(daddr, 16, s);
	s = csum_add(s, (u32)halves(len));
	return csum_fold(csum_add(s, proto));
}

/*
 * RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'). Working from ~HC (the sum of the
 * covered data) rather than HC itself is what keeps the result right when
 * the new sum is +0 or -0; the test suite has the RFC's example.
 */
u16 csum_replace2(u16 check, u16 old, u16 new)
{
	u32 s = (u16)~check;

	s += (u16)~old;
	s += new;
	return csum_fold(s);
}

u16 csum_replace4(u16 check, u32 old, u32 new)
{
	u32 s = (u16)~check;

	s += (u16)~(old >> 16);
	s += (u16)~old;
	s += new >> 16;
	s += new & 0xffff;
	return csum_fold(s);
}
