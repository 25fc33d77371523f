/* photovoice ingest: take in every photo in the drop folder. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "photovoice/ingest.h"
#include "photovoice/jpeg.h"

static void print_summary(const struct pv_ingest_summary *s, const char *drop)
{
	printf("Ingested %u photo%s", s->ingested, s->ingested == 1 ? "" : "s");
	if (s->duplicates)
		printf(", %u already in the archive", s->duplicates);
	if (s->recovered)
		printf(", %u finished from an interrupted run", s->recovered);
	if (s->quarantined)
		printf(", %u file%s set aside (see %s/.quarantine)", s->quarantined,
		       s->quarantined == 1 ? "" : "s", drop);
	if (s->left)
		printf(", %u file%s left in the drop folder (each named above)", s->left,
		       s->left == 1 ? "" : "s");
	printf(".\n");
	if (s->converted)
		printf("Made JPEGs from %u PNG or HEIC photo%s; none of their metadata was kept.\n",
		       s->converted, s->converted == 1 ? "" : "s");
	unsigned total = 0;
	for (int k = 0; k < PV_SEG_KIND_COUNT; k++)
		total += s->removed[k];
	if (total) {
		printf("Removed:");
		const char *sep = " ";
		for (int k = 0; k < PV_SEG_KIND_COUNT; k++) {
			if (!s->removed[k])
				continue;
			printf("%s%u %s", sep, s->removed[k], pv_jpeg_kind_name((enum pv_seg_kind)k));
			sep = ", ";
		}
		printf(".\n");
	}
	if (s->orient_baked || s->orient_tagged)
		printf("Turned upright: %u without loss; %u kept their turn as a tag.\n",
		       s->orient_baked, s->orient_tagged);
}

int cmd_ingest(struct pv_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "drop", required_argument, NULL, 'd' },
		{ "jobs", required_argument, NULL, 'J' },
		{ "keep-originals", no_argument, NULL, 'k' },
		{ "json", no_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 },
	};
	struct pv_ingest_opts o = { 0 };
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': o.drop_dir = optarg; break;
		case 'J':
			if ((o.jobs = atoi(optarg)) < 1)
				return pv_cli_usage_error("ingest", "--jobs needs a number of at least 1.");
			break;
		case 'k': o.keep_originals = 1; break;
		case 'j': o.json = 1; break;
		case 'q': o.quiet = 1; break;
		default: return pv_cli_usage_error("ingest", "That option is not one ingest knows.");
		}
	}
	if (optind < argc)
		return pv_cli_usage_error("ingest", "ingest takes no file names; put the photos in the drop folder.");
	struct stat st;
	if (o.drop_dir && (stat(o.drop_dir, &st) != 0 || !S_ISDIR(st.st_mode))) {
		pv_cli_error("The drop folder %s does not exist.", o.drop_dir);
		return PV_EXIT_USAGE;
	}
	struct pv_ingest_summary sum;
	char err[512];
	int r = pv_ingest_run(cli->archive, &o, &sum, err, sizeof err);
	if (r < 0) {
		pv_cli_error("%s", err);
		return PV_EXIT_ARCHIVE;
	}
	if (!o.json && !o.quiet)
		print_summary(&sum, o.drop_dir ? o.drop_dir : pv_archive_drop_dir(cli->archive));
	return r == 0 ? PV_EXIT_OK : PV_EXIT_REJECTED;
}
