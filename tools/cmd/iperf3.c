/*
 * iperf3 (3.12's output, line for line where it can be): TCP throughput
 * between two namespaces, as two jobs on the socket layer.
 *
 *   iperf3 -s [-p PORT] [-1] [--digest]
 *   iperf3 -c HOST [-p PORT] [-t SECS] [-n BYTES] [-P STREAMS] [-R]
 *          [-i INTERVAL] [-l LEN] [--digest]
 *
 * Like iperf3, a control connection carries the parameters and, at the
 * end, each side's per-stream results; each data stream is a connection of
 * its own. The control protocol is tuxnet's (text lines), not iperf3's
 * JSON: tuxnet's client talks to tuxnet's server only.
 *
 *   client -> server   PARAMS t=MS n=BYTES P=N R=0|1 l=LEN
 *   client -> server   (each data connection) "TNIPERF3 S%06d\n"
 *   client -> server   START
 *   both               STREAM k bytes start_ns end_ns retrans digest ... END
 *
 * The sender writes tn_stream_pattern() bytes for -t seconds (or -n bytes
 * in all), then shuts its streams down; the receiver reads to EOF. With
 * --digest (a tuxnet extension) both digests are printed per stream and a
 * mismatch makes the client exit with status 1:
 *
 *   [  5] digest sender 3b1f0c5e8a9d2f47 receiver 3b1f0c5e8a9d2f47 ok
 *
 * Everything runs in the stack's time, so a 10 s test over a 100 ms link
 * takes milliseconds of wall time in virtual time.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "net/skbuff.h"
#include "net/tcp.h"
#include "net/socket.h"
#include "net/stack.h"
#include "net/net_namespace.h"
#include "tools/cmd/cmd.h"

#define IPERF_PORT 5201
#define IPERF_MAX_STREAMS 128
#define IPERF_HDR_LEN 16
#define IPERF_DEFAULT_LEN (128 * 1024)
#define IPERF_CTRL_MAX 8192
#define IPERF_SEP "- - - - - - - - - - - - - - - - - - - - - - - - -\n"
#define IPERF_DASHES "-----------------------------------------------------------\n"

struct iperf_params {
	u64 time_ms;                  /* -t */
	u64 bytes;                    /* -n, 0: by time */
	unsigned int streams;         /* -P */
	bool reverse;                 /* -R */
	u64 len;                      /* -l */
};

struct iperf_stream {
	struct socket *sock;
	int id;                       /* iperf3's [  5], [  7], ... */
	u64 bytes, last_bytes;
	u32 last_retrans;
	u64 end_ns;                   /* when it finished sending / saw EOF */
	bool done;
	struct tn_digest dg;
	/* the other side's results (STREAM line) */
	u64 r_bytes, r_start, r_end;
	u32 r_retrans;
	u64 r_digest;
	/* receiving the 16-byte header (server) */
	u8 hdr[IPERF_HDR_LEN];
	unsigned int hdr_len;
};

enum iperf_phase { IP_CONNECT, IP_STREAMS, IP_RUNNING, IP_RESULTS, IP_OVER };

struct iperf_job {
	struct tn_cmd_job job;
	bool server, one_off, digest;
	u32 daddr;
	const char *host;
	unsigned long port;
	u64 interval_ms;
	struct iperf_params p;
	unsigned int test_no;
	struct socket *lsock, *ctrl;
	struct iperf_stream st[IPERF_MAX_STREAMS];
	unsigned int nconnected;
	enum iperf_phase phase;
	bool sending;                 /* this side sends data */
	bool local_done, remote_done;
	u64 start_ns, last_iv_ns, sent_total;
	char cin[IPERF_CTRL_MAX];
	size_t cin_len;
	struct timer_list iv_timer, end_timer;
	FILE *out;
	u8 buf[IPERF_DEFAULT_LEN];
};

static struct tn_stack *ip_stack(const struct iperf_job *ij) { return ij->job.ctx->st; }
static u64 ip_now(const struct iperf_job *ij) { return tn_now(ip_stack(ij)); }

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

