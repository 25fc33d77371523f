/*
 * Staff log in and out. The session itself (cookie, expiry, slowing down
 * after failures) is auth.c's; these pages only ask and answer.
 */
#include <jansson.h>

#include "web_internal.h"

static void csrf_field(struct pv_buf *b, const struct pv_req *r)
{
	char csrf[65];
	pv_auth_csrf(r, csrf);
	pv_buf_addf(b, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n", csrf);
}

/* The form; after a refused try, with its sentence above it and the
 * status of the refusal. */
static enum MHD_Result login_form(struct pv_req *r, unsigned status, const char *error)
{
	struct pv_buf b = {0};
	pv_buf_addf(&b, "<h1>%s</h1>\n", _("Staff log in"));
	if (error) {
		pv_buf_add(&b, "<p class=\"error\" role=\"alert\">");
		pv_buf_add_html(&b, error);
		pv_buf_add(&b, "</p>\n");
	}
	pv_buf_add(&b, "<form method=\"post\" action=\"/login\">\n");
	csrf_field(&b, r);
	pv_buf_addf(&b, "<div class=\"field\"><label for=\"name\">%s</label>\n<input type=\"text\" "
		    "id=\"name\" name=\"name\" autocomplete=\"username\" required></div>\n"
		    "<div class=\"field\"><label for=\"password\">%s</label>\n<input "
		    "type=\"password\" id=\"password\" name=\"password\" "
		    "autocomplete=\"current-password\" required></div>\n<button type=\"submit\">"
		    "%s</button>\n</form>\n", _("Name"),
		    _("Password"), _("Log in"));
	enum MHD_Result ret = pv_send_html(r, status, _("Log in"), &b);
	pv_buf_free(&b);
	return ret;
}

enum MHD_Result pv_page_login(struct pv_req *r)
{
	return login_form(r, MHD_HTTP_OK, NULL);
}

enum MHD_Result pv_page_login_send(struct pv_req *r)
{
	char why[512];
	unsigned refused = pv_auth_login(r, pv_form_get(r, "name"), pv_form_get(r, "password"),
					 why);
	if (refused)
		return r->wants_json ? pv_send_error(r, refused, why) : login_form(r, refused, why);
	if (r->wants_json)
		return pv_send_json(r, MHD_HTTP_OK, json_pack("{s:s}", "name", r->staff_name));
	return pv_send_redirect(r, "/");
}

enum MHD_Result pv_page_logout(struct pv_req *r)
{
	pv_auth_logout(r);
	if (r->wants_json)
		return pv_send_json(r, MHD_HTTP_OK, json_pack("{s:b}", "logged_out", 1));
	return pv_send_redirect(r, "/login");
}
