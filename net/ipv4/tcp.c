/*
 * TCP's socket side (Linux's net/ipv4/tcp.c and the stream helpers of
 * net/core/stream.c): what the socket calls do to a TCP connection.
 *
 *   send    tcp_sendmsg copies the user's bytes into skbs of size_goal bytes
 *           (the MSS, or up to a GSO packet: tcp_xmit_size_goal) at the
 *           tail of sk_write_queue and pushes them to tcp_output.c;
 *   recv    tcp_recvmsg copies from sk_receive_queue (in order, filled by
 *           tcp_input.c) and opens the window again (tcp_cleanup_rbuf);
 *   close   RFC 9293 3.10.4: FIN (FIN_WAIT1 / LAST_ACK), or RST when unread
 *           data is thrown away or SO_LINGER is 0; the socket lives on as an
 *           orphan until the protocol is done with it;
 *   shutdown, connect(AF_UNSPEC) (tcp_disconnect), SOL_TCP options,
 *   TCP_INFO, SIOCINQ/SIOCOUTQ, and the poll mask, Linux's bit for bit.
 *
 * It is not the protocol engine: segments are built and sent by
 * tcp_output.c, received by tcp_input.c, timed by tcp_timer.c. Everything
 * here runs under the stack lock; blocking calls sleep on the socket's wait
 * queue with the lock released (sk_stream_wait_*), in virtual time too.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/sockios.h>

#include "net/skbuff.h"
#include "net/tcp.h"
#include "net/inet_hashtables.h"
#include "net/net_namespace.h"
#include "net/stack.h"
#include "net/dst.h"
#include "net/route.h"

#define TCP_PINGPONG 1

/* ---- sleeping --------------------------------------------------------- */

typedef bool (*tcp_wait_cond)(struct sock *sk, const void *arg);

static bool tcp_sock_gone(const struct sock *sk)
{
	return !sk->sk_socket || sock_file_closing(sk->sk_socket);
}

/*
 * Sleep until cond(sk, arg) holds or an error is pending (Linux's
 * sk_wait_event, with the caller's own idea of "done": a sender must not
 * wake for the peer's FIN). 0: look again; -EAGAIN: timeout (ns, updated);
 * -EBADF: the descriptor was closed by another thread (not when closing,
 * which is the lingering close itself); -EINTR: the stack is going away.
 */
static int sk_stream_wait(struct sock *sk, s64 *timeo, tcp_wait_cond cond, const void *arg,
			  bool closing, bool exclusive)
{
	struct tn_stack *st = sock_net(sk)->stack;
	struct wait_queue_head *wq = sk->sk_wq;
	struct tn_waiter w;
	u64 now = tn_now(st);
	int err = 0;

	if (cond(sk, arg) || sk->sk_err)
		return 0;
	if (*timeo == 0 || !wq)
		return -EAGAIN;
	tn_waiter_init(&w, st);
	w.deadline = *timeo < 0 || (u64)*timeo > UINT64_MAX - now ? UINT64_MAX : now + (u64)*timeo;
	if (exclusive)
		add_wait_queue_exclusive(wq, &w.wq);
	else
		add_wait_queue(wq, &w.wq);
	while (!cond(sk, arg) && !sk->sk_err) {
		if (!closing && tcp_sock_gone(sk)) {
			err = -EBADF;
			break;
		}
		err = tn_waiter_sleep(&w);
		w.woken = false;
		if (err) {
			err = err == -ETIMEDOUT ? -EAGAIN : err;
			break;
		}
	}
	remove_wait_queue(wq, &w.wq);
	tn_waiter_destroy(&w);
	if (*timeo > 0) {
		now = tn_now(st);
		*timeo = now >= w.deadline ? 0 : (s64)(w.deadline - now);
	}
	return err;
}

static bool tcp_connected_or_failed(struct sock *sk, const void *arg)
{
	(void)arg;
	return !(TCPF(sk->sk_state) & (TCPF(TCP_SYN_SENT) | TCPF(TCP_SYN_RECV)));
}

/* Linux's sk_stream_wait_connect: a send before the handshake completed. */
static int sk_stream_wait_connect(struct sock *sk, s64 *timeo)
{
	for (;;) {
		int err = sock_error(sk);

		if (err)
			return err;
		if (!(TCPF(sk->sk_state) & (TCPF(TCP_SYN_SENT) | TCPF(TCP_SYN_RECV))))
			return TCPF(sk->sk_state) & (TCPF(TCP_ESTABLISHED) | TCPF(TCP_CLOSE_WAIT))
				       ? 0 : -EPIPE;
		err = sk_stream_wait(sk, timeo, tcp_connected_or_failed, NULL, false, false);
		if (err)
			return err;
	}
}

static bool tcp_send_room(struct sock *sk, const void *arg)
{
	(void)arg;
	return sk_stream_memory_free(sk) || (sk->sk_shutdown & SEND_SHUTDOWN);
}

/* Linux's sk_stream_wait_memory: -EPIPE once the connection cannot send,
 * -EAGAIN when the timeout (or non-blocking) says not to wait. */
static int sk_stream_wait_memory(struct sock *sk, s64 *timeo)
{
	for (;;) {
		int err;

		if (sk->sk_err || (sk->sk_shutdown & SEND_SHUTDOWN))
			return -EPIPE;
		if (sk_stream_memory_free(sk))
			return 0;
		/* Linux sets SOCK_NOSPACE before waiting and before EAGAIN, so
		 * that the ACK freeing room expands the buffer and wakes us. */
		tcp_sk(sk)->write_nospace = 1;
		err = sk_stream_wait(sk, timeo, tcp_send_room, NULL, false, false);
		if (err)
			return err;
	}
}

static bool tcp_closing_done(struct sock *sk, const void *arg)
{
	(void)arg;
	return !(TCPF(sk->sk_state) &
		 (TCPF(TCP_FIN_WAIT1) | TCPF(TCP_CLOSING) | TCPF(TCP_LAST_ACK)));
}

/* SO_LINGER with a time: close blocks until our FIN is ACKed or it runs out. */
static void sk_stream_wait_close(struct sock *sk, s64 timeout)
{
	while (timeout > 0 && !tcp_closing_done(sk, NULL))
		if (sk_stream_wait(sk, &timeout, tcp_closing_done, NULL, true, false))
			break;
}

/* Readers wait until rcv_nxt moves past what they have seen, or EOF/error. */
static bool tcp_data_beyond(struct sock *sk, const void *arg)
{
	const u32 *seen = arg;

	return tcp_sk(sk)->rcv_nxt != *seen || (sk->sk_shutdown & RCV_SHUTDOWN) ||
	       sock_flag(sk, SOCK_DONE) || sk->sk_state == TCP_CLOSE;
}

void sk_stream_write_space(struct sock *sk)
{
	struct wait_queue_head *wq = sk->sk_wq;

	if (!sk_stream_is_writeable(sk) || !sk->sk_socket)
		return;
	tcp_sk(sk)->write_nospace = 0;
	if (wq && waitqueue_active(wq))
		__wake_up(wq, 1, 1, (void *)(uintptr_t)(POLLOUT | POLLWRNORM | POLLWRBAND));
}

