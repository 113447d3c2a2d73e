/*
 * Packet capture (net/core/capture.c): frames in and out of a test device
 * land in the pcap file byte for byte with the stack clock's time, snaplen
 * truncates, count stops, `any` sees every device of one namespace and only
 * that namespace, and the tap never leaks or counts a drop.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <pcap/pcap.h>

#include "tn_test.h"
#include "net/capture.h"
#include "net/testdev.h"
#include "net/etherdevice.h"

#define MAX_RECS 16

struct pcap_rec {
	u64 ts_ns;
	u32 caplen, len;
	u8 data[2048];
};

struct cap_file {
	char dir[64];
	char path[96];
};

static void cap_file_init(struct cap_file *f)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(f->dir, sizeof(f->dir), "%s/tn-capture-XXXXXX", tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/cap.pcap", f->dir);
}

static void cap_file_remove(struct cap_file *f)
{
	unlink(f->path);
	rmdir(f->dir);
}

/* Read every record of a pcap file back with libpcap; returns the count. */
static int read_pcap(const char *path, struct pcap_rec *recs, int max, int *linktype)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(path, errbuf);
	struct pcap_pkthdr *h;
	const u_char *data;
	int n = 0;

	assert_non_null(p);
	if (linktype)
		*linktype = pcap_datalink(p);
	while (pcap_next_ex(p, &h, &data) == 1) {
		assert_true(n < max);
		recs[n].ts_ns = (u64)h->ts.tv_sec * 1000000000ull + (u64)h->ts.tv_usec * 1000ull;
		recs[n].caplen = h->caplen;
		recs[n].len = h->len;
		memcpy(recs[n].data, data, h->caplen);
		n++;
	}
	pcap_close(p);
	return n;
}

/* A frame nobody handles (local experimental EtherType 0x88b5), so the only
 * thing that happens to it on receive is the tap. */
static size_t test_frame(u8 *buf, size_t cap, u8 tag, size_t len)
{
	size_t i, n = tn_test_hex("ff ff ff ff ff ff 02 00 00 00 00 aa 88 b5", buf, cap);

	for (i = n; i < len && i < cap; i++)
		buf[i] = (u8)(tag + i);
	return i;
}

static void xmit_frame(struct net_device *dev, const u8 *frame, size_t len)
{
	struct sk_buff *skb = alloc_skb(dev->stack, (unsigned int)len + NET_SKB_PAD);

	assert_non_null(skb);
	skb_reserve(skb, NET_SKB_PAD);
	skb_put_data(skb, frame, (unsigned int)len);
	skb_reset_mac_header(skb);
	skb->protocol = get_be16(frame + 12);
	skb->dev = dev;
	assert_true(dev_queue_xmit(skb) >= 0);
}

static u64 total_drops(struct net *net)
{
	u64 sum = 0;

	for (int r = 0; r < SKB_DROP_REASON_MAX; r++)
		if (r != SKB_CONSUMED)
			sum += net->core.drops[r];
	return sum;
}

