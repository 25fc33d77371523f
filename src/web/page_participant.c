/*
 * The participant's pages, behind their personal link /i/TOKEN: the form to
 * send photos and words, the thank-you page, their own sendings (/mine) with
 * the cleaned thumbnails, and withdrawing consent. A link shows only its own
 * participant's photos. Dutch first; English when the browser asks for it.
 * Words are for a 12-year-old.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "photovoice/util.h"
#include "web_internal.h"

/* The four consent choices in plain words (a participant may be 12); the
 * values are the catalogue's. */
struct consent_choice {
	const char *value;
	const char *label, *hint;
};

static const struct consent_choice choices[] = {
	{ "none", N_("Nobody"), N_("We keep your photo, but show it to nobody.") },
	{ "internal", N_("Only the staff"), N_("Only the people who work with you may see it.") },
	{ "poster", N_("Also on a poster"), N_("Your photo may be on a poster or in an exhibition.") },
	{ "public", N_("Everyone, also online"),
	  N_("Your photo may go anywhere, also on a website or in a newspaper.") },
};

static const struct consent_choice *choice_of(enum pv_consent c)
{
	return &choices[c <= PV_CONSENT_PUBLIC ? c : PV_CONSENT_NONE];
}

static void link_to(struct pv_buf *b, const struct pv_req *r, const char *rest)
{
	pv_buf_add(b, "/i/");
	pv_buf_add_html(b, r->args[0]);
	pv_buf_add(b, rest);
}

