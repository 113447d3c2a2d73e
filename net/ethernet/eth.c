/*
 * Ethernet link-layer glue, after Linux's net/ethernet/eth.c: the defaults of
 * an Ethernet device (ether_setup), the header_ops that build and parse the
 * 14-byte Ethernet II header, eth_type_trans() that classifies every received
 * frame, and MAC address helpers (random locally administered addresses and
 * the "aa:bb:cc:dd:ee:ff" text form the tools print and parse).
 *
 * It is not a driver and holds no state: a driver calls in here from its
 * setup function and its receive path. It does not handle VLAN tags, DSA
 * tagging or the IEEE 802.2 LLC layer; 802.3 length frames are only labelled
 * (ETH_P_802_3 / ETH_P_802_2) for whoever registers those packet types.
 */
#include <errno.h>
#include <stdio.h>

/* skbuff.h before any <linux/...> header: <linux/if_packet.h> defines
 * PACKET_HOST and friends as macros, which would break skbuff.h's enum. */
#include "net/skbuff.h"
#include "net/etherdevice.h"
#include "net/stack.h"

/*
 * header_ops->create: prepend an Ethernet II header. With no destination the
 * header is still written (zero destination) but a negative length tells the
 * caller (the neighbour layer) that it must resolve the address first, as
 * Linux's eth_header() does. Loopback and NOARP devices need no resolution.
 */
static int eth_header(struct sk_buff *skb, struct net_device *dev, u16 type,
		      const void *daddr, const void *saddr, unsigned int len)
{
	u8 *eth = skb_push(skb, ETH_HLEN);

	/* 802.3 frames carry their length where Ethernet II carries a type. */
	if (type != ETH_P_802_3 && type != ETH_P_802_2)
		put_be16(eth + 2 * ETH_ALEN, type);
	else
		put_be16(eth + 2 * ETH_ALEN, (u16)len);

	memcpy(eth + ETH_ALEN, saddr ? saddr : dev->dev_addr, ETH_ALEN);

	if (daddr) {
		memcpy(eth, daddr, ETH_ALEN);
		return ETH_HLEN;
	}
	memset(eth, 0, ETH_ALEN);
	if (dev->flags & (IFF_LOOPBACK | IFF_NOARP))
		return ETH_HLEN;
	return -ETH_HLEN;
}

/* header_ops->parse: the source address of a received frame (for AF_PACKET's
 * sll_addr and ARP's sender checks). */
static int eth_header_parse(const struct sk_buff *skb, unsigned char *haddr)
{
	if (!skb_mac_header_was_set(skb))
		return 0;
	memcpy(haddr, skb_mac_header(skb) + ETH_ALEN, ETH_ALEN);
	return ETH_ALEN;
}

const struct header_ops eth_header_ops = {
	.create = eth_header,
	.parse = eth_header_parse,
};

void ether_setup(struct net_device *dev)
{
	dev->header_ops = &eth_header_ops;
	dev->type = ARPHRD_ETHER;
	dev->hard_header_len = ETH_HLEN;
	dev->mtu = ETH_DATA_LEN;
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = ETH_DATA_LEN;
	dev->addr_len = ETH_ALEN;
	dev->tx_queue_len = 1000;   /* DEFAULT_TX_QUEUE_LEN */
	dev->flags = IFF_BROADCAST | IFF_MULTICAST;
	memset(dev->broadcast, 0xff, ETH_ALEN);
}

/*
 * Linux's classification, step for step. A frame for another station is
 * PACKET_OTHERHOST even when the device is promiscuous: promiscuity only
 * means such frames reach us at all, and ip_rcv() is what drops them.
 *
 * Linux leaves pkt_type alone for a frame addressed to us and relies on it
 * being PACKET_HOST (0) from allocation or scrubbing; we set it, which is the
 * same result without the reliance.
 */
