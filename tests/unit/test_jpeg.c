/*
 * tests/unit/test_jpeg.c - the segment parser, the privacy rewrite, verify
 * after write and orientation baking.
 *
 * Test photos are generated here with TurboJPEG; identifying metadata is
 * planted by hand (Exif built with libexif, XMP, IPTC, comments, MPF, an
 * unknown APPn, a trailer). Real camera files from ../shared/corpus are used
 * when present and skipped otherwise.
 */
#include "testutil.h"

#include <dirent.h>
#include <libexif/exif-data.h>
#include <libexif/exif-utils.h>
#include <turbojpeg.h>

#include "photovoice/jpeg.h"
#include "../../src/jpeg/jpeg_internal.h"

/* ---- small helpers ---------------------------------------------------- */


/* A marker segment: FF m, length, payload. */
static void put_seg(struct buf *b, uint8_t m, const void *payload, size_t n)
{
	uint8_t h[4] = { 0xFF, m, (uint8_t)((n + 2) >> 8),
			 (uint8_t)((n + 2) & 0xFF) };
	assert_true(n + 2 <= 0xFFFF);
	buf_put(b, h, 4);
	buf_put(b, payload, n);
}

/* Offset of the first `needle` in h[0..n), or -1 (memmem is a GNU extension). */
static long find_bytes(const uint8_t *h, size_t n, const void *needle, size_t k)
{
	for (size_t i = 0; k <= n && i <= n - k; i++)
		if (memcmp(h + i, needle, k) == 0)
			return (long)i;
	return -1;
}

static int contains(const struct buf *b, const char *needle)
{
	return find_bytes(b->p, b->len, needle, strlen(needle)) >= 0;
}

/* ---- images ----------------------------------------------------------- */

/* A gradient with a bright block near the top left and a checker pattern,
 * so that any flip or turn shows up in the pixels. */
static uint8_t *make_rgb(int w, int h)
{
	uint8_t *p = malloc((size_t)w * h * 3);
	assert_non_null(p);
	for (int y = 0; y < h; y++) {
		for (int x = 0; x < w; x++) {
			uint8_t *px = p + ((size_t)y * w + x) * 3;
			int block = x < w / 3 && y < h / 4;
			px[0] = (uint8_t)(x * 255 / (w > 1 ? w - 1 : 1));
			px[1] = (uint8_t)(y * 255 / (h > 1 ? h - 1 : 1));
			px[2] = block ? 250 : (uint8_t)(40 + ((x / 4 + y / 4) % 2) * 60);
		}
	}
	return p;
}

static struct buf compress_rgb(const uint8_t *rgb, int w, int h, int subsamp,
			       int flags)
{
	tjhandle t = tjInitCompress();
	assert_non_null(t);
	unsigned char *j = NULL;
	unsigned long n = 0;
	assert_int_equal(tjCompress2(t, rgb, w, 0, h, TJPF_RGB, &j, &n, subsamp,
				     90, flags), 0);
	struct buf b = { 0 };
	buf_put(&b, j, n);
	tjFree(j);
	tjDestroy(t);
	return b;
}

static struct buf make_jpeg(int w, int h, int subsamp, int flags)
{
	uint8_t *rgb = make_rgb(w, h);
	struct buf b = compress_rgb(rgb, w, h, subsamp, flags);
	free(rgb);
	return b;
}

static uint8_t *decode(const uint8_t *j, size_t n, int *w, int *h)
{
	tjhandle t = tjInitDecompress();
	assert_non_null(t);
	int sub, cs;
	assert_int_equal(tjDecompressHeader3(t, j, n, w, h, &sub, &cs), 0);
	uint8_t *px = malloc((size_t)*w * *h * 3);
	assert_non_null(px);
	assert_int_equal(tjDecompress2(t, j, n, px, *w, 0, *h, TJPF_RGB, 0), 0);
	tjDestroy(t);
	return px;
}

/* Lossless transform used to make "stored sideways" test files. */
static struct buf transform(const struct buf *in, int op)
{
	tjhandle t = tjInitTransform();
	assert_non_null(t);
	tjtransform xf;
	memset(&xf, 0, sizeof xf);
	xf.op = op;
	xf.options = TJXOPT_PERFECT;
	unsigned char *d = NULL;
	unsigned long n = 0;
	assert_int_equal(tjTransform(t, in->p, in->len, 1, &d, &n, &xf, 0), 0);
	struct buf b = { 0 };
	buf_put(&b, d, n);
	tjFree(d);
	tjDestroy(t);
	return b;
}

/* The EXIF definition of orientation in pixel space, independent of
 * TurboJPEG: the displayed pixel (X, Y) of a stored w x h image. */
static const uint8_t *displayed_px(const uint8_t *s, int w, int h, int o,
				   int X, int Y)
{
	int x, y;
	switch (o) {
	case 2: x = w - 1 - X; y = Y; break;
	case 3: x = w - 1 - X; y = h - 1 - Y; break;
	case 4: x = X; y = h - 1 - Y; break;
	case 5: x = Y; y = X; break;
	case 6: x = Y; y = h - 1 - X; break;
	case 7: x = w - 1 - Y; y = h - 1 - X; break;
	case 8: x = w - 1 - Y; y = X; break;
	default: x = X; y = Y; break;
	}
	return s + ((size_t)y * w + x) * 3;
}

/* Stored pixels -> upright pixels, as a viewer applying the tag would. */
static uint8_t *apply_orientation(const uint8_t *s, int w, int h, int o,
				  int *dw, int *dh)
{
	int swap = o >= 5 && o <= 8;
	*dw = swap ? h : w;
	*dh = swap ? w : h;
	uint8_t *d = malloc((size_t)w * h * 3);
	assert_non_null(d);
	for (int Y = 0; Y < *dh; Y++)
		for (int X = 0; X < *dw; X++)
			memcpy(d + ((size_t)Y * *dw + X) * 3,
			       displayed_px(s, w, h, o, X, Y), 3);
	return d;
}

static double mean_abs_diff(const uint8_t *a, const uint8_t *b, size_t n)
{
	double sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += abs((int)a[i] - (int)b[i]);
	return n ? sum / (double)n : 0;
}

/* ---- planting metadata ------------------------------------------------ */

static ExifEntry *add_entry(ExifData *ed, ExifIfd ifd, ExifTag tag,
			    ExifFormat fmt, unsigned long n)
{
	ExifMem *mem = exif_mem_new_default();
	ExifEntry *e = exif_entry_new_mem(mem);
	assert_non_null(e);
	e->tag = tag;
	e->format = fmt;
	e->components = n;
	e->size = exif_format_get_size(fmt) * n;
	e->data = exif_mem_alloc(mem, e->size);
	assert_non_null(e->data);
	exif_content_add_entry(ed->ifd[ifd], e);
	exif_entry_unref(e);
	exif_mem_unref(mem);
	return e;
}

