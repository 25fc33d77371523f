/*
 * The ingest run: every photo in the drop folder is read, its caption file
 * parsed, its metadata removed by the privacy rewrite, stored under its
 * content hash, entered in the catalogue, and only then removed from the drop
 * folder. Anything that cannot be taken goes to quarantine with its reason.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ingest_internal.h"
#include "photovoice/jpeg.h"
#include "photovoice/util.h"

struct run {
	struct pv_archive *a;
	const struct pv_ingest_opts *opts;
	const char *drop_dir;
	struct pv_ingest_summary *sum;
	json_t *taken, *duplicates, *quarantined;   /* the report, for --json */
};

/* What a file is, by its first bytes, for a reason a person understands. */
static const char *sniff_format(const uint8_t *d, size_t n)
{
	static const struct { const char *magic; size_t off, len; const char *what; } m[] = {
		{ "\xFF\xD8\xFF", 0, 3, "JPEG" },
		{ "\x89PNG", 0, 4, "a PNG image" },
		{ "ftypheic", 4, 8, "a HEIC photo" }, { "ftypheix", 4, 8, "a HEIC photo" },
		{ "ftypmif1", 4, 8, "a HEIF photo" }, { "ftypavif", 4, 8, "an AVIF image" },
		{ "GIF8", 0, 4, "a GIF image" },      { "%PDF", 0, 4, "a PDF document" },
		{ "PK\x03\x04", 0, 4, "a zip archive" }, { "II*\0", 0, 4, "a TIFF image" },
		{ "MM\0*", 0, 4, "a TIFF image" },    { "WEBP", 8, 4, "a WebP image" },
		{ "ftypqt", 4, 6, "a video" },        { "ftypisom", 4, 8, "a video" },
	};
	for (size_t i = 0; i < sizeof m / sizeof *m; i++)
		if (n >= m[i].off + m[i].len && memcmp(d + m[i].off, m[i].magic, m[i].len) == 0)
			return m[i].what;
	return pv_utf8_valid((const char *)d, n < 4096 ? n : 4096) ? "a text file"
								    : "a file of unknown type";
}

/* ---- reporting --------------------------------------------------------- */

static void report_quarantine(struct run *r, const char *rel, const char *reason)
{
	r->sum->quarantined++;
	if (r->opts->json)
		json_array_append_new(r->quarantined, json_pack("{s:s, s:s}", "file", rel,
								 "reason", reason));
	else
		fprintf(stderr, "photovoice: %s: %s\n", rel, reason);
}

static void describe_removed(const struct pv_scrub_report *rep, char *out, size_t n)
{
	size_t o = 0;
	out[0] = '\0';
	for (int k = 0; k < PV_SEG_KIND_COUNT; k++) {
		if (!rep->removed[k] || o >= n)
			continue;
		o += (size_t)snprintf(out + o, n - o, "%s%s", o ? ", " : "",
				      pv_jpeg_kind_name((enum pv_seg_kind)k));
	}
	if (!o)
		snprintf(out, n, "nothing");
}

static void report_taken(struct run *r, const struct drop_photo *p,
			 const struct pv_entry *e, const struct pv_scrub_report *rep)
{
	static const char *const turns[] = { "none", "baked", "tagged" };
	r->sum->ingested++;
	for (int k = 0; k < PV_SEG_KIND_COUNT; k++)
		r->sum->removed[k] += rep->removed[k];
	r->sum->orient_baked += rep->orient_action == PV_ORIENT_BAKED;
	r->sum->orient_tagged += rep->orient_action == PV_ORIENT_TAGGED;
	char removed[512];
	describe_removed(rep, removed, sizeof removed);
	if (r->opts->json) {
		json_array_append_new(r->taken, json_pack("{s:I, s:s, s:s, s:s, s:s}",
			"id", (json_int_t)e->id, "file", p->rel, "sha256", e->sha256,
			"orientation", turns[rep->orient_action], "removed", removed));
	} else if (!r->opts->quiet) {
		printf("entry %-5lld %s  (removed: %s%s)\n", (long long)e->id, p->rel, removed,
		       rep->orient_action == PV_ORIENT_BAKED ? "; turned upright"
		       : rep->orient_action == PV_ORIENT_TAGGED ? "; kept its turn as a tag" : "");
	}
}

