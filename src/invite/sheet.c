/*
 * The invitation sheet: one A4 page a facilitator prints and hands to a
 * participant. From top to bottom: who it is for, the QR code of the link
 * (libqrencode, level M, drawn as filled squares with the quiet zone the
 * standard asks for), the link in letters for typing it in, the last day it
 * works, and three lines in Dutch a 12-year-old understands.
 *
 * The PDF is made in memory and written atomically: the sheet is there
 * whole, or the old file (or nothing) is.
 */
#include <cairo-pdf.h>
#include <cairo.h>
#include <errno.h>
#include <pango/pangocairo.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "photovoice/invite.h"
#include "photovoice/util.h"

#define PAGE_W 595.0   /* A4 in points */
#define PAGE_H 842.0
#define MARGIN 64.0
#define TEXT_W (PAGE_W - 2 * MARGIN)
#define QR_SIDE 300.0  /* the code with its quiet zone */
#define QUIET_MODULES 4

static const char *const steps[] = {
	"1. Scan de code met de camera van je telefoon.",
	"2. Kies je foto en vertel erbij wat je ziet.",
	"3. Kies wie je foto mag zien en druk op Versturen.",
};

/* ---- text ----------------------------------------------------------------- */

/* Draws text from (MARGIN, y) across the text width, wrapped; returns the
 * height it took. */
