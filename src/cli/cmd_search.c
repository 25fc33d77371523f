/* photovoice search QUERY: full-text search over title, caption, story and
 * tags, best first, each hit with a snippet where the words matched. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct search_args {
	char *query;               /* the words, joined by spaces; malloc'd */
	struct pv_search_opts opts;
	int json;
};

static char *join_words(int argc, char *const *argv)
{
	size_t n = 1;
	for (int i = 0; i < argc; i++)
		n += strlen(argv[i]) + 1;
	char *q = calloc(1, n);
	if (!q)
		abort();
	for (int i = 0; i < argc; i++) {
		if (i)
			strcat(q, " ");
		strcat(q, argv[i]);
	}
	return q;
}

enum { O_LIMIT, O_ALL, O_JSON };

static const struct pv_opt search_opts[] = {
	[O_LIMIT] = { "limit", 0, "N", PV_OPT_INT, N_("show the best N (default 20; 0: every "
		      "match)"), .min = 0, .max = 1e15,
		      .bad = N_("--limit takes a number (0: every match).") },
	[O_ALL] = { "all", 0, NULL, 0, N_("rank every match (slower on big archives; otherwise "
		    "only the newest 500 matches of a common word are)") },
	[O_JSON] = { "json", 0, NULL, 0, N_("one JSON document") },
};

static void parse_args(const struct pv_args *a, struct search_args *s)
{
	s->json = pv_args_has(a, O_JSON) > 0;
	if (pv_args_has(a, O_ALL))
		s->opts.window = 0;
	s->opts.limit = (size_t)pv_args_int(a, O_LIMIT, (long long)s->opts.limit);
	s->query = join_words(a->nwords, a->words);
}

static const char *entry_label(const struct pv_entry *e)
{
	return e->title ? e->title : e->caption ? e->caption : _("(no title)");
}

static void print_hit(const struct pv_search_hit *h, const struct pv_entry *e)
{
	printf("%-5lld ", (long long)h->id);
	pv_cli_print_text(entry_label(e));
	if (e->participant) {
		printf("  (");
		pv_cli_print_text(e->participant);
		printf(")");
	}
	printf("\n      ");
	pv_cli_print_text(h->snippet);
	printf("\n");
}

static json_t *hit_json(const struct pv_search_hit *h, const struct pv_entry *e)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(h->id));
	json_object_set_new(o, "rank", json_real(h->rank));
	json_object_set_new(o, "title", e->title ? json_string(e->title) : json_null());
	json_object_set_new(o, "participant",
			    e->participant ? json_string(e->participant) : json_null());
	json_object_set_new(o, "snippet", json_string(h->snippet));
	return o;
}

static void print_summary(const struct pv_search_hits *h, const struct pv_search_info *info)
{
	if (info->more)
		printf(_("\nMore than %lld entries match; these are the best of the newest %lld. "
			 "Add words to narrow the search, or use --all to rank every match.\n"),
		       (long long)info->matches, (long long)info->matches);
	else if ((int64_t)h->count < info->matches)
		printf(_("\n%lld entries match; these are the best %zu (--limit, --all).\n"),
		       (long long)info->matches, h->count);
	else
		printf(ngettext("\n%lld entry matches.\n", "\n%lld entries match.\n",
				(unsigned long)info->matches), (long long)info->matches);
}

static json_t *summary_json(const struct search_args *s, const struct pv_search_info *info)
{
	json_t *doc = json_object();
	json_object_set_new(doc, "query", json_string(s->query));
	json_object_set_new(doc, "matches", json_integer(info->matches));
	json_object_set_new(doc, "more", json_boolean(info->more));
	json_object_set_new(doc, "ranked", info->more ? json_integer((json_int_t)s->opts.window)
						      : json_integer(info->matches));
	return doc;
}

static int print_hits(struct pv_archive *a, const struct search_args *s,
		      const struct pv_search_hits *h, const struct pv_search_info *info)
{
	json_t *arr = s->json ? json_array() : NULL;
	struct pv_err err = {0};
	for (size_t i = 0; i < h->count; i++) {
		struct pv_entry e;
		if (pv_store_get(a, h->items[i].id, &e, &err) != 0)
			continue;   /* cannot happen within one read transaction */
		if (arr)
			json_array_append_new(arr, hit_json(&h->items[i], &e));
		else
			print_hit(&h->items[i], &e);
		pv_entry_free(&e);
	}
	if (!arr) {
		if (h->count == 0)
			printf(_("No entries match.\n"));
		else
			print_summary(h, info);
		return 0;
	}
	json_t *doc = summary_json(s, info);
	json_object_set_new(doc, "hits", arr);
	return pv_cli_print_json(doc);
}

static int run_search(struct pv_cli *cli, const struct pv_args *a)
{
	struct search_args s = { .opts = PV_SEARCH_OPTS_DEFAULT };
	parse_args(a, &s);
	int r;
	struct pv_search_hits h;
	struct pv_search_info info;
	struct pv_err err = {0};
	r = pv_store_search_top(cli->archive, s.query, &s.opts, &h, &info, &err);
	if (r != 0) {
		free(s.query);
		return pv_cli_fail(&err);
	}
	r = print_hits(cli->archive, &s, &h, &info);
	pv_search_hits_free(&h);
	free(s.query);
	return r == 0 ? PV_EXIT_OK : PV_EXIT_REJECTED;
}

const struct pv_cmd pv_cmd_search = {
	.name = "search",
	.summary = N_("find entries by their words"),
	.words = "QUERY...",
	.about = N_("Searches titles, captions, stories and tags, best match first. Accents and "
		 "capitals do not matter; luister* finds every word that starts so; \"de "
		 "klik\" finds the words together; AND, OR, NOT (in capitals) and brackets "
		 "combine words."),
	.opts = search_opts,
	.nopts = PV_NOPTS(search_opts),
	.min_words = 1,
	.max_words = -1,
	.words_error = N_("Say what to search for, for example 'photovoice search klik'."),
	.needs = PV_NEEDS_READ,
	.run = run_search,
};
