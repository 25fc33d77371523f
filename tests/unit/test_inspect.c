/*
 * Unit tests for pv_jpeg_inspect and pv_jpeg_rescue: JPEGs made here with
 * TurboJPEG, with Exif (libexif), XMP, IPTC, a comment and a trailer planted;
 * findings in the right groups; caption rescue and its priority order;
 * boilerplate, Latin-1 and invalid UTF-8; thousands of deterministic
 * mutations that must never crash; the shared camera corpus when present.
 */
#include "testutil.h"

#include <dirent.h>
#include <libexif/exif-data.h>
#include <turbojpeg.h>

#include "photovoice/jpeg.h"
#include "photovoice/util.h"

/* ---- building test files ------------------------------------------------ */

static void put_byte(struct buf *b, uint8_t c)
{
	buf_put(b, &c, 1);
}

static void put_be16(struct buf *b, unsigned v)
{
	put_byte(b, (uint8_t)(v >> 8));
	put_byte(b, (uint8_t)v);
}

static void put_be32(struct buf *b, uint32_t v)
{
	put_be16(b, v >> 16);
	put_be16(b, v & 0xFFFF);
}

static struct buf make_jpeg(int w, int h)
{
	uint8_t *rgb = malloc((size_t)w * h * 3);
	assert_non_null(rgb);
	for (int i = 0; i < w * h; i++) {
		rgb[i * 3] = (uint8_t)(i * 7);
		rgb[i * 3 + 1] = (uint8_t)(i / w * 5);
		rgb[i * 3 + 2] = 90;
	}
	tjhandle t = tjInitCompress();
	assert_non_null(t);
	unsigned char *j = NULL;
	unsigned long n = 0;
	assert_int_equal(tjCompress2(t, rgb, w, 0, h, TJPF_RGB, &j, &n, TJSAMP_444, 85, 0), 0);
	struct buf b = { 0 };
	buf_put(&b, j, n);
	tjFree(j);
	tjDestroy(t);
	free(rgb);
	return b;
}

static void put_seg(struct buf *b, uint8_t marker, const void *payload, size_t n)
{
	assert_true(n + 2 <= 0xFFFF);
	put_byte(b, 0xFF);
	put_byte(b, marker);
	put_be16(b, (unsigned)(n + 2));
	buf_put(b, payload, n);
}

static ExifEntry *add_entry(ExifData *ed, ExifIfd ifd, ExifTag tag, ExifFormat f, unsigned n)
{
	ExifEntry *e = exif_entry_new();
	assert_non_null(e);
	e->tag = tag;
	e->format = f;
	e->components = n;
	e->size = exif_format_get_size(f) * n;
	e->data = calloc(1, e->size);
	assert_non_null(e->data);
	exif_content_add_entry(ed->ifd[ifd], e);
	exif_entry_unref(e);
	return e;
}

static void add_bytes(ExifData *ed, ExifIfd ifd, ExifTag tag, ExifFormat f,
		      const void *d, size_t n)
{
	ExifEntry *e = add_entry(ed, ifd, tag, f, (unsigned)n);
	memcpy(e->data, d, n);
}

static void add_ascii(ExifData *ed, ExifIfd ifd, ExifTag tag, const char *s)
{
	add_bytes(ed, ifd, tag, EXIF_FORMAT_ASCII, s, strlen(s) + 1);
}

/* UTF-16LE of an ASCII string, for the Windows XP* tags. */
static void add_xp(ExifData *ed, ExifTag tag, const char *s)
{
	size_t n = strlen(s);
	uint8_t *u = calloc(2 * n + 2, 1);
	assert_non_null(u);
	for (size_t i = 0; i < n; i++)
		u[2 * i] = (uint8_t)s[i];
	add_bytes(ed, EXIF_IFD_0, tag, EXIF_FORMAT_BYTE, u, 2 * n + 2);
	free(u);
}

static void add_rationals(ExifData *ed, ExifTag tag, const unsigned *v, unsigned n)
{
	ExifEntry *e = add_entry(ed, EXIF_IFD_GPS, tag, EXIF_FORMAT_RATIONAL, n);
	for (unsigned i = 0; i < n; i++) {
		ExifRational r = { v[i], 1 };
		exif_set_rational(e->data + 8 * i, EXIF_BYTE_ORDER_INTEL, r);
	}
}

/* What to plant: NULL/0 leaves a field out. */
struct plant {
	const char *description;      /* EXIF ImageDescription (raw bytes) */
	const char *xp_comment, *xp_title, *user_comment;
	const char *date_original, *date_time;
	int orientation;
	int exif_extras;              /* GPS, serials, owner, maker note, thumb */
	const char *xmp_desc, *xmp_title;
	const char *iptc_caption, *iptc_headline, *iptc_byline;
	const char *comment;
	int trailer;
};

