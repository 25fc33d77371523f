/*
 * Who may call what: the one place that decides access. Participant links
 * (the invitation a token opens), the CSRF token of every form and the
 * Origin check, the rate limits per link and per address, and staff
 * sessions with their login and its slowing down.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "photovoice/staff.h"
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
	struct pv_archive *a = pv_archive_open(r->web->archive_dir, PV_OPEN_READ_ONE_THREAD, err);
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

/* This thread's handle with a read transaction begun (pv_store_read_begin),
 * or NULL: then each statement reads on its own, as without. */
struct pv_archive *pv_web_read_begin(struct pv_req *r)
{
	struct pv_err err = {0};
	struct pv_archive *cat = pv_web_catalogue(r, &err);
	return cat && pv_store_read_begin(cat, &err) == 0 ? cat : NULL;
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

/* 0 when within limit; counts the request (limit 0: counts only photos). */
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

static enum MHD_Result too_many(struct pv_req *r, unsigned seconds, const char *sentence)
{
	r->retry_after = seconds;
	return pv_send_error(r, MHD_HTTP_TOO_MANY_REQUESTS, sentence);
}

int pv_auth_rate_address(struct pv_req *r)
{
	char key[80];
	unsigned photo_hit = 0;
	snprintf(key, sizeof key, "a:%s", r->client);
	if (count_request(key, per_minute_address, 0, &photo_hit) == 0)
		return 0;
	too_many(r, 60, _("Too many requests from this address; try again in a minute."));
	return -1;
}

int pv_auth_rate_link(struct pv_req *r, unsigned photos)
{
	char key[80];
	unsigned photo_hit = 0;
	snprintf(key, sizeof key, "l:%lld", (long long)r->invite.id);
	if (count_request(key, photos ? 0 : per_minute_link, photos, &photo_hit) == 0)
		return 0;
	if (photo_hit)
		too_many(r, 3600, _("Many photos were sent through this link today; try again "
				    "tomorrow."));
	else
		too_many(r, 60, _("Too many requests through this link; try again in a minute."));
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
	pv_send_err(r, &err);   /* not found: the library's closed-link sentence */
	return (int)pv_status_of(err.kind);
}

/* ---- staff sessions ---- */

/* 256 random bits in an HttpOnly, SameSite=Strict cookie; only their hash
 * is kept, in this process's memory: a restart ends every session. */
#define SESSION_COOKIE "pv_session"
#define SESSION_IDLE_S (30 * 60)
#define SESSION_MAX_S (12 * 60 * 60)
#define MAX_SESSIONS 256

struct session {
	unsigned char hash[crypto_generichash_BYTES];
	int64_t staff_id;
	char name[72];
	time_t created, last_seen;
	int live;
};
static pthread_mutex_t sessions_lock = PTHREAD_MUTEX_INITIALIZER;
static struct session sessions[MAX_SESSIONS];

static void session_hash(const char *token, unsigned char out[crypto_generichash_BYTES])
{
	crypto_generichash(out, crypto_generichash_BYTES, (const unsigned char *)token,
			   strlen(token), NULL, 0);
}

static int session_expired(const struct session *s, time_t now)
{
	return now - s->last_seen > SESSION_IDLE_S || now - s->created > SESSION_MAX_S;
}

/* The live session of token (touched), copied into *out: 1; else 0. */
static int session_find(const char *token, struct session *out)
{
	unsigned char h[crypto_generichash_BYTES];
	session_hash(token, h);
	time_t now = time(NULL);
	int found = 0;
	pthread_mutex_lock(&sessions_lock);
	for (size_t i = 0; i < MAX_SESSIONS; i++) {
		struct session *s = &sessions[i];
		if (!s->live || sodium_memcmp(s->hash, h, sizeof h) != 0)
			continue;
		if (session_expired(s, now)) {
			s->live = 0;
			break;
		}
		s->last_seen = now;
		*out = *s;
		found = 1;
		break;
	}
	pthread_mutex_unlock(&sessions_lock);
	return found;
}

/* A slot for a new session: a free one, else an expired one, else the one
 * idle longest. */
static struct session *session_slot(time_t now)
{
	struct session *oldest = &sessions[0];
	for (size_t i = 0; i < MAX_SESSIONS; i++) {
		struct session *s = &sessions[i];
		if (!s->live || session_expired(s, now))
			return s;
		if (s->last_seen < oldest->last_seen)
			oldest = s;
	}
	return oldest;
}

static void session_start(struct pv_req *r, const struct pv_staff *who)
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(r->session, sizeof r->session, raw, sizeof raw,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	time_t now = time(NULL);
	pthread_mutex_lock(&sessions_lock);
	struct session *s = session_slot(now);
	session_hash(r->session, s->hash);
	s->staff_id = who->id;
	snprintf(s->name, sizeof s->name, "%s", who->name);
	s->created = s->last_seen = now;
	s->live = 1;
	pthread_mutex_unlock(&sessions_lock);
	r->staff_id = who->id;
	snprintf(r->staff_name, sizeof r->staff_name, "%s", who->name);
	if (asprintf(&r->set_cookie, SESSION_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict%s",
		     r->session, r->web->tls ? "; Secure" : "") < 0)
		abort();
}

static void session_end(const char *token)
{
	unsigned char h[crypto_generichash_BYTES];
	session_hash(token, h);
	pthread_mutex_lock(&sessions_lock);
	for (size_t i = 0; i < MAX_SESSIONS; i++)
		if (sessions[i].live && sodium_memcmp(sessions[i].hash, h, sizeof h) == 0)
			sessions[i].live = 0;
	pthread_mutex_unlock(&sessions_lock);
}

int pv_auth_session(struct pv_req *r)
{
	const char *token = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND,
							SESSION_COOKIE);
	struct session s;
	if (!token || strlen(token) >= sizeof r->session || !session_find(token, &s))
		return 0;
	/* an account removed with `staff remove` ends its sessions at once */
	struct pv_err err = {0};
	struct pv_archive *cat = pv_web_catalogue(r, &err);
	struct pv_staff still;
	if (!cat || pv_staff_get(cat, s.staff_id, &still, &err) != 0) {
		session_end(token);
		return 0;
	}
	pv_staff_free(&still);
	snprintf(r->session, sizeof r->session, "%s", token);
	r->staff_id = s.staff_id;
	snprintf(r->staff_name, sizeof r->staff_name, "%s", s.name);
	return 1;
}

