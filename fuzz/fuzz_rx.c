/*
 * Fuzz target for the whole receive path: bytes from the fuzzer arrive on a
 * test device as Ethernet frames and go through NAPI, the taps, the
 * packet_type dispatch and whatever protocol answers them (today ARP and the
 * neighbour table; IPv4 and above as they land).
 *
 * One stack lives for the whole run (virtual time, so runs replay), with a
 * test device "tt0" holding 10.0.0.1/24. An input is either one frame, or,
 * if it starts with the magic "TNSQ", a sequence of frames each prefixed by a
 * big-endian 16-bit length, so that the fuzzer can explore exchanges (a
 * request, then the reply that completes it). Frames of one input share
 * state; inputs do not: after each input the neighbour table of the device
 * is flushed and its transmit record cleared, and the number of live skbs
 * must be back where it started. Anything else is a leak, and the harness
 * aborts so that libFuzzer reports it with the input.
 *
 * This file is not a test of results (the unit tests do that); its only
 * oracles are the sanitizers, the stack's own TN_BUG_ON invariants and the
 * skb count.
 */
#include <stdio.h>
#include <stdlib.h>

#include "net/stack.h"
#include "net/net_namespace.h"
#include "net/netdevice.h"
#include "net/testdev.h"
#include "net/inet_frag.h"
#include "net/inetdevice.h"
#include "net/arp.h"

#define FUZZ_SEQ_MAGIC "TNSQ"
#define FUZZ_SEQ_MAGIC_LEN 4
#define FUZZ_MAX_FRAMES 32
#define FUZZ_MAX_FRAME 2048
/* Time that passes after each frame: enough for a queued NET_TX to run and
 * for short timers to fire, short enough that a long input stays fast. */
#define FUZZ_STEP_MS 20
#define FUZZ_LOCAL_IP 0x0a000001u   /* 10.0.0.1 */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

/* The one stack of the run (libFuzzer calls us from one thread). */
static struct fuzz_world {
	struct tn_stack *st;
	struct net_device *dev;
	u64 baseline;          /* live skbs between inputs */
} world;

static void fuzz_die(const char *what)
{
	fprintf(stderr, "fuzz_rx: %s\n", what);
	abort();
}

/* Run every piece of pending softirq work, then let virtual time pass. */
static void fuzz_settle(struct tn_stack *st, u64 ms)
{
	while (do_softirq(st))
		;
	tn_stack_run_until_locked(st, tn_now(st) + ms * TN_NSEC_PER_JIFFY);
}

/* Forget what the last input left behind: neighbours (and the packets
 * queued on them) and the frames the device sent. */
/* Between inputs, state that legitimately holds packets is let go: the
 * neighbour queues are flushed, and fragments waiting for the rest of their
 * datagram expire through the real reassembly timeout (so the expiry path
 * is fuzzed too). What is still alive after that is a leak. */
static void fuzz_reset(struct fuzz_world *w)
{
	struct net *net = dev_net(w->dev);

	neigh_ifdown(arp_tbl(net), w->dev);
	if (ip_frag_nqueues(net))
		fuzz_settle(w->st, (u64)net->ipv4.sysctl_ipfrag_time + 1000);
	fuzz_settle(w->st, 0);
	testdev_clear_tx(w->dev);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct fuzz_world *w = &world;

	w->st = tn_stack_alloc(true, 1);
	if (!w->st)
		fuzz_die("tn_stack_alloc failed");
	tn_stack_lock(w->st);
	w->dev = testdev_create(w->st->init_net, "tt0", true);
	if (!w->dev)
		fuzz_die("testdev_create failed");
	if (inet_addr_add(w->dev, FUZZ_LOCAL_IP, 24, inet_default_broadcast(FUZZ_LOCAL_IP, 24),
			  RT_SCOPE_UNIVERSE, NULL))
		fuzz_die("inet_addr_add failed");
	fuzz_settle(w->st, 1000);
	fuzz_reset(w);
	w->baseline = w->st->skb_cache.live;
	return 0;
}

static void fuzz_frame(struct fuzz_world *w, const u8 *frame, size_t len)
{
	if (len > FUZZ_MAX_FRAME)
		len = FUZZ_MAX_FRAME;
	/* A full ring or a failed allocation is a counted drop, not a finding. */
	(void)testdev_inject(w->dev, frame, len);
	fuzz_settle(w->st, FUZZ_STEP_MS);
	/* The device's transmit record would grow for ever otherwise. */
	testdev_clear_tx(w->dev);
}

static void fuzz_sequence(struct fuzz_world *w, const u8 *p, size_t n)
{
	unsigned int frames = 0;

	while (n >= 2 && frames++ < FUZZ_MAX_FRAMES) {
		size_t len = get_be16(p);

		p += 2;
		n -= 2;
		if (len > n)
			len = n;
		fuzz_frame(w, p, len);
		p += len;
		n -= len;
	}
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fuzz_world *w = &world;

	if (size >= FUZZ_SEQ_MAGIC_LEN && !memcmp(data, FUZZ_SEQ_MAGIC, FUZZ_SEQ_MAGIC_LEN))
		fuzz_sequence(w, data + FUZZ_SEQ_MAGIC_LEN, size - FUZZ_SEQ_MAGIC_LEN);
	else
		fuzz_frame(w, data, size);
	fuzz_reset(w);
	if (w->st->skb_cache.live != w->baseline) {
		fprintf(stderr, "fuzz_rx: %llu skbs alive after the input, %llu before\n",
			(unsigned long long)w->st->skb_cache.live,
			(unsigned long long)w->baseline);
		fuzz_die("skb leak");
	}
	return 0;
}
