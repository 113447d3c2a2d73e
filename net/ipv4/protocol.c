/*
 * The L3 -> L4 table (Linux's net/ipv4/protocol.c): one handler per IP
 * protocol number, per stack, filled by each transport at set-up (ICMP,
 * UDP, TCP) and read by ip_local_deliver_finish for every datagram. The
 * table belongs to the stack rather than to a namespace because a
 * transport's code is the same in every namespace; its state is not, and
 * lives in struct net.
 */
#include <errno.h>

#include "net/protocol.h"
#include "net/stack.h"

/* A slot takes one handler: a second registration is refused, as Linux's
 * cmpxchg on inet_protos[] refuses it. */
int inet_add_protocol(struct tn_stack *st, const struct net_protocol *prot, u8 protocol)
{
	if (!prot)
		return -EINVAL;
	if (st->inet_protos[protocol])
		return -EEXIST;
	st->inet_protos[protocol] = prot;
	return 0;
}

/* Only the owner of a slot may clear it. */
int inet_del_protocol(struct tn_stack *st, const struct net_protocol *prot, u8 protocol)
{
	if (st->inet_protos[protocol] != prot)
		return -ENOENT;
	st->inet_protos[protocol] = NULL;
	return 0;
}
