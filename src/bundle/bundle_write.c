/* Writing a bundle: the stored photos are mapped and checked against the
 * catalogue, then every member is built and added in a fixed order:
 *   photos/, thumbs/, previews/, poster.pdf, contact-sheet.jpg, index.html,
 *   data-merge.csv, manifest.json, captions.txt, CREDITS.txt, LEESMIJ.txt,
 *   README.txt, SHA256SUMS
 * The same inputs always give the same bytes. */
#include "bundle_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- names and formats ---------------------------------------------------- */

int pv_bundle_format_parse(const char *s)
{
	if (!s)
		return -1;
	if (strcmp(s, "zip") == 0)
		return PV_BUNDLE_ZIP;
	if (strcmp(s, "tar.gz") == 0 || strcmp(s, "tgz") == 0)
		return PV_BUNDLE_TAR_GZ;
	if (strcmp(s, "tar.zst") == 0 || strcmp(s, "tzst") == 0)
		return PV_BUNDLE_TAR_ZST;
	if (strcmp(s, "7z") == 0)
		return PV_BUNDLE_7Z;
	return -1;
}

static int decimal_digits(size_t v)
{
	int d = 1;
	while (v >= 10) {
		v /= 10;
		d++;
	}
	return d;
}

void pv_bundle_member_name(const char *folder, size_t index, size_t count,
			int64_t id, char *out, size_t outlen)
{
	int width = decimal_digits(count);
	if (width < 2)
		width = 2;
	/* a name longer than outlen is cut short, as snprintf does */
	if (snprintf(out, outlen, "%s/%0*zu-%" PRId64 ".jpg", folder, width,
		     index + 1, id) < 0 && outlen)
		out[0] = '\0';
}

void pv_bundle_photo_name_of(size_t index, size_t count, int64_t id,
			     char *out, size_t outlen)
{
	pv_bundle_member_name("photos", index, count, id, out, outlen);
}

/* ---- the members ------------------------------------------------------------- */

struct build {
	struct pv_bundle_ctx ctx;
	struct pv_bundle_out *out;
	struct pv_err *err;
};

static int add_photos(struct build *b)
{
	for (size_t i = 0; i < b->ctx.n; i++) {
		const struct pv_bundle_photo *ph = &b->ctx.photos[i];
		if (pv_bundle_out_add(b->out, ph->name, ph->data, ph->len, 0, ph->sha256) != 0)
			return -1;
		if (b->ctx.opts->progress)
			pv_progress_step(1);
	}
	for (size_t i = 0; i < b->ctx.n; i++) {
		const struct pv_bundle_photo *ph = &b->ctx.photos[i];
		if (pv_bundle_out_add(b->out, ph->thumb, ph->thumb_data, ph->thumb_len, 0, NULL) != 0)
			return -1;
	}
	for (size_t i = 0; i < b->ctx.n; i++) {
		const struct pv_bundle_photo *ph = &b->ctx.photos[i];
		if (pv_bundle_out_add(b->out, ph->preview, ph->preview_data, ph->preview_len, 0, NULL) != 0)
			return -1;
	}
	return 0;
}

static int add_contact_sheet(struct build *b)
{
	uint8_t *jpeg;
	size_t len;
	if (pv_bundle_contact_sheet(&b->ctx, &jpeg, &len, b->err) != 0)
		return -1;
	int r = pv_bundle_out_add(b->out, "contact-sheet.jpg", jpeg, len, 0, NULL);
	free(jpeg);
	if (b->ctx.opts->progress)
		pv_progress_step(1);
	return r;
}

/* poster.pdf goes through a temporary file (already unlinked), hashed as it
 * is written, then into the archive. */
struct spool {
	int fd;
	size_t len;
	struct evp_md_ctx_st *sum;
};

static int spool_write(void *ctx, const void *data, size_t len)
{
	struct spool *s = ctx;
	if (pv_write_all(s->fd, data, len) != 0)
		return -1;
	pv_bundle_hash_update(s->sum, data, len);
	s->len += len;
	return 0;
}

static int spool_open(struct build *b, struct spool *s)
{
	char *path = pv_path_join(pv_bundle_out_work_dir(b->out), ".pv-poster.XXXXXX");
	s->fd = mkstemp(path);
	if (s->fd >= 0)
		unlink(path);
	free(path);
	if (s->fd < 0) {
		pv_fail(b->err, PV_ERR_OUTPUT, "poster.pdf could not be made: no temporary file can be created (%s).",
			   strerror(errno));
		return -1;
	}
	s->len = 0;
	s->sum = pv_bundle_hash_new();
	return 0;
}

static int add_poster(struct build *b)
{
	struct spool s;
	if (spool_open(b, &s) != 0)
		return -1;
	int r = pv_bundle_poster_pdf(&b->ctx, spool_write, &s, &b->ctx.poster_columns,
				     b->err);
	if (r == 0) {
		char hex[PV_SHA256_HEX];
		pv_bundle_hash_hex(s.sum, hex);
		r = pv_bundle_out_add_fd(b->out, "poster.pdf", s.fd, s.len, hex);
	}
	close(s.fd);
	pv_bundle_hash_free(s.sum);
	if (b->ctx.opts->progress)
		pv_progress_step(1);
	return r;
}

static int add_text(struct build *b, const char *name, char *text)
{
	if (!text) {
		if (!b->err || !b->err->msg[0])
			pv_fail(b->err, PV_ERR_OUTPUT, "%s could not be built (out of memory).", name);
		return -1;
	}
	int r = pv_bundle_out_add_text(b->out, name, text);
	free(text);
	return r;
}

