/*
 * The device core, control half: the registry of net_devices of every
 * namespace (a list in ifindex order plus name and index hash tables), their
 * names and ifindexes, registration and unregistration, moving a device to
 * another namespace, administrative state (up/down, flags, promiscuity, MTU,
 * hardware address, carrier and RFC 2863 operstate), the netdevice notifier
 * chain that tells ARP, devinet and the rest what happened, and the transmit
 * entry dev_queue_xmit().
 *
 * It is not the packet path on receive (dev_rx.c: softnet, NAPI, packet_type
 * dispatch), not a driver (drivers/net) and not the queueing disciplines
 * (net/sched). Its shape and names follow Linux's net/core/dev.c; what
 * rtnetlink would add (netlink messages, altnames, linkwatch's delay) is left
 * out, and link state changes take effect at once instead of through the
 * linkwatch work queue.
 *
 * Everything runs under the stack lock.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "net/gso.h"
#include "net/stack.h"
#include "net/netdevice.h"
#include "net/net_namespace.h"
#include "net/sch_generic.h"
#include "net/wire/ethernet.h"
#include "lib/hash.h"
#include "net/core/dev.h"

#define DEFAULT_TX_QUEUE_LEN 1000
/* Linux's max_netdevices: how many numbers an "eth%d" template may use. */
#define DEV_ALLOC_MAX (8 * 4096)

/* ---- name and index tables ---------------------------------------------- */

static struct hlist_head *dev_name_hash(struct net *net, const char *name)
{
	u32 h = jhash(name, (u32)strnlen(name, IFNAMSIZ), net->stack->hash_seed);

	return &net->dev_name_head[h & (NETDEV_HASHENTRIES - 1)];
}

static struct hlist_head *dev_index_hash(struct net *net, int ifindex)
{
	u32 h = jhash_1word((u32)ifindex, net->stack->hash_seed);

	return &net->dev_index_head[h & (NETDEV_HASHENTRIES - 1)];
}

struct net_device *__dev_get_by_name(struct net *net, const char *name)
{
	struct net_device *dev;

	hlist_for_each_entry(dev, dev_name_hash(net, name), name_hlist)
		if (strncmp(dev->name, name, IFNAMSIZ) == 0)
			return dev;
	return NULL;
}

struct net_device *__dev_get_by_index(struct net *net, int ifindex)
{
	struct net_device *dev;

	hlist_for_each_entry(dev, dev_index_hash(net, ifindex), index_hlist)
		if (dev->ifindex == ifindex)
			return dev;
	return NULL;
}

/* The device list is kept in ifindex order (what `ip link` prints), which a
 * device keeping its ifindex across a namespace move can break if it is just
 * appended; so insert before the first larger ifindex, from the tail, since
 * new devices usually have the largest. */
static void list_netdevice(struct net_device *dev)
{
	struct net *net = dev_net(dev);
	struct list_head *pos = net->dev_base_head.prev;

	while (pos != &net->dev_base_head &&
	       list_entry(pos, struct net_device, dev_list)->ifindex > dev->ifindex)
		pos = pos->prev;
	__list_add(&dev->dev_list, pos, pos->next);
	hlist_add_head(&dev->name_hlist, dev_name_hash(net, dev->name));
	hlist_add_head(&dev->index_hlist, dev_index_hash(net, dev->ifindex));
	net->dev_count++;
}

static void unlist_netdevice(struct net_device *dev)
{
	list_del_init(&dev->dev_list);
	hlist_del_init(&dev->name_hlist);
	hlist_del_init(&dev->index_hlist);
	dev_net(dev)->dev_count--;
}

/* Linux's dev_new_index(): the next free ifindex after the last one handed
 * out, wrapping to 1, so numbers are not reused while the counter climbs. */
static int dev_new_index(struct net *net)
{
	int ifindex = net->ifindex;

	for (;;) {
		ifindex = ifindex == INT_MAX ? 1 : ifindex + 1;
		if (!__dev_get_by_index(net, ifindex))
			return net->ifindex = ifindex;
	}
}

/* ---- names ---------------------------------------------------------------- */

bool dev_valid_name(const char *name)
{
	if (*name == '\0')
		return false;
	if (strnlen(name, IFNAMSIZ) == IFNAMSIZ)
		return false;
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return false;
	for (; *name; name++)
		if (*name == '/' || *name == ':' || isspace((unsigned char)*name))
			return false;
	return true;
}

/*
 * The number a name takes in a template ("eth%d" and "eth12" give 12), or -1
 * if the name is not one the template prints. Linux uses sscanf and checks
 * that printf gives the name back; this is the same test without a format
 * string from the user: no sign, no leading zero, the exact suffix.
 */
