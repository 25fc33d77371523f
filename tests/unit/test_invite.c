/* Personal links (include/photovoice/invite.h): tokens that are random and
 * never kept, links that open only while they work and fail all in the same
 * way, the refusals of bad input, the log, the base address and the sheet. */
#include "testutil.h"

#include <sqlite3.h>
#include <sys/stat.h>
#include <time.h>

#include "photovoice/invite.h"
#include "photovoice/store.h"
#include "photovoice/util.h"

static const char closed[] = "This link does not work (any more). Ask the person who gave "
			     "it to you for a new one.";

/* A new invitation for participant that must succeed; its id. */
static int64_t invite(struct pv_test_archive *f, const char *participant, const char *until,
		      char token[PV_INVITE_TOKEN_CHARS + 1])
{
	struct pv_invite inv;
	struct pv_err err = {0};
	int r = pv_invite_create(f->a, participant, until, &inv, token, &err);
	if (r != 0)
		fail_msg("invite %s: %s", participant, err.msg);
	int64_t id = inv.id;
	pv_invite_free(&inv);
	return id;
}

static size_t count_invites(struct pv_test_archive *f)
{
	struct pv_invite *list;
	size_t n;
	struct pv_err err = {0};
	assert_int_equal(pv_invite_list(f->a, &list, &n, &err), 0);
	pv_invite_list_free(list, n);
	return n;
}

/* The text of one value of the catalogue, read past the library. */
static char *catalogue_text(struct pv_test_archive *f, const char *sql)
{
	char *path = pv_path_join(f->dir, "catalogue.db");
	sqlite3 *db;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	char *text = NULL;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		text = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	free(path);
	return text;
}

static void tomorrow_and_yesterday(char tomorrow[11], char yesterday[11])
{
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	tm.tm_hour = 12;
	tm.tm_isdst = -1;
	tm.tm_mday += 1;
	mktime(&tm);
	strftime(tomorrow, 11, "%Y-%m-%d", &tm);
	tm.tm_mday -= 2;
	tm.tm_isdst = -1;
	mktime(&tm);
	strftime(yesterday, 11, "%Y-%m-%d", &tm);
}

/* ---- tokens -------------------------------------------------------------------- */

static void a_link_opens_its_invitation(void **state)
{
	struct pv_test_archive *f = *state;
	char token[PV_INVITE_TOKEN_CHARS + 1];
	struct pv_invite made, opened;
	struct pv_err err = {0};
	assert_int_equal(pv_invite_create(f->a, "fenna", NULL, &made, token, &err), 0);
	assert_int_equal(strlen(token), 22);
	assert_int_equal(strspn(token, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
				       "0123456789-_"), 22);
	assert_string_equal(made.participant, "fenna");
	assert_null(made.revoked_at);
	assert_true(pv_date_valid(made.valid_until));
	char today[11];
	pv_today_iso(today);
	assert_true(strcmp(made.valid_until, today) > 0);
	assert_int_equal(pv_invite_open(f->a, token, NULL, &opened, &err), 0);
	assert_int_equal(opened.id, made.id);
	assert_string_equal(opened.participant, "fenna");
	assert_string_equal(opened.valid_until, made.valid_until);
	assert_string_equal(pv_invite_state(&opened, NULL), "works");
	pv_invite_free(&opened);
	pv_invite_free(&made);
}

static void the_default_is_sixty_days(void **state)
{
	struct pv_test_archive *f = *state;
	char token[PV_INVITE_TOKEN_CHARS + 1];
	invite(f, "fenna", NULL, token);
	char *days = catalogue_text(f, "SELECT CAST(julianday(valid_until) - julianday('now', "
				       "'localtime', 'start of day') AS INTEGER) FROM invitations");
	assert_string_equal(days, "60");
	free(days);
}

static void two_tokens_differ(void **state)
{
	struct pv_test_archive *f = *state;
	char t1[PV_INVITE_TOKEN_CHARS + 1], t2[PV_INVITE_TOKEN_CHARS + 1];
	int64_t a = invite(f, "fenna", NULL, t1), b = invite(f, "fenna", NULL, t2);
	assert_true(a != b);
	assert_string_not_equal(t1, t2);
	struct pv_invite inv;
	struct pv_err err = {0};
	assert_int_equal(pv_invite_open(f->a, t2, NULL, &inv, &err), 0);
	assert_int_equal(inv.id, b);
	pv_invite_free(&inv);
}

