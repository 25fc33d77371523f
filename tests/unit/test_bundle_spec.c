/* Unit tests of the bundle spec parser: the documented format in Dutch and
 * English, every error with its line number, and arbitrary bytes. */
#include "testutil.h"

#include "photovoice/bundle.h"

static int parse(const char *text, struct pv_bundle_spec *spec, struct pv_err *err)
{
	return pv_bundle_spec_parse(text, strlen(text), spec, err);
}

static void test_dutch_spec(void **state)
{
	(void)state;
	const char *spec_text =
		"\xEF\xBB\xBF# poster voor de open dag\r\n"
		"Titel: Cliëntfeedback in beeld\r\n"
		"Ondertitel:   Wat jongeren ons lieten zien  \r\n"
		"\r\n"
		"Papier: a1\r\n"
		"Richting: Liggend\r\n"
		"Kolommen: 4\r\n"
		"12\r\n"
		"  4: Mijn eigen plek, mijn regels: \"echt\".\r\n"
		"7";
	struct pv_bundle_spec s;
	struct pv_err err = {0};
	assert_int_equal(parse(spec_text, &s, &err), 0);
	assert_string_equal(s.title, "Cliëntfeedback in beeld");
	assert_string_equal(s.subtitle, "Wat jongeren ons lieten zien");
	assert_int_equal(s.paper, PV_PAPER_A1);
	assert_int_equal(s.landscape, 1);
	assert_int_equal(s.columns, 4);
	assert_int_equal(s.nentries, 3);
	assert_int_equal(s.entries[0].id, 12);
	assert_null(s.entries[0].caption);
	assert_int_equal(s.entries[1].id, 4);
	assert_string_equal(s.entries[1].caption, "Mijn eigen plek, mijn regels: \"echt\".");
	assert_int_equal(s.entries[2].id, 7);
	pv_bundle_spec_free(&s);
	assert_null(s.title);
	assert_int_equal(s.nentries, 0);
}

static void test_english_spec(void **state)
{
	(void)state;
	struct pv_bundle_spec s;
	struct pv_err err = {0};
	assert_int_equal(parse("TITLE: Heard\nsubtitle: at last\nPaper: A3\n"
			       "Orientation: portrait\ncolumns: 12\n3\n1\n", &s, &err), 0);
	assert_string_equal(s.title, "Heard");
	assert_string_equal(s.subtitle, "at last");
	assert_int_equal(s.paper, PV_PAPER_A3);
	assert_int_equal(s.landscape, 0);
	assert_int_equal(s.columns, 12);
	assert_int_equal(s.nentries, 2);
	pv_bundle_spec_free(&s);
}

/* Nothing given: everything unset, nothing to free. */
static void test_empty_spec(void **state)
{
	(void)state;
	struct pv_bundle_spec s;
	struct pv_err err = {0};
	assert_int_equal(pv_bundle_spec_parse("", 0, &s, &err), 0);
	assert_null(s.title);
	assert_int_equal(s.paper, -1);
	assert_int_equal(s.landscape, -1);
	assert_int_equal(s.columns, 0);
	assert_int_equal(s.nentries, 0);
	pv_bundle_spec_free(&s);
	assert_int_equal(parse("# only a comment\n\n   \n", &s, &err), 0);
	pv_bundle_spec_free(&s);
	assert_int_equal(pv_bundle_spec_parse(NULL, 5, &s, &err), 0);
	pv_bundle_spec_free(&s);
}

/* Combining characters are stored composed (NFC), as in the catalogue. */
static void test_nfc(void **state)
{
	(void)state;
	struct pv_bundle_spec s;
	struct pv_err err = {0};
	assert_int_equal(parse("Titel: Clie\xCC\x88nt\n5: cafe\xCC\x81\n", &s, &err), 0);
	assert_string_equal(s.title, "Cli\xC3\xABnt");
	assert_string_equal(s.entries[0].caption, "caf\xC3\xA9");
	pv_bundle_spec_free(&s);
}

struct bad_case {
	const char *text;
	unsigned line;
	const char *says;
};

