/* Internals of pv_bundle_build (build.c): the selection (select.c). */
#ifndef PV_BUNDLE_BUILD_H
#define PV_BUNDLE_BUILD_H

#include "bundle_internal.h"

/* What a request selects, before consent. */
struct pv_bundle_sel {
	struct pv_bundle_spec spec;   /* empty without one */
	int has_spec;
	int64_t *ids;                 /* the spec's entries, then the request's */
	size_t nids;
	struct pv_entry_list list;    /* the entries selected, in bundle order */
};

/* Reads the spec and the named ids: -1 with err when the spec cannot be
 * read or parsed, an entry is named twice, or nothing is chosen. */
int pv_bundle_sel_read(const struct pv_bundle_request *rq, struct pv_bundle_sel *s,
		       struct pv_err *err);
/* Fills s->list; -1 with err, also when nothing matches. */
int pv_bundle_sel_select(const struct pv_bundle_request *rq, struct pv_bundle_sel *s,
			 struct pv_err *err);
/* The spec's caption for entry id; NULL: the catalogue's. */
const char *pv_bundle_sel_caption(const struct pv_bundle_sel *s, int64_t id);
void pv_bundle_sel_free(struct pv_bundle_sel *s);

/* The poster's settings: the request's over the spec's, A2 portrait and
 * columns chosen to fit when neither says. */
struct pv_poster_settings pv_bundle_poster_settings(const struct pv_bundle_request *rq,
						     const struct pv_bundle_spec *s);

#endif
