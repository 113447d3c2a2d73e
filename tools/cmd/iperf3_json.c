/*
 * The JSON of iperf3's control connection: a writer for the parameters and
 * results tuxnet sends, and a reader for those it receives.
 *
 * The writer appends to a caller's fixed buffer, compact as cJSON's
 * PrintUnformatted (no spaces), integers without a fraction. The reader
 * parses the whole text into a flat array of nodes in document order (each
 * node knows the size of its subtree, so a member is found by skipping
 * siblings) with a depth limit; it does not unescape strings: iperf3's keys
 * are plain ASCII and the only string value tuxnet reads is a hex digest.
 * It is not a general JSON library and does not try to be one.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/cmd/iperf3.h"

#define JSON_MAX_DEPTH 32
#define JSON_MAX_NODES 65536

/* ---- writer -------------------------------------------------------------- */

void iperf_jw_init(struct iperf_jw *w, char *buf, size_t cap)
{
	w->buf = buf;
	w->len = 0;
	w->cap = cap;
	w->need_comma = false;
	w->err = cap == 0;
	if (cap)
		buf[0] = '\0';
}

static void jw_put(struct iperf_jw *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void jw_put(struct iperf_jw *w, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (w->err)
		return;
	va_start(ap, fmt);
	n = vsnprintf(w->buf + w->len, w->cap - w->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= w->cap - w->len) {
		w->err = true;
		return;
	}
	w->len += (size_t)n;
}

/* A comma before every member but the first, then "key": when in an object. */
static void jw_key(struct iperf_jw *w, const char *key)
{
	if (w->need_comma)
		jw_put(w, ",");
	if (key)
		jw_put(w, "\"%s\":", key);
	w->need_comma = true;
}

void iperf_jw_open(struct iperf_jw *w, const char *key, char bracket)
{
	jw_key(w, key);
	jw_put(w, "%c", bracket);
	w->need_comma = false;
}

void iperf_jw_close(struct iperf_jw *w, char bracket)
{
	jw_put(w, "%c", bracket);
	w->need_comma = true;
}

void iperf_jw_int(struct iperf_jw *w, const char *key, long long v)
{
	jw_key(w, key);
	jw_put(w, "%lld", v);
}

void iperf_jw_double(struct iperf_jw *w, const char *key, double v)
{
	jw_key(w, key);
	jw_put(w, "%.9g", v);
}

void iperf_jw_bool(struct iperf_jw *w, const char *key, bool v)
{
	jw_key(w, key);
	jw_put(w, v ? "true" : "false");
}

/* Only for strings that need no escape (versions, hex digests). */
void iperf_jw_str(struct iperf_jw *w, const char *key, const char *v)
{
	jw_key(w, key);
	jw_put(w, "\"%s\"", v);
}

/* ---- reader -------------------------------------------------------------- */

struct jparser {
	struct iperf_jdoc *d;
	const char *p, *end;
};

static void jp_space(struct jparser *jp)
{
	while (jp->p < jp->end &&
	       (*jp->p == ' ' || *jp->p == '\t' || *jp->p == '\n' || *jp->p == '\r'))
		jp->p++;
}

/* A new node, or -1 when the document has too many. */
static int jp_node(struct jparser *jp, enum iperf_jtype type)
{
	struct iperf_jdoc *d = jp->d;

	if (d->count == d->cap) {
		unsigned int cap = d->cap ? d->cap * 2 : 64;
		struct iperf_jnode *n;

		if (cap > JSON_MAX_NODES)
			return -1;
		n = realloc(d->n, cap * sizeof(*n));
		if (!n)
			return -1;
		d->n = n;
		d->cap = cap;
	}
	memset(&d->n[d->count], 0, sizeof(d->n[0]));
	d->n[d->count].type = type;
	d->n[d->count].span = 1;
	return (int)d->count++;
}

static bool jp_literal(struct jparser *jp, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(jp->end - jp->p) < n || memcmp(jp->p, word, n) != 0)
		return false;
	jp->p += n;
	return true;
}

static int jp_string(struct jparser *jp)
{
	const char *s = ++jp->p;
	int i;

	while (jp->p < jp->end && *jp->p != '"') {
		if ((unsigned char)*jp->p < 0x20)
			return -1;
		if (*jp->p == '\\' && ++jp->p == jp->end)
			return -1;
		jp->p++;
	}
	if (jp->p == jp->end || (i = jp_node(jp, IPERF_J_STR)) < 0)
		return -1;
	jp->d->n[i].s = s;
	jp->d->n[i].slen = (size_t)(jp->p - s);
	jp->p++;
	return i;
}

