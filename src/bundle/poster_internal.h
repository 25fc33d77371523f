/* Internals of the poster shared by its layout (poster_layout.c) and its
 * drawing (poster.c). Sizes are PDF points. */
#ifndef PV_POSTER_INTERNAL_H
#define PV_POSTER_INTERNAL_H

#include <pango/pangocairo.h>

#include "bundle_internal.h"

/* cairo's RGB24 is a native-endian 32-bit word 0x00RRGGBB: the pixel format
 * turbojpeg decodes into it */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define CAIRO_TJPF TJPF_BGRX
#else
#define CAIRO_TJPF TJPF_XRGB
#endif

#define PV_POSTER_FONT "Nimbus Sans, Liberation Sans, DejaVu Sans, sans-serif"

struct pv_rect {
	double x, y, w, h;
};

/* The text under one photo: its title (bold, 2 lines at most), caption (3
 * lines at most), credit (1 line) and, when shown, the start of the story (4
 * lines at most). */
struct pv_cell_text {
	double title_y, caption_y, credit_y, story_y;   /* from the top of the block */
	double h;                              /* the whole block */
};

struct pv_poster_geom {
	double page_w, page_h;
	double unit;            /* 1 on A4 portrait: every size scales with it */
	double margin;
	struct pv_rect header, grid, footer;
	size_t count;           /* photos */
	int cols, rows;
	double gap;
	double cell_w;
	double pt;              /* caption size */
	double photo_h;         /* the tallest photo band */
	int stories;            /* story excerpts are shown */
	int cut;                /* the words did not fit: rows of one height,
				   text cut at its cell */
	double *row_y;          /* top of each row */
	double *row_text_h;     /* height of the text band of each row */
	double *row_photo_h;    /* height of the photo band of each row: its
				   tallest photo at the cell width, at most
				   photo_h */
};

/* A pango context for cr with hinting off: text measures the same on every
 * surface, so that layouts and bytes are reproducible. */
PangoContext *pv_poster_context(cairo_t *cr);

/* A layout of text in size pt, width wide, wrapped at words, cut with an
 * ellipsis after max_lines lines (0: no limit). */
PangoLayout *pv_poster_text(PangoContext *pc, const char *text, double pt,
			    int bold, double width, int max_lines);
/* Height of a layout in points. */
double pv_poster_text_h(PangoLayout *l);
/* Text as one paragraph (line breaks as spaces), trimmed; malloc'd, or NULL
 * when there is no text. */
char *pv_poster_paragraph(const char *text);

/* Where the parts of item's text go in a cell width w wide. */
void pv_poster_measure(PangoContext *pc, const struct pv_bundle_item *item,
		       double w, double pt, int story, struct pv_cell_text *out);

/* Lays out the page for the bundle: header, footer, and the grid with the
 * columns asked for or the number that gives the photos the most room. */
int pv_poster_layout(struct pv_poster_geom *g, PangoContext *pc,
		     const struct pv_bundle_ctx *c);
void pv_poster_layout_free(struct pv_poster_geom *g);
/* The cell of item i: its photo band on top, its text band below. */
struct pv_rect pv_poster_cell(const struct pv_poster_geom *g, size_t i);
/* Height of the photo band of item i's row. */
double pv_poster_band(const struct pv_poster_geom *g, size_t i);
/* Where photo i stands in its cell: as large as its band allows, centred,
 * on the band's bottom line. */
struct pv_rect pv_poster_photo_rect(const struct pv_poster_geom *g,
				    const struct pv_bundle_ctx *c, size_t i);
/* The dots per inch photo i prints at (its full size over its width on
 * paper); below PV_POSTER_MIN_DPI the sentence of the warning goes to
 * msg (n bytes) and 1 is returned, else 0. The one rule of poster.pdf and
 * of the builder's preview. */
int pv_poster_low_dpi(const struct pv_poster_geom *g, const struct pv_bundle_ctx *c,
		      size_t i, char *msg, size_t n);

/* Draws the whole page on cr (PDF points) as the layout placed it; each
 * photo through draw_photo, which differs between the PDF (the JPEG's own
 * bytes) and the preview (the stored preview's pixels). Warnings through
 * c->opts->warn. */
typedef void (*pv_poster_photo_fn)(cairo_t *cr, const struct pv_bundle_ctx *c, size_t i,
				   const struct pv_rect *r, void *ctx);
void pv_poster_draw_page(cairo_t *cr, PangoContext *pc, const struct pv_bundle_ctx *c,
			 const struct pv_poster_geom *g, pv_poster_photo_fn draw_photo,
			 void *ctx);

#endif
