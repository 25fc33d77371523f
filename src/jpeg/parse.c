/*
 * src/jpeg/parse.c - the JPEG marker walker.
 *
 * Walks every marker of a JPEG held in memory and records where each segment
 * starts and ends. Every length read from the file is checked against the
 * buffer before it is used; nothing outside [buf, buf + len) is ever read.
 */
#include <stdlib.h>
#include <string.h>

#include "photovoice/i18n.h"
#include "photovoice/jpeg.h"
#include "photovoice/util.h"
#include "jpeg_internal.h"

/* Markers (second byte after 0xFF). */
enum {
	M_SOF0 = 0xC0, M_DHT = 0xC4, M_JPG = 0xC8, M_DAC = 0xCC, M_SOF15 = 0xCF,
	M_RST0 = 0xD0, M_RST7 = 0xD7, M_SOI = 0xD8, M_EOI = 0xD9, M_SOS = 0xDA,
	M_DQT = 0xDB, M_DNL = 0xDC, M_DRI = 0xDD, M_APP0 = 0xE0, M_APP1 = 0xE1,
	M_APP2 = 0xE2, M_APP13 = 0xED, M_APP14 = 0xEE, M_APP15 = 0xEF,
	M_COM = 0xFE, M_TEM = 0x01
};

static const char MSG_CUT[] =
	N_("The file ends in the middle of a JPEG segment; it is probably cut off.");
static const char MSG_DAMAGED[] =
	N_("The file has unexpected bytes between the parts of the JPEG; it is damaged.");

/* State of one walk. */
struct walker {
	const uint8_t *buf;
	size_t len;
	size_t pos;
	struct pv_jpeg_layout *out;
	size_t cap;
	int seen_sof, seen_sos;
	struct pv_err *err;
};

static unsigned be16(const uint8_t *p)
{
	return ((unsigned)p[0] << 8) | p[1];
}

static int fail(struct walker *w, const char *msg)
{
	pv_fail_text(w->err, PV_ERR_INPUT, _(msg));
	return -1;
}

static int is_sof(uint8_t m)
{
	return m >= M_SOF0 && m <= M_SOF15 && m != M_DHT && m != M_JPG &&
	       m != M_DAC;
}

static int is_rst(uint8_t m)
{
	return m >= M_RST0 && m <= M_RST7;
}

/* Payload starts with the identifier `id` of `idlen` bytes (may hold NULs). */
static int has_id(const uint8_t *p, size_t plen, const char *id, size_t idlen)
{
	return plen >= idlen && memcmp(p, id, idlen) == 0;
}

static enum pv_seg_kind classify_app(uint8_t m, const uint8_t *p, size_t plen)
{
	switch (m) {
	case M_APP0:
		if (has_id(p, plen, "JFIF\0", 5))
			return PV_SEG_JFIF;
		if (has_id(p, plen, "JFXX\0", 5))
			return PV_SEG_JFXX;
		break;
	case M_APP1:
		if (has_id(p, plen, PV_ID_EXIF, PV_ID_EXIF_LEN))
			return PV_SEG_EXIF;
		if (has_id(p, plen, "http://ns.adobe.com/xap/1.0/\0", 29))
			return PV_SEG_XMP;
		if (has_id(p, plen, "http://ns.adobe.com/xmp/extension/\0", 35))
			return PV_SEG_XMP_EXT;
		break;
	case M_APP2:
		if (has_id(p, plen, "ICC_PROFILE\0", 12))
			return PV_SEG_ICC;
		if (has_id(p, plen, "MPF\0", 4))
			return PV_SEG_MPF;
		break;
	case M_APP13:
		if (has_id(p, plen, "Photoshop 3.0\0", 14))
			return PV_SEG_IPTC;
		break;
	case M_APP14:
		if (has_id(p, plen, "Adobe", 5))
			return PV_SEG_ADOBE;
		break;
	default:
		break;
	}
	return PV_SEG_APP_OTHER;
}

static enum pv_seg_kind classify(uint8_t m, const uint8_t *p, size_t plen)
{
	if (is_sof(m))
		return PV_SEG_SOF;
	if (m >= M_APP0 && m <= M_APP15)
		return classify_app(m, p, plen);
	switch (m) {
	case M_SOI: return PV_SEG_SOI;
	case M_EOI: return PV_SEG_EOI;
	case M_DHT: return PV_SEG_DHT;
	case M_DAC: return PV_SEG_DAC;
	case M_DQT: return PV_SEG_DQT;
	case M_DRI: return PV_SEG_DRI;
	case M_SOS: return PV_SEG_SOS;
	case M_DNL: return PV_SEG_DNL;
	case M_COM: return PV_SEG_COM;
	default:    return PV_SEG_OTHER;
	}
}

