/*
 * tests/bench_image.c - `make bench` helper: the derivatives (thumbnail and
 * preview from one scaled decode) of each JPEG given, written to OUTDIR as
 * NAME.thumb.jpg and NAME.preview.jpg, one photo after another on one thread.
 * The EXIF orientation is applied as found (what vipsthumbnail does too).
 * Prints the time spent in pv_image_derivatives per photo on stdout.
 *
 * Usage: bench_image OUTDIR FILE...
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "photovoice/image.h"
#include "photovoice/jpeg.h"
#include "photovoice/util.h"

static double seconds(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int write_one(const char *dir, const char *path, const char *suffix,
		     const uint8_t *data, size_t len)
{
	const char *base = strrchr(path, '/');
	char out[4096];
	struct pv_err err = {0};
	snprintf(out, sizeof out, "%s/%s.%s.jpg", dir, base ? base + 1 : path, suffix);
	if (pv_write_atomic(out, dir, data, len, &err) != 0) {
		fprintf(stderr, "bench_image: %s\n", err.msg);
		return -1;
	}
	return 0;
}

/* Adds the time spent making the derivatives to *spent. */
static int derive_file(const char *dir, const char *path, double *spent)
{
	uint8_t *jpeg;
	size_t len;
	struct pv_err err = {0};
	if (pv_read_file(path, PV_MAX_FILE_BYTES, &jpeg, &len, &err) != 0) {
		fprintf(stderr, "bench_image: %s\n", err.msg);
		return -1;
	}
	struct pv_rescued found;
	memset(&found, 0, sizeof found);
	pv_jpeg_rescue(jpeg, len, &found);
	int orientation = found.orientation ? found.orientation : 1;
	pv_rescued_free(&found);
	struct pv_derivatives d;
	double t0 = seconds();
	int rc = pv_image_derivatives(jpeg, len, orientation, &d, &err);
	*spent += seconds() - t0;
	free(jpeg);
	if (rc != 0) {
		fprintf(stderr, "bench_image: %s\n", err.msg);
		return -1;
	}
	rc = write_one(dir, path, "thumb", d.thumb, d.thumb_len) |
	     write_one(dir, path, "preview", d.preview, d.preview_len);
	pv_derivatives_free(&d);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fputs("usage: bench_image OUTDIR FILE...\n", stderr);
		return 2;
	}
	double spent = 0;
	int failed = 0;
	for (int i = 2; i < argc; i++)
		failed |= derive_file(argv[1], argv[i], &spent) != 0;
	printf("%.1f ms per photo in pv_image_derivatives\n", spent * 1000 / (argc - 2));
	return failed;
}
