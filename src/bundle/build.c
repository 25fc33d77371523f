/* pv_bundle_build: a bundle request in one call. The entries are selected
 * (select.c), each one its purpose does not allow today is left out with its
 * reason, the bundle is written (bundle_write.c), and in the moment between
 * the complete file and its name every entry is checked again under the
 * write lock and the bundle is recorded with its audit line: a bundle never
 * has a name while something in it is not allowed, and never exists
 * without its record. */
#include "bundle_build.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct build {
	const struct pv_bundle_request *rq;
	struct pv_bundle_report *rep;
	struct pv_bundle_sel sel;
	struct pv_bundle_item *items;   /* the entries allowed, in order */
	size_t n;
	char today[11];                 /* consent counts by the user's date,
					   the same at the start and at the
					   re-check */
	struct pv_archive *w;           /* open for writing, in a transaction,
					   once recorded */
};

/* ---- the report ----------------------------------------------------------------- */

static void note_left_out(struct pv_bundle_report *rep, int64_t id, const char *reason)
{
	rep->left_out = realloc(rep->left_out, (rep->nleft_out + 1) * sizeof *rep->left_out);
	if (!rep->left_out)
		abort();
	rep->left_out[rep->nleft_out++] = (struct pv_bundle_left_out){ id, pv_strdup(reason) };
}

static void note_warning(const char *sentence, void *ctx)
{
	struct pv_bundle_report *rep = ctx;
	rep->warnings = realloc(rep->warnings, (rep->nwarnings + 1) * sizeof *rep->warnings);
	if (!rep->warnings)
		abort();
	rep->warnings[rep->nwarnings++] = pv_strdup(sentence);
}

static void note_entries(struct build *b)
{
	struct pv_bundle_report *rep = b->rep;
	rep->entries = calloc(b->n + 1, sizeof *rep->entries);
	if (!rep->entries)
		abort();
	for (size_t i = 0; i < b->n; i++) {
		rep->entries[i].id = b->items[i].entry->id;
		pv_bundle_photo_name_of(i, b->n, rep->entries[i].id, rep->entries[i].file,
					sizeof rep->entries[i].file);
	}
	rep->count = b->n;
}

void pv_bundle_report_free(struct pv_bundle_report *r)
{
	for (size_t i = 0; i < r->nleft_out; i++)
		free(r->left_out[i].reason);
	for (size_t i = 0; i < r->nwarnings; i++)
		free(r->warnings[i]);
	free(r->left_out);
	free(r->warnings);
	free(r->entries);
	memset(r, 0, sizeof *r);
}

/* ---- consent -------------------------------------------------------------------- */

/* The entries the purpose allows today (pv_entry_usable_for); every other is
 * named in the report with its reason. */
static int take_allowed(struct build *b, struct pv_err *err)
{
	const struct pv_entry_list *l = &b->sel.list;
	b->items = calloc(l->count + 1, sizeof *b->items);
	if (!b->items)
		return pv_fail(err, PV_ERR_INPUT, "The selection is too large (out of memory).");
	for (size_t i = 0; i < l->count; i++) {
		const struct pv_entry *e = &l->items[i];
		struct pv_err why = { 0 };
		if (!pv_entry_usable_for(e, b->rep->purpose, b->today, &why)) {
			note_left_out(b->rep, e->id, why.msg);
			continue;
		}
		struct pv_bundle_item *it = &b->items[b->n++];
		it->entry = e;
		it->media_path = pv_archive_media_path(b->rq->archive, e->sha256);
		it->thumb_path = pv_archive_derived_path(b->rq->archive, e->sha256, "thumb");
		it->preview_path = pv_archive_derived_path(b->rq->archive, e->sha256, "preview");
		it->caption = pv_bundle_sel_caption(&b->sel, e->id);
	}
	if (b->n == 0)
		return pv_fail(err, PV_ERR_NOT_ALLOWED, "No selected entry may be used for a %s; nothing was written.",
			       b->rep->purpose);
	return 0;
}

static void free_items(struct build *b)
{
	for (size_t i = 0; b->items && i < b->n; i++) {
		free((char *)b->items[i].media_path);
		free((char *)b->items[i].thumb_path);
		free((char *)b->items[i].preview_path);
	}
	free(b->items);
}

