/* Internals of the bundle module shared between its source files. */
#ifndef PV_BUNDLE_INTERNAL_H
#define PV_BUNDLE_INTERNAL_H

#include <stddef.h>

#include "photovoice/bundle.h"
#include "photovoice/util.h"

/* "photos/" + up to 20 digits + "-" + up to 20 characters + ".jpg" */
#define PV_BUNDLE_NAME_MAX 64

/* Photos that would print below this many dots per inch are named. */
#define PV_POSTER_MIN_DPI 150

/* What the writer learnt about one photo while putting it in the archive. */
struct pv_bundle_photo {
	char name[PV_BUNDLE_NAME_MAX];      /* photos/NN-ID.jpg */
	char thumb[PV_BUNDLE_NAME_MAX];     /* thumbs/NN-ID.jpg */
	char preview[PV_BUNDLE_NAME_MAX];   /* previews/NN-ID.jpg */
	char sha256[PV_SHA256_HEX];
	int number;                         /* 1-based position */
	const uint8_t *data;                /* the stored photo, mapped */
	size_t len;
	int raw_w, raw_h;                   /* as stored */
	int orientation;                    /* 1..8: EXIF tag still to apply */
	int width, height;                  /* as displayed (upright) */
	uint8_t *thumb_data, *preview_data; /* JPEG, malloc'd */
	size_t thumb_len, preview_len;
	uint8_t *print_data;                /* the poster's sRGB copy of a CMYK
					       photo (malloc'd), else NULL */
	size_t print_len;
};

/* Everything the member builders read: the selection, what the writer learnt
 * and the options (never NULL here: defaults filled in). */
struct pv_bundle_ctx {
	const struct pv_bundle_item *items;
	const struct pv_bundle_photo *photos;
	size_t n;
	const struct pv_bundle_opts *opts;
	int poster_columns;                 /* as the poster laid them out */
};

/* "FOLDER/NN-ID.jpg" as pv_bundle_photo_name_of, for any folder. */
void pv_bundle_member_name(const char *folder, size_t index, size_t count,
			   int64_t id, char *out, size_t outlen);

/* Maps every stored photo, checks it is the file the catalogue knows, reads
 * its size and orientation, and loads or makes its thumbnail and preview (on
 * as many threads as there are cores; a progress step per photo). NULL with
 * a sentence in err on failure (nothing to free). */
struct pv_bundle_photo *pv_bundle_open_photos(const struct pv_bundle_item *items,
					      size_t n,
					      const struct pv_bundle_opts *opts,
					      struct pv_err *err);
void pv_bundle_close_photos(struct pv_bundle_photo *photos, size_t n);

/* The caption this bundle uses for item: the spec's, else the entry's. */
const char *pv_bundle_caption(const struct pv_bundle_item *item);
/* The poster title: the settings' title, else "Photovoice". */
const char *pv_bundle_title(const struct pv_poster_settings *poster);

/* Members built as malloc'd, NUL-terminated texts; NULL with a sentence in
 * err on failure. */
char *pv_bundle_manifest_json(const struct pv_bundle_ctx *c, struct pv_err *err);
char *pv_bundle_captions_txt(const struct pv_bundle_ctx *c);
char *pv_bundle_credits_txt(const struct pv_bundle_ctx *c);
char *pv_bundle_readme_txt(const struct pv_bundle_ctx *c, int dutch);
/* data-merge.csv: UTF-8 with a byte-order mark, CRLF line ends. */
char *pv_bundle_csv(const struct pv_bundle_ctx *c);

/* index.html (html.c) */
char *pv_bundle_index_html(const struct pv_bundle_ctx *c);
/* contact-sheet.jpg (contact.c): *out malloc'd */
int pv_bundle_contact_sheet(const struct pv_bundle_ctx *c, uint8_t **out,
			    size_t *outlen, struct pv_err *err);

/* poster.pdf, written through write(ctx, data, len) as cairo produces it
 * (write returns 0, or -1 to stop); warnings (low resolution) through
 * c->opts->warn; *columns set to the number of columns of its grid. */
int pv_bundle_poster_pdf(const struct pv_bundle_ctx *c,
			 int (*write)(void *ctx, const void *data, size_t len),
			 void *write_ctx, int *columns, struct pv_err *err);

/* Closes a memory stream opened with open_memstream(text, ...) and returns
 * *text, or NULL (*text freed) when writing it failed. */
#include <stdio.h>
char *pv_bundle_text_finish(FILE *f, char **text);

/* ---- the archive file (archive_out.c) ---------------------------------------
 * Members are written in the order added, each with the bundle's time, owner
 * root, mode 0644; each is noted in SHA256SUMS, which finish adds last. err
 * given to open receive every later failure too. */
struct pv_bundle_out;
struct pv_bundle_out *pv_bundle_out_open(const char *out_path, const char *tmpdir,
					 enum pv_bundle_format format,
					 time_t mtime, struct pv_err *err);
/* sha_hex: the member's SHA-256 when known, else NULL (computed) */
int pv_bundle_out_add(struct pv_bundle_out *o, const char *name,
		      const void *data, size_t len, int compress,
		      const char *sha_hex);
int pv_bundle_out_add_text(struct pv_bundle_out *o, const char *name,
			   const char *text);
/* len bytes read from the start of fd, stored without compression */
int pv_bundle_out_add_fd(struct pv_bundle_out *o, const char *name, int fd,
			 size_t len, const char *sha_hex);
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
