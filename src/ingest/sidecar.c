/*
 * Sidecars: the caption file beside a photo. Headers (Dutch or English keys)
 * then a blank line then the story; or, with no headers, the caption on the
 * first line and the story below it. Nothing in it is dropped silently: a line
 * that is not a header ends the headers and becomes part of the story. Consent
 * is never read wider than written: a header line photovoice cannot read (a
 * typo of a key, an unknown key among the headers, a consent line with no
 * colon, a header below the start of the story) refuses the file, with a
 * sentence naming the key, instead of becoming story text while a project
 * file's default speaks for the participant. How one line is read is
 * sidecar_lines.c's; what it means where it stands is decided here.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "photovoice/i18n.h"
#include "photovoice/util.h"
#include "sidecar_internal.h"

const char *sidecar_field_name(int field)
{
	static const char *const names[] = {
		[F_TITLE] = N_("the title"), [F_CAPTION] = N_("the caption"), [F_TAGS] = N_("the tags"),
		[F_PARTICIPANT] = N_("the participant"), [F_CREDIT] = N_("the credit line"),
		[F_CONSENT] = N_("the consent"), [F_GUARDIAN] = N_("the guardian's consent"),
		[F_UNTIL] = N_("the consent end date"), [F_STORY] = N_("the story"),
		[F_PROJECT] = N_("the project name"),
	};
	return _(names[field]);
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
	/* TRANSLATORS: "The caption file" + "is not valid UTF-8 text." (p->what is
	   "caption file", "project file NAME") */
	pv_fail(p->err, PV_ERR_INPUT, "The %s %s", _(p->what), sentence);
	return -1;
}

static int apply_consent(struct sidecar_parse *p, const char *v)
{
	p->s->consent = pv_consent_parse(v);
	if (p->s->consent < 0)
		return fail(p, _("gives a consent that photovoice does not know; use geen, "
			    "intern, poster or openbaar."));
	return 0;
}

static int apply_guardian(struct sidecar_parse *p, const char *v)
{
	int yes = pv_yes_no_parse(v);
	if (yes < 0)
		return fail(p, _("gives a guardian consent other than ja or nee."));
	p->s->guardian = yes ? PV_GUARDIAN_YES : PV_GUARDIAN_NO;
	return 0;
}

static int apply_until(struct sidecar_parse *p, const char *v)
{
	if (!pv_date_valid(v))
		return fail(p, _("gives a consent end date that is not a day of the calendar "
			    "written as YYYY-MM-DD."));
	set_text(&p->s->consent_until, v);
	return 0;
}