static void the_catalogue_keeps_no_token(void **state)
{
	struct pv_test_archive *f = *state;
	char token[PV_INVITE_TOKEN_CHARS + 1];
	invite(f, "fenna", NULL, token);
	char query[256];
	snprintf(query, sizeof query, "SELECT count(*) FROM invitations WHERE instr(participant"
		 " || token_hash || created_at || valid_until || coalesce(revoked_at, ''), '%s')",
		 token);
	char *n = catalogue_text(f, query);
	assert_string_equal(n, "0");
	free(n);
	char *hash = catalogue_text(f, "SELECT token_hash FROM invitations");
	char expected[PV_SHA256_HEX];
	pv_sha256_hex(token, strlen(token), expected);
	assert_string_equal(hash, expected);
	free(hash);
	/* nor any byte of the catalogue's files */
	const char *const files[] = { "catalogue.db", "catalogue.db-wal" };
	for (size_t i = 0; i < 2; i++) {
		char *path = pv_path_join(f->dir, files[i]);
		assert_false(pv_test_file_holds(path, token));
		free(path);
	}
}

/* ---- links that do not open ------------------------------------------------------ */

static void assert_closed(struct pv_test_archive *f, const char *token, const char *today)
{
	struct pv_invite inv;
	struct pv_err err = {0};
	assert_int_equal(pv_invite_open(f->a, token, today, &inv, &err), -1);
	assert_int_equal(err.kind, PV_ERR_NOT_FOUND);
	assert_string_equal(err.msg, closed);
}

static void every_closed_link_says_the_same(void **state)
{
	struct pv_test_archive *f = *state;
	char expired[PV_INVITE_TOKEN_CHARS + 1], revoked[PV_INVITE_TOKEN_CHARS + 1],
	     open[PV_INVITE_TOKEN_CHARS + 1];
	int64_t e = invite(f, "fenna", NULL, expired);
	int64_t r = invite(f, "sem", NULL, revoked);
	invite(f, "noor", NULL, open);
	char sql[128];
	snprintf(sql, sizeof sql, "UPDATE invitations SET valid_until = '2001-01-01' WHERE id = %lld",
		 (long long)e);
	pv_test_raw_sql(f->dir, sql);
	struct pv_err err = {0};
	assert_int_equal(pv_invite_revoke(f->a, r, &err), 0);
	assert_closed(f, expired, NULL);
	assert_closed(f, revoked, NULL);
	assert_closed(f, "AAAAAAAAAAAAAAAAAAAAAA", NULL);                /* unknown */
	assert_closed(f, "short", NULL);                                 /* malformed */
	assert_closed(f, "AAAAAAAAAAAAAAAAAAAAA!", NULL);
	assert_closed(f, "AAAAAAAAAAAAAAAAAAAAAAA", NULL);
	assert_closed(f, "", NULL);
	assert_closed(f, NULL, NULL);
	/* the one that works still does, through its last day and not after */
	struct pv_invite inv;
	assert_int_equal(pv_invite_open(f->a, open, NULL, &inv, &err), 0);
	char *last = strdup(inv.valid_until);
	pv_invite_free(&inv);
	assert_int_equal(pv_invite_open(f->a, open, last, &inv, &err), 0);
	pv_invite_free(&inv);
	assert_closed(f, open, "2999-12-31");
	free(last);
}

