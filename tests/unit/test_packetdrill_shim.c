/* tn-test-labels: threads
 *
 * The packetdrill shim, driven as packetdrill drives it: dlopen
 * build/libtuxnet-packetdrill.so, call packetdrill_interface_init, then
 * make every socket call, clock reading and packet exchange through the
 * struct, in virtual time, with a blocking accept on a second thread.
 *
 * The test is the remote end (192.0.2.1) of a connection to 192.168.0.1
 * on tun0. It injects byte-exact IPv4 packets with netdev_send and reads
 * what the stack sends with netdev_receive. Each segment read is compared
 * whole with one the test builds itself, checksums included. Only the
 * values Linux chooses at random are taken from the stack: the ISN and
 * the TSval offset from the SYN-ACK, and the IP ID of each packet of the
 * connection (random in Linux too; tuxnet draws them from the
 * per-destination generator where Linux counts per socket, which is
 * listed in docs/packetdrill.md). The checksums are then computed over
 * those values, so they are checked all the same.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/syscall.h>
#include <cmocka.h>

#include "../../tools/packetdrill/packetdrill_interface.h"

#define LOCAL_IP 0xc0a80001u    /* 192.168.0.1 */
#define PEER_IP 0xc0000201u     /* 192.0.2.1 */
#define SRV_PORT 8080
#define PEER_PORT 50000
#define PEER_ISN 1000u
#define PEER_TSVAL 5000u
#define USEC 1000000ll

/* packetdrill's dlopen flags; sanitizer runtimes refuse RTLD_DEEPBIND. gcc
 * says so with __SANITIZE_*__, clang with __has_feature. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define TN_PD_SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__) || defined(TN_PD_SANITIZED)
#define PD_DLOPEN_FLAGS (RTLD_NOW | RTLD_LOCAL)
#else
#define PD_DLOPEN_FLAGS (RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND)
#endif

#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_RST 0x04
#define TH_PSH 0x08
#define TH_ACK 0x10

struct pd {
	void *handle;
	struct packetdrill_interface ifc;
	void *ud;
};

/* ---- packets ---------------------------------------------------------- */

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

/* RFC 1071 sum of len bytes, folded, not complemented; start is a partial
 * sum to continue. */
