/*
 * Listening sockets (Linux's inet_connection_sock.c and request_sock.c):
 * listen() and its shutdown, the SYN queue of request socks (hashed in
 * ehash as TCP_NEW_SYN_RECV, counted per listener, each with a SYN-ACK
 * retransmission timer that also times TCP_DEFER_ACCEPT's wait for data),
 * the accept queue of established children (a FIFO of request socks
 * pointing at their child), accept(), and the birth and death of full
 * connection socks (clone from a listener, destroy).
 *
 * Not here: deciding what a SYN or the handshake's ACK does
 * (tcp_minisocks.c, syncookies.c), building SYN-ACKs (tcp_ipv4.c), ports
 * and tables (inet_hashtables.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>

#include "net/skbuff.h"
#include "net/inet_hashtables.h"
#include "net/net_namespace.h"
#include "net/stack.h"
#include "net/tcp.h"

/* ---- request socks ------------------------------------------------------------- */

static void reqsk_timer_handler(struct timer_list *t);

/* A request sock holds a reference on its listener (Linux's), so that a
 * listener closed with requests still pending lives until they are gone. */
/* The stack's request_sock cache (request_sock_TCP), set up on first use. */
static struct kmem_cache *reqsk_cache(const struct net *net)
{
	struct kmem_cache *c = &net->stack->sk_cache->reqsk;

	if (!c->size)
		kmem_cache_init(c, "request_sock_TCP", sizeof(struct request_sock));
	return c;
}

struct request_sock *reqsk_alloc(const struct sock *listener)
{
	struct net *net = sock_net(listener);
	struct request_sock *req;

	if (tn_should_fail(net->stack, TN_FAULT_SOCK))
		return NULL;
	req = kmem_cache_zalloc(reqsk_cache(net));
	if (!req)
		return NULL;
	req->__req_common.skc_net = net;
	req->__req_common.skc_family = AF_INET;
	req->__req_common.skc_state = TCP_NEW_SYN_RECV;
	req->__req_common.skc_refcnt = 1;
	INIT_HLIST_NODE(&req->__req_common.skc_node);
	INIT_HLIST_NODE(&req->__req_common.skc_bind_node);
	timer_setup(&req->rsk_timer, reqsk_timer_handler);
	req->rsk_listener = (struct sock *)listener;
	sock_hold(req->rsk_listener);
	net->stack->socks_live++;
	return req;
}

void reqsk_free(struct request_sock *req)
{
	struct sock *listener = req->rsk_listener;

	del_timer(&req->rsk_timer);
	listener->sk_net->stack->socks_live--;
	kmem_cache_free(reqsk_cache(listener->sk_net), req);
	sock_put(listener);
}

/* Linux's reqsk_timeout: 1 s doubled per timeout, at most TCP_RTO_MAX. */
static u64 reqsk_timeout(const struct request_sock *req)
{
	u64 t = (u64)TCP_TIMEOUT_INIT << req->num_timeout;

	return t < TCP_RTO_MAX ? t : TCP_RTO_MAX;
}

void inet_csk_reqsk_queue_hash_add(struct sock *sk, struct request_sock *req, u32 timeout)
{
	struct request_sock_queue *queue = &inet_csk(sk)->icsk_accept_queue;

	inet_ehash_insert(&req->__req_common, NULL);
	tn_mod_timer(sock_net(sk)->stack, &req->rsk_timer, jiffies(sock_net(sk)->stack) + timeout);
	queue->qlen++;
	queue->young++;
}

/* Take req off the SYN queue: unhashed, timer stopped, not counted. */
static void inet_csk_reqsk_queue_removed(struct sock *sk, struct request_sock *req)
{
	struct request_sock_queue *queue = &inet_csk(sk)->icsk_accept_queue;

	inet_ehash_remove(&req->__req_common);
	del_timer(&req->rsk_timer);
	queue->qlen--;
	if (req->num_timeout == 0)
		queue->young--;
}

