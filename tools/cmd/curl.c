/*
 * curl: an HTTP/1.1 client as a scenario job, on a kernel-side TCP socket of
 * the namespace it runs in (sockjob.c). With httpd it lets tuxnet serve and
 * fetch; over a TAP it fetches from Linux's own servers.
 *
 *   curl [-s] [-S] [-f] [-I] [-o FILE]... [-m SECS] [--connect-timeout SECS]
 *        URL...
 *
 * As curl(1) 7.88 does: GET (HEAD with -I, which prints the response head
 * instead of the body), "Host", "User-Agent: curl/7.88.1" and "Accept" (any type);
 * the body framed by Content-Length, chunked transfer coding, or the end of
 * the connection; the body printed, or written to the -o FILE given for that
 * URL (the n-th -o goes with the n-th URL, as curl's). Several URLs to one
 * host:port reuse the connection when the server keeps it (HTTP/1.1 without
 * "Connection: close"). URLs are http:// only (a missing scheme means
 * http), and hosts are dotted quads or "localhost": names are not resolved.
 *
 * Errors print curl's "curl: (N) ..." line (none with -s unless -S) and end
 * the job with curl's exit code: 1 unsupported protocol, 3 malformed URL,
 * 6 a host name, 7 connection refused or unreachable, 8 a reply that is not
 * HTTP, 18 a body cut short, 22 an HTTP error with -f, 23 a write error,
 * 28 a timeout (--connect-timeout, default 300 s as curl's; -m for the
 * whole run), 52 an empty reply, 56 a receive failure (reset).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "net/skbuff.h"
#include "net/socket.h"
#include "net/stack.h"
#include "net/net_namespace.h"
#include "tools/cmd/cmd.h"

#define CURL_MAX_URLS 16
#define CURL_MAX_HEAD 65536
#define CURL_BUF 65536
#define CURL_CONNECT_TIMEOUT_MS 300000

struct curl_url {
	u32 addr;
	u16 port;
	char host[64];                /* as written, for Host: and messages */
	char path[2048];
	const char *outfile;          /* -o for this URL, NULL: the output */
};

enum curl_state { CURL_CONNECTING, CURL_SENDING, CURL_HEAD, CURL_BODY };
enum curl_framing { BODY_NONE, BODY_LENGTH, BODY_CHUNKED, BODY_CLOSE };
enum chunk_state { CH_SIZE, CH_DATA, CH_DATA_END, CH_TRAILER };

struct curl_job {
	struct tn_cmd_job job;
	bool silent, show_error, fail, head_only;
	long connect_ms, max_ms;      /* -1: none */
	struct curl_url urls[CURL_MAX_URLS];
	unsigned int nurls, cur;

	struct socket *sock;
	u32 sock_addr;                /* where sock is connected, for reuse */
	u16 sock_port;
	bool reusable;                /* the last response allowed keep-alive */
	enum curl_state state;
	char req[2400];
	size_t reqlen, reqoff;

	char head[CURL_MAX_HEAD];     /* the response head as received */
	size_t headlen;
	int code;
	enum curl_framing framing;
	u64 left;                     /* BODY_LENGTH: bytes still due; CH_DATA: of the chunk */
	u64 body_total;               /* Content-Length, for messages */
	u64 body_bytes;               /* body bytes received (all URLs) */
	enum chunk_state chunk;
	char line[64];                /* a chunk-size or trailer line being read */
	size_t linelen;

	FILE *out, *file;             /* ctx output; the -o file being written */
	u64 start_ns;
	struct timer_list connect_timer, max_timer;
	u8 buf[CURL_BUF];
};

static struct tn_stack *curl_stack(const struct curl_job *cj)
{
	return cj->job.ctx->st;
}

static unsigned long curl_elapsed_ms(const struct curl_job *cj)
{
	return (unsigned long)((tn_now(curl_stack(cj)) - cj->start_ns) / 1000000ull);
}

