/* Unit tests of pv_bundle_build, the one call behind `photovoice bundle` and
 * the web server's POST /bundles: the library given a spec's text gives the
 * same bundle, byte for byte, and the same report as the command line given
 * the spec file; every way of choosing entries selects what it should; each
 * refusal has its kind. */
#include "testutil.h"

#include <jansson.h>
#include <sys/stat.h>

#include "photovoice/bundle.h"
#include "photovoice/util.h"

#define NENTRIES 6

/* Entry i: consent poster, poster, internal, none, public, poster; tags
 * "plein" on 0, 1, 2, 4 and "buurt" on 1, 5; "fietsen" in the story of 1,
 * 3, 4 and 5. */
static int64_t add_entry(struct pv_archive *a, int i)
{
	static const enum pv_consent consent[NENTRIES] = {
		PV_CONSENT_POSTER, PV_CONSENT_POSTER, PV_CONSENT_INTERNAL,
		PV_CONSENT_NONE, PV_CONSENT_PUBLIC, PV_CONSENT_POSTER };
	static char *plein[] = { "plein", NULL }, *both[] = { "buurt", "plein", NULL },
		    *buurt[] = { "buurt", NULL }, *none[] = { NULL };
	static char **tags[NENTRIES] = { plein, both, plein, none, plein, buurt };
	static const size_t ntags[NENTRIES] = { 1, 2, 1, 0, 1, 1 };
	char title[32], story[64];
	struct pv_entry e = { .consent = consent[i], .guardian = PV_GUARDIAN_UNKNOWN,
			      .tags = tags[i], .ntags = ntags[i] };
	snprintf(title, sizeof title, "Foto %d", i + 1);
	snprintf(story, sizeof story, "Een verhaal%s.", (i % 2 || i == 4) ? " over fietsen" : "");
	e.title = title;
	e.caption = "Een onderschrift.";
	e.story = story;
	e.credit = "Foto: deelnemer";
	return pv_test_add_photo(a, &e, 64 + 16 * i, 48, (unsigned)i + 1);
}

static int setup(void **state)
{
	*state = pv_test_photos_make(NENTRIES, add_entry);
	setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
	return 0;
}

/* pv_bundle_build on the fixture's archive; out is a file in the fixture's
 * folder. Returns its result; err and report filled. */
static int build(struct pv_test_photos *fx, struct pv_bundle_request *rq, const char *out,
		 struct pv_bundle_report *rep, struct pv_err *err)
{
	struct pv_err open_err = {0};
	struct pv_archive *a = pv_archive_open(fx->archive, PV_OPEN_READ, &open_err);
	assert_non_null(a);
	char *path = pv_path_join(fx->dir, out);
	rq->archive = a;
	rq->archive_dir = fx->archive;
	rq->actor = "unit-test";
	rq->out = path;
	rq->replace = 1;
	int r = pv_bundle_build(rq, rep, err);
	pv_archive_close(a);
	free(path);
	return r;
}

static char *spec_text(struct pv_test_photos *fx)
{
	char *s = NULL;
	assert_true(asprintf(&s, "Titel: Het plein\nPapier: A3\nRichting: liggend\n"
			     "%lld: Een eigen onderschrift\n%lld\n%lld\n%lld\n",
			     (long long)fx->ids[4], (long long)fx->ids[0],
			     (long long)fx->ids[2], (long long)fx->ids[1]) > 0);
	return s;
}

/* The command line's --json report for the same spec, from a file. */
static json_t *cli_report(struct pv_test_photos *fx, const char *spec)
{
	const char *pv = getenv("PV_TEST_BIN");
	if (!pv)
		return NULL;
	char *spec_path = pv_path_join(fx->dir, "poster.spec");
	FILE *f = fopen(spec_path, "w");
	assert_non_null(f);
	fputs(spec, f);
	fclose(f);
	char *cmd = NULL;
	assert_true(asprintf(&cmd, "'%s' --archive '%s' bundle --spec '%s' --json -o '%s/cli.zip' 2>/dev/null",
			     pv, fx->archive, spec_path, fx->dir) > 0);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	json_error_t jerr;
	json_t *doc = json_loadf(p, 0, &jerr);
	assert_int_equal(pclose(p), 0);
	free(cmd);
	free(spec_path);
	return doc;
}

