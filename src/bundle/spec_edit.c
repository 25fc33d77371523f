/*
 * Editing a spec the way the poster builder does (its buttons: add, move up,
 * move down, remove): the rules of what may go on a poster live here, so that
 * the browser and any later door say the same.
 */
#include <stdlib.h>
#include <string.h>

#include "photovoice/bundle.h"
#include "photovoice/util.h"

static size_t index_of(const struct pv_bundle_spec *s, int64_t id)
{
	for (size_t i = 0; i < s->nentries; i++)
		if (s->entries[i].id == id)
			return i;
	return (size_t)-1;
}

int pv_bundle_spec_holds(const struct pv_bundle_spec *s, int64_t id)
{
	return index_of(s, id) != (size_t)-1;
}

int pv_bundle_spec_append(struct pv_bundle_spec *s, int64_t id, const char *caption,
			  struct pv_err *err)
{
	if (s->nentries >= PV_POSTER_BUILDER_MAX)
		return pv_fail(err, PV_ERR_INPUT, "A poster made here holds at most %d photos; use a "
			       "spec file with photovoice bundle for more.", PV_POSTER_BUILDER_MAX);
	struct pv_bundle_spec_entry *e = realloc(s->entries, (s->nentries + 1) * sizeof *e);
	if (!e)
		abort();
	s->entries = e;
	e[s->nentries++] = (struct pv_bundle_spec_entry){
		.id = id, .caption = caption && *caption ? pv_strdup(caption) : NULL };
	return 0;
}

int pv_bundle_spec_add_usable(struct pv_archive *a, struct pv_bundle_spec *s, int64_t id,
			      const char *purpose, struct pv_err *err)
{
	if (pv_bundle_spec_holds(s, id))
		return 0;   /* on the poster already: once is enough */
	if (s->nentries >= PV_POSTER_BUILDER_MAX)
		return pv_bundle_spec_append(s, id, NULL, err);   /* its sentence */
	struct pv_entry e;
	if (pv_store_get(a, id, &e, err) != 0)
		return -1;
	char today[11];
	pv_today_iso(today);
	int usable = pv_entry_usable_for(&e, purpose, today, err);
	pv_entry_free(&e);
	return usable ? pv_bundle_spec_append(s, id, NULL, err) : -1;
}

static int not_on_poster(struct pv_err *err)
{
	return pv_fail(err, PV_ERR_NOT_FOUND, "That photo is not on this poster.");
}

int pv_bundle_spec_move(struct pv_bundle_spec *s, int64_t id, int by, struct pv_err *err)
{
	size_t at = index_of(s, id);
	if (at == (size_t)-1)
		return not_on_poster(err);
	if (by == 0)
		return 0;
	size_t to = by < 0 ? (at > 0 ? at - 1 : at) : (at + 1 < s->nentries ? at + 1 : at);
	struct pv_bundle_spec_entry t = s->entries[at];
	s->entries[at] = s->entries[to];
	s->entries[to] = t;
	return 0;
}

int pv_bundle_spec_remove(struct pv_bundle_spec *s, int64_t id, struct pv_err *err)
{
	size_t at = index_of(s, id);
	if (at == (size_t)-1)
		return not_on_poster(err);
	free(s->entries[at].caption);
	memmove(&s->entries[at], &s->entries[at + 1],
		(s->nentries - at - 1) * sizeof *s->entries);
	s->nentries--;
	return 0;
}