static int dev_name_template_number(const char *tmpl, size_t plen, const char *name)
{
	const char *p = name + plen;
	long n = 0;

	if (strncmp(name, tmpl, plen) != 0 || !isdigit((unsigned char)*p))
		return -1;
	if (*p == '0' && isdigit((unsigned char)p[1]))
		return -1;
	while (isdigit((unsigned char)*p) && n < DEV_ALLOC_MAX)
		n = n * 10 + (*p++ - '0');
	if (n >= DEV_ALLOC_MAX || strcmp(p, tmpl + plen + 2) != 0)
		return -1;
	return (int)n;
}

/* Linux's __dev_alloc_name(): the lowest number no device of net uses. */
static int __dev_alloc_name(struct net *net, const char *tmpl, char *res)
{
	u64 inuse[DEV_ALLOC_MAX / 64];
	const char *p = strchr(tmpl, '%');
	struct net_device *d;
	size_t plen;
	int i;

	if (!p || p[1] != 'd' || strchr(p + 2, '%'))
		return -EINVAL;
	plen = (size_t)(p - tmpl);
	memset(inuse, 0, sizeof(inuse));
	for_each_netdev(net, d) {
		i = dev_name_template_number(tmpl, plen, d->name);
		if (i >= 0)
			inuse[i / 64] |= 1ull << (i % 64);
	}
	for (i = 0; i < DEV_ALLOC_MAX; i++)
		if (!(inuse[i / 64] & (1ull << (i % 64))))
			break;
	if (i == DEV_ALLOC_MAX)
		return -ENFILE;
	/* A number too wide for IFNAMSIZ would be cut short by printf and
	 * name some other device; Linux's answer for a full template is ENFILE. */
	if (snprintf(res, IFNAMSIZ, "%.*s%d%s", (int)plen, tmpl, i, p + 2) >= IFNAMSIZ)
		return -ENFILE;
	return i;
}

/* Check want_name and, for a template, pick the number: the result in out. */
static int dev_prep_valid_name(struct net *net, const char *want_name, char *out, int dup_errno)
{
	char buf[IFNAMSIZ];
	int ret;

	if (!dev_valid_name(want_name))
		return -EINVAL;
	if (strchr(want_name, '%')) {
		ret = __dev_alloc_name(net, want_name, buf);
		if (ret < 0)
			return ret;
		memcpy(out, buf, IFNAMSIZ);
		return 0;
	}
	if (__dev_get_by_name(net, want_name))
		return -dup_errno;
	if (out != want_name)
		snprintf(out, IFNAMSIZ, "%s", want_name);
	return 0;
}

/* ---- notifiers ------------------------------------------------------------ */

/* Higher priority first; among equals, the earlier registration first. */
static int notifier_chain_register(struct notifier_block **nl, struct notifier_block *n)
{
	while (*nl) {
		if (*nl == n)
			return -EEXIST;
		if (n->priority > (*nl)->priority)
			break;
		nl = &(*nl)->next;
	}
	n->next = *nl;
	*nl = n;
	return 0;
}

static int notifier_chain_unregister(struct notifier_block **nl, struct notifier_block *n)
{
	for (; *nl; nl = &(*nl)->next) {
		if (*nl == n) {
			*nl = n->next;
			n->next = NULL;
			return 0;
		}
	}
	return -ENOENT;
}

/* The next block is read before the call, so a notifier may unregister
 * itself from inside its own callback. */
static int notifier_call_chain(struct notifier_block *nb, unsigned long event, void *v)
{
	int ret = NOTIFY_DONE;

	while (nb) {
		struct notifier_block *next = nb->next;

		ret = nb->notifier_call(nb, event, v);
		if (ret & NOTIFY_STOP_MASK)
			break;
		nb = next;
	}
	return ret;
}

int call_netdevice_notifiers(unsigned long event, struct net_device *dev)
{
	return notifier_call_chain(dev->stack->netdev_chain, event, dev);
}

/* A late notifier is told about the devices that already exist, as if it
 * had been there when they registered and came up. */
static int call_netdevice_register_notifiers(struct notifier_block *nb, struct net_device *dev)
{
	int err = notifier_to_errno(nb->notifier_call(nb, NETDEV_REGISTER, dev));

	if (err)
		return err;
	if (dev->flags & IFF_UP)
		nb->notifier_call(nb, NETDEV_UP, dev);
	return 0;
}

static void call_netdevice_unregister_notifiers(struct notifier_block *nb, struct net_device *dev)
{
	if (dev->flags & IFF_UP) {
		nb->notifier_call(nb, NETDEV_GOING_DOWN, dev);
		nb->notifier_call(nb, NETDEV_DOWN, dev);
	}
	nb->notifier_call(nb, NETDEV_UNREGISTER, dev);
}

/* Replay the going-away events to nb for every device before `stop`
 * (every device if stop is NULL). */
