/* Unit tests of what the poster builder of serve asks the library: a spec
 * written from its parts reads back the same (pv_bundle_spec_text); the
 * entries a search offers, each with whether consent allows it today
 * (pv_bundle_candidates), and the entries chosen, with the same
 * (pv_bundle_chosen); the preview PNG from the poster's own layout, with
 * the entries consent does not allow left out and the low-resolution
 * warnings (pv_poster_preview); saved posters, which an erasure empties of
 * the erased entry (pv_bundle_poster_save/load, pv_store_poster_*); the
 * builder's buttons (pv_bundle_spec_add_usable, _move, _remove, _append). */
#include "testutil.h"

#include <string.h>

#include "photovoice/bundle.h"
#include "photovoice/util.h"

#define NENTRIES 4

/* Entry i: consent poster, internal, public, poster; "fietsen" in every
 * story; small photos (they print below 150 dpi on any poster). */
static int64_t add_entry(struct pv_archive *a, int i)
{
	static const enum pv_consent consent[NENTRIES] = {
		PV_CONSENT_POSTER, PV_CONSENT_INTERNAL, PV_CONSENT_PUBLIC, PV_CONSENT_POSTER };
	char title[32];
	struct pv_entry e = { .consent = consent[i], .guardian = PV_GUARDIAN_UNKNOWN };
	snprintf(title, sizeof title, "Foto %d", i + 1);
	e.title = title;
	e.caption = "Een onderschrift.";
	e.story = "Een verhaal over fietsen.";
	return pv_test_add_photo(a, &e, 80 + 8 * i, 60, (unsigned)i + 7);
}

static int setup(void **state)
{
	*state = pv_test_photos_make(NENTRIES, add_entry);
	return 0;
}

/* ---- the spec written back ---------------------------------------------------------- */

static void test_spec_text_round_trip(void **state)
{
	(void)state;
	struct pv_bundle_spec_entry entries[] = {
		{ 12, "Twee regels\nin één\r\nonderschrift" }, { 4, NULL }, { 7, "  " },
		{ 9, "<script>alert(1)</script> 👩‍👧 # geen commentaar" },
	};
	struct pv_bundle_spec s = { .title = "Cliëntfeedback: in beeld", .subtitle = "Twee\nregels",
				    .paper = PV_PAPER_A1, .landscape = 1, .columns = 3,
				    .entries = entries, .nentries = 4 };
	char *text = pv_bundle_spec_text(&s);
	assert_non_null(text);
	struct pv_bundle_spec back;
	struct pv_err err = {0};
	assert_int_equal(pv_bundle_spec_parse(text, strlen(text), &back, &err), 0);
	assert_string_equal(back.title, "Cliëntfeedback: in beeld");
	assert_string_equal(back.subtitle, "Twee regels");
	assert_int_equal(back.paper, PV_PAPER_A1);
	assert_int_equal(back.landscape, 1);
	assert_int_equal(back.columns, 3);
	assert_int_equal(back.nentries, 4);
	assert_int_equal(back.entries[0].id, 12);
	assert_string_equal(back.entries[0].caption, "Twee regels in één  onderschrift");
	assert_null(back.entries[1].caption);
	assert_null(back.entries[2].caption);   /* only spaces: the entry's own */
	assert_string_equal(back.entries[3].caption, entries[3].caption);
	pv_bundle_spec_free(&back);
	free(text);
	/* nothing set: entries only, which parse back as they are */
	struct pv_bundle_spec bare = { .paper = -1, .landscape = -1, .entries = entries + 1,
				       .nentries = 1 };
	text = pv_bundle_spec_text(&bare);
	assert_string_equal(text, "\n4\n");
	free(text);
}

/* ---- the candidates ------------------------------------------------------------------- */

static void test_candidates_say_why(void **state)
{
	struct pv_test_photos *fx = *state;
	struct pv_err err = {0};
	struct pv_archive *a = pv_archive_open(fx->archive, PV_OPEN_READ, &err);
	assert_non_null(a);
	struct pv_bundle_candidates c;
	assert_int_equal(pv_bundle_candidates(a, "fietsen", NULL, "poster", 0, &c, &err), 0);
	assert_int_equal(c.count, NENTRIES);
	for (size_t i = 0; i < c.count; i++) {
		int internal = c.items[i].entry.id == fx->ids[1];
		if (internal) {
			assert_non_null(c.items[i].why_not);
			assert_non_null(strstr(c.items[i].why_not, "cannot go on a poster"));
		} else {
			assert_null(c.items[i].why_not);
		}
	}
	pv_bundle_candidates_free(&c);
	/* for internal use every one of them may be used */
	assert_int_equal(pv_bundle_candidates(a, "fietsen", NULL, "internal", 2, &c, &err), 0);
	assert_int_equal(c.count, 2);   /* the limit */
	assert_null(c.items[0].why_not);
	pv_bundle_candidates_free(&c);
	/* nothing found is no error; a query that cannot be read is */
	assert_int_equal(pv_bundle_candidates(a, "trein", NULL, "poster", 0, &c, &err), 0);
	assert_int_equal(c.count, 0);
	pv_bundle_candidates_free(&c);
	assert_int_equal(pv_bundle_candidates(a, NULL, "geen-tag", "poster", 0, &c, &err), 0);
	assert_int_equal(c.count, 0);
	pv_bundle_candidates_free(&c);
	assert_int_not_equal(pv_bundle_candidates(a, "fietsen AND (", NULL, "poster", 0, &c, &err), 0);
	assert_true(err.msg[0]);
	pv_archive_close(a);
}

