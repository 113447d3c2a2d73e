/*
 * The longest-prefix-match structure of one routing table (the role of
 * Linux's net/ipv4/fib_trie.c). Each table is a path-compressed binary
 * trie: a node holds one prefix (key/plen) and the routes to it (its
 * fib_alias list); a node with no routes is "glue" and exists only where
 * two subtrees part. Children of a node extend its prefix and are chosen by
 * the first bit after it. So a lookup visits at most 33 nodes, whatever
 * the number of routes, and never scans a list of prefixes.
 *
 * Linux uses a level-compressed trie (several bits per node) for cache
 * efficiency; the single-bit trie gives the same answers with simpler
 * invariants, which is what this stack needs first. Lookup semantics follow
 * Linux's fib_table_lookup: the longest prefix first, then shorter ones
 * when every route of a prefix is filtered out (tos, scope, dead next hop,
 * oif), and the error of an unreachable/prohibit/blackhole route is the
 * answer.
 *
 * Invariants: a node's key has no bits beyond plen; a child's plen is
 * greater than its parent's and agrees with it on the parent's plen bits;
 * child[b] holds keys whose bit at position parent->plen is b; a glue node
 * has two children.
 */
#include <errno.h>
#include <stdlib.h>

#include "net/skbuff.h"
#include "net/ip_fib.h"
#include "net/inetdevice.h"
#include "net/net_namespace.h"
#include "net/netdevice.h"
#include "net/ipv4/fib_lookup.h"

struct tnode {
	u32 key;                  /* prefix, masked to plen */
	u8 plen;
	struct tnode *parent;
	struct tnode *child[2];
	struct list_head leaf;    /* fib_alias list; empty for glue */
};

#define TNODE_MAX_DEPTH 33        /* prefix lengths 0..32 */

/* The bit of key right after the first pos bits (pos < 32). */
static inline unsigned int tn_bit(u32 key, u8 pos)
{
	return (key >> (31 - pos)) & 1;
}

static inline bool tn_covers(const struct tnode *n, u32 key)
{
	return !((key ^ n->key) & fib_key_mask(n->plen));
}

/* Length of the common prefix of two prefixes. */
static u8 tn_common_len(u32 a, u8 alen, u32 b, u8 blen)
{
	u32 diff = a ^ b;
	u8 c = diff ? (u8)__builtin_clz(diff) : 32;

	return TN_MIN(c, TN_MIN(alen, blen));
}

static struct tnode *tnode_alloc(struct fib_table *tb, u32 key, u8 plen, struct tnode *parent)
{
	struct tnode *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	n->key = key & fib_key_mask(plen);
	n->plen = plen;
	n->parent = parent;
	INIT_LIST_HEAD(&n->leaf);
	tb->tb_nodes++;
	return n;
}

static void tnode_free(struct fib_table *tb, struct tnode *n)
{
	tb->tb_nodes--;
	free(n);
}

/* Where the trie points at n: its parent's child slot or the root. */
static struct tnode **tnode_slot(struct fib_table *tb, const struct tnode *n)
{
	if (!n->parent)
		return &tb->tb_root;
	return &n->parent->child[tn_bit(n->key, n->parent->plen)];
}

static struct tnode *tnode_find(const struct fib_table *tb, u32 key, u8 plen)
{
	struct tnode *n = tb->tb_root;

	while (n && n->plen <= plen && tn_covers(n, key)) {
		if (n->plen == plen)
			return n->key == key ? n : NULL;
		n = n->child[tn_bit(key, n->plen)];
	}
	return NULL;
}

/* Put node new where n was, with n below it: new is n's prefix, or a glue
 * node (c bits long) is made over both. */
static struct tnode *tnode_split(struct fib_table *tb, struct tnode **slot, struct tnode *n,
				 struct tnode *new)
{
	u8 c = tn_common_len(new->key, new->plen, n->key, n->plen);
	struct tnode *glue;

