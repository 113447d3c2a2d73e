/*
 * UDP, RFC 768 with RFC 1122 4.1 (Linux's net/ipv4/udp.c): the transport of
 * SOCK_DGRAM/IPPROTO_UDP sockets.
 *
 *   bind/autobind   udp_v4_get_port: Linux's conflict and reuse rules, and
 *                   its ephemeral search (random start, one hash slot at a
 *                   time with a bitmap of the ports in use in it)
 *   receive         udp_rcv: length and checksum (RFC 1122 4.1.3.4), then
 *                   broadcast/multicast to every matching socket, unicast to
 *                   the best-scoring one (or a SO_REUSEPORT group member),
 *                   or ICMP port unreachable (RFC 1122 4.1.3.1)
 *   errors          udp_err: ICMP errors about our datagrams, reported as
 *                   Linux does (sk_err on connected sockets for hard
 *                   errors; IP_RECVERR's error queue)
 *   send            udp_sendmsg: route (cached when connected), header,
 *                   full software checksum, ip_send_routed
 *   recvmsg         udp_recvmsg: MSG_PEEK, MSG_TRUNC, the source address,
 *                   IP_PKTINFO and friends through ip_cmsg_recv
 *
 * It is not UDP-Lite, GSO/GRO, encapsulation sockets or corking.
 * Checksums are verified when a datagram arrives, not when it is read
 * (Linux defers the check to recvmsg); the counters come out the same,
 * and a bad datagram never takes receive-buffer space.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <linux/sockios.h>

#include "net/skbuff.h"
#include "net/checksum.h"
#include "net/dst.h"
#include "net/icmp.h"
#include "net/ip.h"
#include "net/net_namespace.h"
#include "net/netdevice.h"
#include "net/protocol.h"
#include "net/route.h"
#include "net/stack.h"
#include "net/udp.h"
#include "lib/hash.h"

#ifndef ENOIOCTLCMD
#define ENOIOCTLCMD 515   /* Linux's internal "not this layer's ioctl" */
#endif
#ifndef SOL_UDP
#define SOL_UDP 17
#endif

#define UDP_HTABLE_MASK (UDP_HTABLE_SIZE - 1)
#define PORTS_PER_CHAIN (65536 / UDP_HTABLE_SIZE)

static struct udp_table *udp_table_of(const struct sock *sk)
{
	return sock_net(sk)->ipv4.udp_table;
}

static u32 reciprocal_scale(u32 val, u32 ep_ro)
{
	return (u32)(((u64)val * ep_ro) >> 32);
}

static struct udp_hslot *udp_hashslot(struct udp_table *t, u16 port)
{
	return &t->hash[port & UDP_HTABLE_MASK];
}

/* Linux's ipv4_portaddr_hash: the address hashed with the table's secret,
 * mixed with the port. */
static u32 udp_portaddr_hash(const struct udp_table *t, u32 addr, u16 port)
{
	return jhash_1word(addr, t->secret) ^ port;
}

static struct udp_hslot *udp_hashslot2(struct udp_table *t, u32 hash)
{
	return &t->hash2[hash & UDP_HTABLE_MASK];
}

/* Linux's udp_ehashfn: what picks a SO_REUSEPORT group member. */
static u32 udp_ehashfn(const struct udp_table *t, u32 laddr, u16 lport, u32 faddr, u16 fport)
{
	return jhash_3words(laddr, faddr, (u32)lport << 16 | fport, t->secret);
}

static bool udp_hashed(const struct sock *sk)
{
	return !hlist_unhashed(&sk->sk_bind_node);
}

/* ---- SO_REUSEPORT groups (Linux's sock_reuseport) ---------------------------- */

static int udp_reuseport_join(struct sock *sk, struct udp_reuseport *group)
{
	if (group->num == group->cap) {
		unsigned int cap = group->cap ? group->cap * 2 : 4;
		struct sock **socks = realloc(group->socks, cap * sizeof(*socks));

		if (!socks)
			return -ENOMEM;
		group->socks = socks;
		group->cap = cap;
	}
	group->socks[group->num++] = sk;
	udp_sk(sk)->reuseport = group;
	return 0;
}

/* Leave the group: the last member takes the slot, as Linux's
 * reuseport_detach_sock does, so selection stays a plain index. */
static void udp_reuseport_detach(struct sock *sk)
{
	struct udp_reuseport *group = udp_sk(sk)->reuseport;

	if (!group)
		return;
	for (unsigned int i = 0; i < group->num; i++) {
		if (group->socks[i] == sk) {
			group->socks[i] = group->socks[--group->num];
			break;
		}
	}
	udp_sk(sk)->reuseport = NULL;
	if (!group->num) {
		free(group->socks);
		free(group);
	}
}

