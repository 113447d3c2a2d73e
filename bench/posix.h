/*
 * The shim that makes one benchmark source measure two socket
 * implementations (the idea of tests/conformance/posix.h). The cases use the
 * plain POSIX names; built without BENCH_TUXNET they are libc's calls into
 * the Linux kernel, built with BENCH_TUXNET=1 each becomes the tn_* call of
 * the same shape on the process's one stack, bench_st.
 *
 * Every system header a case needs is included here, before the macros, so
 * that a function-like macro named `close` or `read` cannot rewrite the
 * headers' own declarations. Unlike the conformance shim the references are
 * strong: a benchmark needs every call it makes.
 */
#ifndef BENCH_POSIX_H
#define BENCH_POSIX_H

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "bench.h"

#ifdef BENCH_TUXNET
#include <tuxnet/tuxnet.h>

extern struct tn_stack *bench_st;

#define socket(d, t, p)             tn_socket(bench_st, d, t, p)
#define bind(fd, a, l)              tn_bind(bench_st, fd, a, l)
#define connect(fd, a, l)           tn_connect(bench_st, fd, a, l)
#define listen(fd, b)               tn_listen(bench_st, fd, b)
#define accept(fd, a, l)            tn_accept(bench_st, fd, a, l)
#define accept4(fd, a, l, f)        tn_accept4(bench_st, fd, a, l, f)
#define send(fd, b, n, f)           tn_send(bench_st, fd, b, n, f)
#define sendto(fd, b, n, f, a, l)   tn_sendto(bench_st, fd, b, n, f, a, l)
#define recv(fd, b, n, f)           tn_recv(bench_st, fd, b, n, f)
#define recvfrom(fd, b, n, f, a, l) tn_recvfrom(bench_st, fd, b, n, f, a, l)
#define read(fd, b, n)              tn_read(bench_st, fd, b, n)
#define write(fd, b, n)             tn_write(bench_st, fd, b, n)
#define shutdown(fd, h)             tn_shutdown(bench_st, fd, h)
#define close(fd)                   tn_close(bench_st, fd)
#define setsockopt(fd, lv, o, v, l) tn_setsockopt(bench_st, fd, lv, o, v, l)
#define getsockopt(fd, lv, o, v, l) tn_getsockopt(bench_st, fd, lv, o, v, l)
#define poll(f, n, t)               tn_poll(bench_st, f, n, t)
#define fcntl(...)                  tn_fcntl(bench_st, __VA_ARGS__)
#define epoll_create1(f)            tn_epoll_create1(bench_st, f)
#define epoll_ctl(ep, op, fd, ev)   tn_epoll_ctl(bench_st, ep, op, fd, ev)
#define epoll_wait(ep, ev, n, t)    tn_epoll_wait(bench_st, ep, ev, n, t)

#endif /* BENCH_TUXNET */
#endif