static void revoking_twice_is_fine_and_a_missing_one_is_not_found(void **state)
{
	struct pv_test_archive *f = *state;
	char token[PV_INVITE_TOKEN_CHARS + 1];
	int64_t id = invite(f, "fenna", NULL, token);
	struct pv_err err = {0};
	assert_int_equal(pv_invite_revoke(f->a, id, &err), 0);
	assert_int_equal(pv_invite_revoke(f->a, id, &err), 0);
	char *n = catalogue_text(f, "SELECT count(*) FROM log WHERE detail LIKE '%revoked%'");
	assert_string_equal(n, "1");
	free(n);
	assert_int_equal(pv_invite_revoke(f->a, id + 100, &err), -1);
	assert_int_equal(err.kind, PV_ERR_NOT_FOUND);
	assert_non_null(strstr(err.msg, "no invitation"));
	struct pv_invite *list;
	size_t count;
	assert_int_equal(pv_invite_list(f->a, &list, &count, &err), 0);
	assert_int_equal(count, 1);
	assert_non_null(list[0].revoked_at);
	assert_string_equal(pv_invite_state(&list[0], NULL), "revoked");
	pv_invite_list_free(list, count);
}

/* ---- refused input ----------------------------------------------------------------- */

static void assert_refused(struct pv_test_archive *f, const char *participant, const char *until,
			   const char *words)
{
	char token[PV_INVITE_TOKEN_CHARS + 1];
	struct pv_invite inv;
	struct pv_err err = {0};
	assert_int_equal(pv_invite_create(f->a, participant, until, &inv, token, &err), -1);
	assert_int_equal(err.kind, PV_ERR_INPUT);
	if (!strstr(err.msg, words))
		fail_msg("expected '%s' in: %s", words, err.msg);
	assert_int_equal(count_invites(f), 0);
}

static void bad_codes_and_dates_are_refused(void **state)
{
	struct pv_test_archive *f = *state;
	char tomorrow[11], yesterday[11];
	tomorrow_and_yesterday(tomorrow, yesterday);
	assert_refused(f, "", NULL, "participant code");
	assert_refused(f, NULL, NULL, "participant code");
	assert_refused(f, "a/b", NULL, "participant code");
	assert_refused(f, "fen\tna", NULL, "participant code");
	assert_refused(f, "\xff\xfe", NULL, "participant code");
	assert_refused(f, "..", NULL, "dot");
	assert_refused(f, ".quarantine", NULL, "dot");
	assert_refused(f, "fenna", "2027-02-30", "not a date");
	assert_refused(f, "fenna", "morgen", "not a date");
	assert_refused(f, "fenna", "", "not a date");
	assert_refused(f, "fenna", yesterday, "has passed");
	char *records = catalogue_text(f, "SELECT count(*) FROM participants");
	assert_string_equal(records, "0");
	free(records);
	char token[PV_INVITE_TOKEN_CHARS + 1];
	char today[11];
	pv_today_iso(today);
	invite(f, "fenna", today, token);   /* today is not the past */
	invite(f, "fenna", tomorrow, token);
	assert_int_equal(count_invites(f), 2);
}

static void the_code_is_kept_as_a_drop_folder_gives_it(void **state)
{
	struct pv_test_archive *f = *state;
	char token[PV_INVITE_TOKEN_CHARS + 1];
	invite(f, "zoe\xcc\x88", NULL, token);   /* decomposed, as a Mac types it */
	struct pv_invite inv;
	struct pv_err err = {0};
	assert_int_equal(pv_invite_open(f->a, token, NULL, &inv, &err), 0);
	assert_string_equal(inv.participant, "zo\xc3\xab");
	assert_false(inv.under16);
	pv_invite_free(&inv);
	/* the participant's record was made, and its under-16 mark is read */
	assert_int_equal(pv_store_participant_set(f->a, "zo\xc3\xab", NULL, 1, &err), 0);
	assert_int_equal(pv_invite_open(f->a, token, NULL, &inv, &err), 0);
	assert_true(inv.under16);
	pv_invite_free(&inv);
	char *records = catalogue_text(f, "SELECT count(*) FROM participants");
	assert_string_equal(records, "1");
	free(records);
}

/* ---- serve's handle ----------------------------------------------------------------- */

/* As serve reads: a read handle of its own, its statements kept prepared,
 * reads grouped in one read transaction. A link revoked through another
 * handle stops working on the very next request, and nothing is held
 * between requests. */