static void ip_line(struct iperf_job *ij, const char *id, double t0, double t1, u64 bytes,
		    const char *retr_cwnd, const char *tail)
{
	char tb[32], bb[32];
	double dur = t1 - t0;

	ip_unit(tb, sizeof(tb), (double)bytes, false);
	ip_unit(bb, sizeof(bb), dur > 0 ? (double)bytes / dur : 0, true);
	fprintf(ij->out, "[%s] %6.2f-%-6.2f sec  %ss  %ss/sec%s%s\n", id, t0, t1, tb, bb, retr_cwnd,
		tail);
}

static void ip_id(char *buf, int id)
{
	snprintf(buf, 8, "%3d", id);
}

static double ip_secs(const struct iperf_job *ij, u64 ns)
{
	return ns > ij->start_ns ? (double)(ns - ij->start_ns) / 1e9 : 0.0;
}

/* ---- sockets ------------------------------------------------------------ */

static void ip_ctrl_send(struct iperf_job *ij, const char *line)
{
	/* Control lines are short; the send buffer always has room. */
	if (ij->ctrl)
		tn_sockjob_send(ij->ctrl, line, strlen(line));
}

static void ip_close_streams(struct iperf_job *ij)
{
	for (unsigned int i = 0; i < IPERF_MAX_STREAMS; i++)
		if (ij->st[i].sock) {
			sock_release(ij->st[i].sock);
			ij->st[i].sock = NULL;
		}
	if (ij->ctrl) {
		sock_release(ij->ctrl);
		ij->ctrl = NULL;
	}
}

static void ip_reset_test(struct iperf_job *ij)
{
	ip_close_streams(ij);
	memset(ij->st, 0, sizeof(ij->st));
	for (unsigned int i = 0; i < IPERF_MAX_STREAMS; i++) {
		ij->st[i].id = 5 + 2 * (int)i;
		tn_digest_init(&ij->st[i].dg);
	}
	ij->nconnected = 0;
	ij->phase = IP_CONNECT;
	ij->local_done = ij->remote_done = false;
	ij->cin_len = 0;
	ij->sent_total = 0;
	del_timer(&ij->iv_timer);
	del_timer(&ij->end_timer);
}

static void ip_finish(struct iperf_job *ij, int status)
{
	if (ij->job.done)
		return;
	del_timer(&ij->iv_timer);
	del_timer(&ij->end_timer);
	ip_close_streams(ij);
	if (ij->lsock) {
		sock_release(ij->lsock);
		ij->lsock = NULL;
	}
	fflush(ij->out);
	tn_cmd_job_done(&ij->job, status);
}

static void ip_fail(struct iperf_job *ij, const char *what, int err)
{
	tn_cmd_note(ij->job.ctx, "iperf3: error - %s: %s", what, tn_errstr(err));
	if (ij->server && !ij->one_off) {
		ip_reset_test(ij);
		return;
	}
	ip_finish(ij, 1);
}

/* ---- intervals ---------------------------------------------------------- */

static void ip_cwnd_str(struct socket *sock, u32 *retrans, char *buf, size_t len)
{
	struct tn_tcp_info ti;
	char cb[32];

	tcp_get_info(sock->sk, &ti);
	*retrans = ti.tcpi_total_retrans;
	ip_unit(cb, sizeof(cb), (double)ti.tcpi_snd_cwnd * ti.tcpi_snd_mss, false);
	/* "86.3 KByte" + "s": the unit text is short, the buffer is the caller's. */
	if ((size_t)snprintf(buf, len, "%.30ss", cb) >= len && len)
		buf[len - 1] = '\0';
}

static void ip_interval_header(struct iperf_job *ij)
{
	if (ij->sending)
		fprintf(ij->out, "[ ID] Interval           Transfer     Bitrate         Retr  Cwnd\n");
	else
		fprintf(ij->out, "[ ID] Interval           Transfer     Bitrate\n");
}

