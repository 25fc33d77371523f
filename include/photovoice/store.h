/*
 * photovoice/store.h - the archive: folder layout, the SQLite catalogue with its
 * schema migrations, the content-addressed media store, and catalogue queries.
 * Return 0 on success, -1 on failure with one sentence in err.
 */
#ifndef PHOTOVOICE_STORE_H
#define PHOTOVOICE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "photovoice/err.h"

enum pv_consent {
	PV_CONSENT_NONE,
	PV_CONSENT_INTERNAL,
	PV_CONSENT_POSTER,
	PV_CONSENT_PUBLIC,
};

/* Parse "none"/"internal"/"poster"/"public" (and Dutch "geen", "intern",
 * "openbaar"); -1 when unknown. */
int pv_consent_parse(const char *s);
const char *pv_consent_name(enum pv_consent c);

enum pv_guardian { PV_GUARDIAN_UNKNOWN = -1, PV_GUARDIAN_NO = 0, PV_GUARDIAN_YES = 1 };

/* Where an entry's title, caption or story came from. Text read from inside
 * the photo (EXIF, XMP, IPTC) often holds a place, an address or a full
 * name, so it never speaks for the participant until a person confirms it. */
enum pv_words_from {
	PV_FROM_UNRECORDED,  /* ingested before photovoice recorded it */
	PV_FROM_PARTICIPANT, /* the participant's caption file */
	PV_FROM_PHOTO,       /* read from inside the photo, not yet confirmed */
	PV_FROM_CONFIRMED,   /* read from inside the photo, confirmed by staff */
	PV_FROM_STAFF,       /* written by staff (edit) */
};
/* "participant", "photo", "photo, confirmed", "staff"; NULL for unrecorded */
const char *pv_words_from_name(enum pv_words_from f);

/* One catalogue entry. Strings are owned (malloc'd), may be NULL. */
struct pv_entry {
	int64_t id;
	char sha256[65];       /* of the stored file, also its name in media/ */
	char *title;
	char *caption;
	char *story;
	char *participant;
	char *credit;
	enum pv_consent consent;
	int guardian;          /* enum pv_guardian */
	char *consent_until;   /* "YYYY-MM-DD" or NULL */
	int width, height;
	int64_t bytes;
	char *taken_month;     /* "YYYY-MM" or NULL */
	char *ingested_at;     /* ISO 8601 UTC */
	char phash[17];        /* perceptual hash, 16 hex digits; "" when none */
	/* SHA-256 of the thumbnail and the preview as they were made (written by
	 * pv_store_add, checked by audit); "" when not known */
	char thumb_sha256[65];
	char preview_sha256[65];
	char **tags;           /* sorted, NULL-terminated */
	size_t ntags;
	/* enum pv_words_from of the title, caption and story (index: enum
	 * pv_text_field); meaningful where that text is set */
	int words_from[3];
	/* Read from the participant's record (pv_store_get/list), never written
	 * by pv_store_add: the participant is marked under 16. */
	int under16;
	/* What the privacy rewrite found and took out of the photo: a comma list
	 * of pv_find_group_name ("location,device,dates"), "" when nothing, NULL
	 * when not recorded (entries from before schema 5). */
	char *removed;
	/* When staff last marked it reviewed (ISO 8601 UTC); NULL: not yet, or
	 * its participant changed it since (a withdrawal). */
	char *reviewed_at;
	/* Set only by lists of entries not yet reviewed (pv_filter.unreviewed):
	 * its participant withdrew consent from their own link. */
	int withdrawn;
};

void pv_entry_free(struct pv_entry *e);   /* frees members, not e itself */

struct pv_entry_list {
	struct pv_entry *items;
	size_t count;
};
void pv_entry_list_free(struct pv_entry_list *l);

/* Consent that counts today: `internal` once consent_until has passed, and
 * `internal` for poster/public when the participant is marked under 16 and
 * no guardian consent ("yes") is recorded. */
enum pv_consent pv_entry_effective_consent(const struct pv_entry *e,
					   const char *today /* YYYY-MM-DD */);

