/*
 * IPPROTO_IP socket options and ancillary data (Linux's
 * net/ipv4/ip_sockglue.c): IP_TTL, IP_TOS, IP_MTU_DISCOVER, IP_RECVERR and
 * its error queue, IP_PKTINFO, IP_RECVTTL, IP_RECVTOS, IP_MTU, IP_FREEBIND,
 * IP_TRANSPARENT, IP_HDRINCL, with Linux's value checks and its odd
 * corners (a one-byte optval is accepted; a short getsockopt buffer gets a
 * single byte).
 *
 * Of the multicast options only IP_MULTICAST_TTL and _LOOP are here;
 * group membership and IP_OPTIONS are not yet (ENOPROTOOPT).
 */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <linux/errqueue.h>

#include "net/skbuff.h"
#include "net/inet_sock.h"
#include "net/ip.h"
#include "net/net_namespace.h"
#include "net/route.h"
#include "net/wire/ipv4.h"

/* Linux's IP_PMTUDISC_INTERFACE and _OMIT: the interface MTU, no PMTU. */
#define IP_PMTUDISC_OMIT_LINUX 5

/* Linux's ip_tos2prio: the TOS bits pick a pfifo_fast band priority. */
static const u8 ip_tos2prio[16] = {
	0, 0, 0, 0,    /* best effort */
	2, 2, 2, 2,    /* bulk */
	6, 6, 6, 6,    /* interactive */
	4, 4, 4, 4,    /* interactive bulk */
};

static u32 rt_tos2priority(u8 tos)
{
	return ip_tos2prio[(tos & 0x1e) >> 1];
}

/* The options that take an int (or, Linux allows, a single byte). */
static bool ip_int_option(int optname)
{
	switch (optname) {
	case IP_PKTINFO: case IP_RECVTTL: case IP_RECVOPTS: case IP_RECVTOS:
	case IP_RETOPTS: case IP_TOS: case IP_TTL: case IP_HDRINCL:
	case IP_MTU_DISCOVER: case IP_RECVERR: case IP_FREEBIND:
	case IP_TRANSPARENT: case IP_MINTTL: case IP_NODEFRAG:
	case IP_BIND_ADDRESS_NO_PORT: case IP_MULTICAST_TTL: case IP_MULTICAST_LOOP:
		return true;
	}
	return false;
}

static void set_cmsg_flag(struct inet_sock *inet, u8 flag, int val)
{
	if (val)
		inet->cmsg_flags |= flag;
	else
		inet->cmsg_flags &= (u8)~flag;
}

/* Linux's __ip_sock_set_tos: a stream socket keeps its ECN bits. */
static void ip_sock_set_tos(struct sock *sk, int val)
{
	struct inet_sock *inet = inet_sk(sk);

	if (sk->sk_type == SOCK_STREAM)
		val = (val & ~3) | (inet->tos & 3);
	if (inet->tos != (u8)val) {
		inet->tos = (u8)val;
		sk->sk_priority = rt_tos2priority((u8)val);
		sk_dst_reset(sk);
	}
}

static int do_ip_setsockopt(struct sock *sk, int optname, int val, socklen_t optlen)
{
	struct inet_sock *inet = inet_sk(sk);

	switch (optname) {
	case IP_PKTINFO: set_cmsg_flag(inet, IP_CMSG_PKTINFO, val); return 0;
	case IP_RECVTTL: set_cmsg_flag(inet, IP_CMSG_TTL, val); return 0;
	case IP_RECVTOS: set_cmsg_flag(inet, IP_CMSG_TOS, val); return 0;
	case IP_RECVOPTS: set_cmsg_flag(inet, IP_CMSG_RECVOPTS, val); return 0;
	case IP_RETOPTS: set_cmsg_flag(inet, IP_CMSG_RETOPTS, val); return 0;
	case IP_TOS:
		ip_sock_set_tos(sk, val);
		return 0;
	case IP_TTL:
		if (optlen < 1 || (val != -1 && (val < 1 || val > 255)))
			return -EINVAL;
		inet->uc_ttl = (s16)val;
		return 0;
	case IP_HDRINCL:
		if (sk->sk_type != SOCK_RAW)
			return -ENOPROTOOPT;
		inet->hdrincl = val ? 1 : 0;
		return 0;
	case IP_MTU_DISCOVER:
		if (val < IP_PMTUDISC_DONT || val > IP_PMTUDISC_OMIT_LINUX)
			return -EINVAL;
		inet->pmtudisc = (u8)val;
		return 0;
	case IP_RECVERR:
		inet->recverr = val ? 1 : 0;
		if (!val)
			skb_queue_purge(&sk->sk_error_queue);
		return 0;
	case IP_FREEBIND:
		if (optlen < 1)
			return -EINVAL;
		inet->freebind = val ? 1 : 0;
		return 0;
	case IP_MULTICAST_TTL:
		if (sk->sk_type == SOCK_STREAM || optlen < 1)
			return -EINVAL;
		if (val == -1)
			val = 1;
		if (val < 0 || val > 255)
			return -EINVAL;
		inet->mc_ttl = (u8)val;
		return 0;
	case IP_MULTICAST_LOOP:
		if (optlen < 1)
			return -EINVAL;
		inet->mc_loop = val ? 1 : 0;
		return 0;
	case IP_TRANSPARENT:
		if (optlen < 1)
			return -EINVAL;
		inet->transparent = val ? 1 : 0;   /* CAP_NET_ADMIN: we are root */
		return 0;
	default:
		return -ENOPROTOOPT;
	}
}

