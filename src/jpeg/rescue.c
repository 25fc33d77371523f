/*
 * Caption rescue: the text a participant or an editor already put inside the
 * photo (a caption, a title) and the month it was taken, read before the
 * privacy rewrite removes the metadata. Camera boilerplate is ignored; every
 * string handed back is valid UTF-8, trimmed and free of control characters.
 */
#include "photovoice/jpeg.h"
#include "photovoice/util.h"
#include "jpeg_internal.h"

#include <glib.h>
#include <libexif/exif-data.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define TEXT_MAX ((size_t)64 * 1024)   /* longest rescued text, bytes */

/* ---- text: valid UTF-8, no control characters, trimmed ------------------ */

/* Every character is collected; line ends and controls are then dealt with
 * by pv_text_keep, the rule of every intake (a caption file's words too). */
static void put_char(GString *g, gunichar c)
{
	if (c != 0 && g->len < TEXT_MAX)
		g_string_append_unichar(g, c);
}

/* Finishes a GString into a trimmed malloc'd string, NULL when empty. */
static char *finish(GString *g)
{
	char *s = pv_text_kept(g->str);
	g_string_free(g, TRUE);
	return s;
}

/* Bytes up to the first NUL: UTF-8 when valid, else read as Latin-1 (what
 * cameras and old Windows tools put in EXIF ASCII fields). */
static char *text_from_bytes(const uint8_t *s, size_t len)
{
	const uint8_t *nul = memchr(s, 0, len);
	if (nul)
		len = (size_t)(nul - s);
	GString *g = g_string_sized_new(len + 1);
	int utf8 = g_utf8_validate((const gchar *)s, (gssize)len, NULL);
	size_t i = 0;
	while (i < len) {
		if (utf8) {
			gunichar c = g_utf8_get_char((const gchar *)s + i);
			i += (size_t)g_utf8_skip[s[i]];
			put_char(g, c);
		} else {
			put_char(g, s[i++]);
		}
	}
	return finish(g);
}

static char *text_from_utf16(const uint8_t *s, size_t len, int le)
{
	GString *g = g_string_sized_new(len / 2 + 1);
	for (size_t i = 0; i + 1 < len; i += 2) {
		gunichar c = le ? (gunichar)(s[i] | s[i + 1] << 8) : (gunichar)(s[i] << 8 | s[i + 1]);
		if (c == 0)
			break;
		if (c >= 0xD800 && c <= 0xDBFF && i + 3 < len) {
			gunichar lo = le ? (gunichar)(s[i + 2] | s[i + 3] << 8)
					 : (gunichar)(s[i + 2] << 8 | s[i + 3]);
			if (lo >= 0xDC00 && lo <= 0xDFFF) {
				put_char(g, 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00));
				i += 2;
			}
			continue;
		}
		if (c >= 0xD800 && c <= 0xDFFF)
			continue;   /* a lone surrogate: dropped */
		put_char(g, c);
	}
	return finish(g);
}

/* ---- what is not a caption ---------------------------------------------- */

static const char *const boilerplate[] = {
	"OLYMPUS DIGITAL CAMERA", "SONY DSC", "DIGITAL CAMERA", "DSC",
	"KODAK Digital Still Camera", "Digital Still Camera", "Minolta DSC",
	"KONICA MINOLTA DIGITAL CAMERA", "Samsung Digital Camera", "SAMSUNG",
	"Exif_JPEG_PICTURE", "Exif JPEG", "default", "Untitled", "image",
	"photo", "picture", "LEICA", "Polaroid", "MEDIONDC", "SONY", "CASIO",
	"Panasonic", "NIKON", "Canon", "Created with GIMP", "Screenshot",
};

/* IMG_2041, DSC01234, DSCN0010, P1010001, PICT0001: file names, not captions */
static int looks_like_file_name(const char *s)
{
	static const char *const pre[] = { "IMG", "DSCN", "DSCF", "DSC", "PICT", "DCIM", "P", "PXL" };
	for (size_t i = 0; i < sizeof pre / sizeof pre[0]; i++) {
		size_t n = strlen(pre[i]);
		if (strncasecmp(s, pre[i], n) != 0)
			continue;
		const char *p = s + n;
		int digits = 0;
		while (*p == '_' || *p == '-' || (*p >= '0' && *p <= '9'))
			digits += (*p++ >= '0');
		if (digits >= 3 && (*p == '\0' || strcasecmp(p, ".jpg") == 0 ||
				    strcasecmp(p, ".jpeg") == 0))
			return 1;
	}
	return 0;
}

