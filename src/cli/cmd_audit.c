/* photovoice audit [--json] [--repair]: re-verify every stored file and the
 * catalogue; --repair removes files no entry owns. Exit 1 while problems
 * remain. */
#include <jansson.h>
#include <stdio.h>

#include "cli.h"

static json_t *problem_json(const struct pv_audit_problem *p)
{
	return json_pack("{s:s, s:o, s:s?, s:s, s:b, s:s?}", "kind",
			 pv_audit_kind_name(p->kind), "entry",
			 p->entry_id ? json_integer(p->entry_id) : json_null(), "path", p->path,
			 "problem", p->what, "repaired", p->repaired, "todo", p->todo);
}

static size_t remaining(const struct pv_audit_report *r)
{
	size_t n = 0;
	for (size_t i = 0; i < r->count; i++)
		n += !r->items[i].repaired;
	return n;
}

static void print_report(const struct pv_audit_report *r, int repair)
{
	for (size_t i = 0; i < r->count; i++) {
		const struct pv_audit_problem *p = &r->items[i];
		printf("%-9s %s%s%s%s\n", pv_audit_kind_name(p->kind), p->what,
		       p->path ? " (" : "", p->path ? p->path : "", p->path ? ")" : "");
		if (p->repaired)
			printf("          %s\n", p->kind == PV_AUDIT_ORPHAN ||
			       p->kind == PV_AUDIT_LEFTOVER ? _("removed.") : _("repaired."));
		else if (p->todo)
			printf("          %s %s\n", repair ? _("not repaired:") : _("to do:"),
			       p->todo);
	}
	/* TRANSLATORS: the start of "Checked 12 entries and 36 files: all is well." */
	printf(ngettext("Checked %lld entry ", "Checked %lld entries ", r->entries),
	       (long long)r->entries);
	printf(ngettext("and %lld file: ", "and %lld files: ", r->files), (long long)r->files);
	size_t left = remaining(r);
	if (left == 0)
		printf("%s\n", r->count ? _("every problem found was repaired.")
					: _("all is well."));
	else
		printf(ngettext("%zu problem.\n", "%zu problems.\n", left), left);
}

enum { O_JSON, O_REPAIR };

static const struct pv_opt audit_opts[] = {
	[O_JSON] = { "json", 0, NULL, 0, N_("print the report as one JSON document") },
	[O_REPAIR] = { "repair", 0, NULL, 0, N_("put files back in their places; remove files no "
		       "entry owns (never an entry's file)") },
};

static int run_audit(struct pv_cli *cli, const struct pv_args *a)
{
	int json = pv_args_has(a, O_JSON) > 0, repair = pv_args_has(a, O_REPAIR) > 0;
	struct pv_audit_report r;
	struct pv_err err = {0};
	if (pv_store_audit(cli->archive, repair, &r, &err) != 0)
		return pv_cli_fail(&err);
	if (json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < r.count; i++)
			json_array_append_new(arr, problem_json(&r.items[i]));
		pv_cli_print_json(json_pack("{s:I, s:I, s:I, s:o}", "entries",
					    (json_int_t)r.entries, "files", (json_int_t)r.files,
					    "problems_left", (json_int_t)remaining(&r),
					    "problems", arr));
	} else {
		print_report(&r, repair);
	}
	size_t left = remaining(&r);
	pv_audit_report_free(&r);
	return left ? PV_EXIT_REJECTED : PV_EXIT_OK;
}

const struct pv_cmd pv_cmd_audit = {
	.name = "audit",
	.summary = N_("re-verify every stored file and the catalogue"),
	.about = N_("Checks every photo against its hash and the privacy check, that every "
		 "entry has its photo, and that no file is left without an entry. Exit 1 "
		 "while problems remain, each with what to do."),
	.opts = audit_opts,
	.nopts = PV_NOPTS(audit_opts),
	.words_error = N_("audit takes options only."),
	.needs = PV_NEEDS_WRITE,
	.run = run_audit,
};
