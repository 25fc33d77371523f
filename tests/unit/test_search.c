/* Full-text search: diacritics and case folded, prefixes, phrases, AND/OR/NOT,
 * tags searchable, ranking, snippets, and queries FTS5 cannot read. */
#include "testutil.h"

#include "photovoice/store.h"
#include "photovoice/util.h"

struct fixture {
	char *tmp;
	struct pv_archive *a;
	int64_t klik, school, thuis;
};

static int64_t add(struct pv_archive *a, const char *seed, const char *title,
		   const char *caption, const char *story, const char *tag)
{
	struct pv_entry e = { .guardian = PV_GUARDIAN_UNKNOWN, .width = 1, .height = 1 };
	char *tags[] = { (char *)tag, NULL };
	pv_sha256_hex(seed, strlen(seed), e.sha256);
	e.title = (char *)title;
	e.caption = (char *)caption;
	e.story = (char *)story;
	e.tags = tags;
	e.ntags = tag ? 1 : 0;
	struct pv_err err = {0};
	assert_int_equal(pv_store_add(a, &e, &err), 0);
	return e.id;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	f->tmp = pv_test_tmpdir();
	char *dir = pv_path_join(f->tmp, "archive");
	struct pv_err err = {0};
	if (pv_archive_init(dir, &err) != 0)
		return -1;
	f->a = pv_archive_open(dir, PV_OPEN_WRITE, &err);
	free(dir);
	f->klik = add(f->a, "1", "De klik", "Hier voelde ik me gehoord.",
		      "Mijn cliëntervaring: er werd eindelijk naar me geluisterd.", "Klik");
	f->school = add(f->a, "2", "School", "De weg naar school.",
			"Elke ochtend fiets ik langs het kanaal naar school.", "onderweg");
	f->thuis = add(f->a, "3", "Thuis", "Onze keuken.",
		       "Thuis luisteren we samen naar muziek, ook naar de klik van de radio.",
		       NULL);
	*state = f;
	return f->a ? 0 : -1;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	pv_archive_close(f->a);
	pv_test_rmtree(f->tmp);
	free(f);
	return 0;
}

/* The ids found for query, in rank order, as "1,3". */
static char *found(struct pv_archive *a, const char *query)
{
	struct pv_search_hits h;
	struct pv_err err = {0};
	static char out[256];
	out[0] = '\0';
	int r = pv_store_search(a, query, &h, &err);
	if (r != 0) {
		snprintf(out, sizeof out, "%s", r == -2 ? "syntax" : "error");
		return out;
	}
	for (size_t i = 0; i < h.count; i++)
		snprintf(out + strlen(out), sizeof out - strlen(out), "%s%lld", i ? "," : "",
			 (long long)h.items[i].id);
	pv_search_hits_free(&h);
	return out;
}

static int by_value(const void *x, const void *y)
{
	return *(const char *)x - *(const char *)y;
}

/* The same, in id order (single-digit ids), when rank order is not the point. */
static char *found_set(struct pv_archive *a, const char *query)
{
	char *s = found(a, query);
	char digits[16];
	size_t n = 0;
	for (char *p = s; *p && n < sizeof digits; p++)
		if (*p != ',')
			digits[n++] = *p;
	qsort(digits, n, 1, by_value);
	for (size_t i = 0; i < n; i++) {
		s[2 * i] = digits[i];
		s[2 * i + 1] = i + 1 < n ? ',' : '\0';
	}
	return s;
}

static void diacritics_and_case_are_folded(void **state)
{
	struct fixture *f = *state;
	assert_string_equal(found(f->a, "clientervaring"), "1");
	assert_string_equal(found(f->a, "CLIËNTERVARING"), "1");
	assert_string_equal(found(f->a, "KANAAL"), "2");
}

