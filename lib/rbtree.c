/*
 * Red-black tree balancing (the algorithms of Cormen et al., chapter 13,
 * with empty slots as NULL rather than a sentinel node). The tree has no
 * keys of its own; see rbtree.h for how a caller inserts. Used by epoll's
 * interest set, and meant for any ordered index that must stay O(log n).
 */
#include "lib/rbtree.h"

static bool is_red(const struct rb_node *n)
{
	return n && n->rb_color == RB_RED;
}

static bool is_black(const struct rb_node *n)
{
	return !is_red(n);   /* empty slots count as black */
}

/* Make new take old's place under old's parent (or as the root). */
static void rb_change_child(struct rb_root *root, struct rb_node *old, struct rb_node *new)
{
	struct rb_node *p = old->rb_parent;

	if (!p)
		root->rb_node = new;
	else if (p->rb_left == old)
		p->rb_left = new;
	else
		p->rb_right = new;
}

/*
 *     x              y
 *    / \            / \
 *   a   y    ->    x   c
 *      / \        / \
 *     b   c      a   b
 */
static void rb_rotate_left(struct rb_root *root, struct rb_node *x)
{
	struct rb_node *y = x->rb_right;

	x->rb_right = y->rb_left;
	if (y->rb_left)
		y->rb_left->rb_parent = x;
	y->rb_parent = x->rb_parent;
	rb_change_child(root, x, y);
	y->rb_left = x;
	x->rb_parent = y;
}

static void rb_rotate_right(struct rb_root *root, struct rb_node *x)
{
	struct rb_node *y = x->rb_left;

	x->rb_left = y->rb_right;
	if (y->rb_right)
		y->rb_right->rb_parent = x;
	y->rb_parent = x->rb_parent;
	rb_change_child(root, x, y);
	y->rb_right = x;
	x->rb_parent = y;
}

/* The new red node may sit under a red parent: recolour while the uncle is
 * red (pushing the problem two levels up), else rotate once or twice. */
void rb_insert_color(struct rb_node *node, struct rb_root *root)
{
	struct rb_node *parent, *gparent, *uncle;

	while ((parent = node->rb_parent) && is_red(parent)) {
		gparent = parent->rb_parent;   /* a red node is never the root */
		if (parent == gparent->rb_left) {
			uncle = gparent->rb_right;
			if (is_red(uncle)) {
				parent->rb_color = uncle->rb_color = RB_BLACK;
				gparent->rb_color = RB_RED;
				node = gparent;
				continue;
			}
			if (node == parent->rb_right) {
				rb_rotate_left(root, parent);
				node = parent;
				parent = node->rb_parent;
			}
			parent->rb_color = RB_BLACK;
			gparent->rb_color = RB_RED;
			rb_rotate_right(root, gparent);
		} else {
			uncle = gparent->rb_left;
			if (is_red(uncle)) {
				parent->rb_color = uncle->rb_color = RB_BLACK;
				gparent->rb_color = RB_RED;
				node = gparent;
				continue;
			}
			if (node == parent->rb_left) {
				rb_rotate_right(root, parent);
				node = parent;
				parent = node->rb_parent;
			}
			parent->rb_color = RB_BLACK;
			gparent->rb_color = RB_RED;
			rb_rotate_left(root, gparent);
		}
	}
	root->rb_node->rb_color = RB_BLACK;
}

/* Replace the subtree at u by the one at v (v may be empty). */
static void rb_transplant(struct rb_root *root, struct rb_node *u, struct rb_node *v)
{
	rb_change_child(root, u, v);
	if (v)
		v->rb_parent = u->rb_parent;
}

/* A black node was removed above x (possibly an empty slot, so its parent
 * is passed along): x's paths lack one black node. Fix it by recolouring
 * or rotating around x's sibling w, which cannot be empty (its side has a
 * black height of at least one). */