static void curl_close_sock(struct curl_job *cj)
{
	if (cj->sock) {
		sock_release(cj->sock);
		cj->sock = NULL;
	}
	cj->reusable = false;
}

static void curl_close_file(struct curl_job *cj)
{
	if (cj->file) {
		fclose(cj->file);
		cj->file = NULL;
	}
}

static void curl_finish(struct curl_job *cj, int status)
{
	if (cj->job.done)
		return;
	del_timer(&cj->connect_timer);
	del_timer(&cj->max_timer);
	curl_close_sock(cj);
	curl_close_file(cj);
	fflush(cj->out);
	tn_cmd_job_done(&cj->job, status);
}

/* curl's "curl: (N) ..." (unless -s without -S) and the end. */
static void curl_fail(struct curl_job *cj, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void curl_fail(struct curl_job *cj, int code, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (cj->job.done)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fflush(cj->out);
	if (!cj->silent || cj->show_error)
		tn_cmd_note(cj->job.ctx, "curl: (%d) %s", code, msg);
	curl_finish(cj, code);
}

static struct curl_url *curl_url(struct curl_job *cj)
{
	return &cj->urls[cj->cur];
}

/* ---- writing the body --------------------------------------------------- */

static void curl_write(struct curl_job *cj, const void *p, size_t n)
{
	FILE *f = cj->file ? cj->file : cj->out;

	cj->body_bytes += n;
	if (n && fwrite(p, 1, n, f) != n)
		curl_fail(cj, 23, "Failure writing output to destination");
}

/* One URL done: keep the connection if allowed, then the next or the end. */
static void curl_start_url(struct curl_job *cj);
static void curl_url_done(struct curl_job *cj)
{
	curl_close_file(cj);
	if (!cj->reusable)
		curl_close_sock(cj);
	if (++cj->cur == cj->nurls) {
		curl_finish(cj, 0);
		return;
	}
	curl_start_url(cj);
}

/* ---- chunked transfer coding (RFC 9112 7.1) ----------------------------- */

/* Accumulate a CRLF-terminated line; true once complete (CR/LF stripped). */
static bool take_line(struct curl_job *cj, const u8 **p, size_t *n)
{
	while (*n) {
		char c = (char)**p;
		(*p)++, (*n)--;
		if (c == '\n') {
			cj->line[cj->linelen] = '\0';
			cj->linelen = 0;
			return true;
		}
		if (c != '\r' && cj->linelen + 1 < sizeof(cj->line))
			cj->line[cj->linelen++] = c;
	}
	return false;
}

/* false: a bad chunk size (reported). */
static bool chunk_size_line(struct curl_job *cj)
{
	char *end;
	unsigned long long v = strtoull(cj->line, &end, 16);

	if (end == cj->line || (*end && *end != ';' && *end != ' ' && *end != '\t')) {
		curl_fail(cj, 56, "Failure when receiving data from the peer");
		return false;
	}
	cj->left = v;
	cj->chunk = v ? CH_DATA : CH_TRAILER;
	return true;
}

/* Decode n bytes of a chunked body; calls curl_url_done at the end. */
static void body_chunked(struct curl_job *cj, const u8 *p, size_t n)
{
	while (n && !cj->job.done) {
		switch (cj->chunk) {
		case CH_SIZE:
			if (take_line(cj, &p, &n) && !chunk_size_line(cj))
				return;
			break;
		case CH_DATA: {
			size_t k = (size_t)TN_MIN((u64)n, cj->left);
			curl_write(cj, p, k);
			p += k, n -= k;
			cj->left -= k;
			if (!cj->left)
				cj->chunk = CH_DATA_END;
			break;
		}
		case CH_DATA_END:
			if (take_line(cj, &p, &n))
				cj->chunk = CH_SIZE;
			break;
		case CH_TRAILER:
			if (take_line(cj, &p, &n) && !cj->line[0]) {
				curl_url_done(cj);
				return;
			}
			break;
		}
	}
}

/* n body bytes in whatever framing the head announced. */
static void body_data(struct curl_job *cj, const u8 *p, size_t n)
{
	if (cj->framing == BODY_CHUNKED) {
		body_chunked(cj, p, n);
		return;
	}
	if (cj->framing == BODY_LENGTH) {
		size_t k = (size_t)TN_MIN((u64)n, cj->left);
		curl_write(cj, p, k);
		cj->left -= k;
		if (!cj->left && !cj->job.done)
			curl_url_done(cj);
		return;
	}
	curl_write(cj, p, n);   /* BODY_CLOSE: everything until the end */
}

/* ---- the response head -------------------------------------------------- */

static size_t head_end(const char *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++) {
		if (p[i] != '\n')
			continue;
		if (p[i + 1] == '\n')
			return i + 2;
		if (p[i + 1] == '\r' && i + 2 < n && p[i + 2] == '\n')
			return i + 3;
	}
	return 0;
}

