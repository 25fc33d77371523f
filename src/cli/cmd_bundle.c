/* photovoice bundle: select entries (tags, ids, a spec file), keep only what
 * consent allows, name every entry left out with its reason, and write a
 * poster-ready archive. */
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "photovoice/bundle.h"
#include "photovoice/util.h"

#define MAX_SELECTORS 256

struct bundle_args {
	const char *tags[MAX_SELECTORS];
	size_t ntags;
	int64_t *ids;              /* the spec's entries, then --id's */
	size_t nids;
	const char *cli_ids[MAX_SELECTORS];
	size_t ncli_ids;
	const char *spec_path;
	const char *query;
	const char *out;
	const char *format;
	const char *purpose;
	const char *paper;
	int landscape;             /* -1: not given */
	int columns;               /* 0: not given */
	const char *title;
	const char *subtitle;
	int force;
	int json;
	struct pv_bundle_spec spec;
};

/* ---- arguments ------------------------------------------------------------------ */

static int parse_columns(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (*s < '0' || *s > '9' || *end || v < 1 || v > PV_POSTER_MAX_COLUMNS)
		return 0;
	return (int)v;
}

static int take_option(int c, struct bundle_args *b)
{
	switch (c) {
	case 't': b->tags[b->ntags++] = optarg; break;
	case 'i': b->cli_ids[b->ncli_ids++] = optarg; break;
	case 's': b->spec_path = optarg; break;
	case 'q': b->query = optarg; break;
	case 'f': b->format = optarg; break;
	case 'p': b->purpose = optarg; break;
	case 'P': b->paper = optarg; break;
	case 'L': b->landscape = 1; break;
	case 'R': b->landscape = 0; break;
	case 'C':
		if (!(b->columns = parse_columns(optarg)))
			return pv_cli_usage_error("bundle", "The number of columns must be a whole number from 1 to 12.");
		break;
	case 'T': b->title = optarg; break;
	case 'S': b->subtitle = optarg; break;
	case 'F': b->force = 1; break;
	case 'j': b->json = 1; break;
	case 'o': b->out = optarg; break;
	default: return pv_cli_usage_error("bundle", "That option is not one bundle knows.");
	}
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
		if ((c == 't' && b->ntags == MAX_SELECTORS) || (c == 'i' && b->ncli_ids == MAX_SELECTORS))
			return pv_cli_usage_error("bundle", "Too many --tag or --id options.");
		if ((r = take_option(c, b)) != 0)
			return r;
	}
	if (optind < argc)
		return pv_cli_usage_error("bundle", "Unexpected '%s'; name entries with --id or --tag.", argv[optind]);
	if (!b->out)
		return pv_cli_usage_error("bundle", "Say where to write the bundle with -o FILE.");
	if (!b->ntags && !b->ncli_ids && !b->spec_path && !b->query)
		return pv_cli_usage_error("bundle", "Choose entries with --tag, --id, --query or --spec.");
	if (strcmp(b->purpose, "poster") != 0 && strcmp(b->purpose, "internal") != 0)
		return pv_cli_usage_error("bundle", "The purpose must be poster or internal.");
	if (b->paper && pv_paper_parse(b->paper) < 0)
		return pv_cli_usage_error("bundle", "The paper must be A4, A3, A2, A1 or A0.");
	return 0;
}

static int has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* --format, else from the output name, else zip. */
static int choose_format(const struct bundle_args *b)
{
	if (b->format)
		return pv_bundle_format_parse(b->format);
	static const char *const endings[] = { ".tar.gz", ".tgz", ".tar.zst", ".7z" };
	static const enum pv_bundle_format formats[] = {
		PV_BUNDLE_TAR_GZ, PV_BUNDLE_TAR_GZ, PV_BUNDLE_TAR_ZST, PV_BUNDLE_7Z };
	for (size_t i = 0; i < sizeof endings / sizeof *endings; i++)
		if (has_suffix(b->out, endings[i]))
			return (int)formats[i];
	return PV_BUNDLE_ZIP;
}

