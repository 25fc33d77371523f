/*
 * src/image/pixels.c - operations on decoded pixels: allocation, the filtered
 * resize, turning a picture upright.
 *
 * The resize is separable (rows, then columns) with a Catmull-Rom cubic
 * whose support is widened by the reduction ratio, so that every source pixel
 * contributes when shrinking: sharp like bicubic, without the aliasing of
 * nearest-neighbour or the blur of a plain box. Weights are 14-bit fixed
 * point and sum exactly to one per output pixel.
 *
 * On x86-64 both passes use SSE2 (part of every x86-64 processor): the
 * resize is about a fifth of the CPU time of an ingest. The plain C loops
 * stay for other processors, for the pixels at the right edge, and as the
 * reference: PV_NO_SIMD=1 in the environment selects them, and the tests
 * check that both give the same bytes.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#define PV_HAVE_SSE2 1
#endif

#include "image_internal.h"

#define WEIGHT_BITS 14
#define WEIGHT_ONE (1 << WEIGHT_BITS)
#define CUBIC_SUPPORT 2.0

int pv_pixels_alloc(struct pv_pixels *p, int w, int h, int channels)
{
	p->w = w;
	p->h = h;
	p->channels = channels;
	p->stride = 0;
	p->px = malloc((size_t)w * (size_t)h * (size_t)channels);
	return p->px ? 0 : -1;
}

void pv_pixels_free(struct pv_pixels *p)
{
	free(p->px);
	p->px = NULL;
}

void pv_fit_long_edge(int w, int h, int edge, int *out_w, int *out_h)
{
	*out_w = w;
	*out_h = h;
	if (w >= h && w > edge) {
		*out_w = edge;
		*out_h = (int)(((long long)h * edge * 2 + w) / ((long long)w * 2));
	} else if (h > w && h > edge) {
		*out_h = edge;
		*out_w = (int)(((long long)w * edge * 2 + h) / ((long long)h * 2));
	}
	if (*out_w < 1)
		*out_w = 1;
	if (*out_h < 1)
		*out_h = 1;
}

void pv_composite_on_white(uint8_t *px, size_t n, int channels, int out_step)
{
	int colour = channels - 1;
	for (size_t i = 0; i < n; i++) {
		const uint8_t *s = px + i * (size_t)channels;
		uint8_t *d = px + i * (size_t)out_step;
		unsigned a = s[colour];
		for (int c = 0; c < colour; c++)   /* d never runs ahead of s */
			d[c] = (uint8_t)((s[c] * a + 255u * (255u - a) + 127u) / 255u);
	}
}

/* ---- resize ------------------------------------------------------------ */

/* Catmull-Rom (the cubic with a = -0.5). */
static double cubic(double x)
{
	x = fabs(x);
	if (x < 1.0)
		return (1.5 * x - 2.5) * x * x + 1.0;
	if (x < 2.0)
		return ((-0.5 * x + 2.5) * x - 4.0) * x + 2.0;
	return 0.0;
}

/* For each output index: the first source index and `per` weights. */
struct taps {
	int per;
	int *first;
	int16_t *weight;   /* out x per; 16 bits let the column pass use SIMD */
};

static void taps_free(struct taps *t)
{
	free(t->first);
	free(t->weight);
	t->first = NULL;
	t->weight = NULL;
}

/* Weights of one output pixel centred at `centre` (source coordinates),
 * clipped to the source and normalised to WEIGHT_ONE. */
static void taps_one(const struct taps *t, int i, int in, double centre,
		     double stretch, double *w)
{
	int first = (int)floor(centre - CUBIC_SUPPORT * stretch) + 1;
	if (first < 0)
		first = 0;
	if (first > in - t->per)
		first = in - t->per > 0 ? in - t->per : 0;
	double sum = 0.0;
	for (int k = 0; k < t->per; k++) {
		int j = first + k;
		w[k] = j < in ? cubic((j - centre) / stretch) : 0.0;
		sum += w[k];
	}
	int16_t *out = t->weight + (size_t)i * (size_t)t->per;
	int32_t total = 0, big = 0;
	for (int k = 0; k < t->per; k++) {
		out[k] = (int16_t)lround(w[k] / sum * WEIGHT_ONE);
		total += out[k];
		if (out[k] > out[big])
			big = k;
	}
	out[big] = (int16_t)(out[big] + WEIGHT_ONE - total);   /* rounding left-over: sum exactly one */
	t->first[i] = first;
}

