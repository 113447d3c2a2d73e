/*
 * struct net_device and the driver <-> core boundary: net_device_ops,
 * ethtool_ops, header_ops, NAPI, the packet_type registry that hands frames
 * to the layer above, and the transmit entry dev_queue_xmit().
 *
 * Receive: a driver either calls netif_rx() (the frame joins the stack's
 * backlog queue, drained by the backlog NAPI in NET_RX softirq) or owns a
 * napi_struct whose poll() hands frames to netif_receive_skb(). From there:
 * ptype_all taps, then the packet_type registered for skb->protocol.
 *
 * Transmit: dev_queue_xmit() -> the device's root qdisc (pfifo_fast by
 * default, none for IFF_NO_QUEUE devices such as lo and veth) ->
 * dev_hard_start_xmit() -> taps -> ndo_start_xmit().
 *
 * Everything here runs under the stack lock.
 */
#ifndef TN_NET_NETDEVICE_H
#define TN_NET_NETDEVICE_H

/* skbuff.h first: its PACKET_* enum must come before <linux/if_packet.h>
 * (pulled in by <linux/if_arp.h>) defines the same names as macros. */
#include "net/compiler.h"
#include "net/skbuff.h"
#include "lib/list.h"

#include <linux/if.h>
#include <linux/if_ether.h>
#include <linux/if_arp.h>
#include <linux/if_link.h>
#include <linux/ethtool.h>

struct net;
struct tn_stack;
struct Qdisc;
struct in_device;
struct neigh_parms;

/* Private flags (dev->priv_flags), Linux's names. */
#define IFF_NO_QUEUE (1u << 0)   /* no qdisc: transmit goes straight to the driver */
#define IFF_TN_VETH  (1u << 1)

/* Feature bits (dev->features), a subset of NETIF_F_* with Linux's
 * meaning; `ethtool -k` shows them under Linux's names (net/core/ethtool.c). */
#define NETIF_F_HW_CSUM  (1u << 0)  /* fills in any checksum (CHECKSUM_PARTIAL ok) */
#define NETIF_F_RXCSUM   (1u << 1)  /* verifies checksums on receive */
#define NETIF_F_SG       (1u << 2)  /* scatter-gather (TSO needs it) */
#define NETIF_F_GSO      (1u << 3)  /* software GSO: the stack may build large packets */
#define NETIF_F_LLTX     (1u << 4)
#define NETIF_F_IP_CSUM  (1u << 5)  /* fills in TCP/UDP over IPv4 checksums */
#define NETIF_F_TSO      (1u << 6)  /* takes TCPv4 GSO packets and cuts them itself */
#define NETIF_F_CSUM_MASK (NETIF_F_HW_CSUM | NETIF_F_IP_CSUM)
/* What every device may have toggled (Linux's NETIF_F_SOFT_FEATURES). */
#define NETIF_F_SOFT_FEATURES NETIF_F_GSO
#define GSO_MAX_SIZE 65536u
#define GSO_MAX_SEGS 65535u

typedef enum {
	NETDEV_TX_OK = 0,
	NETDEV_TX_BUSY = 0x10,   /* driver could not take it; qdisc requeues */
} netdev_tx_t;

enum netdev_reg_state {
	NETREG_UNINITIALIZED = 0,
	NETREG_REGISTERED,
	NETREG_UNREGISTERING,
	NETREG_UNREGISTERED,
};

struct net_device_ops {
	int (*ndo_init)(struct net_device *dev);
	void (*ndo_uninit)(struct net_device *dev);
	int (*ndo_open)(struct net_device *dev);
	int (*ndo_stop)(struct net_device *dev);
	netdev_tx_t (*ndo_start_xmit)(struct sk_buff *skb, struct net_device *dev);
	int (*ndo_change_mtu)(struct net_device *dev, int new_mtu);
	int (*ndo_set_mac_address)(struct net_device *dev, const u8 *addr);
	void (*ndo_set_rx_mode)(struct net_device *dev);
	void (*ndo_get_stats64)(struct net_device *dev, struct rtnl_link_stats64 *s);
	int (*ndo_get_iflink)(const struct net_device *dev);  /* peer ifindex (veth) */
	struct net_device *(*ndo_get_peer_dev)(struct net_device *dev);
	/* The features about to be in use changed (ethtool -K); the driver
	 * may refuse with -errno, and nothing changes then. */
	int (*ndo_set_features)(struct net_device *dev, unsigned int features);
};

