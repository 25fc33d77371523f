/*
 * photovoice serve: libmicrohttpd set-up, TLS, limits, the way a request
 * goes (route, access, body, handler), and a clean stop. It knows no page:
 * the route table (routes.c) names the handlers, auth.c decides access.
 *
 * A sending's photos are streamed to files in ARCHIVE/tmp as they arrive,
 * never held whole in memory, and refused (413) as soon as they pass a
 * limit. A request that is never answered leaves nothing: its files are
 * removed when libmicrohttpd says the request is over, and whatever a killed
 * server left in ARCHIVE/tmp is removed at the next start.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "photovoice/i18n.h"
#include "photovoice/util.h"
#include "photovoice/web.h"
#include "web_internal.h"

#define POST_BUFFER 65536
#define STOP_GRACE_S 10          /* sendings in flight may finish this long */
#define DEFAULT_TIMEOUT_S 30     /* a connection quiet this long is closed */
#define BODY_DEADLINE_S 600      /* a sending slower than this is refused */
#define TEXT_LIMIT ((uint64_t)PV_MAX_STORY_BYTES + 64 * 1024)

static const char *const known_fields[] = {
	"title", "caption", "story", "consent", "csrf", "id", "name", "password",
	/* the poster builder (page_posters.c); its captions are "cap-ID" */
	"subtitle", "paper", "orientation", "columns", "order", "action", "q", "tag",
	"spec", "format", "poster", "purpose", "width",
	/* the staff workspace's forms */
	"tags", "remove", "guardian", "until", "confirm", "back", "from", "to", "how",
	"credit", "under16",
};

static pthread_mutex_t active_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned active_requests;

/* ---- form fields ---- */

const char *pv_form_get(const struct pv_req *r, const char *name)
{
	for (size_t i = 0; i < r->form.nfields; i++)
		if (strcmp(r->form.fields[i].name, name) == 0)
			return r->form.fields[i].value.data ? r->form.fields[i].value.data : "";
	return NULL;
}

static void refuse_body(struct pv_req *r, unsigned status, const char *why)
{
	if (!r->form.refused) {
		r->form.refused = (int)status;
		r->form.refused_why = why;
	}
}

static struct pv_buf *field_value(struct pv_req *r, const char *key)
{
	for (size_t i = 0; i < r->form.nfields; i++)
		if (strcmp(r->form.fields[i].name, key) == 0)
			return &r->form.fields[i].value;
	if (r->form.nfields == PV_FORM_MAX_FIELDS)
		return NULL;
	struct pv_form_field *f = &r->form.fields[r->form.nfields++];
	snprintf(f->name, sizeof f->name, "%s", key);
	pv_buf_add(&f->value, "");
	return &f->value;
}

static int is_known_field(const char *key)
{
	if (strncmp(key, "cap-", 4) == 0 && strlen(key) < sizeof ((struct pv_form_field *)0)->name)
		return 1;
	for (size_t i = 0; i < sizeof known_fields / sizeof *known_fields; i++)
		if (strcmp(known_fields[i], key) == 0)
			return 1;
	return 0;
}

static void take_text(struct pv_req *r, const char *key, const char *data, size_t size)
{
	r->form.text_bytes += size;
	if (r->form.text_bytes > TEXT_LIMIT) {
		refuse_body(r, MHD_HTTP_CONTENT_TOO_LARGE,
			    _("The text is too long."));
		return;
	}
	if (!is_known_field(key))
		return;   /* a field no page asks for is not kept */
	struct pv_buf *v = field_value(r, key);
	if (!v) {
		/* never keep some of a form and silently lose the rest */
		refuse_body(r, MHD_HTTP_CONTENT_TOO_LARGE,
			    _("This form has too many fields; nothing was saved."));
		return;
	}
	/* a NUL would end the words there and lose the rest: it goes, as every
	 * other control goes at intake (pv_text_keep) */
	for (size_t at = 0; at < size;) {
		size_t n = strnlen(data + at, size - at);
		char *piece = pv_strndup(data + at, n);
		pv_buf_add(v, piece);
		free(piece);
		at += n + 1;
	}
}

