/* photovoice participants [--json]: everyone with their credit line, under-16
 * mark and counts; participants set CODE [--credit TEXT] [--under16 yes|no]. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "photovoice/util.h"

static const char *under16_word(int u)
{
	return u == 1 ? "yes" : u == 0 ? "no" : "-";
}

static json_t *participant_json(const struct pv_participant *p)
{
	json_t *o = json_object();
	json_object_set_new(o, "code", json_string(p->code));
	json_object_set_new(o, "credit", p->credit ? json_string(p->credit) : json_null());
	json_object_set_new(o, "under16", p->under16 < 0 ? json_null() : json_boolean(p->under16));
	json_object_set_new(o, "entries", json_integer(p->entries));
	json_object_set_new(o, "poster_today", json_integer(p->poster_today));
	return o;
}

static int list_participants(struct pv_cli *cli, int json)
{
	struct pv_participants ps;
	char err[512];
	if (pv_store_participants(cli->archive, &ps, err, sizeof err) != 0)
		return pv_cli_store_failed(err);
	if (json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < ps.count; i++)
			json_array_append_new(arr, participant_json(&ps.items[i]));
		pv_cli_print_json(json_pack("{s:I, s:o}", "count", (json_int_t)ps.count,
					    "participants", arr));
	} else if (ps.count == 0) {
		printf("No participants yet.\n");
	} else {
		printf("%-14s %7s %7s %-8s %s\n", "PARTICIPANT", "ENTRIES", "POSTER", "UNDER16",
		       "CREDIT");
		for (size_t i = 0; i < ps.count; i++) {
			const struct pv_participant *p = &ps.items[i];
			char *code = pv_text_for_terminal(p->code, 1);
			printf("%-14s %7lld %7lld %-8s ", code, (long long)p->entries,
			       (long long)p->poster_today, under16_word(p->under16));
			pv_cli_print_text(p->credit ? p->credit : "-");
			printf("\n");
			free(code);
		}
	}
	pv_participants_free(&ps);
	return PV_EXIT_OK;
}

/* Entries of code whose stated poster/public consent does not count today
 * because no guardian consent is recorded. */
static size_t held_back(struct pv_archive *a, const char *code)
{
	struct pv_filter f = { .participant = code, .min_consent = -1, .exact_consent = -1 };
	struct pv_entry_list l;
	char err[512], today[11];
	size_t n = 0;
	if (pv_store_list(a, &f, &l, err, sizeof err) != 0)
		return 0;
	pv_today_iso(today);
	for (size_t i = 0; i < l.count; i++)
		n += pv_entry_consent_limit(&l.items[i], today) == PV_LIMIT_GUARDIAN;
	pv_entry_list_free(&l);
	return n;
}

static int set_participant(struct pv_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "credit", required_argument, NULL, 'c' },
		{ "under16", required_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 },
	};
	const char *credit = NULL;
	int under16 = -1, c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'c')
			credit = optarg;
		else if (c == 'u' && (under16 = pv_yes_no_parse(optarg)) < 0)
			return pv_cli_usage_error("participants", "--under16 takes yes or no.");
		else if (c != 'u')
			return pv_cli_usage_error("participants", "That option is not one "
						  "participants set knows.");
	}
	if (optind + 2 != argc)
		return pv_cli_usage_error("participants", "participants set takes one code.");
	if (!credit && under16 < 0)
		return pv_cli_usage_error("participants", "Say what to set: --credit or --under16.");
	const char *code = argv[optind + 1];
	char err[512];
	if (pv_cli_reopen_for_writing(cli) != 0)
		return PV_EXIT_ARCHIVE;
	if (pv_store_participant_set(cli->archive, code, credit, under16, err, sizeof err) != 0) {
		pv_cli_error("%s", err);
		return PV_EXIT_REJECTED;
	}
	printf("Participant %s updated.\n", code);
	size_t n = held_back(cli->archive, code);
	if (n)
		printf("%zu of their entries ha%s poster or public consent without their "
		       "guardian's yes: they count as internal until 'photovoice consent ID "
		       "SCOPE --guardian yes' records it.\n", n, n == 1 ? "s" : "ve");
	return PV_EXIT_OK;
}

int cmd_participants(struct pv_cli *cli, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "set") == 0)
		return set_participant(cli, argc, argv);
	if (argc == 1 || (argc == 2 && strcmp(argv[1], "--json") == 0))
		return list_participants(cli, argc == 2);
	return pv_cli_usage_error("participants", "'%s' is not something participants does; "
				  "use set or --json.", argv[1]);
}
