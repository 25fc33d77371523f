/* Internals of the bundle module shared between its source files. */
#ifndef PV_BUNDLE_INTERNAL_H
#define PV_BUNDLE_INTERNAL_H

#include <stddef.h>
#include <stdio.h>

#include "photovoice/bundle.h"
#include "photovoice/util.h"

/* "photos/" + up to 20 digits + "-" + up to 20 characters + ".jpg" */
#define PV_BUNDLE_NAME_MAX 64

/* Photos that would print below this many dots per inch are named. */
#define PV_POSTER_MIN_DPI 150

/* A file of the bundle mapped read-only. Its pages count as the process's
 * memory only while they are touched: pv_bundle_map_release gives them back
 * (they are read again from the file if touched later), so that a bundle
 * holds about one photo at a time, whatever its size. */
struct pv_bundle_map {
	const uint8_t *data;
	size_t len;
	void *base;                         /* the mapping (page-aligned) */
	size_t base_len;
};
void pv_bundle_map_release(const struct pv_bundle_map *m);
void pv_bundle_unmap(struct pv_bundle_map *m);

/* What the writer learnt about one photo while putting it in the archive. */
struct pv_bundle_photo {
	char name[PV_BUNDLE_NAME_MAX];      /* photos/NN-ID.jpg */
	char thumb_name[PV_BUNDLE_NAME_MAX];   /* thumbs/NN-ID.jpg */
	char preview_name[PV_BUNDLE_NAME_MAX]; /* previews/NN-ID.jpg */
	char sha256[PV_SHA256_HEX];
	int number;                         /* 1-based position */
	struct pv_bundle_map photo;         /* the stored photo */
	int raw_w, raw_h;                   /* as stored */
	int orientation;                    /* 1..8: EXIF tag still to apply */
	int width, height;                  /* as displayed (upright) */
	struct pv_bundle_map thumb, preview;   /* JPEG: stored, or made */
	int thumb_w, thumb_h, preview_w, preview_h;
	/* the poster's sRGB copy of a CMYK photo; len 0: the photo itself */
	struct pv_bundle_map print;
};

/* Everything the member builders read: the selection, what the writer learnt
 * and the options (never NULL here: defaults filled in). */
struct pv_bundle_ctx {
	const struct pv_bundle_item *items;
	const struct pv_bundle_photo *photos;
	size_t n;
	const struct pv_bundle_opts *opts;
	int *poster_columns;                /* set by the poster: as it laid
					       them out */
	const char *work_dir;               /* where temporary files go */
};

/* Gives back the pages of every photo's mappings (pv_bundle_map_release). */
void pv_bundle_release_photos(const struct pv_bundle_ctx *c);

/* "FOLDER/NN-ID.jpg" as pv_bundle_photo_name_of, for any folder. */
void pv_bundle_member_name(const char *folder, size_t index, size_t count,
			   int64_t id, char *out, size_t outlen);

/* Maps every stored photo, checks it is the file the catalogue knows, reads
 * its size and orientation, and maps or makes its thumbnail and preview (on
 * as many threads as there are cores; a progress step per photo). What is
 * made (the derivatives of a photo stored before they were kept, the sRGB
 * copy of a CMYK photo) goes into an unnamed file in work_dir, never into
 * memory for long. NULL with a sentence in err on failure (nothing to
 * free). */
struct pv_bundle_photo *pv_bundle_open_photos(const struct pv_bundle_item *items,
					      size_t n,
					      const struct pv_bundle_opts *opts,
					      const char *work_dir,
					      struct pv_err *err);
void pv_bundle_close_photos(struct pv_bundle_photo *photos, size_t n);

struct pv_bundle_out;

/* ---- the members (members.c holds their one table) --------------------------
 * A member that is one file is written to a FILE (an unnamed temporary file,
 * hashed as it is written, then copied into the archive); a folder of
 * members (photos/, thumbs/, previews/) adds its files itself. */
struct pv_bundle_member {
	const char *name;                   /* "poster.pdf", "photos/" */
	int (*write)(const struct pv_bundle_ctx *c, FILE *f, struct pv_err *err);
	int (*add)(const struct pv_bundle_ctx *c, struct pv_bundle_out *out,
		   struct pv_err *err);
	int compress;                       /* deflate it (text) */
	const char *dutch, *english;        /* what it is for (LEESMIJ, README) */
};
/* The members in the order they are written; SHA256SUMS (written by the
 * archive itself, last) is the last row. */
extern const struct pv_bundle_member pv_bundle_members[];
extern const size_t pv_bundle_nmembers;

/* The builders, each in its own file. */
int pv_bundle_add_photos(const struct pv_bundle_ctx *c, struct pv_bundle_out *out,
			 struct pv_err *err);
int pv_bundle_add_thumbs(const struct pv_bundle_ctx *c, struct pv_bundle_out *out,
			 struct pv_err *err);
int pv_bundle_add_previews(const struct pv_bundle_ctx *c, struct pv_bundle_out *out,
			   struct pv_err *err);
