/* Finding entries: full-text search (FTS5, bm25 with title and caption
 * weighing more than the story) and near duplicates by perceptual hash. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "photovoice/image.h"
#include "photovoice/store.h"
#include "photovoice/util.h"
#include "store_internal.h"

void pv_search_hits_free(struct pv_search_hits *h)
{
	for (size_t i = 0; i < h->count; i++)
		free(h->items[i].snippet);
	free(h->items);
	h->items = NULL;
	h->count = 0;
}

static void hits_push(struct pv_search_hits *h, size_t *cap, int64_t id, double rank)
{
	h->items = pv_grow(h->items, h->count, cap, sizeof *h->items);
	h->items[h->count++] = (struct pv_search_hit){ .id = id, .rank = rank };
}

/* FTS5 reports a query it cannot parse when the statement runs; that is the
 * searcher's mistake, not a damaged catalogue. */
static int query_error_code(struct pv_archive *a, int code, sqlite3_stmt *st,
			    struct pv_err *err)
{
	if (code != SQLITE_ERROR)
		return pv_db_fail(a, st, err);
	pv_fail(err, PV_ERR_USAGE, "The search is not understood: put words with signs "
		   "such as - or : between double quotes (\"de-klik\"), write AND, OR "
		   "and NOT in capitals between words, and close every quote and "
		   "bracket.");
	sqlite3_finalize(st);
	return -1;
}

static int query_error(struct pv_archive *a, sqlite3_stmt *st, struct pv_err *err)
{
	return query_error_code(a, sqlite3_errcode(a->db), st, err);
}

static int empty_query(const char *query, struct pv_err *err)
{
	if (query && query[strspn(query, " \t\r\n")])
		return 0;
	pv_fail(err, PV_ERR_USAGE, "Give some words to search for.");
	return -1;
}

/*
 * A search runs in two passes over the matches, newest first:
 *  1. rank them (pv_rank, rank.c; column weights title 3, caption 2, story 1,
 *     tags 2), up to `window` of them, and keep the best `limit`;
 *  2. make a snippet for each hit kept, and for no other match.
 * Each pass reads the query's match list once, which matters most for a
 * prefix query, whose list FTS5 merges anew for every statement.
 */
static int rank_newest(struct pv_archive *a, const char *query, size_t window,
		       struct pv_search_hits *out, int64_t *seen, struct pv_err *err)
{
	/* prepared once per handle: serve runs it on every search page */
	sqlite3_stmt *st = pv_db_hot(a, PV_HOT_RANK_NEWEST,
		"SELECT rowid, pv_rank(entries_fts, 3.0, 2.0, 1.0, 2.0) FROM entries_fts"
		" WHERE entries_fts MATCH ?1 ORDER BY rowid DESC LIMIT ?2", err);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, query, -1, SQLITE_TRANSIENT);
	/* one more than the window, to know whether there are more */
	sqlite3_bind_int64(st, 2, window ? (sqlite3_int64)window + 1 : -1);
	size_t cap = 0;
	int rc;
	*seen = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (++*seen <= (int64_t)window || !window)
			hits_push(out, &cap, sqlite3_column_int64(st, 0),
				  sqlite3_column_double(st, 1));
	/* the reset gives the failed step's code back; SQLite does not promise
	 * that the connection still holds it after clear_bindings */
	int code = pv_db_hot_done(st);
	return rc == SQLITE_DONE ? 0 : query_error_code(a, code, NULL, err);
}

/* Best (lowest) rank first; on a tie, the newer entry. */
static int by_rank(const void *x, const void *y)
{
	const struct pv_search_hit *p = x, *q = y;
	if (p->rank != q->rank)
		return p->rank < q->rank ? -1 : 1;
	return (p->id < q->id) - (p->id > q->id);
}

static int by_id(const void *x, const void *y)
{
	const struct pv_search_hit *const *p = x, *const *q = y;
	return ((*p)->id > (*q)->id) - ((*p)->id < (*q)->id);
}

/* The hits ordered by id, for finding one by its id. */
static struct pv_search_hit **index_by_id(struct pv_search_hits *h)
{
	struct pv_search_hit **ix = malloc((h->count + 1) * sizeof *ix);
	if (!ix)
		abort();
	for (size_t i = 0; i < h->count; i++)
		ix[i] = &h->items[i];
	qsort(ix, h->count, sizeof *ix, by_id);
	return ix;
}

/* Few hits are named in the statement, so that no other snippet is made
 * (as "+rowid", which SQLite checks on each row of the one sweep over the
 * range; a plain "rowid IN" would make FTS5 run the query once per id);
 * many (every hit of a large search) are read in the sweep unnamed. */
#define NAMED_HITS_MAX 100

static char *snippet_sql(size_t named)
{
	size_t n = 256 + named * 3;
	char *sql = malloc(n);
	if (!sql)
		abort();
	size_t o = (size_t)snprintf(sql, n,
		"SELECT rowid, snippet(entries_fts, -1, '[', ']', '...', 12) FROM entries_fts"
		" WHERE entries_fts MATCH ?1 AND rowid BETWEEN ?2 AND ?3");
	for (size_t i = 0; i < named; i++)
		o += (size_t)snprintf(sql + o, n - o, "%s", i ? ",?" : " AND +rowid IN (?");
	snprintf(sql + o, n - o, "%s", named ? ")" : "");
	return sql;
}

