/*
 * The tuxnet build's environment: for every case a fresh stack on the real
 * clock, driven by its softirq thread (ksoftirqd), so that blocking calls
 * and SO_RCVTIMEO behave as with the kernel without anyone advancing time.
 * Its initial namespace plays the part of run.sh's network namespace: lo up
 * with 127.0.0.1/8, and net.ipv4.ping_group_range opened the same way.
 */
#include <stdlib.h>
#include "conf.h"

const char *const conf_impl = "tuxnet";

struct tn_stack *conf_st;

void conf_missing(const char *fn)
{
	printf("%s: MISSING %s (not in libtuxnet yet)\n", conf_case_name, fn);
	fflush(stdout);
	_exit(3);
}

/* The API the cases call, to list what the library lacks (-m). */
#define FN(f) { #f, (void (*)(void))f }
static const struct {
	const char *name;
	void (*fn)(void);
} conf_api[] = {
	FN(tn_socket),	    FN(tn_bind),	FN(tn_connect),	    FN(tn_listen),
	FN(tn_accept),	    FN(tn_accept4),	FN(tn_send),	    FN(tn_sendto),
	FN(tn_sendmsg),	    FN(tn_recv),	FN(tn_recvfrom),    FN(tn_recvmsg),
	FN(tn_read),	    FN(tn_write),	FN(tn_readv),	    FN(tn_writev),
	FN(tn_shutdown),    FN(tn_close),	FN(tn_getsockname), FN(tn_getpeername),
	FN(tn_setsockopt),  FN(tn_getsockopt),	FN(tn_fcntl),	    FN(tn_ioctl),
	FN(tn_poll),	    FN(tn_setns),	FN(tn_netns_add),   FN(tn_netns_del),
};
#undef FN

int conf_env_print_missing(void)
{
	int n = 0;

	for (size_t i = 0; i < sizeof(conf_api) / sizeof(conf_api[0]); i++)
		if (!conf_api[i].fn) {
			printf("%s\n", conf_api[i].name);
			n++;
		}
	return n;
}

void conf_env_case_begin(void)
{
	struct tn_stack_config cfg = { .virtual_time = 0, .seed = 1 };

	conf_st = tn_stack_create(&cfg);
	if (!conf_st) {
		printf("%s: tn_stack_create failed: %s\n", conf_case_name, strerror(errno));
		_exit(2);
	}
	if (tn_stack_start_thread(conf_st) < 0) {
		printf("%s: tn_stack_start_thread failed: %s\n", conf_case_name, strerror(errno));
		_exit(2);
	}
	/* As run.sh does for the kernel; a stack without the sysctl yet just
	 * answers the ping cases with its default. */
	conf_sysctl_set("net.ipv4.ping_group_range", "0 2147483647");
}

void conf_env_case_end(void)
{
	tn_stack_destroy(conf_st);
	conf_st = NULL;
}

long conf_sysctl_get(const char *name)
{
	char line[256], *out = NULL;
	size_t size = 0;
	long v = -1;

	FILE *f = open_memstream(&out, &size);
	if (!f)
		return -1;
	snprintf(line, sizeof(line), "sysctl -n %s", name);
	int rc = tn_command(conf_st, line, f);
	fclose(f);
	if (rc == 0 && out && sscanf(out, "%ld", &v) != 1)
		v = -1;
	free(out);
	return rc == 0 ? v : -1;
}

int conf_sysctl_set(const char *name, const char *value)
{
	char line[256];

	FILE *devnull = fopen("/dev/null", "w");
	if (!devnull)
		return -1;
	snprintf(line, sizeof(line), "sysctl -w %s=\"%s\"", name, value);
	int rc = tn_command(conf_st, line, devnull);
	fclose(devnull);
	return rc == 0 ? 0 : -1;
}