/* Failed logins slow down per address and per account from that address:
 * free for a few tries, then a wait that doubles. Never a lock-out: a
 * stranger elsewhere cannot keep staff from logging in. */
#define FREE_TRIES 5
#define MAX_WAIT_S 300

struct tries {
	char key[160];
	unsigned failed;
	time_t next;
};
static pthread_mutex_t tries_lock = PTHREAD_MUTEX_INITIALIZER;
static struct tries tries[256];

static struct tries *tries_for(const char *key)
{
	uint32_t h = 2166136261u;
	for (const char *c = key; *c; c++)
		h = (h ^ (uint8_t)*c) * 16777619u;
	struct tries *t = &tries[h % 256];
	if (strcmp(t->key, key) != 0) {
		memset(t, 0, sizeof *t);
		snprintf(t->key, sizeof t->key, "%s", key);
	}
	return t;
}

/* Seconds to wait before another try from this address for this name. */
static unsigned login_wait(const struct pv_req *r, const char *name)
{
	char k1[160], k2[160];
	snprintf(k1, sizeof k1, "a:%s", r->client);
	snprintf(k2, sizeof k2, "n:%s|%s", name, r->client);
	time_t now = time(NULL), next;
	pthread_mutex_lock(&tries_lock);
	next = tries_for(k1)->next;
	if (tries_for(k2)->next > next)
		next = tries_for(k2)->next;
	pthread_mutex_unlock(&tries_lock);
	return next > now ? (unsigned)(next - now) : 0;
}

static void login_failed(const struct pv_req *r, const char *name)
{
	char keys[2][160];
	snprintf(keys[0], sizeof keys[0], "a:%s", r->client);
	snprintf(keys[1], sizeof keys[1], "n:%s|%s", name, r->client);
	time_t now = time(NULL);
	pthread_mutex_lock(&tries_lock);
	for (int i = 0; i < 2; i++) {
		struct tries *t = tries_for(keys[i]);
		/* the address's own count allows more: a room full of staff */
		unsigned free_tries = i == 0 ? FREE_TRIES * 4 : FREE_TRIES;
		if (++t->failed > free_tries) {
			unsigned shift = t->failed - free_tries - 1;
			unsigned wait = shift >= 9 ? MAX_WAIT_S : 1u << shift;
			t->next = now + (wait > MAX_WAIT_S ? MAX_WAIT_S : wait);
		}
	}
	pthread_mutex_unlock(&tries_lock);
}

static void login_worked(const struct pv_req *r, const char *name)
{
	char key[160];
	snprintf(key, sizeof key, "n:%s|%s", name, r->client);
	pthread_mutex_lock(&tries_lock);
	memset(tries_for(key), 0, sizeof(struct tries));
	pthread_mutex_unlock(&tries_lock);
}

/* Argon2id takes 64 MB a hash: two at a time keep the server's memory. */
static pthread_mutex_t hashing_lock[2] = { PTHREAD_MUTEX_INITIALIZER,
					   PTHREAD_MUTEX_INITIALIZER };