static void netdevice_notifiers_unwind(struct tn_stack *st, struct notifier_block *nb,
				       struct net_device *stop)
{
	struct net_device *dev;
	struct net *net;

	list_for_each_entry(net, &st->net_list, list) {
		for_each_netdev(net, dev) {
			if (dev == stop)
				return;
			call_netdevice_unregister_notifiers(nb, dev);
		}
	}
}

int register_netdevice_notifier(struct tn_stack *st, struct notifier_block *nb)
{
	struct net_device *dev;
	struct net *net;
	int err;

	err = notifier_chain_register(&st->netdev_chain, nb);
	if (err)
		return err;
	list_for_each_entry(net, &st->net_list, list) {
		for_each_netdev(net, dev) {
			err = call_netdevice_register_notifiers(nb, dev);
			if (err)
				goto rollback;
		}
	}
	return 0;

rollback:
	netdevice_notifiers_unwind(st, nb, dev);
	notifier_chain_unregister(&st->netdev_chain, nb);
	return err;
}

int unregister_netdevice_notifier(struct tn_stack *st, struct notifier_block *nb)
{
	int err = notifier_chain_unregister(&st->netdev_chain, nb);

	if (err)
		return err;
	netdevice_notifiers_unwind(st, nb, NULL);
	return 0;
}

/* ---- allocation and reference counting ------------------------------------ */

/* The private area is 16-byte aligned (drivers keep u128-sized counters and
 * skb queues there); malloc promises less under some allocators (ASan). */
static struct net_device *netdev_zalloc(size_t size)
{
	size_t align = _Alignof(struct net_device);
	size_t total = TN_ALIGN(size, align);
	struct net_device *dev = aligned_alloc(align, total);

	if (dev)
		memset(dev, 0, total);
	return dev;
}

struct net_device *alloc_netdev(struct tn_stack *st, size_t priv_size, const char *name,
				void (*setup)(struct net_device *dev))
{
	struct net_device *dev;

	if (tn_should_fail(st, TN_FAULT_GENERIC))
		return NULL;
	dev = netdev_zalloc(sizeof(*dev) + priv_size);
	if (!dev)
		return NULL;
	dev->stack = st;
	dev->nd_net = st->init_net;
	if (!name)
		name = "eth%d";
	/* A name that does not fit stays empty: register_netdevice() then
	 * refuses it with -EINVAL, as rtnetlink refuses a long IFLA_IFNAME. */
	if (strlen(name) < IFNAMSIZ)
		memcpy(dev->name, name, strlen(name) + 1);
	INIT_LIST_HEAD(&dev->dev_list);
	INIT_HLIST_NODE(&dev->name_hlist);
	INIT_HLIST_NODE(&dev->index_hlist);
	INIT_LIST_HEAD(&dev->napi_list);
	dev->mtu = ETH_DATA_LEN;
	dev->tx_queue_len = DEFAULT_TX_QUEUE_LEN;
	dev->gso_max_size = GSO_MAX_SIZE;
	dev->refcnt = 1;
	/* UNKNOWN until the driver reports carrier, as Linux's lo and dummy
	 * stay; `ip link` shows DOWN for any device that is not running. */
	dev->operstate = IF_OPER_UNKNOWN;
	/* As in Linux, a device has carrier until its driver says otherwise. */
	dev->carrier = true;
	dev->reg_state = NETREG_UNINITIALIZED;
	if (setup)
		setup(dev);
	return dev;
}

static void netdev_free(struct net_device *dev)
{
	struct napi_struct *n, *tmp;

	list_for_each_entry_safe(n, tmp, &dev->napi_list, dev_list)
		netif_napi_del(n);
	if (dev->priv_destructor)
		dev->priv_destructor(dev);
	free(dev);
}

void free_netdev(struct net_device *dev)
{
	if (!dev)
		return;
	TN_BUG_ON(dev->reg_state == NETREG_REGISTERED ||
		  dev->reg_state == NETREG_UNREGISTERING);
	netdev_free(dev);
}

/* The registration holds the first reference; whoever drops the last one
 * after unregistration frees the device (Linux's netdev_run_todo). */
void dev_put(struct net_device *dev)
{
	TN_BUG_ON(dev->refcnt <= 0);
	if (--dev->refcnt)
		return;
	TN_BUG_ON(dev->reg_state == NETREG_REGISTERED);
	netdev_free(dev);
}

/* ---- operstate and carrier ------------------------------------------------ */

static int dev_get_iflink(const struct net_device *dev)
{
	if (dev->netdev_ops && dev->netdev_ops->ndo_get_iflink)
		return dev->netdev_ops->ndo_get_iflink(dev);
	return dev->ifindex;
}

