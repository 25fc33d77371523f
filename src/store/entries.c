/*
 * Catalogue entries: consent words, adding, reading and listing entries.
 * An entry is read together with its participant's record, which gives the
 * credit line the participant chose and whether they are marked under 16.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "photovoice/i18n.h"
#include "photovoice/store.h"
#include "photovoice/util.h"
#include "store_internal.h"

/* ---- consent ---------------------------------------------------------- */

static const struct {
	const char *word;
	enum pv_consent consent;
} consent_words[] = {
	{ "none", PV_CONSENT_NONE },        { "geen", PV_CONSENT_NONE },
	{ "nee", PV_CONSENT_NONE },         { "no", PV_CONSENT_NONE },
	{ "internal", PV_CONSENT_INTERNAL }, { "intern", PV_CONSENT_INTERNAL },
	{ "poster", PV_CONSENT_POSTER },    { "public", PV_CONSENT_PUBLIC },
	{ "openbaar", PV_CONSENT_PUBLIC },  { "publiek", PV_CONSENT_PUBLIC },
};

int pv_consent_parse(const char *s)
{
	if (!s)
		return -1;
	for (size_t i = 0; i < sizeof consent_words / sizeof *consent_words; i++)
		if (strcasecmp(s, consent_words[i].word) == 0)
			return (int)consent_words[i].consent;
	return -1;
}

const char *pv_consent_name(enum pv_consent c)
{
	static const char *const names[] = { "none", "internal", "poster", "public" };
	return (c >= PV_CONSENT_NONE && c <= PV_CONSENT_PUBLIC) ? names[c] : "internal";
}

enum pv_consent_limit pv_entry_consent_limit(const struct pv_entry *e,
					     const char *today)
{
	if (e->consent <= PV_CONSENT_INTERNAL)
		return PV_LIMIT_NONE;
	/* ISO dates compare as strings */
	if (e->consent_until && strcmp(today, e->consent_until) > 0)
		return PV_LIMIT_EXPIRED;
	if (e->under16 && e->guardian != PV_GUARDIAN_YES)
		return PV_LIMIT_GUARDIAN;
	return PV_LIMIT_NONE;
}

enum pv_consent pv_entry_effective_consent(const struct pv_entry *e,
					   const char *today)
{
	/* An end date that has passed, or a participant under 16 without their
	 * guardian's yes, turns poster/public into internal use only. */
	return pv_entry_consent_limit(e, today) == PV_LIMIT_NONE ? e->consent
								 : PV_CONSENT_INTERNAL;
}

/* ---- where the words came from ----------------------------------------- */

static const char *const from_names[] = {
	[PV_FROM_UNRECORDED] = NULL, [PV_FROM_PARTICIPANT] = "participant",
	[PV_FROM_PHOTO] = "photo", [PV_FROM_CONFIRMED] = "photo, confirmed",
	[PV_FROM_STAFF] = "staff",
};

const char *pv_words_from_name(enum pv_words_from f)
{
	return f > PV_FROM_UNRECORDED && f <= PV_FROM_STAFF ? from_names[f] : NULL;
}

static int words_from_parse(const char *name)
{
	for (int f = PV_FROM_PARTICIPANT; name && f <= PV_FROM_STAFF; f++)
		if (strcmp(name, from_names[f]) == 0)
			return f;
	return PV_FROM_UNRECORDED;
}

int pv_entry_has_unconfirmed_words(const struct pv_entry *e)
{
	const char *const text[] = { e->title, e->caption, e->story };
	for (int f = PV_FIELD_TITLE; f <= PV_FIELD_STORY; f++)
		if (text[f] && e->words_from[f] == PV_FROM_PHOTO)
			return 1;
	return 0;
}

