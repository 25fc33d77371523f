/*
 * The archive folder: creating it, opening it with the right lock, and the
 * names of the content-addressed media store (writing to it: media.c). The
 * catalogue itself is in catalogue.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "photovoice/i18n.h"
#include "photovoice/store.h"
#include "photovoice/util.h"
#include "store_internal.h"

/* Children's data: the archive is readable by its owner only, whatever the
 * umask of the shell that runs photovoice. */
#define ARCHIVE_DIR_MODE 0700

int pv_archive_make_dir(const char *path, struct pv_err *err)
{
	if (mkdir(path, ARCHIVE_DIR_MODE) != 0 && errno != EEXIST) {
		pv_fail(err, PV_ERR_ARCHIVE, "The folder %s could not be created (%s).",
			   path, strerror(errno));
		return -1;
	}
	struct stat st;
	if (lstat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
		pv_fail(err, PV_ERR_ARCHIVE, "%s exists but is not a folder.", path);
		return -1;
	}
	if ((st.st_mode & 077) != 0)
		chmod(path, ARCHIVE_DIR_MODE);
	return 0;
}

static const char *const archive_subdirs[] = {
	"media", "tmp", "drop", "drop/.quarantine",
};

static int take_lock(struct pv_archive *a, enum pv_open_mode mode, struct pv_err *err)
{
	char *path = pv_path_join(a->dir, "lock");
	a->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	free(path);
	if (a->lock_fd < 0) {
		pv_fail(err, PV_ERR_ARCHIVE, "The archive's lock file could not be opened (%s).",
			   strerror(errno));
		return -1;
	}
	if (flock(a->lock_fd, LOCK_EX | LOCK_NB) == 0)
		return 0;
	if (mode == PV_OPEN_WRITE_NOWAIT) {
		/* a moment's turn: serve's ingest holds the lock for a batch */
		for (int waited = 0; waited < PV_LOCK_TURN_MS; waited += 50) {
			usleep(50 * 1000);
			if (flock(a->lock_fd, LOCK_EX | LOCK_NB) == 0)
				return 0;
		}
		pv_fail(err, PV_ERR_BUSY, "Another photovoice command is changing this archive "
			   "right now; try again when it has finished.");
		return -1;
	}
	fputs(_("photovoice: waiting for another photovoice command to finish with this archive...\n"),
	      stderr);
	if (flock(a->lock_fd, LOCK_EX) != 0) {
		pv_fail(err, PV_ERR_ARCHIVE, "The archive could not be locked (%s).", strerror(errno));
		return -1;
	}
	return 0;
}

static int archive_exists(const char *dir, struct pv_err *err)
{
	struct stat st;
	char *db = pv_path_join(dir, "catalogue.db");
	int missing = stat(dir, &st) != 0 || !S_ISDIR(st.st_mode) || stat(db, &st) != 0;
	free(db);
	if (missing) {
		pv_fail(err, PV_ERR_ARCHIVE, "There is no photovoice archive at %s; create one "
			   "with 'photovoice --archive %s init'.", dir, dir);
		return -1;
	}
	return 0;
}

/* The login name for the log: staff's account, never a participant's name. */
static char *who_runs_this(void)
{
	struct passwd *pw = getpwuid(geteuid());
	if (pw && pw->pw_name && *pw->pw_name)
		return pv_strdup(pw->pw_name);
	const char *user = getenv("USER");
	return pv_strdup(user && *user ? user : "unknown");
}

/* The archive folder through the real path of the folder it is in, resolved
 * once: the lock, the catalogue and every stored file then name the same
 * folder, whatever happens to links above it later, and an archive below a
 * linked folder (a home folder on another disk) works. The archive folder
 * itself must not be a link (init refuses to make one there, too). NULL with
 * a sentence when it is one. */