static void add_ascii(ExifData *ed, ExifIfd ifd, ExifTag tag, const char *s)
{
	ExifEntry *e = add_entry(ed, ifd, tag, EXIF_FORMAT_ASCII, strlen(s) + 1);
	memcpy(e->data, s, strlen(s) + 1);
}

static void add_rationals(ExifData *ed, ExifTag tag, const unsigned *v, int n)
{
	ExifEntry *e = add_entry(ed, EXIF_IFD_GPS, tag, EXIF_FORMAT_RATIONAL, n);
	for (int i = 0; i < n; i++) {
		ExifRational r = { v[i], 1 };
		exif_set_rational(e->data + 8 * i, EXIF_BYTE_ORDER_INTEL, r);
	}
}

/* An Exif APP1 payload like a phone writes: GPS, serial number, owner,
 * artist, a maker note, a thumbnail in IFD1, and (if o > 0) Orientation. */
static struct buf build_exif(int o)
{
	ExifData *ed = exif_data_new();
	assert_non_null(ed);
	exif_data_unset_option(ed, EXIF_DATA_OPTION_FOLLOW_SPECIFICATION);
	exif_data_set_byte_order(ed, EXIF_BYTE_ORDER_INTEL);
	if (o > 0) {
		ExifEntry *e = add_entry(ed, EXIF_IFD_0, EXIF_TAG_ORIENTATION,
					 EXIF_FORMAT_SHORT, 1);
		exif_set_short(e->data, EXIF_BYTE_ORDER_INTEL, (ExifShort)o);
	}
	add_ascii(ed, EXIF_IFD_0, EXIF_TAG_ARTIST, "SECRET-ARTIST Jansen");
	add_ascii(ed, EXIF_IFD_0, EXIF_TAG_MAKE, "PhoneMaker");
	add_ascii(ed, EXIF_IFD_EXIF, EXIF_TAG_BODY_SERIAL_NUMBER, "SECRET-SERIAL-0042");
	add_ascii(ed, EXIF_IFD_EXIF, EXIF_TAG_CAMERA_OWNER_NAME, "SECRET-OWNER Fenna");
	ExifEntry *mn = add_entry(ed, EXIF_IFD_EXIF, EXIF_TAG_MAKER_NOTE,
				  EXIF_FORMAT_UNDEFINED, 64);
	memset(mn->data, 0x5A, 64);
	memcpy(mn->data, "SECRET-MAKERNOTE", 16);
	add_ascii(ed, EXIF_IFD_GPS, (ExifTag)EXIF_TAG_GPS_LATITUDE_REF, "N");
	unsigned lat[3] = { 52, 22, 7 };
	add_rationals(ed, (ExifTag)EXIF_TAG_GPS_LATITUDE, lat, 3);
	struct buf thumb = make_jpeg(16, 16, TJSAMP_420, 0);
	ed->data = malloc(thumb.len);
	assert_non_null(ed->data);
	memcpy(ed->data, thumb.p, thumb.len);
	ed->size = (unsigned)thumb.len;
	buf_free(&thumb);
	unsigned char *d = NULL;
	unsigned int n = 0;
	exif_data_save_data(ed, &d, &n);
	exif_data_unref(ed);
	assert_non_null(d);
	struct buf b = { 0 };
	buf_put(&b, d, n);
	free(d);
	return b;
}

static const char XMP_ID[] = "http://ns.adobe.com/xap/1.0/";
static const char XMPEXT_ID[] = "http://ns.adobe.com/xmp/extension/";

static void put_id_seg(struct buf *b, uint8_t m, const char *id, size_t idlen,
		       const char *body)
{
	struct buf p = { 0 };
	buf_put(&p, id, idlen);
	buf_put(&p, body, strlen(body));
	put_seg(b, m, p.p, p.len);
	buf_free(&p);
}

static void put_icc_chunks(struct buf *b)
{
	for (int i = 1; i <= 3; i++) {
		uint8_t p[12 + 2 + 200];
		memcpy(p, "ICC_PROFILE\0", 12);
		p[12] = (uint8_t)i;
		p[13] = 3;
		memset(p + 14, 'a' + i, 200);
		put_seg(b, 0xE2, p, sizeof p);
	}
}

static void put_everything_else(struct buf *b)
{
	put_id_seg(b, 0xE1, XMP_ID, sizeof XMP_ID,
		   "<x:xmpmeta><dc:creator>SECRET-XMP</dc:creator></x:xmpmeta>");
	put_id_seg(b, 0xE1, XMPEXT_ID, sizeof XMPEXT_ID,
		   "0123456789ABCDEF0123456789ABCDEF\0\0\0\x10\0\0\0\0SECRET-EXTXMP");
	put_id_seg(b, 0xED, "Photoshop 3.0", 14,
		   "8BIM\x04\x04\0\0\0\0\0\x10\x1c\x02\x78\0\x0cSECRET-IPTC");
	put_seg(b, 0xFE, "SECRET-COMMENT", 14);
	put_id_seg(b, 0xE2, "MPF", 4, "MM\0*\0\0\0\x08SECRET-MPF");
	put_seg(b, 0xE5, "SECRET-APP5 maker data", 22);
	put_icc_chunks(b);
	uint8_t adobe[12] = { 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 1 };
	put_seg(b, 0xEE, adobe, sizeof adobe);
}

struct plant {
	int orientation;       /* -1: no Exif at all; 0: Exif without it */
	int everything;        /* XMP, IPTC, COM, MPF, APP5, ICC, Adobe */
	int fill;              /* fill bytes before a marker and before EOI */
	int trailer;           /* bytes after EOI */
	int drop_eoi;
	int junk;              /* zero padding between two segments */
};

/* The clean TurboJPEG file with metadata planted after its JFIF APP0. */
static struct buf plant(const struct buf *clean, const struct plant *o)
{
	assert_true(clean->len > 20 && clean->p[2] == 0xFF && clean->p[3] == 0xE0);
	size_t jfif_end = 4 + ((size_t)clean->p[4] << 8 | clean->p[5]);
	struct buf b = { 0 };
	buf_put(&b, clean->p, jfif_end);
	if (o->orientation >= 0) {
		struct buf exif = build_exif(o->orientation);
		put_seg(&b, 0xE1, exif.p, exif.len);
		buf_free(&exif);
	}
	if (o->everything)
		put_everything_else(&b);
	if (o->junk)
		buf_put(&b, "\0\0\0\0", 4);
	if (o->fill)
		buf_put(&b, "\xFF\xFF\xFF", 3);
	assert_true(clean->p[clean->len - 2] == 0xFF && clean->p[clean->len - 1] == 0xD9);
	buf_put(&b, clean->p + jfif_end, clean->len - 2 - jfif_end);
	if (o->fill)
		buf_put(&b, "\xFF\xFF", 2);
	if (!o->drop_eoi)
		buf_put(&b, "\xFF\xD9", 2);
	if (o->trailer)
		buf_put(&b, "SECRET-TRAILER second image", 27);
	return b;
}