/* Why e's consent does not allow the use, after "Entry N cannot ...: ". */
static const char *consent_reason(const struct pv_entry *e, const char *today,
				  char *buf, size_t n)
{
	switch (pv_entry_consent_limit(e, today)) {
	case PV_LIMIT_EXPIRED:
		snprintf(buf, n, _("its consent for %s ended on %s."), pv_consent_name(e->consent),
			 e->consent_until ? e->consent_until : "?");
		break;
	case PV_LIMIT_GUARDIAN:
		snprintf(buf, n, _("its participant is under 16 and no guardian's yes is "
			 "recorded, so its '%s' consent counts as internal use only."),
			 pv_consent_name(e->consent));
		break;
	default:
		snprintf(buf, n, _("its consent is '%s', which does not allow this use."),
			 pv_consent_name(pv_entry_effective_consent(e, today)));
		break;
	}
	return buf;
}

int pv_entry_usable_for(const struct pv_entry *e, const char *purpose,
			const char *today, struct pv_err *err)
{
	int poster = strcmp(purpose, "poster") == 0;
	enum pv_consent need = poster ? PV_CONSENT_POSTER : PV_CONSENT_INTERNAL;
	char why[400];
	if (pv_entry_effective_consent(e, today) < need) {
		consent_reason(e, today, why, sizeof why);
		if (poster)
			/* TRANSLATORS: %s is why, a whole clause: "its consent is
			 * 'none', which does not allow this use." */
			pv_fail(err, PV_ERR_NOT_ALLOWED, "Entry %lld cannot go on a poster: %s",
				(long long)e->id, why);
		else
			pv_fail(err, PV_ERR_NOT_ALLOWED, "Entry %lld cannot be used, not even "
				"internally: %s", (long long)e->id, why);
		return 0;
	}
	if (poster && pv_entry_has_unconfirmed_words(e)) {
		pv_fail(err, PV_ERR_NOT_ALLOWED, "Entry %lld cannot go on a poster: its words were "
			"read from inside the photo, where they may name a place or a person, and "
			"no one has confirmed them yet; check them and confirm them with "
			"'photovoice edit %lld --confirm', or replace them.", (long long)e->id,
			(long long)e->id);
		return 0;
	}
	return 1;
}

/* ---- entries ---------------------------------------------------------- */

void pv_entry_free(struct pv_entry *e)
{
	if (!e)
		return;
	free(e->title);
	free(e->caption);
	free(e->story);
	free(e->participant);
	free(e->credit);
	free(e->consent_until);
	free(e->taken_month);
	free(e->ingested_at);
	free(e->removed);
	free(e->reviewed_at);
	for (size_t i = 0; i < e->ntags; i++)
		free(e->tags[i]);
	free(e->tags);
	memset(e, 0, sizeof *e);
}

void pv_entry_list_free(struct pv_entry_list *l)
{
	for (size_t i = 0; i < l->count; i++)
		pv_entry_free(&l->items[i]);
	free(l->items);
	l->items = NULL;
	l->count = 0;
}

static int insert_tags(struct pv_archive *a, const struct pv_entry *e, struct pv_err *err)
{
	for (size_t i = 0; i < e->ntags; i++)
		if (pv_store_tag_add(a, e->id, e->tags[i], err) != 0)
			return -1;
	return 0;
}

/* The entry's full-text row, written once its tags are in; triggers keep it
 * current after that. */
