/*
 * photovoice - the command table and what every command shares: global
 * options, opening the archive the way a command's row says, help, exit codes.
 *
 * The table also says which program runs a command. This file is compiled
 * three times (Makefile): into photovoice-full, the whole program; with
 * -DPV_LIGHT into photovoice, the light half, which holds only the commands
 * that work on the catalogue and so starts without loading the picture,
 * archive and poster libraries (libexif, turbojpeg, libheif, cairo, pango,
 * libarchive, ...); and with -DPV_LIGHT -DPV_FILES into photovoice-files, the
 * light half with the commands on loose files (scrub, inspect), which load
 * libexif and turbojpeg and nothing heavier. Of a FULL() row a light half
 * keeps only the name: it runs photovoice-full in its place (full.c) for that
 * command, for its help, and for the help that lists every command; of a
 * FILES() row photovoice keeps only the name and runs photovoice-files.
 */
#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "photovoice/store.h"
#include "photovoice/util.h"

#if defined(PV_LIGHT) && defined(PV_FILES)
#define LIGHT_HALF 1
#define FULL(cmd, ...) { .name = cmd, .program = PV_FULL_PROGRAM }   /* no spec */
#define FILES(cmd, ...) __VA_ARGS__
#elif defined(PV_LIGHT)
#define LIGHT_HALF 1
#define FULL(cmd, ...) { .name = cmd, .program = PV_FULL_PROGRAM }
#define FILES(cmd, ...) { .name = cmd, .program = PV_FILES_PROGRAM }
#else
#define LIGHT_HALF 0
#define FULL(cmd, ...) __VA_ARGS__
#define FILES(cmd, ...) __VA_ARGS__
#endif

/* A row of the command list: the command's table (src/cli/cmd_NAME.c); in
 * a light half a row it does not hold has only the name and the program
 * that runs it. */
struct command {
	const struct pv_cmd *spec;
	const char *name;
	const char *program;
};

static const struct command commands[] = {
	{ .spec = &pv_cmd_init },
	FULL("ingest", { .spec = &pv_cmd_ingest }),
	FULL("watch", { .spec = &pv_cmd_watch }),
	{ .spec = &pv_cmd_list },
	{ .spec = &pv_cmd_search },
	{ .spec = &pv_cmd_show },
	{ .spec = &pv_cmd_tag },
	{ .spec = &pv_cmd_tags },
	{ .spec = &pv_cmd_edit },
	{ .spec = &pv_cmd_participants },
	{ .spec = &pv_cmd_consent },
	FULL("forget", { .spec = &pv_cmd_forget }),
	{ .spec = &pv_cmd_log },
	FULL("audit", { .spec = &pv_cmd_audit }),
	FULL("bundle", { .spec = &pv_cmd_bundle }),
	FILES("scrub", { .spec = &pv_cmd_scrub }),
	FILES("inspect", { .spec = &pv_cmd_inspect }),
	FULL("invite", { .spec = &pv_cmd_invite }),   /* libsodium, cairo, qrencode */
	FULL("serve", { .spec = &pv_cmd_serve }),
	FULL("staff", { .spec = &pv_cmd_staff }),
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static char **whole_argv;   /* main's, for the program run in our place */

/* A light half: photovoice-full does what needs more of a FULL() row than its
 * name, and the help that lists every command; returns only when it cannot
 * be run. */
static int run_full(const char *what)
{
	return pv_cli_run_part(PV_FULL_PROGRAM, what, whole_argv);
}

/* A row this program holds only the name of. */
static int runs_elsewhere(const struct command *c)
{
	return !c->spec;
}

static int run_elsewhere(const struct command *c)
{
	return pv_cli_run_part(c->program, c->name, whole_argv);
}

/* A sentence may quote what was typed or found: no control goes out raw. */
static void say_sentence(const char *cmd, const char *sentence)
{
	char *shown = pv_text_for_terminal(sentence, 0);
	fprintf(stderr, "photovoice%s%s: %s\n", cmd && *cmd ? " " : "", cmd ? cmd : "",
		shown ? shown : sentence);
	free(shown);
}

/* fmt is translated here (make pot knows pv_cli_error and
 * pv_cli_usage_error as keywords). */
static void say_error(const char *cmd, const char *fmt, va_list ap)
{
	char *sentence = NULL;
	if (vasprintf(&sentence, _(fmt), ap) < 0)
		sentence = NULL;
	say_sentence(cmd, sentence ? sentence : fmt);
	free(sentence);
}

void pv_cli_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	say_error(NULL, fmt, ap);
	va_end(ap);
}

