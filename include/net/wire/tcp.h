/*
 * TCP header view (RFC 9293 3.1): ports, sequence and acknowledgment
 * numbers, data offset, flags, window, checksum, urgent pointer and the
 * options that follow. tcp_hdr_parse checks the length once (20 bytes, then
 * the data offset against what is there) and fills a host-order repr whose
 * options pointer stays inside the parsed buffer; tcp_hdr_emit writes a
 * header from a repr. Options themselves are decoded by tcp_input.c
 * (tcp_parse_options) and written by whoever builds the segment.
 *
 * Header-only so that every TCP file and test shares one definition.
 */
#ifndef TN_NET_WIRE_TCP_H
#define TN_NET_WIRE_TCP_H

#include <errno.h>
#include <string.h>

#include "net/compiler.h"

#define TCP_HLEN_MIN 20
#define TCP_HLEN_MAX 60

/* Option kinds (RFC 9293 3.2, RFC 7323, RFC 2018). */
#define TCPOPT_EOL 0
#define TCPOPT_NOP 1
#define TCPOPT_MSS 2
#define TCPOPT_WINDOW 3
#define TCPOPT_SACK_PERM 4
#define TCPOPT_SACK 5
#define TCPOPT_TIMESTAMP 8
#define TCPOLEN_MSS 4
#define TCPOLEN_WINDOW 3
#define TCPOLEN_SACK_PERM 2
#define TCPOLEN_TIMESTAMP 10
#define TCPOLEN_TSTAMP_ALIGNED 12
#define TCPOLEN_WSCALE_ALIGNED 4
#define TCPOLEN_SACKPERM_ALIGNED 4
#define TCPOLEN_SACK_BASE 2
#define TCPOLEN_SACK_PERBLOCK 8

struct tcp_repr {
	u16 source;
	u16 dest;
	u32 seq;
	u32 ack_seq;
	u8 doff;              /* header length in bytes (20..60) */
	u8 flags;             /* TCPHDR_* (CWR..FIN), the 13th byte */
	u16 window;           /* unscaled, as on the wire */
	u16 check;
	u16 urg_ptr;
	const u8 *options;    /* doff - 20 bytes, NULL when none */
};

/* 0, or -EINVAL when fewer than 20 bytes, a data offset below 5 words, or
 * a data offset past len. */
static inline int tcp_hdr_parse(const void *buf, size_t len, struct tcp_repr *r)
{
	const u8 *p = buf;

	if (len < TCP_HLEN_MIN)
		return -EINVAL;
	r->doff = (u8)((p[12] >> 4) * 4);
	if (r->doff < TCP_HLEN_MIN || r->doff > len)
		return -EINVAL;
	r->source = get_be16(p);
	r->dest = get_be16(p + 2);
	r->seq = get_be32(p + 4);
	r->ack_seq = get_be32(p + 8);
	r->flags = p[13];
	r->window = get_be16(p + 14);
	r->check = get_be16(p + 16);
	r->urg_ptr = get_be16(p + 18);
	r->options = r->doff > TCP_HLEN_MIN ? p + TCP_HLEN_MIN : NULL;
	return 0;
}

/* The header of a segment tcp_v4_rcv has already validated (data at the
 * TCP header): a failure here is a bug in the caller, not bad input. */
static inline void tcp_hdr_parse_valid(const void *buf, size_t len, struct tcp_repr *r)
{
	TN_BUG_ON(tcp_hdr_parse(buf, len, r) != 0);
}

/* Write r->doff bytes: the fixed header with r->check as given, then
 * r->doff - 20 bytes of options (zeros, i.e. EOL, when options is NULL). */
static inline void tcp_hdr_emit(const struct tcp_repr *r, void *buf)
{
	u8 *p = buf;

	put_be16(p, r->source);
	put_be16(p + 2, r->dest);
	put_be32(p + 4, r->seq);
	put_be32(p + 8, r->ack_seq);
	p[12] = (u8)((r->doff / 4) << 4);
	p[13] = r->flags;
	put_be16(p + 14, r->window);
	put_be16(p + 16, r->check);
	put_be16(p + 18, r->urg_ptr);
	if (r->doff > TCP_HLEN_MIN) {
		if (r->options)
			memcpy(p + TCP_HLEN_MIN, r->options, r->doff - TCP_HLEN_MIN);
		else
			memset(p + TCP_HLEN_MIN, 0, r->doff - TCP_HLEN_MIN);
	}
}

#endif
