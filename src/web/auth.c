/*
 * Who may call what: the one place that decides access. Participant links
 * (the invitation a token opens), the CSRF token of every form and the
 * Origin check, and the rate limits per link and per address. Staff
 * sessions come with the staff workspace; until then a staff route refuses.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "photovoice/util.h"
#include "web_internal.h"

/* ---- the catalogue, one read handle per thread ---- */

#define MAX_HANDLES 64
static pthread_mutex_t handles_lock = PTHREAD_MUTEX_INITIALIZER;
static struct pv_archive *handles[MAX_HANDLES];
static size_t nhandles;
static __thread struct pv_archive *thread_handle;

/* Opening costs a millisecond; a thread keeps its handle, and SQLite shows
 * it every commit made since (each statement reads the newest state). */
struct pv_archive *pv_web_catalogue(struct pv_req *r, struct pv_err *err)
{
	if (thread_handle)
		return thread_handle;
	struct pv_archive *a = pv_archive_open(r->web->archive_dir, PV_OPEN_READ, err);
	if (!a)
		return NULL;
	pthread_mutex_lock(&handles_lock);
	int kept = nhandles < MAX_HANDLES;
	if (kept)
		handles[nhandles++] = a;
	pthread_mutex_unlock(&handles_lock);
	if (kept)
		thread_handle = a;
	else
		pv_fail(err, PV_ERR_BUSY, "The server is too busy right now; try again in a moment.");
	if (!kept)
		pv_archive_close(a);
	return kept ? a : NULL;
}

/* Once every thread of the server has stopped. */
void pv_auth_close_all(void)
{
	pthread_mutex_lock(&handles_lock);
	for (size_t i = 0; i < nhandles; i++)
		pv_archive_close(handles[i]);
	nhandles = 0;
	pthread_mutex_unlock(&handles_lock);
}

/* ---- rate limits ---- */

#define SLOTS 1024
struct slot {
	char key[80];
	time_t minute;          /* the window the count is for */
	unsigned count;
	long day;               /* the day photos_today is for */
	unsigned photos_today;
};
static pthread_mutex_t slots_lock = PTHREAD_MUTEX_INITIALIZER;
static struct slot slots[SLOTS];
static unsigned per_minute_address = 600, per_minute_link = 300, photos_per_day = 200;

/* PV_WEB_RATE="ADDRESS,LINK,PHOTOS" (per minute, per minute, per day; 0: no
 * limit) for tests and make bench. */
void pv_auth_init(void)
{
	const char *s = getenv("PV_WEB_RATE");
	unsigned a, l, p;
	if (s && sscanf(s, "%u,%u,%u", &a, &l, &p) == 3) {
		per_minute_address = a;
		per_minute_link = l;
		photos_per_day = p;
	}
	if (sodium_init() < 0)
		abort();   /* no randomness, no tokens: nothing safe to serve */
}

static struct slot *slot_for(const char *key)
{
	uint32_t h = 2166136261u;
	for (const char *c = key; *c; c++)
		h = (h ^ (uint8_t)*c) * 16777619u;
	struct slot *s = &slots[h % SLOTS];
	if (strcmp(s->key, key) != 0) {   /* a new key, or a collision: start over */
		memset(s, 0, sizeof *s);
		snprintf(s->key, sizeof s->key, "%s", key);
	}
	return s;
}

/* 0 when within limit; counts the request. */
static int count_request(const char *key, unsigned limit, unsigned photos, unsigned *photo_limit_hit)
{
	time_t now = time(NULL);
	pthread_mutex_lock(&slots_lock);
	struct slot *s = slot_for(key);
	if (s->minute != now / 60) {
		s->minute = now / 60;
		s->count = 0;
	}
	if (s->day != now / 86400) {
		s->day = now / 86400;
		s->photos_today = 0;
	}
	int over = limit && ++s->count > limit;
	if (!over && photos && photos_per_day && s->photos_today + photos > photos_per_day) {
		*photo_limit_hit = 1;
		over = 1;
	}
	if (!over)
		s->photos_today += photos;
	pthread_mutex_unlock(&slots_lock);
	return over ? -1 : 0;
}

static enum MHD_Result too_many(struct pv_req *r, unsigned seconds, const char *nl,
				const char *en)
{
	r->retry_after = seconds;
	return pv_send_error(r, MHD_HTTP_TOO_MANY_REQUESTS, PV_L(r, nl, en));
}

