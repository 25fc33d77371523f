/* photovoice audit [--json] [--repair]: re-verify every stored file and the
 * catalogue; --repair removes files no entry owns. Exit 1 while problems
 * remain. */
#include <getopt.h>
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
			       p->kind == PV_AUDIT_LEFTOVER ? "removed." : "repaired.");
		else if (p->todo)
			printf("          %s %s\n", repair ? "not repaired:" : "to do:", p->todo);
	}
	printf("Checked %lld entries and %lld files: ", (long long)r->entries,
	       (long long)r->files);
	size_t left = remaining(r);
	if (left == 0)
		printf("%s\n", r->count ? "every problem found was repaired." : "all is well.");
	else
		printf("%zu problem%s.\n", left, left == 1 ? "" : "s");
}

int cmd_audit(struct pv_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "repair", no_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	int json = 0, repair = 0, c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'j')
			json = 1;
		else if (c == 'r')
			repair = 1;
		else
			return pv_cli_usage_error("audit", "That option is not one audit knows.");
	}
	if (optind < argc)
		return pv_cli_usage_error("audit", "audit takes options only.");
	struct pv_audit_report r;
	char err[512];
	if (pv_store_audit(cli->archive, repair, &r, err, sizeof err) != 0)
		return pv_cli_store_failed(err);
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