static void capture_rx_and_tx_exact_bytes(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = testdev_create(st->init_net, "tt0", true);
	struct pcap_rec recs[MAX_RECS];
	struct cap_file f;
	u8 in[80], out[100];
	size_t in_len = test_frame(in, sizeof(in), 0x10, 64);
	size_t out_len = test_frame(out, sizeof(out), 0x40, 98);
	struct tn_capture *c;
	int err = 1, linktype;

	assert_non_null(dev);
	cap_file_init(&f);
	c = tn_capture_open(st->init_net, "tt0", f.path, 0, 0, &err);
	assert_non_null(c);
	assert_int_equal(err, 0);

	tn_test_run(st, 1500);           /* the frame comes in at t = 1.5 s */
	assert_int_equal(testdev_inject(dev, in, in_len), 0);
	do_softirq(st);
	tn_test_run(st, 250);            /* and one goes out at t = 1.75 s */
	out[0] = 0x02;                   /* unicast, to 02:..:aa */
	xmit_frame(dev, out, out_len);
	do_softirq(st);
	assert_int_equal(testdev_tx_count(dev), 1);
	testdev_clear_tx(dev);

	assert_int_equal(tn_capture_packets(c), 2);
	assert_false(tn_capture_done(c));
	/* Flushed as it goes: the file is complete before close. */
	assert_int_equal(read_pcap(f.path, recs, MAX_RECS, &linktype), 2);
	assert_int_equal(linktype, DLT_EN10MB);
	tn_capture_close(c);

	assert_int_equal(read_pcap(f.path, recs, MAX_RECS, NULL), 2);
	assert_int_equal(recs[0].len, in_len);
	assert_int_equal(recs[0].caplen, in_len);
	assert_memory_equal(recs[0].data, in, in_len);
	assert_int_equal(recs[0].ts_ns, 1500 * TN_NSEC_PER_JIFFY);
	assert_int_equal(recs[1].len, out_len);
	assert_int_equal(recs[1].caplen, out_len);
	assert_memory_equal(recs[1].data, out, out_len);
	assert_int_equal(recs[1].ts_ns, 1750 * TN_NSEC_PER_JIFFY);
	cap_file_remove(&f);
	tn_test_stack_free(st);
}

/* The tap's copy is consumed, not dropped: the frame nobody handles is one
 * drop with or without a capture open. */
static void capture_is_not_a_drop(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = testdev_create(st->init_net, "tt0", true);
	struct cap_file f;
	struct tn_capture *c;
	u8 fr[64];
	size_t len = test_frame(fr, sizeof(fr), 0, 60);
	u64 start, without_tap;

	cap_file_init(&f);
	start = total_drops(st->init_net);
	assert_int_equal(testdev_inject(dev, fr, len), 0);
	do_softirq(st);
	without_tap = total_drops(st->init_net) - start;
	start += without_tap;
	c = tn_capture_open(st->init_net, "tt0", f.path, 0, 0, NULL);
	assert_non_null(c);
	assert_int_equal(testdev_inject(dev, fr, len), 0);
	do_softirq(st);
	assert_int_equal(tn_capture_packets(c), 1);
	assert_int_equal(total_drops(st->init_net) - start, without_tap);
	tn_capture_close(c);
	cap_file_remove(&f);
	tn_test_stack_free(st);
}

static void capture_snaplen_truncates(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = testdev_create(st->init_net, NULL, true);
	struct pcap_rec recs[MAX_RECS];
	struct cap_file f;
	struct tn_capture *c;
	u8 fr[200];
	size_t len = test_frame(fr, sizeof(fr), 7, 200);

	cap_file_init(&f);
	c = tn_capture_open(st->init_net, dev->name, f.path, 20, 0, NULL);
	assert_non_null(c);
	assert_int_equal(testdev_inject(dev, fr, len), 0);
	do_softirq(st);
	tn_capture_close(c);

	assert_int_equal(read_pcap(f.path, recs, MAX_RECS, NULL), 1);
	assert_int_equal(recs[0].len, 200);
	assert_int_equal(recs[0].caplen, 20);
	assert_memory_equal(recs[0].data, fr, 20);
	cap_file_remove(&f);
	tn_test_stack_free(st);
}

static void capture_count_stops(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *dev = testdev_create(st->init_net, "tt0", true);
	struct pcap_rec recs[MAX_RECS];
	struct cap_file f;
	struct tn_capture *c;
	u8 fr[64];

	cap_file_init(&f);
	c = tn_capture_open(st->init_net, "tt0", f.path, 0, 2, NULL);
	assert_non_null(c);
	for (u8 i = 0; i < 5; i++) {
		size_t len = test_frame(fr, sizeof(fr), i, 60);
		assert_int_equal(testdev_inject(dev, fr, len), 0);
		do_softirq(st);
		assert_int_equal(tn_capture_done(c), i >= 1);
	}
	assert_int_equal(tn_capture_packets(c), 2);
	tn_capture_close(c);

	assert_int_equal(read_pcap(f.path, recs, MAX_RECS, NULL), 2);
	assert_int_equal(recs[1].data[ETH_HLEN], (u8)(1 + ETH_HLEN));
	cap_file_remove(&f);
	tn_test_stack_free(st);
}

