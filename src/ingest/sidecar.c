/*
 * Sidecars: the caption file beside a photo. Headers (Dutch or English keys)
 * then a blank line then the story; or, with no headers, the caption on the
 * first line and the story below it. Nothing in it is dropped silently: a line
 * that is not a known header ends the headers and becomes part of the story.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "photovoice/ingest.h"
#include "photovoice/util.h"

enum field {
	F_TITLE, F_CAPTION, F_TAGS, F_PARTICIPANT, F_CREDIT, F_CONSENT,
	F_GUARDIAN, F_UNTIL, F_STORY,
};

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
};

/* Returns the field of a "Key: value" line and points *value at the value, or
 * -1 when the line is not a known header. */
static int header_field(const char *line, const char **value)
{
	const char *colon = strchr(line, ':');
	if (!colon)
		return -1;
	size_t klen = (size_t)(colon - line);
	while (klen && (line[klen - 1] == ' ' || line[klen - 1] == '\t'))
		klen--;
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
		if (strlen(keys[i].key) == klen && strncasecmp(line, keys[i].key, klen) == 0) {
			*value = colon + 1;
			return (int)keys[i].field;
		}
	}
	return -1;
}

static int parse_yes_no(const char *v)
{
	static const char *const yes[] = { "ja", "yes", "j", "y", "true" };
	static const char *const no[] = { "nee", "no", "n", "false" };
	for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
		if (strcasecmp(v, yes[i]) == 0)
			return PV_GUARDIAN_YES;
	for (size_t i = 0; i < sizeof no / sizeof *no; i++)
		if (strcasecmp(v, no[i]) == 0)
			return PV_GUARDIAN_NO;
	return -2;
}

static int valid_date(const char *v)
{
	if (strlen(v) != 10 || v[4] != '-' || v[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)v[i]))
			return 0;
	int month = atoi(v + 5), day = atoi(v + 8);
	return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

static void add_tags(struct pv_sidecar *s, const char *v)
{
	char *copy = pv_strdup(v);
	char *save = NULL;
	for (char *tok = strtok_r(copy, ",;", &save); tok;
	     tok = strtok_r(NULL, ",;", &save)) {
		char *folded = pv_utf8_casefold(pv_trim(tok));
		if (!folded || !*folded) {
			free(folded);
			continue;
		}
		s->tags = realloc(s->tags, (s->ntags + 2) * sizeof *s->tags);
		if (!s->tags)
			abort();
		s->tags[s->ntags++] = folded;
		s->tags[s->ntags] = NULL;
	}
	free(copy);
}

static void set_text(char **slot, const char *v)
{
	free(*slot);
	*slot = *v ? pv_strdup(v) : NULL;
}

static int apply_header(struct pv_sidecar *s, int field, char *value, char *err,
			size_t errlen)
{
	const char *v = pv_trim(value);
	switch ((enum field)field) {
	case F_TITLE: set_text(&s->title, v); break;
	case F_CAPTION: set_text(&s->caption, v); break;
	case F_PARTICIPANT: set_text(&s->participant, v); break;
	case F_CREDIT: set_text(&s->credit, v); break;
	case F_STORY: set_text(&s->story, v); break;
	case F_TAGS: add_tags(s, v); break;
	case F_CONSENT:
		s->consent = pv_consent_parse(v);
		if (s->consent < 0) {
			pv_set_err(err, errlen, "The caption file gives a consent that photovoice "
				   "does not know; use geen, intern, poster or openbaar.");
			return -1;
		}
		break;
	case F_GUARDIAN:
		s->guardian = parse_yes_no(v);
		if (s->guardian == -2) {
			pv_set_err(err, errlen, "The caption file's guardian consent must be ja or nee.");
			return -1;
		}
		break;
	case F_UNTIL:
		if (!valid_date(v)) {
			pv_set_err(err, errlen, "The caption file's consent end date must be "
				   "written as YYYY-MM-DD.");
			return -1;
		}
		set_text(&s->consent_until, v);
		break;
	}
	return 0;
}

