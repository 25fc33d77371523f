/*
 * The ingest run. The drop folder is scanned and zip submissions listed;
 * every photo becomes one intake. Workers (intake.c) read, convert, rewrite
 * and store each photo's files in parallel; this thread alone writes the
 * catalogue, in transactions of up to PV_INGEST_BATCH photos, and removes
 * the originals of a batch only after its COMMIT. So at every instant a
 * dropped photo is in the drop folder, or fully in the archive, or both for
 * the moment between COMMIT and removal (which the crash journal settles).
 * Anything that cannot be taken goes to quarantine with its reason.
 *
 * Durability, once per batch (flush): the workers' files are not synced one
 * by one; before the COMMIT, one sync of the media store's file system makes
 * every stored file of the batch durable (pv_archive_sync), the COMMIT syncs
 * the catalogue, and only then is a photo reported or its original removed.
 * A power loss before that sync leaves the originals in the drop folder and
 * at most stored files without a row, which the journal (or audit --repair)
 * removes; a name already in the store is never replaced unsynced
 * (archive.c). Files copied out of a zip into the quarantine are synced
 * once for the zip, before the zip is removed (split_zip).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "photovoice/i18n.h"
#include "pipeline.h"
#include "photovoice/jpeg.h"
#include "photovoice/util.h"

struct batch {
	size_t *items;
	size_t n, cap;
	int open;                 /* a transaction is open */
	struct timespec started;
};

struct run {
	struct pv_archive *a;
	const struct pv_ingest_opts *opts;
	const char *drop_dir;
	struct report report;
	struct journal journal;
	struct intake_env env;
	struct drop_scan scan;
	struct zip_submission *zips;
	size_t nzips;
	struct intake *items;
	size_t nitems, cap;
	struct batch batch;
	char (*unentered)[PV_SHA256_HEX];  /* stored, then changed before COMMIT: */
	size_t nunentered;                 /* removed at the end if no row has them */
};

/* ---- moving files out of the drop folder -------------------------------- */

/* same_entry > 0: the file's photo is already that entry (its reason file
 * says so to forget, PV_QUARANTINE_KEY_ENTRY) */
static void quarantine_copy(struct run *r, const char *path, const char *shown,
			    const char *reason, int64_t same_entry)
{
	struct pv_err err = {0};
	int q = pv_quarantine(r->drop_dir, path, reason, same_entry, &err);
	if (q == 0) {
		pv_report_quarantined(&r->report, shown, reason);
		return;
	}
	char both[4096];
	snprintf(both, sizeof both, "%s %s", reason, err.msg);
	if (q > 0)
		pv_report_quarantined(&r->report, shown, both);
	else
		pv_report_left(&r->report, shown, both);
}

static void quarantine_file(struct run *r, const char *path, const char *shown,
			    const char *reason)
{
	quarantine_copy(r, path, shown, reason, 0);
}

static void quarantine_words(struct run *r, struct drop_sidecar *s, const char *why,
			     int64_t same_entry)
{
	char *shown = pv_shown_name(s->rel);
	quarantine_copy(r, s->path, shown, why, same_entry);
	free(shown);
	s->moved = 1;
}

static void quarantine_sidecar(struct run *r, struct drop_sidecar *s, const char *why)
{
	quarantine_words(r, s, why, 0);
}

/* A file set aside that shares its caption file with a photo that is (or
 * may yet be) taken, such as the video of an iPhone Live Photo: the same
 * moment, so an erasure of that entry takes it too. */
static void note_sibling(struct run *r, struct drop_sidecar *s, const char *path)
{
	struct pv_trace t = { .what = pv_strdup("video") };
	struct pv_err err = {0};
	if (pv_sha256_file(path, t.sha256, &t.size) != 0) {
		free(t.what);
		return;
	}
	if (s->taken_by) {
		pv_store_note_trace(r->a, s->taken_by, t.sha256, t.size, t.what, &err);
		free(t.what);
		return;
	}
	s->siblings = realloc(s->siblings, (s->nsiblings + 1) * sizeof *s->siblings);
	if (!s->siblings)
		abort();
	s->siblings[s->nsiblings++] = t;
}

/* A loose photo and its caption file go to quarantine together, unless
 * another photo has taken, or may still take, its words: then the caption
 * file stays for that photo (a copy in the quarantine would outlive that
 * entry's erasure). */
