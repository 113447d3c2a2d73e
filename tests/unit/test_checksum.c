/*
 * The Internet checksum (lib/checksum.c) against a naive byte-pair sum, at
 * every length and alignment, with the worked examples of RFC 1071 and
 * RFC 1624; and jhash (lib/jhash.c) against lookup3's published values.
 */
#include <stdio.h>
#include <stdlib.h>

#include "tn_test.h"
#include "net/checksum.h"
#include "lib/hash.h"

static u64 xorshift(u64 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void fill_random(u8 *buf, size_t len, u64 *seed)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = (u8)(xorshift(seed) >> 56);
}

/* RFC 1071 by the letter: big-endian 16-bit words, an odd last byte padded
 * with zero, end-around carry, folded but not complemented. */
static u16 naive_sum(const u8 *p, size_t len, u32 init)
{
	u64 s = init;

	for (size_t i = 0; i + 1 < len; i += 2)
		s += (u32)p[i] << 8 | p[i + 1];
	if (len & 1)
		s += (u32)p[len - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (u16)s;
}

static void rfc1071_example_then_sum_is_ddf2(void **state)
{
	static const u8 data[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };

	assert_int_equal(csum_fold(csum_partial(data, sizeof(data), 0)), (u16)~0xddf2);
	assert_int_equal(naive_sum(data, sizeof(data), 0), 0xddf2);
}

static void ipv4_header_then_known_checksum_and_verifies(void **state)
{
	u8 iph[20];

	tn_test_hex("45 00 00 73 00 00 40 00 40 11 b8 61 c0 a8 00 01 c0 a8 00 c7",
		    iph, sizeof(iph));
	assert_int_equal(ip_fast_csum(iph, 5), 0);
	put_be16(iph + 10, 0);
	assert_int_equal(ip_fast_csum(iph, 5), 0xb861);
}

static void random_buffers_then_match_naive_at_every_length_and_alignment(void **state)
{
	enum { MAXLEN = 2048 };
	u8 *buf = malloc(MAXLEN + 8);
	u64 seed = 0x9e3779b97f4a7c15ull;

	assert_non_null(buf);
	for (size_t len = 0; len <= MAXLEN; len++) {
		for (size_t al = 0; al < 8; al++) {
			u32 init = (len % 3) ? (u32)xorshift(&seed) : 0;

			fill_random(buf + al, len, &seed);
			assert_int_equal(csum_fold(csum_partial(buf + al, len, init)),
					 (u16)~naive_sum(buf + al, len, init));
		}
	}
	free(buf);
}

static void all_ones_buffer_then_carries_fold_right(void **state)
{
	enum { LEN = 65536 + 7 };
	u8 *buf = malloc(LEN);

	assert_non_null(buf);
	memset(buf, 0xff, LEN);
	for (size_t len = LEN - 16; len <= LEN; len++)
		assert_int_equal(csum_fold(csum_partial(buf, len, 0xffffffffu)),
				 (u16)~naive_sum(buf, len, 0xffffffffu));
	memset(buf, 0, LEN);
	assert_int_equal(csum_fold(csum_partial(buf, LEN, 0)), 0xffff);
	free(buf);
}

static void split_at_any_offset_then_block_add_matches_whole(void **state)
{
	u8 buf[301];
	u64 seed = 5;

	fill_random(buf, sizeof(buf), &seed);
	u16 whole = csum_fold(csum_partial(buf, sizeof(buf), 0));
	for (size_t k = 0; k <= sizeof(buf); k++) {
		u32 head = csum_partial(buf, k, 0);
		u32 tail = csum_partial(buf + k, sizeof(buf) - k, 0);

		assert_int_equal(csum_fold(csum_block_add(head, tail, k)), whole);
		if (!(k & 1))
			assert_int_equal(csum_fold(csum_sub(csum_partial(buf, sizeof(buf), 0), head)),
					 csum_fold(tail));
	}
}

/* A pseudo-header laid out in bytes, summed the naive way. */
static void pseudo_then_matches_naive(u32 saddr, u32 daddr, const u8 *seg, u16 len, u8 proto)
{
	u8 buf[12 + 1500];

	put_be32(buf, saddr);
	put_be32(buf + 4, daddr);
	buf[8] = 0;
	buf[9] = proto;
	put_be16(buf + 10, len);
	memcpy(buf + 12, seg, len);
	assert_int_equal(csum_tcpudp_magic(saddr, daddr, len, proto, csum_partial(seg, len, 0)),
			 (u16)~naive_sum(buf, 12u + len, 0));
}

static void random_segments_then_pseudo_header_sum_matches(void **state)
{
	u8 seg[1500];
	u64 seed = 77;

	for (int i = 0; i < 2000; i++) {
		u16 len = (u16)(xorshift(&seed) % sizeof(seg));

		fill_random(seg, len, &seed);
		pseudo_then_matches_naive((u32)xorshift(&seed), (u32)xorshift(&seed), seg, len,
					  i & 1 ? 6 : 17);
	}
}

static void ipv6_segment_then_pseudo_header_sum_matches(void **state)
{
	u8 buf[40 + 999], src[16], dst[16];
	u64 seed = 1234;
	u16 len = 999;

	fill_random(src, 16, &seed);
	fill_random(dst, 16, &seed);
	fill_random(buf + 40, len, &seed);
	memcpy(buf, src, 16);
	memcpy(buf + 16, dst, 16);
	put_be32(buf + 32, len);
	put_be32(buf + 36, 58);
	assert_int_equal(csum_ipv6_magic(src, dst, len, 58, csum_partial(buf + 40, len, 0)),
			 (u16)~naive_sum(buf, sizeof(buf), 0));
}

/* RFC 1624 section 4: checksum 0xdd2f, a field going 0x5555 -> 0x3285. The
 * right answer is 0x0000; RFC 1141's formula gave 0xffff. */
static void rfc1624_example_then_replace2_gives_zero_not_ffff(void **state)
{
	u8 data[6];

	put_be16(data, 0x5555);
	put_be16(data + 2, 0xcd7a);
	put_be16(data + 4, 0);
	assert_int_equal(csum_fold(csum_partial(data, 6, 0)), 0xdd2f);
	put_be16(data + 4, 0xdd2f);

	u16 check = csum_replace2(0xdd2f, 0x5555, 0x3285);
	assert_int_equal(check, 0x0000);
	put_be16(data, 0x3285);
	put_be16(data + 4, 0);
	assert_int_equal(csum_fold(csum_partial(data, 6, 0)), check);
	put_be16(data + 4, check);
	assert_int_equal(csum_fold(csum_partial(data, 6, 0)), 0);
}

/* Change one 16- or 32-bit field of a random IPv4 header and update the
 * checksum incrementally: the result equals a fresh computation. */
static void random_header_field_change_then_incremental_equals_recompute(void **state)
{
	u8 iph[60];
	u64 seed = 31337;

	for (int i = 0; i < 200000; i++) {
		unsigned int ihl = 5 + (unsigned int)(xorshift(&seed) % 11);
		size_t off = 2 * (xorshift(&seed) % (ihl * 2 - 1));
		bool wide = (i & 1) && off + 4 <= ihl * 4;
		u16 check, fresh;

		fill_random(iph, ihl * 4, &seed);
		put_be16(iph + 10, 0);
		check = ip_fast_csum(iph, ihl);
		if (off == 10 || (wide && off == 8))
			continue;   /* the checksum field itself */
		if (wide) {
			u32 old = get_be32(iph + off), new = (u32)xorshift(&seed);

			put_be32(iph + off, new);
			check = csum_replace4(check, old, new);
		} else {
			u16 old = get_be16(iph + off), new = (u16)xorshift(&seed);

			put_be16(iph + off, new);
			check = csum_replace2(check, old, new);
		}
		fresh = ip_fast_csum(iph, ihl);
		assert_int_equal(check, fresh);
		put_be16(iph + 10, check);
		assert_int_equal(ip_fast_csum(iph, ihl), 0);
	}
}

static void ttl_decrement_then_replace2_matches(void **state)
{
	u8 iph[20];

	tn_test_hex("45 00 00 73 00 00 40 00 40 11 b8 61 c0 a8 00 01 c0 a8 00 c7",
		    iph, sizeof(iph));
	/* ip_forward's ip_decrease_ttl(): TTL is the high byte of word 4. */
	u16 old = get_be16(iph + 8);
	iph[8]--;
	put_be16(iph + 10, csum_replace2(get_be16(iph + 10), old, get_be16(iph + 8)));
	assert_int_equal(ip_fast_csum(iph, 5), 0);
	assert_int_equal(get_be16(iph + 10), 0xb961);
}

static void lookup3_published_values_then_jhash_matches(void **state)
{
	static const char *four = "Four score and seven years ago";

	assert_int_equal(jhash("", 0, 0), 0xdeadbeef);
	assert_int_equal(jhash("", 0, 0xdeadbeef), 0xbd5b7dde);
	assert_int_equal(jhash(four, 30, 0), 0x17770551);
	assert_int_equal(jhash(four, 30, 1), 0xcd628161);
}

static void any_alignment_then_jhash_same(void **state)
{
	u8 buf[80], copy[88];
	u64 seed = 8;

	fill_random(buf, sizeof(buf), &seed);
	for (u32 len = 0; len <= sizeof(buf); len++) {
		u32 h = jhash(buf, len, 42);

		for (size_t al = 1; al < 8; al++) {
			memcpy(copy + al, buf, len);
			assert_int_equal(jhash(copy + al, len, 42), h);
		}
	}
}

static void one_bit_flipped_then_about_half_the_hash_changes(void **state)
{
	u8 key[37];
	u64 seed = 99, flipped = 0, trials = 0;

	for (int r = 0; r < 200; r++) {
		fill_random(key, sizeof(key), &seed);
		u32 seed32 = (u32)xorshift(&seed), h = jhash(key, sizeof(key), seed32);

		assert_int_not_equal(jhash(key, sizeof(key), seed32 + 1), h);
		for (size_t bit = 0; bit < sizeof(key) * 8; bit++) {
			key[bit / 8] ^= (u8)(1u << (bit % 8));
			flipped += (u64)__builtin_popcount(jhash(key, sizeof(key), seed32) ^ h);
			trials++;
			key[bit / 8] ^= (u8)(1u << (bit % 8));
		}
	}
	/* 16 of 32 bits on average for a good mix; allow a wide margin. */
	assert_true(flipped * 100 / trials > 1500);
	assert_true(flipped * 100 / trials < 1700);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rfc1071_example_then_sum_is_ddf2),
		cmocka_unit_test(ipv4_header_then_known_checksum_and_verifies),
		cmocka_unit_test(random_buffers_then_match_naive_at_every_length_and_alignment),
		cmocka_unit_test(all_ones_buffer_then_carries_fold_right),
		cmocka_unit_test(split_at_any_offset_then_block_add_matches_whole),
		cmocka_unit_test(random_segments_then_pseudo_header_sum_matches),
		cmocka_unit_test(ipv6_segment_then_pseudo_header_sum_matches),
		cmocka_unit_test(rfc1624_example_then_replace2_gives_zero_not_ffff),
		cmocka_unit_test(random_header_field_change_then_incremental_equals_recompute),
		cmocka_unit_test(ttl_decrement_then_replace2_matches),
		cmocka_unit_test(lookup3_published_values_then_jhash_matches),
		cmocka_unit_test(any_alignment_then_jhash_same),
		cmocka_unit_test(one_bit_flipped_then_about_half_the_hash_changes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
