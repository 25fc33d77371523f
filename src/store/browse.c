/*
 * One page of the catalogue, as the staff workspace's grid shows it: a
 * filter (tags, participant, consent as it counts today) and a full-text
 * search, counted over every page, with only the page's entries read whole.
 *
 * The consent that counts today is decided in C (pv_entry_effective_consent),
 * never again in SQL: so every entry that matches the tags and participant
 * is read, but only the few columns that rule needs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "photovoice/store.h"
#include "photovoice/util.h"
#include "store_internal.h"

/* What the consent rule needs of an entry, and its id. */
struct light {
	int64_t id;
	struct pv_entry e;   /* only consent, guardian, consent_until, under16 */
};

/* " AND ..." for the tags and the participant (bound by bind_light). */
static char *filter_where(const struct pv_filter *f)
{
	size_t n = 64 + f->ntags * 64;
	char *sql = malloc(n);
	if (!sql)
		abort();
	int o = snprintf(sql, n, "%s", "");
	for (size_t i = 0; i < f->ntags; i++)
		o += snprintf(sql + o, n - (size_t)o,
			      " AND e.id IN (SELECT entry_id FROM tags WHERE tag = ?)");
	if (f->participant)
		snprintf(sql + o, n - (size_t)o, " AND e.participant = ?");
	return sql;
}

static char *light_sql(const struct pv_filter *f, int searching)
{
	char *where = filter_where(f), *sql = NULL;
	/* the matches a search ranks: the newest PV_BROWSE_WINDOW + 1 */
	char fts[160] = "";
	if (searching)
		snprintf(fts, sizeof fts, " AND e.id IN (SELECT rowid FROM entries_fts WHERE"
			 " entries_fts MATCH ? ORDER BY rowid DESC LIMIT %d)", PV_BROWSE_WINDOW + 1);
	if (asprintf(&sql, "SELECT e.id, e.consent, e.guardian, e.consent_until, p.under16"
		     " FROM entries e LEFT JOIN participants p ON p.code = e.participant"
		     " WHERE 1%s%s ORDER BY e.id DESC", where, fts) < 0)
		abort();
	free(where);
	return sql;
}

static int bind_light(sqlite3_stmt *st, const struct pv_filter *f, const char *query,
		      struct pv_err *err)
{
	int i = 1;
	for (size_t t = 0; t < f->ntags; t++) {
		char *tag = pv_store_fold_tag(f->tags[t]);
		if (!tag)
			return pv_fail(err, PV_ERR_INPUT, "A tag to filter by is not text a tag "
				       "can be.");
		sqlite3_bind_text(st, i++, tag, -1, SQLITE_TRANSIENT);
		free(tag);
	}
	if (f->participant)
		sqlite3_bind_text(st, i++, f->participant, -1, SQLITE_TRANSIENT);
	if (query)
		sqlite3_bind_text(st, i, query, -1, SQLITE_TRANSIENT);
	return 0;
}

static int passes(const struct pv_filter *f, const struct pv_entry *e, const char *today)
{
	int c = (int)pv_entry_effective_consent(e, today);
	return (f->min_consent < 0 || c >= f->min_consent) &&
	       (f->exact_consent < 0 || c == f->exact_consent);
}

/* The ids that pass the filter (and are among the search's matches), newest
 * first. */
static int matching_ids(struct pv_archive *a, const struct pv_filter *f, const char *query,
			int64_t **ids, size_t *n, struct pv_err *err)
{
	char *sql = light_sql(f, query != NULL);
	sqlite3_stmt *st = pv_db_prepare(a, sql, err);
	free(sql);
	if (!st)
		return -1;
	if (bind_light(st, f, query, err) != 0) {
		sqlite3_finalize(st);
		return -1;
	}
	char today[11];
	pv_today_iso(today);
	size_t cap = 0;
	int rc;
	*ids = NULL;
	*n = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct pv_entry e = { .id = sqlite3_column_int64(st, 0) };
		int c = pv_consent_parse((const char *)sqlite3_column_text(st, 1));
		e.consent = c < 0 ? PV_CONSENT_INTERNAL : (enum pv_consent)c;
		e.guardian = sqlite3_column_type(st, 2) == SQLITE_NULL ? PV_GUARDIAN_UNKNOWN
								       : sqlite3_column_int(st, 2);
		e.consent_until = (char *)sqlite3_column_text(st, 3);
		e.under16 = sqlite3_column_int(st, 4) == 1;
		if (!passes(f, &e, today))
			continue;
		*ids = pv_grow(*ids, *n, &cap, sizeof **ids);
		(*ids)[(*n)++] = e.id;
	}
	if (rc != SQLITE_DONE) {
		free(*ids);
		*ids = NULL;
		if (!query || sqlite3_errcode(a->db) != SQLITE_ERROR)
			return pv_db_fail(a, st, err);
		sqlite3_finalize(st);
		return -2;
	}
	sqlite3_finalize(st);
	return 0;
}

static int by_id_desc(const void *x, const void *y)
{
	int64_t p = *(const int64_t *)x, q = *(const int64_t *)y;
	return (p < q) - (p > q);
}

static int unfiltered(const struct pv_filter *f)
{
	return !f->ntags && !f->participant && f->min_consent < 0 && f->exact_consent < 0;
}

/* The search's ranking, best first. When filtered, *ids holds those that
 * pass the filter (newest first) and only they are kept; else *ids becomes
 * every ranked match. */
