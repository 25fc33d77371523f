/*
 * What a JPEG carries: every piece of identifying metadata, grouped the way a
 * person reads it (location, device, people, dates, hidden images, software).
 * Segments come from pv_jpeg_parse; Exif is read with libexif; XMP, IPTC, MPF,
 * COM and the trailer are read here with bounded scans. Every offset and
 * length read from the file is checked before use.
 */
#include "photovoice/i18n.h"
#include "photovoice/jpeg.h"
#include "photovoice/util.h"
#include "jpeg_internal.h"

#include <glib.h>
#include <libexif/exif-data.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VALUE_MAX 200          /* bytes of a finding's value, after cleaning */
#define EXIF_VALUE_BUF 1024

struct flist {
	struct pv_findings *f;
	size_t cap;
};

/* ---- values: printable, valid UTF-8, at most VALUE_MAX bytes ---------- */

static int is_unwanted(gunichar c)
{
	return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 ||
	       c == 0x2029 || (c >= 0x202A && c <= 0x202E) ||
	       (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF || c == 0xFFFD;
}

/* Next character of s (at most left bytes); a byte that is not valid UTF-8
 * is read as Latin-1. Sets *used to the bytes consumed. */
static gunichar next_char(const uint8_t *s, size_t left, size_t *used)
{
	gssize max = left > 8 ? 8 : (gssize)left;
	gunichar c = g_utf8_get_char_validated((const gchar *)s, max);
	if (c == (gunichar)-1 || c == (gunichar)-2) {
		*used = 1;
		return s[0];
	}
	*used = (size_t)g_utf8_skip[s[0]];
	return c;
}

static char *clean_value(const uint8_t *s, size_t len)
{
	char out[VALUE_MAX + 1];
	size_t o = 0, i = 0;
	int space = 0;
	while (i < len) {
		size_t used;
		gunichar c = next_char(s + i, len - i, &used);
		i += used;
		if (c == 0 || is_unwanted(c) || c == ' ') {
			space = o > 0;
			continue;
		}
		char enc[8];
		int n = g_unichar_to_utf8(c, enc);
		if (o + (size_t)space + (size_t)n > VALUE_MAX)
			break;
		if (space)
			out[o++] = ' ';
		space = 0;
		memcpy(out + o, enc, (size_t)n);
		o += (size_t)n;
	}
	return o ? pv_strndup(out, o) : NULL;
}

/* A text-like value that is empty or only spaces says nothing. */
static int blank(const char *v)
{
	char *c = clean_value((const uint8_t *)v, strlen(v));
	free(c);
	return c == NULL;
}

/* ---- the list of findings --------------------------------------------- */

static void add(struct flist *fl, enum pv_find_group g, const char *what,
		const void *value, size_t vlen)
{
	struct pv_findings *f = fl->f;
	if (f->count == fl->cap) {
		size_t cap = fl->cap ? fl->cap * 2 : 16;
		void *p = realloc(f->items, cap * sizeof *f->items);
		if (!p) {
			fputs(_("photovoice: out of memory.\n"), stderr);
			abort();
		}
		f->items = p;
		fl->cap = cap;
	}
	struct pv_finding *it = &f->items[f->count++];
	it->group = g;
	it->what = pv_strdup(what);
	it->value = value ? clean_value(value, vlen) : NULL;
}

static void add_str(struct flist *fl, enum pv_find_group g, const char *what,
		    const char *value)
{
	add(fl, g, what, value, value ? strlen(value) : 0);
}

static void add_bytes_note(struct flist *fl, enum pv_find_group g,
			   const char *what, size_t n, const char *note)
{
	char v[160];
	if (note)
		/* TRANSLATORS: the size of a block of metadata and what it is */
		snprintf(v, sizeof v, ngettext("%zu byte; %s", "%zu bytes; %s", n), n, _(note));
	else
		snprintf(v, sizeof v, ngettext("%zu byte", "%zu bytes", n), n);
	add_str(fl, g, what, v);
}

/* ---- Exif (libexif) ----------------------------------------------------- */

struct tag_rule {
	uint16_t tag;
	enum pv_find_group group;
	const char *what;
};

static const struct tag_rule main_rules[] = {
	{ 0x010F, PV_FIND_DEVICE, N_("camera make") },
	{ 0x0110, PV_FIND_DEVICE, N_("camera model") },
	{ 0xA431, PV_FIND_DEVICE, N_("camera serial number") },
	{ 0xC62F, PV_FIND_DEVICE, N_("camera serial number") },
	{ 0xC614, PV_FIND_DEVICE, N_("unique camera model") },
	{ 0xA433, PV_FIND_DEVICE, N_("lens make") },
	{ 0xA434, PV_FIND_DEVICE, N_("lens model") },
	{ 0xA435, PV_FIND_DEVICE, N_("lens serial number") },
	{ 0xA432, PV_FIND_DEVICE, N_("lens specification") },
	{ 0xA420, PV_FIND_DEVICE, N_("unique image ID") },
	{ 0x013B, PV_FIND_PEOPLE, N_("artist") },
	{ 0x8298, PV_FIND_PEOPLE, N_("copyright") },
	{ 0xA430, PV_FIND_PEOPLE, N_("camera owner name") },
	{ 0x9C9D, PV_FIND_PEOPLE, N_("author (Windows)") },
	{ 0x9C9B, PV_FIND_PEOPLE, N_("title (Windows)") },
	{ 0x9C9C, PV_FIND_PEOPLE, N_("comment (Windows)") },
	{ 0x9C9F, PV_FIND_PEOPLE, N_("subject (Windows)") },
	{ 0x9C9E, PV_FIND_PEOPLE, N_("keywords (Windows)") },
	{ 0x010E, PV_FIND_PEOPLE, N_("image description") },
	{ 0x9286, PV_FIND_PEOPLE, N_("user comment") },
	{ 0x010D, PV_FIND_PEOPLE, N_("document name") },
	{ 0x0132, PV_FIND_DATES, N_("date and time changed") },
	{ 0x9003, PV_FIND_DATES, N_("date and time taken") },
	{ 0x9004, PV_FIND_DATES, N_("date and time digitized") },
	{ 0x9010, PV_FIND_DATES, N_("time zone") },
	{ 0x9011, PV_FIND_DATES, N_("time zone when taken") },
	{ 0x9012, PV_FIND_DATES, N_("time zone when digitized") },
	{ 0x9290, PV_FIND_DATES, N_("fraction of a second") },
	{ 0x9291, PV_FIND_DATES, N_("fraction of a second when taken") },
	{ 0x9292, PV_FIND_DATES, N_("fraction of a second when digitized") },
	{ 0x0131, PV_FIND_SOFTWARE, N_("software") },
	{ 0x000B, PV_FIND_SOFTWARE, N_("processing software") },
	{ 0x013C, PV_FIND_SOFTWARE, N_("computer") },
};

static const struct tag_rule gps_rules[] = {
	{ 0x0002, PV_FIND_LOCATION, N_("GPS latitude") },
	{ 0x0004, PV_FIND_LOCATION, N_("GPS longitude") },
	{ 0x0006, PV_FIND_LOCATION, N_("GPS altitude") },
	{ 0x0007, PV_FIND_LOCATION, N_("GPS time") },
	{ 0x001D, PV_FIND_LOCATION, N_("GPS date") },
	{ 0x0011, PV_FIND_LOCATION, N_("direction the camera faced") },
	{ 0x000D, PV_FIND_LOCATION, N_("GPS speed") },
	{ 0x0014, PV_FIND_LOCATION, N_("GPS destination latitude") },
	{ 0x0016, PV_FIND_LOCATION, N_("GPS destination longitude") },
	{ 0x001B, PV_FIND_LOCATION, N_("GPS positioning method") },
	{ 0x001C, PV_FIND_LOCATION, N_("GPS place name") },
};

/* Structural tags that say nothing about anyone. */
static const uint16_t benign_tags[] = {
	0x0112, 0x011A, 0x011B, 0x0128, 0x0213, 0x0212, 0x0211, 0x9000,
	0xA000, 0xA001, 0xA002, 0xA003, 0x9101, 0x8769, 0x8825, 0xA005,
	0x0201, 0x0202, 0x0103, 0x0100, 0x0101, 0x0102, 0x0106, 0x0115,
	0x011C,
};

/* GPS refs are folded into the value they qualify; the version says nothing. */
static const uint16_t gps_skipped[] = { 0x0000, 0x0001, 0x0003, 0x0005, 0x0010, 0x0017, 0x0019, 0x000E,
					0x0013, 0x0015, 0x000C };

static int in_list(const uint16_t *list, size_t n, uint16_t tag)
{
	for (size_t i = 0; i < n; i++)
		if (list[i] == tag)
			return 1;
	return 0;
}

static const struct tag_rule *find_rule(const struct tag_rule *r, size_t n,
					uint16_t tag)
{
	for (size_t i = 0; i < n; i++)
		if (r[i].tag == tag)
			return &r[i];
	return NULL;
}

static void entry_value(ExifEntry *e, char *buf, size_t len)
{
	buf[0] = '\0';
	exif_entry_get_value(e, buf, (unsigned int)len);
	buf[len - 1] = '\0';
}

/* "52, 22, 12.3" and its reference "N" read as "52, 22, 12.3 N". */
static void gps_value(ExifContent *c, ExifEntry *e, char *buf, size_t len)
{
	entry_value(e, buf, len);
	uint16_t ref = 0;
	if (e->tag == 0x0002 || e->tag == 0x0004 || e->tag == 0x0014 ||
	    e->tag == 0x0016)
		ref = (uint16_t)(e->tag - 1);
	ExifEntry *r = ref ? exif_content_get_entry(c, (ExifTag)ref) : NULL;
	if (!r || r->format != EXIF_FORMAT_ASCII || !r->data || r->size < 1)
		return;
	size_t n = strlen(buf);
	char ch = (char)r->data[0];
	if ((ch == 'N' || ch == 'S' || ch == 'E' || ch == 'W') && n + 2 < len) {
		buf[n] = ' ';
		buf[n + 1] = ch;
		buf[n + 2] = '\0';
	}
}

static void exif_gps_entry(struct flist *fl, ExifContent *c, ExifEntry *e)
{
	char buf[EXIF_VALUE_BUF];
	if (in_list(gps_skipped, sizeof gps_skipped / sizeof gps_skipped[0], (uint16_t)e->tag))
		return;
	const struct tag_rule *r = find_rule(gps_rules, sizeof gps_rules / sizeof gps_rules[0],
					     (uint16_t)e->tag);
	gps_value(c, e, buf, sizeof buf);
	if (blank(buf))
		return;
	if (r) {
		add_str(fl, r->group, r->what, buf);
		return;
	}
	char what[96];
	const char *t = exif_tag_get_title_in_ifd(e->tag, EXIF_IFD_GPS);
	if (t)
		snprintf(what, sizeof what, _("GPS data (%s)"), t);
	else
		snprintf(what, sizeof what, _("GPS data (tag 0x%04X)"), (unsigned)e->tag);
	add_str(fl, PV_FIND_LOCATION, what, buf);
}

/* Camera settings and unknown tags, collected into one finding. */
struct exif_walk {
	struct flist *fl;
	GString *other;
	unsigned nother;
};

static void exif_other_entry(struct exif_walk *w, ExifIfd ifd, ExifEntry *e)
{
	char name[48];
	const char *t = exif_tag_get_title_in_ifd(e->tag, ifd);
	if (!t) {
		snprintf(name, sizeof name, "tag 0x%04X", (unsigned)e->tag);
		t = name;
	}
	if (w->nother++)
		g_string_append(w->other, ", ");
	if (w->other->len < 4 * VALUE_MAX)
		g_string_append(w->other, t);
}

static void exif_entry(struct exif_walk *w, ExifIfd ifd, ExifContent *c, ExifEntry *e)
{
	if (ifd == EXIF_IFD_GPS) {
		exif_gps_entry(w->fl, c, e);
		return;
	}
	uint16_t tag = (uint16_t)e->tag;
	if (ifd == EXIF_IFD_INTEROPERABILITY && (tag <= 0x0002 || (tag >= 0x1000 && tag <= 0x1002)))
		return;
	if (in_list(benign_tags, sizeof benign_tags / sizeof benign_tags[0], tag))
		return;
	if (tag == 0x927C) {
		add_bytes_note(w->fl, PV_FIND_DEVICE, N_("maker notes"), e->size,
			       N_("manufacturer data that can hold serial numbers"));
		return;
	}
	char buf[EXIF_VALUE_BUF];
	entry_value(e, buf, sizeof buf);
	const struct tag_rule *r = find_rule(main_rules, sizeof main_rules / sizeof main_rules[0], tag);
	if (r && !blank(buf))
		add_str(w->fl, r->group, r->what, buf);
	else if (!r)
		exif_other_entry(w, ifd, e);
}

static ExifData *load_exif(const uint8_t *p, size_t len)
{
	ExifData *ed = exif_data_new();
	if (!ed)
		return NULL;
	/* Report what is there: no fixing up, no dropping unknown tags. */
	exif_data_unset_option(ed, EXIF_DATA_OPTION_FOLLOW_SPECIFICATION);
	exif_data_unset_option(ed, EXIF_DATA_OPTION_IGNORE_UNKNOWN_TAGS);
	exif_data_load_data(ed, p, (unsigned int)len);
	return ed;
}

static void inspect_exif(struct flist *fl, const uint8_t *p, size_t len)
{
	if (len > 0xFFFFu + 16)
		return;
	ExifData *ed = load_exif(p, len);
	if (!ed)
		return;
	struct exif_walk w = { fl, g_string_new(NULL), 0 };
	for (int i = 0; i < EXIF_IFD_COUNT; i++) {
		ExifContent *c = ed->ifd[i];
		for (unsigned j = 0; c && j < c->count; j++)
			if (c->entries[j])
				exif_entry(&w, (ExifIfd)i, c, c->entries[j]);
	}
	if (w.nother)
		add(fl, PV_FIND_OTHER, N_("camera settings and other Exif data"),
		    w.other->str, w.other->len);
	g_string_free(w.other, TRUE);
	if (ed->data && ed->size)
		add_bytes_note(fl, PV_FIND_HIDDEN, N_("Exif thumbnail"), ed->size,
			       N_("a small copy of the photo, possibly of the uncropped original"));
	exif_data_unref(ed);
}

/* ---- XMP: which identifying properties are present --------------------- */

struct xmp_rule {
	const char *name;
	enum pv_find_group group;
	const char *what;
};

static const struct xmp_rule xmp_rules[] = {
	{ "exif:GPSLatitude", PV_FIND_LOCATION, N_("GPS latitude (XMP)") },
	{ "exif:GPSLongitude", PV_FIND_LOCATION, N_("GPS longitude (XMP)") },
	{ "exif:GPSAltitude", PV_FIND_LOCATION, N_("GPS altitude (XMP)") },
	{ "exif:GPSTimeStamp", PV_FIND_LOCATION, N_("GPS time (XMP)") },
	{ "exif:GPSImgDirection", PV_FIND_LOCATION, N_("direction the camera faced (XMP)") },
	{ "exif:GPSDestLatitude", PV_FIND_LOCATION, N_("GPS destination (XMP)") },
	{ "exif:GPSAreaInformation", PV_FIND_LOCATION, N_("GPS place name (XMP)") },
	{ "photoshop:City", PV_FIND_LOCATION, N_("city (XMP)") },
	{ "photoshop:State", PV_FIND_LOCATION, N_("province or state (XMP)") },
	{ "photoshop:Country", PV_FIND_LOCATION, N_("country (XMP)") },
	{ "Iptc4xmpCore:Location", PV_FIND_LOCATION, N_("place (XMP)") },
	{ "Iptc4xmpCore:CountryCode", PV_FIND_LOCATION, N_("country code (XMP)") },
	{ "Iptc4xmpExt:LocationShown", PV_FIND_LOCATION, N_("place shown (XMP)") },
	{ "Iptc4xmpExt:LocationCreated", PV_FIND_LOCATION, N_("place taken (XMP)") },
	{ "tiff:Make", PV_FIND_DEVICE, N_("camera make (XMP)") },
	{ "tiff:Model", PV_FIND_DEVICE, N_("camera model (XMP)") },
	{ "exifEX:BodySerialNumber", PV_FIND_DEVICE, N_("camera serial number (XMP)") },
	{ "aux:SerialNumber", PV_FIND_DEVICE, N_("camera serial number (XMP)") },
	{ "exifEX:LensSerialNumber", PV_FIND_DEVICE, N_("lens serial number (XMP)") },
	{ "aux:LensSerialNumber", PV_FIND_DEVICE, N_("lens serial number (XMP)") },
	{ "aux:Lens", PV_FIND_DEVICE, N_("lens (XMP)") },
	{ "exifEX:LensModel", PV_FIND_DEVICE, N_("lens model (XMP)") },
	{ "exif:ImageUniqueID", PV_FIND_DEVICE, N_("unique image ID (XMP)") },
	{ "dc:creator", PV_FIND_PEOPLE, N_("creator (XMP)") },
	{ "dc:rights", PV_FIND_PEOPLE, N_("rights (XMP)") },
	{ "dc:description", PV_FIND_PEOPLE, N_("description (XMP)") },
	{ "dc:title", PV_FIND_PEOPLE, N_("title (XMP)") },
	{ "dc:subject", PV_FIND_OTHER, N_("keywords (XMP)") },
	{ "exifEX:CameraOwnerName", PV_FIND_PEOPLE, N_("camera owner name (XMP)") },
	{ "aux:OwnerName", PV_FIND_PEOPLE, N_("camera owner name (XMP)") },
	{ "tiff:Artist", PV_FIND_PEOPLE, N_("artist (XMP)") },
	{ "tiff:Copyright", PV_FIND_PEOPLE, N_("copyright (XMP)") },
	{ "tiff:ImageDescription", PV_FIND_PEOPLE, N_("image description (XMP)") },
	{ "exif:UserComment", PV_FIND_PEOPLE, N_("user comment (XMP)") },
	{ "photoshop:AuthorsPosition", PV_FIND_PEOPLE, N_("author's position (XMP)") },
	{ "photoshop:CaptionWriter", PV_FIND_PEOPLE, N_("caption writer (XMP)") },
	{ "photoshop:Headline", PV_FIND_PEOPLE, N_("headline (XMP)") },
	{ "photoshop:Credit", PV_FIND_PEOPLE, N_("credit (XMP)") },
	{ "photoshop:Source", PV_FIND_PEOPLE, N_("source (XMP)") },
	{ "Iptc4xmpCore:CreatorContactInfo", PV_FIND_PEOPLE, N_("creator's contact details (XMP)") },
	{ "Iptc4xmpExt:PersonInImage", PV_FIND_PEOPLE, N_("person shown (XMP)") },
	{ "xmpRights:Owner", PV_FIND_PEOPLE, N_("rights owner (XMP)") },
	{ "mwg-rs:Regions", PV_FIND_PEOPLE, N_("face regions, possibly with names (XMP)") },
	{ "MP:RegionInfo", PV_FIND_PEOPLE, N_("people tags (XMP)") },
	{ "xmp:CreateDate", PV_FIND_DATES, N_("date created (XMP)") },
	{ "xmp:ModifyDate", PV_FIND_DATES, N_("date changed (XMP)") },
	{ "xmp:MetadataDate", PV_FIND_DATES, N_("date metadata changed (XMP)") },
	{ "exif:DateTimeOriginal", PV_FIND_DATES, N_("date and time taken (XMP)") },
	{ "exif:DateTimeDigitized", PV_FIND_DATES, N_("date and time digitized (XMP)") },
	{ "photoshop:DateCreated", PV_FIND_DATES, N_("date created (XMP)") },
	{ "xmp:CreatorTool", PV_FIND_SOFTWARE, N_("software (XMP)") },
	{ "xmpMM:History", PV_FIND_SOFTWARE, N_("editing history (XMP)") },
	{ "xmpMM:DocumentID", PV_FIND_SOFTWARE, N_("document ID (XMP)") },
	{ "xmpMM:InstanceID", PV_FIND_SOFTWARE, N_("instance ID (XMP)") },
	{ "xmpMM:OriginalDocumentID", PV_FIND_SOFTWARE, N_("original document ID (XMP)") },
	{ "xmpMM:DerivedFrom", PV_FIND_SOFTWARE, N_("derived from another file (XMP)") },
	{ "photoshop:History", PV_FIND_SOFTWARE, N_("editing history (XMP)") },
	{ "crs:Version", PV_FIND_SOFTWARE, N_("raw developing settings (XMP)") },
	{ "xmp:Thumbnails", PV_FIND_HIDDEN, N_("thumbnail image (XMP)") },
	{ "GImage:Data", PV_FIND_HIDDEN, N_("embedded original image (XMP)") },
	{ "GDepth:Data", PV_FIND_HIDDEN, N_("depth map (XMP)") },
	{ "GCamera:MicroVideo", PV_FIND_HIDDEN, N_("motion photo video (XMP)") },
	{ "GCamera:MotionPhoto", PV_FIND_HIDDEN, N_("motion photo video (XMP)") },
};

/* Bounded search for needle in p (memmem is not standard C). */
static const uint8_t *find(const uint8_t *p, size_t len, const void *needle, size_t n)
{
	const uint8_t *nd = needle;
	if (n == 0 || len < n)
		return NULL;
	for (size_t i = 0; i <= len - n; i++) {
		const uint8_t *q = memchr(p + i, nd[0], len - n - i + 1);
		if (!q)
			return NULL;
		i = (size_t)(q - p);
		if (memcmp(q, nd, n) == 0)
			return q;
	}
	return NULL;
}

static int name_char(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-' || c == ':' || c == '.';
}

/* Offset just past a property name used as element or attribute, or 0. */
static size_t xmp_find(const uint8_t *p, size_t len, const char *name)
{
	size_t n = strlen(name);
	const uint8_t *s = p, *end = p + len;
	while ((size_t)(end - s) > n) {
		const uint8_t *hit = find(s, (size_t)(end - s), name, n);
		if (!hit)
			return 0;
		size_t after = (size_t)(hit - p) + n;
		int before_ok = hit > p && (hit[-1] == '<' || hit[-1] == ' ' ||
			hit[-1] == '\t' || hit[-1] == '\n' || hit[-1] == '\r');
		if (before_ok && after < len && !name_char(p[after]))
			return after;
		s = hit + 1;
	}
	return 0;
}

/* First text of a property: an attribute's value or an element's first text,
 * skipping nested tags (rdf:Alt, rdf:li). Decodes nothing but trims. */
static void xmp_value(const uint8_t *p, size_t len, size_t at, char *out, size_t outlen)
{
	out[0] = '\0';
	while (at < len && (p[at] == ' ' || p[at] == '\t' || p[at] == '\n' || p[at] == '\r'))
		at++;
	if (at + 1 < len && p[at] == '=' && (p[at + 1] == '"' || p[at + 1] == '\'')) {
		uint8_t q = p[at + 1];
		size_t s = at + 2, e = s;
		while (e < len && p[e] != q && e - s < outlen - 1)
			e++;
		memcpy(out, p + s, e - s);
		out[e - s] = '\0';
		return;
	}
	for (int tags = 0; tags < 8 && at < len; tags++) {
		const uint8_t *gt = memchr(p + at, '>', len - at);
		if (!gt || (gt > p + at && gt[-1] == '/'))
			return;
		at = (size_t)(gt - p) + 1;
		while (at < len && (p[at] == ' ' || p[at] == '\t' || p[at] == '\n' || p[at] == '\r'))
			at++;
		if (at < len && p[at] != '<')
			break;
		if (at + 1 < len && p[at + 1] == '/')
			return;
	}
	size_t e = at;
	while (e < len && p[e] != '<' && e - at < outlen - 1)
		e++;
	memcpy(out, p + at, e - at);
	out[e - at] = '\0';
}

static void inspect_xmp(struct flist *fl, const uint8_t *p, size_t len)
{
	size_t n = sizeof xmp_rules / sizeof xmp_rules[0];
	for (size_t i = 0; i < n; i++) {
		size_t at = xmp_find(p, len, xmp_rules[i].name);
		if (!at)
			continue;
		char v[VALUE_MAX + 1];
		xmp_value(p, len, at, v, sizeof v);
		add(fl, xmp_rules[i].group, xmp_rules[i].what, v[0] ? v : NULL, strlen(v));
	}
}

/* ---- IPTC and Photoshop resources (APP13) ------------------------------- */

static const struct {
	uint8_t ds;
	enum pv_find_group group;
	const char *what;
} iptc_names[] = {
	{ 5, PV_FIND_PEOPLE, N_("object name (IPTC)") },
	{ 15, PV_FIND_OTHER, N_("category (IPTC)") },
	{ 20, PV_FIND_OTHER, N_("supplemental category (IPTC)") },
	{ 25, PV_FIND_OTHER, N_("keywords (IPTC)") },
	{ 40, PV_FIND_OTHER, N_("special instructions (IPTC)") },
	{ 55, PV_FIND_DATES, N_("date created (IPTC)") },
	{ 60, PV_FIND_DATES, N_("time created (IPTC)") },
	{ 62, PV_FIND_DATES, N_("digital creation date (IPTC)") },
	{ 63, PV_FIND_DATES, N_("digital creation time (IPTC)") },
	{ 65, PV_FIND_SOFTWARE, N_("originating program (IPTC)") },
	{ 70, PV_FIND_SOFTWARE, N_("program version (IPTC)") },
	{ 80, PV_FIND_PEOPLE, N_("By-line (IPTC)") },
	{ 85, PV_FIND_PEOPLE, N_("By-line title (IPTC)") },
	{ 90, PV_FIND_LOCATION, N_("city (IPTC)") },
	{ 92, PV_FIND_LOCATION, N_("sub-location (IPTC)") },
	{ 95, PV_FIND_LOCATION, N_("province or state (IPTC)") },
	{ 100, PV_FIND_LOCATION, N_("country code (IPTC)") },
	{ 101, PV_FIND_LOCATION, N_("country (IPTC)") },
	{ 103, PV_FIND_OTHER, N_("transmission reference (IPTC)") },
	{ 105, PV_FIND_PEOPLE, N_("headline (IPTC)") },
	{ 110, PV_FIND_PEOPLE, N_("credit (IPTC)") },
	{ 115, PV_FIND_PEOPLE, N_("source (IPTC)") },
	{ 116, PV_FIND_PEOPLE, N_("copyright notice (IPTC)") },
	{ 118, PV_FIND_PEOPLE, N_("contact (IPTC)") },
	{ 120, PV_FIND_PEOPLE, N_("Caption-Abstract (IPTC)") },
	{ 122, PV_FIND_PEOPLE, N_("caption writer (IPTC)") },
};

static void iptc_dataset(uint8_t rec, uint8_t ds, const uint8_t *v, size_t vlen,
			 void *ctx)
{
	struct flist *fl = ctx;
	if (rec != 2 || ds == 0)
		return;   /* envelope record and record version: nothing personal */
	for (size_t i = 0; i < sizeof iptc_names / sizeof iptc_names[0]; i++) {
		if (iptc_names[i].ds == ds) {
			add(fl, iptc_names[i].group, iptc_names[i].what, v, vlen);
			return;
		}
	}
	char what[48];
	snprintf(what, sizeof what, _("IPTC dataset 2:%u"), (unsigned)ds);
	add(fl, PV_FIND_OTHER, what, v, vlen);
}

struct ps_walk {
	struct flist *fl;
	unsigned other;
};

static void ps_resource(unsigned id, const uint8_t *d, size_t dlen, void *ctx)
{
	struct ps_walk *pc = ctx;
	struct flist *fl = pc->fl;
	switch (id) {
	case 0x0404:
		pv_iim_walk(d, dlen, iptc_dataset, fl);
		break;
	case 0x0409:
	case 0x040C:
		add_bytes_note(fl, PV_FIND_HIDDEN, N_("Photoshop thumbnail"), dlen,
			       N_("a small copy of the photo"));
		break;
	case 0x0422:
		add_bytes_note(fl, PV_FIND_OTHER, N_("Exif copy in Photoshop data"), dlen, NULL);
		break;
	case 0x0424:
		inspect_xmp(fl, d, dlen);
		break;
	case 0x0425:
	case 0x03ED:
		break;   /* IPTC digest, resolution: nothing personal */
	default:
		pc->other++;
	}
}

static void inspect_iptc(struct flist *fl, const uint8_t *p, size_t len)
{
	struct ps_walk pc = { .fl = fl, .other = 0 };
	if (pv_photoshop_walk(p, len, ps_resource, &pc) != 0)
		return;
	if (pc.other) {
		char v[64];
		snprintf(v, sizeof v, N_("%u settings blocks"), pc.other);
		add_str(fl, PV_FIND_OTHER, N_("Photoshop data"), v);
	}
}

/* ---- MPF, JFIF/JFXX, COM, other APPn, trailer --------------------------- */

static uint32_t rd(const uint8_t *p, int n, int le)
{
	uint32_t v = 0;
	for (int i = 0; i < n; i++)
		v |= (uint32_t)p[le ? i : n - 1 - i] << (8 * i);
	return v;
}

/* NumberOfImages (0xB001) from the MP index IFD, or 0. */
static uint32_t mpf_images(const uint8_t *p, size_t len)
{
	if (len < 16 || memcmp(p, "MPF\0", 4) != 0)
		return 0;
	const uint8_t *t = p + 4;
	size_t tl = len - 4;
	int le = t[0] == 'I' && t[1] == 'I';
	if (!le && !(t[0] == 'M' && t[1] == 'M'))
		return 0;
	size_t ifd = rd(t + 4, 4, le);
	if (ifd > tl || tl - ifd < 2)
		return 0;
	size_t n = rd(t + ifd, 2, le);
	for (size_t i = 0; i < n; i++) {
		size_t e = ifd + 2 + i * 12;
		if (e > tl || tl - e < 12)
			return 0;
		if (rd(t + e, 2, le) == 0xB001)
			return rd(t + e + 8, 4, le);
	}
	return 0;
}

static void inspect_mpf(struct flist *fl, const uint8_t *p, size_t len)
{
	uint32_t n = mpf_images(p, len);
	char v[96];
	if (n > 1)
		snprintf(v, sizeof v, _("%u images in one file; the others follow the photo"), n);
	else
		snprintf(v, sizeof v, N_("multi-picture index"));
	add_str(fl, PV_FIND_HIDDEN, N_("multi-picture data (MPF)"), v);
}

static void inspect_jfif(struct flist *fl, const uint8_t *p, size_t len)
{
	if (len >= 14 && p[12] && p[13])
		add_bytes_note(fl, PV_FIND_HIDDEN, N_("JFIF thumbnail"),
			       (size_t)p[12] * p[13] * 3, N_("a small copy of the photo"));
}

static const char *const tool_comments[] = {
	"gd-jpeg", "Created with", "LEAD Technologies", "Intel(R) JPEG",
	"AppleMark", "Lavc", "Optimized by", "Handmade Software", "File written by Adobe",
};

static void inspect_com(struct flist *fl, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < sizeof tool_comments / sizeof tool_comments[0]; i++) {
		size_t n = strlen(tool_comments[i]);
		if (len >= n && find(p, len, tool_comments[i], n)) {
			add(fl, PV_FIND_SOFTWARE, N_("comment by software"), p, len);
			return;
		}
	}
	/* "comment" is in the catalogue as scrub.c's plural, whose singular
	 * _() finds */
	add(fl, PV_FIND_PEOPLE, "comment", p, len);
}