int pv_store_fts_row_add(struct pv_archive *a, int64_t id, struct pv_err *err)
{
	sqlite3_stmt *st = pv_db_prepare(a,
		"INSERT INTO entries_fts (rowid, title, caption, story, tags)"
		" SELECT id, title, caption, story,"
		"  (SELECT group_concat(tag, ' ') FROM tags WHERE entry_id = entries.id)"
		" FROM entries WHERE id = ?", err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return pv_db_run(a, st, err);
}

static void bind_entry(sqlite3_stmt *st, const struct pv_entry *e, const char *now)
{
	sqlite3_bind_text(st, 1, e->sha256, -1, SQLITE_TRANSIENT);
	pv_db_bind_text_or_null(st, 2, e->title);
	pv_db_bind_text_or_null(st, 3, e->caption);
	pv_db_bind_text_or_null(st, 4, e->story);
	pv_db_bind_text_or_null(st, 5, e->participant);
	pv_db_bind_text_or_null(st, 6, e->credit);
	sqlite3_bind_text(st, 7, pv_consent_name(e->consent), -1, SQLITE_STATIC);
	if (e->guardian == PV_GUARDIAN_UNKNOWN)
		sqlite3_bind_null(st, 8);
	else
		sqlite3_bind_int(st, 8, e->guardian);
	pv_db_bind_text_or_null(st, 9, e->consent_until);
	sqlite3_bind_int(st, 10, e->width);
	sqlite3_bind_int(st, 11, e->height);
	sqlite3_bind_int64(st, 12, e->bytes);
	pv_db_bind_text_or_null(st, 13, e->taken_month);
	sqlite3_bind_text(st, 14, e->ingested_at ? e->ingested_at : now, -1,
			  SQLITE_TRANSIENT);
	pv_db_bind_text_or_null(st, 15, e->phash[0] ? e->phash : NULL);
	const char *const text[] = { e->title, e->caption, e->story };
	for (int f = PV_FIELD_TITLE; f <= PV_FIELD_STORY; f++)
		pv_db_bind_text_or_null(st, 16 + f, text[f] ? pv_words_from_name(
						e->words_from[f]) : NULL);
	pv_db_bind_text_or_null(st, 19, e->thumb_sha256[0] ? e->thumb_sha256 : NULL);
	pv_db_bind_text_or_null(st, 20, e->preview_sha256[0] ? e->preview_sha256 : NULL);
	pv_db_bind_text_or_null(st, 21, e->removed);
}

static int insert_row(struct pv_archive *a, struct pv_entry *e, struct pv_err *err)
{
	sqlite3_stmt *st = pv_db_prepare(a,
		"INSERT INTO entries (sha256, title, caption, story, participant, credit,"
		" consent, guardian, consent_until, width, height, bytes, taken_month,"
		" ingested_at, phash, title_from, caption_from, story_from, thumb_sha256,"
		" preview_sha256, removed)"
		" VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
		err);
	if (!st)
		return -1;
	char now[21];
	pv_now_iso(now);
	bind_entry(st, e, now);
	if (pv_db_run(a, st, err) != 0)
		return -1;
	e->id = sqlite3_last_insert_rowid(a->db);
	return 0;
}

/* The row, its tags and its search text: all of them or none (a SAVEPOINT
 * inside the caller's transaction, such as ingest's batch). */
int pv_store_add(struct pv_archive *a, struct pv_entry *e, struct pv_err *err)
{
	int own;
	if (pv_store_check_entry(e, err) != 0 ||
	    pv_db_begin_if_needed(a, &own, err) != 0)
		return -1;
	int ok = insert_row(a, e, err) == 0 && insert_tags(a, e, err) == 0 &&
		 pv_store_fts_row_add(a, e->id, err) == 0;
	if (pv_db_end(a, own, ok, err) == 0)
		return 0;
	e->id = 0;
	return -1;
}

int64_t pv_store_find_sha(struct pv_archive *a, const char *sha256)
{
	sqlite3_stmt *st = pv_db_prepare(a, "SELECT id FROM entries WHERE sha256 = ?",
					 NULL);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, sha256, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	int64_t id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0)
				       : (rc == SQLITE_DONE ? 0 : -1);
	sqlite3_finalize(st);
	return id;
}

/* Tags come along in one column, sorted and joined by a unit separator
 * (pv_store_fold_tag refuses control characters in a tag). */
#define TAG_SEP "\x1f"
#define ENTRY_SELECT \
	"SELECT e.id, e.sha256, e.title, e.caption, e.story, e.participant," \
	" COALESCE(p.credit, e.credit), e.consent, e.guardian, e.consent_until," \
	" e.width, e.height, e.bytes, e.taken_month, e.ingested_at, e.phash," \
	" p.under16, (SELECT group_concat(tag, char(31)) FROM" \
	"  (SELECT tag FROM tags WHERE entry_id = e.id ORDER BY tag))," \
	" e.title_from, e.caption_from, e.story_from, e.removed, e.reviewed_at" \
	" FROM entries e LEFT JOIN participants p ON p.code = e.participant"

