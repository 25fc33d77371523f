/*
 * tests/unit/test_image.c - the pixel module: format sniffing, the pixel
 * limit, PNG and HEIC intake to JPEG, derivatives (sizes, upright, colour,
 * scale choice), the perceptual hash, and bad input for each.
 *
 * PNGs are written here with libpng, JPEGs with TurboJPEG, HEICs with libheif
 * when this machine has an HEVC encoder. The HEIF from ../shared/corpus is
 * used when present and skipped otherwise.
 */
#include "testutil.h"

#include <pthread.h>

#include <lcms2.h>
#include <libheif/heif.h>
#include <png.h>
#include <turbojpeg.h>

#include "photovoice/image.h"
#include "photovoice/jpeg.h"
#include "photovoice/util.h"
#include "../../src/image/image_internal.h"

/* The HEVC encoder used to make test HEICs (x265 through libheif) leaks about
 * 1 KiB per encoded image; photovoice never encodes HEIC. Read by
 * LeakSanitizer under `make check SAN=1` only. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libx265.so\n";
}

/* ---- buffers ----------------------------------------------------------- */


static int has_bytes(const uint8_t *h, size_t n, const char *needle)
{
	return memmem(h, n, needle, strlen(needle)) != NULL;
}

/* ---- pictures ---------------------------------------------------------- */

static const uint8_t RED[3] = { 255, 0, 0 }, GREEN[3] = { 0, 200, 0 },
		     BLUE[3] = { 0, 0, 255 }, YELLOW[3] = { 255, 220, 0 };

struct picture {
	uint8_t *px;    /* RGB */
	int w, h;
};

/* A smooth pseudo-random scene (a few blobs on a gradient, from `seed`),
 * with coloured patches in the corners of the upright picture: red top
 * left, green top right, blue bottom left, yellow bottom right. */
static struct picture make_picture(int w, int h, unsigned seed)
{
	struct picture p = { malloc((size_t)w * (size_t)h * 3), w, h };
	assert_non_null(p.px);
	double cx[4], cy[4], r[4];
	srand(seed);
	for (int i = 0; i < 4; i++) {
		cx[i] = rand() % w;
		cy[i] = rand() % h;
		r[i] = (w + h) / 8.0 + rand() % ((w + h) / 8 + 1);
	}
	int m = (w < h ? w : h) / 8;
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			uint8_t *d = p.px + ((size_t)y * (size_t)w + (size_t)x) * 3;
			double v = 60.0 + 80.0 * x / w + 40.0 * y / h;
			for (int i = 0; i < 4; i++) {
				double dx = x - cx[i], dy = y - cy[i];
				if (dx * dx + dy * dy < r[i] * r[i])
					v += (i % 2 ? -50 : 70);
			}
			v = v < 0 ? 0 : v > 255 ? 255 : v;
			d[0] = (uint8_t)v;
			d[1] = (uint8_t)(v * 0.8 + 20);   /* luma follows v */
			d[2] = (uint8_t)(255 - v);
			const uint8_t *c = NULL;
			if (x < m && y < m) c = RED;
			if (x >= w - m && y < m) c = GREEN;
			if (x < m && y >= h - m) c = BLUE;
			if (x >= w - m && y >= h - m) c = YELLOW;
			if (c)
				memcpy(d, c, 3);
		}
	return p;
}

/* The three mirrors EXIF orientations are made of. */
static struct picture flip_h(struct picture s)
{
	struct picture d = { malloc((size_t)s.w * (size_t)s.h * 3), s.w, s.h };
	for (int y = 0; y < s.h; y++)
		for (int x = 0; x < s.w; x++)
			memcpy(d.px + ((size_t)y * s.w + x) * 3,
			       s.px + ((size_t)y * s.w + (s.w - 1 - x)) * 3, 3);
	free(s.px);
	return d;
}

static struct picture flip_v(struct picture s)
{
	struct picture d = { malloc((size_t)s.w * (size_t)s.h * 3), s.w, s.h };
	for (int y = 0; y < s.h; y++)
		memcpy(d.px + (size_t)y * s.w * 3, s.px + (size_t)(s.h - 1 - y) * s.w * 3,
		       (size_t)s.w * 3);
	free(s.px);
	return d;
}

static struct picture transpose(struct picture s)
{
	struct picture d = { malloc((size_t)s.w * (size_t)s.h * 3), s.h, s.w };
	for (int y = 0; y < d.h; y++)
		for (int x = 0; x < d.w; x++)
			memcpy(d.px + ((size_t)y * d.w + x) * 3,
			       s.px + ((size_t)x * s.w + y) * 3, 3);
	free(s.px);
	return d;
}

/* How a camera stores an upright scene it tags with orientation o: the
 * inverse of what a viewer does for o. */
static struct picture stored_for(struct picture up, int o)
{
	if (o >= 5)
		up = transpose(up);
	if (o == 2 || o == 3 || o == 7 || o == 8)
		up = flip_h(up);
	if (o == 3 || o == 4 || o == 6 || o == 7)
		up = flip_v(up);
	return up;
}

/* ---- JPEG -------------------------------------------------------------- */

static struct buf jpeg_encode(const uint8_t *px, int w, int h, int pf, int sub, int q)
{
	tjhandle tj = tjInitCompress();
	unsigned char *j = NULL;
	unsigned long n = 0;
	assert_int_equal(tjCompress2(tj, px, w, 0, h, pf, &j, &n, sub, q, 0), 0);
	struct buf b = { 0 };
	buf_put(&b, j, n);
	tjFree(j);
	tjDestroy(tj);
	return b;
}

static struct buf jpeg_of(struct picture p, int q)
{
	return jpeg_encode(p.px, p.w, p.h, TJPF_RGB, TJSAMP_420, q);
}

struct decoded {
	uint8_t *px;   /* RGB */
	int w, h, colorspace, subsamp;
};

static struct decoded jpeg_decode(const uint8_t *j, size_t n)
{
	struct decoded d = { 0 };
	tjhandle tj = tjInitDecompress();
	assert_int_equal(tjDecompressHeader3(tj, j, (unsigned long)n, &d.w, &d.h,
					     &d.subsamp, &d.colorspace), 0);
	d.px = malloc((size_t)d.w * (size_t)d.h * 3);
	assert_int_equal(tjDecompress2(tj, j, (unsigned long)n, d.px, d.w, 0, d.h,
				       TJPF_RGB, 0), 0);
	tjDestroy(tj);
	return d;
}

static const uint8_t *pixel_at(const struct decoded *d, int x, int y)
{
	return d->px + ((size_t)y * (size_t)d->w + (size_t)x) * 3;
}

static int near_colour(const uint8_t *p, const uint8_t *c, int tol)
{
	return abs(p[0] - c[0]) <= tol && abs(p[1] - c[1]) <= tol && abs(p[2] - c[2]) <= tol;
}

/* The corner patches are where make_picture put them. */
static void assert_upright(const struct decoded *d, const char *what, int o)
{
	int m = (d->w < d->h ? d->w : d->h) / 16;
	const uint8_t *tl = pixel_at(d, m, m), *tr = pixel_at(d, d->w - 1 - m, m),
		      *bl = pixel_at(d, m, d->h - 1 - m),
		      *br = pixel_at(d, d->w - 1 - m, d->h - 1 - m);
	if (!(near_colour(tl, RED, 40) && near_colour(tr, GREEN, 40) &&
	      near_colour(bl, BLUE, 40) && near_colour(br, YELLOW, 40)))
		fail_msg("%s (orientation %d) is not upright: corners %d,%d,%d / %d,%d,%d / "
			 "%d,%d,%d / %d,%d,%d", what, o, tl[0], tl[1], tl[2], tr[0], tr[1],
			 tr[2], bl[0], bl[1], bl[2], br[0], br[1], br[2]);
}

/* ---- PNG --------------------------------------------------------------- */

static void png_put(png_structp png, png_bytep data, png_size_t n)
{
	buf_put(png_get_io_ptr(png), data, n);
}

static void png_flush_nothing(png_structp png)
{
	(void)png;
}

struct png_spec {
	int w, h, color_type, depth, interlace;
	const uint8_t *icc;
	size_t icc_len;
	int with_text;        /* tEXt, zTXt, iTXt and eXIf carrying PV-GEHEIM */
	int header_only;      /* stop after IHDR (a forged size) */
};

