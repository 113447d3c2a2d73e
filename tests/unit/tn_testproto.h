/*
 * A tiny datagram transport for the socket-layer tests, registered as
 * SOCK_DGRAM / protocol 253 (RFC 3692's experimental number): what a socket
 * sends comes back to its own receive queue, so the socket layer's
 * queueing, waking, timeouts and errors can be tested without UDP.
 */
#ifndef TN_TESTS_TN_TESTPROTO_H
#define TN_TESTS_TN_TESTPROTO_H

#include <errno.h>
#include <string.h>
#include <netinet/in.h>

#include "net/skbuff.h"
#include "net/inet_sock.h"
#include "net/stack.h"
#include "tuxnet/tuxnet.h"

#define TESTPROTO 253

static inline int testproto_get_port(struct sock *sk, unsigned short snum)
{
	inet_sk(sk)->inet_num = snum ? snum : 40000;
	return 0;
}

static inline int testproto_connect(struct sock *sk, const struct sockaddr *uaddr, int len)
{
	const struct sockaddr_in *sin = (const struct sockaddr_in *)uaddr;

	if (len < (int)sizeof(*sin))
		return -EINVAL;
	sk->sk_daddr = ntohl(sin->sin_addr.s_addr);
	sk->sk_dport = ntohs(sin->sin_port);
	sk->sk_state = 1;   /* TCP_ESTABLISHED */
	return 0;
}

static inline int testproto_disconnect(struct sock *sk, int flags)
{
	sk->sk_daddr = 0;
	sk->sk_dport = 0;
	sk->sk_state = 7;   /* TCP_CLOSE */
	return 0;
}

static inline int testproto_sendmsg(struct sock *sk, const struct msghdr *msg, size_t len,
				    int flags)
{
	struct sk_buff *skb;
	int err;

	if (sk->sk_shutdown & SEND_SHUTDOWN)
		return -EPIPE;
	skb = alloc_skb(sock_net(sk)->stack, (unsigned int)len + 1);
	if (!skb)
		return -ENOBUFS;
	if (memcpy_from_msg(skb_put(skb, (unsigned int)len), msg, 0, len) < 0) {
		kfree_skb(skb);
		return -EFAULT;
	}
	err = sock_queue_rcv_skb(sk, skb);
	if (err) {
		kfree_skb(skb);
		return err;
	}
	return (int)len;
}

static inline int testproto_recvmsg(struct sock *sk, struct msghdr *msg, size_t len, int flags,
				    int *addr_len)
{
	struct sockaddr_in *sin = msg->msg_name;
	struct sk_buff *skb;
	size_t copied;
	int err;

	skb = skb_recv_datagram(sk, flags, &err);
	if (!skb)
		return err;
	copied = skb->len < len ? skb->len : len;
	if (copied < skb->len)
		msg->msg_flags |= MSG_TRUNC;
	err = skb_copy_datagram_msg(skb, 0, msg, (int)copied);
	if (!err && sin) {
		memset(sin, 0, sizeof(*sin));
		sin->sin_family = AF_INET;
		sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		sin->sin_port = htons(inet_sk(sk)->inet_num);
		*addr_len = sizeof(*sin);
	}
	if (!err)
		err = (flags & MSG_TRUNC) ? (int)skb->len : (int)copied;
	skb_free_datagram(sk, skb);
	return err;
}

static inline void testproto_close(struct sock *sk, s64 timeout)
{
	sk_common_release(sk);
}

static struct proto testproto_prot = {
	.name = "TESTPROTO",
	.obj_size = sizeof(struct inet_sock),
	.close = testproto_close,
	.connect = testproto_connect,
	.disconnect = testproto_disconnect,
	.sendmsg = testproto_sendmsg,
	.recvmsg = testproto_recvmsg,
	.get_port = testproto_get_port,
};

static const struct inet_protosw testproto_protosw = {
	.type = SOCK_DGRAM,
	.protocol = TESTPROTO,
	.prot = &testproto_prot,
	.ops = &inet_dgram_ops,
};

/* A stack on a virtual clock (lo up), with the test transport. */
static inline struct tn_stack *testproto_stack(void)
{
	struct tn_stack_config cfg = { .virtual_time = 1, .seed = 1 };
	struct tn_stack *st = tn_stack_create(&cfg);

	if (!st)
		return NULL;
	tn_stack_lock(st);
	inet_register_protosw(st, &testproto_protosw);
	tn_stack_unlock(st);
	return st;
}

static inline int testproto_socket(struct tn_stack *st)
{
	return tn_socket(st, AF_INET, SOCK_DGRAM, TESTPROTO);
}

#endif