/* The chosen entries, in the poster's order: whether each is there and may
 * be used for the purpose today, and the library's sentence why not. */
static void test_chosen_say_why(void **state)
{
	struct pv_test_photos *fx = *state;
	struct pv_err err = {0};
	struct pv_archive *a = pv_archive_open(fx->archive, PV_OPEN_READ, &err);
	assert_non_null(a);
	struct pv_bundle_spec_entry entries[] = {
		{ fx->ids[1], NULL }, { 999999, NULL }, { fx->ids[0], "Eigen" },
	};
	struct pv_bundle_spec spec = { .paper = -1, .landscape = -1, .entries = entries,
				       .nentries = 3 };
	struct pv_bundle_candidates c;
	pv_bundle_chosen(a, &spec, "poster", &c);
	assert_int_equal(c.count, 3);
	assert_true(c.items[0].found);
	assert_int_equal(c.items[0].entry.id, fx->ids[1]);
	assert_string_equal(c.items[0].entry.title, "Foto 2");
	assert_non_null(c.items[0].why_not);
	assert_non_null(strstr(c.items[0].why_not, "cannot go on a poster"));
	assert_false(c.items[1].found);
	assert_null(c.items[1].entry.title);
	assert_string_equal(c.items[1].why_not, "There is no entry 999999 in this archive.");
	assert_true(c.items[2].found);
	assert_null(c.items[2].why_not);
	pv_bundle_candidates_free(&c);
	/* for internal use the entry with internal consent may be used */
	pv_bundle_chosen(a, &spec, "internal", &c);
	assert_null(c.items[0].why_not);
	assert_false(c.items[1].found);
	assert_null(c.items[2].why_not);
	pv_bundle_candidates_free(&c);
	/* nothing chosen: an empty list */
	spec.nentries = 0;
	pv_bundle_chosen(a, &spec, "poster", &c);
	assert_int_equal(c.count, 0);
	pv_bundle_candidates_free(&c);
	pv_archive_close(a);
}

/* ---- the preview ------------------------------------------------------------------------ */

static void test_preview_png(void **state)
{
	struct pv_test_photos *fx = *state;
	struct pv_err err = {0};
	struct pv_archive *a = pv_archive_open(fx->archive, PV_OPEN_READ, &err);
	assert_non_null(a);
	char *spec = NULL;
	assert_true(asprintf(&spec, "Titel: Fietsen\nPapier: A3\nRichting: liggend\n%lld\n%lld\n%lld: Eigen\n",
			     (long long)fx->ids[0], (long long)fx->ids[1], (long long)fx->ids[2]) > 0);
	struct pv_bundle_request rq = PV_BUNDLE_REQUEST_INIT;
	rq.archive = a;
	rq.spec_text = spec;
	rq.spec_len = strlen(spec);
	struct pv_poster_preview p;
	assert_int_equal(pv_poster_preview(&rq, 600, &p, &err), 0);
	assert_true(p.png_len > 8 && memcmp(p.png, "\x89PNG\r\n\x1a\n", 8) == 0);
	assert_int_equal(p.width, 600);
	assert_true(p.height < 600 && p.height > 400);   /* A3 landscape */
	assert_int_equal(p.nleft_out, 1);
	assert_int_equal(p.left_out[0].id, fx->ids[1]);
	assert_int_equal(p.nwarnings, 2);   /* photos 80 px wide on A3 */
	assert_non_null(strstr(p.warnings[0], "below the 150 dpi"));
	pv_poster_preview_free(&p);
	/* the request's settings over the spec's: A4 portrait */
	rq.paper = PV_PAPER_A4;
	rq.landscape = 0;
	assert_int_equal(pv_poster_preview(&rq, 300, &p, &err), 0);
	assert_true(p.height > 300);
	pv_poster_preview_free(&p);
	/* widths out of range, only entries consent refuses, a bad spec */
	assert_int_equal(pv_poster_preview(&rq, 20, &p, &err), -1);
	assert_int_equal(err.kind, PV_ERR_INPUT);
	char only_internal[32];
	snprintf(only_internal, sizeof only_internal, "%lld\n", (long long)fx->ids[1]);
	rq.spec_text = only_internal;
	rq.spec_len = strlen(only_internal);
	assert_int_equal(pv_poster_preview(&rq, 300, &p, &err), -1);
	assert_int_equal(err.kind, PV_ERR_NOT_ALLOWED);
	assert_int_equal(p.nleft_out, 1);
	pv_poster_preview_free(&p);
	rq.spec_text = "Papier: B5\n1\n";
	rq.spec_len = strlen(rq.spec_text);
	assert_int_equal(pv_poster_preview(&rq, 300, &p, &err), -1);
	assert_int_equal(err.kind, PV_ERR_INPUT);
	pv_poster_preview_free(&p);
	free(spec);
	pv_archive_close(a);
}

