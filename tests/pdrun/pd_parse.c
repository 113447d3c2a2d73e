/*
 * The script parser: a packetdrill script becomes a list of events.
 *
 * A script is cut into statements first (a newline ends one unless a
 * bracket, a `shell` command or a %{ code }% block is still open; // and
 * C comments go), then each statement is parsed by hand: a time, then a
 * packet (`<` or `>`), a system call, or a shell command. Symbols
 * (SOCK_STREAM, TCP_NODELAY, EAGAIN, ...) take the host's values, which
 * are Linux's, as packetdrill's symbols_linux.c does.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/sockios.h>

#include "pdrun.h"

/* ---- symbols ---------------------------------------------------------- */

struct pd_sym {
	const char *name;
	long long value;
};

#define S(x) { #x, x }
static const struct pd_sym pd_syms[] = {
	S(AF_INET), S(AF_INET6), S(AF_UNSPEC), S(PF_INET), S(PF_INET6),
	S(SOCK_STREAM), S(SOCK_DGRAM), S(SOCK_RAW), S(SOCK_NONBLOCK), S(SOCK_CLOEXEC),
	S(IPPROTO_TCP), S(IPPROTO_UDP), S(IPPROTO_IP), S(IPPROTO_ICMP),
	S(SOL_SOCKET), { "SOL_TCP", IPPROTO_TCP }, { "SOL_IP", IPPROTO_IP },
	{ "SOL_UDP", IPPROTO_UDP },
	S(SO_REUSEADDR), S(SO_REUSEPORT), S(SO_KEEPALIVE), S(SO_LINGER), S(SO_ERROR),
	S(SO_RCVBUF), S(SO_SNDBUF), S(SO_RCVLOWAT), S(SO_SNDLOWAT), S(SO_RCVTIMEO),
	S(SO_SNDTIMEO), S(SO_TYPE), S(SO_DEBUG), S(SO_BROADCAST), S(SO_OOBINLINE),
	S(SO_PRIORITY), S(SO_ACCEPTCONN), S(SO_DOMAIN), S(SO_PROTOCOL),
	S(SO_SNDBUFFORCE), S(SO_RCVBUFFORCE), S(SO_MARK), S(SO_ZEROCOPY),
	S(SO_MAX_PACING_RATE), S(SO_TIMESTAMP), S(SO_BINDTODEVICE),
	S(TCP_NODELAY), S(TCP_MAXSEG), S(TCP_CORK), S(TCP_KEEPIDLE), S(TCP_KEEPINTVL),
	S(TCP_KEEPCNT), S(TCP_SYNCNT), S(TCP_LINGER2), S(TCP_DEFER_ACCEPT),
	S(TCP_WINDOW_CLAMP), S(TCP_INFO), S(TCP_QUICKACK), S(TCP_CONGESTION),
	S(TCP_USER_TIMEOUT), S(TCP_NOTSENT_LOWAT), S(TCP_FASTOPEN), S(TCP_REPAIR),
	S(TCP_THIN_LINEAR_TIMEOUTS), S(TCP_SAVE_SYN), S(TCP_SAVED_SYN),
	S(TCP_FASTOPEN_CONNECT), S(TCP_ULP), S(TCP_ZEROCOPY_RECEIVE), S(TCP_INQ),
	S(TCP_TX_DELAY), S(TCP_MD5SIG),
	S(IP_TOS), S(IP_TTL), S(IP_MTU_DISCOVER), S(IP_RECVERR), S(IP_MTU),
	S(IP_PMTUDISC_DO), S(IP_PMTUDISC_DONT), S(IP_PMTUDISC_WANT), S(IP_PMTUDISC_PROBE),
	S(IP_FREEBIND), S(IP_TRANSPARENT), S(IP_BIND_ADDRESS_NO_PORT),
	S(F_GETFL), S(F_SETFL), S(F_GETFD), S(F_SETFD), S(F_GETOWN), S(F_SETOWN),
	S(O_RDONLY), S(O_WRONLY), S(O_RDWR), S(O_NONBLOCK), S(FD_CLOEXEC),
	S(FIONREAD), S(FIONBIO), S(SIOCINQ), S(SIOCOUTQ), S(SIOCOUTQNSD),
	S(SHUT_RD), S(SHUT_WR), S(SHUT_RDWR),
	S(MSG_OOB), S(MSG_PEEK), S(MSG_DONTWAIT), S(MSG_WAITALL), S(MSG_MORE),
	S(MSG_NOSIGNAL), S(MSG_TRUNC), S(MSG_EOR), S(MSG_ERRQUEUE), S(MSG_ZEROCOPY),
	S(MSG_FASTOPEN), S(MSG_CONFIRM),
	S(POLLIN), S(POLLOUT), S(POLLERR), S(POLLHUP), S(POLLNVAL), S(POLLPRI),
	S(POLLRDNORM), S(POLLRDBAND), S(POLLWRNORM), S(POLLWRBAND), S(POLLRDHUP),
	S(EPOLLIN), S(EPOLLOUT), S(EPOLLERR), S(EPOLLHUP), S(EPOLLPRI), S(EPOLLRDHUP),
	S(EPOLLET), S(EPOLLONESHOT), S(EPOLLEXCLUSIVE), S(EPOLLRDNORM), S(EPOLLWRNORM),
	S(EPOLL_CTL_ADD), S(EPOLL_CTL_MOD), S(EPOLL_CTL_DEL),
	S(INADDR_ANY), S(TCP_CA_Open),
	{ "TCP_ESTABLISHED", 1 }, { "TCP_SYN_SENT", 2 }, { "TCP_SYN_RECV", 3 },
	{ "TCP_FIN_WAIT1", 4 }, { "TCP_FIN_WAIT2", 5 }, { "TCP_TIME_WAIT", 6 },
	{ "TCP_CLOSE", 7 }, { "TCP_CLOSE_WAIT", 8 }, { "TCP_LAST_ACK", 9 },
	{ "TCP_LISTEN", 10 }, { "TCP_CLOSING", 11 },
	{ "NULL", 0 },
};
#undef S