static int taps_make(struct taps *t, int in, int out)
{
	double scale = (double)in / out;
	double stretch = scale > 1.0 ? scale : 1.0;
	/* taps strictly inside (centre - reach, centre + reach): at most ceil(2 reach) */
	t->per = (int)ceil(2 * CUBIC_SUPPORT * stretch);
	if (t->per > in)
		t->per = in;
	t->first = malloc((size_t)out * sizeof *t->first);
	t->weight = malloc((size_t)out * (size_t)t->per * sizeof *t->weight);
	double *scratch = malloc((size_t)t->per * sizeof *scratch);
	if (!t->first || !t->weight || !scratch) {
		free(scratch);
		taps_free(t);
		return -1;
	}
	for (int i = 0; i < out; i++)
		taps_one(t, i, in, (i + 0.5) * scale - 0.5, stretch, scratch);
	free(scratch);
	return 0;
}

static uint8_t clamp_round(int32_t acc)
{
	acc = (acc + WEIGHT_ONE / 2) >> WEIGHT_BITS;
	return (uint8_t)(acc < 0 ? 0 : acc > 255 ? 255 : acc);
}

/* The plain C column pass works on whole rows: GCC vectorises these loops
 * only above its -O2 cost model, hence the attribute. */
#if defined(__GNUC__) && !defined(__clang__)
#define VECTORISE __attribute__((optimize("tree-vectorize", "vect-cost-model=dynamic")))
#else
#define VECTORISE
#endif

static int simd_allowed(void)
{
#ifdef PV_HAVE_SSE2
	const char *off = getenv("PV_NO_SIMD");
	return !(off && *off && strcmp(off, "0") != 0);
#else
	return 0;
#endif
}

VECTORISE
static void store_row(uint8_t *restrict out, const int32_t *restrict acc, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[i] = clamp_round(acc[i]);
}

/* Weighted sum of source rows, all samples of a row at once. */
VECTORISE
static void add_weighted_row(int32_t *restrict acc, const uint8_t *restrict in,
			     int16_t w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		acc[i] += (int16_t)in[i] * (int32_t)w;
}

/* One output row of the column pass in plain C; acc holds `row` sums. */
static void column_row_plain(uint8_t *out, const uint8_t *in, size_t row,
			     const int16_t *w, int per, int32_t *acc)
{
	memset(acc, 0, row * sizeof *acc);
	for (int k = 0; k < per; k++)
		add_weighted_row(acc, in + (size_t)k * row, w[k], row);
	store_row(out, acc, row);
}

#ifdef PV_HAVE_SSE2
/* Sixteen samples of two source rows a and b: pmaddwd multiplies the
 * interleaved pairs (a, b) by (wa, wb) and adds each pair, four sums a time. */
static void add_two_rows_16(__m128i acc[4], const uint8_t *a, const uint8_t *b,
			    __m128i wab)
{
	const __m128i zero = _mm_setzero_si128();
	__m128i va = _mm_loadu_si128((const __m128i *)(const void *)a);
	__m128i vb = _mm_loadu_si128((const __m128i *)(const void *)b);
	__m128i lo = _mm_unpacklo_epi8(va, vb), hi = _mm_unpackhi_epi8(va, vb);
	acc[0] = _mm_add_epi32(acc[0], _mm_madd_epi16(_mm_unpacklo_epi8(lo, zero), wab));
	acc[1] = _mm_add_epi32(acc[1], _mm_madd_epi16(_mm_unpackhi_epi8(lo, zero), wab));
	acc[2] = _mm_add_epi32(acc[2], _mm_madd_epi16(_mm_unpacklo_epi8(hi, zero), wab));
	acc[3] = _mm_add_epi32(acc[3], _mm_madd_epi16(_mm_unpackhi_epi8(hi, zero), wab));
}

/* Round, shift and saturate sixteen sums to bytes. */
static void store_16(uint8_t *out, const __m128i acc[4])
{
	const __m128i half = _mm_set1_epi32(WEIGHT_ONE / 2);
	__m128i s[4];
	for (int i = 0; i < 4; i++)
		s[i] = _mm_srai_epi32(_mm_add_epi32(acc[i], half), WEIGHT_BITS);
	__m128i words = _mm_packs_epi32(s[0], s[1]), words2 = _mm_packs_epi32(s[2], s[3]);
	_mm_storeu_si128((__m128i *)(void *)out, _mm_packus_epi16(words, words2));
}

