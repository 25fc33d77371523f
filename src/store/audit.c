/*
 * audit: re-verify the archive. SQLite and the full-text index pass their
 * own integrity checks; the words (audit_words.c); the media store
 * (audit_media.c): every entry's photo and derivatives in their places with
 * their bytes and clean, every other file a stray. --repair puts files back
 * in their places and removes only files whose bytes are nobody's.
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

const char *pv_audit_kind_name(enum pv_audit_kind k)
{
	static const char *const names[] = { "missing", "hash", "unclean", "orphan",
					     "leftover", "catalogue", "index", "tag",
					     "derived" };
	return k >= PV_AUDIT_MISSING && k <= PV_AUDIT_DERIVED ? names[k] : "problem";
}

void pv_audit_report_free(struct pv_audit_report *r)
{
	for (size_t i = 0; i < r->count; i++) {
		free(r->items[i].path);
		free(r->items[i].what);
		free(r->items[i].todo);
	}
	free(r->items);
	memset(r, 0, sizeof *r);
}

struct pv_audit_problem *pv_audit_problem_add(struct pv_audit_report *r,
					      enum pv_audit_kind k, int64_t id,
					      const char *rel, const char *what)
{
	r->items = realloc(r->items, (r->count + 1) * sizeof *r->items);
	if (!r->items)
		abort();
	struct pv_audit_problem *p = &r->items[r->count++];
	*p = (struct pv_audit_problem){ .kind = k, .entry_id = id, .path = pv_strdup(rel),
					.what = pv_strdup(what) };
	return p;
}

/* The path relative to the archive folder, for reports. */
const char *pv_audit_relative(const struct pv_archive *a, const char *path)
{
	size_t n = strlen(a->dir);
	return strncmp(path, a->dir, n) == 0 && path[n] == '/' ? path + n + 1 : path;
}

/* ---- the catalogue itself --------------------------------------------- */

static int check_catalogue(struct pv_archive *a, struct pv_audit_report *r, struct pv_err *err)
{
	sqlite3_stmt *st = pv_db_prepare(a, "PRAGMA integrity_check", err);
	if (!st)
		return -1;
	int rc, damaged = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *line = (const char *)sqlite3_column_text(st, 0);
		damaged += line && strcmp(line, "ok") != 0;
	}
	sqlite3_finalize(st);
	if (damaged || rc != SQLITE_DONE) {
		char what[256];
		int faults = damaged ? damaged : 1;
		snprintf(what, sizeof what, ngettext("The catalogue database is damaged: SQLite's "
						     "own check found %d fault in it.",
						     "The catalogue database is damaged: SQLite's "
						     "own check found %d faults in it.", faults),
			 faults);
		pv_audit_problem_add(r, PV_AUDIT_CATALOGUE, 0, "catalogue.db", what);
	}
	if (pv_db_exec(a, "INSERT INTO entries_fts (entries_fts) VALUES ('integrity-check');",
		       NULL) != 0)
		pv_audit_problem_add(r, PV_AUDIT_CATALOGUE, 0, "catalogue.db",
				     _("The full-text search index does not match the catalogue."));
	return 0;
}

/* ---- what to do --------------------------------------------------------- */

static const char *todo_for(const struct pv_audit_problem *p, int repair)
{
	int journal = p->path && strcmp(p->path, "tmp/ingest.journal") == 0;
	switch (p->kind) {
	case PV_AUDIT_MISSING:
		return _("Put the file back in its place from a backup, or erase the entry with "
		       "'photovoice forget' and take the photo in again.");
	case PV_AUDIT_HASH:
		return _("Put the photo back from a backup; if there is none, erase the entry "
		       "with 'photovoice forget' and take the photo in again.");
	case PV_AUDIT_UNCLEAN:
		return _("Erase the entry with 'photovoice forget' and take the photo in again; "
		       "the file must not stay in the archive as it is.");
	case PV_AUDIT_DERIVED:
		return _("Put the right file back from a backup, or erase the entry with "
		       "'photovoice forget' and take the photo in again; until then do not "
		       "build bundles with this entry.");
	case PV_AUDIT_CATALOGUE:
		return _("Stop changing this archive and put catalogue.db back from a backup; "
		       "'photovoice audit' says when it is whole again.");
	case PV_AUDIT_ORPHAN:
		if (p->entry_id || !repair)
			return _("Run 'photovoice audit --repair'.");
		return _("Move what you want to keep out of the media store, then remove it by hand.");
	case PV_AUDIT_LEFTOVER:
		if (journal)
			return _("Run 'photovoice ingest' to finish the interrupted run; it removes "
			       "this file.");
		return repair ? _("Remove it by hand.") : "Run 'photovoice audit --repair'.";
	case PV_AUDIT_INDEX:
	case PV_AUDIT_TAG:
		return repair ? _("Run 'photovoice audit --repair' again; if the problem stays, put "
				"catalogue.db back from a backup.")
			      : _("Run 'photovoice audit --repair'.");
	}
	return _("Run 'photovoice audit --repair'.");
}

/* Every problem that is not repaired says what to do. */
static void say_what_to_do(struct pv_audit_report *r, int repair)
{
	for (size_t i = 0; i < r->count; i++)
		if (!r->items[i].repaired)
			r->items[i].todo = pv_strdup(todo_for(&r->items[i], repair));
}

static int log_repairs(struct pv_archive *a, const struct pv_audit_report *r, struct pv_err *err)
{
	size_t n = 0;
	for (size_t i = 0; i < r->count; i++)
		n += r->items[i].repaired;
	if (n == 0)
		return 0;
	char detail[64];
	snprintf(detail, sizeof detail, "repair: %zu problem%s put right", n, n == 1 ? "" : "s");
	if (pv_store_log(a, "audit", detail) == 0)
		return 0;
	pv_fail(err, PV_ERR_ARCHIVE, "The repair could not be written to the log.");
	return -1;
}

int pv_store_audit(struct pv_archive *a, int repair, struct pv_audit_report *out,
		   struct pv_err *err)
{
	memset(out, 0, sizeof *out);
	int r = check_catalogue(a, out, err);
	if (r == 0)
		r = pv_audit_words(a, repair, out, err);
	if (r == 0)
		r = pv_audit_media(a, repair, out, err);
	if (r == 0 && repair)
		r = log_repairs(a, out, err);
	if (r == 0)
		say_what_to_do(out, repair);
	if (r != 0)
		pv_audit_report_free(out);
	return r;
}