void pv_cli_error_text(const char *sentence)
{
	say_sentence(NULL, sentence);
}

static int usage_tail(const char *cmd)
{
	/* TRANSLATORS: after a usage error; %s%s is " COMMAND" or nothing */
	fprintf(stderr, _("Try 'photovoice%s%s --help'.\n"), cmd && *cmd ? " " : "",
		cmd ? cmd : "");
	return PV_EXIT_USAGE;
}

int pv_cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	say_error(cmd, fmt, ap);
	va_end(ap);
	return usage_tail(cmd);
}

int pv_cli_usage_error_text(const char *cmd, const char *sentence)
{
	say_sentence(cmd, sentence);
	return usage_tail(cmd);
}

/* The command being run, for the "Try 'photovoice CMD --help'." line. */
static const char *running = "";

static int exit_for(enum pv_err_kind kind)
{
	switch (kind) {
	case PV_ERR_NONE:
		return PV_EXIT_OK;
	case PV_ERR_USAGE:
		return PV_EXIT_USAGE;
	case PV_ERR_INPUT:
	case PV_ERR_NOT_FOUND:
	case PV_ERR_NOT_ALLOWED:
	case PV_ERR_CONFLICT:
	case PV_ERR_OUTPUT:
		return PV_EXIT_REJECTED;
	case PV_ERR_BUSY:
	case PV_ERR_ARCHIVE:
		return PV_EXIT_ARCHIVE;
	}
	return PV_EXIT_ARCHIVE;   /* a kind this table does not know yet */
}

int pv_cli_fail(const struct pv_err *err)
{
	if (!err || err->kind == PV_ERR_NONE) {
		/* a failure without a sentence is a bug; still say something */
		pv_cli_error("Something went wrong that photovoice cannot describe.");
		return PV_EXIT_ARCHIVE;
	}
	if (err->kind == PV_ERR_USAGE)
		return pv_cli_usage_error_text(running, err->msg);
	pv_cli_error_text(err->msg);
	return exit_for(err->kind);
}

static const char *name_of(const struct command *c)
{
	return c->spec ? c->spec->name : c->name;
}

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(name_of(&commands[i]), name) == 0)
			return &commands[i];
	return NULL;
}

static int command_help(const struct command *c, FILE *stream)
{
	if (runs_elsewhere(c))
		return run_elsewhere(c);
	pv_cmd_help(c->spec, stream);
	return PV_EXIT_OK;
}

long long pv_cli_parse_id(const char *s)
{
	if (!s || !*s)
		return 0;
	char *end;
	long long v = strtoll(s, &end, 10);
	return (*end == '\0' && v > 0) ? v : 0;
}

