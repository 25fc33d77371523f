/*
 * src/image/heif.c - HEIC/HEIF/AVIF intake with libheif: the primary image
 * only (thumbnails, depth maps, auxiliary images and Exif/XMP items are never
 * read), decoded upright (libheif applies irot/imir/clap), 8-bit RGB, alpha
 * composited on white, the ICC profile ('prof' or 'rICC') kept, and encoded
 * as JPEG straight from libheif's buffer. An 'nclx'
 * colour description is not turned into a profile: the pixels are taken as
 * sRGB then.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <libheif/heif.h>

#include "photovoice/i18n.h"
#include "photovoice/image.h"
#include "photovoice/util.h"
#include "image_internal.h"

#define MSG_DAMAGED N_("This HEIC/HEIF photo is damaged or incomplete and cannot be read.")

static pthread_once_t heif_once = PTHREAD_ONCE_INIT;

/* libheif wants heif_init before use (it loads decoder plugins); once per
 * process, never undone: the decoders stay until exit. */
static void init_libheif(void)
{
	heif_init(NULL);
}

static void say_no_decoder(const uint8_t *data, size_t len, struct pv_err *err)
{
	int av1 = len >= 12 && (memcmp(data + 8, "avif", 4) == 0 || memcmp(data + 8, "avis", 4) == 0);
	pv_fail(err, PV_ERR_INPUT, "This %s photo cannot be decoded on this machine: no %s "
		   "decoder is installed.", av1 ? "AVIF" : "HEIC", av1 ? "AV1" : "HEVC");
}

static int read_icc(const struct heif_image_handle *h, struct pv_icc *icc)
{
	enum heif_color_profile_type t = heif_image_handle_get_color_profile_type(h);
	if (t != heif_color_profile_type_prof && t != heif_color_profile_type_rICC)
		return 0;
	size_t n = heif_image_handle_get_raw_color_profile_size(h);
	if (n == 0)
		return 0;
	icc->data = malloc(n);
	if (!icc->data)
		return -1;
	if (heif_image_handle_get_raw_color_profile(h, icc->data).code != heif_error_Ok) {
		free(icc->data);
		icc->data = NULL;
		return 0;   /* unreadable profile: go on without colour information */
	}
	icc->len = n;
	return 0;
}

/* The decoded plane as pixels to encode, alpha composited on white in place
 * (the fourth byte is then ignored by the encoder). */
static int plane_view(struct heif_image *img, int alpha, struct pv_pixels *view)
{
	int stride = 0;
	uint8_t *plane = heif_image_get_plane(img, heif_channel_interleaved, &stride);
	int w = heif_image_get_width(img, heif_channel_interleaved);
	int h = heif_image_get_height(img, heif_channel_interleaved);
	int ch = alpha ? 4 : 3;
	if (!plane || w <= 0 || h <= 0 || stride < w * ch ||
	    pv_image_check_size((uint64_t)w, (uint64_t)h, NULL) != 0)
		return -1;
	if (alpha)
		for (int y = 0; y < h; y++)
			pv_composite_on_white(plane + (size_t)y * (size_t)stride, (size_t)w, 4, 4);
	*view = (struct pv_pixels){ .px = plane, .w = w, .h = h, .channels = ch,
				    .stride = stride };
	return 0;
}

static void say_decode_error(struct heif_error e, const uint8_t *data, size_t len,
			     struct pv_err *err)
{
	if (e.code == heif_error_Unsupported_feature && e.subcode == heif_suberror_Unsupported_codec)
		say_no_decoder(data, len, err);
	else if (e.code == heif_error_Unsupported_feature &&
		 e.subcode == heif_suberror_Unsupported_image_type)
		pv_fail(err, PV_ERR_INPUT, "This HEIC/HEIF photo cannot be decoded on this machine: "
			   "it is compressed in a way no installed decoder reads.");
	else
		pv_fail(err, PV_ERR_INPUT, MSG_DAMAGED);
}

struct jpeg_out {
	int quality;
	uint8_t **out;
	size_t *outlen;
};

