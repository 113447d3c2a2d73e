/*
 * arping(8), iputils': send ARP requests for an address out of one device
 * and report the replies, one probe a second of stack time, with iputils'
 * output ("Unicast reply from 10.0.0.2 [02:00:00:00:00:02]  0.012ms").
 *
 * Like the real one it works beside the stack, not through it: probes are
 * built with arp_send() (as a packet socket would write them) and replies
 * are read by a tap on the device (a ptype_all packet_type, the packet
 * socket's receive side). The stack's own ARP still runs: the target learns
 * the sender from each request, as on Linux. After the first reply the
 * probes go unicast to the MAC learned, unless -b.
 *
 * Options: -c COUNT, -w DEADLINE, -I DEV, -s SOURCE, -f (stop at the first
 * reply), -b (broadcast only), -q. Not here: -D (duplicate address
 * detection), -U/-A (unsolicited ARP). Without -c or -w, 3 probes are sent
 * (Linux's arping runs until interrupted, which a script cannot do).
 */
#include <errno.h>
#include <string.h>

#include "net/stack.h"
#include "net/netdevice.h"
#include "net/inetdevice.h"
#include "net/arp.h"
#include "net/wire/arp.h"
#include "net/wire/ethernet.h"
#include "tools/cmd/cmd.h"

#define ARPING_DEFAULT_COUNT 3
#define ARPING_INTERVAL_NS 1000000000ull
#define ARPING_STEP_NS 10000000ull   /* how finely the wait for a reply runs */

struct arping {
	struct packet_type pt;         /* the tap on dev */
	FILE *out;
	struct net_device *dev;
	struct tn_stack *st;
	u32 src, dst;                  /* host order */
	bool broadcast_only, quiet;
	bool unicasting;               /* a reply told us the target's MAC */
	u8 target_mac[ETH_ALEN];
	u64 sent_at;                   /* stack time of the last probe */
	unsigned int sent, brd_sent, received, brd_recv, req_recv;
};

struct arping_opts {
	unsigned long count;
	unsigned long deadline;        /* seconds, 0: none */
	const char *dev, *source, *target;
	bool quit_on_reply, broadcast_only, quiet;
};

static void arping_print_reply(struct arping *a, const struct arp_repr *r, u8 pkt_type)
{
	char ip[16];
	u64 us = (tn_now(a->st) - a->sent_at) / 1000;

	fprintf(a->out, "%s %s from %s [%02X:%02X:%02X:%02X:%02X:%02X]  %llu.%03llums\n",
		pkt_type == PACKET_HOST ? "Unicast" : "Broadcast",
		r->op == ARPOP_REPLY ? "reply" : "request", tn_ipv4_str(r->spa, ip), r->sha[0],
		r->sha[1], r->sha[2], r->sha[3], r->sha[4], r->sha[5],
		(unsigned long long)(us / 1000), (unsigned long long)(us % 1000));
}

/* iputils' recv_pack(): an answer is ARP from the target, to our address
 * and our MAC. */
static void arping_recv(struct arping *a, const struct sk_buff *skb)
{
	struct arp_repr r;

	if (skb->pkt_type == PACKET_OUTGOING || skb->protocol != ETH_P_ARP)
		return;
	if (arp_parse(skb->data, skb->len, &r) != ARP_PARSE_OK)
		return;
	if (r.op != ARPOP_REQUEST && r.op != ARPOP_REPLY)
		return;
	if (r.spa != a->dst || r.tpa != a->src || memcmp(r.tha, a->dev->dev_addr, ETH_ALEN))
		return;
	if (!a->quiet)
		arping_print_reply(a, &r, skb->pkt_type);
	a->received++;
	a->brd_recv += skb->pkt_type != PACKET_HOST;
	a->req_recv += r.op == ARPOP_REQUEST;
	if (!a->broadcast_only) {
		memcpy(a->target_mac, r.sha, ETH_ALEN);
		a->unicasting = true;
	}
}

static int arping_tap(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
		      struct net_device *orig_dev)
{
	arping_recv(container_of(pt, struct arping, pt), skb);
	consume_skb(skb);
	return NET_RX_SUCCESS;
}

static void arping_send(struct arping *a)
{
	static const u8 bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	const u8 *to = a->unicasting ? a->target_mac : bcast;

	/* iputils puts the destination MAC in the target field too. */
	arp_send(ARPOP_REQUEST, ETH_P_ARP, a->dst, a->dev, a->src, to, a->dev->dev_addr, to);
	a->sent_at = tn_now(a->st);
	a->sent++;
	a->brd_sent += !a->unicasting;
}

static void arping_summary(const struct arping *a)
{
	fprintf(a->out, "Sent %u probes (%u broadcast(s))\n", a->sent, a->brd_sent);
	fprintf(a->out, "Received %u response(s)", a->received);
	if (a->req_recv || a->brd_recv) {
		fputs(" (", a->out);
		if (a->req_recv)
			fprintf(a->out, "%u request(s)", a->req_recv);
		if (a->brd_recv)
			fprintf(a->out, "%s%u broadcast(s)", a->req_recv ? ", " : "", a->brd_recv);
		fputc(')', a->out);
	}
	fputc('\n', a->out);
}

