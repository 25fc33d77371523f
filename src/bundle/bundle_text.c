/* The text members of a bundle: manifest.json and captions.txt. */
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

static int set_texts(json_t *obj, const struct pv_entry *e,
		     const struct pv_bundle_photo *photo)
{
	if (set_text(obj, "file", photo->name) || set_text(obj, "title", e->title) ||
	    set_text(obj, "caption", e->caption) || set_text(obj, "story", e->story))
		return -1;
	json_t *tags = tags_array(e);
	if (!tags || json_object_set_new(obj, "tags", tags) != 0)
		return -1;
	if (set_text(obj, "credit", e->credit) ||
	    set_text(obj, "participant", e->participant))
		return -1;
	return 0;
}

static json_t *entry_object(const struct pv_entry *e,
			    const struct pv_bundle_photo *photo)
{
	json_t *obj = json_object();
	json_object_set_new(obj, "id", json_integer(e->id));
	if (set_texts(obj, e, photo) != 0) {
		json_decref(obj);
		return NULL;
	}
	json_object_set_new(obj, "consent", json_string(pv_consent_name(e->consent)));
	json_object_set_new(obj, "width", json_integer(e->width));
	json_object_set_new(obj, "height", json_integer(e->height));
	json_object_set_new(obj, "sha256", json_string(photo->sha256));
	return obj;
}

static json_t *manifest_object(const struct pv_bundle_item *items,
			       const struct pv_bundle_photo *photos, size_t n,
			       const char *purpose, char *err, size_t errlen)
{
	json_t *root = json_object();
	json_object_set_new(root, "photovoice_version", json_string(PV_VERSION));
	if (set_text(root, "purpose", purpose) != 0) {
		pv_set_err(err, errlen, "The bundle purpose is not valid UTF-8 text.");
		json_decref(root);
		return NULL;
	}
	json_object_set_new(root, "count", json_integer((json_int_t)n));
	json_t *entries = json_array();
	json_object_set_new(root, "entries", entries);
	for (size_t i = 0; i < n; i++) {
		json_t *obj = entry_object(items[i].entry, &photos[i]);
		if (!obj) {
			pv_set_err(err, errlen,
				   "Entry %" PRId64 " holds text that is not valid UTF-8, so it cannot go into manifest.json.",
				   items[i].entry->id);
			json_decref(root);
			return NULL;
		}
		json_array_append_new(entries, obj);
	}
	return root;
}

char *pv_bundle_manifest_json(const struct pv_bundle_item *items,
			      const struct pv_bundle_photo *photos, size_t n,
			      const char *purpose, char *err, size_t errlen)
{
	json_t *root = manifest_object(items, photos, n, purpose, err, errlen);
	if (!root)
		return NULL;
	char *body = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (!body) {
		pv_set_err(err, errlen, "manifest.json could not be built (out of memory).");
		return NULL;
	}
	size_t len = strlen(body);
	char *text = realloc(body, len + 2);
	if (!text) {
		free(body);
		pv_set_err(err, errlen, "manifest.json could not be built (out of memory).");
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

char *pv_bundle_captions_txt(const struct pv_bundle_item *items,
			     const struct pv_bundle_photo *photos, size_t n)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		const struct pv_entry *e = items[i].entry;
		if (i > 0)
			fputc('\n', f);
		fprintf(f, "%s\n", photos[i].name);
		put_field(f, "Title: ", e->title);
		put_field(f, "Caption: ", e->caption);
		put_field(f, "Credit: ", e->credit);
	}
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	return text;
}
