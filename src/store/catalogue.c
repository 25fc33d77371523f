/*
 * The SQLite catalogue: schema and numbered migrations (PRAGMA user_version),
 * entries, tags and the audit trail.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "photovoice/store.h"
#include "photovoice/util.h"
#include "store_internal.h"

/* Migration N takes the catalogue from user_version N to N+1. Never edit a
 * migration that has shipped: add a new one. */
static const char *const migrations[] = {
	/* 0 -> 1: the first catalogue */
	"CREATE TABLE entries ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  sha256 TEXT NOT NULL UNIQUE,"
	"  title TEXT, caption TEXT, story TEXT,"
	"  participant TEXT, credit TEXT,"
	"  consent TEXT NOT NULL DEFAULT 'internal'"
	"    CHECK (consent IN ('none','internal','poster','public')),"
	"  guardian INTEGER CHECK (guardian IN (0,1)),"
	"  consent_until TEXT,"
	"  width INTEGER NOT NULL, height INTEGER NOT NULL,"
	"  bytes INTEGER NOT NULL,"
	"  taken_month TEXT,"
	"  ingested_at TEXT NOT NULL);"
	"CREATE INDEX entries_by_participant ON entries(participant);"
	"CREATE TABLE tags ("
	"  entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,"
	"  tag TEXT NOT NULL,"
	"  PRIMARY KEY (entry_id, tag)) WITHOUT ROWID;"
	"CREATE INDEX tags_by_tag ON tags(tag);"
	"CREATE TABLE log ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  at TEXT NOT NULL, action TEXT NOT NULL, detail TEXT);",
};

#define SCHEMA_VERSION ((int)(sizeof migrations / sizeof *migrations))

static int exec(struct pv_archive *a, const char *sql, char *err, size_t errlen)
{
	char *msg = NULL;
	if (sqlite3_exec(a->db, sql, NULL, NULL, &msg) == SQLITE_OK)
		return 0;
	pv_set_err(err, errlen, "The catalogue could not be updated (%s).",
		   msg ? msg : "unknown error");
	sqlite3_free(msg);
	return -1;
}

