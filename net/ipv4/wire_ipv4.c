/*
 * The IPv4 header on the wire (RFC 791): parse bytes into a host-order
 * ipv4_repr and emit one back, plus the dotted-quad text form that the
 * tools print and read. This file knows the layout and nothing else: which
 * header errors are counted where, and what is done with a bad packet, is
 * ip_input.c's business.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "net/checksum.h"
#include "net/wire/ipv4.h"

/* Offsets inside the fixed 20-byte header. */
enum {
	IPV4_OFF_VIHL = 0,
	IPV4_OFF_TOS = 1,
	IPV4_OFF_TOT_LEN = 2,
	IPV4_OFF_ID = 4,
	IPV4_OFF_FRAG_OFF = 6,
	IPV4_OFF_TTL = 8,
	IPV4_OFF_PROTOCOL = 9,
	IPV4_OFF_CHECK = 10,
	IPV4_OFF_SADDR = 12,
	IPV4_OFF_DADDR = 16,
};

static void ipv4_fill_repr(const u8 *p, struct ipv4_repr *r)
{
	r->ihl = (u8)((p[IPV4_OFF_VIHL] & 0x0f) * 4);
	r->tos = p[IPV4_OFF_TOS];
	r->tot_len = get_be16(p + IPV4_OFF_TOT_LEN);
	r->id = get_be16(p + IPV4_OFF_ID);
	r->frag_off = get_be16(p + IPV4_OFF_FRAG_OFF);
	r->ttl = p[IPV4_OFF_TTL];
	r->protocol = p[IPV4_OFF_PROTOCOL];
	r->check = get_be16(p + IPV4_OFF_CHECK);
	r->saddr = get_be32(p + IPV4_OFF_SADDR);
	r->daddr = get_be32(p + IPV4_OFF_DADDR);
	r->options = r->ihl > IPV4_MIN_HLEN ? p + IPV4_MIN_HLEN : NULL;
}

/*
 * The checks come in the order Linux's ip_rcv_core makes them, so a caller
 * can map each result to the counter Linux bumps: the fixed header must be
 * there, then version and ihl must be sane, then the whole header (with
 * options) must be there. A tot_len shorter than the header is reported
 * last and with the repr filled in, because Linux verifies the header
 * checksum before it looks at tot_len; a tot_len longer than the buffer is
 * not this function's concern (it means a truncated packet, not a bad
 * header). The checksum is never verified here.
 */
int ipv4_parse(const void *buf, size_t len, struct ipv4_repr *r)
{
	const u8 *p = buf;

	if (len < IPV4_MIN_HLEN)
		return IPV4_PARSE_TRUNCATED;
	if ((p[IPV4_OFF_VIHL] >> 4) != 4)
		return IPV4_PARSE_BAD_VERSION;
	if ((p[IPV4_OFF_VIHL] & 0x0f) < 5)
		return IPV4_PARSE_BAD_IHL;
	if (len < (size_t)(p[IPV4_OFF_VIHL] & 0x0f) * 4)
		return IPV4_PARSE_TRUNCATED;
	ipv4_fill_repr(p, r);
	if (r->tot_len < r->ihl)
		return IPV4_PARSE_BAD_TOTLEN;
	return IPV4_PARSE_OK;
}

void ipv4_emit(const struct ipv4_repr *r, void *buf)
{
	u8 *p = buf;
	u8 ihl = r->ihl ? r->ihl : IPV4_MIN_HLEN;

	p[IPV4_OFF_VIHL] = (u8)(0x40 | (ihl / 4));
	p[IPV4_OFF_TOS] = r->tos;
	put_be16(p + IPV4_OFF_TOT_LEN, r->tot_len);
	put_be16(p + IPV4_OFF_ID, r->id);
	put_be16(p + IPV4_OFF_FRAG_OFF, r->frag_off);
	p[IPV4_OFF_TTL] = r->ttl;
	p[IPV4_OFF_PROTOCOL] = r->protocol;
	put_be16(p + IPV4_OFF_CHECK, 0);
	put_be32(p + IPV4_OFF_SADDR, r->saddr);
	put_be32(p + IPV4_OFF_DADDR, r->daddr);
	/* The options may already sit in place (a header rebuilt over itself). */
	if (ihl > IPV4_MIN_HLEN && r->options && r->options != p + IPV4_MIN_HLEN)
		memmove(p + IPV4_MIN_HLEN, r->options, ihl - IPV4_MIN_HLEN);
	else if (ihl > IPV4_MIN_HLEN && !r->options)
		memset(p + IPV4_MIN_HLEN, 0, ihl - IPV4_MIN_HLEN);  /* EOL padding */
	put_be16(p + IPV4_OFF_CHECK, ip_fast_csum(p, ihl / 4));
}

/* ---- text form -------------------------------------------------------- */

/* One decimal octet, 0..255, without a sign, spaces or leading "0x"; a
 * leading zero is accepted as decimal (inet_pton's rule rejects it, but
 * "010.0.0.1" written by a person means ten, as `ip` reads it). */
static const char *parse_octet(const char *s, u32 *out)
{
	u32 v = 0;
	int digits = 0;

	while (*s >= '0' && *s <= '9') {
		v = v * 10 + (u32)(*s++ - '0');
		if (++digits > 3 || v > 255)
			return NULL;
	}
	if (!digits)
		return NULL;
	*out = v;
	return s;
}

int tn_parse_ipv4(const char *s, u32 *addr)
{
	u32 a = 0;

	if (!s)
		return -EINVAL;
	for (int i = 0; i < 4; i++) {
		u32 octet;

		s = parse_octet(s, &octet);
		if (!s)
			return -EINVAL;
		a = a << 8 | octet;
		if (i < 3 && *s++ != '.')
			return -EINVAL;
	}
	if (*s)
		return -EINVAL;
	*addr = a;
	return 0;
}

int tn_parse_ipv4_prefix(const char *s, u32 *addr, int *len)
{
	char buf[16];
	const char *slash;
	size_t n;
	long plen = 32;

	if (!s)
		return -EINVAL;
	slash = strchr(s, '/');
	n = slash ? (size_t)(slash - s) : strlen(s);
	if (n >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (tn_parse_ipv4(buf, addr))
		return -EINVAL;
	if (slash) {
		char *end;

		if (slash[1] < '0' || slash[1] > '9')
			return -EINVAL;
		plen = strtol(slash + 1, &end, 10);
		if (*end || plen > 32)
			return -EINVAL;
	}
	*len = (int)plen;
	return 0;
}

const char *tn_format_ipv4(u32 addr, char *buf)
{
	snprintf(buf, 16, "%u.%u.%u.%u", addr >> 24, (addr >> 16) & 0xff, (addr >> 8) & 0xff,
		 addr & 0xff);
	return buf;
}
