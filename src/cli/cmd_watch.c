/* photovoice watch: ingest as files arrive in the drop folder, until stopped
 * with Ctrl-C (SIGINT) or SIGTERM. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "photovoice/ingest.h"

enum { O_DROP, O_GRACE, O_QUIET };

static const struct pv_opt watch_opts[] = {
	[O_DROP] = { "drop", 0, "DIR", 0, N_("the drop folder (default: the archive's drop/)") },
	[O_GRACE] = { "grace", 0, "SECONDS", PV_OPT_REAL, N_("how long a complete photo waits for "
		      "its caption file (default 3)"), .min = 0, .max = 3600,
		      .bad = N_("--grace takes a number of seconds from 0 to 3600, such as 3 or 0.5.") },
	[O_QUIET] = { "quiet", 0, NULL, 0, N_("only a line per round, not one per photo") },
};

static int run_watch(struct pv_cli *cli, const struct pv_args *a)
{
	unsigned waiting = 0;
	struct pv_watch_opts o = { .archive_dir = cli->archive_dir,
				   .drop_dir = pv_args_text(a, O_DROP),
				   .grace_s = pv_args_real(a, O_GRACE, PV_WATCH_GRACE_S),
				   .quiet = pv_args_has(a, O_QUIET) > 0,
				   .stop = &pv_cli_stop_requested, .waiting_at_stop = &waiting };
	struct pv_err bad;
	if (o.drop_dir && pv_drop_folder_check(o.drop_dir, &bad) != 0) {
		pv_cli_error_text(bad.msg);
		return PV_EXIT_USAGE;
	}
	if (pv_cli_catch_stop() != 0) {
		pv_cli_error("watch could not prepare to be stopped cleanly (%s).", strerror(errno));
		return PV_EXIT_ARCHIVE;
	}
	o.stop_fd = pv_cli_stop_fd();
	setvbuf(stdout, NULL, _IOLBF, 0);   /* a log: each line as it happens */
	struct pv_err err = {0};
	int r = pv_watch_run(&o, &err);
	pv_cli_release_stop();
	if (r != 0)
		return pv_cli_fail(&err);
	if (!waiting) {
		printf(_("Stopped watching; nothing is waiting in the drop folder.\n"));
		return PV_EXIT_OK;
	}
	printf(ngettext("Stopped watching; %u file is still in the drop folder, named on "
			"stderr.\n",
			"Stopped watching; %u files are still in the drop folder, each named on "
			"stderr.\n", waiting), waiting);
	return PV_EXIT_REJECTED;
}

/* watch takes the write lock itself, only while ingesting */
const struct pv_cmd pv_cmd_watch = {
	.name = "watch",
	.summary = N_("ingest photos as they arrive, until stopped"),
	.about = N_("Stops cleanly on Ctrl-C or SIGTERM, after the photo in hand."),
	.opts = watch_opts,
	.nopts = PV_NOPTS(watch_opts),
	.words_error = N_("watch takes no file names; it watches the drop folder."),
	.needs = PV_NEEDS_NOTHING,
	.run = run_watch,
};
