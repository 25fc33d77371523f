/* Internals of the bundle module shared between its source files. */
#ifndef PV_BUNDLE_INTERNAL_H
#define PV_BUNDLE_INTERNAL_H

#include <stddef.h>

#include "photovoice/bundle.h"
#include "photovoice/util.h"

/* "photos/" + up to 20 digits + "-" + up to 20 characters + ".jpg" */
#define PV_BUNDLE_NAME_MAX 64

/* What the writer learnt about one photo while putting it in the archive. */
struct pv_bundle_photo {
	char name[PV_BUNDLE_NAME_MAX];
	char sha256[PV_SHA256_HEX];
};

/* manifest.json as a malloc'd, NUL-terminated UTF-8 text ending in a newline;
 * NULL with a sentence in err when an entry holds text that is not UTF-8. */
char *pv_bundle_manifest_json(const struct pv_bundle_item *items,
			      const struct pv_bundle_photo *photos, size_t n,
			      const char *purpose, char *err, size_t errlen);

/* captions.txt as a malloc'd, NUL-terminated text. */
char *pv_bundle_captions_txt(const struct pv_bundle_item *items,
			     const struct pv_bundle_photo *photos, size_t n);

#endif