/* Why the effective consent is lower than the stated one, if it is. */
enum pv_consent_limit {
	PV_LIMIT_NONE,       /* the stated consent counts */
	PV_LIMIT_EXPIRED,    /* consent_until has passed */
	PV_LIMIT_GUARDIAN,   /* under 16 without the guardian's yes */
};
enum pv_consent_limit pv_entry_consent_limit(const struct pv_entry *e,
					     const char *today);

/* "expired" or "guardian": why less than the stated consent counts today;
 * NULL when the stated consent counts. */
const char *pv_entry_limit_word(const struct pv_entry *e, const char *today);
/* The entry as JSON (a jansson json_t *, new reference): the one shape of
 * `list --json`, `show --json` and the staff pages of serve. */
struct json_t;
struct json_t *pv_entry_json(const struct pv_entry *e);
/* The other shared JSON shapes (entry_json.c), each the one of its command's
 * --json and of the staff page with the same data: */
struct pv_history;
struct pv_forget_report;
struct pv_log_events;
struct pv_tag_counts;
struct pv_participants;
struct json_t *pv_history_json(const struct pv_history *h);         /* show --history */
struct json_t *pv_forget_report_json(const struct pv_forget_report *r);   /* forget */
struct json_t *pv_bundle_refs_json(const struct pv_forget_report *r);     /* its bundles */
struct json_t *pv_log_json(const struct pv_log_events *l);          /* log */
struct json_t *pv_tag_counts_json(const struct pv_tag_counts *c);   /* tags */
struct json_t *pv_participants_json(const struct pv_participants *p);   /* participants */

/* 1 when a title, caption or story of e was read from inside the photo and
 * no person has confirmed or replaced it yet. */
int pv_entry_has_unconfirmed_words(const struct pv_entry *e);

/* Whether e may go into a bundle for purpose ("poster" or "internal") today:
 * 1 when it may; 0 when not, with PV_ERR_NOT_ALLOWED and one sentence naming
 * the entry and why ("Entry 5 cannot go on a poster: its consent is
 * 'internal', which does not allow this use."). A poster needs poster or
 * public consent that counts today, and words that are the participant's or
 * confirmed by a person. */
int pv_entry_usable_for(const struct pv_entry *e, const char *purpose,
			const char *today, struct pv_err *err);

struct pv_archive;   /* opaque */

/* Checked again, under the write lock, just before a bundle is recorded and
 * named: entry `chosen` (as read when the bundle was started) still exists
 * with the same photo and may still be used for purpose today. 1 when it
 * may; 0 when it was erased or changed, with a sentence in err; -1 on error. */
int pv_store_still_usable(struct pv_archive *a, const struct pv_entry *chosen,
			  const char *purpose, const char *today, struct pv_err *err);

enum pv_open_mode {
	PV_OPEN_READ,        /* shared access, read-only catalogue */
	PV_OPEN_READ_ONE_THREAD, /* as PV_OPEN_READ, for a handle only one thread
				    ever uses (serve keeps one per thread):
				    SQLite then skips the lock of every call */
	PV_OPEN_WRITE,       /* takes the write lock; waits for it */
	PV_OPEN_WRITE_NOWAIT /* takes the write lock within PV_LOCK_TURN_MS, or fails
			        (PV_ERR_BUSY) */
};
/* How long a write that does not wait waits for its turn all the same:
 * `serve` ingests in batches that hold the lock about this long. */
#define PV_LOCK_TURN_MS 5000

/* Create the archive (idempotent): DIR (0700), DIR/catalogue.db, DIR/media,
 * DIR/tmp, DIR/drop, DIR/drop/.quarantine. */
int pv_archive_init(const char *dir, struct pv_err *err);

/* Returns NULL and err when missing, locked (NOWAIT) or damaged. */
struct pv_archive *pv_archive_open(const char *dir, enum pv_open_mode mode,
				   struct pv_err *err);
void pv_archive_close(struct pv_archive *a);
/* Who every line this handle writes to the log names: by default the login
 * name of the process (the command line); the web server sets the staff
 * member's name. Every change the store makes writes its own line. */
void pv_archive_set_actor(struct pv_archive *a, const char *actor);

