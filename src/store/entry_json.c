/* An entry as JSON: the shape of `list --json` and `show --json`, and of
 * the staff pages of serve with Accept: application/json (one shape for
 * both doors). */
#include <jansson.h>

#include "photovoice/store.h"
#include "photovoice/util.h"

const char *pv_entry_limit_word(const struct pv_entry *e, const char *today)
{
	switch (pv_entry_consent_limit(e, today)) {
	case PV_LIMIT_EXPIRED: return "expired";
	case PV_LIMIT_GUARDIAN: return "guardian";
	default: return NULL;
	}
}

static json_t *text_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *pv_entry_json(const struct pv_entry *e)
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
	json_object_set_new(o, "consent_limit", text_or_null(pv_entry_limit_word(e, today)));
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


/* ---- the other shapes shared by the command line and the web ---- */

json_t *pv_history_json(const struct pv_history *h)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < h->count; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s?, s:s}", "field",
			h->items[i].field, "old_text", h->items[i].old_text, "changed_at",
			h->items[i].changed_at));
	return arr;
}

json_t *pv_bundle_refs_json(const struct pv_forget_report *r)
{
	json_t *bundles = json_array();
	for (size_t i = 0; i < r->nbundles; i++) {
		const struct pv_bundle_ref *b = &r->bundles[i];
		json_array_append_new(bundles, json_pack("{s:I, s:s, s:s?, s:s?, s:s?}",
			"id", (json_int_t)b->id, "file_name", b->file_name, "sha256", b->sha256,
			"purpose", b->purpose, "built_at", b->created_at));
	}
	return bundles;
}

json_t *pv_forget_report_json(const struct pv_forget_report *r)
{
	json_t *erased = json_array();
	for (size_t i = 0; i < r->nerased; i++)
		json_array_append_new(erased, json_integer(r->erased[i]));
	json_t *kept = json_array();
	for (size_t i = 0; i < r->ncopies_kept; i++)
		json_array_append_new(kept, json_string(r->copies_kept[i]));
	/* the copies keep the names they had when only the quarantine held them */
	return json_pack("{s:o, s:I, s:I, s:b, s:o, s:I, s:o, s:I}", "erased", erased,
			 "files_removed", (json_int_t)r->files_removed,
			 "files_failed", (json_int_t)r->files_failed,
			 "traces_cleared", r->traces_cleared, "bundles", pv_bundle_refs_json(r),
			 "quarantine_removed", (json_int_t)r->copies_removed,
			 "quarantine_zips", kept,
			 "quarantine_failed", (json_int_t)r->copies_failed);
}

json_t *pv_log_json(const struct pv_log_events *l)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < l->count; i++) {
		const struct pv_log_event *e = &l->items[i];
		json_array_append_new(arr, json_pack("{s:I, s:s, s:s?, s:s, s:s?}", "id",
			(json_int_t)e->id, "at", e->at, "actor", e->actor, "action", e->action,
			"detail", e->detail));
	}
	return json_pack("{s:I, s:o}", "count", (json_int_t)l->count, "events", arr);
}

json_t *pv_tag_counts_json(const struct pv_tag_counts *c)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < c->count; i++)
		json_array_append_new(arr, json_pack("{s:s, s:I}", "tag", c->items[i].tag,
						     "entries", (json_int_t)c->items[i].entries));
	return json_pack("{s:I, s:o}", "count", (json_int_t)c->count, "tags", arr);
}

json_t *pv_participants_json(const struct pv_participants *ps)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < ps->count; i++) {
		const struct pv_participant *p = &ps->items[i];
		json_t *o = json_object();
		json_object_set_new(o, "code", json_string(p->code));
		json_object_set_new(o, "credit", text_or_null(p->credit));
		json_object_set_new(o, "under16", p->under16 < 0 ? json_null()
								  : json_boolean(p->under16));
		json_object_set_new(o, "entries", json_integer(p->entries));
		json_object_set_new(o, "poster_today", json_integer(p->poster_today));
		json_array_append_new(arr, o);
	}
	return json_pack("{s:I, s:o}", "count", (json_int_t)ps->count, "participants", arr);
}