/* ---- the spec and the list of ids ---------------------------------------------------- */

static int read_spec(struct bundle_args *b)
{
	uint8_t *data;
	size_t len;
	char err[512];
	if (pv_read_file(b->spec_path, PV_MAX_SIDECAR_BYTES, &data, &len, err, sizeof err) != 0) {
		pv_cli_error("The spec file %s cannot be read: %s.", b->spec_path, err);
		return PV_EXIT_REJECTED;
	}
	int r = pv_bundle_spec_parse((const char *)data, len, &b->spec, err, sizeof err);
	free(data);
	if (r != 0) {
		pv_cli_error("%s", err);
		return PV_EXIT_REJECTED;
	}
	return 0;
}

static int seen_before(const int64_t *ids, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return 1;
	return 0;
}

/* The spec's entries in order, then each --id; an entry named twice is a
 * usage error (it can stand on a poster once). */
static int collect_ids(struct bundle_args *b)
{
	b->ids = calloc(b->spec.nentries + b->ncli_ids + 1, sizeof *b->ids);
	if (!b->ids) {
		pv_cli_error("Out of memory.");
		return PV_EXIT_REJECTED;
	}
	for (size_t i = 0; i < b->spec.nentries; i++)
		b->ids[b->nids++] = b->spec.entries[i].id;
	for (size_t i = 0; i < b->ncli_ids; i++) {
		int64_t id = pv_cli_parse_id(b->cli_ids[i]);
		if (!id)
			return pv_cli_usage_error("bundle", "'%s' is not an entry number.", b->cli_ids[i]);
		if (seen_before(b->ids, b->nids, id))
			return pv_cli_usage_error("bundle", "Entry %" PRId64 " is named twice; it can be in a bundle once.", id);
		b->ids[b->nids++] = id;
	}
	if (!b->nids && !b->ntags && !b->query)
		return pv_cli_usage_error("bundle", "The spec names no entries; add entry lines to it, or choose entries with --tag, --id or --query.");
	return 0;
}

static const char *spec_caption(const struct bundle_args *b, int64_t id)
{
	for (size_t i = 0; i < b->spec.nentries; i++)
		if (b->spec.entries[i].id == id)
			return b->spec.entries[i].caption;
	return NULL;
}

/* ---- selection and consent ------------------------------------------------------------ */

static int has_tag(const struct pv_entry *e, const char *tag)
{
	char *folded = pv_store_fold_tag(tag);
	int found = 0;
	for (size_t i = 0; folded && i < e->ntags && !found; i++)
		found = strcmp(e->tags[i], folded) == 0;
	free(folded);
	return found;
}

static int has_all_tags(const struct pv_entry *e, const struct bundle_args *b)
{
	for (size_t i = 0; i < b->ntags; i++)
		if (!has_tag(e, b->tags[i]))
			return 0;
	return 1;
}

static int in_hits(const struct pv_search_hits *h, int64_t id)
{
	for (size_t i = 0; i < h->count; i++)
		if (h->items[i].id == id)
			return 1;
	return 0;
}

/* Keeps the entries that match --query (full text) and every --tag. */
static int narrow(struct pv_archive *a, const struct bundle_args *b,
		  struct pv_entry_list *l)
{
	struct pv_search_hits hits = { NULL, 0 };
	char err[512];
	if (b->query) {
		int r = pv_store_search(a, b->query, &hits, err, sizeof err);
		if (r != 0) {
			pv_cli_error("%s", err);
			return r == -2 ? PV_EXIT_USAGE : PV_EXIT_REJECTED;
		}
	}
	size_t kept = 0;
	for (size_t i = 0; i < l->count; i++) {
		struct pv_entry *e = &l->items[i];
		if ((!b->query || in_hits(&hits, e->id)) && (!b->nids || has_all_tags(e, b)))
			l->items[kept++] = *e;
		else
			pv_entry_free(e);
	}
	l->count = kept;
	pv_search_hits_free(&hits);
	return 0;
}

