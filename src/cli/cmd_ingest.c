/* photovoice ingest: take in every photo in the drop folder. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "photovoice/ingest.h"
#include "photovoice/jpeg.h"

static void print_summary(const struct pv_ingest_summary *s, const char *drop)
{
	/* TRANSLATORS: the ingest summary is one sentence: "Ingested 12 photos",
	   then each part that applies (", 2 already in the archive", ...), then "." */
	printf(ngettext("Ingested %u photo", "Ingested %u photos", s->ingested), s->ingested);
	if (s->duplicates)
		printf(_(", %u already in the archive"), s->duplicates);
	if (s->recovered)
		printf(_(", %u finished from an interrupted run"), s->recovered);
	if (s->quarantined)
		printf(ngettext(", %u file set aside (see %s/.quarantine)",
				", %u files set aside (see %s/.quarantine)", s->quarantined),
		       s->quarantined, drop);
	if (s->left)
		printf(ngettext(", %u file left in the drop folder (named above)",
				", %u files left in the drop folder (each named above)", s->left),
		       s->left);
	printf(".\n");
	if (s->converted)
		printf(ngettext("Made a JPEG from %u PNG or HEIC photo; none of its metadata "
				"was kept.\n",
				"Made JPEGs from %u PNG or HEIC photos; none of their metadata "
				"was kept.\n", s->converted), s->converted);
	unsigned total = 0;
	for (int k = 0; k < PV_SEG_KIND_COUNT; k++)
		total += s->removed[k];
	if (total) {
		/* TRANSLATORS: followed by " 3 Exif, 2 XMP" (the names of metadata blocks) */
		printf(_("Removed:"));
		const char *sep = " ";
		for (int k = 0; k < PV_SEG_KIND_COUNT; k++) {
			if (!s->removed[k])
				continue;
			printf("%s%u %s", sep, s->removed[k], _(pv_jpeg_kind_name((enum pv_seg_kind)k)));
			sep = ", ";
		}
		printf(".\n");
	}
	if (s->orient_baked || s->orient_tagged)
		printf(_("Turned upright: %u without loss; %u kept their turn as a tag.\n"),
		       s->orient_baked, s->orient_tagged);
}

enum { O_DROP, O_JOBS, O_KEEP_ORIGINALS, O_JSON, O_QUIET };

static const struct pv_opt ingest_opts[] = {
	[O_DROP] = { "drop", 0, "DIR", 0, N_("the drop folder (default: the archive's drop/)") },
	[O_JOBS] = { "jobs", 0, "N", PV_OPT_INT, N_("work on N photos at once (default: one per "
		     "core)"), .min = 1, .max = INT_MAX,
		     .bad = N_("--jobs needs a number of at least 1.") },
	[O_KEEP_ORIGINALS] = { "keep-originals", 0, NULL, 0, N_("leave the original files in the "
			       "drop folder") },
	[O_JSON] = { "json", 0, NULL, 0, N_("print the report as one JSON document") },
	[O_QUIET] = { "quiet", 0, NULL, 0, N_("print nothing but errors") },
};

static int run_ingest(struct pv_cli *cli, const struct pv_args *a)
{
	struct pv_ingest_opts o = { .drop_dir = pv_args_text(a, O_DROP),
				    .jobs = (int)pv_args_int(a, O_JOBS, 0),
				    .keep_originals = pv_args_has(a, O_KEEP_ORIGINALS) > 0,
				    .json = pv_args_has(a, O_JSON) > 0,
				    .quiet = pv_args_has(a, O_QUIET) > 0 };
	struct pv_err bad;
	if (o.drop_dir && pv_drop_folder_check(o.drop_dir, &bad) != 0) {
		pv_cli_error_text(bad.msg);
		return PV_EXIT_USAGE;
	}
	struct pv_ingest_summary sum;
	struct pv_err err = {0};
	int r = pv_ingest_run(cli->archive, &o, &sum, &err);
	if (r < 0)
		return pv_cli_fail(&err);
	if (!o.json && !o.quiet)
		print_summary(&sum, o.drop_dir ? o.drop_dir : pv_archive_drop_dir(cli->archive));
	return r == 0 ? PV_EXIT_OK : PV_EXIT_REJECTED;
}

const struct pv_cmd pv_cmd_ingest = {
	.name = "ingest",
	.summary = N_("take in every photo in the drop folder"),
	.about = N_("Photos (JPEG, PNG, HEIC) and zip submissions with their caption files; "
		 "a line per photo on stdout, a line per file set aside on stderr, then a "
		 "summary."),
	.opts = ingest_opts,
	.nopts = PV_NOPTS(ingest_opts),
	.words_error = N_("ingest takes no file names; put the photos in the drop folder."),
	.needs = PV_NEEDS_WRITE_NOW,
	.run = run_ingest,
};
