/*
 * JSON sidecars: one object with the same keys as a text caption file, in
 * Dutch or English ({"titel": "De klik", "trefwoorden": ["klik", "luisteren"]}).
 * Values are text; tags may also be a list of texts, guardian consent also
 * true or false, and null means "not given". A key photovoice does not know
 * is refused, not skipped: it may hold words the participant wrote, and
 * nothing written is dropped silently; the sentence names the key it
 * probably means ("toestemmimg": "toestemming"). Error sentences never quote the file's
 * text (it may be a caption); only a short, printable unknown key is named.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "photovoice/i18n.h"
#include "photovoice/util.h"
#include "sidecar_internal.h"

#define KEY_SHOWN_MAX 40

static int fail(struct sidecar_parse *p, const char *sentence)
{
	/* TRANSLATORS: "The caption file" + "is not valid UTF-8 text." (p->what is
	   "caption file", "project file NAME") */
	pv_fail(p->err, PV_ERR_INPUT, "The %s %s", _(p->what), sentence);
	return -1;
}

/* Whether a key may be quoted in a message: short, no control characters. */
static int key_is_showable(const char *key)
{
	size_t n = strlen(key);
	if (n == 0 || n > KEY_SHOWN_MAX)
		return 0;
	for (const unsigned char *c = (const unsigned char *)key; *c; c++)
		if (*c < 0x20 || *c == 0x7F || *c == '"')
			return 0;
	return 1;
}

static int unknown_key(struct sidecar_parse *p, const char *key)
{
	char sentence[256];
	const char *meant = sidecar_key_meant(key, strlen(key));
	if (key_is_showable(key) && meant)
		snprintf(sentence, sizeof sentence, _("has a field photovoice does not know "
			 "(\"%s\"); it probably means \"%s\". Correct it so that nothing "
			 "written is lost or read wrongly."), key, meant);
	else if (key_is_showable(key))
		snprintf(sentence, sizeof sentence, _("has a field photovoice does not know "
			 "(\"%s\"); use the names of docs/drop-folder.md so that nothing written is lost."),
			 key);
	else
		snprintf(sentence, sizeof sentence, _("has a field photovoice does not know; "
			 "use the names of docs/drop-folder.md so that nothing written is lost."));
	return fail(p, sentence);
}

static int wrong_type(struct sidecar_parse *p, int field, const char *expected)
{
	char sentence[256];
	snprintf(sentence, sizeof sentence, _("gives %s as something other than %s."),
		 sidecar_field_name(field), expected);
	return fail(p, sentence);
}

static int apply_string(struct sidecar_parse *p, int field, const json_t *v)
{
	/* jansson has checked the UTF-8 and refuses \u0000 (no JSON_ALLOW_NUL) */
	char *nfc = pv_utf8_nfc(json_string_value(v), json_string_length(v));
	if (!nfc)
		return fail(p, _("is not valid UTF-8 text."));
	int r = sidecar_apply(p, field, nfc);
	free(nfc);
	return r;
}

static int apply_tag_list(struct sidecar_parse *p, const json_t *list)
{
	size_t i;
	const json_t *tag;
	json_array_foreach(list, i, tag) {
		if (!json_is_string(tag))
			return wrong_type(p, F_TAGS, _("text or a list of texts"));
		if (apply_string(p, F_TAGS, tag) != 0)
			return -1;
	}
	if (json_array_size(list) == 0)
		p->seen |= 1u << F_TAGS;
	return 0;
}

static int apply_value(struct sidecar_parse *p, int field, const json_t *v)
{
	if (json_is_null(v))
		return 0;
	if (json_is_string(v))
		return apply_string(p, field, v);
	if (field == F_TAGS && json_is_array(v))
		return apply_tag_list(p, v);
	if (field == F_GUARDIAN && json_is_boolean(v))
		return sidecar_apply_guardian(p, json_is_true(v));
	if (field == F_TAGS)
		return wrong_type(p, field, _("text or a list of texts"));
	if (field == F_GUARDIAN)
		return wrong_type(p, field, _("\"ja\", \"nee\", true or false"));
	return wrong_type(p, field, _("text in quotes"));
}

/* Nothing but spaces: an empty caption file, as an empty .txt is. */
static int is_blank(const char *data, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!strchr(" \t\r\n", data[i]))
			return 0;
	return 1;
}

static int not_json(struct sidecar_parse *p, const json_error_t *e)
{
	/* e->text may quote the file's text: only the place is said */
	if (json_error_code(e) == json_error_duplicate_key)
		return fail(p, _("gives the same field twice; keep one so that no words are lost."));
	char sentence[256];
	snprintf(sentence, sizeof sentence, _("is not valid JSON (line %d, column %d); "
		 "check it in a JSON checker or write it as a .txt caption file."),
		 e->line, e->column);
	return fail(p, sentence);
}

int sidecar_parse_json_text(struct sidecar_parse *p, const char *data, size_t len)
{
	if (sidecar_check_text(p, &data, &len) != 0)
		return -1;
	if (is_blank(data, len))
		return 0;
	json_error_t e;
	json_t *doc = json_loadb(data, len, JSON_REJECT_DUPLICATES, &e);
	if (!doc)
		return not_json(p, &e);
	int r = 0;
	if (!json_is_object(doc)) {
		r = fail(p, _("is JSON, but not one object of fields such as "
			 "{\"titel\": \"...\", \"onderschrift\": \"...\"}."));
	} else {
		const char *key;
		const json_t *v;
		json_object_foreach(doc, key, v) {
			int field = sidecar_key_field(key, strlen(key));
			r = field < 0 ? unknown_key(p, key) : apply_value(p, field, v);
			if (r != 0)
				break;
		}
	}
	json_decref(doc);
	return r;
}
