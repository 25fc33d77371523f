/* Sidecar parsing: Dutch and English keys, plain files, and bad text. */
#include "testutil.h"

#include "photovoice/ingest.h"
#include "photovoice/store.h"
#include "photovoice/util.h"

static int parse(const char *text, struct pv_sidecar *s, struct pv_err *err)
{
	return pv_sidecar_parse(text, strlen(text), s, err);
}

static void dutch_headers_and_story(void **state)
{
	(void)state;
	struct pv_sidecar s;
	struct pv_err err = {0};
	assert_int_equal(parse("Titel: De klik\n"
			       "Onderschrift: Hier voelde ik me voor het eerst gehoord.\n"
			       "Trefwoorden: Klik, luisteren ;  \n"
			       "Toestemming: poster\n"
			       "Toestemming-ouder: ja\n"
			       "Toestemming-tot: 2027-06-30\n"
			       "Naamsvermelding: Foto: Fenna, 15\n"
			       "\n"
			       "Het verhaal.\nTweede regel.\n\n", &s, &err), 0);
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

/* CR LF is one line end, also where nothing has been shortened before it */
static void crlf_is_one_line_end(void **state)
{
	(void)state;
	struct pv_sidecar s;
	struct pv_err err = {0};
	assert_int_equal(parse("Een\r\nTwee\rDrie\xE2\x80\xA8Vier\r\n\r\nVijf", &s, &err), 0);
	assert_string_equal(s.caption, "Een");
	assert_string_equal(s.story, "Twee\nDrie\nVier\n\nVijf");
	pv_sidecar_free(&s);
}

static void english_keys_crlf_and_bom(void **state)
{
	(void)state;
	struct pv_sidecar s;
	struct pv_err err = {0};
	assert_int_equal(parse("\xEF\xBB\xBFTitle: Home\r\nCaption: My room\r\n"
			       "Consent: public\r\nGuardian-Consent: no\r\nParticipant: sem\r\n"
			       "\r\nStory text\r\n", &s, &err), 0);
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
	struct pv_err err = {0};
	assert_int_equal(parse("\nMijn school: daar hoor ik bij.\nDe rest is het verhaal.\n",
			       &s, &err), 0);
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
	struct pv_err err = {0};
	assert_int_equal(parse("Titel: Thuis\nDit is geen kop maar tekst.\nNog meer.", &s, &err), 0);
	assert_string_equal(s.title, "Thuis");
	assert_string_equal(s.story, "Dit is geen kop maar tekst.\nNog meer.");
	pv_sidecar_free(&s);
}

static void text_is_stored_nfc(void **state)
{
	(void)state;
	struct pv_sidecar s;
	struct pv_err err = {0};
	/* "cliënt" with a combining diaeresis (NFD, as a Mac writes it) */
	assert_int_equal(parse("Onderschrift: clie\xCC\x88nt\n", &s, &err), 0);
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
		struct pv_err err = {0};
		size_t len = bad[i].len ? bad[i].len : strlen(bad[i].text);
		assert_int_equal(pv_sidecar_parse(bad[i].text, len, &s, &err), -1);
		assert_non_null(strstr(err.msg, bad[i].expect));
		assert_int_equal(err.msg[strlen(err.msg) - 1], '.');   /* one whole sentence */
	}
}

static void empty_file_is_fine(void **state)
{
	(void)state;
	struct pv_sidecar s;
	struct pv_err err = {0};
	assert_int_equal(pv_sidecar_parse("", 0, &s, &err), 0);
	assert_null(s.caption);
	assert_null(s.story);
	pv_sidecar_free(&s);
}


static int parse_json(const char *text, struct pv_sidecar *s, struct pv_err *err)
{
	return pv_sidecar_parse_json(text, strlen(text), s, err);
}

