/*
 * mksample - write the photovoice sample photos (test data).
 *
 *   mksample DIR
 *       write the sample photos listed in `photos[]` into DIR (which holds
 *       the hand-written sidecars), creating participant subfolders.
 *   mksample --bench N --megapixels M DIR
 *       write N photos of about M megapixels, with the same full metadata,
 *       for `make bench`.
 *
 * Every photo is drawn with cairo + pango in its upright (display)
 * orientation, but onto a surface in the STORED orientation: the cairo
 * matrix maps display coordinates to stored coordinates, so the stored
 * pixels are the upright picture transformed by the inverse of the EXIF
 * Orientation, and a viewer that honours the tag shows it upright.
 *
 * The JPEG is encoded with TurboJPEG; then a small segment splicer inserts,
 * after SOI and the JFIF APP0, every kind of identifying metadata a phone
 * would write (Exif with GPS, owner, serial, maker note and thumbnail; XMP;
 * IPTC; COM; MPF; ICC) and appends a second JPEG after EOI, the way a phone
 * stores a depth map.  The privacy rewrite must remove all of it except
 * JFIF and ICC.
 *
 * Output is deterministic: no clocks, no randomness.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <archive.h>
#include <archive_entry.h>
#include <cairo.h>
#include <libheif/heif.h>
#include <png.h>
#include <libexif/exif-data.h>
#include <libexif/exif-entry.h>
#include <libexif/exif-utils.h>
#include <pango/pangocairo.h>
#include <turbojpeg.h>

/* Every planted identifying text field contains this token, so a test can
 * check that none of it survives: grep -c PV-GEHEIM must find nothing. */
#define CANARY "PV-GEHEIM"

#define THUMB_W 160
#define THUMB_H 120
#define JPEG_QUALITY 90

/* ---- the table of sample photos ---------------------------------------- */

typedef struct {
    const char *path;        /* relative to DIR, with extension */
    int width, height;       /* upright (display) size in pixels */
    int orientation;         /* EXIF Orientation 1..8 */
    uint32_t bg;             /* background colour 0xRRGGBB */
    const char *title;       /* drawn into the pixels */
    const char *owner;       /* planted: camera owner / artist */
    const char *make, *model;
    const char *city;        /* planted: IPTC City, XMP photoshop:City */
    const char *datetime;    /* planted: DateTimeOriginal */
    const char *caption;     /* planted caption (EXIF/XMP/IPTC) or NULL */
} Photo;

static const Photo photos[] = {
    { "de-klik.jpg", 2048, 1536, 1, 0xE8833A, "De klik",
      "Ilse Hoekstra", "Apple", "iPhone 12", "Amersfoort",
      "2024:03:14 16:02:11", NULL },
    { "fenna/IMG_2041.jpg", 1600, 2128, 6, 0x2A9D8F, "Mijn eigen plek",
      "Anouk Bakker", "Apple", "iPhone 13 mini", "Amersfoort",
      "2024:03:02 19:45:30", NULL },
    { "fenna/IMG_2057.jpg", 1920, 1440, 3, 0x7B5EA7, "Het lege lokaal",
      "Anouk Bakker", "Apple", "iPhone 13 mini", "Leusden",
      "2024:03:07 08:21:05", NULL },
    { "sem/DSC_0012.JPG", 1632, 2176, 8, 0x4EA8DE, "De eerste keer",
      "Ruben Mulder", "NIKON CORPORATION", "NIKON D3400", "Amersfoort",
      "2024:02:20 14:10:00", NULL },
    { "sem/DSC_0019.JPG", 1600, 1200, 4, 0x8A9A3B, "Mijn mening telt",
      "Ruben Mulder", "NIKON CORPORATION", "NIKON D3400", "Soest",
      "2024:02:24 11:37:48", NULL },
    { "ouders-groep/IMG_0733.jpg", 1792, 1344, 2, 0xD9668F, "Aan tafel",
      "Marloes de Graaf", "samsung", "SM-A525F", "Utrecht",
      "2024:03:11 20:05:17", NULL },
    { "ouders-groep/IMG_0741.jpg", 1600, 2128, 5, 0x9C6644, "Thuis",
      "Marloes de Graaf", "samsung", "SM-A525F", "Utrecht",
      "2024:03:12 07:58:02", NULL },
    /* width and height NOT multiples of 16, orientation 6: no perfect
     * lossless rotation is possible, exercises the fallback. */
    { "IMG_3310.jpg", 1605, 2141, 6, 0x264653, "Over mij, met mij",
      "Daan Visser", "Google", "Pixel 7a", "Hoogland",
      "2024:03:19 10:30:44", NULL },
    /* no sidecar: the caption lives only in the photo's own metadata */
    { "DSC_0087.jpg", 1664, 2224, 7, 0x6CC4A1, "Artikel 12",
      "Lotte Jansen", "FUJIFILM", "X-T30", "Amersfoort",
      "2024:03:21 15:12:09",
      "Artikel 12: ik mag zeggen wat ik vind, en dan moeten ze luisteren." },
};

#define NPHOTOS (sizeof photos / sizeof photos[0])

/* ---- small helpers ------------------------------------------------------ */

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("mksample: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        die("out of memory");
    return p;
}

/* A growable byte buffer. */
typedef struct {
    unsigned char *data;
    size_t len, cap;
} Buf;

static void buf_add(Buf *b, const void *p, size_t n)
{
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n)
            cap *= 2;
        unsigned char *d = realloc(b->data, cap);
        if (!d)
            die("out of memory");
        b->data = d;
        b->cap = cap;
    }
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
}

static void buf_byte(Buf *b, unsigned v)
{
    unsigned char c = (unsigned char)v;
    buf_add(b, &c, 1);
}

static void buf_be16(Buf *b, unsigned v)
{
    buf_byte(b, (v >> 8) & 0xff);
    buf_byte(b, v & 0xff);
}

static void buf_be32(Buf *b, uint32_t v)
{
    buf_be16(b, (v >> 16) & 0xffff);
    buf_be16(b, v & 0xffff);
}

static void buf_str(Buf *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

static void buf_printf(Buf *b, const char *fmt, ...)
{
    char tmp[4096];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof tmp)
        die("internal: formatted text too long");
    buf_add(b, tmp, (size_t)n);
}

/* XML-escape s into b. */
static void buf_xml(Buf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': buf_str(b, "&amp;"); break;
        case '<': buf_str(b, "&lt;"); break;
        case '>': buf_str(b, "&gt;"); break;
        case '"': buf_str(b, "&quot;"); break;
        default: buf_byte(b, (unsigned char)*s); break;
        }
    }
}

/* mkdir -p for the directory part of path (path itself is a file). */
static void make_parent_dirs(const char *path)
{
    char *tmp = xmalloc(strlen(path) + 1);
    strcpy(tmp, path);
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(tmp, 0777) != 0 && errno != EEXIST)
            die("cannot create folder %s: %s", tmp, strerror(errno));
        *p = '/';
    }
    free(tmp);
}

static void write_file(const char *path, const Buf *b)
{
    size_t n = strlen(path) + 8;
    char *tmp = xmalloc(n);
    snprintf(tmp, n, "%s.tmp", path);
    make_parent_dirs(path);
    FILE *f = fopen(tmp, "wb");
    if (!f)
        die("cannot write %s: %s", tmp, strerror(errno));
    if (fwrite(b->data, 1, b->len, f) != b->len || fclose(f) != 0)
        die("cannot write %s: %s", tmp, strerror(errno));
    if (rename(tmp, path) != 0)
        die("cannot rename %s to %s: %s", tmp, path, strerror(errno));
    free(tmp);
}

/* ---- drawing ------------------------------------------------------------ */

static void set_rgb(cairo_t *cr, uint32_t c)
{
    cairo_set_source_rgb(cr, ((c >> 16) & 0xff) / 255.0,
                         ((c >> 8) & 0xff) / 255.0, (c & 0xff) / 255.0);
}

