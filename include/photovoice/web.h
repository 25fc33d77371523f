/*
 * photovoice/web.h - `photovoice serve`: the second front door (src/web/).
 * The phone page of participants (their personal link) and, later, the
 * staff workspace, on the same library calls as the command line; with the
 * watch loop on the archive's drop folder in the same process.
 */
#ifndef PHOTOVOICE_WEB_H
#define PHOTOVOICE_WEB_H

#include <signal.h>

#include "photovoice/err.h"

#define PV_WEB_DEFAULT_LISTEN "127.0.0.1:8080"

struct pv_serve_opts {
	const char *archive_dir;
	const char *listen;          /* "ADDR:PORT", "[v6]:PORT"; NULL: the default */
	const char *tls_cert;        /* PEM files; both or neither */
	const char *tls_key;
	int insecure_http;           /* plain HTTP on a non-loopback address */
	int quiet;                   /* only the start and stop lines */
	const volatile sig_atomic_t *stop;   /* non-zero: stop */
	int stop_fd;                 /* becomes readable when stop is set */
	/* Called once the server answers, with the base of its links
	 * ("http://127.0.0.1:8080"); NULL: nothing. */
	void (*ready)(const char *base, void *ctx);
	void *ctx;
};

/* Checks the options (a non-loopback address needs TLS or insecure_http):
 * 0, or -1 with a sentence (PV_ERR_USAGE). */
int pv_serve_check(const struct pv_serve_opts *o, struct pv_err *err);

/* Serves until *o->stop: answers requests on a pool of threads and ingests
 * what arrives in the drop folder. On stop, takes no new connection, lets
 * sendings in flight finish for a few seconds, and leaves nothing half
 * written: a sending not answered leaves no file. 0 once stopped; -1 when
 * it could not start (err says why). */
int pv_serve_run(const struct pv_serve_opts *o, struct pv_err *err);

#endif
