/* Editing an entry's words: captions and stories are the participant's own,
 * so every change keeps the text it replaced in the entry's history. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "photovoice/store.h"
#include "photovoice/util.h"
#include "store_internal.h"

const char *pv_text_field_name(enum pv_text_field f)
{
	static const char *const names[] = { "title", "caption", "story" };
	return f >= PV_FIELD_TITLE && f <= PV_FIELD_STORY ? names[f] : "title";
}

/* The field's text now: 1 found (in *text, may be NULL), 0 no such entry. */
static int current_text(struct pv_archive *a, int64_t id, enum pv_text_field f,
			char **text, struct pv_err *err)
{
	static const char *const sql[] = {
		"SELECT title FROM entries WHERE id = ?",
		"SELECT caption FROM entries WHERE id = ?",
		"SELECT story FROM entries WHERE id = ?",
	};
	sqlite3_stmt *st = pv_db_prepare(a, sql[f], err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	*text = rc == SQLITE_ROW ? pv_db_column_text(st, 0) : NULL;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return pv_db_fail(a, st, err);
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		pv_fail(err, PV_ERR_NOT_FOUND, "There is no entry %lld in this archive.", (long long)id);
	return rc == SQLITE_ROW;
}

static int remember(struct pv_archive *a, int64_t id, enum pv_text_field f,
		    const char *old, struct pv_err *err)
{
	sqlite3_stmt *st = pv_db_prepare(a, "INSERT INTO history (entry_id, field, old_text,"
					 " changed_at) VALUES (?,?,?,?)", err);
	if (!st)
		return -1;
	char now[21];
	pv_now_iso(now);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, pv_text_field_name(f), -1, SQLITE_STATIC);
	pv_db_bind_text_or_null(st, 3, old);
	sqlite3_bind_text(st, 4, now, -1, SQLITE_TRANSIENT);
	return pv_db_run(a, st, err);
}

static int replace(struct pv_archive *a, int64_t id, enum pv_text_field f,
		   const char *text, struct pv_err *err)
{
	static const char *const sql[] = {
		"UPDATE entries SET title = ?1, title_from = ?3 WHERE id = ?2",
		"UPDATE entries SET caption = ?1, caption_from = ?3 WHERE id = ?2",
		"UPDATE entries SET story = ?1, story_from = ?3 WHERE id = ?2",
	};
	sqlite3_stmt *st = pv_db_prepare(a, sql[f], err);
	if (!st)
		return -1;
	pv_db_bind_text_or_null(st, 1, text);
	sqlite3_bind_int64(st, 2, id);
	pv_db_bind_text_or_null(st, 3, text ? pv_words_from_name(PV_FROM_STAFF) : NULL);
	return pv_db_run(a, st, err);
}

static int same_text(const char *x, const char *y)
{
	return (!x && !y) || (x && y && strcmp(x, y) == 0);
}

int pv_store_edit(struct pv_archive *a, int64_t id, enum pv_text_field f,
		  const char *text, struct pv_err *err)
{
	if (f < PV_FIELD_TITLE || f > PV_FIELD_STORY)
		return -1;
	static const size_t max[] = { PV_MAX_TITLE_BYTES, PV_MAX_CAPTION_BYTES,
				      PV_MAX_STORY_BYTES };
	if (pv_store_check_text(pv_text_field_name(f), text, max[f], err) != 0)
		return -1;
	char *old;
	int found = current_text(a, id, f, &old, err);
	if (found <= 0)
		return -1;
	int own, r = 0;
	/* the rule of intake (no control), the text otherwise as given */
	char *kept = pv_text_keep(pv_strdup(text));
	text = kept && *kept ? kept : NULL;
	if (!same_text(old, text)) {
		r = pv_db_begin_if_needed(a, &own, err) == 0 ? 1 : -1;
		if (r == 1) {
			int ok = remember(a, id, f, old, err) == 0 &&
				 replace(a, id, f, text, err) == 0;
			r = pv_db_end(a, own, ok, err) == 0 ? 1 : -1;
		}
	}
	free(old);
	free(kept);
	return r;
}

void pv_history_free(struct pv_history *h)
{
	for (size_t i = 0; i < h->count; i++) {
		free(h->items[i].field);
		free(h->items[i].old_text);
		free(h->items[i].changed_at);
	}
	free(h->items);
	h->items = NULL;
	h->count = 0;
}

