/*
 * src/jpeg/orient.c - EXIF Orientation: reading it (libexif), baking it into
 * the pixels with a lossless transform (TurboJPEG, perfect mode), and the
 * fallback block that holds Orientation alone when no perfect transform
 * exists.
 */
#include <stdlib.h>
#include <string.h>

#include <libexif/exif-data.h>
#include <libexif/exif-utils.h>
#include <turbojpeg.h>

#include "photovoice/jpeg.h"
#include "jpeg_internal.h"

#define TAG_ORIENTATION 0x0112
#define TIFF_SHORT 3

/* libexif takes an unsigned int size; an APP1 payload is under 64 KiB, but a
 * caller may hand us anything. */
#define MAX_APP1_PAYLOAD 65533u

static ExifData *load_exif(const uint8_t *payload, size_t len)
{
	ExifData *ed = exif_data_new();
	if (!ed)
		return NULL;
	/* Same as exif_data_new_from_data, but without "fixing" the data on
	 * load (that adds mandatory tags we would only throw away). */
	exif_data_unset_option(ed, EXIF_DATA_OPTION_FOLLOW_SPECIFICATION);
	exif_data_load_data(ed, payload, (unsigned int)len);
	return ed;
}

/* The value of a SHORT or LONG entry with at least one component, checking
 * that the entry really holds the bytes its format says. -1 when unusable. */
static long entry_first_value(const ExifEntry *e, ExifByteOrder order)
{
	if (!e || !e->data || e->components < 1)
		return -1;
	if (e->format == EXIF_FORMAT_SHORT && e->size >= 2)
		return exif_get_short(e->data, order);
	if (e->format == EXIF_FORMAT_LONG && e->size >= 4)
		return (long)exif_get_long(e->data, order);
	return -1;
}

int pv_exif_orientation(const uint8_t *app1_payload, size_t len)
{
	if (!app1_payload || len < PV_ID_EXIF_LEN + 8 || len > MAX_APP1_PAYLOAD ||
	    memcmp(app1_payload, PV_ID_EXIF, PV_ID_EXIF_LEN) != 0)
		return 0;
	ExifData *ed = load_exif(app1_payload, len);
	if (!ed)
		return 0;
	ExifEntry *e = exif_content_get_entry(ed->ifd[EXIF_IFD_0],
					      EXIF_TAG_ORIENTATION);
	long v = entry_first_value(e, exif_data_get_byte_order(ed));
	exif_data_unref(ed);
	return (v >= 1 && v <= 8) ? (int)v : 0;
}

static unsigned rd16(const uint8_t *p, int big)
{
	return big ? ((unsigned)p[0] << 8 | p[1]) : ((unsigned)p[1] << 8 | p[0]);
}

static uint32_t rd32(const uint8_t *p, int big)
{
	if (big)
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		       (uint32_t)p[2] << 8 | p[3];
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[1] << 8 | p[0];
}

/* Checked by hand rather than with libexif: this is the gate that decides
 * whether an APP1 may leave, so it accepts one exact shape and nothing else:
 * header, IFD0 at offset 8 with one entry, no next IFD, no bytes after. */
int pv_exif_is_minimal_orientation(const uint8_t *app1_payload, size_t len,
				   int *orientation)
{
	const size_t tiff_len = 8 + 2 + 12 + 4;
	*orientation = 0;
	if (!app1_payload || len != PV_ID_EXIF_LEN + tiff_len ||
	    memcmp(app1_payload, PV_ID_EXIF, PV_ID_EXIF_LEN) != 0)
		return 0;
	const uint8_t *t = app1_payload + PV_ID_EXIF_LEN;
	int big;
	if (t[0] == 'I' && t[1] == 'I')
		big = 0;
	else if (t[0] == 'M' && t[1] == 'M')
		big = 1;
	else
		return 0;
	if (rd16(t + 2, big) != 42 || rd32(t + 4, big) != 8 ||
	    rd16(t + 8, big) != 1)
		return 0;
	const uint8_t *e = t + 10;
	unsigned v = rd16(e + 8, big);
	if (rd16(e, big) != TAG_ORIENTATION || rd16(e + 2, big) != TIFF_SHORT ||
	    rd32(e + 4, big) != 1 || v < 1 || v > 8 ||
	    e[10] != 0 || e[11] != 0 || rd32(e + 12, big) != 0)
		return 0;
	*orientation = (int)v;
	return 1;
}

