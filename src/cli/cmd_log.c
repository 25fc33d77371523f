/* photovoice log [--json]: the audit trail, oldest first: when, who, what. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "photovoice/util.h"

#include "cli.h"

static json_t *event_json(const struct pv_log_event *e)
{
	return json_pack("{s:I, s:s, s:s?, s:s, s:s?}", "id", (json_int_t)e->id, "at", e->at,
			 "actor", e->actor, "action", e->action, "detail", e->detail);
}

int cmd_log(struct pv_cli *cli, int argc, char **argv)
{
	int json = argc == 2 && strcmp(argv[1], "--json") == 0;
	if (argc > 2 || (argc == 2 && !json))
		return pv_cli_usage_error("log", "log takes only --json.");
	struct pv_log_events l;
	char err[512];
	if (pv_store_log_read(cli->archive, &l, err, sizeof err) != 0)
		return pv_cli_store_failed(err);
	if (json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < l.count; i++)
			json_array_append_new(arr, event_json(&l.items[i]));
		pv_cli_print_json(json_pack("{s:I, s:o}", "count", (json_int_t)l.count,
					    "events", arr));
	} else if (l.count == 0) {
		printf("Nothing has been done in this archive yet.\n");
	}
	for (size_t i = 0; !json && i < l.count; i++) {
		const struct pv_log_event *e = &l.items[i];
		char *actor = pv_text_for_terminal(e->actor ? e->actor : "-", 1);
		char *action = pv_text_for_terminal(e->action, 1);
		printf("%s  %-10s %-12s ", e->at, actor, action);
		pv_cli_print_text(e->detail ? e->detail : "");
		printf("\n");
		free(actor);
		free(action);
	}
	pv_log_events_free(&l);
	return PV_EXIT_OK;
}