/* Join the group of a socket bound to exactly the same address, port and
 * device, or start one (Linux's udp_reuseport_add_sock). */
static int udp_reuseport_add_sock(struct udp_table *t, struct sock *sk)
{
	struct udp_hslot *hslot = udp_hashslot(t, udp_sk(sk)->udp_port_hash);
	struct udp_reuseport *group;
	struct sock *sk2;
	int err;

	hlist_for_each_entry(sk2, &hslot->head, sk_bind_node) {
		if (sk2 != sk && sk2->sk_reuseport && udp_sk(sk2)->reuseport &&
		    udp_sk(sk2)->udp_port_hash == udp_sk(sk)->udp_port_hash &&
		    sk2->sk_bound_dev_if == sk->sk_bound_dev_if &&
		    sk2->sk_rcv_saddr == sk->sk_rcv_saddr)
			return udp_reuseport_join(sk, udp_sk(sk2)->reuseport);
	}
	group = calloc(1, sizeof(*group));
	if (!group)
		return -ENOMEM;
	err = udp_reuseport_join(sk, group);
	if (err)
		free(group);
	return err;
}

/* Linux's reuseport_select_sock_by_hash: connected members only take
 * datagrams that their own 4-tuple matches, so they are skipped. */
static struct sock *udp_reuseport_select(struct sock *sk, u32 hash)
{
	struct udp_reuseport *group = udp_sk(sk)->reuseport;
	unsigned int i, j;

	if (!group || !group->num)
		return NULL;
	i = j = reciprocal_scale(hash, group->num);
	do {
		if (group->socks[i]->sk_state != TCP_ESTABLISHED)
			return group->socks[i];
		if (++i >= group->num)
			i = 0;
	} while (i != j);
	return NULL;
}

/* ---- binding ------------------------------------------------------------------ */

/* Linux's inet_rcv_saddr_equal with match_wildcard: the same address, or
 * either one the wildcard. */
static bool udp_rcv_saddr_overlap(const struct sock *sk, const struct sock *sk2)
{
	return !sk->sk_rcv_saddr || !sk2->sk_rcv_saddr || sk->sk_rcv_saddr == sk2->sk_rcv_saddr;
}

/* Would sk and sk2 receive each other's datagrams? Not if both set
 * SO_REUSEADDR, or if they are bound to different devices or addresses. */
static bool udp_bind_conflict(const struct sock *sk, const struct sock *sk2)
{
	if (sk2 == sk || (sk2->sk_reuse && sk->sk_reuse))
		return false;
	if (sk2->sk_bound_dev_if && sk->sk_bound_dev_if &&
	    sk2->sk_bound_dev_if != sk->sk_bound_dev_if)
		return false;
	return udp_rcv_saddr_overlap(sk, sk2);
}

/* Two SO_REUSEPORT sockets may share; a socket already in a group (being
 * rebound) may not join another. One user owns every tuxnet socket, so
 * Linux's same-uid rule always holds. */
static bool udp_reuseport_ok(const struct sock *sk, const struct sock *sk2)
{
	return sk2->sk_reuseport && sk->sk_reuseport && !udp_sk(sk)->reuseport;
}

/*
 * Linux's udp_lib_lport_inuse. Without a bitmap: is port num taken for sk?
 * With one: walk a whole slot and mark (bit port >> UDP_HTABLE_LOG) every
 * port a conflicting socket holds, for the ephemeral search. As in Linux,
 * the first conflicting socket that SO_REUSEPORT lets us share with
 * settles the question.
 */
static bool udp_lib_lport_inuse(struct udp_hslot *hslot, u16 num, const struct sock *sk,
				unsigned long *bitmap)
{
	const unsigned int bits = 8 * sizeof(unsigned long);
	struct sock *sk2;

	hlist_for_each_entry(sk2, &hslot->head, sk_bind_node) {
		u16 port = udp_sk(sk2)->udp_port_hash;

		if ((!bitmap && port != num) || !udp_bind_conflict(sk, sk2))
			continue;
		if (udp_reuseport_ok(sk, sk2)) {
			if (!bitmap)
				return false;
		} else {
			if (!bitmap)
				return true;
			unsigned int bit = port >> UDP_HTABLE_LOG;
			bitmap[bit / bits] |= 1ul << (bit % bits);
		}
	}
	return false;
}

static bool udp_port_marked(const unsigned long *bitmap, u16 port)
{
	const unsigned int bits = 8 * sizeof(unsigned long);
	unsigned int bit = port >> UDP_HTABLE_LOG;

	return bitmap[bit / bits] & (1ul << (bit % bits));
}

/*
 * Linux's ephemeral search in udp_lib_get_port: start at a random port of
 * net.ipv4.ip_local_port_range; for each hash slot from there, mark the
 * ports its sockets hold, then try that slot's ports in steps of an odd
 * multiple of the table size (which visits all of them, in an order that
 * depends on the random draw). Each slot costs its chain plus
 * PORTS_PER_CHAIN steps, however many ports are in use. 0: none free.
 */
