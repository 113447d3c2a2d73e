/*
 * The timer wheel (lib/timer.c) on its own, without a stack: each timer
 * fires exactly once, exactly at its expiry jiffy, in expiry order, across
 * every level of the wheel and through huge jumps of time; handlers can
 * re-arm and cancel; timer_wheel_next_event() never skips work and lets a
 * virtual clock cross idle time in a handful of steps. A brute-force model
 * (one number per timer: the jiffy it must fire at) is the reference.
 */
#include <stdio.h>
#include <stdlib.h>

#include "tn_test.h"
#include "net/timer.h"

#define WHEEL_RANGE ((1ull << 32) - 1)   /* furthest a timer can be armed */

struct model;

/* One timer under test and what the model expects of it. */
struct mtimer {
	struct timer_list t;
	struct model *m;
	u32 id;
	bool armed;      /* the model's view of timer_pending() */
	u64 want;        /* jiffy it must fire at, while armed */
	u32 fired;
};

struct fire_rec {
	u32 id;
	u64 at;
};

struct model {
	struct timer_wheel w;
	struct mtimer *tm;
	u32 n;
	u64 rng;
	u64 last_fire;
	u64 fires;
	u32 armed;
	bool chaos;              /* handlers re-arm and cancel timers */
	u64 max_delta_bits;      /* random expiries reach up to 2^bits ahead */
	struct fire_rec *log;    /* optional: every firing, in order */
	size_t log_len, log_cap;
};

static u64 rnd(struct model *m)
{
	/* xorshift64*: deterministic per seed, so failures replay. */
	m->rng ^= m->rng >> 12;
	m->rng ^= m->rng << 25;
	m->rng ^= m->rng >> 27;
	return m->rng * 0x2545F4914F6CDD1Dull;
}

static u64 rnd_below(struct model *m, u64 n)
{
	return n ? rnd(m) % n : 0;
}

/* The jiffy a timer armed now for expires must fire at. */
static u64 model_want(const struct model *m, u64 expires)
{
	u64 clk = m->w.clk;

	if (expires < clk)
		return clk;
	if (expires - clk > WHEEL_RANGE)
		return clk + WHEEL_RANGE;
	return expires;
}

static void model_arm(struct model *m, struct mtimer *mt, u64 expires)
{
	u64 want = model_want(m, expires);

	assert_int_equal(mod_timer(&m->w, &mt->t, expires), mt->armed);
	if (!mt->armed)
		m->armed++;
	mt->armed = true;
	mt->want = want;
	assert_true(timer_pending(&mt->t));
}

static void model_del(struct model *m, struct mtimer *mt)
{
	assert_int_equal(del_timer(&mt->t), mt->armed);
	if (mt->armed)
		m->armed--;
	mt->armed = false;
	assert_false(timer_pending(&mt->t));
}

/* An expiry spread over every level of the wheel, past and beyond it. */
static u64 random_expiry(struct model *m)
{
	u64 clk = m->w.clk, bits = rnd_below(m, m->max_delta_bits + 1);

	switch (rnd_below(m, 16)) {
	case 0:
		return clk > 0 ? clk - 1 - rnd_below(m, clk) : 0;   /* past */
	case 1:
		return clk;
	case 2:
		return clk + ((u64)1 << bits);                      /* level edges */
	case 3:
		return clk + ((u64)1 << bits) - 1;
	default:
		return clk + rnd_below(m, (u64)1 << bits);
	}
}

static void log_fire(struct model *m, u32 id, u64 at)
{
	if (!m->log)
		return;
	if (m->log_len == m->log_cap) {
		m->log_cap = m->log_cap ? 2 * m->log_cap : 1024;
		m->log = realloc(m->log, m->log_cap * sizeof(*m->log));
		assert_non_null(m->log);
	}
	m->log[m->log_len++] = (struct fire_rec){ id, at };
}

/* What a handler does to the wheel in a chaos run: nothing, or re-arm or
 * cancel itself or another timer, at random. */
static void handler_chaos(struct model *m, struct mtimer *self)
{
	struct mtimer *other = &m->tm[rnd_below(m, m->n)];

	switch (rnd_below(m, 8)) {
	case 0:
		model_arm(m, self, random_expiry(m));
		break;
	case 1:
		model_arm(m, self, m->w.clk - 1);   /* this very jiffy */
		break;
	case 2:
		model_del(m, other);
		break;
	case 3:
		model_arm(m, other, random_expiry(m));
		break;
	case 4:
		model_del(m, self);
		break;
	}
}

