/*
 * pdrun: run packetdrill scripts against tuxnet through the packetdrill
 * shim (see pdrun.h for what it is and is not, docs/packetdrill.md for
 * how to use it).
 *
 *   pdrun [--so PATH] [--verbose] [--tolerance_usecs N] script.pkt...
 *
 * Each script runs on a fresh stack (the shim is initialised anew). The
 * exit status is 0 when every script passed, 1 when one failed, 2 when one
 * could not be run (a parse error or a feature outside the subset).
 *
 * This file holds the event loop and the packets: inbound ones are built
 * from the script line and injected with netdev_send, outbound ones read
 * with netdev_receive and compared with the line, as packetdrill's
 * run_packet.c compares them.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "pdrun.h"
#include "packetdrill_interface.h"

#define PD_LOCAL_IP "192.168.0.1"      /* packetdrill's --local_ip */
#define PD_REMOTE_IP "192.0.2.1"       /* packetdrill's --remote_ip */
#define PD_LIVE_PORT 8080
#define PD_FIRST_REMOTE_PORT 48000
#define PD_MAX_SPIN_USECS 20            /* packetdrill's MAX_SPIN_USECS */
#define PD_JIFFY_OFFSET_USECS 250       /* start a quarter into a jiffy */

/* sanitizer runtimes refuse RTLD_DEEPBIND */
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define PD_SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__) || defined(PD_SANITIZED)
#define PD_DLOPEN_FLAGS (RTLD_NOW | RTLD_LOCAL)
#else
#define PD_DLOPEN_FLAGS (RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND)
#endif

#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_RST 0x04
#define TH_PSH 0x08
#define TH_ACK 0x10
#define TH_URG 0x20
#define TH_ECE 0x40
#define TH_CWR 0x80

/* ---- shared helpers ------------------------------------------------------- */

s64 pd_now(struct pd_run *r)
{
	struct timeval tv;

	r->ifc->gettimeofday(r->ifc->userdata, &tv, NULL);
	return (s64)tv.tv_sec * 1000000 + tv.tv_usec;
}

/* Record the first failure; always false, to be returned. */
bool pd_errorf(struct pd_run *r, int line, const char *fmt, ...)
{
	va_list ap;
	char *msg = NULL;

	if (r->error)
		return false;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	r->error = msg ? msg : strdup("error");
	r->error_line = line;
	return false;
}

int pd_to_live_fd(struct pd_run *r, int script_fd, int *live)
{
	for (int i = 0; i < r->nfds; i++)
		if (r->fds[i].script == script_fd) {
			*live = r->fds[i].live;
			return 0;
		}
	return -1;
}

void pd_add_fd(struct pd_run *r, int script_fd, int live_fd)
{
	pd_forget_fd(r, script_fd);
	if (r->nfds < (int)(sizeof(r->fds) / sizeof(r->fds[0]))) {
		r->fds[r->nfds].script = script_fd;
		r->fds[r->nfds].live = live_fd;
		r->nfds++;
	}
}

void pd_forget_fd(struct pd_run *r, int script_fd)
{
	for (int i = 0; i < r->nfds; i++)
		if (r->fds[i].script == script_fd) {
			r->fds[i] = r->fds[--r->nfds];
			return;
		}
}

/* packetdrill's verify_time(): a time is right within the tolerance. */
int pd_verify_time(struct pd_run *r, enum pd_time_type tt, s64 script_t, s64 script_end,
		   s64 live_t, const char *what, char **err)
{
	s64 actual = live_t - r->live_start;
	long tol = r->script->tolerance_usecs;
	int ret = 0;

	if (tt == PD_TIME_ANY)
		return 0;
	if (tt == PD_TIME_ABS_RANGE || tt == PD_TIME_REL_RANGE) {
		if (actual < script_t - tol || actual > script_end + tol)
			ret = asprintf(err, "timing error: expected %s in time range %.6f~%.6f sec "
				       "but happened at %.6f sec", what, script_t / 1e6,
				       script_end / 1e6, actual / 1e6);
	} else if (actual < script_t - tol || actual > script_t + tol) {
		ret = asprintf(err, "timing error: expected %s at %.6f sec but happened at "
			       "%.6f sec; tolerance %.6f sec", what, script_t / 1e6, actual / 1e6,
			       tol / 1e6);
	}
	return ret ? -1 : 0;
}

/* ---- bytes -------------------------------------------------------------- */

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

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

/* RFC 1071 ones' complement sum, folded, continuing from start. */
static uint32_t csum(const uint8_t *p, size_t len, uint32_t start)
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