/* RFC 2863 operstate from the link state (Linux's rfc2863_policy), computed
 * only when the link state changes: without carrier, LOWERLAYERDOWN for a
 * device stacked on another (veth, whose "lower layer" is its peer) and DOWN
 * for a plain NIC. Whether the device is up does not enter: `ip link`
 * reports DOWN for a device that is not running, whatever operstate says. */
static unsigned char default_operstate(const struct net_device *dev)
{
	if (!netif_carrier_ok(dev))
		return dev_get_iflink(dev) != dev->ifindex ? IF_OPER_LOWERLAYERDOWN : IF_OPER_DOWN;
	return IF_OPER_UP;
}

static void dev_update_operstate(struct net_device *dev)
{
	dev->operstate = default_operstate(dev);
}

/* What linkwatch does for Linux, at once: new operstate, and NETDEV_CHANGE
 * for a device that is up. Before registration nobody is listening. */
static void linkwatch_do_dev(struct net_device *dev)
{
	if (dev->reg_state == NETREG_UNINITIALIZED)
		return;
	dev_update_operstate(dev);
	if (dev->reg_state == NETREG_REGISTERED && (dev->flags & IFF_UP))
		call_netdevice_notifiers(NETDEV_CHANGE, dev);
}

void netif_carrier_on(struct net_device *dev)
{
	if (dev->carrier)
		return;
	dev->carrier = true;
	linkwatch_do_dev(dev);
}

void netif_carrier_off(struct net_device *dev)
{
	if (!dev->carrier)
		return;
	dev->carrier = false;
	linkwatch_do_dev(dev);
}

static bool netif_oper_up(const struct net_device *dev)
{
	return dev->operstate == IF_OPER_UP || dev->operstate == IF_OPER_UNKNOWN;
}

/* As SIOCGIFFLAGS and `ip link`: IFF_PROMISC and IFF_ALLMULTI as the user
 * set them (not the count that taps add), RUNNING and LOWER_UP from the
 * link state of a device that is up. */
unsigned int dev_get_flags(const struct net_device *dev)
{
	unsigned int flags;

	flags = (dev->flags & ~(IFF_PROMISC | IFF_ALLMULTI | IFF_RUNNING | IFF_LOWER_UP |
				IFF_DORMANT)) |
		(dev->gflags & (IFF_PROMISC | IFF_ALLMULTI));
	if (netif_running(dev)) {
		if (netif_oper_up(dev))
			flags |= IFF_RUNNING;
		if (netif_carrier_ok(dev))
			flags |= IFF_LOWER_UP;
	}
	return flags;
}

/* ---- up and down ---------------------------------------------------------- */

static void dev_napi_enable_all(struct net_device *dev)
{
	struct napi_struct *n;

	list_for_each_entry(n, &dev->napi_list, dev_list)
		napi_enable(n);
}

static void dev_napi_disable_all(struct net_device *dev)
{
	struct napi_struct *n;

	list_for_each_entry(n, &dev->napi_list, dev_list)
		napi_disable(n);
}

static void dev_set_rx_mode(struct net_device *dev)
{
	if (!(dev->flags & IFF_UP))
		return;
	if (dev->netdev_ops && dev->netdev_ops->ndo_set_rx_mode)
		dev->netdev_ops->ndo_set_rx_mode(dev);
}

/*
 * Linux sets __LINK_STATE_START before ndo_open so that the driver already
 * sees netif_running(), and IFF_UP after it succeeds. Here IFF_UP is both,
 * so it is set first and taken back if the driver refuses.
 */
static int __dev_open(struct net_device *dev)
{
	const struct net_device_ops *ops = dev->netdev_ops;
	int ret;

	if (dev->reg_state != NETREG_REGISTERED)
		return -ENODEV;
	ret = notifier_to_errno(call_netdevice_notifiers(NETDEV_PRE_UP, dev));
	if (ret)
		return ret;
	dev->flags |= IFF_UP;
	dev_napi_enable_all(dev);
	if (ops && ops->ndo_open)
		ret = ops->ndo_open(dev);
	if (ret) {
		dev_napi_disable_all(dev);
		dev->flags &= ~IFF_UP;
		return ret > 0 ? -EIO : ret;
	}
	dev_set_rx_mode(dev);
	dev_activate(dev);
	return 0;
}

int dev_open(struct net_device *dev)
{
	int ret;

	if (dev->flags & IFF_UP)
		return 0;
	ret = __dev_open(dev);
	if (ret < 0)
		return ret;
	call_netdevice_notifiers(NETDEV_UP, dev);
	return 0;
}

/*
 * GOING_DOWN is sent while the device is still up (ARP and devinet can still
 * send their goodbyes); then it stops running (Linux clears
 * __LINK_STATE_START here), the qdisc sleeps, the driver stops and NAPI stops.
 */