static void model_fn(struct timer_list *t)
{
	struct mtimer *mt = from_timer(mt, t, t);
	struct model *m = mt->m;
	u64 now = m->w.clk - 1;   /* handlers run with clk one past their jiffy */

	assert_true(mt->armed);
	assert_false(timer_pending(t));
	assert_ptr_equal(m->w.running, t);
	assert_int_equal(now, mt->want);
	assert_true(now >= m->last_fire);
	m->last_fire = now;
	mt->armed = false;
	m->armed--;
	mt->fired++;
	m->fires++;
	log_fire(m, mt->id, now);
	if (m->chaos)
		handler_chaos(m, mt);
}

static void model_init(struct model *m, u32 n, u64 seed, u64 start)
{
	memset(m, 0, sizeof(*m));
	timer_wheel_init(&m->w, start);
	m->tm = calloc(n, sizeof(*m->tm));
	assert_non_null(m->tm);
	m->n = n;
	m->rng = seed | 1;
	m->max_delta_bits = 34;
	for (u32 i = 0; i < n; i++) {
		timer_setup(&m->tm[i].t, model_fn);
		m->tm[i].m = m;
		m->tm[i].id = i;
	}
}

static void model_free(struct model *m)
{
	for (u32 i = 0; i < m->n; i++)
		del_timer(&m->tm[i].t);
	free(m->tm);
	free(m->log);
}

/* After running to now: nothing due is left, the wheel agrees with the
 * model on every timer, and the pending count is right. */
static void model_check(struct model *m, u64 now)
{
	assert_int_equal(m->w.clk, now + 1);
	assert_int_equal(m->w.pending, m->armed);
	assert_null(m->w.running);
	for (u32 i = 0; i < m->n; i++) {
		struct mtimer *mt = &m->tm[i];

		assert_int_equal(timer_pending(&mt->t), mt->armed);
		if (mt->armed)
			assert_true(mt->want > now);
	}
}

static u64 random_step(struct model *m)
{
	switch (rnd_below(m, 6)) {
	case 0:
		return rnd_below(m, 4);
	case 1:
		return rnd_below(m, 300);
	case 2:
		return rnd_below(m, 1u << 16);
	case 3:
		return rnd_below(m, 1ull << 24);
	case 4:
		return rnd_below(m, 1ull << 33);   /* a jump past the wheel */
	default: {
		u64 ne = timer_wheel_next_event(&m->w);
		return ne == UINT64_MAX ? 0 : ne - m->w.clk + 1;   /* land on it */
	}
	}
}

static void random_ops(struct model *m, unsigned int ops)
{
	for (unsigned int i = 0; i < ops; i++) {
		struct mtimer *mt = &m->tm[rnd_below(m, m->n)];

		if (rnd_below(m, 4) == 0)
			model_del(m, mt);
		else
			model_arm(m, mt, random_expiry(m));
	}
}

static void random_ops_then_every_timer_fires_at_its_jiffy(void **state)
{
	struct model m;
	u64 now = 1000;

	model_init(&m, 4000, 0x1234567, now);
	m.chaos = true;
	random_ops(&m, 8000);
	for (int round = 0; round < 3000; round++) {
		now += random_step(&m);
		timer_wheel_run(&m.w, now);
		model_check(&m, now);
		random_ops(&m, (unsigned int)rnd_below(&m, 20));
	}
	/* Drain: a jump past the wheel's range fires everything left. */
	now += 2 * WHEEL_RANGE;
	timer_wheel_run(&m.w, now);
	model_check(&m, now);
	assert_int_equal(m.armed, 0);
	assert_true(m.fires > 10000);
	model_free(&m);
}

static void timers_at_every_level_then_huge_jump_fires_each_once(void **state)
{
	struct model m;

	model_init(&m, 2000, 99, 5);
	for (u32 i = 0; i < m.n; i++)
		model_arm(&m, &m.tm[i], random_expiry(&m));
	timer_wheel_run(&m.w, 5 + 2 * WHEEL_RANGE);
	model_check(&m, 5 + 2 * WHEEL_RANGE);
	for (u32 i = 0; i < m.n; i++)
		assert_int_equal(m.tm[i].fired, 1);
	model_free(&m);
}

/* Run one model jiffy by jiffy and a twin with the same seed by jumping from
 * next event to next event: the firing logs must be identical. */
static void run_stepping(struct model *m, u64 horizon)
{
	for (u64 j = m->w.clk; j <= horizon; j++)
		timer_wheel_run(&m->w, j);
}