/* Map display (upright) coordinates to stored coordinates for EXIF
 * orientation o, display size w x h.  Derived from the tag's definition
 * ("row 0 of the stored image is the visual ..."):
 *   1: (x, y)          2: (w-x, y)          3: (w-x, h-y)    4: (x, h-y)
 *   5: (y, x)          6: (y, w-x)          7: (h-y, w-x)    8: (h-y, x)
 * e.g. 6 = "rotate 90 degrees clockwise to display": the stored image is
 * the upright one rotated 90 degrees counter-clockwise, its top row being
 * the visual right-hand column. */
static void orientation_matrix(cairo_matrix_t *m, int o, double w, double h)
{
    /* cairo_matrix_init(m, xx, yx, xy, yy, x0, y0):
     *   x' = xx*x + xy*y + x0,  y' = yx*x + yy*y + y0 */
    switch (o) {
    case 2: cairo_matrix_init(m, -1, 0, 0, 1, w, 0); break;
    case 3: cairo_matrix_init(m, -1, 0, 0, -1, w, h); break;
    case 4: cairo_matrix_init(m, 1, 0, 0, -1, 0, h); break;
    case 5: cairo_matrix_init(m, 0, 1, 1, 0, 0, 0); break;
    case 6: cairo_matrix_init(m, 0, -1, 1, 0, 0, w); break;
    case 7: cairo_matrix_init(m, 0, -1, -1, 0, h, w); break;
    case 8: cairo_matrix_init(m, 0, 1, -1, 0, h, 0); break;
    default: cairo_matrix_init_identity(m); break;
    }
}

/* Draw text with its centre at (cx, cy), at most maxw wide. */
static void draw_text(cairo_t *cr, const char *text, double px, int bold,
                      double cx, double cy, double maxw, uint32_t colour)
{
    PangoLayout *layout = pango_cairo_create_layout(cr);
    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family(fd, "DejaVu Sans");
    pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD
                                               : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_absolute_size(fd, px * PANGO_SCALE);
    pango_layout_set_font_description(layout, fd);
    pango_layout_set_text(layout, text, -1);
    int tw, th;
    pango_layout_get_pixel_size(layout, &tw, &th);
    if (tw > maxw && tw > 0) {          /* shrink to fit */
        pango_font_description_set_absolute_size(
            fd, px * (maxw / tw) * PANGO_SCALE);
        pango_layout_set_font_description(layout, fd);
        pango_layout_get_pixel_size(layout, &tw, &th);
    }
    set_rgb(cr, colour);
    cairo_move_to(cr, cx - tw / 2.0, cy - th / 2.0);
    pango_cairo_show_layout(cr, layout);
    pango_font_description_free(fd);
    g_object_unref(layout);
}

/* Colour of the corner patches of the upright picture, documented in the
 * README so that a test can check that a displayed photo is upright and
 * not mirrored. */
#define PATCH_TL 0xFF0000u /* red */
#define PATCH_TR 0x00C800u /* green */
#define PATCH_BL 0x0000FFu /* blue */
#define PATCH_BR 0xFFDC00u /* yellow */

/* The upright picture, in display coordinates w x h.  `n` >= 0 draws a big
 * number (bench photos). */
static void draw_upright(cairo_t *cr, double w, double h, uint32_t bg,
                         const char *title, const char *footer, int seed,
                         int n)
{
    double s = w < h ? w : h;
    double band = h * 0.16;

    set_rgb(cr, bg);
    cairo_paint(cr);

    /* big shapes, placed by seed */
    static const uint32_t shape_colours[] = {
        0xF4D35E, 0x1D3557, 0xFFFFFF, 0x3A0CA3, 0xF28482, 0x2B2D42,
    };
    int k = seed % 6;
    set_rgb(cr, shape_colours[k]);
    cairo_arc(cr, w * (0.25 + 0.05 * (seed % 3)), h * 0.55, s * 0.18, 0,
              2 * M_PI);
    cairo_fill(cr);
    set_rgb(cr, shape_colours[(k + 1) % 6]);
    cairo_rectangle(cr, w * 0.55, h * (0.45 + 0.03 * (seed % 4)), w * 0.3,
                    h * 0.25);
    cairo_fill(cr);
    set_rgb(cr, shape_colours[(k + 3) % 6]);
    cairo_move_to(cr, w * 0.15, h * 0.86);
    cairo_line_to(cr, w * (0.35 + 0.04 * (seed % 5)), h * 0.62);
    cairo_line_to(cr, w * 0.6, h * 0.86);
    cairo_close_path(cr);
    cairo_fill(cr);

    /* the big arrow pointing up, below the top band */
    double ax = w * 0.5, top = band + h * 0.03, aw = s * 0.12;
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_move_to(cr, ax, top);
    cairo_line_to(cr, ax + aw, top + aw * 1.1);
    cairo_line_to(cr, ax + aw * 0.4, top + aw * 1.1);
    cairo_line_to(cr, ax + aw * 0.4, top + aw * 2.6);
    cairo_line_to(cr, ax - aw * 0.4, top + aw * 2.6);
    cairo_line_to(cr, ax - aw * 0.4, top + aw * 1.1);
    cairo_line_to(cr, ax - aw, top + aw * 1.1);
    cairo_close_path(cr);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_set_line_width(cr, s * 0.006);
    cairo_stroke(cr);

    /* the top band: title and UP */
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_rectangle(cr, 0, 0, w, band);
    cairo_fill(cr);
    double patch = s * 0.09;
    draw_text(cr, title, band * 0.42, 1, w / 2, band * 0.34,
              w - 2.4 * patch, 0x111111);
    draw_text(cr, "UP \u2191  BOVEN \u2191", band * 0.3, 1, w / 2,
              band * 0.76, w - 2.4 * patch, 0xC00000);

    if (n >= 0) {
        char num[32];
        snprintf(num, sizeof num, "%d", n);
        draw_text(cr, num, s * 0.22, 1, w * 0.7, h * 0.33, w * 0.5,
                  0x000000);
    }

    /* bottom band: what this file is */
    cairo_set_source_rgba(cr, 0, 0, 0, 0.55);
    cairo_rectangle(cr, 0, h - h * 0.07, w, h * 0.07);
    cairo_fill(cr);
    draw_text(cr, footer, h * 0.03, 0, w / 2, h - h * 0.035,
              w - 2.4 * patch, 0xFFFFFF);

    /* corner patches */
    set_rgb(cr, PATCH_TL);
    cairo_rectangle(cr, 0, 0, patch, patch);
    cairo_fill(cr);
    set_rgb(cr, PATCH_TR);
    cairo_rectangle(cr, w - patch, 0, patch, patch);
    cairo_fill(cr);
    set_rgb(cr, PATCH_BL);
    cairo_rectangle(cr, 0, h - patch, patch, patch);
    cairo_fill(cr);
    set_rgb(cr, PATCH_BR);
    cairo_rectangle(cr, w - patch, h - patch, patch, patch);
    cairo_fill(cr);
}

/* Render into a new surface of the stored size. */
static cairo_surface_t *render(int w, int h, int orientation, uint32_t bg,
                               const char *title, const char *footer,
                               int seed, int n)
{
    int sw = orientation >= 5 ? h : w;
    int sh = orientation >= 5 ? w : h;
    cairo_surface_t *surf =
        cairo_image_surface_create(CAIRO_FORMAT_RGB24, sw, sh);
    if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS)
        die("cannot create a %dx%d image", sw, sh);
    cairo_t *cr = cairo_create(surf);
    cairo_matrix_t m;
    orientation_matrix(&m, orientation, w, h);
    cairo_set_matrix(cr, &m);
    draw_upright(cr, w, h, bg, title, footer, seed, n);
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
        die("drawing failed: %s", cairo_status_to_string(cairo_status(cr)));
    cairo_destroy(cr);
    cairo_surface_flush(surf);
    return surf;
}