/* ---- saved posters ----------------------------------------------------------------------- */

static void test_saved_posters(void **state)
{
	struct pv_test_photos *fx = *state;
	struct pv_err err = {0};
	struct pv_archive *w = pv_archive_open(fx->archive, PV_OPEN_WRITE, &err);
	assert_non_null(w);
	pv_archive_set_actor(w, "anna");
	struct pv_bundle_spec_entry entries[] = { { fx->ids[2], "Voor de poster" },
						  { fx->ids[0], NULL } };
	struct pv_bundle_spec s = { .title = "Open dag", .paper = PV_PAPER_A2, .landscape = -1,
				    .entries = entries, .nentries = 2 };
	int64_t id = 0;
	assert_int_equal(pv_bundle_poster_save(w, 0, "Open dag", &s, &id, &err), 0);
	assert_true(id > 0);
	struct pv_bundle_spec back;
	char *name = NULL;
	assert_int_equal(pv_bundle_poster_load(w, id, &back, &name, &err), 0);
	assert_string_equal(name, "Open dag");
	assert_string_equal(back.title, "Open dag");
	assert_null(back.subtitle);
	assert_int_equal(back.paper, PV_PAPER_A2);
	assert_int_equal(back.landscape, -1);
	assert_int_equal(back.nentries, 2);
	assert_int_equal(back.entries[0].id, fx->ids[2]);
	assert_string_equal(back.entries[0].caption, "Voor de poster");
	assert_null(back.entries[1].caption);
	pv_bundle_spec_free(&back);
	free(name);
	/* saved again under its number: replaced, not a second one */
	s.nentries = 1;
	assert_int_equal(pv_bundle_poster_save(w, id, "Open dag 2", &s, NULL, &err), 0);
	struct pv_saved_poster *list;
	size_t n;
	assert_int_equal(pv_store_poster_list(w, &list, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].name, "Open dag 2");
	assert_string_equal(list[0].saved_by, "anna");
	assert_int_equal(list[0].nentries, 1);
	pv_saved_posters_free(list, n);
	/* refusals: no name, an entry that does not exist, a poster that does not */
	assert_int_equal(pv_bundle_poster_save(w, 0, "", &s, NULL, &err), -1);
	assert_int_equal(err.kind, PV_ERR_INPUT);
	struct pv_bundle_spec_entry ghost = { 4242, NULL };
	struct pv_bundle_spec g = { .paper = -1, .landscape = -1, .entries = &ghost, .nentries = 1 };
	assert_int_equal(pv_bundle_poster_save(w, 0, "x", &g, NULL, &err), -1);
	assert_int_equal(err.kind, PV_ERR_NOT_FOUND);
	assert_int_equal(pv_bundle_poster_save(w, 999, "x", &s, NULL, &err), -1);
	assert_int_equal(err.kind, PV_ERR_NOT_FOUND);
	assert_int_equal(pv_bundle_poster_load(w, 999, &back, NULL, &err), -1);
	assert_int_equal(err.kind, PV_ERR_NOT_FOUND);
	/* an erased entry leaves no line in a saved poster */
	s.nentries = 2;
	assert_int_equal(pv_bundle_poster_save(w, id, "Open dag", &s, NULL, &err), 0);
	struct pv_forget_report rep;
	assert_int_equal(pv_store_forget(w, &fx->ids[2], 1, &rep, &err), 0);
	pv_forget_report_free(&rep);
	assert_int_equal(pv_bundle_poster_load(w, id, &back, NULL, &err), 0);
	assert_int_equal(back.nentries, 1);
	assert_int_equal(back.entries[0].id, fx->ids[0]);
	pv_bundle_spec_free(&back);
	assert_int_equal(pv_store_poster_delete(w, id, &err), 0);
	assert_int_equal(pv_store_poster_delete(w, id, &err), -1);
	assert_int_equal(err.kind, PV_ERR_NOT_FOUND);
	pv_archive_close(w);
	char *db = pv_path_join(fx->archive, "catalogue.db"), *wal = NULL;
	assert_true(asprintf(&wal, "%s-wal", db) > 0);
	assert_false(pv_test_file_holds(db, "Voor de poster"));
	assert_false(pv_test_file_holds(wal, "Voor de poster"));
	free(db);
	free(wal);
}

