/*
 * photovoice/ingest.h - taking photos in from the drop folder: sidecars,
 * scanning, quarantine, and the ingest run itself.
 * Return 0 on success, -1 on failure with one sentence in err.
 */
#ifndef PHOTOVOICE_INGEST_H
#define PHOTOVOICE_INGEST_H

#include "photovoice/err.h"

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "photovoice/err.h"
#include "photovoice/jpeg.h"
#include "photovoice/store.h"

/* A parsed sidecar (.txt/.md/.json) or project file. Every string valid
 * UTF-8, NFC, malloc'd or NULL. */
struct pv_sidecar {
	char *title;
	char *caption;
	char *story;
	char *participant;
	char *credit;
	char **tags;          /* NULL-terminated, trimmed, lower case */
	size_t ntags;
	int consent;          /* enum pv_consent, or -1 when not given */
	int guardian;         /* enum pv_guardian */
	char *consent_until;  /* "YYYY-MM-DD" or NULL */
	char *project;        /* project name; also in tags, folded ("zomerkamp-2025") */
};

/* Parse a sidecar's bytes. Headers (Dutch or English keys, case-insensitive)
 * then a blank line then the story; with no headers, the first line is the
 * caption and the rest the story. Fails (with a sentence) on invalid UTF-8, a
 * UTF-16 file, an unknown consent value or a malformed date. */
int pv_sidecar_parse(const char *data, size_t len, struct pv_sidecar *out,
		     struct pv_err *err);
/* The same for a .json sidecar: one object with the same keys; values are
 * text, tags also a list of texts, guardian consent also true/false, null is
 * "not given". Fails on invalid JSON, a key it does not know, a value of the
 * wrong type, or a field given twice (the text format refuses that too). */
int pv_sidecar_parse_json(const char *data, size_t len, struct pv_sidecar *out,
			  struct pv_err *err);
/* A folder's project file (_project.txt, or _project.json when json): the
 * same keys, giving defaults; a title, caption or story is refused. name (or
 * NULL) is how errors call the file ("The project file kamp/_project.txt ..."). */
int pv_project_parse(const char *data, size_t len, int json, const char *name,
		     struct pv_sidecar *out, struct pv_err *err);
void pv_sidecar_free(struct pv_sidecar *s);

/* Limits on a zip submission, against zip bombs. They are checked on the
 * bytes actually read and decompressed while streaming, never on the sizes a
 * zip declares. A member over a limit is refused (and the zip quarantined
 * with the list of refused members); the zip's other members are still taken
 * until the total is reached. */
#define PV_ZIP_MAX_MEMBERS 1000                         /* entries in one zip */
#define PV_ZIP_MAX_MEMBER_BYTES ((uint64_t)256 << 20)   /* one member, decompressed */
#define PV_ZIP_MAX_TOTAL_BYTES ((uint64_t)4 << 30)      /* all members, decompressed */
#define PV_ZIP_MAX_RATIO 100      /* decompressed : compressed, per member and per zip */
#define PV_ZIP_RATIO_FLOOR ((uint64_t)64 << 10)  /* a small member counts as at least this */
#define PV_ZIP_MAX_CAPTION_BYTES ((uint64_t)16 << 20) /* all caption files of a zip, held
							  in memory while its photos are taken */

/* The catalogue is written in transactions of at most this many photos, or
 * what arrived within this many milliseconds; originals leave the drop
 * folder only after their transaction is committed. */
#define PV_INGEST_BATCH 16
#define PV_INGEST_BATCH_MS 1000

/* The report line of a new entry names the closest entry whose perceptual
 * hash is at most this many bits away ("looks like entry 12"): a resized or
 * recompressed copy is 0-2 bits away, different photos of a similar scene
 * often 4-10. --json lists every entry within PV_PHASH_NEAR, as show does. */
#define PV_INGEST_SAY_NEAR 3

/* Pixels the workers rewrite and decode at once, per job: a turn or a decode
 * holds the whole photo (about 7 bytes a pixel), so this bounds peak memory
 * (two 12-megapixel photos with --jobs 2). A photo larger than the whole
 * budget waits and then runs alone. */
#define PV_INGEST_JOB_PIXELS ((uint64_t)12500 * 1000)

struct pv_ingest_opts {
	const char *drop_dir;     /* NULL: the archive's drop folder */
	int jobs;                 /* photos worked on at once; 0: one per core */
	int keep_originals;
	int quiet;
	int json;
	/* For watch: a caption file without a photo that changed less than this
	 * many seconds ago is left for a later run (its photo may still come)
	 * instead of quarantined; 0: quarantined at once. */
	double caption_wait_s;
	/* For watch: a photo without a caption file that arrived less than this
	 * many seconds ago is left for a later run (its caption file may still
	 * come); 0: taken at once. */
	double photo_wait_s;
	/* For watch: when *stop becomes non-zero (a signal), no further photo is
	 * started; the run finishes the one in hand and returns. NULL: never. */
	const volatile sig_atomic_t *stop;
};

