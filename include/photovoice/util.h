/*
 * photovoice/util.h - small shared pieces: hashing, whole-file I/O, atomic
 * writes, UTF-8. Errors as photovoice/err.h says: 0 on success, -1 on
 * failure with err filled.
 */
#ifndef PHOTOVOICE_UTIL_H
#define PHOTOVOICE_UTIL_H

#include <stddef.h>
#include <sys/stat.h>
#include <stdint.h>
#include <stdarg.h>

#include "photovoice/err.h"

#define PV_SHA256_HEX 65   /* 64 hex digits and a NUL */

/* Largest file photovoice reads into memory (a photo, a sidecar). */
#define PV_MAX_FILE_BYTES ((size_t)256 * 1024 * 1024)
#define PV_MAX_SIDECAR_BYTES ((size_t)1024 * 1024)

void pv_sha256_hex(const void *data, size_t len, char out[PV_SHA256_HEX]);

/* SHA-256 and size of a regular file, read in pieces (never follows a
 * symbolic link, never blocks on a FIFO); -1 when it cannot be read. */
int pv_sha256_file(const char *path, char out[PV_SHA256_HEX], int64_t *size);

/* Read a whole regular file (never follows a symlink, never blocks on a
 * FIFO); refuses over max bytes. A refusal is one sentence naming the file
 * by path ("PATH is a folder, not a file."), for callers to show as it is;
 * PV_ERR_NOT_FOUND when there is no such file, else PV_ERR_INPUT. */
int pv_read_file(const char *path, size_t max, uint8_t **data, size_t *len,
		 struct pv_err *err);

/* Write data to path atomically: temp file in tmpdir (same filesystem), fsync,
 * rename, fsync of the directory. Mode 0600. */
int pv_write_atomic(const char *path, const char *tmpdir, const void *data,
		    size_t len, struct pv_err *err);

/* The same, but never replaces an existing file: fails with a sentence saying
 * it exists, even when another writer creates it at the same moment. */
int pv_write_new(const char *path, const char *tmpdir, const void *data,
		 size_t len, struct pv_err *err);

/* Writing a batch of files with one sync (src/util/durable.c). The rule:
 * bytes first, then names, then the word "done". pv_write_temp writes a new
 * temporary file (.pv-write.XXXXXX, mode 0600) in dir, not synced, and sets
 * *tmp (malloc'd). pv_sync_filesystems makes every written byte on the file
 * systems holding paths durable (one syncfs each, however many files).
 * pv_place_file then gives a temporary file its name: replace renames over
 * path; otherwise it never replaces (PV_ERR_CONFLICT when path exists); the
 * temporary file is gone either way. pv_sync_folders_of syncs each distinct
 * folder of paths once, making the names durable. Only after that may a
 * caller say a file is done or remove its source. */
int pv_write_temp(const char *dir, const void *data, size_t len, char **tmp,
		  struct pv_err *err);
int pv_sync_filesystems(const char *const *paths, size_t n, struct pv_err *err);
int pv_place_file(const char *tmp, const char *path, int replace, struct pv_err *err);
int pv_sync_folders_of(const char *const *paths, size_t n, struct pv_err *err);

/* write() all of data, retrying after EINTR and short writes. */
int pv_write_all(int fd, const void *data, size_t len);

int pv_fsync_dir(const char *dir);
int pv_mkdir_p(const char *path, int mode);

/* UTF-8 */
int pv_utf8_valid(const char *s, size_t len);
char *pv_utf8_nfc(const char *s, size_t len);   /* NULL if invalid */
char *pv_utf8_casefold(const char *s);          /* lower case, malloc'd */

/* Words people wrote (text.c). A control is a character that shows no word
 * but can steer a terminal or reorder the text around it: C0 controls other
 * than tab and line feed (ESC, BEL, CR, backspace, ...), DEL, C1 controls
 * (U+0080..U+009F, such as U+009B CSI), the bidirectional embeddings,
 * overrides and isolates (U+202A..U+202E, U+2066..U+2069) and U+FEFF. */
int pv_text_is_control(uint32_t c);
/* What intake keeps of a text, whichever way it came (caption file, the
 * photo's own metadata, edit): in place, CR LF, CR, U+2028 and U+2029 become
 * a line feed; controls and bytes that are not UTF-8 are dropped. Returns s. */
char *pv_text_keep(char *s);
/* The same on a malloc'd copy, trimmed; NULL when nothing is left. */
char *pv_text_kept(const char *s);
/* Text as a terminal may be shown it (malloc'd; NULL for NULL): each control
 * written visibly as "<U+001B>", a byte that is not UTF-8 as "<0xFF>";
 * one_line also turns line breaks and tabs into spaces (a row of a list). */
char *pv_text_for_terminal(const char *s, int one_line);
/* The optimal string alignment distance of a and b (an insertion, deletion,
 * change or swap of two neighbours counts one), on bytes: how far a typed
 * word is from a known one. 64 or more when either is longer than 63. */