/* ---- checks on output ------------------------------------------------- */

/* All SOS segments with their scan data, concatenated. */
static struct buf scan_bytes(const struct buf *j)
{
	struct pv_jpeg_layout l;
	struct pv_err err = {0};
	assert_int_equal(pv_jpeg_parse(j->p, j->len, &l, &err), 0);
	struct buf b = { 0 };
	for (size_t i = 0; i < l.count; i++)
		if (l.segs[i].kind == PV_SEG_SOS)
			buf_put(&b, j->p + l.segs[i].start,
				l.segs[i].len + l.segs[i].scan_len);
	pv_jpeg_layout_free(&l);
	return b;
}

static void assert_same_scans(const struct buf *a, const struct buf *b)
{
	struct buf sa = scan_bytes(a), sb = scan_bytes(b);
	assert_true(sa.len > 0);
	assert_int_equal(sa.len, sb.len);
	assert_memory_equal(sa.p, sb.p, sa.len);
	buf_free(&sa);
	buf_free(&sb);
}

static void assert_same_pixels(const struct buf *a, const struct buf *b)
{
	int wa, ha, wb, hb;
	uint8_t *pa = decode(a->p, a->len, &wa, &ha);
	uint8_t *pb = decode(b->p, b->len, &wb, &hb);
	assert_int_equal(wa, wb);
	assert_int_equal(ha, hb);
	assert_memory_equal(pa, pb, (size_t)wa * ha * 3);
	free(pa);
	free(pb);
}

static void assert_no_secrets(const struct buf *out)
{
	assert_false(contains(out, "SECRET"));
	assert_false(contains(out, "PhoneMaker"));
	/* exactly one SOI: the Exif thumbnail is gone */
	assert_int_equal(find_bytes(out->p + 1, out->len - 1, "\xFF\xD8\xFF", 3), -1);
}

/* Every segment of the output is on the allowlist (one minimal Orientation
 * APP1 allowed when `tagged`). */
static void assert_only_allowlisted(const struct buf *out, int tagged)
{
	struct pv_jpeg_layout l;
	struct pv_err err = {0};
	assert_int_equal(pv_jpeg_parse(out->p, out->len, &l, &err), 0);
	int app1 = 0;
	for (size_t i = 0; i < l.count; i++) {
		enum pv_seg_kind k = l.segs[i].kind;
		if (k == PV_SEG_EXIF && tagged) {
			int o;
			assert_true(pv_exif_is_minimal_orientation(
				out->p + l.segs[i].payload, l.segs[i].payload_len, &o));
			app1++;
			continue;
		}
		assert_true(pv_jpeg_kind_allowed(k));
	}
	assert_int_equal(app1, tagged ? 1 : 0);
	assert_true(l.has_eoi);
	assert_int_equal(l.trailer_len, 0);
	pv_jpeg_layout_free(&l);
	err.msg[0] = 0;
	assert_int_equal(pv_jpeg_check_clean(out->p, out->len, &err), 0);
}

struct scrubbed {
	struct buf out;
	struct pv_scrub_report r;
};

static struct scrubbed scrub_ok(const struct buf *in)
{
	struct scrubbed s;
	struct pv_err err = {0};
	memset(&s, 0, sizeof s);
	int rc = pv_jpeg_scrub(in->p, in->len, &s.out.p, &s.out.len, &s.r, &err);
	if (rc != 0)
		print_error("scrub failed: %s\n", err.msg);
	assert_int_equal(rc, 0);
	assert_non_null(s.out.p);
	return s;
}

static void scrub_fails(const uint8_t *p, size_t n, const char *expect)
{
	uint8_t *out = (uint8_t *)"untouched";
	size_t out_len = 99;
	struct pv_err err = {0};
	struct pv_scrub_report r;
	assert_int_equal(pv_jpeg_scrub(p, n, &out, &out_len, &r, &err), -1);
	assert_null(out);
	assert_int_equal(out_len, 0);
	assert_true(strlen(err.msg) > 10);
	assert_null(strchr(err.msg, '\n'));
	if (expect)
		assert_string_equal(err.msg, expect);
}

/* ---- parser ----------------------------------------------------------- */

static void test_parse_hand_built(void **state)
{
	(void)state;
	struct buf b = { 0 };
	buf_put(&b, "\xFF\xD8\xFF\xFF\xFF\xFF\x01", 7);     /* SOI, fill, TEM */
	uint8_t dqt[65] = { 0 };
	memset(dqt + 1, 1, 64);
	put_seg(&b, 0xDB, dqt, sizeof dqt);
	put_seg(&b, 0xC0, "\x08\x00\x00\x00\x10\x01\x01\x11\x00", 9);
	uint8_t dht[18] = { 0, 1 };
	put_seg(&b, 0xC4, dht, sizeof dht);
	put_seg(&b, 0xDA, "\x01\x01\x00\x00\x3F\x00", 6);
	size_t scan_at = b.len;
	buf_put(&b, "\x12\x34\xFF\x00\x56\xFF\xD0\x78\xFF\xFF\xD1\x9A", 12);
	put_seg(&b, 0xDC, "\x00\x10", 2);
	buf_put(&b, "\xFF\xD9XYZ", 5);

	struct pv_jpeg_layout l;
	struct pv_err err = {0};
	assert_int_equal(pv_jpeg_parse(b.p, b.len, &l, &err), 0);
	enum pv_seg_kind want[] = { PV_SEG_SOI, PV_SEG_OTHER, PV_SEG_DQT,
		PV_SEG_SOF, PV_SEG_DHT, PV_SEG_SOS, PV_SEG_DNL, PV_SEG_EOI,
		PV_SEG_TRAILER };
	assert_int_equal(l.count, sizeof want / sizeof want[0]);
	for (size_t i = 0; i < l.count; i++)
		assert_int_equal(l.segs[i].kind, want[i]);
	assert_int_equal(l.segs[1].start, 5);       /* the last fill byte */
	assert_int_equal(l.segs[5].scan_len, 12);
	assert_int_equal(l.segs[5].start + l.segs[5].len, scan_at);
	assert_int_equal(l.width, 16);
	assert_int_equal(l.height, 0);
	assert_int_equal(l.components, 1);
	assert_int_equal(l.sof_marker, 0xC0);
	assert_true(l.has_eoi);
	assert_int_equal(l.trailer_len, 3);
	assert_int_equal(l.eoi_end, b.len - 3);
	pv_jpeg_layout_free(&l);

	/* Fill bytes then end of file, no EOI: the scan stops before them. */
	b.len = scan_at + 12;
	buf_put(&b, "\xFF\xFF", 2);
	assert_int_equal(pv_jpeg_parse(b.p, b.len, &l, &err), 0);
	assert_false(l.has_eoi);
	assert_int_equal(l.segs[l.count - 1].scan_len, 12);
	assert_int_equal(l.eoi_end, scan_at + 12);
	pv_jpeg_layout_free(&l);
	buf_free(&b);
}

