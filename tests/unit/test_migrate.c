/* Schema migrations: an archive made by every earlier catalogue version opens
 * with the latest photovoice, keeps its data, and gains what is new. The old
 * schemas are written out here as they shipped, on real archive files. */
#include "testutil.h"

#include <sqlite3.h>

#include "photovoice/store.h"
#include "photovoice/util.h"

#define LATEST_VERSION PV_SCHEMA_VERSION

/* The catalogue of photovoice 0.1 (user_version 1), as it shipped. */
static const char v1_schema[] =
	"CREATE TABLE entries ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  sha256 TEXT NOT NULL UNIQUE,"
	"  title TEXT, caption TEXT, story TEXT,"
	"  participant TEXT, credit TEXT,"
	"  consent TEXT NOT NULL DEFAULT 'internal'"
	"    CHECK (consent IN ('none','internal','poster','public')),"
	"  guardian INTEGER CHECK (guardian IN (0,1)),"
	"  consent_until TEXT,"
	"  width INTEGER NOT NULL, height INTEGER NOT NULL,"
	"  bytes INTEGER NOT NULL,"
	"  taken_month TEXT,"
	"  ingested_at TEXT NOT NULL);"
	"CREATE INDEX entries_by_participant ON entries(participant);"
	"CREATE TABLE tags ("
	"  entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,"
	"  tag TEXT NOT NULL,"
	"  PRIMARY KEY (entry_id, tag)) WITHOUT ROWID;"
	"CREATE INDEX tags_by_tag ON tags(tag);"
	"CREATE TABLE log ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  at TEXT NOT NULL, action TEXT NOT NULL, detail TEXT);"
	"PRAGMA user_version = 1;";

static const char v1_data[] =
	"INSERT INTO entries (sha256, title, caption, story, participant, credit, consent,"
	" guardian, consent_until, width, height, bytes, taken_month, ingested_at) VALUES"
	" ('aa', 'De klik', 'Eindelijk gehoord', 'Mijn cliëntervaring begon hier.', 'fenna',"
	"  'Foto: Fenna, 15', 'poster', 1, '2030-01-01', 1600, 1200, 12345, '2024-03',"
	"  '2024-03-05T10:00:00Z'),"
	" ('bb', 'Keuken', NULL, 'Thuis koken we samen.', NULL, NULL, 'internal', NULL, NULL,"
	"  800, 600, 999, NULL, '2024-03-06T10:00:00Z');"
	"INSERT INTO tags VALUES (1, 'klik'), (1, 'luisteren'), (2, 'thuis');"
	"INSERT INTO log (at, action, detail) VALUES ('2024-03-05T10:00:00Z', 'ingest', 'entry 1');";

struct fixture {
	char *tmp;
	char *dir;
};

static void run_sql(const char *db_path, const char *sql)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("sql failed: %s", msg);
	sqlite3_close(db);
}

/* An archive folder whose catalogue was made by schema version 1. */
static int setup_v1(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	f->tmp = pv_test_tmpdir();
	f->dir = pv_path_join(f->tmp, "archive");
	const char *subdirs[] = { "", "/media", "/tmp", "/drop", "/drop/.quarantine" };
	for (size_t i = 0; i < sizeof subdirs / sizeof *subdirs; i++) {
		char p[1024];
		snprintf(p, sizeof p, "%s%s", f->dir, subdirs[i]);
		pv_mkdir_p(p, 0700);
	}
	char *db = pv_path_join(f->dir, "catalogue.db");
	run_sql(db, v1_schema);
	run_sql(db, v1_data);
	free(db);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	pv_test_rmtree(f->tmp);
	free(f->dir);
	free(f);
	return 0;
}

static void v1_needs_a_writer_to_upgrade(void **state)
{
	struct fixture *f = *state;
	struct pv_err err = {0};
	assert_null(pv_archive_open(f->dir, PV_OPEN_READ, &err));
	assert_non_null(strstr(err.msg, "upgrade"));
}