static void test_library_and_cli_agree(void **state)
{
	struct pv_test_photos *fx = *state;
	char *spec = spec_text(fx);
	struct pv_bundle_request rq = PV_BUNDLE_REQUEST_INIT;
	rq.spec_text = spec;
	rq.spec_len = strlen(spec);
	struct pv_bundle_report rep;
	struct pv_err err = { 0 };
	assert_int_equal(build(fx, &rq, "lib.zip", &rep, &err), 0);
	assert_int_equal(rep.count, 3);   /* entry 3 (internal) is left out */
	assert_int_equal(rep.entries[0].id, fx->ids[4]);
	assert_int_equal(rep.entries[1].id, fx->ids[0]);
	assert_int_equal(rep.entries[2].id, fx->ids[1]);
	assert_int_equal(rep.nleft_out, 1);
	assert_int_equal(rep.left_out[0].id, fx->ids[2]);
	assert_string_equal(pv_paper_name(rep.paper), "A3");
	assert_int_equal(rep.landscape, 1);
	/* the record's line in the log names the request's actor */
	struct pv_archive *a = pv_archive_open(fx->archive, PV_OPEN_READ, &err);
	assert_non_null(a);
	struct pv_log_events log;
	assert_int_equal(pv_store_log_read(a, &log, &err), 0);
	assert_true(log.count > 0);
	assert_string_equal(log.items[log.count - 1].actor, "unit-test");
	assert_string_equal(log.items[log.count - 1].action, "bundle");
	pv_log_events_free(&log);
	pv_archive_close(a);
	json_t *cli = cli_report(fx, spec);
	if (!cli) {
		skip();
	}
	assert_string_equal(json_string_value(json_object_get(cli, "sha256")), rep.sha256);
	assert_string_equal(json_string_value(json_object_get(cli, "format")), rep.format);
	assert_string_equal(json_string_value(json_object_get(cli, "paper")), "A3");
	json_t *entries = json_object_get(cli, "entries"), *left = json_object_get(cli, "left_out");
	assert_int_equal(json_array_size(entries), rep.count);
	for (size_t i = 0; i < rep.count; i++) {
		json_t *e = json_array_get(entries, i);
		assert_int_equal(json_integer_value(json_object_get(e, "id")), rep.entries[i].id);
		assert_string_equal(json_string_value(json_object_get(e, "file")), rep.entries[i].file);
	}
	assert_int_equal(json_array_size(left), rep.nleft_out);
	assert_string_equal(json_string_value(json_object_get(json_array_get(left, 0), "reason")),
			    rep.left_out[0].reason);
	json_decref(cli);
	pv_bundle_report_free(&rep);
	free(spec);
}

/* The ids a request selects (after consent), as "1 2 3". */
static void selected(struct pv_test_photos *fx, struct pv_bundle_request *rq, char *out, size_t n)
{
	struct pv_bundle_report rep;
	struct pv_err err = { 0 };
	out[0] = '\0';
	if (build(fx, rq, "sel.zip", &rep, &err) != 0)
		snprintf(out, n, "error %s", pv_err_kind_name(err.kind));
	for (size_t i = 0; i < rep.count; i++) {
		size_t len = strlen(out);
		for (int k = 0; k < NENTRIES; k++)
			if (fx->ids[k] == rep.entries[i].id)
				snprintf(out + len, n - len, "%s%d", len ? " " : "", k + 1);
	}
	pv_bundle_report_free(&rep);
}

/* Every way of choosing entries, alone and together; the numbers are the
 * fixture's entries (1-based). */
