/*
 * iperf3 3.12, client and server, as a transport-independent engine
 * (iperf3.h): the protocol on the wire and the report on the terminal, line
 * for line where it can be. Debian's iperf3 is the peer it is checked
 * against (tests/sh/test_iperf3_compat.sh), over TCP only.
 *
 * The control connection (the client's first connection to port 5201):
 *
 *   client -> server  the 37-byte cookie (36 characters [a-z2-7] and a NUL)
 *   server -> client  PARAM_EXCHANGE
 *   client -> server  the parameters: 4-byte big-endian length, JSON
 *   server -> client  CREATE_STREAMS
 *                     (each data connection starts with the cookie; a
 *                      connection with another cookie gets ACCESS_DENIED)
 *   server -> client  TEST_START, TEST_RUNNING once all streams are in
 *   client -> server  TEST_END after -t seconds or -n bytes
 *   server -> client  EXCHANGE_RESULTS
 *   client -> server  its results (length, JSON); then the server's back
 *   server -> client  DISPLAY_RESULTS
 *   client -> server  IPERF_DONE
 *
 * A server that is busy answers a new control connection's cookie with
 * ACCESS_DENIED; SERVER_ERROR is followed by two 4-byte error numbers;
 * CLIENT_TERMINATE / SERVER_TERMINATE end a test that was interrupted.
 * Stream ids in the results are iperf3's own (1, 3, 4, 5, ...: the quirk of
 * its iperf_add_stream), the ids printed are [  5], [  7], ... as before.
 *
 * Where iperf3 ends a test, its sender simply stops and its receiver stops
 * counting at TEST_END, so bytes still in flight are counted by the sender
 * only. tuxnet closes that gap so that --digest (a tuxnet extension) can
 * compare both ends: its sender shuts its streams down (FIN) before
 * TEST_END and says so in the parameters ("tuxnet_fin"), and a receiver
 * told so reads each stream to EOF before the results. A tuxnet client in
 * reverse mode always reads to EOF after TEST_END (iperf3's server closes
 * its streams at TEST_END), for at most IPERF_DRAIN_NS. Against iperf3
 * itself the counts are iperf3's: what each end saw.
 *
 * The sender's payload is tn_stream_pattern() (a function of the stream
 * offset), so two tuxnet ends can compare digests; iperf3's payload is
 * whatever iperf3 sends, digested as it comes.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "tools/cmd/cmd.h"
#include "tools/cmd/iperf3.h"

#define IPERF_CTRL_MAX (96 * 1024)    /* control input / output buffers */
#define IPERF_JSON_MAX (64 * 1024)    /* longest JSON accepted */
#define IPERF_PENDING 16              /* accepted, cookie not yet read */
#define IPERF_DRAIN_NS (10ull * 1000000000ull)
#define IPERF_SLICE_NS 2000000ull     /* real time spent moving data per run */
#define IPERF_INSTANT_MAX (256ull << 20) /* bytes at one virtual instant: a stuck clock */
#define IPERF_VERSION "3.12"
#define IPERF_SEP "- - - - - - - - - - - - - - - - - - - - - - - - -\n"
#define IPERF_DASHES "-----------------------------------------------------------\n"

enum iperf_phase {
	P_IDLE,         /* server: no client */
	P_CONNECT,      /* client: control connection on its way */
	P_COOKIE,       /* server: reading the control connection's cookie */
	P_PARAMS,       /* parameters being exchanged */
	P_STREAMS,      /* data connections being made */
	P_RUNNING,      /* data flowing */
	P_ENDING,       /* TEST_END sent or seen; the streams finishing */
	P_RESULTS,      /* results being exchanged */
	P_DISPLAY,      /* client: waiting for DISPLAY_RESULTS; server: IPERF_DONE */
};

struct iperf_stream {
	void *conn;
	int id;                       /* printed: [  5], [  7], ... */
	int wire_id;                  /* in the results: 1, 3, 4, ... */
	u64 bytes, last_bytes;
	u32 last_retrans;
	u64 end_ns;                   /* stopped sending / saw EOF */
	bool done;
	bool cookie_sent;             /* client */
	struct tn_digest dg;
	/* the other end's results */
	bool r_valid, r_has_digest;
	u64 r_bytes, r_digest;
	double r_end;                 /* seconds since its start */
	long long r_retrans;          /* -1: not known */
};

struct iperf_pending {
	void *conn;
	char cookie[IPERF_COOKIE_SIZE];
	unsigned int len;
};

struct iperf_test {
	struct iperf_opts o;          /* the command line */
	/* The test's parameters: the command line's, or the client's. */
	u64 time_ms, bytes, len;
	unsigned int streams;
	bool reverse;
	const struct iperf_io_ops *ops;
	void *io;
	FILE *out, *err;

	enum iperf_phase phase;
	bool done, over;              /* process finished / this test finished */
	int status;
	unsigned int test_no;
	char cookie[IPERF_COOKIE_SIZE];
	void *ctrl;
	struct iperf_pending pend[IPERF_PENDING];
	struct iperf_stream st[IPERF_MAX_STREAMS];
	unsigned int nstreams;        /* connected (client) / accepted (server) */

	bool sending;                 /* this end sends the data */
	bool go;                      /* TEST_RUNNING */
	bool peer_fin;                /* the sender FINs before TEST_END */
	bool end_sent;                /* client: TEST_END is out */
	bool local_done;              /* every stream finished; final interval out */
	u64 start_ns, last_iv_ns, iv_deadline, end_deadline, drain_deadline;
	u64 sent_total, recv_total;
	u64 instant_ns, instant_base; /* the clock reading data last moved at, and
				       * the byte count then (a stuck clock) */

	u8 cin[IPERF_CTRL_MAX];
	size_t cin_len;
	bool want_json;               /* the next control input is a JSON blob */
	u8 cout[IPERF_CTRL_MAX];
	size_t cout_len;
	char json[IPERF_JSON_MAX];
	u8 buf[IPERF_DEFAULT_LEN];
};