/* Deterministic noise, +-grain per channel, so that a bench photo
 * compresses like a real one (megabytes, not kilobytes). */
static void add_grain(cairo_surface_t *s, int seed, int grain)
{
    unsigned char *d = cairo_image_surface_get_data(s);
    int w = cairo_image_surface_get_width(s);
    int h = cairo_image_surface_get_height(s);
    int stride = cairo_image_surface_get_stride(s);
    uint32_t x = 2463534242u ^ (uint32_t)seed * 2654435761u;
    int span = 2 * grain + 1;
    for (int y = 0; y < h; y++) {
        uint32_t *row = (uint32_t *)(void *)(d + (size_t)y * stride);
        for (int i = 0; i < w; i++) {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            uint32_t p = row[i], out = 0;
            for (int c = 0; c < 3; c++) {
                int v = (int)((p >> (8 * c)) & 0xff) +
                        (int)((x >> (8 * c)) % (uint32_t)span) - grain;
                v = v < 0 ? 0 : v > 255 ? 255 : v;
                out |= (uint32_t)v << (8 * c);
            }
            row[i] = out;
        }
    }
    cairo_surface_mark_dirty(s);
}

/* ---- JPEG encoding ------------------------------------------------------ */

static int cairo_pixel_format(void)
{
    /* CAIRO_FORMAT_RGB24 is a native-endian uint32 0x00RRGGBB */
    uint32_t one = 1;
    unsigned char first;
    memcpy(&first, &one, 1);
    return first ? TJPF_BGRX : TJPF_XRGB;
}

static void encode(tjhandle tj, const unsigned char *px, int w, int stride,
                   int h, int pf, int samp, int quality, Buf *out)
{
    unsigned char *jpeg = NULL;
    unsigned long size = 0;
    if (tjCompress2(tj, px, w, stride, h, pf, &jpeg, &size, samp, quality,
                    0) != 0)
        die("JPEG encoding failed: %s", tjGetErrorStr2(tj));
    out->len = 0;
    buf_add(out, jpeg, size);
    tjFree(jpeg);
}

static void encode_surface(tjhandle tj, cairo_surface_t *s, int quality,
                           Buf *out)
{
    encode(tj, cairo_image_surface_get_data(s),
           cairo_image_surface_get_width(s),
           cairo_image_surface_get_stride(s),
           cairo_image_surface_get_height(s), cairo_pixel_format(),
           TJSAMP_420, quality, out);
}

