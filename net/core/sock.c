/*
 * struct sock, generically (Linux's net/core/sock.c): allocation from the
 * stack's cache, the defaults a new socket starts with, the SOL_SOCKET
 * options with Linux's exact semantics and errors, buffer accounting
 * (skb_set_owner_r/w), the default callbacks that wake a socket's waiters,
 * and sk_wait_event, the one place a socket call goes to sleep.
 *
 * What a transport does with its socket (ports, states, queues of its own)
 * is not here; neither is the descriptor side (net/socket.c).
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "net/sock.h"
#include "net/tcp_states.h"
#include "net/socket.h"
#include "net/dst.h"
#include "net/net_namespace.h"
#include "net/netdevice.h"
#include "net/stack.h"

/* Linux's HZ as this stack counts it: timeouts are kept in whole jiffies. */
#define SOCK_HZ (NSEC_PER_SEC / (s64)TN_NSEC_PER_JIFFY)
#define USEC_PER_SEC 1000000ll
#define NSEC_PER_SEC 1000000000ll

/* ---- the per-stack cache ----------------------------------------------- */

int sk_cache_init(struct tn_stack *st)
{
	struct sock_cache *c = calloc(1, sizeof(*c));

	if (!c)
		return -ENOMEM;
	/* reqsk and twsk are set up by their users (inet_connection_sock.c,
	 * tcp_minisocks.c) on first use. */
	kmem_cache_init(&c->socket, "sock_inode_cache", sizeof(struct socket_alloc));
	st->sk_cache = c;
	return 0;
}

void sk_cache_destroy(struct tn_stack *st)
{
	struct sock_cache *c = st->sk_cache;

	if (!c)
		return;
	for (unsigned int i = 0; i < SK_CACHE_CLASSES; i++)
		kmem_cache_destroy(&c->cls[i]);
	kmem_cache_destroy(&c->reqsk);
	kmem_cache_destroy(&c->twsk);
	kmem_cache_destroy(&c->socket);
	free(c);
	st->sk_cache = NULL;
}

/* The cache for sock objects of size, set up on first use; NULL if all
 * classes are taken by other sizes (the object is then calloc'ed). */
static struct kmem_cache *sk_cache_class(struct sock_cache *c, size_t size)
{
	if (!c)
		return NULL;
	size_t rounded = TN_ALIGN((u64)size, (u64)KMEM_ALIGN);

	for (int i = 0; i < SK_CACHE_CLASSES; i++)
		if (c->cls[i].size == rounded)
			return &c->cls[i];
	for (int i = 0; i < SK_CACHE_CLASSES; i++) {
		if (!c->cls[i].size) {
			kmem_cache_init(&c->cls[i], "sock", size);
			return &c->cls[i];
		}
	}
	return NULL;
}

static void *sk_cache_get(struct sock_cache *c, size_t size)
{
	struct kmem_cache *k = sk_cache_class(c, size);

	return k ? kmem_cache_zalloc(k) : calloc(1, size);
}

static void sk_cache_put(struct sock_cache *c, void *obj, size_t size)
{
	struct kmem_cache *k = sk_cache_class(c, size);

	if (k)
		kmem_cache_free(k, obj);
	else
		free(obj);
}

static size_t sk_obj_size(const struct proto *prot)
{
	return prot->obj_size > sizeof(struct sock) ? prot->obj_size : sizeof(struct sock);
}

/* ---- allocation -------------------------------------------------------- */

struct sock *sk_alloc(struct net *net, int family, struct proto *prot)
{
	struct tn_stack *st = net->stack;
	struct sock *sk;

	if (tn_should_fail(st, TN_FAULT_SOCK)) {
		if (st->sk_cache)
			st->sk_cache->alloc_fails++;
		return NULL;
	}
	sk = sk_cache_get(st->sk_cache, sk_obj_size(prot));
	if (!sk)
		return NULL;
	sk->sk_family = (u16)family;
	sk->sk_prot = prot;
	sk->sk_net = get_net(net);
	sk->sk_refcnt = 1;
	sk->sk_wmem_alloc = 1;
	INIT_HLIST_NODE(&sk->sk_node);
	INIT_HLIST_NODE(&sk->sk_bind_node);
	skb_queue_head_init(&sk->sk_receive_queue);
	skb_queue_head_init(&sk->sk_write_queue);
	skb_queue_head_init(&sk->sk_error_queue);
	st->socks_live++;
	if (st->sk_cache)
		st->sk_cache->allocs++;
	return sk;
}

