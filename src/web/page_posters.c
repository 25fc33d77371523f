/*
 * The poster builder (GET /posters/new), its live preview (POST
 * /posters/preview), building the bundle (POST /bundles) and saved posters
 * (GET and POST /posters, GET /posters/ID/spec).
 *
 * The whole state of a poster being made lives in the form itself: the
 * settings, the entries in order ("order": their numbers) and a caption for
 * this poster per entry ("cap-ID"); every button is a real form post (move
 * up, move down, add, remove), so that the builder works with the keyboard
 * and without JavaScript, and the server keeps nothing between requests.
 * The form is turned into a spec (the text `bundle --spec` takes), and the
 * library does the rest: which entries may be used (pv_bundle_candidates),
 * what the buttons do (pv_bundle_spec_add_usable, _move, _remove), the
 * layout and preview (pv_poster_preview), the bundle (pv_bundle_build) and
 * the saved posters (pv_bundle_poster_save).
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "photovoice/bundle.h"
#include "photovoice/util.h"
#include "web_internal.h"

#define PREVIEW_WIDTH 900           /* pixels, unless the form says */
#define CANDIDATES_MAX 60

struct builder {
	struct pv_bundle_spec spec;
	const char *q, *tag;
	const char *purpose;            /* "poster" or "internal" */
	const char *name;               /* of a saved poster */
	int64_t saved_id;               /* 0: not saved */
	const char *notice;             /* what the last action did, or NULL */
};

/* ---- reading the form -------------------------------------------------------------- */

static const char *arg(const struct pv_req *r, const char *name)
{
	if (strcmp(r->method, "GET") == 0)
		return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
	return pv_form_get(r, name);
}

static int64_t number(const char *s, int64_t max)
{
	if (!s || !*s || strlen(s) > 18)
		return -1;
	int64_t v = 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v <= max ? v : -1;
}

static char *text_or_null(const char *s)
{
	return s && *s ? pv_strdup(s) : NULL;
}

/* "12,4,7": the entries in poster order, each with its cap-ID field. */
static int read_order(const struct pv_req *r, struct pv_bundle_spec *spec, struct pv_err *err)
{
	const char *order = arg(r, "order");
	char *copy = pv_strdup(order ? order : ""), *save = NULL;
	int rc = 0;
	for (char *tok = strtok_r(copy, ", ", &save); tok && rc == 0;
	     tok = strtok_r(NULL, ", ", &save)) {
		int64_t id = number(tok, INT64_MAX / 16);
		char field[16];
		snprintf(field, sizeof field, "cap-%" PRId64, id);
		if (id < 1)
			rc = pv_fail(err, PV_ERR_USAGE, "The order of the photos is not a list of entry numbers.");
		else
			rc = pv_bundle_spec_append(spec, id, arg(r, field), err);
	}
	free(copy);
	return rc;
}

static int read_settings(const struct pv_req *r, struct pv_bundle_spec *spec, struct pv_err *err)
{
	const char *paper = arg(r, "paper"), *orient = arg(r, "orientation");
	const char *cols = arg(r, "columns");
	spec->title = text_or_null(arg(r, "title"));
	spec->subtitle = text_or_null(arg(r, "subtitle"));
	spec->paper = paper && *paper ? pv_paper_parse(paper) : -1;
	if (paper && *paper && spec->paper < 0)
		return pv_fail(err, PV_ERR_INPUT, "The paper must be A4, A3, A2, A1 or A0.");
	spec->landscape = !orient || !*orient ? -1 : strcmp(orient, "landscape") == 0 ? 1 :
			  strcmp(orient, "portrait") == 0 ? 0 : -2;
	if (spec->landscape == -2)
		return pv_fail(err, PV_ERR_INPUT, "The orientation must be portrait or landscape.");
	spec->columns = cols && *cols ? (int)number(cols, PV_POSTER_MAX_COLUMNS) : 0;
	if (spec->columns < 0 || (cols && *cols && spec->columns == 0))
		return pv_fail(err, PV_ERR_INPUT, "The number of columns must be a whole number from 1 to 12.");
	return 0;
}

/* The poster a form describes: a spec's text as it is ("spec", as `bundle
 * --spec` takes it), else the builder's fields. Read back through the
 * library's own parser, so that both say the same of it. */
