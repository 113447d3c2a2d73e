/*
 * What the FIB's own files share and nobody else needs (Linux's
 * net/ipv4/fib_lookup.h): the route entry in a table (fib_alias), the
 * table itself, the per-type properties, and the calls between the trie
 * (fib_trie.c), the route attributes (fib_semantics.c), the namespace
 * glue (fib_frontend.c) and the route cache (route.c).
 */
#ifndef TN_NET_IPV4_FIB_LOOKUP_H
#define TN_NET_IPV4_FIB_LOOKUP_H

#include "net/skbuff.h"
#include "net/ip_fib.h"
#include "lib/list.h"

struct tnode;

/* One route: a prefix (its trie node) in one table, with a tos and the
 * shared attributes. A node's aliases are kept sorted as Linux's leaf
 * list: tos descending, then metric ascending, then insertion order. */
struct fib_alias {
	struct list_head fa_list;
	struct fib_info *fa_info;
	u8 fa_tos;
	u8 fa_type;
	u32 tb_id;
};

struct fib_table {
	struct list_head tb_list;      /* on net->ipv4.fib_tables, by ascending id */
	u32 tb_id;
	struct tnode *tb_root;         /* path-compressed binary trie (fib_trie.c) */
	unsigned int tb_routes;        /* aliases */
	unsigned int tb_nodes;         /* trie nodes, glue included */
};

/* Per route type: the lookup error it gives and the widest scope it may
 * have (Linux's fib_props). */
struct fib_prop {
	int error;
	u8 scope;
};
extern const struct fib_prop fib_props[__RTN_MAX];

/* fib_trie.c */
struct fib_table *fib_trie_table(u32 id);
void fib_free_table(struct fib_table *tb);
int __fib_table_insert(struct net *net, struct fib_table *tb, const struct fib_config *cfg);
int __fib_table_delete(struct net *net, struct fib_table *tb, const struct fib_config *cfg);
/* Remove aliases whose fib_info is dead (all, with flush_all). Returns
 * how many went. */
int fib_table_flush(struct net *net, struct fib_table *tb, bool flush_all);
void fib_table_walk_one(struct fib_table *tb,
			void (*cb)(const struct fib_route_info *ri, void *arg), void *arg);

/* fib_semantics.c */
/* A fib_info for cfg: validated, and shared with an identical one if it
 * exists (fib_treeref counts the holders). NULL with *err set. */
struct fib_info *fib_create_info(struct net *net, const struct fib_config *cfg, int *err);
void fib_release_info(struct fib_info *fi);
/* Does fi match what a delete asked for (metric, oif, gateway)? */
bool fib_nh_match(const struct fib_config *cfg, const struct fib_info *fi);
/* Mark every fib_info using prefsrc local on dev's namespace dead (the
 * address is gone). Returns how many. */
int fib_sync_down_addr(struct net_device *dev, u32 local);
/* Can this next hop carry flp (alive, on flp's oif)? */
bool fib_lookup_good_nh(const struct fib_nh *nh, int fib_flags, const struct flowi4 *flp);
/* Free every fib_info left (namespace exit, after every table). */
void fib_info_free_all(struct net *net);

/* fib_frontend.c */
u32 fib_choose_scope(const struct fib_config *cfg);

/* route.c */
/* Release the rtables cached on nh and its exceptions (nh going away). */
void fib_nh_release_dsts(struct fib_nh *nh);
int ip_rt_net_init(struct net *net);
void ip_rt_net_exit(struct net *net);

static inline u32 fib_key_mask(u8 plen)
{
	return plen ? ~0u << (32 - plen) : 0;
}

#endif
