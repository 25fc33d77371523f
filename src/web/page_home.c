/*
 * The pages anyone may open: the front page, which says where to go, and
 * the built-in stylesheet and script.
 */
#include "web_internal.h"

enum MHD_Result pv_page_home(struct pv_req *r)
{
	struct pv_buf b = {0};
	pv_buf_addf(&b, "<h1>photovoice</h1>\n<p>%s</p>\n",
		    _("Participants come in through their own link or QR code. Don't have one? "
		      "Ask the person who runs your project."));
	if (pv_auth_session(r)) {
		char csrf[65];
		pv_auth_csrf(r, csrf);
		pv_buf_addf(&b, "<p>%s <strong>", _("Logged in as"));
		pv_buf_add_html(&b, r->staff_name);
		pv_buf_addf(&b, "</strong>.</p>\n<form method=\"post\" action=\"/logout\">\n"
			    "<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n<button "
			    "type=\"submit\" class=\"secondary\">%s</button>\n</form>\n", csrf,
			    _("Log out"));
	} else {
		pv_buf_addf(&b, "<p><a href=\"/login\">%s</a></p>\n",
			    _("Staff log in"));
	}
	enum MHD_Result ret = pv_send_html(r, MHD_HTTP_OK, "photovoice", &b);
	pv_buf_free(&b);
	return ret;
}

enum MHD_Result pv_page_asset(struct pv_req *r)
{
	return pv_send_asset(r, r->args[0]);
}
