/*
 * What an ICMP destination-unreachable code means to the socket whose
 * datagram it quotes (Linux's icmp_err_convert, net/ipv4/icmp.c), shared by
 * the transports' error handlers. "fatal" codes are hard errors: reported
 * on a connected socket even without IP_RECVERR (RFC 1122 4.1.3.3 leaves
 * the choice; Linux makes it by code, and we make it the same way).
 */
#include <errno.h>

#include "net/udp.h"
#include "net/wire/icmp.h"

const struct icmp_err icmp_err_convert[NR_ICMP_UNREACH + 1] = {
	{ ENETUNREACH, false },   /* ICMP_NET_UNREACH */
	{ EHOSTUNREACH, false },  /* ICMP_HOST_UNREACH */
	{ ENOPROTOOPT, true },    /* ICMP_PROT_UNREACH */
	{ ECONNREFUSED, true },   /* ICMP_PORT_UNREACH */
	{ EMSGSIZE, false },      /* ICMP_FRAG_NEEDED */
	{ EOPNOTSUPP, false },    /* ICMP_SR_FAILED */
	{ ENETUNREACH, true },    /* ICMP_NET_UNKNOWN */
	{ EHOSTDOWN, true },      /* ICMP_HOST_UNKNOWN */
	{ ENONET, true },         /* ICMP_HOST_ISOLATED */
	{ ENETUNREACH, true },    /* ICMP_NET_ANO */
	{ EHOSTUNREACH, true },   /* ICMP_HOST_ANO */
	{ ENETUNREACH, false },   /* ICMP_NET_UNR_TOS */
	{ EHOSTUNREACH, false },  /* ICMP_HOST_UNR_TOS */
	{ EHOSTUNREACH, true },   /* ICMP_PKT_FILTERED */
	{ EHOSTUNREACH, true },   /* ICMP_PREC_VIOLATION */
	{ EHOSTUNREACH, true },   /* ICMP_PREC_CUTOFF */
};
