/* poster.pdf: a print-ready poster made with cairo and pango.
 *
 * Page: the chosen ISO paper, portrait or landscape, with margins for print.
 * At the top the title and subtitle, then a grid of the photos in bundle
 * order, each with its caption, credit and, where there is room, an excerpt
 * of its story; a one-line footer at the bottom.
 *
 * Photos are embedded as their own JPEG bytes (cairo's JPEG mime data): the
 * PDF holds each stored file unchanged as a DCTDecode image, never a
 * re-encoded copy. The cairo surface that carries the mime data is a small
 * grey stand-in: the PDF backend draws the JPEG into the surface's rectangle,
 * so only its placement matters, and no photo is ever decoded here.
 *
 * Text is laid out by pango with a width and a height limit and an ellipsis,
 * and drawn clipped to its cell: it never runs into a neighbour. Metadata
 * dates are the bundle's time, font hinting is off: the same bundle gives the
 * same bytes. */
#include "bundle_internal.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <inttypes.h>
#include <math.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <stdlib.h>
#include <string.h>


#define FONT_FAMILY "Nimbus Sans, Liberation Sans, DejaVu Sans, sans-serif"
#define STAND_IN_EDGE 8   /* pixels of the grey stand-in surface */

/* ---- geometry ----------------------------------------------------------------- */

struct rect {
	double x, y, w, h;
};

/* One photo as the poster places it. */
struct poster_photo {
	int raw_w, raw_h;        /* as stored (before any orientation tag) */
	int orientation;         /* 1..8: EXIF orientation still to apply */
	double aspect;           /* displayed width / height */
};

struct poster_geom {
	double page_w, page_h;
	double unit;             /* 1 on A4, 2 on A2 portrait: scales all sizes */
	double margin;
	struct rect header, grid, footer;
	int cols, rows;
	double gap;
	double cell_w, cell_h;
	double photo_h;          /* height of the photo box at the top of a cell */
	double caption_pt;
};