const char *pv_archive_drop_dir(const struct pv_archive *a);
/* malloc'd path of a stored photo: DIR/media/ab/abcdef....jpg */
char *pv_archive_media_path(const struct pv_archive *a, const char *sha256);

/* Store photo bytes under their SHA-256 (atomic). Fills sha256. A new file
 * is not synced on its own: call pv_archive_sync, once for a batch, before a
 * catalogue row may point at it. A file already there with the same bytes
 * is left alone; one with other bytes is replaced with its own sync. */
int pv_archive_put_media(struct pv_archive *a, const void *data, size_t len,
			 char sha256[65], struct pv_err *err);

/* Derived files of a stored photo, beside it in the media store:
 * DIR/media/ab/<sha256>.<kind>.jpg with kind "thumb" or "preview".
 * put_derived is atomic, and synced (or not yet), like put_media. */
char *pv_archive_derived_path(const struct pv_archive *a, const char *sha256,
			      const char *kind);
int pv_archive_put_derived(struct pv_archive *a, const char *sha256,
			   const char *kind, const void *data, size_t len,
			   struct pv_err *err);
/* Makes every file put so far durable (one sync of the media store's file
 * system, however many files): before a COMMIT that points at them. */
int pv_archive_sync(struct pv_archive *a, struct pv_err *err);

/* The longest words the catalogue keeps, in bytes of UTF-8. */
#define PV_MAX_TAG_BYTES 200
#define PV_MAX_CODE_BYTES 200                  /* a participant code */
#define PV_MAX_TITLE_BYTES 1000                /* also a credit line */
#define PV_MAX_CAPTION_BYTES 10000
#define PV_MAX_STORY_BYTES ((size_t)1024 * 1024)

/* Whether the catalogue would keep an entry's words, checked before anything
 * is written: texts valid UTF-8 and within their limits, each tag one the
 * store keeps (pv_store_check_tag), a usable participant code, real dates.
 * 0, or -1 with a sentence naming what is wrong. Ingest asks it before it
 * stores a photo; pv_store_add asks it too. */
int pv_store_check_entry(const struct pv_entry *e, struct pv_err *err);
/* A tag: no control character (a tab, a line break), not empty once folded,
 * at most PV_MAX_TAG_BYTES. */
int pv_store_check_tag(const char *tag, struct pv_err *err);
/* A participant code (NULL passes): valid UTF-8, at most PV_MAX_CODE_BYTES,
 * not empty, no '/' and no control character, so that it can name a folder. */
int pv_store_check_participant(const char *code, struct pv_err *err);
/* One text: valid UTF-8, at most max bytes; what names it in the sentence. */
int pv_store_check_text(const char *what, const char *text, size_t max, struct pv_err *err);

/* Catalogue. pv_store_add sets e->id; all of the entry or nothing of it (a
 * SAVEPOINT inside a caller's transaction). Wrap several in begin/commit;
 * begin inside an open transaction makes a SAVEPOINT, and commit/rollback
 * end just that. */
int pv_store_begin(struct pv_archive *a, struct pv_err *err);
int pv_store_commit(struct pv_archive *a, struct pv_err *err);
int pv_store_rollback(struct pv_archive *a);
/* Reads that belong together (one web request: its link, then its page or
 * photo) as one snapshot of the catalogue, in one read transaction: one
 * lock of the catalogue instead of one per statement. Only for reading:
 * nothing written through a instead of beside it. read_end always ends it
 * (nothing happens when read_begin failed or was inside a transaction). */
int pv_store_read_begin(struct pv_archive *a, struct pv_err *err);
void pv_store_read_end(struct pv_archive *a);
int pv_store_add(struct pv_archive *a, struct pv_entry *e, struct pv_err *err);
/* id of the entry with this stored-file hash, 0 when none, -1 on error */
int64_t pv_store_find_sha(struct pv_archive *a, const char *sha256);
/* 0 with out filled (free it with pv_entry_free); -1 when there is none
 * (PV_ERR_NOT_FOUND) or on error */
int pv_store_get(struct pv_archive *a, int64_t id, struct pv_entry *out,
		 struct pv_err *err);

