/*
 * One line of a caption file, read the way people write headers: spaces,
 * a tab or a non-breaking space before the key; Markdown around it (a list
 * dash, a heading's '#', '>' or emphasis: "**Toestemming:** geen"); a
 * full-width colon; "Toestemming ouder" for "Toestemming-ouder". A line is
 * header-like when its key is one or two words of letters before a colon,
 * with no sentence punctuation and no digits ("Mijn moeder zei: kom thuis"
 * is three words: a caption). A header-like key that photovoice does not know
 * but is within a small edit distance of one it knows is a typo
 * ("Toestemmimg"); sidecar.c decides what each kind means where it stands.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "photovoice/util.h"
#include "sidecar_internal.h"

#define KEY_MAX 40

static const struct {
	const char *key;
	enum field field;
} keys[] = {
	{ "titel", F_TITLE },               { "title", F_TITLE },
	{ "onderschrift", F_CAPTION },      { "bijschrift", F_CAPTION },
	{ "caption", F_CAPTION },
	{ "trefwoorden", F_TAGS },          { "tags", F_TAGS },
	{ "deelnemer", F_PARTICIPANT },     { "participant", F_PARTICIPANT },
	{ "naamsvermelding", F_CREDIT },    { "credit", F_CREDIT },
	{ "toestemming", F_CONSENT },       { "consent", F_CONSENT },
	{ "toestemming-ouder", F_GUARDIAN }, { "guardian-consent", F_GUARDIAN },
	{ "toestemming-tot", F_UNTIL },     { "consent-until", F_UNTIL },
	{ "verhaal", F_STORY },             { "story", F_STORY },
	{ "project", F_PROJECT },           { "projectnaam", F_PROJECT },
};

/* The key as compared: lower case, each run of spaces or '_' one '-'. */
static char *fold_key(const char *key, size_t klen)
{
	char *raw = pv_strndup(key, klen);
	char *folded = pv_utf8_casefold(raw);
	free(raw);
	if (!folded)
		return NULL;
	char *out = folded;
	for (const char *c = folded; *c; c++) {
		int gap = *c == ' ' || *c == '_' || *c == '\t';
		if (gap && out > folded && out[-1] == '-')
			continue;
		*out++ = gap ? '-' : *c;
	}
	*out = '\0';
	return folded;
}

int sidecar_key_field(const char *key, size_t klen)
{
	char *k = fold_key(key, klen);
	int field = -1;
	for (size_t i = 0; k && field < 0 && i < sizeof keys / sizeof *keys; i++)
		if (strcmp(k, keys[i].key) == 0)
			field = (int)keys[i].field;
	free(k);
	return field;
}

/* How far a key may be from a known one and still be a typo of it. */
static int typo_limit(const char *known)
{
	size_t n = strlen(known);
	return n >= 8 ? 2 : n >= 4 ? 1 : 0;
}

/* The known key nearest to `folded` within `slack` more than a typo's limit
 * (0: a typo only), or NULL. */
static const char *nearest_key(const char *folded, int slack)
{
	const char *best = NULL;
	int best_d = KEY_MAX;
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
		int d = pv_edit_distance(folded, keys[i].key);
		if (d <= typo_limit(keys[i].key) + slack && d < best_d) {
			best = keys[i].key;
			best_d = d;
		}
	}
	return best;
}

const char *sidecar_key_meant(const char *key, size_t klen)
{
	char *folded = fold_key(key, klen);
	const char *meant = folded ? nearest_key(folded, 2) : NULL;
	free(folded);
	return meant;
}

/* The key as it is shown in a sentence: "Toestemming-ouder". */
static void show_key(char *out, size_t n, const char *key)
{
	snprintf(out, n, "%s", key ? key : "");
	if (out[0] >= 'a' && out[0] <= 'z')
		out[0] = (char)(out[0] - 'a' + 'A');
}

/* ---- the shape of a line -------------------------------------------------- */

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
	if (end <= s || end - s > KEY_MAX)
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

/* The value after the colon: spaces and emphasis taken off both ends (the
 * end's only when the start had some: "klik_2025" keeps its '_'). */
static char *clean_value(const char *v)
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

static void set_key(struct header_line *out, const char *key, size_t klen)
{
	snprintf(out->key, sizeof out->key, "%.*s", (int)klen, key);
}

/* A line whose first word is a consent key but with no colon after it
 * ("Toestemming geen", "Toestemming = geen"): a header written wrongly. */
static int consent_word_first(const char *s, struct header_line *out)
{
	size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-");
	if (n == 0 || n > KEY_MAX || !s[n] || !strchr(" \t=>-", s[n]))
		return 0;
	int f = sidecar_key_field(s, n);
	if (f != F_CONSENT && f != F_GUARDIAN && f != F_UNTIL)
		return 0;
	out->kind = LINE_MALFORMED;
	out->field = f;
	set_key(out, s, n);
	return 1;
}

static void classify_key(const char *key, size_t klen, const char *after,
			 struct header_line *out)
{
	set_key(out, key, klen);
	out->field = sidecar_key_field(key, klen);
	if (out->field >= 0) {
		out->kind = LINE_KNOWN;
		out->value = clean_value(after);
		return;
	}
	char *folded = fold_key(key, klen);
	const char *near = folded ? nearest_key(folded, 0) : NULL;
	const char *far = folded && !near ? nearest_key(folded, 2) : NULL;
	free(folded);
	/* a near miss counts even alone when it could change consent or is a
	 * long key; a short one ("Tas: ...") only among headers */
	int f = near ? sidecar_key_field(near, strlen(near)) : -1;
	int typo = near && (f == F_CONSENT || f == F_GUARDIAN || f == F_UNTIL ||
			    strlen(near) >= 8);
	out->kind = typo ? LINE_NEAR : LINE_UNKNOWN;
	show_key(out->meant, sizeof out->meant, near ? near : far);
}

static void read_line(const char *line, struct header_line *out)
{
	const char *s = skip_spaces(line);
	if (!*s) {
		out->kind = LINE_BLANK;
		return;
	}
	if (strcmp(s, "---") == 0 || strncmp(s, "--- ", 4) == 0) {
		out->kind = LINE_FENCE;
		return;
	}
	int heading = 0;
	s = skip_markdown(s, &heading);
	const char *c = strchr(s, ':');
	const char *key = s;
	size_t klen = c ? key_span(&key, c) : 0;
	if (klen && c[1] != '/' && c[1] != '\\') {
		classify_key(key, klen, c + 1, out);
		return;
	}
	if (consent_word_first(s, out))
		return;
	out->kind = heading && *s ? LINE_HEADING : LINE_TEXT;
	if (heading)
		out->value = clean_value(s);
}

void sidecar_read_line(const char *line, struct header_line *out)
{
	memset(out, 0, sizeof *out);
	out->field = -1;
	char *plain = plain_spaces(line);
	read_line(plain, out);
	free(plain);
}

void sidecar_line_free(struct header_line *l)
{
	free(l->value);
	l->value = NULL;
}
