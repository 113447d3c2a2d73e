/*
 * httpd: a small HTTP/1.1 file server as a scenario job, on kernel-side TCP
 * sockets of the namespace it starts in (sockjob.c), so that Linux's curl
 * (over a TAP) or tuxnet's own curl can fetch files from tuxnet.
 *
 *   httpd -p PORT -d DIR [-s ADDR] [-v]
 *
 * What it does (RFC 9110/9112, the parts a file server needs):
 *  - GET and HEAD of regular files under DIR (a directory serves its
 *    index.html); other methods 501. HEAD sends GET's headers, no body.
 *  - Every response has Content-Length; bodies stream from the file as the
 *    socket takes them, so a large file costs one buffer.
 *  - Keep-alive: HTTP/1.1 keeps the connection unless "Connection: close";
 *    HTTP/1.0 only with "Connection: keep-alive". Pipelined requests are
 *    answered in order.
 *  - Errors: 400 for a malformed request line, a bad version, a missing
 *    Host in HTTP/1.1 or a bad target; 404 for what is not a readable
 *    regular file (and for any ".." segment: nothing outside DIR is ever
 *    opened); 431 when the request head exceeds HTTPD_MAX_HEAD bytes. A
 *    404 keeps the connection; the other errors close it.
 *  - No Date header (a virtual clock has no date; RFC 9110 6.6.1 lets a
 *    server without a reliable clock omit it), no ranges, no
 *    conditionals, no request bodies (a request announcing one is answered
 *    and the connection closed).
 *  - -v logs one line per request to the output:
 *    `httpd: 10.0.0.1:40000 "GET /f HTTP/1.1" 200 1048576`.
 *
 * It is a server: the job never ends by itself (the end of a virtual-time
 * scenario stops it; a --realtime scenario with a TAP serves until
 * SIGINT/SIGTERM). Connections are limited to HTTPD_MAX_CONNS; more wait
 * in the listen backlog.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "net/skbuff.h"
#include "net/socket.h"
#include "net/stack.h"
#include "net/net_namespace.h"
#include "tools/cmd/cmd.h"

#define HTTPD_MAX_HEAD 8192      /* request line + headers */
#define HTTPD_MAX_CONNS 1024
#define HTTPD_BACKLOG 128
#define HTTPD_BUF 65536

struct httpd_conn {
	struct list_head list;        /* on httpd_job.conns */
	struct socket *sock;
	char peer[32];                /* "10.0.0.1:40000", for -v */
	char in[HTTPD_MAX_HEAD];      /* bytes received, not yet consumed */
	size_t inlen;
	bool peer_eof;
	/* The response being sent: head, then the file's bytes. */
	bool responding;
	char head[512];
	size_t headlen, headoff;
	int fd;                       /* file being sent, -1 if none */
	u64 fileoff, fileleft;
	bool close_after;             /* no keep-alive after this response */
};

struct httpd_job {
	struct tn_cmd_job job;
	struct socket *lsock;
	char *root;                   /* DIR, without a trailing slash */
	bool verbose;
	FILE *out;
	struct list_head conns;
	unsigned int nconns;
	u8 buf[HTTPD_BUF];            /* file data on its way to a socket */
};

/* A parsed request head. */
struct httpd_req {
	char method[16];
	char target[HTTPD_MAX_HEAD];
	int minor;                    /* HTTP/1.minor */
	bool has_host, conn_close, conn_keepalive, has_body;
};

/* ---- connections -------------------------------------------------------- */

static void conn_free(struct httpd_job *hj, struct httpd_conn *c)
{
	list_del(&c->list);
	if (c->fd >= 0)
		close(c->fd);
	sock_release(c->sock);
	free(c);
	hj->nconns--;
}

static void httpd_accept(struct httpd_job *hj)
{
	while (hj->nconns < HTTPD_MAX_CONNS) {
		int err;
		struct socket *ns = tn_sockjob_accept(hj->lsock, &err);
		struct httpd_conn *c;
		char addr[16];

		if (!ns)
			return;
		c = calloc(1, sizeof(*c));
		if (!c) {
			sock_release(ns);
			return;
		}
		c->sock = ns;
		c->fd = -1;
		u16 port = tn_sockjob_name(ns, true, addr);
		snprintf(c->peer, sizeof(c->peer), "%s:%u", addr, port);
		list_add_tail(&c->list, &hj->conns);
		hj->nconns++;
	}
}