static void refuse_loose(struct run *r, struct intake *it)
{
	struct drop_photo *p = it->photo;
	if (!pv_file_id_same(&it->read_id, p->path)) {
		pv_report_left(&r->report, it->shown, _("It was changed or replaced after this "
			       "run read it, so it was not set aside for what was read; it was "
			       "left in the drop folder for the next run."));
		return;   /* its caption file stays with it */
	}
	struct drop_sidecar *s = p->sidecar;
	if (s && !s->moved && s->users)
		s->users--;
	int shared = s && !s->moved && (s->taken_by || s->users);
	if (shared)
		note_sibling(r, s, p->path);
	quarantine_file(r, p->path, it->shown, it->reason);
	if (shared) {
		if (s->taken_by && !s->users && !r->opts->keep_originals &&
		    pv_drop_sidecar_unchanged(s)) {
			unlink(s->path);
			s->moved = 1;
		}
	} else if (s && !s->moved) {
		char why[2048];
		char *name = pv_shown_name(p->name);
		snprintf(why, sizeof why, _("Its photo %s could not be taken: %s"), name, it->reason);
		free(name);
		quarantine_sidecar(r, s, why);
	}
}

/* An original is removed only when it is still the file that was read: a
 * photo replaced, or a caption file re-saved, after the run read it stays in
 * the drop folder with its partner for the next run. */
static int still_as_read(struct run *r, struct intake *it)
{
	struct drop_sidecar *s = it->photo->sidecar;
	const char *why;
	if (!pv_file_id_same(&it->read_id, it->photo->path))
		why = _("It was changed or replaced after this run read it; what was read is in "
		      "the archive as entry %lld, and the file as it is now was left in the drop "
		      "folder for the next run.");
	else if (s && !s->moved && !pv_drop_sidecar_unchanged(s))
		why = _("Its caption file was changed after this run read it; the photo is in the "
		      "archive as entry %lld with the words read before, and both were left in "
		      "the drop folder for the next run, so that the new words are not lost.");
	else
		return 1;
	char reason[512];
	snprintf(reason, sizeof reason, why, (long long)it->id);
	pv_report_left(&r->report, it->shown, reason);
	return 0;
}

/* A caption file with other words for a photo already in the archive. */
#define same_entry_words _("Its photo is already in the archive as entry %lld, with other " \
			   "words; this caption file was kept here so that no words are lost.")

/* Once a photo is safely in the catalogue (or was there already). The
 * caption file goes first: should the run stop in between, the photo left
 * behind is recognised next time, while a caption file alone would not be. */
static void release_loose(struct run *r, struct intake *it)
{
	struct drop_photo *p = it->photo;
	struct drop_sidecar *s = p->sidecar;
	if (r->opts->keep_originals)
		return;
	if (!still_as_read(r, it))
		return;
	if (s && !s->moved && it->caption_differs) {
		char why[512];
		snprintf(why, sizeof why, same_entry_words, (long long)it->id);
		quarantine_words(r, s, why, it->id);
	} else if (s && !s->moved && --s->users == 0) {
		unlink(s->path);
		s->moved = 1;
	}
	unlink(p->path);
	pv_crash_point("released");
}

/* ---- zip submissions ---------------------------------------------------- */

/* A zip with refused members while others were taken: only what was not
 * taken goes to the quarantine, copied out of it as files (the refused
 * members, and caption files whose words no entry took), so that no copy of
 * a taken photo's original outlives that entry's erasure. */
struct zip_split {
	struct run *r;
	struct zip_submission *z;
	char *stem;                /* the zip's drop-relative name without .zip */
	char **written;            /* files written into the quarantine */
	char **shown, **reasons;   /* for the report, once all are written */
	size_t n;
};

static const char *refusal_of(const struct zip_submission *z, const char *name,
			      int64_t *same_entry)
{
	for (size_t i = 0; i < z->nrefusals; i++)
		if (strcmp(z->refusals[i].name, name) == 0) {
			*same_entry = z->refusals[i].same_entry;
			return z->refusals[i].reason;
		}
	return NULL;
}

static struct zip_member *member_at(struct zip_submission *z, size_t index)
{
	for (size_t i = 0; i < z->nmembers; i++)
		if (z->members[i].index == index)
			return &z->members[i];
	return NULL;
}

static int want_member(void *ctx, const char *name, size_t index)
{
	struct zip_split *sp = ctx;
	struct zip_member *m = member_at(sp->z, index);
	(void)name;
	if (!m)
		return 1;   /* refused while listing: a name, a project file */
	if (!m->is_sidecar)
		return !m->taken;
	/* a caption file no photo took is kept too, with its reason: no words
	 * are lost */
	return m->taken < m->users || m->keep_words || !m->users;
}

static int put_member(void *ctx, const char *name, size_t index, const uint8_t *data,
		      size_t len)
{
	struct zip_split *sp = ctx;
	char safe[64], *written = NULL;
	struct pv_err err = {0};
	snprintf(safe, sizeof safe, "unsafe-name-%zu", index + 1);
	int plain = !pv_zip_unsafe_name(name) && pv_utf8_valid(name, strlen(name));
	char *rel = pv_path_join(sp->stem, plain ? name : safe);
	int64_t same_entry = 0;
	const char *reason = refusal_of(sp->z, name, &same_entry);
	if (!reason)
		reason = _("Its photo in the zip could not be taken, so this caption file was "
			 "kept here with it; no words are lost.");
	int r = pv_quarantine_bytes(sp->r->drop_dir, rel, data, len, reason, same_entry,
				    &written, &err);
	free(rel);
	if (r != 0)
		return -1;
	sp->written = realloc(sp->written, (sp->n + 1) * sizeof *sp->written);
	sp->shown = realloc(sp->shown, (sp->n + 1) * sizeof *sp->shown);
	sp->reasons = realloc(sp->reasons, (sp->n + 1) * sizeof *sp->reasons);
	if (!sp->written || !sp->shown || !sp->reasons)
		abort();
	char *inside = pv_path_join(sp->z->file->rel, name);
	sp->shown[sp->n] = pv_shown_name(inside);
	free(inside);
	sp->reasons[sp->n] = pv_strdup(reason);
	sp->written[sp->n++] = written;
	return 0;
}