static void report_duplicate(struct run *r, const struct drop_photo *p, int64_t id)
{
	r->sum->duplicates++;
	if (r->opts->json)
		json_array_append_new(r->duplicates, json_pack("{s:s, s:I}", "file", p->rel,
							       "entry", (json_int_t)id));
	else if (!r->opts->quiet)
		printf("same   %-5lld %s  (already in the archive; not stored again)\n",
		       (long long)id, p->rel);
}

/* ---- moving files out of the drop folder -------------------------------- */

static void quarantine_file(struct run *r, const char *path, const char *rel,
			    const char *reason)
{
	char err[512];
	if (pv_quarantine(r->drop_dir, path, reason, err, sizeof err) != 0) {
		char both[2600];
		snprintf(both, sizeof both, "%s %s", reason, err);
		report_quarantine(r, rel, both);
		return;
	}
	report_quarantine(r, rel, reason);
}

/* The photo and its caption file go to quarantine together. */
static void refuse(struct run *r, struct drop_photo *p, const char *reason)
{
	quarantine_file(r, p->path, p->rel, reason);
	struct drop_sidecar *s = p->sidecar;
	if (s && !s->moved) {
		char why[2048];
		snprintf(why, sizeof why, "Its photo %s could not be taken: %s", p->name, reason);
		quarantine_file(r, s->path, s->rel, why);
		s->moved = 1;
	}
}

/* Called once a photo is safely in the archive (or was there already). */
static void release_original(struct run *r, struct drop_photo *p)
{
	if (r->opts->keep_originals)
		return;
	unlink(p->path);
	struct drop_sidecar *s = p->sidecar;
	if (s && !s->moved && --s->users == 0) {
		unlink(s->path);
		s->moved = 1;
	}
}

/* ---- building the entry ------------------------------------------------ */

static char *first_of(const char *a, const char *b)
{
	return pv_strdup(a ? a : b);
}

static int fill_entry(struct pv_entry *e, const struct drop_photo *p,
		      const struct pv_rescued *found, const struct pv_scrub_report *rep)
{
	struct pv_sidecar merged;
	pv_drop_photo_fields(p, &merged);
	const struct pv_sidecar *s = &merged;
	e->title = first_of(s->title, found->title);
	e->caption = first_of(s->caption, found->caption);
	e->story = pv_strdup(s->story);
	e->credit = pv_strdup(s->credit);
	e->consent = s->consent >= 0 ? (enum pv_consent)s->consent : PV_CONSENT_INTERNAL;
	e->guardian = s->guardian;
	e->consent_until = pv_strdup(s->consent_until);
	e->taken_month = pv_strdup(found->taken_month);
	e->width = rep->width;
	e->height = rep->height;
	e->tags = calloc(s->ntags + 1, sizeof *e->tags);
	if (!e->tags)
		abort();
	for (size_t i = 0; i < s->ntags; i++)
		e->tags[e->ntags++] = pv_strdup(s->tags[i]);
	e->participant = pv_strdup(s->participant);
	pv_sidecar_free(&merged);
	return 0;
}

/* ---- one photo --------------------------------------------------------- */

struct photo_work {
	uint8_t *in, *out;
	size_t in_len, out_len;
	struct pv_scrub_report rep;
	struct pv_rescued found;
	struct pv_entry entry;
};

static void work_free(struct photo_work *w)
{
	free(w->in);
	free(w->out);
	pv_rescued_free(&w->found);
	pv_entry_free(&w->entry);
}