/* ---- requests ----------------------------------------------------------- */

/* End of the head: the offset after the blank line, 0 if not there yet.
 * A bare LF ends lines too (RFC 9112 2.2 allows a recipient to accept it). */
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

/* "Connection: close, foo" style list membership, case-insensitive. */
static bool token_in(const char *v, const char *tok)
{
	size_t n = strlen(tok);

	for (const char *p = v; *p;) {
		p += strspn(p, " \t,");
		if (!strncasecmp(p, tok, n) && strchr(" \t,", p[n]))
			return true;
		p += strcspn(p, ",");
	}
	return false;
}

static void parse_header(struct httpd_req *rq, char *line)
{
	char *colon = strchr(line, ':');
	char *v;

	if (!colon)
		return;
	*colon = '\0';
	v = colon + 1 + strspn(colon + 1, " \t");
	if (!strcasecmp(line, "Host"))
		rq->has_host = true;
	else if (!strcasecmp(line, "Connection")) {
		rq->conn_close |= token_in(v, "close");
		rq->conn_keepalive |= token_in(v, "keep-alive");
	} else if (!strcasecmp(line, "Content-Length"))
		rq->has_body |= strtoul(v, NULL, 10) > 0;
	else if (!strcasecmp(line, "Transfer-Encoding"))
		rq->has_body = true;
}

/* The request line: METHOD SP TARGET SP HTTP/1.x. false: 400. */
static bool parse_request_line(struct httpd_req *rq, char *line)
{
	char *sp1 = strchr(line, ' '), *sp2, *ver;

	if (!sp1 || sp1 == line || (size_t)(sp1 - line) >= sizeof(rq->method))
		return false;
	sp2 = strchr(sp1 + 1, ' ');
	if (!sp2 || sp2 == sp1 + 1 || strchr(sp2 + 1, ' '))
		return false;
	memcpy(rq->method, line, (size_t)(sp1 - line));
	rq->method[sp1 - line] = '\0';
	memcpy(rq->target, sp1 + 1, (size_t)(sp2 - sp1 - 1));
	rq->target[sp2 - sp1 - 1] = '\0';
	ver = sp2 + 1;
	if (strncmp(ver, "HTTP/1.", 7) || (ver[7] != '0' && ver[7] != '1') || ver[8])
		return false;
	rq->minor = ver[7] - '0';
	for (const char *m = rq->method; *m; m++)
		if (*m < 'A' || *m > 'Z')
			return false;
	return true;
}

/* The request line is complete but malformed: answer 400 without waiting
 * for the rest of the head, as nginx does. */
static bool bad_first_line(const struct httpd_conn *c)
{
	const char *nl = memchr(c->in, '\n', c->inlen);
	struct httpd_req rq;
	char line[HTTPD_MAX_HEAD];
	size_t n;

	if (!nl)
		return false;
	n = (size_t)(nl - c->in);
	memcpy(line, c->in, n);
	line[n] = '\0';
	line[strcspn(line, "\r")] = '\0';
	return !parse_request_line(&rq, line);
}

/* Split the head (NUL-terminated, in place) into the request. */
static bool parse_head(struct httpd_req *rq, char *head)
{
	char *save = NULL;
	char *line = strtok_r(head, "\n", &save);

	memset(rq, 0, sizeof(*rq));
	if (!line)
		return false;
	line[strcspn(line, "\r")] = '\0';
	if (!parse_request_line(rq, line))
		return false;
	while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
		line[strcspn(line, "\r")] = '\0';
		parse_header(rq, line);
	}
	return rq->minor == 0 || rq->has_host;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)(c | 0x20);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Percent-decode the path of target into out (query dropped). false: 400. */
