/*
 * The runner of the conformance cases, the same in both builds: each case
 * runs in a child process of its own (a fresh environment, and a crash or a
 * hang costs one case, not the run), under an alarm. The children print the
 * comparable lines; the runner adds one line only when a child did not end
 * normally, so that the other build's output shows the difference.
 *
 *   conformance-libc|tuxnet [-l | -m] [PREFIX...]
 *
 * -l lists the cases; -m lists the API functions the implementation lacks
 * (always none for libc); PREFIXes select the cases whose names start with
 * one. The exit status is 1 when a case crashed, hung or exited with an
 * error, and 0 otherwise (a case that met a missing function is not an
 * error: its MISSING line is the difference run.sh reports).
 */
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include "conf.h"

/* The seconds a case may run. A case waits at most a few hundred ms in
 * total; this only catches a call that never returns. */
#define CONF_CASE_TIMEOUT 20

/* The case tables in run order; the TCP and epoll tables join here. */
static const struct conf_case *const conf_tables[] = {
	conf_cases_socket, conf_cases_sockopt, conf_cases_udp,
	conf_cases_ip,     conf_cases_ping,    conf_cases_poll,
	conf_cases_tcp,    conf_cases_epoll,
};

static int selected(const char *name, int argc, char **argv)
{
	if (argc == 0)
		return 1;
	for (int i = 0; i < argc; i++)
		if (strncmp(name, argv[i], strlen(argv[i])) == 0)
			return 1;
	return 0;
}

/* The child: set up, run, tear down. */
static void run_child(const struct conf_case *c)
{
	conf_case_name = c->name;
	alarm(CONF_CASE_TIMEOUT);
	conf_env_case_begin();
	c->run();
	conf_env_case_end();
	fflush(stdout);
	_exit(0);
}

/* One case in its own process; a line for an abnormal end. 0 if it ended
 * normally or met a missing function (exit status 3). */
static int run_case(const struct conf_case *c)
{
	int status;

	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		exit(2);
	}
	if (pid == 0)
		run_child(c);
	while (waitpid(pid, &status, 0) < 0)
		;
	if (WIFSIGNALED(status)) {
		int sig = WTERMSIG(status);
		if (sig == SIGALRM)
			printf("%s: TIMEOUT after %d s\n", c->name, CONF_CASE_TIMEOUT);
		else
			printf("%s: CRASHED signal %d (%s)\n", c->name, sig, strsignal(sig));
		return 1;
	}
	if (WEXITSTATUS(status) == 0 || WEXITSTATUS(status) == 3)
		return 0;
	printf("%s: EXIT status %d\n", c->name, WEXITSTATUS(status));
	return 1;
}

int main(int argc, char **argv)
{
	int list = 0, abnormal = 0;

	if (argc > 1 && strcmp(argv[1], "-m") == 0) {
		conf_env_print_missing();
		return 0;
	}
	if (argc > 1 && strcmp(argv[1], "-l") == 0) {
		list = 1;
		argc--, argv++;
	}
	/* Line-buffered even into a pipe, so parent and children interleave
	 * whole lines in order. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* A send on a shut-down socket raises SIGPIPE with Linux; the cases
	 * compare the EPIPE, not the signal. */
	signal(SIGPIPE, SIG_IGN);
	for (size_t t = 0; t < sizeof(conf_tables) / sizeof(conf_tables[0]); t++) {
		for (const struct conf_case *c = conf_tables[t]; c->name; c++) {
			if (!selected(c->name, argc - 1, argv + 1))
				continue;
			if (list)
				printf("%s\n", c->name);
			else
				abnormal += run_case(c);
		}
	}
	if (abnormal)
		fprintf(stderr, "conformance-%s: %d case(s) did not end normally\n", conf_impl,
			abnormal);
	return abnormal ? 1 : 0;
}
