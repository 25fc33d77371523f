/* Tags: folded to one form (NFC, lower case, trimmed), added and removed per
 * entry, renamed and merged across the catalogue, counted. */
#include <stdlib.h>
#include <string.h>

#include "photovoice/store.h"
#include "photovoice/util.h"
#include "store_internal.h"

static int has_control_char(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return 1;
	return 0;
}

char *pv_store_fold_tag(const char *tag)
{
	if (!tag || has_control_char(tag))
		return NULL;
	char *nfc = pv_utf8_nfc(tag, strlen(tag));
	if (!nfc)
		return NULL;
	char *folded = pv_utf8_casefold(nfc);
	free(nfc);
	return folded ? pv_trim(folded) : NULL;
}

/* The folded tag, or NULL with a sentence when it is empty or not text. */
static char *fold_or_fail(const char *tag, char *err, size_t errlen)
{
	char *folded = pv_store_fold_tag(tag);
	if (!folded || !*folded) {
		free(folded);
		pv_set_err(err, errlen, "A tag must be non-empty text without control "
			   "characters.");
		return NULL;
	}
	return folded;
}

static int tag_change(struct pv_archive *a, const char *sql, int64_t id,
		      const char *tag, char *err, size_t errlen)
{
	char *folded = fold_or_fail(tag, err, errlen);
	if (!folded)
		return -1;
	sqlite3_stmt *st = pv_db_prepare(a, sql, err, errlen);
	if (!st) {
		free(folded);
		return -1;
	}
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, folded, -1, SQLITE_TRANSIENT);
	free(folded);
	return pv_db_run(a, st, err, errlen);
}

int pv_store_tag_add(struct pv_archive *a, int64_t id, const char *tag, char *err,
		     size_t errlen)
{
	return tag_change(a, "INSERT OR IGNORE INTO tags (entry_id, tag) VALUES (?, ?)",
			  id, tag, err, errlen);
}

int pv_store_tag_remove(struct pv_archive *a, int64_t id, const char *tag,
			char *err, size_t errlen)
{
	return tag_change(a, "DELETE FROM tags WHERE entry_id = ? AND tag = ?", id, tag,
			  err, errlen);
}