struct pv_filter {
	const char *const *tags; /* all must match */
	size_t ntags;
	const int64_t *ids;     /* when set: exactly these, in this order */
	size_t nids;
	const char *participant;
	int min_consent;        /* -1: any; else effective consent >= this */
	int exact_consent;      /* -1: any; else effective consent == this */
	int unreviewed;         /* only entries not reviewed yet (GET /review):
				   withdrawals by a participant first, then
				   oldest first */
};

int pv_store_list(struct pv_archive *a, const struct pv_filter *f,
		  struct pv_entry_list *out, struct pv_err *err);

/* One page of the catalogue as the staff workspace's grid shows it: the
 * entries that match the filter (tags, participant, consent as it counts
 * today; ids are not used) and, when query is set, the full-text search in
 * the language of pv_store_search (ranked as `photovoice search` ranks: the
 * newest PV_BROWSE_WINDOW matches). Without a query, newest first. */
#define PV_BROWSE_PER_PAGE 60
#define PV_BROWSE_MAX_PER_PAGE 200
#define PV_BROWSE_WINDOW 500
struct pv_browse {
	const char *query;          /* NULL or "": every entry */
	struct pv_filter filter;
	size_t page;                /* 1 is the first; 0 counts as 1 */
	size_t per_page;            /* 0 (or over the most): PV_BROWSE_PER_PAGE */
	int cards;                  /* read what a card of the grid shows only: id,
				       title, participant, what decides the consent
				       that counts today (consent, guardian,
				       consent_until, under16) and whether its words
				       wait for confirmation (words_from; caption and
				       story "" when there is one); the rest empty */
};
struct pv_browse_page {
	struct pv_entry_list entries;   /* the page, in order */
	int64_t total;                  /* entries that match, on every page */
	size_t page, pages;             /* this page (1-based); how many (>= 1) */
	int more;                       /* the search matched more than it ranked */
};
/* -1 with PV_ERR_USAGE when the query is not understood (a sentence saying
 * how to write it), PV_ERR_INPUT for a tag or participant that is not text. */
int pv_store_browse(struct pv_archive *a, const struct pv_browse *b,
		    struct pv_browse_page *out, struct pv_err *err);
void pv_browse_page_free(struct pv_browse_page *p);

/* The stored photo's hash of entry id (for the staff workspace's thumbnails:
 * one indexed row). PV_ERR_NOT_FOUND when there is no such entry. */
int pv_store_photo_sha(struct pv_archive *a, int64_t id, char sha256[65],
		       struct pv_err *err);

/* Tags are folded to lower case and NFC. */
/* Each change ("tag" adds, "+tag" adds, "-tag" removes) on each of the n
 * entries, in one transaction with one line in the log; nothing changes
 * when one fails. */
int pv_store_tag_entries(struct pv_archive *a, const int64_t *ids, size_t n,
			 char *const *changes, size_t nchanges, struct pv_err *err);
int pv_store_tag_add(struct pv_archive *a, int64_t id, const char *tag,
		     struct pv_err *err);
int pv_store_tag_remove(struct pv_archive *a, int64_t id, const char *tag,
			struct pv_err *err);

/* A tag as stored: NFC, case-folded, trimmed; malloc'd, NULL if invalid. */
char *pv_store_fold_tag(const char *tag);

/* Append to the audit trail. Never put identifying text in detail. */
int pv_store_log(struct pv_archive *a, const char *action, const char *detail);
/* The same, with a sentence in err when the line cannot be written (the
 * change it records must then be undone: see pv_store_rollback). */
int pv_store_log_err(struct pv_archive *a, const char *action, const char *detail,
		     struct pv_err *err);

int pv_store_schema_version(struct pv_archive *a);
/* The schema this photovoice writes (the number of migrations). */
#define PV_SCHEMA_VERSION 7

/* Full-text search (FTS5 over title, caption, story, tags; diacritics and
 * case folded; prefix*, "phrases", AND/OR/NOT), best first (bm25). */
struct pv_search_hit {
	int64_t id;
	double rank;           /* bm25, lower is better */
	char *snippet;         /* highlighted excerpt, malloc'd; NULL with no_snippets */
};
struct pv_search_hits {
	struct pv_search_hit *items;
	size_t count;
};
int pv_store_search(struct pv_archive *a, const char *query,
		    struct pv_search_hits *out, struct pv_err *err);
