/* The sample drop folder through the privacy rewrite: every photo comes out
 * clean, displays upright and unmirrored (its corner patches are where the
 * generator put them in the upright picture), and a photo that needed no turn
 * decodes to exactly the pixels of its source. */
#include "testutil.h"

#include <dirent.h>
#include <turbojpeg.h>

#include "photovoice/jpeg.h"
#include "photovoice/util.h"

struct image {
	unsigned char *rgb;
	int w, h;
};

static int decode(const uint8_t *jpeg, size_t len, struct image *img)
{
	tjhandle tj = tjInitDecompress();
	int sub, cs;
	if (tjDecompressHeader3(tj, jpeg, (unsigned long)len, &img->w, &img->h, &sub, &cs) != 0)
		return -1;
	img->rgb = malloc((size_t)img->w * (size_t)img->h * 3);
	int r = tjDecompress2(tj, jpeg, (unsigned long)len, img->rgb, img->w, 0, img->h,
			      TJPF_RGB, TJFLAG_ACCURATEDCT);
	tjDestroy(tj);
	return r;
}

/* Pixel (x, y) of the picture as displayed when the file still carries
 * Orientation o (only in the fallback case; else o is 1). */
static const unsigned char *displayed_pixel(const struct image *img, int o, int x, int y)
{
	int dw = o >= 5 ? img->h : img->w, dh = o >= 5 ? img->w : img->h;
	int sx = x, sy = y;
	switch (o) {
	case 2: sx = dw - 1 - x; break;
	case 3: sx = dw - 1 - x; sy = dh - 1 - y; break;
	case 4: sy = dh - 1 - y; break;
	case 5: sx = y; sy = x; break;
	case 6: sx = y; sy = dw - 1 - x; break;
	case 7: sx = dh - 1 - y; sy = dw - 1 - x; break;
	case 8: sx = dh - 1 - y; sy = x; break;
	}
	return img->rgb + ((size_t)sy * (size_t)img->w + (size_t)sx) * 3;
}

static int near(const unsigned char *p, int r, int g, int b)
{
	return abs(p[0] - r) < 40 && abs(p[1] - g) < 40 && abs(p[2] - b) < 40;
}

static void assert_upright(const struct image *img, int o, const char *name)
{
	int dw = o >= 5 ? img->h : img->w, dh = o >= 5 ? img->w : img->h;
	int m = (dw < dh ? dw : dh) * 45 / 1000;
	const unsigned char *tl = displayed_pixel(img, o, m, m);
	const unsigned char *tr = displayed_pixel(img, o, dw - 1 - m, m);
	const unsigned char *bl = displayed_pixel(img, o, m, dh - 1 - m);
	const unsigned char *br = displayed_pixel(img, o, dw - 1 - m, dh - 1 - m);
	if (!(near(tl, 255, 0, 0) && near(tr, 0, 200, 0) && near(bl, 0, 0, 255) &&
	      near(br, 255, 220, 0)))
		fail_msg("%s does not display upright: corners %d,%d,%d / %d,%d,%d / %d,%d,%d / %d,%d,%d",
			 name, tl[0], tl[1], tl[2], tr[0], tr[1], tr[2], bl[0], bl[1], bl[2],
			 br[0], br[1], br[2]);
}

static void check_photo(const char *path, const char *name, int *checked)
{
	uint8_t *in, *out;
	size_t in_len, out_len;
	struct pv_err err = {0};
	assert_int_equal(pv_read_file(path, PV_MAX_FILE_BYTES, &in, &in_len, &err), 0);
	struct pv_scrub_report rep;
	if (pv_jpeg_scrub(in, in_len, &out, &out_len, &rep, &err) != 0)
		fail_msg("%s: %s", name, err);
	assert_int_equal(pv_jpeg_check_clean(out, out_len, &err), 0);
	assert_null(memmem(out, out_len, "GEHEIM", 6));   /* the generator's canary */
	struct image src, dst;
	assert_int_equal(decode(in, in_len, &src), 0);
	assert_int_equal(decode(out, out_len, &dst), 0);
	int tag = rep.orient_action == PV_ORIENT_TAGGED ? rep.orientation : 1;
	assert_upright(&dst, tag, name);
	if (rep.orient_action != PV_ORIENT_BAKED) {
		/* not turned: exactly the source's pixels */
		assert_int_equal(src.w, dst.w);
		assert_int_equal(src.h, dst.h);
		assert_memory_equal(src.rgb, dst.rgb, (size_t)src.w * (size_t)src.h * 3);
	}
	free(src.rgb);
	free(dst.rgb);
	free(in);
	free(out);
	(*checked)++;
}

static int is_jpeg_name(const char *n)
{
	const char *dot = strrchr(n, '.');
	return dot && (strcmp(dot, ".jpg") == 0 || strcmp(dot, ".JPG") == 0);
}

static void walk(const char *dir, int *checked)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char *p = pv_path_join(dir, e->d_name);
		if (e->d_type == DT_DIR)
			walk(p, checked);
		else if (is_jpeg_name(e->d_name))
			check_photo(p, e->d_name, checked);
		free(p);
	}
	closedir(d);
}

static void sample_photos_come_out_clean_and_upright(void **state)
{
	(void)state;
	char *drop = pv_path_join(pv_test_root(), "sample-media/drop");
	int checked = 0;
	walk(drop, &checked);
	free(drop);
	if (checked == 0)
		skip();   /* run `make sample-media` first; make check does */
	assert_true(checked >= 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sample_photos_come_out_clean_and_upright),
	};
	return cmocka_run_group_tests_name("samples", tests, NULL, NULL);
}