	if (c == new->plen) {
		new->child[tn_bit(n->key, c)] = n;
		n->parent = new;
		*slot = new;
		return new;
	}
	glue = tnode_alloc(tb, new->key, c, new->parent);
	if (!glue)
		return NULL;
	glue->child[tn_bit(new->key, c)] = new;
	glue->child[tn_bit(n->key, c)] = n;
	new->parent = n->parent = glue;
	*slot = glue;
	return new;
}

/* The node for key/plen, made (with glue as needed) if missing. */
static struct tnode *tnode_insert(struct fib_table *tb, u32 key, u8 plen)
{
	struct tnode **slot = &tb->tb_root, *parent = NULL, *n, *new;

	while ((n = *slot)) {
		u8 c = tn_common_len(key, plen, n->key, n->plen);

		if (c == n->plen && c == plen)
			return n;
		if (c < n->plen)
			break;
		parent = n;
		slot = &n->child[tn_bit(key, n->plen)];
	}
	new = tnode_alloc(tb, key, plen, parent);
	if (!new)
		return NULL;
	if (!n) {
		*slot = new;
		return new;
	}
	if (!tnode_split(tb, slot, n, new)) {
		tnode_free(tb, new);
		return NULL;
	}
	return new;
}

/*
 * n lost its last route: unlink it unless it still parts two subtrees. A
 * leaf's removal may leave its parent a glue node with one child, which
 * goes too.
 */
static void tnode_prune(struct fib_table *tb, struct tnode *n)
{
	while (n && list_empty(&n->leaf)) {
		struct tnode *parent = n->parent;
		struct tnode *only;

		if (n->child[0] && n->child[1])
			return;
		only = n->child[0] ? n->child[0] : n->child[1];
		*tnode_slot(tb, n) = only;
		if (only)
			only->parent = parent;
		tnode_free(tb, n);
		if (only)
			return;
		n = parent;
	}
}

/* Post-order compaction after a flush removed routes anywhere. */
static void tnode_compact(struct fib_table *tb, struct tnode **slot)
{
	struct tnode *n = *slot, *only;

	if (!n)
		return;
	tnode_compact(tb, &n->child[0]);
	tnode_compact(tb, &n->child[1]);
	if (!list_empty(&n->leaf) || (n->child[0] && n->child[1]))
		return;
	only = n->child[0] ? n->child[0] : n->child[1];
	*slot = only;
	if (only)
		only->parent = n->parent;
	tnode_free(tb, n);
}

/* ---- lookup ---------------------------------------------------------------- */

static void fib_fill_result(const struct fib_table *tb, const struct tnode *n,
			    const struct fib_alias *fa, struct fib_result *res)
{
	res->prefix = n->key;
	res->prefixlen = n->plen;
	res->type = fa->fa_type;
	res->scope = fa->fa_info->fib_scope;
	res->tableid = tb->tb_id;
	res->fi = fa->fa_info;
}

#define FIB_NODE_NO_MATCH 1

/* The first usable route of one prefix, in alias order (Linux's loop in
 * fib_table_lookup's found: label). */
static int fib_check_node(const struct fib_table *tb, const struct tnode *n,
			  const struct flowi4 *flp, struct fib_result *res, int fib_flags)
{
	struct fib_alias *fa;

	list_for_each_entry(fa, &n->leaf, fa_list) {
		struct fib_info *fi = fa->fa_info;
		int err;

		if (fa->fa_tos && fa->fa_tos != flp->flowi4_tos)
			continue;
		if (fi->fib_dead || fi->fib_scope < flp->flowi4_scope)
			continue;
		err = fib_props[fa->fa_type].error;
		if (err < 0)
			return err;
		if (fi->fib_flags & RTNH_F_DEAD)
			continue;
		if (!fib_lookup_good_nh(&fi->fib_nh, fib_flags, flp))
			continue;
		fib_fill_result(tb, n, fa, res);
		return 0;
	}
	return FIB_NODE_NO_MATCH;
}