static void exif_extras(ExifData *ed)
{
	add_ascii(ed, EXIF_IFD_0, EXIF_TAG_MAKE, "PhoneMaker");
	add_ascii(ed, EXIF_IFD_0, EXIF_TAG_ARTIST, "Artist Jansen");
	add_ascii(ed, EXIF_IFD_EXIF, EXIF_TAG_BODY_SERIAL_NUMBER, "SN-4242");
	add_ascii(ed, EXIF_IFD_EXIF, EXIF_TAG_CAMERA_OWNER_NAME, "Fenna de Vries");
	add_bytes(ed, EXIF_IFD_EXIF, EXIF_TAG_MAKER_NOTE, EXIF_FORMAT_UNDEFINED,
		  "MAKERNOTE-SERIAL-777", 20);
	add_ascii(ed, EXIF_IFD_GPS, (ExifTag)EXIF_TAG_GPS_LATITUDE_REF, "N");
	unsigned lat[3] = { 52, 22, 7 }, lon[3] = { 4, 53, 30 };
	add_rationals(ed, (ExifTag)EXIF_TAG_GPS_LATITUDE, lat, 3);
	add_ascii(ed, EXIF_IFD_GPS, (ExifTag)EXIF_TAG_GPS_LONGITUDE_REF, "E");
	add_rationals(ed, (ExifTag)EXIF_TAG_GPS_LONGITUDE, lon, 3);
	struct buf thumb = make_jpeg(8, 8);
	ed->data = malloc(thumb.len);
	assert_non_null(ed->data);
	memcpy(ed->data, thumb.p, thumb.len);
	ed->size = (unsigned)thumb.len;
	free(thumb.p);
}

static void plant_exif(struct buf *b, const struct plant *pl)
{
	ExifData *ed = exif_data_new();
	assert_non_null(ed);
	exif_data_unset_option(ed, EXIF_DATA_OPTION_FOLLOW_SPECIFICATION);
	exif_data_set_byte_order(ed, EXIF_BYTE_ORDER_INTEL);
	if (pl->orientation) {
		ExifEntry *e = add_entry(ed, EXIF_IFD_0, EXIF_TAG_ORIENTATION, EXIF_FORMAT_SHORT, 1);
		exif_set_short(e->data, EXIF_BYTE_ORDER_INTEL, (ExifShort)pl->orientation);
	}
	if (pl->description)
		add_ascii(ed, EXIF_IFD_0, EXIF_TAG_IMAGE_DESCRIPTION, pl->description);
	if (pl->xp_comment)
		add_xp(ed, EXIF_TAG_XP_COMMENT, pl->xp_comment);
	if (pl->xp_title)
		add_xp(ed, EXIF_TAG_XP_TITLE, pl->xp_title);
	if (pl->user_comment) {
		struct buf u = { 0 };
		buf_put(&u, "ASCII\0\0\0", 8);
		buf_put(&u, pl->user_comment, strlen(pl->user_comment));
		add_bytes(ed, EXIF_IFD_EXIF, EXIF_TAG_USER_COMMENT, EXIF_FORMAT_UNDEFINED, u.p, u.len);
		free(u.p);
	}
	if (pl->date_original)
		add_ascii(ed, EXIF_IFD_EXIF, EXIF_TAG_DATE_TIME_ORIGINAL, pl->date_original);
	if (pl->date_time)
		add_ascii(ed, EXIF_IFD_0, EXIF_TAG_DATE_TIME, pl->date_time);
	if (pl->exif_extras)
		exif_extras(ed);
	unsigned char *d = NULL;
	unsigned int n = 0;
	exif_data_save_data(ed, &d, &n);
	exif_data_unref(ed);
	assert_non_null(d);
	assert_memory_equal(d, "Exif\0\0", 6);
	put_seg(b, 0xE1, d, n);
	free(d);
}

