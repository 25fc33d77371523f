/*
 * tests/fuzz/fuzz.h - shared by the fuzz targets. Each target defines
 * LLVMFuzzerTestOneInput (libFuzzer, AFL++ with its libFuzzer driver) and is
 * linked either with -fsanitize=fuzzer (`make fuzz`) or with replay.c, the
 * plain main that `make check` uses to run every corpus and regression file.
 *
 * A target checks properties, not only the absence of crashes: when one does
 * not hold, pv_fuzz_fail() aborts, which both drivers report as a finding.
 */
#ifndef PV_FUZZ_H
#define PV_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A property of the code under test did not hold. */
#define pv_fuzz_fail(what)                                                    \
	do {                                                                  \
		fprintf(stderr, "fuzz property failed: %s (%s:%d)\n", what,   \
			__FILE__, __LINE__);                                  \
		abort();                                                      \
	} while (0)

#define pv_fuzz_assert(cond)                                                  \
	do {                                                                  \
		if (!(cond))                                                  \
			pv_fuzz_fail(#cond);                                  \
	} while (0)

#endif
