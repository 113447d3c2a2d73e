/*
 * The sysctls a packetdrill script sets with shell commands, applied to the
 * tuxnet stack under test.
 *
 * A script configures the kernel it tests with backquoted shell commands:
 * `../common/defaults.sh` or `./defaults.sh` (the TCP settings every script
 * of Linux's selftests and of packetdrill's own corpus expects: a 15 MiB
 * tcp_rmem maximum, hence wscale 8, and so on), `sysctl -q net.ipv4.X=Y`,
 * `./set_sysctls.py /proc/sys/net/ipv4/X=Y`, `echo Y > /proc/sys/...`.
 * packetdrill runs them on the host, whose kernel is not the stack under
 * test when that stack is this shared object. So the shim reads the script
 * (the packetdrill command line, /proc/self/cmdline, names it), finds those
 * commands and writes the same settings into tuxnet's sysctls once, before
 * the script starts: the script then meets the stack it was written for.
 *
 * Approximations, said on stderr: a command is applied at the start even if
 * the script runs it later (scripts set their sysctls at time 0), and what
 * is not a sysctl of tuxnet's (ip tcp_metrics, a restore script, a key
 * tuxnet lacks) is skipped. defaults.sh is applied from its known content
 * (below), not executed. --so_flags script_sysctls=0 turns all this off;
 * sysctl=KEY=VALUE flags are applied after it and win.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/stack.h"
#include "tuxnet/tuxnet.h"
#include "script_sysctl.h"

#define PD_SCRIPT_MAX (1 << 20)   /* a script larger than this is not read */

/* The TCP settings of defaults.sh (Linux's selftests and packetdrill's
 * gtests/net/common), as tuxnet names them. */
static const char *const defaults_sh[] = {
	"net.ipv4.tcp_rmem=4096 540000 15728640",
	"net.ipv4.tcp_wmem=4096 262144 4194304",
	"net.ipv4.tcp_timestamps=1",
	"net.ipv4.tcp_syn_retries=5",
	"net.ipv4.tcp_synack_retries=5",
	"net.ipv4.tcp_frto=2",
	"net.ipv4.tcp_sack=1",
	"net.ipv4.tcp_dsack=1",
	"net.ipv4.tcp_reordering=3",
	"net.ipv4.tcp_congestion_control=cubic",
	"net.ipv4.tcp_slow_start_after_idle=0",
	"net.ipv4.tcp_early_retrans=4",
	"net.ipv4.tcp_recovery=1",
	"net.ipv4.tcp_ecn=0",
	"net.ipv4.tcp_syncookies=1",
};

struct applier {
	struct tn_stack *st;
	FILE *quiet;          /* where refusals go: a key tuxnet lacks is skipped */
	int applied, skipped;
};

static void apply(struct applier *a, const char *key, const char *value)
{
	char cmd[1100];   /* key and value: at most 511 each */

	snprintf(cmd, sizeof(cmd), "sysctl -q -w '%s=%s'", key, value);
	if (tn_command(a->st, cmd, a->quiet) == 0)
		a->applied++;
	else
		a->skipped++;
}

static void apply_pair(struct applier *a, const char *kv)
{
	char buf[512];
	char *eq;

	snprintf(buf, sizeof(buf), "%s", kv);
	eq = strchr(buf, '=');
	if (!eq || eq == buf)
		return;
	*eq = '\0';
	apply(a, buf, eq + 1);
}

/* $((A*B*...)) and plain numbers inside a value, as the shell expands them
 * (products and sums of integers only; anything else is left as it is). */
static void expand_arith(const char *in, char *out, size_t n)
{
	size_t o = 0;

	while (*in && o + 1 < n) {
		if (!strncmp(in, "$((", 3)) {
			const char *end = strstr(in, "))");
			long long sum = 0, prod = 1;
			const char *p = in + 3;
			bool ok = end != NULL;

			while (ok && p < end) {
				char *q;
				long long v;

				while (p < end && isspace((unsigned char)*p))
					p++;
				v = strtoll(p, &q, 10);
				if (q == p) {
					ok = false;
					break;
				}
				prod *= v;
				p = q;
				while (p < end && isspace((unsigned char)*p))
					p++;
				if (p < end && *p == '*') {
					p++;
				} else if (p < end && *p == '+') {
					sum += prod;
					prod = 1;
					p++;
				} else if (p != end) {
					ok = false;
				}
			}
			if (ok) {
				o += (size_t)snprintf(out + o, n - o, "%lld", sum + prod);
				in = end + 2;
				continue;
			}
		}
		out[o++] = *in++;
	}
	out[o < n ? o : n - 1] = '\0';
}

/* A word without its quotes ("..." or '...'), arithmetic expanded. */
static void unquote(const char *w, size_t len, char *out, size_t n)
{
	char raw[512];
	size_t r = 0;

	for (size_t i = 0; i < len && r + 1 < sizeof(raw); i++)
		if (w[i] != '"' && w[i] != '\'')
			raw[r++] = w[i];
	raw[r] = '\0';
	expand_arith(raw, out, n);
}

/* /proc/sys/net/ipv4/tcp_x -> net.ipv4.tcp_x */
static bool proc_path_to_key(const char *path, char *key, size_t n)
{
	const char *p = strstr(path, "/proc/sys/");

	if (!p)
		return false;
	snprintf(key, n, "%s", p + strlen("/proc/sys/"));
	for (char *c = key; *c; c++)
		if (*c == '/')
			*c = '.';
	return key[0] != '\0';
}