static int read_builder(const struct pv_req *r, struct builder *b, struct pv_err *err)
{
	b->spec.paper = b->spec.landscape = -1;
	b->q = arg(r, "q");
	b->tag = arg(r, "tag");
	b->name = arg(r, "name");
	const char *purpose = arg(r, "purpose");
	b->purpose = purpose && strcmp(purpose, "internal") == 0 ? "internal" : "poster";
	const char *saved = arg(r, "poster");
	b->saved_id = saved && *saved ? number(saved, INT64_MAX) : 0;
	if (b->saved_id < 0)
		return pv_fail(err, PV_ERR_NOT_FOUND, "There is no such saved poster.");
	const char *text = arg(r, "spec");
	if (text)
		return pv_bundle_spec_parse(text, strlen(text), &b->spec, err);
	if (read_settings(r, &b->spec, err) != 0 || read_order(r, &b->spec, err) != 0)
		return -1;
	/* what the library would refuse, refused now with its own sentence */
	char *spec_text = pv_bundle_spec_text(&b->spec);
	struct pv_bundle_spec check;
	int rc = spec_text ? pv_bundle_spec_parse(spec_text, strlen(spec_text), &check, err) : -1;
	if (rc == 0)
		pv_bundle_spec_free(&check);
	free(spec_text);
	return rc;
}

/* ---- the buttons ------------------------------------------------------------------------ */

/* The button pressed ("add-12", "up-12", ...); the library makes the change. */
static int apply_action(struct pv_req *r, struct builder *b, struct pv_err *err)
{
	const char *action = arg(r, "action");
	if (!action || !*action)
		return 0;
	const char *dash = strchr(action, '-');
	if (!dash)   /* update, search: the form's fields are the change */
		return 0;
	int64_t id = number(dash + 1, INT64_MAX);
	size_t verb = (size_t)(dash - action);
	if (id < 1)
		return pv_fail(err, PV_ERR_NOT_FOUND, "That photo is not on this poster.");
	if (verb == 3 && strncmp(action, "add", 3) == 0) {
		struct pv_archive *cat = pv_web_catalogue(r, err);
		return cat ? pv_bundle_spec_add_usable(cat, &b->spec, id, b->purpose, err) : -1;
	}
	if (verb == 2 && strncmp(action, "up", 2) == 0)
		return pv_bundle_spec_move(&b->spec, id, -1, err);
	if (verb == 4 && strncmp(action, "down", 4) == 0)
		return pv_bundle_spec_move(&b->spec, id, 1, err);
	if (verb == 6 && strncmp(action, "remove", 6) == 0)
		return pv_bundle_spec_remove(&b->spec, id, err);
	return pv_fail(err, PV_ERR_USAGE, "The poster builder has no such button.");
}

static void builder_free(struct builder *b)
{
	pv_bundle_spec_free(&b->spec);
}

/* ---- the request the library takes ----------------------------------------------------- */

struct spec_request {
	struct pv_bundle_request rq;
	char *text;
};

static int spec_request(struct pv_req *r, const struct builder *b, struct spec_request *s,
			struct pv_err *err)
{
	struct pv_bundle_request init = PV_BUNDLE_REQUEST_INIT;
	s->rq = init;
	s->text = pv_bundle_spec_text(&b->spec);
	if (!s->text)
		return pv_fail(err, PV_ERR_INPUT, "The poster is too large (out of memory).");
	if (b->spec.nentries == 0)
		return pv_fail(err, PV_ERR_USAGE, "Add at least one photo to the poster first.");
	s->rq.archive = pv_web_catalogue(r, err);
	s->rq.archive_dir = r->web->archive_dir;
	s->rq.actor = r->staff_name;
	s->rq.spec_text = s->text;
	s->rq.spec_len = strlen(s->text);
	s->rq.purpose = b->purpose;
	return s->rq.archive ? 0 : -1;
}

/* ---- rendering the builder -------------------------------------------------------------- */

