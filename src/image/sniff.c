/*
 * src/image/sniff.c - what a file is, by its first bytes (never by its name):
 * the formats photovoice takes (formats.c) first, then the ones it names in
 * a refusal; and the pixel limit every decoder checks first.
 */
#include <inttypes.h>
#include <string.h>

#include "photovoice/i18n.h"
#include "photovoice/image.h"
#include "photovoice/util.h"

#define TEXT_SNIFF_BYTES 4096

static int starts_with(const uint8_t *d, size_t n, size_t off, const char *magic,
		       size_t mlen)
{
	return n >= off + mlen && memcmp(d + off, magic, mlen) == 0;
}

/* An 'ftyp' box whose brands are no image's (a HEIF row took those). */
static int is_ftyp_video(const uint8_t *d, size_t n)
{
	return n >= 12 && starts_with(d, n, 4, "ftyp", 4);
}

/* Old QuickTime files start with a moov/mdat/wide/free box and no ftyp. */
static int is_quicktime(const uint8_t *d, size_t n)
{
	static const char boxes[][5] = { "moov", "mdat", "wide", "free", "skip", "pnot" };
	for (size_t i = 0; i < sizeof boxes / sizeof *boxes; i++)
		if (starts_with(d, n, 4, boxes[i], 4))
			return 1;
	return 0;
}

/* "BM" is too short a magic alone: also ask for a known DIB header size. */
static int is_bmp(const uint8_t *d, size_t n)
{
	if (!starts_with(d, n, 0, "BM", 2) || n < 18)
		return 0;
	uint32_t dib = (uint32_t)d[14] | (uint32_t)d[15] << 8 |
		       (uint32_t)d[16] << 16 | (uint32_t)d[17] << 24;
	return dib == 12 || dib == 40 || dib == 52 || dib == 56 || dib == 64 ||
	       dib == 108 || dib == 124;
}

/* Valid UTF-8 without control characters other than white space, judged on
 * the first few KiB (a character cut at that boundary is forgiven), or
 * UTF-16 with a byte-order mark. */
static int looks_like_text(const uint8_t *d, size_t n)
{
	if (starts_with(d, n, 0, "\xFF\xFE", 2) || starts_with(d, n, 0, "\xFE\xFF", 2))
		return 1;
	size_t m = n < TEXT_SNIFF_BYTES ? n : TEXT_SNIFF_BYTES;
	for (size_t i = 0; i < m; i++)
		if ((d[i] < 0x20 && d[i] != '\t' && d[i] != '\n' && d[i] != '\r' &&
		     d[i] != '\f') || d[i] == 0x7F)
			return 0;
	if (m < n)   /* step back over a character cut in the middle */
		for (int back = 0; back < 3 && m > 0 && (d[m] & 0xC0) == 0x80; back++)
			m--;
	return pv_utf8_valid((const char *)d, m);
}

enum pv_image_format pv_image_sniff(const void *data, size_t len)
{
	const uint8_t *d = data;
	if (!d || len == 0)
		return PV_IMAGE_UNKNOWN;
	const struct pv_input_format *in = pv_input_format_sniff(d, len);
	if (in)
		return in->format;
	if (is_ftyp_video(d, len))
		return PV_IMAGE_VIDEO;
	if (starts_with(d, len, 0, "GIF87a", 6) || starts_with(d, len, 0, "GIF89a", 6))
		return PV_IMAGE_GIF;
	if (starts_with(d, len, 0, "RIFF", 4) && starts_with(d, len, 8, "WEBP", 4))
		return PV_IMAGE_WEBP;
	if (starts_with(d, len, 0, "II*\0", 4) || starts_with(d, len, 0, "MM\0*", 4) ||
	    starts_with(d, len, 0, "II+\0", 4) || starts_with(d, len, 0, "MM\0+", 4))
		return PV_IMAGE_TIFF;
	if (is_bmp(d, len))
		return PV_IMAGE_BMP;
	if (starts_with(d, len, 0, "%PDF-", 5))
		return PV_IMAGE_PDF;
	if (starts_with(d, len, 0, "PK\x03\x04", 4) || starts_with(d, len, 0, "PK\x05\x06", 4))
		return PV_IMAGE_ZIP;
	if (is_quicktime(d, len))
		return PV_IMAGE_VIDEO;
	return looks_like_text(d, len) ? PV_IMAGE_TEXT : PV_IMAGE_UNKNOWN;
}

const char *pv_image_format_describe(enum pv_image_format f)
{
	const struct pv_input_format *in = pv_input_format_of(f);
	if (in)
		return _(in->described);
	switch (f) {
	case PV_IMAGE_GIF:   return _("a GIF image");
	case PV_IMAGE_WEBP:  return _("a WebP image");
	case PV_IMAGE_TIFF:  return _("a TIFF image");
	case PV_IMAGE_BMP:   return _("a BMP image");
	case PV_IMAGE_PDF:   return _("a PDF document");
	case PV_IMAGE_ZIP:   return _("a zip archive");
	case PV_IMAGE_VIDEO: return _("a video");
	case PV_IMAGE_TEXT:  return _("a text file");
	default: break;
	}
	return _("a file of unknown type");
}

int pv_image_check_size(uint64_t width, uint64_t height, struct pv_err *err)
{
	if (width == 0 || height == 0) {
		pv_fail(err, PV_ERR_INPUT, "This image says it is %" PRIu64 " x %" PRIu64
			   " pixels, which is not a picture.", width, height);
		return -1;
	}
	/* width and height come from headers of at most 32 bits each */
	if (width > UINT32_MAX || height > UINT32_MAX || width * height > PV_MAX_PIXELS) {
		pv_fail(err, PV_ERR_INPUT, "This image says it is %" PRIu64 " x %" PRIu64
			   " pixels, larger than the %" PRIu64 " megapixels photovoice "
			   "accepts; it was not opened.", width, height,
			   PV_MAX_PIXELS / 1000000);
		return -1;
	}
	return 0;
}