/* Settles the split: reported, or undone (the files written go again). */
static void split_end(struct zip_split *sp, int ok)
{
	for (size_t i = 0; i < sp->n; i++) {
		if (ok)
			pv_report_quarantined(&sp->r->report, sp->shown[i], sp->reasons[i]);
		else
			pv_quarantine_remove(sp->written[i]);
		free(sp->written[i]);
		free(sp->shown[i]);
		free(sp->reasons[i]);
	}
	free(sp->written);
	free(sp->shown);
	free(sp->reasons);
	free(sp->stem);
}

/* The copies written into the quarantine, made durable with one sync before
 * the zip that holds them leaves the drop folder. */
static int split_zip(struct run *r, struct zip_submission *z, struct pv_err *err)
{
	struct zip_split sp = { .r = r, .z = z };
	size_t len = strlen(z->file->rel);
	sp.stem = pv_strndup(z->file->rel, len > 4 ? len - 4 : len);
	struct zip_copy c = { want_member, put_member, &sp };
	int rc = pv_zip_copy_out(z, &c, err);
	if (rc == 0 && sp.n && pv_sync_filesystems((const char *const *)sp.written, sp.n, err) != 0)
		rc = -1;
	split_end(&sp, rc == 0);
	if (rc == 0 && !r->opts->keep_originals && !pv_file_id_same(&z->listed, z->file->path))
		pv_report_left(&r->report, z->file->rel, _("The zip was changed or replaced after "
			       "this run read it, so it was left in the drop folder for the next run."));
	else if (rc == 0 && !r->opts->keep_originals)
		unlink(z->file->path);
	return rc;
}

/* The whole zip to the quarantine, holding taken photos too: an erasure of
 * those entries names it (it holds other people's photos as well). */
static void quarantine_whole_zip(struct run *r, struct zip_submission *z, const char *shown,
				 const char *why_split)
{
	struct pv_trace t;
	int hashed = z->ntaken && pv_sha256_file(z->file->path, t.sha256, &t.size) == 0;
	size_t n = strlen(z->refused) + strlen(why_split) + 512;
	char *why = malloc(n);
	struct pv_err err = {0};
	if (!why)
		abort();
	if (*why_split)
		snprintf(why, n, ngettext("%u file in this zip could not be taken, and could not "
					  "be copied out of it on its own (%s), so the whole zip was "
					  "kept here; the other photos in it were taken:\n%s",
					  "%u files in this zip could not be taken, and could not "
					  "be copied out of it on their own (%s), so the whole zip was "
					  "kept here; the other photos in it were taken:\n%s",
					  z->nrefused), z->nrefused, why_split, z->refused);
	else
		snprintf(why, n, ngettext("%u file in this zip could not be taken:\n%s",
					  "%u files in this zip could not be taken:\n%s",
					  z->nrefused), z->nrefused, z->refused);
	quarantine_file(r, z->file->path, shown, why);
	free(why);
	for (size_t i = 0; hashed && i < z->ntaken; i++)
		pv_store_note_trace(r->a, z->taken_ids[i], t.sha256, t.size, "zip", &err);
}

/* A zip leaves the drop folder only when every photo in it is committed.
 * With refused members, those go to the quarantine: copied out of it when
 * other photos were taken, else (or when that fails) the zip whole. */
static void finish_zip(struct run *r, struct zip_submission *z)
{
	if (z->finished || z->pending)
		return;
	z->finished = 1;
	char *shown = pv_shown_name(z->file->rel);
	struct pv_err why_split = {0};
	if (z->retry) {
		pv_report_left(&r->report, shown, _("Not every photo in this zip was taken this "
			       "time, so the zip was left in the drop folder for the next run."));
	} else if (z->nrefused && (!z->ntaken || split_zip(r, z, &why_split) != 0)) {
		quarantine_whole_zip(r, z, shown, why_split.msg);
	} else if (!z->nrefused && !r->opts->keep_originals &&
		   !pv_file_id_same(&z->listed, z->file->path)) {
		pv_report_left(&r->report, shown, _("The zip was changed or replaced after this run "
			       "read it; the photos read from it are in the archive, and the zip as "
			       "it is now was left in the drop folder for the next run."));
	} else if (!z->nrefused && !r->opts->keep_originals) {
		unlink(z->file->path);
	}
	free(shown);
}

