/*
 * struct sk_buff: one packet, carried from the driver to the socket and back
 * by every layer, in the kernel's shape.
 *
 *   head                data                  head+tail         head+end
 *    |<--- headroom ---->|<------- len -------->|<-- tailroom -->|[shinfo]
 *
 * Layers move `data` to peel (skb_pull) or prepend (skb_push) headers without
 * copying; header positions are kept as offsets from head so that a clone
 * (which shares the buffer) sees the same layout. The data buffer is shared by
 * clones through skb_shared_info.dataref; the sk_buff struct itself can be
 * shared through `users` (skb_get). A writer must own both (skb_cloned() and
 * skb_shared() false) or copy first.
 *
 * Invariants, checked with TN_BUG_ON where they can break:
 *   head <= data <= head + tail <= head + end
 *   len == head + tail - data           (all data is linear; no page frags)
 *   users >= 1, shinfo->dataref >= 1
 * Each stack keeps a cache of sk_buff structs and data buffers so the packet
 * path does not call malloc, and counts live skbs: tests assert the count is
 * back to zero at teardown.
 *
 * Every function here runs under the owning stack's lock.
 */
#ifndef TN_NET_SKBUFF_H
#define TN_NET_SKBUFF_H

#include "net/compiler.h"
#include "net/dropreason.h"

struct tn_stack;
struct net;
struct net_device;
struct sock;
struct dst_entry;

/* Room left in front of received frames for headers pushed later
 * (tunnels, VLAN) and to align the IP header. */
#define NET_SKB_PAD 64
#define NET_IP_ALIGN 2
#define SKB_HDR_UNSET 0xffffffffu

/* skb->pkt_type, as eth_type_trans() classifies a received frame. */
enum {
	PACKET_HOST = 0,
	PACKET_BROADCAST = 1,
	PACKET_MULTICAST = 2,
	PACKET_OTHERHOST = 3,
	PACKET_OUTGOING = 4,
	PACKET_LOOPBACK = 5,
};

/* skb->ip_summed */
enum {
	CHECKSUM_NONE = 0,        /* nobody has verified it */
	CHECKSUM_UNNECESSARY = 1, /* verified (or trusted, e.g. loopback) */
	CHECKSUM_COMPLETE = 2,    /* csum holds the sum of the packet */
	CHECKSUM_PARTIAL = 3,     /* transmit: csum_start/offset still to fill */
};

/*
 * A GSO packet (Linux's generic segmentation offload) is one skb that
 * stands for gso_segs wire segments of gso_size payload bytes each (the
 * last may be shorter), all behind one copy of the headers. It is cut into
 * those segments at the last moment (net/core/gso.c), by the device if it
 * advertises the offload (NETIF_F_TSO) or in software before the driver.
 * Clones share these fields with the buffer, as on Linux: only the owner of
 * an unshared buffer writes them.
 */
struct skb_shared_info {
	int dataref;      /* skbs sharing this buffer */
	u16 gso_size;     /* segment payload size of a large (GSO) packet, 0 if none */
	u16 gso_segs;     /* segments it stands for; 0: not counted yet (DODGY) */
	u32 gso_type;     /* SKB_GSO_* */
};

/* skb_shinfo(skb)->gso_type, Linux's values. */
enum {
	SKB_GSO_TCPV4 = 1 << 0,
	SKB_GSO_DODGY = 1 << 2,     /* from an untrusted source (a TAP): validate first */
	SKB_GSO_TCP_ECN = 1 << 3,   /* the first segment may carry CWR */
};

/* The list links shared by sk_buff and sk_buff_head. Queue helpers write a
 * neighbour's links through this type, because a neighbour may be the head:
 * an access as a whole struct sk_buff would reach past the smaller head (gcc
 * -Warray-bounds at -O2, and an aliasing hazard). Linux does the same. */
struct sk_buff_list {
	struct sk_buff *next, *prev;
};

struct sk_buff {
	union {
		struct {
			struct sk_buff *next, *prev;  /* in an sk_buff_head; NULL when not queued */
		};
		struct sk_buff_list list;
	};
	struct tn_stack *stack;        /* owner: its cache and live count */
	struct net_device *dev;        /* arrived on / leaving by */
	struct sock *sk;               /* owning socket, if charged to one */
	struct dst_entry *dst;         /* routing decision (net/dst.h); released on free */
	void (*destructor)(struct sk_buff *skb);
	u64 tstamp;                    /* stack clock ns when received / sent */

	unsigned char *head;
	unsigned char *data;
	u32 tail, end;                 /* offsets from head */
	u32 len;                       /* bytes from data to tail */
	u32 truesize;                  /* memory charged for this skb (struct + buffer) */
	u32 mac_header;                /* offsets from head, SKB_HDR_UNSET if not set */
	u32 network_header;
	u32 transport_header;
	u16 protocol;                  /* EtherType in host order (ETH_P_IP, ...) */
	u16 mac_len;
	u16 csum_start, csum_offset;   /* CHECKSUM_PARTIAL: from head / from csum_start */
	u32 csum;
	u8 pkt_type;
	u8 ip_summed;
	u8 cloned;                     /* this skb's buffer is (or was) shared */
	u8 size_class;                 /* data buffer's cache class */
	int users;                     /* references to this struct */
	int skb_iif;                   /* ifindex it arrived on */
	u32 priority;                  /* TC_PRIO_*, selects a pfifo_fast band */
	u32 mark;
	u32 hash;
	/* Per-layer scratch space, owned by whoever holds the skb now
	 * (IPCB, TCP_SKB_CB, NAPI_GRO_CB, a qdisc's time_to_send, ...). */
	_Alignas(8) char cb[48];
};