static void ip_print_interval(struct iperf_job *ij, u64 now)
{
	double t0 = ip_secs(ij, ij->last_iv_ns), t1 = ip_secs(ij, now);
	u64 sum = 0;
	u32 sum_retr = 0;
	char id[8], rc[64];

	if (now <= ij->last_iv_ns)
		return;
	for (unsigned int i = 0; i < ij->p.streams; i++) {
		struct iperf_stream *s = &ij->st[i];
		u64 b = s->bytes - s->last_bytes;

		ip_id(id, s->id);
		if (ij->sending && s->sock) {
			u32 retr;
			char cw[32];

			ip_cwnd_str(s->sock, &retr, cw, sizeof(cw));
			snprintf(rc, sizeof(rc), "  %3u   %s       ", retr - s->last_retrans, cw);
			sum_retr += retr - s->last_retrans;
			s->last_retrans = retr;
		} else {
			snprintf(rc, sizeof(rc), "                  ");
		}
		ip_line(ij, id, t0, t1, b, rc, "");
		s->last_bytes = s->bytes;
		sum += b;
	}
	if (ij->p.streams > 1) {
		if (ij->sending)
			snprintf(rc, sizeof(rc), "  %3u         ", sum_retr);
		else
			snprintf(rc, sizeof(rc), "                  ");
		ip_line(ij, "SUM", t0, t1, sum, rc, "");
		fprintf(ij->out, "- - - - - - - - - - - - - - - - - - - - - - - - -\n");
	}
	ij->last_iv_ns = now;
	fflush(ij->out);
}

static void ip_iv_fire(struct timer_list *t)
{
	struct iperf_job *ij = from_timer(ij, t, iv_timer);

	if (ij->phase != IP_RUNNING)
		return;
	ip_print_interval(ij, ip_now(ij));
	tn_mod_timer(ip_stack(ij), &ij->iv_timer, jiffies(ip_stack(ij)) + ij->interval_ms);
}

/* ---- the data ----------------------------------------------------------- */

static void ip_sender_stop(struct iperf_job *ij)
{
	u64 now = ip_now(ij);

	for (unsigned int i = 0; i < ij->p.streams; i++) {
		struct iperf_stream *s = &ij->st[i];

		if (s->done)
			continue;
		s->done = true;
		s->end_ns = now;
		s->sock->ops->shutdown(s->sock, SHUT_WR);
	}
}

static void ip_end_fire(struct timer_list *t)
{
	struct iperf_job *ij = from_timer(ij, t, end_timer);

	if (ij->phase == IP_RUNNING && ij->sending)
		ip_sender_stop(ij);
}

static void ip_send_stream(struct iperf_job *ij, struct iperf_stream *s)
{
	while (!s->done) {
		size_t n = (size_t)ij->p.len;
		ssize_t w;

		if (ij->p.bytes) {
			if (ij->sent_total >= ij->p.bytes) {
				ip_sender_stop(ij);
				return;
			}
			n = (size_t)TN_MIN((u64)n, ij->p.bytes - ij->sent_total);
		}
		tn_stream_pattern(s->bytes, ij->buf, n);
		w = tn_sockjob_send(s->sock, ij->buf, n);
		if (w == -EAGAIN)
			return;
		if (w < 0) {
			s->done = true;
			s->end_ns = ip_now(ij);
			return;
		}
		tn_digest_update(&s->dg, ij->buf, (size_t)w);
		s->bytes += (u64)w;
		ij->sent_total += (u64)w;
	}
}

static void ip_server_stream_hdr(struct iperf_job *ij, struct iperf_stream *s);

static void ip_recv_stream(struct iperf_job *ij, struct iperf_stream *s)
{
	/* The header may still be on its way (lost, retransmitted) when the
	 * control connection's START arrives. */
	if (ij->server && s->hdr_len < IPERF_HDR_LEN) {
		ip_server_stream_hdr(ij, s);
		if (s->hdr_len < IPERF_HDR_LEN)
			return;
	}
	while (!s->done) {
		ssize_t n = tn_sockjob_recv(s->sock, ij->buf, sizeof(ij->buf));

		if (n == -EAGAIN)
			return;
		if (n <= 0) {
			s->done = true;
			s->end_ns = ip_now(ij);
			return;
		}
		tn_digest_update(&s->dg, ij->buf, (size_t)n);
		s->bytes += (u64)n;
	}
}

/* Our part is over: tell the other side what we saw. */
static void ip_send_results(struct iperf_job *ij)
{
	char line[160];

	for (unsigned int i = 0; i < ij->p.streams; i++) {
		struct iperf_stream *s = &ij->st[i];
		struct tn_tcp_info ti;

		tcp_get_info(s->sock->sk, &ti);
		snprintf(line, sizeof(line), "STREAM %u %llu %llu %llu %u %016llx\n", i,
			 (unsigned long long)s->bytes, (unsigned long long)ij->start_ns,
			 (unsigned long long)s->end_ns, ti.tcpi_total_retrans,
			 (unsigned long long)s->dg.h);
		ip_ctrl_send(ij, line);
	}
	ip_ctrl_send(ij, "END\n");
}

