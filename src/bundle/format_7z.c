/* The 7z format, as libarchive writes it. */
#include "bundle_internal.h"

#include <archive.h>

int pv_bundle_setup_7z(struct archive *a, struct pv_err *err)
{
	if (archive_write_set_format_7zip(a) != ARCHIVE_OK)
		return pv_fail(err, PV_ERR_OUTPUT, "This computer's libarchive cannot write 7z files; choose zip or tar.gz instead.");
	return 0;
}
