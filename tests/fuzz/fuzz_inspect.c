/*
 * Fuzz target: reading what a file carries (pv_jpeg_inspect) and the caption
 * rescue (pv_jpeg_rescue): EXIF through libexif, XMP, IPTC/Photoshop, COM,
 * MPF and trailers, all from hostile bytes.
 *
 * Properties: every string handed back is valid UTF-8 (it goes into the
 * catalogue, JSON and terminals); rescued text is trimmed; a rescued date is
 * a month "YYYY-MM" and nothing finer; finding values are bounded.
 */
#include <string.h>

#include "photovoice/jpeg.h"
#include "photovoice/util.h"
#include "fuzz.h"

/* inspect truncates values to 200 bytes; leave room for an ellipsis */
#define MAX_VALUE 210

static void check_text(const char *s)
{
	if (!s)
		return;
	size_t n = strlen(s);
	pv_fuzz_assert(pv_utf8_valid(s, n));
}

/* rescued text goes into the catalogue: no control characters but tab and
 * newline, and no blanks at either end */
static void check_trimmed(const char *s)
{
	if (!s)
		return;
	size_t n = strlen(s);
	check_text(s);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		pv_fuzz_assert(c >= 0x20 || c == '\t' || c == '\n');
		pv_fuzz_assert(c != 0x7F);
	}
	pv_fuzz_assert(n > 0);
	pv_fuzz_assert(s[0] != ' ' && s[0] != '\n' && s[0] != '\t');
	pv_fuzz_assert(s[n - 1] != ' ' && s[n - 1] != '\n' && s[n - 1] != '\t');
}

static void check_month(const char *m)
{
	if (!m)
		return;
	pv_fuzz_assert(strlen(m) == 7 && m[4] == '-');
	for (int i = 0; i < 7; i++)
		pv_fuzz_assert(i == 4 || (m[i] >= '0' && m[i] <= '9'));
	int month = (m[5] - '0') * 10 + (m[6] - '0');
	pv_fuzz_assert(month >= 1 && month <= 12);
}

static void run_inspect(const uint8_t *data, size_t size)
{
	struct pv_findings f;
	struct pv_err err = {0};
	memset(&f, 0, sizeof f);
	if (pv_jpeg_inspect(data, size, &f, &err) != 0) {
		pv_fuzz_assert(err.msg[0] != '\0');
		check_text(err.msg);
		pv_findings_free(&f);
		return;
	}
	for (size_t i = 0; i < f.count; i++) {
		const struct pv_finding *it = &f.items[i];
		pv_fuzz_assert(it->group < PV_FIND_GROUP_COUNT);
		pv_fuzz_assert(it->what != NULL);
		check_text(it->what);
		check_text(it->value);
		pv_fuzz_assert(!it->value || strlen(it->value) <= MAX_VALUE);
		pv_fuzz_assert(pv_find_group_name(it->group) != NULL);
	}
	pv_fuzz_assert(f.orientation >= 0 && f.orientation <= 8);
	pv_findings_free(&f);
}

static void run_rescue(const uint8_t *data, size_t size)
{
	struct pv_rescued r;
	memset(&r, 0, sizeof r);
	if (pv_jpeg_rescue(data, size, &r) == 0) {
		check_trimmed(r.title);
		check_trimmed(r.caption);
		check_month(r.taken_month);
		pv_fuzz_assert(r.orientation >= 0 && r.orientation <= 8);
	}
	pv_rescued_free(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	run_inspect(data, size);
	run_rescue(data, size);
	return 0;
}
