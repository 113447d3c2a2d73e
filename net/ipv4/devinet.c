/*
 * IPv4 device configuration (Linux's net/ipv4/devinet.c): the in_device each
 * registered device gets, its addresses (primary and secondary per subnet,
 * scope, label, broadcast), the namespace's hash of local addresses, source
 * address selection, and net.ipv4.conf.{all,default,DEV}.* with Linux's
 * names, defaults and "default propagates until set" rule.
 *
 * It does not route: routes follow addresses through the inetaddr notifier
 * chain (the FIB listens there). Address lifetimes, multicast membership
 * (ip_mc_*), netlink messages and point-to-point peers are not here yet.
 * Announcing on NETDEV_UP is unconditional (not gated by arp_notify), as
 * modern distributions configure it; announcing on address add is a tuxnet
 * addition (Linux leaves it to the tool that adds the address).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "net/skbuff.h"  /* before <linux/...> headers: PACKET_HOST */
#include "net/inetdevice.h"
#include "net/arp.h"
#include "net/neighbour.h"
#include "net/netdevice.h"
#include "net/net_namespace.h"
#include "net/stack.h"
#include "net/sysctl.h"
#include "lib/hash.h"

#define INADDR_LOOPBACK_HOST 0x7f000001u

/* ---- net.ipv4.conf.* ------------------------------------------------- */

static int devinet_conf_proc(const struct ctl_table *t, void *f, bool w, char *buf,
			     size_t len);
static int devinet_sysctl_forward(const struct ctl_table *t, void *f, bool w, char *buf,
				  size_t len);

/* Every field's sysctl name is its own name, as in Linux's devinet_vars. */
#define DEVINET_SYSCTL_VARS(ENTRY)                         \
	ENTRY(forwarding, devinet_sysctl_forward)          \
	ENTRY(rp_filter, devinet_conf_proc)                \
	ENTRY(accept_redirects, devinet_conf_proc)         \
	ENTRY(send_redirects, devinet_conf_proc)           \
	ENTRY(secure_redirects, devinet_conf_proc)         \
	ENTRY(shared_media, devinet_conf_proc)             \
	ENTRY(accept_source_route, devinet_conf_proc)      \
	ENTRY(arp_filter, devinet_conf_proc)               \
	ENTRY(arp_announce, devinet_conf_proc)             \
	ENTRY(arp_ignore, devinet_conf_proc)               \
	ENTRY(arp_accept, devinet_conf_proc)               \
	ENTRY(arp_notify, devinet_conf_proc)               \
	ENTRY(arp_evict_nocarrier, devinet_conf_proc)      \
	ENTRY(drop_gratuitous_arp, devinet_conf_proc)      \
	ENTRY(proxy_arp, devinet_conf_proc)                \
	ENTRY(route_localnet, devinet_conf_proc)           \
	ENTRY(promote_secondaries, devinet_conf_proc)      \
	ENTRY(log_martians, devinet_conf_proc)

