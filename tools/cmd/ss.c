/*
 * ss(8) for TCP and UDP (iproute2 6.1's `ss -t`, `ss -u`): the sockets of
 * the namespace's lookup tables, as inet_diag dumps them — TCP listeners,
 * then the established hash (full sockets, request socks as SYN-RECV,
 * timewait socks); UDP sockets by port, UNCONN unless connected.
 *
 *   ss [-t] [-u] [-a | -l] [-n] [-i] [-m] [-o] [-e] [-p]
 *
 *   State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess
 *   LISTEN 0      128          0.0.0.0:5201      0.0.0.0:*
 *   ESTAB  0      0           10.0.0.1:40002    10.0.0.2:5201
 *            cubic wscale:7,7 rto:204 rtt:1.5/0.75 mss:1448 cwnd:10 ...
 *
 * Recv-Q/Send-Q are unread/unacknowledged bytes, and for a listener the
 * accept queue and its limit (backlog). Without -a, listening, closed,
 * TIME-WAIT and SYN-RECV sockets are left out; -l shows listeners only.
 * -i prints TCP_INFO as ss does, -m the socket memory (skmem), -o the
 * timer. Names are never resolved (as with -n). Columns are as wide as
 * their widest entry, one space apart (ss on a pipe); the Process column
 * stays empty (-p is accepted: a scenario has no processes). With both -t
 * and -u a Netid column comes first, as in ss.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "net/skbuff.h"
#include "net/tcp.h"
#include "net/inet_hashtables.h"
#include "net/udp.h"
#include "net/inet_frag.h"
#include "lib/slab.h"
#include "net/net_namespace.h"
#include "net/stack.h"
#include "tools/cmd/cmd.h"

#define SS_MAX_ROWS 65536

struct ss_opts {
	bool all, listening, info, mem, timers, ext, tcp, udp, summary;
};

struct ss_row {
	struct sock_common *skc;
	bool udp;
	char state[16], rq[16], sq[16], laddr[24], lport[8], paddr[24], pport[8];
};

struct ss_table {
	struct ss_row *rows;
	size_t n, cap;
	const struct ss_opts *o;
	struct net *net;
};

static const char *const ss_state_name[TCP_MAX_STATES] = {
	[TCP_ESTABLISHED] = "ESTAB", [TCP_SYN_SENT] = "SYN-SENT", [TCP_SYN_RECV] = "SYN-RECV",
	[TCP_FIN_WAIT1] = "FIN-WAIT-1", [TCP_FIN_WAIT2] = "FIN-WAIT-2",
	[TCP_TIME_WAIT] = "TIME-WAIT", [TCP_CLOSE] = "UNCONN", [TCP_CLOSE_WAIT] = "CLOSE-WAIT",
	[TCP_LAST_ACK] = "LAST-ACK", [TCP_LISTEN] = "LISTEN", [TCP_CLOSING] = "CLOSING",
	[TCP_NEW_SYN_RECV] = "SYN-RECV",
};

/* ss's default filter: connections, not listeners, TIME-WAIT or SYN-RECV.
 * For UDP, "listening" is an unconnected socket (ss's SS_LISTEN covers
 * TCP_CLOSE for datagram sockets). */
static bool ss_wanted(const struct ss_opts *o, int state, bool udp)
{
	if (o->listening)
		return state == (udp ? TCP_CLOSE : TCP_LISTEN);
	if (o->all)
		return true;
	return !(TCPF(state) & (TCPF(TCP_LISTEN) | TCPF(TCP_CLOSE) | TCPF(TCP_TIME_WAIT) |
				TCPF(TCP_SYN_RECV) | TCPF(TCP_NEW_SYN_RECV)));
}

static void ss_queues(struct sock_common *skc, char *rq, char *sq)
{
	struct sock *sk = (struct sock *)skc;
	const struct tcp_sock *tp = tcp_sk(sk);

	if (skc->skc_state == TCP_LISTEN) {
		sprintf(rq, "%u", sk->sk_ack_backlog);
		sprintf(sq, "%u", sk->sk_max_ack_backlog);
	} else if (TCPF(skc->skc_state) & (TCPF(TCP_TIME_WAIT) | TCPF(TCP_NEW_SYN_RECV))) {
		strcpy(rq, "0");
		strcpy(sq, "0");
	} else {
		sprintf(rq, "%d", TN_MAX((int)(tp->rcv_nxt - tp->copied_seq), 0));
		sprintf(sq, "%d", TN_MAX((int)(tp->write_seq - tp->snd_una), 0));
	}
}

