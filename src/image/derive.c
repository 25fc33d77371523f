/*
 * src/image/derive.c - thumbnail and preview of a stored JPEG from one scaled
 * decode: TurboJPEG decodes at the smallest DCT scale that still leaves at
 * least PV_PREVIEW_EDGE pixels on the long edge, a filtered resize makes the
 * preview, the thumbnail is made from the preview, both are turned upright
 * and encoded without metadata, in sRGB (colour.c). The perceptual hash is taken from the
 * thumbnail's pixels.
 */
#include <stdlib.h>
#include <string.h>

#include <turbojpeg.h>

#include "photovoice/i18n.h"
#include "photovoice/image.h"
#include "photovoice/util.h"
#include "image_internal.h"

#define MSG_DAMAGED N_("This photo is damaged or incomplete: its picture data cannot be decoded.")
#define MSG_MEMORY N_("There is not enough memory to make the preview of this photo.")

void pv_image_decode_scale(int width, int height, int *num, int *denom)
{
	int n = 0, long_edge = width > height ? width : height;
	tjscalingfactor *sf = tjGetScalingFactors(&n);
	*num = 1;
	*denom = 1;
	for (int i = 0; sf && i < n; i++) {
		int smaller = sf[i].num * *denom < *num * sf[i].denom;
		if (smaller && TJSCALED(long_edge, sf[i]) >= PV_PREVIEW_EDGE) {
			*num = sf[i].num;
			*denom = sf[i].denom;
		}
	}
}

/* ---- decode ------------------------------------------------------------ */

struct decoded {
	struct pv_pixels pix;
	int full_w, full_h;   /* stored size at 1/1 */
};

static int read_header(tjhandle tj, const uint8_t *jpeg, size_t len, int *w, int *h,
		       int *cs, struct pv_err *err)
{
	int sub;
	if (len > (size_t)(unsigned long)-1 / 2 ||
	    tjDecompressHeader3(tj, jpeg, (unsigned long)len, w, h, &sub, cs) != 0) {
		pv_fail(err, PV_ERR_INPUT, "This file cannot be read as a JPEG photo.");
		return -1;
	}
	return pv_image_check_size((uint64_t)*w, (uint64_t)*h, err);
}

static int decode_into(tjhandle tj, const uint8_t *jpeg, size_t len, int pf,
		       uint8_t *buf, int w, int h)
{
	return tjDecompress2(tj, jpeg, (unsigned long)len, buf, w, 0, h, pf,
			     TJFLAG_STOPONWARNING);
}

static int decode_cmyk(tjhandle tj, const uint8_t *jpeg, size_t len,
		       const struct pv_source_colour *colour, struct pv_pixels *rgb,
		       struct pv_err *err)
{
	uint8_t *cmyk = malloc((size_t)rgb->w * (size_t)rgb->h * 4);
	if (!cmyk) {
		pv_fail(err, PV_ERR_INPUT, MSG_MEMORY);
		return -1;
	}
	int rc = decode_into(tj, jpeg, len, TJPF_CMYK, cmyk, rgb->w, rgb->h);
	if (rc == 0)
		pv_cmyk_to_srgb(cmyk, rgb, colour);
	else
		pv_fail(err, PV_ERR_INPUT, MSG_DAMAGED);
	free(cmyk);
	return rc;
}

/* Decode at the chosen DCT scale to grey or RGB. */
static int decode_scaled(const uint8_t *jpeg, size_t len,
			 const struct pv_source_colour *colour, struct decoded *d,
			 struct pv_err *err)
{
	tjhandle tj = tjInitDecompress();
	if (!tj) {
		pv_fail(err, PV_ERR_INPUT, "The JPEG decoder could not be started.");
		return -1;
	}
	int cs, num, denom, rc = -1;
	if (read_header(tj, jpeg, len, &d->full_w, &d->full_h, &cs, err) != 0)
		goto out;
	pv_image_decode_scale(d->full_w, d->full_h, &num, &denom);
	tjscalingfactor sf = { num, denom };
	int w = TJSCALED(d->full_w, sf), h = TJSCALED(d->full_h, sf);
	if (pv_pixels_alloc(&d->pix, w, h, cs == TJCS_GRAY ? 1 : 3) != 0) {
		pv_fail(err, PV_ERR_INPUT, MSG_MEMORY);
		goto out;
	}
	if (cs == TJCS_CMYK || cs == TJCS_YCCK) {
		rc = decode_cmyk(tj, jpeg, len, colour, &d->pix, err);
	} else {
		rc = decode_into(tj, jpeg, len, cs == TJCS_GRAY ? TJPF_GRAY : TJPF_RGB,
				 d->pix.px, w, h);
		if (rc != 0)
			pv_fail(err, PV_ERR_INPUT, MSG_DAMAGED);
	}
	if (rc != 0)
		pv_pixels_free(&d->pix);
out:
	tjDestroy(tj);
	return rc;
}

