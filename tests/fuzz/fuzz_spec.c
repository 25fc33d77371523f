/*
 * Fuzz target: the bundle spec parser (pv_bundle_spec_parse).
 *
 * Properties: a parsed spec holds valid UTF-8 text, a paper, orientation and
 * column count inside their ranges, entry ids above zero and never the same
 * id twice; a refusal names its line ("Line N of the spec: ...") and leaves
 * nothing allocated; the input need not end in a NUL, and parsing is
 * deterministic.
 */
#include <string.h>

#include "photovoice/bundle.h"
#include "photovoice/util.h"
#include "fuzz.h"

static void check_text(const char *s)
{
	if (s)
		pv_fuzz_assert(pv_utf8_valid(s, strlen(s)));
}

static void check_spec(const struct pv_bundle_spec *s)
{
	check_text(s->title);
	check_text(s->subtitle);
	pv_fuzz_assert(s->paper >= -1 && s->paper <= PV_PAPER_A0);
	pv_fuzz_assert(s->landscape >= -1 && s->landscape <= 1);
	pv_fuzz_assert(s->columns >= 0 && s->columns <= PV_POSTER_MAX_COLUMNS);
	pv_fuzz_assert(s->nentries == 0 || s->entries != NULL);
	for (size_t i = 0; i < s->nentries; i++) {
		pv_fuzz_assert(s->entries[i].id > 0);
		check_text(s->entries[i].caption);
		for (size_t j = 0; j < i; j++)
			pv_fuzz_assert(s->entries[j].id != s->entries[i].id);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pv_bundle_spec s, again;
	struct pv_err err = {0};
	/* an exact-size copy with no NUL after it: the parser must not need one */
	if (pv_bundle_spec_parse((const char *)data, size, &s, &err) != 0) {
		pv_fuzz_assert(strncmp(err.msg, "Line ", 5) == 0 ||
			       strncmp(err.msg, "The spec", 8) == 0);
		pv_fuzz_assert(pv_utf8_valid(err.msg, strlen(err.msg)));
		pv_fuzz_assert(s.title == NULL && s.subtitle == NULL &&
			       s.entries == NULL && s.nentries == 0);
		return 0;
	}
	check_spec(&s);
	pv_fuzz_assert(pv_bundle_spec_parse((const char *)data, size, &again, &err) == 0);
	pv_fuzz_assert(again.nentries == s.nentries);
	pv_bundle_spec_free(&again);
	pv_bundle_spec_free(&s);
	return 0;
}
