/*
 * The sysctl registry of a namespace: tables of tunables registered under a
 * path by the subsystems, looked up by dotted key as sysctl(8) writes it, and
 * the handlers that convert between what a user types and what a field
 * holds (times are kept in jiffies = ms). This is the /proc/sys of a tuxnet
 * namespace; it does not know any particular tunable.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <ctype.h>

#include "net/sysctl.h"
#include "net/net_namespace.h"

/* ---- value parsing ---------------------------------------------------- */

static int parse_long(const char *s, long *out)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	if (!*s)
		return -EINVAL;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s)
		return -EINVAL;
	while (isspace((unsigned char)*end))
		end++;
	if (*end)
		return -EINVAL;
	*out = v;
	return 0;
}

static bool in_range(const struct ctl_table *t, long v)
{
	if (t->min < t->max)
		return v >= t->min && v <= t->max;
	return v >= INT_MIN && v <= INT_MAX;
}

/* Read or write an int field whose stored value is the user's value times
 * `scale` (1 for plain ints, 1000 for seconds kept in jiffies, ...). */
static int do_intvec_scaled(const struct ctl_table *t, int *field, bool write, char *buf,
			    size_t len, long scale)
{
	if (!write) {
		snprintf(buf, len, "%ld", (long)*field / scale);
		return 0;
	}
	long v;
	int err = parse_long(buf, &v);
	if (err)
		return err;
	if (!in_range(t, v))
		return -EINVAL;
	if (v > INT_MAX / scale || v < INT_MIN / scale)
		return -EINVAL;
	*field = (int)(v * scale);
	return 0;
}

int proc_dointvec(const struct ctl_table *t, void *f, bool w, char *buf, size_t len)
{
	return do_intvec_scaled(t, f, w, buf, len, 1);
}

int proc_dointvec_minmax(const struct ctl_table *t, void *f, bool w, char *buf, size_t len)
{
	return do_intvec_scaled(t, f, w, buf, len, 1);
}

int proc_dointvec_jiffies(const struct ctl_table *t, void *f, bool w, char *buf, size_t len)
{
	return do_intvec_scaled(t, f, w, buf, len, 1000);
}

int proc_dointvec_ms_jiffies(const struct ctl_table *t, void *f, bool w, char *buf, size_t len)
{
	return do_intvec_scaled(t, f, w, buf, len, 1);
}

int proc_dointvec_userhz_jiffies(const struct ctl_table *t, void *f, bool w, char *buf,
				 size_t len)
{
	return do_intvec_scaled(t, f, w, buf, len, 10);
}

/* Two ints, "a b" in and "a\tb" out, as ip_local_port_range. The range
 * applies to both, and the first may not exceed the second. */
int proc_dointvec_pair(const struct ctl_table *t, void *f, bool w, char *buf, size_t len)
{
	int *v = f;

	if (!w) {
		snprintf(buf, len, "%d\t%d", v[0], v[1]);
		return 0;
	}
	char *end;
	errno = 0;
	long a = strtol(buf, &end, 10);
	if (errno || end == buf)
		return -EINVAL;
	char *p = end;
	long b = strtol(p, &end, 10);
	if (errno || end == p)
		return -EINVAL;
	while (isspace((unsigned char)*end))
		end++;
	if (*end || !in_range(t, a) || !in_range(t, b) || a > b)
		return -EINVAL;
	v[0] = (int)a;
	v[1] = (int)b;
	return 0;
}

/* ---- registry --------------------------------------------------------- */

struct ctl_table_header *register_net_sysctl(struct net *net, const char *path,
					     const struct ctl_table *table,
					     unsigned int count, void *base)
{
	struct ctl_table_header *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	snprintf(h->path, sizeof(h->path), "%s", path);
	h->table = table;
	h->count = count;
	h->base = base;
	list_add_tail(&h->list, &net->sysctls);
	return h;
}

void unregister_net_sysctl_table(struct ctl_table_header *h)
{
	if (!h)
		return;
	list_del(&h->list);
	free(h);
}

/* "net.ipv4.ip_forward" -> "net/ipv4/ip_forward". */
static void key_to_path(const char *key, char *out, size_t len)
{
	size_t i;

	for (i = 0; key[i] && i + 1 < len; i++)
		out[i] = key[i] == '.' ? '/' : key[i];
	out[i] = '\0';
}

static const struct ctl_table *sysctl_find(struct net *net, const char *key,
					   struct ctl_table_header **hp)
{
	char path[160];
	struct ctl_table_header *h;

	key_to_path(key, path, sizeof(path));
	list_for_each_entry(h, &net->sysctls, list) {
		size_t pl = strlen(h->path);
		if (strncmp(path, h->path, pl) != 0 || path[pl] != '/')
			continue;
		for (unsigned int i = 0; i < h->count; i++) {
			if (strcmp(path + pl + 1, h->table[i].procname) == 0) {
				*hp = h;
				return &h->table[i];
			}
		}
	}
	return NULL;
}

int tn_sysctl_write(struct net *net, const char *key, const char *value)
{
	struct ctl_table_header *h;
	const struct ctl_table *t = sysctl_find(net, key, &h);
	char buf[128];

	if (!t)
		return -ENOENT;
	if (!(t->mode & 0200))
		return -EPERM;
	snprintf(buf, sizeof(buf), "%s", value);
	return t->proc_handler(t, (char *)h->base + t->offset, true, buf, sizeof(buf));
}

int tn_sysctl_read(struct net *net, const char *key, char *buf, size_t len)
{
	struct ctl_table_header *h;
	const struct ctl_table *t = sysctl_find(net, key, &h);

	if (!t)
		return -ENOENT;
	return t->proc_handler(t, (char *)h->base + t->offset, false, buf, len);
}

struct sysctl_item {
	char key[160];
	char value[128];
};

static int item_cmp(const void *a, const void *b)
{
	return strcmp(((const struct sysctl_item *)a)->key, ((const struct sysctl_item *)b)->key);
}

static void path_to_key(const char *path, const char *name, char *out, size_t len)
{
	snprintf(out, len, "%s/%s", path, name);
	for (char *p = out; *p; p++)
		if (*p == '/')
			*p = '.';
}

void tn_sysctl_walk(struct net *net, void (*fn)(const char *key, const char *value, void *arg),
		    void *arg)
{
	struct ctl_table_header *h;
	size_t n = 0, i = 0;

	list_for_each_entry(h, &net->sysctls, list)
		n += h->count;
	struct sysctl_item *items = calloc(n ? n : 1, sizeof(*items));
	if (!items)
		return;
	list_for_each_entry(h, &net->sysctls, list) {
		for (unsigned int k = 0; k < h->count; k++, i++) {
			const struct ctl_table *t = &h->table[k];
			path_to_key(h->path, t->procname, items[i].key, sizeof(items[i].key));
			t->proc_handler(t, (char *)h->base + t->offset, false, items[i].value,
					sizeof(items[i].value));
		}
	}
	qsort(items, n, sizeof(*items), item_cmp);
	for (i = 0; i < n; i++)
		fn(items[i].key, items[i].value, arg);
	free(items);
}
