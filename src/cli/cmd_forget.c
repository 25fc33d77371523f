/* photovoice forget ID... | --participant P [--json]: erase every trace of
 * entries (the right to erasure), and name the bundles built earlier that
 * held them, so that staff can withdraw those. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli.h"
#include "photovoice/ingest.h"
#include "photovoice/util.h"

static void print_copies(const struct pv_forget_report *r)
{
	if (r->copies_removed)
		printf(ngettext("%zu copy of their words or photos left in the drop folder or "
				"its quarantine was removed.\n",
				"%zu copies of their words or photos left in the drop folder or "
				"its quarantine were removed.\n", r->copies_removed),
		       r->copies_removed);
	if (r->copies_failed)
		printf(ngettext("%zu copy in the drop folder could not be removed; remove it "
				"by hand.\n",
				"%zu copies in the drop folder could not be removed; remove them "
				"by hand.\n", r->copies_failed), r->copies_failed);
	if (r->ncopies_kept)
		printf(_("\nThese zips in the drop folder hold a copy of an erased photo among "
			 "other people's photos; remove them by hand once the other photos in "
			 "them are safe:\n"));
	for (size_t i = 0; i < r->ncopies_kept; i++) {
		printf("  ");
		pv_cli_print_text(r->copies_kept[i]);   /* names: no control raw */
		printf("\n");
	}
}

static void print_report(const struct pv_forget_report *r)
{
	if (r->nerased == 0)
		printf(_("The participant had no entries; their record is erased.\n"));
	for (size_t i = 0; i < r->nerased; i++)
		printf(_("Entry %lld erased.\n"), (long long)r->erased[i]);
	printf(ngettext("%zu stored file removed.\n", "%zu stored files removed.\n",
			r->files_removed), r->files_removed);
	print_copies(r);
	if (!r->traces_cleared && !r->copies_failed && !r->ncopies_kept)
		printf(_("Another photovoice command is reading this archive, so the catalogue's "
			 "journal could not be emptied yet; it is emptied when that command "
			 "ends.\n"));
	if (r->nbundles)
		printf(_("\nThese bundles were built with erased entries; withdraw them and "
			 "any copies:\n"));
	for (size_t i = 0; i < r->nbundles; i++) {
		printf("  ");
		pv_cli_print_text(r->bundles[i].file_name);
		/* TRANSLATORS: a date, and the purpose as stored (poster, internal) */
		printf(_("  (built %s, %s)\n"),
		       r->bundles[i].created_at ? r->bundles[i].created_at : "-",
		       r->bundles[i].purpose ? r->bundles[i].purpose : "-");
	}
}

static int parse_ids(const struct pv_args *a, int64_t **ids, size_t *n)
{
	*ids = calloc((size_t)a->nwords + 1, sizeof **ids);
	if (!*ids)
		abort();
	*n = 0;
	for (int i = 0; i < a->nwords; i++) {
		if (!((*ids)[(*n)++] = pv_cli_parse_id(a->words[i])))
			return pv_cli_usage_error("forget", "'%s' is not an entry number.", a->words[i]);
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

enum { O_PARTICIPANT, O_JSON };

static const struct pv_opt forget_opts[] = {
	[O_PARTICIPANT] = { "participant", 0, "P", PV_OPT_IN_WORDS, N_("every entry of this "
			    "participant, and their record") },
	[O_JSON] = { "json", 0, NULL, 0, N_("print the report as one JSON document") },
};

static int parse_args(const struct pv_args *a, struct forget_args *f)
{
	f->participant = pv_args_text(a, O_PARTICIPANT);
	f->json = pv_args_has(a, O_JSON) > 0;
	if (f->participant && a->nwords)
		return pv_cli_usage_error("forget", "Give entry numbers or --participant, not both.");
	return f->participant ? 0 : parse_ids(a, &f->ids, &f->n);
}

static int run_forget(struct pv_cli *cli, const struct pv_args *a)
{
	struct forget_args f = { 0 };
	int r = parse_args(a, &f);
	struct pv_forget_report rep;
	struct pv_err err = {0};
	if (r == 0)
		r = pv_forget(cli->archive, f.ids, f.n, f.participant, &rep, &err);
	free(f.ids);
	if (r > 0)
		return r;   /* a usage error, already said */
	if (r < 0)
		return pv_cli_fail(&err);
	if (f.json)
		pv_cli_print_json(pv_forget_report_json(&rep));
	else
		print_report(&rep);
	if (rep.files_failed)
		pv_cli_error_text(err.msg);
	r = rep.files_failed || rep.copies_failed || rep.ncopies_kept ? PV_EXIT_REJECTED
								     : PV_EXIT_OK;
	pv_forget_report_free(&rep);
	return r;
}

const struct pv_cmd pv_cmd_forget = {
	.name = "forget",
	.summary = N_("erase entries completely (right to erasure)"),
	.words = "ID... | --participant P",
	.about = N_("Erases the photo, its derived files, texts, tags, history and index "
		 "entries; the log keeps only that the entry was erased. Names the bundles "
		 "built earlier that held it, so they can be withdrawn."),
	.opts = forget_opts,
	.nopts = PV_NOPTS(forget_opts),
	.max_words = -1,
	.needs = PV_NEEDS_WRITE,
	.run = run_forget,
};
