/*
 * Quarantine: a file that cannot be taken moves to DROP/.quarantine/, keeping
 * its subfolder, with NAME.reason.txt beside it saying why in plain words.
 * Nothing is ever deleted here: a name already taken gets a number added.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "photovoice/i18n.h"
#include "photovoice/ingest.h"
#include "photovoice/util.h"

/* What reason files said before the keys of PV_QUARANTINE_KEY_*: the same
 * English words, read back (archives keep their quarantine for years). */
#define OLD_SAME_ENTRY "Its photo is already in the archive as entry "
#define OLD_REASON_FOR "This reason is for the file named: "

static int path_exists(const char *p)
{
	struct stat st;
	return lstat(p, &st) == 0;
}

/* DROP/.quarantine/REL, or REL.1, REL.2, ... when taken. */
static char *free_target(const char *qdir, const char *rel)
{
	char *base = pv_path_join(qdir, rel);
	if (!path_exists(base))
		return base;
	size_t n = strlen(base) + 16;
	char *alt = malloc(n);
	if (!alt)
		abort();
	for (unsigned i = 1;; i++) {
		snprintf(alt, n, "%s.%u", base, i);
		if (!path_exists(alt))
			break;
	}
	free(base);
	return alt;
}

static const char *relative_to(const char *drop_dir, const char *path)
{
	size_t n = strlen(drop_dir);
	if (strncmp(path, drop_dir, n) == 0 && path[n] == '/')
		return path + n + 1;
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

#define REASON_SUFFIX ".reason.txt"
/* The longest name kept of a file whose own name leaves no room for the
 * suffix: its reason file is then PREFIX~HASH.reason.txt. */
#define SHORT_NAME_BYTES 180

/* The sentences in the process's language (a server's thread may speak its
 * request's), then the keys photovoice reads back, never translated. */
static void put_reason(FILE *f, const char *about, const char *reason, int64_t same_entry)
{
	locale_t saved = pv_i18n_process_begin();
	if (about) {
		/* TRANSLATORS: the first line of a reason file whose own name had to
		 * be shortened; %s is the name of the file set aside */
		fprintf(f, _("This reason is for the file named: %s"), about);
		fputs("\n\n", f);
	}
	pv_i18n_process_end(saved);
	fprintf(f, "%s\n", reason);
	if (about || same_entry > 0)
		fputs("\n", f);
	if (about)
		fprintf(f, "%s%s\n", PV_QUARANTINE_KEY_FILE, about);
	if (same_entry > 0)
		fprintf(f, "%s%" PRId64 "\n", PV_QUARANTINE_KEY_ENTRY, same_entry);
}

static int write_text(const char *reason_path, const char *about, const char *reason,
		      int64_t same_entry)
{
	int fd = open(reason_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	FILE *f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(reason_path);
		return -1;
	}
	put_reason(f, about, reason, same_entry);
	if (fclose(f) != 0) {
		unlink(reason_path);
		return -1;
	}
	return 0;
}

/* NAME cut to at most SHORT_NAME_BYTES on a UTF-8 boundary, then ~ and the
 * start of the whole name's hash, then the suffix (numbered when taken). */
static char *short_reason_path(const char *target, const char *name, unsigned attempt)
{
	size_t keep = strlen(name) < SHORT_NAME_BYTES ? strlen(name) : SHORT_NAME_BYTES;
	while (keep > 0 && ((unsigned char)name[keep] & 0xC0) == 0x80)
		keep--;
	char hash[PV_SHA256_HEX];
	pv_sha256_hex(name, strlen(name), hash);
	size_t dir = (size_t)(name - target);
	size_t n = dir + keep + 64;
	char *p = malloc(n);
	if (!p)
		abort();
	if (attempt)
		snprintf(p, n, "%.*s%.*s~%.8s.%u%s", (int)dir, target, (int)keep, name, hash,
			 attempt, REASON_SUFFIX);
	else
		snprintf(p, n, "%.*s%.*s~%.8s%s", (int)dir, target, (int)keep, name, hash,
			 REASON_SUFFIX);
	return p;
}

/* Writes TARGET.reason.txt; when the name leaves no room for the suffix, a
 * shortened reason file that names the file in its first line (*short_path
 * set, malloc'd). -1 when no reason file could be written at all. */
static int write_reason(const char *target, const char *reason, int64_t same_entry,
			char **short_path)
{
	*short_path = NULL;
	const char *slash = strrchr(target, '/');
	const char *name = slash ? slash + 1 : target;
	if (strlen(name) + strlen(REASON_SUFFIX) <= NAME_MAX) {
		char *reason_path = malloc(strlen(target) + sizeof REASON_SUFFIX);
		if (!reason_path)
			abort();
		sprintf(reason_path, "%s%s", target, REASON_SUFFIX);
		int r = write_text(reason_path, NULL, reason, same_entry);
		int why = errno;
		free(reason_path);
		if (r == 0 || why != ENAMETOOLONG)
			return r;
	}
	for (unsigned attempt = 0; attempt < 100; attempt++) {
		char *p = short_reason_path(target, name, attempt);
		if (write_text(p, name, reason, same_entry) == 0) {
			*short_path = p;
			return 0;
		}
		int why = errno;
		free(p);
		if (why != EEXIST)
			return -1;
	}
	return -1;
}

static int make_parent(const char *target)
{
	char *parent = pv_strdup(target);
	char *slash = strrchr(parent, '/');
	if (slash)
		*slash = '\0';
	int r = pv_mkdir_p(parent, 0700);
	free(parent);
	return r;
}

static int quarantine_move(const char *drop_dir, const char *path, const char *rel,
			   const char *reason, int64_t same_entry, struct pv_err *err);

int pv_quarantine(const char *drop_dir, const char *path, const char *reason,
		  int64_t same_entry, struct pv_err *err)
{
	return quarantine_move(drop_dir, path, relative_to(drop_dir, path), reason, same_entry,
			       err);
}

int pv_quarantine_as(const char *drop_dir, const char *path, const char *rel,
		     const char *reason, struct pv_err *err)
{
	return quarantine_move(drop_dir, path, rel, reason, 0, err);
}

static int quarantine_move(const char *drop_dir, const char *path, const char *rel,
			   const char *reason, int64_t same_entry, struct pv_err *err)
{
	char *qdir = pv_path_join(drop_dir, ".quarantine");
	char *target = free_target(qdir, rel);
	char *short_path = NULL;
	int r = -1;
	if (make_parent(target) != 0 || rename(path, target) != 0) {
		pv_fail(err, PV_ERR_ARCHIVE, "It could not be moved to the quarantine folder (%s), "
			   "so it was left where it is.", strerror(errno));
	} else if (write_reason(target, reason, same_entry, &short_path) != 0) {
		int why = errno;
		/* no reason anyone could find: back where it was, and said so */
		if (renameat2(AT_FDCWD, target, AT_FDCWD, path, RENAME_NOREPLACE) == 0) {
			pv_fail(err, PV_ERR_ARCHIVE, "Its reason could not be written in the quarantine "
				   "folder (%s), so it was left where it is.", strerror(why));
		} else {
			pv_fail(err, PV_ERR_ARCHIVE, "It was moved to the quarantine folder as %s, but no "
				   "reason file could be written beside it (%s).",
				   relative_to(drop_dir, target), strerror(why));
			r = 1;
		}
	} else if (short_path) {
		pv_fail(err, PV_ERR_ARCHIVE, "Its name is too long to add %s, so its reason was "
			   "written to the shortened name %s, whose first line names the file.",
			   REASON_SUFFIX, relative_to(drop_dir, short_path));
		r = 1;
	} else {
		r = 0;
	}
	free(short_path);
	free(target);
	free(qdir);
	return r;
}

static int write_new_file(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	/* not synced here: the caller syncs all it wrote at once (split_zip) */
	if (pv_write_all(fd, data, len) != 0) {
		close(fd);
		unlink(path);
		return -1;
	}
	return close(fd);
}

int pv_quarantine_bytes(const char *drop_dir, const char *rel, const void *data,
			size_t len, const char *reason, int64_t same_entry, char **written,
			struct pv_err *err)
{
	char *qdir = pv_path_join(drop_dir, ".quarantine");
	char *target = free_target(qdir, rel);
	char *short_path = NULL;
	int r = -1;
	if (make_parent(target) != 0 || write_new_file(target, data, len) != 0) {
		pv_fail(err, PV_ERR_ARCHIVE, "It could not be written in the quarantine folder (%s).",
			   strerror(errno));
	} else if (write_reason(target, reason, same_entry, &short_path) != 0) {
		int why = errno;
		unlink(target);
		pv_fail(err, PV_ERR_ARCHIVE, "Its reason could not be written in the quarantine "
			   "folder (%s).", strerror(why));
	} else {
		r = 0;
		if (written)
			*written = pv_strdup(target);
	}
	free(short_path);
	free(target);
	free(qdir);
	return r;
}

/* The reason file of a quarantined file, in either form write_reason uses. */
void pv_quarantine_remove(const char *path)
{
	unlink(path);
	char *reason_path = malloc(strlen(path) + sizeof REASON_SUFFIX);
	if (!reason_path)
		abort();
	sprintf(reason_path, "%s%s", path, REASON_SUFFIX);
	unlink(reason_path);
	free(reason_path);
	const char *slash = strrchr(path, '/');
	const char *name = slash ? slash + 1 : path;
	if (strlen(name) + strlen(REASON_SUFFIX) <= NAME_MAX)
		return;
	for (unsigned attempt = 0; attempt < 100; attempt++) {
		char *p = short_reason_path(path, name, attempt);
		int gone = unlink(p) == 0;
		free(p);
		if (!gone && errno == ENOENT && attempt > 0)
			break;
	}
}

/* ---- finding what a quarantined file belongs to ------------------------- */

/* The value of key in the keys at the end of a reason file (after its last
 * empty line), malloc'd, or NULL. */
static char *reason_key(const char *text, const char *key)
{
	const char *block = text;
	for (const char *p = strstr(text, "\n\n"); p; p = strstr(p + 1, "\n\n"))
		block = p + 2;
	size_t n = strlen(key);
	for (const char *line = block; *line; ) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		if (len > n && strncmp(line, key, n) == 0)
			return pv_strndup(line + n, len - n);
		if (!end)
			break;
		line = end + 1;
	}
	return NULL;
}

