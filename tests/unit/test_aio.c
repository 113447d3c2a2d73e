/* tn-test-labels: threads */
/*
 * The completion interface (include/tuxnet/tuxnet_aio.h, net/core/aio.c)
 * over TCP on loopback, through the public API. Most tests run in virtual
 * time on one thread, driving the clock between steps; the last one puts a
 * thread to sleep in tn_aio_getevents on a real clock and wakes it from
 * another (run under TSan by `make test`). Every test ends with no skb or
 * sock left alive.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "tn_test.h"
#include "tuxnet/tuxnet_aio.h"

#define PORT 9000
#define NS_PER_MS 1000000ull
#define MAXEV 512

struct world {
	struct tn_stack *st;
	struct tn_aio_ctx *ctx;
	int lfd;
};

static void run_ms(struct world *w, u64 ms)
{
	tn_stack_advance(w->st, ms * NS_PER_MS);
}

static void world_up(struct world *w, bool virtual_time, unsigned int max_inflight)
{
	struct tn_stack_config cfg = { .virtual_time = virtual_time, .seed = 7 };
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(PORT) };

	w->st = tn_stack_create(&cfg);
	assert_non_null(w->st);
	w->ctx = tn_aio_create(w->st, max_inflight);
	assert_non_null(w->ctx);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	w->lfd = tn_socket(w->st, AF_INET, SOCK_STREAM, 0);
	assert_int_equal(tn_bind(w->st, w->lfd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(tn_listen(w->st, w->lfd, 1024), 0);
}

static void world_down(struct world *w)
{
	tn_aio_destroy(w->ctx);
	tn_close(w->st, w->lfd);
	if (tn_stack_now(w->st) < 200000 * NS_PER_MS)   /* virtual: past TIME-WAIT */
		tn_stack_advance(w->st, 200000 * NS_PER_MS);
	assert_int_equal(tn_stack_free(w->st), 0);
}

/* A non-blocking client connection to the listener (handshake pending). */
static int client_connect(struct world *w)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(PORT) };
	int fd = tn_socket(w->st, AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_true(fd >= 3);
	assert_int_equal(tn_connect(w->st, fd, (struct sockaddr *)&a, sizeof(a)), -1);
	assert_int_equal(errno, EINPROGRESS);
	return fd;
}

/* n connected pairs: cfd[i] the client's end, sfd[i] the server's. */
static void pairs(struct world *w, int n, int *cfd, int *sfd)
{
	for (int i = 0; i < n; i++)
		cfd[i] = client_connect(w);
	run_ms(w, 1);
	for (int i = 0; i < n; i++) {
		sfd[i] = tn_accept4(w->st, w->lfd, NULL, NULL, SOCK_NONBLOCK);
		assert_true(sfd[i] >= 3);
	}
}

static int reap(struct world *w, struct tn_aio_event *ev, int max)
{
	int n = tn_aio_getevents(w->ctx, 0, max, ev, 0);

	assert_true(n >= 0);
	return n;
}

static void send_str(struct world *w, int fd, const char *s)
{
	assert_int_equal(tn_send(w->st, fd, s, strlen(s), 0), (ssize_t)strlen(s));
}

static void accept_then_read_complete_when_the_socket_is_ready(void **state)
{
	struct world w;
	struct tn_aio_event ev[4];
	char buf[32] = { 0 };
	int cfd, sfd;

	(void)state;
	world_up(&w, true, 0);
	assert_int_equal(tn_aio_submit_accept(w.ctx, w.lfd, (void *)1), 0);
	assert_int_equal(reap(&w, ev, 4), 0);          /* nobody has connected */
	cfd = client_connect(&w);
	run_ms(&w, 1);
	assert_int_equal(reap(&w, ev, 4), 1);
	assert_ptr_equal(ev[0].user_data, (void *)1);
	assert_int_equal(ev[0].opcode, TN_AIO_ACCEPT);
	assert_int_equal(ev[0].fd, w.lfd);
	sfd = (int)ev[0].res;
	assert_true(sfd >= 3);

	assert_int_equal(tn_aio_submit_read(w.ctx, sfd, buf, sizeof(buf), (void *)2), 0);
	assert_int_equal(reap(&w, ev, 4), 0);          /* no data yet */
	send_str(&w, cfd, "hello");
	run_ms(&w, 1);
	assert_int_equal(reap(&w, ev, 4), 1);
	assert_ptr_equal(ev[0].user_data, (void *)2);
	assert_int_equal(ev[0].res, 5);
	assert_string_equal(buf, "hello");

	/* Data already there: the read completes inside the submit call. */
	send_str(&w, cfd, "again");
	run_ms(&w, 1);
	assert_int_equal(tn_aio_submit_read(w.ctx, sfd, buf, sizeof(buf), (void *)3), 0);
	assert_int_equal(reap(&w, ev, 4), 1);
	assert_int_equal(ev[0].res, 5);

	/* A write; then end of stream reads as 0. */
	assert_int_equal(tn_aio_submit_write(w.ctx, sfd, "pong", 4, (void *)4), 0);
	assert_int_equal(reap(&w, ev, 4), 1);
	assert_int_equal(ev[0].res, 4);
	run_ms(&w, 1);
	assert_int_equal(tn_recv(w.st, cfd, buf, sizeof(buf), 0), 4);
	assert_int_equal(tn_aio_submit_read(w.ctx, sfd, buf, sizeof(buf), (void *)5), 0);
	tn_close(w.st, cfd);
	run_ms(&w, 1);
	assert_int_equal(reap(&w, ev, 4), 1);
	assert_int_equal(ev[0].res, 0);
	tn_close(w.st, sfd);
	world_down(&w);
}

