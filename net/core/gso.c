/*
 * Software GSO and the checks a packet passes on its way into a driver
 * (Linux's validate_xmit_skb, skb_gso_segment -> inet_gso_segment ->
 * tcp4_gso_segment, skb_checksum_help). include/net/gso.h is the contract.
 *
 * A GSO packet here is always IPv4 with TCP: TCP builds them for a device
 * with NETIF_F_GSO (tcp_output.c), veth and lo pass them to the peer
 * whole, a TAP reads them from the kernel (SKB_GSO_DODGY). Whatever the
 * packet's origin, the segmenter trusts none of its headers: every length
 * is checked against the data before it is used, so a hostile packet is
 * -EINVAL, never a read past the buffer.
 *
 * Not here: GRO (the receive side's merging), UDP or IPv6 GSO, segment
 * lists with page fragments (every skb is linear).
 */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include "net/skbuff.h"
#include "net/gso.h"
#include "net/checksum.h"
#include "net/dst.h"
#include "net/netdevice.h"
#include "net/tcp.h"

#define GSO_IPV4_MIN_HLEN 20
#define GSO_TCP_MIN_HLEN 20

/* The headers of a GSO packet, as offsets from skb->data, once checked. */
struct gso_layout {
	u32 nhoff;        /* IP header */
	u32 thoff;        /* TCP header */
	u32 hdr_len;      /* end of the TCP header: the part every segment repeats */
	u32 payload;      /* bytes after hdr_len */
	u32 mss;          /* gso_size */
};

/* Check the IPv4 and TCP headers of skb hold together: an IPv4 header
 * without fragmentation, a TCP header within the data, a total length
 * equal to what is there, at least one payload byte. */
static int gso_parse(const struct sk_buff *skb, struct gso_layout *l)
{
	const u8 *nh;
	u32 ihl, doff;

	if (skb->network_header == SKB_HDR_UNSET || skb_network_header(skb) < skb->data)
		return -EINVAL;
	l->nhoff = (u32)skb_network_offset(skb);
	if (skb->len < l->nhoff + GSO_IPV4_MIN_HLEN)
		return -EINVAL;
	nh = skb->data + l->nhoff;
	ihl = (u32)(nh[0] & 0x0f) * 4;
	if ((nh[0] >> 4) != 4 || ihl < GSO_IPV4_MIN_HLEN || nh[9] != IPPROTO_TCP)
		return -EINVAL;
	if (get_be16(nh + 6) & 0x3fff)          /* MF or an offset: a fragment */
		return -EINVAL;
	if (get_be16(nh + 2) != skb->len - l->nhoff)
		return -EINVAL;
	l->thoff = l->nhoff + ihl;
	if (skb->len < l->thoff + GSO_TCP_MIN_HLEN)
		return -EINVAL;
	doff = (u32)(skb->data[l->thoff + 12] >> 4) * 4;
	if (doff < GSO_TCP_MIN_HLEN || skb->len <= l->thoff + doff)
		return -EINVAL;
	l->hdr_len = l->thoff + doff;
	l->payload = skb->len - l->hdr_len;
	l->mss = skb_shinfo(skb)->gso_size;
	if (!l->mss)
		return -EINVAL;
	return 0;
}

/* What a segment carries over from the packet it was cut from. */
static void gso_copy_metadata(struct sk_buff *n, const struct sk_buff *skb)
{
	n->dev = skb->dev;
	n->protocol = skb->protocol;
	n->pkt_type = skb->pkt_type;
	n->priority = skb->priority;
	n->mark = skb->mark;
	n->hash = skb->hash;
	n->tstamp = skb->tstamp;
	n->skb_iif = skb->skb_iif;
	memcpy(n->cb, skb->cb, sizeof(n->cb));
	if (skb->dst)
		skb_dst_set(n, dst_hold(skb->dst));
}

/* The TCP checksum of a segment: the pseudo-header sum for the device to
 * finish (CHECKSUM_PARTIAL), or the whole sum. */
static void gso_tcp_csum(struct sk_buff *n, const struct gso_layout *l, bool offload)
{
	u8 *nh = n->data + l->nhoff, *th = n->data + l->thoff;
	u32 saddr = get_be32(nh + 12), daddr = get_be32(nh + 16);
	u32 tcplen = n->len - l->thoff;

	put_be16(th + 16, 0);
	if (offload) {
		n->ip_summed = CHECKSUM_PARTIAL;
		n->csum_start = (u16)(th - n->head);
		n->csum_offset = 16;
		put_be16(th + 16, (u16)~csum_tcpudp_magic(saddr, daddr, tcplen, IPPROTO_TCP, 0));
		return;
	}
	n->ip_summed = CHECKSUM_NONE;
	put_be16(th + 16, csum_tcpudp_magic(saddr, daddr, tcplen, IPPROTO_TCP,
					    csum_partial(th, tcplen, 0)));
}

/* Segment i of skb: headers, payload [off, off + len), and the fields
 * tcp4_gso_segment / inet_gso_segment give each segment. */
