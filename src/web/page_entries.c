/*
 * The catalogue in the staff workspace: GET /entries (a grid of thumbnails
 * with the consent that counts today, full-text search in the language of
 * `photovoice search`, filters and pages of 60), GET /entries/ID (one entry
 * with everything the catalogue knows), the forms that change it (words,
 * tags, consent, reviewed), erasure with its confirmation, and the
 * thumbnails and previews, served only to a session. Each handler reads the
 * request, calls the library and renders HTML or, when asked, JSON.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "photovoice/image.h"
#include "photovoice/util.h"
#include "web_internal.h"

/* ---- GET /entries ---- */

struct grid_args {
	struct pv_browse b;
	const char *tag, *consent_text;
};

static int read_grid_args(struct pv_req *r, struct grid_args *g, const char **why)
{
	int bad = 0;
	memset(g, 0, sizeof *g);
	g->b.filter.min_consent = g->b.filter.exact_consent = -1;
	g->b.query = pv_web_arg(r, "q", &bad);
	g->tag = pv_web_arg(r, "tag", &bad);
	g->b.filter.participant = pv_web_arg(r, "participant", &bad);
	g->consent_text = pv_web_arg(r, "consent", &bad);
	const char *page = pv_web_arg(r, "page", &bad);
	if (bad) {
		*why = _("The search is not plain text.");
		return -1;
	}
	if (g->tag) {
		g->b.filter.tags = &g->tag;
		g->b.filter.ntags = 1;
	}
	if (g->consent_text && (g->b.filter.min_consent = pv_consent_parse(g->consent_text)) < 0) {
		*why = _("For consent, choose none, internal, poster or public.");
		return -1;
	}
	g->b.page = page ? (size_t)pv_web_id(page) : 1;
	if (!g->b.page || g->b.page > 1000000) {
		*why = _("There is no such page number.");
		return -1;
	}
	return 0;
}

static enum MHD_Result grid_json(struct pv_req *r, const struct grid_args *g,
				 const struct pv_browse_page *p)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < p->entries.count; i++)
		json_array_append_new(arr, pv_entry_json(&p->entries.items[i]));
	json_t *o = json_pack("{s:I, s:I, s:I, s:I, s:I, s:b, s:s?, s:o}",
			      "count", (json_int_t)p->entries.count, "total", (json_int_t)p->total,
			      "page", (json_int_t)p->page, "pages", (json_int_t)p->pages,
			      "per_page", (json_int_t)PV_BROWSE_PER_PAGE, "more", p->more,
			      "query", g->b.query, "entries", arr);
	return pv_send_json(r, MHD_HTTP_OK, o);
}

static void search_field(struct pv_buf *b, const char *name, const char *label,
			 const char *value, const char *type)
{
	pv_buf_addf(b, "<div class=\"field\"><label for=\"f-%s\">%s</label>\n<input type=\"%s\" "
		    "id=\"f-%s\" name=\"%s\" value=\"", name, label, type, name, name);
	pv_buf_add_html(b, value ? value : "");
	pv_buf_add(b, "\"></div>\n");
}

static void search_form(struct pv_buf *b, const struct grid_args *g)
{
	pv_buf_add(b, "<form method=\"get\" action=\"/entries\" class=\"search\" role=\"search\">\n");
	search_field(b, "q", _("Search"), g->b.query, "search");
	search_field(b, "tag", _("Tag"), g->tag, "text");
	search_field(b, "participant", _("Participant"),
		     g->b.filter.participant, "text");
	pv_buf_addf(b, "<div class=\"field\"><label for=\"f-consent\">%s</label>\n<select "
		    "id=\"f-consent\" name=\"consent\">\n<option value=\"\">%s</option>\n",
		    _("May be used today for"),
		    _("show all"));
	for (int c = PV_CONSENT_INTERNAL; c <= PV_CONSENT_PUBLIC; c++)
		pv_buf_addf(b, "<option value=\"%s\"%s>%s</option>\n",
			    pv_consent_name((enum pv_consent)c),
			    g->b.filter.min_consent == c ? " selected" : "",
			    pv_web_consent_word((enum pv_consent)c));
	pv_buf_addf(b, "</select></div>\n<button type=\"submit\">%s</button>\n</form>\n"
		    "<p class=\"hint\">%s</p>\n", _("Search"),
		    _("Accents and capitals do not matter. luister* finds every word that "
		      "starts so; \"de klik\" finds the words together; AND, OR and NOT (in "
		      "capitals) combine words."));
}