static struct ss_row *ss_add(struct ss_table *t, struct sock_common *skc, bool udp)
{
	struct ss_row *r;

	if (!ss_wanted(t->o, skc->skc_state, udp) || t->n >= SS_MAX_ROWS)
		return NULL;
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		struct ss_row *rows = realloc(t->rows, cap * sizeof(*rows));
		if (!rows)
			return NULL;
		t->rows = rows;
		t->cap = cap;
	}
	r = &t->rows[t->n++];
	memset(r, 0, sizeof(*r));
	r->skc = skc;
	r->udp = udp;
	snprintf(r->state, sizeof(r->state), "%s", ss_state_name[skc->skc_state]);
	tn_ipv4_str(skc->skc_rcv_saddr, r->laddr);
	snprintf(r->lport, sizeof(r->lport), "%u", skc->skc_num);
	tn_ipv4_str(skc->skc_daddr, r->paddr);
	if (skc->skc_state == TCP_LISTEN || (udp && skc->skc_state == TCP_CLOSE))
		strcpy(r->pport, "*");
	else
		snprintf(r->pport, sizeof(r->pport), "%u", skc->skc_dport);
	return r;
}

static void ss_walk_tcp(struct net *net, struct ss_table *t)
{
	struct inet_hashinfo *h = net->ipv4.tcp ? net->ipv4.tcp->hashinfo : NULL;
	struct sock_common *skc;
	struct ss_row *r;

	if (!h)
		return;
	for (unsigned int i = 0; i < INET_LHTABLE_SIZE; i++)
		hlist_for_each_entry(skc, &h->lhash[i], skc_node)
			if ((r = ss_add(t, skc, false)))
				ss_queues(skc, r->rq, r->sq);
	for (unsigned int i = 0; i <= h->ehash_mask; i++)
		hlist_for_each_entry(skc, &h->ehash[i], skc_node)
			if ((r = ss_add(t, skc, false)))
				ss_queues(skc, r->rq, r->sq);
}

/* UDP: Recv-Q and Send-Q are the memory the queues hold (udp_diag's
 * sk_rmem_alloc_get / sk_wmem_alloc_get), not bytes of data. */
static void ss_walk_udp(struct net *net, struct ss_table *t)
{
	struct udp_table *ut = net->ipv4.udp_table;
	struct sock_common *skc;
	struct ss_row *r;

	if (!ut)
		return;
	for (unsigned int i = 0; i < UDP_HTABLE_SIZE; i++)
		hlist_for_each_entry(skc, &ut->hash[i].head, skc_bind_node)
			if ((r = ss_add(t, skc, true))) {
				sprintf(r->rq, "%d", sk_rmem_alloc_get((struct sock *)skc));
				sprintf(r->sq, "%d", sk_wmem_alloc_get((struct sock *)skc));
			}
}

static void ss_walk(struct net *net, struct ss_table *t)
{
	if (t->o->tcp)
		ss_walk_tcp(net, t);
	if (t->o->udp)
		ss_walk_udp(net, t);
}

/* ---- the details ---------------------------------------------------- */

/* iproute2's print_ms-like timer text. */
static void ss_time(char *buf, size_t len, s64 ms)
{
	if (ms < 0)
		ms = 0;
	if (ms >= 60000 * 10)
		snprintf(buf, len, "%lldmin", (long long)(ms / 60000));
	else if (ms >= 10000)
		snprintf(buf, len, "%lldsec", (long long)(ms / 1000));
	else
		snprintf(buf, len, "%lldms", (long long)ms);
}

static void ss_print_timer(FILE *out, struct net *net, struct sock_common *skc)
{
	u64 now = jiffies(net->stack);
	char tb[32];

	if (skc->skc_state == TCP_TIME_WAIT) {
		struct inet_timewait_sock *tw = (struct inet_timewait_sock *)skc;

		ss_time(tb, sizeof(tb), timer_pending(&tw->tw_timer) ? (s64)(tw->tw_timer.expires - now) : 0);
		fprintf(out, " timer:(timewait,%s,0)", tb);
		return;
	}
	if (skc->skc_state == TCP_NEW_SYN_RECV || skc->skc_state == TCP_LISTEN)
		return;
	struct inet_connection_sock *icsk = inet_csk((struct sock *)skc);
	if (icsk->icsk_pending && timer_pending(&icsk->icsk_retransmit_timer)) {
		const char *what = icsk->icsk_pending == ICSK_TIME_PROBE0 ? "persist" : "on";

		ss_time(tb, sizeof(tb), (s64)(icsk->icsk_timeout - now));
		fprintf(out, " timer:(%s,%s,%u)", what, tb, icsk->icsk_retransmits);
	}
}

