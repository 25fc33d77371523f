/* photovoice list: the catalogue, filtered by tag, participant or consent. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "photovoice/util.h"

#include "cli.h"

#define MAX_TAG_FILTERS 32

static void print_row(const struct pv_entry *e, const char *today)
{
	/* consent as it counts today; '*' when less than what was stated */
	char consent[16];
	snprintf(consent, sizeof consent, "%s%s",
		 pv_consent_name(pv_entry_effective_consent(e, today)),
		 pv_entry_consent_limit(e, today) != PV_LIMIT_NONE ? "*" : "");
	char *who = pv_text_for_terminal(e->participant ? e->participant : "-", 1);
	printf("%-5lld %-9s %-12s ", (long long)e->id, consent, who);
	free(who);
	pv_cli_print_text(e->title ? e->title : e->caption ? e->caption : "(no title)");
	if (e->ntags) {
		printf("  [");
		pv_cli_print_tags(e);
		printf("]");
	}
	printf("\n");
}

static int print_list(const struct pv_entry_list *l, int json)
{
	if (json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < l->count; i++)
			json_array_append_new(arr, pv_cli_entry_json(&l->items[i]));
		json_t *doc = json_object();
		json_object_set_new(doc, "count", json_integer((json_int_t)l->count));
		json_object_set_new(doc, "entries", arr);
		return pv_cli_print_json(doc);
	}
	if (l->count == 0) {
		printf("No entries match.\n");
		return 0;
	}
	char today[11];
	pv_today_iso(today);
	int limited = 0;
	printf("%-5s %-9s %-12s %s\n", "ID", "CONSENT", "PARTICIPANT", "TITLE [TAGS]");
	for (size_t i = 0; i < l->count; i++) {
		print_row(&l->items[i], today);
		limited |= pv_entry_consent_limit(&l->items[i], today) != PV_LIMIT_NONE;
	}
	if (limited)
		printf("* counts as internal today: the consent ended, or the participant is "
		       "under 16 without guardian consent (photovoice show ID).\n");
	return 0;
}

int cmd_list(struct pv_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "tag", required_argument, NULL, 't' },
		{ "participant", required_argument, NULL, 'p' },
		{ "consent", required_argument, NULL, 'c' },
		{ "consent-is", required_argument, NULL, 'C' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	const char *tags[MAX_TAG_FILTERS];
	struct pv_filter f = { .tags = tags, .min_consent = -1, .exact_consent = -1 };
	int json = 0, c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			if (f.ntags == MAX_TAG_FILTERS)
				return pv_cli_usage_error("list", "At most %d --tag filters.", MAX_TAG_FILTERS);
			tags[f.ntags++] = optarg;
			break;
		case 'p': f.participant = optarg; break;
		case 'c':
		case 'C':
			*(c == 'c' ? &f.min_consent : &f.exact_consent) = pv_consent_parse(optarg);
			if (pv_consent_parse(optarg) < 0)
				return pv_cli_usage_error("list", "'%s' is not a consent scope; use none, internal, poster or public.", optarg);
			break;
		case 'j': json = 1; break;
		default: return pv_cli_usage_error("list", "That option is not one list knows.");
		}
	}
	if (optind < argc)
		return pv_cli_usage_error("list", "list takes options only.");
	struct pv_entry_list l;
	char err[512];
	if (pv_store_list(cli->archive, &f, &l, err, sizeof err) != 0) {
		pv_cli_error("%s", err);
		return PV_EXIT_ARCHIVE;
	}
	int r = print_list(&l, json);
	pv_entry_list_free(&l);
	return r == 0 ? PV_EXIT_OK : PV_EXIT_REJECTED;
}