/* ---- set-up and state ------------------------------------------------ */

void tcp_init_sock(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcp_net *tn = tcp_net(sk);

	skb_queue_head_init(&tp->out_of_order_queue);
	tcp_init_xmit_timers(sk);
	icsk->icsk_rto = TCP_TIMEOUT_INIT;
	icsk->icsk_rto_min = TCP_RTO_MIN;
	tp->mdev_us = TCP_TIMEOUT_INIT * 1000;   /* jiffies_to_usecs */
	tp->min_rtt_us = ~0u;
	/* RFC 6928 initial window; slow start until the first loss. */
	tp->snd_cwnd = TCP_INIT_CWND;
	tp->snd_ssthresh = TCP_INFINITE_SSTHRESH;
	tp->snd_cwnd_clamp = ~0u;
	tp->mss_cache = TCP_MSS_DEFAULT;
	tp->reordering = (u32)tn->sysctl_tcp_reordering;
	tp->rack.reo_wnd_steps = 1;          /* RACK: reo_wnd = min_rtt / 4 */
	tcp_assign_congestion_control(sk);   /* net.ipv4.tcp_congestion_control */
	sk->sk_state = TCP_CLOSE;
	sk->sk_write_space = sk_stream_write_space;
	sock_set_flag(sk, SOCK_USE_WRITE_QUEUE);
	sk->sk_sndbuf = tn->sysctl_tcp_wmem[1];
	sk->sk_rcvbuf = tn->sysctl_tcp_rmem[1];
}

/*
 * Every state change goes through here so that the MIB stays right:
 * CurrEstab is the number of ESTABLISHED connections, EstabResets counts
 * ESTABLISHED or CLOSE_WAIT going straight to CLOSED (RFC 1213), and a
 * closed socket leaves the lookup tables and gives its port back.
 */
void tcp_set_state(struct sock *sk, int state)
{
	struct net *net = sock_net(sk);
	int oldstate = sk->sk_state;

	switch (state) {
	case TCP_ESTABLISHED:
		if (oldstate != TCP_ESTABLISHED)
			__TCP_INC_STATS(net, TCP_MIB_CURRESTAB);
		break;
	case TCP_CLOSE:
		if (oldstate == TCP_CLOSE_WAIT || oldstate == TCP_ESTABLISHED)
			__TCP_INC_STATS(net, TCP_MIB_ESTABRESETS);
		if (sk->sk_prot->unhash)
			sk->sk_prot->unhash(sk);
		if (inet_csk(sk)->icsk_bind_hash && !(sk->sk_userlocks & SOCK_BINDPORT_LOCK))
			inet_put_port(sk);
		/* fall through */
	default:
		if (oldstate == TCP_ESTABLISHED)
			net->mib.tcp[TCP_MIB_CURRESTAB]--;
	}
	sk->sk_state = (u8)state;
}

/* The connection is over (reset, timeout, last ACK): wake the owner, or
 * free an orphan. */
void tcp_done(struct sock *sk)
{
	if (sk->sk_state == TCP_SYN_SENT || sk->sk_state == TCP_SYN_RECV)
		__TCP_INC_STATS(sock_net(sk), TCP_MIB_ATTEMPTFAILS);
	tcp_set_state(sk, TCP_CLOSE);
	tcp_clear_xmit_timers(sk);
	sk->sk_shutdown = SHUTDOWN_MASK;
	if (!sock_flag(sk, SOCK_DEAD))
		sk->sk_state_change(sk);
	else
		inet_csk_destroy_sock(sk);
}

void tcp_write_queue_purge(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb;

	while ((skb = __skb_dequeue(&sk->sk_write_queue)) != NULL)
		tcp_wmem_free_skb(sk, skb);
	tp->send_head = NULL;
	tp->packets_out = 0;
	tp->sacked_out = 0;
	tp->lost_out = 0;
	tp->retrans_out = 0;
	inet_csk(sk)->icsk_backoff = 0;
}

/* ---- send ------------------------------------------------------------- */

static bool forced_push(const struct tcp_sock *tp)
{
	return after(tp->write_seq, tp->pushed_seq + (tp->max_window >> 1));
}

static void tcp_mark_push(struct tcp_sock *tp, struct sk_buff *skb)
{
	TCP_SKB_CB(skb)->tcp_flags |= TCPHDR_PSH;
	tp->pushed_seq = tp->write_seq;
}

void tcp_push(struct sock *sk, int flags, unsigned int mss_now, int nonagle)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb = skb_peek_tail(&sk->sk_write_queue);

	if (!skb || !tcp_send_head(sk))
		return;
	if (!(flags & MSG_MORE) || forced_push(tp))
		tcp_mark_push(tp, skb);
	/* MSG_MORE corks this one call (RFC 9293 3.7.4's "more to come"). */
	if (flags & MSG_MORE)
		nonagle = TCP_NAGLE_CORK;
	__tcp_push_pending_frames(sk, mss_now, nonagle);
}

/* A new segment at the tail of the write queue (Linux's tcp_skb_entail). */
static struct sk_buff *tcp_stream_alloc_skb(struct sock *sk, unsigned int size_goal)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb = alloc_skb(sock_net(sk)->stack, MAX_TCP_HEADER + size_goal);
	struct tcp_skb_cb *tcb;

	if (!skb)
		return NULL;
	skb_reserve(skb, MAX_TCP_HEADER);
	tcb = TCP_SKB_CB(skb);
	memset(tcb, 0, sizeof(*tcb));
	tcb->seq = tcb->end_seq = tp->write_seq;
	tcb->tcp_flags = TCPHDR_ACK;
	__skb_queue_tail(&sk->sk_write_queue, skb);
	sk->sk_wmem_queued += (int)skb->truesize;
	if (!tp->send_head)
		tp->send_head = skb;
	return skb;
}

/* The unsent tail, if more can be appended to it (and room is left in its
 * buffer). */
static struct sk_buff *tcp_append_target(struct sock *sk, unsigned int size_goal,
					  unsigned int mss_now, size_t left)
{
	struct sk_buff *skb = skb_peek_tail(&sk->sk_write_queue);
	size_t want;

	if (!skb || !tcp_send_head(sk) || TCP_SKB_CB(skb)->eor ||
	    (TCP_SKB_CB(skb)->tcp_flags & (TCPHDR_FIN | TCPHDR_SYN)))
		return NULL;
	if (skb->len >= size_goal)
		return NULL;
	/* A partial last segment whose buffer cannot complete it grows, as
	 * Linux's skb takes another frag; a full one starts a new skb. */
	if (skb->len % mss_now && skb_tailroom(skb) < mss_now - skb->len % mss_now) {
		want = TN_MIN((size_t)size_goal, skb->len + TN_MAX(left, (size_t)mss_now));
		if (tcp_skb_grow(sk, skb, (unsigned int)want))
			return NULL;
	}
	if (!skb_tailroom(skb) || (!(skb->len % mss_now) && skb_tailroom(skb) < mss_now &&
				   left > (size_t)skb_tailroom(skb)))
		return NULL;
	return skb;
}

