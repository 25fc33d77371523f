/* Participants (pseudonymous codes with the credit line each chose and an
 * under-16 mark) and the consent of entries, with the rule that ties them:
 * poster or public use of a photo by someone under 16 needs their guardian's
 * yes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "photovoice/i18n.h"
#include "photovoice/store.h"
#include "photovoice/util.h"
#include "store_internal.h"

void pv_participants_free(struct pv_participants *p)
{
	for (size_t i = 0; i < p->count; i++) {
		free(p->items[i].code);
		free(p->items[i].credit);
	}
	free(p->items);
	p->items = NULL;
	p->count = 0;
}

/* Everyone with entries or a record; counts per code. Consent today is
 * worked out in C (pv_entry_effective_consent), so entries come one by one. */
static const char participants_sql[] =
	"SELECT code, max(credit), max(under16), sum(n) FROM ("
	"  SELECT code, credit, under16, 0 AS n FROM participants"
	"  UNION ALL SELECT participant, NULL, NULL, count(*) FROM entries"
	"    WHERE participant IS NOT NULL GROUP BY participant)"
	" GROUP BY code ORDER BY code";

static void push_participant(struct pv_participants *out, size_t *cap, sqlite3_stmt *st)
{
	out->items = pv_grow(out->items, out->count, cap, sizeof *out->items);
	struct pv_participant *p = &out->items[out->count++];
	memset(p, 0, sizeof *p);
	p->code = pv_db_column_text(st, 0);
	p->credit = pv_db_column_text(st, 1);
	p->under16 = sqlite3_column_type(st, 2) == SQLITE_NULL ? -1
							      : sqlite3_column_int(st, 2);
	p->entries = sqlite3_column_int64(st, 3);
}

static int count_poster_today(struct pv_archive *a, struct pv_participant *p,
			      struct pv_err *err)
{
	struct pv_filter f = { .participant = p->code, .min_consent = PV_CONSENT_POSTER,
			       .exact_consent = -1 };
	struct pv_entry_list l;
	if (pv_store_list(a, &f, &l, err) != 0)
		return -1;
	p->poster_today = (int64_t)l.count;
	pv_entry_list_free(&l);
	return 0;
}

int pv_store_participants(struct pv_archive *a, struct pv_participants *out,
			  struct pv_err *err)
{
	out->items = NULL;
	out->count = 0;
	sqlite3_stmt *st = pv_db_prepare(a, participants_sql, err);
	if (!st)
		return -1;
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		push_participant(out, &cap, st);
	if (rc != SQLITE_DONE) {
		pv_participants_free(out);
		return pv_db_fail(a, st, err);
	}
	sqlite3_finalize(st);
	for (size_t i = 0; i < out->count; i++)
		if (count_poster_today(a, &out->items[i], err) != 0) {
			pv_participants_free(out);
			return -1;
		}
	return 0;
}

/* A code is a name for a folder: no slash, no control character, not empty. */
static int usable_code(const char *code)
{
	if (!code || !*code || strchr(code, '/') || !pv_utf8_valid(code, strlen(code)))
		return 0;
	for (const unsigned char *p = (const unsigned char *)code; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return 0;
	return 1;
}

int64_t pv_participant_record(struct pv_archive *a, const char *code, struct pv_err *err)
{
	sqlite3_stmt *st = pv_db_prepare(a, "INSERT OR IGNORE INTO participants (code)"
					 " VALUES (?)", err);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
	if (pv_db_run(a, st, err) != 0)
		return -1;
	st = pv_db_prepare(a, "SELECT id FROM participants WHERE code = ?", err);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) != SQLITE_ROW)
		return pv_db_fail(a, st, err);
	int64_t id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return id;
}

static int update_participant(struct pv_archive *a, int64_t id, const char *credit,
			      int under16, struct pv_err *err)
{
	sqlite3_stmt *st = pv_db_prepare(a,
		"UPDATE participants SET"
		" credit = CASE WHEN ?2 THEN NULLIF(?3, '') ELSE credit END,"
		" under16 = CASE WHEN ?4 >= 0 THEN ?4 ELSE under16 END WHERE id = ?1",
		err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, credit != NULL);
	pv_db_bind_text_or_null(st, 3, credit);
	sqlite3_bind_int(st, 4, under16);
	return pv_db_run(a, st, err);
}

static int log_participant(struct pv_archive *a, int64_t id, const char *credit,
			   int under16, struct pv_err *err)
{
	char detail[128];
	snprintf(detail, sizeof detail, "participant record %lld:%s%s%s", (long long)id,
		 credit ? " credit line set" : "",
		 credit && under16 >= 0 ? "," : "",
		 under16 == 1 ? " marked under 16" : under16 == 0 ? " marked 16 or older" : "");
	return pv_store_log_err(a, "participant", detail, err);
}

