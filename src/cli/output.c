/* Shared pieces of the catalogue commands: an entry as JSON and as text,
 * consent as it counts today, reopening the archive to change it. */
#include <jansson.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <strings.h>

#include "cli.h"
#include "photovoice/util.h"

static json_t *text_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *pv_cli_entry_json(const struct pv_entry *e)
{
	json_t *tags = json_array();
	for (size_t i = 0; i < e->ntags; i++)
		json_array_append_new(tags, json_string(e->tags[i]));
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(e->id));
	json_object_set_new(o, "title", text_or_null(e->title));
	json_object_set_new(o, "caption", text_or_null(e->caption));
	json_object_set_new(o, "story", text_or_null(e->story));
	json_object_set_new(o, "participant", text_or_null(e->participant));
	json_object_set_new(o, "credit", text_or_null(e->credit));
	json_object_set_new(o, "tags", tags);
	json_t *from = json_object();
	const char *const text[] = { e->title, e->caption, e->story };
	for (int f = PV_FIELD_TITLE; f <= PV_FIELD_STORY; f++)
		json_object_set_new(from, pv_text_field_name(f), text_or_null(
			text[f] ? pv_words_from_name(e->words_from[f]) : NULL));
	json_object_set_new(o, "words_from", from);
	json_object_set_new(o, "words_unconfirmed", json_boolean(pv_entry_has_unconfirmed_words(e)));
	json_object_set_new(o, "consent", json_string(pv_consent_name(e->consent)));
	json_object_set_new(o, "guardian_consent",
			    e->guardian == PV_GUARDIAN_UNKNOWN ? json_null()
								: json_boolean(e->guardian));
	json_object_set_new(o, "consent_until", text_or_null(e->consent_until));
	char today[11];
	pv_today_iso(today);
	json_object_set_new(o, "effective_consent",
			    json_string(pv_consent_name(pv_entry_effective_consent(e, today))));
	json_object_set_new(o, "consent_limit", text_or_null(pv_cli_limit_word(e, today)));
	json_object_set_new(o, "under16", json_boolean(e->under16));
	json_object_set_new(o, "width", json_integer(e->width));
	json_object_set_new(o, "height", json_integer(e->height));
	json_object_set_new(o, "bytes", json_integer(e->bytes));
	json_object_set_new(o, "taken_month", text_or_null(e->taken_month));
	json_object_set_new(o, "ingested_at", text_or_null(e->ingested_at));
	json_object_set_new(o, "sha256", json_string(e->sha256));
	json_object_set_new(o, "phash", text_or_null(e->phash[0] ? e->phash : NULL));
	return o;
}

/* Exact and valid, and with no control raw: jansson escapes C0 controls,
 * pv_text_json_safe the ones JSON lets stand (C1, bidirectional). */
int pv_cli_print_json(json_t *doc)
{
	char *text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	char *safe = pv_text_json_safe(text);
	int r = safe && fputs(safe, stdout) >= 0 ? 0 : -1;
	fputc('\n', stdout);
	free(safe);
	free(text);
	json_decref(doc);
	return r;
}

static void print_shown(const char *s, int one_line)
{
	char *shown = pv_text_for_terminal(s, one_line);
	if (shown)
		fputs(shown, stdout);
	free(shown);
}

void pv_cli_print_text(const char *s)
{
	print_shown(s, 1);
}

void pv_cli_print_lines(const char *s)
{
	print_shown(s, 0);
}

void pv_cli_print_tags(const struct pv_entry *e)
{
	for (size_t i = 0; i < e->ntags; i++) {
		fputs(i ? ", " : "", stdout);
		pv_cli_print_text(e->tags[i]);
	}
}

const char *pv_cli_limit_word(const struct pv_entry *e, const char *today)
{
	switch (pv_entry_consent_limit(e, today)) {
	case PV_LIMIT_EXPIRED: return "expired";
	case PV_LIMIT_GUARDIAN: return "guardian";
	default: return NULL;
	}
}

/* "poster", or "internal (poster until 2024-01-01, ended)" when less counts. */
void pv_cli_print_consent(const struct pv_entry *e)
{
	char today[11];
	pv_today_iso(today);
	enum pv_consent now = pv_entry_effective_consent(e, today);
	printf("%s", pv_consent_name(now));
	switch (pv_entry_consent_limit(e, today)) {
	case PV_LIMIT_EXPIRED:
		printf(" (%s until %s, ended)", pv_consent_name(e->consent), e->consent_until);
		break;
	case PV_LIMIT_GUARDIAN:
		printf(" (%s, but under 16 without guardian consent)", pv_consent_name(e->consent));
		break;
	default:
		break;
	}
}

const char *pv_cli_actor(void)
{
	struct passwd *pw = getpwuid(geteuid());
	return pw ? pw->pw_name : "unknown";
}