static void test_parse_generated_kinds(void **state)
{
	(void)state;
	struct buf clean = make_jpeg(64, 48, TJSAMP_420, TJFLAG_PROGRESSIVE);
	struct plant o = { .orientation = 1, .everything = 1, .trailer = 1 };
	struct buf dirty = plant(&clean, &o);
	struct pv_jpeg_layout l;
	struct pv_err err = {0};
	assert_int_equal(pv_jpeg_parse(dirty.p, dirty.len, &l, &err), 0);
	unsigned n[PV_SEG_KIND_COUNT] = { 0 };
	for (size_t i = 0; i < l.count; i++)
		n[l.segs[i].kind]++;
	assert_int_equal(n[PV_SEG_JFIF], 1);
	assert_int_equal(n[PV_SEG_EXIF], 1);
	assert_int_equal(n[PV_SEG_XMP], 1);
	assert_int_equal(n[PV_SEG_XMP_EXT], 1);
	assert_int_equal(n[PV_SEG_IPTC], 1);
	assert_int_equal(n[PV_SEG_COM], 1);
	assert_int_equal(n[PV_SEG_MPF], 1);
	assert_int_equal(n[PV_SEG_APP_OTHER], 1);
	assert_int_equal(n[PV_SEG_ICC], 3);
	assert_int_equal(n[PV_SEG_ADOBE], 1);
	assert_int_equal(n[PV_SEG_TRAILER], 1);
	assert_true(n[PV_SEG_SOS] > 1);             /* progressive: many scans */
	assert_int_equal(l.sof_marker, 0xC2);
	assert_int_equal(l.width, 64);
	assert_int_equal(l.height, 48);
	assert_int_equal(l.components, 3);
	for (int k = 0; k < PV_SEG_KIND_COUNT; k++)
		assert_true(strlen(pv_jpeg_kind_name((enum pv_seg_kind)k)) > 0);
	/* The Exif block reads back through libexif. */
	for (size_t i = 0; i < l.count; i++)
		if (l.segs[i].kind == PV_SEG_EXIF)
			assert_int_equal(pv_exif_orientation(dirty.p + l.segs[i].payload,
				l.segs[i].payload_len), 1);
	pv_jpeg_layout_free(&l);
	buf_free(&dirty);
	buf_free(&clean);
}

static void test_parse_too_many_segments(void **state)
{
	(void)state;
	struct buf b = { 0 };
	buf_put(&b, "\xFF\xD8", 2);
	for (int i = 0; i < 70000; i++)
		buf_put(&b, "\xFF\x01", 2);
	struct pv_jpeg_layout l;
	struct pv_err err = {0};
	assert_int_equal(pv_jpeg_parse(b.p, b.len, &l, &err), -1);
	assert_true(strlen(err.msg) > 10);
	assert_null(l.segs);
	buf_free(&b);
}

/* ---- the rewrite ------------------------------------------------------ */

static void check_everything_removed(const struct scrubbed *s)
{
	const unsigned *rm = s->r.removed;
	assert_int_equal(rm[PV_SEG_EXIF], 1);
	assert_int_equal(rm[PV_SEG_XMP], 1);
	assert_int_equal(rm[PV_SEG_XMP_EXT], 1);
	assert_int_equal(rm[PV_SEG_IPTC], 1);
	assert_int_equal(rm[PV_SEG_COM], 1);
	assert_int_equal(rm[PV_SEG_MPF], 1);
	assert_int_equal(rm[PV_SEG_APP_OTHER], 1);
	assert_int_equal(rm[PV_SEG_TRAILER], 1);
	assert_int_equal(rm[PV_SEG_ICC], 0);
	assert_int_equal(rm[PV_SEG_ADOBE], 0);
	assert_int_equal(rm[PV_SEG_JFIF], 0);
	assert_true(s->r.removed_bytes > 500);
}

/* The original's three ICC chunks, in order. Baked files carry the JFIF or
 * Adobe segment libjpeg wrote itself, not the original's Adobe APP14. */
static void check_icc_in_order(const struct buf *out, int want_adobe)
{
	struct pv_jpeg_layout l;
	struct pv_err err = {0};
	assert_int_equal(pv_jpeg_parse(out->p, out->len, &l, &err), 0);
	int seq = 0, adobe = 0;
	for (size_t i = 0; i < l.count; i++) {
		const struct pv_jpeg_segment *s = &l.segs[i];
		if (s->kind == PV_SEG_ADOBE)
			adobe++;
		if (s->kind != PV_SEG_ICC)
			continue;
		seq++;
		const uint8_t *p = out->p + s->payload;
		assert_int_equal(s->payload_len, 214);
		assert_int_equal(p[12], seq);
		assert_int_equal(p[13], 3);
		for (int k = 14; k < 214; k++)
			assert_int_equal(p[k], 'a' + seq);
	}
	assert_int_equal(seq, 3);
	assert_int_equal(adobe, want_adobe);
	pv_jpeg_layout_free(&l);
}

/* One generated file through the full rewrite at orientation 1. */
static void scrub_lossless(int w, int h, int subsamp, int flags)
{
	struct buf clean = make_jpeg(w, h, subsamp, flags);
	struct plant o = { .orientation = 1, .everything = 1, .fill = 1,
			   .trailer = 1 };
	struct buf dirty = plant(&clean, &o);
	struct scrubbed s = scrub_ok(&dirty);
	assert_int_equal(s.r.orientation, 1);
	assert_int_equal(s.r.orient_action, PV_ORIENT_NONE);
	assert_int_equal(s.r.width, w);
	assert_int_equal(s.r.height, h);
	check_everything_removed(&s);
	assert_only_allowlisted(&s.out, 0);
	assert_no_secrets(&s.out);
	check_icc_in_order(&s.out, 1);
	assert_same_scans(&s.out, &clean);
	assert_same_pixels(&s.out, &clean);
	buf_free(&s.out);
	buf_free(&dirty);
	buf_free(&clean);
}

