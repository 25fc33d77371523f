/* The tar.gz format: a restricted pax tar (no owner names, no times other
 * than the member's), gzip without a timestamp, so that the same members give
 * the same bytes. */
#include "bundle_internal.h"

#include <archive.h>

int pv_bundle_setup_tar_gz(struct archive *a, struct pv_err *err)
{
	if (archive_write_set_format_pax_restricted(a) != ARCHIVE_OK ||
	    archive_write_add_filter_gzip(a) != ARCHIVE_OK ||
	    archive_write_set_filter_option(a, "gzip", "timestamp", NULL) != ARCHIVE_OK)
		return pv_fail(err, PV_ERR_OUTPUT, "This computer's libarchive cannot write gzip compression; choose the zip format instead.");
	return 0;
}