/* The value of header name in the head (NUL-terminated copy), or NULL. */
static const char *header_value(const char *head, const char *name, char *v, size_t len)
{
	size_t nlen = strlen(name);

	for (const char *l = strchr(head, '\n'); l && l[1]; l = strchr(l + 1, '\n')) {
		const char *h = l + 1;
		if (strncasecmp(h, name, nlen) || h[nlen] != ':')
			continue;
		h += nlen + 1;
		h += strspn(h, " \t");
		size_t n = strcspn(h, "\r\n");
		n = TN_MIN(n, len - 1);
		memcpy(v, h, n);
		v[n] = '\0';
		return v;
	}
	return NULL;
}

/* Framing and keep-alive from a parsed head (RFC 9112 6.3). */
static void head_framing(struct curl_job *cj, const char *head, int minor)
{
	char v[128];
	bool close = minor == 0;

	if (header_value(head, "Connection", v, sizeof(v))) {
		if (strcasestr(v, "close"))
			close = true;
		else if (strcasestr(v, "keep-alive"))
			close = false;
	}
	cj->body_total = 0;
	if (cj->head_only || cj->code == 204 || cj->code == 304) {
		cj->framing = BODY_NONE;
	} else if (header_value(head, "Transfer-Encoding", v, sizeof(v)) &&
		   strcasestr(v, "chunked")) {
		cj->framing = BODY_CHUNKED;
		cj->chunk = CH_SIZE;
		cj->linelen = 0;
	} else if (header_value(head, "Content-Length", v, sizeof(v))) {
		cj->framing = BODY_LENGTH;
		cj->left = cj->body_total = strtoull(v, NULL, 10);
	} else {
		cj->framing = BODY_CLOSE;
		close = true;
	}
	cj->reusable = !close;
}

/* The file of -o opens when the response starts, as curl's does. */
static bool open_output(struct curl_job *cj)
{
	const char *name = curl_url(cj)->outfile;

	if (!name)
		return true;
	cj->file = fopen(name, "wb");
	if (!cj->file) {
		curl_fail(cj, 23, "Failure writing output to destination");
		return false;
	}
	return true;
}

/* A complete head of length end at cj->head. false: the job ended. */
static bool take_head(struct curl_job *cj, size_t end)
{
	char saved = cj->head[end - 1];
	int minor;

	cj->head[end - 1] = '\0';
	if (sscanf(cj->head, "HTTP/1.%d %3d", &minor, &cj->code) != 2 || minor < 0 ||
	    minor > 1) {
		curl_fail(cj, 8, "Weird server reply");
		return false;
	}
	head_framing(cj, cj->head, minor);
	cj->head[end - 1] = saved;
	if (cj->code >= 100 && cj->code < 200)
		return true;   /* an interim response: the real one follows */
	if (cj->fail && cj->code >= 400) {
		curl_fail(cj, 22, "The requested URL returned error: %d", cj->code);
		return false;
	}
	if (!open_output(cj))
		return false;
	if (cj->head_only)
		curl_write(cj, cj->head, end);
	return !cj->job.done;
}

