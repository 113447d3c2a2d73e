/*
 * tn-interop-stream: the Linux side's half of tuxnet's nc integrity check.
 *
 *   tn-interop-stream gen BYTES     the bytes `nc --send BYTES` sends
 *   tn-interop-stream digest        "BYTES DIGEST" of standard input, the
 *                                   digest `nc --digest` prints
 *
 * The pattern and the digest (64-bit FNV-1a) are restated here from
 * tools/cmd/sockjob.c (tn_stream_pattern, tn_digest_update) on purpose: the
 * interop tests compare what Linux's nc received or sent with what tuxnet
 * reports, and a pure Python loop over 64 MiB would be too slow for CI.
 * This is a test tool, not part of the library: it links nothing of tuxnet.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FNV64_OFFSET 0xcbf29ce484222325ULL
#define FNV64_PRIME 0x100000001b3ULL
#define CHUNK 65536

/* Byte OFF of every generated stream (tools/cmd/sockjob.c). */
static void pattern(uint64_t off, unsigned char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t x = off + i;

		buf[i] = (unsigned char)((x * 2654435761u) >> 13 ^ (x >> 16));
	}
}

static int gen(uint64_t bytes)
{
	static unsigned char buf[CHUNK];
	uint64_t off = 0;

	while (off < bytes) {
		size_t n = bytes - off < CHUNK ? (size_t)(bytes - off) : CHUNK;

		pattern(off, buf, n);
		if (fwrite(buf, 1, n, stdout) != n)
			return 1;
		off += n;
	}
	return fflush(stdout) != 0;
}

static int digest(void)
{
	static unsigned char buf[CHUNK];
	uint64_t h = FNV64_OFFSET, bytes = 0;
	size_t n;

	while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0) {
		for (size_t i = 0; i < n; i++) {
			h ^= buf[i];
			h *= FNV64_PRIME;
		}
		bytes += n;
	}
	if (ferror(stdin))
		return 1;
	printf("%" PRIu64 " %016" PRIx64 "\n", bytes, h);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "gen") == 0)
		return gen(strtoull(argv[2], NULL, 0));
	if (argc == 2 && strcmp(argv[1], "digest") == 0)
		return digest();
	fprintf(stderr, "usage: tn-interop-stream gen BYTES | digest\n");
	return 2;
}