static uint8_t flag_bits(const char *f, bool *ae)
{
	uint8_t b = 0;

	*ae = strchr(f, 'A') != NULL;
	b |= strchr(f, 'F') ? TH_FIN : 0;
	b |= strchr(f, 'S') ? TH_SYN : 0;
	b |= strchr(f, 'R') ? TH_RST : 0;
	b |= strchr(f, 'P') ? TH_PSH : 0;
	b |= strchr(f, '.') ? TH_ACK : 0;
	b |= strchr(f, 'U') ? TH_URG : 0;
	b |= strchr(f, 'E') ? TH_ECE : 0;
	b |= strchr(f, 'W') ? TH_CWR : 0;
	return b;
}

/* Walk the options at o[0..len): calls fn for each; -1 if malformed. */
static int opt_walk(const uint8_t *o, int len, int (*fn)(const uint8_t *opt, void *arg), void *arg)
{
	for (int i = 0; i < len;) {
		int l;

		if (o[i] == 0 || o[i] == 1) {
			if (fn && fn(o + i, arg) < 0)
				return -1;
			if (o[i] == 0)
				return 0;
			i++;
			continue;
		}
		if (i + 1 >= len || (l = o[i + 1]) < 2 || i + l > len)
			return -1;
		if (fn && fn(o + i, arg) < 0)
			return -1;
		i += l;
	}
	return 0;
}

static uint8_t *find_opt(uint8_t *o, int len, uint8_t kind)
{
	for (int i = 0; i < len;) {
		if (o[i] == 0)
			return NULL;
		if (o[i] == 1) {
			i++;
			continue;
		}
		if (i + 1 >= len || o[i + 1] < 2)
			return NULL;
		if (o[i] == kind)
			return o + i;
		i += o[i + 1];
	}
	return NULL;
}

/* Add delta to every SACK block edge. */
static void sack_offset(uint8_t *o, int len, uint32_t delta)
{
	uint8_t *s = find_opt(o, len, 5);

	if (!s || s + s[1] > o + len)
		return;
	for (int i = 2; i + 8 <= s[1]; i += 8) {
		put32(s + i, get32(s + i) + delta);
		put32(s + i + 4, get32(s + i + 4) + delta);
	}
}

/* ---- printing a segment ---------------------------------------------------- */

struct fmt {
	char *buf;
	size_t len, cap;
};

