/*
 * photovoice scrub FILE... (-o DIR | --in-place): the privacy rewrite of
 * ingest (pv_jpeg_scrub) for loose files. One line per file on stdout saying
 * what went; a file that fails gets one sentence on stderr and nothing is
 * written for it; the others continue.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "photovoice/jpeg.h"
#include "photovoice/util.h"

#define LINE_MAX_BYTES 1024

struct line {
	char buf[LINE_MAX_BYTES];
	size_t len;
	int items;
};

static void file_error(const char *name, const char *err)
{
	size_t n = strlen(err);
	pv_cli_error("%s: %s%s", name, err, (n && err[n - 1] == '.') ? "" : ".");
}

static void put(struct line *l, const char *s)
{
	int n = snprintf(l->buf + l->len, sizeof l->buf - l->len, "%s", s);
	if (n > 0)
		l->len += (size_t)n < sizeof l->buf - l->len ? (size_t)n : sizeof l->buf - l->len - 1;
}

static void item(struct line *l, const char *s)
{
	put(l, l->items++ ? ", " : "");
	put(l, s);
}

static void human_size(size_t n, char *out, size_t outlen)
{
	if (n < 1000)
		snprintf(out, outlen, "%zu bytes", n);
	else if (n < 1000 * 1000)
		snprintf(out, outlen, "%.1f kB", (double)n / 1000.0);
	else
		snprintf(out, outlen, "%.1f MB", (double)n / 1e6);
}

static void counted(struct line *l, unsigned n, const char *one, const char *many)
{
	char s[96];
	snprintf(s, sizeof s, "%u %s", n, n == 1 ? one : many);
	item(l, s);
}

/* What was removed, kind by kind, in the words of the report line. */
static void removed_kinds(struct line *l, const struct pv_scrub_report *r, size_t trailer)
{
	for (int k = 0; k < PV_SEG_KIND_COUNT; k++) {
		unsigned n = r->removed[k];
		if (!n)
			continue;
		char s[64];
		switch (k) {
		case PV_SEG_COM: counted(l, n, "comment", "comments"); break;
		case PV_SEG_APP_OTHER: counted(l, n, "block of maker data", "blocks of maker data"); break;
		case PV_SEG_OTHER: counted(l, n, "unknown block", "unknown blocks"); break;
		case PV_SEG_JFXX: item(l, "JFIF thumbnail"); break;
		case PV_SEG_MPF: item(l, "multi-picture index"); break;
		case PV_SEG_TRAILER:
			human_size(trailer, s, sizeof s);
			put(l, l->items++ ? ", " : "");
			put(l, s);
			put(l, " after the end");
			break;
		default:
			if (n > 1)
				snprintf(s, sizeof s, "%u x %s", n, pv_jpeg_kind_name((enum pv_seg_kind)k));
			else
				snprintf(s, sizeof s, "%s", pv_jpeg_kind_name((enum pv_seg_kind)k));
			item(l, s);
		}
	}
}

/* "(GPS position, serial numbers, ...)": what the removed blocks held. */
static void removed_groups(struct line *l, const uint8_t *buf, size_t len)
{
	static const char *const words[PV_FIND_GROUP_COUNT] = {
		[PV_FIND_LOCATION] = "GPS position", [PV_FIND_DEVICE] = "camera and serial numbers",
		[PV_FIND_PEOPLE] = "names and captions", [PV_FIND_DATES] = "dates",
		[PV_FIND_HIDDEN] = "hidden images", [PV_FIND_SOFTWARE] = "editing history",
	};
	struct pv_findings f;
	char err[256];
	if (pv_jpeg_inspect(buf, len, &f, err, sizeof err) != 0)
		return;
	int seen[PV_FIND_GROUP_COUNT] = { 0 }, any = 0;
	for (size_t i = 0; i < f.count; i++)
		if ((unsigned)f.items[i].group < PV_FIND_GROUP_COUNT)
			seen[f.items[i].group] = 1;
	for (int g = 0; g < PV_FIND_GROUP_COUNT; g++) {
		if (!seen[g] || !words[g])
			continue;
		put(l, any++ ? ", " : " (");
		put(l, words[g]);
	}
	if (any)
		put(l, ")");
	pv_findings_free(&f);
}

