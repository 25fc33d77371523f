/*
 * Which caption file belongs to which photo: one rule, for the loose files
 * of the drop folder (scan.c) and the members of a zip (zip.c) alike.
 *
 * A caption file belongs to the photos in its folder whose stem or whole name
 * is its stem ("IMG_1.jpg" and "IMG_1.txt" or "IMG_1.jpg.txt"), names
 * compared in Unicode NFC and case-insensitively: a Mac writes "café.jpg"
 * decomposed (NFD), Windows and Linux composed (NFC), and a participant who
 * copies the photo from one and the caption from the other must still see
 * them travel together. A photo that none fits is matched, as a copy, to the
 * caption file of the photo it copies ("IMG_1 (1).jpg" to IMG_1.txt,
 * pv_drop_copy_base). When more than one caption file fits a photo,
 * photovoice does not guess: the photo and all of them are set aside.
 */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "photovoice/i18n.h"
#include "ingest_internal.h"
#include "photovoice/util.h"

static char *stem_of(const char *name)
{
	const char *dot = strrchr(name, '.');
	return (dot && dot != name) ? pv_strndup(name, (size_t)(dot - name))
				    : pv_strdup(name);
}

/* "folder/name" as compared: NFC and case folded (ASCII lower case when the
 * name is not UTF-8). */
static char *match_key(const char *dir, const char *name)
{
	char *nfc = pv_utf8_nfc(name, strlen(name));
	char *folded = nfc ? pv_utf8_casefold(nfc) : NULL;
	if (!folded) {
		folded = pv_strdup(name);
		for (char *c = folded; *c; c++)
			if (*c >= 'A' && *c <= 'Z')
				*c = (char)(*c - 'A' + 'a');
	}
	free(nfc);
	size_t n = strlen(dir) + strlen(folded) + 2;
	char *key = malloc(n);
	if (!key)
		abort();
	/* a name holds no '/', so "folder/name" is unambiguous */
	snprintf(key, n, "%s/%s", dir, folded);
	free(folded);
	return key;
}

/* The key of a relative path: its folder and its stem (or whole name). */
static char *key_of_rel(const char *rel, int whole_name)
{
	const char *slash = strrchr(rel, '/');
	const char *name = slash ? slash + 1 : rel;
	char *dir = pv_strndup(rel, slash ? (size_t)(slash - rel) : 0);
	char *stem = whole_name ? pv_strdup(name) : stem_of(name);
	char *key = match_key(dir, stem);
	free(dir);
	free(stem);
	return key;
}

int pv_drop_sidecar_fits(const char *side_rel, const char *photo_rel)
{
	char *side = key_of_rel(side_rel, 0);
	char *by_stem = key_of_rel(photo_rel, 0), *by_name = key_of_rel(photo_rel, 1);
	int fits = strcmp(side, by_stem) == 0 || strcmp(side, by_name) == 0;
	free(side);
	free(by_stem);
	free(by_name);
	return fits;
}

/* Caption files by key; each value the list (GSList of index + 1) of the
 * caption files with that key, in the order given. */
static GHashTable *index_captions(const char *const *captions, size_t nc)
{
	GHashTable *t = g_hash_table_new_full(g_str_hash, g_str_equal, free,
					      (GDestroyNotify)g_slist_free);
	for (size_t j = 0; j < nc; j++) {
		char *key = key_of_rel(captions[j], 0);
		GSList *list = g_hash_table_lookup(t, key);
		if (list) {
			list = g_slist_append(list, GSIZE_TO_POINTER(j + 1));
			(void)list;   /* appending to a non-empty list keeps its head */
			free(key);
		} else {
			g_hash_table_insert(t, key, g_slist_append(NULL, GSIZE_TO_POINTER(j + 1)));
		}
	}
	return t;
}

/* The caption files that fit a photo: its stem's, then its whole name's. */
static GSList *fitting(GHashTable *t, const char *photo)
{
	char *by_stem = key_of_rel(photo, 0);
	char *by_name = key_of_rel(photo, 1);
	GSList *found = g_slist_copy(g_hash_table_lookup(t, by_stem));
	if (strcmp(by_stem, by_name) != 0)
		found = g_slist_concat(found, g_slist_copy(g_hash_table_lookup(t, by_name)));
	free(by_stem);
	free(by_name);
	return found;
}

struct copy_lookup {
	GHashTable *t;
	char *dir;
};

static int caption_exists(const char *base, void *ctx)
{
	const struct copy_lookup *l = ctx;
	char *key = match_key(l->dir, base);
	int found = g_hash_table_lookup(l->t, key) != NULL;
	free(key);
	return found;
}

/* A copy of a photo with no caption file of its own ("IMG_1 (1).jpg", a sync
 * client's conflict copy): the caption files of the photo it copies. */
static GSList *fitting_as_copy(GHashTable *t, const char *photo)
{
	const char *slash = strrchr(photo, '/');
	const char *name = slash ? slash + 1 : photo;
	struct copy_lookup l = { t, pv_strndup(photo, slash ? (size_t)(slash - photo) : 0) };
	char *stem = stem_of(name);
	char *base = pv_drop_copy_base(stem, caption_exists, &l);
	GSList *found = NULL;
	if (base) {
		char *key = match_key(l.dir, base);
		found = g_slist_copy(g_hash_table_lookup(t, key));
		free(key);
	}
	free(base);
	free(stem);
	free(l.dir);
	return found;
}

void pv_captions_match(const char *const *photos, size_t np, const char *const *captions,
		       size_t nc, struct caption_match *out)
{
	GHashTable *t = index_captions(captions, nc);
	for (size_t i = 0; i < np; i++) {
		GSList *found = fitting(t, photos[i]);
		if (!found)
			found = fitting_as_copy(t, photos[i]);
		out->of[i] = found ? (long)GPOINTER_TO_SIZE(found->data) - 1 : -1;
		out->many[i] = found && found->next;
		for (GSList *o = found ? found->next : NULL; o; o = o->next)
			out->second[GPOINTER_TO_SIZE(o->data) - 1] = 1;
		g_slist_free(found);
	}
	g_hash_table_destroy(t);
}

const char *const pv_caption_many_problem =
	N_("There is more than one caption file for this photo, and photovoice does not "
	"guess which one is right.");

const char *const pv_caption_second_reason =
	N_("There is another caption file for the same photo; the photo and all its "
	"caption files were set aside together so that no words are lost. Keep one "
	"caption file and put it back beside the photo.");