static void test_scrub_baseline(void **state)
{
	(void)state;
	scrub_lossless(64, 48, TJSAMP_420, 0);
	scrub_lossless(37, 23, TJSAMP_444, 0);
}

static void test_scrub_progressive(void **state)
{
	(void)state;
	scrub_lossless(64, 48, TJSAMP_420, TJFLAG_PROGRESSIVE);
}

static void test_scrub_greyscale(void **state)
{
	(void)state;
	scrub_lossless(40, 24, TJSAMP_GRAY, 0);
}

/* libjpeg-turbo's TJ_RESTART and TJ_ARITHMETIC environment switches reach
 * restart intervals and arithmetic coding through the TurboJPEG API. */
static void with_env(const char *name, const char *value, int flags,
		     const char *must_contain, size_t must_len)
{
	setenv(name, value, 1);
	struct buf probe = make_jpeg(64, 48, TJSAMP_420, flags);
	unsetenv(name);
	int found = find_bytes(probe.p, probe.len, must_contain, must_len) >= 0;
	buf_free(&probe);
	if (!found) {
		skip();
		return;
	}
	setenv(name, value, 1);
	scrub_lossless(64, 48, TJSAMP_420, flags);
	unsetenv(name);
}

static void test_scrub_restart_markers(void **state)
{
	(void)state;
	with_env("TJ_RESTART", "1B", 0, "\xFF\xD1", 2);     /* RST1 present */
}

static void test_scrub_arithmetic(void **state)
{
	(void)state;
	with_env("TJ_ARITHMETIC", "1", 0, "\xFF\xCC", 2);   /* DAC present */
}

static void test_scrub_jfif_thumbnail_dropped(void **state)
{
	(void)state;
	struct buf clean = make_jpeg(32, 32, TJSAMP_420, 0);
	size_t jfif_end = 4 + ((size_t)clean.p[4] << 8 | clean.p[5]);
	/* A JFIF APP0 with a 2 x 2 RGB thumbnail. */
	uint8_t jfif[14 + 12];
	memcpy(jfif, clean.p + 6, 14);
	jfif[12] = 2;
	jfif[13] = 2;
	memset(jfif + 14, 0xAB, 12);
	struct buf b = { 0 };
	buf_put(&b, "\xFF\xD8", 2);
	put_seg(&b, 0xE0, jfif, sizeof jfif);
	put_seg(&b, 0xE0, "JFXX\0\x10thumbnail", 15);
	buf_put(&b, clean.p + jfif_end, clean.len - jfif_end);
	struct scrubbed s = scrub_ok(&b);
	assert_int_equal(s.r.removed[PV_SEG_JFXX], 1);
	assert_int_equal(find_bytes(s.out.p, s.out.len, "\xAB\xAB\xAB\xAB", 4), -1);
	assert_only_allowlisted(&s.out, 0);
	assert_same_pixels(&s.out, &clean);
	buf_free(&s.out);
	buf_free(&b);
	buf_free(&clean);
}

static void test_scrub_missing_eoi(void **state)
{
	(void)state;
	struct buf clean = make_jpeg(48, 32, TJSAMP_420, 0);
	struct plant o = { .orientation = -1, .drop_eoi = 1 };
	struct buf dirty = plant(&clean, &o);
	struct pv_jpeg_layout l;
	struct pv_err err = {0};
	assert_int_equal(pv_jpeg_parse(dirty.p, dirty.len, &l, &err), 0);
	assert_false(l.has_eoi);
	pv_jpeg_layout_free(&l);
	struct scrubbed s = scrub_ok(&dirty);
	assert_int_equal(s.r.orientation, 0);
	assert_int_equal(memcmp(s.out.p + s.out.len - 2, "\xFF\xD9", 2), 0);
	assert_only_allowlisted(&s.out, 0);
	assert_same_pixels(&s.out, &clean);
	buf_free(&s.out);
	buf_free(&dirty);
	buf_free(&clean);
}

static void test_scrub_junk_between_segments(void **state)
{
	(void)state;
	struct buf clean = make_jpeg(48, 32, TJSAMP_420, 0);
	struct plant o = { .orientation = 1, .everything = 1, .junk = 1 };
	struct buf dirty = plant(&clean, &o);
	struct scrubbed s = scrub_ok(&dirty);
	assert_only_allowlisted(&s.out, 0);
	assert_no_secrets(&s.out);
	assert_same_pixels(&s.out, &clean);
	buf_free(&s.out);
	buf_free(&dirty);
	buf_free(&clean);
}

/* ---- orientation ------------------------------------------------------ */

/* The op that turns an upright image into one stored with orientation o. */
static int inverse_op(int o)
{
	static const int inv[9] = { -1, -1, TJXOP_HFLIP, TJXOP_ROT180,
		TJXOP_VFLIP, TJXOP_TRANSPOSE, TJXOP_ROT270, TJXOP_TRANSVERSE,
		TJXOP_ROT90 };
	return inv[o];
}

static void check_orientation(int o, int subsamp)
{
	const int w = 64, h = 48;   /* multiples of 16: perfect transforms */
	struct buf upright = make_jpeg(w, h, subsamp, 0);
	struct buf stored = o == 1 ? make_jpeg(w, h, subsamp, 0)
				   : transform(&upright, inverse_op(o));
	/* Cross-check the test's own table against the EXIF definition. */
	int sw, sh, dw, dh, uw, uh;
	uint8_t *sp = decode(stored.p, stored.len, &sw, &sh);
	uint8_t *up = decode(upright.p, upright.len, &uw, &uh);
	uint8_t *viewed = apply_orientation(sp, sw, sh, o, &dw, &dh);
	assert_int_equal(dw, w);
	assert_int_equal(dh, h);
	assert_true(mean_abs_diff(viewed, up, (size_t)w * h * 3) < 3.0);

	struct plant pl = { .orientation = o, .everything = 1, .trailer = 1 };
	struct buf dirty = plant(&stored, &pl);
	struct scrubbed s = scrub_ok(&dirty);
	assert_int_equal(s.r.orientation, o);
	assert_int_equal(s.r.orient_action, o == 1 ? PV_ORIENT_NONE : PV_ORIENT_BAKED);
	assert_int_equal(s.r.width, w);
	assert_int_equal(s.r.height, h);
	assert_only_allowlisted(&s.out, 0);
	assert_no_secrets(&s.out);
	check_icc_in_order(&s.out, o == 1);
	assert_same_pixels(&s.out, &upright);   /* exact: lossless both ways */
	free(sp);
	free(up);
	free(viewed);
	buf_free(&s.out);
	buf_free(&dirty);
	buf_free(&stored);
	buf_free(&upright);
}