static void start_photo(struct pv_req *r)
{
	if (r->form.photo_fd >= 0)
		close(r->form.photo_fd);
	r->form.photo_fd = -1;
	if (r->form.nphotos == PV_HANDIN_MAX_PHOTOS) {
		refuse_body(r, MHD_HTTP_CONTENT_TOO_LARGE,
			    _("That is too many photos at once: send at most 10 at a time."));
		return;
	}
	struct pv_err err = {0};
	char *path = NULL;
	int fd = pv_handin_open_temp(r->web->archive_dir, &path, &err);
	if (fd < 0) {
		refuse_body(r, MHD_HTTP_INTERNAL_SERVER_ERROR,
			    _("The photo could not be received; try again later."));
		return;
	}
	r->form.photos[r->form.nphotos++] = path;
	r->form.photo_fd = fd;
	r->form.photo_bytes = 0;
}

static void take_photo(struct pv_req *r, uint64_t off, const char *data, size_t size)
{
	if (off == 0)
		start_photo(r);
	if (r->form.refused || r->form.photo_fd < 0)
		return;
	r->form.photo_bytes += size;
	if (r->form.photo_bytes > PV_HANDIN_MAX_PHOTO_BYTES) {
		refuse_body(r, MHD_HTTP_CONTENT_TOO_LARGE,
			    _("This photo is too large: at most 30 MB a photo."));
		return;
	}
	if (size && pv_write_all(r->form.photo_fd, data, size) != 0)
		refuse_body(r, MHD_HTTP_INTERNAL_SERVER_ERROR,
			    _("The photo could not be saved; try again later."));
}

static enum MHD_Result on_field(void *cls, enum MHD_ValueKind kind, const char *key,
				const char *filename, const char *content_type,
				const char *transfer_encoding, const char *data, uint64_t off,
				size_t size)
{
	(void)kind;
	(void)content_type;
	(void)transfer_encoding;
	struct pv_req *r = cls;
	if (r->form.refused)
		return MHD_NO;
	if (strcmp(key, "photo") == 0 && filename) {
		if (*filename)   /* a file input left empty sends a part without a name */
			take_photo(r, off, data, size);
	} else {
		take_text(r, key, data, size);
	}
	return r->form.refused ? MHD_NO : MHD_YES;
}

/* ---- a request's way ---- */

static void read_preferences(struct pv_req *r)
{
	const char *lang = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
						       "Accept-Language");
	/* the first language the browser names that we speak; Dutch first,
	 * when its catalogue is there (the page's lang says what it speaks) */
	r->english = !r->web->dutch || pv_lang_from_accept(lang, PV_LANG_NL) == PV_LANG_EN;
	const char *accept = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Accept");
	r->wants_json = accept && strstr(accept, "application/json") &&
			!strstr(accept, "text/html");
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, r->client,
			  sizeof r->client);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, r->client,
			  sizeof r->client);
}

static int is_form_type(const char *type)
{
	return type && (strncasecmp(type, MHD_HTTP_POST_ENCODING_MULTIPART_FORMDATA,
				    strlen(MHD_HTTP_POST_ENCODING_MULTIPART_FORMDATA)) == 0 ||
			strncasecmp(type, MHD_HTTP_POST_ENCODING_FORM_URLENCODED,
				    strlen(MHD_HTTP_POST_ENCODING_FORM_URLENCODED)) == 0);
}

