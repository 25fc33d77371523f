/* The catalogue's work of issue 5 through the store API: tags across entries,
 * editing with history, participants and consent, erasure, the log, audit. */
#include "testutil.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include "photovoice/store.h"
#include "photovoice/util.h"

/* An entry with a stored photo (bytes = seed) and these words. */
static int64_t add(struct pv_test_archive *f, const char *seed, const char *participant,
		   enum pv_consent consent, const char *tag)
{
	struct pv_entry e = { .guardian = PV_GUARDIAN_UNKNOWN, .width = 1, .height = 1,
			      .consent = consent };
	char *tags[] = { (char *)tag, NULL };
	struct pv_err err = {0};
	assert_int_equal(pv_archive_put_media(f->a, seed, strlen(seed), e.sha256, &err), 0);
	e.title = (char *)seed;
	e.story = (char *)"Een verhaal.";
	e.participant = (char *)participant;
	e.credit = (char *)"Uit het bestand";
	e.tags = tags;
	e.ntags = tag ? 1 : 0;
	assert_int_equal(pv_store_add(f->a, &e, &err), 0);
	return e.id;
}

static struct pv_entry get(struct pv_test_archive *f, int64_t id)
{
	struct pv_entry e;
	struct pv_err err = {0};
	assert_int_equal(pv_store_get(f->a, id, &e, &err), 0);
	return e;
}

static void tags_are_counted_renamed_and_merged(void **state)
{
	struct pv_test_archive *f = *state;
	int64_t a = add(f, "a", NULL, PV_CONSENT_INTERNAL, "Buiten");
	int64_t b = add(f, "b", NULL, PV_CONSENT_INTERNAL, "buiten");
	struct pv_err err = {0};
	assert_int_equal(pv_store_tag_add(f->a, b, "park", &err), 0);
	struct pv_tag_counts c;
	assert_int_equal(pv_store_tag_counts(f->a, &c, &err), 0);
	assert_int_equal(c.count, 2);
	assert_string_equal(c.items[0].tag, "buiten");
	assert_int_equal(c.items[0].entries, 2);
	pv_tag_counts_free(&c);
	assert_int_equal(pv_store_tag_rename(f->a, "BUITEN", "Natuur", &err), 2);
	assert_int_equal(pv_store_tag_rename(f->a, "natuur", "park", &err), -1);
	assert_int_equal(err.kind, PV_ERR_CONFLICT);
	assert_non_null(strstr(err.msg, "merge"));
	assert_int_equal(pv_store_tag_rename(f->a, "nergens", "x", &err), -1);
	assert_int_equal(err.kind, PV_ERR_NOT_FOUND);
	assert_int_equal(pv_store_tag_merge(f->a, "park", "natuur", &err), 1);
	assert_int_equal(pv_store_tag_merge(f->a, "natuur", "NATUUR", &err), -1);
	assert_int_equal(err.kind, PV_ERR_CONFLICT);
	struct pv_entry e = get(f, b);
	assert_int_equal(e.ntags, 1);
	assert_string_equal(e.tags[0], "natuur");
	pv_entry_free(&e);
	e = get(f, a);
	assert_string_equal(e.tags[0], "natuur");
	pv_entry_free(&e);
	assert_int_equal(pv_store_tag_rename(f->a, "", "x", &err), -1);
	assert_int_equal(err.kind, PV_ERR_INPUT);
}

static void edits_keep_the_words_they_replace(void **state)
{
	struct pv_test_archive *f = *state;
	int64_t a = add(f, "a", NULL, PV_CONSENT_INTERNAL, NULL);
	struct pv_err err = {0};
	assert_int_equal(pv_store_edit(f->a, a, PV_FIELD_STORY, "Nieuw.", &err), 1);
	assert_int_equal(pv_store_edit(f->a, a, PV_FIELD_STORY, "Nieuw.", &err), 0);
	assert_int_equal(pv_store_edit(f->a, a, PV_FIELD_CAPTION, "Onderschrift", &err), 1);
	assert_int_equal(pv_store_edit(f->a, a, PV_FIELD_TITLE, NULL, &err), 1);
	assert_int_equal(pv_store_edit(f->a, a, PV_FIELD_TITLE, "caf\xe9", &err), -1);
	assert_int_equal(pv_store_edit(f->a, 99, PV_FIELD_TITLE, "x", &err), -1);
	assert_non_null(strstr(err.msg, "99"));
	struct pv_history h;
	assert_int_equal(pv_store_history(f->a, a, &h, &err), 0);
	assert_int_equal(h.count, 3);
	assert_string_equal(h.items[0].field, "story");
	assert_string_equal(h.items[0].old_text, "Een verhaal.");
	assert_null(h.items[1].old_text);     /* there was no caption */
	assert_string_equal(h.items[2].old_text, "a");
	pv_history_free(&h);
	struct pv_entry e = get(f, a);
	assert_null(e.title);
	assert_string_equal(e.story, "Nieuw.");
	pv_entry_free(&e);
}

