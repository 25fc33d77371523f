/* Scanning a drop folder: caption files matched across NFD/NFC and case,
 * project files with their defaults and precedence, participants from
 * folders, and what cannot be taken. */
#include "testutil.h"

#include <ctype.h>
#include <sys/stat.h>

#include "../../src/ingest/ingest_internal.h"
#include "photovoice/image.h"
#include "photovoice/ingest.h"
#include "photovoice/store.h"
#include "photovoice/util.h"

/* Writes text to dir/rel, making the folders on the way. */
static void put(const char *dir, const char *rel, const char *text)
{
	char *path = pv_path_join(dir, rel);
	char *parent = pv_dir_of(path);
	assert_int_equal(pv_mkdir_p(parent, 0700), 0);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(parent);
	free(path);
}

static struct drop_photo *photo(struct drop_scan *s, const char *rel)
{
	for (size_t i = 0; i < s->nphotos; i++)
		if (strcmp(s->photos[i].rel, rel) == 0)
			return &s->photos[i];
	fail_msg("no photo %s in the scan", rel);
	return NULL;
}

static int has_tag(const struct pv_sidecar *f, const char *tag)
{
	for (size_t i = 0; i < f->ntags; i++)
		if (strcmp(f->tags[i], tag) == 0)
			return 1;
	return 0;
}

static void scan(const char *dir, struct drop_scan *s)
{
	struct pv_err err = {0};
	assert_int_equal(pv_drop_scan(dir, s, &err), 0);
}

#define NFD_CAFE "cafe\xCC\x81"     /* "café" as a Mac writes it */
#define NFC_CAFE "caf\xC3\xA9"

static void names_match_across_nfd_nfc_and_case(void **state)
{
	(void)state;
	char *d = pv_test_tmpdir();
	put(d, NFD_CAFE ".jpg", "x");
	put(d, NFC_CAFE ".txt", "Onderschrift: een\n");
	put(d, "zo\xC3\xAB.jpg", "x");                 /* NFC photo ... */
	put(d, "zoe\xCC\x88.json", "{\"caption\": \"twee\"}");   /* ... NFD caption */
	put(d, "IMG_1.JPG", "x");
	put(d, "img_1.jpg.md", "drie\n");
	struct drop_scan s;
	scan(d, &s);
	assert_int_equal(s.nphotos, 3);
	const char *want[][2] = { { NFD_CAFE ".jpg", "een" }, { "zo\xC3\xAB.jpg", "twee" },
				  { "IMG_1.JPG", "drie" } };
	for (size_t i = 0; i < 3; i++) {
		struct drop_photo *p = photo(&s, want[i][0]);
		assert_non_null(p->sidecar);
		assert_null(p->problem);
		assert_string_equal(p->sidecar->parsed.caption, want[i][1]);
	}
	pv_drop_scan_free(&s);
	pv_test_rmtree(d);
}

static void a_caption_file_in_another_folder_does_not_match(void **state)
{
	(void)state;
	char *d = pv_test_tmpdir();
	put(d, "a/foto.jpg", "x");
	put(d, "b/foto.txt", "Onderschrift: elders\n");
	struct drop_scan s;
	scan(d, &s);
	assert_null(photo(&s, "a/foto.jpg")->sidecar);
	assert_int_equal(s.sidecars[0].matched, 0);
	pv_drop_scan_free(&s);
	pv_test_rmtree(d);
}

static void two_caption_files_for_one_photo_are_refused(void **state)
{
	(void)state;
	char *d = pv_test_tmpdir();
	put(d, "foto.jpg", "x");
	put(d, "foto.txt", "Onderschrift: een\n");
	put(d, "foto.json", "{\"caption\": \"twee\"}");
	struct drop_scan s;
	scan(d, &s);
	struct drop_photo *p = photo(&s, "foto.jpg");
	assert_non_null(p->problem);
	assert_non_null(strstr(p->problem, "more than one caption file"));
	assert_non_null(p->sidecar);
	/* the other one goes to quarantine with its own reason */
	struct drop_sidecar *other = p->sidecar == &s.sidecars[0] ? &s.sidecars[1] : &s.sidecars[0];
	assert_int_equal(other->matched, 0);
	assert_non_null(other->refuse_reason);
	assert_non_null(strstr(other->refuse_reason, "another caption file"));
	pv_drop_scan_free(&s);
	pv_test_rmtree(d);
}

/* drop/_project.txt         consent intern, tag a, credit X
 * drop/kamp/_project.json   project Zomerkamp, consent poster, tag b
 * drop/kamp/fenna/1.jpg + 1.txt (consent openbaar, tag c)
 * drop/kamp/fenna/2.jpg, drop/kamp/3.jpg, drop/sem/4.jpg */