void pv_search_hits_free(struct pv_search_hits *h);
/* When the query itself is not understood or is empty, the search
 * functions fail with err->kind PV_ERR_USAGE, and err says how to write it.
 * Snippets mark the matched words with [ and ]. */
/* The best hits as `photovoice search` shows them, in a time that does not
 * grow with the number of matches: when more than `window` entries match,
 * only the newest `window` of them are ranked and counted (info->more says
 * so). With window 0 every match is ranked and counted, like
 * pv_store_search. */
struct pv_search_opts {
	size_t limit;       /* the best this many hits; 0: every hit */
	size_t window;      /* rank only the newest this many matches; 0: all */
	int no_snippets;    /* the ranking only: every snippet NULL (the grid's) */
};
struct pv_search_info {
	int64_t matches;    /* entries that match (at most window) */
	int more;           /* more than `window` entries match */
};
/* What `photovoice search` uses unless told otherwise. */
#define PV_SEARCH_OPTS_DEFAULT { .limit = 20, .window = 500 }
int pv_store_search_top(struct pv_archive *a, const char *query,
			const struct pv_search_opts *o, struct pv_search_hits *out,
			struct pv_search_info *info, struct pv_err *err);
/* How many entries match; -1 or -2 on error. */
int64_t pv_store_search_count(struct pv_archive *a, const char *query,
			      struct pv_err *err);

/* Entries whose perceptual hash is within max_distance bits of entry id's
 * (not id itself), in id order. *ids malloc'd. */
int pv_store_near_duplicates(struct pv_archive *a, int64_t id,
			     int max_distance, int64_t **ids, size_t *n,
			     struct pv_err *err);
/* The same, among the entries entered before id only (a lower id): what
 * ingest reports, the same however its run was cut into transactions. */
int pv_store_near_duplicates_earlier(struct pv_archive *a, int64_t id,
				     int max_distance, int64_t **ids, size_t *n,
				     struct pv_err *err);

/* Record a bundle that was built: its file name (as given by staff), the
 * SHA-256 of the archive file, the purpose, and the entries in it; logged.
 * forget names the bundles that held an erased entry. */
int pv_store_record_bundle(struct pv_archive *a, const char *file_name,
			   const char *sha256, const char *purpose,
			   const int64_t *ids, size_t n, struct pv_err *err);

/* ---- tags across the catalogue --------------------------------------- */

struct pv_tag_count {
	char *tag;
	int64_t entries;
};
struct pv_tag_counts {
	struct pv_tag_count *items;   /* by tag */
	size_t count;
};
int pv_store_tag_counts(struct pv_archive *a, struct pv_tag_counts *out,
			struct pv_err *err);
void pv_tag_counts_free(struct pv_tag_counts *c);

/* Rename tag `from` to `to` on every entry (logged). Returns the number of
 * entries changed; -2 when `from` is on no entry or `to` is already a tag
 * (that is a merge), with err saying so; -1 on error. */
int64_t pv_store_tag_rename(struct pv_archive *a, const char *from,
			    const char *to, struct pv_err *err);
/* Merge tag `from` into `into`: every entry with `from` gets `into`, and
 * `from` is gone (logged). Returns entries changed; -2 when `from` is on no
 * entry or both are the same tag; -1 on error. */
int64_t pv_store_tag_merge(struct pv_archive *a, const char *from,
			   const char *into, struct pv_err *err);

/* ---- editing, with history ------------------------------------------- */

enum pv_text_field { PV_FIELD_TITLE, PV_FIELD_CAPTION, PV_FIELD_STORY };
const char *pv_text_field_name(enum pv_text_field f);   /* "title", ... */

/* Replace one text of an entry (NULL clears it); the text it had goes into
 * the entry's history. Text must be valid UTF-8. Not logged: the caller logs
 * (one line for several fields). 1 changed, 0 the same text already, -1 on
 * error (no such entry, invalid text). */
int pv_store_edit(struct pv_archive *a, int64_t id, enum pv_text_field f,
		  const char *text, struct pv_err *err);