static void a_chosen_credit_line_wins_and_under16_needs_a_guardian(void **state)
{
	struct pv_test_archive *f = *state;
	int64_t a = add(f, "a", "fenna", PV_CONSENT_POSTER, NULL);
	int64_t b = add(f, "b", "sem", PV_CONSENT_PUBLIC, NULL);
	struct pv_err err = {0};
	char today[11];
	pv_today_iso(today);
	assert_int_equal(pv_store_participant_set(f->a, "fenna", "Foto: Fenna, 15", 1, &err), 0);
	struct pv_entry e = get(f, a);
	assert_string_equal(e.credit, "Foto: Fenna, 15");
	assert_true(e.under16);
	assert_int_equal(pv_entry_consent_limit(&e, today), PV_LIMIT_GUARDIAN);
	assert_int_equal(pv_entry_effective_consent(&e, today), PV_CONSENT_INTERNAL);
	pv_entry_free(&e);
	e = get(f, b);
	assert_string_equal(e.credit, "Uit het bestand");   /* no record: the file's */
	pv_entry_free(&e);
	/* the rule, when consent is set */
	assert_int_equal(pv_store_set_consent(f->a, a, PV_CONSENT_POSTER, PV_GUARDIAN_KEEP,
					      NULL, &err), -1);
	assert_int_equal(err.kind, PV_ERR_NOT_ALLOWED);
	assert_non_null(strstr(err.msg, "guardian"));
	assert_int_equal(pv_store_set_consent(f->a, a, PV_CONSENT_POSTER, PV_GUARDIAN_YES,
					      "2999-01-01", &err), 0);
	e = get(f, a);
	assert_int_equal(pv_entry_effective_consent(&e, today), PV_CONSENT_POSTER);
	assert_string_equal(e.consent_until, "2999-01-01");
	pv_entry_free(&e);
	/* keep, clear and bad dates */
	assert_int_equal(pv_store_set_consent(f->a, a, PV_CONSENT_PUBLIC, PV_GUARDIAN_KEEP,
					      NULL, &err), 0);
	e = get(f, a);
	assert_int_equal(e.guardian, PV_GUARDIAN_YES);
	assert_string_equal(e.consent_until, "2999-01-01");
	pv_entry_free(&e);
	assert_int_equal(pv_store_set_consent(f->a, a, PV_CONSENT_PUBLIC, PV_GUARDIAN_KEEP,
					      "", &err), 0);
	e = get(f, a);
	assert_null(e.consent_until);
	pv_entry_free(&e);
	/* "none" (or "geen"), as people write it, is no end date too */
	static const char *const no_end[] = { "none", "Geen" };
	for (size_t i = 0; i < 2; i++) {
		assert_int_equal(pv_store_set_consent(f->a, a, PV_CONSENT_PUBLIC, PV_GUARDIAN_KEEP,
						      "2999-01-01", &err), 0);
		assert_int_equal(pv_store_set_consent(f->a, a, PV_CONSENT_PUBLIC, PV_GUARDIAN_KEEP,
						      no_end[i], &err), 0);
		e = get(f, a);
		assert_null(e.consent_until);
		pv_entry_free(&e);
	}
	assert_int_equal(pv_store_set_consent(f->a, a, PV_CONSENT_PUBLIC, PV_GUARDIAN_KEEP,
					      "nooit", &err), -1);
	assert_int_equal(err.kind, PV_ERR_INPUT);
	assert_non_null(strstr(err.msg, "none"));
	assert_int_equal(pv_store_set_consent(f->a, a, PV_CONSENT_PUBLIC, PV_GUARDIAN_KEEP,
					      "2023-02-29", &err), -1);
	assert_int_equal(err.kind, PV_ERR_INPUT);
	assert_int_equal(pv_store_set_consent(f->a, 99, PV_CONSENT_PUBLIC, PV_GUARDIAN_KEEP,
					      NULL, &err), -1);
	/* "" removes the chosen credit; the file's shows again */
	assert_int_equal(pv_store_participant_set(f->a, "fenna", "", -1, &err), 0);
	e = get(f, a);
	assert_string_equal(e.credit, "Uit het bestand");
	assert_true(e.under16);   /* kept */
	pv_entry_free(&e);
	assert_int_equal(pv_store_participant_set(f->a, "a/b", "x", -1, &err), -1);
	assert_int_equal(pv_store_participant_set(f->a, "", "x", -1, &err), -1);
}

