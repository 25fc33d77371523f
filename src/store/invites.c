/*
 * Invitations in the catalogue: personal links for participants (schema 5,
 * table invitations). A token is 16 random bytes from libsodium, written as
 * URL-safe base64; the catalogue keeps only the SHA-256 of that text, so
 * neither a copy of the catalogue nor the log opens a link. Every way a
 * token fails to open (malformed, unknown, expired, revoked) ends in the
 * same sentence, so that nobody can tell them apart by trying.
 */
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "photovoice/i18n.h"
#include "photovoice/invite.h"
#include "photovoice/util.h"
#include "store_internal.h"

#define TOKEN_BYTES 16

static const char closed_link[] = N_("This link does not work (any more). Ask the person who "
				  "gave it to you for a new one.");

void pv_invite_free(struct pv_invite *inv)
{
	free(inv->participant);
	free(inv->created_at);
	free(inv->valid_until);
	free(inv->revoked_at);
	memset(inv, 0, sizeof *inv);
}

void pv_invite_list_free(struct pv_invite *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		pv_invite_free(&list[i]);
	free(list);
}

const char *pv_invite_state(const struct pv_invite *inv, const char *today)
{
	char now[11];
	if (!today) {
		pv_today_iso(now);
		today = now;
	}
	if (inv->revoked_at)
		return "revoked";
	return strcmp(inv->valid_until, today) < 0 ? "expired" : "works";
}

/* ---- tokens --------------------------------------------------------------- */

static int sodium_ready;
static pthread_once_t sodium_once = PTHREAD_ONCE_INIT;

static void start_sodium(void)
{
	sodium_ready = sodium_init() >= 0;
}

static int new_token(char token[PV_INVITE_TOKEN_CHARS + 1], struct pv_err *err)
{
	pthread_once(&sodium_once, start_sodium);
	if (!sodium_ready)
		return pv_fail(err, PV_ERR_ARCHIVE, "This computer gave photovoice no random "
			       "numbers to make a safe link with; nothing was made.");
	unsigned char bytes[TOKEN_BYTES];
	randombytes_buf(bytes, sizeof bytes);
	sodium_bin2base64(token, PV_INVITE_TOKEN_CHARS + 1, bytes, sizeof bytes,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(bytes, sizeof bytes);
	return 0;
}

/* Exactly the characters a token is written in, and as many. */
static int token_well_formed(const char *token)
{
	if (!token || strlen(token) != PV_INVITE_TOKEN_CHARS)
		return 0;
	return strspn(token, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			     "0123456789-_") == PV_INVITE_TOKEN_CHARS;
}

/* ---- the values of a new invitation ------------------------------------- */

/* The code as the drop folder would give it: NFC, a usable folder name that
 * ingest takes (a name starting with a dot is a hidden folder it leaves). */
static char *participant_code(const char *participant, struct pv_err *err)
{
	if (pv_store_check_participant(participant ? participant : "", err) != 0)
		return NULL;
	if (participant[0] == '.') {
		pv_fail(err, PV_ERR_INPUT, "A participant code cannot start with a dot: the drop "
			"folder takes nothing from a folder whose name does.");
		return NULL;
	}
	return pv_utf8_nfc(participant, strlen(participant));
}

/* today + days, local calendar; noon keeps a change of clock out of it. */
static void days_from_today(int days, char out[11])
{
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	tm.tm_mday += days;
	tm.tm_hour = 12;
	tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	mktime(&tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

static int last_day(const char *until, char out[11], struct pv_err *err)
{
	if (!until) {
		days_from_today(PV_INVITE_DAYS, out);
		return 0;
	}
	if (!pv_date_valid(until))
		return pv_fail(err, PV_ERR_INPUT, "'%.40s' is not a date; write the last day "
			       "the link works as YYYY-MM-DD.", until);
	char today[11];
	pv_today_iso(today);
	if (strcmp(until, today) < 0)
		return pv_fail(err, PV_ERR_INPUT, "%s has passed; the last day the link works "
			       "must be today or later.", until);
	memcpy(out, until, 11);
	return 0;
}

/* ---- reading rows ------------------------------------------------------- */

#define INVITE_SELECT                                                                    \
	"SELECT i.id, i.participant, i.created_at, i.valid_until, i.revoked_at,"         \
	" coalesce(p.under16, 0) FROM invitations i"                                     \
	" LEFT JOIN participants p ON p.code = i.participant"

static void read_row(sqlite3_stmt *st, struct pv_invite *out)
{
	out->id = sqlite3_column_int64(st, 0);
	out->participant = pv_db_column_text(st, 1);
	out->created_at = pv_db_column_text(st, 2);
	out->valid_until = pv_db_column_text(st, 3);
	out->revoked_at = pv_db_column_text(st, 4);
	out->under16 = sqlite3_column_int(st, 5) == 1;
}

/* 0 with out filled, or -1: not found (PV_ERR_NOT_FOUND, the closed-link
 * sentence) or a catalogue failure. */
static int read_invite(struct pv_archive *a, sqlite3_stmt *st, struct pv_invite *out,
		       struct pv_err *err)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		read_row(st, out);
		sqlite3_finalize(st);
		return 0;
	}
	if (rc != SQLITE_DONE)
		return pv_db_fail(a, st, err);
	sqlite3_finalize(st);
	return pv_fail_text(err, PV_ERR_NOT_FOUND, _(closed_link));
}

static int invite_by_id(struct pv_archive *a, int64_t id, struct pv_invite *out,
			struct pv_err *err)
{
	sqlite3_stmt *st = pv_db_prepare(a, INVITE_SELECT " WHERE i.id = ?", err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return read_invite(a, st, out, err);
}

/* ---- create ------------------------------------------------------------- */

static int64_t insert_invite(struct pv_archive *a, const char *code, const char *hash,
			     const char *until, struct pv_err *err)
{
	sqlite3_stmt *st = pv_db_prepare(a, "INSERT INTO invitations (participant, token_hash,"
					 " created_at, valid_until) VALUES (?,?,?,?)", err);
	if (!st)
		return -1;
	char now[21];
	pv_now_iso(now);
	sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, hash, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, until, -1, SQLITE_TRANSIENT);
	if (pv_db_run(a, st, err) != 0)
		return -1;
	return sqlite3_last_insert_rowid(a->db);
}

/* The record, the row and the log line (by numbers: never the code, never
 * the token). Returns the invitation's id, or -1. */
static int64_t write_invite(struct pv_archive *a, const char *code, const char *hash,
			    const char *until, struct pv_err *err)
{
	int64_t record = pv_participant_record(a, code, err);
	if (record <= 0)
		return -1;
	int64_t id = insert_invite(a, code, hash, until, err);
	if (id <= 0)
		return -1;
	char detail[128];
	snprintf(detail, sizeof detail, "invitation %lld for participant record %lld, works "
		 "until %s", (long long)id, (long long)record, until);
	return pv_store_log_err(a, "invite", detail, err) == 0 ? id : -1;
}

int pv_invite_create(struct pv_archive *a, const char *participant, const char *until,
		     struct pv_invite *out, char token[PV_INVITE_TOKEN_CHARS + 1],
		     struct pv_err *err)
{
	memset(out, 0, sizeof *out);
	char last[11], hash[PV_SHA256_HEX];
	char *code = participant_code(participant, err);
	if (!code || last_day(until, last, err) != 0 || new_token(token, err) != 0) {
		free(code);
		return -1;
	}
	pv_sha256_hex(token, PV_INVITE_TOKEN_CHARS, hash);
	int own, r = -1;
	if (pv_db_begin_if_needed(a, &own, err) == 0) {
		int64_t id = write_invite(a, code, hash, last, err);
		r = pv_db_end(a, own, id > 0, err);
		if (r == 0)
			r = invite_by_id(a, id, out, err);
	}
	free(code);
	if (r != 0)
		sodium_memzero(token, PV_INVITE_TOKEN_CHARS + 1);
	return r;
}

/* ---- open, list, revoke --------------------------------------------------- */

int pv_invite_open(struct pv_archive *a, const char *token, const char *today,
		   struct pv_invite *out, struct pv_err *err)
{
	memset(out, 0, sizeof *out);
	if (!token_well_formed(token))
		return pv_fail_text(err, PV_ERR_NOT_FOUND, _(closed_link));
	char hash[PV_SHA256_HEX];
	pv_sha256_hex(token, PV_INVITE_TOKEN_CHARS, hash);
	/* every request through a link asks this: kept prepared (hot.c) */
	sqlite3_stmt *st = pv_db_hot(a, PV_HOT_INVITE_BY_HASH,
				     INVITE_SELECT " WHERE i.token_hash = ?", err);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_row(st, out);
	pv_db_hot_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return pv_db_fail(a, NULL, err);
	if (rc == SQLITE_DONE)
		return pv_fail_text(err, PV_ERR_NOT_FOUND, _(closed_link));
	if (strcmp(pv_invite_state(out, today), "works") != 0) {
		pv_invite_free(out);
		return pv_fail_text(err, PV_ERR_NOT_FOUND, _(closed_link));
	}
	return 0;
}

int pv_invite_list(struct pv_archive *a, struct pv_invite **out, size_t *n,
		   struct pv_err *err)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = pv_db_prepare(a, INVITE_SELECT " ORDER BY i.id DESC", err);
	if (!st)
		return -1;
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*out = pv_grow(*out, *n, &cap, sizeof **out);
		read_row(st, &(*out)[(*n)++]);
	}
	if (rc == SQLITE_DONE) {
		sqlite3_finalize(st);
		return 0;
	}
	pv_invite_list_free(*out, *n);
	*out = NULL;
	*n = 0;
	return pv_db_fail(a, st, err);
}

