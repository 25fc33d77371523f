/* photovoice bundle: parses the options into a request, calls
 * pv_bundle_build (which selects, keeps only what consent allows, writes,
 * checks again and records), and prints its report. */
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "photovoice/bundle.h"
#include "photovoice/util.h"

#define MAX_SELECTORS 256

/* TEMPORARY until the error conversion lands */
#include <pwd.h>
#include <unistd.h>
static int pv_cli_fail(const struct pv_err *e)
{
	pv_cli_error("%s", e->msg);
	return e->kind == PV_ERR_ARCHIVE ? PV_EXIT_ARCHIVE : PV_EXIT_REJECTED;
}
static const char *pv_cli_actor(void)
{
	struct passwd *pw = getpwuid(geteuid());
	return pw ? pw->pw_name : "unknown";
}

struct bundle_args {
	struct pv_bundle_request rq;
	const char *tags[MAX_SELECTORS];
	int64_t ids[MAX_SELECTORS];
	int json;
};

static int parse_columns(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (*s < '0' || *s > '9' || *end || v < 1 || v > PV_POSTER_MAX_COLUMNS)
		return 0;
	return (int)v;
}

static int take_id(struct bundle_args *b, const char *s)
{
	int64_t id = pv_cli_parse_id(s);
	if (!id)
		return pv_cli_usage_error("bundle", "'%s' is not an entry number.", s);
	for (size_t i = 0; i < b->rq.nids; i++)
		if (b->ids[i] == id)
			return pv_cli_usage_error("bundle", "Entry %" PRId64 " is named twice; it can be in a bundle once.", id);
	b->ids[b->rq.nids++] = id;
	return 0;
}

static int take_option(int c, struct bundle_args *b)
{
	struct pv_bundle_request *rq = &b->rq;
	switch (c) {
	case 't': b->tags[rq->ntags++] = optarg; break;
	case 'i': return take_id(b, optarg);
	case 's': rq->spec_path = optarg; break;
	case 'q': rq->query = optarg; break;
	case 'f': rq->format = optarg; break;
	case 'p': rq->purpose = optarg; break;
	case 'P':
		if ((rq->paper = pv_paper_parse(optarg)) < 0)
			return pv_cli_usage_error("bundle", "The paper must be A4, A3, A2, A1 or A0.");
		break;
	case 'L': rq->landscape = 1; break;
	case 'R': rq->landscape = 0; break;
	case 'C':
		if (!(rq->columns = parse_columns(optarg)))
			return pv_cli_usage_error("bundle", "The number of columns must be a whole number from 1 to 12.");
		break;
	case 'T': rq->title = optarg; break;
	case 'S': rq->subtitle = optarg; break;
	case 'F': rq->replace = 1; break;
	case 'j': b->json = 1; break;
	case 'o': rq->out = optarg; break;
	default: return pv_cli_usage_error("bundle", "That option is not one bundle knows.");
	}
	return 0;
}

static int check_args(const struct bundle_args *b)
{
	const struct pv_bundle_request *rq = &b->rq;
	if (!rq->out)
		return pv_cli_usage_error("bundle", "Say where to write the bundle with -o FILE.");
	if (!rq->ntags && !rq->nids && !rq->spec_path && !rq->query)
		return pv_cli_usage_error("bundle", "Choose entries with --tag, --id, --query or --spec.");
	if (strcmp(rq->purpose, "poster") != 0 && strcmp(rq->purpose, "internal") != 0)
		return pv_cli_usage_error("bundle", "The purpose must be poster or internal.");
	if (rq->format && pv_bundle_format_parse(rq->format) < 0)
		return pv_cli_usage_error("bundle", "'%s' is not a bundle format; use zip, tar.gz, tar.zst or 7z.", rq->format);
	return 0;
}

static int parse_args(int argc, char **argv, struct bundle_args *b)
{
	static const struct option opts[] = {
		{ "tag", required_argument, NULL, 't' },
		{ "id", required_argument, NULL, 'i' },
		{ "spec", required_argument, NULL, 's' },
		{ "query", required_argument, NULL, 'q' },
		{ "format", required_argument, NULL, 'f' },
		{ "purpose", required_argument, NULL, 'p' },
		{ "paper", required_argument, NULL, 'P' },
		{ "landscape", no_argument, NULL, 'L' },
		{ "portrait", no_argument, NULL, 'R' },
		{ "columns", required_argument, NULL, 'C' },
		{ "title", required_argument, NULL, 'T' },
		{ "subtitle", required_argument, NULL, 'S' },
		{ "force", no_argument, NULL, 'F' },
		{ "json", no_argument, NULL, 'j' },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	int c, r;
	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		if ((c == 't' && b->rq.ntags == MAX_SELECTORS) || (c == 'i' && b->rq.nids == MAX_SELECTORS))
			return pv_cli_usage_error("bundle", "Too many --tag or --id options.");
		if ((r = take_option(c, b)) != 0)
			return r;
	}
	if (optind < argc)
		return pv_cli_usage_error("bundle", "Unexpected '%s'; name entries with --id or --tag.", argv[optind]);
	return check_args(b);
}

/* ---- the report ------------------------------------------------------------ */

static void print_notes(const struct pv_bundle_report *r)
{
	for (size_t i = 0; i < r->nleft_out; i++)
		pv_cli_error("entry %" PRId64 " left out: %s", r->left_out[i].id, r->left_out[i].reason);
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
	printf("Bundle written: ");
	pv_cli_print_text(b->rq.out);
	printf(" (%zu photo%s, SHA-256 %s)\n", r->count, r->count == 1 ? "" : "s", r->sha256);
}

static void say_waiting(void *ctx)
{
	(void)ctx;
	pv_progress_clear();
	fprintf(stderr, "photovoice: waiting for another photovoice command to finish with the archive, to record the bundle...\n");
}

int cmd_bundle(struct pv_cli *cli, int argc, char **argv)
{
	struct bundle_args b = { .rq = PV_BUNDLE_REQUEST_INIT };
	b.rq.purpose = "poster";
	b.rq.tags = b.tags;
	b.rq.ids = b.ids;
	int r = parse_args(argc, argv, &b);
	if (r != 0)
		return r;
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
	return r == 0 ? PV_EXIT_OK : pv_cli_fail(&err);
}