/* Bytes while the head is read: the head, then the body's first bytes. */
static void head_data(struct curl_job *cj, const u8 *p, size_t n)
{
	size_t take = TN_MIN(n, sizeof(cj->head) - cj->headlen);
	size_t end;

	memcpy(cj->head + cj->headlen, p, take);
	cj->headlen += take;
	end = head_end(cj->head, cj->headlen);
	if (!end) {
		if (cj->headlen == sizeof(cj->head))
			curl_fail(cj, 8, "Weird server reply");
		return;
	}
	size_t rest = cj->headlen - end;
	cj->headlen = 0;
	if (!take_head(cj, end))
		return;
	/* What followed the head: moved out first, since head[] is reused. */
	u8 *tmp = rest ? malloc(rest) : NULL;
	if (rest && !tmp) {
		curl_fail(cj, 27, "Out of memory");
		return;
	}
	if (rest)
		memcpy(tmp, cj->head + end, rest);
	if (cj->code >= 100 && cj->code < 200) {
		head_data(cj, tmp, rest);   /* an interim response: the real one follows */
	} else {
		cj->state = CURL_BODY;
		if (cj->framing == BODY_NONE || (cj->framing == BODY_LENGTH && !cj->left))
			curl_url_done(cj);
		else if (rest)
			body_data(cj, tmp, rest);
	}
	free(tmp);
}

/* ---- the connection ----------------------------------------------------- */

/* The peer closed. The body may end with it; anything else is cut short. */
static void curl_eof(struct curl_job *cj)
{
	if (cj->state == CURL_HEAD) {
		if (cj->headlen == 0)
			curl_fail(cj, 52, "Empty reply from server");
		else
			curl_fail(cj, 8, "Weird server reply");
	} else if (cj->framing == BODY_CLOSE) {
		cj->reusable = false;
		curl_url_done(cj);
	} else if (cj->framing == BODY_LENGTH) {
		curl_fail(cj, 18, "transfer closed with %llu bytes remaining to read",
			  (unsigned long long)cj->left);
	} else {
		curl_fail(cj, 18, "transfer closed with outstanding read data remaining");
	}
}

static void curl_read(struct curl_job *cj)
{
	while (!cj->job.done && (cj->state == CURL_HEAD || cj->state == CURL_BODY)) {
		unsigned int was = cj->cur;
		ssize_t n = tn_sockjob_recv(cj->sock, cj->buf, sizeof(cj->buf));

		if (n == -EAGAIN)
			return;
		if (n < 0) {
			curl_fail(cj, 56, "Recv failure: %s", tn_errstr((int)-n));
			return;
		}
		if (n == 0) {
			curl_eof(cj);
			return;
		}
		if (cj->state == CURL_HEAD)
			head_data(cj, cj->buf, (size_t)n);
		else
			body_data(cj, cj->buf, (size_t)n);
		/* A response ended inside these bytes: the next URL's request
		 * goes out before more is read (extra bytes were not ours). */
		if (cj->cur != was)
			return;
	}
}

static void curl_send(struct curl_job *cj)
{
	while (cj->reqoff < cj->reqlen) {
		ssize_t w = tn_sockjob_send(cj->sock, cj->req + cj->reqoff, cj->reqlen - cj->reqoff);
		if (w == -EAGAIN)
			return;
		if (w < 0) {
			curl_fail(cj, 55, "Failed sending data to the peer");
			return;
		}
		cj->reqoff += (size_t)w;
	}
	cj->state = CURL_HEAD;
	cj->headlen = 0;
}

