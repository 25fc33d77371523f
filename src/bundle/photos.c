/* The stored photos of a bundle: mapped read-only, checked against the
 * catalogue's fingerprint, their stored size and orientation read, and their
 * thumbnail and preview mapped from the media store or, for photos stored
 * before derivatives were kept, made from the photo; a CMYK photo also gets
 * the sRGB copy the poster shows.
 *
 * Memory stays flat in the bundle's size: a mapping's pages are given back
 * as soon as a photo has been read (pv_bundle_map_release), and what is made
 * goes into an unnamed file beside the bundle (the spool), mapped from there,
 * never held in memory. */
#include "bundle_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <turbojpeg.h>
#include <unistd.h>

#include "photovoice/image.h"
#include "photovoice/jpeg.h"

/* ---- mappings --------------------------------------------------------------- */

/* Maps len bytes of fd from offset (any offset: the mapping starts at the
 * page below it). */
static int map_fd(int fd, off_t offset, size_t len, struct pv_bundle_map *m)
{
	long page = sysconf(_SC_PAGESIZE);
	off_t start = offset - offset % page;
	size_t lead = (size_t)(offset - start);
	void *base = mmap(NULL, len + lead, PROT_READ, MAP_PRIVATE, fd, start);
	if (base == MAP_FAILED)
		return -1;
	*m = (struct pv_bundle_map){ (const uint8_t *)base + lead, len, base, len + lead };
	return 0;
}

void pv_bundle_map_release(const struct pv_bundle_map *m)
{
	/* a read-only private mapping of a file: its pages are read again from
	 * the file when touched later, with the same bytes */
	if (m->base)
		madvise(m->base, m->base_len, MADV_DONTNEED);
}

/* cairo reads the header of every photo on the poster, up to its frame
 * header, before it writes the first photo. Linux (6.18 and later) maps a
 * whole large page-cache folio, up to 2 MB, into the process at the first
 * touch when the folio lies inside one mapping: that header read would bring
 * most of every photo in at once, memory growing with the bundle's size. The
 * header gets a mapping of its own (the same file, other advice), so that no
 * folio holding it lies inside one mapping, and only the pages read come in. */
static void split_head(const struct pv_bundle_map *m, size_t head)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t lead = m->base_len - m->len;
	size_t cut = (lead + head + (size_t)page - 1) / (size_t)page * (size_t)page;
	if (m->base && head > 0 && cut < m->base_len)
		madvise(m->base, cut, MADV_RANDOM);
}

/* Where a JPEG's frame header (SOFn) ends: as far as cairo reads before it
 * writes the photo; 0 when there is none. */
static size_t frame_header_end(const struct pv_jpeg_layout *lay)
{
	for (size_t i = 0; i < lay->count; i++)
		if (lay->segs[i].kind == PV_SEG_SOF)
			return lay->segs[i].start + lay->segs[i].len;
	return 0;
}

void pv_bundle_unmap(struct pv_bundle_map *m)
{
	if (m->base)
		munmap(m->base, m->base_len);
	memset(m, 0, sizeof *m);
}

/* Maps a stored file read-only (never through a symbolic link). */
static int map_file(const char *path, size_t max, struct pv_bundle_map *m,
		    struct pv_err *why)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		pv_fail(why, PV_ERR_ARCHIVE, "%s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode) || st.st_size <= 0 || (uint64_t)st.st_size > max) {
		pv_fail(why, PV_ERR_ARCHIVE, "it is not a photo file of a size photovoice takes");
		close(fd);
		return -1;
	}
	int r = map_fd(fd, 0, (size_t)st.st_size, m);
	if (r != 0)
		pv_fail(why, PV_ERR_ARCHIVE, "%s", strerror(errno));
	close(fd);
	return r;
}

/* ---- the spool: what is made for this bundle ---------------------------------------- */

struct spool {
	const char *dir;
	int fd;                     /* -1 until something is made */
	off_t end;
	pthread_mutex_t lock;
	int failed;
};