static int read_user_version(struct pv_archive *a)
{
	sqlite3_stmt *st;
	int v = -1;
	if (sqlite3_prepare_v2(a->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int migrate(struct pv_archive *a, int from, char *err, size_t errlen)
{
	for (int v = from; v < SCHEMA_VERSION; v++) {
		char bump[64];
		snprintf(bump, sizeof bump, "PRAGMA user_version = %d;", v + 1);
		if (exec(a, "BEGIN IMMEDIATE;", err, errlen) != 0)
			return -1;
		if (exec(a, migrations[v], err, errlen) != 0 ||
		    exec(a, bump, err, errlen) != 0) {
			exec(a, "ROLLBACK;", NULL, 0);
			return -1;
		}
		if (exec(a, "COMMIT;", err, errlen) != 0)
			return -1;
	}
	return 0;
}

/* WAL lets readers run beside a writer; FULL sync because the original in the
 * drop folder is deleted right after a commit; secure_delete so that erased
 * text does not linger in free pages. */
static const char pragmas[] =
	"PRAGMA journal_mode = WAL;"
	"PRAGMA synchronous = FULL;"
	"PRAGMA foreign_keys = ON;"
	"PRAGMA secure_delete = ON;";

static int check_version(struct pv_archive *a, char *err, size_t errlen)
{
	int v = read_user_version(a);
	if (v < 0) {
		pv_set_err(err, errlen, "The catalogue of this archive is damaged or is not "
			   "a photovoice catalogue.");
		return -1;
	}
	if (v > SCHEMA_VERSION) {
		pv_set_err(err, errlen, "This archive was made by a newer photovoice; "
			   "update photovoice to use it.");
		return -1;
	}
	if (v < SCHEMA_VERSION) {
		if (!a->writable) {
			pv_set_err(err, errlen, "This archive needs an upgrade; run any command "
				   "that changes it (for example 'photovoice init') first.");
			return -1;
		}
		return migrate(a, v, err, errlen);
	}
	return 0;
}

int pv_catalogue_open(struct pv_archive *a, int create, char *err, size_t errlen)
{
	char *path = pv_path_join(a->dir, "catalogue.db");
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW |
		    (create ? SQLITE_OPEN_CREATE : 0);
	int rc = sqlite3_open_v2(path, &a->db, flags, NULL);
	free(path);
	if (rc != SQLITE_OK) {
		pv_set_err(err, errlen, "The archive's catalogue could not be opened (%s).",
			   a->db ? sqlite3_errmsg(a->db) : "out of memory");
		return -1;
	}
	sqlite3_busy_timeout(a->db, 10000);
	if (exec(a, pragmas, err, errlen) != 0)
		return -1;
	return check_version(a, err, errlen);
}

void pv_catalogue_close(struct pv_archive *a)
{
	if (a->db)
		sqlite3_close(a->db);
	a->db = NULL;
}

int pv_store_schema_version(struct pv_archive *a)
{
	return read_user_version(a);
}

int pv_store_begin(struct pv_archive *a, char *err, size_t errlen)
{
	return exec(a, "BEGIN IMMEDIATE;", err, errlen);
}

int pv_store_commit(struct pv_archive *a, char *err, size_t errlen)
{
	return exec(a, "COMMIT;", err, errlen);
}

int pv_store_rollback(struct pv_archive *a)
{
	return exec(a, "ROLLBACK;", NULL, 0);
}

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

enum pv_consent pv_entry_effective_consent(const struct pv_entry *e,
					   const char *today)
{
	/* An end date that has passed turns the consent into internal use only;
	 * ISO dates compare as strings. */
	if (e->consent > PV_CONSENT_INTERNAL && e->consent_until &&
	    strcmp(today, e->consent_until) > 0)
		return PV_CONSENT_INTERNAL;
	return e->consent;
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

static void bind_text_or_null(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

static int db_fail(struct pv_archive *a, sqlite3_stmt *st, char *err, size_t errlen)
{
	pv_set_err(err, errlen, "The catalogue could not be read or written (%s).",
		   sqlite3_errmsg(a->db));
	sqlite3_finalize(st);
	return -1;
}

static int insert_tags(struct pv_archive *a, const struct pv_entry *e, char *err,
		       size_t errlen)
{
	for (size_t i = 0; i < e->ntags; i++)
		if (pv_store_tag_add(a, e->id, e->tags[i], err, errlen) != 0)
			return -1;
	return 0;
}

int pv_store_add(struct pv_archive *a, struct pv_entry *e, char *err, size_t errlen)
{
	static const char sql[] =
		"INSERT INTO entries (sha256, title, caption, story, participant, credit,"
		" consent, guardian, consent_until, width, height, bytes, taken_month,"
		" ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(a->db, sql, -1, &st, NULL) != SQLITE_OK)
		return db_fail(a, NULL, err, errlen);
	char now[21];
	pv_now_iso(now);
	sqlite3_bind_text(st, 1, e->sha256, -1, SQLITE_TRANSIENT);
	bind_text_or_null(st, 2, e->title);
	bind_text_or_null(st, 3, e->caption);
	bind_text_or_null(st, 4, e->story);
	bind_text_or_null(st, 5, e->participant);
	bind_text_or_null(st, 6, e->credit);
	sqlite3_bind_text(st, 7, pv_consent_name(e->consent), -1, SQLITE_STATIC);
	if (e->guardian == PV_GUARDIAN_UNKNOWN)
		sqlite3_bind_null(st, 8);
	else
		sqlite3_bind_int(st, 8, e->guardian);
	bind_text_or_null(st, 9, e->consent_until);
	sqlite3_bind_int(st, 10, e->width);
	sqlite3_bind_int(st, 11, e->height);
	sqlite3_bind_int64(st, 12, e->bytes);
	bind_text_or_null(st, 13, e->taken_month);
	sqlite3_bind_text(st, 14, e->ingested_at ? e->ingested_at : now, -1,
			  SQLITE_TRANSIENT);
	if (sqlite3_step(st) != SQLITE_DONE)
		return db_fail(a, st, err, errlen);
	sqlite3_finalize(st);
	e->id = sqlite3_last_insert_rowid(a->db);
	return insert_tags(a, e, err, errlen);
}

int64_t pv_store_find_sha(struct pv_archive *a, const char *sha256)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(a->db, "SELECT id FROM entries WHERE sha256 = ?", -1,
			       &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, sha256, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	int64_t id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0)
				       : (rc == SQLITE_DONE ? 0 : -1);
	sqlite3_finalize(st);
	return id;
}

static char *column_text(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? pv_strdup((const char *)t) : NULL;
}

#define ENTRY_COLUMNS \
	"id, sha256, title, caption, story, participant, credit, consent," \
	" guardian, consent_until, width, height, bytes, taken_month, ingested_at"

static void entry_from_row(sqlite3_stmt *st, struct pv_entry *e)
{
	memset(e, 0, sizeof *e);
	e->id = sqlite3_column_int64(st, 0);
	snprintf(e->sha256, sizeof e->sha256, "%s",
		 (const char *)sqlite3_column_text(st, 1));
	e->title = column_text(st, 2);
	e->caption = column_text(st, 3);
	e->story = column_text(st, 4);
	e->participant = column_text(st, 5);
	e->credit = column_text(st, 6);
	int c = pv_consent_parse((const char *)sqlite3_column_text(st, 7));
	e->consent = c < 0 ? PV_CONSENT_INTERNAL : (enum pv_consent)c;
	e->guardian = sqlite3_column_type(st, 8) == SQLITE_NULL
			      ? PV_GUARDIAN_UNKNOWN : sqlite3_column_int(st, 8);
	e->consent_until = column_text(st, 9);
	e->width = sqlite3_column_int(st, 10);
	e->height = sqlite3_column_int(st, 11);
	e->bytes = sqlite3_column_int64(st, 12);
	e->taken_month = column_text(st, 13);
	e->ingested_at = column_text(st, 14);
}

static int load_tags(struct pv_archive *a, struct pv_entry *e, char *err,
		     size_t errlen)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(a->db, "SELECT tag FROM tags WHERE entry_id = ? ORDER BY tag",
			       -1, &st, NULL) != SQLITE_OK)
		return db_fail(a, NULL, err, errlen);
	sqlite3_bind_int64(st, 1, e->id);
	size_t cap = 4;
	e->tags = calloc(cap + 1, sizeof *e->tags);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (e->ntags == cap) {
			cap *= 2;
			e->tags = realloc(e->tags, (cap + 1) * sizeof *e->tags);
		}
		if (!e->tags)
			abort();
		e->tags[e->ntags++] = column_text(st, 0);
		e->tags[e->ntags] = NULL;
	}
	if (rc != SQLITE_DONE)
		return db_fail(a, st, err, errlen);
	sqlite3_finalize(st);
	return 0;
}

int pv_store_get(struct pv_archive *a, int64_t id, struct pv_entry *out, char *err,
		 size_t errlen)
{
	sqlite3_stmt *st;
	memset(out, 0, sizeof *out);
	if (sqlite3_prepare_v2(a->db, "SELECT " ENTRY_COLUMNS " FROM entries WHERE id = ?",
			       -1, &st, NULL) != SQLITE_OK)
		return db_fail(a, NULL, err, errlen);
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_finalize(st);
		return 0;
	}
	if (rc != SQLITE_ROW)
		return db_fail(a, st, err, errlen);
	entry_from_row(st, out);
	sqlite3_finalize(st);
	if (load_tags(a, out, err, errlen) != 0) {
		pv_entry_free(out);
		return -1;
	}
	return 1;
}

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
	if (l->count == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		l->items = realloc(l->items, *cap * sizeof *l->items);
		if (!l->items)
			abort();
	}
	l->items[l->count++] = *e;
}

