/*
 * The SQLite catalogue: schema and numbered migrations (PRAGMA user_version),
 * entries, tags and the audit trail.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "photovoice/i18n.h"
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

	/* 1 -> 2: perceptual hash, participants, edit history, bundles built,
	 * who did what, an append-only log, and full-text search.
	 * The FTS row of an entry is written by pv_store_add after its tags;
	 * triggers keep it current from then on. bundle_entries keeps entry_id
	 * after an erasure (no foreign key) so that forget can name the bundles
	 * that held it; it holds no text. */
	"ALTER TABLE entries ADD COLUMN phash TEXT;"
	"CREATE TABLE participants ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  code TEXT NOT NULL UNIQUE,"
	"  credit TEXT,"
	"  under16 INTEGER CHECK (under16 IN (0,1)));"
	"CREATE TABLE history ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,"
	"  field TEXT NOT NULL CHECK (field IN ('title','caption','story')),"
	"  old_text TEXT,"
	"  changed_at TEXT NOT NULL);"
	"CREATE INDEX history_by_entry ON history(entry_id);"
	"CREATE TABLE bundles ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  file_name TEXT NOT NULL, sha256 TEXT, purpose TEXT,"
	"  created_at TEXT NOT NULL);"
	"CREATE TABLE bundle_entries ("
	"  bundle_id INTEGER NOT NULL REFERENCES bundles(id) ON DELETE CASCADE,"
	"  entry_id INTEGER NOT NULL,"
	"  PRIMARY KEY (bundle_id, entry_id)) WITHOUT ROWID;"
	"CREATE INDEX bundle_entries_by_entry ON bundle_entries(entry_id);"
	"ALTER TABLE log ADD COLUMN actor TEXT;"
	"CREATE TRIGGER log_no_update BEFORE UPDATE ON log"
	"  BEGIN SELECT RAISE(ABORT, 'the log is append-only'); END;"
	"CREATE TRIGGER log_no_delete BEFORE DELETE ON log"
	"  BEGIN SELECT RAISE(ABORT, 'the log is append-only'); END;"
	"CREATE VIRTUAL TABLE entries_fts USING fts5("
	"  title, caption, story, tags,"
	"  tokenize = 'unicode61 remove_diacritics 2');"
	"INSERT INTO entries_fts (entries_fts, rank)"
	"  VALUES ('rank', 'bm25(3.0, 2.0, 1.0, 2.0)');"
	"INSERT INTO entries_fts (rowid, title, caption, story, tags)"
	"  SELECT id, title, caption, story,"
	"    (SELECT group_concat(tag, ' ') FROM tags WHERE entry_id = entries.id)"
	"  FROM entries;"
	"CREATE TRIGGER entries_fts_update AFTER UPDATE OF title, caption, story"
	"  ON entries BEGIN"
	"  UPDATE entries_fts SET title = new.title, caption = new.caption,"
	"    story = new.story WHERE rowid = new.id; END;"
	"CREATE TRIGGER entries_fts_delete AFTER DELETE ON entries BEGIN"
	"  DELETE FROM entries_fts WHERE rowid = old.id; END;"
	"CREATE TRIGGER tags_fts_insert AFTER INSERT ON tags BEGIN"
	"  UPDATE entries_fts SET tags = (SELECT group_concat(tag, ' ') FROM tags"
	"    WHERE entry_id = new.entry_id) WHERE rowid = new.entry_id; END;"
	"CREATE TRIGGER tags_fts_delete AFTER DELETE ON tags BEGIN"
	"  UPDATE entries_fts SET tags = (SELECT group_concat(tag, ' ') FROM tags"
	"    WHERE entry_id = old.entry_id) WHERE rowid = old.entry_id; END;"
	"CREATE TRIGGER tags_fts_change AFTER UPDATE ON tags BEGIN"
	"  UPDATE entries_fts SET tags = (SELECT group_concat(tag, ' ') FROM tags"
	"    WHERE entry_id = old.entry_id) WHERE rowid = old.entry_id;"
	"  UPDATE entries_fts SET tags = (SELECT group_concat(tag, ' ') FROM tags"
	"    WHERE entry_id = new.entry_id) WHERE rowid = new.entry_id; END;",

	/* 2 -> 3: where each text came from (pv_words_from; NULL in entries
	 * from before: not recorded), and the traces an entry left outside the
	 * archive folder: the content hash and size of its caption file, of a
	 * Live Photo's video, of an original kept in the drop folder, so that
	 * forget finds every copy under the drop folder and its quarantine by
	 * content. No name or path is kept: names can identify. */
	"ALTER TABLE entries ADD COLUMN title_from TEXT;"
	"ALTER TABLE entries ADD COLUMN caption_from TEXT;"
	"ALTER TABLE entries ADD COLUMN story_from TEXT;"
	"CREATE TABLE entry_traces ("
	"  entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,"
	"  sha256 TEXT NOT NULL, size INTEGER NOT NULL,"
	"  what TEXT NOT NULL,"
	"  PRIMARY KEY (entry_id, sha256)) WITHOUT ROWID;",

	/* 3 -> 4: the SHA-256 of each entry's thumbnail and preview as they were
	 * made, so that audit knows a derivative belongs to its photo (and
	 * repair can put one back from wherever it sits). NULL in entries from
	 * before: not recorded. */
	"ALTER TABLE entries ADD COLUMN thumb_sha256 TEXT;"
	"ALTER TABLE entries ADD COLUMN preview_sha256 TEXT;",

	/* 4 -> 5: personal links for participants (photovoice invite, the phone
	 * page of photovoice serve). The link's token itself is never kept: only
	 * its SHA-256, so a copy of the catalogue opens no link. And what the
	 * privacy rewrite found and took out of each photo, as a comma list of
	 * pv_find_group_name ("location,device,dates"; "" when nothing; NULL in
	 * entries from before: not recorded), for the participant's own page
	 * and staff review. */
	"CREATE TABLE invitations ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  participant TEXT NOT NULL,"
	"  token_hash TEXT NOT NULL UNIQUE,"
	"  created_at TEXT NOT NULL,"
	"  valid_until TEXT NOT NULL,"
	"  revoked_at TEXT);"
	"CREATE INDEX invitations_by_participant ON invitations(participant);"
	"ALTER TABLE entries ADD COLUMN removed TEXT;",

	/* 5 -> 6: staff accounts for the workspace of photovoice serve. Only
	 * the Argon2id hash of a password is kept (libsodium's
	 * crypto_pwhash_str form, which names its own parameters). Sessions
	 * live in the server's memory, never here. And when staff last
	 * reviewed each entry (NULL: not yet, or changed by its participant
	 * since, such as a withdrawal); entries from before count as reviewed. */
	"CREATE TABLE staff ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  name TEXT NOT NULL UNIQUE,"
	"  password_hash TEXT NOT NULL,"
	"  created_at TEXT NOT NULL);"
	"ALTER TABLE entries ADD COLUMN reviewed_at TEXT;"
	"UPDATE entries SET reviewed_at = ingested_at;",

	/* 6 -> 7: posters saved in the builder of photovoice serve, to open
	 * again and export as a spec. An entry's row goes with the entry
	 * (ON DELETE CASCADE): an erased entry leaves no line, and no caption
	 * written for it, in any saved poster. */
	"CREATE TABLE posters ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  name TEXT NOT NULL,"
	"  title TEXT, subtitle TEXT,"
	"  paper INTEGER, landscape INTEGER, columns INTEGER,"
	"  saved_at TEXT NOT NULL, saved_by TEXT);"
	"CREATE TABLE poster_entries ("
	"  poster_id INTEGER NOT NULL REFERENCES posters(id) ON DELETE CASCADE,"
	"  position INTEGER NOT NULL,"
	"  entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,"
	"  caption TEXT,"
	"  PRIMARY KEY (poster_id, position)) WITHOUT ROWID;"
	"CREATE INDEX poster_entries_by_entry ON poster_entries(entry_id);",
};