/* One sample of the picture for a PNG colour type, scaled to `depth`. */
static void png_sample(const struct picture *p, int x, int y, const struct png_spec *s,
		       uint8_t *row)
{
	const uint8_t *c = p->px + ((size_t)y * (size_t)p->w + (size_t)x) * 3;
	uint8_t v[4] = { c[0], c[1], c[2], (uint8_t)(x < p->w / 2 ? 255 : 0) };
	int n = 0;
	switch (s->color_type) {
	case PNG_COLOR_TYPE_GRAY: v[0] = c[1]; n = 1; break;
	case PNG_COLOR_TYPE_GRAY_ALPHA: v[0] = c[1]; v[1] = v[3]; n = 2; break;
	case PNG_COLOR_TYPE_RGB: n = 3; break;
	case PNG_COLOR_TYPE_RGB_ALPHA: n = 4; break;
	case PNG_COLOR_TYPE_PALETTE: row[x] = (uint8_t)(c[0] > 128) | (uint8_t)(c[2] > 128) << 1; return;
	}
	for (int i = 0; i < n; i++) {
		if (s->depth == 16) {
			row[(x * n + i) * 2] = v[i];
			row[(x * n + i) * 2 + 1] = (uint8_t)(v[i] ^ 0x5A);
		} else {
			row[x * n + i] = v[i];
		}
	}
}

static void png_text_chunks(png_structp png, png_infop info)
{
	png_text t[3];
	memset(t, 0, sizeof t);
	t[0].compression = PNG_TEXT_COMPRESSION_NONE;
	t[1].compression = PNG_TEXT_COMPRESSION_zTXt;
	t[2].compression = PNG_ITXT_COMPRESSION_NONE;
	for (int i = 0; i < 3; i++) {
		t[i].key = (png_charp)"Comment";
		t[i].text = (png_charp)"PV-GEHEIM Fenna woont op de Dorpsstraat 12";
	}
	png_set_text(png, info, t, 3);
	static png_byte exif[] = "MM\0*\0\0\0\bPV-GEHEIM";
	png_set_eXIf_1(png, info, sizeof exif, exif);
}

static void png_palette(png_structp png, png_infop info)
{
	png_color pal[4] = { { 0, 0, 0 }, { 255, 0, 0 }, { 0, 0, 255 }, { 255, 0, 255 } };
	png_set_PLTE(png, info, pal, 4);
}