int ip_setsockopt(struct sock *sk, int level, int optname, const void *optval, socklen_t optlen)
{
	int val = 0;

	if (level != SOL_IP)
		return -ENOPROTOOPT;
	if (ip_int_option(optname)) {
		if (optlen && !optval)
			return -EFAULT;
		if (optlen >= sizeof(int)) {
			memcpy(&val, optval, sizeof(val));
		} else if (optlen >= 1) {
			val = *(const unsigned char *)optval;
		}
		/* optlen 0 means val 0, as Linux has it. */
	}
	return do_ip_setsockopt(sk, optname, val, optlen);
}

/* IP_MTU: the path MTU of a connected socket's route. */
static int ip_sock_mtu(struct sock *sk)
{
	struct dst_entry *dst = sk->sk_dst_cache;

	if (!dst || !ipv4_dst_check(dst))
		return 0;
	return (int)ipv4_mtu(dst_rtable(dst));
}

static int do_ip_getsockopt(struct sock *sk, int optname, int *val)
{
	struct inet_sock *inet = inet_sk(sk);

	switch (optname) {
	case IP_PKTINFO: *val = !!(inet->cmsg_flags & IP_CMSG_PKTINFO); return 0;
	case IP_RECVTTL: *val = !!(inet->cmsg_flags & IP_CMSG_TTL); return 0;
	case IP_RECVTOS: *val = !!(inet->cmsg_flags & IP_CMSG_TOS); return 0;
	case IP_RECVOPTS: *val = !!(inet->cmsg_flags & IP_CMSG_RECVOPTS); return 0;
	case IP_RETOPTS: *val = !!(inet->cmsg_flags & IP_CMSG_RETOPTS); return 0;
	case IP_TOS: *val = inet->tos; return 0;
	case IP_TTL:
		*val = inet->uc_ttl == -1 ? sock_net(sk)->ipv4.sysctl_ip_default_ttl : inet->uc_ttl;
		return 0;
	case IP_HDRINCL: *val = inet->hdrincl; return 0;
	case IP_MTU_DISCOVER: *val = inet->pmtudisc; return 0;
	case IP_RECVERR: *val = inet->recverr; return 0;
	case IP_FREEBIND: *val = inet->freebind; return 0;
	case IP_MULTICAST_TTL: *val = inet->mc_ttl; return 0;
	case IP_MULTICAST_LOOP: *val = inet->mc_loop; return 0;
	case IP_TRANSPARENT: *val = inet->transparent; return 0;
	case IP_MTU:
		*val = ip_sock_mtu(sk);
		return *val ? 0 : -ENOTCONN;
	default:
		return -ENOPROTOOPT;
	}
}

/* Linux answers a bad level here with EOPNOTSUPP (setsockopt: ENOPROTOOPT).
 * A buffer shorter than an int gets one byte when the value fits in one. */
int ip_getsockopt(struct sock *sk, int level, int optname, void *optval, socklen_t *optlen)
{
	int len, val = 0, err;

	if (level != SOL_IP)
		return -EOPNOTSUPP;
	if (!optlen)
		return -EFAULT;
	len = (int)*optlen;
	if (len < 0)
		return -EINVAL;
	err = do_ip_getsockopt(sk, optname, &val);
	if (err)
		return err;
	if (len < (int)sizeof(int) && len > 0 && val >= 0 && val <= 255) {
		if (!optval)
			return -EFAULT;
		*optlen = 1;
		*(unsigned char *)optval = (unsigned char)val;
		return 0;
	}
	len = TN_MIN(len, (int)sizeof(int));
	if (len && !optval)
		return -EFAULT;
	*optlen = (socklen_t)len;
	memcpy(optval, &val, (size_t)len);
	return 0;
}

/* ---- ancillary data on receive ---------------------------------------- */

static bool skb_iph(const struct sk_buff *skb, struct ipv4_repr *iph)
{
	const u8 *nh;

	if (skb->network_header == SKB_HDR_UNSET)
		return false;
	nh = skb_network_header(skb);
	return nh < skb_tail_pointer(skb) &&
	       ipv4_parse(nh, (size_t)(skb_tail_pointer(skb) - nh), iph) == IPV4_PARSE_OK;
}

static void ip_cmsg_recv_pktinfo(struct msghdr *msg, const struct sk_buff *skb,
				 const struct ipv4_repr *iph)
{
	struct in_pktinfo info;
	u32 spec_dst = iph->daddr;

	if (skb->dst) {
		const struct rtable *rt = dst_rtable(skb->dst);
		if (rt->rt_spec_dst)
			spec_dst = rt->rt_spec_dst;
	}
	memset(&info, 0, sizeof(info));
	info.ipi_ifindex = skb->skb_iif;
	info.ipi_spec_dst.s_addr = htonl(spec_dst);
	info.ipi_addr.s_addr = htonl(iph->daddr);
	put_cmsg(msg, SOL_IP, IP_PKTINFO, sizeof(info), &info);
}

