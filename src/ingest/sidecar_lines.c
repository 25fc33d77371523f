/*
 * One line of a caption file. How a line splits into a key and a value is
 * the shared reader's (pv_kv_read_line, src/util/keyvalue.c: Markdown,
 * spaces of every kind, a full-width colon, one or two words of letters
 * before the colon); here is what the caption file's keys make of it. A
 * header-like key that photovoice does not know but is within a small edit
 * distance of one it knows is a typo ("Toestemmimg"); a consent key with no
 * colon after it is a header written wrongly; sidecar.c decides what each
 * kind means where it stands.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "photovoice/util.h"
#include "sidecar_internal.h"

#define KEY_MAX PV_KV_KEY_MAX

static const struct {
	const char *key;
	enum field field;
} keys[] = {
	{ "titel", F_TITLE },               { "title", F_TITLE },
	{ "onderschrift", F_CAPTION },      { "bijschrift", F_CAPTION },
	{ "caption", F_CAPTION },
	{ "trefwoorden", F_TAGS },          { "tags", F_TAGS },
	{ "deelnemer", F_PARTICIPANT },     { "participant", F_PARTICIPANT },
	{ "naamsvermelding", F_CREDIT },    { "credit", F_CREDIT },
	{ "toestemming", F_CONSENT },       { "consent", F_CONSENT },
	{ "toestemming-ouder", F_GUARDIAN }, { "guardian-consent", F_GUARDIAN },
	{ "toestemming-tot", F_UNTIL },     { "consent-until", F_UNTIL },
	{ "verhaal", F_STORY },             { "story", F_STORY },
	{ "project", F_PROJECT },           { "projectnaam", F_PROJECT },
};

/* The key as compared: lower case, each run of spaces or '_' one '-'. */
static char *fold_key(const char *key, size_t klen)
{
	char *raw = pv_strndup(key, klen);
	char *folded = pv_utf8_casefold(raw);
	free(raw);
	if (!folded)
		return NULL;
	char *out = folded;
	for (const char *c = folded; *c; c++) {
		int gap = *c == ' ' || *c == '_' || *c == '\t';
		if (gap && out > folded && out[-1] == '-')
			continue;
		*out++ = gap ? '-' : *c;
	}
	*out = '\0';
	return folded;
}

int sidecar_key_field(const char *key, size_t klen)
{
	char *k = fold_key(key, klen);
	int field = -1;
	for (size_t i = 0; k && field < 0 && i < sizeof keys / sizeof *keys; i++)
		if (strcmp(k, keys[i].key) == 0)
			field = (int)keys[i].field;
	free(k);
	return field;
}

/* How far a key may be from a known one and still be a typo of it. */
static int typo_limit(const char *known)
{
	size_t n = strlen(known);
	return n >= 8 ? 2 : n >= 4 ? 1 : 0;
}

/* The known key nearest to `folded` within `slack` more than a typo's limit
 * (0: a typo only), or NULL. */
static const char *nearest_key(const char *folded, int slack)
{
	const char *best = NULL;
	int best_d = KEY_MAX;
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
		int d = pv_edit_distance(folded, keys[i].key);
		if (d <= typo_limit(keys[i].key) + slack && d < best_d) {
			best = keys[i].key;
			best_d = d;
		}
	}
	return best;
}

const char *sidecar_key_meant(const char *key, size_t klen)
{
	char *folded = fold_key(key, klen);
	const char *meant = folded ? nearest_key(folded, 2) : NULL;
	free(folded);
	return meant;
}

/* The key as it is shown in a sentence: "Toestemming-ouder". */
static void show_key(char *out, size_t n, const char *key)
{
	snprintf(out, n, "%s", key ? key : "");
	if (out[0] >= 'a' && out[0] <= 'z')
		out[0] = (char)(out[0] - 'a' + 'A');
}

/* ---- what the caption file's keys make of a line ------------------------ */

static void set_key(struct header_line *out, const char *key, size_t klen)
{
	snprintf(out->key, sizeof out->key, "%.*s", (int)klen, key);
}

/* A line whose first word is a consent key but with no colon after it
 * ("Toestemming geen", "Toestemming = geen"): a header written wrongly. */
static int consent_word_first(const char *s, struct header_line *out)
{
	size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-");
	if (n == 0 || n > KEY_MAX || !s[n] || !strchr(" \t=>-", s[n]))
		return 0;
	int f = sidecar_key_field(s, n);
	if (f != F_CONSENT && f != F_GUARDIAN && f != F_UNTIL)
		return 0;
	out->kind = LINE_MALFORMED;
	out->field = f;
	set_key(out, s, n);
	return 1;
}

/* A "Key: value" line: known, a typo of a known key, or unknown. Takes the
 * value (malloc'd) when the key is known. */
static void classify_key(const char *key, size_t klen, char **value,
			 struct header_line *out)
{
	set_key(out, key, klen);
	out->field = sidecar_key_field(key, klen);
	if (out->field >= 0) {
		out->kind = LINE_KNOWN;
		out->value = *value;
		*value = NULL;
		return;
	}
	char *folded = fold_key(key, klen);
	const char *near = folded ? nearest_key(folded, 0) : NULL;
	const char *far = folded && !near ? nearest_key(folded, 2) : NULL;
	free(folded);
	/* a near miss counts even alone when it could change consent or is a
	 * long key; a short one ("Tas: ...") only among headers */
	int f = near ? sidecar_key_field(near, strlen(near)) : -1;
	int typo = near && (f == F_CONSENT || f == F_GUARDIAN || f == F_UNTIL ||
			    strlen(near) >= 8);
	out->kind = typo ? LINE_NEAR : LINE_UNKNOWN;
	show_key(out->meant, sizeof out->meant, near ? near : far);
}

void sidecar_read_line(const char *line, struct header_line *out)
{
	memset(out, 0, sizeof *out);
	out->field = -1;
	struct pv_kv_line kv;
	pv_kv_read_line(line, &kv);
	switch (kv.kind) {
	case PV_KV_BLANK: out->kind = LINE_BLANK; break;
	case PV_KV_FENCE: out->kind = LINE_FENCE; break;
	case PV_KV_PAIR: classify_key(kv.key, strlen(kv.key), &kv.value, out); break;
	case PV_KV_TEXT:
		if (consent_word_first(kv.text, out))
			break;
		out->kind = kv.heading && *kv.text ? LINE_HEADING : LINE_TEXT;
		if (kv.heading)
			out->value = pv_kv_clean_value(kv.text);
		break;
	}
	pv_kv_line_free(&kv);
}

void sidecar_line_free(struct header_line *l)
{
	free(l->value);
	l->value = NULL;
}
