/*
 * photovoice/image.h - pixels: recognising a file's format by its content,
 * HEIC/HEIF and PNG intake written as JPEG, the derivatives of a stored photo
 * (thumbnail and preview) and its perceptual hash.
 * Return 0 on success, -1 on failure with one sentence in err.
 */
#ifndef PHOTOVOICE_IMAGE_H
#define PHOTOVOICE_IMAGE_H

#include "photovoice/err.h"

#include <stddef.h>
#include <stdint.h>

/* Largest image photovoice decodes, in pixels (width x height). A decompression
 * bomb declares 65535 x 65535; a 200-megapixel phone photo is still taken. */
#define PV_MAX_PIXELS ((uint64_t)200 * 1000 * 1000)

#define PV_THUMB_EDGE 320      /* long edge of the thumbnail, pixels */
#define PV_PREVIEW_EDGE 1600   /* long edge of the preview, pixels */
#define PV_INTAKE_QUALITY 92   /* JPEG quality for HEIC/PNG intake */
#define PV_DERIVED_QUALITY 85  /* JPEG quality of thumbnail and preview */

/* Two perceptual hashes this many bits apart or fewer are "near duplicates". */
#define PV_PHASH_NEAR 10

enum pv_image_format {
	PV_IMAGE_UNKNOWN,
	PV_IMAGE_JPEG,
	PV_IMAGE_PNG,
	PV_IMAGE_HEIF,     /* HEIC, HEIF, AVIF containers that libheif reads */
	PV_IMAGE_GIF,
	PV_IMAGE_WEBP,
	PV_IMAGE_TIFF,
	PV_IMAGE_BMP,
	PV_IMAGE_PDF,
	PV_IMAGE_ZIP,
	PV_IMAGE_VIDEO,    /* MP4/MOV (ftyp without an image brand) */
	PV_IMAGE_TEXT,     /* looks like text */
};

/* The formats photovoice takes in (src/image/formats.c): one row each. A
 * new input format is a row there and a file with its sniff and its
 * conversion, plus its name in the enum above. */
struct pv_input_format {
	enum pv_image_format format;
	const char *word;             /* in --json: "jpeg", "png", "heif" */
	const char *name;             /* in sentences: "JPEG", "PNG", "HEIC/HEIF" */
	const char *described;        /* "a JPEG photo" (pv_image_format_describe) */
	const char *const *endings;   /* the file name endings a drop folder counts
					 as this format's photos (any case) */
	int (*sniff)(const uint8_t *d, size_t n);   /* 1: the bytes are this format */
	/* NULL: taken as it is (JPEG). Else decoded and written as a JPEG:
	 * quality PV_INTAKE_QUALITY, upright, the source's ICC profile and no
	 * other metadata; refused over PV_MAX_PIXELS before decoding. */
	int (*to_jpeg)(const void *data, size_t len, uint8_t **out, size_t *outlen,
		       struct pv_err *err);
};
/* The row of a format, of the bytes, of a file name's ending; the i-th row.
 * NULL when photovoice does not take it. */
const struct pv_input_format *pv_input_format_of(enum pv_image_format f);
const struct pv_input_format *pv_input_format_sniff(const void *data, size_t len);
const struct pv_input_format *pv_input_format_named(const char *file_name);
const struct pv_input_format *pv_input_format_at(size_t i);
/* "JPEG, PNG or HEIC/HEIF"; with converted_only "PNG and HEIC/HEIF". */
void pv_input_formats_list(int converted_only, char *out, size_t n);

/* What the bytes are, by content (never by file name). */
enum pv_image_format pv_image_sniff(const void *data, size_t len);
/* For messages: "a JPEG photo", "a PNG image", "a PDF document", ... */
const char *pv_image_format_describe(enum pv_image_format f);

/* 0 when width x height is within PV_MAX_PIXELS and both are > 0; else -1
 * with a sentence naming the declared size. */
int pv_image_check_size(uint64_t width, uint64_t height, struct pv_err *err);

/* Decode a file of a converted input format (PNG, HEIC/HEIF: the rows with
 * a to_jpeg) and encode it as a JPEG: quality
 * PV_INTAKE_QUALITY, 4:2:0 (greyscale stays greyscale), upright (HEIF
 * transformations applied), alpha composited on white, the source's ICC
 * profile as APP2 when it has one, and no other metadata of the source.
 * *out is malloc'd. Refuses images over PV_MAX_PIXELS before decoding. */
int pv_image_to_jpeg(const void *data, size_t len, uint8_t **out,
		     size_t *outlen, struct pv_err *err);

/* A picture drawn for the screen (the poster builder's preview), w x h
 * pixels of 0x00RRGGBB words (cairo's RGB24), stride bytes a row, written
 * as an 8-bit RGB PNG for speed rather than size. *out is malloc'd. */
int pv_png_encode_screen(const uint32_t *xrgb, int w, int h, size_t stride, uint8_t **out,
			 size_t *outlen, struct pv_err *err);

struct pv_derivatives {
	uint8_t *thumb;      /* JPEG, PV_THUMB_EDGE long edge, sRGB, upright */
	size_t thumb_len;
	uint8_t *preview;    /* JPEG, PV_PREVIEW_EDGE long edge (or the photo's
				own size when smaller), sRGB, upright */
	size_t preview_len;
	uint64_t phash;      /* perceptual hash of the thumbnail */
	int width, height;   /* of the upright photo */
};

/* The derivatives of a stored (clean) JPEG, from ONE scaled decode: the
 * smallest DCT scale that still gives a long edge >= PV_PREVIEW_EDGE, then a
 * proper filtered resize to both sizes. orientation (1..8) is the EXIF
 * orientation still to apply (1 for baked photos; the fallback case keeps a
 * tag). Decoding the whole file also proves that it decodes. */
int pv_image_derivatives(const void *jpeg, size_t len, int orientation,
			 struct pv_derivatives *out, struct pv_err *err);
void pv_derivatives_free(struct pv_derivatives *d);

/* The photo as a PDF shows it right. PDF readers draw a CMYK or YCCK JPEG as
 * DeviceCMYK: Adobe's inverted ink (Photoshop's way) comes out as a negative
 * and the photo's ICC profile is ignored. For such a photo *out is a JPEG of
 * its pixels in sRGB (through its profile, inverted ink read as Photoshop
 * writes it: the same pixels as its preview), full size, quality
 * PV_INTAKE_QUALITY, not turned (the orientation still to apply is the stored
 * photo's). For a grey or RGB photo, which readers show as it is, *out is
 * NULL. */
int pv_image_print_jpeg(const void *jpeg, size_t len, uint8_t **out,
			size_t *outlen, struct pv_err *err);

/* The DCT scale pv_image_derivatives decodes a width x height JPEG at, as
 * num/denom: the smallest libjpeg-turbo scaling factor whose scaled long
 * edge is still >= PV_PREVIEW_EDGE; 1/1 for a photo that is not larger.
 * (4000 x 3000 gives 1/2: 2000 x 1500, since 3/8 would be 1500 x 1125.) */
void pv_image_decode_scale(int width, int height, int *num, int *denom);

/* Hamming distance between two perceptual hashes (0..64). */
int pv_phash_distance(uint64_t a, uint64_t b);

/* 16 lower-case hex digits and a NUL. */
void pv_phash_hex(uint64_t h, char out[17]);
int pv_phash_parse(const char *hex, uint64_t *out);

#endif
