/* The zip format: each member stored (photos, the poster, JPEGs) or
 * deflated (texts), as its member row says. libarchive writes the DOS time
 * of a zip member in local time: the row's local_times has the archive
 * writer fix the zone to UTC while members are written (archive_out.c). */
#include "bundle_internal.h"

#include <archive.h>

int pv_bundle_setup_zip(struct archive *a, struct pv_err *err)
{
	if (archive_write_set_format_zip(a) != ARCHIVE_OK)
		return pv_fail(err, PV_ERR_OUTPUT, "This computer's libarchive cannot write zip files.");
	return 0;
}

void pv_bundle_zip_member(struct archive *a, int compress)
{
	if (compress)
		archive_write_zip_set_compression_deflate(a);
	else
		archive_write_zip_set_compression_store(a);
}
