/*
 * The C10K shape with epoll, inside one process in virtual time: one
 * thread serves 10,000 concurrent TCP connections from clients in another
 * namespace, all of them open at once, every one echoing a message whose
 * bytes depend on the connection, every byte checked. Both ends use
 * non-blocking sockets and edge-triggered epoll; the loop never scans its
 * connections, it only handles what epoll_wait returns. Bounded in count
 * (NCONN) and in virtual and real time (the ctest timeout).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>

#include "tn_test.h"
#include "tuxnet/tuxnet.h"

#define NCONN 10000
#define BATCH 1000            /* connects in flight at once (below somaxconn) */
#define MSG 64
#define PORT 8080
#define MAXEV 1024
#define NS_PER_MS 1000000ull
#define LISTEN_TAG (1ull << 63)

static const char world[] =
	"ip netns add srv\n"
	"ip netns add cli\n"
	"ip -n srv link add v0 type veth peer name v1 netns cli\n"
	"ip -n srv addr add 10.1.0.1/16 dev v0\n"
	"ip -n cli addr add 10.1.0.2/16 dev v1\n"
	"ip -n srv link set v0 up\n"
	"ip -n cli link set v1 up\n"
	"ip netns exec srv sysctl -w net.core.somaxconn=4096\n"
	"ip netns exec cli sysctl -w net.ipv4.ip_local_port_range=\"20000 60999\"\n";

struct client {
	int fd;
	int sent, got;            /* bytes */
	bool done;
};

struct c10k {
	struct tn_stack *st;
	int lfd, sep, cep;
	struct client *cl;
	int opened, accepted, established, echoed, finished;
	struct epoll_event ev[MAXEV];
};

static u8 msg_byte(int idx, int i)
{
	return (u8)(idx * 131 + i * 7 + (idx >> 8));
}

static void ns(struct c10k *w, const char *name)
{
	assert_int_equal(tn_setns(w->st, name), 0);
}

static void add(struct c10k *w, int ep, int fd, u32 events, u64 data)
{
	struct epoll_event ev = { .events = events, .data.u64 = data };

	assert_int_equal(tn_epoll_ctl(w->st, ep, EPOLL_CTL_ADD, fd, &ev), 0);
}

static void open_clients(struct c10k *w, int n)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(PORT) };

	inet_pton(AF_INET, "10.1.0.1", &to.sin_addr);
	ns(w, "cli");
	for (int i = 0; i < n && w->opened < NCONN; i++) {
		struct client *c = &w->cl[w->opened];

		c->fd = tn_socket(w->st, AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		assert_true(c->fd >= 3);
		assert_int_equal(tn_connect(w->st, c->fd, (struct sockaddr *)&to, sizeof(to)), -1);
		assert_int_equal(errno, EINPROGRESS);
		add(w, w->cep, c->fd, EPOLLIN | EPOLLOUT | EPOLLET, (u64)w->opened);
		w->opened++;
	}
	ns(w, NULL);
}

/* The server: accept what is pending, echo what arrives, close on EOF. */
static void server_echo(struct c10k *w, int fd)
{
	char buf[256];
	ssize_t n;

	while ((n = tn_recv(w->st, fd, buf, sizeof(buf), 0)) > 0)
		assert_int_equal(tn_send(w->st, fd, buf, (size_t)n, 0), n);
	if (n == 0) {
		tn_close(w->st, fd);
		w->finished++;
		return;
	}
	assert_int_equal(errno, EAGAIN);
}

