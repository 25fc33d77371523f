/* Which entries a bundle request names: the spec's entries and the ids in
 * their order, narrowed by every tag and by the query; or, without named
 * entries, the query's matches or the tags' entries in catalogue order.
 * Everything is selected whatever its consent: consent is checked after, so
 * that each entry left out can be named with its reason.
 *
 * The cost grows with what is selected, never with the catalogue: a query's
 * matches are read by id, and a named entry is looked up among them by
 * binary search. */
#include "bundle_build.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* ---- the spec and the named ids ------------------------------------------- */

static int parse_spec(const char *text, size_t len, struct pv_bundle_spec *spec,
		      struct pv_err *err)
{
	return pv_bundle_spec_parse(text, len, spec, err);
}

static int read_spec(const struct pv_bundle_request *rq, struct pv_bundle_spec *spec,
		     struct pv_err *err)
{
	if (!rq->spec_path)
		return parse_spec(rq->spec_text, rq->spec_len, spec, err);
	uint8_t *data;
	size_t len;
	if (pv_read_file(rq->spec_path, PV_MAX_SIDECAR_BYTES, &data, &len, err) != 0)
		return -1;
	int r = parse_spec((const char *)data, len, spec, err);
	free(data);
	return r;
}

static int named_before(const int64_t *ids, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return 1;
	return 0;
}

/* The spec's entries in order, then each id; an entry named twice is refused
 * (it can stand on a poster once). Named entries are few: the check of each
 * against those before it stays small. */
static int collect_ids(const struct pv_bundle_request *rq, struct pv_bundle_sel *s,
		       struct pv_err *err)
{
	s->ids = calloc(s->spec.nentries + rq->nids + 1, sizeof *s->ids);
	if (!s->ids)
		return pv_fail(err, PV_ERR_INPUT, "The selection is too large (out of memory).");
	for (size_t i = 0; i < s->spec.nentries; i++)
		s->ids[s->nids++] = s->spec.entries[i].id;
	/* the ids were checked with the request (pv_bundle_request_check);
	 * here each is checked against the spec's */
	for (size_t i = 0; i < rq->nids; i++) {
		if (named_before(s->ids, s->nids, rq->ids[i]))
			return pv_fail(err, PV_ERR_INPUT, "Entry %" PRId64 " is named in the spec and by --id; it can be in a bundle once.",
				       rq->ids[i]);
		s->ids[s->nids++] = rq->ids[i];
	}
	if (!s->nids && !rq->ntags && !rq->query)
		return pv_fail(err, PV_ERR_INPUT, "The spec names no entries; add entry lines to it, or choose entries with --tag, --id or --query.");
	return 0;
}

int pv_bundle_sel_read(const struct pv_bundle_request *rq, struct pv_bundle_sel *s,
		       struct pv_err *err)
{
	s->spec.paper = -1;
	s->spec.landscape = -1;
	s->has_spec = rq->spec_path || rq->spec_text;
	if (s->has_spec && read_spec(rq, &s->spec, err) != 0)
		return -1;
	return collect_ids(rq, s, err);
}

const char *pv_bundle_sel_caption(const struct pv_bundle_sel *s, int64_t id)
{
	for (size_t i = 0; i < s->spec.nentries; i++)
		if (s->spec.entries[i].id == id)
			return s->spec.entries[i].caption;
	return NULL;
}

/* ---- the query's matches, as sorted ids --------------------------------------- */

static int by_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static int matching_ids(struct pv_archive *a, const char *query, int64_t **ids,
			size_t *n, struct pv_err *err)
{
	struct pv_search_hits hits = { NULL, 0 };
	if (pv_store_search(a, query, &hits, err) != 0)
		return -1;
	*ids = calloc(hits.count + 1, sizeof **ids);
	if (!*ids) {
		pv_search_hits_free(&hits);
		return pv_fail(err, PV_ERR_INPUT, "The query matches too many entries (out of memory).");
	}
	for (size_t i = 0; i < hits.count; i++)
		(*ids)[i] = hits.items[i].id;
	*n = hits.count;
	pv_search_hits_free(&hits);
	qsort(*ids, *n, sizeof **ids, by_id);
	return 0;
}

/* ---- narrowing ------------------------------------------------------------------- */