static void grid_card(struct pv_buf *b, const struct pv_entry *e,
		      const char *today)
{
	const char *title = e->title && *e->title ? e->title : NULL;
	pv_buf_addf(b, "<li id=\"e%lld\"><a href=\"/entries/%lld\"><img src=\"/media/%lld/thumb\" "
		    "alt=\"\" width=\"160\" height=\"120\" loading=\"lazy\">\n<span class=\"t\">",
		    (long long)e->id, (long long)e->id, (long long)e->id);
	if (title)
		pv_buf_add_html(b, title);
	else
		pv_buf_addf(b, _("Untitled, no. %lld"), (long long)e->id);
	pv_buf_add(b, "</span></a>\n<span class=\"meta\">");
	pv_web_consent_badge(b, e, today);
	if (e->participant) {
		pv_buf_add(b, " <span class=\"who\">");
		pv_buf_add_html(b, e->participant);
		pv_buf_add(b, "</span>");
	}
	pv_buf_add(b, "</span></li>\n");
}

static void grid_html(struct pv_buf *b, struct pv_req *r, const struct grid_args *g,
		      const struct pv_browse_page *p, const char *error)
{
	char today[11];
	pv_today_iso(today);
	pv_buf_addf(b, "<h1>%s</h1>\n", _("Catalogue"));
	if (error) {
		pv_buf_add(b, "<p class=\"error\" role=\"alert\">");
		pv_buf_add_html(b, error);
		pv_buf_add(b, "</p>\n");
	}
	search_form(b, g);
	if (!p)
		return;
	if (p->total == 0)
		pv_buf_addf(b, "<p class=\"count\" role=\"status\">%s</p>\n",
			    _("Nothing found."));
	else {
		pv_buf_add(b, "<p class=\"count\" role=\"status\">");
		pv_buf_addf(b, ngettext("%lld photo", "%lld photos", (unsigned long)p->total),
			    (long long)p->total);
		pv_buf_addf(b, "%s</p>\n",
			    p->more ? _(" (of the newest 500 that match; make the search more "
					"precise)") : "");
	}
	pv_buf_add(b, "<ul class=\"grid\">\n");
	for (size_t i = 0; i < p->entries.count; i++)
		grid_card(b, &p->entries.items[i], today);
	pv_buf_add(b, "</ul>\n");
	pv_web_pager(b, r, p->page, p->pages, pv_web_grid_link);
}

enum MHD_Result pv_page_entries(struct pv_req *r)
{
	r->nav = "entries";
	struct grid_args g;
	const char *why = NULL;
	if (read_grid_args(r, &g, &why) != 0)
		return pv_send_error(r, MHD_HTTP_BAD_REQUEST, why);
	struct pv_err err = {0};
	struct pv_archive *cat = pv_web_catalogue(r, &err);
	struct pv_browse_page p;
	g.b.cards = !r->wants_json;   /* JSON gives whole entries, as list --json */
	int rc = cat ? pv_store_browse(cat, &g.b, &p, &err) : -1;
	/* a search that cannot be read shows the form again, its sentence above */
	if (rc != 0 && (r->wants_json || err.kind != PV_ERR_USAGE))
		return pv_send_err(r, &err);
	enum MHD_Result ret;
	if (r->wants_json) {
		ret = grid_json(r, &g, &p);
	} else {
		struct pv_buf b = {0};
		grid_html(&b, r, &g, rc == 0 ? &p : NULL, rc == 0 ? NULL : err.msg);
		ret = pv_send_page(r, rc == 0 ? MHD_HTTP_OK : pv_status_of(err.kind),
				   _("Catalogue"), &b);
	}
	if (rc != 0)
		return ret;
	pv_browse_page_free(&p);
	return ret;
}

