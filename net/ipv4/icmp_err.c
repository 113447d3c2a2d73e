/*
 * What an ICMP destination-unreachable code means to the socket whose
 * datagram it quotes (Linux's icmp_err_convert, net/ipv4/icmp.c), shared by
 * the transports' error handlers. "fatal" codes are hard errors: reported
 * on a connected socket even without IP_RECVERR (RFC 1122 4.1.3.3 leaves
 * the choice; Linux makes it by code, and we make it the same way).
 */
#include <errno.h>

#include "net/udp.h"
#include "net/inet_sock.h"
#include "net/ip.h"
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

/*
 * The errno a datagram socket reports for an ICMP error about one of its
 * packets, and whether it is hard: the part Linux's __udp4_lib_err and
 * ping_err share. Source quench and redirects are the callers' to decide.
 * false: nothing to report (fragmentation needed with PMTU discovery off).
 */
bool icmp_err_to_errno(const struct sock *sk, u8 type, u8 code, int *err, bool *harderr)
{
	*harderr = false;
	switch (type) {
	case ICMP_PARAMETERPROB:
		*err = EPROTO;
		*harderr = true;
		return true;
	case ICMP_DEST_UNREACH:
		if (code == ICMP_FRAG_NEEDED) {
			if (inet_sk(sk)->pmtudisc == IP_PMTUDISC_DONT)
				return false;
			*err = EMSGSIZE;
			*harderr = true;
			return true;
		}
		*err = EHOSTUNREACH;
		if (code <= NR_ICMP_UNREACH) {
			*harderr = icmp_err_convert[code].fatal;
			*err = icmp_err_convert[code].errno_;
		}
		return true;
	case ICMP_TIME_EXCEEDED:
	default:
		*err = EHOSTUNREACH;
		return true;
	}
}