static int has_word_char(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p >= 0x80 || g_ascii_isalnum(*p))
			return 1;
	return 0;
}

static int is_boilerplate(const char *s, const char *make, const char *model)
{
	if (!s || !*s || !has_word_char(s) || looks_like_file_name(s))
		return 1;
	for (size_t i = 0; i < sizeof boilerplate / sizeof boilerplate[0]; i++)
		if (strcasecmp(s, boilerplate[i]) == 0)
			return 1;
	if ((make && strcasecmp(s, make) == 0) || (model && strcasecmp(s, model) == 0))
		return 1;
	if (make && model) {
		size_t n = strlen(make);
		if (strncasecmp(s, make, n) == 0 && s[n] == ' ' && strcasecmp(s + n + 1, model) == 0)
			return 1;
	}
	return 0;
}

/* ---- candidates, in priority order -------------------------------------- */

enum { C_EXIF_DESC, C_XMP_DESC, C_IPTC_CAPTION, C_XP_COMMENT, C_USER_COMMENT,
       C_XMP_TITLE, C_IPTC_HEADLINE, C_XP_TITLE, C_COUNT };

struct found {
	char *c[C_COUNT];
	char *make, *model;
	char *month;
	int orientation;
};

static void set_once(char **slot, char *v)
{
	if (*slot)
		free(v);
	else
		*slot = v;
}

/* ---- Exif ---------------------------------------------------------------- */

static char *exif_text(ExifData *ed, ExifIfd ifd, ExifTag tag)
{
	ExifEntry *e = exif_content_get_entry(ed->ifd[ifd], tag);
	if (!e)
		e = exif_data_get_entry(ed, tag);
	if (!e || !e->data || !e->size)
		return NULL;
	return text_from_bytes(e->data, e->size);
}

static char *exif_xp(ExifData *ed, ExifTag tag)
{
	ExifEntry *e = exif_data_get_entry(ed, tag);
	if (!e || !e->data || e->size < 2)
		return NULL;
	return text_from_utf16(e->data, e->size, 1);
}

/* UserComment: an 8-byte character code, then the text. */
static char *exif_user_comment(ExifData *ed)
{
	ExifEntry *e = exif_data_get_entry(ed, EXIF_TAG_USER_COMMENT);
	if (!e || !e->data || e->size <= 8)
		return NULL;
	const uint8_t *d = e->data + 8;
	size_t n = e->size - 8;
	if (memcmp(e->data, "UNICODE\0", 8) == 0) {
		int le = exif_data_get_byte_order(ed) == EXIF_BYTE_ORDER_INTEL;
		if (n >= 2 && ((d[0] == 0xFF && d[1] == 0xFE) || (d[0] == 0xFE && d[1] == 0xFF))) {
			le = d[0] == 0xFF;
			d += 2;
			n -= 2;
		}
		return text_from_utf16(d, n, le);
	}
	if (memcmp(e->data, "ASCII\0\0\0", 8) == 0 || memcmp(e->data, "\0\0\0\0\0\0\0\0", 8) == 0)
		return text_from_bytes(d, n);
	return NULL;   /* JIS and unknown codes: not read */
}

static int digits(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return 0;
	return 1;
}

