/* One validator per kind of value (src/util/values.c): the dates and yes/no
 * words every door into the archive takes; and one reader of "Key: value"
 * lines (src/util/keyvalue.c), which caption files, project files and spec
 * files read alike. */
#include "testutil.h"

#include "photovoice/bundle.h"
#include "photovoice/ingest.h"
#include "photovoice/util.h"

static void dates_are_days_of_the_calendar(void **state)
{
	(void)state;
	static const char *const good[] = {
		"2024-02-29", "2000-02-29", "2026-01-05", "2026-01-31", "2026-04-30",
		"2026-12-31", "1999-12-31", "9999-12-31", "0001-01-01",
	};
	static const char *const bad[] = {
		"2026-02-29", "1900-02-29", "2100-02-29", "2026-02-30", "2026-02-31",
		"2026-04-31", "2026-06-31", "2026-09-31", "2026-11-31", "2026-13-01",
		"2026-00-01", "2026-01-00", "2026-01-32", "2026-1-5", "2026-01-5",
		"2026-1-05", " 2026-01-05", "2026-01-05 ", "2026-01-05\n", "26-01-05",
		"05-01-2026", "2026/01/05", "2026-01-05x", "+026-01-05", "2026-+1-05",
		"2026--1-05", "0000-01-01", "2026-0a-05", "", NULL,
	};
	for (size_t i = 0; i < sizeof good / sizeof *good; i++)
		if (!pv_date_valid(good[i]))
			fail_msg("%s was refused", good[i]);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		if (pv_date_valid(bad[i]))
			fail_msg("\"%s\" was taken as a date", bad[i]);
}

static void yes_and_no_in_dutch_and_english(void **state)
{
	(void)state;
	static const char *const yes[] = { "ja", "Ja", "JA", "yes", "YES", "j", "y", "true", "1" };
	static const char *const no[] = { "nee", "Nee", "no", "NO", "n", "false", "0" };
	static const char *const neither[] = { "", " ja", "ja ", "jaa", "misschien", "2", NULL };
	for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
		assert_int_equal(pv_yes_no_parse(yes[i]), 1);
	for (size_t i = 0; i < sizeof no / sizeof *no; i++)
		assert_int_equal(pv_yes_no_parse(no[i]), 0);
	for (size_t i = 0; i < sizeof neither / sizeof *neither; i++)
		assert_int_equal(pv_yes_no_parse(neither[i]), -1);
}

/* "No end date" is a word, in Dutch or English, wherever an end date is
 * asked for. */
static void no_end_date_in_dutch_and_english(void **state)
{
	(void)state;
	static const char *const none[] = { "none", "None", "NONE", "geen", "Geen" };
	static const char *const other[] = { "", " none", "nooit", "2025-01-01", "no", NULL };
	for (size_t i = 0; i < sizeof none / sizeof *none; i++)
		assert_true(pv_date_none(none[i]));
	for (size_t i = 0; i < sizeof other / sizeof *other; i++)
		assert_false(pv_date_none(other[i]));
}

/* The ways people write "Key: value" (KEY stands for the key). */
static const char *const written_forms[] = {
	"KEY: De klik", "KEY:De klik", "KEY :  De klik  ", "  KEY: De klik",
	"\tKEY: De klik", "\xC2\xA0KEY: De klik", "KEY\xEF\xBC\x9A De klik",
	"**KEY:** De klik", "**KEY**: De klik", "- KEY: De klik", "> KEY: De klik",
	"KEY: **De klik**", "KEY: De klik\r", "\xE2\x80\x8BKEY: De klik",
};

static void form_with(const char *form, const char *key, char *out, size_t n)
{
	const char *at = strstr(form, "KEY");
	snprintf(out, n, "%.*s%s%s", (int)(at - form), form, key, at + 3);
}

/* Each form, through the reader itself, a caption file and a spec file:
 * the title "De klik" every time. */