/* 1 when invitation id was open and is revoked now, 0 when it was revoked
 * already, -1 when there is none (PV_ERR_NOT_FOUND) or on failure. */
static int mark_revoked(struct pv_archive *a, int64_t id, struct pv_err *err)
{
	sqlite3_stmt *st = pv_db_prepare(a, "UPDATE invitations SET revoked_at = ?"
					 " WHERE id = ? AND revoked_at IS NULL", err);
	if (!st)
		return -1;
	char now[21];
	pv_now_iso(now);
	sqlite3_bind_text(st, 1, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, id);
	if (pv_db_run(a, st, err) != 0)
		return -1;
	if (sqlite3_changes(a->db) > 0)
		return 1;
	struct pv_invite inv;
	struct pv_err why = {0};
	if (invite_by_id(a, id, &inv, &why) == 0) {
		pv_invite_free(&inv);
		return 0;
	}
	if (why.kind != PV_ERR_NOT_FOUND) {
		if (err)
			*err = why;
		return -1;
	}
	return pv_fail(err, PV_ERR_NOT_FOUND, "There is no invitation %lld; 'photovoice "
		       "invite --list' shows them.", (long long)id);
}

int pv_invite_revoke(struct pv_archive *a, int64_t id, struct pv_err *err)
{
	int own;
	if (pv_db_begin_if_needed(a, &own, err) != 0)
		return -1;
	int r = mark_revoked(a, id, err);
	if (r == 1) {
		char detail[64];
		snprintf(detail, sizeof detail, "invitation %lld revoked", (long long)id);
		r = pv_store_log_err(a, "invite", detail, err) == 0 ? 0 : -1;
	}
	return pv_db_end(a, own, r == 0, err);
}