static bool decode_path(const char *target, char *out, size_t len)
{
	size_t n = 0;

	if (target[0] != '/')
		return false;
	for (const char *p = target; *p && *p != '?' && *p != '#'; p++) {
		int c = (unsigned char)*p;
		if (c == '%') {
			int hi = hexval(p[1]), lo = hi < 0 ? -1 : hexval(p[2]);
			if (lo < 0)
				return false;
			c = hi * 16 + lo;
			p += 2;
		}
		if (c == 0 || n + 1 >= len)
			return false;
		out[n++] = (char)c;
	}
	out[n] = '\0';
	return true;
}

/* A ".." segment could leave DIR: such paths are simply not found. */
static bool has_dotdot(const char *path)
{
	for (const char *p = path; (p = strstr(p, "..")) != NULL; p += 2)
		if (p[-1] == '/' && (p[2] == '/' || p[2] == '\0'))
			return true;
	return false;
}

static const char *content_type(const char *path)
{
	static const char *const types[][2] = {
		{ ".html", "text/html" }, { ".htm", "text/html" }, { ".txt", "text/plain" },
		{ ".css", "text/css" }, { ".js", "text/javascript" },
		{ ".json", "application/json" }, { ".png", "image/png" },
		{ ".jpg", "image/jpeg" }, { ".gif", "image/gif" }, { ".svg", "image/svg+xml" },
	};
	const char *dot = strrchr(path, '.');

	for (unsigned int i = 0; dot && i < ARRAY_SIZE(types); i++)
		if (!strcasecmp(dot, types[i][0]))
			return types[i][1];
	return "application/octet-stream";
}

/* Open DIR/path (index.html for a directory): fd and size, or -1. */
static int open_file(struct httpd_job *hj, const char *path, u64 *size, char *name, size_t len)
{
	struct stat sb;
	int fd;

	snprintf(name, len, "%s%s", hj->root, path);
	if (stat(name, &sb) == 0 && S_ISDIR(sb.st_mode))
		snprintf(name, len, "%s%s%sindex.html", hj->root, path,
			 path[strlen(path) - 1] == '/' ? "" : "/");
	fd = open(name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return -1;
	}
	*size = (u64)sb.st_size;
	return fd;
}

static const char *reason(int code)
{
	switch (code) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 404: return "Not Found";
	case 431: return "Request Header Fields Too Large";
	case 501: return "Not Implemented";
	default: return "Error";
	}
}

/* Start a response: head, then body_len bytes of fd (or of the reason
 * text for an error, sent from the head buffer). */
static void respond(struct httpd_job *hj, struct httpd_conn *c, int code, const char *type,
		    u64 body_len, bool head_only, const struct httpd_req *rq)
{
	char body[64] = "";
	int n;

	if (code != 200) {
		snprintf(body, sizeof(body), "%d %s\n", code, reason(code));
		type = "text/plain";
		body_len = strlen(body);
		/* A 404 is an answer like any other; the rest mean the peer
		 * does not speak our HTTP, and we stop listening to it. */
		if (code != 404)
			c->close_after = true;
	}
	n = snprintf(c->head, sizeof(c->head),
		     "HTTP/1.1 %d %s\r\nServer: tuxnet-httpd\r\nContent-Type: %s\r\n"
		     "Content-Length: %llu\r\n%s\r\n%s",
		     code, reason(code), type, (unsigned long long)body_len,
		     c->close_after ? "Connection: close\r\n" :
		     (rq && rq->minor == 0 ? "Connection: keep-alive\r\n" : ""),
		     head_only ? "" : body);
	c->headlen = (size_t)n;
	c->headoff = 0;
	c->fileleft = head_only || code != 200 ? 0 : body_len;
	c->fileoff = 0;
	c->responding = true;
	if (hj->verbose)
		fprintf(hj->out, "httpd: %s \"%s %s HTTP/1.%d\" %d %llu\n", c->peer,
			rq ? rq->method : "-", rq ? rq->target : "-", rq ? rq->minor : 1, code,
			(unsigned long long)(head_only ? 0 : body_len));
}

