/*
 * pv_rank: the ranking function of full-text search, registered on every
 * catalogue connection. It is Okapi BM25 as FTS5's own bm25() computes it
 * (k1 = 1.2, b = 0.75, a weight per column, lower is better), with one
 * difference that keeps a search of a very common word fast: bm25() counts,
 * for every query, all entries that hold each phrase (to weigh rare words
 * above common ones), which takes as long as reading every match. pv_rank
 * stops counting at IDF_COUNT_CAP entries: phrases found in more entries than
 * that are weighed as equally common. For a query of one phrase the order is
 * exactly bm25()'s.
 *
 * BM25 needs each match's length in tokens, which FTS5 reads for every row
 * with a statement of its own (its %_docsize table): over a third of a
 * search page in serve, which ranks the newest 501 matches. Lengths change
 * only when a transaction changes the catalogue, so each connection keeps
 * the ones it read, by entry number, for as long as the catalogue's data
 * version (SQLITE_FCNTL_DATA_VERSION: any commit, this connection's own
 * included) stays the same. A search inside a write transaction, whose own
 * changes are not committed yet, reads them afresh.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "photovoice/i18n.h"
#include "store_internal.h"

#define K1 1.2
#define B 0.75
#define IDF_COUNT_CAP 1000
/* Beyond it lengths are read, not kept: at most 4 MB a connection. */
#define LENGTHS_MAX_ROWID (1 << 20)

/* One per connection (the function's user data), freed with it. By rowid
 * of the one table ranked, entries_fts in the catalogue ("main"): a second
 * table ranked with pv_rank would need lengths of its own. */
struct lengths {
	sqlite3 *db;
	unsigned version;   /* the data version they were read at */
	int *len;           /* by rowid; 0: not read yet */
	size_t cap;
};

struct rank_data {
	struct lengths *lengths;   /* NULL: read each row's length from FTS5 */
	int nphrase;
	double avgdl;
	double *idf;       /* per phrase */
	double *tf;        /* per phrase, this row's weighted frequency */
};

static void rank_data_free(void *p)
{
	struct rank_data *d = p;
	if (!d)
		return;
	free(d->idf);
	free(d->tf);
	free(d);
}

static int count_one(const Fts5ExtensionApi *api, Fts5Context *ctx, void *user)
{
	(void)api;
	(void)ctx;
	int *n = user;
	return ++*n >= IDF_COUNT_CAP ? SQLITE_DONE : SQLITE_OK;
}

static double idf_of(sqlite3_int64 rows, int hits)
{
	double idf = log((rows - hits + 0.5) / (hits + 0.5));
	return idf > 1e-6 ? idf : 1e-6;   /* as bm25(): never zero or negative */
}

/* The lengths kept, if they may be used for this query: emptied when the
 * catalogue changed since they were read; NULL inside a write transaction. */
static struct lengths *lengths_valid(struct lengths *l)
{
	unsigned version = 0;
	if (sqlite3_txn_state(l->db, "main") != SQLITE_TXN_READ ||
	    sqlite3_file_control(l->db, "main", SQLITE_FCNTL_DATA_VERSION, &version) !=
		    SQLITE_OK)
		return NULL;
	if (version != l->version) {
		if (l->len)
			memset(l->len, 0, l->cap * sizeof *l->len);
		l->version = version;
	}
	return l;
}

/* This row's length in tokens, from those kept when there. */
static int row_length(const struct rank_data *d, const Fts5ExtensionApi *api,
		      Fts5Context *ctx, int *dl)
{
	struct lengths *l = d->lengths;
	sqlite3_int64 row = l ? api->xRowid(ctx) : 0;
	int kept = l && row > 0 && row < LENGTHS_MAX_ROWID;
	if (kept && (size_t)row < l->cap && l->len[row]) {
		*dl = l->len[row];
		return SQLITE_OK;
	}
	int rc = api->xColumnSize(ctx, -1, dl);
	if (rc != SQLITE_OK || !kept)
		return rc;
	if ((size_t)row >= l->cap) {
		size_t cap = l->cap ? l->cap : 1024;
		while (cap <= (size_t)row)
			cap *= 2;
		int *len = realloc(l->len, cap * sizeof *len);
		if (!len)
			return SQLITE_OK;   /* not kept; the length is right all the same */
		memset(len + l->cap, 0, (cap - l->cap) * sizeof *len);
		l->len = len;
		l->cap = cap;
	}
	l->len[row] = *dl;
	return SQLITE_OK;
}