struct pv_ingest_summary {
	unsigned ingested;
	unsigned duplicates;
	unsigned recovered;    /* stored by an earlier, interrupted run; originals
				  removed now */
	unsigned quarantined;
	unsigned left;         /* left in the drop folder: still being written, or
				  could not be stored this time */
	unsigned removed[PV_SEG_KIND_COUNT];  /* segments removed, by kind */
	unsigned orient_baked;
	unsigned orient_tagged;
	unsigned converted;    /* PNG and HEIC/HEIF photos written as JPEG */
};

/* Ingest every photo in the drop folder (loose files and zip submissions).
 * Returns 0 when all were taken (or were duplicates), 1 when some were
 * quarantined or left in the drop folder, -1 when the run could not proceed
 * (err says why). */
int pv_ingest_run(struct pv_archive *a, const struct pv_ingest_opts *opts,
		  struct pv_ingest_summary *sum, struct pv_err *err);

/* photovoice scrub (src/ingest/scrub.c): the privacy rewrite of ingest on
 * loose files, each written as a new file in outdir (same name; an existing
 * file is never replaced) or, with outdir NULL, over itself (atomically; a
 * file with nothing to remove is left as it is). */
struct pv_scrub_result {
	const char *path;             /* as given */
	int ok;
	const char *line;             /* ok: what was removed, in words
					 (pv_scrub_describe) */
	struct pv_scrub_report rep;   /* ok: the rewrite's counts */
	struct pv_err err;            /* not ok: one sentence naming the file
					 ("PATH is a folder, not a photo.",
					 "PATH: The file is not a JPEG photo.") */
};

struct pv_scrub_opts {
	const char *outdir;           /* made when missing; NULL: in place */
	int jobs;                     /* files worked on at once; 0: one per core */
	/* Called on the calling thread for every file, in the order given, once
	 * its clean copy and its name are durable (synced once per batch of
	 * files, never per file), or it failed. */
	void (*done)(const struct pv_scrub_result *res, void *ctx);
	void *ctx;
};

/* 0 when every file was scrubbed, 1 when some were refused (each said to
 * done), -1 when nothing could start (outdir unusable; err says why). */
int pv_scrub_files(char *const *paths, size_t n, const struct pv_scrub_opts *o,
		   struct pv_err *err);

/* "NAME: removed Exif, 2 comments (GPS position, dates); turned upright", or
 * "NAME: nothing to remove": the rewrite's report of in (the original
 * bytes, for what its removed blocks held), in at most n bytes of out. */
void pv_scrub_describe(const char *name, const uint8_t *in, size_t in_len,
		       const struct pv_scrub_report *r, char *out, size_t n);

/* A drop folder given by name (--drop DIR) must be an existing folder: 0,
 * or -1 with the sentence (PV_ERR_INPUT). One rule for ingest and watch. */
int pv_drop_folder_check(const char *dir, struct pv_err *err);

/* How long watch lets a complete photo wait for its caption file, seconds,
 * unless told otherwise. */
#define PV_WATCH_GRACE_S 3.0

/* photovoice watch: ingest as files arrive in the drop folder. */
struct pv_watch_opts {
	const char *archive_dir;
	const char *drop_dir;     /* NULL: the archive's drop folder */
	double grace_s;           /* a complete photo waits this long for its caption file */
	int quiet;                /* only the per-round lines, not one per photo */
	int stop_fd;              /* becomes readable when the watch should stop */
	const volatile sig_atomic_t *stop;   /* non-zero: stop (set with stop_fd) */
	unsigned *waiting_at_stop;  /* out (or NULL): files still in the drop folder
				       once stopped, each named on stderr */
};

/* Runs an ingest at once, then again whenever complete files arrive (inotify
 * on the drop folder and every subfolder, never following links, skipping
 * hidden ones), holding the archive's write lock only while ingesting.
 * Once stopped, names on stderr every file still in the drop folder (with
 * its reason when ingest does not take it) and counts them in
 * *o->waiting_at_stop. Returns 0 once stopped, -1 when the archive or the
 * drop folder cannot be used (err says why). */
int pv_watch_run(const struct pv_watch_opts *o, struct pv_err *err);

/* A reason file (NAME.reason.txt) is the sentence of why, in the language of
 * the program that wrote it, for the person who looks in the quarantine.
 * What photovoice reads back from it is never translated: lines at its end,
 * after an empty line, each a key and a value:
 *   photovoice-entry: N   the file's photo is already entry N (a caption
 *                         file with other words kept aside): `forget N`
 *                         finds it
 *   photovoice-file: NAME the file it is about, when the file's name is too
 *                         long to add ".reason.txt": the reason file is then
 *                         NAME-CUT~HASH.reason.txt
 * Reason files written before these keys (in English) are read as well. */
#define PV_QUARANTINE_KEY_ENTRY "photovoice-entry: "
#define PV_QUARANTINE_KEY_FILE "photovoice-file: "

/* Files in DROP/.quarantine/ whose reason names entry `id` (a key above,
 * or the English sentence of older reason files). *paths is a malloc'd
 * array of malloc'd paths (the files, not their reason files). Returns 0,
 * or -1 when the folder cannot be read. */
int pv_quarantine_find_entry(const char *drop_dir, int64_t id, char ***paths,
			     size_t *n);