#define E(x) { #x, x }
static const struct pd_sym pd_errnos[] = {
	E(EPERM), E(ENOENT), E(EINTR), E(EIO), E(EBADF), E(EAGAIN), E(ENOMEM),
	E(EACCES), E(EFAULT), E(EBUSY), E(EEXIST), E(EINVAL), E(ENFILE), E(EMFILE),
	E(ENOSPC), E(EPIPE), E(ENOSYS), E(ENOTSOCK), E(EDESTADDRREQ), E(EMSGSIZE),
	E(EPROTOTYPE), E(ENOPROTOOPT), E(EPROTONOSUPPORT), E(ESOCKTNOSUPPORT),
	E(EOPNOTSUPP), E(EPFNOSUPPORT), E(EAFNOSUPPORT), E(EADDRINUSE),
	E(EADDRNOTAVAIL), E(ENETDOWN), E(ENETUNREACH), E(ENETRESET), E(ECONNABORTED),
	E(ECONNRESET), E(ENOBUFS), E(EISCONN), E(ENOTCONN), E(ESHUTDOWN),
	E(ETIMEDOUT), E(ECONNREFUSED), E(EHOSTDOWN), E(EHOSTUNREACH), E(EALREADY),
	E(EINPROGRESS), E(ENODEV), E(ENOTSUP), E(EWOULDBLOCK), E(ERANGE), E(ENOTTY),
	E(EPROTO), E(ENODATA),
};
#undef E

static bool sym_lookup(const struct pd_sym *t, size_t n, const char *name, long long *v)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(t[i].name, name)) {
			*v = t[i].value;
			return true;
		}
	return false;
}

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

const char *pd_errno_name(int e)
{
	for (size_t i = 0; i < ARRAY_LEN(pd_errnos); i++)
		if (pd_errnos[i].value == e)
			return pd_errnos[i].name;
	return "E?";
}

