/*
 * ICMP over the test device: echo replies byte for byte, the echo sysctls,
 * checksum and length errors counted under Linux's names, errors we send
 * (exact bytes, the quoted header, and the RFC 1122 cases that never get
 * one), both rate limits in virtual time, and errors we receive passed to
 * the transport that sent the quoted packet, with path MTU learned from
 * fragmentation-needed.
 *
 * The world: a host with eth0 10.0.0.1/24 (02:00:00:00:00:02) and eth1
 * 10.1.0.1/24 (02:00:00:00:00:03); its neighbours 10.0.0.2 and 10.1.0.2 are
 * static ARP entries, so nothing waits for resolution. IP protocol 253
 * (RFC 3692 experimentation) is a test transport whose handler answers
 * every packet with the ICMP error the test asks for, and whose
 * err_handler records what it is told.
 */
#include "tn_test.h"

#include <netinet/in.h>

#include "net/skbuff.h"
#include "net/arp.h"
#include "net/checksum.h"
#include "net/icmp.h"
#include "net/inetdevice.h"
#include "net/inetpeer.h"
#include "net/ip.h"
#include "net/neighbour.h"
#include "net/netdevice.h"
#include "net/protocol.h"
#include "net/route.h"
#include "net/sysctl.h"
#include "net/testdev.h"
#include "net/wire/icmp.h"
#include "net/wire/ipv4.h"

#define LOCAL_IP  0x0a000001u  /* 10.0.0.1 on eth0 */
#define PEER_IP   0x0a000002u  /* 10.0.0.2 */
#define BCAST_IP  0x0a0000ffu
#define LOCAL1_IP 0x0a010001u  /* 10.1.0.1 on eth1 */
#define PEER1_IP  0x0a010002u  /* 10.1.0.2 */
#define TEST_PROTO 253

