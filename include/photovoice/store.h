/*
 * photovoice/store.h - the archive: folder layout, the SQLite catalogue with its
 * schema migrations, the content-addressed media store, and catalogue queries.
 * Return 0 on success, -1 on failure with one sentence in err.
 */
#ifndef PHOTOVOICE_STORE_H
#define PHOTOVOICE_STORE_H

#include <stddef.h>
#include <stdint.h>

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
	char **tags;           /* sorted, NULL-terminated */
	size_t ntags;
	/* Read from the participant's record (pv_store_get/list), never written
	 * by pv_store_add: the participant is marked under 16. */
	int under16;
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

struct pv_archive;   /* opaque */

enum pv_open_mode {
	PV_OPEN_READ,        /* shared access, read-only catalogue */
	PV_OPEN_WRITE,       /* takes the write lock; waits for it */
	PV_OPEN_WRITE_NOWAIT /* takes the write lock or fails at once */
};

/* Create the archive (idempotent): DIR (0700), DIR/catalogue.db, DIR/media,
 * DIR/tmp, DIR/drop, DIR/drop/.quarantine. */
int pv_archive_init(const char *dir, char *err, size_t errlen);

/* Returns NULL and err when missing, locked (NOWAIT) or damaged. */
struct pv_archive *pv_archive_open(const char *dir, enum pv_open_mode mode,
				   char *err, size_t errlen);
void pv_archive_close(struct pv_archive *a);

const char *pv_archive_drop_dir(const struct pv_archive *a);
/* malloc'd path of a stored photo: DIR/media/ab/abcdef....jpg */
char *pv_archive_media_path(const struct pv_archive *a, const char *sha256);

/* Store photo bytes under their SHA-256 (atomic, synced). Fills sha256. */
int pv_archive_put_media(struct pv_archive *a, const void *data, size_t len,
			 char sha256[65], char *err, size_t errlen);

/* Derived files of a stored photo, beside it in the media store:
 * DIR/media/ab/<sha256>.<kind>.jpg with kind "thumb" or "preview".
 * put_derived is atomic and synced like put_media. */
char *pv_archive_derived_path(const struct pv_archive *a, const char *sha256,
			      const char *kind);
int pv_archive_put_derived(struct pv_archive *a, const char *sha256,
			   const char *kind, const void *data, size_t len,
			   char *err, size_t errlen);

/* Catalogue. pv_store_add sets e->id. Wrap several in begin/commit. */
int pv_store_begin(struct pv_archive *a, char *err, size_t errlen);
int pv_store_commit(struct pv_archive *a, char *err, size_t errlen);
int pv_store_rollback(struct pv_archive *a);
int pv_store_add(struct pv_archive *a, struct pv_entry *e, char *err,
		 size_t errlen);
/* id of the entry with this stored-file hash, 0 when none, -1 on error */
int64_t pv_store_find_sha(struct pv_archive *a, const char *sha256);
/* 1 found, 0 not found, -1 error */
int pv_store_get(struct pv_archive *a, int64_t id, struct pv_entry *out,
		 char *err, size_t errlen);

struct pv_filter {
	const char *const *tags; /* all must match */
	size_t ntags;
	const int64_t *ids;     /* when set: exactly these, in this order */
	size_t nids;
	const char *participant;
	int min_consent;        /* -1: any; else effective consent >= this */
	int exact_consent;      /* -1: any; else effective consent == this */
};

int pv_store_list(struct pv_archive *a, const struct pv_filter *f,
		  struct pv_entry_list *out, char *err, size_t errlen);

/* Tags are folded to lower case and NFC. */
int pv_store_tag_add(struct pv_archive *a, int64_t id, const char *tag,
		     char *err, size_t errlen);
int pv_store_tag_remove(struct pv_archive *a, int64_t id, const char *tag,
			char *err, size_t errlen);

/* A tag as stored: NFC, case-folded, trimmed; malloc'd, NULL if invalid. */
char *pv_store_fold_tag(const char *tag);

/* Append to the audit trail. Never put identifying text in detail. */
int pv_store_log(struct pv_archive *a, const char *action, const char *detail);

int pv_store_schema_version(struct pv_archive *a);

/* Full-text search (FTS5 over title, caption, story, tags; diacritics and
 * case folded; prefix*, "phrases", AND/OR/NOT), best first (bm25). */
struct pv_search_hit {
	int64_t id;
	double rank;           /* bm25, lower is better */
	char *snippet;         /* highlighted excerpt, malloc'd */
};
struct pv_search_hits {
	struct pv_search_hit *items;
	size_t count;
};
int pv_store_search(struct pv_archive *a, const char *query,
		    struct pv_search_hits *out, char *err, size_t errlen);
void pv_search_hits_free(struct pv_search_hits *h);
/* The search functions return -2 (not -1) when the query itself is not
 * understood or empty; err then says how to write it. Snippets mark the
 * matched words with [ and ]. */
/* The best `limit` hits only (0: all). */
int pv_store_search_top(struct pv_archive *a, const char *query, size_t limit,
			struct pv_search_hits *out, char *err, size_t errlen);
/* How many entries match; -1 or -2 on error. */
int64_t pv_store_search_count(struct pv_archive *a, const char *query,
			      char *err, size_t errlen);

/* Entries whose perceptual hash is within max_distance bits of entry id's
 * (not id itself), in id order. *ids malloc'd. */
int pv_store_near_duplicates(struct pv_archive *a, int64_t id,
			     int max_distance, int64_t **ids, size_t *n,
			     char *err, size_t errlen);

/* Record a bundle that was built: its file name (as given by staff), the
 * SHA-256 of the archive file, the purpose, and the entries in it; logged.
 * forget names the bundles that held an erased entry. */
int pv_store_record_bundle(struct pv_archive *a, const char *file_name,
			   const char *sha256, const char *purpose,
			   const int64_t *ids, size_t n, char *err,
			   size_t errlen);

#endif