static struct buf png_make(const struct png_spec *s, const struct picture *p)
{
	struct buf b = { 0 };
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png_create_info_struct(png);
	assert_int_equal(setjmp(png_jmpbuf(png)), 0);
	png_set_write_fn(png, &b, png_put, png_flush_nothing);
	png_set_IHDR(png, info, (png_uint_32)s->w, (png_uint_32)s->h, s->depth, s->color_type,
		     s->interlace, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	if (s->color_type == PNG_COLOR_TYPE_PALETTE)
		png_palette(png, info);
	if (s->icc)
		png_set_iCCP(png, info, "test profile", 0, s->icc, (png_uint_32)s->icc_len);
	if (s->with_text)
		png_text_chunks(png, info);
	png_write_info(png, info);
	if (!s->header_only) {
		size_t rowlen = png_get_rowbytes(png, info);
		uint8_t *row = calloc(1, rowlen);
		int passes = png_set_interlace_handling(png);
		for (int pass = 0; pass < passes; pass++)
			for (int y = 0; y < s->h; y++) {
				for (int x = 0; x < s->w; x++)
					png_sample(p, x, y, s, row);
				png_write_row(png, row);
			}
		free(row);
		png_write_end(png, info);
	}
	png_destroy_write_struct(&png, &info);
	return b;
}

/* A small but well-formed ICC profile (header and one tag) of `len` bytes. */
static uint8_t *make_icc(size_t len, const char *space)
{
	uint8_t *p = calloc(1, len);
	assert_non_null(p);
	p[0] = (uint8_t)(len >> 24); p[1] = (uint8_t)(len >> 16);
	p[2] = (uint8_t)(len >> 8); p[3] = (uint8_t)len;
	p[8] = 2; p[9] = 0x10;                           /* version 2.1 */
	memcpy(p + 12, "mntr", 4);
	memcpy(p + 16, space, 4);
	memcpy(p + 20, "XYZ ", 4);
	memcpy(p + 36, "acsp", 4);
	static const uint8_t d50[12] = { 0, 0, 0xF6, 0xD6, 0, 1, 0, 0, 0, 0, 0xD3, 0x2D };
	memcpy(p + 68, d50, 12);
	p[131] = 1;                                       /* one tag: */
	memcpy(p + 132, "desc", 4);
	p[139] = 144;                                     /* offset 144 */
	size_t tag = len - 144;
	p[140] = (uint8_t)(tag >> 24); p[141] = (uint8_t)(tag >> 16);
	p[142] = (uint8_t)(tag >> 8); p[143] = (uint8_t)tag;
	memcpy(p + 144, "desc", 4);
	for (size_t i = 160; i < len; i++)
		p[i] = (uint8_t)(i * 7);
	return p;
}

/* The ICC profile of a JPEG, reassembled from its APP2 chunks (malloc'd). */
static uint8_t *jpeg_icc(const uint8_t *j, size_t n, size_t *len, int *chunks)
{
	struct pv_jpeg_layout l;
	assert_int_equal(pv_jpeg_parse(j, n, &l, NULL), 0);
	struct buf b = { 0 };
	*chunks = 0;
	for (size_t i = 0; i < l.count; i++) {
		const struct pv_jpeg_segment *s = &l.segs[i];
		if (s->kind != PV_SEG_ICC)
			continue;
		assert_int_equal(j[s->payload + 12], ++*chunks);   /* in order */
		buf_put(&b, j + s->payload + 14, s->payload_len - 14);
	}
	for (size_t i = 0; i < l.count; i++)
		if (l.segs[i].kind == PV_SEG_ICC)
			assert_int_equal(j[l.segs[i].payload + 13], *chunks);
	pv_jpeg_layout_free(&l);
	*len = b.len;
	return b.p;
}

/* ---- sniffing and the pixel limit -------------------------------------- */

static void expect_sniff(const void *d, size_t n, enum pv_image_format f)
{
	enum pv_image_format got = pv_image_sniff(d, n);
	if (got != f)
		fail_msg("sniffed %s, expected %s", pv_image_format_describe(got),
			 pv_image_format_describe(f));
}

static void sniff_recognises_every_format(void **state)
{
	(void)state;
	expect_sniff("\xFF\xD8\xFF\xE0\0\x10JFIF", 10, PV_IMAGE_JPEG);
	expect_sniff("\x89PNG\r\n\x1A\n\0\0\0\rIHDR", 16, PV_IMAGE_PNG);
	expect_sniff("\0\0\0\x18" "ftypheic\0\0\0\0mif1heic", 24, PV_IMAGE_HEIF);
	expect_sniff("\0\0\0\x18" "ftypmif1\0\0\0\0mif1heic", 24, PV_IMAGE_HEIF);
	expect_sniff("\0\0\0\x1C" "ftypavif\0\0\0\0avifmif1miaf", 28, PV_IMAGE_HEIF);
	/* an image brand only among the compatible brands */
	expect_sniff("\0\0\0\x18" "ftypisom\0\0\0\0isommif1", 24, PV_IMAGE_HEIF);
	expect_sniff("\0\0\0\x14" "ftypqt  \0\0\0\0qt  ", 20, PV_IMAGE_VIDEO);
	expect_sniff("\0\0\0\x18" "ftypmp42\0\0\0\0isommp42", 24, PV_IMAGE_VIDEO);
	/* a brand beyond the box's own size does not count */
	expect_sniff("\0\0\0\x10" "ftypmp42\0\0\0\0mif1", 20, PV_IMAGE_VIDEO);
	expect_sniff("\0\0\0\x08wide\0\0\0\0mdat", 16, PV_IMAGE_VIDEO);
	expect_sniff("GIF89a\x01\0\x01\0", 10, PV_IMAGE_GIF);
	expect_sniff("GIF87a\x01\0\x01\0", 10, PV_IMAGE_GIF);
	expect_sniff("RIFF\x24\0\0\0WEBPVP8 ", 16, PV_IMAGE_WEBP);
	expect_sniff("RIFF\x24\0\0\0WAVEfmt ", 16, PV_IMAGE_UNKNOWN);
	expect_sniff("II*\0\x08\0\0\0", 8, PV_IMAGE_TIFF);
	expect_sniff("MM\0*\0\0\0\x08", 8, PV_IMAGE_TIFF);
	expect_sniff("BM\x36\0\0\0\0\0\0\0\x36\0\0\0\x28\0\0\0", 18, PV_IMAGE_BMP);
	expect_sniff("%PDF-1.7\n", 9, PV_IMAGE_PDF);
	expect_sniff("PK\x03\x04\x14\0", 6, PV_IMAGE_ZIP);
	expect_sniff("PK\x05\x06\0\0", 6, PV_IMAGE_ZIP);
	const char *nl = "Titel: De klik\nOnderschrift: Hier voelde ik me gehoord \xC3\xA9\n";
	expect_sniff(nl, strlen(nl), PV_IMAGE_TEXT);
	expect_sniff("BMW rijdt hard", 14, PV_IMAGE_TEXT);           /* not a BMP */
	expect_sniff("\xFF\xFET\0i\0t\0", 8, PV_IMAGE_TEXT);          /* UTF-16 */
	expect_sniff("", 0, PV_IMAGE_UNKNOWN);
	expect_sniff(NULL, 0, PV_IMAGE_UNKNOWN);
	expect_sniff("\0\0\0\0\0\0\0\0", 8, PV_IMAGE_UNKNOWN);
	expect_sniff("\x01\x02\x03\xC3\x28\xFE", 6, PV_IMAGE_UNKNOWN);
	expect_sniff("\xFF\xD8", 2, PV_IMAGE_UNKNOWN);                /* too short */
	expect_sniff("abc\xC3", 4, PV_IMAGE_UNKNOWN);                 /* cut UTF-8 */
}

static void sniff_text_cut_inside_a_character_at_the_sniff_limit(void **state)
{
	(void)state;
	/* 4095 ASCII bytes and then a two-byte character across byte 4096 */
	char *t = malloc(5000);
	memset(t, 'a', 5000);
	t[4095] = '\xC3';
	t[4096] = '\xA9';
	expect_sniff(t, 5000, PV_IMAGE_TEXT);
	free(t);
}

static void format_descriptions_are_distinct_sentences(void **state)
{
	(void)state;
	for (int a = PV_IMAGE_UNKNOWN; a <= PV_IMAGE_TEXT; a++) {
		const char *s = pv_image_format_describe((enum pv_image_format)a);
		assert_true(strncmp(s, "a ", 2) == 0 || strncmp(s, "an ", 3) == 0);
		for (int b = a + 1; b <= PV_IMAGE_TEXT; b++)
			assert_string_not_equal(s, pv_image_format_describe((enum pv_image_format)b));
	}
	assert_non_null(strstr(pv_image_format_describe(PV_IMAGE_PDF), "PDF"));
}

static void check_size_at_and_over_the_limit(void **state)
{
	(void)state;
	struct pv_err err = {0};
	assert_int_equal(pv_image_check_size(20000, 10000, &err), 0);
	assert_int_equal(PV_MAX_PIXELS, 20000u * 10000u);
	assert_int_equal(pv_image_check_size(20000, 10001, &err), -1);
	assert_non_null(strstr(err.msg, "20000 x 10001"));
	assert_int_equal(pv_image_check_size(PV_MAX_PIXELS, 1, &err), 0);
	assert_int_equal(pv_image_check_size(PV_MAX_PIXELS + 1, 1, &err), -1);
	assert_int_equal(pv_image_check_size(65535, 65535, &err), -1);
	assert_non_null(strstr(err.msg, "65535 x 65535"));
	assert_int_equal(pv_image_check_size(0, 100, &err), -1);
	assert_int_equal(pv_image_check_size(100, 0, &err), -1);
	assert_int_equal(pv_image_check_size(1, 1, &err), 0);
	/* a product that would overflow 64 bits */
	assert_int_equal(pv_image_check_size(UINT64_MAX, UINT64_MAX, &err), -1);
	assert_int_equal(pv_image_check_size(1ull << 32, 1ull << 32, NULL), -1);
}

/* ---- PNG intake -------------------------------------------------------- */

struct intake {
	uint8_t *jpeg;
	size_t len;
	struct decoded d;
};

static struct intake intake_ok(const struct buf *in)
{
	struct intake r = { 0 };
	struct pv_err err = {0};
	if (pv_image_to_jpeg(in->p, in->len, &r.jpeg, &r.len, &err) != 0)
		fail_msg("to_jpeg failed: %s", err);
	assert_int_equal(pv_image_sniff(r.jpeg, r.len), PV_IMAGE_JPEG);
	if (pv_jpeg_check_clean(r.jpeg, r.len, &err) != 0)
		fail_msg("output not clean: %s", err);
	r.d = jpeg_decode(r.jpeg, r.len);
	return r;
}

static void intake_free(struct intake *r)
{
	free(r->jpeg);
	free(r->d.px);
}

static void png_colour_types_come_out_as_jpeg(void **state)
{
	(void)state;
	static const struct { int type, depth, interlace, grey; } kinds[] = {
		{ PNG_COLOR_TYPE_RGB, 8, PNG_INTERLACE_NONE, 0 },
		{ PNG_COLOR_TYPE_RGB, 16, PNG_INTERLACE_NONE, 0 },
		{ PNG_COLOR_TYPE_RGB_ALPHA, 8, PNG_INTERLACE_NONE, 0 },
		{ PNG_COLOR_TYPE_RGB_ALPHA, 16, PNG_INTERLACE_ADAM7, 0 },
		{ PNG_COLOR_TYPE_GRAY, 8, PNG_INTERLACE_NONE, 1 },
		{ PNG_COLOR_TYPE_GRAY, 16, PNG_INTERLACE_NONE, 1 },
		{ PNG_COLOR_TYPE_GRAY_ALPHA, 8, PNG_INTERLACE_NONE, 1 },
		{ PNG_COLOR_TYPE_PALETTE, 8, PNG_INTERLACE_NONE, 0 },
		{ PNG_COLOR_TYPE_RGB, 8, PNG_INTERLACE_ADAM7, 0 },
	};
	struct picture p = make_picture(96, 64, 1);
	for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
		struct png_spec s = { .w = 96, .h = 64, .color_type = kinds[k].type,
				      .depth = kinds[k].depth, .interlace = kinds[k].interlace };
		struct buf png = png_make(&s, &p);
		struct intake r = intake_ok(&png);
		assert_int_equal(r.d.w, 96);
		assert_int_equal(r.d.h, 64);
		assert_int_equal(r.d.colorspace, kinds[k].grey ? TJCS_GRAY : TJCS_YCbCr);
		assert_int_equal(r.d.subsamp, kinds[k].grey ? TJSAMP_GRAY : TJSAMP_420);
		const uint8_t *tl = pixel_at(&r.d, 4, 4), *tr = pixel_at(&r.d, 91, 4);
		static const uint8_t WHITE[3] = { 255, 255, 255 }, GREY0[3] = { 0, 0, 0 };
		switch (kinds[k].type) {
		case PNG_COLOR_TYPE_RGB:
			assert_true(near_colour(tl, RED, 30));
			assert_true(near_colour(tr, GREEN, 30));
			break;
		case PNG_COLOR_TYPE_RGB_ALPHA:   /* right half transparent: white */
			assert_true(near_colour(tl, RED, 30));
			assert_true(near_colour(tr, WHITE, 8));
			break;
		case PNG_COLOR_TYPE_GRAY:        /* the green channel as grey */
			assert_true(near_colour(tl, GREY0, 8));
			assert_true(abs(tr[0] - 200) < 8);
			break;
		case PNG_COLOR_TYPE_GRAY_ALPHA:
			assert_true(near_colour(tl, GREY0, 8));
			assert_true(near_colour(tr, WHITE, 8));
			break;
		case PNG_COLOR_TYPE_PALETTE:     /* red top left -> index 1 -> red */
			assert_true(near_colour(tl, RED, 30));
			break;
		}
		intake_free(&r);
		free(png.p);
	}
	free(p.px);
}

static void png_text_never_travels_and_icc_does(void **state)
{
	(void)state;
	struct picture p = make_picture(64, 48, 2);
	uint8_t *icc = make_icc(3000, "RGB ");
	struct png_spec s = { .w = 64, .h = 48, .color_type = PNG_COLOR_TYPE_RGB, .depth = 8,
			      .icc = icc, .icc_len = 3000, .with_text = 1 };
	struct buf png = png_make(&s, &p);
	assert_true(has_bytes(png.p, png.len, "PV-GEHEIM"));   /* planted */
	struct intake r = intake_ok(&png);
	assert_false(has_bytes(r.jpeg, r.len, "PV-GEHEIM"));
	assert_false(has_bytes(r.jpeg, r.len, "Dorpsstraat"));
	assert_false(has_bytes(r.jpeg, r.len, "Exif"));
	size_t len;
	int chunks;
	uint8_t *got = jpeg_icc(r.jpeg, r.len, &len, &chunks);
	assert_int_equal(chunks, 1);
	assert_int_equal(len, 3000);
	assert_memory_equal(got, icc, 3000);
	free(got);
	intake_free(&r);
	free(png.p);
	free(icc);
	free(p.px);
}

