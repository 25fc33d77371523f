/* data-merge.csv: one row per photo for the data merge of InDesign, Affinity
 * Publisher and Canva.
 *
 * - UTF-8 with a byte-order mark (so that InDesign and Excel read it as UTF-8),
 *   CRLF line ends, every field quoted as RFC 4180 says (a quote doubled).
 * - "@photo" holds the photo's path relative to the csv: InDesign and
 *   Affinity take a column whose name starts with @ as an image field.
 * - Every field is one line: data merge tools read a line break as the end
 *   of a record even inside quotes, so breaks inside a story become spaces.
 * - Formula-injection safe: a text field starting with = + - @ (or a tab or
 *   carriage return) gets an apostrophe in front, so that a spreadsheet shows
 *   it as text instead of running it. */
#include "bundle_internal.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static const char *const columns[] = {
	"nr", "id", "title", "caption", "credit", "story", "tags", "@photo",
};

static int starts_like_formula(const char *s)
{
	return s[0] && strchr("=+-@\t\r", s[0]) != NULL;
}

/* A quoted field; line breaks folded into one space each run. */
static void put_field(FILE *f, const char *s, int text)
{
	fputc('"', f);
	if (s && text && starts_like_formula(s))
		fputc('\'', f);
	int in_break = 0;
	for (; s && *s; s++) {
		if (*s == '\r' || *s == '\n') {
			in_break = 1;
			continue;
		}
		if (in_break)
			fputc(' ', f);
		in_break = 0;
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static void put_tags(FILE *f, const struct pv_entry *e)
{
	char *joined = NULL;
	size_t len = 0;
	FILE *t = open_memstream(&joined, &len);
	for (size_t i = 0; t && e->tags && i < e->ntags && e->tags[i]; i++)
		fprintf(t, "%s%s", i ? ", " : "", e->tags[i]);
	if (t && fclose(t) != 0) {
		free(joined);
		joined = NULL;
	}
	put_field(f, joined ? joined : "", 1);
	free(joined);
}

static void put_row(FILE *f, const struct pv_bundle_item *item,
		    const struct pv_bundle_photo *photo)
{
	const struct pv_entry *e = item->entry;
	char num[32];
	snprintf(num, sizeof num, "%d", photo->number);
	put_field(f, num, 0);
	fputc(',', f);
	snprintf(num, sizeof num, "%" PRId64, e->id);
	put_field(f, num, 0);
	const char *texts[] = { e->title, pv_bundle_caption(item), e->credit, e->story };
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		fputc(',', f);
		put_field(f, texts[i] ? texts[i] : "", 1);
	}
	fputc(',', f);
	put_tags(f, e);
	fputc(',', f);
	put_field(f, photo->name, 0);
	fputs("\r\n", f);
}

int pv_bundle_csv(const struct pv_bundle_ctx *c, FILE *f, struct pv_err *err)
{
	(void)err;
	fputs("\xEF\xBB\xBF", f);
	for (size_t i = 0; i < sizeof columns / sizeof columns[0]; i++) {
		if (i)
			fputc(',', f);
		put_field(f, columns[i], 0);
	}
	fputs("\r\n", f);
	for (size_t i = 0; i < c->n; i++)
		put_row(f, &c->items[i], &c->photos[i]);
	return 0;
}