int fib_table_lookup(struct fib_table *tb, const struct flowi4 *flp, struct fib_result *res,
		     int fib_flags)
{
	const struct tnode *path[TNODE_MAX_DEPTH];
	const struct tnode *n = tb->tb_root;
	u32 key = flp->daddr;
	int depth = 0;

	/* Down: every node on the way whose prefix covers key and has routes. */
	while (n && tn_covers(n, key)) {
		if (!list_empty(&n->leaf))
			path[depth++] = n;
		if (n->plen == 32)
			break;
		n = n->child[tn_bit(key, n->plen)];
	}
	/* Back up: longest first. */
	while (depth-- > 0) {
		int err = fib_check_node(tb, path[depth], flp, res, fib_flags);

		if (err != FIB_NODE_NO_MATCH)
			return err;   /* a route, or its type's error (throw: -EAGAIN) */
	}
	return -EAGAIN;
}

/* ---- changes ----------------------------------------------------------------- */

/* The first alias of n with tos <= tos and metric >= prio, or a lower tos
 * (Linux's fib_find_alias): where a route with these keys belongs. */
static struct fib_alias *fib_find_alias(struct tnode *n, u8 tos, u32 prio)
{
	struct fib_alias *fa;

	list_for_each_entry(fa, &n->leaf, fa_list) {
		if (fa->fa_tos > tos)
			continue;
		if (fa->fa_info->fib_priority >= prio || fa->fa_tos < tos)
			return fa;
	}
	return NULL;
}

enum { FIB_INSERT_DONE = 1, FIB_INSERT_REPLACED = 2 };

static bool fib_alias_same_key(const struct fib_alias *fa, u8 tos, u32 prio)
{
	return fa->fa_tos == tos && fa->fa_info->fib_priority == prio;
}

/*
 * A route with the same prefix, tos and metric exists (fa_first is the
 * first of them). Decide as Linux's fib_table_insert: EXCL refuses, an
 * identical route (same type and attributes) refuses, REPLACE swaps the
 * first one's attributes, APPEND goes after the group, else before it.
 * Returns 0 with *pos set to insert before, FIB_INSERT_DONE when nothing is
 * left to do (a replace by the very same route), FIB_INSERT_REPLACED when
 * fi now belongs to the replaced alias, or -errno.
 */
static int fib_insert_existing(struct net *net, struct tnode *n, struct fib_alias *fa_first,
			       struct fib_info *fi, const struct fib_config *cfg,
			       struct list_head **pos)
{
	struct fib_alias *fa = fa_first, *match = NULL;
	struct list_head *p = &fa_first->fa_list;
	struct fib_info *old;

	if (cfg->fc_nlflags & NLM_F_EXCL)
		return -EEXIST;
	for (; p != &n->leaf; p = p->next) {
		fa = list_entry(p, struct fib_alias, fa_list);
		if (!fib_alias_same_key(fa, fa_first->fa_tos, fi->fib_priority))
			break;
		if (fa->fa_type == fi->fib_type && fa->fa_info == fi) {
			match = fa;
			break;
		}
	}
	if (cfg->fc_nlflags & NLM_F_REPLACE) {
		if (match)
			return match == fa_first ? FIB_INSERT_DONE : -EEXIST;
		old = fa_first->fa_info;
		fa_first->fa_info = fi;
		fa_first->fa_type = fi->fib_type;
		fib_release_info(old);
		rt_cache_flush(net);
		return FIB_INSERT_REPLACED;
	}
	if (match)
		return -EEXIST;
	if (!(cfg->fc_nlflags & NLM_F_APPEND)) {
		*pos = &fa_first->fa_list;
		return 0;
	}
	/* After the last alias of the group. */
	for (p = &fa_first->fa_list; p != &n->leaf; p = p->next)
		if (!fib_alias_same_key(list_entry(p, struct fib_alias, fa_list),
					fa_first->fa_tos, fi->fib_priority))
			break;
	*pos = p;
	return 0;
}

