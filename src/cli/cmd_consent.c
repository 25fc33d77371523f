/* photovoice consent ID SCOPE [--guardian yes|no] [--until YYYY-MM-DD|none]:
 * what an entry's maker agreed to. Options not given keep their value. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "photovoice/util.h"

struct consent_args {
	long long id;
	int scope;
	int guardian;         /* PV_GUARDIAN_* or PV_GUARDIAN_KEEP */
	const char *until;    /* NULL keep, "" clear */
};

static int parse_args(int argc, char **argv, struct consent_args *a)
{
	static const struct option opts[] = {
		{ "guardian", required_argument, NULL, 'g' },
		{ "until", required_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'g') {
			a->guardian = pv_yes_no_parse(optarg);
			if (a->guardian < 0)
				return pv_cli_usage_error("consent", "--guardian takes yes or no.");
		} else if (c == 'u') {
			a->until = strcmp(optarg, "none") == 0 ? "" : optarg;
		} else {
			return pv_cli_usage_error("consent", "That option is not one consent knows.");
		}
	}
	if (optind + 2 != argc)
		return pv_cli_usage_error("consent", "consent takes an entry number and a scope "
					  "(none, internal, poster or public).");
	a->id = pv_cli_parse_id(argv[optind]);
	if (!a->id)
		return pv_cli_usage_error("consent", "'%s' is not an entry number.", argv[optind]);
	a->scope = pv_consent_parse(argv[optind + 1]);
	if (a->scope < 0)
		return pv_cli_usage_error("consent", "'%s' is not a consent scope; use none, "
					  "internal, poster or public.", argv[optind + 1]);
	return 0;
}

int cmd_consent(struct pv_cli *cli, int argc, char **argv)
{
	struct consent_args a = { .guardian = PV_GUARDIAN_KEEP };
	int r = parse_args(argc, argv, &a);
	if (r != 0)
		return r;
	char err[512];
	r = pv_store_set_consent(cli->archive, a.id, (enum pv_consent)a.scope, a.guardian,
				 a.until, err, sizeof err);
	if (r != 0) {
		pv_cli_error("%s", err);
		return PV_EXIT_REJECTED;
	}
	struct pv_entry e;
	if (pv_store_get(cli->archive, a.id, &e, err, sizeof err) == 1) {
		printf("Entry %lld consent: ", a.id);
		pv_cli_print_consent(&e);
		if (e.guardian != PV_GUARDIAN_UNKNOWN)
			printf(", guardian %s", e.guardian ? "yes" : "no");
		if (e.consent_until)
			printf(", until %s", e.consent_until);
		printf("\n");
		pv_entry_free(&e);
	}
	return PV_EXIT_OK;
}
