/*
 * Inside src/web/: what the server, the route table, access, rendering and
 * the page families share. A page handler is to the web what a cmd_*.c is to
 * the command line: it reads the request, calls the library, renders.
 */
#ifndef PV_WEB_INTERNAL_H
#define PV_WEB_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <microhttpd.h>

#include "photovoice/bundle.h"   /* PV_POSTER_BUILDER_MAX */
#include "photovoice/err.h"
#include "photovoice/i18n.h"   /* every page sentence: _() */
#include "photovoice/ingest.h"
#include "photovoice/invite.h"
#include "photovoice/store.h"

/* ---- the server's state, shared by every request (server.c) ---- */
struct pv_web {
	char *archive_dir;
	char *drop_dir;
	char *base;                 /* "https://host:port", for links */
	int tls;
	int dutch;                  /* the Dutch catalogue is there */
	unsigned char csrf_key[32]; /* ARCHIVE/web-secret: forms survive a restart */
};

/* ---- a growing text (render.c) ---- */
struct pv_buf {
	char *data;
	size_t len, cap;
};
void pv_buf_add(struct pv_buf *b, const char *s);
void pv_buf_addf(struct pv_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* s with & < > " ' written as entities: safe in text and in quoted attributes */
void pv_buf_add_html(struct pv_buf *b, const char *s);
void pv_buf_free(struct pv_buf *b);
/* ' width="W" height="H"': the photo's own shape fitted in box_w x box_h,
 * never larger than the photo (the box itself when its size is unknown). With them the browser keeps the
 * picture's room from the start, so nothing moves when it arrives: a button
 * below it stays where the finger or the mouse is going. */
void pv_buf_add_img_size(struct pv_buf *b, int photo_w, int photo_h, int box_w, int box_h);

/* ---- a form being received (server.c, body.c) ---- */
/* the poster builder's form has a caption field per photo */
#define PV_FORM_MAX_FIELDS (24 + PV_POSTER_BUILDER_MAX)
struct pv_form_field {
	char name[16];
	struct pv_buf value;
};
struct pv_form {
	struct pv_form_field fields[PV_FORM_MAX_FIELDS];
	size_t nfields;
	char *photos[PV_HANDIN_MAX_PHOTOS];   /* temp paths, pv_handin_open_temp */
	size_t nphotos;
	int photo_fd;                         /* the photo being received, or -1 */
	uint64_t photo_bytes;
	uint64_t text_bytes;
	int refused;                          /* HTTP status that refuses the body */
	const char *refused_why;              /* its sentence (static) */
};

/* ---- one request ---- */
struct pv_route;
struct pv_req {
	struct pv_web *web;
	struct MHD_Connection *conn;
	const char *method;
	const char *url;
	const struct pv_route *route;
	char *args[2];              /* what the pattern's * matched, malloc'd */
	int english;                /* the browser prefers English to Dutch */
	int wants_json;             /* Accept: application/json */
	char client[64];            /* the peer's address, for rate limits */
	struct pv_invite invite;    /* WHO_TOKEN routes: the link's invitation */
	int has_invite;
	struct MHD_PostProcessor *post;
	struct pv_form form;
	uint64_t body_bytes;        /* of the body, read so far */
	int answered;
	int deferred;               /* started at libmicrohttpd's next call (server.c) */
	/* WHO_STAFF routes: the session's account */
	int64_t staff_id;
	char staff_name[72];
	char session[48];           /* the session cookie's token, when one came */
	char *set_cookie;           /* a Set-Cookie header for the answer, malloc'd */
	time_t started;
	unsigned retry_after;       /* seconds: a Retry-After header on the answer */
	const char *nav;            /* a staff page: its tab in the workspace's
				       menu ("entries", "review", ...) */
	char allow[32];             /* an Allow header on the answer (a 405) */
};

/* ---- the route table (routes.c) ---- */
enum pv_web_who { WHO_ANYONE, WHO_TOKEN, WHO_STAFF };
enum { ROUTE_FORM = 1 };       /* takes a multipart or urlencoded body */
struct pv_route {
	const char *method;
	const char *pattern;        /* "/i/ * /mine": a * is one path segment */
	enum pv_web_who who;
	unsigned flags;
	enum MHD_Result (*handle)(struct pv_req *r);
};
/* The row for method and url, its * segments in r->args; NULL when no
 * route has the path; *path_known set when the path exists with another
 * method (405, not 404). */
const struct pv_route *pv_route_find(const char *method, const char *url, char *args[2],
				     int *path_known);
const struct pv_route *pv_route_at(size_t i);   /* NULL past the end */
/* The methods url's path has, as a 405's Allow header lists them. */
void pv_route_allow(const char *url, char *out, size_t size);

/* ---- who may call (auth.c): the one place that decides access ---- */
/* 0 when the request may reach its handler; else the refusal was sent
 * and the status is returned. */
int pv_auth_check(struct pv_req *r);
/* Per-thread read handle on the catalogue (opened once per thread). */
struct pv_archive *pv_web_catalogue(struct pv_req *r, struct pv_err *err);
/* That handle in one read transaction for the request's reads, or NULL;
 * end it with pv_store_read_end once the handler has answered. */
struct pv_archive *pv_web_read_begin(struct pv_req *r);
/* The CSRF token of the forms of this request's link (hex, 64 chars). */
void pv_auth_csrf(const struct pv_req *r, char out[65]);
/* 0 when the form's csrf field and the Origin header are right; else the
 * 403 was sent and -1 returned. */
int pv_auth_check_form(struct pv_req *r);
/* Rate limits: 0, or -1 with the 429 sent. A request to a guarded route
 * counts against its address before its access check; one through a link
 * counts against the link (photos 0), and a sending's photos against the
 * link's day once they are received (photos > 0: not a request again). */
int pv_auth_rate_address(struct pv_req *r);
int pv_auth_rate_link(struct pv_req *r, unsigned photos);
void pv_auth_init(void);
/* Staff sessions: a login that works sets the session cookie (0); a wrong
 * name or password, or too many tries, gives the status of the refusal and
 * its sentence in why (nothing is sent: the page shows the form again). */
unsigned pv_auth_login(struct pv_req *r, const char *name, const char *password,
		       char why[512]);
void pv_auth_logout(struct pv_req *r);
/* The session of the request's cookie, when it has a live one (for pages
 * anyone may open that say who is logged in). */
int pv_auth_session(struct pv_req *r);
void pv_auth_close_all(void);   /* once every server thread has stopped */

/* ---- slow clients (deadline.c): a request's headers within the timeout ---- */
void pv_deadline_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
			enum MHD_ConnectionNotificationCode code);   /* NOTIFY_CONNECTION */