static int fib_alias_add(struct fib_table *tb, struct tnode *n, struct list_head *pos,
			 struct fib_info *fi, const struct fib_config *cfg)
{
	struct fib_alias *fa = calloc(1, sizeof(*fa));

	if (!fa)
		return -ENOMEM;
	if (!n) {
		n = tnode_insert(tb, cfg->fc_dst, cfg->fc_dst_len);
		if (!n) {
			free(fa);
			return -ENOMEM;
		}
		pos = &n->leaf;
	}
	fa->fa_info = fi;
	fa->fa_tos = cfg->fc_tos;
	fa->fa_type = fi->fib_type;
	fa->tb_id = tb->tb_id;
	list_add_tail(&fa->fa_list, pos);   /* before pos */
	tb->tb_routes++;
	return 0;
}

int __fib_table_insert(struct net *net, struct fib_table *tb, const struct fib_config *cfg)
{
	struct list_head *pos = NULL;
	struct fib_alias *fa = NULL;
	struct fib_info *fi;
	struct tnode *n;
	int err;

	if (cfg->fc_dst_len > 32 || (cfg->fc_dst & ~fib_key_mask(cfg->fc_dst_len)))
		return -EINVAL;  /* "Invalid prefix for given prefix length" */
	fi = fib_create_info(net, cfg, &err);
	if (!fi)
		return err;
	n = tnode_find(tb, cfg->fc_dst, cfg->fc_dst_len);
	if (n)
		fa = fib_find_alias(n, cfg->fc_tos, fi->fib_priority);
	if (fa && fib_alias_same_key(fa, cfg->fc_tos, fi->fib_priority)) {
		err = fib_insert_existing(net, n, fa, fi, cfg, &pos);
		if (err == FIB_INSERT_REPLACED)
			return 0;
		if (err)
			goto out;
	} else if (n) {
		pos = fa ? &fa->fa_list : &n->leaf;
	}
	err = -ENOENT;
	if (!(cfg->fc_nlflags & NLM_F_CREATE))
		goto out;
	err = fib_alias_add(tb, n, pos, fi, cfg);
	if (err)
		goto out;
	rt_cache_flush(net);
	return 0;

out:
	fib_release_info(fi);
	return err > 0 ? 0 : err;
}

static bool fib_alias_matches(const struct fib_alias *fa, const struct fib_config *cfg)
{
	const struct fib_info *fi = fa->fa_info;

	return fa->fa_tos == cfg->fc_tos &&
	       (!cfg->fc_type || fa->fa_type == cfg->fc_type) &&
	       (cfg->fc_scope == RT_SCOPE_NOWHERE || fi->fib_scope == cfg->fc_scope) &&
	       (!cfg->fc_prefsrc || fi->fib_prefsrc == cfg->fc_prefsrc) &&
	       (!cfg->fc_protocol || fi->fib_protocol == cfg->fc_protocol) &&
	       (!cfg->fc_mtu || fi->fib_mtu == cfg->fc_mtu) &&
	       fib_nh_match(cfg, fi);
}

static void fib_alias_remove(struct fib_table *tb, struct fib_alias *fa)
{
	list_del(&fa->fa_list);
	fib_release_info(fa->fa_info);
	free(fa);
	tb->tb_routes--;
}

/* Delete the first route matching every field cfg gives (Linux's
 * fib_table_delete). */
int __fib_table_delete(struct net *net, struct fib_table *tb, const struct fib_config *cfg)
{
	struct tnode *n;
	struct fib_alias *fa;

	if (cfg->fc_dst_len > 32 || (cfg->fc_dst & ~fib_key_mask(cfg->fc_dst_len)))
		return -EINVAL;
	n = tnode_find(tb, cfg->fc_dst, cfg->fc_dst_len);
	if (!n)
		return -ESRCH;
	list_for_each_entry(fa, &n->leaf, fa_list) {
		if (!fib_alias_matches(fa, cfg))
			continue;
		fib_alias_remove(tb, fa);
		tnode_prune(tb, n);
		rt_cache_flush(net);
		return 0;
	}
	return -ESRCH;
}