static unsigned int run_jumping(struct model *m, u64 horizon)
{
	unsigned int jumps = 0;
	u64 ne;

	while ((ne = timer_wheel_next_event(&m->w)) <= horizon) {
		size_t before = m->log_len;

		assert_true(ne >= m->w.clk);
		timer_wheel_run(&m->w, ne);
		/* A next event is an expiry or a cascade point. */
		assert_true(m->log_len > before || (ne & TVR_MASK) == 0);
		jumps++;
	}
	timer_wheel_run(&m->w, horizon);
	return jumps;
}

static void next_event_jumps_then_same_log_as_stepping(void **state)
{
	const u64 horizon = 1ull << 21;
	struct model a, b;

	model_init(&a, 3000, 777, 0);
	model_init(&b, 3000, 777, 0);
	a.chaos = b.chaos = true;
	a.max_delta_bits = b.max_delta_bits = 22;
	a.log = malloc(sizeof(*a.log));
	b.log = malloc(sizeof(*b.log));
	random_ops(&a, 6000);
	random_ops(&b, 6000);
	run_stepping(&a, horizon);
	unsigned int jumps = run_jumping(&b, horizon);
	assert_int_equal(a.log_len, b.log_len);
	assert_true(a.log_len > 1000);
	for (size_t i = 0; i < a.log_len; i++) {
		assert_int_equal(a.log[i].id, b.log[i].id);
		assert_int_equal(a.log[i].at, b.log[i].at);
	}
	assert_true(jumps < horizon / 4);
	model_check(&a, horizon);
	model_check(&b, horizon);
	model_free(&a);
	model_free(&b);
}

static void single_far_timer_then_few_jumps_reach_it(void **state)
{
	static const u64 delta[] = { 0, 1, 255, 256, 257, 16383, 16384, 600000,
				     (1ull << 20) + 3, (1ull << 26) - 1, (1ull << 26) + 77,
				     WHEEL_RANGE - 1, WHEEL_RANGE };
	struct model m;

	for (size_t i = 0; i < ARRAY_SIZE(delta); i++) {
		model_init(&m, 1, 3, 12345);
		m.log = malloc(sizeof(*m.log));
		model_arm(&m, &m.tm[0], 12345 + delta[i]);
		unsigned int jumps = run_jumping(&m, 12345 + delta[i]);
		/* At most one cascade per level, then the expiry itself. */
		assert_true(jumps <= 5);
		assert_int_equal(m.log_len, 1);
		assert_int_equal(m.log[0].at, 12345 + delta[i]);
		model_free(&m);
	}
}

static void empty_wheel_then_next_event_is_never(void **state)
{
	struct timer_wheel w;
	struct timer_list t;

	timer_wheel_init(&w, 42);
	assert_int_equal(timer_wheel_next_event(&w), UINT64_MAX);
	timer_setup(&t, NULL);
	mod_timer(&w, &t, 100);
	assert_int_equal(timer_wheel_next_event(&w), 100);
	del_timer(&t);
	assert_int_equal(timer_wheel_next_event(&w), UINT64_MAX);
	/* Ten minutes of nothing costs one step and leaves the clock there. */
	assert_int_equal(timer_wheel_run(&w, 600042), 0);
	assert_int_equal(w.clk, 600043);
}

static void not_pending_then_del_returns_zero(void **state)
{
	struct timer_wheel w;
	struct timer_list t;

	timer_wheel_init(&w, 0);
	timer_setup(&t, NULL);
	assert_int_equal(del_timer(&t), 0);
	assert_int_equal(mod_timer(&w, &t, 10), 0);
	assert_int_equal(mod_timer(&w, &t, 20), 1);
	assert_int_equal(del_timer(&t), 1);
	assert_int_equal(del_timer(&t), 0);
	assert_int_equal(w.pending, 0);
	assert_int_equal(timer_wheel_run(&w, 100), 0);
}

struct counter {
	struct timer_list t;
	struct timer_wheel *w;
	struct counter *victim;
	u64 at[8];
	int n;
	int rearm;
};

static void counter_fn(struct timer_list *t)
{
	struct counter *c = from_timer(c, t, t);

	c->at[c->n++] = c->w->clk - 1;
	if (c->rearm-- > 0)
		mod_timer(c->w, &c->t, c->w->clk - 1 + 100);
	if (c->victim)
		del_timer(&c->victim->t);
}

