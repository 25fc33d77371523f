/*
 * Writing many files with one sync (scrub, ingest): each file is written to
 * a temporary name without a sync of its own; once a batch is written, one
 * sync per file system makes every byte of it durable, and only then are the
 * files put under their names (and their folders synced), so that a power
 * loss at any step leaves either the old state or the finished file, never a
 * name holding a partial one. What a caller reports as done, or removes the
 * source of, must come after the last step.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "photovoice/util.h"

int pv_write_temp(const char *dir, const void *data, size_t len, char **tmp,
		  struct pv_err *err)
{
	char *tmpl = pv_path_join(dir, ".pv-write.XXXXXX");
	int fd = mkstemp(tmpl);
	*tmp = NULL;
	if (fd < 0) {
		pv_fail(err, PV_ERR_OUTPUT, "A temporary file could not be created (%s).",
			strerror(errno));
		free(tmpl);
		return -1;
	}
	int ok = fchmod(fd, 0600) == 0 && pv_write_all(fd, data, len) == 0;
	int saved = errno;
	/* start writing it out now, without waiting: the batch's one sync then
	 * finds most of it on disk already (a hint only; it proves nothing) */
	if (ok)
		sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
	if (close(fd) != 0 && ok) {
		ok = 0;
		saved = errno;
	}
	if (!ok) {
		unlink(tmpl);
		free(tmpl);
		return pv_fail(err, PV_ERR_OUTPUT, "The file could not be written (%s).",
			       strerror(saved));
	}
	*tmp = tmpl;
	return 0;
}

/* Gives tmp the name path unless path exists. A rename, so that a watcher
 * of the folder sees a finished file arrive (IN_MOVED_TO); a link would show
 * only IN_CREATE, which is also how a file that is still being written
 * begins. Where the file system cannot rename without replacing, a link. */
static int place_new(const char *tmp, const char *path)
{
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
	if (link(tmp, path) != 0)
		return -1;
	unlink(tmp);
	return 0;
}

int pv_place_file(const char *tmp, const char *path, int replace, struct pv_err *err)
{
	int r = replace ? rename(tmp, path) : place_new(tmp, path);
	int saved = errno;
	if (r == 0)
		return 0;
	unlink(tmp);
	if (saved == EEXIST)
		return pv_fail(err, PV_ERR_CONFLICT, "%s exists already, and photovoice never "
			       "overwrites it.", path);
	return pv_fail(err, PV_ERR_OUTPUT, "The file could not be written (%s).",
		       strerror(saved));
}

/* syncfs once for each file system among paths (told apart by device);
 * -1 with errno set when one fails. */
static int sync_each_fs(const char *const *paths, size_t n)
{
	dev_t *seen = calloc(n ? n : 1, sizeof *seen);
	size_t nseen = 0;
	int rc = 0, saved = 0;
	if (!seen)
		abort();
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct stat st;
		if (lstat(paths[i], &st) != 0) {
			saved = errno;
			rc = -1;
			break;
		}
		size_t k = 0;
		while (k < nseen && seen[k] != st.st_dev)
			k++;
		if (k < nseen)
			continue;
		seen[nseen++] = st.st_dev;
		int fd = open(paths[i], O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0 || syncfs(fd) != 0) {
			saved = errno;
			rc = -1;
		}
		if (fd >= 0)
			close(fd);
	}
	free(seen);
	errno = saved;
	return rc;
}

int pv_sync_filesystems(const char *const *paths, size_t n, struct pv_err *err)
{
	if (sync_each_fs(paths, n) != 0)
		return pv_fail(err, PV_ERR_OUTPUT, "The files could not be made safe on disk "
			       "(%s).", strerror(errno));
	return 0;
}

int pv_sync_folders_of(const char *const *paths, size_t n, struct pv_err *err)
{
	char **done = calloc(n ? n : 1, sizeof *done);
	size_t ndone = 0;
	int rc = 0;
	if (!done)
		abort();
	for (size_t i = 0; i < n; i++) {
		char *dir = pv_dir_of(paths[i]);
		size_t k = 0;
		while (k < ndone && strcmp(done[k], dir) != 0)
			k++;
		if (k < ndone) {
			free(dir);
			continue;
		}
		done[ndone++] = dir;
		if (rc == 0 && pv_fsync_dir(dir) != 0)
			rc = pv_fail(err, PV_ERR_OUTPUT, "The folder %s could not be made safe on "
				     "disk (%s).", dir, strerror(errno));
	}
	for (size_t k = 0; k < ndone; k++)
		free(done[k]);
	free(done);
	return rc;
}