/* A form route: the limits known from the headers, then the body. */
static enum MHD_Result start_form(struct pv_req *r)
{
	const char *len = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
						      MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (len && strtoull(len, NULL, 10) > PV_HANDIN_MAX_BYTES)
		return pv_send_error(r, MHD_HTTP_CONTENT_TOO_LARGE,
				     _("This is too much at once: send fewer photos at a time."));
	const char *type = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
						       MHD_HTTP_HEADER_CONTENT_TYPE);
	if (!is_form_type(type))
		return pv_send_error(r, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE,
				     _("This is not a form."));
	r->post = MHD_create_post_processor(r->conn, POST_BUFFER, on_field, r);
	if (!r->post)
		return pv_send_error(r, MHD_HTTP_BAD_REQUEST,
				     _("This form cannot be read."));
	return MHD_YES;
}

static enum MHD_Result no_route(struct pv_req *r, int path_known)
{
	if (path_known) {
		pv_route_allow(r->url, r->allow, sizeof r->allow);
		return pv_send_error(r, MHD_HTTP_METHOD_NOT_ALLOWED,
				     _("That cannot be done on this page."));
	}
	return pv_send_error(r, MHD_HTTP_NOT_FOUND,
			     _("There is no such page."));
}

static enum MHD_Result start_checked(struct pv_req *r)
{
	if (pv_auth_check(r) != 0)
		return MHD_YES;   /* refused, and said so */
	if (r->has_invite && pv_auth_rate_link(r, 0) != 0)
		return MHD_YES;
	if (r->route->flags & ROUTE_FORM)
		return start_form(r);
	return r->route->handle(r);
}

/* libmicrohttpd's thread serves many requests in turn: every call for a
 * request first makes the thread speak that request's language, which is
 * what gettext (and so every library sentence) reads (photovoice/i18n.h). */
static void speak_its_language(const struct pv_req *r)
{
	pv_i18n_use(r->english ? PV_LANG_EN : PV_LANG_NL);
}

static enum MHD_Result start(struct pv_req *r)
{
	read_preferences(r);
	speak_its_language(r);
	int path_known = 0;
	r->route = pv_route_find(r->method, r->url, r->args, &path_known);
	if (!r->route)
		return no_route(r, path_known);
	/* a link that does not work counts against its address too: guessing
	 * links is not free */
	if (r->route->who != WHO_ANYONE && pv_auth_rate_address(r) != 0)
		return MHD_YES;
	/* A guarded GET only reads: its access check and its page see one
	 * snapshot of the catalogue, in one read transaction instead of one
	 * per statement (a thumbnail: its link, then its photo). */
	int reads_only = r->route->who != WHO_ANYONE && !(r->route->flags & ROUTE_FORM);
	struct pv_archive *snapshot = reads_only ? pv_web_read_begin(r) : NULL;
	enum MHD_Result ret = start_checked(r);
	pv_store_read_end(snapshot);
	return ret;
}

static enum MHD_Result finish_form(struct pv_req *r)
{
	if (r->form.photo_fd >= 0) {
		close(r->form.photo_fd);
		r->form.photo_fd = -1;
	}
	if (r->form.refused)
		return pv_send_error(r, (unsigned)r->form.refused, r->form.refused_why);
	if (pv_auth_check_form(r) != 0)
		return MHD_YES;
	return r->route->handle(r);
}

/* libmicrohttpd (0.9.75) closes the connection after an answer queued in the
 * first call for a request, so every image of a page cost a new connection.
 * A GET or HEAD without a body is answered in the second call instead, when
 * the request is complete, and its connection is kept for the next one. A
 * request with a body starts at once: a refusal (413, 403) goes before the
 * body is read, and the connection is rightly closed on the unread rest. */