/* ---- a cursor over one statement -------------------------------------- */

struct cur {
	const char *p;
	char *err;
	int line;
};

static int fail(struct cur *c, const char *fmt, ...)
{
	va_list ap;

	if (c->err)
		return -1;
	va_start(ap, fmt);
	if (vasprintf(&c->err, fmt, ap) < 0)
		c->err = NULL;
	va_end(ap);
	return -1;
}

static void ws(struct cur *c)
{
	while (isspace((unsigned char)*c->p))
		c->p++;
}

static bool eat(struct cur *c, const char *tok)
{
	size_t n = strlen(tok);

	ws(c);
	if (strncmp(c->p, tok, n))
		return false;
	c->p += n;
	return true;
}

static int want(struct cur *c, const char *tok)
{
	if (eat(c, tok))
		return 0;
	return fail(c, "expected '%s' at '%.20s'", tok, c->p);
}

static bool is_ident_start(char ch)
{
	return isalpha((unsigned char)ch) || ch == '_';
}

/* An identifier into buf; false if there is none. */
static bool ident(struct cur *c, char *buf, size_t len)
{
	size_t n = 0;

	ws(c);
	if (!is_ident_start(*c->p))
		return false;
	while ((isalnum((unsigned char)*c->p) || *c->p == '_') && n + 1 < len)
		buf[n++] = *c->p++;
	buf[n] = '\0';
	return true;
}

/* An unsigned integer, decimal or 0x hex. */
static int number(struct cur *c, unsigned long long *v)
{
	char *end;

	ws(c);
	if (!isdigit((unsigned char)*c->p))
		return fail(c, "expected a number at '%.20s'", c->p);
	errno = 0;
	*v = strtoull(c->p, &end, 0);
	if (errno)
		return fail(c, "bad number at '%.20s'", c->p);
	c->p = end;
	return 0;
}

/* Seconds with an optional fraction ("0", ".1", "1.250") as usecs. */
static int seconds(struct cur *c, s64 *usecs)
{
	char *end;
	double d;

	ws(c);
	if (!isdigit((unsigned char)*c->p) && *c->p != '.')
		return fail(c, "expected a time at '%.20s'", c->p);
	/* digits[.digits], never eating the dot of a "..." that follows */
	end = (char *)c->p;
	while (isdigit((unsigned char)*end))
		end++;
	if (end[0] == '.' && end[1] != '.') {
		end++;
		while (isdigit((unsigned char)*end))
			end++;
	}
	if (end == c->p)
		return fail(c, "bad time at '%.20s'", c->p);
	{
		char tmp[32];
		size_t n = (size_t)(end - c->p);

		if (n >= sizeof(tmp))
			return fail(c, "bad time at '%.20s'", c->p);
		memcpy(tmp, c->p, n);
		tmp[n] = '\0';
		d = strtod(tmp, NULL);
	}
	c->p = end;
	*usecs = (s64)(d * 1e6 + (d >= 0 ? 0.5 : -0.5));
	return 0;
}

/* ---- expressions ------------------------------------------------------ */

static struct pd_expr *expr_new(enum pd_expr_kind k)
{
	struct pd_expr *e = calloc(1, sizeof(*e));

	if (!e)
		abort();
	e->kind = k;
	return e;
}

static void expr_push(struct pd_expr *list, struct pd_expr *item)
{
	list->items = realloc(list->items, sizeof(*list->items) * (size_t)(list->n + 1));
	if (!list->items)
		abort();
	list->items[list->n++] = item;
}

static void expr_free(struct pd_expr *e)
{
	if (!e)
		return;
	for (int i = 0; i < e->n; i++)
		expr_free(e->items[i]);
	free(e->items);
	free(e->name);
	free(e->str);
	free(e);
}

static struct pd_expr *expr(struct cur *c);

