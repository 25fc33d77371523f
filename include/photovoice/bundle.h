/*
 * photovoice/bundle.h - poster-ready bundles: the selected photos, a PDF
 * poster, a browser preview, a contact sheet, a data-merge CSV, manifest.json,
 * captions, credits and checksums, written as one archive file through
 * libarchive; and the bundle spec file that describes a poster.
 * Return 0 on success, -1 on failure with one sentence in err.
 */
#ifndef PHOTOVOICE_BUNDLE_H
#define PHOTOVOICE_BUNDLE_H

#include "photovoice/err.h"

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "photovoice/err.h"
#include "photovoice/store.h"

/* The formats a bundle is written in: the rows of one table (formats.c),
 * each with its own file. These names are its first rows. */
enum pv_bundle_format {
	PV_BUNDLE_ZIP,
	PV_BUNDLE_TAR_GZ,
	PV_BUNDLE_TAR_ZST,
	PV_BUNDLE_7Z,
};

/* "zip", "tar.gz" (or "tgz"), "tar.zst" (or "tzst"), "7z"; -1 when unknown */
int pv_bundle_format_parse(const char *s);
/* The format's name; NULL when there is no such format. */
const char *pv_bundle_format_name(int format);
/* The format an output file name ends in (".tgz": tar.gz); -1 when none. */
int pv_bundle_format_of_name(const char *path);
/* Every format's name, for a sentence: "zip, tar.gz, tar.zst or 7z". */
const char *pv_bundle_format_list(void);

/* ---- poster settings ------------------------------------------------------ */

enum pv_paper { PV_PAPER_A4, PV_PAPER_A3, PV_PAPER_A2, PV_PAPER_A1, PV_PAPER_A0 };

/* "A4".."A0" (either case); -1 when unknown. */
int pv_paper_parse(const char *s);
const char *pv_paper_name(enum pv_paper p);           /* "A2" */
/* Size in PDF points (1/72 inch), portrait. */
void pv_paper_size(enum pv_paper p, double *width_pt, double *height_pt);

#define PV_POSTER_MAX_COLUMNS 12

struct pv_poster_settings {
	const char *title;       /* NULL: "Photovoice" */
	const char *subtitle;    /* NULL: none */
	enum pv_paper paper;
	int landscape;           /* 0 portrait, 1 landscape */
	int columns;             /* 1..PV_POSTER_MAX_COLUMNS; 0: chosen to fit */
};

/* ---- the spec file ---------------------------------------------------------- */

/* A bundle spec: a small UTF-8 text file describing a poster.
 *
 *   # lines starting with '#' are comments; blank lines are ignored
 *   Titel: Cliëntfeedback in beeld          (or Title:)
 *   Ondertitel: Wat jongeren ons lieten zien (or Subtitle:)
 *   Papier: A2                               (or Paper: A4, A3, A2, A1, A0)
 *   Richting: liggend                        (or Orientation: landscape;
 *                                             staand / portrait)
 *   Kolommen: 3                              (or Columns: 1 to 12)
 *   12                                       an entry, in poster order
 *   4: Mijn eigen plek, mijn regels.         an entry with its caption for
 *                                            this poster
 *
 * Keys are case-insensitive and may each appear once; entry lines may be
 * mixed with them. A byte-order mark and Windows line ends are accepted. */
struct pv_bundle_spec_entry {
	int64_t id;
	char *caption;           /* NULL: the catalogue's caption */
};

struct pv_bundle_spec {
	char *title;             /* NULL when not given */
	char *subtitle;
	int paper;               /* enum pv_paper, -1 when not given */
	int landscape;           /* 0, 1, or -1 when not given */
	int columns;             /* 0 when not given */
	struct pv_bundle_spec_entry *entries;
	size_t nentries;
};

/* Parse a spec held in memory (need not be NUL-terminated). On failure out is
 * left empty (nothing to free) and err says which line is wrong and why:
 * "Line 4 of the spec: ...". Safe on any bytes. */
