/*
 * The staff workspace's shared pieces: the catalogue for writing under the
 * staff member's name, ids and query strings read safely, the consent badge,
 * and the forms of one entry that /entries/ID and /review both show. Every
 * rule stays in the library; these only ask and render.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "photovoice/util.h"
#include "web_internal.h"

struct pv_archive *pv_web_writer(struct pv_req *r, struct pv_err *err)
{
	struct pv_archive *a = pv_archive_open(r->web->archive_dir, PV_OPEN_WRITE_NOWAIT, err);
	if (a)
		pv_archive_set_actor(a, r->staff_name);
	return a;
}

int64_t pv_web_id(const char *s)
{
	if (!s || !*s || strlen(s) > 18 || s[strspn(s, "0123456789")] || *s == '0')
		return 0;
	return strtoll(s, NULL, 10);
}

const char *pv_web_arg(struct pv_req *r, const char *name, int *bad)
{
	const char *v = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
	if (v && !pv_utf8_valid(v, strlen(v)))
		*bad = -1;
	return v && *v ? v : NULL;
}

void pv_web_csrf_field(struct pv_buf *b, const struct pv_req *r)
{
	char csrf[65];
	pv_auth_csrf(r, csrf);
	pv_buf_addf(b, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n", csrf);
}

const char *pv_web_consent_word(enum pv_consent c)
{
	switch (c) {
	case PV_CONSENT_NONE: return _("nobody");
	case PV_CONSENT_INTERNAL: return _("internal");
	case PV_CONSENT_POSTER: return _("poster");
	case PV_CONSENT_PUBLIC: return _("public");
	}
	return "?";
}

void pv_web_consent_badge(struct pv_buf *b, const struct pv_entry *e,
			  const char *today)
{
	enum pv_consent now = pv_entry_effective_consent(e, today);
	pv_buf_addf(b, "<span class=\"badge c-%s\">%s</span>", pv_consent_name(now),
		    pv_web_consent_word(now));
	switch (pv_entry_consent_limit(e, today)) {
	case PV_LIMIT_EXPIRED:
		pv_buf_addf(b, " <span class=\"why\">%s ", _("consent for"));
		pv_buf_add(b, pv_web_consent_word(e->consent));
		pv_buf_addf(b, " %s ", _("ended on"));
		pv_buf_add_html(b, e->consent_until);
		pv_buf_add(b, "</span>");
		break;
	case PV_LIMIT_GUARDIAN:
		pv_buf_addf(b, " <span class=\"why\">%s ", _("stated:"));
		pv_buf_add(b, pv_web_consent_word(e->consent));
		pv_buf_addf(b, "; %s</span>", _("under 16 and no yes from a parent yet"));
		break;
	default:
		break;
	}
	if (pv_entry_has_unconfirmed_words(e))
		pv_buf_addf(b, " <span class=\"why\">%s</span>",
			    _("words from inside the photo, not yet confirmed"));
}

static const char *removed_word(const char *group)
{
	static const struct { const char *group, *word; } words[] = {
		{ "location", N_("location (GPS)") },
		{ "device", N_("make, model and serial number of the device") },
		{ "people", N_("names of people") },
		{ "dates", N_("date and time") },
		{ "hidden", N_("hidden copies and thumbnails") },
		{ "software", N_("software used") },
	};
	for (size_t i = 0; i < sizeof words / sizeof *words; i++)
		if (strcmp(words[i].group, group) == 0)
			return _(words[i].word);
	return _("other data");
}

void pv_web_removed(struct pv_buf *b, const char *removed)
{
	pv_buf_addf(b, "<p class=\"removed\">%s ", _("Removed on arrival:"));
	if (!removed)
		pv_buf_add(b, _("not recorded (from before this version)."));
	else if (!*removed)
		pv_buf_add(b, _("there was nothing in it."));
	char *list = pv_strdup(removed ? removed : ""), *save = NULL;
	int first = 1;
	for (char *g = strtok_r(list, ",", &save); g; g = strtok_r(NULL, ",", &save), first = 0)
		pv_buf_addf(b, "%s%s", first ? "" : ", ", removed_word(g));
	free(list);
	pv_buf_add(b, "</p>\n");
}

/* Only the workspace's own pages: never a link to elsewhere. */
static int back_is_ours(const char *back)
{
	return back && (strcmp(back, "/review") == 0 || strcmp(back, "/entries") == 0);
}

enum MHD_Result pv_web_done(struct pv_req *r, int64_t id, const char *fallback)
{
	if (r->wants_json) {
		struct pv_err err = {0};
		struct pv_archive *cat = pv_web_catalogue(r, &err);
		struct pv_entry e;
		if (!cat || pv_store_get(cat, id, &e, &err) != 0)
			return pv_send_err(r, &err);
		json_t *o = pv_entry_json(&e);
		pv_entry_free(&e);
		return pv_send_json(r, MHD_HTTP_OK, o);
	}
	const char *back = pv_form_get(r, "back");
	if (back_is_ours(back)) {
		char to[64];
		snprintf(to, sizeof to, "%s#e%lld", back, (long long)id);
		return pv_send_redirect(r, to);
	}
	return pv_send_redirect(r, fallback);
}

