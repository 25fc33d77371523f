/*
 * The light half's way to the other programs (see main.c): a command whose
 * row is FULL() is run by photovoice-full, one whose row is FILES() by
 * photovoice-files, in the same process (exec), with the same arguments,
 * environment, standard streams and exit status. Each is found beside the
 * running program (the build tree: build/rel/photovoice-full), or in
 * ../lib/photovoice/ from it (installed: PREFIX/bin/photovoice and
 * PREFIX/lib/photovoice/photovoice-full), never on $PATH. Only the light
 * halves link this file.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

/* The folder of the running program, symbolic links resolved; 0 when found. */
static int own_dir(char *dir, size_t size, const char *argv0)
{
	ssize_t n = readlink("/proc/self/exe", dir, size - 1);
	if (n > 0 && (size_t)n < size - 1) {
		dir[n] = '\0';
	} else {
		/* no /proc: argv[0] when it names a path */
		char *real = strchr(argv0, '/') ? realpath(argv0, NULL) : NULL;
		if (!real || strlen(real) >= size) {
			free(real);
			return -1;
		}
		strcpy(dir, real);
		free(real);
	}
	*strrchr(dir, '/') = '\0';
	return 0;
}

/* 1 when path is the running program itself (a light half installed under
 * another program's name would otherwise run itself for ever). */
static int is_self(const char *path)
{
	struct stat a, b;
	return stat(path, &a) == 0 && stat("/proc/self/exe", &b) == 0 &&
	       a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

int pv_cli_run_part(const char *program, const char *cmd, char **argv)
{
	char dir[PATH_MAX], beside[PATH_MAX + 32], installed[PATH_MAX + 32];
	if (own_dir(dir, sizeof dir, argv[0]) != 0) {
		pv_cli_error("photovoice cannot tell where it is installed, so it cannot "
		             "find the part that runs '%s'.", cmd);
		return PV_EXIT_ARCHIVE;
	}
	int fits[] = {
		snprintf(beside, sizeof beside, "%s/%s", dir, program) < (int)sizeof beside,
		snprintf(installed, sizeof installed, "%s/../lib/photovoice/%s", dir, program) <
			(int)sizeof installed,
	};
	const char *const paths[] = { beside, installed };
	const char *tried = NULL;
	int why = 0;
	for (size_t i = 0; i < sizeof paths / sizeof *paths && !tried; i++) {
		if (!fits[i] || access(paths[i], F_OK) != 0 || is_self(paths[i]))
			continue;
		execv(paths[i], argv);
		tried = paths[i];
		why = errno;
	}
	if (!tried)
		pv_cli_error("The part of photovoice that runs '%s' is missing: "
		             "%s should be in %s or in %s/../lib/photovoice. "
		             "Install photovoice again.", cmd, program, dir, dir);
	else
		pv_cli_error("The part of photovoice that runs '%s' (%s) could not be "
		             "started: %s.", cmd, tried, strerror(why));
	return PV_EXIT_ARCHIVE;
}