static void curl_connecting(struct curl_job *cj)
{
	struct curl_url *u = curl_url(cj);
	int r = tn_sockjob_connected(cj->sock);

	if (r == 0)
		return;
	if (r < 0) {
		int code = r == -ETIMEDOUT ? 28 : 7;
		curl_fail(cj, code, "Failed to connect to %s port %u after %lu ms: %s", u->host,
			  u->port, curl_elapsed_ms(cj),
			  code == 28 ? "Timeout was reached" : "Couldn't connect to server");
		return;
	}
	del_timer(&cj->connect_timer);
	cj->sock_addr = u->addr;
	cj->sock_port = u->port;
	cj->state = CURL_SENDING;
}

static void curl_poll(struct tn_cmd_job *job)
{
	struct curl_job *cj = container_of(job, struct curl_job, job);

	while (!job->done) {
		enum curl_state before = cj->state;
		unsigned int was = cj->cur;

		if (cj->state == CURL_CONNECTING)
			curl_connecting(cj);
		if (!job->done && cj->state == CURL_SENDING)
			curl_send(cj);
		if (!job->done && (cj->state == CURL_HEAD || cj->state == CURL_BODY))
			curl_read(cj);
		if (cj->state == before && cj->cur == was)
			break;
	}
}

static void curl_request(struct curl_job *cj)
{
	struct curl_url *u = curl_url(cj);
	char hostport[80];

	if (u->port == 80)
		snprintf(hostport, sizeof(hostport), "%s", u->host);
	else
		snprintf(hostport, sizeof(hostport), "%s:%u", u->host, u->port);
	cj->reqlen = (size_t)snprintf(cj->req, sizeof(cj->req),
				      "%s %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: curl/7.88.1\r\n"
				      "Accept: */*\r\n\r\n",
				      cj->head_only ? "HEAD" : "GET", u->path, hostport);
	cj->reqoff = 0;
	cj->state = CURL_SENDING;
}

static void curl_start_url(struct curl_job *cj)
{
	struct curl_url *u = curl_url(cj);
	int err;

	curl_request(cj);
	if (cj->sock && cj->reusable && cj->sock_addr == u->addr && cj->sock_port == u->port)
		return;   /* keep-alive: the next request on the same connection */
	curl_close_sock(cj);
	err = tn_sockjob_open(cj->job.ctx->net, &cj->sock);
	if (!err)
		err = tn_sockjob_connect(cj->sock, u->addr, u->port);
	if (err) {
		curl_fail(cj, 7, "Failed to connect to %s port %u after %lu ms: %s", u->host,
			  u->port, curl_elapsed_ms(cj), "Couldn't connect to server");
		return;
	}
	cj->state = CURL_CONNECTING;
	tn_mod_timer(curl_stack(cj), &cj->connect_timer,
		     jiffies(curl_stack(cj)) + (u64)cj->connect_ms);
}

/* ---- timers and the job ------------------------------------------------- */

static void curl_connect_timeout(struct timer_list *t)
{
	struct curl_job *cj = from_timer(cj, t, connect_timer);
	struct curl_url *u = curl_url(cj);

	if (cj->state != CURL_CONNECTING)
		return;
	curl_fail(cj, 28, "Failed to connect to %s port %u after %lu ms: Timeout was reached",
		  u->host, u->port, curl_elapsed_ms(cj));
}

static void curl_max_timeout(struct timer_list *t)
{
	struct curl_job *cj = from_timer(cj, t, max_timer);

	curl_poll(&cj->job);
	if (cj->job.done)
		return;
	if (cj->framing == BODY_LENGTH && cj->state == CURL_BODY)
		curl_fail(cj, 28, "Operation timed out after %lu milliseconds with %llu out of %llu bytes received",
			  curl_elapsed_ms(cj), (unsigned long long)(cj->body_total - cj->left),
			  (unsigned long long)cj->body_total);
	else
		curl_fail(cj, 28, "Operation timed out after %lu milliseconds with %llu bytes received",
			  curl_elapsed_ms(cj), (unsigned long long)cj->body_bytes);
}