static void completions_come_in_order_of_readiness(void **state)
{
	struct world w;
	struct tn_aio_event ev[8];
	char buf[3][8], first[4], second[4];
	int cfd[3], sfd[3];
	const int order[3] = { 2, 0, 1 };

	(void)state;
	world_up(&w, true, 0);
	pairs(&w, 3, cfd, sfd);
	for (int i = 0; i < 3; i++)
		assert_int_equal(tn_aio_submit_read(w.ctx, sfd[i], buf[i], 8, (void *)(uintptr_t)i), 0);
	for (int i = 0; i < 3; i++) {
		send_str(&w, cfd[order[i]], "x");
		run_ms(&w, 1);
	}
	assert_int_equal(reap(&w, ev, 8), 3);
	for (int i = 0; i < 3; i++)
		assert_ptr_equal(ev[i].user_data, (void *)(uintptr_t)order[i]);

	/* Two reads on one socket take the bytes in submission order. */
	assert_int_equal(tn_aio_submit_read(w.ctx, sfd[0], first, 4, (void *)10), 0);
	assert_int_equal(tn_aio_submit_read(w.ctx, sfd[0], second, 4, (void *)11), 0);
	send_str(&w, cfd[0], "abcdefgh");
	run_ms(&w, 1);
	assert_int_equal(reap(&w, ev, 8), 2);
	assert_ptr_equal(ev[0].user_data, (void *)10);
	assert_ptr_equal(ev[1].user_data, (void *)11);
	assert_memory_equal(first, "abcd", 4);
	assert_memory_equal(second, "efgh", 4);
	for (int i = 0; i < 3; i++) {
		tn_close(w.st, cfd[i]);
		tn_close(w.st, sfd[i]);
	}
	world_down(&w);
}