static void json_dutch_keys_and_tag_list(void **state)
{
	(void)state;
	struct pv_sidecar s;
	struct pv_err err = {0};
	assert_int_equal(parse_json("{\"titel\": \"De klik\", \"onderschrift\": \"Gehoord.\","
				    " \"trefwoorden\": [\"Klik\", \"luisteren\", \"klik\"],"
				    " \"toestemming\": \"poster\", \"toestemming-ouder\": \"ja\","
				    " \"Toestemming-tot\": \"2027-06-30\", \"deelnemer\": \"noor\","
				    " \"naamsvermelding\": \"Foto: Noor\","
				    " \"verhaal\": \"Regel een.\\nRegel twee.\"}", &s, &err), 0);
	assert_string_equal(s.title, "De klik");
	assert_string_equal(s.caption, "Gehoord.");
	assert_int_equal(s.ntags, 2);   /* "Klik" and "klik" are one tag */
	assert_string_equal(s.tags[0], "klik");
	assert_string_equal(s.tags[1], "luisteren");
	assert_int_equal(s.consent, PV_CONSENT_POSTER);
	assert_int_equal(s.guardian, PV_GUARDIAN_YES);
	assert_string_equal(s.consent_until, "2027-06-30");
	assert_string_equal(s.participant, "noor");
	assert_string_equal(s.credit, "Foto: Noor");
	assert_string_equal(s.story, "Regel een.\nRegel twee.");
	pv_sidecar_free(&s);
}

static void json_english_keys_comma_tags_and_booleans(void **state)
{
	(void)state;
	struct pv_sidecar s;
	struct pv_err err = {0};
	assert_int_equal(parse_json("\xEF\xBB\xBF{\"Title\": \"Home\", \"Tags\": \"klik, luisteren\","
				    " \"Guardian-Consent\": false, \"Consent\": \"public\","
				    " \"Credit\": null}", &s, &err), 0);
	assert_string_equal(s.title, "Home");
	assert_int_equal(s.ntags, 2);
	assert_string_equal(s.tags[1], "luisteren");
	assert_int_equal(s.guardian, PV_GUARDIAN_NO);
	assert_int_equal(s.consent, PV_CONSENT_PUBLIC);
	assert_null(s.credit);   /* null: not given */
	pv_sidecar_free(&s);
}

static void json_text_is_stored_nfc(void **state)
{
	(void)state;
	struct pv_sidecar s;
	struct pv_err err = {0};
	/* NFD both as raw bytes and as a \u escape */
	assert_int_equal(parse_json("{\"caption\": \"clie\xCC\x88nt\", \"title\": \"clie\\u0308nt\"}",
				    &s, &err), 0);
	assert_string_equal(s.caption, "cli\xC3\xABnt");
	assert_string_equal(s.title, "cli\xC3\xABnt");
	pv_sidecar_free(&s);
}

static void json_empty_file_gives_nothing(void **state)
{
	(void)state;
	struct pv_sidecar s;
	struct pv_err err = {0};
	assert_int_equal(parse_json(" \n", &s, &err), 0);
	assert_null(s.caption);
	assert_int_equal(s.consent, -1);
	pv_sidecar_free(&s);
	assert_int_equal(parse_json("{}", &s, &err), 0);
	assert_int_equal(s.ntags, 0);
	pv_sidecar_free(&s);
}

/* Each bad JSON file: -1, one sentence containing `expect`, and never a
 * word of the file's own text (`secret`). */