static u64 now_ns(const struct iperf_test *t) { return t->ops->now(t->io); }

/* ---- iperf3's numbers: unit_snprintf ------------------------------------ */

/* Bytes in 'A' (1024-based, "KByte") or bits/s in 'a' (1000-based, "Kbit"). */
static void ip_unit(char *buf, size_t len, double v, bool bits)
{
	static const char *const byte_u[] = { "Byte", "KByte", "MByte", "GByte", "TByte" };
	static const char *const bit_u[] = { "bit", "Kbit", "Mbit", "Gbit", "Tbit" };
	double base = bits ? 1000.0 : 1024.0;
	int c = 0;
	const char *fmt;

	if (bits)
		v *= 8;
	while (v >= base && c < 4) {
		v /= base;
		c++;
	}
	fmt = v < 9.995 ? "%4.2f %s" : v < 99.95 ? "%4.1f %s" : "%4.0f %s";
	snprintf(buf, len, fmt, v, bits ? bit_u[c] : byte_u[c]);
}

static void ip_line(struct iperf_test *t, const char *id, double t0, double t1, u64 bytes,
		    const char *retr_cwnd, const char *tail)
{
	char tb[32], bb[32];
	double dur = t1 - t0;

	ip_unit(tb, sizeof(tb), (double)bytes, false);
	ip_unit(bb, sizeof(bb), dur > 0 ? (double)bytes / dur : 0, true);
	fprintf(t->out, "[%s] %6.2f-%-6.2f sec  %ss  %ss/sec%s%s\n", id, t0, t1, tb, bb, retr_cwnd,
		tail);
}

static void ip_id(char *buf, int id)
{
	snprintf(buf, 8, "%3d", id);
}

static double ip_secs(const struct iperf_test *t, u64 ns)
{
	return ns > t->start_ns ? (double)(ns - t->start_ns) / 1e9 : 0.0;
}

/* ---- the control connection ----------------------------------------------- */

/* Queue control output; ctrl_flush sends what the connection takes. */
static void ctrl_write(struct iperf_test *t, const void *p, size_t n)
{
	if (!t->ctrl || n > sizeof(t->cout) - t->cout_len)
		return;
	memcpy(t->cout + t->cout_len, p, n);
	t->cout_len += n;
}

static void ctrl_state(struct iperf_test *t, enum iperf_state_byte s)
{
	s8 b = (s8)s;

	ctrl_write(t, &b, 1);
}

static void ctrl_flush(struct iperf_test *t)
{
	while (t->ctrl && t->cout_len) {
		ssize_t w = t->ops->send(t->io, t->ctrl, t->cout, t->cout_len);

		if (w <= 0)
			return;
		t->cout_len -= (size_t)w;
		memmove(t->cout, t->cout + w, t->cout_len);
	}
}

/* The JSON blob in t->json, behind its 4-byte big-endian length. */
static void ctrl_json(struct iperf_test *t, const struct iperf_jw *w)
{
	u8 len[4];

	put_be32(len, (u32)w->len);
	ctrl_write(t, len, sizeof(len));
	ctrl_write(t, w->buf, w->len);
}

static void close_conn(struct iperf_test *t, void **conn)
{
	if (*conn) {
		t->ops->close(t->io, *conn);
		*conn = NULL;
	}
}

static void close_streams(struct iperf_test *t)
{
	for (unsigned int i = 0; i < IPERF_MAX_STREAMS; i++)
		close_conn(t, &t->st[i].conn);
}

static void close_all(struct iperf_test *t)
{
	close_streams(t);
	for (unsigned int i = 0; i < IPERF_PENDING; i++)
		close_conn(t, &t->pend[i].conn);
	ctrl_flush(t);
	close_conn(t, &t->ctrl);
}

/* A new test: the server between clients, the client once. */
static void reset_test(struct iperf_test *t)
{
	close_all(t);
	memset(t->st, 0, sizeof(t->st));
	for (unsigned int i = 0; i < IPERF_MAX_STREAMS; i++) {
		t->st[i].id = 5 + 2 * (int)i;
		t->st[i].wire_id = i ? (int)i + 2 : 1;
		t->st[i].r_retrans = -1;
		tn_digest_init(&t->st[i].dg);
	}
	t->time_ms = t->o.time_ms;
	t->bytes = t->o.bytes;
	t->len = t->o.len;
	t->streams = t->o.streams;
	t->reverse = t->o.reverse;
	t->phase = t->o.server ? P_IDLE : P_CONNECT;
	t->over = false;
	t->nstreams = 0;
	t->go = t->peer_fin = t->end_sent = t->local_done = false;
	t->sent_total = t->recv_total = 0;
	t->iv_deadline = t->end_deadline = t->drain_deadline = UINT64_MAX;
	t->cin_len = t->cout_len = 0;
	t->want_json = false;
}

static void server_banner(struct iperf_test *t)
{
	fprintf(t->out, IPERF_DASHES "Server listening on %lu (test #%u)\n" IPERF_DASHES, t->o.port,
		++t->test_no);
	fflush(t->out);
}

/* The test is over: the client exits, the server waits for the next. */
static void test_over(struct iperf_test *t, int status)
{
	t->over = true;
	if (status)
		t->status = status;
}

static void fail(struct iperf_test *t, const char *what)
{
	fflush(t->out);
	fprintf(t->err, "iperf3: error - %s\n", what);
	fflush(t->err);
	test_over(t, 1);
}

/* ---- intervals ------------------------------------------------------------ */

static void ip_cwnd_str(struct iperf_test *t, struct iperf_stream *s, u32 *retrans, char *buf,
			size_t len)
{
	u64 cwnd = 0;
	char cb[32];

	*retrans = 0;
	t->ops->tcp_info(t->io, s->conn, retrans, &cwnd);
	ip_unit(cb, sizeof(cb), (double)cwnd, false);
	/* "86.3 KByte" + "s": the unit text is short, the buffer is the caller's. */
	if ((size_t)snprintf(buf, len, "%.30ss", cb) >= len && len)
		buf[len - 1] = '\0';
}