static void csrf_field(struct pv_buf *o, const struct pv_req *r)
{
	char csrf[65];
	pv_auth_csrf(r, csrf);
	pv_buf_addf(o, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n", csrf);
}

static void option(struct pv_buf *o, const char *value, const char *label, int selected)
{
	pv_buf_addf(o, "<option value=\"%s\"%s>%s</option>", value, selected ? " selected" : "",
		    label);
}

static void text_input(struct pv_buf *o, const char *id, const char *label, const char *value,
		       int max)
{
	pv_buf_addf(o, "<div class=\"field\"><label for=\"%s\">%s</label>\n<input type=\"text\" "
		    "id=\"%s\" name=\"%s\" maxlength=\"%d\" value=\"", id, label, id, id, max);
	pv_buf_add_html(o, value);
	pv_buf_add(o, "\"></div>\n");
}

static void settings_html(struct pv_buf *o, const struct builder *b)
{
	const struct pv_bundle_spec *s = &b->spec;
	pv_buf_addf(o, "<fieldset><legend>%s</legend>\n", _("The poster"));
	text_input(o, "title", _("Title"), s->title, 1000);
	text_input(o, "subtitle", _("Subtitle"), s->subtitle, 1000);
	pv_buf_addf(o, "<div class=\"row\"><div class=\"field\"><label for=\"paper\">%s</label>"
		    "<select id=\"paper\" name=\"paper\">", _("Paper"));
	for (int p = PV_PAPER_A4; p <= PV_PAPER_A0; p++)
		option(o, pv_paper_name(p), pv_paper_name(p),
		       s->paper == p || (s->paper < 0 && p == PV_PAPER_A2));
	pv_buf_addf(o, "</select></div>\n<div class=\"field\"><label for=\"orientation\">%s</label>"
		    "<select id=\"orientation\" name=\"orientation\">",
		    _("Orientation"));
	option(o, "portrait", _("portrait"), s->landscape != 1);
	option(o, "landscape", _("landscape"), s->landscape == 1);
	pv_buf_addf(o, "</select></div>\n<div class=\"field\"><label for=\"columns\">%s</label>"
		    "<select id=\"columns\" name=\"columns\">", _("Columns"));
	option(o, "", _("to fit"), s->columns == 0);
	for (int c = 1; c <= PV_POSTER_MAX_COLUMNS; c++) {
		char v[12];
		snprintf(v, sizeof v, "%d", c);
		option(o, v, v, s->columns == c);
	}
	pv_buf_addf(o, "</select></div>\n<div class=\"field\"><label for=\"purpose\">%s</label>"
		    "<select id=\"purpose\" name=\"purpose\">", _("For"));
	option(o, "poster", _("a poster"), strcmp(b->purpose, "poster") == 0);
	option(o, "internal", _("internal use"),
	       strcmp(b->purpose, "internal") == 0);
	pv_buf_addf(o, "</select></div></div>\n<button type=\"submit\" name=\"action\" value=\"update\" "
		    "class=\"secondary\">%s</button>\n</fieldset>\n",
		    _("Update"));
}

/* One photo on the poster: its number, title, a caption for this poster,
 * the buttons that move and remove it, and why it would be left out. */
static void entry_html(struct pv_buf *o, const struct builder *b,
		       size_t i, const struct pv_entry *e, const char *why_not)
{
	const struct pv_bundle_spec_entry *se = &b->spec.entries[i];
	int64_t id = se->id;
	pv_buf_addf(o, "<li class=\"item\" draggable=\"true\" data-id=\"%" PRId64 "\">\n"
		    "<img class=\"thumb\" src=\"/media/%" PRId64 "/thumb\" alt=\"\" draggable=\"false\"",
		    id, id);
	pv_buf_add_img_size(o, e ? e->width : 0, e ? e->height : 0, 80, 64);
	pv_buf_addf(o, ">\n<p class=\"item-title\" id=\"t-%" PRId64 "\"><span class=\"nr\">%zu</span> ",
		    id, i + 1);
	pv_buf_add_html(o, e && e->title ? e->title : _("(no title)"));
	pv_buf_addf(o, " <span class=\"muted\">#%" PRId64 "</span></p>\n", id);
	if (why_not) {
		pv_buf_add(o, "<p class=\"why\">");
		pv_buf_add_html(o, why_not);
		pv_buf_add(o, "</p>\n");
	}
	pv_buf_addf(o, "<label for=\"cap-%" PRId64 "\">%s</label>\n<textarea id=\"cap-%" PRId64
		    "\" name=\"cap-%" PRId64 "\" rows=\"2\" maxlength=\"10000\" placeholder=\"",
		    id, _("Caption on this poster"), id, id);
	pv_buf_add_html(o, e ? e->caption : NULL);
	pv_buf_add(o, "\">");
	pv_buf_add_html(o, se->caption);
	pv_buf_add(o, "</textarea>\n<div class=\"moves\">");
	static const struct { const char *act, *label; } moves[] = {
		{ "up", N_("Move up") }, { "down", N_("Move down") },
		{ "remove", N_("Remove") },
	};
	for (size_t k = 0; k < 3; k++)
		pv_buf_addf(o, "<button type=\"submit\" class=\"secondary move\" name=\"action\" "
			    "value=\"%s-%" PRId64 "\" aria-describedby=\"t-%" PRId64 "\">%s</button>",
			    moves[k].act, id, id, _(moves[k].label));
	pv_buf_add(o, "</div>\n</li>\n");
}

/* The chosen entries as both renderings show them (one handler, two
 * renderings): the library says whether each is there and may be used for
 * the purpose today, and why not (send_builder has the catalogue open). */
static void chosen(struct pv_req *r, const struct builder *b, struct pv_bundle_candidates *out)
{
	struct pv_err err = {0};
	struct pv_archive *cat = pv_web_catalogue(r, &err);
	memset(out, 0, sizeof *out);
	if (cat)
		pv_bundle_chosen(cat, &b->spec, b->purpose, out);
}

static void entries_html(struct pv_buf *o, struct pv_req *r, const struct builder *b)
{
	pv_buf_addf(o, "<h2 id=\"order-h\">%s</h2>\n", _("Order"));
	pv_buf_add(o, "<input type=\"hidden\" name=\"order\" id=\"order\" value=\"");
	for (size_t i = 0; i < b->spec.nentries; i++)
		pv_buf_addf(o, "%s%" PRId64, i ? "," : "", b->spec.entries[i].id);
	pv_buf_add(o, "\">\n");
	if (!b->spec.nentries) {
		pv_buf_addf(o, "<p class=\"muted\">%s</p>\n",
			    _("No photos yet. Search below and add them."));
		return;
	}
	pv_buf_addf(o, "<p class=\"hint\">%s</p>\n<ol class=\"items\" id=\"items\" "
		    "aria-labelledby=\"order-h\">\n",
		    _("Drag a photo to another place, or use Move up and Move down."));
	struct pv_bundle_candidates c;
	chosen(r, b, &c);
	for (size_t i = 0; i < c.count; i++)
		entry_html(o, b, i, c.items[i].found ? &c.items[i].entry : NULL,
			   c.items[i].why_not);
	pv_bundle_candidates_free(&c);
	pv_buf_add(o, "</ol>\n");
}

static void candidates_html(struct pv_buf *o, const struct builder *b,
			    const struct pv_bundle_candidates *c, const char *search_error)
{
	pv_buf_addf(o, "<fieldset><legend>%s</legend>\n<div class=\"row\">",
		    _("Find photos"));
	text_input(o, "q", _("Search words"), b->q, 500);
	text_input(o, "tag", _("Tag"), b->tag, 200);
	pv_buf_addf(o, "</div><button type=\"submit\" name=\"action\" value=\"search\" "
		    "class=\"secondary\">%s</button>\n", _("Search"));
	if (search_error) {
		pv_buf_add(o, "<p class=\"error\" role=\"alert\">");
		pv_buf_add_html(o, search_error);
		pv_buf_add(o, "</p>\n");
	} else if ((b->q && *b->q) || (b->tag && *b->tag)) {
		pv_buf_add(o, "<p>");
		pv_buf_addf(o, ngettext("%zu photo found", "%zu photos found", c->count), c->count);
		pv_buf_add(o, "</p>\n");
	}
	pv_buf_add(o, "<ul class=\"found\">\n");
	for (size_t i = 0; i < c->count; i++) {
		const struct pv_entry *e = &c->items[i].entry;
		pv_buf_addf(o, "<li><img class=\"thumb\" src=\"/media/%" PRId64 "/thumb\" alt=\"\" "
			    "loading=\"lazy\"", e->id);
		pv_buf_add_img_size(o, e->width, e->height, 56, 42);
		pv_buf_add(o, "><span class=\"item-title\">");
		pv_buf_add_html(o, e->title ? e->title : _("(no title)"));
		pv_buf_addf(o, "</span> <span class=\"muted\">#%" PRId64 "</span> ", e->id);
		if (pv_bundle_spec_holds(&b->spec, e->id))
			pv_buf_addf(o, "<span class=\"muted\">%s</span>",
				    _("is on the poster"));
		else if (c->items[i].why_not) {
			pv_buf_add(o, "<p class=\"why\">");
			pv_buf_add_html(o, c->items[i].why_not);
			pv_buf_add(o, "</p>");
		} else
			pv_buf_addf(o, "<button type=\"submit\" class=\"secondary\" name=\"action\" "
				    "value=\"add-%" PRId64 "\">%s</button>", e->id,
				    _("Add"));
		pv_buf_add(o, "</li>\n");
	}
	pv_buf_add(o, "</ul>\n</fieldset>\n");
}

static void notes_html(struct pv_buf *o, const struct pv_poster_preview *p)
{
	pv_buf_add(o, "<ul id=\"notes\" class=\"notes\" aria-live=\"polite\">");
	for (size_t i = 0; p && i < p->nwarnings; i++) {
		pv_buf_add(o, "<li>");
		pv_buf_add_html(o, p->warnings[i]);
		pv_buf_add(o, "</li>");
	}
	for (size_t i = 0; p && i < p->nleft_out; i++) {
		pv_buf_add(o, "<li>");
		pv_buf_add_html(o, p->left_out[i].reason);
		pv_buf_add(o, "</li>");
	}
	pv_buf_add(o, "</ul>\n");
}

static void actions_html(struct pv_buf *o, const struct builder *b)
{
	pv_buf_addf(o, "<fieldset><legend>%s</legend>\n", _("Done"));
	pv_buf_addf(o, "<div class=\"row\"><div class=\"field\"><label for=\"format\">%s</label>"
		    "<select id=\"format\" name=\"format\">", _("File type"));
	for (int f = 0; pv_bundle_format_name(f); f++)
		option(o, pv_bundle_format_name(f), pv_bundle_format_name(f), f == 0);
	pv_buf_addf(o, "</select></div></div>\n<button type=\"submit\" formaction=\"/bundles\">%s"
		    "</button>\n", _("Build and download"));
	pv_buf_addf(o, "<div class=\"row\">");
	text_input(o, "name", _("Name to save it under"), b->name, 200);
	pv_buf_add(o, "</div>");
	if (b->saved_id > 0)
		pv_buf_addf(o, "<input type=\"hidden\" name=\"poster\" value=\"%" PRId64 "\">",
			    b->saved_id);
	pv_buf_addf(o, "<button type=\"submit\" class=\"secondary\" formaction=\"/posters\">%s"
		    "</button>\n</fieldset>\n", C_("poster", "Save"));
}

/* The builder: the form on the left, the preview on the right. Without
 * JavaScript the preview is a button that shows the page's PNG. */
static enum MHD_Result send_builder_html(struct pv_req *r, unsigned status,
					 const struct builder *b,
					 const struct pv_bundle_candidates *c,
					 const struct pv_poster_preview *p,
					 const char *error, const char *search_error)
{
	struct pv_buf o = {0};
	pv_buf_addf(&o, "<div class=\"wide\">\n<p class=\"crumbs\"><a href=\"/posters\">%s</a></p>\n"
		    "<h1>%s</h1>\n", _("Saved posters"),
		    _("Make a poster"));
	if (error) {
		pv_buf_add(&o, "<p class=\"error\" role=\"alert\">");
		pv_buf_add_html(&o, error);
		pv_buf_add(&o, "</p>\n");
	} else if (b->notice) {
		pv_buf_add(&o, "<p class=\"note\" role=\"status\">");
		pv_buf_add_html(&o, b->notice);
		pv_buf_add(&o, "</p>\n");
	}
	pv_buf_add(&o, "<form method=\"post\" action=\"/posters/new\" id=\"builder\" "
		   "class=\"builder\" data-moved=\"");
	/* TRANSLATORS: a screen reader says it after a move; {n}: the place */
	pv_buf_add_html(&o, _("Now in place {n}"));
	pv_buf_add(&o, "\">\n");
	csrf_field(&o, r);
	pv_buf_add(&o, "<div class=\"build-form\">\n");
	settings_html(&o, b);
	entries_html(&o, r, b);
	candidates_html(&o, b, c, search_error);
	actions_html(&o, b);
	pv_buf_addf(&o, "</div>\n<div class=\"build-preview\">\n<h2>%s</h2>\n"
		    "<button type=\"submit\" class=\"secondary\" formaction=\"/posters/preview\" "
		    "formtarget=\"_blank\" id=\"preview-button\">%s</button>\n"
		    "<img id=\"poster-preview\" alt=\"%s\" hidden>\n",
		    _("Preview"), _("Preview"),
		    _("Preview of the poster"));
	notes_html(&o, p);
	pv_buf_add(&o, "</div>\n</form>\n</div>\n");
	enum MHD_Result ret = pv_send_html(r, status, _("Make a poster"), &o);
	pv_buf_free(&o);
	return ret;
}

static json_t *spec_entries_json(struct pv_req *r, const struct builder *b)
{
	json_t *a = json_array();
	struct pv_bundle_candidates c;
	chosen(r, b, &c);
	for (size_t i = 0; i < c.count; i++)
		json_array_append_new(a, json_pack("{s:I, s:s?, s:s?, s:b, s:s?}", "id",
			(json_int_t)b->spec.entries[i].id, "title", c.items[i].entry.title,
			"caption", b->spec.entries[i].caption, "usable", !c.items[i].why_not,
			"why_not", c.items[i].why_not));
	pv_bundle_candidates_free(&c);
	return a;
}

static json_t *strings_json(char **s, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(s[i]));
	return a;
}