static void ss_print_mem(FILE *out, struct sock *sk)
{
	fprintf(out, " skmem:(r%d,rb%d,t%d,tb%d,f%d,w%d,o0,bl0,d%u)", sk->sk_rmem_alloc,
		sk->sk_rcvbuf, sk_wmem_alloc_get(sk), sk->sk_sndbuf, sk->sk_forward_alloc,
		sk->sk_wmem_queued, sk->sk_drops);
}

#define SS_U(name, v) do { if (v) fprintf(out, " " name ":%llu", (unsigned long long)(v)); } while (0)

static void ss_print_rate(FILE *out, const char *what, double bps)
{
	if (bps >= 1e9)
		fprintf(out, " %s %.3gGbps", what, bps / 1e9);
	else if (bps >= 1e6)
		fprintf(out, " %s %.3gMbps", what, bps / 1e6);
	else if (bps >= 1e3)
		fprintf(out, " %s %.3gKbps", what, bps / 1e3);
	else
		fprintf(out, " %s %.0fbps", what, bps);
}

/* iproute2's tcp_show_info, in its order. */
static void ss_print_info(FILE *out, struct sock *sk)
{
	const struct tcp_congestion_ops *ca = inet_csk(sk)->icsk_ca_ops;
	struct tn_tcp_info i;

	tcp_get_info(sk, &i);
	if (i.tcpi_options & TCPI_OPT_TIMESTAMPS)
		fprintf(out, " ts");
	if (i.tcpi_options & TCPI_OPT_SACK)
		fprintf(out, " sack");
	if (ca)
		fprintf(out, " %s", ca->name);
	if (i.tcpi_options & TCPI_OPT_WSCALE)
		fprintf(out, " wscale:%u,%u", i.tcpi_snd_wscale, i.tcpi_rcv_wscale);
	fprintf(out, " rto:%g", i.tcpi_rto / 1000.0);
	if (i.tcpi_backoff)
		fprintf(out, " backoff:%u", i.tcpi_backoff);
	fprintf(out, " rtt:%g/%g", i.tcpi_rtt / 1000.0, i.tcpi_rttvar / 1000.0);
	if (i.tcpi_ato)
		fprintf(out, " ato:%g", i.tcpi_ato / 1000.0);
	fprintf(out, " mss:%u pmtu:%u rcvmss:%u advmss:%u cwnd:%u", i.tcpi_snd_mss, i.tcpi_pmtu,
		i.tcpi_rcv_mss, i.tcpi_advmss, i.tcpi_snd_cwnd);
	if (i.tcpi_snd_ssthresh < 0xffff)
		fprintf(out, " ssthresh:%u", i.tcpi_snd_ssthresh);
	SS_U("bytes_sent", i.tcpi_bytes_sent);
	SS_U("bytes_retrans", i.tcpi_bytes_retrans);
	SS_U("bytes_acked", i.tcpi_bytes_acked);
	SS_U("bytes_received", i.tcpi_bytes_received);
	SS_U("segs_out", i.tcpi_segs_out);
	SS_U("segs_in", i.tcpi_segs_in);
	SS_U("data_segs_out", i.tcpi_data_segs_out);
	SS_U("data_segs_in", i.tcpi_data_segs_in);
	if (i.tcpi_rtt)
		ss_print_rate(out, "send", (double)i.tcpi_snd_cwnd * i.tcpi_snd_mss * 8e6 / i.tcpi_rtt);
	SS_U("lastsnd", i.tcpi_last_data_sent);
	SS_U("lastrcv", i.tcpi_last_data_recv);
	SS_U("lastack", i.tcpi_last_ack_recv);
	SS_U("delivered", i.tcpi_delivered);
	SS_U("unacked", i.tcpi_unacked);
	if (i.tcpi_retrans || i.tcpi_total_retrans)
		fprintf(out, " retrans:%u/%u", i.tcpi_retrans, i.tcpi_total_retrans);
	SS_U("lost", i.tcpi_lost);
	SS_U("sacked", i.tcpi_sacked);
	SS_U("dsack_dups", i.tcpi_dsack_dups);
	if (i.tcpi_reordering != 3)
		fprintf(out, " reordering:%u", i.tcpi_reordering);
	if (i.tcpi_rcv_rtt)
		fprintf(out, " rcv_rtt:%g", i.tcpi_rcv_rtt / 1000.0);
	SS_U("rcv_space", i.tcpi_rcv_space);
	SS_U("rcv_ssthresh", i.tcpi_rcv_ssthresh);
	if (i.tcpi_min_rtt && i.tcpi_min_rtt != ~0u)
		fprintf(out, " minrtt:%g", i.tcpi_min_rtt / 1000.0);
	SS_U("rcv_ooopack", i.tcpi_rcv_ooopack);
	SS_U("snd_wnd", i.tcpi_snd_wnd);
	SS_U("rcv_wnd", i.tcpi_rcv_wnd);
}