static void take_snippets(sqlite3_stmt *st, struct pv_search_hit **ix, size_t n, int *rc)
{
	while ((*rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct pv_search_hit key = { .id = sqlite3_column_int64(st, 0) }, *k = &key;
		struct pv_search_hit **hit = bsearch(&k, ix, n, sizeof *ix, by_id);
		if (hit && !(*hit)->snippet)
			(*hit)->snippet = pv_db_column_text(st, 1);
	}
}

static int add_snippets(struct pv_archive *a, const char *query,
			struct pv_search_hits *h, struct pv_err *err)
{
	if (!h->count)
		return 0;
	struct pv_search_hit **ix = index_by_id(h);
	size_t named = h->count <= NAMED_HITS_MAX ? h->count : 0;
	char *sql = snippet_sql(named);
	sqlite3_stmt *st = pv_db_prepare(a, sql, err);
	free(sql);
	int rc = SQLITE_DONE;
	if (st) {
		sqlite3_bind_text(st, 1, query, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 2, ix[0]->id);
		sqlite3_bind_int64(st, 3, ix[h->count - 1]->id);
		for (size_t i = 0; i < named; i++)
			sqlite3_bind_int64(st, 4 + (int)i, ix[i]->id);
		take_snippets(st, ix, h->count, &rc);
	}
	free(ix);
	if (!st)
		return -1;
	if (rc != SQLITE_DONE)
		return query_error(a, st, err);
	sqlite3_finalize(st);
	for (size_t i = 0; i < h->count; i++)
		if (!h->items[i].snippet)
			h->items[i].snippet = pv_strdup("");
	return 0;
}

static int search(struct pv_archive *a, const char *query, const struct pv_search_opts *o,
		  struct pv_search_hits *out, struct pv_search_info *info, struct pv_err *err)
{
	out->items = NULL;
	out->count = 0;
	memset(info, 0, sizeof *info);
	if (empty_query(query, err) != 0)
		return -1;
	int64_t seen;
	int r = rank_newest(a, query, o->window, out, &seen, err);
	if (r == 0) {
		info->more = o->window && seen > (int64_t)o->window;
		info->matches = info->more ? (int64_t)o->window : seen;
		if (out->count)
			qsort(out->items, out->count, sizeof *out->items, by_rank);
		if (o->limit && out->count > o->limit)
			out->count = o->limit;
		r = o->no_snippets ? 0 : add_snippets(a, query, out, err);
	}
	if (r != 0)
		pv_search_hits_free(out);
	return r;
}

int pv_store_search_top(struct pv_archive *a, const char *query,
			const struct pv_search_opts *o, struct pv_search_hits *out,
			struct pv_search_info *info, struct pv_err *err)
{
	return search(a, query, o, out, info, err);
}

int pv_store_search(struct pv_archive *a, const char *query,
		    struct pv_search_hits *out, struct pv_err *err)
{
	struct pv_search_opts all = { .limit = 0, .window = 0 };
	struct pv_search_info info;
	return search(a, query, &all, out, &info, err);
}

int64_t pv_store_search_count(struct pv_archive *a, const char *query, struct pv_err *err)
{
	if (empty_query(query, err) != 0)
		return -1;
	sqlite3_stmt *st = pv_db_prepare(a, "SELECT count(*) FROM entries_fts"
					 " WHERE entries_fts MATCH ?", err);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, query, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) != SQLITE_ROW)
		return query_error(a, st, err);
	int64_t n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* ---- near duplicates -------------------------------------------------- */

static int phash_of(struct pv_archive *a, int64_t id, uint64_t *h, struct pv_err *err)
{
	sqlite3_stmt *st = pv_db_prepare(a, "SELECT phash FROM entries WHERE id = ?",
					 err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	int found = rc == SQLITE_ROW &&
		    pv_phash_parse((const char *)sqlite3_column_text(st, 0), h) == 0;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return pv_db_fail(a, st, err);
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		pv_fail(err, PV_ERR_NOT_FOUND, "There is no entry %lld in this archive.", (long long)id);
	return rc == SQLITE_DONE ? -1 : found;
}

static void ids_push(int64_t **ids, size_t *n, size_t *cap, int64_t id)
{
	*ids = pv_grow(*ids, *n, cap, sizeof **ids);
	(*ids)[(*n)++] = id;
}

/* The hashed entries of sql (one parameter: id) within max_distance bits
 * of entry id's hash. */
static int near_of(struct pv_archive *a, int64_t id, int max_distance, const char *sql,
		   int64_t **ids, size_t *n, struct pv_err *err)
{
	*ids = NULL;
	*n = 0;
	uint64_t mine;
	int has = phash_of(a, id, &mine, err);
	if (has <= 0)
		return has;   /* no hash: no near duplicates to find */
	sqlite3_stmt *st = pv_db_prepare(a, sql, err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		uint64_t other;
		if (pv_phash_parse((const char *)sqlite3_column_text(st, 1), &other) == 0 &&
		    pv_phash_distance(mine, other) <= max_distance)
			ids_push(ids, n, &cap, sqlite3_column_int64(st, 0));
	}
	if (rc != SQLITE_DONE) {
		free(*ids);
		*ids = NULL;
		*n = 0;
		return pv_db_fail(a, st, err);
	}
	sqlite3_finalize(st);
	return 0;
}

int pv_store_near_duplicates(struct pv_archive *a, int64_t id, int max_distance,
			     int64_t **ids, size_t *n, struct pv_err *err)
{
	return near_of(a, id, max_distance, "SELECT id, phash FROM entries"
		       " WHERE phash IS NOT NULL AND id <> ? ORDER BY id", ids, n, err);
}

int pv_store_near_duplicates_earlier(struct pv_archive *a, int64_t id, int max_distance,
				     int64_t **ids, size_t *n, struct pv_err *err)
{
	return near_of(a, id, max_distance, "SELECT id, phash FROM entries"
		       " WHERE phash IS NOT NULL AND id < ? ORDER BY id", ids, n, err);
}
