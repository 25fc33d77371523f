/* Shared between the ingest module's own files; not part of the public API. */
#ifndef PV_INGEST_INTERNAL_H
#define PV_INGEST_INTERNAL_H

#include <stddef.h>

#include "photovoice/err.h"
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>

#include "photovoice/ingest.h"
#include "photovoice/store.h"

/* A file as it was read. Its original is removed only when it is still the
 * same file (device and inode), of the same size and modification time
 * (pv_file_id_same, intake.c). */
struct file_id {
	int known;
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
};
void pv_file_id_set(struct file_id *id, const struct stat *st);
/* 1 when path is still the file id names (or id is not known, or the file
 * is gone: nothing is left to lose). */
int pv_file_id_same(const struct file_id *id, const char *path);

/* A caption file found in the drop folder, parsed once. */
struct drop_sidecar {
	char *path;          /* full path */
	char *rel;           /* path relative to the drop folder */
	char *dir_rel;       /* its folder, relative ("" at the top) */
	char *stem;          /* name without extension */
	struct pv_sidecar parsed;
	int parse_failed;
	struct pv_err parse_error;
	unsigned users;      /* photos that have not yet been taken */
	int matched;
	int moved;           /* already removed or quarantined */
	const char *refuse_reason;   /* when not matched: why (else "no photo") */
	/* its content as read, so that forget finds any copy (pv_store_note_trace) */
	char content_sha[65];        /* "" when it could not be read */
	int64_t content_size;
	int64_t taken_by;            /* the entry its words went to, or 0 */
	struct pv_trace *siblings;   /* refused files that share it (a Live
					Photo's video) while no entry has it yet */
	size_t nsiblings;
	struct file_id read_id;      /* the file as read: removed only when it is
					still this, or still says content_sha */
};

struct drop_project;    /* a _project file (scan.c) */

/* Anything else found in the drop folder: a photo, or something to refuse. */
struct drop_photo {
	char *path;
	char *rel;
	char *dir_rel;
	char *stem;
	char *name;          /* file name */
	char *participant;   /* from its folder (NFC), or NULL; see scan.c */
	int is_symlink;
	struct drop_sidecar *sidecar;
	char *problem;       /* why it cannot be taken, found while scanning */
	const struct drop_project *project;   /* the nearest project file above */
};

/* Something ingest does not take (leftover.c): named in the report with its
 * reason, and set aside or left where it is. */
struct drop_leftover {
	char *path;
	char *rel;
	char *reason;        /* malloc'd sentence */
	int quarantine;      /* 1: set aside; 0: left in the drop folder */
	unsigned files;      /* regular files it stands for (a folder: those in it
				not named on a line of their own) */
};

struct drop_scan {
	struct drop_photo *photos;
	size_t nphotos;
	struct drop_sidecar *sidecars;
	size_t nsidecars;
	struct drop_project *projects;   /* never moved: they stay for later drops */
	size_t nprojects;
	struct drop_leftover *leftovers;
	size_t nleftovers;
};

/* Folders deeper than this below the drop folder are not looked into. */
#define PV_DROP_MAX_DEPTH 8

/* Walks drop_dir (subfolders too, never hidden ones, never following links),
 * parses every sidecar and matches it to its photos. What it does not take is
 * listed in out->leftovers. */
int pv_drop_scan(const char *drop_dir, struct drop_scan *out, struct pv_err *err);
void pv_drop_scan_free(struct drop_scan *s);

/* The fields an entry gets: the defaults of the project files above p (the
 * nearer, the more they count), then `own` (its caption file; NULL: none)
 * over them, tags adding up; the participant is own's, else a project
 * file's, else folder_participant (NULL: none), stored NFC. For a zip
 * member, p is the zip and own the member's caption file. Free out with
 * pv_sidecar_free. */
void pv_drop_fields(const struct drop_photo *p, const struct pv_sidecar *own,
		    const char *folder_participant, struct pv_sidecar *out);
