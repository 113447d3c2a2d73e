/*
 * net/ethernet/eth.c: eth_type_trans classification (Linux's table,
 * including 802.3 length frames and the raw-IPX hack), the header_ops,
 * ether_setup defaults, random addresses and MAC text parsing.
 */
#include <errno.h>

#include "tn_test.h"
#include "net/skbuff.h"
#include "net/etherdevice.h"
#include "net/testdev.h"

/* An skb holding frame[0..len) as a driver would hand it to eth_type_trans. */
static struct sk_buff *frame_skb(struct net_device *dev, const u8 *frame, size_t len)
{
	struct sk_buff *skb = netdev_alloc_skb(dev, (unsigned int)len);

	assert_non_null(skb);
	skb_put_data(skb, frame, (unsigned int)len);
	return skb;
}

struct classify_case {
	const char *what;
	const char *dst;          /* NULL: the device's own address */
	u8 type[2];
	u8 payload[2];
	bool promisc;
	u8 pkt_type;
	u16 proto;
};

static const struct classify_case classify_cases[] = {
	{ "to us, IPv4", NULL, { 0x08, 0x00 }, { 0x45, 0x00 }, false, PACKET_HOST, 0x0800 },
	{ "broadcast ARP", "ff:ff:ff:ff:ff:ff", { 0x08, 0x06 }, { 0, 1 }, false,
	  PACKET_BROADCAST, 0x0806 },
	{ "IPv4 multicast", "01:00:5e:00:00:01", { 0x08, 0x00 }, { 0x45, 0 }, false,
	  PACKET_MULTICAST, 0x0800 },
	{ "IPv6 multicast", "33:33:00:00:00:01", { 0x86, 0xdd }, { 0x60, 0 }, false,
	  PACKET_MULTICAST, 0x86dd },
	{ "other host", "02:00:00:00:00:99", { 0x08, 0x00 }, { 0x45, 0 }, false,
	  PACKET_OTHERHOST, 0x0800 },
	{ "other host, promiscuous", "02:00:00:00:00:99", { 0x08, 0x00 }, { 0x45, 0 }, true,
	  PACKET_OTHERHOST, 0x0800 },
	{ "802.3 raw IPX", NULL, { 0x00, 0x40 }, { 0xff, 0xff }, false, PACKET_HOST,
	  ETH_P_802_3 },
	{ "802.3 with LLC", NULL, { 0x00, 0x40 }, { 0xaa, 0xaa }, false, PACKET_HOST,
	  ETH_P_802_2 },
	{ "largest length 0x05ff", NULL, { 0x05, 0xff }, { 0x42, 0x42 }, false, PACKET_HOST,
	  ETH_P_802_2 },
	{ "smallest type 0x0600", NULL, { 0x06, 0x00 }, { 0, 0 }, false, PACKET_HOST, 0x0600 },
};

static void run_classify_case(struct net_device *dev, const struct classify_case *c)
{
	u8 frame[ETH_HLEN + 2] = { 0 };
	struct sk_buff *skb;
	unsigned int mac_off;

	if (c->dst)
		assert_int_equal(tn_parse_mac(c->dst, frame), 0);
	else
		memcpy(frame, dev->dev_addr, ETH_ALEN);
	memcpy(frame + ETH_ALEN, "\x02\x00\x00\x00\x00\x77", ETH_ALEN);
	memcpy(frame + 12, c->type, 2);
	memcpy(frame + 14, c->payload, 2);

	if (c->promisc)
		assert_int_equal(dev_set_promiscuity(dev, 1), 0);
	skb = frame_skb(dev, frame, sizeof(frame));
	skb->dev = NULL;
	mac_off = skb_headroom(skb);

	u16 proto = eth_type_trans(skb, dev);
	print_message("case: %s\n", c->what);
	assert_int_equal(proto, c->proto);
	assert_int_equal(skb->pkt_type, c->pkt_type);
	assert_ptr_equal(skb->dev, dev);
	assert_int_equal(skb->mac_header, mac_off);
	assert_int_equal(skb->len, 2);
	assert_memory_equal(skb->data, c->payload, 2);
	consume_skb(skb);
	if (c->promisc)
		assert_int_equal(dev_set_promiscuity(dev, -1), 0);
}

static void test_eth_type_trans_classification_table(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = testdev_create(st->init_net, NULL, true);

	assert_non_null(dev);
	for (size_t i = 0; i < ARRAY_SIZE(classify_cases); i++)
		run_classify_case(dev, &classify_cases[i]);
	tn_test_stack_free(st);
}

/* A frame of exactly ETH_HLEN with an 802.3 length: there is no SAP to
 * peek at, so it is LLC (skb_header_pointer fails, as on Linux). */
static void test_eth_type_trans_bare_8023_header_is_llc(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = testdev_create(st->init_net, NULL, true);
	u8 frame[ETH_HLEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 7, 0x00, 0x00 };
	struct sk_buff *skb = frame_skb(dev, frame, sizeof(frame));

	assert_int_equal(eth_type_trans(skb, dev), ETH_P_802_2);
	assert_int_equal(skb->pkt_type, PACKET_BROADCAST);
	assert_int_equal(skb->len, 0);
	consume_skb(skb);
	tn_test_stack_free(st);
}