/* Copy up to `left` bytes at msg offset `pos` into skb; the count copied. */
static int tcp_copy_to_skb(struct sock *sk, struct sk_buff *skb, const struct msghdr *msg,
			   size_t pos, size_t left, unsigned int size_goal, unsigned int mss_now)
{
	struct tcp_sock *tp = tcp_sk(sk);
	size_t copy = TN_MIN((size_t)(size_goal - skb->len), left);
	size_t room = (size_t)skb_tailroom(skb);
	ssize_t n;

	if (copy > room) {
		/* The buffer ends first: stop at a segment boundary, so that
		 * the next skb starts one. */
		size_t end = (skb->len + room) / mss_now * mss_now;

		copy = end > skb->len ? end - skb->len : room;
	}
	n = memcpy_from_msg(skb_tail_pointer(skb), msg, pos, copy);
	if (n < 0)
		return (int)n;
	skb_put(skb, (unsigned int)n);
	TCP_SKB_CB(skb)->end_seq += (u32)n;
	tp->write_seq += (u32)n;
	return (int)n;
}

static int sk_stream_error(struct sock *sk, int err)
{
	/* A reset connection says why once (ECONNRESET), then EPIPE; the
	 * socket layer raises SIGPIPE for EPIPE unless MSG_NOSIGNAL. */
	if (err == -EPIPE) {
		int soft = sock_error(sk);
		err = soft ? soft : -EPIPE;
	}
	return err;
}

/*
 * send(): RFC 9293 3.10.2 SEND. Waits for the handshake, then fills
 * mss-sized segments, sleeping for send buffer room (SO_SNDTIMEO,
 * MSG_DONTWAIT), and pushes. Returns what was queued, or the error if
 * nothing was.
 */
int tcp_sendmsg(struct sock *sk, const struct msghdr *msg, size_t size, int flags)
{
	struct tcp_sock *tp = tcp_sk(sk);
	s64 timeo = sock_sndtimeo(sk, flags & MSG_DONTWAIT);
	unsigned int mss_now = 0, size_goal = 0;
	size_t copied = 0;
	int err = 0;

	if (TCPF(sk->sk_state) & ~(TCPF(TCP_ESTABLISHED) | TCPF(TCP_CLOSE_WAIT))) {
		err = sk_stream_wait_connect(sk, &timeo);
		if (err)
			goto do_error;
	}
	mss_now = tcp_current_mss(sk);
	size_goal = tcp_xmit_size_goal(sk, mss_now);
	err = -EPIPE;
	if (sk->sk_err || (sk->sk_shutdown & SEND_SHUTDOWN))
		goto do_error;
	while (copied < size) {
		struct sk_buff *skb = tcp_append_target(sk, size_goal, mss_now, size - copied);
		int n;

		if (!skb) {
			if (!sk_stream_memory_free(sk))
				goto wait_for_space;
			/* Linear buffers only: as large as this call needs,
			 * so a small write does not hold a GSO-sized one. */
			skb = tcp_stream_alloc_skb(
				sk, (unsigned int)TN_MIN((size_t)size_goal,
							 TN_MAX((size_t)mss_now, size - copied)));
			if (!skb)
				goto wait_for_space;
		}
		n = tcp_copy_to_skb(sk, skb, msg, copied, size - copied, size_goal, mss_now);
		if (n <= 0) {
			err = n < 0 ? n : -EFAULT;
			goto do_error;
		}
		copied += (size_t)n;
		if (copied == size) {
			TCP_SKB_CB(skb)->eor = !!(flags & MSG_EOR);
			break;
		}
		if (skb->len < size_goal)
			continue;
		/* A full segment goes now; Nagle never holds one back. */
		if (forced_push(tp))
			tcp_mark_push(tp, skb);
		__tcp_push_pending_frames(sk, mss_now, TCP_NAGLE_PUSH);
		continue;
wait_for_space:
		if (copied)
			tcp_push(sk, flags & ~MSG_MORE, mss_now, TCP_NAGLE_PUSH);
		err = sk_stream_wait_memory(sk, &timeo);
		if (err)
			goto do_error;
		mss_now = tcp_current_mss(sk);
		size_goal = tcp_xmit_size_goal(sk, mss_now);
	}
	if (copied)
		tcp_push(sk, flags, mss_now, tp->nonagle);
	return (int)copied;

do_error:
	if (copied) {
		tcp_push(sk, flags, mss_now, tp->nonagle);
		return (int)copied;
	}
	return sk_stream_error(sk, err);
}

/* ---- receive ---------------------------------------------------------- */

int tcp_inq(const struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	int answ;

	if (TCPF(sk->sk_state) & (TCPF(TCP_SYN_SENT) | TCPF(TCP_SYN_RECV)))
		return 0;
	answ = (int)(tp->rcv_nxt - tp->copied_seq);
	/* The FIN occupies a sequence number but is no byte to read. */
	if (answ && sock_flag(sk, SOCK_DONE))
		answ--;
	return answ;
}

/*
 * After the reader took data: ACK now if the delayed ACK is overdue (more
 * than one full segment unacknowledged) or the window can grow to at least
 * twice what was last advertised (RFC 9293 3.8.6.2.2, receiver SWS
 * avoidance: announce only significant openings).
 */
void tcp_cleanup_rbuf(struct sock *sk, int copied)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	bool time_to_ack = false;

	if (inet_csk_ack_scheduled(sk)) {
		if (tp->rcv_nxt - tp->rcv_wup > icsk->icsk_ack.rcv_mss ||
		    (copied > 0 &&
		     ((icsk->icsk_ack.pending & ICSK_ACK_PUSHED2) ||
		      ((icsk->icsk_ack.pending & ICSK_ACK_PUSHED) && !inet_csk_in_pingpong_mode(sk))) &&
		     !sk->sk_rmem_alloc))
			time_to_ack = true;
	}
	if (copied > 0 && !time_to_ack && !(sk->sk_shutdown & RCV_SHUTDOWN)) {
		u32 rcv_window_now = tcp_receive_window(tp);

		if (2 * rcv_window_now <= tp->window_clamp) {
			u32 new_window = __tcp_select_window(sk);

			if (new_window && new_window >= 2 * rcv_window_now)
				time_to_ack = true;
		}
	}
	if (time_to_ack)
		tcp_send_ack(sk);
}

static void tcp_eat_recv_skb(struct sock *sk, struct sk_buff *skb)
{
	__skb_unlink(skb, &sk->sk_receive_queue);
	consume_skb(skb);
}

/* Where *seq falls in the receive queue: the skb and offset of the next
 * byte, or the FIN skb (*fin), or NULL. */
static struct sk_buff *tcp_recv_skb(struct sock *sk, u32 seq, u32 *off, bool *fin)
{
	struct sk_buff *skb;

