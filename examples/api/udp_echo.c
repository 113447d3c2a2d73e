/*
 * A UDP echo between two network namespaces of one tuxnet stack, joined by
 * a veth pair: the smallest complete program on the public API
 * (docs/api.md walks through it).
 *
 * The world is built with the same `ip` commands as on Linux; then a server
 * thread in namespace "server" echoes datagrams back, and the main thread,
 * in namespace "client", sends three and reads each reply with blocking
 * calls. The stack's softirq thread moves the packets (ARP first), on the
 * real clock. Nothing here touches the host: the namespaces, the cable and
 * the addresses live inside this process.
 *
 * Build against an installed libtuxnet:
 *   cc udp_echo.c $(pkg-config --cflags --libs tuxnet) -lpthread -o udp_echo
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <tuxnet/tuxnet.h>

#define ECHO_PORT 7007
#define ROUNDS 3

static const char *const world =
	"ip netns add server\n"
	"ip netns add client\n"
	"ip -n client link add veth0 type veth peer name veth1 netns server\n"
	"ip -n client addr add 10.0.0.1/24 dev veth0\n"
	"ip -n server addr add 10.0.0.2/24 dev veth1\n"
	"ip -n client link set veth0 up\n"
	"ip -n server link set veth1 up\n";

struct server {
	struct tn_stack *st;
	int fd;
};

/* The server thread: echo every datagram back to its sender, ROUNDS times.
 * Its socket was made in namespace "server" by main (a descriptor belongs
 * to the stack, not to a thread), so this thread needs no tn_setns. */
static void *serve(void *arg)
{
	struct server *s = arg;
	char buf[512];
	struct sockaddr_in from;

	for (int i = 0; i < ROUNDS; i++) {
		socklen_t len = sizeof(from);
		ssize_t n = tn_recvfrom(s->st, s->fd, buf, sizeof(buf), 0,
					(struct sockaddr *)&from, &len);
		if (n < 0) {
			perror("server: tn_recvfrom");
			return NULL;
		}
		if (tn_sendto(s->st, s->fd, buf, (size_t)n, 0, (struct sockaddr *)&from, len) < 0)
			perror("server: tn_sendto");
	}
	return NULL;
}

/* A UDP socket in the calling thread's current namespace, bound to port. */
static int udp_socket(struct tn_stack *st, const char *addr, unsigned short port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };

	inet_pton(AF_INET, addr, &sin.sin_addr);
	int fd = tn_socket(st, AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || tn_bind(st, fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		perror("udp_socket");
		exit(1);
	}
	return fd;
}

/* The client: connect to the server, send each message, wait for its echo
 * (at most two seconds: a lost packet must not hang the example). */
static int run_client(struct tn_stack *st)
{
	struct sockaddr_in srv = { .sin_family = AF_INET, .sin_port = htons(ECHO_PORT) };
	struct timeval tv = { .tv_sec = 2 };
	char buf[512];

	inet_pton(AF_INET, "10.0.0.2", &srv.sin_addr);
	int fd = udp_socket(st, "10.0.0.1", 0);
	tn_setsockopt(st, fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (tn_connect(st, fd, (struct sockaddr *)&srv, sizeof(srv)) < 0) {
		perror("client: tn_connect");
		return 1;
	}
	for (int i = 0; i < ROUNDS; i++) {
		char msg[64];
		int len = snprintf(msg, sizeof(msg), "hello %d from the client namespace", i + 1);
		if (tn_send(st, fd, msg, (size_t)len, 0) < 0) {
			perror("client: tn_send");
			return 1;
		}
		ssize_t n = tn_recv(st, fd, buf, sizeof(buf) - 1, 0);
		if (n < 0) {
			perror("client: tn_recv");
			return 1;
		}
		buf[n] = 0;
		printf("echo: %s\n", buf);
	}
	tn_close(st, fd);
	return 0;
}

int main(void)
{
	struct tn_stack *st = tn_stack_create(NULL);   /* real clock */
	if (!st) {
		perror("tn_stack_create");
		return 1;
	}
	if (tn_command(st, world, stderr) != 0) {
		fprintf(stderr, "building the namespaces failed\n");
		return 1;
	}
	tn_stack_start_thread(st);   /* ksoftirqd moves the packets */

	/* Sockets are created in the calling thread's current namespace. */
	struct server srv = { .st = st };
	tn_setns(st, "server");
	srv.fd = udp_socket(st, "10.0.0.2", ECHO_PORT);
	struct timeval tv = { .tv_sec = 5 };   /* the server gives up too */
	tn_setsockopt(st, srv.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	tn_setns(st, "client");

	pthread_t tid;
	pthread_create(&tid, NULL, serve, &srv);
	int rc = run_client(st);
	pthread_join(tid, NULL);

	tn_close(st, srv.fd);
	tn_stack_destroy(st);   /* stops the thread, frees everything */
	printf("%s\n", rc == 0 ? "udp_echo: ok" : "udp_echo: FAILED");
	return rc;
}
