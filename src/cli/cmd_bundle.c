/* photovoice bundle: parses the options into a request, calls
 * pv_bundle_build (which selects, keeps only what consent allows, writes,
 * checks again and records), and prints its report. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "photovoice/bundle.h"
#include "photovoice/util.h"

struct bundle_args {
	struct pv_bundle_request rq;
	int64_t *ids;              /* --id's, in order */
	int json;
};

enum { O_TAG, O_ID, O_QUERY, O_SPEC, O_FORMAT, O_PAPER, O_LANDSCAPE, O_PORTRAIT, O_COLUMNS,
       O_TITLE, O_SUBTITLE, O_PURPOSE, O_FORCE, O_JSON, O_OUTPUT };

static int purpose_parse(const char *s)
{
	return strcmp(s, "poster") == 0 ? 0 : strcmp(s, "internal") == 0 ? 1 : -1;
}

static const struct pv_opt bundle_opts[] = {
	[O_TAG] = { "tag", 0, "T", PV_OPT_REPEAT, N_("entries with this tag (repeat: all must "
		    "match)") },
	[O_ID] = { "id", 0, "ID", PV_OPT_REPEAT, N_("this entry (repeat: order kept)") },
	[O_QUERY] = { "query", 0, "Q", 0, N_("entries that match this full-text search") },
	[O_SPEC] = { "spec", 0, "FILE", 0, N_("a spec file: title, subtitle, paper, orientation, "
		     "columns, and the entries in order (see man photovoice-bundle)") },
	[O_FORMAT] = { "format", 0, "FORMAT", 0, N_("archive format: zip, tar.gz, tar.zst or 7z "
		       "(default: from FILE's name, else zip)"), .check = pv_bundle_format_parse,
		       .bad = N_("'%s' is not a bundle format; use zip, tar.gz, tar.zst or 7z.") },
	[O_PAPER] = { "paper", 0, "PAPER", 0, N_("poster paper, A4 to A0 (default: the spec's, "
		      "else A2)"), .check = pv_paper_parse,
		      .bad = N_("The paper must be A4, A3, A2, A1 or A0.") },
	[O_LANDSCAPE] = { "landscape", 0, NULL, 0, N_("landscape poster") },
	[O_PORTRAIT] = { "portrait", 0, NULL, 0, N_("upright poster (the default)") },
	[O_COLUMNS] = { "columns", 0, "N", PV_OPT_INT, N_("columns of the poster's grid, 1 to 12 "
			"(default: fit)"), .min = 1, .max = PV_POSTER_MAX_COLUMNS,
			.bad = N_("The number of columns must be a whole number from 1 to 12.") },
	[O_TITLE] = { "title", 0, "T", 0, N_("the poster's title") },
	[O_SUBTITLE] = { "subtitle", 0, "S", 0, N_("the poster's subtitle") },
	[O_PURPOSE] = { "purpose", 0, "poster|internal", 0, N_("poster (default): only "
			"poster/public consent; internal: internal consent and up"),
			.check = purpose_parse, .bad = N_("The purpose must be poster or internal.") },
	[O_FORCE] = { "force", 0, NULL, 0, N_("overwrite FILE if it exists") },
	[O_JSON] = { "json", 0, NULL, 0, N_("print the report as one JSON document") },
	[O_OUTPUT] = { "output", 'o', "FILE", PV_OPT_REQUIRED, N_("where to write the bundle") },
};

/* The --id's as numbers (the library refuses one named twice). */
static int take_ids(const struct pv_args *a, struct bundle_args *b)
{
	size_t n;
	const char *const *given = pv_args_list(a, O_ID, &n);
	b->ids = calloc(n + 1, sizeof *b->ids);
	if (!b->ids)
		abort();
	b->rq.ids = b->ids;
	for (size_t i = 0; i < n; i++) {
		int64_t id = pv_cli_parse_id(given[i]);
		if (!id)
			return pv_cli_usage_error("bundle", "'%s' is not an entry number.", given[i]);
		b->ids[b->rq.nids++] = id;
	}
	return 0;
}

static int parse_args(const struct pv_args *a, struct bundle_args *b)
{
	struct pv_bundle_request *rq = &b->rq;
	rq->tags = pv_args_list(a, O_TAG, &rq->ntags);
	rq->query = pv_args_text(a, O_QUERY);
	rq->spec_path = pv_args_text(a, O_SPEC);
	rq->format = pv_args_text(a, O_FORMAT);
	rq->paper = pv_args_checked(a, O_PAPER, -1);
	int last = pv_args_last_of(a, O_LANDSCAPE, O_PORTRAIT);
	if (last >= 0)
		rq->landscape = last == O_LANDSCAPE;
	rq->columns = (int)pv_args_int(a, O_COLUMNS, 0);
	rq->title = pv_args_text(a, O_TITLE);
	rq->subtitle = pv_args_text(a, O_SUBTITLE);
	rq->purpose = pv_args_text(a, O_PURPOSE) ? pv_args_text(a, O_PURPOSE) : "poster";
	rq->replace = pv_args_has(a, O_FORCE) > 0;
	rq->out = pv_args_text(a, O_OUTPUT);
	b->json = pv_args_has(a, O_JSON) > 0;
	return take_ids(a, b);
}

