/*
 * The one option parser of the command line, and --help made from the same
 * table. Options may come before, between and after the words (as getopt
 * permutes them), "--name value" and "--name=value" both work, a long name
 * may be shortened while it is unambiguous, "--" ends the options. Every
 * refusal is one sentence, then "Try 'photovoice CMD --help'.", exit 2.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "photovoice/util.h"

/* ---- finding the row -------------------------------------------------------------- */

const char *pv_closest_word(const char *typed, const char *const *words, size_t n)
{
	const char *best = NULL;
	int best_d = (int)strlen(typed) / 3 + 1;   /* a typo: one edit in three letters */
	for (size_t i = 0; i < n; i++) {
		int d = words[i] ? pv_edit_distance(typed, words[i]) : 99;
		if (d < best_d || (d == best_d && !best)) {
			best = words[i];
			best_d = d;
		}
	}
	return best;
}

/* The option name closest to the one typed, when close enough to be a typo. */
static const char *closest(const struct pv_cmd *c, const char *typed)
{
	const char *names[64] = { 0 };
	for (size_t i = 0; i < c->nopts && i < 64; i++)
		names[i] = c->opts[i].name;
	return pv_closest_word(typed, names, c->nopts < 64 ? c->nopts : 64);
}

/* "participants set" for a sub-command, "list" for a command. */
static void cmd_path(const struct pv_args *a, char *buf, size_t len)
{
	if (a->cmd == a->top)
		snprintf(buf, len, "%s", a->top->name);
	else
		snprintf(buf, len, "%s %s", a->top->name, a->cmd->name);
}

/* The usage error of a: said with the command's name, and the "Try" line. */
#define REFUSE(a, ...) pv_cli_usage_error((a)->top->name, __VA_ARGS__)

static int unknown_long(const struct pv_args *a, const char *typed)
{
	char path[96];
	cmd_path(a, path, sizeof path);
	if (strcmp(typed, "archive") == 0)
		return REFUSE(a, "--archive goes before the command: photovoice --archive DIR %s.",
			      path);
	for (size_t s = 0; s < a->top->nsubs && a->cmd == a->top; s++)
		for (size_t i = 0; i < a->top->subs[s].nopts; i++)
			if (a->top->subs[s].opts[i].name &&
			    strcmp(a->top->subs[s].opts[i].name, typed) == 0)
				return REFUSE(a, "'--%s' is an option of %s %s, not of %s.", typed,
					      path, a->top->subs[s].name, path);
	const char *near = closest(a->cmd, typed);
	if (near)
		return REFUSE(a, "'--%s' is not an option of %s; did you mean '--%s'?", typed,
			      path, near);
	return REFUSE(a, "'--%s' is not an option of %s.", typed, path);
}

/* "'--con' could be --consent or --consent-is": every name t (len) starts. */
static int ambiguous(const struct pv_args *a, const char *t, size_t len, int matches)
{
	const struct pv_cmd *c = a->cmd;
	char which[256] = "";
	for (int i = 0, k = 0; i < (int)c->nopts; i++) {
		if (!c->opts[i].name || strncmp(c->opts[i].name, t, len) != 0)
			continue;
		const char *sep = k == 0 ? "" : k + 1 == matches ? _(" or ") : ", ";
		snprintf(which + strlen(which), sizeof which - strlen(which), "%s--%s", sep,
			 c->opts[i].name);
		k++;
	}
	return REFUSE(a, "'--%s' could be %s; write it out.", t, which);
}

/* The row of "--typed": exact, else the one it is the start of; -1 after
 * saying why not. */
static int find_long(const struct pv_args *a, const char *typed, size_t len, int *status)
{
	const struct pv_cmd *c = a->cmd;
	int found = -1, matches = 0;
	for (size_t i = 0; i < c->nopts; i++) {
		const char *name = c->opts[i].name;
		if (!name || strncmp(name, typed, len) != 0)
			continue;
		if (name[len] == '\0')
			return (int)i;
		if (matches++ == 0)
			found = (int)i;
	}
	if (matches == 1)
		return found;
	char *t = strndup(typed, len);
	if (!t)
		abort();
	*status = matches > 1 ? ambiguous(a, t, len, matches) : unknown_long(a, t);
	free(t);
	return -1;
}

