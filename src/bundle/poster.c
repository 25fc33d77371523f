/* poster.pdf: a print-ready poster made with cairo and pango.
 *
 * Page: the chosen ISO paper, portrait or landscape, with margins for print.
 * At the top the title and subtitle, then a grid of the photos in bundle
 * order, each with its caption, credit and, where there is room, an excerpt
 * of its story; a one-line footer at the bottom.
 *
 * Photos are embedded as their own JPEG bytes (cairo's JPEG mime data): the
 * PDF holds each stored file unchanged as a DCTDecode image, never a
 * re-encoded copy. The exception is a CMYK or YCCK photo: PDF readers show
 * Adobe's inverted ink as a negative and ignore the photo's ICC profile, so
 * the poster holds its sRGB copy (pv_image_print_jpeg, the same pixels as its
 * preview) instead; photos/ still holds the stored file. The cairo surface that carries the mime data is a small
 * grey stand-in: the PDF backend draws the JPEG into the surface's rectangle,
 * so only its placement matters, and no photo is ever decoded here.
 *
 * The layout (poster_layout.c) measures every text with pango before placing
 * anything; text is drawn with the same width and line limits, ellipsized,
 * and clipped to its cell: it never runs into a neighbour. Metadata
 * dates are the bundle's time, font hinting is off: the same bundle gives the
 * same bytes. */
#include "poster_internal.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define STAND_IN_EDGE 8   /* pixels of the grey stand-in surface */

struct poster_draw {
	cairo_t *cr;
	PangoContext *pango;
	const struct pv_bundle_ctx *c;
	const struct pv_poster_geom *g;
};

/* ---- text ----------------------------------------------------------------------- */

/* Draws text as one paragraph at (x, y), clipped to clip. */
static void draw_text(struct poster_draw *d, const char *text, double pt, int bold,
		      int lines, double x, double y, double w,
		      const struct pv_rect *clip, double grey)
{
	char *one = pv_poster_paragraph(text);
	if (!one)
		return;
	PangoLayout *l = pv_poster_text(d->pango, one, pt, bold, w, lines);
	cairo_save(d->cr);
	cairo_rectangle(d->cr, clip->x, clip->y, clip->w, clip->h);
	cairo_clip(d->cr);
	cairo_set_source_rgb(d->cr, grey, grey, grey);
	cairo_move_to(d->cr, x, y);
	pango_cairo_show_layout(d->cr, l);
	cairo_restore(d->cr);
	g_object_unref(l);
	free(one);
}

static double text_h(struct poster_draw *d, const char *text, double pt, int bold,
		     double w, int lines)
{
	PangoLayout *l = pv_poster_text(d->pango, text, pt, bold, w, lines);
	double h = pv_poster_text_h(l);
	g_object_unref(l);
	return h;
}

static void draw_header(struct poster_draw *d, const struct pv_poster_settings *p)
{
	const struct pv_poster_geom *g = d->g;
	double u = g->unit;
	const struct pv_rect *h = &g->header;
	const char *title = pv_bundle_title(p);
	struct pv_rect clip = { h->x, h->y - 6 * u, h->w, h->h + 12 * u };
	cairo_set_source_rgb(d->cr, 0.0, 0.30, 0.33);
	PangoLayout *l = pv_poster_text(d->pango, title, 34.0 * u, 1, h->w, 1);
	cairo_save(d->cr);
	cairo_rectangle(d->cr, clip.x, clip.y, clip.w, clip.h);
	cairo_clip(d->cr);
	cairo_move_to(d->cr, h->x, h->y);
	pango_cairo_show_layout(d->cr, l);
	cairo_restore(d->cr);
	g_object_unref(l);
	if (p->subtitle) {
		double y = h->y + text_h(d, title, 34.0 * u, 1, h->w, 1) + 2.0 * u;
		draw_text(d, p->subtitle, 16.0 * u, 0, 2, h->x, y, h->w, &clip, 0.2);
	}
	/* a rule under the header */
	cairo_set_source_rgb(d->cr, 0.0, 0.42, 0.45);
	cairo_rectangle(d->cr, g->margin, g->grid.y - 12.0 * u, g->header.w, 1.5 * u);
	cairo_fill(d->cr);
}

static void draw_footer(struct poster_draw *d)
{
	const struct pv_rect *f = &d->g->footer;
	draw_text(d, "Foto's en woorden van de deelnemers, gedeeld met hun toestemming.",
		  8.0 * d->g->unit, 0, 1, f->x, f->y, f->w, f, 0.4);
}