void pv_web_entry_words(struct pv_buf *b, const struct pv_entry *e)
{
	if (e->caption) {
		pv_buf_add(b, "<p class=\"caption\">");
		pv_buf_add_html(b, e->caption);
		pv_buf_add(b, "</p>\n");
	}
	if (e->story) {
		pv_buf_add(b, "<div class=\"story\">");
		pv_buf_add_html(b, e->story);
		pv_buf_add(b, "</div>\n");
	}
	if (!e->caption && !e->story)
		pv_buf_addf(b, "<p class=\"hint\">%s</p>\n", _("No caption and no story."));
}

/* ---- the forms of one entry ---- */

static void form_open(struct pv_buf *b, const struct pv_req *r, const struct pv_entry *e,
		      const char *what, const char *back)
{
	pv_buf_addf(b, "<form method=\"post\" action=\"/entries/%lld/%s\" class=\"%s\">\n",
		    (long long)e->id, what, what);
	pv_web_csrf_field(b, r);
	if (back)
		pv_buf_addf(b, "<input type=\"hidden\" name=\"back\" value=\"%s\">\n", back);
}

static void text_input(struct pv_buf *b, const struct pv_entry *e, const char *name,
		       const char *label, const char *value, int rows)
{
	pv_buf_addf(b, "<div class=\"field\"><label for=\"%s-%lld\">%s</label>\n", name,
		    (long long)e->id, label);
	if (rows)
		pv_buf_addf(b, "<textarea id=\"%s-%lld\" name=\"%s\" rows=\"%d\">", name,
			    (long long)e->id, name, rows);
	else
		pv_buf_addf(b, "<input type=\"text\" id=\"%s-%lld\" name=\"%s\" value=\"", name,
			    (long long)e->id, name);
	pv_buf_add_html(b, value ? value : "");
	pv_buf_add(b, rows ? "</textarea></div>\n" : "\"></div>\n");
}

static void words_form(struct pv_buf *b, const struct pv_req *r, const struct pv_entry *e,
		       const char *back)
{
	form_open(b, r, e, "words", back);
	pv_buf_addf(b, "<fieldset><legend>%s</legend>\n", _("Words"));
	text_input(b, e, "title", _("Title"), e->title, 0);
	text_input(b, e, "caption", _("Caption"), e->caption, 2);
	text_input(b, e, "story", _("Story"), e->story, 6);
	if (pv_entry_has_unconfirmed_words(e))
		pv_buf_addf(b, "<div class=\"check\"><input type=\"checkbox\" name=\"confirm\" "
			    "value=\"yes\" id=\"confirm-%lld\"><label for=\"confirm-%lld\">%s</label>"
			    "</div>\n", (long long)e->id, (long long)e->id,
			    _("These words come from inside the photo; I have checked them and "
			      "they may stand."));
	pv_buf_addf(b, "<p class=\"hint\">%s</p>\n<button type=\"submit\" class=\"secondary\">%s"
		    "</button>\n</fieldset>\n</form>\n",
		    _("What was there before is kept in the history."),
		    _("Save words"));
}

static void tags_form(struct pv_buf *b, const struct pv_req *r, const struct pv_entry *e,
		      const char *back)
{
	pv_buf_addf(b, "<div class=\"tags\"><h3>%s</h3>\n<ul class=\"taglist\">\n",
		    _("Tags"));
	for (size_t i = 0; i < e->ntags; i++) {
		pv_buf_add(b, "<li>");
		form_open(b, r, e, "tags", back);
		pv_buf_add(b, "<input type=\"hidden\" name=\"remove\" value=\"");
		pv_buf_add_html(b, e->tags[i]);
		pv_buf_add(b, "\"><span>");
		pv_buf_add_html(b, e->tags[i]);
		pv_buf_addf(b, "</span> <button type=\"submit\" class=\"small\" aria-label=\"%s ",
			    _("Remove tag"));
		pv_buf_add_html(b, e->tags[i]);
		pv_buf_add(b, "\">×</button>\n</form></li>\n");
	}
	if (!e->ntags)
		pv_buf_addf(b, "<li class=\"hint\">%s</li>\n", _("None yet."));
	pv_buf_add(b, "</ul>\n");
	form_open(b, r, e, "tags", back);
	pv_buf_addf(b, "<div class=\"field inline\"><label for=\"tags-%lld\">%s</label>\n"
		    "<input type=\"text\" id=\"tags-%lld\" name=\"tags\" aria-describedby=\""
		    "tags-hint-%lld\">\n<button type=\"submit\" class=\"secondary\">%s</button></div>\n"
		    "<p class=\"hint\" id=\"tags-hint-%lld\">%s</p>\n</form>\n</div>\n",
		    (long long)e->id, _("Add tags"), (long long)e->id,
		    (long long)e->id, _("Add"), (long long)e->id,
		    _("More than one? Put a comma between them."));
}