static int find_letter(const struct pv_args *a, const char *word, int *status)
{
	for (size_t i = 0; i < a->cmd->nopts; i++)
		if (a->cmd->opts[i].letter && a->cmd->opts[i].letter == word[1])
			return (int)i;
	char path[96];
	cmd_path(a, path, sizeof path);
	/* "-json" for "--json" */
	for (size_t i = 0; word[2] && i < a->cmd->nopts; i++)
		if (a->cmd->opts[i].name && strcmp(a->cmd->opts[i].name, word + 1) == 0) {
			*status = REFUSE(a, "'%s' is not an option of %s; did you mean '-%s'?",
					 word, path, word);
			return -1;
		}
	*status = REFUSE(a, "'%.2s' is not an option of %s.", word, path);
	return -1;
}

/* ---- values ----------------------------------------------------------------------- */

/* "--jobs" or "-o": how the option is written in messages. */
static void opt_label(const struct pv_opt *o, char *buf, size_t len)
{
	if (o->name)
		snprintf(buf, len, "--%s", o->name);
	else
		snprintf(buf, len, "-%c", o->letter);
}

static int number_ok(const struct pv_opt *o, const char *v, double *out)
{
	char *end;
	errno = 0;
	double d = (o->flags & PV_OPT_INT) ? (double)strtoll(v, &end, 10) : strtod(v, &end);
	if (errno || end == v || *end || isspace((unsigned char)*v) || !(d >= o->min && d <= o->max))
		return 0;
	*out = d;
	return 1;
}

static int value_ok(const struct pv_opt *o, const char *v)
{
	double d;
	if ((o->flags & (PV_OPT_INT | PV_OPT_REAL)) && !number_ok(o, v, &d))
		return 0;
	return !o->check || o->check(v) >= 0;
}

/* A sentence of the table, with the value typed where it says %s. */
static int refuse_with(const struct pv_args *a, const char *sentence, const char *value)
{
	if (strstr(sentence, "%s"))
		return REFUSE(a, sentence, value);
	return pv_cli_usage_error_text(a->top->name, _(sentence));
}

static int refuse_value(const struct pv_args *a, const struct pv_opt *o, const char *v)
{
	if (o->bad)
		return refuse_with(a, o->bad, v);
	char label[64];
	opt_label(o, label, sizeof label);
	if (o->flags & PV_OPT_INT)
		return REFUSE(a, "%s takes a whole number from %.0f to %.0f, not '%s'.", label,
			      o->min, o->max, v);
	return REFUSE(a, "'%s' is not a value %s takes (%s).", v, label, o->arg);
}

/* Keeps opt's value after the checks of its row. */
static int take(struct pv_args *a, int opt, const char *value)
{
	const struct pv_opt *o = &a->cmd->opts[opt];
	char label[64];
	opt_label(o, label, sizeof label);
	if (!o->arg && value)
		return REFUSE(a, "%s takes no value ('%s=%s').", label, label, value);
	if (o->arg && value && !value_ok(o, value))
		return refuse_value(a, o, value);
	if ((o->flags & PV_OPT_ONCE) && pv_args_has(a, opt))
		return REFUSE(a, "Give %s once.", label);
	a->given[a->ngiven].opt = opt;
	a->given[a->ngiven++].value = value;
	return 0;
}

/* A value is missing after the option, as typed: "--output" or "-o". */
static int missing_value(const struct pv_args *a, const struct pv_opt *o, int as_letter)
{
	char label[64];
	if (as_letter)
		snprintf(label, sizeof label, "-%c", o->letter);
	else
		opt_label(o, label, sizeof label);
	return REFUSE(a, "%s needs a value: %s %s.", label, label, o->arg);
}

