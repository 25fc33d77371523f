/* contact-sheet.jpg: every photo of the bundle, numbered in poster order, on
 * one sheet, to choose and discuss. Drawn with cairo from the thumbnails
 * (decoded by TurboJPEG), labelled with pango, encoded with TurboJPEG. */
#include "poster_internal.h"

#include <cairo.h>
#include <inttypes.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdlib.h>
#include <string.h>
#include <turbojpeg.h>

#define SHEET_MAX_PIXELS (64.0 * 1000 * 1000)
#define SHEET_QUALITY 88

/* cairo's RGB24 is a native-endian 32-bit word 0x00RRGGBB */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define CAIRO_TJPF TJPF_BGRX
#else
#define CAIRO_TJPF TJPF_XRGB
#endif

struct sheet {
	int cols, rows;
	int cell;          /* width of the box a thumbnail sits in */
	int box_h;         /* its height: 3/4 of the width */
	int label_h;
	int pad;
	int head_h;
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
	s->width = s->cols * (s->cell + s->pad) + s->pad;
	s->height = s->head_h + s->rows * (s->box_h + s->label_h + s->pad) + s->pad;
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
	if (!ph->thumb_data ||
	    tjDecompressHeader3(tj, ph->thumb_data, (unsigned long)ph->thumb_len, &w, &h, &sub, &cs) != 0 ||
	    w < 1 || h < 1 || w > 4096 || h > 4096)
		return NULL;
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	cairo_surface_flush(s);
	int r = tjDecompress2(tj, ph->thumb_data, (unsigned long)ph->thumb_len,
			      cairo_image_surface_get_data(s), w,
			      cairo_image_surface_get_stride(s), h, CAIRO_TJPF, 0);
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
	double y = s->head_h + (double)(i / (size_t)s->cols) * (s->box_h + s->label_h + s->pad);
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

static void draw_sheet(cairo_t *cr, PangoContext *pc, const struct sheet *s,
		       const struct pv_bundle_ctx *c, tjhandle tj)
{
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	char head[512];
	snprintf(head, sizeof head, "%s  \xC2\xB7  %zu foto%s", pv_bundle_title(&c->opts->poster),
		 c->n, c->n == 1 ? "" : "'s");
	cairo_set_source_rgb(cr, 0.0, 0.42, 0.45);
	draw_label(cr, pc, head, s->pad, s->head_h * 0.3, s->width - 2 * s->pad,
		   s->label_h * 0.55, 1);
	for (size_t i = 0; i < c->n; i++)
		draw_cell(cr, pc, tj, s, c, i);
}

static int encode(cairo_surface_t *surf, uint8_t **out, size_t *outlen)
{
	tjhandle tj = tjInitCompress();
	if (!tj)
		return -1;
	unsigned char *jpeg = NULL;
	unsigned long len = 0;
	cairo_surface_flush(surf);
	int r = tjCompress2(tj, cairo_image_surface_get_data(surf),
			    cairo_image_surface_get_width(surf),
			    cairo_image_surface_get_stride(surf),
			    cairo_image_surface_get_height(surf), CAIRO_TJPF,
			    &jpeg, &len, TJSAMP_420, SHEET_QUALITY, 0);
	tjDestroy(tj);
	if (r != 0) {
		tjFree(jpeg);
		return -1;
	}
	*out = malloc(len);
	if (*out)
		memcpy(*out, jpeg, len);
	*outlen = len;
	tjFree(jpeg);
	return *out ? 0 : -1;
}

int pv_bundle_contact_sheet(const struct pv_bundle_ctx *c, uint8_t **out,
			    size_t *outlen, struct pv_err *err)
{
	struct sheet s;
	sheet_geometry(&s, c->n);
	cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, s.width, s.height);
	tjhandle tj = tjInitDecompress();
	int r = -1;
	if (cairo_surface_status(surf) == CAIRO_STATUS_SUCCESS && tj) {
		cairo_t *cr = cairo_create(surf);
		PangoContext *pc = pv_poster_context(cr);
		draw_sheet(cr, pc, &s, c, tj);
		g_object_unref(pc);
		r = cairo_status(cr) == CAIRO_STATUS_SUCCESS ? 0 : -1;
		cairo_destroy(cr);
	}
	if (r == 0)
		r = encode(surf, out, outlen);
	if (tj)
		tjDestroy(tj);
	cairo_surface_destroy(surf);
	if (r != 0)
		pv_fail(err, PV_ERR_OUTPUT, "contact-sheet.jpg could not be made (out of memory).");
	return r;
}
