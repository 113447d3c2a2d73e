/*
 * GSO/TSO: software segmentation byte for byte (net/core/gso.c), a hostile
 * GSO packet counted and dropped, TCP's large skbs across veth (and the
 * same bytes on the wire whether TCP, the core or nobody cuts them), the
 * receiver's MSS estimate from gso_size, and a GSO packet forwarded toward
 * a smaller MTU.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>

#include "tn_test.h"
#include "tuxnet/tuxnet.h"
#include "net/skbuff.h"
#include "net/checksum.h"
#include "net/gso.h"
#include "net/netdevice.h"
#include "net/snmp.h"
#include "net/testdev.h"

#define NS_PER_MS 1000000ull
#define NS_PER_S 1000000000ull

/* ---- skb_gso_segment on a packet built here ------------------------------ */

#define PAYLOAD 3000u
#define MSS 1000u
#define HDRS (14u + 20u + 32u)     /* Ethernet, IPv4, TCP with timestamps */

static const u32 saddr = 0x0a000001, daddr = 0x0a000002;

/* Ethernet + IPv4 (id 0x1234, DF) + TCP (seq 1000, flags) + PAYLOAD bytes
 * counting up, as TCP hands it to the device: checksum left open. */
static struct sk_buff *gso_packet(struct tn_stack *st, u8 flags)
{
	struct sk_buff *skb = alloc_skb(st, 128 + HDRS + PAYLOAD);
	u8 *p, *ip, *th;

	assert_non_null(skb);
	skb_reserve(skb, 128);
	p = skb_put_zero(skb, HDRS + PAYLOAD);
	put_be16(p + 12, ETH_P_IP);
	ip = p + 14;
	ip[0] = 0x45;
	put_be16(ip + 2, (u16)(20 + 32 + PAYLOAD));
	put_be16(ip + 4, 0x1234);
	put_be16(ip + 6, 0x4000);
	ip[8] = 64;
	ip[9] = IPPROTO_TCP;
	put_be32(ip + 12, saddr);
	put_be32(ip + 16, daddr);
	put_be16(ip + 10, ip_fast_csum(ip, 5));
	th = ip + 20;
	put_be16(th, 5001);
	put_be16(th + 2, 80);
	put_be32(th + 4, 1000);
	put_be32(th + 8, 77);
	th[12] = 8 << 4;
	th[13] = flags;
	put_be16(th + 14, 512);
	th[20] = 1;
	th[21] = 1;
	th[22] = 8;
	th[23] = 10;
	for (u32 i = 0; i < PAYLOAD; i++)
		p[HDRS + i] = (u8)i;
	skb->protocol = ETH_P_IP;
	skb_reset_mac_header(skb);
	skb_set_network_header(skb, 14);
	skb_set_transport_header(skb, 34);
	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum_start = (u16)(th - skb->head);
	skb->csum_offset = 16;
	put_be16(th + 16, (u16)~csum_tcpudp_magic(saddr, daddr, 32 + PAYLOAD, IPPROTO_TCP, 0));
	skb_shinfo(skb)->gso_size = MSS;
	skb_shinfo(skb)->gso_segs = 3;
	skb_shinfo(skb)->gso_type = SKB_GSO_TCPV4;
	return skb;
}

static void free_list(struct sk_buff *segs)
{
	while (segs) {
		struct sk_buff *n = segs->next;

		segs->next = NULL;
		consume_skb(segs);
		segs = n;
	}
}

