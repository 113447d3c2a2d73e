/*
 * send() on a device with GSO: what TCP queues is cut into segments on the
 * wire as Linux cuts it, every segment but the last a full MSS, whatever
 * the sizes of the writes. tuxnet's skbs have linear buffers of a few size
 * classes (Linux appends page fragments instead), so a buffer can end before
 * the size goal; the tail skb then grows (tcp_skb_grow) and copies stop at a
 * segment boundary, rather than leave a short segment in mid-stream.
 */
#include "tn_tcprec.h"

#define A TCPHDR_ACK
#define AP (TCPHDR_ACK | TCPHDR_PSH)

static void send_bytes(struct rconn *c, u32 len, int flags)
{
	struct iovec iov = { .iov_base = c->data + c->sent, .iov_len = len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };

	assert_int_equal(c->sock->ops->sendmsg(c->sock, &msg, len, MSG_DONTWAIT | flags), (int)len);
	c->sent += len;
	tn_test_run(c->w.st, 0);
}

/* MSS + 40 bytes with MSG_MORE (the 40 wait, corked, in the tail skb), then
 * 7 MSS - 40: eight full segments, the last one pushed. */
static void odd_writes_keep_segments_full(void **state)
{
	struct rconn c;
	(void)state;

	rc_establish(&c, OPT_SACK, NULL);
	c.w.eth0->features |= NETIF_F_GSO;
	send_bytes(&c, c.mss + 40, MSG_MORE);
	rc_expect_data(&c, 0, A);
	rc_expect_silence(&c);
	send_bytes(&c, 7 * c.mss - 40, 0);
	for (u32 i = 1; i < 8; i++)
		rc_expect_data(&c, i, i == 7 ? AP : A);
	rc_expect_silence(&c);
	rc_close(&c);
}

/* Small corked writes after a first one that fills an odd part of a
 * segment, then one that pushes: only full segments until the last. */
static void small_writes_after_odd_tail(void **state)
{
	struct rconn c;
	(void)state;

	rc_establish(&c, OPT_SACK, NULL);
	c.w.eth0->features |= NETIF_F_GSO;
	send_bytes(&c, c.mss + 700, MSG_MORE);
	rc_expect_data(&c, 0, A);
	rc_expect_silence(&c);
	/* 5 MSS - 700 more (6 MSS in all) in pieces of 100 bytes and the rest. */
	u32 left = 5 * c.mss - 700;
	while (left > 100) {
		send_bytes(&c, 100, MSG_MORE);
		left -= 100;
	}
	send_bytes(&c, left, 0);
	for (u32 i = 1; i < 6; i++)
		rc_expect_data(&c, i, i == 5 ? AP : A);
	rc_expect_silence(&c);
	rc_close(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(odd_writes_keep_segments_full),
		cmocka_unit_test(small_writes_after_odd_tail),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