static int answer_later(const struct pv_req *r)
{
	if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0)
		return 0;
	const char *len = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
						      MHD_HTTP_HEADER_CONTENT_LENGTH);
	const char *te = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
						     MHD_HTTP_HEADER_TRANSFER_ENCODING);
	return !te && (!len || strtoull(len, NULL, 10) == 0);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_data_size,
				  void **con_cls)
{
	(void)version;
	struct pv_req *r = *con_cls;
	if (!r) {
		r = calloc(1, sizeof *r);
		if (!r)
			return MHD_NO;
		r->web = cls;
		r->conn = conn;
		r->url = url;
		r->method = method;
		r->form.photo_fd = -1;
		r->started = time(NULL);
		pv_deadline_headers_done(conn);
		*con_cls = r;
		pthread_mutex_lock(&active_lock);
		active_requests++;
		pthread_mutex_unlock(&active_lock);
		if (!answer_later(r))
			return start(r);
		r->deferred = 1;
		return MHD_YES;
	}
	if (r->deferred) {         /* the second call: the whole request is in */
		r->deferred = 0;
		return start(r);
	}
	speak_its_language(r);
	if (r->answered) {          /* refused early: the rest is not read */
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (*upload_data_size) {
		r->body_bytes += *upload_data_size;
		if (r->post && !r->form.refused)
			MHD_post_process(r->post, upload_data, *upload_data_size);
		*upload_data_size = 0;
		if (!r->form.refused && time(NULL) - r->started > BODY_DEADLINE_S)
			refuse_body(r, MHD_HTTP_REQUEST_TIMEOUT,
				    _("Sending took too long; try again."));
		/* Once refused, the rest is read but not kept, so that the sender
		 * hears the answer (a connection closed on unread bytes is reset,
		 * and the answer lost); past the whole sending's limit (a body of
		 * no declared length) the answer goes at once. */
		if (r->form.refused && r->body_bytes > PV_HANDIN_MAX_BYTES)
			return pv_send_error(r, (unsigned)r->form.refused, r->form.refused_why);
		return MHD_YES;
	}
	if (r->post)
		return finish_form(r);
	return MHD_YES;
}

static void free_form(struct pv_form *f)
{
	if (f->photo_fd >= 0)
		close(f->photo_fd);
	for (size_t i = 0; i < f->nphotos; i++) {
		unlink(f->photos[i]);   /* gone already once placed */
		free(f->photos[i]);
	}
	for (size_t i = 0; i < f->nfields; i++)
		pv_buf_free(&f->fields[i].value);
}

/* The request is over, answered or not: nothing of it stays behind. */
static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)toe;
	pv_deadline_request_done(conn);
	struct pv_req *r = *con_cls;
	if (!r)
		return;
	if (r->post)
		MHD_destroy_post_processor(r->post);
	free_form(&r->form);
	free(r->args[0]);
	free(r->args[1]);
	free(r->set_cookie);
	if (r->has_invite)
		pv_invite_free(&r->invite);
	free(r);
	*con_cls = NULL;
	pthread_mutex_lock(&active_lock);
	active_requests--;
	pthread_mutex_unlock(&active_lock);
}

/* ---- options ---- */

struct listen_addr {
	struct sockaddr_storage sa;
	socklen_t len;
	int ipv6;
	int loopback;
	char host[320];             /* as typed, for the links */
	unsigned port;
};

