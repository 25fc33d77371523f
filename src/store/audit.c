/*
 * audit: re-verify the archive. Every catalogued photo is in the media store,
 * hashes to its name and passes the privacy check (so do its derived files);
 * every file in media/ belongs to an entry; nothing is left in tmp/; SQLite
 * and the full-text index pass their own integrity checks. --repair removes
 * only files no entry owns: orphans in media/ and leftovers in tmp/.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "photovoice/jpeg.h"
#include "photovoice/store.h"
#include "photovoice/util.h"
#include "store_internal.h"

const char *pv_audit_kind_name(enum pv_audit_kind k)
{
	static const char *const names[] = { "missing", "hash", "unclean", "orphan",
					     "leftover", "catalogue", "index", "tag" };
	return k >= PV_AUDIT_MISSING && k <= PV_AUDIT_TAG ? names[k] : "problem";
}

void pv_audit_report_free(struct pv_audit_report *r)
{
	for (size_t i = 0; i < r->count; i++) {
		free(r->items[i].path);
		free(r->items[i].what);
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
static const char *relative(const struct pv_archive *a, const char *path)
{
	size_t n = strlen(a->dir);
	return strncmp(path, a->dir, n) == 0 && path[n] == '/' ? path + n + 1 : path;
}

/* ---- catalogued files ------------------------------------------------- */

static void check_clean(const struct pv_archive *a, const uint8_t *data, size_t len,
			int64_t id, const char *path, struct pv_audit_report *r)
{
	char why[256], what[512];
	if (pv_jpeg_check_clean(data, len, why, sizeof why) == 0)
		return;
	snprintf(what, sizeof what, "A stored file of entry %lld fails the privacy check: %s",
		 (long long)id, why);
	pv_audit_problem_add(r, PV_AUDIT_UNCLEAN, id, relative(a, path), what);
}

static void check_photo(struct pv_archive *a, int64_t id, const char *sha,
			struct pv_audit_report *r)
{
	char *path = pv_archive_media_path(a, sha);
	uint8_t *data;
	size_t len;
	char err[256], what[512], got[65];
	if (pv_read_file(path, PV_MAX_FILE_BYTES, &data, &len, err, sizeof err) != 0) {
		snprintf(what, sizeof what, "The photo of entry %lld is missing or cannot be "
			 "read: %s", (long long)id, err);
		pv_audit_problem_add(r, PV_AUDIT_MISSING, id, relative(a, path), what);
		free(path);
		return;
	}
	r->files++;
	pv_sha256_hex(data, len, got);
	if (strcmp(got, sha) != 0) {
		snprintf(what, sizeof what, "The photo of entry %lld has changed: its bytes no "
			 "longer match the hash it was stored under.", (long long)id);
		pv_audit_problem_add(r, PV_AUDIT_HASH, id, relative(a, path), what);
	}
	check_clean(a, data, len, id, path, r);
	free(data);
	free(path);
}

static void check_derived(struct pv_archive *a, int64_t id, const char *sha,
			  const char *kind, struct pv_audit_report *r)
{
	char *path = pv_archive_derived_path(a, sha, kind);
	uint8_t *data;
	size_t len;
	if (access(path, F_OK) == 0 &&
	    pv_read_file(path, PV_MAX_FILE_BYTES, &data, &len, NULL, 0) == 0) {
		r->files++;
		check_clean(a, data, len, id, path, r);
		free(data);
	} else if (access(path, F_OK) == 0) {
		pv_audit_problem_add(r, PV_AUDIT_MISSING, id, relative(a, path),
			"A derived file (thumbnail or preview) cannot be read.");
	}
	free(path);
}

/* Checks each row's files; fills the sorted list of catalogued hashes. */
static int check_rows(struct pv_archive *a, struct pv_audit_report *r, char ***shas,
		      size_t *nshas, char *err, size_t errlen)
{
	sqlite3_stmt *st = pv_db_prepare(a, "SELECT id, sha256 FROM entries ORDER BY sha256",
					 err, errlen);
	if (!st)
		return -1;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		const char *sha = (const char *)sqlite3_column_text(st, 1);
		*shas = realloc(*shas, (*nshas + 1) * sizeof **shas);
		if (!*shas)
			abort();
		(*shas)[(*nshas)++] = pv_strdup(sha);
		r->entries++;
		check_photo(a, id, sha, r);
		check_derived(a, id, sha, "thumb", r);
		check_derived(a, id, sha, "preview", r);
	}
	if (rc != SQLITE_DONE)
		return pv_db_fail(a, st, err, errlen);
	sqlite3_finalize(st);
	return 0;
}

/* ---- files no row owns ------------------------------------------------ */

