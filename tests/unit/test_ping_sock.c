/*
 * Ping sockets (net/ipv4/ping_sock.c): an echo round trip between two
 * namespaces joined by a veth pair, in virtual time; the identifier the
 * kernel writes; what sendto refuses; identifiers shared with bind rules.
 */
#include <stdlib.h>
#include <netinet/in.h>

#include "tn_udp.h"
#include "net/ping_sock.h"
#include "tools/cmd/cmd.h"

struct ping_world {
	struct tn_stack *st;
	struct net *a, *b;
};

static void ping_world_init(struct ping_world *w)
{
	static const char script[] =
		"ip netns add a\n"
		"ip netns add b\n"
		"ip link add va netns a type veth peer name vb netns b\n"
		"ip -n a addr add 10.9.0.1/24 dev va\n"
		"ip -n b addr add 10.9.0.2/24 dev vb\n"
		"ip -n a link set va up\n"
		"ip -n b link set vb up\n";
	struct tn_cmd_ctx ctx;
	FILE *out = fopen("/dev/null", "w");

	w->st = tn_test_stack_new();
	tn_cmd_ctx_init(&ctx, w->st, out, out);
	assert_int_equal(tn_cmd_run_script(&ctx, script, "setup"), 0);
	tn_cmd_ctx_exit(&ctx);
	fclose(out);
	w->a = net_get_by_name(w->st, "a");
	w->b = net_get_by_name(w->st, "b");
	assert_non_null(w->a);
	assert_non_null(w->b);
	tn_test_run(w->st, 10);
}

static int echo_request(struct socket *s, u16 seq, u32 daddr, u8 type)
{
	u8 pkt[ICMP_HLEN + 5] = { 0 };
	struct icmp_repr h = { .type = type, .un.echo = { .id = 0x4242, .sequence = seq } };

	icmp_emit(&h, pkt);
	memcpy(pkt + ICMP_HLEN, "ping!", 5);
	return usendto(s, pkt, sizeof(pkt), daddr, 0, 0);
}

static void test_ping_socket_then_echo_round_trip_between_namespaces(void **state)
{
	struct ping_world w;
	struct socket *s;
	struct sockaddr_in from;
	struct icmp_repr r;
	u8 buf[64];

	(void)state;
	ping_world_init(&w);
	s = usock_new(w.a, IPPROTO_ICMP);
	assert_int_equal(echo_request(s, 7, 0x0a090002, ICMP_ECHO), ICMP_HLEN + 5);
	tn_test_run(w.st, 10);
	assert_int_equal(urecvfrom(s, buf, sizeof(buf), 0, &from, NULL), ICMP_HLEN + 5);
	icmp_parse(buf, ICMP_HLEN, &r);
	assert_int_equal(r.type, ICMP_ECHOREPLY);
	/* the kernel's identifier, not the one the user wrote */
	assert_int_equal(r.un.echo.id, s->sk->sk_num);
	assert_int_not_equal(r.un.echo.id, 0x4242);
	assert_int_equal(r.un.echo.sequence, 7);
	assert_memory_equal(buf + ICMP_HLEN, "ping!", 5);
	assert_int_equal(ntohl(from.sin_addr.s_addr), 0x0a090002);
	assert_int_equal(w.b->mib.icmpmsg[ICMP_ECHO], 1);
	sock_release(s);
	tn_test_stack_free(w.st);
}

static void test_ping_socket_then_non_echo_and_short_refused(void **state)
{
	struct ping_world w;
	struct socket *s;

	(void)state;
	ping_world_init(&w);
	s = usock_new(w.a, IPPROTO_ICMP);
	assert_int_equal(echo_request(s, 1, 0x0a090002, ICMP_TIMESTAMP), -EINVAL);
	assert_int_equal(usendto(s, "abc", 3, 0x0a090002, 0, 0), -EINVAL);
	assert_int_equal(echo_request(s, 1, 0x0b000001, ICMP_ECHO), -ENETUNREACH);
	assert_int_equal(echo_request(s, 1, 0x0a0900ff, ICMP_ECHO), -EACCES);
	sock_release(s);
	tn_test_stack_free(w.st);
}

/* inetsw's INET_PROTOSW_REUSE gives ping sockets SO_REUSEADDR from the
 * start (Linux), so an identifier is shared unless a socket clears it. */
static void test_ping_ident_bound_then_shared_unless_reuse_cleared(void **state)
{
	struct ping_world w;
	struct socket *s1, *s2, *s3;
	u8 buf[64];

	(void)state;
	ping_world_init(&w);
	s1 = usock_new(w.a, IPPROTO_ICMP);
	s2 = usock_new(w.a, IPPROTO_ICMP);
	s3 = usock_new(w.a, IPPROTO_ICMP);
	assert_int_equal(ubind(s1, 0, 777), 0);
	assert_int_equal(s1->sk->sk_num, 777);
	assert_int_equal(ubind(s2, 0, 777), 0);
	assert_int_equal(usetopt(s3, SOL_SOCKET, SO_REUSEADDR, 0), 0);
	assert_int_equal(ubind(s3, 0, 777), -EADDRINUSE);
	/* the listener's owner leaves: s2 inherits the identifier */
	sock_release(s1);
	assert_int_equal(echo_request(s2, 3, 0x0a090002, ICMP_ECHO), ICMP_HLEN + 5);
	tn_test_run(w.st, 10);
	assert_int_equal(urecvfrom(s2, buf, sizeof(buf), 0, NULL, NULL), ICMP_HLEN + 5);
	sock_release(s2);
	sock_release(s3);
	tn_test_stack_free(w.st);
}

static void test_group_range_nobody_then_socket_refused(void **state)
{
	struct ping_world w;
	struct socket *s = NULL;

	(void)state;
	ping_world_init(&w);
	assert_int_equal(tn_sysctl_write(w.a, "net.ipv4.ping_group_range", "1 0"), 0);
	assert_int_not_equal(__sock_create(w.a, AF_INET, SOCK_DGRAM, IPPROTO_ICMP, &s, 0), 0);
	tn_test_stack_free(w.st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ping_socket_then_echo_round_trip_between_namespaces),
		cmocka_unit_test(test_ping_socket_then_non_echo_and_short_refused),
		cmocka_unit_test(test_ping_ident_bound_then_shared_unless_reuse_cleared),
		cmocka_unit_test(test_group_range_nobody_then_socket_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