static json_t *left_out_json(const struct pv_bundle_left_out *l, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:I, s:s}", "id", (json_int_t)l[i].id,
						   "reason", l[i].reason));
	return a;
}

static enum MHD_Result send_builder_json(struct pv_req *r, unsigned status,
					 const struct builder *b,
					 const struct pv_bundle_candidates *c,
					 const struct pv_poster_preview *p, const char *error)
{
	json_t *cands = json_array();
	for (size_t i = 0; i < c->count; i++)
		json_array_append_new(cands, json_pack("{s:I, s:s?, s:b, s:s?}", "id",
			(json_int_t)c->items[i].entry.id, "title", c->items[i].entry.title,
			"usable", !c->items[i].why_not, "why_not", c->items[i].why_not));
	char *text = pv_bundle_spec_text(&b->spec);
	json_t *o = json_pack("{s:s?, s:s?, s:s?, s:s?, s:i, s:s, s:o, s:o, s:s?, s:o, s:o}",
		"title", b->spec.title, "subtitle", b->spec.subtitle,
		"paper", b->spec.paper >= 0 ? pv_paper_name(b->spec.paper) : NULL,
		"orientation", b->spec.landscape < 0 ? NULL : b->spec.landscape ? "landscape" : "portrait",
		"columns", b->spec.columns, "purpose", b->purpose,
		"entries", spec_entries_json(r, b), "candidates", cands, "spec", text,
		"warnings", p ? strings_json(p->warnings, p->nwarnings) : json_array(),
		"left_out", p ? left_out_json(p->left_out, p->nleft_out) : json_array());
	free(text);
	if (b->saved_id > 0)
		json_object_set_new(o, "poster", json_integer(b->saved_id));
	if (error)
		json_object_set_new(o, "error", json_string(error));
	return pv_send_json(r, status, o);
}

