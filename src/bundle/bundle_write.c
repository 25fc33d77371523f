/* Writing a bundle archive: photos, manifest.json, captions.txt and SHA256SUMS
 * through libarchive into a temporary file that is synced and renamed onto the
 * output path. The same inputs always give the same bytes. */
#include "bundle_internal.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
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

void pv_bundle_photo_name_of(size_t index, size_t count, int64_t id,
			     char *out, size_t outlen)
{
	int width = decimal_digits(count);
	if (width < 2)
		width = 2;
	/* a name longer than outlen is cut short, as snprintf does */
	if (snprintf(out, outlen, "photos/%0*zu-%" PRId64 ".jpg", width,
		     index + 1, id) < 0 && outlen)
		out[0] = '\0';
}

/* ---- the temporary output file -------------------------------------------- */

struct bundle_output {
	int fd;
	char *tmp_path;
	char *out_dir;
	GChecksum *sum;     /* of every byte written to the file */
};

static int output_open(struct bundle_output *o, const char *out_path,
		       const char *tmpdir, char *err, size_t errlen)
{
	o->out_dir = pv_dir_of(out_path);
	const char *where = tmpdir ? tmpdir : o->out_dir;
	o->tmp_path = pv_path_join(where, ".pv-bundle.XXXXXX");
	o->fd = mkstemp(o->tmp_path);
	if (o->fd < 0) {
		pv_set_err(err, errlen,
			   "The bundle cannot be written because no file can be created in the folder %s (%s).",
			   where, strerror(errno));
		free(o->tmp_path);
		o->tmp_path = NULL;
		return -1;
	}
	o->sum = g_checksum_new(G_CHECKSUM_SHA256);
	return 0;
}

/* Removes the temporary file and frees everything; safe after a failed open. */
static void output_discard(struct bundle_output *o)
{
	if (o->fd >= 0)
		close(o->fd);
	if (o->tmp_path)
		unlink(o->tmp_path);
	free(o->tmp_path);
	free(o->out_dir);
	if (o->sum)
		g_checksum_free(o->sum);
	memset(o, 0, sizeof *o);
	o->fd = -1;
}

static int output_commit(struct bundle_output *o, const char *out_path,
			 char sha256[65], char *err, size_t errlen)
{
	if (fsync(o->fd) != 0 || close(o->fd) != 0) {
		o->fd = -1;
		pv_set_err(err, errlen, "The bundle could not be saved to disk (%s).",
			   strerror(errno));
		return -1;
	}
	o->fd = -1;
	if (rename(o->tmp_path, out_path) != 0) {
		pv_set_err(err, errlen, "The bundle could not be moved to %s (%s).",
			   out_path, strerror(errno));
		return -1;
	}
	free(o->tmp_path);
	o->tmp_path = NULL;   /* nothing left to remove */
	pv_fsync_dir(o->out_dir);
	if (sha256)
		snprintf(sha256, PV_SHA256_HEX, "%s", g_checksum_get_string(o->sum));
	return 0;
}

static la_ssize_t output_write(struct archive *a, void *data, const void *buf,
			       size_t len)
{
	struct bundle_output *o = data;
	const uint8_t *p = buf;
	size_t left = len;
	while (left) {
		ssize_t w = write(o->fd, p, left);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			archive_set_error(a, errno, "%s", strerror(errno));
			return -1;
		}
		p += w;
		left -= (size_t)w;
	}
	g_checksum_update(o->sum, buf, (gssize)len);
	return (la_ssize_t)len;
}

/* ---- the archive writer ---------------------------------------------------- */

static int add_compression(struct archive *a, enum pv_bundle_format format,
			   char *err, size_t errlen)
{
	if (format == PV_BUNDLE_TAR_GZ) {
		if (archive_write_add_filter_gzip(a) != ARCHIVE_OK ||
		    archive_write_set_filter_option(a, "gzip", "timestamp", NULL) != ARCHIVE_OK) {
			pv_set_err(err, errlen, "This computer's libarchive cannot write gzip compression; choose the zip format instead.");
			return -1;
		}
	} else if (format == PV_BUNDLE_TAR_ZST) {
		if (archive_write_add_filter_zstd(a) != ARCHIVE_OK) {
			pv_set_err(err, errlen, "This computer's libarchive cannot write zstd compression, so a tar.zst bundle is not possible; choose zip or tar.gz instead.");
			return -1;
		}
	}
	return 0;
}

static int set_container(struct archive *a, enum pv_bundle_format format)
{
	switch (format) {
	case PV_BUNDLE_ZIP:
		return archive_write_set_format_zip(a);
	case PV_BUNDLE_TAR_GZ:
	case PV_BUNDLE_TAR_ZST:
		return archive_write_set_format_pax_restricted(a);
	case PV_BUNDLE_7Z:
		return archive_write_set_format_7zip(a);
	}
	return ARCHIVE_FATAL;
}

