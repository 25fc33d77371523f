/* The poster's layout: paper, margins, header and footer bands, and a grid
 * whose rows are as tall as their photos and their words need.
 *
 * For each possible number of columns the text under every photo is measured
 * with pango (the same layouts the drawing uses), each row's text band is as
 * tall as its tallest text, and the photos get what is left of the page,
 * shared evenly. The number of columns that gives the photos the most room
 * wins (the fewest columns among near equals: bigger words). When the page
 * is too small for the words, the story excerpts go first; when even that is
 * not enough, every row gets the same height and text is cut at its cell. */
#include "photovoice/i18n.h"
#include "poster_internal.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double clamp(double v, double lo, double hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* ---- text ----------------------------------------------------------------------- */

PangoContext *pv_poster_context(cairo_t *cr)
{
	PangoContext *pc = pango_cairo_create_context(cr);
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
	pango_cairo_context_set_font_options(pc, fo);
	cairo_font_options_destroy(fo);
	return pc;
}

/* The start of text that is surely more than max_lines lines of width at
 * size pt (no glyph is narrower than 0.2 em), with an ellipsis when cut:
 * pango then shapes a few lines instead of a whole story. */
static char *enough_text(const char *text, double pt, double width, int max_lines)
{
	long chars = (long)(max_lines * width / (pt * 0.2)) + 16;
	if (max_lines <= 0 || g_utf8_strlen(text, -1) <= chars)
		return pv_strdup(text);
	const char *end = g_utf8_offset_to_pointer(text, chars);
	size_t len = (size_t)(end - text);
	char *cut = malloc(len + 4);
	if (!cut)
		abort();
	memcpy(cut, text, len);
	memcpy(cut + len, "\xE2\x80\xA6", 4);   /* "...", NUL included */
	return cut;
}

PangoLayout *pv_poster_text(PangoContext *pc, const char *text, double pt,
			    int bold, double width, int max_lines)
{
	PangoLayout *l = pango_layout_new(pc);
	PangoFontDescription *fd = pango_font_description_from_string(PV_POSTER_FONT);
	pango_font_description_set_absolute_size(fd, pt * PANGO_SCALE);
	pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(l, (int)(width * PANGO_SCALE));
	if (max_lines > 0)
		pango_layout_set_height(l, -max_lines);
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
	char *some = enough_text(text ? text : "", pt, width, max_lines);
	pango_layout_set_text(l, some, -1);
	free(some);
	return l;
}

double pv_poster_text_h(PangoLayout *l)
{
	PangoRectangle logical;
	pango_layout_get_extents(l, NULL, &logical);
	return (double)logical.height / PANGO_SCALE;
}

char *pv_poster_paragraph(const char *text)
{
	if (!text)
		return NULL;
	char *s = pv_strdup(text);
	for (char *p = s; *p; p++)
		if (*p == '\r' || *p == '\n' || *p == '\t')
			*p = ' ';
	pv_trim(s);
	if (*s)
		return s;
	free(s);
	return NULL;
}

static double measured(PangoContext *pc, const char *text, double pt, int bold,
		       double w, int lines)
{
	char *one = pv_poster_paragraph(text);
	if (!one)
		return 0;
	PangoLayout *l = pv_poster_text(pc, one, pt, bold, w, lines);
	double h = pv_poster_text_h(l);
	g_object_unref(l);
	free(one);
	return h;
}

void pv_poster_measure(PangoContext *pc, const struct pv_bundle_item *item,
		       double w, double pt, int story, struct pv_cell_text *out)
{
	double y = pt * 0.55;
	out->title_y = y;
	double title = measured(pc, item->entry->title, pt, 1, w, 2);
	out->caption_y = y + title + (title > 0 ? pt * 0.1 : 0);
	y = out->caption_y + measured(pc, pv_bundle_caption(item), pt, 0, w, 3);
	double credit = measured(pc, item->entry->credit, pt * 0.8, 0, w, 1);
	out->credit_y = y + (credit > 0 ? pt * 0.15 : 0);
	y = out->credit_y + credit;
	out->story_y = y + pt * 0.45;
	double sh = story ? measured(pc, item->entry->story, pt * 0.85, 0, w, 4) : 0;
	out->h = sh > 0 ? out->story_y + sh : y;
	out->h += pt * 0.2;   /* room for the last line's descenders */
}

/* ---- the grid ------------------------------------------------------------------- */

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

static double aspect_of(const struct pv_bundle_photo *ph)
{
	return (double)ph->width / ph->height;
}

/* Text bands of cols columns: each row's tallest text. */
static void row_texts(struct pv_poster_geom *g, PangoContext *pc,
		      const struct pv_bundle_ctx *c, int story)
{
	for (int r = 0; r < g->rows; r++)
		g->row_text_h[r] = 0;
	for (size_t i = 0; i < c->n; i++) {
		struct pv_cell_text t;
		pv_poster_measure(pc, &c->items[i], g->cell_w, g->pt, story, &t);
		int r = (int)(i / (size_t)g->cols);
		g->row_text_h[r] = fmax(g->row_text_h[r], t.h);
	}
}