static uint32_t sum16(const uint8_t *p, size_t len, uint32_t start)
{
	uint32_t s = start;

	for (size_t i = 0; i + 1 < len; i += 2)
		s += get16(p + i);
	if (len & 1)
		s += (uint32_t)p[len - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return s;
}

/* One TCP segment in an IPv4 packet, as Linux would send it (DF, TTL 64). */
struct seg {
	uint32_t saddr, daddr;
	uint16_t sport, dport;
	uint16_t ipid;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t window;
	const uint8_t *opts;
	size_t optlen;          /* a multiple of 4 */
	const uint8_t *data;
	size_t len;
	bool take_ipid;         /* expect(): the IP ID is the stack's choice */
};

static size_t build(uint8_t *pkt, const struct seg *s)
{
	uint8_t *ip = pkt, *th = pkt + 20;
	size_t thlen = 20 + s->optlen, total = 20 + thlen + s->len;
	uint8_t pseudo[12];

	memset(pkt, 0, 40);
	ip[0] = 0x45;
	put16(ip + 2, (uint16_t)total);
	put16(ip + 4, s->ipid);
	put16(ip + 6, 0x4000);
	ip[8] = 64;
	ip[9] = IPPROTO_TCP;
	put32(ip + 12, s->saddr);
	put32(ip + 16, s->daddr);
	put16(ip + 10, (uint16_t)~sum16(ip, 20, 0));

	put16(th, s->sport);
	put16(th + 2, s->dport);
	put32(th + 4, s->seq);
	put32(th + 8, s->ack);
	th[12] = (uint8_t)((thlen / 4) << 4);
	th[13] = s->flags;
	put16(th + 14, s->window);
	if (s->optlen)
		memcpy(th + 20, s->opts, s->optlen);
	if (s->len)
		memcpy(th + thlen, s->data, s->len);
	memcpy(pseudo, ip + 12, 8);
	pseudo[8] = 0;
	pseudo[9] = IPPROTO_TCP;
	put16(pseudo + 10, (uint16_t)(thlen + s->len));
	put16(th + 16, (uint16_t)~sum16(th, thlen + s->len, sum16(pseudo, 12, 0)));
	return total;
}

/* mss 1460, sackOK, TS(val, ecr), nop, wscale 7: a Linux SYN's options. */
static void syn_opts(uint8_t *o, uint32_t val, uint32_t ecr)
{
	static const uint8_t head[] = { 2, 4, 0x05, 0xb4, 4, 2, 8, 10 };

	memcpy(o, head, sizeof(head));
	put32(o + 8, val);
	put32(o + 12, ecr);
	o[16] = 1;
	o[17] = 3;
	o[18] = 3;
	o[19] = 7;
}

/* nop, nop, TS(val, ecr). */
static void ts_opts(uint8_t *o, uint32_t val, uint32_t ecr)
{
	o[0] = 1;
	o[1] = 1;
	o[2] = 8;
	o[3] = 10;
	put32(o + 4, val);
	put32(o + 8, ecr);
}

/* ---- the shim --------------------------------------------------------- */

static int pd_setup(void **state)
{
	const char *dir = getenv("TN_BUILD_DIR");
	char path[4096];
	packetdrill_interface_init_t init;
	struct pd *p = calloc(1, sizeof(*p));

	assert_non_null(p);
	snprintf(path, sizeof(path), "%s/libtuxnet-packetdrill.so", dir ? dir : "build");
	p->handle = dlopen(path, PD_DLOPEN_FLAGS);
	if (!p->handle)
		fail_msg("dlopen %s: %s", path, dlerror());
	init = (packetdrill_interface_init_t)dlsym(p->handle, "packetdrill_interface_init");
	assert_non_null(init);
	/* Only the init function is exported. */
	assert_null(dlsym(p->handle, "tn_socket"));
	init("ip=192.168.0.1,peer=192.0.2.1,mtu=1500", &p->ifc);
	p->ud = p->ifc.userdata;
	assert_non_null(p->ud);
	*state = p;
	return 0;
}

static int pd_teardown(void **state)
{
	struct pd *p = *state;

	if (p->ud)
		p->ifc.free(p->ud);
	dlclose(p->handle);
	free(p);
	return 0;
}

static long long now_us(struct pd *p)
{
	struct timeval tv;

	assert_int_equal(p->ifc.gettimeofday(p->ud, &tv, NULL), 0);
	return (long long)tv.tv_sec * USEC + tv.tv_usec;
}

static void inject(struct pd *p, const struct seg *s)
{
	uint8_t pkt[2048];
	size_t len = build(pkt, s);

	assert_int_equal(p->ifc.netdev_send(p->ud, pkt, len), 0);
}

/* The next packet the stack sends; returns its length and send time. */
static size_t receive(struct pd *p, uint8_t *buf, size_t cap, long long *t)
{
	size_t n = cap;

	assert_int_equal(p->ifc.netdev_receive(p->ud, buf, &n, t), 0);
	return n;
}

static void dump(const char *what, const uint8_t *b, size_t n)
{
	fprintf(stderr, "%s (%zu bytes):", what, n);
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, "%s%02x", i % 16 ? " " : "\n  ", b[i]);
	fprintf(stderr, "\n");
}

/* Read the next packet and compare it byte for byte with want (whose IP
 * ID is first taken from the packet if want->take_ipid). Returns the time
 * it was sent. */
static long long expect(struct pd *p, struct seg *want)
{
	uint8_t got[2048], exp[2048];
	size_t n, m;
	long long t;

	n = receive(p, got, sizeof(got), &t);
	if (want->take_ipid && n >= 20)
		want->ipid = get16(got + 4);
	m = build(exp, want);
	if (n != m || memcmp(got, exp, n)) {
		dump("expected", exp, m);
		dump("got", got, n);
		fail_msg("segment differs");
	}
	return t;
}

/* A segment of the connection SRV_PORT <-> PEER_PORT, from the stack. */
static struct seg out_seg(uint16_t ipid, uint32_t seq, uint32_t ack, uint8_t flags,
			  uint16_t window)
{
	return (struct seg){ .saddr = LOCAL_IP, .daddr = PEER_IP, .sport = SRV_PORT,
			     .dport = PEER_PORT, .ipid = ipid, .seq = seq, .ack = ack,
			     .flags = flags, .window = window, .take_ipid = true };
}