int pv_edit_distance(const char *a, const char *b);
/* A JSON document with every control that JSON lets stand raw (C1, the
 * bidirectional ones, U+FEFF) written as a \uXXXX escape: the same text,
 * exact, never sent raw to a terminal. malloc'd; NULL for NULL. */
char *pv_text_json_safe(const char *json);

char *pv_strdup(const char *s);           /* NULL-safe; aborts on OOM */
char *pv_strndup(const char *s, size_t n);
char *pv_path_join(const char *a, const char *b);

/* Calls fn for every regular file below dir (path, its stat), going at most
 * max_depth folders down and never following a symbolic link. 0, or -1 when
 * dir itself cannot be read (a missing dir is 0: nothing in it). */
int pv_walk_files(const char *dir, int max_depth,
		  void (*fn)(const char *path, const struct stat *st, void *ctx),
		  void *ctx);
char *pv_trim(char *s);                   /* in place; returns s */

/* The folder part of a path ("." when there is none); malloc'd. */
char *pv_dir_of(const char *path);

/* One validator per kind of value (src/util/values.c), for caption files,
 * spec files and the command line alike. A date is exactly "YYYY-MM-DD", a
 * real day of the calendar (leap years counted); no spaces around it. */
int pv_date_valid(const char *s);
/* "none" or "geen" (any case): the word for no end date, where a date that
 * ends something is asked for. */
int pv_date_none(const char *s);
/* ja/yes/j/y/true/1 -> 1, nee/no/n/false/0 -> 0 (any case), else -1. */
int pv_yes_no_parse(const char *s);

/* The one reader of "Key: value" lines (src/util/keyvalue.c), for caption
 * files, project files and bundle spec files alike; each keeps its own keys.
 * Read as people write them: Markdown marks, emphasis and any kind of space
 * around the key, a full-width colon; a key is one or two words of letters
 * (at most PV_KV_KEY_MAX bytes) before the colon. */
#define PV_KV_KEY_MAX 40
struct pv_kv_line {
	enum { PV_KV_BLANK, PV_KV_FENCE, PV_KV_PAIR, PV_KV_TEXT } kind;
	int heading;                  /* a Markdown heading mark came first */
	char key[PV_KV_KEY_MAX + 1];  /* PAIR: as written, marks and spaces off */
	char *value;                  /* PAIR: after the colon, pv_kv_clean_value */
	char *text;                   /* TEXT: the line after its Markdown marks */
};
void pv_kv_read_line(const char *line, struct pv_kv_line *out);
void pv_kv_line_free(struct pv_kv_line *l);
/* A value with its spaces taken off both ends, and its emphasis when it
 * starts with some ("**geen**"; "klik_2025" keeps its '_'); malloc'd. */
char *pv_kv_clean_value(const char *v);

/* Today's local date as "YYYY-MM-DD". */
void pv_today_iso(char out[11]);

/* Runs work(i, ctx) for i in 0..n-1 on up to `threads` threads, and
 * finish(i, ctx) on the calling thread in order 0..n-1 as each is done.
 * Workers run at most 4 x `threads` items ahead of finish, so what finished
 * items hold is bounded. */
void pv_pool_run(size_t n, int threads, void (*work)(size_t, void *),
		 void (*finish)(size_t, void *), void *ctx);
int pv_default_jobs(void);   /* the number of cores, 1 to 64 */

/* Current time as "YYYY-MM-DDTHH:MM:SSZ" (UTC). */
void pv_now_iso(char out[21]);

/* A progress bar on stderr, drawn only when stderr is a terminal (otherwise
 * every call does nothing): "LABEL 12/40  3.4/s  0:08 left  [####....]",
 * redrawn at most ten times a second. One bar at a time; thread-safe.
 * Anything printed to the terminal while a bar is shown should be preceded by
 * pv_progress_clear() (the next step draws the bar again below it). */
void pv_progress_start(size_t total, const char *label);
void pv_progress_step(size_t n);     /* n more items done */
void pv_progress_clear(void);        /* erase the bar for now */
void pv_progress_done(void);         /* erase the bar; the run is over */
/* The bar's text for `done` of `total` after `elapsed` seconds, at most
 * `width` columns (the bar itself is left out when there is no room). */
void pv_progress_format(char *out, size_t n, const char *label, size_t done,
			size_t total, double elapsed, int width);

/* The end of a PDF drawn with cairo on pdf (src/util/pdf.c): destroys cr,
 * finishes pdf (its last bytes reach its stream) and destroys it. NULL when
 * all went well, else cairo's words for the first failure, to put in a
 * sentence. (The types as cairo.h declares them, which this header does
 * not include.) */
typedef struct _cairo cairo_t;
typedef struct _cairo_surface cairo_surface_t;
const char *pv_pdf_finish(cairo_surface_t *pdf, cairo_t *cr);

#endif
