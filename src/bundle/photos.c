/* The stored photos of a bundle: mapped read-only, checked against the
 * catalogue's fingerprint, their stored size and orientation read, and their
 * thumbnail and preview loaded from the media store or, for photos stored
 * before derivatives were kept, made from the photo; a CMYK photo also gets
 * the sRGB copy the poster shows. */
#include "bundle_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "photovoice/image.h"
#include "photovoice/jpeg.h"

/* Maps a stored photo read-only (never through a symbolic link). */
static int map_file(const char *path, const uint8_t **data, size_t *len,
		    struct pv_err *why)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		pv_fail(why, PV_ERR_INPUT, "%s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    (uint64_t)st.st_size > PV_MAX_FILE_BYTES) {
		pv_fail(why, PV_ERR_INPUT, "it is not a photo file of a size photovoice takes");
		close(fd);
		return -1;
	}
	void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (m == MAP_FAILED) {
		pv_fail(why, PV_ERR_INPUT, "%s", strerror(errno));
		return -1;
	}
	*data = m;
	*len = (size_t)st.st_size;
	return 0;
}

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
	struct pv_err why = {0};
	if (pv_jpeg_parse(ph->data, ph->len, &lay, &why) != 0) {
		pv_fail(err, PV_ERR_ARCHIVE, "The stored photo of entry %" PRId64 " cannot be read: %s", id, why.msg);
		return -1;
	}
	ph->raw_w = lay.width;
	ph->raw_h = lay.height;
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
		if (pv_jpeg_rescue(ph->data, ph->len, &r) == 0 && r.orientation >= 1 &&
		    r.orientation <= 8)
			ph->orientation = r.orientation;
		pv_rescued_free(&r);
	}
	int turned = ph->orientation >= 5;
	ph->width = turned ? ph->raw_h : ph->raw_w;
	ph->height = turned ? ph->raw_w : ph->raw_h;
	return 0;
}

/* Reads a stored derivative; 0 when it is there, -1 when it is not. */
static int read_stored(const char *path, uint8_t **data, size_t *len)
{
	if (!path)
		return -1;
	return pv_read_file(path, PV_MAX_FILE_BYTES, data, len, NULL);
}

/* The thumbnail and preview: the stored ones when both are there, else made
 * from the photo (archives from before derivatives were stored). */
static int load_derivatives(const struct pv_bundle_item *item,
			    struct pv_bundle_photo *ph, struct pv_err *err)
{
	if (read_stored(item->thumb_path, &ph->thumb_data, &ph->thumb_len) == 0 &&
	    read_stored(item->preview_path, &ph->preview_data, &ph->preview_len) == 0)
		return 0;
	free(ph->thumb_data);
	ph->thumb_data = NULL;
	struct pv_derivatives d;
	struct pv_err why = {0};
	if (pv_image_derivatives(ph->data, ph->len, ph->orientation, &d, &why) != 0) {
		pv_fail(err, PV_ERR_ARCHIVE, "The stored photo of entry %" PRId64 " could not be made smaller for the preview: %s",
			   item->entry->id, why.msg);
		return -1;
	}
	ph->thumb_data = d.thumb;
	ph->thumb_len = d.thumb_len;
	ph->preview_data = d.preview;
	ph->preview_len = d.preview_len;
	return 0;
}

/* A CMYK photo goes on the poster as an sRGB copy (pv_image_print_jpeg). */
static int load_print(const struct pv_bundle_item *item, struct pv_bundle_photo *ph,
		      struct pv_err *err)
{
	struct pv_err why = {0};
	if (pv_image_print_jpeg(ph->data, ph->len, &ph->print_data, &ph->print_len, &why) == 0)
		return 0;
	pv_fail(err, PV_ERR_ARCHIVE, "The stored photo of entry %" PRId64 " could not be made ready for the poster: %s",
		   item->entry->id, why.msg);
	return -1;
}

static int open_photo(const struct pv_bundle_item *item, size_t i, size_t n,
		      struct pv_bundle_photo *ph, struct pv_err *err)
{
	const struct pv_entry *e = item->entry;
	struct pv_err why = {0};
	ph->number = (int)(i + 1);
	pv_bundle_member_name("photos", i, n, e->id, ph->name, sizeof ph->name);
	pv_bundle_member_name("thumbs", i, n, e->id, ph->thumb, sizeof ph->thumb);
	pv_bundle_member_name("previews", i, n, e->id, ph->preview, sizeof ph->preview);
	if (map_file(item->media_path, &ph->data, &ph->len, &why) != 0) {
		pv_fail(err, PV_ERR_ARCHIVE, "The stored photo of entry %" PRId64 " could not be read: %s.",
			   e->id, why.msg);
		return -1;
	}
	pv_sha256_hex(ph->data, ph->len, ph->sha256);
	if (check_fingerprint(e, ph->sha256, err) != 0 ||
	    read_facts(ph, e->id, err) != 0)
		return -1;
	if (load_derivatives(item, ph, err) != 0)
		return -1;
	return load_print(item, ph, err);
}

/* ---- all photos, on every core ------------------------------------------------ */

struct open_job {
	const struct pv_bundle_item *items;
	struct pv_bundle_photo *photos;
	size_t n;
	struct pv_err *errs;
	int *failed;
	int progress;
};

static void open_work(size_t i, void *ctx)
{
	struct open_job *j = ctx;
	j->failed[i] = open_photo(&j->items[i], i, j->n, &j->photos[i],
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
					      struct pv_err *err)
{
	struct pv_bundle_photo *photos = calloc(n, sizeof *photos);
	struct open_job j = { items, photos, n, calloc(n, sizeof *j.errs),
			      calloc(n, sizeof *j.failed), opts->progress };
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
	if (r != 0) {
		pv_bundle_close_photos(photos, n);
		return NULL;
	}
	return photos;
}

void pv_bundle_close_photos(struct pv_bundle_photo *photos, size_t n)
{
	for (size_t i = 0; photos && i < n; i++) {
		if (photos[i].data)
			munmap((void *)photos[i].data, photos[i].len);
		free(photos[i].thumb_data);
		free(photos[i].preview_data);
		free(photos[i].print_data);
	}
	free(photos);
}
