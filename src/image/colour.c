/*
 * src/image/colour.c - derivatives in sRGB. A stored photo may carry an ICC
 * profile (an iPhone's Display P3, Adobe RGB from a camera, a printer's CMYK);
 * thumbnails and previews carry none, so their pixels are converted to sRGB
 * with lcms2. A profile that is missing, unreadable, already sRGB or of
 * another colour space than the pixels leaves them as they are (taken as
 * sRGB). Greyscale stays greyscale, as it is.
 */
#include <stdlib.h>
#include <string.h>

#include <lcms2.h>

#include "photovoice/jpeg.h"
#include "image_internal.h"

#define ICC_ID_LEN 12      /* "ICC_PROFILE\0" */
#define ICC_HEADER 14      /* id, chunk number, chunk count */
#define MAX_CHUNKS 255

struct icc_chunk {
	const uint8_t *data;
	size_t len;
};

/* Put the APP2 chunks together in the order of their numbers; a set with a
 * gap, a repeat or disagreeing counts is no profile. */
static int join_chunks(const struct icc_chunk *chunk, int count, struct pv_icc *icc)
{
	size_t total = 0;
	for (int i = 1; i <= count; i++) {
		if (!chunk[i].data)
			return 0;
		total += chunk[i].len;
	}
	icc->data = malloc(total ? total : 1);
	if (!icc->data)
		return -1;
	for (int i = 1; i <= count; i++) {
		memcpy(icc->data + icc->len, chunk[i].data, chunk[i].len);
		icc->len += chunk[i].len;
	}
	return 0;
}

int pv_jpeg_colour(const uint8_t *jpeg, size_t len, struct pv_source_colour *out)
{
	memset(out, 0, sizeof *out);
	struct pv_jpeg_layout l;
	if (pv_jpeg_parse(jpeg, len, &l, NULL) != 0)
		return 0;
	struct icc_chunk chunk[MAX_CHUNKS + 1];
	memset(chunk, 0, sizeof chunk);
	int count = 0, consistent = 1;
	for (size_t i = 0; i < l.count; i++) {
		const struct pv_jpeg_segment *s = &l.segs[i];
		out->adobe |= s->kind == PV_SEG_ADOBE;
		if (s->kind != PV_SEG_ICC || s->payload_len < ICC_HEADER)
			continue;
		const uint8_t *p = jpeg + s->payload;
		int seq = p[ICC_ID_LEN], n = p[ICC_ID_LEN + 1];
		if (n == 0 || seq == 0 || seq > n || (count && n != count) || chunk[seq].data)
			consistent = 0;
		else
			chunk[seq] = (struct icc_chunk){ p + ICC_HEADER, s->payload_len - ICC_HEADER };
		count = n;
	}
	pv_jpeg_layout_free(&l);
	return consistent && count ? join_chunks(chunk, count, &out->icc) : 0;
}

void pv_source_colour_free(struct pv_source_colour *c)
{
	free(c->icc.data);
	memset(c, 0, sizeof *c);
}

/* The profile when it describes `space` and is not sRGB already. */
static cmsHPROFILE open_profile(const struct pv_icc *icc, cmsColorSpaceSignature space)
{
	if (!icc->data || icc->len < 132 || icc->len > UINT32_MAX)
		return NULL;
	cmsHPROFILE h = cmsOpenProfileFromMem(icc->data, (cmsUInt32Number)icc->len);
	if (!h)
		return NULL;
	char name[256] = "";
	cmsGetProfileInfoASCII(h, cmsInfoDescription, "en", "US", name, sizeof name);
	if (cmsGetColorSpace(h) != space || strstr(name, "sRGB")) {
		cmsCloseProfile(h);
		return NULL;
	}
	return h;
}

/* Transform n pixels from `in` (format in_type) to sRGB into out. 0 when done. */
static int to_srgb(cmsHPROFILE in, cmsUInt32Number in_type, const void *src,
		   uint8_t *dst, size_t n)
{
	cmsHPROFILE srgb = cmsCreate_sRGBProfile();
	cmsHTRANSFORM t = srgb ? cmsCreateTransform(in, in_type, srgb, TYPE_RGB_8,
						    INTENT_PERCEPTUAL, 0) : NULL;
	if (t) {
		/* cmsDoTransform counts pixels in 32 bits */
		for (size_t done = 0; done < n; done += 1u << 24) {
			size_t part = n - done < (1u << 24) ? n - done : 1u << 24;
			size_t in_px = T_CHANNELS(in_type) + T_EXTRA(in_type);
			cmsDoTransform(t, (const uint8_t *)src + done * in_px, dst + done * 3,
				       (cmsUInt32Number)part);
		}
		cmsDeleteTransform(t);
	}
	if (srgb)
		cmsCloseProfile(srgb);
	return t ? 0 : -1;
}

void pv_rgb_to_srgb(struct pv_pixels *p, const struct pv_icc *icc)
{
	if (p->channels != 3)
		return;
	cmsHPROFILE in = open_profile(icc, cmsSigRgbData);
	if (!in)
		return;
	to_srgb(in, TYPE_RGB_8, p->px, p->px, (size_t)p->w * (size_t)p->h);
	cmsCloseProfile(in);
}

/* Without a profile: the plain formula, enough for a preview. */
static void cmyk_plain(const uint8_t *cmyk, struct pv_pixels *rgb, int inverted)
{
	size_t n = (size_t)rgb->w * (size_t)rgb->h;
	for (size_t i = 0; i < n; i++) {
		const uint8_t *s = cmyk + i * 4;
		unsigned k = inverted ? s[3] : 255u - s[3];
		for (int ch = 0; ch < 3; ch++) {
			unsigned v = inverted ? s[ch] : 255u - s[ch];
			rgb->px[i * 3 + (size_t)ch] = (uint8_t)((v * k + 127) / 255);
		}
	}
}

void pv_cmyk_to_srgb(const uint8_t *cmyk, struct pv_pixels *rgb,
		     const struct pv_source_colour *c)
{
	/* Photoshop writes CMYK inverted (255 = no ink) and marks its files
	 * with an Adobe segment; other writers store ink amounts */
	cmsHPROFILE in = open_profile(&c->icc, cmsSigCmykData);
	int done = in && to_srgb(in, c->adobe ? TYPE_CMYK_8_REV : TYPE_CMYK_8, cmyk, rgb->px,
				 (size_t)rgb->w * (size_t)rgb->h) == 0;
	if (in)
		cmsCloseProfile(in);
	if (!done)
		cmyk_plain(cmyk, rgb, c->adobe);
}
