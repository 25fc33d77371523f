/* Unit tests of the poster layout: for papers, orientations, numbers of
 * photos and columns, and short and overlong words, every cell lies inside
 * the grid, no two cells overlap, and every text fits its cell's band. */
#include "testutil.h"

#include <cairo-pdf.h>
#include <math.h>

#include "../../src/bundle/poster_internal.h"

#define MAXN 60
#define EPS 0.01

static cairo_status_t discard(void *closure, const unsigned char *data, unsigned int len)
{
	(void)closure;
	(void)data;
	(void)len;
	return CAIRO_STATUS_SUCCESS;
}

struct world {
	struct pv_entry entries[MAXN];
	struct pv_bundle_item items[MAXN];
	struct pv_bundle_photo photos[MAXN];
	struct pv_bundle_opts opts;
	struct pv_bundle_ctx ctx;
	char *long_text;
};

static void make_world(struct world *w, size_t n, int long_words)
{
	memset(w, 0, sizeof *w);
	w->long_text = malloc(6000);
	size_t k = 0;
	while (k + 40 < 6000)
		k += (size_t)snprintf(w->long_text + k, 6000 - k, "Één überlange ruïne-zin zonder eind ");
	for (size_t i = 0; i < n; i++) {
		struct pv_entry *e = &w->entries[i];
		e->id = (int64_t)i + 1;
		e->caption = long_words ? w->long_text : "Hier voelde ik me gehoord.";
		e->credit = i % 3 ? "Foto: Noor, 14" : NULL;
		e->story = i % 2 ? w->long_text : NULL;
		w->items[i].entry = e;
		/* a mix of landscape, portrait and square photos */
		w->photos[i].width = i % 3 == 0 ? 4000 : i % 3 == 1 ? 3000 : 2000;
		w->photos[i].height = i % 3 == 0 ? 3000 : i % 3 == 1 ? 4000 : 2000;
		w->photos[i].number = (int)i + 1;
	}
	w->ctx.items = w->items;
	w->ctx.photos = w->photos;
	w->ctx.n = n;
	w->ctx.opts = &w->opts;
}

static int overlap(const struct pv_rect *a, const struct pv_rect *b)
{
	return a->x + a->w > b->x + EPS && b->x + b->w > a->x + EPS &&
	       a->y + a->h > b->y + EPS && b->y + b->h > a->y + EPS;
}

static void check_layout(struct world *w, PangoContext *pc)
{
	struct pv_poster_geom g;
	assert_int_equal(pv_poster_layout(&g, pc, &w->ctx), 0);
	assert_true(g.cols >= 1 && g.cols <= PV_POSTER_MAX_COLUMNS);
	if (w->opts.poster.columns)
		assert_int_equal(g.cols, w->opts.poster.columns);
	assert_true(g.photo_h > 0);
	assert_true(g.grid.y >= g.header.y + g.header.h);
	assert_true(g.grid.y + g.grid.h <= g.footer.y);
	assert_true(g.grid.x >= g.margin - EPS && g.grid.x + g.grid.w <= g.page_w - g.margin + EPS);
	struct pv_rect cells[MAXN];
	for (size_t i = 0; i < w->ctx.n; i++) {
		struct pv_rect c = pv_poster_cell(&g, i);
		cells[i] = c;
		assert_true(c.x >= g.grid.x - EPS && c.x + c.w <= g.grid.x + g.grid.w + EPS);
		assert_true(c.y >= g.grid.y - EPS && c.y + c.h <= g.grid.y + g.grid.h + EPS);
		for (size_t j = 0; j < i; j++)
			assert_false(overlap(&cells[j], &c));
		if (!g.cut) {
			struct pv_cell_text t;
			pv_poster_measure(pc, &w->items[i], c.w, g.pt, g.stories, &t);
			assert_true(pv_poster_band(&g, i) + t.h <= c.h + EPS);
			assert_true(pv_poster_band(&g, i) <= g.photo_h + EPS);
		}
	}
	pv_poster_layout_free(&g);
}

static void test_layouts(void **state)
{
	(void)state;
	cairo_surface_t *pdf = cairo_pdf_surface_create_for_stream(discard, NULL, 100, 100);
	cairo_t *cr = cairo_create(pdf);
	PangoContext *pc = pango_cairo_create_context(cr);
	static const size_t counts[] = { 1, 3, 7, MAXN };
	static const int cols[] = { 0, 1, 12 };
	struct world *w = malloc(sizeof *w);
	size_t layouts = 0;
	for (size_t ci = 0; ci < sizeof counts / sizeof counts[0]; ci++) {
		for (int paper = PV_PAPER_A4; paper <= PV_PAPER_A0; paper += 4) {
			for (int land = 0; land < 2; land++) {
				for (size_t k = 0; k < sizeof cols / sizeof cols[0]; k++) {
					for (int lw = 0; lw < 2; lw++) {
						make_world(w, counts[ci], lw);
						w->opts.poster = (struct pv_poster_settings){
							.paper = (enum pv_paper)paper, .landscape = land,
							.columns = cols[k], .title = "Titel",
							.subtitle = lw ? w->long_text : NULL };
						check_layout(w, pc);
						layouts++;
						free(w->long_text);
					}
				}
			}
		}
	}
	assert_true(layouts >= 96);
	free(w);
	g_object_unref(pc);
	cairo_destroy(cr);
	cairo_surface_destroy(pdf);
}

/* Automatic columns give three landscape photos on a landscape page one row,
 * and fifty photos on A1 several rows and columns. */
static void test_column_choice(void **state)
{
	(void)state;
	cairo_surface_t *pdf = cairo_pdf_surface_create_for_stream(discard, NULL, 100, 100);
	cairo_t *cr = cairo_create(pdf);
	PangoContext *pc = pango_cairo_create_context(cr);
	struct world *w = malloc(sizeof *w);
	make_world(w, 50, 0);
	w->opts.poster = (struct pv_poster_settings){ .paper = PV_PAPER_A1 };
	struct pv_poster_geom g;
	assert_int_equal(pv_poster_layout(&g, pc, &w->ctx), 0);
	assert_true(g.cols >= 5 && g.cols <= 9);
	assert_int_equal(g.rows, (50 + g.cols - 1) / g.cols);
	assert_false(g.cut);
	pv_poster_layout_free(&g);
	free(w->long_text);
	make_world(w, 1, 0);
	w->opts.poster = (struct pv_poster_settings){ .paper = PV_PAPER_A4 };
	assert_int_equal(pv_poster_layout(&g, pc, &w->ctx), 0);
	assert_int_equal(g.cols, 1);
	assert_true(g.stories);
	/* one photo fills the width of the page */
	assert_true(fabs(g.cell_w - g.grid.w) < EPS);
	pv_poster_layout_free(&g);
	free(w->long_text);
	free(w);
	g_object_unref(pc);
	cairo_destroy(cr);
	cairo_surface_destroy(pdf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layouts),
		cmocka_unit_test(test_column_choice),
	};
	return cmocka_run_group_tests_name("poster_layout", tests, NULL, NULL);
}
