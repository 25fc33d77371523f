/*
 * Erasure (the right to be forgotten): an entry's rows, tags, history,
 * full-text index entries, photo and derived files go, and so do the traces
 * SQLite keeps of deleted text: secure_delete (set when the catalogue is
 * opened) zeroes deleted rows and freed pages, merging the full-text index
 * drops the deleted words from its older segments, and a TRUNCATE checkpoint
 * empties the write-ahead journal that still holds earlier page images. The
 * log keeps "entry N erased" and nothing of what it said.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "photovoice/store.h"
#include "photovoice/util.h"
#include "store_internal.h"

void pv_forget_report_free(struct pv_forget_report *r)
{
	for (size_t i = 0; i < r->nbundles; i++) {
		free(r->bundles[i].file_name);
		free(r->bundles[i].sha256);
		free(r->bundles[i].purpose);
		free(r->bundles[i].created_at);
	}
	free(r->bundles);
	free(r->erased);
	for (size_t i = 0; i < r->ncopies_kept; i++)
		free(r->copies_kept[i]);
	free(r->copies_kept);
	memset(r, 0, sizeof *r);
}

static int has_bundle(const struct pv_forget_report *r, int64_t id)
{
	for (size_t i = 0; i < r->nbundles; i++)
		if (r->bundles[i].id == id)
			return 1;
	return 0;
}

/* Adds the bundles that held entry id to the report, each once. */
static int note_bundles(struct pv_archive *a, int64_t id, struct pv_forget_report *r,
			struct pv_err *err)
{
	sqlite3_stmt *st = pv_db_prepare(a,
		"SELECT b.id, b.file_name, b.sha256, b.purpose, b.created_at FROM bundles b"
		" JOIN bundle_entries be ON be.bundle_id = b.id WHERE be.entry_id = ?"
		" ORDER BY b.id", err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (has_bundle(r, sqlite3_column_int64(st, 0)))
			continue;
		r->bundles = realloc(r->bundles, (r->nbundles + 1) * sizeof *r->bundles);
		if (!r->bundles)
			abort();
		r->bundles[r->nbundles++] = (struct pv_bundle_ref){
			.id = sqlite3_column_int64(st, 0),
			.file_name = pv_db_column_text(st, 1),
			.sha256 = pv_db_column_text(st, 2),
			.purpose = pv_db_column_text(st, 3),
			.created_at = pv_db_column_text(st, 4),
		};
	}
	if (rc != SQLITE_DONE)
		return pv_db_fail(a, st, err);
	sqlite3_finalize(st);
	return 0;
}

int pv_store_bundles_of(struct pv_archive *a, int64_t id, struct pv_forget_report *out,
			struct pv_err *err)
{
	memset(out, 0, sizeof *out);
	if (note_bundles(a, id, out, err) == 0)
		return 0;
	pv_forget_report_free(out);
	return -1;
}

