/* Bundles that were built: recorded with the entries they held, so that an
 * erasure can name every bundle staff should withdraw. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "photovoice/store.h"
#include "photovoice/util.h"
#include "store_internal.h"

static int insert_bundle(struct pv_archive *a, const char *file_name,
			 const char *sha256, const char *purpose, int64_t *id,
			 struct pv_err *err)
{
	sqlite3_stmt *st = pv_db_prepare(a, "INSERT INTO bundles (file_name, sha256,"
					 " purpose, created_at) VALUES (?,?,?,?)", err);
	if (!st)
		return -1;
	char now[21];
	pv_now_iso(now);
	sqlite3_bind_text(st, 1, file_name, -1, SQLITE_TRANSIENT);
	pv_db_bind_text_or_null(st, 2, sha256);
	pv_db_bind_text_or_null(st, 3, purpose);
	sqlite3_bind_text(st, 4, now, -1, SQLITE_TRANSIENT);
	if (pv_db_run(a, st, err) != 0)
		return -1;
	*id = sqlite3_last_insert_rowid(a->db);
	return 0;
}

static int insert_members(struct pv_archive *a, int64_t bundle, const int64_t *ids,
			  size_t n, struct pv_err *err)
{
	sqlite3_stmt *st = pv_db_prepare(a, "INSERT OR IGNORE INTO bundle_entries"
					 " (bundle_id, entry_id) VALUES (?, ?)", err);
	if (!st)
		return -1;
	for (size_t i = 0; i < n; i++) {
		sqlite3_bind_int64(st, 1, bundle);
		sqlite3_bind_int64(st, 2, ids[i]);
		if (pv_db_step(a, st) != SQLITE_DONE)
			return pv_db_fail(a, st, err);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return 0;
}

/* "bundle 3 (poster): entries 1, 2, 5" - numbers only, no names. */
static char *bundle_detail(int64_t bundle, const char *purpose, const int64_t *ids,
			   size_t n)
{
	size_t cap = 64 + n * 22;
	char *d = malloc(cap);
	if (!d)
		abort();
	size_t o = (size_t)snprintf(d, cap, "bundle %lld (%s): %zu entr%s", (long long)bundle,
				    purpose ? purpose : "-", n, n == 1 ? "y" : "ies");
	for (size_t i = 0; i < n; i++)
		o += (size_t)snprintf(d + o, cap - o, "%s%lld", i ? ", " : " ", (long long)ids[i]);
	return d;
}

int pv_store_record_bundle(struct pv_archive *a, const char *file_name,
			   const char *sha256, const char *purpose,
			   const int64_t *ids, size_t n, struct pv_err *err)
{
	int own;
	if (!file_name) {
		pv_fail(err, PV_ERR_INPUT, "A bundle needs a file name to be recorded.");
		return -1;
	}
	if (pv_db_begin_if_needed(a, &own, err) != 0)
		return -1;
	int64_t bundle = 0;
	int ok = insert_bundle(a, file_name, sha256, purpose, &bundle, err) == 0 &&
		 insert_members(a, bundle, ids, n, err) == 0;
	if (ok) {
		char *detail = bundle_detail(bundle, purpose, ids, n);
		ok = pv_store_log(a, "bundle", detail) == 0;
		free(detail);
		if (!ok)
			pv_fail(err, PV_ERR_ARCHIVE, "The bundle could not be written to the log.");
	}
	return pv_db_end(a, own, ok, err);
}