/* The same for a loose photo: its own caption file and folder. */
void pv_drop_photo_fields(const struct drop_photo *p, struct pv_sidecar *out);

/* The same naming rules for the members of a zip submission: whether a name
 * is a caption file's (never a project file's), whether it is a project
 * file's, and whether the caption file at side_rel belongs to the photo at
 * photo_rel by name (both relative to the same root; NFC, case-insensitive;
 * captions.c). */
int pv_drop_is_sidecar_name(const char *name);
/* Whether a caption file with the photo's name (its exact stem) is beside
 * it in dir: a hint for watch that nothing more is awaited. */
int pv_drop_caption_beside(const char *dir, const char *photo);
/* Whether the file arrived (was written or renamed) less than seconds ago. */
int pv_drop_file_is_recent(const char *path, double seconds);
int pv_drop_is_project_name(const char *name);
int pv_drop_sidecar_fits(const char *side_rel, const char *photo_rel);

/* Which caption file belongs to which photo (captions.c), one rule for loose
 * files and zip members: photos and captions are paths relative to one root.
 * of[i]: photo i's caption file (an index into captions), or -1; many[i]:
 * more than one fits it (of[i] is the first; the photo is refused with
 * pv_caption_many_problem); second[j]: caption file j is such another one
 * (refused with pv_caption_second_reason). The caller zeroes the arrays. */
struct caption_match {
	long *of;
	int *many;
	int *second;
};
void pv_captions_match(const char *const *photos, size_t np, const char *const *captions,
		       size_t nc, struct caption_match *out);
extern const char *const pv_caption_many_problem;
extern const char *const pv_caption_second_reason;
/* Whether a caption file is still the one read at the start of the run: the
 * same file, size and time, or the same content. */
int pv_drop_sidecar_unchanged(const struct drop_sidecar *c);
/* Whether a caption file changed (or was moved in) less than `seconds` ago. */
int pv_drop_sidecar_is_recent(const struct drop_sidecar *c, double seconds);

/* One caption file speaks for one photo (onecaption.c), for loose files and
 * zip members alike; what counts as a photo is pv_drop_is_photo_name's (a
 * .mov beside a photo is not counted). */
/* The stem a copy was made from, when exists(base, ctx) says a caption file
 * has that stem: "IMG_1 (1)", "IMG_1 (conflicted copy 2026-01-02)",
 * "IMG_1.sync-conflict-20260102-101010-ABCDEF", "IMG_1-DESKTOP-AB12",
 * "IMG_1 - Kopie", "IMG_1 copy" give "IMG_1". malloc'd, or NULL. */
char *pv_drop_copy_base(const char *stem, int (*exists)(const char *base, void *ctx),
			void *ctx);
/* 1 when two files are the same photo: the same bytes, or the same clean
 * photo once the metadata is removed (one entry in the archive). */
int pv_same_photo(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen);
/* The sentence for photos that share one caption file, naming each. */
char *pv_one_caption_problem(const char *caption_rel, const char *const *photo_rels,
			     size_t n);

/* Parses a caption file by its name's ending: .json, else .txt/.md. */
int pv_drop_parse_sidecar(const char *name, const char *data, size_t len,
			  struct pv_sidecar *out, struct pv_err *err);

/* leftover.c: when `name` (lstat'ed as sb) is something ingest does not take
 * (hidden, a folder too deep when too_deep, not a regular file, a Mac,
 * Windows or sync client's file, a download not finished), adds it, and for
 * a folder its files, to out->leftovers and returns 1; else 0. */
int pv_drop_leftover(struct drop_scan *out, size_t *cap, const char *path, const char *rel,
		     const char *name, const struct stat *sb, int too_deep);
void pv_drop_unreadable_folder(struct drop_scan *out, size_t *cap, const char *path,
			       const char *rel, int why);
void pv_drop_leftovers_free(struct drop_scan *s);
/* Whether a name ends like a photo (or a zip of photos). */
int pv_drop_is_photo_name(const char *name);

#endif