/* Answer a parsed request. */
static void serve(struct httpd_job *hj, struct httpd_conn *c, struct httpd_req *rq)
{
	char path[HTTPD_MAX_HEAD], name[2 * HTTPD_MAX_HEAD];
	bool head = !strcmp(rq->method, "HEAD");
	u64 size = 0;

	c->close_after = rq->conn_close || (rq->minor == 0 && !rq->conn_keepalive) || rq->has_body;
	if (strcmp(rq->method, "GET") && !head) {
		respond(hj, c, 501, NULL, 0, head, rq);
		return;
	}
	if (!decode_path(rq->target, path, sizeof(path))) {
		respond(hj, c, 400, NULL, 0, head, rq);
		return;
	}
	if (has_dotdot(path) || (c->fd = open_file(hj, path, &size, name, sizeof(name))) < 0) {
		respond(hj, c, 404, NULL, 0, head, rq);
		return;
	}
	respond(hj, c, 200, content_type(name), size, head, rq);
}

/* A complete head at the front of c->in: answer it and consume it. */
static void take_request(struct httpd_job *hj, struct httpd_conn *c, size_t end)
{
	struct httpd_req rq;
	char head[HTTPD_MAX_HEAD + 1];

	memcpy(head, c->in, end);
	head[end] = '\0';
	memmove(c->in, c->in + end, c->inlen - end);
	c->inlen -= end;
	if (!parse_head(&rq, head))
		respond(hj, c, 400, NULL, 0, false, NULL);
	else
		serve(hj, c, &rq);
}

/* ---- the connection state machine -------------------------------------- */

/* Send what the socket takes. true: the response is complete. */
static bool send_response(struct httpd_job *hj, struct httpd_conn *c, bool *dead)
{
	while (c->headoff < c->headlen) {
		ssize_t w = tn_sockjob_send(c->sock, c->head + c->headoff, c->headlen - c->headoff);
		if (w == -EAGAIN)
			return false;
		if (w < 0)
			return *dead = true, false;
		c->headoff += (size_t)w;
	}
	while (c->fileleft) {
		size_t want = (size_t)TN_MIN(c->fileleft, (u64)sizeof(hj->buf));
		ssize_t r = pread(c->fd, hj->buf, want, (off_t)c->fileoff);
		if (r <= 0)
			return *dead = true, false;   /* the file shrank: nothing to do but close */
		ssize_t w = tn_sockjob_send(c->sock, hj->buf, (size_t)r);
		if (w == -EAGAIN)
			return false;
		if (w < 0)
			return *dead = true, false;
		c->fileoff += (u64)w;
		c->fileleft -= (u64)w;
	}
	return true;
}

static void finish_response(struct httpd_conn *c)
{
	c->responding = false;
	if (c->fd >= 0) {
		close(c->fd);
		c->fd = -1;
	}
}

/* Receive into c->in. false: the connection is over (error). */
static bool receive(struct httpd_conn *c)
{
	while (c->inlen < sizeof(c->in) && !c->peer_eof) {
		ssize_t n = tn_sockjob_recv(c->sock, c->in + c->inlen, sizeof(c->in) - c->inlen);
		if (n == -EAGAIN)
			return true;
		if (n < 0)
			return false;
		if (n == 0)
			c->peer_eof = true;
		c->inlen += (size_t)n;
	}
	return true;
}

/* Run one connection as far as it goes. false: free it. */
static bool conn_progress(struct httpd_job *hj, struct httpd_conn *c)
{
	for (;;) {
		bool dead = false;
		size_t end;

		if (c->responding) {
			if (!send_response(hj, c, &dead))
				return !dead;
			finish_response(c);
			if (c->close_after)
				return false;
		}
		if (!receive(c))
			return false;
		end = head_end(c->in, c->inlen);
		if (end) {
			take_request(hj, c, end);
			continue;
		}
		if (bad_first_line(c)) {
			c->inlen = 0;
			respond(hj, c, 400, NULL, 0, false, NULL);
			continue;
		}
		if (c->inlen == sizeof(c->in)) {
			c->inlen = 0;
			respond(hj, c, 431, NULL, 0, false, NULL);
			continue;
		}
		/* The peer closed: an unfinished request gets no answer. */
		return !c->peer_eof;
	}
}

/* ---- the job ------------------------------------------------------------ */

