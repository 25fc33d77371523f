/* photovoice tag ID TAG... | -TAG...: add tags, or remove them with '-'.
 * Arguments are read by hand: "-klik" is a tag to remove, not an option. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static int apply(struct pv_archive *a, long long id, const char *arg, char *err,
		 size_t errlen)
{
	if (arg[0] == '-')
		return pv_store_tag_remove(a, id, arg + 1, err, errlen);
	return pv_store_tag_add(a, id, arg[0] == '+' ? arg + 1 : arg, err, errlen);
}

static int apply_all(struct pv_archive *a, long long id, int argc, char **argv,
		     char *err, size_t errlen)
{
	if (pv_store_begin(a, err, errlen) != 0)
		return -1;
	for (int i = 2; i < argc; i++) {
		if (apply(a, id, argv[i], err, errlen) != 0) {
			pv_store_rollback(a);
			return -1;
		}
	}
	char detail[64];
	snprintf(detail, sizeof detail, "entry %lld", id);
	if (pv_store_log(a, "tag", detail) != 0 || pv_store_commit(a, err, errlen) != 0) {
		pv_store_rollback(a);
		return -1;
	}
	return 0;
}

int cmd_tag(struct pv_cli *cli, int argc, char **argv)
{
	if (argc < 3)
		return pv_cli_usage_error("tag", "tag takes an entry number and at least one tag.");
	long long id = pv_cli_parse_id(argv[1]);
	if (!id)
		return pv_cli_usage_error("tag", "'%s' is not an entry number.", argv[1]);
	struct pv_entry e;
	char err[512];
	int found = pv_store_get(cli->archive, id, &e, err, sizeof err);
	if (found <= 0) {
		if (found == 0)
			pv_cli_error("There is no entry %lld in this archive.", id);
		else
			pv_cli_error("%s", err);
		return found == 0 ? PV_EXIT_REJECTED : PV_EXIT_ARCHIVE;
	}
	pv_entry_free(&e);
	if (apply_all(cli->archive, id, argc, argv, err, sizeof err) != 0) {
		pv_cli_error("%s", err);
		return PV_EXIT_REJECTED;
	}
	pv_store_get(cli->archive, id, &e, err, sizeof err);
	printf("Entry %lld tags: ", id);
	pv_cli_print_tags(&e);
	printf("\n");
	pv_entry_free(&e);
	return PV_EXIT_OK;
}