static void release_member(struct run *r, struct intake *it)
{
	struct zip_submission *z = it->zip;
	struct zip_member *side = it->member->sidecar;
	z->taken_ids = realloc(z->taken_ids, (z->ntaken + 1) * sizeof *z->taken_ids);
	if (!z->taken_ids)
		abort();
	z->taken_ids[z->ntaken++] = it->id;
	it->member->taken = 1;
	if (side)
		side->taken++;
	if (side && it->caption_differs) {
		char why[512];
		snprintf(why, sizeof why, same_entry_words, (long long)it->id);
		side->keep_words = 1;
		pv_zip_refuse_copy(z, side->name, why, it->id);
	}
	z->pending--;
	finish_zip(r, z);
}

static char *zip_participant(const struct drop_photo *zip, const char *member)
{
	if (zip->participant)
		return pv_strdup(zip->participant);
	const char *slash = strchr(member, '/');
	if (!slash)
		return NULL;
	char *folder = pv_strndup(member, (size_t)(slash - member));
	if (strcmp(folder, zip->stem) == 0) {   /* "inzending.zip" holding "inzending/" */
		free(folder);
		return NULL;
	}
	return folder;
}

/* ---- the list of intakes ------------------------------------------------ */

static const char *const link_refusal =
	N_("It is a symbolic link; photovoice never follows links, so that nothing outside "
	"the drop folder is read.");
static const char *const folder_refusal =
	N_("The name of the folder it is in inside the zip, which gives the participant, is "
	"not valid UTF-8 text.");
static const char *const name_refusal =
	N_("Its name contains a line break or another control character; rename it and put "
	"it back in the drop folder.");


static struct intake *new_intake(struct run *r, const char *rel)
{
	if (r->nitems == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 64;
		r->items = realloc(r->items, r->cap * sizeof *r->items);
		if (!r->items)
			abort();
	}
	struct intake *it = &r->items[r->nitems++];
	memset(it, 0, sizeof *it);
	it->shown = pv_shown_name(rel);
	it->format = PV_IMAGE_JPEG;
	return it;
}

static void add_members(struct run *r, struct zip_submission *z)
{
	for (size_t i = 0; i < z->nmembers; i++) {
		struct zip_member *m = &z->members[i];
		if (m->is_sidecar)
			continue;
		char *rel = pv_path_join(z->file->rel, m->name);
		struct intake *it = new_intake(r, rel);
		free(rel);
		it->zip = z;
		it->member = m;
		char *folder = zip_participant(z->file, m->name);
		if (m->problem)
			it->refusal = m->problem;
		else if (m->sidecar && m->sidecar->parse_failed)
			it->refusal = m->sidecar->parse_error;
		else if (folder && !pv_utf8_valid(folder, strlen(folder)))
			it->refusal = _(folder_refusal);
		pv_drop_fields(z->file, m->sidecar && !m->sidecar->parse_failed ?
			       &m->sidecar->parsed : NULL, folder, &it->fields);
		it->has_caption_file = m->sidecar != NULL;
		free(folder);
		z->pending++;
	}
}

static void add_zip(struct run *r, struct drop_photo *p)
{
	struct zip_submission *z = &r->zips[r->nzips++];
	struct pv_err reason = {0};
	char *shown = pv_shown_name(p->rel);
	if (p->sidecar && !p->sidecar->moved)
		quarantine_sidecar(r, p->sidecar, _("This caption file has the name of a zip, not "
				   "of a photo; put caption files inside the zip, beside their photos."));
	int rc = p->problem ? -1 : pv_zip_list(p, z, &reason);
	if (p->problem)
		pv_fail_text(&reason, PV_ERR_INPUT, p->problem);
	if (rc == 1)
		pv_report_left(&r->report, shown, _("It is still being written (copied or saved) "
			       "right now; it was left in the drop folder for the next run."));
	else if (rc < 0)
		quarantine_file(r, p->path, shown, reason.msg);
	else if (rc == 0)
		add_members(r, z);
	if (rc == 0 && !z->pending && !z->nrefused)
		quarantine_file(r, p->path, shown, _("The zip holds no photos."));
	if (rc != 0 || (!z->pending && !z->nrefused))
		z->finished = 1;
	free(shown);
	finish_zip(r, z);    /* a zip of refused members only */
}

static int is_zip_name(const char *name)
{
	const char *dot = strrchr(name, '.');
	return dot && strcasecmp(dot, ".zip") == 0;
}

