/* The entries the poster builder offers: what a search or a tag finds, each
 * with whether its purpose allows it today; and the entries it has chosen,
 * with the same. The selection is the bundle's (select.c) and the rule is
 * pv_entry_usable_for, so that the builder never offers what the bundle
 * would leave out, and says why in the same sentence. */
#include "bundle_build.h"

#include <stdlib.h>
#include <string.h>

static const char *purpose_rule(const char *purpose)
{
	return purpose && strcmp(purpose, "internal") == 0 ? "internal" : "poster";
}

/* Whether c's entry may be used for purpose today; why not in c. */
static void judge(struct pv_bundle_candidate *c, const char *purpose, const char *today)
{
	struct pv_err why = { 0 };
	if (!pv_entry_usable_for(&c->entry, purpose, today, &why))
		c->why_not = pv_strdup(why.msg);
}

static int take(struct pv_bundle_sel *s, const char *purpose, size_t limit,
		struct pv_bundle_candidates *out)
{
	size_t n = limit && s->list.count > limit ? limit : s->list.count;
	out->items = calloc(n + 1, sizeof *out->items);
	if (!out->items)
		return -1;
	char today[11];
	pv_today_iso(today);
	for (size_t i = 0; i < n; i++) {
		struct pv_bundle_candidate *c = &out->items[out->count++];
		/* the entry moves over; the list keeps an emptied shell */
		c->entry = s->list.items[i];
		memset(&s->list.items[i], 0, sizeof s->list.items[i]);
		c->found = 1;
		judge(c, purpose, today);
	}
	return 0;
}

int pv_bundle_candidates(struct pv_archive *a, const char *query, const char *tag,
			 const char *purpose, size_t limit,
			 struct pv_bundle_candidates *out, struct pv_err *err)
{
	memset(out, 0, sizeof *out);
	if (query && !*query)
		query = NULL;
	if (tag && !*tag)
		tag = NULL;
	if (!query && !tag)
		return 0;
	purpose = purpose_rule(purpose);
	const char *tags[1] = { tag };
	struct pv_bundle_request rq = PV_BUNDLE_REQUEST_INIT;
	rq.archive = a;
	rq.query = query;
	rq.tags = tags;
	rq.ntags = tag ? 1 : 0;
	struct pv_bundle_sel s = { 0 };
	struct pv_err why = { 0 };
	int r = pv_bundle_sel_select(&rq, &s, &why);
	if (r != 0 && why.kind != PV_ERR_NOT_FOUND) {
		*err = why;
		pv_bundle_sel_free(&s);
		return -1;
	}
	if (r == 0 && take(&s, purpose, limit, out) != 0)
		r = pv_fail(err, PV_ERR_INPUT, "The search found too much (out of memory).");
	else
		r = 0;
	pv_bundle_sel_free(&s);
	return r;
}

void pv_bundle_chosen(struct pv_archive *a, const struct pv_bundle_spec *spec,
		      const char *purpose, struct pv_bundle_candidates *out)
{
	memset(out, 0, sizeof *out);
	out->items = calloc(spec->nentries + 1, sizeof *out->items);
	if (!out->items)
		abort();
	purpose = purpose_rule(purpose);
	char today[11];
	pv_today_iso(today);
	for (size_t i = 0; i < spec->nentries; i++) {
		struct pv_bundle_candidate *c = &out->items[out->count++];
		struct pv_err why = { 0 };
		c->found = pv_store_get(a, spec->entries[i].id, &c->entry, &why) == 0;
		if (c->found)
			judge(c, purpose, today);
		else
			c->why_not = pv_strdup(why.msg);
	}
}

void pv_bundle_candidates_free(struct pv_bundle_candidates *c)
{
	for (size_t i = 0; i < c->count; i++) {
		pv_entry_free(&c->items[i].entry);
		free(c->items[i].why_not);
	}
	free(c->items);
	memset(c, 0, sizeof *c);
}