void ip_cmsg_recv(struct msghdr *msg, struct sk_buff *skb)
{
	u8 flags = skb->sk ? inet_sk(skb->sk)->cmsg_flags : 0;
	struct ipv4_repr iph;

	if (!flags || !skb_iph(skb, &iph))
		return;
	if (flags & IP_CMSG_PKTINFO)
		ip_cmsg_recv_pktinfo(msg, skb, &iph);
	if (flags & IP_CMSG_TTL) {
		int ttl = iph.ttl;
		put_cmsg(msg, SOL_IP, IP_TTL, sizeof(ttl), &ttl);
	}
	if (flags & IP_CMSG_TOS)
		put_cmsg(msg, SOL_IP, IP_TOS, 1, &iph.tos);
}

/* ---- the error queue (IP_RECVERR) ------------------------------------- */

/* What an error skb carries in its cb while it waits on the error queue
 * (Linux's sock_exterr_skb). */
struct sock_exterr_skb {
	struct sock_extended_err ee;
	u32 addr;                    /* the quoted destination (host order) */
	u32 offender;                /* who sent the ICMP error */
	u16 port;                    /* the quoted destination port */
};

static struct sock_exterr_skb *SKB_EXT_ERR(struct sk_buff *skb)
{
	_Static_assert(sizeof(struct sock_exterr_skb) <= sizeof(skb->cb), "cb too small");
	return (struct sock_exterr_skb *)skb->cb;
}

/* skb: the ICMP error, skb->data at the part to hand back as data (what
 * the transport chose: UDP the quoted payload, ping from its ICMP header),
 * its network header still the ICMP message's IP header (the offender).
 * The skb stays the caller's; a clone is queued. */
void ip_icmp_error(struct sock *sk, struct sk_buff *skb, int err, u8 type, u8 code, u32 info,
		   u32 dst, u16 port)
{
	struct sock_exterr_skb *serr;
	struct ipv4_repr outer;
	struct sk_buff *clone;

	if (!inet_sk(sk)->recverr)
		return;
	clone = skb_clone(skb);
	if (!clone)
		return;
	serr = SKB_EXT_ERR(clone);
	memset(serr, 0, sizeof(*serr));
	serr->ee.ee_errno = (u32)err;
	serr->ee.ee_origin = SO_EE_ORIGIN_ICMP;
	serr->ee.ee_type = type;
	serr->ee.ee_code = code;
	serr->ee.ee_info = info;
	serr->addr = dst;
	serr->port = port;
	serr->offender = skb_iph(skb, &outer) ? outer.saddr : 0;
	if (sock_queue_err_skb(sk, clone))
		kfree_skb(clone);
}

/* Linux's sock_dequeue_err_skb: the next error becomes the pending one. */
static struct sk_buff *sock_dequeue_err_skb(struct sock *sk)
{
	struct sk_buff *skb = __skb_dequeue(&sk->sk_error_queue);
	struct sk_buff *next = skb_peek(&sk->sk_error_queue);

	if (!skb)
		return NULL;
	if (next) {
		sk->sk_err = (int)SKB_EXT_ERR(next)->ee.ee_errno;
		sk->sk_error_report(sk);
	} else {
		sk->sk_err = 0;
	}
	return skb;
}

static void ip_recv_error_name(struct msghdr *msg, const struct sock_exterr_skb *serr)
{
	struct sockaddr_in *sin = msg->msg_name;

	if (!sin)
		return;
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(serr->addr);
	sin->sin_port = htons(serr->port);
	msg->msg_namelen = sizeof(*sin);
}

int ip_recv_error(struct sock *sk, struct msghdr *msg, size_t len)
{
	struct {
		struct sock_extended_err ee;
		struct sockaddr_in offender;
	} errhdr;
	struct sock_exterr_skb *serr;
	struct sk_buff *skb;
	size_t copied;
	int err;

	skb = sock_dequeue_err_skb(sk);
	if (!skb)
		return -EAGAIN;
	copied = skb->len;
	if (copied > len) {
		msg->msg_flags |= MSG_TRUNC;
		copied = len;
	}
	err = skb_copy_datagram_msg(skb, 0, msg, (int)copied);
	if (err) {
		kfree_skb(skb);
		return err;
	}
	serr = SKB_EXT_ERR(skb);
	ip_recv_error_name(msg, serr);
	memset(&errhdr, 0, sizeof(errhdr));
	errhdr.ee = serr->ee;
	errhdr.offender.sin_family = AF_INET;
	errhdr.offender.sin_addr.s_addr = htonl(serr->offender);
	if (inet_sk(sk)->cmsg_flags)
		ip_cmsg_recv(msg, skb);
	put_cmsg(msg, SOL_IP, IP_RECVERR, sizeof(errhdr), &errhdr);
	msg->msg_flags |= MSG_ERRQUEUE;
	consume_skb(skb);
	return (int)copied;
}