/* A THUMB_W x THUMB_H JPEG of the stored picture. */
static void make_thumbnail(tjhandle tj, cairo_surface_t *src, Buf *out)
{
    cairo_surface_t *t =
        cairo_image_surface_create(CAIRO_FORMAT_RGB24, THUMB_W, THUMB_H);
    cairo_t *cr = cairo_create(t);
    cairo_scale(cr, (double)THUMB_W / cairo_image_surface_get_width(src),
                (double)THUMB_H / cairo_image_surface_get_height(src));
    cairo_set_source_surface(cr, src, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
    cairo_paint(cr);
    cairo_destroy(cr);
    cairo_surface_flush(t);
    encode_surface(tj, t, 75, out);
    cairo_surface_destroy(t);
}

/* ---- segment splicer ---------------------------------------------------- */

/* Append marker segment 0xFF<marker> with payload p (n bytes). */
static void add_segment(Buf *out, unsigned marker, const void *p, size_t n)
{
    if (n > 65533)
        die("internal: segment 0x%02X too large (%zu bytes)", marker, n);
    buf_byte(out, 0xff);
    buf_byte(out, marker);
    buf_be16(out, (unsigned)(n + 2));
    buf_add(out, p, n);
}

/* Offset in jpeg[] where inserted segments go: right after SOI and, when
 * present, the JFIF APP0 that follows it. */
static size_t splice_point(const Buf *jpeg)
{
    const unsigned char *j = jpeg->data;
    size_t n = jpeg->len;
    if (n < 4 || j[0] != 0xff || j[1] != 0xd8)
        die("internal: encoder output is not a JPEG");
    if (n >= 11 && j[2] == 0xff && j[3] == 0xe0 &&
        memcmp(j + 6, "JFIF", 5) == 0) {
        size_t seglen = ((size_t)j[4] << 8) | j[5];
        if (seglen < 2 || 4 + seglen > n)
            die("internal: bad JFIF segment from encoder");
        return 4 + seglen;
    }
    return 2;
}

/* Copy jpeg[] into out, inserting `extra` (complete marker segments) at
 * the splice point. */
static void splice(const Buf *jpeg, const Buf *extra, Buf *out)
{
    size_t pos = splice_point(jpeg);
    buf_add(out, jpeg->data, pos);
    buf_add(out, extra->data, extra->len);
    buf_add(out, jpeg->data + pos, jpeg->len - pos);
}

/* ---- Exif (libexif) ----------------------------------------------------- */

static ExifEntry *new_entry(ExifData *ed, ExifIfd ifd, ExifTag tag,
                            ExifFormat fmt, unsigned long components)
{
    ExifEntry *e = exif_entry_new();
    if (!e)
        die("out of memory");
    size_t size = exif_format_get_size(fmt) * components;
    e->data = calloc(1, size ? size : 1);  /* freed by libexif (malloc) */
    if (!e->data)
        die("out of memory");
    e->size = (unsigned int)size;
    e->tag = tag;
    e->format = fmt;
    e->components = components;
    exif_content_add_entry(ed->ifd[ifd], e);
    exif_entry_unref(e);
    return e;
}

static void exif_ascii(ExifData *ed, ExifIfd ifd, ExifTag tag, const char *s)
{
    size_t n = strlen(s) + 1;
    ExifEntry *e = new_entry(ed, ifd, tag, EXIF_FORMAT_ASCII, n);
    memcpy(e->data, s, n);
}

static void exif_undefined(ExifData *ed, ExifIfd ifd, ExifTag tag,
                           const void *p, size_t n)
{
    ExifEntry *e = new_entry(ed, ifd, tag, EXIF_FORMAT_UNDEFINED, n);
    memcpy(e->data, p, n);
}

static void exif_short(ExifData *ed, ExifIfd ifd, ExifTag tag, unsigned v)
{
    ExifEntry *e = new_entry(ed, ifd, tag, EXIF_FORMAT_SHORT, 1);
    exif_set_short(e->data, exif_data_get_byte_order(ed), (ExifShort)v);
}

static void exif_long(ExifData *ed, ExifIfd ifd, ExifTag tag, uint32_t v)
{
    ExifEntry *e = new_entry(ed, ifd, tag, EXIF_FORMAT_LONG, 1);
    exif_set_long(e->data, exif_data_get_byte_order(ed), v);
}

static void exif_rationals(ExifData *ed, ExifIfd ifd, ExifTag tag,
                           const uint32_t *nd, unsigned count)
{
    ExifEntry *e = new_entry(ed, ifd, tag, EXIF_FORMAT_RATIONAL, count);
    for (unsigned i = 0; i < count; i++) {
        ExifRational r = { nd[2 * i], nd[2 * i + 1] };
        exif_set_rational(e->data + 8 * i, exif_data_get_byte_order(ed), r);
    }
}

static void exif_bytes(ExifData *ed, ExifIfd ifd, ExifTag tag,
                       const unsigned char *p, unsigned count)
{
    ExifEntry *e = new_entry(ed, ifd, tag, EXIF_FORMAT_BYTE, count);
    memcpy(e->data, p, count);
}

/* degrees -> GPS (deg, min, sec) rationals */
static void gps_dms(double deg, uint32_t nd[6])
{
    double a = fabs(deg);
    uint32_t d = (uint32_t)a;
    double m = (a - d) * 60.0;
    uint32_t mi = (uint32_t)m;
    uint32_t sec100 = (uint32_t)lround((m - mi) * 60.0 * 100.0);
    nd[0] = d; nd[1] = 1;
    nd[2] = mi; nd[3] = 1;
    nd[4] = sec100; nd[5] = 100;
}

typedef struct {
    const char *owner, *make, *model, *datetime, *caption, *serial, *uid;
    int orientation, width, height;  /* stored size */
    double lat, lon;
} ExifSpec;

/* Build the Exif APP1 payload ("Exif\0\0" + TIFF) into out. */
static void build_exif(const ExifSpec *sp, const Buf *thumb, Buf *out)
{
    ExifData *ed = exif_data_new();
    if (!ed)
        die("out of memory");
    exif_data_unset_option(ed, EXIF_DATA_OPTION_FOLLOW_SPECIFICATION);
    exif_data_set_byte_order(ed, EXIF_BYTE_ORDER_INTEL);
    exif_data_set_data_type(ed, EXIF_DATA_TYPE_COMPRESSED);

    char buf[512];
    static const uint32_t res72[] = { 72, 1 };

    /* IFD0 */
    if (sp->caption)
        exif_ascii(ed, EXIF_IFD_0, EXIF_TAG_IMAGE_DESCRIPTION, sp->caption);
    exif_ascii(ed, EXIF_IFD_0, EXIF_TAG_MAKE, sp->make);
    exif_ascii(ed, EXIF_IFD_0, EXIF_TAG_MODEL, sp->model);
    exif_short(ed, EXIF_IFD_0, EXIF_TAG_ORIENTATION, (unsigned)sp->orientation);
    exif_rationals(ed, EXIF_IFD_0, EXIF_TAG_X_RESOLUTION, res72, 1);
    exif_rationals(ed, EXIF_IFD_0, EXIF_TAG_Y_RESOLUTION, res72, 1);
    exif_short(ed, EXIF_IFD_0, EXIF_TAG_RESOLUTION_UNIT, 2);
    exif_short(ed, EXIF_IFD_0, EXIF_TAG_YCBCR_POSITIONING, 1);
    exif_ascii(ed, EXIF_IFD_0, EXIF_TAG_SOFTWARE, "Galerij 4.2 (" CANARY ")");
    exif_ascii(ed, EXIF_IFD_0, EXIF_TAG_DATE_TIME, sp->datetime);
    snprintf(buf, sizeof buf, "%s (" CANARY ")", sp->owner);
    exif_ascii(ed, EXIF_IFD_0, EXIF_TAG_ARTIST, buf);
    snprintf(buf, sizeof buf, "(c) 2024 %s, Kastanjelaan 12 (" CANARY ")",
             sp->owner);
    exif_ascii(ed, EXIF_IFD_0, EXIF_TAG_COPYRIGHT, buf);

    /* Exif IFD */
    static const unsigned char version[4] = { '0', '2', '3', '2' };
    exif_undefined(ed, EXIF_IFD_EXIF, EXIF_TAG_EXIF_VERSION, version, 4);
    exif_ascii(ed, EXIF_IFD_EXIF, EXIF_TAG_DATE_TIME_ORIGINAL, sp->datetime);
    exif_ascii(ed, EXIF_IFD_EXIF, EXIF_TAG_DATE_TIME_DIGITIZED, sp->datetime);
    static const unsigned char components[4] = { 1, 2, 3, 0 };
    exif_undefined(ed, EXIF_IFD_EXIF, EXIF_TAG_COMPONENTS_CONFIGURATION,
                   components, 4);
    static const unsigned char flashpix[4] = { '0', '1', '0', '0' };
    exif_undefined(ed, EXIF_IFD_EXIF, EXIF_TAG_FLASH_PIX_VERSION, flashpix, 4);
    exif_short(ed, EXIF_IFD_EXIF, EXIF_TAG_COLOR_SPACE, 1);
    exif_long(ed, EXIF_IFD_EXIF, EXIF_TAG_PIXEL_X_DIMENSION,
              (uint32_t)sp->width);
    exif_long(ed, EXIF_IFD_EXIF, EXIF_TAG_PIXEL_Y_DIMENSION,
              (uint32_t)sp->height);
    exif_ascii(ed, EXIF_IFD_EXIF, EXIF_TAG_IMAGE_UNIQUE_ID, sp->uid);
    snprintf(buf, sizeof buf, "%s (" CANARY ")", sp->owner);
    exif_ascii(ed, EXIF_IFD_EXIF, EXIF_TAG_CAMERA_OWNER_NAME, buf);
    exif_ascii(ed, EXIF_IFD_EXIF, EXIF_TAG_BODY_SERIAL_NUMBER, sp->serial);
    {
        /* an opaque maker note, the way vendors write them */
        Buf mn = { 0 };
        buf_str(&mn, "PVMAKER");
        buf_byte(&mn, 0);
        buf_printf(&mn, "owner=%s;serial=%s;face-regions=2;" CANARY,
                   sp->owner, sp->serial);
        for (unsigned i = 0; i < 64; i++)
            buf_byte(&mn, (i * 37u + 11u) & 0xff);
        exif_undefined(ed, EXIF_IFD_EXIF, EXIF_TAG_MAKER_NOTE, mn.data,
                       mn.len);
        free(mn.data);
    }

    /* GPS IFD: a made-up Dutch address */
    static const unsigned char gpsver[4] = { 2, 3, 0, 0 };
    exif_bytes(ed, EXIF_IFD_GPS, (ExifTag)EXIF_TAG_GPS_VERSION_ID, gpsver, 4);
    uint32_t dms[6];
    exif_ascii(ed, EXIF_IFD_GPS, (ExifTag)EXIF_TAG_GPS_LATITUDE_REF,
               sp->lat >= 0 ? "N" : "S");
    gps_dms(sp->lat, dms);
    exif_rationals(ed, EXIF_IFD_GPS, (ExifTag)EXIF_TAG_GPS_LATITUDE, dms, 3);
    exif_ascii(ed, EXIF_IFD_GPS, (ExifTag)EXIF_TAG_GPS_LONGITUDE_REF,
               sp->lon >= 0 ? "E" : "W");
    gps_dms(sp->lon, dms);
    exif_rationals(ed, EXIF_IFD_GPS, (ExifTag)EXIF_TAG_GPS_LONGITUDE, dms, 3);
    static const unsigned char above = 0;
    exif_bytes(ed, EXIF_IFD_GPS, (ExifTag)EXIF_TAG_GPS_ALTITUDE_REF, &above, 1);
    static const uint32_t alt[] = { 45, 10 };
    exif_rationals(ed, EXIF_IFD_GPS, (ExifTag)EXIF_TAG_GPS_ALTITUDE, alt, 1);

    /* IFD1: the thumbnail */
    exif_short(ed, EXIF_IFD_1, EXIF_TAG_COMPRESSION, 6);
    exif_rationals(ed, EXIF_IFD_1, EXIF_TAG_X_RESOLUTION, res72, 1);
    exif_rationals(ed, EXIF_IFD_1, EXIF_TAG_Y_RESOLUTION, res72, 1);
    exif_short(ed, EXIF_IFD_1, EXIF_TAG_RESOLUTION_UNIT, 2);
    ed->data = thumb->data;     /* borrowed; detached again below */
    ed->size = (unsigned int)thumb->len;

    unsigned char *d = NULL;
    unsigned int dsize = 0;
    exif_data_save_data(ed, &d, &dsize);
    ed->data = NULL;
    ed->size = 0;
    exif_data_unref(ed);
    if (!d || dsize < 6)
        die("libexif could not build the Exif block");
    if (memcmp(d, "Exif\0\0", 6) != 0) {  /* older libexif: add header */
        buf_add(out, "Exif\0\0", 6);
    }
    buf_add(out, d, dsize);
    free(d);
}

/* ---- XMP, IPTC, ICC, MPF ------------------------------------------------ */

static void build_xmp(const char *owner, const char *city,
                      const char *caption, double lat, double lon, Buf *out)
{
    buf_add(out, "http://ns.adobe.com/xap/1.0/", 29); /* with NUL */
    buf_str(out, "<?xpacket begin=\"\xEF\xBB\xBF\" "
                 "id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
                 "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
                 " <rdf:RDF xmlns:rdf="
                 "\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
                 "  <rdf:Description rdf:about=\"\"\n"
                 "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
                 "    xmlns:photoshop=\"http://ns.adobe.com/photoshop/1.0/\"\n"
                 "    xmlns:exif=\"http://ns.adobe.com/exif/1.0/\"\n"
                 "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
                 "    photoshop:City=\"");
    buf_xml(out, city);
    buf_str(out, "\"\n    photoshop:Country=\"Nederland\"\n"
                 "    xmp:Label=\"" CANARY "\"\n");
    double alat = fabs(lat), alon = fabs(lon);
    buf_printf(out, "    exif:GPSLatitude=\"%d,%.4f%c\"\n",
               (int)alat, (alat - (int)alat) * 60.0, lat >= 0 ? 'N' : 'S');
    buf_printf(out, "    exif:GPSLongitude=\"%d,%.4f%c\">\n",
               (int)alon, (alon - (int)alon) * 60.0, lon >= 0 ? 'E' : 'W');
    buf_str(out, "   <dc:creator><rdf:Seq><rdf:li>");
    buf_xml(out, owner);
    buf_str(out, " (" CANARY ")</rdf:li></rdf:Seq></dc:creator>\n");
    if (caption) {
        buf_str(out, "   <dc:description><rdf:Alt>"
                     "<rdf:li xml:lang=\"x-default\">");
        buf_xml(out, caption);
        buf_str(out, "</rdf:li></rdf:Alt></dc:description>\n");
    }
    buf_str(out, "  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n");
    for (int i = 0; i < 8; i++)     /* the usual padding */
        buf_str(out, "                                                  \n");
    buf_str(out, "<?xpacket end=\"w\"?>");
}

static void iptc_dataset(Buf *b, unsigned record, unsigned tag,
                         const char *s, size_t n)
{
    if (n > 32767)
        die("internal: IPTC value too long");
    buf_byte(b, 0x1c);
    buf_byte(b, record);
    buf_byte(b, tag);
    buf_be16(b, (unsigned)n);
    buf_add(b, s, n);
}

/* APP13 payload: "Photoshop 3.0" + one 8BIM 0x0404 (IPTC-NAA) resource. */
static void build_iptc(const char *owner, const char *city,
                       const char *caption, Buf *out)
{
    Buf iptc = { 0 };
    char byline[256];
    iptc_dataset(&iptc, 1, 90, "\x1b%G", 3);          /* UTF-8 */
    iptc_dataset(&iptc, 2, 0, "\x00\x04", 2);         /* record version */
    snprintf(byline, sizeof byline, "%s (" CANARY ")", owner);
    iptc_dataset(&iptc, 2, 80, byline, strlen(byline));   /* By-line */
    iptc_dataset(&iptc, 2, 90, city, strlen(city));       /* City */
    iptc_dataset(&iptc, 2, 101, "Nederland", 9);          /* Country */
    if (caption)                                          /* Caption */
        iptc_dataset(&iptc, 2, 120, caption, strlen(caption));
    else
        iptc_dataset(&iptc, 2, 120, "IMG " CANARY, strlen("IMG " CANARY));

    buf_add(out, "Photoshop 3.0", 14);    /* with NUL */
    buf_str(out, "8BIM");
    buf_be16(out, 0x0404);
    buf_be16(out, 0);                      /* empty Pascal name, padded */
    buf_be32(out, (uint32_t)iptc.len);
    buf_add(out, iptc.data, iptc.len);
    if (iptc.len & 1)
        buf_byte(out, 0);
    free(iptc.data);
}

static uint32_t s15f16(double v)
{
    return (uint32_t)(int32_t)lround(v * 65536.0);
}

static void icc_xyz(Buf *b, double x, double y, double z)
{
    buf_str(b, "XYZ ");
    buf_be32(b, 0);
    buf_be32(b, s15f16(x));
    buf_be32(b, s15f16(y));
    buf_be32(b, s15f16(z));
}

static void icc_pad4(Buf *b)
{
    while (b->len & 3)
        buf_byte(b, 0);
}

/* A small, valid ICC v2 display profile: sRGB primaries (D50-adapted) and
 * a gamma 2.2 curve.  Returns the APP2 payload. */
static void build_icc(Buf *out)
{
    static const char *const sigs[] = { "desc", "wtpt", "rXYZ", "gXYZ",
                                        "bXYZ", "rTRC", "gTRC", "bTRC",
                                        "cprt" };
    enum { NTAGS = 9 };
    Buf data = { 0 };                 /* tag data, offsets relative to it */
    uint32_t off[NTAGS], len[NTAGS];
    const char *desc = "photovoice sample sRGB-like";
    const char *cprt = "No copyright, use freely";

    for (int i = 0; i < NTAGS; i++) {
        off[i] = (uint32_t)data.len;
        switch (i) {
        case 0:
            buf_str(&data, "desc");
            buf_be32(&data, 0);
            buf_be32(&data, (uint32_t)strlen(desc) + 1);
            buf_add(&data, desc, strlen(desc) + 1);
            buf_be32(&data, 0);          /* Unicode language */
            buf_be32(&data, 0);          /* Unicode count */
            buf_be16(&data, 0);          /* ScriptCode code */
            buf_byte(&data, 0);          /* ScriptCode count */
            for (int k = 0; k < 67; k++)
                buf_byte(&data, 0);
            break;
        case 1: icc_xyz(&data, 0.9642, 1.0, 0.8249); break;
        case 2: icc_xyz(&data, 0.4361, 0.2225, 0.0139); break;
        case 3: icc_xyz(&data, 0.3851, 0.7169, 0.0971); break;
        case 4: icc_xyz(&data, 0.1431, 0.0606, 0.7141); break;
        case 5: case 6: case 7:
            buf_str(&data, "curv");
            buf_be32(&data, 0);
            buf_be32(&data, 1);
            buf_be16(&data, 0x0233);     /* gamma 2.2 as u8Fixed8 */
            break;
        case 8:
            buf_str(&data, "text");
            buf_be32(&data, 0);
            buf_add(&data, cprt, strlen(cprt) + 1);
            break;
        }
        len[i] = (uint32_t)data.len - off[i];
        icc_pad4(&data);
    }

    uint32_t table = 4 + 12 * NTAGS;
    uint32_t total = 128 + table + (uint32_t)data.len;
    Buf p = { 0 };
    buf_be32(&p, total);
    buf_be32(&p, 0);                   /* CMM */
    buf_be32(&p, 0x02100000);          /* version 2.1 */
    buf_str(&p, "mntr");
    buf_str(&p, "RGB ");
    buf_str(&p, "XYZ ");
    static const unsigned date[6] = { 2024, 3, 1, 12, 0, 0 };
    for (int i = 0; i < 6; i++)
        buf_be16(&p, date[i]);
    buf_str(&p, "acsp");
    buf_be32(&p, 0);                   /* platform */
    buf_be32(&p, 0);                   /* flags */
    buf_be32(&p, 0);                   /* manufacturer */
    buf_be32(&p, 0);                   /* model */
    buf_be32(&p, 0);                   /* attributes */
    buf_be32(&p, 0);
    buf_be32(&p, 0);                   /* rendering intent: perceptual */
    buf_be32(&p, s15f16(0.9642));      /* illuminant D50 */
    buf_be32(&p, s15f16(1.0));
    buf_be32(&p, s15f16(0.8249));
    buf_be32(&p, 0);                   /* creator */
    while (p.len < 128)
        buf_byte(&p, 0);
    buf_be32(&p, NTAGS);
    for (int i = 0; i < NTAGS; i++) {
        buf_str(&p, sigs[i]);
        buf_be32(&p, 128 + table + off[i]);
        buf_be32(&p, len[i]);
    }
    buf_add(&p, data.data, data.len);
    if (p.len != total)
        die("internal: ICC size mismatch");

    buf_add(out, "ICC_PROFILE", 12);   /* with NUL */
    buf_byte(out, 1);                  /* chunk 1 */
    buf_byte(out, 1);                  /* of 1 */
    buf_add(out, p.data, p.len);
    free(p.data);
    free(data.data);
}

#define MPF_PAYLOAD_LEN (4 + 8 + 2 + 3 * 12 + 4 + 2 * 16)

/* APP2 MPF payload describing the primary image (size main_len, offset 0)
 * and a disparity image after EOI at file offset `second_pos`, size
 * second_len.  `mpf_tiff_pos` is the file offset of the MPF TIFF header
 * (MP offsets are relative to it). */
static void build_mpf(size_t main_len, size_t mpf_tiff_pos, size_t second_pos,
                      size_t second_len, Buf *out)
{
    size_t start = out->len;
    buf_add(out, "MPF", 4);            /* with NUL */
    buf_str(out, "MM");
    buf_be16(out, 42);
    buf_be32(out, 8);                  /* first IFD */
    buf_be16(out, 3);                  /* entries */
    buf_be16(out, 0xb000);             /* MPFVersion */
    buf_be16(out, 7);
    buf_be32(out, 4);
    buf_str(out, "0100");
    buf_be16(out, 0xb001);             /* NumberOfImages */
    buf_be16(out, 4);
    buf_be32(out, 1);
    buf_be32(out, 2);
    buf_be16(out, 0xb002);             /* MPEntry */
    buf_be16(out, 7);
    buf_be32(out, 32);
    buf_be32(out, 8 + 2 + 3 * 12 + 4); /* value offset */
    buf_be32(out, 0);                  /* next IFD */
    /* entry 1: representative baseline primary image */
    buf_be32(out, 0x20030000);
    buf_be32(out, (uint32_t)main_len);
    buf_be32(out, 0);
    buf_be16(out, 0);
    buf_be16(out, 0);
    /* entry 2: disparity image (the "depth map") */
    buf_be32(out, 0x00020002);
    buf_be32(out, (uint32_t)second_len);
    buf_be32(out, (uint32_t)(second_pos - mpf_tiff_pos));
    buf_be16(out, 0);
    buf_be16(out, 0);
    if (out->len - start != MPF_PAYLOAD_LEN)
        die("internal: MPF size mismatch");
}

/* A small grey "depth map" JPEG with a COM naming the owner. */
static void build_depth_map(tjhandle tj, const char *owner, Buf *out)
{
    enum { DW = 160, DH = 120 };
    static unsigned char px[DW * DH];
    for (int y = 0; y < DH; y++)
        for (int x = 0; x < DW; x++) {
            int dx = x - DW / 2, dy = y - DH / 2;
            int v = 255 - (int)sqrt((double)(dx * dx + dy * dy)) * 2;
            px[y * DW + x] = (unsigned char)(v < 0 ? 0 : v);
        }
    Buf raw = { 0 }, com = { 0 }, seg = { 0 };
    encode(tj, px, DW, DW, DH, TJPF_GRAY, TJSAMP_GRAY, 80, &raw);
    buf_printf(&com, "depth map, %s (" CANARY ")", owner);
    add_segment(&seg, 0xfe, com.data, com.len);
    splice(&raw, &seg, out);
    free(raw.data);
    free(com.data);
    free(seg.data);
}

/* ---- one complete photo ------------------------------------------------- */

typedef struct {
    const char *path;
    int width, height, orientation;     /* upright size */
    uint32_t bg;
    const char *title, *footer;
    int seed, number;
    int grain;                          /* add sensor-like noise (bench) */
    const char *owner, *make, *model, *city, *datetime, *caption;
    double lat, lon;
} Job;

/* The camera serial number and image unique id planted in a photo. */
static void device_ids(const Job *job, char serial[64], char uid[64])
{
    snprintf(serial, 64, "SN%08X-" CANARY, 0x5A17u + (unsigned)job->seed * 7919u);
    snprintf(uid, 64, "%016X%08X" "GEHEIM", 0x70766f69u,
             (unsigned)job->seed * 2654435761u);
}

/* The complete photo file in `file`. */
static void build_photo(tjhandle tj, const Job *job, Buf *file)
{
    cairo_surface_t *surf =
        render(job->width, job->height, job->orientation, job->bg,
               job->title, job->footer, job->seed, job->number);
    if (job->grain > 0)
        add_grain(surf, job->seed, job->grain);
    int sw = cairo_image_surface_get_width(surf);
    int sh = cairo_image_surface_get_height(surf);

    Buf main = { 0 }, thumb = { 0 };
    encode_surface(tj, surf, JPEG_QUALITY, &main);
    make_thumbnail(tj, surf, &thumb);
    cairo_surface_destroy(surf);

    char serial[64], uid[64];
    device_ids(job, serial, uid);

    ExifSpec es = { job->owner, job->make, job->model, job->datetime,
                    job->caption, serial, uid, job->orientation, sw, sh,
                    job->lat, job->lon };
    Buf exif = { 0 }, xmp = { 0 }, iptc = { 0 }, icc = { 0 }, com = { 0 };
    Buf depth = { 0 };
    build_exif(&es, &thumb, &exif);
    build_xmp(job->owner, job->city, job->caption, job->lat, job->lon, &xmp);
    build_iptc(job->owner, job->city, job->caption, &iptc);
    build_icc(&icc);
    buf_printf(&com, "Gemaakt door %s, Kastanjelaan 12, Amersfoort (" CANARY
                     ")", job->owner);
    build_depth_map(tj, job->owner, &depth);

    /* Lay out the inserted segments; MPF goes last so its position is
     * known: file = SOI APP0 | Exif XMP ICC APP13 COM MPF | rest | depth */
    Buf segs = { 0 };
    add_segment(&segs, 0xe1, exif.data, exif.len);
    add_segment(&segs, 0xe1, xmp.data, xmp.len);
    add_segment(&segs, 0xe2, icc.data, icc.len);
    add_segment(&segs, 0xed, iptc.data, iptc.len);
    add_segment(&segs, 0xfe, com.data, com.len);

    size_t head = splice_point(&main);          /* SOI + APP0 */
    size_t mpf_pos = head + segs.len + 4 + 4;  /* marker, len, "MPF\0" */
    size_t main_len = main.len + segs.len + 4 + MPF_PAYLOAD_LEN;
    Buf mpf = { 0 };
    build_mpf(main_len, mpf_pos, main_len, depth.len, &mpf);
    add_segment(&segs, 0xe2, mpf.data, mpf.len);

    splice(&main, &segs, file);
    if (file->len != main_len)
        die("internal: layout mismatch");
    buf_add(file, depth.data, depth.len);

    Buf *all[] = { &main, &thumb, &exif, &xmp, &iptc, &icc, &com, &depth,
                   &segs, &mpf };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        free(all[i]->data);
}

static void make_photo(tjhandle tj, const Job *job)
{
    Buf file = { 0 };
    build_photo(tj, job, &file);
    write_file(job->path, &file);
    free(file.data);
}


/* ---- main --------------------------------------------------------------- */

static void usage(void)
{
    fputs("usage: mksample DIR\n"
          "       mksample --bench N --megapixels M DIR\n", stderr);
    exit(2);
}

static char *join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = xmalloc(n);
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

static void job_defaults(Job *j, int seed)
{
    /* a made-up address in Amersfoort, moved a little per photo */
    j->lat = 52.15612 + 0.00071 * (seed % 5);
    j->lon = 5.38781 + 0.00093 * (seed % 7);
}

/* ---- what else participants send: a PNG screenshot, a HEIC photo, a zip -- */

/* The identifying metadata of a phone, for formats other than JPEG: an Exif
 * block (without its "Exif\0\0" header), an XMP packet and an ICC profile. */
typedef struct {
    Buf exif, xmp, icc;
} Planted;

static void plant(tjhandle tj, const Job *job, cairo_surface_t *surf, Planted *out)
{
    char serial[64], uid[64];
    device_ids(job, serial, uid);
    ExifSpec es = { job->owner, job->make, job->model, job->datetime,
                    job->caption, serial, uid, job->orientation,
                    cairo_image_surface_get_width(surf),
                    cairo_image_surface_get_height(surf), job->lat, job->lon };
    Buf thumb = { 0 }, exif = { 0 }, xmp = { 0 }, icc = { 0 };
    make_thumbnail(tj, surf, &thumb);
    build_exif(&es, &thumb, &exif);
    build_xmp(job->owner, job->city, job->caption, job->lat, job->lon, &xmp);
    build_icc(&icc);
    memset(out, 0, sizeof *out);
    buf_add(&out->exif, exif.data + 6, exif.len - 6);     /* after "Exif\0\0" */
    buf_add(&out->xmp, xmp.data + 29, xmp.len - 29);      /* after the namespace */
    buf_byte(&out->xmp, 0);          /* text for libpng; not counted in len */
    out->xmp.len--;
    buf_add(&out->icc, icc.data + 14, icc.len - 14);      /* after the chunk header */
    free(thumb.data);
    free(exif.data);
    free(xmp.data);
    free(icc.data);
}

static void planted_free(Planted *p)
{
    free(p->exif.data);
    free(p->xmp.data);
    free(p->icc.data);
}

/* Packed RGB rows of a cairo RGB24 surface. */
static unsigned char *surface_rgb(cairo_surface_t *s)
{
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    int stride = cairo_image_surface_get_stride(s);
    const unsigned char *d = cairo_image_surface_get_data(s);
    unsigned char *rgb = xmalloc((size_t)w * (size_t)h * 3);
    for (int y = 0; y < h; y++) {
        const uint32_t *row = (const uint32_t *)(const void *)(d + (size_t)y * stride);
        for (int x = 0; x < w; x++) {
            unsigned char *o = rgb + ((size_t)y * (size_t)w + (size_t)x) * 3;
            o[0] = (unsigned char)(row[x] >> 16);
            o[1] = (unsigned char)(row[x] >> 8);
            o[2] = (unsigned char)row[x];
        }
    }
    return rgb;
}

static void png_to_buf(png_structp png, png_bytep data, size_t n)
{
    buf_add(png_get_io_ptr(png), data, n);
}

static void png_flush_nothing(png_structp png)
{
    (void)png;
}

/* A screenshot as a phone saves it: PNG with text chunks naming the owner,
 * an eXIf chunk with GPS and serial numbers, XMP, and an ICC profile. */
static void make_png(tjhandle tj, const Job *job)
{
    cairo_surface_t *surf = render(job->width, job->height, 1, job->bg, job->title,
                                   job->footer, job->seed, job->number);
    Planted pl;
    plant(tj, job, surf, &pl);
    unsigned char *rgb = surface_rgb(surf);
    int w = job->width, h = job->height;
    cairo_surface_destroy(surf);

    char author[256], comment[256];
    snprintf(author, sizeof author, "%s (" CANARY ")", job->owner);
    snprintf(comment, sizeof comment, "Schermafbeelding, %s, Kastanjelaan 12 (" CANARY ")",
             job->city);
    /* libpng measures text with strlen(): give it a NUL-terminated copy */
    char *xmp = strndup((const char *)pl.xmp.data, pl.xmp.len);
    if (!xmp)
        die("out of memory");
    png_text text[3] = {
        { .compression = PNG_TEXT_COMPRESSION_NONE, .key = "Author", .text = author },
        { .compression = PNG_TEXT_COMPRESSION_NONE, .key = "Comment", .text = comment },
        { .compression = PNG_ITXT_COMPRESSION_NONE, .key = "XML:com.adobe.xmp",
          .text = xmp, .itxt_length = strlen(xmp) },
    };
    Buf out = { 0 };
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!info || setjmp(png_jmpbuf(png)))
        die("PNG encoding of %s failed", job->path);
    png_set_write_fn(png, &out, png_to_buf, png_flush_nothing);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_text(png, info, text, 3);
    png_set_eXIf_1(png, info, (png_uint_32)pl.exif.len, pl.exif.data);
    png_set_iCCP(png, info, "photovoice sample", PNG_COMPRESSION_TYPE_BASE,
                 pl.icc.data, (png_uint_32)pl.icc.len);
    png_write_info(png, info);
    for (int y = 0; y < h; y++)
        png_write_row(png, rgb + (size_t)y * (size_t)w * 3);
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    free(xmp);
    write_file(job->path, &out);
    free(out.data);
    free(rgb);
    planted_free(&pl);
}

