/* The poster builder's preview: the page of poster.pdf as a PNG at screen
 * size, for photovoice serve's /posters/new.
 *
 * The request is read by the same selection as pv_bundle_build (select.c)
 * and the same consent rule leaves entries out; the page is laid out by the
 * same code (poster_layout.c) and drawn by the same drawing (poster.c), on
 * an image surface scaled from PDF points to pixels. Only the photos differ:
 * each is drawn from its stored preview (1600 pixels at most), decoded at
 * the smallest DCT scale that still covers its place on the screen, never
 * from the full-size photo. The low-resolution warning is the poster's own
 * (pv_poster_low_dpi), counted on the full photo's size from the catalogue.
 * Nothing is written to the archive. */
#include "bundle_build.h"
#include "poster_internal.h"

#include <cairo.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <turbojpeg.h>

#include "photovoice/image.h"

struct preview {
	struct pv_poster_preview *out;
	struct pv_bundle_sel sel;
	struct pv_bundle_item *items;
	struct pv_bundle_photo *photos;
	size_t n;
	tjhandle tj;
	double scale;                   /* pixels per point */
};

/* ---- what goes on it ---------------------------------------------------------- */

static void note(char ***list, size_t *n, const char *s)
{
	*list = realloc(*list, (*n + 1) * sizeof **list);
	if (!*list)
		abort();
	(*list)[(*n)++] = pv_strdup(s);
}

static void note_warning(const char *sentence, void *ctx)
{
	struct pv_poster_preview *out = ctx;
	note(&out->warnings, &out->nwarnings, sentence);
}

static void note_left_out(struct pv_poster_preview *out, int64_t id, const char *why)
{
	out->left_out = realloc(out->left_out, (out->nleft_out + 1) * sizeof *out->left_out);
	if (!out->left_out)
		abort();
	out->left_out[out->nleft_out++] = (struct pv_bundle_left_out){ id, pv_strdup(why) };
}

/* The entries the purpose allows today, as the bundle takes them; their
 * size as the catalogue knows it (upright), for the layout and the dpi. */
static int take_allowed(struct preview *p, const struct pv_bundle_request *rq,
			const char *purpose, struct pv_err *err)
{
	const struct pv_entry_list *l = &p->sel.list;
	char today[11];
	pv_today_iso(today);
	p->items = calloc(l->count + 1, sizeof *p->items);
	p->photos = calloc(l->count + 1, sizeof *p->photos);
	if (!p->items || !p->photos)
		return pv_fail(err, PV_ERR_INPUT, "The selection is too large (out of memory).");
	for (size_t i = 0; i < l->count; i++) {
		const struct pv_entry *e = &l->items[i];
		struct pv_err why = { 0 };
		if (!pv_entry_usable_for(e, purpose, today, &why)) {
			note_left_out(p->out, e->id, why.msg);
			continue;
		}
		struct pv_bundle_item *it = &p->items[p->n];
		it->entry = e;
		it->preview_path = pv_archive_derived_path(rq->archive, e->sha256, "preview");
		it->caption = pv_bundle_sel_caption(&p->sel, e->id);
		struct pv_bundle_photo *ph = &p->photos[p->n];
		ph->number = (int)++p->n;
		ph->width = e->width > 0 ? e->width : 1;
		ph->height = e->height > 0 ? e->height : 1;
	}
	if (p->n == 0)
		return pv_fail(err, PV_ERR_NOT_ALLOWED, "No selected entry may be used for a %s.",
			       purpose);
	return 0;
}

/* ---- photos from their previews --------------------------------------------------- */

/* The smallest DCT scale of a w x h JPEG that still gives want_w pixels. */
static tjscalingfactor scale_for(int w, int want_w)
{
	int n = 0;
	tjscalingfactor *f = tjGetScalingFactors(&n), best = { 1, 1 };
	for (int i = 0; f && i < n; i++) {
		int sw = TJSCALED(w, f[i]);
		if (sw >= want_w && sw < TJSCALED(w, best))
			best = f[i];
	}
	return best;
}

static cairo_surface_t *decode(struct preview *p, const char *path, int want_w)
{
	uint8_t *data = NULL;
	size_t len = 0;
	struct pv_err why = { 0 };
	if (!path || pv_read_file(path, PV_MAX_FILE_BYTES, &data, &len, &why) != 0)
		return NULL;
	int w, h, sub, cs;
	cairo_surface_t *s = NULL;
	if (tjDecompressHeader3(p->tj, data, (unsigned long)len, &w, &h, &sub, &cs) == 0 &&
	    w > 0 && h > 0 && w <= PV_PREVIEW_EDGE * 2 && h <= PV_PREVIEW_EDGE * 2) {
		tjscalingfactor f = scale_for(w, want_w);
		int sw = TJSCALED(w, f), sh = TJSCALED(h, f);
		s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, sw, sh);
		cairo_surface_flush(s);
		if (tjDecompress2(p->tj, data, (unsigned long)len, cairo_image_surface_get_data(s),
				  sw, cairo_image_surface_get_stride(s), sh, CAIRO_TJPF,
				  TJFLAG_FASTDCT) != 0) {
			cairo_surface_destroy(s);
			s = NULL;
		} else {
			cairo_surface_mark_dirty(s);
		}
	}
	free(data);
	return s;
}