static void json_bad_input_gives_a_sentence(void **state)
{
	(void)state;
	static const struct { const char *text; size_t len; const char *expect; } bad[] = {
		{ "{\"titel\": \"geheim\"", 0, "not valid JSON" },
		{ "{\"titel\": geheim}", 0, "not valid JSON" },
		{ "[\"geheim\"]", 0, "not one object" },
		{ "\"geheim\"", 0, "not valid JSON" },
		{ "{\"titel\": 12}", 0, "title as something other than text" },
		{ "{\"onderschrift\": {\"geheim\": 1}}", 0, "caption as something other" },
		{ "{\"trefwoorden\": [\"klik\", 3]}", 0, "tags as something other" },
		{ "{\"trefwoorden\": 3}", 0, "tags as something other" },
		{ "{\"toestemming-ouder\": 1}", 0, "guardian" },
		{ "{\"toestemming\": true}", 0, "consent as something other" },
		{ "{\"toestemming\": \"misschien\"}", 0, "consent that photovoice" },
		{ "{\"toestemming-tot\": \"morgen\"}", 0, "YYYY-MM-DD" },
		{ "{\"beschrijving\": \"geheim\"}", 0, "(\"beschrijving\")" },
		{ "{\"titel\": \"a\", \"titel\": \"geheim\"}", 0, "the same field twice" },
		{ "{\"titel\": \"a\", \"title\": \"geheim\"}", 0, "the title twice" },
		{ "{\"titel\": \"a\\u0000geheim\"}", 0, "not valid JSON" },
		{ "{\"titel\": \"caf\xE9 geheim\"}", 0, "UTF-8" },
		{ "\xFF\xFE{\0\"\0}\0", 8, "UTF-16" },
		{ "{\0\"\0t\0\"\0:\0", 10, "UTF-16" },
		{ "{\"titel\": \"\xF0\x9F\"}", 0, "UTF-8" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct pv_sidecar s;
		struct pv_err err = {0};
		size_t len = bad[i].len ? bad[i].len : strlen(bad[i].text);
		int r = pv_sidecar_parse_json(bad[i].text, len, &s, &err);
		if (r != -1 || !strstr(err.msg, bad[i].expect) || strstr(err.msg, "geheim"))
			fail_msg("case %zu: r=%d err=\"%s\"", i, r, err);
		assert_int_equal(err.msg[strlen(err.msg) - 1], '.');
		assert_null(s.title);   /* nothing half-filled is handed back */
	}
}

static void json_unknown_key_that_is_not_showable_is_not_quoted(void **state)
{
	(void)state;
	struct pv_sidecar s;
	struct pv_err err = {0};
	assert_int_equal(parse_json("{\"een hele lange sleutel die niemand zou mogen zien hier\": 1}",
				    &s, &err), -1);
	assert_non_null(strstr(err.msg, "does not know"));
	assert_null(strstr(err.msg, "sleutel"));
	assert_int_equal(parse_json("{\"a\\nb\": 1}", &s, &err), -1);
	assert_null(strchr(err.msg, '\n'));
}

static void json_huge_and_deep(void **state)
{
	(void)state;
	struct pv_sidecar s;
	struct pv_err err = {0};
	/* nesting far deeper than any caption: refused with a sentence */
	size_t depth = 100000;
	char *deep = malloc(2 * depth + 16);
	size_t o = 0;
	o += (size_t)sprintf(deep, "{\"titel\": ");
	for (size_t i = 0; i < depth; i++)
		deep[o++] = '[';
	for (size_t i = 0; i < depth; i++)
		deep[o++] = ']';
	deep[o++] = '}';
	assert_int_equal(pv_sidecar_parse_json(deep, o, &s, &err), -1);
	assert_non_null(strstr(err.msg, "JSON"));
	free(deep);
	/* a story of almost a megabyte is taken whole */
	size_t n = 1000 * 1000;
	char *big = malloc(n + 64);
	o = (size_t)sprintf(big, "{\"verhaal\": \"");
	for (size_t i = 0; i < n; i++)
		big[o++] = (char)('a' + i % 26);
	o += (size_t)sprintf(big + o, "\"}");
	assert_int_equal(pv_sidecar_parse_json(big, o, &s, &err), 0);
	assert_int_equal(strlen(s.story), n);
	pv_sidecar_free(&s);
	free(big);
}

static void text_field_given_twice_is_refused(void **state)
{
	(void)state;
	struct pv_sidecar s;
	struct pv_err err = {0};
	assert_int_equal(parse("Titel: Een\nTitle: Twee\n", &s, &err), -1);
	assert_non_null(strstr(err.msg, "the title twice"));
	/* tags may repeat: they add up */
	assert_int_equal(parse("Trefwoorden: a\nTags: b, a\n", &s, &err), 0);
	assert_int_equal(s.ntags, 2);
	pv_sidecar_free(&s);
}

static void utf16_without_byte_order_mark(void **state)
{
	(void)state;
	struct pv_sidecar s;
	struct pv_err err = {0};
	assert_int_equal(pv_sidecar_parse("T\0i\0t\0e\0l\0", 10, &s, &err), -1);
	assert_non_null(strstr(err.msg, "UTF-16"));
	assert_int_equal(pv_sidecar_parse("\0T\0i\0t\0e\0l", 10, &s, &err), -1);
	assert_non_null(strstr(err.msg, "UTF-16"));
}

static void project_name_becomes_a_folded_tag(void **state)
{
	(void)state;
	struct pv_sidecar s;
	struct pv_err err = {0};
	const char *t = "Project:  Zomerkamp  2025, Noord \nTrefwoorden: kamp\n"
			"Toestemming: poster\n";
	assert_int_equal(pv_project_parse(t, strlen(t), 0, NULL, &s, &err), 0);
	assert_string_equal(s.project, "Zomerkamp  2025, Noord");
	assert_int_equal(s.ntags, 2);
	assert_string_equal(s.tags[0], "kamp");
	assert_string_equal(s.tags[1], "zomerkamp-2025-noord");
	assert_int_equal(s.consent, PV_CONSENT_POSTER);
	pv_sidecar_free(&s);
	const char *j = "{\"projectnaam\": \"Cli\xC3\xABntfeedback\", \"tags\": []}";
	assert_int_equal(pv_project_parse(j, strlen(j), 1, "p/_project.json", &s, &err), 0);
	assert_int_equal(s.ntags, 1);
	assert_string_equal(s.tags[0], "cli\xC3\xABntfeedback");
	pv_sidecar_free(&s);
}

static void project_file_refuses_per_photo_words(void **state)
{
	(void)state;
	static const struct { const char *text; int json; const char *expect; } bad[] = {
		{ "Titel: Voor iedereen\n", 0, "the title" },
		{ "Toestemming: poster\n\nEen verhaal voor alle foto's.\n", 0, "the story" },
		{ "Zomaar een regel\n", 0, "the caption" },
		{ "{\"onderschrift\": \"x\"}", 1, "the caption" },
		{ "{\"toestemming\": \"later\"}", 1, "consent" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct pv_sidecar s;
		struct pv_err err = {0};
		assert_int_equal(pv_project_parse(bad[i].text, strlen(bad[i].text), bad[i].json,
						  "kamp/_project.txt", &s, &err), -1);
		if (!strstr(err.msg, bad[i].expect) ||
		    strncmp(err.msg, "The project file kamp/_project.txt ", 35) != 0)
			fail_msg("case %zu: err=\"%s\"", i, err);
	}
}

/* The dates and yes/no words a caption file takes are exactly those the
 * command line takes (pv_date_valid, pv_yes_no_parse), in text and JSON. */
static const char *const bad_dates[] = {
	"2026-02-29", "2026-02-31", "2026-04-31", "2026-06-31", "2026-13-01",
	"2026-00-10", "2026-01-00", "2026-1-5", "2026-01-5", "26-01-05",
	"2026/01/05", "05-01-2026", "2026-01-05x", "2026-01-05 12:00", "morgen",
	"0000-01-01",
};
static const char *const good_dates[] = {
	"2024-02-29", "2000-02-29", "2026-01-05", "2026-12-31", "2026-04-30",
};

static int parse_value(const char *key, const char *value, int json, struct pv_sidecar *s,
		       struct pv_err *err)
{
	char text[256];
	if (json)
		snprintf(text, sizeof text, "{\"%s\": \"%s\"}", key, value);
	else
		snprintf(text, sizeof text, "%s: %s\n\nVerhaal.\n", key, value);
	return json ? pv_sidecar_parse_json(text, strlen(text), s, err)
		    : parse(text, s, err);
}

static void dates_are_real_calendar_days(void **state)
{
	(void)state;
	for (int json = 0; json <= 1; json++) {
		for (size_t i = 0; i < sizeof bad_dates / sizeof *bad_dates; i++) {
			struct pv_sidecar s;
			struct pv_err err = {0};
			if (parse_value("Toestemming-tot", bad_dates[i], json, &s, &err) != -1)
				fail_msg("%s (json %d) was taken as a date", bad_dates[i], json);
			assert_false(pv_date_valid(bad_dates[i]));
			assert_non_null(strstr(err.msg, "YYYY-MM-DD"));
		}
		for (size_t i = 0; i < sizeof good_dates / sizeof *good_dates; i++) {
			struct pv_sidecar s;
			struct pv_err err = {0};
			if (parse_value("Consent-Until", good_dates[i], json, &s, &err) != 0)
				fail_msg("%s (json %d) was refused: %s", good_dates[i], json, err);
			assert_string_equal(s.consent_until, good_dates[i]);
			assert_true(pv_date_valid(good_dates[i]));
			pv_sidecar_free(&s);
		}
	}
	/* spaces around a header's value are the format's, not the date's */
	struct pv_sidecar s;
	struct pv_err err = {0};
	assert_int_equal(parse("Toestemming-tot:   2026-01-05 \t\n", &s, &err), 0);
	assert_string_equal(s.consent_until, "2026-01-05");
	pv_sidecar_free(&s);
	assert_false(pv_date_valid(" 2026-01-05"));
}

static void guardian_words_are_the_command_lines(void **state)
{
	(void)state;
	static const char *const words[] = { "ja", "JA", "yes", "j", "Y", "true", "1",
					     "nee", "No", "n", "false", "0" };
	for (int json = 0; json <= 1; json++) {
		for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
			struct pv_sidecar s;
			struct pv_err err = {0};
			int want = pv_yes_no_parse(words[i]);
			assert_true(want == 0 || want == 1);
			if (parse_value("Toestemming-ouder", words[i], json, &s, &err) != 0)
				fail_msg("%s (json %d) was refused: %s", words[i], json, err);
			assert_int_equal(s.guardian, want ? PV_GUARDIAN_YES : PV_GUARDIAN_NO);
			pv_sidecar_free(&s);
		}
		static const char *const neither[] = { "misschien", "jaa", "2", "ok" };
		for (size_t i = 0; i < sizeof neither / sizeof *neither; i++) {
			struct pv_sidecar s;
			struct pv_err err = {0};
			assert_int_equal(pv_yes_no_parse(neither[i]), -1);
			assert_int_equal(parse_value("Guardian-Consent", neither[i], json, &s, &err), -1);
		}
	}
}

/* ---- the consent matrix: "Toestemming: geen" as people write it ---------- */

enum outcome { READ, REFUSED };

static const struct {
	const char *text;
	enum outcome want;
} matrix[] = {
	{ "Titel: Gewoon\nToestemming: geen\n\nVerhaal.\n", READ },
	{ "\xEF\xBB\xBF\nTitel: Bom\nToestemming: geen\n", READ },
	{ "\n\n\nToestemming: geen\nTitel: Leeg\n", READ },
	{ "  Titel: Spaties\n  Toestemming: geen\n", READ },
	{ "\tToestemming: geen\n\tTitel: Tab\n", READ },
	{ "Titel: Mac\rToestemming: geen\r\rVerhaal.\r", READ },
	{ "Titel: Gemengd\r\nOnderschrift: x\rToestemming: geen\n\r\nVerhaal.", READ },
	{ "**Titel:** Vet\n**Toestemming:** geen\n", READ },
	{ "**Toestemming**: geen\n", READ },
	{ "# Mijn kamer\n\nToestemming: geen\n\nHier slaap ik.\n", READ },
	{ "- Titel: Lijst\n- Toestemming: geen\n", READ },
	{ "* Toestemming: geen\n", READ },
	{ "__Toestemming:__ _geen_\n", READ },
	{ "Toestemming: **geen**\n", READ },
	{ "> Toestemming: geen\n", READ },
	{ "## Toestemming: geen\n", READ },
	{ "Toestemming:\xC2\xA0geen\n", READ },
	{ "Toestemming\xC2\xA0: geen\xC2\xA0\n", READ },
	{ "Toestemming\xEF\xBC\x9A geen\n", READ },
	{ "TOESTEMMING: GEEN\n", READ },
	{ "Toestemming : geen\n", READ },
	{ "Titel: Tussen\n\nToestemming: geen\n\nVerhaal.\n", READ },
	{ "---\ntitel: Voorwerk\ntoestemming: geen\n---\nVerhaal.\n", READ },
	{ "Consent: none\n", READ },
	/* Unicode line ends: LINE SEPARATOR, PARAGRAPH SEPARATOR, NEL */
	{ "Titel: Regel\xE2\x80\xA8Toestemming: geen\n", READ },
	{ "Titel: Alinea\xE2\x80\xA9\xE2\x80\xA9Toestemming: geen\n", READ },
	{ "Titel: Nel\xC2\x85Toestemming: geen\n", READ },
	{ "Toestemming ouder: nee\nToestemming: geen\n", READ },
	{ "Onderwerp: school\nToestemming: geen\n", REFUSED },
	{ "Titel: Tikfout\nToestemmimg: geen\n", REFUSED },
	{ "Toestemmimg: geen\n\nMijn verhaal.\n", REFUSED },
	{ "Toestming: geen\n", REFUSED },
	{ "Consnet: none\n", REFUSED },
	{ "Een mooie dag\nToestemming: geen\n", REFUSED },
	{ "Titel: Laat\n\nHet verhaal.\n\nToestemming: geen\n", REFUSED },
	{ "Titel: Zonder\nToestemming geen\n", REFUSED },
	{ "Toestemming = geen\n", REFUSED },
	{ "Toestemming: geen.\n", REFUSED },
	{ "---\nonderwerp: school\ntoestemming: geen\n---\n", REFUSED },
};

static void consent_matrix_is_none_or_refused(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof matrix / sizeof *matrix; i++) {
		struct pv_sidecar s;
		struct pv_err err = {0};
		int r = pv_sidecar_parse(matrix[i].text, strlen(matrix[i].text), &s, &err);
		if (matrix[i].want == READ && (r != 0 || s.consent != PV_CONSENT_NONE))
			fail_msg("row %zu: r=%d consent=%d err=%s", i, r, r == 0 ? s.consent : -9, err);
		if (matrix[i].want == REFUSED && r != -1)
			fail_msg("row %zu was read (consent %d, caption %s, story %s)", i, s.consent,
				 s.caption ? s.caption : "-", s.story ? s.story : "-");
		if (r == 0)
			pv_sidecar_free(&s);
	}
}

