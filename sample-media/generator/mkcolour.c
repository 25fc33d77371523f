/*
 * mkcolour - test photos in the colour forms print and phones send, for the
 * colour test (tests/e2e/t63-cmyk-colour.sh).
 *
 *   mkcolour DIR
 *       writes into DIR six patches of known colour, 3 x 2, in each form:
 *         rgb.jpg          an ordinary RGB JPEG (the control)
 *         cmyk-adobe.jpg   Adobe CMYK: ink stored inverted (Photoshop's way,
 *                          255 = no ink), an Adobe APP14 segment, no profile
 *         cmyk-icc.jpg     the same with a CMYK ICC profile (APP2)
 *         ycck.jpg         Adobe YCCK (APP14 transform 2), no profile
 *         ycck-icc.jpg     YCCK with the CMYK ICC profile
 *       and expected.txt: per file, the sRGB colour each patch should show,
 *       one line "FILE R G B R G B ..." (patches left to right, top row first).
 *   mkcolour --ppm IN.jpg OUT.ppm
 *       decodes a JPEG to a binary PPM (for comparing pixels in a script).
 *
 * The profile is made here with lcms2 and deliberately does not match the
 * plain CMYK formula (its colours are duller and lighter), so a test can
 * tell a reader that honours the profile from one that ignores it.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jpeglib.h>
#include <lcms2.h>
#include <turbojpeg.h>

#define W 600
#define H 400
#define COLS 3
#define ROWS 2
#define NPATCH (COLS * ROWS)

static const unsigned char target[NPATCH][3] = {
	{ 200, 60, 50 }, { 60, 160, 70 }, { 50, 80, 190 },
	{ 230, 190, 40 }, { 120, 70, 150 }, { 90, 90, 90 },
};

static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("mkcolour: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

/* ---- the CMYK profile ---------------------------------------------------- */

/* Ink (0..1) to sRGB (0..1) by the plain formula. */
static void plain_rgb(const double ink[4], double rgb[3])
{
	for (int c = 0; c < 3; c++)
		rgb[c] = (1.0 - ink[c]) * (1.0 - ink[3]);
}

struct sampler_cargo {
	cmsHTRANSFORM to_lab;    /* sRGB doubles to Lab doubles */
};

/* The profile's press: the plain colour made duller and lighter. */
static cmsInt32Number press(const cmsUInt16Number in[], cmsUInt16Number out[],
			    void *cargo)
{
	struct sampler_cargo *c = cargo;
	double ink[4], rgb[3];
	for (int i = 0; i < 4; i++)
		ink[i] = in[i] / 65535.0;
	plain_rgb(ink, rgb);
	for (int i = 0; i < 3; i++)
		rgb[i] = 0.25 + 0.65 * rgb[i];
	cmsCIELab lab;
	cmsDoTransform(c->to_lab, rgb, &lab, 1);
	cmsFloat2LabEncoded(out, &lab);
	return TRUE;
}

static void *cmyk_profile(cmsUInt32Number *len)
{
	cmsHPROFILE srgb = cmsCreate_sRGBProfile(), lab = cmsCreateLab4Profile(NULL);
	struct sampler_cargo cargo = {
		cmsCreateTransform(srgb, TYPE_RGB_DBL, lab, TYPE_Lab_DBL,
				   INTENT_RELATIVE_COLORIMETRIC, 0)
	};
	cmsHPROFILE p = cmsCreateProfilePlaceholder(NULL);
	cmsSetProfileVersion(p, 4.3);
	cmsSetDeviceClass(p, cmsSigOutputClass);
	cmsSetColorSpace(p, cmsSigCmykData);
	cmsSetPCS(p, cmsSigLabData);
	cmsPipeline *pipe = cmsPipelineAlloc(NULL, 4, 3);
	cmsStage *clut = cmsStageAllocCLut16bit(NULL, 9, 4, 3, NULL);
	/* the A curves, CLUT, B curves of a lutAtoBType */
	if (!cargo.to_lab || !pipe || !clut ||
	    !cmsStageSampleCLut16bit(clut, press, &cargo, 0) ||
	    !cmsPipelineInsertStage(pipe, cmsAT_END, cmsStageAllocToneCurves(NULL, 4, NULL)) ||
	    !cmsPipelineInsertStage(pipe, cmsAT_END, clut) ||
	    !cmsPipelineInsertStage(pipe, cmsAT_END, cmsStageAllocToneCurves(NULL, 3, NULL)))
		die("the CMYK profile could not be made");
	cmsMLU *desc = cmsMLUalloc(NULL, 1);
	cmsMLUsetASCII(desc, "en", "US", "photovoice test press (CMYK)");
	cmsWriteTag(p, cmsSigProfileDescriptionTag, desc);
	cmsWriteTag(p, cmsSigAToB0Tag, pipe);
	cmsWriteTag(p, cmsSigMediaWhitePointTag, cmsD50_XYZ());
	if (!cmsSaveProfileToMem(p, NULL, len))
		die("the CMYK profile could not be measured");
	void *mem = malloc(*len);
	if (!mem || !cmsSaveProfileToMem(p, mem, len))
		die("the CMYK profile could not be saved");
	cmsMLUfree(desc);
	cmsPipelineFree(pipe);
	cmsDeleteTransform(cargo.to_lab);
	cmsCloseProfile(p);
	cmsCloseProfile(lab);
	cmsCloseProfile(srgb);
	return mem;
}

