/*
 * struct sock: the network-layer half of a socket (Linux's include/net/sock.h),
 * and struct proto, the table a transport fills (tcp_prot, udp_prot, ping_prot).
 *
 * struct sock_common is the part lookup tables hash on and that compact
 * objects (TIME_WAIT and request socks) share; struct sock adds queues,
 * buffers, error state, options and the callbacks the protocol uses to tell
 * the socket layer that something happened (sk_data_ready wakes readers and
 * epoll, sk_write_space wakes writers, sk_state_change, sk_error_report).
 *
 * Memory accounting: skbs charged to a socket (skb_set_owner_r/w) count their
 * truesize in sk_rmem_alloc / sk_wmem_alloc against sk_rcvbuf / sk_sndbuf.
 * An idle socket owns no buffers: its queues are empty skb lists.
 *
 * Everything here runs under the stack lock.
 */
#ifndef TN_NET_SOCK_H
#define TN_NET_SOCK_H

#include <sys/socket.h>
#include <sys/uio.h>
#include "net/compiler.h"
#include "net/skbuff.h"
#include "net/wait.h"
#include "net/timer.h"
#include "lib/list.h"
#include "lib/slab.h"

struct net;
struct proto;
struct socket;
struct dst_entry;
struct msghdr;

struct sock_common {
	u32 skc_daddr;               /* host order; 0 when unconnected */
	u32 skc_rcv_saddr;           /* bound local address, 0: any */
	u16 skc_dport;               /* host order */
	u16 skc_num;                 /* local port, host order */
	u16 skc_family;
	u8 skc_state;                /* TCP_* states (also TCP_CLOSE / TCP_ESTABLISHED for UDP) */
	u8 skc_reuse : 4;            /* SO_REUSEADDR */
	u8 skc_reuseport : 1;        /* SO_REUSEPORT */
	u8 skc_ipv6only : 1;
	int skc_bound_dev_if;        /* SO_BINDTODEVICE ifindex */
	struct hlist_node skc_node;  /* main lookup hash */
	struct hlist_node skc_bind_node; /* port (bind) hash */
	struct net *skc_net;
	int skc_refcnt;
	u32 skc_hash;
};

/* sk_flags bits, Linux's enum sock_flags (subset). */
enum sock_flags {
	SOCK_DEAD,
	SOCK_DONE,
	SOCK_URGINLINE,
	SOCK_KEEPOPEN,
	SOCK_LINGER,
	SOCK_DESTROY,
	SOCK_BROADCAST,
	SOCK_TIMESTAMP,
	SOCK_ZAPPED,
	SOCK_USE_WRITE_QUEUE,
	SOCK_RCVTSTAMP,
	SOCK_RCVTSTAMPNS,
	SOCK_LOCALROUTE,
	SOCK_NOFCS,
	SOCK_RXQ_OVFL,
	SOCK_ZEROCOPY,
	SOCK_SELECT_ERR_QUEUE,
	SOCK_DBG,
};

/* sk_shutdown bits */
#define RCV_SHUTDOWN 1
#define SEND_SHUTDOWN 2
#define SHUTDOWN_MASK 3

