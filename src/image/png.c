/*
 * src/image/png.c - PNG intake with libpng: 8-bit grey or RGB out, palette
 * expanded, 16-bit scaled down, alpha composited on white, the iCCP profile
 * kept. Text chunks (tEXt, zTXt, iTXt) and eXIf are skipped unread; gAMA,
 * cHRM and sRGB are ignored (the pixels are taken as they are stored).
 *
 * libpng reports errors by longjmp: everything that must survive the jump
 * lives in a struct owned by the caller of the function that calls setjmp,
 * so no local variable of that function is read after a jump.
 */
#include <stdlib.h>
#include <string.h>

#include <png.h>

#include "photovoice/i18n.h"
#include "photovoice/image.h"
#include "photovoice/util.h"
#include "image_internal.h"

#define MSG_DAMAGED N_("This PNG image is damaged or incomplete and cannot be read.")

struct png_job {
	const uint8_t *data;
	size_t len, pos;
	png_structp png;
	png_infop info;
	uint8_t *rows;        /* decoded image, png channels per pixel */
	png_bytep *row_ptrs;
	int channels;         /* of rows: 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA */
	struct pv_icc icc;
	struct pv_err *err;
	int err_set;          /* err already holds a better sentence */
};

static void on_error(png_structp png, png_const_charp msg)
{
	(void)msg;   /* technical; the caller says it in plain words */
	png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp msg)
{
	(void)png;
	(void)msg;
}

static void read_bytes(png_structp png, png_bytep buf, png_size_t n)
{
	struct png_job *job = png_get_io_ptr(png);
	if (n > job->len - job->pos)
		png_error(png, "truncated");
	memcpy(buf, job->data + job->pos, n);
	job->pos += n;
}

static void keep_icc(struct png_job *job)
{
	png_charp name;
	png_bytep profile;
	png_uint_32 len;
	int compression;
	if (!png_get_valid(job->png, job->info, PNG_INFO_iCCP) ||
	    !png_get_iCCP(job->png, job->info, &name, &compression, &profile, &len) ||
	    len == 0)
		return;
	job->icc.data = malloc(len);
	if (!job->icc.data)
		png_error(job->png, "out of memory");
	memcpy(job->icc.data, profile, len);
	job->icc.len = len;
}

static void skip_text_chunks(png_structp png)
{
	static const png_byte text[] = "tEXt\0zTXt\0iTXt\0eXIf\0tIME";
	png_set_keep_unknown_chunks(png, PNG_HANDLE_CHUNK_NEVER, text, 5);
}

/* Header, size check, transformations to 8-bit grey/RGB(+alpha). */
static int read_header(struct png_job *job)
{
	png_read_info(job->png, job->info);
	png_uint_32 w = png_get_image_width(job->png, job->info);
	png_uint_32 h = png_get_image_height(job->png, job->info);
	if (pv_image_check_size(w, h, job->err) != 0) {
		job->err_set = 1;
		return -1;
	}
	keep_icc(job);
	png_set_expand(job->png);          /* palette -> RGB, tRNS -> alpha, low bits -> 8 */
	png_set_scale_16(job->png);
	png_set_interlace_handling(job->png);
	png_read_update_info(job->png, job->info);
	job->channels = png_get_channels(job->png, job->info);
	if (png_get_rowbytes(job->png, job->info) != (size_t)w * (size_t)job->channels)
		png_error(job->png, "unexpected row size");
	return 0;
}

static int read_pixels(struct png_job *job)
{
	if (setjmp(png_jmpbuf(job->png)))
		return -1;
	png_set_read_fn(job->png, job, read_bytes);
	skip_text_chunks(job->png);
	png_set_user_limits(job->png, 0x7fffffffu, 0x7fffffffu);   /* we check size ourselves */
	if (read_header(job) != 0)
		return -1;
	size_t w = png_get_image_width(job->png, job->info);
	size_t h = png_get_image_height(job->png, job->info);
	size_t row = w * (size_t)job->channels;
	job->rows = malloc(row * h);
	job->row_ptrs = malloc(h * sizeof *job->row_ptrs);
	if (!job->rows || !job->row_ptrs)
		png_error(job->png, "out of memory");
	for (size_t y = 0; y < h; y++)
		job->row_ptrs[y] = job->rows + y * row;
	png_read_image(job->png, job->row_ptrs);
	return 0;
}

