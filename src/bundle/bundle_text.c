/* The text members of a bundle: manifest.json, captions.txt and CREDITS.txt
 * (LEESMIJ.txt and README.txt are written from the members' table, in
 * members.c). */
#include "bundle_internal.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	if (set_text(obj, "file", photo->name) || set_text(obj, "thumb", photo->thumb_name) ||
	    set_text(obj, "preview", photo->preview_name) || set_text(obj, "title", e->title) ||
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
	json_object_set_new(obj, "columns", json_integer(c->poster_columns ? *c->poster_columns : 0));
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
			pv_fail(err, PV_ERR_INPUT,
				"Entry %" PRId64 " holds text that is not valid UTF-8, so it cannot go into manifest.json.",
				c->items[i].entry->id);
			json_decref(root);
			return NULL;
		}
		json_array_append_new(entries, obj);
	}
	return root;
}

int pv_bundle_manifest_json(const struct pv_bundle_ctx *c, FILE *f, struct pv_err *err)
{
	json_t *root = manifest_object(c, err);
	if (!root)
		return -1;
	int r = json_dumpf(root, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (r != 0)
		return pv_fail(err, PV_ERR_OUTPUT, "manifest.json could not be written.");
	fputc('\n', f);
	return 0;
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

int pv_bundle_captions_txt(const struct pv_bundle_ctx *c, FILE *f, struct pv_err *err)
{
	(void)err;
	for (size_t i = 0; i < c->n; i++) {
		const struct pv_entry *e = c->items[i].entry;
		if (i > 0)
			fputc('\n', f);
		fprintf(f, "%s\n", c->photos[i].name);
		put_field(f, "Title: ", e->title);
		put_field(f, "Caption: ", pv_bundle_caption(&c->items[i]));
		put_field(f, "Credit: ", e->credit);
	}
	return 0;
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

/* ---- CREDITS.txt ------------------------------------------------------------- */

int pv_bundle_credits_txt(const struct pv_bundle_ctx *c, FILE *f, struct pv_err *err)
{
	(void)err;
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
	return 0;
}

