/*
 * src/jpeg/rewrite.c - the privacy rewrite and verify-after-write.
 *
 * Allowlist, not blocklist: the output holds only SOI, the tables (DQT, DHT,
 * DAC, DRI), SOFn, SOS with its entropy-coded data copied byte for byte, DNL,
 * EOI, a JFIF APP0 (re-written without its thumbnail), ICC APP2 chunks and
 * an Adobe APP14 (re-written at its fixed size). Everything else is dropped.
 * The result is parsed again and checked before anyone gets to see it.
 */
#include <stdlib.h>
#include <string.h>

#include <turbojpeg.h>

#include "photovoice/i18n.h"
#include "photovoice/jpeg.h"
#include "photovoice/util.h"
#include "jpeg_internal.h"

/* Fixed payload sizes of the two segments we re-write. */
#define JFIF_PAYLOAD 14    /* "JFIF\0", version, units, densities, 0x0 thumb */
#define ADOBE_PAYLOAD 12   /* "Adobe", version, flags0, flags1, transform */
#define ICC_MIN_PAYLOAD 14 /* "ICC_PROFILE\0", sequence number, count */

static const char MSG_NOT_CLEAN[] =
	N_("The cleaned photo did not pass the safety check, so it was not kept.");
static const char MSG_OOM[] = N_("There is not enough memory to clean the photo.");

/* ---- output buffer ---------------------------------------------------- */

struct outbuf {
	uint8_t *p;
	size_t len, cap;
	int oom;
};

static void put(struct outbuf *o, const void *data, size_t n)
{
	if (o->oom || n == 0)
		return;
	if (o->cap - o->len < n) {
		size_t ncap = o->cap ? o->cap : 4096;
		while (ncap - o->len < n)
			ncap *= 2;
		uint8_t *np = realloc(o->p, ncap);
		if (!np) {
			o->oom = 1;
			return;
		}
		o->p = np;
		o->cap = ncap;
	}
	memcpy(o->p + o->len, data, n);
	o->len += n;
}

static void put_marker(struct outbuf *o, uint8_t m, size_t payload_len)
{
	uint8_t h[4] = { 0xFF, m, (uint8_t)((payload_len + 2) >> 8),
			 (uint8_t)((payload_len + 2) & 0xFF) };
	put(o, h, 4);
}

/* ---- the allowlist ---------------------------------------------------- */

int pv_jpeg_kind_allowed(enum pv_seg_kind kind)
{
	switch (kind) {
	case PV_SEG_SOI: case PV_SEG_EOI: case PV_SEG_SOF: case PV_SEG_DHT:
	case PV_SEG_DAC: case PV_SEG_DQT: case PV_SEG_DRI: case PV_SEG_SOS:
	case PV_SEG_DNL: case PV_SEG_JFIF: case PV_SEG_ICC: case PV_SEG_ADOBE:
		return 1;
	default:
		return 0;
	}
}

/* An allowlisted kind that is also long enough to be re-written as itself;
 * a stunted JFIF, Adobe or ICC segment is dropped like any other. */
static int keep_segment(const struct pv_jpeg_segment *s)
{
	if (!pv_jpeg_kind_allowed(s->kind))
		return 0;
	switch (s->kind) {
	case PV_SEG_JFIF:  return s->payload_len >= JFIF_PAYLOAD;
	case PV_SEG_ADOBE: return s->payload_len >= ADOBE_PAYLOAD;
	case PV_SEG_ICC:   return s->payload_len >= ICC_MIN_PAYLOAD;
	default:           return 1;
	}
}

/* Segments whose bytes define the pixels; compared one for one between the
 * input (or the transform's output) and what we write. */
static int defines_pixels(enum pv_seg_kind kind)
{
	switch (kind) {
	case PV_SEG_SOF: case PV_SEG_DHT: case PV_SEG_DAC: case PV_SEG_DQT:
	case PV_SEG_DRI: case PV_SEG_SOS: case PV_SEG_DNL:
		return 1;
	default:
		return 0;
	}
}