static struct rank_data *rank_data_make(const Fts5ExtensionApi *api, Fts5Context *ctx)
{
	struct rank_data *d = calloc(1, sizeof *d);
	if (!d)
		return NULL;
	d->nphrase = api->xPhraseCount(ctx);
	d->idf = calloc((size_t)d->nphrase + 1, sizeof *d->idf);
	d->tf = calloc((size_t)d->nphrase + 1, sizeof *d->tf);
	sqlite3_int64 rows = 0, tokens = 0;
	if (!d->idf || !d->tf || api->xRowCount(ctx, &rows) != SQLITE_OK ||
	    api->xColumnTotalSize(ctx, -1, &tokens) != SQLITE_OK) {
		rank_data_free(d);
		return NULL;
	}
	d->avgdl = rows > 0 ? (double)tokens / (double)rows : 1.0;
	d->lengths = lengths_valid(api->xUserData(ctx));
	for (int i = 0; i < d->nphrase; i++) {
		int hits = 0;
		if (api->xQueryPhrase(ctx, i, &hits, count_one) != SQLITE_OK) {
			rank_data_free(d);
			return NULL;
		}
		d->idf[i] = idf_of(rows, hits);
	}
	return d;
}

/* The rank data of this query, made on the first row and kept. */
static struct rank_data *rank_data_get(const Fts5ExtensionApi *api, Fts5Context *ctx)
{
	struct rank_data *d = api->xGetAuxdata(ctx, 0);
	if (d)
		return d;
	d = rank_data_make(api, ctx);
	if (d && api->xSetAuxdata(ctx, d, rank_data_free) != SQLITE_OK)
		return NULL;   /* xSetAuxdata frees d on failure */
	return d;
}

static double column_weight(int col, int nval, sqlite3_value **val)
{
	return col < nval ? sqlite3_value_double(val[col]) : 1.0;
}

static void pv_rank(const Fts5ExtensionApi *api, Fts5Context *ctx,
		    sqlite3_context *out, int nval, sqlite3_value **val)
{
	struct rank_data *d = rank_data_get(api, ctx);
	int ninst = 0, dl = 0;
	if (!d || api->xInstCount(ctx, &ninst) != SQLITE_OK ||
	    row_length(d, api, ctx, &dl) != SQLITE_OK) {
		sqlite3_result_error(out, _("the search could not be ranked"), -1);
		return;
	}
	memset(d->tf, 0, (size_t)d->nphrase * sizeof *d->tf);
	for (int i = 0; i < ninst; i++) {
		int phrase, col, off;
		if (api->xInst(ctx, i, &phrase, &col, &off) == SQLITE_OK &&
		    phrase >= 0 && phrase < d->nphrase)
			d->tf[phrase] += column_weight(col, nval, val);
	}
	double norm = K1 * (1 - B + B * dl / d->avgdl), score = 0;
	for (int i = 0; i < d->nphrase; i++)
		score += d->idf[i] * d->tf[i] * (K1 + 1) / (d->tf[i] + norm);
	sqlite3_result_double(out, -score);
}

static fts5_api *fts5_of(sqlite3 *db)
{
	fts5_api *api = NULL;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
	sqlite3_step(st);
	sqlite3_finalize(st);
	return api;
}

static void lengths_free(void *p)
{
	struct lengths *l = p;
	free(l->len);
	free(l);
}

int pv_rank_register(sqlite3 *db)
{
	fts5_api *api = fts5_of(db);
	struct lengths *l = calloc(1, sizeof *l);
	if (!api || api->iVersion < 2 || !l) {
		free(l);
		return -1;
	}
	l->db = db;
	/* FTS5 calls lengths_free when the connection closes; when it fails
	 * to register, l is still ours */
	if (api->xCreateFunction(api, "pv_rank", l, pv_rank, lengths_free) != SQLITE_OK) {
		lengths_free(l);
		return -1;
	}
	return 0;
}
