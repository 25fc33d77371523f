/* Shared between the store's own files; not part of the public API. */
#ifndef PV_STORE_INTERNAL_H
#define PV_STORE_INTERNAL_H

#include <sqlite3.h>

#include "photovoice/store.h"
#include <stddef.h>
#include <stdint.h>

/* The statements of the hot path (hot.c), kept prepared per handle. */
enum pv_hot {
	PV_HOT_INVITE_BY_HASH, PV_HOT_PHOTO_OF, PV_HOT_PHOTO_SHA,
	PV_HOT_READ_BEGIN, PV_HOT_READ_END,
	PV_HOT_RANK_NEWEST, PV_HOT_GET_PAGE, PV_HOT_GET_CARDS,
	PV_HOT_COUNT
};

struct pv_archive {
	char *dir;
	char *drop_dir;
	char *tmp_dir;
	char *media_dir;
	char *actor;      /* login name of who runs the command, for the log */
	int lock_fd;
	int writable;
	sqlite3 *db;
	int savepoints;   /* SAVEPOINTs open inside the transaction */
	int injected;     /* the last write failed by PV_TEST_FAIL (test builds) */
	sqlite3_stmt *hot[PV_HOT_COUNT];   /* hot.c; finalized at close */
	int reading;      /* in a read transaction of pv_store_read_begin */
};

/* How long a command waits for another's short SQLite lock. */
#define PV_BUSY_TIMEOUT_MS 10000

/* Makes the folder path (0700) or checks that it is one (archive.c). */
int pv_archive_make_dir(const char *path, struct pv_err *err);

int pv_catalogue_open(struct pv_archive *a, int create, int one_thread, struct pv_err *err);
void pv_catalogue_close(struct pv_archive *a);

/* The hot path (hot.c). SQLite set up for this process, once, before its
 * first connection. */
void pv_db_configure_once(void);
/* Statement which of the handle, prepared from sql on first use and kept
 * (never finalize it); end every use with pv_db_hot_done, which resets it
 * and returns what sqlite3_reset gives. NULL with err set on failure. */
sqlite3_stmt *pv_db_hot(struct pv_archive *a, enum pv_hot which, const char *sql,
			struct pv_err *err);
int pv_db_hot_done(sqlite3_stmt *st);
void pv_db_hot_close(struct pv_archive *a);

/* Small SQLite helpers (catalogue.c). */
/* What an SQLite result code means, for a person (never SQLite's text). */
const char *pv_db_sentence(int code);
int pv_db_exec(struct pv_archive *a, const char *sql, struct pv_err *err);
/* Sets err from the connection's last error, finalizes st (may be NULL). */
int pv_db_fail(struct pv_archive *a, sqlite3_stmt *st, struct pv_err *err);
/* Prepares sql; on failure sets err and returns NULL. */
sqlite3_stmt *pv_db_prepare(struct pv_archive *a, const char *sql, struct pv_err *err);
/* Steps a statement that returns no rows and finalizes it. */
int pv_db_run(struct pv_archive *a, sqlite3_stmt *st, struct pv_err *err);
/* sqlite3_step, through the fault-injection point of test builds when the
 * statement writes. */
int pv_db_step(struct pv_archive *a, sqlite3_stmt *st);
/* The sentence for a failure made on purpose by PV_TEST_FAIL; returns -1. */
int pv_db_injected(struct pv_archive *a, const char *point, struct pv_err *err);
void pv_db_bind_text_or_null(sqlite3_stmt *st, int i, const char *s);
char *pv_db_column_text(sqlite3_stmt *st, int i);   /* malloc'd or NULL */

/* Room for one more item in a growing array: doubles *cap when count has
 * reached it; aborts when memory runs out. Returns the (moved) array. */
void *pv_grow(void *items, size_t count, size_t *cap, size_t size);

/* Starts a transaction, or a SAVEPOINT when one is open (always *own = 1);
 * pv_db_end commits or releases it when ok, else undoes it. */
int pv_db_begin_if_needed(struct pv_archive *a, int *own, struct pv_err *err);
int pv_db_end(struct pv_archive *a, int own, int ok, struct pv_err *err);

/* Runs st, a statement that changes one row (prepared and bound; NULL when
 * preparing it failed, err set), and writes action with detail in the log,
 * in one transaction (pv_db_begin_if_needed); st is finalized. When st
 * changed no row, nothing is logged and err gets *missing: the caller's
 * "there is no such ..." sentence, made with pv_fail so that it is said in
 * the reader's language. */
int pv_db_change_one(struct pv_archive *a, sqlite3_stmt *st, const struct pv_err *missing,
		     const char *action, const char *detail, struct pv_err *err);

/* The entries ids, into out[0..n) in that order, with one statement (the
 * grid's page: browse.c); PV_ERR_NOT_FOUND when one is missing. */
int pv_store_get_many(struct pv_archive *a, const int64_t *ids, size_t n,
		      struct pv_entry *out, struct pv_err *err);
/* The same, cards only (pv_browse.cards): id, title, participant, consent,
 * guardian, consent_until, under16 and words_from, caption and story ""
 * when there is one; every other field empty. */
int pv_store_get_cards(struct pv_archive *a, const int64_t *ids, size_t n,
		       struct pv_entry *out, struct pv_err *err);

/* Writes entry id's search row from its row and tags (entries.c); the
 * entry must have none. */
int pv_store_fts_row_add(struct pv_archive *a, int64_t id, struct pv_err *err);

/* audit: one more problem in the report (audit.c); the search index and the
 * tags checked, and with repair put right (audit_words.c). */
struct pv_audit_problem *pv_audit_problem_add(struct pv_audit_report *r,
					      enum pv_audit_kind kind,
					      int64_t id, const char *rel,
					      const char *what);
int pv_audit_words(struct pv_archive *a, int repair, struct pv_audit_report *r,
		   struct pv_err *err);
/* The media store and tmp/ (audit_media.c). */
int pv_audit_media(struct pv_archive *a, int repair, struct pv_audit_report *r,
		   struct pv_err *err);
const char *pv_audit_relative(const struct pv_archive *a, const char *path);
/* The catalogue's columns holding the derivatives' hashes (thumb, preview). */
#define PV_AUDIT_DERIVED_COLUMNS "thumb_sha256, preview_sha256"

/* The number of participant code's record, made when missing (not logged:
 * the caller logs the change it makes it for); -1 on error. */
int64_t pv_participant_record(struct pv_archive *a, const char *code, struct pv_err *err);

/* Registers pv_rank (rank.c), the ranking function of full-text search. */
int pv_rank_register(sqlite3 *db);

/* A media file name with a kind: media/ab/<sha>.jpg or <sha>.<kind>.jpg. */
char *pv_archive_file_path(const struct pv_archive *a, const char *sha256,
			   const char *kind);

/* Test builds (-DPV_TEST_HOOKS, testfail.c): 1 when this pass through the
 * named catalogue write point ("begin", "write", "commit") is the one
 * PV_TEST_FAIL=point:N asks to fail. Always 0 in the shipped program. */
int pv_test_fail(const char *point);

#endif
