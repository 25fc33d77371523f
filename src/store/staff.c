/*
 * Staff accounts (schema 6): names and Argon2id password hashes. Every
 * change writes its line in the log under the archive's actor, naming the
 * account; a password or its hash never reaches the log.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "photovoice/i18n.h"
#include "photovoice/staff.h"
#include "photovoice/util.h"
#include "store_internal.h"

/* The same sentence for a wrong name and a wrong password: a stranger
 * learns nothing about which names exist. */
#define LOGIN_REFUSED N_("The name or the password is not right.")

void pv_staff_free(struct pv_staff *s)
{
	if (!s)
		return;
	free(s->name);
	free(s->created_at);
	memset(s, 0, sizeof *s);
}

void pv_staff_list_free(struct pv_staff *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		pv_staff_free(&list[i]);
	free(list);
}

int pv_staff_check_name(const char *name, struct pv_err *err)
{
	size_t n = name ? strlen(name) : 0;
	if (n == 0 || n > PV_STAFF_MAX_NAME ||
	    strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != n)
		return pv_fail(err, PV_ERR_USAGE, "A staff name is 1 to %d letters, digits, dots, "
			       "dashes or underscores, such as 'anna' or 'j.devries'.",
			       PV_STAFF_MAX_NAME);
	return 0;
}

static size_t code_points(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

int pv_staff_check_password(const char *password, struct pv_err *err)
{
	size_t len = password ? strlen(password) : 0;
	if (!password || !pv_utf8_valid(password, len) || len > PV_STAFF_MAX_PASSWORD)
		return pv_fail(err, PV_ERR_INPUT, "The password must be text of at most %d bytes.",
			       PV_STAFF_MAX_PASSWORD);
	for (const char *p = password; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7F)
			return pv_fail(err, PV_ERR_INPUT, "The password holds a control character "
				       "(a tab or a line break); choose another.");
	if (code_points(password) < PV_STAFF_MIN_PASSWORD)
		return pv_fail(err, PV_ERR_INPUT, "The password is too short: at least %d "
			       "characters.", PV_STAFF_MIN_PASSWORD);
	return 0;
}

static int hash_password(const char *password, char out[crypto_pwhash_STRBYTES],
			 struct pv_err *err)
{
	if (sodium_init() < 0 ||
	    crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return pv_fail(err, PV_ERR_ARCHIVE, "The password could not be hashed (not enough "
			       "memory).");
	return 0;
}

/* One statement that changes one account, and its log line, together. */
static int change_account(struct pv_archive *a, sqlite3_stmt *st, const char *action,
			  const char *name, struct pv_err *err)
{
	char detail[PV_STAFF_MAX_NAME + 16];
	struct pv_err missing = { 0 };
	pv_fail(&missing, PV_ERR_NOT_FOUND, "There is no staff account named '%s'.", name);
	snprintf(detail, sizeof detail, "account %s", name);
	return pv_db_change_one(a, st, &missing, action, detail, err);
}

static int exists(struct pv_archive *a, const char *name, struct pv_err *err)
{
	sqlite3_stmt *st = pv_db_prepare(a, "SELECT 1 FROM staff WHERE name = ?", err);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW;
}

int pv_staff_add(struct pv_archive *a, const char *name, const char *password,
		 struct pv_err *err)
{
	char hash[crypto_pwhash_STRBYTES];
	if (pv_staff_check_name(name, err) != 0 || pv_staff_check_password(password, err) != 0)
		return -1;
	int there = exists(a, name, err);
	if (there < 0)
		return -1;
	if (there)
		return pv_fail(err, PV_ERR_CONFLICT, "There is already a staff account named "
			       "'%s'; use 'photovoice staff passwd %s' to give it a new password.",
			       name, name);
	if (hash_password(password, hash, err) != 0)
		return -1;
	char now[21];
	pv_now_iso(now);
	sqlite3_stmt *st = pv_db_prepare(a, "INSERT INTO staff (name, password_hash, created_at)"
					    " VALUES (?, ?, ?)", err);
	if (st) {
		sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, hash, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 3, now, -1, SQLITE_TRANSIENT);
	}
	sodium_memzero(hash, sizeof hash);
	return change_account(a, st, "staff add", name, err);
}

int pv_staff_passwd(struct pv_archive *a, const char *name, const char *password,
		    struct pv_err *err)
{
	char hash[crypto_pwhash_STRBYTES];
	if (pv_staff_check_name(name, err) != 0 || pv_staff_check_password(password, err) != 0 ||
	    hash_password(password, hash, err) != 0)
		return -1;
	sqlite3_stmt *st = pv_db_prepare(a, "UPDATE staff SET password_hash = ? WHERE name = ?",
					 err);
	if (st) {
		sqlite3_bind_text(st, 1, hash, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
	}
	sodium_memzero(hash, sizeof hash);
	return change_account(a, st, "staff passwd", name, err);
}

int pv_staff_remove(struct pv_archive *a, const char *name, struct pv_err *err)
{
	if (pv_staff_check_name(name, err) != 0)
		return -1;
	sqlite3_stmt *st = pv_db_prepare(a, "DELETE FROM staff WHERE name = ?", err);
	if (st)
		sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	return change_account(a, st, "staff remove", name, err);
}

static void staff_from_row(sqlite3_stmt *st, struct pv_staff *s)
{
	s->id = sqlite3_column_int64(st, 0);
	s->name = pv_db_column_text(st, 1);
	s->created_at = pv_db_column_text(st, 2);
}

int pv_staff_list(struct pv_archive *a, struct pv_staff **out, size_t *n, struct pv_err *err)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = pv_db_prepare(a, "SELECT id, name, created_at FROM staff ORDER BY name",
					 err);
	if (!st)
		return -1;
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*out = pv_grow(*out, *n, &cap, sizeof **out);
		staff_from_row(st, &(*out)[(*n)++]);
	}
	if (rc == SQLITE_DONE) {
		sqlite3_finalize(st);
		return 0;
	}
	pv_staff_list_free(*out, *n);
	*out = NULL;
	*n = 0;
	return pv_db_fail(a, st, err);
}