static void test_orientation_all_eight(void **state)
{
	(void)state;
	for (int o = 1; o <= 8; o++) {
		check_orientation(o, TJSAMP_420);
		check_orientation(o, TJSAMP_GRAY);
	}
}

static void test_orientation_mapping(void **state)
{
	(void)state;
	/* The stored pixel (0,0) ends up where EXIF says it is shown. */
	const int w = 4, h = 2;
	uint8_t s[4 * 2 * 3] = { 0 };
	s[0] = 255;
	struct { int o, X, Y; } want[] = {
		{ 1, 0, 0 }, { 2, 3, 0 }, { 3, 3, 1 }, { 4, 0, 1 },
		{ 5, 0, 0 }, { 6, 1, 0 }, { 7, 1, 3 }, { 8, 0, 3 },
	};
	for (size_t i = 0; i < 8; i++) {
		int dw, dh;
		uint8_t *d = apply_orientation(s, w, h, want[i].o, &dw, &dh);
		assert_int_equal(d[((size_t)want[i].Y * dw + want[i].X) * 3], 255);
		free(d);
	}
}

static void check_tagged_app1(const struct buf *out, int o)
{
	struct pv_jpeg_layout l;
	struct pv_err err = {0};
	assert_int_equal(pv_jpeg_parse(out->p, out->len, &l, &err), 0);
	int found = 0;
	for (size_t i = 0; i < l.count; i++) {
		if (l.segs[i].kind != PV_SEG_EXIF)
			continue;
		const uint8_t *p = out->p + l.segs[i].payload;
		size_t n = l.segs[i].payload_len;
		int got;
		assert_true(pv_exif_is_minimal_orientation(p, n, &got));
		assert_int_equal(got, o);
		assert_int_equal(pv_exif_orientation(p, n), o);
		/* libexif sees Orientation and nothing else at all. */
		ExifData *ed = exif_data_new();
		assert_non_null(ed);
		/* no "fixing": that would add mandatory tags in memory */
		exif_data_unset_option(ed, EXIF_DATA_OPTION_FOLLOW_SPECIFICATION);
		exif_data_load_data(ed, p, (unsigned)n);
		assert_int_equal(ed->ifd[EXIF_IFD_0]->count, 1);
		for (int k = 1; k < EXIF_IFD_COUNT; k++)
			assert_int_equal(ed->ifd[k]->count, 0);
		assert_int_equal(ed->size, 0);
		exif_data_unref(ed);
		found++;
	}
	assert_int_equal(found, 1);
	pv_jpeg_layout_free(&l);
}

static void test_orientation_imperfect_is_tagged(void **state)
{
	(void)state;
	struct buf clean = make_jpeg(100, 75, TJSAMP_420, 0);
	struct plant pl = { .orientation = 6, .everything = 1, .trailer = 1 };
	struct buf dirty = plant(&clean, &pl);
	struct scrubbed s = scrub_ok(&dirty);
	assert_int_equal(s.r.orientation, 6);
	assert_int_equal(s.r.orient_action, PV_ORIENT_TAGGED);
	assert_int_equal(s.r.width, 75);       /* as displayed */
	assert_int_equal(s.r.height, 100);
	assert_only_allowlisted(&s.out, 1);
	assert_no_secrets(&s.out);
	check_icc_in_order(&s.out, 1);
	check_tagged_app1(&s.out, 6);
	assert_same_scans(&s.out, &clean);
	assert_same_pixels(&s.out, &clean);    /* pixels untouched */
	buf_free(&s.out);
	buf_free(&dirty);
	buf_free(&clean);
}

static void test_orientation_app1_builder(void **state)
{
	(void)state;
	for (int o = 1; o <= 8; o++) {
		uint8_t *seg;
		size_t n;
		int got;
		assert_int_equal(pv_exif_build_orientation_app1(o, &seg, &n), 0);
		assert_int_equal(seg[0], 0xFF);
		assert_int_equal(seg[1], 0xE1);
		assert_int_equal((size_t)(seg[2] << 8 | seg[3]), n - 2);
		assert_true(pv_exif_is_minimal_orientation(seg + 4, n - 4, &got));
		assert_int_equal(got, o);
		free(seg);
	}
	uint8_t *seg = NULL;
	size_t n = 0;
	assert_int_equal(pv_exif_build_orientation_app1(9, &seg, &n), -1);
	assert_int_equal(pv_exif_build_orientation_app1(0, &seg, &n), -1);
}

static void test_exif_orientation_untrusted(void **state)
{
	(void)state;
	assert_int_equal(pv_exif_orientation(NULL, 0), 0);
	assert_int_equal(pv_exif_orientation((const uint8_t *)"Exif\0\0", 6), 0);
	assert_int_equal(pv_exif_orientation((const uint8_t *)"NotExif\0\0\0\0\0\0\0", 14), 0);
	/* Orientation 9 and 0 mean none. */
	uint8_t tiff[6 + 26] = "Exif\0\0MM\0\x2a\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01\0\x09\0\0\0\0\0\0";
	assert_int_equal(pv_exif_orientation(tiff, sizeof tiff), 0);
	tiff[6 + 19] = 0;
	assert_int_equal(pv_exif_orientation(tiff, sizeof tiff), 0);
	tiff[6 + 19] = 3;
	assert_int_equal(pv_exif_orientation(tiff, sizeof tiff), 3);
	/* IFD offset pointing past the end. */
	tiff[6 + 7] = 0xF0;
	assert_int_equal(pv_exif_orientation(tiff, sizeof tiff), 0);
	/* Each truncation of a real block: never reads outside, 0 or valid. */
	struct buf exif = build_exif(6);
	for (size_t n = 0; n <= exif.len; n++) {
		uint8_t *copy = malloc(n ? n : 1);
		memcpy(copy, exif.p, n);
		int v = pv_exif_orientation(copy, n);
		assert_true(v == 0 || v == 6);
		free(copy);
	}
	assert_int_equal(pv_exif_orientation(exif.p, exif.len), 6);
	buf_free(&exif);
}

static void test_check_clean_rejects_dirty(void **state)
{
	(void)state;
	struct buf clean = make_jpeg(32, 32, TJSAMP_420, 0);
	struct pv_err err = {0};
	assert_int_equal(pv_jpeg_check_clean(clean.p, clean.len, &err), 0);
	struct plant pl = { .orientation = 1 };
	struct buf dirty = plant(&clean, &pl);
	assert_int_equal(pv_jpeg_check_clean(dirty.p, dirty.len, &err), -1);
	assert_true(strlen(err.msg) > 10);
	assert_null(strstr(err.msg, "SECRET"));
	buf_free(&dirty);
	struct plant tr = { .orientation = -1, .trailer = 1 };
	dirty = plant(&clean, &tr);
	assert_int_equal(pv_jpeg_check_clean(dirty.p, dirty.len, &err), -1);
	buf_free(&dirty);
	buf_free(&clean);
}