struct ethtool_ops {
	void (*get_drvinfo)(struct net_device *dev, struct ethtool_drvinfo *info);
	u32 (*get_link)(struct net_device *dev);
	void (*get_ringparam)(struct net_device *dev, struct ethtool_ringparam *ring);
	int (*set_ringparam)(struct net_device *dev, const struct ethtool_ringparam *ring);
	int (*get_sset_count)(struct net_device *dev, int sset);      /* ETH_SS_STATS */
	void (*get_strings)(struct net_device *dev, u32 sset, char (*names)[ETH_GSTRING_LEN]);
	void (*get_ethtool_stats)(struct net_device *dev, u64 *data);
	/* Speed, duplex, port, autonegotiation (Linux's get_link_ksettings,
	 * its base part: tuxnet's devices report no link modes). */
	int (*get_link_ksettings)(struct net_device *dev, struct ethtool_link_settings *s);
};

struct header_ops {
	/* Build the link header in front of skb->data; returns its length or
	 * a negative value if the destination is not known yet. */
	int (*create)(struct sk_buff *skb, struct net_device *dev, u16 type,
		      const void *daddr, const void *saddr, unsigned int len);
	/* Copy the source hardware address out of a received frame. */
	int (*parse)(const struct sk_buff *skb, unsigned char *haddr);
};

/* Counters the core keeps for a device beyond the driver's own. */
struct net_device_core_stats {
	u64 rx_dropped;
	u64 tx_dropped;
	u64 rx_nohandler;
};

#define MAX_ADDR_LEN 32

struct napi_struct {
	struct list_head poll_list;        /* on softnet_data.poll_list while scheduled */
	struct list_head dev_list;         /* on dev->napi_list */
	int (*poll)(struct napi_struct *n, int budget);
	int weight;
	unsigned long state;               /* NAPI_STATE_* bits */
	struct net_device *dev;
	struct tn_stack *stack;
};
enum {
	NAPI_STATE_SCHED = 0,   /* on a poll list or being polled */
	NAPI_STATE_DISABLE = 1,
	NAPI_STATE_MISSED = 2,  /* rescheduled while being polled */
};
#define NAPI_POLL_WEIGHT 64

struct net_device {
	char name[IFNAMSIZ];
	int ifindex;
	struct net *nd_net;
	struct tn_stack *stack;
	struct list_head dev_list;          /* on net->dev_base_head, in ifindex order */
	struct hlist_node name_hlist;       /* net->dev_name_head */
	struct hlist_node index_hlist;      /* net->dev_index_head */

	unsigned int flags;                 /* IFF_UP, IFF_LOOPBACK, ... (user visible) */
	unsigned int priv_flags;            /* IFF_NO_QUEUE, ... */
	unsigned int features;              /* NETIF_F_* in use */
	unsigned int hw_features;           /* NETIF_F_* the user may toggle (ethtool -K) */
	unsigned char operstate;            /* IF_OPER_* (RFC 2863) */
	bool carrier;                       /* link detected (IFF_LOWER_UP / RUNNING) */
	unsigned int mtu, min_mtu, max_mtu;
	unsigned short type;                /* ARPHRD_ETHER, ARPHRD_LOOPBACK, ARPHRD_NONE */
	unsigned short hard_header_len;     /* link header bytes pushed on transmit */
	unsigned short needed_headroom;
	unsigned char addr_len;
	unsigned char dev_addr[MAX_ADDR_LEN];
	unsigned char broadcast[MAX_ADDR_LEN];
	unsigned int promiscuity;           /* IFF_PROMISC while > 0 */
	unsigned int gflags;                /* IFF_PROMISC/IFF_ALLMULTI as the user asked */
	unsigned int gso_max_size;          /* largest GSO packet it takes (IP length) */

	const struct net_device_ops *netdev_ops;
	const struct ethtool_ops *ethtool_ops;
	const struct header_ops *header_ops;

	struct rtnl_link_stats64 stats;     /* the driver's counters */
	struct net_device_core_stats core_stats;

	unsigned int tx_queue_len;          /* qdisc limit (txqueuelen) */
	struct Qdisc *qdisc;                /* root qdisc; NULL while down or noqueue */
	char qdisc_kind[16];                /* what the root qdisc will be when up */
	struct list_head napi_list;

	struct in_device *ip_ptr;           /* IPv4 configuration */
	int refcnt;                         /* dev_hold/dev_put; freed at 0 after unregister */
	enum netdev_reg_state reg_state;
	const char *kind;                   /* rtnl link kind: "veth", "loopback", "tuxtest" */
	void (*priv_destructor)(struct net_device *dev);

	_Alignas(16) unsigned char priv[];  /* driver private area (netdev_priv) */
};

static inline void *netdev_priv(const struct net_device *dev)
{
	return (void *)dev->priv;
}
static inline struct net *dev_net(const struct net_device *dev) { return dev->nd_net; }
/* Linux's for_each_netdev(net, d): every device of net in ifindex order.
 * Walks the list nodes and never forms a device from the list head, which
 * list_for_each_entry does (UBSan objects: net_device is 16-byte aligned).
 * The body must not unregister d. Needs net/net_namespace.h at the use. */