/* Three segments of 1000 bytes: every field each one must have. */
static void segment_tcpv4_byte_exact(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct sk_buff *skb = gso_packet(st, 0x80 | 0x10 | 0x08 | 0x01);  /* CWR ACK PSH FIN */
	struct sk_buff *segs, *s;
	int err, i = 0;
	(void)state;

	segs = skb_gso_segment(skb, 0, &err);
	assert_non_null(segs);
	for (s = segs; s; s = s->next, i++) {
		const u8 *ip = s->data + 14, *th = ip + 20;
		u8 want_flags = 0x10 | (i == 0 ? 0x80 : 0) | (i == 2 ? 0x09 : 0);

		assert_int_equal(s->len, HDRS + MSS);
		assert_memory_equal(s->data, skb->data, 14);             /* link header */
		assert_int_equal(get_be16(ip + 2), 20 + 32 + MSS);
		assert_int_equal(get_be16(ip + 4), 0x1234 + i);
		assert_int_equal(get_be16(ip + 6), 0x4000);
		assert_int_equal(ip_fast_csum(ip, 5), 0);
		assert_int_equal(get_be32(th + 4), 1000 + i * MSS);
		assert_int_equal(get_be32(th + 8), 77);
		assert_int_equal(th[13], want_flags);
		assert_memory_equal(th + 20, skb->data + 54, 12);        /* options */
		assert_memory_equal(th + 32, skb->data + HDRS + i * MSS, MSS);
		/* A complete sum: the segment checks out. */
		assert_int_equal(s->ip_summed, CHECKSUM_NONE);
		assert_int_equal(csum_tcpudp_magic(saddr, daddr, 32 + MSS, IPPROTO_TCP,
						   csum_partial(th, 32 + MSS, 0)), 0);
		assert_false(skb_is_gso(s));
	}
	assert_int_equal(i, 3);
	free_list(segs);

	/* For a device that checksums: the pseudo-header sum, left open. */
	segs = skb_gso_segment(skb, NETIF_F_HW_CSUM, &err);
	assert_non_null(segs);
	for (s = segs; s; s = s->next) {
		const u8 *th = s->data + 34;

		assert_int_equal(s->ip_summed, CHECKSUM_PARTIAL);
		assert_int_equal(s->csum_start, th - s->head);
		assert_int_equal(get_be16(th + 16),
				 (u16)~csum_tcpudp_magic(saddr, daddr, 32 + MSS, IPPROTO_TCP, 0));
	}
	free_list(segs);
	consume_skb(skb);
	tn_test_stack_free(st);
}

/* A short last segment carries the rest and the FIN. */
static void segment_short_last(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct sk_buff *skb = gso_packet(st, 0x11);
	struct sk_buff *segs, *s;
	int err, n = 0;
	(void)state;

	skb_shinfo(skb)->gso_size = 1400;
	segs = skb_gso_segment(skb, 0, &err);
	assert_non_null(segs);
	for (s = segs; s; s = s->next, n++)
		;
	assert_int_equal(n, 3);
	s = segs->next->next;
	assert_int_equal(s->len, HDRS + PAYLOAD - 2 * 1400);
	assert_int_equal(get_be32(s->data + 38), 1000 + 2800);
	assert_int_equal(s->data[47], 0x11);
	assert_int_equal(segs->data[47], 0x10);
	free_list(segs);
	consume_skb(skb);
	tn_test_stack_free(st);
}

/* A GSO packet from an untrusted source whose headers lie: no segments,
 * -EINVAL; through validate_xmit_skb it is a counted drop on the device. */
static void hostile_dodgy_packet_dropped(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = testdev_create(st->init_net, NULL, true);
	struct sk_buff *skb;
	int err;
	(void)state;

	assert_non_null(dev);
	/* IP total length beyond the data. */
	skb = gso_packet(st, 0x10);
	skb_shinfo(skb)->gso_type |= SKB_GSO_DODGY;
	put_be16(skb->data + 16, 60000);
	assert_null(skb_gso_segment(skb, 0, &err));
	assert_int_equal(err, -EINVAL);
	/* TCP data offset past the end. */
	put_be16(skb->data + 16, (u16)(skb->len - 14));
	skb->data[46] = 0xf0;
	skb_trim(skb, 14 + 20 + 40);
	put_be16(skb->data + 16, 60);
	assert_null(skb_gso_segment(skb, 0, &err));
	assert_int_equal(err, -EINVAL);
	/* Not TCP. */
	kfree_skb(skb);
	skb = gso_packet(st, 0x10);
	skb->data[14 + 9] = IPPROTO_UDP;
	assert_null(skb_gso_segment(skb, 0, &err));

	/* On the way to a driver: dropped and counted, nothing sent. */
	skb->dev = dev;
	skb_shinfo(skb)->gso_type |= SKB_GSO_DODGY;
	assert_null(validate_xmit_skb(skb, dev));
	assert_int_equal(dev->core_stats.tx_dropped, 1);
	assert_int_equal(testdev_tx_count(dev), 0);
	tn_test_stack_free(st);
}

/* A DODGY packet is cut even for a TSO device; a trusted one is not. */
static void validate_xmit_segments_what_the_device_cannot_take(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = testdev_create(st->init_net, NULL, true);
	struct sk_buff *skb, *out;
	(void)state;

	skb = gso_packet(st, 0x10);
	skb->dev = dev;
	out = validate_xmit_skb(skb, dev);       /* testdev: no TSO, no csum */
	assert_non_null(out);
	assert_ptr_not_equal(out, skb);
	assert_int_equal(out->ip_summed, CHECKSUM_NONE);
	free_list(out);

	dev->features |= NETIF_F_TSO | NETIF_F_SG | NETIF_F_HW_CSUM;
	skb = gso_packet(st, 0x10);
	skb->dev = dev;
	assert_ptr_equal(validate_xmit_skb(skb, dev), skb);
	skb_shinfo(skb)->gso_type |= SKB_GSO_DODGY;
	out = validate_xmit_skb(skb, dev);
	assert_ptr_not_equal(out, skb);
	assert_int_equal(out->ip_summed, CHECKSUM_PARTIAL);
	free_list(out);
	tn_test_stack_free(st);
}