static struct heif_error heif_to_buf(struct heif_context *ctx, const void *data, size_t n,
                                     void *userdata)
{
    (void)ctx;
    buf_add(userdata, data, n);
    struct heif_error ok = { heif_error_Ok, heif_suberror_Unspecified, "" };
    return ok;
}

static void heif_check(struct heif_error e, const char *what)
{
    if (e.code != heif_error_Ok)
        die("HEIC encoding failed (%s): %s", what, e.message);
}

/* An iPhone photo: HEVC in a HEIF container, stored turned with the turn in
 * an irot box, Exif (GPS, owner, serial numbers) and XMP items, an ICC
 * profile. Needs libheif's HEVC encoder (x265); returns 0 when there is none. */
static int make_heic(tjhandle tj, const Job *job)
{
    if (!heif_have_encoder_for_format(heif_compression_HEVC))
        return 0;
    cairo_surface_t *surf = render(job->width, job->height, job->orientation, job->bg,
                                   job->title, job->footer, job->seed, job->number);
    Planted pl;
    plant(tj, job, surf, &pl);
    int sw = cairo_image_surface_get_width(surf), sh = cairo_image_surface_get_height(surf);
    unsigned char *rgb = surface_rgb(surf);
    cairo_surface_destroy(surf);

    struct heif_context *ctx = heif_context_alloc();
    struct heif_encoder *enc = NULL;
    struct heif_image *img = NULL;
    struct heif_image_handle *handle = NULL;
    heif_check(heif_context_get_encoder_for_format(ctx, heif_compression_HEVC, &enc), "encoder");
    heif_check(heif_encoder_set_lossy_quality(enc, 75), "quality");
    heif_check(heif_image_create(sw, sh, heif_colorspace_RGB, heif_chroma_interleaved_RGB,
                                 &img), "image");
    heif_check(heif_image_add_plane(img, heif_channel_interleaved, sw, sh, 8), "plane");
    int stride = 0;
    uint8_t *plane = heif_image_get_plane(img, heif_channel_interleaved, &stride);
    for (int y = 0; y < sh; y++)
        memcpy(plane + (size_t)y * (size_t)stride, rgb + (size_t)y * (size_t)sw * 3,
               (size_t)sw * 3);
    heif_check(heif_image_set_raw_color_profile(img, "prof", pl.icc.data, pl.icc.len), "icc");
    struct heif_encoding_options *opt = heif_encoding_options_alloc();
    opt->image_orientation = (enum heif_orientation)job->orientation;
    heif_check(heif_context_encode_image(ctx, img, enc, opt, &handle), "encode");
    heif_check(heif_context_add_exif_metadata(ctx, handle, pl.exif.data, (int)pl.exif.len),
               "exif");
    heif_check(heif_context_add_XMP_metadata(ctx, handle, pl.xmp.data, (int)pl.xmp.len),
               "xmp");
    Buf out = { 0 };
    struct heif_writer writer = { .writer_api_version = 1, .write = heif_to_buf };
    heif_check(heif_context_write(ctx, &writer, &out), "write");
    write_file(job->path, &out);

    free(out.data);
    heif_encoding_options_free(opt);
    heif_image_handle_release(handle);
    heif_image_release(img);
    heif_encoder_release(enc);
    heif_context_free(ctx);
    free(rgb);
    planted_free(&pl);
    return 1;
}