static void split_tags(const char *joined, struct pv_entry *e)
{
	size_t n = 1;
	for (const char *p = joined; p && *p; p++)
		n += *p == TAG_SEP[0];
	e->tags = calloc(n + 1, sizeof *e->tags);
	if (!e->tags)
		abort();
	if (!joined || !*joined)
		return;
	for (const char *p = joined;;) {
		size_t len = strcspn(p, TAG_SEP);
		e->tags[e->ntags++] = pv_strndup(p, len);
		if (!p[len])
			break;
		p += len + 1;
	}
}

#define WITHDRAWN_AT 23
/* where the title, the caption and the story came from: three columns */
static void words_from_columns(sqlite3_stmt *st, int first, struct pv_entry *e)
{
	for (int f = PV_FIELD_TITLE; f <= PV_FIELD_STORY; f++)
		e->words_from[f] = words_from_parse((const char *)sqlite3_column_text(st, first + f));
}

/* consent, guardian and consent_until, from three columns from `first` on */
static void consent_from_columns(sqlite3_stmt *st, int first, struct pv_entry *e)
{
	int c = pv_consent_parse((const char *)sqlite3_column_text(st, first));
	e->consent = c < 0 ? PV_CONSENT_INTERNAL : (enum pv_consent)c;
	e->guardian = sqlite3_column_type(st, first + 1) == SQLITE_NULL
			      ? PV_GUARDIAN_UNKNOWN : sqlite3_column_int(st, first + 1);
	e->consent_until = pv_db_column_text(st, first + 2);
}

static void entry_from_row(sqlite3_stmt *st, struct pv_entry *e)
{
	memset(e, 0, sizeof *e);
	e->id = sqlite3_column_int64(st, 0);
	snprintf(e->sha256, sizeof e->sha256, "%s",
		 (const char *)sqlite3_column_text(st, 1));
	e->title = pv_db_column_text(st, 2);
	e->caption = pv_db_column_text(st, 3);
	e->story = pv_db_column_text(st, 4);
	e->participant = pv_db_column_text(st, 5);
	e->credit = pv_db_column_text(st, 6);
	consent_from_columns(st, 7, e);
	e->width = sqlite3_column_int(st, 10);
	e->height = sqlite3_column_int(st, 11);
	e->bytes = sqlite3_column_int64(st, 12);
	e->taken_month = pv_db_column_text(st, 13);
	e->ingested_at = pv_db_column_text(st, 14);
	const unsigned char *ph = sqlite3_column_text(st, 15);
	snprintf(e->phash, sizeof e->phash, "%s", ph ? (const char *)ph : "");
	e->under16 = sqlite3_column_int(st, 16) == 1;
	split_tags((const char *)sqlite3_column_text(st, 17), e);
	words_from_columns(st, 18, e);
	e->removed = pv_db_column_text(st, 21);
	e->reviewed_at = pv_db_column_text(st, 22);
	if (sqlite3_column_count(st) > WITHDRAWN_AT)
		e->withdrawn = sqlite3_column_int(st, WITHDRAWN_AT);
}

int pv_store_get(struct pv_archive *a, int64_t id, struct pv_entry *out, struct pv_err *err)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st = pv_db_prepare(a, ENTRY_SELECT " WHERE e.id = ?", err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_finalize(st);
		return pv_fail(err, PV_ERR_NOT_FOUND, "There is no entry %lld in this archive.",
			       (long long)id);
	}
	if (rc != SQLITE_ROW)
		return pv_db_fail(a, st, err);
	entry_from_row(st, out);
	sqlite3_finalize(st);
	return 0;
}

/* ---- lists ------------------------------------------------------------ */

static int passes_consent(const struct pv_filter *f, const struct pv_entry *e,
			  const char *today)
{
	int c = (int)pv_entry_effective_consent(e, today);
	if (f->min_consent >= 0 && c < f->min_consent)
		return 0;
	if (f->exact_consent >= 0 && c != f->exact_consent)
		return 0;
	return 1;
}

static void list_push(struct pv_entry_list *l, size_t *cap, struct pv_entry *e)
{
	l->items = pv_grow(l->items, l->count, cap, sizeof *l->items);
	l->items[l->count++] = *e;
}