static const u8 our_mac[6] = { 0x02, 0, 0, 0, 0, 0x02 };
static const u8 peer_mac[6] = { 0x02, 0, 0, 0, 0, 0xaa };
static const u8 peer1_mac[6] = { 0x02, 0, 0, 0, 0, 0xbb };
static const u8 bcast_mac[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

struct icmp_world {
	struct tn_stack *st;
	struct net *net;
	struct net_device *dev, *dev1;
};

/* What the test transport does. net_protocol handlers get no context
 * pointer, and tests run one at a time in the process, so this fixture is
 * file-scope (test code only) and reset by world_init. */
struct test_proto_state {
	int rcvd;                   /* datagrams the handler saw */
	int send_type, send_code;   /* icmp_send per packet; -1: none */
	u32 send_info;
	int errs;
	u8 err_type, err_code;
	u32 err_info;
	u32 err_quoted_daddr;
};
static struct test_proto_state tps;  /* test fixture, reset by world_init */

static int test_proto_rcv(struct sk_buff *skb)
{
	tps.rcvd++;
	if (tps.send_type >= 0)
		icmp_send(skb, tps.send_type, tps.send_code, tps.send_info);
	consume_skb(skb);
	return 0;
}

static int test_proto_err(struct sk_buff *skb, u32 info, u8 type, u8 code)
{
	struct ipv4_repr q;

	assert_int_equal(ipv4_parse(skb->data, skb->len, &q), 0);
	tps.errs++;
	tps.err_type = type;
	tps.err_code = code;
	tps.err_info = info;
	tps.err_quoted_daddr = q.daddr;
	return 0;
}

static const struct net_protocol test_proto = {
	.handler = test_proto_rcv,
	.err_handler = test_proto_err,
};

static void world_init(struct icmp_world *w)
{
	memset(&tps, 0, sizeof(tps));
	tps.send_type = -1;
	w->st = tn_test_stack_new();
	w->net = w->st->init_net;
	w->dev = testdev_create(w->net, "eth0", true);
	w->dev1 = testdev_create(w->net, "eth1", true);
	assert_non_null(w->dev);
	assert_non_null(w->dev1);
	assert_int_equal(inet_addr_add(w->dev, LOCAL_IP, 24, BCAST_IP, RT_SCOPE_UNIVERSE, NULL), 0);
	assert_int_equal(inet_addr_add(w->dev1, LOCAL1_IP, 24, 0x0a0100ffu, RT_SCOPE_UNIVERSE,
				       NULL), 0);
	assert_int_equal(arp_neigh_add(w->dev, PEER_IP, peer_mac, NUD_PERMANENT), 0);
	assert_int_equal(arp_neigh_add(w->dev1, PEER1_IP, peer1_mac, NUD_PERMANENT), 0);
	assert_int_equal(inet_add_protocol(w->st, &test_proto, TEST_PROTO), 0);
	tn_test_run(w->st, 0);
	testdev_clear_tx(w->dev);
	testdev_clear_tx(w->dev1);
}

static void world_free(struct icmp_world *w)
{
	inet_del_protocol(w->st, &test_proto, TEST_PROTO);
	testdev_clear_tx(w->dev);
	testdev_clear_tx(w->dev1);
	tn_test_stack_free(w->st);
}

/* ---- frames ------------------------------------------------------------------ */

/* An ICMP message: header, rest-of-header word, data; checksummed. */
static size_t icmp_msg(u8 *buf, u8 type, u8 code, u32 rest, const u8 *data, size_t len)
{
	buf[0] = type;
	buf[1] = code;
	put_be16(buf + 2, 0);
	put_be32(buf + 4, rest);
	memcpy(buf + 8, data, len);
	put_be16(buf + 2, csum_fold(csum_partial(buf, 8 + len, 0)));
	return 8 + len;
}

/* An IPv4 datagram (20-byte header) carrying l4. */
static size_t ip_pkt(u8 *buf, const struct ipv4_repr *ip, const u8 *l4, size_t len)
{
	struct ipv4_repr r = *ip;

	r.ihl = IPV4_MIN_HLEN;
	r.tot_len = (u16)(IPV4_MIN_HLEN + len);
	ipv4_emit(&r, buf);
	memcpy(buf + IPV4_MIN_HLEN, l4, len);
	return IPV4_MIN_HLEN + len;
}

static size_t eth_frame(u8 *buf, const u8 *dst, const u8 *src, const u8 *ip, size_t len,
			bool pad)
{
	size_t n = 14 + len;

	memcpy(buf, dst, 6);
	memcpy(buf + 6, src, 6);
	put_be16(buf + 12, 0x0800);
	memcpy(buf + 14, ip, len);
	if (pad && n < 60) {
		memset(buf + n, 0, 60 - n);
		n = 60;
	}
	return n;
}

static struct ipv4_repr ip_hdr_of(u32 saddr, u32 daddr, u8 proto, u8 ttl)
{
	struct ipv4_repr r = { 0 };

	r.saddr = saddr;
	r.daddr = daddr;
	r.protocol = proto;
	r.ttl = ttl;
	r.id = 0x4242;
	return r;
}

static void inject_ip(struct icmp_world *w, struct net_device *dev, const u8 *eth_dst,
		      const u8 *eth_src, const struct ipv4_repr *ip, const u8 *l4, size_t len)
{
	u8 pkt[1600], frame[1700];
	size_t n = ip_pkt(pkt, ip, l4, len);

	n = eth_frame(frame, eth_dst, eth_src, pkt, n, true);
	assert_int_equal(testdev_inject(dev, frame, n), 0);
	tn_test_run(w->st, 0);
}

static void inject_echo(struct icmp_world *w, u32 saddr, u32 daddr, const u8 *eth_dst,
			u8 tos, u16 id, u16 seq, const u8 *data, size_t len)
{
	u8 icmp[1500];
	size_t n = icmp_msg(icmp, ICMP_ECHO, 0, (u32)id << 16 | seq, data, len);
	struct ipv4_repr ip = ip_hdr_of(saddr, daddr, IPPROTO_ICMP, 64);

	ip.tos = tos;
	inject_ip(w, w->dev, eth_dst, peer_mac, &ip, icmp, n);
}

/* The oldest frame sent on dev must be exactly the IPv4 datagram `ip` +
 * l4 to eth_dst from dev. The IP ID is IP's choice (RFC 6864): it is taken
 * from the frame, and every other byte, the header checksum included, must
 * match. */
static void expect_ip_tx(struct net_device *dev, const u8 *eth_dst, struct ipv4_repr ip,
			 const u8 *l4, size_t len)
{
	struct sk_buff *skb = testdev_pop_tx(dev);
	u8 pkt[1600], frame[1700];
	size_t n;

	assert_non_null(skb);
	assert_true(skb->len >= 14 + IPV4_MIN_HLEN);
	ip.id = get_be16(skb->data + 14 + 4);
	n = ip_pkt(pkt, &ip, l4, len);
	n = eth_frame(frame, eth_dst, dev->dev_addr, pkt, n, false);
	assert_int_equal(skb->len, n);
	assert_memory_equal(skb->data, frame, n);
	consume_skb(skb);
}

static u64 icmp_mib(struct icmp_world *w, int field) { return w->net->mib.icmp[field]; }

static const u8 payload32[32] = "abcdefghijklmnopqrstuvwxyz012345";

/* ---- echo --------------------------------------------------------------------- */

static void echo_request_then_exact_reply(void **state)
{
	struct icmp_world w;
	u8 icmp[64];
	size_t n;

	world_init(&w);
	inject_echo(&w, PEER_IP, LOCAL_IP, our_mac, 0x10, 0x1234, 7, payload32, 32);
	n = icmp_msg(icmp, ICMP_ECHOREPLY, 0, 0x12340007, payload32, 32);
	struct ipv4_repr ip = ip_hdr_of(LOCAL_IP, PEER_IP, IPPROTO_ICMP, 64);
	ip.tos = 0x10;                          /* the request's TOS */
	expect_ip_tx(w.dev, peer_mac, ip, icmp, n);
	assert_int_equal(testdev_tx_count(w.dev), 0);
	assert_int_equal(icmp_mib(&w, ICMP_MIB_INMSGS), 1);
	assert_int_equal(icmp_mib(&w, ICMP_MIB_OUTMSGS), 1);
	assert_int_equal(w.net->mib.icmpmsg[ICMP_ECHO], 1);
	assert_int_equal(w.net->mib.icmpmsg[256 + ICMP_ECHOREPLY], 1);
	assert_int_equal(icmp_mib(&w, ICMP_MIB_INERRORS), 0);
	world_free(&w);
}

/* Sent to eth1's address over eth0: answered from the address asked. */
static void echo_to_other_local_address_then_reply_from_it(void **state)
{
	struct icmp_world w;
	u8 icmp[64];
	size_t n;

	world_init(&w);
	inject_echo(&w, PEER_IP, LOCAL1_IP, our_mac, 0, 1, 1, payload32, 8);
	n = icmp_msg(icmp, ICMP_ECHOREPLY, 0, 0x00010001, payload32, 8);
	expect_ip_tx(w.dev, peer_mac, ip_hdr_of(LOCAL1_IP, PEER_IP, IPPROTO_ICMP, 64), icmp, n);
	world_free(&w);
}

static void echo_ignore_all_then_no_reply(void **state)
{
	struct icmp_world w;

	world_init(&w);
	w.net->ipv4.sysctl_icmp_echo_ignore_all = 1;
	inject_echo(&w, PEER_IP, LOCAL_IP, our_mac, 0, 1, 1, payload32, 32);
	assert_int_equal(testdev_tx_count(w.dev), 0);
	assert_int_equal(icmp_mib(&w, ICMP_MIB_INMSGS), 1);
	assert_int_equal(icmp_mib(&w, ICMP_MIB_INERRORS), 0);
	assert_int_equal(icmp_mib(&w, ICMP_MIB_OUTMSGS), 0);
	world_free(&w);
}

static void broadcast_echo_then_ignored(void **state)
{
	struct icmp_world w;

	world_init(&w);
	inject_echo(&w, PEER_IP, BCAST_IP, bcast_mac, 0, 1, 1, payload32, 32);
	assert_int_equal(testdev_tx_count(w.dev), 0);
	assert_int_equal(icmp_mib(&w, ICMP_MIB_INMSGS), 1);
	assert_int_equal(icmp_mib(&w, ICMP_MIB_INERRORS), 1);
	assert_int_equal(w.net->core.drops[SKB_DROP_REASON_INVALID_PROTO], 1);
	world_free(&w);
}

static void broadcast_echo_allowed_then_reply_from_subnet_address(void **state)
{
	struct icmp_world w;
	u8 icmp[64];
	size_t n;

	world_init(&w);
	w.net->ipv4.sysctl_icmp_echo_ignore_broadcasts = 0;
	inject_echo(&w, PEER_IP, BCAST_IP, bcast_mac, 0, 1, 1, payload32, 32);
	n = icmp_msg(icmp, ICMP_ECHOREPLY, 0, 0x00010001, payload32, 32);
	expect_ip_tx(w.dev, peer_mac, ip_hdr_of(LOCAL_IP, PEER_IP, IPPROTO_ICMP, 64), icmp, n);
	world_free(&w);
}

static void echo_bad_checksum_then_counted_and_dropped(void **state)
{
	struct icmp_world w;
	u8 icmp[64];
	size_t n;

	world_init(&w);
	n = icmp_msg(icmp, ICMP_ECHO, 0, 0x00010001, payload32, 32);
	icmp[10] ^= 0xff;   /* corrupt the data after the checksum was computed */
	struct ipv4_repr ip = ip_hdr_of(PEER_IP, LOCAL_IP, IPPROTO_ICMP, 64);
	inject_ip(&w, w.dev, our_mac, peer_mac, &ip, icmp, n);
	assert_int_equal(testdev_tx_count(w.dev), 0);
	assert_int_equal(icmp_mib(&w, ICMP_MIB_INMSGS), 1);
	assert_int_equal(icmp_mib(&w, ICMP_MIB_CSUMERRORS), 1);
	assert_int_equal(icmp_mib(&w, ICMP_MIB_INERRORS), 1);
	assert_int_equal(w.net->core.drops[SKB_DROP_REASON_ICMP_CSUM], 1);
	world_free(&w);
}

static void truncated_header_then_in_error(void **state)
{
	struct icmp_world w;
	u8 icmp[4] = { ICMP_ECHO, 0, 0, 0 };

	world_init(&w);
	put_be16(icmp + 2, csum_fold(csum_partial(icmp, 4, 0)));
	struct ipv4_repr ip = ip_hdr_of(PEER_IP, LOCAL_IP, IPPROTO_ICMP, 64);
	inject_ip(&w, w.dev, our_mac, peer_mac, &ip, icmp, 4);
	assert_int_equal(testdev_tx_count(w.dev), 0);
	assert_int_equal(icmp_mib(&w, ICMP_MIB_INERRORS), 1);
	assert_int_equal(w.net->core.drops[SKB_DROP_REASON_PKT_TOO_SMALL], 1);
	world_free(&w);
}

static void timestamp_request_then_reply_with_nonstandard_time(void **state)
{
	struct icmp_world w;
	u8 req[20], data[12] = { 0, 0, 0x12, 0x34 };
	u8 rep[20];
	size_t n;

	world_init(&w);
	tn_test_run(w.st, 1500);
	testdev_clear_tx(w.dev);
	n = icmp_msg(req, ICMP_TIMESTAMP, 0, 0x00050006, data, 12);
	struct ipv4_repr ip = ip_hdr_of(PEER_IP, LOCAL_IP, IPPROTO_ICMP, 64);
	inject_ip(&w, w.dev, our_mac, peer_mac, &ip, req, n);
	/* Originate echoed; receive and transmit: 1500 ms with the
	 * "not since midnight UT" bit. */
	u8 times[12] = { 0, 0, 0x12, 0x34, 0x80, 0, 0x05, 0xdc, 0x80, 0, 0x05, 0xdc };
	n = icmp_msg(rep, ICMP_TIMESTAMPREPLY, 0, 0x00050006, times, 12);
	expect_ip_tx(w.dev, peer_mac, ip_hdr_of(LOCAL_IP, PEER_IP, IPPROTO_ICMP, 64), rep, n);
	world_free(&w);
}

/* ---- errors we send -------------------------------------------------------------- */

/* The datagram the test transport receives: 10.0.0.2 -> dst, 40 bytes of
 * payload, so the whole of it is quoted. */
static size_t test_datagram(u8 *buf, u32 src, u32 dst, u8 ttl)
{
	struct ipv4_repr ip = ip_hdr_of(src, dst, TEST_PROTO, ttl);
	u8 payload[40];

	for (int i = 0; i < 40; i++)
		payload[i] = (u8)(0xa0 + i);
	return ip_pkt(buf, &ip, payload, sizeof(payload));
}

static void inject_test_datagram(struct icmp_world *w, u32 src, u32 dst, const u8 *eth_dst)
{
	u8 pkt[128], frame[160];
	size_t n = test_datagram(pkt, src, dst, 64);

	n = eth_frame(frame, eth_dst, peer_mac, pkt, n, true);
	assert_int_equal(testdev_inject(w->dev, frame, n), 0);
	tn_test_run(w->st, 0);
}

static void port_unreachable_then_exact_error_quoting_datagram(void **state)
{
	struct icmp_world w;
	u8 pkt[128], icmp[160];
	size_t n, qn;

	world_init(&w);
	tps.send_type = ICMP_DEST_UNREACH;
	tps.send_code = ICMP_PORT_UNREACH;
	inject_test_datagram(&w, PEER_IP, LOCAL_IP, our_mac);
	qn = test_datagram(pkt, PEER_IP, LOCAL_IP, 64);
	n = icmp_msg(icmp, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 0, pkt, qn);
	struct ipv4_repr ip = ip_hdr_of(LOCAL_IP, PEER_IP, IPPROTO_ICMP, 64);
	ip.tos = 0xc0;   /* IPTOS_PREC_INTERNETCONTROL */
	expect_ip_tx(w.dev, peer_mac, ip, icmp, n);
	assert_int_equal(icmp_mib(&w, ICMP_MIB_OUTMSGS), 1);
	assert_int_equal(w.net->mib.icmpmsg[256 + ICMP_DEST_UNREACH], 1);
	world_free(&w);
}

/* A datagram to eth1's address arriving on eth0: the error comes from the
 * address it was sent to (it was for us), not from eth0's. */
static void error_about_local_datagram_then_source_is_its_destination(void **state)
{
	struct icmp_world w;
	u8 pkt[128], icmp[160];
	size_t n, qn;

	world_init(&w);
	tps.send_type = ICMP_DEST_UNREACH;
	tps.send_code = ICMP_PROT_UNREACH;
	inject_test_datagram(&w, PEER_IP, LOCAL1_IP, our_mac);
	qn = test_datagram(pkt, PEER_IP, LOCAL1_IP, 64);
	n = icmp_msg(icmp, ICMP_DEST_UNREACH, ICMP_PROT_UNREACH, 0, pkt, qn);
	struct ipv4_repr ip = ip_hdr_of(LOCAL1_IP, PEER_IP, IPPROTO_ICMP, 64);
	ip.tos = 0xc0;
	expect_ip_tx(w.dev, peer_mac, ip, icmp, n);
	world_free(&w);
}

/* RFC 1812 4.3.2.3: at most 576 bytes in all. */
static void error_about_large_datagram_then_quote_fills_576(void **state)
{
	struct icmp_world w;
	u8 pkt[1500], frame[1600], icmp[600];
	u8 payload[1000];
	size_t n;

	world_init(&w);
	tps.send_type = ICMP_DEST_UNREACH;
	tps.send_code = ICMP_PORT_UNREACH;
	memset(payload, 0x5a, sizeof(payload));
	struct ipv4_repr ip = ip_hdr_of(PEER_IP, LOCAL_IP, TEST_PROTO, 64);
	n = ip_pkt(pkt, &ip, payload, sizeof(payload));
	assert_int_equal(testdev_inject(w.dev, frame, eth_frame(frame, our_mac, peer_mac, pkt, n,
								  true)), 0);
	tn_test_run(w.st, 0);
	n = icmp_msg(icmp, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 0, pkt, 576 - 28);
	struct ipv4_repr eip = ip_hdr_of(LOCAL_IP, PEER_IP, IPPROTO_ICMP, 64);
	eip.tos = 0xc0;
	expect_ip_tx(w.dev, peer_mac, eip, icmp, n);
	world_free(&w);
}

static void error_about_ip_broadcast_then_none(void **state)
{
	struct icmp_world w;

	world_init(&w);
	tps.send_type = ICMP_DEST_UNREACH;
	tps.send_code = ICMP_PORT_UNREACH;
	inject_test_datagram(&w, PEER_IP, BCAST_IP, bcast_mac);
	assert_int_equal(tps.rcvd, 1);   /* delivered, and icmp_send was asked */
	assert_int_equal(testdev_tx_count(w.dev), 0);
	assert_int_equal(icmp_mib(&w, ICMP_MIB_OUTMSGS), 0);
	world_free(&w);
}

static void error_about_link_broadcast_then_none(void **state)
{
	struct icmp_world w;

	world_init(&w);
	tps.send_type = ICMP_DEST_UNREACH;
	tps.send_code = ICMP_PORT_UNREACH;
	inject_test_datagram(&w, PEER_IP, LOCAL_IP, bcast_mac);
	assert_int_equal(tps.rcvd, 1);   /* delivered, and icmp_send was asked */
	assert_int_equal(testdev_tx_count(w.dev), 0);
	assert_int_equal(icmp_mib(&w, ICMP_MIB_OUTMSGS), 0);
	world_free(&w);
}

/* Forwarding with TTL 1: time exceeded for an echo request, nothing for an
 * ICMP error or a fragment other than the first. */
static void forward_ttl_expired_then_time_exceeded(void **state)
{
	struct icmp_world w;
	u8 echo[64], pkt[128], icmp[200];
	size_t n, en;

	world_init(&w);
	assert_int_equal(tn_sysctl_write(w.net, "net.ipv4.conf.all.forwarding", "1"), 0);
	en = icmp_msg(echo, ICMP_ECHO, 0, 0x00090001, payload32, 16);
	struct ipv4_repr ip = ip_hdr_of(PEER_IP, PEER1_IP, IPPROTO_ICMP, 1);
	inject_ip(&w, w.dev, our_mac, peer_mac, &ip, echo, en);
	n = ip_pkt(pkt, &ip, echo, en);
	n = icmp_msg(icmp, ICMP_TIME_EXCEEDED, ICMP_EXC_TTL, 0, pkt, n);
	struct ipv4_repr eip = ip_hdr_of(LOCAL_IP, PEER_IP, IPPROTO_ICMP, 64);
	eip.tos = 0xc0;
	expect_ip_tx(w.dev, peer_mac, eip, icmp, n);
	assert_int_equal(testdev_tx_count(w.dev1), 0);
	world_free(&w);
}

static void forward_ttl_expired_icmp_error_then_no_error(void **state)
{
	struct icmp_world w;
	u8 inner[64], err[128];
	size_t n;

	world_init(&w);
	assert_int_equal(tn_sysctl_write(w.net, "net.ipv4.conf.all.forwarding", "1"), 0);
	n = test_datagram(inner, PEER1_IP, PEER_IP, 64);
	n = icmp_msg(err, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 0, inner, 28);
	struct ipv4_repr ip = ip_hdr_of(PEER_IP, PEER1_IP, IPPROTO_ICMP, 1);
	inject_ip(&w, w.dev, our_mac, peer_mac, &ip, err, n);
	/* It reached the TTL check (InHdrErrors), where icmp_send was asked. */
	assert_int_equal(w.net->mib.ip[IPSTATS_MIB_INHDRERRORS], 1);
	assert_int_equal(testdev_tx_count(w.dev), 0);
	assert_int_equal(testdev_tx_count(w.dev1), 0);
	assert_int_equal(icmp_mib(&w, ICMP_MIB_OUTMSGS), 0);
	world_free(&w);
}

static void forward_ttl_expired_non_first_fragment_then_no_error(void **state)
{
	struct icmp_world w;
	u8 data[64];

	world_init(&w);
	assert_int_equal(tn_sysctl_write(w.net, "net.ipv4.conf.all.forwarding", "1"), 0);
	memset(data, 0x11, sizeof(data));
	struct ipv4_repr ip = ip_hdr_of(PEER_IP, PEER1_IP, TEST_PROTO, 1);
	ip.frag_off = 185;   /* offset 1480, last fragment */
	inject_ip(&w, w.dev, our_mac, peer_mac, &ip, data, sizeof(data));
	/* It reached the TTL check (InHdrErrors), where icmp_send was asked. */
	assert_int_equal(w.net->mib.ip[IPSTATS_MIB_INHDRERRORS], 1);
	assert_int_equal(testdev_tx_count(w.dev), 0);
	assert_int_equal(icmp_mib(&w, ICMP_MIB_OUTMSGS), 0);
	world_free(&w);
}

/* ---- rate limits --------------------------------------------------------------- */

/* IPv4 frames sent on dev since the last drain (ARP is not counted). */
static unsigned int drain_tx(struct net_device *dev)
{
	struct sk_buff *skb;
	unsigned int n = 0;

	while ((skb = testdev_pop_tx(dev))) {
		n += skb->len >= 14 && get_be16(skb->data + 12) == 0x0800;
		consume_skb(skb);
	}
	return n;
}

static void burst_to_one_host_then_six_then_one_per_ratelimit(void **state)
{
	struct icmp_world w;

	world_init(&w);
	tps.send_type = ICMP_DEST_UNREACH;
	tps.send_code = ICMP_PORT_UNREACH;
	for (int i = 0; i < 100; i++)
		inject_test_datagram(&w, PEER_IP, LOCAL_IP, our_mac);
	assert_int_equal(drain_tx(w.dev), XRLIM_BURST_FACTOR);
	assert_int_equal(icmp_mib(&w, ICMP_MIB_RATELIMITHOST), 94);
	/* One token per icmp_ratelimit (1000 ms). */
	tn_test_run(w.st, 999);
	inject_test_datagram(&w, PEER_IP, LOCAL_IP, our_mac);
	assert_int_equal(drain_tx(w.dev), 0);
	tn_test_run(w.st, 1);
	for (int i = 0; i < 10; i++)
		inject_test_datagram(&w, PEER_IP, LOCAL_IP, our_mac);
	assert_int_equal(drain_tx(w.dev), 1);
	tn_test_run(w.st, 3000);
	for (int i = 0; i < 10; i++)
		inject_test_datagram(&w, PEER_IP, LOCAL_IP, our_mac);
	assert_int_equal(drain_tx(w.dev), 3);
	assert_int_equal(icmp_mib(&w, ICMP_MIB_RATELIMITGLOBAL), 0);
	world_free(&w);
}

static void ratemask_cleared_then_no_host_limit(void **state)
{
	struct icmp_world w;

	world_init(&w);
	w.net->ipv4.sysctl_icmp_ratemask = 0;
	tps.send_type = ICMP_DEST_UNREACH;
	tps.send_code = ICMP_PORT_UNREACH;
	for (int i = 0; i < 20; i++)
		inject_test_datagram(&w, PEER_IP, LOCAL_IP, our_mac);
	assert_int_equal(drain_tx(w.dev), 20);
	world_free(&w);
}

/* Echo replies are outside icmp_ratemask: never limited. */
static void echo_burst_then_every_one_answered(void **state)
{
	struct icmp_world w;

	world_init(&w);
	for (int i = 0; i < 100; i++)
		inject_echo(&w, PEER_IP, LOCAL_IP, our_mac, 0, 1, (u16)i, payload32, 8);
	assert_int_equal(drain_tx(w.dev), 100);
	world_free(&w);
}

static void global_bucket_empty_then_limited_until_refill(void **state)
{
	struct icmp_world w;
	unsigned int sent;

	world_init(&w);
	w.net->ipv4.sysctl_icmp_ratelimit = 0;     /* only the global bucket */
	w.net->ipv4.sysctl_icmp_msgs_burst = 10;
	tps.send_type = ICMP_DEST_UNREACH;
	tps.send_code = ICMP_PORT_UNREACH;
	for (int i = 0; i < 100; i++)
		inject_test_datagram(&w, PEER_IP, LOCAL_IP, our_mac);
	sent = drain_tx(w.dev);
	/* Each message costs 0..2 credits: at least burst/2 go out. */
	assert_true(sent >= 5 && sent < 100);
	assert_int_equal(icmp_mib(&w, ICMP_MIB_RATELIMITGLOBAL), 100 - sent);
	/* Refills come no faster than every 20 ms. */
	tn_test_run(w.st, 19);
	inject_test_datagram(&w, PEER_IP, LOCAL_IP, our_mac);
	assert_int_equal(drain_tx(w.dev), 0);
	tn_test_run(w.st, 1);
	inject_test_datagram(&w, PEER_IP, LOCAL_IP, our_mac);
	assert_int_equal(drain_tx(w.dev), 1);
	world_free(&w);
}

/* ---- errors we receive ---------------------------------------------------------- */

/* An ICMP error from 10.0.0.2 quoting a test-protocol datagram we sent
 * from 10.0.0.1 to dst with tot_len quoted_len, quoting `quote` bytes. */
static void inject_error_about_ours(struct icmp_world *w, u8 type, u8 code, u32 rest, u32 dst,
				    u16 quoted_len, size_t quote)
{
	u8 q[128], icmp[160];
	struct ipv4_repr qip = ip_hdr_of(LOCAL_IP, dst, TEST_PROTO, 63);
	u8 zeros[100] = { 0 };
	size_t n;

	ip_pkt(q, &qip, zeros, 100);
	put_be16(q + 2, quoted_len);
	put_be16(q + 10, 0);
	put_be16(q + 10, ip_fast_csum(q, 5));
	n = icmp_msg(icmp, type, code, rest, q, quote);
	struct ipv4_repr ip = ip_hdr_of(PEER_IP, LOCAL_IP, IPPROTO_ICMP, 64);
	inject_ip(w, w->dev, our_mac, peer_mac, &ip, icmp, n);
}

static void port_unreachable_received_then_transport_err_handler(void **state)
{
	struct icmp_world w;

	world_init(&w);
	inject_error_about_ours(&w, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 0, PEER_IP, 120, 28);
	assert_int_equal(tps.errs, 1);
	assert_int_equal(tps.err_type, ICMP_DEST_UNREACH);
	assert_int_equal(tps.err_code, ICMP_PORT_UNREACH);
	assert_int_equal(tps.err_quoted_daddr, PEER_IP);
	assert_int_equal(w.net->mib.icmpmsg[ICMP_DEST_UNREACH], 1);
	assert_int_equal(icmp_mib(&w, ICMP_MIB_INERRORS), 0);
	world_free(&w);
}

/* RFC 1122 3.2.2: fewer than 8 bytes beyond the quoted header is useless
 * to the transport. */
static void error_quoting_short_transport_then_in_error(void **state)
{
	struct icmp_world w;

	world_init(&w);
	inject_error_about_ours(&w, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 0, PEER_IP, 120, 24);
	assert_int_equal(tps.errs, 0);
	assert_int_equal(icmp_mib(&w, ICMP_MIB_INERRORS), 1);
	world_free(&w);
}

static void time_exceeded_and_param_problem_then_dispatched_with_pointer(void **state)
{
	struct icmp_world w;

	world_init(&w);
	inject_error_about_ours(&w, ICMP_TIME_EXCEEDED, ICMP_EXC_TTL, 0, PEER1_IP, 120, 28);
	assert_int_equal(tps.errs, 1);
	assert_int_equal(icmp_mib(&w, ICMP_MIB_INTIMEEXCDS), 1);
	/* Reassembly timeouts concern no transport. */
	inject_error_about_ours(&w, ICMP_TIME_EXCEEDED, ICMP_EXC_FRAGTIME, 0, PEER1_IP, 120, 28);
	assert_int_equal(tps.errs, 1);
	inject_error_about_ours(&w, ICMP_PARAMETERPROB, 0, 12u << 24, PEER1_IP, 120, 28);
	assert_int_equal(tps.errs, 2);
	assert_int_equal(tps.err_info, 12);
	world_free(&w);
}

static void source_quench_then_ignored(void **state)
{
	struct icmp_world w;

	world_init(&w);
	inject_error_about_ours(&w, ICMP_SOURCE_QUENCH, 0, 0, PEER_IP, 120, 28);
	assert_int_equal(tps.errs, 0);
	assert_int_equal(w.net->mib.icmpmsg[ICMP_SOURCE_QUENCH], 1);
	world_free(&w);
}

static void frag_needed_then_mtu_to_transport_and_pmtu_learned(void **state)
{
	struct icmp_world w;
	struct rt_get_result res;

	world_init(&w);
	inject_error_about_ours(&w, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, 1400, PEER1_IP, 1500, 28);
	assert_int_equal(tps.errs, 1);
	assert_int_equal(tps.err_info, 1400);
	assert_int_equal(ip_route_get(w.net, PEER1_IP, 0, 0, 0, 0, &res), 0);
	assert_int_equal(res.mtu, 1400);
	world_free(&w);
}

/* RFC 1191 5: a router that reports MTU 0 gets the plateau guess below
 * the quoted length (1500 -> 1492). */
static void frag_needed_without_mtu_then_plateau_guess(void **state)
{
	struct icmp_world w;

	world_init(&w);
	inject_error_about_ours(&w, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, 0, PEER1_IP, 1500, 28);
	assert_int_equal(tps.errs, 1);
	assert_int_equal(tps.err_info, 1492);
	inject_error_about_ours(&w, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, 0, PEER1_IP, 600, 28);
	assert_int_equal(tps.err_info, 576);
	world_free(&w);
}

static void frag_needed_with_no_pmtu_disc_2_then_ignored(void **state)
{
	struct icmp_world w;

	world_init(&w);
	w.net->ipv4.sysctl_ip_no_pmtu_disc = 2;
	inject_error_about_ours(&w, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, 1400, PEER1_IP, 1500, 28);
	assert_int_equal(tps.errs, 0);
	world_free(&w);
}

static void unsolicited_echo_reply_then_dropped_no_socket(void **state)
{
	struct icmp_world w;
	u8 icmp[64];
	size_t n;

	world_init(&w);
	n = icmp_msg(icmp, ICMP_ECHOREPLY, 0, 0x77770001, payload32, 8);
	struct ipv4_repr ip = ip_hdr_of(PEER_IP, LOCAL_IP, IPPROTO_ICMP, 64);
	inject_ip(&w, w.dev, our_mac, peer_mac, &ip, icmp, n);
	assert_int_equal(w.net->core.drops[SKB_DROP_REASON_NO_SOCKET], 1);
	assert_int_equal(icmp_mib(&w, ICMP_MIB_INERRORS), 0);
	world_free(&w);
}

/* ---- inet_peer --------------------------------------------------------------------- */

static void peer_pool_at_threshold_then_stale_peers_reclaimed(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct inet_peer_base *base = st->init_net->ipv4.peers;
	struct inet_peer *p;

	assert_non_null(base);
	base->threshold = 100;
	for (u32 i = 0; i < 100; i++) {
		p = inet_getpeer_v4(base, 0x0b000000u + i, true);
		assert_non_null(p);
		inet_putpeer(p);
	}
	assert_int_equal(base->total, 100);
	/* At the threshold the TTL is 0: each new peer reclaims old ones. */
	tn_test_run(st, 1);
	p = inet_getpeer_v4(base, 0x0c000000u, true);
	inet_putpeer(p);
	assert_true(base->total <= 100);
	assert_true(base->gc_reclaimed >= 1);
	/* The survivors are still found; a reclaimed one is not. */
	assert_null(inet_getpeer_v4(base, 0x0b000000u, false));
	p = inet_getpeer_v4(base, 0x0b000063u, false);
	assert_non_null(p);
	inet_putpeer(p);
	tn_test_stack_free(st);
}

static void new_peer_then_burst_of_six_and_one_per_timeout(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct inet_peer *p = inet_getpeer_v4(st->init_net->ipv4.peers, 0x0b000001u, true);
	int ok = 0;

	for (int i = 0; i < 10; i++)
		ok += inet_peer_xrlim_allow(p, 1000, jiffies(st));
	assert_int_equal(ok, 6);
	assert_false(inet_peer_xrlim_allow(p, 1000, jiffies(st) + 999));
	assert_true(inet_peer_xrlim_allow(p, 1000, jiffies(st) + 1000));
	inet_putpeer(p);
	tn_test_stack_free(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(echo_request_then_exact_reply),
		cmocka_unit_test(echo_to_other_local_address_then_reply_from_it),
		cmocka_unit_test(echo_ignore_all_then_no_reply),
		cmocka_unit_test(broadcast_echo_then_ignored),
		cmocka_unit_test(broadcast_echo_allowed_then_reply_from_subnet_address),
		cmocka_unit_test(echo_bad_checksum_then_counted_and_dropped),
		cmocka_unit_test(truncated_header_then_in_error),
		cmocka_unit_test(timestamp_request_then_reply_with_nonstandard_time),
		cmocka_unit_test(port_unreachable_then_exact_error_quoting_datagram),
		cmocka_unit_test(error_about_local_datagram_then_source_is_its_destination),
		cmocka_unit_test(error_about_large_datagram_then_quote_fills_576),
		cmocka_unit_test(error_about_ip_broadcast_then_none),
		cmocka_unit_test(error_about_link_broadcast_then_none),
		cmocka_unit_test(forward_ttl_expired_then_time_exceeded),
		cmocka_unit_test(forward_ttl_expired_icmp_error_then_no_error),
		cmocka_unit_test(forward_ttl_expired_non_first_fragment_then_no_error),
		cmocka_unit_test(burst_to_one_host_then_six_then_one_per_ratelimit),
		cmocka_unit_test(ratemask_cleared_then_no_host_limit),
		cmocka_unit_test(echo_burst_then_every_one_answered),
		cmocka_unit_test(global_bucket_empty_then_limited_until_refill),
		cmocka_unit_test(port_unreachable_received_then_transport_err_handler),
		cmocka_unit_test(error_quoting_short_transport_then_in_error),
		cmocka_unit_test(time_exceeded_and_param_problem_then_dispatched_with_pointer),
		cmocka_unit_test(source_quench_then_ignored),
		cmocka_unit_test(frag_needed_then_mtu_to_transport_and_pmtu_learned),
		cmocka_unit_test(frag_needed_without_mtu_then_plateau_guess),
		cmocka_unit_test(frag_needed_with_no_pmtu_disc_2_then_ignored),
		cmocka_unit_test(unsolicited_echo_reply_then_dropped_no_socket),
		cmocka_unit_test(peer_pool_at_threshold_then_stale_peers_reclaimed),
		cmocka_unit_test(new_peer_then_burst_of_six_and_one_per_timeout),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
