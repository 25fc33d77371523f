/*
 * The ingest run's inner parts, shared by ingest.c (the writer), intake.c
 * (the workers), zip.c and journal.c. Not part of the public API.
 *
 * One run: the drop folder is scanned, zip submissions are listed, and every
 * photo becomes one `struct intake`. Workers (pv_pool_run) read, convert,
 * rewrite and store each photo's files; the calling thread alone writes the
 * catalogue, in batches, and removes originals only after their batch is
 * committed.
 */
#ifndef PV_INGEST_PIPELINE_H
#define PV_INGEST_PIPELINE_H

#include <pthread.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <jansson.h>

#include "ingest_internal.h"
#include "photovoice/image.h"
#include "photovoice/util.h"

/* ---- zip submissions (zip.c) ------------------------------------------- */

struct zip_member {
	char *name;               /* path inside the zip, checked safe */
	size_t index;             /* position in the zip's reading order */
	int is_sidecar;
	struct pv_sidecar parsed; /* sidecars: read and parsed while listing */
	int parse_failed;
	char *parse_error;
	char content_sha[65];     /* sidecars: of the bytes read; "" when none */
	int64_t content_size;
	unsigned users;           /* sidecars: photos that use it */
	unsigned taken;           /* photos: 1 once in the catalogue; sidecars:
				     how many of its photos are */
	int keep_words;           /* sidecars: its words differ from the entry's
				     (a photo already in the archive) */
	struct zip_member *sidecar;   /* photos: their caption file, or NULL */
	char *problem;            /* photos: why it cannot be taken, found while listing */
};

struct zip_submission {
	struct drop_photo *file;  /* the .zip in the drop folder */
	struct zip_member *members;   /* photos and caption files */
	size_t nmembers;
	dev_t dev;                /* the file listed, so that a worker reads the */
	ino_t ino;                /* same one */
	off_t size;
	struct file_id listed;    /* the same, with its time: removed only when unchanged */
	pthread_mutex_t lock;
	uint64_t total_out;       /* bytes decompressed so far, all members */
	uint64_t caption_bytes;   /* of the caption files read while listing */
	char *refused;            /* members refused: "name: reason\n" lines */
	unsigned nrefused;
	size_t pending;           /* photos not yet committed or refused */
	int retry;                /* a photo could not be stored: keep the zip */
	int finished;
	int64_t *taken_ids;       /* entries of the members taken (new or known) */
	size_t ntaken;
	struct refusal {
		char *name;
		char *reason;
		int64_t same_entry;   /* > 0: its words are kept aside for this entry */
	} *refusals;   /* by member */
	size_t nrefusals;
};

/* Lists a zip without extracting anything: every entry's name and type is
 * checked, caption files are read and parsed, photos are matched to them.
 * Entries that cannot be taken are added to z->refused. Returns 0, 1 when the
 * zip is still being written (leave it), -1 when the zip itself cannot be
 * read (reason says why in a sentence). */
int pv_zip_list(struct drop_photo *file, struct zip_submission *z,
		struct pv_err *err);
void pv_zip_free(struct zip_submission *z);

/* Copying members out of a zip (into the quarantine): want() says, by name
 * and position, which entries are needed; their bytes are read with the
 * same limits and handed to put(). Directories, links and what operating
 * systems add (__MACOSX, .DS_Store) are never copied. -1 with a reason when
 * a wanted entry cannot be read (a password, damage, over a limit) or put()
 * fails. */
struct zip_copy {
	int (*want)(void *ctx, const char *name, size_t index);
	int (*put)(void *ctx, const char *name, size_t index, const uint8_t *data,
		   size_t len);
	void *ctx;
};
int pv_zip_copy_out(struct zip_submission *z, const struct zip_copy *c, struct pv_err *err);
/* Why a member's name could point outside a folder when written out, or NULL. */
const char *pv_zip_unsafe_name(const char *name);
void pv_zip_refuse_member(struct zip_submission *z, const char *name,
			  const char *reason);
/* The same for a caption file kept aside for entry same_entry. */
void pv_zip_refuse_copy(struct zip_submission *z, const char *name, const char *reason,
			int64_t same_entry);

/* Reads one member's bytes into *data (malloc'd), enforcing the limits of
 * ingest.h on the bytes actually decompressed. -1 with a reason. */
int pv_zip_read_member(struct zip_submission *z, const struct zip_member *m,
		       uint8_t **data, size_t *len, struct pv_err *err);

/* ---- the crash journal (journal.c) ------------------------------------- */

/* tmp/ingest.journal lists the hash of every photo this run stored in the
 * media folder. After a crash, the next run removes the stored files that
 * never got a catalogue row, and recognises the ones that did (their
 * originals may still be in the drop folder) as recovered, not duplicates. */
struct journal {
	int fd;
	char *path;
	pthread_mutex_t lock;
	char (*recovered)[PV_SHA256_HEX];   /* sorted */
	size_t nrecovered;
	unsigned orphans_removed;
};