static int decode_and_encode(const struct heif_image_handle *h, const uint8_t *data,
			     size_t len, const struct pv_icc *icc, const struct jpeg_out *o,
			     struct pv_err *err)
{
	int alpha = heif_image_handle_has_alpha_channel(h);
	struct heif_decoding_options *opt = heif_decoding_options_alloc();
	if (!opt) {
		pv_fail(err, PV_ERR_INPUT, "There is not enough memory to read this photo.");
		return -1;
	}
	opt->convert_hdr_to_8bit = 1;
	struct heif_image *img = NULL;
	struct heif_error e = heif_decode_image(h, &img, heif_colorspace_RGB,
		alpha ? heif_chroma_interleaved_RGBA : heif_chroma_interleaved_RGB, opt);
	heif_decoding_options_free(opt);
	struct pv_pixels view;
	int rc = -1;
	if (e.code != heif_error_Ok)
		say_decode_error(e, data, len, err);
	else if (plane_view(img, alpha, &view) != 0)
		pv_fail(err, PV_ERR_INPUT, MSG_DAMAGED);
	else
		rc = pv_encode_jpeg(&view, o->quality, icc, o->out, o->outlen, err);
	heif_image_release(img);
	return rc;
}

int pv_heif_to_jpeg(const uint8_t *data, size_t len, int quality, uint8_t **out,
		    size_t *outlen, struct pv_err *err)
{
	*out = NULL;
	*outlen = 0;
	pthread_once(&heif_once, init_libheif);
	struct heif_context *ctx = heif_context_alloc();
	struct heif_image_handle *h = NULL;
	struct pv_icc icc = { 0 };
	int rc = -1;
	if (!ctx) {
		pv_fail(err, PV_ERR_INPUT, "There is not enough memory to read this photo.");
		return -1;
	}
	/* ingest decodes photos in parallel already: no threads per photo */
	heif_context_set_max_decoding_threads(ctx, 0);
	if (heif_context_read_from_memory_without_copy(ctx, data, len, NULL).code != heif_error_Ok ||
	    heif_context_get_primary_image_handle(ctx, &h).code != heif_error_Ok) {
		pv_fail(err, PV_ERR_INPUT, MSG_DAMAGED);
		goto out;
	}
	if (pv_image_check_size((uint64_t)heif_image_handle_get_width(h),
				(uint64_t)heif_image_handle_get_height(h), err) != 0)
		goto out;
	if (read_icc(h, &icc) != 0) {
		pv_fail(err, PV_ERR_INPUT, "There is not enough memory to read this photo.");
		goto out;
	}
	struct jpeg_out o = { quality, out, outlen };
	rc = decode_and_encode(h, data, len, &icc, &o, err);
out:
	free(icc.data);
	if (h)
		heif_image_handle_release(h);
	heif_context_free(ctx);
	return rc;
}

/* ---- the row of formats.c ------------------------------------------------- */

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Brands of an ISO-BMFF 'ftyp' box that mark a still image libheif reads. */
static int is_image_brand(const uint8_t *b)
{
	static const char brands[][5] = {
		"heic", "heix", "heim", "heis", "hevc", "hevx", "hevm", "hevs",
		"mif1", "mif2", "msf1", "avif", "avis",
	};
	for (size_t i = 0; i < sizeof brands / sizeof *brands; i++)
		if (memcmp(b, brands[i], 4) == 0)
			return 1;
	return 0;
}

/* An 'ftyp' box at the start whose major brand or any compatible brand is
 * an image brand (else it is a video: MP4, MOV, 3GP; sniff.c). */
int pv_heif_sniff(const uint8_t *d, size_t n)
{
	if (n < 12 || memcmp(d + 4, "ftyp", 4) != 0)
		return 0;
	if (is_image_brand(d + 8))
		return 1;
	size_t box = be32(d);
	if (box > n)
		box = n;
	for (size_t off = 16; off + 4 <= box; off += 4)
		if (is_image_brand(d + off))
			return 1;
	return 0;
}

int pv_heif_intake(const void *data, size_t len, uint8_t **out, size_t *outlen,
		   struct pv_err *err)
{
	return pv_heif_to_jpeg(data, len, PV_INTAKE_QUALITY, out, outlen, err);
}