/* ---- pixels ---------------------------------------------------------------- */

/* Inverted (Adobe) CMYK of an sRGB colour by the plain formula. */
static void adobe_cmyk(const unsigned char rgb[3], unsigned char out[4])
{
	double r = rgb[0] / 255.0, g = rgb[1] / 255.0, b = rgb[2] / 255.0;
	double max = r > g ? (r > b ? r : b) : (g > b ? g : b);
	double k = 1.0 - max;
	double ink[3] = { 0, 0, 0 };
	if (max > 0) {
		ink[0] = (1.0 - r - k) / max;
		ink[1] = (1.0 - g - k) / max;
		ink[2] = (1.0 - b - k) / max;
	}
	for (int c = 0; c < 3; c++)
		out[c] = (unsigned char)(255.0 - ink[c] * 255.0 + 0.5);
	out[3] = (unsigned char)(255.0 - k * 255.0 + 0.5);
}

static int patch_of(int x, int y)
{
	return (y * ROWS / H) * COLS + x * COLS / W;
}

static unsigned char *picture(int channels)
{
	unsigned char *px = malloc((size_t)W * H * (size_t)channels);
	if (!px)
		die("out of memory");
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++) {
			unsigned char *p = px + ((size_t)y * W + (size_t)x) * (size_t)channels;
			const unsigned char *t = target[patch_of(x, y)];
			if (channels == 3)
				memcpy(p, t, 3);
			else
				adobe_cmyk(t, p);
		}
	return px;
}

/* ---- writing --------------------------------------------------------------- */

static void jpeg_fail(j_common_ptr ci)
{
	char msg[JMSG_LENGTH_MAX];
	ci->err->format_message(ci, msg);
	die("JPEG encoding failed: %s", msg);
}

/* in_space JCS_RGB or JCS_CMYK; jpeg_space how the file stores it. */
static void write_jpeg(const char *path, const unsigned char *px, J_COLOR_SPACE in_space,
		       J_COLOR_SPACE jpeg_space, const void *icc, unsigned icc_len)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		die("cannot write %s: %s", path, strerror(errno));
	struct jpeg_compress_struct ci;
	struct jpeg_error_mgr je;
	ci.err = jpeg_std_error(&je);
	je.error_exit = jpeg_fail;
	jpeg_create_compress(&ci);
	jpeg_stdio_dest(&ci, f);
	ci.image_width = W;
	ci.image_height = H;
	ci.input_components = in_space == JCS_RGB ? 3 : 4;
	ci.in_color_space = in_space;
	jpeg_set_defaults(&ci);
	jpeg_set_colorspace(&ci, jpeg_space);
	for (int c = 0; c < ci.num_components; c++)
		ci.comp_info[c].h_samp_factor = ci.comp_info[c].v_samp_factor = 1;
	jpeg_set_quality(&ci, 95, TRUE);
	jpeg_start_compress(&ci, TRUE);
	if (icc)
		jpeg_write_icc_profile(&ci, icc, icc_len);
	size_t stride = (size_t)W * (size_t)ci.input_components;
	while (ci.next_scanline < ci.image_height) {
		JSAMPROW row = (JSAMPROW)(px + ci.next_scanline * stride);
		jpeg_write_scanlines(&ci, &row, 1);
	}
	jpeg_finish_compress(&ci);
	jpeg_destroy_compress(&ci);
	if (fclose(f) != 0)
		die("cannot write %s: %s", path, strerror(errno));
}

