/*
 * src/image/image_internal.h - what the files of the pixel module share:
 * an 8-bit pixel buffer, the filtered resize, JPEG encoding with an ICC
 * profile, and the two decoders of the intake (PNG, HEIF).
 */
#ifndef PV_IMAGE_INTERNAL_H
#define PV_IMAGE_INTERNAL_H

#include <stddef.h>

#include "photovoice/err.h"
#include <stdint.h>

/* Interleaved 8-bit pixels, rows packed: 1 channel (grey) or 3 (RGB).
 * Only for encoding, a view of a decoder's buffer may also have 4 channels
 * (RGB and an ignored fourth) and rows `stride` bytes apart. */
struct pv_pixels {
	uint8_t *px;
	int w, h;
	int channels;
	int stride;        /* bytes from row to row; 0: packed */
};

/* An ICC profile as found in the source, or none (data NULL). */
struct pv_icc {
	uint8_t *data;
	size_t len;
};

/* Allocate w x h x channels; returns -1 (px NULL) when out of memory. */
int pv_pixels_alloc(struct pv_pixels *p, int w, int h, int channels);
void pv_pixels_free(struct pv_pixels *p);

/* Resize src to dst_w x dst_h (a fresh buffer in *dst) with a separable
 * Catmull-Rom filter widened to the reduction ratio. -1 when out of memory. */
int pv_resize(const struct pv_pixels *src, int dst_w, int dst_h,
	      struct pv_pixels *dst);

/* The size with long edge `edge` keeping the aspect ratio; the size itself
 * when its long edge is already <= edge (never enlarged). */
void pv_fit_long_edge(int w, int h, int edge, int *out_w, int *out_h);

/* Turn the pixels upright for EXIF orientation 1..8 (in place: the buffer is
 * replaced; w and h swap for 5..8). -1 when out of memory. */
int pv_orient_pixels(struct pv_pixels *p, int orientation);

/* Encode as baseline JPEG at `quality`, 4:2:0 or greyscale, with the ICC
 * profile (may be NULL) as APP2 chunks after the JFIF header. *out is
 * malloc'd. Takes 1, 3 or 4 channels (the fourth ignored) and a stride. */
int pv_encode_jpeg(const struct pv_pixels *p, int quality,
		   const struct pv_icc *icc, uint8_t **out, size_t *outlen,
		   struct pv_err *err);

/* The intake: pixels upright, alpha composited on white, 8 bits, the ICC
 * profile when the source has one; refused over PV_MAX_PIXELS before
 * decoding. PNG is decoded to pixels (pv_png_to_jpeg encodes them); HEIF is
 * encoded straight from libheif's buffer, which spares a copy of the photo. */
int pv_png_decode(const uint8_t *data, size_t len, struct pv_pixels *out,
		  struct pv_icc *icc, struct pv_err *err);
int pv_heif_to_jpeg(const uint8_t *data, size_t len, int quality, uint8_t **out,
		    size_t *outlen, struct pv_err *err);

/* The rows of formats.c: whether the bytes are the format, and the photo
 * written as a JPEG (PV_INTAKE_QUALITY, the ICC profile and nothing else). */
int pv_png_sniff(const uint8_t *d, size_t n);
int pv_png_to_jpeg(const void *data, size_t len, uint8_t **out, size_t *outlen,
		   struct pv_err *err);
int pv_heif_sniff(const uint8_t *d, size_t n);
int pv_heif_intake(const void *data, size_t len, uint8_t **out, size_t *outlen,
		   struct pv_err *err);

/* Composite RGBA (or grey+alpha) on white in place; the colour channels
 * come out packed at the start of each pixel of `out_step` bytes. */
void pv_composite_on_white(uint8_t *px, size_t n, int channels, int out_step);

/* Colour information of a stored JPEG: its ICC profile (chunks joined; none
 * when absent or inconsistent) and whether it has an Adobe segment. */
struct pv_source_colour {
	struct pv_icc icc;
	int adobe;
};

/* -1 only when out of memory; a damaged file simply has no profile. */
int pv_jpeg_colour(const uint8_t *jpeg, size_t len, struct pv_source_colour *out);
void pv_source_colour_free(struct pv_source_colour *c);

/* RGB pixels in place to sRGB when the profile is an RGB one other than
 * sRGB; otherwise nothing changes. */
void pv_rgb_to_srgb(struct pv_pixels *p, const struct pv_icc *icc);

/* Decoded CMYK (4 bytes a pixel, as stored) to sRGB in rgb (w, h set):
 * through the CMYK profile when there is one, else a plain formula. */
void pv_cmyk_to_srgb(const uint8_t *cmyk, struct pv_pixels *rgb,
		     const struct pv_source_colour *c);

/* The 64-bit DCT perceptual hash of an upright picture. */
uint64_t pv_phash_pixels(const struct pv_pixels *p);

#endif
