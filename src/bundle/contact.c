/* contact-sheet.jpg: every photo of the bundle, numbered in poster order, on
 * one sheet, to choose and discuss. Drawn with cairo from the thumbnails
 * (decoded by TurboJPEG), labelled with pango, and encoded with libjpeg one
 * row of photos at a time: only one row of the sheet is ever in memory,
 * however many photos it shows. */
#include "poster_internal.h"

#include <cairo.h>
#include <inttypes.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <turbojpeg.h>
#include <jpeglib.h>

#define SHEET_MAX_PIXELS (64.0 * 1000 * 1000)
#define SHEET_QUALITY 88

/* cairo's RGB24 is a native-endian 32-bit word 0x00RRGGBB */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define CAIRO_JCS JCS_EXT_BGRX
#else
#define CAIRO_JCS JCS_EXT_XRGB
#endif

struct sheet {
	int cols, rows;
	int cell;          /* width of the box a thumbnail sits in */
	int box_h;         /* its height: 3/4 of the width */
	int label_h;
	int pad;
	int head_h;
	int row_h;         /* one row of photos with their labels */
	int width, height;
};

static void sheet_geometry(struct sheet *s, size_t n)
{
	s->cols = (int)ceil(sqrt((double)n * 1.3));
	if (s->cols < 1)
		s->cols = 1;
	if ((size_t)s->cols > n)
		s->cols = (int)n;
	s->rows = (int)((n + (size_t)s->cols - 1) / (size_t)s->cols);
	double fit = sqrt(SHEET_MAX_PIXELS / ((double)s->cols * s->rows * 1.3));
	s->cell = (int)fmin(320.0, fit);
	if (s->cell < 48)
		s->cell = 48;
	s->box_h = s->cell * 3 / 4;
	s->pad = s->cell / 16 + 4;
	s->label_h = s->cell / 8 + 10;
	s->head_h = s->label_h * 2;
	s->row_h = s->box_h + s->label_h + s->pad;
	s->width = s->cols * (s->cell + s->pad) + s->pad;
	s->height = s->head_h + s->rows * s->row_h + s->pad;
}

static void draw_label(cairo_t *cr, PangoContext *pc, const char *text, double x,
		       double y, double width, double px, int bold)
{
	PangoLayout *l = pv_poster_text(pc, text, px, bold, width, 1);
	cairo_move_to(cr, x, y);
	pango_cairo_show_layout(cr, l);
	g_object_unref(l);
}

/* A thumbnail as a cairo surface; NULL when it does not decode. */
static cairo_surface_t *decode_thumb(tjhandle tj, const struct pv_bundle_photo *ph)
{
	int w, h, sub, cs;
	const struct pv_bundle_map *m = &ph->thumb;
	if (!m->data ||
	    tjDecompressHeader3(tj, m->data, (unsigned long)m->len, &w, &h, &sub, &cs) != 0 ||
	    w < 1 || h < 1 || w > 4096 || h > 4096)
		return NULL;
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	cairo_surface_flush(s);
	int r = tjDecompress2(tj, m->data, (unsigned long)m->len,
			      cairo_image_surface_get_data(s), w,
			      cairo_image_surface_get_stride(s), h, CAIRO_TJPF, 0);
	pv_bundle_map_release(m);
	cairo_surface_mark_dirty(s);
	if (r != 0) {
		cairo_surface_destroy(s);
		return NULL;
	}
	return s;
}

/* The thumbnail fitted into box_w x box_h, centred, standing on its label. */
static void draw_thumb(cairo_t *cr, cairo_surface_t *img, double x, double y,
		       double box_w, double box_h)
{
	double w = cairo_image_surface_get_width(img), h = cairo_image_surface_get_height(img);
	double k = fmin(box_w / w, box_h / h);
	cairo_save(cr);
	cairo_translate(cr, x + (box_w - w * k) / 2, y + (box_h - h * k));
	cairo_scale(cr, k, k);
	cairo_set_source_surface(cr, img, 0, 0);
	cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
	cairo_paint(cr);
	cairo_restore(cr);
}

static void draw_cell(cairo_t *cr, PangoContext *pc, tjhandle tj, const struct sheet *s,
		      const struct pv_bundle_ctx *c, size_t i)
{
	const struct pv_bundle_photo *ph = &c->photos[i];
	double x = s->pad + (double)(i % (size_t)s->cols) * (s->cell + s->pad);
	double y = s->head_h + (double)(i / (size_t)s->cols) * s->row_h;
	cairo_surface_t *img = decode_thumb(tj, ph);
	if (img) {
		draw_thumb(cr, img, x, y, s->cell, s->box_h);
		cairo_surface_destroy(img);
	} else {
		cairo_set_source_rgb(cr, 0.85, 0.85, 0.85);
		cairo_rectangle(cr, x, y, s->cell, s->box_h);
		cairo_fill(cr);
	}
	const char *title = c->items[i].entry->title;
	char label[512];
	snprintf(label, sizeof label, "%d   %s", ph->number, title ? title : "");
	cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
	draw_label(cr, pc, label, x, y + s->box_h + s->label_h * 0.15, s->cell,
		   s->label_h * 0.5, 0);
}

