/*
 * Sidecars: the caption file beside a photo. Headers (Dutch or English keys)
 * then a blank line then the story; or, with no headers, the caption on the
 * first line and the story below it. Nothing in it is dropped silently: a line
 * that is not a known header ends the headers and becomes part of the story.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "photovoice/util.h"
#include "sidecar_internal.h"

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

const char *sidecar_field_name(int field)
{
	static const char *const names[] = {
		[F_TITLE] = "the title", [F_CAPTION] = "the caption", [F_TAGS] = "the tags",
		[F_PARTICIPANT] = "the participant", [F_CREDIT] = "the credit line",
		[F_CONSENT] = "the consent", [F_GUARDIAN] = "the guardian's consent",
		[F_UNTIL] = "the consent end date", [F_STORY] = "the story",
		[F_PROJECT] = "the project name",
	};
	return names[field];
}

int sidecar_key_field(const char *key, size_t klen)
{
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
		if (strlen(keys[i].key) == klen && strncasecmp(key, keys[i].key, klen) == 0)
			return (int)keys[i].field;
	return -1;
}

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
	int f = sidecar_key_field(line, klen);
	if (f >= 0)
		*value = colon + 1;
	return f;
}

static void add_tag(struct pv_sidecar *s, char *folded)
{
	if (!folded || !*folded) {
		free(folded);
		return;
	}
	for (size_t i = 0; i < s->ntags; i++) {
		if (strcmp(s->tags[i], folded) == 0) {
			free(folded);
			return;
		}
	}
	s->tags = realloc(s->tags, (s->ntags + 2) * sizeof *s->tags);
	if (!s->tags)
		abort();
	s->tags[s->ntags++] = folded;
	s->tags[s->ntags] = NULL;
}

static void add_tags(struct pv_sidecar *s, const char *v)
{
	char *copy = pv_strdup(v);
	char *save = NULL;
	for (char *tok = strtok_r(copy, ",;", &save); tok;
	     tok = strtok_r(NULL, ",;", &save))
		add_tag(s, pv_utf8_casefold(pv_trim(tok)));
	free(copy);
}

/* The project name as a tag: lower case, each run of spaces, commas or
 * semicolons one '-' ("Zomerkamp 2025" -> "zomerkamp-2025"). */
static char *project_tag(const char *name)
{
	char *folded = pv_utf8_casefold(name);
	if (!folded)
		return NULL;
	char *out = folded;
	int gap = 0;
	for (const char *c = folded; *c; c++) {
		if (strchr(" \t,;", *c)) {
			gap = out != folded;
			continue;
		}
		if (gap)
			*out++ = '-';
		gap = 0;
		*out++ = *c;
	}
	*out = '\0';
	return folded;
}

static void set_text(char **slot, const char *v)
{
	free(*slot);
	*slot = *v ? pv_strdup(v) : NULL;
}

/* "The caption file " + the rest of the sentence; returns -1. */
static int fail(struct sidecar_parse *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int fail(struct sidecar_parse *p, const char *fmt, ...)
{
	char sentence[384];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sentence, sizeof sentence, fmt, ap);
	va_end(ap);
	pv_set_err(p->err, p->errlen, "The %s %s", p->what, sentence);
	return -1;
}

static int apply_consent(struct sidecar_parse *p, const char *v)
{
	p->s->consent = pv_consent_parse(v);
	if (p->s->consent < 0)
		return fail(p, "gives a consent that photovoice does not know; use geen, "
			    "intern, poster or openbaar.");
	return 0;
}

static int apply_guardian(struct sidecar_parse *p, const char *v)
{
	int yes = pv_yes_no_parse(v);
	if (yes < 0)
		return fail(p, "gives a guardian consent other than ja or nee.");
	p->s->guardian = yes ? PV_GUARDIAN_YES : PV_GUARDIAN_NO;
	return 0;
}

static int apply_until(struct sidecar_parse *p, const char *v)
{
	if (!pv_date_valid(v))
		return fail(p, "gives a consent end date that is not a day of the calendar "
			    "written as YYYY-MM-DD.");
	set_text(&p->s->consent_until, v);
	return 0;
}

/* Words given twice would lose one of them silently: refuse instead. */
static int given_twice(struct sidecar_parse *p, int field)
{
	unsigned bit = 1u << field;
	if (field != F_TAGS && (p->seen & bit))
		return fail(p, "gives %s twice; keep one so that no words are lost.",
			    sidecar_field_name(field));
	p->seen |= bit;
	return 0;
}

int sidecar_apply(struct sidecar_parse *p, int field, const char *value)
{
	if (given_twice(p, field) != 0)
		return -1;
	char *copy = pv_strdup(value);
	const char *v = pv_trim(copy);
	struct pv_sidecar *s = p->s;
	int r = 0;
	switch ((enum field)field) {
	case F_TITLE: set_text(&s->title, v); break;
	case F_CAPTION: set_text(&s->caption, v); break;
	case F_PARTICIPANT: set_text(&s->participant, v); break;
	case F_CREDIT: set_text(&s->credit, v); break;
	case F_STORY: set_text(&s->story, v); break;
	case F_PROJECT: set_text(&s->project, v); break;
	case F_TAGS: add_tags(s, v); break;
	case F_CONSENT: r = apply_consent(p, v); break;
	case F_GUARDIAN: r = apply_guardian(p, v); break;
	case F_UNTIL: r = apply_until(p, v); break;
	}
	free(copy);
	return r;
}

