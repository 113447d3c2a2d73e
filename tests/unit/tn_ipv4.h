/*
 * IPv4 fixtures shared by the IP unit tests: a world of test devices with
 * addresses and static ARP entries, byte-exact Ethernet/IPv4 frame
 * builders, and a test transport registered in the protocol table that
 * keeps what it receives. Header-only so each test program stays one file.
 */
#ifndef TN_TESTS_TN_IPV4_H
#define TN_TESTS_TN_IPV4_H

#include "tn_test.h"

#include <errno.h>

#include "net/skbuff.h"
#include "net/arp.h"
#include "net/checksum.h"
#include "net/inetdevice.h"
#include "net/ip.h"
#include "net/neighbour.h"
#include "net/netdevice.h"
#include "net/protocol.h"
#include "net/sysctl.h"
#include "net/testdev.h"
#include "net/wire/ethernet.h"
#include "net/wire/ipv4.h"

#define LOCAL_IP  0x0a000001u   /* 10.0.0.1/24 on eth0 */
#define PEER_IP   0x0a000002u   /* 10.0.0.2, static ARP 02:00:00:00:00:aa */
#define LOCAL2_IP 0x0a010001u   /* 10.1.0.1/24 on eth1 (forwarding tests) */
#define PEER2_IP  0x0a010002u   /* 10.1.0.2, static ARP 02:00:00:00:00:bb */
#define TEST_PROTO 253          /* RFC 3692 experimentation */

static const u8 __maybe_unused peer_mac[6] = { 0x02, 0, 0, 0, 0, 0xaa };
static const u8 __maybe_unused peer2_mac[6] = { 0x02, 0, 0, 0, 0, 0xbb };

struct ip_world {
	struct tn_stack *st;
	struct net *net;
	struct net_device *eth0, *eth1;
};

/* Received by the test transport: the last datagram's payload, and a count. */
struct test_rx {
	unsigned int count;
	u8 data[2048];
	u32 len;
	u32 nh_off;       /* network header offset from data, as seen */
};

static struct test_rx test_rx_state;

static inline int test_proto_rcv(struct sk_buff *skb)
{
	struct test_rx *r = &test_rx_state;

	r->count++;
	r->len = TN_MIN(skb->len, (u32)sizeof(r->data));
	memcpy(r->data, skb->data, r->len);
	r->nh_off = (u32)(skb->data - skb_network_header(skb));
	consume_skb(skb);
	return 0;
}

static const struct net_protocol test_protocol = { .handler = test_proto_rcv };

static inline void ip_world_add_dev(struct ip_world *w, struct net_device **devp, const char *name,
			     u32 addr, u32 peer, const u8 *mac)
{
	*devp = testdev_create(w->net, name, true);
	assert_non_null(*devp);
	assert_int_equal(inet_addr_add(*devp, addr, 24, inet_default_broadcast(addr, 24),
				       RT_SCOPE_UNIVERSE, NULL), 0);
	assert_int_equal(arp_neigh_add(*devp, peer, mac, NUD_PERMANENT), 0);
}

/* eth0 10.0.0.1/24 (peer 10.0.0.2), and with two_devs eth1 10.1.0.1/24
 * (peer 10.1.0.2); the test protocol registered; nothing sent yet. */
static inline void ip_world_init(struct ip_world *w, bool two_devs)
{
	memset(w, 0, sizeof(*w));
	memset(&test_rx_state, 0, sizeof(test_rx_state));
	w->st = tn_test_stack_new();
	w->net = w->st->init_net;
	ip_world_add_dev(w, &w->eth0, "eth0", LOCAL_IP, PEER_IP, peer_mac);
	if (two_devs)
		ip_world_add_dev(w, &w->eth1, "eth1", LOCAL2_IP, PEER2_IP, peer2_mac);
	assert_int_equal(inet_add_protocol(w->st, &test_protocol, TEST_PROTO), 0);
	tn_test_run(w->st, 0);
	testdev_clear_tx(w->eth0);
	if (w->eth1)
		testdev_clear_tx(w->eth1);
}

