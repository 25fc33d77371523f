/* photovoice log [--json]: the audit trail, oldest first: when, who, what. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "photovoice/util.h"

#include "cli.h"

enum { O_JSON };

static const struct pv_opt log_opts[] = {
	[O_JSON] = { "json", 0, NULL, 0, N_("one JSON document") },
};

static int run_log(struct pv_cli *cli, const struct pv_args *a)
{
	int json = pv_args_has(a, O_JSON) > 0;
	struct pv_log_events l;
	struct pv_err err = {0};
	if (pv_store_log_read(cli->archive, &l, &err) != 0)
		return pv_cli_fail(&err);
	if (json)
		pv_cli_print_json(pv_log_json(&l));
	else if (l.count == 0) {
		printf(_("Nothing has been done in this archive yet.\n"));
	}
	for (size_t i = 0; !json && i < l.count; i++) {
		const struct pv_log_event *e = &l.items[i];
		char *actor = pv_text_for_terminal(e->actor ? e->actor : "-", 1);
		char *action = pv_text_for_terminal(e->action, 1);
		char *detail = pv_log_detail_text(e->action, e->detail);
		printf("%s  %-10s %-12s ", e->at, actor, action);
		pv_cli_print_text(detail);
		printf("\n");
		free(detail);
		free(actor);
		free(action);
	}
	pv_log_events_free(&l);
	return PV_EXIT_OK;
}

const struct pv_cmd pv_cmd_log = {
	.name = "log",
	.summary = N_("the audit trail of what was done"),
	.about = N_("Oldest first: when, who (the login name) and what."),
	.opts = log_opts,
	.nopts = PV_NOPTS(log_opts),
	.words_error = N_("log takes only --json."),
	.needs = PV_NEEDS_READ,
	.run = run_log,
};
