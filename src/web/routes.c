/*
 * The route table: one row per route, like the command table of
 * src/cli/main.c. `who` says who may call it, and auth.c checks it before
 * any handler runs, so a route added here cannot forget its guard; the
 * tests walk this table (tests/e2e/t7x).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "photovoice/util.h"
#include "web_internal.h"

static const struct pv_route routes[] = {
	{ "GET", "/", WHO_ANYONE, 0, pv_page_home },
	{ "GET", "/static/*", WHO_ANYONE, 0, pv_page_asset },
	{ "GET", "/login", WHO_ANYONE, 0, pv_page_login },
	{ "POST", "/login", WHO_ANYONE, ROUTE_FORM, pv_page_login_send },
	{ "POST", "/logout", WHO_STAFF, ROUTE_FORM, pv_page_logout },
	{ "GET", "/i/*", WHO_TOKEN, 0, pv_page_participant },
	{ "POST", "/i/*", WHO_TOKEN, ROUTE_FORM, pv_page_participant_send },
	{ "GET", "/i/*/thanks", WHO_TOKEN, 0, pv_page_participant_thanks },
	{ "GET", "/i/*/mine", WHO_TOKEN, 0, pv_page_participant_mine },
	{ "POST", "/i/*/withdraw", WHO_TOKEN, ROUTE_FORM, pv_page_participant_withdraw },
	{ "GET", "/i/*/photo/*", WHO_TOKEN, 0, pv_page_participant_photo },
	{ "GET", "/posters", WHO_STAFF, 0, pv_page_posters },
	{ "POST", "/posters", WHO_STAFF, ROUTE_FORM, pv_page_posters_save },
	{ "GET", "/posters/new", WHO_STAFF, 0, pv_page_posters_new },
	{ "POST", "/posters/new", WHO_STAFF, ROUTE_FORM, pv_page_posters_change },
	{ "POST", "/posters/preview", WHO_STAFF, ROUTE_FORM, pv_page_posters_preview },
	{ "GET", "/posters/*/spec", WHO_STAFF, 0, pv_page_posters_spec },
	{ "POST", "/bundles", WHO_STAFF, ROUTE_FORM, pv_page_bundles },
	/* the staff workspace */
	{ "GET", "/review", WHO_STAFF, 0, pv_page_review },
	{ "GET", "/entries", WHO_STAFF, 0, pv_page_entries },
	{ "GET", "/entries/*", WHO_STAFF, 0, pv_page_entry },
	{ "POST", "/entries/*/words", WHO_STAFF, ROUTE_FORM, pv_page_entry_words },
	{ "POST", "/entries/*/tags", WHO_STAFF, ROUTE_FORM, pv_page_entry_tags },
	{ "POST", "/entries/*/consent", WHO_STAFF, ROUTE_FORM, pv_page_entry_consent },
	{ "POST", "/entries/*/reviewed", WHO_STAFF, ROUTE_FORM, pv_page_entry_reviewed },
	{ "GET", "/entries/*/forget", WHO_STAFF, 0, pv_page_entry_forget_ask },
	{ "POST", "/entries/*/forget", WHO_STAFF, ROUTE_FORM, pv_page_entry_forget },
	{ "GET", "/media/*/*", WHO_STAFF, 0, pv_page_media },
	{ "GET", "/tags", WHO_STAFF, 0, pv_page_tags },
	{ "POST", "/tags", WHO_STAFF, ROUTE_FORM, pv_page_tags_change },
	{ "GET", "/participants", WHO_STAFF, 0, pv_page_participants },
	{ "POST", "/participants", WHO_STAFF, ROUTE_FORM, pv_page_participant_set },
	{ "GET", "/log", WHO_STAFF, 0, pv_page_log },
};

#define NROUTES (sizeof routes / sizeof routes[0])

const struct pv_route *pv_route_at(size_t i)
{
	return i < NROUTES ? &routes[i] : NULL;
}

/* One path segment: no '/', not empty; a '*' matches it whole. */
static int match(const char *pattern, const char *path, char *args[2])
{
	size_t nargs = 0;
	while (*pattern && *path) {
		if (*pattern == '*') {
			size_t n = strcspn(path, "/");
			if (n == 0 || nargs == 2)
				return 0;
			args[nargs++] = pv_strndup(path, n);
			path += n;
			pattern++;
		} else if (*pattern++ != *path++) {
			return 0;
		}
	}
	return !*pattern && !*path;
}

static void drop_args(char *args[2])
{
	for (int i = 0; i < 2; i++) {
		free(args[i]);
		args[i] = NULL;
	}
}

const struct pv_route *pv_route_find(const char *method, const char *url, char *args[2],
				     int *path_known)
{
	*path_known = 0;
	for (size_t i = 0; i < NROUTES; i++) {
		if (!match(routes[i].pattern, url, args)) {
			drop_args(args);
			continue;
		}
		if (strcmp(routes[i].method, method) == 0 ||
		    (strcmp(method, "HEAD") == 0 && strcmp(routes[i].method, "GET") == 0))
			return &routes[i];
		*path_known = 1;
		drop_args(args);
	}
	return NULL;
}

/* The methods url's path has, for the Allow header of a 405: "GET, HEAD,
 * POST" (HEAD wherever GET is: libmicrohttpd answers it as a GET). */
void pv_route_allow(const char *url, char *out, size_t size)
{
	int get = 0, post = 0;
	for (size_t i = 0; i < NROUTES; i++) {
		char *args[2] = { NULL, NULL };
		if (match(routes[i].pattern, url, args)) {
			get |= strcmp(routes[i].method, "GET") == 0;
			post |= strcmp(routes[i].method, "POST") == 0;
		}
		drop_args(args);
	}
	snprintf(out, size, "%s%s%s", get ? "GET, HEAD" : "", get && post ? ", " : "",
		 post ? "POST" : "");
}
