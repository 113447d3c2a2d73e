/*
 * The two shell utilities scenario files need besides the network tools:
 * echo (explanations between steps) and sleep (let the stack's time pass,
 * which in virtual time is a jump, not a wait).
 *
 * Only the forms scenarios use are here: `echo [-n] WORDS`, and coreutils'
 * `sleep NUMBER[smhd]...`, the arguments summed.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "net/clock.h"
#include "tools/cmd/cmd.h"

int do_echo(struct tn_cmd_ctx *ctx, int argc, char **argv, FILE *out)
{
	bool newline = true;
	int i = 1;

	if (argc > 1 && strcmp(argv[1], "-n") == 0) {
		newline = false;
		i++;
	}
	for (; i < argc; i++)
		fprintf(out, "%s%s", argv[i], i + 1 < argc ? " " : "");
	if (newline)
		fputc('\n', out);
	return 0;
}

/* One coreutils interval: a non-negative number and an optional unit. */
static bool parse_interval(const char *s, double *seconds)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || !isfinite(v) || v < 0)
		return false;
	switch (*end) {
	case '\0':
	case 's': break;
	case 'm': v *= 60; break;
	case 'h': v *= 3600; break;
	case 'd': v *= 86400; break;
	default: return false;
	}
	if (*end && end[1])
		return false;
	*seconds = v;
	return true;
}

int do_sleep(struct tn_cmd_ctx *ctx, int argc, char **argv, FILE *out)
{
	double total = 0;

	if (argc < 2) {
		tn_cmd_err(ctx, "sleep: missing operand");
		return 1;
	}
	for (int i = 1; i < argc; i++) {
		double s;
		if (!parse_interval(argv[i], &s)) {
			tn_cmd_err(ctx, "sleep: invalid time interval '%s'", argv[i]);
			return 1;
		}
		total += s;
	}
	/* Ten years of stack time is the most anyone means. */
	if (total > 315360000.0)
		total = 315360000.0;
	tn_cmd_advance(ctx, (u64)llround(total * 1e9));
	return 0;
}
