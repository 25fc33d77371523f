/* Writing a bundle: the stored photos are mapped and checked against the
 * catalogue, then every member of the one table (members.c) is built and
 * added in its order, SHA256SUMS last. The same inputs always give the same
 * bytes.
 *
 * A member that is one file is written to an unnamed temporary file, hashed
 * as it is written, then copied into the archive: no member is ever held in
 * memory whole, so that memory stays flat in the bundle's size. */
#include "bundle_internal.h"
#include "photovoice/i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- names ----------------------------------------------------------------- */

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

/* ---- temporary files ------------------------------------------------------------ */

int pv_bundle_tmpfile(const char *dir, const char *what, struct pv_err *err)
{
	int fd = -1;
#ifdef O_TMPFILE
	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
#endif
	if (fd < 0) {
		char *path = pv_path_join(dir, ".pv-bundle-part.XXXXXX");
		fd = mkstemp(path);
		if (fd >= 0)
			unlink(path);
		free(path);
	}
	if (fd < 0)
		pv_fail(err, PV_ERR_OUTPUT, "%s could not be made: no temporary file can be created in %s (%s).",
			what, dir, strerror(errno));
	return fd;
}

/* A member being written: its bytes go to fd and into the hash. */
struct member_file {
	int fd;
	size_t len;
	struct evp_md_ctx_st *sum;
	int failed;
};

static ssize_t member_write(void *cookie, const char *data, size_t len)
{
	struct member_file *m = cookie;
	if (pv_write_all(m->fd, data, len) != 0) {
		m->failed = 1;
		return -1;
	}
	pv_bundle_hash_update(m->sum, data, len);
	m->len += len;
	return (ssize_t)len;
}

/* ---- the members -------------------------------------------------------------------- */

struct build {
	struct pv_bundle_ctx ctx;
	int poster_columns;
	struct pv_bundle_out *out;
	int member_fd;              /* one temporary file, for each member in turn */
	struct pv_err *err;
};

static int add_file_member(struct build *b, const struct pv_bundle_member *row)
{
	if (ftruncate(b->member_fd, 0) != 0 || lseek(b->member_fd, 0, SEEK_SET) != 0)
		return pv_fail(b->err, PV_ERR_OUTPUT, "%s could not be made (%s).", row->name, strerror(errno));
	struct member_file m = { .fd = b->member_fd, .sum = pv_bundle_hash_new() };
	static const cookie_io_functions_t io = { .write = member_write };
	FILE *f = fopencookie(&m, "w", io);
	pv_err_clear(b->err);
	int r = f ? row->write(&b->ctx, f, b->err) : -1;
	if ((f && fclose(f) != 0) || m.failed || (r != 0 && b->err && !b->err->kind))
		r = pv_fail(b->err, PV_ERR_OUTPUT, "%s could not be made (%s).", row->name,
			    m.failed ? strerror(errno) : "out of memory");
	char hex[PV_SHA256_HEX];
	pv_bundle_hash_hex(m.sum, hex);
	pv_bundle_hash_free(m.sum);
	if (r == 0)
		r = pv_bundle_out_add_fd(b->out, row->name, b->member_fd, m.len, row->compress, hex);
	if (b->ctx.opts->progress)
		pv_progress_step(1);
	return r;
}

static int add_members(struct build *b)
{
	for (size_t i = 0; i < pv_bundle_nmembers; i++) {
		const struct pv_bundle_member *row = &pv_bundle_members[i];
		int r = 0;
		if (row->add)
			r = row->add(&b->ctx, b->out, b->err);
		else if (row->write)
			r = add_file_member(b, row);
		if (r != 0)
			return -1;
	}
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
	    !text_ok(opts->purpose))
		return pv_fail(err, PV_ERR_INPUT, "The poster title, subtitle or purpose is not valid UTF-8 text.");
	for (size_t i = 0; i < n; i++)
		if (!item_texts_ok(&items[i]))
			return pv_fail(err, PV_ERR_INPUT,
				       "Entry %" PRId64 " holds text that is not valid UTF-8, so it cannot go into a bundle.",
				       items[i].entry->id);
	return 0;
}

static int check_request(const char *out_path, const struct pv_bundle_item *items,
			 size_t n, const struct pv_bundle_opts *opts, struct pv_err *err)
{
	if (!out_path || !*out_path)
		return pv_fail(err, PV_ERR_INPUT, "No output file was given for the bundle.");
	if (n == 0 || !items)
		return pv_fail(err, PV_ERR_INPUT, "There are no photos to put in the bundle.");
	if (!pv_bundle_format_name(opts->format))
		return pv_fail(err, PV_ERR_INPUT, "The bundle format is unknown; use %s.",
			       pv_bundle_format_list());
	if ((unsigned)opts->poster.paper > PV_PAPER_A0 || opts->poster.columns < 0 ||
	    opts->poster.columns > PV_POSTER_MAX_COLUMNS)
		return pv_fail(err, PV_ERR_INPUT, "The poster settings are not valid: paper A4 to A0, 1 to 12 columns.");
	for (size_t i = 0; i < n; i++)
		if (!items[i].entry || !items[i].media_path || items[i].entry->id < 1)
			return pv_fail(err, PV_ERR_INPUT, "Photo %zu of the selection has no catalogue entry or stored file.",
				       i + 1);
	return check_texts(items, n, opts, err);
}

static int build_bundle(struct build *b, const char *out_path, char sha256[65])
{
	const struct pv_bundle_opts *o = b->ctx.opts;
	b->out = pv_bundle_out_open(out_path, o->tmpdir, &pv_bundle_formats[o->format], o->mtime,
				    b->err);
	if (!b->out)
		return -1;
	b->member_fd = pv_bundle_tmpfile(b->ctx.work_dir, "The bundle", b->err);
	int r = b->member_fd >= 0 ? add_members(b) : -1;
	if (b->member_fd >= 0)
		close(b->member_fd);
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
	char *work_dir = opts.tmpdir ? pv_strdup(opts.tmpdir) : pv_dir_of(out_path);
	struct build b = { .ctx = { .items = items, .n = n, .opts = &opts, .work_dir = work_dir },
			   .member_fd = -1, .err = err };
	b.ctx.poster_columns = &b.poster_columns;
	size_t files = 0;
	for (size_t i = 0; i < pv_bundle_nmembers; i++)
		files += pv_bundle_members[i].write != NULL;
	if (opts.progress)
		pv_progress_start(2 * n + files, _("Bundle"));
	struct pv_bundle_photo *photos = pv_bundle_open_photos(items, n, &opts, work_dir, err);
	b.ctx.photos = photos;
	int r = photos ? build_bundle(&b, out_path, sha256) : -1;
	if (opts.progress)
		pv_progress_done();
	pv_bundle_close_photos(photos, n);
	free(work_dir);
	return r;
}
