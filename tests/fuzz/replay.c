/*
 * tests/fuzz/replay.c - runs a fuzz target over files without libFuzzer.
 *
 *   test_fuzz_NAME             replays tests/fuzz/corpus/NAME/ and
 *                              tests/fuzz/regressions/NAME/ (from the
 *                              repository root, or $PV_TEST_ROOT), TAP output:
 *                              what `make check` runs, plain or under SAN=1
 *   test_fuzz_NAME FILE|DIR... replays those (also a driver for AFL++ in
 *                              file mode: `afl-fuzz ... -- test_fuzz_NAME @@`)
 *
 * A crash or a failed property aborts the program; the line naming the file
 * being replayed is already on stderr then, so the log says which one.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

#ifndef PV_FUZZ_TARGET
#error "PV_FUZZ_TARGET names the target (set by the Makefile)"
#endif

/* Inputs larger than this are not replayed: libFuzzer never makes them
 * (see -max_len in tests/fuzz/fuzz.mk), and a corpus file that large is a
 * mistake worth a failure. */
#define REPLAY_MAX_BYTES ((size_t)4 * 1024 * 1024)

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "cannot open %s: %s\n", path, strerror(errno));
		return -1;
	}
	uint8_t *buf = malloc(REPLAY_MAX_BYTES + 1);
	size_t n = buf ? fread(buf, 1, REPLAY_MAX_BYTES + 1, f) : 0;
	int bad = !buf || ferror(f) || n > REPLAY_MAX_BYTES;
	fclose(f);
	if (bad) {
		fprintf(stderr, "cannot read %s (or larger than %zu bytes)\n",
			path, REPLAY_MAX_BYTES);
		free(buf);
		return -1;
	}
	fprintf(stderr, "replay %s\n", path);
	/* An exact-size copy, so that ASan sees a read one byte past the end. */
	uint8_t *exact = malloc(n ? n : 1);
	if (!exact) {
		free(buf);
		return -1;
	}
	memcpy(exact, buf, n);
	free(buf);
	LLVMFuzzerTestOneInput(exact, n);
	free(exact);
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Replays every regular file in dir (not recursive, in name order); counts
 * them in *count. A missing folder counts as empty. */
static int replay_dir(const char *dir, unsigned *count)
{
	DIR *d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : -1;
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			char **grown = realloc(names, cap * sizeof *names);
			if (!grown)
				abort();
			names = grown;
		}
		size_t len = strlen(dir) + strlen(e->d_name) + 2;
		names[n] = malloc(len);
		if (!names[n])
			abort();
		snprintf(names[n++], len, "%s/%s", dir, e->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, by_name);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode)) {
			if (replay_file(names[i]) < 0)
				rc = -1;
			else
				(*count)++;
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

static int replay_path(const char *path, unsigned *count)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		fprintf(stderr, "cannot find %s\n", path);
		return -1;
	}
	if (S_ISDIR(st.st_mode))
		return replay_dir(path, count);
	if (replay_file(path) < 0)
		return -1;
	(*count)++;
	return 0;
}

/* The default run: the target's corpus and regressions, as TAP. */
static int replay_suite(void)
{
	const char *root = getenv("PV_TEST_ROOT");
	const char *kinds[] = { "corpus", "regressions" };
	int failed = 0;
	for (int i = 0; i < 2; i++) {
		char dir[4096];
		snprintf(dir, sizeof dir, "%s/tests/fuzz/%s/%s",
			 root ? root : ".", kinds[i], PV_FUZZ_TARGET);
		unsigned count = 0;
		int rc = replay_dir(dir, &count);
		/* the corpus must exist and hold seeds; regressions may be none */
		int ok = rc == 0 && (i == 1 || count > 0);
		printf("%sok %d - %s: %u %s files replayed without a finding\n",
		       ok ? "" : "not ", i + 1, PV_FUZZ_TARGET, count, kinds[i]);
		failed += !ok;
	}
	printf("1..2\n");
	return failed ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return replay_suite();
	unsigned count = 0;
	int rc = 0;
	for (int i = 1; i < argc; i++)
		if (replay_path(argv[i], &count) < 0)
			rc = 1;
	fprintf(stderr, "%s: %u files replayed\n", PV_FUZZ_TARGET, count);
	return rc;
}