/* One edit of an entry's words, as `photovoice edit` and the workspace ask
 * for it: given[f] says which texts change (text[f] NULL or blank clears
 * it); confirm: the words read from inside the photo may stand. */
struct pv_words_edit {
	int given[3];
	const char *text[3];
	int confirm;
};
/* The edit in one transaction, with its line in the log: which fields
 * changed goes into changed ("title, story"; "" when none), and
 * *confirmed how many texts were confirmed. */
int pv_store_edit_words(struct pv_archive *a, int64_t id, const struct pv_words_edit *e,
			char *changed, size_t changed_len, int *confirmed,
			struct pv_err *err);

/* Marks the words of entry id that were read from inside the photo as
 * confirmed by a person (logged). Returns how many texts were confirmed (0:
 * none came from the photo), -1 on error or when there is no such entry. */
int pv_store_confirm_words(struct pv_archive *a, int64_t id, struct pv_err *err);

struct pv_history_item {
	char *field;        /* "title", "caption" or "story" */
	char *old_text;     /* the text before the change; NULL when empty */
	char *changed_at;   /* ISO 8601 UTC */
};
struct pv_history {
	struct pv_history_item *items;   /* oldest first */
	size_t count;
};
int pv_store_history(struct pv_archive *a, int64_t id, struct pv_history *out,
		     struct pv_err *err);
void pv_history_free(struct pv_history *h);

/* ---- participants ----------------------------------------------------- */

/* A participant is a pseudonymous code (the drop sub-folder's name, or the
 * sidecar's Participant:); their record holds the credit line they chose,
 * which wins over a credit in a sidecar, and whether they are under 16. */
struct pv_participant {
	char *code;
	char *credit;        /* NULL: none chosen */
	int under16;         /* -1 not said, 0 no, 1 yes */
	int64_t entries;
	int64_t poster_today;   /* entries a poster may use today */
};
struct pv_participants {
	struct pv_participant *items;   /* by code */
	size_t count;
};
/* Everyone with entries or a record. */
int pv_store_participants(struct pv_archive *a, struct pv_participants *out,
			  struct pv_err *err);
void pv_participants_free(struct pv_participants *p);

/* Set a participant's credit line (NULL: keep; "": none) and under-16 mark
 * (-1: keep, 0, 1); makes the record when there is none. Logged by record
 * number, never by code or credit. -1 when the code is not usable. */
int pv_store_participant_set(struct pv_archive *a, const char *code,
			     const char *credit, int under16, struct pv_err *err);

/* ---- consent ---------------------------------------------------------- */

/* Set an entry's consent (logged). guardian: PV_GUARDIAN_* or
 * PV_GUARDIAN_KEEP; until: "YYYY-MM-DD", NULL to keep, and "none", "geen"
 * (pv_date_none) or "" for no end date, as a person writes it. -1 with
 * PV_ERR_NOT_ALLOWED when poster/public is asked for a participant marked
 * under 16 without guardian consent "yes", PV_ERR_INPUT when until is
 * neither a real date nor "none", PV_ERR_NOT_FOUND without such an entry. */
int pv_store_set_consent(struct pv_archive *a, int64_t id, enum pv_consent c,
			 int guardian, const char *until, struct pv_err *err);
#define PV_GUARDIAN_KEEP (-2)

/* A participant withdraws consent from their own link (the phone page):
 * the entry's consent becomes none at once, logged as "withdraw" so that
 * staff see the request. An entry that is not the participant's gives the
 * same PV_ERR_NOT_FOUND as one that does not exist. */
int pv_store_withdraw(struct pv_archive *a, int64_t id, const char *participant,
		      struct pv_err *err);
/* The stored photo's hash of entry id when it is participant's: for the
 * phone page's thumbnails, which answer many requests (one indexed row, not
 * the whole entry). Someone else's entry gives the same PV_ERR_NOT_FOUND as
 * a missing one. */
int pv_store_photo_of(struct pv_archive *a, int64_t id, const char *participant,
		      char sha256[65], struct pv_err *err);
/* Staff have reviewed the entry (logged as "review"); a withdrawal by its
 * participant makes it unreviewed again. PV_ERR_NOT_FOUND when missing. */
