/*
 * src/image/intake.c - HEIC/HEIF and PNG written as JPEG: decode with the
 * format's library, encode at PV_INTAKE_QUALITY with the source's ICC
 * profile and nothing else of it.
 */
#include <stdlib.h>
#include <string.h>

#include "photovoice/image.h"
#include "photovoice/util.h"
#include "image_internal.h"

int pv_image_to_jpeg(const void *data, size_t len, uint8_t **out,
		     size_t *outlen, char *err, size_t errlen)
{
	*out = NULL;
	*outlen = 0;
	struct pv_pixels pix = { 0 };
	struct pv_icc icc = { 0 };
	enum pv_image_format f = pv_image_sniff(data, len);
	int rc;
	if (f == PV_IMAGE_HEIF)
		return pv_heif_to_jpeg(data, len, PV_INTAKE_QUALITY, out, outlen, err, errlen);
	if (f == PV_IMAGE_PNG) {
		rc = pv_png_decode(data, len, &pix, &icc, err, errlen);
	} else {
		pv_set_err(err, errlen, "This is %s; only PNG and HEIC/HEIF images are "
			   "converted to JPEG.", pv_image_format_describe(f));
		return -1;
	}
	if (rc == 0)
		rc = pv_encode_jpeg(&pix, PV_INTAKE_QUALITY, &icc, out, outlen, err, errlen);
	pv_pixels_free(&pix);
	free(icc.data);
	return rc;
}
