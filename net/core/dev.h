/*
 * What the two halves of the device core share: dev.c (the device registry,
 * administrative state, notifiers and transmit) and dev_rx.c (softnet_data,
 * NAPI, the packet_type registry and receive). Internal to net/core; the
 * contract for everyone else is include/net/netdevice.h.
 */
#ifndef TN_NET_CORE_DEV_H
#define TN_NET_CORE_DEV_H

#include "net/netdevice.h"

struct tn_stack;

/* Anything below NET_XMIT_MASK means the driver consumed the skb. */
#define NET_XMIT_MASK 0x0f

#define NAPIF_STATE_SCHED   (1UL << NAPI_STATE_SCHED)
#define NAPIF_STATE_DISABLE (1UL << NAPI_STATE_DISABLE)
#define NAPIF_STATE_MISSED  (1UL << NAPI_STATE_MISSED)

/* The per-stack receive state and packet_type lists (netdev_subsys.init). */
void softnet_init(struct tn_stack *st);
void softnet_exit(struct tn_stack *st);
/* Drop the frames of dev still waiting in the backlog (it is going away). */
void flush_backlog(struct net_device *dev);

#endif