/* The builder as it stands: what the search finds, and the poster's notes
 * (photos that print small, entries that would be left out) from a small
 * preview, which the layout gives whatever the size. */
static enum MHD_Result send_builder(struct pv_req *r, unsigned status, struct builder *b,
				    const char *error)
{
	struct pv_err err = {0}, serr = {0};
	struct pv_archive *cat = pv_web_catalogue(r, &err);
	if (!cat)
		return pv_send_err(r, &err);
	struct pv_bundle_candidates c;
	int searched = pv_bundle_candidates(cat, b->q, b->tag, b->purpose, CANDIDATES_MAX, &c,
					    &serr);
	struct pv_poster_preview p = {0};
	struct spec_request s = {0};
	int have_notes = b->spec.nentries && spec_request(r, b, &s, &err) == 0 &&
			 pv_poster_preview(&s.rq, 120, &p, &err) == 0;
	free(s.text);
	enum MHD_Result ret = r->wants_json
		? send_builder_json(r, status, b, &c, have_notes ? &p : NULL,
				    error ? error : searched ? serr.msg : NULL)
		: send_builder_html(r, status, b, &c, have_notes ? &p : NULL, error,
				    searched ? serr.msg : NULL);
	pv_poster_preview_free(&p);
	pv_bundle_candidates_free(&c);
	return ret;
}

