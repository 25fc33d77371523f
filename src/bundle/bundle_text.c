/* The text members of a bundle: manifest.json, captions.txt, CREDITS.txt and
 * the LEESMIJ.txt / README.txt that say what every file is for. */
#include "bundle_internal.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include <time.h>

/* ---- manifest.json -------------------------------------------------------- */

/* Sets key to s (null when s is NULL); -1 when s is not valid UTF-8. */
static int set_text(json_t *obj, const char *key, const char *s)
{
	json_t *v = s ? json_string(s) : json_null();
	if (!v)
		return -1;
	return json_object_set_new(obj, key, v);
}

static json_t *tags_array(const struct pv_entry *e)
{
	json_t *arr = json_array();
	for (size_t i = 0; e->tags && i < e->ntags && e->tags[i]; i++) {
		json_t *tag = json_string(e->tags[i]);
		if (!tag || json_array_append_new(arr, tag) != 0) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

static int set_texts(json_t *obj, const struct pv_bundle_item *item,
		     const struct pv_bundle_photo *photo)
{
	const struct pv_entry *e = item->entry;
	if (set_text(obj, "file", photo->name) || set_text(obj, "thumb", photo->thumb) ||
	    set_text(obj, "preview", photo->preview) || set_text(obj, "title", e->title) ||
	    set_text(obj, "caption", pv_bundle_caption(item)) ||
	    set_text(obj, "story", e->story))
		return -1;
	json_t *tags = tags_array(e);
	if (!tags || json_object_set_new(obj, "tags", tags) != 0)
		return -1;
	if (set_text(obj, "credit", e->credit) ||
	    set_text(obj, "participant", e->participant))
		return -1;
	return 0;
}

static json_t *guardian_json(int guardian)
{
	if (guardian == PV_GUARDIAN_YES)
		return json_true();
	if (guardian == PV_GUARDIAN_NO)
		return json_false();
	return json_null();
}

/* The consent the entry was taken under, as the catalogue holds it. */
static int set_consent(json_t *obj, const struct pv_entry *e)
{
	json_object_set_new(obj, "consent", json_string(pv_consent_name(e->consent)));
	json_object_set_new(obj, "guardian_consent", guardian_json(e->guardian));
	return set_text(obj, "consent_until", e->consent_until);
}

static json_t *entry_object(const struct pv_bundle_item *item,
			    const struct pv_bundle_photo *photo)
{
	const struct pv_entry *e = item->entry;
	json_t *obj = json_object();
	json_object_set_new(obj, "number", json_integer(photo->number));
	json_object_set_new(obj, "id", json_integer(e->id));
	if (set_texts(obj, item, photo) != 0 || set_consent(obj, e) != 0) {
		json_decref(obj);
		return NULL;
	}
	json_object_set_new(obj, "width", json_integer(e->width));
	json_object_set_new(obj, "height", json_integer(e->height));
	json_object_set_new(obj, "sha256", json_string(photo->sha256));
	return obj;
}

static json_t *poster_object(const struct pv_bundle_ctx *c)
{
	const struct pv_poster_settings *p = &c->opts->poster;
	json_t *obj = json_object();
	if (set_text(obj, "title", pv_bundle_title(p)) ||
	    set_text(obj, "subtitle", p->subtitle)) {
		json_decref(obj);
		return NULL;
	}
	json_object_set_new(obj, "file", json_string("poster.pdf"));
	json_object_set_new(obj, "paper", json_string(pv_paper_name(p->paper)));
	json_object_set_new(obj, "orientation",
			    json_string(p->landscape ? "landscape" : "portrait"));
	json_object_set_new(obj, "columns", json_integer(c->poster_columns));
	return obj;
}

static json_t *manifest_object(const struct pv_bundle_ctx *c, struct pv_err *err)
{
	json_t *root = json_object();
	json_object_set_new(root, "photovoice_version", json_string(PV_VERSION));
	json_t *poster = poster_object(c);
	if (set_text(root, "purpose", c->opts->purpose) != 0 || !poster) {
		pv_fail(err, PV_ERR_INPUT, "The bundle purpose, title or subtitle is not valid UTF-8 text.");
		json_decref(poster);
		json_decref(root);
		return NULL;
	}
	json_object_set_new(root, "count", json_integer((json_int_t)c->n));
	json_object_set_new(root, "poster", poster);
	json_t *entries = json_array();
	json_object_set_new(root, "entries", entries);
	for (size_t i = 0; i < c->n; i++) {
		json_t *obj = entry_object(&c->items[i], &c->photos[i]);
		if (!obj) {
			pv_fail(err, PV_ERR_INPUT, "Entry %" PRId64 " holds text that is not valid UTF-8, so it cannot go into manifest.json.",
				   c->items[i].entry->id);
			json_decref(root);
			return NULL;
		}
		json_array_append_new(entries, obj);
	}
	return root;
}

char *pv_bundle_manifest_json(const struct pv_bundle_ctx *c, struct pv_err *err)
{
	json_t *root = manifest_object(c, err);
	if (!root)
		return NULL;
	char *body = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (!body) {
		pv_fail(err, PV_ERR_OUTPUT, "manifest.json could not be built (out of memory).");
		return NULL;
	}
	size_t len = strlen(body);
	char *text = realloc(body, len + 2);
	if (!text) {
		free(body);
		pv_fail(err, PV_ERR_OUTPUT, "manifest.json could not be built (out of memory).");
		return NULL;
	}
	text[len] = '\n';
	text[len + 1] = '\0';
	return text;
}

/* ---- captions.txt --------------------------------------------------------- */

/* Writes s with every run of line breaks folded into one "\n", so that a
 * blank line only ever separates two photos. */
static void put_folded(FILE *f, const char *s)
{
	int in_break = 0;
	for (; *s; s++) {
		if (*s == '\r' || *s == '\n') {
			in_break = 1;
			continue;
		}
		if (in_break)
			fputc('\n', f);
		in_break = 0;
		fputc(*s, f);
	}
}

static void put_field(FILE *f, const char *label, const char *value)
{
	if (!value || !*value)
		return;
	fputs(label, f);
	put_folded(f, value);
	fputc('\n', f);
}

char *pv_bundle_captions_txt(const struct pv_bundle_ctx *c)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		return NULL;
	for (size_t i = 0; i < c->n; i++) {
		const struct pv_entry *e = c->items[i].entry;
		if (i > 0)
			fputc('\n', f);
		fprintf(f, "%s\n", c->photos[i].name);
		put_field(f, "Title: ", e->title);
		put_field(f, "Caption: ", pv_bundle_caption(&c->items[i]));
		put_field(f, "Credit: ", e->credit);
	}
	return pv_bundle_text_finish(f, &text);
}

/* ---- shared pieces ---------------------------------------------------------- */

const char *pv_bundle_caption(const struct pv_bundle_item *item)
{
	return item->caption ? item->caption : item->entry->caption;
}

const char *pv_bundle_title(const struct pv_poster_settings *poster)
{
	return poster->title && *poster->title ? poster->title : "Photovoice";
}

char *pv_bundle_text_finish(FILE *f, char **text)
{
	if (fclose(f) != 0) {
		free(*text);
		*text = NULL;
	}
	return *text;
}

/* ---- CREDITS.txt ------------------------------------------------------------- */

char *pv_bundle_credits_txt(const struct pv_bundle_ctx *c)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		return NULL;
	fputs("Naamsvermelding / Photo credits\n\n", f);
	fputs("Zet bij elke foto de naamsvermelding die de deelnemer koos, precies zo.\n"
	      "Print every photo with the credit line its participant chose, exactly as written.\n\n", f);
	for (size_t i = 0; i < c->n; i++) {
		const struct pv_entry *e = c->items[i].entry;
		fprintf(f, "%s  ", c->photos[i].name);
		if (e->credit && *e->credit)
			put_folded(f, e->credit);
		else
			fputs("(geen naamsvermelding / no credit line)", f);
		fputc('\n', f);
	}
	return pv_bundle_text_finish(f, &text);
}

