/*
 * The timer wheel behind every protocol timer (include/net/timer.h): the
 * classic kernel's cascading wheel (kernel/timer.c before 4.8), exact to the
 * jiffy, plus bitmaps of non-empty slots so that an idle stretch of time is
 * crossed in one step rather than one jiffy at a time.
 *
 * A pending timer sits in the slot of the coarsest level that still tells its
 * expiry apart from now: tv1 holds the next 256 jiffies one slot each; tv2
 * (tvn[0]) slots of 256 jiffies up to 2^14 ahead; tv3..tv5 (tvn[1..3]) 64
 * times coarser each, up to 2^32 jiffies. Whenever the low 8 bits of the
 * clock come round to zero, the tv2 slot now due is emptied back into the
 * wheel relative to the new clock ("cascaded"), and in turn tv3 when the tv2
 * index wraps, and so on. A timer therefore reaches tv1 before its jiffy and
 * fires exactly at it.
 *
 * Processing one jiffy never needs the timers' expiries: only the slot the
 * clock points at (and, at a wrap, the slots being cascaded). So the next
 * jiffy with any work is found from the bitmaps alone, which is what
 * timer_wheel_next_event() returns and what timer_wheel_run() jumps to.
 * Jumping only ever skips jiffies whose processing would have done nothing,
 * so a run by jumps and a run jiffy by jiffy move the same timers in the same
 * order: the firing order of timers due at the same jiffy is deterministic.
 *
 * This is not the kernel's current non-cascading wheel, which trades
 * exactness for cheaper cascades; protocol code here (RTO, delayed ACK, TIME
 * WAIT) is written against exact expiries. Not thread-safe: the stack lock
 * covers every call.
 */
#include "net/timer.h"

#define TV_LEVELS 4                    /* tv2..tv5 */
#define MAX_TVAL ((u64)(1ull << (TVR_BITS + TV_LEVELS * TVN_BITS)) - 1)

/* Shift of level n (0 for tv2) within the clock: tv2 counts 256 jiffies. */
static inline unsigned int tvn_shift(unsigned int n)
{
	return TVR_BITS + n * TVN_BITS;
}

static inline unsigned int tvn_index(u64 clk, unsigned int n)
{
	return (unsigned int)(clk >> tvn_shift(n)) & TVN_MASK;
}

static inline void tv1_mark(struct timer_wheel *w, unsigned int idx)
{
	w->bitmap_tv1[idx / 64] |= 1ull << (idx % 64);
}

static inline void tv1_clear(struct timer_wheel *w, unsigned int idx)
{
	w->bitmap_tv1[idx / 64] &= ~(1ull << (idx % 64));
}

static void tv1_add(struct timer_wheel *w, struct timer_list *t, unsigned int slot)
{
	hlist_add_head(&t->entry, &w->tv1[slot]);
	tv1_mark(w, slot);
}

/*
 * Put t in the slot its expiry belongs to relative to w->clk: tv1 if it is
 * due within 256 jiffies, else the first level whose span covers the
 * distance, in the slot its expiry's bits for that level name. A past
 * expiry keeps its value in t->expires but goes into the slot processed
 * next; only an expiry beyond the wheel is rewritten.
 */
static void internal_add_timer(struct timer_wheel *w, struct timer_list *t)
{
	u64 expires = t->expires;
	u64 idx = expires - w->clk;
	unsigned int n, slot;

	if (expires < w->clk) {
		tv1_add(w, t, w->clk & TVR_MASK);
		return;
	}
	if (idx < TVR_SIZE) {
		tv1_add(w, t, expires & TVR_MASK);
		return;
	}
	if (idx > MAX_TVAL) {
		/* Beyond the wheel: clamp to its far edge, as the kernel does. */
		expires = w->clk + MAX_TVAL;
		t->expires = expires;
		idx = MAX_TVAL;
	}
	for (n = 0; n < TV_LEVELS - 1; n++)
		if (idx < 1ull << tvn_shift(n + 1))
			break;
	slot = tvn_index(expires, n);
	hlist_add_head(&t->entry, &w->tvn[n][slot]);
	w->bitmap_tvn[n] |= 1ull << slot;
}

/*
 * If pprev (the link that pointed at a just-removed timer) is the head of
 * one of w's slots and that slot is now empty, clear its bit. Heads are told
 * from timer nodes by address: only heads live inside the wheel. A timer on
 * timer_wheel_run()'s private work list is on no slot and needs nothing.
 */
static void slot_maybe_emptied(struct timer_wheel *w, struct hlist_node **pprev)
{
	uintptr_t p = (uintptr_t)pprev;
	uintptr_t tv1 = (uintptr_t)w->tv1, tvn = (uintptr_t)w->tvn;
	size_t i;

	if (p >= tv1 && p < tv1 + sizeof(w->tv1)) {
		i = (p - tv1) / sizeof(struct hlist_head);
		if (!w->tv1[i].first)
			tv1_clear(w, (unsigned int)i);
	} else if (p >= tvn && p < tvn + sizeof(w->tvn)) {
		i = (p - tvn) / sizeof(struct hlist_head);
		if (!w->tvn[i / TVN_SIZE][i % TVN_SIZE].first)
			w->bitmap_tvn[i / TVN_SIZE] &= ~(1ull << (i % TVN_SIZE));
	}
}

void timer_wheel_init(struct timer_wheel *w, u64 now_jiffies)
{
	memset(w, 0, sizeof(*w));
	w->clk = now_jiffies;
}

void timer_setup(struct timer_list *t, timer_fn_t fn)
{
	INIT_HLIST_NODE(&t->entry);
	t->expires = 0;
	t->function = fn;
	t->base = NULL;
}