static void ip_interval_header(struct iperf_test *t)
{
	if (t->sending)
		fprintf(t->out, "[ ID] Interval           Transfer     Bitrate         Retr  Cwnd\n");
	else
		fprintf(t->out, "[ ID] Interval           Transfer     Bitrate\n");
}

static void ip_print_interval(struct iperf_test *t, u64 now)
{
	double t0 = ip_secs(t, t->last_iv_ns), t1 = ip_secs(t, now);
	u64 sum = 0;
	u32 sum_retr = 0;
	char id[8], rc[64];

	if (now <= t->last_iv_ns)
		return;
	for (unsigned int i = 0; i < t->streams; i++) {
		struct iperf_stream *s = &t->st[i];
		u64 b = s->bytes - s->last_bytes;

		ip_id(id, s->id);
		if (t->sending && s->conn) {
			u32 retr;
			char cw[32];

			ip_cwnd_str(t, s, &retr, cw, sizeof(cw));
			snprintf(rc, sizeof(rc), "  %3u   %s       ", retr - s->last_retrans, cw);
			sum_retr += retr - s->last_retrans;
			s->last_retrans = retr;
		} else {
			snprintf(rc, sizeof(rc), "                  ");
		}
		ip_line(t, id, t0, t1, b, rc, "");
		s->last_bytes = s->bytes;
		sum += b;
	}
	if (t->streams > 1) {
		if (t->sending)
			snprintf(rc, sizeof(rc), "  %3u         ", sum_retr);
		else
			snprintf(rc, sizeof(rc), "                  ");
		ip_line(t, "SUM", t0, t1, sum, rc, "");
		fprintf(t->out, IPERF_SEP);
	}
	t->last_iv_ns = now;
	fflush(t->out);
}

/* TEST_START: the clock of the report starts. */
static void start_running(struct iperf_test *t)
{
	t->phase = P_RUNNING;
	t->start_ns = t->last_iv_ns = now_ns(t);
	ip_interval_header(t);
	if (t->o.interval_ms)
		t->iv_deadline = t->start_ns + t->o.interval_ms * 1000000ull;
	if (!t->o.server && !t->bytes)
		t->end_deadline = t->start_ns + t->time_ms * 1000000ull;
}

/* ---- the data --------------------------------------------------------------- */

static void stream_finish(struct iperf_test *t, struct iperf_stream *s)
{
	if (s->done)
		return;
	s->done = true;
	s->end_ns = now_ns(t);
	if (t->sending && s->conn)
		t->ops->shutdown(t->io, s->conn);
}

static void streams_finish(struct iperf_test *t)
{
	for (unsigned int i = 0; i < t->streams; i++)
		stream_finish(t, &t->st[i]);
}

static bool streams_done(const struct iperf_test *t)
{
	for (unsigned int i = 0; i < t->streams; i++)
		if (!t->st[i].done)
			return false;
	return true;
}

/* The earliest timer of the running test. */
static u64 next_timer(const struct iperf_test *t)
{
	return TN_MIN(TN_MIN(t->iv_deadline, t->end_deadline), t->drain_deadline);
}

/* One block onto a stream; false when it took nothing (full or finished). */
static bool send_block(struct iperf_test *t, struct iperf_stream *s)
{
	size_t n = (size_t)t->len;
	ssize_t w;

	if (s->done)
		return false;
	if (t->bytes) {
		if (t->sent_total >= t->bytes) {
			streams_finish(t);
			return false;
		}
		n = (size_t)TN_MIN((u64)n, t->bytes - t->sent_total);
	}
	/* The generated stream only where a digest will be compared: iperf3's
	 * payload is otherwise whatever is in the buffer, as iperf3's own. */
	if (t->o.digest)
		tn_stream_pattern(s->bytes, t->buf, n);
	w = t->ops->send(t->io, s->conn, t->buf, n);
	if (w == -EAGAIN)
		return false;
	if (w <= 0) {
		stream_finish(t, s);
		return false;
	}
	if (t->o.digest)
		tn_digest_update(&s->dg, t->buf, (size_t)w);
	s->bytes += (u64)w;
	t->sent_total += (u64)w;
	return true;
}

/* One read from a stream; false when there was nothing (or EOF). */
static bool recv_block(struct iperf_test *t, struct iperf_stream *s)
{
	ssize_t n;

	if (s->done)
		return false;
	n = t->ops->recv(t->io, s->conn, t->buf, sizeof(t->buf));
	if (n == -EAGAIN)
		return false;
	if (n <= 0) {
		stream_finish(t, s);
		return false;
	}
	if (t->o.digest)
		tn_digest_update(&s->dg, t->buf, (size_t)n);
	s->bytes += (u64)n;
	t->recv_total += (u64)n;
	return true;
}

/* A block per stream in turn, until none moves or, in real time, a timer
 * is due or a slice has passed: a fast path may never fill (or empty) a
 * socket, every stream gets its share, and the control connection is read
 * between slices (TEST_END must not wait for the next interval). Virtual
 * time does not pass here: the loop ends when the sockets are full. */
static u64 bytes_moved(const struct iperf_test *t)
{
	u64 sum = 0;

	for (unsigned int i = 0; i < t->streams; i++)
		sum += t->st[i].bytes;
	return sum;
}