static void a_title_is_read_alike_by_caption_and_spec_files(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof written_forms / sizeof *written_forms; i++) {
		char line[128];
		struct pv_err err = {0};
		form_with(written_forms[i], "Titel", line, sizeof line);
		struct pv_kv_line kv;
		pv_kv_read_line(line, &kv);
		if (kv.kind != PV_KV_PAIR || strcmp(kv.key, "Titel") != 0)
			fail_msg("the reader did not find the key in \"%s\"", line);
		pv_kv_line_free(&kv);
		struct pv_sidecar c;
		strcat(line, "\n");
		if (pv_sidecar_parse(line, strlen(line), &c, &err) != 0 ||
		    !c.title || strcmp(c.title, "De klik") != 0)
			fail_msg("a caption file read \"%s\" otherwise (%s)", line, err.msg);
		pv_sidecar_free(&c);
		struct pv_bundle_spec spec;
		if (pv_bundle_spec_parse(line, strlen(line), &spec, &err) != 0 ||
		    !spec.title || strcmp(spec.title, "De klik") != 0)
			fail_msg("a spec file read \"%s\" otherwise (%s)", line, err.msg);
		pv_bundle_spec_free(&spec);
	}
}

/* Each form through a caption file and a project file: the same credit. */
static void a_credit_is_read_alike_by_caption_and_project_files(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof written_forms / sizeof *written_forms; i++) {
		char line[128];
		struct pv_err err = {0};
		form_with(written_forms[i], "Naamsvermelding", line, sizeof line);
		strcat(line, "\n");
		struct pv_sidecar c, p;
		if (pv_sidecar_parse(line, strlen(line), &c, &err) != 0 ||
		    !c.credit || strcmp(c.credit, "De klik") != 0)
			fail_msg("a caption file read \"%s\" otherwise (%s)", line, err.msg);
		if (pv_project_parse(line, strlen(line), 0, NULL, &p, &err) != 0 ||
		    !p.credit || strcmp(p.credit, "De klik") != 0)
			fail_msg("a project file read \"%s\" otherwise (%s)", line, err.msg);
		pv_sidecar_free(&c);
		pv_sidecar_free(&p);
	}
}

/* What is no key to one door is none to the others: a sentence with a colon,
 * a key with no colon, a link. */
static void a_line_that_is_no_key_is_none_anywhere(void **state)
{
	(void)state;
	static const char *const lines[] = {
		"Mijn moeder zei: De klik\n", "Titel De klik\n", "Titel://De klik\n",
		"Titel 2: De klik\n", "Titel, zei ze: De klik\n",
	};
	for (size_t i = 0; i < sizeof lines / sizeof *lines; i++) {
		struct pv_err err = {0};
		struct pv_kv_line kv;
		pv_kv_read_line(lines[i], &kv);
		if (kv.kind == PV_KV_PAIR)
			fail_msg("the reader found a key in \"%s\"", lines[i]);
		pv_kv_line_free(&kv);
		struct pv_sidecar c;
		if (pv_sidecar_parse(lines[i], strlen(lines[i]), &c, &err) == 0) {
			if (c.title)
				fail_msg("a caption file took a title from \"%s\"", lines[i]);
			pv_sidecar_free(&c);
		}
		struct pv_bundle_spec spec;
		if (pv_bundle_spec_parse(lines[i], strlen(lines[i]), &spec, &err) == 0)
			fail_msg("a spec file took \"%s\" as a setting", lines[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dates_are_days_of_the_calendar),
		cmocka_unit_test(yes_and_no_in_dutch_and_english),
		cmocka_unit_test(no_end_date_in_dutch_and_english),
		cmocka_unit_test(a_title_is_read_alike_by_caption_and_spec_files),
		cmocka_unit_test(a_credit_is_read_alike_by_caption_and_project_files),
		cmocka_unit_test(a_line_that_is_no_key_is_none_anywhere),
	};
	return cmocka_run_group_tests_name("values", tests, NULL, NULL);
}