/* Move a file from the drop folder into drop/.quarantine/, with NAME.reason.txt
 * beside it saying why; same_entry > 0 when its photo is already that entry
 * (PV_QUARANTINE_KEY_ENTRY). Returns 0; 1 when it was moved but err has something
 * to add (its reason file has a shortened name, or none could be written);
 * -1 when it was left where it is (err says why, in a sentence). */
int pv_quarantine(const char *drop_dir, const char *path, const char *reason,
		  int64_t same_entry, struct pv_err *err);

/* The same for a file outside the drop folder, on its file system (a photo
 * received by serve): it becomes DROP/.quarantine/REL (a free name). */
int pv_quarantine_as(const char *drop_dir, const char *path, const char *rel,
		     const char *reason, struct pv_err *err);

/* Write bytes as a new file DROP/.quarantine/REL (a free name: REL.1, ...
 * when taken), with its reason beside it, not synced (the caller syncs the
 * files it wrote at once, pv_sync_filesystems, before it removes their
 * source); *written (when not NULL) gets its path, malloc'd. */
int pv_quarantine_bytes(const char *drop_dir, const char *rel, const void *data,
			size_t len, const char *reason, int64_t same_entry, char **written,
			struct pv_err *err);

/* Removes a file and its reason file (NAME.reason.txt, or the shortened
 * form used for a name too long for it). */
void pv_quarantine_remove(const char *path);

/* Erasure that reaches every copy (the right to erasure): the entries'
 * catalogue rows, stored files and index (pv_store_forget), and every copy
 * of their words or originals that ingest left in the archive's drop folder
 * and its quarantine, found by content (pv_store_traces) and, in archives
 * from before those were recorded, by the quarantine's reason files. Copies
 * go first, so that a failure leaves an entry, never a copy without its
 * entry. A zip that holds a copy among other people's photos is not removed
 * but named in copies_kept (and traces_cleared is then 0). With participant
 * set: all of their entries and their record (ids ignored). Returns as
 * pv_store_forget: 0, or -1: PV_ERR_NOT_FOUND when an entry or the
 * participant does not exist (nothing erased), another kind on error. */
int pv_forget(struct pv_archive *a, const int64_t *ids, size_t n,
	      const char *participant, struct pv_forget_report *out, struct pv_err *err);

/* ---- hand-in: what the phone page of `serve` puts in the drop folder ---- */

/* A participant's sending, checked before anything of it is kept. */
#define PV_HANDIN_MAX_PHOTOS 10                              /* in one sending */
#define PV_HANDIN_MAX_PHOTO_BYTES ((uint64_t)30 << 20)       /* one photo */
/* the whole sending: its photos, its words and the form around them */
#define PV_HANDIN_MAX_BYTES ((uint64_t)PV_HANDIN_MAX_PHOTOS * PV_HANDIN_MAX_PHOTO_BYTES + \
			     ((uint64_t)2 << 20))

struct pv_handin_words {
	const char *title;       /* NULL or "": not given */
	const char *caption;
	const char *story;
	const char *consent;     /* "none", "internal", "poster" or "public" */
};

/* Whether ingest will take these words as a caption file's (the same rule:
 * pv_sidecar_parse_json): 0, or -1 with one sentence (PV_ERR_INPUT). The
 * consent must be given. */
int pv_handin_check_words(const struct pv_handin_words *w, struct pv_err *err);

/* A new, empty file ARCHIVE/tmp/upload-XXXXXX (0600) to receive one photo:
 * its descriptor, and its path in *path (malloc'd); -1 with err. */
int pv_handin_open_temp(const char *archive_dir, char **path, struct pv_err *err);
/* Removes what a stopped server left of sendings it never answered: the
 * photos and caption files it was receiving or placing (upload-* in
 * ARCHIVE/tmp), and a caption file DROP/PARTICIPANT/web-*.json whose photo
 * was never named beside it (killed between the two names). Only while no
 * sending is being placed (serve calls it before it listens). The number
 * removed. */
unsigned pv_handin_clean_temps(const char *archive_dir, const char *drop_dir);

struct pv_handin_result {
	unsigned taken;           /* photos placed in the drop folder */
	unsigned set_aside;       /* files put in the quarantine: not photos */
};

/* Places each received file (temps, as pv_handin_open_temp made them) with a
 * caption file holding w in DROP/PARTICIPANT/, under new random names (never
 * the phone's file name): every byte synced, then the caption file named,
 * then the photo, then the folder synced, so that ingest never sees a photo
 * without its words and nothing answered is lost. A file that is not a photo
 * photovoice takes goes to the quarantine with its reason instead. The temps
 * are gone afterwards, whatever happened. No file at all is refused (-1,
 * PV_ERR_INPUT: choose a photo first). 0 when every file was placed; 1 when
 * some were set aside (res says how many; err has the sentence); -1 when
 * nothing could be placed (err says why; what was placed stays). */
int pv_handin_place(const char *drop_dir, const char *participant,
		    const struct pv_handin_words *w, char *const *temps, size_t n,
		    struct pv_handin_result *res, struct pv_err *err);

#endif