static void csrf_field(struct pv_buf *b, const struct pv_req *r)
{
	char csrf[65];
	pv_auth_csrf(r, csrf);
	pv_buf_addf(b, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n", csrf);
}

static void text_field(struct pv_buf *b, const char *name, const char *label,
		       const char *hint, int multiline, int max)
{
	pv_buf_addf(b, "<div class=\"field\">\n<label for=\"%s\">%s</label>\n", name, label);
	if (hint)
		pv_buf_addf(b, "<p class=\"hint\" id=\"%s-hint\">%s</p>\n", name, hint);
	if (multiline)
		pv_buf_addf(b, "<textarea id=\"%s\" name=\"%s\" rows=\"%d\" maxlength=\"%d\"%s%s%s>"
			    "</textarea>\n", name, name, max > 2000 ? 8 : 3, max,
			    hint ? " aria-describedby=\"" : "", hint ? name : "", hint ? "-hint\"" : "");
	else
		pv_buf_addf(b, "<input type=\"text\" id=\"%s\" name=\"%s\" maxlength=\"%d\" "
			    "autocomplete=\"off\">\n", name, name, max);
	pv_buf_add(b, "</div>\n");
}

static void consent_fieldset(struct pv_buf *b, const struct pv_req *r)
{
	pv_buf_addf(b, "<fieldset class=\"consent\">\n<legend>%s</legend>\n",
		    _("Who may see your photo?"));
	for (size_t i = 0; i < sizeof choices / sizeof *choices; i++) {
		const struct consent_choice *c = &choices[i];
		pv_buf_addf(b, "<div class=\"choice\"><input type=\"radio\" name=\"consent\" "
			    "id=\"consent-%s\" value=\"%s\" required aria-describedby=\"consent-%s-hint\">"
			    "\n<label for=\"consent-%s\">%s</label>\n<p class=\"hint\" "
			    "id=\"consent-%s-hint\">%s</p></div>\n", c->value, c->value, c->value,
			    c->value, _(c->label), c->value, _(c->hint));
	}
	if (r->invite.under16)
		pv_buf_addf(b, "<p class=\"note\">%s</p>\n",
			    _("You are under 16. For a poster or online, your parent or "
			      "guardian must say yes too. The staff will arrange that with you."));
	pv_buf_add(b, "</fieldset>\n");
}

enum MHD_Result pv_page_participant(struct pv_req *r)
{
	struct pv_buf b = {0};
	pv_buf_addf(&b, "<h1>%s</h1>\n<p>%s</p>\n",
		    _("Send your photo"),
		    _("Choose a photo, tell us what you see, and choose who may see it. "
		      "Everything your phone secretly puts into the photo, such as where it was "
		      "taken, we take out."));
	pv_buf_add(&b, "<form method=\"post\" enctype=\"multipart/form-data\" action=\"");
	link_to(&b, r, "\">\n");
	csrf_field(&b, r);
	pv_buf_addf(&b, "<div class=\"field\">\n<label for=\"photo\">%s</label>\n"
		    "<input type=\"file\" id=\"photo\" name=\"photo\" accept=\"image/*\" multiple "
		    "required data-too-big=\"", _("Your photos"));
	/* what the script (assets.c) says, in the page's language */
	pv_buf_add_html(&b, _("This photo is too large: at most 30 MB a photo."));
	pv_buf_add(&b, "\">\n</div>\n");
	text_field(&b, "title", _("Title"), NULL, 0, 200);
	text_field(&b, "caption", _("Caption (one or two sentences)"), NULL, 1, 1000);
	text_field(&b, "story", _("Your story"),
		   _("If you like: What do you see here? What is really happening? How does it "
		     "relate to your life? Why does it exist? What can we do about it?"),
		   1, 20000);
	consent_fieldset(&b, r);
	pv_buf_add(&b, "<button type=\"submit\" data-busy=\"");
	pv_buf_add_html(&b, _("Sending…"));
	pv_buf_addf(&b, "\">%s</button>\n</form>\n<p><a href=\"", _("Send"));
	link_to(&b, r, "/mine\">");
	pv_buf_addf(&b, "%s</a></p>\n", _("See what you have sent"));
	enum MHD_Result ret = pv_send_html(r, MHD_HTTP_OK, _("Send your photo"), &b);
	pv_buf_free(&b);
	return ret;
}

static enum MHD_Result answer_sent(struct pv_req *r, const struct pv_handin_result *res,
				   int rc, const struct pv_err *err)
{
	if (r->wants_json) {
		json_t *o = json_pack("{s:i, s:i}", "taken", (int)res->taken, "set_aside",
				      (int)res->set_aside);
		if (rc != 0)
			json_object_set_new(o, "error", json_string(err->msg));
		return pv_send_json(r, rc == 0 ? MHD_HTTP_CREATED : pv_status_of(err->kind), o);
	}
	if (rc == 0) {
		struct pv_buf to = {0};
		link_to(&to, r, "/thanks");
		enum MHD_Result ret = pv_send_redirect(r, to.data);
		pv_buf_free(&to);
		return ret;
	}
	if (rc > 0)   /* the library's sentence: what was set aside, and what came */
		return pv_send_error(r, MHD_HTTP_UNPROCESSABLE_CONTENT, err->msg);
	return pv_send_err(r, err);
}

enum MHD_Result pv_page_participant_send(struct pv_req *r)
{
	struct pv_handin_words w = { .title = pv_form_get(r, "title"),
				     .caption = pv_form_get(r, "caption"),
				     .story = pv_form_get(r, "story"),
				     .consent = pv_form_get(r, "consent") };
	struct pv_err err = {0};
	/* the library refuses words without a consent and a sending without a
	 * photo, in the page's language; the photos count against the link's
	 * day only when there are some */
	if (pv_handin_check_words(&w, &err) != 0)
		return pv_send_err(r, &err);
	if (r->form.nphotos && pv_auth_rate_link(r, (unsigned)r->form.nphotos) != 0)
		return MHD_YES;
	struct pv_handin_result res;
	int rc = pv_handin_place(r->web->drop_dir, r->invite.participant, &w, r->form.photos,
				 r->form.nphotos, &res, &err);
	return answer_sent(r, &res, rc, &err);
}

enum MHD_Result pv_page_participant_thanks(struct pv_req *r)
{
	struct pv_buf b = {0};
	pv_buf_addf(&b, "<h1>%s</h1>\n<p>%s</p>\n<p><a href=\"",
		    _("Thank you!"),
		    _("Your photo has arrived safely. In a moment we take out what your phone "
		      "put into it, and then it is with your photos."));
	link_to(&b, r, "/mine\">");
	pv_buf_addf(&b, "%s</a></p>\n<p><a href=\"", _("See your photos"));
	link_to(&b, r, "\">");
	pv_buf_addf(&b, "%s</a></p>\n", _("Send another photo"));
	enum MHD_Result ret = pv_send_html(r, MHD_HTTP_OK, _("Thank you"),
					   &b);
	pv_buf_free(&b);
	return ret;
}

/* ---- /mine ---- */

/* Sendings in the drop folder that ingest has not taken yet. */
static unsigned waiting_in_drop(const struct pv_req *r)
{
	char *folder = pv_path_join(r->web->drop_dir, r->invite.participant);
	DIR *d = opendir(folder);
	unsigned n = 0;
	struct dirent *de;
	while (d && (de = readdir(d)) != NULL)
		if (strncmp(de->d_name, "web-", 4) == 0 && !strstr(de->d_name, ".json"))
			n++;
	if (d)
		closedir(d);
	free(folder);
	return n;
}

static const char *removed_word(const char *group)
{
	static const struct { const char *group, *word; } words[] = {
		{ "location", N_("where it was taken") },
		{ "device", N_("the make and model of the phone") },
		{ "people", N_("names") },
		{ "dates", N_("date and time") },
		{ "hidden", N_("hidden copies of the photo") },
		{ "software", N_("the apps used") },
		{ "other", N_("other data") },
	};
	for (size_t i = 0; i < sizeof words / sizeof *words; i++)
		if (strcmp(words[i].group, group) == 0)
			return _(words[i].word);
	return _("other data");
}

static void removed_line(struct pv_buf *b, const char *removed)
{
	if (!removed)
		return;
	pv_buf_addf(b, "<p class=\"removed\">%s ", _("Taken out:"));
	if (!*removed)
		pv_buf_add(b, _("there was nothing to take out."));
	char *list = pv_strdup(removed), *save = NULL;
	int first = 1;
	for (char *g = strtok_r(list, ",", &save); g; g = strtok_r(NULL, ",", &save), first = 0)
		pv_buf_addf(b, "%s%s", first ? "" : ", ", removed_word(g));
	free(list);
	pv_buf_add(b, "</p>\n");
}

static void withdraw_form(struct pv_buf *b, const struct pv_req *r, const struct pv_entry *e)
{
	pv_buf_add(b, "<form method=\"post\" class=\"withdraw\" action=\"");
	link_to(b, r, "/withdraw\">\n");
	csrf_field(b, r);
	pv_buf_addf(b, "<input type=\"hidden\" name=\"id\" value=\"%lld\">\n<button "
		    "type=\"submit\" class=\"secondary\">%s</button>\n</form>\n",
		    (long long)e->id, _("Nobody may see this photo any more"));
}

static void entry_card(struct pv_buf *b, const struct pv_req *r, const struct pv_entry *e)
{
	pv_buf_add(b, "<li class=\"card\">\n<img src=\"");
	link_to(b, r, "/photo/");
	pv_buf_addf(b, "%lld\" alt=\"", (long long)e->id);
	pv_buf_add_html(b, e->title && *e->title ? e->title : _("Your photo"));
	pv_buf_add(b, "\"");
	pv_buf_add_img_size(b, e->width, e->height, 320, 288);
	pv_buf_add(b, ">\n<div>\n<h2>");
	pv_buf_add_html(b, e->title && *e->title ? e->title : _("Untitled"));
	pv_buf_add(b, "</h2>\n");
	if (e->caption && *e->caption) {
		pv_buf_add(b, "<p>");
		pv_buf_add_html(b, e->caption);
		pv_buf_add(b, "</p>\n");
	}
	const struct consent_choice *c = choice_of(e->consent);
	pv_buf_addf(b, "<p class=\"consent-now\">%s <strong>%s</strong></p>\n",
		    _("Who may see it:"), _(c->label));
	removed_line(b, e->removed);
	if (e->consent != PV_CONSENT_NONE)
		withdraw_form(b, r, e);
	pv_buf_add(b, "</div>\n</li>\n");
}

static json_t *entry_json(const struct pv_entry *e)
{
	return json_pack("{s:I, s:s?, s:s?, s:s?, s:s, s:s?}", "id", (json_int_t)e->id,
			 "title", e->title, "caption", e->caption, "story", e->story,
			 "consent", pv_consent_name(e->consent), "removed", e->removed);
}

static enum MHD_Result mine_json(struct pv_req *r, const struct pv_entry_list *l,
				 unsigned waiting)
{
	json_t *items = json_array();
	for (size_t i = 0; i < l->count; i++)
		json_array_append_new(items, entry_json(&l->items[i]));
	return pv_send_json(r, MHD_HTTP_OK, json_pack("{s:o, s:i}", "entries", items,
						       "waiting", (int)waiting));
}

enum MHD_Result pv_page_participant_mine(struct pv_req *r)
{
	struct pv_err err = {0};
	struct pv_archive *cat = pv_web_catalogue(r, &err);
	struct pv_filter f = { .participant = r->invite.participant, .min_consent = -1,
			       .exact_consent = -1 };
	struct pv_entry_list l = {0};
	if (!cat || pv_store_list(cat, &f, &l, &err) != 0)
		return pv_send_err(r, &err);
	unsigned waiting = waiting_in_drop(r);
	if (r->wants_json) {
		enum MHD_Result ret = mine_json(r, &l, waiting);
		pv_entry_list_free(&l);
		return ret;
	}
	struct pv_buf b = {0};
	pv_buf_addf(&b, "<h1>%s</h1>\n", _("Your photos"));
	if (waiting)
		pv_buf_addf(&b, "<p class=\"note\">%s</p>\n",
			    _("We are still working on a photo you just sent."));
	if (!l.count && !waiting)
		pv_buf_addf(&b, "<p>%s</p>\n", _("You have not sent any photos yet."));
	pv_buf_add(&b, "<ul class=\"cards\">\n");
	for (size_t i = l.count; i-- > 0;)   /* newest first */
		entry_card(&b, r, &l.items[i]);
	pv_buf_add(&b, "</ul>\n<p><a href=\"");
	link_to(&b, r, "\">");
	pv_buf_addf(&b, "%s</a></p>\n", _("Send another photo"));
	pv_entry_list_free(&l);
	enum MHD_Result ret = pv_send_html(r, MHD_HTTP_OK, _("Your photos"),
					   &b);
	pv_buf_free(&b);
	return ret;
}

static int64_t entry_id_of(const char *s)
{
	char *end;
	long long id = s && *s ? strtoll(s, &end, 10) : 0;
	return s && *s && !*end && id > 0 ? id : 0;
}

/* Withdrawing asks once more first, on a page of its own (no JavaScript
 * needed): a button tapped by mistake must not take a photo away. Only
 * the participant's own photo gets the question; any other gets the 404
 * of a photo that is not there. */
static enum MHD_Result confirm_withdraw(struct pv_req *r, int64_t id)
{
	struct pv_err err = {0};
	struct pv_archive *cat = pv_web_catalogue(r, &err);
	char sha[65];
	if (!cat)
		return pv_send_err(r, &err);
	if (pv_store_photo_of(cat, id, r->invite.participant, sha, &err) != 0)
		return pv_send_error(r, MHD_HTTP_NOT_FOUND, _("There is no such photo."));
	if (r->wants_json)
		return pv_send_error(r, MHD_HTTP_UNPROCESSABLE_CONTENT,
				     _("Confirm it first: send confirm=yes with it."));
	struct pv_entry e = {0};
	int found = pv_store_get(cat, id, &e, &err) == 0;
	const char *title = found && e.title && *e.title ? e.title : NULL;
	struct pv_buf b = {0};
	pv_buf_addf(&b, "<h1>%s</h1>\n<img class=\"confirm-photo\" src=\"",
		    _("Are you sure?"));
	link_to(&b, r, "/photo/");
	pv_buf_addf(&b, "%lld\" alt=\"", (long long)id);
	pv_buf_add_html(&b, title ? title : _("Your photo"));
	pv_buf_add(&b, "\"");
	pv_buf_add_img_size(&b, found ? e.width : 0, found ? e.height : 0, 160, 160);
	pv_buf_add(&b, ">\n");
	if (title) {
		pv_buf_add(&b, "<h2>");
		pv_buf_add_html(&b, title);
		pv_buf_add(&b, "</h2>\n");
	}
	pv_buf_addf(&b, "<p>%s</p>\n<form method=\"post\" class=\"withdraw\" action=\"",
		    _("Then nobody may see this photo any more. We do keep it. If you change "
		      "your mind later, ask the staff."));
	link_to(&b, r, "/withdraw\">\n");
	csrf_field(&b, r);
	pv_buf_addf(&b, "<input type=\"hidden\" name=\"id\" value=\"%lld\">\n<input "
		    "type=\"hidden\" name=\"confirm\" value=\"yes\">\n<button type=\"submit\">"
		    "%s</button>\n</form>\n<p><a href=\"", (long long)id,
		    _("Yes, nobody may see it any more"));
	link_to(&b, r, "/mine\">");
	pv_buf_addf(&b, "%s</a></p>\n", _("No, back to my photos"));
	pv_entry_free(&e);
	enum MHD_Result ret = pv_send_html(r, MHD_HTTP_OK, _("Are you sure?"), &b);
	pv_buf_free(&b);
	return ret;
}

enum MHD_Result pv_page_participant_withdraw(struct pv_req *r)
{
	int64_t id = entry_id_of(pv_form_get(r, "id"));
	const char *confirm = pv_form_get(r, "confirm");
	if (id && !(confirm && strcmp(confirm, "yes") == 0))
		return confirm_withdraw(r, id);
	struct pv_err err = {0};
	struct pv_archive *a = id ? pv_archive_open(r->web->archive_dir, PV_OPEN_WRITE_NOWAIT,
						   &err)
				  : NULL;
	if (!id)
		return pv_send_error(r, MHD_HTTP_NOT_FOUND, _("There is no such photo."));
	if (!a)
		return pv_send_err(r, &err);
	char actor[PV_MAX_CODE_BYTES + 32];
	snprintf(actor, sizeof actor, "participant %s (own link)", r->invite.participant);
	pv_archive_set_actor(a, actor);
	int rc = pv_store_withdraw(a, id, r->invite.participant, &err);
	pv_archive_close(a);
	if (rc != 0)
		return pv_send_err(r, &err);
	if (r->wants_json)
		return pv_send_json(r, MHD_HTTP_OK, json_pack("{s:I, s:s}", "id", (json_int_t)id,
							      "consent", "none"));
	struct pv_buf to = {0};
	link_to(&to, r, "/mine");
	enum MHD_Result ret = pv_send_redirect(r, to.data);
	pv_buf_free(&to);
	return ret;
}

/* The cleaned thumbnail of one of the participant's own entries; someone
 * else's photo and no photo look the same. */
enum MHD_Result pv_page_participant_photo(struct pv_req *r)
{
	int64_t id = entry_id_of(r->args[1]);
	struct pv_err err = {0};
	struct pv_archive *cat = pv_web_catalogue(r, &err);
	if (!cat)
		return pv_send_err(r, &err);
	char sha[65];
	if (!id || pv_store_photo_of(cat, id, r->invite.participant, sha, &err) != 0)
		return pv_send_error(r, MHD_HTTP_NOT_FOUND, _("There is no such photo."));
	char *path = pv_archive_derived_path(cat, sha, "thumb");
	enum MHD_Result ret = pv_send_file(r, path, "image/jpeg", 1);
	free(path);
	return ret;
}