/* A bracketed list of expressions up to close. */
static struct pd_expr *expr_list(struct cur *c, enum pd_expr_kind k, const char *close)
{
	struct pd_expr *l = expr_new(k);

	if (eat(c, close))
		return l;
	do {
		struct pd_expr *item = expr(c);

		if (!item) {
			expr_free(l);
			return NULL;
		}
		expr_push(l, item);
	} while (eat(c, ","));
	if (want(c, close) < 0) {
		expr_free(l);
		return NULL;
	}
	return l;
}

static int string_lit(struct cur *c, char **out)
{
	const char *start = ++c->p;

	while (*c->p && *c->p != '"')
		c->p++;
	if (*c->p != '"')
		return fail(c, "unterminated string");
	*out = strndup(start, (size_t)(c->p - start));
	c->p++;
	return 0;
}

/* htons(N), ntohl(N), inet_addr("a.b.c.d"): evaluated here. */
static struct pd_expr *call_expr(struct cur *c, const char *fn)
{
	struct pd_expr *arg, *e;
	long long v;

	arg = expr(c);
	if (!arg || want(c, ")") < 0) {
		expr_free(arg);
		return NULL;
	}
	if (!strcmp(fn, "inet_addr") && arg->kind == PD_E_STRING) {
		struct in_addr a;

		if (inet_pton(AF_INET, arg->str, &a) != 1) {
			fail(c, "bad address \"%s\"", arg->str);
			expr_free(arg);
			return NULL;
		}
		v = a.s_addr;
	} else if (arg->kind == PD_E_INT && (!strcmp(fn, "htons") || !strcmp(fn, "ntohs"))) {
		v = htons((uint16_t)arg->num);
	} else if (arg->kind == PD_E_INT && (!strcmp(fn, "htonl") || !strcmp(fn, "ntohl"))) {
		v = htonl((uint32_t)arg->num);
	} else {
		fail(c, "unsupported expression %s(...)", fn);
		expr_free(arg);
		return NULL;
	}
	expr_free(arg);
	e = expr_new(PD_E_INT);
	e->num = v;
	return e;
}

static struct pd_expr *term(struct cur *c)
{
	char name[64];
	struct pd_expr *e;
	long long v;

	ws(c);
	if (eat(c, "..."))
		return expr_new(PD_E_ELLIPSIS);
	if (eat(c, "["))
		return expr_list(c, PD_E_LIST, "]");
	if (eat(c, "{"))
		return expr_list(c, PD_E_STRUCT, "}");
	if (*c->p == '"') {
		e = expr_new(PD_E_STRING);
		if (string_lit(c, &e->str) < 0) {
			expr_free(e);
			return NULL;
		}
		return e;
	}
	if (*c->p == '-' || isdigit((unsigned char)*c->p)) {
		bool neg = *c->p == '-';
		unsigned long long u;

		if (neg)
			c->p++;
		if (number(c, &u) < 0)
			return NULL;
		e = expr_new(PD_E_INT);
		e->num = neg ? -(long long)u : (long long)u;
		return e;
	}
	if (!ident(c, name, sizeof(name))) {
		fail(c, "unexpected '%.20s'", c->p);
		return NULL;
	}
	if (eat(c, "("))
		return call_expr(c, name);
	if (eat(c, "=")) {
		/* name=value inside a struct */
		e = expr(c);
		if (e)
			e->name = strdup(name);
		return e;
	}
	if (!sym_lookup(pd_syms, ARRAY_LEN(pd_syms), name, &v)) {
		fail(c, "unknown symbol %s", name);
		return NULL;
	}
	e = expr_new(PD_E_INT);
	e->num = v;
	return e;
}

/* term ('|' term)*: flags are or-ed at parse time. */
static struct pd_expr *expr(struct cur *c)
{
	struct pd_expr *e = term(c);

	while (e && e->kind == PD_E_INT && eat(c, "|")) {
		struct pd_expr *r = term(c);

		if (!r || r->kind != PD_E_INT) {
			expr_free(r);
			expr_free(e);
			fail(c, "bad operand of |");
			return NULL;
		}
		e->num |= r->num;
		expr_free(r);
	}
	return e;
}