static void ip_run_data(struct iperf_job *ij)
{
	bool all = true;

	for (unsigned int i = 0; i < ij->p.streams; i++) {
		struct iperf_stream *s = &ij->st[i];

		if (ij->sending)
			ip_send_stream(ij, s);
		else
			ip_recv_stream(ij, s);
		all &= s->done;
	}
	if (!all || ij->local_done)
		return;
	ij->local_done = true;
	ip_print_interval(ij, ip_now(ij));
	del_timer(&ij->iv_timer);
	ip_send_results(ij);
}

/* ---- the summary -------------------------------------------------------- */

static void ip_summary_stream(struct iperf_job *ij, struct iperf_stream *s, bool show_remote)
{
	char id[8], rc[32];
	u64 sb = ij->sending ? s->bytes : s->r_bytes, rb = ij->sending ? s->r_bytes : s->bytes;
	u64 s_end = ij->sending ? s->end_ns : s->r_end, r_end = ij->sending ? s->r_end : s->end_ns;
	u32 retr = s->r_retrans;
	double st0 = 0.0;

	ip_id(id, s->id);
	if (ij->sending && s->sock) {
		struct tn_tcp_info ti;

		tcp_get_info(s->sock->sk, &ti);
		retr = ti.tcpi_total_retrans;
	}
	snprintf(rc, sizeof(rc), "  %3u             ", retr);
	if (ij->sending || show_remote)
		ip_line(ij, id, st0, ip_secs(ij, s_end), sb, rc, "sender");
	if (!ij->sending || show_remote)
		ip_line(ij, id, st0, ip_secs(ij, r_end), rb, "                  ", "receiver");
}

static void ip_summary(struct iperf_job *ij)
{
	bool both = !ij->server;   /* the client shows both ends */
	u64 sb = 0, rb = 0, s_end = 0, r_end = 0;
	u32 retr = 0;
	char rc[32];

	fprintf(ij->out, IPERF_SEP);
	fprintf(ij->out, ij->sending || both ? "[ ID] Interval           Transfer     Bitrate         Retr\n"
					     : "[ ID] Interval           Transfer     Bitrate\n");
	for (unsigned int i = 0; i < ij->p.streams; i++) {
		struct iperf_stream *s = &ij->st[i];
		struct tn_tcp_info ti;

		ip_summary_stream(ij, s, both);
		sb += ij->sending ? s->bytes : s->r_bytes;
		rb += ij->sending ? s->r_bytes : s->bytes;
		s_end = TN_MAX(s_end, ij->sending ? s->end_ns : s->r_end);
		r_end = TN_MAX(r_end, ij->sending ? s->r_end : s->end_ns);
		if (ij->sending && s->sock) {
			tcp_get_info(s->sock->sk, &ti);
			retr += ti.tcpi_total_retrans;
		} else {
			retr += s->r_retrans;
		}
	}
	if (ij->p.streams > 1) {
		snprintf(rc, sizeof(rc), "  %3u             ", retr);
		if (ij->sending || both)
			ip_line(ij, "SUM", 0.0, ip_secs(ij, s_end), sb, rc, "sender");
		if (!ij->sending || both)
			ip_line(ij, "SUM", 0.0, ip_secs(ij, r_end), rb, "                  ",
				"receiver");
	}
}

/* --digest: both ends' digests per stream; false on any mismatch. */
static bool ip_digests(struct iperf_job *ij)
{
	bool ok = true;

	for (unsigned int i = 0; i < ij->p.streams; i++) {
		struct iperf_stream *s = &ij->st[i];
		u64 snd = ij->sending ? s->dg.h : s->r_digest, rcv = ij->sending ? s->r_digest : s->dg.h;
		bool match = snd == rcv && s->bytes == s->r_bytes;
		char id[8];

		ip_id(id, s->id);
		if (ij->digest)
			fprintf(ij->out, "[%s] digest sender %016llx receiver %016llx %s\n", id,
				(unsigned long long)snd, (unsigned long long)rcv,
				match ? "ok" : "MISMATCH");
		ok &= match;
	}
	return ok;
}