/* ---- GET /entries/ID ---- */

struct entry_page {
	struct pv_entry e;
	struct pv_history h;
	struct pv_forget_report bundles;   /* only its bundles */
	int64_t *near;
	size_t nnear;
};

static void entry_page_free(struct entry_page *p)
{
	pv_entry_free(&p->e);
	pv_history_free(&p->h);
	pv_forget_report_free(&p->bundles);
	free(p->near);
}

static int read_entry_page(struct pv_archive *cat, int64_t id, struct entry_page *p,
			   struct pv_err *err)
{
	memset(p, 0, sizeof *p);
	if (pv_store_get(cat, id, &p->e, err) != 0)
		return -1;
	return pv_store_history(cat, id, &p->h, err) == 0 &&
	       pv_store_bundles_of(cat, id, &p->bundles, err) == 0 &&
	       pv_store_near_duplicates(cat, id, PV_PHASH_NEAR, &p->near, &p->nnear, err) == 0
		       ? 0 : -1;
}

static enum MHD_Result entry_json(struct pv_req *r, const struct entry_page *p)
{
	json_t *o = pv_entry_json(&p->e);
	json_object_set_new(o, "history", pv_history_json(&p->h));
	json_object_set_new(o, "bundles", pv_bundle_refs_json(&p->bundles));
	json_t *near = json_array();
	for (size_t i = 0; i < p->nnear; i++)
		json_array_append_new(near, json_integer(p->near[i]));
	json_object_set_new(o, "near_duplicates", near);
	json_object_set_new(o, "reviewed_at", p->e.reviewed_at ? json_string(p->e.reviewed_at)
							       : json_null());
	json_object_set_new(o, "removed", p->e.removed ? json_string(p->e.removed) : json_null());
	return pv_send_json(r, MHD_HTTP_OK, o);
}

static void fact(struct pv_buf *b, const char *label, const char *value)
{
	pv_buf_addf(b, "<dt>%s</dt><dd>", label);
	pv_buf_add_html(b, value);
	pv_buf_add(b, "</dd>\n");
}

static void entry_facts(struct pv_buf *b, const struct pv_entry *e)
{
	char today[11], size[64];
	pv_today_iso(today);
	pv_buf_addf(b, "<dl class=\"facts\">\n<dt>%s</dt><dd>", _("Consent"));
	pv_web_consent_badge(b, e, today);
	pv_buf_addf(b, "<br>%s: %s", _("parent or guardian"),
		    e->guardian == PV_GUARDIAN_YES ? _("yes") :
		    e->guardian == PV_GUARDIAN_NO ? _("no")
						  : _("not asked"));
	if (e->consent_until) {
		pv_buf_addf(b, "; %s ", _("through"));
		pv_buf_add_html(b, e->consent_until);
	}
	pv_buf_add(b, "</dd>\n");
	if (e->participant) {
		pv_buf_addf(b, "<dt>%s</dt><dd>", _("Participant"));
		pv_buf_add_html(b, e->participant);
		pv_buf_addf(b, "%s</dd>\n", e->under16 ? _(" (under 16)") : "");
	}
	if (e->credit)
		fact(b, C_("entry fact", "Credit"), e->credit);
	snprintf(size, sizeof size, "%d × %d", e->width, e->height);
	fact(b, C_("entry fact", "Photo"), size);
	if (e->ingested_at)
		fact(b, _("Arrived"), e->ingested_at);
	fact(b, _("Reviewed"), e->reviewed_at ? e->reviewed_at
							       : _("not yet"));
	pv_buf_add(b, "</dl>\n");
	pv_web_removed(b, e->removed);
}