static void participants_are_listed_with_counts(void **state)
{
	struct pv_test_archive *f = *state;
	add(f, "a", "fenna", PV_CONSENT_POSTER, NULL);
	add(f, "b", "fenna", PV_CONSENT_INTERNAL, NULL);
	add(f, "c", NULL, PV_CONSENT_PUBLIC, NULL);
	struct pv_err err = {0};
	assert_int_equal(pv_store_participant_set(f->a, "nog-niets", NULL, 0, &err), 0);
	struct pv_participants p;
	assert_int_equal(pv_store_participants(f->a, &p, &err), 0);
	assert_int_equal(p.count, 2);
	assert_string_equal(p.items[0].code, "fenna");
	assert_int_equal(p.items[0].entries, 2);
	assert_int_equal(p.items[0].poster_today, 1);
	assert_int_equal(p.items[0].under16, -1);
	assert_string_equal(p.items[1].code, "nog-niets");
	assert_int_equal(p.items[1].entries, 0);
	assert_int_equal(p.items[1].under16, 0);
	pv_participants_free(&p);
}

static void iso_dates_must_exist(void **state)
{
	(void)state;
	assert_true(pv_date_valid("2024-02-29"));
	assert_false(pv_date_valid("2023-02-29"));
	assert_false(pv_date_valid("2024-13-01"));
	assert_false(pv_date_valid("2024-1-01"));
	assert_false(pv_date_valid("01-01-2024"));
	assert_false(pv_date_valid("2024-01-01x"));
	assert_false(pv_date_valid(""));
	assert_false(pv_date_valid(NULL));
}

static int file_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