static int run_for_id(struct pv_archive *a, const char *sql, int64_t id, struct pv_err *err)
{
	sqlite3_stmt *st = pv_db_prepare(a, sql, err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return pv_db_run(a, st, err);
}

/* The index row goes first, so that removing the tags (whose trigger
 * rewrites the index row) finds no row to rewrite. */
static const char *const erase_sql[] = {
	"DELETE FROM entries_fts WHERE rowid = ?",
	"DELETE FROM tags WHERE entry_id = ?",
	"DELETE FROM history WHERE entry_id = ?",
	"DELETE FROM poster_entries WHERE entry_id = ?",   /* and its caption there */
	"DELETE FROM entries WHERE id = ?",
};

static int erase_rows(struct pv_archive *a, int64_t id, struct pv_forget_report *r,
		      struct pv_err *err)
{
	if (note_bundles(a, id, r, err) != 0)
		return -1;
	for (size_t i = 0; i < sizeof erase_sql / sizeof *erase_sql; i++)
		if (run_for_id(a, erase_sql[i], id, err) != 0)
			return -1;
	char detail[48];
	snprintf(detail, sizeof detail, "entry %lld erased", (long long)id);
	return pv_store_log_err(a, "erase", detail, err);
}

/* The stored photo's hash of each id (sha[i]); -1 (not found) naming a missing id. */
static int hashes_of(struct pv_archive *a, const int64_t *ids, size_t n,
		     char (*sha)[65], struct pv_err *err)
{
	sqlite3_stmt *st = pv_db_prepare(a, "SELECT sha256 FROM entries WHERE id = ?",
					 err);
	if (!st)
		return -1;
	for (size_t i = 0; i < n; i++) {
		sqlite3_bind_int64(st, 1, ids[i]);
		if (sqlite3_step(st) != SQLITE_ROW) {
			sqlite3_finalize(st);
			pv_fail(err, PV_ERR_NOT_FOUND, "There is no entry %lld in this archive; nothing "
				   "was erased.", (long long)ids[i]);
			return -1;
		}
		snprintf(sha[i], 65, "%s", (const char *)sqlite3_column_text(st, 0));
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return 0;
}

static void remove_file(const char *path, struct pv_forget_report *r, struct pv_err *err)
{
	if (unlink(path) == 0) {
		r->files_removed++;
	} else if (errno != ENOENT) {
		r->files_failed++;
		pv_fail(err, PV_ERR_ARCHIVE, "A stored file of an erased entry could not be "
			   "removed (%s); remove %s by hand.", strerror(errno), path);
	}
}

static void remove_files(struct pv_archive *a, const char *sha,
			 struct pv_forget_report *r, struct pv_err *err)
{
	static const char *const kinds[] = { NULL, "thumb", "preview" };
	for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
		char *path = pv_archive_file_path(a, sha, kinds[k]);
		remove_file(path, r, err);
		free(path);
	}
}

#define CHECKPOINT_WAIT_MS 3000

/* Merge the index, then empty the journal; 1 when both were done. */
static int clear_traces(struct pv_archive *a)
{
	if (pv_db_exec(a, "INSERT INTO entries_fts (entries_fts) VALUES ('optimize');",
		       NULL) != 0)
		return 0;
	/* A reader holding an older snapshot keeps the journal from being
	 * emptied; readers finish in milliseconds, so waiting a little is enough
	 * (when one does not, the last connection to close empties it). */
	sqlite3_busy_timeout(a->db, CHECKPOINT_WAIT_MS);
	int frames = -1, done = -1;
	int rc = sqlite3_wal_checkpoint_v2(a->db, NULL, SQLITE_CHECKPOINT_TRUNCATE,
					   &frames, &done);
	sqlite3_busy_timeout(a->db, PV_BUSY_TIMEOUT_MS);
	return rc == SQLITE_OK;
}

/* ids without repeats, in their order; *n updated. */
static int64_t *unique_ids(const int64_t *ids, size_t *n)
{
	int64_t *u = malloc((*n + 1) * sizeof *u);
	if (!u)
		abort();
	size_t m = 0;
	for (size_t i = 0; i < *n; i++) {
		size_t j = 0;
		while (j < m && u[j] != ids[i])
			j++;
		if (j == m)
			u[m++] = ids[i];
	}
	*n = m;
	return u;
}

/* Rows go in one transaction (with extra, run inside it, for a
 * participant's record); files after it commits. */
static int forget(struct pv_archive *a, const int64_t *ids, size_t n,
		  int (*extra)(struct pv_archive *, const void *, struct pv_err *),
		  const void *extra_arg, struct pv_forget_report *out, struct pv_err *err)
{
	memset(out, 0, sizeof *out);
	char (*sha)[65] = calloc(n + 1, sizeof *sha);
	if (!sha)
		abort();
	int r = pv_store_begin(a, err);
	if (r == 0)
		r = hashes_of(a, ids, n, sha, err);
	for (size_t i = 0; r == 0 && i < n; i++)
		r = erase_rows(a, ids[i], out, err);
	if (r == 0 && extra)
		r = extra(a, extra_arg, err);
	if (r == 0)
		r = pv_store_commit(a, err);
	if (r != 0) {
		pv_store_rollback(a);
		pv_forget_report_free(out);
		free(sha);
		return -1;
	}
	out->erased = malloc((n + 1) * sizeof *out->erased);
	if (!out->erased)
		abort();
	for (size_t i = 0; i < n; i++)
		out->erased[i] = ids[i];
	out->nerased = n;
	for (size_t i = 0; i < n; i++)
		remove_files(a, sha[i], out, err);
	free(sha);
	out->traces_cleared = clear_traces(a);
	return 0;
}

int pv_store_forget(struct pv_archive *a, const int64_t *ids, size_t n,
		    struct pv_forget_report *out, struct pv_err *err)
{
	int64_t *u = unique_ids(ids, &n);
	int r = forget(a, u, n, NULL, NULL, out, err);
	free(u);
	return r;
}

/* ---- a participant ---------------------------------------------------- */

static int participant_ids(struct pv_archive *a, const char *code, int64_t **ids,
			   size_t *n, struct pv_err *err)
{
	*ids = NULL;
	*n = 0;
	sqlite3_stmt *st = pv_db_prepare(a, "SELECT id FROM entries WHERE participant = ?"
					 " ORDER BY id", err);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*ids = realloc(*ids, (*n + 1) * sizeof **ids);
		if (!*ids)
			abort();
		(*ids)[(*n)++] = sqlite3_column_int64(st, 0);
	}
	if (rc != SQLITE_DONE)
		return pv_db_fail(a, st, err);
	sqlite3_finalize(st);
	return 0;
}

