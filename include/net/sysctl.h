/*
 * sysctl: named, typed tunables, per namespace, with Linux's names, units and
 * defaults. A subsystem registers a table under a path ("net/ipv4/neigh/eth0")
 * whose entries name fields by offset from a base it supplies (its part of
 * struct net, a device's neigh_parms, ...); `sysctl net.ipv4.x=y` finds the
 * entry and calls its handler, which converts units and checks range.
 */
#ifndef TN_NET_SYSCTL_H
#define TN_NET_SYSCTL_H

#include "net/compiler.h"
#include "lib/list.h"

struct net;
struct ctl_table;

/* write: parse `val` into the field. read: format the field into buf.
 * Return 0 or -errno (-EINVAL for a malformed or out-of-range value). */
typedef int (*proc_handler_t)(const struct ctl_table *t, void *field, bool write,
			      char *buf, size_t len);

struct ctl_table {
	const char *procname;
	size_t offset;             /* field offset from the registration's base */
	proc_handler_t proc_handler;
	long min, max;             /* range for the _minmax handlers */
	int mode;                  /* 0644 writable, 0444 read-only */
};

struct ctl_table_header {
	struct list_head list;     /* on net->sysctls */
	char path[64];             /* "net/ipv4/neigh/default" */
	const struct ctl_table *table;
	unsigned int count;
	void *base;
};

/* Handlers. Fields are `int` unless the name says otherwise; times are kept
 * in jiffies (ms) internally. */
int proc_dointvec(const struct ctl_table *t, void *f, bool w, char *buf, size_t len);
int proc_dointvec_minmax(const struct ctl_table *t, void *f, bool w, char *buf, size_t len);
int proc_dointvec_jiffies(const struct ctl_table *t, void *f, bool w, char *buf, size_t len);      /* seconds */
int proc_dointvec_ms_jiffies(const struct ctl_table *t, void *f, bool w, char *buf, size_t len);   /* ms */
int proc_dointvec_userhz_jiffies(const struct ctl_table *t, void *f, bool w, char *buf, size_t len); /* 1/100 s */
int proc_dointvec_pair(const struct ctl_table *t, void *f, bool w, char *buf, size_t len);  /* int[2], "a\tb" */

struct ctl_table_header *register_net_sysctl(struct net *net, const char *path,
					     const struct ctl_table *table,
					     unsigned int count, void *base);
void unregister_net_sysctl_table(struct ctl_table_header *h);

/* Key with dots or slashes: "net.ipv4.ip_forward". -ENOENT if unknown,
 * -EPERM for a read-only one, -EINVAL for a bad value. */
int tn_sysctl_write(struct net *net, const char *key, const char *value);
int tn_sysctl_read(struct net *net, const char *key, char *buf, size_t len);
/* Call fn for every key (dotted) in sorted order, as `sysctl -a`. */
void tn_sysctl_walk(struct net *net, void (*fn)(const char *key, const char *value, void *arg),
		    void *arg);

#endif