static void forget_erases_and_names_bundles(void **state)
{
	struct pv_test_archive *f = *state;
	int64_t a = add(f, "a", "noor", PV_CONSENT_POSTER, "klik");
	int64_t b = add(f, "b", "noor", PV_CONSENT_POSTER, NULL);
	int64_t c = add(f, "c", NULL, PV_CONSENT_POSTER, NULL);
	struct pv_err err = {0};
	struct pv_entry e = get(f, a);
	assert_int_equal(pv_archive_put_derived(f->a, e.sha256, "thumb", "t", 1, &err), 0);
	char *media = pv_archive_media_path(f->a, e.sha256);
	char *thumb = pv_archive_derived_path(f->a, e.sha256, "thumb");
	pv_entry_free(&e);
	int64_t first[] = { a, c }, second[] = { c };
	assert_int_equal(pv_store_record_bundle(f->a, "een.zip", "11", "poster", first, 2, &err), 0);
	assert_int_equal(pv_store_record_bundle(f->a, "twee.zip", "22", "poster", second, 1, &err), 0);
	assert_int_equal(pv_store_edit(f->a, a, PV_FIELD_STORY, "Anders.", &err), 1);

	struct pv_forget_report r;
	int64_t missing[] = { a, 404 };
	assert_int_equal(pv_store_forget(f->a, missing, 2, &r, &err), -1);
	assert_int_equal(err.kind, PV_ERR_NOT_FOUND);
	assert_non_null(strstr(err.msg, "404"));
	assert_true(file_exists(media));   /* nothing erased */

	int64_t ids[] = { a };
	assert_int_equal(pv_store_forget(f->a, ids, 1, &r, &err), 0);
	assert_int_equal(r.nerased, 1);
	assert_int_equal(r.files_removed, 2);
	assert_true(r.traces_cleared);
	assert_int_equal(r.nbundles, 1);
	assert_string_equal(r.bundles[0].file_name, "een.zip");
	pv_forget_report_free(&r);
	assert_false(file_exists(media));
	assert_false(file_exists(thumb));
	assert_int_equal(pv_store_get(f->a, a, &e, &err), -1);
	assert_int_equal(err.kind, PV_ERR_NOT_FOUND);
	struct pv_history h;
	assert_int_equal(pv_store_history(f->a, a, &h, &err), 0);
	assert_int_equal(h.count, 0);
	pv_history_free(&h);
	struct pv_search_hits hits;
	assert_int_equal(pv_store_search(f->a, "klik", &hits, &err), 0);
	assert_int_equal(hits.count, 0);
	pv_search_hits_free(&hits);

	/* a participant: the rest of their entries and their record */
	assert_int_equal(pv_store_participant_set(f->a, "noor", "Foto: Noor", 1, &err), 0);
	assert_int_equal(pv_store_forget_participant(f->a, "noor", &r, &err), 0);
	assert_int_equal(r.nerased, 1);
	assert_int_equal(r.erased[0], b);
	pv_forget_report_free(&r);
	struct pv_participants p;
	assert_int_equal(pv_store_participants(f->a, &p, &err), 0);
	assert_int_equal(p.count, 0);
	pv_participants_free(&p);
	assert_int_equal(pv_store_forget_participant(f->a, "noor", &r, &err), -1);
	assert_int_equal(err.kind, PV_ERR_NOT_FOUND);
	assert_int_equal(pv_store_get(f->a, c, &e, &err), 0);   /* untouched */
	pv_entry_free(&e);
	free(media);
	free(thumb);

	/* the log keeps only that they were erased */
	struct pv_log_events l;
	assert_int_equal(pv_store_log_read(f->a, &l, &err), 0);
	int erased = 0;
	for (size_t i = 0; i < l.count; i++) {
		if (strcmp(l.items[i].action, "erase") == 0)
			erased++;
		assert_null(strstr(l.items[i].detail ? l.items[i].detail : "", "noor"));
	}
	assert_int_equal(erased, 3);   /* two entries and one participant record */
	pv_log_events_free(&l);
}

static void a_reader_delays_but_does_not_keep_the_erased_words(void **state)
{
	struct pv_test_archive *f = *state;
	struct pv_entry e = { .guardian = PV_GUARDIAN_UNKNOWN, .width = 1, .height = 1 };
	struct pv_err err = {0};
	assert_int_equal(pv_archive_put_media(f->a, "z", 1, e.sha256, &err), 0);
	e.story = (char *)"Het Zwaluwstaartje vloog over.";
	assert_int_equal(pv_store_add(f->a, &e, &err), 0);
	char *db = pv_path_join(f->dir, "catalogue.db");
	char *wal = pv_path_join(f->dir, "catalogue.db-wal");
	assert_true(pv_test_file_holds(db, "Zwaluwstaartje") || pv_test_file_holds(wal, "Zwaluwstaartje"));
	sqlite3 *reader;
	assert_int_equal(sqlite3_open(db, &reader), SQLITE_OK);
	assert_int_equal(sqlite3_exec(reader, "BEGIN; SELECT count(*) FROM entries;", NULL,
				      NULL, NULL), SQLITE_OK);   /* holds a snapshot */
	struct pv_forget_report r;
	int64_t ids[] = { e.id };
	assert_int_equal(pv_store_forget(f->a, ids, 1, &r, &err), 0);
	assert_false(r.traces_cleared);   /* the journal waits for the reader */
	pv_forget_report_free(&r);
	sqlite3_exec(reader, "COMMIT;", NULL, NULL, NULL);
	sqlite3_close(reader);
	pv_archive_close(f->a);   /* the last connection empties the journal */
	f->a = NULL;
	assert_false(pv_test_file_holds(db, "Zwaluwstaartje"));
	assert_false(pv_test_file_holds(wal, "Zwaluwstaartje"));
	free(db);
	free(wal);
}