/* ---- system calls ------------------------------------------------------ */

/* name(args) = ret [ERRNO (text)] | (text) */
static int syscall_stmt(struct cur *c, struct pd_event *ev, const char *name)
{
	struct pd_expr *args;
	unsigned long long u;
	char ename[32];
	bool neg;

	ev->type = PD_EV_SYSCALL;
	ev->name = strdup(name);
	args = expr_list(c, PD_E_LIST, ")");
	if (!args)
		return -1;
	ev->args = args->items;
	ev->nargs = args->n;
	args->items = NULL;
	args->n = 0;
	expr_free(args);
	if (want(c, "=") < 0)
		return -1;
	ws(c);
	neg = *c->p == '-';
	if (neg)
		c->p++;
	if (number(c, &u) < 0)
		return -1;
	ev->ret = neg ? -(long long)u : (long long)u;
	if (ident(c, ename, sizeof(ename))) {
		long long v;

		if (!sym_lookup(pd_errnos, ARRAY_LEN(pd_errnos), ename, &v))
			return fail(c, "unknown errno %s", ename);
		ev->err = (int)v;
	}
	ws(c);
	if (*c->p == '(') {        /* a comment on the result */
		const char *close = strrchr(c->p, ')');

		c->p = close ? close + 1 : c->p + strlen(c->p);
	}
	return 0;
}

/* ---- packets ----------------------------------------------------------- */

static void opt_put(struct pd_packet *p, const uint8_t *b, int n, struct cur *c)
{
	if (p->optlen + n > 40) {
		fail(c, "TCP options longer than 40 bytes");
		return;
	}
	memcpy(p->opts + p->optlen, b, (size_t)n);
	p->optlen += n;
}

static void put32(uint8_t *b, uint32_t v)
{
	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
}

/* One option of <...>. */
static int tcp_option(struct cur *c, struct pd_packet *p)
{
	char name[32];
	unsigned long long a, b;
	uint8_t o[40];

	if (!ident(c, name, sizeof(name)))
		return fail(c, "bad TCP option at '%.20s'", c->p);
	if (!strcmp(name, "nop")) {
		o[0] = 1;
		opt_put(p, o, 1, c);
	} else if (!strcmp(name, "eol")) {
		o[0] = 0;
		opt_put(p, o, 1, c);
	} else if (!strcmp(name, "mss")) {
		if (number(c, &a) < 0)
			return -1;
		o[0] = 2, o[1] = 4, o[2] = (uint8_t)(a >> 8), o[3] = (uint8_t)a;
		opt_put(p, o, 4, c);
	} else if (!strcmp(name, "sackOK")) {
		o[0] = 4, o[1] = 2;
		opt_put(p, o, 2, c);
	} else if (!strcmp(name, "wscale")) {
		if (number(c, &a) < 0)
			return -1;
		o[0] = 3, o[1] = 3, o[2] = (uint8_t)a;
		opt_put(p, o, 3, c);
	} else if (!strcmp(name, "TS")) {
		if (want(c, "val") < 0 || number(c, &a) < 0 || want(c, "ecr") < 0 ||
		    number(c, &b) < 0)
			return -1;
		o[0] = 8, o[1] = 10;
		put32(o + 2, (uint32_t)a);
		put32(o + 6, (uint32_t)b);
		opt_put(p, o, 10, c);
	} else if (!strcmp(name, "sack")) {
		int n = 0;

		o[0] = 5;
		ws(c);
		while (isdigit((unsigned char)*c->p) && n < 4) {
			if (number(c, &a) < 0 || want(c, ":") < 0 || number(c, &b) < 0)
				return -1;
			put32(o + 2 + 8 * n, (uint32_t)a);
			put32(o + 6 + 8 * n, (uint32_t)b);
			n++;
			ws(c);
		}
		o[1] = (uint8_t)(2 + 8 * n);
		opt_put(p, o, o[1], c);
	} else {
		/* FO (Fast Open), md5, exp, mptcp, ...: not here. */
		return fail(c, "unsupported TCP option '%s'", name);
	}
	return c->err ? -1 : 0;
}