static void move_data(struct iperf_test *t)
{
	u64 now = now_ns(t), due = TN_MIN(next_timer(t), now + IPERF_SLICE_NS);
	bool moved = true;

	if (now != t->instant_ns) {
		t->instant_ns = now;
		t->instant_base = bytes_moved(t);
	}
	while (moved && now_ns(t) < due) {
		moved = false;
		for (unsigned int i = 0; i < t->streams; i++)
			moved |= t->sending ? send_block(t, &t->st[i]) : recv_block(t, &t->st[i]);
		/* A path with neither delay nor a rate, in virtual time: every
		 * block is delivered and ACKed at the instant it is sent, so no
		 * time ever passes and a timed test could never end. Say so
		 * rather than spin. */
		if (moved && now_ns(t) == t->instant_ns &&
		    bytes_moved(t) - t->instant_base > IPERF_INSTANT_MAX) {
			fail(t, "no time passes on this path: in virtual time a link "
				"without delay or rate is infinitely fast; give it one "
				"(tc qdisc add dev DEV root netem delay 1ms rate 10gbit) "
				"or use tuxnet run --realtime");
			return;
		}
	}
}

/* The client ends the test: after -t seconds, or -n bytes either way. */
static void client_end(struct iperf_test *t)
{
	if (t->sending)
		streams_finish(t);
	t->end_sent = true;
	t->end_deadline = UINT64_MAX;
	ctrl_state(t, IPERF_TEST_END);
	t->phase = P_ENDING;
	if (!t->sending)
		t->drain_deadline = now_ns(t) + IPERF_DRAIN_NS;
}

static bool client_should_end(const struct iperf_test *t, u64 now)
{
	if (t->end_sent || t->phase != P_RUNNING)
		return false;
	if (now >= t->end_deadline || streams_done(t))
		return true;
	return t->bytes && !t->sending && t->recv_total >= t->bytes;
}

static void results_exchange(struct iperf_test *t);

/* Move the data; note when every stream has finished. */
static void run_data(struct iperf_test *t)
{
	u64 now;

	if (t->go || !t->sending)
		move_data(t);
	now = now_ns(t);
	if (!t->o.server && client_should_end(t, now))
		client_end(t);
	if (t->phase == P_ENDING && t->drain_deadline <= now)
		streams_finish(t);
	if (t->phase != P_ENDING || t->local_done || !streams_done(t))
		return;
	t->local_done = true;
	ip_print_interval(t, now);
	t->iv_deadline = t->drain_deadline = UINT64_MAX;
	if (t->o.server)
		results_exchange(t);
}

/* ---- parameters and results ---------------------------------------------------- */

static void send_params(struct iperf_test *t)
{
	struct iperf_jw w;

	iperf_jw_init(&w, t->json, sizeof(t->json));
	iperf_jw_open(&w, NULL, '{');
	iperf_jw_bool(&w, "tcp", true);
	iperf_jw_int(&w, "omit", 0);
	iperf_jw_int(&w, "time", (long long)(t->time_ms / 1000));
	iperf_jw_int(&w, "num", (long long)t->bytes);
	iperf_jw_int(&w, "blockcount", 0);
	iperf_jw_int(&w, "parallel", t->streams);
	if (t->reverse)
		iperf_jw_bool(&w, "reverse", true);
	iperf_jw_int(&w, "len", (long long)t->len);
	iperf_jw_int(&w, "pacing_timer", 1000);
	iperf_jw_str(&w, "client_version", IPERF_VERSION);
	/* tuxnet's own: -t in ms, and "my streams end with a FIN". */
	iperf_jw_int(&w, "tuxnet_time_ms", (long long)t->time_ms);
	iperf_jw_bool(&w, "tuxnet_fin", true);
	iperf_jw_close(&w, '}');
	ctrl_json(t, &w);
}

/* SERVER_ERROR and iperf3's two error numbers (i_errno, errno). */
static void server_error(struct iperf_test *t, int err)
{
	u8 e[8];

	put_be32(e, 0);
	put_be32(e + 4, (u32)err);
	ctrl_state(t, IPERF_SERVER_ERROR);
	ctrl_write(t, e, sizeof(e));
}

static int parse_params(struct iperf_test *t, const struct iperf_jdoc *d)
{
	double time = iperf_json_num(d, iperf_json_get(d, 0, "time"), 10);
	double ms = iperf_json_num(d, iperf_json_get(d, 0, "tuxnet_time_ms"), time * 1000);
	double n = iperf_json_num(d, iperf_json_get(d, 0, "num"), 0);
	double p = iperf_json_num(d, iperf_json_get(d, 0, "parallel"), 1);
	double len = iperf_json_num(d, iperf_json_get(d, 0, "len"), IPERF_DEFAULT_LEN);

	if (d->n[0].type != IPERF_J_OBJ)
		return -EINVAL;
	if (iperf_json_get(d, 0, "udp") >= 0 || iperf_json_get(d, 0, "sctp") >= 0 ||
	    iperf_json_get(d, 0, "bidirectional") >= 0)
		return -EPROTONOSUPPORT;
	if (p < 1 || p > IPERF_MAX_STREAMS || len < 1 || ms < 0 || n < 0)
		return -EINVAL;
	t->time_ms = (u64)ms;
	t->bytes = (u64)n;
	t->streams = (unsigned int)p;
	t->len = (u64)TN_MIN(len, (double)IPERF_DEFAULT_LEN);
	t->reverse = iperf_json_get(d, 0, "reverse") >= 0;
	t->peer_fin = iperf_json_get(d, 0, "tuxnet_fin") >= 0;
	t->sending = t->reverse;
	return 0;
}