static void add_loose(struct run *r, struct drop_photo *p)
{
	struct intake *it = new_intake(r, p->rel);
	it->photo = p;
	if (p->is_symlink)
		it->refusal = _(link_refusal);
	else if (pv_name_has_control(p->rel))
		it->refusal = _(name_refusal);
	else if (p->problem)
		it->refusal = p->problem;
	pv_drop_photo_fields(p, &it->fields);
	it->has_caption_file = p->sidecar != NULL;
	if (!it->refusal && !p->sidecar && pv_drop_file_is_recent(p->path, r->opts->photo_wait_s))
		it->wait = _("Its caption file may still be coming; it waits a moment in the drop "
			   "folder.");
}

static void build_intakes(struct run *r)
{
	size_t nzips = 0;
	for (size_t i = 0; i < r->scan.nphotos; i++)
		nzips += !r->scan.photos[i].is_symlink && is_zip_name(r->scan.photos[i].name);
	r->zips = calloc(nzips ? nzips : 1, sizeof *r->zips);
	if (!r->zips)
		abort();
	for (size_t i = 0; i < r->scan.nphotos; i++) {
		struct drop_photo *p = &r->scan.photos[i];
		if (!p->is_symlink && !pv_name_has_control(p->rel) && is_zip_name(p->name))
			add_zip(r, p);
		else
			add_loose(r, p);
	}
}

/* ---- the writer: batches ------------------------------------------------ */

static long elapsed_ms(const struct timespec *since)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - since->tv_sec) * 1000 + (now.tv_nsec - since->tv_nsec) / 1000000;
}

static void batch_add(struct run *r, size_t i)
{
	struct batch *b = &r->batch;
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : PV_INGEST_BATCH * 2;
		b->items = realloc(b->items, b->cap * sizeof *b->items);
		if (!b->items)
			abort();
	}
	if (b->n == 0)
		clock_gettime(CLOCK_MONOTONIC, &b->started);
	b->items[b->n++] = i;
}

/* Not taken this time: the original stays in the drop folder. A zip's
 * member is named, but the file left is the zip (counted by finish_zip). */
static void leave(struct run *r, struct intake *it, const char *reason)
{
	pv_report_left_files(&r->report, it->shown, reason, it->zip ? 0 : 1);
	if (it->zip) {
		it->zip->retry = 1;
		it->zip->pending--;
		finish_zip(r, it->zip);
	}
}

/* Entries already in the archive that look like this one (resized or
 * recompressed copies): said in the report, never refused. *closest is the
 * nearest within PV_INGEST_SAY_NEAR bits, or 0. Only entries entered before
 * it count: later ones of the same run are in the catalogue or not yet
 * depending on where the batches were cut (by count and by time), and the
 * report must not change with the machine's speed. */
static void near_duplicates(struct run *r, struct intake *it, int64_t **near, size_t *n,
			    int64_t *closest)
{
	struct pv_err err = {0};
	uint64_t mine, other;
	int best = PV_INGEST_SAY_NEAR + 1;
	*closest = 0;
	if (pv_store_near_duplicates_earlier(r->a, it->id, PV_PHASH_NEAR, near, n, &err) != 0) {
		*near = NULL;
		*n = 0;
	}
	if (!*n || pv_phash_parse(it->entry.phash, &mine) != 0)
		return;
	for (size_t k = 0; k < *n; k++) {
		struct pv_entry e;
		if (pv_store_get(r->a, (*near)[k], &e, &err) != 0)
			continue;
		if (pv_phash_parse(e.phash, &other) == 0 && pv_phash_distance(mine, other) < best) {
			best = pv_phash_distance(mine, other);
			*closest = (*near)[k];
		}
		pv_entry_free(&e);
	}
}

static void release(struct run *r, struct intake *it)
{
	if (it->outcome == DONE_NEW) {
		int64_t *near, closest;
		size_t nnear;
		near_duplicates(r, it, &near, &nnear, &closest);
		pv_report_taken(&r->report, it, near, nnear, closest);
		free(near);
	} else if (it->outcome == DONE_RECOVERED) {
		pv_report_recovered(&r->report, it);
	} else {
		pv_report_duplicate(&r->report, it);
	}
	if (it->zip)
		release_member(r, it);
	else
		release_loose(r, it);
}

/* The batch failed to commit: nothing of it is in the catalogue, so its
 * stored files go, and its originals stay for the next run. */
static void batch_failed(struct run *r, const char *err)
{
	char why[768];
	snprintf(why, sizeof why, _("It could not be entered in the catalogue (%s); it was left "
		 "in the drop folder."), err);
	for (size_t k = 0; k < r->batch.n; k++) {
		struct intake *it = &r->items[r->batch.items[k]];
		if (it->outcome == DONE_NEW && pv_store_find_sha(r->a, it->entry.sha256) == 0)
			pv_journal_remove_stored(r->a, it->entry.sha256);
		leave(r, it, why);
	}
}

static void admit(struct run *r, size_t i);

/* Whether a photo of the batch (or its caption file, or its zip) is no
 * longer what was read. */
