/*
 * The crash journal: ARCHIVE/tmp/ingest.journal holds one line per photo the
 * running ingest stored in the media folder (its SHA-256, nothing else: no
 * name, nothing identifying). A run that ends normally removes it. When a run
 * was killed, the next one reads it first:
 *   - a hash with no catalogue row: the stored files never made it into the
 *     catalogue, so they are removed (the original is still in the drop
 *     folder and is taken again);
 *   - a hash with a row: committed, but its original may still be in the drop
 *     folder; meeting it again is finishing that run's work, not a duplicate.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pipeline.h"
#include "photovoice/store.h"

#define JOURNAL_NAME "ingest.journal"
#define JOURNAL_MAX_BYTES ((size_t)64 << 20)

static int is_hash(const char *s, size_t n)
{
	if (n != PV_SHA256_HEX - 1)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

static int by_hash(const void *a, const void *b)
{
	return strcmp(a, b);
}

void pv_journal_remove_stored(struct pv_archive *a, const char *sha256)
{
	static const char *const kinds[] = { "thumb", "preview" };
	for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
		char *d = pv_archive_derived_path(a, sha256, kinds[k]);
		unlink(d);
		free(d);
	}
	char *p = pv_archive_media_path(a, sha256);
	unlink(p);
	free(p);
}

static void remember(struct journal *j, const char *sha)
{
	j->recovered = realloc(j->recovered, (j->nrecovered + 1) * sizeof *j->recovered);
	if (!j->recovered)
		abort();
	memcpy(j->recovered[j->nrecovered++], sha, PV_SHA256_HEX);
}

/* Sorts out what an interrupted run left: orphans removed, committed
 * photos remembered. */
static int recover(struct pv_archive *a, struct journal *j, const char *text, size_t len)
{
	for (const char *line = text; line < text + len;) {
		const char *nl = memchr(line, '\n', (size_t)(text + len - line));
		size_t n = nl ? (size_t)(nl - line) : (size_t)(text + len - line);
		if (is_hash(line, n)) {
			char sha[PV_SHA256_HEX];
			memcpy(sha, line, n);
			sha[n] = '\0';
			int64_t id = pv_store_find_sha(a, sha);
			if (id < 0)
				return -1;
			if (id == 0) {
				pv_journal_remove_stored(a, sha);
				j->orphans_removed++;
			} else {
				remember(j, sha);
			}
		}
		line += n + 1;
	}
	if (j->nrecovered)
		qsort(j->recovered, j->nrecovered, sizeof *j->recovered, by_hash);
	return 0;
}

/* The journal after recovery: the recovered hashes only (they stay until a
 * run ends normally, in case this one is interrupted too). */
static int rewrite(struct journal *j, const char *tmp_dir, struct pv_err *err)
{
	size_t len = j->nrecovered * PV_SHA256_HEX;
	char *text = malloc(len + 1);
	if (!text)
		abort();
	for (size_t i = 0; i < j->nrecovered; i++) {
		memcpy(text + i * PV_SHA256_HEX, j->recovered[i], PV_SHA256_HEX - 1);
		text[i * PV_SHA256_HEX + PV_SHA256_HEX - 1] = '\n';
	}
	int r = pv_write_atomic(j->path, tmp_dir, text, len, err);
	free(text);
	return r;
}

/* Half-written temporary files of a killed run (pv_write_atomic names them
 * .pv-write.*). Only a command holding the archive's write lock writes in
 * tmp/, and ingest holds it now, so none of them is still being written. */
static void remove_half_written(const char *tmp_dir)
{
	DIR *d = opendir(tmp_dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, ".pv-write.", 10) != 0)
			continue;
		char *p = pv_path_join(tmp_dir, e->d_name);
		unlink(p);
		free(p);
	}
	closedir(d);
}

int pv_journal_open(struct pv_archive *a, struct journal *j, struct pv_err *err)
{
	memset(j, 0, sizeof *j);
	j->fd = -1;
	pthread_mutex_init(&j->lock, NULL);
	char *archive_dir = pv_dir_of(pv_archive_drop_dir(a));    /* DIR/drop */
	char *tmp_dir = pv_path_join(archive_dir, "tmp");
	free(archive_dir);
	j->path = pv_path_join(tmp_dir, JOURNAL_NAME);
	remove_half_written(tmp_dir);
	uint8_t *old = NULL;
	size_t len = 0;
	int r = 0;
	if (pv_read_file(j->path, JOURNAL_MAX_BYTES, &old, &len, NULL) == 0) {
		r = recover(a, j, (const char *)old, len);
		free(old);
		if (r != 0)
			pv_fail(err, PV_ERR_ARCHIVE, "The catalogue could not be read to finish the work of "
				   "an interrupted ingest.");
		else
			r = rewrite(j, tmp_dir, err);
	}
	if (r == 0) {
		j->fd = open(j->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (j->fd < 0) {
			pv_fail(err, PV_ERR_ARCHIVE, "The ingest journal in %s could not be opened (%s).",
				   tmp_dir, strerror(errno));
			r = -1;
		}
	}
	free(tmp_dir);
	return r;
}

void pv_journal_note(struct journal *j, const char *sha256)
{
	char line[PV_SHA256_HEX];
	memcpy(line, sha256, PV_SHA256_HEX - 1);
	line[PV_SHA256_HEX - 1] = '\n';
	pthread_mutex_lock(&j->lock);
	/* O_APPEND and one small write: a line is whole or absent. A failed
	 * write only costs the cleanup after a crash; audit --repair does it. */
	if (write(j->fd, line, sizeof line) < 0) {
		/* nothing more to do */
	}
	pthread_mutex_unlock(&j->lock);
}

int pv_journal_recovered(const struct journal *j, const char *sha256)
{
	return j->nrecovered &&
	       bsearch(sha256, j->recovered, j->nrecovered, sizeof *j->recovered, by_hash);
}

void pv_journal_close(struct journal *j, int clean_end)
{
	if (j->fd >= 0)
		close(j->fd);
	if (clean_end && j->path)
		unlink(j->path);
	free(j->path);
	free(j->recovered);
	pthread_mutex_destroy(&j->lock);
	memset(j, 0, sizeof *j);
	j->fd = -1;
}
