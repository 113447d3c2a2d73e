/*
 * IPv4 options (RFC 791 section 3.1; Linux's net/ipv4/ip_options.c).
 *
 * ip_options_compile() walks the options of a received header once, with
 * every length checked before it is used, and records where the options
 * that matter to us sit (record route, timestamp, source route, router
 * alert) in IPCB(skb)->opt. A malformed option yields the offset of the
 * offending byte for the ICMP parameter problem that ip_rcv_finish sends.
 * Options we do not know (security, stream id, CIPSO, anything new) are
 * skipped by their length, as Linux does for received packets.
 *
 * Unlike Linux, compiling never writes into the packet: the slots a router
 * must fill (its address in record route, its timestamp) are filled by
 * ip_forward_options() when the packet actually leaves, which is the only
 * time RFC 791 asks for them. A packet delivered locally is left as it came.
 *
 * Not here: building options for packets we send (no socket sets them yet)
 * and following a source route (ip_options_rcv_srr): source-routed packets
 * are refused unless accept_source_route allows them, and then handled as
 * if the option were absent (XXX).
 */
#include <errno.h>

#include "net/checksum.h"
#include "net/inetdevice.h"
#include "net/ip.h"
#include "net/stack.h"

/* Option types, Linux's IPOPT_* (copied flag, class and number). */
#define IPOPT_END 0
#define IPOPT_NOOP 1
#define IPOPT_RR 7
#define IPOPT_TIMESTAMP 68
#define IPOPT_SEC 130
#define IPOPT_LSRR 131
#define IPOPT_SSRR 137
#define IPOPT_RA 148

/* Timestamp flags (the low nibble of the fourth byte). */
#define IPOPT_TS_TSONLY 0
#define IPOPT_TS_TSANDADDR 1
#define IPOPT_TS_PRESPEC 3

/* Smallest pointer value: the pointer counts from the option's first byte,
 * starting at 1, so the first slot of RR/SRR is at 4 and of TS at 5. */
#define IPOPT_MINOFF 4
#define IPOPT_TS_MINOFF 5

/* The state of one walk: where the options start inside the header and
 * where the offending byte was, if any. */
struct ip_opt_walk {
	const u8 *iph;
	struct ip_options *opt;
	int pp;          /* offset of the bad byte from the header, -1 if none */
};

static int opt_error(struct ip_opt_walk *w, const u8 *at)
{
	w->pp = (int)(at - w->iph);
	return -EINVAL;
}

/* Loose and strict source routes: one per header (RFC 1812 5.2.4.1). */
static int opt_srr(struct ip_opt_walk *w, const u8 *optptr, int optlen)
{
	if (optlen < 3)
		return opt_error(w, optptr + 1);
	if (optptr[2] < IPOPT_MINOFF)
		return opt_error(w, optptr + 2);
	if (w->opt->srr)
		return opt_error(w, optptr);
	w->opt->is_strictroute = optptr[0] == IPOPT_SSRR;
	w->opt->srr = (u8)(optptr - w->iph);
	return 0;
}

/* Record route: a free slot (pointer within the option) means a router
 * forwarding the packet must write its address there. */
static int opt_rr(struct ip_opt_walk *w, const u8 *optptr, int optlen)
{
	if (w->opt->rr)
		return opt_error(w, optptr);
	if (optlen < 3)
		return opt_error(w, optptr + 1);
	if (optptr[2] < IPOPT_MINOFF)
		return opt_error(w, optptr + 2);
	if (optptr[2] <= optlen) {
		if (optptr[2] + 3 > optlen)
			return opt_error(w, optptr + 2);
		w->opt->rr_needaddr = true;
	}
	w->opt->rr = (u8)(optptr - w->iph);
	return 0;
}

/* The room a timestamp entry of this flag takes: 4 bytes of time, plus 4
 * of address for the address forms. */
static int opt_ts_entry(struct ip_opt_walk *w, const u8 *optptr, int optlen)
{
	switch (optptr[3] & 0xf) {
	case IPOPT_TS_TSONLY:
		w->opt->ts_needtime = true;
		return 0;
	case IPOPT_TS_TSANDADDR:
	case IPOPT_TS_PRESPEC:
		if (optptr[2] + 7 > optlen)
			return opt_error(w, optptr + 2);
		w->opt->ts_needaddr = (optptr[3] & 0xf) == IPOPT_TS_TSANDADDR;
		w->opt->ts_needtime = true;
		return 0;
	default:
		/* An unknown flag on a received packet is passed on untouched. */
		return 0;
	}
}

/* Timestamp: either a free entry to fill, or a full option whose overflow
 * counter must not already be at its limit (RFC 791: "if the overflow
 * count itself overflows, the original datagram is considered to be in
 * error"). */
static int opt_ts(struct ip_opt_walk *w, const u8 *optptr, int optlen)
{
	if (w->opt->ts)
		return opt_error(w, optptr);
	if (optlen < 4)
		return opt_error(w, optptr + 1);
	if (optptr[2] < IPOPT_TS_MINOFF)
		return opt_error(w, optptr + 2);
	if (optptr[2] <= optlen) {
		if (optptr[2] + 3 > optlen)
			return opt_error(w, optptr + 2);
		if (opt_ts_entry(w, optptr, optlen))
			return -EINVAL;
	} else if ((optptr[3] & 0xf) != IPOPT_TS_PRESPEC && (optptr[3] >> 4) == 15) {
		return opt_error(w, optptr + 3);
	}
	w->opt->ts = (u8)(optptr - w->iph);
	return 0;
}