/* Serialises an ExifData holding only IFD0/Orientation. */
static int save_orientation_exif(int orientation, unsigned char **data,
				 unsigned int *size)
{
	ExifData *ed = exif_data_new();
	if (!ed)
		return -1;
	exif_data_unset_option(ed, EXIF_DATA_OPTION_FOLLOW_SPECIFICATION);
	exif_data_set_byte_order(ed, EXIF_BYTE_ORDER_MOTOROLA);
	ExifEntry *e = exif_entry_new();
	if (!e) {
		exif_data_unref(ed);
		return -1;
	}
	exif_content_add_entry(ed->ifd[EXIF_IFD_0], e);
	exif_entry_initialize(e, EXIF_TAG_ORIENTATION);
	int ok = e->data && e->size >= 2 && e->format == EXIF_FORMAT_SHORT;
	if (ok)
		exif_set_short(e->data, EXIF_BYTE_ORDER_MOTOROLA,
			       (ExifShort)orientation);
	exif_entry_unref(e);
	*data = NULL;
	*size = 0;
	if (ok)
		exif_data_save_data(ed, data, size);
	exif_data_unref(ed);
	return (ok && *data) ? 0 : -1;
}

int pv_exif_build_orientation_app1(int orientation, uint8_t **seg,
				   size_t *seg_len)
{
	unsigned char *data;
	unsigned int size;
	*seg = NULL;
	*seg_len = 0;
	if (orientation < 1 || orientation > 8 ||
	    save_orientation_exif(orientation, &data, &size) < 0)
		return -1;
	int got;
	/* libexif's output is what we store: check it is exactly the block
	 * we meant, nothing more (no thumbnail, no other IFD, no padding). */
	if (!pv_exif_is_minimal_orientation(data, size, &got) ||
	    got != orientation) {
		free(data);
		return -1;
	}
	uint8_t *s = malloc(4 + (size_t)size);
	if (!s) {
		free(data);
		return -1;
	}
	s[0] = 0xFF;
	s[1] = 0xE1;
	s[2] = (uint8_t)((size + 2) >> 8);
	s[3] = (uint8_t)((size + 2) & 0xFF);
	memcpy(s + 4, data, size);
	free(data);
	*seg = s;
	*seg_len = 4 + (size_t)size;
	return 0;
}

int pv_orient_swaps_axes(int orientation)
{
	return orientation >= 5 && orientation <= 8;
}

/* EXIF orientation -> the TurboJPEG operation that makes it upright.
 * 6 means "rotate 90 clockwise to display", which is TJXOP_ROT90. */
static int orientation_op(int orientation)
{
	switch (orientation) {
	case 2: return TJXOP_HFLIP;
	case 3: return TJXOP_ROT180;
	case 4: return TJXOP_VFLIP;
	case 5: return TJXOP_TRANSPOSE;
	case 6: return TJXOP_ROT90;
	case 7: return TJXOP_TRANSVERSE;
	case 8: return TJXOP_ROT270;
	default: return -1;
	}
}

int pv_orient_transform(const uint8_t *jpeg, size_t len, int orientation,
			uint8_t **out, size_t *out_len)
{
	int op = orientation_op(orientation);
	*out = NULL;
	*out_len = 0;
	if (op < 0 || !jpeg || len == 0 || len > (unsigned long)-1)
		return -1;
	tjhandle h = tjInitTransform();
	if (!h)
		return -1;
	tjtransform xf;
	memset(&xf, 0, sizeof xf);
	xf.op = op;
	xf.options = TJXOPT_PERFECT | TJXOPT_COPYNONE;
	unsigned char *dst = NULL;
	unsigned long dst_len = 0;
	int rc = tjTransform(h, jpeg, (unsigned long)len, 1, &dst, &dst_len,
			     &xf, 0);
	tjDestroy(h);
	if (rc != 0 || !dst || dst_len == 0) {
		tjFree(dst);
		return -1;
	}
	/* Hand the caller plain malloc'd memory, not tjAlloc'd memory. */
	uint8_t *copy = malloc(dst_len);
	if (copy)
		memcpy(copy, dst, dst_len);
	tjFree(dst);
	if (!copy)
		return -1;
	*out = copy;
	*out_len = dst_len;
	return 0;
}
