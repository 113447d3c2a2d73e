/*
 * sysctl(8), procps-ng's: read, write and list the current namespace's
 * tunables (net/core/sysctl.c) as "key = value" lines, with procps' words
 * for unknown keys ("cannot stat /proc/sys/...") and refused values.
 *
 * Keys may be written with dots or slashes. Options: -a (all), -n (values
 * only), -N (names only), -w (write; KEY=VALUE writes even without it, as
 * procps does), -q (quiet writes), -e (ignore unknown keys), -r PATTERN
 * (--pattern: the keys of -a that match an extended regular expression;
 * a scenario has no pipes for `sysctl -a | grep`). Not here: -p files,
 * --system.
 */
#include <errno.h>
#include <regex.h>
#include <string.h>

#include "net/sysctl.h"
#include "tools/cmd/cmd.h"

#define SYSCTL_VALUE_MAX 256

struct sysctl_opts {
	bool names_only;
	bool values_only;
	bool write;
	bool quiet;
	bool ignore_unknown;
	bool all;
	const char *pattern;          /* -r: extended regex on the keys, or NULL */
	regex_t re;
};

/* "net.ipv4.ip_forward" (or with slashes) -> "net.ipv4.ip_forward" and
 * "/proc/sys/net/ipv4/ip_forward". */
#define SYSCTL_KEY_MAX 128
#define SYSCTL_PATH_MAX (SYSCTL_KEY_MAX + 16)

static void sysctl_names(const char *key, char dotted[SYSCTL_KEY_MAX],
			 char path[SYSCTL_PATH_MAX])
{
	size_t i;

	for (i = 0; key[i] && i + 1 < SYSCTL_KEY_MAX; i++)
		dotted[i] = key[i] == '/' ? '.' : key[i];
	dotted[i] = '\0';
	snprintf(path, SYSCTL_PATH_MAX, "/proc/sys/%s", dotted);
	for (char *p = path + strlen("/proc/sys/"); *p; p++)
		if (*p == '.')
			*p = '/';
}

static void sysctl_print(const struct sysctl_opts *o, FILE *out, const char *key, const char *val)
{
	if (o->values_only)
		fprintf(out, "%s\n", val);
	else if (o->names_only)
		fprintf(out, "%s\n", key);
	else
		fprintf(out, "%s = %s\n", key, val);
}

static int sysctl_unknown(struct tn_cmd_ctx *ctx, const struct sysctl_opts *o, const char *path)
{
	if (o->ignore_unknown)
		return 0;
	tn_cmd_err(ctx, "sysctl: cannot stat %s: No such file or directory", path);
	return 1;
}

static int sysctl_read_one(struct tn_cmd_ctx *ctx, const struct sysctl_opts *o, FILE *out,
			   const char *key)
{
	char dotted[SYSCTL_KEY_MAX], path[SYSCTL_PATH_MAX], val[SYSCTL_VALUE_MAX];
	int err;

	sysctl_names(key, dotted, path);
	err = tn_sysctl_read(ctx->net, dotted, val, sizeof(val));
	if (err == -ENOENT)
		return sysctl_unknown(ctx, o, path);
	if (err) {
		tn_cmd_err(ctx, "sysctl: reading key \"%s\": %s", dotted, tn_errstr(err));
		return 1;
	}
	sysctl_print(o, out, dotted, val);
	return 0;
}

static int sysctl_write_one(struct tn_cmd_ctx *ctx, const struct sysctl_opts *o, FILE *out,
			    char *arg)
{
	char dotted[SYSCTL_KEY_MAX], path[SYSCTL_PATH_MAX];
	char *eq = strchr(arg, '=');
	int err;

	/* procps-ng 4.0's parser of `-w` arguments (Debian 12), then a status
	 * of 1 at the end. */
	if (!eq) {
		tn_cmd_err(ctx, "sysctl: command line(0): invalid syntax, continuing...");
		return 1;
	}
	if (eq == arg) {
		tn_cmd_err(ctx, "sysctl: \"%s\" must be of the form name=value", arg);
		return 1;
	}
	*eq = '\0';
	sysctl_names(arg, dotted, path);
	err = tn_sysctl_write(ctx->net, dotted, eq + 1);
	if (err == -ENOENT)
		return sysctl_unknown(ctx, o, path);
	if (err == -EPERM || err == -EACCES) {
		tn_cmd_err(ctx, "sysctl: permission denied on key \"%s\"", dotted);
		return 1;
	}
	if (err) {
		tn_cmd_err(ctx, "sysctl: setting key \"%s\": %s", dotted, tn_errstr(err));
		return 1;
	}
	if (!o->quiet)
		sysctl_print(o, out, dotted, eq + 1);
	return 0;
}

struct sysctl_walk {
	const struct sysctl_opts *o;
	FILE *out;
};

static void sysctl_walk_one(const char *key, const char *value, void *arg)
{
	struct sysctl_walk *w = arg;

	if (w->o->pattern && regexec(&w->o->re, key, 0, NULL, 0) != 0)
		return;
	sysctl_print(w->o, w->out, key, value);
}

/* Option letters of one "-xyz" word; false for an unknown one. */
static bool sysctl_parse_flags(struct sysctl_opts *o, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case 'a': case 'A': case 'X': o->all = true; break;
		case 'n': o->values_only = true; break;
		case 'N': o->names_only = true; break;
		case 'w': o->write = true; break;
		case 'q': o->quiet = true; break;
		case 'e': o->ignore_unknown = true; break;
		default: return false;
		}
	}
	return true;
}

int do_sysctl(struct tn_cmd_ctx *ctx, int argc, char **argv, FILE *out)
{
	struct sysctl_opts o = { 0 };
	int i = 1, status = 0;

	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (strcmp(argv[i], "--all") == 0) {
			o.all = true;
		} else if (strcmp(argv[i], "--write") == 0) {
			o.write = true;
		} else if ((strcmp(argv[i], "-r") == 0 || strcmp(argv[i], "--pattern") == 0) &&
			   i + 1 < argc) {
			o.pattern = argv[++i];
		} else if (strncmp(argv[i], "--pattern=", 10) == 0) {
			o.pattern = argv[i] + 10;
		} else if (!sysctl_parse_flags(&o, argv[i] + 1)) {
			tn_cmd_err(ctx, "sysctl: invalid option -- '%c'", argv[i][1]);
			return 1;
		}
	}
	if (o.pattern && regcomp(&o.re, o.pattern, REG_EXTENDED | REG_NOSUB) != 0) {
		tn_cmd_err(ctx, "sysctl: unable to parse pattern: %s", o.pattern);
		return 1;
	}
	if (o.all) {
		struct sysctl_walk w = { .o = &o, .out = out };
		tn_sysctl_walk(ctx->net, sysctl_walk_one, &w);
		if (o.pattern)
			regfree(&o.re);
		return 0;
	}
	if (o.pattern)
		regfree(&o.re);
	if (i == argc) {
		tn_cmd_err(ctx, "sysctl: no variables specified\n"
				"Try `sysctl --help' for more information.");
		return 1;
	}
	for (; i < argc; i++) {
		int st = (o.write || strchr(argv[i], '=')) ? sysctl_write_one(ctx, &o, out, argv[i])
							   : sysctl_read_one(ctx, &o, out, argv[i]);
		if (st)
			status = st;
	}
	return status;
}