static void audit_finds_and_repairs_only_strays(void **state)
{
	struct pv_test_archive *f = *state;
	add(f, "a", NULL, PV_CONSENT_INTERNAL, NULL);   /* not a JPEG: fails the check */
	struct pv_err err = {0};
	struct pv_audit_report r;
	assert_int_equal(pv_store_audit(f->a, 0, &r, &err), 0);
	assert_int_equal(r.entries, 1);
	assert_int_equal(r.count, 1);
	assert_int_equal(r.items[0].kind, PV_AUDIT_UNCLEAN);
	pv_audit_report_free(&r);
	char *stray = pv_path_join(f->dir, "tmp/.half");
	FILE *fp = fopen(stray, "w");
	fputs("x", fp);
	fclose(fp);
	assert_int_equal(pv_store_audit(f->a, 1, &r, &err), 0);
	assert_int_equal(r.count, 2);
	assert_int_equal(r.items[1].kind, PV_AUDIT_LEFTOVER);
	assert_true(r.items[1].repaired);
	assert_false(r.items[0].repaired);   /* a catalogued file is never removed */
	pv_audit_report_free(&r);
	assert_false(file_exists(stray));
	free(stray);
	assert_string_equal(pv_audit_kind_name(PV_AUDIT_ORPHAN), "orphan");
}

static size_t count_kind(const struct pv_audit_report *r, enum pv_audit_kind k,
			 int repaired)
{
	size_t n = 0;
	for (size_t i = 0; i < r->count; i++)
		n += r->items[i].kind == k && r->items[i].repaired == repaired;
	return n;
}

/* Half-written entries as an interrupted or faulty write leaves them: a row
 * without its search text, a search row with old words, search words of an
 * entry that is gone, tags the store would refuse. audit finds each, repair
 * puts them right. (Failed before: audit said all is well.) */
static void audit_finds_half_written_entries(void **state)
{
	struct pv_test_archive *f = *state;
	int64_t a = add(f, "a", NULL, PV_CONSENT_INTERNAL, "klik");
	int64_t b = add(f, "b", NULL, PV_CONSENT_INTERNAL, "zon");
	int64_t c = add(f, "c", NULL, PV_CONSENT_INTERNAL, NULL);
	char sql[512];
	snprintf(sql, sizeof sql,
		 "DELETE FROM entries_fts WHERE rowid = %lld;"
		 "UPDATE entries_fts SET story = 'oude woorden' WHERE rowid = %lld;"
		 "INSERT INTO entries_fts (rowid, title) VALUES (9999, 'weg');"
		 "INSERT INTO tags (entry_id, tag) VALUES (%lld, 'klik' || char(9) || 'luisteren');"
		 "INSERT INTO tags (entry_id, tag) VALUES (%lld, 'Hoofdletter');",
		 (long long)a, (long long)b, (long long)c, (long long)c);
	pv_test_raw_sql(f->dir, sql);
	struct pv_err err = {0};
	struct pv_audit_report r;
	assert_int_equal(pv_store_audit(f->a, 0, &r, &err), 0);
	assert_int_equal(count_kind(&r, PV_AUDIT_INDEX, 0), 3);
	assert_int_equal(count_kind(&r, PV_AUDIT_TAG, 0), 2);
	assert_string_equal(pv_audit_kind_name(PV_AUDIT_INDEX), "index");
	pv_audit_report_free(&r);
	assert_int_equal(pv_store_audit(f->a, 1, &r, &err), 0);
	assert_int_equal(count_kind(&r, PV_AUDIT_INDEX, 1), 3);
	assert_int_equal(count_kind(&r, PV_AUDIT_TAG, 1), 2);
	pv_audit_report_free(&r);
	assert_int_equal(pv_store_audit(f->a, 0, &r, &err), 0);
	assert_int_equal(count_kind(&r, PV_AUDIT_INDEX, 0) + count_kind(&r, PV_AUDIT_TAG, 0), 0);
	pv_audit_report_free(&r);
	struct pv_entry e = get(f, c);
	assert_int_equal(e.ntags, 2);
	assert_string_equal(e.tags[0], "hoofdletter");
	assert_string_equal(e.tags[1], "klik luisteren");
	pv_entry_free(&e);
	struct pv_search_hits h;
	assert_int_equal(pv_store_search(f->a, "luisteren", &h, &err), 0);
	assert_int_equal(h.count, 1);
	assert_int_equal(h.items[0].id, c);
	pv_search_hits_free(&h);
	assert_int_equal(pv_store_search(f->a, "weg", &h, &err), 0);
	assert_int_equal(h.count, 0);
	pv_search_hits_free(&h);
}


