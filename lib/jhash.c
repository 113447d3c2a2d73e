/*
 * jhash over arbitrary bytes: Bob Jenkins' lookup3 hashlittle(), the
 * function the kernel calls jhash(). The word-sized variants and the mixing
 * steps are inline in lib/hash.h; this file only walks a byte buffer through
 * them. Bytes are gathered little-endian on every host, so a given key and
 * seed hash the same everywhere (and as the kernel does on x86). It is a
 * table hash for keys an attacker may choose only when seeded with a secret;
 * it is not a cryptographic hash.
 */
#include "lib/hash.h"

static inline u32 load_le32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

/* Add the last 1..12 bytes into a, b and c as lookup3 does: byte i goes into
 * word i / 4 at bit 8 * (i % 4); the missing bytes count as zero. */
static void jhash_tail(const u8 *k, u32 len, u32 *a, u32 *b, u32 *c)
{
	u32 w[3] = { 0, 0, 0 };

	for (u32 i = 0; i < len; i++)
		w[i / 4] += (u32)k[i] << (8 * (i % 4));
	*a += w[0];
	*b += w[1];
	*c += w[2];
}

u32 jhash(const void *key, u32 length, u32 initval)
{
	const u8 *k = key;
	u32 a, b, c;

	a = b = c = JHASH_INITVAL + length + initval;
	while (length > 12) {
		a += load_le32(k);
		b += load_le32(k + 4);
		c += load_le32(k + 8);
		__jhash_mix(a, b, c);
		length -= 12;
		k += 12;
	}
	/* An empty tail (length 0 from the start) skips the final mix, as in
	 * lookup3: the empty key hashes to the initial value itself. */
	if (!length)
		return c;
	jhash_tail(k, length, &a, &b, &c);
	__jhash_final(a, b, c);
	return c;
}