/* ---- the words of argv ------------------------------------------------------------ */

/* argv[*i] is "--name" or "--name=value". */
static int read_long(struct pv_args *a, int argc, char **argv, int *i)
{
	const char *word = argv[*i] + 2;
	const char *eq = strchr(word, '=');
	int status = 0;
	int opt = find_long(a, word, eq ? (size_t)(eq - word) : strlen(word), &status);
	if (opt < 0)
		return status;
	const struct pv_opt *o = &a->cmd->opts[opt];
	if (eq || !o->arg)
		return take(a, opt, eq ? eq + 1 : NULL);
	if (*i + 1 >= argc)
		return missing_value(a, o, 0);
	return take(a, opt, argv[++*i]);
}

/* argv[*i] is "-o", "-oVALUE" or "-o VALUE". */
static int read_letter(struct pv_args *a, int argc, char **argv, int *i)
{
	int status = 0;
	int opt = find_letter(a, argv[*i], &status);
	if (opt < 0)
		return status;
	const struct pv_opt *o = &a->cmd->opts[opt];
	if (!o->arg && argv[*i][2])
		return REFUSE(a, "'%s' is not an option of %s.", argv[*i], a->cmd->name);
	if (!o->arg)
		return take(a, opt, NULL);
	if (argv[*i][2])
		return take(a, opt, argv[*i] + 2);
	if (*i + 1 >= argc)
		return missing_value(a, o, 1);
	return take(a, opt, argv[++*i]);
}

static int is_option(const struct pv_args *a, const char *w)
{
	if (w[0] != '-' || w[1] == '\0')
		return 0;   /* a word, or "-" (standard input) */
	if ((a->cmd->flags & PV_CMD_WORDS_END_OPTIONS) && w[1] != '-')
		return 0;   /* "-klik": a tag to remove */
	return 1;
}

static int read_all(struct pv_args *a, int argc, char **argv)
{
	int only_words = 0;
	for (int i = 1; i < argc; i++) {
		const char *w = argv[i];
		int r = 0;
		if (only_words || !is_option(a, w)) {
			a->words[a->nwords++] = argv[i];
			only_words = (a->cmd->flags & PV_CMD_WORDS_END_OPTIONS) != 0;
		} else if (strcmp(w, "--") == 0) {
			only_words = 1;
		} else if (w[1] == '-') {
			r = read_long(a, argc, argv, &i);
		} else {
			r = read_letter(a, argc, argv, &i);
		}
		if (r != 0)
			return r;
	}
	return 0;
}

static int not_a_sub(const struct pv_args *a, const char *word)
{
	const struct pv_cmd *t = a->top;
	char subs[256] = "";
	const char *near, *names[16] = { 0 };
	for (size_t s = 0; s < t->nsubs && s < 16; s++) {
		snprintf(subs + strlen(subs), sizeof subs - strlen(subs), "%s%s",
			 s == 0 ? "" : s + 1 == t->nsubs ? _(" or ") : ", ", t->subs[s].name);
		names[s] = t->subs[s].name;
	}
	near = pv_closest_word(word, names, t->nsubs < 16 ? t->nsubs : 16);
	if (near)
		return REFUSE(a, "'%s' is not something %s does; did you mean '%s'?", word,
			      t->name, near);
	return REFUSE(a, "'%s' is not something %s does; use %s.", word, t->name, subs);
}

static int check_words(const struct pv_args *a)
{
	const struct pv_cmd *c = a->cmd;
	if (a->nwords >= c->min_words && (c->max_words < 0 || a->nwords <= c->max_words))
		return 0;
	if (c == a->top && c->nsubs && c->max_words == 0)
		return not_a_sub(a, a->words[0]);
	if (c->words_error)
		return refuse_with(a, c->words_error,
				   c->max_words >= 0 && a->nwords > c->max_words ? a->words[c->max_words] : "");
	char path[96];
	cmd_path(a, path, sizeof path);
	if (c->max_words == 0)
		return REFUSE(a, "%s takes no words such as '%s'.", path, a->words[0]);
	return REFUSE(a, "%s takes %s.", path, c->words ? c->words : _("other words"));
}