static void rb_erase_color(struct rb_root *root, struct rb_node *x, struct rb_node *parent)
{
	struct rb_node *w;

	while (x != root->rb_node && is_black(x)) {
		if (x == parent->rb_left) {
			w = parent->rb_right;
			if (is_red(w)) {
				w->rb_color = RB_BLACK;
				parent->rb_color = RB_RED;
				rb_rotate_left(root, parent);
				w = parent->rb_right;
			}
			if (is_black(w->rb_left) && is_black(w->rb_right)) {
				w->rb_color = RB_RED;
				x = parent;
				parent = x->rb_parent;
				continue;
			}
			if (is_black(w->rb_right)) {
				w->rb_left->rb_color = RB_BLACK;
				w->rb_color = RB_RED;
				rb_rotate_right(root, w);
				w = parent->rb_right;
			}
			w->rb_color = parent->rb_color;
			parent->rb_color = RB_BLACK;
			w->rb_right->rb_color = RB_BLACK;
			rb_rotate_left(root, parent);
		} else {
			w = parent->rb_left;
			if (is_red(w)) {
				w->rb_color = RB_BLACK;
				parent->rb_color = RB_RED;
				rb_rotate_right(root, parent);
				w = parent->rb_left;
			}
			if (is_black(w->rb_left) && is_black(w->rb_right)) {
				w->rb_color = RB_RED;
				x = parent;
				parent = x->rb_parent;
				continue;
			}
			if (is_black(w->rb_left)) {
				w->rb_right->rb_color = RB_BLACK;
				w->rb_color = RB_RED;
				rb_rotate_left(root, w);
				w = parent->rb_left;
			}
			w->rb_color = parent->rb_color;
			parent->rb_color = RB_BLACK;
			w->rb_left->rb_color = RB_BLACK;
			rb_rotate_right(root, parent);
		}
		x = root->rb_node;
		break;
	}
	if (x)
		x->rb_color = RB_BLACK;
}

void rb_erase(struct rb_node *z, struct rb_root *root)
{
	struct rb_node *y, *x, *xparent;
	enum rb_color removed = z->rb_color;

	if (!z->rb_left) {
		x = z->rb_right;
		xparent = z->rb_parent;
		rb_transplant(root, z, x);
	} else if (!z->rb_right) {
		x = z->rb_left;
		xparent = z->rb_parent;
		rb_transplant(root, z, x);
	} else {
		/* Two children: z's successor y (no left child) takes its place. */
		y = z->rb_right;
		while (y->rb_left)
			y = y->rb_left;
		removed = y->rb_color;
		x = y->rb_right;
		if (y->rb_parent == z) {
			xparent = y;
		} else {
			xparent = y->rb_parent;
			rb_transplant(root, y, x);
			y->rb_right = z->rb_right;
			y->rb_right->rb_parent = y;
		}
		rb_transplant(root, z, y);
		y->rb_left = z->rb_left;
		y->rb_left->rb_parent = y;
		y->rb_color = z->rb_color;
	}
	if (removed == RB_BLACK)
		rb_erase_color(root, x, xparent);
	RB_CLEAR_NODE(z);
}

struct rb_node *rb_first(const struct rb_root *root)
{
	struct rb_node *n = root->rb_node;

	while (n && n->rb_left)
		n = n->rb_left;
	return n;
}

struct rb_node *rb_last(const struct rb_root *root)
{
	struct rb_node *n = root->rb_node;

	while (n && n->rb_right)
		n = n->rb_right;
	return n;
}

struct rb_node *rb_next(const struct rb_node *n)
{
	const struct rb_node *p;

	if (n->rb_right) {
		n = n->rb_right;
		while (n->rb_left)
			n = n->rb_left;
		return (struct rb_node *)n;
	}
	while ((p = n->rb_parent) && n == p->rb_right)
		n = p;
	return (struct rb_node *)p;
}

struct rb_node *rb_prev(const struct rb_node *n)
{
	const struct rb_node *p;

	if (n->rb_left) {
		n = n->rb_left;
		while (n->rb_right)
			n = n->rb_right;
		return (struct rb_node *)n;
	}
	while ((p = n->rb_parent) && n == p->rb_left)
		n = p;
	return (struct rb_node *)p;
}

static int rb_check_subtree(const struct rb_node *n, const struct rb_node *parent)
{
	int l, r;

	if (!n)
		return 1;
	if (n->rb_parent != parent)
		return -1;
	if (is_red(n) && (is_red(n->rb_left) || is_red(n->rb_right)))
		return -1;
	l = rb_check_subtree(n->rb_left, n);
	r = rb_check_subtree(n->rb_right, n);
	if (l < 0 || r < 0 || l != r)
		return -1;
	return l + (n->rb_color == RB_BLACK);
}

int rb_check_tree(const struct rb_root *root)
{
	if (is_red(root->rb_node))
		return -1;
	return rb_check_subtree(root->rb_node, NULL);
}