/* A photo whose preview cannot be read is a grey box: the preview shows
 * where it goes all the same (audit names the missing file). */
static void draw_preview_photo(cairo_t *cr, const struct pv_bundle_ctx *c, size_t i,
			       const struct pv_rect *r, void *ctx)
{
	struct preview *p = ctx;
	cairo_surface_t *img = decode(p, c->items[i].preview_path, (int)ceil(r->w * p->scale));
	cairo_save(cr);
	cairo_rectangle(cr, r->x, r->y, r->w, r->h);
	if (!img) {
		cairo_set_source_rgb(cr, 0.8, 0.8, 0.8);
		cairo_fill(cr);
		cairo_restore(cr);
		return;
	}
	cairo_clip(cr);
	cairo_translate(cr, r->x, r->y);
	cairo_scale(cr, r->w / cairo_image_surface_get_width(img),
		    r->h / cairo_image_surface_get_height(img));
	cairo_set_source_surface(cr, img, 0, 0);
	cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
	cairo_paint(cr);
	cairo_restore(cr);
	cairo_surface_destroy(img);
}

/* ---- the page --------------------------------------------------------------------- */

static int render(struct preview *p, const struct pv_bundle_opts *o, int width_px,
		  struct pv_err *err)
{
	double pw, ph;
	pv_paper_size(o->poster.paper, &pw, &ph);
	double page_w = o->poster.landscape ? ph : pw, page_h = o->poster.landscape ? pw : ph;
	p->scale = width_px / page_w;
	p->out->width = width_px;
	p->out->height = (int)ceil(page_h * p->scale);
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, p->out->width,
							p->out->height);
	cairo_t *cr = cairo_create(s);
	cairo_scale(cr, p->scale, p->scale);
	PangoContext *pc = pv_poster_context(cr);
	struct pv_bundle_ctx c = { .items = p->items, .photos = p->photos, .n = p->n, .opts = o };
	struct pv_poster_geom g;
	int r = pv_poster_layout(&g, pc, &c);
	if (r == 0) {
		pv_poster_draw_page(cr, pc, &c, &g, draw_preview_photo, p);
		p->out->columns = g.cols;
		pv_poster_layout_free(&g);
	}
	g_object_unref(pc);
	cairo_status_t st = cairo_status(cr);
	cairo_destroy(cr);
	cairo_surface_flush(s);
	if (r != 0 || st != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(s);
		return pv_fail(err, PV_ERR_OUTPUT, "The preview could not be drawn (%s).",
			       r != 0 ? "out of memory" : cairo_status_to_string(st));
	}
	/* libpng's fast setting, not cairo's PNG writer: zlib at its default
	 * took 70 % of the preview (about 250 ms of 400) */
	r = pv_png_encode_screen((const uint32_t *)cairo_image_surface_get_data(s),
				 p->out->width, p->out->height,
				 (size_t)cairo_image_surface_get_stride(s), &p->out->png,
				 &p->out->png_len, err);
	cairo_surface_destroy(s);
	return r;
}

int pv_poster_preview(const struct pv_bundle_request *rq, int width_px,
		      struct pv_poster_preview *out, struct pv_err *err)
{
	memset(out, 0, sizeof *out);
	if (!rq->archive)
		return pv_fail(err, PV_ERR_INPUT, "A preview needs an open archive.");
	if (width_px < 100 || width_px > PV_POSTER_PREVIEW_MAX_WIDTH)
		return pv_fail(err, PV_ERR_INPUT, "The preview must be 100 to %d pixels wide.",
			       PV_POSTER_PREVIEW_MAX_WIDTH);
	struct pv_bundle_request check = *rq;
	check.out = "preview";         /* nothing is written; the check wants a name */
	check.format = "zip";
	if (pv_bundle_request_check(&check, err) != 0)
		return -1;
	const char *purpose = rq->purpose && strcmp(rq->purpose, "internal") == 0 ? "internal"
										   : "poster";
	struct preview p = { .out = out };
	int r = -1;
	if (pv_bundle_sel_read(rq, &p.sel, err) == 0 && pv_bundle_sel_select(rq, &p.sel, err) == 0 &&
	    take_allowed(&p, rq, purpose, err) == 0) {
		struct pv_bundle_opts o = { .purpose = purpose,
					    .poster = pv_bundle_poster_settings(rq, &p.sel.spec),
					    .warn = note_warning, .warn_ctx = out };
		p.tj = tjInitDecompress();
		r = p.tj ? render(&p, &o, width_px, err)
			 : pv_fail(err, PV_ERR_OUTPUT, "The preview could not be drawn (no decoder).");
		if (p.tj)
			tjDestroy(p.tj);
	}
	for (size_t i = 0; i < p.n; i++)
		free((char *)p.items[i].preview_path);
	free(p.items);
	free(p.photos);
	pv_bundle_sel_free(&p.sel);
	return r;
}

void pv_poster_preview_free(struct pv_poster_preview *p)
{
	free(p->png);
	for (size_t i = 0; i < p->nleft_out; i++)
		free(p->left_out[i].reason);
	free(p->left_out);
	for (size_t i = 0; i < p->nwarnings; i++)
		free(p->warnings[i]);
	free(p->warnings);
	memset(p, 0, sizeof *p);
}
