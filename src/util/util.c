/* Small shared pieces: hashing, whole-file I/O, atomic writes, UTF-8, errors. */
#include "photovoice/i18n.h"
#include "photovoice/util.h"

#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void *must(void *p)
{
	if (!p) {
		fputs(_("photovoice: out of memory.\n"), stderr);
		abort();
	}
	return p;
}

char *pv_strdup(const char *s)
{
	return s ? must(strdup(s)) : NULL;
}

char *pv_strndup(const char *s, size_t n)
{
	return s ? must(strndup(s, n)) : NULL;
}

char *pv_path_join(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *p = must(malloc(la + lb + 2));
	memcpy(p, a, la);
	size_t o = la;
	if (la && a[la - 1] != '/')
		p[o++] = '/';
	memcpy(p + o, b, lb + 1);
	return p;
}

char *pv_trim(char *s)
{
	if (!s)
		return s;
	char *start = s;
	while (*start == ' ' || *start == '\t' || *start == '\r' || *start == '\n')
		start++;
	size_t n = strlen(start);
	while (n && (start[n - 1] == ' ' || start[n - 1] == '\t' ||
		     start[n - 1] == '\r' || start[n - 1] == '\n'))
		n--;
	memmove(s, start, n);
	s[n] = '\0';
	return s;
}

static int read_all(int fd, uint8_t *buf, size_t want)
{
	size_t got = 0;
	while (got < want) {
		ssize_t r = read(fd, buf + got, want - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		got += (size_t)r;
	}
	return 0;
}

/* Why fd (open on path) is not a file pv_read_file reads: one sentence
 * naming it; 0 when it is one. */
static int refuse_kind(int fd, const char *path, size_t max, struct stat *st,
		       struct pv_err *err)
{
	if (fstat(fd, st) != 0)
		return pv_fail(err, PV_ERR_INPUT, "%s could not be read (%s).", path, strerror(errno));
	if (S_ISDIR(st->st_mode))
		return pv_fail(err, PV_ERR_INPUT, "%s is a folder, not a file.", path);
	if (!S_ISREG(st->st_mode))
		return pv_fail(err, PV_ERR_INPUT, "%s is not a regular file (it is a device, a pipe "
			       "or a socket), so photovoice does not read it.", path);
	if ((uint64_t)st->st_size > max)
		return pv_fail(err, PV_ERR_INPUT, "%s is larger than the %zu MB photovoice accepts.",
			       path, max / (1024 * 1024));
	return 0;
}

static int refuse_open(const char *path, int why, struct pv_err *err)
{
	if (why == ELOOP)
		return pv_fail(err, PV_ERR_INPUT, "%s is a symbolic link, which photovoice never follows.",
			       path);
	if (why == ENOENT)
		return pv_fail(err, PV_ERR_NOT_FOUND, "%s does not exist.", path);
	if (why == EACCES || why == EPERM)
		return pv_fail(err, PV_ERR_INPUT, "%s may not be read by this user (%s).", path,
			       strerror(why));
	return pv_fail(err, PV_ERR_INPUT, "%s could not be opened (%s).", path, strerror(why));
}

int pv_read_file(const char *path, size_t max, uint8_t **data, size_t *len,
		 struct pv_err *err)
{
	*data = NULL;
	*len = 0;
	/* O_NONBLOCK: a FIFO put where a file was (or named on the command
	 * line) would otherwise block the open forever; it is refused below */
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return refuse_open(path, errno, err);
	struct stat st;
	if (refuse_kind(fd, path, max, &st, err) != 0) {
		close(fd);
		return -1;
	}
	size_t n = (size_t)st.st_size;
	uint8_t *buf = must(malloc(n + 1));
	if (read_all(fd, buf, n) != 0) {
		pv_fail(err, PV_ERR_INPUT, "%s could not be read completely; it may have changed "
			"while it was read.", path);
		free(buf);
		close(fd);
		return -1;
	}
	close(fd);
	buf[n] = 0;   /* convenient for text; not counted in len */
	*data = buf;
	*len = n;
	return 0;
}

int pv_fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int r = fsync(fd);
	close(fd);
	return r;
}

char *pv_dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return pv_strdup(".");
	if (slash == path)
		return pv_strdup("/");
	return pv_strndup(path, (size_t)(slash - path));
}