/* Interrupted (^C or the end of the run): curl just ends. */
static void curl_stop(struct tn_cmd_job *job)
{
	struct curl_job *cj = container_of(job, struct curl_job, job);

	curl_finish(cj, job->done ? job->status : 130);
}

static void curl_release(struct tn_cmd_job *job)
{
	struct curl_job *cj = container_of(job, struct curl_job, job);

	del_timer(&cj->connect_timer);
	del_timer(&cj->max_timer);
	curl_close_sock(cj);
	curl_close_file(cj);
	free(cj);
}

static const struct tn_cmd_job_ops curl_job_ops = {
	.name = "curl",
	.stop = curl_stop,
	.poll = curl_poll,
	.release = curl_release,
};

/* ---- options ------------------------------------------------------------ */

/* http://HOST[:PORT][/PATH]; 0 or curl's exit code (message printed). */
static int parse_url(struct tn_cmd_ctx *ctx, struct curl_job *cj, const char *url,
		     struct curl_url *u)
{
	const char *p = strstr(url, "://"), *host, *end;
	unsigned long port = 80;
	size_t hlen;

	if (p && (p - url != 4 || strncasecmp(url, "http", 4))) {
		if (!cj->silent || cj->show_error)
			tn_cmd_err(ctx, "curl: (1) Protocol \"%.*s\" not supported or disabled in libcurl",
				   (int)(p - url), url);
		return 1;
	}
	host = p ? p + 3 : url;
	end = host + strcspn(host, ":/?#");
	hlen = (size_t)(end - host);
	if (!hlen || hlen >= sizeof(u->host)) {
		if (!cj->silent || cj->show_error)
			tn_cmd_err(ctx, "curl: (3) URL using bad/illegal format or missing URL");
		return 3;
	}
	memcpy(u->host, host, hlen);
	u->host[hlen] = '\0';
	if (*end == ':') {
		char num[8] = "";
		size_t n = strcspn(end + 1, "/?#");
		if (n == 0 || n >= sizeof(num) ||
		    (memcpy(num, end + 1, n), !tn_parse_uint(num, 65535, &port)) || !port) {
			if (!cj->silent || cj->show_error)
				tn_cmd_err(ctx, "curl: (3) URL using bad/illegal format or missing URL");
			return 3;
		}
		end += 1 + n;
	}
	u->port = (u16)port;
	snprintf(u->path, sizeof(u->path), "%s%s", *end == '/' ? "" : "/", end);
	u->path[strcspn(u->path, "#")] = '\0';
	if (!strcmp(u->host, "localhost"))
		u->addr = 0x7f000001;
	else if (!tn_cmd_parse_ipv4(u->host, &u->addr)) {
		if (!cj->silent || cj->show_error)
			tn_cmd_err(ctx, "curl: (6) Could not resolve host: %s", u->host);
		return 6;
	}
	return 0;
}

static bool parse_secs(const char *v, long *ms)
{
	char *end;
	double s = strtod(v, &end);

	if (end == v || *end || s < 0 || s > 1e7)
		return false;
	*ms = (long)(s * 1000 + 0.5);
	return true;
}

static int curl_usage(struct tn_cmd_ctx *ctx, const char *opt)
{
	tn_cmd_err(ctx, "curl: option %s: is unknown", opt);
	tn_cmd_err(ctx, "curl: try 'curl --help' or 'curl --manual' for more information");
	return 2;
}