static void v1_data_survives_the_upgrade(void **state)
{
	struct fixture *f = *state;
	struct pv_err err = {0};
	struct pv_archive *a = pv_archive_open(f->dir, PV_OPEN_WRITE, &err);
	assert_non_null(a);
	assert_int_equal(pv_store_schema_version(a), LATEST_VERSION);
	struct pv_entry e;
	assert_int_equal(pv_store_get(a, 1, &e, &err), 0);
	assert_string_equal(e.title, "De klik");
	assert_string_equal(e.story, "Mijn cliëntervaring begon hier.");
	assert_string_equal(e.credit, "Foto: Fenna, 15");
	assert_string_equal(e.consent_until, "2030-01-01");
	assert_int_equal(e.consent, PV_CONSENT_POSTER);
	assert_int_equal(e.guardian, PV_GUARDIAN_YES);
	assert_int_equal(e.ntags, 2);
	assert_string_equal(e.tags[1], "luisteren");
	assert_string_equal(e.phash, "");   /* new column, empty for old entries */
	pv_entry_free(&e);
	pv_archive_close(a);
	/* now readers can open it */
	a = pv_archive_open(f->dir, PV_OPEN_READ, &err);
	assert_non_null(a);
	assert_int_equal(pv_store_get(a, 2, &e, &err), 0);
	assert_null(e.caption);
	assert_int_equal(e.guardian, PV_GUARDIAN_UNKNOWN);
	pv_entry_free(&e);
	pv_archive_close(a);
}

static void old_entries_are_searchable_after_the_upgrade(void **state)
{
	struct fixture *f = *state;
	struct pv_err err = {0};
	struct pv_archive *a = pv_archive_open(f->dir, PV_OPEN_WRITE, &err);
	assert_non_null(a);
	struct pv_search_hits h;
	assert_int_equal(pv_store_search(a, "clientervaring", &h, &err), 0);
	assert_int_equal(h.count, 1);
	assert_int_equal(h.items[0].id, 1);
	pv_search_hits_free(&h);
	assert_int_equal(pv_store_search(a, "thuis", &h, &err), 0);  /* a tag */
	assert_int_equal(h.count, 1);
	assert_int_equal(h.items[0].id, 2);
	pv_search_hits_free(&h);
	/* the old log row is kept and new ones can be added */
	assert_int_equal(pv_store_log(a, "test", "after upgrade"), 0);
	pv_archive_close(a);
}

static void upgrade_again_is_a_no_op(void **state)
{
	struct fixture *f = *state;
	struct pv_err err = {0};
	for (int i = 0; i < 2; i++) {
		struct pv_archive *a = pv_archive_open(f->dir, PV_OPEN_WRITE, &err);
		assert_non_null(a);
		assert_int_equal(pv_store_schema_version(a), LATEST_VERSION);
		struct pv_search_hits h;
		assert_int_equal(pv_store_search(a, "klik", &h, &err), 0);
		assert_int_equal(h.count, 1);   /* indexed once, not twice */
		pv_search_hits_free(&h);
		pv_archive_close(a);
	}
}

static void newer_catalogue_is_refused(void **state)
{
	struct fixture *f = *state;
	char *db = pv_path_join(f->dir, "catalogue.db");
	run_sql(db, "PRAGMA user_version = 99;");
	free(db);
	struct pv_err err = {0};
	assert_null(pv_archive_open(f->dir, PV_OPEN_WRITE, &err));
	assert_non_null(strstr(err.msg, "newer photovoice"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(v1_needs_a_writer_to_upgrade, setup_v1, teardown),
		cmocka_unit_test_setup_teardown(v1_data_survives_the_upgrade, setup_v1, teardown),
		cmocka_unit_test_setup_teardown(old_entries_are_searchable_after_the_upgrade, setup_v1, teardown),
		cmocka_unit_test_setup_teardown(upgrade_again_is_a_no_op, setup_v1, teardown),
		cmocka_unit_test_setup_teardown(newer_catalogue_is_refused, setup_v1, teardown),
	};
	return cmocka_run_group_tests_name("migrate", tests, NULL, NULL);
}
