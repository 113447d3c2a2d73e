/*
 * The shim that lets one set of conformance cases run against two socket
 * implementations. The cases are written with the plain POSIX names
 * (socket, bind, sendto, poll, ...). Built with CONF_TUXNET undefined those
 * names are libc's own calls, run by the Linux kernel inside a network
 * namespace the runner made; built with CONF_TUXNET=1 each name becomes the
 * tn_* call of the same shape on the global stack conf_st, which the runner
 * creates afresh for every case.
 *
 * In the tuxnet build every tn_* function is a weak reference: a call the
 * library does not provide yet resolves to NULL, and CONF_TN() turns that
 * into a "MISSING tn_xxx" line and ends the case, instead of failing the
 * link. So the suite builds against any state of the library and says
 * exactly which calls are still missing.
 *
 * Every system header the cases need is included here, before the macros,
 * because a function-like macro named `read` or `close` would otherwise
 * rewrite the headers' own declarations.
 */
#ifndef CONF_POSIX_H
#define CONF_POSIX_H

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/errqueue.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <sys/ioctl.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <linux/sockios.h>

/* Which implementation this binary tests: "libc" or "tuxnet". */
extern const char *const conf_impl;

/* Read a sysctl of the environment under test ("net.core.rmem_max") as a
 * number; -1 if it does not exist there. */
long conf_sysctl_get(const char *name);
/* Write one (a value with spaces is fine: "0 2147483647"); 0 or -1. */
int conf_sysctl_set(const char *name, const char *value);

#ifdef CONF_TUXNET
#include <tuxnet/tuxnet.h>

/* The stack every call of the current case runs on. */
extern struct tn_stack *conf_st;

/* Report that the library lacks `fn`, end the case (never returns). */
__attribute__((noreturn)) void conf_missing(const char *fn);

/* Weak references: NULL when the library does not define the function. */
#pragma weak tn_socket
#pragma weak tn_bind
#pragma weak tn_connect
#pragma weak tn_listen
#pragma weak tn_accept
#pragma weak tn_accept4
#pragma weak tn_send
#pragma weak tn_sendto
#pragma weak tn_sendmsg
#pragma weak tn_recv
#pragma weak tn_recvfrom
#pragma weak tn_recvmsg
#pragma weak tn_read
#pragma weak tn_write
#pragma weak tn_readv
#pragma weak tn_writev
#pragma weak tn_shutdown
#pragma weak tn_close
#pragma weak tn_getsockname
#pragma weak tn_getpeername
#pragma weak tn_setsockopt
#pragma weak tn_getsockopt
#pragma weak tn_fcntl
#pragma weak tn_ioctl
#pragma weak tn_poll
#pragma weak tn_setns
#pragma weak tn_netns_add
#pragma weak tn_netns_del

/* fn itself, or the end of the case if the library lacks it. */
#define CONF_TN(fn) ((fn) ? (fn) : (conf_missing(#fn), (fn)))

#define socket(d, t, p)          CONF_TN(tn_socket)(conf_st, d, t, p)
#define bind(fd, a, l)           CONF_TN(tn_bind)(conf_st, fd, a, l)
#define connect(fd, a, l)        CONF_TN(tn_connect)(conf_st, fd, a, l)
#define listen(fd, b)            CONF_TN(tn_listen)(conf_st, fd, b)
#define accept(fd, a, l)         CONF_TN(tn_accept)(conf_st, fd, a, l)
#define accept4(fd, a, l, f)     CONF_TN(tn_accept4)(conf_st, fd, a, l, f)
#define send(fd, b, n, f)        CONF_TN(tn_send)(conf_st, fd, b, n, f)
#define sendto(fd, b, n, f, a, l) CONF_TN(tn_sendto)(conf_st, fd, b, n, f, a, l)
#define sendmsg(fd, m, f)        CONF_TN(tn_sendmsg)(conf_st, fd, m, f)
#define recv(fd, b, n, f)        CONF_TN(tn_recv)(conf_st, fd, b, n, f)
#define recvfrom(fd, b, n, f, a, l) CONF_TN(tn_recvfrom)(conf_st, fd, b, n, f, a, l)
#define recvmsg(fd, m, f)        CONF_TN(tn_recvmsg)(conf_st, fd, m, f)
#define read(fd, b, n)           CONF_TN(tn_read)(conf_st, fd, b, n)
#define write(fd, b, n)          CONF_TN(tn_write)(conf_st, fd, b, n)
#define readv(fd, v, n)          CONF_TN(tn_readv)(conf_st, fd, v, n)
#define writev(fd, v, n)         CONF_TN(tn_writev)(conf_st, fd, v, n)
#define shutdown(fd, h)          CONF_TN(tn_shutdown)(conf_st, fd, h)
#define close(fd)                CONF_TN(tn_close)(conf_st, fd)
#define getsockname(fd, a, l)    CONF_TN(tn_getsockname)(conf_st, fd, a, l)
#define getpeername(fd, a, l)    CONF_TN(tn_getpeername)(conf_st, fd, a, l)
#define setsockopt(fd, lv, o, v, l) CONF_TN(tn_setsockopt)(conf_st, fd, lv, o, v, l)
#define getsockopt(fd, lv, o, v, l) CONF_TN(tn_getsockopt)(conf_st, fd, lv, o, v, l)
#define fcntl(...)               CONF_TN(tn_fcntl)(conf_st, __VA_ARGS__)
#define ioctl(...)               CONF_TN(tn_ioctl)(conf_st, __VA_ARGS__)
#define poll(f, n, t)            CONF_TN(tn_poll)(conf_st, f, n, t)
/* The epoll calls are plain references (no weak fallback): every library
 * that has cases_epoll.c to run defines them. */
#define epoll_create(n)          tn_epoll_create(conf_st, n)
#define epoll_create1(f)         tn_epoll_create1(conf_st, f)
#define epoll_ctl(e, o, fd, ev)  tn_epoll_ctl(conf_st, e, o, fd, ev)
#define epoll_wait(e, ev, n, t)  tn_epoll_wait(conf_st, e, ev, n, t)
#define select(n, r, w, x, t)    tn_select(conf_st, n, r, w, x, t)

#endif /* CONF_TUXNET */
#endif
