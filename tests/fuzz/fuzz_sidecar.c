/*
 * Fuzz target: the caption file parsers (pv_sidecar_parse for .txt/.md,
 * pv_sidecar_parse_json for .json) and the project file parser, all on the
 * same input.
 *
 * Properties: a parsed sidecar holds only valid UTF-8, NFC text (what the
 * catalogue stores), trimmed tags in lower case, a consent and a guardian
 * value from their enums and a date shaped YYYY-MM-DD; a refusal says why in
 * one sentence and leaves nothing allocated; parsing is deterministic.
 */
#include <string.h>

#include "photovoice/ingest.h"
#include "photovoice/store.h"
#include "photovoice/util.h"
#include "fuzz.h"

static void check_nfc(const char *s)
{
	if (!s)
		return;
	size_t n = strlen(s);
	pv_fuzz_assert(pv_utf8_valid(s, n));
	char *nfc = pv_utf8_nfc(s, n);
	pv_fuzz_assert(nfc != NULL);
	pv_fuzz_assert(strcmp(nfc, s) == 0);
	free(nfc);
}

static void check_tags(const struct pv_sidecar *s)
{
	pv_fuzz_assert(s->ntags == 0 || s->tags != NULL);
	for (size_t i = 0; i < s->ntags; i++) {
		const char *t = s->tags[i];
		pv_fuzz_assert(t != NULL && t[0] != '\0');
		pv_fuzz_assert(pv_utf8_valid(t, strlen(t)));
		char *folded = pv_utf8_casefold(t);
		pv_fuzz_assert(folded != NULL);
		pv_fuzz_assert(strcmp(folded, t) == 0);
		free(folded);
	}
	pv_fuzz_assert(s->ntags == 0 || s->tags[s->ntags] == NULL);
}

static void check_date(const char *d)
{
	if (!d)
		return;
	pv_fuzz_assert(strlen(d) == 10 && d[4] == '-' && d[7] == '-');
}

static void check_parsed(const struct pv_sidecar *s)
{
	check_nfc(s->title);
	check_nfc(s->caption);
	check_nfc(s->story);
	check_nfc(s->participant);
	check_nfc(s->credit);
	check_tags(s);
	check_date(s->consent_until);
	pv_fuzz_assert(s->consent >= -1 && s->consent <= PV_CONSENT_PUBLIC);
	pv_fuzz_assert(s->guardian == PV_GUARDIAN_UNKNOWN ||
		       s->guardian == PV_GUARDIAN_NO ||
		       s->guardian == PV_GUARDIAN_YES);
}

static int same_text(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

typedef int (*parse_fn)(const char *, size_t, struct pv_sidecar *, struct pv_err *);

static int parse_project_text(const char *d, size_t n, struct pv_sidecar *s, struct pv_err *err)
{
	return pv_project_parse(d, n, 0, "_project.txt", s, err);
}

static int parse_project_json(const char *d, size_t n, struct pv_sidecar *s, struct pv_err *err)
{
	return pv_project_parse(d, n, 1, "_project.json", s, err);
}

/* Every parser of the drop folder's text files: caption files (.txt/.md and
 * .json) and project files (both forms). */
static const parse_fn parsers[] = {
	pv_sidecar_parse, pv_sidecar_parse_json, parse_project_text, parse_project_json,
};

static void check_one(parse_fn parse, const uint8_t *data, size_t size)
{
	struct pv_sidecar s, again;
	struct pv_err err = {0};
	if (parse((const char *)data, size, &s, &err) != 0) {
		pv_fuzz_assert(err.msg[0] != '\0');
		pv_fuzz_assert(pv_utf8_valid(err.msg, strlen(err.msg)));
		pv_fuzz_assert(s.title == NULL && s.caption == NULL &&
			       s.story == NULL && s.tags == NULL && s.project == NULL);
		return;
	}
	check_parsed(&s);
	check_nfc(s.project);
	pv_fuzz_assert(parse((const char *)data, size, &again, &err) == 0);
	pv_fuzz_assert(same_text(s.caption, again.caption));
	pv_fuzz_assert(same_text(s.story, again.story));
	pv_fuzz_assert(s.ntags == again.ntags);
	pv_sidecar_free(&again);
	pv_sidecar_free(&s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	for (size_t i = 0; i < sizeof parsers / sizeof *parsers; i++)
		check_one(parsers[i], data, size);
	return 0;
}