static struct archive *writer_open(enum pv_bundle_format format,
				   struct bundle_output *o, char *err,
				   size_t errlen)
{
	struct archive *a = archive_write_new();
	if (!a) {
		pv_set_err(err, errlen, "The bundle could not be started (out of memory).");
		return NULL;
	}
	if (set_container(a, format) != ARCHIVE_OK) {
		pv_set_err(err, errlen, "This computer's libarchive cannot write the chosen bundle format.");
		archive_write_free(a);
		return NULL;
	}
	if (add_compression(a, format, err, errlen) != 0) {
		archive_write_free(a);
		return NULL;
	}
	archive_write_set_bytes_in_last_block(a, 1);
	if (archive_write_open2(a, o, NULL, output_write, NULL, NULL) != ARCHIVE_OK) {
		pv_set_err(err, errlen, "The bundle could not be started (%s).",
			   archive_error_string(a));
		archive_write_free(a);
		return NULL;
	}
	return a;
}

struct bundle_writer {
	struct archive *ar;
	enum pv_bundle_format format;
	time_t mtime;
	FILE *sums;         /* SHA256SUMS being built */
	char *sums_text;
	size_t sums_len;
	char *err;
	size_t errlen;
};

static struct archive_entry *member_header(const char *name, size_t len,
					   time_t mtime)
{
	struct archive_entry *e = archive_entry_new();
	if (!e)
		return NULL;
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)len);
	archive_entry_set_mtime(e, mtime, 0);
	archive_entry_set_uid(e, 0);
	archive_entry_set_gid(e, 0);
	return e;
}

static int write_body(struct archive *a, const uint8_t *data, size_t len)
{
	while (len) {
		la_ssize_t w = archive_write_data(a, data, len);
		if (w <= 0)
			return -1;
		data += w;
		len -= (size_t)w;
	}
	return 0;
}

static int fail_member(struct bundle_writer *w, const char *name)
{
	pv_set_err(w->err, w->errlen, "%s could not be written into the bundle (%s).",
		   name, archive_error_string(w->ar));
	return -1;
}

/* Adds one member; photos are stored as they are, text is compressed. */
static int add_member(struct bundle_writer *w, const char *name,
		      const void *data, size_t len, int compress)
{
	if (w->format == PV_BUNDLE_ZIP) {
		if (compress)
			archive_write_zip_set_compression_deflate(w->ar);
		else
			archive_write_zip_set_compression_store(w->ar);
	}
	struct archive_entry *e = member_header(name, len, w->mtime);
	if (!e)
		return fail_member(w, name);
	int r = archive_write_header(w->ar, e);
	archive_entry_free(e);
	if (r != ARCHIVE_OK || write_body(w->ar, data, len) != 0 ||
	    archive_write_finish_entry(w->ar) != ARCHIVE_OK)
		return fail_member(w, name);
	return 0;
}

static void note_sum(struct bundle_writer *w, const char *name, const char *hex)
{
	fprintf(w->sums, "%s  %s\n", hex, name);
}

static int add_text_member(struct bundle_writer *w, const char *name,
			   const char *text)
{
	char hex[PV_SHA256_HEX];
	size_t len = strlen(text);
	pv_sha256_hex(text, len, hex);
	note_sum(w, name, hex);
	return add_member(w, name, text, len, 1);
}

/* ---- the members ----------------------------------------------------------- */

static int read_photo(const struct pv_bundle_item *item, uint8_t **data,
		      size_t *len, char *err, size_t errlen)
{
	char why[256];
	if (pv_read_file(item->media_path, PV_MAX_FILE_BYTES, data, len, why,
			 sizeof why) != 0) {
		pv_set_err(err, errlen, "The stored photo of entry %" PRId64 " could not be read: %s.",
			   item->entry->id, why);
		return -1;
	}
	return 0;
}

/* The stored file must still be the one the catalogue knows: never put a
 * replaced (possibly unscrubbed) file in a bundle. */
static int check_fingerprint(const struct pv_entry *e, const char *hex,
			     char *err, size_t errlen)
{
	if (e->sha256[0] == '\0' || strcmp(e->sha256, hex) == 0)
		return 0;
	pv_set_err(err, errlen,
		   "The stored photo of entry %" PRId64 " is not the file the catalogue knows; run 'photovoice audit' before making a bundle.",
		   e->id);
	return -1;
}

static int add_photo(struct bundle_writer *w, const struct pv_bundle_item *item,
		     struct pv_bundle_photo *photo)
{
	uint8_t *data;
	size_t len;
	if (read_photo(item, &data, &len, w->err, w->errlen) != 0)
		return -1;
	pv_sha256_hex(data, len, photo->sha256);
	int r = check_fingerprint(item->entry, photo->sha256, w->err, w->errlen);
	if (r == 0) {
		note_sum(w, photo->name, photo->sha256);
		r = add_member(w, photo->name, data, len, 0);
	}
	free(data);
	return r;
}

