/*
 * src/image/phash.c - the perceptual hash: the picture in grey at 32 x 32,
 * its 2-D DCT, the 8 x 8 lowest frequencies above the constant term (rows and
 * columns 1..8), one bit per coefficient: above their median or not. Resizing
 * and recompression barely move low frequencies, so copies land a few bits
 * apart while different photos differ in about half of the 64 bits.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "photovoice/image.h"
#include "image_internal.h"

#define HASH_SIDE 32   /* the picture is reduced to HASH_SIDE x HASH_SIDE */
#define FREQS 8        /* frequencies 1..FREQS in each direction */

static int to_grey(const struct pv_pixels *p, struct pv_pixels *grey)
{
	if (pv_pixels_alloc(grey, p->w, p->h, 1) != 0)
		return -1;
	size_t n = (size_t)p->w * (size_t)p->h;
	for (size_t i = 0; i < n; i++) {
		const uint8_t *s = p->px + i * (size_t)p->channels;
		/* BT.601 luma in 8-bit fixed point */
		grey->px[i] = p->channels == 1 ? s[0]
			: (uint8_t)((77u * s[0] + 150u * s[1] + 29u * s[2] + 128u) >> 8);
	}
	return 0;
}

static int compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* DCT-II coefficients (v, u) for u, v in 1..FREQS of a HASH_SIDE square;
 * the common scale factor is left out, it does not change the median test. */
static void low_frequencies(const uint8_t *g, double coef[FREQS * FREQS])
{
	double cosine[FREQS + 1][HASH_SIDE];
	for (int u = 0; u <= FREQS; u++)
		for (int x = 0; x < HASH_SIDE; x++)
			cosine[u][x] = cos((2 * x + 1) * u * M_PI / (2 * HASH_SIDE));
	double rows[HASH_SIDE][FREQS];
	for (int y = 0; y < HASH_SIDE; y++)
		for (int u = 1; u <= FREQS; u++) {
			double s = 0.0;
			for (int x = 0; x < HASH_SIDE; x++)
				s += g[y * HASH_SIDE + x] * cosine[u][x];
			rows[y][u - 1] = s;
		}
	for (int v = 1; v <= FREQS; v++)
		for (int u = 0; u < FREQS; u++) {
			double s = 0.0;
			for (int y = 0; y < HASH_SIDE; y++)
				s += rows[y][u] * cosine[v][y];
			coef[(v - 1) * FREQS + u] = s;
		}
}

uint64_t pv_phash_pixels(const struct pv_pixels *p)
{
	struct pv_pixels grey = { 0 }, small = { 0 };
	uint64_t hash = 0;
	if (to_grey(p, &grey) != 0 || pv_resize(&grey, HASH_SIDE, HASH_SIDE, &small) != 0)
		goto out;
	double coef[FREQS * FREQS], sorted[FREQS * FREQS];
	low_frequencies(small.px, coef);
	memcpy(sorted, coef, sizeof sorted);
	qsort(sorted, FREQS * FREQS, sizeof *sorted, compare_doubles);
	double median = (sorted[FREQS * FREQS / 2 - 1] + sorted[FREQS * FREQS / 2]) / 2;
	for (int i = 0; i < FREQS * FREQS; i++)   /* most significant bit first */
		hash = hash << 1 | (coef[i] > median);
out:
	pv_pixels_free(&grey);
	pv_pixels_free(&small);
	return hash;
}

int pv_phash_distance(uint64_t a, uint64_t b)
{
	return __builtin_popcountll(a ^ b);
}

void pv_phash_hex(uint64_t h, char out[17])
{
	snprintf(out, 17, "%016llx", (unsigned long long)h);
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int pv_phash_parse(const char *hex, uint64_t *out)
{
	uint64_t h = 0;
	if (!hex)
		return -1;
	for (int i = 0; i < 16; i++) {
		int d = hex_digit(hex[i]);   /* stops at the NUL of a short string */
		if (d < 0)
			return -1;
		h = h << 4 | (uint64_t)d;
	}
	if (hex[16] != '\0')
		return -1;
	*out = h;
	return 0;
}
