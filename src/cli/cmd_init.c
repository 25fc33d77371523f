/* photovoice init: create the archive; safe to run again. */
#include <stdio.h>

#include "cli.h"

int cmd_init(struct pv_cli *cli, int argc, char **argv)
{
	(void)argv;
	if (argc > 1)
		return pv_cli_usage_error("init", "init takes no arguments.");
	char err[512];
	if (pv_archive_init(cli->archive_dir, err, sizeof err) != 0) {
		pv_cli_error("%s", err);
		return PV_EXIT_ARCHIVE;
	}
	printf("Archive ready at %s\nDrop photos with their caption files in %s/drop\n",
	       cli->archive_dir, cli->archive_dir);
	return PV_EXIT_OK;
}