static inline struct net_device *netdev_list_entry(const struct list_head *head,
						   struct list_head *pos)
{
	return pos == head ? NULL : list_entry(pos, struct net_device, dev_list);
}
#define for_each_netdev(net, d)                                                      \
	for (d = netdev_list_entry(&(net)->dev_base_head, (net)->dev_base_head.next); d; \
	     d = netdev_list_entry(&(net)->dev_base_head, d->dev_list.next))
static inline bool netif_running(const struct net_device *dev)
{
	return dev->flags & IFF_UP;
}
static inline bool netif_carrier_ok(const struct net_device *dev) { return dev->carrier; }
static inline void dev_hold(struct net_device *dev) { dev->refcnt++; }
void dev_put(struct net_device *dev);

/* Build dev's link header in front of skb->data (Linux's dev_hard_header):
 * its length, or < 0 when daddr is needed and not known. Devices without
 * header_ops (tun-like) need no header: 0. */
static inline int dev_hard_header(struct sk_buff *skb, struct net_device *dev, u16 type,
				  const void *daddr, const void *saddr, unsigned int len)
{
	if (!dev->header_ops || !dev->header_ops->create)
		return 0;
	return dev->header_ops->create(skb, dev, type, daddr, saddr, len);
}
/* Headroom to reserve for dev's link header, 16-byte aligned as Linux's
 * LL_RESERVED_SPACE. */
#define LL_RESERVED_SPACE(dev) \
	((((dev)->hard_header_len + (dev)->needed_headroom) & ~15u) + 16u)

/* Allocation and registration (the rtnl side). */
struct net_device *alloc_netdev(struct tn_stack *st, size_t priv_size, const char *name,
				void (*setup)(struct net_device *dev));
/* Only for a device never registered, or whose register_netdevice() failed;
 * a registered device is freed by unregister_netdevice() (at the last dev_put). */
void free_netdev(struct net_device *dev);
/* Give the device a name ("eth%d" style templates get the first free
 * number), an ifindex in net, and put it in net's tables. 0 or -errno:
 * -EEXIST for a taken name, -EINVAL for a bad one. */
int register_netdevice(struct net *net, struct net_device *dev);
/* Close, take out of every table, drop the registration reference. */
void unregister_netdevice(struct net_device *dev);
int dev_change_net_namespace(struct net_device *dev, struct net *net, const char *pat);
int dev_change_name(struct net_device *dev, const char *newname);

struct net_device *__dev_get_by_name(struct net *net, const char *name);
struct net_device *__dev_get_by_index(struct net *net, int ifindex);
bool dev_valid_name(const char *name);

/* Administrative state, as `ip link set`. */
int dev_open(struct net_device *dev);
int dev_close(struct net_device *dev);
int dev_change_flags(struct net_device *dev, unsigned int flags);
int dev_set_mtu(struct net_device *dev, int new_mtu);
int dev_set_mac_address(struct net_device *dev, const u8 *addr);
int dev_set_promiscuity(struct net_device *dev, int inc);
/* Linux's netdev_fix_features: TSO needs scatter-gather and a checksum
 * offload, and goes when either does. */
unsigned int netdev_fix_features(const struct net_device *dev, unsigned int features);
/* ethtool -K: turn the bits of `mask` on or off as `wanted` says. A bit
 * outside hw_features is fixed: -EOPNOTSUPP if asked to change. Features
 * that depend on one turned off go too (netdev_fix_features). 0 or -errno
 * (from the driver's ndo_set_features). */
int netdev_set_features(struct net_device *dev, unsigned int mask, unsigned int wanted);
void netif_carrier_on(struct net_device *dev);
void netif_carrier_off(struct net_device *dev);
/* Everything rtnl_link_stats64 reports: driver counters plus core drops. */
void dev_get_stats(struct net_device *dev, struct rtnl_link_stats64 *s);
/* Flags as `ip link` shows them (adds IFF_RUNNING / IFF_LOWER_UP / IFF_PROMISC). */
unsigned int dev_get_flags(const struct net_device *dev);

/* Netdevice notifier events, Linux's values and meaning. */
enum {
	NETDEV_UP = 1,
	NETDEV_DOWN,
	NETDEV_REBOOT,
	NETDEV_CHANGE,          /* carrier or operstate */
	NETDEV_REGISTER,
	NETDEV_UNREGISTER,
	NETDEV_CHANGEMTU,
	NETDEV_CHANGEADDR,
	NETDEV_PRE_UP,
	NETDEV_GOING_DOWN,
	NETDEV_CHANGENAME,
};
struct notifier_block {
	int (*notifier_call)(struct notifier_block *nb, unsigned long event, void *ptr);
	int priority;
	struct notifier_block *next;
};
int register_netdevice_notifier(struct tn_stack *st, struct notifier_block *nb);
int unregister_netdevice_notifier(struct tn_stack *st, struct notifier_block *nb);
int call_netdevice_notifiers(unsigned long event, struct net_device *dev);
#define NOTIFY_DONE 0
#define NOTIFY_OK 1
#define NOTIFY_STOP_MASK 0x8000  /* stop the chain here */
#define NOTIFY_BAD 0x8002
/* A notifier vetoes an event (NETDEV_PRE_UP, NETDEV_REGISTER, ...) by
 * returning notifier_from_errno(-E...); the caller gets the errno back. */