int pv_store_history(struct pv_archive *a, int64_t id, struct pv_history *out,
		     struct pv_err *err)
{
	out->items = NULL;
	out->count = 0;
	sqlite3_stmt *st = pv_db_prepare(a, "SELECT field, old_text, changed_at FROM history"
					 " WHERE entry_id = ? ORDER BY id", err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		out->items = pv_grow(out->items, out->count, &cap, sizeof *out->items);
		struct pv_history_item *it = &out->items[out->count++];
		it->field = pv_db_column_text(st, 0);
		it->old_text = pv_db_column_text(st, 1);
		it->changed_at = pv_db_column_text(st, 2);
	}
	if (rc != SQLITE_DONE) {
		pv_history_free(out);
		return pv_db_fail(a, st, err);
	}
	sqlite3_finalize(st);
	return 0;
}

/* Words read from inside the photo stop speaking for no one once a person
 * has read them and said they may stand. */
int pv_store_confirm_words(struct pv_archive *a, int64_t id, struct pv_err *err)
{
	struct pv_entry e;
	if (pv_store_get(a, id, &e, err) != 0)
		return -1;
	int n = 0;
	const char *const text[] = { e.title, e.caption, e.story };
	for (int f = PV_FIELD_TITLE; f <= PV_FIELD_STORY; f++)
		n += text[f] && e.words_from[f] == PV_FROM_PHOTO;
	pv_entry_free(&e);
	if (n == 0)
		return 0;
	int own;
	if (pv_db_begin_if_needed(a, &own, err) != 0)
		return -1;
	sqlite3_stmt *st = pv_db_prepare(a,
		"UPDATE entries SET"
		" title_from = CASE title_from WHEN 'photo' THEN ?1 ELSE title_from END,"
		" caption_from = CASE caption_from WHEN 'photo' THEN ?1 ELSE caption_from END,"
		" story_from = CASE story_from WHEN 'photo' THEN ?1 ELSE story_from END"
		" WHERE id = ?2", err);
	int ok = st != NULL;
	if (ok) {
		sqlite3_bind_text(st, 1, pv_words_from_name(PV_FROM_CONFIRMED), -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, id);
		ok = pv_db_run(a, st, err) == 0;
	}
	char detail[96];
	snprintf(detail, sizeof detail, "entry %lld: words from the photo confirmed",
		 (long long)id);
	ok = ok && pv_store_log_err(a, "confirm", detail, err) == 0;
	if (pv_db_end(a, own, ok, err) != 0 || !ok)
		return -1;
	return n;
}

/* ---- one edit, logged --------------------------------------------------- */

/* An empty text clears the field; surrounding blank lines of a story go. */
static const char *normalised(const char *text)
{
	return text && text[strspn(text, " \t\r\n")] ? text : NULL;
}

static int edit_fields(struct pv_archive *a, int64_t id, const struct pv_words_edit *e,
		       char *changed, size_t changed_len, struct pv_err *err)
{
	for (int f = PV_FIELD_TITLE; f <= PV_FIELD_STORY; f++) {
		if (!e->given[f])
			continue;
		int r = pv_store_edit(a, id, (enum pv_text_field)f, normalised(e->text[f]), err);
		if (r < 0)
			return -1;
		size_t used = strlen(changed);
		if (r == 1)
			snprintf(changed + used, changed_len - used, "%s%s", used ? ", " : "",
				 pv_text_field_name((enum pv_text_field)f));
	}
	return 0;
}

int pv_store_edit_words(struct pv_archive *a, int64_t id, const struct pv_words_edit *e,
			char *changed, size_t changed_len, int *confirmed,
			struct pv_err *err)
{
	changed[0] = '\0';
	*confirmed = 0;
	if (pv_store_begin(a, err) != 0)
		return -1;
	int ok = edit_fields(a, id, e, changed, changed_len, err) == 0;
	if (ok && e->confirm)
		ok = (*confirmed = pv_store_confirm_words(a, id, err)) >= 0;
	if (ok && *changed) {
		char detail[96];
		snprintf(detail, sizeof detail, "entry %lld: %s", (long long)id, changed);
		ok = pv_store_log_err(a, "edit", detail, err) == 0;
	}
	if (!ok || pv_store_commit(a, err) != 0) {
		pv_store_rollback(a);
		return -1;
	}
	return 0;
}