	*fin = false;
	for (skb = skb_peek(&sk->sk_receive_queue); skb; ) {
		u32 offset = seq - TCP_SKB_CB(skb)->seq;

		if (TCP_SKB_CB(skb)->tcp_flags & TCPHDR_SYN)
			offset--;
		if (offset < skb->len) {
			*off = offset;
			return skb;
		}
		if (TCP_SKB_CB(skb)->tcp_flags & TCPHDR_FIN) {
			*fin = true;
			return skb;
		}
		skb = skb->next == (struct sk_buff *)&sk->sk_receive_queue ? NULL : skb->next;
	}
	return NULL;
}

/* Why the reader stops when nothing is queued (Linux's order of checks);
 * 0 to wait, 1 to return what was copied, < 0 an error to return. */
static int tcp_recv_nothing(struct sock *sk, size_t copied, s64 timeo)
{
	if (copied)
		return (!timeo || sk->sk_err || sk->sk_state == TCP_CLOSE ||
			(sk->sk_shutdown & RCV_SHUTDOWN)) ? 1 : 0;
	if (sock_flag(sk, SOCK_DONE))
		return 1;
	if (sk->sk_err)
		return sock_error(sk);
	if (sk->sk_shutdown & RCV_SHUTDOWN)
		return 1;
	if (sk->sk_state == TCP_CLOSE)
		return -ENOTCONN;   /* never connected, or disconnected */
	if (!timeo)
		return -EAGAIN;
	return 0;
}

/* Copy `used` bytes of skb from offset to the reader at msg position pos. */
static int tcp_copy_out(struct msghdr *msg, size_t pos, const struct sk_buff *skb, u32 offset,
			size_t used, int flags)
{
	if (flags & MSG_TRUNC)
		return 0;
	if (memcpy_to_iovec(msg->msg_iov, msg->msg_iovlen, pos, skb->data + offset, used) < 0)
		return -EFAULT;
	return 0;
}

/*
 * recv(): RFC 9293 3.10.3 RECEIVE. Copies in sequence order from the
 * receive queue until len bytes, or the low-water mark (SO_RCVLOWAT,
 * MSG_WAITALL: all of len) is reached and nothing more is queued. 0 at EOF
 * (the peer's FIN consumed), -ECONNRESET once after a reset, -ENOTCONN
 * before a connection, -EAGAIN for a reader that may not wait.
 */
int tcp_recvmsg(struct sock *sk, struct msghdr *msg, size_t len, int flags, int *addr_len)
{
	struct tcp_sock *tp = tcp_sk(sk);
	s64 timeo = sock_rcvtimeo(sk, flags & MSG_DONTWAIT);
	u32 peek_seq = tp->copied_seq, *seq = (flags & MSG_PEEK) ? &peek_seq : &tp->copied_seq;
	size_t copied = 0, target;
	int err = 0;

	(void)addr_len;
	if (flags & MSG_ERRQUEUE)
		return ip_recv_error(sk, msg, len);
	if (sk->sk_state == TCP_LISTEN)
		return -ENOTCONN;
	if (flags & MSG_OOB)
		return -EINVAL;   /* no urgent data is ever kept */
	target = (flags & MSG_WAITALL) ? len : TN_MIN((size_t)TN_MAX(sk->sk_rcvlowat, 1), len);
	while (len > 0) {
		u32 offset = 0, seen;
		bool fin;
		struct sk_buff *skb = tcp_recv_skb(sk, *seq, &offset, &fin);

		if (skb && fin) {
			/* The FIN: consumed, and the reader stops there
			 * (RFC 9293 3.10.7.4, eighth step). */
			++*seq;
			if (!(flags & MSG_PEEK))
				tcp_eat_recv_skb(sk, skb);
			break;
		}
		if (skb) {
			size_t used = TN_MIN((size_t)(skb->len - offset), len);

			err = tcp_copy_out(msg, copied, skb, offset, used, flags);
			if (err)
				break;
			*seq += (u32)used;
			copied += used;
			len -= used;
			if (!(flags & MSG_PEEK))
				tcp_rcv_space_adjust(sk);
			if (used + offset >= skb->len && !(flags & MSG_PEEK) &&
			    !(TCP_SKB_CB(skb)->tcp_flags & TCPHDR_FIN))
				tcp_eat_recv_skb(sk, skb);
			continue;
		}
		if (copied >= target)
			break;
		err = tcp_recv_nothing(sk, copied, timeo);
		if (err)
			break;
		tcp_cleanup_rbuf(sk, (int)copied);
		seen = tp->rcv_nxt;
		err = sk_stream_wait(sk, &timeo, tcp_data_beyond, &seen, false, true);
		if (err && err != -EAGAIN)
			break;
		err = 0;
	}
	if (!(flags & MSG_PEEK))
		tcp_cleanup_rbuf(sk, (int)copied);
	if (copied)
		return (int)copied;
	return err < 0 ? err : 0;
}

/* ---- close, shutdown, disconnect ---------------------------------------- */

#define TCP_ACTION_FIN (1 << TCP_CLOSE)
/* RFC 9293 3.10.4 CLOSE: the state to enter, and whether to send a FIN. */
static const u8 new_state[TCP_MAX_STATES] = {
	[0] = TCP_CLOSE,
	[TCP_ESTABLISHED] = TCP_FIN_WAIT1 | TCP_ACTION_FIN,
	[TCP_SYN_SENT] = TCP_CLOSE,
	[TCP_SYN_RECV] = TCP_FIN_WAIT1 | TCP_ACTION_FIN,
	[TCP_FIN_WAIT1] = TCP_FIN_WAIT1,
	[TCP_FIN_WAIT2] = TCP_FIN_WAIT2,
	[TCP_TIME_WAIT] = TCP_CLOSE,
	[TCP_CLOSE] = TCP_CLOSE,
	[TCP_CLOSE_WAIT] = TCP_LAST_ACK | TCP_ACTION_FIN,
	[TCP_LAST_ACK] = TCP_LAST_ACK,
	[TCP_LISTEN] = TCP_CLOSE,
	[TCP_CLOSING] = TCP_CLOSING,
	[TCP_NEW_SYN_RECV] = TCP_CLOSE,
};

static bool tcp_close_state(struct sock *sk)
{
	int next = new_state[sk->sk_state];
	int ns = next & 0x0f;

	tcp_set_state(sk, ns);
	return next & TCP_ACTION_FIN;
}

void tcp_shutdown(struct sock *sk, int how)
{
	/* SHUT_RD only stops the reader (the socket layer set RCV_SHUTDOWN);
	 * SHUT_WR sends our FIN once what is queued has gone. */
	if (!(how & SEND_SHUTDOWN))
		return;
	if (TCPF(sk->sk_state) & (TCPF(TCP_ESTABLISHED) | TCPF(TCP_SYN_SENT) |
				   TCPF(TCP_SYN_RECV) | TCPF(TCP_CLOSE_WAIT)))
		if (tcp_close_state(sk))
			tcp_send_fin(sk);
}