static void project_defaults_nearest_wins_and_tags_add_up(void **state)
{
	(void)state;
	char *d = pv_test_tmpdir();
	put(d, "_project.txt", "Toestemming: intern\nTrefwoorden: a\nNaamsvermelding: X\n");
	put(d, "kamp/_project.json", "{\"project\": \"Zomerkamp\", \"toestemming\": \"poster\","
				     " \"trefwoorden\": [\"b\"]}");
	put(d, "kamp/fenna/1.jpg", "x");
	put(d, "kamp/fenna/1.txt", "Toestemming: openbaar\nTrefwoorden: c\n");
	put(d, "kamp/fenna/2.jpg", "x");
	put(d, "kamp/3.jpg", "x");
	put(d, "sem/4.jpg", "x");
	struct drop_scan s;
	scan(d, &s);
	assert_int_equal(s.nphotos, 4);        /* project files are neither photos ... */
	assert_int_equal(s.nsidecars, 1);      /* ... nor caption files */
	struct pv_sidecar f;

	pv_drop_photo_fields(photo(&s, "kamp/fenna/1.jpg"), &f);
	assert_int_equal(f.consent, PV_CONSENT_PUBLIC);     /* the caption file wins */
	assert_true(has_tag(&f, "a") && has_tag(&f, "b") && has_tag(&f, "c"));
	assert_true(has_tag(&f, "zomerkamp"));
	assert_int_equal(f.ntags, 4);
	assert_string_equal(f.participant, "fenna");       /* below the project folder */
	assert_string_equal(f.credit, "X");
	pv_sidecar_free(&f);

	pv_drop_photo_fields(photo(&s, "kamp/fenna/2.jpg"), &f);
	assert_int_equal(f.consent, PV_CONSENT_POSTER);     /* the nearer project file */
	assert_string_equal(f.participant, "fenna");
	assert_int_equal(f.ntags, 3);
	pv_sidecar_free(&f);

	pv_drop_photo_fields(photo(&s, "kamp/3.jpg"), &f);
	assert_null(f.participant);    /* in the project folder itself: no participant */
	pv_sidecar_free(&f);

	pv_drop_photo_fields(photo(&s, "sem/4.jpg"), &f);
	assert_int_equal(f.consent, PV_CONSENT_INTERNAL);
	assert_string_equal(f.participant, "sem");
	assert_int_equal(f.ntags, 1);
	assert_false(has_tag(&f, "zomerkamp"));
	pv_sidecar_free(&f);
	pv_drop_scan_free(&s);
	pv_test_rmtree(d);
}

static void participant_from_sidecar_then_project_then_folder(void **state)
{
	(void)state;
	char *d = pv_test_tmpdir();
	put(d, "fenna/_project.txt", "Toestemming: poster\n");   /* names no project */
	put(d, "fenna/1.jpg", "x");
	put(d, "fenna/2.jpg", "x");
	put(d, "fenna/2.txt", "Deelnemer: F15\n");
	put(d, "groep/_project.txt", "Deelnemer: groep-noord\n");
	put(d, "groep/3.jpg", "x");
	put(d, "e\xCC\x81lo/4.jpg", "x");                       /* NFD folder name */
	struct drop_scan s;
	scan(d, &s);
	struct pv_sidecar f;
	pv_drop_photo_fields(photo(&s, "fenna/1.jpg"), &f);
	assert_string_equal(f.participant, "fenna");
	assert_int_equal(f.consent, PV_CONSENT_POSTER);
	pv_sidecar_free(&f);
	pv_drop_photo_fields(photo(&s, "fenna/2.jpg"), &f);
	assert_string_equal(f.participant, "F15");
	pv_sidecar_free(&f);
	pv_drop_photo_fields(photo(&s, "groep/3.jpg"), &f);
	assert_string_equal(f.participant, "groep-noord");
	pv_sidecar_free(&f);
	pv_drop_photo_fields(photo(&s, "e\xCC\x81lo/4.jpg"), &f);
	assert_string_equal(f.participant, "\xC3\xA9lo");        /* stored NFC */
	pv_sidecar_free(&f);
	pv_drop_scan_free(&s);
	pv_test_rmtree(d);
}