/* Builds the WHERE clause for tags and participant; ids are handled apart. */
static char *filter_sql(const struct pv_filter *f)
{
	size_t n = 256 + f->ntags * 64;
	char *sql = malloc(n);
	if (!sql)
		abort();
	int o = snprintf(sql, n, "SELECT " ENTRY_COLUMNS " FROM entries WHERE 1");
	for (size_t i = 0; i < f->ntags; i++)
		o += snprintf(sql + o, n - (size_t)o,
			      " AND id IN (SELECT entry_id FROM tags WHERE tag = ?)");
	if (f->participant)
		o += snprintf(sql + o, n - (size_t)o, " AND participant = ?");
	snprintf(sql + o, n - (size_t)o, " ORDER BY id");
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

static int list_by_query(struct pv_archive *a, const struct pv_filter *f,
			 struct pv_entry_list *out, char *err, size_t errlen)
{
	char *sql = filter_sql(f);
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(a->db, sql, -1, &st, NULL);
	free(sql);
	if (rc != SQLITE_OK)
		return db_fail(a, NULL, err, errlen);
	if (bind_filter(st, f) != 0) {
		sqlite3_finalize(st);
		pv_set_err(err, errlen, "A tag is not valid UTF-8 text.");
		return -1;
	}
	char today[11];
	pv_today_iso(today);
	size_t cap = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct pv_entry e;
		entry_from_row(st, &e);
		if (passes_consent(f, &e, today))
			list_push(out, &cap, &e);
		else
			pv_entry_free(&e);
	}
	if (rc != SQLITE_DONE)
		return db_fail(a, st, err, errlen);
	sqlite3_finalize(st);
	for (size_t i = 0; i < out->count; i++)
		if (load_tags(a, &out->items[i], err, errlen) != 0)
			return -1;
	return 0;
}

