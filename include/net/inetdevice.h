/*
 * IPv4 configuration of a device (struct in_device): its addresses
 * (in_ifaddr, several per device, primary and secondary per subnet as Linux
 * keeps them) and its per-device settings (ipv4_devconf: net.ipv4.conf.DEV.*).
 * Every local address is also in the namespace's inet_addr_lst hash, so "is
 * this address mine?" is O(1) (inet_lookup_ifaddr).
 *
 * An in_device exists from NETDEV_REGISTER to NETDEV_UNREGISTER of its
 * device (devinet's netdevice notifier), whether or not it has addresses.
 */
#ifndef TN_NET_INETDEVICE_H
#define TN_NET_INETDEVICE_H

#include "net/compiler.h"
/* skbuff.h before <linux/...>: if_packet.h defines PACKET_HOST as a macro. */
#include "net/skbuff.h"
#include "net/netdevice.h"
#include "net/net_namespace.h"
#include "net/wire/ipv4.h"   /* ipv4_is_multicast() and friends */
#include "lib/list.h"

struct net;
struct net_device;
struct neigh_parms;
struct tn_stack;
struct ctl_table_header;

/* net.ipv4.conf.*, Linux's names and defaults; values are ints as in sysctl. */
struct ipv4_devconf {
	int forwarding;            /* 0 */
	int rp_filter;             /* 0 (the kernel's default; distros set 2) */
	int accept_redirects;      /* 1 */
	int send_redirects;        /* 1 */
	int secure_redirects;      /* 1 */
	int shared_media;          /* 1 */
	int accept_source_route;   /* 0 for all, 1 for default and devices */
	int arp_filter;            /* 0 */
	int arp_announce;          /* 0 */
	int arp_ignore;            /* 0 */
	int arp_accept;            /* 0 */
	int arp_notify;            /* 0 (announce on up regardless: see devinet.c) */
	int arp_evict_nocarrier;   /* 1 */
	int drop_gratuitous_arp;   /* 0 */
	int proxy_arp;             /* 0 */
	int route_localnet;        /* 0 */
	int promote_secondaries;   /* 0 */
	int log_martians;          /* 0 */
	/* Not sysctls: */
	struct net *net;
	u32 state;                 /* bit per variable set explicitly; a write to
				    * "default" is copied where the bit is clear */
};

/* Effective per-device values, Linux's IN_DEV_* rules: some take the larger
 * of conf.all and the device, some either, some the device alone. */
static inline const struct ipv4_devconf *in_devconf_all(const struct ipv4_devconf *cnf)
{
	return cnf->net->ipv4.devconf_all;
}
#define IN_DEV_MAXCONF(in_dev, attr) \
	TN_MAX(in_devconf_all(&(in_dev)->cnf)->attr, (in_dev)->cnf.attr)
#define IN_DEV_ORCONF(in_dev, attr) \
	(in_devconf_all(&(in_dev)->cnf)->attr || (in_dev)->cnf.attr)
#define IN_DEV_ARP_IGNORE(in_dev)    IN_DEV_MAXCONF(in_dev, arp_ignore)
#define IN_DEV_ARP_ANNOUNCE(in_dev)  IN_DEV_MAXCONF(in_dev, arp_announce)
#define IN_DEV_ARP_ACCEPT(in_dev)    IN_DEV_MAXCONF(in_dev, arp_accept)
#define IN_DEV_ARPFILTER(in_dev)     IN_DEV_ORCONF(in_dev, arp_filter)
#define IN_DEV_ARP_EVICT_NOCARRIER(in_dev) IN_DEV_ORCONF(in_dev, arp_evict_nocarrier)
#define IN_DEV_ROUTE_LOCALNET(in_dev) IN_DEV_ORCONF(in_dev, route_localnet)
#define IN_DEV_PROXY_ARP(in_dev)     IN_DEV_ORCONF(in_dev, proxy_arp)
#define IN_DEV_FORWARD(in_dev)       ((in_dev)->cnf.forwarding)
#define IN_DEV_RPFILTER(in_dev)      IN_DEV_MAXCONF(in_dev, rp_filter)
#define IN_DEV_PROMOTE_SECONDARIES(in_dev) IN_DEV_ORCONF(in_dev, promote_secondaries)

/* ifa_flags, Linux's IFA_F_* values. */
#define IFA_F_SECONDARY 0x01
#define IFA_F_PERMANENT 0x80

