/* photovoice tags: every tag with its number of entries; tags rename OLD NEW;
 * tags merge A B (A's entries get B, A is gone). */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* How the list is printed: a table for people, JSON, or the names alone. */
enum listing { AS_TABLE, AS_JSON, AS_NAMES };

static int list_tags(struct pv_cli *cli, enum listing as)
{
	struct pv_tag_counts c;
	struct pv_err err = {0};
	if (pv_store_tag_counts(cli->archive, &c, &err) != 0)
		return pv_cli_fail(&err);
	if (as == AS_NAMES) {
		for (size_t i = 0; i < c.count; i++) {
			pv_cli_print_text(c.items[i].tag);
			printf("\n");
		}
	} else if (as == AS_JSON) {
		pv_cli_print_json(pv_tag_counts_json(&c));
	} else if (c.count == 0) {
		printf(_("No tags yet.\n"));
	} else {
		printf("%7s  %s\n", _("ENTRIES"), _("TAG"));
		for (size_t i = 0; i < c.count; i++) {
			printf("%7lld  ", (long long)c.items[i].entries);
			pv_cli_print_text(c.items[i].tag);
			printf("\n");
		}
	}
	pv_tag_counts_free(&c);
	return PV_EXIT_OK;
}

/* tags rename OLD NEW, tags merge A B: the sub-command's row holds the write lock. */
static int change_tags(struct pv_cli *cli, const struct pv_args *a)
{
	int merge = strcmp(a->cmd->name, "merge") == 0;
	const char *from = a->words[0], *to = a->words[1];
	struct pv_err err = {0};
	int64_t n = merge ? pv_store_tag_merge(cli->archive, from, to, &err)
			  : pv_store_tag_rename(cli->archive, from, to, &err);
	if (n < 0)
		return pv_cli_fail(&err);
	if (merge)
		printf(ngettext("Merged '%s' into '%s' on %lld entry.\n",
				"Merged '%s' into '%s' on %lld entries.\n", (unsigned long)n),
		       from, to, (long long)n);
	else
		printf(ngettext("Renamed '%s' to '%s' on %lld entry.\n",
				"Renamed '%s' to '%s' on %lld entries.\n", (unsigned long)n),
		       from, to, (long long)n);
	return PV_EXIT_OK;
}

enum { O_JSON, O_NAMES };

static const struct pv_opt tags_opts[] = {
	[O_JSON] = { "json", 0, NULL, 0, N_("one JSON document") },
	[O_NAMES] = { "names", 0, NULL, 0, N_("only the tags, one a line (for scripts and shell "
		      "completion)") },
};

static int run_tags(struct pv_cli *cli, const struct pv_args *a)
{
	int last = pv_args_last_of(a, O_JSON, O_NAMES);
	return list_tags(cli, last == O_JSON ? AS_JSON : last == O_NAMES ? AS_NAMES : AS_TABLE);
}

static const struct pv_cmd tags_subs[] = {
	{ .name = "rename", .summary = N_("the tag OLD is called NEW from now on"),
	  .words = "OLD NEW", .min_words = 2, .max_words = 2,
	  .words_error = N_("tags rename takes two tags."), .needs = PV_NEEDS_WRITE,
	  .run = change_tags },
	{ .name = "merge", .summary = N_("entries tagged A are tagged B; A is gone"),
	  .words = "A B", .min_words = 2, .max_words = 2,
	  .words_error = N_("tags merge takes two tags."), .needs = PV_NEEDS_WRITE,
	  .run = change_tags },
};

const struct pv_cmd pv_cmd_tags = {
	.name = "tags",
	.summary = N_("list, rename and merge tags"),
	.about = N_("Without a sub-command: every tag with its number of entries."),
	.opts = tags_opts,
	.nopts = PV_NOPTS(tags_opts),
	.needs = PV_NEEDS_READ,
	.run = run_tags,
	.subs = tags_subs,
	.nsubs = PV_NOPTS(tags_subs),
};