#define SCHEMA_VERSION ((int)(sizeof migrations / sizeof *migrations))
_Static_assert(SCHEMA_VERSION == PV_SCHEMA_VERSION, "PV_SCHEMA_VERSION is the number of migrations");

/* SQLite's own words are for programmers: a person reads what happened and
 * what to do. */
const char *pv_db_sentence(int code)
{
	switch (code & 0xff) {
	case SQLITE_FULL:
		return _("the disk is full; make room and try again");
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return _("another program is using the catalogue; try again when it has finished");
	case SQLITE_READONLY:
	case SQLITE_PERM:
	case SQLITE_CANTOPEN:
	case SQLITE_AUTH:
		return _("the catalogue cannot be written here (a read-only disk, or no permission)");
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return _("the catalogue is damaged; run 'photovoice audit' and put catalogue.db "
		       "back from a backup");
	case SQLITE_IOERR:
		return _("the disk could not be read or written");
	case SQLITE_NOMEM:
		return _("there was not enough memory");
	case SQLITE_CONSTRAINT:
		return _("the change breaks a rule of the catalogue (for example, something that "
		       "must be there only once)");
	default:
		return _("something unexpected went wrong in the catalogue");
	}
}

int pv_db_exec(struct pv_archive *a, const char *sql, struct pv_err *err)
{
	int rc = sqlite3_exec(a->db, sql, NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		return 0;
	pv_fail(err, PV_ERR_ARCHIVE, "The catalogue could not be updated: %s.",
		   pv_db_sentence(sqlite3_extended_errcode(a->db)));
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

static int migrate(struct pv_archive *a, int from, struct pv_err *err)
{
	for (int v = from; v < SCHEMA_VERSION; v++) {
		char bump[64];
		snprintf(bump, sizeof bump, "PRAGMA user_version = %d;", v + 1);
		if (pv_db_exec(a, "BEGIN IMMEDIATE;", err) != 0)
			return -1;
		if (pv_db_exec(a, migrations[v], err) != 0 ||
		    pv_db_exec(a, bump, err) != 0) {
			pv_db_exec(a, "ROLLBACK;", NULL);
			return -1;
		}
		if (pv_db_exec(a, "COMMIT;", err) != 0)
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

static int log_migration(struct pv_archive *a, int from)
{
	char detail[64];
	if (from == 0)
		snprintf(detail, sizeof detail, "catalogue created (schema %d)", SCHEMA_VERSION);
	else
		snprintf(detail, sizeof detail, "catalogue upgraded from schema %d to %d", from,
			 SCHEMA_VERSION);
	return pv_store_log(a, from == 0 ? "init" : "upgrade", detail);
}

static int check_version(struct pv_archive *a, struct pv_err *err)
{
	int v = read_user_version(a);
	if (v < 0) {
		pv_fail(err, PV_ERR_ARCHIVE, "The catalogue of this archive is damaged or is not "
			   "a photovoice catalogue.");
		return -1;
	}
	if (v > SCHEMA_VERSION) {
		pv_fail(err, PV_ERR_ARCHIVE, "This archive was made by a newer photovoice; "
			   "update photovoice to use it.");
		return -1;
	}
	if (v < SCHEMA_VERSION) {
		if (!a->writable) {
			pv_fail(err, PV_ERR_ARCHIVE, "This archive needs an upgrade; run any command "
				   "that changes it (for example 'photovoice init') first.");
			return -1;
		}
		if (migrate(a, v, err) != 0)
			return -1;
		if (log_migration(a, v) != 0) {
			pv_fail(err, PV_ERR_ARCHIVE, "The archive's log could not be written.");
			return -1;
		}
	}
	return 0;
}

int pv_catalogue_open(struct pv_archive *a, int create, int one_thread, struct pv_err *err)
{
	/* a->dir is a real path (archive.c): NOFOLLOW refuses only a
	 * catalogue file that is itself a link */
	char *path = pv_path_join(a->dir, "catalogue.db");
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW |
		    (create ? SQLITE_OPEN_CREATE : 0) | (one_thread ? SQLITE_OPEN_NOMUTEX : 0);
	pv_db_configure_once();
	int rc = sqlite3_open_v2(path, &a->db, flags, NULL);
	free(path);
	if (rc != SQLITE_OK) {
		pv_fail(err, PV_ERR_ARCHIVE, "The archive's catalogue could not be opened: %s.",
			   pv_db_sentence(a->db ? sqlite3_extended_errcode(a->db) : SQLITE_NOMEM));
		return -1;
	}
	sqlite3_busy_timeout(a->db, PV_BUSY_TIMEOUT_MS);
	if (pv_db_exec(a, pragmas, err) != 0)
		return -1;
	if (pv_rank_register(a->db) != 0) {
		pv_fail(err, PV_ERR_ARCHIVE, "This SQLite has no full-text search (FTS5); "
			   "photovoice needs it.");
		return -1;
	}
	return check_version(a, err);
}

void pv_catalogue_close(struct pv_archive *a)
{
	pv_db_hot_close(a);
	if (a->db)
		sqlite3_close(a->db);
	a->db = NULL;
}

int pv_store_schema_version(struct pv_archive *a)
{
	return read_user_version(a);
}

/* ---- transactions ------------------------------------------------------ */

/* Every store function that writes is all or nothing. It runs in a
 * transaction of its own, or, when its caller has one open (ingest's batch,
 * edit's several fields, tag's several tags), in a SAVEPOINT inside it: a
 * failure then undoes that function's work (an entry's row, tags and search
 * text together) and nothing of the work before it. */
int pv_store_begin(struct pv_archive *a, struct pv_err *err)
{
	if (pv_test_fail("begin"))
		return pv_db_injected(a, "begin", err);
	if (sqlite3_get_autocommit(a->db)) {
		a->savepoints = 0;
		return pv_db_exec(a, "BEGIN IMMEDIATE;", err);
	}
	if (pv_db_exec(a, "SAVEPOINT pv_step;", err) != 0)
		return -1;
	a->savepoints++;
	return 0;
}

int pv_store_commit(struct pv_archive *a, struct pv_err *err)
{
	if (pv_test_fail("commit"))
		return pv_db_injected(a, "commit", err);
	if (a->savepoints == 0)
		return pv_db_exec(a, "COMMIT;", err);
	if (pv_db_exec(a, "RELEASE pv_step;", err) != 0)
		return -1;
	a->savepoints--;
	return 0;
}

/* Undoes the innermost begin. An error that made SQLite end the whole
 * transaction leaves nothing to undo. */
int pv_store_rollback(struct pv_archive *a)
{
	if (sqlite3_get_autocommit(a->db)) {
		a->savepoints = 0;
		return 0;
	}
	if (a->savepoints == 0)
		return pv_db_exec(a, "ROLLBACK;", NULL);
	a->savepoints--;
	return pv_db_exec(a, "ROLLBACK TO pv_step; RELEASE pv_step;", NULL);
}


/* ---- small SQLite helpers shared by the store's files ------------------ */

int pv_db_injected(struct pv_archive *a, const char *point, struct pv_err *err)
{
	(void)a;
	pv_fail(err, PV_ERR_ARCHIVE, "The catalogue could not be changed: this test build was "
		   "told to make a %s fail, and nothing of the change was kept.", point);
	return -1;
}

int pv_db_fail(struct pv_archive *a, sqlite3_stmt *st, struct pv_err *err)
{
	sqlite3_finalize(st);
	if (a->injected) {
		a->injected = 0;
		return pv_db_injected(a, "write", err);
	}
	pv_fail(err, PV_ERR_ARCHIVE, "The catalogue could not be read or written: %s.",
		   pv_db_sentence(sqlite3_extended_errcode(a->db)));
	return -1;
}

sqlite3_stmt *pv_db_prepare(struct pv_archive *a, const char *sql, struct pv_err *err)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(a->db, sql, -1, &st, NULL) != SQLITE_OK) {
		pv_db_fail(a, st, err);
		return NULL;
	}
	return st;
}

/* Every statement that changes the catalogue passes here: the place where a
 * test build makes the Nth write fail (PV_TEST_FAIL=write:N). */
int pv_db_step(struct pv_archive *a, sqlite3_stmt *st)
{
	if (!sqlite3_stmt_readonly(st) && pv_test_fail("write")) {
		a->injected = 1;
		return SQLITE_IOERR;
	}
	return sqlite3_step(st);
}

int pv_db_run(struct pv_archive *a, sqlite3_stmt *st, struct pv_err *err)
{
	if (pv_db_step(a, st) != SQLITE_DONE)
		return pv_db_fail(a, st, err);
	sqlite3_finalize(st);
	return 0;
}

void pv_db_bind_text_or_null(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

char *pv_db_column_text(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? pv_strdup((const char *)t) : NULL;
}

void *pv_grow(void *items, size_t count, size_t *cap, size_t size)
{
	if (count < *cap)
		return items;
	*cap = *cap ? *cap * 2 : 16;
	items = realloc(items, *cap * size);
	if (!items)
		abort();
	return items;
}

int pv_db_begin_if_needed(struct pv_archive *a, int *own, struct pv_err *err)
{
	*own = 1;
	return pv_store_begin(a, err);
}

int pv_db_end(struct pv_archive *a, int own, int ok, struct pv_err *err)
{
	if (!own)
		return ok ? 0 : -1;
	if (ok && pv_store_commit(a, err) == 0)
		return 0;
	pv_store_rollback(a);
	return -1;
}

int pv_db_change_one(struct pv_archive *a, sqlite3_stmt *st, const struct pv_err *missing,
		     const char *action, const char *detail, struct pv_err *err)
{
	int own;
	if (!st || pv_db_begin_if_needed(a, &own, err) != 0) {
		sqlite3_finalize(st);
		return -1;
	}
	int ok = pv_db_run(a, st, err) == 0;
	if (ok && sqlite3_changes(a->db) == 0) {
		if (err)
			*err = *missing;
		ok = 0;
	}
	ok = ok && pv_store_log_err(a, action, detail, err) == 0;
	return pv_db_end(a, own, ok, err);
}

/* ---- audit trail ------------------------------------------------------ */

int pv_store_log_err(struct pv_archive *a, const char *action, const char *detail,
		     struct pv_err *err)
{
	sqlite3_stmt *st = pv_db_prepare(a, "INSERT INTO log (at, action, detail, actor)"
					 " VALUES (?,?,?,?)", err);
	if (!st)
		return -1;
	char now[21];
	pv_now_iso(now);
	sqlite3_bind_text(st, 1, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, action, -1, SQLITE_TRANSIENT);
	pv_db_bind_text_or_null(st, 3, detail);
	pv_db_bind_text_or_null(st, 4, a->actor);
	return pv_db_run(a, st, err);
}

int pv_store_log(struct pv_archive *a, const char *action, const char *detail)
{
	return pv_store_log_err(a, action, detail, NULL);
}

void pv_log_events_free(struct pv_log_events *l)
{
	for (size_t i = 0; i < l->count; i++) {
		free(l->items[i].at);
		free(l->items[i].actor);
		free(l->items[i].action);
		free(l->items[i].detail);
	}
	free(l->items);
	l->items = NULL;
	l->count = 0;
}

/* Every row of st (id, at, actor, action, detail) into out; finalizes st. */
static int read_events(struct pv_archive *a, sqlite3_stmt *st, struct pv_log_events *out,
		       struct pv_err *err)
{
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		out->items = pv_grow(out->items, out->count, &cap, sizeof *out->items);
		out->items[out->count++] = (struct pv_log_event){
			.id = sqlite3_column_int64(st, 0),
			.at = pv_db_column_text(st, 1),
			.actor = pv_db_column_text(st, 2),
			.action = pv_db_column_text(st, 3),
			.detail = pv_db_column_text(st, 4),
		};
	}
	if (rc != SQLITE_DONE) {
		pv_log_events_free(out);
		return pv_db_fail(a, st, err);
	}
	sqlite3_finalize(st);
	return 0;
}

int pv_store_log_read(struct pv_archive *a, struct pv_log_events *out, struct pv_err *err)
{
	out->items = NULL;
	out->count = 0;
	sqlite3_stmt *st = pv_db_prepare(a, "SELECT id, at, actor, action, detail FROM log"
					 " ORDER BY id", err);
	return st ? read_events(a, st, out, err) : -1;
}

int pv_store_log_read_page(struct pv_archive *a, size_t page, size_t per,
			   struct pv_log_events *out, size_t *total, struct pv_err *err)
{
	out->items = NULL;
	out->count = 0;
	*total = 0;
	if (page < 1 || per < 1)
		return pv_fail(err, PV_ERR_USAGE, "There is no such page number.");
	sqlite3_stmt *st = pv_db_prepare(a, "SELECT count(*) FROM log", err);
	if (!st)
		return -1;
	if (sqlite3_step(st) != SQLITE_ROW)
		return pv_db_fail(a, st, err);
	*total = (size_t)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	st = pv_db_prepare(a, "SELECT id, at, actor, action, detail FROM"
			   " (SELECT * FROM log ORDER BY id DESC LIMIT ?1 OFFSET ?2) ORDER BY id",
			   err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)per);
	/* a page far past the end: an offset past every event, never a wrap */
	sqlite3_bind_int64(st, 2, page - 1 > (size_t)INT64_MAX / per ? INT64_MAX
				  : (sqlite3_int64)((page - 1) * per));
	return read_events(a, st, out, err);
}