/* Two taps in one pmaddwd operand: (wa, wb) repeated. */
static __m128i weight_pair(int16_t wa, int16_t wb)
{
	return _mm_set1_epi32((int32_t)(((uint32_t)(uint16_t)wb << 16) | (uint16_t)wa));
}

/* One output row of the column pass, sixteen samples a time; the rest of
 * the row (fewer than sixteen) in plain C. */
static void column_row_sse2(uint8_t *out, const uint8_t *in, size_t row,
			    const int16_t *w, int per, int32_t *acc_rest)
{
	size_t i = 0;
	for (; i + 16 <= row; i += 16) {
		__m128i acc[4] = { _mm_setzero_si128(), _mm_setzero_si128(),
				   _mm_setzero_si128(), _mm_setzero_si128() };
		int k = 0;
		for (; k + 1 < per; k += 2)
			add_two_rows_16(acc, in + (size_t)k * row + i,
					in + (size_t)(k + 1) * row + i, weight_pair(w[k], w[k + 1]));
		if (k < per)   /* the odd last tap, paired with itself at weight 0 */
			add_two_rows_16(acc, in + (size_t)k * row + i, in + (size_t)k * row + i,
					weight_pair(w[k], 0));
		store_16(out + i, acc);
	}
	if (i < row) {
		size_t rest = row - i;
		memset(acc_rest, 0, rest * sizeof *acc_rest);
		for (int k = 0; k < per; k++)
			add_weighted_row(acc_rest, in + (size_t)k * row + i, w[k], rest);
		store_row(out + i, acc_rest, rest);
	}
}
#endif

/* The column pass into a fresh buffer of src->w x dst_h. */
static int resize_columns(const struct pv_pixels *src, int dst_h, struct pv_pixels *dst)
{
	struct taps t = { 0 };
	size_t row = (size_t)src->w * (size_t)src->channels;
	int32_t *acc = malloc(row * sizeof *acc);
	if (!acc || taps_make(&t, src->h, dst_h) != 0 ||
	    pv_pixels_alloc(dst, src->w, dst_h, src->channels) != 0) {
		free(acc);
		taps_free(&t);
		return -1;
	}
	int simd = simd_allowed();
	for (int y = 0; y < dst_h; y++) {
		uint8_t *out = dst->px + (size_t)y * row;
		const uint8_t *in = src->px + (size_t)t.first[y] * row;
		const int16_t *w = t.weight + (size_t)y * (size_t)t.per;
#ifdef PV_HAVE_SSE2
		if (simd) {
			column_row_sse2(out, in, row, w, t.per, acc);
			continue;
		}
#endif
		(void)simd;
		column_row_plain(out, in, row, w, t.per, acc);
	}
	free(acc);
	taps_free(&t);
	return 0;
}

#ifdef PV_HAVE_SSE2
/* The row weights laid out for rgb_pixel_sse2: per output pixel and pair of
 * taps (k, k+1), eight words (w w w w' | w' w' 0 0); an odd last tap is
 * paired with weight 0. NULL when out of memory. */
static int16_t *rgb_weight_vectors(const struct taps *t, int out_w, int *pairs)
{
	*pairs = (t->per + 1) / 2;
	int16_t *v = calloc((size_t)out_w * (size_t)*pairs, 8 * sizeof *v);
	for (int x = 0; v && x < out_w; x++)
		for (int k = 0; k < t->per; k++) {
			int16_t w = t->weight[(size_t)x * (size_t)t->per + (size_t)k];
			int16_t *lane = v + ((size_t)x * (size_t)*pairs + (size_t)k / 2) * 8 + (k & 1) * 3;
			lane[0] = lane[1] = lane[2] = w;
		}
	return v;
}

/* One RGB output pixel with SSE2. Each pair of taps starts at byte p of the
 * row: eight bytes hold both pixels and two bytes more (weight 0). The
 * products of (R G B R' | G' B' . .) by the pair's weights are kept in two
 * sums of four: red is lo[0] + lo[3], green lo[1] + hi[0], blue lo[2] +
 * hi[1]. The caller makes sure that the reads stay inside the row. */
