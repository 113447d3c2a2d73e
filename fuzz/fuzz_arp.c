/*
 * Fuzz target for the ARP header view (include/net/wire/arp.h) on its own.
 *
 * Oracle: whatever arp_parse() accepts must survive a round trip. The
 * emitted 28 bytes are the input's first 28 (an accepted packet is
 * Ethernet/IPv4, so every field the view keeps is every field there is),
 * except the hardware type: IEEE 802 (6) is accepted as Linux accepts it on
 * Ethernet devices, and emitted as Ethernet (1). Parsing the output again
 * gives the same representation. Rejections must be one of the documented
 * codes. The sanitizers catch reads past the end.
 */
#include <stdio.h>
#include <stdlib.h>

#include "net/wire/arp.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

static bool arp_repr_equal(const struct arp_repr *a, const struct arp_repr *b)
{
	return a->op == b->op && a->spa == b->spa && a->tpa == b->tpa &&
	       !memcmp(a->sha, b->sha, sizeof(a->sha)) &&
	       !memcmp(a->tha, b->tha, sizeof(a->tha));
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct arp_repr r, again;
	u8 out[ARP_ETH_IPV4_LEN];
	int rc;

	/* A copy of exactly size bytes, so ASan sees any over-read. */
	u8 *buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	rc = arp_parse(buf, size, &r);
	if (rc == ARP_PARSE_OK) {
		if (size < ARP_ETH_IPV4_LEN)
			abort();   /* accepted a truncated packet */
		arp_emit(&r, out);
		if (get_be16(out) != 1 || (get_be16(buf) != 1 && get_be16(buf) != 6))
			abort();   /* hardware type neither Ethernet nor IEEE 802 */
		if (memcmp(out + 2, buf + 2, sizeof(out) - 2))
			abort();   /* emit does not give back what parse read */
		if (arp_parse(out, sizeof(out), &again) != ARP_PARSE_OK ||
		    !arp_repr_equal(&r, &again))
			abort();
	} else if (rc != ARP_PARSE_TRUNCATED && rc != ARP_PARSE_UNSUPPORTED) {
		abort();
	}
	free(buf);
	return 0;
}