static void entry_history(struct pv_buf *b, const struct pv_history *h)
{
	pv_buf_addf(b, "<h2>%s</h2>\n", _("History"));
	if (!h->count)
		pv_buf_addf(b, "<p class=\"hint\">%s</p>\n", _("Never edited."));
	pv_buf_add(b, "<ul class=\"history\">\n");
	for (size_t i = 0; i < h->count; i++) {
		pv_buf_add(b, "<li><span class=\"when\">");
		pv_buf_add_html(b, h->items[i].changed_at);
		pv_buf_add(b, "</span> ");
		pv_buf_add_html(b, h->items[i].field);
		pv_buf_addf(b, " %s: <q>", _("was"));
		pv_buf_add_html(b, h->items[i].old_text ? h->items[i].old_text
							: _("(empty)"));
		pv_buf_add(b, "</q></li>\n");
	}
	pv_buf_add(b, "</ul>\n");
}

static void entry_bundles(struct pv_buf *b, const struct pv_forget_report *rep)
{
	pv_buf_addf(b, "<h2>%s</h2>\n", _("Used in bundles"));
	if (!rep->nbundles)
		pv_buf_addf(b, "<p class=\"hint\">%s</p>\n", _("Not in any bundle yet."));
	pv_buf_add(b, "<ul>\n");
	for (size_t i = 0; i < rep->nbundles; i++) {
		pv_buf_add(b, "<li>");
		pv_buf_add_html(b, rep->bundles[i].file_name);
		pv_buf_add(b, " (");
		pv_buf_add_html(b, rep->bundles[i].created_at ? rep->bundles[i].created_at : "-");
		pv_buf_add(b, ", ");
		pv_buf_add_html(b, rep->bundles[i].purpose ? rep->bundles[i].purpose : "-");
		pv_buf_add(b, ")</li>\n");
	}
	pv_buf_add(b, "</ul>\n");
}

static void entry_near(struct pv_buf *b, const int64_t *near, size_t n)
{
	if (!n)
		return;
	pv_buf_addf(b, "<h2>%s</h2>\n<ul class=\"grid small\">\n",
		    _("Looks almost the same"));
	for (size_t i = 0; i < n; i++) {
		pv_buf_addf(b, "<li><a href=\"/entries/%lld\"><img src=\"/media/%lld/thumb\" alt=\"\" "
			    "width=\"160\" height=\"120\"><span class=\"t\">",
			    (long long)near[i], (long long)near[i]);
		pv_buf_addf(b, _("No. %lld"), (long long)near[i]);
		pv_buf_add(b, "</span></a></li>\n");
	}
	pv_buf_add(b, "</ul>\n");
}

static void entry_title(struct pv_buf *b, const struct pv_entry *e)
{
	if (e->title && *e->title)
		pv_buf_add_html(b, e->title);
	else
		pv_buf_addf(b, _("Untitled, no. %lld"), (long long)e->id);
}

static void entry_html(struct pv_buf *b, const struct pv_req *r, const struct entry_page *p)
{
	const struct pv_entry *e = &p->e;
	pv_buf_addf(b, "<p class=\"back\"><a href=\"/entries\">%s</a></p>\n<h1>",
		    _("Back to the catalogue"));
	entry_title(b, e);
	pv_buf_add(b, " <span class=\"entry-nr\">");
	pv_buf_addf(b, _("no. %lld"), (long long)e->id);
	pv_buf_addf(b, "</span></h1>\n<div class=\"entry\">\n<img class=\"preview\" "
		    "src=\"/media/%lld/preview\" alt=\"\"", (long long)e->id);
	pv_buf_add_img_size(b, e->width, e->height, PV_PREVIEW_EDGE, PV_PREVIEW_EDGE);
	pv_buf_add(b, ">\n<div>\n");
	pv_web_entry_words(b, e);
	entry_facts(b, e);
	if (!e->reviewed_at) {
		pv_buf_addf(b, "<form method=\"post\" action=\"/entries/%lld/reviewed\">\n",
			    (long long)e->id);
		pv_web_csrf_field(b, r);
		pv_buf_addf(b, "<button type=\"submit\" class=\"secondary\">%s</button>\n</form>\n",
			    _("Mark as reviewed"));
	}
	pv_buf_add(b, "</div>\n</div>\n<div class=\"forms\">\n");
	pv_web_entry_forms(b, r, e, NULL);
	pv_buf_add(b, "</div>\n");
	entry_history(b, &p->h);
	entry_bundles(b, &p->bundles);
	entry_near(b, p->near, p->nnear);
	pv_buf_addf(b, "<h2>%s</h2>\n<p><a class=\"danger\" href=\"/entries/%lld/forget\">%s</a></p>\n",
		    _("Erase"), (long long)e->id,
		    _("Erase this photo and everything about it…"));
}