static int by_string(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* A media file name an entry owns: <sha>.jpg, <sha>.thumb.jpg, <sha>.preview.jpg
 * in the folder named by the hash's first two digits. */
static int owned_name(const char *fan, const char *name, char **shas, size_t nshas)
{
	static const char *const endings[] = { ".jpg", ".thumb.jpg", ".preview.jpg" };
	if (strlen(name) < 64 || strncmp(name, fan, 2) != 0)
		return 0;
	char sha[65];
	memcpy(sha, name, 64);
	sha[64] = '\0';
	char *key = sha;
	if (!nshas || !bsearch(&key, shas, nshas, sizeof *shas, by_string))
		return 0;
	for (size_t i = 0; i < sizeof endings / sizeof *endings; i++)
		if (strcmp(name + 64, endings[i]) == 0)
			return 1;
	return 0;
}

static void stray(struct pv_archive *a, const char *path, enum pv_audit_kind k,
		  int repair, struct pv_audit_report *r)
{
	struct stat st;
	int is_file = lstat(path, &st) == 0 && !S_ISDIR(st.st_mode);
	const char *what = k == PV_AUDIT_LEFTOVER
		? "A file left behind by an interrupted write."
		: is_file ? "A file in the media store that no entry owns."
			  : "A folder in the media store that photovoice did not make.";
	struct pv_audit_problem *p = pv_audit_problem_add(r, k, 0, relative(a, path), what);
	p->repaired = repair && is_file && unlink(path) == 0;
}

static void scan_fan(struct pv_archive *a, const char *fan, char **shas, size_t nshas,
		     int repair, struct pv_audit_report *r)
{
	char *dir = pv_path_join(a->media_dir, fan);
	DIR *d = opendir(dir);
	struct dirent *de;
	while (d && (de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (owned_name(fan, de->d_name, shas, nshas))
			continue;
		char *path = pv_path_join(dir, de->d_name);
		stray(a, path, PV_AUDIT_ORPHAN, repair, r);
		free(path);
	}
	if (d)
		closedir(d);
	free(dir);
}

static int is_fan_name(const char *name)
{
	return strlen(name) == 2 && strspn(name, "0123456789abcdef") == 2;
}

static void scan_media(struct pv_archive *a, char **shas, size_t nshas, int repair,
		       struct pv_audit_report *r)
{
	DIR *d = opendir(a->media_dir);
	struct dirent *de;
	while (d && (de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		char *path = pv_path_join(a->media_dir, de->d_name);
		struct stat st;
		if (is_fan_name(de->d_name) && lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
			scan_fan(a, de->d_name, shas, nshas, repair, r);
		else
			stray(a, path, PV_AUDIT_ORPHAN, repair, r);
		free(path);
	}
	if (d)
		closedir(d);
}

/* The crash journal of an interrupted ingest (src/ingest/journal.c): the
 * next ingest needs it to finish that run's work, so repair never removes it. */
#define INGEST_JOURNAL "ingest.journal"

static void keep_journal(struct pv_archive *a, const char *path, struct pv_audit_report *r)
{
	pv_audit_problem_add(r, PV_AUDIT_LEFTOVER, 0, relative(a, path),
			     "An ingest was interrupted; its journal is here so that the next "
			     "ingest can finish its work (run 'photovoice ingest', which removes "
			     "it).");
}

static void scan_tmp(struct pv_archive *a, int repair, struct pv_audit_report *r)
{
	DIR *d = opendir(a->tmp_dir);
	struct dirent *de;
	while (d && (de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		char *path = pv_path_join(a->tmp_dir, de->d_name);
		if (strcmp(de->d_name, INGEST_JOURNAL) == 0)
			keep_journal(a, path, r);
		else
			stray(a, path, PV_AUDIT_LEFTOVER, repair, r);
		free(path);
	}
	if (d)
		closedir(d);
}

/* ---- the catalogue itself --------------------------------------------- */

static int check_catalogue(struct pv_archive *a, struct pv_audit_report *r, char *err,
			   size_t errlen)
{
	sqlite3_stmt *st = pv_db_prepare(a, "PRAGMA integrity_check", err, errlen);
	if (!st)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *line = (const char *)sqlite3_column_text(st, 0);
		if (line && strcmp(line, "ok") != 0) {
			char what[512];
			snprintf(what, sizeof what, "The catalogue database is damaged: %s", line);
			pv_audit_problem_add(r, PV_AUDIT_CATALOGUE, 0, "catalogue.db", what);
		}
	}
	sqlite3_finalize(st);
	if (pv_db_exec(a, "INSERT INTO entries_fts (entries_fts) VALUES ('integrity-check');",
		       NULL, 0) != 0)
		pv_audit_problem_add(r, PV_AUDIT_CATALOGUE, 0, "catalogue.db", "The full-text search index "
			"does not match the catalogue.");
	return 0;
}

static int log_repairs(struct pv_archive *a, const struct pv_audit_report *r, char *err,
		       size_t errlen)
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
	pv_set_err(err, errlen, "The repair could not be written to the log.");
	return -1;
}

int pv_store_audit(struct pv_archive *a, int repair, struct pv_audit_report *out,
		   char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	char **shas = NULL;
	size_t nshas = 0;
	int r = check_catalogue(a, out, err, errlen);
	if (r == 0)
		r = pv_audit_words(a, repair, out, err, errlen);
	if (r == 0)
		r = check_rows(a, out, &shas, &nshas, err, errlen);
	if (r == 0) {
		if (nshas)
			qsort(shas, nshas, sizeof *shas, by_string);
		scan_media(a, shas, nshas, repair, out);
		scan_tmp(a, repair, out);
	}
	for (size_t i = 0; i < nshas; i++)
		free(shas[i]);
	free(shas);
	if (r == 0 && repair)
		r = log_repairs(a, out, err, errlen);
	if (r != 0)
		pv_audit_report_free(out);
	return r;
}
