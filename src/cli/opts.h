/*
 * One table per command: its options (name, letter, value, help), the words
 * after them, and its sub-commands. The same table drives parsing
 * (pv_args_parse), --help (pv_cmd_help) and `photovoice help --options`,
 * from which man pages and shell completion can be made.
 */
#ifndef PV_CLI_OPTS_H
#define PV_CLI_OPTS_H

#include <stddef.h>
#include <stdio.h>

/* What a command needs before it runs. */
enum pv_needs {
	PV_NEEDS_NOTHING,     /* works on loose files, or creates the archive */
	PV_NEEDS_READ,        /* opens the archive for reading */
	PV_NEEDS_WRITE,       /* takes the archive's write lock (waits for it) */
	PV_NEEDS_WRITE_NOW,   /* takes the write lock or refuses at once */
};

/* Flags of an option row. */
#define PV_OPT_REPEAT    1u   /* may be given more than once; every value is kept */
#define PV_OPT_ONCE      2u   /* given twice is a usage error */
#define PV_OPT_REQUIRED  4u   /* the command needs it (no brackets in the synopsis) */
#define PV_OPT_INT       8u   /* a whole number from .min to .max */
#define PV_OPT_REAL     16u   /* a number (3, 0.5) from .min to .max */
#define PV_OPT_IN_WORDS 32u   /* the synopsis names it in the command's .words */

struct pv_opt {
	const char *name;     /* long form without "--"; NULL: only the letter */
	char letter;          /* short form, as in -o; 0 for none */
	const char *arg;      /* the value's name (FILE, N, yes|no); NULL: takes none */
	unsigned flags;       /* PV_OPT_* */
	const char *help;     /* what it does: a line of --help, a paragraph of a man page */
	int (*check)(const char *value);   /* < 0: not a value the option takes */
	double min, max;      /* the range of PV_OPT_INT and PV_OPT_REAL */
	const char *bad;      /* the sentence for a value refused by check or range;
			       * a %s in it is the value (no other %) */
};

struct pv_cli;
struct pv_args;

/* Flags of a command row. */
#define PV_CMD_WORDS_END_OPTIONS 1u   /* options come first; from the first word
				       * on (or a word with one '-') all are words */
#define PV_CMD_HIDDEN            2u   /* not in the command list */

struct pv_cmd {
	const char *name;       /* "tags"; "rename" for a sub-command */
	const char *summary;    /* one line for the command list, no full stop */
	const char *words;      /* the words of the synopsis ("ID", "QUERY..."); a
				 * second form after '\n'; NULL: none */
	const char *about;      /* the longer description, or NULL */
	const struct pv_opt *opts;
	size_t nopts;
	int min_words, max_words;   /* how many words; max -1: any number */
	const char *words_error;    /* said when their number is wrong; a %s in it
				     * is the first word too many (no other %) */
	unsigned flags;             /* PV_CMD_* */
	enum pv_needs needs;
	int (*run)(struct pv_cli *cli, const struct pv_args *a);
	/* What the words and options ask for, checked by the library before the
	 * archive is opened (a request that cannot be read is a usage error
	 * whatever the archive's state); 0 or the exit status. NULL: none. */
	int (*check)(const struct pv_args *a);
	const struct pv_cmd *subs;  /* sub-commands, chosen by the first word */
	size_t nsubs;
};

#define PV_NOPTS(table) (sizeof (table) / sizeof (table)[0])

/* What pv_args_parse found: the options in the order given, and the words. */
struct pv_given {
	int opt;                /* index in cmd->opts */
	const char *value;      /* NULL for a switch */
};

struct pv_args {
	const struct pv_cmd *top;    /* the command */
	const struct pv_cmd *cmd;    /* the command, or the sub-command chosen */
	struct pv_given *given;
	size_t ngiven;
	const char **values;         /* the values grouped by option (pv_args_list) */
	size_t *first, *count;       /* per option: where its values start, how many */
	char **words;
	int nwords;
};

/* Reads argv (argv[0] the command's name) by top's table. 0, or after saying
 * one sentence and "Try 'photovoice CMD --help'." on stderr, PV_EXIT_USAGE. */
int pv_args_parse(const struct pv_cmd *top, int argc, char **argv, struct pv_args *a);
void pv_args_free(struct pv_args *a);

/* How many times the option (an index in a->cmd->opts) was given. */
size_t pv_args_has(const struct pv_args *a, int opt);
/* Its last value, or NULL when not given. */
const char *pv_args_text(const struct pv_args *a, int opt);
/* Every value, in the order given (*n of them; NULL when none). */
const char *const *pv_args_list(const struct pv_args *a, int opt, size_t *n);
/* The value of a PV_OPT_INT / PV_OPT_REAL option, or dflt when not given. */
long long pv_args_int(const struct pv_args *a, int opt, long long dflt);
double pv_args_real(const struct pv_args *a, int opt, double dflt);
/* The row's check() of its last value, or dflt when not given. */
int pv_args_checked(const struct pv_args *a, int opt, int dflt);
/* Which of two options was given last; -1: neither. */
int pv_args_last_of(const struct pv_args *a, int opt1, int opt2);

/* The word of words closest to typed, when close enough to be a typo; NULL. */
const char *pv_closest_word(const char *typed, const char *const *words, size_t n);

/* The help of a command (and of its sub-commands), made from its table. */
void pv_cmd_help(const struct pv_cmd *cmd, FILE *f);
/* One line per option: "--name", "-l" when it has a letter, then a tab, the
 * value's name (or nothing), a tab, the help. For scripts: man pages and
 * completion. */
void pv_cmd_print_options(const struct pv_cmd *cmd, FILE *f);
/* What else the table says, one fact a line, "KEY\tTEXT": summary; synopsis
 * (each form, unwrapped; with the sub-commands'); words (each form); about
 * (a line per line); sub (each sub-command's name). cmd is a sub-command of
 * top, or top is NULL. For scripts: man pages and completion (docs/man/). */
void pv_cmd_describe(const struct pv_cmd *top, const struct pv_cmd *cmd, FILE *f);

#endif