static const struct bad_case bad_cases[] = {
	{ "Titel: a\nFoto twaalf\n", 2, "neither a setting" },
	{ "Kleur: rood\n", 1, "not a setting" },
	{ "Titel:\n", 1, "no value" },
	{ "Titel: a\nTitle: b\n", 2, "already given" },
	{ "Papier: A5\n", 1, "A4, A3, A2, A1 or A0" },
	{ "Paper: A4\npapier: A3\n", 2, "already given" },
	{ "Richting: schuin\n", 1, "staand or liggend" },
	{ "\n\nOrientation: landscape\nRichting: staand\n", 4, "already given" },
	{ "Kolommen: 0\n", 1, "from 1 to 12" },
	{ "Kolommen: 13\n", 1, "from 1 to 12" },
	{ "Kolommen: drie\n", 1, "from 1 to 12" },
	{ "Kolommen: 3\nColumns: 3\n", 2, "already given" },
	{ "12 dertien\n", 1, "entry number alone" },
	{ "12:\n", 1, "no caption after the colon" },
	{ "12:   \n", 1, "no caption after the colon" },
	{ "0\n", 1, "not one photovoice gives out" },
	{ "99999999999999999999999\n", 1, "not one photovoice gives out" },
	{ "5\n6\n5: again\n", 3, "already named on line 1" },
	{ "# ok\nTitel: caf\xC3\n", 2, "not UTF-8" },
	{ "3\n\xFF\xFE" "4\n", 2, "not UTF-8" },
	{ "12a\n", 1, "entry number alone" },
	{ "-3\n", 1, "neither a setting" },
};

static void test_bad_specs(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
		struct pv_bundle_spec s;
		struct pv_err err = {0};
		char want[32];
		if (parse(bad_cases[i].text, &s, &err) != -1)
			fail_msg("case %zu was accepted", i);
		snprintf(want, sizeof want, "Line %u of the spec: ", bad_cases[i].line);
		if (strncmp(err.msg, want, strlen(want)) != 0 || !strstr(err.msg, bad_cases[i].says))
			fail_msg("case %zu said: %s", i, err);
		assert_int_equal(err.msg[strlen(err.msg) - 1], '.');
		assert_null(s.title);
		assert_null(s.entries);
		assert_int_equal(s.nentries, 0);
		pv_bundle_spec_free(&s);
	}
}

/* The error never repeats the line's words: a caption may name someone. */
static void test_error_hides_text(void **state)
{
	(void)state;
	struct pv_bundle_spec s;
	struct pv_err err = {0};
	assert_int_equal(parse("Fenna de Vries woont in Zwolle\n", &s, &err), -1);
	assert_null(strstr(err.msg, "Fenna"));
	assert_null(strstr(err.msg, "Zwolle"));
	assert_int_equal(parse("12 Fenna\n", &s, &err), -1);
	assert_null(strstr(err.msg, "Fenna"));
}

static void test_zero_byte_and_long_line(void **state)
{
	(void)state;
	struct pv_bundle_spec s;
	struct pv_err err = {0};
	assert_int_equal(pv_bundle_spec_parse("3\n4\0\n", 5, &s, &err), -1);
	assert_non_null(strstr(err.msg, "Line 2 of the spec"));
	char *big = malloc(10000);
	memset(big, 'a', 9999);
	big[9999] = '\0';
	big[0] = '#';
	assert_int_equal(parse(big, &s, &err), -1);
	assert_non_null(strstr(err.msg, "too long"));
	free(big);
}

/* Arbitrary bytes never crash the parser and never leave memory behind
 * (the fuzz target does this at scale). */
static void test_random_bytes(void **state)
{
	(void)state;
	const char alphabet[] = "0123456789:#\n\r \tTitelPapirA4Kolmn\xC3\xAB\xFF";
	unsigned seed = 12345;
	for (int round = 0; round < 3000; round++) {
		char buf[128];
		size_t len = (size_t)(seed % sizeof buf);
		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			buf[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
		}
		seed = seed * 1103515245u + 12345u;
		struct pv_bundle_spec s;
		struct pv_err err = {0};
		if (pv_bundle_spec_parse(buf, len, &s, &err) == 0)
			pv_bundle_spec_free(&s);
		else
			assert_true(strncmp(err.msg, "Line ", 5) == 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dutch_spec),
		cmocka_unit_test(test_english_spec),
		cmocka_unit_test(test_empty_spec),
		cmocka_unit_test(test_nfc),
		cmocka_unit_test(test_bad_specs),
		cmocka_unit_test(test_error_hides_text),
		cmocka_unit_test(test_zero_byte_and_long_line),
		cmocka_unit_test(test_random_bytes),
	};
	return cmocka_run_group_tests_name("bundle_spec", tests, NULL, NULL);
}