static int has_tag(const struct pv_entry *e, const char *folded)
{
	for (size_t i = 0; i < e->ntags; i++)
		if (strcmp(e->tags[i], folded) == 0)
			return 1;
	return 0;
}

struct narrowing {
	char **tags;              /* folded */
	size_t ntags;
	const int64_t *matches;   /* sorted; NULL: no query */
	size_t nmatches;
};

static int keeps(const struct narrowing *nw, const struct pv_entry *e)
{
	if (nw->matches && !bsearch(&e->id, nw->matches, nw->nmatches, sizeof *nw->matches, by_id))
		return 0;
	for (size_t i = 0; i < nw->ntags; i++)
		if (!has_tag(e, nw->tags[i]))
			return 0;
	return 1;
}

static void narrow(const struct narrowing *nw, struct pv_entry_list *l)
{
	size_t kept = 0;
	for (size_t i = 0; i < l->count; i++) {
		if (keeps(nw, &l->items[i]))
			l->items[kept++] = l->items[i];
		else
			pv_entry_free(&l->items[i]);
	}
	l->count = kept;
}

static int fold_tags(const struct pv_bundle_request *rq, struct narrowing *nw,
		     struct pv_err *err)
{
	nw->tags = calloc(rq->ntags + 1, sizeof *nw->tags);
	if (!nw->tags)
		return pv_fail(err, PV_ERR_INPUT, "Too many tags (out of memory).");
	for (size_t i = 0; i < rq->ntags; i++) {
		nw->tags[nw->ntags] = pv_store_fold_tag(rq->tags[i]);
		if (!nw->tags[nw->ntags])
			return pv_fail(err, PV_ERR_INPUT, "A tag is not valid UTF-8 text.");
		nw->ntags++;
	}
	return 0;
}

static void narrowing_free(struct narrowing *nw)
{
	for (size_t i = 0; i < nw->ntags; i++)
		free(nw->tags[i]);
	free(nw->tags);
	free((int64_t *)nw->matches);
}

/* ---- the selection ------------------------------------------------------------------ */

static int list_ids(struct pv_archive *a, const int64_t *ids, size_t n,
		    struct pv_entry_list *out, struct pv_err *err)
{
	struct pv_filter f = { .ids = ids, .nids = n, .min_consent = -1, .exact_consent = -1 };
	if (n == 0) {
		out->items = NULL;
		out->count = 0;
		return 0;
	}
	return pv_store_list(a, &f, out, err);
}

static int list_tagged(struct pv_archive *a, const struct pv_bundle_request *rq,
		       struct pv_entry_list *out, struct pv_err *err)
{
	struct pv_filter f = { .tags = rq->tags, .ntags = rq->ntags, .min_consent = -1,
			       .exact_consent = -1 };
	return pv_store_list(a, &f, out, err);
}

static int select_into(const struct pv_bundle_request *rq, struct pv_bundle_sel *s,
		       struct narrowing *nw, struct pv_err *err)
{
	int64_t *matches = NULL;
	if (fold_tags(rq, nw, err) != 0)
		return -1;
	if (rq->query && matching_ids(rq->archive, rq->query, &matches, &nw->nmatches, err) != 0)
		return -1;
	nw->matches = matches;
	if (s->nids)
		return list_ids(rq->archive, s->ids, s->nids, &s->list, err);
	if (matches) {
		/* the query's matches only: the tags are checked on those */
		int r = list_ids(rq->archive, matches, nw->nmatches, &s->list, err);
		nw->matches = NULL;
		free(matches);
		return r;
	}
	return list_tagged(rq->archive, rq, &s->list, err);
}

int pv_bundle_sel_select(const struct pv_bundle_request *rq, struct pv_bundle_sel *s,
			 struct pv_err *err)
{
	struct narrowing nw = { 0 };
	int r = select_into(rq, s, &nw, err);
	if (r == 0)
		narrow(&nw, &s->list);
	narrowing_free(&nw);
	if (r == 0 && s->list.count == 0)
		r = pv_fail(err, PV_ERR_NOT_FOUND, "No entries match that selection; nothing was written.");
	return r;
}

void pv_bundle_sel_free(struct pv_bundle_sel *s)
{
	pv_bundle_spec_free(&s->spec);
	free(s->ids);
	pv_entry_list_free(&s->list);
	memset(s, 0, sizeof *s);
}