static void __dev_close(struct net_device *dev)
{
	const struct net_device_ops *ops = dev->netdev_ops;

	call_netdevice_notifiers(NETDEV_GOING_DOWN, dev);
	dev->flags &= ~IFF_UP;
	dev_deactivate(dev);
	if (ops && ops->ndo_stop)
		ops->ndo_stop(dev);
	dev_napi_disable_all(dev);
}

int dev_close(struct net_device *dev)
{
	if (!(dev->flags & IFF_UP))
		return 0;
	__dev_close(dev);
	call_netdevice_notifiers(NETDEV_DOWN, dev);
	return 0;
}

static int __dev_set_promiscuity(struct net_device *dev, int inc)
{
	unsigned int old_flags = dev->flags;

	if (inc < 0 && dev->promiscuity < (unsigned int)-inc)
		return -EINVAL;
	dev->flags |= IFF_PROMISC;
	dev->promiscuity += (unsigned int)inc;
	if (dev->promiscuity == 0) {
		/* Back to zero by a decrement: promiscuous mode ends. The
		 * same from an increment is an overflow, undone. */
		if (inc < 0) {
			dev->flags &= ~IFF_PROMISC;
		} else {
			dev->promiscuity -= (unsigned int)inc;
			dev->flags = old_flags;
			return -EOVERFLOW;
		}
	}
	if (dev->flags != old_flags)
		dev_set_rx_mode(dev);
	return 0;
}

int dev_set_promiscuity(struct net_device *dev, int inc)
{
	return __dev_set_promiscuity(dev, inc);
}

/* Linux's __dev_change_flags(): the user may set only some flags directly;
 * UP, PROMISC and ALLMULTI go through their own paths. */
static int __dev_change_flags(struct net_device *dev, unsigned int flags)
{
	unsigned int old_flags = dev->flags;
	int ret = 0;

	dev->flags = (flags & (IFF_DEBUG | IFF_NOTRAILERS | IFF_NOARP | IFF_DYNAMIC |
			       IFF_MULTICAST | IFF_PORTSEL | IFF_AUTOMEDIA)) |
		     (dev->flags & (IFF_UP | IFF_VOLATILE | IFF_PROMISC | IFF_ALLMULTI));
	dev_set_rx_mode(dev);

	if ((old_flags ^ flags) & IFF_UP) {
		if (old_flags & IFF_UP)
			__dev_close(dev);
		else
			ret = __dev_open(dev);
	}
	if ((flags ^ dev->gflags) & IFF_PROMISC) {
		int inc = (flags & IFF_PROMISC) ? 1 : -1;

		dev->gflags ^= IFF_PROMISC;
		if (__dev_set_promiscuity(dev, inc) < 0)
			dev->gflags ^= IFF_PROMISC;
	}
	/* No multicast filter to program: ALLMULTI is the user's flag alone. */
	if ((flags ^ dev->gflags) & IFF_ALLMULTI) {
		dev->gflags ^= IFF_ALLMULTI;
		dev->flags ^= IFF_ALLMULTI;
	}
	return ret;
}

static void __dev_notify_flags(struct net_device *dev, unsigned int old_flags)
{
	unsigned int changes = dev->flags ^ old_flags;

	if (changes & IFF_UP)
		call_netdevice_notifiers((dev->flags & IFF_UP) ? NETDEV_UP : NETDEV_DOWN, dev);
	if ((dev->flags & IFF_UP) &&
	    (changes & ~(IFF_UP | IFF_PROMISC | IFF_ALLMULTI | IFF_VOLATILE)))
		call_netdevice_notifiers(NETDEV_CHANGE, dev);
}

int dev_change_flags(struct net_device *dev, unsigned int flags)
{
	unsigned int old_flags = dev->flags;
	int ret;

	ret = __dev_change_flags(dev, flags);
	if (ret < 0)
		return ret;
	__dev_notify_flags(dev, old_flags);
	return ret;
}

/* ---- MTU and address ------------------------------------------------------ */

static int dev_validate_mtu(const struct net_device *dev, int new_mtu)
{
	if (new_mtu < 0 || new_mtu < (int)dev->min_mtu)
		return -EINVAL;
	if (dev->max_mtu > 0 && new_mtu > (int)dev->max_mtu)
		return -EINVAL;
	return 0;
}

static int __dev_set_mtu(struct net_device *dev, int new_mtu)
{
	if (dev->netdev_ops && dev->netdev_ops->ndo_change_mtu)
		return dev->netdev_ops->ndo_change_mtu(dev, new_mtu);
	dev->mtu = (unsigned int)new_mtu;
	return 0;
}

/* A notifier that cannot live with the new MTU vetoes it; everyone is then
 * told again about the old one so that they can undo what they did. */