static void __sk_free(struct sock *sk)
{
	struct net *net = sock_net(sk);
	struct tn_stack *st = net->stack;

	if (st->sk_cache)
		st->sk_cache->frees++;
	st->socks_live--;
	sk_cache_put(st->sk_cache, sk, sk_obj_size(sk->sk_prot));
	put_net(net);
}

/* Let go of everything the socket holds; the memory itself waits for the
 * last skb in flight (sk_wmem_alloc). */
void sk_free(struct sock *sk)
{
	if (sk->sk_destruct)
		sk->sk_destruct(sk);
	skb_queue_purge(&sk->sk_receive_queue);
	skb_queue_purge(&sk->sk_error_queue);
	skb_queue_purge(&sk->sk_write_queue);
	sk_dst_reset(sk);
	if (--sk->sk_wmem_alloc == 0)
		__sk_free(sk);
}

void sock_put(struct sock *sk)
{
	if (--sk->sk_refcnt == 0)
		sk_free(sk);
}

void sk_dst_reset(struct sock *sk)
{
	struct dst_entry *d = sk->sk_dst_cache;

	sk->sk_dst_cache = NULL;
	if (d)
		dst_release(d);
}

/* What a datagram socket still holds when it is destroyed is dropped, and
 * counted in the socket's own namespace: the skbs were detached from their
 * device when queued, so kfree_skb_reason could not find the namespace. */
void sk_drop_queues(struct sock *sk)
{
	struct net *net = sock_net(sk);
	struct sk_buff_head *queues[] = { &sk->sk_receive_queue, &sk->sk_error_queue };
	struct sk_buff *skb;

	for (size_t i = 0; i < ARRAY_SIZE(queues); i++) {
		while ((skb = __skb_dequeue(queues[i])) != NULL) {
			tn_count_drop(net, SKB_DROP_REASON_NOT_SPECIFIED);
			consume_skb(skb);
		}
	}
}

void sock_orphan(struct sock *sk)
{
	sock_set_flag(sk, SOCK_DEAD);
	sk->sk_socket = NULL;
	sk->sk_wq = NULL;
}

void sk_common_release(struct sock *sk)
{
	if (sk->sk_prot->destroy)
		sk->sk_prot->destroy(sk);
	if (sk->sk_prot->unhash)
		sk->sk_prot->unhash(sk);
	sock_orphan(sk);
	sock_put(sk);
}

void sock_init_data(struct socket *sock, struct sock *sk)
{
	struct net *net = sock_net(sk);

	sk->sk_rcvbuf = net->core.sysctl_rmem_default;
	sk->sk_sndbuf = net->core.sysctl_wmem_default;
	sk->sk_state = TCP_CLOSE;
	sk->sk_rcvlowat = 1;
	sk->sk_rcvtimeo = -1;
	sk->sk_sndtimeo = -1;
	sk->sk_peek_off = -1;
	sock_set_flag(sk, SOCK_ZAPPED);
	sk->sk_state_change = sock_def_wakeup;
	sk->sk_data_ready = sock_def_readable;
	sk->sk_write_space = sock_def_write_space;
	sk->sk_error_report = sock_def_error_report;
	if (sock) {
		sk->sk_type = (u8)sock->type;
		sk->sk_socket = sock;
		sk->sk_wq = &sock->wq;
		sock->sk = sk;
	}
}

/* ---- buffer accounting ------------------------------------------------ */

void skb_orphan(struct sk_buff *skb)
{
	if (skb->destructor) {
		skb->destructor(skb);
		skb->destructor = NULL;
	}
	skb->sk = NULL;
}

void sock_rfree(struct sk_buff *skb)
{
	skb->sk->sk_rmem_alloc -= (int)skb->truesize;
}

void sock_wfree(struct sk_buff *skb)
{
	struct sock *sk = skb->sk;

	sk->sk_wmem_alloc -= (int)skb->truesize;
	if (sk->sk_wmem_alloc == 0) {
		__sk_free(sk);   /* closed while this skb was in flight */
		return;
	}
	if (!sock_flag(sk, SOCK_DEAD) && sk->sk_write_space)
		sk->sk_write_space(sk);
}

