/*
 * audit, the media store. Each entry has places: its photo, and its
 * thumbnail and preview, each with the bytes it was stored with (the photo's
 * name is its SHA-256; the derivatives' hashes are recorded in the
 * catalogue). Every other file in media/ and tmp/ is a stray. A stray, or a
 * file in another entry's place, whose bytes are an entry's photo or
 * derivative is never removed: repair puts it back in its place (a photo
 * moved by hand within media/, two previews swapped). Only strays whose bytes
 * are nobody's are removed.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "photovoice/i18n.h"
#include "photovoice/jpeg.h"
#include "photovoice/store.h"
#include "photovoice/util.h"
#include "store_internal.h"

/* A place an entry's file belongs in. */
struct slot {
	int64_t id;
	const char *kind;     /* NULL: the photo; "thumb" or "preview" */
	char want[65];        /* SHA-256 of its bytes; "" when not recorded */
	char got[65];         /* SHA-256 of what is there; "" when nothing */
	char *path;
	size_t problem;       /* its problem's index + 1; 0 when it is right */
	size_t source;        /* the file with its bytes (index + 1); 0 none */
};

/* A file that may be moved: a stray, or the file in a slot that is wrong. */
struct file {
	char *path;
	char sha[65];         /* "" when not a readable regular file */
	int is_dir;
	int in_tmp;
	size_t slot;          /* the slot it sits in (index + 1); 0 a stray */
	int used;
};

struct media {
	struct slot *slots;
	size_t nslots, slots_cap;
	struct file *files;
	size_t nfiles, files_cap;
	char **shas;          /* the photos' hashes, sorted: owned names */
	size_t nshas;
};

#define INGEST_JOURNAL "ingest.journal"

/* What audit says of a stored file, a whole sentence for each kind of file
 * (the photo, its thumbnail, its preview), so that a translator never
 * translates "the %s" with an English word in it. */
struct kind_sentences {
	const char *unclean;       /* %lld entry, %s why */
	const char *missing;       /* %lld */
	const char *unreadable;    /* %lld */
	const char *differs;       /* %lld, derivatives only */
	const char *second_copy;   /* %lld */
};

static const struct kind_sentences photo_sentences = {
	N_("The photo of entry %lld fails the privacy check: %s"),
	N_("The photo of entry %lld is missing."),
	N_("The photo of entry %lld is there but cannot be read."),
	NULL,
	N_("A second copy of the photo of entry %lld, outside its place; repair puts it in "
	   "its place (the copy there is the same)."),
};

static const struct kind_sentences thumb_sentences = {
	N_("The thumbnail of entry %lld fails the privacy check: %s"),
	N_("The thumbnail of entry %lld is missing."),
	N_("The thumbnail of entry %lld is there but cannot be read."),
	N_("The thumbnail of entry %lld is not the one made from its photo: its bytes differ "
	   "from those recorded when it was made."),
	N_("A second copy of the thumbnail of entry %lld, outside its place; repair puts it "
	   "in its place (the copy there is the same)."),
};

static const struct kind_sentences preview_sentences = {
	N_("The preview of entry %lld fails the privacy check: %s"),
	N_("The preview of entry %lld is missing."),
	N_("The preview of entry %lld is there but cannot be read."),
	N_("The preview of entry %lld is not the one made from its photo: its bytes differ "
	   "from those recorded when it was made."),
	N_("A second copy of the preview of entry %lld, outside its place; repair puts it "
	   "in its place (the copy there is the same)."),
};

static const struct kind_sentences *sentences_of(const char *kind)
{
	return !kind ? &photo_sentences : strcmp(kind, "thumb") == 0 ? &thumb_sentences
								   : &preview_sentences;
}

/* ---- the places -------------------------------------------------------- */

static void add_slot(struct pv_archive *a, struct media *m, int64_t id, const char *sha,
		     const char *kind, const char *want)
{
	m->slots = pv_grow(m->slots, m->nslots, &m->slots_cap, sizeof *m->slots);
	struct slot *s = &m->slots[m->nslots++];
	memset(s, 0, sizeof *s);
	s->id = id;
	s->kind = kind;
	snprintf(s->want, sizeof s->want, "%s", want ? want : "");
	s->path = pv_archive_file_path(a, sha, kind);
}

