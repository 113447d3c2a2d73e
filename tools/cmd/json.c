/*
 * A JSON writer that prints what iproute2's lib/json_writer.c prints, byte
 * for byte, for `ip -j` and `ip -j -p`: the same separators, the same
 * pretty layout (four spaces a level, "[ {" and "} ]", arrays of strings
 * on one line) and the newline at the end of the document.
 *
 * It is not a general JSON library: names are known ASCII words, and
 * values are escaped only for the characters JSON requires.
 */
#include <stdarg.h>

#include "tools/cmd/cmd.h"

void tn_jw_init(struct tn_jw *jw, FILE *out, bool pretty)
{
	jw->out = out;
	jw->pretty = pretty;
	jw->depth = 0;
	jw->sep = '\0';
}

/* A new line and the indent of the current depth (pretty only). */
static void jw_eol(struct tn_jw *jw)
{
	if (!jw->pretty)
		return;
	fputc('\n', jw->out);
	for (int i = 0; i < jw->depth; i++)
		fputs("    ", jw->out);
}

/* The comma between the members of an object or an array. */
static void jw_eor(struct tn_jw *jw)
{
	if (jw->sep)
		fputc(jw->sep, jw->out);
	jw->sep = ',';
}

static void jw_begin(struct tn_jw *jw, int c)
{
	jw_eor(jw);
	fputc(c, jw->out);
	jw->depth++;
	jw->sep = '\0';
}

static void jw_end(struct tn_jw *jw, int c)
{
	jw->depth--;
	if (jw->sep)
		jw_eol(jw);
	fputc(c, jw->out);
	jw->sep = ',';
}

void tn_jw_start_object(struct tn_jw *jw, const char *name)
{
	if (name)
		tn_jw_name(jw, name);
	jw_begin(jw, '{');
}

void tn_jw_end_object(struct tn_jw *jw)
{
	jw_end(jw, '}');
}

void tn_jw_start_array(struct tn_jw *jw, const char *name)
{
	if (name)
		tn_jw_name(jw, name);
	jw_begin(jw, '[');
	if (jw->pretty)
		fputc(' ', jw->out);
}

void tn_jw_end_array(struct tn_jw *jw)
{
	if (jw->pretty && jw->sep)
		fputc(' ', jw->out);
	jw->sep = '\0';
	jw_end(jw, ']');
}

static void jw_quoted(struct tn_jw *jw, const char *s)
{
	fputc('"', jw->out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(jw->out, "\\%c", c);
		else if (c < 0x20)
			fprintf(jw->out, "\\u%04x", c);
		else
			fputc(c, jw->out);
	}
	fputc('"', jw->out);
}

void tn_jw_name(struct tn_jw *jw, const char *name)
{
	jw_eor(jw);
	jw_eol(jw);
	jw->sep = '\0';
	jw_quoted(jw, name);
	fputc(':', jw->out);
	if (jw->pretty)
		fputc(' ', jw->out);
}

void tn_jw_string(struct tn_jw *jw, const char *name, const char *v)
{
	if (name)
		tn_jw_name(jw, name);
	jw_eor(jw);
	jw_quoted(jw, v);
}

void tn_jw_uint(struct tn_jw *jw, const char *name, unsigned long long v)
{
	if (name)
		tn_jw_name(jw, name);
	jw_eor(jw);
	fprintf(jw->out, "%llu", v);
}

void tn_jw_int(struct tn_jw *jw, const char *name, long long v)
{
	if (name)
		tn_jw_name(jw, name);
	jw_eor(jw);
	fprintf(jw->out, "%lld", v);
}

void tn_jw_bool(struct tn_jw *jw, const char *name, bool v)
{
	if (name)
		tn_jw_name(jw, name);
	jw_eor(jw);
	fputs(v ? "true" : "false", jw->out);
}

/* The end of the document (json_writer's jsonw_destroy). */
void tn_jw_finish(struct tn_jw *jw)
{
	fputc('\n', jw->out);
}