/* 1 when the reason text names entry id: its key, or in an older reason
 * file OLD_SAME_ENTRY's words (entry 1 must not match "entry 12"). */
static int reason_names_entry(const char *text, int64_t id)
{
	char want[96];
	snprintf(want, sizeof want, "%" PRId64, id);
	char *key = reason_key(text, PV_QUARANTINE_KEY_ENTRY);
	if (key) {
		int same = strcmp(key, want) == 0;
		free(key);
		return same;
	}
	snprintf(want, sizeof want, "%s%" PRId64, OLD_SAME_ENTRY, id);
	size_t n = strlen(want);
	for (const char *p = strstr(text, want); p; p = strstr(p + 1, want))
		if (p[n] < '0' || p[n] > '9')
			return 1;
	return 0;
}

struct found {
	char **paths;
	size_t n;
};

/* The name a shortened reason file gives of its file (its key, or the
 * first line of an older one), malloc'd, or NULL. */
static char *reason_about(const char *text)
{
	char *name = reason_key(text, PV_QUARANTINE_KEY_FILE);
	size_t n = strlen(OLD_REASON_FOR);
	if (!name && strncmp(text, OLD_REASON_FOR, n) == 0) {
		const char *start = text + n, *end = strchr(start, '\n');
		name = pv_strndup(start, end ? (size_t)(end - start) : strlen(start));
	}
	/* a name beside the reason file, never a path elsewhere (a file in the
	 * quarantine that only looks like a reason file must not steer forget) */
	if (name && (!*name || strchr(name, '/') || strcmp(name, ".") == 0 ||
		     strcmp(name, "..") == 0)) {
		free(name);
		name = NULL;
	}
	return name;
}