static int check_required(const struct pv_args *a)
{
	for (size_t i = 0; i < a->cmd->nopts; i++) {
		const struct pv_opt *o = &a->cmd->opts[i];
		if (!(o->flags & PV_OPT_REQUIRED) || pv_args_has(a, (int)i))
			continue;
		char label[64], path[96];
		if (o->letter)   /* as the synopsis shows it */
			snprintf(label, sizeof label, "-%c", o->letter);
		else
			opt_label(o, label, sizeof label);
		cmd_path(a, path, sizeof path);
		return REFUSE(a, "%s needs %s %s: %s.", path, label, o->arg, _(o->help));
	}
	return 0;
}

/* Groups the values by option, for pv_args_list. */
static void group_values(struct pv_args *a)
{
	size_t n = a->cmd->nopts, at = 0;
	a->first = calloc(n + 1, sizeof *a->first);
	a->count = calloc(n + 1, sizeof *a->count);
	a->values = calloc(a->ngiven + 1, sizeof *a->values);
	if (!a->first || !a->count || !a->values)
		abort();
	for (size_t o = 0; o < n; o++) {
		a->first[o] = at;
		for (size_t g = 0; g < a->ngiven; g++)
			if (a->given[g].opt == (int)o)
				a->values[at++] = a->given[g].value;
		a->count[o] = at - a->first[o];
	}
}

int pv_args_parse(const struct pv_cmd *top, int argc, char **argv, struct pv_args *a)
{
	memset(a, 0, sizeof *a);
	a->top = a->cmd = top;
	for (size_t s = 0; argc > 1 && s < top->nsubs; s++)
		if (strcmp(argv[1], top->subs[s].name) == 0) {
			a->cmd = &top->subs[s];
			argc--;
			argv++;
		}
	a->given = calloc((size_t)argc + 1, sizeof *a->given);
	a->words = calloc((size_t)argc + 1, sizeof *a->words);
	if (!a->given || !a->words)
		abort();
	int r = read_all(a, argc, argv);
	if (r == 0)
		r = check_words(a);
	if (r == 0)
		r = check_required(a);
	group_values(a);
	return r;
}

void pv_args_free(struct pv_args *a)
{
	free(a->given);
	free(a->words);
	free(a->values);
	free(a->first);
	free(a->count);
	memset(a, 0, sizeof *a);
}

/* ---- reading what was given --------------------------------------------------------- */

size_t pv_args_has(const struct pv_args *a, int opt)
{
	size_t n = 0;
	for (size_t g = 0; g < a->ngiven; g++)
		n += a->given[g].opt == opt;
	return n;
}

const char *pv_args_text(const struct pv_args *a, int opt)
{
	size_t n = a->count[opt];
	return n ? a->values[a->first[opt] + n - 1] : NULL;
}

const char *const *pv_args_list(const struct pv_args *a, int opt, size_t *n)
{
	*n = a->count[opt];
	return *n ? a->values + a->first[opt] : NULL;
}

double pv_args_real(const struct pv_args *a, int opt, double dflt)
{
	const char *v = pv_args_text(a, opt);
	double d;
	return v && number_ok(&a->cmd->opts[opt], v, &d) ? d : dflt;
}

long long pv_args_int(const struct pv_args *a, int opt, long long dflt)
{
	const char *v = pv_args_text(a, opt);
	return v ? strtoll(v, NULL, 10) : dflt;
}

int pv_args_checked(const struct pv_args *a, int opt, int dflt)
{
	const char *v = pv_args_text(a, opt);
	return v && a->cmd->opts[opt].check ? a->cmd->opts[opt].check(v) : dflt;
}

