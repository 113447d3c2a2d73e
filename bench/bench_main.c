/*
 * bench-libc / bench-tuxnet: run one case and print its RESULT lines.
 *
 *   bench-X CASE [-t SECONDS] [-P STREAMS] [-n COUNT] [-m MTU]
 *
 * Cases: bulk rr crr udp idle maxconn ephemeral c10k-epoll c10k-threads. bench/run.sh runs them
 * several times on both sides and prints the table.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

static const struct {
	const char *name;
	int (*run)(const struct bench_opts *o);
	unsigned int slack;   /* seconds allowed beyond -t before the run is stopped */
} cases[] = {
	{ "bulk", bench_case_bulk, 30 },
	{ "rr", bench_case_rr, 30 },
	{ "crr", bench_case_crr, 60 },
	{ "udp", bench_case_udp, 30 },
	{ "idle", bench_case_idle, 900 },
	{ "maxconn", bench_case_maxconn, 300 },
	{ "ephemeral", bench_case_ephemeral, 600 },
	{ "c10k-epoll", bench_case_c10k_epoll, 180 },
	{ "c10k-threads", bench_case_c10k_threads, 180 },
};

static void usage(void)
{
	fprintf(stderr, "usage: bench-%s CASE [-t SECONDS] [-P STREAMS] [-n COUNT] [-m MTU]\n"
			"cases:", bench_impl);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		fprintf(stderr, " %s", cases[i].name);
	fprintf(stderr, "\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct bench_opts o = { .streams = 1, .seconds = 3, .count = 0 };
	struct bench_world w = { .mtu = 1500 };
	int c;

	if (argc < 2)
		usage();
	const char *name = argv[1];
	optind = 2;
	while ((c = getopt(argc, argv, "t:P:n:m:")) != -1) {
		switch (c) {
		case 't': o.seconds = atof(optarg); break;
		case 'P': o.streams = atoi(optarg); break;
		case 'n': o.count = atol(optarg); break;
		case 'm': w.mtu = atoi(optarg); break;
		default: usage();
		}
	}
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (strcmp(cases[i].name, name))
			continue;
		bench_deadline((unsigned int)o.seconds + cases[i].slack);
		if (bench_env_init(&w) < 0)
			bench_die("environment");
		int rc = cases[i].run(&o);
		bench_env_fini();
		return rc;
	}
	usage();
}