/* Each row's tallest photo at the cell width. */
static void row_tallest(struct pv_poster_geom *g, const struct pv_bundle_ctx *c,
			double *tallest)
{
	for (int r = 0; r < g->rows; r++)
		tallest[r] = 0;
	for (size_t i = 0; i < c->n; i++) {
		int r = (int)(i / (size_t)g->cols);
		tallest[r] = fmax(tallest[r], g->cell_w / aspect_of(&c->photos[i]));
	}
}

/* Height of the grid when no photo band is taller than cap. */
static double grid_height(const struct pv_poster_geom *g, const double *tallest,
			  double cap)
{
	double h = (g->rows - 1) * g->gap;
	for (int r = 0; r < g->rows; r++)
		h += fmin(cap, tallest[r]) + g->row_text_h[r];
	return h;
}

/* The photo bands for the grid as it stands: rows of landscape photos are
 * lower than rows with a portrait one, and the cap on the tallest band is
 * the largest that fills the page (bisection). -1 when the bands would be
 * too small. */
static double photo_bands(struct pv_poster_geom *g, const struct pv_bundle_ctx *c)
{
	double *tallest = g->row_photo_h, most = 0;
	row_tallest(g, c, tallest);
	for (int r = 0; r < g->rows; r++)
		most = fmax(most, tallest[r]);
	double lo = 0, hi = most;
	if (grid_height(g, tallest, most) > g->grid.h) {
		for (int k = 0; k < 60; k++) {
			double mid = (lo + hi) / 2;
			if (grid_height(g, tallest, mid) > g->grid.h)
				hi = mid;
			else
				lo = mid;
		}
		hi = lo;
	}
	for (int r = 0; r < g->rows; r++)
		g->row_photo_h[r] = fmin(hi, tallest[r]);
	return hi >= 0.3 * fmin(g->cell_w, most) ? hi : -1;
}

static double photo_area(const struct pv_poster_geom *g, const struct pv_bundle_ctx *c)
{
	double area = 0;
	for (size_t i = 0; i < c->n; i++) {
		double fw, fh;
		fit(aspect_of(&c->photos[i]), g->cell_w, pv_poster_band(g, i), &fw, &fh);
		area += fw * fh;
	}
	return area;
}

static void set_columns(struct pv_poster_geom *g, int cols, size_t n)
{
	g->cols = cols;
	g->rows = (int)((n + (size_t)cols - 1) / (size_t)cols);
	g->gap = fmin(16.0 * g->unit, fmin(g->grid.w / cols, g->grid.h / g->rows) * 0.1);
	g->cell_w = (g->grid.w - (cols - 1) * g->gap) / cols;
	g->pt = clamp(g->cell_w * 0.055, 5.0, 16.0 * g->unit);
}

/* Lays out cols columns with their words; the photos' area, or -1. */
static double try_columns(struct pv_poster_geom *g, PangoContext *pc,
			  const struct pv_bundle_ctx *c, int cols)
{
	set_columns(g, cols, c->n);
	for (int story = 1; story >= 0; story--) {
		row_texts(g, pc, c, story);
		g->photo_h = photo_bands(g, c);
		g->stories = story;
		if (g->photo_h > 0)
			return photo_area(g, c);
	}
	return -1;
}

/* Nothing fits: every row the same height, text cut at its cell. */
static void uniform_rows(struct pv_poster_geom *g, int cols, size_t n)
{
	set_columns(g, cols, n);
	double row = (g->grid.h - (g->rows - 1) * g->gap) / g->rows;
	g->photo_h = row * 0.6;
	g->stories = 0;
	g->cut = 1;
	for (int r = 0; r < g->rows; r++) {
		g->row_photo_h[r] = g->photo_h;
		g->row_text_h[r] = row - g->photo_h;
	}
}

static void choose_columns(struct pv_poster_geom *g, PangoContext *pc,
			   const struct pv_bundle_ctx *c, int want)
{
	int max = c->n < PV_POSTER_MAX_COLUMNS ? (int)c->n : PV_POSTER_MAX_COLUMNS;
	int best_cols = 0;
	double best = 0;
	for (int cols = want ? want : 1; cols <= (want ? want : max); cols++) {
		double area = try_columns(g, pc, c, cols);
		if (area > 0 && (!best_cols || area > best * 1.03)) {
			best = area;
			best_cols = cols;
		}
	}
	if (!best_cols)
		uniform_rows(g, want ? want : max, c->n);
	else
		try_columns(g, pc, c, best_cols);
}

/* Rows from the top of the grid; room left over is shared out between the
 * rows (a little) and above and below the grid (the rest). */