static void option(struct pv_buf *b, const char *value, const char *label, int selected)
{
	pv_buf_addf(b, "<option value=\"%s\"%s>%s</option>\n", value,
		    selected ? " selected" : "", label);
}

static void consent_form(struct pv_buf *b, const struct pv_req *r, const struct pv_entry *e,
			 const char *back)
{
	long long id = (long long)e->id;
	form_open(b, r, e, "consent", back);
	pv_buf_addf(b, "<fieldset><legend>%s</legend>\n<div class=\"fields\">\n"
		    "<div class=\"field\"><label for=\"consent-%lld\">%s</label>\n"
		    "<select id=\"consent-%lld\" name=\"consent\">\n",
		    _("Record consent"), id,
		    _("Who may see the photo"), id);
	for (int c = PV_CONSENT_NONE; c <= PV_CONSENT_PUBLIC; c++)
		option(b, pv_consent_name((enum pv_consent)c),
		       pv_web_consent_word((enum pv_consent)c), (int)e->consent == c);
	pv_buf_addf(b, "</select></div>\n<div class=\"field\"><label for=\"guardian-%lld\">%s"
		    "</label>\n<select id=\"guardian-%lld\" name=\"guardian\">\n", id,
		    _("Parent or guardian"), id);
	option(b, "unknown", _("not asked"),
	       e->guardian == PV_GUARDIAN_UNKNOWN);
	option(b, "yes", _("yes, agreed"), e->guardian == PV_GUARDIAN_YES);
	option(b, "no", _("no"), e->guardian == PV_GUARDIAN_NO);
	pv_buf_addf(b, "</select></div>\n<div class=\"field\"><label for=\"until-%lld\">%s</label>\n"
		    "<input type=\"date\" id=\"until-%lld\" name=\"until\" value=\"", id,
		    _("Valid through (empty: no end date)"), id);
	pv_buf_add_html(b, e->consent_until ? e->consent_until : "");
	pv_buf_addf(b, "\"></div>\n</div>\n");
	if (e->under16)
		pv_buf_addf(b, "<p class=\"note\">%s</p>\n",
			    _("This participant is under 16: a poster or public use also needs "
			      "a parent's or guardian's yes."));
	pv_buf_addf(b, "<button type=\"submit\" class=\"secondary\">%s</button>\n</fieldset>\n"
		    "</form>\n", _("Save consent"));
}

void pv_web_entry_forms(struct pv_buf *b, const struct pv_req *r, const struct pv_entry *e,
			const char *back)
{
	consent_form(b, r, e, back);
	tags_form(b, r, e, back);
	words_form(b, r, e, back);
}

/* ---- links ---- */

static void add_query_value(struct pv_buf *b, const char *v)
{
	for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-_.~", *p))
			pv_buf_addf(b, "%c", *p);
		else
			pv_buf_addf(b, "%%%02X", *p);
	}
}

void pv_web_grid_link(struct pv_buf *b, struct pv_req *r, size_t page)
{
	static const char *const keys[] = { "q", "tag", "participant", "consent" };
	const char *sep = "?";
	pv_buf_add(b, "/entries");
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
		int bad = 0;
		const char *v = pv_web_arg(r, keys[i], &bad);
		if (!v || bad)
			continue;
		pv_buf_addf(b, "%s%s=", sep, keys[i]);
		add_query_value(b, v);   /* percent-encoded: nothing to escape for HTML */
		sep = "&amp;";
	}
	if (page > 1)
		pv_buf_addf(b, "%spage=%zu", sep, page);
}

void pv_web_pager(struct pv_buf *b, struct pv_req *r, size_t page, size_t pages,
		  void (*link)(struct pv_buf *b, struct pv_req *r, size_t page))
{
	if (pages <= 1)
		return;
	pv_buf_addf(b, "<nav class=\"pager\" aria-label=\"%s\">\n", _("Pages"));
	if (page > 1) {
		pv_buf_add(b, "<a rel=\"prev\" href=\"");
		link(b, r, page - 1);
		pv_buf_addf(b, "\">%s</a>\n", _("Previous"));
	}
	pv_buf_add(b, "<span>");
	pv_buf_addf(b, _("Page %zu of %zu"), page, pages);
	pv_buf_add(b, "</span>\n");
	if (page < pages) {
		pv_buf_add(b, "<a rel=\"next\" href=\"");
		link(b, r, page + 1);
		pv_buf_addf(b, "\">%s</a>\n", _("Next"));
	}
	pv_buf_add(b, "</nav>\n");
}