static const char *changed_since_read(const struct intake *it)
{
	if (it->zip)
		return pv_file_id_same(&it->zip->listed, it->zip->file->path) ? NULL :
		       _("The zip it is in was changed or replaced while this run was taking it, "
		       "so it was not entered; the zip was left in the drop folder for the next "
		       "run.");
	const struct drop_sidecar *s = it->photo->sidecar;
	if (!pv_file_id_same(&it->read_id, it->photo->path))
		return _("It was changed or replaced while this run was taking it, so it was not "
		       "entered; it was left in the drop folder for the next run, which takes it "
		       "as it is now.");
	if (s && !s->moved && !pv_drop_sidecar_unchanged(s))
		return _("Its caption file was changed while this run was taking it, so it was not "
		       "entered; both were left in the drop folder for the next run, which takes "
		       "the new words.");
	return NULL;
}

static const char *batch_first_path(const struct run *r)
{
	for (size_t k = 0; k < r->batch.n; k++)
		if (r->items[r->batch.items[k]].photo)
			return r->items[r->batch.items[k]].photo->path;
	return "";
}

/* Just before COMMIT: an entry whose files changed since they were read is
 * taken out of the batch (all of it rolled back, the rest entered again) and
 * left for the next run. 1 when the batch was made again. */
static int leave_changed(struct run *r)
{
	struct batch *b = &r->batch;
	size_t keep = 0, changed = 0;
	for (size_t k = 0; k < b->n; k++)
		changed += changed_since_read(&r->items[b->items[k]]) != NULL;
	if (!changed)
		return 0;
	pv_store_rollback(r->a);
	b->open = 0;
	for (size_t k = 0; k < b->n; k++) {
		struct intake *it = &r->items[b->items[k]];
		const char *why = changed_since_read(it);
		if (!why) {
			b->items[keep++] = b->items[k];
			continue;
		}
		if (it->outcome == DONE_NEW) {   /* its stored files: gone at the end unless */
			r->unentered = realloc(r->unentered, (r->nunentered + 1) *   /* entered */
					       sizeof *r->unentered);
			if (!r->unentered)
				abort();
			memcpy(r->unentered[r->nunentered++], it->entry.sha256, PV_SHA256_HEX);
		}
		leave(r, it, why);
		pv_entry_free(&it->entry);
	}
	size_t again = keep;
	b->n = 0;
	for (size_t k = 0; k < again; k++)
		admit(r, b->items[k]);
	return 1;
}


static void flush(struct run *r)
{
	struct pv_err err = {0};
	struct batch *b = &r->batch;
	if (b->n)
		pv_test_wait("commit", batch_first_path(r));
	for (int round = 0; round < 3 && b->open && leave_changed(r); round++)
		continue;
	if (b->open) {
		b->open = 0;
		/* the batch's stored files are synced once, here, before the COMMIT
		 * that points at them (their writes were not synced one by one) */
		if (pv_archive_sync(r->a, &err) != 0 ||
		    pv_store_commit(r->a, &err) != 0) {
			pv_store_rollback(r->a);
			batch_failed(r, err.msg);
			b->n = 0;
			return;
		}
		pv_crash_point("committed");
		pv_test_wait("committed", batch_first_path(r));
	}
	for (size_t k = 0; k < b->n; k++) {
		struct intake *it = &r->items[b->items[k]];
		release(r, it);
		pv_entry_free(&it->entry);
	}
	b->n = 0;
}