static int tcp_options(struct cur *c, struct pd_packet *p)
{
	p->opts_given = true;
	if (eat(c, "...")) {
		p->opts_nocheck = true;
		return want(c, ">");
	}
	if (eat(c, ">"))
		return 0;
	do {
		if (tcp_option(c, p) < 0)
			return -1;
	} while (eat(c, ","));
	if (want(c, ">") < 0)
		return -1;
	if (p->optlen % 4)
		return fail(c, "TCP options are %d bytes, not a multiple of 4", p->optlen);
	return 0;
}

/* [ect0] [ect1] [ce] [noecn] [ect01] before the flags. */
static int ecn_mark(struct cur *c, struct pd_packet *p)
{
	char name[16];

	if (!ident(c, name, sizeof(name)) || want(c, "]") < 0)
		return fail(c, "bad [ecn] mark");
	if (!strcmp(name, "noecn"))
		p->ecn = 0;
	else if (!strcmp(name, "ect1"))
		p->ecn = 1;
	else if (!strcmp(name, "ect0"))
		p->ecn = 2;
	else if (!strcmp(name, "ce"))
		p->ecn = 3;
	else if (!strcmp(name, "ect01"))
		p->ecn = 4;
	else
		return fail(c, "unsupported IP mark [%s]", name);
	return 0;
}

/* < FLAGS seq:end(len) [ack N] [win N] [<options>] */
static int packet_stmt(struct cur *c, struct pd_event *ev, bool outbound)
{
	struct pd_packet *p = &ev->pkt;
	unsigned long long a, b, len;
	size_t n = 0;
	char word[16];

	ev->type = PD_EV_PACKET;
	p->outbound = outbound;
	p->win = -1;
	p->ecn = -1;
	if (eat(c, "["))
		if (ecn_mark(c, p) < 0)
			return -1;
	ws(c);
	if (!strncmp(c->p, "udp", 3) || !strncmp(c->p, "icmp", 4) || !strncmp(c->p, "GRE", 3) ||
	    !strncmp(c->p, "MPLS", 4) || !strncmp(c->p, "psp", 3))
		return fail(c, "unsupported packet kind '%.8s' (only TCP)", c->p);
	while (*c->p && !isspace((unsigned char)*c->p) && n + 1 < sizeof(p->flags))
		p->flags[n++] = *c->p++;
	p->flags[n] = '\0';
	for (size_t i = 0; i < n; i++)
		if (!strchr(".FSRPEWAU", p->flags[i]))
			return fail(c, "unsupported TCP flag '%c'", p->flags[i]);
	if (number(c, &a) < 0 || want(c, ":") < 0 || number(c, &b) < 0 || want(c, "(") < 0 ||
	    number(c, &len) < 0 || want(c, ")") < 0)
		return -1;
	if ((uint32_t)(b - a) != len)
		return fail(c, "sequence range %llu:%llu does not match length %llu", a, b, len);
	p->seq = (uint32_t)a;
	p->len = (uint16_t)len;
	for (;;) {
		ws(c);
		if (*c->p == '<') {
			c->p++;
			if (tcp_options(c, p) < 0)
				return -1;
			continue;
		}
		if (!ident(c, word, sizeof(word)))
			break;
		if (!strcmp(word, "ack")) {
			if (number(c, &a) < 0)
				return -1;
			p->ack = (uint32_t)a;
		} else if (!strcmp(word, "win")) {
			if (number(c, &a) < 0)
				return -1;
			p->win = (int)(a & 0xffff);
		} else {
			return fail(c, "unsupported packet field '%s'", word);
		}
	}
	if (!outbound && p->win < 0)
		return fail(c, "window must be specified for inbound packets");
	if (!p->opts_given)
		p->opts_nocheck = outbound;
	return 0;
}

