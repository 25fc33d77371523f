/*
 * Fuzz target: the pixel module (pv_image_sniff, pv_image_to_jpeg for PNG
 * and HEIC/HEIF, pv_image_derivatives, the perceptual hash text form).
 *
 * Properties checked on every input:
 * - a failure leaves one plain UTF-8 sentence in err and nothing allocated;
 * - a JPEG that intake writes passes pv_jpeg_check_clean (what `audit`
 *   checks) and its derivatives can be made;
 * - derivatives are JPEGs no larger than their edges, the photo's size is
 *   positive, and the hash survives its text form.
 * Seeds: tests/fuzz/corpus/image/, made by tests/fuzz/make_image_seeds.py.
 */
#include <string.h>

#include <turbojpeg.h>

#include "photovoice/image.h"
#include "photovoice/jpeg.h"
#include "photovoice/util.h"
#include "fuzz.h"

/* libheif's AV1 decoder glue leaks 40 bytes of dav1d's when dav1d refuses
 * a damaged AVIF (libheif 1.15, dav1d 1.0): not ours to fix, and too small
 * to matter; read by LeakSanitizer only. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libdav1d.so\n";
}

static void check_sentence(const struct pv_err *err)
{
	size_t n = strlen(err->msg);
	pv_fuzz_assert(n > 0);
	pv_fuzz_assert(pv_utf8_valid(err->msg, n));
	pv_fuzz_assert(strchr(err->msg, '\n') == NULL);
}

static void check_jpeg_within(const uint8_t *j, size_t n, int edge)
{
	pv_fuzz_assert(j != NULL && n > 0);
	pv_fuzz_assert(pv_image_sniff(j, n) == PV_IMAGE_JPEG);
	tjhandle tj = tjInitDecompress();
	int w, h, sub, cs;
	pv_fuzz_assert(tjDecompressHeader3(tj, j, (unsigned long)n, &w, &h, &sub, &cs) == 0);
	tjDestroy(tj);
	pv_fuzz_assert(w > 0 && h > 0 && w <= edge && h <= edge);
	pv_fuzz_assert(w == edge || h == edge || (w < edge && h < edge));
}

/* Returns 0 when the derivatives were made. */
static int check_derivatives(const uint8_t *jpeg, size_t len, int orientation)
{
	struct pv_derivatives d;
	struct pv_err err = {0};
	if (pv_image_derivatives(jpeg, len, orientation, &d, &err) != 0) {
		check_sentence(&err);
		pv_fuzz_assert(d.thumb == NULL && d.preview == NULL);
		return -1;
	}
	pv_fuzz_assert(d.width > 0 && d.height > 0);
	check_jpeg_within(d.preview, d.preview_len, PV_PREVIEW_EDGE);
	check_jpeg_within(d.thumb, d.thumb_len, PV_THUMB_EDGE);
	char hex[17];
	uint64_t back = 0;
	pv_phash_hex(d.phash, hex);
	pv_fuzz_assert(pv_phash_parse(hex, &back) == 0 && back == d.phash);
	pv_derivatives_free(&d);
	return 0;
}

static void check_intake(const uint8_t *data, size_t size)
{
	uint8_t *out = NULL;
	size_t out_len = 0;
	struct pv_err err = {0};
	if (pv_image_to_jpeg(data, size, &out, &out_len, &err) != 0) {
		check_sentence(&err);
		pv_fuzz_assert(out == NULL && out_len == 0);
		return;
	}
	if (pv_jpeg_check_clean(out, out_len, &err) != 0)
		pv_fuzz_fail("intake output fails pv_jpeg_check_clean");
	pv_fuzz_assert(check_derivatives(out, out_len, 1) == 0);
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum pv_image_format f = pv_image_sniff(data, size);
	pv_fuzz_assert(f >= PV_IMAGE_UNKNOWN && f <= PV_IMAGE_TEXT);
	pv_fuzz_assert(pv_image_format_describe(f)[0] != '\0');
	if (f == PV_IMAGE_PNG || f == PV_IMAGE_HEIF)
		check_intake(data, size);
	else if (f == PV_IMAGE_JPEG)
		check_derivatives(data, size, 1 + (int)(size % 8));
	return 0;
}
