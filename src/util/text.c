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
 * photo's own metadata, edit): pv_text_keep.
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