/* Title, caption, credit and story excerpt in the text band of a cell,
 * placed as the layout measured them. */
static void draw_cell_text(struct poster_draw *d, const struct pv_bundle_item *item,
			   const struct pv_rect *cell, double band)
{
	double pt = d->g->pt;
	struct pv_cell_text t;
	pv_poster_measure(d->pango, item, cell->w, pt, d->g->stories, &t);
	double y = cell->y + band;
	draw_text(d, item->entry->title, pt, 1, 2, cell->x, y + t.title_y, cell->w, cell, 0.1);
	draw_text(d, pv_bundle_caption(item), pt, 0, 3, cell->x, y + t.caption_y, cell->w, cell, 0.1);
	draw_text(d, item->entry->credit, pt * 0.8, 0, 1, cell->x, y + t.credit_y, cell->w, cell, 0.35);
	if (d->g->stories)
		draw_text(d, item->entry->story, pt * 0.85, 0, 4, cell->x, y + t.story_y, cell->w, cell, 0.3);
}

/* ---- photos --------------------------------------------------------------------- */

/* The matrix that maps the stored image (w x h) to its upright display, as
 * the EXIF orientation tag says. */
static void orientation_matrix(int o, double w, double h, cairo_matrix_t *m)
{
	switch (o) {
	case 2: cairo_matrix_init(m, -1, 0, 0, 1, w, 0); break;
	case 3: cairo_matrix_init(m, -1, 0, 0, -1, w, h); break;
	case 4: cairo_matrix_init(m, 1, 0, 0, -1, 0, h); break;
	case 5: cairo_matrix_init(m, 0, 1, 1, 0, 0, 0); break;
	case 6: cairo_matrix_init(m, 0, 1, -1, 0, h, 0); break;
	case 7: cairo_matrix_init(m, 0, -1, -1, 0, h, w); break;
	case 8: cairo_matrix_init(m, 0, -1, 1, 0, 0, w); break;
	default: cairo_matrix_init_identity(m); break;
	}
}

/* A grey stand-in surface carrying the photo's JPEG bytes (its sRGB copy
 * when it is CMYK). */
static cairo_surface_t *jpeg_surface(const struct pv_bundle_photo *ph)
{
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24,
						       STAND_IN_EDGE, STAND_IN_EDGE);
	cairo_t *cr = cairo_create(s);
	cairo_set_source_rgb(cr, 0.8, 0.8, 0.8);
	cairo_paint(cr);
	cairo_destroy(cr);
	/* the bytes stay mapped until the bundle is finished; cairo reads them
	 * when it writes the page */
	const struct pv_bundle_map *m = ph->print.len ? &ph->print : &ph->photo;
	const uint8_t *jpeg = m->data;
	size_t len = m->len;
	cairo_surface_set_mime_data(s, CAIRO_MIME_TYPE_JPEG, jpeg, (unsigned long)len,
				    NULL, NULL);
	return s;
}

/* poster.pdf's photo: the JPEG's own bytes in the rectangle. */
static void draw_pdf_photo(cairo_t *cr, const struct pv_bundle_ctx *c, size_t i,
			   const struct pv_rect *r, void *ctx)
{
	(void)ctx;
	const struct pv_bundle_photo *ph = &c->photos[i];
	cairo_surface_t *s = jpeg_surface(ph);
	int turned = ph->orientation >= 5;
	/* the stand-in's square, stretched to the stored image's shape */
	double sw = turned ? r->h : r->w, sh = turned ? r->w : r->h;
	cairo_matrix_t orient;
	orientation_matrix(ph->orientation, sw, sh, &orient);
	cairo_save(cr);
	cairo_translate(cr, r->x, r->y);
	cairo_transform(cr, &orient);
	cairo_scale(cr, sw / STAND_IN_EDGE, sh / STAND_IN_EDGE);
	cairo_set_source_surface(cr, s, 0, 0);
	cairo_pattern_set_extend(cairo_get_source(cr), CAIRO_EXTEND_NONE);
	cairo_rectangle(cr, 0, 0, STAND_IN_EDGE, STAND_IN_EDGE);
	cairo_fill(cr);
	cairo_restore(cr);
	cairo_surface_destroy(s);
}

