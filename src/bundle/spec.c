/* The bundle spec file: poster settings and the entries in poster order.
 * The format is documented in bundle.h and in docs/bundles.md. Every error names
 * its line and says what to write instead, without repeating the line's text
 * (a spec holds captions, which may say who someone is). */
#include "photovoice/i18n.h"
#include "photovoice/bundle.h"
#include "photovoice/util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Largest spec line, and largest number of entries: far above any poster. */
#define SPEC_MAX_LINE 8192
#define SPEC_MAX_ENTRIES 10000

/* ---- paper --------------------------------------------------------------- */

static const char *const paper_names[] = { "A4", "A3", "A2", "A1", "A0" };
/* ISO 216 sizes in millimetres, portrait */
static const int paper_mm[][2] = {
	{ 210, 297 }, { 297, 420 }, { 420, 594 }, { 594, 841 }, { 841, 1189 },
};

int pv_paper_parse(const char *s)
{
	for (int i = 0; s && i <= PV_PAPER_A0; i++)
		if (strcasecmp(s, paper_names[i]) == 0)
			return i;
	return -1;
}

const char *pv_paper_name(enum pv_paper p)
{
	return (unsigned)p <= PV_PAPER_A0 ? paper_names[p] : "A2";
}

void pv_paper_size(enum pv_paper p, double *width_pt, double *height_pt)
{
	if ((unsigned)p > PV_PAPER_A0)
		p = PV_PAPER_A2;
	*width_pt = paper_mm[p][0] * 72.0 / 25.4;
	*height_pt = paper_mm[p][1] * 72.0 / 25.4;
}

/* ---- the parser ------------------------------------------------------------ */

struct spec_parser {
	struct pv_bundle_spec *spec;
	size_t cap;
	size_t *entry_lines;   /* line of each entry, for "named twice" */
	unsigned line;
	struct pv_err *err;
};

/* what: the rest of the sentence, marked N_() where it is written */
static int line_error(struct spec_parser *p, const char *what)
{
	pv_fail(p->err, PV_ERR_INPUT, "Line %u of the spec: %s", p->line, _(what));
	return -1;
}

static int set_text(struct spec_parser *p, char **field, const char *value)
{
	if (*field)
		return line_error(p, N_("this setting was already given on an earlier line."));
	*field = pv_utf8_nfc(value, strlen(value));
	return *field ? 0 : line_error(p, N_("the text is not UTF-8 (save the spec as UTF-8 text)."));
}

static int set_paper(struct spec_parser *p, const char *value)
{
	if (p->spec->paper >= 0)
		return line_error(p, N_("the paper was already given on an earlier line."));
	p->spec->paper = pv_paper_parse(value);
	if (p->spec->paper < 0)
		return line_error(p, N_("the paper must be A4, A3, A2, A1 or A0."));
	return 0;
}

static int set_orientation(struct spec_parser *p, const char *value)
{
	if (p->spec->landscape >= 0)
		return line_error(p, N_("the orientation was already given on an earlier line."));
	if (strcasecmp(value, "portrait") == 0 || strcasecmp(value, "staand") == 0)
		p->spec->landscape = 0;
	else if (strcasecmp(value, "landscape") == 0 || strcasecmp(value, "liggend") == 0)
		p->spec->landscape = 1;
	else
		return line_error(p, N_("the orientation must be staand or liggend (portrait or landscape)."));
	return 0;
}

/* A whole decimal number in [lo, hi]; -1 when s is anything else. */
static long long parse_number(const char *s, long long lo, long long hi)
{
	if (!isdigit((unsigned char)*s) || strlen(s) > 18)
		return -1;
	long long v = 0;
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s))
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v >= lo && v <= hi ? v : -1;
}

static int set_columns(struct spec_parser *p, const char *value)
{
	if (p->spec->columns)
		return line_error(p, N_("the number of columns was already given on an earlier line."));
	long long c = parse_number(value, 1, PV_POSTER_MAX_COLUMNS);
	if (c < 0)
		return line_error(p, N_("the number of columns must be a whole number from 1 to 12."));
	p->spec->columns = (int)c;
	return 0;
}