int pv_bundle_spec_parse(const char *data, size_t len,
			 struct pv_bundle_spec *out, struct pv_err *err);
void pv_bundle_spec_free(struct pv_bundle_spec *spec);

/* ---- writing a bundle --------------------------------------------------------- */

struct pv_bundle_opts {
	int format;              /* enum pv_bundle_format: a row of the table */
	const char *purpose;     /* "poster" or "internal" */
	time_t mtime;            /* timestamp written for every member and as
				    the poster's PDF dates */
	const char *tmpdir;      /* where the temporary output is written */
	struct pv_poster_settings poster;
	/* Called with each warning sentence (a photo that would print below
	 * 150 dpi); NULL: warnings are dropped. */
	void (*warn)(const char *sentence, void *ctx);
	void *warn_ctx;
	int progress;            /* 1: a progress bar on a terminal */
	/* Called once the bundle is complete and on disk, with its SHA-256, just
	 * before it is given its name: the caller checks its entries again and
	 * records it here. Non-zero (with a sentence in err) discards the file,
	 * so that a bundle never has a name while something in it is not
	 * allowed. NULL: named at once. */
	int (*before_naming)(const char *sha256, void *ctx, struct pv_err *err);
	void *naming_ctx;
};

/* One selected photo: its catalogue entry and the paths of its stored files. */
struct pv_bundle_item {
	const struct pv_entry *entry;
	const char *media_path;
	/* stored thumbnail and preview (pv_archive_derived_path); NULL or a
	 * missing file: made from the photo */
	const char *thumb_path;
	const char *preview_path;
	const char *caption;     /* this bundle's caption (spec); NULL: the
				    entry's caption */
};

/* Write the bundle to out_path (temp file, then rename). On success fills
 * sha256 of the written archive file. Member names never contain anything of
 * the original file names: "photos/NN-ID.jpg". Same inputs give the same
 * bytes, on every machine (the zip DOS time field, local time for
 * libarchive, is written with the zone fixed to UTC for that moment only). opts NULL: zip, purpose "poster", A2
 * portrait, mtime 0. Refuses an empty selection, and a stored file whose hash
 * differs from its entry's sha256 (when that is set). Never removes or checks
 * an existing out_path: it is replaced. */
int pv_bundle_write(const char *out_path, const struct pv_bundle_item *items,
		    size_t n, const struct pv_bundle_opts *opts,
		    char sha256[65], struct pv_err *err);

/* ---- building a bundle: the whole rule in one call ------------------------------
 *
 * pv_bundle_build selects the entries (ids, tags, a query, a spec), leaves
 * out every entry its purpose does not allow today (pv_entry_usable_for),
 * writes the bundle, and, under the write lock, just before the complete
 * file gets its name, checks every entry again (an erasure or a withdrawn
 * consent while it was built stops it) and records it with an audit line.
 * The command line and the web server both call it; neither holds a rule. */

struct pv_bundle_request {
	struct pv_archive *archive;   /* open for reading: the selection */
	const char *archive_dir;      /* opened again for writing, to record */
	const char *actor;            /* who builds it, for the audit line */
	/* Which entries: each selector given narrows the others; at least one.
	 * Named entries (the spec's, then ids) keep their order and must have
	 * every tag; a query alone takes the catalogue's order. */
	const char *const *tags;
	size_t ntags;
	const int64_t *ids;
	size_t nids;
	const char *query;
	const char *spec_path;        /* a spec file, or */
	const char *spec_text;        /* the text of one, spec_len bytes */
	size_t spec_len;
	const char *purpose;          /* "poster" (NULL) or "internal" */
	const char *out;              /* the bundle file */
	const char *record_name;      /* the name it is recorded under (the
					 download's, from serve); NULL: out */
	const char *format;           /* "zip", ...; NULL: from out's ending */
	int replace;                  /* 0: an existing out is refused */
	/* The poster, over the spec's settings: paper -1, landscape -1,
	 * columns 0, title and subtitle NULL when not given. */
	int paper;
	int landscape;
	int columns;
	const char *title;
	const char *subtitle;
	int progress;                 /* 1: a progress bar on a terminal */
	/* Called when the record has to wait for another command's write
	 * lock (the bundle is complete then); NULL: nothing is said. */
	void (*waiting)(void *ctx);
	void *ctx;
};