static void count_removed(const struct pv_jpeg_layout *l,
			  struct pv_scrub_report *r)
{
	for (size_t i = 0; i < l->count; i++) {
		const struct pv_jpeg_segment *s = &l->segs[i];
		if (!keep_segment(s)) {
			r->removed[s->kind]++;
			r->removed_bytes += s->len;
		} else if (s->kind == PV_SEG_JFIF) {
			r->removed_bytes += s->payload_len - JFIF_PAYLOAD;
		} else if (s->kind == PV_SEG_ADOBE) {
			r->removed_bytes += s->payload_len - ADOBE_PAYLOAD;
		}
	}
	r->trailer_bytes = l->trailer_len;
}

/* ---- writing ---------------------------------------------------------- */

/* JFIF APP0 may carry an uncompressed thumbnail: write the header fields
 * only, with a 0 x 0 thumbnail. */
static void put_jfif(struct outbuf *o, const uint8_t *payload)
{
	uint8_t p[JFIF_PAYLOAD];
	memcpy(p, payload, JFIF_PAYLOAD - 2);
	p[12] = 0;
	p[13] = 0;
	put_marker(o, 0xE0, JFIF_PAYLOAD);
	put(o, p, JFIF_PAYLOAD);
}

static void put_segment(struct outbuf *o, const uint8_t *buf,
			const struct pv_jpeg_segment *s)
{
	if (s->kind == PV_SEG_JFIF) {
		put_jfif(o, buf + s->payload);
	} else if (s->kind == PV_SEG_ADOBE) {
		put_marker(o, 0xEE, ADOBE_PAYLOAD);
		put(o, buf + s->payload, ADOBE_PAYLOAD);
	} else {
		put(o, buf + s->start, s->len + s->scan_len);
	}
}

/* What goes in after the leading JFIF/Adobe segments: the orientation APP1
 * (fallback only) and every ICC chunk of the original, in order. */
struct inserts {
	const uint8_t *app1;
	size_t app1_len;
	const uint8_t *icc_buf;
	const struct pv_jpeg_layout *icc_layout;
};

static void put_inserts(struct outbuf *o, const struct inserts *ins)
{
	put(o, ins->app1, ins->app1_len);
	const struct pv_jpeg_layout *l = ins->icc_layout;
	for (size_t i = 0; i < l->count; i++)
		if (l->segs[i].kind == PV_SEG_ICC && keep_segment(&l->segs[i]))
			put_segment(o, ins->icc_buf, &l->segs[i]);
}

/* Writes the kept segments of `src`, the inserts, and a closing EOI. */
static void assemble(struct outbuf *o, const uint8_t *src,
		     const struct pv_jpeg_layout *l, const struct inserts *ins)
{
	static const uint8_t soi[2] = { 0xFF, 0xD8 }, eoi[2] = { 0xFF, 0xD9 };
	int inserted = 0;
	put(o, soi, 2);
	for (size_t i = 0; i < l->count; i++) {
		const struct pv_jpeg_segment *s = &l->segs[i];
		if (!keep_segment(s) || s->kind == PV_SEG_SOI ||
		    s->kind == PV_SEG_EOI)
			continue;
		int leading = s->kind == PV_SEG_JFIF || s->kind == PV_SEG_ADOBE;
		if (!leading && !inserted) {
			put_inserts(o, ins);
			inserted = 1;
		}
		if (s->kind != PV_SEG_ICC)      /* ICC came with the inserts */
			put_segment(o, src, s);
	}
	if (!inserted)
		put_inserts(o, ins);
	put(o, eoi, 2);                         /* even when the input had none */
}

/* ---- checking --------------------------------------------------------- */

static int dqt_well_formed(const uint8_t *p, size_t n)
{
	size_t off = 0;
	while (off < n) {
		unsigned precision = p[off] >> 4;
		if (precision > 1)
			return 0;
		size_t table = precision ? 128 : 64;
		if (n - off - 1 < table)
			return 0;
		off += 1 + table;
	}
	return n > 0;
}