/* ---- times and statements ---------------------------------------------- */

/* [+]T, [+]T~[+]T, *, and [+]T...T for blocking calls. */
static int event_time(struct cur *c, struct pd_event *ev)
{
	bool rel;

	ws(c);
	if (*c->p == '*') {
		c->p++;
		ev->ttype = PD_TIME_ANY;
		return 0;
	}
	rel = *c->p == '+';
	if (rel)
		c->p++;
	if (seconds(c, &ev->t) < 0)
		return -1;
	ev->ttype = rel ? PD_TIME_REL : PD_TIME_ABS;
	if (eat(c, "~")) {
		eat(c, "+");
		if (seconds(c, &ev->t_end) < 0)
			return -1;
		ev->ttype = rel ? PD_TIME_REL_RANGE : PD_TIME_ABS_RANGE;
	} else if (eat(c, "...")) {
		if (seconds(c, &ev->end) < 0)
			return -1;
		ev->blocking = true;
	}
	return 0;
}

static void unsupported(struct pd_script *s, int line, const char *why)
{
	if (s->unsupported)
		return;
	s->unsupported = strdup(why);
	s->unsupported_line = line;
}

/* --name=value at the head of a script. */
static void option_stmt(struct pd_script *s, const char *text, int line)
{
	const char *v = strchr(text, '=');

	if (!strncmp(text, "--tolerance_usecs=", 18))
		s->tolerance_usecs = strtol(v + 1, NULL, 10);
	else if (!strncmp(text, "--mtu=", 6))
		s->mtu = (int)strtol(v + 1, NULL, 10);
	else if (!strncmp(text, "--ip_version=", 13) && strncmp(v + 1, "ipv4", 4))
		unsupported(s, line, "needs --ip_version other than ipv4");
	else
		fprintf(stderr, "pdrun: line %d: option '%s' ignored\n", line, text);
}

static struct pd_event *statement(struct pd_script *s, const char *text, int line, char **err)
{
	struct cur c = { .p = text, .line = line };
	struct pd_event *ev = calloc(1, sizeof(*ev));
	char name[64];

	if (!ev)
		abort();
	ev->line = line;
	if (*text == '`') {                  /* an init command, no time */
		ev->type = PD_EV_SHELL;
		ev->ttype = PD_TIME_ANY;
		ev->name = strdup(text);
		return ev;
	}
	if (event_time(&c, ev) < 0)
		goto bad;
	ws(&c);
	if (*c.p == '`') {
		ev->type = PD_EV_SHELL;
		ev->name = strdup(c.p);
		return ev;
	}
	if (!strncmp(c.p, "%{", 2)) {
		ev->type = PD_EV_CODE;
		return ev;
	}
	if (*c.p == '<' || *c.p == '>') {
		bool out = *c.p == '>';

		c.p++;
		if (packet_stmt(&c, ev, out) < 0)
			goto bad;
	} else if (ident(&c, name, sizeof(name)) && eat(&c, "(")) {
		if (syscall_stmt(&c, ev, name) < 0)
			goto bad;
	} else {
		fail(&c, "cannot parse '%.30s'", c.p);
		goto bad;
	}
	ws(&c);
	if (*c.p) {
		fail(&c, "trailing '%.30s'", c.p);
		goto bad;
	}
	return ev;
bad:
	if (asprintf(err, "line %d: %s", line, c.err ? c.err : "parse error") < 0)
		*err = NULL;
	free(c.err);
	ev->next = NULL;
	free(ev->name);
	for (int i = 0; i < ev->nargs; i++)
		expr_free(ev->args[i]);
	free(ev->args);
	free(ev);
	return NULL;
}

/* ---- cutting a file into statements ------------------------------------ */

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	if (buf)
		buf[n] = '\0';
	fclose(f);
	return buf;
}

struct splitter {
	struct pd_script *s;
	struct pd_event **tail;
	char *stmt;
	size_t len, cap;
	int line, start_line;
	char *err;
};

