/* photovoice tag: add tags, or remove them with a leading '-', on one entry
 * (tag ID TAG...), a list of entries (tag 3,5,9 TAG...) or every entry a
 * search finds (tag --query Q TAG...). From the first word on, "-klik" is a
 * tag to remove, not an option (PV_CMD_WORDS_END_OPTIONS). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MAX_IDS 10000

/* "5" or "3,5,9"; 0 entries when not that. */
static size_t parse_ids(const char *s, int64_t *ids, size_t max)
{
	size_t n = 0;
	char *copy = strdup(s), *save = NULL;
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		long long id = pv_cli_parse_id(tok);
		if (!id || n == max) {
			n = 0;
			break;
		}
		ids[n++] = id;
	}
	free(copy);
	return n;
}

static int ids_exist(struct pv_archive *a, const int64_t *ids, size_t n)
{
	struct pv_err err = {0};
	for (size_t i = 0; i < n; i++) {
		struct pv_entry e;
		if (pv_store_get(a, ids[i], &e, &err) != 0)
			return pv_cli_fail(&err);
		pv_entry_free(&e);
	}
	return 0;
}

static size_t ids_of_query(struct pv_archive *a, const char *query, int64_t *ids,
			   size_t max, int *status)
{
	struct pv_search_hits h;
	struct pv_err err = {0};
	int r = pv_store_search(a, query, &h, &err);
	if (r != 0) {
		*status = pv_cli_fail(&err);
		return 0;
	}
	size_t n = h.count < max ? h.count : max;
	for (size_t i = 0; i < n; i++)
		ids[i] = h.items[i].id;
	if (h.count > max)
		pv_cli_error("The search finds %zu entries; only the best %zu were tagged.",
			     h.count, max);
	pv_search_hits_free(&h);
	if (n == 0)
		pv_cli_error("The search finds no entries; nothing was tagged.");
	*status = n ? 0 : PV_EXIT_REJECTED;
	return n;
}

static void print_result(struct pv_archive *a, const int64_t *ids, size_t n)
{
	struct pv_err err = {0};
	if (n > 1) {
		printf(ngettext("Tags changed on %zu entry.\n", "Tags changed on %zu entries.\n", n),
		       n);
		return;
	}
	struct pv_entry e;
	if (pv_store_get(a, ids[0], &e, &err) != 0)
		return;
	printf(_("Entry %lld tags: "), (long long)ids[0]);
	pv_cli_print_tags(&e);
	printf("\n");
	pv_entry_free(&e);
}

enum { O_QUERY };

static const struct pv_opt tag_opts[] = {
	[O_QUERY] = { "query", 0, "QUERY", PV_OPT_IN_WORDS, N_("every entry this full-text search "
		      "finds (see search)") },
};

/* Which entries: the first word (ids), or --query Q; *first is the first tag. */
static size_t select_entries(struct pv_archive *arc, const struct pv_args *a, int64_t *ids,
			     int *first, int *status)
{
	*status = 0;
	const char *query = pv_args_text(a, O_QUERY);
	if (query) {
		*first = 0;
		return ids_of_query(arc, query, ids, MAX_IDS, status);
	}
	*first = 1;
	size_t n = parse_ids(a->words[0], ids, MAX_IDS);
	if (!n)
		*status = pv_cli_usage_error("tag", "'%s' is not an entry number (or numbers "
					     "with commas, or --query Q).", a->words[0]);
	else
		*status = ids_exist(arc, ids, n);
	return *status ? 0 : n;
}

static int run_tag(struct pv_cli *cli, const struct pv_args *a)
{
	int64_t *ids = malloc(MAX_IDS * sizeof *ids);
	if (!ids)
		abort();
	int first, status;
	size_t n = select_entries(cli->archive, a, ids, &first, &status);
	if (n && first >= a->nwords)
		status = pv_cli_usage_error("tag", "Say which tags to add or remove.");
	struct pv_err err = {0};
	if (n && !status && pv_store_tag_entries(cli->archive, ids, n, a->words + first,
						 (size_t)(a->nwords - first), &err) != 0) {
		status = pv_cli_fail(&err);
	} else if (n && !status) {
		print_result(cli->archive, ids, n);
	}
	free(ids);
	return status;
}

const struct pv_cmd pv_cmd_tag = {
	.name = "tag",
	.summary = N_("add or remove tags"),
	.words = "ID[,ID...] TAG... | -TAG...\n--query QUERY TAG... | -TAG...",
	.about = N_("Adds each TAG (a leading '+' is allowed); a TAG with a leading '-' is "
		 "removed. With --query, on every entry the search finds. Tags are "
		 "case-insensitive."),
	.opts = tag_opts,
	.nopts = PV_NOPTS(tag_opts),
	.min_words = 1,
	.max_words = -1,
	.words_error = N_("tag takes an entry number (or --query Q) and at least one tag."),
	.flags = PV_CMD_WORDS_END_OPTIONS,
	.needs = PV_NEEDS_WRITE,
	.run = run_tag,
};