int pv_store_mark_reviewed(struct pv_archive *a, int64_t id, struct pv_err *err);

/* ---- erasure ---------------------------------------------------------- */

struct pv_bundle_ref {
	int64_t id;
	char *file_name;
	char *sha256;
	char *purpose;
	char *created_at;
};
struct pv_forget_report {
	int64_t *erased;              /* entry ids erased */
	size_t nerased;
	struct pv_bundle_ref *bundles; /* bundles built earlier that held one */
	size_t nbundles;
	size_t files_removed;
	size_t files_failed;          /* could not be removed (said in err) */
	/* copies of the entries' words or originals that ingest left in the
	 * drop folder or its quarantine (pv_forget, ingest.h) */
	size_t copies_removed;
	size_t copies_failed;
	char **copies_kept;           /* drop-relative names of zips that hold a
					 copy among other people's photos */
	size_t ncopies_kept;
	/* 1 only when no trace is left: index merged, journal emptied, every
	 * copy removed */
	int traces_cleared;
};
void pv_forget_report_free(struct pv_forget_report *r);
/* The bundles built earlier that hold entry id, into out->bundles (the rest
 * of out stays empty): what erasing it would leave to withdraw. */
int pv_store_bundles_of(struct pv_archive *a, int64_t id, struct pv_forget_report *out,
			struct pv_err *err);

/* Erase entries: rows, tags, history, full-text index entries, media and
 * derived files; the log keeps "entry N erased" for each. Afterwards the
 * full-text index is merged and the write-ahead journal emptied so that no
 * byte of the erased text is left in the archive folder. Every id must
 * exist, else nothing is erased and -2 names the missing one. */
int pv_store_forget(struct pv_archive *a, const int64_t *ids, size_t n,
		    struct pv_forget_report *out, struct pv_err *err);
/* Every entry of one participant, their record (code and credit) and their
 * invitations (their links stop working). */
int pv_store_forget_participant(struct pv_archive *a, const char *code,
				struct pv_forget_report *out, struct pv_err *err);

/* ---- copies of an entry outside the archive's own files -------------- */

/* A copy of an entry's words or original that ingest left in the drop
 * folder or its quarantine: a caption file (kept aside with other words for
 * the same photo, or left behind in any other way), an original kept with
 * --keep-originals, a Live Photo's video, a zip that also holds the photo.
 * Known by content (SHA-256 and size), never by name: a name can identify,
 * and the catalogue holds none. The rows go with their entry. */
struct pv_trace {
	char sha256[65];
	int64_t size;
	char *what;          /* "caption file", "original", "video", "zip" */
};
int pv_store_note_trace(struct pv_archive *a, int64_t id, const char *sha256,
			int64_t size, const char *what, struct pv_err *err);
/* Every trace of the entries ids, each content once. */
int pv_store_traces(struct pv_archive *a, const int64_t *ids, size_t n,
		    struct pv_trace **out, size_t *nout, struct pv_err *err);
void pv_traces_free(struct pv_trace *t, size_t n);

/* ---- audit trail and audit ------------------------------------------- */

struct pv_log_event {
	int64_t id;
	char *at;           /* ISO 8601 UTC */
	char *actor;        /* login name; NULL in logs from before schema 2 */
	char *action;
	char *detail;
};
struct pv_log_events {
	struct pv_log_event *items;   /* oldest first */
	size_t count;
};
int pv_store_log_read(struct pv_archive *a, struct pv_log_events *out,
		      struct pv_err *err);
/* Page `page` (1: the newest) of the log cut into pages of `per` events,
 * newest first, as the workspace's /log shows it; out holds that page's
 * events oldest first, and *total the log's number of events. A page past
 * the last is empty. */
#define PV_LOG_PER_PAGE 200
int pv_store_log_read_page(struct pv_archive *a, size_t page, size_t per,
			   struct pv_log_events *out, size_t *total, struct pv_err *err);
/* A log line's detail for a person, in the language gettext speaks: the
 * stored detail is English and stays so (log --json); one of the shapes the
 * library writes is said again as a whole translated sentence, any other
 * detail (NULL: "") as stored. malloc'd. */
