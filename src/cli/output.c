/* Shared pieces of the catalogue commands: an entry as text,
 * consent as it counts today, reopening the archive to change it. */
#include <jansson.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <strings.h>

#include "cli.h"
#include "photovoice/util.h"

/* Exact and valid, and with no control raw: jansson escapes C0 controls,
 * pv_text_json_safe the ones JSON lets stand (C1, bidirectional). */
int pv_cli_print_json(json_t *doc)
{
	char *text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	char *safe = pv_text_json_safe(text);
	int r = safe && fputs(safe, stdout) >= 0 ? 0 : -1;
	fputc('\n', stdout);
	free(safe);
	free(text);
	json_decref(doc);
	return r;
}

static void print_shown(const char *s, int one_line)
{
	char *shown = pv_text_for_terminal(s, one_line);
	if (shown)
		fputs(shown, stdout);
	free(shown);
}

void pv_cli_print_text(const char *s)
{
	print_shown(s, 1);
}

void pv_cli_print_lines(const char *s)
{
	print_shown(s, 0);
}

void pv_cli_print_tags(const struct pv_entry *e)
{
	for (size_t i = 0; i < e->ntags; i++) {
		fputs(i ? ", " : "", stdout);
		pv_cli_print_text(e->tags[i]);
	}
}

/* "poster", or "internal (poster until 2024-01-01, ended)" when less counts. */
void pv_cli_print_consent(const struct pv_entry *e)
{
	char today[11];
	pv_today_iso(today);
	enum pv_consent now = pv_entry_effective_consent(e, today);
	printf("%s", pv_consent_name(now));
	switch (pv_entry_consent_limit(e, today)) {
	case PV_LIMIT_EXPIRED:
		/* TRANSLATORS: a consent scope (poster, public: as typed) and a date */
		printf(_(" (%s until %s, ended)"), pv_consent_name(e->consent), e->consent_until);
		break;
	case PV_LIMIT_GUARDIAN:
		printf(_(" (%s, but under 16 without guardian consent)"),
		       pv_consent_name(e->consent));
		break;
	default:
		break;
	}
}

void pv_cli_print_guardian_until(const struct pv_entry *e)
{
	if (e->guardian != PV_GUARDIAN_UNKNOWN)
		printf("%s", e->guardian ? _(", guardian agreed") : _(", guardian did not agree"));
	if (e->consent_until)
		printf(_(", until %s"), e->consent_until);
}

const char *pv_cli_actor(void)
{
	struct passwd *pw = getpwuid(geteuid());
	return pw ? pw->pw_name : "unknown";
}