static void send_results(struct iperf_test *t)
{
	struct iperf_jw w;
	char hex[24];

	iperf_jw_init(&w, t->json, sizeof(t->json));
	iperf_jw_open(&w, NULL, '{');
	iperf_jw_int(&w, "cpu_util_total", 0);
	iperf_jw_int(&w, "cpu_util_user", 0);
	iperf_jw_int(&w, "cpu_util_system", 0);
	iperf_jw_int(&w, "sender_has_retransmits", t->sending ? 1 : -1);
	iperf_jw_open(&w, "streams", '[');
	for (unsigned int i = 0; i < t->streams; i++) {
		struct iperf_stream *s = &t->st[i];
		u32 retr = 0;
		u64 cwnd;

		if (t->sending && s->conn)
			t->ops->tcp_info(t->io, s->conn, &retr, &cwnd);
		snprintf(hex, sizeof(hex), "%016" PRIx64, s->dg.h);
		iperf_jw_open(&w, NULL, '{');
		iperf_jw_int(&w, "id", s->wire_id);
		iperf_jw_int(&w, "bytes", (long long)s->bytes);
		iperf_jw_int(&w, "retransmits", t->sending ? (long long)retr : -1);
		iperf_jw_int(&w, "jitter", 0);
		iperf_jw_int(&w, "errors", 0);
		iperf_jw_int(&w, "omitted_errors", 0);
		iperf_jw_int(&w, "packets", 0);
		iperf_jw_int(&w, "omitted_packets", 0);
		iperf_jw_int(&w, "start_time", 0);
		iperf_jw_double(&w, "end_time", ip_secs(t, s->end_ns));
		if (t->o.digest)
			iperf_jw_str(&w, "tuxnet_digest", hex);
		iperf_jw_close(&w, '}');
	}
	iperf_jw_close(&w, ']');
	iperf_jw_close(&w, '}');
	if (w.err) {
		fail(t, "unable to send results");
		return;
	}
	ctrl_json(t, &w);
}

static struct iperf_stream *stream_by_wire_id(struct iperf_test *t, int id)
{
	for (unsigned int i = 0; i < t->streams; i++)
		if (t->st[i].wire_id == id)
			return &t->st[i];
	return NULL;
}

static void parse_stream_result(struct iperf_test *t, const struct iperf_jdoc *d, int js)
{
	int id = (int)iperf_json_num(d, iperf_json_get(d, js, "id"), -1);
	int dg = iperf_json_get(d, js, "tuxnet_digest");
	struct iperf_stream *s = stream_by_wire_id(t, id);
	char hex[24];

	if (!s)
		return;
	s->r_valid = true;
	s->r_bytes = (u64)iperf_json_num(d, iperf_json_get(d, js, "bytes"), 0);
	s->r_retrans = (long long)iperf_json_num(d, iperf_json_get(d, js, "retransmits"), -1);
	s->r_end = iperf_json_num(d, iperf_json_get(d, js, "end_time"), 0);
	if (dg >= 0 && d->n[dg].type == IPERF_J_STR && d->n[dg].slen == 16) {
		memcpy(hex, d->n[dg].s, 16);
		hex[16] = '\0';
		s->r_digest = strtoull(hex, NULL, 16);
		s->r_has_digest = true;
	}
}

static int parse_results(struct iperf_test *t, const struct iperf_jdoc *d)
{
	int arr = iperf_json_get(d, 0, "streams");

	if (arr < 0 || d->n[arr].type != IPERF_J_ARR)
		return -EINVAL;
	for (unsigned int i = 0; i < d->n[arr].nchild; i++)
		parse_stream_result(t, d, iperf_json_item(d, arr, i));
	return 0;
}

/* ---- the summary ------------------------------------------------------------- */

static u32 stream_retrans(struct iperf_test *t, struct iperf_stream *s)
{
	u32 retr = 0;
	u64 cwnd;

	if (t->sending && s->conn) {
		t->ops->tcp_info(t->io, s->conn, &retr, &cwnd);
		return retr;
	}
	return s->r_retrans > 0 ? (u32)s->r_retrans : 0;
}

static void summary_stream(struct iperf_test *t, struct iperf_stream *s, bool both)
{
	char id[8], rc[32];
	u64 sb = t->sending ? s->bytes : s->r_bytes, rb = t->sending ? s->r_bytes : s->bytes;
	double mine = ip_secs(t, s->end_ns);
	double s_end = t->sending ? mine : s->r_end, r_end = t->sending ? s->r_end : mine;

	ip_id(id, s->id);
	snprintf(rc, sizeof(rc), "  %3u             ", stream_retrans(t, s));
	if (t->sending || both)
		ip_line(t, id, 0.0, s_end, sb, rc, "sender");
	if (!t->sending || both)
		ip_line(t, id, 0.0, r_end, rb, "                  ", "receiver");
}

static void summary(struct iperf_test *t)
{
	bool both = !t->o.server;   /* the client shows both ends */
	u64 sb = 0, rb = 0;
	double s_end = 0, r_end = 0;
	u32 retr = 0;
	char rc[32];

	fprintf(t->out, IPERF_SEP);
	fprintf(t->out, t->sending || both ? "[ ID] Interval           Transfer     Bitrate         Retr\n"
					   : "[ ID] Interval           Transfer     Bitrate\n");
	for (unsigned int i = 0; i < t->streams; i++) {
		struct iperf_stream *s = &t->st[i];
		double mine = ip_secs(t, s->end_ns);

		summary_stream(t, s, both);
		sb += t->sending ? s->bytes : s->r_bytes;
		rb += t->sending ? s->r_bytes : s->bytes;
		s_end = TN_MAX(s_end, t->sending ? mine : s->r_end);
		r_end = TN_MAX(r_end, t->sending ? s->r_end : mine);
		retr += stream_retrans(t, s);
	}
	if (t->streams > 1) {
		snprintf(rc, sizeof(rc), "  %3u             ", retr);
		if (t->sending || both)
			ip_line(t, "SUM", 0.0, s_end, sb, rc, "sender");
		if (!t->sending || both)
			ip_line(t, "SUM", 0.0, r_end, rb, "                  ", "receiver");
	}
}

/* --digest: both ends' digests per stream; false on any mismatch. A peer
 * that is iperf3 itself sends none: "unknown", not a mismatch. */