/* ---- the re-check and the record ------------------------------------------------ */

/* The archive opened for writing, for the moment of the record only: the
 * bundle itself is built with read access, so that an ingest or a watch is
 * never kept waiting by it. While another command holds the write lock, the
 * record waits for it (and says so through the request's waiting). */
static struct pv_archive *open_for_record(const struct pv_bundle_request *rq, struct pv_err *why)
{
	struct pv_archive *w = pv_archive_open(rq->archive_dir, PV_OPEN_WRITE_NOWAIT, why);
	if (w)
		return w;
	if (rq->waiting)
		rq->waiting(rq->ctx);
	return pv_archive_open(rq->archive_dir, PV_OPEN_WRITE, why);
}

static int recheck(struct build *b, int64_t *ids, struct pv_err *why)
{
	for (size_t i = 0; i < b->n; i++) {
		ids[i] = b->items[i].entry->id;
		if (pv_store_still_usable(b->w, b->items[i].entry, b->rep->purpose, b->today,
					  why) != 1)
			return -1;
	}
	return 0;
}

/* before_naming: every entry checked again and the bundle recorded, in a
 * transaction that stays open until the file has its name. */
static int recheck_and_record(const char *sha, void *ctx, struct pv_err *why)
{
	struct build *b = ctx;
	b->w = open_for_record(b->rq, why);
	pv_archive_set_actor(b->w, b->rq->actor);   /* the log line names who built it */
	if (!b->w || pv_store_begin(b->w, why) != 0) {
		pv_archive_close(b->w);
		b->w = NULL;
		return -1;
	}
	int64_t *ids = calloc(b->n + 1, sizeof *ids);
	int r = ids ? recheck(b, ids, why) : -1;
	if (r == 0)
		r = pv_store_record_bundle(b->w, b->rq->record_name ? b->rq->record_name : b->rq->out,
					   sha, b->rep->purpose, ids, b->n, why);
	free(ids);
	if (r != 0) {
		pv_store_rollback(b->w);
		pv_archive_close(b->w);
		b->w = NULL;
	}
	return r;
}

/* The record is kept only with a named bundle, and a bundle only with its
 * record. */
static int end_record(struct build *b, int written, struct pv_err *err)
{
	struct pv_err why = {0};
	if (!b->w)
		return written ? 0 : -1;
	int r = written ? pv_store_commit(b->w, &why) : -1;
	if (written && r != 0) {
		pv_store_rollback(b->w);
		unlink(b->rq->out);
		pv_fail(err, PV_ERR_ARCHIVE, "The bundle was not kept, because it could not be "
			"recorded in the catalogue: %s", why.msg);
	} else if (!written) {
		pv_store_rollback(b->w);
	}
	pv_archive_close(b->w);
	b->w = NULL;
	return r;
}

/* ---- writing -------------------------------------------------------------------- */

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

struct pv_poster_settings pv_bundle_poster_settings(const struct pv_bundle_request *rq,
						     const struct pv_bundle_spec *s)
{
	struct pv_poster_settings p = { .paper = PV_PAPER_A2 };
	if (rq->paper >= 0)
		p.paper = (enum pv_paper)rq->paper;
	else if (s->paper >= 0)
		p.paper = (enum pv_paper)s->paper;
	p.landscape = rq->landscape >= 0 ? rq->landscape : s->landscape > 0;
	p.columns = rq->columns ? rq->columns : s->columns;
	p.title = rq->title ? rq->title : s->title;
	p.subtitle = rq->subtitle ? rq->subtitle : s->subtitle;
	return p;
}

static int write_and_record(struct build *b, int format, struct pv_err *err)
{
	const struct pv_bundle_request *rq = b->rq;
	struct pv_bundle_opts o = { .format = format,
				    .purpose = b->rep->purpose, .mtime = bundle_time(&b->sel.list),
				    .poster = pv_bundle_poster_settings(rq, &b->sel.spec),
				    .warn = note_warning, .warn_ctx = b->rep,
				    .progress = rq->progress,
				    .before_naming = recheck_and_record, .naming_ctx = b };
	b->rep->paper = o.poster.paper;
	b->rep->landscape = o.poster.landscape;
	int written = pv_bundle_write(rq->out, b->items, b->n, &o, b->rep->sha256, err) == 0;
	if (end_record(b, written, err) != 0)
		return -1;
	note_entries(b);
	return 0;
}

