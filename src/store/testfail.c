/*
 * Fault injection, in the style of SQLite's tests: in a test build
 * (compiled with -DPV_TEST_HOOKS into build/.../photovoice-test),
 * PV_TEST_FAIL=point:N makes the Nth pass through the named catalogue write
 * point fail, as a full disk would:
 *   begin    starting a transaction or a SAVEPOINT (pv_store_begin)
 *   write    any statement that changes the catalogue (pv_db_step)
 *   commit   committing or releasing (pv_store_commit)
 * The failing pass is said on stderr ("photovoice: test fault: write 3"), so
 * that a test knows the point was reached. This file is the only one of the
 * library compiled twice; the shipped build has no hook.
 */
#include "store_internal.h"

#ifdef PV_TEST_HOOKS
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int pv_test_fail(const char *point)
{
	static unsigned passes[3];
	static const char *const points[] = { "begin", "write", "commit" };
	const char *want = getenv("PV_TEST_FAIL");
	size_t n = strlen(point);
	if (!want || strncmp(want, point, n) != 0 || want[n] != ':')
		return 0;
	for (size_t i = 0; i < sizeof points / sizeof *points; i++) {
		if (strcmp(points[i], point) != 0)
			continue;
		if (++passes[i] != (unsigned)strtoul(want + n + 1, NULL, 10))
			return 0;
		fprintf(stderr, "photovoice: test fault: %s %u\n", point, passes[i]);
		return 1;
	}
	return 0;
}
#else
int pv_test_fail(const char *point)
{
	(void)point;
	return 0;
}
#endif
