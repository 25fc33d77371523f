/* photovoice init: create the archive; safe to run again. */
#include <stdio.h>

#include "cli.h"

static int run_init(struct pv_cli *cli, const struct pv_args *a)
{
	(void)a;
	struct pv_err err = {0};
	if (pv_archive_init(cli->archive_dir, &err) != 0)
		return pv_cli_fail(&err);
	printf(_("Archive ready at %s\nDrop photos with their caption files in %s/drop\n"),
	       cli->archive_dir, cli->archive_dir);
	return PV_EXIT_OK;
}

const struct pv_cmd pv_cmd_init = {
	.name = "init",
	.summary = N_("create the archive (safe to run again)"),
	.about = N_("Creates the archive folder (readable only by you), its catalogue, media "
		 "store and drop folder DIR/drop."),
	.words_error = N_("init takes no arguments."),
	.needs = PV_NEEDS_NOTHING,
	.run = run_init,
};