static int add_photos(struct bundle_writer *w, const struct pv_bundle_item *items,
		      size_t n, struct pv_bundle_photo *photos)
{
	for (size_t i = 0; i < n; i++) {
		pv_bundle_photo_name_of(i, n, items[i].entry->id, photos[i].name,
					sizeof photos[i].name);
		if (add_photo(w, &items[i], &photos[i]) != 0)
			return -1;
	}
	return 0;
}

static int add_documents(struct bundle_writer *w,
			 const struct pv_bundle_item *items,
			 const struct pv_bundle_photo *photos, size_t n,
			 const char *purpose)
{
	char *manifest = pv_bundle_manifest_json(items, photos, n, purpose,
						 w->err, w->errlen);
	if (!manifest)
		return -1;
	int r = add_text_member(w, "manifest.json", manifest);
	free(manifest);
	if (r != 0)
		return -1;
	char *captions = pv_bundle_captions_txt(items, photos, n);
	if (!captions) {
		pv_set_err(w->err, w->errlen, "captions.txt could not be built (out of memory).");
		return -1;
	}
	r = add_text_member(w, "captions.txt", captions);
	free(captions);
	return r;
}

static int add_checksums(struct bundle_writer *w)
{
	if (fclose(w->sums) != 0) {
		w->sums = NULL;
		pv_set_err(w->err, w->errlen, "SHA256SUMS could not be built (out of memory).");
		return -1;
	}
	w->sums = NULL;
	return add_member(w, "SHA256SUMS", w->sums_text, w->sums_len, 1);
}

static int add_all_members(struct bundle_writer *w,
			   const struct pv_bundle_item *items, size_t n,
			   const char *purpose)
{
	struct pv_bundle_photo *photos = calloc(n, sizeof *photos);
	if (!photos) {
		pv_set_err(w->err, w->errlen, "The bundle is too large to prepare (out of memory).");
		return -1;
	}
	int r = add_photos(w, items, n, photos);
	if (r == 0)
		r = add_documents(w, items, photos, n, purpose);
	free(photos);
	if (r == 0)
		r = add_checksums(w);
	return r;
}

/* ---- pv_bundle_write -------------------------------------------------------- */

static int check_request(const char *out_path, const struct pv_bundle_item *items,
			 size_t n, const struct pv_bundle_opts *opts,
			 char *err, size_t errlen)
{
	if (!out_path || !*out_path) {
		pv_set_err(err, errlen, "No output file was given for the bundle.");
		return -1;
	}
	if (n == 0 || !items) {
		pv_set_err(err, errlen, "There are no photos to put in the bundle.");
		return -1;
	}
	if ((unsigned)opts->format > PV_BUNDLE_7Z) {
		pv_set_err(err, errlen, "The bundle format is unknown; use zip, tar.gz, tar.zst or 7z.");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (!items[i].entry || !items[i].media_path || items[i].entry->id < 1) {
			pv_set_err(err, errlen, "Photo %zu of the selection has no catalogue entry or stored file.", i + 1);
			return -1;
		}
	}
	return 0;
}

static int write_archive(struct bundle_writer *w, struct bundle_output *o,
			 const struct pv_bundle_item *items, size_t n,
			 const struct pv_bundle_opts *opts)
{
	w->ar = writer_open(opts->format, o, w->err, w->errlen);
	if (!w->ar)
		return -1;
	const char *purpose = opts->purpose ? opts->purpose : "poster";
	int r = add_all_members(w, items, n, purpose);
	if (r == 0 && archive_write_close(w->ar) != ARCHIVE_OK) {
		pv_set_err(w->err, w->errlen, "The bundle could not be finished (%s).",
			   archive_error_string(w->ar));
		r = -1;
	}
	archive_write_free(w->ar);
	w->ar = NULL;
	return r;
}

int pv_bundle_write(const char *out_path, const struct pv_bundle_item *items,
		    size_t n, const struct pv_bundle_opts *opts,
		    char sha256[65], char *err, size_t errlen)
{
	static const struct pv_bundle_opts defaults = { .format = PV_BUNDLE_ZIP };
	if (!opts)
		opts = &defaults;
	if (check_request(out_path, items, n, opts, err, errlen) != 0)
		return -1;
	struct bundle_writer w = { .format = opts->format, .mtime = opts->mtime,
				   .err = err, .errlen = errlen };
	w.sums = open_memstream(&w.sums_text, &w.sums_len);
	if (!w.sums) {
		pv_set_err(err, errlen, "The bundle could not be started (out of memory).");
		return -1;
	}
	struct bundle_output o = { .fd = -1 };
	int r = output_open(&o, out_path, opts->tmpdir, err, errlen);
	if (r == 0)
		r = write_archive(&w, &o, items, n, opts);
	if (r == 0)
		r = output_commit(&o, out_path, sha256, err, errlen);
	output_discard(&o);
	if (w.sums)
		fclose(w.sums);
	free(w.sums_text);
	return r;
}