/* Words given twice would lose one of them silently: refuse instead. */
static int given_twice(struct sidecar_parse *p, int field)
{
	unsigned bit = 1u << field;
	if (field != F_TAGS && (p->seen & bit))
		return fail(p, _("gives %s twice; keep one so that no words are lost."),
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

/* ---- the lines of a text caption file ------------------------------------ */

struct lines {
	const char *text;
	size_t *start, *len;
	size_t n;
};

/* Bytes of a line end at c other than LF: CR (an old Mac's, or CR LF's),
 * LINE and PARAGRAPH SEPARATOR, NEL; 0 when there is none. (A vertical tab
 * or form feed is a control character the catalogue refuses.) */
static size_t line_end_at(const char *c)
{
	if (*c == '\r')
		return 1;
	if (strncmp(c, "\xE2\x80\xA8", 3) == 0 || strncmp(c, "\xE2\x80\xA9", 3) == 0)
		return 3;
	return strncmp(c, "\xC2\x85", 2) == 0 ? 2 : 0;
}

/* Every line end becomes LF, in place (CR LF one LF): a header after any of
 * them is still a header of its own. */
static void unify_line_ends(char *text)
{
	char *out = text;
	for (const char *c = text; *c;) {
		size_t n = line_end_at(c);
		if (n) {
			c += (*c == '\r' && c[1] == '\n') ? 2 : n;   /* before out writes over it */
			*out++ = '\n';
		} else {
			*out++ = *c++;
		}
	}
	*out = '\0';
}

static void split_lines(const char *text, struct lines *l)
{
	size_t cap = 1;
	for (const char *c = text; *c; c++)
		cap += *c == '\n';
	l->text = text;
	l->start = malloc(cap * sizeof *l->start);
	l->len = malloc(cap * sizeof *l->len);
	if (!l->start || !l->len)
		abort();
	l->n = 0;
	for (const char *c = text; *c;) {
		const char *nl = strchr(c, '\n');
		size_t n = nl ? (size_t)(nl - c) : strlen(c);
		l->start[l->n] = (size_t)(c - text);
		l->len[l->n++] = n;
		c += n + (nl != NULL);
	}
}

static void read_at(const struct lines *l, size_t i, struct header_line *h)
{
	char *line = pv_strndup(l->text + l->start[i], l->len[i]);
	sidecar_read_line(line, h);
	free(line);
}

static enum line_kind kind_at(const struct lines *l, size_t i)
{
	struct header_line h;
	read_at(l, i, &h);
	sidecar_line_free(&h);
	return h.kind;
}

static size_t skip_blank_lines(const struct lines *l, size_t i)
{
	while (i < l->n && kind_at(l, i) == LINE_BLANK)
		i++;
	return i;
}

/* ---- refusals that name the line --------------------------------------- */

static int typo_key(struct sidecar_parse *p, const struct header_line *h, size_t line)
{
	return fail(p, _("has a line with the key \"%s\" (line %zu), which photovoice does not "
		    "know; it probably means \"%s\". Correct the key so that nothing written "
		    "is lost or read wrongly."), h->key, line + 1, h->meant);
}

static int unknown_key(struct sidecar_parse *p, const struct header_line *h, size_t line)
{
	if (h->meant[0])
		return fail(p, _("has a line with the key \"%s\" (line %zu) among its headers, "
			    "which photovoice does not know; did you mean \"%s\"? Use the keys of "
			    "docs/drop-folder.md, or write those words below the headers, so that nothing "
			    "written is lost."), h->key, line + 1, h->meant);
	return fail(p, _("has a line with the key \"%s\" (line %zu) among its headers, which "
		    "photovoice does not know. Use the keys of docs/drop-folder.md, or write those words "
		    "below the headers, so that nothing written is lost."), h->key, line + 1);
}

static int no_colon(struct sidecar_parse *p, const struct header_line *h, size_t line)
{
	return fail(p, _("has a line that begins with \"%s\" but has no colon after it (line "
		    "%zu); write it among the headers at the top as \"%s: ...\"."), h->key,
		    line + 1, h->key);
}

static int late_header(struct sidecar_parse *p, const struct header_line *h, size_t line)
{
	return fail(p, _("has a \"%s\" line (line %zu) below the start of the caption or story, "
		    "where it would be read as story text; move it to the top, with the other "
		    "headers, before the first blank line."), h->key, line + 1);
}

/* A typo or a consent line without a colon is refused wherever it stands. */
static int refuse_misread(struct sidecar_parse *p, const struct header_line *h, size_t line)
{
	if (h->kind == LINE_NEAR)
		return typo_key(p, h, line);
	if (h->kind == LINE_MALFORMED)
		return no_colon(p, h, line);
	return 0;
}

/* ---- the header block --------------------------------------------------- */

struct block {
	size_t first;          /* its first line (after a heading or '---') */
	size_t body;           /* the first line of what follows it */
	int fenced;            /* opened by '---' (front matter) */
	int known;             /* known keys in it */
	int has_unknown;
	struct header_line unknown;   /* the first unknown key */
	size_t unknown_line;
};

/* A Markdown heading on the first line ("# De klik") is the title. */
static int leading_heading(struct sidecar_parse *p, const struct lines *l, size_t *i)
{
	struct header_line h;
	read_at(l, *i, &h);
	int r = 0;
	if (h.kind == LINE_HEADING) {
		r = sidecar_apply(p, F_TITLE, h.value);
		*i = skip_blank_lines(l, *i + 1);
	}
	sidecar_line_free(&h);
	return r;
}

/* At a blank line: the block goes on when the next line is a header
 * (blank lines between headers), else ends there. Returns 1 to go on. */
static int block_goes_on(const struct lines *l, struct block *b, size_t *i)
{
	size_t next = skip_blank_lines(l, *i);
	enum line_kind k = next < l->n ? kind_at(l, next) : LINE_BLANK;
	if (b->fenced || k == LINE_KNOWN || k == LINE_NEAR || k == LINE_MALFORMED) {
		*i = next;
		return 1;
	}
	b->body = next;
	return 0;
}

/* One line of the block: 1 to go on, 0 when the block ended, -1 refused. */
static int block_line(struct sidecar_parse *p, const struct lines *l, struct block *b,
		      size_t *i)
{
	struct header_line h;
	read_at(l, *i, &h);
	int r = 1;
	if (h.kind == LINE_BLANK) {
		r = block_goes_on(l, b, i);
	} else if (h.kind == LINE_FENCE && b->fenced) {
		b->body = *i + 1;
		r = 0;
	} else if (h.kind == LINE_KNOWN) {
		r = sidecar_apply(p, h.field, h.value) == 0 ? 1 : -1;
		b->known++;
		++*i;
	} else if (h.kind == LINE_NEAR || h.kind == LINE_MALFORMED) {
		r = refuse_misread(p, &h, *i) == 0 ? 1 : -1;
	} else if (h.kind == LINE_UNKNOWN) {
		if (!b->has_unknown) {
			b->has_unknown = 1;
			b->unknown = h;
			b->unknown_line = *i;
			h.value = NULL;
		}
		++*i;
	} else {
		b->body = *i;   /* text: the story (or, with no headers, the caption) */
		r = 0;
	}
	sidecar_line_free(&h);
	return r;
}

static int read_block(struct sidecar_parse *p, const struct lines *l, struct block *b)
{
	size_t i = skip_blank_lines(l, 0);
	if (i < l->n && kind_at(l, i) == LINE_FENCE) {
		b->fenced = 1;
		i++;
	} else if (i < l->n && leading_heading(p, l, &i) != 0) {
		return -1;
	}
	b->first = b->body = i;
	int r = 1;
	while (r == 1 && i < l->n)
		r = block_line(p, l, b, &i);
	if (r == 1)
		b->body = l->n;
	if (r < 0)
		return -1;
	if (b->has_unknown && (b->known || b->fenced))
		return unknown_key(p, &b->unknown, b->unknown_line);
	return 0;
}

/* Below the headers: a known key, a typo of one or a consent line with no
 * colon would be read as story text. */
static int refuse_late_headers(struct sidecar_parse *p, const struct lines *l, size_t from)
{
	for (size_t i = from; i < l->n; i++) {
		struct header_line h;
		read_at(l, i, &h);
		int r = h.kind == LINE_KNOWN ? late_header(p, &h, i) : refuse_misread(p, &h, i);
		sidecar_line_free(&h);
		if (r != 0)
			return -1;
	}
	return 0;
}

/* No headers: the first non-blank line is the caption, the rest the story. */
static void read_plain(struct sidecar_parse *p, const struct lines *l, size_t first)
{
	if (first >= l->n)
		return;
	char *caption = pv_strndup(l->text + l->start[first], l->len[first]);
	set_text(&p->s->caption, pv_trim(caption));
	free(caption);
	if (first + 1 < l->n)
		set_story(p->s, l->text + l->start[first + 1]);
}

static int parse_lines(struct sidecar_parse *p, char *text)
{
	unify_line_ends(text);
	struct lines l;
	split_lines(text, &l);
	struct block b = { 0 };
	int r = read_block(p, &l, &b);
	size_t body = b.known ? b.body : b.first;
	if (r == 0)
		r = refuse_late_headers(p, &l, body);
	if (r == 0 && b.known)
		set_story(p->s, body < l.n ? text + l.start[body] : "");
	else if (r == 0)
		read_plain(p, &l, skip_blank_lines(&l, body));
	sidecar_line_free(&b.unknown);
	free(l.start);
	free(l.len);
	return r;
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
		return fail(p, _("is saved as UTF-16; save it again as UTF-8 text."));
	if (memchr(*data, '\0', *len))
		return fail(p, _("holds binary data, not text."));
	if (!pv_utf8_valid(*data, *len))
		return fail(p, _("is not valid UTF-8 text; save it again as UTF-8 (Unicode) "
			    "text."));
	if (*len >= 3 && memcmp(*data, "\xEF\xBB\xBF", 3) == 0) {
		*data += 3;   /* a byte-order mark from Windows editors */
		*len -= 3;
	}
	return 0;
}

void sidecar_begin(struct sidecar_parse *p, struct pv_sidecar *out, const char *what,
		   struct pv_err *err)
{
	sidecar_init(out);
	*p = (struct sidecar_parse){ .s = out, .what = what, .err = err };
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
		return fail(p, _("is not valid UTF-8 text."));
	int r = parse_lines(p, text);
	free(text);
	return r;
}

int pv_sidecar_parse(const char *data, size_t len, struct pv_sidecar *out,
		     struct pv_err *err)
{
	struct sidecar_parse p;
	sidecar_begin(&p, out, N_("caption file"), err);
	return finish(&p, parse_text(&p, data, len));
}

int pv_sidecar_parse_json(const char *data, size_t len, struct pv_sidecar *out,
			  struct pv_err *err)
{
	struct sidecar_parse p;
	sidecar_begin(&p, out, N_("caption file"), err);
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
	return fail(p, _("gives %s, which belongs in each photo's own caption file; a "
		    "project file gives only defaults such as tags, consent and the "
		    "project name."), sidecar_field_name(field));
}

int pv_project_parse(const char *data, size_t len, int json, const char *name,
		     struct pv_sidecar *out, struct pv_err *err)
{
	char what[300];
	if (name)
		/* TRANSLATORS: "project file NAME", the start of a sentence about it */
		snprintf(what, sizeof what, _("project file %s"), name);
	else
		snprintf(what, sizeof what, "%s", _("project file"));
	struct sidecar_parse p;
	sidecar_begin(&p, out, what, err);
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