static int parse_listen(const char *spec, struct listen_addr *out, struct pv_err *err)
{
	memset(out, 0, sizeof *out);
	const char *colon = strrchr(spec, ':');
	char host[256];
	if (!colon || colon == spec || strlen(spec) >= sizeof host)
		return pv_fail(err, PV_ERR_USAGE, "--listen takes ADDRESS:PORT, such as "
			       "127.0.0.1:8080 or [::1]:8080.");
	size_t hl = (size_t)(colon - spec);
	memcpy(host, spec, hl);
	host[hl] = '\0';
	if (host[0] == '[' && hl > 2 && host[hl - 1] == ']') {
		memmove(host, host + 1, hl - 2);
		host[hl - 2] = '\0';
	}
	char *end;
	unsigned long port = strtoul(colon + 1, &end, 10);
	if (!colon[1] || *end || port > 65535)
		return pv_fail(err, PV_ERR_USAGE, "The port in --listen must be a number from 0 "
			       "to 65535.");
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV };
	struct addrinfo *res = NULL;
	if (getaddrinfo(host, colon + 1, &hints, &res) != 0 || !res)
		return pv_fail(err, PV_ERR_USAGE, "The address '%s' in --listen is not one this "
			       "machine can listen on.", host);
	memcpy(&out->sa, res->ai_addr, res->ai_addrlen);
	out->len = res->ai_addrlen;
	out->ipv6 = res->ai_family == AF_INET6;
	if (res->ai_family == AF_INET)
		out->loopback = (ntohl(((struct sockaddr_in *)res->ai_addr)->sin_addr.s_addr) >> 24) == 127;
	else if (res->ai_family == AF_INET6)
		out->loopback = IN6_IS_ADDR_LOOPBACK(&((struct sockaddr_in6 *)res->ai_addr)->sin6_addr);
	freeaddrinfo(res);
	snprintf(out->host, sizeof out->host, "%s%s%s", out->ipv6 ? "[" : "", host,
		 out->ipv6 ? "]" : "");
	out->port = (unsigned)port;
	return 0;
}

int pv_serve_check(const struct pv_serve_opts *o, struct pv_err *err)
{
	struct listen_addr la;
	if (parse_listen(o->listen ? o->listen : PV_WEB_DEFAULT_LISTEN, &la, err) != 0)
		return -1;
	if (!o->tls_cert != !o->tls_key)
		return pv_fail(err, PV_ERR_USAGE, "--tls-cert and --tls-key go together: give both "
			       "or neither.");
	if (!la.loopback && !o->tls_cert && !o->insecure_http)
		return pv_fail(err, PV_ERR_USAGE, "Listening on %s lets other machines connect: "
			       "give --tls-cert and --tls-key so that photos travel encrypted, or "
			       "--insecure-http if this network is private.", la.host);
	return 0;
}

/* ---- the server's own key for form tokens ---- */

static int load_secret(struct pv_web *w, struct pv_err *err)
{
	char *path = pv_path_join(w->archive_dir, "web-secret");
	uint8_t *data = NULL;
	size_t len = 0;
	struct pv_err ignored = {0};
	int r = 0;
	if (pv_read_file(path, 64, &data, &len, &ignored) == 0 && len == sizeof w->csrf_key) {
		memcpy(w->csrf_key, data, len);
	} else {
		randombytes_buf(w->csrf_key, sizeof w->csrf_key);
		char *tmp = pv_path_join(w->archive_dir, "tmp");
		r = pv_write_atomic(path, tmp, w->csrf_key, sizeof w->csrf_key, err);
		free(tmp);
	}
	free(data);
	free(path);
	return r;
}

static char *read_pem(const char *path, struct pv_err *err)
{
	uint8_t *data = NULL;
	size_t len = 0;
	struct pv_err why = {0};
	if (pv_read_file(path, 1 << 20, &data, &len, &why) != 0) {
		pv_fail(err, PV_ERR_USAGE, "The TLS file %s cannot be read: %s", path, why.msg);
		return NULL;
	}
	char *text = pv_strndup((const char *)data, len);
	free(data);
	return text;
}

/* ---- running ---- */

struct watcher {
	pthread_t thread;
	struct pv_watch_opts opts;
	volatile sig_atomic_t stop;
	int pipe[2];
	struct pv_err err;
	int result;
};

static void *run_watch(void *arg)
{
	struct watcher *w = arg;
	w->result = pv_watch_run(&w->opts, &w->err);
	return NULL;
}