static void plant_xmp(struct buf *b, const struct plant *pl)
{
	struct buf x = { 0 };
	buf_put(&x, "http://ns.adobe.com/xap/1.0/", 29);
	const char *head = "<?xpacket begin='' id='W5M0MpCehiHzreSzNTczkc9d'?>"
		"<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf="
		"'http://www.w3.org/1999/02/22-rdf-syntax-ns#'><rdf:Description "
		"xmlns:dc='http://purl.org/dc/elements/1.1/' xmp:CreatorTool='EditorApp 3'>";
	buf_put(&x, head, strlen(head));
	char tmp[1024];
	if (pl->xmp_desc) {
		snprintf(tmp, sizeof tmp, "<dc:description><rdf:Alt><rdf:li xml:lang='nl'>anders"
			 "</rdf:li><rdf:li xml:lang=\"x-default\">%s</rdf:li></rdf:Alt>"
			 "</dc:description>", pl->xmp_desc);
		buf_put(&x, tmp, strlen(tmp));
	}
	if (pl->xmp_title) {
		snprintf(tmp, sizeof tmp, "<dc:title>\n <rdf:Alt>\n  <rdf:li xml:lang='x-default'>%s"
			 "</rdf:li>\n </rdf:Alt>\n</dc:title>", pl->xmp_title);
		buf_put(&x, tmp, strlen(tmp));
	}
	const char *tail = "<dc:creator><rdf:Seq><rdf:li>Maker Person</rdf:li></rdf:Seq>"
		"</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end='w'?>";
	buf_put(&x, tail, strlen(tail));
	put_seg(b, 0xE1, x.p, x.len);
	free(x.p);
}

static void put_dataset(struct buf *b, uint8_t ds, const char *v)
{
	put_byte(b, 0x1C);
	put_byte(b, 2);
	put_byte(b, ds);
	put_be16(b, (unsigned)strlen(v));
	buf_put(b, v, strlen(v));
}

static void plant_iptc(struct buf *b, const struct plant *pl)
{
	struct buf iim = { 0 };
	buf_put(&iim, "\x1c\x02\x00\x00\x02\x00\x04", 7);   /* record version */
	if (pl->iptc_byline)
		put_dataset(&iim, 80, pl->iptc_byline);
	if (pl->iptc_headline)
		put_dataset(&iim, 105, pl->iptc_headline);
	if (pl->iptc_caption)
		put_dataset(&iim, 120, pl->iptc_caption);
	struct buf p = { 0 };
	buf_put(&p, "Photoshop 3.0", 14);
	buf_put(&p, "8BIM\x04\x04\0\0", 8);
	put_be32(&p, (uint32_t)iim.len);
	buf_put(&p, iim.p, iim.len);
	if (iim.len & 1)
		put_byte(&p, 0);
	put_seg(b, 0xED, p.p, p.len);
	free(iim.p);
	free(p.p);
}

/* SOI, JFIF (as TurboJPEG wrote it), the planted segments, the rest. */
static struct buf planted(const struct plant *pl)
{
	struct buf j = make_jpeg(48, 32);
	assert_true(j.len > 20 && j.p[2] == 0xFF && j.p[3] == 0xE0);
	size_t app0 = 4 + ((size_t)j.p[4] << 8 | j.p[5]);
	struct buf b = { 0 };
	buf_put(&b, j.p, app0);
	plant_exif(&b, pl);
	if (pl->xmp_desc || pl->xmp_title)
		plant_xmp(&b, pl);
	if (pl->iptc_caption || pl->iptc_headline || pl->iptc_byline)
		plant_iptc(&b, pl);
	if (pl->comment)
		put_seg(&b, 0xFE, pl->comment, strlen(pl->comment));
	buf_put(&b, j.p + app0, j.len - app0);
	if (pl->trailer) {
		struct buf t = make_jpeg(8, 8);
		buf_put(&b, t.p, t.len);
		free(t.p);
	}
	free(j.p);
	return b;
}

static const struct plant full = {
	.description = "Mijn plek aan het water",
	.xp_comment = "Windows comment text",
	.xp_title = "XP title",
	.user_comment = "User comment text",
	.date_original = "2023:04:15 10:11:12",
	.date_time = "2024:01:02 03:04:05",
	.orientation = 6,
	.exif_extras = 1,
	.xmp_desc = "XMP caption &amp; &lt;more&gt;",
	.xmp_title = "XMP title",
	.iptc_caption = "IPTC caption",
	.iptc_headline = "IPTC headline",
	.iptc_byline = "Photographer Bakker",
	.comment = "A personal comment",
	.trailer = 1,
};

/* ---- assertions --------------------------------------------------------- */

static const struct pv_finding *find(const struct pv_findings *f, enum pv_find_group g,
				     const char *what, const char *value)
{
	for (size_t i = 0; i < f->count; i++) {
		const struct pv_finding *it = &f->items[i];
		if (it->group == g && strstr(it->what, what) &&
		    (!value || (it->value && strstr(it->value, value))))
			return it;
	}
	return NULL;
}

static void dump(const struct pv_findings *f)
{
	for (size_t i = 0; i < f->count; i++)
		print_message("# %s | %s | %s\n", pv_find_group_name(f->items[i].group),
			      f->items[i].what, f->items[i].value ? f->items[i].value : "-");
}