static void a_revoked_link_closes_at_once_on_a_reading_handle(void **state)
{
	struct pv_test_archive *f = *state;
	char token[PV_INVITE_TOKEN_CHARS + 1];
	int64_t id = invite(f, "fenna", NULL, token);
	struct pv_err err = {0};
	struct pv_archive *r = pv_archive_open(f->dir, PV_OPEN_READ, &err);
	assert_non_null(r);
	struct pv_invite inv;
	for (int i = 0; i < 3; i++) {   /* the same kept statement, again and again */
		assert_int_equal(pv_store_read_begin(r, &err), 0);
		assert_int_equal(pv_invite_open(r, token, NULL, &inv, &err), 0);
		assert_int_equal(inv.id, id);
		pv_invite_free(&inv);
		char sha[65];
		assert_int_equal(pv_store_photo_of(r, 1, "fenna", sha, &err), -1);
		assert_int_equal(err.kind, PV_ERR_NOT_FOUND);
		pv_err_clear(&err);
		pv_store_read_end(r);
	}
	assert_int_equal(pv_invite_revoke(f->a, id, &err), 0);   /* no reader holds it up */
	assert_int_equal(pv_invite_open(r, token, NULL, &inv, &err), -1);
	assert_int_equal(err.kind, PV_ERR_NOT_FOUND);
	assert_string_equal(err.msg, closed);
	pv_err_clear(&err);
	assert_int_equal(pv_store_read_begin(r, &err), 0);
	assert_int_equal(pv_invite_open(r, token, NULL, &inv, &err), -1);
	assert_int_equal(err.kind, PV_ERR_NOT_FOUND);
	pv_store_read_end(r);
	pv_store_read_end(r);   /* twice: nothing more happens */
	pv_archive_close(r);
}

/* ---- the log ----------------------------------------------------------------------- */

static void the_log_names_the_actor_and_not_the_token(void **state)
{
	struct pv_test_archive *f = *state;
	pv_archive_set_actor(f->a, "staff:anna");
	char token[PV_INVITE_TOKEN_CHARS + 1];
	int64_t id = invite(f, "fenna", "2099-12-31", token);
	struct pv_err err = {0};
	assert_int_equal(pv_invite_revoke(f->a, id, &err), 0);
	struct pv_log_events l;
	assert_int_equal(pv_store_log_read(f->a, &l, &err), 0);
	size_t seen = 0;
	for (size_t i = 0; i < l.count; i++) {
		const struct pv_log_event *e = &l.items[i];
		if (strcmp(e->action, "invite") != 0)
			continue;
		seen++;
		assert_string_equal(e->actor, "staff:anna");
		assert_null(strstr(e->detail, token));
		assert_null(strstr(e->detail, "fenna"));
	}
	assert_int_equal(seen, 2);
	assert_non_null(strstr(l.items[l.count - 2].detail, "until 2099-12-31"));
	pv_log_events_free(&l);
}

/* ---- erasure --------------------------------------------------------------------- */

static void forgetting_a_participant_closes_their_links(void **state)
{
	struct pv_test_archive *f = *state;
	char gone[PV_INVITE_TOKEN_CHARS + 1], kept[PV_INVITE_TOKEN_CHARS + 1];
	invite(f, "fenna", NULL, gone);
	invite(f, "sem", NULL, kept);
	struct pv_forget_report rep;
	struct pv_err err = {0};
	assert_int_equal(pv_store_forget_participant(f->a, "fenna", &rep, &err), 0);
	pv_forget_report_free(&rep);
	assert_closed(f, gone, NULL);
	assert_int_equal(count_invites(f), 1);
	char *left = catalogue_text(f, "SELECT count(*) FROM invitations WHERE participant = 'fenna'");
	assert_string_equal(left, "0");
	free(left);
	struct pv_invite inv;
	assert_int_equal(pv_invite_open(f->a, kept, NULL, &inv, &err), 0);
	pv_invite_free(&inv);
}

/* ---- the base of links ----------------------------------------------------------- */

