/*
 * GET /review: what arrived and no one has reviewed yet (from phones, the
 * drop folder or `ingest`), a participant's withdrawal first, then oldest
 * first; each with its photo, words, participant, consent and what ingest
 * took out, and the forms to set consent, tags and words, to mark it
 * reviewed or to erase it (the same routes as /entries/ID, back here).
 */
#include <jansson.h>

#include "photovoice/image.h"
#include "photovoice/util.h"
#include "web_internal.h"

/* A page shows the oldest this many: each has its preview and its forms, and
 * after a busy session a hundred of them would make a page nobody can work
 * through. Reviewing them brings the next ones up; JSON gives them all. */
#define REVIEW_SHOWN 20

static void review_item(struct pv_buf *b, const struct pv_req *r, const struct pv_entry *e,
			const char *today)
{
	long long id = (long long)e->id;
	pv_buf_addf(b, "<li class=\"review\" id=\"e%lld\">\n<h2><a href=\"/entries/%lld\">", id, id);
	if (e->title && *e->title)
		pv_buf_add_html(b, e->title);
	else
		pv_buf_addf(b, _("Untitled, no. %lld"), id);
	pv_buf_add(b, "</a></h2>\n");
	if (e->withdrawn)
		pv_buf_addf(b, "<p class=\"error\">%s</p>\n",
			    _("The participant withdrew consent through their own link: nobody "
			      "may see this photo any more."));
	pv_buf_addf(b, "<div class=\"entry\">\n<img class=\"preview\" src=\"/media/%lld/preview\" "
		    "alt=\"\"", id);
	pv_buf_add_img_size(b, e->width, e->height, PV_PREVIEW_EDGE, PV_PREVIEW_EDGE);
	pv_buf_add(b, ">\n<div>\n");
	pv_web_entry_words(b, e);
	pv_buf_addf(b, "<p>%s ", _("Participant:"));
	pv_buf_add_html(b, e->participant ? e->participant : _("unknown"));
	pv_buf_addf(b, "%s; %s ", e->under16 ? _(" (under 16)") : "",
		    _("arrived"));
	pv_buf_add_html(b, e->ingested_at ? e->ingested_at : "-");
	pv_buf_addf(b, "</p>\n<p>%s ", _("Consent now:"));
	pv_web_consent_badge(b, e, today);
	pv_buf_add(b, "</p>\n");
	pv_web_removed(b, e->removed);
	pv_buf_addf(b, "<form method=\"post\" action=\"/entries/%lld/reviewed\">\n", id);
	pv_web_csrf_field(b, r);
	pv_buf_addf(b, "<input type=\"hidden\" name=\"back\" value=\"/review\">\n<button "
		    "type=\"submit\">%s</button>\n</form>\n<p><a class=\"danger\" "
		    "href=\"/entries/%lld/forget\">%s</a></p>\n</div>\n</div>\n<div class=\"forms\">\n",
		    _("Reviewed"), id,
		    _("Erase…"));
	pv_web_entry_forms(b, r, e, "/review");
	pv_buf_add(b, "</div>\n</li>\n");
}

enum MHD_Result pv_page_review(struct pv_req *r)
{
	r->nav = "review";
	struct pv_err err = {0};
	struct pv_archive *cat = pv_web_catalogue(r, &err);
	struct pv_filter f = { .min_consent = -1, .exact_consent = -1, .unreviewed = 1 };
	struct pv_entry_list l = {0};
	if (!cat || pv_store_list(cat, &f, &l, &err) != 0)
		return pv_send_err(r, &err);
	enum MHD_Result ret;
	if (r->wants_json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < l.count; i++) {
			json_t *o = pv_entry_json(&l.items[i]);
			json_object_set_new(o, "withdrawn", json_boolean(l.items[i].withdrawn));
			json_object_set_new(o, "removed", l.items[i].removed
				? json_string(l.items[i].removed) : json_null());
			json_array_append_new(arr, o);
		}
		ret = pv_send_json(r, MHD_HTTP_OK, json_pack("{s:I, s:o}", "count",
							      (json_int_t)l.count, "entries", arr));
	} else {
		char today[11];
		pv_today_iso(today);
		struct pv_buf b = {0};
		pv_buf_addf(&b, "<h1>%s</h1>\n<p role=\"status\">", _("Arrived"));
		if (l.count)
			pv_buf_addf(&b, ngettext("%zu photo is waiting for review.",
						 "%zu photos are waiting for review; the oldest "
						 "is at the top.", l.count), l.count);
		else
			pv_buf_add(&b, _("Everything has been reviewed."));
		pv_buf_add(&b, "</p>\n");
		if (l.count > REVIEW_SHOWN) {
			pv_buf_add(&b, "<p>");
			pv_buf_addf(&b, _("Shown here: the oldest %d. The next ones appear once "
					  "these are reviewed."), REVIEW_SHOWN);
			pv_buf_add(&b, "</p>\n");
		}
		pv_buf_add(&b, "<ul class=\"reviews\">\n");
		for (size_t i = 0; i < l.count && i < REVIEW_SHOWN; i++)
			review_item(&b, r, &l.items[i], today);
		pv_buf_add(&b, "</ul>\n");
		ret = pv_send_page(r, MHD_HTTP_OK, _("Arrived"), &b);
	}
	pv_entry_list_free(&l);
	return ret;
}