static enum MHD_Result no_entry(struct pv_req *r)
{
	return pv_send_error(r, MHD_HTTP_NOT_FOUND, _("That photo is not (or no longer) in the "
						      "catalogue."));
}

enum MHD_Result pv_page_entry(struct pv_req *r)
{
	r->nav = "entries";
	int64_t id = pv_web_id(r->args[0]);
	if (!id)
		return no_entry(r);
	struct pv_err err = {0};
	struct pv_archive *cat = pv_web_catalogue(r, &err);
	struct entry_page p;
	if (!cat)
		return pv_send_err(r, &err);
	if (read_entry_page(cat, id, &p, &err) != 0) {
		entry_page_free(&p);
		return err.kind == PV_ERR_NOT_FOUND ? no_entry(r) : pv_send_err(r, &err);
	}
	enum MHD_Result ret;
	if (r->wants_json) {
		ret = entry_json(r, &p);
	} else {
		struct pv_buf b = {0}, title = {0};
		entry_html(&b, r, &p);
		entry_title(&title, &p.e);
		ret = pv_send_page(r, MHD_HTTP_OK, title.data, &b);
		pv_buf_free(&title);
	}
	entry_page_free(&p);
	return ret;
}

/* ---- the changes ---- */

/* The entry of the path and the catalogue for writing; 0 with the refusal
 * sent when either cannot be had. */
static struct pv_archive *change_start(struct pv_req *r, int64_t *id)
{
	struct pv_err err = {0};
	*id = pv_web_id(r->args[0]);
	if (!*id) {
		no_entry(r);
		return NULL;
	}
	struct pv_archive *a = pv_web_writer(r, &err);
	if (!a)
		pv_send_err(r, &err);
	return a;
}

static enum MHD_Result change_end(struct pv_req *r, struct pv_archive *a, int64_t id, int rc,
				  const struct pv_err *err)
{
	pv_archive_close(a);
	if (rc != 0)
		return err->kind == PV_ERR_NOT_FOUND ? no_entry(r) : pv_send_err(r, err);
	char to[48];
	snprintf(to, sizeof to, "/entries/%lld", (long long)id);
	return pv_web_done(r, id, to);
}

enum MHD_Result pv_page_entry_words(struct pv_req *r)
{
	int64_t id;
	struct pv_archive *a = change_start(r, &id);
	if (!a)
		return MHD_YES;
	static const char *const names[] = { "title", "caption", "story" };
	struct pv_words_edit w = { .confirm = pv_form_get(r, "confirm") != NULL };
	for (int f = PV_FIELD_TITLE; f <= PV_FIELD_STORY; f++) {
		w.text[f] = pv_form_get(r, names[f]);
		w.given[f] = w.text[f] != NULL;
	}
	char changed[64];
	int confirmed;
	struct pv_err err = {0};
	int rc = pv_store_edit_words(a, id, &w, changed, sizeof changed, &confirmed, &err);
	return change_end(r, a, id, rc, &err);
}

/* "a, b" to add, or one tag to remove (the button beside it): one call, as
 * `photovoice tag ID +a +b` or `-c`. */
static size_t tag_changes(struct pv_req *r, char ***out)
{
	const char *add = pv_form_get(r, "tags"), *remove = pv_form_get(r, "remove");
	size_t n = 0, cap = 4;
	char **changes = calloc(cap, sizeof *changes);
	if (!changes)
		abort();
	if (remove && asprintf(&changes[n++], "-%s", remove) < 0)
		abort();
	char *list = pv_strdup(add ? add : ""), *save = NULL;
	for (char *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		if (!*pv_trim(t))
			continue;
		if (n == cap && !(changes = realloc(changes, (cap *= 2) * sizeof *changes)))
			abort();
		if (asprintf(&changes[n++], "+%s", t) < 0)
			abort();
	}
	free(list);
	*out = changes;
	return n;
}

