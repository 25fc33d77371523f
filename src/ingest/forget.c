/*
 * Erasure that reaches every copy. The catalogue's side is the store's
 * (pv_store_forget); this adds what ingest may have left under the drop
 * folder: caption files set aside with other words for a photo already in
 * the archive, originals kept with --keep-originals, a Live Photo's video,
 * zips that held the photo. The catalogue knows them by content only
 * (pv_store_traces), so the whole drop folder is searched for files of the
 * same size and hash, whatever their name and wherever they were moved.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "photovoice/ingest.h"
#include "photovoice/util.h"

#define MAX_DEPTH 32

struct sweep {
	const char *drop_dir;
	const struct pv_trace *traces;
	size_t ntraces;
	struct pv_forget_report *out;
};

static void keep_named(struct pv_forget_report *out, const char *drop_dir, const char *path)
{
	size_t n = strlen(drop_dir);
	const char *rel = strncmp(path, drop_dir, n) == 0 && path[n] == '/' ? path + n + 1 : path;
	for (size_t i = 0; i < out->ncopies_kept; i++)
		if (strcmp(out->copies_kept[i], rel) == 0)
			return;
	out->copies_kept = realloc(out->copies_kept,
				   (out->ncopies_kept + 1) * sizeof *out->copies_kept);
	if (!out->copies_kept)
		abort();
	out->copies_kept[out->ncopies_kept++] = pv_strdup(rel);
}

/* A copy goes, and the reason file beside it (which names it). */
static void remove_copy(struct pv_forget_report *out, const char *path)
{
	struct stat st;
	pv_quarantine_remove(path);
	if (lstat(path, &st) == 0)
		out->copies_failed++;
	else
		out->copies_removed++;
}

static const struct pv_trace *matching_trace(const struct sweep *s, const char *path,
					     int64_t size)
{
	int any = 0;
	for (size_t i = 0; i < s->ntraces && !any; i++)
		any = s->traces[i].size == size;
	char sha[PV_SHA256_HEX];
	int64_t read_size;
	if (!any || pv_sha256_file(path, sha, &read_size) != 0 || read_size != size)
		return NULL;
	for (size_t i = 0; i < s->ntraces; i++)
		if (s->traces[i].size == size && strcmp(s->traces[i].sha256, sha) == 0)
			return &s->traces[i];
	return NULL;
}

static void sweep_file(const char *path, const struct stat *st, void *ctx)
{
	struct sweep *s = ctx;
	const struct pv_trace *t = matching_trace(s, path, (int64_t)st->st_size);
	if (!t)
		return;
	if (t->what && strcmp(t->what, "zip") == 0)
		keep_named(s->out, s->drop_dir, path);   /* other people's photos too */
	else
		remove_copy(s->out, path);
}

static int is_zip_name(const char *path)
{
	size_t n = strlen(path);
	return n > 4 && strcasecmp(path + n - 4, ".zip") == 0;
}

/* Archives from before traces were recorded: the quarantine's reason files
 * that name the entry (a caption file with other words, a zip holding it). */
static void sweep_named_in_reasons(const char *drop_dir, int64_t id,
				   struct pv_forget_report *out)
{
	char **paths;
	size_t n;
	if (pv_quarantine_find_entry(drop_dir, id, &paths, &n) != 0)
		return;
	for (size_t i = 0; i < n; i++) {
		if (is_zip_name(paths[i]))
			keep_named(out, drop_dir, paths[i]);
		else
			remove_copy(out, paths[i]);
		free(paths[i]);
	}
	free(paths);
}

/* The ids to erase, each checked to exist: -1 (not found) with a sentence when one does
 * not (or the participant has neither entries nor a record, which the store
 * says). */
static int entries_to_erase(struct pv_archive *a, const int64_t *ids, size_t n,
			    const char *participant, int64_t **out, size_t *nout,
			    struct pv_err *err)
{
	*out = NULL;
	*nout = 0;
	if (participant) {
		struct pv_filter f = { .participant = participant, .min_consent = -1,
				       .exact_consent = -1 };
		struct pv_entry_list l;
		if (pv_store_list(a, &f, &l, err) != 0)
			return -1;
		*out = calloc(l.count + 1, sizeof **out);
		if (!*out)
			abort();
		for (size_t i = 0; i < l.count; i++)
			(*out)[(*nout)++] = l.items[i].id;
		pv_entry_list_free(&l);
		return 0;
	}
	*out = calloc(n + 1, sizeof **out);
	if (!*out)
		abort();
	for (size_t i = 0; i < n; i++) {
		struct pv_entry e;
		int found = pv_store_get(a, ids[i], &e, err) == 0;
		pv_entry_free(&e);
		if (!found && err && err->kind == PV_ERR_NOT_FOUND)
			return pv_fail(err, PV_ERR_NOT_FOUND, "There is no entry %lld in this "
				       "archive; nothing was erased.", (long long)ids[i]);
		if (!found)
			return -1;
		(*out)[(*nout)++] = ids[i];
	}
	return 0;
}

static int sweep_copies(struct pv_archive *a, const int64_t *ids, size_t n,
			struct pv_forget_report *copies, struct pv_err *err)
{
	struct sweep s = { .drop_dir = pv_archive_drop_dir(a), .out = copies };
	struct pv_trace *traces;
	size_t ntraces;
	if (pv_store_traces(a, ids, n, &traces, &ntraces, err) != 0)
		return -1;
	s.traces = traces;
	s.ntraces = ntraces;
	if (ntraces)
		pv_walk_files(s.drop_dir, MAX_DEPTH, sweep_file, &s);
	pv_traces_free(traces, ntraces);
	for (size_t i = 0; i < n; i++)
		sweep_named_in_reasons(s.drop_dir, ids[i], copies);
	return 0;
}

int pv_forget(struct pv_archive *a, const int64_t *ids, size_t n,
	      const char *participant, struct pv_forget_report *out, struct pv_err *err)
{
	memset(out, 0, sizeof *out);
	int64_t *todo;
	size_t ntodo;
	struct pv_forget_report copies = { 0 };
	int r = entries_to_erase(a, ids, n, participant, &todo, &ntodo, err);
	if (r == 0)
		r = sweep_copies(a, todo, ntodo, &copies, err);
	if (r == 0)
		r = participant ? pv_store_forget_participant(a, participant, out, err)
				: pv_store_forget(a, todo, ntodo, out, err);
	free(todo);
	if (r != 0) {
		pv_forget_report_free(&copies);
		return r;
	}
	out->copies_removed = copies.copies_removed;
	out->copies_failed = copies.copies_failed;
	out->copies_kept = copies.copies_kept;
	out->ncopies_kept = copies.ncopies_kept;
	if (out->copies_failed || out->ncopies_kept)
		out->traces_cleared = 0;
	return 0;
}