struct sk_buff_head {
	union {   /* must stay first: the head acts as a list node */
		struct {
			struct sk_buff *next, *prev;
		};
		struct sk_buff_list list;
	};
	u32 qlen;
};

/* The per-stack cache of structs and data buffers. */
#define SKB_CACHE_CLASSES 7
struct skb_cache {
	struct sk_buff *free_skbs;      /* singly linked through ->next */
	u32 nfree_skbs;
	void *free_data[SKB_CACHE_CLASSES];  /* singly linked through first word */
	u32 nfree_data[SKB_CACHE_CLASSES];
	u64 live;                       /* skbs allocated and not yet freed */
	u64 allocs, frees, alloc_fails, cache_hits;
};

static inline struct skb_shared_info *skb_shinfo(const struct sk_buff *skb)
{
	return (struct skb_shared_info *)(skb->head + skb->end);
}

static inline bool skb_is_gso(const struct sk_buff *skb)
{
	return skb_shinfo(skb)->gso_size != 0;
}
/* Forget that skb stands for several segments (the owner of its buffer only). */
static inline void skb_gso_reset(struct sk_buff *skb)
{
	skb_shinfo(skb)->gso_size = 0;
	skb_shinfo(skb)->gso_segs = 0;
	skb_shinfo(skb)->gso_type = 0;
}

void skb_cache_init(struct skb_cache *c);
void skb_cache_destroy(struct skb_cache *c);  /* frees the cached memory; live must be 0 */

/* A buffer with room for at least `size` bytes, data == head, len 0.
 * NULL on allocation failure (counted in the cache's alloc_fails). */
struct sk_buff *alloc_skb(struct tn_stack *st, unsigned int size);
/* For a driver: size bytes of frame plus NET_SKB_PAD headroom, skb->dev set. */
struct sk_buff *netdev_alloc_skb(struct net_device *dev, unsigned int size);

/* Drop: counted under `reason` in the namespace of skb->dev (else the stack's
 * initial namespace). kfree_skb() drops with NOT_SPECIFIED. consume_skb()
 * frees a packet that was used, not dropped. All accept NULL. */
void kfree_skb_reason(struct sk_buff *skb, enum skb_drop_reason reason);
void kfree_skb(struct sk_buff *skb);
void consume_skb(struct sk_buff *skb);
/* Count a drop reason in a namespace without an skb to free. */
void tn_count_drop(struct net *net, enum skb_drop_reason reason);

struct sk_buff *skb_clone(struct sk_buff *skb);      /* shares data; NULL on failure */
struct sk_buff *skb_copy(const struct sk_buff *skb); /* private copy; NULL on failure */
/* Make the data private (copy if cloned) before writing into it; on failure
 * frees nothing and returns -ENOMEM. */
int skb_unclone(struct sk_buff *skb);
/* Ensure headroom of at least `headroom` bytes and a private header; may
 * reallocate the buffer. 0 or -ENOMEM. */
int skb_cow_head(struct sk_buff *skb, unsigned int headroom);
/* Move the data to a new private buffer with nhead more bytes of headroom
 * and ntail more of tailroom (offsets follow the bytes); the skb must not be
 * shared. 0 or -ENOMEM, and nothing changes on failure. */
int pskb_expand_head(struct sk_buff *skb, unsigned int nhead, unsigned int ntail);

static inline struct sk_buff *skb_get(struct sk_buff *skb)
{
	skb->users++;
	return skb;
}
static inline bool skb_shared(const struct sk_buff *skb) { return skb->users != 1; }
static inline bool skb_cloned(const struct sk_buff *skb)
{
	return skb->cloned && skb_shinfo(skb)->dataref != 1;
}

static inline unsigned char *skb_tail_pointer(const struct sk_buff *skb)
{
	return skb->head + skb->tail;
}
static inline unsigned int skb_headroom(const struct sk_buff *skb)
{
	return (unsigned int)(skb->data - skb->head);
}
static inline unsigned int skb_tailroom(const struct sk_buff *skb)
{
	return skb->end - skb->tail;
}
static inline unsigned int skb_headlen(const struct sk_buff *skb) { return skb->len; }

/* Move data and tail forward to leave len bytes of headroom (empty skb only). */
void skb_reserve(struct sk_buff *skb, unsigned int len);
/* Extend the data area at the tail; returns the first new byte. */
void *skb_put(struct sk_buff *skb, unsigned int len);
void *skb_put_data(struct sk_buff *skb, const void *data, unsigned int len);
void *skb_put_zero(struct sk_buff *skb, unsigned int len);
/* Prepend len bytes; returns the new data pointer. */
void *skb_push(struct sk_buff *skb, unsigned int len);
/* Remove len bytes from the front; returns the new data pointer, or NULL
 * (and changes nothing) if fewer than len bytes are there. */
