/*
 * Names of the drop reasons, generated from the DEFINE_DROP_REASON X-macro
 * list in dropreason.h so that the enum and its names can never disagree.
 * The names are Linux's, without the SKB_DROP_REASON_ prefix, as dropwatch
 * and `perf trace -e skb:kfree_skb` print them. This module only names
 * reasons; counting them is kfree_skb_reason()'s job (skbuff.c).
 */
#include "net/dropreason.h"
#include "net/compiler.h"

/* Indexed by the enum value. The two values that are not drops have an
 * empty name: a tool listing drops skips them. */
static const char *const drop_reason_names[SKB_DROP_REASON_MAX] = {
	[SKB_NOT_DROPPED_YET] = "",
	[SKB_CONSUMED] = "",
#define FN(reason) [SKB_DROP_REASON_##reason] = #reason,
	DEFINE_DROP_REASON(FN)
#undef FN
};

const char *skb_drop_reason_name(enum skb_drop_reason r)
{
	/* A value outside the enum names nothing; answering "" rather than
	 * crashing keeps a tool that prints a corrupted record alive. */
	if ((unsigned int)r >= ARRAY_SIZE(drop_reason_names))
		return "";
	return drop_reason_names[r];
}
