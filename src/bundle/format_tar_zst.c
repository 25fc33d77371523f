/* The tar.zst format: a restricted pax tar compressed with zstd. */
#include "bundle_internal.h"

#include <archive.h>

int pv_bundle_setup_tar_zst(struct archive *a, struct pv_err *err)
{
	if (archive_write_set_format_pax_restricted(a) != ARCHIVE_OK ||
	    archive_write_add_filter_zstd(a) != ARCHIVE_OK)
		return pv_fail(err, PV_ERR_OUTPUT, "This computer's libarchive cannot write zstd compression, so a tar.zst bundle is not possible; choose zip or tar.gz instead.");
	return 0;
}