static void ip_server_banner(struct iperf_job *ij)
{
	fprintf(ij->out, IPERF_DASHES "Server listening on %lu (test #%u)\n" IPERF_DASHES, ij->port,
		++ij->test_no);
	fflush(ij->out);
}

static void ip_test_over(struct iperf_job *ij)
{
	bool ok;

	ip_summary(ij);
	ok = ip_digests(ij);
	if (!ij->server) {
		fprintf(ij->out, "\niperf Done.\n");
		ip_finish(ij, ij->digest && !ok ? 1 : 0);
		return;
	}
	if (ij->one_off) {
		ip_finish(ij, 0);
		return;
	}
	ip_reset_test(ij);
	ip_server_banner(ij);
}

/* ---- control lines ------------------------------------------------------ */

static void ip_parse_params(struct iperf_job *ij, const char *line)
{
	unsigned long long t, n, len;
	unsigned int P, R;

	if (sscanf(line, "PARAMS t=%llu n=%llu P=%u R=%u l=%llu", &t, &n, &P, &R, &len) != 5 ||
	    !P || P > IPERF_MAX_STREAMS || !len || len > IPERF_DEFAULT_LEN) {
		ip_fail(ij, "received an unknown control message", EINVAL);
		return;
	}
	ij->p = (struct iperf_params){ .time_ms = t, .bytes = n, .streams = P, .reverse = R,
				       .len = len };
	ij->sending = ij->p.reverse;
	ij->phase = IP_STREAMS;
}

static void ip_start_running(struct iperf_job *ij)
{
	struct tn_stack *st = ip_stack(ij);

	ij->phase = IP_RUNNING;
	ij->start_ns = ij->last_iv_ns = ip_now(ij);
	ip_interval_header(ij);
	if (ij->interval_ms)
		tn_mod_timer(st, &ij->iv_timer, jiffies(st) + ij->interval_ms);
	if (ij->sending && !ij->p.bytes)
		tn_mod_timer(st, &ij->end_timer, jiffies(st) + ij->p.time_ms);
}

static void ip_parse_stream(struct iperf_job *ij, const char *line)
{
	unsigned long long b, s0, s1, dg;
	unsigned int k, retr;

	if (sscanf(line, "STREAM %u %llu %llu %llu %u %llx", &k, &b, &s0, &s1, &retr, &dg) != 6 ||
	    k >= ij->p.streams)
		return;
	/* The other end's clock is this stack's clock: times compare. */
	ij->st[k].r_bytes = b;
	ij->st[k].r_start = s0;
	ij->st[k].r_end = s1;
	ij->st[k].r_retrans = retr;
	ij->st[k].r_digest = dg;
}

static void ip_ctrl_line(struct iperf_job *ij, const char *line)
{
	if (strncmp(line, "PARAMS ", 7) == 0 && ij->server)
		ip_parse_params(ij, line);
	else if (strcmp(line, "START") == 0 && ij->server)
		ip_start_running(ij);
	else if (strncmp(line, "STREAM ", 7) == 0)
		ip_parse_stream(ij, line);
	else if (strcmp(line, "END") == 0)
		ij->remote_done = true;
}

/* Read control input; false when the control connection is gone. */
static bool ip_ctrl_read(struct iperf_job *ij)
{
	for (;;) {
		ssize_t n = tn_sockjob_recv(ij->ctrl, ij->cin + ij->cin_len,
					    sizeof(ij->cin) - 1 - ij->cin_len);
		char *nl;

		if (n == -EAGAIN)
			return true;
		if (n <= 0)
			return false;
		ij->cin_len += (size_t)n;
		ij->cin[ij->cin_len] = '\0';
		while ((nl = strchr(ij->cin, '\n')) != NULL) {
			*nl = '\0';
			ip_ctrl_line(ij, ij->cin);
			ij->cin_len -= (size_t)(nl + 1 - ij->cin);
			memmove(ij->cin, nl + 1, ij->cin_len + 1);
		}
		if (ij->cin_len >= sizeof(ij->cin) - 1)
			return false;
	}
}

/* ---- server ------------------------------------------------------------- */