/* One option at argv[*i]; 0 or the exit status. */
static int curl_option(struct tn_cmd_ctx *ctx, struct curl_job *cj, int argc, char **argv,
		       int *i, unsigned int *nout, const char **outs)
{
	const char *a = argv[*i];
	const char *v = *i + 1 < argc ? argv[*i + 1] : NULL;
	bool takes = !strcmp(a, "-o") || !strcmp(a, "--output") || !strcmp(a, "-m") ||
		     !strcmp(a, "--max-time") || !strcmp(a, "--connect-timeout");

	if (takes && !v) {
		tn_cmd_err(ctx, "curl: option %s: requires parameter", a);
		return 2;
	}
	if (takes)
		(*i)++;
	if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
		if (*nout < CURL_MAX_URLS)
			outs[(*nout)++] = v;
	} else if (!strcmp(a, "-m") || !strcmp(a, "--max-time")) {
		if (!parse_secs(v, &cj->max_ms))
			return curl_usage(ctx, a);
	} else if (!strcmp(a, "--connect-timeout")) {
		if (!parse_secs(v, &cj->connect_ms))
			return curl_usage(ctx, a);
	} else if (a[1] != '-') {
		for (const char *f = a + 1; *f; f++) {
			if (!strchr("sSfI", *f))
				return curl_usage(ctx, a);
			cj->silent |= *f == 's';
			cj->show_error |= *f == 'S';
			cj->fail |= *f == 'f';
			cj->head_only |= *f == 'I';
		}
	} else if (!strcmp(a, "--silent")) {
		cj->silent = true;
	} else if (!strcmp(a, "--head")) {
		cj->head_only = true;
	} else if (!strcmp(a, "--fail")) {
		cj->fail = true;
	} else if (!strcmp(a, "--show-error")) {
		cj->show_error = true;
	} else {
		return curl_usage(ctx, a);
	}
	return 0;
}

static int curl_parse(struct tn_cmd_ctx *ctx, struct curl_job *cj, int argc, char **argv)
{
	const char *outs[CURL_MAX_URLS];
	const char *urls[CURL_MAX_URLS];
	unsigned int nout = 0, nurl = 0;

	for (int i = 1; i < argc; i++) {
		if (argv[i][0] == '-' && argv[i][1]) {
			int status = curl_option(ctx, cj, argc, argv, &i, &nout, outs);
			if (status)
				return status;
		} else if (nurl < CURL_MAX_URLS) {
			urls[nurl++] = argv[i];
		}
	}
	if (!nurl) {
		tn_cmd_err(ctx, "curl: no URL specified!");
		tn_cmd_err(ctx, "curl: try 'curl --help' or 'curl --manual' for more information");
		return 2;
	}
	for (unsigned int i = 0; i < nurl; i++) {
		int status = parse_url(ctx, cj, urls[i], &cj->urls[i]);
		if (status)
			return status;
		cj->urls[i].outfile = i < nout ? outs[i] : NULL;
	}
	cj->nurls = nurl;
	return 0;
}

int do_curl(struct tn_cmd_ctx *ctx, int argc, char **argv, FILE *out)
{
	struct curl_job *cj = calloc(1, sizeof(*cj));
	int status;

	if (!cj) {
		tn_cmd_err(ctx, "curl: (27) Out of memory");
		return 27;
	}
	cj->connect_ms = CURL_CONNECT_TIMEOUT_MS;
	cj->max_ms = -1;
	cj->out = out;
	cj->job.ctx = ctx;
	timer_setup(&cj->connect_timer, curl_connect_timeout);
	timer_setup(&cj->max_timer, curl_max_timeout);
	status = curl_parse(ctx, cj, argc, argv);
	if (status) {
		curl_release(&cj->job);
		return status;
	}
	cj->start_ns = tn_now(ctx->st);
	if (cj->max_ms >= 0)
		tn_mod_timer(ctx->st, &cj->max_timer, jiffies(ctx->st) + (u64)cj->max_ms);
	curl_start_url(cj);
	if (cj->job.done) {
		status = cj->job.status;
		curl_release(&cj->job);
		return status;
	}
	return tn_cmd_job_start(ctx, &cj->job, &curl_job_ops);
}