/* The help that lists every command; returns status. */
static int print_main_help(FILE *f, int status)
{
	if (LIGHT_HALF)   /* it has not the FULL() rows' summaries */
		return run_full("help");
	fputs(_("usage: photovoice [--archive DIR] COMMAND [OPTIONS]\n\n"
		"A photovoice archive: takes photos with their caption and story in\n"
		"from a drop folder, removes every piece of identifying metadata, keeps\n"
		"them in a catalogue with the consent each participant gave, and builds\n"
		"poster-ready bundles.\n\n"
		"Commands:\n"), f);
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-12s %s\n", name_of(&commands[i]),
			_(commands[i].spec->summary));
	fputs(_("\nOptions:\n"
		"  --archive DIR   the archive (default: $PHOTOVOICE_ARCHIVE, else\n"
		"                  ./photovoice-archive)\n"
		"  --help          this text; 'photovoice COMMAND --help' for one command\n"
		"  --version       the version\n\n"
		"Exit status: 0 all done, 1 some inputs rejected or a check failed,\n"
		"2 usage error, 3 the archive cannot be used.\n"), f);
	return status;
}

static const char *default_archive(void)
{
	const char *env = getenv("PHOTOVOICE_ARCHIVE");
	return (env && *env) ? env : "./photovoice-archive";
}

/* Parses the options before the command; returns the index of the command
 * word, or -1 after printing help/version (status in *status). */
static int parse_global(int argc, char **argv, struct pv_cli *cli, int *status)
{
	int i = 1;
	while (i < argc && argv[i][0] == '-') {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			*status = print_main_help(stdout, PV_EXIT_OK);
			return -1;
		} else if (strcmp(a, "--version") == 0) {
			printf("photovoice %s\n", PV_VERSION);
			*status = PV_EXIT_OK;
			return -1;
		} else if (strcmp(a, "--archive") == 0 && i + 1 < argc) {
			cli->archive_dir = argv[i + 1];
			i += 2;
		} else if (strncmp(a, "--archive=", 10) == 0) {
			cli->archive_dir = a + 10;
			i++;
		} else {
			*status = pv_cli_usage_error("", "'%s' is not an option photovoice knows.", a);
			return -1;
		}
	}
	if (i >= argc) {
		*status = print_main_help(stderr, PV_EXIT_USAGE);
		return -1;
	}
	return i;
}

static int wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return 0;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return 1;
	}
	return 0;
}

static int unknown_command(const char *typed)
{
	const char *names[NCOMMANDS];
	for (size_t i = 0; i < NCOMMANDS; i++)
		names[i] = name_of(&commands[i]);
	const char *near = pv_closest_word(typed, names, NCOMMANDS);
	if (near)
		return pv_cli_usage_error("", "'%s' is not a photovoice command; did you mean "
					  "'%s'?", typed, near);
	return pv_cli_usage_error("", "'%s' is not a photovoice command.", typed);
}

/* photovoice help [CMD]; for scripts (man pages, completion), help
 * --commands: the commands and sub-commands read by an option table, one a
 * line; help --options CMD [SUB]: the options of one, as pv_cmd_print_options;
 * help --describe CMD [SUB]: the rest of its table, as pv_cmd_describe. */
static int cmd_help(int argc, char **argv)
{
	if (argc == 1 || LIGHT_HALF)
		return print_main_help(stdout, PV_EXIT_OK);
	if (argc == 2 && strcmp(argv[1], "--commands") == 0) {
		for (size_t i = 0; i < NCOMMANDS; i++) {
			const struct pv_cmd *c = commands[i].spec;
			for (size_t s = 0; c && s <= c->nsubs; s++)
				printf("%s%s%s\n", c->name, s ? " " : "", s ? c->subs[s - 1].name : "");
		}
		return PV_EXIT_OK;
	}
	int options = strcmp(argv[1], "--options") == 0;
	int describe = strcmp(argv[1], "--describe") == 0;
	int machine = options || describe;
	const struct command *c = argc > 1 + machine ? find_command(argv[1 + machine]) : NULL;
	if (!c)
		return argc > 1 + machine ? unknown_command(argv[1 + machine])
					  : pv_cli_usage_error("", "help %s needs a command.", argv[1]);
	if (!machine)
		return command_help(c, stdout);
	const struct pv_cmd *top = NULL, *spec = c->spec;
	for (size_t s = 0; spec && argc > 3 && s < spec->nsubs; s++)
		if (strcmp(spec->subs[s].name, argv[3]) == 0) {
			top = c->spec;
			spec = &spec->subs[s];
		}
	if (spec && options)
		pv_cmd_print_options(spec, stdout);
	else if (spec)
		pv_cmd_describe(top, spec, stdout);
	return PV_EXIT_OK;
}