int pv_journal_open(struct pv_archive *a, struct journal *j, struct pv_err *err);
void pv_journal_note(struct journal *j, const char *sha256);   /* thread-safe */
int pv_journal_recovered(const struct journal *j, const char *sha256);
/* clean_end: the run went through every file; the journal is removed. */
void pv_journal_close(struct journal *j, int clean_end);
/* Removes a stored photo and its derived files (no catalogue row has it). */
void pv_journal_remove_stored(struct pv_archive *a, const char *sha256);

/* ---- one photo to take in (intake.c) ----------------------------------- */

enum intake_result {
	INTAKE_READY,     /* stored in media/, waiting for its catalogue row */
	INTAKE_REFUSED,   /* to quarantine, with a reason */
	INTAKE_WAITING,   /* still being written: left in the drop folder */
	INTAKE_FAILED,    /* could not be stored: left in the drop folder */
	INTAKE_SKIPPED,   /* not started: the run was asked to stop */
};

struct intake {
	/* what to take, set before the workers start */
	char *shown;                  /* name in reports (control bytes as '?') */
	struct pv_sidecar fields;     /* project defaults, caption file and
					 participant, merged (pv_drop_fields) */
	int has_caption_file;
	const char *refusal;          /* refused before reading, or NULL */
	const char *wait;             /* left for a later run before reading, or NULL */
	struct drop_photo *photo;     /* a loose file, or NULL */
	struct zip_submission *zip;   /* a zip member, or NULL */
	struct zip_member *member;
	/* what came of it, set by a worker */
	enum intake_result result;
	char *reason;                 /* malloc'd */
	enum pv_image_format format;
	struct pv_entry entry;        /* sha256 and phash set when READY */
	struct pv_scrub_report rep;
	struct file_id read_id;       /* a loose photo: the file as read */
	/* set by the writer */
	int64_t id;                   /* its entry (new, duplicate or recovered) */
	enum { DONE_NEW, DONE_DUPLICATE, DONE_RECOVERED } outcome;
	int caption_differs;          /* duplicate whose caption says more */
};

/* The megapixels workers decode at once (pixel_budget in ingest.h). */
struct pixel_budget {
	pthread_mutex_t lock;
	pthread_cond_t freed;
	uint64_t in_use, limit;
};
void pv_budget_init(struct pixel_budget *b, uint64_t limit);
void pv_budget_destroy(struct pixel_budget *b);

struct intake_env {
	struct pv_archive *a;
	struct journal *journal;
	struct pixel_budget *budget;
};

/* The worker: reads, checks, converts, rewrites, makes derivatives and stores
 * the files of one photo. Thread-safe; touches only `it`. */
void pv_intake_work(struct intake *it, const struct intake_env *env);
void pv_intake_free(struct intake *it);

/* A name safe to print on one line: control characters and bytes that are
 * not UTF-8 become '?'. */
char *pv_shown_name(const char *name);
int pv_name_has_control(const char *name);

/* ---- reporting (report.c) ---------------------------------------------- */

struct report {
	const struct pv_ingest_opts *opts;
	struct pv_ingest_summary *sum;
	json_t *taken, *duplicates, *recovered, *quarantined, *left;
	unsigned named_left;      /* lines naming something left (a folder may hold
				     no file, yet the run ends with 1) */
};

void pv_report_init(struct report *r, const struct pv_ingest_opts *opts,
		    struct pv_ingest_summary *sum);
void pv_report_taken(struct report *r, const struct intake *it,
		     const int64_t *near, size_t nnear, int64_t closest);
void pv_report_duplicate(struct report *r, const struct intake *it);
void pv_report_recovered(struct report *r, const struct intake *it);
void pv_report_quarantined(struct report *r, const char *shown, const char *reason);
void pv_report_left(struct report *r, const char *shown, const char *reason);
/* Named as left in the drop folder, counting `files` files (a folder: those
 * in it that have no line of their own; 0: none, such as a zip's member). */
void pv_report_left_files(struct report *r, const char *shown, const char *reason,
			  unsigned files);
void pv_report_print_json(struct report *r);
void pv_report_free(struct report *r);

/* Test hook: PV_TEST_CRASH=POINT:N kills the process (SIGKILL) the Nth time
 * the run reaches POINT, so that tests can interrupt ingest at exact steps. */
void pv_crash_point(const char *point);

/* Test hook: with PV_TEST_WAIT=POINT:N and PV_TEST_WAIT_DIR=DIR, the Nth time
 * the run reaches POINT it writes `what` (a path) to DIR/reached and waits
 * until DIR/go exists (at most a minute), so that a test can change files at
 * that exact moment. Inert unless both are set. Points: "scanned" (caption
 * files read, no photo yet; what: the drop folder), "read" (a worker has read
 * a photo; what: its path), "commit" (a batch's rows are written, its check
 * for changed files and its COMMIT come next; what: its first loose photo),
 * "committed" (after the COMMIT, before the originals are removed; the same). */
void pv_test_wait(const char *point, const char *what);

#endif