static void large_icc_profile_is_split_over_app2_chunks(void **state)
{
	(void)state;
	struct picture p = make_picture(32, 32, 3);
	size_t n = 150000;   /* three chunks of at most 65519 bytes */
	uint8_t *icc = make_icc(n, "GRAY");
	struct png_spec s = { .w = 32, .h = 32, .color_type = PNG_COLOR_TYPE_GRAY, .depth = 8,
			      .icc = icc, .icc_len = n };
	struct buf png = png_make(&s, &p);
	struct intake r = intake_ok(&png);
	size_t len;
	int chunks;
	uint8_t *got = jpeg_icc(r.jpeg, r.len, &len, &chunks);
	assert_int_equal(chunks, 3);
	assert_int_equal(len, n);
	assert_memory_equal(got, icc, n);
	free(got);
	intake_free(&r);
	free(png.p);
	free(icc);
	free(p.px);
}

static void png_without_profile_gets_no_icc(void **state)
{
	(void)state;
	struct picture p = make_picture(32, 32, 4);
	struct png_spec s = { .w = 32, .h = 32, .color_type = PNG_COLOR_TYPE_RGB, .depth = 8 };
	struct buf png = png_make(&s, &p);
	struct intake r = intake_ok(&png);
	assert_false(has_bytes(r.jpeg, r.len, "ICC_PROFILE"));
	intake_free(&r);
	free(png.p);
	free(p.px);
}

static void expect_intake_error(const void *d, size_t n, const char *in_message)
{
	uint8_t *out = (uint8_t *)"untouched";
	size_t len = 7;
	struct pv_err err = {0};
	assert_int_equal(pv_image_to_jpeg(d, n, &out, &len, &err), -1);
	assert_null(out);
	assert_int_equal(len, 0);
	assert_true(strlen(err.msg) > 10);
	assert_null(strchr(err.msg, '\n'));
	if (in_message && !strstr(err.msg, in_message))
		fail_msg("message \"%s\" does not say \"%s\"", err, in_message);
}

static void truncated_and_damaged_png_are_refused(void **state)
{
	(void)state;
	struct picture p = make_picture(200, 150, 5);
	struct png_spec s = { .w = 200, .h = 150, .color_type = PNG_COLOR_TYPE_RGB_ALPHA,
			      .depth = 8 };
	struct buf png = png_make(&s, &p);
	/* cut: inside the signature, IHDR, the first IDAT, the middle, before IEND */
	size_t cuts[] = { 8, 20, 40, 60, png.len / 2, png.len - 30 };
	for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++)
		expect_intake_error(png.p, cuts[i], cuts[i] < 8 ? NULL : "PNG");
	/* flipped bytes in the middle of the compressed data */
	struct buf bad = { 0 };
	buf_put(&bad, png.p, png.len);
	for (size_t i = png.len / 2; i < png.len / 2 + 16; i++)
		bad.p[i] ^= 0xA5;
	expect_intake_error(bad.p, bad.len, "PNG");
	free(bad.p);
	free(png.p);
	free(p.px);
}

static void png_declaring_65535_square_is_refused_before_decoding(void **state)
{
	(void)state;
	struct picture p = make_picture(8, 8, 6);
	struct png_spec s = { .w = 65535, .h = 65535, .color_type = PNG_COLOR_TYPE_RGB_ALPHA,
			      .depth = 16, .header_only = 1 };
	struct buf png = png_make(&s, &p);
	/* some data after IHDR, as a bomb would have */
	buf_put(&png, "\0\0\0\x04IDATxxxx\0\0\0\0", 16);
	expect_intake_error(png.p, png.len, "65535 x 65535");
	free(png.p);
	free(p.px);
}

static void other_formats_are_not_converted(void **state)
{
	(void)state;
	struct picture p = make_picture(16, 16, 7);
	struct buf j = jpeg_of(p, 90);
	expect_intake_error(j.p, j.len, "JPEG");
	expect_intake_error("%PDF-1.4\n", 9, "PDF");
	expect_intake_error("", 0, NULL);
	free(j.p);
	free(p.px);
}

/* ---- HEIC intake ------------------------------------------------------- */

static struct heif_error heif_put(struct heif_context *ctx, const void *data, size_t n,
				  void *userdata)
{
	(void)ctx;
	buf_put(userdata, data, n);
	struct heif_error ok = { heif_error_Ok, heif_suberror_Unspecified, "" };
	return ok;
}

/* The encoded bytes, passed through a temporary file. Under `make valgrind`
 * the HEVC encoder's (x265's) assembly leaves its output marked as
 * uninitialised, and libde265 would then be blamed for reading it; bytes
 * read back from a file are what any drop folder would give photovoice.
 * tests/valgrind.supp lets this function, and only it, write them. */
static void through_a_file(struct buf *b)
{
	FILE *f = tmpfile();
	assert_non_null(f);
	assert_int_equal(fwrite(b->p, 1, b->len, f), b->len);
	rewind(f);
	assert_int_equal(fread(b->p, 1, b->len, f), b->len);
	fclose(f);
}

/* A HEIC of the picture stored for orientation o, which libheif records as
 * irot/imir boxes; with an ICC profile when icc is given; with `alpha`, the
 * right half transparent. */
static int heic_make(const struct picture *p, int o, const uint8_t *icc, size_t icc_len,
		     int alpha, struct buf *out)
{
	if (!heif_have_encoder_for_format(heif_compression_HEVC))
		return -1;
	struct heif_context *ctx = heif_context_alloc();
	struct heif_encoder *enc = NULL;
	assert_int_equal(heif_context_get_encoder_for_format(ctx, heif_compression_HEVC,
							     &enc).code, heif_error_Ok);
	heif_encoder_set_lossy_quality(enc, 90);
	struct heif_image *img = NULL;
	int ch = alpha ? 4 : 3;
	assert_int_equal(heif_image_create(p->w, p->h, heif_colorspace_RGB, alpha ?
					   heif_chroma_interleaved_RGBA : heif_chroma_interleaved_RGB,
					   &img).code, 0);
	assert_int_equal(heif_image_add_plane(img, heif_channel_interleaved, p->w, p->h, 8).code, 0);
	int stride;
	uint8_t *plane = heif_image_get_plane(img, heif_channel_interleaved, &stride);
	for (int y = 0; y < p->h; y++)
		for (int x = 0; x < p->w; x++) {
			uint8_t *d = plane + (size_t)y * (size_t)stride + (size_t)x * (size_t)ch;
			memcpy(d, p->px + ((size_t)y * (size_t)p->w + (size_t)x) * 3, 3);
			if (alpha)
				d[3] = x < p->w / 2 ? 255 : 0;
		}
	if (icc)
		heif_image_set_raw_color_profile(img, "prof", icc, icc_len);
	struct heif_encoding_options *opt = heif_encoding_options_alloc();
	opt->image_orientation = (enum heif_orientation)o;
	assert_int_equal(heif_context_encode_image(ctx, img, enc, opt, NULL).code, 0);
	struct heif_writer w = { .writer_api_version = 1, .write = heif_put };
	assert_int_equal(heif_context_write(ctx, &w, out).code, 0);
	through_a_file(out);
	heif_encoding_options_free(opt);
	heif_image_release(img);
	heif_encoder_release(enc);
	heif_context_free(ctx);
	return 0;
}

static void heic_made_here_comes_out_upright_with_its_profile(void **state)
{
	(void)state;
	uint8_t *icc = make_icc(2000, "RGB ");
	for (int o = 1; o <= 8; o++) {
		struct picture up = make_picture(128, 96, 8);
		struct picture st = stored_for(up, o);
		struct buf heic = { 0 };
		if (heic_make(&st, o, o == 6 ? icc : NULL, 2000, 0, &heic) != 0) {
			free(st.px);
			free(icc);
			skip();   /* no HEVC encoder on this machine */
		}
		assert_int_equal(pv_image_sniff(heic.p, heic.len), PV_IMAGE_HEIF);
		struct intake r = intake_ok(&heic);
		assert_int_equal(r.d.w, 128);
		assert_int_equal(r.d.h, 96);
		assert_upright(&r.d, "HEIC intake", o);
		size_t len;
		int chunks;
		uint8_t *got = jpeg_icc(r.jpeg, r.len, &len, &chunks);
		if (o == 6) {
			assert_int_equal(len, 2000);
			assert_memory_equal(got, icc, 2000);
		} else {
			assert_int_equal(chunks, 0);
		}
		free(got);
		intake_free(&r);
		free(heic.p);
		free(st.px);
	}
	free(icc);
}