static int push(struct walker *w, const struct pv_jpeg_segment *seg)
{
	struct pv_jpeg_layout *out = w->out;
	if (out->count >= PV_JPEG_MAX_SEGMENTS)
		return fail(w, N_("The file has far more parts than a photo has; "
			       "it is damaged or not a real photo."));
	if (out->count == w->cap) {
		size_t ncap = w->cap ? w->cap * 2 : 32;
		struct pv_jpeg_segment *n =
			realloc(out->segs, ncap * sizeof *n);
		if (!n)
			return fail(w, N_("There is not enough memory to read the photo."));
		out->segs = n;
		w->cap = ncap;
	}
	out->segs[out->count++] = *seg;
	return 0;
}

static int push_standalone(struct walker *w, uint8_t m, size_t start)
{
	struct pv_jpeg_segment s = {
		.kind = classify(m, NULL, 0), .marker = m, .start = start,
		.len = 2, .payload = start + 2, .payload_len = 0,
	};
	return push(w, &s);
}

/* SOFn: precision, height, width, component count, 3 bytes per component. */
static int read_sof(struct walker *w, const struct pv_jpeg_segment *s)
{
	const uint8_t *p = w->buf + s->payload;
	if (w->seen_sof)
		return fail(w, N_("The photo has more than one frame, a JPEG layout "
			       "this program does not handle."));
	if (s->payload_len < 6 || s->payload_len < 6 + 3 * (size_t)p[5] ||
	    p[5] == 0)
		return fail(w, N_("The photo's size information is damaged."));
	int height = (int)be16(p + 1), width = (int)be16(p + 3);
	if (width == 0)
		return fail(w, N_("The photo declares a width of zero; it is damaged."));
	if ((uint64_t)width * (uint64_t)(height ? height : 1) > PV_JPEG_MAX_PIXELS)
		return fail(w, N_("The photo declares a size far larger than any "
			       "camera makes; it is damaged or forged."));
	w->out->width = width;
	w->out->height = height;
	w->out->components = p[5];
	w->out->sof_marker = s->marker;
	w->seen_sof = 1;
	return 0;
}

/* At a 0xFF inside entropy-coded data at `p`: returns 1 when it begins a
 * marker that ends the scan (anything but a stuffed 0x00 or an RSTn, either
 * possibly after fill bytes), storing in *next where to continue otherwise. */
static int ends_scan(const uint8_t *buf, size_t len, size_t p, size_t *next)
{
	size_t q = p + 1;
	while (q < len && buf[q] == 0xFF)
		q++;
	if (q >= len)
		return 1;         /* the file ends in 0xFF bytes: no more data */
	if (buf[q] == 0x00 && q == p + 1) {
		*next = q + 1;    /* stuffed 0xFF data byte */
		return 0;
	}
	if (is_rst(buf[q])) {
		*next = q + 1;    /* restart marker, maybe after fill bytes */
		return 0;
	}
	return 1;
}

/* Length of the entropy-coded data (with RSTn) starting at `from`. */
static size_t scan_length(const uint8_t *buf, size_t len, size_t from)
{
	size_t p = from;
	while (p < len) {
		const uint8_t *ff = memchr(buf + p, 0xFF, len - p);
		if (!ff)
			return len - from;
		p = (size_t)(ff - buf);
		size_t next;
		if (ends_scan(buf, len, p, &next))
			return p - from;
		p = next;
	}
	return len - from;
}

static int read_sos(struct walker *w, struct pv_jpeg_segment *s)
{
	const uint8_t *p = w->buf + s->payload;
	if (!w->seen_sof)
		return fail(w, N_("The picture data starts before the photo's size "
			       "is given; the file is damaged."));
	if (s->payload_len < 1 || p[0] == 0 ||
	    s->payload_len != 1 + 2 * (size_t)p[0] + 3)
		return fail(w, N_("The header of the picture data is damaged."));
	s->scan_len = scan_length(w->buf, w->len, s->start + s->len);
	w->seen_sos = 1;
	return 0;
}

/* A marker with a length field at w->pos (just past the marker byte). */
static int read_segment(struct walker *w, uint8_t m, size_t start)
{
	if (w->len - w->pos < 2)
		return fail(w, MSG_CUT);
	size_t seglen = be16(w->buf + w->pos);
	if (seglen < 2)
		return fail(w, N_("A part of the JPEG has an impossible length; "
			       "the file is damaged."));
	if (w->len - w->pos < seglen)
		return fail(w, MSG_CUT);
	struct pv_jpeg_segment s = {
		.marker = m, .start = start, .len = 2 + seglen,
		.payload = w->pos + 2, .payload_len = seglen - 2,
	};
	s.kind = classify(m, w->buf + s.payload, s.payload_len);
	if (s.kind == PV_SEG_SOF && read_sof(w, &s) < 0)
		return -1;
	if (s.kind == PV_SEG_SOS && read_sos(w, &s) < 0)
		return -1;
	w->pos = s.start + s.len + s.scan_len;
	return push(w, &s);
}

