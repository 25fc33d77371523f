/*
 * What ingest says: a line per photo on stdout (entry, same, finished), a
 * line per file set aside on stderr, the counts in the summary, and with
 * --json one document holding all of it (printed at the end).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "photovoice/i18n.h"
#include "pipeline.h"

void pv_report_init(struct report *r, const struct pv_ingest_opts *opts,
		    struct pv_ingest_summary *sum)
{
	memset(r, 0, sizeof *r);
	r->opts = opts;
	r->sum = sum;
	r->taken = json_array();
	r->duplicates = json_array();
	r->recovered = json_array();
	r->quarantined = json_array();
	r->left = json_array();
}

void pv_report_free(struct report *r)
{
	json_decref(r->taken);
	json_decref(r->duplicates);
	json_decref(r->recovered);
	json_decref(r->quarantined);
	json_decref(r->left);
	memset(r, 0, sizeof *r);
}

static int human(const struct report *r)
{
	return !r->opts->json && !r->opts->quiet;
}

/* A line on stdout, below the progress bar's line. */
static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;
	pv_progress_clear();
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

static void describe_removed(const struct pv_scrub_report *rep, char *out, size_t n)
{
	size_t o = 0;
	out[0] = '\0';
	for (int k = 0; k < PV_SEG_KIND_COUNT; k++) {
		if (!rep->removed[k] || o >= n)
			continue;
		o += (size_t)snprintf(out + o, n - o, "%s%s", o ? ", " : "",
				      _(pv_jpeg_kind_name((enum pv_seg_kind)k)));
	}
	if (!o)
		snprintf(out, n, "%s", _("nothing"));
}

/* The intake's row in the table of input formats (a READY intake has one). */
static const struct pv_input_format *format_of(const struct intake *it)
{
	const struct pv_input_format *f = pv_input_format_of(it->format);
	return f ? f : pv_input_format_of(PV_IMAGE_JPEG);
}

static void count_taken(struct report *r, const struct intake *it)
{
	const struct pv_scrub_report *rep = &it->rep;
	r->sum->ingested++;
	for (int k = 0; k < PV_SEG_KIND_COUNT; k++)
		r->sum->removed[k] += rep->removed[k];
	r->sum->orient_baked += rep->orient_action == PV_ORIENT_BAKED;
	r->sum->orient_tagged += rep->orient_action == PV_ORIENT_TAGGED;
	r->sum->converted += format_of(it)->to_jpeg != NULL;
}

static void say_taken(const struct intake *it, const char *removed, int64_t closest)
{
	const struct pv_scrub_report *rep = &it->rep;
	char what[600], near[64] = "";
	if (!format_of(it)->to_jpeg)
		snprintf(what, sizeof what, _("removed: %s"), removed);
	else
		snprintf(what, sizeof what, _("made a JPEG from %s, none of its metadata kept"),
			 format_of(it)->name);
	if (closest > 0)
		snprintf(near, sizeof near, _("; looks like entry %lld"), (long long)closest);
	/* TRANSLATORS: a line per photo taken: the entry number, the file, and
	   in brackets what was removed; "entry" and "same" are as wide */
	say(_("entry %-5lld %s  (%s%s%s)\n"), (long long)it->id, it->shown, what,
	    rep->orient_action == PV_ORIENT_BAKED ? _("; turned upright")
	    : rep->orient_action == PV_ORIENT_TAGGED ? _("; kept its turn as a tag") : "", near);
}

void pv_report_taken(struct report *r, const struct intake *it, const int64_t *near,
		     size_t nnear, int64_t closest)
{
	static const char *const turns[] = { "none", "baked", "tagged" };
	char removed[512];
	count_taken(r, it);
	describe_removed(&it->rep, removed, sizeof removed);
	if (human(r))
		say_taken(it, removed, closest);
	if (!r->opts->json)
		return;
	json_t *similar = json_array();
	for (size_t i = 0; i < nnear; i++)
		json_array_append_new(similar, json_integer(near[i]));
	json_array_append_new(r->taken, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o}",
		"id", (json_int_t)it->id, "file", it->shown, "sha256", it->entry.sha256,
		"format", format_of(it)->word, "orientation", turns[it->rep.orient_action],
		"removed", removed, "phash", it->entry.phash, "looks_like", similar));
}

void pv_report_duplicate(struct report *r, const struct intake *it)
{
	r->sum->duplicates++;
	if (r->opts->json)
		json_array_append_new(r->duplicates, json_pack("{s:s, s:I}", "file", it->shown,
							       "entry", (json_int_t)it->id));
	else if (!r->opts->quiet)
		say(_("same   %-5lld %s  (already in the archive; not stored again)\n"),
		    (long long)it->id, it->shown);
}

void pv_report_recovered(struct report *r, const struct intake *it)
{
	r->sum->recovered++;
	if (r->opts->json)
		json_array_append_new(r->recovered, json_pack("{s:s, s:I}", "file", it->shown,
							      "entry", (json_int_t)it->id));
	else if (!r->opts->quiet)
		say(_("entry %-5lld %s  (stored by an earlier ingest that was interrupted; "
		    "the original is removed now)\n"), (long long)it->id, it->shown);
}

/* On stderr a reason is one line: the list of a zip's refused members is
 * joined with spaces (the .reason.txt keeps one per line). */
static void complain(const char *shown, const char *reason)
{
	char *line = pv_trim(pv_text_for_terminal(reason, 1));   /* no control raw */
	pv_progress_clear();
	fprintf(stderr, "photovoice: %s: %s\n", shown, line);
	free(line);
}

static void add_reason(json_t *arr, const char *shown, const char *reason)
{
	json_array_append_new(arr, json_pack("{s:s, s:s}", "file", shown, "reason", reason));
}

void pv_report_quarantined(struct report *r, const char *shown, const char *reason)
{
	r->sum->quarantined++;
	if (r->opts->json)
		add_reason(r->quarantined, shown, reason);
	else
		complain(shown, reason);
}

void pv_report_left(struct report *r, const char *shown, const char *reason)
{
	pv_report_left_files(r, shown, reason, 1);
}

void pv_report_left_files(struct report *r, const char *shown, const char *reason,
			  unsigned files)
{
	r->sum->left += files;
	r->named_left++;
	if (r->opts->json)
		add_reason(r->left, shown, reason);
	else
		complain(shown, reason);
}

void pv_report_print_json(struct report *r)
{
	const struct pv_ingest_summary *s = r->sum;
	json_t *removed = json_object();
	for (int k = 0; k < PV_SEG_KIND_COUNT; k++)
		if (s->removed[k])
			json_object_set_new(removed, pv_jpeg_kind_name((enum pv_seg_kind)k),
					    json_integer(s->removed[k]));
	json_t *doc = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:O, s:O, s:O, "
				"s:O, s:O}",
		"ingested", (json_int_t)s->ingested,
		"duplicates_count", (json_int_t)s->duplicates,
		"recovered_count", (json_int_t)s->recovered,
		"quarantined_count", (json_int_t)s->quarantined,
		"left_count", (json_int_t)s->left,
		"converted", (json_int_t)s->converted,
		"turned_upright", (json_int_t)s->orient_baked,
		"turn_kept_as_tag", (json_int_t)s->orient_tagged,
		"removed", removed, "entries", r->taken, "duplicates", r->duplicates,
		"recovered", r->recovered, "quarantined", r->quarantined, "left", r->left);
	json_dumpf(doc, stdout, JSON_INDENT(2));
	fputc('\n', stdout);
	json_decref(doc);
}