static void handler_rearms_self_then_fires_every_period(void **state)
{
	struct timer_wheel w;
	struct counter c = { .w = &w, .rearm = 4 };

	timer_wheel_init(&w, 0);
	timer_setup(&c.t, counter_fn);
	mod_timer(&w, &c.t, 50);
	assert_int_equal(timer_wheel_run(&w, 10000), 5);
	assert_int_equal(c.n, 5);
	for (int i = 0; i < 5; i++)
		assert_int_equal(c.at[i], 50 + 100 * (u64)i);
	assert_false(timer_pending(&c.t));
}

static void two_due_same_jiffy_then_first_cancels_second(void **state)
{
	struct timer_wheel w;
	struct counter a = { .w = &w }, b = { .w = &w };

	timer_wheel_init(&w, 0);
	timer_setup(&a.t, counter_fn);
	timer_setup(&b.t, counter_fn);
	a.victim = &b;
	b.victim = &a;
	mod_timer(&w, &a.t, 300);
	mod_timer(&w, &b.t, 300);
	/* Whichever runs first cancels the other, which must then not run. */
	assert_int_equal(timer_wheel_run(&w, 300), 1);
	assert_int_equal(a.n + b.n, 1);
	assert_int_equal(w.pending, 0);
}

static void armed_in_past_then_next_run_fires_it(void **state)
{
	struct timer_wheel w;
	struct counter c = { .w = &w };

	timer_wheel_init(&w, 1000);
	timer_setup(&c.t, counter_fn);
	mod_timer(&w, &c.t, 3);
	assert_int_equal(timer_wheel_next_event(&w), 1000);
	assert_int_equal(timer_wheel_run(&w, 1000), 1);
	assert_int_equal(c.at[0], 1000);
}

static void beyond_wheel_then_clamped_to_its_edge(void **state)
{
	struct timer_wheel w;
	struct counter c = { .w = &w };

	timer_wheel_init(&w, 7);
	timer_setup(&c.t, counter_fn);
	mod_timer(&w, &c.t, UINT64_MAX);
	assert_int_equal(c.t.expires, 7 + WHEEL_RANGE);
	assert_int_equal(timer_wheel_run(&w, 6 + WHEEL_RANGE), 0);
	assert_int_equal(timer_wheel_run(&w, 7 + WHEEL_RANGE), 1);
	assert_int_equal(c.at[0], 7 + WHEEL_RANGE);
}

static void noop_fn(struct timer_list *t)
{
	(void)t;
}

/* A sanity check on cost, not a benchmark: a million timers armed, re-armed
 * and cancelled, then a million more fired, printing how long each took. */
static void million_timers_then_add_cancel_and_fire(void **state)
{
	const u32 n = 1000000;
	struct timer_list *t = calloc(n, sizeof(*t));
	struct timer_wheel w;
	u64 rng = 88172645463325252ull, t0, t1, t2;

	assert_non_null(t);
	timer_wheel_init(&w, 0);
	t0 = tn_host_ns();
	for (u32 i = 0; i < n; i++) {
		timer_setup(&t[i], noop_fn);
		rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
		mod_timer(&w, &t[i], rng % (1u << 24));
		mod_timer(&w, &t[i], (rng >> 24) % (1u << 24));
	}
	for (u32 i = 0; i < n; i++)
		del_timer(&t[i]);
	t1 = tn_host_ns();
	assert_int_equal(w.pending, 0);
	for (u32 i = 0; i < n; i++)
		mod_timer(&w, &t[i], i * 16ull);
	assert_int_equal(timer_wheel_run(&w, 16ull * n), n);
	t2 = tn_host_ns();
	printf("# 1e6 timers: arm+rearm+cancel %.1f ms, arm+fire %.1f ms\n",
	       (double)(t1 - t0) / 1e6, (double)(t2 - t1) / 1e6);
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(empty_wheel_then_next_event_is_never),
		cmocka_unit_test(not_pending_then_del_returns_zero),
		cmocka_unit_test(handler_rearms_self_then_fires_every_period),
		cmocka_unit_test(two_due_same_jiffy_then_first_cancels_second),
		cmocka_unit_test(armed_in_past_then_next_run_fires_it),
		cmocka_unit_test(beyond_wheel_then_clamped_to_its_edge),
		cmocka_unit_test(single_far_timer_then_few_jumps_reach_it),
		cmocka_unit_test(timers_at_every_level_then_huge_jump_fires_each_once),
		cmocka_unit_test(random_ops_then_every_timer_fires_at_its_jiffy),
		cmocka_unit_test(next_event_jumps_then_same_log_as_stepping),
		cmocka_unit_test(million_timers_then_add_cancel_and_fire),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