struct sock {
	struct sock_common __sk_common;
#define sk_daddr __sk_common.skc_daddr
#define sk_rcv_saddr __sk_common.skc_rcv_saddr
#define sk_dport __sk_common.skc_dport
#define sk_num __sk_common.skc_num
#define sk_family __sk_common.skc_family
#define sk_state __sk_common.skc_state
#define sk_reuse __sk_common.skc_reuse
#define sk_reuseport __sk_common.skc_reuseport
#define sk_bound_dev_if __sk_common.skc_bound_dev_if
#define sk_node __sk_common.skc_node
#define sk_bind_node __sk_common.skc_bind_node
#define sk_net __sk_common.skc_net
#define sk_refcnt __sk_common.skc_refcnt
#define sk_hash __sk_common.skc_hash
	u8 sk_shutdown;
	u8 sk_type;                  /* SOCK_STREAM, SOCK_DGRAM, SOCK_RAW */
	u8 sk_protocol;
	u8 sk_userlocks;             /* SOCK_SNDBUF_LOCK, SOCK_RCVBUF_LOCK, SOCK_BINDPORT_LOCK... */
	u8 sk_no_check_tx : 1;       /* SO_NO_CHECK: UDP sends without checksum */
	int sk_err;                  /* pending error (SO_ERROR), positive errno */
	int sk_err_soft;
	unsigned long sk_flags;
	int sk_rcvbuf, sk_sndbuf;
	/* sk_wmem_alloc starts at 1, Linux's trick: the socket's own
	 * reference, so an skb still in a qdisc after close keeps the sock
	 * alive and its sock_wfree frees it (sk_wmem_alloc_get hides the 1). */
	int sk_rmem_alloc, sk_wmem_alloc, sk_wmem_queued;
	u32 sk_drops;                /* datagrams dropped at the receive queue */
	int sk_forward_alloc;
	u32 sk_priority;
	u32 sk_mark;
	int sk_rcvlowat;
	s64 sk_rcvtimeo, sk_sndtimeo;  /* ns; -1: forever (MAX_SCHEDULE_TIMEOUT) */
	s64 sk_lingertime;             /* ns */
	u32 sk_ack_backlog, sk_max_ack_backlog;
	int sk_peek_off;
	struct sk_buff_head sk_receive_queue;
	struct sk_buff_head sk_write_queue;
	struct sk_buff_head sk_error_queue;   /* IP_RECVERR */
	struct dst_entry *sk_dst_cache;
	struct proto *sk_prot;
	struct socket *sk_socket;
	struct wait_queue_head *sk_wq;        /* the socket's, or NULL once orphaned */
	void (*sk_state_change)(struct sock *sk);
	void (*sk_data_ready)(struct sock *sk);
	void (*sk_write_space)(struct sock *sk);
	void (*sk_error_report)(struct sock *sk);
	int (*sk_backlog_rcv)(struct sock *sk, struct sk_buff *skb);
	void (*sk_destruct)(struct sock *sk);
};

/* Linux's buffer limits: the minimums are two (send) and one (receive)
 * minimal TCP skb truesize, 2048 + a 256-byte sk_buff; the defaults and
 * maximums are 256 packets of 832 bytes' truesize, as on 64-bit Linux. */
#define SOCK_MIN_SNDBUF 4608
#define SOCK_MIN_RCVBUF 2304
#define SK_WMEM_MAX 212992
#define SK_RMEM_MAX 212992

#define SOCK_SNDBUF_LOCK 1
#define SOCK_RCVBUF_LOCK 2
#define SOCK_BINDADDR_LOCK 4
#define SOCK_BINDPORT_LOCK 8

static inline bool sock_flag(const struct sock *sk, enum sock_flags f)
{
	return sk->sk_flags & (1ul << f);
}
static inline void sock_set_flag(struct sock *sk, enum sock_flags f) { sk->sk_flags |= 1ul << f; }
static inline void sock_reset_flag(struct sock *sk, enum sock_flags f) { sk->sk_flags &= ~(1ul << f); }
static inline struct net *sock_net(const struct sock *sk) { return sk->sk_net; }

/* Transport operations (Linux's struct proto). Calls take the socket with
 * the stack lock held and return 0 / a byte count or -errno. */