static int set_title(struct spec_parser *p, const char *value)
{
	return set_text(p, &p->spec->title, value);
}

static int set_subtitle(struct spec_parser *p, const char *value)
{
	return set_text(p, &p->spec->subtitle, value);
}

/* Every key in Dutch and in English. */
static const struct {
	const char *dutch, *english;
	int (*set)(struct spec_parser *, const char *);
} spec_keys[] = {
	{ "titel", "title", set_title },
	{ "ondertitel", "subtitle", set_subtitle },
	{ "papier", "paper", set_paper },
	{ "richting", "orientation", set_orientation },
	{ "kolommen", "columns", set_columns },
};

/* "Key: value", read as caption files are (pv_kv_read_line) */
static int parse_setting(struct spec_parser *p, const char *line)
{
	struct pv_kv_line kv;
	int r = -2;
	pv_kv_read_line(line, &kv);
	for (size_t i = 0; kv.kind == PV_KV_PAIR && r == -2 &&
			   i < sizeof spec_keys / sizeof spec_keys[0]; i++) {
		if (strcasecmp(kv.key, spec_keys[i].dutch) != 0 &&
		    strcasecmp(kv.key, spec_keys[i].english) != 0)
			continue;
		r = *kv.value ? spec_keys[i].set(p, kv.value)
			      : line_error(p, N_("the setting has no value after the colon."));
	}
	if (r == -2 && kv.kind != PV_KV_PAIR)
		r = line_error(p, N_("it is neither a setting (such as \"Titel: ...\") nor an entry number."));
	else if (r == -2)
		r = line_error(p, N_("that is not a setting a spec knows; use Titel, Ondertitel, Papier, Richting or Kolommen (Title, Subtitle, Paper, Orientation, Columns), or an entry number."));
	pv_kv_line_free(&kv);
	return r;
}

static int check_new_id(struct spec_parser *p, int64_t id)
{
	for (size_t i = 0; i < p->spec->nentries; i++) {
		if (p->spec->entries[i].id == id) {
			pv_fail(p->err, PV_ERR_INPUT, "Line %u of the spec: entry %lld was already named on line %zu; each entry can be on the poster once.",
				   p->line, (long long)id, p->entry_lines[i]);
			return -1;
		}
	}
	if (p->spec->nentries == SPEC_MAX_ENTRIES)
		return line_error(p, N_("a spec can name at most 10000 entries."));
	return 0;
}

static int grow_entries(struct spec_parser *p)
{
	if (p->spec->nentries < p->cap)
		return 0;
	size_t cap = p->cap ? p->cap * 2 : 16;
	struct pv_bundle_spec_entry *e = realloc(p->spec->entries, cap * sizeof *e);
	if (!e)
		return line_error(p, N_("there is not enough memory to read the spec."));
	p->spec->entries = e;
	size_t *lines = realloc(p->entry_lines, cap * sizeof *lines);
	if (!lines)
		return line_error(p, N_("there is not enough memory to read the spec."));
	p->entry_lines = lines;
	p->cap = cap;
	return 0;
}

/* "12" or "12: caption for this poster" */
static int parse_entry(struct spec_parser *p, char *line)
{
	size_t digits = strspn(line, "0123456789");
	char *rest = line + digits;
	char *caption = NULL;
	while (*rest == ' ' || *rest == '\t')
		*rest++ = '\0';
	if (*rest == ':') {
		*rest = '\0';
		caption = pv_trim(rest + 1);
		if (!*caption)
			return line_error(p, N_("there is no caption after the colon; write the entry number alone to keep its own caption."));
	} else if (*rest) {
		return line_error(p, N_("an entry line is the entry number alone, or the number, a colon and a caption (\"12: ...\")."));
	}
	line[digits] = '\0';
	long long id = parse_number(line, 1, INT64_MAX);
	if (id < 0)
		return line_error(p, N_("the entry number is not one photovoice gives out."));
	if (check_new_id(p, id) != 0 || grow_entries(p) != 0)
		return -1;
	struct pv_bundle_spec_entry *e = &p->spec->entries[p->spec->nentries];
	e->id = id;
	e->caption = caption ? pv_utf8_nfc(caption, strlen(caption)) : NULL;
	p->entry_lines[p->spec->nentries++] = p->line;
	return 0;
}