int del_timer(struct timer_list *t)
{
	struct hlist_node **pprev = t->entry.pprev;

	if (!timer_pending(t))
		return 0;
	hlist_del_init(&t->entry);
	slot_maybe_emptied(t->base, pprev);
	t->base->pending--;
	return 1;
}

int mod_timer(struct timer_wheel *w, struct timer_list *t, u64 expires)
{
	int was_pending = del_timer(t);

	t->expires = expires;
	t->base = w;
	internal_add_timer(w, t);
	w->pending++;
	return was_pending;
}

/* Move the list at head onto a private head, leaving the slot empty. */
static void hlist_move_list(struct hlist_head *from, struct hlist_head *to)
{
	to->first = from->first;
	if (to->first)
		to->first->pprev = &to->first;
	from->first = NULL;
}

/*
 * Empty slot idx of level n back into the wheel relative to the current
 * clock. Returns idx, so that the caller goes on to the next level only
 * when this one has wrapped to 0 (the kernel's cascade()).
 */
static unsigned int cascade(struct timer_wheel *w, unsigned int n, unsigned int idx)
{
	struct hlist_head list;
	struct hlist_node *node;

	hlist_move_list(&w->tvn[n][idx], &list);
	w->bitmap_tvn[n] &= ~(1ull << idx);
	while ((node = list.first)) {
		hlist_del_init(node);
		internal_add_timer(w, hlist_entry(node, struct timer_list, entry));
	}
	return idx;
}

/*
 * Process jiffy w->clk: cascade at a tv1 wrap, take the due slot, advance the
 * clock, then run the handlers. The clock moves first so that a handler that
 * re-arms for this jiffy or earlier lands in the next slot (it runs at the
 * next jiffy processed) instead of looping here forever; a handler sees
 * w->clk equal to the jiffy it runs for plus one.
 */
static unsigned int run_one_jiffy(struct timer_wheel *w)
{
	unsigned int idx = w->clk & TVR_MASK, n, ran = 0;
	struct hlist_head work;
	struct timer_list *t;

	if (!idx)
		for (n = 0; n < TV_LEVELS; n++)
			if (cascade(w, n, tvn_index(w->clk, n)))
				break;
	hlist_move_list(&w->tv1[idx], &work);
	tv1_clear(w, idx);
	w->clk++;
	while (work.first) {
		t = hlist_entry(work.first, struct timer_list, entry);
		hlist_del_init(&t->entry);
		w->pending--;
		w->running = t;
		t->function(t);
		ran++;
	}
	w->running = NULL;
	return ran;
}

unsigned timer_wheel_run(struct timer_wheel *w, u64 now_jiffies)
{
	unsigned int ran = 0;
	u64 next;

	/* The clock ends one past now; keep that representable. */
	if (unlikely(now_jiffies == UINT64_MAX))
		now_jiffies--;
	while (w->clk <= now_jiffies) {
		next = timer_wheel_next_event(w);
		if (next > now_jiffies) {
			w->clk = now_jiffies + 1;
			break;
		}
		w->clk = next;
		ran += run_one_jiffy(w);
	}
	return ran;
}

/*
 * Distance from bit start to the first set bit of a 64-bit map, going round
 * past bit 63 back to bit 0; -1 if the map is empty.
 */
static int next_bit_circular64(u64 map, unsigned int start)
{
	u64 rot;

	if (!map)
		return -1;
	rot = start ? (map >> start) | (map << (64 - start)) : map;
	return __builtin_ctzll(rot);
}

/* The same over tv1's 256-bit map, a word at a time. */
static int next_bit_circular_tv1(const u64 *map, unsigned int start)
{
	unsigned int word = start / 64, bit = start % 64, i;
	u64 m;

	m = map[word] >> bit;
	if (m)
		return __builtin_ctzll(m);
	for (i = 1; i <= TVR_SIZE / 64; i++) {
		m = map[(word + i) % (TVR_SIZE / 64)];
		if (i == TVR_SIZE / 64)
			m &= bit ? (1ull << bit) - 1 : 0;
		if (m)
			return (int)(i * 64 - bit) + __builtin_ctzll(m);
	}
	return -1;
}

/*
 * The first jiffy >= clk at which level n cascades a non-empty slot. Level n
 * cascades slot (j >> shift) & 63 at each j that is a multiple of 2^shift;
 * no cascade at any level moves a timer before the earliest of these, so the
 * bitmaps stay as they are until then and reading them is enough.
 */
static u64 next_cascade(const struct timer_wheel *w, unsigned int n)
{
	unsigned int shift = tvn_shift(n);
	u64 first = ((w->clk + (1ull << shift) - 1) >> shift) << shift;
	int d = next_bit_circular64(w->bitmap_tvn[n], tvn_index(first, n));

	if (d < 0)
		return UINT64_MAX;
	return first + ((u64)d << shift);
}

u64 timer_wheel_next_event(const struct timer_wheel *w)
{
	u64 next = UINT64_MAX, c;
	unsigned int n;
	int d;

	if (!w->pending)
		return UINT64_MAX;
	/* A timer in tv1 slot i fires at the one jiffy in [clk, clk + 256)
	 * whose low bits are i. */
	d = next_bit_circular_tv1(w->bitmap_tv1, w->clk & TVR_MASK);
	if (d >= 0)
		next = w->clk + (u64)d;
	for (n = 0; n < TV_LEVELS; n++) {
		c = next_cascade(w, n);
		if (c < next)
			next = c;
	}
	return next;
}
