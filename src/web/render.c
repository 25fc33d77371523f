/*
 * Answers: escaping, the page around a handler's HTML, JSON, files, and the
 * headers every answer carries. The error kind picks the HTTP status here,
 * in one table, as src/cli/main.c picks the exit status.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "photovoice/util.h"
#include "web_internal.h"

/* ---- text ---- */

static void grow(struct pv_buf *b, size_t more)
{
	if (b->len + more + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 4096;   /* most pages fit */
	while (cap < b->len + more + 1)
		cap *= 2;
	char *d = realloc(b->data, cap);
	if (!d)
		abort();
	b->data = d;
	b->cap = cap;
}

static void add_bytes(struct pv_buf *b, const char *s, size_t n)
{
	grow(b, n);
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void pv_buf_add(struct pv_buf *b, const char *s)
{
	if (s)
		add_bytes(b, s, strlen(s));
}

/* Formatted straight into the buffer's room (a page is some hundred of
 * these): no string of its own to allocate, copy and free each time. */
void pv_buf_addf(struct pv_buf *b, const char *fmt, ...)
{
	va_list ap, again;
	va_start(ap, fmt);
	va_copy(again, ap);
	grow(b, 0);
	size_t room = b->cap - b->len;
	int n = vsnprintf(b->data + b->len, room, fmt, ap);
	va_end(ap);
	if (n < 0)
		abort();
	if ((size_t)n >= room) {   /* too little room: make it, and write again */
		grow(b, (size_t)n);
		vsnprintf(b->data + b->len, (size_t)n + 1, fmt, again);
	}
	va_end(again);
	b->len += (size_t)n;
}

void pv_buf_add_img_size(struct pv_buf *b, int photo_w, int photo_h, int box_w, int box_h)
{
	int w = box_w, h = box_h;
	if (photo_w > 0 && photo_h > 0 && photo_w <= box_w && photo_h <= box_h) {
		w = photo_w;   /* a small photo is shown at its own size, as the file is */
		h = photo_h;
	} else if (photo_w > 0 && photo_h > 0) {
		/* the long side against the box; integer maths, rounded, at least 1 */
		if ((long long)photo_w * box_h >= (long long)photo_h * box_w) {
			h = (int)(((long long)photo_h * box_w + photo_w / 2) / photo_w);
		} else {
			w = (int)(((long long)photo_w * box_h + photo_h / 2) / photo_h);
		}
		w = w < 1 ? 1 : w;
		h = h < 1 ? 1 : h;
	}
	pv_buf_addf(b, " width=\"%d\" height=\"%d\"", w, h);
}

void pv_buf_add_html(struct pv_buf *b, const char *s)
{
	while (s && *s) {
		size_t plain = strcspn(s, "&<>\"'");
		add_bytes(b, s, plain);   /* the run up to the next character to escape */
		s += plain;
		switch (*s) {
		case '&': pv_buf_add(b, "&amp;"); break;
		case '<': pv_buf_add(b, "&lt;"); break;
		case '>': pv_buf_add(b, "&gt;"); break;
		case '"': pv_buf_add(b, "&quot;"); break;
		case '\'': pv_buf_add(b, "&#39;"); break;
		default: return;   /* the end */
		}
		s++;
	}
}

void pv_buf_free(struct pv_buf *b)
{
	free(b->data);
	memset(b, 0, sizeof *b);
}

/* ---- headers ---- */

/* No inline script, nothing from elsewhere, never in a frame; the token is
 * in the address, so it is never sent on as a referrer. */
#define CSP "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; connect-src 'self'; " \
	    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

static void security_headers(struct pv_req *r, struct MHD_Response *resp, int personal)
{
	MHD_add_response_header(resp, "Content-Security-Policy", CSP);
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
	if (personal)
		MHD_add_response_header(resp, "Cache-Control", "no-store");
	if (r->web->tls)
		MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000");
	if (r->set_cookie)
		MHD_add_response_header(resp, "Set-Cookie", r->set_cookie);
	if (r->retry_after) {
		char s[16];
		snprintf(s, sizeof s, "%u", r->retry_after);
		MHD_add_response_header(resp, "Retry-After", s);
	}
	if (r->allow[0])
		MHD_add_response_header(resp, "Allow", r->allow);
	MHD_add_response_header(resp, "Vary", "Accept, Accept-Language");
}

static enum MHD_Result queue(struct pv_req *r, unsigned status, struct MHD_Response *resp,
			     const char *type, int personal)
{
	if (!resp)
		return MHD_NO;
	if (type)
		MHD_add_response_header(resp, "Content-Type", type);
	security_headers(r, resp, personal);
	enum MHD_Result ret = MHD_queue_response(r->conn, status, resp);
	MHD_destroy_response(resp);
	r->answered = 1;
	return ret;
}

static struct MHD_Response *from_text(const char *s, size_t n)
{
	return MHD_create_response_from_buffer(n, (void *)s, MHD_RESPMEM_MUST_COPY);
}

/* ---- pages ---- */

/* The workspace's menu on every staff page: its parts, who is logged in,
 * and logging out. */
static void staff_menu(struct pv_buf *out, const struct pv_req *r)
{
	static const struct { const char *tab, *href, *label; } tabs[] = {
		{ "review", "/review", N_("Arrived") },
		{ "entries", "/entries", N_("Catalogue") },
		{ "tags", "/tags", N_("Tags") },
		{ "participants", "/participants", N_("Participants") },
		{ "posters", "/posters/new", N_("Posters") },
		{ "log", "/log", N_("Log") },
	};
	pv_buf_addf(out, "<header class=\"staff\">\n<a class=\"skip\" href=\"#main\">%s</a>\n"
		    "<nav aria-label=\"%s\">\n<ul>\n", _("Skip to content"),
		    _("Workspace"));
	for (size_t i = 0; i < sizeof tabs / sizeof *tabs; i++)
		pv_buf_addf(out, "<li><a href=\"%s\"%s>%s</a></li>\n", tabs[i].href,
			    strcmp(tabs[i].tab, r->nav) == 0 ? " aria-current=\"page\"" : "",
			    _(tabs[i].label));
	pv_buf_add(out, "</ul>\n</nav>\n<form method=\"post\" action=\"/logout\" class=\"who\">\n");
	pv_web_csrf_field(out, r);
	pv_buf_add(out, "<span>");
	pv_buf_add_html(out, r->staff_name);
	pv_buf_addf(out, "</span>\n<button type=\"submit\" class=\"secondary\">%s</button>\n"
		    "</form>\n</header>\n", _("Log out"));
}

static void page_head(struct pv_buf *out, const struct pv_req *r, const char *title)
{
	pv_buf_addf(out, "<!doctype html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
		    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		    "<meta name=\"referrer\" content=\"no-referrer\">\n<title>",
		    r->english ? "en" : "nl");
	pv_buf_add_html(out, title);
	pv_buf_add(out, " · photovoice</title>\n<link rel=\"stylesheet\" href=\"/static/style.css\">\n"
		   "<link rel=\"icon\" href=\"/static/icon.svg\" type=\"image/svg+xml\">\n"
		   "<script src=\"/static/app.js\" defer></script>\n</head>\n<body>\n");
	if (r->nav)
		staff_menu(out, r);
	pv_buf_add(out, r->nav ? "<main id=\"main\" class=\"wide\">\n" : "<main id=\"main\">\n");
}

enum MHD_Result pv_send_html(struct pv_req *r, unsigned status, const char *title,
			     const struct pv_buf *body)
{
	struct pv_buf page = {0};
	page_head(&page, r, title);
	pv_buf_add(&page, body->data);
	pv_buf_add(&page, "</main>\n</body>\n</html>\n");
	enum MHD_Result ret = queue(r, status, from_text(page.data, page.len),
				    "text/html; charset=utf-8", 1);
	pv_buf_free(&page);
	return ret;
}

enum MHD_Result pv_send_page(struct pv_req *r, unsigned status, const char *title,
			     struct pv_buf *body)
{
	enum MHD_Result ret = pv_send_html(r, status, title, body);
	pv_buf_free(body);
	return ret;
}

enum MHD_Result pv_send_json(struct pv_req *r, unsigned status, void *json)
{
	char *text = json_dumps(json, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(json);
	if (!text)
		return MHD_NO;
	enum MHD_Result ret = queue(r, status, from_text(text, strlen(text)),
				    "application/json", 1);
	free(text);
	return ret;
}

unsigned pv_status_of(enum pv_err_kind kind)
{
	switch (kind) {
	case PV_ERR_NONE:
		return MHD_HTTP_OK;
	case PV_ERR_USAGE:
		return MHD_HTTP_BAD_REQUEST;
	case PV_ERR_INPUT:
		return MHD_HTTP_UNPROCESSABLE_CONTENT;
	case PV_ERR_NOT_FOUND:
		return MHD_HTTP_NOT_FOUND;
	case PV_ERR_NOT_ALLOWED:
		return MHD_HTTP_FORBIDDEN;
	case PV_ERR_CONFLICT:
		return MHD_HTTP_CONFLICT;
	case PV_ERR_BUSY:
		return MHD_HTTP_SERVICE_UNAVAILABLE;   /* with Retry-After (pv_send_err) */
	case PV_ERR_OUTPUT:
	case PV_ERR_ARCHIVE:
		return MHD_HTTP_INTERNAL_SERVER_ERROR;
	}
	return MHD_HTTP_INTERNAL_SERVER_ERROR;
}

static const char *error_title(unsigned status)
{
	switch (status) {
	case MHD_HTTP_NOT_FOUND:
		return _("Not found");
	case MHD_HTTP_FORBIDDEN:
		return _("Not allowed");
	case MHD_HTTP_CONTENT_TOO_LARGE:
		return _("Too large");
	case MHD_HTTP_TOO_MANY_REQUESTS:
		return _("Please wait");
	default:
		return status >= 500 ? _("Something went wrong")
				     : _("That did not work");
	}
}

enum MHD_Result pv_send_error(struct pv_req *r, unsigned status, const char *sentence)
{
	if (r->wants_json) {
		json_t *o = json_pack("{s:s, s:i}", "error", sentence, "status", (int)status);
		return pv_send_json(r, status, o);
	}
	struct pv_buf body = {0};
	const char *title = error_title(status);
	pv_buf_add(&body, "<h1>");
	pv_buf_add_html(&body, title);
	pv_buf_add(&body, "</h1>\n<p class=\"error\" role=\"alert\">");
	pv_buf_add_html(&body, sentence);
	pv_buf_add(&body, "</p>\n");
	if (r->has_invite) {   /* the link works: a way back to the form */
		pv_buf_add(&body, "<p><a href=\"/i/");
		pv_buf_add_html(&body, r->args[0]);
		pv_buf_addf(&body, "\">%s</a></p>\n", _("Back to the form"));
	}
	enum MHD_Result ret = pv_send_html(r, status, title, &body);
	pv_buf_free(&body);
	return ret;
}

enum MHD_Result pv_send_err(struct pv_req *r, const struct pv_err *err)
{
	if (err->kind == PV_ERR_BUSY)
		r->retry_after = 5;
	return pv_send_error(r, pv_status_of(err->kind), err->msg);
}

enum MHD_Result pv_send_redirect(struct pv_req *r, const char *location)
{
	struct MHD_Response *resp = from_text("", 0);
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, "Location", location);
	return queue(r, MHD_HTTP_SEE_OTHER, resp, NULL, 1);
}

/* A thumbnail (some 10 kB) goes from memory: libmicrohttpd then sends the
 * headers and the file in one call and one packet, where from a file it
 * sends them apart (two calls, two packets, and the client woken twice).
 * Kept a few seconds, it is not read again for each request (media_cache.c).
 * Larger files are sent from the file (libmicrohttpd closes fd once sent). */
static struct MHD_Response *file_response(const char *path, int *missing)
{
	struct pv_media *m = pv_media_find(path);
	if (m)
		return pv_media_response(m);
	unsigned clears = pv_media_cache_clears();
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	*missing = fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode);
	if (*missing) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	if (st.st_size <= (off_t)PV_MEDIA_CACHED_MAX) {
		m = pv_media_read(fd, path, (size_t)st.st_size, clears);
		return m ? pv_media_response(m) : NULL;
	}
	struct MHD_Response *resp = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
	if (!resp)
		close(fd);
	return resp;
}

enum MHD_Result pv_send_file(struct pv_req *r, const char *path, const char *type,
			     int personal)
{
	int missing = 0;
	struct MHD_Response *resp = file_response(path, &missing);
	if (missing)
		return pv_send_error(r, MHD_HTTP_NOT_FOUND,
				     _("This photo is not there (any more)."));
	if (!resp)
		return MHD_NO;
	return queue(r, MHD_HTTP_OK, resp, type, personal);
}


enum MHD_Result pv_send_asset(struct pv_req *r, const char *name)
{
	for (const struct pv_asset *a = pv_assets; a->name; a++) {
		if (strcmp(a->name, name) != 0)
			continue;
		struct MHD_Response *resp = MHD_create_response_from_buffer(
			strlen(a->text), (void *)a->text, MHD_RESPMEM_PERSISTENT);
		if (resp)
			MHD_add_response_header(resp, "Cache-Control", "public, max-age=3600");
		return queue(r, MHD_HTTP_OK, resp, a->type, 0);
	}
	return pv_send_error(r, MHD_HTTP_NOT_FOUND,
			     _("There is no such file."));
}

/* A download or a picture: bytes (copied), or a file's descriptor (sent and
 * closed by libmicrohttpd), with a file name for the browser to save it
 * under when filename is not NULL (plain ASCII: the caller's own). */
static void disposition(struct MHD_Response *resp, const char *filename)
{
	if (!filename)
		return;
	char h[160];
	snprintf(h, sizeof h, "attachment; filename=\"%s\"", filename);
	MHD_add_response_header(resp, "Content-Disposition", h);
}

enum MHD_Result pv_send_bytes(struct pv_req *r, unsigned status, const char *type,
			      const void *data, size_t len, const char *filename)
{
	struct MHD_Response *resp = from_text(data, len);
	if (resp)
		disposition(resp, filename);
	return queue(r, status, resp, type, 1);
}

enum MHD_Result pv_send_fd(struct pv_req *r, int fd, uint64_t len, const char *type,
			   const char *filename)
{
	struct MHD_Response *resp = MHD_create_response_from_fd(len, fd);
	if (!resp) {
		close(fd);
		return MHD_NO;
	}
	disposition(resp, filename);
	return queue(r, MHD_HTTP_OK, resp, type, 1);
}