void skb_set_owner_r(struct sk_buff *skb, struct sock *sk)
{
	skb_orphan(skb);
	skb->sk = sk;
	skb->destructor = sock_rfree;
	sk->sk_rmem_alloc += (int)skb->truesize;
}

void skb_set_owner_w(struct sk_buff *skb, struct sock *sk)
{
	skb_orphan(skb);
	skb->sk = sk;
	skb->destructor = sock_wfree;
	sk->sk_wmem_alloc += (int)skb->truesize;
}

int sock_queue_rcv_skb(struct sock *sk, struct sk_buff *skb)
{
	if (sk->sk_rmem_alloc >= sk->sk_rcvbuf) {
		sk->sk_drops++;
		return -ENOMEM;
	}
	skb_set_owner_r(skb, sk);
	__skb_queue_tail(&sk->sk_receive_queue, skb);
	if (!sock_flag(sk, SOCK_DEAD))
		sk->sk_data_ready(sk);
	return 0;
}

int sock_queue_err_skb(struct sock *sk, struct sk_buff *skb)
{
	if (sk->sk_rmem_alloc + (int)skb->truesize >= sk->sk_rcvbuf)
		return -ENOMEM;
	skb_set_owner_r(skb, sk);
	__skb_queue_tail(&sk->sk_error_queue, skb);
	if (!sock_flag(sk, SOCK_DEAD))
		sk->sk_error_report(sk);
	return 0;
}

static bool sk_has_send_space(struct sock *sk)
{
	return sock_writeable(sk) || sk->sk_err || (sk->sk_shutdown & SEND_SHUTDOWN);
}

struct sk_buff *sock_alloc_send_skb(struct sock *sk, unsigned int size, bool noblock, int *err)
{
	s64 timeo = sock_sndtimeo(sk, noblock);
	struct sk_buff *skb;

	for (;;) {
		*err = sock_error(sk);
		if (*err)
			return NULL;
		if (sk->sk_shutdown & SEND_SHUTDOWN) {
			*err = -EPIPE;
			return NULL;
		}
		if (sk->sk_wmem_alloc - 1 < sk->sk_sndbuf)
			break;
		if (sk->sk_socket)
			sk->sk_socket->flags |= SOCKWQ_ASYNC_NOSPACE;
		*err = sk_wait_event(sk, &timeo, sk_has_send_space, false);
		if (*err)
			return NULL;
	}
	skb = alloc_skb(sock_net(sk)->stack, size);
	if (!skb) {
		*err = -ENOBUFS;
		return NULL;
	}
	skb_set_owner_w(skb, sk);
	return skb;
}

/* ---- callbacks -------------------------------------------------------- */

static void sk_wake(struct sock *sk, int nr, u32 mask)
{
	if (sk->sk_wq && waitqueue_active(sk->sk_wq))
		__wake_up(sk->sk_wq, 1, nr, (void *)(uintptr_t)mask);
}

void sk_wake_async(const struct sock *sk, int how, int band)
{
	if (sk->sk_socket && !sock_flag(sk, SOCK_DEAD))
		sock_wake_async(sk->sk_socket, how, band);
}

/* A state change. Linux's TCP raises SIGIO itself at these transitions
 * (connected: POLL_OUT, FIN: POLL_IN, both ways closed: POLL_HUP); here
 * the default callback does it for every protocol that has no own. */
void sock_def_wakeup(struct sock *sk)
{
	int band = POLL_OUT;

	sk_wake(sk, 0, 0);
	if (sk->sk_shutdown == SHUTDOWN_MASK || sk->sk_state == TCP_CLOSE)
		band = POLL_HUP;
	else if (sk->sk_shutdown & RCV_SHUTDOWN)
		band = POLL_IN;
	sk_wake_async(sk, SOCK_WAKE_IO, band);
}

void sock_def_readable(struct sock *sk)
{
	sk_wake(sk, 1, POLLIN | POLLPRI | POLLRDNORM | POLLRDBAND);
	sk_wake_async(sk, SOCK_WAKE_WAITD, POLL_IN);
}

void sock_def_write_space(struct sock *sk)
{
	/* Only when half the buffer is free again, so a writer that slept
	 * for space wakes to room for more than one packet. */
	if ((sk->sk_wmem_alloc - 1) * 2 <= sk->sk_sndbuf) {
		sk_wake(sk, 1, POLLOUT | POLLWRNORM | POLLWRBAND);
		sk_wake_async(sk, SOCK_WAKE_SPACE, POLL_OUT);
	}
}