static u16 udp_find_ephemeral(struct udp_table *t, struct sock *sk)
{
	struct net *net = sock_net(sk);
	unsigned long bitmap[PORTS_PER_CHAIN / (8 * sizeof(unsigned long))];
	int low = net->ipv4.sysctl_ip_local_port_range[0];
	int high = net->ipv4.sysctl_ip_local_port_range[1];
	u32 remaining = (u32)(high - low) + 1;
	u32 rand = tn_prandom_u32(net->stack);
	u16 first = (u16)(reciprocal_scale(rand, remaining) + (u32)low);
	u16 last = (u16)(first + UDP_HTABLE_SIZE);
	u16 step = (u16)((rand | 1) * UDP_HTABLE_SIZE);

	do {
		u16 snum = first;

		memset(bitmap, 0, sizeof(bitmap));
		udp_lib_lport_inuse(udp_hashslot(t, first), 0, sk, bitmap);
		do {
			if (low <= snum && snum <= high && !udp_port_marked(bitmap, snum))
				return snum;
			snum = (u16)(snum + step);
		} while (snum != first);
	} while (++first != last);
	return 0;
}

/* Put a socket whose port is chosen into both hashes (taking a reference,
 * as sk_add_node does), and into a SO_REUSEPORT group. */
static int udp_lib_hash_port(struct udp_table *t, struct sock *sk, u16 snum)
{
	struct udp_sock *up = udp_sk(sk);
	struct udp_hslot *hslot = udp_hashslot(t, snum), *hslot2;
	int err;

	sk->sk_num = snum;
	inet_sk(sk)->inet_sport = snum;
	up->udp_port_hash = snum;
	up->udp_portaddr_hash = udp_portaddr_hash(t, sk->sk_rcv_saddr, snum);
	if (sk->sk_reuseport) {
		err = udp_reuseport_add_sock(t, sk);
		if (err) {
			sk->sk_num = 0;
			return err;
		}
	}
	hlist_add_head(&sk->sk_bind_node, &hslot->head);
	hslot->count++;
	hslot2 = udp_hashslot2(t, up->udp_portaddr_hash);
	hlist_add_head(&sk->sk_node, &hslot2->head);
	hslot2->count++;
	sock_hold(sk);
	return 0;
}

/*
 * bind() and autobind (snum 0). -EADDRINUSE when the port is taken for
 * this socket's address, -EAGAIN when no ephemeral port is free (what
 * Linux's inet_autobind reports for UDP).
 */
int udp_v4_get_port(struct sock *sk, unsigned short snum)
{
	struct udp_table *t = udp_table_of(sk);

	if (udp_hashed(sk))
		return -EINVAL;
	if (!snum) {
		snum = udp_find_ephemeral(t, sk);
		if (!snum)
			return -EAGAIN;
	} else if (udp_lib_lport_inuse(udp_hashslot(t, snum), snum, sk, NULL)) {
		return -EADDRINUSE;
	}
	return udp_lib_hash_port(t, sk, snum);
}

void udp_lib_unhash(struct sock *sk)
{
	struct udp_table *t = udp_table_of(sk);
	struct udp_sock *up = udp_sk(sk);

	if (!udp_hashed(sk))
		return;
	udp_reuseport_detach(sk);
	hlist_del_init(&sk->sk_bind_node);
	udp_hashslot(t, up->udp_port_hash)->count--;
	hlist_del_init(&sk->sk_node);
	udp_hashslot2(t, up->udp_portaddr_hash)->count--;
	sk->sk_num = 0;
	sock_put(sk);
}

/* connect() chose the local address: move the socket in hash2; a
 * connected socket leaves its SO_REUSEPORT group (Linux's
 * udp_lib_rehash). */
void udp_lib_rehash(struct sock *sk)
{
	struct udp_table *t = udp_table_of(sk);
	struct udp_sock *up = udp_sk(sk);
	u32 nhash = udp_portaddr_hash(t, sk->sk_rcv_saddr, up->udp_port_hash);

	if (!udp_hashed(sk))
		return;
	udp_reuseport_detach(sk);
	if (nhash == up->udp_portaddr_hash)
		return;
	hlist_del_init(&sk->sk_node);
	udp_hashslot2(t, up->udp_portaddr_hash)->count--;
	up->udp_portaddr_hash = nhash;
	hlist_add_head(&sk->sk_node, &udp_hashslot2(t, nhash)->head);
	udp_hashslot2(t, nhash)->count++;
}

/* ---- lookup ------------------------------------------------------------------- */

/* Linux's compute_score: -1 if sk cannot take the datagram; otherwise
 * higher for each field it pins down (peer address, peer port, device). */
