/*
 * src/image/pixels.c - operations on decoded pixels: allocation, the filtered
 * resize, turning a picture upright.
 *
 * The resize is separable (rows, then columns) with a Catmull-Rom cubic
 * whose support is widened by the reduction ratio, so that every source pixel
 * contributes when shrinking: sharp like bicubic, without the aliasing of
 * nearest-neighbour or the blur of a plain box. Weights are 14-bit fixed
 * point and sum exactly to one per output pixel.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "image_internal.h"

#define WEIGHT_BITS 14
#define WEIGHT_ONE (1 << WEIGHT_BITS)
#define CUBIC_SUPPORT 2.0

int pv_pixels_alloc(struct pv_pixels *p, int w, int h, int channels)
{
	p->w = w;
	p->h = h;
	p->channels = channels;
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
	int32_t *weight;   /* out x per */
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
	int32_t *out = t->weight + (size_t)i * (size_t)t->per;
	int32_t total = 0, big = 0;
	for (int k = 0; k < t->per; k++) {
		out[k] = (int32_t)lround(w[k] / sum * WEIGHT_ONE);
		total += out[k];
		if (out[k] > out[big])
			big = k;
	}
	out[big] += WEIGHT_ONE - total;   /* rounding left-over: sum exactly one */
	t->first[i] = first;
}

static int taps_make(struct taps *t, int in, int out)
{
	double scale = (double)in / out;
	double stretch = scale > 1.0 ? scale : 1.0;
	t->per = (int)ceil(2 * CUBIC_SUPPORT * stretch) + 1;
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

static void resize_rows(const struct pv_pixels *src, const struct taps *t,
			struct pv_pixels *dst)
{
	int c = src->channels;
	for (int y = 0; y < src->h; y++) {
		const uint8_t *in = src->px + (size_t)y * (size_t)src->w * (size_t)c;
		uint8_t *out = dst->px + (size_t)y * (size_t)dst->w * (size_t)c;
		for (int x = 0; x < dst->w; x++) {
			const int32_t *w = t->weight + (size_t)x * (size_t)t->per;
			const uint8_t *p = in + (size_t)t->first[x] * (size_t)c;
			for (int ch = 0; ch < c; ch++) {
				int32_t acc = 0;
				for (int k = 0; k < t->per; k++)
					acc += w[k] * p[k * c + ch];
				out[x * c + ch] = clamp_round(acc);
			}
		}
	}
}

static void resize_columns(const struct pv_pixels *src, const struct taps *t,
			   struct pv_pixels *dst, int32_t *acc)
{
	size_t row = (size_t)src->w * (size_t)src->channels;
	for (int y = 0; y < dst->h; y++) {
		memset(acc, 0, row * sizeof *acc);
		const int32_t *w = t->weight + (size_t)y * (size_t)t->per;
		for (int k = 0; k < t->per; k++) {
			const uint8_t *in = src->px + (size_t)(t->first[y] + k) * row;
			for (size_t i = 0; i < row; i++)
				acc[i] += w[k] * in[i];
		}
		uint8_t *out = dst->px + (size_t)y * row;
		for (size_t i = 0; i < row; i++)
			out[i] = clamp_round(acc[i]);
	}
}

int pv_resize(const struct pv_pixels *src, int dst_w, int dst_h,
	      struct pv_pixels *dst)
{
	struct taps th = { 0 }, tv = { 0 };
	struct pv_pixels mid = { 0 };
	int32_t *acc = NULL;
	int rc = -1;
	dst->px = NULL;
	if (taps_make(&th, src->w, dst_w) != 0 || taps_make(&tv, src->h, dst_h) != 0 ||
	    pv_pixels_alloc(&mid, dst_w, src->h, src->channels) != 0 ||
	    pv_pixels_alloc(dst, dst_w, dst_h, src->channels) != 0 ||
	    !(acc = malloc((size_t)dst_w * (size_t)src->channels * sizeof *acc)))
		goto out;
	resize_rows(src, &th, &mid);
	resize_columns(&mid, &tv, dst, acc);
	rc = 0;
out:
	if (rc != 0)
		pv_pixels_free(dst);
	free(acc);
	pv_pixels_free(&mid);
	taps_free(&th);
	taps_free(&tv);
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
	int c = p->channels;
	struct pv_pixels up;
	if (pv_pixels_alloc(&up, dw, dh, c) != 0)
		return -1;
	for (int y = 0; y < dh; y++) {
		uint8_t *out = up.px + (size_t)y * (size_t)dw * (size_t)c;
		for (int x = 0; x < dw; x++) {
			int sx, sy;
			stored_position(orientation, dw, dh, x, y, &sx, &sy);
			memcpy(out + (size_t)x * (size_t)c,
			       p->px + ((size_t)sy * (size_t)p->w + (size_t)sx) * (size_t)c,
			       (size_t)c);
		}
	}
	pv_pixels_free(p);
	*p = up;
	return 0;
}
