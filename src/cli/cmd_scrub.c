/*
 * photovoice scrub FILE... (-o DIR | --in-place): the privacy rewrite of
 * ingest for loose files (pv_scrub_files). One line per file on stdout saying
 * what went, once its clean copy is safe on disk; a file that fails gets one
 * sentence on stderr and nothing is written for it; the others continue.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "photovoice/ingest.h"
#include "photovoice/util.h"

static void say_done(const struct pv_scrub_result *res, void *ctx)
{
	(void)ctx;
	if (!res->ok) {
		pv_cli_error_text(res->err.msg);
		return;
	}
	pv_cli_print_text(res->line);   /* names a file: no control raw */
	printf("\n");
	fflush(stdout);
}

enum { O_OUTPUT, O_IN_PLACE, O_JOBS };

static const struct pv_opt scrub_opts[] = {
	[O_OUTPUT] = { "output", 'o', "DIR", PV_OPT_IN_WORDS, N_("write the clean copies into DIR, "
		       "same file names (an existing file there is never overwritten)") },
	[O_IN_PLACE] = { "in-place", 0, NULL, PV_OPT_IN_WORDS, N_("replace each file by its clean "
			 "copy (atomically)") },
	[O_JOBS] = { "jobs", 0, "N", PV_OPT_INT, N_("work on N files at once (default: the number "
		     "of cores)"), .min = 1, .max = INT_MAX,
		     .bad = N_("--jobs needs a number of at least 1.") },
};

static int run_scrub(struct pv_cli *cli, const struct pv_args *a)
{
	(void)cli;
	struct pv_scrub_opts o = { .outdir = pv_args_text(a, O_OUTPUT),
				   .jobs = (int)pv_args_int(a, O_JOBS, 0), .done = say_done };
	if (!o.outdir == !pv_args_has(a, O_IN_PLACE))
		return pv_cli_usage_error("scrub", "Say where the clean copies go: "
					  "either -o DIR or --in-place.");
	struct pv_err err;
	int r = pv_scrub_files(a->words, (size_t)a->nwords, &o, &err);
	if (r < 0)
		pv_cli_error_text(err.msg);
	return r == 0 ? PV_EXIT_OK : PV_EXIT_REJECTED;
}

const struct pv_cmd pv_cmd_scrub = {
	.name = "scrub",
	.summary = N_("remove identifying metadata from loose files"),
	.words = "FILE... (-o DIR | --in-place)",
	.about = N_("The privacy rewrite of ingest for loose files: one line per file saying "
		 "what went, once its clean copy is safe on disk; the report stays in the "
		 "order given."),
	.opts = scrub_opts,
	.nopts = PV_NOPTS(scrub_opts),
	.min_words = 1,
	.max_words = -1,
	.words_error = N_("Name at least one photo to scrub."),
	.needs = PV_NEEDS_NOTHING,
	.run = run_scrub,
};
