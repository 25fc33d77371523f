/*
 * photovoice/err.h - the one error convention of the library.
 *
 * A call that can fail takes `struct pv_err *err` as its last argument and
 * returns 0 (or a pointer) on success, -1 (or NULL) on failure, with err
 * filled: a kind, which the front door turns into an exit code (src/cli) or
 * an HTTP status (src/web) in one place each, and one plain sentence a
 * non-programmer understands, which the front door shows as it is.
 *
 * err may be NULL when the caller does not want the reason.  A function never
 * returns a second failure value (no -2): what differs between failures is
 * the kind.
 */
#ifndef PHOTOVOICE_ERR_H
#define PHOTOVOICE_ERR_H

#include <stdarg.h>

enum pv_err_kind {
	PV_ERR_NONE = 0,
	PV_ERR_USAGE,        /* the request cannot be read: a search query that is
				not understood, no words to search for */
	PV_ERR_INPUT,        /* what was given is refused: a file, a value */
	PV_ERR_NOT_FOUND,    /* no such entry, tag, participant, invitation or file */
	PV_ERR_NOT_ALLOWED,  /* consent or a rule forbids it */
	PV_ERR_CONFLICT,     /* it exists already, or changed meanwhile */
	PV_ERR_OUTPUT,       /* a file outside the archive cannot be written */
	PV_ERR_BUSY,         /* another command holds the archive's lock */
	PV_ERR_ARCHIVE,      /* the archive or its catalogue cannot be used */
};

#define PV_ERR_MSG 512

struct pv_err {
	enum pv_err_kind kind;
	char msg[PV_ERR_MSG];
};

/* Fill err (when not NULL) with kind and the sentence; returns -1, so that
 * `return pv_fail(err, PV_ERR_INPUT, "...");` ends a failing call. The
 * sentence is written in English and said in the language of the moment:
 * fmt goes through gettext (photovoice/i18n.h; `make pot` collects it). */
int pv_fail(struct pv_err *err, enum pv_err_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int pv_vfail(struct pv_err *err, enum pv_err_kind kind, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

/* The same with a sentence already said in the reader's language (another
 * err's, a translated table row's): taken as it is, not translated again. */
int pv_fail_text(struct pv_err *err, enum pv_err_kind kind, const char *sentence);

/* Put context before the sentence already in err, keeping its kind:
 * pv_err_prefix(err, "%s was set aside: ", name); fmt is translated. */
void pv_err_prefix(struct pv_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Empty err again (kind NONE, no sentence). */
void pv_err_clear(struct pv_err *err);

/* The kind's name in machine output ("input", "not_found", ...). */
const char *pv_err_kind_name(enum pv_err_kind kind);

#endif
