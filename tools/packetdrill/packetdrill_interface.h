/*
 * The table packetdrill fills from a stack under test loaded as a shared
 * object (`packetdrill --so_filename=LIB.so --so_flags=STRING`).
 *
 * This is an ABI: packetdrill's own header declares the same struct, and
 * only the order and the types of the members matter, so they must never
 * move. packetdrill looks up `packetdrill_interface_init` with dlsym, calls
 * it once with the --so_flags string, and from then on makes every socket
 * call and every clock reading through the table, with `userdata` as the
 * first argument. `free(userdata)` is the last call.
 *
 * Each member returns what the libc call of the same name returns: -1 and
 * errno set to Linux's value on failure. The descriptors handed out are the
 * shim's own and must stay valid host descriptors for packetdrill to close.
 */
#ifndef TN_PACKETDRILL_INTERFACE_H
#define TN_PACKETDRILL_INTERFACE_H

#include <poll.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

struct packetdrill_interface {
	/* Handed back as the first argument of every call. */
	void *userdata;
	/* Tear down everything init made. */
	void (*free)(void *userdata);

	/* The socket calls, with libc's arguments after userdata. */
	int (*socket)(void *userdata, int domain, int type, int protocol);
	int (*bind)(void *userdata, int fd, const struct sockaddr *addr, socklen_t addrlen);
	int (*listen)(void *userdata, int fd, int backlog);
	int (*accept)(void *userdata, int fd, struct sockaddr *addr, socklen_t *addrlen);
	int (*connect)(void *userdata, int fd, const struct sockaddr *addr, socklen_t addrlen);
	ssize_t (*read)(void *userdata, int fd, void *buf, size_t count);
	ssize_t (*readv)(void *userdata, int fd, const struct iovec *iov, int iovcnt);
	ssize_t (*recv)(void *userdata, int fd, void *buf, size_t len, int flags);
	ssize_t (*recvfrom)(void *userdata, int fd, void *buf, size_t len, int flags,
			    struct sockaddr *src, socklen_t *srclen);
	ssize_t (*recvmsg)(void *userdata, int fd, struct msghdr *msg, int flags);
	ssize_t (*write)(void *userdata, int fd, const void *buf, size_t count);
	ssize_t (*writev)(void *userdata, int fd, const struct iovec *iov, int iovcnt);
	ssize_t (*send)(void *userdata, int fd, const void *buf, size_t len, int flags);
	ssize_t (*sendto)(void *userdata, int fd, const void *buf, size_t len, int flags,
			  const struct sockaddr *dst, socklen_t dstlen);
	ssize_t (*sendmsg)(void *userdata, int fd, const struct msghdr *msg, int flags);
	int (*fcntl)(void *userdata, int fd, int cmd, ...);
	int (*ioctl)(void *userdata, int fd, unsigned long request, ...);
	int (*close)(void *userdata, int fd);
	int (*shutdown)(void *userdata, int fd, int how);
	int (*getsockopt)(void *userdata, int fd, int level, int optname, void *optval,
			  socklen_t *optlen);
	int (*setsockopt)(void *userdata, int fd, int level, int optname, const void *optval,
			  socklen_t optlen);
	int (*poll)(void *userdata, struct pollfd *fds, nfds_t nfds, int timeout);

	/* The wire. netdev_send injects one bare IP packet (no link header)
	 * into the stack: 0, or -1 and errno. netdev_receive takes the next
	 * packet the stack sent: *count is the buffer size on entry and the
	 * packet's length on return (0: nothing was sent), *time_usecs when
	 * it was sent, on the gettimeofday clock. */
	int (*netdev_send)(void *userdata, const void *buf, size_t count);
	int (*netdev_receive)(void *userdata, void *buf, size_t *count, long long *time_usecs);

	/* The clock packetdrill runs the script on. */
	int (*usleep)(void *userdata, useconds_t usec);
	int (*gettimeofday)(void *userdata, struct timeval *tv, struct timezone *tz);

	int (*epoll_create)(void *userdata, int size);
	int (*epoll_ctl)(void *userdata, int epfd, int op, int fd, struct epoll_event *event);
	int (*epoll_wait)(void *userdata, int epfd, struct epoll_event *events, int maxevents,
			  int timeout);
	int (*pipe)(void *userdata, int pipefd[2]);
	int (*splice)(void *userdata, int fd_in, loff_t *off_in, int fd_out, loff_t *off_out,
		      size_t len, unsigned int flags);
};

/* The one symbol a stack under test exports: fill every member of ifc
 * from the --so_flags string (NULL or "" for the defaults). */
typedef void (*packetdrill_interface_init_t)(const char *flags, struct packetdrill_interface *ifc);
void packetdrill_interface_init(const char *flags, struct packetdrill_interface *ifc);

#endif