/* Reads and rewrites the photo; on failure fills reason. */
static int prepare(struct drop_photo *p, struct photo_work *w, char *reason, size_t n)
{
	char err[512];
	if (p->is_symlink) {
		snprintf(reason, n, "It is a symbolic link; photovoice never follows links, so "
			 "that nothing outside the drop folder is read.");
		return -1;
	}
	if (p->problem) {
		snprintf(reason, n, "%s", p->problem);
		return -1;
	}
	if (pv_read_file(p->path, PV_MAX_FILE_BYTES, &w->in, &w->in_len, err, sizeof err) != 0) {
		snprintf(reason, n, "The file could not be read: %s.", err);
		return -1;
	}
	if (w->in_len == 0) {
		snprintf(reason, n, "The file is empty (0 bytes); the copy may have failed.");
		return -1;
	}
	const char *kind = sniff_format(w->in, w->in_len);
	if (strcmp(kind, "JPEG") != 0) {
		snprintf(reason, n, "This is %s, not a JPEG photo; photovoice can only take "
			 "JPEG photos for now.", kind);
		return -1;
	}
	pv_jpeg_rescue(w->in, w->in_len, &w->found);
	if (pv_jpeg_scrub(w->in, w->in_len, &w->out, &w->out_len, &w->rep, err, sizeof err) != 0) {
		snprintf(reason, n, "%s", err);
		return -1;
	}
	if (fill_entry(&w->entry, p, &w->found, &w->rep) != 0) {
		snprintf(reason, n, "The participant's name is not valid UTF-8 text.");
		return -1;
	}
	return 0;
}