static void errors_are_negative_errno(void **state)
{
	struct world w;
	struct tn_aio_event ev[4];
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	char buf[16];
	int cfd, sfd, ep;

	(void)state;
	world_up(&w, true, 2);
	assert_int_equal(tn_aio_submit_read(w.ctx, 77, buf, sizeof(buf), NULL), -1);
	assert_int_equal(errno, EBADF);
	ep = tn_epoll_create1(w.st, 0);
	assert_int_equal(tn_aio_submit_read(w.ctx, ep, buf, sizeof(buf), NULL), -1);
	assert_int_equal(errno, ENOTSOCK);
	tn_close(w.st, ep);
	assert_int_equal(tn_aio_submit_read(w.ctx, w.lfd, NULL, 4, NULL), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(tn_aio_getevents(w.ctx, 2, 1, ev, 0), -1);
	assert_int_equal(errno, EINVAL);

	pairs(&w, 1, &cfd, &sfd);
	/* A read on a listening socket fails as recv(2) does. */
	assert_int_equal(tn_aio_submit_read(w.ctx, w.lfd, buf, sizeof(buf), (void *)1), 0);
	assert_int_equal(reap(&w, ev, 4), 1);
	assert_int_equal(ev[0].res, -ENOTCONN);

	/* The peer resets: the pending read completes with -ECONNRESET. */
	assert_int_equal(tn_aio_submit_read(w.ctx, sfd, buf, sizeof(buf), (void *)2), 0);
	/* The context holds two: a third is refused until one is reaped. */
	assert_int_equal(tn_aio_submit_accept(w.ctx, w.lfd, NULL), 0);
	assert_int_equal(tn_aio_submit_accept(w.ctx, w.lfd, NULL), -1);
	assert_int_equal(errno, EAGAIN);
	assert_int_equal(tn_aio_cancel_fd(w.ctx, w.lfd), 1);
	assert_int_equal(reap(&w, ev, 4), 1);
	assert_int_equal(ev[0].res, -ECANCELED);

	tn_setsockopt(w.st, cfd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	tn_close(w.st, cfd);
	run_ms(&w, 1);
	assert_int_equal(reap(&w, ev, 4), 1);
	assert_ptr_equal(ev[0].user_data, (void *)2);
	assert_int_equal(ev[0].res, -ECONNRESET);
	tn_close(w.st, sfd);
	world_down(&w);
}

static void close_cancels_what_is_in_flight(void **state)
{
	struct world w;
	struct tn_aio_event ev[4];
	struct tn_aio_stats s;
	char buf[16];
	int cfd, sfd;

	(void)state;
	world_up(&w, true, 0);
	pairs(&w, 1, &cfd, &sfd);
	assert_int_equal(tn_aio_submit_read(w.ctx, sfd, buf, sizeof(buf), (void *)1), 0);
	assert_int_equal(tn_aio_submit_accept(w.ctx, w.lfd, (void *)2), 0);
	assert_int_equal(tn_close(w.st, sfd), 0);
	assert_int_equal(reap(&w, ev, 4), 1);
	assert_ptr_equal(ev[0].user_data, (void *)1);
	assert_int_equal(ev[0].res, -ECANCELED);
	assert_int_equal(ev[0].fd, sfd);
	/* The descriptor number is free again at once. */
	int again = tn_socket(w.st, AF_INET, SOCK_DGRAM, 0);
	assert_int_equal(again, sfd);
	tn_close(w.st, again);

	/* Closing the listener cancels the accept; data for the closed
	 * connection's peer changes nothing. */
	send_str(&w, cfd, "late");
	assert_int_equal(tn_close(w.st, w.lfd), 0);
	w.lfd = tn_socket(w.st, AF_INET, SOCK_DGRAM, 0);
	run_ms(&w, 1);
	assert_int_equal(reap(&w, ev, 4), 1);
	assert_ptr_equal(ev[0].user_data, (void *)2);
	assert_int_equal(ev[0].res, -ECANCELED);
	tn_aio_get_stats(w.ctx, &s);
	assert_int_equal(s.cancelled, 2);
	assert_int_equal(s.completed, 2);
	tn_close(w.st, cfd);
	world_down(&w);
}

/* NCONN reads and writes in flight at once, each connection's bytes its
 * own, every byte checked; a 1 MB write that outgrows the send buffer
 * completes in full once the peer has drained it. */
#define NCONN 200
#define MSG 100
static void many_in_flight(void **state)
{
	static int cfd[NCONN], sfd[NCONN];
	static unsigned char rbuf[NCONN][MSG], wbuf[NCONN][MSG];
	struct world w;
	struct tn_aio_event ev[MAXEV];
	int got = 0;

	(void)state;
	world_up(&w, true, 0);
	pairs(&w, NCONN, cfd, sfd);
	for (int i = 0; i < NCONN; i++) {
		for (int j = 0; j < MSG; j++)
			wbuf[i][j] = (unsigned char)(i * 31 + j);
		assert_int_equal(tn_aio_submit_read(w.ctx, sfd[i], rbuf[i], MSG, &sfd[i]), 0);
		assert_int_equal(tn_aio_submit_write(w.ctx, cfd[i], wbuf[i], MSG, &cfd[i]), 0);
	}
	for (int round = 0; round < 100 && got < 2 * NCONN; round++) {
		int n = reap(&w, ev, MAXEV);
		for (int k = 0; k < n; k++) {
			uintptr_t p = (uintptr_t)ev[k].user_data;
			bool is_s = p >= (uintptr_t)sfd && p < (uintptr_t)(sfd + NCONN);
			bool is_c = p >= (uintptr_t)cfd && p < (uintptr_t)(cfd + NCONN);

			assert_int_equal(ev[k].res, MSG);
			/* user_data is one of our own slots (compared as addresses:
			 * subtracting pointers into different arrays is undefined). */
			assert_true(is_s || is_c);
		}
		got += n;
		run_ms(&w, 1);
	}
	assert_int_equal(got, 2 * NCONN);
	for (int i = 0; i < NCONN; i++)
		assert_memory_equal(rbuf[i], wbuf[i], MSG);

	size_t big = 1 << 20, seen = 0;
	unsigned char *out = malloc(big), *in = malloc(65536);
	bool write_done = false;
	for (size_t i = 0; i < big; i++)
		out[i] = (unsigned char)(i * 7);
	assert_int_equal(tn_aio_submit_write(w.ctx, cfd[0], out, big, out), 0);
	assert_int_equal(tn_aio_submit_read(w.ctx, sfd[0], in, 65536, in), 0);
	for (int round = 0; round < 10000 && (!write_done || seen < big); round++) {
		int n = reap(&w, ev, MAXEV);
		for (int k = 0; k < n; k++) {
			if (ev[k].user_data == out) {
				assert_int_equal(ev[k].res, (ssize_t)big);
				write_done = true;
				continue;
			}
			assert_true(ev[k].res > 0);
			for (ssize_t j = 0; j < ev[k].res; j++)
				assert_int_equal(in[j], (unsigned char)((seen + (size_t)j) * 7));
			seen += (size_t)ev[k].res;
			if (seen < big)
				assert_int_equal(tn_aio_submit_read(w.ctx, sfd[0], in, 65536, in), 0);
		}
		run_ms(&w, 1);
	}
	assert_true(write_done);
	assert_int_equal(seen, big);
	free(out);
	free(in);
	for (int i = 0; i < NCONN; i++) {
		tn_close(w.st, cfd[i]);
		tn_close(w.st, sfd[i]);
	}
	world_down(&w);
}

static void getevents_times_out_on_the_stack_clock(void **state)
{
	struct world w;
	struct tn_aio_event ev[2];
	char buf[8];
	int cfd, sfd;

	(void)state;
	world_up(&w, true, 0);
	pairs(&w, 1, &cfd, &sfd);
	assert_int_equal(tn_aio_submit_read(w.ctx, sfd, buf, sizeof(buf), NULL), 0);
	u64 t0 = tn_stack_now(w.st);
	assert_int_equal(tn_aio_getevents(w.ctx, 1, 2, ev, 50), 0);
	assert_true(tn_stack_now(w.st) - t0 >= 50 * NS_PER_MS);
	tn_close(w.st, sfd);
	assert_int_equal(tn_aio_getevents(w.ctx, 1, 2, ev, 50), 1);
	assert_int_equal(ev[0].res, -ECANCELED);
	tn_close(w.st, cfd);
	world_down(&w);
}

struct sleeper {
	struct world *w;
	struct tn_aio_event ev[4];
	int n;
};

static void *sleeper_main(void *arg)
{
	struct sleeper *s = arg;

	s->n = tn_aio_getevents(s->w->ctx, 2, 4, s->ev, 10000);
	return NULL;
}

/* Real clock, softirq thread: one thread sleeps in getevents for two
 * completions, another thread's sends wake it. */
static void a_sleeping_reaper_is_woken_from_another_thread(void **state)
{
	struct world w;
	struct sleeper s = { .w = &w };
	char a[8], b[8];
	int cfd[2], sfd[2];
	pthread_t t;

	(void)state;
	world_up(&w, false, 0);
	tn_stack_start_thread(w.st);
	for (int i = 0; i < 2; i++)
		cfd[i] = client_connect(&w);
	for (int i = 0; i < 2; i++) {
		sfd[i] = tn_accept(w.st, w.lfd, NULL, NULL);
		assert_true(sfd[i] >= 3);
	}
	assert_int_equal(tn_aio_submit_read(w.ctx, sfd[0], a, sizeof(a), a), 0);
	assert_int_equal(tn_aio_submit_read(w.ctx, sfd[1], b, sizeof(b), b), 0);
	pthread_create(&t, NULL, sleeper_main, &s);
	send_str(&w, cfd[1], "bee");
	send_str(&w, cfd[0], "ay");
	pthread_join(t, NULL);
	assert_int_equal(s.n, 2);
	for (int i = 0; i < 2; i++)
		assert_int_equal(s.ev[i].res, s.ev[i].user_data == a ? 2 : 3);
	for (int i = 0; i < 2; i++) {
		tn_close(w.st, cfd[i]);
		tn_close(w.st, sfd[i]);
	}
	tn_stack_stop_thread(w.st);
	tn_aio_destroy(w.ctx);
	tn_close(w.st, w.lfd);
	tn_stack_destroy(w.st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(accept_then_read_complete_when_the_socket_is_ready),
		cmocka_unit_test(completions_come_in_order_of_readiness),
		cmocka_unit_test(errors_are_negative_errno),
		cmocka_unit_test(close_cancels_what_is_in_flight),
		cmocka_unit_test(many_in_flight),
		cmocka_unit_test(getevents_times_out_on_the_stack_clock),
		cmocka_unit_test(a_sleeping_reaper_is_woken_from_another_thread),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