void inet_csk_reqsk_queue_drop_and_put(struct sock *sk, struct request_sock *req)
{
	inet_csk_reqsk_queue_removed(sk, req);
	reqsk_free(req);
}

/* Linux's inet_csk_reqsk_queue_is_full: full past the listen backlog
 * (sk_max_ack_backlog). Linux compares with > since 6.13 (">=" left a
 * listen(0) socket unable to take any request without cookies), as
 * sk_acceptq_is_full always did. */
bool inet_csk_reqsk_queue_is_full(const struct sock *sk)
{
	return inet_csk(sk)->icsk_accept_queue.qlen > sk->sk_max_ack_backlog;
}

/* Linux's syn_ack_recalc. Without TCP_DEFER_ACCEPT: resend each time,
 * give up after max_retries. With it, a request whose bare ACK was
 * swallowed (acked) gets no SYN-ACK while it waits for data, except the
 * last timeout of the defer period gives the peer one more chance; it
 * expires once both the retries and the defer period are spent. */
static void syn_ack_recalc(const struct request_sock *req, int max_retries, u8 defer,
			   bool *expire, bool *resend)
{
	if (!defer) {
		*expire = req->num_timeout >= max_retries;
		*resend = true;
		return;
	}
	*expire = req->num_timeout >= max_retries &&
		  (!req->acked || req->num_timeout >= defer);
	*resend = !req->acked || req->num_timeout >= defer - 1;
}

/* Linux's max_syn_ack_retries: tcp_synack_retries (or TCP_SYNCNT), fewer
 * for old requests when the queue is more than half full of requests
 * that already timed out, so that young ones find room. */
static int reqsk_max_retries(const struct sock *sk)
{
	const struct request_sock_queue *queue = &inet_csk(sk)->icsk_accept_queue;
	int max_retries = inet_csk(sk)->icsk_syn_retries
				  ? inet_csk(sk)->icsk_syn_retries
				  : sock_net(sk)->ipv4.tcp->sysctl_tcp_synack_retries;
	u32 qlen = queue->qlen;

	if ((qlen << 1) > TN_MAX(8u, sk->sk_max_ack_backlog)) {
		u32 young = queue->young << 1;

		while (max_retries > 2 && qlen >= young) {
			max_retries--;
			young <<= 1;
		}
	}
	return max_retries;
}

/*
 * Linux's reqsk_timer_handler: retransmit the SYN-ACK with exponential
 * backoff until the retries (syn_ack_recalc) are spent, then drop the
 * request. A request whose ACK was ignored (full accept queue, or
 * TCP_DEFER_ACCEPT) stays even when the SYN-ACK cannot be sent: the
 * peer's next segment is what completes it then.
 */
static void reqsk_timer_handler(struct timer_list *t)
{
	struct request_sock *req = from_timer(req, t, rsk_timer);
	struct sock *sk = req->rsk_listener;
	struct net *net = sock_net(sk);
	struct request_sock_queue *queue = &inet_csk(sk)->icsk_accept_queue;
	bool expire, resend;

	if (sk->sk_state != TCP_LISTEN)
		goto drop;
	syn_ack_recalc(req, reqsk_max_retries(sk), queue->rskq_defer_accept, &expire, &resend);
	__NET_INC_STATS(net, LINUX_MIB_TCPTIMEOUTS);
	if (expire)
		goto drop;
	if (resend) {
		if (!tcp_v4_send_synack(sk, req)) {
			req->num_retrans++;
			__TCP_INC_STATS(net, TCP_MIB_RETRANSSEGS);
			__NET_INC_STATS(net, LINUX_MIB_TCPSYNRETRANS);
		} else if (!req->acked) {
			goto drop;
		}
	}
	if (req->num_timeout++ == 0)
		queue->young--;
	tn_mod_timer(net->stack, &req->rsk_timer, jiffies(net->stack) + reqsk_timeout(req));
	return;

drop:
	inet_csk_reqsk_queue_drop_and_put(sk, req);
}