/* Split one simple command into words; quotes keep spaces inside a word. */
static int split_words(const char *cmd, const char **w, size_t *wl, int max)
{
	int n = 0;
	const char *p = cmd;

	while (*p && n < max) {
		char q = 0;
		const char *s;

		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		s = p;
		while (*p && (q || !isspace((unsigned char)*p))) {
			if (!q && (*p == '"' || *p == '\''))
				q = *p;
			else if (q && *p == q)
				q = 0;
			p++;
		}
		w[n] = s;
		wl[n] = (size_t)(p - s);
		n++;
	}
	return n;
}

static void one_command(struct applier *a, const char *cmd)
{
	const char *w[32];
	size_t wl[32];
	char val[512], key[256];
	int n = split_words(cmd, w, wl, 32);

	if (n == 0)
		return;
	for (int i = 0; i < n; i++)
		if (wl[i] >= 11 && !strncmp(w[i] + wl[i] - 11, "defaults.sh", 11)) {
			for (size_t k = 0; k < sizeof(defaults_sh) / sizeof(defaults_sh[0]); k++)
				apply_pair(a, defaults_sh[k]);
			return;
		}
	if (wl[0] == 6 && !strncmp(w[0], "sysctl", 6)) {
		for (int i = 1; i < n; i++) {
			if (w[i][0] == '-')
				continue;
			unquote(w[i], wl[i], val, sizeof(val));
			apply_pair(a, val);
		}
		return;
	}
	if (wl[0] >= 14 && strstr(w[0], "set_sysctls.py") && (size_t)(strstr(w[0], "set_sysctls.py") - w[0]) + 14 == wl[0]) {
		for (int i = 1; i < n; i++) {
			char *eq;

			unquote(w[i], wl[i], val, sizeof(val));
			eq = strchr(val, '=');
			if (!eq)
				continue;
			*eq = '\0';
			if (proc_path_to_key(val, key, sizeof(key)))
				apply(a, key, eq + 1);
		}
		return;
	}
	/* echo VALUE > /proc/sys/... */
	if (wl[0] == 4 && !strncmp(w[0], "echo", 4) && n >= 4 && wl[n - 2] == 1 && w[n - 2][0] == '>') {
		char path[256];

		unquote(w[n - 1], wl[n - 1], path, sizeof(path));
		if (!proc_path_to_key(path, key, sizeof(key)))
			return;
		val[0] = '\0';
		for (int i = 1; i < n - 2; i++) {
			char part[256];

			unquote(w[i], wl[i], part, sizeof(part));
			if (w[i][0] == '-')
				continue;
			snprintf(val + strlen(val), sizeof(val) - strlen(val), "%s%s", val[0] ? " " : "", part);
		}
		apply(a, key, val);
	}
}

/* Every backquoted region of the script, split into simple commands at
 * newlines, ';' and '&&'. */
static void scan_script(struct applier *a, const char *text)
{
	const char *p = text;

	while ((p = strchr(p, '`'))) {
		const char *end = strchr(p + 1, '`');
		const char *s = p + 1;

		if (!end)
			break;
		while (s < end) {
			const char *e = s;
			char cmd[1024];
			size_t len;

			while (e < end && *e != '\n' && *e != ';' && !(e[0] == '&' && e[1] == '&'))
				e++;
			len = (size_t)(e - s);
			if (len >= sizeof(cmd))
				len = sizeof(cmd) - 1;
			memcpy(cmd, s, len);
			cmd[len] = '\0';
			one_command(a, cmd);
			s = e < end ? e + (*e == '&' ? 2 : 1) : end;
		}
		p = end + 1;
	}
}

/* At most max bytes of a file, NUL-terminated; *len: how many were read. */
static char *read_file(const char *path, size_t max, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *buf;
	size_t n;

	if (!f)
		return NULL;
	buf = malloc(max + 1);
	if (!buf) {
		fclose(f);
		return NULL;
	}
	n = fread(buf, 1, max, f);
	buf[n] = '\0';
	fclose(f);
	if (len)
		*len = n;
	return buf;
}

/* The scripts on this process's command line: arguments ending in .pkt. */
int pd_script_sysctls(struct tn_stack *st, const char *cmdline_path)
{
	struct applier a = { .st = st };
	size_t n = 0;
	char *args = read_file(cmdline_path ? cmdline_path : "/proc/self/cmdline", 1 << 16, &n);
	int scripts = 0;

	if (!args)
		return 0;
	a.quiet = fopen("/dev/null", "w");
	if (!a.quiet)
		a.quiet = stderr;
	/* NUL-separated arguments. */
	for (size_t i = 0; i < n; i += strlen(args + i) + 1) {
		const char *arg = args + i;
		size_t len = strlen(arg);
		char *text;

		if (len < 5 || strcmp(arg + len - 4, ".pkt") || arg[0] == '-')
			continue;
		text = read_file(arg, PD_SCRIPT_MAX, NULL);
		if (!text)
			continue;
		scan_script(&a, text);
		free(text);
		scripts++;
	}
	free(args);
	if (a.quiet != stderr)
		fclose(a.quiet);
	if (a.applied || a.skipped)
		fprintf(stderr, "tuxnet-packetdrill: %d sysctl setting(s) of the script's shell commands "
			"applied to tuxnet (%d skipped)\n", a.applied, a.skipped);
	return scripts ? a.applied : 0;
}