/* ---- a zip submission ----------------------------------------------------- */

static void zip_member(struct archive *a, const char *name, const void *data, size_t len)
{
    struct archive_entry *e = archive_entry_new();
    archive_entry_set_pathname(e, name);
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_size(e, (la_int64_t)len);
    archive_entry_set_mtime(e, 1711000000, 0);    /* fixed: the same zip every run */
    if (archive_write_header(a, e) != ARCHIVE_OK ||
        archive_write_data(a, data, len) != (la_ssize_t)len)
        die("zip writing failed: %s", archive_error_string(a));
    archive_entry_free(e);
}

static Buf read_whole(const char *path)
{
    Buf b = { 0 };
    FILE *f = fopen(path, "rb");
    if (!f)
        die("cannot read %s: %s", path, strerror(errno));
    unsigned char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_add(&b, chunk, n);
    fclose(f);
    return b;
}

/* A zip as a phone's "share" or a computer's "compress" makes it: a folder
 * named like the zip, a photo and its caption file inside. The caption file
 * is hand-written, in DIR/../zip/. */
static void make_zip(tjhandle tj, const char *dir, const char *zip_name, const char *folder,
                     const Job *job, const char *caption_name)
{
    char member[256], source[1024];
    const char *photo = strrchr(job->path, '/') + 1;
    Buf jpeg = { 0 };
    build_photo(tj, job, &jpeg);
    snprintf(source, sizeof source, "%s/../zip/%s/%s", dir, folder, caption_name);
    Buf caption = read_whole(source);

    char *path = join(dir, zip_name);
    size_t n = strlen(path) + 8;
    char *tmp = xmalloc(n);
    snprintf(tmp, n, "%s.tmp", path);
    struct archive *a = archive_write_new();
    if (archive_write_set_format_zip(a) != ARCHIVE_OK ||
        archive_write_open_filename(a, tmp) != ARCHIVE_OK)
        die("cannot write %s: %s", tmp, archive_error_string(a));
    snprintf(member, sizeof member, "%s/%s", folder, photo);
    zip_member(a, member, jpeg.data, jpeg.len);
    snprintf(member, sizeof member, "%s/%s", folder, caption_name);
    zip_member(a, member, caption.data, caption.len);
    if (archive_write_close(a) != ARCHIVE_OK)
        die("cannot write %s: %s", tmp, archive_error_string(a));
    archive_write_free(a);
    if (rename(tmp, path) != 0)
        die("cannot rename %s: %s", tmp, strerror(errno));
    free(tmp);
    free(path);
    free(jpeg.data);
    free(caption.data);
}