/* ---- the accept queue ------------------------------------------------------------ */

void inet_csk_reqsk_queue_add(struct sock *sk, struct request_sock *req, struct sock *child)
{
	struct request_sock_queue *queue = &inet_csk(sk)->icsk_accept_queue;

	/* A cookie's request never was in the SYN queue. */
	if (!req->syncookie)
		inet_csk_reqsk_queue_removed(sk, req);
	req->sk = child;
	req->dl_next = NULL;
	if (!queue->rskq_accept_head)
		queue->rskq_accept_head = req;
	else
		queue->rskq_accept_tail->dl_next = req;
	queue->rskq_accept_tail = req;
	sk->sk_ack_backlog++;
}

static struct request_sock *reqsk_queue_remove(struct sock *sk)
{
	struct request_sock_queue *queue = &inet_csk(sk)->icsk_accept_queue;
	struct request_sock *req = queue->rskq_accept_head;

	if (!req)
		return NULL;
	queue->rskq_accept_head = req->dl_next;
	if (!queue->rskq_accept_head)
		queue->rskq_accept_tail = NULL;
	sk->sk_ack_backlog--;
	return req;
}

static bool inet_csk_accept_ready(struct sock *sk)
{
	return inet_csk(sk)->icsk_accept_queue.rskq_accept_head || sk->sk_state != TCP_LISTEN;
}

/* Linux's inet_csk_wait_for_connect. */
static int inet_csk_wait_for_connect(struct sock *sk, s64 timeo)
{
	for (;;) {
		int err;

		if (inet_csk(sk)->icsk_accept_queue.rskq_accept_head)
			return 0;
		if (sk->sk_state != TCP_LISTEN)
			return -EINVAL;
		if (!timeo)
			return -EAGAIN;
		err = sk_wait_event(sk, &timeo, inet_csk_accept_ready, true);
		if (err)
			return err;
		if (!inet_csk_accept_ready(sk) && sk->sk_err)
			return -sock_error(sk);
	}
}

struct sock *inet_csk_accept(struct sock *sk, int flags, int *err)
{
	struct request_sock *req;
	struct sock *newsk;
	int error;

	if (sk->sk_state != TCP_LISTEN) {
		*err = -EINVAL;
		return NULL;
	}
	error = inet_csk_wait_for_connect(sk, sock_rcvtimeo(sk, flags & O_NONBLOCK));
	if (error) {
		*err = error;
		return NULL;
	}
	req = reqsk_queue_remove(sk);
	newsk = req->sk;
	reqsk_free(req);
	*err = 0;
	return newsk;
}

/* ---- listen ----------------------------------------------------------------------- */

int inet_csk_listen_start(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	u32 somaxconn = (u32)sock_net(sk)->core.sysctl_somaxconn;
	int err;

	if (sk->sk_max_ack_backlog > somaxconn)
		sk->sk_max_ack_backlog = somaxconn;
	icsk->icsk_accept_queue = (struct request_sock_queue){ 0 };
	sk->sk_ack_backlog = 0;
	/* Announce LISTEN first: the port check below must see it (a
	 * SO_REUSEADDR neighbour may share a port, not a listening one). */
	sk->sk_state = TCP_LISTEN;
	err = sk->sk_prot->get_port(sk, sk->sk_num);
	if (!err) {
		inet_sk(sk)->inet_sport = sk->sk_num;
		sk_dst_reset(sk);
		err = sk->sk_prot->hash(sk);
		if (!err)
			return 0;
	}
	sk->sk_state = TCP_CLOSE;
	return err;
}

/* Linux's inet_child_forget: a child nobody accepted is reset and freed. */
static void inet_child_forget(struct sock *sk, struct sock *child)
{
	child->sk_prot->disconnect(child, O_NONBLOCK);
	sock_orphan(child);
	tcp_net(sk)->orphan_count++;
	inet_csk_destroy_sock(child);
}