static bool digests(struct iperf_test *t)
{
	bool ok = true;

	for (unsigned int i = 0; i < t->streams; i++) {
		struct iperf_stream *s = &t->st[i];
		u64 snd = t->sending ? s->dg.h : s->r_digest, rcv = t->sending ? s->r_digest : s->dg.h;
		bool match = snd == rcv && s->bytes == s->r_bytes;
		char id[8], sh[24], rh[24];

		if (!s->r_has_digest) {
			snprintf(sh, sizeof(sh), "%016" PRIx64, s->dg.h);
			ip_id(id, s->id);
			if (t->o.digest)
				fprintf(t->out, "[%s] digest %s %s %s unknown\n", id,
					t->sending ? "sender" : "receiver", sh,
					t->sending ? "receiver" : "sender");
			continue;
		}
		snprintf(sh, sizeof(sh), "%016" PRIx64, snd);
		snprintf(rh, sizeof(rh), "%016" PRIx64, rcv);
		ip_id(id, s->id);
		if (t->o.digest)
			fprintf(t->out, "[%s] digest sender %s receiver %s %s\n", id, sh, rh,
				match ? "ok" : "MISMATCH");
		ok &= match;
	}
	return ok;
}

/* Summary and digests; the status of the test. */
static int report(struct iperf_test *t)
{
	bool ok;

	summary(t);
	ok = digests(t);
	return t->o.digest && !ok ? 1 : 0;
}

/* ---- the control messages ----------------------------------------------------- */

/* Server, streams finished: results go both ways, the client's first. */
static void results_exchange(struct iperf_test *t)
{
	ctrl_state(t, IPERF_EXCHANGE_RESULTS);
	t->want_json = true;
	t->phase = P_RESULTS;
}

static void client_open_streams(struct iperf_test *t)
{
	for (unsigned int k = 0; k < t->streams; k++) {
		int err = t->ops->connect(t->io, &t->st[k].conn);

		if (err) {
			fail(t, "unable to connect stream");
			return;
		}
	}
	t->phase = P_STREAMS;
}

static void client_display(struct iperf_test *t)
{
	int status = report(t);

	close_streams(t);
	ctrl_state(t, IPERF_DONE);
	fprintf(t->out, "\niperf Done.\n");
	test_over(t, status);
}

/* One state byte from the server; how many bytes of input it used (0: not
 * yet, it is looked at again later). */
static size_t client_state(struct iperf_test *t, s8 b)
{
	char msg[96];

	switch (b) {
	case IPERF_PARAM_EXCHANGE:
		send_params(t);
		break;
	case IPERF_CREATE_STREAMS:
		client_open_streams(t);
		break;
	case IPERF_TEST_START:
		start_running(t);
		break;
	case IPERF_TEST_RUNNING:
		t->go = true;
		break;
	case IPERF_EXCHANGE_RESULTS:
		if (!t->local_done)
			return 0;
		send_results(t);
		t->want_json = true;
		t->phase = P_RESULTS;
		break;
	case IPERF_DISPLAY_RESULTS:
		client_display(t);
		break;
	case IPERF_SERVER_TERMINATE:
		fail(t, "the server has terminated");
		break;
	case IPERF_ACCESS_DENIED:
		fail(t, "the server is busy running a test. try again later");
		break;
	case IPERF_SERVER_ERROR:
		if (t->cin_len < 9)
			return 0;
		snprintf(msg, sizeof(msg), "the server reported an error (%d): %s",
			 (int)get_be32(t->cin + 1),
			 tn_errstr((int)get_be32(t->cin + 5)));
		fail(t, msg);
		return 9;
	default:
		fail(t, "received an unknown control message");
		break;
	}
	return 1;
}

static void client_json(struct iperf_test *t, const struct iperf_jdoc *d)
{
	if (t->phase != P_RESULTS || parse_results(t, d) < 0) {
		fail(t, "unable to receive results");
		return;
	}
	t->phase = P_DISPLAY;
}

/* Server, TEST_END: the sender stops; the receiver reads to EOF when the
 * client FINs its streams, else takes what has arrived. */
static void server_test_end(struct iperf_test *t)
{
	t->phase = P_ENDING;
	if (t->sending) {
		streams_finish(t);
		return;
	}
	if (t->peer_fin)
		return;
	move_data(t);
	streams_finish(t);
}

static void server_over(struct iperf_test *t)
{
	test_over(t, 0);
}

static size_t server_state(struct iperf_test *t, s8 b)
{
	switch (b) {
	case IPERF_TEST_END:
		if (t->phase == P_RUNNING)
			server_test_end(t);
		break;
	case IPERF_DONE:
		server_over(t);
		break;
	case IPERF_CLIENT_TERMINATE:
		fflush(t->out);
		fprintf(t->err, "iperf3: the client has terminated\n");
		fflush(t->err);
		test_over(t, 0);
		break;
	default:
		fail(t, "received an unknown control message");
		break;
	}
	return 1;
}

static void server_json(struct iperf_test *t, const struct iperf_jdoc *d)
{
	int err;

	if (t->phase == P_PARAMS) {
		err = parse_params(t, d);
		if (err) {
			server_error(t, -err);
			fail(t, err == -EPROTONOSUPPORT ? "only TCP tests are supported"
							: "received invalid parameters");
			return;
		}
		ctrl_state(t, IPERF_CREATE_STREAMS);
		t->phase = P_STREAMS;
		return;
	}
	if (t->phase != P_RESULTS || parse_results(t, d) < 0) {
		fail(t, "unable to receive results");
		return;
	}
	send_results(t);
	ctrl_state(t, IPERF_DISPLAY_RESULTS);
	report(t);
	t->phase = P_DISPLAY;
}

static void ctrl_consume(struct iperf_test *t, size_t n)
{
	n = TN_MIN(n, t->cin_len);
	t->cin_len -= n;
	memmove(t->cin, t->cin + n, t->cin_len);
}