/* ... and from the peer. */
static struct seg in_seg(uint32_t seq, uint32_t ack, uint8_t flags)
{
	return (struct seg){ .saddr = PEER_IP, .daddr = LOCAL_IP, .sport = PEER_PORT,
			     .dport = SRV_PORT, .ipid = 0x4242, .seq = seq, .ack = ack,
			     .flags = flags, .window = 502 };
}

/* ---- a thread blocked in accept --------------------------------------- */

struct acceptor {
	struct pd *p;
	int lfd;
	int fd;
	int err;
	pid_t tid;
	pthread_mutex_t lock;
	bool done;
};

static void *acceptor_main(void *arg)
{
	struct acceptor *a = arg;
	struct sockaddr_in peer;
	socklen_t len = sizeof(peer);
	int fd;

	pthread_mutex_lock(&a->lock);
	a->tid = (pid_t)syscall(SYS_gettid);
	pthread_mutex_unlock(&a->lock);
	fd = a->p->ifc.accept(a->p->ud, a->lfd, (struct sockaddr *)&peer, &len);
	pthread_mutex_lock(&a->lock);
	a->fd = fd;
	a->err = fd < 0 ? errno : 0;
	a->done = true;
	pthread_mutex_unlock(&a->lock);
	return NULL;
}

/* The host's view of a thread: its state letter in /proc (R, S, ...). */
static char thread_state(pid_t tid)
{
	char path[64], buf[512], *paren;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", (int)tid);
	f = fopen(path, "r");
	if (!f)
		return '?';
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	paren = strrchr(buf, ')');
	return paren && paren[1] == ' ' ? paren[2] : '?';
}

/* What packetdrill does before it moves on from a blocking call: wait (in
 * real time) until the system-call thread is asleep in the host kernel. */
static bool acceptor_sleeps(struct acceptor *a)
{
	for (int i = 0; i < 2000; i++) {
		pid_t tid;
		bool done;

		pthread_mutex_lock(&a->lock);
		tid = a->tid;
		done = a->done;
		pthread_mutex_unlock(&a->lock);
		if (done)
			return false;
		if (tid && thread_state(tid) == 'S')
			return true;
		usleep(1000);
	}
	return false;
}

static bool acceptor_done(struct acceptor *a)
{
	bool done;

	pthread_mutex_lock(&a->lock);
	done = a->done;
	pthread_mutex_unlock(&a->lock);
	return done;
}

/* ---- the connection --------------------------------------------------- */

/* What the test learned about the stack's side of the connection. */
struct conn {
	uint32_t isn;          /* the stack's initial sequence number */
	uint32_t ts_base;      /* its TSval when the SYN-ACK left */
	long long ts_time;     /* ... and that time (us) */
	uint16_t ipid;         /* the IP ID of the last packet it sent */
	int lfd, fd;
};

/* TSval at time t: Linux's clock for timestamps ticks in milliseconds. */
static uint32_t tsval_at(const struct conn *c, long long t)
{
	return c->ts_base + (uint32_t)(t / 1000 - c->ts_time / 1000);
}