int dev_set_mtu(struct net_device *dev, int new_mtu)
{
	int orig_mtu = (int)dev->mtu;
	int err;

	if (new_mtu == orig_mtu)
		return 0;
	err = dev_validate_mtu(dev, new_mtu);
	if (err)
		return err;
	err = __dev_set_mtu(dev, new_mtu);
	if (err)
		return err;
	err = notifier_to_errno(call_netdevice_notifiers(NETDEV_CHANGEMTU, dev));
	if (err) {
		__dev_set_mtu(dev, orig_mtu);
		call_netdevice_notifiers(NETDEV_CHANGEMTU, dev);
	}
	return err;
}

/* Without ndo_set_mac_address an Ethernet device gets Linux's
 * eth_mac_addr() behaviour (copy the address); anything else cannot change
 * its address, as lo cannot. */
int dev_set_mac_address(struct net_device *dev, const u8 *addr)
{
	const struct net_device_ops *ops = dev->netdev_ops;
	bool has_ndo = ops && ops->ndo_set_mac_address;
	int err;

	if (!has_ndo && dev->type != ARPHRD_ETHER)
		return -EOPNOTSUPP;
	if (dev->type == ARPHRD_ETHER && !is_valid_ether_addr(addr))
		return -EADDRNOTAVAIL;
	if (memcmp(dev->dev_addr, addr, dev->addr_len) != 0) {
		if (has_ndo) {
			err = ops->ndo_set_mac_address(dev, addr);
			if (err)
				return err;
		} else {
			memcpy(dev->dev_addr, addr, dev->addr_len);
		}
	}
	call_netdevice_notifiers(NETDEV_CHANGEADDR, dev);
	return 0;
}

/* ---- statistics ----------------------------------------------------------- */

void dev_get_stats(struct net_device *dev, struct rtnl_link_stats64 *s)
{
	if (dev->netdev_ops && dev->netdev_ops->ndo_get_stats64) {
		memset(s, 0, sizeof(*s));
		dev->netdev_ops->ndo_get_stats64(dev, s);
	} else {
		*s = dev->stats;
	}
	s->rx_dropped += dev->core_stats.rx_dropped;
	s->tx_dropped += dev->core_stats.tx_dropped;
	s->rx_nohandler += dev->core_stats.rx_nohandler;
}

/* ---- registration --------------------------------------------------------- */

/* Take a registered device out of use: closed, out of the tables, its
 * backlog frames dropped, every subsystem told, the driver's uninit run.
 * The registration reference is the caller's to drop. */
static void rollback_registered(struct net_device *dev)
{
	const struct net_device_ops *ops = dev->netdev_ops;

	dev_close(dev);
	dev_shutdown(dev);
	unlist_netdevice(dev);
	dev->reg_state = NETREG_UNREGISTERING;
	flush_backlog(dev);
	call_netdevice_notifiers(NETDEV_UNREGISTER, dev);
	if (ops && ops->ndo_uninit)
		ops->ndo_uninit(dev);
}

/* An ifindex the driver chose is kept if free; otherwise the next one. */
static int dev_index_reserve(struct net *net, struct net_device *dev)
{
	if (!dev->ifindex) {
		dev->ifindex = dev_new_index(net);
		return 0;
	}
	return __dev_get_by_index(net, dev->ifindex) ? -EBUSY : 0;
}

int register_netdevice(struct net *net, struct net_device *dev)
{
	const struct net_device_ops *ops = dev->netdev_ops;
	int ret;

	TN_BUG_ON(dev->reg_state != NETREG_UNINITIALIZED);
	TN_BUG_ON(!net || net->stack != dev->stack);
	dev->nd_net = net;
	ret = dev_prep_valid_name(net, dev->name, dev->name, EEXIST);
	if (ret < 0)
		return ret;
	if (ops && ops->ndo_init) {
		ret = ops->ndo_init(dev);
		if (ret)
			return ret > 0 ? -EIO : ret;
	}
	ret = dev_index_reserve(net, dev);
	if (ret)
		goto err_uninit;
	/* Software offloads may be toggled on every device (Linux adds
	 * NETIF_F_SOFT_FEATURES to hw_features here). */
	dev->hw_features |= NETIF_F_SOFT_FEATURES;
	dev->features = netdev_fix_features(dev, dev->features);
	/* Linux's linkwatch_init_dev: a device registered without carrier
	 * gets its operstate now; one with carrier stays UNKNOWN. */
	if (!netif_carrier_ok(dev))
		dev_update_operstate(dev);
	dev->reg_state = NETREG_REGISTERED;
	list_netdevice(dev);

	ret = notifier_to_errno(call_netdevice_notifiers(NETDEV_REGISTER, dev));
	if (ret) {
		/* The caller still owns the device and frees it with
		 * free_netdev(), as Linux expects after a failed register. */
		rollback_registered(dev);
		dev->reg_state = NETREG_UNINITIALIZED;
		dev->ifindex = 0;
	}
	return ret;

err_uninit:
	if (ops && ops->ndo_uninit)
		ops->ndo_uninit(dev);
	return ret;
}

