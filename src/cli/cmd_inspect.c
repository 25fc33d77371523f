/*
 * photovoice inspect FILE... [--json]: what identifying metadata each file
 * carries, grouped as a person reads it. A report: exit 0 when every file was
 * read, whether clean or not; 1 when a file could not be read or is no JPEG.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "photovoice/jpeg.h"
#include "photovoice/util.h"

static const char *const headings[PV_FIND_GROUP_COUNT] = {
	[PV_FIND_LOCATION] = N_("Location"),
	[PV_FIND_DEVICE] = N_("Device and serial numbers"),
	[PV_FIND_PEOPLE] = N_("People, names and captions"),
	[PV_FIND_DATES] = N_("Dates"),
	[PV_FIND_HIDDEN] = N_("Hidden images and data"),
	[PV_FIND_SOFTWARE] = N_("Software and editing history"),
	[PV_FIND_OTHER] = N_("Other metadata"),
};

static void print_segments(const struct pv_findings *f)
{
	int any = 0;
	printf(_("  Metadata blocks: "));
	for (int k = 0; k < PV_SEG_KIND_COUNT; k++) {
		if (!f->segments[k] || pv_jpeg_kind_is_structure((enum pv_seg_kind)k))
			continue;
		if (f->segments[k] > 1)
			printf("%s%u x %s", any ? ", " : "", f->segments[k],
			       _(pv_jpeg_kind_name((enum pv_seg_kind)k)));
		else
			printf("%s%s", any ? ", " : "", _(pv_jpeg_kind_name((enum pv_seg_kind)k)));
		any = 1;
	}
	printf("%s\n", any ? "" : _("none"));
}

static void print_human(const char *name, const struct pv_findings *f)
{
	pv_cli_print_text(name);
	printf(_(": %d x %d pixels"), f->width, f->height);
	if (f->orientation > 1)
		printf(_(", orientation %d (shown turned)"), f->orientation);
	printf("\n");
	print_segments(f);
	if (f->count == 0) {
		printf(_("  Nothing identifying found.\n"));
		return;
	}
	for (int g = 0; g < PV_FIND_GROUP_COUNT; g++) {
		int shown = 0;
		for (size_t i = 0; i < f->count; i++) {
			const struct pv_finding *it = &f->items[i];
			if ((int)it->group != g)
				continue;
			if (!shown++)
				printf("  %s\n", _(headings[g]));
			printf("    %s%s", _(it->what), it->value ? ": " : "");
			pv_cli_print_text(it->value);
			printf("\n");
		}
	}
}

/* A file name as JSON wants it: valid UTF-8 (an invalid name is replaced). */
static json_t *name_json(const char *name)
{
	json_t *s = json_string(name);
	return s ? s : json_string("(a file name that is not valid UTF-8)");
}

static json_t *findings_json(const char *name, const struct pv_findings *f)
{
	json_t *segs = json_object();
	for (int k = 0; k < PV_SEG_KIND_COUNT; k++)
		if (f->segments[k])
			json_object_set_new(segs, pv_jpeg_kind_name((enum pv_seg_kind)k),
					    json_integer(f->segments[k]));
	json_t *items = json_array();
	for (size_t i = 0; i < f->count; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "group", json_string(pv_find_group_name(f->items[i].group)));
		json_object_set_new(o, "what", json_string(f->items[i].what));
		json_object_set_new(o, "value", f->items[i].value ? json_string(f->items[i].value)
								  : json_null());
		json_array_append_new(items, o);
	}
	json_t *doc = json_object();
	json_object_set_new(doc, "file", name_json(name));
	json_object_set_new(doc, "clean", json_boolean(f->count == 0));
	json_object_set_new(doc, "width", json_integer(f->width));
	json_object_set_new(doc, "height", json_integer(f->height));
	json_object_set_new(doc, "orientation", json_integer(f->orientation));
	json_object_set_new(doc, "segments", segs);
	json_object_set_new(doc, "findings", items);
	return doc;
}

static int inspect_one(const char *name, json_t *files)
{
	struct pv_err err;
	struct pv_findings f;
	if (pv_jpeg_inspect_file(name, &f, &err) != 0) {
		pv_cli_error_text(err.msg);   /* it names the file */
		if (files) {
			json_t *o = json_object();
			json_object_set_new(o, "file", name_json(name));
			json_object_set_new(o, "error", json_string(err.msg));
			json_array_append_new(files, o);
		}
		return -1;
	}
	if (files) {
		json_array_append_new(files, findings_json(name, &f));
	} else {
		print_human(name, &f);
	}
	pv_findings_free(&f);
	return 0;
}

enum { O_JSON };

static const struct pv_opt inspect_opts[] = {
	[O_JSON] = { "json", 0, NULL, 0, N_("one JSON document for all the files") },
};

static int run_inspect(struct pv_cli *cli, const struct pv_args *a)
{
	(void)cli;
	int json = pv_args_has(a, O_JSON) > 0;
	json_t *files = json ? json_array() : NULL;
	int status = PV_EXIT_OK;
	for (int i = 0; i < a->nwords; i++) {
		if (!json && i > 0)
			printf("\n");
		if (inspect_one(a->words[i], files) != 0)
			status = PV_EXIT_REJECTED;
	}
	if (json) {
		json_t *doc = json_object();
		json_object_set_new(doc, "files", files);
		if (pv_cli_print_json(doc) != 0)
			status = PV_EXIT_REJECTED;
	}
	return status;
}

const struct pv_cmd pv_cmd_inspect = {
	.name = "inspect",
	.summary = N_("show what identifying metadata a file carries"),
	.words = "FILE...",
	.about = N_("Grouped as a person reads it: location, device and serial numbers, people "
		 "and names, dates, hidden images, software. Exit 0 when every file was read, "
		 "clean or not; 1 when a file could not be read or is no JPEG."),
	.opts = inspect_opts,
	.nopts = PV_NOPTS(inspect_opts),
	.min_words = 1,
	.max_words = -1,
	.words_error = N_("Name at least one photo to inspect."),
	.needs = PV_NEEDS_NOTHING,
	.run = run_inspect,
};