static void refusals_name_the_key_and_what_it_probably_means(void **state)
{
	(void)state;
	struct pv_sidecar s;
	struct pv_err err = {0};
	assert_int_equal(parse("Titel: X\nToestemmimg: geen\n", &s, &err), -1);
	assert_non_null(strstr(err.msg, "\"Toestemmimg\" (line 2)"));
	assert_non_null(strstr(err.msg, "\"Toestemming\""));
	assert_null(strstr(err.msg, "geen"));    /* the words are never quoted */
	assert_int_equal(parse("Onderwerp: school\nToestemming: geen\n", &s, &err), -1);
	assert_non_null(strstr(err.msg, "\"Onderwerp\" (line 1)"));
	assert_null(strstr(err.msg, "school"));
	assert_int_equal(parse("Titel: X\nTrefwoord: klik\n", &s, &err), -1);
	assert_non_null(strstr(err.msg, "\"Trefwoorden\""));
	assert_int_equal(parse("Mooi\n\nToestemming-tot: 2027-01-01\n", &s, &err), -1);
	assert_non_null(strstr(err.msg, "\"Toestemming-tot\" line (line 3)"));
}

static void plain_captions_that_look_a_little_like_headers(void **state)
{
	(void)state;
	static const char *const plain[] = {
		"Mijn moeder zei: kom thuis\nEn ik ging.\n",
		"Om 10:30 gingen we naar huis.\n",
		"Kijk: https://example.org/foto\n",
		"Moeder zei: kom thuis\n",
		"Let op: dit is mijn kamer.\n",
		"Tas: mijn rugzak, altijd mee.\n",
		"Thuis.\n\nMijn moeder zei: kom thuis.\nWaarom: daarom.\n",
		"# Mijn kamer\n\nHier slaap ik.\n",
	};
	for (size_t i = 0; i < sizeof plain / sizeof *plain; i++) {
		struct pv_sidecar s;
		struct pv_err err = {0};
		if (parse(plain[i], &s, &err) != 0)
			fail_msg("row %zu was refused: %s", i, err);
		assert_non_null(s.caption);
		assert_int_equal(s.consent, -1);
		pv_sidecar_free(&s);
	}
	struct pv_sidecar s;
	struct pv_err err = {0};
	assert_int_equal(parse(plain[0], &s, &err), 0);
	assert_string_equal(s.caption, "Mijn moeder zei: kom thuis");
	assert_string_equal(s.story, "En ik ging.");
	pv_sidecar_free(&s);
	assert_int_equal(parse(plain[7], &s, &err), 0);
	assert_string_equal(s.title, "Mijn kamer");
	assert_string_equal(s.caption, "Hier slaap ik.");
	pv_sidecar_free(&s);
}

