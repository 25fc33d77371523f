/* The bundle formats: one row each, and one file (format_NAME.c) that sets
 * up libarchive's writer for it, the way libarchive registers its own. A
 * new format is a row here and its file; the command line, the web server,
 * the error sentences and the tests read this table. */
#include "bundle_internal.h"

#include <string.h>

const struct pv_bundle_format_def pv_bundle_formats[] = {
	/* name       other names  output endings             set-up */
	{ "zip",      { NULL },     { ".zip", NULL },          pv_bundle_setup_zip,
	  pv_bundle_zip_member, 1 },
	{ "tar.gz",   { "tgz" },    { ".tar.gz", ".tgz" },     pv_bundle_setup_tar_gz, NULL, 0 },
	{ "tar.zst",  { "tzst" },   { ".tar.zst", ".tzst" },   pv_bundle_setup_tar_zst, NULL, 0 },
	{ "7z",       { NULL },     { ".7z", NULL },           pv_bundle_setup_7z, NULL, 0 },
};
const size_t pv_bundle_nformats = sizeof pv_bundle_formats / sizeof pv_bundle_formats[0];

#define NAMES (sizeof pv_bundle_formats[0].aliases / sizeof pv_bundle_formats[0].aliases[0])

static int called(const struct pv_bundle_format_def *f, const char *s)
{
	if (strcmp(f->name, s) == 0)
		return 1;
	for (size_t k = 0; k < NAMES && f->aliases[k]; k++)
		if (strcmp(f->aliases[k], s) == 0)
			return 1;
	return 0;
}

int pv_bundle_format_parse(const char *s)
{
	for (size_t i = 0; s && i < pv_bundle_nformats; i++)
		if (called(&pv_bundle_formats[i], s))
			return (int)i;
	return -1;
}

const char *pv_bundle_format_name(int format)
{
	return format >= 0 && (size_t)format < pv_bundle_nformats ? pv_bundle_formats[format].name
								  : NULL;
}

static int has_ending(const char *s, const char *ending)
{
	size_t n = strlen(s), m = strlen(ending);
	return n >= m && strcmp(s + n - m, ending) == 0;
}

int pv_bundle_format_of_name(const char *path)
{
	for (size_t i = 0; path && i < pv_bundle_nformats; i++)
		for (size_t k = 0; k < NAMES && pv_bundle_formats[i].endings[k]; k++)
			if (has_ending(path, pv_bundle_formats[i].endings[k]))
				return (int)i;
	return -1;
}

const char *pv_bundle_format_list(void)
{
	static char list[256];
	if (!list[0]) {
		size_t o = 0;
		for (size_t i = 0; i < pv_bundle_nformats; i++)
			o += (size_t)snprintf(list + o, sizeof list - o, "%s%s",
					      i == 0 ? "" : i + 1 == pv_bundle_nformats ? " or " : ", ",
					      pv_bundle_formats[i].name);
	}
	return list;
}