static int dht_well_formed(const uint8_t *p, size_t n)
{
	size_t off = 0;
	while (off < n) {
		if (n - off < 17)
			return 0;
		size_t symbols = 0;
		for (int i = 1; i <= 16; i++)
			symbols += p[off + i];
		if (n - off - 17 < symbols)
			return 0;
		off += 17 + symbols;
	}
	return n > 0;
}

/* The table and frame segments hold exactly what their structure says, so
 * no bytes can hide at their end. */
static int segment_well_formed(const uint8_t *buf,
			       const struct pv_jpeg_segment *s)
{
	const uint8_t *p = buf + s->payload;
	size_t n = s->payload_len;
	switch (s->kind) {
	case PV_SEG_DQT:  return dqt_well_formed(p, n);
	case PV_SEG_DHT:  return dht_well_formed(p, n);
	case PV_SEG_DAC:  return n > 0 && n % 2 == 0;
	case PV_SEG_DRI:  return n == 2;
	case PV_SEG_DNL:  return n == 2;
	case PV_SEG_SOF:  return n >= 6 && n == 6 + 3 * (size_t)p[5];
	case PV_SEG_JFIF: return n == JFIF_PAYLOAD && p[12] == 0 && p[13] == 0;
	case PV_SEG_ADOBE: return n == ADOBE_PAYLOAD;
	case PV_SEG_ICC:  return n >= ICC_MIN_PAYLOAD;
	default:          return 1;  /* SOI, EOI, SOS (checked by the parser) */
	}
}

static int check_orientation_app1(const uint8_t *buf,
				  const struct pv_jpeg_segment *s, int *seen)
{
	if (s->marker != 0xE1 || *seen)
		return 0;
	return pv_exif_is_minimal_orientation(buf + s->payload, s->payload_len,
					      seen);
}

int pv_jpeg_check_allowlist(const uint8_t *buf,
			    const struct pv_jpeg_layout *l,
			    int allow_orient_app1, int *orientation,
			    struct pv_err *err)
{
	int seen = 0;
	for (size_t i = 0; i < l->count; i++) {
		const struct pv_jpeg_segment *s = &l->segs[i];
		if (s->kind == PV_SEG_EXIF && allow_orient_app1 &&
		    check_orientation_app1(buf, s, &seen))
			continue;
		if (!pv_jpeg_kind_allowed(s->kind)) {
			pv_fail(err, PV_ERR_INPUT, "The photo still carries a "
				   "block of hidden information (%s).",
				   _(pv_jpeg_kind_name(s->kind)));
			return -1;
		}
		if (!segment_well_formed(buf, s)) {
			pv_fail(err, PV_ERR_INPUT, "The photo has a %s block with "
				   "unexpected content.",
				   _(pv_jpeg_kind_name(s->kind)));
			return -1;
		}
	}
	if (!l->has_eoi || l->trailer_len != 0) {
		pv_fail(err, PV_ERR_INPUT, "The photo does not end where a "
			   "clean JPEG ends.");
		return -1;
	}
	if (orientation)
		*orientation = seen;
	return 0;
}

/* The pixel-defining segments of `a` and `b` are the same bytes, one for one:
 * the scan data was copied, never re-encoded. */
static int same_pixel_data(const uint8_t *a, const struct pv_jpeg_layout *la,
			   const uint8_t *b, const struct pv_jpeg_layout *lb)
{
	size_t i = 0, j = 0;
	for (;;) {
		while (i < la->count && !defines_pixels(la->segs[i].kind))
			i++;
		while (j < lb->count && !defines_pixels(lb->segs[j].kind))
			j++;
		if (i == la->count || j == lb->count)
			return i == la->count && j == lb->count;
		const struct pv_jpeg_segment *sa = &la->segs[i++];
		const struct pv_jpeg_segment *sb = &lb->segs[j++];
		size_t na = sa->len + sa->scan_len, nb = sb->len + sb->scan_len;
		if (na != nb || memcmp(a + sa->start, b + sb->start, na) != 0)
			return 0;
	}
}