static int rank_ids(struct pv_archive *a, const char *query, int filtered, int64_t **ids,
		    size_t *n, int *more, struct pv_err *err)
{
	struct pv_search_opts o = { .limit = 0, .window = PV_BROWSE_WINDOW, .no_snippets = 1 };
	struct pv_search_hits h;
	struct pv_search_info info;
	if (pv_store_search_top(a, query, &o, &h, &info, err) != 0)
		return -1;
	*more = info.more;
	if (!filtered) {
		*ids = calloc(h.count + 1, sizeof **ids);
		if (!*ids)
			abort();
		*n = h.count;
		for (size_t i = 0; i < h.count; i++)
			(*ids)[i] = h.items[i].id;
		pv_search_hits_free(&h);
		return 0;
	}
	size_t kept = 0;
	for (size_t i = 0; *n && i < h.count; i++)   /* ids is newest first: a bsearch
							(none passed: *ids may be NULL) */
		if (bsearch(&h.items[i].id, *ids, *n, sizeof **ids, by_id_desc))
			h.items[kept++].id = h.items[i].id;
	for (size_t i = 0; i < kept; i++)
		(*ids)[i] = h.items[i].id;
	*n = kept;
	pv_search_hits_free(&h);
	return 0;
}

static int read_page(struct pv_archive *a, const int64_t *ids, size_t n, int cards,
		     struct pv_entry_list *out, struct pv_err *err)
{
	out->items = calloc(n + 1, sizeof *out->items);
	if (!out->items)
		abort();
	out->count = n;   /* what was not read is zero: freed all the same */
	return cards ? pv_store_get_cards(a, ids, n, out->items, err)
		     : pv_store_get_many(a, ids, n, out->items, err);
}

/* Without a search and a consent filter SQL says it all: the count, and
 * the one page's ids (the grid's most common request). */
static int plain_page(struct pv_archive *a, const struct pv_filter *f, size_t per, int cards,
		      struct pv_browse_page *out, struct pv_err *err)
{
	char *where = filter_where(f);
	char *count_sql = NULL, *page_sql = NULL;
	/* no filter: a bare count(*), which SQLite answers from the table's
	 * b-tree without stepping through rows (a "WHERE 1" would make it step
	 * through all of them: 20 times slower on 10,000 entries) */
	if (asprintf(&count_sql, "SELECT count(*) FROM entries e%s%s", *where ? " WHERE 1" : "",
		     where) < 0 ||
	    asprintf(&page_sql, "SELECT e.id FROM entries e WHERE 1%s ORDER BY e.id DESC"
		     " LIMIT ? OFFSET ?", where) < 0)
		abort();
	free(where);
	sqlite3_stmt *st = pv_db_prepare(a, count_sql, err);
	int r = st && bind_light(st, f, NULL, err) == 0 ? 0 : -1;
	if (r == 0 && sqlite3_step(st) != SQLITE_ROW)
		r = pv_db_fail(a, st, err), st = NULL;
	if (r == 0)
		out->total = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	out->pages = out->total ? ((size_t)out->total + per - 1) / per : 1;
	int64_t ids[PV_BROWSE_MAX_PER_PAGE];
	size_t n = 0;
	st = r == 0 && out->page <= out->pages ? pv_db_prepare(a, page_sql, err) : NULL;
	if (st && bind_light(st, f, NULL, err) == 0) {
		int i = (int)f->ntags + (f->participant ? 1 : 0);
		sqlite3_bind_int64(st, i + 1, (sqlite3_int64)per);
		sqlite3_bind_int64(st, i + 2, (sqlite3_int64)((out->page - 1) * per));
		int rc;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < per)
			ids[n++] = sqlite3_column_int64(st, 0);
		if (rc != SQLITE_DONE && rc != SQLITE_ROW)
			r = pv_db_fail(a, st, err), st = NULL;
	}
	sqlite3_finalize(st);
	free(count_sql);
	free(page_sql);
	return r == 0 ? read_page(a, ids, n, cards, &out->entries, err) : -1;
}

void pv_browse_page_free(struct pv_browse_page *p)
{
	pv_entry_list_free(&p->entries);
}

int pv_store_browse(struct pv_archive *a, const struct pv_browse *b,
		    struct pv_browse_page *out, struct pv_err *err)
{
	memset(out, 0, sizeof *out);
	const char *query = b->query && b->query[strspn(b->query, " \t\r\n")] ? b->query : NULL;
	size_t per = b->per_page && b->per_page <= PV_BROWSE_MAX_PER_PAGE ? b->per_page
									 : PV_BROWSE_PER_PAGE;
	out->page = b->page ? b->page : 1;
	if (!query && b->filter.min_consent < 0 && b->filter.exact_consent < 0) {
		int r = plain_page(a, &b->filter, per, b->cards, out, err);
		if (r != 0)
			pv_browse_page_free(out);
		return r;
	}
	int64_t *ids = NULL;
	size_t n = 0;
	int r;
	if (unfiltered(&b->filter)) {   /* the search alone: its ranking says it all */
		r = rank_ids(a, query, 0, &ids, &n, &out->more, err);
	} else {
		r = matching_ids(a, &b->filter, query, &ids, &n, err);
		if (r == -2)   /* the search's own sentence says how to write it */
			r = pv_store_search_count(a, query, err) < 0 ? -1 : pv_fail(err,
				PV_ERR_ARCHIVE, "The catalogue could not be read.");
		if (r == 0 && query)
			r = rank_ids(a, query, 1, &ids, &n, &out->more, err);
	}
	if (r == 0) {
		out->total = (int64_t)n;
		out->pages = n ? (n + per - 1) / per : 1;
		size_t from = out->page <= out->pages ? (out->page - 1) * per : n;
		size_t to = from + per < n ? from + per : n;
		r = read_page(a, ids + from, to - from, b->cards, &out->entries, err);
	}
	free(ids);
	if (r != 0)
		pv_browse_page_free(out);
	return r;
}
