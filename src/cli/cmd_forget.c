/* photovoice forget ID... | --participant P [--json]: erase every trace of
 * entries (the right to erasure), and name the bundles built earlier that
 * held them, so that staff can withdraw those. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli.h"
#include "photovoice/ingest.h"
#include "photovoice/util.h"

/* What ingest set aside in drop/.quarantine/ for an erased entry: caption
 * files with other words for the same photo are erased too; a zip that holds
 * the photo may hold other people's photos, so it is named for staff. */
struct set_aside {
	size_t removed;
	char **kept;      /* drop-relative names (.quarantine/...) of zips */
	size_t nkept;
};

static int is_zip_name(const char *path)
{
	size_t n = strlen(path);
	return n > 4 && strcasecmp(path + n - 4, ".zip") == 0;
}

static void clear_set_aside(const char *drop, int64_t id, struct set_aside *sa)
{
	char **paths;
	size_t n;
	if (pv_quarantine_find_entry(drop, id, &paths, &n) != 0)
		return;
	for (size_t i = 0; i < n; i++) {
		if (is_zip_name(paths[i])) {
			sa->kept = realloc(sa->kept, (sa->nkept + 1) * sizeof *sa->kept);
			if (!sa->kept)
				abort();
			sa->kept[sa->nkept++] = pv_strdup(paths[i] + strlen(drop) + 1);
		} else {
			char reason[4096];
			snprintf(reason, sizeof reason, "%s.reason.txt", paths[i]);
			if (unlink(paths[i]) == 0)
				sa->removed++;
			unlink(reason);
		}
		free(paths[i]);
	}
	free(paths);
}

static void report_set_aside(const struct set_aside *sa, json_t *json)
{
	if (json) {
		json_t *kept = json_array();
		for (size_t i = 0; i < sa->nkept; i++)
			json_array_append_new(kept, json_string(sa->kept[i]));
		json_object_set_new(json, "quarantine_removed", json_integer((json_int_t)sa->removed));
		json_object_set_new(json, "quarantine_zips", kept);
		return;
	}
	if (sa->removed)
		printf("%zu caption file%s set aside in the quarantine for these entries "
		       "%s erased too.\n", sa->removed, sa->removed == 1 ? "" : "s",
		       sa->removed == 1 ? "was" : "were");
	if (sa->nkept)
		printf("\nThese zips in the quarantine hold a copy of an erased photo; remove "
		       "them by hand once the other photos in them are safe:\n");
	for (size_t i = 0; i < sa->nkept; i++)
		printf("  %s\n", sa->kept[i]);
}

static void set_aside_free(struct set_aside *sa)
{
	for (size_t i = 0; i < sa->nkept; i++)
		free(sa->kept[i]);
	free(sa->kept);
}

static json_t *report_json(const struct pv_forget_report *r)
{
	json_t *erased = json_array(), *bundles = json_array();
	for (size_t i = 0; i < r->nerased; i++)
		json_array_append_new(erased, json_integer(r->erased[i]));
	for (size_t i = 0; i < r->nbundles; i++) {
		const struct pv_bundle_ref *b = &r->bundles[i];
		json_array_append_new(bundles, json_pack("{s:I, s:s, s:s?, s:s?, s:s?}",
			"id", (json_int_t)b->id, "file_name", b->file_name, "sha256", b->sha256,
			"purpose", b->purpose, "built_at", b->created_at));
	}
	return json_pack("{s:o, s:I, s:I, s:b, s:o}", "erased", erased,
			 "files_removed", (json_int_t)r->files_removed,
			 "files_failed", (json_int_t)r->files_failed,
			 "traces_cleared", r->traces_cleared, "bundles", bundles);
}

static void print_report(const struct pv_forget_report *r)
{
	if (r->nerased == 0)
		printf("The participant had no entries; their record is erased.\n");
	for (size_t i = 0; i < r->nerased; i++)
		printf("Entry %lld erased.\n", (long long)r->erased[i]);
	printf("%zu stored file%s removed.\n", r->files_removed, r->files_removed == 1 ? "" : "s");
	if (!r->traces_cleared)
		printf("Another photovoice command is reading this archive, so the catalogue's "
		       "journal could not be emptied yet; it is emptied when that command ends.\n");
	if (r->nbundles)
		printf("\nThese bundles were built with erased entries; withdraw them and "
		       "any copies:\n");
	for (size_t i = 0; i < r->nbundles; i++)
		printf("  %s  (built %s, %s)\n", r->bundles[i].file_name,
		       r->bundles[i].created_at ? r->bundles[i].created_at : "-",
		       r->bundles[i].purpose ? r->bundles[i].purpose : "-");
}

static int parse_ids(int argc, char **argv, int64_t **ids, size_t *n)
{
	*ids = calloc((size_t)argc + 1, sizeof **ids);
	if (!*ids)
		abort();
	*n = 0;
	for (int i = optind; i < argc; i++) {
		if (!((*ids)[(*n)++] = pv_cli_parse_id(argv[i])))
			return pv_cli_usage_error("forget", "'%s' is not an entry number.", argv[i]);
	}
	if (*n == 0)
		return pv_cli_usage_error("forget", "Say which entries to erase, or "
					  "--participant P.");
	return 0;
}

struct forget_args {
	const char *participant;
	int64_t *ids;
	size_t n;
	int json;
};

static int parse_args(int argc, char **argv, struct forget_args *f)
{
	static const struct option opts[] = {
		{ "participant", required_argument, NULL, 'p' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'p')
			f->participant = optarg;
		else if (c == 'j')
			f->json = 1;
		else
			return pv_cli_usage_error("forget", "That option is not one forget knows.");
	}
	if (f->participant && optind < argc)
		return pv_cli_usage_error("forget", "Give entry numbers or --participant, not both.");
	return f->participant ? 0 : parse_ids(argc, argv, &f->ids, &f->n);
}

int cmd_forget(struct pv_cli *cli, int argc, char **argv)
{
	struct forget_args f = { 0 };
	int r = parse_args(argc, argv, &f);
	struct pv_forget_report rep;
	char err[512] = "";
	if (r == 0)
		r = f.participant ? pv_store_forget_participant(cli->archive, f.participant, &rep,
								err, sizeof err)
				  : pv_store_forget(cli->archive, f.ids, f.n, &rep, err, sizeof err);
	free(f.ids);
	if (r > 0)
		return r;   /* a usage error, already said */
	if (r < 0) {
		pv_cli_error("%s", err);
		return r == -2 ? PV_EXIT_REJECTED : PV_EXIT_ARCHIVE;
	}
	struct set_aside sa = { 0, NULL, 0 };
	for (size_t i = 0; i < rep.nerased; i++)
		clear_set_aside(pv_archive_drop_dir(cli->archive), rep.erased[i], &sa);
	if (f.json) {
		json_t *doc = report_json(&rep);
		report_set_aside(&sa, doc);
		pv_cli_print_json(doc);
	} else {
		print_report(&rep);
		report_set_aside(&sa, NULL);
	}
	set_aside_free(&sa);
	if (rep.files_failed)
		pv_cli_error("%s", err);
	r = rep.files_failed ? PV_EXIT_REJECTED : PV_EXIT_OK;
	pv_forget_report_free(&rep);
	return r;
}
