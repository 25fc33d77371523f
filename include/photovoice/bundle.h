/*
 * photovoice/bundle.h - poster-ready bundles: the selected photos, manifest.json,
 * captions.txt and SHA256SUMS written as one archive file through libarchive.
 * Return 0 on success, -1 on failure with one sentence in err.
 */
#ifndef PHOTOVOICE_BUNDLE_H
#define PHOTOVOICE_BUNDLE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "photovoice/store.h"

enum pv_bundle_format {
	PV_BUNDLE_ZIP,
	PV_BUNDLE_TAR_GZ,
	PV_BUNDLE_TAR_ZST,
	PV_BUNDLE_7Z,
};

/* "zip", "tar.gz", "tar.zst", "7z"; -1 when unknown */
int pv_bundle_format_parse(const char *s);

struct pv_bundle_opts {
	enum pv_bundle_format format;
	const char *purpose;     /* "poster" or "internal" */
	time_t mtime;            /* timestamp written for every member */
	const char *tmpdir;      /* where the temporary output is written */
};

/* One selected photo: its catalogue entry and the path of its stored file. */
struct pv_bundle_item {
	const struct pv_entry *entry;
	const char *media_path;
};

/* Write the bundle to out_path (temp file, then rename). On success fills
 * sha256 of the written archive file. Member names never contain anything of
 * the original file names: "photos/NN-ID.jpg". Same inputs give the same
 * bytes (for zip: in the same local time zone, as libarchive writes the zip
 * DOS time field in local time). opts NULL: zip, purpose "poster", mtime 0.
 * Refuses an empty selection, and a stored file whose hash differs from its
 * entry's sha256 (when that is set). Never removes or checks an existing
 * out_path: it is replaced. */
int pv_bundle_write(const char *out_path, const struct pv_bundle_item *items,
		    size_t n, const struct pv_bundle_opts *opts,
		    char sha256[65], char *err, size_t errlen);

/* Name of item i (0-based) in a bundle of count photos, as pv_bundle_write
 * writes it: the number is padded to the width of count, at least two digits
 * ("photos/007-12.jpg" when count is 100 to 999), so that names sort in
 * bundle order. */
void pv_bundle_photo_name_of(size_t index, size_t count, int64_t id, char *out,
			     size_t outlen);

#endif
