/*
 * Intrusive red-black trees, in the shape of the kernel's <linux/rbtree.h>.
 *
 * The node lives inside the object, the tree never allocates and knows
 * nothing about keys: the caller walks down from the root comparing its own
 * keys, links the new node at the empty slot it found (rb_link_node) and
 * lets rb_insert_color restore the balance. rb_erase unlinks and rebalances.
 * Every operation is O(log n); rb_first/rb_next iterate in key order.
 *
 * Invariants (checked by rb_check_tree): the root is black, a red node has
 * no red child, and every path from a node down to an empty slot passes
 * the same number of black nodes. Not thread-safe: callers hold the lock of
 * whatever owns the tree (the stack lock for epoll's interest sets).
 */
#ifndef TN_LIB_RBTREE_H
#define TN_LIB_RBTREE_H

#include <stdbool.h>
#include <stddef.h>
#include "net/compiler.h"

enum rb_color { RB_RED = 0, RB_BLACK = 1 };

struct rb_node {
	struct rb_node *rb_parent;   /* NULL for the root */
	struct rb_node *rb_left, *rb_right;
	enum rb_color rb_color;
};

struct rb_root {
	struct rb_node *rb_node;     /* NULL: empty tree */
};

#define RB_ROOT ((struct rb_root){ NULL })
#define rb_entry(ptr, type, member) container_of(ptr, type, member)

static inline bool rb_empty_root(const struct rb_root *root)
{
	return root->rb_node == NULL;
}

/* A node that is on no tree points to itself (RB_CLEAR_NODE), so that
 * "is it linked?" needs no search. */
static inline void RB_CLEAR_NODE(struct rb_node *n)
{
	n->rb_parent = n;
}
static inline bool RB_EMPTY_NODE(const struct rb_node *n)
{
	return n->rb_parent == n;
}

/* Put node (red, no children) at *link, a child slot of parent found by
 * the caller's search; then call rb_insert_color. */
static inline void rb_link_node(struct rb_node *node, struct rb_node *parent,
				struct rb_node **link)
{
	node->rb_parent = parent;
	node->rb_left = node->rb_right = NULL;
	node->rb_color = RB_RED;
	*link = node;
}

void rb_insert_color(struct rb_node *node, struct rb_root *root);
void rb_erase(struct rb_node *node, struct rb_root *root);
struct rb_node *rb_first(const struct rb_root *root);
struct rb_node *rb_last(const struct rb_root *root);
struct rb_node *rb_next(const struct rb_node *node);
struct rb_node *rb_prev(const struct rb_node *node);

/* For tests: the black height of the tree, or -1 if an invariant (or a
 * parent pointer) is broken. */
int rb_check_tree(const struct rb_root *root);

#endif
