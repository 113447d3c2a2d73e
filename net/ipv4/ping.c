/*
 * The pinger: ping and traceroute probes from inside the stack, before the
 * sockets layer exists (Linux's net/ipv4/ping.c is the socket form). See
 * include/net/ping.h for the contract.
 *
 * Sending routes first (ip_route_output_key) so that the source address is
 * known before the UDP checksum is computed, then hands the packet to IP on
 * that route. Receiving is icmp.c's dispatch: the pinger registers an
 * icmp_echo_listener keyed by (protocol, id) and turns what arrives into a
 * ping_event. Payload bytes are 0, 1, 2, ... as iputils ping fills them
 * after its timestamp; the send time is kept here instead of in the
 * payload, so it is also known for errors, which quote only 8 bytes.
 */
#include <errno.h>
#include <netinet/in.h>

#include "net/skbuff.h"  /* before <linux/...> headers: PACKET_HOST */
#include "net/ping.h"
#include "net/checksum.h"
#include "net/icmp.h"
#include "net/ip.h"
#include "net/net_namespace.h"
#include "net/netdevice.h"
#include "net/route.h"
#include "net/stack.h"
#include "net/wire/ipv4.h"

#define UDP_HLEN 8
/* Ephemeral identifiers are drawn from here, as ping sockets bind them. */
#define PING_ID_TRIES 64

static struct pinger *listener_pinger(struct icmp_echo_listener *l)
{
	return container_of(l, struct pinger, listener);
}

/* ---- send-time history ---------------------------------------------------- */

static void pinger_note_sent(struct pinger *p, u16 seq, u64 now)
{
	unsigned int i = seq % PINGER_HISTORY;

	p->history[i].seq = seq;
	p->history[i].valid = true;
	p->history[i].sent_ns = now;
}

static u64 pinger_sent_ns(const struct pinger *p, u16 seq)
{
	unsigned int i = seq % PINGER_HISTORY;

	return p->history[i].valid && p->history[i].seq == seq ? p->history[i].sent_ns : 0;
}

/* ---- receiving --------------------------------------------------------------- */

static u8 skb_ttl(const struct sk_buff *skb)
{
	const u8 *nh = skb_network_header(skb);
	struct ipv4_repr iph;

	if (ipv4_parse(nh, (size_t)(skb_tail_pointer(skb) - nh), &iph))
		return 0;
	return iph.ttl;
}

static void pinger_reply(struct icmp_echo_listener *l, struct sk_buff *skb,
			 const struct icmp_repr *icmp, u32 from)
{
	struct pinger *p = listener_pinger(l);
	struct ping_event ev = {
		.kind = PING_EV_REPLY,
		.seq = icmp->un.echo.sequence,
		.from = from,
		.type = icmp->type,
		.code = icmp->code,
		.ttl = skb_ttl(skb),
		.len = (u16)skb->len,
		.now_ns = tn_now(l->net->stack),
		.sent_ns = pinger_sent_ns(p, icmp->un.echo.sequence),
	};

	p->received++;
	if (p->cb)
		p->cb(p, &ev, p->arg);
}

/* Which probe an error quotes: the echo sequence, or the UDP destination
 * port less the base. False if it is not one of ours after all (a UDP
 * datagram from our port to a port we never probe). */
static bool pinger_quoted_seq(const struct pinger *p, const struct sk_buff *skb, u16 *seq)
{
	struct ipv4_repr qiph;
	struct icmp_repr qicmp;
	const u8 *thdr;
	u16 dport;

	if (ipv4_parse(skb->data, skb->len, &qiph) || qiph.daddr != p->cfg.daddr)
		return false;
	thdr = skb->data + qiph.ihl;
	if (p->cfg.mode == PINGER_ICMP) {
		if (icmp_parse(thdr, ICMP_HLEN, &qicmp))
			return false;
		*seq = qicmp.un.echo.sequence;
		return true;
	}
	dport = get_be16(thdr + 2);
	if (dport < p->cfg.base_port)
		return false;
	*seq = (u16)(dport - p->cfg.base_port);
	return true;
}

static void pinger_error(struct icmp_echo_listener *l, struct sk_buff *skb, u8 type, u8 code,
			 u32 from, u32 info)
{
	struct pinger *p = listener_pinger(l);
	struct ping_event ev = {
		.kind = PING_EV_ERROR,
		.from = from,
		.type = type,
		.code = code,
		.info = info,
		.ttl = skb_ttl(skb),
		.now_ns = tn_now(l->net->stack),
	};

	if (!pinger_quoted_seq(p, skb, &ev.seq))
		return;
	ev.sent_ns = pinger_sent_ns(p, ev.seq);
	p->errors++;
	if (p->cb)
		p->cb(p, &ev, p->arg);
}

/* ---- set-up ---------------------------------------------------------------------- */

/* An identifier nobody in the namespace uses, as binding a ping socket to
 * port 0 picks one. */
