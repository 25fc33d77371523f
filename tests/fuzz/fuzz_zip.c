/*
 * Fuzz target: zip intake (pv_zip_list, pv_zip_read_member in
 * src/ingest/zip.c): a hostile zip in the drop folder, read through
 * libarchive without extracting anything.
 *
 * Properties: every member listed has a safe name (not absolute, no "..",
 * no control character) and is counted within PV_ZIP_MAX_MEMBERS; a member's
 * bytes never exceed PV_ZIP_MAX_MEMBER_BYTES, all members together never
 * PV_ZIP_MAX_TOTAL_BYTES; a refusal is one plain sentence.
 *
 * The zip code reads a file by its path (and checks no one is still writing
 * it), so each input is written to one temporary file first.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "photovoice/ingest.h"
#include "photovoice/util.h"
#include "../../src/ingest/pipeline.h"
#include "fuzz.h"

static char zip_path[4096];

static void check_sentence(const char *s)
{
	size_t n = strlen(s);
	pv_fuzz_assert(n > 0);
	pv_fuzz_assert(pv_utf8_valid(s, n));
	pv_fuzz_assert(strchr(s, '\n') == NULL);
}

static void check_name(const char *name)
{
	pv_fuzz_assert(name && *name);
	pv_fuzz_assert(name[0] != '/' && name[0] != '\\');
	pv_fuzz_assert(!(name[0] && name[1] == ':'));
	for (const unsigned char *c = (const unsigned char *)name; *c; c++)
		pv_fuzz_assert(*c >= 0x20 && *c != 0x7F);
	for (const char *c = name; *c;) {
		size_t n = strcspn(c, "/\\");
		pv_fuzz_assert(!(n == 2 && c[0] == '.' && c[1] == '.'));
		c += n + (c[n] != '\0');
	}
}

/* One temporary file, reused for every input (the fuzzer is one process). */
static int write_input(const uint8_t *data, size_t size)
{
	if (!zip_path[0]) {
		const char *dir = getenv("TMPDIR");
		snprintf(zip_path, sizeof zip_path, "%s/pv-fuzz-zip.XXXXXX",
			 dir ? dir : "/tmp");
		int fd = mkstemp(zip_path);
		if (fd < 0)
			abort();
		close(fd);
	}
	FILE *f = fopen(zip_path, "wb");   /* closed before reading: no lease */
	if (!f)
		abort();
	int ok = fwrite(data, 1, size, f) == size;
	return fclose(f) == 0 && ok ? 0 : -1;
}

static void read_members(struct zip_submission *z)
{
	for (size_t i = 0; i < z->nmembers; i++) {
		const struct zip_member *m = &z->members[i];
		check_name(m->name);
		if (m->is_sidecar)
			continue;
		uint8_t *bytes = NULL;
		size_t len = 0;
		struct pv_err reason = {0};
		if (pv_zip_read_member(z, m, &bytes, &len, &reason) == 0) {
			pv_fuzz_assert(len <= PV_ZIP_MAX_MEMBER_BYTES);
			free(bytes);
		} else {
			pv_fuzz_assert(bytes == NULL);
			check_sentence(reason.msg);
		}
		pv_fuzz_assert(z->total_out <= PV_ZIP_MAX_TOTAL_BYTES);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (write_input(data, size) != 0)
		return 0;
	char rel[] = "inzending.zip";
	struct drop_photo file = { .path = zip_path, .rel = rel, .name = rel };
	struct zip_submission z;
	struct pv_err reason = {0};
	int r = pv_zip_list(&file, &z, &reason);
	pv_fuzz_assert(r == 0 || r == -1);   /* 1: being written, never here */
	if (r == 0) {
		pv_fuzz_assert(z.nmembers <= PV_ZIP_MAX_MEMBERS);
		read_members(&z);
		if (z.refused)
			pv_fuzz_assert(pv_utf8_valid(z.refused, strlen(z.refused)));
	} else {
		check_sentence(reason.msg);
	}
	pv_zip_free(&z);
	return 0;
}