static void rgb_pixel_sse2(const uint8_t *p, uint8_t *out, const int16_t *wv, int pairs)
{
	const __m128i zero = _mm_setzero_si128();
	__m128i lo = zero, hi = zero;
	for (int k = 0; k < pairs; k++, p += 6, wv += 8) {
		__m128i w = _mm_loadu_si128((const __m128i *)(const void *)wv);
		__m128i v = _mm_unpacklo_epi8(_mm_loadl_epi64((const __m128i *)(const void *)p), zero);
		__m128i plo = _mm_mullo_epi16(v, w), phi = _mm_mulhi_epi16(v, w);
		lo = _mm_add_epi32(lo, _mm_unpacklo_epi16(plo, phi));
		hi = _mm_add_epi32(hi, _mm_unpackhi_epi16(plo, phi));
	}
	/* (lo0 lo1 lo2 lo3) + (lo3 hi0 hi1 hi2): red, green, blue, unused */
	__m128i sum = _mm_add_epi32(lo, _mm_or_si128(_mm_srli_si128(lo, 12), _mm_slli_si128(hi, 4)));
	sum = _mm_srai_epi32(_mm_add_epi32(sum, _mm_set1_epi32(WEIGHT_ONE / 2)), WEIGHT_BITS);
	__m128i bytes = _mm_packus_epi16(_mm_packs_epi32(sum, sum), zero);
	uint32_t rgbx = (uint32_t)_mm_cvtsi128_si32(bytes);
	memcpy(out, &rgbx, 3);   /* little-endian: R G B in the low three bytes */
}

/* The pixels of an RGB row whose SSE2 reads stay inside the row, from the
 * left; returns how many were done. The reads run one pixel and two bytes
 * past the last tap of an even count (an odd count is rounded up). */
static int row_rgb_sse2(const uint8_t *in, uint8_t *out, const struct taps *t,
			const int16_t *wv, int pairs, int in_w, int out_w)
{
	int x = 0;
	for (; x < out_w && t->first[x] + 2 * pairs + 1 <= in_w; x++)
		rgb_pixel_sse2(in + (size_t)t->first[x] * 3, out + (size_t)x * 3,
			       wv + (size_t)x * (size_t)pairs * 8, pairs);
	return x;
}
#endif

/* One output pixel of an RGB row in plain C. */
static void rgb_pixel_plain(const uint8_t *in, uint8_t *out, const struct taps *t, int x)
{
	const int16_t *w = t->weight + (size_t)x * (size_t)t->per;
	const uint8_t *p = in + (size_t)t->first[x] * 3;
	int32_t r = 0, g = 0, b = 0;
	for (int k = 0; k < t->per; k++, p += 3) {
		r += w[k] * p[0];
		g += w[k] * p[1];
		b += w[k] * p[2];
	}
	out[0] = clamp_round(r);
	out[1] = clamp_round(g);
	out[2] = clamp_round(b);
}

/* The rest of an RGB row, from output pixel x, in plain C. */
static void row_rgb_plain(const uint8_t *in, uint8_t *out, const struct taps *t, int x,
			  int out_w)
{
	for (; x < out_w; x++)
		rgb_pixel_plain(in, out + (size_t)x * 3, t, x);
}

static void row_grey(const uint8_t *in, uint8_t *out, const struct taps *t, int out_w)
{
	for (int x = 0; x < out_w; x++) {
		const int16_t *w = t->weight + (size_t)x * (size_t)t->per;
		const uint8_t *p = in + t->first[x];
		int32_t v = 0;
		for (int k = 0; k < t->per; k++)
			v += w[k] * p[k];
		out[x] = clamp_round(v);
	}
}

