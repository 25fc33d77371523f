/* photovoice edit ID [--title T] [--caption C] [--story-file F]: change an
 * entry's words; the words they replace stay in its history (show --history). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "photovoice/util.h"

struct edit_args {
	struct pv_words_edit w;   /* text, given, confirm */
	char *story;              /* read from --story-file, malloc'd */
};

/* Standard input, up to max bytes; NULL when there is more. */
static uint8_t *read_stdin(size_t max, size_t *len)
{
	char *buf = NULL;
	size_t cap = 0;
	FILE *mem = open_memstream(&buf, &cap);
	if (!mem)
		return NULL;
	int c;
	*len = 0;
	while ((c = getchar()) != EOF && *len <= max) {
		fputc(c, mem);
		(*len)++;
	}
	fclose(mem);
	if (*len > max) {
		free(buf);
		return NULL;
	}
	return (uint8_t *)buf;
}

/* The whole file (or standard input for "-"), as text. */
static char *read_story(const char *path, struct pv_err *err)
{
	uint8_t *data = NULL;
	size_t len = 0;
	if (strcmp(path, "-") == 0) {
		if (!(data = read_stdin(PV_MAX_SIDECAR_BYTES, &len))) {
			pv_fail(err, PV_ERR_INPUT, "The story is longer than 1 MB; nothing was changed.");
			return NULL;
		}
	} else if (pv_read_file(path, PV_MAX_SIDECAR_BYTES, &data, &len, err) != 0) {
		return NULL;
	}
	char *text = pv_strndup((const char *)data, len);
	free(data);
	if (strlen(text) != len || !pv_utf8_valid(text, len)) {
		pv_fail(err, PV_ERR_INPUT, "The story file is not UTF-8 text; save it as UTF-8 "
			   "and try again.");
		free(text);
		return NULL;
	}
	return text;
}

enum { O_TITLE, O_CAPTION, O_STORY_FILE, O_CONFIRM };

static const struct pv_opt edit_opts[] = {
	[O_TITLE] = { "title", 0, "T", PV_OPT_ONCE, N_("the new title (\"\" clears it)") },
	[O_CAPTION] = { "caption", 0, "C", PV_OPT_ONCE, N_("the new caption") },
	[O_STORY_FILE] = { "story-file", 0, "F", PV_OPT_ONCE, N_("the new story, from file F (- "
			   "for standard input)") },
	[O_CONFIRM] = { "confirm", 0, NULL, 0, N_("words read from inside the photo may stand: "
			"until then no poster uses the entry") },
};

/* The texts to change, the story read from its file. */
static int parse_args(const struct pv_args *a, struct edit_args *e)
{
	static const int field_opt[] = { [PV_FIELD_TITLE] = O_TITLE,
					 [PV_FIELD_CAPTION] = O_CAPTION,
					 [PV_FIELD_STORY] = O_STORY_FILE };
	for (int f = PV_FIELD_TITLE; f <= PV_FIELD_STORY; f++) {
		e->w.text[f] = pv_args_text(a, field_opt[f]);
		e->w.given[f] = e->w.text[f] != NULL;
	}
	e->w.confirm = pv_args_has(a, O_CONFIRM) > 0;
	if (!e->w.given[0] && !e->w.given[1] && !e->w.given[2] && !e->w.confirm)
		return pv_cli_usage_error("edit", "Say what to change: --title, --caption, "
					  "--story-file or --confirm.");
	struct pv_err err = {0};
	if (e->w.given[PV_FIELD_STORY] &&
	    !(e->w.text[PV_FIELD_STORY] = e->story = read_story(e->w.text[PV_FIELD_STORY], &err))) {
		return pv_cli_fail(&err);
	}
	return 0;
}

static int run_edit(struct pv_cli *cli, const struct pv_args *a)
{
	struct edit_args e = { 0 };
	long long id = pv_cli_parse_id(a->words[0]);
	int r = id ? parse_args(a, &e)
		   : pv_cli_usage_error("edit", "'%s' is not an entry number.", a->words[0]);
	struct pv_err err = {0};
	char changed[64] = "";
	int confirmed = 0;
	if (r == 0 && pv_store_edit_words(cli->archive, id, &e.w, changed, sizeof changed,
					  &confirmed, &err) != 0)
		r = pv_cli_fail(&err);
	if (r == 0 && *changed) {
		char *fields = pv_field_list_text(changed);
		/* TRANSLATORS: %s is a list of the words changed, each translated
		   ("title, caption") */
		printf(_("Entry %lld: changed %s; the earlier words are kept in its history "
		       "(photovoice show %lld --history).\n"), id, fields, id);
		free(fields);
	}
	if (r == 0 && confirmed > 0)
		printf(_("Entry %lld: the words read from inside the photo are confirmed; a "
			 "poster may use them.\n"), id);
	else if (r == 0 && e.w.confirm && !e.w.given[0] && !e.w.given[1] && !e.w.given[2])
		printf(_("Entry %lld has no words from inside the photo left to confirm.\n"), id);
	if (r == 0 && !*changed && !e.w.confirm)
		printf(_("Entry %lld already says that; nothing changed.\n"), id);
	free(e.story);
	return r;
}

const struct pv_cmd pv_cmd_edit = {
	.name = "edit",
	.summary = N_("change an entry's title, caption or story"),
	.words = "ID",
	.about = N_("The earlier words are kept in the entry's history (show ID --history)."),
	.opts = edit_opts,
	.nopts = PV_NOPTS(edit_opts),
	.min_words = 1,
	.max_words = 1,
	.words_error = N_("edit takes one entry number."),
	.needs = PV_NEEDS_WRITE,
	.run = run_edit,
};