/* The screenshot, the iPhone photo and the zip of the sample drop folder. */
static void make_other_formats(tjhandle tj, const char *dir)
{
    char *png = join(dir, "sem/groepsapp.png");
    Job shot = { png, 750, 1334, 1, 0x3A86FF, "De groepsapp",
                 "sem/groepsapp.png  \u2022  schermafbeelding", 20, -1, 0,
                 "Ruben Mulder", "Apple", "iPhone SE", "Amersfoort",
                 "2024:03:09 21:14:03", NULL, 0, 0 };
    job_defaults(&shot, 20);
    make_png(tj, &shot);
    free(png);

    char *heic = join(dir, "fenna/IMG_2102.heic");
    Job phone = { heic, 1200, 1600, 6, 0xF4A261, "Mijn eigen sleutel",
                  "fenna/IMG_2102.heic  \u2022  HEIC, irot  \u2022  onder / bottom", 21,
                  -1, 0, "Anouk Bakker", "Apple", "iPhone 13 mini", "Amersfoort",
                  "2024:03:16 17:40:12", NULL, 0, 0 };
    job_defaults(&phone, 21);
    if (!make_heic(tj, &phone))
        fprintf(stderr, "mksample: no HEVC encoder in libheif here; %s not written\n", heic);
    free(heic);

    Job zipped = { "inzending-maart/IMG_5001.jpg", 1920, 1440, 1, 0x588157,
                   "Het bankje", "inzending-maart.zip  \u2022  IMG_5001.jpg", 22, -1, 0,
                   "Daan Visser", "samsung", "SM-A145R", "Hoogland",
                   "2024:03:23 12:05:51", NULL, 0, 0 };
    job_defaults(&zipped, 22);
    make_zip(tj, dir, "inzending-maart.zip", "inzending-maart", &zipped, "IMG_5001.txt");
}