static void prefix_phrase_and_boolean_queries(void **state)
{
	struct fixture *f = *state;
	assert_string_equal(found(f->a, "luister*"), "3");   /* luisteren */
	assert_string_equal(found(f->a, "geluister*"), "1");
	assert_string_equal(found(f->a, "\"naar school\""), "2");
	assert_string_equal(found(f->a, "\"school naar\""), "");
	assert_string_equal(found(f->a, "naar AND muziek"), "3");
	assert_string_equal(found_set(f->a, "kanaal OR gehoord"), "1,2");
	assert_string_equal(found_set(f->a, "naar NOT school"), "1,3");
	assert_string_equal(found(f->a, "naar NOT (school OR muziek)"), "1");
	assert_string_equal(found(f->a, "onbekendwoord"), "");
}

static void title_ranks_above_story_and_tags_are_found(void **state)
{
	struct fixture *f = *state;
	/* "klik" is entry 1's title and tag, and only a word in entry 3's story */
	assert_string_equal(found(f->a, "klik"), "1,3");
	assert_string_equal(found(f->a, "onderweg"), "2");
}

static void tag_changes_reach_the_index(void **state)
{
	struct fixture *f = *state;
	struct pv_err err = {0};
	assert_int_equal(pv_store_tag_add(f->a, f->thuis, "Gezin", &err), 0);
	assert_string_equal(found(f->a, "gezin"), "3");
	assert_int_equal(pv_store_tag_remove(f->a, f->thuis, "gezin", &err), 0);
	assert_string_equal(found(f->a, "gezin"), "");
}

static void snippet_marks_the_match(void **state)
{
	struct fixture *f = *state;
	struct pv_search_hits h;
	struct pv_err err = {0};
	assert_int_equal(pv_store_search(f->a, "kanaal", &h, &err), 0);
	assert_int_equal(h.count, 1);
	assert_non_null(strstr(h.items[0].snippet, "[kanaal]"));
	assert_true(h.items[0].rank < 0);   /* bm25: lower is better */
	pv_search_hits_free(&h);
	struct pv_search_opts o = { .limit = 1 };
	struct pv_search_info info;
	assert_int_equal(pv_store_search_top(f->a, "naar", &o, &h, &info, &err), 0);
	assert_int_equal(h.count, 1);
	assert_int_equal(info.matches, 3);
	assert_false(info.more);
	pv_search_hits_free(&h);
	o.window = 2;   /* rank only the newest two matches: entries 2 and 3 */
	assert_int_equal(pv_store_search_top(f->a, "naar", &o, &h, &info, &err), 0);
	pv_search_hits_free(&h);
	assert_int_equal(info.matches, 2);
	assert_true(info.more);
	o.limit = 0;
	assert_int_equal(pv_store_search_top(f->a, "naar", &o, &h, &info, &err), 0);
	assert_int_equal(h.count, 2);
	assert_true(h.items[0].id != f->klik && h.items[1].id != f->klik);
	pv_search_hits_free(&h);
	assert_int_equal(pv_store_search_count(f->a, "naar", &err), 3);
}

/* Ranking keeps each entry's length per connection (rank.c): a change of
 * the words, committed by this connection or another, or not committed yet
 * inside a write transaction, must reach the order at once. A shorter text
 * with the word once ranks above a longer one. */