static int open_for(enum pv_needs needs, struct pv_cli *cli)
{
	static const enum pv_open_mode modes[] = {
		[PV_NEEDS_READ] = PV_OPEN_READ,
		[PV_NEEDS_WRITE] = PV_OPEN_WRITE,
		[PV_NEEDS_WRITE_NOW] = PV_OPEN_WRITE_NOWAIT,
	};
	if (needs == PV_NEEDS_NOTHING)
		return 0;
	struct pv_err err = {0};
	cli->archive = pv_archive_open(cli->archive_dir, modes[needs], &err);
	return cli->archive ? PV_EXIT_OK : pv_cli_fail(&err);
}

/* --json is machine output, the same bytes in every language: the sentences
 * inside it (a reason an entry was left out, a file set aside) and the run's
 * messages on stderr are English then (docs/json.md). */
static int wants_json(const struct pv_args *a)
{
	for (size_t i = 0; i < a->ngiven; i++) {
		const char *name = a->cmd->opts[a->given[i].opt].name;
		if (name && strcmp(name, "json") == 0)
			return 1;
	}
	return 0;
}

/* A command read by its table: parsed and checked before the archive is
 * opened, so that a usage error is said as one (exit 2) whatever the
 * archive's state. */
static int run_spec(const struct pv_cmd *spec, struct pv_cli *cli, int argc, char **argv)
{
	struct pv_args a;
	int status = pv_args_parse(spec, argc, argv, &a);
	if (status == 0 && wants_json(&a))
		pv_i18n_english();
	enum pv_needs needs = a.cmd->needs > spec->needs ? a.cmd->needs : spec->needs;
	int (*check)(const struct pv_args *) = a.cmd->check ? a.cmd->check : spec->check;
	if (status == 0 && check)
		status = check(&a);
	if (status == 0)
		status = open_for(needs, cli);
	if (status == 0)
		status = (a.cmd->run ? a.cmd->run : spec->run)(cli, &a);
	pv_args_free(&a);
	return status;
}

static int run_command(const struct command *c, struct pv_cli *cli, int argc, char **argv)
{
	if (runs_elsewhere(c))
		return run_elsewhere(c);
	return run_spec(c->spec, cli, argc, argv);
}

int main(int argc, char **argv)
{
	/* A lossless turn allocates and frees tens of megabytes per photo; keeping
	 * that memory in the heap instead of mapping it anew for every photo saves
	 * most of the system time (page faults) of a batch. */
	mallopt(M_MMAP_THRESHOLD, 256 * 1024 * 1024);
	mallopt(M_TRIM_THRESHOLD, 512 * 1024 * 1024);
	whole_argv = argv;
	pv_i18n_init();
	struct pv_cli cli = { .archive_dir = default_archive(), .archive = NULL };
	int status = PV_EXIT_OK;
	int at = parse_global(argc, argv, &cli, &status);
	if (at < 0)
		return status;
	int cargc = argc - at;
	char **cargv = argv + at;
	if (strcmp(argv[at], "help") == 0)
		return cmd_help(cargc, cargv);
	const struct command *c = find_command(argv[at]);
	if (!c)
		return unknown_command(argv[at]);
	if (wants_help(cargc, cargv))
		return command_help(c, stdout);
	running = name_of(c);
	status = run_command(c, &cli, cargc, cargv);
	pv_archive_close(cli.archive);
	if (fflush(stdout) != 0 && status == PV_EXIT_OK) {
		pv_cli_error("The output could not be written.");
		status = PV_EXIT_REJECTED;
	}
	return status;
}