#define HAS(f, g, w, v) do { if (!find(f, g, w, v)) { dump(f); \
	fail_msg("no finding %s / %s / %s", #g, w, v ? v : "(any)"); } } while (0)

static void all_valid(const struct pv_findings *f)
{
	for (size_t i = 0; i < f->count; i++) {
		const char *v = f->items[i].value;
		assert_non_null(f->items[i].what);
		if (!v)
			continue;
		assert_true(pv_utf8_valid(v, strlen(v)));
		assert_true(strlen(v) <= 200);
		for (const unsigned char *p = (const unsigned char *)v; *p; p++)
			assert_true(*p >= 0x20 && *p != 0x7F);
	}
}

/* ---- tests -------------------------------------------------------------- */

static void test_groups(void **state)
{
	(void)state;
	struct buf b = planted(&full);
	struct pv_findings f;
	struct pv_err err = {0};
	assert_int_equal(pv_jpeg_inspect(b.p, b.len, &f, &err), 0);
	HAS(&f, PV_FIND_LOCATION, "GPS latitude", "N");
	HAS(&f, PV_FIND_LOCATION, "GPS longitude", "E");
	HAS(&f, PV_FIND_DEVICE, "camera serial number", "SN-4242");
	HAS(&f, PV_FIND_DEVICE, "camera make", "PhoneMaker");
	HAS(&f, PV_FIND_DEVICE, "maker notes", NULL);
	HAS(&f, PV_FIND_PEOPLE, "camera owner name", "Fenna de Vries");
	HAS(&f, PV_FIND_PEOPLE, "artist", "Artist Jansen");
	HAS(&f, PV_FIND_PEOPLE, "image description", "Mijn plek");
	HAS(&f, PV_FIND_PEOPLE, "comment (Windows)", "Windows comment");
	HAS(&f, PV_FIND_PEOPLE, "By-line (IPTC)", "Photographer Bakker");
	HAS(&f, PV_FIND_PEOPLE, "Caption-Abstract (IPTC)", "IPTC caption");
	HAS(&f, PV_FIND_PEOPLE, "headline (IPTC)", "IPTC headline");
	HAS(&f, PV_FIND_PEOPLE, "description (XMP)", NULL);
	HAS(&f, PV_FIND_PEOPLE, "title (XMP)", "XMP title");
	HAS(&f, PV_FIND_PEOPLE, "creator (XMP)", "Maker Person");
	HAS(&f, PV_FIND_PEOPLE, "comment", "A personal comment");
	HAS(&f, PV_FIND_DATES, "date and time taken", "2023:04:15");
	HAS(&f, PV_FIND_HIDDEN, "Exif thumbnail", NULL);
	HAS(&f, PV_FIND_HIDDEN, "after the end", "another JPEG");
	HAS(&f, PV_FIND_SOFTWARE, "software (XMP)", "EditorApp 3");
	assert_int_equal(f.segments[PV_SEG_EXIF], 1);
	assert_int_equal(f.segments[PV_SEG_XMP], 1);
	assert_int_equal(f.segments[PV_SEG_IPTC], 1);
	assert_int_equal(f.segments[PV_SEG_COM], 1);
	assert_int_equal(f.segments[PV_SEG_TRAILER], 1);
	assert_int_equal(f.width, 48);
	assert_int_equal(f.height, 32);
	assert_int_equal(f.orientation, 6);
	all_valid(&f);
	pv_findings_free(&f);
	free(b.p);
}

static void test_group_names(void **state)
{
	(void)state;
	assert_string_equal(pv_find_group_name(PV_FIND_LOCATION), "location");
	assert_string_equal(pv_find_group_name(PV_FIND_HIDDEN), "hidden");
	assert_string_equal(pv_find_group_name((enum pv_find_group)99), "other");
}

static void test_not_jpeg(void **state)
{
	(void)state;
	const uint8_t text[] = "this is a text file, not a photo\n";
	struct pv_findings f;
	struct pv_rescued r;
	struct pv_err err = {0};
	assert_int_equal(pv_jpeg_inspect(text, sizeof text - 1, &f, &err), -1);
	assert_true(strlen(err.msg) > 10);
	assert_int_equal(f.count, 0);
	assert_int_equal(pv_jpeg_inspect(text, 0, &f, &err), -1);
	assert_int_equal(pv_jpeg_rescue(text, sizeof text - 1, &r), -1);
	assert_null(r.caption);
	pv_findings_free(&f);
}

static void rescue_of(const struct plant *pl, struct pv_rescued *r)
{
	struct buf b = planted(pl);
	assert_int_equal(pv_jpeg_rescue(b.p, b.len, r), 0);
	free(b.p);
}

#define EXPECT_TEXT(got, want) do { if (want) { assert_non_null(got); \
	assert_string_equal(got, want); } else assert_null(got); } while (0)