struct proto {
	const char *name;
	size_t obj_size;                   /* tcp_sock, udp_sock, ... */
	int (*init)(struct sock *sk);
	void (*destroy)(struct sock *sk);
	void (*close)(struct sock *sk, s64 timeout);
	int (*connect)(struct sock *sk, const struct sockaddr *uaddr, int addr_len);
	int (*disconnect)(struct sock *sk, int flags);
	struct sock *(*accept)(struct sock *sk, int flags, int *err);
	int (*ioctl)(struct sock *sk, unsigned long cmd, int *karg);
	void (*shutdown)(struct sock *sk, int how);
	int (*setsockopt)(struct sock *sk, int level, int optname, const void *optval,
			  socklen_t optlen);
	int (*getsockopt)(struct sock *sk, int level, int optname, void *optval,
			  socklen_t *optlen);
	int (*sendmsg)(struct sock *sk, const struct msghdr *msg, size_t len, int flags);
	int (*recvmsg)(struct sock *sk, struct msghdr *msg, size_t len, int flags,
		       int *addr_len);
	int (*bind)(struct sock *sk, const struct sockaddr *uaddr, int addr_len);
	int (*backlog_rcv)(struct sock *sk, struct sk_buff *skb);
	int (*hash)(struct sock *sk);
	void (*unhash)(struct sock *sk);
	int (*get_port)(struct sock *sk, unsigned short snum);
	/* Poll mask for this socket (tcp_poll, udp_poll...); NULL: datagram_poll. */
	u32 (*poll)(struct sock *sk);
	/* ICMP error for a packet this protocol sent (from the protocol table). */
	void (*err)(struct sock *sk, int err);
	/* SO_KEEPALIVE (TCP arms its keepalive timer); NULL: flag only. */
	void (*keepalive)(struct sock *sk, int valbool);
	/* The bound device changed (SO_BINDTODEVICE): rehash if the lookup
	 * keys on it. */
	void (*rehash)(struct sock *sk);
	bool no_autobind;                  /* TCP: send does not bind a port */
	u64 sockets_allocated;
	u64 memory_allocated;              /* pages, as tcp_mem/udp_mem count */
};

/* The per-stack object caches (lib/slab.h) of everything a connection is
 * made of: one cache per sock object size (the few transports each have
 * one), request and timewait socks, and the socket with its file. */
#define SK_CACHE_CLASSES 8
struct sock_cache {
	struct kmem_cache cls[SK_CACHE_CLASSES];  /* size 0: class unused */
	struct kmem_cache reqsk;                   /* struct request_sock */
	struct kmem_cache twsk;                    /* struct inet_timewait_sock */
	struct kmem_cache socket;                  /* struct socket_alloc (socket.h) */
	u64 allocs, frees, alloc_fails;            /* sk_alloc / __sk_free */
};
int sk_cache_init(struct tn_stack *st);
void sk_cache_destroy(struct tn_stack *st);

/* Allocation: per-stack cache, fault site TN_FAULT_SOCK; NULL on failure. */
struct sock *sk_alloc(struct net *net, int family, struct proto *prot);
void sk_free(struct sock *sk);
static inline void sock_hold(struct sock *sk) { sk->sk_refcnt++; }
void sock_put(struct sock *sk);
void sock_init_data(struct socket *sock, struct sock *sk);
/* Mark dead, detach from its socket and wait queue (it lives on as an orphan
 * while the protocol needs it). */
void sock_orphan(struct sock *sk);
/* Drop (and count in sk's namespace) whatever its receive and error queues
 * hold: the destroy step of datagram protocols. */
void sk_drop_queues(struct sock *sk);
/* The usual close of a socket without connection state (Linux's
 * sk_common_release): destroy, unhash, orphan, drop the reference. */
void sk_common_release(struct sock *sk);

/* Generic SOL_SOCKET options with Linux's semantics (SO_RCVBUF doubles the
 * value and clamps to net.core.rmem_max, ...). */
int sock_setsockopt(struct sock *sk, int optname, const void *optval, socklen_t optlen);
int sock_getsockopt(struct sock *sk, int optname, void *optval, socklen_t *optlen);

static inline int sk_wmem_alloc_get(const struct sock *sk) { return sk->sk_wmem_alloc - 1; }
static inline int sk_rmem_alloc_get(const struct sock *sk) { return sk->sk_rmem_alloc; }
/* Room to queue another skb for sending (Linux's sock_writeable). */
static inline bool sock_writeable(const struct sock *sk)
{
	return sk->sk_wmem_alloc - 1 < (sk->sk_sndbuf >> 1);
}
void sk_dst_reset(struct sock *sk);
/* Detach an skb from its owner (run and clear its destructor). */
void skb_orphan(struct sk_buff *skb);
void sock_rfree(struct sk_buff *skb);
void sock_wfree(struct sk_buff *skb);
/* An skb for sending, charged to sk (Linux's sock_alloc_send_skb): waits
 * for send buffer space unless noblock; NULL with *err = -EAGAIN, -EPIPE
 * (shut down), the pending socket error, or -ENOBUFS. */