void unregister_netdevice(struct net_device *dev)
{
	/* Linux warns and skips a device that never registered. */
	if (dev->reg_state == NETREG_UNINITIALIZED)
		return;
	TN_BUG_ON(dev->reg_state != NETREG_REGISTERED);
	rollback_registered(dev);
	dev->reg_state = NETREG_UNREGISTERED;
	dev_put(dev);
}

/*
 * A mini unregister and register (Linux's __dev_change_net_namespace): the
 * old namespace sees NETDEV_UNREGISTER, the new one NETDEV_REGISTER, while
 * reg_state stays REGISTERED throughout. The device keeps its name and
 * ifindex when they are free in the target; a taken name needs the pattern
 * (-EEXIST without one), a taken ifindex is renumbered.
 */
int dev_change_net_namespace(struct net_device *dev, struct net *net, const char *pat)
{
	char new_name[IFNAMSIZ] = "";
	int new_ifindex, err;

	/* lo is namespace-local (Linux's NETIF_F_NETNS_LOCAL). */
	if (dev->flags & IFF_LOOPBACK)
		return -EINVAL;
	if (dev->reg_state != NETREG_REGISTERED || net->dying)
		return -EINVAL;
	if (net == dev_net(dev))
		return 0;
	if (__dev_get_by_name(net, dev->name)) {
		if (!pat)
			return -EEXIST;
		err = dev_prep_valid_name(net, pat, new_name, EEXIST);
		if (err < 0)
			return err;
	}
	new_ifindex = __dev_get_by_index(net, dev->ifindex) ? dev_new_index(net) : dev->ifindex;

	dev_close(dev);
	dev_shutdown(dev);
	unlist_netdevice(dev);
	call_netdevice_notifiers(NETDEV_UNREGISTER, dev);

	dev->nd_net = net;
	dev->ifindex = new_ifindex;
	if (new_name[0])
		memcpy(dev->name, new_name, IFNAMSIZ);
	list_netdevice(dev);
	call_netdevice_notifiers(NETDEV_REGISTER, dev);
	return 0;
}

/* Renaming a device that is up is refused (-EBUSY), as Linux does for
 * devices without IFF_LIVE_RENAME_OK: programs hold the name while it runs. */
int dev_change_name(struct net_device *dev, const char *newname)
{
	struct net *net = dev_net(dev);
	char oldname[IFNAMSIZ], name[IFNAMSIZ];
	int err;

	if (strncmp(newname, dev->name, IFNAMSIZ) == 0)
		return 0;
	if (dev->flags & IFF_UP)
		return -EBUSY;
	err = dev_prep_valid_name(net, newname, name, EEXIST);
	if (err < 0)
		return err;
	memcpy(oldname, dev->name, IFNAMSIZ);
	hlist_del_init(&dev->name_hlist);
	memcpy(dev->name, name, IFNAMSIZ);
	hlist_add_head(&dev->name_hlist, dev_name_hash(net, dev->name));

	err = notifier_to_errno(call_netdevice_notifiers(NETDEV_CHANGENAME, dev));
	if (err) {
		hlist_del_init(&dev->name_hlist);
		memcpy(dev->name, oldname, IFNAMSIZ);
		hlist_add_head(&dev->name_hlist, dev_name_hash(net, dev->name));
		call_netdevice_notifiers(NETDEV_CHANGENAME, dev);
	}
	return err;
}

/* ---- offload features --------------------------------------------------- */

unsigned int netdev_fix_features(const struct net_device *dev, unsigned int features)
{
	(void)dev;
	/* "Dropping TSO features since no SG feature" / "... no CSUM feature". */
	if (!(features & NETIF_F_SG) || !(features & NETIF_F_CSUM_MASK))
		features &= ~NETIF_F_TSO;
	return features;
}

int netdev_set_features(struct net_device *dev, unsigned int mask, unsigned int wanted)
{
	unsigned int features;
	int err;

	if (mask & ~dev->hw_features & (dev->features ^ wanted))
		return -EOPNOTSUPP;
	features = (dev->features & ~mask) | (wanted & mask);
	features = netdev_fix_features(dev, features);
	if (features == dev->features)
		return 0;
	if (dev->netdev_ops && dev->netdev_ops->ndo_set_features) {
		err = dev->netdev_ops->ndo_set_features(dev, features);
		if (err)
			return err;
	}
	dev->features = features;
	return 0;
}

/* ---- transmit ------------------------------------------------------------- */

/* Linux's xmit_one: the taps see exactly what the driver gets. */
static netdev_tx_t xmit_one(struct sk_buff *skb, struct net_device *dev)
{
	if (!list_empty(&dev->stack->ptype_all))
		dev_queue_xmit_nit(skb, dev);
	return dev->netdev_ops->ndo_start_xmit(skb, dev);
}