static void check_rescue(const struct plant *pl, const char *caption,
			 const char *title, const char *month)
{
	struct pv_rescued r;
	rescue_of(pl, &r);
	EXPECT_TEXT(r.caption, caption);
	EXPECT_TEXT(r.title, title);
	EXPECT_TEXT(r.taken_month, month);
	pv_rescued_free(&r);
}

static void test_rescue_priority(void **state)
{
	(void)state;
	struct plant p = full;
	struct pv_rescued r;
	rescue_of(&p, &r);
	assert_string_equal(r.caption, "Mijn plek aan het water");
	assert_string_equal(r.title, "XMP title");
	assert_string_equal(r.taken_month, "2023-04");
	assert_int_equal(r.orientation, 6);
	pv_rescued_free(&r);
	p.description = NULL;
	check_rescue(&p, "XMP caption & <more>", "XMP title", "2023-04");
	p.xmp_desc = NULL;
	p.xmp_title = NULL;
	check_rescue(&p, "IPTC caption", "IPTC headline", "2023-04");
	p.iptc_caption = p.iptc_headline = p.iptc_byline = NULL;
	check_rescue(&p, "Windows comment text", "XP title", "2023-04");
	p.xp_comment = p.xp_title = NULL;
	p.date_original = NULL;
	check_rescue(&p, "User comment text", NULL, "2024-01");
	p.user_comment = NULL;
	p.date_time = NULL;
	check_rescue(&p, NULL, NULL, NULL);
}

static void test_rescue_boilerplate(void **state)
{
	(void)state;
	struct plant p = { .description = "OLYMPUS DIGITAL CAMERA",
			   .user_comment = "            ", .xp_title = "IMG_2041",
			   .iptc_caption = "Echte tekst", .date_original = "0000:00:00 00:00:00" };
	check_rescue(&p, "Echte tekst", NULL, NULL);
	struct plant q = { .description = "SONY DSC ", .exif_extras = 1,
			   .user_comment = "PhoneMaker" };
	check_rescue(&q, NULL, NULL, NULL);
	struct plant s = { .description = "  \t spaced out caption \n " };
	check_rescue(&s, "spaced out caption", NULL, NULL);
	/* a blank x-default falls back to the other language's text */
	struct plant x = { .description = "DIGITAL CAMERA", .xmp_desc = "   " };
	check_rescue(&x, "anders", NULL, NULL);
}

static void test_latin1_and_invalid(void **state)
{
	(void)state;
	struct plant p = { .description = "Caf\xe9 op het plein" };
	check_rescue(&p, "Caf\xc3\xa9 op het plein", NULL, NULL);
	struct plant q = { .iptc_caption = "half \xe2\x82 broken \xff\xfe text",
			   .comment = "bad \xc3\x28 utf8 \x01\x02 and control" };
	struct pv_rescued r;
	rescue_of(&q, &r);
	assert_non_null(r.caption);
	assert_true(pv_utf8_valid(r.caption, strlen(r.caption)));
	assert_non_null(strstr(r.caption, "broken"));
	pv_rescued_free(&r);
	struct buf b = planted(&q);
	struct pv_findings f;
	assert_int_equal(pv_jpeg_inspect(b.p, b.len, &f, NULL), 0);
	all_valid(&f);
	HAS(&f, PV_FIND_PEOPLE, "comment", "utf8");
	pv_findings_free(&f);
	free(b.p);
}

/* dc:description as an attribute; UserComment in UNICODE (UTF-16, Intel). */
static void test_xmp_attribute_and_unicode_comment(void **state)
{
	(void)state;
	struct buf j = make_jpeg(16, 16);
	size_t app0 = 4 + ((size_t)j.p[4] << 8 | j.p[5]);
	struct buf b = { 0 };
	buf_put(&b, j.p, app0);
	ExifData *ed = exif_data_new();
	assert_non_null(ed);
	exif_data_set_byte_order(ed, EXIF_BYTE_ORDER_INTEL);
	const uint8_t uc[] = "UNICODE\0H\0\xe9\0!\0";
	add_bytes(ed, EXIF_IFD_EXIF, EXIF_TAG_USER_COMMENT, EXIF_FORMAT_UNDEFINED, uc, 14);
	unsigned char *d = NULL;
	unsigned int n = 0;
	exif_data_save_data(ed, &d, &n);
	exif_data_unref(ed);
	put_seg(&b, 0xE1, d, n);
	free(d);
	struct pv_rescued r;
	struct buf c = { 0 };
	buf_put(&c, b.p, b.len);
	buf_put(&c, j.p + app0, j.len - app0);
	assert_int_equal(pv_jpeg_rescue(c.p, c.len, &r), 0);
	assert_non_null(r.caption);
	assert_string_equal(r.caption, "H\xc3\xa9!");
	pv_rescued_free(&r);
	free(c.p);
	const char *x = "http://ns.adobe.com/xap/1.0/\0<rdf:Description rdf:about='' "
		"dc:description=\"Bij &quot;de klik&quot; &#233;n &#x1F600;\" dc:title='T'/>";
	put_seg(&b, 0xE1, x, 29 + strlen(x + 29));
	buf_put(&b, j.p + app0, j.len - app0);
	assert_int_equal(pv_jpeg_rescue(b.p, b.len, &r), 0);
	assert_non_null(r.caption);
	assert_string_equal(r.caption, "Bij \"de klik\" \xc3\xa9n \xf0\x9f\x98\x80");
	assert_string_equal(r.title, "T");
	pv_rescued_free(&r);
	free(b.p);
	free(j.p);
}