static void a_broken_project_file_stops_only_its_photos(void **state)
{
	(void)state;
	char *d = pv_test_tmpdir();
	put(d, "x/_project.txt", "Toestemming: misschien\n");
	put(d, "x/sub/1.jpg", "x");
	put(d, "y/2.jpg", "x");
	put(d, "z/_project.txt", "Toestemming: poster\n");
	put(d, "z/_project.json", "{\"toestemming\": \"poster\"}");
	put(d, "z/3.jpg", "x");
	put(d, "w\xFF/4.jpg", "x");
	struct drop_scan s;
	scan(d, &s);
	const char *p1 = photo(&s, "x/sub/1.jpg")->problem;
	assert_non_null(p1);
	assert_non_null(strstr(p1, "x/_project.txt"));
	assert_non_null(strstr(p1, "consent"));
	assert_null(photo(&s, "y/2.jpg")->problem);
	const char *p3 = photo(&s, "z/3.jpg")->problem;
	assert_non_null(p3);
	assert_non_null(strstr(p3, "two project files, z/_project.json and z/_project.txt"));
	const char *p4 = photo(&s, "w\xFF/4.jpg")->problem;
	assert_non_null(p4);
	assert_non_null(strstr(p4, "UTF-8"));
	pv_drop_scan_free(&s);
	pv_test_rmtree(d);
}

static void a_photo_named_like_the_project_file_is_not_its_caption(void **state)
{
	(void)state;
	char *d = pv_test_tmpdir();
	put(d, "_project.txt", "Trefwoorden: p\n");
	put(d, "_project.jpg", "x");
	struct drop_scan s;
	scan(d, &s);
	assert_int_equal(s.nphotos, 1);
	assert_null(s.photos[0].sidecar);
	assert_int_equal(s.nsidecars, 0);
	pv_drop_scan_free(&s);
	pv_test_rmtree(d);
}

/* The rules zip members follow: the same names, the same defaults. */
static void zip_members_follow_the_same_rules(void **state)
{
	(void)state;
	assert_true(pv_drop_sidecar_fits("in/" NFD_CAFE ".txt", "in/" NFC_CAFE ".JPG"));
	assert_true(pv_drop_sidecar_fits("x.jpg.json", "X.jpg"));
	assert_false(pv_drop_sidecar_fits("a/x.txt", "b/x.jpg"));
	assert_false(pv_drop_sidecar_fits("x.txt", "y.jpg"));
	assert_true(pv_drop_is_sidecar_name("a.JSON"));
	assert_false(pv_drop_is_sidecar_name("_project.txt"));
	assert_true(pv_drop_is_project_name("_Project.Json"));
	assert_false(pv_drop_is_project_name("_projects.txt"));
	struct pv_sidecar own, f;
	struct pv_err err = {0};
	assert_int_equal(pv_drop_parse_sidecar("m.json", "{\"tags\": [\"z\"]}", 15, &own,
					       &err), 0);
	char *d = pv_test_tmpdir();
	put(d, "_project.txt", "Project: P\nToestemming: poster\n");
	put(d, "inzending.zip", "x");
	struct drop_scan s;
	scan(d, &s);
	pv_drop_fields(photo(&s, "inzending.zip"), &own, "e\xCC\x81lo", &f);
	assert_true(has_tag(&f, "z") && has_tag(&f, "p"));
	assert_int_equal(f.consent, PV_CONSENT_POSTER);
	assert_string_equal(f.participant, "\xC3\xA9lo");
	pv_sidecar_free(&f);
	pv_sidecar_free(&own);
	pv_drop_scan_free(&s);
	pv_test_rmtree(d);
}

static int is_img_1(const char *base, void *ctx)
{
	(void)ctx;
	return strcmp(base, "IMG_1") == 0;
}

static void copies_are_known_by_their_names(void **state)
{
	(void)state;
	static const char *const copies[] = {
		"IMG_1 (1)", "IMG_1(2)", "IMG_1 (123)", "IMG_1 (conflicted copy 2026-01-02)",
		"IMG_1 (Fenna's conflicted copy 2026-01-02)", "IMG_1 (Conflicterende kopie 2026-01-02)",
		"IMG_1.sync-conflict-20260102-101010-ABCDEF", "IMG_1-DESKTOP-AB12",
		"IMG_1-LAPTOP-7Q2K", "IMG_1 - Copy", "IMG_1 - Kopie", "IMG_1 copy", "IMG_1 kopie",
	};
	static const char *const not_copies[] = {
		"IMG_1", "IMG_2 (1)", "IMG_1 (1234)", "IMG_1 ()", "IMG_1 (een)", "IMG_1-desktop-ab12",
		"IMG_1-AB", "de-klik", "(1)", "IMG_1 (1) x",
	};
	for (size_t i = 0; i < sizeof copies / sizeof *copies; i++) {
		char *base = pv_drop_copy_base(copies[i], is_img_1, NULL);
		if (!base || strcmp(base, "IMG_1") != 0)
			fail_msg("%s: %s", copies[i], base ? base : "(none)");
		free(base);
	}
	for (size_t i = 0; i < sizeof not_copies / sizeof *not_copies; i++) {
		char *base = pv_drop_copy_base(not_copies[i], is_img_1, NULL);
		if (base)
			fail_msg("%s was taken as a copy of %s", not_copies[i], base);
		free(base);
	}
}

