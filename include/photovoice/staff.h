/*
 * photovoice/staff.h - staff accounts for the workspace of `photovoice
 * serve` (src/store/staff.c): a name and a password, hashed with Argon2id
 * (libsodium crypto_pwhash_str). The password itself is never kept, and a
 * hash made with older parameters is made again at the next login.
 *
 * Return 0 on success, -1 on failure with one sentence in err.
 */
#ifndef PHOTOVOICE_STAFF_H
#define PHOTOVOICE_STAFF_H

#include <stddef.h>
#include <stdint.h>

#include "photovoice/err.h"
#include "photovoice/store.h"

#define PV_STAFF_MIN_PASSWORD 10      /* characters (code points) */
#define PV_STAFF_MAX_PASSWORD 1024    /* bytes */
#define PV_STAFF_MAX_NAME 64          /* bytes */

struct pv_staff {
	int64_t id;
	char *name;
	char *created_at;                 /* ISO 8601 UTC */
};
void pv_staff_free(struct pv_staff *s);

/* A name staff log in with: 1 to PV_STAFF_MAX_NAME letters, digits, '.',
 * '_' or '-' (it names them in the audit trail). 0, or -1 (PV_ERR_USAGE). */
int pv_staff_check_name(const char *name, struct pv_err *err);
/* At least PV_STAFF_MIN_PASSWORD characters of valid UTF-8, no control
 * character: 0, or -1 (PV_ERR_INPUT). */
int pv_staff_check_password(const char *password, struct pv_err *err);

/* A new account (PV_ERR_CONFLICT when the name is taken); logged. */
int pv_staff_add(struct pv_archive *a, const char *name, const char *password,
		 struct pv_err *err);
/* A new password (PV_ERR_NOT_FOUND when there is no such account); logged. */
int pv_staff_passwd(struct pv_archive *a, const char *name, const char *password,
		    struct pv_err *err);
/* The account is gone (PV_ERR_NOT_FOUND when there is none); logged. A
 * running server ends its sessions at their next request. */
int pv_staff_remove(struct pv_archive *a, const char *name, struct pv_err *err);
/* Every account, by name. */
int pv_staff_list(struct pv_archive *a, struct pv_staff **out, size_t *n, struct pv_err *err);
void pv_staff_list_free(struct pv_staff *list, size_t n);

/* The account whose name and password these are: 0 and *out; else -1 with
 * PV_ERR_NOT_ALLOWED and the same sentence whether the name or the password
 * was wrong. *rehash is set when the stored hash has older parameters. The
 * hash takes about a tenth of a second and 64 MB on purpose. */
int pv_staff_login(struct pv_archive *a, const char *name, const char *password,
		   struct pv_staff *out, int *rehash, struct pv_err *err);
/* The account with this id, while it exists (PV_ERR_NOT_FOUND once removed). */
int pv_staff_get(struct pv_archive *a, int64_t id, struct pv_staff *out, struct pv_err *err);

#endif