static bool ss_full_sock(const struct sock_common *skc)
{
	return !(TCPF(skc->skc_state) & (TCPF(TCP_TIME_WAIT) | TCPF(TCP_NEW_SYN_RECV)));
}

/* ---- printing ----------------------------------------------------------- */

struct ss_widths {
	int state, rq, sq, laddr, lport, paddr, pport;
};

static void ss_measure(const struct ss_table *t, struct ss_widths *w)
{
	*w = (struct ss_widths){ 5, 6, 6, 13, 4, 12, 4 };
	for (size_t i = 0; i < t->n; i++) {
		const struct ss_row *r = &t->rows[i];
		w->state = TN_MAX(w->state, (int)strlen(r->state));
		w->rq = TN_MAX(w->rq, (int)strlen(r->rq));
		w->sq = TN_MAX(w->sq, (int)strlen(r->sq));
		w->laddr = TN_MAX(w->laddr, (int)strlen(r->laddr));
		w->lport = TN_MAX(w->lport, (int)strlen(r->lport));
		w->paddr = TN_MAX(w->paddr, (int)strlen(r->paddr));
		w->pport = TN_MAX(w->pport, (int)strlen(r->pport));
	}
}

static void ss_print_row(FILE *out, const struct ss_table *t, const struct ss_widths *w,
			 const struct ss_row *r)
{
	if (t->o->tcp && t->o->udp)
		fprintf(out, "%-5s ", r->udp ? "udp" : "tcp");
	/* The empty Process column pads the row to its header's width. */
	fprintf(out, "%-*s %-*s %-*s %*s:%-*s %*s:%-*s%-7s", w->state, r->state, w->rq, r->rq,
		w->sq, r->sq, w->laddr, r->laddr, w->lport, r->lport, w->paddr, r->paddr,
		w->pport, r->pport, "");
	if (t->o->timers)
		ss_print_timer(out, t->net, r->skc);
	if ((t->o->mem || t->o->info) && !r->udp && ss_full_sock(r->skc)) {
		fprintf(out, "\n\t");
		if (t->o->mem)
			ss_print_mem(out, (struct sock *)r->skc);
		if (t->o->info && r->skc->skc_state != TCP_LISTEN)
			ss_print_info(out, (struct sock *)r->skc);
	}
	fputc('\n', out);
}

static void ss_print(FILE *out, const struct ss_table *t)
{
	struct ss_widths w;

	ss_measure(t, &w);
	if (t->o->tcp && t->o->udp)
		fputs("Netid ", out);
	fprintf(out, "%-*s %-*s %-*s %*s:%-*s %*s:%-*sProcess\n", w.state, "State", w.rq, "Recv-Q", w.sq,
		"Send-Q", w.laddr, "Local Address", w.lport, "Port", w.paddr, "Peer Address",
		w.pport, "Port");
	for (size_t i = 0; i < t->n; i++)
		ss_print_row(out, t, &w, &t->rows[i]);
}

static int ss_parse(struct tn_cmd_ctx *ctx, struct ss_opts *o, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (a[0] != '-' || !a[1]) {
			tn_cmd_err(ctx, "ss: filters are not supported: \"%s\"", a);
			return 1;
		}
		for (const char *f = a + 1; *f; f++) {
			switch (*f) {
			case 'n': case '4': case 'p': break;
			case 't': o->tcp = true; break;
			case 'u': o->udp = true; break;
			case 'a': o->all = true; break;
			case 'l': o->listening = true; break;
			case 'i': o->info = true; break;
			case 'm': o->mem = true; break;
			case 'o': o->timers = true; break;
			case 'e': o->ext = true; break;
			case 's': o->summary = true; break;
			default:
				tn_cmd_err(ctx, "ss: invalid option -- '%c'", *f);
				return 1;
			}
		}
	}
	return 0;
}

