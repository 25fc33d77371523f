/* Sidecar parsing: Dutch and English keys, plain files, and bad text. */
#include "testutil.h"

#include "photovoice/ingest.h"
#include "photovoice/store.h"

static int parse(const char *text, struct pv_sidecar *s, char *err)
{
	return pv_sidecar_parse(text, strlen(text), s, err, 256);
}

static void dutch_headers_and_story(void **state)
{
	(void)state;
	struct pv_sidecar s;
	char err[256];
	assert_int_equal(parse("Titel: De klik\n"
			       "Onderschrift: Hier voelde ik me voor het eerst gehoord.\n"
			       "Trefwoorden: Klik, luisteren ;  \n"
			       "Toestemming: poster\n"
			       "Toestemming-ouder: ja\n"
			       "Toestemming-tot: 2027-06-30\n"
			       "Naamsvermelding: Foto: Fenna, 15\n"
			       "\n"
			       "Het verhaal.\nTweede regel.\n\n", &s, err), 0);
	assert_string_equal(s.title, "De klik");
	assert_string_equal(s.caption, "Hier voelde ik me voor het eerst gehoord.");
	assert_int_equal(s.ntags, 2);
	assert_string_equal(s.tags[0], "klik");
	assert_string_equal(s.tags[1], "luisteren");
	assert_int_equal(s.consent, PV_CONSENT_POSTER);
	assert_int_equal(s.guardian, PV_GUARDIAN_YES);
	assert_string_equal(s.consent_until, "2027-06-30");
	assert_string_equal(s.credit, "Foto: Fenna, 15");
	assert_string_equal(s.story, "Het verhaal.\nTweede regel.");
	pv_sidecar_free(&s);
}

static void english_keys_crlf_and_bom(void **state)
{
	(void)state;
	struct pv_sidecar s;
	char err[256];
	assert_int_equal(parse("\xEF\xBB\xBFTitle: Home\r\nCaption: My room\r\n"
			       "Consent: public\r\nGuardian-Consent: no\r\nParticipant: sem\r\n"
			       "\r\nStory text\r\n", &s, err), 0);
	assert_string_equal(s.title, "Home");
	assert_string_equal(s.caption, "My room");
	assert_int_equal(s.consent, PV_CONSENT_PUBLIC);
	assert_int_equal(s.guardian, PV_GUARDIAN_NO);
	assert_string_equal(s.participant, "sem");
	assert_string_equal(s.story, "Story text");
	pv_sidecar_free(&s);
}

static void no_headers_is_caption_then_story(void **state)
{
	(void)state;
	struct pv_sidecar s;
	char err[256];
	assert_int_equal(parse("\nMijn school: daar hoor ik bij.\nDe rest is het verhaal.\n",
			       &s, err), 0);
	/* "Mijn school:" is not a known key, so the file has no headers */
	assert_string_equal(s.caption, "Mijn school: daar hoor ik bij.");
	assert_string_equal(s.story, "De rest is het verhaal.");
	assert_null(s.title);
	assert_int_equal(s.consent, -1);
	pv_sidecar_free(&s);
}

static void unknown_line_after_headers_stays_in_story(void **state)
{
	(void)state;
	struct pv_sidecar s;
	char err[256];
	assert_int_equal(parse("Titel: Thuis\nDit is geen kop maar tekst.\nNog meer.", &s, err), 0);
	assert_string_equal(s.title, "Thuis");
	assert_string_equal(s.story, "Dit is geen kop maar tekst.\nNog meer.");
	pv_sidecar_free(&s);
}

static void text_is_stored_nfc(void **state)
{
	(void)state;
	struct pv_sidecar s;
	char err[256];
	/* "cliënt" with a combining diaeresis (NFD, as a Mac writes it) */
	assert_int_equal(parse("Onderschrift: clie\xCC\x88nt\n", &s, err), 0);
	assert_string_equal(s.caption, "cli\xC3\xABnt");
	pv_sidecar_free(&s);
}

static void bad_input_gives_a_sentence(void **state)
{
	(void)state;
	static const struct { const char *text; size_t len; const char *expect; } bad[] = {
		{ "Titel: caf\xE9\n", 0, "UTF-8" },
		{ "\xFF\xFET\0i\0", 6, "UTF-16" },
		{ "Toestemming: misschien\n", 0, "consent" },
		{ "Toestemming-ouder: wellicht\n", 0, "ja or nee" },
		{ "Toestemming-tot: 30-06-2027\n", 0, "YYYY-MM-DD" },
		{ "abc\0def", 7, "binary" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct pv_sidecar s;
		char err[256] = "";
		size_t len = bad[i].len ? bad[i].len : strlen(bad[i].text);
		assert_int_equal(pv_sidecar_parse(bad[i].text, len, &s, err, sizeof err), -1);
		assert_non_null(strstr(err, bad[i].expect));
		assert_int_equal(err[strlen(err) - 1], '.');   /* one whole sentence */
	}
}

static void empty_file_is_fine(void **state)
{
	(void)state;
	struct pv_sidecar s;
	char err[256];
	assert_int_equal(pv_sidecar_parse("", 0, &s, err, sizeof err), 0);
	assert_null(s.caption);
	assert_null(s.story);
	pv_sidecar_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dutch_headers_and_story),
		cmocka_unit_test(english_keys_crlf_and_bom),
		cmocka_unit_test(no_headers_is_caption_then_story),
		cmocka_unit_test(unknown_line_after_headers_stays_in_story),
		cmocka_unit_test(text_is_stored_nfc),
		cmocka_unit_test(bad_input_gives_a_sentence),
		cmocka_unit_test(empty_file_is_fine),
	};
	return cmocka_run_group_tests_name("sidecar", tests, NULL, NULL);
}
