/*
 * The command table's shared shape (as in git.c): main.c parses the global
 * options and finds the command's row (struct pv_cmd, in cmd_NAME.c); the
 * row's option table parses the rest (opts.c); main opens the archive the way
 * the row says and calls the row's run(cli, args).
 */
#ifndef PV_CLI_H
#define PV_CLI_H

#include <stdio.h>

#include "photovoice/i18n.h"
#include "photovoice/store.h"

#include "opts.h"

/* Exit statuses of GUIDE.md */
#define PV_EXIT_OK        0
#define PV_EXIT_REJECTED  1   /* some inputs rejected, or a check failed */
#define PV_EXIT_USAGE     2
#define PV_EXIT_ARCHIVE   3   /* the archive cannot be used (missing, locked,
				 damaged), or its catalogue failed */

struct pv_cli {
	const char *archive_dir;      /* --archive, $PHOTOVOICE_ARCHIVE, default */
	struct pv_archive *archive;   /* opened by main as the row says, or NULL */
};

/* Print one plain sentence to stderr, prefixed "photovoice: "; fmt is
 * translated (photovoice/i18n.h). */
void pv_cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same with a sentence already in the reader's language (a library
 * error's), said as it is. */
void pv_cli_error_text(const char *sentence);
/* A usage error: "photovoice CMD: " and the sentence, then "Try 'photovoice
 * CMD --help'."; returns 2 */
int pv_cli_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int pv_cli_usage_error_text(const char *cmd, const char *sentence);
/* The programs a light half runs in its place (main.c, -DPV_LIGHT). */
#define PV_FULL_PROGRAM "photovoice-full"     /* the whole program */
#define PV_FILES_PROGRAM "photovoice-files"   /* scrub and inspect (-DPV_FILES) */
/* Run program (one of the above) with the same arguments for what (a
 * command, or "help"), in this process (full.c); returns only when it
 * cannot, after saying why, with PV_EXIT_ARCHIVE. */
int pv_cli_run_part(const char *program, const char *what, char **argv);
/* Parse a positive entry id; 0 when not one. */
long long pv_cli_parse_id(const char *s);

/* Shared output (output.c). */
typedef struct json_t json_t;
int pv_cli_print_json(json_t *doc);      /* prints and frees */
void pv_cli_print_tags(const struct pv_entry *e);
/* Stored words as a terminal may be shown them (pv_text_for_terminal: a
 * control is written as a visible <U+001B>, never raw), on stdout. */
void pv_cli_print_text(const char *s);    /* one line: line breaks as spaces */
void pv_cli_print_lines(const char *s);   /* with its line breaks (a story) */
/* Consent as it counts today, with the reason when it is less than stated. */
void pv_cli_print_consent(const struct pv_entry *e);
/* ", guardian agreed", ", until DATE" as far as e says. */
void pv_cli_print_guardian_until(const struct pv_entry *e);
/* "expired", "guardian" or NULL: why less consent counts today. */
/* The one place a library error becomes an exit status: says err's sentence
 * on stderr (with the "Try" line for PV_ERR_USAGE) and returns the exit
 * status of its kind (docs/commands.md, "Exit status"). */
int pv_cli_fail(const struct pv_err *err);
/* Who is acting, for the audit trail: the user name of this process. */
const char *pv_cli_actor(void);

/* One row per command, in src/cli/cmd_NAME.c: its option table and run(). */
extern const struct pv_cmd pv_cmd_init, pv_cmd_list, pv_cmd_show, pv_cmd_search,
	pv_cmd_tags, pv_cmd_consent, pv_cmd_log, pv_cmd_edit, pv_cmd_tag, pv_cmd_participants,
	pv_cmd_forget, pv_cmd_audit, pv_cmd_watch, pv_cmd_ingest, pv_cmd_inspect, pv_cmd_scrub,
	pv_cmd_bundle, pv_cmd_invite;
extern const struct pv_cmd pv_cmd_serve, pv_cmd_staff;

/* Ctrl-C and SIGTERM set pv_cli_stop_requested and make pv_cli_stop_fd()
 * readable (src/cli/stop.c), for watch and serve. */
#include <signal.h>
extern volatile sig_atomic_t pv_cli_stop_requested;
int pv_cli_catch_stop(void);
int pv_cli_stop_fd(void);
void pv_cli_release_stop(void);

#endif