/* ---- the routes ---------------------------------------------------------------------- */

static int load_saved(struct pv_req *r, struct builder *b, struct pv_err *err)
{
	struct pv_archive *cat = pv_web_catalogue(r, err);
	char *name = NULL;
	pv_bundle_spec_free(&b->spec);
	if (!cat || pv_bundle_poster_load(cat, b->saved_id, &b->spec, &name, err) != 0)
		return -1;
	b->name = name;   /* freed by the caller */
	return 0;
}

enum MHD_Result pv_page_posters_new(struct pv_req *r)
{
	r->nav = "posters";   /* the workspace's menu */
	struct builder b = {0};
	struct pv_err err = {0};
	char *name = NULL;
	int rc = read_builder(r, &b, &err);
	if (rc == 0 && b.saved_id > 0) {
		rc = load_saved(r, &b, &err);
		name = (char *)b.name;
	}
	enum MHD_Result ret = rc == 0 ? send_builder(r, MHD_HTTP_OK, &b, NULL)
				      : pv_send_err(r, &err);
	free(name);
	builder_free(&b);
	return ret;
}

enum MHD_Result pv_page_posters_change(struct pv_req *r)
{
	r->nav = "posters";   /* the workspace's menu */
	struct builder b = {0};
	struct pv_err err = {0};
	if (read_builder(r, &b, &err) != 0) {
		builder_free(&b);
		return pv_send_err(r, &err);
	}
	/* a refused button leaves the poster as it was, with its sentence */
	enum MHD_Result ret = apply_action(r, &b, &err) == 0
		? send_builder(r, MHD_HTTP_OK, &b, NULL)
		: send_builder(r, pv_status_of(err.kind), &b, err.msg);
	builder_free(&b);
	return ret;
}

static enum MHD_Result send_preview(struct pv_req *r, const struct pv_poster_preview *p)
{
	if (!r->wants_json)
		return pv_send_bytes(r, MHD_HTTP_OK, "image/png", p->png, p->png_len, NULL);
	size_t b64_len = sodium_base64_encoded_len(p->png_len, sodium_base64_VARIANT_ORIGINAL);
	char *b64 = malloc(b64_len);
	if (!b64)
		return MHD_NO;
	sodium_bin2base64(b64, b64_len, p->png, p->png_len, sodium_base64_VARIANT_ORIGINAL);
	json_t *o = json_pack("{s:i, s:i, s:i, s:o, s:o, s:s}", "width", p->width, "height",
			      p->height, "columns", p->columns, "warnings",
			      strings_json(p->warnings, p->nwarnings), "left_out",
			      left_out_json(p->left_out, p->nleft_out), "png", b64);
	free(b64);
	return pv_send_json(r, MHD_HTTP_OK, o);
}