/* ---- TCP across veth ---------------------------------------------------- */

static const char two_hosts[] =
	"ip netns add a\n"
	"ip netns add b\n"
	"ip -n a link add v0 type veth peer name v1 netns b\n"
	"ip -n a addr add 10.0.0.1/24 dev v0\n"
	"ip -n b addr add 10.0.0.2/24 dev v1\n"
	"ip -n a link set v0 up\n"
	"ip -n b link set v1 up\n";

#define MAX_FRAMES 64

/* What left a device: each frame's bytes and its GSO size. */
struct tx_log {
	struct packet_type pt;
	unsigned int n;
	u32 len[MAX_FRAMES];
	u16 gso_size[MAX_FRAMES];
	u8 *bytes[MAX_FRAMES];
};

static int tx_log_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
		      struct net_device *orig_dev)
{
	struct tx_log *log = container_of(pt, struct tx_log, pt);
	(void)dev;
	(void)orig_dev;

	/* Only what the device sends, and only TCP data (not bare ACKs). */
	if (skb->pkt_type != PACKET_OUTGOING || skb->len <= 14 + 20 + 32) {
		consume_skb(skb);
		return NET_RX_SUCCESS;
	}
	if (log->n < MAX_FRAMES) {
		log->len[log->n] = skb->len;
		log->gso_size[log->n] = skb_shinfo(skb)->gso_size;
		log->bytes[log->n] = malloc(skb->len);
		assert_non_null(log->bytes[log->n]);
		memcpy(log->bytes[log->n], skb->data, skb->len);
	}
	log->n++;
	consume_skb(skb);
	return NET_RX_SUCCESS;
}

static struct net_device *ns_dev(struct tn_stack *st, const char *ns, const char *name)
{
	struct net *net = net_get_by_name(st, ns);

	assert_non_null(net);
	return __dev_get_by_name(net, name);
}

static void tx_log_start(struct tn_stack *st, struct tx_log *log, const char *ns,
			 const char *dev)
{
	memset(log, 0, sizeof(*log));
	log->pt.type = ETH_P_ALL;
	log->pt.func = tx_log_rcv;
	tn_stack_lock(st);
	log->pt.dev = ns_dev(st, ns, dev);
	assert_non_null(log->pt.dev);
	dev_add_pack(st, &log->pt);
	tn_stack_unlock(st);
}

static void tx_log_stop(struct tn_stack *st, struct tx_log *log)
{
	tn_stack_lock(st);
	dev_remove_pack(st, &log->pt);
	tn_stack_unlock(st);
	for (unsigned int i = 0; i < log->n && i < MAX_FRAMES; i++)
		free(log->bytes[i]);
}

static struct sockaddr_in sin_of(const char *ip, unsigned int port)
{
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	assert_int_equal(inet_pton(AF_INET, ip, &sin.sin_addr), 1);
	return sin;
}