static int same_text(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* A photo already in the archive: its caption file is only thrown away when
 * it says exactly what the catalogue already holds. */
static void take_duplicate(struct run *r, struct drop_photo *p, struct photo_work *w,
			   int64_t id)
{
	struct pv_entry known;
	char err[256];
	int found = pv_store_get(r->a, id, &known, err, sizeof err) == 1;
	int same = found && same_text(known.title, w->entry.title) &&
		   same_text(known.caption, w->entry.caption) &&
		   same_text(known.story, w->entry.story);
	if (found)
		pv_entry_free(&known);
	report_duplicate(r, p, id);
	if (same || !p->sidecar) {
		release_original(r, p);
		return;
	}
	char why[512];
	snprintf(why, sizeof why, "Its photo is already in the archive as entry %lld with "
		 "a different caption; this caption file was kept here so that no words are "
		 "lost.", (long long)id);
	if (!r->opts->keep_originals) {
		unlink(p->path);
		quarantine_file(r, p->sidecar->path, p->sidecar->rel, why);
		p->sidecar->moved = 1;
	}
}

static int commit_entry(struct run *r, struct pv_entry *e, char *err, size_t n)
{
	char detail[64];
	if (pv_store_begin(r->a, err, n) != 0)
		return -1;
	if (pv_store_add(r->a, e, err, n) != 0)
		goto fail;
	snprintf(detail, sizeof detail, "entry %lld", (long long)e->id);
	if (pv_store_log(r->a, "ingest", detail) != 0 || pv_store_commit(r->a, err, n) != 0)
		goto fail;
	return 0;
fail:
	pv_store_rollback(r->a);
	return -1;
}

static void store_photo(struct run *r, struct drop_photo *p, struct photo_work *w)
{
	char err[512], reason[1024];
	struct pv_entry *e = &w->entry;
	e->bytes = (int64_t)w->out_len;
	if (pv_archive_put_media(r->a, w->out, w->out_len, e->sha256, err, sizeof err) != 0) {
		snprintf(reason, sizeof reason, "The cleaned photo could not be stored: %s", err);
		fprintf(stderr, "photovoice: %s: %s It was left in the drop folder.\n", p->rel, reason);
		r->sum->quarantined++;   /* not taken; counted so the exit status says so */
		return;
	}
	if (commit_entry(r, e, err, sizeof err) != 0) {
		char *path = pv_archive_media_path(r->a, e->sha256);
		unlink(path);    /* no catalogue row: the stored copy must not linger */
		free(path);
		fprintf(stderr, "photovoice: %s: %s It was left in the drop folder.\n", p->rel, err);
		r->sum->quarantined++;
		return;
	}
	report_taken(r, p, e, &w->rep);
	release_original(r, p);
}

static void take_photo(struct run *r, struct drop_photo *p)
{
	struct photo_work w;
	char reason[1024];
	memset(&w, 0, sizeof w);
	if (prepare(p, &w, reason, sizeof reason) != 0) {
		refuse(r, p, reason);
		work_free(&w);
		return;
	}
	char sha[PV_SHA256_HEX];
	pv_sha256_hex(w.out, w.out_len, sha);
	int64_t id = pv_store_find_sha(r->a, sha);
	if (id > 0)
		take_duplicate(r, p, &w, id);
	else
		store_photo(r, p, &w);
	work_free(&w);
}

static void refuse_lonely_sidecars(struct run *r, struct drop_scan *s)
{
	for (size_t i = 0; i < s->nsidecars; i++) {
		struct drop_sidecar *c = &s->sidecars[i];
		if (c->matched || c->moved ||
		    pv_drop_sidecar_is_recent(c, r->opts->caption_wait_s))
			continue;
		quarantine_file(r, c->path, c->rel, c->refuse_reason ? c->refuse_reason :
				"There is no photo with the same name "
				"beside this caption file, so it could not be attached to a photo.");
		c->moved = 1;
	}
}

static void print_json(struct run *r)
{
	json_t *removed = json_object();
	for (int k = 0; k < PV_SEG_KIND_COUNT; k++)
		if (r->sum->removed[k])
			json_object_set_new(removed, pv_jpeg_kind_name((enum pv_seg_kind)k),
					    json_integer(r->sum->removed[k]));
	json_t *doc = json_pack("{s:I, s:I, s:I, s:I, s:I, s:o, s:o, s:o, s:o}",
		"ingested", (json_int_t)r->sum->ingested,
		"duplicates_count", (json_int_t)r->sum->duplicates,
		"quarantined_count", (json_int_t)r->sum->quarantined,
		"turned_upright", (json_int_t)r->sum->orient_baked,
		"turn_kept_as_tag", (json_int_t)r->sum->orient_tagged,
		"removed", removed, "entries", r->taken, "duplicates", r->duplicates,
		"quarantined", r->quarantined);
	json_dumpf(doc, stdout, JSON_INDENT(2));
	fputc('\n', stdout);
	json_decref(doc);
	r->taken = r->duplicates = r->quarantined = NULL;
}

int pv_ingest_run(struct pv_archive *a, const struct pv_ingest_opts *opts,
		  struct pv_ingest_summary *sum, char *err, size_t errlen)
{
	struct run r = { .a = a, .opts = opts, .sum = sum,
			 .drop_dir = opts->drop_dir ? opts->drop_dir : pv_archive_drop_dir(a),
			 .taken = json_array(), .duplicates = json_array(),
			 .quarantined = json_array() };
	memset(sum, 0, sizeof *sum);
	struct drop_scan scan;
	if (pv_drop_scan(r.drop_dir, &scan, err, errlen) != 0) {
		json_decref(r.taken);
		json_decref(r.duplicates);
		json_decref(r.quarantined);
		return -1;
	}
	size_t i = 0;
	for (; i < scan.nphotos && !(opts->stop && *opts->stop); i++)
		take_photo(&r, &scan.photos[i]);
	if (i == scan.nphotos)
		refuse_lonely_sidecars(&r, &scan);
	pv_drop_scan_free(&scan);
	if (opts->json)
		print_json(&r);
	json_decref(r.taken);
	json_decref(r.duplicates);
	json_decref(r.quarantined);
	return sum->quarantined ? 1 : 0;
}
