/* photovoice invite PARTICIPANT [--until DATE] [--sheet FILE.pdf] [--json];
 * invite --list [--json]; invite --revoke ID: personal links for
 * participants (the phone page of `photovoice serve`). The link goes alone
 * on stdout, so that a script can take it; what else is said goes to stderr. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "photovoice/invite.h"
#include "photovoice/util.h"

enum { O_UNTIL, O_SHEET, O_JSON, O_LIST, O_REVOKE };

static const struct pv_opt invite_opts[] = {
	[O_UNTIL] = { "until", 0, "DATE", 0, N_("the last day the link works, YYYY-MM-DD "
		      "(default: 60 days from today)") },
	[O_SHEET] = { "sheet", 0, "FILE.pdf", 0, N_("also write a printable A4 sheet with the QR "
		      "code of the link and instructions in Dutch") },
	[O_JSON] = { "json", 0, NULL, 0, N_("one JSON document") },
	[O_LIST] = { "list", 0, NULL, PV_OPT_IN_WORDS, N_("every invitation with its participant, "
		     "last day and state (works, expired, revoked); never a link") },
	[O_REVOKE] = { "revoke", 0, "ID", PV_OPT_INT | PV_OPT_IN_WORDS, N_("stop invitation ID's "
		       "link from working, at once"), .min = 1, .max = 9e15,
		       .bad = N_("--revoke takes the number of an invitation, as --list shows it.") },
};

static json_t *text_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* ---- a new link --------------------------------------------------------------- */

static int make_invite(struct pv_cli *cli, const struct pv_args *p, int json)
{
	const char *sheet = pv_args_text(p, O_SHEET);
	struct pv_invite inv;
	char *link;
	struct pv_err err = {0};
	if (pv_invite_issue(cli->archive, cli->archive_dir, p->words[0], pv_args_text(p, O_UNTIL),
			    sheet, &inv, &link, &err) != 0)
		return pv_cli_fail(&err);
	if (json) {
		pv_cli_print_json(json_pack("{s:I, s:s, s:s, s:s, s:o}", "id", (json_int_t)inv.id,
					    "participant", inv.participant, "link", link,
					    "valid_until", inv.valid_until, "sheet",
					    text_or_null(sheet)));
	} else {
		printf("%s\n", link);
		char *who = pv_text_for_terminal(inv.participant, 1);
		fprintf(stderr, _("Invitation %lld for %s: the link works until the end of %s.\n"),
			(long long)inv.id, who, inv.valid_until);
		if (sheet)
			fprintf(stderr, _("Sheet to print: %s\n"), sheet);
		free(who);
	}
	free(link);
	pv_invite_free(&inv);
	return PV_EXIT_OK;
}

/* ---- --list ----------------------------------------------------------------- */

static json_t *invite_json(const struct pv_invite *inv, const char *today)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:o, s:s, s:b}", "id", (json_int_t)inv->id,
			 "participant", inv->participant, "created_at", inv->created_at,
			 "valid_until", inv->valid_until, "revoked_at",
			 text_or_null(inv->revoked_at), "state", pv_invite_state(inv, today),
			 "under16", inv->under16);
}

static void print_rows(const struct pv_invite *list, size_t n, const char *today)
{
	/* TRANSLATORS: column headings of invite --list; the state below them is
	   a word of the JSON (valid, expired, revoked) */
	printf("%6s  %-20s  %-11s  %s\n", _("ID"), _("PARTICIPANT"), _("VALID UNTIL"),
	       _("STATE"));
	for (size_t i = 0; i < n; i++) {
		char *who = pv_text_for_terminal(list[i].participant, 1);
		printf("%6lld  %-20s  %-11s  %s\n", (long long)list[i].id, who,
		       list[i].valid_until, pv_invite_state(&list[i], today));
		free(who);
	}
}

static int list_invites(struct pv_cli *cli, int json)
{
	struct pv_invite *list;
	size_t n;
	struct pv_err err = {0};
	if (pv_invite_list(cli->archive, &list, &n, &err) != 0)
		return pv_cli_fail(&err);
	char today[11];
	pv_today_iso(today);
	if (json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, invite_json(&list[i], today));
		pv_cli_print_json(json_pack("{s:I, s:o}", "count", (json_int_t)n,
					    "invitations", arr));
	} else if (n == 0) {
		printf(_("No invitations yet; 'photovoice invite PARTICIPANT' makes one.\n"));
	} else {
		print_rows(list, n, today);
	}
	pv_invite_list_free(list, n);
	return PV_EXIT_OK;
}

/* ---- --revoke ----------------------------------------------------------------- */

static int revoke_invite(struct pv_cli *cli, long long id, int json)
{
	struct pv_err err = {0};
	if (pv_invite_revoke(cli->archive, id, &err) != 0)
		return pv_cli_fail(&err);
	if (json)
		pv_cli_print_json(json_pack("{s:I, s:s}", "id", (json_int_t)id, "state", "revoked"));
	else
		printf(_("Invitation %lld revoked: its link no longer works.\n"), id);
	return PV_EXIT_OK;
}

/* ---- which form -------------------------------------------------------------- */

/* The three forms exclude each other; NULL when the options fit together. */
static const char *mixed_forms(const struct pv_args *p)
{
	int list = pv_args_has(p, O_LIST) > 0, revoke = pv_args_has(p, O_REVOKE) > 0;
	int making = p->nwords > 0 || pv_args_has(p, O_UNTIL) || pv_args_has(p, O_SHEET);
	if (list && revoke)
		return _("--list and --revoke cannot be used together.");
	if ((list || revoke) && making)
		return _("A participant, --until and --sheet make a new link; they cannot be used "
			 "with --list or --revoke.");
	if (!list && !revoke && p->nwords == 0)
		return _("Say whom the link is for: photovoice invite PARTICIPANT (or --list, or "
			 "--revoke ID).");
	return NULL;
}

static int run_invite(struct pv_cli *cli, const struct pv_args *p)
{
	const char *mixed = mixed_forms(p);
	if (mixed)
		return pv_cli_usage_error_text("invite", mixed);
	int json = pv_args_has(p, O_JSON) > 0;
	if (pv_args_has(p, O_LIST))
		return list_invites(cli, json);
	if (pv_args_has(p, O_REVOKE))
		return revoke_invite(cli, pv_args_int(p, O_REVOKE, 0), json);
	return make_invite(cli, p, json);
}

const struct pv_cmd pv_cmd_invite = {
	.name = "invite",
	.summary = N_("make a participant's personal link for the phone page"),
	.words = "PARTICIPANT\n--list | --revoke ID",
	.about = N_("Prints the link BASE/i/TOKEN on its own line. BASE is $PHOTOVOICE_BASE_URL, "
		 "else the address the last 'photovoice serve' of this archive answered on, "
		 "else http://127.0.0.1:8080. The link is shown only now: the archive keeps "
		 "only a fingerprint of it. What is handed in through it gets PARTICIPANT, as "
		 "a drop sub-folder would give it."),
	.opts = invite_opts,
	.nopts = PV_NOPTS(invite_opts),
	.min_words = 0,
	.max_words = 1,
	.words_error = N_("invite takes one participant code; '%s' is one too many."),
	.needs = PV_NEEDS_WRITE,
	.run = run_invite,
};
