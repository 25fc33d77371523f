/*
 * Traces: copies of an entry's words or original that ingest left outside the
 * archive's own files (in the drop folder or its quarantine), known by their
 * content only, so that an erasure finds every copy wherever it sits and
 * whatever it is called, while the catalogue holds no file name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "photovoice/store.h"
#include "photovoice/util.h"
#include "store_internal.h"

int pv_store_note_trace(struct pv_archive *a, int64_t id, const char *sha256,
			int64_t size, const char *what, struct pv_err *err)
{
	sqlite3_stmt *st = pv_db_prepare(a, "INSERT OR IGNORE INTO entry_traces"
					 " (entry_id, sha256, size, what) VALUES (?,?,?,?)",
					 err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, sha256, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, size);
	sqlite3_bind_text(st, 4, what, -1, SQLITE_TRANSIENT);
	return pv_db_run(a, st, err);
}

static int has_trace(const struct pv_trace *t, size_t n, const char *sha256)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(t[i].sha256, sha256) == 0)
			return 1;
	return 0;
}

static int traces_of(struct pv_archive *a, sqlite3_stmt *st, int64_t id,
		     struct pv_trace **out, size_t *nout, size_t *cap, struct pv_err *err)
{
	sqlite3_bind_int64(st, 1, id);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *sha = (const char *)sqlite3_column_text(st, 0);
		if (!sha || strlen(sha) != 64 || has_trace(*out, *nout, sha))
			continue;
		*out = pv_grow(*out, *nout, cap, sizeof **out);
		struct pv_trace *t = &(*out)[(*nout)++];
		memcpy(t->sha256, sha, 65);
		t->size = sqlite3_column_int64(st, 1);
		t->what = pv_db_column_text(st, 2);
	}
	if (rc != SQLITE_DONE) {
		pv_fail(err, PV_ERR_ARCHIVE, "The catalogue could not be read (%s).",
			   sqlite3_errmsg(a->db));
		return -1;
	}
	sqlite3_reset(st);
	return 0;
}

int pv_store_traces(struct pv_archive *a, const int64_t *ids, size_t n,
		    struct pv_trace **out, size_t *nout, struct pv_err *err)
{
	*out = NULL;
	*nout = 0;
	sqlite3_stmt *st = pv_db_prepare(a, "SELECT sha256, size, what FROM entry_traces"
					 " WHERE entry_id = ? ORDER BY sha256", err);
	if (!st)
		return -1;
	size_t cap = 0;
	int r = 0;
	for (size_t i = 0; r == 0 && i < n; i++)
		r = traces_of(a, st, ids[i], out, nout, &cap, err);
	sqlite3_finalize(st);
	if (r != 0) {
		pv_traces_free(*out, *nout);
		*out = NULL;
		*nout = 0;
	}
	return r;
}

void pv_traces_free(struct pv_trace *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(t[i].what);
	free(t);
}