/* Scopes (RT_SCOPE_*), Linux's values. */
enum {
	RT_SCOPE_UNIVERSE = 0,
	RT_SCOPE_SITE = 200,
	RT_SCOPE_LINK = 253,
	RT_SCOPE_HOST = 254,
	RT_SCOPE_NOWHERE = 255,
};

struct in_ifaddr {
	struct list_head ifa_list;       /* on in_device.ifa_list: primaries first */
	struct hlist_node hash;          /* net->ipv4.inet_addr_lst */
	struct in_device *ifa_dev;
	u32 ifa_local;                   /* host order */
	u32 ifa_address;                 /* peer for point-to-point, else == local */
	u32 ifa_mask;
	u32 ifa_broadcast;
	u8 ifa_prefixlen;
	u8 ifa_scope;
	u32 ifa_flags;
	char ifa_label[16];
};

struct in_device {
	struct net_device *dev;
	struct list_head ifa_list;
	struct ipv4_devconf cnf;
	struct neigh_parms *arp_parms;
	struct ctl_table_header *sysctl;
};

static inline u32 inet_make_mask(int prefixlen)
{
	return prefixlen ? ~0u << (32 - prefixlen) : 0;
}

/* Is addr on ifa's subnet? */
static inline bool inet_ifa_match(u32 addr, const struct in_ifaddr *ifa)
{
	return !((addr ^ ifa->ifa_address) & ifa->ifa_mask);
}

#define in_dev_for_each_ifa(ifa, in_dev) list_for_each_entry(ifa, &(in_dev)->ifa_list, ifa_list)

/* Create (at register) and destroy (at unregister) a device's in_device;
 * the netdevice notifier in devinet.c calls these. */
struct in_device *inetdev_init(struct net_device *dev);
void inetdev_destroy(struct in_device *in_dev);
/* Add an address (`ip addr add A/P [broadcast B] [scope S] [label L]`):
 * -EEXIST if present on dev, -EINVAL for a bad prefix or a scope that
 * differs from the subnet's primary, -ENODEV without IPv4 on dev, -ENOMEM.
 * broadcast 0 means none (inet_default_broadcast() computes `brd +`);
 * label NULL means the device name. The first address of a subnet is
 * primary, the others secondary. Sends gratuitous ARP when the device is
 * up and notifies address listeners. */
int inet_addr_add(struct net_device *dev, u32 local, int prefixlen, u32 broadcast,
		  int scope, const char *label);
/* Delete (`ip addr del A/P`; prefixlen < 0 matches any prefix). Deleting a
 * primary deletes its secondaries unless promote_secondaries is set, in
 * which case the first secondary becomes primary. -EADDRNOTAVAIL if absent. */
int inet_addr_del(struct net_device *dev, u32 local, int prefixlen);
static inline u32 inet_default_broadcast(u32 local, int prefixlen)
{
	return prefixlen >= 31 ? 0 : (local | ~inet_make_mask(prefixlen));
}

/* The in_ifaddr holding local address addr in net, or NULL. */
struct in_ifaddr *inet_lookup_ifaddr(struct net *net, u32 addr);
/* Source address for talking to dst from dev (Linux's inet_select_addr):
 * the first primary address of dev with scope <= scope, preferring one on
 * dst's subnet; failing that, the first such address (of scope below
 * link) on any device of the namespace, lo first. 0 if none. */
u32 inet_select_addr(const struct net_device *dev, u32 dst, int scope);
/* Are a and b (b 0: just a) both on one subnet of in_dev? */
bool inet_addr_onlink(const struct in_device *in_dev, u32 a, u32 b);
/* Confirm that local (0: any) is an address of scope <= scope on in_dev
 * (NULL: any device), on a subnet with dst if dst != 0 (Linux's
 * inet_confirm_addr). Returns the address or 0. */
u32 inet_confirm_addr(struct net *net, const struct in_device *in_dev, u32 dst, u32 local,
		      int scope);

/* Address change listeners (routing adds local/subnet routes from these). */
enum { INETADDR_UP = 1, INETADDR_DOWN = 2 };
struct inetaddr_notifier {
	void (*fn)(struct inetaddr_notifier *nb, int event, struct in_ifaddr *ifa);
	struct inetaddr_notifier *next;
};
void register_inetaddr_notifier(struct tn_stack *st, struct inetaddr_notifier *nb);
void unregister_inetaddr_notifier(struct tn_stack *st, struct inetaddr_notifier *nb);

static inline struct in_device *__in_dev_get(const struct net_device *dev)
{
	return dev->ip_ptr;
}

#endif