/* `any` is every device of one namespace, and nothing of another. */
static void capture_any_sees_every_device_of_its_namespace(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *a = testdev_create(st->init_net, "tt0", true);
	struct net_device *b = testdev_create(st->init_net, "tt1", true);
	struct pcap_rec recs[MAX_RECS];
	struct cap_file f;
	struct tn_capture *c;
	struct net *other;
	struct net_device *elsewhere;
	u8 fa[64], fb[64], fo[64];
	int err;

	other = net_create(st, "other", &err);
	assert_non_null(other);
	elsewhere = testdev_create(other, "tt0", true);
	assert_non_null(elsewhere);
	size_t la = test_frame(fa, sizeof(fa), 0xa0, 60);
	size_t lb = test_frame(fb, sizeof(fb), 0xb0, 61);
	size_t lo = test_frame(fo, sizeof(fo), 0xc0, 62);

	cap_file_init(&f);
	c = tn_capture_open(st->init_net, "any", f.path, 0, 0, NULL);
	assert_non_null(c);
	assert_int_equal(testdev_inject(a, fa, la), 0);
	assert_int_equal(testdev_inject(elsewhere, fo, lo), 0);
	do_softirq(st);
	assert_int_equal(testdev_inject(b, fb, lb), 0);
	do_softirq(st);
	tn_capture_close(c);

	assert_int_equal(read_pcap(f.path, recs, MAX_RECS, NULL), 2);
	assert_int_equal(recs[0].len, la);
	assert_memory_equal(recs[0].data, fa, la);
	assert_int_equal(recs[1].len, lb);
	assert_memory_equal(recs[1].data, fb, lb);
	cap_file_remove(&f);
	net_destroy(other);
	tn_test_stack_free(st);
}

static void capture_open_errors(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct cap_file f;
	int err = 0;

	assert_non_null(testdev_create(st->init_net, "tt0", true));
	cap_file_init(&f);
	assert_null(tn_capture_open(st->init_net, "nosuch0", f.path, 0, 0, &err));
	assert_int_equal(err, -ENODEV);
	assert_null(tn_capture_open(st->init_net, "tt0", "/nonexistent-dir/x.pcap", 0, 0, &err));
	assert_int_equal(err, -EIO);
	cap_file_remove(&f);
	tn_test_stack_free(st);
}

/* A device capture stops when its device goes away, keeps what it wrote,
 * and does not start capturing everything instead. */
static void capture_survives_device_unregister(void **state)
{
	struct tn_stack *st = tn_test_stack_new();
	struct net_device *a = testdev_create(st->init_net, "tt0", true);
	struct net_device *b = testdev_create(st->init_net, "tt1", true);
	struct pcap_rec recs[MAX_RECS];
	struct cap_file f;
	struct tn_capture *c;
	u8 fr[64];
	size_t len = test_frame(fr, sizeof(fr), 1, 60);

	cap_file_init(&f);
	c = tn_capture_open(st->init_net, "tt0", f.path, 0, 0, NULL);
	assert_non_null(c);
	assert_int_equal(testdev_inject(a, fr, len), 0);
	do_softirq(st);
	unregister_netdevice(a);
	do_softirq(st);
	assert_int_equal(testdev_inject(b, fr, len), 0);
	do_softirq(st);
	assert_int_equal(tn_capture_packets(c), 1);
	tn_capture_close(c);
	assert_int_equal(read_pcap(f.path, recs, MAX_RECS, NULL), 1);
	cap_file_remove(&f);
	tn_test_stack_free(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(capture_rx_and_tx_exact_bytes),
		cmocka_unit_test(capture_is_not_a_drop),
		cmocka_unit_test(capture_snaplen_truncates),
		cmocka_unit_test(capture_count_stops),
		cmocka_unit_test(capture_any_sees_every_device_of_its_namespace),
		cmocka_unit_test(capture_open_errors),
		cmocka_unit_test(capture_survives_device_unregister),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