/* The row pass into a fresh buffer of dst_w x src->h. */
static int resize_rows(const struct pv_pixels *src, int dst_w, struct pv_pixels *dst)
{
	struct taps t = { 0 };
	int16_t *wv = NULL;
	int pairs = 0;
	if (taps_make(&t, src->w, dst_w) != 0 ||
	    pv_pixels_alloc(dst, dst_w, src->h, src->channels) != 0) {
		taps_free(&t);
		return -1;
	}
#ifdef PV_HAVE_SSE2
	if (src->channels == 3 && simd_allowed())
		wv = rgb_weight_vectors(&t, dst_w, &pairs);   /* none: plain C */
#endif
	size_t in_row = (size_t)src->w * (size_t)src->channels;
	size_t out_row = (size_t)dst_w * (size_t)src->channels;
	for (int y = 0; y < src->h; y++) {
		const uint8_t *in = src->px + (size_t)y * in_row;
		uint8_t *out = dst->px + (size_t)y * out_row;
		if (src->channels != 3) {
			row_grey(in, out, &t, dst_w);
			continue;
		}
		int done = 0;
#ifdef PV_HAVE_SSE2
		if (wv)
			done = row_rgb_sse2(in, out, &t, wv, pairs, src->w, dst_w);
#endif
		row_rgb_plain(in, out, &t, done, dst_w);
	}
	free(wv);
	taps_free(&t);
	return 0;
}

static int copy_pixels(const struct pv_pixels *src, struct pv_pixels *dst)
{
	if (pv_pixels_alloc(dst, src->w, src->h, src->channels) != 0)
		return -1;
	memcpy(dst->px, src->px, (size_t)src->w * (size_t)src->h * (size_t)src->channels);
	return 0;
}

int pv_resize(const struct pv_pixels *src, int dst_w, int dst_h,
	      struct pv_pixels *dst)
{
	struct pv_pixels mid = { 0 };
	const struct pv_pixels *from = src;
	int rc = 0;
	dst->px = NULL;
	/* columns first: that pass vectorises, and leaves fewer rows for the
	 * row pass; a pass that would not change the size is left out */
	if (dst_h != src->h) {
		rc = resize_columns(src, dst_h, &mid);
		from = &mid;
	}
	if (rc == 0)
		rc = dst_w != src->w ? resize_rows(from, dst_w, dst) : copy_pixels(from, dst);
	pv_pixels_free(&mid);
	return rc;
}

/* ---- orientation ------------------------------------------------------- */

/* Where the pixel displayed at (x, y) is stored, for EXIF orientation o;
 * dw x dh is the displayed size. */
static void stored_position(int o, int dw, int dh, int x, int y, int *sx, int *sy)
{
	*sx = x;
	*sy = y;
	switch (o) {
	case 2: *sx = dw - 1 - x; break;
	case 3: *sx = dw - 1 - x; *sy = dh - 1 - y; break;
	case 4: *sy = dh - 1 - y; break;
	case 5: *sx = y; *sy = x; break;
	case 6: *sx = y; *sy = dw - 1 - x; break;
	case 7: *sx = dh - 1 - y; *sy = dw - 1 - x; break;
	case 8: *sx = dh - 1 - y; *sy = x; break;
	}
}

int pv_orient_pixels(struct pv_pixels *p, int orientation)
{
	if (orientation < 2 || orientation > 8)
		return 0;
	int dw = orientation >= 5 ? p->h : p->w, dh = orientation >= 5 ? p->w : p->h;
	size_t c = (size_t)p->channels;
	struct pv_pixels up;
	if (pv_pixels_alloc(&up, dw, dh, p->channels) != 0)
		return -1;
	/* the stored position is affine in (x, y): one step per displayed
	 * column and one per displayed row, in bytes */
	int x0, y0, x1, y1, x2, y2;
	stored_position(orientation, dw, dh, 0, 0, &x0, &y0);
	stored_position(orientation, dw, dh, 1, 0, &x1, &y1);
	stored_position(orientation, dw, dh, 0, 1, &x2, &y2);
	ptrdiff_t row = (ptrdiff_t)p->w;
	ptrdiff_t step_x = ((x1 - x0) + (y1 - y0) * row) * (ptrdiff_t)c;
	ptrdiff_t step_y = ((x2 - x0) + (y2 - y0) * row) * (ptrdiff_t)c;
	const uint8_t *origin = p->px + ((ptrdiff_t)x0 + (ptrdiff_t)y0 * row) * (ptrdiff_t)c;
	uint8_t *out = up.px;
	for (int y = 0; y < dh; y++) {
		const uint8_t *s = origin + step_y * y;
		if (c == 3)
			for (int x = 0; x < dw; x++, s += step_x, out += 3) {
				out[0] = s[0];
				out[1] = s[1];
				out[2] = s[2];
			}
		else
			for (int x = 0; x < dw; x++, s += step_x, out += c)
				memcpy(out, s, c);
	}
	pv_pixels_free(p);
	*p = up;
	return 0;
}