static void heic_with_transparency_comes_out_on_white(void **state)
{
	(void)state;
	struct picture p = make_picture(96, 64, 19);
	struct buf heic = { 0 };
	if (heic_make(&p, 1, NULL, 0, 1, &heic) != 0) {
		free(p.px);
		skip();
	}
	struct intake r = intake_ok(&heic);
	static const uint8_t WHITE[3] = { 255, 255, 255 };
	assert_true(near_colour(pixel_at(&r.d, 4, 4), RED, 40));
	assert_true(near_colour(pixel_at(&r.d, 91, 4), WHITE, 12));
	assert_true(near_colour(pixel_at(&r.d, 70, 40), WHITE, 12));
	intake_free(&r);
	free(heic.p);
	free(p.px);
}

/* The HEIC's image item says 'vvc1' instead of 'hvc1': a codec that libheif
 * has no decoder for here, as a HEIC is on a machine without libde265 (which
 * cannot be uninstalled for a test). */
static void heic_without_a_decoder_says_so(void **state)
{
	(void)state;
	struct picture p = make_picture(64, 64, 9);
	struct buf heic = { 0 };
	if (heic_make(&p, 1, NULL, 0, 0, &heic) != 0) {
		free(p.px);
		skip();
	}
	int patched = 0;
	for (size_t i = 0; i + 4 <= heic.len; i++)
		if (memcmp(heic.p + i, "hvc1", 4) == 0) {
			memcpy(heic.p + i, "vvc1", 4);
			patched++;
		}
	assert_true(patched > 0);
	expect_intake_error(heic.p, heic.len, "cannot be decoded on this machine");
	free(heic.p);
	free(p.px);
}

static void truncated_heic_is_refused(void **state)
{
	(void)state;
	struct picture p = make_picture(64, 64, 10);
	struct buf heic = { 0 };
	if (heic_make(&p, 1, NULL, 0, 0, &heic) != 0) {
		free(p.px);
		skip();
	}
	size_t cuts[] = { 12, 40, heic.len / 3, heic.len - 10 };
	for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++)
		expect_intake_error(heic.p, cuts[i], "HEIC");
	free(heic.p);
	free(p.px);
}

static void heif_from_the_corpus(void **state)
{
	(void)state;
	char path[4096];
	snprintf(path, sizeof path, "%s/../shared/corpus/heic/samplefilehub.heif",
		 pv_test_root());
	struct buf in = { 0 };
	struct pv_err err = {0};
	if (access(path, R_OK) != 0)
		skip();
	assert_int_equal(pv_read_file(path, PV_MAX_FILE_BYTES, &in.p, &in.len, &err), 0);
	assert_int_equal(pv_image_sniff(in.p, in.len), PV_IMAGE_HEIF);
	struct heif_context *ctx = heif_context_alloc();
	struct heif_image_handle *h;
	assert_int_equal(heif_context_read_from_memory_without_copy(ctx, in.p, in.len,
								    NULL).code, 0);
	assert_int_equal(heif_context_get_primary_image_handle(ctx, &h).code, 0);
	struct intake r = intake_ok(&in);
	assert_int_equal(r.d.w, heif_image_handle_get_width(h));
	assert_int_equal(r.d.h, heif_image_handle_get_height(h));
	print_message("# corpus HEIF %dx%d -> %zu bytes of JPEG\n", r.d.w, r.d.h, r.len);
	heif_image_handle_release(h);
	heif_context_free(ctx);
	intake_free(&r);
	free(in.p);
}

/* ---- derivatives ------------------------------------------------------- */

static struct pv_derivatives derive_ok(const struct buf *j, int o)
{
	struct pv_derivatives d;
	struct pv_err err = {0};
	if (pv_image_derivatives(j->p, j->len, o, &d, &err) != 0)
		fail_msg("derivatives failed: %s", err);
	assert_non_null(d.thumb);
	assert_non_null(d.preview);
	return d;
}

static void assert_size(const uint8_t *j, size_t n, int w, int h)
{
	struct decoded d = jpeg_decode(j, n);
	if (d.w != w || d.h != h)
		fail_msg("size %dx%d, expected %dx%d", d.w, d.h, w, h);
	free(d.px);
}

static void scale_choice_is_the_smallest_above_the_preview(void **state)
{
	(void)state;
	int num, den;
	pv_image_decode_scale(4000, 3000, &num, &den);
	assert_int_equal(num * 2, den);                       /* 1/2: 2000 x 1500 */
	pv_image_decode_scale(3000, 4000, &num, &den);
	assert_int_equal(num * 2, den);
	pv_image_decode_scale(1600, 1200, &num, &den);
	assert_int_equal(num, den);
	pv_image_decode_scale(800, 600, &num, &den);
	assert_int_equal(num, den);
	pv_image_decode_scale(12800, 100, &num, &den);
	assert_int_equal(num * 8, den);                       /* exactly 1600 */
	/* in general: the scaled long edge reaches 1600, and no smaller factor
	 * libjpeg-turbo offers does */
	int n;
	tjscalingfactor *sf = tjGetScalingFactors(&n);
	for (int edge = 1000; edge <= 20000; edge += 137) {
		pv_image_decode_scale(edge, edge / 2, &num, &den);
		tjscalingfactor got = { num, den };
		assert_true(num <= den);
		if (edge >= PV_PREVIEW_EDGE)
			assert_true(TJSCALED(edge, got) >= PV_PREVIEW_EDGE);
		for (int i = 0; i < n; i++)
			if (sf[i].num * den < num * sf[i].denom)
				assert_true(TJSCALED(edge, sf[i]) < PV_PREVIEW_EDGE);
	}
}

static void derivative_sizes_keep_the_aspect_ratio(void **state)
{
	(void)state;
	static const struct { int w, h, pw, ph, tw, th; } cases[] = {
		{ 4000, 3000, 1600, 1200, 320, 240 },
		{ 3000, 4000, 1200, 1600, 240, 320 },
		{ 2000, 1000, 1600, 800, 320, 160 },
		{ 800, 600, 800, 600, 320, 240 },      /* smaller than the preview */
		{ 200, 120, 200, 120, 200, 120 },      /* smaller than the thumbnail */
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct picture p = make_picture(cases[i].w, cases[i].h, 11);
		struct buf j = jpeg_of(p, 85);
		struct pv_derivatives d = derive_ok(&j, 1);
		assert_int_equal(d.width, cases[i].w);
		assert_int_equal(d.height, cases[i].h);
		assert_size(d.preview, d.preview_len, cases[i].pw, cases[i].ph);
		assert_size(d.thumb, d.thumb_len, cases[i].tw, cases[i].th);
		struct decoded pv = jpeg_decode(d.preview, d.preview_len);
		assert_upright(&pv, "preview", 1);
		free(pv.px);
		assert_false(has_bytes(d.preview, d.preview_len, "Exif"));
		assert_false(has_bytes(d.thumb, d.thumb_len, "ICC_PROFILE"));
		pv_derivatives_free(&d);
		free(j.p);
		free(p.px);
	}
}

static void derivatives_are_upright_for_every_orientation(void **state)
{
	(void)state;
	for (int o = 1; o <= 8; o++) {
		struct picture st = stored_for(make_picture(1900, 1000, 12), o);
		struct buf j = jpeg_of(st, 90);
		struct pv_derivatives d = derive_ok(&j, o);
		assert_int_equal(d.width, 1900);
		assert_int_equal(d.height, 1000);
		struct decoded pv = jpeg_decode(d.preview, d.preview_len);
		struct decoded th = jpeg_decode(d.thumb, d.thumb_len);
		assert_int_equal(pv.w, 1600);
		assert_int_equal(pv.h, 842);
		assert_int_equal(th.w, 320);
		assert_int_equal(th.h, 168);
		assert_upright(&pv, "preview", o);
		assert_upright(&th, "thumbnail", o);
		free(pv.px);
		free(th.px);
		pv_derivatives_free(&d);
		free(j.p);
		free(st.px);
	}
}

static void greyscale_photo_gives_greyscale_derivatives(void **state)
{
	(void)state;
	struct picture p = make_picture(2400, 1800, 13);
	uint8_t *grey = malloc(2400 * 1800);
	for (size_t i = 0; i < 2400 * 1800; i++)
		grey[i] = p.px[i * 3 + 1];
	struct buf j = jpeg_encode(grey, 2400, 1800, TJPF_GRAY, TJSAMP_GRAY, 90);
	struct pv_derivatives d = derive_ok(&j, 1);
	struct decoded pv = jpeg_decode(d.preview, d.preview_len);
	struct decoded th = jpeg_decode(d.thumb, d.thumb_len);
	assert_int_equal(pv.colorspace, TJCS_GRAY);
	assert_int_equal(th.colorspace, TJCS_GRAY);
	assert_int_equal(pv.w, 1600);
	assert_int_equal(th.h, 240);
	/* top left patch: red has no green: black */
	assert_true(pixel_at(&pv, 20, 20)[0] < 20);
	assert_true(abs(pixel_at(&pv, 1580, 20)[0] - 200) < 20);
	free(pv.px);
	free(th.px);
	pv_derivatives_free(&d);
	free(j.p);
	free(grey);
	free(p.px);
}

