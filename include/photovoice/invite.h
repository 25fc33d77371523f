/*
 * photovoice/invite.h - personal links for participants: `photovoice invite`
 * makes one, the phone page of `photovoice serve` opens it.
 *
 * A link is BASE/i/TOKEN. TOKEN is 128 random bits (libsodium), written as
 * PV_INVITE_TOKEN_CHARS characters of URL-safe base64 without padding. Only
 * its SHA-256 is kept in the catalogue (schema 5, table invitations), so a
 * copy of the catalogue opens no link, and a token is shown once: when it is
 * made. A link works until the end of its last day (local date), unless it
 * was revoked. The participant code of the invitation sets the participant
 * of what is handed in through it, the way a drop sub-folder does.
 *
 * Return 0 on success, -1 on failure with one sentence in err.
 */
#ifndef PHOTOVOICE_INVITE_H
#define PHOTOVOICE_INVITE_H

#include <stddef.h>
#include <stdint.h>

#include "photovoice/err.h"
#include "photovoice/store.h"

#define PV_INVITE_TOKEN_CHARS 22   /* 16 bytes, base64url, no padding */
#define PV_INVITE_DAYS 60          /* how long a new link works unless told */
/* Where links point when nothing else says: serve's default address. */
#define PV_INVITE_DEFAULT_BASE "http://127.0.0.1:8080"

struct pv_invite {
	int64_t id;
	char *participant;    /* the participant code */
	char *created_at;     /* ISO 8601 UTC */
	char *valid_until;    /* YYYY-MM-DD: the last day the link works */
	char *revoked_at;     /* ISO 8601 UTC, NULL while not revoked */
	int under16;          /* the participant is marked under 16 */
};
void pv_invite_free(struct pv_invite *inv);   /* members, not inv itself */

/* A new link for participant (a code as a drop sub-folder name would give
 * it; the participant's record is made when new), working until `until`
 * (YYYY-MM-DD, not in the past; NULL: PV_INVITE_DAYS from today). Writes the
 * invitation and its log line (never the token) in one transaction. token
 * gets the token, NUL-terminated; it is not kept anywhere. */
int pv_invite_create(struct pv_archive *a, const char *participant, const char *until,
		     struct pv_invite *out, char token[PV_INVITE_TOKEN_CHARS + 1],
		     struct pv_err *err);

/* The invitation that token opens on day `today` (YYYY-MM-DD, local; NULL:
 * today). An unknown, malformed, expired or revoked token gives the same
 * -1 with PV_ERR_NOT_FOUND and the same sentence: nothing tells them apart. */
int pv_invite_open(struct pv_archive *a, const char *token, const char *today,
		   struct pv_invite *out, struct pv_err *err);

/* Every invitation, newest first (revoked and expired ones too). */
int pv_invite_list(struct pv_archive *a, struct pv_invite **out, size_t *n,
		   struct pv_err *err);
void pv_invite_list_free(struct pv_invite *list, size_t n);

/* "works", "expired" or "revoked": what inv's link does on day today
 * (YYYY-MM-DD, local; NULL: today). */
const char *pv_invite_state(const struct pv_invite *inv, const char *today);

/* Revoke invitation id at once (with its log line); PV_ERR_NOT_FOUND when
 * there is none. Revoking a revoked one again is not an error. */
int pv_invite_revoke(struct pv_archive *a, int64_t id, struct pv_err *err);

/* The base of the links: PHOTOVOICE_BASE_URL when set, else what the last
 * `serve` of this archive recorded (pv_invite_set_base), else
 * PV_INVITE_DEFAULT_BASE. malloc'd, without a trailing '/'. */
char *pv_invite_base(const char *archive_dir);
/* `serve` records the address it answers on, for later links. */
int pv_invite_set_base(const char *archive_dir, const char *base, struct pv_err *err);
/* BASE/i/TOKEN, malloc'd. */
char *pv_invite_link(const char *base, const char *token);

/* A printable A4 PDF at path: the participant code, the QR code of link
 * (libqrencode), the link in letters, the last day it works, and three
 * lines of instructions in Dutch a 12-year-old understands. */
int pv_invite_sheet(const char *path, const struct pv_invite *inv, const char *link,
		    struct pv_err *err);

/* What `photovoice invite` does, all or nothing: a new invitation
 * (pv_invite_create), its link on the base of the archive in archive_dir
 * (pv_invite_base; *link malloc'd) and, when sheet is not NULL, its sheet
 * written there. When the sheet cannot be written, no invitation is kept. */
int pv_invite_issue(struct pv_archive *a, const char *archive_dir, const char *participant,
		    const char *until, const char *sheet, struct pv_invite *out, char **link,
		    struct pv_err *err);

#endif