void sock_def_error_report(struct sock *sk)
{
	sk_wake(sk, 0, POLLERR);
	sk_wake_async(sk, SOCK_WAKE_IO, POLL_ERR);
}

int sock_error(struct sock *sk)
{
	int err = sk->sk_err;

	sk->sk_err = 0;
	return -err;
}

/* ---- sleeping --------------------------------------------------------- */

static bool sk_closed_under_us(const struct sock *sk)
{
	return !sk->sk_socket || sock_file_closing(sk->sk_socket);
}

static bool sk_wait_done(struct sock *sk, bool (*cond)(struct sock *sk))
{
	return cond(sk) || sk->sk_err || (sk->sk_shutdown & RCV_SHUTDOWN);
}

static u64 sk_deadline(const struct sock *sk, s64 timeo)
{
	u64 now = tn_now(sock_net(sk)->stack);

	if (timeo < 0 || (u64)timeo > UINT64_MAX - now)
		return UINT64_MAX;
	return now + (u64)timeo;
}

int sk_wait_event(struct sock *sk, s64 *timeo, bool (*cond)(struct sock *sk), bool exclusive)
{
	struct tn_stack *st = sock_net(sk)->stack;
	struct wait_queue_head *wq = sk->sk_wq;
	struct tn_waiter w;
	int err = 0;

	if (sk_wait_done(sk, cond))
		return 0;
	if (*timeo == 0 || !wq)
		return -EAGAIN;
	tn_waiter_init(&w, st);
	w.deadline = sk_deadline(sk, *timeo);
	if (exclusive)
		add_wait_queue_exclusive(wq, &w.wq);
	else
		add_wait_queue(wq, &w.wq);
	for (;;) {
		if (sk_closed_under_us(sk)) {
			err = -EBADF;
			break;
		}
		if (sk_wait_done(sk, cond))
			break;
		err = tn_waiter_sleep(&w);
		w.woken = false;
		if (err == -ETIMEDOUT)
			err = -EAGAIN;
		if (err)
			break;
	}
	remove_wait_queue(wq, &w.wq);
	tn_waiter_destroy(&w);
	if (*timeo > 0) {
		u64 now = tn_now(st);
		*timeo = now >= w.deadline ? 0 : (s64)(w.deadline - now);
	}
	return err;
}

/* ---- SOL_SOCKET options ----------------------------------------------- */

static void sock_valbool_flag(struct sock *sk, enum sock_flags bit, int valbool)
{
	if (valbool)
		sock_set_flag(sk, bit);
	else
		sock_reset_flag(sk, bit);
}

/* Linux's __sock_set_rcvbuf / the set_sndbuf label: double the value (the
 * kernel counts overhead too), with a floor. */
static void sock_set_rcvbuf(struct sock *sk, int val)
{
	if (val > INT_MAX / 2)
		val = INT_MAX / 2;
	sk->sk_userlocks |= SOCK_RCVBUF_LOCK;
	sk->sk_rcvbuf = val * 2 > SOCK_MIN_RCVBUF ? val * 2 : SOCK_MIN_RCVBUF;
}

static void sock_set_sndbuf(struct sock *sk, int val)
{
	if (val > INT_MAX / 2)
		val = INT_MAX / 2;
	sk->sk_userlocks |= SOCK_SNDBUF_LOCK;
	sk->sk_sndbuf = val * 2 > SOCK_MIN_SNDBUF ? val * 2 : SOCK_MIN_SNDBUF;
	sk->sk_write_space(sk);
}

/* Linux's sock_set_timeout for the old struct timeval: EDOM for a bad
 * tv_usec, a negative time means "do not wait", zero means forever. Kept in
 * ns rounded up to whole jiffies, as Linux keeps jiffies. */
static int sock_set_timeout(s64 *timeo, const void *optval, socklen_t optlen)
{
	struct timeval tv;

	if (optlen < sizeof(tv))
		return -EINVAL;
	memcpy(&tv, optval, sizeof(tv));
	if (tv.tv_usec < 0 || tv.tv_usec >= USEC_PER_SEC)
		return -EDOM;
	if (tv.tv_sec < 0) {
		*timeo = 0;
		return 0;
	}
	*timeo = -1;
	if ((tv.tv_sec || tv.tv_usec) && tv.tv_sec < (s64)(LONG_MAX / SOCK_HZ - 1)) {
		s64 usec_per_jiffy = USEC_PER_SEC / (s64)SOCK_HZ;
		s64 j = tv.tv_sec * (s64)SOCK_HZ + (tv.tv_usec + usec_per_jiffy - 1) / usec_per_jiffy;
		*timeo = j > INT64_MAX / (s64)TN_NSEC_PER_JIFFY ? -1 : j * (s64)TN_NSEC_PER_JIFFY;
	}
	return 0;
}