/* Throw away what the reader never took; its length in bytes. What counts
 * is the data beyond copied_seq, not each skb's length: a FIN that came
 * with a retransmission of data already read sits in an skb whose bytes
 * were all read, and closing then must send a FIN, not a RST (Linux's
 * __tcp_close since 6.9, its selftest tcp_close_no_rst). */
static u32 tcp_purge_unread(struct sock *sk)
{
	u32 copied = tcp_sk(sk)->copied_seq;
	struct sk_buff *skb;
	u32 unread = 0;

	while ((skb = __skb_dequeue(&sk->sk_receive_queue)) != NULL) {
		u32 end_seq = TCP_SKB_CB(skb)->end_seq;

		if (TCP_SKB_CB(skb)->tcp_flags & TCPHDR_FIN)
			end_seq--;
		if (after(end_seq, copied)) {
			u32 from = after(TCP_SKB_CB(skb)->seq, copied) ? TCP_SKB_CB(skb)->seq : copied;

			unread += end_seq - from;
			copied = end_seq;
		}
		consume_skb(skb);
	}
	return unread;
}

/* RFC 9293 3.10.4 on the user's side: RST when data is lost, else FIN. */
static void tcp_close_begin(struct sock *sk)
{
	struct net *net = sock_net(sk);
	u32 unread = tcp_purge_unread(sk);

	if (sk->sk_state == TCP_CLOSE)
		return;   /* already reset */
	if (unread) {
		/* RFC 2525 2.17: unread data must not vanish silently. */
		__NET_INC_STATS(net, LINUX_MIB_TCPABORTONCLOSE);
		tcp_set_state(sk, TCP_CLOSE);
		tcp_send_active_reset(sk);
	} else if (sock_flag(sk, SOCK_LINGER) && !sk->sk_lingertime) {
		/* SO_LINGER 0: abort (Linux counts it as TCPAbortOnData). */
		sk->sk_prot->disconnect(sk, 0);
		__NET_INC_STATS(net, LINUX_MIB_TCPABORTONDATA);
	} else if (tcp_close_state(sk)) {
		tcp_send_fin(sk);
	}
}

/* The orphan waits for the peer's FIN in FIN_WAIT2: a timewait sock does it
 * cheaper, or TCP_LINGER2 < 0 aborts at once. */
static bool tcp_close_fin_wait2(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	int tmo;

	if (tp->linger2 < 0) {
		tcp_set_state(sk, TCP_CLOSE);
		tcp_send_active_reset(sk);
		__NET_INC_STATS(sock_net(sk), LINUX_MIB_TCPABORTONLINGER);
		return false;
	}
	tmo = tcp_fin_time(sk);
	if (tmo > TCP_TIMEWAIT_LEN) {
		inet_csk_reset_keepalive_timer(sk, (u32)(tmo - TCP_TIMEWAIT_LEN));
		return false;
	}
	tcp_time_wait(sk, TCP_FIN_WAIT2, tmo);
	return true;
}

void tcp_close(struct sock *sk, s64 timeout)
{
	sk->sk_shutdown = SHUTDOWN_MASK;
	if (sk->sk_state == TCP_LISTEN) {
		tcp_set_state(sk, TCP_CLOSE);
		inet_csk_listen_stop(sk);
	} else {
		tcp_close_begin(sk);
		sk_stream_wait_close(sk, timeout);
	}
	sock_hold(sk);
	sock_orphan(sk);
	tcp_net(sk)->orphan_count++;
	/* Now an orphan: the protocol finishes the connection and frees it
	 * (a reset while we lingered left it in CLOSE). */
	if (sk->sk_state == TCP_FIN_WAIT2 && tcp_close_fin_wait2(sk))
		goto out;
	if (sk->sk_state == TCP_CLOSE)
		inet_csk_destroy_sock(sk);
out:
	sock_put(sk);
}

static bool tcp_need_reset(int state)
{
	return TCPF(state) & (TCPF(TCP_ESTABLISHED) | TCPF(TCP_CLOSE_WAIT) | TCPF(TCP_FIN_WAIT1) |
			      TCPF(TCP_FIN_WAIT2) | TCPF(TCP_SYN_RECV));
}

/* Forget the connection's sequence, timing and congestion state. */
static void tcp_disconnect_reset_state(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	u32 seq = tp->write_seq + tp->max_window + 2;

	tp->write_seq = seq ? seq : 1;
	tp->srtt_us = 0;
	tp->mdev_us = TCP_TIMEOUT_INIT * 1000;
	icsk->icsk_backoff = 0;
	icsk->icsk_probes_out = 0;
	icsk->icsk_retransmits = 0;
	icsk->icsk_rto = TCP_TIMEOUT_INIT;
	icsk->icsk_rto_min = TCP_RTO_MIN;
	tp->snd_ssthresh = TCP_INFINITE_SSTHRESH;
	tp->snd_cwnd = TCP_INIT_CWND;
	tp->snd_cwnd_cnt = 0;
	tp->window_clamp = 0;
	tp->delivered = 0;
	tp->total_retrans = 0;
	if (icsk->icsk_ca_ops && icsk->icsk_ca_ops->release)
		icsk->icsk_ca_ops->release(sk);
	memset(icsk->icsk_ca_priv, 0, sizeof(icsk->icsk_ca_priv));
	tcp_set_ca_state(sk, TCP_CA_Open);
	tp->is_sack_reneg = 0;
	inet_csk_delack_init(sk);
	icsk->icsk_ack.rcv_mss = TCP_MIN_MSS;
	memset(&tp->rx_opt, 0, sizeof(tp->rx_opt));
	tp->segs_in = tp->segs_out = tp->data_segs_in = tp->data_segs_out = 0;
	tp->bytes_sent = tp->bytes_acked = tp->bytes_received = tp->bytes_retrans = 0;
	tp->dsack_dups = tp->rcv_ooopack = 0;
	memset(&tp->rack, 0, sizeof(tp->rack));
	tp->rack.reo_wnd_steps = 1;
	tp->reord_seen = tp->lost = tp->tlp_high_seq = 0;
	tp->min_rtt_us = ~0u;
}

/* connect(AF_UNSPEC) and SO_LINGER 0: the ABORT call of RFC 9293 3.10.5. */
int tcp_disconnect(struct sock *sk, int flags)
{
	struct tcp_sock *tp = tcp_sk(sk);
	int old_state = sk->sk_state;

	(void)flags;
	if (old_state != TCP_CLOSE)
		tcp_set_state(sk, TCP_CLOSE);
	if (old_state == TCP_LISTEN) {
		inet_csk_listen_stop(sk);
	} else if (tcp_need_reset(old_state) ||
		   (tp->snd_nxt != tp->write_seq &&
		    (TCPF(old_state) & (TCPF(TCP_CLOSING) | TCPF(TCP_LAST_ACK))))) {
		tcp_send_active_reset(sk);
		sk->sk_err = ECONNRESET;
	} else if (old_state == TCP_SYN_SENT) {
		sk->sk_err = ECONNRESET;
	}
	tcp_clear_xmit_timers(sk);
	skb_queue_purge(&sk->sk_receive_queue);
	tp->copied_seq = tp->rcv_nxt;
	tcp_write_queue_purge(sk);
	skb_queue_purge(&tp->out_of_order_queue);
	sk->sk_dport = 0;
	if (!(sk->sk_userlocks & SOCK_BINDADDR_LOCK)) {
		sk->sk_rcv_saddr = 0;
		inet_sk(sk)->inet_saddr = 0;
	}
	sk->sk_shutdown = 0;
	sock_reset_flag(sk, SOCK_DONE);
	tcp_disconnect_reset_state(sk);
	sk_dst_reset(sk);
	sk->sk_error_report(sk);
	return 0;
}