/* The last line of the log, as "actor action detail". */
static void last_log_line(struct pv_test_archive *f, char *out, size_t n)
{
	struct pv_log_events l;
	struct pv_err err = {0};
	assert_int_equal(pv_store_log_read(f->a, &l, &err), 0);
	assert_true(l.count > 0);
	const struct pv_log_event *e = &l.items[l.count - 1];
	snprintf(out, n, "%s %s %s", e->actor ? e->actor : "-", e->action, e->detail);
	pv_log_events_free(&l);
}

/* Tagging and editing write their own line in the log, under the actor the
 * caller set (the web server's staff member), and nothing when refused. */
static void tag_and_edit_log_their_own_lines(void **state)
{
	struct pv_test_archive *f = *state;
	int64_t a = add(f, "actor-a", "noor", PV_CONSENT_POSTER, NULL);
	int64_t b = add(f, "actor-b", "noor", PV_CONSENT_POSTER, "oud");
	struct pv_err err = {0};
	char line[256], want[256];
	pv_archive_set_actor(f->a, "staf-fenna");
	int64_t ids[] = { a, b };
	char *changes[] = { (char *)"buiten", (char *)"-oud", (char *)"+Klik" };
	assert_int_equal(pv_store_tag_entries(f->a, ids, 2, changes, 3, &err), 0);
	last_log_line(f, line, sizeof line);
	snprintf(want, sizeof want, "staf-fenna tag entries %lld, %lld: 3 tags added or removed",
		 (long long)a, (long long)b);
	assert_string_equal(line, want);
	struct pv_entry e = get(f, b);
	assert_int_equal(e.ntags, 2);   /* buiten, klik; oud is gone */
	pv_entry_free(&e);

	char *bad[] = { (char *)"goed", (char *)"" };   /* an empty tag: refused */
	assert_int_equal(pv_store_tag_entries(f->a, ids, 2, bad, 2, &err), -1);
	assert_int_equal(err.kind, PV_ERR_INPUT);
	last_log_line(f, line, sizeof line);
	assert_string_equal(line, want);              /* no line, and no "goed" */
	e = get(f, a);
	assert_int_equal(e.ntags, 2);
	pv_entry_free(&e);

	struct pv_words_edit w = { .given = { 1, 0, 1 }, .text = { "Nieuwe titel", NULL, "  \n" } };
	char changed[64];
	int confirmed = -1;
	assert_int_equal(pv_store_edit_words(f->a, a, &w, changed, sizeof changed, &confirmed,
					     &err), 0);
	assert_string_equal(changed, "title, story");
	assert_int_equal(confirmed, 0);
	last_log_line(f, line, sizeof line);
	snprintf(want, sizeof want, "staf-fenna edit entry %lld: title, story", (long long)a);
	assert_string_equal(line, want);
	e = get(f, a);
	assert_string_equal(e.title, "Nieuwe titel");
	assert_null(e.story);                          /* a blank story clears it */
	pv_entry_free(&e);
	assert_int_equal(pv_store_edit_words(f->a, 9999, &w, changed, sizeof changed, &confirmed,
					     &err), -1);
	assert_int_equal(err.kind, PV_ERR_NOT_FOUND);
	last_log_line(f, line, sizeof line);
	assert_string_equal(line, want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		PV_ARCHIVE_TEST(tags_are_counted_renamed_and_merged),
		PV_ARCHIVE_TEST(edits_keep_the_words_they_replace),
		PV_ARCHIVE_TEST(a_chosen_credit_line_wins_and_under16_needs_a_guardian),
		PV_ARCHIVE_TEST(participants_are_listed_with_counts),
		cmocka_unit_test(iso_dates_must_exist),
		PV_ARCHIVE_TEST(forget_erases_and_names_bundles),
		PV_ARCHIVE_TEST(audit_finds_and_repairs_only_strays),
		PV_ARCHIVE_TEST(audit_finds_half_written_entries),
		PV_ARCHIVE_TEST(a_reader_delays_but_does_not_keep_the_erased_words),
		PV_ARCHIVE_TEST(tag_and_edit_log_their_own_lines),
	};
	return cmocka_run_group_tests_name("catalogue", tests, NULL, NULL);
}
