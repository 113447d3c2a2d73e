/*
 * Why a packet was dropped. Every kfree_skb_reason() call names one of these,
 * and the namespace counts it (net->core.drops[]), so that no drop is silent.
 * The names are Linux's enum skb_drop_reason, as `perf trace -e skb:kfree_skb`
 * and dropwatch print them; reasons Linux lacks are marked TN_ in the list.
 */
#ifndef TN_NET_DROPREASON_H
#define TN_NET_DROPREASON_H

#define DEFINE_DROP_REASON(FN)        \
	FN(NOT_SPECIFIED)             \
	FN(NO_SOCKET)                 \
	FN(PKT_TOO_SMALL)             \
	FN(TCP_CSUM)                  \
	FN(UDP_CSUM)                  \
	FN(ICMP_CSUM)                 \
	FN(NETFILTER_DROP)            \
	FN(OTHERHOST)                 \
	FN(IP_CSUM)                   \
	FN(IP_INHDR)                  \
	FN(IP_RPFILTER)               \
	FN(UNICAST_IN_L2_MULTICAST)   \
	FN(IP_NOPROTO)                \
	FN(SOCKET_RCVBUFF)            \
	FN(PROTO_MEM)                 \
	FN(SOCKET_BACKLOG)            \
	FN(IP_OUTNOROUTES)            \
	FN(NEIGH_CREATEFAIL)          \
	FN(NEIGH_FAILED)              \
	FN(NEIGH_QUEUEFULL)           \
	FN(NEIGH_DEAD)                \
	FN(QDISC_DROP)                \
	FN(CPU_BACKLOG)               \
	FN(UNHANDLED_PROTO)           \
	FN(DEV_HDR)                   \
	FN(DEV_READY)                 \
	FN(FULL_RING)                 \
	FN(NOMEM)                     \
	FN(HDR_TRUNC)                 \
	FN(INVALID_PROTO)             \
	FN(IP_INADDRERRORS)           \
	FN(IP_INNOROUTES)             \
	FN(PKT_TOO_BIG)               \
	FN(DUP_FRAG)                  \
	FN(FRAG_REASM_TIMEOUT)        \
	FN(FRAG_TOO_FAR)              \
	FN(SKB_CSUM)                  \
	FN(SKB_GSO_SEG)               \
	FN(TN_FRAG_INVALID)           \
	FN(TN_ARP_MALFORMED)          \
	FN(TN_ARP_UNSUPPORTED)        \
	FN(TN_LINK_DOWN)              \
	FN(TN_IP_SOURCE_ROUTE)        \
	FN(TN_STACK_TEARDOWN)         \
	/* TCP segment arrival (tcp_input.c) */ \
	FN(TCP_FLAGS)                 \
	FN(TCP_OLD_DATA)              \
	FN(TCP_OVERWINDOW)            \
	FN(TCP_OFOMERGE)              \
	FN(TCP_RFC7323_PAWS)          \
	FN(TCP_OLD_SEQUENCE)          \
	FN(TCP_INVALID_SEQUENCE)      \
	FN(TCP_INVALID_ACK_SEQUENCE)  \
	FN(TCP_RESET)                 \
	FN(TCP_INVALID_SYN)           \
	FN(TCP_CLOSE)                 \
	FN(TCP_OLD_ACK)               \
	FN(TCP_TOO_OLD_ACK)           \
	FN(TCP_ACK_UNSENT_DATA)       \
	FN(TCP_OFO_QUEUE_PRUNE)       \
	FN(TCP_OFO_DROP)              \
	FN(TCP_ZEROWINDOW)            \
	FN(TCP_CONNREQNOTACCEPTABLE)  \
	FN(TCP_ABORT_ON_DATA)         \
	/* connection management (tcp_ipv4.c, tcp_minisocks.c) */ \
	FN(TCP_LISTEN_OVERFLOW)

enum skb_drop_reason {
	SKB_NOT_DROPPED_YET = 0,
	SKB_CONSUMED,
#define FN(reason) SKB_DROP_REASON_##reason,
	DEFINE_DROP_REASON(FN)
#undef FN
	SKB_DROP_REASON_MAX,
};

/* "NOT_SPECIFIED", ... for a reason; "" for the two non-drop values. */
const char *skb_drop_reason_name(enum skb_drop_reason r);

#endif