/* libjpeg-turbo reads the header and finds the size the parser found. */
static int header_decodes(const uint8_t *buf, size_t len, int width,
			  int height)
{
	if (len > (unsigned long)-1)
		return 0;
	tjhandle h = tjInitDecompress();
	if (!h)
		return 0;
	int w = 0, hh = 0, subsamp = 0, cs = 0;
	int rc = tjDecompressHeader3(h, buf, (unsigned long)len, &w, &hh,
				     &subsamp, &cs);
	tjDestroy(h);
	return rc == 0 && w == width && hh == height;
}

int pv_jpeg_check_clean(const uint8_t *buf, size_t len, struct pv_err *err)
{
	struct pv_jpeg_layout l;
	if (pv_jpeg_parse(buf, len, &l, err) < 0)
		return -1;
	int rc = pv_jpeg_check_allowlist(buf, &l, 1, NULL, err);
	if (rc == 0 && !header_decodes(buf, len, l.width, l.height)) {
		pv_fail(err, PV_ERR_INPUT, "The photo cannot be read by the JPEG "
			   "decoder.");
		rc = -1;
	}
	pv_jpeg_layout_free(&l);
	return rc;
}

/* What verify-after-write compares the output with. */
struct expect {
	const uint8_t *src;                 /* input, or the transform output */
	const struct pv_jpeg_layout *layout;
	int width, height;                  /* stored size of the output */
	int orientation_tag;                /* 0, or the fallback APP1 value */
};

static int verify_output(const uint8_t *out, size_t out_len,
			 const struct expect *x, struct pv_err *err)
{
	struct pv_jpeg_layout l;
	struct pv_err why = {0};
	if (pv_jpeg_parse(out, out_len, &l, &why) < 0) {
		pv_fail_text(err, PV_ERR_INPUT, _(MSG_NOT_CLEAN));
		return -1;
	}
	int tag = 0;
	int ok = pv_jpeg_check_allowlist(out, &l, x->orientation_tag != 0,
					 &tag, &why) == 0 &&
		 tag == x->orientation_tag &&
		 same_pixel_data(out, &l, x->src, x->layout) &&
		 l.width == x->width && l.height == x->height &&
		 header_decodes(out, out_len, x->width, x->height);
	pv_jpeg_layout_free(&l);
	if (!ok) {
		pv_fail_text(err, PV_ERR_INPUT, _(MSG_NOT_CLEAN));
		return -1;
	}
	return 0;
}

/* ---- the rewrite ------------------------------------------------------ */

static int find_orientation(const uint8_t *buf, const struct pv_jpeg_layout *l)
{
	for (size_t i = 0; i < l->count; i++)
		if (l->segs[i].kind == PV_SEG_EXIF)
			return pv_exif_orientation(buf + l->segs[i].payload,
						   l->segs[i].payload_len);
	return 0;
}

/* Writes the kept segments of (src, layout) plus the inserts into *o and
 * verifies the result against `x`. On failure *o is freed. */
static int write_and_verify(struct outbuf *o, const uint8_t *src,
			    const struct pv_jpeg_layout *layout,
			    const struct inserts *ins, const struct expect *x,
			    struct pv_err *err)
{
	assemble(o, src, layout, ins);
	if (o->oom) {
		pv_fail_text(err, PV_ERR_INPUT, _(MSG_OOM));
	} else if (verify_output(o->p, o->len, x, err) == 0) {
		return 0;
	}
	free(o->p);
	memset(o, 0, sizeof *o);
	return -1;
}

/* Orientation 2..8 with a perfect transform: turn the already clean file,
 * then put the original's ICC chunks back in. 1 when impossible. */
static int write_baked(struct outbuf *o, const uint8_t *clean, size_t clean_len,
		       const uint8_t *in, const struct pv_jpeg_layout *in_l,
		       int orientation, struct pv_err *err)
{
	uint8_t *t;
	size_t t_len;
	if (pv_orient_transform(clean, clean_len, orientation, &t, &t_len) < 0)
		return 1;
	struct pv_jpeg_layout tl;
	struct pv_err why = {0};
	if (pv_jpeg_parse(t, t_len, &tl, &why) < 0) {
		free(t);
		return 1;
	}
	int swap = pv_orient_swaps_axes(orientation);
	struct inserts ins = { .icc_buf = in, .icc_layout = in_l };
	struct expect x = {
		.src = t, .layout = &tl,
		.width = swap ? in_l->height : in_l->width,
		.height = swap ? in_l->width : in_l->height,
	};
	int rc = write_and_verify(o, t, &tl, &ins, &x, err);
	pv_jpeg_layout_free(&tl);
	free(t);
	return rc;
}