void *skb_pull(struct sk_buff *skb, unsigned int len);
/* Cut the data to len bytes (no-op if already shorter). */
void skb_trim(struct sk_buff *skb, unsigned int len);
/* True if at least len bytes of data are there to read (all data is linear). */
static inline bool pskb_may_pull(const struct sk_buff *skb, unsigned int len)
{
	return skb->len >= len;
}

/* Header offsets. */
static inline void skb_reset_mac_header(struct sk_buff *skb)
{
	skb->mac_header = (u32)(skb->data - skb->head);
}
static inline void skb_reset_network_header(struct sk_buff *skb)
{
	skb->network_header = (u32)(skb->data - skb->head);
}
static inline void skb_reset_transport_header(struct sk_buff *skb)
{
	skb->transport_header = (u32)(skb->data - skb->head);
}
static inline void skb_set_network_header(struct sk_buff *skb, int off)
{
	skb->network_header = (u32)(skb->data - skb->head + off);
}
static inline void skb_set_transport_header(struct sk_buff *skb, int off)
{
	skb->transport_header = (u32)(skb->data - skb->head + off);
}
static inline bool skb_mac_header_was_set(const struct sk_buff *skb)
{
	return skb->mac_header != SKB_HDR_UNSET;
}
static inline unsigned char *skb_mac_header(const struct sk_buff *skb)
{
	return skb->head + skb->mac_header;
}
static inline unsigned char *skb_network_header(const struct sk_buff *skb)
{
	return skb->head + skb->network_header;
}
static inline unsigned char *skb_transport_header(const struct sk_buff *skb)
{
	return skb->head + skb->transport_header;
}
static inline int skb_network_offset(const struct sk_buff *skb)
{
	return (int)(skb_network_header(skb) - skb->data);
}
static inline int skb_transport_offset(const struct sk_buff *skb)
{
	return (int)(skb_transport_header(skb) - skb->data);
}

/* Queues. The double-underscore forms are the only forms: the stack lock
 * already serialises every queue. */
static inline void skb_queue_head_init(struct sk_buff_head *q)
{
	q->next = q->prev = (struct sk_buff *)q;
	q->qlen = 0;
}
static inline u32 skb_queue_len(const struct sk_buff_head *q) { return q->qlen; }
static inline bool skb_queue_empty(const struct sk_buff_head *q)
{
	return q->next == (const struct sk_buff *)q;
}
static inline struct sk_buff *skb_peek(const struct sk_buff_head *q)
{
	return skb_queue_empty(q) ? NULL : q->next;
}
static inline struct sk_buff *skb_peek_tail(const struct sk_buff_head *q)
{
	return skb_queue_empty(q) ? NULL : q->prev;
}
static inline void __skb_insert(struct sk_buff *n, struct sk_buff *prev,
				struct sk_buff *next, struct sk_buff_head *q)
{
	n->next = next;
	n->prev = prev;
	((struct sk_buff_list *)next)->prev = n;
	((struct sk_buff_list *)prev)->next = n;
	q->qlen++;
}
static inline void __skb_queue_tail(struct sk_buff_head *q, struct sk_buff *n)
{
	__skb_insert(n, q->prev, (struct sk_buff *)q, q);
}
static inline void __skb_queue_head(struct sk_buff_head *q, struct sk_buff *n)
{
	__skb_insert(n, (struct sk_buff *)q, q->next, q);
}
static inline void __skb_unlink(struct sk_buff *skb, struct sk_buff_head *q)
{
	q->qlen--;
	((struct sk_buff_list *)skb->next)->prev = skb->prev;
	((struct sk_buff_list *)skb->prev)->next = skb->next;
	skb->next = skb->prev = NULL;
}
static inline struct sk_buff *__skb_dequeue(struct sk_buff_head *q)
{
	struct sk_buff *skb = skb_peek(q);
	if (skb)
		__skb_unlink(skb, q);
	return skb;
}
static inline struct sk_buff *__skb_dequeue_tail(struct sk_buff_head *q)
{
	struct sk_buff *skb = skb_peek_tail(q);
	if (skb)
		__skb_unlink(skb, q);
	return skb;
}
/* Drop every queued skb under `reason` (consume when SKB_CONSUMED). */
void skb_queue_purge_reason(struct sk_buff_head *q, enum skb_drop_reason reason);
static inline void skb_queue_purge(struct sk_buff_head *q)
{
	skb_queue_purge_reason(q, SKB_DROP_REASON_NOT_SPECIFIED);
}
#define skb_queue_walk(q, skb) \
	for (skb = (q)->next; skb != (struct sk_buff *)(q); skb = skb->next)
#define skb_queue_walk_safe(q, skb, tmp)                                    \
	for (skb = (q)->next, tmp = skb->next; skb != (struct sk_buff *)(q); \
	     skb = tmp, tmp = skb->next)

#endif