static int ns_socket(struct tn_stack *st, const char *ns)
{
	int fd;

	assert_int_equal(tn_setns(st, ns), 0);
	fd = tn_socket(st, AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_true(fd >= 3);
	assert_int_equal(tn_setns(st, NULL), 0);
	return fd;
}

static void advance_ms(struct tn_stack *st, unsigned int ms)
{
	for (unsigned int i = 0; i < ms; i++)
		tn_stack_advance(st, NS_PER_MS);
}

/* A connection from b (client) to a:5001 in a fresh world; `setup` runs
 * first (offload switches). Returns the stack; *cli and *srv the ends. */
static struct tn_stack *tcp_world(const char *setup, int mss, int *cli, int *srv)
{
	struct tn_stack_config cfg = { .virtual_time = 1, .seed = 7 };
	struct tn_stack *st = tn_stack_create(&cfg);
	struct sockaddr_in sin = sin_of("10.0.0.1", 5001);
	int lfd, one = 1;

	assert_non_null(st);
	assert_int_equal(tn_command(st, two_hosts, stderr), 0);
	if (setup)
		assert_int_equal(tn_command(st, setup, stderr), 0);
	lfd = ns_socket(st, "a");
	assert_int_equal(tn_setsockopt(st, lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)), 0);
	assert_int_equal(tn_bind(st, lfd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(tn_listen(st, lfd, 4), 0);
	*cli = ns_socket(st, "b");
	if (mss)
		assert_int_equal(tn_setsockopt(st, *cli, IPPROTO_TCP, TCP_MAXSEG, &mss,
					       sizeof(mss)), 0);
	assert_int_equal(tn_connect(st, *cli, (struct sockaddr *)&sin, sizeof(sin)), -1);
	assert_int_equal(errno, EINPROGRESS);
	advance_ms(st, 5);
	*srv = tn_accept4(st, lfd, NULL, NULL, SOCK_NONBLOCK);
	assert_true(*srv >= 3);
	tn_close(st, lfd);
	return st;
}

static void world_free(struct tn_stack *st, int cli, int srv)
{
	tn_close(st, cli);
	tn_close(st, srv);
	tn_stack_advance(st, 200 * NS_PER_S);
	assert_int_equal(tn_stack_free(st), 0);
}

/* The server's first flight (the initial window, 10 segments) of a 20000
 * byte write, as it leaves a's v0. */
static void first_flight(const char *setup, struct tx_log *log, struct tn_stack **stp,
			 int *cli, int *srv)
{
	static u8 data[20000];
	struct tn_stack *st;

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (u8)(i * 7);
	st = tcp_world(setup, 0, cli, srv);
	tx_log_start(st, log, "a", "v0");
	assert_int_equal(tn_send(st, *srv, data, sizeof(data), MSG_DONTWAIT), (ssize_t)sizeof(data));
	*stp = st;
}

/*
 * The same bytes reach the wire whichever way the segments are made: TCP
 * building MSS skbs (gso off, the testdev path), or TCP building a GSO skb
 * that the core cuts before the driver (tso off). With tx-checksumming off
 * as well, every checksum is complete in both.
 */
static void veth_wire_bytes_same_with_software_gso(void **state)
{
	struct tx_log mss_log, gso_log;
	struct tn_stack *st1, *st2;
	int c1, s1, c2, s2;
	(void)state;

	first_flight("ip netns exec a ethtool -K v0 gso off tx off\n", &mss_log, &st1, &c1, &s1);
	first_flight("ip netns exec a ethtool -K v0 tx off\n", &gso_log, &st2, &c2, &s2);
	/* The initial window: ten segments before any ACK returns. */
	assert_true(mss_log.n >= 10);
	assert_true(gso_log.n >= 10);
	for (unsigned int i = 0; i < 10; i++) {
		assert_int_equal(gso_log.len[i], mss_log.len[i]);
		assert_int_equal(gso_log.gso_size[i], 0);
		assert_memory_equal(gso_log.bytes[i], mss_log.bytes[i], mss_log.len[i]);
	}
	tx_log_stop(st1, &mss_log);
	tx_log_stop(st2, &gso_log);
	world_free(st1, c1, s1);
	world_free(st2, c2, s2);
}

/* With TSO (the veth default) the first flight is one GSO packet of 10
 * segments, above the MTU, and the peer reads every byte. */
static void veth_passes_gso_packet(void **state)
{
	static u8 got[20000];
	struct tx_log log;
	struct tn_stack *st;
	int cli, srv;
	ssize_t n, total = 0;
	(void)state;

	first_flight(NULL, &log, &st, &cli, &srv);
	assert_true(log.len[0] > 1514);
	assert_int_equal(log.gso_size[0], 1448);
	assert_int_equal(log.len[0], 14 + 20 + 32 + 10 * 1448);
	advance_ms(st, 50);
	while ((n = tn_recv(st, cli, got + total, sizeof(got) - (size_t)total, MSG_DONTWAIT)) > 0)
		total += n;
	assert_int_equal(total, 20000);
	for (ssize_t i = 0; i < total; i++)
		assert_int_equal(got[i], (u8)(i * 7));
	tx_log_stop(st, &log);
	world_free(st, cli, srv);
}

/* The receiver's MSS estimate comes from gso_size (Linux's
 * tcp_measure_rcv_mss), not from the large packet's length. */
static void receiver_rcv_mss_from_gso_size(void **state)
{
	static u8 data[30000];
	struct tcp_info ti;
	socklen_t len = sizeof(ti);
	struct tn_stack *st;
	int cli, srv;
	(void)state;

	st = tcp_world(NULL, 1000, &cli, &srv);
	/* The client (MSS 1000, told by TCP_MAXSEG) sends to the server. */
	assert_int_equal(tn_send(st, cli, data, sizeof(data), MSG_DONTWAIT), (ssize_t)sizeof(data));
	advance_ms(st, 50);
	memset(&ti, 0, sizeof(ti));
	assert_int_equal(tn_getsockopt(st, srv, IPPROTO_TCP, TCP_INFO, &ti, &len), 0);
	assert_int_equal(ti.tcpi_rcv_mss, 1000 - 12);
	world_free(st, cli, srv);
}

/*
 * a -- r -- b, the r-b link with MTU 1000. a's TCP sends GSO packets of
 * 1448-byte segments with DF; r cannot forward them (segments above the
 * MTU): ICMP fragmentation needed, a lowers its MSS, and the data arrives.
 */
static const char routed[] =
	"ip netns add a\n"
	"ip netns add r\n"
	"ip netns add b\n"
	"ip -n a link add v0 type veth peer name r0 netns r\n"
	"ip -n r link add r1 type veth peer name v1 netns b\n"
	"ip -n a addr add 10.0.0.1/24 dev v0\n"
	"ip -n r addr add 10.0.0.254/24 dev r0\n"
	"ip -n r addr add 10.0.1.254/24 dev r1\n"
	"ip -n b addr add 10.0.1.2/24 dev v1\n"
	"ip -n r link set r1 mtu 1000\n"
	"ip -n a link set v0 up\n"
	"ip -n r link set r0 up\n"
	"ip -n r link set r1 up\n"
	"ip -n b link set v1 up\n"
	"ip -n a route add default via 10.0.0.254\n"
	"ip -n b route add default via 10.0.1.254\n"
	"ip netns exec r sysctl -w net.ipv4.ip_forward=1\n";

static void forward_gso_to_smaller_mtu(void **state)
{
	static u8 data[100000], got[100000];
	struct tn_stack_config cfg = { .virtual_time = 1, .seed = 7 };
	struct tn_stack *st = tn_stack_create(&cfg);
	struct sockaddr_in sin = sin_of("10.0.1.2", 5002);
	struct tx_log log;
	int lfd, cli, srv = -1, one = 1;
	ssize_t n, total = 0, sent = 0;
	(void)state;

	assert_non_null(st);
	assert_int_equal(tn_command(st, routed, stderr), 0);
	lfd = ns_socket(st, "b");
	assert_int_equal(tn_setsockopt(st, lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)), 0);
	assert_int_equal(tn_bind(st, lfd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(tn_listen(st, lfd, 4), 0);
	cli = ns_socket(st, "a");
	tn_connect(st, cli, (struct sockaddr *)&sin, sizeof(sin));
	advance_ms(st, 5);
	srv = tn_accept4(st, lfd, NULL, NULL, SOCK_NONBLOCK);
	assert_true(srv >= 3);
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (u8)(i * 13);
	tx_log_start(st, &log, "r", "r1");
	for (int t = 0; t < 2000 && total < (ssize_t)sizeof(data); t++) {
		if (sent < (ssize_t)sizeof(data)) {
			n = tn_send(st, cli, data + sent, sizeof(data) - (size_t)sent, MSG_DONTWAIT);
			if (n > 0)
				sent += n;
		}
		tn_stack_advance(st, NS_PER_MS);
		while ((n = tn_recv(st, srv, got + total, sizeof(got) - (size_t)total,
				    MSG_DONTWAIT)) > 0)
			total += n;
	}
	assert_int_equal(total, (ssize_t)sizeof(data));
	assert_memory_equal(got, data, sizeof(data));
	/* Nothing left r toward b whose segments exceed the MTU (GSO packets
	 * cross the veth whole, as on Linux). */
	assert_true(log.n > 0);
	for (unsigned int i = 0; i < log.n && i < MAX_FRAMES; i++) {
		if (log.gso_size[i])
			assert_true(20u + 32u + log.gso_size[i] <= 1000u);
		else
			assert_true(log.len[i] <= 14 + 1000);
	}
	tn_stack_lock(st);
	assert_true(net_get_by_name(st, "r")->mib.ip[IPSTATS_MIB_FRAGFAILS] > 0);
	tn_stack_unlock(st);
	tx_log_stop(st, &log);
	tn_close(st, lfd);
	world_free(st, cli, srv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(segment_tcpv4_byte_exact),
		cmocka_unit_test(segment_short_last),
		cmocka_unit_test(hostile_dodgy_packet_dropped),
		cmocka_unit_test(validate_xmit_segments_what_the_device_cannot_take),
		cmocka_unit_test(veth_wire_bytes_same_with_software_gso),
		cmocka_unit_test(veth_passes_gso_packet),
		cmocka_unit_test(receiver_rcv_mss_from_gso_size),
		cmocka_unit_test(forward_gso_to_smaller_mtu),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
