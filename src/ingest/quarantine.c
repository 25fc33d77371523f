/*
 * Quarantine: a file that cannot be taken moves to DROP/.quarantine/, keeping
 * its subfolder, with NAME.reason.txt beside it saying why in plain words.
 * Nothing is ever deleted here: a name already taken gets a number added.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "photovoice/ingest.h"
#include "photovoice/util.h"

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

static int write_reason(const char *target, const char *reason)
{
	char *reason_path = malloc(strlen(target) + 12);
	if (!reason_path)
		abort();
	sprintf(reason_path, "%s.reason.txt", target);
	FILE *f = fopen(reason_path, "w");
	free(reason_path);
	if (!f)
		return -1;
	fprintf(f, "%s\n", reason);
	return fclose(f);
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

int pv_quarantine(const char *drop_dir, const char *path, const char *reason,
		  char *err, size_t errlen)
{
	char *qdir = pv_path_join(drop_dir, ".quarantine");
	char *target = free_target(qdir, relative_to(drop_dir, path));
	free(qdir);
	int r = -1;
	if (make_parent(target) != 0 || rename(path, target) != 0)
		pv_set_err(err, errlen, "It could not be moved to the quarantine folder (%s), "
			   "so it was left where it is.", strerror(errno));
	else if (write_reason(target, reason) != 0)
		pv_set_err(err, errlen, "It was moved to the quarantine folder, but its "
			   "reason file could not be written.");
	else
		r = 0;
	free(target);
	return r;
}

/* ---- finding what a quarantined file belongs to ------------------------- */

#define REASON_SUFFIX ".reason.txt"

/* 1 when the reason text names entry id in PV_QUARANTINE_SAME_ENTRY's words
 * (entry 1 must not match "entry 12"). */
static int reason_names_entry(const char *text, int64_t id)
{
	char want[96];
	snprintf(want, sizeof want, "%s%" PRId64, PV_QUARANTINE_SAME_ENTRY, id);
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

static void check_reason_file(const char *reason_path, int64_t id, struct found *f)
{
	uint8_t *text;
	size_t len;
	if (pv_read_file(reason_path, 1024 * 1024, &text, &len, NULL, 0) != 0)
		return;
	char *s = pv_strndup((const char *)text, len);
	free(text);
	if (reason_names_entry(s, id)) {
		char **grown = realloc(f->paths, (f->n + 1) * sizeof *grown);
		if (!grown)
			abort();
		f->paths = grown;
		f->paths[f->n++] = pv_strndup(reason_path,
					      strlen(reason_path) - strlen(REASON_SUFFIX));
	}
	free(s);
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a > b && strcmp(s + a - b, suffix) == 0;
}

static int walk_quarantine(const char *dir, int64_t id, struct found *f, int depth)
{
	DIR *d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : -1;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		char *p = pv_path_join(dir, de->d_name);
		struct stat st;
		if (lstat(p, &st) == 0) {
			if (S_ISDIR(st.st_mode) && depth < 16)
				walk_quarantine(p, id, f, depth + 1);
			else if (S_ISREG(st.st_mode) && ends_with(de->d_name, REASON_SUFFIX))
				check_reason_file(p, id, f);
		}
		free(p);
	}
	closedir(d);
	return 0;
}

int pv_quarantine_find_entry(const char *drop_dir, int64_t id, char ***paths,
			     size_t *n)
{
	char *qdir = pv_path_join(drop_dir, ".quarantine");
	struct found f = { NULL, 0 };
	int r = walk_quarantine(qdir, id, &f, 0);
	free(qdir);
	*paths = f.paths;
	*n = f.n;
	return r;
}