/* ---- keepalive -------------------------------------------------------- */

u32 keepalive_time_when(const struct tcp_sock *tp)
{
	const struct sock *sk = (const struct sock *)tp;

	return tp->keepalive_time ? tp->keepalive_time
				  : (u32)tcp_net(sk)->sysctl_tcp_keepalive_time;
}

u32 keepalive_intvl_when(const struct tcp_sock *tp)
{
	const struct sock *sk = (const struct sock *)tp;

	return tp->keepalive_intvl ? tp->keepalive_intvl
				   : (u32)tcp_net(sk)->sysctl_tcp_keepalive_intvl;
}

int keepalive_probes(const struct tcp_sock *tp)
{
	const struct sock *sk = (const struct sock *)tp;

	return tp->keepalive_probes ? tp->keepalive_probes
				    : tcp_net(sk)->sysctl_tcp_keepalive_probes;
}

/* SO_KEEPALIVE on a connection: RFC 1122 4.2.3.6 probes after idle time.
 * The socket layer sets SOCK_KEEPOPEN after this call. */
void tcp_set_keepalive(struct sock *sk, int val)
{
	if (TCPF(sk->sk_state) & (TCPF(TCP_CLOSE) | TCPF(TCP_LISTEN)))
		return;
	if (val && !sock_flag(sk, SOCK_KEEPOPEN))
		inet_csk_reset_keepalive_timer(sk, keepalive_time_when(tcp_sk(sk)));
	else if (!val)
		inet_csk_delete_keepalive_timer(sk);
}

/* TCP_KEEPIDLE changed on a live connection: re-arm from the last activity. */
static void tcp_keepidle_rearm(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	u32 now = (u32)jiffies(sock_net(sk)->stack);
	u32 last = TN_MAX(inet_csk(sk)->icsk_ack.lrcvtime, tp->rcv_tstamp);
	u32 elapsed = now - last, when = keepalive_time_when(tp);

	if (!sock_flag(sk, SOCK_KEEPOPEN) ||
	    (TCPF(sk->sk_state) & (TCPF(TCP_CLOSE) | TCPF(TCP_LISTEN))))
		return;
	inet_csk_reset_keepalive_timer(sk, when > elapsed ? when - elapsed : 0);
}

/* ---- options -------------------------------------------------------- */

/* Seconds to SYN-ACK retransmissions, as Linux stores TCP_DEFER_ACCEPT. */
static u8 secs_to_retrans(int seconds, int timeout, int rto_max)
{
	u8 res = 0;

	if (seconds > 0) {
		int period = timeout;

		res = 1;
		while (seconds > period && res < 255) {
			res++;
			timeout <<= 1;
			if (timeout > rto_max)
				timeout = rto_max;
			period += timeout;
		}
	}
	return res;
}

static int retrans_to_secs(u8 retrans, int timeout, int rto_max)
{
	int period = 0;

	if (retrans > 0) {
		period = timeout;
		while (--retrans) {
			timeout <<= 1;
			if (timeout > rto_max)
				timeout = rto_max;
			period += timeout;
		}
	}
	return period;
}

static void tcp_set_nodelay(struct sock *sk, int on)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (on) {
		tp->nonagle |= TCP_NAGLE_OFF | TCP_NAGLE_PUSH;
		if (tcp_send_head(sk))
			__tcp_push_pending_frames(sk, tcp_current_mss(sk), tp->nonagle);
	} else {
		tp->nonagle &= (u8)~TCP_NAGLE_OFF;
	}
}

static void tcp_set_cork(struct sock *sk, int on)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (on) {
		tp->nonagle |= TCP_NAGLE_CORK;
		return;
	}
	/* Uncorking sends the partial segment at once (tcp(7)). */
	tp->nonagle &= (u8)~TCP_NAGLE_CORK;
	if (tp->nonagle & TCP_NAGLE_OFF)
		tp->nonagle |= TCP_NAGLE_PUSH;
	if (tcp_send_head(sk))
		__tcp_push_pending_frames(sk, tcp_current_mss(sk), tp->nonagle | TCP_NAGLE_PUSH);
}

static void tcp_set_quickack(struct sock *sk, int val)
{
	struct inet_connection_sock *icsk = inet_csk(sk);

	if (!val) {
		icsk->icsk_ack.pingpong = TCP_PINGPONG;
		return;
	}
	inet_csk_exit_pingpong_mode(sk);
	if ((TCPF(sk->sk_state) & (TCPF(TCP_ESTABLISHED) | TCPF(TCP_CLOSE_WAIT))) &&
	    inet_csk_ack_scheduled(sk)) {
		icsk->icsk_ack.pending |= ICSK_ACK_PUSHED;
		tcp_cleanup_rbuf(sk, 1);
		if (!(val & 1))
			icsk->icsk_ack.pingpong = TCP_PINGPONG;
	}
}

static int tcp_set_window_clamp(struct sock *sk, int val)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (!val) {
		if (sk->sk_state != TCP_CLOSE)
			return -EINVAL;
		tp->window_clamp = 0;
		return 0;
	}
	tp->window_clamp = val < SOCK_MIN_RCVBUF / 2 ? SOCK_MIN_RCVBUF / 2 : (u32)val;
	tp->rcv_ssthresh = TN_MIN(tp->rcv_wnd, tp->window_clamp);
	return 0;
}

static int tcp_set_congestion(struct sock *sk, const void *optval, socklen_t optlen)
{
	char name[TCP_CA_NAME_MAX];
	size_t n = TN_MIN((size_t)optlen, sizeof(name) - 1);

	if ((int)optlen < 1)
		return -EINVAL;
	memcpy(name, optval, n);
	name[n] = '\0';
	return tcp_set_congestion_control(sk, name);
}