static int start_watch(struct watcher *w, const char *archive_dir, int quiet,
		       struct pv_err *err)
{
	memset(w, 0, sizeof *w);
	if (pipe2(w->pipe, O_CLOEXEC | O_NONBLOCK) != 0)
		return pv_fail(err, PV_ERR_ARCHIVE, "The drop folder cannot be watched (%s).",
			       strerror(errno));
	w->opts = (struct pv_watch_opts){ .archive_dir = archive_dir,
					  .grace_s = PV_WATCH_GRACE_S, .quiet = quiet,
					  .stop_fd = w->pipe[0], .stop = &w->stop };
	if (pthread_create(&w->thread, NULL, run_watch, w) != 0) {
		close(w->pipe[0]);
		close(w->pipe[1]);
		return pv_fail(err, PV_ERR_ARCHIVE, "The drop folder cannot be watched.");
	}
	return 0;
}

static void stop_watch(struct watcher *w)
{
	w->stop = 1;
	if (write(w->pipe[1], "x", 1) < 0) {
		/* full: a wake-up is pending already */
	}
	pthread_join(w->thread, NULL);
	close(w->pipe[0]);
	close(w->pipe[1]);
}

static unsigned timeout_s(void)
{
	const char *s = getenv("PV_WEB_TIMEOUT");   /* tests: a slow client sooner */
	unsigned v = s ? (unsigned)atoi(s) : 0;
	return v ? v : DEFAULT_TIMEOUT_S;
}

/* The workers take their connections from serve's own listening socket
 * (listen_open, accept_waiting), not from a socket of MHD's own: MHD's
 * workers race for a shared one, and the winner takes a burst (20 browsers
 * opening at once landed 9-15 on one worker of four, which then queued
 * their requests on one core while others idled). MHD_add_connection hands
 * each to the worker its descriptor names, which spreads them evenly. */
static struct MHD_Daemon *start_daemon(struct pv_web *w, const char *cert, const char *key)
{
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
			 MHD_USE_TURBO | MHD_USE_NO_LISTEN_SOCKET | (cert ? MHD_USE_TLS : 0);
	unsigned threads = (unsigned)pv_default_jobs() * 2;
	if (threads < 4)
		threads = 4;
	return MHD_start_daemon(
		flags, 0, NULL, NULL, on_request, w,
		MHD_OPTION_THREAD_POOL_SIZE, threads,
		MHD_OPTION_CONNECTION_TIMEOUT, timeout_s(),
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)512,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)128,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
		MHD_OPTION_NOTIFY_CONNECTION, pv_deadline_notify, NULL,
		cert ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, cert,
		MHD_OPTION_HTTPS_MEM_KEY, key,
		MHD_OPTION_END);
}

/* The listening socket for la, non-blocking; -1 when the address is taken
 * or not this machine's. */
static int listen_open(const struct listen_addr *la)
{
	int fd = socket(la->sa.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	int on = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
	if (la->ipv6)   /* [::] means IPv6 alone, as it says */
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on);
	if (bind(fd, (const struct sockaddr *)&la->sa, la->len) != 0 ||
	    listen(fd, SOMAXCONN) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static unsigned bound_port(int fd, unsigned asked)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0)
		return asked;
	return ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
					       : ((struct sockaddr_in *)&ss)->sin_port);
}

/* Every connection waiting on the listening socket, handed to the daemon
 * (which closes one it cannot take: over the connection limits). */