enum MHD_Result pv_page_entry_tags(struct pv_req *r)
{
	int64_t id;
	struct pv_archive *a = change_start(r, &id);
	if (!a)
		return MHD_YES;
	char **changes;
	size_t n = tag_changes(r, &changes);
	struct pv_err err = {0};
	int rc = n ? pv_store_tag_entries(a, &id, 1, changes, n, &err)
		   : pv_fail_text(&err, PV_ERR_INPUT, _("Fill in a tag."));
	for (size_t i = 0; i < n; i++)
		free(changes[i]);
	free(changes);
	return change_end(r, a, id, rc, &err);
}

enum MHD_Result pv_page_entry_consent(struct pv_req *r)
{
	int64_t id;
	struct pv_archive *a = change_start(r, &id);
	if (!a)
		return MHD_YES;
	struct pv_err err = {0};
	const char *scope = pv_form_get(r, "consent"), *guardian = pv_form_get(r, "guardian");
	int c = scope ? pv_consent_parse(scope) : -1;
	int g = !guardian || !*guardian ? PV_GUARDIAN_KEEP
		: strcmp(guardian, "unknown") == 0 ? PV_GUARDIAN_UNKNOWN : pv_yes_no_parse(guardian);
	int rc;
	if (c < 0)
		rc = pv_fail_text(&err, PV_ERR_INPUT, _("Choose who may see the photo: none, "
							"internal, poster or public."));
	else if (g < PV_GUARDIAN_KEEP)
		rc = pv_fail_text(&err, PV_ERR_INPUT, _("For parent or guardian, choose yes, no or not asked."));
	else
		rc = pv_store_set_consent(a, id, (enum pv_consent)c, g, pv_form_get(r, "until"),
					  &err);
	return change_end(r, a, id, rc, &err);
}

enum MHD_Result pv_page_entry_reviewed(struct pv_req *r)
{
	int64_t id;
	struct pv_archive *a = change_start(r, &id);
	if (!a)
		return MHD_YES;
	struct pv_err err = {0};
	int rc = pv_store_mark_reviewed(a, id, &err);
	return change_end(r, a, id, rc, &err);
}

/* ---- erasure: a confirmation that names what goes, then the report ---- */

enum MHD_Result pv_page_entry_forget_ask(struct pv_req *r)
{
	r->nav = "entries";
	int64_t id = pv_web_id(r->args[0]);
	struct pv_err err = {0};
	struct pv_archive *cat = pv_web_catalogue(r, &err);
	struct entry_page p;
	if (!id)
		return no_entry(r);
	if (!cat)
		return pv_send_err(r, &err);
	if (read_entry_page(cat, id, &p, &err) != 0) {
		entry_page_free(&p);
		return err.kind == PV_ERR_NOT_FOUND ? no_entry(r) : pv_send_err(r, &err);
	}
	if (r->wants_json) {
		enum MHD_Result ret = entry_json(r, &p);
		entry_page_free(&p);
		return ret;
	}
	struct pv_buf b = {0};
	pv_buf_addf(&b, "<h1>%s</h1>\n<div class=\"entry\">\n<img class=\"preview\" "
		    "src=\"/media/%lld/thumb\" alt=\"\"", _("Erase photo"), (long long)id);
	pv_buf_add_img_size(&b, p.e.width, p.e.height, PV_THUMB_EDGE, PV_THUMB_EDGE);
	pv_buf_add(&b, ">\n<div>\n<p><strong>");
	entry_title(&b, &p.e);
	pv_buf_addf(&b, "</strong></p>\n<p>%s</p>\n<ul>\n<li>%s</li>\n<li>%s</li>\n<li>%s (%zu)</li>\n"
		    "<li>%s</li>\n</ul>\n<p>%s</p>\n",
		    _("This is erased for good, with no copy to bring back:"),
		    _("the photo, its thumbnail and its preview"),
		    _("the title, caption, story and tags"),
		    _("earlier versions of the words"),
		    p.h.count,
		    _("copies still in the drop folder or its quarantine"),
		    _("The log keeps only that entry number so-and-so was erased."));
	if (p.bundles.nbundles)
		pv_buf_addf(&b, "<p class=\"note\">%s</p>\n",
			    _("This photo is in bundles made earlier (below). We do not erase "
			      "those: withdraw them yourself."));
	entry_bundles(&b, &p.bundles);
	pv_buf_addf(&b, "</div>\n</div>\n<form method=\"post\" action=\"/entries/%lld/forget\">\n",
		    (long long)id);
	pv_web_csrf_field(&b, r);
	pv_buf_addf(&b, "<button type=\"submit\" class=\"danger\">%s</button>\n</form>\n"
		    "<p><a href=\"/entries/%lld\">%s</a></p>\n",
		    _("Yes, erase for good"), (long long)id,
		    _("No, go back"));
	entry_page_free(&p);
	return pv_send_page(r, MHD_HTTP_OK, _("Erase photo"), &b);
}

