/*
 * UDP header view (RFC 768): source port, destination port, length (header
 * included) and checksum over the IPv4 pseudo-header, header and data. A
 * transmitted checksum of 0 means "none"; a computed 0 is sent as 0xffff.
 */
#ifndef TN_NET_WIRE_UDP_H
#define TN_NET_WIRE_UDP_H

#include "net/compiler.h"

#define UDP_HLEN 8
/* The largest payload one IPv4 datagram carries: 65535 - 20 - 8. */
#define UDP_MAX_PAYLOAD 65507

struct udp_repr {
	u16 source;
	u16 dest;
	u16 len;          /* header + data, as on the wire */
	u16 check;
};

/* 0 or -EINVAL if len < UDP_HLEN. Checks neither length nor checksum
 * against the packet: that is the receiver's business. */
int udp_parse(const void *buf, size_t len, struct udp_repr *r);
/* Writes UDP_HLEN bytes, the checksum field as given in r. */
void udp_emit(const struct udp_repr *r, void *buf);

#endif