void pv_deadline_headers_done(struct MHD_Connection *conn);
void pv_deadline_request_done(struct MHD_Connection *conn);
/* Shuts every connection still waiting for its headers after timeout_s. */
void pv_deadline_sweep(unsigned timeout_s);

/* ---- answers (render.c): every response has the same security headers ---- */
enum MHD_Result pv_send_html(struct pv_req *r, unsigned status, const char *title,
			     const struct pv_buf *body);
/* pv_send_html, then the body is freed */
enum MHD_Result pv_send_page(struct pv_req *r, unsigned status, const char *title,
			     struct pv_buf *body);
enum MHD_Result pv_send_json(struct pv_req *r, unsigned status, void *json /* json_t */);
/* One plain sentence and a status, as a page or as {"error":...,"kind":...} */
enum MHD_Result pv_send_error(struct pv_req *r, unsigned status, const char *sentence);
/* The library's error, its kind choosing the status (the one table). */
enum MHD_Result pv_send_err(struct pv_req *r, const struct pv_err *err);
enum MHD_Result pv_send_redirect(struct pv_req *r, const char *location);
enum MHD_Result pv_send_file(struct pv_req *r, const char *path, const char *type,
			     int personal);
enum MHD_Result pv_send_asset(struct pv_req *r, const char *name);

/* Small media files kept in memory a few seconds (media_cache.c). Each
 * pv_media handed out holds a reference: pv_media_let_go it, or give it to
 * pv_media_response, which lets go once the response is sent. */
#define PV_MEDIA_TTL_S 5
#define PV_MEDIA_CACHE_BYTES (8u << 20)
#define PV_MEDIA_CACHED_MAX (64u * 1024)   /* larger files are read, not kept */
struct pv_media;
struct pv_media *pv_media_find(const char *path);
/* The whole of fd (size bytes, a regular file), which it closes; NULL when
 * it could not be read whole. Kept only when the cache was not emptied
 * since clears_before = pv_media_cache_clears(), taken before the open. */
unsigned pv_media_cache_clears(void);
struct pv_media *pv_media_read(int fd, const char *path, size_t size, unsigned clears_before);
const unsigned char *pv_media_bytes(const struct pv_media *m, size_t *len);
void pv_media_let_go(struct pv_media *m);
struct MHD_Response *pv_media_response(struct pv_media *m);
void pv_media_cache_sweep(void);   /* drops what is PV_MEDIA_TTL_S old */
void pv_media_cache_clear(void);   /* after an erasure */
size_t pv_media_cache_bytes(size_t *count);
void pv_media_cache_test_clock(time_t (*clock)(void));   /* NULL: the real one */
/* Bytes (copied) or an open file (closed once sent), personal (no-store);
 * filename (ASCII): offered as a download under that name. */
enum MHD_Result pv_send_bytes(struct pv_req *r, unsigned status, const char *type,
			      const void *data, size_t len, const char *filename);
enum MHD_Result pv_send_fd(struct pv_req *r, int fd, uint64_t len, const char *type,
			   const char *filename);