int pv_args_last_of(const struct pv_args *a, int opt1, int opt2)
{
	for (size_t g = a->ngiven; g-- > 0;)
		if (a->given[g].opt == opt1 || a->given[g].opt == opt2)
			return a->given[g].opt;
	return -1;
}

/* ---- help ------------------------------------------------------------------------- */

#define WIDTH 79
#define HELP_COLUMN 22
#define NBSP '\x01'

/* Writes text from column at (the cursor is there), wrapped at WIDTH, every
 * further line indented to indent; '\n' in text starts a new line. */
static void wrap(FILE *f, const char *text, int at, int indent)
{
	int col = at;
	while (*text) {
		if (*text == '\n') {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
			text++;
			continue;
		}
		size_t spaces = strspn(text, " ");
		size_t len = strcspn(text + spaces, " \n");
		if (col > indent && col + (int)(spaces + len) > WIDTH) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
		} else {
			fprintf(f, "%.*s", (int)spaces, text);
			col += (int)spaces;
		}
		for (size_t k = 0; k < len; k++)   /* NBSP: a space no line breaks at */
			fputc(text[spaces + k] == NBSP ? ' ' : text[spaces + k], f);
		col += (int)len;
		text += spaces + len;
	}
	fputc('\n', f);
}

/* "-o, --output FILE", "--tag T", "--json". */
static void opt_form(const struct pv_opt *o, char *buf, size_t len)
{
	char letter[8] = "", name[64] = "";
	if (o->letter)
		snprintf(letter, sizeof letter, "-%c%s", o->letter, o->name ? ", " : "");
	if (o->name)
		snprintf(name, sizeof name, "--%s", o->name);
	snprintf(buf, len, "%s%s%s%s", letter, name, o->arg ? " " : "", o->arg ? o->arg : "");
}

/* The synopsis form: "[--tag T]...", "-o FILE". */
static void append_synopsis_opt(const struct pv_opt *o, char *buf, size_t len)
{
	size_t at = strlen(buf);
	int req = (o->flags & PV_OPT_REQUIRED) != 0;
	char form[96];
	if (o->letter)
		snprintf(form, sizeof form, "-%c%s%s", o->letter, o->arg ? "\x01" : "",
			 o->arg ? o->arg : "");
	else
		snprintf(form, sizeof form, "--%s%s%s", o->name, o->arg ? "\x01" : "",
			 o->arg ? o->arg : "");
	snprintf(buf + at, len - at, " %s%s%s%s", req ? "" : "[", form, req ? "" : "]",
		 (o->flags & PV_OPT_REPEAT) ? "..." : "");
}

/* Form 0 of c's synopsis (c a sub-command of top, or top NULL), with its
 * options, or form 1, the second form of its words; 0 when it has no such
 * form. An option and its value are joined by NBSP. */
static int synopsis_form(char *line, size_t len, const struct pv_cmd *top,
			 const struct pv_cmd *c, int form)
{
	const char *words = c->words ? c->words : "";
	const char *second = strchr(words, '\n');
	if (form > 1 || (form == 1 && !second))
		return 0;
	const char *w = form ? second + 1 : words;
	int wlen = (int)(form || !second ? strlen(w) : (size_t)(second - words));
	snprintf(line, len, "photovoice [--archive DIR] %s%s%s%s%.*s", top ? top->name : "",
		 top ? " " : "", c->name, wlen ? " " : "", wlen, w);
	for (size_t i = 0; form == 0 && i < c->nopts; i++)
		if (!(c->opts[i].flags & PV_OPT_IN_WORDS))
			append_synopsis_opt(&c->opts[i], line, len);
	return 1;
}

static void synopsis(FILE *f, const char *lead, const struct pv_cmd *top,
		     const struct pv_cmd *c)
{
	char line[1024];
	synopsis_form(line, sizeof line, top, c, 0);
	/* TRANSLATORS: the second form of a command line, below "usage: ";
	   as long as the translation of "usage: ", spaces first */
	const char *or = _("   or: ");
	fputs(lead, f);
	wrap(f, line, (int)strlen(lead), (int)strlen(lead) + 11);
	if (synopsis_form(line, sizeof line, top, c, 1)) {
		fputs(or, f);
		wrap(f, line, (int)strlen(or), (int)strlen(or) + 11);
	}
}