static void test_long_value_truncated(void **state)
{
	(void)state;
	char longtxt[900];
	for (size_t i = 0; i < sizeof longtxt - 1; i++)
		longtxt[i] = (i % 3 == 0) ? (char)0xC3 : (i % 3 == 1) ? (char)0xA9 : 'x';
	longtxt[sizeof longtxt - 1] = '\0';
	struct plant p = { .comment = longtxt, .description = longtxt };
	struct buf b = planted(&p);
	struct pv_findings f;
	assert_int_equal(pv_jpeg_inspect(b.p, b.len, &f, NULL), 0);
	all_valid(&f);
	pv_findings_free(&f);
	struct pv_rescued r;
	assert_int_equal(pv_jpeg_rescue(b.p, b.len, &r), 0);
	assert_non_null(r.caption);
	assert_int_equal(strlen(r.caption), sizeof longtxt - 1);
	pv_rescued_free(&r);
	free(b.p);
}

/* Hand-broken lengths in IPTC and XMP. */
static void test_malformed_lengths(void **state)
{
	(void)state;
	struct buf j = make_jpeg(16, 16);
	size_t app0 = 4 + ((size_t)j.p[4] << 8 | j.p[5]);
	static const uint8_t bad_iptc[][40] = {
		"Photoshop 3.0\0" "8BIM\x04\x04\0\0\xff\xff\xff\xf0\x1c\x02\x78\xff\xff",
		"Photoshop 3.0\0" "8BIM\x04\x04\xff",
		"Photoshop 3.0\0" "8BIM\x04\x04\0\0\0\0\0\x08\x1c\x02\x78\x80\x04\xff\xff\xff",
		"Photoshop 3.0\0" "8BIM\x04\x04\0\0\0\0\0\x05\x1c\x02\x78\x00\x09",
		"Photoshop 3.0\0" "8BIM\x04\x04\x20",
	};
	for (size_t i = 0; i < sizeof bad_iptc / sizeof bad_iptc[0]; i++) {
		struct buf b = { 0 };
		buf_put(&b, j.p, app0);
		put_seg(&b, 0xED, bad_iptc[i], sizeof bad_iptc[i]);
		const char *x = "http://ns.adobe.com/xap/1.0/\0<dc:description><rdf:li x-default>&#x";
		put_seg(&b, 0xE1, x, 29 + strlen(x + 29));
		put_seg(&b, 0xE1, "Exif\0\0II*\0\xff\xff\xff\x7f", 14);
		buf_put(&b, j.p + app0, j.len - app0);
		struct pv_findings f;
		struct pv_rescued r;
		assert_int_equal(pv_jpeg_inspect(b.p, b.len, &f, NULL), 0);
		pv_findings_free(&f);
		assert_int_equal(pv_jpeg_rescue(b.p, b.len, &r), 0);
		pv_rescued_free(&r);
		free(b.p);
	}
	free(j.p);
}

static uint32_t rng_state = 0x12345678u;

static uint32_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

/* Offset where the scan data starts: mutations mostly land before it. */
static size_t meta_end(const uint8_t *p, size_t n)
{
	for (size_t i = 2; i + 1 < n; i++)
		if (p[i] == 0xFF && p[i + 1] == 0xDA)
			return i;
	return n;
}