static void test_eth_header_with_daddr_writes_exact_bytes(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = testdev_create(st->init_net, NULL, true);
	const u8 dst[ETH_ALEN] = { 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee };
	struct sk_buff *skb = alloc_skb(st, 128);
	u8 expect[ETH_HLEN];

	skb_reserve(skb, 64);
	skb_put_data(skb, "\x45\x00", 2);
	assert_int_equal(dev->header_ops->create(skb, dev, 0x0800, dst, NULL, skb->len),
			 ETH_HLEN);
	tn_test_hex("02 aa bb cc dd ee  02 00 00 00 00 02  08 00", expect, sizeof(expect));
	expect[11] = (u8)dev->ifindex;
	assert_int_equal(skb->len, ETH_HLEN + 2);
	assert_memory_equal(skb->data, expect, ETH_HLEN);

	/* parse reads the source back out of a received frame */
	u8 src[ETH_ALEN];
	skb_reset_mac_header(skb);
	assert_int_equal(dev->header_ops->parse(skb, src), ETH_ALEN);
	assert_memory_equal(src, dev->dev_addr, ETH_ALEN);
	consume_skb(skb);
	tn_test_stack_free(st);
}

static void test_eth_header_without_daddr_is_negative_hlen(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = testdev_create(st->init_net, NULL, true);
	struct sk_buff *skb = alloc_skb(st, 128);

	skb_reserve(skb, 64);
	assert_int_equal(eth_header_ops.create(skb, dev, 0x0806, NULL, NULL, 0), -ETH_HLEN);
	assert_true(is_zero_ether_addr(skb->data));

	/* loopback needs no resolution: a zero destination is final */
	skb_pull(skb, ETH_HLEN);
	assert_int_equal(eth_header_ops.create(skb, st->init_net->loopback_dev, 0x0800,
					       NULL, NULL, 0), ETH_HLEN);
	consume_skb(skb);
	tn_test_stack_free(st);
}

static void test_eth_header_8023_type_writes_length(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = testdev_create(st->init_net, NULL, true);
	const u8 dst[ETH_ALEN] = { 0x01, 0x80, 0xc2, 0x00, 0x00, 0x00 };
	struct sk_buff *skb = alloc_skb(st, 128);

	skb_reserve(skb, 64);
	skb_put_zero(skb, 39);
	assert_int_equal(eth_header_ops.create(skb, dev, ETH_P_802_2, dst, NULL, 39), ETH_HLEN);
	assert_int_equal(get_be16(skb->data + 12), 39);
	consume_skb(skb);
	tn_test_stack_free(st);
}

static void test_ether_setup_sets_linux_defaults(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = testdev_create(st->init_net, NULL, false);

	assert_int_equal(dev->type, ARPHRD_ETHER);
	assert_int_equal(dev->mtu, 1500);
	assert_int_equal(dev->min_mtu, 68);
	assert_int_equal(dev->hard_header_len, ETH_HLEN);
	assert_int_equal(dev->addr_len, ETH_ALEN);
	assert_int_equal(dev->tx_queue_len, 1000);
	assert_true(dev->flags & IFF_BROADCAST);
	assert_true(dev->flags & IFF_MULTICAST);
	assert_true(is_broadcast_ether_addr(dev->broadcast));
	assert_ptr_equal(dev->header_ops, &eth_header_ops);
	tn_test_stack_free(st);
}

static void test_eth_random_addr_is_local_unicast_and_seeded(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct tn_stack *st2 = tn_test_stack_new();
	u8 a[ETH_ALEN], b[ETH_ALEN], prev[ETH_ALEN] = { 0 };

	for (int i = 0; i < 64; i++) {
		eth_random_addr(st, a);
		eth_random_addr(st2, b);
		assert_false(is_multicast_ether_addr(a));
		assert_true(a[0] & 0x02);
		assert_true(is_valid_ether_addr(a));
		assert_memory_equal(a, b, ETH_ALEN);       /* same seed, same sequence */
		assert_memory_not_equal(a, prev, ETH_ALEN);
		memcpy(prev, a, ETH_ALEN);
	}
	tn_test_stack_free(st2);
	tn_test_stack_free(st);
}

static void test_mac_parse_and_format_round_trip(void **state)
{
	u8 mac[ETH_ALEN];
	char buf[18];

	assert_int_equal(tn_parse_mac("02:00:5E:10:0a:ff", mac), 0);
	assert_memory_equal(mac, "\x02\x00\x5e\x10\x0a\xff", ETH_ALEN);
	tn_format_mac(mac, buf);
	assert_string_equal(buf, "02:00:5e:10:0a:ff");

	assert_int_equal(tn_parse_mac("2:0:0:0:0:a", mac), 0);
	assert_memory_equal(mac, "\x02\x00\x00\x00\x00\x0a", ETH_ALEN);
}

static void test_mac_parse_rejects_malformed(void **state)
{
	static const char *const bad[] = {
		"", "02:00:00:00:00", "02:00:00:00:00:00:00", "02:00:00:00:00:0g",
		"020:00:00:00:00:00", "02-00-00-00-00-00", "02:00:00:00:00:00 ",
		":02:00:00:00:00:00", "02::00:00:00:00",
	};
	u8 mac[ETH_ALEN] = { 1, 2, 3, 4, 5, 6 };

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		assert_int_equal(tn_parse_mac(bad[i], mac), -EINVAL);
	assert_int_equal(tn_parse_mac(NULL, mac), -EINVAL);
	assert_memory_equal(mac, "\x01\x02\x03\x04\x05\x06", ETH_ALEN);  /* untouched */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_eth_type_trans_classification_table),
		cmocka_unit_test(test_eth_type_trans_bare_8023_header_is_llc),
		cmocka_unit_test(test_eth_header_with_daddr_writes_exact_bytes),
		cmocka_unit_test(test_eth_header_without_daddr_is_negative_hlen),
		cmocka_unit_test(test_eth_header_8023_type_writes_length),
		cmocka_unit_test(test_ether_setup_sets_linux_defaults),
		cmocka_unit_test(test_eth_random_addr_is_local_unicast_and_seeded),
		cmocka_unit_test(test_mac_parse_and_format_round_trip),
		cmocka_unit_test(test_mac_parse_rejects_malformed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