static void option_lines(FILE *f, const struct pv_cmd *c)
{
	for (size_t i = 0; i < c->nopts; i++) {
		char form[128];
		opt_form(&c->opts[i], form, sizeof form);
		int n = fprintf(f, "  %s", form);
		if (n + 2 > HELP_COLUMN) {
			fprintf(f, "\n%*s", HELP_COLUMN, "");
		} else {
			fprintf(f, "%*s", HELP_COLUMN - n, "");
		}
		wrap(f, _(c->opts[i].help), HELP_COLUMN, HELP_COLUMN);
	}
}

static void capitalised(FILE *f, const char *s)
{
	fprintf(f, "%c%s", toupper((unsigned char)s[0]), s + 1);
}

void pv_cmd_help(const struct pv_cmd *cmd, FILE *f)
{
	/* TRANSLATORS: the start of a command's synopsis in --help */
	synopsis(f, _("usage: "), NULL, cmd);
	for (size_t s = 0; s < cmd->nsubs; s++)
		synopsis(f, _("   or: "), cmd, &cmd->subs[s]);
	fputc('\n', f);
	capitalised(f, _(cmd->summary));
	fputs(".\n", f);
	if (cmd->about) {
		fputc('\n', f);
		wrap(f, _(cmd->about), 0, 0);
	}
	if (cmd->nopts) {
		fputs(_("\nOptions:\n"), f);
		option_lines(f, cmd);
	}
	for (size_t s = 0; s < cmd->nsubs; s++) {
		const struct pv_cmd *sub = &cmd->subs[s];
		fprintf(f, "\n%s %s%s%s: ", cmd->name, sub->name, sub->words ? " " : "",
			sub->words ? sub->words : "");
		fputs(_(sub->summary), f);
		fputs(".\n", f);
		if (sub->about)
			wrap(f, _(sub->about), 0, 0);
		option_lines(f, sub);
	}
}

void pv_cmd_print_options(const struct pv_cmd *cmd, FILE *f)
{
	for (size_t i = 0; i < cmd->nopts; i++) {
		const struct pv_opt *o = &cmd->opts[i];
		if (o->name)
			fprintf(f, "--%s\t%s\t%s\n", o->name, o->arg ? o->arg : "", o->help);
		if (o->letter)
			fprintf(f, "-%c\t%s\t%s\n", o->letter, o->arg ? o->arg : "", o->help);
	}
}

/* "KEY\tTEXT" for each line of text ('\n' starts the next), NBSP as a space. */
static void fact_lines(FILE *f, const char *key, const char *text)
{
	do {
		size_t n = strcspn(text, "\n");
		fprintf(f, "%s\t", key);
		for (size_t k = 0; k < n; k++)
			fputc(text[k] == NBSP ? ' ' : text[k], f);
		fputc('\n', f);
		text += n;
	} while (*text++ == '\n');
}

static void synopsis_facts(FILE *f, const struct pv_cmd *top, const struct pv_cmd *c)
{
	char line[1024];
	for (int form = 0; synopsis_form(line, sizeof line, top, c, form); form++)
		fact_lines(f, "synopsis", line);
}

void pv_cmd_describe(const struct pv_cmd *top, const struct pv_cmd *cmd, FILE *f)
{
	fact_lines(f, "summary", cmd->summary);
	synopsis_facts(f, top, cmd);
	for (size_t s = 0; s < cmd->nsubs; s++)
		synopsis_facts(f, cmd, &cmd->subs[s]);
	if (cmd->words)
		fact_lines(f, "words", cmd->words);
	if (cmd->about)
		fact_lines(f, "about", cmd->about);
	for (size_t s = 0; s < cmd->nsubs; s++)
		fact_lines(f, "sub", cmd->subs[s].name);
}