/* The file a reason file is about: beside it under the reason file's name
 * without the suffix, or, for a shortened one, the one it names. */
static char *reason_subject(const char *reason_path, const char *text)
{
	char *own = pv_strndup(reason_path, strlen(reason_path) - strlen(REASON_SUFFIX));
	struct stat st;
	char *subject;
	if (lstat(own, &st) == 0 || !(subject = reason_about(text)))
		return own;
	free(own);
	char *dir = pv_strndup(reason_path, (size_t)(strrchr(reason_path, '/') - reason_path));
	char *path = pv_path_join(dir, subject);
	free(dir);
	free(subject);
	return path;
}

static void check_reason_file(const char *reason_path, int64_t id, struct found *f)
{
	uint8_t *text;
	size_t len;
	if (pv_read_file(reason_path, 1024 * 1024, &text, &len, NULL) != 0)
		return;
	char *s = pv_strndup((const char *)text, len);
	free(text);
	if (reason_names_entry(s, id)) {
		char **grown = realloc(f->paths, (f->n + 1) * sizeof *grown);
		if (!grown)
			abort();
		f->paths = grown;
		f->paths[f->n++] = reason_subject(reason_path, s);
	}
	free(s);
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a > b && strcmp(s + a - b, suffix) == 0;
}

struct reason_walk {
	int64_t id;
	struct found *found;
};

static void check_if_reason(const char *path, const struct stat *st, void *ctx)
{
	struct reason_walk *w = ctx;
	(void)st;
	if (ends_with(path, REASON_SUFFIX))
		check_reason_file(path, w->id, w->found);
}

int pv_quarantine_find_entry(const char *drop_dir, int64_t id, char ***paths,
			     size_t *n)
{
	char *qdir = pv_path_join(drop_dir, ".quarantine");
	struct found f = { NULL, 0 };
	struct reason_walk w = { id, &f };
	int r = pv_walk_files(qdir, 16, check_if_reason, &w);
	free(qdir);
	*paths = f.paths;
	*n = f.n;
	return r;
}
