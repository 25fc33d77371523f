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
#include <turbojpeg.h>

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
