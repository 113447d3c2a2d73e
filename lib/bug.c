/*
 * tn_bug(): where TN_BUG_ON() lands when an invariant is broken. A network
 * stack that carries on past a broken invariant corrupts memory on behalf of
 * whoever sent the packet, so this stops the process, loudly and at once,
 * like the kernel's BUG(). It is not an error path: conditions a peer can
 * cause are counted drops, never bugs.
 */
#include <stdio.h>
#include <stdlib.h>

#include "net/compiler.h"

void tn_bug(const char *file, int line, const char *what)
{
	fprintf(stderr, "tuxnet: BUG at %s:%d: %s\n", file, line, what);
	fflush(stderr);
	abort();
}
