/*
 * The acceptance test of the foundation: two namespaces joined by a veth
 * pair, 10.0.0.1/24 and 10.0.0.2/24, resolve each other with ARP while a
 * capture runs on each end. Both neighbour entries end REACHABLE with the
 * peer's MAC; both pcap files hold the request and the reply of each
 * direction, the same bytes on both ends of the wire; and Wireshark's own
 * dissector (tshark) decodes them as ARP and finds nothing malformed.
 *
 * The addresses exist only inside the stack's in-process namespaces: nothing
 * touches the host's network configuration.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <pcap/pcap.h>

#include "tn_test.h"
#include "net/capture.h"
#include "net/veth.h"
#include "net/etherdevice.h"
#include "net/inetdevice.h"
#include "net/arp.h"
#include "net/wire/arp.h"

#define IP_A 0x0a000001u   /* 10.0.0.1 */
#define IP_B 0x0a000002u   /* 10.0.0.2 */
#define MAX_RECS 32

struct side {
	struct net *net;
	struct net_device *dev;
	struct tn_capture *cap;
	char pcap[128];
	u32 ip;
};

struct world {
	struct tn_stack *st;
	char dir[64];
	struct side a, b;
};

struct rec {
	u32 len;
	u8 data[128];
};

static void side_init(struct world *w, struct side *s, const char *name, u32 ip)
{
	int err = 0;

	s->net = net_create(w->st, name, &err);
	assert_non_null(s->net);
	s->ip = ip;
	snprintf(s->pcap, sizeof(s->pcap), "%s/%s.pcap", w->dir, name);
}

static void side_up(struct side *s)
{
	int err = 0;

	assert_int_equal(inet_addr_add(s->dev, s->ip, 24, inet_default_broadcast(s->ip, 24),
				       RT_SCOPE_UNIVERSE, NULL), 0);
	s->cap = tn_capture_open(s->net, s->dev->name, s->pcap, 0, 0, &err);
	assert_non_null(s->cap);
	assert_int_equal(err, 0);
}

/* ns "a" holds veth0 (10.0.0.1), ns "b" holds veth1 (10.0.0.2), both
 * captured from before their link comes up. */
static void world_build(struct world *w)
{
	const char *tmp = getenv("TMPDIR");

	memset(w, 0, sizeof(*w));
	snprintf(w->dir, sizeof(w->dir), "%s/tn-veth-arp-XXXXXX", tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(w->dir));
	w->st = tn_test_stack_new();
	side_init(w, &w->a, "a", IP_A);
	side_init(w, &w->b, "b", IP_B);
	assert_int_equal(veth_newlink(w->a.net, "veth0", w->b.net, "veth1", &w->a.dev, &w->b.dev), 0);
	side_up(&w->a);
	side_up(&w->b);
	assert_int_equal(dev_open(w->a.dev), 0);
	assert_int_equal(dev_open(w->b.dev), 0);
	tn_test_run(w->st, 10);
}

static struct neighbour *resolve_start(struct side *from, const struct side *to)
{
	u8 key[4];
	struct neighbour *n;

	put_be32(key, to->ip);
	n = __neigh_lookup(arp_tbl(from->net), key, from->dev, true);
	assert_non_null(n);
	neigh_event_send(n, NULL);
	return n;
}

/* Resolve both ways at once, then let virtual time run until both entries
 * are confirmed (a STALE entry learnt from the peer's request goes through
 * DELAY and a unicast probe first: a few seconds at most). */
static void world_resolve(struct world *w)
{
	struct neighbour *na = resolve_start(&w->a, &w->b);
	struct neighbour *nb = resolve_start(&w->b, &w->a);

	for (int ms = 0; ms < 10000; ms += 100) {
		if (na->nud_state == NUD_REACHABLE && nb->nud_state == NUD_REACHABLE)
			break;
		tn_test_run(w->st, 100);
	}
	assert_string_equal(neigh_state_name(na->nud_state), "REACHABLE");
	assert_string_equal(neigh_state_name(nb->nud_state), "REACHABLE");
	assert_memory_equal(na->ha, w->b.dev->dev_addr, ETH_ALEN);
	assert_memory_equal(nb->ha, w->a.dev->dev_addr, ETH_ALEN);
	neigh_release(na);
	neigh_release(nb);
	tn_capture_close(w->a.cap);
	tn_capture_close(w->b.cap);
	w->a.cap = w->b.cap = NULL;
}

