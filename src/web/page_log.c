/*
 * The workspace's lists across the catalogue: GET /log (the audit trail, as
 * `photovoice log`), GET and POST /tags (every tag with its count; rename
 * and merge, as `photovoice tags`), GET and POST /participants (credit line
 * and under-16 mark, as `photovoice participants`).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "photovoice/util.h"
#include "web_internal.h"

/* ---- GET /log ---- */

static void log_table(struct pv_buf *b, const struct pv_log_events *l)
{
	pv_buf_addf(b, "<table class=\"log\">\n<thead><tr><th scope=\"col\">%s</th>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s"
		    "</th></tr></thead>\n<tbody>\n", _("When (UTC)"), _("Who"), _("What"),
		    C_("log column", "Details"));
	for (size_t i = l->count; i-- > 0;) {
		const struct pv_log_event *e = &l->items[i];
		/* the stored detail is English (log --json keeps it); the page
		   says it in the reader's language, as `photovoice log` does */
		char *detail = pv_log_detail_text(e->action, e->detail);
		const char *cells[] = { e->at, e->actor ? e->actor : "-", e->action,
					detail ? detail : "" };
		pv_buf_add(b, "<tr>");
		for (size_t c = 0; c < 4; c++) {
			pv_buf_add(b, "<td>");
			pv_buf_add_html(b, cells[c]);
			pv_buf_add(b, "</td>");
		}
		pv_buf_add(b, "</tr>\n");
		free(detail);
	}
	pv_buf_add(b, "</tbody>\n</table>\n");
}

/* A page of the log's address: the first is /log itself. */
static void log_link(struct pv_buf *b, struct pv_req *r, size_t page)
{
	(void)r;
	if (page > 1)
		pv_buf_addf(b, "/log?page=%zu", page);
	else
		pv_buf_add(b, "/log");
}

/* The HTML shows the newest PV_LOG_PER_PAGE events a page (a log of years
 * is not one page); JSON gives the whole log, as `photovoice log --json`. */
static enum MHD_Result log_page_html(struct pv_req *r, struct pv_archive *cat)
{
	int bad = 0;
	const char *arg = pv_web_arg(r, "page", &bad);
	size_t page = arg ? (size_t)pv_web_id(arg) : 1;
	if (bad || !page)
		return pv_send_error(r, MHD_HTTP_BAD_REQUEST, _("There is no such page number."));
	struct pv_err err = {0};
	struct pv_log_events l;
	size_t total;
	if (pv_store_log_read_page(cat, page, PV_LOG_PER_PAGE, &l, &total, &err) != 0)
		return pv_send_err(r, &err);
	size_t pages = total ? (total + PV_LOG_PER_PAGE - 1) / PV_LOG_PER_PAGE : 1;
	if (page > pages) {
		pv_log_events_free(&l);
		return pv_send_error(r, MHD_HTTP_NOT_FOUND, _("There is no such page number."));
	}
	struct pv_buf b = {0};
	pv_buf_addf(&b, "<h1>%s</h1>\n<p>%s</p>\n", _("Log"),
		    _("Everything done with the archive, newest first, with who did it."));
	log_table(&b, &l);
	pv_web_pager(&b, r, page, pages, log_link);
	pv_log_events_free(&l);
	return pv_send_page(r, MHD_HTTP_OK, _("Log"), &b);
}

enum MHD_Result pv_page_log(struct pv_req *r)
{
	r->nav = "log";
	struct pv_err err = {0};
	struct pv_archive *cat = pv_web_catalogue(r, &err);
	if (!cat)
		return pv_send_err(r, &err);
	if (!r->wants_json)
		return log_page_html(r, cat);
	struct pv_log_events l;
	if (pv_store_log_read(cat, &l, &err) != 0)
		return pv_send_err(r, &err);
	json_t *o = pv_log_json(&l);
	pv_log_events_free(&l);
	return pv_send_json(r, MHD_HTTP_OK, o);
}

/* ---- /tags ---- */