static int sock_get_timeout(s64 timeo, struct timeval *tv)
{
	memset(tv, 0, sizeof(*tv));
	if (timeo >= 0) {
		s64 j = timeo / (s64)TN_NSEC_PER_JIFFY;
		tv->tv_sec = j / (s64)SOCK_HZ;
		tv->tv_usec = (j % (s64)SOCK_HZ) * USEC_PER_SEC / (s64)SOCK_HZ;
	}
	return sizeof(*tv);
}

static int sock_set_linger(struct sock *sk, const void *optval, socklen_t optlen)
{
	struct linger ling;

	if (optlen < sizeof(ling))
		return -EINVAL;
	memcpy(&ling, optval, sizeof(ling));
	if (!ling.l_onoff) {
		sock_reset_flag(sk, SOCK_LINGER);
		return 0;
	}
	/* 64-bit Linux takes l_linger as unsigned: -1 lingers ~136 years. */
	sk->sk_lingertime = (s64)(unsigned int)ling.l_linger * NSEC_PER_SEC;
	sock_set_flag(sk, SOCK_LINGER);
	return 0;
}

static int sock_bindtoindex(struct sock *sk, int ifindex)
{
	if (ifindex < 0)
		return -EINVAL;
	sk->sk_bound_dev_if = ifindex;
	if (sk->sk_prot->rehash)
		sk->sk_prot->rehash(sk);
	sk_dst_reset(sk);
	return 0;
}

/* An interface name, not NUL-terminated necessarily; "" or length 0
 * unbinds. We act as root, so CAP_NET_RAW is never missing. */
static int sock_setbindtodevice(struct sock *sk, const void *optval, socklen_t optlen)
{
	char devname[IFNAMSIZ];
	int index = 0;

	if ((int)optlen < 0)
		return -EINVAL;
	if (optlen > IFNAMSIZ - 1)
		optlen = IFNAMSIZ - 1;
	memset(devname, 0, sizeof(devname));
	if (optlen && !optval)
		return -EFAULT;
	memcpy(devname, optval, optlen);
	if (devname[0]) {
		struct net_device *dev = __dev_get_by_name(sock_net(sk), devname);
		if (!dev)
			return -ENODEV;
		index = dev->ifindex;
	}
	return sock_bindtoindex(sk, index);
}