static void fmt_add(struct fmt *f, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (f->cap - f->len < 128) {
		f->cap = f->cap ? f->cap * 2 : 512;
		f->buf = realloc(f->buf, f->cap);
		if (!f->buf)
			abort();
	}
	va_start(ap, fmt);
	n = vsnprintf(f->buf + f->len, f->cap - f->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		f->len += (size_t)n < f->cap - f->len ? (size_t)n : f->cap - f->len - 1;
}

static int opt_fmt(const uint8_t *o, void *arg)
{
	struct fmt *f = arg;

	if (f->buf[f->len - 1] != '<')
		fmt_add(f, ",");
	switch (o[0]) {
	case 0: fmt_add(f, "eol"); break;
	case 1: fmt_add(f, "nop"); break;
	case 2: fmt_add(f, "mss %u", o[1] == 4 ? get16(o + 2) : 0); break;
	case 3: fmt_add(f, "wscale %u", o[1] == 3 ? o[2] : 0); break;
	case 4: fmt_add(f, "sackOK"); break;
	case 8:
		if (o[1] == 10)
			fmt_add(f, "TS val %u ecr %u", get32(o + 2), get32(o + 6));
		break;
	case 5:
		fmt_add(f, "sack");
		for (int i = 2; i + 8 <= o[1]; i += 8)
			fmt_add(f, " %u:%u", get32(o + i), get32(o + i + 4));
		break;
	default: fmt_add(f, "opt%u(len %u)", o[0], o[1]); break;
	}
	return 0;
}

/* "S. 0:0(0) ack 1 win 65535 <mss 1460,...>" for an IPv4/TCP packet. */
static char *seg_str(const uint8_t *ip, size_t n)
{
	static const char fl[] = "FSRP.UEW";
	struct fmt f = { 0 };
	const uint8_t *th;
	size_t ihl, doff, plen;

	if (n < 20 || (ihl = (size_t)(ip[0] & 15) * 4) < 20 || n < ihl + 20 || ip[9] != 6)
		return strdup("(not an IPv4/TCP packet)");
	th = ip + ihl;
	doff = (size_t)(th[12] >> 4) * 4;
	if (doff < 20 || ihl + doff > n)
		return strdup("(bad TCP header)");
	plen = n - ihl - doff;
	fmt_add(&f, "%s", "");
	if (ip[1] & 3)
		fmt_add(&f, "[%s] ", (const char *[]){ "", "ect1", "ect0", "ce" }[ip[1] & 3]);
	for (int i = 0; i < 8; i++)
		if (th[13] & (1 << i))
			fmt_add(&f, "%c", fl[i]);
	if (th[12] & 1)
		fmt_add(&f, "A");
	fmt_add(&f, " %u:%u(%zu)", get32(th + 4), get32(th + 4) + (uint32_t)plen, plen);
	if (th[13] & TH_ACK)
		fmt_add(&f, " ack %u", get32(th + 8));
	fmt_add(&f, " win %u", get16(th + 14));
	if (doff > 20) {
		fmt_add(&f, " <");
		opt_walk(th + 20, (int)doff - 20, opt_fmt, &f);
		fmt_add(&f, ">");
	}
	return f.buf;
}

/* ---- inbound packets --------------------------------------------------------- */

static uint32_t local_offset(const struct pd_sock *s)
{
	return s->live_local_isn - s->script_local_isn;
}

/* packetdrill's handle_listen_for_script_packet: an inbound packet to a
 * listener (or with no socket) starts a new connection from a new port. */
static void sock_for_inbound(struct pd_run *r)
{
	struct pd_sock *s = &r->sock;

	if (s->state != PD_SOCK_NONE && s->state != PD_SOCK_LISTENING)
		return;
	s->state = PD_SOCK_PASSIVE_SYN;
	s->local_port = htons(PD_LIVE_PORT);
	s->remote_port = htons(r->next_port++);
	s->script_local_isn = s->live_local_isn = 0;
	s->ntsmap = s->tsnext = 0;
	s->ts_first = false;
	s->injected_ack = s->have_out = false;
}

/* The live TS ecr for a script ecr: an outbound TS val the script named. */
static bool ts_live(const struct pd_sock *s, uint32_t script, uint32_t *live)
{
	for (int i = s->ntsmap - 1; i >= 0; i--)
		if (s->tsmap[i].script == script) {
			*live = s->tsmap[i].live;
			return true;
		}
	return false;
}

static void ts_remember(struct pd_sock *s, uint32_t script, uint32_t live)
{
	int n = (int)(sizeof(s->tsmap) / sizeof(s->tsmap[0]));

	if (s->ntsmap < n) {
		s->tsmap[s->ntsmap].script = script;
		s->tsmap[s->ntsmap++].live = live;
	} else {
		s->tsmap[s->tsnext].script = script;
		s->tsmap[s->tsnext].live = live;
		s->tsnext = (s->tsnext + 1) % n;
	}
}

/* Build the live packet for an inbound line into pkt; its length. */
static size_t build_inbound(struct pd_run *r, const struct pd_packet *p, uint8_t *pkt)
{
	struct pd_sock *s = &r->sock;
	size_t thlen = 20 + (size_t)p->optlen, total = 20 + thlen + p->len;
	uint8_t *ip = pkt, *th = pkt + 20;
	bool ae;
	uint8_t fl = flag_bits(p->flags, &ae);

	memset(pkt, 0, total);
	ip[0] = 0x45;
	ip[1] = p->ecn > 0 && p->ecn < 4 ? (uint8_t)p->ecn : 0;
	put16(ip + 2, (uint16_t)total);
	ip[8] = 64;
	ip[9] = IPPROTO_TCP;
	memcpy(ip + 12, &s->remote_ip, 4);
	memcpy(ip + 16, &s->local_ip, 4);
	put16(ip + 10, (uint16_t)~csum(ip, 20, 0));

	memcpy(th, &s->remote_port, 2);
	memcpy(th + 2, &s->local_port, 2);
	put32(th + 4, p->seq);
	put32(th + 8, (fl & TH_ACK) ? p->ack + local_offset(s) : p->ack);
	th[12] = (uint8_t)((thlen / 4) << 4 | (ae ? 1 : 0));
	th[13] = fl;
	put16(th + 14, (uint16_t)p->win);
	memcpy(th + 20, p->opts, (size_t)p->optlen);
	sack_offset(th + 20, p->optlen, local_offset(s));
	return total;
}

static void finish_checksum(uint8_t *pkt, size_t total)
{
	uint8_t *th = pkt + 20, pseudo[12];

	memcpy(pseudo, pkt + 12, 8);
	pseudo[8] = 0;
	pseudo[9] = IPPROTO_TCP;
	put16(pseudo + 10, (uint16_t)(total - 20));
	put16(th + 16, 0);
	put16(th + 16, (uint16_t)~csum(th, total - 20, csum(pseudo, 12, 0)));
}

static bool do_inbound(struct pd_run *r, struct pd_event *ev)
{
	const struct pd_packet *p = &ev->pkt;
	struct pd_sock *s;
	uint8_t pkt[40 + 40 + 65535];
	size_t len;
	bool ae;
	uint8_t fl = flag_bits(p->flags, &ae), *ts;

	sock_for_inbound(r);
	s = &r->sock;
	if (s->state == PD_SOCK_PASSIVE_SYNACK && (fl & TH_ACK))
		s->state = PD_SOCK_OPEN;
	else if (s->state == PD_SOCK_SYN_SENT && (fl & TH_SYN) && (fl & TH_ACK))
		s->state = PD_SOCK_OPEN;
	if ((size_t)p->len + 80 > sizeof(pkt))
		return pd_errorf(r, ev->line, "segment too large");
	len = build_inbound(r, p, pkt);
	ts = find_opt(pkt + 40, p->optlen, 8);
	if ((fl & TH_ACK) && ts && ts[1] == 10) {
		uint32_t live;

		if (!ts_live(s, get32(ts + 6), &live))
			return pd_errorf(r, ev->line, "unable to infer live TS ecr for script TS ecr "
					 "%u; no matching or preceding outbound TS val",
					 get32(ts + 6));
		put32(ts + 6, live);
	}
	finish_checksum(pkt, len);
	if (fl & TH_ACK) {
		s->injected_ack = true;
		s->inj_next_seq = p->seq + p->len + ((fl & TH_SYN) ? 1 : 0) + ((fl & TH_FIN) ? 1 : 0);
		s->inj_ack = get32(pkt + 28);
	}
	if (r->verbose) {
		char *d = seg_str(pkt, len);

		printf("inbound  %9.6f %s\n", (pd_now(r) - r->live_start) / 1e6, d);
		free(d);
	}
	if (r->ifc->netdev_send(r->ifc->userdata, pkt, len) < 0)
		return pd_errorf(r, ev->line, "netdev_send: %s", strerror(errno));
	return true;
}

/* ---- outbound packets ---------------------------------------------------------- */

struct live_pkt {
	uint8_t buf[65536 + 128];
	size_t len;
	s64 time;
};

/* Is the sniffed packet the socket's (learning a connecting socket's
 * port and ISN from its SYN)? packetdrill ignores anything else. */
static bool outbound_match(struct pd_run *r, const struct live_pkt *lp)
{
	struct pd_sock *s = &r->sock;
	const uint8_t *ip = lp->buf, *th;
	size_t ihl;

	if (lp->len < 20 || (ip[0] >> 4) != 4 || ip[9] != IPPROTO_TCP)
		return false;
	ihl = (size_t)(ip[0] & 15) * 4;
	if (lp->len < ihl + 20)
		return false;
	th = ip + ihl;
	if (!memcmp(ip + 12, &s->local_ip, 4) && !memcmp(ip + 16, &s->remote_ip, 4) &&
	    !memcmp(th, &s->local_port, 2) && !memcmp(th + 2, &s->remote_port, 2) &&
	    s->local_port)
		return true;
	if (s->state == PD_SOCK_SYN_SENT && (th[13] & (TH_SYN | TH_ACK)) == TH_SYN &&
	    !memcmp(ip + 16, &s->remote_ip, 4) && !memcmp(th + 2, &s->remote_port, 2)) {
		memcpy(&s->local_port, th, 2);
		s->live_local_isn = get32(th + 4);
		return true;
	}
	return false;
}

/* Read the socket's next packet; false with the error set if none came
 * by the time the line allows. */
static bool sniff(struct pd_run *r, struct pd_event *ev, struct live_pkt *lp)
{
	s64 give_up = r->live_start + (ev->ttype == PD_TIME_ABS_RANGE ||
				       ev->ttype == PD_TIME_REL_RANGE ? ev->t_end : ev->t) +
		      r->script->tolerance_usecs;

	for (;;) {
		long long t = 0;

		lp->len = sizeof(lp->buf);
		pthread_mutex_unlock(&r->lock);
		r->ifc->netdev_receive(r->ifc->userdata, lp->buf, &lp->len, &t);
		pthread_mutex_lock(&r->lock);
		lp->time = t;
		if (lp->len == 0) {
			if (ev->ttype == PD_TIME_ANY || pd_now(r) > give_up)
				return pd_errorf(r, ev->line, "expected an outbound packet; the stack "
						 "sent nothing (waited until %.6f sec)",
						 (pd_now(r) - r->live_start) / 1e6);
			continue;
		}
		if (outbound_match(r, lp))
			return true;
		if (r->verbose) {
			char *d = seg_str(lp->buf, lp->len);

			printf("ignored  %9.6f %s\n", (lp->time - r->live_start) / 1e6, d);
			free(d);
		}
	}
}

/* The script's packet as bytes (script space), to compare with. */
static size_t build_script(struct pd_run *r, const struct pd_packet *p, uint8_t *pkt)
{
	size_t len;

	len = build_inbound(r, p, pkt);
	/* outbound: the other way round, and no mapping */
	put32(pkt + 28, p->ack);
	memcpy(pkt + 40, p->opts, (size_t)p->optlen);
	return len;
}

struct fieldcheck {
	struct pd_run *r;
	struct pd_event *ev;
	bool ok;
};

static bool field(struct fieldcheck *fc, const char *name, uint32_t want, uint32_t got)
{
	if (!fc->ok || want == got)
		return fc->ok;
	fc->ok = false;
	return pd_errorf(fc->r, fc->ev->line, "live packet field %s: expected: %u (0x%x) vs actual: "
			 "%u (0x%x)", name, want, want, got, got);
}

/* Map the live packet into script space (packetdrill's
 * map_outbound_live_packet): sequence number by the ISN difference, the
 * TS val from the first one seen. */
static void map_outbound(struct pd_sock *s, const struct pd_packet *p, uint8_t *th, int optlen)
{
	uint8_t *ts = find_opt(th + 20, optlen, 8);
	uint8_t sopts[40];
	uint8_t *sts;

	put32(th + 4, get32(th + 4) - local_offset(s));
	memcpy(sopts, p->opts, (size_t)p->optlen);
	sts = find_opt(sopts, p->optlen, 8);
	if (ts && ts[1] == 10 && sts && sts[1] == 10) {
		uint32_t sval = get32(sts + 2), lval = get32(ts + 2);

		ts_remember(s, sval, lval);
		if (!s->ts_first) {
			s->ts_first = true;
			s->first_script_ts = sval;
			s->first_live_ts = lval;
		}
		put32(ts + 2, s->first_script_ts + (lval - s->first_live_ts));
	}
}

/* packetdrill's verify_outbound_live_tcp_options: the same kinds in the
 * same order, equal bytes except the timestamps. */
static bool check_options(struct fieldcheck *fc, const uint8_t *want, int wlen, const uint8_t *got,
			  int glen)
{
	int i = 0, j = 0;

	while (i < wlen || j < glen) {
		int wl, gl;

		if (i >= wlen || j >= glen || want[i] != got[j]) {
			fc->ok = false;
			return pd_errorf(fc->r, fc->ev->line, "bad outbound TCP options");
		}
		wl = want[i] <= 1 ? 1 : want[i + 1];
		gl = got[j] <= 1 ? 1 : (j + 1 < glen ? got[j + 1] : 0);
		if (want[i] > 1 && want[i] != 8 && (wl != gl || memcmp(want + i, got + j, (size_t)wl))) {
			fc->ok = false;
			return pd_errorf(fc->r, fc->ev->line, "bad %s outbound TCP option %d",
					 wl != gl ? "length of" : "value of", want[i]);
		}
		if (gl < 1 || j + gl > glen) {
			fc->ok = false;
			return pd_errorf(fc->r, fc->ev->line, "malformed outbound TCP options");
		}
		i += wl;
		j += gl;
	}
	return true;
}

static bool verify_outbound(struct pd_run *r, struct pd_event *ev, struct live_pkt *lp)
{
	const struct pd_packet *p = &ev->pkt;
	struct fieldcheck fc = { .r = r, .ev = ev, .ok = true };
	uint8_t want[40 + 40 + 65535], *ip = lp->buf, *th;
	size_t ihl = (size_t)(ip[0] & 15) * 4, doff, plen, tot = get16(ip + 2);
	int optlen, allowance;
	char *terr = NULL;

	build_script(r, p, want);
	th = ip + ihl;
	doff = (size_t)(th[12] >> 4) * 4;
	if (ihl < 20 || doff < 20 || tot > lp->len || ihl + doff > tot)
		return pd_errorf(r, ev->line, "malformed outbound packet");
	if (csum(ip, ihl, 0) != 0xffff)
		return pd_errorf(r, ev->line, "bad outbound IP checksum");
	optlen = (int)doff - 20;
	plen = tot - ihl - doff;
	map_outbound(&r->sock, p, th, optlen);
	allowance = p->opts_nocheck ? optlen : 0;
	field(&fc, "ipv4_version", 4, ip[0] >> 4);
	field(&fc, "ipv4_protocol", IPPROTO_TCP, ip[9]);
	field(&fc, "ipv4_header_length", 5, ip[0] & 15);
	field(&fc, "ipv4_total_length", 40u + (uint32_t)p->optlen + p->len + (uint32_t)allowance,
	      (uint32_t)tot);
	if (p->ecn == 4 && (ip[1] & 3) != 1 && (ip[1] & 3) != 2 && fc.ok) {
		fc.ok = false;
		pd_errorf(r, ev->line, "live packet field ip_ecn: expected: 0x1 or 0x2 vs actual: "
			  "0x%x", ip[1] & 3);
	} else if (p->ecn >= 0 && p->ecn < 4) {
		field(&fc, "ip_ecn", (uint32_t)p->ecn, ip[1] & 3);
	}
	field(&fc, "tcp_data_offset", 5u + (uint32_t)(p->optlen + allowance) / 4, th[12] >> 4);
	field(&fc, "tcp_fin", want[33] & TH_FIN, th[13] & TH_FIN);
	field(&fc, "tcp_syn", want[33] & TH_SYN, th[13] & TH_SYN);
	field(&fc, "tcp_rst", want[33] & TH_RST, th[13] & TH_RST);
	field(&fc, "tcp_psh", want[33] & TH_PSH, th[13] & TH_PSH);
	field(&fc, "tcp_ack", want[33] & TH_ACK, th[13] & TH_ACK);
	field(&fc, "tcp_urg", want[33] & TH_URG, th[13] & TH_URG);
	field(&fc, "tcp_ece", want[33] & TH_ECE, th[13] & TH_ECE);
	field(&fc, "tcp_cwr", want[33] & TH_CWR, th[13] & TH_CWR);
	field(&fc, "tcp_ae", want[32] & 1, th[12] & 1);
	field(&fc, "tcp_reserved_bits", 0, th[12] & 0x0e);
	field(&fc, "tcp_seq", p->seq, get32(th + 4));
	field(&fc, "tcp_ack_seq", p->ack, get32(th + 8));
	if (p->win >= 0)
		field(&fc, "tcp_window", (uint32_t)p->win, get16(th + 14));
	field(&fc, "tcp_urg_ptr", 0, get16(th + 18));
	if (fc.ok && !p->opts_nocheck)
		check_options(&fc, p->opts, p->optlen, th + 20, optlen);
	if (fc.ok) {
		for (size_t i = 0; i < plen; i++)
			if (th[doff + i] != 0) {
				fc.ok = false;
				pd_errorf(r, ev->line, "incorrect outbound data payload");
				break;
			}
	}
	if (fc.ok && pd_verify_time(r, ev->ttype, ev->t, ev->t_end, lp->time, "outbound packet",
				    &terr)) {
		fc.ok = false;
		pd_errorf(r, ev->line, "%s", terr);
	}
	free(terr);
	if (!fc.ok) {
		char *a = seg_str(lp->buf, tot);
		char *w = seg_str(want, 40 + (size_t)p->optlen + p->len);
		char *msg = NULL;

		if (asprintf(&msg, "%s\n  script packet: %9.6f %s%s\n  actual packet: %9.6f %s",
			     r->error, ev->t / 1e6, w, p->win < 0 ? " (win not checked)" : "",
			     (lp->time - r->live_start) / 1e6, a) > 0) {
			free(r->error);
			r->error = msg;
		}
		free(a);
		free(w);
	}
	return fc.ok;
}

static bool do_outbound(struct pd_run *r, struct pd_event *ev)
{
	struct pd_packet *p = &ev->pkt;
	struct pd_sock *s = &r->sock;
	struct live_pkt *lp = malloc(sizeof(*lp));
	bool fl_synack = strchr(p->flags, 'S') && strchr(p->flags, '.');
	bool ok;

	if (!lp)
		abort();
	if (s->state == PD_SOCK_PASSIVE_SYN && fl_synack)
		s->script_local_isn = p->seq;
	if (s->state == PD_SOCK_CONNECTING && strchr(p->flags, 'S') && !strchr(p->flags, '.')) {
		s->state = PD_SOCK_SYN_SENT;
		s->script_local_isn = p->seq;
	}
	ok = sniff(r, ev, lp);
	if (ok && s->state == PD_SOCK_PASSIVE_SYN && fl_synack) {
		s->state = PD_SOCK_PASSIVE_SYNACK;
		s->live_local_isn = get32(lp->buf + (lp->buf[0] & 15) * 4 + 4);
	}
	if (ok) {
		const uint8_t *th = lp->buf + (lp->buf[0] & 15) * 4;

		s->have_out = true;
		s->out_seq = get32(th + 4);
		s->out_ack = get32(th + 8);
		if (r->verbose) {
			char *d = seg_str(lp->buf, lp->len);

			printf("outbound %9.6f %s\n", (lp->time - r->live_start) / 1e6, d);
			free(d);
		}
		ok = verify_outbound(r, ev, lp);
	}
	free(lp);
	return ok;
}

/* ---- the event loop --------------------------------------------------------- */

static bool is_inbound(const struct pd_event *ev)
{
	return ev && ev->type == PD_EV_PACKET && !ev->pkt.outbound;
}

/* packetdrill's adjust_relative_event_times. */
static void adjust_time(struct pd_run *r, struct pd_event *ev)
{
	s64 off;

	if (ev->ttype != PD_TIME_ANY && ev->ttype != PD_TIME_REL && ev->ttype != PD_TIME_REL_RANGE)
		return;
	if (is_inbound(r->last) && is_inbound(ev))
		off = r->last->t;
	else
		off = pd_now(r) - r->live_start;
	ev->offset = off;
	ev->t += off;
	if (ev->ttype == PD_TIME_REL_RANGE)
		ev->t_end += off;
	if (ev->ttype == PD_TIME_REL && ev->blocking)
		ev->end += off;
}

static const char *describe(const struct pd_event *ev)
{
	if (ev->type == PD_EV_PACKET)
		return ev->pkt.outbound ? "outbound packet" : "inbound packet";
	if (ev->type == PD_EV_SYSCALL)
		return "system call start";
	return "command";
}

/* Sleep until the event's time (packetdrill's wait_for_event), then check
 * that it is on time. */
bool pd_wait_for_event(struct pd_run *r, struct pd_event *ev)
{
	s64 at = r->live_start + ev->t;
	char *err = NULL;

	for (;;) {
		s64 wait = at - pd_now(r);

		if (wait <= 0)
			break;
		if (r->num_events > 0 && wait > PD_MAX_SPIN_USECS) {
			pthread_mutex_unlock(&r->lock);
			r->ifc->usleep(r->ifc->userdata, (useconds_t)(wait - PD_MAX_SPIN_USECS));
			pthread_mutex_lock(&r->lock);
		}
	}
	if (r->num_events > 0 &&
	    pd_verify_time(r, ev->ttype, ev->t, ev->t_end, pd_now(r), describe(ev), &err)) {
		pd_errorf(r, ev->line, "%s", err);
		free(err);
		return false;
	}
	return true;
}

static bool run_event(struct pd_run *r, struct pd_event *ev)
{
	switch (ev->type) {
	case PD_EV_PACKET:
		if (ev->pkt.outbound)
			return do_outbound(r, ev);
		return pd_wait_for_event(r, ev) && do_inbound(r, ev);
	case PD_EV_SYSCALL:
		if (ev->blocking)
			return pd_sys_enqueue(r, ev);
		if (!pd_sys_await_idle(r))
			return pd_errorf(r, ev->line, "a blocking system call is still in progress");
		return pd_wait_for_event(r, ev) && pd_syscall_run(r, ev);
	case PD_EV_SHELL:
		if (ev->ttype != PD_TIME_ANY && !pd_wait_for_event(r, ev))
			return false;
		fprintf(stderr, "pdrun: line %d: shell command skipped (it would run on the host, "
			"not on tuxnet): %.60s\n", ev->line, ev->name);
		return true;
	case PD_EV_CODE:
		return pd_errorf(r, ev->line, "%%{ python }%% code is not supported");
	}
	return false;
}

/* What packetdrill does at the end: close what is left open and reset
 * the connection under test, so no state outlives the script. */
static void cleanup(struct pd_run *r)
{
	struct pd_sock *s = &r->sock;

	pd_sys_stop(r);
	while (r->nfds > 0) {
		int live = r->fds[r->nfds - 1].live;

		r->nfds--;
		r->ifc->close(r->ifc->userdata, live);
	}
	if (s->state >= PD_SOCK_SYN_SENT && s->have_out) {
		struct pd_packet rst = { .win = 0, .ecn = -1 };
		uint8_t pkt[80];
		size_t len;

		strcpy(rst.flags, "R.");
		if (s->injected_ack) {
			rst.seq = s->inj_next_seq;
			rst.ack = s->inj_ack - local_offset(s);
		} else {
			rst.seq = s->out_ack;
			rst.ack = s->out_seq - local_offset(s);
		}
		len = build_inbound(r, &rst, pkt);
		finish_checksum(pkt, len);
		r->ifc->netdev_send(r->ifc->userdata, pkt, len);
	}
}

static int load_shim(const char *path, const char *flags, void **handle,
		     struct packetdrill_interface *ifc)
{
	packetdrill_interface_init_t init;

	*handle = dlopen(path, PD_DLOPEN_FLAGS);
	if (!*handle) {
		fprintf(stderr, "pdrun: dlopen %s: %s\n", path, dlerror());
		return -1;
	}
	init = (packetdrill_interface_init_t)dlsym(*handle, "packetdrill_interface_init");
	if (!init) {
		fprintf(stderr, "pdrun: %s has no packetdrill_interface_init\n", path);
		return -1;
	}
	memset(ifc, 0, sizeof(*ifc));
	init(flags, ifc);
	if (!ifc->userdata) {
		fprintf(stderr, "pdrun: the shim could not start (flags '%s')\n", flags);
		return -1;
	}
	return 0;
}

struct options {
	const char *so;
	bool verbose;
	bool no_defaults;     /* --no-defaults-sh */
	long tolerance;
};

/* 0 pass, 1 fail, 2 cannot run. */
static int run_script(const struct options *o, const char *path)
{
	struct pd_script script;
	struct packetdrill_interface ifc;
	struct pd_run r;
	char *err = NULL, flags[1024];
	void *handle = NULL;
	s64 now;
	int ret;

	if (pd_parse_file(path, &script, &err) < 0) {
		printf("%s: UNSUPPORTED (parse) %s\n", path, err ? err : "");
		free(err);
		return 2;
	}
	if (script.unsupported) {
		printf("%s: UNSUPPORTED line %d: %s\n", path, script.unsupported_line,
		       script.unsupported);
		pd_script_free(&script);
		return 2;
	}
	if (o->tolerance >= 0)
		script.tolerance_usecs = o->tolerance;
	snprintf(flags, sizeof(flags), "ip=" PD_LOCAL_IP ",peer=" PD_REMOTE_IP ",mtu=%d",
		 script.mtu ? script.mtu : 1500);
	/* The shim applies the script's own sysctl commands (defaults.sh
	 * included), reading the script named on this command line, as it
	 * does under packetdrill; --no-defaults-sh turns that off. */
	if (o->no_defaults) {
		size_t n = strlen(flags);

		snprintf(flags + n, sizeof(flags) - n, ",script_sysctls=0");
	}
	if (load_shim(o->so, flags, &handle, &ifc) < 0) {
		if (handle)
			dlclose(handle);
		pd_script_free(&script);
		return 2;
	}
	memset(&r, 0, sizeof(r));
	r.ifc = &ifc;
	r.script = &script;
	r.verbose = o->verbose;
	r.next_port = PD_FIRST_REMOTE_PORT;
	inet_pton(AF_INET, PD_LOCAL_IP, &r.sock.local_ip);
	inet_pton(AF_INET, PD_REMOTE_IP, &r.sock.remote_ip);
	pthread_mutex_init(&r.lock, NULL);
	pthread_mutex_lock(&r.lock);
	if (pd_sys_start(&r) < 0) {
		fprintf(stderr, "pdrun: cannot start the system call thread\n");
		abort();
	}
	/* packetdrill's schedule_start_time: a little into a jiffy */
	now = pd_now(&r);
	r.live_start = (now / 1000 + 1) * 1000 + PD_JIFFY_OFFSET_USECS;
	for (struct pd_event *ev = script.events; ev && !r.error; ev = ev->next) {
		if (!r.last && ev->ttype != PD_TIME_ANY && ev->t != 0) {
			pd_errorf(&r, ev->line, "first event should be at time 0");
			break;
		}
		r.event = ev;
		adjust_time(&r, ev);
		run_event(&r, ev);
		r.last = ev;
		r.num_events++;
	}
	cleanup(&r);
	if (r.error) {
		printf("%s:%d: FAIL %s\n", path, r.error_line, r.error);
		ret = 1;
	} else {
		printf("%s: PASS\n", path);
		ret = 0;
	}
	pthread_mutex_unlock(&r.lock);
	if (!r.sys) {
		ifc.free(ifc.userdata);
		dlclose(handle);
	}
	free(r.error);
	pthread_mutex_destroy(&r.lock);
	pd_script_free(&script);
	return ret;
}

static void usage(void)
{
	fprintf(stderr, "usage: pdrun [--so PATH] [--verbose] [--no-defaults-sh] [--tolerance_usecs N] "
		"script.pkt...\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct options o = { .so = "build/libtuxnet-packetdrill.so", .tolerance = -1 };
	int worst = 0, i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--so") && i + 1 < argc)
			o.so = argv[++i];
		else if (!strcmp(argv[i], "--no-defaults-sh"))
			o.no_defaults = true;
		else if (!strcmp(argv[i], "--verbose") || !strcmp(argv[i], "-v"))
			o.verbose = true;
		else if (!strncmp(argv[i], "--tolerance_usecs=", 18))
			o.tolerance = strtol(argv[i] + 18, NULL, 10);
		else
			usage();
	}
	if (i == argc)
		usage();
	for (; i < argc; i++) {
		int ret = run_script(&o, argv[i]);

		if (ret == 1 || (ret == 2 && worst == 0))
			worst = ret;
	}
	return worst;
}