/* ---- LEESMIJ.txt and README.txt ---------------------------------------------- */

/* What every file of a bundle is for, in Dutch and in English. */
static const struct {
	const char *name, *dutch, *english;
} bundle_files[] = {
	{ "poster.pdf",
	  "De poster, klaar om te printen: titel, de foto's met onderschrift en naamsvermelding.",
	  "The poster, ready to print: title, the photos with their captions and credits." },
	{ "index.html",
	  "Open in een webbrowser om alle foto's met titel, onderschrift, verhaal, trefwoorden en naamsvermelding te bekijken, bijvoorbeeld samen met de groep. Werkt zonder internet en print netjes.",
	  "Open in a web browser to look at every photo with its title, caption, story, tags and credit, for example with the group. Works without internet and prints well." },
	{ "thumbs/, previews/",
	  "Kleine en middelgrote versies van de foto's, voor index.html.",
	  "Small and medium-sized copies of the photos, used by index.html." },
	{ "photos/",
	  "De foto's op volle grootte, in de volgorde van de poster (NN-ID.jpg: plaats en nummer in het archief). Locatie, toestel, namen en andere herleidbare gegevens zijn eruit gehaald.",
	  "The photos at full resolution, in poster order (NN-ID.jpg: position and entry number). Location, camera, names and everything else that could identify someone have been removed." },
	{ "contact-sheet.jpg",
	  "Alle foto's genummerd op een vel, om te kiezen en te bespreken.",
	  "Every photo, numbered, on one sheet: to choose and discuss." },
	{ "data-merge.csv",
	  "Voor samenvoegen van gegevens (data merge) in InDesign, Affinity Publisher of Canva: een regel per foto; de kolom @photo geeft het pad van de foto. Tekst die met = + - of @ begint, staat er met een ' voor, zodat een rekenblad er geen formule van maakt.",
	  "For data merge in InDesign, Affinity Publisher or Canva: one row per photo; the @photo column holds the photo's path. Text that starts with = + - or @ has a ' in front so that a spreadsheet never runs it as a formula." },
	{ "captions.txt",
	  "Titel, onderschrift en naamsvermelding per foto, om over te nemen.",
	  "Title, caption and credit per photo, to copy from." },
	{ "CREDITS.txt",
	  "De naamsvermelding die elke deelnemer koos, per foto.",
	  "The credit line every participant chose, per photo." },
	{ "manifest.json",
	  "Alles hierboven als gegevens, voor software.",
	  "All of the above as data, for software." },
	{ "LEESMIJ.txt, README.txt",
	  "Deze uitleg, in het Nederlands en in het Engels.",
	  "This explanation, in Dutch and in English." },
	{ "SHA256SUMS",
	  "Controlegetallen: 'sha256sum -c SHA256SUMS' laat zien dat er geen bestand veranderd is.",
	  "Checksums: 'sha256sum -c SHA256SUMS' shows that no file was changed." },
};