/* Everything selected, whatever its consent; consent is checked after, so
 * that each entry left out can be named with its reason. Named entries keep
 * their order and must have every --tag too; --query narrows any selection
 * (alone, it selects from the whole catalogue, in catalogue order). */
static int select_entries(struct pv_archive *a, const struct bundle_args *b,
			  struct pv_entry_list *out)
{
	struct pv_filter f = { .tags = b->tags, .ntags = b->ntags, .ids = b->ids,
			       .nids = b->nids, .min_consent = -1, .exact_consent = -1 };
	char err[512];
	if (pv_store_list(a, &f, out, err, sizeof err) != 0) {
		pv_cli_error("%s", err);
		return PV_EXIT_REJECTED;
	}
	int r = narrow(a, b, out);
	if (r != 0)
		pv_entry_list_free(out);
	return r;
}

struct report {
	json_t *left_out;
	json_t *warnings;
	int json;
};

/* Left out by the library's rule (pv_entry_usable_for); said and listed. */
static void left_out(struct report *rep, const struct pv_entry *e, const char *reason)
{
	pv_cli_error("entry %" PRId64 " left out: %s", e->id, reason);
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(e->id));
	json_object_set_new(o, "reason", json_string(reason));
	json_array_append_new(rep->left_out, o);
}

static void on_warning(const char *sentence, void *ctx)
{
	struct report *rep = ctx;
	pv_progress_clear();
	pv_cli_error("warning: %s", sentence);
	json_array_append_new(rep->warnings, json_string(sentence));
}

/* The newest ingest time, so that the same selection gives the same bytes;
 * SOURCE_DATE_EPOCH wins when set. */
static time_t bundle_time(const struct pv_entry_list *l)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	if (sde && *sde)
		return (time_t)strtoll(sde, NULL, 10);
	time_t newest = 0;
	for (size_t i = 0; i < l->count; i++) {
		struct tm tm = { 0 };
		const char *at = l->items[i].ingested_at;
		if (at && sscanf(at, "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon,
				 &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) == 6) {
			tm.tm_year -= 1900;
			tm.tm_mon -= 1;
			time_t t = timegm(&tm);
			if (t > newest)
				newest = t;
		}
	}
	return newest;
}

/* ---- writing ------------------------------------------------------------------------------ */

static struct pv_poster_settings poster_settings(const struct bundle_args *b)
{
	const struct pv_bundle_spec *s = &b->spec;
	struct pv_poster_settings p = { .paper = PV_PAPER_A2 };
	if (b->paper)
		p.paper = pv_paper_parse(b->paper);
	else if (s->paper >= 0)
		p.paper = s->paper;
	p.landscape = b->landscape >= 0 ? b->landscape : s->landscape > 0;
	p.columns = b->columns ? b->columns : s->columns;
	p.title = b->title ? b->title : s->title;
	p.subtitle = b->subtitle ? b->subtitle : s->subtitle;
	return p;
}

struct selection {
	struct pv_bundle_item *items;
	size_t n;
};

static void take_allowed(struct pv_cli *cli, const struct bundle_args *b,
			 const struct pv_entry_list *l, const char *today,
			 struct report *rep, struct selection *sel)
{
	sel->items = calloc(l->count + 1, sizeof *sel->items);
	sel->n = 0;
	for (size_t i = 0; sel->items && i < l->count; i++) {
		const struct pv_entry *e = &l->items[i];
		char reason[512];
		if (!pv_entry_usable_for(e, b->purpose, today, reason, sizeof reason)) {
			left_out(rep, e, reason);
			continue;
		}
		struct pv_bundle_item *it = &sel->items[sel->n++];
		it->entry = e;
		it->media_path = pv_archive_media_path(cli->archive, e->sha256);
		it->thumb_path = pv_archive_derived_path(cli->archive, e->sha256, "thumb");
		it->preview_path = pv_archive_derived_path(cli->archive, e->sha256, "preview");
		it->caption = spec_caption(b, e->id);
	}
}

static void free_selection(struct selection *sel)
{
	for (size_t i = 0; i < sel->n; i++) {
		free((char *)sel->items[i].media_path);
		free((char *)sel->items[i].thumb_path);
		free((char *)sel->items[i].preview_path);
	}
	free(sel->items);
}