static int udp_compute_score(const struct sock *sk, u32 saddr, u16 sport, u32 daddr, u16 hnum,
			     int dif)
{
	int score = 2;

	if (udp_sk(sk)->udp_port_hash != hnum || sk->sk_rcv_saddr != daddr)
		return -1;
	if (sk->sk_daddr) {
		if (sk->sk_daddr != saddr)
			return -1;
		score += 4;
	}
	if (sk->sk_dport) {
		if (sk->sk_dport != sport)
			return -1;
		score += 4;
	}
	if (sk->sk_bound_dev_if) {
		if (sk->sk_bound_dev_if != dif)
			return -1;
		score += 4;
	}
	return score;
}

/* The best socket in one hash2 chain for a datagram to daddr (the bound
 * address being looked for: the destination, or INADDR_ANY). The first
 * SO_REUSEPORT socket that beats the rest answers for its whole group. */
static struct sock *udp4_lib_lookup2(struct udp_table *t, u32 saddr, u16 sport, u32 daddr,
				     u16 hnum, int dif, u32 pkt_daddr)
{
	struct udp_hslot *hslot2 = udp_hashslot2(t, udp_portaddr_hash(t, daddr, hnum));
	struct sock *sk, *result = NULL, *sel;
	int score, badness = 0;

	hlist_for_each_entry(sk, &hslot2->head, sk_node) {
		score = udp_compute_score(sk, saddr, sport, daddr, hnum, dif);
		if (score <= badness)
			continue;
		badness = score;
		result = sk;
		if (sk->sk_state == TCP_ESTABLISHED || !sk->sk_reuseport)
			continue;
		sel = udp_reuseport_select(sk, udp_ehashfn(t, pkt_daddr, hnum, saddr, sport));
		if (sel)
			return sel;
	}
	return result;
}

struct sock *udp4_lib_lookup(struct net *net, u32 saddr, u16 sport, u32 daddr, u16 dport,
			     int dif)
{
	struct udp_table *t = net->ipv4.udp_table;
	struct sock *sk;

	sk = udp4_lib_lookup2(t, saddr, sport, daddr, dport, dif, daddr);
	if (!sk)
		sk = udp4_lib_lookup2(t, saddr, sport, 0, dport, dif, daddr);
	return sk;
}

/* ---- receive ------------------------------------------------------------------ */

static void udp_drop(struct net *net, struct sk_buff *skb, int mib,
		     enum skb_drop_reason reason)
{
	if (mib >= 0)
		__UDP_INC_STATS(net, mib);
	__UDP_INC_STATS(net, UDP_MIB_INERRORS);
	kfree_skb_reason(skb, reason);
}

/*
 * Queue a datagram on its socket (Linux's __udp_enqueue_schedule_skb): as
 * in Linux the buffer may overshoot SO_RCVBUF by one datagram; once it is
 * over, datagrams are dropped as UdpRcvbufErrors. skb->data moves to the
 * payload (the transport header still marks the UDP header); the device
 * is forgotten, since the datagram may outlive it in the queue.
 */
static int udp_queue_rcv_skb(struct sock *sk, struct sk_buff *skb)
{
	struct net *net = sock_net(sk);

	if (sk->sk_rmem_alloc > sk->sk_rcvbuf) {
		sk->sk_drops++;
		udp_drop(net, skb, UDP_MIB_RCVBUFERRORS, SKB_DROP_REASON_SOCKET_RCVBUFF);
		return -ENOMEM;
	}
	skb_pull(skb, UDP_HLEN);
	/* IP_PKTINFO's spec_dst is computed from the input route when read. */
	if (!(inet_sk(sk)->cmsg_flags & IP_CMSG_PKTINFO))
		skb_dst_drop(skb);
	skb->dev = NULL;
	skb_set_owner_r(skb, sk);
	__skb_queue_tail(&sk->sk_receive_queue, skb);
	if (!sock_flag(sk, SOCK_DEAD))
		sk->sk_data_ready(sk);
	return 0;
}

/* Linux's __udp_is_mcast_sock: every socket on the port whose bound and
 * connected addresses do not exclude the datagram. */
static bool udp_is_mcast_sock(const struct sock *sk, u16 hnum, u32 loc_addr, u32 rmt_addr,
			      u16 rmt_port, int dif)
{
	if (udp_sk(sk)->udp_port_hash != hnum)
		return false;
	if ((sk->sk_daddr && sk->sk_daddr != rmt_addr) ||
	    (sk->sk_dport && sk->sk_dport != rmt_port) ||
	    (sk->sk_rcv_saddr && sk->sk_rcv_saddr != loc_addr))
		return false;
	return !sk->sk_bound_dev_if || sk->sk_bound_dev_if == dif;
}

