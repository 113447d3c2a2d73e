/*
 * Packet scheduler API: the registry of qdisc kinds and what `tc qdisc
 * add/replace/change/del ... root` does to a device.
 *
 * The registry is a const table of the built-in kinds, looked up by name, in
 * place of Linux's register_qdisc() list: there are no loadable modules here,
 * and a const table keeps every stack free of shared mutable state. A new
 * kind (netem, tbf, ...) joins by adding its ops to qdisc_base[].
 *
 * Only the root of a device is managed here (no classes, no child qdiscs,
 * no filters). A root replaced by tc is destroyed at once, its queued packets
 * dropped and counted. A root made on a down device sleeps until the device
 * comes up, and a root keeps its parameters across down/up (sch_generic.c).
 * The kind asked for is also remembered in dev->qdisc_kind, so that a root
 * deleted by tc, or never built, comes back as that kind on the next up.
 *
 * Not here: running qdiscs, device up/down, the watchdog (sch_generic.c).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "net/sch_generic.h"
#include "net/netdevice.h"
#include "net/net_namespace.h"

static const struct Qdisc_ops *const qdisc_base[] = {
	&pfifo_fast_ops,
	&pfifo_qdisc_ops,
	&bfifo_qdisc_ops,
	&noqueue_qdisc_ops,
	&netem_qdisc_ops,
};

/* No per-stack or per-namespace state: the registry above is const and each
 * device carries its own root. The entry exists to keep the table of
 * contents in subsys.c complete. */
const struct tn_subsystem pktsched_subsys = {
	.name = "pktsched",
};

const struct Qdisc_ops *qdisc_lookup_ops(const char *id)
{
	if (!id)
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(qdisc_base); i++)
		if (strcmp(qdisc_base[i]->id, id) == 0)
			return qdisc_base[i];
	return NULL;
}

static void __attribute__((format(printf, 2, 3)))
tc_errmsg(char *errmsg, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(errmsg, TC_ERRMSG_LEN, fmt, ap);
	va_end(ap);
}

struct Qdisc *qdisc_create(struct net_device *dev, const struct Qdisc_ops *ops, u32 handle,
			   int argc, char **argv, char *errmsg, int *errp)
{
	char scratch[TC_ERRMSG_LEN];
	struct Qdisc *q = qdisc_alloc(dev, ops);
	int err = 0;

	if (!errmsg)
		errmsg = scratch;
	if (!q) {
		tc_errmsg(errmsg, "Error: Cannot allocate memory.");
		*errp = -ENOMEM;
		return NULL;
	}
	q->handle = handle;
	errmsg[0] = '\0';
	if (ops->init) {
		err = ops->init(q, argc, argv, errmsg);
	} else if (argc > 0) {
		/* What tc says for a kind it knows no options of. */
		tc_errmsg(errmsg, "qdisc '%s' does not support option parsing", ops->id);
		err = -EINVAL;
	}
	if (err) {
		/* As Linux: destroy, not reset, runs after a failed init (it
		 * must cope with a half-initialised private area). Nothing was
		 * queued, scheduled or armed yet. */
		if (ops->destroy)
			ops->destroy(q);
		free(q);
		*errp = err;
		return NULL;
	}
	return q;
}

void qdisc_graft_root(struct net_device *dev, struct Qdisc *q)
{
	struct Qdisc *old = dev->qdisc;

	dev->qdisc = q;
	qdisc_destroy(old);
}

static void dev_set_qdisc_kind(struct net_device *dev, const char *kind)
{
	snprintf(dev->qdisc_kind, sizeof(dev->qdisc_kind), "%s", kind ? kind : "");
}

/* `tc qdisc del dev X root`: back to what the device gets by default. */
static int qdisc_restore_default(struct net_device *dev)
{
	dev_set_qdisc_kind(dev, NULL);
	qdisc_graft_root(dev, NULL);
	if (netif_running(dev))
		dev_activate(dev);
	return 0;
}

/* noqueue asked for: no root at all. */
static int qdisc_set_noqueue(struct net_device *dev, const struct Qdisc_ops *ops,
			     int argc, char *errmsg)
{
	if (argc > 0) {
		tc_errmsg(errmsg, "qdisc '%s' does not support option parsing", ops->id);
		return -EINVAL;
	}
	dev_set_qdisc_kind(dev, ops->id);
	qdisc_graft_root(dev, NULL);
	return 0;
}

int qdisc_create_root(struct net_device *dev, const char *kind, int argc, char **argv,
		      char *errmsg)
{
	char scratch[TC_ERRMSG_LEN];
	const struct Qdisc_ops *ops;
	struct Qdisc *q;
	int err;

	if (!errmsg)
		errmsg = scratch;
	errmsg[0] = '\0';
	if (!kind)
		return qdisc_restore_default(dev);
	ops = qdisc_lookup_ops(kind);
	if (!ops) {
		tc_errmsg(errmsg, "Error: Specified qdisc kind is unknown.");
		return -ENOENT;
	}
	if (!ops->enqueue)
		return qdisc_set_noqueue(dev, ops, argc, errmsg);

	/* Build the new root before touching the old one, so that bad
	 * arguments leave the device as it was. */
	q = qdisc_create(dev, ops, TN_QDISC_AUTOHANDLE, argc, argv, errmsg, &err);
	if (!q)
		return err;
	dev_set_qdisc_kind(dev, ops->id);
	qdisc_graft_root(dev, q);   /* on a down device it sleeps until up */
	return 0;
}

/* Change on a down device that has no root yet (never up): check the
 * arguments against the remembered kind; the root is built with the kind's
 * defaults on the first up, as tc's change has nothing to apply them to. */
static int qdisc_change_down(struct net_device *dev, int argc, char **argv, char *errmsg)
{
	const struct Qdisc_ops *ops = qdisc_lookup_ops(dev_qdisc_kind(dev));
	struct Qdisc *q;
	int err;

	if (!ops || !ops->enqueue) {
		tc_errmsg(errmsg, "Error: Qdisc not found. To create specify NLM_F_CREATE flag.");
		return -ENOENT;
	}
	q = qdisc_create(dev, ops, 0, argc, argv, errmsg, &err);
	if (!q)
		return err;
	qdisc_destroy(q);
	return 0;
}

int qdisc_change_root(struct net_device *dev, int argc, char **argv, char *errmsg)
{
	char scratch[TC_ERRMSG_LEN];
	struct Qdisc *q = dev->qdisc;

	if (!errmsg)
		errmsg = scratch;
	errmsg[0] = '\0';
	if (!q && !netif_running(dev))
		return qdisc_change_down(dev, argc, argv, errmsg);
	if (!q) {
		tc_errmsg(errmsg, "Error: Qdisc not found. To create specify NLM_F_CREATE flag.");
		return -ENOENT;
	}
	if (!q->ops->change) {
		if (argc == 0)
			return 0;
		tc_errmsg(errmsg, "Error: Change operation not supported by specified qdisc.");
		return -EINVAL;
	}
	return q->ops->change(q, argc, argv, errmsg);
}