static int list_by_ids(struct pv_archive *a, const struct pv_filter *f,
		       struct pv_entry_list *out, char *err, size_t errlen)
{
	char today[11];
	pv_today_iso(today);
	size_t cap = 0;
	for (size_t i = 0; i < f->nids; i++) {
		struct pv_entry e;
		int r = pv_store_get(a, f->ids[i], &e, err, errlen);
		if (r < 0)
			return -1;
		if (r == 0) {
			pv_set_err(err, errlen, "There is no entry %lld in this archive.",
				   (long long)f->ids[i]);
			return -1;
		}
		if (passes_consent(f, &e, today))
			list_push(out, &cap, &e);
		else
			pv_entry_free(&e);
	}
	return 0;
}

int pv_store_list(struct pv_archive *a, const struct pv_filter *f,
		  struct pv_entry_list *out, char *err, size_t errlen)
{
	out->items = NULL;
	out->count = 0;
	int r = f->nids ? list_by_ids(a, f, out, err, errlen)
			: list_by_query(a, f, out, err, errlen);
	if (r != 0)
		pv_entry_list_free(out);
	return r;
}

/* ---- tags ------------------------------------------------------------- */

char *pv_store_fold_tag(const char *tag)
{
	size_t len = strlen(tag);
	char *nfc = pv_utf8_nfc(tag, len);
	if (!nfc)
		return NULL;
	char *folded = pv_utf8_casefold(nfc);
	free(nfc);
	return folded ? pv_trim(folded) : NULL;
}

static int tag_change(struct pv_archive *a, const char *sql, int64_t id,
		      const char *tag, char *err, size_t errlen)
{
	char *folded = pv_store_fold_tag(tag);
	if (!folded || !*folded) {
		free(folded);
		pv_set_err(err, errlen, "A tag must be non-empty UTF-8 text.");
		return -1;
	}
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(a->db, sql, -1, &st, NULL) != SQLITE_OK) {
		free(folded);
		return db_fail(a, NULL, err, errlen);
	}
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, folded, -1, SQLITE_TRANSIENT);
	free(folded);
	if (sqlite3_step(st) != SQLITE_DONE)
		return db_fail(a, st, err, errlen);
	sqlite3_finalize(st);
	return 0;
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

/* ---- audit trail ------------------------------------------------------ */

int pv_store_log(struct pv_archive *a, const char *action, const char *detail)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(a->db, "INSERT INTO log (at, action, detail) VALUES (?,?,?)",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	char now[21];
	pv_now_iso(now);
	sqlite3_bind_text(st, 1, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, action, -1, SQLITE_TRANSIENT);
	bind_text_or_null(st, 3, detail);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}