static void forget_report_html(struct pv_buf *b, const struct pv_forget_report *rep, int64_t id)
{
	pv_buf_addf(b, "<h1>%s</h1>\n<p role=\"status\">", _("Erased"));
	pv_buf_addf(b, _("Entry %lld is erased, with everything that belonged to it."),
		    (long long)id);
	pv_buf_add(b, "</p>\n");
	if (rep->nbundles) {
		pv_buf_addf(b, "<p class=\"note\">%s</p>\n",
			    _("These bundles were made with this photo earlier; withdraw them "
			      "and their copies:"));
		entry_bundles(b, rep);
	}
	if (rep->ncopies_kept || rep->copies_failed || rep->files_failed)
		pv_buf_addf(b, "<p class=\"error\">%s</p>\n",
			    _("Not everything could be removed: ask the administrator to run "
			      "`photovoice forget` on the computer and see what is left."));
	pv_buf_addf(b, "<p><a href=\"/entries\">%s</a></p>\n",
		    _("To the catalogue"));
}

enum MHD_Result pv_page_entry_forget(struct pv_req *r)
{
	r->nav = "entries";
	int64_t id;
	struct pv_archive *a = change_start(r, &id);
	if (!a)
		return MHD_YES;
	struct pv_forget_report rep;
	struct pv_err err = {0};
	int rc = pv_forget(a, &id, 1, NULL, &rep, &err);
	pv_archive_close(a);
	pv_media_cache_clear();   /* its thumbnail's bytes too, at once */
	if (rc != 0)
		return err.kind == PV_ERR_NOT_FOUND ? no_entry(r) : pv_send_err(r, &err);
	enum MHD_Result ret;
	if (r->wants_json) {
		ret = pv_send_json(r, MHD_HTTP_OK, pv_forget_report_json(&rep));
	} else {
		struct pv_buf b = {0};
		forget_report_html(&b, &rep, id);
		ret = pv_send_page(r, MHD_HTTP_OK, _("Erased"), &b);
	}
	pv_forget_report_free(&rep);
	return ret;
}

/* ---- GET /media/ID/thumb, /media/ID/preview ---- */

/* Only an entry's derived files, found by its number: a path never names a
 * file of the archive folder. */
enum MHD_Result pv_page_media(struct pv_req *r)
{
	int64_t id = pv_web_id(r->args[0]);
	const char *kind = r->args[1];
	struct pv_err err = {0};
	char sha[65];
	struct pv_archive *cat = pv_web_catalogue(r, &err);
	if (!cat)
		return pv_send_err(r, &err);
	if (!id || (strcmp(kind, "thumb") != 0 && strcmp(kind, "preview") != 0) ||
	    pv_store_photo_sha(cat, id, sha, &err) != 0)
		return err.kind && err.kind != PV_ERR_NOT_FOUND ? pv_send_err(r, &err)
			: pv_send_error(r, MHD_HTTP_NOT_FOUND, _("There is no such photo."));
	char *path = pv_archive_derived_path(cat, sha, kind);
	enum MHD_Result ret = pv_send_file(r, path, "image/jpeg", 1);
	free(path);
	return ret;
}