static struct sk_buff *gso_make_segment(const struct sk_buff *skb, const struct gso_layout *l,
					u32 i, u32 off, u32 len, bool last, bool offload)
{
	unsigned int headroom = skb_headroom(skb);
	struct sk_buff *n = alloc_skb(skb->stack, headroom + l->hdr_len + len);
	u8 *nh, *th;
	u8 flags;

	if (!n)
		return NULL;
	skb_reserve(n, headroom);
	skb_put_data(n, skb->data, l->hdr_len);
	skb_put_data(n, skb->data + l->hdr_len + off, len);
	gso_copy_metadata(n, skb);
	skb_reset_mac_header(n);
	n->mac_len = (u16)l->nhoff;
	skb_set_network_header(n, (int)l->nhoff);
	skb_set_transport_header(n, (int)l->thoff);

	nh = n->data + l->nhoff;
	put_be16(nh + 2, (u16)(n->len - l->nhoff));
	put_be16(nh + 4, (u16)(get_be16(nh + 4) + i));
	put_be16(nh + 10, 0);
	put_be16(nh + 10, ip_fast_csum(nh, (unsigned int)(nh[0] & 0x0f)));

	th = n->data + l->thoff;
	put_be32(th + 4, get_be32(th + 4) + off);
	flags = th[13];
	if (!last)
		flags &= (u8)~(TCPHDR_FIN | TCPHDR_PSH);
	if (i)
		flags &= (u8)~TCPHDR_CWR;
	th[13] = flags;
	gso_tcp_csum(n, l, offload);
	return n;
}

static void gso_free_list(struct sk_buff *segs)
{
	while (segs) {
		struct sk_buff *next = segs->next;

		segs->next = NULL;
		kfree_skb_reason(segs, SKB_DROP_REASON_SKB_GSO_SEG);
		segs = next;
	}
}

struct sk_buff *skb_gso_segment(struct sk_buff *skb, unsigned int features, int *err)
{
	struct sk_buff *first = NULL, **tail = &first;
	bool offload = features & NETIF_F_CSUM_MASK;
	struct gso_layout l;
	u32 off, i;

	*err = gso_parse(skb, &l);
	if (*err)
		return NULL;
	if (!(skb_shinfo(skb)->gso_type & SKB_GSO_TCPV4)) {
		*err = -EINVAL;
		return NULL;
	}
	for (off = 0, i = 0; off < l.payload; off += l.mss, i++) {
		u32 len = TN_MIN(l.mss, l.payload - off);
		struct sk_buff *n = gso_make_segment(skb, &l, i, off, len,
						     off + len == l.payload, offload);

		if (!n) {
			gso_free_list(first);
			*err = -ENOMEM;
			return NULL;
		}
		*tail = n;
		tail = &n->next;
	}
	return first;
}

/* Linux's net_gso_ok + skb_gso_ok: the device takes TCPv4 GSO packets
 * (TSO) up to its gso_max_size; an untrusted (DODGY) packet only goes to a
 * device that would check it (NETIF_F_GSO_ROBUST, which none of ours is). */
bool netif_needs_gso(const struct sk_buff *skb, unsigned int features)
{
	const struct skb_shared_info *sh = skb_shinfo(skb);

	if (!skb_is_gso(skb))
		return false;
	if (!(features & NETIF_F_TSO) || !(sh->gso_type & SKB_GSO_TCPV4))
		return true;
	if (sh->gso_type & SKB_GSO_DODGY)
		return true;
	return skb->dev && skb->len - (u32)TN_MAX(skb_network_offset(skb), 0) >
				   skb->dev->gso_max_size;
}

int skb_checksum_help(struct sk_buff *skb)
{
	u32 start = skb->csum_start, hr = skb_headroom(skb);
	u32 len;
	u8 *p;
	u16 check;

	if (start < hr || start - hr + skb->csum_offset + 2u > skb->len)
		return -EINVAL;
	if (skb_unclone(skb))
		return -ENOMEM;
	p = skb->head + skb->csum_start;
	len = (u32)(skb_tail_pointer(skb) - p);
	/* The field holds the pseudo-header sum: summing it in completes it.
	 * A result of 0 goes out as 0xffff (the same value in one's
	 * complement), as Linux's csum_fold path leaves it for UDP. */
	check = csum_fold(csum_partial(p, len, 0));
	put_be16(p + skb->csum_offset, check ? check : 0xffff);
	skb->ip_summed = CHECKSUM_NONE;
	return 0;
}

struct sk_buff *validate_xmit_skb(struct sk_buff *skb, struct net_device *dev)
{
	unsigned int features = dev->features;
	enum skb_drop_reason reason;
	struct sk_buff *segs;
	int err;

	if (netif_needs_gso(skb, features)) {
		segs = skb_gso_segment(skb, features, &err);
		reason = SKB_DROP_REASON_SKB_GSO_SEG;
		if (!segs)
			goto drop;
		consume_skb(skb);
		return segs;
	}
	if (skb->ip_summed == CHECKSUM_PARTIAL && !(features & NETIF_F_CSUM_MASK)) {
		reason = SKB_DROP_REASON_SKB_CSUM;
		if (skb_checksum_help(skb))
			goto drop;
	}
	return skb;

drop:
	dev->core_stats.tx_dropped++;
	kfree_skb_reason(skb, reason);
	return NULL;
}

unsigned int skb_gso_network_seglen(const struct sk_buff *skb)
{
	struct gso_layout l;

	if (gso_parse(skb, &l))
		return skb->len - (u32)TN_MAX(skb_network_offset(skb), 0);
	return l.hdr_len - l.nhoff + l.mss;
}

bool skb_gso_validate_network_len(const struct sk_buff *skb, unsigned int mtu)
{
	return skb_gso_network_seglen(skb) <= mtu;
}
