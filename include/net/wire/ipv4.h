/*
 * IPv4 header view (RFC 791). ipv4_parse() checks the fixed header once
 * against the bytes available and fills a host-order representation;
 * ipv4_emit() writes a header (options copied verbatim) with its checksum.
 * Protocol logic reads the repr, never the raw bytes.
 */
#ifndef TN_NET_WIRE_IPV4_H
#define TN_NET_WIRE_IPV4_H

#include "net/compiler.h"

#define IPV4_MIN_HLEN 20
#define IPV4_MAX_HLEN 60
#define IP_MAX_PACKET 65535

/* frag_off bits */
#define IP_CE 0x8000
#define IP_DF 0x4000
#define IP_MF 0x2000
#define IP_OFFSET 0x1fff

struct ipv4_repr {
	u8 ihl;            /* header length in bytes (20..60) */
	u8 tos;
	u16 tot_len;
	u16 id;
	u16 frag_off;      /* flags and offset (in 8-byte units), as on the wire */
	u8 ttl;
	u8 protocol;
	u16 check;
	u32 saddr;         /* host order */
	u32 daddr;
	const u8 *options; /* ihl - 20 bytes, or NULL; points into the parsed buffer */
};

enum {
	IPV4_PARSE_OK = 0,
	IPV4_PARSE_TRUNCATED = -1,   /* fewer than 20 bytes, or than ihl */
	IPV4_PARSE_BAD_VERSION = -2,
	IPV4_PARSE_BAD_IHL = -3,     /* ihl < 5 */
	IPV4_PARSE_BAD_TOTLEN = -4,  /* tot_len < ihl */
};

int ipv4_parse(const void *buf, size_t len, struct ipv4_repr *r);
/* Write r->ihl bytes (fixed header + options) and the header checksum. */
void ipv4_emit(const struct ipv4_repr *r, void *buf);
static inline bool ipv4_is_fragment(const struct ipv4_repr *r)
{
	return (r->frag_off & (IP_MF | IP_OFFSET)) != 0;
}

static inline bool ipv4_is_multicast(u32 a) { return (a & 0xf0000000) == 0xe0000000; }
static inline bool ipv4_is_lbcast(u32 a) { return a == 0xffffffff; }
static inline bool ipv4_is_zeronet(u32 a) { return (a & 0xff000000) == 0; }
static inline bool ipv4_is_loopback(u32 a) { return (a & 0xff000000) == 0x7f000000; }
static inline bool ipv4_is_local_multicast(u32 a) { return (a & 0xffffff00) == 0xe0000000; }

/* "a.b.c.d" <-> host order. Parsing returns 0 or -EINVAL. */
int tn_parse_ipv4(const char *s, u32 *addr);
/* "a.b.c.d/len" (len defaults to 32). */
int tn_parse_ipv4_prefix(const char *s, u32 *addr, int *len);
const char *tn_format_ipv4(u32 addr, char *buf /* 16 bytes */);

#endif