static int finish_at_eoi(struct walker *w, size_t start)
{
	if (push_standalone(w, M_EOI, start) < 0)
		return -1;
	w->out->has_eoi = 1;
	w->out->eoi_end = start + 2;
	w->out->trailer_len = w->len - w->out->eoi_end;
	if (w->out->trailer_len == 0)
		return 0;
	struct pv_jpeg_segment t = {
		.kind = PV_SEG_TRAILER, .marker = 0, .start = w->out->eoi_end,
		.len = w->out->trailer_len, .payload = w->out->eoi_end,
		.payload_len = w->out->trailer_len,
	};
	return push(w, &t);
}

/* Some writers leave stray bytes (often zero padding) between segments;
 * libjpeg skips them with a warning and so do we. They belong to no segment,
 * so the rewrite drops them. Leaves w->pos at the next 0xFF or the end. */
static int skip_junk(struct walker *w)
{
	const uint8_t *ff = memchr(w->buf + w->pos, 0xFF, w->len - w->pos);
	if (!ff && !w->seen_sos)
		return fail(w, MSG_DAMAGED);
	w->pos = ff ? (size_t)(ff - w->buf) : w->len;
	return 0;
}

/* Walks markers after SOI until EOI or the end of the buffer. */
static int walk(struct walker *w)
{
	for (;;) {
		if (w->pos >= w->len) {
			w->out->eoi_end = w->len;   /* no EOI: tolerated */
			return 0;
		}
		if (w->buf[w->pos] != 0xFF && skip_junk(w) < 0)
			return -1;
		if (w->pos >= w->len) {
			w->out->eoi_end = w->len;
			return 0;
		}
		size_t fill_start = w->pos;
		while (w->pos < w->len && w->buf[w->pos] == 0xFF)
			w->pos++;               /* fill bytes */
		if (w->pos >= w->len) {
			if (!w->seen_sos)
				return fail(w, MSG_CUT);
			w->out->eoi_end = fill_start;
			return 0;
		}
		size_t start = w->pos - 1;      /* the last 0xFF */
		uint8_t m = w->buf[w->pos++];
		if (m == M_EOI)
			return finish_at_eoi(w, start);
		if (m == 0x00 || m == M_SOI)
			return fail(w, MSG_DAMAGED);
		if (is_rst(m) || m == M_TEM) {
			if (push_standalone(w, m, start) < 0)
				return -1;
			continue;
		}
		if (read_segment(w, m, start) < 0)
			return -1;
	}
}

int pv_jpeg_parse(const uint8_t *buf, size_t len, struct pv_jpeg_layout *out,
		  struct pv_err *err)
{
	struct walker w = {
		.buf = buf, .len = len, .pos = 2, .out = out,
		.err = err,
	};
	memset(out, 0, sizeof *out);
	if (!buf || len == 0)
		return fail(&w, N_("The file is empty."));
	if (len < 2 || buf[0] != 0xFF || buf[1] != M_SOI)
		return fail(&w, N_("The file is not a JPEG photo."));
	if (push_standalone(&w, M_SOI, 0) < 0 || walk(&w) < 0)
		goto bad;
	if (!w.seen_sof) {
		fail(&w, N_("The file has no picture size, so it is not a "
			 "complete JPEG photo."));
		goto bad;
	}
	if (!w.seen_sos) {
		fail(&w, N_("The file has no picture data; it is probably cut off."));
		goto bad;
	}
	return 0;
bad:
	pv_jpeg_layout_free(out);
	return -1;
}

void pv_jpeg_layout_free(struct pv_jpeg_layout *layout)
{
	if (!layout)
		return;
	free(layout->segs);
	memset(layout, 0, sizeof *layout);
}

const char *pv_jpeg_kind_name(enum pv_seg_kind kind)
{
	static const char *const names[PV_SEG_KIND_COUNT] = {
		[PV_SEG_SOI] = "SOI", [PV_SEG_EOI] = "EOI",
		[PV_SEG_SOF] = "SOF", [PV_SEG_DHT] = "DHT",
		[PV_SEG_DAC] = "DAC", [PV_SEG_DQT] = "DQT",
		[PV_SEG_DRI] = "DRI", [PV_SEG_SOS] = "SOS",
		[PV_SEG_DNL] = "DNL", [PV_SEG_JFIF] = "JFIF",
		[PV_SEG_JFXX] = "JFXX", [PV_SEG_EXIF] = "Exif",
		[PV_SEG_XMP] = "XMP", [PV_SEG_XMP_EXT] = N_("extended XMP"),
		[PV_SEG_ICC] = N_("ICC profile"), [PV_SEG_MPF] = "MPF",
		[PV_SEG_IPTC] = "IPTC", [PV_SEG_ADOBE] = "Adobe",
		[PV_SEG_COM] = "comment", [PV_SEG_APP_OTHER] = N_("other APP"),
		[PV_SEG_OTHER] = N_("other marker"), [PV_SEG_TRAILER] = N_("trailer"),
	};
	if ((unsigned)kind >= PV_SEG_KIND_COUNT)
		return "unknown";
	return names[kind];
}