/* The sRGB each patch should show: through the profile when there is one. */
static void expected(FILE *out, const char *name, const void *icc, unsigned icc_len)
{
	fprintf(out, "%s", name);
	cmsHPROFILE in = icc ? cmsOpenProfileFromMem(icc, icc_len) : NULL;
	cmsHPROFILE srgb = cmsCreate_sRGBProfile();
	cmsHTRANSFORM t = in ? cmsCreateTransform(in, TYPE_CMYK_8_REV, srgb, TYPE_RGB_8,
						  INTENT_PERCEPTUAL, 0) : NULL;
	if (icc && !t)
		die("the CMYK profile does not open");
	for (int i = 0; i < NPATCH; i++) {
		unsigned char rgb[3], cmyk[4];
		memcpy(rgb, target[i], 3);
		if (t) {
			adobe_cmyk(target[i], cmyk);
			cmsDoTransform(t, cmyk, rgb, 1);
		}
		fprintf(out, " %d %d %d", rgb[0], rgb[1], rgb[2]);
	}
	fputc('\n', out);
	if (t)
		cmsDeleteTransform(t);
	if (in)
		cmsCloseProfile(in);
	cmsCloseProfile(srgb);
}

static char *join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);
	if (!p)
		die("out of memory");
	snprintf(p, n, "%s/%s", dir, name);
	return p;
}

static void make_all(const char *dir)
{
	static const struct {
		const char *name;
		J_COLOR_SPACE space;
		int icc;
	} forms[] = {
		{ "rgb.jpg", JCS_YCbCr, 0 },
		{ "cmyk-adobe.jpg", JCS_CMYK, 0 },
		{ "cmyk-icc.jpg", JCS_CMYK, 1 },
		{ "ycck.jpg", JCS_YCCK, 0 },
		{ "ycck-icc.jpg", JCS_YCCK, 1 },
	};
	if (mkdir(dir, 0777) != 0 && errno != EEXIST)
		die("cannot create folder %s: %s", dir, strerror(errno));
	cmsUInt32Number icc_len;
	void *icc = cmyk_profile(&icc_len);
	unsigned char *rgb = picture(3), *cmyk = picture(4);
	char *exp = join(dir, "expected.txt");
	FILE *out = fopen(exp, "w");
	if (!out)
		die("cannot write %s: %s", exp, strerror(errno));
	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
		char *path = join(dir, forms[i].name);
		int is_rgb = forms[i].space == JCS_YCbCr;
		write_jpeg(path, is_rgb ? rgb : cmyk, is_rgb ? JCS_RGB : JCS_CMYK,
			   forms[i].space, forms[i].icc ? icc : NULL, icc_len);
		expected(out, forms[i].name, forms[i].icc ? icc : NULL, icc_len);
		free(path);
	}
	if (fclose(out) != 0)
		die("cannot write %s", exp);
	free(exp);
	free(rgb);
	free(cmyk);
	free(icc);
}

/* ---- decoding, for the test's comparisons ------------------------------------ */

static void to_ppm(const char *in, const char *out)
{
	FILE *f = fopen(in, "rb");
	if (!f)
		die("cannot read %s: %s", in, strerror(errno));
	static unsigned char buf[64 << 20];
	size_t len = fread(buf, 1, sizeof buf, f);
	fclose(f);
	tjhandle tj = tjInitDecompress();
	int w, h, sub, cs;
	if (!tj || tjDecompressHeader3(tj, buf, len, &w, &h, &sub, &cs) != 0)
		die("%s is not a JPEG", in);
	unsigned char *px = malloc((size_t)w * (size_t)h * 3);
	if (!px || tjDecompress2(tj, buf, len, px, w, 0, h, TJPF_RGB, 0) != 0 ||
	    tjSaveImage(out, px, w, 0, h, TJPF_RGB, 0) != 0)
		die("%s could not be decoded to %s", in, out);
	free(px);
	tjDestroy(tj);
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "--ppm") == 0)
		to_ppm(argv[2], argv[3]);
	else if (argc == 2 && argv[1][0] != '-')
		make_all(argv[1]);
	else
		die("usage: mkcolour DIR | mkcolour --ppm IN.jpg OUT.ppm");
	return 0;
}