static void tag_change_form(struct pv_buf *b, const struct pv_req *r)
{
	pv_buf_addf(b, "<h2>%s</h2>\n<form method=\"post\" action=\"/tags\" class=\"fields\">\n",
		    _("Rename or merge a tag"));
	pv_web_csrf_field(b, r);
	pv_buf_addf(b, "<div class=\"field\"><label for=\"from\">%s</label>\n<input type=\"text\" "
		    "id=\"from\" name=\"from\" required></div>\n<div class=\"field\"><label "
		    "for=\"to\">%s</label>\n<input type=\"text\" id=\"to\" name=\"to\" required></div>\n"
		    "<div class=\"field\"><label for=\"how\">%s</label>\n<select id=\"how\" name=\"how\">"
		    "\n<option value=\"rename\">%s</option>\n<option value=\"merge\">%s</option>\n"
		    "</select></div>\n<button type=\"submit\" class=\"secondary\">%s</button>\n</form>\n",
		    _("Tag"), _("Becomes"), _("How"),
		    _("rename (the new one does not exist yet)"),
		    _("merge into an existing tag"),
		    _("Apply"));
}

enum MHD_Result pv_page_tags(struct pv_req *r)
{
	r->nav = "tags";
	struct pv_err err = {0};
	struct pv_archive *cat = pv_web_catalogue(r, &err);
	struct pv_tag_counts c;
	if (!cat || pv_store_tag_counts(cat, &c, &err) != 0)
		return pv_send_err(r, &err);
	if (r->wants_json) {
		json_t *o = pv_tag_counts_json(&c);
		pv_tag_counts_free(&c);
		return pv_send_json(r, MHD_HTTP_OK, o);
	}
	struct pv_buf b = {0};
	pv_buf_addf(&b, "<h1>%s</h1>\n", _("Tags"));
	if (!c.count)
		pv_buf_addf(&b, "<p>%s</p>\n", _("No tags yet."));
	pv_buf_add(&b, "<ul class=\"tagcounts\">\n");
	for (size_t i = 0; i < c.count; i++) {
		pv_buf_add(&b, "<li><a href=\"/entries?tag=");
		for (const unsigned char *p = (const unsigned char *)c.items[i].tag; *p; p++)
			pv_buf_addf(&b, "%%%02X", *p);
		pv_buf_add(&b, "\">");
		pv_buf_add_html(&b, c.items[i].tag);
		pv_buf_addf(&b, "</a> <span class=\"n\">%lld</span></li>\n",
			    (long long)c.items[i].entries);
	}
	pv_buf_add(&b, "</ul>\n");
	tag_change_form(&b, r);
	pv_tag_counts_free(&c);
	return pv_send_page(r, MHD_HTTP_OK, _("Tags"), &b);
}

enum MHD_Result pv_page_tags_change(struct pv_req *r)
{
	const char *from = pv_form_get(r, "from"), *to = pv_form_get(r, "to");
	const char *how = pv_form_get(r, "how");
	int merge = how && strcmp(how, "merge") == 0;
	if (!from || !to || !*from || !*to || (how && !merge && strcmp(how, "rename") != 0))
		return pv_send_error(r, MHD_HTTP_UNPROCESSABLE_CONTENT,
				     _("Fill in both tags and choose rename or merge."));
	struct pv_err err = {0};
	struct pv_archive *a = pv_web_writer(r, &err);
	if (!a)
		return pv_send_err(r, &err);
	int64_t n = merge ? pv_store_tag_merge(a, from, to, &err)
			  : pv_store_tag_rename(a, from, to, &err);
	pv_archive_close(a);
	if (n < 0)
		return pv_send_err(r, &err);
	if (r->wants_json)
		return pv_send_json(r, MHD_HTTP_OK, json_pack("{s:s, s:s, s:s, s:I}", "how",
			merge ? "merge" : "rename", "from", from, "to", to, "entries", (json_int_t)n));
	return pv_send_redirect(r, "/tags");
}

/* ---- /participants ---- */

