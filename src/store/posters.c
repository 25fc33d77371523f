/* Posters saved in the builder of photovoice serve: the settings and the
 * entries in order with a caption for this poster, to open again later and
 * export as a spec. The rows of an entry go with it when it is erased
 * (forget, and ON DELETE CASCADE). The log names numbers only: a poster's
 * name and captions are staff's words about people. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "photovoice/store.h"
#include "photovoice/util.h"
#include "store_internal.h"

#define POSTER_NAME_MAX 200

void pv_saved_poster_free(struct pv_saved_poster *p)
{
	if (!p)
		return;
	free(p->name);
	free(p->title);
	free(p->subtitle);
	free(p->saved_at);
	free(p->saved_by);
	for (size_t i = 0; i < p->nentries; i++)
		free(p->entries[i].caption);
	free(p->entries);
	memset(p, 0, sizeof *p);
}

void pv_saved_posters_free(struct pv_saved_poster *list, size_t n)
{
	for (size_t i = 0; list && i < n; i++)
		pv_saved_poster_free(&list[i]);
	free(list);
}

/* ---- checks ---------------------------------------------------------------- */

static int check_poster(const struct pv_saved_poster *p, struct pv_err *err)
{
	if (!p->name || !*p->name)
		return pv_fail(err, PV_ERR_INPUT, "Give the poster a name.");
	if (pv_store_check_text("poster's name", p->name, POSTER_NAME_MAX, err) != 0 ||
	    pv_store_check_text("title", p->title, PV_MAX_TITLE_BYTES, err) != 0 ||
	    pv_store_check_text("subtitle", p->subtitle, PV_MAX_TITLE_BYTES, err) != 0)
		return -1;
	if (p->paper < -1 || p->paper > 4 || p->landscape < -1 || p->landscape > 1 ||
	    p->columns < 0 || p->columns > 12)
		return pv_fail(err, PV_ERR_INPUT, "The poster settings are not valid: paper A4 to A0, 1 to 12 columns.");
	for (size_t i = 0; i < p->nentries; i++)
		if (pv_store_check_text("caption", p->entries[i].caption, PV_MAX_CAPTION_BYTES,
					err) != 0)
			return -1;
	return 0;
}

static void bind_int_or_null(sqlite3_stmt *st, int i, int v, int none)
{
	if (v == none)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_int(st, i, v);
}

/* ---- writing --------------------------------------------------------------- */

static int write_row(struct pv_archive *a, struct pv_saved_poster *p, const char *now,
		     struct pv_err *err)
{
	sqlite3_stmt *st = pv_db_prepare(a, p->id ?
		"UPDATE posters SET name = ?1, title = ?2, subtitle = ?3, paper = ?4,"
		" landscape = ?5, columns = ?6, saved_at = ?7, saved_by = ?8 WHERE id = ?9" :
		"INSERT INTO posters (name, title, subtitle, paper, landscape, columns,"
		" saved_at, saved_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", err);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, p->name, -1, SQLITE_TRANSIENT);
	pv_db_bind_text_or_null(st, 2, p->title);
	pv_db_bind_text_or_null(st, 3, p->subtitle);
	bind_int_or_null(st, 4, p->paper, -1);
	bind_int_or_null(st, 5, p->landscape, -1);
	bind_int_or_null(st, 6, p->columns, 0);
	sqlite3_bind_text(st, 7, now, -1, SQLITE_TRANSIENT);
	pv_db_bind_text_or_null(st, 8, a->actor);
	if (p->id)
		sqlite3_bind_int64(st, 9, p->id);
	if (pv_db_run(a, st, err) != 0)
		return -1;
	if (p->id && sqlite3_changes(a->db) == 0)
		return pv_fail(err, PV_ERR_NOT_FOUND, "There is no saved poster %lld.", (long long)p->id);
	if (!p->id)
		p->id = sqlite3_last_insert_rowid(a->db);
	return 0;
}