char *pv_log_detail_text(const char *action, const char *detail);
/* "title, caption" (pv_text_field_name's, joined by ", ") in the reader's
 * words; malloc'd. */
char *pv_field_list_text(const char *list);
void pv_log_events_free(struct pv_log_events *l);

enum pv_audit_kind {
	PV_AUDIT_MISSING,     /* a catalogued photo is not in the media store */
	PV_AUDIT_HASH,        /* a stored file's bytes differ from its hash */
	PV_AUDIT_UNCLEAN,     /* a stored file fails the privacy check */
	PV_AUDIT_ORPHAN,      /* a file in media/ no entry owns */
	PV_AUDIT_LEFTOVER,    /* a file left in tmp/ by an interrupted write */
	PV_AUDIT_CATALOGUE,   /* the catalogue's own integrity check failed */
	PV_AUDIT_INDEX,       /* an entry's search row is missing or says other
				 words, or one is left of an entry that is gone */
	PV_AUDIT_TAG,         /* a tag the store would refuse */
	PV_AUDIT_DERIVED,     /* a thumbnail or preview not made from its photo */
};
struct pv_audit_problem {
	enum pv_audit_kind kind;
	int64_t entry_id;     /* 0 when no entry */
	char *path;           /* relative to the archive folder; NULL for none */
	char *what;           /* one sentence */
	int repaired;         /* put right by --repair */
	char *todo;           /* when not repaired: what to do, one sentence */
};
struct pv_audit_report {
	struct pv_audit_problem *items;
	size_t count;
	int64_t entries;      /* rows checked */
	int64_t files;        /* files read and hashed/checked */
};
/* Check every stored file (hash, privacy), every row's files, files no row
 * owns, leftovers in tmp/, the catalogue's integrity, that the search index
 * holds each entry's current words and nothing else, and that every tag is
 * one the store keeps. With repair, remove orphans and leftovers (never a
 * catalogued file), rewrite search rows from the catalogue and put tags in
 * their stored form (a control character becomes a space). Needs the write
 * lock, so that no file is half-written while it looks. */
int pv_store_audit(struct pv_archive *a, int repair, struct pv_audit_report *out,
		   struct pv_err *err);
void pv_audit_report_free(struct pv_audit_report *r);
const char *pv_audit_kind_name(enum pv_audit_kind k);   /* "missing", ... */

/* ---- saved posters (the poster builder of serve) ---------------------- */

struct pv_saved_poster_entry {
	int64_t id;
	char *caption;          /* for this poster; NULL: the entry's own */
};
struct pv_saved_poster {
	int64_t id;             /* 0: not saved yet */
	char *name;
	char *title, *subtitle; /* NULL when not set */
	int paper;              /* 0 (A4) .. 4 (A0); -1 not set */
	int landscape;          /* 0, 1; -1 not set */
	int columns;            /* 0: chosen to fit */
	char *saved_at;         /* ISO 8601 UTC, set by save */
	char *saved_by;         /* the actor who saved it */
	struct pv_saved_poster_entry *entries;   /* in poster order */
	size_t nentries;
};
/* Saves p (a new poster when p->id is 0: its id is set; else it replaces
 * poster p->id, PV_ERR_NOT_FOUND when there is none), logged with its
 * number only. The name: 1 to 200 bytes of UTF-8; every text checked as an
 * entry's (pv_store_check_text); every entry must exist. */
int pv_store_poster_save(struct pv_archive *a, struct pv_saved_poster *p,
			 struct pv_err *err);
/* 1 found (out filled), 0 not found, -1 error. An erased entry is not in
 * it any more. */
int pv_store_poster_get(struct pv_archive *a, int64_t id, struct pv_saved_poster *out,
			struct pv_err *err);
/* Every saved poster, newest first, with its entries. */
int pv_store_poster_list(struct pv_archive *a, struct pv_saved_poster **out, size_t *n,
			 struct pv_err *err);
/* Removes poster id (logged); PV_ERR_NOT_FOUND when there is none. */
int pv_store_poster_delete(struct pv_archive *a, int64_t id, struct pv_err *err);
void pv_saved_poster_free(struct pv_saved_poster *p);
void pv_saved_posters_free(struct pv_saved_poster *list, size_t n);

#endif