/* One JSON blob at the head of the input, if all of it is there. */
static bool ctrl_json_in(struct iperf_test *t)
{
	struct iperf_jdoc d;
	u32 n;

	if (t->cin_len < 4)
		return false;
	n = get_be32(t->cin);
	if (n > IPERF_JSON_MAX) {
		fail(t, "received a JSON message that is too long");
		return false;
	}
	if (t->cin_len < 4 + (size_t)n)
		return false;
	t->want_json = false;
	if (iperf_json_parse(&d, (const char *)t->cin + 4, n) < 0) {
		fail(t, "received invalid JSON");
		return false;
	}
	if (t->o.server)
		server_json(t, &d);
	else
		client_json(t, &d);
	iperf_json_free(&d);
	ctrl_consume(t, 4 + (size_t)n);
	return true;
}

static void ctrl_process(struct iperf_test *t)
{
	while (!t->over) {
		size_t used;

		if (t->want_json) {
			if (!ctrl_json_in(t))
				return;
			continue;
		}
		if (!t->cin_len)
			return;
		used = t->o.server ? server_state(t, (s8)t->cin[0]) : client_state(t, (s8)t->cin[0]);
		if (!used)
			return;
		ctrl_consume(t, used);
	}
}

/* Read and act on control input; EOF ends the test unless it was over. */
static void ctrl_input(struct iperf_test *t)
{
	for (;;) {
		ssize_t n = t->ops->recv(t->io, t->ctrl, t->cin + t->cin_len,
					 sizeof(t->cin) - t->cin_len);

		if (n == -EAGAIN || (n > 0 && t->cin_len + (size_t)n == sizeof(t->cin))) {
			if (n > 0)
				t->cin_len += (size_t)n;
			break;
		}
		if (n <= 0) {
			ctrl_process(t);
			if (t->over)
				return;
			if (t->o.server && t->phase == P_DISPLAY)
				server_over(t);
			else if (t->o.server)
				fail(t, "the client has terminated");
			else
				fail(t, "control socket has closed unexpectedly");
			return;
		}
		t->cin_len += (size_t)n;
	}
	ctrl_process(t);
}

/* ---- server: connections --------------------------------------------------------- */

static void print_stream(struct iperf_test *t, struct iperf_stream *s)
{
	char la[16], pa[16];
	u16 lp = t->ops->name(t->io, s->conn, false, la), pp = t->ops->name(t->io, s->conn, true, pa);

	fprintf(t->out, "[%3d] local %s port %u connected to %s port %u\n", s->id, la, lp, pa, pp);
}

static void server_new_client(struct iperf_test *t, void *conn)
{
	char pa[16];
	u16 pp = t->ops->name(t->io, conn, true, pa);

	t->ctrl = conn;
	t->cin_len = 0;
	t->phase = P_COOKIE;
	fprintf(t->out, "Accepted connection from %s, port %u\n", pa, pp);
}

static void server_accept(struct iperf_test *t)
{
	void *conn;
	int err;

	while ((conn = t->ops->accept(t->io, &err)) != NULL) {
		unsigned int k;

		if (t->phase == P_IDLE) {
			server_new_client(t, conn);
			continue;
		}
		for (k = 0; k < IPERF_PENDING && t->pend[k].conn; k++)
			;
		if (k == IPERF_PENDING) {
			t->ops->close(t->io, conn);
			continue;
		}
		t->pend[k].conn = conn;
		t->pend[k].len = 0;
	}
}

/* A data connection with the test's cookie joins; any other is denied. */
static void server_pending_done(struct iperf_test *t, struct iperf_pending *pd)
{
	s8 denied = IPERF_ACCESS_DENIED;
	bool match = memcmp(pd->cookie, t->cookie, IPERF_COOKIE_SIZE - 1) == 0;

	if (match && t->phase == P_STREAMS && t->nstreams < t->streams) {
		struct iperf_stream *s = &t->st[t->nstreams++];

		s->conn = pd->conn;
		pd->conn = NULL;
		print_stream(t, s);
		return;
	}
	t->ops->send(t->io, pd->conn, &denied, 1);
	close_conn(t, &pd->conn);
}

static void server_pending(struct iperf_test *t)
{
	for (unsigned int k = 0; k < IPERF_PENDING; k++) {
		struct iperf_pending *pd = &t->pend[k];
		ssize_t n;

		if (!pd->conn)
			continue;
		n = t->ops->recv(t->io, pd->conn, pd->cookie + pd->len, IPERF_COOKIE_SIZE - pd->len);
		if (n == -EAGAIN)
			continue;
		if (n <= 0) {
			close_conn(t, &pd->conn);
			continue;
		}
		pd->len += (unsigned int)n;
		if (pd->len == IPERF_COOKIE_SIZE)
			server_pending_done(t, pd);
	}
	if (t->phase == P_STREAMS && t->nstreams == t->streams) {
		ctrl_state(t, IPERF_TEST_START);
		ctrl_state(t, IPERF_TEST_RUNNING);
		start_running(t);
		t->go = true;
	}
}

/* The control connection's cookie, then PARAM_EXCHANGE. */
static void server_cookie(struct iperf_test *t)
{
	while (t->cin_len < IPERF_COOKIE_SIZE) {
		ssize_t n = t->ops->recv(t->io, t->ctrl, t->cin + t->cin_len,
					 IPERF_COOKIE_SIZE - t->cin_len);

		if (n == -EAGAIN)
			return;
		if (n <= 0) {
			fail(t, "the client has terminated");
			return;
		}
		t->cin_len += (size_t)n;
	}
	memcpy(t->cookie, t->cin, IPERF_COOKIE_SIZE);
	t->cin_len = 0;
	ctrl_state(t, IPERF_PARAM_EXCHANGE);
	t->want_json = true;
	t->phase = P_PARAMS;
}

static void server_run(struct iperf_test *t)
{
	server_accept(t);
	if (t->phase == P_COOKIE)
		server_cookie(t);
	if (t->ctrl && t->phase != P_COOKIE && !t->over)
		ctrl_input(t);
	if (!t->over)
		server_pending(t);
}