static void server_round(struct c10k *w)
{
	int n = tn_epoll_wait(w->st, w->sep, w->ev, MAXEV, 0);

	assert_true(n >= 0);
	for (int i = 0; i < n; i++) {
		if (w->ev[i].data.u64 == LISTEN_TAG) {
			int fd;
			while ((fd = tn_accept4(w->st, w->lfd, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
				add(w, w->sep, fd, EPOLLIN | EPOLLRDHUP | EPOLLET, (u64)fd);
				w->accepted++;
			}
			assert_int_equal(errno, EAGAIN);
			continue;
		}
		server_echo(w, (int)w->ev[i].data.u64);
	}
}

static void client_read(struct c10k *w, int idx)
{
	struct client *c = &w->cl[idx];
	u8 buf[MSG];
	ssize_t n;

	while ((n = tn_recv(w->st, c->fd, buf, sizeof(buf), 0)) > 0) {
		for (ssize_t i = 0; i < n; i++)
			assert_int_equal(buf[i], msg_byte(idx, c->got + (int)i));
		c->got += (int)n;
	}
	assert_true(c->got <= MSG);
	if (c->got == MSG && !c->done) {
		c->done = true;
		w->echoed++;
	}
}

/* The clients: count connections as they complete; once all are up
 * (sending), send each message and check each echo. */
static void client_round(struct c10k *w, bool sending)
{
	int n = tn_epoll_wait(w->st, w->cep, w->ev, MAXEV, 0);

	assert_true(n >= 0);
	for (int i = 0; i < n; i++) {
		int idx = (int)w->ev[i].data.u64;
		struct client *c = &w->cl[idx];

		assert_false(w->ev[i].events & (EPOLLERR | EPOLLHUP));
		if ((w->ev[i].events & EPOLLOUT) && c->sent == 0 && !sending) {
			c->sent = -1;   /* connected, not yet sent */
			w->established++;
		}
		if (w->ev[i].events & EPOLLIN)
			client_read(w, idx);
	}
}

static void send_all(struct c10k *w)
{
	u8 msg[MSG];

	for (int idx = 0; idx < NCONN; idx++) {
		for (int i = 0; i < MSG; i++)
			msg[i] = msg_byte(idx, i);
		assert_int_equal(tn_send(w->st, w->cl[idx].fd, msg, MSG, 0), MSG);
		w->cl[idx].sent = MSG;
	}
}

static void drive(struct c10k *w, bool sending)
{
	tn_stack_advance(w->st, NS_PER_MS);
	server_round(w);
	client_round(w, sending);
}

static void ten_thousand_connections_one_thread(void **state)
{
	struct tn_stack_config cfg = { .virtual_time = 1, .seed = 10000 };
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(PORT) };
	struct c10k w = { 0 };
	int rounds = 0;

	(void)state;
	w.st = tn_stack_create(&cfg);
	assert_non_null(w.st);
	assert_int_equal(tn_command(w.st, world, stderr), 0);
	w.cl = calloc(NCONN, sizeof(*w.cl));
	w.sep = tn_epoll_create1(w.st, 0);
	w.cep = tn_epoll_create1(w.st, 0);
	ns(&w, "srv");
	w.lfd = tn_socket(w.st, AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	ns(&w, NULL);
	inet_pton(AF_INET, "10.1.0.1", &a.sin_addr);
	assert_int_equal(tn_bind(w.st, w.lfd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(tn_listen(w.st, w.lfd, 4096), 0);
	add(&w, w.sep, w.lfd, EPOLLIN | EPOLLET, LISTEN_TAG);

	/* All connections up, and open at once. */
	while (w.established < NCONN || w.accepted < NCONN) {
		if (w.opened - w.accepted < BATCH)
			open_clients(&w, BATCH);
		drive(&w, false);
		assert_true(++rounds < 20000);
	}
	/* Every connection echoes its own bytes. */
	send_all(&w);
	while (w.echoed < NCONN) {
		drive(&w, true);
		assert_true(++rounds < 40000);
	}
	/* Clients close; the server sees each EOF and closes its end. */
	for (int idx = 0; idx < NCONN; idx++)
		tn_close(w.st, w.cl[idx].fd);
	while (w.finished < NCONN) {
		drive(&w, true);
		assert_true(++rounds < 60000);
	}
	tn_close(w.st, w.lfd);
	tn_close(w.st, w.sep);
	tn_close(w.st, w.cep);
	tn_stack_advance(w.st, 130000 * NS_PER_MS);   /* TIME-WAIT */
	free(w.cl);
	assert_int_equal(tn_stack_free(w.st), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ten_thousand_connections_one_thread),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
