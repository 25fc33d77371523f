/*
 * audit, the words: the search index holds each entry's current words and
 * nothing of an entry that is gone, and every tag is one the store keeps.
 * A half-written entry (a row without its search text or tags) is found
 * here. --repair rewrites a search row from the catalogue, removes one left
 * of a gone entry, and puts a tag in its stored form (a control character
 * becomes a space; a tag with nothing left goes).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "photovoice/i18n.h"
#include "photovoice/store.h"
#include "photovoice/util.h"
#include "store_internal.h"

/* ---- the search index -------------------------------------------------- */

/* Entries whose search row is missing (0) or says other words (1); search
 * rows of no entry (2). */
static const char index_sql[] =
	"SELECT e.id, f.rowid IS NOT NULL FROM entries e"
	" LEFT JOIN entries_fts f ON f.rowid = e.id"
	" WHERE f.rowid IS NULL OR f.title IS NOT e.title OR f.caption IS NOT e.caption"
	"  OR f.story IS NOT e.story OR f.tags IS NOT"
	"   (SELECT group_concat(tag, ' ') FROM tags WHERE entry_id = e.id)"
	" UNION ALL SELECT rowid, 2 FROM entries_fts"
	"  WHERE rowid NOT IN (SELECT id FROM entries)";

static const char *const index_what[] = {
	N_("Entry %lld has no row in the search index, so search cannot find it."),
	N_("The search index holds other words for entry %lld than the catalogue does."),
	N_("The search index still holds words of entry %lld, which is no longer in the "
	"catalogue."),
};

struct index_fault {
	int64_t id;
	int kind;
};

static int find_index_faults(struct pv_archive *a, struct index_fault **out, size_t *n,
			     struct pv_err *err)
{
	sqlite3_stmt *st = pv_db_prepare(a, index_sql, err);
	if (!st)
		return -1;
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*out = pv_grow(*out, *n, &cap, sizeof **out);
		(*out)[(*n)++] = (struct index_fault){ sqlite3_column_int64(st, 0),
						       sqlite3_column_int(st, 1) };
	}
	if (rc != SQLITE_DONE)
		return pv_db_fail(a, st, err);
	sqlite3_finalize(st);
	return 0;
}

/* The row goes, and comes back from the catalogue when the entry is there. */
static int rewrite_row(struct pv_archive *a, const struct index_fault *f)
{
	int own;
	if (pv_db_begin_if_needed(a, &own, NULL) != 0)
		return 0;
	sqlite3_stmt *st = pv_db_prepare(a, "DELETE FROM entries_fts WHERE rowid = ?", NULL);
	int ok = st != NULL;
	if (ok) {
		sqlite3_bind_int64(st, 1, f->id);
		ok = pv_db_run(a, st, NULL) == 0;
	}
	if (ok && f->kind != 2)
		ok = pv_store_fts_row_add(a, f->id, NULL) == 0;
	return pv_db_end(a, own, ok, NULL) == 0;
}

static int check_index(struct pv_archive *a, int repair, struct pv_audit_report *r,
		       struct pv_err *err)
{
	struct index_fault *faults = NULL;
	size_t n = 0;
	if (find_index_faults(a, &faults, &n, err) != 0) {
		free(faults);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		char what[256];
		snprintf(what, sizeof what, _(index_what[faults[i].kind]), (long long)faults[i].id);
		struct pv_audit_problem *p = pv_audit_problem_add(
			r, PV_AUDIT_INDEX, faults[i].kind == 2 ? 0 : faults[i].id,
			"catalogue.db", what);
		p->repaired = repair && rewrite_row(a, &faults[i]);
	}
	free(faults);
	return 0;
}

/* ---- tags -------------------------------------------------------------- */

/* The tag as the store would keep it: control characters become spaces,
 * then folded. NULL when nothing is left. */
static char *clean_tag(const char *tag)
{
	char *copy = pv_strdup(tag);
	for (char *c = copy; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = ' ';
	char *folded = pv_store_fold_tag(copy);
	free(copy);
	if (folded && pv_store_check_tag(folded, NULL) == 0)
		return folded;
	free(folded);
	return NULL;
}

static int is_kept_form(const char *tag)
{
	if (pv_store_check_tag(tag, NULL) != 0)
		return 0;
	char *folded = pv_store_fold_tag(tag);
	int same = folded && strcmp(folded, tag) == 0;
	free(folded);
	return same;
}

static int run_tag_sql(struct pv_archive *a, const char *sql, int64_t id, const char *tag)
{
	sqlite3_stmt *st = pv_db_prepare(a, sql, NULL);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, tag, -1, SQLITE_TRANSIENT);
	return pv_db_run(a, st, NULL);
}

/* The tag in its stored form (or gone when nothing is left of it). */
static int repair_tag(struct pv_archive *a, int64_t id, const char *tag)
{
	char *clean = clean_tag(tag);
	int own;
	if (pv_db_begin_if_needed(a, &own, NULL) != 0) {
		free(clean);
		return 0;
	}
	int ok = run_tag_sql(a, "DELETE FROM tags WHERE entry_id = ? AND tag = ?", id, tag) == 0 &&
		 (!clean || run_tag_sql(a, "INSERT OR IGNORE INTO tags (entry_id, tag)"
					" VALUES (?, ?)", id, clean) == 0);
	free(clean);
	return pv_db_end(a, own, ok, NULL) == 0;
}

struct bad_tag {
	int64_t id;
	char *tag;
};

static int find_bad_tags(struct pv_archive *a, struct bad_tag **out, size_t *n, struct pv_err *err)
{
	sqlite3_stmt *st = pv_db_prepare(a, "SELECT entry_id, tag FROM tags ORDER BY entry_id",
					 err);
	if (!st)
		return -1;
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *tag = (const char *)sqlite3_column_text(st, 1);
		if (tag && is_kept_form(tag))
			continue;
		*out = pv_grow(*out, *n, &cap, sizeof **out);
		(*out)[(*n)++] = (struct bad_tag){ sqlite3_column_int64(st, 0),
						   pv_strdup(tag ? tag : "") };
	}
	if (rc != SQLITE_DONE)
		return pv_db_fail(a, st, err);
	sqlite3_finalize(st);
	return 0;
}

static int check_tags(struct pv_archive *a, int repair, struct pv_audit_report *r,
		      struct pv_err *err)
{
	struct bad_tag *bad = NULL;
	size_t n = 0;
	int rc = find_bad_tags(a, &bad, &n, err);
	for (size_t i = 0; i < n; i++) {
		char what[256];
		snprintf(what, sizeof what, _("Entry %lld has a tag the catalogue does not keep "
			 "(a control character, or not in its stored form)."),
			 (long long)bad[i].id);
		struct pv_audit_problem *p = pv_audit_problem_add(r, PV_AUDIT_TAG, bad[i].id,
								  "catalogue.db", what);
		p->repaired = repair && rc == 0 && repair_tag(a, bad[i].id, bad[i].tag);
		free(bad[i].tag);
	}
	free(bad);
	return rc;
}

/* Tags first: putting one right rewrites the entry's search row. */
int pv_audit_words(struct pv_archive *a, int repair, struct pv_audit_report *r,
		   struct pv_err *err)
{
	if (check_tags(a, repair, r, err) != 0)
		return -1;
	return check_index(a, repair, r, err);
}