static void ranking_follows_every_change_of_length(void **state)
{
	struct fixture *f = *state;
	struct pv_err err = {0};
	const char *longer = "ruis en verder een heel lang verhaal over de dag, de stad, de "
			     "mensen, de bus, het weer, de school en alles wat er nog meer was";
	int64_t a = add(f->a, "4", "A", NULL, "ruis", NULL);
	int64_t b = add(f->a, "5", "B", NULL, longer, NULL);
	char a_b[32], b_a[32];
	snprintf(a_b, sizeof a_b, "%lld,%lld", (long long)a, (long long)b);
	snprintf(b_a, sizeof b_a, "%lld,%lld", (long long)b, (long long)a);
	char *dir = pv_path_join(f->tmp, "archive");
	struct pv_archive *reader = pv_archive_open(dir, PV_OPEN_READ, &err);
	free(dir);
	assert_non_null(reader);
	assert_string_equal(found(f->a, "ruis"), a_b);
	assert_string_equal(found(reader, "ruis"), a_b);   /* lengths kept on both */

	assert_int_equal(pv_store_edit(f->a, a, PV_FIELD_STORY, longer, &err), 1);
	assert_int_equal(pv_store_edit(f->a, b, PV_FIELD_STORY, "ruis", &err), 1);
	assert_string_equal(found(f->a, "ruis"), b_a);     /* its own change */
	assert_string_equal(found(reader, "ruis"), b_a);   /* another's change */
	assert_int_equal(pv_store_read_begin(reader, &err), 0);
	assert_string_equal(found(reader, "ruis"), b_a);   /* in one snapshot, twice */
	assert_string_equal(found(reader, "ruis"), b_a);
	pv_store_read_end(reader);

	assert_int_equal(pv_store_begin(f->a, &err), 0);
	assert_int_equal(pv_store_edit(f->a, a, PV_FIELD_STORY, "ruis", &err), 1);
	assert_int_equal(pv_store_edit(f->a, b, PV_FIELD_STORY, longer, &err), 1);
	assert_string_equal(found(f->a, "ruis"), a_b);   /* not committed yet */
	assert_string_equal(found(reader, "ruis"), b_a);   /* nor seen beside it */
	pv_store_rollback(f->a);
	assert_string_equal(found(f->a, "ruis"), b_a);
	assert_string_equal(found(reader, "ruis"), b_a);
	pv_archive_close(reader);
}

static void unreadable_queries_get_a_sentence(void **state)
{
	struct fixture *f = *state;
	const char *bad[] = { "de-klik", "\"open", "Foto: Fenna", "(klik", "AND", "klik NOT",
			      "", "   ", "*" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct pv_search_hits h;
		struct pv_err err = {0};
		int r = pv_store_search(f->a, bad[i], &h, &err);
		if (r != -1 || err.kind != PV_ERR_USAGE)
			fail_msg("query '%s' gave %d (kind %d), not -1 (usage)", bad[i], r, err.kind);
		assert_true(strlen(err.msg) > 10);
		assert_null(strstr(err.msg, "fts5"));
		assert_int_equal(pv_store_search_count(f->a, bad[i], &err), -1);
		assert_int_equal(err.kind, PV_ERR_USAGE);
	}
	/* quoted, it is the phrase "de klik" */
	assert_string_equal(found_set(f->a, "\"de-klik\""), "1,3");
}

/* The grid's pages (pv_store_browse): 60 a page, newest first, counted over
 * every page; filters by tag, participant and consent; a search ranked as
 * `photovoice search` ranks, kept to the filter (also to a filter that
 * nothing passes). */
static int64_t browse_total(struct pv_archive *a, const char *query, const char *tag,
			    const char *participant, int min_consent, size_t page,
			    size_t *count, int64_t *first)
{
	const char *tags[] = { tag };
	struct pv_browse b = { .query = query, .page = page,
			       .filter = { .tags = tags, .ntags = tag ? 1 : 0,
					   .participant = participant, .min_consent = min_consent,
					   .exact_consent = -1 } };
	struct pv_browse_page p;
	struct pv_err err = {0};
	if (pv_store_browse(a, &b, &p, &err) != 0)
		return err.kind == PV_ERR_USAGE ? -2 : -1;
	*count = p.entries.count;
	*first = p.entries.count ? p.entries.items[0].id : 0;
	int64_t total = p.total;
	pv_browse_page_free(&p);
	return total;
}

