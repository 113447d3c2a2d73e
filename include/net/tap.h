/*
 * The TAP device: an Ethernet net_device of a tuxnet namespace whose wire is
 * a Linux TAP interface of the host (/dev/net/tun, IFF_TAP | IFF_NO_PI).
 * Frames tuxnet transmits on NAME arrive on the host's HOSTNAME and the
 * other way round, so Linux's own ping, curl, nc and iperf3 are peers.
 *
 *   ip link add NAME type tap hostdev HOSTNAME        (scenario / tn_command)
 *   tap_newlink(net, "NAME", "HOSTNAME", &dev)        (C)
 *
 * HOSTNAME appears in the network namespace the tuxnet *process* runs in
 * (run it under `ip netns exec` of a namespace the test made: never in the
 * host's root namespace), down and without addresses; it disappears when
 * the device is deleted or the process ends, however it ends (the kernel
 * removes a non-persistent TAP when its descriptor closes).
 *
 * The contract, for those who build on it (docs/interop.md):
 *
 *  - Real clock only. A stack on a virtual clock refuses the device with
 *    -EOPNOTSUPP (`tuxnet run` without --realtime: "Error: ...").
 *  - Creating it needs CAP_NET_ADMIN over the namespace (-EPERM otherwise)
 *    and a free HOSTNAME (-EBUSY when a device of that name exists).
 *  - Carrier: on for as long as the descriptor is open, i.e. from creation
 *    (Linux's tun does the same while a queue is attached). The host side's
 *    own up/down state is not followed: frames sent while it is down are
 *    refused by the kernel and counted as tx_dropped.
 *  - Receive: the descriptor is the interrupt line (tn_fd_hook, net/stack.h).
 *    The interrupt reads up to the RX ring size of frames into the ring
 *    (ethtool -g; -G DEV rx N sets it, 1..TAP_MAX_RING); a frame that finds
 *    the ring full is dropped and counted (rx_missed_errors, ethtool -S
 *    rx_ring_full). NAPI (weight 64) delivers from the ring in NET_RX.
 *    Who waits on the descriptor: ksoftirqd (tn_stack_start_thread) or the
 *    `tuxnet run --realtime` loop; an application driving the stack with
 *    tn_stack_poll() must call tn_stack_wait_external() itself.
 *  - Transmit: one write(2) per frame; EAGAIN/ENOBUFS/EIO count tx_dropped
 *    (ethtool -S tx_write_errors too); the qdisc is pfifo_fast.
 *  - Offloads: IFF_VNET_HDR with TUN_F_CSUM when the kernel takes them, so
 *    the host may hand over frames whose TCP/UDP checksum is left to the
 *    receiver (completed in the driver, then trusted) and tuxnet may send
 *    CHECKSUM_PARTIAL frames; without them, plain frames with full
 *    checksums. No TSO/GSO: the kernel cuts its large segments to the MTU
 *    before they reach us, and we send nothing larger than the MTU.
 *    ethtool -S shows what was negotiated (vnet_hdr, csum_offload).
 */
#ifndef TN_NET_TAP_H
#define TN_NET_TAP_H

#include "net/netdevice.h"

struct net;

#define TAP_DEFAULT_RING 256
#define TAP_MAX_RING 4096

/* Create and register NAME (a "tap%d" template if NULL) in net, backed by
 * a new host TAP interface HOSTNAME; the device is left down, as `ip link
 * add` leaves it. 0 and *devp, or -errno (-EOPNOTSUPP on a virtual clock,
 * -EPERM without the right, -EBUSY for a HOSTNAME in use, -EINVAL for a bad
 * HOSTNAME, -ENOENT without /dev/net/tun). Lock held. */
int tap_newlink(struct net *net, const char *name, const char *hostdev,
		struct net_device **devp);

/* The host interface's name of a tap device, NULL for another kind. */
const char *tap_hostdev(const struct net_device *dev);

#endif
