/*
 * The ICMP header on the wire (RFC 792): type, code, checksum and the four
 * bytes whose meaning depends on the type. Checksums cover the whole
 * message, which only the caller knows, so emit leaves the field zero and
 * parse does not verify it (icmp.c does both over the skb).
 */
#include <errno.h>

#include "net/wire/icmp.h"

int icmp_parse(const void *buf, size_t len, struct icmp_repr *r)
{
	const u8 *p = buf;

	if (len < ICMP_HLEN)
		return -EINVAL;
	r->type = p[0];
	r->code = p[1];
	r->checksum = get_be16(p + 2);
	/* Read the rest of header once as a word and once in its echo and
	 * frag-needed halves, so every union member is in host order. */
	switch (r->type) {
	case ICMP_ECHO:
	case ICMP_ECHOREPLY:
	case ICMP_TIMESTAMP:
	case ICMP_TIMESTAMPREPLY:
		r->un.echo.id = get_be16(p + 4);
		r->un.echo.sequence = get_be16(p + 6);
		break;
	case ICMP_DEST_UNREACH:
		r->un.frag.unused = get_be16(p + 4);
		r->un.frag.mtu = get_be16(p + 6);
		break;
	default:
		r->un.raw = get_be32(p + 4);
		break;
	}
	return 0;
}

void icmp_emit(const struct icmp_repr *r, void *buf)
{
	u8 *p = buf;

	p[0] = r->type;
	p[1] = r->code;
	put_be16(p + 2, 0);
	switch (r->type) {
	case ICMP_ECHO:
	case ICMP_ECHOREPLY:
	case ICMP_TIMESTAMP:
	case ICMP_TIMESTAMPREPLY:
		put_be16(p + 4, r->un.echo.id);
		put_be16(p + 6, r->un.echo.sequence);
		break;
	case ICMP_DEST_UNREACH:
		put_be16(p + 4, r->un.frag.unused);
		put_be16(p + 6, r->un.frag.mtu);
		break;
	default:
		put_be32(p + 4, r->un.raw);
		break;
	}
}
