/* photovoice show: one entry, everything the catalogue knows about it. */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"

static void field(const char *label, const char *value)
{
	if (value)
		printf("%-12s %s\n", label, value);
}

static void print_entry(const struct pv_entry *e)
{
	printf("%-12s %lld\n", "Entry", (long long)e->id);
	field("Title", e->title);
	field("Caption", e->caption);
	field("Participant", e->participant);
	field("Credit", e->credit);
	printf("%-12s %s", "Consent", pv_consent_name(e->consent));
	if (e->guardian != PV_GUARDIAN_UNKNOWN)
		printf(", guardian %s", e->guardian ? "yes" : "no");
	if (e->consent_until)
		printf(", until %s", e->consent_until);
	printf("\n%-12s ", "Tags");
	pv_cli_print_tags(e);
	printf("\n%-12s %d x %d, %lld bytes\n", "Photo", e->width, e->height,
	       (long long)e->bytes);
	field("Taken", e->taken_month);
	field("Ingested", e->ingested_at);
	field("SHA-256", e->sha256);
	if (e->story)
		printf("\n%s\n", e->story);
}

int cmd_show(struct pv_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	int json = 0, c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'j')
			return pv_cli_usage_error("show", "That option is not one show knows.");
		json = 1;
	}
	if (optind + 1 != argc)
		return pv_cli_usage_error("show", "show takes one entry number.");
	long long id = pv_cli_parse_id(argv[optind]);
	if (!id)
		return pv_cli_usage_error("show", "'%s' is not an entry number.", argv[optind]);
	struct pv_entry e;
	char err[512];
	int r = pv_store_get(cli->archive, id, &e, err, sizeof err);
	if (r < 0) {
		pv_cli_error("%s", err);
		return PV_EXIT_ARCHIVE;
	}
	if (r == 0) {
		pv_cli_error("There is no entry %lld in this archive.", id);
		return PV_EXIT_REJECTED;
	}
	if (json)
		pv_cli_print_json(pv_cli_entry_json(&e));
	else
		print_entry(&e);
	pv_entry_free(&e);
	return PV_EXIT_OK;
}