/* Photoshop's CMYK JPEGs store ink inverted and carry an Adobe segment (as
 * TurboJPEG writes for CMYK); colours must come out as they were. */
static void cmyk_photo_gives_rgb_derivatives(void **state)
{
	(void)state;
	struct picture p = make_picture(1000, 700, 14);
	uint8_t *cmyk = malloc(1000 * 700 * 4);
	for (size_t i = 0; i < 1000 * 700; i++) {
		const uint8_t *c = p.px + i * 3;
		int k = 255 - (c[0] > c[1] ? (c[0] > c[2] ? c[0] : c[2]) : (c[1] > c[2] ? c[1] : c[2]));
		for (int ch = 0; ch < 3; ch++) {
			int ink = k == 255 ? 0 : (255 - c[ch] - k) * 255 / (255 - k);
			cmyk[i * 4 + ch] = (uint8_t)(255 - ink);
		}
		cmyk[i * 4 + 3] = (uint8_t)(255 - k);
	}
	struct buf j = jpeg_encode(cmyk, 1000, 700, TJPF_CMYK, TJSAMP_444, 95);
	struct decoded probe = { 0 };
	tjhandle tj = tjInitDecompress();
	assert_int_equal(tjDecompressHeader3(tj, j.p, (unsigned long)j.len, &probe.w, &probe.h,
					     &probe.subsamp, &probe.colorspace), 0);
	tjDestroy(tj);
	assert_int_equal(probe.colorspace, TJCS_YCCK);
	struct pv_derivatives d = derive_ok(&j, 1);
	struct decoded pv = jpeg_decode(d.preview, d.preview_len);
	assert_int_equal(pv.colorspace, TJCS_YCbCr);
	assert_upright(&pv, "CMYK preview", 1);
	/* the poster's copy: the same colours, full size, as RGB */
	uint8_t *print = NULL;
	size_t print_len = 0;
	struct pv_err err = {0};
	assert_int_equal(pv_image_print_jpeg(j.p, j.len, &print, &print_len, &err), 0);
	assert_non_null(print);
	struct decoded pr = jpeg_decode(print, print_len);
	assert_int_equal(pr.colorspace, TJCS_YCbCr);
	assert_int_equal(pr.w, 1000);
	assert_int_equal(pr.h, 700);
	assert_upright(&pr, "CMYK poster copy", 1);
	free(pr.px);
	free(print);
	free(pv.px);
	pv_derivatives_free(&d);
	free(j.p);
	free(cmyk);
	free(p.px);
}

/* An RGB or grey photo goes on the poster as it is stored: no copy. */
static void print_jpeg_only_for_cmyk(void **state)
{
	(void)state;
	struct picture p = make_picture(320, 240, 3);
	struct buf j = jpeg_encode(p.px, 320, 240, TJPF_RGB, TJSAMP_420, 90);
	uint8_t *print = (uint8_t *)"x";
	size_t print_len = 1;
	struct pv_err err = {0};
	assert_int_equal(pv_image_print_jpeg(j.p, j.len, &print, &print_len, &err), 0);
	assert_null(print);
	assert_int_equal(print_len, 0);
	assert_int_equal(pv_image_print_jpeg("not a jpeg", 10, &print, &print_len, &err), -1);
	assert_non_null(strstr(err.msg, "JPEG"));
	free(j.p);
	free(p.px);
}

static void expect_derive_error(const void *j, size_t n, const char *in_message)
{
	struct pv_derivatives d;
	struct pv_err err = {0};
	assert_int_equal(pv_image_derivatives(j, n, 1, &d, &err), -1);
	assert_null(d.thumb);
	assert_null(d.preview);
	assert_true(strlen(err.msg) > 10);
	if (in_message && !strstr(err.msg, in_message))
		fail_msg("message \"%s\" does not say \"%s\"", err, in_message);
}

static void bad_jpeg_gives_an_error_not_a_crash(void **state)
{
	(void)state;
	struct picture p = make_picture(640, 480, 15);
	struct buf j = jpeg_of(p, 90);
	size_t cuts[] = { 2, 100, 600, j.len / 2, j.len - 2 };
	for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++)
		expect_derive_error(j.p, cuts[i], NULL);
	expect_derive_error("", 0, NULL);
	expect_derive_error("\xFF\xD8\xFF\xE0 garbage garbage garbage", 30, NULL);
	struct buf noise = { 0 };
	buf_put(&noise, j.p, 700);
	srand(3);
	for (int i = 0; i < 20000; i++) {
		uint8_t r = (uint8_t)rand();
		buf_put(&noise, &r, 1);
	}
	expect_derive_error(noise.p, noise.len, NULL);
	free(noise.p);
	free(j.p);
	free(p.px);
}

/* A JPEG whose SOF declares a huge size is refused from the header. */
static void expect_forged_size_refused(uint16_t side, const char *in_message)
{
	struct picture p = make_picture(64, 64, 16);
	struct buf j = jpeg_of(p, 90);
	int patched = 0;
	for (size_t i = 2; i + 9 < j.len && !patched; i++)
		if (j.p[i] == 0xFF && j.p[i + 1] == 0xC0) {
			uint8_t be[4] = { side >> 8, side & 0xFF, side >> 8, side & 0xFF };
			memcpy(j.p + i + 5, be, 4);
			patched = 1;
		}
	assert_true(patched);
	expect_derive_error(j.p, j.len, in_message);
	free(j.p);
	free(p.px);
}

static void jpeg_declaring_a_huge_size_is_refused(void **state)
{
	(void)state;
	expect_forged_size_refused(65500, "65500 x 65500");   /* libjpeg's largest */
	expect_forged_size_refused(65535, NULL);              /* libjpeg refuses it */
}

/* ---- colour ----------------------------------------------------------- */

/* An RGB profile whose red, green and blue are sRGB's green, blue and red,
 * padded with a private tag to `pad` bytes more: pixels stored under it must
 * be turned round to look right in sRGB. */
static uint8_t *rotated_primaries_profile(size_t pad, size_t *len)
{
	cmsCIExyY d65 = { 0.3127, 0.3290, 1.0 };
	cmsCIExyYTRIPLE prim = { { 0.30, 0.60, 1.0 }, { 0.15, 0.06, 1.0 }, { 0.64, 0.33, 1.0 } };
	cmsFloat64Number srgb_curve[5] = { 2.4, 1 / 1.055, 0.055 / 1.055, 1 / 12.92, 0.04045 };
	cmsToneCurve *c = cmsBuildParametricToneCurve(NULL, 4, srgb_curve);
	cmsToneCurve *curves[3] = { c, c, c };
	cmsHPROFILE h = cmsCreateRGBProfile(&d65, &prim, curves);
	cmsMLU *desc = cmsMLUalloc(NULL, 1);
	cmsMLUsetASCII(desc, "en", "US", "photovoice test: rotated primaries");
	cmsWriteTag(h, cmsSigProfileDescriptionTag, desc);
	uint8_t *filler = calloc(1, pad + 8);
	memcpy(filler, "zzzz", 4);
	if (pad)
		cmsWriteRawTag(h, (cmsTagSignature)0x70767a7a, filler, (cmsUInt32Number)pad + 8);
	cmsUInt32Number n = 0;
	assert_true(cmsSaveProfileToMem(h, NULL, &n));
	uint8_t *p = malloc(n);
	assert_true(cmsSaveProfileToMem(h, p, &n));
	*len = n;
	free(filler);
	cmsMLUfree(desc);
	cmsFreeToneCurve(c);
	cmsCloseProfile(h);
	return p;
}

/* The picture with channels stored as (G, B, R), under that profile, went
 * through PNG intake (which keeps the profile) to a stored JPEG. */