static int listener(struct pd *p)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(SRV_PORT),
				 .sin_addr.s_addr = htonl(LOCAL_IP) };
	int one = 1;
	int fd = p->ifc.socket(p->ud, AF_INET, SOCK_STREAM, IPPROTO_TCP);

	assert_true(fd >= 0);
	/* A real host descriptor stands behind it. */
	assert_true(fcntl(fd, F_GETFD) >= 0);
	assert_int_equal(p->ifc.setsockopt(p->ud, fd, SOL_SOCKET, SO_REUSEADDR, &one,
					   sizeof(one)), 0);
	assert_int_equal(p->ifc.bind(p->ud, fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(p->ifc.listen(p->ud, fd, 1), 0);
	return fd;
}

/* socket, bind, listen; accept blocks on a second thread through the SYN
 * and the SYN-ACK and returns on the ACK. */
static void passive_open(struct pd *p, struct conn *c)
{
	struct acceptor a = { .p = p, .fd = -1 };
	uint8_t opts[20], got[2048];
	struct seg syn = in_seg(PEER_ISN, 0, TH_SYN), ack, synack;
	pthread_t tid;
	long long t0, t;
	size_t n;

	c->lfd = listener(p);
	a.lfd = c->lfd;
	pthread_mutex_init(&a.lock, NULL);
	assert_int_equal(pthread_create(&tid, NULL, acceptor_main, &a), 0);
	if (!acceptor_sleeps(&a))
		fail_msg("accept did not block: done %d fd %d errno %d", a.done, a.fd, a.err);

	syn_opts(opts, PEER_TSVAL, 0);
	syn.window = 65535;
	syn.opts = opts;
	syn.optlen = 20;
	t0 = now_us(p);
	inject(p, &syn);

	/* The SYN-ACK, sent at once; learn the ISN, TSval and IP ID. */
	n = receive(p, got, sizeof(got), &t);
	assert_int_equal(t, t0);
	assert_true(n >= 60);
	c->isn = get32(got + 24);
	c->ts_base = get32(got + 48);
	c->ts_time = t;
	c->ipid = get16(got + 4);
	/* Window 65160, as `tcpdump` shows a Linux server's SYN-ACK: 64 KiB
	 * of tcp_rmem[1] / 2 rounded down to a multiple of the MSS less the
	 * timestamp option (45 * 1448); the window field of a SYN is never
	 * scaled. IP ID 0: Linux numbers only a connected socket's packets. */
	synack = out_seg(c->ipid, c->isn, PEER_ISN + 1, TH_SYN | TH_ACK, 65160);
	assert_int_equal(c->ipid, 0);
	syn_opts(opts, c->ts_base, PEER_TSVAL);
	synack.opts = opts;
	synack.optlen = 20;
	{
		uint8_t exp[2048];
		size_t m = build(exp, &synack);

		if (n != m || memcmp(got, exp, n)) {
			dump("expected", exp, m);
			dump("got", got, n);
			fail_msg("SYN-ACK differs");
		}
	}
	/* accept still sleeps: the handshake is not complete. */
	assert_true(acceptor_sleeps(&a));
	/* ... through 10 ms of virtual time, the handshake's RTT. */
	assert_int_equal(p->ifc.usleep(p->ud, 10000), 0);
	assert_false(acceptor_done(&a));

	ack = in_seg(PEER_ISN + 1, c->isn + 1, TH_ACK);
	ts_opts(opts, PEER_TSVAL + 10, c->ts_base);
	ack.opts = opts;
	ack.optlen = 12;
	inject(p, &ack);
	assert_int_equal(pthread_join(tid, NULL), 0);
	assert_true(a.fd >= 0);
	assert_true(fcntl(a.fd, F_GETFD) >= 0);
	c->fd = a.fd;
	pthread_mutex_destroy(&a.lock);
}

/* The unACKed segment again after the RTO. Linux's RTO here is 210 ms:
 * the handshake's 10 ms RTT (sampled from the echoed timestamp) plus
 * RTO_MIN (tcp_set_rto: srtt + rttvar, rttvar at least 200 ms). Returns
 * the time it was sent. */
static long long check_retransmission(struct pd *p, struct conn *c, struct seg *want,
				      long long t_write)
{
	uint8_t got[2048];
	long long t, rto;
	size_t n;

	/* Timers fire on jiffies (1 ms): at a millisecond boundary, counted
	 * from the millisecond of the write. */
	n = receive(p, got, sizeof(got), &t);
	assert_int_equal(t % 1000, 0);
	rto = t / 1000 - t_write / 1000;
	assert_int_equal(rto, 210);
	want->ipid = get16(got + 4);
	ts_opts((uint8_t *)want->opts, tsval_at(c, t), PEER_TSVAL + 20);
	{
		uint8_t exp[2048];
		size_t m = build(exp, want);

		if (n != m || memcmp(got, exp, n)) {
			dump("expected", exp, m);
			dump("got", got, n);
			fail_msg("retransmission differs");
		}
	}
	return t;
}

/* close() sends FIN at once; the peer's FIN-ACK gets the last ACK, then
 * nothing more (TIME-WAIT is silent): netdev_receive gives up after its
 * 10 s horizon with nothing read. */
static void active_close(struct pd *p, struct conn *c)
{
	uint8_t opts[12], buf[64];
	struct seg want, fin;
	long long t, t_close;
	size_t n;

	t_close = now_us(p);
	assert_int_equal(p->ifc.close(p->ud, c->fd), 0);
	assert_int_equal(fcntl(c->fd, F_GETFD), -1);   /* the host half went too */
	want = out_seg(0, c->isn + 1001, PEER_ISN + 101, TH_FIN | TH_ACK, 509);
	ts_opts(opts, tsval_at(c, t_close), PEER_TSVAL + 30);
	want.opts = opts;
	want.optlen = 12;
	assert_int_equal(expect(p, &want), t_close);

	assert_int_equal(p->ifc.usleep(p->ud, 10000), 0);
	fin = in_seg(PEER_ISN + 101, c->isn + 1002, TH_FIN | TH_ACK);
	ts_opts(opts, PEER_TSVAL + 40, tsval_at(c, t_close));
	fin.opts = opts;
	fin.optlen = 12;
	t = now_us(p);
	inject(p, &fin);
	want = out_seg(0, c->isn + 1002, PEER_ISN + 102, TH_ACK, 509);
	ts_opts(opts, tsval_at(c, t), PEER_TSVAL + 40);
	want.opts = opts;
	want.optlen = 12;
	assert_int_equal(expect(p, &want), t);

	n = receive(p, buf, sizeof(buf), &t);
	assert_int_equal(n, 0);
	assert_true(now_us(p) - t_close >= 10 * USEC);
	assert_int_equal(p->ifc.close(p->ud, c->lfd), 0);
}

static void test_passive_open_data_retransmit_active_close(void **state)
{
	struct pd *p = *state;
	struct conn c;
	uint8_t opts[12], data[1000], buf[1000];
	struct seg s, want;
	long long t, t_write;

	passive_open(p, &c);

	/* 100 bytes from the peer: ACKed at once (quick ACK mode). */
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + 1);
	s = in_seg(PEER_ISN + 1, c.isn + 1, TH_ACK | TH_PSH);
	ts_opts(opts, PEER_TSVAL + 20, c.ts_base);
	s.opts = opts;
	s.optlen = 12;
	s.data = data;
	s.len = 100;
	t = now_us(p);
	inject(p, &s);
	/* Window 509: the SYN-ACK's 65160 scaled by 7 (what a Linux
	 * server's ACKs show). */
	want = out_seg(0, c.isn + 1, PEER_ISN + 101, TH_ACK, 509);
	ts_opts(opts, tsval_at(&c, t), PEER_TSVAL + 20);
	want.opts = opts;
	want.optlen = 12;
	assert_int_equal(expect(p, &want), t);
	c.ipid = want.ipid;
	assert_int_equal(p->ifc.read(p->ud, c.fd, buf, sizeof(buf)), 100);
	assert_memory_equal(buf, data, 100);

	/* 1000 bytes to the peer, never ACKed: sent at once, then again
	 * when the RTO expires. */
	assert_int_equal(p->ifc.usleep(p->ud, 5000), 0);
	t_write = now_us(p);
	assert_int_equal(p->ifc.write(p->ud, c.fd, data, sizeof(data)), (ssize_t)sizeof(data));
	want = out_seg(0, c.isn + 1, PEER_ISN + 101, TH_ACK | TH_PSH, 509);
	ts_opts(opts, tsval_at(&c, t_write), PEER_TSVAL + 20);
	want.opts = opts;
	want.optlen = 12;
	want.data = data;
	want.len = sizeof(data);
	assert_int_equal(expect(p, &want), t_write);
	check_retransmission(p, &c, &want, t_write);

	/* The peer ACKs it all. */
	s = in_seg(PEER_ISN + 101, c.isn + 1001, TH_ACK);
	ts_opts(opts, PEER_TSVAL + 30, tsval_at(&c, t_write));
	s.opts = opts;
	s.optlen = 12;
	inject(p, &s);

	active_close(p, &c);
}

