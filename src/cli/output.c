/* Shared output for the catalogue commands: an entry as JSON, and as text. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

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
	json_object_set_new(o, "consent", json_string(pv_consent_name(e->consent)));
	json_object_set_new(o, "guardian_consent",
			    e->guardian == PV_GUARDIAN_UNKNOWN ? json_null()
								: json_boolean(e->guardian));
	json_object_set_new(o, "consent_until", text_or_null(e->consent_until));
	json_object_set_new(o, "width", json_integer(e->width));
	json_object_set_new(o, "height", json_integer(e->height));
	json_object_set_new(o, "bytes", json_integer(e->bytes));
	json_object_set_new(o, "taken_month", text_or_null(e->taken_month));
	json_object_set_new(o, "ingested_at", text_or_null(e->ingested_at));
	json_object_set_new(o, "sha256", json_string(e->sha256));
	return o;
}

int pv_cli_print_json(json_t *doc)
{
	int r = json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(doc);
	return r == 0 ? 0 : -1;
}

void pv_cli_print_tags(const struct pv_entry *e)
{
	for (size_t i = 0; i < e->ntags; i++)
		printf("%s%s", i ? ", " : "", e->tags[i]);
}