static void browse_pages_filters_and_searches(void **state)
{
	struct fixture *f = *state;
	int64_t last = 0;
	for (int i = 0; i < 130; i++) {
		struct pv_entry e = { .guardian = PV_GUARDIAN_UNKNOWN, .width = 1, .height = 1,
				      .consent = i % 3 == 0 ? PV_CONSENT_POSTER : PV_CONSENT_NONE };
		char seed[16], title[32], *tags[] = { "reeks", NULL };
		snprintf(seed, sizeof seed, "b%d", i);
		snprintf(title, sizeof title, "Foto %d", i);
		pv_sha256_hex(seed, strlen(seed), e.sha256);
		e.title = title;
		e.story = i % 5 == 0 ? "De vuurtoren aan zee." : "Een gewone dag.";
		e.tags = tags;
		e.ntags = i % 2 == 0;
		struct pv_err err = {0};
		assert_int_equal(pv_store_add(f->a, &e, &err), 0);
		last = e.id;
	}
	size_t count;
	int64_t first;
	assert_int_equal(browse_total(f->a, NULL, NULL, NULL, -1, 1, &count, &first), 133);
	assert_int_equal(count, 60);
	assert_int_equal(first, last);   /* newest first */
	assert_int_equal(browse_total(f->a, NULL, NULL, NULL, -1, 3, &count, &first), 133);
	assert_int_equal(count, 13);
	assert_int_equal(browse_total(f->a, NULL, NULL, NULL, -1, 4, &count, &first), 133);
	assert_int_equal(count, 0);
	assert_int_equal(browse_total(f->a, NULL, "REEKS", NULL, -1, 1, &count, &first), 65);
	assert_int_equal(browse_total(f->a, NULL, NULL, NULL, PV_CONSENT_POSTER, 1, &count,
				      &first), 44);
	assert_int_equal(browse_total(f->a, "vuurtoren", NULL, NULL, -1, 1, &count, &first), 26);
	assert_int_equal(browse_total(f->a, "vuurtoren", "reeks", NULL, -1, 1, &count, &first), 13);
	assert_int_equal(browse_total(f->a, "vuurtoren", NULL, NULL, PV_CONSENT_POSTER, 1, &count,
				      &first), 9);
	assert_int_equal(browse_total(f->a, "vuurtoren", NULL, "nobody", -1, 1, &count, &first), 0);
	assert_int_equal(count, 0);
	assert_int_equal(browse_total(f->a, "\"vuurtoren", NULL, NULL, -1, 1, &count, &first), -2);
	/* the search's order is search's own */
	struct pv_search_hits h;
	struct pv_err err = {0};
	assert_int_equal(pv_store_search(f->a, "klik", &h, &err), 0);
	assert_int_equal(browse_total(f->a, "klik", NULL, NULL, -1, 1, &count, &first),
			 (int64_t)h.count);
	assert_int_equal(first, h.items[0].id);
	pv_search_hits_free(&h);
}

/* The grid's cards (pv_browse.cards) are the same page in the same order as
 * whole entries, with the fields a card shows the same (and so the consent
 * that counts today), and nothing else read. */
static void assert_same_card(const struct pv_entry *card, const struct pv_entry *whole)
{
	assert_int_equal(card->id, whole->id);
	assert_string_equal(card->title ? card->title : "", whole->title ? whole->title : "");
	assert_string_equal(card->participant ? card->participant : "",
			    whole->participant ? whole->participant : "");
	assert_int_equal(card->consent, whole->consent);
	assert_int_equal(card->guardian, whole->guardian);
	assert_string_equal(card->consent_until ? card->consent_until : "",
			    whole->consent_until ? whole->consent_until : "");
	assert_int_equal(card->under16, whole->under16);
	assert_int_equal(pv_entry_effective_consent(card, "2026-12-03"),
			 pv_entry_effective_consent(whole, "2026-12-03"));
	assert_int_equal(pv_entry_has_unconfirmed_words(card),
			 pv_entry_has_unconfirmed_words(whole));
	/* a caption and a story are there or not, their text unread */
	assert_int_equal(card->story != NULL, whole->story != NULL);
	assert_int_equal(card->caption != NULL, whole->caption != NULL);
	assert_true(!card->story || !*card->story);
	assert_true(!card->caption || !*card->caption);
	assert_int_equal(card->ntags, 0);
	assert_string_equal(card->sha256, "");
}

