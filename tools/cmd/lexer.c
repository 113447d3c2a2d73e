/*
 * Word splitting for command lines, the subset of the POSIX shell grammar
 * that scenario files need: blanks separate words, 'single quotes' keep
 * everything literally, "double quotes" keep blanks and honour \" \\ \$ \`,
 * a backslash outside quotes escapes the next character, and a `#` at the
 * start of a word begins a comment that runs to the end of the line.
 *
 * It is not a shell: no variables, globbing, pipes, redirections or `;`
 * lists. A lone `&` stays a word; the dispatcher decides what it means.
 */
#include "tools/cmd/cmd.h"

struct lexer {
	const char *p;          /* next input character */
	char *out, *end;        /* where words are written, and the limit */
	const char *why;        /* error, if any */
};

static bool lex_put(struct lexer *lx, char c)
{
	if (lx->out >= lx->end) {
		lx->why = "line too long";
		return false;
	}
	*lx->out++ = c;
	return true;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Inside "...": only these characters lose their meaning after `\`. */
static bool dquote_escapable(char c)
{
	return c == '"' || c == '\\' || c == '$' || c == '`';
}

static bool lex_single(struct lexer *lx)
{
	lx->p++;
	while (*lx->p && *lx->p != '\'')
		if (!lex_put(lx, *lx->p++))
			return false;
	if (!*lx->p) {
		lx->why = "unterminated quoted string";
		return false;
	}
	lx->p++;
	return true;
}

static bool lex_double(struct lexer *lx)
{
	lx->p++;
	while (*lx->p && *lx->p != '"') {
		if (lx->p[0] == '\\' && dquote_escapable(lx->p[1]))
			lx->p++;
		if (!lex_put(lx, *lx->p++))
			return false;
	}
	if (!*lx->p) {
		lx->why = "unterminated quoted string";
		return false;
	}
	lx->p++;
	return true;
}

/* One word, from a non-blank character up to the next unquoted blank. */
static bool lex_word(struct lexer *lx)
{
	while (*lx->p && !is_blank(*lx->p)) {
		bool ok = true;
		if (*lx->p == '\'') {
			ok = lex_single(lx);
		} else if (*lx->p == '"') {
			ok = lex_double(lx);
		} else if (*lx->p == '\\' && lx->p[1]) {
			lx->p++;
			ok = lex_put(lx, *lx->p++);
		} else {
			ok = lex_put(lx, *lx->p++);
		}
		if (!ok)
			return false;
	}
	return lex_put(lx, '\0');
}

int tn_cmd_tokenize(const char *line, char *buf, size_t buflen, char **argv, int max,
		    const char **why)
{
	struct lexer lx = { .p = line, .out = buf, .end = buf + buflen, .why = NULL };
	int argc = 0;

	for (;;) {
		while (is_blank(*lx.p))
			lx.p++;
		if (!*lx.p || *lx.p == '#')
			break;
		if (argc == max - 1) {
			*why = "too many arguments";
			return -1;
		}
		argv[argc++] = lx.out;
		if (!lex_word(&lx)) {
			*why = lx.why;
			return -1;
		}
	}
	argv[argc] = NULL;
	return argc;
}
