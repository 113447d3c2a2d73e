/*
 * The socket set-ups every case makes the same way, behind the shim so that
 * both builds run them through their own implementation.
 */
#include "posix.h"

int bench_listen(int port, int backlog)
{
	struct sockaddr_in sin = bench_addr(BENCH_SRV_ADDR, port);
	int one = 1;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		bench_die("socket");
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0)
		bench_die("SO_REUSEADDR");
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		bench_die("bind %s:%d", BENCH_SRV_ADDR, port);
	if (listen(fd, backlog) < 0)
		bench_die("listen");
	return fd;
}

int bench_connect(int port)
{
	struct sockaddr_in sin = bench_addr(BENCH_SRV_ADDR, port);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		int saved = errno;

		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}
