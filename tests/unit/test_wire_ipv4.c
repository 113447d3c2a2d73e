/*
 * The IPv4 and ICMP header views and the option parser, on bytes alone:
 * parse results in Linux's check order, emit byte-exact with its checksum,
 * the dotted-quad text forms, and ip_options_compile on well-formed,
 * malformed and unknown options (with the offset a parameter problem
 * would point at).
 */
#include "tn_test.h"

#include <errno.h>

#include "net/checksum.h"
#include "net/ip.h"
#include "net/wire/icmp.h"
#include "net/wire/ipv4.h"

/* 10.0.0.2 -> 10.0.0.1, TTL 64, DF, id 0x1c46, UDP, 28 bytes. */
static const char *const hdr_hex =
	"45 00 00 1c 1c 46 40 00 40 11 0a 89 0a 00 00 02 0a 00 00 01";

static void test_ipv4_parse_then_fields_in_host_order(void **state)
{
	u8 b[20];
	struct ipv4_repr r;

	(void)state;
	tn_test_hex(hdr_hex, b, sizeof(b));
	assert_int_equal(ip_fast_csum(b, 5), 0);
	assert_int_equal(ipv4_parse(b, sizeof(b), &r), IPV4_PARSE_OK);
	assert_int_equal(r.ihl, 20);
	assert_int_equal(r.tot_len, 28);
	assert_int_equal(r.id, 0x1c46);
	assert_int_equal(r.frag_off, IP_DF);
	assert_int_equal(r.ttl, 64);
	assert_int_equal(r.protocol, 17);
	assert_int_equal(r.saddr, 0x0a000002);
	assert_int_equal(r.daddr, 0x0a000001);
	assert_null(r.options);
	assert_false(ipv4_is_fragment(&r));
}

static void test_ipv4_emit_then_byte_exact_with_checksum(void **state)
{
	u8 want[20], got[20];
	struct ipv4_repr r = {
		.ihl = 20, .tot_len = 28, .id = 0x1c46, .frag_off = IP_DF, .ttl = 64,
		.protocol = 17, .saddr = 0x0a000002, .daddr = 0x0a000001,
	};

	(void)state;
	tn_test_hex(hdr_hex, want, sizeof(want));
	ipv4_emit(&r, got);
	assert_memory_equal(got, want, sizeof(want));
}

static void test_ipv4_parse_bad_headers_then_error_in_linux_order(void **state)
{
	u8 b[24];
	struct ipv4_repr r;

	(void)state;
	tn_test_hex(hdr_hex, b, 20);
	assert_int_equal(ipv4_parse(b, 19, &r), IPV4_PARSE_TRUNCATED);
	b[0] = 0x65;
	assert_int_equal(ipv4_parse(b, 20, &r), IPV4_PARSE_BAD_VERSION);
	b[0] = 0x44;
	assert_int_equal(ipv4_parse(b, 20, &r), IPV4_PARSE_BAD_IHL);
	b[0] = 0x46;   /* 24-byte header in 20 bytes */
	assert_int_equal(ipv4_parse(b, 20, &r), IPV4_PARSE_TRUNCATED);
	b[0] = 0x45;
	put_be16(b + 2, 19);
	assert_int_equal(ipv4_parse(b, 20, &r), IPV4_PARSE_BAD_TOTLEN);
	assert_int_equal(r.tot_len, 19);   /* filled for the checksum check */
}

static void test_ipv4_text_then_parse_and_format(void **state)
{
	char buf[16];
	u32 a;
	int len;

	(void)state;
	assert_int_equal(tn_parse_ipv4("192.168.1.254", &a), 0);
	assert_int_equal(a, 0xc0a801fe);
	assert_string_equal(tn_format_ipv4(a, buf), "192.168.1.254");
	assert_int_equal(tn_parse_ipv4("256.1.1.1", &a), -EINVAL);
	assert_int_equal(tn_parse_ipv4("1.2.3", &a), -EINVAL);
	assert_int_equal(tn_parse_ipv4("1.2.3.4.", &a), -EINVAL);
	assert_int_equal(tn_parse_ipv4("1.2.3.4x", &a), -EINVAL);
	assert_int_equal(tn_parse_ipv4("", &a), -EINVAL);
	assert_int_equal(tn_parse_ipv4_prefix("10.0.0.0/8", &a, &len), 0);
	assert_int_equal(a, 0x0a000000);
	assert_int_equal(len, 8);
	assert_int_equal(tn_parse_ipv4_prefix("10.0.0.1", &a, &len), 0);
	assert_int_equal(len, 32);
	assert_int_equal(tn_parse_ipv4_prefix("10.0.0.0/33", &a, &len), -EINVAL);
	assert_int_equal(tn_parse_ipv4_prefix("10.0.0.0/", &a, &len), -EINVAL);
	assert_string_equal(tn_format_ipv4(0, buf), "0.0.0.0");
}

static void test_icmp_parse_emit_then_round_trip(void **state)
{
	u8 b[8];
	struct icmp_repr r = { .type = ICMP_ECHO, .un.echo = { .id = 0x1234, .sequence = 7 } };
	struct icmp_repr p;

	(void)state;
	icmp_emit(&r, b);
	assert_int_equal(b[0], 8);
	assert_int_equal(get_be16(b + 2), 0);
	assert_int_equal(get_be16(b + 4), 0x1234);
	assert_int_equal(icmp_parse(b, 8, &p), 0);
	assert_int_equal(p.un.echo.sequence, 7);
	r = (struct icmp_repr){ .type = ICMP_DEST_UNREACH, .code = ICMP_FRAG_NEEDED,
				.un.frag = { .mtu = 1400 } };
	icmp_emit(&r, b);
	assert_int_equal(get_be16(b + 6), 1400);
	assert_int_equal(icmp_parse(b, 7, &p), -EINVAL);
}

