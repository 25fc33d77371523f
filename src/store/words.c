/*
 * The words the catalogue keeps, checked before anything is written: every
 * text valid UTF-8 and within its limit, tags that fold to a tag without
 * control characters, a participant code that can name a folder, a real end
 * date. Ingest asks pv_store_check_entry before it stores a photo, so that a
 * photo whose words would be refused goes to quarantine with its caption file
 * (its words kept) instead of leaving half an entry; pv_store_add, edit and
 * tag ask the same rules.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "photovoice/i18n.h"
#include "photovoice/store.h"
#include "photovoice/util.h"
#include "store_internal.h"

/* For sentences: at most 40 bytes of s, control characters shown as '?'. */
static void shown(const char *s, char *out, size_t outlen)
{
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p && n + 4 < outlen &&
	     n < 40; p++)
		out[n++] = (*p < 0x20 || *p == 0x7f) ? '?' : (char)*p;
	if (s[n] && n + 4 < outlen) {
		memcpy(out + n, "...", 3);
		n += 3;
	}
	out[n] = '\0';
}

int pv_store_check_text(const char *what, const char *text, size_t max, struct pv_err *err)
{
	if (!text)
		return 0;
	size_t len = strlen(text);
	if (!pv_utf8_valid(text, len)) {
		pv_fail(err, PV_ERR_INPUT, "The %s is not valid UTF-8 text; save it as UTF-8 and "
			   "try again.", what);
		return -1;
	}
	if (len > max) {
		pv_fail(err, PV_ERR_INPUT, "The %s is too long (%zu bytes; the catalogue keeps at "
			   "most %zu); shorten it and try again.", what, len, max);
		return -1;
	}
	return 0;
}

static int has_control_char(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return 1;
	return 0;
}

int pv_store_check_tag(const char *tag, struct pv_err *err)
{
	char show[64];
	shown(tag ? tag : "", show, sizeof show);
	if (!tag || has_control_char(tag)) {
		pv_fail(err, PV_ERR_INPUT, "The tag '%s' holds a tab, a line break or another "
			   "control character, which a tag cannot hold; separate tags with "
			   "commas.", show);
		return -1;
	}
	if (pv_store_check_text("tag", tag, PV_MAX_TAG_BYTES, err) != 0)
		return -1;
	char *folded = pv_store_fold_tag(tag);
	int empty = !folded || !*folded;
	free(folded);
	if (empty) {
		pv_fail(err, PV_ERR_INPUT, "A tag is empty; leave it out or write a word.");
		return -1;
	}
	return 0;
}

/* The same rule as pv_store_participant_set: a code names a folder. */
int pv_store_check_participant(const char *code, struct pv_err *err)
{
	if (!code)
		return 0;
	if (pv_store_check_text(_("participant code"), code, PV_MAX_CODE_BYTES, err) != 0)
		return -1;
	if (!*code || strchr(code, '/') || has_control_char(code)) {
		pv_fail(err, PV_ERR_INPUT, "The participant code is empty or holds '/' or a "
			   "control character; a code must be a plain name.");
		return -1;
	}
	return 0;
}

static int is_month(const char *s)
{
	return strlen(s) == 7 && strspn(s, "0123456789") == 4 && s[4] == '-' &&
	       strspn(s + 5, "0123456789") == 2 && atoi(s + 5) >= 1 && atoi(s + 5) <= 12;
}

static int check_dates(const struct pv_entry *e, struct pv_err *err)
{
	if (e->consent_until && !pv_date_valid(e->consent_until)) {
		pv_fail(err, PV_ERR_INPUT, "The consent end date is not a real date written "
			   "YYYY-MM-DD.");
		return -1;
	}
	if (e->taken_month && !is_month(e->taken_month)) {
		pv_fail(err, PV_ERR_INPUT, "The month the photo was taken is not written YYYY-MM.");
		return -1;
	}
	return 0;
}

int pv_store_check_entry(const struct pv_entry *e, struct pv_err *err)
{
	if (pv_store_check_text("title", e->title, PV_MAX_TITLE_BYTES, err) != 0 ||
	    pv_store_check_text("caption", e->caption, PV_MAX_CAPTION_BYTES, err) != 0 ||
	    pv_store_check_text("story", e->story, PV_MAX_STORY_BYTES, err) != 0 ||
	    pv_store_check_text(_("credit line"), e->credit, PV_MAX_TITLE_BYTES, err) != 0 ||
	    pv_store_check_participant(e->participant, err) != 0 ||
	    check_dates(e, err) != 0)
		return -1;
	for (size_t i = 0; i < e->ntags; i++)
		if (pv_store_check_tag(e->tags[i], err) != 0)
			return -1;
	return 0;
}