static void participant_row(struct pv_buf *b, const struct pv_req *r,
			    const struct pv_participant *p, size_t i)
{
	pv_buf_add(b, "<tr><th scope=\"row\">");
	pv_buf_add_html(b, p->code);
	/* each cell names its column too, shown only where a phone stacks the
	 * row (the head row is hidden there) */
	pv_buf_addf(b, "</th><td><span class=\"cell-label\">%s: </span>%lld</td><td>"
		    "<span class=\"cell-label\">%s: </span>%lld</td><td>\n<form method=\"post\" "
		    "action=\"/participants\" class=\"fields\">\n", _("Photos"),
		    (long long)p->entries, _("May go on a poster today"),
		    (long long)p->poster_today);
	pv_web_csrf_field(b, r);
	pv_buf_add(b, "<input type=\"hidden\" name=\"name\" value=\"");
	pv_buf_add_html(b, p->code);
	pv_buf_addf(b, "\">\n<div class=\"field\"><label for=\"credit-%zu\">%s</label>\n<input "
		    "type=\"text\" id=\"credit-%zu\" name=\"credit\" value=\"", i,
		    _("Credit line"), i);
	pv_buf_add_html(b, p->credit ? p->credit : "");
	pv_buf_addf(b, "\"></div>\n<div class=\"field\"><label for=\"u16-%zu\">%s</label>\n"
		    "<select id=\"u16-%zu\" name=\"under16\">\n<option value=\"\"%s>%s</option>\n"
		    "<option value=\"yes\"%s>%s</option>\n<option value=\"no\"%s>%s</option>\n"
		    "</select></div>\n<button type=\"submit\" class=\"secondary\">%s</button>\n"
		    "</form></td></tr>\n", i, _("Under 16"), i,
		    p->under16 < 0 ? " selected" : "", _("not said"),
		    p->under16 == 1 ? " selected" : "", _("yes"),
		    p->under16 == 0 ? " selected" : "", _("no"),
		    _("Save"));
}

enum MHD_Result pv_page_participants(struct pv_req *r)
{
	r->nav = "participants";
	struct pv_err err = {0};
	struct pv_archive *cat = pv_web_catalogue(r, &err);
	struct pv_participants ps;
	if (!cat || pv_store_participants(cat, &ps, &err) != 0)
		return pv_send_err(r, &err);
	if (r->wants_json) {
		json_t *o = pv_participants_json(&ps);
		pv_participants_free(&ps);
		return pv_send_json(r, MHD_HTTP_OK, o);
	}
	struct pv_buf b = {0};
	pv_buf_addf(&b, "<h1>%s</h1>\n<p>%s</p>\n<table class=\"people\">\n<thead><tr><th "
		    "scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th "
		    "scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
		    _("Participants"),
		    _("The credit line goes with their photos on posters. For someone under 16, "
		      "a poster also needs a parent's or guardian's yes."),
		    _("Code"), _("Photos"),
		    _("May go on a poster today"),
		    _("Details"));
	for (size_t i = 0; i < ps.count; i++)
		participant_row(&b, r, &ps.items[i], i);
	pv_buf_add(&b, "</tbody>\n</table>\n");
	pv_participants_free(&ps);
	return pv_send_page(r, MHD_HTTP_OK, _("Participants"), &b);
}

enum MHD_Result pv_page_participant_set(struct pv_req *r)
{
	const char *code = pv_form_get(r, "name"), *credit = pv_form_get(r, "credit");
	const char *u16 = pv_form_get(r, "under16");
	int under16 = !u16 || !*u16 ? -1 : pv_yes_no_parse(u16);
	if (!code || !*code || (u16 && *u16 && under16 < 0))
		return pv_send_error(r, MHD_HTTP_UNPROCESSABLE_CONTENT,
				     _("Choose a participant, and for under 16: yes or no."));
	struct pv_err err = {0};
	struct pv_archive *a = pv_web_writer(r, &err);
	if (!a)
		return pv_send_err(r, &err);
	int rc = pv_store_participant_set(a, code, credit, under16, &err);
	pv_archive_close(a);
	if (rc != 0)
		return pv_send_err(r, &err);
	if (r->wants_json)
		return pv_send_json(r, MHD_HTTP_OK, json_pack("{s:s, s:s?, s:o}", "code", code,
			"credit", credit && *credit ? credit : NULL,
			"under16", under16 < 0 ? json_null() : json_boolean(under16)));
	return pv_send_redirect(r, "/participants");
}