/*
 * A broadcast or multicast datagram goes to every matching socket (a
 * clone each, the original to the last), Linux's __udp4_lib_mcast_deliver.
 * Nobody listening is UdpIgnoredMulti, never an ICMP error (RFC 1122
 * 3.2.2).
 */
static int udp_mcast_deliver(struct net *net, struct sk_buff *skb, const struct udp_repr *uh,
			     u32 saddr, u32 daddr)
{
	struct udp_hslot *hslot = udp_hashslot(net->ipv4.udp_table, uh->dest);
	int dif = skb->skb_iif;
	struct sock *sk, *last = NULL;

	hlist_for_each_entry(sk, &hslot->head, sk_bind_node) {
		if (!udp_is_mcast_sock(sk, uh->dest, daddr, saddr, uh->source, dif))
			continue;
		if (last) {
			struct sk_buff *nskb = skb_clone(skb);

			if (!nskb) {
				last->sk_drops++;
				__UDP_INC_STATS(net, UDP_MIB_RCVBUFERRORS);
				__UDP_INC_STATS(net, UDP_MIB_INERRORS);
				continue;
			}
			udp_queue_rcv_skb(last, nskb);
		}
		last = sk;
	}
	if (last)
		return udp_queue_rcv_skb(last, skb);
	__UDP_INC_STATS(net, UDP_MIB_IGNOREDMULTI);
	kfree_skb_reason(skb, SKB_DROP_REASON_NO_SOCKET);
	return 0;
}

/* RFC 768: a zero checksum means the sender computed none; lo marks its
 * frames CHECKSUM_UNNECESSARY, and one whose sum was left to the device
 * (CHECKSUM_PARTIAL from a veth peer or a TAP's NEEDS_CSUM) never crossed
 * a wire (Linux's skb_csum_unnecessary). Anything else is summed with the
 * pseudo-header and must come to zero. */
static bool udp_csum_ok(struct sk_buff *skb, const struct udp_repr *uh, u32 saddr, u32 daddr)
{
	if (!uh->check || skb->ip_summed == CHECKSUM_UNNECESSARY ||
	    skb->ip_summed == CHECKSUM_PARTIAL)
		return true;
	if (csum_tcpudp_magic(saddr, daddr, uh->len, IPPROTO_UDP,
			      csum_partial(skb->data, uh->len, 0)))
		return false;
	skb->ip_summed = CHECKSUM_UNNECESSARY;
	return true;
}

static bool udp_rt_is_mcast(const struct sk_buff *skb)
{
	if (skb->dst)
		return skb_rtable(skb)->rt_flags & (RTCF_BROADCAST | RTCF_MULTICAST);
	return skb->pkt_type == PACKET_BROADCAST || skb->pkt_type == PACKET_MULTICAST;
}

int udp_rcv(struct sk_buff *skb)
{
	struct net *net = dev_net(skb->dev);
	struct ipv4_repr iph;
	struct udp_repr uh;
	struct sock *sk;

	if (udp_parse(skb->data, skb->len, &uh)) {
		udp_drop(net, skb, -1, SKB_DROP_REASON_PKT_TOO_SMALL);
		return 0;
	}
	/* RFC 768: the length covers header and data, and IP may carry
	 * padding after it (trimmed away). */
	if (uh.len > skb->len || uh.len < UDP_HLEN) {
		udp_drop(net, skb, -1, SKB_DROP_REASON_PKT_TOO_SMALL);
		return 0;
	}
	skb_trim(skb, uh.len);
	ip_hdr_repr(skb, &iph);
	if (!udp_csum_ok(skb, &uh, iph.saddr, iph.daddr)) {
		udp_drop(net, skb, UDP_MIB_CSUMERRORS, SKB_DROP_REASON_UDP_CSUM);
		return 0;
	}
	if (udp_rt_is_mcast(skb))
		return udp_mcast_deliver(net, skb, &uh, iph.saddr, iph.daddr);
	sk = udp4_lib_lookup(net, iph.saddr, uh.source, iph.daddr, uh.dest, skb->skb_iif);
	if (sk)
		return udp_queue_rcv_skb(sk, skb);
	__UDP_INC_STATS(net, UDP_MIB_NOPORTS);
	icmp_send(skb, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 0);
	kfree_skb_reason(skb, SKB_DROP_REASON_NO_SOCKET);
	return 0;
}

/* ---- ICMP errors ---------------------------------------------------------------- */

/* The errno for an ICMP error and whether it is hard (Linux's
 * __udp4_lib_err). false: nothing to report (source quench, redirect,
 * fragmentation needed with PMTU discovery off). */
static bool udp_icmp_errno(const struct sock *sk, u8 type, u8 code, int *err, bool *harderr)
{
	*harderr = false;
	switch (type) {
	case ICMP_SOURCE_QUENCH:
	case ICMP_REDIRECT:
		return false;
	default:
		return icmp_err_to_errno(sk, type, code, err, harderr);
	}
}

