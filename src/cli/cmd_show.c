/* photovoice show: one entry, everything the catalogue knows about it. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static void field(const char *label, const char *value)
{
	if (!value)
		return;
	printf("%-12s ", label);
	pv_cli_print_text(value);
	printf("\n");
}

/* The catalogue's names of the text fields and of where words came from
 * (pv_text_field_name, pv_words_from_name) stay as they are in --json; this
 * list only tells `make pot` to collect them, so that _(name) below says
 * them in the reader's language. */
static const char *const catalogue_words[] = {
	/* TRANSLATORS: "Words from  title: participant; caption: photo": a text
	   field, and who gave its words */
	N_("title"), N_("caption"), N_("story"),
	N_("participant"), N_("photo"), N_("photo, confirmed"), N_("staff"),
};

/* Where the texts came from, said once for all of them. */
static void print_words_from(const struct pv_entry *e)
{
	const char *const text[] = { e->title, e->caption, e->story };
	char line[128] = "";
	for (int f = PV_FIELD_TITLE; f <= PV_FIELD_STORY; f++) {
		const char *from = pv_words_from_name(e->words_from[f]);
		if (text[f] && from)
			snprintf(line + strlen(line), sizeof line - strlen(line), "%s%s: %s",
				 *line ? "; " : "", _(pv_text_field_name(f)), _(from));
	}
	(void)catalogue_words;
	field(_("Words from"), *line ? line : NULL);
	if (pv_entry_has_unconfirmed_words(e)) {
		printf("%-12s ", "");
		printf(_("read from inside the photo and not yet confirmed: no poster "
			 "uses them until 'photovoice edit %lld --confirm' or new words\n"),
		       (long long)e->id);
	}
}

static void print_entry(const struct pv_entry *e)
{
	/* TRANSLATORS: the labels of `photovoice show` are padded to 12 columns */
	printf("%-12s %lld\n", _("Entry"), (long long)e->id);
	field(_("Title"), e->title);
	field(_("Caption"), e->caption);
	print_words_from(e);
	field(_("Participant"), e->participant);
	field(_("Credit"), e->credit);
	printf("%-12s ", _("Consent"));
	pv_cli_print_consent(e);
	pv_cli_print_guardian_until(e);
	printf("\n%-12s ", _("Tags"));
	pv_cli_print_tags(e);
	printf("\n%-12s ", _("Photo"));
	printf(ngettext("%d x %d, %lld byte\n", "%d x %d, %lld bytes\n", (unsigned long)e->bytes),
	       e->width, e->height, (long long)e->bytes);
	field(_("Taken"), e->taken_month);
	field(_("Ingested"), e->ingested_at);
	field("SHA-256", e->sha256);
	if (e->story) {
		printf("\n");
		pv_cli_print_lines(e->story);
		printf("\n");
	}
}

static void print_history(const struct pv_history *h)
{
	printf(_("\nHistory (earlier words, oldest first):\n"));
	if (h->count == 0)
		printf(_("  (never edited)\n"));
	for (size_t i = 0; i < h->count; i++) {
		/* TRANSLATORS: "  DATE  FIELD was: OLD WORDS"; the field is title,
		   caption or story, as stored */
		printf(_("  %s  %s was: "), h->items[i].changed_at, _(h->items[i].field));
		pv_cli_print_lines(h->items[i].old_text ? h->items[i].old_text : _("(empty)"));
		printf("\n");
	}
}

/* The entry as asked: JSON or text, with its history when asked. */
static int print_all(struct pv_archive *a, const struct pv_entry *e, int json,
		     int history)
{
	struct pv_history h = { 0 };
	struct pv_err err = {0};
	if (history && pv_store_history(a, e->id, &h, &err) != 0)
		return pv_cli_fail(&err);
	if (json) {
		json_t *o = pv_entry_json(e);
		if (history)
			json_object_set_new(o, "history", pv_history_json(&h));
		pv_cli_print_json(o);
	} else {
		print_entry(e);
		if (history)
			print_history(&h);
	}
	pv_history_free(&h);
	return PV_EXIT_OK;
}

enum { O_HISTORY, O_JSON };

static const struct pv_opt show_opts[] = {
	[O_HISTORY] = { "history", 0, NULL, 0, N_("also the earlier words of edited texts") },
	[O_JSON] = { "json", 0, NULL, 0, N_("one JSON document") },
};

static int run_show(struct pv_cli *cli, const struct pv_args *a)
{
	int json = pv_args_has(a, O_JSON) > 0, history = pv_args_has(a, O_HISTORY) > 0;
	long long id = pv_cli_parse_id(a->words[0]);
	if (!id)
		return pv_cli_usage_error("show", "'%s' is not an entry number.", a->words[0]);
	struct pv_entry e;
	struct pv_err err = {0};
	if (pv_store_get(cli->archive, id, &e, &err) != 0)
		return pv_cli_fail(&err);
	int r = print_all(cli->archive, &e, json, history);
	pv_entry_free(&e);
	return r;
}

const struct pv_cmd pv_cmd_show = {
	.name = "show",
	.summary = N_("show one entry"),
	.words = "ID",
	.about = N_("Everything the catalogue knows about the entry, with its story."),
	.opts = show_opts,
	.nopts = PV_NOPTS(show_opts),
	.min_words = 1,
	.max_words = 1,
	.words_error = N_("show takes one entry number."),
	.needs = PV_NEEDS_READ,
	.run = run_show,
};