static void ip_server_print_stream(struct iperf_job *ij, struct iperf_stream *s)
{
	char la[16], pa[16];
	u16 lp = tn_sockjob_name(s->sock, false, la), pp = tn_sockjob_name(s->sock, true, pa);

	fprintf(ij->out, "[%3d] local %s port %u connected to %s port %u\n", s->id, la, lp, pa, pp);
}

/* A data connection: its 16-byte header names the stream. */
static void ip_server_stream_hdr(struct iperf_job *ij, struct iperf_stream *s)
{
	while (s->hdr_len < IPERF_HDR_LEN) {
		ssize_t n = tn_sockjob_recv(s->sock, s->hdr + s->hdr_len, IPERF_HDR_LEN - s->hdr_len);

		if (n == -EAGAIN)
			return;
		if (n <= 0) {
			ip_fail(ij, "data stream closed before its header", ECONNRESET);
			return;
		}
		s->hdr_len += (unsigned int)n;
	}
	if (memcmp(s->hdr, "TNIPERF3 S", 10) != 0) {
		ip_fail(ij, "unknown data stream", EINVAL);
		return;
	}
	ij->nconnected++;
	ip_server_print_stream(ij, s);
}

static void ip_server_accept(struct iperf_job *ij)
{
	int err;
	struct socket *ns;

	/* Data connections wait in the accept queue until PARAMS is read. */
	while ((ij->phase != IP_CONNECT || !ij->ctrl) &&
	       (ns = tn_sockjob_accept(ij->lsock, &err)) != NULL) {
		if (!ij->ctrl) {
			char pa[16];
			u16 pp = tn_sockjob_name(ns, true, pa);

			ij->ctrl = ns;
			fprintf(ij->out, "Accepted connection from %s, port %u\n", pa, pp);
			continue;
		}
		unsigned int k;
		for (k = 0; k < IPERF_MAX_STREAMS && ij->st[k].sock; k++)
			;
		if (ij->phase != IP_STREAMS || k >= ij->p.streams) {
			sock_release(ns);   /* a busy server refuses another test */
			continue;
		}
		ij->st[k].sock = ns;
	}
}

static void ip_server_poll(struct iperf_job *ij)
{
	ip_server_accept(ij);
	if (!ij->ctrl)
		return;
	if (!ip_ctrl_read(ij) && ij->phase != IP_OVER && !ij->local_done) {
		ip_fail(ij, "the client has terminated", ECONNRESET);
		return;
	}
	ip_server_accept(ij);
	if (ij->phase == IP_STREAMS)
		for (unsigned int i = 0; i < ij->p.streams; i++)
			if (ij->st[i].sock && ij->st[i].hdr_len < IPERF_HDR_LEN)
				ip_server_stream_hdr(ij, &ij->st[i]);
	if (ij->phase == IP_RUNNING)
		ip_run_data(ij);
	if (ij->phase == IP_RUNNING && ij->local_done && ij->remote_done) {
		ij->phase = IP_OVER;
		ip_test_over(ij);
	}
}

/* ---- client ------------------------------------------------------------- */

static void ip_client_print_stream(struct iperf_job *ij, struct iperf_stream *s)
{
	char la[16], pa[16];
	u16 lp = tn_sockjob_name(s->sock, false, la), pp = tn_sockjob_name(s->sock, true, pa);

	fprintf(ij->out, "[%3d] local %s port %u connected to %s port %u\n", s->id, la, lp, pa, pp);
}

static int ip_client_open_stream(struct iperf_job *ij, unsigned int k)
{
	int err = tn_sockjob_open(ij->job.net, &ij->st[k].sock);

	return err ? err : tn_sockjob_connect(ij->st[k].sock, ij->daddr, (u16)ij->port);
}

/* The control connection is up: parameters, then the data connections. */
static void ip_client_ctrl_up(struct iperf_job *ij)
{
	char line[128];

	snprintf(line, sizeof(line), "PARAMS t=%llu n=%llu P=%u R=%u l=%llu\n",
		 (unsigned long long)ij->p.time_ms, (unsigned long long)ij->p.bytes,
		 ij->p.streams, ij->p.reverse, (unsigned long long)ij->p.len);
	ip_ctrl_send(ij, line);
	for (unsigned int k = 0; k < ij->p.streams; k++) {
		int err = ip_client_open_stream(ij, k);

		if (err) {
			ip_fail(ij, "unable to connect stream", -err);
			return;
		}
	}
	ij->phase = IP_STREAMS;
}