/* ---- the request ----------------------------------------------------------------- */

/* The request's format, else the one the output's name ends in, else zip. */
static int choose_format(const struct pv_bundle_request *rq, struct pv_err *err)
{
	if (rq->format) {
		int f = pv_bundle_format_parse(rq->format);
		if (f < 0)
			pv_fail(err, PV_ERR_INPUT, "'%s' is not a bundle format; use %s.", rq->format,
				pv_bundle_format_list());
		return f;
	}
	int f = pv_bundle_format_of_name(rq->out);
	return f >= 0 ? f : PV_BUNDLE_ZIP;
}

/* Each id an entry number, named once (an entry stands on a poster once);
 * ids are few, so the check of each against those before it stays small. */
static int check_ids(const struct pv_bundle_request *rq, struct pv_err *err)
{
	for (size_t i = 0; i < rq->nids; i++) {
		if (rq->ids[i] < 1)
			return pv_fail(err, PV_ERR_USAGE, "%" PRId64 " is not an entry number.", rq->ids[i]);
		for (size_t k = 0; k < i; k++)
			if (rq->ids[k] == rq->ids[i])
				return pv_fail(err, PV_ERR_USAGE, "Entry %" PRId64 " is named twice; it can be in a bundle once.",
					       rq->ids[i]);
	}
	return 0;
}

int pv_bundle_request_check(const struct pv_bundle_request *rq, struct pv_err *err)
{
	if (!rq->ntags && !rq->nids && !rq->query && !rq->spec_path && !rq->spec_text)
		return pv_fail(err, PV_ERR_USAGE, "Choose entries with --tag, --id, --query or --spec.");
	if (check_ids(rq, err) != 0)
		return -1;
	if (!rq->out || !*rq->out)
		return pv_fail(err, PV_ERR_INPUT, "Say where to write the bundle.");
	if (rq->purpose && strcmp(rq->purpose, "poster") != 0 && strcmp(rq->purpose, "internal") != 0)
		return pv_fail(err, PV_ERR_INPUT, "The purpose must be poster or internal.");
	if (rq->paper > (int)PV_PAPER_A0 || rq->columns < 0 || rq->columns > PV_POSTER_MAX_COLUMNS)
		return pv_fail(err, PV_ERR_INPUT, "The poster settings are not valid: paper A4 to A0, 1 to 12 columns.");
	return choose_format(rq, err) < 0 ? -1 : 0;
}

static int check_request(const struct pv_bundle_request *rq, struct pv_err *err)
{
	struct stat st;
	if (!rq->archive || !rq->archive_dir)
		return pv_fail(err, PV_ERR_INPUT, "A bundle needs an open archive.");
	if (pv_bundle_request_check(rq, err) != 0)
		return -1;
	if (!rq->replace && lstat(rq->out, &st) == 0)
		return pv_fail(err, PV_ERR_CONFLICT, "%s already exists; use --force to replace it.", rq->out);
	return 0;
}

int pv_bundle_build(const struct pv_bundle_request *rq, struct pv_bundle_report *out,
		    struct pv_err *err)
{
	memset(out, 0, sizeof *out);
	struct build b = { .rq = rq, .rep = out };
	out->purpose = rq->purpose && strcmp(rq->purpose, "internal") == 0 ? "internal" : "poster";
	if (check_request(rq, err) != 0)
		return -1;
	int format = choose_format(rq, err);
	if (format < 0)
		return -1;
	out->format = pv_bundle_format_name(format);
	pv_today_iso(b.today);
	int r = -1;
	if (pv_bundle_sel_read(rq, &b.sel, err) == 0 && pv_bundle_sel_select(rq, &b.sel, err) == 0 &&
	    take_allowed(&b, err) == 0)
		r = write_and_record(&b, format, err);
	free_items(&b);
	pv_bundle_sel_free(&b.sel);
	return r;
}