static void draw_cell(struct poster_draw *d, size_t i, pv_poster_photo_fn draw_photo,
		      void *ctx)
{
	struct pv_rect cell = pv_poster_cell(d->g, i);
	struct pv_rect r = pv_poster_photo_rect(d->g, d->c, i);
	draw_photo(d->cr, d->c, i, &r, ctx);
	char msg[512];
	if (d->c->opts->warn && pv_poster_low_dpi(d->g, d->c, i, msg, sizeof msg))
		d->c->opts->warn(msg, d->c->opts->warn_ctx);
	draw_cell_text(d, &d->c->items[i], &cell, pv_poster_band(d->g, i));
}

void pv_poster_draw_page(cairo_t *cr, PangoContext *pc, const struct pv_bundle_ctx *c,
			 const struct pv_poster_geom *g, pv_poster_photo_fn draw_photo,
			 void *ctx)
{
	struct poster_draw d = { .cr = cr, .pango = pc, .c = c, .g = g };
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	draw_header(&d, &c->opts->poster);
	for (size_t i = 0; i < c->n; i++)
		draw_cell(&d, i, draw_photo, ctx);
	draw_footer(&d);
}

/* ---- the document --------------------------------------------------------------- */

/* The PDF goes to the member's file as cairo writes it. cairo reads every
 * photo's bytes when it writes the page, one after another: every few
 * megabytes written, the pages of the photos read so far are given back, so
 * that the poster holds about one photo at a time, whatever their number. */
#define SWEEP_BYTES ((size_t)4 << 20)

struct pdf_sink {
	FILE *f;
	const struct pv_bundle_ctx *c;
	size_t since_sweep;
};

static cairo_status_t sink_write(void *closure, const unsigned char *data,
				 unsigned int length)
{
	struct pdf_sink *s = closure;
	if (fwrite(data, 1, length, s->f) != length)
		return CAIRO_STATUS_WRITE_ERROR;
	s->since_sweep += length;
	if (s->since_sweep >= SWEEP_BYTES) {
		pv_bundle_release_photos(s->c);
		s->since_sweep = 0;
	}
	return CAIRO_STATUS_SUCCESS;
}

static void set_metadata(cairo_surface_t *pdf, const struct pv_bundle_ctx *c)
{
	char date[32];
	struct tm tm;
	gmtime_r(&c->opts->mtime, &tm);
	strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm);
	cairo_pdf_surface_set_metadata(pdf, CAIRO_PDF_METADATA_TITLE,
				       pv_bundle_title(&c->opts->poster));
	cairo_pdf_surface_set_metadata(pdf, CAIRO_PDF_METADATA_CREATOR, "photovoice");
	cairo_pdf_surface_set_metadata(pdf, CAIRO_PDF_METADATA_CREATE_DATE, date);
	cairo_pdf_surface_set_metadata(pdf, CAIRO_PDF_METADATA_MOD_DATE, date);
}

static int finish_pdf(cairo_surface_t *pdf, cairo_t *cr, struct pv_err *err)
{
	const char *why = pv_pdf_finish(pdf, cr);
	if (why)
		return pv_fail(err, PV_ERR_OUTPUT, "poster.pdf could not be made (%s).", why);
	return 0;
}

/* The page is laid out with the same pango context that draws it, so that
 * what was measured is what is drawn. */
static int render(const struct pv_bundle_ctx *c, struct pdf_sink *sink,
		  int *columns, struct pv_err *err)
{
	double w, h;
	const struct pv_poster_settings *p = &c->opts->poster;
	pv_paper_size(p->paper, &w, &h);
	cairo_surface_t *pdf = cairo_pdf_surface_create_for_stream(sink_write, sink,
								   p->landscape ? h : w,
								   p->landscape ? w : h);
	set_metadata(pdf, c);
	cairo_t *cr = cairo_create(pdf);
	PangoContext *pc = pv_poster_context(cr);
	struct pv_poster_geom g;
	int r = pv_poster_layout(&g, pc, c);
	if (r == 0) {
		pv_poster_draw_page(cr, pc, c, &g, draw_pdf_photo, NULL);
		cairo_show_page(cr);
		*columns = g.cols;
		pv_poster_layout_free(&g);
	}
	g_object_unref(pc);
	if (finish_pdf(pdf, cr, err) != 0)
		return -1;
	pv_bundle_release_photos(c);
	if (r != 0)
		pv_fail(err, PV_ERR_OUTPUT, "poster.pdf could not be made (out of memory).");
	return r;
}

int pv_bundle_poster_pdf(const struct pv_bundle_ctx *c, FILE *f, struct pv_err *err)
{
	struct pdf_sink sink = { .f = f, .c = c };
	int columns = 0;
	int r = render(c, &sink, &columns, err);
	if (r == 0 && c->poster_columns)
		*c->poster_columns = columns;
	return r;
}
