/*
 * The kernel side of ping and traceroute before sockets exist (what Linux's
 * net/ipv4/ping.c does for a ping socket): a pinger sends probes from a
 * namespace to one address and reports what comes back through a callback
 * that carries the stack's time.
 *
 * Probes are ICMP echo requests (ping) or UDP datagrams to port
 * base_port + n (traceroute's default probes, 33434 + n). Echo replies are
 * matched by identifier; ICMP errors (time exceeded, unreachable,
 * fragmentation needed with its MTU) are matched by the probe they quote,
 * which is why UDP probes need no UDP socket: the error carries our source
 * port back. The ping socket of the sockets layer will absorb this.
 *
 * The caller owns the struct pinger (pinger_init .. pinger_close) and must
 * close it before its namespace is destroyed. Everything runs under the
 * stack lock; the callback runs in softirq.
 */
#ifndef TN_NET_PING_H
#define TN_NET_PING_H

#include "net/compiler.h"
#include "net/icmp.h"

struct net;
struct pinger;

enum pinger_mode {
	PINGER_ICMP = 0,       /* echo requests */
	PINGER_UDP,            /* UDP datagrams to base_port + seq */
};

#define PINGER_UDP_BASE_PORT 33434
#define PINGER_DEFAULT_PAYLOAD 56     /* ping's -s default */
#define PINGER_HISTORY 64             /* probes whose send time is remembered */

struct pinger_config {
	enum pinger_mode mode;
	u32 daddr;             /* host order */
	u32 saddr;             /* 0: the route's preferred source (ping -I ADDR) */
	u16 id;                /* echo identifier or UDP source port; 0: pick a free one */
	u16 base_port;         /* UDP mode; 0: PINGER_UDP_BASE_PORT */
	u16 payload_len;       /* bytes after the ICMP/UDP header (ping -s) */
	u8 ttl;                /* 0: net.ipv4.ip_default_ttl (ping -t) */
	u8 tos;                /* ping -Q */
	u8 pmtudisc;           /* IP_PMTUDISC_* (ping -M dont|want|do|probe) */
	int oif;               /* 0: any (ping -I DEV) */
};

enum ping_event_kind {
	PING_EV_REPLY = 0,     /* an echo reply to one of our requests */
	PING_EV_ERROR,         /* an ICMP error quoting one of our probes */
};

struct ping_event {
	enum ping_event_kind kind;
	u16 seq;               /* echo sequence, or UDP probe number (port - base_port) */
	u32 from;              /* who sent it (host order) */
	u8 type, code;         /* ICMP type and code (ECHOREPLY, 0 for a reply) */
	u32 info;              /* FRAG_NEEDED: next-hop MTU; PARAMETERPROB: pointer */
	u8 ttl;                /* TTL of the packet that arrived */
	u16 len;               /* reply: payload bytes */
	u64 now_ns;            /* stack time it arrived */
	u64 sent_ns;           /* stack time the probe left, 0 if no longer known */
};

typedef void (*pinger_cb_t)(struct pinger *p, const struct ping_event *ev, void *arg);

struct pinger {
	struct icmp_echo_listener listener;
	struct pinger_config cfg;
	pinger_cb_t cb;
	void *arg;
	/* Send times of the last PINGER_HISTORY probes, by seq. */
	struct {
		u16 seq;
		bool valid;
		u64 sent_ns;
	} history[PINGER_HISTORY];
	u64 transmitted;       /* probes handed to IP */
	u64 received;          /* echo replies */
	u64 errors;            /* ICMP errors about our probes */
};

/* Register p in net. 0, -EADDRINUSE (id taken), -EINVAL (no daddr, payload
 * too large for one IP datagram). */
int pinger_init(struct pinger *p, struct net *net, const struct pinger_config *cfg,
		pinger_cb_t cb, void *arg);
/* Send probe seq with TTL ttl (0: the configured one). 0, or -errno from
 * routing (-ENETUNREACH ...) or from IP (-EMSGSIZE: DF and larger than
 * the path MTU, -ENOBUFS), as sendto() on a ping socket reports them. */
int pinger_send(struct pinger *p, u16 seq, u8 ttl);
void pinger_close(struct pinger *p);

#endif