/* Integer-valued options (Linux's do_tcp_setsockopt). */
static int tcp_setsockopt_int(struct sock *sk, int optname, int val)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);

	switch (optname) {
	case TCP_MAXSEG:
		if (val && (val < TCP_MIN_MSS || val > (int)MAX_TCP_WINDOW))
			return -EINVAL;
		tp->rx_opt.user_mss = (u16)val;
		return 0;
	case TCP_NODELAY:
		tcp_set_nodelay(sk, val);
		return 0;
	case TCP_CORK:
		tcp_set_cork(sk, val);
		return 0;
	case TCP_KEEPIDLE:
		if (val < 1 || val > MAX_TCP_KEEPIDLE)
			return -EINVAL;
		tp->keepalive_time = (u32)val * HZ;
		tcp_keepidle_rearm(sk);
		return 0;
	case TCP_KEEPINTVL:
		if (val < 1 || val > MAX_TCP_KEEPINTVL)
			return -EINVAL;
		tp->keepalive_intvl = (u32)val * HZ;
		return 0;
	case TCP_KEEPCNT:
		if (val < 1 || val > MAX_TCP_KEEPCNT)
			return -EINVAL;
		tp->keepalive_probes = (u8)val;
		return 0;
	case TCP_SYNCNT:
		if (val < 1 || val > MAX_TCP_SYNCNT)
			return -EINVAL;
		icsk->icsk_syn_retries = (u8)val;
		return 0;
	case TCP_LINGER2:
		tp->linger2 = val < 0 ? -1 : val > TCP_FIN_TIMEOUT_MAX / HZ ? TCP_FIN_TIMEOUT_MAX
									: val * HZ;
		return 0;
	case TCP_DEFER_ACCEPT:
		icsk->icsk_accept_queue.rskq_defer_accept =
			secs_to_retrans(val, TCP_TIMEOUT_INIT / HZ, TCP_RTO_MAX / HZ);
		return 0;
	case TCP_WINDOW_CLAMP:
		return tcp_set_window_clamp(sk, val);
	case TCP_QUICKACK:
		tcp_set_quickack(sk, val);
		return 0;
	case TCP_USER_TIMEOUT:
		if (val < 0)
			return -EINVAL;
		icsk->icsk_user_timeout = (u32)val;
		return 0;
	case TCP_NOTSENT_LOWAT:
		tp->notsent_lowat = (u32)val;
		sk->sk_write_space(sk);
		return 0;
	}
	return -ENOPROTOOPT;
}

int tcp_setsockopt(struct sock *sk, int level, int optname, const void *optval,
		   socklen_t optlen)
{
	int val;

	if (level != SOL_TCP)
		return ip_setsockopt(sk, level, optname, optval, optlen);
	if (optname == TCP_CONGESTION)
		return tcp_set_congestion(sk, optval, optlen);
	if (optlen < sizeof(int))
		return -EINVAL;
	if (!optval)
		return -EFAULT;
	memcpy(&val, optval, sizeof(val));
	return tcp_setsockopt_int(sk, optname, val);
}

static int tcp_getsockopt_int(struct sock *sk, int optname, int *val)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcp_net *tn = tcp_net(sk);

	switch (optname) {
	case TCP_MAXSEG:
		*val = (int)tp->mss_cache;
		if (tp->rx_opt.user_mss && (TCPF(sk->sk_state) & (TCPF(TCP_CLOSE) | TCPF(TCP_LISTEN))))
			*val = tp->rx_opt.user_mss;
		return 0;
	case TCP_NODELAY:
		*val = !!(tp->nonagle & TCP_NAGLE_OFF);
		return 0;
	case TCP_CORK:
		*val = !!(tp->nonagle & TCP_NAGLE_CORK);
		return 0;
	case TCP_KEEPIDLE:
		*val = (int)(keepalive_time_when(tp) / HZ);
		return 0;
	case TCP_KEEPINTVL:
		*val = (int)(keepalive_intvl_when(tp) / HZ);
		return 0;
	case TCP_KEEPCNT:
		*val = keepalive_probes(tp);
		return 0;
	case TCP_SYNCNT:
		*val = icsk->icsk_syn_retries ? icsk->icsk_syn_retries : tn->sysctl_tcp_syn_retries;
		return 0;
	case TCP_LINGER2:
		*val = tp->linger2;
		if (*val >= 0)
			*val = (*val ? *val : tn->sysctl_tcp_fin_timeout) / HZ;
		return 0;
	case TCP_DEFER_ACCEPT:
		*val = retrans_to_secs(icsk->icsk_accept_queue.rskq_defer_accept,
				       TCP_TIMEOUT_INIT / HZ, TCP_RTO_MAX / HZ);
		return 0;
	case TCP_WINDOW_CLAMP:
		*val = (int)tp->window_clamp;
		return 0;
	case TCP_QUICKACK:
		*val = !inet_csk_in_pingpong_mode(sk);
		return 0;
	case TCP_USER_TIMEOUT:
		*val = (int)icsk->icsk_user_timeout;
		return 0;
	case TCP_NOTSENT_LOWAT:
		*val = (int)tp->notsent_lowat;
		return 0;
	}
	return -ENOPROTOOPT;
}

int tcp_getsockopt(struct sock *sk, int level, int optname, void *optval, socklen_t *optlen)
{
	int len, val;

	if (level != SOL_TCP)
		return ip_getsockopt(sk, level, optname, optval, optlen);
	if (!optlen)
		return -EFAULT;
	len = (int)*optlen;
	if (len < 0)
		return -EINVAL;
	if (optname == TCP_INFO) {
		struct tn_tcp_info info;

		tcp_get_info(sk, &info);
		len = TN_MIN(len, (int)sizeof(info));
		memcpy(optval, &info, (size_t)len);
		*optlen = (socklen_t)len;
		return 0;
	}
	if (optname == TCP_CONGESTION) {
		const char *name = inet_csk(sk)->icsk_ca_ops ? inet_csk(sk)->icsk_ca_ops->name : "";
		char buf[TCP_CA_NAME_MAX] = { 0 };

		strncpy(buf, name, sizeof(buf) - 1);
		len = TN_MIN(len, TCP_CA_NAME_MAX);
		memcpy(optval, buf, (size_t)len);
		*optlen = (socklen_t)len;
		return 0;
	}
	int err = tcp_getsockopt_int(sk, optname, &val);
	if (err)
		return err;
	len = TN_MIN(len, (int)sizeof(int));
	memcpy(optval, &val, (size_t)len);
	*optlen = (socklen_t)len;
	return 0;
}

/* ---- TCP_INFO ----------------------------------------------------------- */

static void tcp_get_info_options(const struct tcp_sock *tp, struct tn_tcp_info *info)
{
	if (tp->rx_opt.tstamp_ok)
		info->tcpi_options |= TCPI_OPT_TIMESTAMPS;
	if (tp->rx_opt.sack_ok)
		info->tcpi_options |= TCPI_OPT_SACK;
	if (tp->rx_opt.wscale_ok) {
		info->tcpi_options |= TCPI_OPT_WSCALE;
		info->tcpi_snd_wscale = tp->rx_opt.snd_wscale;
		info->tcpi_rcv_wscale = tp->rx_opt.rcv_wscale;
	}
	if (tp->ecn_flags & 1)
		info->tcpi_options |= TCPI_OPT_ECN;
}