static int spool_reserve(struct spool *s, size_t len, off_t *at)
{
	pthread_mutex_lock(&s->lock);
	if (s->fd < 0 && !s->failed) {
		s->fd = pv_bundle_tmpfile(s->dir, "a thumbnail", NULL);
		s->failed = s->fd < 0;
	}
	*at = s->end;
	s->end += (off_t)len;
	int fd = s->fd;
	pthread_mutex_unlock(&s->lock);
	return fd;
}

/* Writes data into the spool and maps it from there; data is freed. */
static int spool_put(struct spool *s, uint8_t *data, size_t len, struct pv_bundle_map *m)
{
	off_t at;
	int fd = spool_reserve(s, len, &at);
	int r = -1;
	size_t done = 0;
	while (fd >= 0 && done < len) {
		ssize_t w = pwrite(fd, data + done, len - done, at + (off_t)done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	if (fd >= 0 && done == len)
		r = map_fd(fd, at, len, m);
	free(data);
	return r;
}

/* ---- one photo ------------------------------------------------------------------------ */

/* The stored file must still be the one the catalogue knows: never put a
 * replaced (possibly unscrubbed) file in a bundle. */
static int check_fingerprint(const struct pv_entry *e, const char *hex,
			     struct pv_err *err)
{
	if (e->sha256[0] == '\0' || strcmp(e->sha256, hex) == 0)
		return 0;
	pv_fail(err, PV_ERR_ARCHIVE, "The stored photo of entry %" PRId64 " is not the file the catalogue knows; run 'photovoice audit' before making a bundle.",
		   e->id);
	return -1;
}

/* Pixel size as stored, and the orientation tag a photo kept when it could
 * not be turned losslessly. */
static int read_facts(struct pv_bundle_photo *ph, int64_t id, struct pv_err *err)
{
	struct pv_jpeg_layout lay;
	struct pv_err why = { 0 };
	const struct pv_bundle_map *m = &ph->photo;
	if (pv_jpeg_parse(m->data, m->len, &lay, &why) != 0) {
		pv_fail(err, PV_ERR_ARCHIVE, "The stored photo of entry %" PRId64 " cannot be read: %s", id, why.msg);
		return -1;
	}
	ph->raw_w = lay.width;
	ph->raw_h = lay.height;
	split_head(m, frame_header_end(&lay));
	int has_exif = 0;
	for (size_t i = 0; i < lay.count; i++)
		has_exif |= lay.segs[i].kind == PV_SEG_EXIF;
	pv_jpeg_layout_free(&lay);
	if (ph->raw_w < 1 || ph->raw_h < 1) {
		pv_fail(err, PV_ERR_ARCHIVE, "The stored photo of entry %" PRId64 " has no size, so it cannot go into a bundle.", id);
		return -1;
	}
	ph->orientation = 1;
	if (has_exif) {
		struct pv_rescued r;
		if (pv_jpeg_rescue(m->data, m->len, &r) == 0 && r.orientation >= 1 &&
		    r.orientation <= 8)
			ph->orientation = r.orientation;
		pv_rescued_free(&r);
	}
	int turned = ph->orientation >= 5;
	ph->width = turned ? ph->raw_h : ph->raw_w;
	ph->height = turned ? ph->raw_w : ph->raw_h;
	return 0;
}

/* Pixel size of a JPEG from its header, for index.html (0 x 0 when it
 * cannot be read: the browser then finds out itself). */
static void jpeg_size(const struct pv_bundle_map *m, int *w, int *h)
{
	tjhandle tj = tjInitDecompress();
	int sub, cs;
	if (!tj || tjDecompressHeader3(tj, m->data, (unsigned long)m->len, w, h, &sub, &cs) != 0)
		*w = *h = 0;
	if (tj)
		tjDestroy(tj);
}

/* The stored thumbnail and preview when both are there. */
static int map_stored(const struct pv_bundle_item *item, struct pv_bundle_photo *ph)
{
	if (!item->thumb_path || !item->preview_path)
		return -1;
	if (map_file(item->thumb_path, PV_MAX_FILE_BYTES, &ph->thumb, NULL) == 0 &&
	    map_file(item->preview_path, PV_MAX_FILE_BYTES, &ph->preview, NULL) == 0)
		return 0;
	pv_bundle_unmap(&ph->thumb);
	return -1;
}

/* The thumbnail and preview: the stored ones, else made from the photo into
 * the spool (archives from before derivatives were stored). */
static int load_derivatives(const struct pv_bundle_item *item, struct pv_bundle_photo *ph,
			    struct spool *s, struct pv_err *err)
{
	if (map_stored(item, ph) != 0) {
		struct pv_derivatives d;
		struct pv_err why = { 0 };
		if (pv_image_derivatives(ph->photo.data, ph->photo.len, ph->orientation, &d, &why) != 0) {
			pv_fail(err, PV_ERR_ARCHIVE, "The stored photo of entry %" PRId64 " could not be made smaller for the preview: %s",
				   item->entry->id, why.msg);
			return -1;
		}
		/* each spool_put frees what it is given, also when it fails */
		int thumb = spool_put(s, d.thumb, d.thumb_len, &ph->thumb);
		int preview = spool_put(s, d.preview, d.preview_len, &ph->preview);
		if (thumb != 0 || preview != 0) {
			pv_fail(err, PV_ERR_OUTPUT, "The thumbnails cannot be made because no temporary file can be written in %s.",
				   s->dir);
			return -1;
		}
	}
	jpeg_size(&ph->thumb, &ph->thumb_w, &ph->thumb_h);
	jpeg_size(&ph->preview, &ph->preview_w, &ph->preview_h);
	pv_bundle_map_release(&ph->thumb);
	pv_bundle_map_release(&ph->preview);
	return 0;
}

/* A CMYK photo goes on the poster as an sRGB copy (pv_image_print_jpeg). */
static int load_print(const struct pv_bundle_item *item, struct pv_bundle_photo *ph,
		      struct spool *s, struct pv_err *err)
{
	struct pv_err why = { 0 };
	uint8_t *data = NULL;
	size_t len = 0;
	if (pv_image_print_jpeg(ph->photo.data, ph->photo.len, &data, &len, &why) != 0) {
		pv_fail(err, PV_ERR_ARCHIVE, "The stored photo of entry %" PRId64 " could not be made ready for the poster: %s",
			   item->entry->id, why.msg);
		return -1;
	}
	if (data && spool_put(s, data, len, &ph->print) != 0) {
		pv_fail(err, PV_ERR_OUTPUT, "The poster cannot be made because no temporary file can be written in %s.",
			   s->dir);
		return -1;
	}
	struct pv_jpeg_layout lay;
	if (ph->print.len && pv_jpeg_parse(ph->print.data, ph->print.len, &lay, NULL) == 0) {
		split_head(&ph->print, frame_header_end(&lay));
		pv_jpeg_layout_free(&lay);
	}
	pv_bundle_map_release(&ph->print);
	return 0;
}

static int open_photo(const struct pv_bundle_item *item, size_t i, size_t n,
		      struct pv_bundle_photo *ph, struct spool *s, struct pv_err *err)
{
	const struct pv_entry *e = item->entry;
	struct pv_err why = { 0 };
	ph->number = (int)(i + 1);
	pv_bundle_member_name("photos", i, n, e->id, ph->name, sizeof ph->name);
	pv_bundle_member_name("thumbs", i, n, e->id, ph->thumb_name, sizeof ph->thumb_name);
	pv_bundle_member_name("previews", i, n, e->id, ph->preview_name, sizeof ph->preview_name);
	if (map_file(item->media_path, PV_MAX_FILE_BYTES, &ph->photo, &why) != 0) {
		pv_fail(err, PV_ERR_ARCHIVE, "The stored photo of entry %" PRId64 " could not be read: %s.",
			   e->id, why.msg);
		return -1;
	}
	pv_sha256_hex(ph->photo.data, ph->photo.len, ph->sha256);
	int r = check_fingerprint(e, ph->sha256, err) == 0 &&
		read_facts(ph, e->id, err) == 0 &&
		load_derivatives(item, ph, s, err) == 0 &&
		load_print(item, ph, s, err) == 0 ? 0 : -1;
	pv_bundle_map_release(&ph->photo);
	return r;
}

/* ---- all photos, on every core ------------------------------------------------ */

struct open_job {
	const struct pv_bundle_item *items;
	struct pv_bundle_photo *photos;
	size_t n;
	struct pv_err *errs;
	int *failed;
	int progress;
	struct spool spool;
};

static void open_work(size_t i, void *ctx)
{
	struct open_job *j = ctx;
	j->failed[i] = open_photo(&j->items[i], i, j->n, &j->photos[i], &j->spool,
				  &j->errs[i]) != 0;
}

static void open_finish(size_t i, void *ctx)
{
	struct open_job *j = ctx;
	(void)i;
	if (j->progress)
		pv_progress_step(1);
}

struct pv_bundle_photo *pv_bundle_open_photos(const struct pv_bundle_item *items,
					      size_t n,
					      const struct pv_bundle_opts *opts,
					      const char *work_dir,
					      struct pv_err *err)
{
	struct pv_bundle_photo *photos = calloc(n, sizeof *photos);
	struct open_job j = { items, photos, n, calloc(n, sizeof *j.errs),
			      calloc(n, sizeof *j.failed), opts->progress,
			      { .dir = work_dir, .fd = -1 } };
	pthread_mutex_init(&j.spool.lock, NULL);
	int r = photos && j.errs && j.failed ? 0 : -1;
	if (r != 0)
		pv_fail(err, PV_ERR_OUTPUT, "The bundle is too large to prepare (out of memory).");
	else
		pv_pool_run(n, pv_default_jobs(), open_work, open_finish, &j);
	/* the first failure in bundle order is the one reported */
	for (size_t i = 0; r == 0 && i < n; i++) {
		if (j.failed[i]) {
			if (err)
				*err = j.errs[i];
			r = -1;
		}
	}
	free(j.errs);
	free(j.failed);
	/* what is mapped from the spool stays readable once it is closed */
	if (j.spool.fd >= 0)
		close(j.spool.fd);
	pthread_mutex_destroy(&j.spool.lock);
	if (r != 0) {
		pv_bundle_close_photos(photos, n);
		return NULL;
	}
	return photos;
}

void pv_bundle_release_photos(const struct pv_bundle_ctx *c)
{
	for (size_t i = 0; i < c->n; i++) {
		pv_bundle_map_release(&c->photos[i].photo);
		pv_bundle_map_release(&c->photos[i].print);
	}
}

void pv_bundle_close_photos(struct pv_bundle_photo *photos, size_t n)
{
	for (size_t i = 0; photos && i < n; i++) {
		pv_bundle_unmap(&photos[i].photo);
		pv_bundle_unmap(&photos[i].thumb);
		pv_bundle_unmap(&photos[i].preview);
		pv_bundle_unmap(&photos[i].print);
	}
	free(photos);
}

/* ---- the folders of photos ------------------------------------------------------ */

/* Each file of a folder is added from its mapping, whose pages are then
 * given back. */
static int add_folder(const struct pv_bundle_ctx *c, struct pv_bundle_out *out,
		      size_t field, struct pv_err *err)
{
	(void)err;   /* pv_bundle_out holds the sentence of its failures */
	for (size_t i = 0; i < c->n; i++) {
		const struct pv_bundle_photo *ph = &c->photos[i];
		const struct pv_bundle_map *m = field == 0 ? &ph->photo : field == 1 ? &ph->thumb : &ph->preview;
		const char *name = field == 0 ? ph->name : field == 1 ? ph->thumb_name : ph->preview_name;
		int r = pv_bundle_out_add(out, name, m->data, m->len, 0, field == 0 ? ph->sha256 : NULL);
		pv_bundle_map_release(m);
		if (r != 0)
			return -1;
		if (field == 0 && c->opts->progress)
			pv_progress_step(1);
	}
	return 0;
}

int pv_bundle_add_photos(const struct pv_bundle_ctx *c, struct pv_bundle_out *out,
			 struct pv_err *err)
{
	return add_folder(c, out, 0, err);
}

int pv_bundle_add_thumbs(const struct pv_bundle_ctx *c, struct pv_bundle_out *out,
			 struct pv_err *err)
{
	return add_folder(c, out, 1, err);
}

int pv_bundle_add_previews(const struct pv_bundle_ctx *c, struct pv_bundle_out *out,
			   struct pv_err *err)
{
	return add_folder(c, out, 2, err);
}
