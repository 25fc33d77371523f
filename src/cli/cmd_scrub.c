/*
 * photovoice scrub FILE... (-o DIR | --in-place): the privacy rewrite of
 * ingest for loose files (pv_scrub_files). One line per file on stdout saying
 * what went, once its clean copy is safe on disk; a file that fails gets one
 * sentence on stderr and nothing is written for it; the others continue.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "photovoice/ingest.h"
#include "photovoice/util.h"

static void say_done(const struct pv_scrub_result *res, void *ctx)
{
	(void)ctx;
	if (!res->ok) {
		pv_cli_error("%s", res->err.msg);
		return;
	}
	pv_cli_print_text(res->line);   /* names a file: no control raw */
	printf("\n");
	fflush(stdout);
}

int cmd_scrub(struct pv_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "in-place", no_argument, NULL, 'i' },
		{ "jobs", required_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	(void)cli;
	struct pv_scrub_opts o = { .done = say_done };
	int in_place = 0, c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		if (c == 'o')
			o.outdir = optarg;
		else if (c == 'i')
			in_place = 1;
		else if (c == 'j') {
			if ((o.jobs = atoi(optarg)) < 1)
				return pv_cli_usage_error("scrub", "--jobs needs a number of at least 1.");
		}
		else if (optopt == 'o')
			return pv_cli_usage_error("scrub", "-o needs a folder to write into.");
		else
			return pv_cli_usage_error("scrub", "'%s' is not an option of scrub.",
						  argv[optind - 1]);
	}
	if (!o.outdir == !in_place)
		return pv_cli_usage_error("scrub", "Say where the clean copies go: "
					  "either -o DIR or --in-place.");
	if (optind >= argc)
		return pv_cli_usage_error("scrub", "Name at least one photo to scrub.");
	struct pv_err err;
	int r = pv_scrub_files(argv + optind, (size_t)(argc - optind), &o, &err);
	if (r < 0)
		pv_cli_error("%s", err.msg);
	return r == 0 ? PV_EXIT_OK : PV_EXIT_REJECTED;
}