static void draw_head(cairo_t *cr, PangoContext *pc, const struct sheet *s,
		      const struct pv_bundle_ctx *c)
{
	char head[512];
	snprintf(head, sizeof head, "%s  \xC2\xB7  %zu foto%s", pv_bundle_title(&c->opts->poster),
		 c->n, c->n == 1 ? "" : "'s");
	cairo_set_source_rgb(cr, 0.0, 0.42, 0.45);
	draw_label(cr, pc, head, s->pad, s->head_h * 0.3, s->width - 2 * s->pad,
		   s->label_h * 0.55, 1);
}

/* ---- the sheet, band by band ---------------------------------------------------- */

/* One band of the sheet: the heading (band 0), a row of photos (band r + 1)
 * or the margin below them (the last band). */
static int band_top(const struct sheet *s, int band)
{
	if (band == 0)
		return 0;
	return s->head_h + (band - 1) * s->row_h;
}

static int band_height(const struct sheet *s, int band)
{
	if (band == 0)
		return s->head_h;
	return band <= s->rows ? s->row_h : s->pad;
}

/* Draws band into surf (width x row_h at least), white where empty. */
static int draw_band(cairo_surface_t *surf, const struct sheet *s, const struct pv_bundle_ctx *c,
		     tjhandle tj, int band)
{
	cairo_t *cr = cairo_create(surf);
	PangoContext *pc = pv_poster_context(cr);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_translate(cr, 0, -band_top(s, band));
	if (band == 0)
		draw_head(cr, pc, s, c);
	for (size_t i = (size_t)(band - 1) * (size_t)s->cols;
	     band >= 1 && band <= s->rows && i < c->n && i < (size_t)band * (size_t)s->cols; i++)
		draw_cell(cr, pc, tj, s, c, i);
	g_object_unref(pc);
	int r = cairo_status(cr) == CAIRO_STATUS_SUCCESS ? 0 : -1;
	cairo_destroy(cr);
	cairo_surface_flush(surf);
	return r;
}

/* libjpeg reports a fatal error by calling error_exit: back to the encoder
 * instead of ending the program. */
struct jpeg_fail {
	struct jpeg_error_mgr mgr;
	jmp_buf back;
};

static void jpeg_fatal(j_common_ptr cinfo)
{
	longjmp(((struct jpeg_fail *)cinfo->err)->back, 1);
}

static void start_jpeg(struct jpeg_compress_struct *ci, const struct sheet *s, FILE *f)
{
	jpeg_create_compress(ci);
	jpeg_stdio_dest(ci, f);
	ci->image_width = (JDIMENSION)s->width;
	ci->image_height = (JDIMENSION)s->height;
	ci->input_components = 4;
	ci->in_color_space = CAIRO_JCS;
	jpeg_set_defaults(ci);
	jpeg_set_quality(ci, SHEET_QUALITY, TRUE);
	jpeg_start_compress(ci, TRUE);
}

static int write_bands(struct jpeg_compress_struct *ci, cairo_surface_t *surf,
		       const struct sheet *s, const struct pv_bundle_ctx *c, tjhandle tj)
{
	unsigned char *pixels = cairo_image_surface_get_data(surf);
	int stride = cairo_image_surface_get_stride(surf);
	for (int band = 0; band <= s->rows + 1; band++) {
		if (draw_band(surf, s, c, tj, band) != 0)
			return -1;
		for (int y = 0; y < band_height(s, band); y++) {
			JSAMPROW row = pixels + (size_t)y * (size_t)stride;
			jpeg_write_scanlines(ci, &row, 1);
		}
	}
	return 0;
}

static int encode_sheet(const struct sheet *s, const struct pv_bundle_ctx *c,
			cairo_surface_t *surf, tjhandle tj, FILE *f)
{
	struct jpeg_compress_struct ci;
	struct jpeg_fail fail;
	ci.err = jpeg_std_error(&fail.mgr);
	fail.mgr.error_exit = jpeg_fatal;
	volatile int r = -1;
	if (setjmp(fail.back) == 0) {
		start_jpeg(&ci, s, f);
		if (write_bands(&ci, surf, s, c, tj) == 0) {
			jpeg_finish_compress(&ci);
			r = 0;
		}
	}
	jpeg_destroy_compress(&ci);
	return r;
}

int pv_bundle_contact_sheet(const struct pv_bundle_ctx *c, FILE *f, struct pv_err *err)
{
	struct sheet s;
	sheet_geometry(&s, c->n);
	int band_h = s.row_h > s.head_h ? s.row_h : s.head_h;
	cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, s.width, band_h);
	tjhandle tj = tjInitDecompress();
	int r = -1;
	if (cairo_surface_status(surf) == CAIRO_STATUS_SUCCESS && tj)
		r = encode_sheet(&s, c, surf, tj, f);
	if (tj)
		tjDestroy(tj);
	cairo_surface_destroy(surf);
	if (r != 0)
		return pv_fail(err, PV_ERR_OUTPUT, "contact-sheet.jpg could not be made (out of memory).");
	return 0;
}