int pv_store_participant_set(struct pv_archive *a, const char *code, const char *credit,
			     int under16, struct pv_err *err)
{
	if (!usable_code(code)) {
		pv_fail(err, PV_ERR_INPUT, "A participant code must be a short name without "
			   "'/' or control characters.");
		return -1;
	}
	if (credit && !pv_utf8_valid(credit, strlen(credit))) {
		pv_fail(err, PV_ERR_INPUT, "The credit line is not valid UTF-8 text.");
		return -1;
	}
	int own;
	if (pv_db_begin_if_needed(a, &own, err) != 0)
		return -1;
	int64_t id = pv_participant_record(a, code, err);
	int ok = id > 0 && update_participant(a, id, credit, under16, err) == 0 &&
		 log_participant(a, id, credit, under16, err) == 0;
	return pv_db_end(a, own, ok, err);
}

/* ---- consent ---------------------------------------------------------- */

/* The rule: poster/public for someone under 16 needs the guardian's yes. */
static int check_guardian_rule(const struct pv_entry *e, enum pv_consent c, int guardian,
			       struct pv_err *err)
{
	if (c < PV_CONSENT_POSTER || !e->under16 || guardian == PV_GUARDIAN_YES)
		return 0;
	pv_fail(err, PV_ERR_NOT_ALLOWED, "Entry %lld is by a participant marked under 16: %s use "
		   "needs their guardian's consent. Add --guardian yes once a parent or "
		   "guardian has agreed.", (long long)e->id, pv_consent_name(c));
	return -1;
}

static int write_consent(struct pv_archive *a, int64_t id, enum pv_consent c,
			 int guardian, const char *until, struct pv_err *err)
{
	sqlite3_stmt *st = pv_db_prepare(a, "UPDATE entries SET consent = ?2, guardian = ?3,"
					 " consent_until = ?4 WHERE id = ?1", err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, pv_consent_name(c), -1, SQLITE_STATIC);
	if (guardian == PV_GUARDIAN_UNKNOWN)
		sqlite3_bind_null(st, 3);
	else
		sqlite3_bind_int(st, 3, guardian);
	pv_db_bind_text_or_null(st, 4, until);
	return pv_db_run(a, st, err);
}

static int log_consent(struct pv_archive *a, int64_t id, enum pv_consent c, int guardian,
		       const char *until, struct pv_err *err)
{
	/* stored in English, the same in every language (log --json); `log`
	 * says it in the reader's (src/store/log_words.c knows its shapes) */
	char detail[160];
	snprintf(detail, sizeof detail, "entry %lld: %s, guardian %s, until %s", (long long)id,
		 pv_consent_name(c), guardian == PV_GUARDIAN_YES ? "yes"
				     : guardian == PV_GUARDIAN_NO ? "no" : "not said",
		 until ? until : "no end date");
	return pv_store_log_err(a, "consent", detail, err);
}

int pv_store_set_consent(struct pv_archive *a, int64_t id, enum pv_consent c,
			 int guardian, const char *until, struct pv_err *err)
{
	if (until && (!*until || pv_date_none(until)))
		until = "";
	else if (until && !pv_date_valid(until))
		return pv_fail(err, PV_ERR_INPUT, "'%s' is not a date; write it as YYYY-MM-DD, or none for no end date.",
			       until);
	struct pv_entry e;
	if (pv_store_get(a, id, &e, err) != 0)
		return -1;
	int g = guardian == PV_GUARDIAN_KEEP ? e.guardian : guardian;
	const char *u = !until ? e.consent_until : *until ? until : NULL;
	int r = check_guardian_rule(&e, c, g, err), own;
	if (r == 0 && pv_db_begin_if_needed(a, &own, err) == 0) {
		int ok = write_consent(a, id, c, g, u, err) == 0 &&
			 log_consent(a, id, c, g, u, err) == 0;
		r = pv_db_end(a, own, ok, err);
	} else if (r == 0) {
		r = -1;
	}
	pv_entry_free(&e);
	return r;
}

/* A participant's own change comes back to staff's review. */
static int mark_unreviewed(struct pv_archive *a, int64_t id, struct pv_err *err)
{
	sqlite3_stmt *st = pv_db_prepare(a, "UPDATE entries SET reviewed_at = NULL WHERE id = ?",
					 err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return pv_db_run(a, st, err);
}

int pv_store_withdraw(struct pv_archive *a, int64_t id, const char *participant,
		      struct pv_err *err)
{
	struct pv_entry e;
	struct pv_err missing = {0};
	if (pv_store_get(a, id, &e, &missing) != 0) {
		if (missing.kind != PV_ERR_NOT_FOUND)
			return pv_fail(err, missing.kind, "%s", missing.msg);
		memset(&e, 0, sizeof e);
	}
	/* someone else's entry and no entry look the same from a link */
	if (!e.participant || !participant || strcmp(e.participant, participant) != 0) {
		pv_entry_free(&e);
		return pv_fail(err, PV_ERR_NOT_FOUND, "There is no such photo of yours.");
	}
	int own, r = -1;
	if (pv_db_begin_if_needed(a, &own, err) == 0) {
		char detail[64];
		snprintf(detail, sizeof detail, "entry %lld: none, asked by the participant",
			 (long long)id);
		int ok = write_consent(a, id, PV_CONSENT_NONE, e.guardian, e.consent_until,
				       err) == 0 &&
			 mark_unreviewed(a, id, err) == 0 &&
			 pv_store_log_err(a, "withdraw", detail, err) == 0;
		r = pv_db_end(a, own, ok, err);
	}
	pv_entry_free(&e);
	return r;
}