/* The defaults of a request: nothing selected, purpose poster, no poster
 * setting given. */
#define PV_BUNDLE_REQUEST_INIT { .paper = -1, .landscape = -1 }

struct pv_bundle_left_out {
	int64_t id;
	char *reason;                 /* one sentence: "Entry 5 cannot go on a
					 poster: its consent is ..." */
};

struct pv_bundle_report {
	char sha256[65];              /* of the bundle file */
	const char *format;           /* "zip", ... */
	const char *purpose;
	enum pv_paper paper;
	int landscape;
	struct pv_bundle_report_entry {
		int64_t id;
		char file[64];            /* photos/NN-ID.jpg */
	} *entries;                   /* in bundle order */
	size_t count;
	struct pv_bundle_left_out *left_out;   /* also when the build fails */
	size_t nleft_out;
	char **warnings;              /* sentences: a photo that prints small */
	size_t nwarnings;
};

/* 0 with the report filled; -1 with err (the report still names what was
 * left out and why). Free the report in both cases. */
int pv_bundle_build(const struct pv_bundle_request *rq,
		    struct pv_bundle_report *out, struct pv_err *err);
/* What a request says on its own, without its archive (pv_bundle_build
 * checks it too): the front doors call it before they open the archive, so
 * that a request that cannot be read is refused as such whatever the state
 * of the archive. -1 with PV_ERR_USAGE when no entries are chosen (no tag,
 * id, query or spec) or an id is not an entry number or is named twice;
 * PV_ERR_INPUT for no output file, a purpose, format or poster setting
 * photovoice does not know. */
int pv_bundle_request_check(const struct pv_bundle_request *rq, struct pv_err *err);
void pv_bundle_report_free(struct pv_bundle_report *r);

/* Name of item i (0-based) in a bundle of count photos, as pv_bundle_write
 * writes it: the number is padded to the width of count, at least two digits
 * ("photos/007-12.jpg" when count is 100 to 999), so that names sort in
 * bundle order. */
void pv_bundle_photo_name_of(size_t index, size_t count, int64_t id, char *out,
			     size_t outlen);

/* ---- the poster builder (photovoice serve's /posters/new) -------------------------
 *
 * The same selection, consent rule and layout as pv_bundle_build, without
 * writing a bundle: what the browser shows while staff lay out a poster. */

/* The text of a spec file for spec, as pv_bundle_spec_parse reads it back
 * (English keys; a caption's line breaks become spaces, since a spec line
 * is one line). malloc'd; NULL on out of memory. */
char *pv_bundle_spec_text(const struct pv_bundle_spec *spec);

/* The builder's buttons, on a spec in poster order (spec_edit.c). */
#define PV_POSTER_BUILDER_MAX 60    /* photos on a poster made in the browser */
/* Whether entry id is on the poster. */
int pv_bundle_spec_holds(const struct pv_bundle_spec *s, int64_t id);
/* Entry id at the end, with a caption for this poster (NULL or "": the
 * catalogue's); PV_ERR_INPUT when the poster holds PV_POSTER_BUILDER_MAX. */
int pv_bundle_spec_append(struct pv_bundle_spec *s, int64_t id, const char *caption,
			  struct pv_err *err);
/* Entry id at the end when it may be used for purpose today; -1 with
 * pv_entry_usable_for's sentence when not, PV_ERR_NOT_FOUND when there is no
 * such entry. On the poster already: 0, nothing changes. */
