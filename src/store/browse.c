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

static char *light_sql(const struct pv_filter *f, int searching)
{
	size_t n = 512 + f->ntags * 64;
	char *sql = malloc(n);
	if (!sql)
		abort();
	int o = snprintf(sql, n, "SELECT e.id, e.consent, e.guardian, e.consent_until, p.under16"
			 " FROM entries e LEFT JOIN participants p ON p.code = e.participant"
			 " WHERE 1");
	for (size_t i = 0; i < f->ntags; i++)
		o += snprintf(sql + o, n - (size_t)o,
			      " AND e.id IN (SELECT entry_id FROM tags WHERE tag = ?)");
	if (f->participant)
		o += snprintf(sql + o, n - (size_t)o, " AND e.participant = ?");
	/* the matches a search ranks: the newest PV_BROWSE_WINDOW + 1 */
	if (searching)
		o += snprintf(sql + o, n - (size_t)o, " AND e.id IN (SELECT rowid FROM entries_fts"
			      " WHERE entries_fts MATCH ? ORDER BY rowid DESC LIMIT %d)",
			      PV_BROWSE_WINDOW + 1);
	snprintf(sql + o, n - (size_t)o, " ORDER BY e.id DESC");
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

/* The search's ranking, kept to the ids that pass the filter: their order
 * becomes the search's, best first. */
static int rank_ids(struct pv_archive *a, const char *query, int64_t *ids, size_t *n,
		    int *more, struct pv_err *err)
{
	struct pv_search_opts o = { .limit = 0, .window = PV_BROWSE_WINDOW };
	struct pv_search_hits h;
	struct pv_search_info info;
	if (pv_store_search_top(a, query, &o, &h, &info, err) != 0)
		return -1;
	*more = info.more;
	size_t kept = 0;
	for (size_t i = 0; i < h.count; i++)   /* ids is newest first: a bsearch */
		if (bsearch(&h.items[i].id, ids, *n, sizeof *ids, by_id_desc))
			h.items[kept++].id = h.items[i].id;
	for (size_t i = 0; i < kept; i++)
		ids[i] = h.items[i].id;
	*n = kept;
	pv_search_hits_free(&h);
	return 0;
}

static int read_page(struct pv_archive *a, const int64_t *ids, size_t from, size_t to,
		     struct pv_entry_list *out, struct pv_err *err)
{
	out->items = calloc(to - from + 1, sizeof *out->items);
	if (!out->items)
		abort();
	for (size_t i = from; i < to; i++) {
		if (pv_store_get(a, ids[i], &out->items[out->count], err) != 0)
			return -1;
		out->count++;
	}
	return 0;
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
	int64_t *ids = NULL;
	size_t n = 0;
	int r = matching_ids(a, &b->filter, query, &ids, &n, err);
	if (r == -2)   /* the search's own sentence says how to write it */
		r = pv_store_search_count(a, query, err) < 0 ? -1 : pv_fail(err, PV_ERR_ARCHIVE,
			"The catalogue could not be read.");
	if (r == 0 && query)
		r = rank_ids(a, query, ids, &n, &out->more, err);
	if (r == 0) {
		size_t per = b->per_page ? b->per_page : PV_BROWSE_PER_PAGE;
		out->total = (int64_t)n;
		out->pages = n ? (n + per - 1) / per : 1;
		out->page = b->page ? b->page : 1;
		size_t from = out->page <= out->pages ? (out->page - 1) * per : n;
		size_t to = from + per < n ? from + per : n;
		r = read_page(a, ids, from, to, &out->entries, err);
	}
	free(ids);
	if (r != 0)
		pv_browse_page_free(out);
	return r;
}
