/* The archive and its catalogue: init, lock, entries, tags, filters, consent. */
#include "testutil.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include "photovoice/store.h"
#include "photovoice/util.h"

static int64_t add(struct pv_archive *a, const char *sha_seed, const char *title,
		   enum pv_consent consent, const char *until, const char **tags)
{
	struct pv_entry e = { 0 };
	char *tag_copies[8] = { 0 };
	pv_sha256_hex(sha_seed, strlen(sha_seed), e.sha256);
	e.title = (char *)title;
	e.consent = consent;
	e.consent_until = (char *)until;
	e.guardian = PV_GUARDIAN_UNKNOWN;
	e.width = 1600;
	e.height = 1200;
	for (size_t i = 0; tags && tags[i]; i++)
		tag_copies[e.ntags++] = (char *)tags[i];
	e.tags = tag_copies;
	struct pv_err err = {0};
	assert_int_equal(pv_store_add(a, &e, &err), 0);
	return e.id;
}

static void init_makes_a_private_archive(void **state)
{
	struct pv_test_archive *f = *state;
	struct stat st;
	assert_int_equal(stat(f->dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	char *db = pv_path_join(f->dir, "catalogue.db");
	assert_int_equal(stat(db, &st), 0);
	assert_int_equal(st.st_mode & 077, 0);
	free(db);
	char *q = pv_path_join(f->dir, "drop/.quarantine");
	assert_int_equal(stat(q, &st), 0);
	free(q);
	assert_int_equal(pv_store_schema_version(f->a), PV_SCHEMA_VERSION);
	/* init again is harmless, even with the archive open */
	struct pv_err err = {0};
	pv_archive_close(f->a);
	assert_int_equal(pv_archive_init(f->dir, &err), 0);
	f->a = pv_archive_open(f->dir, PV_OPEN_WRITE, &err);
	assert_non_null(f->a);
}

static void second_writer_is_refused_with_a_sentence(void **state)
{
	struct pv_test_archive *f = *state;
	struct pv_err err = {0};
	struct pv_archive *b = pv_archive_open(f->dir, PV_OPEN_WRITE_NOWAIT, &err);
	assert_null(b);
	assert_non_null(strstr(err.msg, "Another photovoice command"));
	struct pv_archive *r = pv_archive_open(f->dir, PV_OPEN_READ, &err);
	assert_non_null(r);   /* readers are never blocked */
	pv_archive_close(r);
}

static void missing_archive_says_how_to_make_one(void **state)
{
	(void)state;
	struct pv_err err = {0};
	assert_null(pv_archive_open("/nonexistent/pv-archive", PV_OPEN_READ, &err));
	assert_non_null(strstr(err.msg, "init"));
}

static void add_get_and_find_by_hash(void **state)
{
	struct pv_test_archive *f = *state;
	const char *tags[] = { "Klik", "luisteren", NULL };
	int64_t id = add(f->a, "one", "De klik", PV_CONSENT_POSTER, NULL, tags);
	assert_true(id > 0);
	struct pv_entry e;
	struct pv_err err = {0};
	assert_int_equal(pv_store_get(f->a, id, &e, &err), 0);
	assert_string_equal(e.title, "De klik");
	assert_int_equal(e.consent, PV_CONSENT_POSTER);
	assert_int_equal(e.ntags, 2);
	assert_string_equal(e.tags[0], "klik");     /* folded to lower case */
	assert_int_equal(pv_store_find_sha(f->a, e.sha256), id);
	pv_entry_free(&e);
	assert_int_equal(pv_store_get(f->a, 999, &e, &err), -1);
	assert_int_equal(err.kind, PV_ERR_NOT_FOUND);
	char other[65];
	pv_sha256_hex("nope", 4, other);
	assert_int_equal(pv_store_find_sha(f->a, other), 0);
}

static void same_hash_cannot_be_added_twice(void **state)
{
	struct pv_test_archive *f = *state;
	add(f->a, "dup", "A", PV_CONSENT_INTERNAL, NULL, NULL);
	struct pv_entry e = { .guardian = PV_GUARDIAN_UNKNOWN };
	pv_sha256_hex("dup", 3, e.sha256);
	struct pv_err err = {0};
	assert_int_equal(pv_store_add(f->a, &e, &err), -1);
	assert_true(strlen(err.msg) > 0);
	/* a sentence, never SQLite's own text ("UNIQUE constraint failed: ...") */
	assert_null(strstr(err.msg, "UNIQUE"));
	assert_null(strstr(err.msg, "constraint failed"));
	assert_null(strstr(err.msg, "entries.sha256"));
}

static void filters_by_tag_participant_and_consent(void **state)
{
	struct pv_test_archive *f = *state;
	const char *klik[] = { "klik", NULL };
	const char *both[] = { "klik", "school", NULL };
	int64_t a = add(f->a, "a", "A", PV_CONSENT_POSTER, NULL, klik);
	int64_t b = add(f->a, "b", "B", PV_CONSENT_INTERNAL, NULL, both);
	int64_t c = add(f->a, "c", "C", PV_CONSENT_PUBLIC, "2000-01-01", klik);  /* expired */
	const char *want_klik[] = { "KLIK" };
	struct pv_filter flt = { .tags = want_klik, .ntags = 1, .min_consent = -1, .exact_consent = -1 };
	struct pv_entry_list l;
	struct pv_err err = {0};
	assert_int_equal(pv_store_list(f->a, &flt, &l, &err), 0);
	assert_int_equal(l.count, 3);
	pv_entry_list_free(&l);

	flt.min_consent = PV_CONSENT_POSTER;   /* what a poster may use today */
	assert_int_equal(pv_store_list(f->a, &flt, &l, &err), 0);
	assert_int_equal(l.count, 1);
	assert_int_equal(l.items[0].id, a);
	pv_entry_list_free(&l);

	const char *two[] = { "klik", "school" };
	struct pv_filter and = { .tags = two, .ntags = 2, .min_consent = -1, .exact_consent = -1 };
	assert_int_equal(pv_store_list(f->a, &and, &l, &err), 0);
	assert_int_equal(l.count, 1);
	assert_int_equal(l.items[0].id, b);
	pv_entry_list_free(&l);

	int64_t ids[] = { c, a };
	struct pv_filter by_id = { .ids = ids, .nids = 2, .min_consent = -1, .exact_consent = -1 };
	assert_int_equal(pv_store_list(f->a, &by_id, &l, &err), 0);
	assert_int_equal(l.count, 2);
	assert_int_equal(l.items[0].id, c);   /* order kept */
	assert_int_equal(pv_entry_effective_consent(&l.items[0], "2026-01-01"), PV_CONSENT_INTERNAL);
	pv_entry_list_free(&l);

	int64_t missing[] = { 4242 };
	struct pv_filter bad = { .ids = missing, .nids = 1, .min_consent = -1, .exact_consent = -1 };
	assert_int_equal(pv_store_list(f->a, &bad, &l, &err), -1);
	assert_non_null(strstr(err.msg, "4242"));
}

static void tags_add_remove_are_case_insensitive(void **state)
{
	struct pv_test_archive *f = *state;
	int64_t id = add(f->a, "t", "T", PV_CONSENT_INTERNAL, NULL, NULL);
	struct pv_err err = {0};
	assert_int_equal(pv_store_tag_add(f->a, id, "Thuis", &err), 0);
	assert_int_equal(pv_store_tag_add(f->a, id, "THUIS", &err), 0);
	assert_int_equal(pv_store_tag_add(f->a, id, "  ", &err), -1);
	struct pv_entry e;
	assert_int_equal(pv_store_get(f->a, id, &e, &err), 0);
	assert_int_equal(e.ntags, 1);
	pv_entry_free(&e);
	assert_int_equal(pv_store_tag_remove(f->a, id, "thuiS", &err), 0);
	assert_int_equal(pv_store_get(f->a, id, &e, &err), 0);
	assert_int_equal(e.ntags, 0);
	pv_entry_free(&e);
}

static void consent_words_in_dutch_and_english(void **state)
{
	(void)state;
	assert_int_equal(pv_consent_parse("geen"), PV_CONSENT_NONE);
	assert_int_equal(pv_consent_parse("Intern"), PV_CONSENT_INTERNAL);
	assert_int_equal(pv_consent_parse("openbaar"), PV_CONSENT_PUBLIC);
	assert_int_equal(pv_consent_parse("poster"), PV_CONSENT_POSTER);
	assert_int_equal(pv_consent_parse("maybe"), -1);
	assert_string_equal(pv_consent_name(PV_CONSENT_PUBLIC), "public");
}

static void media_is_stored_under_its_hash(void **state)
{
	struct pv_test_archive *f = *state;
	char sha[65];
	struct pv_err err = {0};
	assert_int_equal(pv_archive_put_media(f->a, "pixels", 6, sha, &err), 0);
	char *path = pv_archive_media_path(f->a, sha);
	uint8_t *data;
	size_t len;
	assert_int_equal(pv_read_file(path, 100, &data, &len, &err), 0);
	assert_int_equal(len, 6);
	assert_memory_equal(data, "pixels", 6);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	free(data);
	free(path);
}

static void phash_is_stored_and_returned(void **state)
{
	struct pv_test_archive *f = *state;
	struct pv_entry e = { .guardian = PV_GUARDIAN_UNKNOWN, .width = 1, .height = 1 };
	pv_sha256_hex("ph", 2, e.sha256);
	snprintf(e.phash, sizeof e.phash, "%s", "00ff00ff00ff00ff");
	struct pv_err err = {0};
	assert_int_equal(pv_store_add(f->a, &e, &err), 0);
	struct pv_entry got;
	assert_int_equal(pv_store_get(f->a, e.id, &got, &err), 0);
	assert_string_equal(got.phash, "00ff00ff00ff00ff");
	pv_entry_free(&got);
	int64_t none = add(f->a, "noph", "N", PV_CONSENT_INTERNAL, NULL, NULL);
	assert_int_equal(pv_store_get(f->a, none, &got, &err), 0);
	assert_string_equal(got.phash, "");
	pv_entry_free(&got);
}

static int64_t add_phash(struct pv_archive *a, const char *seed, const char *phash)
{
	struct pv_entry e = { .guardian = PV_GUARDIAN_UNKNOWN, .width = 1, .height = 1 };
	pv_sha256_hex(seed, strlen(seed), e.sha256);
	snprintf(e.phash, sizeof e.phash, "%s", phash);
	struct pv_err err = {0};
	assert_int_equal(pv_store_add(a, &e, &err), 0);
	return e.id;
}

static void near_duplicates_by_hamming_distance(void **state)
{
	struct pv_test_archive *f = *state;
	int64_t a = add_phash(f->a, "a", "0000000000000000");
	int64_t b = add_phash(f->a, "b", "0000000000000007");   /* 3 bits apart */
	int64_t c = add_phash(f->a, "c", "ffffffffffffffff");   /* 64 bits apart */
	int64_t d = add_phash(f->a, "d", "8000000000000000");   /* 1 bit apart */
	int64_t nohash = add_phash(f->a, "e", "");
	int64_t *ids;
	size_t n;
	struct pv_err err = {0};
	assert_int_equal(pv_store_near_duplicates(f->a, a, 3, &ids, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(ids[0], b);
	assert_int_equal(ids[1], d);
	free(ids);
	assert_int_equal(pv_store_near_duplicates(f->a, a, 0, &ids, &n, &err), 0);
	assert_int_equal(n, 0);
	free(ids);
	assert_int_equal(pv_store_near_duplicates(f->a, c, 64, &ids, &n, &err), 0);
	assert_int_equal(n, 3);   /* every other hashed entry, not c itself */
	free(ids);
	assert_int_equal(pv_store_near_duplicates(f->a, nohash, 64, &ids, &n, &err), 0);
	assert_int_equal(n, 0);
	free(ids);
	assert_int_equal(pv_store_near_duplicates(f->a, 777, 5, &ids, &n, &err), -1);
	assert_non_null(strstr(err.msg, "777"));
	/* the earlier ones only: d (1 bit from a, 4 from b) sees a; a sees none
	   before it, though b and d come after it within 3 bits */
	assert_int_equal(pv_store_near_duplicates_earlier(f->a, d, 3, &ids, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], a);
	free(ids);
	assert_int_equal(pv_store_near_duplicates_earlier(f->a, a, 3, &ids, &n, &err), 0);
	assert_int_equal(n, 0);
	free(ids);
}

static void derived_files_sit_beside_the_photo(void **state)
{
	struct pv_test_archive *f = *state;
	char sha[65];
	struct pv_err err = {0};
	assert_int_equal(pv_archive_put_media(f->a, "photo", 5, sha, &err), 0);
	assert_int_equal(pv_archive_put_derived(f->a, sha, "thumb", "th", 2, &err), 0);
	assert_int_equal(pv_archive_put_derived(f->a, sha, "preview", "pre", 3, &err), 0);
	char *media = pv_archive_media_path(f->a, sha);
	char *thumb = pv_archive_derived_path(f->a, sha, "thumb");
	char *preview = pv_archive_derived_path(f->a, sha, "preview");
	char want[600];
	snprintf(want, sizeof want, "%.*s.thumb.jpg", (int)(strlen(media) - 4), media);
	assert_string_equal(thumb, want);
	snprintf(want, sizeof want, "%.*s.preview.jpg", (int)(strlen(media) - 4), media);
	assert_string_equal(preview, want);
	uint8_t *data;
	size_t len;
	assert_int_equal(pv_read_file(thumb, 100, &data, &len, &err), 0);
	assert_int_equal(len, 2);
	assert_memory_equal(data, "th", 2);
	free(data);
	free(media);
	free(thumb);
	free(preview);
	assert_null(pv_archive_derived_path(f->a, sha, "../x"));
	assert_int_equal(pv_archive_put_derived(f->a, sha, "big", "x", 1, &err), -1);
	assert_int_equal(pv_archive_put_derived(f->a, "../../etc", "thumb", "x", 1, &err), -1);
}

static int count_rows(struct pv_archive *a, const char *dir, const char *sql_where)
{
	/* Reads the catalogue the way an outsider would, through sqlite3. */
	(void)a;
	char *db = pv_path_join(dir, "catalogue.db");
	sqlite3 *h;
	assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	free(db);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(h, sql_where, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return n;
}

static void bundles_are_recorded_and_logged(void **state)
{
	struct pv_test_archive *f = *state;
	int64_t a = add(f->a, "ba", "A", PV_CONSENT_POSTER, NULL, NULL);
	int64_t b = add(f->a, "bb", "B", PV_CONSENT_POSTER, NULL, NULL);
	int64_t ids[] = { a, b, a };   /* a repeat is kept once */
	struct pv_err err = {0};
	assert_int_equal(pv_store_record_bundle(f->a, "klik.zip", "ab12", "poster", ids, 3,
						&err), 0);
	assert_int_equal(count_rows(f->a, f->dir, "SELECT count(*) FROM bundles"
				    " WHERE file_name = 'klik.zip' AND purpose = 'poster'"), 1);
	assert_int_equal(count_rows(f->a, f->dir, "SELECT count(*) FROM bundle_entries"), 2);
	assert_int_equal(count_rows(f->a, f->dir, "SELECT count(*) FROM log WHERE"
				    " action = 'bundle' AND detail LIKE '%entries%'"), 1);
	/* inside a caller's transaction it joins that transaction */
	assert_int_equal(pv_store_begin(f->a, &err), 0);
	assert_int_equal(pv_store_record_bundle(f->a, "b.zip", NULL, "internal", ids, 1,
						&err), 0);
	assert_int_equal(pv_store_rollback(f->a), 0);
	assert_int_equal(count_rows(f->a, f->dir, "SELECT count(*) FROM bundles"), 1);
	assert_int_equal(pv_store_record_bundle(f->a, NULL, NULL, "poster", ids, 1,
						&err), -1);
}

/* An entry the store refuses (here for a tag with a control character)
 * leaves nothing of itself, and takes nothing of the batch it is in: ingest
 * commits photos in batches. (Failed before SAVEPOINTs: the row went in
 * before its tags failed, and was committed with the batch without its tags
 * or search text. The words are now checked before the row too; t36 makes
 * every later write fail in turn.) */
static void a_failing_add_leaves_nothing_and_keeps_the_batch(void **state)
{
	struct pv_test_archive *f = *state;
	static const char *const bad_tags[] = { "klik\tluisteren", "bel\a", "nieuw\nregel",
						"esc\x1b[31m" };
	struct pv_err err = {0};
	assert_int_equal(pv_store_begin(f->a, &err), 0);
	int64_t first = add(f->a, "batch-1", "Eerste", PV_CONSENT_POSTER, NULL, NULL);
	for (size_t i = 0; i < sizeof bad_tags / sizeof *bad_tags; i++) {
		char *tags[] = { "goed", (char *)bad_tags[i], NULL };
		struct pv_entry e = { .guardian = PV_GUARDIAN_UNKNOWN, .title = "Half",
				      .tags = tags, .ntags = 2 };
		char seed[16];
		snprintf(seed, sizeof seed, "half-%zu", i);
		pv_sha256_hex(seed, strlen(seed), e.sha256);
		err.msg[0] = '\0';
		assert_int_equal(pv_store_add(f->a, &e, &err), -1);
		assert_true(strlen(err.msg) > 0);
		assert_int_equal(pv_store_find_sha(f->a, e.sha256), 0);
	}
	int64_t last = add(f->a, "batch-2", "Laatste", PV_CONSENT_POSTER, NULL, NULL);
	assert_int_equal(pv_store_commit(f->a, &err), 0);
	assert_true(first > 0 && last > first);
	assert_int_equal(count_rows(f->a, f->dir, "SELECT count(*) FROM entries"), 2);
	assert_int_equal(count_rows(f->a, f->dir, "SELECT count(*) FROM tags"), 0);
	assert_int_equal(count_rows(f->a, f->dir, "SELECT count(*) FROM entries_fts"), 2);
	assert_int_equal(count_rows(f->a, f->dir, "SELECT count(*) FROM entries_fts"
				    " WHERE rowid NOT IN (SELECT id FROM entries)"), 0);
}

static void log_is_append_only(void **state)
{
	struct pv_test_archive *f = *state;
	assert_int_equal(pv_store_log(f->a, "test", "entry 1"), 0);
	char *db = pv_path_join(f->dir, "catalogue.db");
	sqlite3 *h;
	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	free(db);
	assert_int_not_equal(sqlite3_exec(h, "DELETE FROM log", NULL, NULL, NULL), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(h, "UPDATE log SET detail = 'x'", NULL, NULL, NULL),
			     SQLITE_OK);
	sqlite3_close(h);
	assert_int_equal(count_rows(f->a, f->dir, "SELECT count(*) FROM log WHERE action ="
				    " 'test' AND detail = 'entry 1' AND actor <> ''"), 1);
	/* making the catalogue is the first thing in its log */
	assert_int_equal(count_rows(f->a, f->dir, "SELECT count(*) FROM log WHERE id = 1"
				    " AND action = 'init'"), 1);
}

/* The workspace's /log in pages, newest first: each page the right events
 * (oldest first within it), the last one short, one past it empty, and
 * no page 0. */
static void log_is_read_in_pages_newest_first(void **state)
{
	struct pv_test_archive *f = *state;
	for (int i = 1; i <= 24; i++) {   /* after init's own event: 25 in all */
		char detail[32];
		snprintf(detail, sizeof detail, "event %d", i);
		assert_int_equal(pv_store_log(f->a, "test", detail), 0);
	}
	struct pv_log_events whole, page;
	struct pv_err err = {0};
	assert_int_equal(pv_store_log_read(f->a, &whole, &err), 0);
	assert_int_equal(whole.count, 25);
	size_t total = 0;
	static const struct { size_t page, count, first; } want[] = {
		{ 1, 10, 15 }, { 2, 10, 5 }, { 3, 5, 0 }, { 4, 0, 0 }, { 1000000, 0, 0 },
	};
	for (size_t k = 0; k < sizeof want / sizeof *want; k++) {
		assert_int_equal(pv_store_log_read_page(f->a, want[k].page, 10, &page, &total,
							&err), 0);
		assert_int_equal(total, 25);
		assert_int_equal(page.count, want[k].count);
		for (size_t i = 0; i < page.count; i++) {   /* the same events, in order */
			const struct pv_log_event *w = &whole.items[want[k].first + i];
			assert_int_equal(page.items[i].id, w->id);
			assert_string_equal(page.items[i].detail ? page.items[i].detail : "",
					    w->detail ? w->detail : "");
		}
		pv_log_events_free(&page);
	}
	assert_int_equal(pv_store_log_read_page(f->a, 0, 10, &page, &total, &err), -1);
	assert_int_equal(err.kind, PV_ERR_USAGE);
	assert_int_equal(page.count, 0);
	assert_int_equal(pv_store_log_read_page(f->a, (size_t)-1, 10, &page, &total, &err), 0);
	assert_int_equal(page.count, 0);   /* far past the end: nothing, no wrap */
	pv_log_events_free(&whole);
}

/* Whether an entry may be used is one whole sentence naming the entry, of
 * kind NOT_ALLOWED (the web says 403), for each reason it may not. */
static void use_refused_with_a_sentence_of_its_own(void **state)
{
	(void)state;
	struct pv_entry e = { .id = 5, .consent = PV_CONSENT_INTERNAL,
			      .guardian = PV_GUARDIAN_UNKNOWN };
	struct pv_err err = { 0 };
	assert_int_equal(pv_entry_usable_for(&e, "internal", "2025-01-01", &err), 1);
	assert_int_equal(pv_entry_usable_for(&e, "poster", "2025-01-01", &err), 0);
	assert_int_equal(err.kind, PV_ERR_NOT_ALLOWED);
	assert_string_equal(err.msg, "Entry 5 cannot go on a poster: its consent is 'internal', which does not allow this use.");
	e.consent = PV_CONSENT_NONE;
	assert_int_equal(pv_entry_usable_for(&e, "internal", "2025-01-01", &err), 0);
	assert_string_equal(err.msg, "Entry 5 cannot be used, not even internally: its consent is 'none', which does not allow this use.");
	e.consent = PV_CONSENT_POSTER;
	e.consent_until = "2024-06-30";
	assert_int_equal(pv_entry_usable_for(&e, "poster", "2025-01-01", &err), 0);
	assert_int_equal(err.kind, PV_ERR_NOT_ALLOWED);
	assert_string_equal(err.msg, "Entry 5 cannot go on a poster: its consent for poster ended on 2024-06-30.");
	e.consent_until = NULL;
	e.under16 = 1;
	assert_int_equal(pv_entry_usable_for(&e, "poster", "2025-01-01", &err), 0);
	assert_non_null(strstr(err.msg, "Entry 5 cannot go on a poster: its participant is under 16"));
	e.under16 = 0;
	e.caption = "Gelezen uit de foto";
	e.words_from[PV_FIELD_CAPTION] = PV_FROM_PHOTO;
	assert_int_equal(pv_entry_usable_for(&e, "poster", "2025-01-01", &err), 0);
	assert_non_null(strstr(err.msg, "Entry 5 cannot go on a poster: its words were read from inside the photo"));
	assert_non_null(strstr(err.msg, "photovoice edit 5 --confirm"));
	e.words_from[PV_FIELD_CAPTION] = PV_FROM_STAFF;
	pv_err_clear(&err);
	assert_int_equal(pv_entry_usable_for(&e, "poster", "2025-01-01", &err), 1);
	assert_int_equal(err.kind, PV_ERR_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		PV_ARCHIVE_TEST(init_makes_a_private_archive),
		PV_ARCHIVE_TEST(second_writer_is_refused_with_a_sentence),
		cmocka_unit_test(missing_archive_says_how_to_make_one),
		PV_ARCHIVE_TEST(add_get_and_find_by_hash),
		PV_ARCHIVE_TEST(same_hash_cannot_be_added_twice),
		PV_ARCHIVE_TEST(filters_by_tag_participant_and_consent),
		PV_ARCHIVE_TEST(tags_add_remove_are_case_insensitive),
		cmocka_unit_test(consent_words_in_dutch_and_english),
		cmocka_unit_test(use_refused_with_a_sentence_of_its_own),
		PV_ARCHIVE_TEST(media_is_stored_under_its_hash),
		PV_ARCHIVE_TEST(phash_is_stored_and_returned),
		PV_ARCHIVE_TEST(near_duplicates_by_hamming_distance),
		PV_ARCHIVE_TEST(derived_files_sit_beside_the_photo),
		PV_ARCHIVE_TEST(bundles_are_recorded_and_logged),
		PV_ARCHIVE_TEST(log_is_append_only),
		PV_ARCHIVE_TEST(log_is_read_in_pages_newest_first),
		PV_ARCHIVE_TEST(a_failing_add_leaves_nothing_and_keeps_the_batch),
	};
	return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