/* Bad --so_flags: every member is still there, userdata is NULL and every
 * call fails with ENODEV; netdev_receive reports nothing sent rather than
 * -1, which packetdrill would retry forever. */
static void test_bad_flags_fail_every_call(void **state)
{
	struct pd *p = *state;
	packetdrill_interface_init_t init =
		(packetdrill_interface_init_t)dlsym(p->handle, "packetdrill_interface_init");
	struct packetdrill_interface bad;
	uint8_t buf[64];
	size_t n = sizeof(buf);
	long long t;

	init("ip=192.168.0.1,mtu=12", &bad);
	assert_null(bad.userdata);
	assert_non_null(bad.free);
	assert_int_equal(bad.socket(NULL, AF_INET, SOCK_STREAM, 0), -1);
	assert_int_equal(errno, ENODEV);
	assert_int_equal(bad.netdev_receive(NULL, buf, &n, &t), 0);
	assert_int_equal(n, 0);
	bad.free(NULL);
	init("color=blue", &bad);
	assert_null(bad.userdata);
	/* sysctl=KEY=VALUE: an unknown key fails the init; a known one is
	 * written (the stack comes up). */
	init("sysctl=net.ipv4.tcp_no_such_thing=1", &bad);
	assert_null(bad.userdata);
	init("sysctl=net.ipv4.tcp_rmem=4096 540000 15728640,sysctl=net.ipv4.tcp_sack=1", &bad);
	assert_non_null(bad.userdata);
	bad.free(bad.userdata);
}