static int sock_setsockopt_int(struct sock *sk, int optname, int val)
{
	int valbool = val ? 1 : 0;
	struct net *net = sock_net(sk);

	switch (optname) {
	case SO_DEBUG:
		sock_valbool_flag(sk, SOCK_DBG, valbool);
		return 0;
	case SO_REUSEADDR:
		sk->sk_reuse = (u8)valbool;
		return 0;
	case SO_REUSEPORT:
		if (valbool && sk->sk_family != AF_INET && sk->sk_family != AF_INET6)
			return -EOPNOTSUPP;
		sk->sk_reuseport = (u8)valbool;
		return 0;
	case SO_DONTROUTE:
		sock_valbool_flag(sk, SOCK_LOCALROUTE, valbool);
		sk_dst_reset(sk);
		return 0;
	case SO_BROADCAST:
		sock_valbool_flag(sk, SOCK_BROADCAST, valbool);
		return 0;
	case SO_SNDBUF:
		/* As u32, so a negative value is huge and clamps to the max. */
		sock_set_sndbuf(sk, (int)TN_MIN((u32)val, (u32)net->core.sysctl_wmem_max));
		return 0;
	case SO_SNDBUFFORCE:
		sock_set_sndbuf(sk, val < 0 ? 0 : val);
		return 0;
	case SO_RCVBUF:
		sock_set_rcvbuf(sk, (int)TN_MIN((u32)val, (u32)net->core.sysctl_rmem_max));
		return 0;
	case SO_RCVBUFFORCE:
		sock_set_rcvbuf(sk, val < 0 ? 0 : val);
		return 0;
	case SO_KEEPALIVE:
		if (sk->sk_prot->keepalive)
			sk->sk_prot->keepalive(sk, valbool);
		sock_valbool_flag(sk, SOCK_KEEPOPEN, valbool);
		return 0;
	case SO_OOBINLINE:
		sock_valbool_flag(sk, SOCK_URGINLINE, valbool);
		return 0;
	case SO_NO_CHECK:
		sk->sk_no_check_tx = (u8)valbool;
		return 0;
	case SO_PRIORITY:
		/* 0..6 for anyone, the rest with CAP_NET_ADMIN: we are root. */
		sk->sk_priority = (u32)val;
		return 0;
	case SO_BSDCOMPAT:
		return 0;
	case SO_TIMESTAMP:
		sock_valbool_flag(sk, SOCK_RCVTSTAMP, valbool);
		sock_reset_flag(sk, SOCK_RCVTSTAMPNS);
		return 0;
	case SO_TIMESTAMPNS:
		sock_valbool_flag(sk, SOCK_RCVTSTAMP, valbool);
		sock_valbool_flag(sk, SOCK_RCVTSTAMPNS, valbool);
		return 0;
	case SO_RCVLOWAT:
		if (val < 0)
			val = INT_MAX;
		sk->sk_rcvlowat = val ? val : 1;
		return 0;
	case SO_MARK:
		if (sk->sk_mark != (u32)val) {
			sk->sk_mark = (u32)val;
			sk_dst_reset(sk);
		}
		return 0;
	case SO_RXQ_OVFL:
		sock_valbool_flag(sk, SOCK_RXQ_OVFL, valbool);
		return 0;
	case SO_SELECT_ERR_QUEUE:
		sock_valbool_flag(sk, SOCK_SELECT_ERR_QUEUE, valbool);
		return 0;
	case SO_BINDTOIFINDEX:
		return sock_bindtoindex(sk, val);
	default:
		return -ENOPROTOOPT;
	}
}

int sock_setsockopt(struct sock *sk, int optname, const void *optval, socklen_t optlen)
{
	int val;

	if (optname == SO_BINDTODEVICE)
		return sock_setbindtodevice(sk, optval, optlen);
	if (optlen < sizeof(int))
		return -EINVAL;
	if (!optval)
		return -EFAULT;
	switch (optname) {
	case SO_LINGER:
		return sock_set_linger(sk, optval, optlen);
	case SO_RCVTIMEO:
		return sock_set_timeout(&sk->sk_rcvtimeo, optval, optlen);
	case SO_SNDTIMEO:
		return sock_set_timeout(&sk->sk_sndtimeo, optval, optlen);
	}
	memcpy(&val, optval, sizeof(val));
	return sock_setsockopt_int(sk, optname, val);
}

/* Linux's sock_getbindtodevice: the name with its NUL, or length 0 when
 * unbound; the buffer must hold IFNAMSIZ bytes either way. */
static int sock_getbindtodevice(struct sock *sk, void *optval, socklen_t *optlen, int len)
{
	struct net_device *dev;
	int n = 0;

	if (len < IFNAMSIZ)
		return -EINVAL;
	if (sk->sk_bound_dev_if) {
		dev = __dev_get_by_index(sock_net(sk), sk->sk_bound_dev_if);
		if (!dev)
			return -ENODEV;
		n = (int)strlen(dev->name) + 1;
		if (!optval)
			return -EFAULT;
		memcpy(optval, dev->name, (size_t)n);
	}
	*optlen = (socklen_t)n;
	return 0;
}

union sock_optval {
	int val;
	struct linger ling;
	struct timeval tm;
};