static void ip_client_streams(struct iperf_job *ij)
{
	for (unsigned int k = 0; k < ij->p.streams; k++) {
		struct iperf_stream *s = &ij->st[k];
		int r;
		char hdr[32];

		if (s->hdr_len)
			continue;
		r = tn_sockjob_connected(s->sock);
		if (r < 0) {
			ip_fail(ij, "unable to connect stream", -r);
			return;
		}
		if (!r)
			continue;
		snprintf(hdr, sizeof(hdr), "TNIPERF3 S%06u\n", k % 1000000);
		tn_sockjob_send(s->sock, hdr, IPERF_HDR_LEN);
		s->hdr_len = IPERF_HDR_LEN;
		ij->nconnected++;
		ip_client_print_stream(ij, s);
	}
	if (ij->nconnected == ij->p.streams) {
		ip_ctrl_send(ij, "START\n");
		ip_start_running(ij);
	}
}

static void ip_client_poll(struct iperf_job *ij)
{
	if (ij->phase == IP_CONNECT) {
		int r = tn_sockjob_connected(ij->ctrl);

		if (r < 0) {
			ip_fail(ij, "unable to connect to server", -r);
			return;
		}
		if (!r)
			return;
		ip_client_ctrl_up(ij);
	}
	if (ij->job.done)
		return;
	if (!ip_ctrl_read(ij) && !ij->remote_done) {
		ip_fail(ij, "control socket has closed unexpectedly", ECONNRESET);
		return;
	}
	if (ij->phase == IP_STREAMS)
		ip_client_streams(ij);
	if (ij->phase == IP_RUNNING)
		ip_run_data(ij);
	if (ij->phase == IP_RUNNING && ij->local_done && ij->remote_done) {
		ij->phase = IP_OVER;
		ip_test_over(ij);
	}
}

/* ---- the job ------------------------------------------------------------ */

static void ip_poll(struct tn_cmd_job *job)
{
	struct iperf_job *ij = container_of(job, struct iperf_job, job);

	if (job->done)
		return;
	if (ij->server)
		ip_server_poll(ij);
	else
		ip_client_poll(ij);
	fflush(ij->out);
}

static void ip_stop(struct tn_cmd_job *job)
{
	struct iperf_job *ij = container_of(job, struct iperf_job, job);

	if (ij->server)
		fprintf(ij->out, "iperf3: interrupt - the server has terminated\n");
	else
		fprintf(ij->out, "iperf3: interrupt - the client has terminated\n");
	ip_finish(ij, ij->server ? 0 : 1);
}

static void ip_release(struct tn_cmd_job *job)
{
	struct iperf_job *ij = container_of(job, struct iperf_job, job);

	del_timer(&ij->iv_timer);
	del_timer(&ij->end_timer);
	ip_close_streams(ij);
	if (ij->lsock)
		sock_release(ij->lsock);
	free(ij);
}

static const struct tn_cmd_job_ops ip_job_ops = {
	.name = "iperf3",
	.stop = ip_stop,
	.poll = ip_poll,
	.release = ip_release,
};

/* ---- options ------------------------------------------------------------ */

static int ip_usage(struct tn_cmd_ctx *ctx, const char *why)
{
	tn_cmd_err(ctx, "iperf3: parameter error - %s", why);
	tn_cmd_err(ctx, "Usage: iperf3 [-s|-c host] [-p port] [-t secs] [-n bytes] [-P streams] "
		   "[-R] [-i interval] [-l len] [-1] [--digest]");
	return 1;
}

/* "10", "1.5", "100K", "2M" (iperf3 suffixes: K/M/G, 1024-based). */
static bool ip_num(const char *s, double *v)
{
	char *end;
	double x = strtod(s, &end);

	if (end == s || x < 0)
		return false;
	switch (*end) {
	case 'k': case 'K': x *= 1024; end++; break;
	case 'm': case 'M': x *= 1024 * 1024; end++; break;
	case 'g': case 'G': x *= 1024.0 * 1024 * 1024; end++; break;
	}
	*v = x;
	return *end == '\0';
}