static int pinger_pick_id(struct pinger *p)
{
	for (int i = 0; i < PING_ID_TRIES; i++) {
		p->listener.id = (u16)(1 + tn_prandom_below(p->listener.net->stack, 0xffff));
		if (!icmp_echo_listener_add(&p->listener))
			return 0;
	}
	return -EADDRINUSE;
}

int pinger_init(struct pinger *p, struct net *net, const struct pinger_config *cfg,
		pinger_cb_t cb, void *arg)
{
	if (!cfg->daddr || cfg->payload_len > IP_MAX_PACKET - IPV4_MIN_HLEN - ICMP_HLEN)
		return -EINVAL;
	memset(p, 0, sizeof(*p));
	p->cfg = *cfg;
	if (p->cfg.mode == PINGER_UDP && !p->cfg.base_port)
		p->cfg.base_port = PINGER_UDP_BASE_PORT;
	p->cb = cb;
	p->arg = arg;
	p->listener.net = net;
	p->listener.protocol = cfg->mode == PINGER_UDP ? IPPROTO_UDP : IPPROTO_ICMP;
	p->listener.reply = pinger_reply;
	p->listener.error = pinger_error;
	p->listener.id = cfg->id;
	if (!cfg->id)
		return pinger_pick_id(p);
	return icmp_echo_listener_add(&p->listener);
}

void pinger_close(struct pinger *p)
{
	icmp_echo_listener_del(&p->listener);
}

/* ---- sending --------------------------------------------------------------------- */

static void pinger_fill_payload(u8 *buf, unsigned int len)
{
	for (unsigned int i = 0; i < len; i++)
		buf[i] = (u8)i;
}

static void pinger_emit_echo(const struct pinger *p, u8 *h, unsigned int len, u16 seq)
{
	struct icmp_repr r = { .type = ICMP_ECHO, .code = 0 };

	r.un.echo.id = p->listener.id;
	r.un.echo.sequence = seq;
	icmp_emit(&r, h);
	put_be16(h + 2, csum_fold(csum_partial(h, len, 0)));
}

/* The UDP header (RFC 768), written here until a UDP header view exists.
 * A computed checksum of 0 is sent as 0xffff. */
static void pinger_emit_udp(const struct pinger *p, u8 *h, unsigned int len, u16 seq,
			    u32 saddr)
{
	u16 check;

	put_be16(h, p->listener.id);
	put_be16(h + 2, (u16)(p->cfg.base_port + seq));
	put_be16(h + 4, (u16)len);
	put_be16(h + 6, 0);
	check = csum_tcpudp_magic(saddr, p->cfg.daddr, len, IPPROTO_UDP,
				  csum_partial(h, len, 0));
	put_be16(h + 6, check ? check : 0xffff);
}

static struct sk_buff *pinger_build(struct pinger *p, u16 seq, u32 saddr)
{
	unsigned int hlen = p->cfg.mode == PINGER_UDP ? UDP_HLEN : ICMP_HLEN;
	unsigned int len = hlen + p->cfg.payload_len;
	struct sk_buff *skb = alloc_skb(p->listener.net->stack, MAX_HEADER + len);
	u8 *h;

	if (!skb)
		return NULL;
	skb_reserve(skb, MAX_HEADER);
	h = skb_put(skb, len);
	pinger_fill_payload(h + hlen, p->cfg.payload_len);
	if (p->cfg.mode == PINGER_UDP)
		pinger_emit_udp(p, h, len, seq, saddr);
	else
		pinger_emit_echo(p, h, len, seq);
	skb_reset_transport_header(skb);
	return skb;
}

int pinger_send(struct pinger *p, u16 seq, u8 ttl)
{
	struct net *net = p->listener.net;
	struct ip_tx_params tx = {
		.ttl = ttl ? ttl : p->cfg.ttl,
		.tos = p->cfg.tos,
		.pmtudisc = p->cfg.pmtudisc,
		.oif = p->cfg.oif,
	};
	struct flowi4 fl4 = {
		.flowi4_oif = p->cfg.oif,
		.flowi4_tos = p->cfg.tos,
		.flowi4_proto = (u8)p->listener.protocol,
		.saddr = p->cfg.saddr,
		.daddr = p->cfg.daddr,
	};
	struct sk_buff *skb;
	struct rtable *rt;
	int err;

	err = ip_route_output_key(net, &fl4, &rt);
	if (err)
		return err;
	skb = pinger_build(p, seq, fl4.saddr);
	if (!skb) {
		ip_rt_put(rt);
		return -ENOBUFS;
	}
	pinger_note_sent(p, seq, tn_now(net->stack));
	if (p->cfg.mode == PINGER_ICMP)
		icmp_out_count(net, ICMP_ECHO);
	err = ip_send_routed(net, NULL, skb, rt, fl4.saddr, fl4.daddr,
			     (u8)p->listener.protocol, &tx);
	if (!err)
		p->transmitted++;
	return err;
}