static inline int notifier_from_errno(int err)
{
	return err ? NOTIFY_STOP_MASK | (NOTIFY_OK - err) : NOTIFY_OK;
}
static inline int notifier_to_errno(int ret)
{
	ret &= ~NOTIFY_STOP_MASK;
	return ret > NOTIFY_OK ? NOTIFY_OK - ret : 0;
}

/* L2 -> L3 dispatch. type is the EtherType in host order or ETH_P_ALL for a
 * tap; dev NULL matches every device. func consumes the skb. */
struct packet_type {
	u16 type;
	struct net_device *dev;
	struct net *net;            /* taps: only this namespace's devices (NULL: all) */
	int (*func)(struct sk_buff *skb, struct net_device *dev,
		    struct packet_type *pt, struct net_device *orig_dev);
	bool (*id_match)(struct packet_type *pt, struct sk_buff *skb);
	void *af_packet_priv;
	bool ignore_outgoing;
	struct list_head list;
};
void dev_add_pack(struct tn_stack *st, struct packet_type *pt);
void dev_remove_pack(struct tn_stack *st, struct packet_type *pt);

#define NET_RX_SUCCESS 0
#define NET_RX_DROP 1
#define NET_XMIT_SUCCESS 0x00
#define NET_XMIT_DROP 0x01
#define NET_XMIT_CN 0x02
/* Linux's dev_xmit_complete(): anything below NET_XMIT_MASK means the
 * driver consumed the skb; NETDEV_TX_BUSY means it did not. */
#define NET_XMIT_MASK 0x0f
static inline bool dev_xmit_complete(int rc)
{
	return rc < NET_XMIT_MASK;
}

/* Receive entry points for drivers. Both consume the skb. */
int netif_rx(struct sk_buff *skb);            /* -> backlog queue, NET_RX softirq */
int netif_receive_skb(struct sk_buff *skb);   /* from NAPI poll: deliver now */

void netif_napi_add(struct net_device *dev, struct napi_struct *n,
		    int (*poll)(struct napi_struct *, int), int weight);
void netif_napi_del(struct napi_struct *n);
void napi_enable(struct napi_struct *n);
void napi_disable(struct napi_struct *n);
/* Put n on the poll list and raise NET_RX (the "hard interrupt" side). */
void napi_schedule(struct napi_struct *n);
/* Poll finished with work_done < budget: leave the poll list. Returns false
 * if the driver must keep polling (it was rescheduled meanwhile). */
bool napi_complete_done(struct napi_struct *n, int work_done);

/* Transmit. Consumes the skb in every case; returns NET_XMIT_* or -errno
 * (-ENETDOWN if the device is down). skb->dev must be set. */
int dev_queue_xmit(struct sk_buff *skb);
/* Hand a list of skbs (validate_xmit_skb's result, linked by next) to the
 * driver one by one, each after the taps. Stops at the first the driver
 * refuses (NETDEV_TX_BUSY): *rest is that skb with the rest still linked
 * behind it, NULL when all went. Returns the driver's last answer. */
netdev_tx_t dev_hard_start_xmit(struct sk_buff *first, struct net_device *dev,
				struct sk_buff **rest);
/* Copy to every ptype_all tap of dev (the tcpdump view of outgoing frames). */
void dev_queue_xmit_nit(struct sk_buff *skb, struct net_device *dev);

/* Softirq handlers, called by do_softirq(). */
void net_rx_action(struct tn_stack *st);    /* net/core/dev.c: poll NAPI instances */
void net_tx_action(struct tn_stack *st);    /* net/sched/sch_generic.c: run scheduled qdiscs */

/* Per-stack receive state: the single "CPU" of a stack shard. Linux's
 * softnet_data, including the counters of /proc/net/softnet_stat. */
struct softnet_data {
	struct list_head poll_list;          /* scheduled NAPI instances */
	struct sk_buff_head input_pkt_queue; /* netif_rx backlog */
	struct napi_struct backlog;
	struct list_head output_queue;       /* qdiscs that want NET_TX (__netif_schedule) */
	u64 processed;                       /* column 1 of softnet_stat */
	u64 dropped;                         /* backlog full (netdev_max_backlog) */
	u64 time_squeeze;                    /* net_rx_action ran out of budget/time */
	u64 received_rps;
};

#endif