unsigned pv_status_of(enum pv_err_kind kind);
/* built into the program (assets.c); the last row has no name */
struct pv_asset {
	const char *name, *type, *text;
};
extern const struct pv_asset pv_assets[];

/* ---- form fields (server.c) ---- */
const char *pv_form_get(const struct pv_req *r, const char *name);   /* NULL: absent */

/* ---- the staff workspace's shared pieces (workspace.c) ---- */
/* The catalogue for writing, its log lines under the staff member's name;
 * NULL with err (busy: PV_ERR_BUSY, a 503 with Retry-After). */
struct pv_archive *pv_web_writer(struct pv_req *r, struct pv_err *err);
/* A positive entry number of digits only; 0 for anything else. */
int64_t pv_web_id(const char *s);
/* A query-string value (?q=...), NULL when absent; -1 in *bad when it is not
 * UTF-8 text (the page answers 400). */
const char *pv_web_arg(struct pv_req *r, const char *name, int *bad);
void pv_web_csrf_field(struct pv_buf *b, const struct pv_req *r);
/* The consent scope's short name for staff, in the page's language. */
const char *pv_web_consent_word(enum pv_consent c);
/* The badge of the consent that counts today, and why when it is less than
 * stated (expired, under 16 without a guardian's yes). */
void pv_web_consent_badge(struct pv_buf *b, const struct pv_entry *e,
			  const char *today);
/* What ingest took out of the photo, in words (NULL removed: not recorded). */
void pv_web_removed(struct pv_buf *b, const char *removed);
/* After a change: 303 to back when it is one of the workspace's own pages,
 * else to fallback; JSON: the entry as it is now. */
enum MHD_Result pv_web_done(struct pv_req *r, int64_t id, const char *fallback);
/* The caption and the story of an entry, as text. */
void pv_web_entry_words(struct pv_buf *b, const struct pv_entry *e);
/* The forms of one entry, as /entries/ID and /review show them. */
void pv_web_entry_forms(struct pv_buf *b, const struct pv_req *r, const struct pv_entry *e,
			const char *back);
/* The link of a page of the grid with the request's filters, escaped. */
void pv_web_grid_link(struct pv_buf *b, struct pv_req *r, size_t page);
/* Previous, "Page N of M", Next (nothing when there is one page); link
 * writes a page's address (pv_web_grid_link, the log's). */
void pv_web_pager(struct pv_buf *b, struct pv_req *r, size_t page, size_t pages,
		  void (*link)(struct pv_buf *b, struct pv_req *r, size_t page));

/* ---- page families ---- */
enum MHD_Result pv_page_participant(struct pv_req *r);
enum MHD_Result pv_page_participant_send(struct pv_req *r);
enum MHD_Result pv_page_participant_thanks(struct pv_req *r);
enum MHD_Result pv_page_participant_mine(struct pv_req *r);
enum MHD_Result pv_page_participant_withdraw(struct pv_req *r);
enum MHD_Result pv_page_participant_photo(struct pv_req *r);
enum MHD_Result pv_page_asset(struct pv_req *r);
enum MHD_Result pv_page_home(struct pv_req *r);
enum MHD_Result pv_page_login(struct pv_req *r);
enum MHD_Result pv_page_login_send(struct pv_req *r);
enum MHD_Result pv_page_logout(struct pv_req *r);
enum MHD_Result pv_page_posters_new(struct pv_req *r);
enum MHD_Result pv_page_posters_change(struct pv_req *r);
enum MHD_Result pv_page_posters_preview(struct pv_req *r);
enum MHD_Result pv_page_posters(struct pv_req *r);
enum MHD_Result pv_page_posters_save(struct pv_req *r);
enum MHD_Result pv_page_posters_spec(struct pv_req *r);
enum MHD_Result pv_page_bundles(struct pv_req *r);
enum MHD_Result pv_page_entries(struct pv_req *r);
enum MHD_Result pv_page_entry(struct pv_req *r);
enum MHD_Result pv_page_entry_words(struct pv_req *r);
enum MHD_Result pv_page_entry_tags(struct pv_req *r);
enum MHD_Result pv_page_entry_consent(struct pv_req *r);
enum MHD_Result pv_page_entry_reviewed(struct pv_req *r);
enum MHD_Result pv_page_entry_forget_ask(struct pv_req *r);
enum MHD_Result pv_page_entry_forget(struct pv_req *r);
enum MHD_Result pv_page_media(struct pv_req *r);
enum MHD_Result pv_page_review(struct pv_req *r);
enum MHD_Result pv_page_log(struct pv_req *r);
enum MHD_Result pv_page_tags(struct pv_req *r);
enum MHD_Result pv_page_tags_change(struct pv_req *r);
enum MHD_Result pv_page_participants(struct pv_req *r);
enum MHD_Result pv_page_participant_set(struct pv_req *r);

#endif
