/*
 * Packet capture: the AF_PACKET socket behind `tcpdump -i DEV -w FILE`.
 *
 * A capture is one ptype_all packet_type. The core hands it every frame a
 * device receives (netif_receive_skb, before the protocol handlers) and every
 * frame it sends (dev_queue_xmit_nit, before the driver), and the tap writes
 * the frame, from its link header on, to a pcap file through libpcap. The
 * record's time is the stack's clock, so a capture taken in virtual time is
 * the same file on every run.
 *
 * A capture filters either by device (pt->dev) or by namespace (pt->net, the
 * `any` pseudo-device); it never sees frames of other namespaces. A device
 * capture stops by itself when its device is unregistered; a namespace
 * capture is closed by its owner before the namespace goes. It is not a
 * packet socket: there is no ring, no BPF filter and no way to inject frames,
 * and it does not change what the stack does with a packet. The tap is always
 * given its own reference and always consumes it (consume_skb: a tap's copy
 * is used, not dropped, so it never shows up in the drop counters).
 *
 * Like everything in the core, it runs under the stack lock.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/time.h>
#include <pcap/pcap.h>

#include "net/capture.h"
#include "net/stack.h"
#include "net/net_namespace.h"
#include "net/netdevice.h"

/* tcpdump's default snapshot length: every frame whole. */
#define CAPTURE_DEFAULT_SNAPLEN 262144u

struct tn_capture {
	struct packet_type pt;          /* on stack->ptype_all while attached */
	struct notifier_block nb;       /* learns when pt.dev goes away */
	struct tn_stack *stack;
	pcap_t *pcap;                   /* a "dead" handle: only the file format */
	pcap_dumper_t *dumper;
	unsigned int snaplen;
	u64 count;                      /* stop after this many; 0: never */
	u64 packets;                    /* frames written */
	bool attached;                  /* pt is registered */
};

/*
 * Where the frame starts. Received frames come to taps with data past the
 * link header (eth_type_trans pulled it), so the frame starts at the mac
 * header; outgoing frames come with data at the link header already. A mac
 * header that is unset or ahead of data (stale from an earlier life of the
 * buffer) is not trusted.
 */
static const u8 *capture_frame_start(const struct sk_buff *skb)
{
	const u8 *mac;

	if (skb->pkt_type == PACKET_OUTGOING || !skb_mac_header_was_set(skb))
		return skb->data;
	mac = skb_mac_header(skb);
	if (mac < skb->head || mac > skb->data)
		return skb->data;
	return mac;
}

static void capture_write(struct tn_capture *c, const struct sk_buff *skb)
{
	const u8 *frame = capture_frame_start(skb);
	u32 len = skb->len + (u32)(skb->data - frame);
	u64 now = tn_now(c->stack);
	struct pcap_pkthdr h;

	h.ts.tv_sec = (time_t)(now / 1000000000ull);
	h.ts.tv_usec = (suseconds_t)(now % 1000000000ull / 1000ull);
	h.len = len;
	h.caplen = TN_MIN(len, c->snaplen);
	pcap_dump((u_char *)c->dumper, &h, frame);
	/* A reader (tshark, a test) sees each frame as soon as it is taken. */
	pcap_dump_flush(c->dumper);
	c->packets++;
}

/* The packet_type handler: called with a reference of the tap's own. */
static int capture_rcv(struct sk_buff *skb, struct net_device *dev,
		       struct packet_type *pt, struct net_device *orig_dev)
{
	struct tn_capture *c = container_of(pt, struct tn_capture, pt);

	if (!tn_capture_done(c))
		capture_write(c, skb);
	consume_skb(skb);
	return NET_RX_SUCCESS;
}

static void capture_detach(struct tn_capture *c)
{
	if (!c->attached)
		return;
	dev_remove_pack(c->stack, &c->pt);
	c->attached = false;
}

/*
 * A device capture must not outlive its device: a packet_type whose dev is
 * gone would dangle (and one with dev NULL would match every device). Like
 * a packet socket bound to a vanished interface, it stops and keeps what
 * it has written.
 */
static int capture_netdev_event(struct notifier_block *nb, unsigned long event, void *ptr)
{
	struct tn_capture *c = container_of(nb, struct tn_capture, nb);

	if (event != NETDEV_UNREGISTER || !c->pt.dev || c->pt.dev != ptr)
		return NOTIFY_DONE;
	capture_detach(c);
	c->pt.dev = NULL;
	return NOTIFY_OK;
}

static int capture_open_file(struct tn_capture *c, const char *path)
{
	c->pcap = pcap_open_dead(DLT_EN10MB, (int)c->snaplen);
	if (!c->pcap)
		return -ENOMEM;
	c->dumper = pcap_dump_open(c->pcap, path);
	if (!c->dumper)
		return -EIO;
	/* The file header is on disk even if no frame ever comes. */
	pcap_dump_flush(c->dumper);
	return 0;
}

static void capture_close_file(struct tn_capture *c)
{
	if (c->dumper)
		pcap_dump_close(c->dumper);
	if (c->pcap)
		pcap_close(c->pcap);
}

static bool capture_any(const char *dev_name)
{
	return !dev_name || !strcmp(dev_name, "any");
}

/* Fill in the packet_type: a device filter, or the namespace for `any`. */
static int capture_bind(struct tn_capture *c, struct net *net, const char *dev_name)
{
	c->pt.type = ETH_P_ALL;
	c->pt.func = capture_rcv;
	c->pt.net = net;
	c->pt.af_packet_priv = c;
	if (capture_any(dev_name))
		return 0;
	c->pt.dev = __dev_get_by_name(net, dev_name);
	return c->pt.dev ? 0 : -ENODEV;
}

struct tn_capture *tn_capture_open(struct net *net, const char *dev_name,
					     const char *path, unsigned int snaplen,
					     u64 count, int *err)
{
	struct tn_capture *c = calloc(1, sizeof(*c));
	int rc;

	if (!c) {
		rc = -ENOMEM;
		goto out;
	}
	c->stack = net->stack;
	c->snaplen = snaplen ? snaplen : CAPTURE_DEFAULT_SNAPLEN;
	c->count = count;
	rc = capture_bind(c, net, dev_name);
	if (rc)
		goto out_free;
	rc = capture_open_file(c, path);
	if (rc)
		goto out_close_file;
	c->nb.notifier_call = capture_netdev_event;
	rc = register_netdevice_notifier(c->stack, &c->nb);
	if (rc)
		goto out_close_file;
	dev_add_pack(c->stack, &c->pt);
	c->attached = true;
	if (err)
		*err = 0;
	return c;

out_close_file:
	capture_close_file(c);
out_free:
	free(c);
out:
	if (err)
		*err = rc;
	return NULL;
}

u64 tn_capture_packets(const struct tn_capture *c)
{
	return c->packets;
}

bool tn_capture_done(const struct tn_capture *c)
{
	return c->count && c->packets >= c->count;
}

void tn_capture_close(struct tn_capture *c)
{
	if (!c)
		return;
	capture_detach(c);
	unregister_netdevice_notifier(c->stack, &c->nb);
	capture_close_file(c);
	free(c);
}