int sidecar_apply_guardian(struct sidecar_parse *p, int yes)
{
	if (given_twice(p, F_GUARDIAN) != 0)
		return -1;
	p->s->guardian = yes ? PV_GUARDIAN_YES : PV_GUARDIAN_NO;
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

static int parse_headers(struct sidecar_parse *p, char *text)
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
		if (sidecar_apply(p, f, value) != 0)
			return -1;
	}
	if (cursor)
		set_story(p->s, cursor);
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

/* UTF-16 with or without its byte-order mark (Notepad's "Unicode"). */
static int looks_utf16(const unsigned char *d, size_t len)
{
	if (len >= 2 && ((d[0] == 0xFF && d[1] == 0xFE) || (d[0] == 0xFE && d[1] == 0xFF)))
		return 1;
	return len >= 4 && ((d[0] && !d[1] && d[2] && !d[3]) || (!d[0] && d[1] && !d[2] && d[3]));
}

int sidecar_check_text(struct sidecar_parse *p, const char **data, size_t *len)
{
	if (looks_utf16((const unsigned char *)*data, *len))
		return fail(p, "is saved as UTF-16; save it again as UTF-8 text.");
	if (memchr(*data, '\0', *len))
		return fail(p, "holds binary data, not text.");
	if (!pv_utf8_valid(*data, *len))
		return fail(p, "is not valid UTF-8 text; save it again as UTF-8 (Unicode) "
			    "text.");
	if (*len >= 3 && memcmp(*data, "\xEF\xBB\xBF", 3) == 0) {
		*data += 3;   /* a byte-order mark from Windows editors */
		*len -= 3;
	}
	return 0;
}

void sidecar_begin(struct sidecar_parse *p, struct pv_sidecar *out, const char *what,
		   char *err, size_t errlen)
{
	sidecar_init(out);
	*p = (struct sidecar_parse){ .s = out, .what = what, .err = err, .errlen = errlen };
}

/* The project name also becomes a tag: the catalogue has no project column. */
static int finish(struct sidecar_parse *p, int r)
{
	if (r == 0 && p->s->project)
		add_tag(p->s, project_tag(p->s->project));
	if (r != 0)
		pv_sidecar_free(p->s);
	return r;
}

static int parse_text(struct sidecar_parse *p, const char *data, size_t len)
{
	if (sidecar_check_text(p, &data, &len) != 0)
		return -1;
	char *text = pv_utf8_nfc(data, len);
	if (!text)
		return fail(p, "is not valid UTF-8 text.");
	int r = 0;
	if (starts_with_header(text))
		r = parse_headers(p, text);
	else
		parse_plain(p->s, text);
	free(text);
	return r;
}

int pv_sidecar_parse(const char *data, size_t len, struct pv_sidecar *out,
		     char *err, size_t errlen)
{
	struct sidecar_parse p;
	sidecar_begin(&p, out, "caption file", err, errlen);
	return finish(&p, parse_text(&p, data, len));
}

int pv_sidecar_parse_json(const char *data, size_t len, struct pv_sidecar *out,
			  char *err, size_t errlen)
{
	struct sidecar_parse p;
	sidecar_begin(&p, out, "caption file", err, errlen);
	return finish(&p, sidecar_parse_json_text(&p, data, len));
}

/* A project file gives defaults for many photos: a title, caption or story
 * there would be copied onto every photo, so it is refused. */
static int project_only_defaults(struct sidecar_parse *p)
{
	const struct pv_sidecar *s = p->s;
	int field = s->title ? F_TITLE : s->caption ? F_CAPTION : s->story ? F_STORY : -1;
	if (field < 0)
		return 0;
	return fail(p, "gives %s, which belongs in each photo's own caption file; a "
		    "project file gives only defaults such as tags, consent and the "
		    "project name.", sidecar_field_name(field));
}

int pv_project_parse(const char *data, size_t len, int json, const char *name,
		     struct pv_sidecar *out, char *err, size_t errlen)
{
	char what[300];
	snprintf(what, sizeof what, "project file%s%s", name ? " " : "", name ? name : "");
	struct sidecar_parse p;
	sidecar_begin(&p, out, what, err, errlen);
	int r = json ? sidecar_parse_json_text(&p, data, len) : parse_text(&p, data, len);
	if (r == 0)
		r = project_only_defaults(&p);
	return finish(&p, r);
}

void sidecar_init(struct pv_sidecar *s)
{
	memset(s, 0, sizeof *s);
	s->consent = -1;
	s->guardian = PV_GUARDIAN_UNKNOWN;
}

static void overlay_text(char **slot, const char *over)
{
	if (over)
		set_text(slot, over);
}

void sidecar_overlay(struct pv_sidecar *out, const struct pv_sidecar *over)
{
	overlay_text(&out->title, over->title);
	overlay_text(&out->caption, over->caption);
	overlay_text(&out->story, over->story);
	overlay_text(&out->participant, over->participant);
	overlay_text(&out->credit, over->credit);
	overlay_text(&out->consent_until, over->consent_until);
	overlay_text(&out->project, over->project);
	if (over->consent >= 0)
		out->consent = over->consent;
	if (over->guardian != PV_GUARDIAN_UNKNOWN)
		out->guardian = over->guardian;
	for (size_t i = 0; i < over->ntags; i++)
		add_tag(out, pv_strdup(over->tags[i]));
}

void pv_sidecar_free(struct pv_sidecar *s)
{
	free(s->title);
	free(s->caption);
	free(s->story);
	free(s->participant);
	free(s->credit);
	free(s->consent_until);
	free(s->project);
	for (size_t i = 0; i < s->ntags; i++)
		free(s->tags[i]);
	free(s->tags);
	sidecar_init(s);
}