static int write_entries(struct pv_archive *a, const struct pv_saved_poster *p,
			 struct pv_err *err)
{
	sqlite3_stmt *del = pv_db_prepare(a, "DELETE FROM poster_entries WHERE poster_id = ?", err);
	if (!del)
		return -1;
	sqlite3_bind_int64(del, 1, p->id);
	if (pv_db_run(a, del, err) != 0)
		return -1;
	sqlite3_stmt *st = pv_db_prepare(a, "INSERT INTO poster_entries (poster_id, position,"
					 " entry_id, caption) SELECT ?, ?, id, ? FROM entries"
					 " WHERE id = ?", err);
	if (!st)
		return -1;
	for (size_t i = 0; i < p->nentries; i++) {
		sqlite3_bind_int64(st, 1, p->id);
		sqlite3_bind_int64(st, 2, (int64_t)i + 1);
		pv_db_bind_text_or_null(st, 3, p->entries[i].caption);
		sqlite3_bind_int64(st, 4, p->entries[i].id);
		if (pv_db_step(a, st) != SQLITE_DONE)
			return pv_db_fail(a, st, err);
		if (sqlite3_changes(a->db) == 0) {
			sqlite3_finalize(st);
			return pv_fail(err, PV_ERR_NOT_FOUND, "There is no entry %lld.",
				       (long long)p->entries[i].id);
		}
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return 0;
}

int pv_store_poster_save(struct pv_archive *a, struct pv_saved_poster *p,
			 struct pv_err *err)
{
	if (check_poster(p, err) != 0)
		return -1;
	char now[21], detail[96];
	pv_now_iso(now);
	int own, was_new = p->id == 0;
	if (pv_db_begin_if_needed(a, &own, err) != 0)
		return -1;
	int ok = write_row(a, p, now, err) == 0 && write_entries(a, p, err) == 0;
	snprintf(detail, sizeof detail, "poster %lld: %zu entr%s", (long long)p->id, p->nentries,
		 p->nentries == 1 ? "y" : "ies");
	ok = ok && pv_store_log_err(a, was_new ? "poster-save" : "poster-update", detail, err) == 0;
	if (!ok && was_new)
		p->id = 0;
	return pv_db_end(a, own, ok, err);
}

int pv_store_poster_delete(struct pv_archive *a, int64_t id, struct pv_err *err)
{
	char detail[64];
	struct pv_err missing = { 0 };
	pv_fail(&missing, PV_ERR_NOT_FOUND, "There is no saved poster %lld.", (long long)id);
	snprintf(detail, sizeof detail, "poster %lld", (long long)id);
	sqlite3_stmt *st = pv_db_prepare(a, "DELETE FROM posters WHERE id = ?", err);
	if (st)
		sqlite3_bind_int64(st, 1, id);
	return pv_db_change_one(a, st, &missing, "poster-delete", detail, err);
}

/* ---- reading --------------------------------------------------------------- */

static int int_or(sqlite3_stmt *st, int i, int none)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? none : sqlite3_column_int(st, i);
}

static void read_row(sqlite3_stmt *st, struct pv_saved_poster *p)
{
	p->id = sqlite3_column_int64(st, 0);
	p->name = pv_db_column_text(st, 1);
	p->title = pv_db_column_text(st, 2);
	p->subtitle = pv_db_column_text(st, 3);
	p->paper = int_or(st, 4, -1);
	p->landscape = int_or(st, 5, -1);
	p->columns = int_or(st, 6, 0);
	p->saved_at = pv_db_column_text(st, 7);
	p->saved_by = pv_db_column_text(st, 8);
}

static int read_entries(struct pv_archive *a, struct pv_saved_poster *p, struct pv_err *err)
{
	sqlite3_stmt *st = pv_db_prepare(a, "SELECT entry_id, caption FROM poster_entries"
					 " WHERE poster_id = ? ORDER BY position", err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, p->id);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		p->entries = pv_grow(p->entries, p->nentries, &cap, sizeof *p->entries);
		p->entries[p->nentries].id = sqlite3_column_int64(st, 0);
		p->entries[p->nentries++].caption = pv_db_column_text(st, 1);
	}
	if (rc != SQLITE_DONE)
		return pv_db_fail(a, st, err);
	sqlite3_finalize(st);
	return 0;
}

#define POSTER_COLUMNS "SELECT id, name, title, subtitle, paper, landscape, columns," \
		       " saved_at, saved_by FROM posters"

int pv_store_poster_get(struct pv_archive *a, int64_t id, struct pv_saved_poster *out,
			struct pv_err *err)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st = pv_db_prepare(a, POSTER_COLUMNS " WHERE id = ?", err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_finalize(st);
		return 0;
	}
	if (rc != SQLITE_ROW)
		return pv_db_fail(a, st, err);
	read_row(st, out);
	sqlite3_finalize(st);
	if (read_entries(a, out, err) != 0) {
		pv_saved_poster_free(out);
		return -1;
	}
	return 1;
}

int pv_store_poster_list(struct pv_archive *a, struct pv_saved_poster **out, size_t *n,
			 struct pv_err *err)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = pv_db_prepare(a, POSTER_COLUMNS " ORDER BY saved_at DESC, id DESC", err);
	if (!st)
		return -1;
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*out = pv_grow(*out, *n, &cap, sizeof **out);
		memset(&(*out)[*n], 0, sizeof **out);
		read_row(st, &(*out)[(*n)++]);
	}
	if (rc != SQLITE_DONE) {
		pv_db_fail(a, st, err);
		goto fail;
	}
	sqlite3_finalize(st);
	for (size_t i = 0; i < *n; i++)
		if (read_entries(a, &(*out)[i], err) != 0)
			goto fail;
	return 0;
fail:
	pv_saved_posters_free(*out, *n);
	*out = NULL;
	*n = 0;
	return -1;
}