/* Live TCP socks of the stack (Linux's tcp_sockets_allocated): the object
 * cache of tcp_sock's size. */
static u64 ss_tcp_allocated(const struct tn_stack *st)
{
	size_t size = (sizeof(struct tcp_sock) + KMEM_ALIGN - 1) / KMEM_ALIGN * KMEM_ALIGN;

	for (unsigned int i = 0; i < SK_CACHE_CLASSES; i++)
		if (st->sk_cache->cls[i].size == size)
			return st->sk_cache->cls[i].active;
	return 0;
}

/*
 * ss -s, as iproute2 prints it from /proc/net/sockstat and Tcp CurrEstab:
 * "Total" is every socket of the stack and TCP's first figure every TCP
 * sock alive (both stack-wide, as Linux's counters are system-wide); the
 * rest is this namespace's: hashed TCP socks (listeners and connections,
 * not TIME-WAIT), established (ESTABLISHED and CLOSE-WAIT, CurrEstab),
 * orphans, TIME-WAIT socks, bound UDP sockets, reassembly queues. No IPv6
 * and no raw sockets in tuxnet: their columns are 0.
 */
static int ss_summary(struct net *net, FILE *out)
{
	struct inet_hashinfo *h = net->ipv4.tcp ? net->ipv4.tcp->hashinfo : NULL;
	struct udp_table *ut = net->ipv4.udp_table;
	struct tn_stack *st = net->stack;
	struct sock_common *skc;
	int tcp_total = (int)ss_tcp_allocated(st), hashed = 0, estab = 0, udp = 0;
	int tws = net->ipv4.tcp ? (int)net->ipv4.tcp->tw_count : 0;
	int orphans = net->ipv4.tcp ? (int)net->ipv4.tcp->orphan_count : 0;
	int frags = (int)ip_frag_nqueues(net);

	if (h) {
		for (unsigned int i = 0; i < INET_LHTABLE_SIZE; i++)
			hlist_for_each_entry(skc, &h->lhash[i], skc_node)
				hashed++;
		for (unsigned int i = 0; i <= h->ehash_mask; i++)
			hlist_for_each_entry(skc, &h->ehash[i], skc_node) {
				if (skc->skc_state == TCP_TIME_WAIT)
					continue;
				hashed++;
				if (skc->skc_state == TCP_ESTABLISHED || skc->skc_state == TCP_CLOSE_WAIT)
					estab++;
			}
	}
	if (ut)
		for (unsigned int i = 0; i < UDP_HTABLE_SIZE; i++)
			hlist_for_each_entry(skc, &ut->hash[i].head, skc_bind_node)
				udp++;
	fprintf(out, "Total: %llu\n", (unsigned long long)st->sk_cache->socket.active);
	fprintf(out, "TCP:   %d (estab %d, closed %d, orphaned %d, timewait %d)\n", tcp_total, estab,
		tcp_total - (hashed - tws), orphans, tws);
	fprintf(out, "\n");
	fprintf(out, "Transport Total     IP        IPv6\n");
	fprintf(out, "RAW\t  %-9d %-9d %-9d\n", 0, 0, 0);
	fprintf(out, "UDP\t  %-9d %-9d %-9d\n", udp, udp, 0);
	fprintf(out, "TCP\t  %-9d %-9d %-9d\n", hashed, hashed, 0);
	fprintf(out, "INET\t  %-9d %-9d %-9d\n", udp + hashed, udp + hashed, 0);
	fprintf(out, "FRAG\t  %-9d %-9d %-9d\n", frags, frags, 0);
	fprintf(out, "\n");
	return 0;
}

int do_ss(struct tn_cmd_ctx *ctx, int argc, char **argv, FILE *out)
{
	struct ss_opts o = { 0 };
	struct ss_table t = { .o = &o, .net = ctx->net };
	int status = ss_parse(ctx, &o, argc, argv);

	if (status)
		return status;
	if (o.summary)
		return ss_summary(ctx->net, out);
	/* Without -t or -u, ss lists every kind; tuxnet has these two. */
	if (!o.tcp && !o.udp)
		o.tcp = o.udp = true;
	ss_walk(ctx->net, &t);
	ss_print(out, &t);
	free(t.rows);
	return 0;
}