static void report_line(const char *name, const uint8_t *in, size_t in_len,
			const struct pv_scrub_report *r, struct line *out)
{
	struct line l = { .len = 0, .items = 0 };
	put(&l, name);
	put(&l, ": removed ");
	size_t head = l.len;
	removed_kinds(&l, r, r->trailer_bytes);
	if (l.items)
		removed_groups(&l, in, in_len);
	else {
		l.len = head - strlen("removed ");
		l.buf[l.len] = '\0';
		put(&l, "nothing to remove");
	}
	if (r->orient_action == PV_ORIENT_BAKED)
		put(&l, "; turned upright");
	else if (r->orient_action == PV_ORIENT_TAGGED)
		put(&l, "; kept only the orientation tag (turning it would lose pixels)");
	*out = l;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* One file's outcome, made by a worker and printed in order. */
struct scrub_result {
	int ok;
	struct line line;      /* the report, when ok */
	char err[768];         /* the reason, when not */
};

struct scrub_batch {
	char **paths;
	const char *outdir;
	struct scrub_result *results;
	int failed;
};

/* Where the clean copy goes; NULL (with the reason) when it must not. */
static char *destination(const char *path, const char *outdir, char *err, size_t errlen)
{
	if (!outdir)
		return pv_strdup(path);
	const char *base = base_name(path);
	if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
		pv_set_err(err, errlen, "it is a folder, not a photo");
		return NULL;
	}
	return pv_path_join(outdir, base);
}

/* Writes the clean copy: a new file in -o DIR (never over an existing one,
 * even one another worker writes at the same moment), or atomically over the
 * source with --in-place, skipped when nothing changed. */
static int write_clean(const char *dest, int in_place, const uint8_t *in, size_t in_len,
		       const uint8_t *out, size_t out_len, char *err, size_t errlen)
{
	if (!in_place)
		return pv_write_new(dest, NULL, out, out_len, err, errlen);
	if (out_len == in_len && memcmp(in, out, in_len) == 0)
		return 0;
	return pv_write_atomic(dest, NULL, out, out_len, err, errlen);
}

static void scrub_work(size_t i, void *ctx)
{
	struct scrub_batch *b = ctx;
	struct scrub_result *res = &b->results[i];
	const char *path = b->paths[i];
	uint8_t *in = NULL, *out = NULL;
	size_t in_len, out_len;
	struct pv_scrub_report r;
	char *dest = destination(path, b->outdir, res->err, sizeof res->err);
	res->ok = dest &&
		  pv_read_file(path, PV_MAX_FILE_BYTES, &in, &in_len, res->err, sizeof res->err) == 0 &&
		  pv_jpeg_scrub(in, in_len, &out, &out_len, &r, res->err, sizeof res->err) == 0 &&
		  write_clean(dest, !b->outdir, in, in_len, out, out_len, res->err,
			      sizeof res->err) == 0;
	if (res->ok)
		report_line(path, in, in_len, &r, &res->line);
	free(in);
	free(out);
	free(dest);
}

static void scrub_finish(size_t i, void *ctx)
{
	struct scrub_batch *b = ctx;
	struct scrub_result *res = &b->results[i];
	if (res->ok) {
		pv_cli_print_text(res->line.buf);   /* names a file: no control raw */
		printf("\n");
		fflush(stdout);
	} else {
		file_error(b->paths[i], res->err);
		b->failed = 1;
	}
}

static int prepare_outdir(const char *dir)
{
	struct stat st;
	if (stat(dir, &st) != 0 && (errno != ENOENT || pv_mkdir_p(dir, 0700) != 0)) {
		pv_cli_error("The folder %s could not be created (%s).", dir, strerror(errno));
		return -1;
	}
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		pv_cli_error("%s is not a folder; -o needs a folder for the clean copies.", dir);
		return -1;
	}
	return 0;
}

int cmd_scrub(struct pv_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "in-place", no_argument, NULL, 'i' },
		{ "jobs", required_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	(void)cli;
	const char *outdir = NULL;
	int in_place = 0, jobs = pv_default_jobs(), c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		if (c == 'o')
			outdir = optarg;
		else if (c == 'i')
			in_place = 1;
		else if (c == 'j') {
			if ((jobs = atoi(optarg)) < 1)
				return pv_cli_usage_error("scrub", "--jobs needs a number of at least 1.");
		}
		else if (optopt == 'o')
			return pv_cli_usage_error("scrub", "-o needs a folder to write into.");
		else
			return pv_cli_usage_error("scrub", "'%s' is not an option of scrub.",
						  argv[optind - 1]);
	}
	if (!outdir == !in_place)
		return pv_cli_usage_error("scrub", "Say where the clean copies go: "
					  "either -o DIR or --in-place.");
	if (optind >= argc)
		return pv_cli_usage_error("scrub", "Name at least one photo to scrub.");
	if (outdir && prepare_outdir(outdir) != 0)
		return PV_EXIT_REJECTED;
	size_t n = (size_t)(argc - optind);
	struct scrub_batch b = { .paths = argv + optind, .outdir = outdir,
				 .results = calloc(n, sizeof (struct scrub_result)) };
	if (!b.results)
		abort();
	pv_pool_run(n, jobs, scrub_work, scrub_finish, &b);
	free(b.results);
	return b.failed ? PV_EXIT_REJECTED : PV_EXIT_OK;
}