#define DEVINET_ENTRY(field, handler) \
	{ #field, offsetof(struct ipv4_devconf, field), handler, 0, 0, 0644 },

static const struct ctl_table devinet_sysctl_table[] = {
	DEVINET_SYSCTL_VARS(DEVINET_ENTRY)
};

/* Linux's ipv4_devconf (conf.all) defaults; conf.default differs only in
 * accepting source routes. */
static void devinet_conf_defaults(struct ipv4_devconf *cnf, struct net *net, bool dflt)
{
	memset(cnf, 0, sizeof(*cnf));
	cnf->accept_redirects = 1;
	cnf->send_redirects = 1;
	cnf->secure_redirects = 1;
	cnf->shared_media = 1;
	cnf->arp_evict_nocarrier = 1;
	cnf->accept_source_route = dflt;
	cnf->net = net;
}

static int devinet_sysctl_index(const struct ctl_table *t)
{
	for (size_t i = 0; i < ARRAY_SIZE(devinet_sysctl_table); i++)
		if (strcmp(devinet_sysctl_table[i].procname, t->procname) == 0)
			return (int)i;
	return -1;
}

static int *devinet_conf_field(struct ipv4_devconf *cnf, int i)
{
	return (int *)((char *)cnf + devinet_sysctl_table[i].offset);
}

/* A write to conf.default reaches every device that has not set its own. */
static void devinet_copy_dflt_conf(struct net *net, int i)
{
	struct net_device *dev;
	struct in_device *in_dev;

	list_for_each_entry(dev, &net->dev_base_head, dev_list) {
		in_dev = __in_dev_get(dev);
		if (in_dev && !(in_dev->cnf.state & (1u << i)))
			*devinet_conf_field(&in_dev->cnf, i) =
				*devinet_conf_field(net->ipv4.devconf_dflt, i);
	}
}

static void devinet_conf_update(const struct ctl_table *t, void *f)
{
	struct ipv4_devconf *cnf = (struct ipv4_devconf *)((char *)f - t->offset);
	int i = devinet_sysctl_index(t);

	if (i < 0)
		return;
	cnf->state |= 1u << i;
	if (cnf == cnf->net->ipv4.devconf_dflt)
		devinet_copy_dflt_conf(cnf->net, i);
}

static int devinet_conf_proc(const struct ctl_table *t, void *f, bool w, char *buf,
			     size_t len)
{
	int err = proc_dointvec(t, f, w, buf, len);

	if (w && !err)
		devinet_conf_update(t, f);
	return err;
}

/* conf.all.forwarding switches every device (Linux's inet_forward_change):
 * forwarding on means redirects are not accepted. */
static void inet_forward_change(struct net *net)
{
	int on = net->ipv4.devconf_all->forwarding;
	struct net_device *dev;

	net->ipv4.devconf_all->accept_redirects = !on;
	net->ipv4.devconf_dflt->forwarding = on;
	net->ipv4.sysctl_ip_forward = on;
	list_for_each_entry(dev, &net->dev_base_head, dev_list)
		if (__in_dev_get(dev))
			__in_dev_get(dev)->cnf.forwarding = on;
}

static int devinet_sysctl_forward(const struct ctl_table *t, void *f, bool w, char *buf,
				  size_t len)
{
	struct ipv4_devconf *cnf = (struct ipv4_devconf *)((char *)f - t->offset);
	int err = devinet_conf_proc(t, f, w, buf, len);

	if (w && !err && cnf == cnf->net->ipv4.devconf_all)
		inet_forward_change(cnf->net);
	return err;
}

static struct ctl_table_header *devinet_sysctl_register(struct net *net, const char *name,
							struct ipv4_devconf *cnf)
{
	char path[64];

	snprintf(path, sizeof(path), "net/ipv4/conf/%s", name);
	return register_net_sysctl(net, path, devinet_sysctl_table,
				   ARRAY_SIZE(devinet_sysctl_table), cnf);
}

/* ---- address listeners ------------------------------------------------ */

void register_inetaddr_notifier(struct tn_stack *st, struct inetaddr_notifier *nb)
{
	struct inetaddr_notifier **pp = &st->inetaddr_chain;

	while (*pp)
		pp = &(*pp)->next;
	nb->next = NULL;
	*pp = nb;
}

void unregister_inetaddr_notifier(struct tn_stack *st, struct inetaddr_notifier *nb)
{
	for (struct inetaddr_notifier **pp = &st->inetaddr_chain; *pp; pp = &(*pp)->next) {
		if (*pp == nb) {
			*pp = nb->next;
			nb->next = NULL;
			return;
		}
	}
}

static void inetaddr_notify(struct in_ifaddr *ifa, int event)
{
	struct inetaddr_notifier *nb, *next;

	for (nb = ifa->ifa_dev->dev->stack->inetaddr_chain; nb; nb = next) {
		next = nb->next;
		nb->fn(nb, event, ifa);
	}
}

/* ---- announcing ---------------------------------------------------------- */

static bool inet_dev_can_announce(const struct net_device *dev)
{
	return netif_running(dev) && !(dev->flags & (IFF_NOARP | IFF_LOOPBACK)) &&
	       dev->header_ops && dev->addr_len;
}

/* Gratuitous ARP: a request for our own address, so that peers update
 * their caches (and a duplicate would answer). */
static void inet_ifa_announce(struct in_ifaddr *ifa)
{
	struct net_device *dev = ifa->ifa_dev->dev;

	if (inet_dev_can_announce(dev))
		arp_send(ARPOP_REQUEST, ETH_P_ARP, ifa->ifa_local, dev, ifa->ifa_local, NULL,
			 dev->dev_addr, NULL);
}

static void inetdev_send_gratuitous_arp(struct in_device *in_dev)
{
	struct in_ifaddr *ifa;

	in_dev_for_each_ifa(ifa, in_dev)
		inet_ifa_announce(ifa);
}

/* ---- addresses ----------------------------------------------------------- */

static struct hlist_head *inet_addr_bucket(struct net *net, u32 addr)
{
	return &net->ipv4.inet_addr_lst[hash_32(addr, IN4_ADDR_HSIZE_SHIFT)];
}

struct in_ifaddr *inet_lookup_ifaddr(struct net *net, u32 addr)
{
	struct in_ifaddr *ifa;

	hlist_for_each_entry(ifa, inet_addr_bucket(net, addr), hash)
		if (ifa->ifa_local == addr)
			return ifa;
	return NULL;
}

static struct in_ifaddr *inet_alloc_ifa(struct in_device *in_dev, u32 local, int prefixlen,
					u32 broadcast, int scope, const char *label)
{
	struct in_ifaddr *ifa = calloc(1, sizeof(*ifa));

	if (!ifa)
		return NULL;
	INIT_LIST_HEAD(&ifa->ifa_list);
	INIT_HLIST_NODE(&ifa->hash);
	ifa->ifa_dev = in_dev;
	ifa->ifa_local = ifa->ifa_address = local;
	ifa->ifa_prefixlen = (u8)prefixlen;
	ifa->ifa_mask = inet_make_mask(prefixlen);
	ifa->ifa_broadcast = broadcast;
	ifa->ifa_scope = (u8)scope;
	ifa->ifa_flags = IFA_F_PERMANENT;  /* no lifetimes: valid_lft forever */
	snprintf(ifa->ifa_label, sizeof(ifa->ifa_label), "%s", label ? label : in_dev->dev->name);
	return ifa;
}

/*
 * Link ifa into its device's list (Linux's __inet_insert_ifa): the first
 * address of a subnet is primary and goes after the last primary of equal
 * or wider scope; further addresses of that subnet are secondaries, at the
 * end. Returns 0, -EEXIST, or -EINVAL (scope differs from the subnet's).
 */
static int inet_insert_ifa(struct in_ifaddr *ifa)
{
	struct in_device *in_dev = ifa->ifa_dev;
	struct list_head *last_primary = &in_dev->ifa_list;
	struct in_ifaddr *ifa1;

	ifa->ifa_flags &= ~IFA_F_SECONDARY;
	in_dev_for_each_ifa(ifa1, in_dev) {
		if (!(ifa1->ifa_flags & IFA_F_SECONDARY) && ifa->ifa_scope <= ifa1->ifa_scope)
			last_primary = &ifa1->ifa_list;
		if (ifa1->ifa_mask != ifa->ifa_mask || !inet_ifa_match(ifa1->ifa_address, ifa))
			continue;
		if (ifa1->ifa_local == ifa->ifa_local)
			return -EEXIST;
		if (ifa1->ifa_scope != ifa->ifa_scope)
			return -EINVAL;
		ifa->ifa_flags |= IFA_F_SECONDARY;
	}
	if (ifa->ifa_flags & IFA_F_SECONDARY)
		list_add_tail(&ifa->ifa_list, &in_dev->ifa_list);
	else
		list_add(&ifa->ifa_list, last_primary);
	hlist_add_head(&ifa->hash, inet_addr_bucket(dev_net(in_dev->dev), ifa->ifa_local));
	inetaddr_notify(ifa, INETADDR_UP);
	inet_ifa_announce(ifa);
	return 0;
}

int inet_addr_add(struct net_device *dev, u32 local, int prefixlen, u32 broadcast,
		  int scope, const char *label)
{
	struct in_device *in_dev = __in_dev_get(dev);
	struct in_ifaddr *ifa;
	int err;

	if (!in_dev)
		return -ENODEV;
	if (prefixlen < 0 || prefixlen > 32 || scope < 0 || scope > RT_SCOPE_NOWHERE)
		return -EINVAL;
	if (!local)
		return 0;  /* Linux quietly ignores 0.0.0.0 */
	ifa = inet_alloc_ifa(in_dev, local, prefixlen, broadcast, scope, label);
	if (!ifa)
		return -ENOMEM;
	err = inet_insert_ifa(ifa);
	if (err)
		free(ifa);
	return err;
}

static void inet_unlink_ifa(struct in_ifaddr *ifa)
{
	list_del_init(&ifa->ifa_list);
	hlist_del_init(&ifa->hash);
	inetaddr_notify(ifa, INETADDR_DOWN);
	free(ifa);
}

static bool inet_ifa_is_secondary_of(const struct in_ifaddr *ifa, const struct in_ifaddr *prim)
{
	return (ifa->ifa_flags & IFA_F_SECONDARY) && ifa->ifa_mask == prim->ifa_mask &&
	       inet_ifa_match(prim->ifa_address, ifa);
}

/* The first secondary of prim's subnet becomes primary in prim's place. */
static struct in_ifaddr *inet_promote_secondary(struct in_ifaddr *prim)
{
	struct in_ifaddr *ifa;

	in_dev_for_each_ifa(ifa, prim->ifa_dev) {
		if (!inet_ifa_is_secondary_of(ifa, prim))
			continue;
		ifa->ifa_flags &= ~IFA_F_SECONDARY;
		list_del_init(&ifa->ifa_list);
		list_add(&ifa->ifa_list, &prim->ifa_list);
		return ifa;
	}
	return NULL;
}

/*
 * Remove ifa (Linux's __inet_del_ifa). A primary takes its secondaries with
 * it, unless promote_secondaries lets the first of them take its place.
 */
static void inet_del_ifa(struct in_ifaddr *ifa, bool destroy)
{
	struct in_device *in_dev = ifa->ifa_dev;
	struct in_ifaddr *ifa1, *tmp, *promote = NULL;

	if (!(ifa->ifa_flags & IFA_F_SECONDARY)) {
		if (!destroy && IN_DEV_PROMOTE_SECONDARIES(in_dev))
			promote = inet_promote_secondary(ifa);
		else
			list_for_each_entry_safe(ifa1, tmp, &in_dev->ifa_list, ifa_list)
				if (inet_ifa_is_secondary_of(ifa1, ifa))
					inet_unlink_ifa(ifa1);
	}
	inet_unlink_ifa(ifa);
	if (promote)
		inetaddr_notify(promote, INETADDR_UP);
}

int inet_addr_del(struct net_device *dev, u32 local, int prefixlen)
{
	struct in_device *in_dev = __in_dev_get(dev);
	struct in_ifaddr *ifa;

	if (!in_dev)
		return -ENODEV;
	in_dev_for_each_ifa(ifa, in_dev) {
		if (ifa->ifa_local == local && (prefixlen < 0 || ifa->ifa_prefixlen == prefixlen)) {
			inet_del_ifa(ifa, false);
			return 0;
		}
	}
	return -EADDRNOTAVAIL;
}

/* ---- choosing and confirming addresses ---------------------------------- */

/* The first primary address of scope below link and <= scope. */
static u32 in_dev_select_addr(const struct in_device *in_dev, int scope)
{
	const struct in_ifaddr *ifa;

	in_dev_for_each_ifa(ifa, in_dev) {
		if (ifa->ifa_flags & IFA_F_SECONDARY)
			continue;
		if (ifa->ifa_scope != RT_SCOPE_LINK && ifa->ifa_scope <= scope)
			return ifa->ifa_local;
	}
	return 0;
}

static int in_dev_localnet_scope(const struct in_device *in_dev)
{
	return IN_DEV_ROUTE_LOCALNET(in_dev) ? RT_SCOPE_LINK : RT_SCOPE_HOST;
}

u32 inet_select_addr(const struct net_device *dev, u32 dst, int scope)
{
	const struct in_device *in_dev = __in_dev_get(dev);
	const struct in_ifaddr *ifa;
	struct net_device *d;
	u32 addr = 0;

	if (in_dev) {
		int localnet_scope = in_dev_localnet_scope(in_dev);

		in_dev_for_each_ifa(ifa, in_dev) {
			if (ifa->ifa_flags & IFA_F_SECONDARY)
				continue;
			if (TN_MIN((int)ifa->ifa_scope, localnet_scope) > scope)
				continue;
			if (!dst || inet_ifa_match(dst, ifa))
				return ifa->ifa_local;
			if (!addr)
				addr = ifa->ifa_local;
		}
		if (addr)
			return addr;
	}
	/* Nothing on dev: any device's, lo first (it is first in the list). */
	list_for_each_entry(d, &dev_net(dev)->dev_base_head, dev_list) {
		in_dev = __in_dev_get(d);
		if (in_dev && (addr = in_dev_select_addr(in_dev, scope)))
			return addr;
	}
	return 0;
}

bool inet_addr_onlink(const struct in_device *in_dev, u32 a, u32 b)
{
	const struct in_ifaddr *ifa;

	in_dev_for_each_ifa(ifa, in_dev)
		if (inet_ifa_match(a, ifa) && (!b || inet_ifa_match(b, ifa)))
			return true;
	return false;
}

/* Linux's confirm_addr_indev: see inet_confirm_addr(). */
static u32 confirm_addr_indev(const struct in_device *in_dev, u32 dst, u32 local, int scope)
{
	int localnet_scope = in_dev_localnet_scope(in_dev);
	const struct in_ifaddr *ifa;
	bool same = false;
	u32 addr = 0;

	in_dev_for_each_ifa(ifa, in_dev) {
		int min_scope = TN_MIN((int)ifa->ifa_scope, localnet_scope);

		if (!addr && (local == ifa->ifa_local || !local) && min_scope <= scope) {
			addr = ifa->ifa_local;
			if (same)
				break;
		}
		if (same)
			continue;
		same = (!local || inet_ifa_match(local, ifa)) && (!dst || inet_ifa_match(dst, ifa));
		if (same && addr) {
			if (local || !dst)
				break;
			if (inet_ifa_match(addr, ifa))  /* selected addr is in dst's subnet */
				break;
			if (min_scope <= scope) {     /* use this one instead */
				addr = ifa->ifa_local;
				break;
			}
			same = false;  /* look for a larger dst subnet holding addr */
		}
	}
	return same ? addr : 0;
}

u32 inet_confirm_addr(struct net *net, const struct in_device *in_dev, u32 dst, u32 local,
		      int scope)
{
	struct net_device *dev;
	u32 addr;

	if (in_dev)
		return confirm_addr_indev(in_dev, dst, local, scope);
	list_for_each_entry(dev, &net->dev_base_head, dev_list) {
		in_dev = __in_dev_get(dev);
		if (in_dev && (addr = confirm_addr_indev(in_dev, dst, local, scope)))
			return addr;
	}
	return 0;
}

/* ---- in_device life -------------------------------------------------------- */

struct in_device *inetdev_init(struct net_device *dev)
{
	struct net *net = dev_net(dev);
	struct neigh_table *tbl = net->ipv4.arp_tbl;
	struct in_device *in_dev = calloc(1, sizeof(*in_dev));

	if (!in_dev)
		return NULL;
	in_dev->dev = dev;
	INIT_LIST_HEAD(&in_dev->ifa_list);
	in_dev->cnf = *net->ipv4.devconf_dflt;
	in_dev->cnf.state = 0;  /* follows conf.default until set itself */
	if (tbl) {
		in_dev->arp_parms = neigh_parms_alloc(dev, tbl);
		if (!in_dev->arp_parms || neigh_sysctl_register(dev, in_dev->arp_parms))
			goto err;
	}
	in_dev->sysctl = devinet_sysctl_register(net, dev->name, &in_dev->cnf);
	if (!in_dev->sysctl)
		goto err;
	dev->ip_ptr = in_dev;
	return in_dev;

err:
	if (in_dev->arp_parms)
		neigh_parms_release(tbl, in_dev->arp_parms);
	free(in_dev);
	return NULL;
}

void inetdev_destroy(struct in_device *in_dev)
{
	struct net_device *dev = in_dev->dev;
	struct neigh_table *tbl = dev_net(dev)->ipv4.arp_tbl;

	while (!list_empty(&in_dev->ifa_list))
		inet_del_ifa(list_first_entry(&in_dev->ifa_list, struct in_ifaddr, ifa_list), true);
	dev->ip_ptr = NULL;
	unregister_net_sysctl_table(in_dev->sysctl);
	if (tbl) {
		/* Entries on dev go before the parms they point to lose their owner. */
		neigh_ifdown(tbl, dev);
		neigh_parms_release(tbl, in_dev->arp_parms);
	}
	free(in_dev);
}

/* A renamed device's labels follow it: the first takes the new name, the
 * others keep their ":suffix" (Linux's inetdev_changename). */
static void inetdev_changename(struct in_device *in_dev)
{
	struct net_device *dev = in_dev->dev;
	struct in_ifaddr *ifa;
	int named = 0;

	in_dev_for_each_ifa(ifa, in_dev) {
		char suffix[16] = "";
		const char *dot = strchr(ifa->ifa_label, ':');

		if (named++ > 0) {
			if (dot)
				snprintf(suffix, sizeof(suffix), "%s", dot);
			else
				snprintf(suffix, sizeof(suffix), ":%d", named);
		}
		/* Shorten the name, never the suffix, to fit (IFNAMSIZ). */
		size_t slen = strlen(suffix);
		size_t nlen = TN_MIN(strlen(dev->name), sizeof(ifa->ifa_label) - 1 - slen);
		memcpy(ifa->ifa_label, dev->name, nlen);
		memcpy(ifa->ifa_label + nlen, suffix, slen + 1);
	}
	unregister_net_sysctl_table(in_dev->sysctl);
	in_dev->sysctl = devinet_sysctl_register(dev_net(dev), dev->name, &in_dev->cnf);
	if (in_dev->arp_parms) {
		neigh_sysctl_unregister(in_dev->arp_parms);
		neigh_sysctl_register(dev, in_dev->arp_parms);
	}
}

/* lo up: 127.0.0.1/8 scope host, as Linux's inetdev_event does. */
static void inetdev_loopback_up(struct net_device *dev)
{
	inet_addr_add(dev, INADDR_LOOPBACK_HOST, 8, 0, RT_SCOPE_HOST, NULL);
}

static int inetdev_event(struct notifier_block *nb, unsigned long event, void *ptr)
{
	struct net_device *dev = ptr;
	struct in_device *in_dev = __in_dev_get(dev);

	if (!in_dev) {
		if (event == NETDEV_REGISTER && !inetdev_init(dev))
			return notifier_from_errno(-ENOMEM);
		return NOTIFY_DONE;
	}
	switch (event) {
	case NETDEV_UP:
		if (dev->flags & IFF_LOOPBACK)
			inetdev_loopback_up(dev);
		inetdev_send_gratuitous_arp(in_dev);
		break;
	case NETDEV_CHANGEADDR:
		inetdev_send_gratuitous_arp(in_dev);
		break;
	case NETDEV_CHANGENAME:
		inetdev_changename(in_dev);
		break;
	case NETDEV_UNREGISTER:
		inetdev_destroy(in_dev);
		break;
	default:
		break;
	}
	return NOTIFY_DONE;
}

/* ---- subsystem ---------------------------------------------------------------- */

static int devinet_init(struct tn_stack *st)
{
	struct notifier_block *nb = calloc(1, sizeof(*nb));

	if (!nb)
		return -ENOMEM;
	nb->notifier_call = inetdev_event;
	return register_netdevice_notifier(st, nb);
}

/* Our block is the one calling inetdev_event: there is one per stack. */
static void devinet_exit(struct tn_stack *st)
{
	struct notifier_block *nb;

	for (nb = st->netdev_chain; nb; nb = nb->next)
		if (nb->notifier_call == inetdev_event)
			break;
	if (!nb)
		return;
	unregister_netdevice_notifier(st, nb);
	free(nb);
}

static void devinet_net_exit(struct net *net)
{
	struct netns_ipv4 *ipv4 = &net->ipv4;
	struct ctl_table_header *h, *tmp;

	/* Our two tables are the ones whose base is our conf. */
	list_for_each_entry_safe(h, tmp, &net->sysctls, list)
		if (h->base == ipv4->devconf_all || h->base == ipv4->devconf_dflt)
			unregister_net_sysctl_table(h);
	free(ipv4->devconf_all);
	free(ipv4->devconf_dflt);
	ipv4->devconf_all = ipv4->devconf_dflt = NULL;
}

static int devinet_net_init(struct net *net)
{
	struct netns_ipv4 *ipv4 = &net->ipv4;

	ipv4->devconf_all = malloc(sizeof(*ipv4->devconf_all));
	ipv4->devconf_dflt = malloc(sizeof(*ipv4->devconf_dflt));
	if (!ipv4->devconf_all || !ipv4->devconf_dflt)
		goto err;
	devinet_conf_defaults(ipv4->devconf_all, net, false);
	devinet_conf_defaults(ipv4->devconf_dflt, net, true);
	if (!devinet_sysctl_register(net, "all", ipv4->devconf_all) ||
	    !devinet_sysctl_register(net, "default", ipv4->devconf_dflt))
		goto err;
	return 0;

err:
	devinet_net_exit(net);
	return -ENOMEM;
}

const struct tn_subsystem devinet_subsys = {
	.name = "devinet",
	.init = devinet_init,
	.exit = devinet_exit,
	.net_init = devinet_net_init,
	.net_exit = devinet_net_exit,
};