int pv_auth_rate(struct pv_req *r, unsigned photos)
{
	char key[80];
	unsigned photo_hit = 0;
	snprintf(key, sizeof key, "a:%s", r->client);
	if (count_request(key, per_minute_address, 0, &photo_hit) != 0) {
		too_many(r, 60, "Er komen te veel verzoeken van dit adres; probeer het over een "
			 "minuut opnieuw.", "Too many requests from this address; try again in "
			 "a minute.");
		return -1;
	}
	if (!r->has_invite)
		return 0;
	snprintf(key, sizeof key, "l:%lld", (long long)r->invite.id);
	if (count_request(key, per_minute_link, photos, &photo_hit) == 0)
		return 0;
	if (photo_hit)
		too_many(r, 3600, "Via deze link zijn vandaag al veel foto's gestuurd; probeer het "
			 "morgen opnieuw.", "Many photos were sent through this link today; try "
			 "again tomorrow.");
	else
		too_many(r, 60, "Er komen te veel verzoeken via deze link; probeer het over een "
			 "minuut opnieuw.", "Too many requests through this link; try again in a "
			 "minute.");
	return -1;
}

/* ---- participant links ---- */

/* Unknown, expired, revoked, malformed: the same page, the same status. */
static int check_token(struct pv_req *r)
{
	struct pv_err err = {0};
	struct pv_archive *cat = pv_web_catalogue(r, &err);
	if (cat && pv_invite_open(cat, r->args[0], NULL, &r->invite, &err) == 0) {
		r->has_invite = 1;
		return 0;
	}
	if (err.kind == PV_ERR_NOT_FOUND) {
		pv_send_error(r, MHD_HTTP_NOT_FOUND,
			      PV_L(r, "Deze link werkt niet (meer). Vraag de begeleider om een "
				   "nieuwe link.", "This link does not work (any more). Ask the "
				   "person who gave it to you for a new one."));
		return MHD_HTTP_NOT_FOUND;
	}
	pv_send_err(r, &err);
	return (int)pv_status_of(err.kind);
}

int pv_auth_check(struct pv_req *r)
{
	switch (r->route->who) {
	case WHO_ANYONE:
		return 0;
	case WHO_TOKEN:
		return check_token(r);
	case WHO_STAFF:
		break;
	}
	pv_send_error(r, MHD_HTTP_UNAUTHORIZED,
		      PV_L(r, "Log eerst in als medewerker.", "Log in as staff first."));
	return MHD_HTTP_UNAUTHORIZED;
}

/* ---- forms ---- */

/* The form token of a link: a MAC of the link under the server's key, so
 * that a page of another site cannot make a form this server accepts. */
void pv_auth_csrf(const struct pv_req *r, char out[65])
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	const char *what = r->has_invite ? r->args[0] : "anyone";
	crypto_auth_hmacsha256(mac, (const unsigned char *)what, strlen(what),
			       r->web->csrf_key);
	sodium_bin2hex(out, 65, mac, sizeof mac);
}

/* A browser says where a form comes from; it must be this server. */
static int origin_is_ours(struct pv_req *r)
{
	const char *origin = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
							 "Origin");
	if (!origin)
		return 1;   /* not a browser, or an old one: the form token still counts */
	const char *host = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Host");
	if (!host)
		return 0;
	char ours[300];
	snprintf(ours, sizeof ours, "%s://%s", r->web->tls ? "https" : "http", host);
	return strcmp(origin, ours) == 0;
}

int pv_auth_check_form(struct pv_req *r)
{
	if (!origin_is_ours(r)) {
		pv_send_error(r, MHD_HTTP_FORBIDDEN,
			      PV_L(r, "Dit formulier kwam van een andere website en is niet "
				   "aangenomen.", "This form came from another website and was "
				   "not accepted."));
		return -1;
	}
	char want[65];
	pv_auth_csrf(r, want);
	const char *got = pv_form_get(r, "csrf");
	if (!got || strlen(got) != 64 || sodium_memcmp(got, want, 64) != 0) {
		pv_send_error(r, MHD_HTTP_FORBIDDEN,
			      PV_L(r, "Dit formulier is verlopen of niet compleet; open de pagina "
				   "opnieuw en probeer het nog eens.", "This form has expired or "
				   "is incomplete; open the page again and try once more."));
		return -1;
	}
	return 0;
}
