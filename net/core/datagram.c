/*
 * Generic datagram receive (Linux's net/core/datagram.c): take the next
 * datagram off a socket's receive queue, waiting for one if the caller may
 * block; copy datagrams out to a caller's iovecs; and datagram_poll, the
 * readiness rules every message-oriented socket shares.
 *
 * Datagrams here are whole: one skb is one message, its data linear (the
 * skb layer keeps no page fragments). Stream sockets keep their own
 * receive logic and use only the iovec copies.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>

#include "net/sock.h"
#include "net/tcp_states.h"
#include "net/socket.h"
#include "net/stack.h"

/* ---- iovec copies ---------------------------------------------------- */

size_t iov_length(const struct iovec *iov, size_t iovcnt)
{
	size_t n = 0;

	for (size_t i = 0; i < iovcnt; i++)
		n += iov[i].iov_len;
	return n;
}

/* Walk the iovecs from byte position pos, calling copy on each piece. */
static ssize_t iovec_walk(const struct iovec *iov, size_t iovcnt, size_t pos, size_t len,
			  void (*copy)(void *base, size_t done, size_t n, void *arg), void *arg)
{
	size_t done = 0;

	for (size_t i = 0; i < iovcnt && done < len; i++) {
		size_t seg = iov[i].iov_len;
		if (pos >= seg) {
			pos -= seg;
			continue;
		}
		size_t n = TN_MIN(seg - pos, len - done);
		if (!iov[i].iov_base)
			return -EFAULT;
		copy((char *)iov[i].iov_base + pos, done, n, arg);
		done += n;
		pos = 0;
	}
	return (ssize_t)done;
}

static void copy_out(void *base, size_t done, size_t n, void *arg)
{
	memcpy(base, (const char *)arg + done, n);
}

static void copy_in(void *base, size_t done, size_t n, void *arg)
{
	memcpy((char *)arg + done, base, n);
}

ssize_t memcpy_to_iovec(const struct iovec *iov, size_t iovcnt, size_t pos, const void *src,
			size_t len)
{
	return iovec_walk(iov, iovcnt, pos, len, copy_out, (void *)src);
}

ssize_t memcpy_from_iovec(void *dst, const struct iovec *iov, size_t iovcnt, size_t pos,
			  size_t len)
{
	return iovec_walk(iov, iovcnt, pos, len, copy_in, dst);
}

int skb_copy_datagram_msg(const struct sk_buff *skb, int offset, struct msghdr *msg, int len)
{
	if (offset < 0 || len < 0 || (u32)offset + (u32)len > skb->len)
		return -EFAULT;
	ssize_t n = memcpy_to_iovec(msg->msg_iov, msg->msg_iovlen, 0, skb->data + offset,
				    (size_t)len);
	return n < 0 ? (int)n : 0;
}

/* ---- receiving ------------------------------------------------------- */

static bool sk_has_datagram(struct sock *sk)
{
	return !skb_queue_empty(&sk->sk_receive_queue);
}

/* One look at the queue: the datagram (a reference), or NULL and why not. */
static struct sk_buff *try_recv_datagram(struct sock *sk, int flags, int *err)
{
	struct sk_buff *skb;

	*err = sock_error(sk);
	if (*err)
		return NULL;
	if (flags & MSG_PEEK) {
		skb = skb_peek(&sk->sk_receive_queue);
		if (skb)
			return skb_get(skb);
	} else {
		skb = __skb_dequeue(&sk->sk_receive_queue);
		if (skb)
			return skb;
	}
	*err = -EAGAIN;
	return NULL;
}

struct sk_buff *skb_recv_datagram(struct sock *sk, int flags, int *err)
{
	s64 timeo = sock_rcvtimeo(sk, flags & MSG_DONTWAIT);
	struct sk_buff *skb;

	for (;;) {
		skb = try_recv_datagram(sk, flags, err);
		if (skb || *err != -EAGAIN || !timeo)
			return skb;
		/* Linux's __skb_wait_for_more_packets: a caller that would wait
		 * on a shut-down socket gets end of file (0); one that may not
		 * wait gets EAGAIN even then. */
		if (sk->sk_shutdown & RCV_SHUTDOWN) {
			*err = 0;
			return NULL;
		}
		*err = sk_wait_event(sk, &timeo, sk_has_datagram, true);
		if (*err)
			return NULL;
	}
}

void skb_free_datagram(struct sock *sk, struct sk_buff *skb)
{
	(void)sk;
	consume_skb(skb);
}

/* ---- poll ------------------------------------------------------------- */

/* Linux's datagram_poll: readable with data, an error, or shutdown;
 * writable while the send buffer has room; a connection-based socket that
 * is closed reports HUP. */
u32 datagram_poll(struct sock *sk)
{
	u32 mask = 0;

	if (sk->sk_err || !skb_queue_empty(&sk->sk_error_queue))
		mask |= POLLERR | (sock_flag(sk, SOCK_SELECT_ERR_QUEUE) ? POLLPRI : 0);
	if (sk->sk_shutdown & RCV_SHUTDOWN)
		mask |= POLLRDHUP | POLLIN | POLLRDNORM;
	if (sk->sk_shutdown == SHUTDOWN_MASK)
		mask |= POLLHUP;
	if (!skb_queue_empty(&sk->sk_receive_queue))
		mask |= POLLIN | POLLRDNORM;
	if (sk->sk_type == SOCK_STREAM || sk->sk_type == SOCK_SEQPACKET) {
		if (sk->sk_state == TCP_CLOSE)
			mask |= POLLHUP;
		if (sk->sk_state == TCP_SYN_SENT)
			return mask;
	}
	if (sock_writeable(sk))
		mask |= POLLOUT | POLLWRNORM | POLLWRBAND;
	return mask;
}