/* ---- bad input -------------------------------------------------------- */

static void test_bad_inputs(void **state)
{
	(void)state;
	scrub_fails((const uint8_t *)"", 0, "The file is empty.");
	scrub_fails(NULL, 0, "The file is empty.");
	scrub_fails((const uint8_t *)"\x89PNG\r\n\x1a\n", 8,
		    "The file is not a JPEG photo.");
	scrub_fails((const uint8_t *)"\xFF", 1, "The file is not a JPEG photo.");
	scrub_fails((const uint8_t *)"\xFF\xD8", 2, NULL);
	scrub_fails((const uint8_t *)"\xFF\xD8\xFF\xD9", 4, NULL);

	struct buf clean = make_jpeg(64, 48, TJSAMP_420, 0);
	/* Cut inside the headers. */
	for (size_t n = 3; n < 200; n += 7)
		scrub_fails(clean.p, n, NULL);
	scrub_fails(clean.p, 25, "The file ends in the middle of a JPEG segment; "
		    "it is probably cut off.");

	/* A length field running past the end. */
	struct buf b = { 0 };
	buf_put(&b, clean.p, clean.len);
	b.p[4] = 0xFF;
	b.p[5] = 0xF0;
	scrub_fails(b.p, b.len, "The file ends in the middle of a JPEG segment; "
		    "it is probably cut off.");
	buf_free(&b);

	/* A huge declared size in SOF. */
	struct pv_jpeg_layout l;
	struct pv_err err = {0};
	assert_int_equal(pv_jpeg_parse(clean.p, clean.len, &l, &err), 0);
	size_t sof = 0;
	for (size_t i = 0; i < l.count; i++)
		if (l.segs[i].kind == PV_SEG_SOF)
			sof = l.segs[i].payload;
	pv_jpeg_layout_free(&l);
	buf_put(&b, clean.p, clean.len);
	memcpy(b.p + sof + 1, "\xFF\xFF\xFF\xFF", 4);
	scrub_fails(b.p, b.len, NULL);
	memcpy(b.p + sof + 1, "\x00\x30\x00\x00", 4);   /* width zero */
	scrub_fails(b.p, b.len, NULL);
	buf_free(&b);

	/* No SOS, no SOF. */
	buf_put(&b, clean.p, sof - 4);
	buf_put(&b, "\xFF\xD9", 2);
	scrub_fails(b.p, b.len, NULL);
	buf_free(&b);

	/* Cut in the middle of the scan: missing EOI is tolerated. */
	buf_put(&b, clean.p, clean.len - 100);
	struct scrubbed s = scrub_ok(&b);
	assert_only_allowlisted(&s.out, 0);
	buf_free(&s.out);
	buf_free(&b);
	buf_free(&clean);
}

/* A size of 16000 x 15000 declared over a few hundred bytes of data, with
 * orientation 6: not turned (that would hold every coefficient in memory),
 * tagged instead. */
static void test_forged_size_is_tagged_not_turned(void **state)
{
	(void)state;
	struct buf clean = make_jpeg(32, 32, TJSAMP_420, 0);
	struct plant pl = { .orientation = 6 };
	struct buf dirty = plant(&clean, &pl);
	struct pv_jpeg_layout l;
	struct pv_err err = {0};
	assert_int_equal(pv_jpeg_parse(dirty.p, dirty.len, &l, &err), 0);
	for (size_t i = 0; i < l.count; i++)
		if (l.segs[i].kind == PV_SEG_SOF)
			memcpy(dirty.p + l.segs[i].payload + 1, "\x3A\x98\x3E\x80", 4);
	pv_jpeg_layout_free(&l);
	struct scrubbed s = scrub_ok(&dirty);
	assert_int_equal(s.r.orient_action, PV_ORIENT_TAGGED);
	assert_int_equal(s.r.width, 15000);
	assert_int_equal(s.r.height, 16000);
	assert_only_allowlisted(&s.out, 1);
	buf_free(&s.out);
	buf_free(&dirty);
	buf_free(&clean);
}

static uint32_t xorshift(uint32_t *s)
{
	uint32_t x = *s;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *s = x;
}

/* Deterministic mutations of one file: never a crash, always either a clean
 * file or -1 with a sentence. */
static void run_mutations(const struct buf *src, uint32_t seed, int rounds)
{
	uint8_t *m = malloc(src->len);
	assert_non_null(m);
	unsigned ok = 0, rejected = 0;
	for (int i = 0; i < rounds; i++) {
		memcpy(m, src->p, src->len);
		size_t n = src->len;
		int edits = 1 + (int)(xorshift(&seed) % 4);
		for (int e = 0; e < edits; e++) {
			size_t at = xorshift(&seed) % n;
			uint32_t r = xorshift(&seed);
			switch (r % 4) {
			case 0: m[at] = (uint8_t)(r >> 8); break;
			case 1: m[at] ^= (uint8_t)(1u << ((r >> 8) % 8)); break;
			case 2: m[at] = 0xFF; break;
			default: if (i % 5 == 0) n = at + 1; break;
			}
		}
		uint8_t *out = NULL;
		size_t out_len = 0;
		struct pv_err err = {0};
		struct pv_scrub_report r;
		int rc = pv_jpeg_scrub(m, n, &out, &out_len, &r, &err);
		if (rc == 0) {
			struct pv_err e2 = {0};
			assert_int_equal(pv_jpeg_check_clean(out, out_len, &e2), 0);
			struct buf o = { out, out_len };
			assert_false(contains(&o, "SECRET"));
			ok++;
		} else {
			assert_int_equal(rc, -1);
			assert_null(out);
			assert_true(strlen(err.msg) > 10);
			assert_null(strchr(err.msg, '\n'));
			rejected++;
		}
		free(out);
	}
	print_message("# mutations: %u cleaned, %u rejected\n", ok, rejected);
	assert_true(ok > (unsigned)rounds / 10);
	free(m);
}