/* Appends the body to the story (a Story: header may already have begun it). */
static void set_story(struct pv_sidecar *s, const char *body)
{
	char *b = pv_trim(pv_strdup(body));
	if (!*b) {
		free(b);
		return;
	}
	if (!s->story) {
		s->story = b;
		return;
	}
	size_t n = strlen(s->story) + strlen(b) + 3;
	char *joined = malloc(n);
	if (!joined)
		abort();
	snprintf(joined, n, "%s\n\n%s", s->story, b);
	free(s->story);
	free(b);
	s->story = joined;
}

static char *next_line(char **cursor)
{
	char *line = *cursor;
	if (!line)
		return NULL;
	char *nl = strchr(line, '\n');
	if (nl) {
		*nl = '\0';
		*cursor = nl + 1;
	} else {
		*cursor = NULL;
	}
	size_t n = strlen(line);
	if (n && line[n - 1] == '\r')
		line[n - 1] = '\0';
	return line;
}

static int is_blank(const char *line)
{
	for (; *line; line++)
		if (!isspace((unsigned char)*line))
			return 0;
	return 1;
}

/* No headers: the first non-blank line is the caption, the rest the story. */
static void parse_plain(struct pv_sidecar *s, char *text)
{
	char *cursor = text, *line;
	while ((line = next_line(&cursor)) && is_blank(line))
		;
	if (line)
		set_text(&s->caption, pv_trim(line));
	if (cursor)
		set_story(s, cursor);
}

static int parse_headers(struct pv_sidecar *s, char *text, char *err, size_t errlen)
{
	char *cursor = text, *line;
	while ((line = next_line(&cursor))) {
		const char *value;
		if (is_blank(line))
			break;
		int f = header_field(line, &value);
		if (f < 0) {
			/* not a header: this line and the rest are the story */
			if (cursor)
				cursor[-1] = '\n';
			cursor = line;
			break;
		}
		if (apply_header(s, f, (char *)value, err, errlen) != 0)
			return -1;
	}
	if (cursor)
		set_story(s, cursor);
	return 0;
}

static int starts_with_header(const char *text)
{
	while (*text == '\n' || *text == '\r' || *text == ' ')
		text++;
	const char *end = strchr(text, '\n');
	size_t n = end ? (size_t)(end - text) : strlen(text);
	char *first = pv_strndup(text, n);
	const char *value;
	int f = header_field(first, &value);
	free(first);
	return f >= 0;
}

static int check_encoding(const char *data, size_t len, char *err, size_t errlen)
{
	if (len >= 2 && (((unsigned char)data[0] == 0xFF && (unsigned char)data[1] == 0xFE) ||
			 ((unsigned char)data[0] == 0xFE && (unsigned char)data[1] == 0xFF))) {
		pv_set_err(err, errlen, "The caption file is saved as UTF-16; save it again "
			   "as UTF-8 text.");
		return -1;
	}
	if (memchr(data, '\0', len)) {
		pv_set_err(err, errlen, "The caption file holds binary data, not text.");
		return -1;
	}
	if (!pv_utf8_valid(data, len)) {
		pv_set_err(err, errlen, "The caption file is not valid UTF-8 text; save it "
			   "again as UTF-8 (Unicode) text.");
		return -1;
	}
	return 0;
}

int pv_sidecar_parse(const char *data, size_t len, struct pv_sidecar *out,
		     char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	out->consent = -1;
	out->guardian = PV_GUARDIAN_UNKNOWN;
	if (check_encoding(data, len, err, errlen) != 0)
		return -1;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3;   /* a byte-order mark from Windows editors */
		len -= 3;
	}
	char *text = pv_utf8_nfc(data, len);
	if (!text) {
		pv_set_err(err, errlen, "The caption file is not valid UTF-8 text.");
		return -1;
	}
	int r = 0;
	if (starts_with_header(text))
		r = parse_headers(out, text, err, errlen);
	else
		parse_plain(out, text);
	free(text);
	if (r != 0)
		pv_sidecar_free(out);
	return r;
}

void pv_sidecar_free(struct pv_sidecar *s)
{
	free(s->title);
	free(s->caption);
	free(s->story);
	free(s->participant);
	free(s->credit);
	free(s->consent_until);
	for (size_t i = 0; i < s->ntags; i++)
		free(s->tags[i]);
	free(s->tags);
	memset(s, 0, sizeof *s);
	s->consent = -1;
	s->guardian = PV_GUARDIAN_UNKNOWN;
}