/* Writes text wrapped at 76 columns, each line indented by indent spaces. */
static void put_wrapped(FILE *f, const char *text, int indent)
{
	int col = indent;
	fprintf(f, "%*s", indent, "");
	while (*text) {
		size_t word = strcspn(text, " ");
		int width = (int)g_utf8_strlen(text, (gssize)word);
		if (col > indent && col + 1 + width > 76) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', f);
			col++;
		}
		fwrite(text, 1, word, f);
		col += width;
		text += word;
		while (*text == ' ')
			text++;
	}
	fputc('\n', f);
}

static void utc_date(time_t t, char out[11])
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

static void put_readme_head(FILE *f, const struct pv_bundle_ctx *c, int dutch)
{
	const struct pv_poster_settings *p = &c->opts->poster;
	char date[11];
	utc_date(c->opts->mtime, date);
	fprintf(f, "%s\n", pv_bundle_title(p));
	if (p->subtitle)
		fprintf(f, "%s\n", p->subtitle);
	fputc('\n', f);
	if (dutch)
		fprintf(f, "Photovoice-bundel met %zu foto's, %s. Poster op %s, %s.\n\n",
			c->n, date, pv_paper_name(p->paper), p->landscape ? "liggend" : "staand");
	else
		fprintf(f, "Photovoice bundle of %zu photos, %s. Poster on %s, %s.\n\n",
			c->n, date, pv_paper_name(p->paper), p->landscape ? "landscape" : "portrait");
	fputs(dutch ? "Wat elk bestand is:\n\n" : "What each file is for:\n\n", f);
}

static void put_consent_note(FILE *f, const struct pv_bundle_ctx *c, int dutch)
{
	int poster = strcmp(c->opts->purpose, "poster") == 0;
	const char *note;
	if (dutch)
		note = poster ? "Elke deelnemer gaf toestemming om de foto op een poster te laten zien. Gebruik de foto's en teksten alleen daarvoor, en niet in andere uitingen zonder opnieuw toestemming te vragen."
			      : "Alleen voor intern gebruik: niet elke deelnemer gaf toestemming om de foto buiten de organisatie te laten zien. Deel deze bundel niet buiten de organisatie.";
	else
		note = poster ? "Every participant gave consent to show their photo on a poster. Use the photos and texts for that only, and not elsewhere without asking for consent again."
			      : "For internal use only: not every participant gave consent to show their photo outside the organisation. Do not share this bundle outside the organisation.";
	fputc('\n', f);
	put_wrapped(f, note, 0);
}

char *pv_bundle_readme_txt(const struct pv_bundle_ctx *c, int dutch)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		return NULL;
	put_readme_head(f, c, dutch);
	for (size_t i = 0; i < sizeof bundle_files / sizeof bundle_files[0]; i++) {
		fprintf(f, "%s\n", bundle_files[i].name);
		put_wrapped(f, dutch ? bundle_files[i].dutch : bundle_files[i].english, 4);
		fputc('\n', f);
	}
	put_consent_note(f, c, dutch);
	return pv_bundle_text_finish(f, &text);
}
