/*
 * The catalogue's hot path: what `serve` asks on every request (the
 * invitation of a link, the photo of a thumbnail) runs through statements
 * prepared once for the life of the handle instead of being parsed again each
 * time, the reads of one request share one read transaction, and SQLite
 * keeps no global count of its memory, whose one mutex every
 * allocation of every thread went through.
 */
#include <pthread.h>

#include "store_internal.h"

static pthread_once_t sqlite_once = PTHREAD_ONCE_INIT;

/* Before the first connection of the process: sqlite3_config works only
 * while SQLite is not yet initialised (later it refuses, and nothing
 * changes). photovoice never asks SQLite how much memory it uses. */
static void configure_sqlite(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

void pv_db_configure_once(void)
{
	pthread_once(&sqlite_once, configure_sqlite);
}

sqlite3_stmt *pv_db_hot(struct pv_archive *a, enum pv_hot which, const char *sql,
			struct pv_err *err)
{
	if (a->hot[which])
		return a->hot[which];
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v3(a->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) !=
	    SQLITE_OK) {
		pv_db_fail(a, st, err);
		return NULL;
	}
	a->hot[which] = st;
	return st;
}

/* A statement left stepped would hold its read transaction open: the handle
 * would go on seeing an old catalogue, and the WAL could not be
 * checkpointed. So every use ends here, whatever the step gave. */
int pv_db_hot_done(sqlite3_stmt *st)
{
	int rc = sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc;
}

void pv_db_hot_close(struct pv_archive *a)
{
	for (size_t i = 0; i < PV_HOT_COUNT; i++) {
		sqlite3_finalize(a->hot[i]);
		a->hot[i] = NULL;
	}
}

/* The hot statement which, run to its end. */
static int run_hot(struct pv_archive *a, enum pv_hot which, const char *sql,
		   struct pv_err *err)
{
	sqlite3_stmt *st = pv_db_hot(a, which, sql, err);
	if (!st)
		return -1;
	int rc = sqlite3_step(st);
	pv_db_hot_done(st);
	return rc == SQLITE_DONE ? 0 : pv_db_fail(a, NULL, err);
}

/* A deferred BEGIN takes no lock: the first read does, and holds it (and
 * its snapshot) until read_end. Inside a caller's transaction there is
 * nothing to do: it reads one snapshot already. */
int pv_store_read_begin(struct pv_archive *a, struct pv_err *err)
{
	if (a->reading || !sqlite3_get_autocommit(a->db))
		return 0;
	if (run_hot(a, PV_HOT_READ_BEGIN, "BEGIN", err) != 0)
		return -1;
	a->reading = 1;
	return 0;
}

void pv_store_read_end(struct pv_archive *a)
{
	if (!a || !a->reading)
		return;
	a->reading = 0;
	if (run_hot(a, PV_HOT_READ_END, "COMMIT", NULL) != 0 && !sqlite3_get_autocommit(a->db))
		pv_db_exec(a, "ROLLBACK;", NULL);
}