/*
 * An ICMP error quoting a datagram we sent (skb->data at the quoted IP
 * header, at least 8 bytes of UDP after it). Without IP_RECVERR only a
 * hard error on a connected socket is reported (RFC 1122 4.1.3.3 lets the
 * application decide; Linux decides this way); with it, every error goes
 * to the error queue and to sk_err.
 */
int udp_err(struct sk_buff *skb, u32 info, u8 type, u8 code)
{
	struct net *net = dev_net(skb->dev);
	struct ipv4_repr qiph;
	struct udp_repr quh;
	struct sock *sk;
	bool harderr;
	int err;

	if (ipv4_parse(skb->data, skb->len, &qiph) != IPV4_PARSE_OK ||
	    udp_parse(skb->data + qiph.ihl, skb->len - qiph.ihl, &quh))
		return 0;
	sk = udp4_lib_lookup(net, qiph.daddr, quh.dest, qiph.saddr, quh.source,
			     skb->dev->ifindex);
	if (!sk) {
		__ICMP_INC_STATS(net, ICMP_MIB_INERRORS);
		return 0;
	}
	if (type == ICMP_DEST_UNREACH && code == ICMP_FRAG_NEEDED)
		sk_dst_reset(sk);   /* icmp.c learned the PMTU; route again */
	if (!udp_icmp_errno(sk, type, code, &err, &harderr))
		return 0;
	if (!inet_sk(sk)->recverr) {
		if (!harderr || sk->sk_state != TCP_ESTABLISHED)
			return 0;
	} else {
		/* The error queue returns what followed the UDP header. */
		skb_pull(skb, qiph.ihl + UDP_HLEN);
		ip_icmp_error(sk, skb, err, type, code, info, qiph.daddr, quh.dest);
		skb_push(skb, qiph.ihl + UDP_HLEN);
	}
	sk->sk_err = err;
	sk->sk_error_report(sk);
	return 0;
}

/* ---- send ----------------------------------------------------------------------- */

/* Where a sendmsg goes: msg_name, or the connected peer. */
static int udp_dest(struct sock *sk, const struct msghdr *msg, u32 *daddr, u16 *dport)
{
	int err;

	if (msg->msg_name) {
		err = ip4_msg_name(msg, daddr, dport);
		if (err)
			return err;
		return *dport ? 0 : -EINVAL;
	}
	if (sk->sk_state != TCP_ESTABLISHED)
		return -EDESTADDRREQ;
	*daddr = sk->sk_daddr;
	*dport = sk->sk_dport;
	return 0;
}

/* Header and checksum in front of the payload at skb->data. SO_NO_CHECK
 * sends a zero checksum; a computed zero goes out as 0xffff (RFC 768). */
static void udp_push_header(struct sock *sk, struct sk_buff *skb, u32 saddr, u32 daddr,
			    u16 dport)
{
	struct udp_repr uh = {
		.source = inet_sk(sk)->inet_sport,
		.dest = dport,
		.len = (u16)(skb->len + UDP_HLEN),
	};
	u8 *p = skb_push(skb, UDP_HLEN);

	udp_emit(&uh, p);
	if (!sk->sk_no_check_tx) {
		uh.check = csum_tcpudp_magic(saddr, daddr, uh.len, IPPROTO_UDP,
					     csum_partial(p, uh.len, 0));
		put_be16(p + 6, uh.check ? uh.check : 0xffff);
	}
	skb->ip_summed = CHECKSUM_NONE;
}

static struct ip_tx_params udp_tx_params(const struct sock *sk)
{
	const struct inet_sock *inet = inet_sk(sk);

	return (struct ip_tx_params){
		.ttl = inet->uc_ttl > 0 ? (u8)inet->uc_ttl : 0,
		.tos = inet->tos,
		.pmtudisc = inet->pmtudisc,
		.priority = sk->sk_priority,
		.mark = sk->sk_mark,
		.oif = sk->sk_bound_dev_if,
	};
}

/* What IP said, as udp_send_skb reports it: a full queue is UdpSndbufErrors
 * and, unless the socket asked for errors (IP_RECVERR), not the caller's
 * problem; NET_XMIT_CN means it went out. */
static int udp_xmit_result(struct sock *sk, int err)
{
	struct net *net = sock_net(sk);

	if (err > 0) {
		err = err == NET_XMIT_CN ? 0 : -ENOBUFS;
		if (err)
			__IP_INC_STATS(net, IPSTATS_MIB_OUTDISCARDS);
	}
	if (!err) {
		__UDP_INC_STATS(net, UDP_MIB_OUTDATAGRAMS);
		return 0;
	}
	if (err == -ENOBUFS) {
		__UDP_INC_STATS(net, UDP_MIB_SNDBUFERRORS);
		if (!inet_sk(sk)->recverr)
			return 0;
	}
	return err;
}

