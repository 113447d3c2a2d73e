/*
 * Small parsing and lookup helpers shared by the commands: numbers,
 * IPv4 addresses and prefixes in the forms the Linux tools accept, and
 * names of devices and namespaces in the context's stack.
 *
 * They only read; nothing here changes the stack.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "net/stack.h"
#include "net/net_namespace.h"
#include "net/netdevice.h"
#include "tools/cmd/cmd.h"

bool tn_matches(const char *arg, const char *word)
{
	size_t n = strlen(arg);

	return n > 0 && n <= strlen(word) && strncmp(arg, word, n) == 0;
}

bool tn_parse_uint(const char *s, unsigned long max, unsigned long *v)
{
	char *end;

	if (!s || !*s || *s == '-' || *s == '+')
		return false;
	errno = 0;
	unsigned long long x = strtoull(s, &end, 0);
	if (errno || *end || x > max)
		return false;
	*v = (unsigned long)x;
	return true;
}

bool tn_cmd_parse_ipv4(const char *s, u32 *addr)
{
	struct in_addr a;

	/* inet_pton accepts exactly four decimal parts, as `ip` wants. */
	if (inet_pton(AF_INET, s, &a) != 1)
		return false;
	*addr = ntohl(a.s_addr);
	return true;
}

bool tn_cmd_parse_prefix(const char *s, u32 *addr, int *plen, bool *has_plen)
{
	char buf[64];
	const char *slash = strchr(s, '/');
	unsigned long p = 32;

	if (strlen(s) >= sizeof(buf))
		return false;
	snprintf(buf, sizeof(buf), "%s", s);
	if (slash) {
		buf[slash - s] = '\0';
		if (!tn_parse_uint(slash + 1, 32, &p))
			return false;
	}
	if (!tn_cmd_parse_ipv4(buf, addr))
		return false;
	*plen = (int)p;
	if (has_plen)
		*has_plen = slash != NULL;
	return true;
}

const char *tn_ipv4_str(u32 addr, char *buf)
{
	snprintf(buf, 16, "%u.%u.%u.%u", addr >> 24, (addr >> 16) & 0xff, (addr >> 8) & 0xff,
		 addr & 0xff);
	return buf;
}

const char *tn_errstr(int err)
{
	return strerror(err < 0 ? -err : err);
}

struct net_device *tn_cmd_dev(struct tn_cmd_ctx *ctx, const char *name)
{
	if (!name || strlen(name) >= IFNAMSIZ)
		return NULL;
	return __dev_get_by_name(ctx->net, name);
}

struct net *tn_cmd_netns(struct tn_cmd_ctx *ctx, const char *name)
{
	if (!name || !*name)
		return NULL;
	return net_get_by_name(ctx->st, name);
}
