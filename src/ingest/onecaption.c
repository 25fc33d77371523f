/*
 * One caption file speaks for one photo. Two photos that fit the same
 * caption file (IMG_1.jpg beside IMG_1.png or IMG_1.heic; names that differ
 * only in case or Unicode form; a copy a sync client or the system made,
 * "IMG_1 (1).jpg") would otherwise both get its words and consent, or the
 * copy none of them. Such photos are set aside with the caption file, unless
 * they are the same photo: the same bytes, or the same clean photo once the
 * metadata is removed (what the archive stores, so that it becomes one entry).
 * Used for loose files (scan.c) and the members of a zip (zip.c).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "photovoice/i18n.h"
#include "pipeline.h"
#include "photovoice/image.h"
#include "photovoice/jpeg.h"
#include "photovoice/util.h"

/* ---- names ---------------------------------------------------------------- */

static int ends_with_ci(const char *s, size_t n, const char *tail)
{
	size_t t = strlen(tail);
	return n >= t && strncasecmp(s + n - t, tail, t) == 0;
}

/* "NAME (1)" .. "NAME (999)", also without the space: the length of NAME. */
static size_t numbered_copy(const char *stem, size_t n)
{
	if (n < 4 || stem[n - 1] != ')')
		return 0;
	size_t i = n - 1;
	while (i > 0 && isdigit((unsigned char)stem[i - 1]))
		i--;
	if (i == n - 1 || n - 1 - i > 3 || i < 2 || stem[i - 1] != '(')
		return 0;
	i--;
	return i > 0 && stem[i - 1] == ' ' ? i - 1 : i;
}

/* Dropbox: "NAME (conflicted copy 2026-01-02)", "NAME (Fenna's conflicted
 * copy ...)", "NAME (Conflicterende kopie ...)": the length of NAME. */
static size_t conflicted_copy(const char *stem, size_t n)
{
	if (n < 4 || stem[n - 1] != ')')
		return 0;
	const char *open = NULL;
	for (const char *c = stem; c < stem + n; c++)
		if (*c == '(')
			open = c;
	if (!open || open == stem)
		return 0;
	char *inside = pv_strndup(open, (size_t)(stem + n - open));
	for (char *c = inside; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	int conflict = strstr(inside, "conflict") != NULL;
	free(inside);
	size_t base = (size_t)(open - stem);
	while (base > 0 && stem[base - 1] == ' ')
		base--;
	return conflict ? base : 0;
}

/* Syncthing: "NAME.sync-conflict-20260102-101010-ABCDEF"; Windows and
 * macOS: "NAME - Copy", "NAME - Kopie", "NAME copy", "NAME kopie". */
static size_t marked_copy(const char *stem, size_t n)
{
	static const char *const tails[] = { " - copy", " - kopie", " copy", " kopie" };
	const char *sync = strstr(stem, ".sync-conflict-");
	if (sync && sync > stem)
		return (size_t)(sync - stem);
	for (size_t i = 0; i < sizeof tails / sizeof *tails; i++)
		if (ends_with_ci(stem, n, tails[i]) && n > strlen(tails[i]))
			return n - strlen(tails[i]);
	return 0;
}

/* OneDrive: "NAME-DESKTOP-AB12" (the computer's name in capitals). */
static int machine_suffix(const char *s)
{
	int letters = 0;
	for (; *s; s++) {
		if (isupper((unsigned char)*s))
			letters++;
		else if (!isdigit((unsigned char)*s) && *s != '-')
			return 0;
	}
	return letters >= 2;
}

char *pv_drop_copy_base(const char *stem, int (*exists)(const char *base, void *ctx),
			void *ctx)
{
	size_t n = strlen(stem);
	size_t fixed[] = { numbered_copy(stem, n), conflicted_copy(stem, n), marked_copy(stem, n) };
	for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++) {
		if (!fixed[i])
			continue;
		char *base = pv_strndup(stem, fixed[i]);
		if (exists(base, ctx))
			return base;
		free(base);
	}
	for (const char *dash = strchr(stem, '-'); dash; dash = strchr(dash + 1, '-')) {
		if (dash == stem || strlen(dash + 1) < 4 || !machine_suffix(dash + 1))
			continue;
		char *base = pv_strndup(stem, (size_t)(dash - stem));
		if (exists(base, ctx))
			return base;
		free(base);
	}
	return NULL;
}

/* ---- the same photo -------------------------------------------------------- */

/* The photo as the archive would store it: as JPEG, without metadata. */
static int clean_form(const uint8_t *d, size_t n, uint8_t **out, size_t *outlen)
{
	struct pv_err err = {0};
	const struct pv_input_format *f = pv_input_format_sniff(d, n);
	uint8_t *jpeg = NULL;
	size_t jlen = 0;
	if (!f)
		return -1;
	if (f->to_jpeg) {
		if (f->to_jpeg(d, n, &jpeg, &jlen, &err) != 0)
			return -1;
		d = jpeg;
		n = jlen;
	}
	int r = pv_jpeg_scrub(d, n, out, outlen, NULL, &err);
	free(jpeg);
	return r;
}

int pv_same_photo(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	if (alen == blen && memcmp(a, b, alen) == 0)
		return 1;
	uint8_t *ca = NULL, *cb = NULL;
	size_t na = 0, nb = 0;
	int same = clean_form(a, alen, &ca, &na) == 0 && clean_form(b, blen, &cb, &nb) == 0 &&
		   na == nb && memcmp(ca, cb, na) == 0;
	free(ca);
	free(cb);
	return same;
}

/* ---- the sentence ------------------------------------------------------------ */

char *pv_one_caption_problem(const char *caption_rel, const char *const *photo_rels,
			     size_t n)
{
	char *caption = pv_shown_name(caption_rel);
	size_t len = strlen(caption) + 512;
	for (size_t i = 0; i < n; i++)
		len += strlen(photo_rels[i]) + 4;
	char *s = malloc(len);
	if (!s)
		abort();
	int at = snprintf(s, len, _("The caption file %s fits more than one photo ("), caption);
	for (size_t i = 0; i < n; i++) {
		char *shown = pv_shown_name(photo_rels[i]);
		at += snprintf(s + at, len - (size_t)at, "%s%s", i ? ", " : "", shown);
		free(shown);
	}
	snprintf(s + at, len - (size_t)at, _("), and photovoice does not guess which photo its "
		 "words and consent belong to; the photos and the caption file were set aside "
		 "together. Keep only the photo the words are about beside the caption file, or "
		 "give each photo a caption file of its own, and put them back."));
	free(caption);
	return s;
}