static void one_caption_file_speaks_for_one_photo(void **state)
{
	(void)state;
	char *d = pv_test_tmpdir();
	put(d, "a.jpg", "een");
	put(d, "a.png", "twee");
	put(d, "a.txt", "Titel: A\n");
	put(d, "b.jpg", "drie");
	put(d, "b (1).jpg", "drie");              /* the same bytes: one photo */
	put(d, "b.txt", "Titel: B\n");
	put(d, "c (1).jpg", "vier");              /* a copy alone keeps the words */
	put(d, "c.txt", "Titel: C\n");
	put(d, "e.heic", "vijf");
	put(d, "e.mov", "zes");                   /* a video is not a second photo */
	put(d, "e.txt", "Titel: E\n");
	struct drop_scan s;
	scan(d, &s);
	for (int i = 0; i < 2; i++) {
		struct drop_photo *p = photo(&s, i ? "a.png" : "a.jpg");
		assert_non_null(p->problem);
		assert_non_null(strstr(p->problem, "a.txt fits more than one photo (a.jpg, a.png)"));
	}
	assert_null(photo(&s, "b.jpg")->problem);
	assert_null(photo(&s, "b (1).jpg")->problem);
	assert_ptr_equal(photo(&s, "b (1).jpg")->sidecar, photo(&s, "b.jpg")->sidecar);
	assert_null(photo(&s, "c (1).jpg")->problem);
	assert_non_null(photo(&s, "c (1).jpg")->sidecar);
	assert_null(photo(&s, "e.heic")->problem);
	pv_drop_scan_free(&s);
	pv_test_rmtree(d);
}

/* The drop folder counts as photos exactly the endings in the table of
 * input formats (src/image/formats.c), in any case, and zips; each row is
 * what sniffing and the sentences say of it. */
static void photo_names_come_from_the_format_table(void **state)
{
	(void)state;
	size_t rows = 0;
	for (const struct pv_input_format *f; (f = pv_input_format_at(rows)) != NULL; rows++) {
		for (const char *const *e = f->endings; *e; e++) {
			char name[64], upper[64];
			snprintf(name, sizeof name, "IMG_1%s", *e);
			for (size_t i = 0; i < sizeof upper; i++)
				upper[i] = (char)toupper((unsigned char)name[i]);
			if (!pv_drop_is_photo_name(name) || !pv_drop_is_photo_name(upper))
				fail_msg("%s is not counted as a photo", name);
			assert_ptr_equal(pv_input_format_named(upper), f);
		}
		assert_ptr_equal(pv_input_format_of(f->format), f);
		assert_string_equal(pv_image_format_describe(f->format), f->described);
	}
	assert_int_equal(rows, 3);
	static const char *const others[] = { "a.gif", "a.mov", "a.txt", "a.jpg.txt", ".jpg",
					      "a.webp", "a.pdf", "jpg" };
	for (size_t i = 0; i < sizeof others / sizeof *others; i++)
		if (pv_drop_is_photo_name(others[i]))
			fail_msg("%s is counted as a photo", others[i]);
	assert_true(pv_drop_is_photo_name("inzending.ZIP"));
	char list[128];
	pv_input_formats_list(0, list, sizeof list);
	assert_string_equal(list, "JPEG, PNG or HEIC/HEIF");
	pv_input_formats_list(1, list, sizeof list);
	assert_string_equal(list, "PNG and HEIC/HEIF");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_match_across_nfd_nfc_and_case),
		cmocka_unit_test(a_caption_file_in_another_folder_does_not_match),
		cmocka_unit_test(two_caption_files_for_one_photo_are_refused),
		cmocka_unit_test(project_defaults_nearest_wins_and_tags_add_up),
		cmocka_unit_test(participant_from_sidecar_then_project_then_folder),
		cmocka_unit_test(a_broken_project_file_stops_only_its_photos),
		cmocka_unit_test(a_photo_named_like_the_project_file_is_not_its_caption),
		cmocka_unit_test(zip_members_follow_the_same_rules),
		cmocka_unit_test(copies_are_known_by_their_names),
		cmocka_unit_test(one_caption_file_speaks_for_one_photo),
		cmocka_unit_test(photo_names_come_from_the_format_table),
	};
	return cmocka_run_group_tests_name("scan", tests, NULL, NULL);
}