static int same_text(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* A duplicate's caption file is only thrown away when it says exactly what
 * the catalogue already holds. */
static int caption_differs(struct run *r, const struct intake *it)
{
	struct pv_entry known;
	struct pv_err err = {0};
	if (!it->has_caption_file || pv_store_get(r->a, it->id, &known, &err) != 0)
		return it->has_caption_file;
	const struct pv_entry *e = &it->entry;
	int same = same_text(known.title, e->title) && same_text(known.caption, e->caption) &&
		   same_text(known.story, e->story);
	pv_entry_free(&known);
	return !same;
}

static int note(struct run *r, int64_t id, const char *sha, int64_t size, const char *what,
		struct pv_err *err)
{
	return sha && *sha ? pv_store_note_trace(r->a, id, sha, size, what, err) : 0;
}

/* A caption file is found again by its content only when it holds words: a
 * file that says no more than "Toestemming: poster" may be the same, byte
 * for byte, as other people's, which an erasure must not touch. */
static int has_words(const struct pv_sidecar *p)
{
	return p->title || p->caption || p->story;
}

/* What forget must find again, by content: the caption file (wherever a copy
 * of it ends up), a refused file that shared it, and the original or its zip
 * when they stay in the drop folder (--keep-originals). */
static int note_traces(struct run *r, struct intake *it, int64_t id, struct pv_err *err)
{
	int rc = 0;
	struct drop_sidecar *s = it->photo ? it->photo->sidecar : NULL;
	if (s) {
		s->taken_by = id;
		if (has_words(&s->parsed))
			rc |= note(r, id, s->content_sha, s->content_size, "caption file", err);
		for (size_t i = 0; i < s->nsiblings; i++)
			rc |= note(r, id, s->siblings[i].sha256, s->siblings[i].size,
				   s->siblings[i].what, err);
	}
	if (it->member && it->member->sidecar && has_words(&it->member->sidecar->parsed))
		rc |= note(r, id, it->member->sidecar->content_sha,
			   it->member->sidecar->content_size, "caption file", err);
	if (r->opts->keep_originals) {
		const char *path = it->photo ? it->photo->path : it->zip->file->path;
		struct pv_trace t;
		if (pv_sha256_file(path, t.sha256, &t.size) == 0)
			rc |= note(r, id, t.sha256, t.size, it->photo ? "original" : "zip", err);
	}
	return rc ? -1 : 0;
}

static int add_entry(struct run *r, struct intake *it, struct pv_err *err)
{
	if (!r->batch.open) {
		if (pv_store_begin(r->a, err) != 0)
			return -1;
		r->batch.open = 1;
	}
	/* the entry, its traces and its line in the log together, or none of
	 * them: one failing entry leaves nothing of itself and takes nothing of
	 * the batch */
	if (pv_store_begin(r->a, err) != 0)
		return -1;
	char detail[64];
	int ok = pv_store_add(r->a, &it->entry, err) == 0 &&
		 note_traces(r, it, it->entry.id, err) == 0;
	snprintf(detail, sizeof detail, "entry %lld", (long long)it->entry.id);
	ok = ok && pv_store_log_err(r->a, "ingest", detail, err) == 0;
	if (!ok || pv_store_commit(r->a, err) != 0) {
		pv_store_rollback(r->a);
		return -1;
	}
	it->id = it->entry.id;
	it->outcome = DONE_NEW;
	return 0;
}

/* A stored photo gets its catalogue row in the open batch, unless the
 * catalogue has it already (an earlier drop, earlier in this run, or an
 * interrupted run whose original is still here). */
static void admit(struct run *r, size_t i)
{
	struct intake *it = &r->items[i];
	struct pv_err err = {0};
	int64_t id = pv_store_find_sha(r->a, it->entry.sha256);
	if (id > 0) {
		it->id = id;
		/* recovered too: its caption file may have been re-saved since the
		 * interrupted run read it */
		it->outcome = pv_journal_recovered(&r->journal, it->entry.sha256)
			      ? DONE_RECOVERED : DONE_DUPLICATE;
		it->caption_differs = caption_differs(r, it);
		/* a caption file kept aside with other words for it is a copy of
		 * this entry's words from now on */
		note_traces(r, it, id, &err);
	} else if (id < 0 || add_entry(r, it, &err) != 0) {
		if (id < 0)
			pv_fail(&err, PV_ERR_ARCHIVE, "the catalogue could not be read");
		if (pv_store_find_sha(r->a, it->entry.sha256) == 0)
			pv_journal_remove_stored(r->a, it->entry.sha256);
		char why[768];
		snprintf(why, sizeof why, _("It could not be entered in the catalogue (%s); it was "
			 "left in the drop folder."), err.msg);
		leave(r, it, why);
		return;
	}
	batch_add(r, i);
	pv_crash_point("added");
}

static void refuse(struct run *r, struct intake *it)
{
	if (it->zip) {
		pv_zip_refuse_member(it->zip, it->member->name, it->reason);
		it->zip->pending--;
		finish_zip(r, it->zip);
	} else {
		refuse_loose(r, it);
	}
}

/* ---- the pool ----------------------------------------------------------- */

static int asked_to_stop(const struct run *r)
{
	return r->opts->stop && *r->opts->stop;
}

static void work_one(size_t i, void *ctx)
{
	struct run *r = ctx;
	if (asked_to_stop(r))
		r->items[i].result = INTAKE_SKIPPED;   /* it stays in the drop folder */
	else
		pv_intake_work(&r->items[i], &r->env);
}

static void finish_one(size_t i, void *ctx)
{
	struct run *r = ctx;
	struct intake *it = &r->items[i];
	switch (it->result) {
	case INTAKE_READY:
		admit(r, i);
		break;
	case INTAKE_REFUSED:
		refuse(r, it);
		break;
	case INTAKE_FAILED:
		/* stored, but not all of its derivatives (a full disk): its files
		 * go, as when its row cannot be added */
		if (it->entry.sha256[0] && pv_store_find_sha(r->a, it->entry.sha256) == 0)
			pv_journal_remove_stored(r->a, it->entry.sha256);
		leave(r, it, it->reason);
		break;
	case INTAKE_WAITING:
		leave(r, it, it->reason);
		break;
	case INTAKE_SKIPPED:
		leave(r, it, _("The run was stopped before this photo was taken; it waits in the "
		      "drop folder for the next run."));
		break;
	}
	pv_progress_step(1);
	if (r->batch.n >= PV_INGEST_BATCH ||
	    (r->batch.n && elapsed_ms(&r->batch.started) >= PV_INGEST_BATCH_MS))
		flush(r);
}

static void refuse_lonely_sidecars(struct run *r)
{
	for (size_t i = 0; i < r->scan.nsidecars; i++) {
		struct drop_sidecar *c = &r->scan.sidecars[i];
		if (c->matched || c->moved || pv_drop_sidecar_is_recent(c, r->opts->caption_wait_s))
			continue;
		quarantine_sidecar(r, c, c->refuse_reason ? c->refuse_reason :
				   _("There is no photo with the same name beside this caption file, "
				   "so it could not be attached to a photo."));
	}
}

/* Caption files still in the drop folder at the end: with a photo that was
 * left, waiting for their photo (watch), or not looked at (a stop). */
static void report_waiting_captions(struct run *r)
{
	if (r->opts->keep_originals)
		return;
	for (size_t i = 0; i < r->scan.nsidecars; i++) {
		struct drop_sidecar *c = &r->scan.sidecars[i];
		if (c->moved)
			continue;
		char *shown = pv_shown_name(c->rel);
		pv_report_left(&r->report, shown, c->users ?
			       _("It stays beside its photo, which was not taken this time, so "
			       "that the two are taken together.") : asked_to_stop(r) ?
			       _("The run was stopped before it was looked at; it waits in the drop "
			       "folder for the next run.") :
			       _("No photo with its name has arrived yet; it waits for one a little "
			       "longer, and is set aside if none comes."));
		free(shown);
	}
}

static void run_free(struct run *r)
{
	for (size_t i = 0; i < r->nitems; i++)
		pv_intake_free(&r->items[i]);
	free(r->items);
	for (size_t i = 0; i < r->nzips; i++)
		pv_zip_free(&r->zips[i]);
	free(r->zips);
	free(r->batch.items);
	free(r->unentered);
	pv_drop_scan_free(&r->scan);
	pv_report_free(&r->report);
}

/* What the scan found and ingest does not take: each named with its reason,
 * set aside or left where it is (leftover.c says which). */
static void report_leftovers(struct run *r)
{
	for (size_t i = 0; i < r->scan.nleftovers; i++) {
		const struct drop_leftover *l = &r->scan.leftovers[i];
		char *shown = pv_shown_name(l->rel);
		if (l->quarantine)
			quarantine_file(r, l->path, shown, l->reason);
		else
			pv_report_left_files(&r->report, shown, l->reason, l->files);
		free(shown);
	}
}

/* The stored files of photos taken out of a batch because they changed,
 * once every worker is done: unless a row has them (the same photo entered
 * another way), they go. */
static void remove_unentered(struct run *r)
{
	for (size_t i = 0; i < r->nunentered; i++)
		if (pv_store_find_sha(r->a, r->unentered[i]) == 0)
			pv_journal_remove_stored(r->a, r->unentered[i]);
}

static void take_everything(struct run *r)
{
	report_leftovers(r);
	build_intakes(r);
	int jobs = r->opts->jobs > 0 ? r->opts->jobs : pv_default_jobs();
	struct pixel_budget budget;
	pv_budget_init(&budget, PV_INGEST_JOB_PIXELS * (uint64_t)jobs);
	r->env.budget = &budget;
	if (!r->opts->quiet)
		pv_progress_start(r->nitems, _("Ingesting"));
	pv_pool_run(r->nitems, jobs, work_one, finish_one, r);
	pv_budget_destroy(&budget);
	r->env.budget = NULL;
	flush(r);
	remove_unentered(r);
	for (size_t i = 0; i < r->nzips; i++)
		finish_zip(r, &r->zips[i]);
	if (!asked_to_stop(r))
		refuse_lonely_sidecars(r);
	report_waiting_captions(r);
	pv_progress_done();
}

int pv_ingest_run(struct pv_archive *a, const struct pv_ingest_opts *opts,
		  struct pv_ingest_summary *sum, struct pv_err *err)
{
	struct run r = { .a = a, .opts = opts,
			 .drop_dir = opts->drop_dir ? opts->drop_dir : pv_archive_drop_dir(a) };
	memset(sum, 0, sizeof *sum);
	pv_report_init(&r.report, opts, sum);
	/* a file lease, taken for an instant, must never cost the process */
	void (*old_sigio)(int) = signal(SIGIO, SIG_IGN);
	int rc = -1;
	if (pv_journal_open(a, &r.journal, err) == 0) {
		r.env = (struct intake_env){ .a = a, .journal = &r.journal };
		if (pv_drop_scan(r.drop_dir, &r.scan, err) == 0) {
			pv_test_wait("scanned", r.drop_dir);
			take_everything(&r);
			rc = sum->quarantined || sum->left || r.report.named_left ? 1 : 0;
		}
		pv_journal_close(&r.journal, rc >= 0);
	}
	signal(SIGIO, old_sigio);
	if (rc >= 0 && opts->json)
		pv_report_print_json(&r.report);
	run_free(&r);
	return rc;
}