/* ---- client ---------------------------------------------------------------------- */

static void client_streams(struct iperf_test *t)
{
	for (unsigned int k = 0; k < t->streams; k++) {
		struct iperf_stream *s = &t->st[k];
		int r;

		if (s->cookie_sent)
			continue;
		r = t->ops->connected(t->io, s->conn);
		if (r < 0) {
			fail(t, "unable to connect stream");
			return;
		}
		if (!r)
			continue;
		/* 37 bytes into an empty send buffer. */
		if (t->ops->send(t->io, s->conn, t->cookie, IPERF_COOKIE_SIZE) != IPERF_COOKIE_SIZE) {
			fail(t, "unable to send cookie to server");
			return;
		}
		s->cookie_sent = true;
		t->nstreams++;
		print_stream(t, s);
	}
}

static void client_run(struct iperf_test *t)
{
	if (t->phase == P_CONNECT) {
		int r = t->ops->connected(t->io, t->ctrl);

		if (r < 0) {
			fail(t, "unable to connect to server");
			return;
		}
		if (!r)
			return;
		ctrl_write(t, t->cookie, IPERF_COOKIE_SIZE);
		t->phase = P_PARAMS;
	}
	if (t->phase == P_STREAMS)
		client_streams(t);
	ctrl_input(t);
	if (t->phase == P_STREAMS && !t->over)
		client_streams(t);
}

/* ---- the engine ------------------------------------------------------------------- */

struct iperf_test *iperf_test_new(const struct iperf_opts *o, const struct iperf_io_ops *ops,
				  void *io, FILE *out, FILE *err)
{
	struct iperf_test *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->o = *o;
	t->ops = ops;
	t->io = io;
	t->out = out;
	t->err = err;
	reset_test(t);
	return t;
}

/* 36 characters of iperf3's alphabet and a NUL. */
static void make_cookie(struct iperf_test *t)
{
	static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
	u8 r[IPERF_COOKIE_SIZE - 1];

	t->ops->random(t->io, r, sizeof(r));
	for (unsigned int i = 0; i < sizeof(r); i++)
		t->cookie[i] = alphabet[r[i] % 32];
	t->cookie[IPERF_COOKIE_SIZE - 1] = '\0';
}

int iperf_test_start(struct iperf_test *t)
{
	int err;

	if (t->o.server) {
		server_banner(t);
		return 0;
	}
	fprintf(t->out, "Connecting to host %s, port %lu\n", t->o.host, t->o.port);
	if (t->reverse)
		fprintf(t->out, "Reverse mode, remote host %s is sending\n", t->o.host);
	t->sending = !t->reverse;
	make_cookie(t);
	err = t->ops->connect(t->io, &t->ctrl);
	if (err)
		return err;
	fflush(t->out);
	return 0;
}

static void run_timers(struct iperf_test *t)
{
	u64 now = now_ns(t);

	if ((t->phase == P_RUNNING || t->phase == P_ENDING) && !t->local_done &&
	    now >= t->iv_deadline) {
		ip_print_interval(t, now);
		while (t->iv_deadline <= now)
			t->iv_deadline += t->o.interval_ms * 1000000ull;
	}
}

/* The test is over: the client is done, the server serves the next. */
static void after_test(struct iperf_test *t)
{
	close_all(t);
	fflush(t->out);
	if (!t->o.server || t->o.one_off) {
		t->done = true;
		return;
	}
	reset_test(t);
	server_banner(t);
}

void iperf_test_run(struct iperf_test *t)
{
	if (t->done)
		return;
	ctrl_flush(t);
	if (t->o.server)
		server_run(t);
	else
		client_run(t);
	if (!t->over)
		run_timers(t);
	if (!t->over && (t->phase == P_RUNNING || t->phase == P_ENDING))
		run_data(t);
	/* Input left waiting for the streams to finish (EXCHANGE_RESULTS). */
	if (!t->over && t->ctrl && t->phase > P_COOKIE)
		ctrl_process(t);
	ctrl_flush(t);
	fflush(t->out);
	if (t->over)
		after_test(t);
}

u64 iperf_test_deadline(const struct iperf_test *t)
{
	u64 d = t->drain_deadline;

	if (t->done)
		return UINT64_MAX;
	if (t->phase == P_RUNNING || t->phase == P_ENDING) {
		d = TN_MIN(d, t->end_deadline);
		if (!t->local_done)
			d = TN_MIN(d, t->iv_deadline);
	}
	return d;
}

bool iperf_test_done(const struct iperf_test *t, int *status)
{
	*status = t->status;
	return t->done;
}

bool iperf_test_sending(const struct iperf_test *t)
{
	return !t->done && t->sending && t->go && !t->local_done &&
	       (t->phase == P_RUNNING || t->phase == P_ENDING);
}

void iperf_test_totals(const struct iperf_test *t, u64 *sent, u64 *received)
{
	*sent = *received = 0;
	for (unsigned int i = 0; i < t->streams; i++) {
		const struct iperf_stream *s = &t->st[i];

		*sent += t->sending ? s->bytes : s->r_bytes;
		*received += t->sending ? s->r_bytes : s->bytes;
	}
}

void iperf_test_stop(struct iperf_test *t)
{
	if (t->done)
		return;
	if (t->ctrl && t->phase != P_CONNECT && t->phase != P_COOKIE)
		ctrl_state(t, t->o.server ? IPERF_SERVER_TERMINATE : IPERF_CLIENT_TERMINATE);
	fprintf(t->out, "iperf3: interrupt - the %s has terminated\n",
		t->o.server ? "server" : "client");
	close_all(t);
	fflush(t->out);
	t->done = true;
	t->status = t->o.server ? 0 : 1;
}

void iperf_test_free(struct iperf_test *t)
{
	if (!t)
		return;
	close_all(t);
	free(t);
}
