/*
 * Fuzz target for the Ethernet header view (include/net/wire/ethernet.h).
 *
 * Oracle: eth_parse() accepts exactly the inputs of at least ETH_HLEN bytes,
 * eth_emit() of the result gives the first ETH_HLEN bytes back, and the
 * address class helpers agree with each other (broadcast is multicast, a
 * valid unicast address is neither multicast nor zero).
 */
#include <stdlib.h>

#include "net/wire/ethernet.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

static void check_addr_class(const u8 *a)
{
	if (is_broadcast_ether_addr(a) && !is_multicast_ether_addr(a))
		abort();
	if (is_valid_ether_addr(a) && (is_multicast_ether_addr(a) || is_zero_ether_addr(a)))
		abort();
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct eth_repr r;
	u8 out[ETH_HLEN];
	u8 *buf = malloc(size ? size : 1);
	int rc;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	rc = eth_parse(buf, size, &r);
	if ((rc == 0) != (size >= ETH_HLEN))
		abort();
	if (rc == 0) {
		eth_emit(&r, out);
		if (memcmp(out, buf, ETH_HLEN))
			abort();
		check_addr_class(r.dst);
		check_addr_class(r.src);
	}
	free(buf);
	return 0;
}