void inet_csk_listen_stop(struct sock *sk)
{
	struct request_sock *req;

	/* Children in the accept queue are reset (tcp_disconnect sends the
	 * RST); requests still in the SYN queue die when next looked up or
	 * when their timer fires, as on Linux. */
	while ((req = reqsk_queue_remove(sk)) != NULL) {
		struct sock *child = req->sk;

		inet_child_forget(sk, child);
		reqsk_free(req);
	}
}

/* ---- connection socks ------------------------------------------------------------- */

/* What a child inherits from its listener (what Linux's sk_clone_lock
 * copies and keeps). */
static void inet_csk_inherit(struct sock *newsk, const struct sock *sk)
{
	const struct inet_sock *inet = inet_sk(sk);
	struct inet_sock *newinet = inet_sk(newsk);

	newsk->sk_type = sk->sk_type;
	newsk->sk_protocol = sk->sk_protocol;
	newsk->sk_userlocks = sk->sk_userlocks & ~SOCK_BINDPORT_LOCK;
	newsk->sk_flags = sk->sk_flags & ~(1ul << SOCK_ZAPPED);
	newsk->sk_rcvbuf = sk->sk_rcvbuf;
	newsk->sk_sndbuf = sk->sk_sndbuf;
	newsk->sk_priority = sk->sk_priority;
	newsk->sk_mark = sk->sk_mark;
	newsk->sk_rcvlowat = sk->sk_rcvlowat;
	newsk->sk_rcvtimeo = sk->sk_rcvtimeo;
	newsk->sk_sndtimeo = sk->sk_sndtimeo;
	newsk->sk_lingertime = sk->sk_lingertime;
	newsk->sk_reuse = sk->sk_reuse;
	newsk->sk_reuseport = sk->sk_reuseport;
	newsk->sk_bound_dev_if = sk->sk_bound_dev_if;
	newinet->uc_ttl = inet->uc_ttl;
	newinet->tos = inet->tos;
	newinet->pmtudisc = inet->pmtudisc;
	newinet->recverr = inet->recverr;
	newinet->cmsg_flags = inet->cmsg_flags;
	newinet->freebind = inet->freebind;
	newinet->transparent = inet->transparent;
}

struct sock *inet_csk_clone_lock(const struct sock *sk, const struct request_sock *req)
{
	struct sock *newsk = sk_alloc(sock_net(sk), AF_INET, sk->sk_prot);

	if (!newsk)
		return NULL;
	sock_init_data(NULL, newsk);
	sock_reset_flag(newsk, SOCK_ZAPPED);
	if (newsk->sk_prot->init && newsk->sk_prot->init(newsk)) {
		sk_free(newsk);
		return NULL;
	}
	inet_csk_inherit(newsk, sk);
	newsk->sk_state = TCP_SYN_RECV;
	newsk->sk_daddr = req->rsk_daddr;
	newsk->sk_rcv_saddr = req->rsk_laddr;
	newsk->sk_dport = req->rsk_rmt_port;
	newsk->sk_num = req->rsk_num;
	inet_sk(newsk)->inet_sport = req->rsk_num;
	inet_sk(newsk)->inet_saddr = req->rsk_laddr;
	inet_sk(newsk)->inet_id = (u16)tn_prandom_u32(sock_net(sk)->stack);
	inet_csk(newsk)->icsk_retransmits = 0;
	inet_csk(newsk)->icsk_backoff = 0;
	inet_csk(newsk)->icsk_probes_out = 0;
	return newsk;
}

/* Linux's inet_csk_destroy_sock: a closed orphan goes away (tcp.c's
 * tcp_close counted it in orphan_count). */
void inet_csk_destroy_sock(struct sock *sk)
{
	inet_unhash(sk);
	if (sk->sk_prot->destroy)
		sk->sk_prot->destroy(sk);
	if (inet_csk(sk)->icsk_bind_hash)
		inet_put_port(sk);
	if (tcp_net(sk)->orphan_count)
		tcp_net(sk)->orphan_count--;
	sock_put(sk);
}
