/* Tags: folded to one form (NFC, lower case, trimmed), added and removed per
 * entry, renamed and merged across the catalogue, counted. */
#include <stdio.h>
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

/* The folded tag, or NULL with a sentence when the store would refuse it. */
static char *fold_or_fail(const char *tag, struct pv_err *err)
{
	if (pv_store_check_tag(tag, err) != 0)
		return NULL;
	return pv_store_fold_tag(tag);
}

static int tag_change(struct pv_archive *a, const char *sql, int64_t id,
		      const char *tag, struct pv_err *err)
{
	char *folded = fold_or_fail(tag, err);
	if (!folded)
		return -1;
	sqlite3_stmt *st = pv_db_prepare(a, sql, err);
	if (!st) {
		free(folded);
		return -1;
	}
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, folded, -1, SQLITE_TRANSIENT);
	free(folded);
	return pv_db_run(a, st, err);
}

int pv_store_tag_add(struct pv_archive *a, int64_t id, const char *tag, struct pv_err *err)
{
	return tag_change(a, "INSERT OR IGNORE INTO tags (entry_id, tag) VALUES (?, ?)",
			  id, tag, err);
}

int pv_store_tag_remove(struct pv_archive *a, int64_t id, const char *tag,
			struct pv_err *err)
{
	return tag_change(a, "DELETE FROM tags WHERE entry_id = ? AND tag = ?", id, tag,
			  err);
}

/* ---- across the catalogue --------------------------------------------- */

void pv_tag_counts_free(struct pv_tag_counts *c)
{
	for (size_t i = 0; i < c->count; i++)
		free(c->items[i].tag);
	free(c->items);
	c->items = NULL;
	c->count = 0;
}

int pv_store_tag_counts(struct pv_archive *a, struct pv_tag_counts *out, struct pv_err *err)
{
	out->items = NULL;
	out->count = 0;
	sqlite3_stmt *st = pv_db_prepare(a, "SELECT tag, count(*) FROM tags GROUP BY tag"
					 " ORDER BY tag", err);
	if (!st)
		return -1;
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		out->items = pv_grow(out->items, out->count, &cap, sizeof *out->items);
		out->items[out->count].tag = pv_db_column_text(st, 0);
		out->items[out->count++].entries = sqlite3_column_int64(st, 1);
	}
	if (rc != SQLITE_DONE) {
		pv_tag_counts_free(out);
		return pv_db_fail(a, st, err);
	}
	sqlite3_finalize(st);
	return 0;
}

/* Entries holding tag; -1 on error. */
static int64_t tag_uses(struct pv_archive *a, const char *tag, struct pv_err *err)
{
	sqlite3_stmt *st = pv_db_prepare(a, "SELECT count(*) FROM tags WHERE tag = ?",
					 err);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, tag, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) != SQLITE_ROW)
		return pv_db_fail(a, st, err);
	int64_t n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* Every entry with `from` gets `into` too, then `from` goes. */
static int64_t move_tag(struct pv_archive *a, const char *from, const char *into,
			struct pv_err *err)
{
	sqlite3_stmt *st = pv_db_prepare(a, "INSERT OR IGNORE INTO tags (entry_id, tag)"
					 " SELECT entry_id, ?2 FROM tags WHERE tag = ?1",
					 err);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, from, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, into, -1, SQLITE_TRANSIENT);
	if (pv_db_run(a, st, err) != 0)
		return -1;
	st = pv_db_prepare(a, "DELETE FROM tags WHERE tag = ?", err);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, from, -1, SQLITE_TRANSIENT);
	if (pv_db_run(a, st, err) != 0)
		return -1;
	return sqlite3_changes(a->db);
}

/* Whether the change can be made: -1 with a sentence when not, else the
 * number of entries with `from`. */
