/* photovoice bundle: select entries, keep only what consent allows, and write
 * a poster-ready archive. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "photovoice/bundle.h"
#include "photovoice/util.h"

#define MAX_SELECTORS 256

struct bundle_args {
	const char *tags[MAX_SELECTORS];
	size_t ntags;
	int64_t ids[MAX_SELECTORS];
	size_t nids;
	const char *out;
	const char *format;
	const char *purpose;
	int force;
};

static int parse_args(int argc, char **argv, struct bundle_args *b)
{
	static const struct option opts[] = {
		{ "tag", required_argument, NULL, 't' },
		{ "id", required_argument, NULL, 'i' },
		{ "format", required_argument, NULL, 'f' },
		{ "purpose", required_argument, NULL, 'p' },
		{ "force", no_argument, NULL, 'F' },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		if ((c == 't' && b->ntags == MAX_SELECTORS) || (c == 'i' && b->nids == MAX_SELECTORS))
			return pv_cli_usage_error("bundle", "Too many --tag or --id options.");
		switch (c) {
		case 't': b->tags[b->ntags++] = optarg; break;
		case 'i':
			if (!(b->ids[b->nids++] = pv_cli_parse_id(optarg)))
				return pv_cli_usage_error("bundle", "'%s' is not an entry number.", optarg);
			break;
		case 'f': b->format = optarg; break;
		case 'p': b->purpose = optarg; break;
		case 'F': b->force = 1; break;
		case 'o': b->out = optarg; break;
		default: return pv_cli_usage_error("bundle", "That option is not one bundle knows.");
		}
	}
	if (optind < argc)
		return pv_cli_usage_error("bundle", "Unexpected '%s'; name entries with --id or --tag.", argv[optind]);
	if (!b->out)
		return pv_cli_usage_error("bundle", "Say where to write the bundle with -o FILE.");
	if (!b->ntags && !b->nids)
		return pv_cli_usage_error("bundle", "Choose entries with --tag or --id.");
	if (strcmp(b->purpose, "poster") != 0 && strcmp(b->purpose, "internal") != 0)
		return pv_cli_usage_error("bundle", "The purpose must be poster or internal.");
	return 0;
}

static int has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* --format, else from the output name, else zip. */
static int choose_format(const struct bundle_args *b)
{
	if (b->format)
		return pv_bundle_format_parse(b->format);
	static const char *const endings[] = { ".tar.gz", ".tgz", ".tar.zst", ".7z" };
	static const enum pv_bundle_format formats[] = {
		PV_BUNDLE_TAR_GZ, PV_BUNDLE_TAR_GZ, PV_BUNDLE_TAR_ZST, PV_BUNDLE_7Z };
	for (size_t i = 0; i < sizeof endings / sizeof *endings; i++)
		if (has_suffix(b->out, endings[i]))
			return (int)formats[i];
	return PV_BUNDLE_ZIP;
}

/* Everything selected, whatever its consent; consent is checked after, so
 * that each entry left out can be named with its reason. */
static int select_entries(struct pv_archive *a, const struct bundle_args *b,
			  struct pv_entry_list *out, char *err, size_t errlen)
{
	struct pv_filter f = { .tags = b->tags, .ntags = b->ntags, .ids = b->ids,
			       .nids = b->nids, .min_consent = -1, .exact_consent = -1 };
	return pv_store_list(a, &f, out, err, errlen);
}

static int allowed(const struct pv_entry *e, const char *purpose, const char *today)
{
	enum pv_consent need = strcmp(purpose, "poster") == 0 ? PV_CONSENT_POSTER
							     : PV_CONSENT_INTERNAL;
	return pv_entry_effective_consent(e, today) >= need;
}

static void say_left_out(const struct pv_entry *e, const char *today)
{
	enum pv_consent now = pv_entry_effective_consent(e, today);
	if (now != e->consent)
		pv_cli_error("entry %lld left out: its consent for %s ended on %s.",
			     (long long)e->id, pv_consent_name(e->consent), e->consent_until);
	else
		pv_cli_error("entry %lld left out: its consent is '%s', which does not allow this use.",
			     (long long)e->id, pv_consent_name(now));
}

/* The newest ingest time, so that the same selection gives the same bytes;
 * SOURCE_DATE_EPOCH wins when set. */
static time_t bundle_time(const struct pv_entry_list *l)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	if (sde && *sde)
		return (time_t)strtoll(sde, NULL, 10);
	time_t newest = 0;
	for (size_t i = 0; i < l->count; i++) {
		struct tm tm = { 0 };
		const char *at = l->items[i].ingested_at;
		if (at && sscanf(at, "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon,
				 &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) == 6) {
			tm.tm_year -= 1900;
			tm.tm_mon -= 1;
			time_t t = timegm(&tm);
			if (t > newest)
				newest = t;
		}
	}
	return newest;
}

static int write_bundle(struct pv_cli *cli, const struct bundle_args *b, int format,
			const struct pv_entry_list *l)
{
	char today[11], err[512], sha[65];
	pv_today_iso(today);
	struct pv_bundle_item *items = calloc(l->count + 1, sizeof *items);
	size_t n = 0;
	for (size_t i = 0; i < l->count; i++) {
		if (!allowed(&l->items[i], b->purpose, today)) {
			say_left_out(&l->items[i], today);
			continue;
		}
		items[n].entry = &l->items[i];
		items[n++].media_path = pv_archive_media_path(cli->archive, l->items[i].sha256);
	}
	int status = PV_EXIT_OK;
	struct pv_bundle_opts o = { .format = format, .purpose = b->purpose,
				    .mtime = bundle_time(l), .tmpdir = NULL };
	if (n == 0) {
		pv_cli_error("No selected entry may be used for a %s; nothing was written.", b->purpose);
		status = PV_EXIT_REJECTED;
	} else if (pv_bundle_write(b->out, items, n, &o, sha, err, sizeof err) != 0) {
		pv_cli_error("%s", err);
		status = PV_EXIT_REJECTED;
	} else {
		printf("Bundle written: %s (%zu photo%s, SHA-256 %s)\n", b->out, n, n == 1 ? "" : "s", sha);
	}
	for (size_t i = 0; i < n; i++)
		free((char *)items[i].media_path);
	free(items);
	return status;
}

int cmd_bundle(struct pv_cli *cli, int argc, char **argv)
{
	struct bundle_args b = { .purpose = "poster" };
	int r = parse_args(argc, argv, &b);
	if (r != 0)
		return r;
	int format = choose_format(&b);
	if (format < 0)
		return pv_cli_usage_error("bundle", "'%s' is not a bundle format; use zip, tar.gz, tar.zst or 7z.", b.format);
	struct stat st;
	if (!b.force && lstat(b.out, &st) == 0) {
		pv_cli_error("%s already exists; use --force to replace it.", b.out);
		return PV_EXIT_REJECTED;
	}
	/* zip stores local time: fix the zone so that every machine writes the
	 * same bytes for the same selection */
	setenv("TZ", "UTC", 1);
	tzset();
	struct pv_entry_list l;
	char err[512];
	if (select_entries(cli->archive, &b, &l, err, sizeof err) != 0) {
		pv_cli_error("%s", err);
		return PV_EXIT_REJECTED;
	}
	if (l.count == 0) {
		pv_cli_error("No entries match that selection; nothing was written.");
		pv_entry_list_free(&l);
		return PV_EXIT_REJECTED;
	}
	r = write_bundle(cli, &b, format, &l);
	pv_entry_list_free(&l);
	return r;
}