/* The value of an int-sized option; -ENOPROTOOPT if optname is none. */
static int sock_getsockopt_int(struct sock *sk, int optname, int *val)
{
	switch (optname) {
	case SO_DEBUG: *val = sock_flag(sk, SOCK_DBG); break;
	case SO_DONTROUTE: *val = sock_flag(sk, SOCK_LOCALROUTE); break;
	case SO_BROADCAST: *val = sock_flag(sk, SOCK_BROADCAST); break;
	case SO_SNDBUF: *val = sk->sk_sndbuf; break;
	case SO_RCVBUF: *val = sk->sk_rcvbuf; break;
	case SO_REUSEADDR: *val = sk->sk_reuse; break;
	case SO_REUSEPORT: *val = sk->sk_reuseport; break;
	case SO_KEEPALIVE: *val = sock_flag(sk, SOCK_KEEPOPEN); break;
	case SO_TYPE: *val = sk->sk_type; break;
	case SO_PROTOCOL: *val = sk->sk_protocol; break;
	case SO_DOMAIN: *val = sk->sk_family; break;
	case SO_OOBINLINE: *val = sock_flag(sk, SOCK_URGINLINE); break;
	case SO_NO_CHECK: *val = sk->sk_no_check_tx; break;
	case SO_PRIORITY: *val = (int)sk->sk_priority; break;
	case SO_BSDCOMPAT: *val = 0; break;
	case SO_TIMESTAMP:
		*val = sock_flag(sk, SOCK_RCVTSTAMP) && !sock_flag(sk, SOCK_RCVTSTAMPNS);
		break;
	case SO_TIMESTAMPNS: *val = sock_flag(sk, SOCK_RCVTSTAMPNS); break;
	case SO_RCVLOWAT: *val = sk->sk_rcvlowat; break;
	case SO_SNDLOWAT: *val = 1; break;
	case SO_ACCEPTCONN: *val = sk->sk_state == TCP_LISTEN; break;
	case SO_MARK: *val = (int)sk->sk_mark; break;
	case SO_RXQ_OVFL: *val = sock_flag(sk, SOCK_RXQ_OVFL); break;
	case SO_SELECT_ERR_QUEUE: *val = sock_flag(sk, SOCK_SELECT_ERR_QUEUE); break;
	case SO_BINDTOIFINDEX: *val = sk->sk_bound_dev_if; break;
	case SO_ERROR:
		*val = -sock_error(sk);
		if (!*val) {
			*val = sk->sk_err_soft;
			sk->sk_err_soft = 0;
		}
		break;
	default:
		return -ENOPROTOOPT;
	}
	return 0;
}

/* Linux's sk_getsockopt: copies min(len, size of the value) and writes that
 * length back, so a short buffer gets a truncated value, not an error. */
int sock_getsockopt(struct sock *sk, int optname, void *optval, socklen_t *optlen)
{
	union sock_optval v;
	int lv = sizeof(int);
	int len, err;

	if (!optlen)
		return -EFAULT;
	len = (int)*optlen;
	if (len < 0)
		return -EINVAL;
	memset(&v, 0, sizeof(v));
	switch (optname) {
	case SO_LINGER:
		lv = sizeof(v.ling);
		v.ling.l_onoff = sock_flag(sk, SOCK_LINGER);
		v.ling.l_linger = (int)(sk->sk_lingertime / NSEC_PER_SEC);
		break;
	case SO_RCVTIMEO:
		lv = sock_get_timeout(sk->sk_rcvtimeo, &v.tm);
		break;
	case SO_SNDTIMEO:
		lv = sock_get_timeout(sk->sk_sndtimeo, &v.tm);
		break;
	case SO_BINDTODEVICE:
		return sock_getbindtodevice(sk, optval, optlen, len);
	default:
		err = sock_getsockopt_int(sk, optname, &v.val);
		if (err)
			return err;
	}
	if (len > lv)
		len = lv;
	if (len && !optval)
		return -EFAULT;
	memcpy(optval, &v, (size_t)len);
	*optlen = (socklen_t)len;
	return 0;
}

/* ---- ancillary data ----------------------------------------------------- */

int put_cmsg(struct msghdr *msg, int level, int type, int len, const void *data)
{
	size_t cmlen = CMSG_LEN((size_t)len);
	struct cmsghdr h;

	if (!msg->msg_control || msg->msg_controllen < sizeof(struct cmsghdr)) {
		msg->msg_flags |= MSG_CTRUNC;
		return 0;
	}
	if (msg->msg_controllen < cmlen) {
		msg->msg_flags |= MSG_CTRUNC;
		cmlen = msg->msg_controllen;
	}
	h.cmsg_len = cmlen;
	h.cmsg_level = level;
	h.cmsg_type = type;
	memcpy(msg->msg_control, &h, sizeof(h));
	memcpy((char *)msg->msg_control + CMSG_LEN(0), data, cmlen - CMSG_LEN(0));
	cmlen = CMSG_SPACE((size_t)len);
	if (cmlen > msg->msg_controllen)
		cmlen = msg->msg_controllen;
	msg->msg_control = (char *)msg->msg_control + cmlen;
	msg->msg_controllen -= cmlen;
	return 0;
}
