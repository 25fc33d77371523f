/*
 * Fuzz target: the JPEG segment parser and the privacy rewrite
 * (pv_jpeg_parse, pv_jpeg_scrub, pv_jpeg_check_clean).
 *
 * Properties checked on every input:
 * - the layout stays inside the buffer, segments in order, never overlapping;
 * - a failure leaves one plain UTF-8 sentence in err and nothing allocated;
 * - whatever scrub accepts, check_clean accepts too (the stored file passes
 *   `audit`), it carries nothing the rescue could read back, and scrubbing
 *   it again succeeds.
 */
#include <string.h>

#include "photovoice/jpeg.h"
#include "photovoice/util.h"
#include "fuzz.h"

static void check_sentence(const struct pv_err *err)
{
	size_t n = strlen(err->msg);
	pv_fuzz_assert(n > 0);
	pv_fuzz_assert(pv_utf8_valid(err->msg, n));
	pv_fuzz_assert(strchr(err->msg, '\n') == NULL);
}

static void check_layout(const struct pv_jpeg_layout *l, size_t size)
{
	size_t end = 0;
	for (size_t i = 0; i < l->count; i++) {
		const struct pv_jpeg_segment *s = &l->segs[i];
		pv_fuzz_assert(s->kind < PV_SEG_KIND_COUNT);
		pv_fuzz_assert(s->start >= end);
		pv_fuzz_assert(s->len <= size - s->start);
		pv_fuzz_assert(s->scan_len <= size - s->start - s->len);
		pv_fuzz_assert(s->payload >= s->start && s->payload <= size);
		pv_fuzz_assert(s->payload_len <= size - s->payload);
		pv_fuzz_assert(s->payload + s->payload_len <= s->start + s->len ||
			       s->kind == PV_SEG_TRAILER);
		pv_fuzz_assert(s->kind == PV_SEG_SOS || s->scan_len == 0);
		end = s->start + s->len + s->scan_len;
	}
	pv_fuzz_assert(l->eoi_end <= size);
	pv_fuzz_assert(l->trailer_len <= size);
	pv_fuzz_assert(l->width >= 0 && l->height >= 0);
}

/* A scrubbed file is what the archive stores: it must pass the same check
 * `audit` makes, and hold no text the caption rescue could find. */
static void check_scrubbed(const uint8_t *out, size_t out_len,
			   const struct pv_scrub_report *r)
{
	struct pv_err err = {0};
	if (pv_jpeg_check_clean(out, out_len, &err) != 0)
		pv_fuzz_fail("scrub output fails pv_jpeg_check_clean");
	pv_fuzz_assert(r->orientation >= 0 && r->orientation <= 8);
	pv_fuzz_assert(r->width > 0 && r->height > 0);

	struct pv_rescued res;
	memset(&res, 0, sizeof res);
	if (pv_jpeg_rescue(out, out_len, &res) == 0) {
		pv_fuzz_assert(res.title == NULL);
		pv_fuzz_assert(res.caption == NULL);
		pv_fuzz_assert(res.taken_month == NULL);
	}
	pv_rescued_free(&res);

	uint8_t *again = NULL;
	size_t again_len = 0;
	if (pv_jpeg_scrub(out, out_len, &again, &again_len, NULL, &err) != 0)
		pv_fuzz_fail("a scrubbed file cannot be scrubbed again");
	free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pv_err err = {0};
	struct pv_jpeg_layout l;
	if (pv_jpeg_parse(data, size, &l, &err) == 0) {
		check_layout(&l, size);
		pv_jpeg_layout_free(&l);
	} else {
		check_sentence(&err);
	}

	uint8_t *out = (uint8_t *)&out;    /* must be reset on failure */
	size_t out_len = 1;
	struct pv_scrub_report r;
	err.msg[0] = '\0';
	if (pv_jpeg_scrub(data, size, &out, &out_len, &r, &err) == 0) {
		pv_fuzz_assert(out != NULL && out_len > 0);
		check_scrubbed(out, out_len, &r);
		free(out);
	} else {
		pv_fuzz_assert(out == NULL && out_len == 0);
		check_sentence(&err);
	}

	err.msg[0] = '\0';
	if (pv_jpeg_check_clean(data, size, &err) != 0)
		check_sentence(&err);
	return 0;
}