/* A participant's withdrawal from their link (pv_store_withdraw) makes its
 * entry unreviewed again and logs "entry N: none, asked by the participant";
 * the review list shows those first, in one more column (WITHDRAWN_AT). */
#define REVIEW_SELECT_HEAD "SELECT q.*, EXISTS (SELECT 1 FROM log WHERE action = 'withdraw'" \
	" AND detail LIKE 'entry ' || q.id || ':%') AS withdrawn FROM ("
#define REVIEW_SELECT_TAIL ") q ORDER BY withdrawn DESC, q.id"

/* Builds the WHERE clause for tags and participant; ids are handled apart. */
static char *filter_sql(const struct pv_filter *f)
{
	size_t n = sizeof REVIEW_SELECT_HEAD + sizeof ENTRY_SELECT + sizeof REVIEW_SELECT_TAIL +
		   128 + f->ntags * 64;
	char *sql = malloc(n);
	if (!sql)
		abort();
	int o = snprintf(sql, n, "%s" ENTRY_SELECT " WHERE 1",
			 f->unreviewed ? REVIEW_SELECT_HEAD : "");
	for (size_t i = 0; i < f->ntags; i++)
		o += snprintf(sql + o, n - (size_t)o,
			      " AND e.id IN (SELECT entry_id FROM tags WHERE tag = ?)");
	if (f->participant)
		o += snprintf(sql + o, n - (size_t)o, " AND e.participant = ?");
	if (f->unreviewed)
		o += snprintf(sql + o, n - (size_t)o, " AND e.reviewed_at IS NULL");
	snprintf(sql + o, n - (size_t)o, "%s", f->unreviewed ? REVIEW_SELECT_TAIL
							     : " ORDER BY e.id");
	return sql;
}

static int bind_filter(sqlite3_stmt *st, const struct pv_filter *f)
{
	int i = 1;
	for (size_t t = 0; t < f->ntags; t++) {
		char *tag = pv_store_fold_tag(f->tags[t]);
		if (!tag)
			return -1;
		sqlite3_bind_text(st, i++, tag, -1, SQLITE_TRANSIENT);
		free(tag);
	}
	if (f->participant)
		sqlite3_bind_text(st, i, f->participant, -1, SQLITE_TRANSIENT);
	return 0;
}

static int collect(struct pv_archive *a, sqlite3_stmt *st, const struct pv_filter *f,
		   struct pv_entry_list *out, struct pv_err *err)
{
	char today[11];
	pv_today_iso(today);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct pv_entry e;
		entry_from_row(st, &e);
		if (passes_consent(f, &e, today))
			list_push(out, &cap, &e);
		else
			pv_entry_free(&e);
	}
	if (rc != SQLITE_DONE)
		return pv_db_fail(a, st, err);
	sqlite3_finalize(st);
	return 0;
}

static int list_by_query(struct pv_archive *a, const struct pv_filter *f,
			 struct pv_entry_list *out, struct pv_err *err)
{
	char *sql = filter_sql(f);
	sqlite3_stmt *st = pv_db_prepare(a, sql, err);
	free(sql);
	if (!st)
		return -1;
	if (bind_filter(st, f) != 0) {
		sqlite3_finalize(st);
		pv_fail(err, PV_ERR_INPUT, "A tag is not valid UTF-8 text.");
		return -1;
	}
	return collect(a, st, f, out, err);
}

static int list_by_ids(struct pv_archive *a, const struct pv_filter *f,
		       struct pv_entry_list *out, struct pv_err *err)
{
	char today[11];
	pv_today_iso(today);
	size_t cap = 0;
	for (size_t i = 0; i < f->nids; i++) {
		struct pv_entry e;
		if (pv_store_get(a, f->ids[i], &e, err) != 0)
			return -1;
		if (passes_consent(f, &e, today))
			list_push(out, &cap, &e);
		else
			pv_entry_free(&e);
	}
	return 0;
}

