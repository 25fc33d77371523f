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
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "photovoice/i18n.h"
#include "store_internal.h"

#define K1 1.2
#define B 0.75
#define IDF_COUNT_CAP 1000

struct rank_data {
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
	    api->xColumnSize(ctx, -1, &dl) != SQLITE_OK) {
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

int pv_rank_register(sqlite3 *db)
{
	fts5_api *api = fts5_of(db);
	if (!api || api->iVersion < 2)
		return -1;
	return api->xCreateFunction(api, "pv_rank", NULL, pv_rank, NULL) == SQLITE_OK
		       ? 0 : -1;
}