/* The clock: a microsecond per reading; usleep moves it exactly. */
static void test_clock_moves_by_reading_and_usleep(void **state)
{
	struct pd *p = *state;
	long long a = now_us(p), b = now_us(p);

	assert_int_equal(b - a, 1);
	assert_int_equal(p->ifc.usleep(p->ud, 250000), 0);
	assert_int_equal(now_us(p) - b, 250000 + 1);
}

/* Descriptors: host ones in, tuxnet ones behind; poll, epoll and fcntl
 * go through the mapping; an unknown descriptor is EBADF / POLLNVAL;
 * pipe and splice answer ENOSYS. */
static void test_descriptors_map_to_host_fds(void **state)
{
	struct pd *p = *state;
	int fd = p->ifc.socket(p->ud, AF_INET, SOCK_DGRAM, 0);
	struct pollfd pfd[2] = { { .fd = fd, .events = POLLOUT }, { .fd = 999, .events = POLLIN } };
	struct epoll_event ev;
	int pipefd[2], ep;

	assert_true(fd >= 0);
	assert_int_equal(p->ifc.fcntl(p->ud, fd, F_SETFL, O_NONBLOCK), 0);
	assert_int_equal(p->ifc.fcntl(p->ud, fd, F_GETFL) & O_NONBLOCK, O_NONBLOCK);
	assert_int_equal(p->ifc.poll(p->ud, pfd, 2, 0), 2);
	assert_int_equal(pfd[0].revents, POLLOUT);
	assert_int_equal(pfd[1].revents, POLLNVAL);
	ep = p->ifc.epoll_create(p->ud, 1);
	assert_true(ep >= 0);
	assert_true(fcntl(ep, F_GETFD) >= 0);
	ev.events = EPOLLOUT;
	ev.data.u64 = 0x1122334455667788ull;
	assert_int_equal(p->ifc.epoll_ctl(p->ud, ep, EPOLL_CTL_ADD, fd, &ev), 0);
	memset(&ev, 0, sizeof(ev));
	assert_int_equal(p->ifc.epoll_wait(p->ud, ep, &ev, 1, 0), 1);
	assert_int_equal(ev.events, EPOLLOUT);
	assert_true(ev.data.u64 == 0x1122334455667788ull);
	assert_int_equal(p->ifc.epoll_ctl(p->ud, ep, EPOLL_CTL_ADD, 999, &ev), -1);
	assert_int_equal(errno, EBADF);
	assert_int_equal(p->ifc.close(p->ud, ep), 0);
	assert_int_equal(p->ifc.listen(p->ud, 999, 1), -1);
	assert_int_equal(errno, EBADF);
	assert_int_equal(p->ifc.pipe(p->ud, pipefd), -1);
	assert_int_equal(errno, ENOSYS);
	assert_int_equal(p->ifc.close(p->ud, fd), 0);
	assert_int_equal(p->ifc.close(p->ud, fd), -1);
	assert_int_equal(errno, EBADF);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_passive_open_data_retransmit_active_close,
						pd_setup, pd_teardown),
		cmocka_unit_test_setup_teardown(test_bad_flags_fail_every_call, pd_setup,
						pd_teardown),
		cmocka_unit_test_setup_teardown(test_clock_moves_by_reading_and_usleep, pd_setup,
						pd_teardown),
		cmocka_unit_test_setup_teardown(test_descriptors_map_to_host_fds, pd_setup,
						pd_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
