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

/* Where the texts came from, said once for all of them. */
static void print_words_from(const struct pv_entry *e)
{
	const char *const text[] = { e->title, e->caption, e->story };
	char line[128] = "";
	for (int f = PV_FIELD_TITLE; f <= PV_FIELD_STORY; f++) {
		const char *from = pv_words_from_name(e->words_from[f]);
		if (text[f] && from)
			snprintf(line + strlen(line), sizeof line - strlen(line), "%s%s: %s",
				 *line ? "; " : "", pv_text_field_name(f), from);
	}
	field("Words from", *line ? line : NULL);
	if (pv_entry_has_unconfirmed_words(e))
		printf("%-12s read from inside the photo and not yet confirmed: no poster "
		       "uses them until 'photovoice edit %lld --confirm' or new words\n", "",
		       (long long)e->id);
}

static void print_entry(const struct pv_entry *e)
{
	printf("%-12s %lld\n", "Entry", (long long)e->id);
	field("Title", e->title);
	field("Caption", e->caption);
	print_words_from(e);
	field("Participant", e->participant);
	field("Credit", e->credit);
	printf("%-12s ", "Consent");
	pv_cli_print_consent(e);
	if (e->guardian != PV_GUARDIAN_UNKNOWN)
		printf(", guardian %s", e->guardian ? "yes" : "no");
	if (e->consent_until)
		printf(", until %s", e->consent_until);
	printf("\n%-12s ", "Tags");
	pv_cli_print_tags(e);
	printf("\n%-12s %d x %d, %lld bytes\n", "Photo", e->width, e->height,
	       (long long)e->bytes);
	field("Taken", e->taken_month);
	field("Ingested", e->ingested_at);
	field("SHA-256", e->sha256);
	if (e->story) {
		printf("\n");
		pv_cli_print_lines(e->story);
		printf("\n");
	}
}

static void print_history(const struct pv_history *h)
{
	printf("\nHistory (earlier words, oldest first):\n");
	if (h->count == 0)
		printf("  (never edited)\n");
	for (size_t i = 0; i < h->count; i++) {
		printf("  %s  %s was: ", h->items[i].changed_at, h->items[i].field);
		pv_cli_print_lines(h->items[i].old_text ? h->items[i].old_text : "(empty)");
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
	[O_HISTORY] = { "history", 0, NULL, 0, "also the earlier words of edited texts" },
	[O_JSON] = { "json", 0, NULL, 0, "one JSON document" },
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
	.summary = "show one entry",
	.words = "ID",
	.about = "Everything the catalogue knows about the entry, with its story.",
	.opts = show_opts,
	.nopts = PV_NOPTS(show_opts),
	.min_words = 1,
	.max_words = 1,
	.words_error = "show takes one entry number.",
	.needs = PV_NEEDS_READ,
	.run = run_show,
};
