/*
 * Where links point: BASE/i/TOKEN. The base is the address `serve` answers
 * on, which the facilitator may override for one run with
 * PHOTOVOICE_BASE_URL (a name the phones reach, behind a proxy). `serve`
 * records its address in ARCHIVE/web-base-url, so that links made later by
 * `photovoice invite` point at it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "photovoice/invite.h"
#include "photovoice/util.h"

#define BASE_FILE "web-base-url"
#define MAX_BASE_BYTES 2048

/* A copy of base without trailing '/' (and, from the file, without the
 * spaces and line break around it); NULL when nothing is left. */
static char *without_trailing_slash(const char *base)
{
	char *b = pv_strdup(base);
	pv_trim(b);
	size_t n = strlen(b);
	while (n > 0 && b[n - 1] == '/')
		b[--n] = '\0';
	if (n == 0) {
		free(b);
		return NULL;
	}
	return b;
}

static char *recorded_base(const char *archive_dir)
{
	char *path = pv_path_join(archive_dir, BASE_FILE);
	uint8_t *data = NULL;
	size_t len = 0;
	char *base = NULL;
	if (pv_read_file(path, MAX_BASE_BYTES, &data, &len, NULL) == 0) {
		char *text = pv_strndup((const char *)data, len);
		base = without_trailing_slash(text);
		free(text);
		free(data);
	}
	free(path);
	return base;
}

char *pv_invite_base(const char *archive_dir)
{
	const char *env = getenv("PHOTOVOICE_BASE_URL");
	char *base = env ? without_trailing_slash(env) : NULL;
	if (!base && archive_dir)
		base = recorded_base(archive_dir);
	return base ? base : pv_strdup(PV_INVITE_DEFAULT_BASE);
}

/* http:// or https://, a host, nothing a link cannot hold unescaped. */
static int usable_base(const char *base)
{
	const char *rest = strncmp(base, "http://", 7) == 0 ? base + 7
			 : strncmp(base, "https://", 8) == 0 ? base + 8 : NULL;
	if (!rest || !*rest || *rest == '/' || strlen(base) > MAX_BASE_BYTES)
		return 0;
	for (const unsigned char *p = (const unsigned char *)base; *p; p++)
		if (*p <= ' ' || *p >= 0x7f || strchr("\"<>\\^`{|}?#", *p))
			return 0;
	return 1;
}

int pv_invite_set_base(const char *archive_dir, const char *base, struct pv_err *err)
{
	char *b = base ? without_trailing_slash(base) : NULL;
	if (!b || !usable_base(b)) {
		free(b);
		return pv_fail(err, PV_ERR_INPUT, "The address links point to must start with "
			       "http:// or https:// and a host name, without spaces, '?' or '#'.");
	}
	char *path = pv_path_join(archive_dir, BASE_FILE);
	char *tmp = pv_path_join(archive_dir, "tmp");
	size_t n = strlen(b);
	b[n] = '\n';   /* over the NUL: the file is one line */
	int r = pv_write_atomic(path, tmp, b, n + 1, err);
	free(tmp);
	free(path);
	free(b);
	return r;
}

char *pv_invite_link(const char *base, const char *token)
{
	size_t n = strlen(base) + strlen(token) + 4;
	char *link = malloc(n);
	if (!link)
		abort();
	snprintf(link, n, "%s/i/%s", base, token);
	return link;
}