static int udp_autobind(struct sock *sk)
{
	int err;

	if (sk->sk_num)
		return 0;
	err = udp_v4_get_port(sk, 0);
	if (!err)
		inet_sk(sk)->inet_sport = sk->sk_num;
	return err;
}

int udp_sendmsg(struct sock *sk, const struct msghdr *msg, size_t len, int flags)
{
	struct net *net = sock_net(sk);
	struct ip_tx_params p;
	struct rtable *rt;
	struct sk_buff *skb;
	u32 daddr, saddr;
	u16 dport;
	int err;

	if (len > 0xffff)
		return -EMSGSIZE;
	if (flags & MSG_OOB)
		return -EOPNOTSUPP;
	err = udp_dest(sk, msg, &daddr, &dport);
	if (err)
		return err;
	/* Linux's inet_send_prepare binds an unbound socket first. */
	err = udp_autobind(sk);
	if (err)
		return err;
	if (len > UDP_MAX_PAYLOAD)
		return -EMSGSIZE;
	err = ip4_datagram_route(sk, IPPROTO_UDP, daddr, dport, !msg->msg_name, true, &rt,
				 &saddr);
	if (err)
		return err;
	skb = sock_alloc_send_skb(sk, MAX_HEADER + UDP_HLEN + (unsigned int)len,
				  flags & MSG_DONTWAIT, &err);
	if (!skb) {
		if (err == -ENOBUFS || err == -EAGAIN)
			__UDP_INC_STATS(net, UDP_MIB_SNDBUFERRORS);
		ip_rt_put(rt);
		return err;
	}
	skb_reserve(skb, MAX_HEADER + UDP_HLEN);
	if (memcpy_from_msg(skb_put(skb, (unsigned int)len), msg, 0, len) != (ssize_t)len) {
		kfree_skb(skb);
		ip_rt_put(rt);
		return -EFAULT;
	}
	udp_push_header(sk, skb, saddr, daddr, dport);
	p = udp_tx_params(sk);
	err = ip_send_routed(net, sk, skb, rt, saddr, daddr, IPPROTO_UDP, &p);
	err = udp_xmit_result(sk, err);
	return err ? err : (int)len;
}

/* ---- receive calls -------------------------------------------------------------- */

int udp_recvmsg(struct sock *sk, struct msghdr *msg, size_t len, int flags, int *addr_len)
{
	struct sk_buff *skb;
	size_t ulen, copied;
	int err;

	if (flags & MSG_ERRQUEUE)
		return ip_recv_error(sk, msg, len);
	skb = skb_recv_datagram(sk, flags, &err);
	if (!skb)
		return err;
	ulen = skb->len;
	copied = TN_MIN(len, ulen);
	if (copied < ulen)
		msg->msg_flags |= MSG_TRUNC;
	err = skb_copy_datagram_msg(skb, 0, msg, (int)copied);
	if (err) {
		skb_free_datagram(sk, skb);
		return err;
	}
	if (!(flags & MSG_PEEK))
		__UDP_INC_STATS(sock_net(sk), UDP_MIB_INDATAGRAMS);
	if (msg->msg_name) {
		struct ipv4_repr iph;

		ip_hdr_repr(skb, &iph);
		ip4_fill_msg_name(msg, iph.saddr, get_be16(skb_transport_header(skb)), addr_len);
	}
	if (inet_sk(sk)->cmsg_flags)
		ip_cmsg_recv(msg, skb);
	skb_free_datagram(sk, skb);
	return (int)((flags & MSG_TRUNC) ? ulen : copied);
}

/* ---- the rest of udp_prot -------------------------------------------------------- */

int udp_init_sock(struct sock *sk)
{
	udp_sk(sk)->reuseport = NULL;
	udp_sk(sk)->udp_port_hash = 0;
	return 0;
}

static int udp_connect(struct sock *sk, const struct sockaddr *uaddr, int addr_len)
{
	return ip4_datagram_connect_rehash(sk, uaddr, addr_len, udp_lib_rehash);
}

/* connect(AF_UNSPEC) (Linux's __udp_disconnect, which ping sockets share):
 * forget the peer; an address or port that bind() did not fix goes back
 * to unbound. */
