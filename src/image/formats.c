/*
 * src/image/formats.c - the formats photovoice takes in, one row each, the
 * way libarchive registers a format. Everything that asks which files are
 * photos reads this table: sniffing (sniff.c), ingest (what is taken, what
 * is converted, the refusal that lists what is taken), the same-photo check
 * of caption matching, the report's words and the names a drop folder counts
 * as photos. A new input format is one row here and one file holding its
 * sniff and its conversion to JPEG (as png.c and heif.c do), plus its name
 * in enum pv_image_format.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "photovoice/i18n.h"
#include "photovoice/image.h"
#include "photovoice/util.h"
#include "image_internal.h"

/* JPEG is taken as it is (the privacy rewrite in src/jpeg/ is its file). */
static int jpeg_sniff(const uint8_t *d, size_t n)
{
	return n >= 3 && memcmp(d, "\xFF\xD8\xFF", 3) == 0;
}

static const char *const jpeg_endings[] = { ".jpg", ".jpeg", ".jpe", ".jfif", NULL };
static const char *const png_endings[] = { ".png", NULL };
static const char *const heif_endings[] = { ".heic", ".heif", NULL };

static const struct pv_input_format formats[] = {
	{ PV_IMAGE_JPEG, "jpeg", "JPEG", N_("a JPEG photo"), jpeg_endings, jpeg_sniff, NULL },
	{ PV_IMAGE_PNG, "png", "PNG", N_("a PNG image"), png_endings, pv_png_sniff, pv_png_to_jpeg },
	{ PV_IMAGE_HEIF, "heif", "HEIC/HEIF", N_("a HEIC/HEIF photo"), heif_endings, pv_heif_sniff,
	  pv_heif_intake },
};

#define NFORMATS (sizeof formats / sizeof formats[0])

const struct pv_input_format *pv_input_format_at(size_t i)
{
	return i < NFORMATS ? &formats[i] : NULL;
}

const struct pv_input_format *pv_input_format_of(enum pv_image_format f)
{
	for (size_t i = 0; i < NFORMATS; i++)
		if (formats[i].format == f)
			return &formats[i];
	return NULL;
}

const struct pv_input_format *pv_input_format_sniff(const void *data, size_t len)
{
	for (size_t i = 0; data && i < NFORMATS; i++)
		if (formats[i].sniff(data, len))
			return &formats[i];
	return NULL;
}

static int ends_with_ci(const char *s, const char *tail)
{
	size_t a = strlen(s), b = strlen(tail);
	return a > b && strcasecmp(s + a - b, tail) == 0;
}

const struct pv_input_format *pv_input_format_named(const char *file_name)
{
	for (size_t i = 0; file_name && i < NFORMATS; i++)
		for (const char *const *e = formats[i].endings; *e; e++)
			if (ends_with_ci(file_name, *e))
				return &formats[i];
	return NULL;
}

void pv_input_formats_list(int converted_only, char *out, size_t n)
{
	size_t count = 0, at = 0, k = 0;
	for (size_t i = 0; i < NFORMATS; i++)
		count += !converted_only || formats[i].to_jpeg;
	out[0] = '\0';
	for (size_t i = 0; i < NFORMATS && at < n; i++) {
		if (converted_only && !formats[i].to_jpeg)
			continue;
		k++;
		const char *sep = k == 1 ? "" : k == count ? (converted_only ? " and " : " or ") : ", ";
		at += (size_t)snprintf(out + at, n - at, "%s%s", sep, formats[i].name);
	}
}

int pv_image_to_jpeg(const void *data, size_t len, uint8_t **out,
		     size_t *outlen, struct pv_err *err)
{
	*out = NULL;
	*outlen = 0;
	const struct pv_input_format *f = pv_input_format_sniff(data, len);
	if (!f || !f->to_jpeg) {
		char list[128];
		pv_input_formats_list(1, list, sizeof list);
		pv_fail(err, PV_ERR_INPUT, "This is %s; only %s images are converted to JPEG.",
			   pv_image_format_describe(pv_image_sniff(data, len)), list);
		return -1;
	}
	return f->to_jpeg(data, len, out, outlen, err);
}