static void compare_cards(struct pv_archive *a, const char *query, const char *participant)
{
	struct pv_browse b = { .query = query, .filter = { .participant = participant,
							   .min_consent = -1,
							   .exact_consent = -1 } };
	struct pv_browse_page whole, cards;
	struct pv_err err = {0};
	assert_int_equal(pv_store_browse(a, &b, &whole, &err), 0);
	b.cards = 1;
	assert_int_equal(pv_store_browse(a, &b, &cards, &err), 0);
	assert_true(whole.entries.count > 0);
	assert_int_equal(cards.entries.count, whole.entries.count);
	assert_int_equal(cards.total, whole.total);
	for (size_t i = 0; i < whole.entries.count; i++)
		assert_same_card(&cards.entries.items[i], &whole.entries.items[i]);
	assert_non_null(whole.entries.items[0].story);   /* the whole read has it */
	int unconfirmed = 0;
	for (size_t i = 0; i < whole.entries.count; i++)
		unconfirmed += pv_entry_has_unconfirmed_words(&whole.entries.items[i]);
	assert_true(unconfirmed > 0 && unconfirmed < (int)whole.entries.count);
	pv_browse_page_free(&whole);
	pv_browse_page_free(&cards);
}

static void browse_cards_are_the_whole_entries_shown(void **state)
{
	struct fixture *f = *state;
	struct pv_err err = {0};
	assert_int_equal(pv_store_participant_set(f->a, "jonge", "Foto: J.", 1, &err), 0);
	for (int i = 0; i < 70; i++) {
		struct pv_entry e = { .width = 4, .height = 3, .consent = (enum pv_consent)(i % 4),
				      .guardian = i % 3 == 0 ? PV_GUARDIAN_UNKNOWN : i % 3 == 1,
				      .participant = i % 2 ? "jonge" : "ouder",
				      .consent_until = i % 5 == 0 ? "2020-01-01" : NULL };
		char seed[16], title[32], *tags[] = { "reeks", NULL };
		snprintf(seed, sizeof seed, "c%d", i);
		snprintf(title, sizeof title, "Kaart %d", i);
		pv_sha256_hex(seed, strlen(seed), e.sha256);
		e.title = i % 7 ? title : NULL;
		e.story = "Een verhaal over de haven.";
		e.caption = i % 3 ? "Een onderschrift." : NULL;
		/* words read from inside the photo, not confirmed: some in the
		 * caption, some in a caption that is not there (which counts not) */
		e.words_from[PV_FIELD_CAPTION] = i % 4 == 1 ? PV_FROM_PHOTO : PV_FROM_PARTICIPANT;
		e.words_from[PV_FIELD_STORY] = i % 11 == 5 ? PV_FROM_PHOTO : PV_FROM_STAFF;
		e.tags = tags;
		e.ntags = 1;
		assert_int_equal(pv_store_add(f->a, &e, &err), 0);
	}
	compare_cards(f->a, NULL, NULL);          /* the plain page */
	compare_cards(f->a, "haven", NULL);       /* a search, ranked */
	compare_cards(f->a, "haven", "jonge");    /* a search, filtered */
	compare_cards(f->a, NULL, "jonge");       /* a filter alone */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(diacritics_and_case_are_folded, setup, teardown),
		cmocka_unit_test_setup_teardown(prefix_phrase_and_boolean_queries, setup, teardown),
		cmocka_unit_test_setup_teardown(title_ranks_above_story_and_tags_are_found, setup, teardown),
		cmocka_unit_test_setup_teardown(tag_changes_reach_the_index, setup, teardown),
		cmocka_unit_test_setup_teardown(snippet_marks_the_match, setup, teardown),
		cmocka_unit_test_setup_teardown(ranking_follows_every_change_of_length, setup,
						teardown),
		cmocka_unit_test_setup_teardown(unreadable_queries_get_a_sentence, setup, teardown),
		cmocka_unit_test_setup_teardown(browse_pages_filters_and_searches, setup, teardown),
		cmocka_unit_test_setup_teardown(browse_cards_are_the_whole_entries_shown, setup, teardown),
	};
	return cmocka_run_group_tests_name("search", tests, NULL, NULL);
}
