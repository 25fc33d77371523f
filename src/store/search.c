/* Finding entries: full-text search (FTS5, bm25 with title and caption
 * weighing more than the story) and near duplicates by perceptual hash. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static void hits_push(struct pv_search_hits *h, size_t *cap, sqlite3_stmt *st)
{
	if (h->count == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		h->items = realloc(h->items, *cap * sizeof *h->items);
		if (!h->items)
			abort();
	}
	struct pv_search_hit *hit = &h->items[h->count++];
	hit->id = sqlite3_column_int64(st, 0);
	hit->rank = sqlite3_column_double(st, 1);
	hit->snippet = pv_db_column_text(st, 2);
	if (!hit->snippet)
		hit->snippet = pv_strdup("");
}

/* FTS5 reports a query it cannot parse when the statement runs; that is the
 * searcher's mistake, not a damaged catalogue. */
static int query_error(struct pv_archive *a, sqlite3_stmt *st, char *err,
		       size_t errlen)
{
	int code = sqlite3_errcode(a->db);
	if (code != SQLITE_ERROR)
		return pv_db_fail(a, st, err, errlen);
	pv_set_err(err, errlen, "The search is not understood: put words with signs "
		   "such as - or : between double quotes (\"de-klik\"), write AND, OR "
		   "and NOT in capitals between words, and close every quote and "
		   "bracket.");
	sqlite3_finalize(st);
	return -2;
}

static int empty_query(const char *query, char *err, size_t errlen)
{
	if (query && query[strspn(query, " \t\r\n")])
		return 0;
	pv_set_err(err, errlen, "Give some words to search for.");
	return -2;
}

int pv_store_search_top(struct pv_archive *a, const char *query, size_t limit,
			struct pv_search_hits *out, char *err, size_t errlen)
{
	out->items = NULL;
	out->count = 0;
	if (empty_query(query, err, errlen) != 0)
		return -2;
	sqlite3_stmt *st = pv_db_prepare(a,
		"SELECT rowid, rank, snippet(entries_fts, -1, '[', ']', '...', 12)"
		" FROM entries_fts WHERE entries_fts MATCH ? ORDER BY rank LIMIT ?",
		err, errlen);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, query, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, limit ? (sqlite3_int64)limit : -1);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		hits_push(out, &cap, st);
	if (rc != SQLITE_DONE) {
		pv_search_hits_free(out);
		return query_error(a, st, err, errlen);
	}
	sqlite3_finalize(st);
	return 0;
}

int pv_store_search(struct pv_archive *a, const char *query,
		    struct pv_search_hits *out, char *err, size_t errlen)
{
	return pv_store_search_top(a, query, 0, out, err, errlen);
}

int64_t pv_store_search_count(struct pv_archive *a, const char *query, char *err,
			      size_t errlen)
{
	if (empty_query(query, err, errlen) != 0)
		return -2;
	sqlite3_stmt *st = pv_db_prepare(a, "SELECT count(*) FROM entries_fts"
					 " WHERE entries_fts MATCH ?", err, errlen);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, query, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) != SQLITE_ROW)
		return query_error(a, st, err, errlen);
	int64_t n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* ---- near duplicates -------------------------------------------------- */

/* 16 hex digits to 64 bits; -1 when it is not exactly that. */
static int parse_phash(const char *hex, uint64_t *out)
{
	if (!hex || strlen(hex) != 16 || strspn(hex, "0123456789abcdefABCDEF") != 16)
		return -1;
	*out = strtoull(hex, NULL, 16);
	return 0;
}

static int bits_apart(uint64_t x, uint64_t y)
{
	return __builtin_popcountll(x ^ y);
}

static int phash_of(struct pv_archive *a, int64_t id, uint64_t *h, char *err,
		    size_t errlen)
{
	sqlite3_stmt *st = pv_db_prepare(a, "SELECT phash FROM entries WHERE id = ?",
					 err, errlen);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	int found = rc == SQLITE_ROW &&
		    parse_phash((const char *)sqlite3_column_text(st, 0), h) == 0;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return pv_db_fail(a, st, err, errlen);
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		pv_set_err(err, errlen, "There is no entry %lld in this archive.", (long long)id);
	return rc == SQLITE_DONE ? -1 : found;
}

static void ids_push(int64_t **ids, size_t *n, size_t *cap, int64_t id)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		*ids = realloc(*ids, *cap * sizeof **ids);
		if (!*ids)
			abort();
	}
	(*ids)[(*n)++] = id;
}

int pv_store_near_duplicates(struct pv_archive *a, int64_t id, int max_distance,
			     int64_t **ids, size_t *n, char *err, size_t errlen)
{
	*ids = NULL;
	*n = 0;
	uint64_t mine;
	int has = phash_of(a, id, &mine, err, errlen);
	if (has <= 0)
		return has;   /* no hash: no near duplicates to find */
	sqlite3_stmt *st = pv_db_prepare(a, "SELECT id, phash FROM entries"
					 " WHERE phash IS NOT NULL AND id <> ? ORDER BY id",
					 err, errlen);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		uint64_t other;
		if (parse_phash((const char *)sqlite3_column_text(st, 1), &other) == 0 &&
		    bits_apart(mine, other) <= max_distance)
			ids_push(ids, n, &cap, sqlite3_column_int64(st, 0));
	}
	if (rc != SQLITE_DONE) {
		free(*ids);
		*ids = NULL;
		*n = 0;
		return pv_db_fail(a, st, err, errlen);
	}
	sqlite3_finalize(st);
	return 0;
}
