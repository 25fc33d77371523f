/* photovoice staff add NAME | passwd NAME | remove NAME | list [--json]:
 * the accounts of the staff workspace of serve. A password is read from the
 * terminal (not shown, asked twice) or, when stdin is not a terminal, as the
 * first line of stdin. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"
#include "photovoice/staff.h"

/* One line from f without its line end; NULL at end of input. */
static char *read_line(FILE *f)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, f);
	if (n < 0) {
		free(line);
		return NULL;
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	return line;
}

static char *ask_hidden(const char *prompt)
{
	struct termios old, quiet;
	fputs(prompt, stderr);
	fflush(stderr);
	int hid = tcgetattr(STDIN_FILENO, &old) == 0;
	if (hid) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	char *line = read_line(stdin);
	if (hid)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
	fputc('\n', stderr);
	return line;
}

/* The new password, or NULL after saying why. */
static char *read_password(const char *name)
{
	if (!isatty(STDIN_FILENO)) {
		char *line = read_line(stdin);
		if (!line)
			pv_cli_error("No password was given on stdin.");
		return line;
	}
	char prompt[128];
	snprintf(prompt, sizeof prompt, _("New password for %s (at least %d characters): "), name,
		 PV_STAFF_MIN_PASSWORD);
	char *first = ask_hidden(prompt), *again = first ? ask_hidden(_("The same again: ")) : NULL;
	if (first && again && strcmp(first, again) == 0) {
		free(again);
		return first;
	}
	pv_cli_error_text(first && again ? _("The two passwords differ; nothing was changed.")
					 : _("No password was given; nothing was changed."));
	free(first);
	free(again);
	return NULL;
}

static int set_password(struct pv_cli *cli, const struct pv_args *a)
{
	int adding = strcmp(a->cmd->name, "add") == 0;
	const char *name = a->words[0];
	struct pv_err err = {0};
	/* a bad name is said before a password is asked for */
	if (pv_staff_check_name(name, &err) != 0)
		return pv_cli_fail(&err);
	char *password = read_password(name);
	if (!password)
		return PV_EXIT_USAGE;
	int r = adding ? pv_staff_add(cli->archive, name, password, &err)
		       : pv_staff_passwd(cli->archive, name, password, &err);
	memset(password, 0, strlen(password));
	free(password);
	if (r != 0)
		return pv_cli_fail(&err);
	printf(adding ? _("Staff account '%s' added; log in at /login of photovoice serve.\n")
		      : _("New password set for '%s'.\n"), name);
	return PV_EXIT_OK;
}

static int remove_account(struct pv_cli *cli, const struct pv_args *a)
{
	struct pv_err err = {0};
	if (pv_staff_remove(cli->archive, a->words[0], &err) != 0)
		return pv_cli_fail(&err);
	printf(_("Staff account '%s' removed; its sessions end at once.\n"), a->words[0]);
	return PV_EXIT_OK;
}

enum { O_JSON };

static const struct pv_opt list_opts[] = {
	[O_JSON] = { "json", 0, NULL, 0, N_("one JSON document") },
};

static int list_accounts(struct pv_cli *cli, const struct pv_args *a)
{
	struct pv_staff *list;
	size_t n;
	struct pv_err err = {0};
	if (pv_staff_list(cli->archive, &list, &n, &err) != 0)
		return pv_cli_fail(&err);
	if (pv_args_has(a, O_JSON)) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, json_pack("{s:s, s:s}", "name", list[i].name,
							     "created_at", list[i].created_at));
		pv_cli_print_json(json_pack("{s:I, s:o}", "count", (json_int_t)n, "staff", arr));
	} else if (!n) {
		printf(_("No staff accounts yet; add one with 'photovoice staff add NAME'.\n"));
	} else {
		printf("%-24s  %s\n", _("NAME"), _("SINCE"));
		for (size_t i = 0; i < n; i++)
			printf("%-24s  %.10s\n", list[i].name, list[i].created_at);
	}
	pv_staff_list_free(list, n);
	return PV_EXIT_OK;
}

static int missing_sub(struct pv_cli *cli, const struct pv_args *a)
{
	(void)cli;
	(void)a;
	return pv_cli_usage_error("staff", "staff needs a sub-command: add, passwd, remove or "
				  "list.");
}

static const struct pv_cmd staff_subs[] = {
	{ .name = "add", .summary = N_("a new account; its password from the terminal or stdin"),
	  .words = "NAME", .min_words = 1, .max_words = 1,
	  .words_error = N_("staff add takes one name."), .needs = PV_NEEDS_WRITE,
	  .run = set_password },
	{ .name = "passwd", .summary = N_("a new password for an account"),
	  .words = "NAME", .min_words = 1, .max_words = 1,
	  .words_error = N_("staff passwd takes one name."), .needs = PV_NEEDS_WRITE,
	  .run = set_password },
	{ .name = "remove", .summary = N_("remove an account; its sessions end at once"),
	  .words = "NAME", .min_words = 1, .max_words = 1,
	  .words_error = N_("staff remove takes one name."), .needs = PV_NEEDS_WRITE,
	  .run = remove_account },
	{ .name = "list", .summary = N_("every account"), .opts = list_opts,
	  .nopts = PV_NOPTS(list_opts), .words_error = N_("staff list takes no words."),
	  .needs = PV_NEEDS_READ, .run = list_accounts },
};

const struct pv_cmd pv_cmd_staff = {
	.name = "staff",
	.summary = N_("add, change and remove staff accounts for the web workspace"),
	.about = N_("Passwords have at least 10 characters; they are kept only as an Argon2id "
		 "hash."),
	.words_error = N_("staff needs a sub-command: add, passwd, remove or list."),
	.needs = PV_NEEDS_NOTHING,
	.run = missing_sub,
	.subs = staff_subs,
	.nsubs = PV_NOPTS(staff_subs),
};