static void test_mutations(void **state)
{
	(void)state;
	struct buf clean = make_jpeg(32, 32, TJSAMP_420, 0);
	struct plant pl = { .orientation = 6, .everything = 1, .fill = 1,
			    .trailer = 1 };
	struct buf dirty = plant(&clean, &pl);
	run_mutations(&dirty, 0x9E3779B9u, 2500);
	buf_free(&dirty);
	buf_free(&clean);

	/* progressive, restart markers, orientation 3 (turned) */
	setenv("TJ_RESTART", "1B", 1);
	clean = make_jpeg(32, 32, TJSAMP_420, TJFLAG_PROGRESSIVE);
	unsetenv("TJ_RESTART");
	struct plant p3 = { .orientation = 3, .everything = 1, .trailer = 1 };
	dirty = plant(&clean, &p3);
	run_mutations(&dirty, 0x12345678u, 1500);
	buf_free(&dirty);
	buf_free(&clean);
}

/* ---- real camera files ------------------------------------------------ */

static int read_whole(const char *path, struct buf *b)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	uint8_t chunk[65536];
	size_t n;
	memset(b, 0, sizeof *b);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_put(b, chunk, n);
	fclose(f);
	return 0;
}

static char *corpus_path(const char *rel)
{
	static char path[4096];
	snprintf(path, sizeof path, "%s/../shared/corpus/%s", pv_test_root(), rel);
	return path;
}

static void scrub_corpus_file(const char *path)
{
	struct buf in;
	assert_int_equal(read_whole(path, &in), 0);
	struct scrubbed s = scrub_ok(&in);
	assert_only_allowlisted(&s.out, s.r.orient_action == PV_ORIENT_TAGGED);
	int w, h;
	free(decode(s.out.p, s.out.len, &w, &h));
	assert_true(s.out.len < in.len);
	print_message("# %s: %zu -> %zu bytes, orientation %d, action %d\n",
		      strrchr(path, '/') + 1, in.len, s.out.len,
		      s.r.orientation, (int)s.r.orient_action);
	buf_free(&s.out);
	buf_free(&in);
}

static void test_corpus_every_file(void **state)
{
	(void)state;
	static const char *const dirs[] = { "cameras", "gps", "orientation" };
	int files = 0;
	for (size_t d = 0; d < 3; d++) {
		char dir[4096];
		snprintf(dir, sizeof dir, "%s", corpus_path(dirs[d]));
		DIR *dh = opendir(dir);
		if (!dh)
			continue;
		struct dirent *de;
		while ((de = readdir(dh)) != NULL) {
			const char *dot = strrchr(de->d_name, '.');
			if (!dot || strcasecmp(dot, ".jpg") != 0)
				continue;
			char path[8192];
			snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
			scrub_corpus_file(path);
			files++;
		}
		closedir(dh);
	}
	if (files == 0)
		skip();
}

/* Decoded upright pixels of a scrubbed corpus file: a tagged file is turned
 * here the way a viewer would. */
static uint8_t *scrubbed_upright(const char *rel, int *w, int *h, int *action)
{
	struct buf in;
	assert_int_equal(read_whole(corpus_path(rel), &in), 0);
	struct scrubbed s = scrub_ok(&in);
	int sw, sh;
	uint8_t *px = decode(s.out.p, s.out.len, &sw, &sh);
	*action = (int)s.r.orient_action;
	int o = s.r.orient_action == PV_ORIENT_TAGGED ? s.r.orientation : 1;
	uint8_t *up = apply_orientation(px, sw, sh, o, w, h);
	assert_int_equal(*w, s.r.width);
	assert_int_equal(*h, s.r.height);
	free(px);
	buf_free(&s.out);
	buf_free(&in);
	return up;
}

/* The corpus files were re-encoded one by one (different sampling and
 * quality), so pixels differ a little from <shape>_1 even when upright.
 * Upright means: much closer to the reference than the same pixels
 * mirrored or turned half way (the other readings of the same size). */
static void check_upright(const char *rel, const uint8_t *px,
			  const uint8_t *ref, int w, int h, int action)
{
	size_t n = (size_t)w * h * 3;
	double d = mean_abs_diff(px, ref, n), other = 1e9;
	for (int o = 2; o <= 4; o++) {
		int ow, oh;
		uint8_t *v = apply_orientation(px, w, h, o, &ow, &oh);
		double dv = mean_abs_diff(v, ref, n);
		other = dv < other ? dv : other;
		free(v);
	}
	print_message("# %s: %s, mean difference to upright %.2f "
		      "(nearest wrong reading %.2f)\n", rel,
		      action == PV_ORIENT_BAKED ? "baked" :
		      action == PV_ORIENT_TAGGED ? "tagged" : "unchanged",
		      d, other);
	assert_true(d < 20.0);
	assert_true(d < 0.6 * other);
}

static void test_corpus_orientation_upright(void **state)
{
	(void)state;
	struct buf probe;
	if (read_whole(corpus_path("orientation/landscape_1.jpg"), &probe) < 0) {
		skip();
		return;
	}
	buf_free(&probe);
	static const char *const shapes[] = { "landscape", "portrait" };
	for (int k = 0; k < 2; k++) {
		char rel[64];
		int rw, rh, act;
		snprintf(rel, sizeof rel, "orientation/%s_1.jpg", shapes[k]);
		uint8_t *ref = scrubbed_upright(rel, &rw, &rh, &act);
		for (int o = 2; o <= 8; o++) {
			int w, h;
			snprintf(rel, sizeof rel, "orientation/%s_%d.jpg", shapes[k], o);
			uint8_t *px = scrubbed_upright(rel, &w, &h, &act);
			assert_int_equal(w, rw);
			assert_int_equal(h, rh);
			check_upright(rel, px, ref, w, h, act);
			free(px);
		}
		free(ref);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_hand_built),
		cmocka_unit_test(test_parse_generated_kinds),
		cmocka_unit_test(test_parse_too_many_segments),
		cmocka_unit_test(test_scrub_baseline),
		cmocka_unit_test(test_scrub_progressive),
		cmocka_unit_test(test_scrub_greyscale),
		cmocka_unit_test(test_scrub_restart_markers),
		cmocka_unit_test(test_scrub_arithmetic),
		cmocka_unit_test(test_scrub_jfif_thumbnail_dropped),
		cmocka_unit_test(test_scrub_missing_eoi),
		cmocka_unit_test(test_scrub_junk_between_segments),
		cmocka_unit_test(test_orientation_mapping),
		cmocka_unit_test(test_orientation_all_eight),
		cmocka_unit_test(test_orientation_imperfect_is_tagged),
		cmocka_unit_test(test_orientation_app1_builder),
		cmocka_unit_test(test_exif_orientation_untrusted),
		cmocka_unit_test(test_check_clean_rejects_dirty),
		cmocka_unit_test(test_bad_inputs),
		cmocka_unit_test(test_forged_size_is_tagged_not_turned),
		cmocka_unit_test(test_mutations),
		cmocka_unit_test(test_corpus_every_file),
		cmocka_unit_test(test_corpus_orientation_upright),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
