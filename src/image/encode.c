/*
 * src/image/encode.c - pixels to JPEG with TurboJPEG, and the ICC profile
 * put in by hand: TurboJPEG 2.1 (Debian 12) has no call for it, so the APP2
 * "ICC_PROFILE" chunks go in after the JFIF header that libjpeg writes.
 */
#include <stdlib.h>
#include <string.h>

#include <turbojpeg.h>

#include "photovoice/util.h"
#include "image_internal.h"

#define ICC_ID "ICC_PROFILE"
#define ICC_ID_LEN 12                  /* with its NUL */
#define ICC_HEADER (ICC_ID_LEN + 2)    /* id, chunk number, chunk count */
#define ICC_CHUNK_MAX (65535 - 2 - ICC_HEADER)
#define ICC_CHUNKS_MAX 255

/* Bytes of the JPEG before the place the ICC chunks go: SOI and, when
 * present, the APP0 that follows it. */
static size_t icc_insert_point(const uint8_t *j, size_t len)
{
	if (len >= 6 && j[2] == 0xFF && j[3] == 0xE0) {
		size_t seg = 2 + ((size_t)j[4] << 8 | j[5]);
		if (2 + seg <= len)
			return 2 + seg;
	}
	return 2;
}

static uint8_t *put_icc_chunks(uint8_t *o, const struct pv_icc *icc, size_t chunks)
{
	for (size_t i = 0; i < chunks; i++) {
		size_t off = i * ICC_CHUNK_MAX;
		size_t n = icc->len - off < ICC_CHUNK_MAX ? icc->len - off : ICC_CHUNK_MAX;
		size_t seglen = 2 + ICC_HEADER + n;
		*o++ = 0xFF;
		*o++ = 0xE2;
		*o++ = (uint8_t)(seglen >> 8);
		*o++ = (uint8_t)seglen;
		memcpy(o, ICC_ID, ICC_ID_LEN);
		o += ICC_ID_LEN;
		*o++ = (uint8_t)(i + 1);
		*o++ = (uint8_t)chunks;
		memcpy(o, icc->data + off, n);
		o += n;
	}
	return o;
}

/* Copy TurboJPEG's output into a malloc'd buffer with the ICC chunks in. */
static int with_icc(const uint8_t *j, size_t len, const struct pv_icc *icc,
		    uint8_t **out, size_t *outlen, struct pv_err *err)
{
	size_t chunks = icc && icc->data && icc->len ?
			(icc->len + ICC_CHUNK_MAX - 1) / ICC_CHUNK_MAX : 0;
	if (chunks > ICC_CHUNKS_MAX) {
		pv_fail(err, PV_ERR_INPUT, "The colour profile inside this image is too "
			   "large to keep in a JPEG photo.");
		return -1;
	}
	size_t at = icc_insert_point(j, len);
	size_t total = len + (chunks ? icc->len + chunks * (4 + ICC_HEADER) : 0);
	uint8_t *o = malloc(total);
	if (!o) {
		pv_fail(err, PV_ERR_INPUT, "There is not enough memory to write this photo.");
		return -1;
	}
	memcpy(o, j, at);
	uint8_t *p = chunks ? put_icc_chunks(o + at, icc, chunks) : o + at;
	memcpy(p, j + at, len - at);
	*out = o;
	*outlen = total;
	return 0;
}

int pv_encode_jpeg(const struct pv_pixels *p, int quality,
		   const struct pv_icc *icc, uint8_t **out, size_t *outlen,
		   struct pv_err *err)
{
	*out = NULL;
	*outlen = 0;
	tjhandle tj = tjInitCompress();
	if (!tj) {
		pv_fail(err, PV_ERR_INPUT, "The JPEG encoder could not be started.");
		return -1;
	}
	unsigned char *j = NULL;
	unsigned long jlen = 0;
	int grey = p->channels == 1;
	int format = grey ? TJPF_GRAY : p->channels == 4 ? TJPF_RGBX : TJPF_RGB;
	int rc = tjCompress2(tj, p->px, p->w, p->stride, p->h, format, &j, &jlen,
			     grey ? TJSAMP_GRAY : TJSAMP_420, quality, 0);
	if (rc != 0)
		pv_fail(err, PV_ERR_INPUT, "The picture could not be written as a JPEG photo.");
	else
		rc = with_icc(j, jlen, icc, out, outlen, err);
	tjFree(j);
	tjDestroy(tj);
	return rc;
}