int pv_bundle_spec_add_usable(struct pv_archive *a, struct pv_bundle_spec *s, int64_t id,
			      const char *purpose, struct pv_err *err);
/* Entry id one place earlier (by < 0) or later (by > 0; 0: where it is);
 * at either end it stays. PV_ERR_NOT_FOUND when it is not on the poster. */
int pv_bundle_spec_move(struct pv_bundle_spec *s, int64_t id, int by, struct pv_err *err);
/* Entry id off the poster; PV_ERR_NOT_FOUND when it is not on it. */
int pv_bundle_spec_remove(struct pv_bundle_spec *s, int64_t id, struct pv_err *err);

/* An entry that could be chosen for a poster, with why not when it may not
 * be used for the purpose today (pv_entry_usable_for's sentence). */
struct pv_bundle_candidate {
	struct pv_entry entry;
	char *why_not;                /* NULL: it may be used */
	int found;                    /* 0: the catalogue has no such entry
					 (pv_bundle_chosen only) */
};
struct pv_bundle_candidates {
	struct pv_bundle_candidate *items;
	size_t count;
};
/* The entries a query (the search language) and a tag find, each with
 * whether the purpose allows it today; at most limit (0: all). query or tag
 * NULL: not used; both NULL: the catalogue. An empty result is no error;
 * a query that cannot be read is (PV_ERR_USAGE, with how to write it). */
int pv_bundle_candidates(struct pv_archive *a, const char *query, const char *tag,
			 const char *purpose, size_t limit,
			 struct pv_bundle_candidates *out, struct pv_err *err);
void pv_bundle_candidates_free(struct pv_bundle_candidates *c);
/* The entries chosen for a poster (spec's, in its order), each as the
 * catalogue has it now, with whether purpose ("internal", else the poster's
 * rule) allows it today: the same rule and sentence as pv_bundle_candidates.
 * An entry the catalogue does not have (or could not read) has found 0, an
 * emptied entry and the catalogue's sentence as why_not (aborts when
 * memory runs out, as pv_strdup). Free with pv_bundle_candidates_free. */
void pv_bundle_chosen(struct pv_archive *a, const struct pv_bundle_spec *spec,
		      const char *purpose, struct pv_bundle_candidates *out);

/* The poster page of a request (its spec, ids, tags or query, and poster
 * settings, as pv_bundle_build takes them; out and format are not used) as a
 * PNG width_px wide, laid out by the layout of poster.pdf and drawn with the
 * stored previews instead of the photos. Entries the purpose does not allow
 * today are left out, as from the bundle. */
struct pv_poster_preview {
	unsigned char *png;
	size_t png_len;
	int width, height;            /* of the PNG */
	int columns;                  /* as laid out */
	struct pv_bundle_left_out *left_out;
	size_t nleft_out;
	char **warnings;              /* photos that would print below 150 dpi */
	size_t nwarnings;
};
#define PV_POSTER_PREVIEW_MAX_WIDTH 4000
int pv_poster_preview(const struct pv_bundle_request *rq, int width_px,
		      struct pv_poster_preview *out, struct pv_err *err);
void pv_poster_preview_free(struct pv_poster_preview *p);

/* A spec saved in the catalogue under name (id 0: a new poster, its number
 * in *saved_id; else poster id replaced), to open again later: w open for
 * writing. Logged (pv_store_poster_save). */
int pv_bundle_poster_save(struct pv_archive *w, int64_t id, const char *name,
			  const struct pv_bundle_spec *spec, int64_t *saved_id,
			  struct pv_err *err);
/* A saved poster as its spec (entries erased since are not in it), and its
 * name (malloc'd) when name is not NULL. PV_ERR_NOT_FOUND when none. */
int pv_bundle_poster_load(struct pv_archive *a, int64_t id, struct pv_bundle_spec *spec,
			  char **name, struct pv_err *err);

#endif