/* Every namespace and device this test made goes, on the success path;
 * a failed assertion ends the process, and with it everything. */
static void world_destroy(struct world *w)
{
	net_destroy(w->a.net);
	net_destroy(w->b.net);
	tn_test_stack_free(w->st);
	unlink(w->a.pcap);
	unlink(w->b.pcap);
	rmdir(w->dir);
}

static int read_pcap(const char *path, struct rec *recs, int max)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(path, errbuf);
	struct pcap_pkthdr *h;
	const u_char *data;
	int n = 0;

	assert_non_null(p);
	assert_int_equal(pcap_datalink(p), DLT_EN10MB);
	while (pcap_next_ex(p, &h, &data) == 1) {
		assert_true(n < max);
		assert_int_equal(h->caplen, h->len);
		assert_true(h->len <= sizeof(recs[n].data));
		recs[n].len = h->len;
		memcpy(recs[n].data, data, h->len);
		n++;
	}
	pcap_close(p);
	return n;
}

/* Does the capture hold an ARP op from->to, sent by MAC sha? */
static bool has_arp(const struct rec *recs, int n, u16 op, u32 spa, u32 tpa, const u8 *sha)
{
	for (int i = 0; i < n; i++) {
		struct eth_repr eth;
		struct arp_repr arp;

		if (eth_parse(recs[i].data, recs[i].len, &eth) || eth.ethertype != ETH_P_ARP)
			continue;
		if (arp_parse(recs[i].data + ETH_HLEN, recs[i].len - ETH_HLEN, &arp))
			continue;
		if (arp.op == op && arp.spa == spa && arp.tpa == tpa &&
		    ether_addr_equal(arp.sha, sha) && ether_addr_equal(eth.src, sha))
			return true;
	}
	return false;
}

static bool has_rec(const struct rec *recs, int n, const struct rec *r)
{
	for (int i = 0; i < n; i++)
		if (recs[i].len == r->len && !memcmp(recs[i].data, r->data, r->len))
			return true;
	return false;
}

static void veth_arp_both_ways_reachable_and_captured(void **state)
{
	struct world w;
	struct rec ra[MAX_RECS], rb[MAX_RECS];
	const u8 *mac_a, *mac_b;
	int na, nb;

	world_build(&w);
	world_resolve(&w);
	mac_a = w.a.dev->dev_addr;
	mac_b = w.b.dev->dev_addr;
	na = read_pcap(w.a.pcap, ra, MAX_RECS);
	nb = read_pcap(w.b.pcap, rb, MAX_RECS);

	/* Each end saw both requests and both replies... */
	assert_true(has_arp(ra, na, ARPOP_REQUEST, IP_A, IP_B, mac_a));
	assert_true(has_arp(ra, na, ARPOP_REPLY, IP_B, IP_A, mac_b));
	assert_true(has_arp(ra, na, ARPOP_REQUEST, IP_B, IP_A, mac_b));
	assert_true(has_arp(ra, na, ARPOP_REPLY, IP_A, IP_B, mac_a));
	assert_true(has_arp(rb, nb, ARPOP_REQUEST, IP_A, IP_B, mac_a));
	assert_true(has_arp(rb, nb, ARPOP_REPLY, IP_B, IP_A, mac_b));
	assert_true(has_arp(rb, nb, ARPOP_REQUEST, IP_B, IP_A, mac_b));
	assert_true(has_arp(rb, nb, ARPOP_REPLY, IP_A, IP_B, mac_a));
	/* ...and a veth pair is a wire: what left one end arrived at the
	 * other, byte for byte. */
	assert_int_equal(na, nb);
	for (int i = 0; i < na; i++)
		assert_true(has_rec(rb, nb, &ra[i]));
	world_destroy(&w);
}