static void json_consent_matrix(void **state)
{
	(void)state;
	static const struct { const char *text; enum outcome want; } rows[] = {
		{ "{\"toestemming\": \"geen\"}", READ },
		{ "{\"Toestemming\": \"Geen\"}", READ },
		{ "\xEF\xBB\xBF{\"TOESTEMMING\": \" geen \"}", READ },
		{ "{\"consent\": \"none\", \"titel\": \"x\"}", READ },
		{ "{\"toestemming ouder\": \"nee\", \"toestemming\": \"geen\"}", READ },
		{ "{\"toestemmimg\": \"geen\"}", REFUSED },
		{ "{\"onderwerp\": \"school\", \"toestemming\": \"geen\"}", REFUSED },
		{ "{\"toestemming\": \"geen\", \"consent\": \"poster\"}", REFUSED },
		{ "{\"Toestemming\": \"geen\", \"toestemming\": \"poster\"}", REFUSED },
		{ "{\"toestemming\": [\"geen\"]}", REFUSED },
		{ "{\"toestemming\": false}", REFUSED },
		{ "{\"toestemming\": \"geen.\"}", REFUSED },
		{ "Toestemming: geen\n", REFUSED },
	};
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
		struct pv_sidecar s;
		struct pv_err err = {0};
		int r = pv_sidecar_parse_json(rows[i].text, strlen(rows[i].text), &s, &err);
		if (rows[i].want == READ && (r != 0 || s.consent != PV_CONSENT_NONE))
			fail_msg("row %zu: r=%d err=%s", i, r, err);
		if (rows[i].want == REFUSED && r != -1)
			fail_msg("row %zu was read (consent %d)", i, s.consent);
		if (r == 0)
			pv_sidecar_free(&s);
	}
	struct pv_sidecar s;
	struct pv_err err = {0};
	assert_int_equal(pv_sidecar_parse_json(rows[5].text, strlen(rows[5].text), &s, &err), -1);
	assert_non_null(strstr(err.msg, "\"toestemmimg\""));
	assert_non_null(strstr(err.msg, "\"toestemming\""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dutch_headers_and_story),
		cmocka_unit_test(english_keys_crlf_and_bom),
		cmocka_unit_test(crlf_is_one_line_end),
		cmocka_unit_test(no_headers_is_caption_then_story),
		cmocka_unit_test(unknown_line_after_headers_stays_in_story),
		cmocka_unit_test(text_is_stored_nfc),
		cmocka_unit_test(bad_input_gives_a_sentence),
		cmocka_unit_test(empty_file_is_fine),
		cmocka_unit_test(json_dutch_keys_and_tag_list),
		cmocka_unit_test(json_english_keys_comma_tags_and_booleans),
		cmocka_unit_test(json_text_is_stored_nfc),
		cmocka_unit_test(json_empty_file_gives_nothing),
		cmocka_unit_test(json_bad_input_gives_a_sentence),
		cmocka_unit_test(json_unknown_key_that_is_not_showable_is_not_quoted),
		cmocka_unit_test(json_huge_and_deep),
		cmocka_unit_test(text_field_given_twice_is_refused),
		cmocka_unit_test(utf16_without_byte_order_mark),
		cmocka_unit_test(project_name_becomes_a_folded_tag),
		cmocka_unit_test(project_file_refuses_per_photo_words),
		cmocka_unit_test(dates_are_real_calendar_days),
		cmocka_unit_test(guardian_words_are_the_command_lines),
		cmocka_unit_test(consent_matrix_is_none_or_refused),
		cmocka_unit_test(refusals_name_the_key_and_what_it_probably_means),
		cmocka_unit_test(plain_captions_that_look_a_little_like_headers),
		cmocka_unit_test(json_consent_matrix),
	};
	return cmocka_run_group_tests_name("sidecar", tests, NULL, NULL);
}