static void make_samples(tjhandle tj, const char *dir)
{
    for (size_t i = 0; i < NPHOTOS; i++) {
        const Photo *p = &photos[i];
        char footer[256];
        snprintf(footer, sizeof footer,
                 "%s  \u2022  EXIF-ori\u00EBntatie %d  \u2022  onder / bottom",
                 p->path, p->orientation);
        char *path = join(dir, p->path);
        Job j = { path, p->width, p->height, p->orientation, p->bg,
                  p->title, footer, (int)i, -1, 0, p->owner, p->make, p->model,
                  p->city, p->datetime, p->caption, 0, 0 };
        job_defaults(&j, (int)i);
        make_photo(tj, &j);
        free(path);
    }
    make_other_formats(tj, dir);
}

static void make_bench(tjhandle tj, const char *dir, long n, double mp)
{
    /* 4:3, multiples of 16 (lossless transforms stay possible) */
    double wf = sqrt(mp * 1e6 * 4.0 / 3.0);
    int w = ((int)lround(wf / 16.0)) * 16;
    int h = ((int)lround(wf * 0.75 / 16.0)) * 16;
    if (w < 16) w = 16;
    if (h < 16) h = 16;
    static const uint32_t bgs[] = { 0xE8833A, 0x2A9D8F, 0x7B5EA7, 0x4EA8DE,
                                    0x8A9A3B, 0xD9668F, 0x9C6644 };
    for (long i = 0; i < n; i++) {
        char name[64], footer[128];
        snprintf(name, sizeof name, "bench-%05ld.jpg", i + 1);
        int o = (i % 2) ? 6 : 1;
        snprintf(footer, sizeof footer, "%s  \u2022  %dx%d  \u2022  "
                 "EXIF-ori\u00EBntatie %d", name, w, h, o);
        char *path = join(dir, name);
        Job j = { path, w, h, o, bgs[i % 7], "Benchmark", footer, (int)i,
                  (int)(i + 1), 12, "Karin Verbeek", "Apple", "iPhone 12",
                  "Amersfoort", "2024:03:14 16:02:11", NULL, 0, 0 };
        job_defaults(&j, (int)i);
        make_photo(tj, &j);
        free(path);
    }
}

int main(int argc, char **argv)
{
    long bench = -1;
    double mp = 12.0;
    const char *dir = NULL;
    for (int i = 1; i < argc; i++) {
        char *end;
        if (strcmp(argv[i], "--bench") == 0 && i + 1 < argc) {
            bench = strtol(argv[++i], &end, 10);
            if (*end || bench < 0 || bench > 1000000)
                usage();
        } else if (strcmp(argv[i], "--megapixels") == 0 && i + 1 < argc) {
            mp = strtod(argv[++i], &end);
            if (*end || !(mp > 0.0) || mp > 200.0)
                usage();
        } else if (argv[i][0] == '-' || dir) {
            usage();
        } else {
            dir = argv[i];
        }
    }
    if (!dir)
        usage();
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        die("cannot create folder %s: %s", dir, strerror(errno));

    tjhandle tj = tjInitCompress();
    if (!tj)
        die("cannot start the JPEG encoder");
    heif_init(NULL);
    if (bench >= 0)
        make_bench(tj, dir, bench, mp);
    else
        make_samples(tj, dir);
    tjDestroy(tj);
    heif_deinit();

    /* Font caches are left to the end of the process: resetting cairo's
     * static data while pango's font threads may still hold fonts aborts now
     * and then (tests/lsan.supp says why fontconfig's is not a leak). */
    return 0;
}