/* ---- sizes and encoding ------------------------------------------------ */

/* Resize to w x h, or take the pixels over when they already have that size. */
static int resize_or_take(struct pv_pixels *src, int w, int h, struct pv_pixels *dst)
{
	if (src->w == w && src->h == h) {
		*dst = *src;
		src->px = NULL;
		return 0;
	}
	return pv_resize(src, w, h, dst);
}

static int make_sizes(struct decoded *d, int orientation, const struct pv_icc *icc,
		      struct pv_pixels *preview, struct pv_pixels *thumb)
{
	int pw, ph, tw, th;
	/* sizes from the full-resolution photo, so the aspect ratio is exact
	 * whatever the rounding of the DCT scale */
	pv_fit_long_edge(d->full_w, d->full_h, PV_PREVIEW_EDGE, &pw, &ph);
	if (resize_or_take(&d->pix, pw, ph, preview) != 0)
		return -1;
	pv_rgb_to_srgb(preview, icc);   /* at preview size: fewest pixels */
	if (pv_orient_pixels(preview, orientation) != 0)
		return -1;
	int up_w = orientation >= 5 ? d->full_h : d->full_w;
	int up_h = orientation >= 5 ? d->full_w : d->full_h;
	pv_fit_long_edge(up_w, up_h, PV_THUMB_EDGE, &tw, &th);
	return pv_resize(preview, tw, th, thumb);
}

int pv_image_derivatives(const void *jpeg, size_t len, int orientation,
			 struct pv_derivatives *out, struct pv_err *err)
{
	memset(out, 0, sizeof *out);
	if (orientation < 1 || orientation > 8)
		orientation = 1;
	struct decoded d = { 0 };
	struct pv_pixels preview = { 0 }, thumb = { 0 };
	struct pv_source_colour colour;
	int rc = -1;
	if (pv_jpeg_colour(jpeg, len, &colour) != 0) {
		pv_fail(err, PV_ERR_INPUT, MSG_MEMORY);
		return -1;
	}
	if (decode_scaled(jpeg, len, &colour, &d, err) != 0)
		goto out;
	if (make_sizes(&d, orientation, &colour.icc, &preview, &thumb) != 0) {
		pv_fail(err, PV_ERR_INPUT, MSG_MEMORY);
		goto out;
	}
	out->phash = pv_phash_pixels(&thumb);
	out->width = orientation >= 5 ? d.full_h : d.full_w;
	out->height = orientation >= 5 ? d.full_w : d.full_h;
	if (pv_encode_jpeg(&preview, PV_DERIVED_QUALITY, NULL, &out->preview,
			   &out->preview_len, err) != 0 ||
	    pv_encode_jpeg(&thumb, PV_DERIVED_QUALITY, NULL, &out->thumb,
			   &out->thumb_len, err) != 0)
		goto out;
	rc = 0;
out:
	if (rc != 0)
		pv_derivatives_free(out);
	pv_source_colour_free(&colour);
	pv_pixels_free(&d.pix);
	pv_pixels_free(&preview);
	pv_pixels_free(&thumb);
	return rc;
}

/* ---- the photo for a PDF ------------------------------------------------ */

static int cmyk_to_jpeg(tjhandle tj, const uint8_t *jpeg, size_t len, int w, int h,
			uint8_t **out, size_t *outlen, struct pv_err *err)
{
	struct pv_source_colour colour;
	struct pv_pixels rgb = { 0 };
	if (pv_jpeg_colour(jpeg, len, &colour) != 0 || pv_pixels_alloc(&rgb, w, h, 3) != 0) {
		pv_source_colour_free(&colour);
		pv_fail(err, PV_ERR_INPUT, MSG_MEMORY);
		return -1;
	}
	int rc = decode_cmyk(tj, jpeg, len, &colour, &rgb, err);
	if (rc == 0)
		rc = pv_encode_jpeg(&rgb, PV_INTAKE_QUALITY, NULL, out, outlen, err);
	pv_pixels_free(&rgb);
	pv_source_colour_free(&colour);
	return rc;
}

int pv_image_print_jpeg(const void *jpeg, size_t len, uint8_t **out,
			size_t *outlen, struct pv_err *err)
{
	*out = NULL;
	*outlen = 0;
	tjhandle tj = tjInitDecompress();
	if (!tj) {
		pv_fail(err, PV_ERR_INPUT, "The JPEG decoder could not be started.");
		return -1;
	}
	int w, h, cs;
	int rc = read_header(tj, jpeg, len, &w, &h, &cs, err);
	if (rc == 0 && (cs == TJCS_CMYK || cs == TJCS_YCCK))
		rc = cmyk_to_jpeg(tj, jpeg, len, w, h, out, outlen, err);
	tjDestroy(tj);
	return rc;
}

void pv_derivatives_free(struct pv_derivatives *d)
{
	if (!d)
		return;
	free(d->thumb);
	free(d->preview);
	memset(d, 0, sizeof *d);
}
