/* photovoice participants [--json | --codes]: everyone with their credit line, under-16
 * mark and counts; participants set CODE [--credit TEXT] [--under16 yes|no]. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "photovoice/util.h"

static const char *under16_word(int u)
{
	return u == 1 ? _("yes") : u == 0 ? _("no") : "-";
}

/* How the list is printed: a table for people, JSON, or the codes alone. */
enum listing { AS_TABLE, AS_JSON, AS_CODES };

static int list_participants(struct pv_cli *cli, enum listing as)
{
	struct pv_participants ps;
	struct pv_err err = {0};
	if (pv_store_participants(cli->archive, &ps, &err) != 0)
		return pv_cli_fail(&err);
	if (as == AS_CODES) {
		for (size_t i = 0; i < ps.count; i++) {
			pv_cli_print_text(ps.items[i].code);
			printf("\n");
		}
	} else if (as == AS_JSON) {
		pv_cli_print_json(pv_participants_json(&ps));
	} else if (ps.count == 0) {
		printf(_("No participants yet.\n"));
	} else {
		/* TRANSLATORS: column headings: 14, 7, 7 and 8 wide */
		printf("%-14s %7s %7s %-8s %s\n", _("PARTICIPANT"), _("ENTRIES"), _("POSTER"),
		       _("UNDER16"), _("CREDIT"));
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
	struct pv_err err = {0};
	char today[11];
	size_t n = 0;
	if (pv_store_list(a, &f, &l, &err) != 0)
		return 0;
	pv_today_iso(today);
	for (size_t i = 0; i < l.count; i++)
		n += pv_entry_consent_limit(&l.items[i], today) == PV_LIMIT_GUARDIAN;
	pv_entry_list_free(&l);
	return n;
}

enum { O_CREDIT, O_UNDER16 };

static const struct pv_opt set_opts[] = {
	[O_CREDIT] = { "credit", 0, "TEXT", 0, N_("the credit line they chose (\"Foto: Fenna, "
		       "15\", \"anoniem\"); used instead of any credit in a caption file; "
		       "\"\" removes it") },
	[O_UNDER16] = { "under16", 0, "yes|no", 0, N_("under 16: poster and public use needs "
			"guardian consent"), .check = pv_yes_no_parse,
			.bad = N_("--under16 takes yes or no.") },
};

/* participants set CODE: its row holds the write lock. */
static int set_participant(struct pv_cli *cli, const struct pv_args *a)
{
	const char *credit = pv_args_text(a, O_CREDIT);
	int under16 = pv_args_checked(a, O_UNDER16, -1);
	if (!credit && under16 < 0)
		return pv_cli_usage_error("participants", "Say what to set: --credit or --under16.");
	const char *code = a->words[0];
	struct pv_err err = {0};
	if (pv_store_participant_set(cli->archive, code, credit, under16, &err) != 0)
		return pv_cli_fail(&err);
	printf(_("Participant %s updated.\n"), code);
	size_t n = held_back(cli->archive, code);
	if (n)
		printf(ngettext("%zu of their entries has poster or public consent without their "
				"guardian's yes: it counts as internal until 'photovoice consent ID "
				"SCOPE --guardian yes' records it.\n",
				"%zu of their entries have poster or public consent without their "
				"guardian's yes: they count as internal until 'photovoice consent ID "
				"SCOPE --guardian yes' records it.\n", n), n);
	return PV_EXIT_OK;
}

enum { O_JSON, O_CODES };

static const struct pv_opt participants_opts[] = {
	[O_JSON] = { "json", 0, NULL, 0, N_("one JSON document") },
	[O_CODES] = { "codes", 0, NULL, 0, N_("only the codes, one a line (for scripts and "
		      "shell completion)") },
};

static int run_participants(struct pv_cli *cli, const struct pv_args *a)
{
	int last = pv_args_last_of(a, O_JSON, O_CODES);
	return list_participants(cli, last == O_JSON ? AS_JSON : last == O_CODES ? AS_CODES
								 : AS_TABLE);
}

static const struct pv_cmd participants_subs[] = {
	{ .name = "set", .summary = N_("record a participant's credit line and age"),
	  .words = "CODE", .opts = set_opts, .nopts = PV_NOPTS(set_opts),
	  .min_words = 1, .max_words = 1, .words_error = N_("participants set takes one code."),
	  .needs = PV_NEEDS_WRITE, .run = set_participant },
};

const struct pv_cmd pv_cmd_participants = {
	.name = "participants",
	.summary = N_("list participants; set credit and age"),
	.about = N_("Without a sub-command: everyone with their entries, how many a poster may "
		 "use today, their credit line and under-16 mark."),
	.opts = participants_opts,
	.nopts = PV_NOPTS(participants_opts),
	.needs = PV_NEEDS_READ,
	.run = run_participants,
	.subs = participants_subs,
	.nsubs = PV_NOPTS(participants_subs),
};