/* poster.pdf (poster.c); warnings (low resolution) through c->opts->warn;
 * the number of columns of its grid into *c->poster_columns. Pages of the
 * photos that were read are given back as the PDF is written. */
int pv_bundle_poster_pdf(const struct pv_bundle_ctx *c, FILE *f, struct pv_err *err);
int pv_bundle_contact_sheet(const struct pv_bundle_ctx *c, FILE *f, struct pv_err *err);
int pv_bundle_index_html(const struct pv_bundle_ctx *c, FILE *f, struct pv_err *err);
/* data-merge.csv: UTF-8 with a byte-order mark, CRLF line ends. */
int pv_bundle_csv(const struct pv_bundle_ctx *c, FILE *f, struct pv_err *err);
int pv_bundle_manifest_json(const struct pv_bundle_ctx *c, FILE *f, struct pv_err *err);
int pv_bundle_captions_txt(const struct pv_bundle_ctx *c, FILE *f, struct pv_err *err);
int pv_bundle_credits_txt(const struct pv_bundle_ctx *c, FILE *f, struct pv_err *err);
int pv_bundle_leesmij_txt(const struct pv_bundle_ctx *c, FILE *f, struct pv_err *err);
int pv_bundle_readme_txt(const struct pv_bundle_ctx *c, FILE *f, struct pv_err *err);

/* The caption this bundle uses for item: the spec's, else the entry's. */
const char *pv_bundle_caption(const struct pv_bundle_item *item);
/* The poster title: the settings' title, else "Photovoice". */
const char *pv_bundle_title(const struct pv_poster_settings *poster);

/* An unnamed temporary file in dir (removed by the kernel when closed);
 * -1 with a sentence naming what when none can be made. */
int pv_bundle_tmpfile(const char *dir, const char *what, struct pv_err *err);

/* ---- the formats (formats.c holds their one table) ------------------------- */
struct archive;
struct pv_bundle_format_def {
	const char *name;                   /* as --format takes it: "tar.gz" */
	const char *aliases[2];             /* other names it takes: "tgz" */
	const char *endings[2];             /* output names it is chosen by */
	/* libarchive's container and filters for it; -1 with a sentence */
	int (*setup)(struct archive *a, struct pv_err *err);
	/* called before each member: stored or deflated (NULL: the filter
	 * compresses everything) */
	void (*member)(struct archive *a, int compress);
	int local_times;                    /* member times in local time (zip) */
};
extern const struct pv_bundle_format_def pv_bundle_formats[];
extern const size_t pv_bundle_nformats;

/* The set-up of each format, each in its own file (format_NAME.c). */
int pv_bundle_setup_zip(struct archive *a, struct pv_err *err);
void pv_bundle_zip_member(struct archive *a, int compress);
int pv_bundle_setup_tar_gz(struct archive *a, struct pv_err *err);
int pv_bundle_setup_tar_zst(struct archive *a, struct pv_err *err);
int pv_bundle_setup_7z(struct archive *a, struct pv_err *err);

/* ---- the archive file (archive_out.c) ---------------------------------------
 * Members are written in the order added, each with the bundle's time, owner
 * root, mode 0644; each is noted in SHA256SUMS, which finish adds last. err
 * given to open receives every later failure too. */
struct pv_bundle_out *pv_bundle_out_open(const char *out_path, const char *tmpdir,
					 const struct pv_bundle_format_def *format,
					 time_t mtime, struct pv_err *err);
/* sha_hex: the member's SHA-256 when known, else NULL (computed) */
int pv_bundle_out_add(struct pv_bundle_out *o, const char *name,
		      const void *data, size_t len, int compress,
		      const char *sha_hex);
/* len bytes read from the start of fd */
int pv_bundle_out_add_fd(struct pv_bundle_out *o, const char *name, int fd,
			 size_t len, int compress, const char *sha_hex);
/* The folder of the temporary output: for other temporary files. */
const char *pv_bundle_out_work_dir(const struct pv_bundle_out *o);
/* Finishes and syncs the file, calls before_naming (when not NULL; its
 * failure discards the file), then names it out_path. */
int pv_bundle_out_finish(struct pv_bundle_out *o, const char *out_path,
			 char sha256[65],
			 int (*before_naming)(const char *, void *, struct pv_err *),
			 void *naming_ctx);
/* Removes the temporary file and frees; safe after finish and on NULL. */
void pv_bundle_out_discard(struct pv_bundle_out *o);

/* SHA-256 of data given in pieces (OpenSSL; the CPU's SHA instructions).
 * hex finishes the hash; free is safe on NULL. */
struct evp_md_ctx_st;
struct evp_md_ctx_st *pv_bundle_hash_new(void);
void pv_bundle_hash_update(struct evp_md_ctx_st *h, const void *data, size_t len);
void pv_bundle_hash_hex(struct evp_md_ctx_st *h, char out[PV_SHA256_HEX]);
void pv_bundle_hash_free(struct evp_md_ctx_st *h);


#endif