static inline void ip_world_free(struct ip_world *w)
{
	inet_del_protocol(w->st, &test_protocol, TEST_PROTO);
	testdev_clear_tx(w->eth0);
	if (w->eth1)
		testdev_clear_tx(w->eth1);
	tn_test_stack_free(w->st);
}

static inline u64 ip_mib(struct ip_world *w, int field)
{
	return w->net->mib.ip[field];
}

static inline u64 drops(struct ip_world *w, enum skb_drop_reason r)
{
	return w->net->core.drops[r];
}

/* An IPv4 header (ihl from optlen) with a correct checksum, then payload. */
struct ip_pkt {
	u32 saddr, daddr;
	u8 ttl, protocol, tos;
	u16 id, frag_off;
	const u8 *opts;
	u8 optlen;            /* multiple of 4 */
	const u8 *payload;
	u16 paylen;
};

static inline size_t build_ipv4(u8 *buf, const struct ip_pkt *p)
{
	u8 ihl = (u8)(IPV4_MIN_HLEN + p->optlen);
	struct ipv4_repr r = {
		.ihl = ihl, .tos = p->tos, .tot_len = (u16)(ihl + p->paylen), .id = p->id,
		.frag_off = p->frag_off, .ttl = p->ttl, .protocol = p->protocol,
		.saddr = p->saddr, .daddr = p->daddr, .options = p->opts,
	};

	ipv4_emit(&r, buf);
	if (p->paylen)
		memcpy(buf + ihl, p->payload, p->paylen);
	return r.tot_len;
}

/* Ethernet frame to dev from src_mac carrying ip_len bytes of IP, padded
 * to ETH_ZLEN as a real NIC would hand it up. */
static inline size_t build_frame(u8 *frame, const struct net_device *dev, const u8 *src_mac,
			  const u8 *ip, size_t ip_len)
{
	size_t len = ETH_HLEN + ip_len;

	memcpy(frame, dev->dev_addr, 6);
	memcpy(frame + 6, src_mac, 6);
	put_be16(frame + 12, ETH_P_IP);
	memcpy(frame + ETH_HLEN, ip, ip_len);
	if (len < ETH_ZLEN) {
		memset(frame + len, 0, ETH_ZLEN - len);
		len = ETH_ZLEN;
	}
	return len;
}

/* Inject raw IP bytes on dev from peer_mac (unpadded when raw is set, so a
 * truncated header stays truncated) and run the stack. */
static inline void inject_ip(struct ip_world *w, struct net_device *dev, const u8 *ip, size_t len,
		      bool raw)
{
	u8 frame[2048];
	size_t flen;

	if (raw) {
		memcpy(frame, dev->dev_addr, 6);
		memcpy(frame + 6, peer_mac, 6);
		put_be16(frame + 12, ETH_P_IP);
		memcpy(frame + ETH_HLEN, ip, len);
		flen = ETH_HLEN + len;
	} else {
		flen = build_frame(frame, dev, dev == w->eth1 ? peer2_mac : peer_mac, ip, len);
	}
	assert_int_equal(testdev_inject(dev, frame, flen), 0);
	tn_test_run(w->st, 0);
}

static inline void inject_pkt(struct ip_world *w, struct net_device *dev, const struct ip_pkt *p)
{
	u8 ip[2048];
	size_t len = build_ipv4(ip, p);

	inject_ip(w, dev, ip, len, false);
}

static const u8 __maybe_unused test_payload[8] = { 'h', 'e', 'l', 'l', 'o', '!', 0, 1 };

/* A good datagram from the peer to us, for the test protocol. */
static inline struct ip_pkt good_pkt(void)
{
	return (struct ip_pkt){
		.saddr = PEER_IP, .daddr = LOCAL_IP, .ttl = 64, .protocol = TEST_PROTO,
		.id = 0x1234, .payload = test_payload, .paylen = sizeof(test_payload),
	};
}

#endif
