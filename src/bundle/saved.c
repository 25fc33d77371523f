/* Posters saved from the builder: a spec kept in the catalogue
 * (pv_store_poster_*), opened again as the same spec. */
#include "bundle_internal.h"

#include <stdlib.h>
#include <string.h>

int pv_bundle_poster_save(struct pv_archive *w, int64_t id, const char *name,
			  const struct pv_bundle_spec *spec, int64_t *saved_id,
			  struct pv_err *err)
{
	struct pv_saved_poster p = { .id = id, .name = (char *)name, .title = spec->title,
				     .subtitle = spec->subtitle, .paper = spec->paper,
				     .landscape = spec->landscape, .columns = spec->columns,
				     .nentries = spec->nentries };
	p.entries = calloc(spec->nentries + 1, sizeof *p.entries);
	if (!p.entries)
		return pv_fail(err, PV_ERR_INPUT, "The poster is too large (out of memory).");
	for (size_t i = 0; i < spec->nentries; i++)
		p.entries[i] = (struct pv_saved_poster_entry){ spec->entries[i].id,
							       spec->entries[i].caption };
	int r = pv_store_poster_save(w, &p, err);
	free(p.entries);
	if (r == 0 && saved_id)
		*saved_id = p.id;
	return r;
}

int pv_bundle_poster_load(struct pv_archive *a, int64_t id, struct pv_bundle_spec *spec,
			  char **name, struct pv_err *err)
{
	memset(spec, 0, sizeof *spec);
	spec->paper = spec->landscape = -1;
	struct pv_saved_poster p;
	int found = pv_store_poster_get(a, id, &p, err);
	if (found <= 0)
		return found < 0 ? -1 : pv_fail(err, PV_ERR_NOT_FOUND, "There is no saved poster %lld.",
						(long long)id);
	spec->entries = calloc(p.nentries + 1, sizeof *spec->entries);
	if (!spec->entries) {
		pv_saved_poster_free(&p);
		return pv_fail(err, PV_ERR_INPUT, "The poster is too large (out of memory).");
	}
	for (size_t i = 0; i < p.nentries; i++) {
		spec->entries[i] = (struct pv_bundle_spec_entry){ p.entries[i].id, p.entries[i].caption };
		p.entries[i].caption = NULL;
	}
	spec->nentries = p.nentries;
	spec->title = p.title;
	spec->subtitle = p.subtitle;
	spec->paper = p.paper;
	spec->landscape = p.landscape;
	spec->columns = p.columns;
	p.title = p.subtitle = NULL;
	if (name) {
		*name = p.name;
		p.name = NULL;
	}
	pv_saved_poster_free(&p);
	return 0;
}