struct sk_buff *sock_alloc_send_skb(struct sock *sk, unsigned int size, bool noblock, int *err);

/* Receive-side charging: skb->sk, destructor uncharges. -ENOMEM over
 * sk_rcvbuf (the caller drops and counts). */
int sock_queue_rcv_skb(struct sock *sk, struct sk_buff *skb);
void skb_set_owner_r(struct sk_buff *skb, struct sock *sk);
void skb_set_owner_w(struct sk_buff *skb, struct sock *sk);
/* Queue an error (IP_RECVERR) and report it. */
int sock_queue_err_skb(struct sock *sk, struct sk_buff *skb);

/* SIGIO for the socket's owner, if it asked (O_ASYNC + F_SETOWN). */
void sk_wake_async(const struct sock *sk, int how, int band);

/* The default callbacks: wake the socket's wait queue with a poll mask,
 * and raise SIGIO (sk_wake_async) for signal-driven I/O. */
void sock_def_wakeup(struct sock *sk);
void sock_def_readable(struct sock *sk);
void sock_def_write_space(struct sock *sk);
void sock_def_error_report(struct sock *sk);

/* Block until cond(sk) is true, an error or shutdown is pending, the
 * timeout (ns, -1 forever; updated to what is left) runs out, or the socket
 * is closed from another thread. 0 when cond became true or an error or
 * shutdown is there to look at (the caller checks), else -EAGAIN (timeout 0
 * or expired), -EBADF (descriptor closed by another thread), -EINTR (stack
 * destroyed). exclusive: one waiter per wake-up (receivers, accept). */
int sk_wait_event(struct sock *sk, s64 *timeo, bool (*cond)(struct sock *sk), bool exclusive);
static inline s64 sock_rcvtimeo(const struct sock *sk, bool noblock)
{
	return noblock ? 0 : sk->sk_rcvtimeo;
}
static inline s64 sock_sndtimeo(const struct sock *sk, bool noblock)
{
	return noblock ? 0 : sk->sk_sndtimeo;
}
/* Pending error, cleared (sock_error). */
int sock_error(struct sock *sk);

/* Ancillary data out (Linux's put_cmsg): appends to msg->msg_control and
 * advances it (the socket layer restores it and sets msg_controllen to what
 * was used); MSG_CTRUNC when it does not fit. */
int put_cmsg(struct msghdr *msg, int level, int type, int len, const void *data);

/* Generic datagram helpers (net/core/datagram.c). */
/* Next datagram (a reference: free with skb_free_datagram / consume_skb),
 * or NULL with *err = 0 (receive side shut down: EOF), -EAGAIN, the
 * pending socket error, -EBADF, -EINTR. MSG_PEEK leaves it queued,
 * MSG_DONTWAIT does not wait. */
struct sk_buff *skb_recv_datagram(struct sock *sk, int flags, int *err);
void skb_free_datagram(struct sock *sk, struct sk_buff *skb);
/* Copy len bytes of skb data from offset into msg's iovecs (from their
 * start); 0 or -EFAULT. */
int skb_copy_datagram_msg(const struct sk_buff *skb, int offset, struct msghdr *msg, int len);
/* Scatter/gather copies at byte position pos of an iovec array; return the
 * bytes copied (less than len when the iovecs end, or -EFAULT on a NULL
 * base with a non-zero length). */
ssize_t memcpy_to_iovec(const struct iovec *iov, size_t iovcnt, size_t pos, const void *src,
			size_t len);
ssize_t memcpy_from_iovec(void *dst, const struct iovec *iov, size_t iovcnt, size_t pos,
			  size_t len);
static inline ssize_t memcpy_from_msg(void *dst, const struct msghdr *msg, size_t pos, size_t len)
{
	return memcpy_from_iovec(dst, msg->msg_iov, msg->msg_iovlen, pos, len);
}
size_t iov_length(const struct iovec *iov, size_t iovcnt);
u32 datagram_poll(struct sock *sk);

#endif
