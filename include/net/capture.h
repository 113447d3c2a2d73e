/*
 * Packet capture: a ptype_all tap (the AF_PACKET socket of `tcpdump -i DEV
 * -w FILE`) that writes every frame seen on a device, in and out, to a pcap
 * file through libpcap, time-stamped with the stack's clock.
 */
#ifndef TN_NET_CAPTURE_H
#define TN_NET_CAPTURE_H

#include "net/compiler.h"

struct net;
struct tn_capture;

/* dev_name NULL or "any": every device of net. count 0: unlimited.
 * NULL with *err = -errno (-ENODEV, -EIO for a file that cannot be written). */
struct tn_capture *tn_capture_open(struct net *net, const char *dev_name, const char *path,
				   unsigned int snaplen, u64 count, int *err);
u64 tn_capture_packets(const struct tn_capture *c);
bool tn_capture_done(const struct tn_capture *c);   /* reached count */
void tn_capture_close(struct tn_capture *c);

#endif