static struct buf jpeg_with_rotated_profile(int w, int h, size_t pad)
{
	struct picture p = make_picture(w, h, 17);
	for (size_t i = 0; i < (size_t)w * (size_t)h; i++) {
		uint8_t r = p.px[i * 3], g = p.px[i * 3 + 1], b = p.px[i * 3 + 2];
		p.px[i * 3] = g;
		p.px[i * 3 + 1] = b;
		p.px[i * 3 + 2] = r;
	}
	size_t icc_len;
	uint8_t *icc = rotated_primaries_profile(pad, &icc_len);
	struct png_spec s = { .w = w, .h = h, .color_type = PNG_COLOR_TYPE_RGB, .depth = 8,
			      .icc = icc, .icc_len = icc_len };
	struct buf png = png_make(&s, &p);
	struct intake r = intake_ok(&png);
	struct buf j = { r.jpeg, r.len };
	free(r.d.px);
	free(png.p);
	free(icc);
	free(p.px);
	return j;
}

static void derivatives_are_converted_to_srgb(void **state)
{
	(void)state;
	struct buf j = jpeg_with_rotated_profile(800, 600, 0);
	struct decoded stored = jpeg_decode(j.p, j.len);
	/* red stored as (G, B, R) = (0, 0, 255): blue when the profile is ignored */
	assert_true(near_colour(pixel_at(&stored, 10, 10), BLUE, 40));
	free(stored.px);
	struct pv_derivatives d = derive_ok(&j, 1);
	struct decoded pv = jpeg_decode(d.preview, d.preview_len);
	struct decoded th = jpeg_decode(d.thumb, d.thumb_len);
	assert_upright(&pv, "preview in sRGB", 1);
	assert_upright(&th, "thumbnail in sRGB", 1);
	free(pv.px);
	free(th.px);
	pv_derivatives_free(&d);
	free(j.p);
}

/* A profile over two APP2 chunks with one of them gone is no profile: the
 * derivatives are made from the pixels as stored, without a crash. */
static void broken_profile_chunks_are_ignored(void **state)
{
	(void)state;
	struct buf j = jpeg_with_rotated_profile(400, 300, 80000);
	struct pv_jpeg_layout l;
	assert_int_equal(pv_jpeg_parse(j.p, j.len, &l, NULL), 0);
	size_t cut_at = 0, cut_len = 0;
	int chunks = 0;
	for (size_t i = 0; i < l.count; i++)
		if (l.segs[i].kind == PV_SEG_ICC && ++chunks == 2) {
			cut_at = l.segs[i].start;
			cut_len = l.segs[i].len;
		}
	pv_jpeg_layout_free(&l);
	assert_int_equal(chunks, 2);
	memmove(j.p + cut_at, j.p + cut_at + cut_len, j.len - cut_at - cut_len);
	j.len -= cut_len;
	struct pv_derivatives d = derive_ok(&j, 1);
	struct decoded pv = jpeg_decode(d.preview, d.preview_len);
	/* stored (G, B, R) of red is (0, 0, 255): shown as stored, blue */
	assert_true(near_colour(pixel_at(&pv, 8, 8), BLUE, 40));
	free(pv.px);
	pv_derivatives_free(&d);
	free(j.p);
}

/* ---- threads ---------------------------------------------------------- */

/* Ingest makes derivatives and converts HEICs on several threads at once:
 * the same input must give the same bytes on every thread. */
struct parallel_job {
	const struct buf *jpeg, *heic;
	struct pv_derivatives d;
	uint8_t *intake;
	size_t intake_len;
	int rc;
};

static void *parallel_work(void *arg)
{
	struct parallel_job *j = arg;
	struct pv_err err = {0};
	j->rc = pv_image_derivatives(j->jpeg->p, j->jpeg->len, 6, &j->d, &err);
	if (j->heic->p)
		j->rc |= pv_image_to_jpeg(j->heic->p, j->heic->len, &j->intake, &j->intake_len,
					  &err);
	return NULL;
}

static void threads_give_the_same_results(void **state)
{
	(void)state;
	struct buf jpeg = jpeg_with_rotated_profile(1800, 1200, 0), heic = { 0 };
	struct picture p = make_picture(256, 192, 18);
	heic_make(&p, 1, NULL, 0, 0, &heic);   /* none without an encoder */
	enum { THREADS = 4 };
	struct parallel_job jobs[THREADS];
	pthread_t tid[THREADS];
	for (int i = 0; i < THREADS; i++) {
		jobs[i] = (struct parallel_job){ .jpeg = &jpeg, .heic = &heic };
		assert_int_equal(pthread_create(&tid[i], NULL, parallel_work, &jobs[i]), 0);
	}
	for (int i = 0; i < THREADS; i++)
		assert_int_equal(pthread_join(tid[i], NULL), 0);
	for (int i = 0; i < THREADS; i++) {
		assert_int_equal(jobs[i].rc, 0);
		assert_true(jobs[i].d.phash == jobs[0].d.phash);
		assert_int_equal(jobs[i].d.preview_len, jobs[0].d.preview_len);
		assert_memory_equal(jobs[i].d.preview, jobs[0].d.preview, jobs[0].d.preview_len);
		assert_int_equal(jobs[i].intake_len, jobs[0].intake_len);
		if (jobs[i].intake)
			assert_memory_equal(jobs[i].intake, jobs[0].intake, jobs[0].intake_len);
	}
	for (int i = 0; i < THREADS; i++) {
		pv_derivatives_free(&jobs[i].d);
		free(jobs[i].intake);
	}
	free(jpeg.p);
	free(heic.p);
	free(p.px);
}

/* ---- perceptual hash --------------------------------------------------- */

static uint64_t phash_of(const struct buf *j, int o)
{
	struct pv_derivatives d = derive_ok(j, o);
	uint64_t h = d.phash;
	pv_derivatives_free(&d);
	return h;
}

/* Downscale by an integer factor with a box filter (a different resizer
 * from the module's, like another program's would be). */
static struct picture shrink(const struct picture *p, int f)
{
	struct picture s = { malloc((size_t)(p->w / f) * (size_t)(p->h / f) * 3), p->w / f,
			     p->h / f };
	for (int y = 0; y < s.h; y++)
		for (int x = 0; x < s.w; x++)
			for (int c = 0; c < 3; c++) {
				int sum = 0;
				for (int dy = 0; dy < f; dy++)
					for (int dx = 0; dx < f; dx++)
						sum += p->px[((size_t)(y * f + dy) * p->w +
							      (size_t)(x * f + dx)) * 3 + c];
				s.px[((size_t)y * s.w + x) * 3 + c] = (uint8_t)(sum / (f * f));
			}
	return s;
}

static void phash_finds_copies_and_tells_photos_apart(void **state)
{
	(void)state;
	struct picture a = make_picture(2000, 1500, 21);
	struct buf ja = jpeg_of(a, 92);
	struct picture small = shrink(&a, 3);
	struct buf jcopy = jpeg_of(small, 55);               /* resized, recompressed */
	struct picture turned = stored_for(make_picture(2000, 1500, 21), 6);
	struct buf jturned = jpeg_of(turned, 80);            /* tagged, not baked */
	uint64_t ha = phash_of(&ja, 1), hc = phash_of(&jcopy, 1), ht = phash_of(&jturned, 6);
	print_message("# phash %016llx copy distance %d, turned copy %d\n",
		      (unsigned long long)ha, pv_phash_distance(ha, hc), pv_phash_distance(ha, ht));
	assert_true(pv_phash_distance(ha, hc) <= PV_PHASH_NEAR);
	assert_true(pv_phash_distance(ha, ht) <= PV_PHASH_NEAR);
	int closest = 64;
	for (unsigned seed = 30; seed < 36; seed++) {
		struct picture o = make_picture(2000, 1500, seed);
		struct buf jo = jpeg_of(o, 92);
		int dist = pv_phash_distance(ha, phash_of(&jo, 1));
		closest = dist < closest ? dist : closest;
		free(jo.p);
		free(o.px);
	}
	print_message("# closest different photo: %d bits\n", closest);
	assert_true(closest > 2 * PV_PHASH_NEAR);
	free(ja.p);
	free(jcopy.p);
	free(jturned.p);
	free(a.px);
	free(small.px);
	free(turned.px);
}

static void phash_text_round_trip_and_distance(void **state)
{
	(void)state;
	char hex[17];
	uint64_t h = 0x0123456789ABCDEFull, back = 0;
	pv_phash_hex(h, hex);
	assert_string_equal(hex, "0123456789abcdef");
	assert_int_equal(pv_phash_parse(hex, &back), 0);
	assert_true(back == h);
	assert_int_equal(pv_phash_parse("0123456789ABCDEF", &back), 0);
	assert_true(back == h);
	pv_phash_hex(0, hex);
	assert_string_equal(hex, "0000000000000000");
	assert_int_equal(pv_phash_parse("0123456789abcde", &back), -1);     /* short */
	assert_int_equal(pv_phash_parse("0123456789abcdef0", &back), -1);   /* long */
	assert_int_equal(pv_phash_parse("0123456789abcdeg", &back), -1);
	assert_int_equal(pv_phash_parse("", &back), -1);
	assert_int_equal(pv_phash_parse(NULL, &back), -1);
	assert_int_equal(pv_phash_distance(h, h), 0);
	assert_int_equal(pv_phash_distance(0, UINT64_MAX), 64);
	assert_int_equal(pv_phash_distance(0x5, 0x6), 2);
}