/* The whole file, bytes and length. */
static u8 *slurp(const char *path, long *len)
{
	FILE *f = fopen(path, "rb");
	u8 *buf;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	*len = ftell(f);
	rewind(f);
	buf = malloc((size_t)*len + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)*len, f), (size_t)*len);
	fclose(f);
	return buf;
}

/* Virtual time and a seeded PRNG (the veth MACs): the same world run twice
 * writes the same pcap, timestamps included. */
static void veth_arp_capture_is_deterministic(void **state)
{
	u8 *first[2], *second[2];
	long len1[2], len2[2];
	struct world w;

	world_build(&w);
	world_resolve(&w);
	first[0] = slurp(w.a.pcap, &len1[0]);
	first[1] = slurp(w.b.pcap, &len1[1]);
	world_destroy(&w);
	world_build(&w);
	world_resolve(&w);
	second[0] = slurp(w.a.pcap, &len2[0]);
	second[1] = slurp(w.b.pcap, &len2[1]);
	world_destroy(&w);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(len1[i], len2[i]);
		assert_memory_equal(first[i], second[i], (size_t)len1[i]);
		free(first[i]);
		free(second[i]);
	}
}

static bool tshark_available(void)
{
	return system("command -v tshark >/dev/null 2>&1") == 0;
}

/* Run a command, return its standard output (caller frees). */
static char *run_capture_output(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	size_t cap = 4096, len = 0, got;
	char *out = malloc(cap);

	assert_non_null(p);
	assert_non_null(out);
	while ((got = fread(out + len, 1, cap - len - 1, p)) > 0) {
		len += got;
		if (cap - len <= 1) {
			cap *= 2;
			out = realloc(out, cap);
			assert_non_null(out);
		}
	}
	out[len] = 0;
	assert_int_equal(pclose(p), 0);
	return out;
}

/* tshark's "-T fields" line of an ARP packet: opcode, sender, target. */
static bool tshark_has(const char *out, int op, const char *spa, const char *tpa)
{
	char line[128];

	snprintf(line, sizeof(line), "%d\t%s\t%s\t", op, spa, tpa);
	for (const char *p = out; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, line, strlen(line)))
			return true;
	return false;
}

static void tshark_check_file(const char *path)
{
	char cmd[512];
	char *fields, *malformed;

	snprintf(cmd, sizeof(cmd),
		 "tshark -n -r '%s' -T fields -e arp.opcode -e arp.src.proto_ipv4 "
		 "-e arp.dst.proto_ipv4 -e _ws.expert.message 2>/dev/null", path);
	fields = run_capture_output(cmd);
	print_message("tshark %s:\n%s", path, fields);
	assert_true(tshark_has(fields, 1, "10.0.0.1", "10.0.0.2"));
	assert_true(tshark_has(fields, 2, "10.0.0.2", "10.0.0.1"));
	assert_true(tshark_has(fields, 1, "10.0.0.2", "10.0.0.1"));
	assert_true(tshark_has(fields, 2, "10.0.0.1", "10.0.0.2"));
	assert_null(strstr(fields, "alformed"));

	snprintf(cmd, sizeof(cmd), "tshark -n -r '%s' -Y _ws.malformed 2>/dev/null", path);
	malformed = run_capture_output(cmd);
	assert_string_equal(malformed, "");
	free(fields);
	free(malformed);
}

static void veth_arp_pcap_decodes_in_tshark(void **state)
{
	struct world w;

	if (!tshark_available()) {
		print_message("tshark not installed (apt-get install tshark): "
			      "skipping the Wireshark decode of the ARP capture\n");
		skip();
	}
	world_build(&w);
	world_resolve(&w);
	tshark_check_file(w.a.pcap);
	tshark_check_file(w.b.pcap);
	world_destroy(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(veth_arp_both_ways_reachable_and_captured),
		cmocka_unit_test(veth_arp_capture_is_deterministic),
		cmocka_unit_test(veth_arp_pcap_decodes_in_tshark),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