static unsigned hashing_turn;

static int check_password(struct pv_req *r, const char *name, const char *password,
			  struct pv_staff *who, struct pv_err *err)
{
	struct pv_archive *cat = pv_web_catalogue(r, err);
	if (!cat)
		return -1;
	pthread_mutex_t *m = &hashing_lock[__atomic_fetch_add(&hashing_turn, 1,
							      __ATOMIC_RELAXED) % 2];
	int rehash = 0;
	pthread_mutex_lock(m);
	int rc = pv_staff_login(cat, name, password, who, &rehash, err);
	pthread_mutex_unlock(m);
	if (rc == 0 && rehash) {   /* newer parameters: best effort, now */
		struct pv_err ignored = {0};
		struct pv_archive *w = pv_archive_open(r->web->archive_dir, PV_OPEN_WRITE_NOWAIT,
						       &ignored);
		if (w) {
			pv_archive_set_actor(w, name);
			pv_staff_passwd(w, name, password, &ignored);
			pv_archive_close(w);
		}
	}
	return rc;
}

unsigned pv_auth_login(struct pv_req *r, const char *name, const char *password,
		       char why[512])
{
	name = name ? name : "";
	unsigned wait = login_wait(r, name);
	if (wait) {
		r->retry_after = wait;
		snprintf(why, 512, "%s", _("Too many failed tries; wait a moment, then try "
					   "again."));
		return MHD_HTTP_TOO_MANY_REQUESTS;
	}
	struct pv_staff who;
	struct pv_err err = {0};
	if (check_password(r, name, password, &who, &err) != 0) {
		if (err.kind != PV_ERR_NOT_ALLOWED) {
			snprintf(why, 512, "%s", err.msg);
			return pv_status_of(err.kind);
		}
		login_failed(r, name);
		snprintf(why, 512, "%s", err.msg);   /* the library's sentence */
		return MHD_HTTP_UNAUTHORIZED;
	}
	login_worked(r, name);
	session_start(r, &who);
	pv_staff_free(&who);
	return 0;
}

void pv_auth_logout(struct pv_req *r)
{
	if (r->session[0])
		session_end(r->session);
	free(r->set_cookie);
	if (asprintf(&r->set_cookie, SESSION_COOKIE "=; Path=/; HttpOnly; SameSite=Strict; "
		     "Max-Age=0%s", r->web->tls ? "; Secure" : "") < 0)
		abort();
}

static int check_staff(struct pv_req *r)
{
	if (pv_auth_session(r))
		return 0;
	pv_send_error(r, MHD_HTTP_UNAUTHORIZED,
		      _("Log in as staff first, at /login."));
	return MHD_HTTP_UNAUTHORIZED;
}

int pv_auth_check(struct pv_req *r)
{
	switch (r->route->who) {
	case WHO_ANYONE:
		return 0;
	case WHO_TOKEN:
		return check_token(r);
	case WHO_STAFF:
		return check_staff(r);
	}
	return check_staff(r);
}

/* ---- forms ---- */

/* The form token of a link: a MAC of the link under the server's key, so
 * that a page of another site cannot make a form this server accepts. */
void pv_auth_csrf(const struct pv_req *r, char out[65])
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	char what[80];
	snprintf(what, sizeof what, "%s:%s", r->has_invite ? "link" : r->session[0] ? "staff"
		 : "anyone", r->has_invite ? r->args[0] : r->session);
	crypto_auth_hmacsha256(mac, (const unsigned char *)what, strlen(what),
			       r->web->csrf_key);
	sodium_bin2hex(out, 65, mac, sizeof mac);
}

/* A browser says where a form comes from; it must be this server. Under our
 * Referrer-Policy: no-referrer a browser sends "Origin: null" even for our
 * own forms; then Sec-Fetch-Site, which that policy leaves alone, tells. */
static int origin_is_ours(struct pv_req *r)
{
	const char *origin = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
							 "Origin");
	if (!origin)
		return 1;   /* not a browser, or an old one: the form token still counts */
	if (strcmp(origin, "null") == 0) {
		const char *site = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
							       "Sec-Fetch-Site");
		return !site || strcmp(site, "same-origin") == 0;
	}
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
			      _("This form came from another website and was not accepted."));
		return -1;
	}
	char want[65];
	pv_auth_csrf(r, want);
	const char *got = pv_form_get(r, "csrf");
	if (!got || strlen(got) != 64 || sodium_memcmp(got, want, 64) != 0) {
		pv_send_error(r, MHD_HTTP_FORBIDDEN,
			      _("This form has expired or is incomplete; open the page again "
				"and try once more."));
		return -1;
	}
	return 0;
}
