/*
 * src/util/text.c - the words people wrote: what is kept of them, and how a
 * terminal is shown them.
 *
 * A "control" is a character that shows no word but can steer a terminal
 * (ESC starts an escape sequence that can recolour, retitle or clear the
 * screen; BEL rings; CR and backspace write over what was shown; U+009B is
 * the one-character CSI) or reorder the text around it (the bidirectional
 * overrides, embeddings and isolates, as in "Trojan Source").
 *
 * Intake keeps no control, whichever way the words came (a caption file, the
 * photo's own metadata, edit): pv_text_keep. What is stored anyway (an
 * archive from before this rule) is shown, never sent: pv_text_for_terminal
 * writes each control as a visible <U+001B>, and pv_text_json_safe escapes
 * the ones JSON allows raw.
 */
#include "photovoice/util.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

int pv_text_is_control(uint32_t c)
{
	return (c < 0x20 && c != '\t' && c != '\n') || (c >= 0x7F && c <= 0x9F) ||
	       (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) ||
	       c == 0xFEFF;
}

/* The next character of s and its length; (uint32_t)-1 for a byte that does
 * not start valid UTF-8 (length 1). */
static uint32_t next_char(const char *s, size_t *len)
{
	size_t avail = strnlen(s, 6);
	gunichar c = g_utf8_get_char_validated(s, (gssize)avail);
	if (c == (gunichar)-1 || c == (gunichar)-2) {
		*len = 1;
		return (uint32_t)-1;
	}
	*len = (size_t)g_utf8_skip[(unsigned char)*s];
	return c;
}

static int is_line_break(uint32_t c)
{
	return c == '\r' || c == 0x2028 || c == 0x2029;
}

char *pv_text_kept(const char *s)
{
	if (!s)
		return NULL;
	char *k = pv_trim(pv_text_keep(pv_strdup(s)));
	if (!*k) {
		free(k);
		return NULL;
	}
	return k;
}

char *pv_text_keep(char *s)
{
	if (!s)
		return s;
	char *out = s;
	for (const char *in = s; *in;) {
		size_t n;
		uint32_t c = next_char(in, &n);
		if (c == '\r' && in[1] == '\n') {
			in++;          /* CR LF: the LF comes next */
			continue;
		}
		if (is_line_break(c))
			*out++ = '\n';
		else if (c != (uint32_t)-1 && !pv_text_is_control(c)) {
			memmove(out, in, n);
			out += n;
		}
		in += n;
	}
	*out = '\0';
	return s;
}

enum shown_as { AS_LINES, AS_ONE_LINE, AS_JSON };

/* One character of a text as it is shown. */
static void shown(GString *g, uint32_t c, const char *raw, size_t n, enum shown_as as)
{
	if (as == AS_JSON && c != (uint32_t)-1 && c >= 0x80 && pv_text_is_control(c))
		g_string_append_printf(g, "\\u%04X", (unsigned)c);   /* JSON lets it stand raw */
	else if (as == AS_JSON)
		g_string_append_len(g, raw, (gssize)n);
	else if (c == (uint32_t)-1)
		g_string_append_printf(g, "<0x%02X>", (unsigned char)*raw);
	else if (as == AS_ONE_LINE && (c == '\n' || c == '\t' || c == 0x2028 || c == 0x2029))
		g_string_append_c(g, ' ');
	else if (pv_text_is_control(c))
		g_string_append_printf(g, "<U+%04X>", (unsigned)c);
	else
		g_string_append_len(g, raw, (gssize)n);
}

static char *show(const char *s, enum shown_as as)
{
	if (!s)
		return NULL;
	GString *g = g_string_sized_new(strlen(s) + 1);
	for (const char *in = s; *in;) {
		size_t n;
		uint32_t c = next_char(in, &n);
		shown(g, c, in, n, as);
		in += n;
	}
	char *r = pv_strdup(g->str);
	g_string_free(g, TRUE);
	return r;
}

char *pv_text_for_terminal(const char *s, int one_line)
{
	return show(s, one_line ? AS_ONE_LINE : AS_LINES);
}

char *pv_text_json_safe(const char *json)
{
	return show(json, AS_JSON);
}

int pv_edit_distance(const char *a, const char *b)
{
	enum { MAX = 63 };
	size_t n = strlen(a), m = strlen(b);
	if (n > MAX || m > MAX)
		return MAX + 1;
	int d[MAX + 1][MAX + 1];
	for (size_t i = 0; i <= n; i++)
		d[i][0] = (int)i;
	for (size_t j = 0; j <= m; j++)
		d[0][j] = (int)j;
	for (size_t i = 1; i <= n; i++) {
		for (size_t j = 1; j <= m; j++) {
			int v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[n][m];
}