/* ---- whole-table walks ---------------------------------------------------------- */

static int fib_flush_node(struct fib_table *tb, struct tnode *n, bool flush_all)
{
	struct fib_alias *fa, *tmp;
	int found = 0;

	if (!n)
		return 0;
	list_for_each_entry_safe(fa, tmp, &n->leaf, fa_list) {
		if (!flush_all && !(fa->fa_info->fib_flags & RTNH_F_DEAD))
			continue;
		fib_alias_remove(tb, fa);
		found++;
	}
	found += fib_flush_node(tb, n->child[0], flush_all);
	return found + fib_flush_node(tb, n->child[1], flush_all);
}

int fib_table_flush(struct net *net, struct fib_table *tb, bool flush_all)
{
	int found = fib_flush_node(tb, tb->tb_root, flush_all);

	if (found)
		tnode_compact(tb, &tb->tb_root);
	return found;
}

struct fib_table *fib_trie_table(u32 id)
{
	struct fib_table *tb = calloc(1, sizeof(*tb));

	if (!tb)
		return NULL;
	INIT_LIST_HEAD(&tb->tb_list);
	tb->tb_id = id;
	return tb;
}

void fib_free_table(struct fib_table *tb)
{
	fib_flush_node(tb, tb->tb_root, true);
	tnode_compact(tb, &tb->tb_root);
	TN_BUG_ON(tb->tb_root || tb->tb_nodes || tb->tb_routes);
	free(tb);
}

/*
 * In-order emission for `ip route show`: ascending key, and at one key the
 * longer prefix first. A node's own key is the smallest in its subtree, but
 * its child[0] side may hold longer prefixes with the same key, which come
 * first; so a node waits on a small stack until a node with a greater key
 * is reached. Everything waiting has the same key (a greater one would have
 * flushed it), the deepest (longest) on top.
 */
struct fib_walk_ctx {
	const struct tnode *pending[TNODE_MAX_DEPTH];
	int npending;
	void (*cb)(const struct fib_route_info *ri, void *arg);
	void *arg;
};

static void fib_emit_node(struct fib_walk_ctx *w, const struct tnode *n)
{
	struct fib_alias *fa;

	list_for_each_entry(fa, &n->leaf, fa_list) {
		const struct fib_info *fi = fa->fa_info;
		struct fib_route_info ri = {
			.table = fa->tb_id,
			.dst = n->key,
			.dst_len = n->plen,
			.type = fa->fa_type,
			.scope = fi->fib_scope,
			.protocol = fi->fib_protocol,
			.tos = fa->fa_tos,
			.gw = fi->fib_nh.nh_gw,
			.prefsrc = fi->fib_prefsrc,
			.priority = fi->fib_priority,
			.mtu = fi->fib_mtu,
			.oif = fi->fib_nh.nh_oif,
			.nh_flags = fi->fib_nh.nh_flags,
		};
		w->cb(&ri, w->arg);
	}
}

static void fib_walk_flush(struct fib_walk_ctx *w, const struct tnode *upto)
{
	while (w->npending > 0 && (!upto || w->pending[w->npending - 1]->key < upto->key))
		fib_emit_node(w, w->pending[--w->npending]);
}

static void fib_walk_node(struct fib_walk_ctx *w, const struct tnode *n)
{
	if (!n)
		return;
	if (!list_empty(&n->leaf)) {
		fib_walk_flush(w, n);
		w->pending[w->npending++] = n;
	}
	fib_walk_node(w, n->child[0]);
	fib_walk_node(w, n->child[1]);
}

void fib_table_walk_one(struct fib_table *tb,
			void (*cb)(const struct fib_route_info *ri, void *arg), void *arg)
{
	struct fib_walk_ctx w = { .cb = cb, .arg = arg };

	fib_walk_node(&w, tb->tb_root);
	fib_walk_flush(&w, NULL);
}