static void test_mutations_never_crash(void **state)
{
	(void)state;
	struct buf b = planted(&full);
	size_t meta = meta_end(b.p, b.len);
	uint8_t *m = malloc(b.len);
	assert_non_null(m);
	unsigned parsed = 0;
	for (int it = 0; it < 3000; it++) {
		memcpy(m, b.p, b.len);
		size_t len = b.len;
		int flips = 1 + (int)(rnd() % 8);
		for (int k = 0; k < flips; k++) {
			size_t at = (rnd() % 10 < 9) ? 20 + rnd() % (meta - 20) : rnd() % len;
			uint32_t how = rnd() % 4;
			m[at] = how == 0 ? (uint8_t)rnd() : how == 1 ? 0xFF : how == 2 ? 0x00 : (uint8_t)(m[at] ^ (1u << (rnd() % 8)));
		}
		if (rnd() % 10 == 0)
			len = 2 + rnd() % (len - 2);
		struct pv_findings f;
		struct pv_rescued r;
		struct pv_err err = {0};
		if (pv_jpeg_inspect(m, len, &f, &err) == 0) {
			parsed++;
			all_valid(&f);
			pv_findings_free(&f);
		}
		if (pv_jpeg_rescue(m, len, &r) == 0) {
			if (r.caption)
				assert_true(pv_utf8_valid(r.caption, strlen(r.caption)));
			if (r.title)
				assert_true(pv_utf8_valid(r.title, strlen(r.title)));
			pv_rescued_free(&r);
		}
	}
	assert_true(parsed > 100);   /* the mutations reached the readers */
	free(m);
	free(b.p);
}

/* Ingest parses a photo once for its findings and its words
 * (pv_jpeg_inspect_parsed, pv_jpeg_rescue_parsed): they must be what
 * pv_jpeg_inspect and pv_jpeg_rescue say, so that the list of what was
 * taken out and the rescued caption stay as they were, on the planted photo
 * and on mutations of it. */
static void same_text(const char *a, const char *b)
{
	if (a || b) {
		assert_non_null(a);
		assert_non_null(b);
		assert_string_equal(a, b);
	}
}

static void same_when_parsed_once(const uint8_t *p, size_t len)
{
	struct pv_findings f1, f2;
	struct pv_rescued r1, r2;
	struct pv_jpeg_layout lay;
	struct pv_err err = {0};
	int parsed = pv_jpeg_parse(p, len, &lay, &err) == 0;
	assert_int_equal(pv_jpeg_inspect(p, len, &f1, &err) == 0, parsed);
	assert_int_equal(pv_jpeg_rescue(p, len, &r1) == 0, parsed);
	if (!parsed)
		return;
	pv_jpeg_inspect_parsed(p, len, &lay, &f2);
	pv_jpeg_rescue_parsed(p, len, &lay, &r2);
	pv_jpeg_layout_free(&lay);
	assert_int_equal(f1.count, f2.count);
	for (size_t i = 0; i < f1.count; i++) {
		assert_int_equal(f1.items[i].group, f2.items[i].group);
		same_text(f1.items[i].what, f2.items[i].what);
		same_text(f1.items[i].value, f2.items[i].value);
	}
	assert_memory_equal(f1.segments, f2.segments, sizeof f1.segments);
	assert_int_equal(f1.width, f2.width);
	assert_int_equal(f1.height, f2.height);
	assert_int_equal(f1.orientation, f2.orientation);
	same_text(r1.title, r2.title);
	same_text(r1.caption, r2.caption);
	same_text(r1.taken_month, r2.taken_month);
	assert_int_equal(r1.orientation, r2.orientation);
	pv_findings_free(&f1);
	pv_findings_free(&f2);
	pv_rescued_free(&r1);
	pv_rescued_free(&r2);
}

static void test_parsed_once_same(void **state)
{
	(void)state;
	struct buf b = planted(&full);
	same_when_parsed_once(b.p, b.len);
	size_t meta = meta_end(b.p, b.len);
	uint8_t *m = malloc(b.len);
	assert_non_null(m);
	for (int it = 0; it < 500; it++) {
		memcpy(m, b.p, b.len);
		for (int k = 0; k < 1 + (int)(rnd() % 8); k++)
			m[20 + rnd() % (meta - 20)] = (uint8_t)rnd();
		same_when_parsed_once(m, b.len);
	}
	free(m);
	free(b.p);
}

static void test_scrubbed_is_clean(void **state)
{
	(void)state;
	struct plant variants[2] = { full, full };
	variants[1].orientation = 0;
	for (int v = 0; v < 2; v++) {
		struct buf b = planted(&variants[v]);
		uint8_t *out = NULL;
		size_t out_len = 0;
		struct pv_scrub_report rep;
		struct pv_err err = {0};
		if (pv_jpeg_scrub(b.p, b.len, &out, &out_len, &rep, &err) != 0)
			fail_msg("scrub failed: %s", err);
		struct pv_findings f;
		assert_int_equal(pv_jpeg_inspect(out, out_len, &f, &err), 0);
		if (f.count)
			dump(&f);
		assert_int_equal(f.count, 0);
		assert_int_equal(f.segments[PV_SEG_XMP] + f.segments[PV_SEG_IPTC] +
				 f.segments[PV_SEG_COM] + f.segments[PV_SEG_TRAILER], 0);
		pv_findings_free(&f);
		struct pv_rescued r;
		assert_int_equal(pv_jpeg_rescue(out, out_len, &r), 0);
		assert_null(r.caption);
		assert_null(r.title);
		assert_null(r.taken_month);
		pv_rescued_free(&r);
		free(out);
		free(b.p);
	}
}