static void print_result(const struct bundle_args *b, const struct selection *sel,
			 const struct pv_bundle_opts *o, const char *sha,
			 struct report *rep)
{
	if (!b->json) {
		printf("Bundle written: ");
		pv_cli_print_text(b->out);
		printf(" (%zu photo%s, SHA-256 %s)\n", sel->n, sel->n == 1 ? "" : "s", sha);
		return;
	}
	json_t *doc = json_object(), *entries = json_array();
	json_object_set_new(doc, "file", json_string(b->out));
	static const char *const format_names[] = { "zip", "tar.gz", "tar.zst", "7z" };
	json_object_set_new(doc, "format", json_string(format_names[o->format]));
	json_object_set_new(doc, "sha256", json_string(sha));
	json_object_set_new(doc, "purpose", json_string(b->purpose));
	json_object_set_new(doc, "paper", json_string(pv_paper_name(o->poster.paper)));
	json_object_set_new(doc, "orientation", json_string(o->poster.landscape ? "landscape" : "portrait"));
	json_object_set_new(doc, "count", json_integer((json_int_t)sel->n));
	for (size_t i = 0; i < sel->n; i++) {
		char name[64];
		pv_bundle_photo_name_of(i, sel->n, sel->items[i].entry->id, name, sizeof name);
		json_t *e = json_object();
		json_object_set_new(e, "number", json_integer((json_int_t)i + 1));
		json_object_set_new(e, "id", json_integer(sel->items[i].entry->id));
		json_object_set_new(e, "file", json_string(name));
		json_array_append_new(entries, e);
	}
	json_object_set_new(doc, "entries", entries);
	json_object_set_new(doc, "left_out", json_incref(rep->left_out));
	json_object_set_new(doc, "warnings", json_incref(rep->warnings));
	pv_cli_print_json(doc);
}

/* The archive opened for writing, for the moment of the record only: the
 * bundle itself is built with read access, so that an ingest or a watch is
 * never kept waiting by it. While another command holds the write lock, the
 * record waits for it. */
static struct pv_archive *open_for_record(struct pv_cli *cli, char *err, size_t errlen)
{
	struct pv_archive *w = pv_archive_open(cli->archive_dir, PV_OPEN_WRITE_NOWAIT,
					       err, errlen);
	if (w)
		return w;
	pv_progress_clear();
	fprintf(stderr, "photovoice: waiting for another photovoice command to finish with the archive, to record the bundle...\n");
	return pv_archive_open(cli->archive_dir, PV_OPEN_WRITE, err, errlen);
}

/* The moment between a complete bundle and its name (before_naming): under
 * the write lock, every entry is checked again (an erasure or a withdrawn
 * consent while the bundle was built must not end up in it) and the bundle
 * is recorded, so that a later erasure names it. The transaction stays open
 * until the file has its name. */
struct naming {
	struct pv_cli *cli;
	const struct bundle_args *b;
	const struct selection *sel;
	const char *today;
	struct pv_archive *w;     /* open, in a transaction, once recorded */
};

static int recheck_and_record(const char *sha, void *ctx, char *err, size_t errlen)
{
	struct naming *nm = ctx;
	struct pv_archive *w = open_for_record(nm->cli, err, errlen);
	if (!w || pv_store_begin(w, err, errlen) != 0) {
		pv_archive_close(w);
		return -1;
	}
	int64_t *ids = calloc(nm->sel->n + 1, sizeof *ids);
	int r = ids ? 0 : -1;
	for (size_t i = 0; r == 0 && i < nm->sel->n; i++) {
		ids[i] = nm->sel->items[i].entry->id;
		r = pv_store_still_usable(w, nm->sel->items[i].entry, nm->b->purpose, nm->today,
					  err, errlen) == 1 ? 0 : -1;
	}
	if (r == 0)
		r = pv_store_record_bundle(w, nm->b->out, sha, nm->b->purpose, ids, nm->sel->n,
					   err, errlen);
	free(ids);
	if (r != 0) {
		pv_store_rollback(w);
		pv_archive_close(w);
		return -1;
	}
	nm->w = w;
	return 0;
}

