/* photovoice consent ID SCOPE [--guardian yes|no] [--until YYYY-MM-DD|none]:
 * what an entry's maker agreed to. Options not given keep their value. */
#include <stdio.h>

#include "cli.h"
#include "photovoice/util.h"

struct consent_args {
	long long id;
	int scope;
	int guardian;         /* PV_GUARDIAN_* or PV_GUARDIAN_KEEP */
	const char *until;    /* NULL keep; as written (the library reads "none") */
};

enum { O_GUARDIAN, O_UNTIL };

static const struct pv_opt consent_opts[] = {
	[O_GUARDIAN] = { "guardian", 0, "yes|no", 0, N_("a parent or guardian agreed (needed for "
			 "poster and public when the participant is under 16)"),
			 .check = pv_yes_no_parse, .bad = N_("--guardian takes yes or no.") },
	[O_UNTIL] = { "until", 0, "DATE", 0, N_("after this day (YYYY-MM-DD) the entry counts as "
		      "internal; none: no end") },
};

static int parse_args(const struct pv_args *p, struct consent_args *a)
{
	a->guardian = pv_args_checked(p, O_GUARDIAN, PV_GUARDIAN_KEEP);
	a->until = pv_args_text(p, O_UNTIL);
	a->id = pv_cli_parse_id(p->words[0]);
	if (!a->id)
		return pv_cli_usage_error("consent", "'%s' is not an entry number.", p->words[0]);
	a->scope = pv_consent_parse(p->words[1]);
	if (a->scope < 0)
		return pv_cli_usage_error("consent", "'%s' is not a consent scope; use none, "
					  "internal, poster or public.", p->words[1]);
	return 0;
}

static int run_consent(struct pv_cli *cli, const struct pv_args *p)
{
	struct consent_args a = { .guardian = PV_GUARDIAN_KEEP };
	int r = parse_args(p, &a);
	if (r != 0)
		return r;
	struct pv_err err = {0};
	r = pv_store_set_consent(cli->archive, a.id, (enum pv_consent)a.scope, a.guardian,
				 a.until, &err);
	if (r != 0)
		return pv_cli_fail(&err);
	struct pv_entry e;
	if (pv_store_get(cli->archive, a.id, &e, &err) == 0) {
		printf(_("Entry %lld consent: "), a.id);
		pv_cli_print_consent(&e);
		pv_cli_print_guardian_until(&e);
		printf("\n");
		pv_entry_free(&e);
	}
	return PV_EXIT_OK;
}

const struct pv_cmd pv_cmd_consent = {
	.name = "consent",
	.summary = N_("record what an entry's maker agreed to"),
	.words = "ID SCOPE",
	.about = N_("SCOPE is none, internal, poster or public. Options left out keep what was "
		 "recorded before."),
	.opts = consent_opts,
	.nopts = PV_NOPTS(consent_opts),
	.min_words = 2,
	.max_words = 2,
	.words_error = N_("consent takes an entry number and a scope (none, internal, poster "
		       "or public)."),
	.needs = PV_NEEDS_WRITE,
	.run = run_consent,
};