static void the_base_comes_from_env_then_file_then_default(void **state)
{
	struct pv_test_archive *f = *state;
	char *b = pv_invite_base(f->dir);
	assert_string_equal(b, PV_INVITE_DEFAULT_BASE);
	free(b);
	struct pv_err err = {0};
	assert_int_equal(pv_invite_set_base(f->dir, "https://foto.example.nl:8443/", &err), 0);
	b = pv_invite_base(f->dir);
	assert_string_equal(b, "https://foto.example.nl:8443");
	free(b);
	setenv("PHOTOVOICE_BASE_URL", "http://10.0.0.5:8080//", 1);
	b = pv_invite_base(f->dir);
	assert_string_equal(b, "http://10.0.0.5:8080");
	char *link = pv_invite_link(b, "AAAAAAAAAAAAAAAAAAAAAA");
	assert_string_equal(link, "http://10.0.0.5:8080/i/AAAAAAAAAAAAAAAAAAAAAA");
	free(link);
	free(b);
	unsetenv("PHOTOVOICE_BASE_URL");
	const char *const bad[] = { "ftp://x", "http://", "https:///x", "http://a b",
				    "http://x/?t=1", "foto.example.nl" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_int_equal(pv_invite_set_base(f->dir, bad[i], &err), -1);
		assert_int_equal(err.kind, PV_ERR_INPUT);
	}
	b = pv_invite_base(f->dir);
	assert_string_equal(b, "https://foto.example.nl:8443");   /* unchanged */
	free(b);
}

/* ---- the sheet ------------------------------------------------------------------- */

static void a_sheet_is_a_pdf_and_a_missing_folder_keeps_no_invitation(void **state)
{
	struct pv_test_archive *f = *state;
	struct pv_invite inv;
	char *link;
	struct pv_err err = {0};
	char *sheet = pv_path_join(f->tmp, "fenna.pdf");
	assert_int_equal(pv_invite_issue(f->a, f->dir, "fenna", NULL, sheet, &inv, &link, &err), 0);
	assert_non_null(strstr(link, PV_INVITE_DEFAULT_BASE "/i/"));
	assert_int_equal(strlen(link), strlen(PV_INVITE_DEFAULT_BASE "/i/") + 22);
	assert_true(pv_test_file_holds(sheet, "%PDF-"));
	struct stat st;
	assert_int_equal(stat(sheet, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);   /* it holds a personal link */
	pv_invite_free(&inv);
	free(link);
	free(sheet);

	sheet = pv_path_join(f->tmp, "no-such-folder/sem.pdf");
	assert_int_equal(pv_invite_issue(f->a, f->dir, "sem", NULL, sheet, &inv, &link, &err), -1);
	assert_int_equal(err.kind, PV_ERR_OUTPUT);
	assert_non_null(strstr(err.msg, "does not exist"));
	assert_null(link);
	assert_int_equal(count_invites(f), 1);
	char *n = catalogue_text(f, "SELECT count(*) FROM log WHERE action = 'invite'");
	assert_string_equal(n, "1");
	free(n);
	free(sheet);
}

int main(void)
{
	unsetenv("PHOTOVOICE_BASE_URL");   /* the base tests set it themselves */
	const struct CMUnitTest tests[] = {
		PV_ARCHIVE_TEST(a_link_opens_its_invitation),
		PV_ARCHIVE_TEST(the_default_is_sixty_days),
		PV_ARCHIVE_TEST(two_tokens_differ),
		PV_ARCHIVE_TEST(the_catalogue_keeps_no_token),
		PV_ARCHIVE_TEST(every_closed_link_says_the_same),
		PV_ARCHIVE_TEST(revoking_twice_is_fine_and_a_missing_one_is_not_found),
		PV_ARCHIVE_TEST(bad_codes_and_dates_are_refused),
		PV_ARCHIVE_TEST(the_code_is_kept_as_a_drop_folder_gives_it),
		PV_ARCHIVE_TEST(a_revoked_link_closes_at_once_on_a_reading_handle),
		PV_ARCHIVE_TEST(the_log_names_the_actor_and_not_the_token),
		PV_ARCHIVE_TEST(forgetting_a_participant_closes_their_links),
		PV_ARCHIVE_TEST(the_base_comes_from_env_then_file_then_default),
		PV_ARCHIVE_TEST(a_sheet_is_a_pdf_and_a_missing_folder_keeps_no_invitation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