static int ip_opt(struct tn_cmd_ctx *ctx, struct iperf_job *ij, const char *o, const char *v)
{
	double x;

	if (!strcmp(o, "-c")) {
		ij->host = v;
		return tn_cmd_parse_ipv4(v, &ij->daddr) ? 0 : ip_usage(ctx, "bad host");
	}
	if (!ip_num(v, &x))
		return ip_usage(ctx, "bad number");
	if (!strcmp(o, "-p") && x >= 1 && x <= 65535)
		ij->port = (unsigned long)x;
	else if (!strcmp(o, "-t"))
		ij->p.time_ms = (u64)(x * 1000);
	else if (!strcmp(o, "-n"))
		ij->p.bytes = (u64)x;
	else if (!strcmp(o, "-P") && x >= 1 && x <= IPERF_MAX_STREAMS)
		ij->p.streams = (unsigned int)x;
	else if (!strcmp(o, "-i"))
		ij->interval_ms = (u64)(x * 1000);
	else if (!strcmp(o, "-l") && x >= 1 && x <= IPERF_DEFAULT_LEN)
		ij->p.len = (u64)x;
	else
		return ip_usage(ctx, "bad option value");
	return 0;
}

static int ip_parse(struct tn_cmd_ctx *ctx, struct iperf_job *ij, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-s"))
			ij->server = true;
		else if (!strcmp(a, "-1") || !strcmp(a, "--one-off"))
			ij->one_off = true;
		else if (!strcmp(a, "-R") || !strcmp(a, "--reverse"))
			ij->p.reverse = true;
		else if (!strcmp(a, "--digest"))
			ij->digest = true;
		else if (strchr("cptnPil", a[1]) && a[0] == '-' && a[1] && !a[2]) {
			if (i + 1 >= argc)
				return ip_usage(ctx, "option requires an argument");
			int status = ip_opt(ctx, ij, a, argv[++i]);
			if (status)
				return status;
		} else {
			return ip_usage(ctx, "unknown option");
		}
	}
	if (ij->server == !!ij->host)
		return ip_usage(ctx, "must either be a client (-c) or server (-s)");
	return 0;
}

static int ip_start(struct tn_cmd_ctx *ctx, struct iperf_job *ij)
{
	int err;

	if (ij->server) {
		err = tn_sockjob_open(ctx->net, &ij->lsock);
		if (!err)
			err = tn_sockjob_listen(ij->lsock, 0, (u16)ij->port, 128);
		if (err) {
			tn_cmd_err(ctx, "iperf3: error - unable to start listener for connections: %s",
				   tn_errstr(-err));
			return 1;
		}
		ip_server_banner(ij);
		return 0;
	}
	fprintf(ij->out, "Connecting to host %s, port %lu\n", ij->host, ij->port);
	if (ij->p.reverse)
		fprintf(ij->out, "Reverse mode, remote host %s is sending\n", ij->host);
	ij->sending = !ij->p.reverse;
	err = tn_sockjob_open(ctx->net, &ij->ctrl);
	if (!err)
		err = tn_sockjob_connect(ij->ctrl, ij->daddr, (u16)ij->port);
	if (err) {
		tn_cmd_err(ctx, "iperf3: error - unable to connect to server: %s", tn_errstr(-err));
		return 1;
	}
	return 0;
}

int do_iperf3(struct tn_cmd_ctx *ctx, int argc, char **argv, FILE *out)
{
	struct iperf_job *ij = calloc(1, sizeof(*ij));
	int status;

	if (!ij) {
		tn_cmd_err(ctx, "iperf3: %s", tn_errstr(ENOMEM));
		return 1;
	}
	ij->out = out;
	ij->job.ctx = ctx;
	ij->job.net = ctx->net;
	ij->port = IPERF_PORT;
	ij->interval_ms = 1000;
	ij->p = (struct iperf_params){ .time_ms = 10000, .streams = 1, .len = IPERF_DEFAULT_LEN };
	timer_setup(&ij->iv_timer, ip_iv_fire);
	timer_setup(&ij->end_timer, ip_end_fire);
	status = ip_parse(ctx, ij, argc, argv);
	if (!status) {
		ip_reset_test(ij);
		status = ip_start(ctx, ij);
	}
	if (status) {
		ip_release(&ij->job);
		return status;
	}
	/* A server without -1 serves until the scenario ends. */
	ij->job.endless = ij->server && !ij->one_off;
	return tn_cmd_job_start(ctx, &ij->job, &ip_job_ops);
}
