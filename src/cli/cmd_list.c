/* photovoice list: the catalogue, filtered by tag, participant or consent. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "photovoice/util.h"

#include "cli.h"

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
	pv_cli_print_text(e->title ? e->title : e->caption ? e->caption : _("(no title)"));
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
			json_array_append_new(arr, pv_entry_json(&l->items[i]));
		json_t *doc = json_object();
		json_object_set_new(doc, "count", json_integer((json_int_t)l->count));
		json_object_set_new(doc, "entries", arr);
		return pv_cli_print_json(doc);
	}
	if (l->count == 0) {
		printf(_("No entries match.\n"));
		return 0;
	}
	char today[11];
	pv_today_iso(today);
	int limited = 0;
	/* TRANSLATORS: column headings of `photovoice list`: 5, 9 and 12 wide */
	printf("%-5s %-9s %-12s %s\n", _("ID"), _("CONSENT"), _("PARTICIPANT"), _("TITLE [TAGS]"));
	for (size_t i = 0; i < l->count; i++) {
		print_row(&l->items[i], today);
		limited |= pv_entry_consent_limit(&l->items[i], today) != PV_LIMIT_NONE;
	}
	if (limited)
		printf(_("* counts as internal today: the consent ended, or the participant is "
			 "under 16 without guardian consent (photovoice show ID).\n"));
	return 0;
}

enum { O_TAG, O_PARTICIPANT, O_CONSENT, O_CONSENT_IS, O_JSON };

static const struct pv_opt list_opts[] = {
	[O_TAG] = { "tag", 0, "T", PV_OPT_REPEAT, N_("only entries with this tag (repeat: all "
		    "must match)") },
	[O_PARTICIPANT] = { "participant", 0, "P", 0, N_("only this participant's entries") },
	[O_CONSENT] = { "consent", 0, "SCOPE", 0, N_("only entries that may be used for SCOPE "
			"today (--consent poster: exactly what a poster may use)"),
			.check = pv_consent_parse, .bad = N_("--consent takes a consent scope: none, "
			"internal, poster or public.") },
	[O_CONSENT_IS] = { "consent-is", 0, "SCOPE", 0, N_("only entries whose consent today is "
			   "exactly SCOPE (none, internal, poster, public)"),
			   .check = pv_consent_parse, .bad = N_("--consent-is takes a consent scope: "
			   "none, internal, poster or public.") },
	[O_JSON] = { "json", 0, NULL, 0, N_("one JSON document") },
};

static int run_list(struct pv_cli *cli, const struct pv_args *a)
{
	struct pv_filter f = { .participant = pv_args_text(a, O_PARTICIPANT),
			       .min_consent = pv_args_checked(a, O_CONSENT, -1),
			       .exact_consent = pv_args_checked(a, O_CONSENT_IS, -1) };
	f.tags = pv_args_list(a, O_TAG, &f.ntags);
	int json = pv_args_has(a, O_JSON) > 0;
	struct pv_entry_list l;
	struct pv_err err = {0};
	if (pv_store_list(cli->archive, &f, &l, &err) != 0)
		return pv_cli_fail(&err);
	int r = print_list(&l, json);
	pv_entry_list_free(&l);
	return r == 0 ? PV_EXIT_OK : PV_EXIT_REJECTED;
}

const struct pv_cmd pv_cmd_list = {
	.name = "list",
	.summary = N_("list the catalogue"),
	.about = N_("With the consent that counts today ('*' when it is less than what was "
		 "stated)."),
	.opts = list_opts,
	.nopts = PV_NOPTS(list_opts),
	.words_error = N_("list takes options only."),
	.needs = PV_NEEDS_READ,
	.run = run_list,
};