int pv_store_list(struct pv_archive *a, const struct pv_filter *f,
		  struct pv_entry_list *out, struct pv_err *err)
{
	out->items = NULL;
	out->count = 0;
	int r = f->nids ? list_by_ids(a, f, out, err)
			: list_by_query(a, f, out, err);
	if (r != 0)
		pv_entry_list_free(out);
	return r;
}

/* What a card of the grid shows: the title and the participant, and what
 * decides the consent that counts today (as browse.c's filter reads it) and
 * whether its words wait for confirmation (pv_entry_has_unconfirmed_words):
 * where they came from, and whether there is a caption and a story, as ""
 * (substr(x, 1, 0) is "" for any text and NULL for NULL), not their text. */
#define CARD_SELECT \
	"SELECT e.id, e.title, e.participant, e.consent, e.guardian, e.consent_until," \
	" p.under16, substr(e.caption, 1, 0), substr(e.story, 1, 0), e.title_from," \
	" e.caption_from, e.story_from" \
	" FROM entries e LEFT JOIN participants p ON p.code = e.participant"

static void card_from_row(sqlite3_stmt *st, struct pv_entry *e)
{
	memset(e, 0, sizeof *e);
	e->id = sqlite3_column_int64(st, 0);
	e->title = pv_db_column_text(st, 1);
	e->participant = pv_db_column_text(st, 2);
	consent_from_columns(st, 3, e);
	e->under16 = sqlite3_column_int(st, 6) == 1;
	e->caption = pv_db_column_text(st, 7);
	e->story = pv_db_column_text(st, 8);
	words_from_columns(st, 9, e);
}

/* Whole entries, or cards only. */
struct row_shape {
	const char *select;
	enum pv_hot page_statement;
	void (*from_row)(sqlite3_stmt *st, struct pv_entry *e);
};
static const struct row_shape WHOLE = { ENTRY_SELECT, PV_HOT_GET_PAGE, entry_from_row };
static const struct row_shape CARD = { CARD_SELECT, PV_HOT_GET_CARDS, card_from_row };

/* A page of the grid (at most PV_BROWSE_PER_PAGE ids) reads through one
 * statement prepared once per handle, its unused places bound to NULL (which
 * no id equals); a longer list gets a statement of its own length. */
static sqlite3_stmt *get_many_statement(struct pv_archive *a, const struct row_shape *shape,
					size_t n, struct pv_err *err)
{
	size_t places = n <= PV_BROWSE_PER_PAGE ? PV_BROWSE_PER_PAGE : n;
	if (places == PV_BROWSE_PER_PAGE && a->hot[shape->page_statement])
		return a->hot[shape->page_statement];
	size_t cap = strlen(shape->select) + 64 + places * 2;
	char *sql = malloc(cap);
	if (!sql)
		abort();
	size_t o = (size_t)snprintf(sql, cap, "%s WHERE e.id IN (", shape->select);
	for (size_t i = 0; i < places; i++)
		o += (size_t)snprintf(sql + o, cap - o, "%s", i ? ",?" : "?");
	snprintf(sql + o, cap - o, ")");
	sqlite3_stmt *st = places == PV_BROWSE_PER_PAGE
				   ? pv_db_hot(a, shape->page_statement, sql, err)
				   : pv_db_prepare(a, sql, err);
	free(sql);
	return st;
}

static int get_many(struct pv_archive *a, const struct row_shape *shape, const int64_t *ids,
		    size_t n, struct pv_entry *out, struct pv_err *err)
{
	memset(out, 0, n * sizeof *out);
	if (!n)
		return 0;
	sqlite3_stmt *st = get_many_statement(a, shape, n, err);
	if (!st)
		return -1;
	/* kept by the handle: reset, never finalized */
	int hot = st == a->hot[shape->page_statement];
	for (size_t i = 0; i < n; i++)
		sqlite3_bind_int64(st, (int)i + 1, ids[i]);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		for (size_t i = 0; i < n; i++)
			if (ids[i] == id && !out[i].id)
				shape->from_row(st, &out[i]);
	}
	if (hot)
		pv_db_hot_done(st);   /* unbinds too: the next page's unused places are NULL */
	if (rc != SQLITE_DONE)
		return pv_db_fail(a, hot ? NULL : st, err);
	if (!hot)
		sqlite3_finalize(st);
	for (size_t i = 0; i < n; i++)
		if (!out[i].id)
			return pv_fail(err, PV_ERR_NOT_FOUND, "There is no entry %lld in this archive.",
				       (long long)ids[i]);
	return 0;
}