/* Runs a DELETE of the rows of participant code (its one parameter); how
 * many went, or -1. */
static int delete_for_code(struct pv_archive *a, const char *sql, const char *code,
			   struct pv_err *err)
{
	sqlite3_stmt *st = pv_db_prepare(a, sql, err);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
	if (pv_db_run(a, st, err) != 0)
		return -1;
	return sqlite3_changes(a->db);
}

/* Their record goes too (code and credit line), and their invitations: the
 * links stop working, and no row keeps the code. */
static int erase_record(struct pv_archive *a, const void *code, struct pv_err *err)
{
	int links = delete_for_code(a, "DELETE FROM invitations WHERE participant = ?", code, err);
	if (links < 0)
		return -1;
	if (links > 0) {
		char detail[64];
		snprintf(detail, sizeof detail, "%d invitation%s of a participant erased", links,
			 links == 1 ? "" : "s");
		if (pv_store_log_err(a, "erase", detail, err) != 0)
			return -1;
	}
	int records = delete_for_code(a, "DELETE FROM participants WHERE code = ?", code, err);
	if (records <= 0)
		return records;
	return pv_store_log_err(a, "erase", "a participant record erased", err);
}

static int has_record(struct pv_archive *a, const char *code)
{
	sqlite3_stmt *st = pv_db_prepare(a, "SELECT 1 FROM participants WHERE code = ?",
					 NULL);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
	int found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

int pv_store_forget_participant(struct pv_archive *a, const char *code,
				struct pv_forget_report *out, struct pv_err *err)
{
	int64_t *ids;
	size_t n;
	memset(out, 0, sizeof *out);
	if (!code || participant_ids(a, code, &ids, &n, err) != 0)
		return -1;
	if (n == 0 && has_record(a, code) == 0) {
		free(ids);
		pv_fail(err, PV_ERR_NOT_FOUND, "There is no participant '%s' in this archive.", code);
		return -1;
	}
	int r = forget(a, ids, n, erase_record, code, out, err);
	free(ids);
	return r;
}
