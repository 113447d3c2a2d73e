/*
 * epoll, select and signal-driven I/O through the public API, in virtual
 * time: the masks epoll reports for TCP and UDP sockets in each state (the
 * same as tn_poll's, which the TCP tests pin to Linux's), level- vs
 * edge-triggered wake-up counts, ONESHOT and its re-arm, EXCLUSIVE, close
 * removing an item from every set, nested epoll, every epoll_ctl error,
 * tn_select, and SIGIO. Also the red-black tree under the interest set.
 * Each test ends with tn_stack_free reporting nothing left alive.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/syscall.h>

#include "tn_test.h"
#include "lib/rbtree.h"
#include "tuxnet/tuxnet.h"

#define NS_PER_MS 1000000ull
#define PORT 7000
#define ALL_EV (EPOLLIN | EPOLLPRI | EPOLLOUT | EPOLLRDNORM | EPOLLRDBAND | EPOLLWRNORM | \
		EPOLLWRBAND | EPOLLRDHUP)

static const char two_hosts[] =
	"ip netns add a\n"
	"ip netns add b\n"
	"ip -n a link add v0 type veth peer name v1 netns b\n"
	"ip -n a addr add 10.0.0.1/24 dev v0\n"
	"ip -n b addr add 10.0.0.2/24 dev v1\n"
	"ip -n a link set v0 up\n"
	"ip -n b link set v1 up\n";

static struct tn_stack *vt_stack(bool two)
{
	struct tn_stack_config cfg = { .virtual_time = 1, .seed = 7 };
	struct tn_stack *st = tn_stack_create(&cfg);

	assert_non_null(st);
	if (two)
		assert_int_equal(tn_command(st, two_hosts, stderr), 0);
	return st;
}

static void run_ms(struct tn_stack *st, unsigned int ms)
{
	tn_stack_advance(st, ms * NS_PER_MS);
}

static struct sockaddr_in sin_of(const char *ip, unsigned int port)
{
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	assert_int_equal(inet_pton(AF_INET, ip, &sin.sin_addr), 1);
	return sin;
}

static int ns_socket(struct tn_stack *st, const char *ns, int type)
{
	int fd;

	assert_int_equal(tn_setns(st, ns), 0);
	fd = tn_socket(st, AF_INET, type | SOCK_NONBLOCK, 0);
	assert_true(fd >= 3);
	assert_int_equal(tn_setns(st, NULL), 0);
	return fd;
}

/* A UDP socket on 127.0.0.1:port (0: ephemeral) in the initial namespace. */
static int udp_bound(struct tn_stack *st, unsigned int port)
{
	struct sockaddr_in sin = sin_of("127.0.0.1", port);
	int fd = tn_socket(st, AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);

	assert_true(fd >= 3);
	assert_int_equal(tn_bind(st, fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	return fd;
}

static void udp_send_to(struct tn_stack *st, int from, unsigned int port)
{
	struct sockaddr_in to = sin_of("127.0.0.1", port);

	assert_int_equal(tn_sendto(st, from, "x", 1, 0, (struct sockaddr *)&to, sizeof(to)), 1);
	run_ms(st, 1);
}

static int ep_new(struct tn_stack *st)
{
	int ep = tn_epoll_create1(st, 0);

	assert_true(ep >= 3);
	return ep;
}

static void ep_add(struct tn_stack *st, int ep, int fd, u32 events, u64 data)
{
	struct epoll_event ev = { .events = events, .data.u64 = data };

	assert_int_equal(tn_epoll_ctl(st, ep, EPOLL_CTL_ADD, fd, &ev), 0);
}

/* The events epoll reports for the one fd in a fresh set (0: none). */
static u32 ep_mask(struct tn_stack *st, int fd)
{
	struct epoll_event out[2];
	int ep = ep_new(st), n;

	ep_add(st, ep, fd, ALL_EV, 1);
	n = tn_epoll_wait(st, ep, out, 2, 0);
	assert_true(n == 0 || n == 1);
	tn_close(st, ep);
	return n ? out[0].events : 0;
}

/* epoll and poll must agree: both ask the same f_op->poll. */
static u32 mask_checked(struct tn_stack *st, int fd)
{
	struct pollfd p = { .fd = fd, .events = (short)ALL_EV };
	u32 m = ep_mask(st, fd);

	assert_true(tn_poll(st, &p, 1, 0) >= 0);
	assert_int_equal(m, (u32)(u16)p.revents);
	return m;
}

static int ep_count(struct tn_stack *st, int ep)
{
	struct epoll_event out[8];
	int n = tn_epoll_wait(st, ep, out, 8, 0);

	assert_true(n >= 0);
	return n;
}

/* ---- the interest set's tree -------------------------------------------- */

struct rbval {
	struct rb_node node;
	int key;
};

static void rb_insert_val(struct rb_root *root, struct rbval *v)
{
	struct rb_node **p = &root->rb_node, *parent = NULL;

	while (*p) {
		parent = *p;
		p = v->key < rb_entry(parent, struct rbval, node)->key ? &parent->rb_left
								       : &parent->rb_right;
	}
	rb_link_node(&v->node, parent, p);
	rb_insert_color(&v->node, root);
}

static void rbtree_random_insert_erase_stays_balanced(void **state)
{
	enum { N = 2000 };
	struct rbval *v = calloc(N, sizeof(*v));
	struct rb_root root = RB_ROOT;
	unsigned int seed = 12345;
	int prev, count;

	(void)state;
	for (int i = 0; i < N; i++) {
		v[i].key = (int)(rand_r(&seed) % 100000);
		rb_insert_val(&root, &v[i]);
		if (i % 97 == 0)
			assert_true(rb_check_tree(&root) > 0);
	}
	/* In order, and black height within 2 log2(n+1). */
	assert_true(rb_check_tree(&root) <= 12);
	prev = -1;
	count = 0;
	for (struct rb_node *n = rb_first(&root); n; n = rb_next(n)) {
		assert_true(rb_entry(n, struct rbval, node)->key >= prev);
		prev = rb_entry(n, struct rbval, node)->key;
		count++;
	}
	assert_int_equal(count, N);
	for (int i = 0; i < N; i += 2)
		rb_erase(&v[i].node, &root);
	assert_true(rb_check_tree(&root) > 0);
	for (int i = 1; i < N; i += 2)
		rb_erase(&v[i].node, &root);
	assert_true(rb_empty_root(&root));
	free(v);
}

/* ---- masks -------------------------------------------------------------- */

static void udp_masks_every_state(void **state)
{
	struct tn_stack *st = vt_stack(false);
	int rx = udp_bound(st, 0), tx = udp_bound(st, 0);
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	char b[4];

	(void)state;
	assert_int_equal(tn_getsockname(st, rx, (struct sockaddr *)&sin, &len), 0);
	assert_int_equal(mask_checked(st, rx), EPOLLOUT | EPOLLWRNORM | EPOLLWRBAND);
	udp_send_to(st, tx, ntohs(sin.sin_port));
	assert_int_equal(mask_checked(st, rx),
			 EPOLLIN | EPOLLRDNORM | EPOLLOUT | EPOLLWRNORM | EPOLLWRBAND);
	assert_int_equal(tn_recv(st, rx, b, sizeof(b), 0), 1);
	assert_int_equal(tn_shutdown(st, rx, SHUT_RD), -1);   /* ENOTCONN, but recorded */
	assert_int_equal(mask_checked(st, rx) & (EPOLLIN | EPOLLRDHUP), EPOLLIN | EPOLLRDHUP);
	tn_shutdown(st, rx, SHUT_WR);
	assert_int_equal(mask_checked(st, rx) & EPOLLHUP, EPOLLHUP);
	tn_close(st, rx);
	tn_close(st, tx);
	assert_int_equal(tn_stack_free(st), 0);
}

static void tcp_masks_every_state(void **state)
{
	struct tn_stack *st = vt_stack(true);
	struct sockaddr_in a = sin_of("10.0.0.1", PORT), closed = sin_of("10.0.0.1", PORT + 1);
	int lfd = ns_socket(st, "a", SOCK_STREAM), cli = ns_socket(st, "b", SOCK_STREAM);
	int refused = ns_socket(st, "b", SOCK_STREAM), syn = ns_socket(st, "b", SOCK_STREAM), srv;
	struct sockaddr_in nobody = sin_of("10.0.0.9", PORT);
	char b[8];

	(void)state;
	assert_int_equal(tn_bind(st, lfd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(tn_listen(st, lfd, 8), 0);
	assert_int_equal(mask_checked(st, lfd), 0);                 /* listening, idle */
	/* Nobody answers ARP for 10.0.0.9: the SYN never leaves. */
	assert_int_equal(tn_connect(st, syn, (struct sockaddr *)&nobody, sizeof(nobody)), -1);
	assert_int_equal(errno, EINPROGRESS);
	assert_int_equal(mask_checked(st, syn), 0);                 /* SYN_SENT */
	tn_connect(st, cli, (struct sockaddr *)&a, sizeof(a));
	run_ms(st, 5);
	assert_int_equal(mask_checked(st, lfd), EPOLLIN | EPOLLRDNORM);   /* pending */
	assert_int_equal(mask_checked(st, cli), EPOLLOUT | EPOLLWRNORM);  /* established */
	srv = tn_accept4(st, lfd, NULL, NULL, SOCK_NONBLOCK);
	assert_true(srv >= 3);
	assert_int_equal(mask_checked(st, lfd), 0);

	assert_int_equal(tn_connect(st, refused, (struct sockaddr *)&closed, sizeof(closed)), -1);
	run_ms(st, 5);
	assert_int_equal(mask_checked(st, refused) & (EPOLLERR | EPOLLHUP), EPOLLERR | EPOLLHUP);

	assert_int_equal(tn_send(st, cli, "data", 4, 0), 4);
	run_ms(st, 5);
	assert_int_equal(mask_checked(st, srv), EPOLLIN | EPOLLRDNORM | EPOLLOUT | EPOLLWRNORM);
	assert_int_equal(tn_recv(st, srv, b, sizeof(b), 0), 4);
	assert_int_equal(tn_shutdown(st, cli, SHUT_WR), 0);        /* peer FIN */
	run_ms(st, 5);
	assert_int_equal(mask_checked(st, srv),
			 EPOLLIN | EPOLLRDNORM | EPOLLRDHUP | EPOLLOUT | EPOLLWRNORM);
	assert_int_equal(mask_checked(st, cli), EPOLLOUT | EPOLLWRNORM);  /* shut WR */
	assert_int_equal(tn_shutdown(st, srv, SHUT_RDWR), 0);      /* both ways */
	run_ms(st, 5);
	assert_int_equal(mask_checked(st, srv) & EPOLLHUP, EPOLLHUP);
	tn_close(st, srv);
	tn_close(st, cli);
	tn_close(st, refused);
	tn_close(st, syn);
	tn_close(st, lfd);
	run_ms(st, 130000);
	assert_int_equal(tn_stack_free(st), 0);
}

static void tcp_reset_reports_err_hup(void **state)
{
	struct tn_stack *st = vt_stack(true);
	struct sockaddr_in a = sin_of("10.0.0.1", PORT);
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	int lfd = ns_socket(st, "a", SOCK_STREAM), cli = ns_socket(st, "b", SOCK_STREAM), srv;
	int ep = ep_new(st);
	struct epoll_event out[2];

	(void)state;
	assert_int_equal(tn_bind(st, lfd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(tn_listen(st, lfd, 8), 0);
	tn_connect(st, cli, (struct sockaddr *)&a, sizeof(a));
	run_ms(st, 5);
	srv = tn_accept4(st, lfd, NULL, NULL, SOCK_NONBLOCK);
	assert_true(srv >= 3);
	ep_add(st, ep, cli, EPOLLIN | EPOLLET, 9);   /* ERR and HUP come anyway */
	assert_int_equal(tn_epoll_wait(st, ep, out, 2, 0), 0);
	assert_int_equal(tn_setsockopt(st, srv, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)), 0);
	tn_close(st, srv);                           /* RST */
	run_ms(st, 5);
	assert_int_equal(tn_epoll_wait(st, ep, out, 2, 0), 1);
	assert_int_equal(out[0].data.u64, 9);
	assert_int_equal(out[0].events & (EPOLLERR | EPOLLHUP), EPOLLERR | EPOLLHUP);
	tn_close(st, ep);
	tn_close(st, cli);
	tn_close(st, lfd);
	run_ms(st, 1000);
	assert_int_equal(tn_stack_free(st), 0);
}

/* ---- triggering ------------------------------------------------------------ */

static void udp_level_vs_edge_wakeup_counts(void **state)
{
	struct tn_stack *st = vt_stack(false);
	int rx = udp_bound(st, 0), tx = udp_bound(st, 0);
	int lt = ep_new(st), et = ep_new(st);
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int lt_n = 0, et_n = 0;

	(void)state;
	tn_getsockname(st, rx, (struct sockaddr *)&sin, &len);
	ep_add(st, lt, rx, EPOLLIN, 1);
	ep_add(st, et, rx, EPOLLIN | EPOLLET, 2);
	assert_int_equal(ep_count(st, lt) + ep_count(st, et), 0);
	udp_send_to(st, tx, ntohs(sin.sin_port));
	for (int i = 0; i < 3; i++) {
		lt_n += ep_count(st, lt);
		et_n += ep_count(st, et);
	}
	assert_int_equal(lt_n, 3);   /* as long as the datagram is there */
	assert_int_equal(et_n, 1);   /* once per arrival */
	udp_send_to(st, tx, ntohs(sin.sin_port));
	assert_int_equal(ep_count(st, et), 1);
	assert_int_equal(ep_count(st, et), 0);
	tn_close(st, lt);
	tn_close(st, et);
	tn_close(st, rx);
	tn_close(st, tx);
	assert_int_equal(tn_stack_free(st), 0);
}

static void oneshot_fires_once_until_mod(void **state)
{
	struct tn_stack *st = vt_stack(false);
	int rx = udp_bound(st, 0), tx = udp_bound(st, 0), ep = ep_new(st);
	struct epoll_event ev = { .events = EPOLLIN | EPOLLONESHOT, .data.u32 = 5 };
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);

	(void)state;
	tn_getsockname(st, rx, (struct sockaddr *)&sin, &len);
	assert_int_equal(tn_epoll_ctl(st, ep, EPOLL_CTL_ADD, rx, &ev), 0);
	udp_send_to(st, tx, ntohs(sin.sin_port));
	assert_int_equal(ep_count(st, ep), 1);
	assert_int_equal(ep_count(st, ep), 0);
	udp_send_to(st, tx, ntohs(sin.sin_port));    /* still disabled */
	assert_int_equal(ep_count(st, ep), 0);
	assert_int_equal(tn_epoll_ctl(st, ep, EPOLL_CTL_MOD, rx, &ev), 0);   /* re-arm */
	assert_int_equal(ep_count(st, ep), 1);
	assert_int_equal(ep_count(st, ep), 0);
	tn_close(st, ep);
	tn_close(st, rx);
	tn_close(st, tx);
	assert_int_equal(tn_stack_free(st), 0);
}

/* Two sets watch one socket with EPOLLEXCLUSIVE and nobody sleeps in
 * epoll_wait: Linux's callback counts a wake-up only when it woke a
 * thread, so the event reaches both ready lists. (With sleepers, one set
 * wakes: test_epoll_threads.c.) */
static void exclusive_without_sleepers_reaches_both_sets(void **state)
{
	struct tn_stack *st = vt_stack(false);
	int rx = udp_bound(st, 0), tx = udp_bound(st, 0), e1 = ep_new(st), e2 = ep_new(st);
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);

	(void)state;
	tn_getsockname(st, rx, (struct sockaddr *)&sin, &len);
	ep_add(st, e1, rx, EPOLLIN | EPOLLEXCLUSIVE, 1);
	ep_add(st, e2, rx, EPOLLIN | EPOLLEXCLUSIVE, 2);
	udp_send_to(st, tx, ntohs(sin.sin_port));
	assert_int_equal(ep_count(st, e1), 1);
	assert_int_equal(ep_count(st, e2), 1);
	tn_close(st, e1);
	tn_close(st, e2);
	tn_close(st, rx);
	tn_close(st, tx);
	assert_int_equal(tn_stack_free(st), 0);
}

/* ---- lifetime ------------------------------------------------------------- */

static void close_removes_from_every_set(void **state)
{
	struct tn_stack *st = vt_stack(false);
	int fd = udp_bound(st, 0), e1 = ep_new(st), e2 = ep_new(st), again;
	struct epoll_event ev = { .events = EPOLLOUT };

	(void)state;
	ep_add(st, e1, fd, EPOLLOUT, 1);
	ep_add(st, e2, fd, EPOLLOUT, 2);
	assert_int_equal(ep_count(st, e1), 1);
	assert_int_equal(tn_close(st, fd), 0);
	assert_int_equal(ep_count(st, e1), 0);
	assert_int_equal(ep_count(st, e2), 0);
	assert_int_equal(tn_epoll_ctl(st, e1, EPOLL_CTL_DEL, fd, &ev), -1);
	assert_int_equal(errno, EBADF);
	/* The number comes back for a new file: a new item, not EEXIST. */
	again = udp_bound(st, 0);
	assert_int_equal(again, fd);
	assert_int_equal(tn_epoll_ctl(st, e1, EPOLL_CTL_ADD, again, &ev), 0);
	assert_int_equal(ep_count(st, e1), 1);
	/* Closing the epoll first leaves the socket's queue clean. */
	tn_close(st, e1);
	tn_close(st, again);
	tn_close(st, e2);
	assert_int_equal(tn_stack_free(st), 0);
}

static void nested_epoll_and_poll_on_epoll(void **state)
{
	struct tn_stack *st = vt_stack(false);
	int rx = udp_bound(st, 0), tx = udp_bound(st, 0), inner = ep_new(st), outer = ep_new(st);
	struct pollfd p = { .fd = inner, .events = POLLIN };
	struct epoll_event out[2];
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	char b[4];

	(void)state;
	tn_getsockname(st, rx, (struct sockaddr *)&sin, &len);
	ep_add(st, inner, rx, EPOLLIN, 1);
	ep_add(st, outer, inner, EPOLLIN | EPOLLET, 2);
	assert_int_equal(tn_poll(st, &p, 1, 0), 0);
	assert_int_equal(ep_count(st, outer), 0);
	udp_send_to(st, tx, ntohs(sin.sin_port));
	assert_int_equal(tn_poll(st, &p, 1, 0), 1);
	assert_int_equal(p.revents, POLLIN);
	assert_int_equal(tn_epoll_wait(st, outer, out, 2, 0), 1);
	assert_int_equal(out[0].data.u64, 2);
	assert_int_equal(out[0].events, EPOLLIN);
	/* Drained: the inner set is no longer readable, though its item was
	 * on its ready list (level-triggered) until polled. */
	assert_int_equal(tn_recv(st, rx, b, sizeof(b), 0), 1);
	assert_int_equal(tn_poll(st, &p, 1, 0), 0);
	assert_int_equal(ep_count(st, inner), 0);
	tn_close(st, outer);
	tn_close(st, inner);
	tn_close(st, rx);
	tn_close(st, tx);
	assert_int_equal(tn_stack_free(st), 0);
}

/* ---- epoll_ctl errors --------------------------------------------------- */

static void ctl_err(struct tn_stack *st, int ep, int op, int fd, u32 events, int want)
{
	struct epoll_event ev = { .events = events };

	assert_int_equal(tn_epoll_ctl(st, ep, op, fd, &ev), -1);
	assert_int_equal(errno, want);
}

static void epoll_ctl_errors_as_linux(void **state)
{
	struct tn_stack *st = vt_stack(false);
	int ep = ep_new(st), fd = udp_bound(st, 0), chain[7];
	struct epoll_event ev = { .events = EPOLLIN };

	(void)state;
	ctl_err(st, 999, EPOLL_CTL_ADD, fd, EPOLLIN, EBADF);      /* bad epfd */
	ctl_err(st, ep, EPOLL_CTL_ADD, 999, EPOLLIN, EBADF);      /* bad fd */
	ctl_err(st, fd, EPOLL_CTL_ADD, ep, EPOLLIN, EINVAL);      /* epfd not an epoll */
	ctl_err(st, ep, EPOLL_CTL_ADD, ep, EPOLLIN, EINVAL);      /* itself */
	ctl_err(st, ep, 42, fd, EPOLLIN, EINVAL);                 /* bad op */
	ctl_err(st, ep, EPOLL_CTL_MOD, fd, EPOLLIN, ENOENT);
	ctl_err(st, ep, EPOLL_CTL_DEL, fd, EPOLLIN, ENOENT);
	assert_int_equal(tn_epoll_ctl(st, ep, EPOLL_CTL_ADD, fd, NULL), -1);
	assert_int_equal(errno, EFAULT);
	assert_int_equal(tn_epoll_ctl(st, ep, EPOLL_CTL_ADD, fd, &ev), 0);
	ctl_err(st, ep, EPOLL_CTL_ADD, fd, EPOLLIN, EEXIST);
	ctl_err(st, ep, EPOLL_CTL_MOD, fd, EPOLLIN | EPOLLEXCLUSIVE, EINVAL);
	assert_int_equal(tn_epoll_ctl(st, ep, EPOLL_CTL_DEL, fd, NULL), 0);  /* DEL: no event */
	ctl_err(st, ep, EPOLL_CTL_ADD, fd, EPOLLIN | EPOLLRDHUP | EPOLLEXCLUSIVE, EINVAL);
	ctl_err(st, ep, EPOLL_CTL_ADD, fd, EPOLLIN | EPOLLONESHOT | EPOLLEXCLUSIVE, EINVAL);
	assert_int_equal(tn_epoll_ctl(st, ep, EPOLL_CTL_ADD, fd,
				      &(struct epoll_event){ .events = EPOLLIN | EPOLLEXCLUSIVE }), 0);
	ctl_err(st, ep, EPOLL_CTL_MOD, fd, EPOLLIN, EINVAL);      /* MOD of an exclusive item */
	/* Epolls: EXCLUSIVE on an epoll target, a loop, a chain too deep. */
	for (int i = 0; i < 7; i++)
		chain[i] = ep_new(st);
	ctl_err(st, chain[0], EPOLL_CTL_ADD, chain[1], EPOLLIN | EPOLLEXCLUSIVE, EINVAL);
	assert_int_equal(tn_epoll_ctl(st, chain[0], EPOLL_CTL_ADD, chain[1], &ev), 0);
	ctl_err(st, chain[1], EPOLL_CTL_ADD, chain[0], EPOLLIN, ELOOP);
	for (int i = 1; i < 4; i++)
		assert_int_equal(tn_epoll_ctl(st, chain[i], EPOLL_CTL_ADD, chain[i + 1], &ev), 0);
	/* chain[0] -> ... -> chain[4]: five epolls; a sixth is too many. */
	ctl_err(st, chain[4], EPOLL_CTL_ADD, chain[5], EPOLLIN, ELOOP);
	for (int i = 0; i < 7; i++)
		tn_close(st, chain[i]);
	/* epoll_create and epoll_wait arguments. */
	assert_int_equal(tn_epoll_create(st, 0), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(tn_epoll_create1(st, 1), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(tn_epoll_wait(st, ep, &ev, 0, 0), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(tn_epoll_wait(st, fd, &ev, 1, 0), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(tn_epoll_wait(st, 999, &ev, 1, 0), -1);
	assert_int_equal(errno, EBADF);
	tn_close(st, ep);
	tn_close(st, fd);
	assert_int_equal(tn_stack_free(st), 0);
}

static void epoll_wait_timeout_on_stack_clock(void **state)
{
	struct tn_stack *st = vt_stack(false);
	int ep = ep_new(st), fd = udp_bound(st, 0);
	struct epoll_event ev;
	u64 t0;

	(void)state;
	ep_add(st, ep, fd, EPOLLIN, 1);
	t0 = tn_stack_now(st);
	assert_int_equal(tn_epoll_wait(st, ep, &ev, 1, 250), 0);
	assert_true(tn_stack_now(st) - t0 >= 250 * NS_PER_MS);
	tn_close(st, ep);
	tn_close(st, fd);
	assert_int_equal(tn_stack_free(st), 0);
}

/* ---- select --------------------------------------------------------------- */

static void select_sets_ebadf_and_timeout(void **state)
{
	struct tn_stack *st = vt_stack(false);
	int rx = udp_bound(st, 0), tx = udp_bound(st, 0);
	struct timeval tv = { .tv_sec = 0, .tv_usec = 100000 };
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	fd_set r, w;

	(void)state;
	tn_getsockname(st, rx, (struct sockaddr *)&sin, &len);
	FD_ZERO(&r);
	FD_SET(rx, &r);
	assert_int_equal(tn_select(st, rx + 1, &r, NULL, NULL, &tv), 0);   /* times out */
	assert_int_equal(tv.tv_sec, 0);
	assert_int_equal(tv.tv_usec, 0);
	assert_false(FD_ISSET(rx, &r));
	udp_send_to(st, tx, ntohs(sin.sin_port));
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_SET(rx, &r);
	FD_SET(tx, &r);
	FD_SET(rx, &w);
	assert_int_equal(tn_select(st, 64, &r, &w, NULL, NULL), 2);
	assert_true(FD_ISSET(rx, &r));
	assert_false(FD_ISSET(tx, &r));
	assert_true(FD_ISSET(rx, &w));
	FD_ZERO(&r);
	FD_SET(40, &r);
	assert_int_equal(tn_select(st, 41, &r, NULL, NULL, NULL), -1);
	assert_int_equal(errno, EBADF);
	tv.tv_usec = -1;
	assert_int_equal(tn_select(st, 0, NULL, NULL, NULL, &tv), -1);
	assert_int_equal(errno, EINVAL);
	tn_close(st, rx);
	tn_close(st, tx);
	assert_int_equal(tn_stack_free(st), 0);
}

/* ---- SIGIO ------------------------------------------------------------- */

static void sigio_on_arrival_with_o_async_and_owner(void **state)
{
	struct tn_stack *st = vt_stack(false);
	int rx = udp_bound(st, 0), tx = udp_bound(st, 0), sig;
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	sigset_t io, pending, old;

	(void)state;
	sigemptyset(&io);
	sigaddset(&io, SIGIO);
	pthread_sigmask(SIG_BLOCK, &io, &old);
	tn_getsockname(st, rx, (struct sockaddr *)&sin, &len);
	/* No O_ASYNC yet: nothing. */
	assert_int_equal(tn_fcntl(st, rx, F_SETOWN, (int)syscall(SYS_gettid)), 0);
	udp_send_to(st, tx, ntohs(sin.sin_port));
	sigpending(&pending);
	assert_false(sigismember(&pending, SIGIO));
	assert_int_equal(tn_fcntl(st, rx, F_SETFL, O_ASYNC | O_NONBLOCK), 0);
	udp_send_to(st, tx, ntohs(sin.sin_port));
	sigpending(&pending);
	assert_true(sigismember(&pending, SIGIO));
	assert_int_equal(sigwait(&io, &sig), 0);
	assert_int_equal(sig, SIGIO);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	tn_close(st, rx);
	tn_close(st, tx);
	assert_int_equal(tn_stack_free(st), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rbtree_random_insert_erase_stays_balanced),
		cmocka_unit_test(udp_masks_every_state),
		cmocka_unit_test(tcp_masks_every_state),
		cmocka_unit_test(tcp_reset_reports_err_hup),
		cmocka_unit_test(udp_level_vs_edge_wakeup_counts),
		cmocka_unit_test(oneshot_fires_once_until_mod),
		cmocka_unit_test(exclusive_without_sleepers_reaches_both_sets),
		cmocka_unit_test(close_removes_from_every_set),
		cmocka_unit_test(nested_epoll_and_poll_on_epoll),
		cmocka_unit_test(epoll_ctl_errors_as_linux),
		cmocka_unit_test(epoll_wait_timeout_on_stack_clock),
		cmocka_unit_test(select_sets_ebadf_and_timeout),
		cmocka_unit_test(sigio_on_arrival_with_o_async_and_owner),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