static void tcp_get_info_times(struct sock *sk, struct tn_tcp_info *info)
{
	const struct inet_connection_sock *icsk = inet_csk(sk);
	const struct tcp_sock *tp = tcp_sk(sk);
	u32 now = (u32)jiffies(sock_net(sk)->stack);

	info->tcpi_rto = icsk->icsk_rto * 1000;
	info->tcpi_ato = icsk->icsk_ack.ato * 1000;
	info->tcpi_last_data_sent = now - tp->lsndtime;
	info->tcpi_last_data_recv = now - icsk->icsk_ack.lrcvtime;
	info->tcpi_last_ack_recv = now - tp->rcv_tstamp;
	info->tcpi_rtt = tp->srtt_us >> 3;
	info->tcpi_rttvar = tp->mdev_us >> 2;
	info->tcpi_rcv_rtt = tp->rcv_rtt_est.rtt_us >> 3;
	info->tcpi_min_rtt = tp->min_rtt_us;
}

static void tcp_get_info_counts(const struct tcp_sock *tp, struct tn_tcp_info *info)
{
	info->tcpi_unacked = tp->packets_out;
	info->tcpi_sacked = tp->sacked_out;
	info->tcpi_lost = tp->lost_out;
	info->tcpi_retrans = tp->retrans_out;
	info->tcpi_total_retrans = tp->total_retrans;
	info->tcpi_bytes_acked = tp->bytes_acked;
	info->tcpi_bytes_received = tp->bytes_received;
	info->tcpi_bytes_sent = tp->bytes_sent;
	info->tcpi_bytes_retrans = tp->bytes_retrans;
	info->tcpi_segs_out = tp->segs_out;
	info->tcpi_segs_in = tp->segs_in;
	info->tcpi_data_segs_in = tp->data_segs_in;
	info->tcpi_data_segs_out = tp->data_segs_out;
	info->tcpi_delivered = tp->delivered;
	info->tcpi_dsack_dups = tp->dsack_dups;
	info->tcpi_reord_seen = tp->reord_seen;
	info->tcpi_rcv_ooopack = tp->rcv_ooopack;
	info->tcpi_notsent_bytes = (s32)(tp->write_seq - tp->snd_nxt) > 0
					   ? tp->write_seq - tp->snd_nxt : 0;
}

/* Linux's tcp_get_info: what ss -i and TCP_INFO show. A listener reports
 * its accept queue in unacked (children waiting) and sacked (backlog). */
void tcp_get_info(struct sock *sk, struct tn_tcp_info *info)
{
	const struct inet_connection_sock *icsk = inet_csk(sk);
	const struct tcp_sock *tp = tcp_sk(sk);

	memset(info, 0, sizeof(*info));
	if (sk->sk_type != SOCK_STREAM && sk->sk_type != 0)
		return;
	info->tcpi_state = sk->sk_state;
	if (sk->sk_state == TCP_LISTEN) {
		info->tcpi_unacked = sk->sk_ack_backlog;
		info->tcpi_sacked = sk->sk_max_ack_backlog;
		return;
	}
	info->tcpi_ca_state = icsk->icsk_ca_state;
	info->tcpi_retransmits = icsk->icsk_retransmits;
	info->tcpi_probes = icsk->icsk_probes_out;
	info->tcpi_backoff = icsk->icsk_backoff;
	tcp_get_info_options(tp, info);
	tcp_get_info_times(sk, info);
	tcp_get_info_counts(tp, info);
	info->tcpi_snd_mss = tp->mss_cache;
	info->tcpi_rcv_mss = icsk->icsk_ack.rcv_mss;
	info->tcpi_pmtu = icsk->icsk_pmtu_cookie;
	info->tcpi_rcv_ssthresh = tp->rcv_ssthresh;
	info->tcpi_snd_ssthresh = tp->snd_ssthresh;
	info->tcpi_snd_cwnd = tp->snd_cwnd;
	info->tcpi_advmss = tp->advmss;
	info->tcpi_reordering = tp->reordering;
	info->tcpi_rcv_space = tp->rcvq_space.space;
	info->tcpi_snd_wnd = tp->snd_wnd;
	info->tcpi_rcv_wnd = tp->rcv_wnd;
}

/* ---- ioctl and poll ----------------------------------------------------- */

int tcp_ioctl(struct sock *sk, unsigned long cmd, int *karg)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	bool handshaking = TCPF(sk->sk_state) & (TCPF(TCP_SYN_SENT) | TCPF(TCP_SYN_RECV));

	switch (cmd) {
	case SIOCINQ:
		if (sk->sk_state == TCP_LISTEN)
			return -EINVAL;
		*karg = tcp_inq(sk);
		return 0;
	case SIOCATMARK:
		*karg = 0;   /* urgent data is never kept */
		return 0;
	case SIOCOUTQ:
		if (sk->sk_state == TCP_LISTEN)
			return -EINVAL;
		*karg = handshaking ? 0 : (int)(tp->write_seq - tp->snd_una);
		return 0;
	case SIOCOUTQNSD:
		if (sk->sk_state == TCP_LISTEN)
			return -EINVAL;
		*karg = handshaking ? 0 : (int)(tp->write_seq - tp->snd_nxt);
		return 0;
	}
	return -ENOTTY;
}

/* Data to read (Linux's tcp_epollin_ready): at least the low-water mark,
 * or whatever there is once the window we offer is almost closed. */
static bool tcp_stream_is_readable(const struct sock *sk, int target)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	int avail = (int)(tp->rcv_nxt - tp->copied_seq);

	if (avail <= 0)
		return false;
	return avail >= target || sk->sk_rmem_alloc > sk->sk_rcvbuf / 2 ||
	       tcp_receive_window(tp) <= inet_csk(sk)->icsk_ack.rcv_mss;
}

/*
 * The poll mask, Linux's tcp_poll bit for bit: a listener is readable when
 * a connection waits for accept(); a connecting socket shows nothing until
 * established or failed; HUP when both directions are shut or the socket is
 * closed, RDHUP (and IN: read returns 0) after the peer's FIN, ERR with a
 * pending error.
 */
u32 tcp_poll(struct sock *sk)
{
	int state = sk->sk_state;
	u32 mask = 0;

	if (state == TCP_LISTEN)
		return inet_csk(sk)->icsk_accept_queue.rskq_accept_head ? POLLIN | POLLRDNORM : 0;
	if (sk->sk_shutdown == SHUTDOWN_MASK || state == TCP_CLOSE)
		mask |= POLLHUP;
	if (sk->sk_shutdown & RCV_SHUTDOWN)
		mask |= POLLIN | POLLRDNORM | POLLRDHUP;
	if (state != TCP_SYN_SENT && state != TCP_SYN_RECV) {
		int target = sk->sk_rcvlowat > 0 ? sk->sk_rcvlowat : 1;

		if (tcp_stream_is_readable(sk, target))
			mask |= POLLIN | POLLRDNORM;
		if (!(sk->sk_shutdown & SEND_SHUTDOWN)) {
			if (sk_stream_is_writeable(sk))
				mask |= POLLOUT | POLLWRNORM;
		} else {
			mask |= POLLOUT | POLLWRNORM;
		}
	}
	if (sk->sk_err || !skb_queue_empty(&sk->sk_error_queue))
		mask |= POLLERR;
	return mask;
}