int pv_write_all(int fd, const void *data, size_t len)
{
	const uint8_t *p = data;
	while (len) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

/* Puts the finished temporary file in place: rename replaces, link never
 * does (it fails with EEXIST when the name is taken). */
static int put_in_place(const char *tmp, const char *path, int replace)
{
	if (replace)
		return rename(tmp, path);
	if (link(tmp, path) != 0)
		return -1;
	unlink(tmp);
	return 0;
}

static int write_via_temp(const char *path, const char *tmpdir, const void *data,
			  size_t len, int replace, struct pv_err *err)
{
	char *dir = pv_dir_of(path);
	char *tmpl = pv_path_join(tmpdir ? tmpdir : dir, ".pv-write.XXXXXX");
	int fd = mkstemp(tmpl);
	if (fd < 0) {
		pv_fail(err, PV_ERR_OUTPUT, "A temporary file could not be created (%s).", strerror(errno));
		free(tmpl);
		free(dir);
		return -1;
	}
	int ok = fchmod(fd, 0600) == 0 && pv_write_all(fd, data, len) == 0 &&
		 fsync(fd) == 0;
	int saved = errno;
	if (close(fd) != 0 && ok) {
		ok = 0;
		saved = errno;
	}
	if (ok && put_in_place(tmpl, path, replace) != 0) {
		ok = 0;
		saved = errno;
	}
	if (!ok) {
		unlink(tmpl);
		if (saved == EEXIST)
			pv_fail(err, PV_ERR_CONFLICT, "%s exists already, and photovoice never "
				   "overwrites it.", path);
		else
			pv_fail(err, PV_ERR_OUTPUT, "The file could not be written (%s).", strerror(saved));
	} else {
		pv_fsync_dir(dir);
	}
	free(tmpl);
	free(dir);
	return ok ? 0 : -1;
}

int pv_write_atomic(const char *path, const char *tmpdir, const void *data,
		    size_t len, struct pv_err *err)
{
	return write_via_temp(path, tmpdir, data, len, 1, err);
}

int pv_write_new(const char *path, const char *tmpdir, const void *data,
		 size_t len, struct pv_err *err)
{
	return write_via_temp(path, tmpdir, data, len, 0, err);
}

int pv_mkdir_p(const char *path, int mode)
{
	char *p = pv_strdup(path);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, (mode_t)mode) != 0 && errno != EEXIST) {
			free(p);
			return -1;
		}
		*s = '/';
	}
	int r = mkdir(p, (mode_t)mode);
	free(p);
	return (r == 0 || errno == EEXIST) ? 0 : -1;
}

int pv_utf8_valid(const char *s, size_t len)
{
	return g_utf8_validate(s, (gssize)len, NULL) ? 1 : 0;
}

char *pv_utf8_nfc(const char *s, size_t len)
{
	if (!pv_utf8_valid(s, len))
		return NULL;
	gchar *n = g_utf8_normalize(s, (gssize)len, G_NORMALIZE_NFC);
	if (!n)
		return NULL;
	char *copy = pv_strdup(n);   /* hand back malloc memory, not GLib's */
	g_free(n);
	return copy;
}

char *pv_utf8_casefold(const char *s)
{
	if (!s || !pv_utf8_valid(s, strlen(s)))
		return NULL;
	gchar *down = g_utf8_strdown(s, -1);
	char *copy = pv_strdup(down);
	g_free(down);
	return copy;
}

void pv_now_iso(char out[21])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void pv_today_iso(char out[11])
{
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

static void walk(const char *dir, int depth_left,
		 void (*fn)(const char *, const struct stat *, void *), void *ctx)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		char *p = pv_path_join(dir, de->d_name);
		struct stat st;
		if (lstat(p, &st) == 0) {
			if (S_ISDIR(st.st_mode) && depth_left > 0)
				walk(p, depth_left - 1, fn, ctx);
			else if (S_ISREG(st.st_mode))
				fn(p, &st, ctx);
		}
		free(p);
	}
	closedir(d);
}

int pv_walk_files(const char *dir, int max_depth,
		  void (*fn)(const char *path, const struct stat *st, void *ctx),
		  void *ctx)
{
	struct stat st;
	if (lstat(dir, &st) != 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return -1;
	walk(dir, max_depth, fn, ctx);
	return 0;
}