/* ---- the builder's buttons ------------------------------------------------------------ */

static int64_t order_at(const struct pv_bundle_spec *s, size_t i)
{
	return i < s->nentries ? s->entries[i].id : -1;
}

/* add: only what consent allows for the purpose today, each entry once, a
 * missing entry named; move up and down, staying put at either end; remove;
 * the poster's most; a photo not on the poster named as such. */
static void test_builder_buttons(void **state)
{
	struct pv_test_photos *fx = *state;
	struct pv_err err = {0};
	struct pv_archive *a = pv_archive_open(fx->archive, PV_OPEN_READ, &err);
	assert_non_null(a);
	struct pv_bundle_spec s = { .paper = -1, .landscape = -1 };
	assert_int_equal(pv_bundle_spec_add_usable(a, &s, fx->ids[0], "poster", &err), 0);
	assert_int_equal(pv_bundle_spec_add_usable(a, &s, fx->ids[2], "poster", &err), 0);
	assert_int_equal(pv_bundle_spec_add_usable(a, &s, fx->ids[0], "poster", &err), 0);
	assert_int_equal(s.nentries, 2);                        /* once is enough */
	/* internal consent: not on a poster, with the library's sentence */
	assert_int_equal(pv_bundle_spec_add_usable(a, &s, fx->ids[1], "poster", &err), -1);
	assert_non_null(strstr(err.msg, "cannot go on a poster"));
	assert_false(pv_bundle_spec_holds(&s, fx->ids[1]));
	/* ...but for internal use it may */
	assert_int_equal(pv_bundle_spec_add_usable(a, &s, fx->ids[1], "internal", &err), 0);
	assert_int_equal(pv_bundle_spec_add_usable(a, &s, 999999, "poster", &err), -1);
	assert_int_equal(err.kind, PV_ERR_NOT_FOUND);
	assert_int_equal(s.nentries, 3);
	/* order: 0 2 1 */
	assert_int_equal(pv_bundle_spec_move(&s, fx->ids[1], -1, &err), 0);   /* 0 1 2 */
	assert_int_equal(order_at(&s, 1), fx->ids[1]);
	assert_int_equal(pv_bundle_spec_move(&s, fx->ids[0], -1, &err), 0);   /* first: stays */
	assert_int_equal(order_at(&s, 0), fx->ids[0]);
	assert_int_equal(pv_bundle_spec_move(&s, fx->ids[2], 1, &err), 0);    /* last: stays */
	assert_int_equal(order_at(&s, 2), fx->ids[2]);
	assert_int_equal(pv_bundle_spec_move(&s, fx->ids[0], 1, &err), 0);    /* 1 0 2 */
	assert_int_equal(order_at(&s, 0), fx->ids[1]);
	assert_int_equal(order_at(&s, 1), fx->ids[0]);
	assert_int_equal(pv_bundle_spec_move(&s, fx->ids[3], 1, &err), -1);
	assert_int_equal(err.kind, PV_ERR_NOT_FOUND);
	assert_int_equal(pv_bundle_spec_remove(&s, fx->ids[0], &err), 0);     /* 1 2 */
	assert_int_equal(s.nentries, 2);
	assert_int_equal(order_at(&s, 1), fx->ids[2]);
	assert_int_equal(pv_bundle_spec_remove(&s, fx->ids[0], &err), -1);
	assert_int_equal(err.kind, PV_ERR_NOT_FOUND);
	/* the most a poster made here holds */
	while (s.nentries < PV_POSTER_BUILDER_MAX)
		assert_int_equal(pv_bundle_spec_append(&s, 1000 + (int64_t)s.nentries, "", &err), 0);
	assert_null(s.entries[s.nentries - 1].caption);           /* "": the catalogue's */
	assert_int_equal(pv_bundle_spec_append(&s, 5000, "Te veel", &err), -1);
	assert_int_equal(err.kind, PV_ERR_INPUT);
	assert_int_equal(pv_bundle_spec_add_usable(a, &s, fx->ids[3], "poster", &err), -1);
	assert_int_equal(err.kind, PV_ERR_INPUT);
	assert_int_equal(s.nentries, PV_POSTER_BUILDER_MAX);
	pv_bundle_spec_free(&s);
	pv_archive_close(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_text_round_trip),
		PV_PHOTOS_TEST(test_candidates_say_why, setup),
		PV_PHOTOS_TEST(test_chosen_say_why, setup),
		PV_PHOTOS_TEST(test_preview_png, setup),
		PV_PHOTOS_TEST(test_saved_posters, setup),
		PV_PHOTOS_TEST(test_builder_buttons, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
