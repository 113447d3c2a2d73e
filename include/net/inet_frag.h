/*
 * IPv4 reassembly state (Linux's inet_frag_queue, struct ipq and the
 * per-namespace fqdir of net/ipv4/inet_fragment.c and ip_fragment.c). Each
 * namespace has one ipq_base (net->ipv4.frags): a hash of reassembly queues
 * keyed by (saddr, daddr, id, protocol), the queues in least recently used
 * order for the memory evictor, the memory they hold, and per-source
 * counters for the ipfrag_max_dist disorder check. The tunables are the
 * net.ipv4.ipfrag_* sysctls in struct netns_ipv4.
 *
 * This header is for ip_fragment.c and its tests; the rest of the stack
 * only calls ip_defrag() and ip_do_fragment() (net/ip.h).
 */
#ifndef TN_NET_INET_FRAG_H
#define TN_NET_INET_FRAG_H

#include "net/compiler.h"
#include "net/skbuff.h"
#include "net/ip.h"
#include "net/timer.h"
#include "lib/list.h"

struct net;

#define IPQ_HASHSZ 64          /* queues; Linux's pre-rhashtable size */
#define IPFRAG_PEER_HASHSZ 64  /* sources with a queue open */

/* Linux's defaults for net.ipv4.ipfrag_* (time in jiffies). */
#define IPFRAG_HIGH_THRESH_DEFAULT (4 * 1024 * 1024)
#define IPFRAG_LOW_THRESH_DEFAULT (3 * 1024 * 1024)
#define IPFRAG_TIME_DEFAULT (30 * HZ)
#define IPFRAG_MAX_DIST_DEFAULT 64

/* ipq.flags, Linux's INET_FRAG_* */
#define INET_FRAG_FIRST_IN 0x01   /* the fragment at offset 0 is queued */
#define INET_FRAG_LAST_IN 0x02    /* the fragment without MF is queued: len is final */
#define INET_FRAG_COMPLETE 0x04   /* reassembled or killed: no longer hashed */

/*
 * Where a queued fragment sits in its datagram, kept in skb->cb behind the
 * fragment's IPCB (as Linux's FRAG_CB), so that the datagram can be handed
 * on with the first fragment's IPCB (its parsed options) intact. The skb
 * itself still starts at its own IP header; its payload has been trimmed to
 * end - offset bytes.
 */
struct ipfrag_skb_cb {
	struct inet_skb_parm h4;
	int offset;   /* payload offset in the datagram, bytes */
	int end;      /* offset + payload length */
	int ihl;      /* this fragment's header length */
};
_Static_assert(sizeof(struct ipfrag_skb_cb) <= sizeof(((struct sk_buff *)0)->cb),
	       "FRAG_CB fits in skb->cb");

static inline struct ipfrag_skb_cb *FRAG_CB(const struct sk_buff *skb)
{
	return (struct ipfrag_skb_cb *)skb->cb;
}

/*
 * A source with at least one queue open: `rid` counts the fragments that
 * source sent us, so that a queue can tell how many of its peer's fragments
 * went by since its own last one (ipfrag_max_dist). Linux keeps this in the
 * long-lived inet_peer; here it lives exactly as long as the source's
 * queues, which is all the check needs.
 */
struct ipfrag_peer {
	struct hlist_node node;   /* in ipq_base.peers[] */
	u32 saddr;
	u32 rid;                  /* fragments received from saddr */
	int refcnt;               /* queues from saddr */
};

/* One datagram being reassembled. */
struct ipq {
	struct hlist_node node;        /* in ipq_base.hash[], while not COMPLETE */
	struct list_head lru;          /* ipq_base.lru_list, least recently used first */
	struct timer_list timer;       /* ipfrag_time after the first fragment */
	struct ipq_base *base;
	struct ipfrag_peer *peer;      /* NULL when max_dist is 0 */
	u32 saddr, daddr;              /* the key, host order */
	u16 id;
	u8 protocol;
	u8 flags;                      /* INET_FRAG_* */
	u8 ecn;                        /* IPFRAG_ECN_* bits of every fragment */
	u32 rid;                       /* peer->rid at this queue's last fragment */
	int len;                       /* datagram payload length: final once LAST_IN,
					* else the largest end seen */
	int meat;                      /* payload bytes queued */
	u32 mem;                       /* truesize of the queued skbs */
	u16 max_size;                  /* largest fragment (header included) */
	u16 max_df_size;               /* largest fragment that had DF set */
	struct sk_buff_head fragments; /* sorted by offset, never overlapping */
};

/* Per-namespace reassembly state: net->ipv4.frags. */
struct ipq_base {
	struct net *net;
	struct hlist_head hash[IPQ_HASHSZ];
	struct hlist_head peers[IPFRAG_PEER_HASHSZ];
	struct list_head lru_list;
	u64 mem;                 /* truesize of every queued fragment */
	unsigned int nqueues;
};

/* Queues a namespace has open, and the memory they hold (tools, tests). */
unsigned int ip_frag_nqueues(const struct net *net);
u64 ip_frag_mem(const struct net *net);

#endif