/* Wait up to one interval for the answer to the last probe. */
static void arping_wait_last(struct tn_cmd_ctx *ctx, struct arping *a)
{
	for (u64 waited = 0; waited < ARPING_INTERVAL_NS && a->received < a->sent;
	     waited += ARPING_STEP_NS) {
		tn_stack_run_until_locked(ctx->st, tn_now(ctx->st));
		if (a->received >= a->sent)
			break;
		tn_cmd_advance(ctx, ARPING_STEP_NS);
	}
}

static void arping_run(struct tn_cmd_ctx *ctx, struct arping *a, const struct arping_opts *o)
{
	u64 start = tn_now(ctx->st);
	u64 end = o->deadline ? start + o->deadline * ARPING_INTERVAL_NS : UINT64_MAX;

	for (unsigned long i = 0; !o->count || i < o->count; i++) {
		if (tn_now(ctx->st) >= end)
			break;
		arping_send(a);
		bool last = o->count && i + 1 == o->count;
		if (last) {
			arping_wait_last(ctx, a);
		} else {
			u64 step = TN_MIN(ARPING_INTERVAL_NS, end - tn_now(ctx->st));
			tn_cmd_advance(ctx, step);
		}
		if (o->quit_on_reply && a->received)
			break;
	}
}

/* Options: 0, or the exit status after a message. */
static int arping_parse(struct tn_cmd_ctx *ctx, struct arping_opts *o, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (a[0] != '-') {
			if (o->target)
				goto usage;
			o->target = a;
		} else if (!strcmp(a, "-f") || !strcmp(a, "-b") || !strcmp(a, "-q")) {
			o->quit_on_reply |= a[1] == 'f';
			o->broadcast_only |= a[1] == 'b';
			o->quiet |= a[1] == 'q';
		} else if (strchr("cwIs", a[1]) && !a[2] && i + 1 < argc) {
			const char *v = argv[++i];
			if ((a[1] == 'c' && !tn_parse_uint(v, 0x7fffffff, &o->count)) ||
			    (a[1] == 'w' && !tn_parse_uint(v, 0x7fffffff, &o->deadline))) {
				tn_cmd_err(ctx, "arping: invalid argument: '%s'", v);
				return 2;
			}
			if (a[1] == 'I')
				o->dev = v;
			if (a[1] == 's')
				o->source = v;
		} else {
			goto usage;
		}
	}
	if (o->target)
		return 0;
usage:
	tn_cmd_err(ctx, "Usage: arping [-fqb] [-c count] [-w timeout] [-I device] "
			"[-s source] destination");
	return 2;
}

/* Check the device and work out the addresses, as iputils does before
 * sending anything. 0 or the exit status after a message. */
static int arping_setup(struct tn_cmd_ctx *ctx, struct arping *a, const struct arping_opts *o)
{
	if (!o->dev) {
		tn_cmd_err(ctx, "arping: Suitable device could not be determined. Please, use option -I.");
		return 2;
	}
	a->dev = tn_cmd_dev(ctx, o->dev);
	if (!a->dev) {
		tn_cmd_err(ctx, "arping: Device %s not available.", o->dev);
		return 2;
	}
	if (!(a->dev->flags & IFF_UP)) {
		tn_cmd_err(ctx, "arping: Interface \"%s\" is down", o->dev);
		return 2;
	}
	if (a->dev->flags & (IFF_NOARP | IFF_LOOPBACK)) {
		tn_cmd_err(ctx, "arping: Interface \"%s\" is not ARPable", o->dev);
		return 2;
	}
	if (!tn_cmd_parse_ipv4(o->target, &a->dst)) {
		tn_cmd_err(ctx, "arping: %s: Name or service not known", o->target);
		return 2;
	}
	if (o->source && !tn_cmd_parse_ipv4(o->source, &a->src)) {
		tn_cmd_err(ctx, "arping: invalid source %s", o->source);
		return 2;
	}
	if (!o->source)
		a->src = inet_select_addr(a->dev, a->dst, RT_SCOPE_LINK);
	if (!a->src) {
		tn_cmd_err(ctx, "arping: no source address in not-DAD mode");
		return 2;
	}
	return 0;
}

int do_arping(struct tn_cmd_ctx *ctx, int argc, char **argv, FILE *out)
{
	struct arping_opts o = { 0 };
	struct arping a;
	char d[16], s[16];
	int status = arping_parse(ctx, &o, argc, argv);

	if (status)
		return status;
	if (!o.count && !o.deadline)
		o.count = ARPING_DEFAULT_COUNT;
	memset(&a, 0, sizeof(a));
	a.out = out;
	a.st = ctx->st;
	a.broadcast_only = o.broadcast_only;
	a.quiet = o.quiet;
	status = arping_setup(ctx, &a, &o);
	if (status)
		return status;

	a.pt.type = ETH_P_ALL;
	a.pt.dev = a.dev;
	a.pt.func = arping_tap;
	dev_add_pack(ctx->st, &a.pt);
	if (!a.quiet)
		fprintf(out, "ARPING %s from %s %s\n", tn_ipv4_str(a.dst, d), tn_ipv4_str(a.src, s),
			a.dev->name);
	arping_run(ctx, &a, &o);
	dev_remove_pack(ctx->st, &a.pt);
	if (!a.quiet)
		arping_summary(&a);
	return a.received ? 0 : 1;
}