enum MHD_Result pv_page_posters_preview(struct pv_req *r)
{
	struct builder b = {0};
	struct spec_request s = {0};
	struct pv_poster_preview p = {0};
	struct pv_err err = {0};
	const char *w = pv_form_get(r, "width");
	int64_t width = w && *w ? number(w, PV_POSTER_PREVIEW_MAX_WIDTH) : PREVIEW_WIDTH;
	enum MHD_Result ret;
	if (width < 0)
		ret = pv_send_error(r, MHD_HTTP_UNPROCESSABLE_CONTENT,
				    _("The width of the preview must be a number."));
	else if (read_builder(r, &b, &err) != 0 || spec_request(r, &b, &s, &err) != 0 ||
		 pv_poster_preview(&s.rq, (int)width, &p, &err) != 0)
		ret = pv_send_err(r, &err);
	else
		ret = send_preview(r, &p);
	pv_poster_preview_free(&p);
	free(s.text);
	builder_free(&b);
	return ret;
}

/* ---- the bundle ---------------------------------------------------------------------- */

/* Built into ARCHIVE/tmp under a name a stopped server's sweep removes
 * (upload-*), opened, then unlinked: only the answer holds it. */
static enum MHD_Result build_and_send(struct pv_req *r, struct spec_request *s,
				      const char *format)
{
	struct pv_err err = {0};
	char *stem = NULL;
	int fd = pv_handin_open_temp(r->web->archive_dir, &stem, &err);
	if (fd < 0)
		return pv_send_err(r, &err);
	close(fd);
	char *out = NULL, name[64];
	if (asprintf(&out, "%s.%s", stem, format) < 0)
		abort();
	snprintf(name, sizeof name, "photovoice-poster.%s", format);
	s->rq.out = out;
	s->rq.record_name = name;
	s->rq.format = format;
	s->rq.replace = 1;
	struct pv_bundle_report rep;
	int rc = pv_bundle_build(&s->rq, &rep, &err);
	unlink(stem);
	free(stem);
	int bfd = rc == 0 ? open(out, O_RDONLY | O_CLOEXEC) : -1;
	struct stat st;
	unlink(out);
	free(out);
	pv_bundle_report_free(&rep);
	if (rc != 0)
		return pv_send_err(r, &err);
	if (bfd < 0 || fstat(bfd, &st) != 0) {
		if (bfd >= 0)
			close(bfd);
		return pv_send_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR,
				     _("The bundle could not be sent; try again."));
	}
	const char *type = strcmp(format, "zip") == 0 ? "application/zip" :
			   strcmp(format, "7z") == 0 ? "application/x-7z-compressed" :
			   "application/octet-stream";
	return pv_send_fd(r, bfd, (uint64_t)st.st_size, type, name);
}

enum MHD_Result pv_page_bundles(struct pv_req *r)
{
	struct builder b = {0};
	struct spec_request s = {0};
	struct pv_err err = {0};
	const char *format = pv_form_get(r, "format");
	int f = pv_bundle_format_parse(format && *format ? format : "zip");
	enum MHD_Result ret;
	if (f < 0)
		ret = pv_send_error(r, MHD_HTTP_UNPROCESSABLE_CONTENT,
				    _("Choose zip, tar.gz, tar.zst or 7z as the file type."));
	else if (read_builder(r, &b, &err) != 0 || spec_request(r, &b, &s, &err) != 0)
		ret = pv_send_err(r, &err);
	else
		ret = build_and_send(r, &s, pv_bundle_format_name(f));
	free(s.text);
	builder_free(&b);
	return ret;
}

/* ---- saved posters ---------------------------------------------------------------------- */

enum MHD_Result pv_page_posters_save(struct pv_req *r)
{
	struct builder b = {0};
	struct pv_err err = {0};
	int64_t id = 0;
	struct pv_archive *w = NULL;
	int rc = read_builder(r, &b, &err);
	if (rc == 0) {
		w = pv_archive_open(r->web->archive_dir, PV_OPEN_WRITE_NOWAIT, &err);
		rc = w ? 0 : -1;
	}
	if (rc == 0) {
		pv_archive_set_actor(w, r->staff_name);
		rc = pv_bundle_poster_save(w, b.saved_id, b.name, &b.spec, &id, &err);
	}
	pv_archive_close(w);
	builder_free(&b);
	if (rc != 0)
		return pv_send_err(r, &err);
	if (r->wants_json)
		return pv_send_json(r, MHD_HTTP_CREATED, json_pack("{s:I}", "id", (json_int_t)id));
	char to[64];
	snprintf(to, sizeof to, "/posters/new?poster=%" PRId64, id);
	return pv_send_redirect(r, to);
}