netdev_tx_t dev_hard_start_xmit(struct sk_buff *first, struct net_device *dev,
				struct sk_buff **rest)
{
	struct sk_buff *skb = first;
	netdev_tx_t rc = NETDEV_TX_OK;

	while (skb) {
		struct sk_buff *next = skb->next;

		skb->next = NULL;
		rc = xmit_one(skb, dev);
		if (unlikely(!dev_xmit_complete(rc))) {
			skb->next = next;
			break;
		}
		skb = next;
	}
	*rest = skb;
	return rc;
}

static int dev_xmit_drop(struct sk_buff *skb, struct net_device *dev,
			 enum skb_drop_reason reason, int rc)
{
	dev->core_stats.tx_dropped++;
	kfree_skb_reason(skb, reason);
	return rc;
}

/* A device without a queue (lo, veth) has nowhere to keep a packet its
 * driver refuses: Linux's "Virtual device %s asks to queue packet!". Each
 * refused segment of a list is dropped the same way. */
static int dev_xmit_noqueue(struct sk_buff *skb, struct net_device *dev)
{
	struct sk_buff *rest;
	netdev_tx_t rc;

	skb = validate_xmit_skb(skb, dev);
	if (!skb)
		return NET_XMIT_DROP;
	rc = dev_hard_start_xmit(skb, dev, &rest);
	while (rest) {
		struct sk_buff *next = rest->next;

		rest->next = NULL;
		dev_xmit_drop(rest, dev, SKB_DROP_REASON_DEV_READY, 0);
		rest = next;
	}
	return rc < NET_XMIT_MASK ? (int)rc : -ENETDOWN;
}

/*
 * The transmit entry of every protocol. A device that is down refuses with
 * -ENETDOWN. Without carrier the packet goes nowhere, as Linux's noop qdisc
 * (which replaces the real one while the link is down) drops it. Otherwise
 * the root qdisc takes it and is run at once, or, for a device without one,
 * the driver gets it directly.
 */
int dev_queue_xmit(struct sk_buff *skb)
{
	struct net_device *dev = skb->dev;
	struct Qdisc *q;
	int rc;

	TN_BUG_ON(!dev);
	skb_reset_mac_header(skb);
	if (unlikely(!netif_running(dev)))
		return dev_xmit_drop(skb, dev, SKB_DROP_REASON_DEV_READY, -ENETDOWN);
	if (unlikely(!netif_carrier_ok(dev)))
		return dev_xmit_drop(skb, dev, SKB_DROP_REASON_TN_LINK_DOWN, NET_XMIT_CN);
	q = dev->qdisc;
	if (q && q->ops->enqueue) {
		rc = q->ops->enqueue(skb, q);
		qdisc_run(q);
		return rc & NET_XMIT_MASK;
	}
	return dev_xmit_noqueue(skb, dev);
}

/* ---- subsystems ----------------------------------------------------------- */

static int netdev_init(struct tn_stack *st)
{
	softnet_init(st);
	return 0;
}

static void netdev_exit(struct tn_stack *st)
{
	softnet_exit(st);
}

static int netdev_net_init(struct net *net)
{
	INIT_LIST_HEAD(&net->dev_base_head);
	for (unsigned int i = 0; i < NETDEV_HASHENTRIES; i++) {
		net->dev_name_head[i].first = NULL;
		net->dev_index_head[i].first = NULL;
	}
	net->ifindex = 0;
	net->dev_count = 0;
	return 0;
}

/* default_device_subsys ran first and emptied the namespace. */
static void netdev_net_exit(struct net *net)
{
	TN_BUG_ON(!list_empty(&net->dev_base_head));
}

const struct tn_subsystem netdev_subsys = {
	.name = "netdev",
	.init = netdev_init,
	.exit = netdev_exit,
	.net_init = netdev_net_init,
	.net_exit = netdev_net_exit,
};

static struct net_device *default_device_pick(struct net *net)
{
	struct net_device *dev;

	for_each_netdev(net, dev)
		if (dev != net->loopback_dev)
			return dev;
	return list_first_entry(&net->dev_base_head, struct net_device, dev_list);
}

/*
 * A dying namespace takes its devices with it. Linux destroys the virtual
 * ones and sends devices whose driver cannot be destroyed back to the
 * initial namespace; every driver here can be destroyed. lo goes last, so
 * that the others' goodbyes (ARP, routes through lo) still find it. The list
 * is searched afresh each time because unregistering a veth can take its
 * peer along.
 */
static void default_device_exit(struct net *net)
{
	while (!list_empty(&net->dev_base_head))
		unregister_netdevice(default_device_pick(net));
}

const struct tn_subsystem default_device_subsys = {
	.name = "default_device",
	.net_exit = default_device_exit,
};
