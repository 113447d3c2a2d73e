/*
 * The libc build's environment: the Linux kernel of the network namespace
 * run.sh created (`ip netns exec tnconf-PID conformance-libc`). Sysctls are
 * the namespace's own files under /proc/sys, so writing one changes only
 * that namespace (the net.* files are per namespace).
 */
#include <stdlib.h>
#include "conf.h"

const char *const conf_impl = "libc";

int conf_env_print_missing(void)
{
	return 0;
}

void conf_env_case_begin(void)
{
}

void conf_env_case_end(void)
{
}

/* "net.core.rmem_max" -> "/proc/sys/net/core/rmem_max" */
static void sysctl_path(const char *name, char *path, size_t size)
{
	snprintf(path, size, "/proc/sys/%s", name);
	for (char *p = path + strlen("/proc/sys/"); *p; p++)
		if (*p == '.')
			*p = '/';
}

long conf_sysctl_get(const char *name)
{
	char path[256];
	long v = -1;

	sysctl_path(name, path, sizeof(path));
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

int conf_sysctl_set(const char *name, const char *value)
{
	char path[256];

	sysctl_path(name, path, sizeof(path));
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	int ok = fprintf(f, "%s\n", value) > 0;
	return (fclose(f) == 0 && ok) ? 0 : -1;
}