static int load_slots(struct pv_archive *a, struct media *m, struct pv_err *err)
{
	sqlite3_stmt *st = pv_db_prepare(a, "SELECT id, sha256, " PV_AUDIT_DERIVED_COLUMNS
					 " FROM entries ORDER BY sha256", err);
	if (!st)
		return -1;
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		const char *sha = (const char *)sqlite3_column_text(st, 1);
		m->shas = pv_grow(m->shas, m->nshas, &cap, sizeof *m->shas);
		m->shas[m->nshas++] = pv_strdup(sha);
		add_slot(a, m, id, sha, NULL, sha);
		add_slot(a, m, id, sha, "thumb", (const char *)sqlite3_column_text(st, 2));
		add_slot(a, m, id, sha, "preview", (const char *)sqlite3_column_text(st, 3));
	}
	if (rc != SQLITE_DONE)
		return pv_db_fail(a, st, err);
	sqlite3_finalize(st);
	return 0;
}

static void check_clean(struct pv_archive *a, const uint8_t *data, size_t len,
			const struct slot *s, struct pv_audit_report *r)
{
	struct pv_err why = {0};
	char what[1024];
	if (pv_jpeg_check_clean(data, len, &why) == 0)
		return;
	snprintf(what, sizeof what, _(sentences_of(s->kind)->unclean), (long long)s->id,
		 why.msg);
	pv_audit_problem_add(r, PV_AUDIT_UNCLEAN, s->id, pv_audit_relative(a, s->path), what);
}

static void slot_problem(struct pv_archive *a, struct slot *s, enum pv_audit_kind k,
			 const char *what, struct pv_audit_report *r)
{
	pv_audit_problem_add(r, k, s->id, pv_audit_relative(a, s->path), what);
	s->problem = r->count;
}

/* Reads what is in the place: missing, other bytes, not clean. */
static void check_slot(struct pv_archive *a, struct slot *s, struct pv_audit_report *r)
{
	uint8_t *data;
	size_t len;
	char what[512];
	int present = access(s->path, F_OK) == 0;
	if (!present && !s->kind && !s->want[0])
		return;
	if (!present || pv_read_file(s->path, PV_MAX_FILE_BYTES, &data, &len, NULL) != 0) {
		if (!present && !s->want[0])
			return;   /* a derivative not recorded: an entry from before */
		const struct kind_sentences *say = sentences_of(s->kind);
		snprintf(what, sizeof what, _(present ? say->unreadable : say->missing),
			 (long long)s->id);
		slot_problem(a, s, PV_AUDIT_MISSING, what, r);
		return;
	}
	r->files++;
	pv_sha256_hex(data, len, s->got);
	if (s->want[0] && strcmp(s->got, s->want) != 0) {
		if (!s->kind)
			snprintf(what, sizeof what, _("The photo of entry %lld has changed: its bytes "
				 "no longer match the hash it was stored under."), (long long)s->id);
		else
			snprintf(what, sizeof what, _(sentences_of(s->kind)->differs),
				 (long long)s->id);
		slot_problem(a, s, s->kind ? PV_AUDIT_DERIVED : PV_AUDIT_HASH, what, r);
	}
	check_clean(a, data, len, s, r);
	free(data);
}

/* ---- the strays -------------------------------------------------------- */