static void inspect_app_other(struct flist *fl, uint8_t marker, const uint8_t *p, size_t len)
{
	char what[64], id[33];
	size_t n = 0;
	while (n < len && n < sizeof id - 1 && p[n] >= 0x20 && p[n] < 0x7F)
		n++;
	memcpy(id, p, n);
	id[n] = '\0';
	snprintf(what, sizeof what, _("application data (APP%u)"), (unsigned)(marker - 0xE0));
	add_str(fl, PV_FIND_OTHER, what, n >= 2 ? id : NULL);
}

static void inspect_trailer(struct flist *fl, const uint8_t *p, size_t len)
{
	static const uint8_t soi[3] = { 0xFF, 0xD8, 0xFF };
	const char *note = NULL;
	if (len >= 3 && memcmp(p, soi, 3) == 0)
		note = N_("it looks like another JPEG image");
	else if (len >= 3 && find(p, len, soi, 3))
		note = N_("it contains what looks like another JPEG image");
	add_bytes_note(fl, PV_FIND_HIDDEN, N_("data after the end of the image"), len, note);
}

/* ---- the walk ----------------------------------------------------------- */

static void inspect_segment(struct flist *fl, const uint8_t *buf,
			    const struct pv_jpeg_segment *s)
{
	const uint8_t *p = buf + s->payload;
	size_t n = s->payload_len;
	switch (s->kind) {
	case PV_SEG_EXIF:
		inspect_exif(fl, p, n);
		break;
	case PV_SEG_XMP:
		inspect_xmp(fl, p, n);
		break;
	case PV_SEG_XMP_EXT:
		add_bytes_note(fl, PV_FIND_HIDDEN, N_("extended XMP"), n,
			       N_("can hold a depth map or the original image"));
		inspect_xmp(fl, p, n);
		break;
	case PV_SEG_IPTC:
		inspect_iptc(fl, p, n);
		break;
	case PV_SEG_MPF:
		inspect_mpf(fl, p, n);
		break;
	case PV_SEG_JFXX:
		add_bytes_note(fl, PV_FIND_HIDDEN, N_("JFIF extension thumbnail"), n,
			       N_("a small copy of the photo"));
		break;
	case PV_SEG_JFIF:
		inspect_jfif(fl, p, n);
		break;
	case PV_SEG_COM:
		inspect_com(fl, p, n);
		break;
	case PV_SEG_APP_OTHER:
		inspect_app_other(fl, s->marker, p, n);
		break;
	default:
		break;
	}
}