static int add_documents(struct build *b)
{
	const struct pv_bundle_ctx *c = &b->ctx;
	if (b->err)
		pv_err_clear(b->err);
	if (add_text(b, "index.html", pv_bundle_index_html(c)) != 0 ||
	    add_text(b, "data-merge.csv", pv_bundle_csv(c)) != 0 ||
	    add_text(b, "manifest.json", pv_bundle_manifest_json(c, b->err)) != 0 ||
	    add_text(b, "captions.txt", pv_bundle_captions_txt(c)) != 0 ||
	    add_text(b, "CREDITS.txt", pv_bundle_credits_txt(c)) != 0 ||
	    add_text(b, "LEESMIJ.txt", pv_bundle_readme_txt(c, 1)) != 0 ||
	    add_text(b, "README.txt", pv_bundle_readme_txt(c, 0)) != 0)
		return -1;
	return 0;
}

static int add_members(struct build *b)
{
	if (add_photos(b) != 0 || add_poster(b) != 0 || add_contact_sheet(b) != 0 ||
	    add_documents(b) != 0)
		return -1;
	return 0;
}

/* ---- pv_bundle_write -------------------------------------------------------- */

static int text_ok(const char *s)
{
	return !s || pv_utf8_valid(s, strlen(s));
}

/* Every text that goes into the bundle must be UTF-8: checked before any
 * member is built. */
static int item_texts_ok(const struct pv_bundle_item *item)
{
	const struct pv_entry *e = item->entry;
	if (!text_ok(e->title) || !text_ok(e->caption) || !text_ok(e->story) ||
	    !text_ok(e->credit) || !text_ok(e->participant) || !text_ok(item->caption))
		return 0;
	for (size_t i = 0; e->tags && i < e->ntags && e->tags[i]; i++)
		if (!text_ok(e->tags[i]))
			return 0;
	return 1;
}

static int check_texts(const struct pv_bundle_item *items, size_t n,
		       const struct pv_bundle_opts *opts, struct pv_err *err)
{
	if (!text_ok(opts->poster.title) || !text_ok(opts->poster.subtitle) ||
	    !text_ok(opts->purpose)) {
		pv_fail(err, PV_ERR_INPUT, "The poster title, subtitle or purpose is not valid UTF-8 text.");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (!item_texts_ok(&items[i])) {
			pv_fail(err, PV_ERR_INPUT, "Entry %" PRId64 " holds text that is not valid UTF-8, so it cannot go into a bundle.",
				   items[i].entry->id);
			return -1;
		}
	}
	return 0;
}

static int check_request(const char *out_path, const struct pv_bundle_item *items,
			 size_t n, const struct pv_bundle_opts *opts,
			 struct pv_err *err)
{
	if (!out_path || !*out_path) {
		pv_fail(err, PV_ERR_INPUT, "No output file was given for the bundle.");
		return -1;
	}
	if (n == 0 || !items) {
		pv_fail(err, PV_ERR_INPUT, "There are no photos to put in the bundle.");
		return -1;
	}
	if ((unsigned)opts->format > PV_BUNDLE_7Z) {
		pv_fail(err, PV_ERR_INPUT, "The bundle format is unknown; use zip, tar.gz, tar.zst or 7z.");
		return -1;
	}
	if ((unsigned)opts->poster.paper > PV_PAPER_A0 || opts->poster.columns < 0 ||
	    opts->poster.columns > PV_POSTER_MAX_COLUMNS) {
		pv_fail(err, PV_ERR_INPUT, "The poster settings are not valid: paper A4 to A0, 1 to 12 columns.");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (!items[i].entry || !items[i].media_path || items[i].entry->id < 1) {
			pv_fail(err, PV_ERR_INPUT, "Photo %zu of the selection has no catalogue entry or stored file.", i + 1);
			return -1;
		}
	}
	return check_texts(items, n, opts, err);
}

static int build_bundle(struct build *b, const char *out_path, char sha256[65])
{
	const struct pv_bundle_opts *o = b->ctx.opts;
	b->out = pv_bundle_out_open(out_path, o->tmpdir, o->format, o->mtime,
				    b->err);
	if (!b->out)
		return -1;
	int r = add_members(b);
	if (r == 0)
		r = pv_bundle_out_finish(b->out, out_path, sha256, o->before_naming,
					 o->naming_ctx);
	pv_bundle_out_discard(b->out);
	b->out = NULL;
	return r;
}

static void fill_defaults(struct pv_bundle_opts *o, const struct pv_bundle_opts *given)
{
	static const struct pv_bundle_opts defaults = {
		.format = PV_BUNDLE_ZIP, .poster = { .paper = PV_PAPER_A2 } };
	*o = given ? *given : defaults;
	if (!o->purpose)
		o->purpose = "poster";
}

int pv_bundle_write(const char *out_path, const struct pv_bundle_item *items,
		    size_t n, const struct pv_bundle_opts *given,
		    char sha256[65], struct pv_err *err)
{
	struct pv_bundle_opts opts;
	fill_defaults(&opts, given);
	if (check_request(out_path, items, n, &opts, err) != 0)
		return -1;
	struct build b = { .ctx = { .items = items, .n = n, .opts = &opts },
			   .err = err };
	if (opts.progress)
		pv_progress_start(2 * n + 2, "Bundle");
	struct pv_bundle_photo *photos = pv_bundle_open_photos(items, n, &opts,
							       err);
	b.ctx.photos = photos;
	int r = photos ? build_bundle(&b, out_path, sha256) : -1;
	if (opts.progress)
		pv_progress_done();
	pv_bundle_close_photos(photos, n);
	return r;
}