static void httpd_poll(struct tn_cmd_job *job)
{
	struct httpd_job *hj = container_of(job, struct httpd_job, job);
	struct httpd_conn *c, *tmp;

	if (job->done)
		return;
	httpd_accept(hj);
	list_for_each_entry_safe(c, tmp, &hj->conns, list)
		if (!conn_progress(hj, c))
			conn_free(hj, c);
	fflush(hj->out);
}

static void httpd_stop(struct tn_cmd_job *job)
{
	struct httpd_job *hj = container_of(job, struct httpd_job, job);
	struct httpd_conn *c, *tmp;

	list_for_each_entry_safe(c, tmp, &hj->conns, list)
		conn_free(hj, c);
	fflush(hj->out);
	tn_cmd_job_done(job, 0);
}

static void httpd_release(struct tn_cmd_job *job)
{
	struct httpd_job *hj = container_of(job, struct httpd_job, job);
	struct httpd_conn *c, *tmp;

	list_for_each_entry_safe(c, tmp, &hj->conns, list)
		conn_free(hj, c);
	if (hj->lsock)
		sock_release(hj->lsock);
	free(hj->root);
	free(hj);
}

static const struct tn_cmd_job_ops httpd_job_ops = {
	.name = "httpd",
	.stop = httpd_stop,
	.poll = httpd_poll,
	.release = httpd_release,
};

/* ---- options and set-up ------------------------------------------------- */

static int httpd_usage(struct tn_cmd_ctx *ctx, const char *why)
{
	if (why)
		tn_cmd_err(ctx, "httpd: %s", why);
	tn_cmd_err(ctx, "Usage: httpd -p PORT -d DIR [-s ADDR] [-v]");
	return 1;
}

static int httpd_parse(struct tn_cmd_ctx *ctx, struct httpd_job *hj, int argc, char **argv,
		       unsigned long *port, u32 *addr)
{
	const char *dir = NULL;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-v")) {
			hj->verbose = true;
			continue;
		}
		if (i + 1 >= argc || a[0] != '-' || !strchr("pds", a[1]) || a[2])
			return httpd_usage(ctx, a[0] == '-' ? "invalid option" : "unexpected argument");
		const char *v = argv[++i];
		if (a[1] == 'p' && (!tn_parse_uint(v, 65535, port) || !*port))
			return httpd_usage(ctx, "invalid port");
		if (a[1] == 's' && !tn_cmd_parse_ipv4(v, addr))
			return httpd_usage(ctx, "invalid address");
		if (a[1] == 'd')
			dir = v;
	}
	if (!*port || !dir)
		return httpd_usage(ctx, NULL);
	struct stat sb;
	if (stat(dir, &sb) < 0 || !S_ISDIR(sb.st_mode)) {
		tn_cmd_err(ctx, "httpd: %s: %s", dir, stat(dir, &sb) < 0 ? tn_errstr(errno) :
			   "Not a directory");
		return 1;
	}
	hj->root = strdup(dir);
	if (!hj->root)
		return httpd_usage(ctx, tn_errstr(ENOMEM));
	for (size_t n = strlen(hj->root); n > 1 && hj->root[n - 1] == '/';)
		hj->root[--n] = '\0';
	return 0;
}

int do_httpd(struct tn_cmd_ctx *ctx, int argc, char **argv, FILE *out)
{
	struct httpd_job *hj = calloc(1, sizeof(*hj));
	unsigned long port = 0;
	u32 addr = 0;
	int status, err;

	if (!hj) {
		tn_cmd_err(ctx, "httpd: %s", tn_errstr(ENOMEM));
		return 1;
	}
	INIT_LIST_HEAD(&hj->conns);
	hj->out = out;
	hj->job.ctx = ctx;
	status = httpd_parse(ctx, hj, argc, argv, &port, &addr);
	if (!status) {
		err = tn_sockjob_open(ctx->net, &hj->lsock);
		if (!err)
			err = tn_sockjob_listen(hj->lsock, addr, (u16)port, HTTPD_BACKLOG);
		if (err) {
			tn_cmd_err(ctx, "httpd: bind: %s", tn_errstr(-err));
			status = 1;
		}
	}
	if (status) {
		httpd_release(&hj->job);
		return status;
	}
	hj->job.endless = true;
	return tn_cmd_job_start(ctx, &hj->job, &httpd_job_ops);
}
