/* Shared by the cmocka unit tests: includes in the order cmocka needs, and
 * small helpers for temporary folders and repository paths. */
#ifndef PV_TESTUTIL_H
#define PV_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <turbojpeg.h>

#include "photovoice/store.h"
#include "photovoice/util.h"

/* A fresh temporary folder (malloc'd path); removed by pv_test_rmtree. */
static inline char *pv_test_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char tmpl[512];
	snprintf(tmpl, sizeof tmpl, "%s/pv-unit.XXXXXX", base ? base : "/tmp");
	char *d = mkdtemp(tmpl);
	return d ? strdup(d) : NULL;
}

static inline void pv_test_rmtree(char *dir)
{
	if (!dir)
		return;
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	free(dir);
}

/* The fixture of the catalogue tests: an archive made in a fresh temporary
 * folder (tmp/archive) and opened for writing. */
struct pv_test_archive {
	char *tmp;
	char *dir;
	struct pv_archive *a;
};

static inline int pv_test_archive_setup(void **state)
{
	struct pv_test_archive *f = calloc(1, sizeof *f);
	f->tmp = pv_test_tmpdir();
	f->dir = pv_path_join(f->tmp, "archive");
	*state = f;
	struct pv_err err = {0};
	if (pv_archive_init(f->dir, &err) != 0)
		return -1;
	f->a = pv_archive_open(f->dir, PV_OPEN_WRITE, &err);
	return f->a ? 0 : -1;
}

static inline int pv_test_archive_teardown(void **state)
{
	struct pv_test_archive *f = *state;
	pv_archive_close(f->a);
	pv_test_rmtree(f->tmp);
	free(f->dir);
	free(f);
	return 0;
}

/* A test run with that fixture. */
#define PV_ARCHIVE_TEST(fn) \
	cmocka_unit_test_setup_teardown(fn, pv_test_archive_setup, pv_test_archive_teardown)

/* SQL run on the archive's catalogue past the library. */
static inline void pv_test_raw_sql(const char *archive_dir, const char *sql)
{
	char *db = pv_path_join(archive_dir, "catalogue.db");
	sqlite3 *h;
	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	free(db);
	sqlite3_busy_timeout(h, 5000);
	char *msg = NULL;
	if (sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
	sqlite3_close(h);
}

/* 1 when the file holds the bytes of word (a missing file holds nothing). */
static inline int pv_test_file_holds(const char *path, const char *word)
{
	uint8_t *data;
	size_t len;
	if (pv_read_file(path, PV_MAX_FILE_BYTES, &data, &len, NULL) != 0)
		return 0;
	int found = memmem(data, len, word, strlen(word)) != NULL;
	free(data);
	return found;
}

/* Repository root (PV_TEST_ROOT, else "."). */
static inline const char *pv_test_root(void)
{
	const char *r = getenv("PV_TEST_ROOT");
	return r ? r : ".";
}

/* A real JPEG of w x h with a colour pattern from seed (free with tjFree). */
static inline uint8_t *pv_test_jpeg(int w, int h, unsigned seed, unsigned long *len)
{
	uint8_t *rgb = malloc((size_t)w * h * 3);
	assert_non_null(rgb);
	for (int i = 0; i < w * h * 3; i++)
		rgb[i] = (uint8_t)((i * 7u + seed * 53u) ^ (i / (w * 3)));
	tjhandle tj = tjInitCompress();
	assert_non_null(tj);
	uint8_t *jpeg = NULL;
	*len = 0;
	assert_int_equal(tjCompress2(tj, rgb, w, 0, h, TJPF_RGB, &jpeg, len,
				     TJSAMP_420, 80, 0), 0);
	tjDestroy(tj);
	free(rgb);
	return jpeg;
}

/* The fixture of the bundle and poster builder tests: an archive made in a
 * fresh temporary folder (dir/archive) holding entries with photos; ids[i]
 * is entry i's id. */
#define PV_TEST_PHOTOS_MAX 8
struct pv_test_photos {
	char *dir;
	char *archive;
	int64_t ids[PV_TEST_PHOTOS_MAX];
};

/* Entry e, its words, consent and tags set by the caller, with a w x h
 * photo made from seed (pv_test_jpeg) and words from the participant:
 * stored and catalogued. Returns its id. */
static inline int64_t pv_test_add_photo(struct pv_archive *a, struct pv_entry *e, int w, int h,
					unsigned seed)
{
	unsigned long len;
	uint8_t *jpeg = pv_test_jpeg(w, h, seed, &len);
	struct pv_err err = {0};
	e->width = w;
	e->height = h;
	e->bytes = (int64_t)len;
	assert_int_equal(pv_archive_put_media(a, jpeg, len, e->sha256, &err), 0);
	tjFree(jpeg);
	for (int f = 0; f < 3; f++)
		e->words_from[f] = PV_FROM_PARTICIPANT;
	assert_int_equal(pv_store_add(a, e, &err), 0);
	return e->id;
}

/* A fresh archive with n entries, entry i made by add(a, i) (which returns
 * its id); *state for the tests. */
static inline struct pv_test_photos *pv_test_photos_make(int n,
							  int64_t (*add)(struct pv_archive *, int))
{
	struct pv_test_photos *fx = calloc(1, sizeof *fx);
	struct pv_err err = {0};
	assert_non_null(fx);
	assert_true(n <= PV_TEST_PHOTOS_MAX);
	fx->dir = pv_test_tmpdir();
	fx->archive = pv_path_join(fx->dir, "archive");
	assert_int_equal(pv_archive_init(fx->archive, &err), 0);
	struct pv_archive *a = pv_archive_open(fx->archive, PV_OPEN_WRITE, &err);
	assert_non_null(a);
	for (int i = 0; i < n; i++)
		fx->ids[i] = add(a, i);
	pv_archive_close(a);
	return fx;
}

static inline int pv_test_photos_teardown(void **state)
{
	struct pv_test_photos *fx = *state;
	free(fx->archive);
	pv_test_rmtree(fx->dir);
	free(fx);
	return 0;
}

/* A test run with that fixture, made by setup. */
#define PV_PHOTOS_TEST(fn, setup) \
	cmocka_unit_test_setup_teardown(fn, setup, pv_test_photos_teardown)

/* A growing byte buffer for building test files. */
struct buf {
	uint8_t *p;
	size_t len;
};

static inline void buf_put(struct buf *b, const void *data, size_t n)
{
	uint8_t *np = realloc(b->p, b->len + n + 1);
	assert_non_null(np);
	b->p = np;
	if (n)
		memcpy(b->p + b->len, data, n);
	b->len += n;
}

static inline void buf_free(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = 0;
}

#endif