u16 eth_type_trans(struct sk_buff *skb, struct net_device *dev)
{
	const u8 *eth = skb->data;
	u16 proto;

	skb->dev = dev;
	skb_reset_mac_header(skb);
	skb_pull(skb, ETH_HLEN);

	if (likely(ether_addr_equal(eth, dev->dev_addr)))
		skb->pkt_type = PACKET_HOST;
	else if (is_multicast_ether_addr(eth))
		skb->pkt_type = ether_addr_equal(eth, dev->broadcast) ?
				PACKET_BROADCAST : PACKET_MULTICAST;
	else
		skb->pkt_type = PACKET_OTHERHOST;

	proto = get_be16(eth + 2 * ETH_ALEN);
	if (likely(proto >= ETH_P_802_3_MIN))
		return proto;

	/*
	 * An 802.3 length field. Novell's "raw 802.3" IPX runs with no LLC
	 * header and starts its payload with 0xFFFF, which no 802.2 SAP pair
	 * can be; everything else is real 802.2 LLC.
	 */
	if (skb->len >= 2 && get_be16(skb->data) == 0xFFFF)
		return ETH_P_802_3;
	return ETH_P_802_2;
}

/* Locally administered (bit 1) unicast (bit 0 clear), from the stack's
 * seeded PRNG so a virtual-time run gets the same addresses every time. */
void eth_random_addr(struct tn_stack *st, u8 *addr)
{
	u64 r = tn_prandom_u64(st);

	for (int i = 0; i < ETH_ALEN; i++)
		addr[i] = (u8)(r >> (8 * i));
	addr[0] &= 0xfe;
	addr[0] |= 0x02;
}

void eth_hw_addr_random(struct net_device *dev)
{
	eth_random_addr(dev->stack, dev->dev_addr);
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Six colon-separated groups of one or two hex digits, nothing after: the
 * form iproute2's ll_addr_a2n() accepts for Ethernet ("2:0:0:0:0:a" too). */
int tn_parse_mac(const char *s, u8 *mac)
{
	u8 out[ETH_ALEN];

	if (!s)
		return -EINVAL;
	for (int i = 0; i < ETH_ALEN; i++) {
		int hi = hex_digit(*s), lo;

		if (hi < 0)
			return -EINVAL;
		s++;
		lo = hex_digit(*s);
		if (lo >= 0) {
			out[i] = (u8)(hi << 4 | lo);
			s++;
		} else {
			out[i] = (u8)hi;
		}
		if (i < ETH_ALEN - 1 && *s++ != ':')
			return -EINVAL;
	}
	if (*s)
		return -EINVAL;
	memcpy(mac, out, ETH_ALEN);
	return 0;
}

void tn_format_mac(const u8 *mac, char *buf)
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x",
		 mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
}

/* One frame a driver received, up the stack. A runt cannot even be
 * classified, so it is the driver's length error, as a NIC flags it. */
static void eth_rx_one(struct net_device *dev, struct sk_buff *skb, u64 *runts)
{
	if (unlikely(skb->len < ETH_HLEN)) {
		dev->stats.rx_length_errors++;
		dev->stats.rx_errors++;
		(*runts)++;
		kfree_skb_reason(skb, SKB_DROP_REASON_PKT_TOO_SMALL);
		return;
	}
	dev->stats.rx_packets++;
	dev->stats.rx_bytes += skb->len;
	skb->protocol = eth_type_trans(skb, dev);
	netif_receive_skb(skb);
}

int eth_napi_poll_ring(struct napi_struct *napi, struct sk_buff_head *ring, int budget,
		       u64 *runts)
{
	struct sk_buff *skb;
	int work = 0;

	while (work < budget && (skb = __skb_dequeue(ring)) != NULL) {
		eth_rx_one(napi->dev, skb, runts);
		work++;
	}
	/* Ring drained within budget: leave polling ("re-enable the IRQ").
	 * If the driver rescheduled meanwhile, the core polls again. */
	if (work < budget)
		napi_complete_done(napi, work);
	return work;
}