int udp_disconnect(struct sock *sk, int flags)
{
	struct inet_sock *inet = inet_sk(sk);

	(void)flags;
	sk->sk_state = TCP_CLOSE;
	sk->sk_daddr = 0;
	sk->sk_dport = 0;
	sk->sk_bound_dev_if = 0;
	if (!(sk->sk_userlocks & SOCK_BINDADDR_LOCK)) {
		inet->inet_saddr = 0;
		sk->sk_rcv_saddr = 0;
		if ((sk->sk_userlocks & SOCK_BINDPORT_LOCK) && sk->sk_prot == &udp_prot)
			udp_lib_rehash(sk);
	}
	if (!(sk->sk_userlocks & SOCK_BINDPORT_LOCK)) {
		sk->sk_prot->unhash(sk);
		inet->inet_sport = 0;
	}
	sk_dst_reset(sk);
	return 0;
}

int udp_ioctl(struct sock *sk, unsigned long cmd, int *karg)
{
	struct sk_buff *skb;

	switch (cmd) {
	case SIOCOUTQ:
		*karg = sk_wmem_alloc_get(sk);
		return 0;
	case SIOCINQ:
		/* The size of the next datagram, not of the whole queue. */
		skb = skb_peek(&sk->sk_receive_queue);
		*karg = skb ? (int)skb->len : 0;
		return 0;
	default:
		return -ENOIOCTLCMD;
	}
}

/* Every datagram is checked on arrival, so what is queued is readable and
 * Linux's udp_poll is datagram_poll here. */
u32 udp_poll(struct sock *sk)
{
	return datagram_poll(sk);
}

/* SOL_UDP options (UDP_CORK, UDP_SEGMENT, encapsulation) are not
 * implemented; SOL_SOCKET is the socket's (Linux's udp_lib_setsockopt),
 * everything else IPPROTO_IP's. */
static int udp_setsockopt(struct sock *sk, int level, int optname, const void *optval,
			  socklen_t optlen)
{
	if (level == SOL_SOCKET)
		return sock_setsockopt(sk, optname, optval, optlen);
	if (level == SOL_UDP)
		return -ENOPROTOOPT;
	return ip_setsockopt(sk, level, optname, optval, optlen);
}

static int udp_getsockopt(struct sock *sk, int level, int optname, void *optval,
			  socklen_t *optlen)
{
	if (level == SOL_SOCKET)
		return sock_getsockopt(sk, optname, optval, optlen);
	if (level == SOL_UDP)
		return -ENOPROTOOPT;
	return ip_getsockopt(sk, level, optname, optval, optlen);
}

/* Datagrams nobody read are drops of the socket's namespace; counting
 * them here, before sk_free purges, keeps them out of another one's. */
static void udp_destroy_sock(struct sock *sk)
{
	sk_drop_queues(sk);
	sk_dst_reset(sk);
}

static void udp_lib_close(struct sock *sk, s64 timeout)
{
	(void)timeout;
	sk_common_release(sk);
}

struct proto udp_prot = {
	.name = "UDP",
	.obj_size = sizeof(struct udp_sock),
	.init = udp_init_sock,
	.destroy = udp_destroy_sock,
	.close = udp_lib_close,
	.connect = udp_connect,
	.disconnect = udp_disconnect,
	.ioctl = udp_ioctl,
	.setsockopt = udp_setsockopt,
	.getsockopt = udp_getsockopt,
	.sendmsg = udp_sendmsg,
	.recvmsg = udp_recvmsg,
	.unhash = udp_lib_unhash,
	.get_port = udp_v4_get_port,
	.poll = udp_poll,
};

/* ---- subsystem -------------------------------------------------------------------- */

static const struct net_protocol udp_protocol = {
	.handler = udp_rcv,
	.err_handler = udp_err,
};

static const struct inet_protosw udp_protosw = {
	.type = SOCK_DGRAM,
	.protocol = IPPROTO_UDP,
	.prot = &udp_prot,
	.ops = &inet_dgram_ops,
	.flags = INET_PROTOSW_PERMANENT,
};

static int udp_init(struct tn_stack *st)
{
	int err = inet_add_protocol(st, &udp_protocol, IPPROTO_UDP);

	if (err)
		return err;
	err = inet_register_protosw(st, &udp_protosw);
	if (err)
		inet_del_protocol(st, &udp_protocol, IPPROTO_UDP);
	return err;
}

static void udp_exit(struct tn_stack *st)
{
	inet_unregister_protosw(st, &udp_protosw);
	inet_del_protocol(st, &udp_protocol, IPPROTO_UDP);
}

static int udp_net_init(struct net *net)
{
	struct udp_table *t = calloc(1, sizeof(*t));

	if (!t)
		return -ENOMEM;
	t->secret = tn_prandom_u32(net->stack);
	net->ipv4.udp_table = t;
	return 0;
}

static void udp_net_exit(struct net *net)
{
	free(net->ipv4.udp_table);
	net->ipv4.udp_table = NULL;
}

const struct tn_subsystem udp_subsys = {
	.name = "udp",
	.init = udp_init,
	.exit = udp_exit,
	.net_init = udp_net_init,
	.net_exit = udp_net_exit,
};