static int64_t retag_check(struct pv_archive *a, const char *from, const char *to,
			   int merge, struct pv_err *err)
{
	int64_t uses = tag_uses(a, from, err);
	int64_t target = uses < 0 ? -1 : tag_uses(a, to, err);
	if (target < 0)
		return -1;
	if (uses == 0)
		pv_fail(err, PV_ERR_NOT_FOUND, "No entry has the tag '%s'.", from);
	else if (strcmp(from, to) == 0)
		pv_fail(err, PV_ERR_CONFLICT, "'%s' and '%s' are the same tag.", from, to);
	else if (!merge && target > 0)
		pv_fail(err, PV_ERR_CONFLICT, "The tag '%s' exists already; use 'photovoice tags "
			   "merge %s %s' to put the two together.", to, from, to);
	else
		return uses;
	return -1;
}

/* Rename and merge: check, move, log, in one transaction. */
static int64_t retag(struct pv_archive *a, const char *from, const char *to, int merge,
		     struct pv_err *err)
{
	int own;
	if (pv_db_begin_if_needed(a, &own, err) != 0)
		return -1;
	int64_t uses = retag_check(a, from, to, merge, err);
	int ok = uses > 0 && move_tag(a, from, to, err) >= 0;
	if (ok) {
		char detail[96];
		snprintf(detail, sizeof detail, "%s: %lld entr%s", merge ? "merged" : "renamed",
			 (long long)uses, uses == 1 ? "y" : "ies");
		ok = pv_store_log_err(a, merge ? "tags merge" : "tags rename", detail, err) == 0;
	}
	if (pv_db_end(a, own, ok, err) != 0)
		return -1;
	return uses;
}

static int64_t retag_folded(struct pv_archive *a, const char *from_raw,
			    const char *to_raw, int merge, struct pv_err *err)
{
	char *from = fold_or_fail(from_raw, err);
	char *to = from ? fold_or_fail(to_raw, err) : NULL;
	int64_t r = to ? retag(a, from, to, merge, err) : -1;
	free(from);
	free(to);
	return r;
}

int64_t pv_store_tag_rename(struct pv_archive *a, const char *from, const char *to,
			    struct pv_err *err)
{
	return retag_folded(a, from, to, 0, err);
}

int64_t pv_store_tag_merge(struct pv_archive *a, const char *from, const char *into,
			   struct pv_err *err)
{
	return retag_folded(a, from, into, 1, err);
}

/* ---- many entries at once, logged --------------------------------------- */

static int one_tag_change(struct pv_archive *a, int64_t id, const char *change,
		      struct pv_err *err)
{
	if (change[0] == '-')
		return pv_store_tag_remove(a, id, change + 1, err);
	return pv_store_tag_add(a, id, change[0] == '+' ? change + 1 : change, err);
}

/* "entry 5: 2 tags added or removed", "entries 3, 5, 9: ..." - numbers only,
 * never a tag: a tag may say more than the log should keep. */
static char *tag_log_detail(const int64_t *ids, size_t n, size_t nchanges)
{
	size_t cap = 64 + n * 22;
	char *d = malloc(cap);
	if (!d)
		abort();
	size_t o = (size_t)snprintf(d, cap, "entr%s", n == 1 ? "y" : "ies");
	for (size_t i = 0; i < n; i++)
		o += (size_t)snprintf(d + o, cap - o, "%s%lld", i ? ", " : " ", (long long)ids[i]);
	snprintf(d + o, cap - o, ": %zu tag%s added or removed", nchanges,
		 nchanges == 1 ? "" : "s");
	return d;
}

int pv_store_tag_entries(struct pv_archive *a, const int64_t *ids, size_t n,
			 char *const *changes, size_t nchanges, struct pv_err *err)
{
	if (pv_store_begin(a, err) != 0)
		return -1;
	int ok = 1;
	for (size_t i = 0; ok && i < n; i++)
		for (size_t t = 0; ok && t < nchanges; t++)
			ok = one_tag_change(a, ids[i], changes[t], err) == 0;
	char *detail = ok ? tag_log_detail(ids, n, nchanges) : NULL;
	ok = ok && pv_store_log_err(a, "tag", detail, err) == 0;
	free(detail);
	if (!ok || pv_store_commit(a, err) != 0) {
		pv_store_rollback(a);
		return -1;
	}
	return 0;
}
