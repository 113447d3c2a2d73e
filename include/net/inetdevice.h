/*
 * IPv4 configuration of a device (struct in_device): its addresses
 * (in_ifaddr, several per device, primary and secondary per subnet as Linux
 * keeps them) and its per-device settings (ipv4_devconf: net.ipv4.conf.DEV.*).
 * Every local address is also in the namespace's inet_addr_lst hash, so "is
 * this address mine?" is O(1) (inet_lookup_ifaddr).
 */
#ifndef TN_NET_INETDEVICE_H
#define TN_NET_INETDEVICE_H

#include "net/compiler.h"
#include "net/netdevice.h"
#include "lib/list.h"

struct net;
struct net_device;
struct neigh_parms;
struct tn_stack;
struct ctl_table_header;

/* net.ipv4.conf.*, Linux's names; values are ints as in sysctl. */
struct ipv4_devconf {
	int forwarding;
	int rp_filter;
	int accept_redirects;
	int send_redirects;
	int accept_source_route;
	int arp_filter;
	int arp_announce;
	int arp_ignore;
	int arp_accept;
	int arp_notify;
	int proxy_arp;
	int log_martians;
};

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

/* Create (at register) and destroy (at unregister) a device's in_device. */
struct in_device *inetdev_init(struct net_device *dev);
void inetdev_destroy(struct in_device *in_dev);
/* Add an address (`ip addr add A/P [broadcast B] [scope S] [label L]`):
 * -EEXIST if present, -EINVAL for a bad prefix. broadcast 0 means none
 * (inet_default_broadcast() computes `brd +`). Sends gratuitous ARP when
 * the device is up and notifies address listeners. */
int inet_addr_add(struct net_device *dev, u32 local, int prefixlen, u32 broadcast,
		  int scope, const char *label);
int inet_addr_del(struct net_device *dev, u32 local, int prefixlen);
static inline u32 inet_default_broadcast(u32 local, int prefixlen)
{
	return prefixlen >= 31 ? 0 : (local | ~inet_make_mask(prefixlen));
}

/* The in_ifaddr holding local address addr in net, or NULL. */
struct in_ifaddr *inet_lookup_ifaddr(struct net *net, u32 addr);
/* The first primary address of dev with scope <= scope (inet_select_addr):
 * prefers one on the same subnet as dst. 0 if none. */
u32 inet_select_addr(const struct net_device *dev, u32 dst, int scope);
/* Does dev have an address on the same subnet as addr (or is it one)? */
bool inet_addr_onlink(const struct in_device *in_dev, u32 addr);

/* Address change listeners (routing adds local/subnet routes from these). */
enum { INETADDR_UP = 1, INETADDR_DOWN = 2 };
struct inetaddr_notifier {
	void (*fn)(struct inetaddr_notifier *nb, int event, struct in_ifaddr *ifa);
	struct inetaddr_notifier *next;
};
void register_inetaddr_notifier(struct tn_stack *st, struct inetaddr_notifier *nb);

static inline struct in_device *__in_dev_get(const struct net_device *dev)
{
	return dev->ip_ptr;
}

#endif