/* The record is kept only with a named bundle, and a bundle only with its
 * record. */
static int end_record(struct naming *nm, int written)
{
	char err[512];
	if (!nm->w)
		return written ? 0 : -1;
	int r = written ? pv_store_commit(nm->w, err, sizeof err) : -1;
	if (written && r != 0) {
		pv_store_rollback(nm->w);
		unlink(nm->b->out);
		pv_cli_error("The bundle was not kept, because it could not be recorded in the "
			     "catalogue: %s", err);
	} else if (!written) {
		pv_store_rollback(nm->w);
	}
	pv_archive_close(nm->w);
	nm->w = NULL;
	return r;
}

static int write_bundle(struct pv_cli *cli, const struct bundle_args *b, int format,
			const struct pv_entry_list *l, const char *today)
{
	struct report rep = { json_array(), json_array(), b->json };
	struct selection sel;
	take_allowed(cli, b, l, today, &rep, &sel);
	struct naming nm = { .cli = cli, .b = b, .sel = &sel, .today = today };
	struct pv_bundle_opts o = { .format = format, .purpose = b->purpose,
				    .mtime = bundle_time(l), .poster = poster_settings(b),
				    .warn = on_warning, .warn_ctx = &rep, .progress = 1,
				    .before_naming = recheck_and_record, .naming_ctx = &nm };
	char err[512], sha[65];
	int status = PV_EXIT_OK;
	if (!sel.items) {
		pv_cli_error("Out of memory.");
		status = PV_EXIT_REJECTED;
	} else if (sel.n == 0) {
		pv_cli_error("No selected entry may be used for a %s; nothing was written.", b->purpose);
		status = PV_EXIT_REJECTED;
	} else {
		int written = pv_bundle_write(b->out, sel.items, sel.n, &o, sha, err,
					      sizeof err) == 0;
		if (!written)
			pv_cli_error("%s", err);
		status = end_record(&nm, written) == 0 ? PV_EXIT_OK : PV_EXIT_REJECTED;
		if (status == PV_EXIT_OK)
			print_result(b, &sel, &o, sha, &rep);
	}
	free_selection(&sel);
	json_decref(rep.left_out);
	json_decref(rep.warnings);
	return status;
}

static int run_bundle(struct pv_cli *cli, struct bundle_args *b, int format)
{
	int r = b->spec_path ? read_spec(b) : 0;
	if (r == 0)
		r = collect_ids(b);
	if (r != 0)
		return r;
	/* consent counts by the user's own date, the same at the start and at
	 * the re-check before the bundle is named */
	char today[11];
	pv_today_iso(today);
	struct pv_entry_list l;
	if ((r = select_entries(cli->archive, b, &l)) != 0)
		return r;
	if (l.count == 0) {
		pv_cli_error("No entries match that selection; nothing was written.");
		r = PV_EXIT_REJECTED;
	} else {
		r = write_bundle(cli, b, format, &l, today);
	}
	pv_entry_list_free(&l);
	return r;
}

int cmd_bundle(struct pv_cli *cli, int argc, char **argv)
{
	struct bundle_args b = { .purpose = "poster", .landscape = -1 };
	b.spec.paper = -1;
	b.spec.landscape = -1;
	int r = parse_args(argc, argv, &b);
	if (r != 0)
		return r;
	int format = choose_format(&b);
	if (format < 0)
		return pv_cli_usage_error("bundle", "'%s' is not a bundle format; use zip, tar.gz, tar.zst or 7z.", b.format);
	struct stat st;
	if (!b.force && lstat(b.out, &st) == 0) {
		pv_cli_error("%s already exists; use --force to replace it.", b.out);
		return PV_EXIT_REJECTED;
	}
	r = run_bundle(cli, &b, format);
	pv_bundle_spec_free(&b.spec);
	free(b.ids);
	return r;
}