int pv_store_get_many(struct pv_archive *a, const int64_t *ids, size_t n,
		      struct pv_entry *out, struct pv_err *err)
{
	return get_many(a, &WHOLE, ids, n, out, err);
}

int pv_store_get_cards(struct pv_archive *a, const int64_t *ids, size_t n,
		       struct pv_entry *out, struct pv_err *err)
{
	return get_many(a, &CARD, ids, n, out, err);
}

int pv_store_still_usable(struct pv_archive *a, const struct pv_entry *chosen,
			  const char *purpose, const char *today, struct pv_err *err)
{
	struct pv_entry now;
	int found = pv_store_get(a, chosen->id, &now, err) == 0;
	if (!found && err && err->kind != PV_ERR_NOT_FOUND)
		return -1;
	if (!found || strcmp(now.sha256, chosen->sha256) != 0) {
		pv_entry_free(&now);
		pv_fail(err, PV_ERR_CONFLICT, "Entry %lld was erased while the bundle was being built, "
			   "so the bundle was not kept; build it again.", (long long)chosen->id);
		return 0;
	}
	struct pv_err why = { 0 };
	int usable = pv_entry_usable_for(&now, purpose, today, &why);
	pv_entry_free(&now);
	if (!usable)
		pv_fail(err, PV_ERR_CONFLICT, "%s It changed while the bundle was being built, "
			"so the bundle was not kept; build it again.", why.msg);
	return usable;
}

int pv_store_mark_reviewed(struct pv_archive *a, int64_t id, struct pv_err *err)
{
	char now[21], detail[64];
	struct pv_err missing = { 0 };
	pv_fail(&missing, PV_ERR_NOT_FOUND, "There is no entry %lld.", (long long)id);
	snprintf(detail, sizeof detail, "entry %lld", (long long)id);
	pv_now_iso(now);
	sqlite3_stmt *st = pv_db_prepare(a, "UPDATE entries SET reviewed_at = ? WHERE id = ?", err);
	if (st) {
		sqlite3_bind_text(st, 1, now, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 2, id);
	}
	return pv_db_change_one(a, st, &missing, "review", detail, err);
}

/* The stored photo's hash of entry id; of participant's entries only when
 * participant is set (the phone page's thumbnails). Every thumbnail asks
 * this: the statements are kept prepared (hot.c). */
static int photo_sha(struct pv_archive *a, int64_t id, const char *participant,
		     char sha256[65], struct pv_err *err)
{
	sqlite3_stmt *st = participant
		? pv_db_hot(a, PV_HOT_PHOTO_OF, "SELECT sha256 FROM entries WHERE id = ? AND "
			    "participant = ?", err)
		: pv_db_hot(a, PV_HOT_PHOTO_SHA, "SELECT sha256 FROM entries WHERE id = ?", err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (participant)
		sqlite3_bind_text(st, 2, participant, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		snprintf(sha256, 65, "%s", (const char *)sqlite3_column_text(st, 0));
	pv_db_hot_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return pv_db_fail(a, NULL, err);
	if (rc == SQLITE_ROW)
		return 0;
	return participant ? pv_fail(err, PV_ERR_NOT_FOUND, "There is no such photo of this "
				     "participant.")
			   : pv_fail(err, PV_ERR_NOT_FOUND, "There is no entry %lld in this "
				     "archive.", (long long)id);
}

int pv_store_photo_of(struct pv_archive *a, int64_t id, const char *participant,
		      char sha256[65], struct pv_err *err)
{
	/* no participant is nobody's entry, never everyone's */
	return photo_sha(a, id, participant ? participant : "", sha256, err);
}

int pv_store_photo_sha(struct pv_archive *a, int64_t id, char sha256[65], struct pv_err *err)
{
	return photo_sha(a, id, NULL, sha256, err);
}
