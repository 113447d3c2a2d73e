/*
 * Hashing for the stack's tables: Bob Jenkins' lookup3 mixing (the kernel's
 * jhash), seeded per stack so that remote peers cannot aim packets at one
 * bucket, and a golden-ratio hash for small integer keys.
 */
#ifndef TN_LIB_HASH_H
#define TN_LIB_HASH_H

#include "net/compiler.h"

static inline u32 rol32(u32 w, unsigned s)
{
	return (w << s) | (w >> ((-s) & 31));
}

#define __jhash_mix(a, b, c)                          \
	do {                                          \
		a -= c; a ^= rol32(c, 4);  c += b;    \
		b -= a; b ^= rol32(a, 6);  a += c;    \
		c -= b; c ^= rol32(b, 8);  b += a;    \
		a -= c; a ^= rol32(c, 16); c += b;    \
		b -= a; b ^= rol32(a, 19); a += c;    \
		c -= b; c ^= rol32(b, 4);  b += a;    \
	} while (0)

#define __jhash_final(a, b, c)                        \
	do {                                          \
		c ^= b; c -= rol32(b, 14);            \
		a ^= c; a -= rol32(c, 11);            \
		b ^= a; b -= rol32(a, 25);            \
		c ^= b; c -= rol32(b, 16);            \
		a ^= c; a -= rol32(c, 4);             \
		b ^= a; b -= rol32(a, 14);            \
		c ^= b; c -= rol32(b, 24);            \
	} while (0)

#define JHASH_INITVAL 0xdeadbeef

static inline u32 jhash_3words(u32 a, u32 b, u32 c, u32 initval)
{
	a += JHASH_INITVAL + initval;
	b += JHASH_INITVAL + initval;
	c += JHASH_INITVAL + initval;
	__jhash_final(a, b, c);
	return c;
}

static inline u32 jhash_2words(u32 a, u32 b, u32 initval)
{
	return jhash_3words(a, b, 0, initval);
}

static inline u32 jhash_1word(u32 a, u32 initval)
{
	return jhash_3words(a, 0, 0, initval);
}

/* Arbitrary bytes. */
u32 jhash(const void *key, u32 length, u32 initval);

static inline u32 hash_32(u32 val, unsigned bits)
{
	return (val * 0x61C88647u) >> (32 - bits);
}

#endif