static void stmt_add(struct splitter *sp, char ch)
{
	if (sp->len + 2 > sp->cap) {
		sp->cap = sp->cap ? sp->cap * 2 : 256;
		sp->stmt = realloc(sp->stmt, sp->cap);
		if (!sp->stmt)
			abort();
	}
	if (!sp->len)
		sp->start_line = sp->line;
	sp->stmt[sp->len++] = ch;
	sp->stmt[sp->len] = '\0';
}

static int stmt_end(struct splitter *sp)
{
	char *t = sp->stmt, *e;
	struct pd_event *ev;

	if (!sp->len)
		return 0;
	while (isspace((unsigned char)*t))
		t++;
	e = t + strlen(t);
	while (e > t && isspace((unsigned char)e[-1]))
		*--e = '\0';
	sp->len = 0;
	if (!*t)
		return 0;
	if (!strncmp(t, "--", 2)) {
		option_stmt(sp->s, t, sp->start_line);
		return 0;
	}
	ev = statement(sp->s, t, sp->start_line, &sp->err);
	if (!ev)
		return -1;
	if (ev->type == PD_EV_CODE)
		unsupported(sp->s, ev->line, "%{ python }% code blocks");
	*sp->tail = ev;
	sp->tail = &ev->next;
	return 0;
}

/* Statements end at a newline outside brackets, shell commands, strings
 * and code blocks; comments are dropped. */
static int split(struct splitter *sp, const char *p)
{
	int depth = 0;
	bool tick = false, code = false, str = false;

	sp->line = 1;
	for (; *p; p++) {
		if (*p == '\n')
			sp->line++;
		if (!tick && !code && !str) {
			if (p[0] == '/' && p[1] == '/') {
				while (p[1] && p[1] != '\n')
					p++;
				continue;
			}
			if (p[0] == '/' && p[1] == '*') {
				p += 2;
				while (*p && !(p[0] == '*' && p[1] == '/')) {
					if (*p == '\n')
						sp->line++;
					p++;
				}
				if (!*p)
					break;
				p++;
				continue;
			}
		}
		if (code) {
			if (p[0] == '}' && p[1] == '%')
				code = false;
			continue;
		}
		if (!tick && !str && p[0] == '%' && p[1] == '{') {
			stmt_add(sp, '%');
			stmt_add(sp, '{');
			code = true;
			p++;
			continue;
		}
		if (*p == '`' && !str)
			tick = !tick;
		else if (*p == '"' && !tick)
			str = !str;
		else if (!tick && !str && strchr("([{", *p))
			depth++;
		else if (!tick && !str && strchr(")]}", *p) && depth > 0)
			depth--;
		if (*p == '\n' && !tick && !str && depth == 0) {
			if (stmt_end(sp) < 0)
				return -1;
			continue;
		}
		stmt_add(sp, *p == '\n' ? ' ' : *p);
	}
	return stmt_end(sp);
}

int pd_parse_file(const char *path, struct pd_script *s, char **err)
{
	struct splitter sp = { .s = s };
	char *text = slurp(path);
	int ret;

	memset(s, 0, sizeof(*s));
	s->tolerance_usecs = 4000;    /* packetdrill's --tolerance_usecs */
	sp.tail = &s->events;
	if (!text) {
		if (asprintf(err, "cannot read %s", path) < 0)
			*err = NULL;
		return -1;
	}
	ret = split(&sp, text);
	free(text);
	free(sp.stmt);
	if (ret < 0)
		*err = sp.err;
	return ret;
}

void pd_script_free(struct pd_script *s)
{
	struct pd_event *ev = s->events, *next;

	for (; ev; ev = next) {
		next = ev->next;
		for (int i = 0; i < ev->nargs; i++)
			expr_free(ev->args[i]);
		free(ev->args);
		free(ev->name);
		free(ev);
	}
	free(s->unsupported);
	memset(s, 0, sizeof(*s));
}