/* ---- the report ------------------------------------------------------------ */

static void print_notes(const struct pv_bundle_report *r)
{
	for (size_t i = 0; i < r->nleft_out; i++)
		pv_cli_error_text(r->left_out[i].reason);
	for (size_t i = 0; i < r->nwarnings; i++)
		pv_cli_error("warning: %s", r->warnings[i]);
}

static json_t *report_json(const char *file, const struct pv_bundle_report *r)
{
	json_t *doc = json_object(), *entries = json_array(), *left = json_array(),
	       *warnings = json_array();
	json_object_set_new(doc, "file", json_string(file));
	json_object_set_new(doc, "format", json_string(r->format));
	json_object_set_new(doc, "sha256", json_string(r->sha256));
	json_object_set_new(doc, "purpose", json_string(r->purpose));
	json_object_set_new(doc, "paper", json_string(pv_paper_name(r->paper)));
	json_object_set_new(doc, "orientation", json_string(r->landscape ? "landscape" : "portrait"));
	json_object_set_new(doc, "count", json_integer((json_int_t)r->count));
	for (size_t i = 0; i < r->count; i++)
		json_array_append_new(entries, json_pack("{s:I, s:I, s:s}", "number", (json_int_t)i + 1,
							 "id", (json_int_t)r->entries[i].id,
							 "file", r->entries[i].file));
	for (size_t i = 0; i < r->nleft_out; i++)
		json_array_append_new(left, json_pack("{s:I, s:s}", "id", (json_int_t)r->left_out[i].id,
						      "reason", r->left_out[i].reason));
	for (size_t i = 0; i < r->nwarnings; i++)
		json_array_append_new(warnings, json_string(r->warnings[i]));
	json_object_set_new(doc, "entries", entries);
	json_object_set_new(doc, "left_out", left);
	json_object_set_new(doc, "warnings", warnings);
	return doc;
}

static void print_report(const struct bundle_args *b, const struct pv_bundle_report *r)
{
	if (b->json) {
		pv_cli_print_json(report_json(b->rq.out, r));
		return;
	}
	printf(_("Bundle written: "));
	pv_cli_print_text(b->rq.out);
	printf(ngettext(" (%zu photo, SHA-256 %s)\n", " (%zu photos, SHA-256 %s)\n", r->count),
	       r->count, r->sha256);
}

static void say_waiting(void *ctx)
{
	(void)ctx;
	pv_progress_clear();
	fprintf(stderr, _("photovoice: waiting for another photovoice command to finish with the archive, to record the bundle...\n"));
}

/* The request as the library reads it, before the archive is opened. */
static int check_bundle(const struct pv_args *a)
{
	struct bundle_args b = { .rq = PV_BUNDLE_REQUEST_INIT };
	struct pv_err err = { 0 };
	int r = parse_args(a, &b);
	if (r == 0 && pv_bundle_request_check(&b.rq, &err) != 0)
		r = pv_cli_fail(&err);
	free(b.ids);
	return r;
}

static int run_bundle(struct pv_cli *cli, const struct pv_args *a)
{
	struct bundle_args b = { .rq = PV_BUNDLE_REQUEST_INIT };
	int r = parse_args(a, &b);
	if (r != 0) {
		free(b.ids);
		return r;
	}
	b.rq.archive = cli->archive;
	b.rq.archive_dir = cli->archive_dir;
	b.rq.actor = pv_cli_actor();
	b.rq.progress = 1;
	b.rq.waiting = say_waiting;
	struct pv_bundle_report rep;
	struct pv_err err = { 0 };
	r = pv_bundle_build(&b.rq, &rep, &err);
	print_notes(&rep);
	if (r == 0)
		print_report(&b, &rep);
	pv_bundle_report_free(&rep);
	free(b.ids);
	return r == 0 ? PV_EXIT_OK : pv_cli_fail(&err);
}

const struct pv_cmd pv_cmd_bundle = {
	.name = "bundle",
	.summary = N_("build a poster-ready bundle"),
	.about = N_("Selects entries (tags, ids, a search, a spec file: each given narrows the "
		 "others), keeps only what consent allows for the purpose, names every entry "
		 "left out with its reason, and writes the photos, their words, a contact sheet "
		 "and a poster into one archive."),
	.opts = bundle_opts,
	.nopts = PV_NOPTS(bundle_opts),
	.words_error = N_("Unexpected '%s'; name entries with --id or --tag."),
	.needs = PV_NEEDS_READ,
	.run = run_bundle,
	.check = check_bundle,
};