static int jp_number(struct jparser *jp)
{
	char tmp[64], *e;
	size_t n = 0;
	int i;

	while (jp->p + n < jp->end && n < sizeof(tmp) - 1 && strchr("+-0123456789.eE", jp->p[n]))
		n++;
	memcpy(tmp, jp->p, n);
	tmp[n] = '\0';
	if (!n || (i = jp_node(jp, IPERF_J_NUM)) < 0)
		return -1;
	jp->d->n[i].num = strtod(tmp, &e);
	if (*e != '\0')
		return -1;
	jp->p += n;
	return i;
}

static int jp_value(struct jparser *jp, int depth);

/* Array items, or object members (key then value), up to the closing
 * bracket; the container's span grows with each. */
static int jp_container(struct jparser *jp, int depth, bool object)
{
	int i = jp_node(jp, object ? IPERF_J_OBJ : IPERF_J_ARR);
	char close = object ? '}' : ']';

	if (i < 0 || depth > JSON_MAX_DEPTH)
		return -1;
	jp->p++;
	jp_space(jp);
	if (jp->p < jp->end && *jp->p == close) {
		jp->p++;
		return i;
	}
	for (;;) {
		jp_space(jp);
		if (object) {
			if (jp->p == jp->end || *jp->p != '"' || jp_string(jp) < 0)
				return -1;
			jp_space(jp);
			if (jp->p == jp->end || *jp->p++ != ':')
				return -1;
		}
		if (jp_value(jp, depth + 1) < 0)
			return -1;
		jp->d->n[i].nchild++;
		jp_space(jp);
		if (jp->p == jp->end)
			return -1;
		if (*jp->p == close)
			break;
		if (*jp->p++ != ',')
			return -1;
	}
	jp->p++;
	jp->d->n[i].span = jp->d->count - (unsigned int)i;
	return i;
}

static int jp_value(struct jparser *jp, int depth)
{
	jp_space(jp);
	if (jp->p == jp->end)
		return -1;
	switch (*jp->p) {
	case '{':
		return jp_container(jp, depth, true);
	case '[':
		return jp_container(jp, depth, false);
	case '"':
		return jp_string(jp);
	case 't':
		return jp_literal(jp, "true") ? jp_node(jp, IPERF_J_TRUE) : -1;
	case 'f':
		return jp_literal(jp, "false") ? jp_node(jp, IPERF_J_FALSE) : -1;
	case 'n':
		return jp_literal(jp, "null") ? jp_node(jp, IPERF_J_NULL) : -1;
	default:
		return jp_number(jp);
	}
}

int iperf_json_parse(struct iperf_jdoc *d, const char *text, size_t len)
{
	struct jparser jp = { .d = d, .p = text, .end = text + len };

	memset(d, 0, sizeof(*d));
	if (jp_value(&jp, 0) < 0)
		goto bad;
	jp_space(&jp);
	if (jp.p != jp.end)
		goto bad;
	return 0;
bad:
	iperf_json_free(d);
	return -EINVAL;
}

void iperf_json_free(struct iperf_jdoc *d)
{
	free(d->n);
	memset(d, 0, sizeof(*d));
}

int iperf_json_get(const struct iperf_jdoc *d, int obj, const char *key)
{
	size_t klen = strlen(key);
	unsigned int k;

	if (obj < 0 || (unsigned int)obj >= d->count || d->n[obj].type != IPERF_J_OBJ)
		return -1;
	k = (unsigned int)obj + 1;
	for (unsigned int m = 0; m < d->n[obj].nchild; m++) {
		const struct iperf_jnode *kn = &d->n[k];
		unsigned int v = k + 1;

		if (kn->slen == klen && memcmp(kn->s, key, klen) == 0)
			return (int)v;
		k = v + d->n[v].span;
	}
	return -1;
}

int iperf_json_item(const struct iperf_jdoc *d, int arr, unsigned int i)
{
	unsigned int k;

	if (arr < 0 || (unsigned int)arr >= d->count || d->n[arr].type != IPERF_J_ARR ||
	    i >= d->n[arr].nchild)
		return -1;
	k = (unsigned int)arr + 1;
	while (i--)
		k += d->n[k].span;
	return (int)k;
}

double iperf_json_num(const struct iperf_jdoc *d, int node, double def)
{
	if (node < 0 || d->n[node].type != IPERF_J_NUM)
		return def;
	return d->n[node].num;
}