static void test_selection_forms(void **state)
{
	struct pv_test_photos *fx = *state;
	const char *plein[] = { "plein" }, *both[] = { "Plein", "BUURT" };
	int64_t named[] = { fx->ids[5], fx->ids[4], fx->ids[0], fx->ids[1] };
	static const struct {
		int tags;            /* 0 none, 1 plein, 2 plein and buurt */
		int named;
		const char *query, *purpose, *want;
	} cases[] = {
		{ 1, 0, NULL, NULL, "1 2 5" },              /* 3 is internal */
		{ 1, 0, NULL, "internal", "1 2 3 5" },
		{ 0, 0, "fietsen", NULL, "2 5 6" },         /* 4 has no consent */
		{ 1, 0, "fietsen", NULL, "2 5" },
		{ 2, 0, "fietsen", NULL, "2" },
		/* named entries keep their order, and need every tag and the query */
		{ 0, 1, NULL, NULL, "6 5 1 2" },
		{ 0, 1, "fietsen", NULL, "6 5 2" },
		{ 1, 1, "fietsen", NULL, "5 2" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct pv_bundle_request rq = PV_BUNDLE_REQUEST_INIT;
		rq.tags = cases[i].tags == 2 ? both : plein;
		rq.ntags = (size_t)cases[i].tags;
		rq.ids = cases[i].named ? named : NULL;
		rq.nids = cases[i].named ? 4 : 0;
		rq.query = cases[i].query;
		rq.purpose = cases[i].purpose;
		char got[256];
		selected(fx, &rq, got, sizeof got);
		assert_string_equal(got, cases[i].want);
	}
}

static void test_refusals_have_kinds(void **state)
{
	struct pv_test_photos *fx = *state;
	char got[256];
	const char *nothing[] = { "geen-tag" };
	int64_t missing[] = { 9999 }, twice[] = { fx->ids[0], fx->ids[0] }, closed[] = { fx->ids[3] };
	struct pv_bundle_request rq = PV_BUNDLE_REQUEST_INIT;
	selected(fx, &rq, got, sizeof got);
	assert_string_equal(got, "error usage");          /* nothing chosen */
	rq.query = "\"";
	selected(fx, &rq, got, sizeof got);
	assert_string_equal(got, "error usage");          /* a query not understood */
	rq = (struct pv_bundle_request)PV_BUNDLE_REQUEST_INIT;
	rq.tags = nothing;
	rq.ntags = 1;
	selected(fx, &rq, got, sizeof got);
	assert_string_equal(got, "error not_found");
	rq = (struct pv_bundle_request)PV_BUNDLE_REQUEST_INIT;
	rq.ids = missing;
	rq.nids = 1;
	selected(fx, &rq, got, sizeof got);
	assert_string_equal(got, "error not_found");
	rq.ids = twice;
	rq.nids = 2;
	selected(fx, &rq, got, sizeof got);
	assert_string_equal(got, "error usage");
	rq.ids = closed;
	rq.nids = 1;
	selected(fx, &rq, got, sizeof got);
	assert_string_equal(got, "error not_allowed");
	rq.spec_text = "Papier: B5\n";
	rq.spec_len = strlen(rq.spec_text);
	selected(fx, &rq, got, sizeof got);
	assert_string_equal(got, "error input");
}

/* What a request says on its own is checked before any archive is open: the
 * CLI and the web refuse a request that cannot be read (a usage error, 400)
 * whatever the state of the archive. */
static void test_request_checked_without_archive(void **state)
{
	(void)state;
	const char *plein[] = { "plein" };
	int64_t twice[] = { 4, 7, 4 }, zero[] = { 0 };
	struct pv_err err = { 0 };
	struct pv_bundle_request rq = PV_BUNDLE_REQUEST_INIT;
	rq.out = "x.zip";
	assert_int_equal(pv_bundle_request_check(&rq, &err), -1);
	assert_int_equal(err.kind, PV_ERR_USAGE);          /* nothing chosen */
	assert_non_null(strstr(err.msg, "Choose entries"));
	assert_true(err.msg[0] >= 'A' && err.msg[0] <= 'Z' && err.msg[strlen(err.msg) - 1] == '.');
	rq.tags = plein;
	rq.ntags = 1;
	assert_int_equal(pv_bundle_request_check(&rq, &err), 0);
	rq.ids = twice;
	rq.nids = 3;
	assert_int_equal(pv_bundle_request_check(&rq, &err), -1);
	assert_int_equal(err.kind, PV_ERR_USAGE);
	assert_non_null(strstr(err.msg, "Entry 4 is named twice"));
	rq.ids = zero;
	rq.nids = 1;
	assert_int_equal(pv_bundle_request_check(&rq, &err), -1);
	assert_int_equal(err.kind, PV_ERR_USAGE);
	rq.nids = 0;
	rq.purpose = "public";
	assert_int_equal(pv_bundle_request_check(&rq, &err), -1);
	assert_int_equal(err.kind, PV_ERR_INPUT);
	rq.purpose = NULL;
	rq.format = "rar";
	assert_int_equal(pv_bundle_request_check(&rq, &err), -1);
	assert_int_equal(err.kind, PV_ERR_INPUT);
	rq.format = NULL;
	rq.out = NULL;
	assert_int_equal(pv_bundle_request_check(&rq, &err), -1);
	assert_int_equal(err.kind, PV_ERR_INPUT);
}

/* Left out entries are in the report also when the build is refused; an
 * existing file is kept unless the request says to replace it. */
static void test_refused_report_and_existing_file(void **state)
{
	struct pv_test_photos *fx = *state;
	int64_t closed[] = { fx->ids[3], fx->ids[2] };
	struct pv_bundle_request rq = PV_BUNDLE_REQUEST_INIT;
	rq.ids = closed;
	rq.nids = 2;
	struct pv_bundle_report rep;
	struct pv_err err = { 0 };
	assert_int_equal(build(fx, &rq, "closed.zip", &rep, &err), -1);
	assert_int_equal(err.kind, PV_ERR_NOT_ALLOWED);
	assert_int_equal(rep.nleft_out, 2);
	assert_int_equal(rep.left_out[0].id, fx->ids[3]);
	assert_non_null(strstr(rep.left_out[1].reason, "internal"));
	pv_bundle_report_free(&rep);

	char *path = pv_path_join(fx->dir, "kept.zip");
	FILE *f = fopen(path, "w");
	fputs("someone's file", f);
	fclose(f);
	struct pv_err open_err = {0};
	struct pv_archive *a = pv_archive_open(fx->archive, PV_OPEN_READ, &open_err);
	rq = (struct pv_bundle_request)PV_BUNDLE_REQUEST_INIT;
	rq.archive = a;
	rq.archive_dir = fx->archive;
	rq.ids = fx->ids;
	rq.nids = 1;
	rq.out = path;
	assert_int_equal(pv_bundle_build(&rq, &rep, &err), -1);
	assert_int_equal(err.kind, PV_ERR_CONFLICT);
	pv_bundle_report_free(&rep);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 14);
	pv_archive_close(a);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		PV_PHOTOS_TEST(test_library_and_cli_agree, setup),
		PV_PHOTOS_TEST(test_selection_forms, setup),
		PV_PHOTOS_TEST(test_refusals_have_kinds, setup),
		cmocka_unit_test(test_request_checked_without_archive),
		PV_PHOTOS_TEST(test_refused_report_and_existing_file, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