static void accept_waiting(int fd, struct MHD_Daemon *d)
{
	for (;;) {
		struct sockaddr_storage ss;
		socklen_t len = sizeof ss;
		int c = accept4(fd, (struct sockaddr *)&ss, &len, SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (c < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				usleep(100 * 1000);   /* out of descriptors: the socket stays
							 readable, so a pause, not a spin */
			return;
		}
		MHD_add_connection(d, c, (const struct sockaddr *)&ss, len);
	}
}

/* Until asked to stop: meanwhile, connections are taken in (accept_waiting),
 * clients too slow with their headers are cut off (deadline.c; a sweep at
 * every wake-up, and at least every half second, costs a walk over the open
 * connections), and media kept in memory expire (media_cache.c). */
static void wait_for_stop(const struct pv_serve_opts *o, int listen_fd, struct MHD_Daemon *d)
{
	unsigned timeout = timeout_s();
	while (!*o->stop) {
		struct pollfd p[2] = { { .fd = o->stop_fd, .events = POLLIN },
				       { .fd = listen_fd, .events = POLLIN } };
		if (poll(p, 2, 500) > 0 && (p[1].revents & POLLIN))
			accept_waiting(listen_fd, d);
		pv_deadline_sweep(timeout);
		pv_media_cache_sweep();
	}
}

/* No new connection; what is being sent may finish, a while. */
static void drain(int listen_fd)
{
	close(listen_fd);
	for (int i = 0; i < STOP_GRACE_S * 10; i++) {
		pthread_mutex_lock(&active_lock);
		unsigned n = active_requests;
		pthread_mutex_unlock(&active_lock);
		if (!n)
			return;
		usleep(100 * 1000);
	}
}

static int serve(struct pv_web *w, const struct pv_serve_opts *o, const struct listen_addr *la,
		 const char *cert, const char *key, struct pv_err *err)
{
	int listen_fd = listen_open(la);
	struct MHD_Daemon *d = listen_fd >= 0 ? start_daemon(w, cert, key) : NULL;
	if (!d) {
		if (listen_fd >= 0)
			close(listen_fd);
		return pv_fail(err, PV_ERR_ARCHIVE, cert ?
			       "The server could not start on %s: the address is taken or not "
			       "this machine's, or the TLS certificate and key do not fit." :
			       "The server could not start on %s: the address is taken or not "
			       "this machine's.", la->host);
	}
	char base[400];
	snprintf(base, sizeof base, "%s://%s:%u", cert ? "https" : "http", la->host,
		 bound_port(listen_fd, la->port));
	w->base = pv_strdup(base);
	struct pv_err ignored = {0};
	pv_invite_set_base(w->archive_dir, base, &ignored);
	struct watcher watch;
	int r = start_watch(&watch, w->archive_dir, o->quiet, err);
	if (r == 0) {
		if (o->ready)
			o->ready(base, o->ctx);
		wait_for_stop(o, listen_fd, d);
		drain(listen_fd);
	} else {
		close(listen_fd);
	}
	MHD_stop_daemon(d);
	if (r == 0)
		stop_watch(&watch);
	pv_auth_close_all();
	pv_media_cache_clear();
	if (r == 0 && watch.result != 0)
		r = pv_fail(err, watch.err.kind, "%s", watch.err.msg);
	return r;
}

int pv_serve_run(const struct pv_serve_opts *o, struct pv_err *err)
{
	if (pv_serve_check(o, err) != 0)
		return -1;
	struct listen_addr la;
	parse_listen(o->listen ? o->listen : PV_WEB_DEFAULT_LISTEN, &la, err);
	pv_auth_init();
	struct pv_web w = { .archive_dir = pv_strdup(o->archive_dir), .tls = o->tls_cert != NULL,
			    .dutch = pv_i18n_threads() == 0 };   /* before any thread starts */
	struct pv_archive *a = pv_archive_open(o->archive_dir, PV_OPEN_READ, err);
	char *cert = NULL, *key = NULL;
	int r = -1;
	if (!a)
		goto out;
	w.drop_dir = pv_strdup(pv_archive_drop_dir(a));
	pv_archive_close(a);
	pv_handin_clean_temps(o->archive_dir, w.drop_dir);
	if (load_secret(&w, err) != 0)
		goto out;
	if (o->tls_cert && (!(cert = read_pem(o->tls_cert, err)) ||
			    !(key = read_pem(o->tls_key, err))))
		goto out;
	r = serve(&w, o, &la, cert, key, err);
out:
	if (key)
		sodium_memzero(key, strlen(key));   /* the key does not linger in freed memory */
	free(cert);
	free(key);
	free(w.archive_dir);
	free(w.drop_dir);
	free(w.base);
	return r;
}