static int by_string(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* A media file name an entry owns: <sha>.jpg, <sha>.thumb.jpg, <sha>.preview.jpg
 * in the folder named by the hash's first two digits. */
static int owned_name(const struct media *m, const char *fan, const char *name)
{
	static const char *const endings[] = { ".jpg", ".thumb.jpg", ".preview.jpg" };
	if (strlen(name) < 64 || strncmp(name, fan, 2) != 0 || !m->nshas)
		return 0;
	char sha[65];
	memcpy(sha, name, 64);
	sha[64] = '\0';
	char *key = sha;
	if (!bsearch(&key, m->shas, m->nshas, sizeof *m->shas, by_string))
		return 0;
	for (size_t i = 0; i < sizeof endings / sizeof *endings; i++)
		if (strcmp(name + 64, endings[i]) == 0)
			return 1;
	return 0;
}

static void add_file(struct media *m, const char *path, int in_tmp, size_t slot,
		     const char *sha)
{
	m->files = pv_grow(m->files, m->nfiles, &m->files_cap, sizeof *m->files);
	struct file *f = &m->files[m->nfiles++];
	memset(f, 0, sizeof *f);
	f->path = pv_strdup(path);
	f->in_tmp = in_tmp;
	f->slot = slot;
	struct stat st;
	int is_reg = lstat(path, &st) == 0 && S_ISREG(st.st_mode);
	f->is_dir = !is_reg && S_ISDIR(st.st_mode);
	if (sha) {
		snprintf(f->sha, sizeof f->sha, "%s", sha);
		return;
	}
	uint8_t *data;
	size_t len;
	if (is_reg && pv_read_file(path, PV_MAX_FILE_BYTES, &data, &len, NULL) == 0) {
		pv_sha256_hex(data, len, f->sha);
		free(data);
	}
}

static int is_fan_name(const char *name)
{
	return strlen(name) == 2 && strspn(name, "0123456789abcdef") == 2;
}

#define MAX_DEPTH 8

/* Every file below dir except the places of entries (in a fan folder) and
 * the ingest journal; a folder photovoice did not make is a stray too, and
 * what is inside it is looked at. */
static void walk(struct media *m, const char *dir, const char *fan, int depth, int in_tmp)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	while (d && (de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0 ||
		    (in_tmp && depth == 0 && strcmp(de->d_name, INGEST_JOURNAL) == 0) ||
		    (fan && owned_name(m, fan, de->d_name)))
			continue;
		char *path = pv_path_join(dir, de->d_name);
		struct stat st;
		int is_dir = lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
		if (is_dir && !in_tmp && depth == 0 && is_fan_name(de->d_name)) {
			walk(m, path, de->d_name, 1, 0);
		} else {
			add_file(m, path, in_tmp, 0, NULL);
			if (is_dir && depth < MAX_DEPTH)
				walk(m, path, NULL, depth + 1, in_tmp);
		}
		free(path);
	}
	if (d)
		closedir(d);
}

/* Strays: what is in media/ at names no entry owns, and what is in tmp/. */
static void scan_strays(struct pv_archive *a, struct media *m)
{
	walk(m, a->media_dir, NULL, 0, 0);
	walk(m, a->tmp_dir, NULL, 0, 1);
}

/* ---- putting files back ------------------------------------------------ */

/* Files in a place that holds other bytes may belong elsewhere. */
static void add_misplaced(struct media *m)
{
	for (size_t i = 0; i < m->nslots; i++)
		if (m->slots[i].problem && m->slots[i].got[0])
			add_file(m, m->slots[i].path, 0, i + 1, m->slots[i].got);
}

static void match(struct media *m)
{
	for (size_t i = 0; i < m->nslots; i++) {
		struct slot *s = &m->slots[i];
		if (!s->problem || !s->want[0] || strcmp(s->got, s->want) == 0)
			continue;
		for (size_t k = 0; k < m->nfiles && !s->source; k++) {
			struct file *f = &m->files[k];
			if (!f->used && f->slot != i + 1 && strcmp(f->sha, s->want) == 0) {
				f->used = 1;
				s->source = k + 1;
			}
		}
	}
}

static int put_in_place(const char *from, const char *to)
{
	char *dir = pv_dir_of(to);
	mkdir(dir, 0700);
	free(dir);
	return rename(from, to);
}

/* Every file that goes back is first moved aside into tmp/ (so that two
 * swapped files do not meet), then into its place, and checked there. A file
 * left aside by a crash is a stray in tmp/ the next audit puts back in the
 * same way. */
static void move_back(struct pv_archive *a, struct media *m, struct pv_audit_report *r)
{
	char **aside = calloc(m->nslots + 1, sizeof *aside);
	if (!aside)
		abort();
	for (size_t i = 0; i < m->nslots; i++) {
		if (!m->slots[i].source)
			continue;
		char name[64];
		snprintf(name, sizeof name, ".pv-put-back-%ld-%zu", (long)getpid(), i);
		aside[i] = pv_path_join(a->tmp_dir, name);
		if (access(aside[i], F_OK) == 0 ||
		    rename(m->files[m->slots[i].source - 1].path, aside[i]) != 0) {
			free(aside[i]);
			aside[i] = NULL;
		}
	}
	for (size_t i = 0; i < m->nslots; i++) {
		struct slot *s = &m->slots[i];
		if (aside[i] && put_in_place(aside[i], s->path) == 0) {
			r->items[s->problem - 1].repaired = 1;
			uint8_t *data;
			size_t len;
			if (pv_read_file(s->path, PV_MAX_FILE_BYTES, &data, &len, NULL) == 0) {
				check_clean(a, data, len, s, r);
				free(data);
			}
		}
		free(aside[i]);
	}
	free(aside);
}