static double clamp(double v, double lo, double hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* The largest rectangle of this aspect inside w x h. */
static void fit(double aspect, double w, double h, double *fw, double *fh)
{
	*fw = w;
	*fh = w / aspect;
	if (*fh > h) {
		*fh = h;
		*fw = h * aspect;
	}
}

static double caption_size(const struct poster_geom *g, double cell_w)
{
	return clamp(cell_w * 0.05, 6.0, 15.0 * g->unit);
}

/* Height of the text under a photo: three caption lines, a credit line and
 * room for a few lines of story. */
static double text_height(double caption_pt)
{
	return caption_pt * (1.3 * 3 + 1.2 + 1.25 * 4 + 1.0);
}

/* Places the grid for cols columns; returns the total photo area, or -1 when
 * the cells would be too small for their text (unless forced: then the text
 * gets half of each cell, ellipsized as it must). */
static double try_columns(struct poster_geom *g, int cols, size_t n,
			  const struct poster_photo *photos, int force)
{
	int rows = (int)((n + (size_t)cols - 1) / (size_t)cols);
	double gap = fmin(16.0 * g->unit, fmin(g->grid.w / cols, g->grid.h / rows) * 0.1);
	double cell_w = (g->grid.w - (cols - 1) * gap) / cols;
	double cell_h = (g->grid.h - (rows - 1) * gap) / rows;
	double cap = caption_size(g, cell_w);
	double photo_h = fmin(cell_w, cell_h - text_height(cap));
	if (photo_h < cell_h * 0.35) {
		if (!force)
			return -1;
		photo_h = cell_h * 0.5;
	}
	double area = 0;
	for (size_t i = 0; i < n; i++) {
		double fw, fh;
		fit(photos[i].aspect, cell_w, photo_h, &fw, &fh);
		area += fw * fh;
	}
	g->cols = cols;
	g->rows = rows;
	g->gap = gap;
	g->cell_w = cell_w;
	g->cell_h = cell_h;
	g->photo_h = photo_h;
	g->caption_pt = cap;
	return area;
}

/* The columns asked for, else the number that gives the photos the most
 * room (the fewest columns among equals); when nothing fits, the most. */
static void place_grid(struct poster_geom *g, int want, size_t n,
		       const struct poster_photo *photos)
{
	int max = n < PV_POSTER_MAX_COLUMNS ? (int)n : PV_POSTER_MAX_COLUMNS;
	if (want > 0) {
		try_columns(g, want, n, photos, 1);
		return;
	}
	double best = -1;
	int best_cols = max;
	for (int c = 1; c <= max; c++) {
		double area = try_columns(g, c, n, photos, 0);
		if (area > best * 1.0001) {
			best = area;
			best_cols = c;
		}
	}
	try_columns(g, best_cols, n, photos, 1);
}

static void page_size(const struct pv_poster_settings *p, double *w, double *h)
{
	double pw, ph;
	pv_paper_size(p->paper, &pw, &ph);
	*w = p->landscape ? ph : pw;
	*h = p->landscape ? pw : ph;
}

/* Header and footer heights are fixed proportions of the page; the grid gets
 * the rest. */
static void poster_geometry(struct poster_geom *g, const struct pv_poster_settings *p,
			    size_t n, const struct poster_photo *photos)
{
	memset(g, 0, sizeof *g);
	page_size(p, &g->page_w, &g->page_h);
	g->unit = fmin(g->page_w, g->page_h) / 595.0;
	g->margin = 36.0 * g->unit;             /* 12.7 mm on A4 */
	double inner_w = g->page_w - 2 * g->margin;
	double title_h = 34.0 * g->unit * 1.25 + (p->subtitle ? 16.0 * g->unit * 1.3 * 2 : 0);
	g->header = (struct rect){ g->margin, g->margin, inner_w, title_h };
	double footer_h = 8.0 * g->unit * 1.4;
	g->footer = (struct rect){ g->margin, g->page_h - g->margin - footer_h, inner_w, footer_h };
	double top = g->header.y + g->header.h + 18.0 * g->unit;
	double bottom = g->footer.y - 12.0 * g->unit;
	g->grid = (struct rect){ g->margin, top, inner_w, bottom - top };
	place_grid(g, p->columns, n, photos);
}

static struct rect cell_rect(const struct poster_geom *g, size_t i)
{
	int col = (int)(i % (size_t)g->cols), row = (int)(i / (size_t)g->cols);
	return (struct rect){ g->grid.x + col * (g->cell_w + g->gap),
			      g->grid.y + row * (g->cell_h + g->gap),
			      g->cell_w, g->cell_h };
}

/* ---- text ----------------------------------------------------------------------- */

struct poster_draw {
	cairo_t *cr;
	PangoContext *pango;
	const struct pv_bundle_ctx *c;
	const struct poster_geom *g;
};

/* A layout of text in size pt, at most width wide and height high (ellipsized
 * at the end), wrapping at word boundaries. */
static PangoLayout *text_layout(struct poster_draw *d, const char *text,
				double pt, int bold, int italic, double width,
				double height)
{
	PangoLayout *l = pango_layout_new(d->pango);
	PangoFontDescription *fd = pango_font_description_from_string(FONT_FAMILY);
	pango_font_description_set_absolute_size(fd, pt * PANGO_SCALE);
	pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_font_description_set_style(fd, italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(l, (int)(width * PANGO_SCALE));
	pango_layout_set_height(l, (int)(height * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
	pango_layout_set_text(l, text, -1);
	return l;
}

/* Draws text at (x, y), clipped to the box; returns the height it took. */
static double draw_text(struct poster_draw *d, const char *text, double pt,
			int bold, int italic, const struct rect *box,
			double r, double gr, double b)
{
	if (!text || !*text || box->h <= 0)
		return 0;
	PangoLayout *l = text_layout(d, text, pt, bold, italic, box->w, box->h);
	PangoRectangle ink, logical;
	pango_layout_get_extents(l, &ink, &logical);
	cairo_save(d->cr);
	cairo_rectangle(d->cr, box->x, box->y, box->w, box->h);
	cairo_clip(d->cr);
	cairo_set_source_rgb(d->cr, r, gr, b);
	cairo_move_to(d->cr, box->x, box->y);
	pango_cairo_show_layout(d->cr, l);
	cairo_restore(d->cr);
	g_object_unref(l);
	return fmin((double)logical.height / PANGO_SCALE, box->h);
}

/* Story text as one paragraph: line breaks become spaces. */
static char *story_excerpt(const char *story)
{
	if (!story)
		return NULL;
	char *s = pv_strdup(story);
	for (char *p = s; *p; p++)
		if (*p == '\r' || *p == '\n')
			*p = ' ';
	return pv_trim(s);
}

static void draw_header(struct poster_draw *d, const struct pv_poster_settings *p)
{
	const struct poster_geom *g = d->g;
	double u = g->unit;
	struct rect box = g->header;
	box.h = 34.0 * u * 1.3;
	double used = draw_text(d, pv_bundle_title(p), 34.0 * u, 1, 0, &box, 0.0, 0.30, 0.33);
	if (p->subtitle) {
		box.y += used + 2.0 * u;
		box.h = g->header.y + g->header.h - box.y + 6.0 * u;
		draw_text(d, p->subtitle, 16.0 * u, 0, 0, &box, 0.2, 0.2, 0.2);
	}
	/* a rule under the header */
	cairo_set_source_rgb(d->cr, 0.0, 0.42, 0.45);
	cairo_rectangle(d->cr, g->margin, g->grid.y - 10.0 * u, g->header.w, 1.5 * u);
	cairo_fill(d->cr);
}

static void draw_footer(struct poster_draw *d)
{
	struct rect box = d->g->footer;
	draw_text(d, "Foto's en woorden van de deelnemers, gedeeld met hun toestemming.",
		  8.0 * d->g->unit, 0, 1, &box, 0.4, 0.4, 0.4);
}

static void draw_cell_text(struct poster_draw *d, const struct pv_bundle_item *item,
			   const struct rect *cell)
{
	double pt = d->g->caption_pt;
	struct rect box = { cell->x, cell->y + d->g->photo_h + pt * 0.6, cell->w, 0 };
	double bottom = cell->y + cell->h;
	box.h = fmin(pt * 1.3 * 3, bottom - box.y);
	box.y += draw_text(d, pv_bundle_caption(item), pt, 1, 0, &box, 0.1, 0.1, 0.1);
	box.y += pt * 0.2;
	box.h = fmin(pt * 1.25, bottom - box.y);
	box.y += draw_text(d, item->entry->credit, pt * 0.8, 0, 0, &box, 0.35, 0.35, 0.35);
	box.y += pt * 0.4;
	box.h = bottom - box.y;
	if (box.h < pt * 0.85 * 1.25 * 2)
		return;   /* a story excerpt needs room for two lines at least */
	char *story = story_excerpt(item->entry->story);
	draw_text(d, story, pt * 0.85, 0, 0, &box, 0.3, 0.3, 0.3);
	free(story);
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

/* A grey stand-in surface carrying the photo's JPEG bytes. */
static cairo_surface_t *jpeg_surface(const struct pv_bundle_photo *ph)
{
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24,
						       STAND_IN_EDGE, STAND_IN_EDGE);
	cairo_t *cr = cairo_create(s);
	cairo_set_source_rgb(cr, 0.8, 0.8, 0.8);
	cairo_paint(cr);
	cairo_destroy(cr);
	/* the bytes stay mapped until the poster is finished */
	cairo_surface_set_mime_data(s, CAIRO_MIME_TYPE_JPEG, ph->data,
				    (unsigned long)ph->len, NULL, NULL);
	return s;
}

static void draw_photo(struct poster_draw *d, const struct pv_bundle_photo *ph,
		       const struct poster_photo *pp, const struct rect *r)
{
	cairo_surface_t *s = jpeg_surface(ph);
	int turned = pp->orientation >= 5;
	/* the stand-in's square, stretched to the stored image's shape */
	double sw = turned ? r->h : r->w, sh = turned ? r->w : r->h;
	cairo_matrix_t orient;
	orientation_matrix(pp->orientation, sw, sh, &orient);
	cairo_save(d->cr);
	cairo_translate(d->cr, r->x, r->y);
	cairo_transform(d->cr, &orient);
	cairo_scale(d->cr, sw / STAND_IN_EDGE, sh / STAND_IN_EDGE);
	cairo_set_source_surface(d->cr, s, 0, 0);
	cairo_pattern_set_extend(cairo_get_source(d->cr), CAIRO_EXTEND_NONE);
	cairo_rectangle(d->cr, 0, 0, STAND_IN_EDGE, STAND_IN_EDGE);
	cairo_fill(d->cr);
	cairo_restore(d->cr);
	cairo_surface_destroy(s);
}

static void warn_low_dpi(const struct pv_bundle_ctx *c, size_t i,
			 const struct poster_photo *pp, const struct rect *r)
{
	int turned = pp->orientation >= 5;
	double px = turned ? pp->raw_h : pp->raw_w;
	double dpi = px / (r->w / 72.0);
	if (dpi >= PV_POSTER_MIN_DPI || !c->opts->warn)
		return;
	char msg[512];
	snprintf(msg, sizeof msg,
		 "Photo %d (entry %" PRId64 ") would print at %.0f dpi on the poster, below the %d dpi a sharp print needs; choose smaller paper or more columns.",
		 c->photos[i].number, c->items[i].entry->id, floor(dpi), PV_POSTER_MIN_DPI);
	c->opts->warn(msg, c->opts->warn_ctx);
}

static void draw_cell(struct poster_draw *d, size_t i, const struct poster_photo *pp)
{
	struct rect cell = cell_rect(d->g, i);
	double fw, fh;
	fit(pp->aspect, cell.w, d->g->photo_h, &fw, &fh);
	/* photos stand on one line, their captions hang below it */
	struct rect r = { cell.x + (cell.w - fw) / 2, cell.y + d->g->photo_h - fh, fw, fh };
	draw_photo(d, &d->c->photos[i], pp, &r);
	warn_low_dpi(d->c, i, pp, &r);
	draw_cell_text(d, &d->c->items[i], &cell);
}

/* ---- the document --------------------------------------------------------------- */

struct pdf_sink {
	int (*write)(void *ctx, const void *data, size_t len);
	void *ctx;
};

static cairo_status_t sink_write(void *closure, const unsigned char *data,
				 unsigned int length)
{
	struct pdf_sink *s = closure;
	return s->write(s->ctx, data, length) == 0 ? CAIRO_STATUS_SUCCESS
						   : CAIRO_STATUS_WRITE_ERROR;
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

static PangoContext *print_context(cairo_t *cr)
{
	PangoContext *pc = pango_cairo_create_context(cr);
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(pc, fo);
	cairo_font_options_destroy(fo);
	return pc;
}

static void draw_poster(struct poster_draw *d, const struct poster_photo *pp)
{
	cairo_set_source_rgb(d->cr, 1, 1, 1);
	cairo_paint(d->cr);
	draw_header(d, &d->c->opts->poster);
	for (size_t i = 0; i < d->c->n; i++)
		draw_cell(d, i, &pp[i]);
	draw_footer(d);
	cairo_show_page(d->cr);
}

static int finish_pdf(cairo_surface_t *pdf, cairo_t *cr, char *err, size_t errlen)
{
	cairo_status_t st = cairo_status(cr);
	cairo_destroy(cr);
	cairo_surface_finish(pdf);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(pdf);
	cairo_surface_destroy(pdf);
	if (st != CAIRO_STATUS_SUCCESS) {
		pv_set_err(err, errlen, "poster.pdf could not be made (%s).",
			   cairo_status_to_string(st));
		return -1;
	}
	return 0;
}

static int render(const struct pv_bundle_ctx *c, const struct poster_photo *pp,
		  const struct poster_geom *g, struct pdf_sink *sink, char *err,
		  size_t errlen)
{
	cairo_surface_t *pdf = cairo_pdf_surface_create_for_stream(sink_write, sink,
								   g->page_w, g->page_h);
	set_metadata(pdf, c);
	cairo_t *cr = cairo_create(pdf);
	struct poster_draw d = { .cr = cr, .pango = print_context(cr), .c = c, .g = g };
	draw_poster(&d, pp);
	g_object_unref(d.pango);
	return finish_pdf(pdf, cr, err, errlen);
}

int pv_bundle_poster_pdf(const struct pv_bundle_ctx *c,
			 int (*write)(void *ctx, const void *data, size_t len),
			 void *write_ctx, int *columns, char *err, size_t errlen)
{
	struct poster_photo *pp = calloc(c->n, sizeof *pp);
	if (!pp) {
		pv_set_err(err, errlen, "poster.pdf could not be made (out of memory).");
		return -1;
	}
	int r = 0;
	for (size_t i = 0; i < c->n; i++) {
		const struct pv_bundle_photo *ph = &c->photos[i];
		pp[i].raw_w = ph->raw_w;
		pp[i].raw_h = ph->raw_h;
		pp[i].orientation = ph->orientation;
		pp[i].aspect = (double)ph->width / ph->height;
	}
	{
		struct poster_geom g;
		poster_geometry(&g, &c->opts->poster, c->n, pp);
		*columns = g.cols;
		struct pdf_sink sink = { write, write_ctx };
		r = render(c, pp, &g, &sink, err, errlen);
	}
	free(pp);
	return r;
}

/* pango, cairo and fontconfig keep font caches for the life of the process;
 * a bundle releases them when done so that leak checkers see nothing left. */
void pv_bundle_release_fonts(void)
{
	pango_cairo_font_map_set_default(NULL);
	cairo_debug_reset_static_data();
	FcFini();
}