/* Orientation 2..8 without a perfect transform: the original pixels with a
 * minimal APP1 holding Orientation alone. */
static int write_tagged(struct outbuf *o, const uint8_t *in,
			const struct pv_jpeg_layout *in_l, int orientation,
			struct pv_err *err)
{
	uint8_t *app1;
	size_t app1_len;
	if (pv_exif_build_orientation_app1(orientation, &app1, &app1_len) < 0) {
		pv_fail(err, PV_ERR_INPUT, "The photo's orientation could not be "
			   "kept, so it was not cleaned.");
		return -1;
	}
	struct inserts ins = { .app1 = app1, .app1_len = app1_len,
			       .icc_buf = in, .icc_layout = in_l };
	struct expect x = { .src = in, .layout = in_l, .width = in_l->width,
			    .height = in_l->height,
			    .orientation_tag = orientation };
	int rc = write_and_verify(o, in, in_l, &ins, &x, err);
	free(app1);
	return rc;
}

/* A lossless transform holds every coefficient of the picture in memory.
 * A real photo's entropy-coded data is far more than one byte per 1024
 * pixels (baseline needs at least 2 bits per 8x8 block); a file declaring a
 * huge size over a few bytes of data is damaged or forged, and is tagged
 * instead of turned: the same safe result without the memory. */
static int transform_is_sensible(const struct pv_jpeg_layout *l)
{
	uint64_t scan = 0;
	for (size_t i = 0; i < l->count; i++)
		scan += l->segs[i].scan_len;
	uint64_t pixels = (uint64_t)l->width * (uint64_t)l->height;
	return scan * 1024 >= pixels;
}

static int scrub_parsed(const uint8_t *in, const struct pv_jpeg_layout *l,
			struct outbuf *o, struct pv_scrub_report *r,
			struct pv_err *err)
{
	struct inserts ins = { .icc_buf = in, .icc_layout = l };
	struct expect x = { .src = in, .layout = l, .width = l->width,
			    .height = l->height };
	if (write_and_verify(o, in, l, &ins, &x, err) < 0)
		return -1;
	r->width = l->width;
	r->height = l->height;
	int orient = r->orientation;
	if (orient < 2)
		return 0;
	struct outbuf turned = { 0 };
	int rc = 1;
	if (transform_is_sensible(l))
		rc = write_baked(&turned, o->p, o->len, in, l, orient, err);
	if (rc == 1)
		rc = write_tagged(&turned, in, l, orient, err) < 0 ? -1 : 2;
	free(o->p);
	*o = turned;
	if (rc < 0)
		return -1;
	r->orient_action = rc == 0 ? PV_ORIENT_BAKED : PV_ORIENT_TAGGED;
	if (pv_orient_swaps_axes(orient)) {
		r->width = l->height;
		r->height = l->width;
	}
	return 0;
}

int pv_jpeg_scrub(const uint8_t *in, size_t in_len, uint8_t **out,
		  size_t *out_len, struct pv_scrub_report *report,
		  struct pv_err *err)
{
	struct pv_scrub_report local;
	struct pv_scrub_report *r = report ? report : &local;
	struct pv_jpeg_layout l;
	struct outbuf o = { 0 };
	memset(r, 0, sizeof *r);
	*out = NULL;
	*out_len = 0;
	if (pv_jpeg_parse(in, in_len, &l, err) < 0)
		return -1;
	r->orientation = find_orientation(in, &l);
	count_removed(&l, r);
	int rc = scrub_parsed(in, &l, &o, r, err);
	pv_jpeg_layout_free(&l);
	if (rc < 0) {
		free(o.p);
		return -1;
	}
	*out = o.p;
	*out_len = o.len;
	return 0;
}