static int parse_line(struct spec_parser *p, const char *start, size_t len)
{
	if (len && start[len - 1] == '\r')
		len--;
	if (len > SPEC_MAX_LINE)
		return line_error(p, N_("the line is too long (more than 8192 bytes)."));
	if (!pv_utf8_valid(start, len))
		return line_error(p, N_("the text is not UTF-8 (save the spec as UTF-8 text)."));
	char buf[SPEC_MAX_LINE + 1];
	memcpy(buf, start, len);
	buf[len] = '\0';
	char *line = pv_trim(buf);
	if (!*line || *line == '#')
		return 0;
	if (isdigit((unsigned char)*line))
		return parse_entry(p, line);
	return parse_setting(p, line);
}

static void spec_init(struct pv_bundle_spec *spec)
{
	memset(spec, 0, sizeof *spec);
	spec->paper = -1;
	spec->landscape = -1;
}

int pv_bundle_spec_parse(const char *data, size_t len,
			 struct pv_bundle_spec *out, struct pv_err *err)
{
	spec_init(out);
	struct spec_parser p = { .spec = out, .line = 0, .err = err };
	if (!data)
		len = 0;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3;
		len -= 3;
	}
	int r = 0;
	while (len && r == 0) {
		const char *nl = memchr(data, '\n', len);
		size_t n = nl ? (size_t)(nl - data) : len;
		p.line++;
		r = parse_line(&p, data, n);
		data += n + (nl ? 1 : 0);
		len -= n + (nl ? 1 : 0);
	}
	free(p.entry_lines);
	if (r != 0)
		pv_bundle_spec_free(out);
	return r;
}

void pv_bundle_spec_free(struct pv_bundle_spec *spec)
{
	if (!spec)
		return;
	free(spec->title);
	free(spec->subtitle);
	for (size_t i = 0; i < spec->nentries; i++)
		free(spec->entries[i].caption);
	free(spec->entries);
	spec_init(spec);
}

/* ---- the writer ------------------------------------------------------------- */

/* "Key: text" on one line: line breaks and tabs as spaces, trimmed; nothing
 * when there is no text. */
static void put_text(FILE *f, const char *key, const char *text)
{
	if (!text)
		return;
	char *one = pv_strdup(text);
	for (char *c = one; *c; c++)
		if (*c == '\r' || *c == '\n' || *c == '\t')
			*c = ' ';
	const char *t = pv_trim(one);
	if (*t) {
		if (key)
			fprintf(f, "%s: %s\n", key, t);
		else
			fprintf(f, "%s\n", t);
	}
	free(one);
}

char *pv_bundle_spec_text(const struct pv_bundle_spec *spec)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		return NULL;
	put_text(f, "Title", spec->title);
	put_text(f, "Subtitle", spec->subtitle);
	if (spec->paper >= 0)
		fprintf(f, "Paper: %s\n", pv_paper_name((enum pv_paper)spec->paper));
	if (spec->landscape >= 0)
		fprintf(f, "Orientation: %s\n", spec->landscape ? "landscape" : "portrait");
	if (spec->columns > 0)
		fprintf(f, "Columns: %d\n", spec->columns);
	fputs("\n", f);
	for (size_t i = 0; i < spec->nentries; i++) {
		const struct pv_bundle_spec_entry *e = &spec->entries[i];
		fprintf(f, "%lld", (long long)e->id);
		char *cap = e->caption ? pv_strdup(e->caption) : NULL;
		if (cap && *pv_trim(cap))
			fputs(": ", f);
		put_text(f, NULL, cap && *pv_trim(cap) ? cap : NULL);
		if (!cap || !*pv_trim(cap))
			fputs("\n", f);
		free(cap);
	}
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	return text;
}