static double draw_text(cairo_t *cr, const char *text, const char *font, double pt,
			int centred, double y)
{
	PangoLayout *l = pango_cairo_create_layout(cr);
	PangoFontDescription *fd = pango_font_description_from_string(font);
	pango_font_description_set_absolute_size(fd, pt * PANGO_SCALE);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(l, (int)(TEXT_W * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(l, centred ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT);
	pango_layout_set_text(l, text, -1);
	cairo_move_to(cr, MARGIN, y);
	pango_cairo_show_layout(cr, l);
	int w, h;
	pango_layout_get_size(l, &w, &h);
	g_object_unref(l);
	return (double)h / PANGO_SCALE;
}

/* "2027-01-31" as "31 januari 2027". */
static void dutch_date(const char *iso, char *out, size_t n)
{
	static const char *const months[] = { "januari", "februari", "maart", "april", "mei",
					       "juni", "juli", "augustus", "september",
					       "oktober", "november", "december" };
	int y, m, d;
	if (!iso || sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12)
		snprintf(out, n, "%s", iso ? iso : "");
	else
		snprintf(out, n, "%d %s %d", d, months[m - 1], y);
}

/* ---- the QR code ------------------------------------------------------------ */

/* One filled rectangle per run of dark modules in a row: fewer shapes, and
 * no seams between neighbours when the page is printed. */
static void draw_modules(cairo_t *cr, const QRcode *qr, double x, double y, double unit)
{
	for (int row = 0; row < qr->width; row++) {
		const unsigned char *m = qr->data + (size_t)row * (size_t)qr->width;
		for (int col = 0; col < qr->width;) {
			if (!(m[col] & 1)) {
				col++;
				continue;
			}
			int start = col;
			while (col < qr->width && (m[col] & 1))
				col++;
			cairo_rectangle(cr, x + start * unit, y + row * unit,
					(col - start) * unit, unit);
		}
	}
	cairo_fill(cr);
}

static int draw_qr(cairo_t *cr, const char *link, double y, struct pv_err *err)
{
	QRcode *qr = QRcode_encodeString(link, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!qr)
		return pv_fail(err, PV_ERR_INPUT, "The link is too long for a QR code (%s).",
			       strerror(errno));
	double x = (PAGE_W - QR_SIDE) / 2;
	double unit = QR_SIDE / (qr->width + 2 * QUIET_MODULES);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_rectangle(cr, x, y, QR_SIDE, QR_SIDE);
	cairo_fill(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	draw_modules(cr, qr, x + QUIET_MODULES * unit, y + QUIET_MODULES * unit, unit);
	QRcode_free(qr);
	return 0;
}

/* ---- the page ----------------------------------------------------------------- */

static int draw_sheet(cairo_t *cr, const struct pv_invite *inv, const char *link,
		      struct pv_err *err)
{
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_set_source_rgb(cr, 0.0, 0.30, 0.33);
	double y = MARGIN;
	y += draw_text(cr, "Stuur je foto in", "DejaVu Sans Bold", 28, 1, y) + 6;
	cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
	char *who = NULL;
	if (asprintf(&who, "Voor: %s", inv->participant ? inv->participant : "") < 0)
		abort();
	y += draw_text(cr, who, "DejaVu Sans", 16, 1, y) + 18;
	free(who);
	if (draw_qr(cr, link, y, err) != 0)
		return -1;
	y += QR_SIDE + 12;
	cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
	y += draw_text(cr, link, "DejaVu Sans Mono", 13, 1, y) + 14;
	char date[48], until[96];
	dutch_date(inv->valid_until, date, sizeof date);
	snprintf(until, sizeof until, "Deze link werkt tot en met %s.", date);
	y += draw_text(cr, until, "DejaVu Sans Bold", 14, 1, y) + 28;
	for (size_t i = 0; i < sizeof steps / sizeof *steps; i++)
		y += draw_text(cr, steps[i], "DejaVu Sans", 16, 0, y) + 10;
	cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
	draw_text(cr, "Deze link is alleen voor jou. Geef hem niet aan iemand anders.",
		  "DejaVu Sans", 11, 0, y + 18);
	cairo_show_page(cr);
	return 0;
}

/* ---- the file ------------------------------------------------------------------- */

struct pdf_bytes {
	unsigned char *data;
	size_t len, cap;
};

static cairo_status_t keep_bytes(void *closure, const unsigned char *data, unsigned int n)
{
	struct pdf_bytes *b = closure;
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 64 * 1024;
		while (cap < b->len + n)
			cap *= 2;
		unsigned char *grown = realloc(b->data, cap);
		if (!grown)
			return CAIRO_STATUS_NO_MEMORY;
		b->data = grown;
		b->cap = cap;
	}
	memcpy(b->data + b->len, data, n);
	b->len += n;
	return CAIRO_STATUS_SUCCESS;
}

static int render(const struct pv_invite *inv, const char *link, struct pdf_bytes *b,
		  struct pv_err *err)
{
	cairo_surface_t *pdf = cairo_pdf_surface_create_for_stream(keep_bytes, b, PAGE_W, PAGE_H);
	cairo_pdf_surface_set_metadata(pdf, CAIRO_PDF_METADATA_TITLE, "Uitnodiging");
	cairo_pdf_surface_set_metadata(pdf, CAIRO_PDF_METADATA_CREATOR, "photovoice");
	cairo_t *cr = cairo_create(pdf);
	int r = draw_sheet(cr, inv, link, err);
	const char *why = pv_pdf_finish(pdf, cr);
	if (r == 0 && why)
		r = pv_fail(err, PV_ERR_OUTPUT, "The sheet could not be made (%s).", why);
	return r;
}

static int folder_exists(const char *path, struct pv_err *err)
{
	char *dir = pv_dir_of(path);
	struct stat st;
	int ok = stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
	if (!ok)
		pv_fail(err, PV_ERR_OUTPUT, "The folder %s does not exist; make it first or "
			"write the sheet somewhere else.", dir);
	free(dir);
	return ok ? 0 : -1;
}

int pv_invite_sheet(const char *path, const struct pv_invite *inv, const char *link,
		    struct pv_err *err)
{
	if (folder_exists(path, err) != 0)
		return -1;
	struct pdf_bytes b = {0};
	int r = render(inv, link, &b, err);
	if (r == 0) {
		char *dir = pv_dir_of(path);
		r = pv_write_atomic(path, dir, b.data, b.len, err);
		if (r != 0)
			pv_err_prefix(err, "The sheet %s could not be written: ", path);
		free(dir);
	}
	free(b.data);
	return r;
}