/* "YYYY:MM:DD HH:MM:SS" -> "YYYY-MM" */
static char *exif_month(ExifData *ed, ExifTag tag)
{
	ExifEntry *e = exif_data_get_entry(ed, tag);
	if (!e || !e->data || e->size < 7)
		return NULL;
	const uint8_t *d = e->data;
	if (!digits(d, 4) || (d[4] != ':' && d[4] != '-') || !digits(d + 5, 2))
		return NULL;
	int year = (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 + (d[3] - '0');
	int month = (d[5] - '0') * 10 + (d[6] - '0');
	if (year < 1826 || month < 1 || month > 12)
		return NULL;
	char out[16];
	snprintf(out, sizeof out, "%04d-%02d", year, month);
	return pv_strdup(out);
}

static void rescue_exif(const uint8_t *p, size_t len, struct found *f)
{
	ExifData *ed = exif_data_new();
	if (!ed)
		return;
	exif_data_unset_option(ed, EXIF_DATA_OPTION_FOLLOW_SPECIFICATION);
	exif_data_load_data(ed, p, (unsigned int)len);
	set_once(&f->c[C_EXIF_DESC], exif_text(ed, EXIF_IFD_0, EXIF_TAG_IMAGE_DESCRIPTION));
	set_once(&f->c[C_XP_COMMENT], exif_xp(ed, EXIF_TAG_XP_COMMENT));
	set_once(&f->c[C_XP_TITLE], exif_xp(ed, EXIF_TAG_XP_TITLE));
	set_once(&f->c[C_USER_COMMENT], exif_user_comment(ed));
	set_once(&f->make, exif_text(ed, EXIF_IFD_0, EXIF_TAG_MAKE));
	set_once(&f->model, exif_text(ed, EXIF_IFD_0, EXIF_TAG_MODEL));
	char *m = exif_month(ed, EXIF_TAG_DATE_TIME_ORIGINAL);
	if (!m)
		m = exif_month(ed, EXIF_TAG_DATE_TIME);
	set_once(&f->month, m);
	exif_data_unref(ed);
	if (!f->orientation)
		f->orientation = pv_exif_orientation(p, len);
}

/* ---- XMP ----------------------------------------------------------------- */

static const uint8_t *find(const uint8_t *p, size_t len, const char *needle)
{
	size_t n = strlen(needle);
	if (len < n)
		return NULL;
	for (size_t i = 0; i <= len - n; i++) {
		const uint8_t *q = memchr(p + i, needle[0], len - n - i + 1);
		if (!q)
			return NULL;
		i = (size_t)(q - p);
		if (memcmp(q, needle, n) == 0)
			return q;
	}
	return NULL;
}

static int entity(const uint8_t *p, size_t n, GString *g)
{
	static const struct { const char *name; char c; } ents[] = {
		{ "amp;", '&' }, { "lt;", '<' }, { "gt;", '>' }, { "quot;", '"' }, { "apos;", '\'' },
	};
	for (size_t i = 0; i < sizeof ents / sizeof ents[0]; i++) {
		size_t l = strlen(ents[i].name);
		if (n >= l && memcmp(p, ents[i].name, l) == 0) {
			g_string_append_c(g, ents[i].c);
			return (int)l;
		}
	}
	if (n < 3 || p[0] != '#')
		return 0;
	int hex = p[1] == 'x' || p[1] == 'X';
	size_t i = hex ? 2 : 1;
	unsigned long c = 0;
	for (; i < n && i < 10 && p[i] != ';'; i++) {
		int d = g_ascii_xdigit_value((char)p[i]);
		if (d < 0 || (!hex && d > 9))
			return 0;
		c = c * (hex ? 16 : 10) + (unsigned long)d;
	}
	if (i >= n || p[i] != ';')
		return 0;
	if (c && c <= 0x10FFFF && !(c >= 0xD800 && c <= 0xDFFF))
		g_string_append_unichar(g, (gunichar)c);
	return (int)i + 1;
}

/* XML text with the five entities (and numeric references) decoded. */
static char *xml_text(const uint8_t *p, size_t n)
{
	GString *g = g_string_sized_new(n + 1);
	for (size_t i = 0; i < n; i++) {
		int used = p[i] == '&' ? entity(p + i + 1, n - i - 1, g) : 0;
		if (used)
			i += (size_t)used;
		else
			g_string_append_c(g, (char)p[i]);
	}
	char *t = text_from_bytes((const uint8_t *)g->str, g->len);
	g_string_free(g, TRUE);
	return t;
}

static int name_end(uint8_t c)
{
	return c == '>' || c == '/' || c == '=' || c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The text of one rdf:li (or the direct text) between s and e. Prefers the
 * x-default language; otherwise the first non-empty item. */
static char *alt_text(const uint8_t *s, size_t n)
{
	char *first = NULL;
	const uint8_t *p = s, *end = s + n;
	const uint8_t *li;
	while ((li = find(p, (size_t)(end - p), "<rdf:li")) != NULL) {
		const uint8_t *gt = memchr(li, '>', (size_t)(end - li));
		if (!gt)
			break;
		const uint8_t *lt = memchr(gt, '<', (size_t)(end - gt));
		size_t tl = (size_t)((lt ? lt : end) - gt - 1);
		char *t = gt[-1] == '/' ? NULL : xml_text(gt + 1, tl);
		if (t && find(li, (size_t)(gt - li), "x-default")) {
			free(first);
			return t;
		}
		if (t && !first)
			first = t;
		else
			free(t);
		p = gt;
	}
	if (first || find(s, n, "<rdf:"))
		return first;
	return xml_text(s, n);
}

/* dc:description / dc:title as an element (rdf:Alt) or as an attribute. */
static char *xmp_prop(const uint8_t *p, size_t len, const char *name)
{
	size_t nl = strlen(name);
	const uint8_t *at = p, *end = p + len;
	const uint8_t *hit;
	while ((hit = find(at, (size_t)(end - at), name)) != NULL) {
		at = hit + 1;
		const uint8_t *after = hit + nl;
		if (hit == p || after >= end || !name_end(*after))
			continue;
		if (hit[-1] != '<' && *after == '=' && end - after > 2 &&
		    (after[1] == '"' || after[1] == '\'')) {
			const uint8_t *q = memchr(after + 2, after[1], (size_t)(end - after - 2));
			return xml_text(after + 2, (size_t)((q ? q : end) - after - 2));
		}
		if (hit[-1] != '<')
			continue;
		const uint8_t *gt = memchr(after, '>', (size_t)(end - after));
		if (!gt || gt[-1] == '/')
			return NULL;
		char closing[64];
		snprintf(closing, sizeof closing, "</%s", name);
		const uint8_t *stop = find(gt, (size_t)(end - gt), closing);
		return alt_text(gt + 1, (size_t)((stop ? stop : end) - gt - 1));
	}
	return NULL;
}

static void rescue_xmp(const uint8_t *p, size_t len, struct found *f)
{
	set_once(&f->c[C_XMP_DESC], xmp_prop(p, len, "dc:description"));
	set_once(&f->c[C_XMP_TITLE], xmp_prop(p, len, "dc:title"));
}

/* ---- IPTC ---------------------------------------------------------------- */

static void iim_dataset(uint8_t rec, uint8_t ds, const uint8_t *v, size_t n, void *ctx)
{
	struct found *f = ctx;
	if (rec != 2)
		return;
	if (ds == 120)
		set_once(&f->c[C_IPTC_CAPTION], text_from_bytes(v, n));
	else if (ds == 105)
		set_once(&f->c[C_IPTC_HEADLINE], text_from_bytes(v, n));
}

static void ps_resource(unsigned id, const uint8_t *d, size_t len, void *ctx)
{
	if (id == 0x0404)
		pv_iim_walk(d, len, iim_dataset, ctx);
}

static void rescue_iptc(const uint8_t *p, size_t len, struct found *f)
{
	pv_photoshop_walk(p, len, ps_resource, f);
}

/* ---- putting it together ------------------------------------------------- */

static char *pick(struct found *f, int from, int to)
{
	for (int i = from; i < to; i++) {
		if (f->c[i] && !is_boilerplate(f->c[i], f->make, f->model)) {
			char *s = f->c[i];
			f->c[i] = NULL;
			return s;
		}
	}
	return NULL;
}

static void found_free(struct found *f)
{
	for (int i = 0; i < C_COUNT; i++)
		free(f->c[i]);
	free(f->make);
	free(f->model);
	free(f->month);
}

static void rescue_segment(const uint8_t *buf, const struct pv_jpeg_segment *s,
			   struct found *f)
{
	const uint8_t *p = buf + s->payload;
	if (s->kind == PV_SEG_EXIF)
		rescue_exif(p, s->payload_len, f);
	else if (s->kind == PV_SEG_XMP)
		rescue_xmp(p, s->payload_len, f);
	else if (s->kind == PV_SEG_IPTC)
		rescue_iptc(p, s->payload_len, f);
}

void pv_jpeg_rescue_parsed(const uint8_t *buf, size_t len, const struct pv_jpeg_layout *lay,
			   struct pv_rescued *out)
{
	memset(out, 0, sizeof *out);
	struct found f;
	memset(&f, 0, sizeof f);
	for (size_t i = 0; i < lay->count; i++) {
		const struct pv_jpeg_segment *s = &lay->segs[i];
		if (s->kind != PV_SEG_TRAILER && s->payload <= len &&
		    s->payload_len <= len - s->payload)
			rescue_segment(buf, s, &f);
	}
	out->caption = pick(&f, C_EXIF_DESC, C_XMP_TITLE);
	out->title = pick(&f, C_XMP_TITLE, C_COUNT);
	out->taken_month = f.month;
	f.month = NULL;
	out->orientation = f.orientation;
	found_free(&f);
}

int pv_jpeg_rescue(const uint8_t *buf, size_t len, struct pv_rescued *out)
{
	memset(out, 0, sizeof *out);
	struct pv_jpeg_layout lay;
	struct pv_err err = {0};
	if (pv_jpeg_parse(buf, len, &lay, &err) != 0)
		return -1;
	pv_jpeg_rescue_parsed(buf, len, &lay, out);
	pv_jpeg_layout_free(&lay);
	return 0;
}

void pv_rescued_free(struct pv_rescued *r)
{
	if (!r)
		return;
	free(r->title);
	free(r->caption);
	free(r->taken_month);
	memset(r, 0, sizeof *r);
}