/* ---- the resize: SSE2 and plain C give the same bytes ------------------- */

static struct pv_pixels noise_pixels(int w, int h, int channels, uint32_t seed)
{
	struct pv_pixels p;
	assert_int_equal(pv_pixels_alloc(&p, w, h, channels), 0);
	for (size_t i = 0; i < (size_t)w * (size_t)h * (size_t)channels; i++) {
		seed = seed * 1664525u + 1013904223u;
		p.px[i] = (uint8_t)(seed >> 24);
	}
	return p;
}

static struct pv_pixels resized(const struct pv_pixels *src, int w, int h, int plain)
{
	struct pv_pixels out;
	if (plain)
		setenv("PV_NO_SIMD", "1", 1);
	else
		unsetenv("PV_NO_SIMD");
	assert_int_equal(pv_resize(src, w, h, &out), 0);
	unsetenv("PV_NO_SIMD");
	return out;
}

/* Sizes that give even and odd tap counts, shrinking and enlarging, rows
 * shorter than one SIMD step, and pixels at the right edge that the SIMD
 * reads may not reach: every output byte the same either way. */
static void resize_simd_and_plain_give_the_same_bytes(void **state)
{
	(void)state;
	static const int sizes[][4] = {
		{ 2000, 1500, 1600, 1200 }, { 1600, 1200, 320, 240 }, { 37, 23, 11, 7 },
		{ 5, 3, 4, 2 }, { 9, 9, 16, 16 }, { 1, 9, 1, 3 }, { 9, 1, 3, 1 },
		{ 33, 17, 32, 16 }, { 700, 5, 3, 5 }, { 4, 600, 4, 7 },
	};
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
		for (int channels = 1; channels <= 3; channels += 2) {
			const int *z = sizes[i];
			struct pv_pixels src = noise_pixels(z[0], z[1], channels, (uint32_t)i + 7);
			struct pv_pixels fast = resized(&src, z[2], z[3], 0);
			struct pv_pixels plain = resized(&src, z[2], z[3], 1);
			assert_int_equal(fast.w, z[2]);
			assert_int_equal(fast.h, z[3]);
			assert_memory_equal(fast.px, plain.px,
					    (size_t)z[2] * (size_t)z[3] * (size_t)channels);
			pv_pixels_free(&src);
			pv_pixels_free(&fast);
			pv_pixels_free(&plain);
		}
}

/* The weights of every output pixel sum to exactly one: a flat colour stays
 * exactly that colour, also where the filter's negative lobes are clipped
 * at the edges. */
static void resize_keeps_a_flat_colour_exactly(void **state)
{
	(void)state;
	struct pv_pixels src;
	assert_int_equal(pv_pixels_alloc(&src, 401, 301, 3), 0);
	for (size_t i = 0; i < 401u * 301u; i++) {
		src.px[i * 3] = 200;
		src.px[i * 3 + 1] = 17;
		src.px[i * 3 + 2] = 255;
	}
	for (int plain = 0; plain <= 1; plain++) {
		struct pv_pixels out = resized(&src, 97, 73, plain);
		for (size_t i = 0; i < 97u * 73u; i++) {
			assert_int_equal(out.px[i * 3], 200);
			assert_int_equal(out.px[i * 3 + 1], 17);
			assert_int_equal(out.px[i * 3 + 2], 255);
		}
		pv_pixels_free(&out);
	}
	pv_pixels_free(&src);
}

/* The poster builder's preview: cairo's 0x00RRGGBB words, with a row
 * stride wider than the picture, come back from the PNG as the same
 * colours, pixel for pixel, in sizes odd and even; nothing to write is a
 * sentence, not a file. */
static void screen_png_keeps_every_pixel(void **state)
{
	(void)state;
	static const int sizes[][2] = { { 1, 1 }, { 7, 5 }, { 64, 33 }, { 901, 3 } };
	for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
		int w = sizes[k][0], h = sizes[k][1];
		size_t stride = ((size_t)w + 3) * 4;   /* padding the writer must skip */
		uint32_t *px = calloc((size_t)h, stride);
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++)
				px[(size_t)y * stride / 4 + (size_t)x] =
					0xAA000000u | (uint32_t)((x * 7 + y) & 255) << 16 |
					(uint32_t)((y * 13) & 255) << 8 | (uint32_t)((x ^ y) & 255);
		uint8_t *png = NULL;
		size_t len = 0;
		struct pv_err err = {0};
		assert_int_equal(pv_png_encode_screen(px, w, h, stride, &png, &len, &err), 0);
		png_image img = { .version = PNG_IMAGE_VERSION };
		assert_true(png_image_begin_read_from_memory(&img, png, len));
		assert_int_equal(img.width, w);
		assert_int_equal(img.height, h);
		img.format = PNG_FORMAT_RGB;
		uint8_t *rgb = malloc((size_t)w * (size_t)h * 3);
		assert_true(png_image_finish_read(&img, NULL, rgb, 0, NULL));
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++) {
				uint32_t want = px[(size_t)y * stride / 4 + (size_t)x];
				const uint8_t *got = rgb + ((size_t)y * (size_t)w + (size_t)x) * 3;
				assert_int_equal(got[0], (want >> 16) & 255);
				assert_int_equal(got[1], (want >> 8) & 255);
				assert_int_equal(got[2], want & 255);
			}
		free(rgb);
		free(png);
		free(px);
	}
	uint32_t one = 0;
	uint8_t *png = (uint8_t *)&one;
	size_t len = 9;
	struct pv_err err = {0};
	assert_int_equal(pv_png_encode_screen(&one, 0, 1, 4, &png, &len, &err), -1);
	assert_null(png);
	assert_int_equal(len, 0);
	assert_int_equal(err.kind, PV_ERR_OUTPUT);
	assert_non_null(strstr(err.msg, "PNG"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sniff_recognises_every_format),
		cmocka_unit_test(sniff_text_cut_inside_a_character_at_the_sniff_limit),
		cmocka_unit_test(format_descriptions_are_distinct_sentences),
		cmocka_unit_test(check_size_at_and_over_the_limit),
		cmocka_unit_test(png_colour_types_come_out_as_jpeg),
		cmocka_unit_test(png_text_never_travels_and_icc_does),
		cmocka_unit_test(large_icc_profile_is_split_over_app2_chunks),
		cmocka_unit_test(png_without_profile_gets_no_icc),
		cmocka_unit_test(truncated_and_damaged_png_are_refused),
		cmocka_unit_test(png_declaring_65535_square_is_refused_before_decoding),
		cmocka_unit_test(other_formats_are_not_converted),
		cmocka_unit_test(heic_made_here_comes_out_upright_with_its_profile),
		cmocka_unit_test(heic_with_transparency_comes_out_on_white),
		cmocka_unit_test(heic_without_a_decoder_says_so),
		cmocka_unit_test(truncated_heic_is_refused),
		cmocka_unit_test(heif_from_the_corpus),
		cmocka_unit_test(scale_choice_is_the_smallest_above_the_preview),
		cmocka_unit_test(derivative_sizes_keep_the_aspect_ratio),
		cmocka_unit_test(derivatives_are_upright_for_every_orientation),
		cmocka_unit_test(greyscale_photo_gives_greyscale_derivatives),
		cmocka_unit_test(cmyk_photo_gives_rgb_derivatives),
		cmocka_unit_test(print_jpeg_only_for_cmyk),
		cmocka_unit_test(bad_jpeg_gives_an_error_not_a_crash),
		cmocka_unit_test(jpeg_declaring_a_huge_size_is_refused),
		cmocka_unit_test(derivatives_are_converted_to_srgb),
		cmocka_unit_test(broken_profile_chunks_are_ignored),
		cmocka_unit_test(threads_give_the_same_results),
		cmocka_unit_test(resize_simd_and_plain_give_the_same_bytes),
		cmocka_unit_test(resize_keeps_a_flat_colour_exactly),
		cmocka_unit_test(phash_finds_copies_and_tells_photos_apart),
		cmocka_unit_test(phash_text_round_trip_and_distance),
		cmocka_unit_test(screen_png_keeps_every_pixel),
	};
	return cmocka_run_group_tests_name("image", tests, NULL, NULL);
}