static json_t *saved_json(const struct pv_saved_poster *p)
{
	json_t *entries = json_array();
	for (size_t i = 0; i < p->nentries; i++)
		json_array_append_new(entries, json_pack("{s:I, s:s?}", "id",
			(json_int_t)p->entries[i].id, "caption", p->entries[i].caption));
	return json_pack("{s:I, s:s, s:s?, s:s?, s:s?, s:s?, s:i, s:s?, s:s?, s:o}",
		"id", (json_int_t)p->id, "name", p->name, "title", p->title,
		"subtitle", p->subtitle, "paper", p->paper >= 0 ? pv_paper_name(p->paper) : NULL,
		"orientation", p->landscape < 0 ? NULL : p->landscape ? "landscape" : "portrait",
		"columns", p->columns, "saved_at", p->saved_at, "saved_by", p->saved_by,
		"entries", entries);
}

static void saved_html(struct pv_buf *o, const struct pv_saved_poster *p)
{
	pv_buf_add(o, "<li class=\"card-row\"><h2>");
	pv_buf_add_html(o, p->name);
	pv_buf_add(o, "</h2>\n<p>");
	pv_buf_add_html(o, p->title);
	pv_buf_add(o, "</p>\n<p class=\"muted\">");
	pv_buf_addf(o, ngettext("%zu photo", "%zu photos", p->nentries), p->nentries);
	pv_buf_addf(o, " · %s · ", p->paper >= 0 ? pv_paper_name(p->paper) : "A2");
	pv_buf_add_html(o, p->saved_at);
	pv_buf_add(o, " · ");
	pv_buf_add_html(o, p->saved_by);
	pv_buf_addf(o, "</p>\n<p><a href=\"/posters/new?poster=%" PRId64 "\">%s</a> · "
		    "<a href=\"/posters/%" PRId64 "/spec\">%s</a></p></li>\n", p->id,
		    _("Open in the builder"), p->id,
		    _("Spec file"));
}

enum MHD_Result pv_page_posters(struct pv_req *r)
{
	r->nav = "posters";   /* the workspace's menu */
	struct pv_err err = {0};
	struct pv_archive *cat = pv_web_catalogue(r, &err);
	struct pv_saved_poster *list = NULL;
	size_t n = 0;
	if (!cat || pv_store_poster_list(cat, &list, &n, &err) != 0)
		return pv_send_err(r, &err);
	enum MHD_Result ret;
	if (r->wants_json) {
		json_t *a = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(a, saved_json(&list[i]));
		ret = pv_send_json(r, MHD_HTTP_OK, json_pack("{s:I, s:o}", "count", (json_int_t)n,
							     "posters", a));
	} else {
		struct pv_buf o = {0};
		pv_buf_addf(&o, "<h1>%s</h1>\n<p><a href=\"/posters/new\">%s</a></p>\n",
			    _("Saved posters"),
			    _("Make a new poster"));
		if (!n)
			pv_buf_addf(&o, "<p class=\"muted\">%s</p>\n",
				    _("No poster has been saved yet."));
		pv_buf_add(&o, "<ul class=\"cards\">\n");
		for (size_t i = 0; i < n; i++)
			saved_html(&o, &list[i]);
		pv_buf_add(&o, "</ul>\n");
		ret = pv_send_html(r, MHD_HTTP_OK, _("Saved posters"), &o);
		pv_buf_free(&o);
	}
	pv_saved_posters_free(list, n);
	return ret;
}

/* The saved poster as the spec file `photovoice bundle --spec` takes. */
enum MHD_Result pv_page_posters_spec(struct pv_req *r)
{
	int64_t id = number(r->args[0], INT64_MAX);
	struct pv_err err = {0};
	struct pv_archive *cat = pv_web_catalogue(r, &err);
	struct pv_bundle_spec spec;
	if (id < 1)
		return pv_send_error(r, MHD_HTTP_NOT_FOUND, _("There is no such poster."));
	if (!cat || pv_bundle_poster_load(cat, id, &spec, NULL, &err) != 0)
		return pv_send_err(r, &err);
	char *text = pv_bundle_spec_text(&spec);
	pv_bundle_spec_free(&spec);
	if (!text)
		return MHD_NO;
	char name[48];
	snprintf(name, sizeof name, "poster-%" PRId64 ".spec", id);
	enum MHD_Result ret = r->wants_json
		? pv_send_json(r, MHD_HTTP_OK, json_pack("{s:I, s:s}", "id", (json_int_t)id, "spec", text))
		: pv_send_bytes(r, MHD_HTTP_OK, "text/plain; charset=utf-8", text, strlen(text), name);
	free(text);
	return ret;
}