/* ---- options ------------------------------------------------------------ */

static int compile(const u8 *opts, u8 optlen, struct ip_options *opt, int *pp)
{
	u8 hdr[60];
	struct ipv4_repr r = { .ihl = (u8)(20 + optlen), .tot_len = (u16)(20 + optlen), .ttl = 1,
			       .options = opts };

	ipv4_emit(&r, hdr);
	*pp = -1;
	return ip_options_compile(NULL, opt, hdr, pp);
}

static void test_options_rr_ts_ra_then_offsets_recorded(void **state)
{
	/* NOP, RR (len 11, ptr 4: two free slots), RA, TS tsonly (len 12,
	 * ptr 5), EOL padding. */
	const u8 opts[32] = {
		1,
		7, 11, 4, 0, 0, 0, 0, 0, 0, 0, 0,
		148, 4, 0, 0,
		68, 12, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0,
	};
	struct ip_options opt;
	int pp;

	(void)state;
	assert_int_equal(compile(opts, 32, &opt, &pp), 0);
	assert_int_equal(opt.optlen, 32);
	assert_int_equal(opt.rr, 21);
	assert_true(opt.rr_needaddr);
	assert_int_equal(opt.router_alert, 32);
	assert_int_equal(opt.ts, 36);
	assert_true(opt.ts_needtime);
	assert_false(opt.ts_needaddr);
	assert_int_equal(opt.srr, 0);
}

static void test_options_unknown_then_skipped_by_length(void **state)
{
	/* Security (130, len 11), then an unassigned type (0x99, len 4),
	 * then LSRR with one hop. */
	const u8 opts[24] = {
		130, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0x99, 4, 0xde, 0xad,
		131, 7, 4, 10, 0, 0, 9,
		0, 0,
	};
	struct ip_options opt;
	int pp;

	(void)state;
	assert_int_equal(compile(opts, 24, &opt, &pp), 0);
	assert_int_equal(opt.srr, 35);
	assert_false(opt.is_strictroute);
}

static void test_options_malformed_then_pointer_at_bad_byte(void **state)
{
	struct ip_options opt;
	int pp;

	(void)state;
	/* Length 1 (below the minimum of 2): points at the option itself. */
	const u8 short_len[4] = { 1, 7, 1, 0 };
	assert_int_equal(compile(short_len, 4, &opt, &pp), -EINVAL);
	assert_int_equal(pp, 21);
	/* Length running past the header. */
	const u8 too_long[4] = { 7, 9, 4, 0 };
	assert_int_equal(compile(too_long, 4, &opt, &pp), -EINVAL);
	assert_int_equal(pp, 20);
	/* RR pointer below 4: points at the pointer byte. */
	const u8 bad_ptr[8] = { 7, 7, 3, 0, 0, 0, 0, 0 };
	assert_int_equal(compile(bad_ptr, 8, &opt, &pp), -EINVAL);
	assert_int_equal(pp, 22);
	/* Two source routes (RFC 1812 5.2.4.1). */
	const u8 two_srr[16] = { 131, 7, 4, 1, 2, 3, 4, 137, 7, 4, 1, 2, 3, 4, 0, 0 };
	assert_int_equal(compile(two_srr, 16, &opt, &pp), -EINVAL);
	assert_int_equal(pp, 27);
	/* A full timestamp whose overflow counter is already 15. */
	const u8 ts_over[8] = { 68, 8, 9, 0xf0, 0, 0, 0, 0 };
	assert_int_equal(compile(ts_over, 8, &opt, &pp), -EINVAL);
	assert_int_equal(pp, 23);
	/* RA shorter than 4. */
	const u8 ra_short[4] = { 148, 3, 0, 0 };
	assert_int_equal(compile(ra_short, 4, &opt, &pp), -EINVAL);
	assert_int_equal(pp, 21);
}

static void test_options_eol_then_rest_ignored(void **state)
{
	/* EOL first: whatever follows is padding, even if it looks bad. */
	const u8 opts[4] = { 0, 7, 1, 0 };
	struct ip_options opt;
	int pp;

	(void)state;
	assert_int_equal(compile(opts, 4, &opt, &pp), 0);
	assert_int_equal(opt.rr, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipv4_parse_then_fields_in_host_order),
		cmocka_unit_test(test_ipv4_emit_then_byte_exact_with_checksum),
		cmocka_unit_test(test_ipv4_parse_bad_headers_then_error_in_linux_order),
		cmocka_unit_test(test_ipv4_text_then_parse_and_format),
		cmocka_unit_test(test_icmp_parse_emit_then_round_trip),
		cmocka_unit_test(test_options_rr_ts_ra_then_offsets_recorded),
		cmocka_unit_test(test_options_unknown_then_skipped_by_length),
		cmocka_unit_test(test_options_malformed_then_pointer_at_bad_byte),
		cmocka_unit_test(test_options_eol_then_rest_ignored),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