static char *resolve_archive_dir(const char *dir, struct pv_err *err)
{
	size_t n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	char *trimmed = pv_strndup(dir, n);
	const char *slash = strrchr(trimmed, '/');
	const char *base = slash ? slash + 1 : trimmed;
	char *resolved = NULL;
	if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
		resolved = realpath(trimmed, NULL);
	} else {
		char *parent = pv_dir_of(trimmed), *real_parent = realpath(parent, NULL);
		if (real_parent)
			resolved = pv_path_join(real_parent, base);
		free(parent);
		free(real_parent);
	}
	if (!resolved)   /* not there: said later, in the words of the caller's path */
		return trimmed;
	free(trimmed);
	struct stat st;
	if (lstat(resolved, &st) == 0 && S_ISLNK(st.st_mode)) {
		pv_fail(err, PV_ERR_ARCHIVE, "The archive folder %s is a link; photovoice opens an "
			   "archive only where it really is, not through a link to it.", dir);
		free(resolved);
		return NULL;
	}
	return resolved;
}

/* create: init may make the catalogue; every other command needs one. */
static struct pv_archive *open_archive(const char *dir, enum pv_open_mode mode,
				       int create, struct pv_err *err)
{
	umask(077);
	char *real_dir = resolve_archive_dir(dir, err);
	if (!real_dir)
		return NULL;
	struct pv_archive *a = calloc(1, sizeof *a);
	if (!a)
		abort();
	a->dir = real_dir;
	a->drop_dir = pv_path_join(real_dir, "drop");
	a->tmp_dir = pv_path_join(real_dir, "tmp");
	a->media_dir = pv_path_join(real_dir, "media");
	a->lock_fd = -1;
	a->writable = mode != PV_OPEN_READ && mode != PV_OPEN_READ_ONE_THREAD;
	a->actor = who_runs_this();
	if ((!create && archive_exists(dir, err) != 0) ||
	    (a->writable && take_lock(a, mode, err) != 0) ||
	    pv_catalogue_open(a, create, mode == PV_OPEN_READ_ONE_THREAD, err) != 0) {
		pv_archive_close(a);
		return NULL;
	}
	return a;
}

struct pv_archive *pv_archive_open(const char *dir, enum pv_open_mode mode,
				   struct pv_err *err)
{
	return open_archive(dir, mode, 0, err);
}

void pv_archive_close(struct pv_archive *a)
{
	if (!a)
		return;
	pv_catalogue_close(a);
	if (a->lock_fd >= 0)
		close(a->lock_fd);
	free(a->dir);
	free(a->drop_dir);
	free(a->tmp_dir);
	free(a->media_dir);
	free(a->actor);
	free(a);
}

const char *pv_archive_drop_dir(const struct pv_archive *a) { return a->drop_dir; }

void pv_archive_set_actor(struct pv_archive *a, const char *actor)
{
	if (!a || !actor || !*actor)
		return;
	free(a->actor);
	a->actor = pv_strdup(actor);
}

/* media/ab/abcdef...jpg, and media/ab/abcdef....<kind>.jpg for a derived
 * file: a two-hex-digit fan-out keeps folders small. */
char *pv_archive_file_path(const struct pv_archive *a, const char *sha256,
			   const char *kind)
{
	size_t n = strlen(a->media_dir) + 4 + 64 + (kind ? strlen(kind) + 1 : 0) + 5 + 1;
	char *p = malloc(n);
	if (!p)
		abort();
	snprintf(p, n, "%s/%.2s/%s%s%s.jpg", a->media_dir, sha256, sha256,
		 kind ? "." : "", kind ? kind : "");
	return p;
}

char *pv_archive_media_path(const struct pv_archive *a, const char *sha256)
{
	return pv_archive_file_path(a, sha256, NULL);
}

int pv_archive_init(const char *dir, struct pv_err *err)
{
	umask(077);
	if (pv_mkdir_p(dir, ARCHIVE_DIR_MODE) != 0) {
		pv_fail(err, PV_ERR_ARCHIVE, "The archive folder %s could not be created (%s).",
			   dir, strerror(errno));
		return -1;
	}
	if (pv_archive_make_dir(dir, err) != 0)
		return -1;
	for (size_t i = 0; i < sizeof archive_subdirs / sizeof *archive_subdirs; i++) {
		char *p = pv_path_join(dir, archive_subdirs[i]);
		int r = pv_archive_make_dir(p, err);
		free(p);
		if (r != 0)
			return -1;
	}
	struct pv_archive *a = open_archive(dir, PV_OPEN_WRITE, 1, err);
	if (!a)
		return -1;
	pv_archive_close(a);
	return 0;
}

