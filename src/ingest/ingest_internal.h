/* Shared between the ingest module's own files; not part of the public API. */
#ifndef PV_INGEST_INTERNAL_H
#define PV_INGEST_INTERNAL_H

#include <stddef.h>

#include "photovoice/ingest.h"

/* A caption file found in the drop folder, parsed once. */
struct drop_sidecar {
	char *path;          /* full path */
	char *rel;           /* path relative to the drop folder */
	char *dir_rel;       /* its folder, relative ("" at the top) */
	char *stem;          /* name without extension */
	struct pv_sidecar parsed;
	int parse_failed;
	char parse_error[512];
	unsigned users;      /* photos that have not yet been taken */
	int matched;
	int moved;           /* already removed or quarantined */
};

/* Anything else found in the drop folder: a photo, or something to refuse. */
struct drop_photo {
	char *path;
	char *rel;
	char *dir_rel;
	char *stem;
	char *name;          /* file name */
	char *participant;   /* first-level subfolder, or NULL */
	int is_symlink;
	struct drop_sidecar *sidecar;
};

struct drop_scan {
	struct drop_photo *photos;
	size_t nphotos;
	struct drop_sidecar *sidecars;
	size_t nsidecars;
};

/* Walks drop_dir (subfolders too, never hidden ones, never following links),
 * parses every sidecar and matches it to its photos. */
int pv_drop_scan(const char *drop_dir, struct drop_scan *out, char *err,
		 size_t errlen);
void pv_drop_scan_free(struct drop_scan *s);

/* The same naming rules for the members of a zip submission: whether a file
 * name is a caption file's, and whether the caption file at side_rel belongs
 * to the photo at photo_rel (both relative to the same root). */
int pv_drop_is_sidecar_name(const char *name);
int pv_drop_sidecar_fits(const char *side_rel, const char *photo_rel);

#endif
