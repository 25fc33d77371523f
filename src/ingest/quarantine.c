/*
 * Quarantine: a file that cannot be taken moves to DROP/.quarantine/, keeping
 * its subfolder, with NAME.reason.txt beside it saying why in plain words.
 * Nothing is ever deleted here: a name already taken gets a number added.
 */
#include <errno.h>
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
