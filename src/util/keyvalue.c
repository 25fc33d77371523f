/*
 * The one reader of "Key: value" lines, for every file people write by hand:
 * caption files and project files (src/ingest/sidecar_lines.c) and bundle
 * spec files (src/bundle/spec.c). Each door keeps its own list of keys; how
 * a line is split into a key and a value is decided here only, so that a
 * line one door reads as "Titel" and "De klik", every door reads so.
 *
 * Lines are read the way people write them: spaces, a tab or a non-breaking
 * space before the key; Markdown around it (a list dash, a heading's '#',
 * '>' or emphasis: "**Toestemming:** geen"); a full-width colon. A key is one
 * or two words of letters before the colon, with no sentence punctuation and
 * no digits ("Mijn moeder zei: kom thuis" is three words: text, not a key),
 * and a colon that starts a link ("http://") is no key's.
 */
#include <stdlib.h>
#include <string.h>

#include "photovoice/util.h"

/* A copy of the line with every kind of space (no-break, narrow, figure,
 * ideographic, zero-width, a byte-order mark) as ' ' and the full-width and
 * small colons as ':'. */
static char *plain_spaces(const char *line)
{
	static const char *const spaces[] = {
		"\xC2\xA0", "\xE2\x80\xAF", "\xE2\x80\x87", "\xE3\x80\x80", "\xE2\x80\x8B",
		"\xEF\xBB\xBF", "\xE2\x80\x89", "\xE2\x80\x82", "\xE2\x80\x83",
		"\xE2\x80\x8A", "\xE2\x80\x88",
	};
	static const char *const colons[] = { "\xEF\xBC\x9A", "\xEF\xB9\x95" };
	char *out = pv_strdup(line), *o = out;
	for (const char *c = line; *c;) {
		size_t n = 0;
		char as = 0;
		for (size_t i = 0; !n && i < sizeof spaces / sizeof *spaces; i++)
			if (strncmp(c, spaces[i], strlen(spaces[i])) == 0)
				n = strlen(spaces[i]), as = ' ';
		for (size_t i = 0; !n && i < sizeof colons / sizeof *colons; i++)
			if (strncmp(c, colons[i], strlen(colons[i])) == 0)
				n = strlen(colons[i]), as = ':';
		if (n) {
			*o++ = as;
			c += n;
		} else {
			*o++ = *c++;
		}
	}
	*o = '\0';
	return out;
}

static int space_at(const char *s)
{
	return *s == ' ' || *s == '\t';
}

static const char *skip_spaces(const char *s)
{
	while (space_at(s))
		s++;
	return s;
}

static int is_emphasis(char c)
{
	return c == '*' || c == '_';
}

/* Skips Markdown before a key: '>' quotes, a list mark ("- ", "* ", "+ "),
 * a heading's '#'s (sets *heading). */
static const char *skip_markdown(const char *s, int *heading)
{
	for (;;) {
		s = skip_spaces(s);
		if (*s == '>') {
			s++;
		} else if ((*s == '-' || *s == '*' || *s == '+') && space_at(s + 1)) {
			s++;
		} else if (*s == '#') {
			while (*s == '#')
				s++;
			*heading = 1;
		} else {
			return s;
		}
	}
}

/* Whether c may be part of a key: a letter (any non-ASCII byte counts as
 * part of a letter), '-', '_' or a space between words. */
static int key_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80 || c == '-' ||
	       c == '_' || c == ' ';
}

/* The key between s and end with its emphasis and spaces taken off: one or
 * two words of key characters. Returns its length (*start moved), or 0 when
 * it is not a key. */
static size_t key_span(const char **start, const char *end)
{
	const char *s = *start;
	while (s < end && (is_emphasis(*s) || *s == ' '))
		s++;
	while (end > s && (is_emphasis(end[-1]) || end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (end <= s || end - s > PV_KV_KEY_MAX)
		return 0;
	int words = 1;
	for (const char *c = s; c < end; c++) {
		if (!key_char((unsigned char)*c))
			return 0;
		if (*c == ' ' && c[-1] != ' ')
			words++;
	}
	*start = s;
	return words <= 2 ? (size_t)(end - s) : 0;
}

char *pv_kv_clean_value(const char *v)
{
	int emphasis = 0;
	for (;;) {
		if (space_at(v)) {
			v++;
		} else if (is_emphasis(*v)) {
			emphasis = 1;
			v++;
		} else {
			break;
		}
	}
	char *out = pv_strdup(v);
	size_t len = strlen(out);
	while (len && (out[len - 1] == ' ' || out[len - 1] == '\t' ||
		       (emphasis && is_emphasis(out[len - 1]))))
		out[--len] = '\0';
	return out;
}

static void read_plain(const char *line, struct pv_kv_line *out)
{
	const char *s = skip_spaces(line);
	if (!*s) {
		out->kind = PV_KV_BLANK;
		return;
	}
	if (strcmp(s, "---") == 0 || strncmp(s, "--- ", 4) == 0) {
		out->kind = PV_KV_FENCE;
		return;
	}
	s = skip_markdown(s, &out->heading);
	const char *c = strchr(s, ':');
	const char *key = s;
	size_t klen = c ? key_span(&key, c) : 0;
	if (klen && c[1] != '/' && c[1] != '\\') {
		out->kind = PV_KV_PAIR;
		memcpy(out->key, key, klen);
		out->key[klen] = '\0';
		out->value = pv_kv_clean_value(c + 1);
		return;
	}
	out->kind = PV_KV_TEXT;
	out->text = pv_strdup(s);
}

void pv_kv_read_line(const char *line, struct pv_kv_line *out)
{
	memset(out, 0, sizeof *out);
	char *plain = plain_spaces(line);
	read_plain(plain, out);
	free(plain);
}

void pv_kv_line_free(struct pv_kv_line *l)
{
	free(l->value);
	free(l->text);
	l->value = l->text = NULL;
}