/* ---- the shared corpus (skipped when absent) ---------------------------- */

static char *corpus_dir(const char *sub)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/../shared/corpus/%s", pv_test_root(), sub);
	DIR *d = opendir(path);
	if (!d)
		return NULL;
	closedir(d);
	return strdup(path);
}

typedef void (*corpus_fn)(const char *name, const uint8_t *p, size_t n);

static int each_jpeg(const char *sub, corpus_fn fn)
{
	char *dir = corpus_dir(sub);
	if (!dir)
		return 0;
	DIR *d = opendir(dir);
	assert_non_null(d);
	struct dirent *de;
	int n = 0;
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);
		if (l < 5 || strcasecmp(de->d_name + l - 4, ".jpg") != 0)
			continue;
		char *path = pv_path_join(dir, de->d_name);
		uint8_t *p;
		size_t len;
		struct pv_err err = {0};
		assert_int_equal(pv_read_file(path, PV_MAX_FILE_BYTES, &p, &len, &err), 0);
		fn(de->d_name, p, len);
		free(p);
		free(path);
		n++;
	}
	closedir(d);
	free(dir);
	return n;
}

static int count_group(const struct pv_findings *f, enum pv_find_group g)
{
	int n = 0;
	for (size_t i = 0; i < f->count; i++)
		n += f->items[i].group == g;
	return n;
}

static void gps_file(const char *name, const uint8_t *p, size_t n)
{
	struct pv_findings f;
	assert_int_equal(pv_jpeg_inspect(p, n, &f, NULL), 0);
	if (!count_group(&f, PV_FIND_LOCATION))
		fail_msg("%s: no location findings", name);
	all_valid(&f);
	pv_findings_free(&f);
}

static void camera_file(const char *name, const uint8_t *p, size_t n)
{
	struct pv_findings f;
	assert_int_equal(pv_jpeg_inspect(p, n, &f, NULL), 0);
	assert_true(f.count > 0);
	/* BlueSquare.jpg and long_description.jpg were made in Photoshop and
	 * GIMP: no camera in them */
	if (strcmp(name, "BlueSquare.jpg") != 0 && strcmp(name, "long_description.jpg") != 0 &&
	    !count_group(&f, PV_FIND_DEVICE))
		fail_msg("%s: no device findings", name);
	all_valid(&f);
	pv_findings_free(&f);
	struct pv_rescued r;
	assert_int_equal(pv_jpeg_rescue(p, n, &r), 0);
	pv_rescued_free(&r);
}

static void scrub_then_clean(const char *name, const uint8_t *p, size_t n)
{
	uint8_t *out = NULL;
	size_t out_len;
	struct pv_scrub_report rep;
	struct pv_err err = {0};
	if (pv_jpeg_scrub(p, n, &out, &out_len, &rep, &err) != 0)
		fail_msg("%s: scrub failed: %s", name, err);
	struct pv_findings f;
	assert_int_equal(pv_jpeg_inspect(out, out_len, &f, &err), 0);
	if (f.count) {
		dump(&f);
		fail_msg("%s: findings after scrub", name);
	}
	pv_findings_free(&f);
	free(out);
}

static void test_corpus_gps(void **state)
{
	(void)state;
	if (each_jpeg("gps", gps_file) == 0)
		skip();
}

static void test_corpus_cameras(void **state)
{
	(void)state;
	if (each_jpeg("cameras", camera_file) == 0)
		skip();
}

static void test_corpus_scrubbed_clean(void **state)
{
	(void)state;
	int n = each_jpeg("gps", scrub_then_clean) + each_jpeg("cameras", scrub_then_clean) +
		each_jpeg("orientation", scrub_then_clean);
	if (n == 0)
		skip();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_groups),
		cmocka_unit_test(test_group_names),
		cmocka_unit_test(test_not_jpeg),
		cmocka_unit_test(test_rescue_priority),
		cmocka_unit_test(test_rescue_boilerplate),
		cmocka_unit_test(test_latin1_and_invalid),
		cmocka_unit_test(test_xmp_attribute_and_unicode_comment),
		cmocka_unit_test(test_long_value_truncated),
		cmocka_unit_test(test_malformed_lengths),
		cmocka_unit_test(test_mutations_never_crash),
		cmocka_unit_test(test_parsed_once_same),
		cmocka_unit_test(test_scrubbed_is_clean),
		cmocka_unit_test(test_corpus_gps),
		cmocka_unit_test(test_corpus_cameras),
		cmocka_unit_test(test_corpus_scrubbed_clean),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