int pv_png_decode(const uint8_t *data, size_t len, struct pv_pixels *out,
		  struct pv_icc *icc, struct pv_err *err)
{
	struct png_job job = { .data = data, .len = len, .err = err };
	memset(out, 0, sizeof *out);
	memset(icc, 0, sizeof *icc);
	job.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, on_error, on_warning);
	job.info = job.png ? png_create_info_struct(job.png) : NULL;
	int rc = job.info ? read_pixels(&job) : -1;
	if (rc == 0) {
		out->w = (int)png_get_image_width(job.png, job.info);
		out->h = (int)png_get_image_height(job.png, job.info);
		if (job.channels == 2 || job.channels == 4)
			pv_composite_on_white(job.rows, (size_t)out->w * (size_t)out->h,
					      job.channels, job.channels - 1);
		out->channels = job.channels <= 2 ? 1 : 3;
		out->px = job.rows;
		job.rows = NULL;
		*icc = job.icc;
		job.icc.data = NULL;
	} else if (!job.err_set) {
		pv_fail(err, PV_ERR_INPUT, MSG_DAMAGED);
	}
	png_destroy_read_struct(job.png ? &job.png : NULL, job.info ? &job.info : NULL, NULL);
	free(job.rows);
	free(job.row_ptrs);
	free(job.icc.data);
	return rc;
}

/* ---- the row of formats.c ------------------------------------------------- */

int pv_png_sniff(const uint8_t *d, size_t n)
{
	return n >= 8 && memcmp(d, "\x89PNG\r\n\x1A\n", 8) == 0;
}

/* Decoded to pixels, then written as a JPEG with the PNG's ICC profile. */
int pv_png_to_jpeg(const void *data, size_t len, uint8_t **out, size_t *outlen,
		   struct pv_err *err)
{
	struct pv_pixels pix = { 0 };
	struct pv_icc icc = { 0 };
	int rc = pv_png_decode(data, len, &pix, &icc, err);
	if (rc == 0)
		rc = pv_encode_jpeg(&pix, PV_INTAKE_QUALITY, &icc, out, outlen, err);
	pv_pixels_free(&pix);
	free(icc.data);
	return rc;
}

/* ---- a screen picture written as PNG -------------------------------------- */

/* 0x00RRGGBB words (cairo's RGB24) to packed R, G, B bytes, row by row. */
static uint8_t *packed_rgb(const uint32_t *xrgb, int w, int h, size_t stride)
{
	uint8_t *rgb = malloc((size_t)w * (size_t)h * 3);
	if (!rgb)
		return NULL;
	uint8_t *o = rgb;
	for (int y = 0; y < h; y++) {
		const uint32_t *row = (const uint32_t *)((const uint8_t *)xrgb + (size_t)y * stride);
		for (int x = 0; x < w; x++) {
			*o++ = (uint8_t)(row[x] >> 16);
			*o++ = (uint8_t)(row[x] >> 8);
			*o++ = (uint8_t)row[x];
		}
	}
	return rgb;
}

int pv_png_encode_screen(const uint32_t *xrgb, int w, int h, size_t stride, uint8_t **out,
			 size_t *outlen, struct pv_err *err)
{
	*out = NULL;
	*outlen = 0;
	if (w <= 0 || h <= 0)
		return pv_fail(err, PV_ERR_OUTPUT, "There is no picture to write as PNG.");
	uint8_t *rgb = packed_rgb(xrgb, w, h, stride);
	png_image img = { .version = PNG_IMAGE_VERSION, .width = (png_uint_32)w,
			  .height = (png_uint_32)h, .format = PNG_FORMAT_RGB,
			  /* shown once and thrown away: speed over size (the
			   * poster preview's PNG: twice as fast as cairo's
			   * writer at zlib's default, 10 % larger) */
			  .flags = PNG_IMAGE_FLAG_FAST };
	/* room for the worst case, so that it is written once (libpng's way of
	 * asking the size first writes it all to count) */
	png_alloc_size_t size = PNG_IMAGE_PNG_SIZE_MAX(img);
	if (rgb)
		*out = malloc(size);
	if (*out && png_image_write_to_memory(&img, *out, &size, 0, rgb, 0, NULL)) {
		uint8_t *fit = realloc(*out, size);
		*out = fit ? fit : *out;
		*outlen = size;
	} else {
		free(*out);
		*out = NULL;
	}
	int libpng_said = rgb && *out == NULL && img.message[0];
	png_image_free(&img);
	free(rgb);
	if (*out)
		return 0;
	return pv_fail(err, PV_ERR_OUTPUT, "The picture could not be written as PNG (%s).",
		       libpng_said ? img.message : "out of memory");
}
