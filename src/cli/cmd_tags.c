/* photovoice tags: every tag with its number of entries; tags rename OLD NEW;
 * tags merge A B (A's entries get B, A is gone). */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static int list_tags(struct pv_cli *cli, int json)
{
	struct pv_tag_counts c;
	char err[512];
	if (pv_store_tag_counts(cli->archive, &c, err, sizeof err) != 0)
		return pv_cli_store_failed(err);
	if (json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < c.count; i++)
			json_array_append_new(arr, json_pack("{s:s, s:I}", "tag", c.items[i].tag,
							     "entries", (json_int_t)c.items[i].entries));
		json_t *doc = json_pack("{s:I, s:o}", "count", (json_int_t)c.count, "tags", arr);
		pv_cli_print_json(doc);
	} else if (c.count == 0) {
		printf("No tags yet.\n");
	} else {
		printf("%7s  %s\n", "ENTRIES", "TAG");
		for (size_t i = 0; i < c.count; i++) {
			printf("%7lld  ", (long long)c.items[i].entries);
			pv_cli_print_text(c.items[i].tag);
			printf("\n");
		}
	}
	pv_tag_counts_free(&c);
	return PV_EXIT_OK;
}

static int change_tags(struct pv_cli *cli, const char *how, const char *from, const char *to)
{
	if (pv_cli_reopen_for_writing(cli) != 0)
		return PV_EXIT_ARCHIVE;
	int merge = strcmp(how, "merge") == 0;
	char err[512];
	int64_t n = merge ? pv_store_tag_merge(cli->archive, from, to, err, sizeof err)
			  : pv_store_tag_rename(cli->archive, from, to, err, sizeof err);
	if (n == -2) {
		pv_cli_error("%s", err);
		return PV_EXIT_REJECTED;
	}
	if (n < 0)
		return pv_cli_store_failed(err);
	printf("%s '%s' %s '%s' on %lld entr%s.\n", merge ? "Merged" : "Renamed", from,
	       merge ? "into" : "to", to, (long long)n, n == 1 ? "y" : "ies");
	return PV_EXIT_OK;
}

int cmd_tags(struct pv_cli *cli, int argc, char **argv)
{
	if (argc == 4 && (strcmp(argv[1], "rename") == 0 || strcmp(argv[1], "merge") == 0))
		return change_tags(cli, argv[1], argv[2], argv[3]);
	if (argc > 1 && (strcmp(argv[1], "rename") == 0 || strcmp(argv[1], "merge") == 0))
		return pv_cli_usage_error("tags", "tags %s takes two tags.", argv[1]);
	if (argc == 1 || (argc == 2 && strcmp(argv[1], "--json") == 0))
		return list_tags(cli, argc == 2);
	return pv_cli_usage_error("tags", "'%s' is not something tags does; use rename, "
				  "merge or --json.", argv[1]);
}