/* Router alert (RFC 2113): only value 0 ("examine packet") is meaningful. */
static int opt_ra(struct ip_opt_walk *w, const u8 *optptr, int optlen)
{
	if (optlen < 4)
		return opt_error(w, optptr + 1);
	if (optptr[2] == 0 && optptr[3] == 0)
		w->opt->router_alert = (u8)(optptr - w->iph);
	return 0;
}

static int opt_one(struct ip_opt_walk *w, const u8 *optptr, int optlen)
{
	switch (optptr[0]) {
	case IPOPT_SSRR:
	case IPOPT_LSRR:
		return opt_srr(w, optptr, optlen);
	case IPOPT_RR:
		return opt_rr(w, optptr, optlen);
	case IPOPT_TIMESTAMP:
		return opt_ts(w, optptr, optlen);
	case IPOPT_RA:
		return opt_ra(w, optptr, optlen);
	default:
		return 0;   /* unknown: skipped by its length */
	}
}

/*
 * Walk the options between the fixed header and ihl. EOL ends the list;
 * NOP is one byte; every other option has a length byte that must cover
 * at least the type and itself and must not run past the header.
 */
int ip_options_compile(struct net *net, struct ip_options *opt, const u8 *hdr, int *pp_off)
{
	struct ip_opt_walk w = { .iph = hdr, .opt = opt, .pp = -1 };
	int ihl = (hdr[0] & 0x0f) * 4;
	const u8 *optptr = hdr + IPV4_MIN_HLEN;
	int l = ihl - IPV4_MIN_HLEN;

	(void)net;
	*opt = (struct ip_options){ .optlen = (u8)(l > 0 ? l : 0) };
	while (l > 0) {
		int optlen;

		if (*optptr == IPOPT_END)
			break;
		if (*optptr == IPOPT_NOOP) {
			optptr++;
			l--;
			continue;
		}
		if (l < 2 || optptr[1] < 2 || optptr[1] > l) {
			opt_error(&w, optptr);
			break;
		}
		optlen = optptr[1];
		if (opt_one(&w, optptr, optlen))
			break;
		optptr += optlen;
		l -= optlen;
	}
	if (w.pp < 0)
		return 0;
	if (pp_off)
		*pp_off = w.pp;
	return -EINVAL;
}

/* ---- filling the slots of a forwarded packet ------------------------------ */

/* RFC 791's timestamp: milliseconds since midnight UT. The stack clock has
 * no date, so midnight is the stack's start; it is what a host without a
 * synchronised clock may send (without the high-order "non-standard" bit,
 * as Linux's inet_current_timestamp also omits it). */
static u32 ip_current_timestamp(struct net *net)
{
	return (u32)((tn_now(net->stack) / 1000000u) % 86400000u);
}

static void fill_rr(u8 *iph, const struct ip_options *opt, u32 addr)
{
	u8 *optptr = iph + opt->rr;

	put_be32(&optptr[optptr[2] - 1], addr);
	optptr[2] += 4;
}

static void fill_ts(struct net *net, u8 *iph, const struct ip_options *opt, u32 addr)
{
	u8 *optptr = iph + opt->ts;
	u8 flag = optptr[3] & 0xf;

	if (optptr[2] > optptr[1]) {
		/* Full: count the router that could not record (overflow). */
		optptr[3] = (u8)((optptr[3] & 0xf) | (((optptr[3] >> 4) + 1) << 4));
		return;
	}
	if (flag == IPOPT_TS_TSONLY) {
		put_be32(&optptr[optptr[2] - 1], ip_current_timestamp(net));
		optptr[2] += 4;
	} else if (flag == IPOPT_TS_TSANDADDR) {
		put_be32(&optptr[optptr[2] - 1], addr);
		put_be32(&optptr[optptr[2] + 3], ip_current_timestamp(net));
		optptr[2] += 8;
	} else if (flag == IPOPT_TS_PRESPEC &&
		   inet_lookup_ifaddr(net, get_be32(&optptr[optptr[2] - 1]))) {
		/* Only the router whose address is prespecified stamps. */
		put_be32(&optptr[optptr[2] + 3], ip_current_timestamp(net));
		optptr[2] += 8;
	}
}

/*
 * Linux's ip_forward_options: write our address on the outgoing side
 * (RFC 791: "as known in the environment into which this datagram is
 * being forwarded") into record route and timestamp, then fix the header
 * checksum. The option bytes may change in many places, so the checksum
 * is computed again over the header, as Linux's ip_send_check does here.
 */
void ip_forward_options(struct sk_buff *skb)
{
	struct ip_options *opt = &IPCB(skb)->opt;
	struct net_device *out = skb_dst(skb)->dev;
	struct net *net = dev_net(out);
	u8 *iph = skb_network_header(skb);
	u32 addr;

	if (!opt->rr_needaddr && !opt->ts)
		return;
	addr = inet_select_addr(out, get_be32(iph + 16), RT_SCOPE_UNIVERSE);
	if (opt->rr_needaddr)
		fill_rr(iph, opt, addr);
	if (opt->ts)
		fill_ts(net, iph, opt, addr);
	put_be16(iph + 10, 0);
	put_be16(iph + 10, ip_fast_csum(iph, (unsigned int)(iph[0] & 0x0f)));
}