int pv_staff_get(struct pv_archive *a, int64_t id, struct pv_staff *out, struct pv_err *err)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st = pv_db_prepare(a, "SELECT id, name, created_at FROM staff WHERE id = ?",
					 err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		staff_from_row(st, out);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return pv_db_fail(a, st, err);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : pv_fail(err, PV_ERR_NOT_FOUND, "This staff account is gone.");
}

int pv_staff_login(struct pv_archive *a, const char *name, const char *password,
		   struct pv_staff *out, int *rehash, struct pv_err *err)
{
	memset(out, 0, sizeof *out);
	*rehash = 0;
	struct pv_err ignored = {0};
	if (pv_staff_check_name(name, &ignored) != 0 || !password ||
	    strlen(password) > PV_STAFF_MAX_PASSWORD || sodium_init() < 0)
		return pv_fail(err, PV_ERR_NOT_ALLOWED, LOGIN_REFUSED);
	sqlite3_stmt *st = pv_db_prepare(a, "SELECT id, name, created_at, password_hash FROM staff"
					    " WHERE name = ?", err);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return pv_db_fail(a, st, err);
	const char *hash = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 3) : NULL;
	int right = hash && crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
	if (!hash) {   /* as slow as a wrong password: the time tells no name either */
		char scratch[crypto_pwhash_STRBYTES];
		hash_password(password, scratch, &ignored);
	}
	if (right) {
		staff_from_row(st, out);
		*rehash = crypto_pwhash_str_needs_rehash(hash, crypto_pwhash_OPSLIMIT_INTERACTIVE,
							 crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0;
	}
	sqlite3_finalize(st);
	return right ? 0 : pv_fail(err, PV_ERR_NOT_ALLOWED, LOGIN_REFUSED);
}