static int first_exif_orientation(const uint8_t *buf, size_t len,
				  const struct pv_jpeg_layout *lay)
{
	for (size_t i = 0; i < lay->count; i++) {
		const struct pv_jpeg_segment *s = &lay->segs[i];
		if (s->kind == PV_SEG_EXIF && s->payload <= len &&
		    s->payload_len <= len - s->payload)
			return pv_exif_orientation(buf + s->payload, s->payload_len);
	}
	return 0;
}

void pv_jpeg_inspect_parsed(const uint8_t *buf, size_t len, const struct pv_jpeg_layout *lay,
			    struct pv_findings *out)
{
	memset(out, 0, sizeof *out);
	struct flist fl = { out, 0 };
	for (size_t i = 0; i < lay->count; i++) {
		const struct pv_jpeg_segment *s = &lay->segs[i];
		if ((unsigned)s->kind < PV_SEG_KIND_COUNT)
			out->segments[s->kind]++;
		if (s->kind == PV_SEG_TRAILER || s->payload > len ||
		    s->payload_len > len - s->payload)
			continue;
		inspect_segment(&fl, buf, s);
	}
	if (lay->trailer_len && lay->eoi_end <= len && lay->trailer_len <= len - lay->eoi_end) {
		if (!out->segments[PV_SEG_TRAILER])
			out->segments[PV_SEG_TRAILER] = 1;
		inspect_trailer(&fl, buf + lay->eoi_end, lay->trailer_len);
	}
	out->width = lay->width;
	out->height = lay->height;
	out->orientation = first_exif_orientation(buf, len, lay);
}