static void say_found(struct pv_archive *a, const struct media *m, int repair,
		      struct pv_audit_report *r)
{
	for (size_t i = 0; i < m->nslots; i++) {
		const struct slot *s = &m->slots[i];
		if (!s->source)
			continue;
		struct pv_audit_problem *p = &r->items[s->problem - 1];
		char what[1024];
		snprintf(what, sizeof what, _("%s Its bytes were found at %s; %s"), p->what,
			 pv_audit_relative(a, m->files[s->source - 1].path),
			 p->repaired ? _("they were put back in their place.")
			 : repair ? _("they could not be moved back.")
				  : _("'photovoice audit --repair' puts them back in their place."));
		free(p->what);
		p->what = pv_strdup(what);
	}
}

/* ---- what is left ------------------------------------------------------ */

/* The place whose bytes these are, when it holds them already (a copy). */
static const struct slot *copy_of(const struct media *m, const char *sha)
{
	for (size_t i = 0; sha[0] && i < m->nslots; i++)
		if (m->slots[i].want[0] && strcmp(m->slots[i].want, sha) == 0)
			return &m->slots[i];
	return NULL;
}

static void leftover(struct pv_archive *a, const struct media *m, struct file *f, int repair,
		     struct pv_audit_report *r)
{
	const struct slot *s = copy_of(m, f->sha);
	char what[256];
	if (s) {
		snprintf(what, sizeof what, _(sentences_of(s->kind)->second_copy),
			 (long long)s->id);
		struct pv_audit_problem *p = pv_audit_problem_add(
			r, PV_AUDIT_ORPHAN, s->id, pv_audit_relative(a, f->path), what);
		p->repaired = repair && rename(f->path, s->path) == 0;
		return;
	}
	const char *says = f->in_tmp ? _("A file left behind by an interrupted write.")
			   : !f->is_dir ? _("A file in the media store that no entry owns.")
			   : _("A folder in the media store that photovoice did not make.");
	struct pv_audit_problem *p = pv_audit_problem_add(
		r, f->in_tmp ? PV_AUDIT_LEFTOVER : PV_AUDIT_ORPHAN, 0,
		pv_audit_relative(a, f->path), says);
	p->repaired = repair && !f->is_dir && unlink(f->path) == 0;
}

static void journal(struct pv_archive *a, struct pv_audit_report *r)
{
	char *path = pv_path_join(a->tmp_dir, INGEST_JOURNAL);
	if (access(path, F_OK) == 0)
		pv_audit_problem_add(r, PV_AUDIT_LEFTOVER, 0, pv_audit_relative(a, path),
				     _("An ingest was interrupted; its journal is here so that "
				     "the next ingest can finish its work (run 'photovoice "
				     "ingest', which removes it)."));
	free(path);
}

static void media_free(struct media *m)
{
	for (size_t i = 0; i < m->nslots; i++)
		free(m->slots[i].path);
	for (size_t i = 0; i < m->nfiles; i++)
		free(m->files[i].path);
	for (size_t i = 0; i < m->nshas; i++)
		free(m->shas[i]);
	free(m->slots);
	free(m->files);
	free(m->shas);
}

int pv_audit_media(struct pv_archive *a, int repair, struct pv_audit_report *r,
		   struct pv_err *err)
{
	struct media m = { 0 };
	if (load_slots(a, &m, err) != 0) {
		media_free(&m);
		return -1;
	}
	for (size_t i = 0; i < m.nslots; i++)
		check_slot(a, &m.slots[i], r);
	r->entries = (int64_t)m.nshas;
	if (m.nshas)
		qsort(m.shas, m.nshas, sizeof *m.shas, by_string);
	scan_strays(a, &m);
	add_misplaced(&m);
	match(&m);
	if (repair)
		move_back(a, &m, r);
	say_found(a, &m, repair, r);
	for (size_t k = 0; k < m.nfiles; k++)
		if (!m.files[k].used && !m.files[k].slot)
			leftover(a, &m, &m.files[k], repair, r);
	journal(a, r);
	media_free(&m);
	return 0;
}