static void place_rows(struct pv_poster_geom *g)
{
	double used = (g->rows - 1) * g->gap;
	for (int r = 0; r < g->rows; r++)
		used += g->row_photo_h[r] + g->row_text_h[r];
	double left = fmax(0, g->grid.h - used);
	double between = g->rows > 1 ? fmin(left / (g->rows + 1), 2 * g->gap) : 0;
	double y = g->grid.y + (left - between * (g->rows - 1)) / 2;
	for (int r = 0; r < g->rows; r++) {
		g->row_y[r] = y;
		y += g->row_photo_h[r] + g->row_text_h[r] + g->gap + between;
	}
}

static void page_bands(struct pv_poster_geom *g, const struct pv_poster_settings *p)
{
	double pw, ph;
	pv_paper_size(p->paper, &pw, &ph);
	g->page_w = p->landscape ? ph : pw;
	g->page_h = p->landscape ? pw : ph;
	g->unit = fmin(g->page_w, g->page_h) / 595.0;
	g->margin = 36.0 * g->unit;             /* 12.7 mm on A4 */
	double inner_w = g->page_w - 2 * g->margin;
	double title_h = 34.0 * g->unit * 1.25 + (p->subtitle ? 16.0 * g->unit * 1.3 * 2 : 0);
	g->header = (struct pv_rect){ g->margin, g->margin, inner_w, title_h };
	double footer_h = 8.0 * g->unit * 1.4;
	g->footer = (struct pv_rect){ g->margin, g->page_h - g->margin - footer_h, inner_w, footer_h };
	double top = g->header.y + g->header.h + 22.0 * g->unit;
	double bottom = g->footer.y - 12.0 * g->unit;
	g->grid = (struct pv_rect){ g->margin, top, inner_w, bottom - top };
}

int pv_poster_layout(struct pv_poster_geom *g, PangoContext *pc,
		     const struct pv_bundle_ctx *c)
{
	memset(g, 0, sizeof *g);
	g->count = c->n;
	page_bands(g, &c->opts->poster);
	g->row_y = calloc(c->n, sizeof *g->row_y);
	g->row_text_h = calloc(c->n, sizeof *g->row_text_h);
	g->row_photo_h = calloc(c->n, sizeof *g->row_photo_h);
	if (!g->row_y || !g->row_text_h || !g->row_photo_h) {
		pv_poster_layout_free(g);
		return -1;
	}
	choose_columns(g, pc, c, c->opts->poster.columns);
	place_rows(g);
	return 0;
}

void pv_poster_layout_free(struct pv_poster_geom *g)
{
	free(g->row_y);
	free(g->row_text_h);
	free(g->row_photo_h);
	g->row_y = g->row_text_h = g->row_photo_h = NULL;
}

/* A last row that is not full is centred. */
struct pv_rect pv_poster_cell(const struct pv_poster_geom *g, size_t i)
{
	int col = (int)(i % (size_t)g->cols), row = (int)(i / (size_t)g->cols);
	int in_row = g->cols;
	if (row == g->rows - 1 && g->count % (size_t)g->cols)
		in_row = (int)(g->count % (size_t)g->cols);
	double x = g->grid.x + (g->cols - in_row) * (g->cell_w + g->gap) / 2;
	return (struct pv_rect){ x + col * (g->cell_w + g->gap), g->row_y[row],
				 g->cell_w, g->row_photo_h[row] + g->row_text_h[row] };
}

double pv_poster_band(const struct pv_poster_geom *g, size_t i)
{
	return g->row_photo_h[i / (size_t)g->cols];
}

struct pv_rect pv_poster_photo_rect(const struct pv_poster_geom *g,
				    const struct pv_bundle_ctx *c, size_t i)
{
	struct pv_rect cell = pv_poster_cell(g, i);
	double band = pv_poster_band(g, i), fw, fh;
	fit(aspect_of(&c->photos[i]), cell.w, band, &fw, &fh);
	/* photos stand on one line, their words hang below it */
	return (struct pv_rect){ cell.x + (cell.w - fw) / 2, cell.y + band - fh, fw, fh };
}

int pv_poster_low_dpi(const struct pv_poster_geom *g, const struct pv_bundle_ctx *c,
		      size_t i, char *msg, size_t n)
{
	struct pv_rect r = pv_poster_photo_rect(g, c, i);
	double dpi = c->photos[i].width / (r.w / 72.0);
	if (dpi >= PV_POSTER_MIN_DPI)
		return 0;
	snprintf(msg, n, _("Photo %d (entry %" PRId64 ") would print at %.0f dpi on the poster, "
			   "below the %d dpi a sharp print needs; choose smaller paper or more "
			   "columns."),
		 c->photos[i].number, c->items[i].entry->id, floor(dpi), PV_POSTER_MIN_DPI);
	return 1;
}