int pv_jpeg_inspect(const uint8_t *buf, size_t len, struct pv_findings *out,
		    struct pv_err *err)
{
	memset(out, 0, sizeof *out);
	struct pv_jpeg_layout lay;
	if (pv_jpeg_parse(buf, len, &lay, err) != 0)
		return -1;
	pv_jpeg_inspect_parsed(buf, len, &lay, out);
	pv_jpeg_layout_free(&lay);
	return 0;
}

void pv_findings_free(struct pv_findings *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->count; i++) {
		free(f->items[i].what);
		free(f->items[i].value);
	}
	free(f->items);
	f->items = NULL;
	f->count = 0;
}

const char *pv_find_group_name(enum pv_find_group g)
{
	static const char *const names[PV_FIND_GROUP_COUNT] = {
		"location", "device", "people", "dates", "hidden", "software", "other",
	};
	return (unsigned)g < PV_FIND_GROUP_COUNT ? names[g] : "other";
}

int pv_jpeg_inspect_file(const char *path, struct pv_findings *out, struct pv_err *err)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	struct pv_err why = {0};
	memset(out, 0, sizeof *out);
	/* pv_read_file names the file; what is wrong inside it is said of
	 * the bytes, so the file's name goes in front */
	if (pv_read_file(path, PV_MAX_FILE_BYTES, &buf, &len, err) != 0)
		return -1;
	int r = pv_jpeg_inspect(buf, len, out, &why);
	free(buf);
	if (r == 0)
		return 0;
	return pv_fail(err, why.kind, "%s: %s", path, why.msg);
}

int pv_jpeg_kind_is_structure(enum pv_seg_kind k)
{
	return k == PV_SEG_SOI || k == PV_SEG_EOI || k == PV_SEG_SOF ||
	       k == PV_SEG_DHT || k == PV_SEG_DAC || k == PV_SEG_DQT ||
	       k == PV_SEG_DRI || k == PV_SEG_SOS || k == PV_SEG_DNL;
}
