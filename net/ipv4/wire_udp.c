/*
 * The UDP header on the wire (RFC 768). Four 16-bit fields; the checksum
 * covers data only the caller can see, so it is neither computed nor
 * verified here (udp.c does both over the skb).
 */
#include <errno.h>

#include "net/wire/udp.h"

int udp_parse(const void *buf, size_t len, struct udp_repr *r)
{
	const u8 *p = buf;

	if (len < UDP_HLEN)
		return -EINVAL;
	r->source = get_be16(p);
	r->dest = get_be16(p + 2);
	r->len = get_be16(p + 4);
	r->check = get_be16(p + 6);
	return 0;
}

void udp_emit(const struct udp_repr *r, void *buf)
{
	u8 *p = buf;

	put_be16(p, r->source);
	put_be16(p + 2, r->dest);
	put_be16(p + 4, r->len);
	put_be16(p + 6, r->check);
}
